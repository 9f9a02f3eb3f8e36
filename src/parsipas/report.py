"""The sections of the annual report as HTML, built from the processed data. Every data-derived string is escaped;
every word comes from the message catalogue, so the report is wholly in one language."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass
from html import escape
from pathlib import Path

import pandas as pd

from . import analysis, charts, paths, reference
from .messages import number, rank, rank_change, signed, text
from .provinces import Gazetteer
from .schemas import PAR_FIELDS


@dataclass
class ReportData:
    province_code: str
    province_name: str
    year: int
    base_year: int
    target_rank: int
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
    produced: str
    weak: pd.DataFrame
    target: analysis.Target
    shares: pd.DataFrame
    province_names: dict
    indicator_names: pd.DataFrame  # name_vi, name_en by indicator code: no code appears in the report's text


def prepare(processed: dict[str, pd.DataFrame], province_code: str, year: int, base_year: int, target_rank: int = 30,
            lang: str = "vi", reference_dir: Path = paths.REFERENCE, raw_dir: Path = paths.RAW,
            produced: str | None = None) -> ReportData:
    places = Gazetteer(reference_dir)
    region = places.provinces.loc[province_code, "region_code"]
    scores = pd.concat([processed["par_scores"], processed["sipas_scores"]], ignore_index=True)
    ctx = analysis.Context(province_code, year, base_year, region, reference.indicators(reference_dir),
                           reference.decisions(reference_dir), places.provinces["region_code"], target_rank)
    province_rows = scores[scores["province_code"] == province_code]
    summary = processed["summary"]
    used = set(province_rows["source_id"]) | set(summary[summary["area_code"].isin(["VN", region])
                                                         & summary["statistic"].eq("mean")]["source_id"])
    registry = Path(raw_dir) / "public" / "sources.csv"
    official = sorted(s for s in used if s.startswith("official:"))
    sources = pd.concat([
        reference.read_commented_csv(registry) if registry.is_file() else pd.DataFrame(columns=["source_id"]),
        pd.DataFrame({"source_id": official, "site": "data/raw/official", "language": "vi",
                      "url": [s.split(":", 1)[1] for s in official]})], ignore_index=True)
    conflicts = processed["conflicts"]
    return ReportData(
        province_code=province_code, province_name=places.name(province_code), year=year, base_year=base_year,
        target_rank=target_rank, lang=lang,
        comparison=analysis.compare(scores, summary, ctx),
        par_trajectory=analysis.trajectory(scores, summary, province_code, region, "PAR"),
        sipas_trajectory=analysis.trajectory(scores, summary, province_code, region, "SIPAS"),
        coverage=processed["coverage"],
        conflicts=conflicts[(conflicts["area_code"] == province_code) & conflicts["year"].isin([year, base_year])],
        sources=sources[sources["source_id"].isin(used)].sort_values("source_id"),
        decisions=ctx.decisions, crosswalk=reference.table("field_crosswalk", reference_dir),
        is_official=bool(province_rows[province_rows["year"].isin([year, base_year])]["is_official"].any()),
        produced=produced or dt.date.today().isoformat(),
        weak=analysis.weak_criteria(scores, summary, processed["criteria"], ctx),
        target=analysis.target(scores, ctx),
        shares=analysis.all_shares(scores, year),
        province_names=places.provinces["name_vi"].to_dict(),
        indicator_names=reference.indicators(reference_dir)[["name_vi", "name_en"]],
    )


def _section(anchor: str, title: str, body: str) -> str:
    return f'<section id="{anchor}"><h2>{escape(title)}</h2>{body}</section>'


def _table(header: list[str], rows: list[list[str]], classes: str = "") -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return f'<div class="table-wrap"><table class="{classes}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def _figure(svg: str | None, fallback: str, alt: str, classes: str = "chart") -> str:
    """A chart as an SVG image inside the page (a data URI: nothing fetched), or a sentence when there is no data.
    As an image rather than inline markup, the HTML stays small and WeasyPrint prints it twice as fast."""
    if svg is None:
        return f'<p class="no-chart">{escape(fallback)}</p>'
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<figure class="{classes}"><img src="{source}" alt="{escape(alt)}"/></figure>'


SECTIONS = ["summary", "par", "weak", "target", "trajectory", "sipas", "method", "coverage", "sources", "definitions"]


def cover(data: ReportData) -> str:
    lang = data.lang
    status = text("status_official" if data.is_official else "status_public", lang)
    toc = "".join(f'<li><a href="#{s}">{escape(text("h_" + s, lang))}</a></li>' for s in SECTIONS)
    return (
        '<header class="cover">'
        f'<p class="kicker">PAR INDEX · SIPAS</p><h1>{escape(text("title", lang))}</h1>'
        f'<p class="subtitle">{escape(text("subtitle", lang, province=data.province_name, year=data.year, base_year=data.base_year))}</p>'
        f'<p class="meta">{escape(text("target_line", lang, target=data.target_rank))}</p>'
        f'<p class="meta">{escape(text("produced", lang, date=data.produced))}</p>'
        f'<p class="meta status">{escape(text("data_status", lang, status=status))}</p>'
        f'<nav class="toc"><h2>{escape(text("contents", lang))}</h2><ol>{toc}</ol></nav>'
        f'<p class="running-title">{escape(text("footer", lang, province=data.province_name, year=data.year, base_year=data.base_year))}</p>'
        '</header>'
    )


def summary_points(data: ReportData) -> list[str]:
    """The 3-6 statements of the executive summary, each computed from the comparison."""
    lang, c = data.lang, data.comparison
    par, points = c.loc["PAR"], []
    if pd.notna(par["share_year"]):
        base_known = pd.notna(par["share_base"]) or pd.notna(par["rank_base"])
        points.append(text("sum_par" if base_known else "sum_par_no_base", lang, year=data.year,
                           score=_percent(par["share_year"], lang), rank=rank(par["rank_year"], lang),
                           rank_change=rank_change(par["change_rank"], lang), base_year=data.base_year,
                           base_score=_percent(par["share_base"], lang), base_rank=rank(par["rank_base"], lang)))
    else:
        points.append(text("sum_par_missing", lang, year=data.year))
    if pd.notna(par["gap_national_year"]):
        gap_key = "gap_above" if par["gap_national_year"] >= 0 else "gap_below"
        points.append(text("sum_national", lang, mean=number(par["national_mean_year"], lang), year=data.year,
                           gap=text(gap_key, lang, value=number(abs(par["gap_national_year"]), lang))))
    fields = c[(c["level"] == "field") & c["share_year"].notna()]
    if len(fields) >= 2:
        strong, weak = fields["share_year"].idxmax(), fields["share_year"].idxmin()
        points.append(text("sum_strong_weak", lang, year=data.year, strong=c.loc[strong, f"name_{lang}"],
                           strong_value=number(c.loc[strong, "share_year"], lang), weak=c.loc[weak, f"name_{lang}"],
                           weak_value=number(c.loc[weak, "share_year"], lang)))
    else:
        points.append(text("sum_fields_missing", lang, year=data.year))
    sipas = c.loc["SIPAS"]
    sipas_key = "sum_sipas_missing" if pd.isna(sipas["share_year"]) and pd.isna(sipas["rank_year"]) else "sum_sipas"
    points.append(text(sipas_key, lang, year=data.year, value=_percent(sipas["share_year"], lang), rank=rank(sipas["rank_year"], lang),
                       base_year=data.base_year, base_value=_percent(sipas["share_base"], lang), base_rank=rank(sipas["rank_base"], lang)))
    if pd.isna(par["rank_year"]):
        points.append(text("sum_target_unknown", lang, target=data.target_rank, year=data.year))
    elif data.target.complete and data.target.points_needed:
        points.append(text("sum_target_points", lang, target=data.target_rank, rank=int(par["rank_year"]),
                           n=int(par["rank_year"] - data.target_rank), needed=number(data.target.points_needed, lang)))
    elif par["rank_year"] <= data.target_rank:
        points.append(text("sum_target_met", lang, target=data.target_rank, rank=int(par["rank_year"])))
    else:
        points.append(text("sum_target_gap", lang, target=data.target_rank, rank=int(par["rank_year"]),
                           n=int(par["rank_year"] - data.target_rank)))
    if bool(par["method_changed"]):
        points.append(text("sum_method", lang, year=data.year, base_year=data.base_year,
                           decision=data.decisions.loc[data.year, "par_decision"],
                           base_decision=data.decisions.loc[data.base_year, "par_decision"]))
    return points[:6]


def _percent(value: float, lang: str) -> str:
    written = number(value, lang)
    return written if pd.isna(value) else written + "%"


def summary(data: ReportData) -> str:
    items = "".join(f"<li>{escape(p)}</li>" for p in summary_points(data))
    return _section("summary", text("h_summary", data.lang), f'<ul class="key-points">{items}</ul>')


def _comparison_rows(rows: pd.DataFrame, lang: str) -> list[list[str]]:
    """Table cells; a figure not published is a dash, explained by the legend under the table."""
    return _dashes(_comparison_cells(rows, lang), lang)


def _comparison_cells(rows: pd.DataFrame, lang: str) -> list[list[str]]:
    return [[row[f"name_{lang}"] + (" *" if row["level"] in ("field", "field_part") and row["method_changed"] else ""),
             _percent(row["share_base"], lang), rank(row["rank_base"], lang),
             _percent(row["share_year"], lang), rank(row["rank_year"], lang),
             signed(row["change_share"], lang), rank_change(row["change_rank"], lang)] for _, row in rows.iterrows()]


def par_section(data: ReportData) -> str:
    lang, y, b = data.lang, data.year, data.base_year
    rows = data.comparison[data.comparison["index"] == "PAR"]
    header = [text("col_indicator", lang), text("col_share", lang, year=b), text("col_rank", lang, year=b),
              text("col_share", lang, year=y), text("col_rank", lang, year=y), text("col_change", lang), text("col_rank_change", lang)]
    body = (f'<p>{escape(text("par_intro", lang))}</p>' + _table(header, _comparison_rows(rows, lang), "comparison")
            + _legend(rows, lang)
            + _figure(charts.fields_dot_plot(data.comparison, lang, y, b), text("chart_fields_none", lang, year=y, base_year=b),
                      text("chart_fields_title", lang))
            + _figure(charts.rank_change_bars(data.comparison, lang, y, b), text("chart_change_none", lang),
                      text("chart_change_title", lang, year=y, base_year=b))
            + _figure(charts.fields_heatmap(data.shares, data.province_names, lang, data.province_code, y,
                                            data.indicator_names),
                      text("chart_heatmap_none", lang, year=y), text("chart_heatmap_title", lang, year=y, n=_provinces_with_fields(data.shares)), "chart tall"))
    return _section("par", text("h_par", lang), body)


def _provinces_with_fields(shares: pd.DataFrame) -> int:
    fields = [c for c in shares.columns if c in PAR_FIELDS]
    return int(shares[fields].notna().any(axis=1).sum())


def weak_section(data: ReportData, limit: int = 15) -> str:
    lang, weak = data.lang, data.weak
    if weak.empty:
        return _section("weak", text("h_weak", lang), f'<p>{escape(text("weak_none", lang, year=data.year))}</p>')
    header = [text("col_item", lang), text("col_share", lang, year=data.year), text("col_points", lang),
              text("col_max", lang), text("col_recoverable", lang), text("col_vs_national", lang),
              text("col_rank", lang, year=data.year), text("col_flags", lang)]
    rows = []
    for code, row in weak.head(limit).iterrows():
        flags = [text(key, lang, base_year=data.base_year) for key, on in
                 (("flag_below", row["below_average"]), ("flag_declined", row["declined"]), ("flag_bottom", row["bottom_third"])) if on]
        label = code.removeprefix("PAR.F") if row["level"] > 1 else ""
        rows.append([f"{label} {row[f'name_{lang}']}".strip(), _percent(row["share"], lang), number(row["points"], lang),
                     number(row["max_points"], lang),
                     number(row["recoverable"], lang), signed(-row["shortfall"], lang), rank(row["rank"], lang), ", ".join(flags)])
    body = (f'<p>{escape(text("weak_intro", lang, year=data.year))}</p>' + _table(header, _dashes(rows, lang), "weak")
            + f'<p class="note">{escape(text("legend_missing", lang))}</p>')
    return _section("weak", text("h_weak", lang), body)


def _dashes(rows: list[list[str]], lang: str) -> list[list[str]]:
    missing = text("not_published", lang)
    return [[cell if cell != missing else "–" for cell in row] for row in rows]


def target_section(data: ReportData) -> str:
    lang, t, y = data.lang, data.target, data.year
    values = dict(year=y, target=t.target_rank, score=number(t.score, lang), rank=rank(t.rank, lang),
                  needed_score=number(t.score_to_reach, lang), needed=number(t.points_needed, lang))
    if t.complete:
        body = f'<p>{escape(text("target_met" if t.points_needed == 0 else "target_complete", lang, **values))}</p>'
    else:
        body = f'<p>{escape(text("target_public", lang, **values))}</p>'
        if t.published_at_target.empty:
            body += f'<p>{escape(text("target_unpublished", lang, **values))}</p>'
        else:
            names = "; ".join(f"{data.province_names[r.province_code]} ({number(r.score, lang)})"
                              for r in t.published_at_target.itertuples())
            body += f'<p>{escape(text("target_published", lang, names=names, **values))}</p>'
    if not t.headroom.empty:
        names = data.comparison[f"name_{lang}"]
        rows = [[names.get(code, code), number(r.points, lang), number(r.max_points, lang), number(r.headroom, lang)]
                for code, r in t.headroom.iterrows()]
        body += f'<p>{escape(text("target_headroom", lang))}</p>' + _table(
            [text("col_item", lang), text("col_points", lang), text("col_max", lang), text("col_headroom", lang)],
            _dashes(rows, lang), "headroom")
    return _section("target", text("h_target", lang), body)


def trajectory_section(data: ReportData) -> str:
    lang = data.lang
    body = (_figure(charts.rank_trajectory(data.par_trajectory, data.sipas_trajectory, lang, data.target_rank),
                    text("chart_rank_none", lang), text("chart_rank_title", lang))
            + _figure(charts.score_trajectory(data.par_trajectory, lang, data.province_name),
                      text("chart_score_none", lang), text("chart_score_title", lang)))
    return _section("trajectory", text("h_trajectory", lang), body)


def sipas_section(data: ReportData) -> str:
    lang, y, b = data.lang, data.year, data.base_year
    rows = data.comparison[data.comparison["index"] == "SIPAS"]
    header = [text("col_indicator", lang), text("col_percent", lang, year=b), text("col_rank", lang, year=b),
              text("col_percent", lang, year=y), text("col_rank", lang, year=y), text("col_change", lang), text("col_rank_change", lang)]
    intro = f'<p>{escape(text("sipas_intro", lang))}</p>' if rows["method_changed"].any() else ""
    chart = _figure(charts.sipas_elements_bars(data.comparison, lang, y, b), text("chart_sipas_none", lang),
                    text("chart_sipas_title", lang))
    return _section("sipas", text("h_sipas", lang), intro + _table(header, _comparison_rows(rows, lang), "comparison")
                    + _legend(rows, lang) + chart)


def _legend(rows: pd.DataFrame, lang: str) -> str:
    notes = [text("legend_missing", lang)]
    if (rows["method_changed"] & rows["level"].isin(["field", "field_part"])).any():
        notes.append("* " + text("method_changed", lang))
    return "".join(f'<p class="note">{escape(n)}</p>' for n in notes)


def method_section(data: ReportData) -> str:
    lang, y, b = data.lang, data.year, data.base_year
    decision, base_decision = data.decisions.loc[y, "par_decision"], data.decisions.loc[b, "par_decision"]
    if decision == base_decision:
        return _section("method", text("h_method", lang), f'<p>{escape(text("method_same", lang, decision=decision))}</p>')
    names = {d: data.crosswalk[data.crosswalk["decision"] == d].set_index("indicator")["name_vi"] for d in (decision, base_decision)}
    rows = [[code.replace("PAR.", ""), names[base_decision].get(code, ""), names[decision].get(code, "")] for code in names[decision].index]
    body = (f'<p>{escape(text("method_text", lang, year=y, base_year=b, decision=decision, base_decision=base_decision))}</p>'
            + _table(["", text("col_field_base", lang, year=b), text("col_field_base", lang, year=y)], rows, "crosswalk"))
    return _section("method", text("h_method", lang), body)


def coverage_section(data: ReportData) -> str:
    lang = data.lang
    known = data.coverage[data.coverage["measure"].isin(["rank", "points", "percent"]) & data.coverage["indicator"].isin(["PAR", "SIPAS"])]
    wide = known.groupby(["year", "indicator"])["provinces_known"].max().unstack("indicator").reindex(columns=["PAR", "SIPAS"])
    rows = [[str(year), *(f"{int(v)}/63" if pd.notna(v) else "0/63" for v in row)] for year, row in wide.iterrows()]
    body = f'<p>{escape(text("coverage_text", lang))}</p>' + _table([text("col_year", lang), "PAR INDEX", "SIPAS"], rows, "coverage")
    if data.conflicts.empty:
        body += f'<p>{escape(text("coverage_no_conflicts", lang))}</p>'
    else:
        lines = [text("conflict_line", lang, indicator=r.indicator, year=r.year, kept=number(r.value_kept, lang),
                      kept_sources=r.sources_kept, rejected=number(r.value_rejected, lang),
                      rejected_sources=r.sources_rejected, rule=r.rule) for r in data.conflicts.itertuples()]
        body += f'<p>{escape(text("coverage_conflicts", lang))}</p><ul>' + "".join(f"<li>{escape(l)}</li>" for l in lines) + "</ul>"
    return _section("coverage", text("h_coverage", lang), body)


def sources_section(data: ReportData) -> str:
    lang = data.lang
    rows = [[r.source_id, r.site, r.language, r.url] for r in data.sources.itertuples()]
    header = [text("col_source", lang), text("col_site", lang), text("col_language", lang), text("col_url", lang)]
    return _section("sources", text("h_sources", lang), f'<p>{escape(text("sources_text", lang))}</p>' + _table(header, rows, "sources"))


def definitions(data: ReportData) -> str:
    items = "".join(f"<dt>{escape(text(k, data.lang).split(':')[0])}</dt><dd>{escape(text(k, data.lang).split(':', 1)[1].strip())}</dd>"
                    for k in ("def_par", "def_sipas", "def_share", "def_rank", "def_derived"))
    return _section("definitions", text("h_definitions", data.lang), f"<dl>{items}</dl>")
