"""The words of the province's own index reports (overview and unit report): names of units, groups and the
Ministry's fields in the report's language, the years compared, titles, what an average is, and how a table of these
reports shows a figure that is not known."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from parsipas.core.messages import text
from parsipas.present import engine

if TYPE_CHECKING:
    from parsipas.present.internal_report import InternalReport


def unit_name(data: InternalReport, code: str) -> str:
    """A unit's name in the report's language (its Vietnamese name where no English one is given)."""
    return data.units.loc[code, f"name_{data.lang}"]


def group_name(data: InternalReport, code: str) -> str:
    return data.groups.loc[code, f"name_{data.lang}"]


def ministry_name(data: InternalReport, code: str) -> str:
    return data.ministry_names.loc[code, f"name_{data.lang}"]


def base_size(data: InternalReport, group: str):
    """The group's size in the base year (the base year's rank is out of it), NaN where not known."""
    sizes = data.base_sizes
    return sizes.get(group, float("nan"))


def unit_names(data: InternalReport, codes: list[str], limit: int = 4) -> str:
    """Up to `limit` unit names, then how many more."""
    names = [unit_name(data, c) for c in codes]
    if len(names) <= limit:
        return ", ".join(names)
    return text("int_more_one" if len(names) - limit == 1 else "int_more", data.lang, names=", ".join(names[:limit]),
                n=len(names) - limit)


def years_of(data: InternalReport) -> dict:
    return dict(year=data.year, base_year=data.base_year) if data.base_year is not None else dict(year=data.year)


COMPARISONS = ("comparison", "movers")
"""The sections that compare two years: titled by the years compared, or by the one year there is."""


def section_title(name: str, data: InternalReport) -> str:
    """A section's title, in the contents and over the section: a comparison names the years it really has."""
    one = name in COMPARISONS and data.base_year is None
    return text(f"int_h_{name}_one" if one else f"int_h_{name}", data.lang, **years_of(data))


def subject(data: InternalReport) -> str:
    return data.province_name if data.unit is None else unit_name(data, data.unit)


def title(data: InternalReport) -> str:
    """The page title and PDF running title: who, which years, and SYNTHETIC first when the figures are."""
    words = f"{subject(data)}: " + text("int_subtitle" if data.base_year is not None else "int_subtitle_one",
                                         data.lang, **years_of(data)).lower()
    return (text("synthetic_short", data.lang) + " · " + words) if data.is_synthetic else words


def titled(key: str, data: InternalReport) -> str:
    """The title's key for the index the report ranks: the administrative reform index, or the province's own
    satisfaction survey in a year that has only that (Khánh Hòa 2025 in the public record)."""
    return f"{key}_sipas" if data.indicator == "SIPAS" else key


def single(size) -> bool:
    """A group of one unit: it has no leader, no last place and nothing to compare the unit with."""
    return pd.notna(size) and int(size) == 1


def covers_all(data: InternalReport, field_codes: list[str]) -> bool:
    """Whether every unit of the set has a result in these fields: only then is their mean the provincial average."""
    known = set(data.distribution.loc[field_codes, "units_known"].astype(int)) if field_codes else set()
    return data.has_unit_list and known == {len(data.ranking)}


def average_of(data: InternalReport, field_codes: list[str]) -> str:
    """What a mean over the units with a result in these fields is: the provincial average only where every unit of
    the set has one, else the mean of the N units with a result (of the units with a result where N differs)."""
    known = set(data.distribution.loc[field_codes, "units_known"].astype(int)) if field_codes else set()
    if covers_all(data, field_codes):
        return text("int_average_province", data.lang)
    if len(known) == 1:
        n = known.pop()
        return text("int_average_known_one" if n == 1 else "int_average_known", data.lang, n=n)
    return text("int_average_known_any", data.lang)


def ends(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A group's units at the first and at the last place of the year, every unit sharing the place: known from
    their ranks (1, and the group's size or, when every unit of the group has a figure, the last rank present), else,
    when every unit has a figure, from the scores; empty where the figures do not say. A unit at the first place is
    never also named last (a group of one, or all tied)."""
    size, ranked = rows["group_size"].iloc[0], rows.dropna(subset=["rank"])
    complete = pd.notna(size) and len(rows) >= size
    if complete and len(ranked) == len(rows):
        first, last = ranked[ranked["rank"] == ranked["rank"].min()], ranked[ranked["rank"] == ranked["rank"].max()]
    elif complete:
        first, last = rows[rows["score"] == rows["score"].max()], rows[rows["score"] == rows["score"].min()]
    else:
        first = ranked[ranked["rank"] == 1]
        last = ranked[ranked["rank"] == size] if pd.notna(size) else ranked.iloc[:0]
    return first, last[~last["unit_code"].isin(first["unit_code"])]


def no_base(data: InternalReport) -> str:
    """Why there is no comparison: no base year asked (none earlier has results), or the asked one has no result of
    the set, or only of the other index."""
    if data.asked_base_year is None:
        return text("int_movers_no_base_any", data.lang, year=data.year)
    key = "int_movers_no_base_none" if data.base_missing == "none" else f"int_movers_no_base_other_{data.indicator}"
    return text(key, data.lang, base_year=data.asked_base_year)


def measure_words(data: InternalReport, indicator: str, measure: str) -> str:
    """What a conflicting figure is: the measure, after the field's name when it is a field's."""
    words = text(f"int_measure_{measure}", data.lang)
    if indicator in data.fields.index:
        return text("int_measure_of_field", data.lang, field=data.fields.loc[indicator, "name_vi"], measure=words)
    return words


def table(header: list[str], rows: list[list], lang: str, classes: str = "comparison") -> dict:
    """A table block; a figure that is not known reads "no figure" (never a zero, never 'not published')."""
    return engine.table(header, rows, text("int_no_figure", lang), classes)
