"""The report as an editable Word draft in the state document format (Decree 30/2020/NĐ-CP).

Built from the final report HTML, so the draft has the same sections, tables, figures and numbers in the same order
as the HTML and PDF. Around it comes the frame the Department of Home Affairs completes before signing: agency and
document number, national name and motto, place and date, recipients and signature, each field to fill in shown as
a highlighted "[...]". Two conversions of the same HTML give the same bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph
from lxml import html as lxml_html

from parsipas.core import paths
from parsipas.core.messages import text
from parsipas.core.text import province_key
from parsipas.ingest.provinces import provinces
from parsipas.ingest.reference import table

FONT = "Times New Roman"
BODY_PT, TITLE_PT, TABLE_PT, NOTE_PT = 13, 14, 11, 11
PAGE_MM = (210, 297)
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 16}  # Decree 30: 20-25, 20-25, 30-35, 15-20
TEXT_WIDTH_MM = PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]
TEXT_HEIGHT_MM = PAGE_MM[1] - MARGINS_MM["top"] - MARGINS_MM["bottom"] - 20  # room for a caption and the footer
PRINT_DPI = 200
CHAR_MM, PADDING_MM = 2.2, 4.5  # a table letter at 11 pt (bold too); a cell's inner margins
SHORT_TABLE_ROWS = 6  # a table (or list) of this many body rows (items) or fewer is kept on one page
LAST_SECTION_LINES, SIGNATURE_COMPANIONS = 12, 3  # a last section this short goes whole with the signature, else
# its last lines (paragraphs or table rows) do
WRAP_CHARS, LONG_WORD_CHARS = 40, 16  # a cell wider than two lines of this wraps; a longer word (an address) breaks
FIXED_TIME = (2000, 1, 1, 0, 0, 0)  # zip entries and core properties: no clock in the bytes
LANGUAGE_TAGS = {"vi": "vi-VN", "en": "en-GB"}
NOTE_STYLE = "Note"  # a table's legend, or why a chart is missing: kept on the page of what comes before it
PLACEHOLDER = re.compile(r"(\[[^\]]*\])")


def html_to_docx(html: str, lang: str, *, place: str | None = None, produced: str | None = None) -> bytes:
    """The report HTML (as written to report.html) -> .docx bytes. `place` is the province (or centrally-run city)
    whose Department of Home Affairs issues the report: it names the issuing body and the place and date line
    (placeholders when not given). `produced` (YYYY-MM-DD) dates the core properties and gives the year of the date
    line."""
    main = lxml_html.fromstring(html).find(".//main")
    document = Document()
    _page_setup(document)
    _styles(document, lang)
    _frame_top(document, lang, place, produced[:4] if produced else None)
    numbering = _Numbering()
    for element in main:
        _block(document, element, lang, numbering)
    _keep_together(document)
    _keep_last_section_with_signature(document)
    _frame_bottom(document, lang)
    when = dt.datetime.fromisoformat(produced) if produced else dt.datetime(*FIXED_TIME)
    _core_properties(document, _words(main.find(".//h1")), when)
    buffer = io.BytesIO()
    document.save(buffer)
    return _stable_zip(buffer.getvalue())


# -- page, styles and the frame ------------------------------------------------------------------------------------
def _page_setup(document) -> None:
    section = document.sections[0]
    section.start_type = WD_SECTION_START.NEW_PAGE
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    for side, millimetres in MARGINS_MM.items():
        setattr(section, f"{side}_margin", Mm(millimetres))
    section.footer_distance = Mm(10)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_field(footer)


def _page_field(paragraph) -> None:
    """The PAGE field: python-docx has no field API, so the one element is made with its own OxmlElement."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    paragraph._p.append(field)
    run = paragraph.add_run("1")
    _font(run, NOTE_PT)
    field.append(run._r)


def _styles(document, lang: str) -> None:
    """Times New Roman everywhere: the theme fonts of the default template are removed, not merely overridden."""
    for style in document.styles:
        element = style.element
        fonts = element.find(qn("w:rPr") + "/" + qn("w:rFonts")) if element.find(qn("w:rPr")) is not None else None
        if fonts is not None:
            for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
                fonts.attrib.pop(qn(attribute), None)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _set_fonts(run_defaults)
    language = run_defaults.find(qn("w:lang"))
    if language is None:
        language = OxmlElement("w:lang")
        run_defaults.append(language)
    language.set(qn("w:val"), LANGUAGE_TAGS[lang])
    document.styles.add_style(NOTE_STYLE, WD_STYLE_TYPE.PARAGRAPH).base_style = document.styles["Normal"]
    normal = document.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.space_after = Pt(6)
    for name in ("Heading 1", "Heading 2", "Heading 3"):
        heading = document.styles[name]
        heading.font.size, heading.font.bold, heading.font.italic = Pt(BODY_PT), True, False
        heading.font.color.rgb = RGBColor(0, 0, 0)
        heading.paragraph_format.space_before, heading.paragraph_format.space_after = Pt(12), Pt(6)
        heading.paragraph_format.keep_with_next = True


def _set_fonts(run_properties) -> None:
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    fonts.attrib.clear()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), FONT)


def _font(run, size: float, bold: bool = False, italic: bool = False):
    run.font.name, run.font.size, run.font.bold, run.font.italic = FONT, Pt(size), bold, italic
    _set_fonts(run._r.get_or_add_rPr())
    return run


def _marked(paragraph, words: str, size: float, bold: bool = False, italic: bool = False) -> None:
    """Frame text; every "[...]" in it is a field the Department fills in, highlighted so it cannot be missed."""
    for part in PLACEHOLDER.split(words):
        if part:
            run = _font(paragraph.add_run(part), size, bold, italic)
            if PLACEHOLDER.fullmatch(part):
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _line(cell_or_document, words: str, size: float = BODY_PT, bold: bool = False, italic: bool = False,
          align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = cell_or_document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _marked(paragraph, words, size, bold, italic)
    return paragraph


def _two_columns(document, left_mm: float):
    """A borderless two-column table: the way state documents place the agency beside the national name."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(table, [left_mm, TEXT_WIDTH_MM - left_mm])
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell in table.rows[0].cells:
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def _widths(table, millimetres: list[float]) -> None:
    """Fixed column widths on the grid and on every cell: Word reads the cells, LibreOffice the grid."""
    table.autofit = False
    for column, width in zip(table.columns, millimetres):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


@dataclass(frozen=True)
class Issuer:
    """Who issues the draft: the province's people's committee above its Department of Home Affairs, and the place
    written in the date line."""
    committee: str
    place: str


def issuer(place: str | None, lang: str, directory: Path = paths.REFERENCE) -> Issuer:
    """The issuing body and place of a province named as any year's list of provinces names it ("Khánh Hòa",
    "Thành phố Hải Phòng"): "UBND TỈNH KHÁNH HÒA" / "UBND THÀNH PHỐ HẢI PHÒNG" (kind from the list), the place
    without "Thành phố" unless the list of provinces up to 2024 writes it so (Decree 30: a place named after a
    person keeps its full name, "Thành phố Hồ Chí Minh"). An unknown or missing place gives the placeholders to fill
    in."""
    kinds, written = _province_lists(directory)
    key = province_key(place) if place else None
    if key not in kinds:
        return Issuer(text("docx_agency_parent", lang), text("docx_place", lang))
    short = _PREFIX.sub("", place)
    return Issuer(text(f"docx_committee_{kinds[key]}", lang, name=short.upper()), written.get(key, short))


_PREFIX = re.compile(r"^(Thành phố|Tỉnh)\s+", re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def _province_lists(directory: Path) -> tuple[dict[str, str], dict[str, str]]:
    """By name key: each province's kind (province or city) in every list of unit_sets.csv, and the name as the
    list of provinces up to 2024 (provinces.csv) writes it."""
    kinds = {province_key(row.name_vi): row.kind for set_table in table("unit_sets", directory)["table"]
             for row in table(set_table, directory).itertuples()}
    return kinds, {province_key(name): name for name in provinces(directory)["name_vi"]}


def _frame_top(document, lang: str, place: str | None, year: str | None) -> None:
    body = issuer(place, lang)
    agency, nation = _two_columns(document, 70)
    _line(agency, body.committee, 13)
    _line(agency, text("docx_agency", lang), 13, bold=True)
    _line(agency, "_______", 13)
    _line(agency, text("docx_number", lang), 13)
    _line(nation, text("docx_nation", lang), 12, bold=True)
    _line(nation, text("docx_motto", lang), 13, bold=True)
    _line(nation, "_______________________", 13)
    _line(nation, text("docx_place_date", lang, place=body.place, year=year or "[...]"), 13, italic=True)


def _frame_bottom(document, lang: str) -> None:
    """Recipients and signature, after a blank line kept with them (see _keep_last_section_with_signature)."""
    document.add_paragraph().paragraph_format.keep_with_next = True
    recipients, signature = _two_columns(document, 80)
    _line(recipients, text("docx_recipients", lang), 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in text("docx_recipient_lines", lang).split("\n"):
        _line(recipients, line, NOTE_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    _line(signature, text("docx_signer_title", lang), 13, bold=True)
    _line(signature, text("docx_signature", lang), 13, italic=True)
    for _ in range(3):
        _line(signature, "", 13)
    _line(signature, text("docx_signer_name", lang), 13, bold=True)


# -- keeping things together on a page ----------------------------------------------------------------------------
def _keep_together(document) -> None:
    """A paragraph just before a table or a chart introduces it (unless it is a note or a blank line): it goes onto
    the page where they start. A note (legend) goes onto the page where what it explains ends: the blank line before
    it and the table's last row or the paragraph it follows are kept with it."""
    blocks = list(document.element.body.iterchildren(qn("w:p"), qn("w:tbl")))
    for block, after in zip(blocks, blocks[1:]):
        introduces = block.tag == qn("w:p") and _text(block) and _style(block) != NOTE_STYLE
        if introduces and (after.tag == qn("w:tbl") or after.find(".//" + qn("w:drawing")) is not None):
            _keep(document, [block])
    for index, block in enumerate(blocks):
        if _style(block) == NOTE_STYLE:
            before = index - 1
            while before >= 0 and blocks[before].tag == qn("w:p") and not _text(blocks[before]):
                _keep(document, [blocks[before]])
                before -= 1
            if before >= 0:
                last = blocks[before] if blocks[before].tag == qn("w:p") else list(blocks[before].iter(qn("w:tr")))[-1]
                _keep(document, list(last.iter(qn("w:p"))))


def _keep(document, paragraphs: list) -> None:
    for paragraph in paragraphs:
        Paragraph(paragraph, document).paragraph_format.keep_with_next = True


def _style(block) -> str:
    style = block.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return "" if style is None else style.get(qn("w:val"))


def _text(paragraph) -> str:
    return "".join(node.text or "" for node in paragraph.iter(qn("w:t")))


def _keep_last_section_with_signature(document) -> None:
    """The signature block never stands alone on the last page: the last section (from its heading) goes with it
    when it is short, else its last lines do. Called before the frame's closing lines are added."""
    blocks = list(document.element.body.iterchildren(qn("w:p"), qn("w:tbl")))
    start = max((k for k, block in enumerate(blocks) if _style(block).startswith("Heading")), default=0)
    lines = [[block] if block.tag == qn("w:p") else list(row.iter(qn("w:p")))
             for block in blocks[start:] for row in ([block] if block.tag == qn("w:p") else block.iter(qn("w:tr")))]
    for line in lines if len(lines) <= LAST_SECTION_LINES else lines[-SIGNATURE_COMPANIONS:]:
        _keep(document, line)


# -- the report's own content ----------------------------------------------------------------------------------------
def _words(element) -> str:
    return unicodedata.normalize("NFC", " ".join(element.text_content().split()))


@dataclass
class _Numbering:
    """Headings numbered as state documents number them: I., II. for sections, 1., 2. within a section, a), b)
    below that; each level restarts under the one above."""
    counts: list[int] = field(default_factory=lambda: [0, 0, 0])

    def next(self, level: int) -> str:
        depth = min(level, 4) - 2  # h2 -> 0, h3 -> 1, h4 and below -> 2
        self.counts[depth] += 1
        self.counts[depth + 1:] = [0] * (len(self.counts) - depth - 1)
        count = self.counts[depth]
        return (_roman(count) + ".", f"{count}.", f"{chr(ord('a') + count - 1)})")[depth]


def _roman(number: int) -> str:
    values = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
              (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    letters = ""
    for value, symbol in values:
        while number >= value:
            letters, number = letters + symbol, number - value
    return letters


def _block(document, element, lang: str, numbering: _Numbering) -> None:
    """One HTML block of the report, in document order; containers are walked into."""
    tag, classes = element.tag, set((element.get("class") or "").split())
    if tag in ("nav", "style", "script") or "running-title" in classes or "kicker" in classes:
        return  # navigation and screen furniture: a Word reader has its own
    if tag == "h1":
        _title(document, _words(element), lang)
    elif "subtitle" in classes:
        subtitle = _line(document, _words(element), TITLE_PT, bold=True)
        _line(document, "________", BODY_PT).paragraph_format.space_after = Pt(12)
        subtitle.paragraph_format.keep_with_next = True
    elif tag in ("h2", "h3", "h4", "h5", "h6"):
        heading = document.add_heading(level=min(int(tag[1]), 3))
        _font(heading.add_run(f"{numbering.next(int(tag[1]))} {_words(element)}"), BODY_PT, bold=True)
    elif tag == "p":
        _paragraph(document, element, classes)
    elif tag in ("ul", "ol"):
        items = list(element.iterfind("li"))
        kept = _rows_kept_with_next(0, len(items))
        for index, item in enumerate(items):
            paragraph = document.add_paragraph(style="List Bullet" if tag == "ul" else "List Number")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            if index in kept:
                paragraph.paragraph_format.keep_with_next = True
            _font(paragraph.add_run(_words(item)), BODY_PT)
    elif tag == "dl":
        for term in element.iterfind("dt"):
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            _font(paragraph.add_run(_words(term) + ": "), BODY_PT, bold=True)
            _font(paragraph.add_run(_words(term.getnext())), BODY_PT)
    elif tag == "table":
        _table(document, element)
    elif tag == "img":
        _picture(document, element)
    else:
        for child in element:
            _block(document, child, lang, numbering)


def _title(document, title: str, lang: str) -> None:
    """The kind of document ("BÁO CÁO") on its own line, then the subject beneath it (Decree 30, Appendix I): the
    report's title without its leading "Báo cáo", which the line above already says."""
    kind = text("docx_kind", lang)
    subject = re.sub(rf"^{re.escape(kind)}\s*", "", title, flags=re.IGNORECASE)
    heading = _line(document, kind, TITLE_PT, bold=True)
    heading.paragraph_format.space_before = Pt(18)
    heading.paragraph_format.keep_with_next = True
    _line(document, subject[:1].upper() + subject[1:], TITLE_PT, bold=True).paragraph_format.keep_with_next = True


def _paragraph(document, element, classes: set[str]) -> None:
    explains = "note" in classes or "no-chart" in classes  # of what precedes it: kept on that page
    paragraph = document.add_paragraph(style=NOTE_STYLE if explains else None)
    note = "note" in classes or "meta" in classes
    paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if note else WD_ALIGN_PARAGRAPH.JUSTIFY
    if not note:
        paragraph.paragraph_format.first_line_indent = Mm(10)
    _font(paragraph.add_run(_words(element)), NOTE_PT if "note" in classes else BODY_PT, italic=note)


def _table(document, element) -> None:
    """A report table; its header row repeats on every page the table runs onto and no row splits across pages."""
    head = [[_words(cell) for cell in row.iterfind("th")] for row in element.iterfind("thead/tr")]
    body = [[_words(cell) for cell in row.iterfind("td")] for row in element.iterfind("tbody/tr")]
    columns = max(len(row) for row in head + body)
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    kept = _rows_kept_with_next(len(head), len(body))
    for index, (header, cells) in enumerate([(True, row) for row in head] + [(False, row) for row in body]):
        row = table.add_row()
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if header:
            properties.append(OxmlElement("w:tblHeader"))
        for cell, words in zip(row.cells, cells):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if index in kept:
                paragraph.paragraph_format.keep_with_next = True
            figure = not header and not any(character.isalpha() for character in words)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if figure else WD_ALIGN_PARAGRAPH.LEFT
            _font(paragraph.add_run(words), TABLE_PT, bold=header)
    _widths(table, _column_widths(head + body, columns))
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def _rows_kept_with_next(head: int, body: int) -> set[int]:
    """The rows (header rows first) kept on the page of the row after them: the header rows with the first two body
    rows, the last two rows together, and a short table whole. So no header row is stranded at the foot of a page
    and no page holds a single row of a table."""
    if body <= SHORT_TABLE_ROWS:
        return set(range(head + body - 1))
    return {*range(head + 1), head + body - 2}


def _column_widths(rows: list[list[str]], columns: int) -> list[float]:
    """Widths in mm: each column at least as wide as its longest word (an address longer than that breaks), the rest of
    the text width shared in proportion to each column's longest cell (up to two lines' worth)."""
    least, wanted = [], []
    for index in range(columns):
        cells = [row[index] for row in rows if index < len(row)]
        longest_word = min(max((len(word) for cell in cells for word in cell.split()), default=1), LONG_WORD_CHARS)
        longest_cell = min(max((len(cell) for cell in cells), default=1), WRAP_CHARS)
        least.append(longest_word * CHAR_MM + PADDING_MM)
        wanted.append(max(longest_word, longest_cell) * CHAR_MM + PADDING_MM)
    if sum(least) >= TEXT_WIDTH_MM:
        return [TEXT_WIDTH_MM * width / sum(least) for width in least]
    if sum(wanted) <= TEXT_WIDTH_MM:
        return [TEXT_WIDTH_MM * width / sum(wanted) for width in wanted]
    spare, extra = TEXT_WIDTH_MM - sum(least), [want - low for want, low in zip(wanted, least)]
    return [low + spare * more / sum(extra) for low, more in zip(least, extra)]


EMBEDDED_PNG = re.compile(rb'xlink:href="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')


def _crisp_cells(svg: bytes, factor: int = 16) -> bytes:
    """Matplotlib embeds the heatmap as one pixel per value, which cairo smooths when it scales the image up: each
    pixel is enlarged first (nearest neighbour), so the cells print as sharp squares."""
    from PIL import Image

    def enlarge(match: re.Match) -> bytes:
        image = Image.open(io.BytesIO(base64.b64decode(match.group(1))))
        buffer = io.BytesIO()
        image.resize((image.width * factor, image.height * factor), Image.Resampling.NEAREST).save(buffer, "PNG")
        return b'xlink:href="data:image/png;base64,' + base64.b64encode(buffer.getvalue()) + b'"'

    return EMBEDDED_PNG.sub(enlarge, svg)


def _picture(document, element) -> None:
    """A chart as a PNG at print resolution, no wider than the text and no taller than a page; the alt text is the
    picture's description, read out by screen readers."""
    import cairosvg

    source, alt = element.get("src", ""), unicodedata.normalize("NFC", element.get("alt", ""))
    kind, _, data = source.partition(";base64,")
    if kind not in ("data:image/svg+xml", "data:image/png"):
        raise ValueError(f"report figure is not an embedded SVG or PNG image: {source[:40]!r}")
    png = base64.b64decode(data)
    if kind == "data:image/svg+xml":
        png = cairosvg.svg2png(bytestring=_crisp_cells(png), dpi=PRINT_DPI)
    width_px, height_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    width_mm, height_mm = width_px / PRINT_DPI * 25.4, height_px / PRINT_DPI * 25.4
    scale = min(1.0, TEXT_WIDTH_MM / width_mm, TEXT_HEIGHT_MM / height_mm)
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_together = True
    shape = paragraph.add_run().add_picture(io.BytesIO(png), width=Mm(width_mm * scale), height=Mm(height_mm * scale))
    properties = shape._inline.docPr
    properties.set("descr", alt)
    properties.set("title", alt)


# -- deterministic bytes ---------------------------------------------------------------------------------------------
def _core_properties(document, title: str, when: dt.datetime) -> None:
    core = document.core_properties
    core.author = core.last_modified_by = "parsipas"
    core.created = core.modified = core.last_printed = when
    core.revision = 1
    core.title = title


def _stable_zip(package: bytes) -> bytes:
    """Rewrite the package with fixed entry times, in name order after [Content_Types].xml: python-docx stamps the
    current time on every entry."""
    source = zipfile.ZipFile(io.BytesIO(package))
    names = sorted(source.namelist(), key=lambda name: (name != "[Content_Types].xml", name))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in names:
            entry = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            entry.compress_type, entry.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(entry, source.read(name))
    return out.getvalue()
