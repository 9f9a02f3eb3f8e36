"""The report's content in the Word draft, found in the final report HTML: walked block by block, so the draft has
the same sections, tables, figures and numbers in the same order as the HTML and PDF; word_content writes each."""

from __future__ import annotations

from parsipas.core.text import nfc
from parsipas.present import word_content as write
from parsipas.present.word_content import Numbering


def element_words(element) -> str:
    return nfc(element.text_content())


def block(document, element, lang: str, numbering: Numbering) -> None:
    """One HTML block of the report, in document order; containers are walked into."""
    tag, classes = element.tag, set((element.get("class") or "").split())
    if tag in ("nav", "style", "script") or "running-title" in classes or "kicker" in classes:
        return  # navigation and screen furniture: a Word reader has its own
    if tag == "h1":
        write.title(document, element_words(element), lang)
    elif "subtitle" in classes:
        write.subtitle(document, element_words(element))
    elif tag in ("h2", "h3", "h4", "h5", "h6"):
        write.heading(document, element_words(element), int(tag[1]), numbering)
    elif tag == "p":
        write.paragraph(document, element_words(element), classes)
    elif tag in ("ul", "ol"):
        write.items(document, [element_words(item) for item in element.iterfind("li")], numbered=tag == "ol")
    elif tag == "dl":
        write.terms(document, [(element_words(term), element_words(term.getnext())) for term in element.iterfind("dt")])
    elif tag == "table":
        write.table(document, _cells(element, "thead/tr", "th"), _cells(element, "tbody/tr", "td"))
    elif tag == "img":
        write.picture(document, element.get("src", ""), element.get("alt", ""))
    else:
        for child in element:
            block(document, child, lang, numbering)


def _cells(table, rows: str, cell: str) -> list[list[str]]:
    return [[element_words(each) for each in row.iterfind(cell)] for row in table.iterfind(rows)]
