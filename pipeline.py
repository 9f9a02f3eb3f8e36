#!/usr/bin/env python
"""Produce the annual PAR INDEX / SIPAS improvement report, or the reports of a province's own index (--unit-set):
clean the data, run the notebooks, render HTML and PDF.

Examples:
  python pipeline.py                                   # Khánh Hòa, 2022 vs 2021, Vietnamese, HTML and PDF
  python pipeline.py --province "Ninh Thuan" --year 2022 --base-year 2021
  python pipeline.py --province 56 --lang en --formats html
  python pipeline.py --province "Khánh Hòa, Ninh Thuận, 49"   # several provinces, one report each
  python pipeline.py --province all --workers 2        # every province (best with complete official tables)
  python pipeline.py --raw tests/fixtures/synthetic_complete --processed /tmp/synthetic --out /tmp/reports
  python pipeline.py --list-provinces --year 2024       # which provinces have figures for 2024 (no report)
  python pipeline.py --unit-set khanh-hoa              # the province's own index: the overview for its leadership
  python pipeline.py --unit-set khanh-hoa --unit "SO01, Sở Tư pháp"   # the reports of two units
  python pipeline.py --unit-set khanh-hoa --unit all --workers 2      # the overview and every unit's report
  python pipeline.py --list-units --unit-set khanh-hoa  # the set's units and which have results (no report)

Exit codes: 0 success (or already up to date), 1 a step failed, 2 bad input or usage, 3 another run holds the lock,
128+N stopped by signal N (130 SIGINT, 143 SIGTERM; the reports already published stay, the others are unchanged).
Each run writes a log file to <out>/_logs/ and a manifest.json beside each report: <out>/<year>/<province>/<lang>/,
or <out>/<year>/internal/<set>/<overview | unit code-name>/<lang>/ for a unit set.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import os
import signal
import sys
from pathlib import Path

from parsipas.core import defaults, paths
from parsipas.run.subjects import OVERVIEW

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT, EXIT_LOCKED = 0, 1, 2, 3
EXIT_STOPPED = 128  # plus the signal's number, as a shell reports a process a signal ended


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors exit 2 like bad input, with the usage line
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"bad input: {message}\n")


def parse_arguments(argv: list[str]) -> argparse.Namespace:
    parser = _Parser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--province", default=None,
                        help=f"name in any spelling or 2-digit code; several separated by commas; or all "
                             f"(default {defaults.PROVINCE})")
    parser.add_argument("--unit-set", default=None, metavar="SET",
                        help="instead of the Ministry's report: the reports of a province's own index for the units "
                             "of SET (e.g. khanh-hoa; the units_<SET> file in <raw>/internal/)")
    parser.add_argument("--unit", default=None,
                        help="with --unit-set: overview (the leadership's overview, the default), all (the overview "
                             "and every unit valid in the year with results in it), or unit codes or names separated "
                             "by commas")
    parser.add_argument("--year", type=int, default=None,
                        help=f"report year (default {defaults.YEAR}; for a unit set its latest year with results)")
    parser.add_argument("--base-year", type=int, default=None,
                        help="year compared against (default: the latest year before --year with figures for the "
                             "province, each province's own in a batch; for a unit set, with results)")
    parser.add_argument("--target-rank", type=int, default=defaults.TARGET_RANK,
                        help="rank the province aims for, set by the analyst (the report says so); without it the "
                             "target on record for the province and year (data/reference/targets.csv), else none "
                             "and the report shows reference points")
    parser.add_argument("--lang", default=defaults.LANG, help=f"report language: vi or en (default {defaults.LANG}); "
                        "each language has its own folder, <out>/<year>/<province>/<lang>/")
    formats = ",".join(defaults.FORMATS)
    parser.add_argument("--formats", default=formats,
                        help=f"comma-separated: html, pdf, docx (the editable Word draft); default {formats}")
    parser.add_argument("--out", type=Path, default=paths.REPORTS, help="reports folder (default reports/)")
    parser.add_argument("--raw", type=Path, default=paths.RAW, help="raw data folder (default data/raw)")
    parser.add_argument("--processed", type=Path, default=paths.PROCESSED,
                        help="processed data folder (default data/processed)")
    parser.add_argument("--notebooks", type=Path, default=paths.NOTEBOOKS, help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=defaults.WORKERS,
                        help=f"parallel report processes (default {defaults.WORKERS}; use the cores: more are "
                             "capped to their number, with a warning)")
    parser.add_argument("--wait", type=float, default=defaults.WAIT,
                        help=f"seconds to wait for another run's lock (default {defaults.WAIT})")
    parser.add_argument("--force", action="store_true", help="rebuild reports even when up to date")
    parser.add_argument("--accept-external-links", action="store_true",
                        help="read an .xlsx cell linked to another workbook from its cached value, with a warning "
                             "naming the cell and the workbook (without it such a file is refused)")
    parser.add_argument("--list-provinces", action="store_true",
                        help="list which provinces have figures for --year (cleaning the data if needed), then exit")
    parser.add_argument("--list-units", action="store_true",
                        help="with --unit-set: list the set's units valid in --year, their groups and whether the "
                             "year has their results (cleaning the data if needed), then exit")
    noise = parser.add_mutually_exclusive_group()
    noise.add_argument("--quiet", action="store_true", help="only errors on the terminal")
    noise.add_argument("--verbose", action="store_true", help="debug messages too")
    arguments = parser.parse_args(argv)
    _check_combination(parser, arguments)
    return arguments


def _check_combination(parser: argparse.ArgumentParser, arguments: argparse.Namespace) -> None:
    """The Ministry's report and a unit set's reports take different options; a mix is a usage error (exit 2).
    What is not given takes its default for the kind of report asked for."""
    if arguments.unit_set is None:
        for option, given in (("--unit", arguments.unit), ("--list-units", arguments.list_units or None)):
            if given is not None:
                parser.error(f"{option} needs --unit-set SET (pipeline.py --list-units --unit-set SET lists a "
                             "set's units)")
        arguments.province = defaults.PROVINCE if arguments.province is None else arguments.province
        arguments.year = defaults.YEAR if arguments.year is None else arguments.year
        return  # no --base-year: each province's latest earlier year with figures (subjects.with_base_years)
    for option, given in (("--province", arguments.province), ("--target-rank", arguments.target_rank),
                          ("--list-provinces", arguments.list_provinces or None)):
        if given is not None:
            parser.error(f"{option} is an option of the Ministry's report, not of a unit set's (--unit-set)")
    arguments.province = defaults.PROVINCE
    arguments.unit = arguments.unit or OVERVIEW


def _logging(arguments: argparse.Namespace) -> Path | None:
    """Terminal at the chosen level; a full log file per run under <out>/_logs/ (when the folder can be made)."""
    level = logging.ERROR if arguments.quiet else logging.DEBUG if arguments.verbose else logging.INFO
    terminal = logging.StreamHandler(sys.stderr)
    terminal.setLevel(level)
    terminal.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%H:%M:%S"))
    root = logging.getLogger()
    root.setLevel(logging.DEBUG)
    root.addHandler(terminal)
    for noisy in ("weasyprint", "fontTools", "papermill", "traitlets", "matplotlib", "asyncio", "filelock", "PIL"):
        logging.getLogger(noisy).setLevel(logging.ERROR)
    from parsipas.core.errors import InputError
    from parsipas.run.parameters import check_out_not_in_data

    try:
        check_out_not_in_data(arguments.out, arguments.raw, arguments.processed)
    except InputError:
        return None  # no log among the data; the parameter check reports it
    try:
        logs = arguments.out / "_logs"
        logs.mkdir(parents=True, exist_ok=True)
        path = logs / f"{dt.datetime.now():%Y%m%dT%H%M%S}-{os.getpid()}.log"
        handler = logging.FileHandler(path, encoding="utf-8")
    except OSError:
        return None  # an unwritable --out is reported by the parameter check
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)
    return path


class _Progress:
    """A progress bar on a terminal, plain log lines otherwise (cron, systemd, CI). The runner calls start() with the
    number of reports once the provinces are resolved, then done() with each outcome."""

    def __init__(self, arguments: argparse.Namespace):
        self.interactive = not arguments.quiet and sys.stderr.isatty()
        self.total, self.count, self.bar = 0, 0, None

    def start(self, total: int) -> None:
        self.total = total
        if self.interactive and total > 1:
            from rich.progress import Progress

            self.bar = Progress(transient=True)
            self.task = self.bar.add_task("reports", total=total)
            self.bar.start()

    def done(self, outcome) -> None:
        self.count += 1
        state = "failed" if outcome.error else "up to date" if outcome.skipped else f"done in {outcome.seconds:.1f} s"
        name = outcome.name or outcome.code
        logging.getLogger("parsipas").info("[%d/%d] %s: %s", self.count, self.total, name, state)
        if self.bar:
            self.bar.advance(self.task)

    def stop(self) -> None:
        if self.bar:
            self.bar.stop()


def _processed_tables(params) -> tuple[Path, dict]:
    """For a listing: the processed folder and its tables, cleaned first if needed under its lock; no kernel."""
    from parsipas import clean
    from parsipas.core.locking import processed_lock

    processed = Path(params.processed).resolve()
    with processed_lock(processed, params.wait):
        clean.prepare(Path(params.raw).resolve(), processed)
        return processed, clean.load(processed)


def _list_provinces(params) -> None:
    """--list-provinces: what an analyst can ask a report for. Cleans the data if needed; starts no kernel."""
    from parsipas.analyse.analysis import province_listing
    from parsipas.run.parameters import check, report_places

    places = report_places(params)
    check(params, places)
    processed, tables = _processed_tables(params)
    listing, known = province_listing(tables, places.provinces, params.year)
    print(f"Published figures for {params.year} ({processed}); '-' = not published, fields = PAR fields known")
    _print_table(listing.reset_index())
    print(f"{known}/{len(listing)} provinces have a figure for {params.year}")


def _print_table(table) -> None:
    """Columns aligned, one row a line, the header first."""
    widths = {column: max(len(column), *table[column].str.len()) for column in table}
    for cells in [list(table.columns), *table.itertuples(index=False)]:
        print("  ".join(str(cell).ljust(widths[column]) for column, cell in zip(table.columns, cells)).rstrip())


def _list_units(params) -> None:
    """--list-units --unit-set SET: the units a report can be asked for. Cleans the data if needed; no kernel."""
    from parsipas.analyse import internal_analysis
    from parsipas.run import subjects
    from parsipas.run.parameters import check_run

    check_run(params)
    processed, tables = _processed_tables(params)
    subjects.check_unit_set(tables, params.unit_set)
    year = params.year or subjects.default_years(tables, params.unit_set)[0]
    listing = subjects.unit_listing(tables, params.unit_set, year)
    years = ", ".join(map(str, internal_analysis.years_with_results(tables, params.unit_set))) or "none"
    print(f"Units of {params.unit_set} valid in {year} ({processed}); results = the year has the unit's score; "
          f"years with results: {years}")
    if len(listing):
        _print_table(listing)
    with_results = int((listing["results"] == "yes").sum())
    print(f"{len(listing)} units; {with_results} with results for {year}")


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(sys.argv[1:] if argv is None else argv)
    handlers = list(logging.getLogger().handlers)
    log_file = _logging(arguments)
    signals = _stop_on_signals()
    try:
        with _reading_options(arguments):
            return _run(arguments, log_file)
    finally:
        for signum, handler in signals.items():  # main() may be called again in-process
            signal.signal(signum, handler)
        for handler in set(logging.getLogger().handlers) - set(handlers):
            logging.getLogger().removeHandler(handler)
            handler.close()


def _stop_on_signals() -> dict:
    """SIGTERM and SIGINT stop the run cleanly (runner.Stopped); returns the handlers they replace. Only the main
    thread may set handlers: elsewhere (main() called from a thread) the defaults stay."""
    import threading

    if threading.current_thread() is not threading.main_thread():
        return {}
    from parsipas.run.runner import Stopped

    def stop(signum, _frame):
        for each in (signal.SIGTERM, signal.SIGINT):
            signal.signal(each, signal.SIG_IGN)  # a second signal does not interrupt the cleaning up
        raise Stopped(signum)

    return {signum: signal.signal(signum, stop) for signum in (signal.SIGTERM, signal.SIGINT)}


def _reading_options(arguments: argparse.Namespace):
    """--accept-external-links for every file the run reads (imported only when given: an unchanged rerun stays
    fast)."""
    if not arguments.accept_external_links:
        return contextlib.nullcontext()
    from parsipas.ingest.official_files import accepting_external_links

    return accepting_external_links()


def _run(arguments: argparse.Namespace, log_file: Path | None) -> int:
    log = logging.getLogger("parsipas")
    from parsipas.core.errors import InputError
    from parsipas.core.locking import Busy
    from parsipas.run.parameters import RunParameters
    from parsipas.run.runner import Stopped, run
    from parsipas.run.worker import StepFailed

    params = RunParameters(province=arguments.province, year=arguments.year, base_year=arguments.base_year,
                           target_rank=arguments.target_rank, lang=arguments.lang,
                           formats=tuple(f.strip() for f in arguments.formats.split(",") if f.strip()),
                           out=arguments.out, raw=arguments.raw, processed=arguments.processed,
                           notebooks=arguments.notebooks, workers=arguments.workers, wait=arguments.wait,
                           force=arguments.force, unit_set=arguments.unit_set, unit=arguments.unit or OVERVIEW)
    progress = _Progress(arguments)
    try:
        if arguments.list_provinces:
            _list_provinces(params)
            return EXIT_OK
        if arguments.list_units:
            _list_units(params)
            return EXIT_OK
        outcomes = run(params, progress)
    except InputError as error:
        log.error("bad input: %s", error)
        return EXIT_BAD_INPUT
    except Busy as error:
        log.error("locked: %s", error)
        return EXIT_LOCKED
    except StepFailed as error:
        log.error("failed: %s%s", error, f" (log: {log_file})" if log_file else "")
        return EXIT_FAILED
    except Stopped as stop:
        log.error("stopped: %s%s", stop, f" (log: {log_file})" if log_file else "")
        return EXIT_STOPPED + stop.signum
    finally:
        progress.stop()
    for outcome in outcomes:
        log.info("report %s: %s", "up to date" if outcome.skipped else "published", outcome.folder)
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
