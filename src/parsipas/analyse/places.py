"""The provinces of each assessment year, as the processed `provinces` table gives them: which set a year ranks (the
sets and their years are data), how many, their names and regions, and which provinces of an earlier set a later
unit carries on (the merger map). Pure functions over that table; nothing here reads data/reference."""

from __future__ import annotations

import difflib

import pandas as pd

from parsipas.core.text import province_key

UNIT_COLUMNS = ["name_vi", "slug", "region_code", "kind", "aliases", "successor_code"]


def _ranks(provinces: pd.DataFrame, year: int) -> pd.Series:
    last = provinces["last_year"].astype("Float64").fillna(float("inf"))
    return (provinces["first_year"] <= year) & (year <= last)


def set_of(provinces: pd.DataFrame, year: int) -> str:
    """The set of provinces an assessment year ranks (its set_id)."""
    sets = provinces.loc[_ranks(provinces, year), "set_id"].unique()
    if len(sets) != 1:
        raise LookupError(f"no set of provinces for assessment year {year} in the processed provinces table")
    return str(sets[0])


def units(provinces: pd.DataFrame, year: int) -> pd.DataFrame:
    """The provinces and centrally-run cities an assessment year ranks, by code."""
    rows = provinces[provinces["set_id"] == set_of(provinces, year)]
    return rows.set_index("province_code")[UNIT_COLUMNS]


def unit_count(provinces: pd.DataFrame, year: int) -> int:
    """How many units an assessment year ranks: its last rank and the size of its complete table."""
    return int((provinces["set_id"] == set_of(provinces, year)).sum())


def set_start(provinces: pd.DataFrame, year: int) -> int:
    """The first assessment year of the set a year ranks: where trajectories break."""
    return int(provinces.loc[provinces["set_id"] == set_of(provinces, year), "first_year"].iloc[0])


def same_set(provinces: pd.DataFrame, year: int, other: int) -> bool:
    return set_of(provinces, year) == set_of(provinces, other)


def province_name(provinces: pd.DataFrame, code: str, year: int) -> str:
    """A province's name in the year's set, else in the earliest set that has the code (the code itself if none
    does): the province a unit set belongs to, named in its reports."""
    own = provinces[(provinces["set_id"] == set_of(provinces, year)) & (provinces["province_code"] == code)]
    elsewhere = provinces[provinces["province_code"] == code].sort_values("first_year")
    for rows in (own, elsewhere):
        if len(rows):
            return str(rows["name_vi"].iloc[0])
    return code


def predecessors(provinces: pd.DataFrame, unit_code: str, earlier_year: int) -> pd.DataFrame:
    """The provinces of an earlier year's set that a later unit carries on (name_vi, slug, region_code, by code)."""
    before = units(provinces, earlier_year)
    return before.loc[before["successor_code"] == unit_code, ["name_vi", "slug", "region_code"]]


def province_code(provinces: pd.DataFrame, name: str, year: int) -> str:
    """The code of a unit the year ranks, given its code, its name or slug in any spelling the table lists (folded:
    diacritics, case and 'Tỉnh'/'Thành phố' do not matter), for an analyst typing a name into a notebook."""
    ranked = units(provinces, year)
    if name in ranked.index:
        return name
    spellings = {province_key(spelling): code for code, row in ranked.iterrows()
                 for spelling in [row["name_vi"], row["slug"], *filter(None, str(row["aliases"]).split("|"))]}
    key = province_key(name)
    if key in spellings:
        return spellings[key]
    close = difflib.get_close_matches(key, list(spellings), n=1, cutoff=0.6)
    hint = f"; did you mean {ranked.loc[spellings[close[0]], 'name_vi']}?" if close else ""
    raise LookupError(f"'{name}' is not a province or city ranked in {year}{hint}")
