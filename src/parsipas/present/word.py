"""The report as an editable Word draft in the state document format (Decree 30/2020/NĐ-CP).

Built from the final report HTML (word_html walks it; word_layout sets the page and styles), so the draft has the
same sections, tables, figures and numbers in the same order as the HTML and PDF. Around it comes the frame the
Department of Home Affairs completes before signing: agency and document number, national name and motto, place and
date, recipients and signature, each field to fill in shown as a highlighted "[...]". Two conversions of the same
HTML give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass

import pandas as pd
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from lxml import html as lxml_html

from parsipas.analyse import places
from parsipas.core.messages import text
from parsipas.core.text import province_key
from parsipas.present import engine, word_blocks
from parsipas.present.word_content import Numbering
from parsipas.present.word_html import block, element_words
from parsipas.present.word_layout import (
    FIXED_TIME,
    NOTE_PT,
    core_properties,
    frame_line,
    keep_last_section_with_signature,
    keep_together,
    page_setup,
    stable_zip,
    styles,
    two_columns,
)


def html_to_docx(html: str, lang: str, *, issued_by: Issuer | None = None, produced: str | None = None) -> bytes:
    """The report HTML (as written to report.html) -> .docx bytes. `issued_by` (issuer()) names the province's
    issuing body and the place and date line (placeholders when not given). `produced` (YYYY-MM-DD) dates the core
    properties and gives the year of the date line."""
    main = lxml_html.fromstring(html).find(".//main")

    def fill(document, numbering: Numbering) -> str:
        for element in main:
            block(document, element, lang, numbering)
        return element_words(main.find(".//h1"))

    return _draft(fill, lang, issued_by, produced)


def report_to_docx(kind: engine.ReportKind, data, *, issued_by: Issuer | None = None,
                   produced: str | None = None) -> bytes:
    """The same draft as html_to_docx gives for the report's HTML, written from the kind's blocks (word_blocks)
    without an HTML page in between."""
    return _draft(lambda document, numbering: word_blocks.fill(document, kind, data, numbering), data.lang,
                  issued_by, produced)


def _draft(fill, lang: str, issued_by: Issuer | None, produced: str | None) -> bytes:
    """The frame around the report's content (fill writes it and gives the title), in fixed bytes."""
    document = Document()
    page_setup(document)
    styles(document, lang)
    _frame_top(document, lang, issued_by or placeholders(lang), produced[:4] if produced else None)
    title = fill(document, Numbering())
    keep_together(document)
    keep_last_section_with_signature(document)
    _frame_bottom(document, lang)
    when = dt.datetime.fromisoformat(produced) if produced else dt.datetime(*FIXED_TIME)
    core_properties(document, title, when)
    buffer = io.BytesIO()
    document.save(buffer)
    return stable_zip(buffer.getvalue())


@dataclass(frozen=True)
class Issuer:
    """Who issues the draft: the province's people's committee above its Department of Home Affairs, and the place
    written in the date line."""
    committee: str
    place: str


def issuer(place: str | None, lang: str, provinces: pd.DataFrame) -> Issuer:
    """The issuing body and place of a province named as any set of the processed `provinces` table names it ("Khánh
    Hòa", "Thành phố Hải Phòng"): "UBND TỈNH KHÁNH HÒA" / "UBND THÀNH PHỐ HẢI PHÒNG" (kind from the table), the place
    without "Thành phố" unless the earliest set writes it so (Decree 30: a place named after a person keeps its full
    name, "Thành phố Hồ Chí Minh"). An unknown or missing place gives the placeholders to fill in."""
    kinds = {province_key(row.name_vi): row.kind for row in provinces.itertuples()}
    earliest = places.units(provinces, int(provinces["first_year"].min()))
    written = {province_key(name): name for name in earliest["name_vi"]}
    key = province_key(place) if place else None
    if key not in kinds:
        return placeholders(lang)
    short = _PREFIX.sub("", place)
    return Issuer(text(f"docx_committee_{kinds[key]}", lang, name=short.upper()), written.get(key, short))


def placeholders(lang: str) -> Issuer:
    """The issuing body and place left for the Department to fill in."""
    return Issuer(text("docx_agency_parent", lang), text("docx_place", lang))


_PREFIX = re.compile(r"^(Thành phố|Tỉnh)\s+", re.IGNORECASE)


def _frame_top(document, lang: str, body: Issuer, year: str | None) -> None:
    agency, nation = two_columns(document, 70)
    frame_line(agency, body.committee, 13)
    frame_line(agency, text("docx_agency", lang), 13, bold=True)
    frame_line(agency, "_______", 13)
    frame_line(agency, text("docx_number", lang), 13)
    frame_line(nation, text("docx_nation", lang), 12, bold=True)
    frame_line(nation, text("docx_motto", lang), 13, bold=True)
    frame_line(nation, "_______________________", 13)
    frame_line(nation, text("docx_place_date", lang, place=body.place, year=year or "[...]"), 13, italic=True)


def _frame_bottom(document, lang: str) -> None:
    """Recipients and signature, after a blank line kept with them (see keep_last_section_with_signature)."""
    document.add_paragraph().paragraph_format.keep_with_next = True
    recipients, signature = two_columns(document, 80)
    frame_line(recipients, text("docx_recipients", lang), 12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    for line in text("docx_recipient_lines", lang).split("\n"):
        frame_line(recipients, line, NOTE_PT, align=WD_ALIGN_PARAGRAPH.LEFT)
    frame_line(signature, text("docx_signer_title", lang), 13, bold=True)
    frame_line(signature, text("docx_signature", lang), 13, italic=True)
    for _ in range(3):
        frame_line(signature, "", 13)
    frame_line(signature, text("docx_signer_name", lang), 13, bold=True)
