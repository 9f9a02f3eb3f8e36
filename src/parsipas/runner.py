"""Running a batch of reports: check, lock, prepare the data once, then one report per subject (a province, or a unit
of a unit set and its overview: subjects.py) on warm kernels (in a pool when workers > 1). Nothing here is
interactive; callers map exceptions to exit codes.

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
from .parameters import RunParameters, check, check_notebook, check_run, report_folder, report_places
from .subjects import Province, Subject, Unit, expected_reports, notebooks, unit_subjects
from .worker import Outcome, StepFailed, Worker

log = logging.getLogger("parsipas")


# -- batches: a pool of workers, each with its own warm kernel ---------------------------------------------------
_worker: Worker | None = None


def _start_worker(params: RunParameters, notebooks: tuple[str, ...]) -> None:
    from multiprocessing.util import Finalize

    global _worker
    _worker = Worker(params, notebooks)
    Finalize(_worker, _worker.close, exitpriority=10)  # pool workers skip atexit; the kernel must not outlive them
    _worker.warm()


def _report_safely(worker: Worker, params: RunParameters, subject: Subject, key_of_data: str,
                   warnings: tuple[str, ...] = ()) -> Outcome:
    """One subject's report; its failure is recorded, so the batch goes on with the others."""
    try:
        return worker.report(subject, key_of_data, warnings, params)
    except (StepFailed, InputError, OSError) as error:
        return Outcome(subject.code, error=str(error), name=subject.name)


def _ready() -> None:
    """Nothing to do: submitting it makes the pool start a worker, which runs _start_worker first."""


def _report_in_worker(params: RunParameters, subject: Subject, key_of_data: str,
                      warnings: tuple[str, ...]) -> Outcome:
    return _report_safely(_worker, params, subject, key_of_data, warnings)


def _all_up_to_date(params: RunParameters, subjects: list[Subject]) -> list[Outcome] | None:
    """Answer a rerun from the manifests, before any kernel starts, whatever spelling named the subjects."""
    key = data_key(params.raw)
    if params.force or not subjects or not is_current(params.processed, key):
        return None
    run_notebooks = notebooks(subjects)
    outcomes = [Outcome(s.code, report_folder(params, s.folder), skipped=True, name=s.name) for s in subjects]
    current = all(up_to_date(o.folder, report_key(params, o.code, key, run_notebooks), params.formats)
                  for o in outcomes)
    return outcomes if current else None


def _current_data(params: RunParameters) -> dict | None:
    """The processed tables when they are built from the current inputs and readable (else cleaning rebuilds them)."""
    from . import clean

    if not is_current(params.processed, data_key(params.raw)):
        return None
    try:
        return clean.load(params.processed)
    except Exception:  # a damaged Parquet file: clean.prepare says so and rebuilds it
        return None


def _prepared(params: RunParameters, subjects: list[Subject], progress):
    """Clean the data once (while the kernels warm up), read a unit set's subjects from it when not known yet, and
    the warnings beside each report. Returns (params, subjects, data key, warnings by subject code)."""
    from . import clean

    key = clean.prepare(params.raw, params.processed)
    data = clean.load(params.processed)
    if not subjects:
        params, subjects = unit_subjects(params, data)
    if progress:
        progress.start(len(subjects))
    found = type(subjects[0]).warnings(data, subjects, params.year)
    for warning in found.values():
        log.warning(warning[0])
    return params, subjects, key, found


def run(params: RunParameters, progress=None) -> list[Outcome]:
    """Check, lock, prepare the data once, then one report per subject (in a pool when workers > 1): the provinces
    of --province, or the overview and units of --unit-set.

    Raises InputError (bad input), Busy (locked) or StepFailed (one or more reports failed, all listed).
    progress, if given, gets start(number of reports) once the subjects are known, then done(outcome) for each.
    """
    asked = params
    if (folders := remembered(asked)) is not None:
        return [Outcome(folder.parent.name, folder, skipped=True) for folder in folders]
    if params.unit_set is None:
        places = report_places(params)
        subjects: list[Subject] = [Province.of(places, code) for code in check(params, places)]
        kind = Province
    else:
        check_run(params)
        subjects, kind = [], Unit
    for notebook in kind.single_notebooks:
        check_notebook(Path(params.notebooks) / f"{notebook}.ipynb")
    params = replace(params, out=Path(params.out).resolve(), raw=Path(params.raw).resolve(),
                     processed=Path(params.processed).resolve(), notebooks=Path(params.notebooks).resolve())
    outcomes: list[Outcome] = []
    processed_lock = RunLock(params.processed.parent, params.wait, f".{params.processed.name}.lock")
    with RunLock(params.out, params.wait), processed_lock:
        recover(params.out, params.processed)
        if kind is Unit and not params.force and (data := _current_data(params)) is not None:
            params, subjects = unit_subjects(params, data)  # known now, so a rerun is answered before any kernel
        if (current := _all_up_to_date(params, subjects)) is not None:
            if progress:
                progress.start(len(current))
                for outcome in current:
                    progress.done(outcome)
            remember(asked, [o.folder for o in current])
            return current
        expected = len(subjects) if subjects else expected_reports(params)
        run_notebooks = kind.single_notebooks if expected == 1 else kind.batch_notebooks
        workers = min(params.workers, expected)
        if workers == 1:
            companion = Worker(params, run_notebooks[:-1]) if len(run_notebooks) > 1 else None
            worker = Worker(params, run_notebooks[-1:], companion)
            try:
                worker.warm()  # kernels import their libraries while the data is prepared
                params, subjects, key, warnings = _prepared(params, subjects, progress)
                for subject in subjects:
                    outcomes.append(_report_safely(worker, params, subject, key, warnings.get(subject.code, ())))
                    if progress:
                        progress.done(outcomes[-1])
            finally:
                worker.close()
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                     initargs=(params, run_notebooks)) as pool:
                for _ in range(workers):
                    pool.submit(_ready)  # starts the workers: they warm up while the data is prepared
                params, subjects, key, warnings = _prepared(params, subjects, progress)
                for future in as_completed([pool.submit(_report_in_worker, params, s, key, warnings.get(s.code, ()))
                                            for s in subjects]):
                    outcomes.append(future.result())
                    if progress:
                        progress.done(outcomes[-1])
    failed = [o for o in outcomes if o.error]
    if failed:
        raise StepFailed(f"{len(failed)} of {len(outcomes)} reports failed:\n" +
                         "\n".join(f"  {o.name}: {o.error}" for o in failed))
    remember(asked, [o.folder for o in outcomes])
    return outcomes
