"""The province's own index (issue 15) as reports: the overview for the province's leadership (unit None) or the
report of one unit. Here what they need of the processed data (prepare); the two kinds over the report engine are in
internal_sections, their cover and summary in internal_summary, their words in internal_words (internal_analysis
gives the figures, messages.toml every word, formatting.py every number). Names only: no unit code, no indicator code
appears in the text."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from parsipas.analyse import actions, methodology, places
from parsipas.analyse import internal_analysis as ia
from parsipas.present import engine
from parsipas.present.internal_sections import BOTTOM_COUNT, OVERVIEW, UNIT
from parsipas.present.internal_words import title  # noqa: F401

# internal_report.title: the runner (run/subjects) and notebook 05 call it as this report's own

OVERVIEW_SECTIONS = ["cover", *OVERVIEW.names]
UNIT_SECTIONS = ["cover", *UNIT.names]
MOVERS_COUNT = 5


@dataclass
class InternalReport:
    unit_set: str
    indicator: str                 # the index ranked: "PAR" (the province's own index) or "SIPAS" (its own survey)
    province_code: str
    province_name: str
    year: int
    base_year: int | None          # None when the set has no result for it
    asked_base_year: int | None    # the base year asked for (None: none asked)
    base_missing: str | None       # why the asked base year is not compared: "none" (no result that year) or
    #                                "other_index" (only the other index that year); None when it is
    lang: str
    unit: str | None               # None: the overview; else the unit's code
    produced: str
    sections: list[str]            # the parts in order, the cover first: section(name, data) for each
    is_synthetic: bool
    groups: pd.DataFrame           # name_vi, name_en, position by group_code
    units: pd.DataFrame            # every unit of the set: name_vi, name_en, group_code
    fields: pd.DataFrame           # the year's fields: name_vi, max_points, ministry_field
    has_unit_list: bool            # the set's units come from the analyst's list (all of them), not the public record
    ranking: pd.DataFrame
    base_sizes: pd.Series          # each group's size in the base year (empty without one)
    shares: pd.DataFrame
    distribution: pd.DataFrame
    rose: pd.DataFrame
    fell: pd.DataFrame
    bottom: pd.DataFrame
    averages: pd.DataFrame
    weakness: ia.MinistryWeakness
    below: pd.DataFrame
    profile: ia.UnitProfile | None
    coverage: pd.DataFrame
    conflicts: pd.DataFrame
    sources: pd.DataFrame          # the cited sources, numbered
    ministry_names: pd.DataFrame   # name_vi, name_en of the Ministry's fields
    par_fields: tuple[str, ...]    # the Ministry's PAR INDEX fields in order (processed methodology)
    unit_fall: float               # a fall of a unit's score (percentage points) leadership asks about (action_rules)


def prepare(tables: dict[str, pd.DataFrame], unit_set: str, year: int, base_year: int | None, lang: str,
            unit: str | None = None, produced: str | None = None) -> InternalReport:
    """Everything the sections need, computed once. tables: clean.load(...) with the internal_* tables."""
    if unit_set not in ia.unit_sets(tables):
        raise LookupError(f"unknown unit set '{unit_set}'; known: {', '.join(ia.unit_sets(tables))}")
    listed = ia.units(tables, unit_set)
    if unit is not None and unit not in listed.index:
        raise LookupError(f"unit '{unit}' is not in the set '{unit_set}'")
    indicator = (ia.indicators_of(tables, unit_set, year) or [ia.INDEX])[0]  # the PAR index, else SIPAS
    asked_base_year, base_missing = base_year, None
    if base_year is not None and base_year not in ia.years(tables, unit_set, indicator):
        base_missing = "other_index" if ia.indicators_of(tables, unit_set, base_year) else "none"
        base_year = None  # no figure of the same index to compare with
    province = ia.province_code(tables, unit_set)
    shared = _set_wide(tables, unit_set, year, base_year, indicator)
    weakness = shared["weakness"]
    profile = None if unit is None else ia.unit_profile(tables, unit_set, unit, year, base_year, indicator,
                                                        shared["ranking"])
    shown_years = [y for y in (year, base_year) if y is not None]
    scores = tables["internal_scores"]
    scores = scores[(scores["unit_set"] == unit_set) & scores["year"].isin(shown_years)]
    if unit is not None:  # the unit's rows and its group's, whose best and average the report shows
        scores = scores[(scores["unit_code"] == unit) | (scores["group_code"] == listed.loc[unit, "group_code"])]
    cited = set(scores["source_id"])
    if unit is not None:  # where the unit and its group are named: a unit without a figure is still cited, and so
        members = tables["internal_units"]  # is a synthetic unit list (the banner)
        cited |= set(members.loc[(members["unit_set"] == unit_set) & (members["unit_code"] == unit), "source_id"])
    par = tables["par_scores"]
    if weakness.year is not None and unit is None:
        cited |= set(par.loc[(par["province_code"] == province) & (par["year"] == weakness.year), "source_id"])
    criteria = tables["internal_criteria"]
    if unit is not None:
        cited |= set(criteria.loc[(criteria["unit_set"] == unit_set) & (criteria["year"] == year)
                                  & (criteria["unit_code"] == unit), "source_id"])
    conflicts = tables.get("internal_conflicts", pd.DataFrame(columns=["unit_set", "year", "unit_code"]))
    conflicts = conflicts[(conflicts["unit_set"] == unit_set) & conflicts["year"].isin(shown_years)]
    if unit is not None:
        conflicts = conflicts[conflicts["unit_code"] == unit]
    cited |= {s for column in ("sources_kept", "sources_rejected") if column in conflicts
              for cell in conflicts[column] for s in str(cell).split(";")}
    sources = engine.cited_sources(tables["sources"], cited, (OVERVIEW if unit is None else UNIT).sources_order)
    return InternalReport(
        unit_set=unit_set, indicator=indicator, province_code=province,
        province_name=places.province_name(tables["provinces"], province, year), year=year,
        base_year=base_year, asked_base_year=asked_base_year, base_missing=base_missing, lang=lang, unit=unit,
        produced=produced or dt.date.today().isoformat(),
        sections=list(OVERVIEW_SECTIONS if unit is None else UNIT_SECTIONS),
        is_synthetic=any("synthetic" in str(s).lower() for s in cited),
        units=listed, profile=profile, conflicts=conflicts, sources=sources, **shared)


_SHARED: dict[tuple, dict] = {}
"""The set-wide figures of the last set and years asked for, kept by a warm kernel across a batch of the set's
reports (which differ only in their unit); keyed on the tables' content, so changed tables are computed anew."""


def _set_wide(tables: dict[str, pd.DataFrame], unit_set: str, year: int, base_year: int | None,
              indicator: str) -> dict:
    """What every report of the set shows alike: rankings, movers, distribution, averages, the Ministry's view of
    the province, coverage, the fields and their names. Read-only for the sections."""
    key = (ia.fingerprint(tables), unit_set, year, base_year, indicator)
    if key not in _SHARED:
        ranked = ia.ranking(tables, unit_set, year, base_year, indicator)
        rose, fell = ia.movers(ranked, MOVERS_COUNT)
        weakness = ia.ministry_weakness(tables, ia.province_code(tables, unit_set), year)
        indicators = methodology.indicators(tables)
        _SHARED.clear()
        _SHARED[key] = dict(
            groups=ia.groups(tables, unit_set), fields=ia.fields(tables, unit_set, year),
            has_unit_list=ia.has_unit_list(tables, unit_set), ranking=ranked, rose=rose, fell=fell,
            base_sizes=ia.group_sizes(tables, unit_set, base_year, indicator) if base_year is not None
            else pd.Series(dtype=int), shares=ia.field_shares(tables, unit_set, year),
            distribution=ia.field_distribution(tables, unit_set, year),
            bottom=ia.bottom_units(tables, unit_set, year, BOTTOM_COUNT),
            averages=ia.group_averages(tables, unit_set, indicator), weakness=weakness,
            below=ia.below_provincial_average(tables, unit_set, year, weakness),
            coverage=ia.coverage(tables, unit_set, [y for y in (year, base_year) if y is not None]),
            ministry_names=indicators[["name_vi", "name_en"]], par_fields=methodology.par_fields(indicators),
            unit_fall=actions.rule(tables, "unit_fall"))
    return _SHARED[key]


def kind(data: InternalReport) -> engine.ReportKind:
    """The overview, or the report of one unit."""
    return OVERVIEW if data.unit is None else UNIT


def section(name: str, data: InternalReport) -> str:
    """One part of the report as HTML: a name of data.sections ("" for a part this report does not have)."""
    return engine.render(kind(data), name, data)
