"""A year's methodology as the processed tables give it: which fields the PAR INDEX has, in order. The fields are
data (processed `indicators`, from data/reference/indicators.csv), never a list in code."""

from __future__ import annotations

import pandas as pd


def par_fields(indicators: pd.DataFrame) -> tuple[str, ...]:
    """The PAR INDEX's fields in their order: the indicators of level 'field' under the index PAR."""
    fields = indicators[(indicators["level"] == "field") & (indicators["index"] == "PAR")]
    return tuple(fields.sort_values("sort").index)


def under_fields(codes: pd.Series, fields: tuple[str, ...]) -> pd.Series:
    """Whether each indicator code is one of the fields or lies under one, a criterion or a part of it (PAR.F3,
    PAR.F3.1, PAR.F3.APPRAISED, ...)."""
    return codes.isin(fields) | codes.str.startswith(tuple(f"{field}." for field in fields))


def indicators(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Every indicator by code: index, level, parent, name_vi, name_en, sort (processed `indicators`)."""
    return tables["indicators"].astype({"sort": float}).set_index("indicator")


def decisions(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The decision that scored each year, by year: par_decision, sipas_model (processed `decisions`)."""
    return tables["decisions"].astype({"year": int}).set_index("year")
