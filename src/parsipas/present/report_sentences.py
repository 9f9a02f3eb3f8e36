"""The province report's sentences: where the province stands (position points), what to do first (action points),
the summary they make, and the cover's lines (data status, target line, running title). Every word comes from the
message catalogue, every number from core.formatting."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from parsipas.analyse import actions, criteria
from parsipas.core.formatting import criterion_number, date, number, rank, rank_change
from parsipas.core.messages import text
from parsipas.present import engine

if TYPE_CHECKING:
    from parsipas.present.report import Basis, ReportData, TargetChoice


def unit_word(data: ReportData) -> str:
    return text(f"unit_{data.unit}", data.lang)


def no_figures_note(data: ReportData, key: str) -> str | None:
    """Said first on the cover and in the summary when the report year has no figure for the province."""
    if data.latest_year == data.year:
        return None
    if data.latest_year is None:
        return text(f"{key}_ever", data.lang, unit=unit_word(data), province=_named(data), year=data.year)
    return text(key, data.lang, unit=unit_word(data), province=_named(data), year=data.year, latest=data.latest_year)


def _named(data: ReportData) -> str:
    """'tỉnh Khánh Hòa', 'thành phố Cần Thơ', but 'Thành phố Hồ Chí Minh' as it is (English: the name alone)."""
    name = data.province_name
    if data.lang != "vi" or name.lower().startswith(("tỉnh ", "thành phố ")):
        return name
    return f"{unit_word(data)} {name}"


def data_status(data: ReportData) -> str:
    """The real coverage of the year's PAR INDEX table: provinces with a score, then those known by their rank
    alone; complete only when every province has a score."""
    lang, (scored, ranked_only) = data.lang, data.par_counts
    complete = scored == data.provinces_total
    return text("status_coverage", lang, source=text("status_source_official" if data.is_official else
                                                     "status_source_public", lang),
                n=scored, total=data.provinces_total, year=data.year,
                ranked=text("status_rank_only", lang, n=ranked_only) if ranked_only else "",
                rest=text("status_complete" if complete else "status_incomplete", lang))


def running_title(data: ReportData) -> str:
    title = text("footer", data.lang, province=data.province_name, year=data.year, base_year=data.base_year)
    return (text("synthetic_short", data.lang) + " · " + title) if data.is_synthetic else title

def plan_values(choice: TargetChoice, lang: str) -> dict:
    """What a sentence says of the plan a target comes from: who set it, when, for which indexes and years."""
    plan = choice.plan
    first, last = int(plan["first_year"]), int(plan["last_year"])
    return dict(issuer=plan[f"issuer_{lang}"], date=date(plan["plan_date"], lang),
                indexes=text("target_both_indexes" if choice.sipas_rank == choice.rank else "target_par_index", lang),
                years=str(first) if first == last else f"{first}–{last}", plan=plan["plan"])


def target_line(data: ReportData) -> str:
    """The cover's line on the target: its rank and who set it (a plan on record, the analyst), or that none is on
    record for the province and year."""
    choice, lang = data.target_choice, data.lang
    if choice.set_by == "plan":
        return text("target_line_plan", lang, target=choice.rank, **plan_values(choice, lang))
    if choice.set_by == "analyst":
        return text("target_line_analyst", lang, target=choice.rank)
    return text("target_line_none", lang, unit=unit_word(data), year=data.year)


def _index_facts(row: pd.Series, when: str, lang: str, percent: bool, out_of: int) -> list[str]:
    """The parts of one year's result that are known: score, rank, gap to the national average."""
    facts = []
    if pd.notna(row[f"share_{when}"]):
        facts.append(text("fact_score", lang, score=share_percent(row[f"share_{when}"], lang) if percent else
                          number(row[f"share_{when}"], lang)))
    if pd.notna(row[f"rank_{when}"]):
        facts.append(text("fact_rank", lang, rank=rank(row[f"rank_{when}"], lang, out_of)))
    gap = row[f"gap_national_{when}"]
    if pd.notna(gap) and pd.notna(row[f"national_mean_{when}"]):
        key = "fact_above" if gap > 0.005 else "fact_below" if gap < -0.005 else "fact_at_mean"
        facts.append(text(key, lang, mean=number(row[f"national_mean_{when}"], lang), value=number(abs(gap), lang)))
    return facts


def _gap_moved(row: pd.Series, index: str, basis: Basis, unit: str, lang: str) -> str | None:
    """How the gap to the national average moved between the two years, in words."""
    gap, base_gap = row["gap_national_year"], row["gap_national_base"]
    if pd.isna(gap) or pd.isna(base_gap):
        return None
    years = dict(year=basis.year, base_year=basis.base_year, unit=unit, index=index)
    if base_gap < 0 <= gap:
        return text("sum_gap_crossed_up", lang, **years)
    if gap < 0 <= base_gap:
        return text("sum_gap_crossed_down", lang, **years)
    side = "above" if gap >= 0 else "below"
    trend = "wider" if abs(gap) > abs(base_gap) else "narrower"
    if round(abs(gap), 2) == round(abs(base_gap), 2):
        return None
    return text(f"sum_gap_{trend}_{side}", lang, index=index, gap=number(abs(gap), lang),
                base_gap=number(abs(base_gap), lang))


def _predecessor_points(data: ReportData) -> list[str]:
    """Across the merger, each predecessor's own base-year results, ranked among the base year's provinces."""
    lang, out_of, points = data.lang, data.unit_counts[data.base_year], []
    for r in data.predecessors.itertuples():
        facts = [f"{label} " + ", ".join(
                     ([text("fact_score", lang, score=share_percent(share, lang))] if pd.notna(share) else [])
                     + ([text("fact_rank", lang, rank=rank(place, lang, out_of))] if pd.notna(place) else []))
                 for label, share, place in (("PAR INDEX", r.share_PAR, r.rank_PAR), ("SIPAS", r.share_SIPAS,
                                                                                      r.rank_SIPAS))
                 if pd.notna(share) or pd.notna(place)]
        if facts:
            points.append(text("sum_predecessor", lang, base_year=data.base_year, name=r.name_vi,
                               facts="; ".join(facts)))
    return points


def position_points(data: ReportData) -> list[str]:
    """Where the province stands: each index in both years (score, rank, gap to the national average) and how the
    rank and the gap moved; then the strongest and weakest fields. Only known values are spoken of."""
    lang, basis, unit = data.lang, data.basis, unit_word(data)
    points = []
    for index, label in (("PAR", "PAR INDEX"), ("SIPAS", "SIPAS")):
        row = basis.comparison.loc[index]
        for when, year in (("year", basis.year), ("base", basis.base_year)):
            facts = _index_facts(row, when, lang, percent=True, out_of=data.unit_counts[year])
            if facts:
                points.append(text("sum_index_year", lang, index=label, year=year, facts=", ".join(facts)))
            elif when == "year":
                points.append(text("sum_index_missing", lang, index=label, year=year, unit=unit))
        if pd.notna(row["change_rank"]):
            points.append(text("sum_rank_moved", lang, index=label, base_year=basis.base_year,
                               rank_change=rank_change(row["change_rank"], lang)))
        if (moved := _gap_moved(row, label, basis, unit, lang)) is not None:
            points.append(moved)
    points += _predecessor_points(data)
    c = basis.comparison
    fields = c[(c["level"] == "field") & c["share_year"].notna()]
    if len(fields) >= 2:
        strong, weak = fields["share_year"].idxmax(), fields["share_year"].idxmin()
        points.append(text("sum_strong_weak", lang, year=basis.year, strong=c.loc[strong, f"name_{lang}"],
                           strong_value=number(c.loc[strong, "share_year"], lang), weak=c.loc[weak, f"name_{lang}"],
                           weak_value=number(c.loc[weak, "share_year"], lang)))
    else:
        points.append(text("sum_fields_missing", lang, year=basis.year))
    if bool(c.loc["PAR", "method_changed"]) and basis.year not in data.decisions.index:
        points.append(text("sum_method_stated", lang, year=basis.year, base_year=basis.base_year))
    elif bool(c.loc["PAR", "method_changed"]):
        points.append(text("sum_method", lang, year=basis.year, base_year=basis.base_year,
                           decision=data.decisions.loc[basis.year, "par_decision"],
                           base_decision=data.decisions.loc[basis.base_year, "par_decision"]))
    return points


def _item_name(code: str, row: pd.Series, lang: str) -> str:
    if row["level"] == 0:
        return text("action_sipas", lang, name=row[f"name_{lang}"])
    if row["level"] == 1:
        return text("action_field", lang, name=row[f"name_{lang}"])
    return text("action_criterion", lang, code=criterion_number(code), name=row[f"name_{lang}"])


def _action_reasons(row: pd.Series, data: ReportData, basis: Basis, rules: actions.ActionRules) -> list[str]:
    """Why the rule chose an action (each test it met), then what else is known of it (rank, gap to the average)."""
    lang, out_of = data.lang, data.unit_counts[basis.year]
    why = {"bottom_quarter": lambda: text("action_why_bottom", lang, rank=rank(row["rank"], lang, out_of)),
           "points_lost": lambda: text("action_why_lost", lang, lost=number(row["recoverable"], lang),
                                       max=number(row["max_points"], lang)),
           "share_below": lambda: text("action_why_share", lang, share=number(row["share"], lang),
                                       threshold=number(rules.share_below, lang, 0)),
           "drop": lambda: text("action_why_drop", lang, value=number(-row["change_share"], lang),
                                base_year=basis.base_year),
           "sipas_weakest": lambda: text("action_why_sipas", lang, year=basis.year, share=number(row["share"], lang))}
    reasons = [say() for test, say in why.items() if bool(row[test])]
    if not row["bottom_quarter"] and pd.notna(row["rank"]):
        reasons.append(text("action_rank", lang, rank=rank(row["rank"], lang, out_of)))
    if pd.notna(row["shortfall"]) and row["shortfall"] > 0 and len(reasons) < 3:  # a long list says enough
        reasons.append(text("action_shortfall", lang, value=number(row["shortfall"], lang)))
    return reasons


def _action_lead(code: str, row: pd.Series, data: ReportData) -> str:
    """Who leads and who supports, from the province's responsibility table; nothing without one (no agency is
    ever assigned by default), and no SIPAS element, which the table does not list."""
    if data.responsibility.empty or row["level"] == 0:
        return ""
    lead = criteria.lead_for(criterion_number(code), data.responsibility)
    if lead is None:
        return " " + text("action_lead_none", data.lang)
    support = lead["supporting_agencies"]
    return " " + text("action_lead", data.lang, lead=lead["lead_agency"]) + (
        text("action_support", data.lang, support=support) if engine.given(support) else "") + "."


def action_points(data: ReportData) -> list[str]:
    """What to do: the fields, criteria and SIPAS elements the rule of action_rules.csv chooses
    (actions.choose_actions), each with why and, where the province has a responsibility table, who leads it; then
    the target, or the reference points where no target is on record."""
    lang, basis, unit = data.lang, data.basis, unit_word(data)
    actions = [text("action_line", lang, item=_item_name(code, row, lang),
                    why="; ".join(_action_reasons(row, data, basis, data.action_rules))) + _action_lead(code, row, data)
               for code, row in basis.actions.iterrows()]
    if not actions:
        actions.append(text("action_none", lang, year=basis.year, unit=unit))
    actions.append(_target_point(data))
    return actions


def _target_point(data: ReportData) -> str:
    lang, basis, unit = data.lang, data.basis, unit_word(data)
    if basis.target_choice.rank is None:
        return _reference_point(data)
    par, target, goal = basis.comparison.loc["PAR"], basis.target, basis.target_choice.rank
    values = dict(target=goal, year=basis.year, unit=unit)
    if pd.isna(par["rank_year"]):
        return text("sum_target_unknown", lang, **values)
    place, out_of = int(par["rank_year"]), data.unit_counts[basis.year]
    if place <= goal:
        if target.complete and target.score_to_reach is not None:
            return text("sum_target_met_margin", lang, rank=rank(place, lang, out_of),
                        margin=number(target.score - target.score_to_reach, lang), **values)
        return text("sum_target_met", lang, rank=rank(place, lang, out_of), **values)
    if target.complete and target.points_needed:
        return text("sum_target_points", lang, rank=rank(place, lang, out_of), n=place - goal,
                    needed=number(target.points_needed, lang), **values)
    return text("sum_target_gap", lang, rank=rank(place, lang, out_of), n=place - goal, **values)


def reference_label(point: str, points: pd.DataFrame, lang: str) -> str:
    """A reference point's name; in an incomplete ranking the next province up is the nearest one known above."""
    partial = point == "next_up" and not points["complete"].iloc[0]
    return text(f"ref_{point}_known" if partial else f"ref_{point}", lang)


def _reference_facts(data: ReportData, points: pd.DataFrame) -> list[str]:
    """Each reference point in words: its place and holder, and the places and points still to go."""
    lang, out_of, facts = data.lang, int(points["out_of"].iloc[0]), []
    for point, r in points.iterrows():
        if pd.isna(r["place"]):
            continue
        label = reference_label(point, points, lang)
        if r["places_to_go"] <= 0:
            facts.append(text("ref_fact_reached", lang, label=label, rank=rank(r["place"], lang, out_of)))
            continue
        holder = text("ref_holder", lang, name=data.province_names[r["province_code"]]) \
            if isinstance(r["province_code"], str) else ""
        gained = text("ref_points", lang, points=number(r["points_to_go"], lang)) if pd.notna(r["points_to_go"]) \
            else ""
        facts.append(text("ref_fact_one" if r["places_to_go"] == 1 else "ref_fact", lang, label=label,
                          rank=rank(r["place"], lang, out_of), holder=holder,
                          places=int(r["places_to_go"]), points=gained))
    return facts


def _reference_point(data: ReportData) -> str:
    """The summary's last line when no target is on record: that none is, and the reference points."""
    lang, basis = data.lang, data.basis
    points = basis.reference
    values = dict(year=basis.year, unit=unit_word(data))
    if points["places_to_go"].isna().all():
        return text("sum_reference_unknown", lang, **values)
    known = "" if points["complete"].iloc[0] else text("ref_partial", lang, known=int(points["known"].iloc[0]),
                                                       total=int(points["out_of"].iloc[0]))
    return text("sum_reference", lang, facts="; ".join(_reference_facts(data, points)), known=known, **values)


def summary_points(data: ReportData) -> list[str]:
    """Every statement of the summary, in order (the tests read them)."""
    note = no_figures_note(data, "sum_no_figures")
    return ([note] if note else []) + position_points(data) + action_points(data)


def share_percent(value: float, lang: str) -> str:
    written = number(value, lang)
    return written if pd.isna(value) else written + "%"
