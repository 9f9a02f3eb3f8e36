"""Comparison of a province between two years, at every level the data knows. Pure functions over DataFrames.

The same functions serve the sparse public record and complete official tables: a missing figure stays missing
(NaN) all the way to the report, where it reads "not published", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

SHARE_MEASURE = {"PAR": "pct_of_max", "SIPAS": "percent"}
COMPARED_LEVELS = ["index", "part", "field", "field_part", "component", "aspect", "element"]


@dataclass(frozen=True)
class Context:
    """What a comparison is about; built once from the reference tables."""

    province_code: str
    year: int
    base_year: int
    region_code: str
    indicators: pd.DataFrame          # indexed by indicator code
    decisions: pd.DataFrame           # indexed by year


def _pivot(scores: pd.DataFrame, province_code: str, year: int) -> pd.DataFrame:
    rows = scores[(scores["province_code"] == province_code) & (scores["year"] == year)]
    return rows.pivot_table(index="indicator", columns="measure", values="value", aggfunc="first")


def _area_statistic(summary: pd.DataFrame, area: str, year: int, statistic: str) -> pd.Series:
    rows = summary[(summary["area_code"] == area) & (summary["year"] == year) & (summary["statistic"] == statistic)]
    return rows.set_index("indicator")["value"]


def share(values: pd.DataFrame, index: pd.Series) -> pd.Series:
    """The comparable value of each indicator: percent of maximum for PAR, the satisfaction percent for SIPAS."""
    columns = {m: values[m] if m in values else pd.Series(np.nan, index=values.index) for m in SHARE_MEASURE.values()}
    return pd.Series(np.where(index == "PAR", columns["pct_of_max"], columns["percent"]), index=values.index, dtype=float)


def compare(scores: pd.DataFrame, summary: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """One row per indicator known for the province in either year, with changes and gaps.

    change_rank is positive when the province moved up (e.g. 48th -> 25th gives +23).
    """
    meta = ctx.indicators[ctx.indicators["level"].isin(COMPARED_LEVELS)]
    table = meta[["index", "level", "parent", "name_vi", "name_en", "sort"]].copy()
    for label, year in (("base", ctx.base_year), ("year", ctx.year)):
        values = _pivot(scores, ctx.province_code, year).reindex(table.index)
        table[f"points_{label}"] = values.get("points")
        table[f"share_{label}"] = share(values, table["index"])
        table[f"rank_{label}"] = values.get("rank")
        national = _area_statistic(summary, "VN", year, "mean").reindex(table.index)
        regional = _area_statistic(summary, ctx.region_code, year, "mean").reindex(table.index)
        table[f"national_mean_{label}"] = national
        table[f"gap_national_{label}"] = table[f"share_{label}"] - national
        table[f"regional_mean_{label}"] = regional
        table[f"gap_regional_{label}"] = table[f"share_{label}"] - regional
    table["change_share"] = table["share_year"] - table["share_base"]
    table["change_rank"] = table["rank_base"] - table["rank_year"]
    decision_changed = ctx.decisions.loc[ctx.year, "par_decision"] != ctx.decisions.loc[ctx.base_year, "par_decision"]
    survey_changed = ctx.decisions.loc[ctx.year, "sipas_model"] != ctx.decisions.loc[ctx.base_year, "sipas_model"]
    table["method_changed"] = np.where(table["index"] == "PAR", decision_changed, survey_changed)
    measured = table[[c for c in table.columns if c.startswith(("points_", "share_", "rank_"))]].notna().any(axis=1)
    keep = measured | table.index.isin(["PAR", "SIPAS"])
    return table[keep].sort_values("sort").drop(columns="sort")


def trajectory(scores: pd.DataFrame, summary: pd.DataFrame, province_code: str, region_code: str,
               indicator: str) -> pd.DataFrame:
    """Every year known for one indicator: the province's value and rank, and the national and regional means."""
    rows = scores[(scores["province_code"] == province_code) & (scores["indicator"] == indicator)]
    wide = rows.pivot_table(index="year", columns="measure", values="value", aggfunc="first")
    result = pd.DataFrame(index=wide.index)
    result["share"] = wide.get(SHARE_MEASURE[indicator.split(".")[0]])
    result["rank"] = wide.get("rank")
    means = summary[(summary["indicator"] == indicator) & (summary["statistic"] == "mean")]
    result["national_mean"] = means[means["area_code"] == "VN"].set_index("year")["value"].reindex(result.index)
    result["regional_mean"] = means[means["area_code"] == region_code].set_index("year")["value"].reindex(result.index)
    return result.sort_index()
