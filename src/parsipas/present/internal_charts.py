"""Charts of the province's own index (issue 15), drawn with chart_kit as charts.py is: one function per
chart, an SVG string or None when there is too little to draw (the report then prints a sentence), numbers written
as the report writes them, legends only for the series drawn, value labels placed clear of each other."""

from __future__ import annotations

import numpy as np
import pandas as pd

from parsipas.core.formatting import number
from parsipas.core.messages import text
from parsipas.present import chart_kit as kit
from parsipas.present.chart_kit import BASE_COLOUR, DOWN_COLOUR, NATIONAL_COLOUR, STYLE, UP_COLOUR, YEAR_COLOUR, plt

# A colour per group, in the groups' order (Okabe-Ito, as the rest of the report).
GROUP_STYLES = ("-", "--", ":", "-.")
GROUP_COLOURS = (YEAR_COLOUR, NATIONAL_COLOUR, UP_COLOUR, DOWN_COLOUR, "#CC79A7", "#56B4E9", "#F0E442", "#000000")


def group_ranking(ranked: pd.DataFrame, lang: str, title: str, prefix: str) -> str | None:
    """One group's units as bars of their score (percent of maximum), best at the top, each with its figure at the
    end of its bar. ranked: rows of internal_analysis.ranking for the group, in rank order; name_<lang>, score."""
    rows = ranked.dropna(subset=["score"])
    if kit.too_few(rows["score"]):
        return None
    names = [kit.label(n, 44) for n in rows[f"name_{lang}"]][::-1]
    scores = rows["score"].to_numpy()[::-1]
    low = max(0.0, np.floor(scores.min() / 10) * 10 - 10)
    with plt.rc_context(STYLE):
        crowded = len(rows) > 25  # a group of communes: thinner bars, so the chart still fits a page
        figure, axes = plt.subplots(figsize=(7.2, (0.22 if crowded else 0.34) * len(rows) + 1.1))
        axes.barh(range(len(rows)), scores - low, left=low, color=YEAR_COLOUR, height=0.7, zorder=3)
        for position, value in enumerate(scores):
            axes.annotate(number(value, lang), (value, position), xytext=(3, 0), textcoords="offset points",
                          va="center", ha="left", fontsize=7 if crowded else 8, gid=f"value-{position}")
        axes.set_yticks(range(len(rows)), names, fontsize=7 if crowded else 8 if len(rows) > 12 else 9)
        axes.set_ylim(-0.6, len(rows) - 0.4)
        axes.set_xlim(low, 109)
        axes.grid(axis="y", visible=False)
        kit.local_numbers(axes.xaxis, lang)
        axes.set_xlabel(text("axis_pct", lang))
        axes.set_title(title, loc="left", fontweight="bold")
        return kit.svg(figure, prefix)


def field_spread(shares: pd.DataFrame, field_names: pd.Series, lang: str, title: str) -> str | None:
    """Each field's results across the set's units: a box (quartiles, median) and one dot per unit.
    shares: unit_code x field_code, percent of maximum."""
    known = shares.dropna(axis=1, how="all")
    if known.empty or known.notna().sum().max() < 2:
        return None
    codes = list(known.columns)[::-1]  # the first field at the top
    names = [kit.label(field_names[c], 34) for c in codes]
    jitter = np.random.default_rng(15)
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 0.62 * len(codes) + 1.5), layout="constrained")
        values = [known[c].dropna().to_numpy() for c in codes]
        axes.boxplot(values, positions=range(len(codes)), orientation="horizontal", widths=0.55, showfliers=False,
                     patch_artist=True, boxprops=dict(facecolor="#e8eef4", edgecolor="#777777"),
                     medianprops=dict(color="#333333"), whiskerprops=dict(color="#777777"),
                     capprops=dict(color="#777777"), zorder=2)
        for position, column in enumerate(values):
            axes.scatter(column, position + jitter.uniform(-0.18, 0.18, len(column)), s=12, color=BASE_COLOUR,
                         alpha=0.8, zorder=3, label=text("int_legend_units", lang) if position == 0 else None)
        axes.set_yticks(range(len(codes)), names)
        axes.set_ylim(-0.6, len(codes) - 0.4)
        axes.set_xlim(max(0.0, np.nanmin(known.to_numpy()) - 8), 102)
        kit.local_numbers(axes.xaxis, lang)
        axes.set_xlabel(text("axis_pct", lang))
        axes.set_title(title, loc="left", fontweight="bold")
        figure.legend(loc="outside lower center", frameon=False, ncols=2)
        return kit.svg(figure, "int-spread")


def group_lines(averages: pd.DataFrame, group_names: pd.Series, lang: str, title: str) -> str | None:
    """Each group's average score over the years (complete groups only: a year whose group is incomplete is a gap),
    every point labelled. averages: internal_analysis.group_averages. Beyond the eight colours, the colours come
    round again with another line style, so no group is left out."""
    table = averages.pivot_table(index="year", columns="group_code", values="mean", aggfunc="first", dropna=False)
    table = table.reindex(columns=[g for g in group_names.index if g in table.columns]).dropna(axis=1, how="all")
    if len(table.index) < 2 or kit.too_few(table):  # one year is no line: the table beside it says it all
        return None
    years = list(range(int(table.index.min()), int(table.index.max()) + 1))
    table = table.reindex(years)
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 3.6), layout="constrained")
        for k, (group, values) in enumerate(table.items()):
            axes.plot(years, values, marker="o", color=GROUP_COLOURS[k % len(GROUP_COLOURS)],
                      linestyle=GROUP_STYLES[k // len(GROUP_COLOURS) % len(GROUP_STYLES)], label=group_names[group],
                      zorder=3)
        axes.set_xticks(years, [str(y) for y in years])
        axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)
        axes.margins(y=0.25)
        kit.local_numbers(axes.yaxis, lang)
        axes.set_ylabel(text("axis_pct", lang))
        axes.set_title(title, loc="left", fontweight="bold")
        figure.legend(loc="outside lower center", frameon=False, ncols=2)
        figure.draw_without_rendering()  # the layout settles before the value labels are measured
        kit.value_labels(axes, [values.dropna() for _, values in table.items()], [], lambda v: number(v, lang))
        return kit.svg(figure, "int-groups")


UNIT_OWN = ("share_base", "share")  # a unit's own results, drawn over its group's in this order


def unit_fields(fields: pd.DataFrame, lang: str, title: str, year: int, base_year: int | None) -> str | None:
    """A unit's fields: its share in the year and the base year beside its group's average and best. The unit's
    points are drawn above the group's, which are open rings, so both stay legible where they meet.
    fields: internal_analysis.UnitProfile.fields."""
    series = [("share_base", BASE_COLOUR, "o", str(base_year)), ("group_mean", NATIONAL_COLOUR, "s",
                                                                 text("int_legend_group_mean", lang)),
              ("group_best", UP_COLOUR, "^", text("int_legend_group_best", lang)),
              ("share", YEAR_COLOUR, "D", str(year))]
    series = [s for s in series if fields[s[0]].notna().any()]  # a series with no figure: not drawn, not in the legend
    if not series or kit.too_few(fields["share"]):
        return None
    shown = fields[::-1]
    names = [kit.label(n, 34) for n in shown["name_vi"]]
    with plt.rc_context(STYLE):
        figure, axes = plt.subplots(figsize=(7.2, 0.6 * len(shown) + 1.6), layout="constrained")
        for column, colour, marker, label in series:
            if column in UNIT_OWN:  # the unit's own points on top, edged in white, the report year uppermost
                axes.scatter(shown[column], range(len(shown)), color=colour, marker=marker, s=56, label=label,
                             edgecolors="white", linewidths=0.8, zorder=5 + UNIT_OWN.index(column))
            else:  # the group's as open rings: a unit's point at the same value shows inside, the ring around it
                axes.scatter(shown[column], range(len(shown)), facecolors="none", edgecolors=colour, marker=marker,
                             s=110, linewidths=1.6, label=label, zorder=3)
        axes.set_yticks(range(len(shown)), names)
        axes.set_ylim(-0.6, len(shown) - 0.4)
        low = np.nanmin(shown[[s[0] for s in series]].to_numpy(dtype=float))
        axes.set_xlim(max(0.0, low - 8), 102)
        kit.local_numbers(axes.xaxis, lang)
        axes.set_xlabel(text("axis_pct", lang))
        axes.set_title(title, loc="left", fontweight="bold")
        figure.legend(loc="outside lower center", frameon=False, ncols=len(series))
        return kit.svg(figure, "int-unit")


def units_heatmap(shares: pd.DataFrame, unit_names: pd.Series, field_names: pd.Series, lang: str,
                  title: str) -> str | None:
    """The explorer's units x fields table as a heatmap (percent of maximum, values in the cells, blanks blank); the
    field codes on the axis are spelled out under it."""
    table = shares.dropna(how="all")
    if kit.too_few(table):
        return None
    values = table.to_numpy(dtype=float)
    with plt.rc_context({**STYLE, "axes.grid": False}):
        figure, axes = plt.subplots(figsize=(7.2, 0.24 * len(table) + 2.2))
        image = kit.share_image(axes, values)
        axes.set_xticks(range(values.shape[1]), list(table.columns))
        axes.set_yticks(range(len(table)), [unit_names[u] for u in table.index], fontsize=7)
        axes.tick_params(length=0)
        kit.cell_values(axes, image, values, lang, fontsize=6)
        kit.share_colourbar(figure, image, axes, lang)
        kit.key_below(axes, [kit.label(f"{code}: {field_names[code]}", 90) for code in table.columns], 20, columns=1)
        axes.set_title(title, loc="left", fontweight="bold")
        return kit.svg(figure, "int-heatmap")
