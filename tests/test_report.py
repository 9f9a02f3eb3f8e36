"""Reports produced by the real command line (Vietnamese and English from the public record, Vietnamese from the
SYNTHETIC complete tables): content, one language only, self-containment and the PDF."""

from __future__ import annotations

import base64
import json
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ElementTree

import pytest
from conftest import synthetic_khanh_hoa
from pypdf import PdfReader

from parsipas.core import paths
from parsipas.ingest.provinces import Gazetteer
from parsipas.present import report

REPORTS = ["default_report", "english_report", "synthetic_report"]


def _comma(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def expected_fragments(report: str) -> list[str]:
    """Key numbers each report must show; for the synthetic one they are read from the workbooks here."""
    if report == "default_report":
        return ["85,11%", "48/63", "86,19%", "25/63", "tăng 23 bậc", "84,40%", "56/63", "Khánh Hòa",
                "cao hơn trung bình cả nước (84,79%) 1,40 điểm %",
                "16/63 tỉnh, thành phố có điểm PAR INDEX năm 2022, thêm 4 tỉnh, thành phố chỉ có thứ hạng"]
    if report == "english_report":
        return ["85.11%", "48/63", "86.19%", "25/63", "up 23 places", "84.40%", "56/63", "Khánh Hòa"]
    facts = synthetic_khanh_hoa()
    return [f"{_comma(facts['total_2021'])}%", f"{facts['rank_2021']}/63", f"{_comma(facts['total_2022'])}%",
            f"{facts['rank_2022']}/63", "bảng chính thức: 63/63 tỉnh, thành phố có điểm PAR INDEX năm 2022 (đầy đủ)",
            facts["most_recoverable"]]


FOREIGN = {"default_report": ["Summary", "not published", "Contents"], "synthetic_report": ["Summary", "Contents"],
           "english_report": ["Tóm tắt", "chưa công bố", "Mục lục", "Thuật ngữ", "điểm tối đa"]}


@pytest.fixture(scope="module", params=[pytest.param(r, marks=pytest.mark.slow) for r in REPORTS])  # real runs
def produced(request):
    folder = request.getfixturevalue(request.param)
    html = (folder / "report.html").read_text(encoding="utf-8")
    pdf = "\n".join(page.extract_text() for page in PdfReader(folder / "report.pdf").pages)
    return request.param, folder, html, pdf


def test_outputs_and_audit_notebooks_are_published(produced):
    _, folder, _, _ = produced
    for name in ("report.html", "report.pdf", "manifest.json", "notebooks/02_compare.ipynb",
                 "notebooks/03_report.ipynb"):
        assert (folder / name).is_file(), name
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["parameters"]["province_code"] == "56"
    for name, digest in manifest["outputs"].items():
        assert len(digest) == 64 and (folder / name).is_file()
    assert manifest["inputs"] and manifest["packages"]["pandas"]
    assert set(manifest["step_seconds"]) >= {"03_report", "render"}


def test_key_figures_appear_in_html_and_pdf(produced):
    name, _, html, pdf = produced
    flat_pdf = " ".join(pdf.split())
    for fragment in expected_fragments(name):
        assert fragment in html, fragment
        assert fragment in flat_pdf, fragment


def test_one_language_only(produced):
    name, _, html, _ = produced
    visible = re.sub(r"<[^>]+>", " ", html)
    for word in FOREIGN[name]:
        assert word not in visible, word


def test_not_published_is_shown_as_such_never_as_zero(produced):
    name, _, html, _ = produced
    if name != "synthetic_report":
        assert ("chưa công bố" if name == "default_report" else "not published") in html
    assert not re.search(r">0,00%<|>0.00%<", html)


def test_no_code_and_no_external_request_in_html(produced):
    _, _, html, _ = produced
    assert "<script" not in html
    assert "In&nbsp;[" not in html and "jp-InputArea" not in html and "import " not in html
    for attribute in re.findall(r'<(?:script|link|img|iframe|source|video|audio)\b[^>]*>', html):
        assert not re.search(r'(src|href)\s*=\s*["\']?(https?:)?//', attribute), attribute
    assert "@import" not in html and "url(http" not in html


def charts(html: str) -> list[str]:
    """The SVG documents embedded as images, decoded."""
    found = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    return [base64.b64decode(data).decode("utf-8") for data in found]


def test_html_has_charts_and_every_section(produced):
    name, _, html, _ = produced
    svgs = charts(html)
    assert len(svgs) == html.count('<figure class="chart') == (6 if name == "synthetic_report" else 5)  # + SIPAS
    for svg in svgs:
        assert ElementTree.fromstring(svg).tag.endswith("svg")
    assert html.count("<img") == len(svgs) and all(alt.strip() for alt in re.findall(r'alt="([^"]*)"', html))
    has_scorecard = name == "synthetic_report"  # the criterion section needs the province's scorecard
    for anchor in report.SECTIONS:
        shown = anchor != "criteria" or has_scorecard
        assert (f'id="{anchor}"' in html and f'<a href="#{anchor}">' in html) == shown, anchor


def test_complete_tables_give_the_target_points_and_the_heatmap_of_63(produced):
    name, _, html, _ = produced
    heatmaps = [svg for svg in charts(html) if "heatmap" in svg]
    if name == "synthetic_report":
        assert "(63 tỉnh)" in html and ("cần tối thiểu" in html or "mức điểm tối thiểu" in html)
        assert len(heatmaps) == 1 and heatmaps[0].count("Khánh Hòa") == 1 and "Ninh Thuận" in heatmaps[0]
    else:
        assert "(63 " not in html


def test_the_heatmap_marks_the_province_of_the_report_and_no_other(produced):
    """The heatmap is drawn once per batch and the highlight applied to its text: check the result, not the drawing."""
    _, _, html, _ = produced
    heatmap = next(svg for svg in charts(html) if "heatmap" in svg)
    styles = {element.text: element.get("style", "") for element in ElementTree.fromstring(heatmap).iter()
              if element.tag.endswith("text") and element.text}
    places = {name for name in Gazetteer().provinces["name_vi"] if name in styles}
    assert "Khánh Hòa" in places and len(places) >= 3
    assert "font-weight: 700" in styles["Khánh Hòa"] and "#0072B2" in styles["Khánh Hòa"]
    assert not any("font-weight: 700" in styles[name] or "#0072B2" in styles[name] for name in places - {"Khánh Hòa"})


def test_pdf_pages_fonts_and_images(produced, tmp_path):
    _, folder, _, _ = produced
    pdf = folder / "report.pdf"
    pages = len(PdfReader(pdf).pages)
    assert pages > 1
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes " in row for row in rows), fonts
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(pdf), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page*.png"))) == pages


def test_data_derived_text_is_escaped(tmp_path):
    """A hostile string in a source's registry entry renders as text, never as markup."""
    from parsipas import clean
    from parsipas.present import report

    raw = tmp_path / "raw"
    import shutil

    shutil.copytree(paths.RAW, raw)
    registry = raw / "public" / "sources.csv"
    text = registry.read_text(encoding="utf-8")
    first = next(line for line in text.splitlines()
                 if line and not line.startswith("#") and not line.startswith("source_id"))
    hostile = first.replace(first.split(",")[1], "<script>alert(1)</script>", 1)
    registry.write_text(text.replace(first, hostile), encoding="utf-8")
    data = report.prepare(clean.build(raw), "56", 2022, 2021)
    data.sources["publisher"] = "<script>alert(1)</script>"
    section = report.section("sources", data)
    assert "<script>" not in section and "&lt;script&gt;alert(1)&lt;/script&gt;" in section


def test_labels_tell_the_truth(produced):
    """Synthetic data says so on the cover and every page header; the header carries the report's title; dates are
    written the language's way; no internal code (indicator codes, rule names, source ids) reaches the text."""
    name, _, html, pdf = produced
    visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|title)>.*?</\1>", " ", html, flags=re.S))
    pages = [page.extract_text() for page in PdfReader(produced[1] / "report.pdf").pages]
    banner = "DỮ LIỆU GIẢ LẬP (SYNTHETIC)"
    if name == "synthetic_report":
        assert banner in visible and all(banner in " ".join(page.split()) for page in pages[1:])
    else:
        assert "SYNTHETIC" not in visible and not any("SYNTHETIC" in page for page in pages)
    header = ("PAR INDEX and SIPAS report: Khánh Hòa" if name == "english_report"
              else "Báo cáo PAR INDEX và SIPAS: Khánh Hòa")
    assert all(header in page for page in pages[1:]) and "parsipas" not in pdf
    assert re.search(r"Ngày lập báo cáo: \d{2}/\d{2}/\d{4}|Produced on \d{1,2} [A-Z][a-z]+ \d{4}", visible)
    # no --target-rank was given: Khánh Hòa's 2022 target is its plan's, named as such
    assert "theo kế hoạch ngày 14/09/2022 của UBND tỉnh Khánh Hòa" in visible or \
        "set by the plan of 14 September 2022 of the People's Committee of Khánh Hòa" in visible
    for code in ("PAR.F", "PAR.APPRAISED", "SIPAS.E", "precision", "source_id", "official:"):
        assert code not in visible, code
    prose = re.sub(r"<[^>]+>", " ", re.sub(r'<table class="sources">.*?</table>', " ", html, flags=re.S))
    assert not re.search(r"\b[a-z]+-[0-9a-f]{6}\b", prose)  # a source id such as baokhanhhoa-56bd45 (URLs aside)


def test_the_appendix_names_publishers_and_cites_originals(produced):
    name, _, html, _ = produced
    appendix = html[html.index('id="sources"'):html.index('id="definitions"')]
    assert "[1]" in appendix
    assert "bản sao tại" not in appendix and "copy at" not in appendix  # a copy of a page is never cited
    if name != "synthetic_report":
        assert "Báo Khánh Hòa" in appendix and "ufabet" not in appendix


def _printed(pdf, folder, name: str) -> tuple[str, list[tuple], list[bytes]]:
    """A PDF as a reader meets it: its text, each word with its box (points), and its pages as images."""
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    words = [(word, *map(float, box)) for *box, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', boxes)]
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(folder / name)], check=True)
    return text, words, [image.read_bytes() for image in sorted(folder.glob(f"{name}-*.png"))]


@pytest.mark.slow
def test_the_printed_charts_are_the_charts_as_drawn(synthetic_report, tmp_path, monkeypatch):
    """The PDF library gets the charts in lighter markup (pdf_charts.lighter) and lays out each label as one run
    (pdf_charts.text_in_runs). Lighter markup changes no pixel; a label's run puts every word where WeasyPrint's own
    letter-by-letter route puts it, to a tenth of a point, with the same text. The complete tables give every chart,
    the heatmap of 63 provinces with its image among them."""
    from parsipas.present import pdf_charts, render

    html = (synthetic_report / "report.html").read_text(encoding="utf-8")
    printed = _printed(synthetic_report / "report.pdf", tmp_path, "printed")
    with monkeypatch.context() as patch:
        patch.setattr(pdf_charts, "lighter", lambda svg: svg)
        (tmp_path / "as_drawn.pdf").write_bytes(render.html_to_pdf(html, "report"))
    _with_letter_by_letter(monkeypatch,
                           lambda: (tmp_path / "by_letter.pdf").write_bytes(render.html_to_pdf(html, "report")))
    as_drawn, by_letter = (_printed(tmp_path / f"{name}.pdf", tmp_path, name) for name in ("as_drawn", "by_letter"))
    assert html.count("data:image/svg+xml") >= 5 and len(printed[2]) > 1
    assert printed == as_drawn
    assert printed[0] == by_letter[0] and [w[0] for w in printed[1]] == [w[0] for w in by_letter[1]]
    shifts = [max(abs(a - b) for a, b in zip(run[1:], letters[1:])) for run, letters in zip(printed[1], by_letter[1])]
    assert len(shifts) > 1000 and 0 < max(shifts) < 0.1  # two routes, the same words in the same places


def _with_letter_by_letter(monkeypatch, make) -> None:
    """make() with WeasyPrint drawing SVG text its own way, letter by letter; the runs back after."""
    from parsipas.present import pdf_charts

    try:
        with monkeypatch.context() as patch:
            patch.setattr(pdf_charts, "text_in_runs", lambda: None)  # html_to_pdf would put the runs back
            pdf_charts.letter_by_letter()
            make()
    finally:
        pdf_charts.text_in_runs()


def _both_routes(svg: str, folder, monkeypatch) -> tuple[tuple, tuple]:
    """A page of one SVG printed with its labels in runs and with WeasyPrint's own letter-by-letter route."""
    from weasyprint import svg as weasyprint_svg

    from parsipas.present import pdf_charts, render

    page = f'<img alt="" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
    (folder / "runs.pdf").write_bytes(render.html_to_pdf(page, "x"))
    assert weasyprint_svg.TAGS["text"] is weasyprint_svg.TAGS["tspan"] is pdf_charts._text  # the runs were on
    _with_letter_by_letter(monkeypatch, lambda: (folder / "letters.pdf").write_bytes(render.html_to_pdf(page, "x")))
    return tuple(_printed(folder / f"{name}.pdf", folder, name) for name in ("runs", "letters"))


def test_labels_that_place_their_letters_keep_weasyprints_own_drawing(tmp_path, monkeypatch):
    """Letters with positions of their own, shifts, spacing or turns, a <tspan> (matplotlib writes one for math text),
    decomposed letters and a right-to-left script are drawn by WeasyPrint's route, unchanged; the label in a run
    beside them too, and its anchored neighbour keeps its place."""
    decomposed = unicodedata.normalize("NFD", "Khánh Hòa")
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="300" height="220" font-size="14">'
           '<text x="10 40 70" y="20">abc</text><text x="10" y="50" dx="0 9 9">def</text>'
           '<text x="10" y="80" style="letter-spacing: 6px">ghi</text><text x="10" y="110" rotate="30">jkl</text>'
           '<text x="150" y="20" text-anchor="middle">mn<tspan x="150" y="40">op</tspan>q</text>'
           f'<text x="150" y="80">{decomposed}</text><text x="150" y="110">\u05e9\u05dc\u05d5\u05dd</text>'
           '<text x="290" y="140" text-anchor="end">Tỷ lệ theo lĩnh vực</text></svg>')
    runs, letters = _both_routes(svg, tmp_path, monkeypatch)
    assert runs[0] == letters[0] and "op" in runs[0] and "Tỷ lệ theo lĩnh vực" in runs[0]
    assert [word[0] for word in runs[1]] == [word[0] for word in letters[1]]
    in_runs = {"mn", "Tỷ", "lệ", "theo", "lĩnh", "vực"}  # the plain labels: within a tenth of a point
    for run, letter in zip(runs[1], letters[1]):
        assert max(abs(a - b) for a, b in zip(run[1:], letter[1:])) < (0.1 if run[0] in in_runs else 1e-9), run


def test_another_weasyprint_draws_svg_text_its_own_way(monkeypatch):
    """pdf_charts follows WeasyPrint 70.0's text drawing. On an upgrade, compare the two routes again (the test
    above and test_the_printed_charts_are_the_charts_as_drawn), then move pdf_charts.WEASYPRINT."""
    import weasyprint
    from weasyprint import svg

    from parsipas.present import pdf_charts

    assert weasyprint.__version__ == pdf_charts.WEASYPRINT
    try:
        pdf_charts.letter_by_letter()
        own = svg.TAGS["text"]
        with monkeypatch.context() as patch:
            patch.setattr(weasyprint, "__version__", "71.0")
            pdf_charts.text_in_runs()
            assert svg.TAGS["text"] is own and svg.text is own
    finally:
        pdf_charts.text_in_runs()
    assert svg.TAGS["text"] is not own and svg.text is svg.TAGS["text"]
