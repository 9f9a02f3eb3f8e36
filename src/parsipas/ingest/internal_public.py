"""The published pieces of a province's own index of its units (data/raw/public/internal_index.csv) as figures.

The public record names units and groups in words and gives only a few figures per group (the first and the last
unit), so this module reads them as they stand, one row per published figure, and leaves matching them to an
analyst's unit list to cleaning. Each figure keeps its source and the raw line it came from, like sources.py does for
the provinces' figures. A row that is not a unit's figure of the index (a group's average, flagged group_average;
one criterion of a unit's survey, named in `criterion`; a row stating no figure) is set aside with the reason.
One unit set per province (its slug, e.g. hai-phong); a set with no analyst unit list is defined by these rows alone.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from parsipas.core import paths
from parsipas.core.errors import InputError
from parsipas.ingest.provinces import Gazetteer
from parsipas.ingest.reference import read_commented_csv
from parsipas.ingest.schemas import UNUSED_COLUMNS, RawRef, validate_figures
from parsipas.ingest.sources import Loaded, cell_number, province_of

FILE = "internal_index.csv"
RAW_FILE = f"public/{FILE}"
COLUMNS = ["year", "unit_set", "province_code", "indicator", "measure", "value", "group_name", "group_size",
           "unit_name", "source_id", "raw_file", "raw_line"]
REQUIRED = ["year", "province", "unit_set", "indicator", "group", "group_size", "unit", "score_pct", "rank",
            "source_id"]
INDICATORS = ["PAR", "SIPAS"]  # the province's own PAR index and its own satisfaction survey
# Each figure column of the raw file and the measure it gives.
MEASURE_OF = {"score_pct": "pct_of_max", "rank": "rank"}

# A size below 1 is reported by its own column check, not as every rank of its group being too high.
_RANK_WITHIN_GROUP = pa.Check(
    lambda f: (f["measure"] != "rank")
    | (f["value"].ge(1) & (f["value"] % 1 == 0)
       & (f["group_size"].isna() | f["group_size"].lt(1) | f["value"].le(f["group_size"]))),
    error="a rank is a whole number from 1 to the group's stated size")
_PCT_0_TO_100 = pa.Check(lambda f: (f["measure"] != "pct_of_max") | f["value"].between(0, 100),
                         error="a percentage lies between 0 and 100")

# Declared once so the rules read as a list; raw_column only locates a failure and is dropped afterwards.
SCHEMA = pa.DataFrameSchema(
    {
        "year": pa.Column(int, pa.Check.in_range(2010, 2030)),
        "unit_set": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9-]+$")),
        "province_code": pa.Column(str),
        "indicator": pa.Column(str, pa.Check.isin(INDICATORS)),
        "measure": pa.Column(str, pa.Check.isin(list(MEASURE_OF.values()))),
        "value": pa.Column(float),
        "group_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "group_size": pa.Column(float, pa.Check(lambda s: s.ge(1) & (s % 1 == 0),
                                                error="a group size is a whole number from 1"), nullable=True),
        "unit_name": pa.Column(str, pa.Check.str_length(min_value=1)),
        "source_id": pa.Column(str, pa.Check.str_length(min_value=1)),
        "raw_file": pa.Column(str),
        "raw_line": pa.Column(int),
        "raw_column": pa.Column(str),
    },
    checks=[_PCT_0_TO_100, _RANK_WITHIN_GROUP],
)


def _year(ref: RawRef, text: str) -> int:
    if not text.isdigit():
        raise InputError(ref.file, "a year must be a whole number", row=ref.line, column="year", found=text,
                         expected="a year such as 2018")
    return int(text)


def set_aside(row: pd.Series) -> str | None:
    """Why a row gives no figure of a unit's index, or None."""
    if "group_average" in row.get("flags", "").split(";"):
        return f"a group's average ({row['group']}, {row['indicator']}), not a unit's figure"
    if row.get("criterion", ""):
        return f"one criterion of the unit's survey ({row['criterion']}), not its index"
    if not row["score_pct"] and not row["rank"]:
        return "no figure stated (the unit is named only)"
    return None


def load(public_dir: Path = paths.RAW / "public", reference_dir: Path = paths.REFERENCE) -> pd.DataFrame:
    """One row per published figure of internal_index.csv (score in % as pct_of_max, rank within the group)."""
    return read(public_dir, reference_dir).figures


def read(public_dir: Path = paths.RAW / "public", reference_dir: Path = paths.REFERENCE) -> Loaded:
    """The figures of load() and the rows set aside (set_aside). Without the file both are empty frames with their
    columns, so cleaning works the same for a checkout that lacks it."""
    path = Path(public_dir) / FILE
    if not path.is_file():
        return Loaded(_typed(pd.DataFrame(columns=COLUMNS)), pd.DataFrame(columns=UNUSED_COLUMNS))
    shown = paths.shown(path)
    frame = read_commented_csv(path)  # every cell NFC-normalised, white space folded
    missing = [column for column in REQUIRED if column not in frame.columns]
    if missing:
        raise InputError(shown, "a required column is missing", row=1, column=missing[0],
                         expected=", ".join(REQUIRED))
    gazetteers: dict[int, Gazetteer] = {}
    figures, unused = [], []
    for i, row in frame.iterrows():
        ref = RawRef(shown, i + 2)  # the header is line 1, as sources.py counts
        if (reason := set_aside(row)) is not None:
            unused.append(dict(**ref.columns(), reason=reason))
            continue
        year = _year(ref, row["year"])
        group_size = cell_number(ref, "group_size", row["group_size"])
        common = dict(year=year, unit_set=row["unit_set"], indicator=row["indicator"], group_name=row["group"],
                      group_size=group_size, unit_name=row["unit"], source_id=row["source_id"],
                      raw_file=RAW_FILE, raw_line=ref.line)
        stated = {column: cell_number(ref, column, row[column]) for column in MEASURE_OF}
        common["province_code"] = province_of(ref, row["province"], year, gazetteers, Path(reference_dir))
        figures += [dict(common, measure=MEASURE_OF[column], value=value, raw_column=column)
                    for column, value in stated.items() if value is not None]
    figures = _typed(pd.DataFrame(figures, columns=[*COLUMNS, "raw_column"]))
    # validate_figures names the raw file by raw_file; point it at the file as read, then give back the short name.
    located = figures.assign(raw_file=shown)
    validate_figures(located, SCHEMA)
    return Loaded(figures[COLUMNS], pd.DataFrame(unused, columns=UNUSED_COLUMNS))


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Fixed dtypes, so an empty frame and a full one concatenate and compare alike."""
    types = {column: "str" for column in frame.columns} | {"year": int, "value": float, "group_size": float,
                                                           "raw_line": int}
    return frame.astype(types)
