"""The shared column contract and declared validation schemas; a failure is reported against the raw file, row and
column it came from."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
import pandera.pandas as pa

from .errors import InputError

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
PAR_FIELDS = tuple(f"PAR.F{k}" for k in range(1, 9))  # the eight fields of the PAR INDEX
CRITERION_CODE = r"PAR\.F[1-8](?:\.\d+)+"  # a scorecard criterion under its field, e.g. PAR.F3.1.2
STATISTICS = ["mean", "max", "min", "count_above_80", "count_above_90", "count_below_80", "count_group_a",
              "count_group_b", "count_group_c", "count_above_mean", "count_declined", "count_rose", "largest_increase"]

_SHARE_IS_0_TO_100 = pa.Check(lambda f: ~f["measure"].isin(["pct_of_max", "percent"]) | f["value"].between(0, 100),
                              error="a percentage lies between 0 and 100")
_POINTS_WITHIN_MAX = pa.Check(lambda f: ~f["measure"].isin(["points", "points_lost", "self_assessed"])
                              | f["max_points"].isna()
                              | f["value"].between(0, f["max_points"].fillna(0) + 1e-9),
                              error="points lie between 0 and that year's maximum for the indicator")
_STATED_MAX_AGREES = pa.Check(lambda f: f["max_points_stated"].isna() | f["reference_max"].isna()
                              | (f["max_points_stated"] - f["reference_max"]).abs().lt(1e-9),
                              error="the maximum stated in the row differs from data/reference/max_points.csv")


def _rank_within(unit_counts: dict[int, int]) -> pa.Check:
    """A rank is a place among the units its year ranks (unit_counts, from data/reference/unit_sets.csv)."""
    def check(f: pd.DataFrame) -> pd.Series:
        last = f["year"].map(unit_counts)
        return (f["measure"] != "rank") | (f["value"].ge(1) & f["value"].le(last) & (f["value"] % 1 == 0))
    return pa.Check(check, error="a rank is a whole number from 1 to the number of provinces the year ranks")


def _area_of_year(units_by_year: dict[int, frozenset[str]], other_areas: list[str]) -> pa.Check:
    """A province's code must belong to the set its year ranks; the nation and regions are in every year."""
    def check(f: pd.DataFrame) -> pd.Series:
        in_set = [code in units_by_year.get(year, frozenset()) for year, code in zip(f["year"], f["area_code"])]
        return pd.Series(in_set, index=f.index) | f["area_code"].isin(other_areas)
    return pa.Check(check, error="area_code: a province of the year's set (data/reference/unit_sets.csv), the nation "
                                 "or a region")


def figures_schema(units_by_year: dict[int, frozenset[str]], other_areas: list[str],
                   indicators: list[str]) -> pa.DataFrameSchema:
    """Every published figure before conflicts are resolved (one row per raw cell). units_by_year: the codes each
    year of the figures ranks (provinces.units); other_areas: the nation and the regions."""
    return pa.DataFrameSchema(
        {
            "year": pa.Column(int, pa.Check.in_range(2010, 2030)),
            "area_code": pa.Column(str),
            "indicator": pa.Column(str, pa.Check(lambda s: s.isin(indicators) | s.str.fullmatch(CRITERION_CODE),
                                                 error="an indicator of indicators.csv or a criterion code")),
            "measure": pa.Column(str, pa.Check.isin(MEASURES + STATISTICS)),
            "value": pa.Column(float, pa.Check.ge(0)),
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
    """Validate and turn the first failure into an InputError naming the raw file, row and column."""
    try:
        return schema.validate(figures, lazy=True)
    except pa.errors.SchemaErrors as errors:
        failure = errors.failure_cases.dropna(subset=["index"]).iloc[0]
        row = figures.loc[failure["index"]]
        about_value = failure["schema_context"] == "DataFrameSchema" or failure["column"] == "value"
        expected = str(failure["check"])
        if row["measure"] in ("points", "points_lost", "self_assessed") and pd.notna(row.get("max_points")):
            expected += f" (maximum {row['max_points']:g} for {row['indicator']} in {row['year']})"
        raise InputError(row["raw_file"], "a value failed validation", row=int(row["raw_line"]),
                         column=row["raw_column"] if about_value else failure["column"],
                         found=float(row["value"]) if about_value else failure["failure_case"],
                         expected=expected) from None


def _plain(value: object) -> object:
    """A failing value as the analyst typed it: 25 rather than 25.0, nothing for an empty cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) or hasattr(value, "item"):
        value = float(value)
        return int(value) if value.is_integer() else value
    return value


def _root_cause(cases: pd.DataFrame, schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.Series:
    """The failure to report when several checks fail. The schema's column order is the declared priority (the key,
    then each figure before a figure computed from it, the rank last: a total that is not the sum of its fields comes
    before a rank that disagrees with the totals); for one column its own checks come before checks across columns
    (whose error text starts with the column they are about); then the earliest row."""
    across = cases["schema_context"].eq("DataFrameSchema")
    target = cases["column"].where(~across, cases["check"].astype(str).str.split(": ", n=1).str[0])
    priority = {name: k for k, name in enumerate(schema.columns)}
    order = pd.DataFrame({"priority": target.map(priority).fillna(len(priority)).to_numpy(),
                          "across": across.to_numpy(), "row": frame.loc[cases["index"], "_row"].to_numpy()})
    return cases.iloc[order.sort_values(["priority", "across", "row"], kind="stable").index[0]]


# What one row of a table is, for a message about a key given twice (the default: a province).
ROW_NOUNS = {"code": "criterion", "unit_code": "unit", "criterion_code": "criterion of a unit"}


def validate_table(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str, header_row: int,
                   columns: dict[str, str]) -> None:
    """Validate one table as read (a wide frame whose _row is the 0-based spreadsheet row) and turn its root-cause
    failure into an InputError at the file's row and column; columns maps a target to its column as shown."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.dropna(subset=["index"])
        if cases.empty:  # a failure of a whole column (its type): no row to point at
            failure = errors.failure_cases.iloc[0]
            raise InputError(file, "a column failed validation", row=header_row,
                             column=str(failure["column"]), expected=str(failure["check"])) from None
        raise _fault(_root_cause(cases, schema, frame), frame, file, columns) from None


def _fault(failure: pd.Series, frame: pd.DataFrame, file: str, columns: dict[str, str]) -> InputError:
    """One failure case of validate_table or table_faults as an InputError at its file, row and column."""
    row = frame.loc[failure["index"]]
    if failure["schema_context"] == "DataFrameSchema":
        target, expected = str(failure["check"]).split(": ", 1)
    else:
        target, expected = failure["column"], str(failure["check"])
    if expected == "field_uniqueness":
        first = frame[frame[target] == row[target]]["_row"].min() + 1
        expected = f"each {ROW_NOUNS.get(target, 'province')} on one row only (also on row {first})"
    shown = "province" if target == "province_code" else target
    return InputError(file, "a value failed validation", row=int(row["_row"]) + 1, column=columns.get(shown),
                      found=_plain(row.get(shown, failure["failure_case"])), expected=expected)


def table_faults(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str, header_row: int,
                 columns: dict[str, str]) -> list[InputError]:
    """Every row's root-cause failure of one table (as validate_table chooses it, row by row), so that a file with
    many faults is fixed in one run."""
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.dropna(subset=["index"])
        if cases.empty:
            failure = errors.failure_cases.iloc[0]
            return [InputError(file, "a column failed validation", row=header_row, column=str(failure["column"]),
                               expected=str(failure["check"]))]
        return [_fault(_root_cause(row_cases, schema, frame), frame, file, columns)
                for _, row_cases in cases.groupby("index", sort=False)]
    return []
