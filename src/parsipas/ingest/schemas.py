"""The shared column contract and declared validation schemas; a failure is reported against the raw file, row and
column it came from."""

from __future__ import annotations

import re
from typing import NamedTuple

import pandas as pd
import pandera.pandas as pa

from parsipas.core.errors import InputError, InputErrors
from parsipas.ingest.reference import par_fields

# Every figure read, from the public record or an official table, is a row of FIGURE_COLUMNS; raw_file and raw_line
# say where it stands in data/raw (the file as shown in messages, its 1-based line or spreadsheet row).
FIGURE_COLUMNS = ["year", "area_code", "indicator", "measure", "value", "max_points_stated", "source_id",
                  "is_official", "raw_file", "raw_line", "raw_column"]
UNUSED_COLUMNS = ["raw_file", "raw_line", "reason"]
CRITERIA_COLUMNS = ["year", "province_code", "indicator", "code", "level", "name_vi", "max_points", "source_id",
                    "raw_file", "raw_line"]
# Links supplied beside the scorecards: which old criterion became which new one, and which agency answers for each.
CROSSWALK_COLUMNS = ["province_code", "old_year", "old_code", "new_year", "new_code", "relation", "raw_file",
                     "raw_line"]
RESPONSIBILITY_COLUMNS = ["province_code", "year", "code", "lead_agency", "supporting_agencies", "raw_file",
                          "raw_line"]
MAXIMA_COLUMNS = ["year", "indicator", "max_points", "source_id", "raw_file", "raw_line"]


class RawRef(NamedTuple):
    """Where a raw row stands: the file as shown in messages and its 1-based line (spreadsheet row)."""

    file: str
    line: int

    def columns(self) -> dict[str, object]:
        return {"raw_file": self.file, "raw_line": self.line}


MEASURES = ["points", "pct_of_max", "percent", "rank", "points_lost", "self_assessed"]
PAR_FIELDS = par_fields()  # the fields of the PAR INDEX, from data/reference/indicators.csv
FIELD_NUMBER = f"(?:{'|'.join(re.escape(f.removeprefix('PAR.F')) for f in PAR_FIELDS)})"  # a field's number: '3'
CRITERION_CODE = rf"PAR\.F{FIELD_NUMBER}(?:\.\d+)+"  # a scorecard criterion under its field, e.g. PAR.F3.1.2
STATISTICS = ["mean", "max", "min", "count_above_80", "count_above_90", "count_below_80", "count_group_a",
              "count_group_b", "count_group_c", "count_above_mean", "count_declined", "count_rose", "largest_increase"]

_SHARE_IS_0_TO_100 = pa.Check(lambda f: ~f["measure"].isin(["pct_of_max", "percent"]) | f["value"].between(0, 100),
                              error="a percentage lies between 0 and 100", title="a percentage outside 0 to 100")
_POINTS_WITHIN_MAX = pa.Check(lambda f: ~f["measure"].isin(["points", "points_lost", "self_assessed"])
                              | f["max_points"].isna()
                              | f["value"].between(0, f["max_points"].fillna(0) + 1e-9),
                              error="points lie between 0 and that year's maximum for the indicator",
                              title="points above the indicator's maximum (or below zero)")
_STATED_MAX_AGREES = pa.Check(lambda f: f["max_points_stated"].isna() | f["reference_max"].isna()
                              | (f["max_points_stated"] - f["reference_max"]).abs().lt(1e-9),
                              error="the maximum stated in the row differs from data/reference/max_points.csv",
                              title="the row states another maximum than the published one")


def _rank_within(unit_counts: dict[int, int]) -> pa.Check:
    """A rank is a place among the units its year ranks (unit_counts, from data/reference/unit_sets.csv)."""
    def check(f: pd.DataFrame) -> pd.Series:
        last = f["year"].map(unit_counts)
        return (f["measure"] != "rank") | (f["value"].ge(1) & f["value"].le(last) & (f["value"] % 1 == 0))
    return pa.Check(check, error="a rank is a whole number from 1 to the number of provinces the year ranks",
                    title="a rank that is not a place among the year's provinces")


def _area_of_year(units_by_year: dict[int, frozenset[str]], other_areas: list[str]) -> pa.Check:
    """A province's code must belong to the set its year ranks; the nation and regions are in every year."""
    def check(f: pd.DataFrame) -> pd.Series:
        in_set = [code in units_by_year.get(year, frozenset()) for year, code in zip(f["year"], f["area_code"])]
        return pd.Series(in_set, index=f.index) | f["area_code"].isin(other_areas)
    return pa.Check(check, error="area_code: a province of the year's set (data/reference/unit_sets.csv), the nation "
                                 "or a region", title="a province that the year does not rank")


def figures_schema(units_by_year: dict[int, frozenset[str]], other_areas: list[str],
                   indicators: list[str]) -> pa.DataFrameSchema:
    """Every published figure before conflicts are resolved (one row per raw cell). units_by_year: the codes each
    year of the figures ranks (provinces.units); other_areas: the nation and the regions."""
    return pa.DataFrameSchema(
        {
            "year": pa.Column(int, pa.Check.in_range(2010, 2030, title="a year outside 2010-2030")),
            "area_code": pa.Column(str),
            "indicator": pa.Column(str, pa.Check(lambda s: s.isin(indicators) | s.str.fullmatch(CRITERION_CODE),
                                                 error="an indicator of indicators.csv or a criterion code",
                                                 title="an unknown indicator")),
            "measure": pa.Column(str, pa.Check.isin(MEASURES + STATISTICS, title="an unknown measure")),
            "value": pa.Column(float, pa.Check.ge(0, title="a negative value")),
            "max_points": pa.Column(float, nullable=True),
            "source_id": pa.Column(str),
            "is_official": pa.Column(bool),
            "raw_file": pa.Column(str),
            "raw_line": pa.Column(int),
            "raw_column": pa.Column(str),
        },
        checks=[_area_of_year(units_by_year, other_areas),
                _rank_within({year: len(codes) for year, codes in units_by_year.items()}), _SHARE_IS_0_TO_100,
                _POINTS_WITHIN_MAX, _STATED_MAX_AGREES],
    )


RESOLVED_KEY = ["year", "area_code", "indicator", "measure"]

def resolved_schema(key_columns: list[str] = RESOLVED_KEY) -> pa.DataFrameSchema:
    """After the conflict rule: one value per key."""
    return pa.DataFrameSchema({"value": pa.Column(float)}, unique=key_columns, report_duplicates="all")


def validate_figures(figures: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Validate and turn every failure into an InputError naming the rule broken, then the raw file, row and column;
    all of them are raised together (InputErrors)."""
    try:
        return schema.validate(figures, lazy=True)
    except pa.errors.SchemaErrors as errors:
        faults = []
        cases = errors.failure_cases.dropna(subset=["index"]).drop_duplicates(["index", "check"])
        for failure in cases.itertuples(index=False):
            row = figures.loc[failure.index]
            about_value = failure.schema_context == "DataFrameSchema" or failure.column == "value"
            expected = str(failure.check)
            if row["measure"] in ("points", "points_lost", "self_assessed") and pd.notna(row.get("max_points")):
                expected += f" (maximum {row['max_points']:g} for {row['indicator']} in {row['year']})"
            faults.append(InputError(
                row["raw_file"], _problem(schema, failure, str(failure.check)),
                row=int(row["raw_line"]), column=row["raw_column"] if about_value else failure.column,
                found=float(row["value"]) if about_value else failure.failure_case, expected=expected))
        raise (InputErrors(faults) if len(faults) > 1 else faults[0]) from None


def _declared(schema: pa.DataFrameSchema, failure) -> pa.Check | None:
    """The declared check a failure case comes from (its title says what is wrong, its error what was expected);
    None for a built-in check (type, uniqueness)."""
    number = failure.check_number
    if number is None or pd.isna(number):
        return None
    checks = schema.checks if failure.schema_context == "DataFrameSchema" else schema.columns[failure.column].checks
    return checks[int(number)]


def _problem(schema: pa.DataFrameSchema, failure, expected: str) -> str:
    """What is wrong, cause first: the check's title, else the rule it expected."""
    declared = _declared(schema, failure)
    return (declared.title if declared is not None else None) or f"a value is not {expected}"


def _plain(value: object) -> object:
    """A failing value as the analyst typed it: 25 rather than 25.0, nothing for an empty cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) or hasattr(value, "item"):
        value = float(value)
        return int(value) if value.is_integer() else value
    return value


# What one row of a table is, for a message about a key given twice (the default: a province).
ROW_NOUNS = {"code": "criterion", "unit_code": "unit", "criterion_code": "criterion of a unit"}
ACROSS_ROWS = "across_rows"  # the name of a check that compares rows with each other (a rank with the others' totals)


def _rows_listed(rows: list[int]) -> str:
    shown = [str(r) for r in rows]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + f" and {shown[-1]}"


def _duplicates(frame: pd.DataFrame, target: str, shown: str, file: str, columns: dict[str, str]) -> list[InputError]:
    """A key given on several rows: each later row names the key as written and every row that gives it."""
    noun = ROW_NOUNS.get(target, "province")
    faults = []
    for _, rows in frame[frame[target].duplicated(keep=False) & frame[target].notna()].groupby(target, sort=False):
        lines = [int(r) + 1 for r in rows["_row"]]
        names = list(dict.fromkeys(str(_plain(v)) for v in rows[shown]))
        named = " / ".join(f"'{n}'" for n in names)
        times = "twice" if len(lines) == 2 else f"{len(lines)} times"
        for line, value in zip(lines[1:], rows[shown].iloc[1:]):
            faults.append(InputError(file, f"the {noun} {named} is listed {times}, on rows {_rows_listed(lines)}",
                                     row=line, column=columns.get(shown), found=_plain(value),
                                     expected=f"each {noun} on one row only (also on row {lines[0]})"))
    return faults


def _located(cases: pd.DataFrame, frame: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Each failure of a cell or a row once, with the column it is about (target: a check across columns names it
    first in its error), its spreadsheet row and its priority (the order of the schema's columns)."""
    across = cases["schema_context"].eq("DataFrameSchema")
    cases = cases.assign(
        target=cases["column"].where(~across, cases["check"].astype(str).str.split(": ", n=1).str[0]),
        row=frame.loc[cases["index"], "_row"].to_numpy()).drop_duplicates(["index", "check"])
    priority = {name: k for k, name in enumerate(schema.columns)}
    return cases.assign(priority=cases["target"].map(priority).fillna(len(priority)))


def table_faults(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str, header_row: int,
                 columns: dict[str, str], key: str | None = None) -> list[InputError]:
    """Every failure of one table as read (a wide frame whose _row is the 0-based spreadsheet row), each an InputError
    naming the rule broken (the check's title), then the file's row and column; columns maps a target to its column
    as shown, key the column naming a row in a message listing rows.

    A check across columns (its error starts with the column it is about) that fails where an earlier column of the
    schema (the declared priority: the key, each figure before a figure computed from it, the rank last) has already
    failed in the same row, or where its own column failed a check of its own, is a symptom and is left out: a total
    that is not the sum of its fields is named, not the rank that disagrees with it. A check across rows (named
    ACROSS_ROWS: a rank against every other total) is left out when an earlier column failed anywhere in the table,
    and otherwise lists every row concerned in one fault."""
    try:
        schema.validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as errors:
        every = errors.failure_cases
    whole = every[every["index"].isna()]
    if not whole.empty:  # a failure of a whole column (its type): no row to point at
        failure = whole.iloc[0]
        return [InputError(file, "a column could not be read as its kind of value", row=header_row,
                           column=columns.get(str(failure["column"]), str(failure["column"])),
                           expected=str(failure["check"]))]
    cases = _located(every.dropna(subset=["index"]), frame, schema)
    first_failure = cases.groupby("row")["priority"].min()
    own = cases[~cases["schema_context"].eq("DataFrameSchema")]
    own_failed = set(zip(own["row"], own["priority"]))  # a cell that failed a check of its own column
    faults: list[InputError] = []
    for (target, check), group in cases.groupby(["target", "check"], sort=False):
        failure = group.iloc[0]
        shown = "province" if target == "province_code" else target
        if check == "field_uniqueness":
            faults += _duplicates(frame, target, shown, file, columns)
            continue
        expected = str(check).split(": ", 1)[1] if failure["schema_context"] == "DataFrameSchema" else str(check)
        problem = _problem(schema, failure, expected)
        if failure["schema_context"] == "DataFrameSchema":
            if getattr(_declared(schema, failure), "name", None) == ACROSS_ROWS:
                if (cases["priority"] < failure["priority"]).any():
                    continue
                group = group[[(r, failure["priority"]) not in own_failed for r in group["row"]]].sort_values("row")
                if group.empty:
                    continue
                rows = frame.loc[group["index"]]
                found = "; ".join(f"row {int(r['_row']) + 1}{f' {_plain(r[key])}' if key in r else ''}: "
                                  f"{shown} {_plain(r.get(shown))}" for _, r in rows.iterrows())
                faults.append(InputError(file, f"{problem} ({len(rows)} rows)", row=int(rows["_row"].iloc[0]) + 1,
                                         column=columns.get(shown), found=found, expected=expected))
                continue
            group = group[(first_failure.reindex(group["row"]).to_numpy() >= group["priority"].to_numpy())
                          & [(r, p) not in own_failed for r, p in zip(group["row"], group["priority"])]]
        for failure in group.itertuples(index=False):
            row = frame.loc[failure.index]
            faults.append(InputError(file, problem, row=int(row["_row"]) + 1, column=columns.get(shown),
                                     found=_plain(row.get(shown, failure.failure_case)), expected=expected))
    return sorted(faults, key=InputError.sort_key)


def validate_table(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str, header_row: int,
                   columns: dict[str, str], key: str | None = None) -> None:
    """Validate one table as read and raise every fault at once (table_faults)."""
    faults = table_faults(frame, schema, file, header_row, columns, key)
    if faults:
        raise InputErrors(faults) if len(faults) > 1 else faults[0]
