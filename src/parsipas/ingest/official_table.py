"""One table of a sheet read into a wide frame (read_wide): the rows under its header, the maxima it states, and the
rows that gave nothing. Shared by the official tables (official.py) and the analyst's own files (internal_*)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from parsipas.core.errors import Faults, InputError
from parsipas.core.parsing import to_number
from parsipas.ingest.official_files import Sheet
from parsipas.ingest.official_header import Vocabulary, cell, fold, header_block, stated_max
from parsipas.ingest.official_kinds import Maximum, TableKind, Wide
from parsipas.ingest.schemas import RawRef

_COLUMN_NUMBERS = re.compile(r"^\(?\d+\)?$")
UNPUBLISHED = {"chua cong bo", "not published"}  # a cell saying so (folded) is read as blank: no figure, never zero


@dataclass
class Parsed:
    """What one official file gives: figures, criteria names, maxima it states, and rows that gave nothing."""

    figures: list[dict] = field(default_factory=list)
    criteria: list[dict] = field(default_factory=list)
    maxima: list[dict] = field(default_factory=list)
    unused: list[dict] = field(default_factory=list)
    crosswalk: list[dict] = field(default_factory=list)
    responsibility: list[dict] = field(default_factory=list)


def cell_number(sheet: Sheet, row: int, column: int, header: str, text: str | None,
            faults: Faults | None = None) -> float | None:
    """A cell's number; with faults, one that cannot be read is recorded there and read as no figure, so that the
    rest of the file is still checked. A number is read first: it never says 'chưa công bố', and folding every cell
    would cost more than reading the sheet."""
    if text is None:
        return None
    try:
        return to_number(text)
    except ValueError:
        if fold(text) in UNPUBLISHED:
            return None
        error = InputError(sheet.file, "a value could not be read as a number", row=row + 1,
                           column=f"{sheet.letter(column)} ({header})", found=text,
                           expected="a number such as 8.75, 8,75 or 87.5%")
        if faults is None:
            raise error from None
        faults.add(error)
        return None


def _unknown_columns(sheet: Sheet, kind: TableKind, unknown: dict[int, str], header_row: int) -> list[InputError]:
    """A headed column that is neither a column of the kind nor a declared extra (STT, group, region, note: ignored)
    is named, never read as a figure nor silently passed over: it may be a field whose header was mistyped."""
    return [InputError(sheet.file, "a column that is neither a known column nor a known extra column", row=header_row,
                       column=f"{sheet.letter(j)} ({header})", found=header,
                       expected=f"a header listed in {kind.readme}, or an extra column ignored by declaration "
                       "(STT, Khối/Nhóm, Vùng, Ghi chú: data/reference/official_headers.csv)")
            for j, header in unknown.items()]


def read_wide(sheet: Sheet, vocabulary: Vocabulary, kind: TableKind, parsed: Parsed,
              faults: Faults | None = None) -> Wide:
    """Read the data rows under the header: a maximum-points row (not in a table of criteria) states maxima, a
    summary row or a row without a key is listed as unused. With faults (an official table), every unknown column and
    every cell that is not a number is recorded there, and the extra columns the kind declares are ignored."""
    unknown: dict[int, str] = {}
    start, key_column, mapping = header_block(sheet, vocabulary, kind.key, kind.stand_in, unknown)
    ignored = getattr(kind, "extras", frozenset({"stt"}))  # a kind of the province's own files declares none
    headers = {target: (j, header) for j, (target, header) in mapping.items() if target not in ignored}
    if faults is not None:
        for error in _unknown_columns(sheet, kind, unknown, start):
            faults.add(error)
    for description, targets in kind.required.items():
        if not targets & set(headers):
            raise InputError(sheet.file, f"a required column is missing: {description}", row=start,
                             found=" | ".join(h for _, h in headers.values()),
                             expected=f"see {kind.readme} for the accepted headers")
    maxima: dict[str, Maximum] = {}
    for target, (j, header) in headers.items():
        if target not in kind.text_columns and (stated := stated_max(header)) is not None:
            maxima[target] = Maximum(stated, start - 1, f"stated in the header '{header}', row {start}")
    records, headless = [], {}
    for i in range(start, len(sheet.cells)):
        row = sheet.cells[i]
        label = cell(row, key_column)
        if not any(row) or (i == start and all(c is None or _COLUMN_NUMBERS.match(c) for c in row)):
            continue
        row_kind = vocabulary.row_labels.get(fold(label)) if label else None
        if row_kind == "max" and not kind.criteria:
            for target, (j, header) in headers.items():
                value = None if target in kind.text_columns else cell_number(sheet, i, j, header, cell(row, j), faults)
                if value is not None:
                    maxima[target] = Maximum(value, i, f"stated in row {i + 1} ('{label}')")
            continue
        if label is None and faults is not None and any(cell(row, j) for j, _ in headers.values()):
            faults.add(InputError(sheet.file, f"a row with entries but no {kind.key}", row=i + 1,
                                  column=f"{sheet.letter(key_column)} ({mapping[key_column][1]})",
                                  expected=f"the {kind.key} the row is about, or a label that declares it a "
                                  "maximum-points or summary row (data/reference/official_headers.csv)"))
            continue
        if row_kind == "summary" or label is None:
            parsed.unused.append(dict(**RawRef(sheet.file, i + 1).columns(), reason=(
                f"summary row '{label}' (recomputed from the table)" if label else "row without a key")))
            continue
        headless |= {j: i + 1 for j, c in enumerate(row) if c and j not in mapping and j not in headless}
        record = {"_row": i}
        for target, (j, header) in headers.items():
            value = cell(row, j)
            record[target] = value if target in kind.text_columns else cell_number(sheet, i, j, header, value, faults)
        records.append(record)
    if faults is not None:
        for j, row in headless.items():
            faults.add(InputError(sheet.file, "a column with entries but no header", row=row, column=sheet.letter(j),
                                  found=cell(sheet.cells[row - 1], j), expected=f"a header listed in {kind.readme} "
                                  "naming what the column holds, or the column left empty"))
    if not records:
        raise InputError(sheet.file, "the table has a header but no data rows", row=start + 1,
                         expected="one row per province (or criterion) under the header")
    numbers = {target: float for target in headers if target not in kind.text_columns}
    return Wide(sheet.file, pd.DataFrame(records).astype(numbers), headers, maxima, start)
