"""The report's content in the Word draft taken from the engine's blocks rather than from the report page: a kind's
cover and the sections the report has, written by word_content as word_html writes them from the HTML, so both
routes give the same draft."""

from __future__ import annotations

from parsipas.present import engine
from parsipas.present import word_content as write
from parsipas.present.word_content import Numbering, words

COVER_LINES = (("meta", {"meta"}), ("produced", {"meta"}), ("status", {"meta", "status"}))
"""The cover's lines under the title, with the classes the cover template gives them (cover.html.j2)."""


def fill(document, kind: engine.ReportKind, data, numbering: Numbering) -> str:
    """Write the cover and every section the report has, in order; the report's title (for the core properties)."""
    cover = kind.cover.content(data)
    if cover["banner"]:
        write.paragraph(document, words(cover["banner"]), {"synthetic-banner"})
    write.title(document, words(cover["title"]), data.lang)
    write.subtitle(document, words(cover["subtitle"]))
    if cover["note"]:
        write.paragraph(document, words(cover["note"]), {"no-figures"})
    for key, classes in COVER_LINES:
        write.paragraph(document, words(cover[key]), classes)
    for name in kind.shown(data):
        write.heading(document, words(kind.title(name, data)), 2, numbering)
        for block in kind.part(name).content(data)["blocks"]:
            _block(document, block, numbering)
    return words(cover["title"])


def _block(document, block: dict, numbering: Numbering) -> None:
    """One block of a section, as templates/sections/blocks.html.j2 writes it."""
    if "heading" in block:
        write.heading(document, words(block["heading"]), 3, numbering)
    elif "table" in block:
        table = block["table"]
        write.table(document, [[words(cell) for cell in table["header"]]],
                    [[words(cell) for cell in row] for row in table["rows"]])
    elif "figure" in block:
        chart = block["figure"]
        if chart["source"] is None:
            write.paragraph(document, words(chart["fallback"]), {"no-chart"})
        else:
            write.picture(document, chart["source"], chart["alt"])
    elif "list" in block:
        write.items(document, [words(line) for line in block["list"]], numbered=block["numbered"])
    elif "terms" in block:
        write.terms(document, [(words(term), words(meaning)) for term, meaning in block["terms"]])
    else:
        write.paragraph(document, words(block["paragraph"]), set(block["classes"].split()))
