"""One function per chart, in the style of chart_kit. Each returns an SVG string, or None when there is no data to
draw (the report then prints a sentence instead of an empty chart)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

import numpy as np
import pandas as pd
from matplotlib.patches import PathPatch
from matplotlib.path import Path

from parsipas.core.formatting import criterion_number, number
from parsipas.core.messages import text
from parsipas.present import chart_kit as kit
from parsipas.present.chart_kit import (
    BASE_COLOUR,
    DOWN_COLOUR,
    NATIONAL_COLOUR,
    STYLE,
    TARGET_COLOUR,
    UP_COLOUR,
    YEAR_COLOUR,
    plt,
)


def fields_dot_plot(comparison: pd.DataFrame, lang: str, year: int, base_year: int) -> str | None:
    fields = comparison[comparison["level"] == "field"]
    if kit.too_few(fields[["share_base", "share_year"]]):
        return None
    fields = fields[fields[["share_base", "share_year"]].notna().any(axis=1)]
    names = [kit.label(n) for n in fields[f"name_{lang}"]][::-1]
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 0.55 * len(fields) + 1.2))
        positions = range(len(fields))
        for column, colour, label, marker in (("share_base", BASE_COLOUR, str(base_year), "o"),
                                              ("share_year", YEAR_COLOUR, str(year), "D")):
            if fields[column].notna().any():  # a year with no figure gets no legend entry
                axes.scatter(fields[column][::-1], positions, color=colour, label=label, marker=marker, s=55, zorder=3)
        for position, (_, row) in zip(positions, fields[::-1].iterrows()):
            if pd.notna(row["share_base"]) and pd.notna(row["share_year"]):
                axes.plot([row["share_base"], row["share_year"]], [position] * 2, color="#bbbbbb", zorder=2)
        axes.set_yticks(list(positions), names)
        low = min(fields[["share_base", "share_year"]].min().min(), 100)
        axes.set_xlim(max(0, low - 10), 101)
        kit.local_numbers(axes.xaxis, lang)
        axes.set_xlabel(text("axis_pct", lang))
        axes.set_title(text("chart_fields_title", lang), loc="left", fontweight="bold")
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False, ncols=2)
        return kit.svg(figure, "fields")


def rank_change_bars(comparison: pd.DataFrame, lang: str, year: int, base_year: int) -> str | None:
    rows = comparison[comparison["level"].isin(["index", "part", "field", "component"])
                      & comparison["change_rank"].notna() & (comparison["index"] == "PAR")]
    if kit.too_few(rows["change_rank"]):
        return None
    names = [kit.label(n) for n in rows[f"name_{lang}"]][::-1]
    changes = rows["change_rank"][::-1]
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 0.55 * len(rows) + 1.2))
        colours = [UP_COLOUR if c > 0 else DOWN_COLOUR for c in changes]
        axes.barh(range(len(rows)), changes, color=colours, zorder=3)
        for position, change in enumerate(changes):
            axes.annotate(f"{change:+.0f}", (change, position), xytext=(4 if change >= 0 else -4, 0),
                          textcoords="offset points", va="center", ha="left" if change >= 0 else "right")
        axes.axvline(0, color="#555555", linewidth=0.8)
        axes.set_yticks(range(len(rows)), names)
        reach = max(abs(changes).max(), 5) * 1.25
        axes.set_xlim(-reach, reach)
        kit.local_numbers(axes.xaxis, lang)
        axes.set_xlabel(text("axis_places", lang))
        axes.set_title(text("chart_change_title", lang, year=year, base_year=base_year), loc="left", fontweight="bold")
        return kit.svg(figure, "change")


def rank_trajectory(par: pd.DataFrame, sipas: pd.DataFrame, lang: str, target_rank: int | None,
                    unit_counts: Mapping[int, int], merger: int | None = None,
                    target_out_of: int | None = None) -> str | None:
    """unit_counts: how many units each year ranks. Years ranked out of different totals (the provinces up to 2024,
    the units of the 2025 merger after) get panels of their own, each with its own axis marked with its total
    ("Hạng /<total>") and a line saying which years and total it shows: a rank is never read against another year's
    total. The target line is drawn only in the panels ranked out of the total it was set for (target_out_of; when
    not given, only in a chart of one total: a target of unknown total is put on neither side of a break). merger:
    the first year of a new set of provinces, named over the legend."""
    lines = [(frame["rank"].dropna(), colour, label, marker) for frame, colour, label, marker
             in ((par, YEAR_COLOUR, "PAR INDEX", "o"), (sipas, NATIONAL_COLOUR, "SIPAS", "s"))]
    lines = [line for line in lines if not line[0].empty]  # a series with no figure is neither drawn nor in the legend
    if not lines or kit.too_few(pd.concat([ranks for ranks, *_ in lines], ignore_index=True)):
        return None
    panels = _panels(_year_range([ranks for ranks, *_ in lines]), unit_counts)
    if target_out_of is None and len(panels) == 1:
        target_out_of = panels[0][1]
    with plt.rc_context(STYLE):
        figure, axes_row = plt.subplots(1, len(panels), figsize=(7.2, 3.4), squeeze=False, layout="constrained",
                                        width_ratios=[max(len(years), 1.6) for years, _ in panels])
        for axes, (years, total) in zip(axes_row[0], panels):
            shown = [(ranks[ranks.index.isin(years)], colour, label, marker) for ranks, colour, label, marker in lines]
            for ranks, colour, label, marker in shown:
                axes.plot(*_broken(ranks, years, None), marker=marker, color=colour, label=label, zorder=3)
            if target_rank is not None and total == target_out_of:
                # the target is named in the legend, where no figure can collide with it
                axes.axhline(target_rank, color=TARGET_COLOUR, linestyle="--", linewidth=1,
                             label=text("target_line_label", lang, target=target_rank))
            axes.set_ylim(total + 4, -4)  # room for a label above rank 1 and below the last rank
            axes.set_yticks([1, *range(10, total + 1, 10)])
            kit.local_numbers(axes.yaxis, lang)
            axes.set_xticks(years, [str(y) for y in years])
            axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)
            axes.set_ylabel(text("axis_rank_of", lang, total=total))
            if len(panels) > 1:
                span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
                axes.set_title(text("chart_rank_panel", lang, years=span, total=total), loc="left", fontsize=9)
            if axes is not axes_row[0][0]:  # a later set's axis on the right, by the break between the panels
                axes.yaxis.tick_right()
                axes.yaxis.set_label_position("right")
                axes.spines["left"].set_visible(False)
                axes.spines["right"].set_visible(True)
        figure.suptitle(text("chart_rank_title", lang), x=0.01, ha="left", fontweight="bold", fontsize=10)
        handles = {}
        for axes in axes_row[0]:
            handles.update(zip(*reversed(axes.get_legend_handles_labels())))
        note = text("chart_merger_break", lang, year=merger) if merger is not None and len(panels) > 1 else None
        figure.legend(handles.values(), handles.keys(), loc="outside lower center", frameon=False, ncols=3,
                      title=note, title_fontsize=9)
        figure.draw_without_rendering()  # the layout settles before the value labels are measured
        for axes, (years, _) in zip(axes_row[0], panels):
            kit.value_labels(axes, [ranks[ranks.index.isin(years)] for ranks, *_ in lines], [],
                          lambda value: number(value, lang, 0))
        return kit.svg(figure, "ranks")


def _panels(years: list[int], unit_counts: Mapping[int, int]) -> list[tuple[list[int], int]]:
    """The years cut into runs ranked out of the same total, with that total. A year with no count known (no
    figure either) joins the run it lies in."""
    panels: list[tuple[list[int], int]] = []
    for year in years:
        total = unit_counts.get(year, panels[-1][1] if panels else None)
        if total is None:
            total = next(unit_counts[later] for later in years if later in unit_counts)
        if panels and panels[-1][1] == total:
            panels[-1][0].append(year)
        else:
            panels.append(([year], total))
    return panels


def score_title(par: pd.DataFrame, lang: str) -> str:
    """The score chart's title names only the series it draws: the national average only when one is published."""
    return text("chart_score_title" if par["national_mean"].notna().any() else "chart_score_title_own", lang)


def score_trajectory(par: pd.DataFrame, lang: str, province_name: str, merger: int | None = None) -> str | None:
    shares, national = par["share"].dropna(), par["national_mean"].dropna()
    if shares.empty or kit.too_few(par[["share", "national_mean"]]):
        return None
    years = _year_range([shares, national])
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 3.2))
        axes.plot(*_broken(shares, years, merger), marker="o", color=YEAR_COLOUR, label=province_name, zorder=3)
        if not national.empty:
            axes.plot(years, national.reindex(years), marker="s", linestyle="--", color=NATIONAL_COLOUR,
                      label=text("legend_national", lang), zorder=2)
        axes.margins(y=0.15)  # room for the labels above the highest point and below the lowest
        kit.local_numbers(axes.yaxis, lang)
        _finish_year_chart(axes, years, text("axis_pct", lang), score_title(par, lang), merger, lang)
        kit.value_labels(axes, [shares], [national], lambda value: number(value, lang))
        return kit.svg(figure, "scores")


def _year_range(series: list[pd.Series]) -> list[int]:
    """Every year from the first figure to the last: a year with no figure is a gap in the line, not bridged."""
    known = [int(year) for values in series for year in values.index]
    return list(range(min(known), max(known) + 1))


def _broken(values: pd.Series, years: list[int], merger: int | None) -> tuple[list[float], list[float]]:
    """The points of a line over the years, with a gap just before the merger year: the province before it is not
    the unit after it."""
    x, y = [float(year) for year in years], list(values.reindex(years))
    if merger is not None and years[0] < merger <= years[-1]:
        at = years.index(merger)
        x.insert(at, merger - 0.5)
        y.insert(at, float("nan"))
    return x, y


def _finish_year_chart(axes, years: list[int], ylabel: str, title: str, merger: int | None = None,
                       lang: str | None = None) -> None:
    """Shared by the charts over years: one tick per year, labels, title, the merger's break (named in the legend)
    and the legend under the chart."""
    if merger is not None and years[0] < merger <= years[-1]:
        axes.axvline(merger - 0.5, color=TARGET_COLOUR, linestyle=":", linewidth=1.2,
                     label=text("chart_merger_break", lang, year=merger))
    axes.set_xticks(years, [str(y) for y in years])
    axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    axes.set_ylabel(ylabel)
    axes.set_title(title, loc="left", fontweight="bold")
    axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False, ncols=3)


def _field_codes(lang: str, par_fields: tuple[str, ...]) -> list[str]:
    """Each field's short code (LV3 / F3), numbered as the Ministry numbers the field."""
    return [text("field_short", lang, k=criterion_number(field)) for field in par_fields]


def _by_field(shares: pd.DataFrame, lang: str, par_fields: tuple[str, ...]) -> pd.DataFrame:
    """Province x the PAR fields, in order, labelled with their codes (LV1, LV2, ... / F1, F2, ...), which _field_key
    spells out under the chart."""
    return shares.reindex(columns=list(par_fields)).set_axis(_field_codes(lang, par_fields), axis=1)


def _field_key(axes, indicator_names: pd.DataFrame, lang: str, below: float, par_fields: tuple[str, ...]) -> None:
    """The Ministry's field codes of the axis spelled out under it, in two columns."""
    kit.key_below(axes, [kit.label(f"{code}: {indicator_names.loc[field, f'name_{lang}']}", 48)
                         for code, field in zip(_field_codes(lang, par_fields), par_fields)], below, columns=2)


_drawn_heatmaps: dict[tuple, str] = {}  # see fields_heatmap: one drawing per kernel, kept across reports


def fields_heatmap(shares: pd.DataFrame, names: dict[str, str], lang: str, highlight: str, year: int,
                   indicator_names: pd.DataFrame, par_fields: tuple[str, ...]) -> str | None:
    """Provinces x fields, percent of maximum; only provinces with at least one field known, blanks left blank.
    indicator_names: name_vi and name_en by indicator code, for the key of field codes under the chart; par_fields:
    the year's fields in order (methodology.par_fields).

    The drawing is the same for every province of a year; only the highlighted name differs. So it is drawn once
    per kernel and the highlight is applied to the SVG text: a batch of reports draws it once, not once per report."""
    table = _by_field(shares, lang, par_fields).dropna(how="all")
    if kit.too_few(table):
        return None
    table = table.loc[table.mean(axis=1).sort_values(ascending=False).index]
    table.index = [names[code] for code in table.index]
    key = (table.to_json(), lang, year, indicator_names.loc[list(par_fields)].to_json())
    if key not in _drawn_heatmaps:
        _drawn_heatmaps.clear()  # keep one: a batch is one year in one language
        _drawn_heatmaps[key] = _draw_heatmap(table, lang, year, indicator_names, par_fields)
    return _emphasise_label(_drawn_heatmaps[key], set(table.index), names[highlight])


def _draw_heatmap(table: pd.DataFrame, lang: str, year: int, indicator_names: pd.DataFrame,
                  par_fields: tuple[str, ...]) -> str:
    """The heatmap of provinces x fields (kit.share_image). Province names are drawn bold so the layout leaves room
    for the one that _emphasise_label keeps bold."""
    values = table.to_numpy(dtype=float)
    with plt.rc_context({**STYLE, "axes.grid": False}):
        figure, axes = plt.subplots(figsize=(7.2, 0.24 * len(table) + 1.6))
        image = kit.share_image(axes, values)
        axes.set_xticks(range(values.shape[1]), table.columns)
        axes.set_yticks(range(len(table)), table.index, fontweight="bold", fontsize=7 if len(table) > 30 else 9)
        axes.add_patch(_cell_borders(*values.shape))
        axes.tick_params(length=0)
        axes.spines[:].set_visible(False)
        if len(table) <= 30:  # few provinces (the public record): the values fit in the cells
            kit.cell_values(axes, image, values, lang, fontsize=7)
        kit.share_colourbar(figure, image, axes, lang)
        _field_key(axes, indicator_names, lang, 20, par_fields)
        axes.set_title(text("chart_heatmap_title", lang, year=year, n=len(table)), loc="left", fontweight="bold")
        return kit.svg(figure, "heatmap")


def _cell_borders(rows: int, columns: int) -> PathPatch:
    """White lines between the cells as one path: one SVG element instead of a tick and a grid line per row."""
    lines = [((-0.5, y), (columns - 0.5, y)) for y in np.arange(rows + 1) - 0.5]
    lines += [((x, -0.5), (x, rows - 0.5)) for x in np.arange(columns + 1) - 0.5]
    path = Path([point for line in lines for point in line], [Path.MOVETO, Path.LINETO] * len(lines))
    return PathPatch(path, edgecolor="white", linewidth=0.6, fill=False)


def _emphasise_label(svg: str, names: set[str], highlight: str) -> str:
    """Province names back to normal weight, except the report's own province: bold and in the year's colour."""
    shown = {escape(name, quote=False) for name in names}

    def restyle(match: re.Match) -> str:
        style, rest, label = match.groups()
        if label not in shown:
            return match.group(0)
        if label == escape(highlight, quote=False):
            style += f"; fill: {YEAR_COLOUR}"
        else:
            style = style.replace("font-weight: 700; ", "")
        return f'<text style="{style}"{rest}>{label}</text>'

    return re.sub(r'<text style="([^"]*)"([^>]*)>([^<]*)</text>', restyle, svg)


def field_spread(shares: pd.DataFrame, names: dict[str, str], lang: str, highlight: str, year: int,
                 indicator_names: pd.DataFrame, par_fields: tuple[str, ...]) -> str | None:
    """Each field's results across the provinces known, one dot per province and the province in the year's colour:
    where it stands in every field at a glance. An explorer's view; the report shows the heatmap."""
    import seaborn as sns

    table = _by_field(shares, lang, par_fields)
    fields = list(table.columns)
    spread = table.rename_axis(columns="field").stack().dropna().rename("share").reset_index()
    if spread.empty or spread.groupby("field").size().max() < 2:
        return None
    own = spread["province_code"] == highlight
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 4))
        sns.stripplot(data=spread[~own], x="field", y="share", order=fields, color=BASE_COLOUR, alpha=0.7, size=4,
                      jitter=0.25, label=text("legend_other_provinces", lang), ax=axes)
        sns.stripplot(data=spread[own], x="field", y="share", order=fields, color=YEAR_COLOUR, marker="D", size=8,
                      jitter=False, label=names[highlight], ax=axes)
        handles, labels = axes.get_legend_handles_labels()
        unique = dict(zip(labels, handles))  # seaborn adds one legend entry per field
        axes.legend(unique.values(), unique.keys(), loc="upper center", bbox_to_anchor=(0.5, -0.12), frameon=False,
                    ncols=2)
        axes.set_xlabel("")
        axes.set_ylabel(text("axis_pct", lang))
        kit.local_numbers(axes.yaxis, lang)
        _field_key(axes, indicator_names, lang, 52, par_fields)
        axes.set_title(text("chart_spread_title", lang, year=year), loc="left", fontweight="bold")
        return kit.svg(figure, "spread")


def sipas_elements_bars(comparison: pd.DataFrame, lang: str, year: int, base_year: int) -> str | None:
    """SIPAS elements and aspects, base year next to report year (percent satisfied)."""
    rows = comparison[(comparison["index"] == "SIPAS") & comparison["level"].isin(["element", "aspect"])]
    if kit.too_few(rows[["share_base", "share_year"]]):
        return None
    rows = rows[rows[["share_base", "share_year"]].notna().any(axis=1)]
    names = [kit.label(n, 30) for n in rows[f"name_{lang}"]][::-1]
    positions = range(len(rows))
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 0.7 * len(rows) + 1.2))
        for offset, column, colour, label in ((0.2, "share_base", BASE_COLOUR, str(base_year)),
                                              (-0.2, "share_year", YEAR_COLOUR, str(year))):
            values = pd.Series(rows[column][::-1].to_numpy(), index=[p + offset for p in positions]).dropna()
            if values.empty:  # a year with no figure gets no bars and no legend entry
                continue
            axes.barh(values.index, values, height=0.38, color=colour, label=label, zorder=3)
            for position, value in values.items():
                axes.annotate(number(value, lang, 1), (value, position), xytext=(3, 0),
                              textcoords="offset points", va="center", fontsize=8)
        axes.set_yticks(list(positions), names)
        axes.set_xlim(0, 105)
        kit.local_numbers(axes.xaxis, lang)
        axes.set_xlabel(text("axis_satisfied", lang))
        axes.set_title(text("chart_sipas_title", lang), loc="left", fontweight="bold")
        axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), frameon=False, ncols=2)
        return kit.svg(figure, "sipas")
