"""A run's processes end with it (issue 22, item 13): workers and kernels die with their parent whatever the signal,
SIGTERM and SIGINT stop a run cleanly and say what was published, staging folders of dead runs go at the next start,
--workers is capped to the cores and a lock names the folder it guards."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from conftest import ROOT

from parsipas.core import atomic
from parsipas.core.locking import Busy, processed_lock
from parsipas.run.parameters import RunParameters
from parsipas.run.runner import run

MARKER = "PARSIPAS_TEST_RUN"  # an environment variable every process of a run inherits (kernels included)


def _processes_with(marker: str) -> list[int]:
    """The pids whose environment carries the marker: the run, its workers and its kernels."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:  # gone meanwhile, or another user's
                continue
            if f"{MARKER}={marker}".encode() in environ.split(b"\0"):
                found.append(int(entry.name))
    return found


def _dead_pid() -> int:
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_a_process_that_exits_with_its_parent_dies_when_the_parent_is_killed(tmp_path):
    marker = uuid.uuid4().hex
    grandchild = ("from parsipas.run.worker import exit_with_parent; import time; exit_with_parent(); time.sleep(60)")
    parent = ("import subprocess, sys, time; subprocess.Popen([sys.executable, '-c', sys.argv[1]]); time.sleep(60)")
    process = subprocess.Popen([sys.executable, "-c", parent, grandchild], env={**os.environ, MARKER: marker})
    try:
        deadline = time.monotonic() + 30
        while len(_processes_with(marker)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(_processes_with(marker)) == 2
        time.sleep(1)  # the grandchild has imported parsipas and armed its signal
        process.kill()
        process.wait()
        time.sleep(1)
        assert _processes_with(marker) == []
    finally:
        for pid in _processes_with(marker):
            os.kill(pid, signal.SIGKILL)


def test_staging_folders_of_dead_processes_go_and_those_of_live_ones_stay(tmp_path):
    dead = tmp_path / f".khanh-hoa.staging-{_dead_pid()}-x1y2"
    live = tmp_path / f".ninh-thuan.staging-{os.getpid()}-a1b2"
    older = tmp_path / ".ha-noi.staging-abc"  # the layout before writers were named: no owner to wait for
    for folder in (dead, live, older):
        folder.mkdir()
    atomic.recover(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name]


def test_a_staging_folder_names_its_writer(tmp_path):
    staging = atomic.staging_folder(tmp_path / "khanh-hoa")
    assert atomic.STAGING_OWNER.search(staging.name)[1] == str(os.getpid())


def _params(tmp_path: Path, **changes) -> RunParameters:
    return RunParameters(out=tmp_path / "other-reports", processed=tmp_path / "processed", formats=("html",),
                         **changes)


def test_the_lock_message_names_the_processed_folder_another_run_holds(tmp_path):
    with processed_lock(tmp_path / "processed", wait=0):
        with pytest.raises(Busy) as caught:
            run(_params(tmp_path))
    assert f"is writing to {(tmp_path / 'processed').resolve()};" in str(caught.value)


def test_more_workers_than_cores_are_capped_with_a_warning(tmp_path, caplog):
    cores = os.cpu_count()
    with processed_lock(tmp_path / "processed", wait=0), caplog.at_level(logging.WARNING, "parsipas"):
        with pytest.raises(Busy):  # stops before any worker starts
            run(_params(tmp_path, workers=cores + 62))
    assert f"--workers {cores + 62} is more than the {cores} cores of this machine: {cores} report processes" \
        in caplog.text


def _start_batch(tmp_path: Path, marker: str) -> subprocess.Popen:
    """A batch of every province on two workers, its processes marked; returns once both kernels run."""
    command = [sys.executable, str(ROOT / "pipeline.py"), "--province", "all", "--workers", "2", "--formats", "html",
               "--out", str(tmp_path / "reports"), "--processed", str(tmp_path / "processed")]
    process = subprocess.Popen(command, env={**os.environ, MARKER: marker}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 180
    while len(_processes_with(marker)) < 5 and time.monotonic() < deadline:  # the run, 2 workers, 2 kernels
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.5)
    assert len(_processes_with(marker)) >= 5
    return process


def _wait_for_reports(reports: Path, process: subprocess.Popen, count: int) -> None:
    """Until the batch has published count reports: it is then in full flow, whatever the machine's speed (a fixed
    wait let a quick machine finish all 63 before the signal)."""
    deadline = time.monotonic() + 180
    while len(list(reports.glob("2022/*/vi/report.html"))) < count and time.monotonic() < deadline:
        assert process.poll() is None, process.stderr.read()
        time.sleep(0.1)
    published = len(list(reports.glob("2022/*/vi/report.html")))
    assert published >= count, f"{published} reports published in 180 s"


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_a_killed_batch_leaves_no_process_of_it_alive_five_seconds_later(tmp_path, signum):
    marker = uuid.uuid4().hex
    process = _start_batch(tmp_path, marker)
    try:
        _wait_for_reports(tmp_path / "reports", process, 2)  # reports are being made: workers and kernels are busy
        os.kill(process.pid, signum)  # the run alone, not its process group
        stderr = process.communicate(timeout=60)[1]
        time.sleep(5)
        assert _processes_with(marker) == []
    finally:
        for pid in _processes_with(marker):
            os.kill(pid, signal.SIGKILL)
    if signum != signal.SIGKILL:
        assert process.returncode == 128 + signum, stderr
        assert "stopped: " in stderr and f" of 63 reports published, the others unchanged ({signum.name})" in stderr
        assert not list((tmp_path / "reports").glob("*/*/.*.staging-*"))  # tidied on the way out
    stale = tmp_path / "reports" / "2022" / "khanh-hoa" / f".vi.staging-{_dead_pid()}-abcd"
    stale.mkdir(parents=True)
    result = subprocess.run([sys.executable, str(ROOT / "pipeline.py"), "--formats", "html", "--out",
                             str(tmp_path / "reports"), "--processed", str(tmp_path / "processed")],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    assert not stale.exists() and not list((tmp_path / "reports").glob("*/*/.*.staging-*"))


@pytest.mark.slow
def test_a_warm_kernel_runs_notebook_after_notebook_through_one_client_each_with_its_own_outputs(tmp_path):
    """Papermill would make a client per notebook and wait 0.2 s for it; the worker's kernel keeps one, made ready
    once, and a notebook never shows what the one before it printed."""
    import nbformat

    from parsipas.run.subjects import Province
    from parsipas.run.worker import Worker

    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("n = 0", metadata={"tags": ["parameters"]}),
                                               nbformat.v4.new_code_cell("print('notebook', n)")])
    notebook.metadata["kernelspec"] = {"name": "parsipas", "display_name": "parsipas", "language": "python"}
    nbformat.write(notebook, tmp_path / "probe.ipynb")
    worker = Worker(RunParameters(out=tmp_path / "reports", formats=("html",)))
    try:
        worker.warm()
        client = worker._kernel().client()
        for n in (1, 2, 3):
            worker.execute(tmp_path / "probe.ipynb", tmp_path / f"probe-{n}.ipynb", {"n": n}, Province("56", "x", "x"))
            outputs = nbformat.read(tmp_path / f"probe-{n}.ipynb", as_version=4).cells[-1].outputs
            assert [o.get("text") for o in outputs] == [f"notebook {n}\n"]
        assert worker._kernel().client() is client and client.ready
    finally:
        worker.close()
    assert not client.channels_running


@pytest.mark.parametrize("notebook", ["02_compare", "03_report", "05_internal", "01_clean"])
def test_every_warm_up_a_kernel_may_run_is_valid_python(notebook):
    """The warm-up is sent without awaiting its reply, so a warm-up that fails says nothing and only makes the first
    report slow: each is compiled here."""
    from parsipas.run.worker import Worker

    compile(Worker(RunParameters(), (notebook,)).warm_up_code(), f"warm-up of {notebook}", "exec")


@pytest.mark.slow
def test_a_warm_kernel_has_imported_the_report_libraries_and_collects_less_before_its_first_notebook(tmp_path):
    """... while the process that warms it (a single report's: the caller's own) keeps its collector as it was."""
    import gc

    from parsipas.run.worker import GC_THRESHOLDS, Worker

    worker = Worker(RunParameters(out=tmp_path / "reports", formats=("html",)), ("03_report",))
    own = gc.get_threshold()
    try:
        worker.warm()
        assert gc.get_threshold() == own != GC_THRESHOLDS
        client = worker._kernel().client()
        assert client.get_shell_msg(timeout=120)["content"]["status"] == "ok"  # the warm-up's own reply
        client.execute("import gc, sys; print(gc.get_threshold(), 'parsipas.present.report' in sys.modules)")
        printed = ""
        while not printed:
            message = client.get_iopub_msg(timeout=60)
            if message["msg_type"] == "stream":
                printed = message["content"]["text"]
        assert printed.strip() == f"{GC_THRESHOLDS} True"
    finally:
        worker.close()
