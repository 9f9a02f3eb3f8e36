"""Tables in the analyst notebooks as an analyst reads them: every row (in a scrolling box, never cut off), headers
in words from messages.toml, numbers and ranks written for the language by formatting.py, a figure not known left
blank, and an empty table replaced by one sentence saying why. The figures are the processed ones: only their writing
changes here."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd
from IPython.display import HTML

from parsipas.core.formatting import number, rank, signed
from parsipas.core.messages import text

NUMERIC = {"number", "count", "rank", "signed", "rank_change", "figure"}


@dataclass(frozen=True)
class Column:
    """A column as shown: its header (a message key filled with values) and how its cells are written.

    kind: text; number (2 decimals, a share or points); count and rank (whole numbers; a rank with out_of reads
    '25/34'); signed (a change of a share or score, '+1,25'); rank_change (places, '+5', '−7'); flag (yes/no);
    figure (a value as its source wrote it, with its own decimals: the conflict rule weighs them)."""

    key: str
    kind: str = "text"
    values: dict = field(default_factory=dict)
    out_of: int | None = None

    def header(self, lang: str) -> str:
        return text(self.key, lang, **self.values)


def cell(value: object, kind: str, lang: str, out_of: int | None = None) -> str:
    """One value as the table shows it; a value not known is blank."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if kind == "number":
        return number(float(value), lang)
    if kind == "count":
        return number(float(value), lang, 0)
    if kind == "rank":
        return rank(float(value), lang, out_of)
    if kind == "signed":
        return signed(float(value), lang)
    if kind == "rank_change":
        return signed(float(value), lang, 0)
    if kind == "figure":
        written = repr(float(value))
        return number(float(value), lang, 0 if written.endswith(".0") else len(written.split(".")[1]))
    if kind == "flag":
        return text("nb_yes" if bool(value) else "nb_no", lang)
    return str(value)


# Selectors of three classes: Jupyter's own table style (two classes and an element) right-aligns every cell.
STYLE = ("<style>.parsipas-table{max-height:36em;max-width:100%;width:fit-content;overflow:auto;margin:.5em 0}"
         ".parsipas-table .parsipas-grid{border-collapse:collapse;font-size:90%}"
         ".parsipas-table .parsipas-grid .h{position:sticky;top:0;background:#f2f2f2;text-align:left;"
         "vertical-align:bottom;padding:.25em .6em;border-bottom:1px solid #999}"
         ".parsipas-table .parsipas-grid .t,.parsipas-table .parsipas-grid .n{padding:.2em .6em;"
         "border-bottom:1px solid #e5e5e5;text-align:left;vertical-align:top}"
         ".parsipas-table .parsipas-grid .n{text-align:right;white-space:nowrap}"
         ".parsipas-table .parsipas-grid .marked td{font-weight:bold;background:#fff5d6}</style>")


def table_html(frame: pd.DataFrame, columns: dict[str, Column], lang: str, empty: str,
               index: Column | None = None, marked: object = None) -> str:
    """The frame's columns named in columns, in that order, as a scrolling HTML table (the index first when index
    is given; the row labelled marked in bold: the province among all); the sentence empty in place of a table
    without rows."""
    if frame.empty:
        return f'<p class="parsipas-empty">{html.escape(empty)}</p>'
    shown = ([index] if index else []) + list(columns.values())
    head = "".join(f'<th class="h">{html.escape(c.header(lang))}</th>' for c in shown)
    body = []
    for label, row in zip(frame.index, frame[list(columns)].itertuples(index=False)):
        values = ([label] if index else []) + list(row)
        body.append(("<tr class=marked>" if marked is not None and label == marked else "<tr>") + "".join(
            f'<td class="{"n" if c.kind in NUMERIC else "t"}">{html.escape(cell(v, c.kind, lang, c.out_of))}</td>'
            for c, v in zip(shown, values)) + "</tr>")
    return (f'{STYLE}<div class="parsipas-table"><table class="parsipas-grid"><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></div>')


def table(frame: pd.DataFrame, columns: dict[str, Column], lang: str, empty: str,
          index: Column | None = None, marked: object = None) -> HTML:
    """table_html for display() in a notebook."""
    return HTML(table_html(frame, columns, lang, empty, index, marked))


def sentence(key: str, lang: str, **values) -> HTML:
    """One sentence of the catalogue as a paragraph of its own (a note, or the reason a table or chart is absent)."""
    return HTML(f"<p>{html.escape(text(key, lang, **values))}</p>")
