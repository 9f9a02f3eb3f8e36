"""The province report (the Ministry's PAR INDEX and SIPAS, a province's two years): here what it needs of the
processed data (prepare), in report_sections the kind's specification over the report engine (its sections, each a
template and the function giving its data), in report_sentences its sentences. Every word comes from the message
catalogue, so the report is wholly in one language."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from parsipas.analyse import actions, analysis, methodology, places
from parsipas.core import defaults
from parsipas.present import engine, report_criteria
from parsipas.present.report_sections import KIND
from parsipas.present.report_sentences import action_points, data_status, summary_points  # noqa: F401

# report.summary_points, action_points and data_status: notebooks 02 and 03 and the tests call them as the province
# report's own


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
    actions: pd.DataFrame           # what to do first (actions.choose_actions)


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
    action_rules: actions.ActionRules  # the thresholds that chose the actions (data/reference/action_rules.csv)
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
    rules = actions.ActionRules.from_table(processed["action_rules"])
    targets = processed.get("targets", pd.DataFrame())  # a hand-made set of tables may have none: none on record

    def basis(y: int, b: int) -> Basis:
        choice = choose_target(targets, province_code, y, unit_counts[y], target_rank, unit_counts[year])
        ctx = analysis.Context(province_code, y, b, region, indicators, decisions, ranked["region_code"], choice.rank,
                               unit_counts, places.same_set(provinces, y, b))
        comparison, weak = (analysis.compare(scores, summary, ctx),
                            analysis.weak_criteria(scores, summary, processed["criteria"], ctx))
        return Basis(y, b, comparison, weak, analysis.target(scores, ctx), choice,
                     analysis.reference_points(scores, ctx),
                     actions.choose_actions(weak, comparison, rules, unit_counts[y]))

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
        coverage=processed["coverage"], conflicts=conflicts,
        sources=engine.cited_sources(processed["sources"], cited, KIND.sources_order),
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


PARTS = {part.name: part.content for part in (KIND.cover, *KIND.sections)}
"""The report's parts in order, each rendered by templates/sections/ from what its function gives (report_sections)."""
SECTIONS = KIND.names
"""The sections after the cover: the contents page, the cells of notebook 03 and the anchors the tests look for."""


def section(name: str, data: ReportData) -> str:
    """One part of the report as HTML: "cover" or a name of SECTIONS (which also gets its anchor and title); ""
    for a section this report does not have."""
    return engine.render(KIND, name, data)
