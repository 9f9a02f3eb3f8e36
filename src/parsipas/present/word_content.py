"""The report's content in the Word draft, one kind of piece at a time: the title, headings numbered as state
documents number them, paragraphs, lists, terms, tables and charts. word_html finds these pieces in the report's HTML
and word_blocks in the engine's blocks; both write them with these functions."""

from __future__ import annotations

import base64
import io
import re
import unicodedata
from dataclasses import dataclass, field

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm, Pt

from parsipas.core.messages import text
from parsipas.present.word_layout import (
    BODY_PT,
    CHAR_MM,
    LONG_WORD_CHARS,
    NOTE_PT,
    NOTE_STYLE,
    PADDING_MM,
    PRINT_DPI,
    SHORT_TABLE_ROWS,
    TABLE_PT,
    TEXT_HEIGHT_MM,
    TEXT_WIDTH_MM,
    TITLE_PT,
    WRAP_CHARS,
    font,
    frame_line,
    widths,
)


@dataclass
class Numbering:
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


def title(document, title: str, lang: str) -> None:
    """The kind of document ("BÁO CÁO") on its own line, then the subject beneath it (Decree 30, Appendix I): the
    report's title without its leading "Báo cáo", which the line above already says."""
    kind = text("docx_kind", lang)
    subject = re.sub(rf"^{re.escape(kind)}\s*", "", title, flags=re.IGNORECASE)
    heading = frame_line(document, kind, TITLE_PT, bold=True)
    heading.paragraph_format.space_before = Pt(18)
    heading.paragraph_format.keep_with_next = True
    subject_line = frame_line(document, subject[:1].upper() + subject[1:], TITLE_PT, bold=True)
    subject_line.paragraph_format.keep_with_next = True


def subtitle(document, sentence: str) -> None:
    """The title's second line, with a short rule beneath it."""
    line = frame_line(document, sentence, TITLE_PT, bold=True)
    frame_line(document, "________", BODY_PT).paragraph_format.space_after = Pt(12)
    line.paragraph_format.keep_with_next = True


def heading(document, sentence: str, level: int, numbering: Numbering) -> None:
    """A heading of HTML level 2 (a section), 3 (within it) or below, numbered."""
    paragraph = document.add_heading(level=min(level, 3))
    font(paragraph.add_run(f"{numbering.next(level)} {sentence}"), BODY_PT, bold=True)


def paragraph(document, sentence: str, classes: set[str]) -> None:
    """A paragraph; a note (legend) or a missing chart's sentence is kept on the page of what it explains, and a
    note or a cover's meta line is set left in italics."""
    explains = "note" in classes or "no-chart" in classes  # of what precedes it: kept on that page
    written = document.add_paragraph(style=NOTE_STYLE if explains else None)
    note = "note" in classes or "meta" in classes
    written.alignment = WD_ALIGN_PARAGRAPH.LEFT if note else WD_ALIGN_PARAGRAPH.JUSTIFY
    if not note:
        written.paragraph_format.first_line_indent = Mm(10)
    font(written.add_run(sentence), NOTE_PT if "note" in classes else BODY_PT, italic=note)


def items(document, lines: list[str], numbered: bool) -> None:
    """A bulleted or numbered list; a short one is kept on one page."""
    kept = _rows_kept_with_next(0, len(lines))
    for index, line in enumerate(lines):
        written = document.add_paragraph(style="List Number" if numbered else "List Bullet")
        written.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if index in kept:
            written.paragraph_format.keep_with_next = True
        font(written.add_run(line), BODY_PT)


def terms(document, pairs: list[tuple[str, str]]) -> None:
    """Terms and their meanings, each a paragraph led by the term in bold."""
    for term, meaning in pairs:
        written = document.add_paragraph()
        written.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        font(written.add_run(term + ": "), BODY_PT, bold=True)
        font(written.add_run(meaning), BODY_PT)


def table(document, head: list[list[str]], body: list[list[str]]) -> None:
    """A report table (header rows, body rows); its header row repeats on every page the table runs onto and no row
    splits across pages."""
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
        for cell, said in zip(row.cells, cells):
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            if index in kept:
                paragraph.paragraph_format.keep_with_next = True
            figure = not header and not any(character.isalpha() for character in said)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT if figure else WD_ALIGN_PARAGRAPH.LEFT
            font(paragraph.add_run(said), TABLE_PT, bold=header)
    widths(table, _column_widths(head + body, columns))
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


def picture(document, source: str, alt: str) -> None:
    """A chart (an embedded SVG or PNG data URI) as a PNG at print resolution, no wider than the text and no taller
    than a page; the alt text is the picture's description, read out by screen readers."""
    import cairosvg

    alt = unicodedata.normalize("NFC", alt)
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
