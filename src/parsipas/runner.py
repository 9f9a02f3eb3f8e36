"""Running a batch of reports: check, lock, prepare the data once, then one report per province on warm kernels (in a
pool when workers > 1). Nothing here is interactive; callers map exceptions to exit codes.

The parts live beside it: parameters (what is asked, and its checks), cache (keys and the up-to-date check),
locking, worker (a warm kernel, Papermill and the renderers) and manifest.
"""

from __future__ import annotations

import logging
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import replace
from pathlib import Path

from .built_from import data_key, is_current
from .cache import remember, remembered, report_key, up_to_date
from .errors import InputError
from .locking import RunLock, recover
from .parameters import (
    BATCH_NOTEBOOKS,
    REPORT_NOTEBOOKS,
    RunParameters,
    check,
    check_notebook,
    report_folder,
    report_places,
)
from .worker import Outcome, StepFailed, Worker

log = logging.getLogger("parsipas")


# -- batches: a pool of workers, each with its own warm kernel ---------------------------------------------------
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
    current = all(up_to_date(o.folder, report_key(params, o.province_code, key, notebooks), params.formats)
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
    places = report_places(params)
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
            remember(asked, [o.folder for o in current])
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
    remember(asked, [o.folder for o in outcomes])
    return outcomes
