"""Declared validation schemas; a failure is reported against the raw file, row and column it came from."""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

from .errors import InputError

MEASURES = ["points", "pct_of_max", "percent", "rank", "points_lost", "self_assessed"]
PAR_FIELDS = tuple(f"PAR.F{k}" for k in range(1, 9))  # the eight fields of the PAR INDEX
CRITERION_CODE = r"PAR\.F[1-8](?:\.\d+)+"  # a scorecard criterion under its field, e.g. PAR.F3.1.2
STATISTICS = ["mean", "max", "min", "count_above_80", "count_above_90", "count_below_80", "count_group_a",
              "count_group_b", "count_group_c", "count_above_mean", "count_declined", "count_rose", "largest_increase"]

_RANK_IS_1_TO_63 = pa.Check(lambda f: (f["measure"] != "rank") | (f["value"].between(1, 63) & (f["value"] % 1 == 0)),
                            element_wise=False, error="a rank is a whole number from 1 to 63")
_SHARE_IS_0_TO_100 = pa.Check(lambda f: ~f["measure"].isin(["pct_of_max", "percent"]) | f["value"].between(0, 100),
                              error="a percentage lies between 0 and 100")
_POINTS_WITHIN_MAX = pa.Check(lambda f: ~f["measure"].isin(["points", "points_lost", "self_assessed"]) | f["max_points"].isna()
                              | f["value"].between(0, f["max_points"].fillna(0) + 1e-9),
                              error="points lie between 0 and that year's maximum for the indicator")
_STATED_MAX_AGREES = pa.Check(lambda f: f["max_points_stated"].isna() | f["reference_max"].isna()
                              | (f["max_points_stated"] - f["reference_max"]).abs().lt(1e-9),
                              error="the maximum stated in the row differs from data/reference/max_points.csv")


def figures_schema(area_codes: list[str], indicators: list[str]) -> pa.DataFrameSchema:
    """Every published figure before conflicts are resolved (one row per raw cell)."""
    return pa.DataFrameSchema(
        {
            "year": pa.Column(int, pa.Check.in_range(2010, 2030)),
            "area_code": pa.Column(str, pa.Check.isin(area_codes)),
            "indicator": pa.Column(str, pa.Check(lambda s: s.isin(indicators) | s.str.fullmatch(CRITERION_CODE),
                                                 error="an indicator of indicators.csv or a criterion code")),
            "measure": pa.Column(str, pa.Check.isin(MEASURES + STATISTICS)),
            "value": pa.Column(float, pa.Check.ge(0)),
            "max_points": pa.Column(float, nullable=True),
            "source_id": pa.Column(str),
            "is_official": pa.Column(bool),
            "raw_ref": pa.Column(str),
            "raw_column": pa.Column(str),
        },
        checks=[_RANK_IS_1_TO_63, _SHARE_IS_0_TO_100, _POINTS_WITHIN_MAX, _STATED_MAX_AGREES],
    )


RESOLVED_KEY = ["year", "area_code", "indicator", "measure"]

resolved_schema = pa.DataFrameSchema(
    {"value": pa.Column(float)},
    unique=RESOLVED_KEY,
    report_duplicates="all",
)


def validate_figures(figures: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Validate and turn the first failure into an InputError naming the raw file, row and column."""
    try:
        return schema.validate(figures, lazy=True)
    except pa.errors.SchemaErrors as errors:
        failure = errors.failure_cases.dropna(subset=["index"]).iloc[0]
        row = figures.loc[failure["index"]]
        file, line = row["raw_ref"].rsplit(":", 1)
        about_value = failure["schema_context"] == "DataFrameSchema" or failure["column"] == "value"
        expected = str(failure["check"])
        if row["measure"] in ("points", "points_lost", "self_assessed") and pd.notna(row.get("max_points")):
            expected += f" (maximum {row['max_points']:g} for {row['indicator']} in {row['year']})"
        raise InputError(file, "a value failed validation", row=int(line),
                         column=row["raw_column"] if about_value else failure["column"],
                         found=float(row["value"]) if about_value else failure["failure_case"], expected=expected) from None
