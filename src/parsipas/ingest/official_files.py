"""The one reader of an analyst's files (official tables, scorecards, crosswalks, responsibility tables, unit lists,
results, criteria) into cells of text: CSV (UTF-8 with or without BOM; its separator found per file) or XLSX (merged
cells, saved formula results, a maxima sheet), in time and memory linear in the file's size. What the cells mean is
for official_header and official_kinds.

It reads a file right or refuses it with the cause: UTF-16 or a legacy code page; a formula with no saved result; a
formula referring to another workbook (unless external links are accepted, see accepting_external_links); and, once
the header is known (check_row_widths), a CSV row with more cells than its header, which in a comma-separated file is
almost always numbers written with a decimal comma and not quoted (Excel in a Vietnamese locale)."""

from __future__ import annotations

import contextvars
import csv
import io
import itertools
import logging
import posixpath
import re
import zipfile
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.etree import ElementTree

from parsipas.core import paths
from parsipas.core.errors import Faults, InputError
from parsipas.core.messages import text as message
from parsipas.core.text import nfc

log = logging.getLogger(__name__)
SEPARATORS = ",;\t"
_SAMPLE_LINES = 200  # lines a CSV's separator is judged on
_COMBINATIONS = 10_000  # ways of joining a row's cut numbers tried before its cause is left unnamed
_INTEGER, _DIGITS = re.compile(r"[-+]?\d+"), re.compile(r"\d+%?")
FORMULA_START = "=+-@"  # what a spreadsheet runs as a formula (OWASP, CSV injection)
_NUMBER_TEXT = re.compile(r"[-+]?\d+(?:[.,]\d+)?\s*%?(?:\s*\(.*\))?")
_EXTERNAL = re.compile(r"\[(\d+)\]")
_accept_external_links: contextvars.ContextVar[bool] = contextvars.ContextVar("accept_external_links", default=False)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_DOC_RELS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def column_letter(column: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> 'A'."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(column + 1)


@dataclass
class Sheet:
    """The cells of one table as text (None for blank); cells[i] is spreadsheet row i + 1. separator: a CSV's (None
    for a workbook, whose cells cannot move)."""

    file: str
    cells: list[list[str | None]]
    maxima_sheet: list[list[str | None]] | None = None
    maxima_sheet_title: str | None = None
    separator: str | None = None

    def letter(self, column: int) -> str:
        return column_letter(column)


@contextmanager
def accepting_external_links(accept: bool = True):
    """While open, a workbook's cells linked to another workbook are read from their cached values with a warning
    (pipeline.py --accept-external-links); otherwise such a file is refused."""
    token = _accept_external_links.set(accept)
    try:
        yield
    finally:
        _accept_external_links.reset(token)


def external_links_accepted() -> bool:
    return _accept_external_links.get()


@lru_cache(maxsize=1 << 16, typed=True)  # a table repeats its values (groups, maxima, scores): each read once
def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = nfc(str(value)).strip()
    return text or None


def looks_like_formula(text: str | None) -> bool:
    """Text a spreadsheet would run as a formula: it starts with =, +, - or @ and is not a number ('-3', '+13.2%')."""
    return bool(text) and text[0] in FORMULA_START and len(text) > 1 and not _NUMBER_TEXT.fullmatch(text)


# -- CSV -----------------------------------------------------------------------------------------------------------
def _separator(lines: list[str]) -> str:
    """The separator that cuts the most lines into the same number of cells (Excel writes every row as wide as the
    table): a ';' file with decimal commas is ';', whatever its commas; ties go to the wider table, then ','."""
    best, best_score = ",", (0, 0)
    for separator in SEPARATORS:
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=separator))
        if not widths:
            break  # an empty file: read as empty, and refused as such
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        if width > 1 and (count, width) > best_score:
            best, best_score = separator, (count, width)
    return best


def _decode(path: Path, data: bytes) -> str:
    shown = paths.shown(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:400]:
        raise InputError(shown, "the file is saved as UTF-16 (Excel 'Unicode Text')", row=1,
                         expected="a CSV saved as 'CSV UTF-8 (Comma delimited)'")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = data[:error.start]
        line_start = before.rfind(b"\n") + 1
        line = before[line_start:].decode("utf-8", "replace")
        raise InputError(shown, "the file is not UTF-8: it looks saved in a legacy Vietnamese code page "
                         "(Windows-1258, TCVN3 or VNI)", row=before.count(b"\n") + 1,
                         column=column_letter(line.count(_separator([line]))), found=data[error.start:error.start + 4],
                         expected="a CSV saved as 'CSV UTF-8 (Comma delimited)'") from None


def _read_csv(path: Path) -> Sheet:
    text = _decode(path, path.read_bytes())
    sample = [line for line in text.splitlines() if line.strip()][:_SAMPLE_LINES]
    separator = _separator(sample)
    rows = [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), delimiter=separator)]
    return Sheet(paths.shown(path), rows, separator=separator)


def _numeric_columns(rows: list[list[str | None]], width: int) -> set[int]:
    """The columns that hold only numbers in the rows as wide as the header (the rows whose cells did not move)."""
    numbers, texts = set(), set()
    for row in rows:
        if len(row) <= width:
            for j, value in enumerate(row):
                if value:
                    (numbers if _NUMBER_TEXT.fullmatch(value) else texts).add(j)
    return numbers - texts


def _decimal_commas(row: list[str | None], surplus: int, numeric: set[int]) -> list[int] | None:
    """Where a number written with a decimal comma may have been cut in two ('9,50' -> '9' | '50'): every such pair of
    cells, when joining `surplus` of them gives the header's width with a number (or nothing) in every column that
    holds only numbers elsewhere; None when no joining explains the row. Which pairs were cut cannot always be told
    ('13,12,12,50'), so all are named."""
    pairs = [j for j in range(len(row) - 1)
             if row[j] and row[j + 1] and _INTEGER.fullmatch(row[j]) and _DIGITS.fullmatch(row[j + 1])]
    for starts in itertools.islice(itertools.combinations(pairs, surplus), _COMBINATIONS):
        if any(b - a < 2 for a, b in zip(starts, starts[1:])):
            continue
        joined, j = [], 0
        while j < len(row):
            joined.append(f"{row[j]},{row[j + 1]}" if j in starts else row[j])
            j += 2 if j in starts else 1
        if all(not joined[c] or _NUMBER_TEXT.fullmatch(joined[c]) for c in numeric if c < len(joined)):
            return pairs
    return None


def check_row_widths(sheet: Sheet, header_start: int, data_start: int) -> None:
    """A CSV row under the header with more cells than the header would be read with its cells moved: refuse every
    such row at once, naming the cause (decimal commas in a comma-separated file) when the row shows it. A trailing
    empty cell is harmless unless the file pads every row to the header's width (as Excel does)."""
    if sheet.separator is None:
        return
    width = max(len(row) for row in sheet.cells[header_start:data_start])
    padded = Counter(len(row) for row in sheet.cells).most_common(1)[0][0] == width
    numeric = None
    faults = Faults()
    for i in range(data_start, len(sheet.cells)):
        row = sheet.cells[i]
        surplus = len(row) - width
        if surplus <= 0 or not (padded or any(row[width:])):
            continue
        if numeric is None:
            numeric = _numeric_columns(sheet.cells[data_start:], width)
        starts = _decimal_commas(row, surplus, numeric) if sheet.separator == "," else None
        if starts:
            cells = f"{column_letter(starts[0])}-{column_letter(starts[-1] + 1)}"
            faults.add(InputError(
                sheet.file, f"{message('input_decimal_commas', 'vi')} ({message('input_decimal_commas', 'en')}): "
                f"row {i + 1} has {len(row)} cells under a header of {width}, because numbers written with a decimal "
                f"comma (such as 9,50) were cut in two at the comma, in cells {cells}; the cells after them would be "
                "read in the wrong columns", row=i + 1, column=column_letter(starts[0]),
                found=sheet.separator.join(c or "" for c in row),
                expected="numbers that stay in their columns: save the file as XLSX, or as CSV with ';' separators, "
                "or quote the numbers (\"9,50\")"))
        else:
            extra = next(j for j in range(len(row) - 1, -1, -1) if row[j] or j < width)
            faults.add(InputError(
                sheet.file, f"a row has more cells than the header: row {i + 1} has {len(row)} under a header of "
                f"{width}, so its cells cannot be put in their columns", row=i + 1, column=column_letter(extra),
                found=row[extra],
                expected=f"at most {width} cells a row, as many as the header (a separator inside a cell must be "
                "quoted)"))
    faults.raise_if_any()


# -- XLSX ----------------------------------------------------------------------------------------------------------
def _cells(rows: list[list], merged: list) -> list[list[str | None]]:
    """A sheet's values as text, each merged range's value in every cell of the range (a merged header)."""
    cells = [[_text(None if value == "" else value) for value in row] for row in rows]
    for (top, left), (bottom, right) in merged:
        value = cells[top][left] if top < len(cells) and left < len(cells[top]) else None
        for r in range(top, min(bottom, len(cells) - 1) + 1):
            for c in range(left, min(right, len(cells[r]) - 1) + 1):
                cells[r][c] = value
    return cells


def _resolve(base: str, target: str) -> str:
    """A relationship's target as a path inside the package ('worksheets/sheet1.xml' from xl/ -> xl/worksheets/...)."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))


def _relationships(package: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (target, target mode)."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in package.namelist():
        return {}
    root = ElementTree.fromstring(package.read(rels))
    return {r.get("Id"): (r.get("Target"), r.get("TargetMode", "")) for r in root.iter(f"{_RELS}Relationship")}


class _Package:
    """What the values reader does not give: each sheet's formulas (to refuse one with no saved result) and the
    workbooks the formulas' external references ([1], [2], ...) point at."""

    def __init__(self, path: Path):
        self.zip = zipfile.ZipFile(path)
        workbook = ElementTree.fromstring(self.zip.read("xl/workbook.xml"))
        rels = _relationships(self.zip, "xl/workbook.xml")
        self.parts = {s.get("name"): _resolve("xl", rels[s.get(f"{_DOC_RELS}id")][0])
                      for s in workbook.iter(f"{_MAIN}sheet")}
        self.links = []
        for reference in workbook.iter(f"{_MAIN}externalReference"):
            part = _resolve("xl", rels[reference.get(f"{_DOC_RELS}id")][0])
            targets = [t for t, mode in _relationships(self.zip, part).values() if mode == "External"]
            self.links.append(targets[0] if targets else part)

    def marked_cells(self, title: str):
        """(row index, column index, formula or None, has a saved result, error value or None) of each cell of the
        sheet with a formula or an error value ('#N/A', which the values reader gives as blank), streamed."""
        part = self.parts.get(title)
        if part is None or not _has_marked_cells(self.zip, part):
            return
        with self.zip.open(part) as stream:
            for _, element in ElementTree.iterparse(stream):
                if element.tag == f"{_MAIN}c":
                    formula, value = element.find(f"{_MAIN}f"), element.find(f"{_MAIN}v")
                    error = value.text if element.get("t") == "e" and value is not None else None
                    if formula is not None or error:
                        saved = value is not None and value.text is not None or element.get("t") == "inlineStr"
                        row, column = _reference(element.get("r"))
                        yield row, column, None if formula is None else formula.text or "", saved, error
                elif element.tag == f"{_MAIN}row":
                    element.clear()


def _has_marked_cells(package: zipfile.ZipFile, part: str) -> bool:
    """Whether a sheet has a formula or an error value, found without parsing it (most sheets have neither)."""
    marked = re.compile(rb"<(?:\w+:)?f[\s>/]|\st=\"e\"")
    with package.open(part) as stream:
        tail = b""
        while chunk := stream.read(1 << 20):
            if marked.search(tail + chunk):
                return True
            tail = chunk[-16:]
    return False


def _reference(reference: str) -> tuple[int, int]:
    """'AB12' -> (11, 27): 0-based row and column."""
    letters = reference.rstrip("0123456789")
    column = 0
    for letter in letters:
        column = column * 26 + ord(letter) - 64
    return int(reference[len(letters):]) - 1, column - 1


def _check_cells(package: _Package, title: str, shown: str, cells: list[list[str | None]], faults: Faults) -> None:
    """A formula with no saved result, or referring to another workbook, is refused (each one, all at once); an
    external reference is read from its cached value only when external links are accepted, with a warning. An error
    value ('#N/A') is put back in its cell."""
    for row, column, formula, saved, error in package.marked_cells(title):
        if error:  # read as written, so that a number column refuses it and a text column shows it
            cells[row][column] = error
        if formula is None:
            continue
        where = dict(row=row + 1, column=column_letter(column), found=f"={formula}" if formula else "a shared formula")
        if not saved:
            faults.add(InputError(shown, "a formula cell has no saved result (the file was written by a program that "
                                  "does not calculate formulas)", **where, expected="a value: open and save the file "
                                  "in Excel or LibreOffice, or paste values only"))
            continue
        linked = [package.links[int(n) - 1] if 0 < int(n) <= len(package.links) else f"external workbook [{n}]"
                  for n in _EXTERNAL.findall(formula)]
        if not linked:
            continue
        books = ", ".join(dict.fromkeys(linked))
        if external_links_accepted():
            cached = cells[row][column] if row < len(cells) and column < len(cells[row]) else None
            log.warning("%s, row %d, column '%s': a cell linked to another workbook (%s); its cached value %r is used "
                        "(--accept-external-links)", shown, row + 1, column_letter(column), books, cached)
            continue
        faults.add(InputError(shown, f"a cell is linked to another workbook ({books}): its value is a copy that may "
                              "be out of date", **where, expected="a value: paste values only, or run with "
                              "--accept-external-links to use the cached values"))


def _read_xlsx(path: Path, is_maxima_sheet) -> Sheet:
    from python_calamine import CalamineWorkbook

    shown = paths.shown(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        package = _Package(path)
        titles = book.sheet_names
        sheets = {title: book.get_sheet_by_name(title) for title in [titles[0], *filter(is_maxima_sheet, titles[1:])]}
        read = {title: _cells(s.to_python(skip_empty_area=False), s.merged_cell_ranges or [])
                for title, s in sheets.items()}
        faults = Faults()
        for title, cells in read.items():
            _check_cells(package, title, shown if title == titles[0] else f"{shown} (sheet '{title}')", cells, faults)
    except Exception as error:  # the readers raise several unrelated types for a damaged file
        raise InputError(shown, f"not a readable Excel .xlsx workbook ({type(error).__name__})",
                         expected="a workbook saved by Excel or LibreOffice as .xlsx") from None
    faults.raise_if_any()
    sheet = Sheet(shown, read.pop(titles[0]))
    for title, cells in read.items():
        sheet.maxima_sheet, sheet.maxima_sheet_title = cells, title
    return sheet


def read_sheet(path: Path, is_maxima_sheet) -> Sheet:
    """The first sheet of an .xlsx (and a later sheet is_maxima_sheet(title) accepts), or a CSV; never empty."""
    sheet = _read_xlsx(path, is_maxima_sheet) if path.suffix.lower() == ".xlsx" else _read_csv(path)
    if not any(any(row) for row in sheet.cells):
        raise InputError(sheet.file, "the file is empty", row=1,
                         expected="a header row and one row per province (see templates/official/)")
    return sheet
