"""The report's content in the Word draft taken from the engine's blocks rather than from the report page: a kind's
cover and the sections the report has, written by word_content as word_html writes them from the HTML, so both
routes give the same draft."""

from __future__ import annotations

from parsipas.core.text import nfc
from parsipas.present import engine
from parsipas.present import word_content as write
from parsipas.present.word_content import Numbering

COVER_LINES = (("meta", {"meta"}), ("produced", {"meta"}), ("status", {"meta", "status"}))
"""The cover's lines under the title, with the classes the cover template gives them (cover.html.j2)."""


def fill(document, kind: engine.ReportKind, data, numbering: Numbering) -> str:
    """Write the cover and every section the report has, in order; the report's title (for the core properties)."""
    cover = kind.cover.content(data)
    if cover["banner"]:
        write.paragraph(document, nfc(cover["banner"]), {"synthetic-banner"})
    write.title(document, nfc(cover["title"]), data.lang)
    write.subtitle(document, nfc(cover["subtitle"]))
    if cover["note"]:
        write.paragraph(document, nfc(cover["note"]), {"no-figures"})
    for key, classes in COVER_LINES:
        write.paragraph(document, nfc(cover[key]), classes)
    for name in kind.shown(data):
        write.heading(document, nfc(kind.title(name, data)), 2, numbering)
        for block in kind.part(name).content(data)["blocks"]:
            _block(document, block, numbering)
    return nfc(cover["title"])


def _block(document, block: dict, numbering: Numbering) -> None:
    """One block of a section, as templates/sections/blocks.html.j2 writes it."""
    if "heading" in block:
        write.heading(document, nfc(block["heading"]), 3, numbering)
    elif "table" in block:
        table = block["table"]
        write.table(document, [[nfc(cell) for cell in table["header"]]],
                    [[nfc(cell) for cell in row] for row in table["rows"]])
    elif "figure" in block:
        chart = block["figure"]
        if chart["source"] is None:
            write.paragraph(document, nfc(chart["fallback"]), {"no-chart"})
        else:
            write.picture(document, chart["source"], chart["alt"])
    elif "list" in block:
        write.items(document, [nfc(line) for line in block["list"]], numbered=block["numbered"])
    elif "terms" in block:
        write.terms(document, [(nfc(term), nfc(meaning)) for term, meaning in block["terms"]])
    else:
        write.paragraph(document, nfc(block["paragraph"]), set(block["classes"].split()))
