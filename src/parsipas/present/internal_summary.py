"""The cover and the summary of the province's own index reports: where the set (overview) or the unit stands, and
what leadership should do first. internal_analysis gives the figures, messages.toml every word."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from parsipas.analyse import internal_analysis as ia
from parsipas.core.formatting import number, rank, rank_change, signed
from parsipas.core.messages import text
from parsipas.present import engine
from parsipas.present.internal_words import (
    average_of,
    ends,
    group_name,
    ministry_name,
    no_base,
    single,
    title,
    titled,
    unit_name,
    unit_names,
    years_of,
)

if TYPE_CHECKING:
    from parsipas.present.internal_report import InternalReport

FELL_NAMED = 3  # units asked to explain a fall: the largest falls, with how many fell in all


def cover(data: InternalReport) -> dict:
    lang = data.lang
    known = data.ranking["score"].notna()
    if data.unit is None and not data.has_unit_list:
        status = text("int_status_public", lang, known=int(known.sum()), year=data.year)
        heading = text(titled("int_title_overview", data), lang, province=data.province_name)
    elif data.unit is None:
        status = text("int_status", lang, known=int(known.sum()), total=len(data.ranking), year=data.year,
                      rest=text("int_status_complete" if known.all() else "int_status_incomplete", lang))
        heading = text(titled("int_title_overview", data), lang, province=data.province_name)
    else:
        group = data.profile.group_code
        peers = data.ranking[data.ranking["group_code"] == group]
        size = data.profile.total["group_size"]
        known = dict(group=group_name(data, group), known=int(peers["score"].notna().sum()), year=data.year)
        status = text("int_status_unit", lang, total=int(size), **known) if pd.notna(size) else \
            text("int_status_unit_open", lang, **known)
        heading = text(titled("int_title_unit", data), lang, name=unit_name(data, data.unit))
    return engine.cover(data, kicker=text(titled("int_kicker", data), lang), title=heading,
                        subtitle=text("int_subtitle" if data.base_year is not None else "int_subtitle_one", lang,
                                      **years_of(data)),
                        meta=text(f"int_index_{data.indicator}", lang), status=status, running_title=title(data))


def summary(data: InternalReport) -> dict:
    points, actions = (overview_summary if data.unit is None else _unit_summary)(data)
    if data.asked_base_year is not None and data.base_year is None:
        points.append(no_base(data))
    return engine.summary(None, text("int_h_position", data.lang), points, text("int_h_actions", data.lang), actions)


def overview_summary(data: InternalReport) -> tuple[list[str], list[str]]:
    """The overview's points (where the set stands) and actions (what to do first)."""
    known = data.ranking.dropna(subset=["score"])
    if known.empty:
        return [text("int_sum_none", data.lang, year=data.year)], []
    group_ends = {group: ends(rows) for group, rows in known.groupby("group_code", sort=False)}
    actions = _overview_actions(data, group_ends)
    return _overview_points(data, known, group_ends), actions or [text("int_act_none", data.lang, year=data.year)]


def _overview_points(data: InternalReport, known: pd.DataFrame, group_ends: dict) -> list[str]:
    lang, ranked = data.lang, data.ranking
    if not data.has_unit_list:
        points = [text("int_sum_public", lang, year=data.year, known=len(known))]
    elif len(known) == len(ranked):
        points = [text("int_sum_known", lang, year=data.year, known=len(known), total=len(ranked),
                       mean=number(known["score"].mean(), lang))]
    else:
        points = [text("int_sum_known_part", lang, year=data.year, known=len(known), total=len(ranked),
                       mean=number(known["score"].mean(), lang))]
    for group, (first, last) in group_ends.items():
        if single(known[known["group_code"] == group]["group_size"].iloc[0]):  # no leader of one unit
            alone = known[known["group_code"] == group].iloc[0]
            points.append(text("int_sum_single", lang, group=group_name(data, group),
                               name=unit_name(data, alone["unit_code"]), score=number(alone["score"], lang)))
            continue
        facts = [text(key + ("_one" if len(rows) == 1 else ""), lang, score=number(rows["score"].iloc[0], lang),
                      name=unit_names(data, list(rows["unit_code"]), limit=len(rows)))
                 for key, rows in (("int_sum_first", first), ("int_sum_last", last)) if len(rows)]
        if facts:
            points.append(text("int_sum_group", lang, group=group_name(data, group), facts=", ".join(facts)))
    if data.base_year is not None:  # a change of under a point is not called out; on part of the units, it says so
        both = int(ranked["change_score"].notna().sum())
        part = "_part" if both < len(ranked) or not data.has_unit_list else ""
        for key, rows in (("int_sum_rose", data.rose), ("int_sum_fell", data.fell)):
            if not rows.empty and abs(rows["change_score"].iloc[0]) >= data.unit_fall:
                points.append(text(key + part, lang, base_year=data.base_year, n=both,
                                   name=unit_name(data, rows["unit_code"].iloc[0]),
                                   change=number(abs(rows["change_score"].iloc[0]), lang)))
    means = data.distribution["mean"].dropna()
    if len(means) >= 2:
        points.append(text("int_sum_weakest_field", lang, field=data.fields.loc[means.idxmin(), "name_vi"],
                           mean=number(means.min(), lang), best=data.fields.loc[means.idxmax(), "name_vi"],
                           best_mean=number(means.max(), lang)))
    return points


def _overview_actions(data: InternalReport, group_ends: dict) -> list[str]:
    lang, means, actions = data.lang, data.distribution["mean"].dropna(), []
    if len(means):
        weakest = means.idxmin()
        lowest = data.bottom.loc[data.bottom["field_code"] == weakest, "unit_code"].tolist()
        actions.append(text("int_act_field", lang, field=data.fields.loc[weakest, "name_vi"],
                            average=average_of(data, [weakest]),
                            mean=number(means.min(), lang), names=unit_names(data, lowest)))
    if not data.below.empty:
        weak = data.weakness.fields[data.weakness.fields["weak"]]
        most = ia.below_by_unit(data.below).head(5)
        names = [text("int_unit_fields_one" if n == 1 else "int_unit_fields", lang, name=unit_name(data, unit), n=n)
                 if len(weak) > 1 else unit_name(data, unit) for unit, n in most["fields_below"].items()]
        actions.append(text("int_act_ministry", lang, ministry_year=data.weakness.year,
                            average=average_of(data, list(data.below["field_code"].unique())),
                            fields="; ".join(f"{ministry_name(data, code)} ({number(r.share, lang)}%)"
                                             for code, r in weak.iterrows()),
                            names=", ".join(names)))
    fallen = data.ranking[data.ranking["change_score"] <= -data.unit_fall].sort_values("change_score")
    if data.base_year is not None and not fallen.empty:
        shown = list(fallen["unit_code"][:FELL_NAMED])
        words = dict(names=unit_names(data, shown, limit=len(shown)), base_year=data.base_year,
                     points=number(data.unit_fall, lang, 0))
        actions.append(text("int_act_fell", lang, **words) if len(fallen) <= FELL_NAMED else
                       text("int_act_fell_most", lang, count=len(fallen), **words))
    last = [code for _, last in group_ends.values() for code in last["unit_code"]]
    if last:
        actions.append(text("int_act_last", lang, names=unit_names(data, last, limit=len(last))))
    return actions


def _unit_summary(data: InternalReport) -> tuple[list[str], list[str]]:
    lang, p = data.lang, data.profile
    t = p.total
    points = []
    facts = [text(key, lang, **values) for key, known, values in (
        ("int_fact_score", t["score"], dict(score=number(t["score"], lang))),
        ("int_fact_points", t["points"], dict(points=number(t["points"], lang))),
        ("int_fact_rank", t["rank"], dict(rank=rank(t["rank"], lang, t["group_size"]),
                                          group=group_name(data, p.group_code)))) if pd.notna(known)]
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
    if single(t["group_size"]):
        points.append(text("int_unit_group_single", lang, group=group_name(data, p.group_code)))
    elif pd.notna(t["group_mean"]):
        points.append(text("int_unit_group", lang, mean=number(t["group_mean"], lang),
                           best=number(t["group_best"], lang)))
    elif pd.notna(t["group_size"]):
        points.append(text("int_unit_group_incomplete", lang, known=int(t["group_known"]),
                           total=int(t["group_size"])))
    else:
        points.append(text("int_unit_group_unknown", lang, year=data.year))
    weak = p.fields[p.fields["weak"]].sort_values("gap_mean")
    if single(t["group_size"]):
        weak = weak.iloc[:0]
    actions = [text("int_act_unit_field", lang, field=r.name_vi, share=number(r.share, lang),
                    gap=number(-r.gap_mean, lang)) for r in weak.head(3).itertuples()]
    actions += [text("int_act_unit_criterion", lang, code=r.criterion_code, name=r.name_vi, lost=number(r.lost, lang),
                     max=number(r.max_points, lang)) for r in p.criteria.head(3).itertuples() if r.lost > 0]
    if not actions:
        unknown = p.fields["gap_mean"].isna().all()
        key = "int_act_unit_single" if single(t["group_size"]) else \
            "int_act_unit_unknown" if unknown else "int_act_unit_hold"
        actions.append(text(key, lang, year=data.year))
    return points, actions
