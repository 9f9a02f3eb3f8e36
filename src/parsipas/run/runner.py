"""Running a batch of reports: check, lock, prepare the data once, then one report per subject (a province, or a unit
of a unit set and its overview: subjects.py) on warm kernels (in a pool when workers > 1). Nothing here is
interactive; callers map exceptions to exit codes.

The parts live beside it: parameters (what is asked, and its checks), cache (keys and the up-to-date check),
locking, worker (a warm kernel, Papermill and the renderers) and manifest.
"""

from __future__ import annotations

import logging
import os
import signal
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from pathlib import Path

from parsipas.core.built_from import data_key, is_current
from parsipas.core.errors import InputError
from parsipas.core.locking import RunLock, processed_lock, recover
from parsipas.run.cache import remember, remembered, report_key, up_to_date
from parsipas.run.parameters import RunParameters, check, check_notebook, check_run, report_folder, report_places
from parsipas.run.subjects import Province, Subject, Unit, expected_reports, notebooks, resolved_subjects
from parsipas.run.worker import Outcome, StepFailed, Worker, collect_less, exit_with_parent

log = logging.getLogger("parsipas")


class Stopped(BaseException):
    """The run was asked to stop (SIGTERM, SIGINT): raised in the main thread by the handler pipeline.py installs,
    a BaseException like KeyboardInterrupt so that no step's error handling takes it for a failed report. The runner
    stops its workers (their kernels end with them), tidies their staging folders and fills in the counts."""

    def __init__(self, signum: int, published: int = 0, total: int = 0):
        super().__init__(signum, published, total)
        self.signum, self.published, self.total = signum, published, total

    def __str__(self) -> str:
        return (f"{self.published} of {self.total} reports published, the others unchanged "
                f"({signal.Signals(self.signum).name})")


# -- batches: a pool of workers, each with its own warm kernel ---------------------------------------------------
_worker: Worker | None = None


def _start_worker(params: RunParameters, notebooks: tuple[str, ...]) -> None:
    """A pool worker: it ends with the run (its kernels with it, worker.exit_with_parent), dies on SIGTERM (the run
    stops it so) and leaves SIGINT, which a terminal sends to the whole process group, to the run."""
    from multiprocessing.util import Finalize

    exit_with_parent()
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    global _worker
    _worker = Worker(params, notebooks)
    Finalize(_worker, _worker.close, exitpriority=10)  # pool workers skip atexit; the kernel must not outlive them
    _worker.warm()
    collect_less()
    _worker.wait_until_ready()  # while the run cleans the data


def _report_safely(worker: Worker, params: RunParameters, subject: Subject, key_of_data: str,
                   warnings: tuple[str, ...] = ()) -> Outcome:
    """One subject's report; its failure is recorded, so the batch goes on with the others."""
    try:
        return worker.report(subject, key_of_data, warnings, params)
    except (StepFailed, InputError, OSError) as error:
        return Outcome(subject.code, error=str(error), name=subject.name)


def _ready() -> None:
    """Nothing to do: submitting it makes the pool start a worker, which runs _start_worker first."""


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """The run stops (a signal, or an error of its own): its workers are killed at once rather than waited for (their
    kernels end with them, worker.exit_with_parent); the caller tidies their staging folders."""
    processes = list((pool._processes or {}).values())  # the executor offers no public way to stop running tasks
    for process in processes:
        process.terminate()  # SIGTERM, which a worker does not catch
    for process in processes:
        process.join()
    pool.shutdown(wait=False, cancel_futures=True)


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
    current = all(up_to_date(o.folder, report_key(s.own(params), o.code, key, run_notebooks), params.formats)
                  for s, o in zip(subjects, outcomes))
    return outcomes if current else None


def _current_data(params: RunParameters) -> dict | None:
    """The processed tables when they are built from the current inputs and readable (else cleaning rebuilds them)."""
    from parsipas import clean

    if not is_current(params.processed, data_key(params.raw)):
        return None
    try:
        return clean.load(params.processed)
    except Exception:  # a damaged Parquet file: clean.prepare says so and rebuilds it
        return None


def _prepared(params: RunParameters, subjects: list[Subject], progress):
    """Clean the data once (while the kernels warm up), read a unit set's subjects from it when not known yet, and
    the warnings beside each report. Returns (params, subjects, data key, warnings by subject code)."""
    from parsipas import clean

    key = clean.prepare(params.raw, params.processed)
    data = clean.load(params.processed)
    params, subjects = resolved_subjects(params, subjects, data)
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
                     processed=Path(params.processed).resolve(), notebooks=Path(params.notebooks).resolve(),
                     workers=_capped(params.workers))
    tally = _Tally(len(subjects))
    with RunLock(params.out, params.wait), processed_lock(params.processed, params.wait):
        recover(params.out, params.processed)
        try:
            return _run_locked(asked, params, subjects, kind, progress, tally)
        except Stopped as stop:
            recover(params.out, params.processed)  # the staging folders of the reports it was making
            published = sum(1 for o in tally.outcomes if not o.error and not o.skipped)
            raise Stopped(stop.signum, published, tally.total) from None


def _capped(workers: int) -> int:
    """Each worker holds a kernel (hundreds of MB): more of them than cores only costs memory."""
    cores = os.cpu_count() or 1
    if workers > cores:
        log.warning("--workers %d is more than the %d cores of this machine: %d report processes", workers, cores,
                    cores)
    return min(workers, cores)


@dataclass
class _Tally:
    """What a run has done so far: how many reports it makes (once known) and those finished."""
    total: int = 0
    outcomes: list[Outcome] = field(default_factory=list)


def _run_locked(asked: RunParameters, params: RunParameters, subjects: list[Subject], kind: type[Subject],
                progress, tally: _Tally) -> list[Outcome]:
    """run() under its locks; tally is filled as reports finish, so that a stopped run can say what it did."""
    outcomes = tally.outcomes
    decided_by_data = kind is Unit or params.base_year is None
    if decided_by_data and not params.force and (data := _current_data(params)) is not None:
        params, subjects = resolved_subjects(params, subjects, data)  # now, so a rerun is answered before any kernel
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
            tally.total = len(subjects)
            for subject in subjects:
                outcomes.append(_report_safely(worker, params, subject, key, warnings.get(subject.code, ())))
                if progress:
                    progress.done(outcomes[-1])
        finally:
            worker.close()
    else:
        pool = ProcessPoolExecutor(max_workers=workers, initializer=_start_worker,
                                   initargs=(params, run_notebooks))
        try:
            for _ in range(workers):
                pool.submit(_ready)  # starts the workers: they warm up while the data is prepared
            params, subjects, key, warnings = _prepared(params, subjects, progress)
            tally.total = len(subjects)
            for future in as_completed([pool.submit(_report_in_worker, params, s, key, warnings.get(s.code, ()))
                                        for s in subjects]):
                outcomes.append(future.result())
                if progress:
                    progress.done(outcomes[-1])
        except BaseException:
            _stop_workers(pool)
            raise
        pool.shutdown()
    failed = [o for o in outcomes if o.error]
    if failed:
        raise StepFailed(f"{len(failed)} of {len(outcomes)} reports failed:\n" +
                         "\n".join(f"  {o.name}: {o.error}" for o in failed))
    remember(asked, [o.folder for o in outcomes])
    return outcomes
