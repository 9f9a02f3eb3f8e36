"""One report worker: a Jupyter kernel kept warm across reports, Papermill on it, the renderers, and the atomic
publication of each report folder. What a report is about (a province, a unit of a unit set) is its Subject."""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import os
import shutil
import signal
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from parsipas.core import atomic, paths
from parsipas.run import manifest
from parsipas.run.cache import report_key, up_to_date
from parsipas.run.parameters import BATCH_NOTEBOOKS, FILES, RunParameters, report_folder
from parsipas.run.subjects import Subject

KERNEL = "parsipas"
PR_SET_PDEATHSIG = 1  # prctl(2): the signal a Linux process gets when the thread that started it ends
try:  # looked up once here: a kernel's preexec_fn runs between fork and exec, where loading a library is not safe
    _prctl = ctypes.CDLL(None, use_errno=True).prctl
except (OSError, AttributeError, TypeError):  # not Linux
    _prctl = None


def _die_with_parent() -> bool:
    """Ask Linux to SIGKILL this process the moment its parent is gone; kept across exec. False where unavailable."""
    return _prctl is not None and _prctl(PR_SET_PDEATHSIG, int(signal.SIGKILL)) == 0


def exit_with_parent() -> None:
    """Make this process end when its parent does, whatever killed the parent (SIGKILL included): on Linux at once
    (_die_with_parent), elsewhere within half a second (a daemon thread polls the parent's pid). Called first thing in
    a report process; its kernels get _die_with_parent before they exec (and ipykernel's own parent check elsewhere),
    so no process of a stopped run keeps running."""
    parent = os.getppid()
    if not _die_with_parent():
        threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(128 + signal.SIGKILL)


def _exit_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(128 + signal.SIGKILL)


def _skip_unused_format_checks() -> None:
    """Papermill and nbconvert import nbformat, which imports jsonschema, which imports the optional rfc3987_syntax
    and builds its 38 Lark grammars: about 1.3 s of a core in every report process, for the "iri" format check that
    nothing here asks for (nbformat validates notebooks without a format checker). A report process leaves that
    optional import out, as jsonschema does where the package is not installed; the kernels never import it."""
    sys.modules.setdefault("rfc3987_syntax", None)  # None: `import rfc3987_syntax` raises ImportError


# A report process (a pool worker, and every kernel) makes a few hundred thousand short-lived objects per report
# (WeasyPrint's boxes, matplotlib's artists, pandas' frames) and keeps few. Python's collector scans the young ones
# every 700 new objects by default: a tenth of a PDF's time, a twentieth of a notebook's. Once warm, a report process
# freezes what it has imported (never garbage) and scans every 50,000: the same objects are freed, for a few MB more.
# Only processes the run starts for itself do so: a caller's own process (a single report) keeps its settings.
GC_THRESHOLDS = (50_000, 10, 10)
COLLECT_LESS = f"import gc\ngc.freeze()\ngc.set_threshold{GC_THRESHOLDS}\n"  # the same, run in a kernel


def collect_less() -> None:
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLDS)


class StepFailed(RuntimeError):
    """A notebook or the rendering failed: names the step, the cell and the error in plain words."""


@dataclass
class Outcome:
    code: str                  # the subject's code (a province code, or <set>/<unit code>)
    folder: Path | None = None
    skipped: bool = False
    error: str | None = None
    seconds: float = 0.0
    name: str = ""             # the subject's name, for progress lines and messages
    warnings: tuple[str, ...] = ()


class Worker:
    """Executes notebooks on one kernel kept warm across reports (imports are paid once).

    A worker may have a companion: a second worker whose notebooks (the analyst's comparison) run in a thread beside
    the report notebook and the rendering, on its own kernel, so a single report uses both cores."""

    # What each notebook imports, imported while the data is prepared (seaborn is not: only notebook 04 draws with it)
    LIBRARIES = "import pandas, matplotlib.pyplot\nfrom parsipas import clean\n"
    WARM_UP = {"02_compare": LIBRARIES + "from parsipas.present import charts, explore, report",
               "03_report": LIBRARIES + "from parsipas.present import charts, report",
               "05_internal": LIBRARIES + "from parsipas.present import internal_report\n"
                                          "from parsipas.run import subjects"}

    def __init__(self, params: RunParameters, notebooks: tuple[str, ...] = BATCH_NOTEBOOKS,
                 companion: Worker | None = None):
        self.params, self.notebooks, self.companion = params, notebooks, companion
        self.kernel = None

    def _kernel(self):
        from jupyter_client.kernelspec import KernelSpecManager

        from parsipas.run import kernel

        if self.kernel is None or not self.kernel.is_alive():
            if KERNEL not in KernelSpecManager().find_kernel_specs():
                raise StepFailed(f"the Jupyter kernel '{KERNEL}' is not installed in this environment; "
                                 "run 'make setup'")
            if self.kernel is not None:
                self.kernel.close_client()  # the client of a kernel that died
            self.kernel = kernel.manager(KERNEL)  # one client for all its notebooks (run/kernel.py)
            # The kernel listens on loopback only and every message is signed with its own key; its warning about
            # unencrypted TCP (meant for shared hosts) would otherwise fill every log, so it logs errors only.
            # _die_with_parent runs in the kernel's process before it execs: the kernel ends with this worker. (A
            # kernel started from a thread ends with that thread on Linux; only a restart after a kernel died happens
            # outside the main thread, and the next report restarts it again.)
            # Its history in memory, as nbclient gives the kernels it starts (the naive route): not one SQLite file in
            # the home folder that every kernel of every run writes to.
            self.kernel.start_kernel(cwd=str(paths.ROOT), preexec_fn=_die_with_parent,
                                     extra_arguments=["--IPKernelApp.log_level=ERROR",
                                                      "--HistoryManager.hist_file=:memory:"])
        return self.kernel

    def warm(self) -> None:
        """Start the kernel and let it import the libraries while this process does other work (no waiting)."""
        client = self._kernel().client()
        client.start_channels()
        client.execute(self.warm_up_code(), silent=True, store_history=False)
        if self.companion:
            self.companion.warm()
        _skip_unused_format_checks()
        import papermill  # noqa: F401

        from parsipas.present import render

        render.warm(pdf="pdf" in self.params.formats)  # this process's own imports overlap the kernel's

    def wait_until_ready(self) -> None:
        """Wait, idle, until the kernel has run its warm-up and answers. A pool worker waits here while the run is
        still cleaning the data, so its first notebook starts at once (else it waits then, for a quarter of a second
        with both cores' worth of processes idle). A kernel that does not answer is left to the first notebook, which
        says why."""
        try:
            self._kernel().client().wait_for_ready(timeout=300)
        except RuntimeError:
            pass

    def warm_up_code(self) -> str:
        """What the kernel runs while it waits for its first notebook (no reply is awaited: a test compiles it)."""
        return "\n".join((self.WARM_UP.get(self.notebooks[-1], self.LIBRARIES), COLLECT_LESS))

    def close(self) -> None:
        if self.kernel is not None:
            self.kernel.close_client()
            if self.kernel.is_alive():
                self.kernel.shutdown_kernel(now=True)
        if self.companion:
            self.companion.close()

    @property
    def all_notebooks(self) -> tuple[str, ...]:
        return (self.companion.all_notebooks if self.companion else ()) + self.notebooks

    def execute(self, notebook: Path, output: Path, parameters: dict, subject: Subject) -> None:
        import papermill
        from papermill.exceptions import PapermillExecutionError

        try:
            papermill.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name=KERNEL,
                                       cwd=str(paths.ROOT), progress_bar=False, log_output=False, km=self._kernel(),
                                       start_timeout=300,  # a loaded machine may take more than the default minute
                                       request_save_on_cell_execute=False)  # one write, not two per cell
        except PapermillExecutionError as error:
            failed_dir = Path(self.params.out) / "_failed"
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept = failed_dir / f"{dt.datetime.now():%Y%m%dT%H%M%S}-{subject.code.replace('/', '-')}-{notebook.name}"
            shutil.copyfile(output, kept)
            raise StepFailed(f"notebook {notebook.stem} failed in cell {error.exec_count}: {error.ename}: "
                             f"{error.evalue} (executed notebook kept at {kept})") from None

    def execute_all(self, params: RunParameters, subject: Subject, folder: Path, steps: dict[str, float]) -> None:
        for notebook in self.notebooks:
            begun = time.perf_counter()
            self.execute(Path(params.notebooks) / f"{notebook}.ipynb", folder / f"{notebook}.ipynb",
                         subject.parameters(params, notebook), subject)
            steps[notebook] = round(time.perf_counter() - begun, 3)

    def report(self, subject: Subject, key_of_data: str, warnings: tuple[str, ...] = (),
               params: RunParameters | None = None) -> Outcome:
        """One subject's report, published atomically. params: the run's, when known only after the worker started
        (a unit set's years come from the data); the worker's own otherwise."""
        from concurrent.futures import ThreadPoolExecutor

        from parsipas.present import render

        params, started, name = subject.own(params or self.params), time.perf_counter(), subject.name
        target = report_folder(params, subject.folder)
        key = report_key(params, subject.code, key_of_data, self.all_notebooks)
        if not params.force and up_to_date(target, key, params.formats):
            return Outcome(subject.code, target, skipped=True, name=name)
        staging = atomic.staging_folder(target)
        steps: dict[str, float] = {}
        try:
            (staging / "notebooks").mkdir()
            with ThreadPoolExecutor(max_workers=1) as beside:
                companion = (beside.submit(self.companion.execute_all, params, subject, staging / "notebooks", steps)
                             if self.companion else None)
                self.execute_all(params, subject, staging / "notebooks", steps)
                begun = time.perf_counter()
                executed = staging / "notebooks" / f"{subject.notebook}.ipynb"
                title = subject.title(params.lang, executed)
                html = render.notebook_to_html(executed, params.lang, title)
                renderers = {"html": lambda: html.encode("utf-8"), "pdf": lambda: render.html_to_pdf(html, title),
                             "docx": lambda: _word(html, params, subject.place)}
                for output in params.formats:
                    atomic.write_atomically(staging / FILES[output], renderers[output]())
                steps["render"] = round(time.perf_counter() - begun, 3)
                if companion:
                    companion.result()  # re-raises a failure of the companion's notebook
            entries = manifest.format_entries(params, key, manifest.carry_over(params, target, staging, key, name))
            manifest.write(params, subject, key, dict(sorted(steps.items())), staging, entries, warnings)
            atomic.swap_in(staging, target)
            return Outcome(subject.code, target, seconds=time.perf_counter() - started, name=name,
                           warnings=warnings)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            _remove_empty(target.parent, Path(params.out) / str(params.year))


def _remove_empty(folder: Path, top: Path) -> None:
    """A subject's first report failed: no empty folder is left behind (up to the year's folder)."""
    while folder != top and folder.is_relative_to(top) and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def _word(html: str, params: RunParameters, place: str) -> bytes:
    """The Word draft of a report's page, issued by the province named `place` (its kind from processed data)."""
    import pandas as pd

    from parsipas.present import word

    provinces = pd.read_parquet(paths.resolve(params.processed) / "provinces.parquet")
    return word.html_to_docx(html, params.lang, issued_by=word.issuer(place, params.lang, provinces),
                             produced=params.produced)
