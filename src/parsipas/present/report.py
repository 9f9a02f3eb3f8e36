"""The sections of the annual report as HTML, built from the processed data: here the data and the sentences, in
templates/sections/ the markup, which escapes every value. Every word comes from the message catalogue, so the report
is wholly in one language."""

from __future__ import annotations

import base64
import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import pandas as pd
from markupsafe import Markup

from parsipas.analyse import analysis, criteria, methodology, places
from parsipas.core import defaults, paths
from parsipas.core.formatting import date, item_label, number, rank, rank_change, signed
from parsipas.core.messages import text
from parsipas.ingest.schemas import PAR_FIELDS
from parsipas.present import charts, report_criteria


@dataclass(frozen=True)
class TargetChoice:
    """The rank a report measures a year against, and who set it: "plan" (a target on record in the processed
    targets table, for this province, year and size of ranking), "analyst" (--target-rank) or "none" (reference points
    instead). sipas_rank: the plan's SIPAS target, when it set one."""

    rank: int | None
    set_by: str
    plan: pd.Series | None = None
    sipas_rank: int | None = None


def choose_target(targets: pd.DataFrame, province_code: str, year: int, out_of: int, explicit: int | None,
                  explicit_out_of: int) -> TargetChoice:
    """The analyst's target when given (on the ranking it was given for, never carried to one of another size),
    else the province's own on record for the year, else none. No other province's target is ever taken."""
    if explicit is not None:
        return TargetChoice(int(explicit), "analyst") if out_of == explicit_out_of else TargetChoice(None, "none")
    plan = analysis.target_on_record(targets, province_code, year, out_of)
    if plan is None:
        return TargetChoice(None, "none")
    sipas = analysis.target_on_record(targets, province_code, year, out_of, "SIPAS")
    return TargetChoice(int(plan["target_rank"]), "plan", plan, None if sipas is None else int(sipas["target_rank"]))


@dataclass
class Basis:
    """The two years a summary speaks of, with what it needs of them. Usually the report's own years; when the report
    year has no figure for the province, the latest year that has one, against the year before it."""

    year: int
    base_year: int
    comparison: pd.DataFrame
    weak: pd.DataFrame
    target: analysis.Target
    target_choice: TargetChoice
    reference: pd.DataFrame         # reference points (analysis.reference_points), shown when there is no target
    actions: pd.DataFrame           # what to do first (analysis.choose_actions)


@dataclass
class ReportData:
    province_code: str
    province_name: str
    unit: str                      # "province" or "city": how sentences name it
    year: int
    base_year: int
    target_rank: int | None        # the report year's target; None: none on record and none given
    target_choice: TargetChoice    # who set it, from which plan
    reference_points: pd.DataFrame # the report year's reference points, shown when it has no target
    responsibility: pd.DataFrame   # the province's lead and supporting agencies for the summarised year's codes
    action_rules: analysis.ActionRules  # the thresholds that chose the actions (data/reference/action_rules.csv)
    par_counts: tuple[int, int]    # provinces with a PAR INDEX score in the report year, and with a rank only
    lang: str
    comparison: pd.DataFrame
    par_trajectory: pd.DataFrame
    sipas_trajectory: pd.DataFrame
    coverage: pd.DataFrame
    conflicts: pd.DataFrame
    sources: pd.DataFrame
    decisions: pd.DataFrame
    crosswalk: pd.DataFrame
    is_official: bool
    is_synthetic: bool
    produced: str
    weak: pd.DataFrame
    target: analysis.Target
    shares: pd.DataFrame
    province_names: dict
    latest_year: int | None        # the report year when it has figures for the province, else the latest that has
    basis: Basis
    provinces_total: int           # how many units the report year ranks
    unit_counts: dict[int, int]    # how many units each year ranks: every rank is out of its own year's count
    indicator_names: pd.DataFrame  # name_vi, name_en by indicator code: no code appears in the report's text
    par_fields: tuple[str, ...]    # the PAR INDEX's fields in order (processed methodology, never a list in code)
    maxima: pd.DataFrame           # the maxima used per year and indicator, with their source (processed maxima)
    predecessors: pd.DataFrame     # across the 2025 merger: each predecessor's base-year figures (name_vi first)
    merger: int | None             # the first year of the report year's set when earlier years ranked another set
    criteria_blocks: list = field(default_factory=list)  # the criterion section's content; none without a scorecard


def prepare(processed: dict[str, pd.DataFrame], province_code: str, year: int, base_year: int,
            target_rank: int | None = None, lang: str = defaults.LANG,
            produced: str | None = None) -> ReportData:
    """Everything the sections need, from the processed tables alone (figures, methodology, provinces, targets)."""
    provinces = processed["provinces"]
    ranked = places.units(provinces, year)
    region = ranked.loc[province_code, "region_code"]
    scores = pd.concat([processed["par_scores"], processed["sipas_scores"]], ignore_index=True)
    summary = processed["summary"]
    unit_counts = {y: places.unit_count(provinces, y) for y in {year, base_year, *scores["year"].astype(int)}}
    indicators, decisions = methodology.indicators(processed), methodology.decisions(processed)
    rules = analysis.ActionRules.from_table(processed["action_rules"])
    targets = processed.get("targets", pd.DataFrame())  # a hand-made set of tables may have none: none on record

    def basis(y: int, b: int) -> Basis:
        choice = choose_target(targets, province_code, y, unit_counts[y], target_rank, unit_counts[year])
        ctx = analysis.Context(province_code, y, b, region, indicators, decisions, ranked["region_code"], choice.rank,
                               unit_counts, places.same_set(provinces, y, b))
        comparison, weak = (analysis.compare(scores, summary, ctx),
                            analysis.weak_criteria(scores, summary, processed["criteria"], ctx))
        return Basis(y, b, comparison, weak, analysis.target(scores, ctx), choice,
                     analysis.reference_points(scores, ctx),
                     analysis.choose_actions(weak, comparison, rules, unit_counts[y]))

    main = basis(year, base_year)
    latest = analysis.latest_year_with_figures(processed["par_scores"], processed["sipas_scores"], province_code, year)
    summarised = main if latest in (None, year) else basis(latest, max([y for y in decisions.index if y < latest],
                                                                       default=latest))
    shares = analysis.all_shares(scores, year)
    before = _predecessors(scores, provinces, province_code, year, base_year)
    par_fields = methodology.par_fields(indicators)
    used = _figures_shown(scores, summary, province_code, region, year, base_year, shares, main.target,
                          par_fields) | set(
        scores.loc[scores["province_code"].isin(before.index) & (scores["year"] == base_year)
                   & scores["indicator"].isin(["PAR", "SIPAS"]), "source_id"])
    conflicts = _conflicts(processed["conflicts"], province_code, year, base_year)
    cited = used | {s for column in ("sources_kept", "sources_rejected") for cell in conflicts[column]
                    for s in str(cell).split(";")}
    province_rows = scores[(scores["province_code"] == province_code) & scores["year"].isin([year, base_year])]
    start = places.set_start(provinces, year)
    return ReportData(
        province_code=province_code, province_name=ranked.loc[province_code, "name_vi"],
        unit=ranked.loc[province_code].get("kind", "province"), year=year, base_year=base_year,
        target_rank=main.target_choice.rank, target_choice=main.target_choice, reference_points=main.reference,
        responsibility=_responsibility(processed, province_code, summarised.year),
        action_rules=rules, par_counts=_par_counts(scores, year), lang=lang,
        comparison=main.comparison, par_trajectory=analysis.trajectory(scores, summary, province_code, region, "PAR"),
        sipas_trajectory=analysis.trajectory(scores, summary, province_code, region, "SIPAS"),
        coverage=processed["coverage"], conflicts=conflicts, sources=_cited(processed["sources"], cited),
        decisions=decisions, crosswalk=processed["field_crosswalk"],
        is_official=bool(province_rows["is_official"].any()),
        is_synthetic=any("synthetic" in s.lower() for s in used), produced=produced or dt.date.today().isoformat(),
        weak=main.weak, target=main.target, shares=shares, province_names=ranked["name_vi"].to_dict(),
        latest_year=latest, basis=summarised, provinces_total=len(ranked), unit_counts=unit_counts,
        indicator_names=indicators[["name_vi", "name_en"]], par_fields=par_fields, maxima=processed["maxima"],
        predecessors=before, merger=start if start > min(unit_counts) else None,
        criteria_blocks=report_criteria.criteria_blocks(processed, province_code, year, base_year, lang),
    )


def _conflicts(conflicts: pd.DataFrame, province_code: str, year: int, base_year: int) -> pd.DataFrame:
    return conflicts[(conflicts["area_code"] == province_code) & conflicts["year"].isin([year, base_year])]


def _responsibility(processed: dict[str, pd.DataFrame], province_code: str, year: int) -> pd.DataFrame:
    """The province's lead and supporting agencies for the summarised year's codes (none without a table)."""
    table = processed.get("responsibility", pd.DataFrame(columns=["province_code", "year", "code"]))
    return table[(table["province_code"] == province_code) & (table["year"] == year)]


def _par_counts(scores: pd.DataFrame, year: int) -> tuple[int, int]:
    """How many provinces have a PAR INDEX score for the year (points or percent of maximum), and how many more are
    known by their rank alone: the cover counts what it says it counts."""
    rows = scores[(scores["year"] == year) & (scores["indicator"] == "PAR")]
    scored = set(rows.loc[rows["measure"].isin(["points", "pct_of_max"]), "province_code"])
    ranked = set(rows.loc[rows["measure"] == "rank", "province_code"])
    return len(scored), len(ranked - scored)


def _predecessors(scores: pd.DataFrame, provinces: pd.DataFrame, province_code: str, year: int,
                  base_year: int) -> pd.DataFrame:
    """Across a merger of provinces, the provinces of the base year the unit carries on, with their own figures;
    empty when both years rank the same set."""
    if places.same_set(provinces, year, base_year):
        return pd.DataFrame(columns=["name_vi"])
    before = places.predecessors(provinces, province_code, base_year)
    return before[["name_vi"]].join(analysis.predecessor_figures(scores, list(before.index), base_year))


def _figures_shown(scores: pd.DataFrame, summary: pd.DataFrame, province_code: str, region: str, year: int,
                   base_year: int, shares: pd.DataFrame, target: analysis.Target,
                   par_fields: tuple[str, ...]) -> set[str]:
    """The sources of the figures the report shows: the province's two years in full and its totals over the years,
    the national and regional means, the other provinces' field results in the heatmap, and the province published
    at the target rank. The appendix cites these and no others."""
    own = scores[scores["province_code"] == province_code]
    own = own[own["year"].isin([year, base_year]) | own["indicator"].isin(["PAR", "SIPAS"])]
    means = summary[summary["area_code"].isin(["VN", region]) & summary["statistic"].eq("mean")
                    & (summary["year"].isin([year, base_year]) | summary["indicator"].isin(["PAR", "SIPAS"]))]
    fields = [c for c in shares.columns if c in par_fields]
    heatmap = scores[(scores["year"] == year) & scores["indicator"].isin(fields)
                     & scores["province_code"].isin(shares.index[shares[fields].notna().any(axis=1)])] \
        if fields else scores.iloc[:0]
    at_target = scores[(scores["year"] == year) & (scores["indicator"] == "PAR")
                       & scores["province_code"].isin(target.published_at_target["province_code"])]
    return set(pd.concat([own, means, heatmap, at_target])["source_id"])


def _cited(sources: pd.DataFrame, cited: set[str]) -> pd.DataFrame:
    """The cited sources, numbered in the appendix's order (by publisher)."""
    sources = sources[sources["source_id"].isin(cited)].sort_values(["publisher", "source_id"])
    return sources.assign(number=range(1, len(sources) + 1)).reset_index(drop=True)


class _IndentedLoader(jinja2.FileSystemLoader):
    """Templates are written one element per line for reading; the report has always carried a section on one line,
    so each line break and the indentation after it are dropped when a template is loaded."""

    def get_source(self, environment, template):
        source, filename, uptodate = super().get_source(environment, template)
        return "".join(line.lstrip() for line in source.splitlines()), filename, uptodate


def _escaped(value) -> Markup:
    """Every value a template prints, escaped as the stdlib does (&#x27; for an apostrophe, as the report always
    wrote it; markupsafe would write &#39;). Markup already made by a macro passes as it is."""
    return value if isinstance(value, Markup) else Markup(html.escape(str(value)))


def template_environment(*folders: Path) -> jinja2.Environment:
    """Templates looked up in these folders in order, loaded one line per section, every value escaped; the
    province's own index (internal_report) renders with the same environment over sections/ and its own folder."""
    return jinja2.Environment(loader=_IndentedLoader(list(folders)), autoescape=True, finalize=_escaped,
                              undefined=jinja2.StrictUndefined)


_TEMPLATES = template_environment(paths.TEMPLATES / "sections")


def _chart(svg: str | None, fallback: str, alt: str, classes: str = "chart") -> dict:
    """A chart as an SVG image inside the page (a data URI: nothing fetched), or a sentence when there is no data.
    As an image rather than inline markup, the HTML stays small and WeasyPrint prints it twice as fast."""
    source = None if svg is None else "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii")
    return dict(source=source, fallback=fallback, alt=alt, classes=classes)


def _unit(data: ReportData) -> str:
    return text(f"unit_{data.unit}", data.lang)


def _no_figures_note(data: ReportData, key: str) -> str | None:
    """Said first on the cover and in the summary when the report year has no figure for the province."""
    if data.latest_year == data.year:
        return None
    if data.latest_year is None:
        return text(f"{key}_ever", data.lang, unit=_unit(data), province=_named(data), year=data.year)
    return text(key, data.lang, unit=_unit(data), province=_named(data), year=data.year, latest=data.latest_year)


def _named(data: ReportData) -> str:
    """'tỉnh Khánh Hòa', 'thành phố Cần Thơ', but 'Thành phố Hồ Chí Minh' as it is (English: the name alone)."""
    name = data.province_name
    if data.lang != "vi" or name.lower().startswith(("tỉnh ", "thành phố ")):
        return name
    return f"{_unit(data)} {name}"


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


def _cover(data: ReportData) -> dict:
    lang = data.lang
    return dict(
        banner=text("synthetic_banner", lang) if data.is_synthetic else None,
        title=text("title", lang),
        subtitle=text("subtitle", lang, province=data.province_name, year=data.year, base_year=data.base_year),
        note=_no_figures_note(data, "no_figures_cover"),
        target=_target_line(data),
        produced=text("produced", lang, date=date(data.produced, lang)),
        status=text("data_status", lang, status=data_status(data)),
        contents=text("contents", lang), toc=[(name, text("h_" + name, lang)) for name in shown_sections(data)],
        running_title=running_title(data))


def _plan_values(choice: TargetChoice, lang: str) -> dict:
    """What a sentence says of the plan a target comes from: who set it, when, for which indexes and years."""
    plan = choice.plan
    first, last = int(plan["first_year"]), int(plan["last_year"])
    return dict(issuer=plan[f"issuer_{lang}"], date=date(plan["plan_date"], lang),
                indexes=text("target_both_indexes" if choice.sipas_rank == choice.rank else "target_par_index", lang),
                years=str(first) if first == last else f"{first}–{last}", plan=plan["plan"])


def _target_line(data: ReportData) -> str:
    """The cover's line on the target: its rank and who set it (a plan on record, the analyst), or that none is on
    record for the province and year."""
    choice, lang = data.target_choice, data.lang
    if choice.set_by == "plan":
        return text("target_line_plan", lang, target=choice.rank, **_plan_values(choice, lang))
    if choice.set_by == "analyst":
        return text("target_line_analyst", lang, target=choice.rank)
    return text("target_line_none", lang, unit=_unit(data), year=data.year)


def _index_facts(row: pd.Series, when: str, lang: str, percent: bool, out_of: int) -> list[str]:
    """The parts of one year's result that are known: score, rank, gap to the national average."""
    facts = []
    if pd.notna(row[f"share_{when}"]):
        facts.append(text("fact_score", lang, score=_percent(row[f"share_{when}"], lang) if percent else
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
                     ([text("fact_score", lang, score=_percent(share, lang))] if pd.notna(share) else [])
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
    lang, basis, unit = data.lang, data.basis, _unit(data)
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
    return text("action_criterion", lang, code=code.removeprefix("PAR.F"), name=row[f"name_{lang}"])


def _action_reasons(row: pd.Series, data: ReportData, basis: Basis, rules: analysis.ActionRules) -> list[str]:
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
    lead = criteria.lead_for(code.removeprefix("PAR.F"), data.responsibility)
    if lead is None:
        return " " + text("action_lead_none", data.lang)
    support = lead["supporting_agencies"] if isinstance(lead["supporting_agencies"], str) else ""
    return " " + text("action_lead", data.lang, lead=lead["lead_agency"]) + (
        text("action_support", data.lang, support=support) if support.strip() else "") + "."


def action_points(data: ReportData) -> list[str]:
    """What to do: the fields, criteria and SIPAS elements the rule of action_rules.csv chooses
    (analysis.choose_actions), each with why and, where the province has a responsibility table, who leads it; then
    the target, or the reference points where no target is on record."""
    lang, basis, unit = data.lang, data.basis, _unit(data)
    actions = [text("action_line", lang, item=_item_name(code, row, lang),
                    why="; ".join(_action_reasons(row, data, basis, data.action_rules))) + _action_lead(code, row, data)
               for code, row in basis.actions.iterrows()]
    if not actions:
        actions.append(text("action_none", lang, year=basis.year, unit=unit))
    actions.append(_target_point(data))
    return actions


def _target_point(data: ReportData) -> str:
    lang, basis, unit = data.lang, data.basis, _unit(data)
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


def _reference_label(point: str, points: pd.DataFrame, lang: str) -> str:
    """A reference point's name; in an incomplete ranking the next province up is the nearest one known above."""
    partial = point == "next_up" and not points["complete"].iloc[0]
    return text(f"ref_{point}_known" if partial else f"ref_{point}", lang)


def _reference_facts(data: ReportData, points: pd.DataFrame) -> list[str]:
    """Each reference point in words: its place and holder, and the places and points still to go."""
    lang, out_of, facts = data.lang, int(points["out_of"].iloc[0]), []
    for point, r in points.iterrows():
        if pd.isna(r["place"]):
            continue
        label = _reference_label(point, points, lang)
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
    values = dict(year=basis.year, unit=_unit(data))
    if points["places_to_go"].isna().all():
        return text("sum_reference_unknown", lang, **values)
    known = "" if points["complete"].iloc[0] else text("ref_partial", lang, known=int(points["known"].iloc[0]),
                                                       total=int(points["out_of"].iloc[0]))
    return text("sum_reference", lang, facts="; ".join(_reference_facts(data, points)), known=known, **values)


def summary_points(data: ReportData) -> list[str]:
    """Every statement of the summary, in order (the tests read them)."""
    note = _no_figures_note(data, "sum_no_figures")
    return ([note] if note else []) + position_points(data) + action_points(data)


def _percent(value: float, lang: str) -> str:
    written = number(value, lang)
    return written if pd.isna(value) else written + "%"


def _summary(data: ReportData) -> dict:
    return dict(note=_no_figures_note(data, "sum_no_figures"),
                position_title=text("sum_h_position", data.lang, unit=_unit(data)), position=position_points(data),
                actions_title=text("sum_h_actions", data.lang), actions=action_points(data))


def _comparison_rows(rows: pd.DataFrame, lang: str, out_of: tuple[int, int]) -> list[list[str]]:
    """Table cells; a figure not published is a dash, explained by the legend under the table."""
    return _dashes(_comparison_cells(rows, lang, out_of), lang)


def _comparison_cells(rows: pd.DataFrame, lang: str, out_of: tuple[int, int]) -> list[list[str]]:
    """out_of: how many units the base year and the report year rank."""
    return [[row[f"name_{lang}"] + (" *" if row["level"] in ("field", "field_part") and row["method_changed"] else ""),
             _percent(row["share_base"], lang), rank(row["rank_base"], lang, out_of[0]),
             _percent(row["share_year"], lang), rank(row["rank_year"], lang, out_of[1]),
             signed(row["change_share"], lang), rank_change(row["change_rank"], lang)] for _, row in rows.iterrows()]


VALUE_COLUMNS = ["share_base", "rank_base", "share_year", "rank_year"]


def _comparison(data: ReportData, rows: pd.DataFrame, header: list[str], intro: str | None, no_figures: str) -> dict:
    """The comparison table with its legend, or one sentence when neither year has a figure to show."""
    lang, out_of = data.lang, (data.unit_counts[data.base_year], data.unit_counts[data.year])
    if rows[VALUE_COLUMNS].isna().all().all():
        return dict(no_figures=no_figures)
    return dict(no_figures=None, intro=intro, header=header, rows=_comparison_rows(rows, lang, out_of),
                notes=_legend(rows, lang))


def _comparison_header(value: str, lang: str, year: int, base_year: int) -> list[str]:
    """Indicator, then value and rank in each year, then the changes; value is the index's measure column."""
    return [text("col_indicator", lang), text(value, lang, year=base_year), text("col_rank", lang, year=base_year),
            text(value, lang, year=year), text("col_rank", lang, year=year), text("col_change", lang),
            text("col_rank_change", lang)]


def _predecessor_table(data: ReportData) -> dict | None:
    """Across the merger: each predecessor's own base-year PAR INDEX and SIPAS, ranked among the base year's set."""
    if data.predecessors.empty:
        return None
    lang, y, b, out_of = data.lang, data.year, data.base_year, data.unit_counts[data.base_year]
    names = text("list_and", lang, first=", ".join(data.predecessors["name_vi"].iloc[:-1]),
                 last=data.predecessors["name_vi"].iloc[-1]) if len(data.predecessors) > 1 \
        else data.predecessors["name_vi"].iloc[0]
    header = [text("col_predecessor", lang, base_year=b), "PAR INDEX " + text("col_share", lang, year=b),
              text("col_rank", lang, year=b), text("col_percent", lang, year=b), text("col_rank", lang, year=b)]
    rows = [[r.name_vi, _percent(r.share_PAR, lang), rank(r.rank_PAR, lang, out_of), _percent(r.share_SIPAS, lang),
             rank(r.rank_SIPAS, lang, out_of)] for r in data.predecessors.itertuples()]
    return dict(intro=text("predecessors_intro", lang, name=data.province_name, year=y, base_year=b, names=names,
                           base_total=out_of, total=data.provinces_total),
                header=header, rows=_dashes(rows, lang),
                legend=text("legend_missing", lang))


def _par(data: ReportData) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    rows = data.comparison[data.comparison["index"] == "PAR"]
    header = _comparison_header("col_share", lang, y, b)
    return dict(
        predecessors=_predecessor_table(data),
        comparison=_comparison(data, rows, header, text("par_intro", lang),
                               text("par_none", lang, year=y, base_year=b, unit=_unit(data))),
        charts=[_chart(charts.fields_dot_plot(data.comparison, lang, y, b),
                       text("chart_fields_none", lang, year=y, base_year=b), text("chart_fields_title", lang)),
                _chart(charts.rank_change_bars(data.comparison, lang, y, b), text("chart_change_none", lang),
                       text("chart_change_title", lang, year=y, base_year=b)),
                _chart(charts.fields_heatmap(data.shares, data.province_names, lang, data.province_code, y,
                                             data.indicator_names, data.par_fields),
                       text("chart_heatmap_none", lang, year=y),
                       text("chart_heatmap_title", lang, year=y, n=_provinces_with_fields(data.shares)), "chart tall")])


def _provinces_with_fields(shares: pd.DataFrame) -> int:
    fields = [c for c in shares.columns if c in PAR_FIELDS]
    return int(shares[fields].notna().any(axis=1).sum())


def _weak(data: ReportData, limit: int = 15) -> dict:
    lang, weak = data.lang, data.weak
    if weak.empty:
        return dict(no_figures=text("weak_none", lang, year=data.year))
    header = [text("col_item", lang), text("col_share", lang, year=data.year), text("col_points", lang),
              text("col_max", lang), text("col_recoverable", lang), text("col_vs_national", lang),
              text("col_rank", lang, year=data.year), text("col_flags", lang)]
    rows = []
    for code, row in weak.head(limit).iterrows():
        flags = [text(key, lang, base_year=data.base_year) for key, on in
                 (("flag_below", row["below_average"]), ("flag_declined", row["declined"]),
                  ("flag_bottom", row["bottom_third"])) if pd.notna(on) and bool(on)]
        rows.append([item_label(code if row["level"] > 1 else "", row[f"name_{lang}"]), _percent(row["share"], lang),
                     number(row["points"], lang), number(row["max_points"], lang), number(row["recoverable"], lang),
                     signed(-row["shortfall"], lang),
                     rank(row["rank"], lang, data.provinces_total), ", ".join(flags)])
    return dict(no_figures=None, intro=text("weak_intro", lang, year=data.year), header=header,
                rows=_dashes(rows, lang), legend=text("legend_missing", lang))


def _dashes(rows: list[list[str]], lang: str) -> list[list[str]]:
    missing = text("not_published", lang)
    return [[cell if cell != missing else "–" for cell in row] for row in rows]


def _target_origin(data: ReportData) -> str:
    """Who set the target, first in the section: the plan on record (with its address when known) or the analyst."""
    choice, lang = data.target_choice, data.lang
    if choice.set_by == "analyst":
        return text("target_origin_analyst", lang, target=choice.rank)
    values = _plan_values(choice, lang)
    url = choice.plan["url"]
    address = text("target_plan_address", lang, url=url) if isinstance(url, str) and url.strip() else text(
        "target_plan_no_address", lang)
    return text("target_origin_plan", lang, target=choice.rank, address=address, **values)


def _sipas_target(data: ReportData) -> str | None:
    """The plan's SIPAS target against the year's SIPAS rank, when the plan set one."""
    goal, lang = data.target_choice.sipas_rank, data.lang
    if goal is None:
        return None
    place = data.comparison.loc["SIPAS", "rank_year"] if "SIPAS" in data.comparison.index else float("nan")
    if pd.isna(place):
        return text("target_sipas_unknown", lang, target=goal, year=data.year, unit=_unit(data))
    return text("target_sipas_met" if place <= goal else "target_sipas_gap", lang, target=goal, year=data.year,
                rank=rank(place, lang, data.provinces_total), n=int(place - goal))


def _reference_table(data: ReportData) -> dict:
    """No target on record: say so, then the reference points as a table, named as such."""
    lang, points = data.lang, data.reference_points
    out_of = int(points["out_of"].iloc[0])
    paragraphs = [text("target_none", lang, unit=_unit(data), year=data.year)]
    if not points["complete"].iloc[0]:
        paragraphs.append(text("reference_incomplete", lang, year=data.year, known=int(points["known"].iloc[0]),
                               total=out_of))
    if points["places_to_go"].isna().all():
        paragraphs.append(text("reference_own_unknown", lang, year=data.year, unit=_unit(data)))
    reached = text("ref_reached", lang)
    rows = [[_reference_label(point, points, lang).capitalize(),
             data.province_names.get(r["province_code"], "–") if isinstance(r["province_code"], str) else "–",
             rank(r["place"], lang, out_of), number(r["score"], lang),
             reached if r["places_to_go"] <= 0 else number(r["places_to_go"], lang, 0),
             reached if r["places_to_go"] <= 0 else number(r["points_to_go"], lang)]
            for point, r in points.iterrows()]
    header = [text("col_reference", lang), text("col_holder", lang), text("col_rank", lang, year=data.year),
              text("col_points", lang), text("col_places_to_go", lang), text("col_points_to_go", lang)]
    return dict(paragraphs=paragraphs, headroom=_headroom(data),
                reference=dict(intro=text("reference_intro", lang, year=data.year), header=header,
                               rows=_dashes(rows, lang), legend=text("legend_missing", lang)))


def _target(data: ReportData) -> dict:
    lang, t, y, unit = data.lang, data.target, data.year, _unit(data)
    if data.target_choice.rank is None:
        return _reference_table(data)
    if t.complete:
        values = dict(year=y, target=t.target_rank, score=number(t.score, lang),
                      rank=rank(t.rank, lang, data.provinces_total),
                      needed_score=number(t.score_to_reach, lang))
        paragraphs = [text("target_met", lang, **values) if t.points_needed == 0 else
                      text("target_complete", lang, needed=number(t.points_needed, lang), **values)]
    else:
        facts = ([text("fact_points", lang, score=number(t.score, lang))] if pd.notna(t.score) else []) + \
                ([text("fact_placed", lang, rank=rank(t.rank, lang, data.provinces_total))] if pd.notna(t.rank) else [])
        paragraphs = [text("target_public", lang, total=data.provinces_total, year=y, target=t.target_rank),
                      text("target_known", lang, year=y, unit=unit, facts=", ".join(facts)) if facts else
                      text("target_own_unpublished", lang, year=y, unit=unit)]
        at_target = t.published_at_target.dropna(subset=["score"])
        if at_target.empty:
            paragraphs.append(text("target_unpublished", lang, target=t.target_rank, year=y))
        else:
            names = "; ".join(text("target_published_name", lang, name=data.province_names[r.province_code],
                                   score=number(r.score, lang)) for r in at_target.itertuples())
            paragraphs.append(text("target_published", lang, names=names, target=t.target_rank, year=y))
    paragraphs = [_target_origin(data), *paragraphs, *filter(None, [_sipas_target(data)])]
    return dict(paragraphs=paragraphs, reference=None, headroom=_headroom(data))


def _headroom(data: ReportData) -> dict | None:
    """Room to gain points in each field (complete tables), with or without a target."""
    lang, headroom = data.lang, data.target.headroom
    if headroom.empty:
        return None
    names = data.comparison[f"name_{lang}"]
    rows = [[names.get(code, code), number(r.points, lang), number(r.max_points, lang), number(r.headroom, lang)]
            for code, r in headroom.iterrows()]
    return dict(intro=text("target_headroom", lang), rows=_dashes(rows, lang),
                header=[text("col_item", lang), text("col_points", lang), text("col_max", lang),
                        text("col_headroom", lang)])


def _trajectory(data: ReportData) -> dict:
    lang = data.lang
    return dict(charts=[
        _chart(charts.rank_trajectory(data.par_trajectory, data.sipas_trajectory, lang, data.target_rank,
                                      data.unit_counts, data.merger, target_out_of=data.unit_counts[data.year]),
               text("chart_rank_none", lang), text("chart_rank_title", lang)),
        _chart(charts.score_trajectory(data.par_trajectory, lang, data.province_name, data.merger),
               text("chart_score_none", lang), charts.score_title(data.par_trajectory, lang))])


def _sipas(data: ReportData) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    rows = data.comparison[data.comparison["index"] == "SIPAS"]
    header = _comparison_header("col_percent", lang, y, b)
    intro = text("sipas_intro", lang) if rows["method_changed"].any() else None
    chart = _chart(charts.sipas_elements_bars(data.comparison, lang, y, b), text("chart_sipas_none", lang),
                   text("chart_sipas_title", lang))
    return dict(comparison=_comparison(data, rows, header, intro,
                                       text("sipas_none", lang, year=y, base_year=b, unit=_unit(data))),
                chart=chart)


def _legend(rows: pd.DataFrame, lang: str) -> list[str]:
    notes = [text("legend_missing", lang)]
    if (rows["method_changed"] & rows["level"].isin(["field", "field_part"])).any():
        notes.append("* " + text("method_changed", lang))
    return notes


def _stated_method(data: ReportData) -> dict:
    """A year with no decision on record: the maxima its official table stated, named with their table."""
    lang, stated = data.lang, data.maxima[data.maxima["year"] == data.year].sort_values("indicator")
    maxima = "; ".join(f"{data.indicator_names.loc[r.indicator, f'name_{lang}']} {number(r.max_points, lang)}"
                       for r in stated.itertuples())
    source = ", ".join(s.removeprefix("official:") for s in stated["source_id"].unique())
    return dict(text=text("method_stated", lang, year=data.year, base_year=data.base_year, maxima=maxima,
                          source=source, base_decision=data.decisions.loc[data.base_year, "par_decision"]),
                crosswalk=None)


def _method(data: ReportData) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    if y not in data.decisions.index:
        return _stated_method(data)
    decision, base_decision = data.decisions.loc[y, "par_decision"], data.decisions.loc[b, "par_decision"]
    if decision == base_decision:
        return dict(text=text("method_same", lang, decision=decision), crosswalk=None)
    names = {d: data.crosswalk[data.crosswalk["decision"] == d].set_index("indicator")[f"name_{lang}"]
             for d in (decision, base_decision)}
    rows = [[text("field_short", lang, k=code.removeprefix("PAR.F")), names[base_decision].get(code, ""),
             names[decision].get(code, "")]
            for code in names[decision].index]
    return dict(text=text("method_text", lang, year=y, base_year=b, decision=decision, base_decision=base_decision),
                crosswalk=dict(header=["", text("col_field_base", lang, year=b), text("col_field_base", lang, year=y)],
                           rows=rows))


def _coverage(data: ReportData) -> dict:
    lang, total = data.lang, data.provinces_total
    coverage = data.coverage
    known = coverage[coverage["measure"].isin(["rank", "points", "percent"])
                     & coverage["indicator"].isin(["PAR", "SIPAS"])]
    wide = (known.groupby(["year", "indicator"])["provinces_known"].max().unstack("indicator")
            .reindex(columns=["PAR", "SIPAS"]))
    rows = [[str(year), *(f"{int(v) if pd.notna(v) else 0}/{data.unit_counts[int(year)]}" for v in row)]
            for year, row in wide.iterrows()]
    numbers = data.sources.set_index("source_id")["number"]
    cite = lambda ids: ", ".join(f"[{numbers[i]}]" for i in str(ids).split(";") if i in numbers)  # noqa: E731
    names = data.indicator_names[f"name_{lang}"]
    conflicts = [text("conflict_line", lang, indicator=names.get(r.indicator, r.indicator), year=r.year,
                      measure=text(f"measure_{r.measure}", lang), kept=number(r.value_kept, lang),
                      kept_sources=cite(r.sources_kept), rejected=number(r.value_rejected, lang),
                      rejected_sources=cite(r.sources_rejected), rule=text(f"rule_{r.rule}", lang))
                 for r in data.conflicts.itertuples()]
    crossed = int((data.conflicts["rule"] == "cross_check").sum())
    return dict(text=text("coverage_text", lang, total=total), header=[text("col_year", lang), "PAR INDEX", "SIPAS"],
                rows=rows, conflicts=conflicts,
                conflicts_intro=text("coverage_conflicts" if conflicts else "coverage_no_conflicts", lang),
                cross_check=text("coverage_cross_check", lang, count=crossed) if crossed else None)


def _given(value: object) -> bool:
    """A registry cell that holds something (the registry writes an empty cell for 'none')."""
    return isinstance(value, str) and bool(value.strip())


def source_address(source, lang: str) -> str:
    """Where a cited source is (a row of the sources table): the original publisher's address, or a file by its
    name. A copy of a page (data/reference/copy_domains.csv) is never printed: it stays in the raw registry."""
    return source.url if _given(source.url) else str(source.source_id).split(":", 1)[-1]


def _sources(data: ReportData) -> dict:
    lang = data.lang
    rows = [[f"[{r.number}]", r.publisher, r.language, source_address(r, lang)] for r in data.sources.itertuples()]
    return dict(text=text("sources_text", lang), rows=rows, header=[
        text("col_source", lang), text("col_site", lang), text("col_language", lang), text("col_url", lang)])


def _definitions(data: ReportData) -> dict:
    """Each definition in the catalogue is 'term: meaning'."""
    entries = [text(key, data.lang, total=data.provinces_total) for key in
               ("def_par", "def_sipas", "def_share", "def_rank", "def_derived")]
    return dict(terms=[(entry.split(":")[0], entry.split(":", 1)[1].strip()) for entry in entries])


def _criteria(data: ReportData) -> dict:
    """Built by report_criteria from the scorecards, crosswalk and responsibility table."""
    return dict(blocks=data.criteria_blocks)


PARTS: dict[str, Callable[[ReportData], dict]] = {
    "cover": _cover, "summary": _summary, "par": _par, "weak": _weak, "target": _target, "criteria": _criteria,
    "trajectory": _trajectory, "sipas": _sipas, "method": _method, "coverage": _coverage, "sources": _sources,
    "definitions": _definitions}
"""The report's parts in order, each rendered by templates/sections/<name>.html.j2 from what its function gives."""
SECTIONS = tuple(PARTS)[1:]
"""The sections after the cover: the contents page, the cells of notebook 03 and the anchors the tests look for."""


def shown_sections(data: ReportData) -> list[str]:
    """The sections this report has: the criterion section only where the province has a scorecard for the year."""
    return [name for name in SECTIONS if name != "criteria" or data.criteria_blocks]


def section(name: str, data: ReportData) -> str:
    """One part of the report as HTML: "cover" or a name of SECTIONS (which also gets its anchor and title); ""
    for a section this report does not have."""
    if name != "cover" and name not in shown_sections(data):
        return ""
    heading = {} if name == "cover" else dict(anchor=name, title=text(f"h_{name}", data.lang))
    return _TEMPLATES.get_template(f"{name}.html.j2").render(**heading, **PARTS[name](data))
