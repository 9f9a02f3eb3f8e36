"""What a run is asked to do, and the checks made on it before anything runs: every bad argument is named with
what was expected (exit code 2), before a lock is taken or a kernel started."""

from __future__ import annotations

import datetime as dt
import json
import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from parsipas.core import defaults, paths
from parsipas.core.errors import InputError

log = logging.getLogger(__name__)

FILES = {"html": "report.html", "pdf": "report.pdf", "docx": "report.docx"}
FORMATS = tuple(FILES)
REPORT_NOTEBOOKS = ("02_compare", "03_report")  # one province: the analyst's comparison is kept beside the report
BATCH_NOTEBOOKS = ("03_report",)                 # a batch of provinces: the report notebook only


@dataclass(frozen=True)
class RunParameters:
    province: str = defaults.PROVINCE
    year: int | None = defaults.YEAR  # None (unit sets only): the set's latest year with results
    base_year: int | None = None      # None: each province's (or unit set's) latest earlier year with figures
    target_rank: int | None = None    # None: the target on record for the province and year, if any
    lang: str = defaults.LANG
    formats: tuple[str, ...] = defaults.FORMATS
    out: Path = paths.REPORTS
    raw: Path = paths.RAW
    processed: Path = paths.PROCESSED
    notebooks: Path = paths.NOTEBOOKS
    workers: int = defaults.WORKERS
    wait: float = defaults.WAIT
    force: bool = False
    produced: str = field(default_factory=lambda: dt.date.today().isoformat())
    unit_set: str | None = None       # a province's own index: its units' reports instead of the Ministry's report
    unit: str = "overview"            # with unit_set: overview, all, or unit codes or names separated by commas


def report_folder(params: RunParameters, folder: str) -> Path:
    """One folder per subject, year and language: a report in one language never replaces the other's. folder is the
    subject's (a province's slug, or internal/<set>/<unit folder>)."""
    return Path(params.out) / str(params.year) / folder / params.lang


def years_on_record(raw: Path) -> set[int]:
    """Years whose methodology is recorded (decisions.csv), and years whose official tables are in the raw folder:
    reading those refuses a table that does not state its maxima."""
    from parsipas.ingest import reference
    from parsipas.ingest.official_kinds import KINDS

    folder = Path(raw) / "official"
    names = [path.name.lower() for path in folder.iterdir()] if folder.is_dir() else []
    stated = {int(match["year"]) for name in names for kind in KINDS.values() if (match := kind.file_name.match(name))}
    return set(reference.decisions().index) | stated


def report_places(params: RunParameters):
    """The gazetteer of the units the report year ranks (2025: the 34 units), once the years are known good."""
    from parsipas.ingest.provinces import Gazetteer

    years = sorted(years_on_record(params.raw))
    if params.year not in years or params.base_year not in [*years, None]:
        raise InputError("command line", "no methodology is recorded for that year", option="--year/--base-year",
                         found=(params.year, params.base_year), expected=f"years {years[0]}-{years[-1]}")
    if params.base_year is None and years[0] == params.year:
        raise InputError("command line", "no year before the report year is on record to compare with",
                         option="--year", found=params.year, expected=f"a year after {years[0]}, or give --base-year")
    return Gazetteer(year=params.year)


def check(params: RunParameters, places) -> list[str]:
    """Validate the parameters before anything runs; returns the province codes. places: report_places(params)."""
    from parsipas.ingest.provinces import UnknownName, unit_count

    check_run(params)
    last = unit_count(params.year)
    if params.target_rank is not None and not 1 <= params.target_rank <= last:
        raise InputError("command line",
                         f"the target rank is a place among {last} provinces (those {params.year} ranks)",
                         option="--target-rank", found=params.target_rank, expected=f"1-{last}")
    if params.province.strip().lower() == "all":
        return list(places.provinces.index)
    codes = []
    for name in params.province.split(","):
        try:
            code, merged = places.resolve(name.strip())  # a predecessor's name gives its successor, and says so
        except UnknownName as error:
            raise InputError("command line", str(error), option="--province", found=name,
                             expected="province names in any spelling or 2-digit codes, separated by commas, "
                                      "or all") from None
        if merged:
            log.warning(merged)
        codes.append(code)
    return list(dict.fromkeys(codes))


def check_run(params: RunParameters) -> None:
    """The checks every run makes, whatever its reports are about: language, formats, workers and folders."""
    from parsipas.core.messages import LANGUAGES

    if params.year is not None and params.base_year is not None and params.base_year >= params.year:
        raise InputError("command line", "the base year must come before the report year", option="--base-year",
                         found=params.base_year, expected=f"a year before {params.year}")
    if params.lang not in LANGUAGES:
        raise InputError("command line", "unknown language", option="--lang", found=params.lang,
                         expected=" or ".join(LANGUAGES))
    unknown = [f for f in params.formats if f not in FORMATS]
    if unknown or not params.formats:
        raise InputError("command line", "unknown output format", option="--formats", found=",".join(params.formats),
                         expected="a comma-separated list of " + ", ".join(FORMATS))
    if params.workers < 1:
        raise InputError("command line", "the number of worker processes is out of range", option="--workers",
                         found=params.workers, expected="1 or more (more than the cores are capped to their number)")
    check_out_not_in_data(Path(params.out), Path(params.raw), Path(params.processed))
    for option, folder in (("--out", params.out), ("--processed", params.processed)):
        _check_writable(option, Path(folder))
    if not Path(params.raw).is_dir():
        raise InputError("command line", "the raw data folder does not exist", option="--raw", found=str(params.raw),
                         expected="a folder with public/, official/ and/or internal/ (default data/raw)")


def check_out_not_in_data(out: Path, raw: Path, processed: Path) -> None:
    """Reports written among the data would be hashed as input, and a clean of processed/ would delete them."""
    for option, data in (("--raw", raw), ("--processed", processed), ("--raw", paths.RAW),
                         ("--processed", paths.PROCESSED)):
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
