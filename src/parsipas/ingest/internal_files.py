"""The analyst's files of a province's own index, in data/raw/internal/: reading and validating them.

Three kinds of file (CSV or XLSX, read like the official tables: official_files reads the cells, official_header finds
the header, wherever it stands, with its spellings in data/reference/official_headers.csv):
- units_<set>[_labels]: the set's unit list (code, name, group, province, valid from/to);
- results_<year>_<set>[_labels]: one row per unit, the province's own fields (header "<code>. <name>", their maxima in
  a row "Điểm tối đa", the Ministry field each answers to in an optional row "Lĩnh vực của Bộ"), the total, the
  percent of the maximum and the rank in the group;
- criteria_<year>_<set>[_labels]: criterion scorecards of any number of units, one row per unit and criterion.
<set> is a slug such as khanh-hoa; labels such as _synthetic are ignored. templates/internal/README.md shows the
layouts. Every check is a declared pandera schema (units_schema, results_schema, criteria_schema); every failure is an
InputError naming the file, the spreadsheet row, the column (letter and header) and what was expected, and every
fault of every file is listed at once (errors.Faults). A results file alone is enough (the province's own export):
without a unit list its rows make the set's units (internal_units.derived_units), and without a rank column the ranks
are computed from the totals within each group.

One module per job: internal_sheets (what every file shares, the reading state), internal_vocabulary (a results
sheet's headers: known columns, fields, unknown ones), internal_units (the unit list and each unit's validity over
time), internal_results (a year's results and their checks), internal_criteria (criterion scorecards); this one finds
the files and reads them in order.
"""

from __future__ import annotations

import re
from pathlib import Path

from parsipas.core import paths
from parsipas.core.errors import Faults, InputError
from parsipas.ingest.internal_criteria import read_criteria
from parsipas.ingest.internal_results import read_results
from parsipas.ingest.internal_sheets import FileRef, InternalFiles, Reader
from parsipas.ingest.internal_units import read_units

FILE_NAMES = {
    "units": re.compile(r"^units_(?P<set>[a-z0-9-]+)(?P<labels>(?:_[a-z0-9-]+)*)\.(?:csv|xlsx)$"),
    "results": re.compile(r"^results_(?P<year>\d{4})_(?P<set>[a-z0-9-]+)(?P<labels>(?:_[a-z0-9-]+)*)\.(?:csv|xlsx)$"),
    "criteria": re.compile(r"^criteria_(?P<year>\d{4})_(?P<set>[a-z0-9-]+)(?P<labels>(?:_[a-z0-9-]+)*)\.(?:csv|xlsx)$"),
}
EXAMPLES = "units_<set>.csv, results_<year>_<set>.csv or criteria_<year>_<set>.csv (.xlsx too; see templates/internal/)"
READERS = {"units": read_units, "results": read_results, "criteria": read_criteria}


def _files(internal_dir: Path, faults: Faults) -> list[FileRef]:
    refs = []
    candidates = sorted(p for p in internal_dir.glob("*") if p.is_file() and not p.name.startswith((".", "~$"))
                        and p.name != "README.md") if internal_dir.is_dir() else []
    for path in candidates:
        kind, match = next(((k, m) for k, pattern in FILE_NAMES.items() if (m := pattern.match(path.name.lower()))),
                           (None, None))
        if match is None:
            faults.add(InputError(paths.shown(path), "the file name does not say what the table is",
                                  column="file name", found=path.name, expected=EXAMPLES))
            continue
        year = int(match["year"]) if "year" in match.groupdict() else None
        refs.append(FileRef(path, kind, match["set"], year, match["labels"].strip("_").split("_")))
    order = {"units": 0, "results": 1, "criteria": 2}
    return sorted(refs, key=lambda r: (order[r.kind], r.unit_set, r.year or 0, r.path.name))


def read_internal(internal_dir: Path, reference_dir: Path = paths.REFERENCE) -> InternalFiles:
    """Every analyst file of data/raw/internal/ (none when the folder is absent), read and validated: unit lists
    first, then results, then criteria (each needs the one before)."""
    reader = Reader(Path(reference_dir))
    faults, failed = Faults(), set()
    for ref in _files(Path(internal_dir), faults):
        needs = {"units": [], "results": [(ref.unit_set, None)], "criteria": [(ref.unit_set, None),
                                                                              (ref.unit_set, ref.year)]}[ref.kind]
        if failed & set(needs):  # a file whose unit list or results could not be read is not checked against them
            continue
        with faults.collect():
            try:
                READERS[ref.kind](reader, ref)
            except InputError:
                failed.add((ref.unit_set, ref.year))
                raise
    faults.raise_if_any()
    return reader.files
