"""Running a batch of reports: lock, prepare the data once, execute the notebooks with Papermill on warm kernels,
render, and publish each report folder atomically. Nothing here is interactive; callers map exceptions to exit codes.

A report is skipped when its folder already holds a manifest with the same cache key: the hash of the raw and
reference data, the notebooks, the report template, the package's code and the run parameters.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import platform
import shutil
import subprocess
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path

from . import atomic, defaults, paths
from .built_from import data_key, files as _files, is_current, sha256 as _sha256
from .errors import InputError

KERNEL = "parsipas"
FORMATS = ("html", "pdf", "docx")
FILES = {"html": "report.html", "pdf": "report.pdf", "docx": "report.docx"}
REPORT_NOTEBOOKS = ("02_compare", "03_report")  # one province: the analyst's comparison is kept beside the report
BATCH_NOTEBOOKS = ("03_report",)                 # a batch of provinces: the report notebook only
log = logging.getLogger("parsipas")


class StepFailed(RuntimeError):
    """A notebook or the rendering failed: names the step, the cell and the error in plain words."""


class Busy(RuntimeError):
    """Another run holds the lock on the same outputs."""


@dataclass(frozen=True)
class RunParameters:
    province: str = defaults.PROVINCE
    year: int = defaults.YEAR
    base_year: int = defaults.BASE_YEAR
    target_rank: int | None = None    # None: the default target, and the report says it is the default
    lang: str = defaults.LANG
    formats: tuple[str, ...] = ("html", "pdf")  # the Word draft only when asked for
    out: Path = paths.REPORTS
    raw: Path = paths.RAW
    processed: Path = paths.PROCESSED
    notebooks: Path = paths.NOTEBOOKS
    workers: int = 1
    wait: float = 0
    force: bool = False
    produced: str = field(default_factory=lambda: dt.date.today().isoformat())


@dataclass
class Outcome:
    province_code: str
    folder: Path | None = None
    skipped: bool = False
    error: str | None = None
    seconds: float = 0.0
    name: str = ""             # the province's name, for progress lines and messages
    warnings: tuple[str, ...] = ()


def report_folder(params: RunParameters, slug: str) -> Path:
    """One folder per province, year and language: a report in one language never replaces the other's."""
    return Path(params.out) / str(params.year) / slug / params.lang


# -- checks ----------------------------------------------------------------------------------------------------------
def check(params: RunParameters, places) -> list[str]:
    """Validate the parameters before anything runs; returns the province codes."""
    from . import reference
    from .messages import LANGUAGES
    from .provinces import UnknownName

    years = reference.decisions().index
    if params.year not in years or params.base_year not in years:
        raise InputError("command line", "no methodology is recorded for that year", option="--year/--base-year",
                         found=(params.year, params.base_year), expected=f"years {years.min()}-{years.max()}")
    if params.base_year >= params.year:
        raise InputError("command line", "the base year must come before the report year", option="--base-year",
                         found=params.base_year, expected=f"a year before {params.year}")
    if params.target_rank is not None and not 1 <= params.target_rank <= 63:
        raise InputError("command line", "the target rank is a place among 63 provinces", option="--target-rank",
                         found=params.target_rank, expected="1-63")
    if params.lang not in LANGUAGES:
        raise InputError("command line", "unknown language", option="--lang", found=params.lang, expected=" or ".join(LANGUAGES))
    unknown = [f for f in params.formats if f not in FORMATS]
    if unknown or not params.formats:
        raise InputError("command line", "unknown output format", option="--formats", found=",".join(params.formats),
                         expected="a comma-separated list of " + ", ".join(FORMATS))
    if not 1 <= params.workers <= 64:
        raise InputError("command line", "the number of worker processes is out of range", option="--workers",
                         found=params.workers, expected="1 to 64 (the number of cores is a good choice)")
    check_out_not_in_data(Path(params.out), Path(params.raw), Path(params.processed))
    for option, folder in (("--out", params.out), ("--processed", params.processed)):
        _check_writable(option, Path(folder))
    if not Path(params.raw).is_dir():
        raise InputError("command line", "the raw data folder does not exist", option="--raw", found=str(params.raw),
                         expected="a folder with public/ and/or official/ (default data/raw)")
    if params.province.strip().lower() == "all":
        return list(places.provinces.index)
    codes = []
    for name in params.province.split(","):
        try:
            codes.append(places.province_code(name.strip()))
        except UnknownName as error:
            raise InputError("command line", str(error), option="--province", found=name,
                             expected="province names in any spelling or 2-digit codes, separated by commas, "
                                      "or all") from None
    return list(dict.fromkeys(codes))


def check_out_not_in_data(out: Path, raw: Path, processed: Path) -> None:
    """Reports written among the data would be hashed as input, and a clean of processed/ would delete them."""
    for option, data in (("--raw", raw), ("--processed", processed), ("--raw", paths.RAW), ("--processed", paths.PROCESSED)):
        if out.resolve().is_relative_to(data.resolve()):
            raise InputError("command line", f"the reports folder is inside the data folder of {option}",
                             option="--out", found=str(out), expected="a folder outside data/raw and data/processed, "
                             "e.g. reports/ (the default)")


def _check_writable(option: str, folder: Path) -> None:
    """Create the folder if needed and write a scratch file in it: the only test that holds for root too."""
    existing = next((p for p in [folder, *folder.parents] if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise InputError("command line", "the output path is a file, not a folder", option=option,
                         found=str(existing), expected="a folder (it is created when missing)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise InputError("command line", f"the output folder is not writable ({error.strerror})", option=option,
                         found=str(folder), expected="a folder this user may create and write to") from None


def check_notebook(path: Path) -> None:
    """Exactly one cell tagged 'parameters', so that Papermill's injected values replace the defaults.
    Read as plain JSON: validating the whole notebook with nbformat costs seconds a scheduled run need not pay."""
    if not path.is_file():
        raise InputError(str(path), "the notebook is missing", expected="notebooks/<step>.ipynb from the checkout")
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    except (ValueError, KeyError, TypeError):
        raise InputError(str(path), "the notebook is not valid notebook JSON", expected="a .ipynb file") from None
    tagged = [i for i, c in enumerate(cells) if "parameters" in c.get("metadata", {}).get("tags", [])]
    if len(tagged) != 1:
        raise InputError(str(path), "the notebook must have exactly one cell tagged 'parameters'",
                         found=f"{len(tagged)} such cells", expected="one (View > Cell Toolbar > Tags in Jupyter)")


# -- hashing and the cache -------------------------------------------------------------------------------------------
def report_key(params: RunParameters, province_code: str, key_of_data: str,
               notebooks: tuple[str, ...] = REPORT_NOTEBOOKS) -> str:
    digest = hashlib.sha256(key_of_data.encode())
    digest.update(",".join(notebooks).encode())
    for path in [*_files(params.notebooks, pattern="*.ipynb"), *_files(paths.TEMPLATES)]:
        digest.update(f"{path.name}\0{_sha256(path)}\n".encode())
    for name in ("year", "base_year", "target_rank", "lang", "produced"):  # not formats: each has its own entry
        digest.update(f"{name}={getattr(params, name)}\n".encode())
    digest.update(province_code.encode())
    return digest.hexdigest()


def _read_manifest(folder: Path) -> dict:
    try:
        return json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _up_to_date(folder: Path, key: str, formats: tuple[str, ...]) -> bool:
    """Every asked format was built from these inputs, and no file of the folder was changed since."""
    manifest = _read_manifest(folder)
    try:
        return all(manifest["formats"][f]["cache_key"] == key for f in formats) and all(
            _sha256(Path(folder) / name) == digest for name, digest in manifest["outputs"].items())
    except (OSError, KeyError, TypeError):
        return False


def _request_key(params: RunParameters) -> str:
    """The whole command as asked (province as typed) plus every input: equal keys mean nothing to redo."""
    shown = {k: str(v) for k, v in vars(params).items() if k not in ("wait", "force", "workers")}
    return report_key(params, json.dumps(shown, sort_keys=True), data_key(Path(params.raw)))


def remembered(params: RunParameters) -> list[Path] | None:
    """The report folders of an identical earlier run, if all are intact; checked before pandas is imported."""
    if params.force:
        return None
    try:
        folders = json.loads((Path(params.out) / ".cache" / f"{_request_key(params)}.json").read_text())
    except (OSError, ValueError):
        return None
    intact = all(_up_to_date(Path(folder), key, params.formats) for folder, key in folders.items())
    return [Path(folder) for folder in folders] if intact else None


def _remember(params: RunParameters, outcomes: list[Outcome]) -> None:
    folders = {str(o.folder): json.loads((o.folder / "manifest.json").read_text())["cache_key"] for o in outcomes}
    atomic.write_atomically(Path(params.out) / ".cache" / f"{_request_key(params)}.json", json.dumps(folders).encode())


# -- the lock ----------------------------------------------------------------------------------------------------------
class RunLock:
    """One run at a time per output folder. The OS releases the lock when its holder dies, so a killed run
    never blocks the next one; the holder's pid is written beside it for the message."""

    def __init__(self, folder: Path, wait: float, name: str = ".parsipas.lock"):
        from filelock import FileLock

        Path(folder).mkdir(parents=True, exist_ok=True)
        self.path = Path(folder) / name
        self.lock = FileLock(self.path, timeout=wait)
        self.wait = wait

    def __enter__(self) -> RunLock:
        from filelock import Timeout

        try:
            self.lock.acquire()
        except Timeout:
            holder = self.path.with_suffix(".pid")
            who = holder.read_text().strip() if holder.exists() else "unknown"
            raise Busy(f"another run (pid {who}) is writing to {self.path.parent}; waited {self.wait:g} s. "
                       "Try again when it has finished, or pass --wait SECONDS") from None
        self.path.with_suffix(".pid").write_text(f"{os.getpid()}\n")
        return self

    def __exit__(self, *exc) -> None:
        self.path.with_suffix(".pid").unlink(missing_ok=True)
        self.lock.release()


def recover(out: Path, processed: Path) -> None:
    """Tidy what a killed run left in the report folders and beside the processed data (called under the lock)."""
    for folder in [*Path(out).glob("*/*/"), Path(processed).parent]:
        for target in atomic.recover(folder):
            log.warning("restored %s, left half-published by an interrupted run", target)


# -- one worker: a warm kernel and the renderers ---------------------------------------------------------------------------
class Worker:
    """Executes notebooks on one kernel kept warm across provinces (imports are paid once).

    A worker may have a companion: a second worker whose notebooks (the analyst's comparison) run in a thread beside
    the report notebook and the rendering, on its own kernel, so a single report uses both cores."""

    WARM_UP = "import pandas, matplotlib.pyplot, seaborn\nfrom parsipas import analysis, charts, clean, report"

    def __init__(self, params: RunParameters, notebooks: tuple[str, ...] = BATCH_NOTEBOOKS,
                 companion: Worker | None = None):
        self.params, self.notebooks, self.companion = params, notebooks, companion
        self.kernel, self.warm_client = None, None

    def _kernel(self):
        from jupyter_client.kernelspec import KernelSpecManager
        from jupyter_client.manager import KernelManager

        if self.kernel is None or not self.kernel.is_alive():
            if KERNEL not in KernelSpecManager().find_kernel_specs():
                raise StepFailed(f"the Jupyter kernel '{KERNEL}' is not installed in this environment; run 'make setup'")
            # IPC sockets in Jupyter's runtime folder: nothing listens on the network, and the kernel has no reason
            # to warn about unencrypted TCP in every log
            # (a private folder, by absolute path: the kernel runs in another working directory than this process)
            sockets = Path(tempfile.mkdtemp(prefix="parsipas-kernel-"))
            self.kernel = KernelManager(kernel_name=KERNEL, transport="ipc", ip=str(sockets / "kernel"))
            self.kernel.start_kernel(cwd=str(paths.ROOT))
        return self.kernel

    def warm(self) -> None:
        """Start the kernel and let it import the libraries while this process does other work (no waiting)."""
        self.warm_client = self._kernel().client()
        self.warm_client.start_channels()
        self.warm_client.execute(self.WARM_UP, silent=True, store_history=False)
        if self.companion:
            self.companion.warm()
        import papermill  # noqa: F401

        from . import render

        render.warm(pdf="pdf" in self.params.formats)  # this process's own imports overlap the kernel's

    def close(self) -> None:
        if self.warm_client is not None:
            self.warm_client.stop_channels()
        if self.kernel is not None:
            if self.kernel.is_alive():
                self.kernel.shutdown_kernel(now=True)
            shutil.rmtree(Path(self.kernel.ip).parent, ignore_errors=True)
        if self.companion:
            self.companion.close()

    @property
    def all_notebooks(self) -> tuple[str, ...]:
        return (self.companion.all_notebooks if self.companion else ()) + self.notebooks

    def execute(self, notebook: Path, output: Path, parameters: dict) -> None:
        import papermill
        from papermill.exceptions import PapermillExecutionError

        try:
            papermill.execute_notebook(str(notebook), str(output), parameters=parameters, kernel_name=KERNEL,
                                       cwd=str(paths.ROOT), progress_bar=False, log_output=False, km=self._kernel(),
                                       request_save_on_cell_execute=False)  # one write, not two per cell
        except PapermillExecutionError as error:
            failed_dir = Path(self.params.out) / "_failed"
            failed_dir.mkdir(parents=True, exist_ok=True)
            kept = failed_dir / f"{dt.datetime.now():%Y%m%dT%H%M%S}-{parameters['province']}-{notebook.name}"
            shutil.copyfile(output, kept)
            raise StepFailed(f"notebook {notebook.stem} failed in cell {error.exec_count}: {error.ename}: "
                             f"{error.evalue} (executed notebook kept at {kept})") from None

    def execute_all(self, folder: Path, common: dict, steps: dict[str, float]) -> None:
        extra = {"03_report": {"lang": self.params.lang, "produced": self.params.produced}}
        for notebook in self.notebooks:
            begun = time.perf_counter()
            self.execute(Path(self.params.notebooks) / f"{notebook}.ipynb", folder / f"{notebook}.ipynb",
                         {**common, **extra.get(notebook, {})})
            steps[notebook] = round(time.perf_counter() - begun, 3)

    def report(self, province_code: str, key_of_data: str, warnings: tuple[str, ...] = ()) -> Outcome:
        from concurrent.futures import ThreadPoolExecutor

        from . import render
        from .messages import text
        from .provinces import Gazetteer

        params, started = self.params, time.perf_counter()
        places = Gazetteer()
        name = places.name(province_code)
        target = report_folder(params, places.slug(province_code))
        key = report_key(params, province_code, key_of_data, self.all_notebooks)
        if not params.force and _up_to_date(target, key, params.formats):
            return Outcome(province_code, target, skipped=True, name=name)
        staging = atomic.staging_folder(target)
        steps: dict[str, float] = {}
        try:
            (staging / "notebooks").mkdir()
            common = {"province": province_code, "year": params.year, "base_year": params.base_year,
                      "target_rank": params.target_rank, "processed_dir": str(params.processed)}
            with ThreadPoolExecutor(max_workers=1) as beside:
                companion = (beside.submit(self.companion.execute_all, staging / "notebooks", common, steps)
                             if self.companion else None)
                self.execute_all(staging / "notebooks", common, steps)
                begun = time.perf_counter()
                title = text("title", params.lang) + " · " + name
                html = render.notebook_to_html(staging / "notebooks" / "03_report.ipynb", params.lang, title)
                renderers = {"html": lambda: html.encode("utf-8"), "pdf": lambda: render.html_to_pdf(html, title),
                             "docx": lambda: _word(html, params, name)}
                for output in params.formats:
                    atomic.write_atomically(staging / FILES[output], renderers[output]())
                steps["render"] = round(time.perf_counter() - begun, 3)
                if companion:
                    companion.result()  # re-raises a failure of the companion's notebook
            entries = _formats_entries(params, key, staging, _carry_over(params, target, staging, key, name))
            manifest = _manifest(params, province_code, key, dict(sorted(steps.items())), staging, entries, warnings)
            atomic.write_atomically(staging / "manifest.json",
                                    json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8"))
            atomic.swap_in(staging, target)
            return Outcome(province_code, target, seconds=time.perf_counter() - started, name=name,
                           warnings=warnings)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
            if not any(target.parent.iterdir()):
                target.parent.rmdir()  # a province's first report failed: no empty folder is left behind


def _word(html: str, params: RunParameters, place: str) -> bytes:
    from . import word

    return word.html_to_docx(html, params.lang, place=place, produced=params.produced)


def _git_commit() -> str | None:
    try:
        return subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


def _carry_over(params: RunParameters, target: Path, staging: Path, key: str, name: str) -> dict:
    """Formats this run was not asked for stay as they were, with their manifest entries: a run never deletes them.
    One built from other inputs is kept, said in the log, and marked in the manifest as not current."""
    kept = {}
    for output, entry in _read_manifest(target).get("formats", {}).items():
        if output in params.formats or output not in FILES or not (target / FILES[output]).is_file():
            continue
        shutil.copy2(target / FILES[output], staging / FILES[output])
        kept[output] = {**entry, "current": entry.get("cache_key") == key}
        if not kept[output]["current"]:
            log.warning("%s: %s was kept from an earlier run and is older than this run's outputs; rerun with "
                        "--formats %s to bring it up to date", name, FILES[output], output)
    return kept


def _formats_entries(params: RunParameters, key: str, folder: Path, kept: dict) -> dict:
    finished = dt.datetime.now().astimezone().isoformat(timespec="seconds")
    made = {output: {"file": FILES[output], "cache_key": key, "finished": finished, "current": True}
            for output in params.formats}
    return dict(sorted({**kept, **made}.items()))


def _manifest(params: RunParameters, province_code: str, key: str, steps: dict[str, float], folder: Path,
              formats: dict, warnings: tuple[str, ...]) -> dict:
    inputs = [*_files(params.raw), *_files(paths.REFERENCE)]
    packages = ["pandas", "matplotlib", "seaborn", "papermill", "nbconvert", "weasyprint", "pandera", "openpyxl"]
    shown = {name: str(value) for name, value in vars(params).items()}
    return {
        "parameters": {**shown, "formats": list(params.formats), "province_code": province_code},
        "cache_key": key,
        "finished": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "formats": formats,
        "warnings": list(warnings),
        "git_commit": _git_commit(),
        "python": platform.python_version(),
        "packages": {name: metadata.version(name) for name in packages},
        "inputs": {paths.shown(p): _sha256(p) for p in inputs},
        "step_seconds": steps,
        "outputs": {str(p.relative_to(folder)): _sha256(p) for p in sorted(folder.rglob("*")) if p.is_file()},
    }


# -- batches -----------------------------------------------------------------------------------------------------------------
_worker: Worker | None = None


def _start_worker(params: RunParameters) -> None:
    from multiprocessing.util import Finalize

    global _worker
    _worker = Worker(params, BATCH_NOTEBOOKS)
    Finalize(_worker, _worker.close, exitpriority=10)  # pool workers skip atexit; the kernel must not outlive them
    _worker.warm()


def _report_safely(worker: Worker, province_code: str, key_of_data: str, warnings: tuple[str, ...] = ()) -> Outcome:
    """One province's report; its failure is recorded, so the batch goes on with the others."""
    try:
        return worker.report(province_code, key_of_data, warnings)
    except (StepFailed, InputError, OSError) as error:
        return Outcome(province_code, error=str(error))


def _ready() -> None:
    """Nothing to do: submitting it makes the pool start a worker, which runs _start_worker first."""


def _report_in_worker(province_code: str, key_of_data: str, warnings: tuple[str, ...]) -> Outcome:
    return _report_safely(_worker, province_code, key_of_data, warnings)


def _all_up_to_date(params: RunParameters, codes: list[str], places) -> list[Outcome] | None:
    """Answer a rerun from the manifests, before any kernel starts, whatever spelling named the provinces."""
    key = data_key(params.raw)
    if params.force or not is_current(params.processed, key):
        return None
    notebooks = REPORT_NOTEBOOKS if len(codes) == 1 else BATCH_NOTEBOOKS
    outcomes = [Outcome(code, report_folder(params, places.slug(code)), skipped=True, name=places.name(code))
                for code in codes]
    current = all(_up_to_date(o.folder, report_key(params, o.province_code, key, notebooks), params.formats)
                  for o in outcomes)
    return outcomes if current else None


def _warnings(processed: Path, codes: list[str], year: int, places) -> dict[str, tuple[str, ...]]:
    """A report whose year has no figure for its province is still made (it summarises the latest year that has
    figures), but the terminal, the log and the manifest say so."""
    from . import analysis, clean

    data = clean.load(processed)
    found = {}
    for code in codes:
        latest = analysis.latest_year_with_figures(data["par_scores"], data["sipas_scores"], code, year)
        if latest != year:
            since = f"the latest year with figures is {latest}" if latest else "no year has figures for it"
            found[code] = (f"{places.name(code)}: no PAR INDEX or SIPAS figure for {year} in the data; {since}",)
            log.warning(found[code][0])
    return found


def run(params: RunParameters, progress=None) -> list[Outcome]:
    """Check, lock, prepare the data once, then one report per province (in a pool when workers > 1).

    Raises InputError (bad input), Busy (locked) or StepFailed (one or more reports failed, all listed).
    progress, if given, gets start(number of reports) once the provinces are known, then done(outcome) for each.
    """
    asked = params
    if (folders := remembered(asked)) is not None:
        return [Outcome(folder.parent.name, folder, skipped=True) for folder in folders]
    from . import clean
    from .provinces import Gazetteer

    places = Gazetteer()
    codes = check(params, places)
    for notebook in REPORT_NOTEBOOKS:
        check_notebook(Path(params.notebooks) / f"{notebook}.ipynb")
    params = replace(params, out=Path(params.out).resolve(), raw=Path(params.raw).resolve(),
                     processed=Path(params.processed).resolve(), notebooks=Path(params.notebooks).resolve())
    if progress:
        progress.start(len(codes))
    outcomes: list[Outcome] = []
    processed_lock = RunLock(params.processed.parent, params.wait, f".{params.processed.name}.lock")
    with RunLock(params.out, params.wait), processed_lock:
        recover(params.out, params.processed)
        if (current := _all_up_to_date(params, codes, places)) is not None:
            for outcome in current:
                if progress:
                    progress.done(outcome)
            _remember(asked, current)
            return current
        workers = min(params.workers, len(codes))
        if workers == 1:
            companion = Worker(params, ("02_compare",)) if len(codes) == 1 else None
            worker = Worker(params, BATCH_NOTEBOOKS, companion)
            try:
                worker.warm()  # kernels import their libraries while the data is prepared
                key = clean.prepare(params.raw, params.processed)
                warnings = _warnings(params.processed, codes, params.year, places)
                for code in codes:
                    outcomes.append(_report_safely(worker, code, key, warnings.get(code, ())))
                    if progress:
                        progress.done(outcomes[-1])
            finally:
                worker.close()
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker, initargs=(params,)) as pool:
                for _ in range(workers):
                    pool.submit(_ready)  # starts the workers: they warm up while the data is prepared
                key = clean.prepare(params.raw, params.processed)
                warnings = _warnings(params.processed, codes, params.year, places)
                for future in as_completed([pool.submit(_report_in_worker, code, key, warnings.get(code, ()))
                                            for code in codes]):
                    outcomes.append(future.result())
                    if progress:
                        progress.done(outcomes[-1])
    failed = [o for o in outcomes if o.error]
    if failed:
        raise StepFailed(f"{len(failed)} of {len(outcomes)} reports failed:\n" +
                         "\n".join(f"  {places.name(o.province_code)}: {o.error}" for o in failed))
    _remember(asked, outcomes)
    return outcomes
