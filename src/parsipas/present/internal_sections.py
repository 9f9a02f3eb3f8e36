"""The sections of the province's own index reports after the summary, as the engine's blocks (written by
templates/sections/blocks.html.j2), and the two kinds of report: the overview for the province's leadership and the
report of one unit."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from parsipas.analyse import internal_analysis as ia
from parsipas.core.formatting import count_of, item_label, number, rank, rank_change, signed
from parsipas.core.messages import text
from parsipas.present import engine, internal_charts
from parsipas.present.engine import figure, heading, paragraph
from parsipas.present.internal_summary import cover, summary
from parsipas.present.internal_words import (
    average_of,
    base_size,
    covers_all,
    group_name,
    measure_words,
    ministry_name,
    no_base,
    section_title,
    single,
    table,
    unit_name,
    years_of,
)

if TYPE_CHECKING:
    from parsipas.present.internal_report import InternalReport

BOTTOM_COUNT = 3  # the units at the bottom of each field
BELOW_SHOWN = 12  # units listed under the weak Ministry fields: the ones to call in first, not all 44
CRITERIA_LIMIT = 10


def _ranking(data: InternalReport) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    blocks = [paragraph(text("int_rank_intro" if b is not None else "int_rank_intro_one", lang,
                                    **years_of(data)))]
    header = [text("col_int_rank", lang, year=y), text("col_int_unit", lang), text("col_int_score", lang, year=y),
              text("col_int_points", lang, year=y)]
    if b is not None:
        header += [text("col_int_score", lang, year=b), text("col_int_rank", lang, year=b),
                   text("col_int_change", lang), text("col_int_rank_change", lang)]
    for group, rows in data.ranking.groupby("group_code", sort=False):
        size = rows["group_size"].iloc[0]
        name = group_name(data, group)
        blocks.append(heading(text("int_group_heading_one" if single(size) else "int_group_heading", lang,
                                          group=name, n=int(size)) if pd.notna(size) else name))
        chart_title = text("int_chart_group", lang, group=name, year=y)
        blocks.append(figure(internal_charts.group_ranking(rows, lang, chart_title, f"int-rank-{len(blocks)}"),
                                    text("int_chart_group_none", lang, group=name), chart_title, "chart tall"))
        lines = []
        for r in rows.itertuples():
            row = [rank(r.rank, lang, size), unit_name(data, r.unit_code), number(r.score, lang),
                   number(r.points, lang)]
            if b is not None:
                row += [number(r.score_base, lang), rank(r.rank_base, lang, base_size(data, group)),
                        signed(r.change_score, lang),
                        rank_change(r.change_rank, lang)]
            lines.append(row)
        blocks.append(table(header, lines, lang, "text-2 ranking"))
    blocks.append(paragraph(text("int_legend_gap", lang), "note"))
    return dict(blocks=blocks)


def _distribution(data: InternalReport) -> dict:
    lang, y = data.lang, data.year
    if data.fields.empty:
        return dict(blocks=[paragraph(text("int_no_fields", lang, year=y))])
    svg = internal_charts.field_spread(data.shares, data.fields["name_vi"], lang,
                                       text("int_chart_spread", lang, year=y))
    header = [text("col_int_field", lang), text("col_int_max", lang), text("col_int_known", lang),
              text("col_int_mean", lang), text("col_int_lowest", lang), text("col_int_median", lang),
              text("col_int_highest", lang)]
    rows = [[r.name_vi, number(r.max_points, lang), count_of(r.units_known, lang, len(data.ranking)),
             number(r.mean, lang), number(r.lowest, lang), number(r.median, lang), number(r.highest, lang)]
            for r in data.distribution.itertuples()]
    part = not data.has_unit_list or (data.distribution["units_known"] < len(data.ranking)).any()
    return dict(blocks=[paragraph(text("int_dist_intro", lang, year=y)),
                        figure(svg, text("int_chart_spread_none", lang, year=y),
                               text("int_chart_spread", lang, year=y)),
                        table(header, rows, lang),
                        *([paragraph(text("int_dist_part", lang), "note")] if part else [])])


def _movers(data: InternalReport) -> dict:
    lang, y, b = data.lang, data.year, data.base_year
    if b is None:
        return dict(blocks=[paragraph(no_base(data))])
    header = [text("col_int_unit", lang), text("col_int_group", lang), text("col_int_score", lang, year=b),
              text("col_int_score", lang, year=y), text("col_int_change", lang), text("col_int_rank_change", lang)]
    blocks = [paragraph(text("int_movers_intro", lang, year=y, base_year=b))]
    for key, rows in (("rose", data.rose), ("fell", data.fell)):
        blocks.append(heading(text(f"int_movers_{key}", lang)))
        if rows.empty:
            blocks.append(paragraph(text(f"int_movers_none_{key}", lang)))
            continue
        blocks.append(table(header, [[unit_name(data, r.unit_code), group_name(data, r.group_code),
                                      number(r.score_base, lang), number(r.score, lang), signed(r.change_score, lang),
                                      rank_change(r.change_rank, lang)] for r in rows.itertuples()], lang, "text-2"))
    return dict(blocks=blocks)


def _bottom(data: InternalReport) -> dict:
    lang, y = data.lang, data.year
    if data.bottom.empty:
        return dict(blocks=[paragraph(text("int_no_fields", lang, year=y))])
    header = [text("col_int_field", lang), text("col_int_unit", lang), text("col_int_group", lang),
              text("col_int_share", lang), text("col_int_points", lang, year=y)]
    rows = []
    for r in data.bottom.itertuples():
        field = data.fields.loc[r.field_code]
        group = group_name(data, data.units.loc[r.unit_code, "group_code"])
        rows.append([field["name_vi"], unit_name(data, r.unit_code), group,
                     number(r.share, lang), count_of(r.points, lang, field["max_points"], 2)])
    return dict(blocks=[paragraph(text("int_bottom_intro", lang, n=BOTTOM_COUNT, year=y)),
                        table(header, rows, lang, "text-3")])


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
    return dict(blocks=[paragraph(text("int_trend_intro", lang)),
                        figure(svg, text("int_chart_trend_none", lang), text("int_chart_trend", lang)),
                        table(header, rows, lang, "comparison")])


def _ministry_section(data: InternalReport) -> dict:
    lang, w = data.lang, data.weakness
    if w.year is None:
        return dict(blocks=[paragraph(text("int_ministry_none", lang, province=data.province_name, year=data.year))])
    rule = ("int_ministry_rule_below" if w.rule == "below_national" else "int_ministry_rule_lowest")
    blocks = [paragraph(text(rule, lang, year=w.year, province=data.province_name, n=int(w.fields["weak"].sum())))]
    header = [text("col_int_ministry_field", lang), text("col_int_province_share", lang),
              text("col_int_national", lang), text("col_int_weak", lang)]
    blocks.append(table(header, [[ministry_name(data, code), number(r.share, lang), number(r.national_mean, lang),
                                  text("int_yes" if r.weak else "int_no", lang)]
                                 for code, r in w.fields.iterrows()], lang, "ministry"))
    weak = set(w.fields.index[w.fields["weak"]])
    mapped = data.fields[data.fields["ministry_field"].isin(weak)]
    if data.fields.empty:
        blocks.append(paragraph(text("int_no_fields", lang, year=data.year)))
        return dict(blocks=blocks)
    if mapped.empty:
        blocks.append(paragraph(text("int_ministry_unmapped", lang)))
        return dict(blocks=blocks)
    average = average_of(data, list(mapped.index))
    blocks.append(paragraph(text("int_ministry_fields_intro", lang, average=average)))
    whole = covers_all(data, list(mapped.index))
    header = [text("col_int_own_field", lang), text("col_int_ministry_field", lang),
              text("col_int_provincial_mean" if whole else "col_int_known_mean", lang), text("col_int_below", lang)]
    blocks.append(table(header, [[field["name_vi"], ministry_name(data, field["ministry_field"]),
                                  number(data.shares[code].mean() if data.shares[code].notna().any() else None, lang),
                                  str(int((data.below["field_code"] == code).sum()))]
                                 for code, field in mapped.iterrows()], lang, "text-2"))
    if data.below.empty:
        blocks.append(paragraph(text("int_ministry_no_below", lang, average=average)))
        return dict(blocks=blocks)
    codes = [code for code in mapped.index if (data.below["field_code"] == code).any()]
    gaps = data.below.pivot_table(index="unit_code", columns="field_code", values="gap", aggfunc="first")
    header = [text("col_int_unit", lang), text("col_int_group", lang),
              *[data.fields.loc[code, "name_vi"] for code in codes]]
    rows = [[unit_name(data, unit), group_name(data, data.units.loc[unit, "group_code"]),
             *[signed(gaps.loc[unit, code], lang) if pd.notna(gaps.loc[unit, code]) else
               ("–" if pd.notna(data.shares.loc[unit, code]) else None) for code in codes]]
            for unit in ia.below_by_unit(data.below).index]
    intro = (text("int_ministry_units_intro", lang, total=len(rows), average=average) if len(rows) <= BELOW_SHOWN else
             text("int_ministry_units_intro_top", lang, total=len(rows), shown=BELOW_SHOWN, average=average))
    blocks += [paragraph(intro), table(header, rows[:BELOW_SHOWN], lang, "text-2 wide"),
               paragraph(text("int_ministry_units_legend", lang), "note")]
    return dict(blocks=blocks)


def _method(data: InternalReport) -> dict:
    lang = data.lang
    blocks = [paragraph(text("int_method_text", lang))]
    if data.fields.empty:
        blocks.append(paragraph(text("int_no_fields", lang, year=data.year)))
    else:
        blocks.append(paragraph(text("int_method_fields", lang, year=data.year)))
        header = [text("col_int_field", lang), text("col_int_max", lang), text("col_int_ministry_field", lang)]
        blocks.append(table(header, [[r.name_vi, number(r.max_points, lang),
                                     ministry_name(data, r.ministry_field) if r.ministry_field else "–"]
                                    for r in data.fields.itertuples()], lang, "fields"))
    coverage = data.coverage[data.coverage["indicator"] == ia.INDEX]
    coverage = coverage.assign(order=coverage["group_code"].map(data.groups["position"])).sort_values(["year", "order"])
    if not coverage.empty:
        blocks.append(paragraph(text("int_method_coverage", lang)))
        blocks.append(table([text("col_int_year", lang), text("col_int_group", lang), text("col_int_known", lang)],
                            [[str(r.year), group_name(data, r.group_code),
                              count_of(r.units_known, lang, r.group_size) if pd.notna(r.group_size)
                              else number(r.units_known, lang, 0)]
                             for r in coverage.itertuples()], lang, "text-2"))
    computed = coverage[coverage["rank_computed"]]
    if not computed.empty:
        blocks.append(paragraph(text("int_method_ranks_computed", lang, where="; ".join(
            f"{year}: {', '.join(group_name(data, g) for g in rows['group_code'])}"
            for year, rows in computed.groupby("year")))))
    cite = engine.citations(data.sources)
    lines = [text("int_conflict_line", lang, unit=unit_name(data, r.unit_code), year=r.year,
                  measure=measure_words(data, r.indicator, r.measure),
                  kept=number(r.value_kept, lang, 0 if r.measure == "rank" else 2), kept_sources=cite(r.sources_kept),
                  rejected=number(r.value_rejected, lang, 0 if r.measure == "rank" else 2),
                  rejected_sources=cite(r.sources_rejected))
             for r in data.conflicts.itertuples()]
    blocks.append(paragraph(text("int_method_conflicts" if lines else "int_method_no_conflicts", lang)))
    if lines:
        blocks.append(engine.bullets(lines))
    return dict(blocks=blocks)


def _sources(data: InternalReport) -> dict:
    """The cited sources: the province's files and the Ministry's tables by what they are, public pages by their
    publisher; a file by its name, a page by its address."""
    lang = data.lang
    said = {"internal_file": text("int_source_file", lang), "official_file": text("int_source_official", lang)}
    return engine.sources_appendix(data.sources, lang, text("int_sources_text", lang), said)


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
    drawn = p.fields.assign(group_mean=float("nan"), group_best=float("nan")) if single(t["group_size"]) \
        else p.fields  # a group of one: its best and average are the unit itself, not drawn
    both = b is not None and p.fields["share_base"].notna().any()  # the title names the years drawn
    title = text("int_chart_unit_two", lang, year=y, base_year=b) if both else text("int_chart_unit", lang, year=y)
    svg = internal_charts.unit_fields(drawn, lang, title, y, b)
    intro = text("int_comparison_intro", lang, year=y, base_year=b) if b is not None else None
    return dict(blocks=[*([paragraph(intro)] if intro else []), table(header, rows, lang),
                        paragraph(text("int_legend_gap", lang), "note"),
                        figure(svg, text("int_chart_unit_none", lang, year=y), title)])


def _weak(data: InternalReport) -> dict:
    lang, p, y = data.lang, data.profile, data.year
    weak = p.fields[p.fields["weak"]].sort_values("gap_mean")
    if single(p.total["group_size"]):
        blocks = [paragraph(text("int_group_single", lang, group=group_name(data, p.group_code)))]
    elif p.fields["gap_mean"].isna().all():
        blocks = [paragraph(text("int_weak_unknown", lang, year=y))]
    elif weak.empty:
        blocks = [paragraph(text("int_weak_none", lang, year=y))]
    else:
        header = [text("col_int_field", lang), text("col_int_share_year", lang, year=y),
                  text("col_int_group_mean", lang), text("col_int_gap_mean", lang)]
        blocks = [paragraph(text("int_weak_intro", lang, year=y)),
                  table(header, [[r.name_vi, number(r.share, lang), number(r.group_mean, lang),
                                  signed(r.gap_mean, lang)] for r in weak.itertuples()], lang)]
    if p.criteria.empty:
        blocks.append(paragraph(text("int_criteria_none", lang, year=y)))
    else:
        header = [text("col_int_criterion", lang), text("col_int_max", lang), text("col_int_self", lang),
                  text("col_int_granted", lang), text("col_int_lost", lang)]
        blocks += [paragraph(text("int_criteria_intro", lang, year=y)),
                   table(header, [[item_label(r.criterion_code, r.name_vi), number(r.max_points, lang),
                                   number(r.self_assessed, lang), number(r.points, lang), number(r.lost, lang)]
                                  for r in p.criteria.head(CRITERIA_LIMIT).itertuples()], lang)]
    return dict(blocks=blocks)


def _gaps(data: InternalReport) -> dict:
    lang, p, y = data.lang, data.profile, data.year
    if single(p.total["group_size"]):
        return dict(blocks=[paragraph(text("int_group_single", lang, group=group_name(data, p.group_code)))])
    header = [text("col_int_field", lang), text("col_int_share_year", lang, year=y), text("col_int_group_best", lang),
              text("col_int_gap_best", lang), text("col_int_group_mean", lang), text("col_int_gap_mean", lang)]
    t = p.total
    rows = [[r.name_vi, number(r.share, lang), number(r.group_best, lang), signed(r.gap_best, lang),
             number(r.group_mean, lang), signed(r.gap_mean, lang)] for r in p.fields.itertuples()]
    rows.append([text("int_total", lang), number(t["score"], lang), number(t["group_best"], lang),
                 signed(t["score"] - t["group_best"], lang), number(t["group_mean"], lang),
                 signed(round(t["score"] - t["group_mean"], 4), lang)])
    return dict(blocks=[paragraph(text("int_gaps_intro", lang, year=y)), table(header, rows, lang),
                        paragraph(text("int_legend_gap", lang), "note")])


def _kind(name: str, sections: tuple[engine.Section, ...]) -> engine.ReportKind:
    return engine.ReportKind(name=name, cover=engine.Section("cover", "cover.html.j2", cover), sections=sections,
                             formats=("html", "pdf", "docx"), title=section_title, sources_order=("source_id",))


SUMMARY = engine.Section("summary", "blocks.html.j2", summary)
SOURCES = engine.Section("sources", "blocks.html.j2", _sources)
OVERVIEW = _kind("overview", (
    SUMMARY,
    engine.Section("ranking", "blocks.html.j2", _ranking),
    engine.Section("distribution", "blocks.html.j2", _distribution),
    engine.Section("movers", "blocks.html.j2", _movers),
    engine.Section("bottom", "blocks.html.j2", _bottom),
    engine.Section("trend", "blocks.html.j2", _trend),
    engine.Section("ministry", "blocks.html.j2", _ministry_section),
    engine.Section("method", "blocks.html.j2", _method),
    SOURCES))
"""The overview of a unit set for the province's leadership: its parts in order, each a template of
templates/sections/ and the function giving its blocks (the summary and sources appendix as the Ministry report's)."""
UNIT = _kind("unit", (
    SUMMARY,
    engine.Section("comparison", "blocks.html.j2", _comparison),
    engine.Section("weak", "blocks.html.j2", _weak),
    engine.Section("gaps", "blocks.html.j2", _gaps),
    SOURCES))
"""The report of one unit of the set."""
