"""The province's own index (issue 15) as report sections: the overview for the province's leadership (unit None) or
the report of one unit. Here the data and the sentences (internal_analysis gives the figures, messages.toml every
word, formatting.py every number); in templates/internal/ the markup, with the Ministry report's macros, summary and
sources templates and its stylesheet. Names only: no unit code, no indicator code appears in the text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from parsipas.analyse import internal_analysis as ia
from parsipas.analyse import methodology, places
from parsipas.core import paths
from parsipas.core.formatting import count_of, date, item_label, number, rank, rank_change, signed
from parsipas.core.messages import Missing, is_missing, text
from parsipas.present import internal_charts
from parsipas.present.report import _chart, _given, source_address, template_environment

OVERVIEW_SECTIONS = ["cover", "summary", "ranking", "distribution", "movers", "bottom", "trend", "ministry", "method",
                     "sources"]
UNIT_SECTIONS = ["cover", "summary", "comparison", "weak", "gaps", "sources"]
BOTTOM_COUNT = 3
MOVERS_COUNT = 5
BELOW_SHOWN = 12  # units listed under the weak Ministry fields: the ones to call in first, not all 44
CRITERIA_LIMIT = 10
FELL_NAMED = 3  # units asked to explain a fall: the largest falls, with how many fell in all
MATERIAL_FALL = 1.0  # percentage points: a smaller fall is not worth leadership's asking why


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
    ranked = ia.ranking(tables, unit_set, year, base_year, indicator)
    rose, fell = ia.movers(ranked, MOVERS_COUNT)
    weakness = ia.ministry_weakness(tables, province, year)
    profile = None if unit is None else ia.unit_profile(tables, unit_set, unit, year, base_year, indicator)
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
    sources = tables["sources"]
    sources = sources[sources["source_id"].isin(cited)].sort_values("source_id")
    return InternalReport(
        unit_set=unit_set, indicator=indicator, province_code=province,
        province_name=places.province_name(tables["provinces"], province, year), year=year,
        base_year=base_year, asked_base_year=asked_base_year, base_missing=base_missing, lang=lang, unit=unit,
        produced=produced or dt.date.today().isoformat(),
        sections=list(OVERVIEW_SECTIONS if unit is None else UNIT_SECTIONS),
        is_synthetic=any("synthetic" in str(s).lower() for s in cited),
        groups=ia.groups(tables, unit_set), units=listed, fields=ia.fields(tables, unit_set, year),
        has_unit_list=ia.has_unit_list(tables, unit_set), ranking=ranked,
        base_sizes=ia.group_sizes(tables, unit_set, base_year, indicator) if base_year is not None
        else pd.Series(dtype=int), shares=ia.field_shares(tables, unit_set, year),
        distribution=ia.field_distribution(tables, unit_set, year), rose=rose, fell=fell,
        bottom=ia.bottom_units(tables, unit_set, year, BOTTOM_COUNT),
        averages=ia.group_averages(tables, unit_set, indicator),
        weakness=weakness, below=ia.below_provincial_average(tables, unit_set, year, weakness), profile=profile,
        coverage=ia.coverage(tables, unit_set, shown_years), conflicts=conflicts,
        sources=sources.assign(number=range(1, len(sources) + 1)).reset_index(drop=True),
        ministry_names=methodology.indicators(tables)[["name_vi", "name_en"]],
        par_fields=methodology.par_fields(methodology.indicators(tables)))


# -- words -------------------------------------------------------------------------------------------------------

def _name(data: InternalReport, code: str) -> str:
    """A unit's name in the report's language (its Vietnamese name where no English one is given)."""
    return data.units.loc[code, f"name_{data.lang}"]


def _group(data: InternalReport, code: str) -> str:
    return data.groups.loc[code, f"name_{data.lang}"]


def _ministry(data: InternalReport, code: str) -> str:
    return data.ministry_names.loc[code, f"name_{data.lang}"]


def _cells(rows: list[list], lang: str) -> list[list[str]]:
    """Table cells: a figure that is not known reads "no figure" (never a zero, never 'not published')."""
    missing = text("int_no_figure", lang)
    return [[missing if isinstance(cell, Missing) or is_missing(cell) else str(cell) for cell in row] for row in rows]


def _base_size(data: InternalReport, group: str):
    """The group's size in the base year (the base year's rank is out of it), NaN where not known."""
    sizes = data.base_sizes
    return sizes.get(group, float("nan"))


def _names(data: InternalReport, codes: list[str], limit: int = 4) -> str:
    """Up to `limit` unit names, then how many more."""
    names = [_name(data, c) for c in codes]
    if len(names) <= limit:
        return ", ".join(names)
    return text("int_more_one" if len(names) - limit == 1 else "int_more", data.lang, names=", ".join(names[:limit]),
                n=len(names) - limit)


def _years(data: InternalReport) -> dict:
    return dict(year=data.year, base_year=data.base_year) if data.base_year is not None else dict(year=data.year)


COMPARISONS = ("comparison", "movers")
"""The sections that compare two years: titled by the years compared, or by the one year there is."""


def _section_title(name: str, data: InternalReport) -> str:
    """A section's title, in the contents and over the section: a comparison names the years it really has."""
    one = name in COMPARISONS and data.base_year is None
    return text(f"int_h_{name}_one" if one else f"int_h_{name}", data.lang, **_years(data))


def _subject(data: InternalReport) -> str:
    return data.province_name if data.unit is None else _name(data, data.unit)


def title(data: InternalReport) -> str:
    """The page title and PDF running title: who, which years, and SYNTHETIC first when the figures are."""
    words = f"{_subject(data)}: " + text("int_subtitle" if data.base_year is not None else "int_subtitle_one",
                                         data.lang, **_years(data)).lower()
    return (text("synthetic_short", data.lang) + " · " + words) if data.is_synthetic else words


# -- sections ----------------------------------------------------------------------------------------------------

def _titled(key: str, data: InternalReport) -> str:
    """The title's key for the index the report ranks: the administrative reform index, or the province's own
    satisfaction survey in a year that has only that (Khánh Hòa 2025 in the public record)."""
    return f"{key}_sipas" if data.indicator == "SIPAS" else key


def _cover(data: InternalReport) -> dict:
    lang = data.lang
    known = data.ranking["score"].notna()
    if data.unit is None and not data.has_unit_list:
        status = text("int_status_public", lang, known=int(known.sum()), year=data.year)
        heading = text(_titled("int_title_overview", data), lang, province=data.province_name)
    elif data.unit is None:
        status = text("int_status", lang, known=int(known.sum()), total=len(data.ranking), year=data.year,
                      rest=text("int_status_complete" if known.all() else "int_status_incomplete", lang))
        heading = text(_titled("int_title_overview", data), lang, province=data.province_name)
    else:
        group = data.profile.group_code
        peers = data.ranking[data.ranking["group_code"] == group]
        size = data.profile.total["group_size"]
        known = dict(group=_group(data, group), known=int(peers["score"].notna().sum()), year=data.year)
        status = text("int_status_unit", lang, total=int(size), **known) if pd.notna(size) else \
            text("int_status_unit_open", lang, **known)
        heading = text(_titled("int_title_unit", data), lang, name=_name(data, data.unit))
    return dict(banner=text("synthetic_banner", lang) if data.is_synthetic else None,
                kicker=text(_titled("int_kicker", data), lang), title=heading,
                subtitle=text("int_subtitle" if data.base_year is not None else "int_subtitle_one", lang,
                              **_years(data)),
                index=text(f"int_index_{data.indicator}", lang),
                produced=text("produced", lang, date=date(data.produced, lang)), status=status,
                contents=text("contents", lang),
                toc=[(name, _section_title(name, data)) for name in data.sections[1:]],
                running_title=title(data))


def _summary(data: InternalReport) -> dict:
    points, actions = (_overview_summary if data.unit is None else _unit_summary)(data)
    if data.asked_base_year is not None and data.base_year is None:
        points.append(_no_base(data))
    return dict(note=None, position_title=text("int_h_position", data.lang), position=points,
                actions_title=text("int_h_actions", data.lang), actions=actions)


def _overview_summary(data: InternalReport) -> tuple[list[str], list[str]]:
    lang, ranked = data.lang, data.ranking
    known = ranked.dropna(subset=["score"])
    if known.empty:
        return [text("int_sum_none", lang, year=data.year)], []
    if not data.has_unit_list:
        points = [text("int_sum_public", lang, year=data.year, known=len(known))]
    elif len(known) == len(ranked):
        points = [text("int_sum_known", lang, year=data.year, known=len(known), total=len(ranked),
                       mean=number(known["score"].mean(), lang))]
    else:
        points = [text("int_sum_known_part", lang, year=data.year, known=len(known), total=len(ranked),
                       mean=number(known["score"].mean(), lang))]
    ends = {group: _ends(rows) for group, rows in known.groupby("group_code", sort=False)}
    for group, (first, last) in ends.items():
        if _single(known[known["group_code"] == group]["group_size"].iloc[0]):  # no leader of one unit
            alone = known[known["group_code"] == group].iloc[0]
            points.append(text("int_sum_single", lang, group=_group(data, group), name=_name(data, alone["unit_code"]),
                               score=number(alone["score"], lang)))
            continue
        facts = [text(key + ("_one" if len(rows) == 1 else ""), lang, score=number(rows["score"].iloc[0], lang),
                      name=_names(data, list(rows["unit_code"]), limit=len(rows)))
                 for key, rows in (("int_sum_first", first), ("int_sum_last", last)) if len(rows)]
        if facts:
            points.append(text("int_sum_group", lang, group=_group(data, group), facts=", ".join(facts)))
    if data.base_year is not None:  # a change of under a point is not called out; on part of the units, it says so
        both = int(ranked["change_score"].notna().sum())
        part = "_part" if both < len(ranked) or not data.has_unit_list else ""
        for key, rows in (("int_sum_rose", data.rose), ("int_sum_fell", data.fell)):
            if not rows.empty and abs(rows["change_score"].iloc[0]) >= MATERIAL_FALL:
                points.append(text(key + part, lang, base_year=data.base_year, n=both,
                                   name=_name(data, rows["unit_code"].iloc[0]),
                                   change=number(abs(rows["change_score"].iloc[0]), lang)))
    means = data.distribution["mean"].dropna()
    if len(means) >= 2:
        points.append(text("int_sum_weakest_field", lang, field=data.fields.loc[means.idxmin(), "name_vi"],
                           mean=number(means.min(), lang), best=data.fields.loc[means.idxmax(), "name_vi"],
                           best_mean=number(means.max(), lang)))
    actions = []
    if len(means):
        weakest = means.idxmin()
        lowest = data.bottom.loc[data.bottom["field_code"] == weakest, "unit_code"].tolist()
        actions.append(text("int_act_field", lang, field=data.fields.loc[weakest, "name_vi"],
                            average=_average(data, [weakest]),
                            mean=number(means.min(), lang), names=_names(data, lowest)))
    if not data.below.empty:
        weak = data.weakness.fields[data.weakness.fields["weak"]]
        most = ia.below_by_unit(data.below).head(5)
        names = [text("int_unit_fields_one" if n == 1 else "int_unit_fields", lang, name=_name(data, unit), n=n)
                 if len(weak) > 1 else _name(data, unit) for unit, n in most["fields_below"].items()]
        actions.append(text("int_act_ministry", lang, ministry_year=data.weakness.year,
                            average=_average(data, list(data.below["field_code"].unique())),
                            fields="; ".join(f"{_ministry(data, code)} ({number(r.share, lang)}%)"
                                             for code, r in weak.iterrows()),
                            names=", ".join(names)))
    fallen = data.ranking[data.ranking["change_score"] <= -MATERIAL_FALL].sort_values("change_score")
    if data.base_year is not None and not fallen.empty:
        shown = list(fallen["unit_code"][:FELL_NAMED])
        words = dict(names=_names(data, shown, limit=len(shown)), base_year=data.base_year,
                     points=number(MATERIAL_FALL, lang, 0))
        actions.append(text("int_act_fell", lang, **words) if len(fallen) <= FELL_NAMED else
                       text("int_act_fell_most", lang, count=len(fallen), **words))
    last = [code for _, last in ends.values() for code in last["unit_code"]]
    if last:
        actions.append(text("int_act_last", lang, names=_names(data, last, limit=len(last))))
    return points, actions or [text("int_act_none", lang, year=data.year)]


def _single(size) -> bool:
    """A group of one unit: it has no leader, no last place and nothing to compare the unit with."""
    return pd.notna(size) and int(size) == 1


def _whole(data: InternalReport, field_codes: list[str]) -> bool:
    """Whether every unit of the set has a result in these fields: only then is their mean the provincial average."""
    known = set(data.distribution.loc[field_codes, "units_known"].astype(int)) if field_codes else set()
    return data.has_unit_list and known == {len(data.ranking)}


def _average(data: InternalReport, field_codes: list[str]) -> str:
    """What a mean over the units with a result in these fields is: the provincial average only where every unit of
    the set has one, else the mean of the N units with a result (of the units with a result where N differs)."""
    known = set(data.distribution.loc[field_codes, "units_known"].astype(int)) if field_codes else set()
    if _whole(data, field_codes):
        return text("int_average_province", data.lang)
    if len(known) == 1:
        n = known.pop()
        return text("int_average_known_one" if n == 1 else "int_average_known", data.lang, n=n)
    return text("int_average_known_any", data.lang)


def _ends(rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
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


def _unit_summary(data: InternalReport) -> tuple[list[str], list[str]]:
    lang, p = data.lang, data.profile
    t = p.total
    points = []
    facts = [text(key, lang, **values) for key, known, values in (
        ("int_fact_score", t["score"], dict(score=number(t["score"], lang))),
        ("int_fact_points", t["points"], dict(points=number(t["points"], lang))),
        ("int_fact_rank", t["rank"], dict(rank=rank(t["rank"], lang, t["group_size"]),
                                          group=_group(data, p.group_code)))) if pd.notna(known)]
    if facts and pd.notna(t["score"]):
        points.append(text("int_unit_year", lang, year=data.year, facts=", ".join(facts)))
    else:
        points.append(text("int_unit_no_score", lang, year=data.year))
    if data.base_year is not None:
        if pd.isna(t["score_base"]):
            points.append(text("int_unit_no_base", lang, base_year=data.base_year))
        elif pd.notna(t["change_score"]) and pd.notna(t["change_rank"]):
            points.append(text("int_unit_change", lang, base_year=data.base_year,
                               base_score=number(t["score_base"], lang), change=signed(t["change_score"], lang),
                               rank_change=rank_change(t["change_rank"], lang)))
        elif pd.notna(t["change_score"]):
            points.append(text("int_unit_change_score", lang, base_year=data.base_year,
                               base_score=number(t["score_base"], lang), change=signed(t["change_score"], lang)))
    if _single(t["group_size"]):
        points.append(text("int_unit_group_single", lang, group=_group(data, p.group_code)))
    elif pd.notna(t["group_mean"]):
        points.append(text("int_unit_group", lang, mean=number(t["group_mean"], lang),
                           best=number(t["group_best"], lang)))
    elif pd.notna(t["group_size"]):
        points.append(text("int_unit_group_incomplete", lang, known=int(t["group_known"]),
                           total=int(t["group_size"])))
    else:
        points.append(text("int_unit_group_unknown", lang, year=data.year))
    weak = p.fields[p.fields["weak"]].sort_values("gap_mean")
    if _single(t["group_size"]):
        weak = weak.iloc[:0]
    actions = [text("int_act_unit_field", lang, field=r.name_vi, share=number(r.share, lang),
                    gap=number(-r.gap_mean, lang)) for r in weak.head(3).itertuples()]
    actions += [text("int_act_unit_criterion", lang, code=r.criterion_code, name=r.name_vi, lost=number(r.lost, lang),
                     max=number(r.max_points, lang)) for r in p.criteria.head(3).itertuples() if r.lost > 0]
    if not actions:
        unknown = p.fields["gap_mean"].isna().all()
        key = "int_act_unit_single" if _single(t["group_size"]) else \
            "int_act_unit_unknown" if unknown else "int_act_unit_hold"
        actions.append(text(key, lang, year=data.year))
    return points, actions


def _paragraph(words: str, classes: str = "") -> dict:
    return {"paragraph": words, "classes": classes}


def _heading(words: str) -> dict:
    return {"heading": words}


def _table(header: list[str], rows: list[list], lang: str, classes: str = "comparison") -> dict:
    return {"table": {"header": header, "rows": _cells(rows, lang), "classes": classes}}


def _figure(svg: str | None, fallback: str, alt: str, classes: str = "chart") -> dict:
    return {"figure": _chart(svg, fallback, alt, classes)}


def _ranking(data: InternalReport) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    blocks = [_paragraph(text("int_rank_intro" if b is not None else "int_rank_intro_one", lang, **_years(data)))]
    header = [text("col_int_rank", lang, year=y), text("col_int_unit", lang), text("col_int_score", lang, year=y),
              text("col_int_points", lang, year=y)]
    if b is not None:
        header += [text("col_int_score", lang, year=b), text("col_int_rank", lang, year=b),
                   text("col_int_change", lang), text("col_int_rank_change", lang)]
    for group, rows in data.ranking.groupby("group_code", sort=False):
        size = rows["group_size"].iloc[0]
        name = _group(data, group)
        blocks.append(_heading(text("int_group_heading_one" if _single(size) else "int_group_heading", lang,
                                    group=name, n=int(size)) if pd.notna(size) else name))
        blocks.append(_figure(internal_charts.group_ranking(rows, lang, text("int_chart_group", lang, group=name,
                                                                                  year=y), f"int-rank-{len(blocks)}"),
                              text("int_chart_group_none", lang, group=name),
                              text("int_chart_group", lang, group=name, year=y), "chart tall"))
        table = []
        for r in rows.itertuples():
            row = [rank(r.rank, lang, size), _name(data, r.unit_code), number(r.score, lang), number(r.points, lang)]
            if b is not None:
                row += [number(r.score_base, lang), rank(r.rank_base, lang, _base_size(data, group)),
                        signed(r.change_score, lang),
                        rank_change(r.change_rank, lang)]
            table.append(row)
        blocks.append(_table(header, table, lang, "text-2 ranking"))
    blocks.append(_paragraph(text("int_legend_gap", lang), "note"))
    return dict(blocks=blocks)


def _distribution(data: InternalReport) -> dict:
    lang, y = data.lang, data.year
    if data.fields.empty:
        return dict(blocks=[_paragraph(text("int_no_fields", lang, year=y))])
    svg = internal_charts.field_spread(data.shares, data.fields["name_vi"], lang,
                                       text("int_chart_spread", lang, year=y))
    header = [text("col_int_field", lang), text("col_int_max", lang), text("col_int_known", lang),
              text("col_int_mean", lang), text("col_int_lowest", lang), text("col_int_median", lang),
              text("col_int_highest", lang)]
    rows = [[r.name_vi, number(r.max_points, lang), count_of(r.units_known, lang, len(data.ranking)),
             number(r.mean, lang), number(r.lowest, lang), number(r.median, lang), number(r.highest, lang)]
            for r in data.distribution.itertuples()]
    part = not data.has_unit_list or (data.distribution["units_known"] < len(data.ranking)).any()
    return dict(blocks=[_paragraph(text("int_dist_intro", lang, year=y)),
                        _figure(svg, text("int_chart_spread_none", lang, year=y),
                                text("int_chart_spread", lang, year=y)),
                        _table(header, rows, lang),
                        *([_paragraph(text("int_dist_part", lang), "note")] if part else [])])


def _movers(data: InternalReport) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    if b is None:
        return dict(blocks=[_paragraph(_no_base(data))])
    header = [text("col_int_unit", lang), text("col_int_group", lang), text("col_int_score", lang, year=b),
              text("col_int_score", lang, year=y), text("col_int_change", lang), text("col_int_rank_change", lang)]
    blocks = [_paragraph(text("int_movers_intro", lang, year=y, base_year=b))]
    for key, rows in (("rose", data.rose), ("fell", data.fell)):
        blocks.append(_heading(text(f"int_movers_{key}", lang)))
        if rows.empty:
            blocks.append(_paragraph(text(f"int_movers_none_{key}", lang)))
            continue
        blocks.append(_table(header, [[_name(data, r.unit_code), _group(data, r.group_code), number(r.score_base, lang),
                                       number(r.score, lang), signed(r.change_score, lang),
                                       rank_change(r.change_rank, lang)] for r in rows.itertuples()], lang,
                                     "text-2"))
    return dict(blocks=blocks)


def _no_base(data: InternalReport) -> str:
    """Why there is no comparison: no base year asked (none earlier has results), or the asked one has no result of
    the set, or only of the other index."""
    if data.asked_base_year is None:
        return text("int_movers_no_base_any", data.lang, year=data.year)
    key = "int_movers_no_base_none" if data.base_missing == "none" else f"int_movers_no_base_other_{data.indicator}"
    return text(key, data.lang, base_year=data.asked_base_year)


def _bottom(data: InternalReport) -> dict:
    lang, y = data.lang, data.year
    if data.bottom.empty:
        return dict(blocks=[_paragraph(text("int_no_fields", lang, year=y))])
    header = [text("col_int_field", lang), text("col_int_unit", lang), text("col_int_group", lang),
              text("col_int_share", lang), text("col_int_points", lang, year=y)]
    rows = []
    for r in data.bottom.itertuples():
        field = data.fields.loc[r.field_code]
        group = _group(data, data.units.loc[r.unit_code, "group_code"])
        rows.append([field["name_vi"], _name(data, r.unit_code), group,
                     number(r.share, lang), count_of(r.points, lang, field["max_points"], 2)])
    return dict(blocks=[_paragraph(text("int_bottom_intro", lang, n=BOTTOM_COUNT, year=y)),
                        _table(header, rows, lang, "text-3")])


def _trend(data: InternalReport) -> dict:
    lang = data.lang
    names = data.groups[f"name_{lang}"]
    svg = internal_charts.group_lines(data.averages, names, lang, text("int_chart_trend", lang))
    yrs = sorted(data.averages["year"].unique())
    header = [text("col_int_group", lang), *[str(y) for y in yrs]]
    rows = []
    for group in names.index:
        cells = [names[group]]
        for y in yrs:
            row = data.averages[(data.averages["year"] == y) & (data.averages["group_code"] == group)]
            if row.empty:
                cells.append("–")
            elif row["is_complete"].iloc[0]:
                cells.append(number(row["mean"].iloc[0], lang))
            else:
                size = row["group_size"].iloc[0]
                cells.append(text("int_trend_known", lang, known=int(row["units_known"].iloc[0]), total=int(size))
                             if pd.notna(size) else
                             text("int_trend_known_only", lang, known=int(row["units_known"].iloc[0])))
        rows.append(cells)
    return dict(blocks=[_paragraph(text("int_trend_intro", lang)),
                        _figure(svg, text("int_chart_trend_none", lang), text("int_chart_trend", lang)),
                        _table(header, rows, lang, "comparison")])


def _ministry_section(data: InternalReport) -> dict:
    lang, w = data.lang, data.weakness
    if w.year is None:
        return dict(blocks=[_paragraph(text("int_ministry_none", lang, province=data.province_name, year=data.year))])
    rule = ("int_ministry_rule_below" if w.rule == "below_national" else "int_ministry_rule_lowest")
    blocks = [_paragraph(text(rule, lang, year=w.year, province=data.province_name, n=int(w.fields["weak"].sum())))]
    header = [text("col_int_ministry_field", lang), text("col_int_province_share", lang),
              text("col_int_national", lang), text("col_int_weak", lang)]
    blocks.append(_table(header, [[_ministry(data, code), number(r.share, lang), number(r.national_mean, lang),
                                   text("int_yes" if r.weak else "int_no", lang)]
                                  for code, r in w.fields.iterrows()], lang, "ministry"))
    weak = set(w.fields.index[w.fields["weak"]])
    mapped = data.fields[data.fields["ministry_field"].isin(weak)]
    if data.fields.empty:
        blocks.append(_paragraph(text("int_no_fields", lang, year=data.year)))
        return dict(blocks=blocks)
    if mapped.empty:
        blocks.append(_paragraph(text("int_ministry_unmapped", lang)))
        return dict(blocks=blocks)
    average = _average(data, list(mapped.index))
    blocks.append(_paragraph(text("int_ministry_fields_intro", lang, average=average)))
    whole = _whole(data, list(mapped.index))
    header = [text("col_int_own_field", lang), text("col_int_ministry_field", lang),
              text("col_int_provincial_mean" if whole else "col_int_known_mean", lang), text("col_int_below", lang)]
    blocks.append(_table(header, [[field["name_vi"], _ministry(data, field["ministry_field"]),
                                   number(data.shares[code].mean() if data.shares[code].notna().any() else None, lang),
                                   str(int((data.below["field_code"] == code).sum()))]
                                  for code, field in mapped.iterrows()], lang, "text-2"))
    if data.below.empty:
        blocks.append(_paragraph(text("int_ministry_no_below", lang, average=average)))
        return dict(blocks=blocks)
    codes = [code for code in mapped.index if (data.below["field_code"] == code).any()]
    gaps = data.below.pivot_table(index="unit_code", columns="field_code", values="gap", aggfunc="first")
    header = [text("col_int_unit", lang), text("col_int_group", lang),
              *[data.fields.loc[code, "name_vi"] for code in codes]]
    rows = [[_name(data, unit), _group(data, data.units.loc[unit, "group_code"]),
             *[signed(gaps.loc[unit, code], lang) if pd.notna(gaps.loc[unit, code]) else
               ("–" if pd.notna(data.shares.loc[unit, code]) else None) for code in codes]]
            for unit in ia.below_by_unit(data.below).index]
    intro = (text("int_ministry_units_intro", lang, total=len(rows), average=average) if len(rows) <= BELOW_SHOWN else
             text("int_ministry_units_intro_top", lang, total=len(rows), shown=BELOW_SHOWN, average=average))
    blocks += [_paragraph(intro), _table(header, rows[:BELOW_SHOWN], lang, "text-2 wide"),
               _paragraph(text("int_ministry_units_legend", lang), "note")]
    return dict(blocks=blocks)


def _method(data: InternalReport) -> dict:
    lang = data.lang
    blocks = [_paragraph(text("int_method_text", lang))]
    if data.fields.empty:
        blocks.append(_paragraph(text("int_no_fields", lang, year=data.year)))
    else:
        blocks.append(_paragraph(text("int_method_fields", lang, year=data.year)))
        header = [text("col_int_field", lang), text("col_int_max", lang), text("col_int_ministry_field", lang)]
        blocks.append(_table(header, [[r.name_vi, number(r.max_points, lang),
                               _ministry(data, r.ministry_field) if r.ministry_field else "–"]
                              for r in data.fields.itertuples()], lang, "fields"))
    coverage = data.coverage[data.coverage["indicator"] == ia.INDEX]
    coverage = coverage.assign(order=coverage["group_code"].map(data.groups["position"])).sort_values(["year", "order"])
    if not coverage.empty:
        blocks.append(_paragraph(text("int_method_coverage", lang)))
        blocks.append(_table([text("col_int_year", lang), text("col_int_group", lang), text("col_int_known", lang)],
                             [[str(r.year), _group(data, r.group_code),
                               count_of(r.units_known, lang, r.group_size) if pd.notna(r.group_size)
                               else number(r.units_known, lang, 0)]
                              for r in coverage.itertuples()], lang, "text-2"))
    computed = coverage[coverage["rank_computed"]]
    if not computed.empty:
        blocks.append(_paragraph(text("int_method_ranks_computed", lang, where="; ".join(
            f"{year}: {', '.join(_group(data, g) for g in rows['group_code'])}"
            for year, rows in computed.groupby("year")))))
    numbers = data.sources.set_index("source_id")["number"]
    cite = lambda ids: ", ".join(f"[{numbers[i]}]" for i in str(ids).split(";") if i in numbers)  # noqa: E731
    lines = [text("int_conflict_line", lang, unit=_name(data, r.unit_code), year=r.year,
                  measure=_measure(data, r.indicator, r.measure),
                  kept=number(r.value_kept, lang, 0 if r.measure == "rank" else 2), kept_sources=cite(r.sources_kept),
                  rejected=number(r.value_rejected, lang, 0 if r.measure == "rank" else 2),
                  rejected_sources=cite(r.sources_rejected))
             for r in data.conflicts.itertuples()]
    blocks.append(_paragraph(text("int_method_conflicts" if lines else "int_method_no_conflicts", lang)))
    if lines:
        blocks.append({"list": lines})
    return dict(blocks=blocks)


def _measure(data: InternalReport, indicator: str, measure: str) -> str:
    """What a conflicting figure is: the measure, after the field's name when it is a field's."""
    words = text(f"int_measure_{measure}", data.lang)
    if indicator in data.fields.index:
        return text("int_measure_of_field", data.lang, field=data.fields.loc[indicator, "name_vi"], measure=words)
    return words


def _sources(data: InternalReport) -> dict:
    """The cited sources: the province's files and the Ministry's tables by what they are, public pages by their
    publisher; a file by its name, a page by its address."""
    lang = data.lang
    said = {"internal_file": text("int_source_file", lang), "official_file": text("int_source_official", lang)}
    rows = [[f"[{r.number}]", said.get(r.kind, r.publisher if _given(r.publisher) else ""),
             r.language if _given(r.language) else "", source_address(r, lang)] for r in data.sources.itertuples()]
    return dict(text=text("int_sources_text", lang), rows=rows, header=[
        text("col_source", lang), text("col_site", lang), text("col_language", lang), text("col_url", lang)])


def _comparison(data: InternalReport) -> dict:
    lang, p, y, b = data.lang, data.profile, data.year, data.base_year
    header = [text("col_int_field", lang), text("col_int_max", lang), text("col_int_points", lang, year=y),
              text("col_int_share_year", lang, year=y)]
    if b is not None:
        header[2:2] = [text("col_int_points", lang, year=b), text("col_int_share_year", lang, year=b)]
        header.append(text("col_int_change", lang))
    rows = []
    t = p.total
    total = [text("int_total", lang), number(p.fields["max_points"].sum() if len(p.fields) else None, lang)]
    for r in p.fields.itertuples():
        row = [r.name_vi, number(r.max_points, lang), number(r.points, lang), number(r.share, lang)]
        if b is not None:
            row[2:2] = [number(r.points_base, lang), number(r.share_base, lang)]
            row.append(signed(r.change, lang))
        rows.append(row)
    if b is not None:
        total += [number(t["points_base"], lang), number(t["score_base"], lang)]
    total += [number(t["points"], lang), number(t["score"], lang)]
    if b is not None:
        total.append(signed(t["change_score"], lang))
    rows.append(total)
    drawn = p.fields.assign(group_mean=float("nan"), group_best=float("nan")) if _single(t["group_size"]) \
        else p.fields  # a group of one: its best and average are the unit itself, not drawn
    both = b is not None and p.fields["share_base"].notna().any()  # the title names the years drawn
    title = text("int_chart_unit_two", lang, year=y, base_year=b) if both else text("int_chart_unit", lang, year=y)
    svg = internal_charts.unit_fields(drawn, lang, title, y, b)
    intro = text("int_comparison_intro", lang, year=y, base_year=b) if b is not None else None
    return dict(blocks=[*([_paragraph(intro)] if intro else []), _table(header, rows, lang),
                        _paragraph(text("int_legend_gap", lang), "note"),
                        _figure(svg, text("int_chart_unit_none", lang, year=y), title)])


def _weak(data: InternalReport) -> dict:
    lang, p, y = data.lang, data.profile, data.year
    weak = p.fields[p.fields["weak"]].sort_values("gap_mean")
    if _single(p.total["group_size"]):
        blocks = [_paragraph(text("int_group_single", lang, group=_group(data, p.group_code)))]
    elif p.fields["gap_mean"].isna().all():
        blocks = [_paragraph(text("int_weak_unknown", lang, year=y))]
    elif weak.empty:
        blocks = [_paragraph(text("int_weak_none", lang, year=y))]
    else:
        header = [text("col_int_field", lang), text("col_int_share_year", lang, year=y),
                  text("col_int_group_mean", lang), text("col_int_gap_mean", lang)]
        blocks = [_paragraph(text("int_weak_intro", lang, year=y)),
                  _table(header, [[r.name_vi, number(r.share, lang), number(r.group_mean, lang),
                                   signed(r.gap_mean, lang)] for r in weak.itertuples()], lang)]
    if p.criteria.empty:
        blocks.append(_paragraph(text("int_criteria_none", lang, year=y)))
    else:
        header = [text("col_int_criterion", lang), text("col_int_max", lang), text("col_int_self", lang),
                  text("col_int_granted", lang), text("col_int_lost", lang)]
        blocks += [_paragraph(text("int_criteria_intro", lang, year=y)),
                   _table(header, [[item_label(r.criterion_code, r.name_vi), number(r.max_points, lang),
                                    number(r.self_assessed, lang), number(r.points, lang), number(r.lost, lang)]
                                   for r in p.criteria.head(CRITERIA_LIMIT).itertuples()], lang)]
    return dict(blocks=blocks)


def _gaps(data: InternalReport) -> dict:
    lang, p, y = data.lang, data.profile, data.year
    if _single(p.total["group_size"]):
        return dict(blocks=[_paragraph(text("int_group_single", lang, group=_group(data, p.group_code)))])
    header = [text("col_int_field", lang), text("col_int_share_year", lang, year=y), text("col_int_group_best", lang),
              text("col_int_gap_best", lang), text("col_int_group_mean", lang), text("col_int_gap_mean", lang)]
    t = p.total
    rows = [[r.name_vi, number(r.share, lang), number(r.group_best, lang), signed(r.gap_best, lang),
             number(r.group_mean, lang), signed(r.gap_mean, lang)] for r in p.fields.itertuples()]
    rows.append([text("int_total", lang), number(t["score"], lang), number(t["group_best"], lang),
                 signed(t["score"] - t["group_best"], lang), number(t["group_mean"], lang),
                 signed(round(t["score"] - t["group_mean"], 4), lang)])
    return dict(blocks=[_paragraph(text("int_gaps_intro", lang, year=y)), _table(header, rows, lang),
                        _paragraph(text("int_legend_gap", lang), "note")])


PARTS: dict[str, tuple[str, Callable[[InternalReport], dict]]] = {
    "cover": ("internal/cover.html.j2", _cover), "summary": ("summary.html.j2", _summary),
    "ranking": ("internal/blocks.html.j2", _ranking), "distribution": ("internal/blocks.html.j2", _distribution),
    "movers": ("internal/blocks.html.j2", _movers), "bottom": ("internal/blocks.html.j2", _bottom),
    "trend": ("internal/blocks.html.j2", _trend), "ministry": ("internal/blocks.html.j2", _ministry_section),
    "method": ("internal/blocks.html.j2", _method), "sources": ("sources.html.j2", _sources),
    "comparison": ("internal/blocks.html.j2", _comparison), "weak": ("internal/blocks.html.j2", _weak),
    "gaps": ("internal/blocks.html.j2", _gaps)}
"""Each part: its template (the Ministry report's summary and sources templates are reused) and what it shows."""

_TEMPLATES = template_environment(paths.TEMPLATES / "sections", paths.TEMPLATES)


def section(name: str, data: InternalReport) -> str:
    """One part of the report as HTML: a name of data.sections ("" for a part this report does not have)."""
    if name not in data.sections:
        return ""
    template, part = PARTS[name]
    heading = {} if name == "cover" else dict(anchor=name, title=_section_title(name, data))
    return _TEMPLATES.get_template(template).render(**heading, **part(data))
