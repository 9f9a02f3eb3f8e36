"""Unattended runs: a failed step keeps the last good report, locking, killed runs, reproducibility, cron.
Most run the pipeline (in a subprocess or with its kernels), so they are marked slow."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import nbformat
import pytest
from conftest import ROOT, run_pipeline

from parsipas import clean
from parsipas.core.locking import RunLock
from parsipas.ingest.provinces import Gazetteer
from parsipas.run.parameters import RunParameters, check
from parsipas.run.runner import run
from parsipas.run.worker import StepFailed, Worker


def _digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*") if p.is_file()}


def _notebooks_with_report_cell(tmp_path: Path, source: str) -> Path:
    """A copy of the notebooks whose report notebook ends with one more code cell."""
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        nb = nbformat.read(path, as_version=4)
        if path.stem == "03_report":
            nb.cells.append(nbformat.v4.new_code_cell(source))
        nbformat.write(nb, notebooks / path.name)
    return notebooks


@pytest.mark.slow
def test_failing_notebook_exits_1_names_the_cell_and_keeps_the_last_good_report(tmp_path):
    notebooks = _notebooks_with_report_cell(tmp_path, "raise ValueError('broken on purpose')")
    out = tmp_path / "reports"
    good = out / "2022" / "khanh-hoa" / "vi"
    good.mkdir(parents=True)
    (good / "report.html").write_text("last good report")

    with pytest.raises(StepFailed) as caught:
        run(RunParameters(out=out, notebooks=notebooks, formats=("html",), processed=tmp_path / "processed"))
    assert "03_report" in str(caught.value) and "ValueError: broken on purpose" in str(caught.value)
    assert (good / "report.html").read_text() == "last good report"
    assert list((out / "_failed").glob("*03_report.ipynb"))
    assert not [p for p in (out / "2022" / "khanh-hoa").iterdir() if p.name.startswith(".")]


def test_all_means_the_63_provinces():
    assert len(check(RunParameters(province="all"), Gazetteer())) == 63


@pytest.mark.slow
def test_second_run_on_the_same_outputs_exits_3(tmp_path):
    out = tmp_path / "reports"
    with RunLock(out, wait=0):
        result = run_pipeline("--out", str(out), "--processed", str(tmp_path / "processed"))
    assert result.returncode == 3, result.stderr
    assert f"another run (pid {os.getpid()})" in result.stderr


def _default_run(tmp_path: Path, *extra: str) -> list[str]:
    return [sys.executable, str(ROOT / "pipeline.py"), "--out", str(tmp_path / "reports"),
            "--processed", str(tmp_path / "processed"), *extra]


@pytest.mark.slow
def test_a_run_killed_at_any_moment_leaves_the_last_good_outputs_and_the_next_run_recovers(tmp_path):
    subprocess.run(_default_run(tmp_path), check=True, capture_output=True, timeout=300)
    report = tmp_path / "reports" / "2022" / "khanh-hoa" / "vi"
    good_report, good_data = _digests(report), _digests(tmp_path / "processed")
    for delay in (0.5, 3.0, 7.0):
        process = subprocess.Popen(_default_run(tmp_path, "--force"), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)  # the run and its kernel, as a power cut would
        process.wait()
        now = _digests(report)
        manifest = json.loads((report / "manifest.json").read_text())
        assert now == good_report or all(now[name] == digest for name, digest in manifest["outputs"].items()), delay
        assert _digests(tmp_path / "processed") == good_data
        clean.load(tmp_path / "processed")
    result = subprocess.run(_default_run(tmp_path, "--force"), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert not [p for p in report.parent.iterdir() if p.name.startswith(".")]


@pytest.mark.slow
def test_two_runs_give_identical_data_and_reports(tmp_path):
    for name in ("a", "b"):
        subprocess.run(_default_run(tmp_path / name), check=True, capture_output=True, timeout=300)
    first, second = tmp_path / "a", tmp_path / "b"
    assert _digests(first / "processed") == _digests(second / "processed")
    for output in ("report.html", "report.pdf"):
        report = "reports/2022/khanh-hoa/vi"
        assert (first / report / output).read_bytes() == (second / report / output).read_bytes()


@pytest.mark.slow
def test_damaged_processed_data_is_rebuilt(tmp_path):
    subprocess.run(_default_run(tmp_path, "--formats", "html"), check=True, capture_output=True, timeout=300)
    (tmp_path / "processed" / "par_scores.parquet").write_bytes(b"not parquet")
    result = subprocess.run(_default_run(tmp_path, "--formats", "html", "--force"), capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0 and "processed data is damaged" in result.stderr
    clean.load(tmp_path / "processed")


@pytest.mark.slow
def test_readme_cron_line_runs_with_an_empty_environment_and_no_terminal(tmp_path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cron = next(line for line in readme.splitlines() if re.match(r"^\S+ \S+ \S+ \S+ \S+ cd /srv/parsipas", line))
    command = cron.split(None, 5)[5].replace("/srv/parsipas", str(ROOT)).replace(" >> /var/log/parsipas.log 2>&1", "")
    command = command.replace("--quiet", f"--quiet --out {tmp_path / 'reports'} --processed {tmp_path / 'processed'}")
    result = subprocess.run(["/bin/sh", "-c", command], env={"PATH": "/usr/bin:/bin"}, stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "reports/2022/khanh-hoa/vi/report.pdf").exists()
    assert list((tmp_path / "reports/_logs").glob("*.log"))
    assert "systemd" in readme and "OnCalendar=" in readme


def test_recovery_restores_a_folder_caught_between_the_two_renames(tmp_path):
    from parsipas.core import atomic

    (tmp_path / ".khanh-hoa.previous").mkdir()
    (tmp_path / ".khanh-hoa.previous" / "report.html").write_text("last good report")
    (tmp_path / ".ninh-thuan.staging-abc").mkdir()
    (tmp_path / "ha-noi").mkdir()
    (tmp_path / ".ha-noi.previous").mkdir()  # the swap had finished: the old copy just goes
    assert atomic.recover(tmp_path) == [tmp_path / "khanh-hoa"]
    assert (tmp_path / "khanh-hoa" / "report.html").read_text() == "last good report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ha-noi", "khanh-hoa"]


@pytest.mark.slow
def test_a_batch_reports_every_failure_and_publishes_the_others(tmp_path):
    failing = "if province == '58':\n    raise ValueError('no data for this one')"
    notebooks = _notebooks_with_report_cell(tmp_path, failing)
    out = tmp_path / "reports"
    with pytest.raises(StepFailed) as caught:
        run(RunParameters(province="Khánh Hòa, Ninh Thuận", out=out, notebooks=notebooks, formats=("html",),
                          processed=tmp_path / "processed"))
    assert "1 of 2 reports failed" in str(caught.value) and "Ninh Thuận" in str(caught.value)
    assert (out / "2022" / "khanh-hoa" / "vi" / "report.html").exists()
    assert not (out / "2022" / "ninh-thuan").exists()


@pytest.mark.slow
def test_languages_and_formats_live_side_by_side_and_a_run_never_deletes_a_format(tmp_path):
    out, processed = tmp_path / "reports", tmp_path / "processed"

    def pipeline(*arguments: str) -> subprocess.CompletedProcess:
        result = run_pipeline("--out", str(out), "--processed", str(processed), *arguments)
        assert result.returncode == 0, result.stderr
        return result

    first = pipeline()
    assert "[1/1] Khánh Hòa: done" in first.stderr  # progress names provinces, not codes
    assert "without encryption" not in first.stderr + "".join(p.read_text() for p in (out / "_logs").glob("*.log"))
    vi, en = out / "2022" / "khanh-hoa" / "vi", out / "2022" / "khanh-hoa" / "en"
    pdf = (vi / "report.pdf").read_bytes()
    pipeline("--lang", "en", "--formats", "html")
    assert (en / "report.html").exists() and not (en / "report.pdf").exists()
    assert (vi / "report.pdf").read_bytes() == pdf and '<html lang="vi"' in (vi / "report.html").read_text()
    pipeline("--formats", "html", "--force")
    manifest = json.loads((vi / "manifest.json").read_text())
    assert (vi / "report.pdf").read_bytes() == pdf
    assert set(manifest["formats"]) == {"html", "pdf"} and manifest["formats"]["pdf"]["current"] is True
    kept = pipeline("--formats", "html", "--target-rank", "20")  # other inputs: the kept PDF is older, and says so
    manifest = json.loads((vi / "manifest.json").read_text())
    assert manifest["formats"]["pdf"]["current"] is False and manifest["formats"]["html"]["current"] is True
    assert (vi / "report.pdf").read_bytes() == pdf and "report.pdf was kept from an earlier run" in kept.stderr


@pytest.mark.slow
def test_an_up_to_date_report_asked_for_by_code_answers_before_any_kernel_starts(tmp_path, monkeypatch):
    params = RunParameters(out=tmp_path / "reports", processed=tmp_path / "processed", formats=("html",))
    run(params)
    monkeypatch.setattr(Worker, "warm", lambda self: pytest.fail("a kernel was started"))
    for spelling in ("56", "khanh hoa", "Khánh Hoà"):
        [outcome] = run(replace(params, province=spelling))
        assert outcome.skipped and outcome.name == "Khánh Hòa"


@pytest.mark.slow
def test_a_year_without_figures_is_a_warning_in_the_log_and_the_manifest(tmp_path):
    out = tmp_path / "reports"
    result = run_pipeline("--year", "2023", "--base-year", "2022", "--formats", "html", "--out", str(out),
                          "--processed", str(tmp_path / "processed"))
    assert result.returncode == 0, result.stderr
    warning = "Khánh Hòa: no PAR INDEX or SIPAS figure for 2023 in the data; the latest year with figures is 2022"
    assert f"WARNING {warning}" in result.stderr
    assert json.loads((out / "2023/khanh-hoa/vi/manifest.json").read_text())["warnings"] == [warning]


def test_a_report_process_validates_notebooks_without_building_unused_uri_grammars():
    """The worker leaves out jsonschema's optional IRI check (about 1.3 s of imports per process); nbformat still
    refuses a broken notebook and papermill and nbconvert still load."""
    probe = ("import sys; from parsipas.run import worker; worker._skip_unused_format_checks(); "
             "import papermill, nbconvert, nbformat; from nbformat.validator import ValidationError\n"
             "notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
             "nbformat.validate(notebook)\n"
             "notebook.cells[0]['cell_type'] = 'nonsense'\n"
             "try:\n    nbformat.validate(notebook)\n"
             "except ValidationError:\n    print('refused', 'lark' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["refused", "False"]
