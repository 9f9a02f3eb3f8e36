"""Reading an official table's file into cells of text: CSV (UTF-8, any of three separators) or XLSX (merged cells,
saved formula results, a maxima sheet). What the cells mean is for official_header and official_kinds."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .errors import InputError
from .reference import nfc


def column_letter(column: int) -> str:
    """The spreadsheet letter of a 0-based column index: 0 -> 'A'."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(column + 1)


@dataclass
class Sheet:
    """The cells of one table as text (None for blank); cells[i] is spreadsheet row i + 1."""

    file: str
    cells: list[list[str | None]]
    maxima_sheet: list[list[str | None]] | None = None
    maxima_sheet_title: str | None = None

    def letter(self, column: int) -> str:
        return column_letter(column)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = nfc(str(value)).strip()
    return text or None


def _separator(line: str) -> str:
    """The separator a pasted CSV uses: whichever of comma, semicolon (a European Excel) or tab the text has most."""
    return max(",;\t", key=line.count)


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
                         column=column_letter(line.count(_separator(line))), found=data[error.start:error.start + 4],
                         expected="a CSV saved as 'CSV UTF-8 (Comma delimited)'") from None


def _read_csv(path: Path) -> Sheet:
    text = _decode(path, path.read_bytes())
    sample = "\n".join([line for line in text.splitlines() if line.strip()][:20])  # a title row has no separator
    rows = [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), delimiter=_separator(sample))]
    return Sheet(paths.shown(path), rows)


def _sheet_cells(values_sheet, formulas_sheet, shown: str) -> list[list[str | None]]:
    merged = {}
    for block in values_sheet.merged_cells.ranges:
        top_left = values_sheet.cell(block.min_row, block.min_col).value
        for row in range(block.min_row, block.max_row + 1):
            for column in range(block.min_col, block.max_col + 1):
                merged[(row, column)] = top_left
    rows = []
    for r in range(1, values_sheet.max_row + 1):
        row = []
        for c in range(1, values_sheet.max_column + 1):
            value = merged.get((r, c), values_sheet.cell(r, c).value)
            formula = formulas_sheet.cell(r, c).value
            if value is None and isinstance(formula, str) and formula.startswith("="):
                raise InputError(shown, "a formula cell has no saved result (the file was written by a program "
                                 "that does not calculate formulas)", row=r, column=column_letter(c - 1),
                                 found=formula, expected="a value: open and save the file in Excel or LibreOffice, "
                                 "or paste values only")
            row.append(_text(value))
        rows.append(row)
    return rows


def _read_xlsx(path: Path, is_maxima_sheet) -> Sheet:
    import openpyxl

    shown = paths.shown(path)
    try:
        values = openpyxl.load_workbook(path, data_only=True)
        formulas = openpyxl.load_workbook(path, data_only=False)
    except Exception as error:  # openpyxl raises several unrelated types for a damaged file
        raise InputError(shown, f"not a readable Excel .xlsx workbook ({type(error).__name__})",
                         expected="a workbook saved by Excel or LibreOffice as .xlsx") from None
    first = values.worksheets[0]
    sheet = Sheet(shown, _sheet_cells(first, formulas.worksheets[0], shown))
    for name in values.sheetnames[1:]:
        if is_maxima_sheet(name):
            sheet.maxima_sheet = _sheet_cells(values[name], formulas[name], f"{shown} (sheet '{name}')")
            sheet.maxima_sheet_title = name
    return sheet


def read_sheet(path: Path, is_maxima_sheet) -> Sheet:
    """The first sheet of an .xlsx (and a later sheet is_maxima_sheet(title) accepts), or a CSV; never empty."""
    sheet = _read_xlsx(path, is_maxima_sheet) if path.suffix == ".xlsx" else _read_csv(path)
    if not any(any(row) for row in sheet.cells):
        raise InputError(sheet.file, "the file is empty", row=1,
                         expected="a header row and one row per province (see templates/official/)")
    return sheet
