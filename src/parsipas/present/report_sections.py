"""The province report's sections: what each shows (tables, charts, the sentences of report_sentences), which
templates/sections/<name>.html.j2 writes out. report.KIND lists them in order."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from parsipas.core.formatting import criterion_number, item_label, number, rank, rank_change, signed
from parsipas.core.messages import text
from parsipas.present import charts, engine
from parsipas.present.engine import figure, paragraph
from parsipas.present.report_sentences import (
    action_points,
    data_status,
    no_figures_note,
    plan_values,
    position_points,
    reference_label,
    running_title,
    share_percent,
    target_line,
    unit_word,
)

if TYPE_CHECKING:
    from parsipas.present.report import ReportData


def _cover(data: ReportData) -> dict:
    lang = data.lang
    return engine.cover(data, kicker="PAR INDEX · SIPAS", title=text("title", lang),
                        subtitle=text("subtitle", lang, province=data.province_name, year=data.year,
                                      base_year=data.base_year),
                        note=no_figures_note(data, "no_figures_cover"), meta=target_line(data),
                        status=text("data_status", lang, status=data_status(data)), running_title=running_title(data))


def _summary(data: ReportData) -> dict:
    return engine.summary(no_figures_note(data, "sum_no_figures"),
                          text("sum_h_position", data.lang, unit=unit_word(data)), position_points(data),
                          text("sum_h_actions", data.lang), action_points(data))


def _dash_table(header: list[str], rows: list[list], classes: str) -> dict:
    """A table of the Ministry report: a figure not published is a dash, explained by the legend under the table."""
    return engine.table(header, rows, engine.DASH, classes)


def _comparison_cells(rows: pd.DataFrame, lang: str, out_of: tuple[int, int]) -> list[list[str]]:
    """out_of: how many units the base year and the report year rank."""
    return [[row[f"name_{lang}"] + (" *" if row["level"] in ("field", "field_part") and row["method_changed"] else ""),
             share_percent(row["share_base"], lang), rank(row["rank_base"], lang, out_of[0]),
             share_percent(row["share_year"], lang), rank(row["rank_year"], lang, out_of[1]),
             signed(row["change_share"], lang), rank_change(row["change_rank"], lang)] for _, row in rows.iterrows()]


VALUE_COLUMNS = ["share_base", "rank_base", "share_year", "rank_year"]


def _comparison(data: ReportData, rows: pd.DataFrame, header: list[str], intro: str | None,
                no_figures: str) -> list[dict]:
    """The comparison table with its legend, or one sentence when neither year has a figure to show."""
    lang, out_of = data.lang, (data.unit_counts[data.base_year], data.unit_counts[data.year])
    if rows[VALUE_COLUMNS].isna().all().all():
        return [paragraph(no_figures)]
    return [*([paragraph(intro)] if intro else []),
            _dash_table(header, _comparison_cells(rows, lang, out_of), "comparison"),
            *[paragraph(note, "note") for note in _legend(rows, lang)]]


def _comparison_header(value: str, lang: str, year: int, base_year: int) -> list[str]:
    """Indicator, then value and rank in each year, then the changes; value is the index's measure column."""
    return [text("col_indicator", lang), text(value, lang, year=base_year), text("col_rank", lang, year=base_year),
            text(value, lang, year=year), text("col_rank", lang, year=year), text("col_change", lang),
            text("col_rank_change", lang)]


def _predecessor_table(data: ReportData) -> list[dict]:
    """Across the merger: each predecessor's own base-year PAR INDEX and SIPAS, ranked among the base year's set."""
    if data.predecessors.empty:
        return []
    lang, y, b, out_of = data.lang, data.year, data.base_year, data.unit_counts[data.base_year]
    names = text("list_and", lang, first=", ".join(data.predecessors["name_vi"].iloc[:-1]),
                 last=data.predecessors["name_vi"].iloc[-1]) if len(data.predecessors) > 1 \
        else data.predecessors["name_vi"].iloc[0]
    header = [text("col_predecessor", lang, base_year=b), "PAR INDEX " + text("col_share", lang, year=b),
              text("col_rank", lang, year=b), text("col_percent", lang, year=b), text("col_rank", lang, year=b)]
    rows = [[r.name_vi, share_percent(r.share_PAR, lang), rank(r.rank_PAR, lang, out_of),
             share_percent(r.share_SIPAS, lang), rank(r.rank_SIPAS, lang, out_of)]
            for r in data.predecessors.itertuples()]
    return [paragraph(text("predecessors_intro", lang, name=data.province_name, year=y, base_year=b, names=names,
                           base_total=out_of, total=data.provinces_total)),
            _dash_table(header, rows, "comparison"), paragraph(text("legend_missing", lang), "note")]


def _par(data: ReportData) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    rows = data.comparison[data.comparison["index"] == "PAR"]
    header = _comparison_header("col_share", lang, y, b)
    heatmap = charts.fields_heatmap(data.shares, data.province_names, lang, data.province_code, y, data.indicator_names,
                                    data.par_fields)
    return dict(blocks=[
        *_predecessor_table(data),
        *_comparison(data, rows, header, text("par_intro", lang),
                     text("par_none", lang, year=y, base_year=b, unit=unit_word(data))),
        figure(charts.fields_dot_plot(data.comparison, lang, y, b),
               text("chart_fields_none", lang, year=y, base_year=b), text("chart_fields_title", lang)),
        figure(charts.rank_change_bars(data.comparison, lang, y, b), text("chart_change_none", lang),
               text("chart_change_title", lang, year=y, base_year=b)),
        figure(heatmap, text("chart_heatmap_none", lang, year=y),
               text("chart_heatmap_title", lang, year=y, n=_provinces_with_fields(data.shares, data.par_fields)),
               "chart tall")])


def _provinces_with_fields(shares: pd.DataFrame, par_fields: tuple[str, ...]) -> int:
    fields = [c for c in shares.columns if c in par_fields]
    return int(shares[fields].notna().any(axis=1).sum())


def _weak(data: ReportData, limit: int = 15) -> dict:
    lang, weak = data.lang, data.weak
    if weak.empty:
        return dict(blocks=[paragraph(text("weak_none", lang, year=data.year))])
    header = [text("col_item", lang), text("col_share", lang, year=data.year), text("col_points", lang),
              text("col_max", lang), text("col_recoverable", lang), text("col_vs_national", lang),
              text("col_rank", lang, year=data.year), text("col_flags", lang)]
    rows = []
    for code, row in weak.head(limit).iterrows():
        flags = [text(key, lang, base_year=data.base_year) for key, on in
                 (("flag_below", row["below_average"]), ("flag_declined", row["declined"]),
                  ("flag_bottom", row["bottom_third"])) if pd.notna(on) and bool(on)]
        rows.append([item_label(code if row["level"] > 1 else "", row[f"name_{lang}"]),
                     share_percent(row["share"], lang),
                     number(row["points"], lang), number(row["max_points"], lang), number(row["recoverable"], lang),
                     signed(-row["shortfall"], lang),
                     rank(row["rank"], lang, data.provinces_total), ", ".join(flags)])
    return dict(blocks=[paragraph(text("weak_intro", lang, year=data.year)), _dash_table(header, rows, "weak"),
                        paragraph(text("legend_missing", lang), "note")])


def _target_origin(data: ReportData) -> str:
    """Who set the target, first in the section: the plan on record (with its address when known) or the analyst."""
    choice, lang = data.target_choice, data.lang
    if choice.set_by == "analyst":
        return text("target_origin_analyst", lang, target=choice.rank)
    values = plan_values(choice, lang)
    url = choice.plan["url"]
    address = text("target_plan_address", lang, url=url) if engine.given(url) else text("target_plan_no_address", lang)
    return text("target_origin_plan", lang, target=choice.rank, address=address, **values)


def _sipas_target(data: ReportData) -> str | None:
    """The plan's SIPAS target against the year's SIPAS rank, when the plan set one."""
    goal, lang = data.target_choice.sipas_rank, data.lang
    if goal is None:
        return None
    place = data.comparison.loc["SIPAS", "rank_year"] if "SIPAS" in data.comparison.index else float("nan")
    if pd.isna(place):
        return text("target_sipas_unknown", lang, target=goal, year=data.year, unit=unit_word(data))
    return text("target_sipas_met" if place <= goal else "target_sipas_gap", lang, target=goal, year=data.year,
                rank=rank(place, lang, data.provinces_total), n=int(place - goal))


def _reference_table(data: ReportData) -> dict:
    """No target on record: say so, then the reference points as a table, named as such."""
    lang, points = data.lang, data.reference_points
    out_of = int(points["out_of"].iloc[0])
    paragraphs = [text("target_none", lang, unit=unit_word(data), year=data.year)]
    if not points["complete"].iloc[0]:
        paragraphs.append(text("reference_incomplete", lang, year=data.year, known=int(points["known"].iloc[0]),
                               total=out_of))
    if points["places_to_go"].isna().all():
        paragraphs.append(text("reference_own_unknown", lang, year=data.year, unit=unit_word(data)))
    reached = text("ref_reached", lang)
    rows = [[reference_label(point, points, lang).capitalize(),
             data.province_names.get(r["province_code"], "–") if isinstance(r["province_code"], str) else "–",
             rank(r["place"], lang, out_of), number(r["score"], lang),
             reached if r["places_to_go"] <= 0 else number(r["places_to_go"], lang, 0),
             reached if r["places_to_go"] <= 0 else number(r["points_to_go"], lang)]
            for point, r in points.iterrows()]
    header = [text("col_reference", lang), text("col_holder", lang), text("col_rank", lang, year=data.year),
              text("col_points", lang), text("col_places_to_go", lang), text("col_points_to_go", lang)]
    return dict(blocks=[*map(paragraph, paragraphs), paragraph(text("reference_intro", lang, year=data.year)),
                        _dash_table(header, rows, "reference-points text-2"),
                        paragraph(text("legend_missing", lang), "note"), *_headroom(data)])


def _target(data: ReportData) -> dict:
    lang, t, y, unit = data.lang, data.target, data.year, unit_word(data)
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
    return dict(blocks=[*map(paragraph, paragraphs), *_headroom(data)])


def _headroom(data: ReportData) -> list[dict]:
    """Room to gain points in each field (complete tables), with or without a target."""
    lang, headroom = data.lang, data.target.headroom
    if headroom.empty:
        return []
    names = data.comparison[f"name_{lang}"]
    rows = [[names.get(code, code), number(r.points, lang), number(r.max_points, lang), number(r.headroom, lang)]
            for code, r in headroom.iterrows()]
    header = [text("col_item", lang), text("col_points", lang), text("col_max", lang), text("col_headroom", lang)]
    return [paragraph(text("target_headroom", lang)), _dash_table(header, rows, "headroom")]


def _trajectory(data: ReportData) -> dict:
    lang = data.lang
    return dict(blocks=[
        figure(charts.rank_trajectory(data.par_trajectory, data.sipas_trajectory, lang, data.target_rank,
                                      data.unit_counts, data.merger, target_out_of=data.unit_counts[data.year]),
               text("chart_rank_none", lang), text("chart_rank_title", lang)),
        figure(charts.score_trajectory(data.par_trajectory, lang, data.province_name, data.merger),
               text("chart_score_none", lang), charts.score_title(data.par_trajectory, lang))])


def _sipas(data: ReportData) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    rows = data.comparison[data.comparison["index"] == "SIPAS"]
    header = _comparison_header("col_percent", lang, y, b)
    intro = text("sipas_intro", lang) if rows["method_changed"].any() else None
    chart = figure(charts.sipas_elements_bars(data.comparison, lang, y, b), text("chart_sipas_none", lang),
                   text("chart_sipas_title", lang))
    return dict(blocks=[*_comparison(data, rows, header, intro,
                                     text("sipas_none", lang, year=y, base_year=b, unit=unit_word(data))), chart])


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
    return dict(blocks=[paragraph(text("method_stated", lang, year=data.year, base_year=data.base_year, maxima=maxima,
                                       source=source,
                                       base_decision=data.decisions.loc[data.base_year, "par_decision"]))])


def _method(data: ReportData) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    if y not in data.decisions.index:
        return _stated_method(data)
    decision, base_decision = data.decisions.loc[y, "par_decision"], data.decisions.loc[b, "par_decision"]
    if decision == base_decision:
        return dict(blocks=[paragraph(text("method_same", lang, decision=decision))])
    names = {d: data.crosswalk[data.crosswalk["decision"] == d].set_index("indicator")[f"name_{lang}"]
             for d in (decision, base_decision)}
    rows = [[text("field_short", lang, k=criterion_number(code)), names[base_decision].get(code, ""),
             names[decision].get(code, "")]
            for code in names[decision].index]
    header = ["", text("col_field_base", lang, year=b), text("col_field_base", lang, year=y)]
    return dict(blocks=[paragraph(text("method_text", lang, year=y, base_year=b, decision=decision,
                                       base_decision=base_decision)), _dash_table(header, rows, "crosswalk")])


def _coverage(data: ReportData) -> dict:
    lang, total = data.lang, data.provinces_total
    coverage = data.coverage
    known = coverage[coverage["measure"].isin(["rank", "points", "percent"])
                     & coverage["indicator"].isin(["PAR", "SIPAS"])]
    wide = (known.groupby(["year", "indicator"])["provinces_known"].max().unstack("indicator")
            .reindex(columns=["PAR", "SIPAS"]))
    rows = [[str(year), *(f"{int(v) if pd.notna(v) else 0}/{data.unit_counts[int(year)]}" for v in row)]
            for year, row in wide.iterrows()]
    cite = engine.citations(data.sources)
    names = data.indicator_names[f"name_{lang}"]
    conflicts = [text("conflict_line", lang, indicator=names.get(r.indicator, r.indicator), year=r.year,
                      measure=text(f"measure_{r.measure}", lang), kept=number(r.value_kept, lang),
                      kept_sources=cite(r.sources_kept), rejected=number(r.value_rejected, lang),
                      rejected_sources=cite(r.sources_rejected), rule=text(f"rule_{r.rule}", lang))
                 for r in data.conflicts.itertuples()]
    crossed = int((data.conflicts["rule"] == "cross_check").sum())
    return dict(blocks=[
        paragraph(text("coverage_text", lang, total=total)),
        _dash_table([text("col_year", lang), "PAR INDEX", "SIPAS"], rows, "coverage"),
        paragraph(text("coverage_conflicts" if conflicts else "coverage_no_conflicts", lang)),
        *([engine.bullets(conflicts)] if conflicts else []),
        *([paragraph(text("coverage_cross_check", lang, count=crossed))] if crossed else [])])


def _sources(data: ReportData) -> dict:
    return engine.sources_appendix(data.sources, data.lang, text("sources_text", data.lang))


def _definitions(data: ReportData) -> dict:
    """Each definition in the catalogue is 'term: meaning'."""
    entries = [text(key, data.lang, total=data.provinces_total) for key in
               ("def_par", "def_sipas", "def_share", "def_rank", "def_derived")]
    return dict(blocks=[engine.terms([(entry.split(":")[0], entry.split(":", 1)[1].strip()) for entry in entries])])


def _criteria(data: ReportData) -> dict:
    """Built by report_criteria from the scorecards, crosswalk and responsibility table."""
    return dict(blocks=data.criteria_blocks)


def _titled(name: str, data: ReportData) -> str:
    return text(f"h_{name}", data.lang)


KIND = engine.ReportKind(
    name="province", cover=engine.Section("cover", "cover.html.j2", _cover), formats=("html", "pdf", "docx"),
    title=_titled, sources_order=("publisher", "source_id"), sections=(
        engine.Section("summary", "blocks.html.j2", _summary),
        engine.Section("par", "blocks.html.j2", _par),
        engine.Section("weak", "blocks.html.j2", _weak),
        engine.Section("target", "blocks.html.j2", _target),
        engine.Section("criteria", "blocks.html.j2", _criteria, shown=lambda data: bool(data.criteria_blocks)),
        engine.Section("trajectory", "blocks.html.j2", _trajectory),
        engine.Section("sipas", "blocks.html.j2", _sipas),
        engine.Section("method", "blocks.html.j2", _method),
        engine.Section("coverage", "blocks.html.j2", _coverage),
        engine.Section("sources", "blocks.html.j2", _sources),
        engine.Section("definitions", "blocks.html.j2", _definitions)))
"""The Ministry report comparing a province's two years: its parts in order, each a template of templates/sections/
and the function giving its data. The criterion section only where the province has a scorecard for the year."""
