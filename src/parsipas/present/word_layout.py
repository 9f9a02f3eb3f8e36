"""The Word draft's page, styles and furniture (Decree 30/2020/NĐ-CP): A4 with the state document margins, Times New
Roman everywhere, the lines and two-column blocks of the frame, what is kept together on a page, and the fixed bytes
of the package. word_html fills the page with the report's content; word puts the frame around it."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from docx.enum.section import WD_SECTION_START
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

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


def page_setup(document) -> None:
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
    font(run, NOTE_PT)
    field.append(run._r)


def styles(document, lang: str) -> None:
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


def font(run, size: float, bold: bool = False, italic: bool = False):
    run.font.name, run.font.size, run.font.bold, run.font.italic = FONT, Pt(size), bold, italic
    _set_fonts(run._r.get_or_add_rPr())
    return run


def _marked(paragraph, words: str, size: float, bold: bool = False, italic: bool = False) -> None:
    """Frame text; every "[...]" in it is a field the Department fills in, highlighted so it cannot be missed."""
    for part in PLACEHOLDER.split(words):
        if part:
            run = font(paragraph.add_run(part), size, bold, italic)
            if PLACEHOLDER.fullmatch(part):
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def frame_line(cell_or_document, words: str, size: float = BODY_PT, bold: bool = False, italic: bool = False,
               align=WD_ALIGN_PARAGRAPH.CENTER):
    paragraph = cell_or_document.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    _marked(paragraph, words, size, bold, italic)
    return paragraph


def two_columns(document, left_mm: float):
    """A borderless two-column table: the way state documents place the agency beside the national name."""
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    widths(table, [left_mm, TEXT_WIDTH_MM - left_mm])
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for cell in table.rows[0].cells:
        cell.paragraphs[0]._p.getparent().remove(cell.paragraphs[0]._p)
    return table.rows[0].cells


def widths(table, millimetres: list[float]) -> None:
    """Fixed column widths on the grid and on every cell: Word reads the cells, LibreOffice the grid."""
    table.autofit = False
    for column, width in zip(table.columns, millimetres):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def keep_together(document) -> None:
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


def keep_last_section_with_signature(document) -> None:
    """The signature block never stands alone on the last page: the last section (from its heading) goes with it
    when it is short, else its last lines do. Called before the frame's closing lines are added."""
    blocks = list(document.element.body.iterchildren(qn("w:p"), qn("w:tbl")))
    start = max((k for k, block in enumerate(blocks) if _style(block).startswith("Heading")), default=0)
    lines = [[block] if block.tag == qn("w:p") else list(row.iter(qn("w:p")))
             for block in blocks[start:] for row in ([block] if block.tag == qn("w:p") else block.iter(qn("w:tr")))]
    for line in lines if len(lines) <= LAST_SECTION_LINES else lines[-SIGNATURE_COMPANIONS:]:
        _keep(document, line)


def core_properties(document, title: str, when: dt.datetime) -> None:
    core = document.core_properties
    core.author = core.last_modified_by = "parsipas"
    core.created = core.modified = core.last_printed = when
    core.revision = 1
    core.title = title


def stable_zip(package: bytes) -> bytes:
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
