"""Finding an official table's header: which row names the key column, the rows continuing it (merged and two-row
headers), and which target each column is, by the vocabularies of data/reference/official_headers.csv."""

from __future__ import annotations

import re
from pathlib import Path

from parsipas.core.errors import Faults, InputError
from parsipas.core.parsing import to_number
from parsipas.core.text import fold_diacritics, nfc
from parsipas.ingest.official_files import FORMULA_START, Sheet, check_row_widths, looks_like_formula
from parsipas.ingest.reference import table


def fold(text: object) -> str:
    """A header folded for matching: no diacritics, case, numbering, punctuation or parenthesised notes."""
    value = re.sub(r"\([^)]*\)", " ", fold_diacritics(text))
    value = re.sub(r"[^a-z0-9#]+", " ", value).strip()
    value = re.sub(r"^(?:\d+|[ivx]+)\s+(?=[a-z]{2})", "", value)
    return " ".join(value.split())


def stated_max(header: str) -> float | None:
    """'Lĩnh vực 3 (13 điểm)' or 'LV3 (tối đa 13)' -> 13: a maximum written into the header itself."""
    match = re.search(r"\((?:[^)\d]*?)(\d+(?:[.,]\d+)?)\s*(?:điểm|đ|points?)?\s*\)", nfc(header))
    return to_number(match[1]) if match else None


def cell(row: list, j: int) -> str | None:
    return row[j] if j < len(row) else None


class Vocabulary:
    """Matches folded headers to target columns for one kind of table.

    indicator_prefix: indicators.csv names of fields/elements/aspects under it are headers too ('PAR.F', 'SIPAS.');
    numbered: (pattern, format) reading a numbered header ('LV3' -> 'PAR.F3'); crosswalk: field names of every year."""

    def __init__(self, kind: str, reference_dir: Path, indicator_prefix: str | None = None,
                 numbered: tuple[re.Pattern, str] | None = None, crosswalk: bool = False):
        headers = table("official_headers", reference_dir)
        self.numbered = numbered
        self.headers = {h: c for t, c, h in headers.itertuples(index=False) if t in (kind, "*")}
        self.row_labels = {h: c for t, c, h in headers.itertuples(index=False) if t == "row"}
        if indicator_prefix:
            indicators = table("indicators", reference_dir)
            own = indicators[indicators["indicator"].str.startswith(indicator_prefix) & indicators["level"].isin(
                ["field", "element", "aspect"])]
            for code, name_vi, name_en in own[["indicator", "name_vi", "name_en"]].itertuples(index=False):
                self.headers.setdefault(fold(name_vi), code)
                self.headers.setdefault(fold(name_en), code)
        if crosswalk:
            for name, code in table("field_crosswalk", reference_dir)[["name_vi", "indicator"]].itertuples(index=False):
                self.headers.setdefault(fold(name), code)

    def column(self, label: str) -> str | None:
        folded = fold(label)
        if folded in self.headers:
            return self.headers[folded]
        if self.numbered and (match := self.numbered[0].match(folded)):
            return self.numbered[1].format(match[1])
        return None


def _first_row_naming(cells: list[list[str | None]], vocabulary: Vocabulary, target: str) -> int | None:
    return next((i for i, row in enumerate(cells) if any(c and vocabulary.column(c) == target for c in row)), None)


def header_block(sheet: Sheet, vocabulary: Vocabulary, key: str, stand_in: str | None = None,
                 unknown: dict[int, str] | None = None) -> tuple[int, int, dict[int, tuple[str, str]]]:
    """Find the header row (the one naming the key column), its continuation rows, and map columns to targets.

    stand_in: a column read as the key when no header names the key (a scorecard exported with its codes under STT).
    unknown: when given, receives {column index: header as written} of each headed column no target matches.
    Returns (first data row index, key column index, {column index: (target, header as written)}).
    """
    cells = sheet.cells
    found = key
    start = _first_row_naming(cells, vocabulary, key)
    if start is None and stand_in:
        found, start = stand_in, _first_row_naming(cells, vocabulary, stand_in)
    if start is None:
        raise InputError(sheet.file, f"no header row names the '{key}' column", row=1, column=key,
                         expected="a header such as " + ", ".join(sorted(h for h, c in vocabulary.headers.items()
                                                                          if c in (key, stand_in))[:4]))
    key_column = next(j for j, c in enumerate(cells[start]) if c and vocabulary.column(c) == found)
    end = start + 1
    while end < len(cells) and any(cells[end]) and cell(cells[end], key_column) in (None, cells[start][key_column]):
        end += 1
    header_rows = [list(row) for row in cells[start:end]]
    for upper, lower in zip(header_rows, header_rows[1:]):  # a group header spans the sub-headers under it,
        spanning = upper[0]                                  # across a sub-header left blank
        for j in range(1, len(upper)):
            if upper[j] is not None:
                spanning = upper[j]
            elif j < len(lower) and lower[j] is not None:
                upper[j] = spanning
    mapping: dict[int, tuple[str, str]] = {}
    width = max(len(row) for row in header_rows)
    for j in range(width):
        parts = [row[j] for row in header_rows if j < len(row) and row[j]]
        parts = list(dict.fromkeys(parts))
        candidates = [parts[-1], " ".join(parts), parts[0]] if parts else []
        for candidate in candidates:
            if (target := vocabulary.column(candidate)) is not None:
                if target in {t for t, _ in mapping.values()}:
                    other = next(sheet.letter(k) for k, (t, _) in mapping.items() if t == target)
                    raise InputError(sheet.file, f"two columns are read as '{target}' (also column {other})",
                                     row=start + 1, column=sheet.letter(j), found=" / ".join(parts),
                                     expected="each column once")
                mapping[j] = (target, " / ".join(parts))
                break
        else:
            if parts and unknown is not None:
                unknown[j] = " / ".join(parts)
    if found != key:
        mapping[key_column] = (key, mapping[key_column][1])
    check_row_widths(sheet, start, end)
    _refuse_formula_text(sheet, start, end, sorted(set(mapping) | {key_column}), mapping)
    return end, key_column, mapping


def _refuse_formula_text(sheet: Sheet, start: int, end: int, read: list[int],
                         mapping: dict[int, tuple[str, str]]) -> None:
    """A header, or a cell of a column that is read, whose text a spreadsheet would run as a formula
    ('=HYPERLINK(...)', "=cmd|' /C calc'!A0") is refused, every one at once: a name never carries a formula on."""
    faults = Faults()
    for i in range(start, len(sheet.cells)):
        row = sheet.cells[i]
        for j in (range(len(row)) if i < end else read):
            text = row[j] if j < len(row) else None
            if text and text[0] in FORMULA_START and looks_like_formula(text):
                header = f" ({mapping[j][1]})" if j in mapping else ""
                faults.add(InputError(sheet.file, f"a formula in a name or text cell: it starts with '{text[0]}', "
                                      "which a spreadsheet runs as a formula", row=i + 1,
                                      column=f"{sheet.letter(j)}{header}", found=text,
                                      expected="plain text, not a formula: without a leading =, +, - or @"))
    faults.raise_if_any()
