"""The chart toolkit both chart modules draw with (charts: the Ministry's indices; internal_charts: the province's own
index): one plotting style and palette, a figure as inline SVG, numbers written as the report writes them, values in
heatmap cells, value labels placed clear of each other, a key of axis codes under a chart, and the rule that a chart
of fewer than two figures is not drawn. Import pyplot from here (`plt`): the Agg backend is set before it loads."""

from __future__ import annotations

import io
import itertools
import re
import textwrap

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.backends.backend_mixed import MixedModeRenderer  # noqa: E402
from matplotlib.backends.backend_svg import FigureCanvasSVG, RendererSVG  # noqa: E402
from matplotlib.ticker import Formatter  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402

from parsipas.core.formatting import number  # noqa: E402
from parsipas.core.messages import text  # noqa: E402

# Okabe-Ito: distinguishable with the common forms of colour blindness.
BASE_COLOUR, YEAR_COLOUR, NATIONAL_COLOUR, UP_COLOUR, DOWN_COLOUR, TARGET_COLOUR = (
    "#999999", "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7")

STYLE = {
    "font.family": "DejaVu Sans",
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#dddddd",
    "grid.linewidth": 0.6,
    "svg.hashsalt": "parsipas",   # stable element ids: the same data gives the same SVG bytes
    "svg.fonttype": "none",       # real text: selectable, searchable in the PDF, and 4x faster to print
}


_SVG_OPTIONS = {"metadata": {"Date": None, "Creator": None}}
SVG_DPI = 72  # an SVG's own unit: 72 per inch whatever is asked (only embedded images use another resolution)


def _vector_only(figure: plt.Figure) -> bool:
    """No image in the figure (an image's resolution is savefig's dpi, which _tight_box's route sets to 72)."""
    return not any(axes.images for axes in figure.axes)


def _tight_box(figure: plt.Figure):
    """The box savefig(bbox_inches="tight") finds, found without the whole trial drawing it makes first. The figure
    is measured as the SVG backend measures it (its renderer, at its resolution); a layout engine (constrained
    layout) places the axes once here, as the trial drawing would, and is then switched off, as savefig does for the
    drawing itself. The same data gives the same bytes, for about a third less of a chart's time."""
    width, height = figure.get_size_inches()
    shown, figure.dpi = figure.dpi, SVG_DPI  # as the SVG backend sets it while it draws
    try:
        if (engine := figure.get_layout_engine()) is not None:
            FigureCanvasSVG(figure)  # the engine measures text with the canvas's renderer: the SVG one
            engine.execute(figure)
            figure.set_layout_engine(None)
        renderer = MixedModeRenderer(figure, width, height, SVG_DPI,
                                     RendererSVG(width * SVG_DPI, height * SVG_DPI, io.StringIO(),
                                                 image_dpi=SVG_DPI))
        return figure.get_tightbbox(renderer).padded(plt.rcParams["savefig.pad_inches"])
    finally:
        figure.dpi = shown


def svg(figure: plt.Figure, prefix: str) -> str:
    """The figure as inline SVG (and closed); ids are prefixed so several charts can share one HTML page without
    clashing."""
    buffer = io.StringIO()
    if _vector_only(figure):
        figure.savefig(buffer, format="svg", bbox_inches=_tight_box(figure), dpi=SVG_DPI, **_SVG_OPTIONS)
    else:
        figure.savefig(buffer, format="svg", bbox_inches="tight", dpi=200, **_SVG_OPTIONS)
    plt.close(figure)
    drawn = buffer.getvalue()
    drawn = drawn[drawn.index("<svg"):]
    drawn = re.sub(r'id="([^"]+)"', rf'id="{prefix}-\1"', drawn)
    return re.sub(r'(url\(#|href="#)([^)"]+)', rf"\1{prefix}-\2", drawn)


def label(name: str, width: int = 34) -> str:
    """A name wrapped to lines of at most `width` characters, for an axis's tick labels."""
    return "\n".join(textwrap.wrap(name, width))


def too_few(values: pd.Series | pd.DataFrame) -> bool:
    """A chart of one bar or one point says nothing a sentence cannot: the report prints its sentence instead."""
    return int(values.notna().to_numpy().sum()) < 2


def share_image(axes, values: np.ndarray):
    """A heatmap of shares (percent of maximum): one image cell per value (imshow, no resampling: a few hundred bytes
    however large the page, cheap to print), on one colour scale from 5 below the lowest value to 100."""
    return axes.imshow(values, aspect="auto", interpolation="none", cmap="cividis",
                       vmin=max(0, np.nanmin(values) - 5), vmax=100)


def share_colourbar(figure, image, axes, lang: str) -> None:
    """The heatmap's colour bar, labelled as percent of maximum, its numbers written for the language."""
    local_numbers(figure.colorbar(image, ax=axes, shrink=0.6, label=text("axis_pct", lang)).ax.yaxis, lang)


def cell_values(axes, image, values: np.ndarray, lang: str, fontsize: float) -> None:
    """A heatmap's values written in its cells, black on light colours and white on dark ones; none where unknown."""
    for (row, column), value in np.ndenumerate(values):
        if not np.isnan(value):
            red, green, blue, _ = image.cmap(image.norm(value))
            axes.text(column, row, number(value, lang, 0), ha="center", va="center", fontsize=fontsize,
                      color="black" if 0.299 * red + 0.587 * green + 0.114 * blue > 0.5 else "white")


class _LocalNumbers(Formatter):
    """Tick labels written as the report writes numbers (82,5 in Vietnamese, 82.5 in English), every tick with the
    decimals the finest one needs, and a true minus sign. The decimals are found once per set of ticks (set_locs),
    not once per label."""

    def __init__(self, axis, lang: str):
        self.axis, self.lang, self.decimals = axis, lang, None

    def set_locs(self, locs) -> None:
        self.decimals = max((_decimals(tick) for tick in locs), default=0)

    def __call__(self, value: float, pos=None) -> str:
        decimals = self.decimals
        if decimals is None:  # asked for one label outside a set of ticks
            decimals = max((_decimals(tick) for tick in self.axis.get_majorticklocs()), default=0)
        return number(value + 0.0, self.lang, decimals).replace("-", "\u2212")


def local_numbers(axis, lang: str) -> None:
    """Tick labels in the report's number format (_LocalNumbers)."""
    axis.set_major_formatter(_LocalNumbers(axis, lang))


def _decimals(value: float) -> int:
    return next((d for d in range(2) if abs(round(value, d) - value) < 1e-9), 2)


def key_below(axes, entries: list[str], below: float, columns: int) -> None:
    """An axis's codes spelled out `below` points under it ('3: Cải cách thủ tục hành chính'), in columns: a field's
    name does not fit under its column, and the codes alone would leave the reader guessing."""
    per = -(-len(entries) // columns)
    for k in range(columns):
        axes.annotate("\n".join(entries[k * per:(k + 1) * per]), (k / columns, 0),
                      xycoords=("figure fraction", "axes fraction"), xytext=(0, -below), textcoords="offset points",
                      va="top", fontsize=8, gid="field-key")


LABEL_GAP = 5  # points between a marker's centre and its value label: clear of the marker and its margin


def value_labels(axes, labelled: list[pd.Series], unlabelled: list[pd.Series], write) -> None:
    """Each labelled point's figure just above it, else just below, else stacked further out, whichever first clears
    every marker and every label already placed: two series at the same or a close point never print their figures
    over each other. Call once the axes' limits are final (positions are measured on the drawn figure)."""
    renderer = axes.figure.canvas.get_renderer()
    pixels = axes.figure.dpi / 72
    radius = (plt.rcParams["lines.markersize"] / 2 + 1) * pixels  # a point of white around a marker
    markers = [(x, y) for values in labelled + unlabelled for x, y in values.items()]
    taken = [Bbox.from_bounds(px - radius, py - radius, 2 * radius, 2 * radius)
             for px, py in axes.transData.transform(markers)]
    for values in labelled:
        for x, y in values.items():
            text = axes.annotate(write(y), (x, y), xytext=(0, LABEL_GAP), textcoords="offset points", ha="center",
                                 va="bottom", fontsize=9, gid=f"value-{len(taken)}")
            height = text.get_window_extent(renderer).height / pixels + 1
            for step in itertools.count():  # above, below, then one label height further out each way
                out = step // 2
                text.xyann = (0, LABEL_GAP + out * height if step % 2 == 0 else -LABEL_GAP - (out + 1) * height)
                box = text.get_window_extent(renderer)
                if not any(box.overlaps(other) for other in taken):
                    break
            taken.append(box)
