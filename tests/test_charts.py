"""The charts read as a reader needs them, checked on the SVG they produce (real <text> elements, since
svg.fonttype is "none"): value labels apart, gaps for years with no figure, a tick per year, numbers written in the
report's language, legends only for what is drawn, field codes spelled out, and no chart of a single point.
Every frame here is a SYNTHETIC fixture shaped like analysis.trajectory / analysis.compare / analysis.all_shares."""

from __future__ import annotations

import itertools
import math
import re
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass

import pandas as pd
import pytest

from parsipas.analyse import methodology
from parsipas.ingest import reference
from parsipas.present import charts

SVG = "{http://www.w3.org/2000/svg}"
NAN = math.nan
SIXTY_THREE = {year: 63 for year in range(2008, 2025)}  # every year up to 2024 ranks 63 provinces
ACROSS_THE_MERGER = {**SIXTY_THREE, 2025: 34}
PAR_FIELDS = methodology.par_fields(reference.indicators())  # as report.ReportData.par_fields


@dataclass(frozen=True)
class Label:
    group: str
    text: str
    box: tuple[float, float, float, float]  # left, top, right, bottom in SVG units, estimated from the font size


def labels(svg: str) -> list[Label]:
    """Every text of the SVG with the ids of the groups it lies in and an estimated box (DejaVu Sans: digits are
    0.64 em wide)."""
    found = []

    def walk(element: ElementTree.Element, groups: str) -> None:
        if element.tag == f"{SVG}text":
            style = dict(part.split(": ", 1) for part in element.get("style", "").split("; ") if ": " in part)
            size = float(style["font-size"].removesuffix("px"))
            x, y = position(element)
            width = 0.64 * size * len(element.text)
            left = {"middle": x - width / 2, "end": x - width}.get(style.get("text-anchor"), x)
            found.append(Label(groups, element.text, (left, y - 0.76 * size, left + width, y + 0.24 * size)))
        for child in element:
            walk(child, f"{groups}/{child.get('id', '')}")

    walk(ElementTree.fromstring(svg), "")
    return found


def position(element: ElementTree.Element) -> tuple[float, float]:
    """Where a text is anchored: its x and y, or for left-aligned text the translate() of its transform."""
    if element.get("x") is not None:
        return float(element.get("x")), float(element.get("y"))
    x, y = re.search(r"translate\(([-\d.e]+) ([-\d.e]+)\)", element.get("transform")).groups()
    return float(x), float(y)


def in_groups(svg: str, part: str) -> list[str]:
    return [label.text for label in labels(svg) if part in label.group]


def overlap(a: tuple, b: tuple) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def trajectory(years: list[int], **columns: list[float]) -> pd.DataFrame:
    """A frame shaped like analysis.trajectory: one row per year known, NaN where a measure is not published."""
    frame = pd.DataFrame({"share": NAN, "rank": NAN, "national_mean": NAN, "regional_mean": NAN},
                         index=pd.Index(years, name="year"))
    for column, values in columns.items():
        frame[column] = values
    return frame


def comparison(rows: dict[str, dict]) -> pd.DataFrame:
    """A frame shaped like analysis.compare, with the columns the charts read."""
    names = reference.indicators()
    frame = pd.DataFrame.from_dict(rows, orient="index")
    frame["name_vi"], frame["name_en"] = names["name_vi"].reindex(frame.index), names["name_en"].reindex(frame.index)
    for column in ("share_base", "share_year", "change_rank"):
        frame[column] = frame.get(column, NAN)
    return frame


def indicator_names() -> pd.DataFrame:
    """As report.ReportData.indicator_names."""
    return reference.indicators()[["name_vi", "name_en"]]


def test_value_labels_never_overlap_and_the_target_is_named_apart():
    """PAR and SIPAS at the same rank (2020), at close ranks (2021), and the target equal to a value (30 in 2022)."""
    par = trajectory([2019, 2020, 2021, 2022], rank=[34, 48, 48, 30])
    sipas = trajectory([2020, 2021, 2022], rank=[48, 51, 30])
    svg = charts.rank_trajectory(par, sipas, "vi", 30, SIXTY_THREE)
    values = [label for label in labels(svg) if "-value-" in label.group]
    assert sorted(label.text for label in values) == sorted(["34", "48", "48", "30", "48", "51", "30"])
    for a, b in itertools.combinations(values, 2):
        assert not overlap(a.box, b.box), (a, b)
    target = [label for label in labels(svg) if label.text == "Mục tiêu hạng 30"]
    assert len(target) == 1 and "legend" in target[0].group
    assert not any(overlap(target[0].box, label.box) for label in values)


def line_paths(svg: str, colour: str) -> list[str]:
    """The path data of the data lines in a colour (the legend's sample lines are not clipped to the axes)."""
    return [path.get("d") for path in ElementTree.fromstring(svg).iter(f"{SVG}path")
            if f"stroke: {colour}" in path.get("style", "") and path.get("clip-path")]


def test_a_year_with_no_figure_is_a_gap_and_every_year_has_a_tick():
    par = trajectory([2017, 2018, 2020, 2021, 2022], rank=[40, 35, NAN, 28, 25], share=[80.1, 81.2, 82.0, 83.1, 84.5],
                     national_mean=[81.0, 81.5, NAN, 82.3, 83.0])  # no row at all for 2019
    sipas = trajectory([2017], rank=[NAN])
    ranks = charts.rank_trajectory(par, sipas, "vi", 30, SIXTY_THREE)
    [path] = line_paths(ranks, "#0072b2")
    assert path.count("M") == 2  # 2017-2018 and 2021-2022: no line through 2019 and 2020
    assert in_groups(ranks, "xtick") == [str(year) for year in range(2017, 2023)]
    scores = charts.score_trajectory(par, "en", "Khánh Hòa")
    [province] = line_paths(scores, "#0072b2")
    [national] = line_paths(scores, "#e69f00")
    assert province.count("M") == 2 and national.count("M") == 2  # 2017-2018, then from 2020 / 2021 on
    assert in_groups(scores, "xtick") == [str(year) for year in range(2017, 2023)]


@pytest.mark.parametrize("lang, half, foreign", [("vi", "82,5", "."), ("en", "82.5", ",")])
def test_axes_and_labels_write_numbers_in_the_report_language(lang, half, foreign):
    par = trajectory([2020, 2021, 2022], share=[81.25, 82.75, 83.4])
    svg = charts.score_trajectory(par, lang, "Khánh Hòa")
    ticks = in_groups(svg, "ytick")
    assert half in ticks and not any(foreign in tick for tick in ticks), ticks
    assert {"81" + half[2] + "25", "82" + half[2] + "75"} <= set(in_groups(svg, "-value-"))
    bars = charts.rank_change_bars(comparison({"PAR": {"index": "PAR", "level": "index", "change_rank": 23},
                                               "PAR.F2": {"index": "PAR", "level": "field", "change_rank": -12}}),
                                   lang, 2022, 2021)
    assert "\u221220" in in_groups(bars, "xtick")  # a true minus sign, as formatting.signed writes it


def test_legends_list_only_series_that_are_drawn():
    par = trajectory([2020, 2021, 2022], rank=[48, 40, 25])
    sipas = trajectory([2020, 2021, 2022])
    legend = in_groups(charts.rank_trajectory(par, sipas, "en", 30, SIXTY_THREE), "legend")
    assert "PAR INDEX" in legend and "SIPAS" not in legend
    fields = comparison({f: {"index": "PAR", "level": "field", "share_year": share}
                         for f, share in zip(PAR_FIELDS, [88.0, 91.5, 76.0])})
    legend = in_groups(charts.fields_dot_plot(fields, "vi", 2022, 2021), "legend")
    assert legend == ["2022"]
    elements = comparison({"SIPAS.E1": {"index": "SIPAS", "level": "element", "share_base": 82.0},
                           "SIPAS.E2": {"index": "SIPAS", "level": "element", "share_base": 84.5}})
    legend = in_groups(charts.sipas_elements_bars(elements, "en", 2022, 2021), "legend")
    assert legend == ["2021"]


def test_field_codes_are_spelled_out_under_the_heatmap_and_the_spread():
    shares = pd.DataFrame({"PAR.F1": [92.0, 88.0], "PAR.F2": [75.0, 81.0], "PAR.F7": [NAN, 70.0]},
                          index=pd.Index(["56", "62"], name="province_code"))
    names = {"56": "Khánh Hòa", "62": "Kon Tum"}
    for lang, draw in itertools.product(("vi", "en"), (charts.fields_heatmap, charts.field_spread)):
        svg = draw(shares, names, lang, "56", 2022, indicator_names(), PAR_FIELDS)
        codes = [f"LV{k}" if lang == "vi" else f"F{k}" for k in range(1, 9)]
        assert in_groups(svg, "xtick") == codes
        key = " ".join(in_groups(svg, "field-key"))
        for code, name in zip(codes, indicator_names().loc[list(PAR_FIELDS), f"name_{lang}"]):
            assert f"{code}: {name}" in key


def test_the_field_charts_show_the_fields_the_methodology_gives():
    """A methodology of other fields (here three, SYNTHETIC) gives those columns, numbered as the Ministry numbers
    them, and a key of those fields only: no list of fields is written in the charts."""
    shares = pd.DataFrame({"PAR.F1": [92.0, 88.0], "PAR.F2": [75.0, 81.0], "PAR.F7": [NAN, 70.0],
                           "PAR.F8": [60.0, 65.0]}, index=pd.Index(["56", "62"], name="province_code"))
    fields = ("PAR.F2", "PAR.F7", "PAR.F1")
    for draw in (charts.fields_heatmap, charts.field_spread):
        svg = draw(shares, {"56": "Khánh Hòa", "62": "Kon Tum"}, "en", "62", 2022, indicator_names(), fields)
        assert in_groups(svg, "xtick") == ["F2", "F7", "F1"]
        key = " ".join(in_groups(svg, "field-key"))
        assert "F7: " + indicator_names().loc["PAR.F7", "name_en"] in key and "F8:" not in key


@pytest.mark.parametrize("points", [1, 2])
def test_a_chart_of_a_single_point_or_bar_is_not_drawn(points):
    """One figure gives None (the report prints a sentence); two give a chart."""
    years = [2021, 2022][:points]
    drawn = [
        charts.rank_trajectory(trajectory(years, rank=[40, 30][:points]), trajectory([2022]), "vi", 30, SIXTY_THREE),
        charts.score_trajectory(trajectory(years, share=[80.0, 84.0][:points]), "vi", "Khánh Hòa"),
        charts.fields_dot_plot(comparison({"PAR.F1": {"index": "PAR", "level": "field", "share_base": 80.0,
                                                      "share_year": 85.0 if points == 2 else NAN}}), "vi", 2022, 2021),
        charts.rank_change_bars(comparison({f: {"index": "PAR", "level": "field", "change_rank": 5}
                                            for f in PAR_FIELDS[:points]}), "vi", 2022, 2021),
        charts.sipas_elements_bars(comparison({"SIPAS.E1": {"index": "SIPAS", "level": "element", "share_base": 82.0,
                                                            "share_year": 84.0 if points == 2 else NAN}}),
                                   "vi", 2022, 2021),
        charts.fields_heatmap(pd.DataFrame({"PAR.F1": [92.0, 88.0][:points]},
                                           index=pd.Index(["56", "62"][:points], name="province_code")),
                              {"56": "Khánh Hòa", "62": "Kon Tum"}, "vi", "56", 2022, indicator_names(), PAR_FIELDS),
    ]
    assert [svg is None for svg in drawn] == [points == 1] * len(drawn)


def panels(svg: str) -> list[ElementTree.Element]:
    """The chart's axes: matplotlib draws each as a group with id axes_<n>."""
    return [group for group in ElementTree.fromstring(svg).iter(f"{SVG}g")
            if re.fullmatch(r"ranks-axes_\d+", group.get("id", ""))]


def texts(element: ElementTree.Element) -> list[str]:
    return [node.text for node in element.iter(f"{SVG}text") if node.text]


def test_ranks_out_of_63_and_out_of_34_are_drawn_on_separate_panels_each_marked_with_its_total():
    """Issue 23 item 3: 2024 ranks 63 provinces, 2025 ranks 34 units; never one axis for both."""
    par = trajectory([2022, 2023, 2024, 2025], rank=[25, NAN, 36, 11])
    sipas = trajectory([2024, 2025], rank=[30, 3])
    svg = charts.rank_trajectory(par, sipas, "vi", 30, ACROSS_THE_MERGER, merger=2025)
    left, right = panels(svg)
    assert "Hạng /63" in texts(left) and "Hạng /34" in texts(right)
    assert "2022–2024: hạng trong 63 tỉnh, thành phố" in texts(left)
    assert "2025: hạng trong 34 tỉnh, thành phố" in texts(right)
    assert {"2022", "2023", "2024"} <= set(texts(left)) and "2025" not in texts(left)
    assert "2025" in texts(right) and "2024" not in texts(right)
    assert {"25", "36", "30"} <= set(texts(left)) and {"11", "3"} <= set(texts(right))  # each rank on its own panel
    assert "60" in texts(left) and "60" not in texts(right)  # the /34 axis ends at 34
    # a target of unknown total is on neither side of the break; one set for the 63 is drawn only on its panel
    assert "Mục tiêu hạng 30" not in in_groups(svg, "legend")
    svg = charts.rank_trajectory(par, sipas, "vi", 30, ACROSS_THE_MERGER, merger=2025, target_out_of=63)
    left, right = panels(svg)
    assert "Mục tiêu hạng 30" in in_groups(svg, "legend")
    target = [len(line_paths(ElementTree.tostring(axes, encoding="unicode"), "#cc79a7")) for axes in (left, right)]
    assert target == [1, 0]
    assert "Sáp nhập tỉnh 2025: các năm trước là của tỉnh cũ cùng mã" in in_groups(svg, "legend")


def test_ranks_of_one_set_stay_on_one_panel_with_their_target():
    svg = charts.rank_trajectory(trajectory([2021, 2022], rank=[48, 25]), trajectory([2022]), "en", 30, SIXTY_THREE)
    [axes] = panels(svg)
    assert "Rank /63" in texts(axes) and "Target rank 30" in in_groups(svg, "legend")
    assert not [label for label in texts(axes) if "rank among" in label]


@pytest.mark.parametrize("national, title", [([NAN, NAN], "PAR INDEX score over the years"),
                                             ([81.0, 82.0], "PAR INDEX score and national average")])
def test_the_score_chart_title_names_only_the_series_drawn(national, title):
    par = trajectory([2024, 2025], share=[80.45, 89.03], national_mean=national)
    svg = charts.score_trajectory(par, "en", "Khánh Hòa")
    assert charts.score_title(par, "en") == title and title in texts(ElementTree.fromstring(svg))
    assert ("National average" in in_groups(svg, "legend")) == (national[0] == national[0])


def _every_kind_of_chart() -> list[str]:
    """One chart of each drawing route: constrained layout with value labels (ranks, across the merger and not),
    plain axes with value labels (scores), bars (changes of rank), dots (fields)."""
    par = trajectory([2021, 2022, 2023, 2024, 2025], rank=[48, 25, NAN, 36, 11], share=[70.5, 75.25, NAN, 80.0, 85.5],
                     national_mean=[72.0, 74.0, NAN, 79.0, 81.0])
    sipas = trajectory([2022, 2024, 2025], rank=[30, 31, 3], share=[80.1, 82.0, 84.5])
    changes = comparison({"PAR.F1": {"index": "PAR", "level": "field", "share_base": 70.0, "share_year": 75.0,
                                     "change_rank": 4},
                          "PAR.F2": {"index": "PAR", "level": "field", "share_base": 80.0, "share_year": 78.0,
                                     "change_rank": -3}})
    return [charts.rank_trajectory(par, sipas, "vi", 30, ACROSS_THE_MERGER, merger=2025),
            charts.rank_trajectory(par.loc[:2024], sipas.loc[:2024], "en", 30, SIXTY_THREE),
            charts.score_trajectory(par, "vi", "Khánh Hòa", merger=2025),
            charts.fields_dot_plot(changes, "vi", 2022, 2021),
            charts.rank_change_bars(changes, "en", 2022, 2021)]


def test_charts_are_the_bytes_savefigs_own_tight_route_gives(monkeypatch):
    """chart_kit measures a chart's tight box itself instead of letting savefig draw it once in trial; the SVG is
    byte for byte the one savefig(bbox_inches="tight") makes, for every drawing route."""
    from parsipas.present import chart_kit

    quick = _every_kind_of_chart()
    monkeypatch.setattr(chart_kit, "_vector_only", lambda figure: False)
    assert [chart is None for chart in quick] == [False] * len(quick)
    assert quick == _every_kind_of_chart()


def _drawn(svg: str) -> list[tuple]:
    """What an SVG draws, in order: every element but the metadata and the groups that are only a name, with its
    attributes (a turn by 0 degrees left out) and its text."""
    root = ElementTree.fromstring(svg)
    for metadata in root.findall(f"{SVG}metadata"):
        root.remove(metadata)
    return [(element.tag, {key: value for key, value in element.attrib.items()
                           if not re.fullmatch(r"rotate\(-0 \S+ \S+\)", value)}, (element.text or "").strip())
            for element in root.iter() if element.tag != f"{SVG}g" or set(element.attrib) != {"id"}]


def test_the_printed_copy_of_a_chart_draws_everything_the_chart_draws():
    """pdf_charts.lighter, for the PDF: matplotlib's metadata, turns by 0 degrees and groups that only carry a name go;
    every element that draws, clips, moves or styles stays, in order and with its attributes, and so does a named group
    something refers to."""
    from parsipas.present import pdf_charts

    for chart in _every_kind_of_chart():
        lighter = pdf_charts.lighter(chart)
        assert _drawn(lighter) == _drawn(chart)
        assert "<metadata>" not in lighter and "rotate(-0 " not in lighter
        assert lighter.count("<g") < chart.count("<g") / 2
    referred = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><defs>'
                '<g id="mark"><path d="M 0 0 L 1 1"/></g></defs><g id="name"><use xlink:href="#mark"/></g>'
                '<g id="empty"/><g clip-path="url(#clip)"><g id="inner"><path d="M 1 1"/></g></g></svg>')
    assert pdf_charts.lighter(referred) == ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/'
                                            '1999/xlink"><defs><g id="mark"><path d="M 0 0 L 1 1"/></g></defs><use '
                                            'xlink:href="#mark"/><g clip-path="url(#clip)"><path d="M 1 1"/></g></svg>')
    quoted = ('<svg><g id="a"><path d="M 0 0"/></g><use href=\'#a\'/>'
              '<g id="b"><path/></g><rect fill=\'url("#b")\'/></svg>')
    assert pdf_charts.lighter(quoted) == quoted  # single quotes and url("#...") are references too
    styled = '<svg><style>#a path {fill: red}</style><g id="a"><path d="M 0 0"/></g></svg>'
    unpaired = '<svg><g id="a"><path d="M 0 0"/></g></g></svg>'
    assert pdf_charts.lighter(styled) == styled and pdf_charts.lighter(unpaired) == unpaired  # printed as they are
