"""The Word draft (issue 17): read back from the real pipeline's output and compared with the HTML it came from."""

from __future__ import annotations

import io
import re
import subprocess
import unicodedata
import zipfile

import docx
import pytest
from conftest import run_pipeline
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from lxml import html as lxml_html

from parsipas.clean import reference_tables
from parsipas.core.messages import text
from parsipas.present import word

LANGUAGES = ["vi", "en"]


@pytest.fixture(scope="module", params=[pytest.param(lang, marks=pytest.mark.slow) for lang in LANGUAGES])
def report(request, tmp_path_factory) -> dict:
    """One real run per language writing the HTML and the Word draft side by side (slow: the command line runs)."""
    lang = request.param
    out = tmp_path_factory.mktemp(f"word-{lang}")
    result = run_pipeline("--lang", lang, "--formats", "html,docx", "--out", str(out),
                          "--processed", str(out / "processed"))
    assert result.returncode == 0, result.stderr
    folder = out / "2022" / "khanh-hoa" / lang
    html = (folder / "report.html").read_text(encoding="utf-8")
    return {"lang": lang, "folder": folder, "html": html, "main": lxml_html.fromstring(html).find(".//main"),
            "bytes": (folder / "report.docx").read_bytes(), "doc": docx.Document(str(folder / "report.docx"))}


def _words(element) -> str:
    return " ".join(element.text_content().split())


def _body_tables(document) -> list:
    """The report's tables: the first and last tables are the frame (agency/motto, recipients/signature)."""
    return document.tables[1:-1]


def test_sections_are_the_html_sections_in_the_same_order(report):
    """Numbered as state documents number them: I., II., ... (issue 23)."""
    expected = [_words(h2) for h2 in report["main"].iterfind("section/h2")]
    headings = [p.text for p in report["doc"].paragraphs if p.style.name == "Heading 2"]
    assert len(expected) == 10
    assert headings == [f"{number}. {heading}" for number, heading in
                        zip(["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"], expected)]


def test_every_table_has_the_html_cells_and_a_repeated_header_row(report):
    expected = [[[_words(cell) for cell in row.iterfind("*")] for row in table.iterfind(".//tr")]
                for table in report["main"].iterfind(".//table")]
    tables = _body_tables(report["doc"])
    assert len(tables) == len(expected) >= 5
    for table, rows in zip(tables, expected):
        assert [[cell.text for cell in row.cells] for row in table.rows] == rows
        repeated = [row._tr.trPr is not None and row._tr.trPr.find(qn("w:tblHeader")) is not None for row in table.rows]
        assert repeated == [True] + [False] * (len(rows) - 1)


def test_one_picture_per_chart_at_print_resolution_with_its_alt_text(report):
    alts = [img.get("alt") for img in report["main"].iter("img")]
    document = report["doc"]
    shapes = document.inline_shapes
    assert len(alts) == 5  # the public record's five charts
    assert [shape._inline.docPr.get("descr") for shape in shapes] == alts
    text_width = document.sections[0].page_width - document.sections[0].left_margin - document.sections[0].right_margin
    for shape in shapes:
        blip = shape._inline.graphic.graphicData.pic.blipFill.blip
        image = document.part.related_parts[blip.embed].image
        assert image.content_type == "image/png"
        assert shape.width <= text_width
        assert image.px_width / (shape.width / 914400) >= 200  # pixels per inch as printed


def test_text_is_the_html_text_in_the_same_order_and_nfc(report):
    """Every paragraph of the report (title, cover lines, headings, paragraphs, list items, definitions) is in
    the draft, in order and letter for letter."""
    main, expected = report["main"], []
    for element in main.iter("h1", "h2", "h3", "p", "li", "dt"):
        if element.getparent().tag == "nav" or element.xpath("ancestor::nav") or element.get("class") in (
                "kicker", "running-title"):
            continue
        if element.tag == "dt":
            expected.append(f"{_words(element)}: {_words(element.getnext())}")
        elif element.tag == "h1":  # the kind of document over its subject (Decree 30)
            expected += [text("docx_kind", report["lang"]), _subject(report)]
        elif element.get("class") == "subtitle":
            expected += [_words(element), "________"]
        else:
            expected.append(_words(element))
    paragraphs = [re.sub(r"^([IVX]+\.|\d+\.|[a-z]\)) ", "", p.text) if p.style.name.startswith("Heading") else p.text
                  for p in report["doc"].paragraphs if p.text.strip()]  # headings without their numbers
    assert paragraphs == expected
    everything = "\n".join(paragraphs + [c.text for t in report["doc"].tables for r in t.rows for c in r.cells])
    assert unicodedata.is_normalized("NFC", everything)
    if report["lang"] == "vi":
        assert "Khánh Hòa" in everything and "Kết quả PAR INDEX theo lĩnh vực" in everything


def _subject(report) -> str:
    """The report's title under the "BÁO CÁO" line: without its own leading "Báo cáo"."""
    title = _words(report["main"].find(".//h1"))
    subject = re.sub(rf"^{text('docx_kind', report['lang'])}\s*", "", title, flags=re.IGNORECASE)
    return subject[:1].upper() + subject[1:]


def test_state_document_layout_fonts_and_page_numbers(report):
    document = report["doc"]
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert 20 <= section.top_margin.mm <= 25 and 20 <= section.bottom_margin.mm <= 25
    assert 30 <= section.left_margin.mm <= 35 and 15 <= section.right_margin.mm <= 20
    runs = [run for p in document.paragraphs for run in p.runs]
    runs += [run for t in document.tables for r in t.rows for c in r.cells for p in c.paragraphs for run in p.runs]
    runs += [run for p in section.footer.paragraphs for run in p.runs]
    runs = [run for run in runs if run.text]  # a picture's run has no letters to set
    assert runs and {run.font.name for run in runs} == {"Times New Roman"}
    assert all(run._r.rPr.rFonts.get(qn("w:cs")) == "Times New Roman" for run in runs)
    title = next(p for p in document.paragraphs if p.text == _subject(report))
    assert {run.font.size.pt for run in title.runs} == {14}
    body = next(p for p in document.paragraphs if p.style.name == "Normal" and len(p.text) > 100)
    assert {run.font.size.pt for run in body.runs} == {13}
    assert section.footer._element.xpath(".//w:fldSimple[@w:instr='PAGE']")


def test_fields_to_fill_in_are_highlighted_placeholders(report):
    document, lang = report["doc"], report["lang"]
    frame = [cell for table in (document.tables[0], document.tables[-1]) for cell in table.rows[0].cells]
    frame_text = "\n".join(cell.text for cell in frame)
    year = report["doc"].core_properties.created.year
    expected_lines = {"vi": ["UBND TỈNH KHÁNH HÒA", "SỞ NỘI VỤ", "Số: [...]/BC-SNV",
                             "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                             f"Khánh Hòa, ngày [...] tháng [...] năm {year}", "Nơi nhận:", "[GIÁM ĐỐC]", "[Họ và tên]"],
                      "en": ["PEOPLE'S COMMITTEE OF KHÁNH HÒA PROVINCE", "No.: [...]/BC-SNV",
                             "SOCIALIST REPUBLIC OF VIET NAM", f"Khánh Hòa, [day] [month] {year}", "Recipients:",
                             "[DIRECTOR]", "[Full name]"]}[lang]
    for line in expected_lines:
        assert line in frame_text.splitlines(), line
    runs = [run for cell in frame for p in cell.paragraphs for run in p.runs if run.text]
    placeholders = [run for run in runs if re.fullmatch(r"\[[^\]]*\]", run.text)]
    assert len(placeholders) >= 6
    assert all(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for run in placeholders)
    assert not [run for run in runs if run not in placeholders and run.font.highlight_color is not None]


def test_same_html_gives_the_same_bytes_and_fixed_times(report):
    manifest_produced = report["doc"].core_properties.created.date().isoformat()
    again = word.html_to_docx(report["html"], report["lang"], issued_by=issued_by("Khánh Hòa", report["lang"]),
                              produced=manifest_produced)
    assert again == report["bytes"]
    entries = zipfile.ZipFile(io.BytesIO(report["bytes"])).infolist()
    assert {entry.date_time for entry in entries} == {word.FIXED_TIME}
    assert entries[0].filename == "[Content_Types].xml"
    core = report["doc"].core_properties
    assert core.created == core.modified and core.title == _words(report["main"].find(".//h1"))


def test_a_different_report_gives_a_different_draft(report):
    """Guards the byte-stability test: the bytes do follow the content."""
    changed = report["html"].replace('<section id="summary"><h2>', '<section id="summary"><h2>X')
    assert changed != report["html"]
    assert word.html_to_docx(changed, report["lang"]) != word.html_to_docx(report["html"], report["lang"])


def test_libreoffice_renders_the_draft_with_the_figures_of_the_report(report, tmp_path):
    """The draft opens in LibreOffice; its pages render as images and its text carries the report's figures."""
    from pypdf import PdfReader

    source = tmp_path / "report.docx"
    source.write_bytes(report["bytes"])
    profile = tmp_path / "lo-profile"  # an own profile: other LibreOffice processes on the machine do not interfere
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=300)
    reader = PdfReader(tmp_path / "report.pdf")
    assert len(reader.pages) > 1
    pdf_text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    figures = {f for li in report["main"].iterfind(".//ul[@class='key-points']/li")
               for f in re.findall(r"\d+[.,]\d+%|\d+/63", _words(li))}
    assert len(figures) >= 4
    assert not [figure for figure in figures if figure not in pdf_text]
    # the signature block does not stand alone: the last section (Thuật ngữ, short) is on its page, heading and all
    last_page = " ".join(reader.pages[-1].extract_text().split())
    last_section = report["main"].findall("section")[-1]
    assert _words(last_section.find("h2")) in last_page and text("docx_recipients", report["lang"]) in last_page
    assert _words(last_section.find(".//dd")) in last_page
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(tmp_path / "report.pdf"), str(tmp_path / "page")],
                   check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == len(reader.pages)
    from PIL import Image

    for page in pages:
        with Image.open(page) as image:
            assert image.convert("L").getextrema()[0] < 100, f"{page.name} is blank"


def test_heatmap_cells_are_enlarged_before_printing_so_they_stay_sharp():
    """Matplotlib embeds one pixel per heatmap value; the draft's PNG must not smooth them into a blur."""
    import base64
    import io

    from PIL import Image

    from parsipas.present.word_content import _crisp_cells

    buffer = io.BytesIO()
    Image.new("RGB", (2, 1), "white").save(buffer, "PNG")
    encoded = base64.b64encode(buffer.getvalue())
    svg = b'<svg><image xlink:href="data:image/png;base64,\n' + encoded + b'"/></svg>'
    enlarged = _crisp_cells(svg, factor=16)
    data = base64.b64decode(enlarged.split(b"base64,")[1].split(b'"')[0])
    assert Image.open(io.BytesIO(data)).size == (32, 16)


# -- the state's layout and pages that hold together (issue 23, items 7 and 11), on a small report HTML ------------
def _html(sections: str) -> str:
    return (f'<html><body><main class="report"><header class="cover"><p class="kicker">PAR INDEX · SIPAS</p>'
            f'<h1>Báo cáo cải thiện Chỉ số cải cách hành chính</h1><p class="subtitle">Khánh Hòa: năm 2022 so với năm '
            f'2021</p></header>{sections}</main></body></html>')


def _section(title: str, body: str = "<p>Một đoạn văn.</p>", sub: str = "") -> str:
    return f"<section><h2>{title}</h2>{body}{sub}</section>"


def _rows(n: int) -> str:
    cells = "".join(f"<tr><td>Dòng {k}</td><td>{k},5</td></tr>" for k in range(1, n + 1))
    return f"<table><thead><tr><th>Lĩnh vực</th><th>Điểm</th></tr></thead><tbody>{cells}</tbody></table>"


def issued_by(place: str | None, lang: str) -> word.Issuer:
    """The issuer as the pipeline gives it: the place looked up in the processed provinces table."""
    return word.issuer(place, lang, reference_tables.provinces())


def _draft(html: str, place: str | None = "Khánh Hòa", lang: str = "vi"):
    return docx.Document(io.BytesIO(word.html_to_docx(html, lang, issued_by=issued_by(place, lang),
                                                      produced="2026-12-03")))


def _keeps(paragraph) -> bool:
    """Kept with the next paragraph, set on the paragraph or by its style (headings)."""
    own = paragraph.paragraph_format.keep_with_next
    return bool(paragraph.style.paragraph_format.keep_with_next if own is None else own)


@pytest.mark.parametrize("place, lang, committee, dated", [
    ("Khánh Hòa", "vi", "UBND TỈNH KHÁNH HÒA", "Khánh Hòa, ngày [...] tháng [...] năm 2026"),
    ("Thành phố Hải Phòng", "vi", "UBND THÀNH PHỐ HẢI PHÒNG", "Hải Phòng, ngày [...] tháng [...] năm 2026"),
    ("Hà Nội", "vi", "UBND THÀNH PHỐ HÀ NỘI", "Hà Nội, ngày [...] tháng [...] năm 2026"),
    ("Thành phố Hồ Chí Minh", "vi", "UBND THÀNH PHỐ HỒ CHÍ MINH",
     "Thành phố Hồ Chí Minh, ngày [...] tháng [...] năm 2026"),  # named after a person: the full name (Decree 30)
    ("Thành phố Huế", "vi", "UBND THÀNH PHỐ HUẾ", "Huế, ngày [...] tháng [...] năm 2026"),
    ("Khánh Hòa", "en", "PEOPLE'S COMMITTEE OF KHÁNH HÒA PROVINCE", "Khánh Hòa, [day] [month] 2026"),
    (None, "vi", "[UBND TỈNH/THÀNH PHỐ ...]", "[Địa danh], ngày [...] tháng [...] năm 2026"),
])
def test_the_issuing_body_and_place_come_from_the_province(place, lang, committee, dated):
    """Decree 30/2020: the people's committee over the Department, the number line and the place and date."""
    document = _draft(_html(_section("Tóm tắt")), place, lang)
    agency, nation = document.tables[0].rows[0].cells
    assert [p.text for p in agency.paragraphs][:2] == [committee, text("docx_agency", lang)]
    assert "/BC-SNV" in agency.paragraphs[-1].text
    assert nation.paragraphs[-1].text == dated
    assert all(run.italic for run in nation.paragraphs[-1].runs)


def test_the_kind_of_document_stands_over_its_subject_in_times_new_roman_14():
    document = _draft(_html(_section("Tóm tắt")))
    texts = [p.text for p in document.paragraphs]
    kind = texts.index("BÁO CÁO")
    assert texts[kind + 1] == "Cải thiện Chỉ số cải cách hành chính"  # the leading "Báo cáo" said once, above
    assert texts[kind + 2] == "Khánh Hòa: năm 2022 so với năm 2021"
    for paragraph in document.paragraphs[kind:kind + 3]:
        fonts = {(run.font.name, run.font.size.pt, run.bold) for run in paragraph.runs}
        assert fonts == {("Times New Roman", 14, True)}
        assert paragraph.alignment == 1  # centred
    body = next(p for p in document.paragraphs if p.text == "Một đoạn văn.")
    assert {(run.font.name, run.font.size.pt) for run in body.runs} == {("Times New Roman", 13)}


def test_headings_are_numbered_i_1_a_and_restart_under_each_section():
    html = _html(_section("Tóm tắt", sub="<h3>Vị trí</h3><p>x</p><h3>Việc cần làm</h3><h4>Trước hết</h4><h4>Sau</h4>")
                 + _section("Kết quả", sub="<h3>Lĩnh vực</h3>") + "".join(_section(f"Mục {k}") for k in range(3, 10)))
    headings = [p.text for p in _draft(html).paragraphs if p.style.name.startswith("Heading")]
    assert headings[:8] == ["I. Tóm tắt", "1. Vị trí", "2. Việc cần làm", "a) Trước hết", "b) Sau", "II. Kết quả",
                            "1. Lĩnh vực", "III. Mục 3"]
    assert headings[-1] == "IX. Mục 9"
    assert all(_keeps(p) for p in _draft(html).paragraphs if p.style.name.startswith("Heading"))


def test_header_rows_repeat_and_stay_with_two_rows_and_no_page_holds_one_row():
    long, short = 20, 4
    html = _html(_section("Bảng", "<p>Bảng dưới đây so sánh.</p>" + _rows(long) + '<p class="note">– : chưa công bố</p>'
                          ) + _section("Ngắn", _rows(short)) + _section("Cuối", "<p>Hết.</p>" * 20))
    document = _draft(html)
    long_table, short_table = document.tables[1], document.tables[2]

    def kept(table) -> list[bool]:
        return [all(_keeps(cell.paragraphs[0]) for cell in row.cells) for row in table.rows]

    def header(row) -> bool:
        return row._tr.trPr.find(qn("w:tblHeader")) is not None

    # header kept with the first body row, that one with the next, the last two rows together and the last with the
    # note under the table; the rows between are free to break
    assert [header(row) for row in long_table.rows] == [True] + [False] * long
    assert kept(long_table) == [True, True] + [False] * (long - 3) + [True, True]
    assert kept(short_table) == [True] * short + [False]  # a short table is not split
    intro = next(p for p in document.paragraphs if p.text == "Bảng dưới đây so sánh.")
    assert _keeps(intro)  # the sentence introducing a table starts on its page
    note = next(p for p in document.paragraphs if p.text == "– : chưa công bố")
    assert note.style.name == "Note" and not _keeps(note)
    # why a chart is missing belongs to what comes before it, and does not go down the page with the next table
    missing = _draft(_html(_section("A", '<p>Bảng.</p>' + _rows(3) + '<p class="no-chart">Chưa đủ số liệu.</p>'
                                    + _rows(3))))
    sentence = next(p for p in missing.paragraphs if p.text == "Chưa đủ số liệu.")
    assert sentence.style.name == "Note" and not _keeps(sentence)
    assert all(cell.paragraphs[0].paragraph_format.keep_with_next for cell in missing.tables[1].rows[-1].cells)


def test_the_signature_block_goes_with_the_last_section_or_its_last_lines():
    short = _draft(_html(_section("Trước", "<p>Trước.</p>" * 30) + _section("Thuật ngữ", "<p>Một.</p><p>Hai.</p>")))
    paragraphs = short.paragraphs
    last = max(k for k, p in enumerate(paragraphs) if p.style.name.startswith("Heading"))
    assert [p.text for p in paragraphs[last:]] == ["II. Thuật ngữ", "Một.", "Hai.", ""]
    assert all(_keeps(p) for p in paragraphs[last:])  # heading, both lines and the blank line before the signature
    assert not _keeps(paragraphs[last - 1])
    signature = short.tables[-1]
    assert "Nơi nhận:" in signature.rows[0].cells[0].text and signature.rows[0]._tr.trPr.find(qn("w:cantSplit")) \
        is not None
    long = _draft(_html(_section("Phụ lục", "<p>Nguồn.</p>" + _rows(30))))
    rows = long.tables[1].rows
    kept = [all(_keeps(cell.paragraphs[0]) for cell in row.cells) for row in rows]
    assert kept[-3:] == [False, True, True]  # the last two rows (and the blank line) go over with the signature
    assert _keeps(long.paragraphs[-1]) and long.paragraphs[-1].text == ""
