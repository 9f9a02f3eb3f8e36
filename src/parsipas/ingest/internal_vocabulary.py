"""A results sheet's header vocabulary: which of its columns are the known ones (unit, group, total, percent, rank),
which are the province's fields (with their maxima and the Ministry field each answers to), and which are unknown."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from parsipas.core.errors import InputError
from parsipas.core.text import nfc, slug
from parsipas.ingest.official_files import Sheet, column_letter
from parsipas.ingest.official_header import Vocabulary, cell, fold, header_block, stated_max
from parsipas.ingest.official_kinds import Wide
from parsipas.ingest.schemas import FIELD_NUMBER, PAR_FIELDS

if TYPE_CHECKING:
    from parsipas.ingest.internal_sheets import FileRef
    from parsipas.ingest.internal_units import UnitList


FIELD = "field:"  # the target of a results column that names none of the known columns: one of the province's fields
_FIELD_CODE = re.compile(r"^(\d+(?:\.\d+)*|[IVX]+(?=\.)|[A-Za-z]{1,4}\d+)[.:)]?\s+(\S.*)$")
_MINISTRY_FIELD = re.compile(rf"^(?:par\s*\.?\s*f|linh vuc|lv|f)?\s*({FIELD_NUMBER})$")

RESULTS_REQUIRED = {"the unit (Mã đơn vị or Tên đơn vị)": {"unit_code", "unit_name"},
                    "the total (Tổng điểm)": {"total"}}
RESULTS_TEXT = frozenset({"unit_code", "unit_name", "group_code", "group_name", "note"})
KNOWN_COLUMNS = ("STT, Mã đơn vị, Tên đơn vị (Cơ quan, đơn vị), Nhóm (Khối), Mã khối, Tổng điểm, Chỉ số (%), "
                 "Xếp hạng, Ghi chú (data/reference/official_headers.csv)")


def _fold_keeping_notes(text: object) -> str:
    """A header folded as official_header.fold does but keeping a parenthesised note: 'Khối (tiếng Anh)' is not
    'Khối'."""
    return fold(re.sub(r"[()]", " ", str(text)))


class InternalVocabulary(Vocabulary):
    """The headers of one kind of analyst file; in a results table every other headed column is a field."""

    def __init__(self, kind: str, reference_dir: Path, fields: bool = False):
        super().__init__(f"internal_{kind}", reference_dir)
        self.fields = fields
        self.not_fields: set[str] = set()  # headers of a results file's columns that are neither known nor a field

    def column(self, label: str) -> str | None:
        target = self.headers.get(_fold_keeping_notes(label)) or super().column(label)
        if target is None and self.fields and label and label.strip() and label not in self.not_fields:
            return FIELD + nfc(label)
        return target


@dataclass
class Field:
    code: str
    name_vi: str
    max_points: float
    ministry_field: str  # "PAR.F3" or ""
    position: int
    target: str
    column: str          # as messages show it


def _first_and_last() -> str:
    """The Ministry's fields as a message names them: '1 to 8'."""
    return " to ".join(f.removeprefix("PAR.F") for f in (PAR_FIELDS[0], PAR_FIELDS[-1]))


def ministry_rows(sheet: Sheet, labels: set[str]) -> dict[int, str]:
    """The 'Lĩnh vực của Bộ' row(s): column index -> 'PAR.F3'; the rows are then blanked for the table reader."""
    mapping: dict[int, str] = {}
    for i, row in enumerate(sheet.cells):
        first = next((c for c in row if c), None)
        if first is None or fold(first) not in labels:
            continue
        start = row.index(first)
        for j, text in enumerate(row[start + 1:], start=start + 1):
            if text is None:
                continue
            match = _MINISTRY_FIELD.match(fold(text))
            if not match:
                raise InputError(sheet.file, "a Ministry field could not be read", row=i + 1,
                                 column=column_letter(j), found=text,
                                 expected=f"a field number of the Ministry's PAR INDEX from {_first_and_last()}, or "
                                          "nothing")
            mapping[j] = f"PAR.F{match[1]}"
        sheet.cells[i] = [None] * len(row)
    return mapping


def read_fields(ref: FileRef, wide: Wide, ministry: dict[int, str], faults: list[InputError]) -> list[Field]:
    """The file's fields in their order; a header without a leading code ('Cải cách thể chế') gets the slug of
    its name as code ('cai-cach-the-che'), the same in every year that names the field the same way."""
    fields = []
    targets = [t for t in wide.headers if t.startswith(FIELD)]
    for position, target in enumerate(sorted(targets, key=lambda t: wide.headers[t][0]), start=1):
        j, header = wide.headers[target]
        written = header.split(" / ")[-1]
        match = _FIELD_CODE.match(written)
        code, name = (match[1], match[2]) if match else (None, written)
        name = re.sub(r"\s*\((?:[^)\d]*?)\d+(?:[.,]\d+)?\s*(?:điểm|đ|points?)?\s*\)\s*$", "", name)
        code = code or slug(name)
        if target not in wide.maxima:
            faults.append(InputError(ref.shown, "no maximum is declared for a field", row=wide.header_row,
                                     column=wide.column(target), expected="a row 'Điểm tối đa' under the header "
                                     "giving each field's maximum and the total's (templates/internal/README.md)"))
            continue
        if code in {f.code for f in fields}:
            raise InputError(ref.shown, "two fields have the same code", row=wide.header_row,
                             column=wide.column(target), found=code, expected="each field code once")
        fields.append(Field(code, nfc(name), wide.maxima[target].points, ministry.get(j, ""), position, target,
                            wide.column(target)))
    if not fields and not faults:
        raise InputError(ref.shown, "the table has no field columns", row=wide.header_row,
                         expected="the province's fields between the unit columns and 'Tổng điểm', headed "
                                  "'1. <name>', '2. <name>', ...")
    return fields


def layout(ref: FileRef, sheet: Sheet, units: UnitList | None,
           reference_dir: Path) -> tuple[InternalVocabulary, str, list[InputError]]:
    """How a results sheet is laid out, prepared for the table reader: its key column (the unit's name when the
    file has one, else its code), its labelled rows (the 'Điểm tối đa' label written in the STT column, as Excel
    saves a merged cell, is moved into the key column; a row with a code and no name takes the list's name), and
    which headed columns are fields. Once a maxima row is there, a column is a field when its header is numbered
    ('3. …') or it has a maximum; any other column is unknown (listed), never taken as a field."""
    vocabulary = InternalVocabulary("results", reference_dir, fields=True)
    named = lambda target: next(((i, j) for i, row in enumerate(sheet.cells)  # noqa: E731
                                 for j, c in enumerate(row) if c and vocabulary.column(c) == target), None)
    found = named("unit_name")
    key = "unit_name" if found else "unit_code"
    found = found or named("unit_code")
    if found is None:
        return vocabulary, key, []  # the table reader says which column is missing
    header, key_column = found
    code = named("unit_code") if key == "unit_name" else None
    listed = {} if units is None else units.by_code["name_vi"].to_dict()
    maxima_row = None
    for row in sheet.cells[header + 1:]:
        first = next((c for c in row if c), None)
        if cell(row, key_column) is not None or first is None:
            continue
        if fold(first) in vocabulary.row_labels:
            row.extend([None] * (key_column + 1 - len(row)))
            row[key_column] = first
        elif code and (given := cell(row, code[1])) is not None and nfc(given) in listed:
            row[key_column] = listed[nfc(given)]
    for row in sheet.cells[header + 1:]:
        label = cell(row, key_column)
        if label and vocabulary.row_labels.get(fold(label)) == "max":
            maxima_row = row
            break
    if maxima_row is None:
        return vocabulary, key, []  # every other column is a field; _fields then says that its maximum is missing
    start, _, mapping = header_block(sheet, vocabulary, key)
    unknown = []
    for j, (target, written) in mapping.items():
        last = written.split(" / ")[-1]
        if (not target.startswith(FIELD) or _FIELD_CODE.match(last) or stated_max(written) is not None
                or cell(maxima_row, j) is not None):
            continue
        vocabulary.not_fields.update(written.split(" / ") + [" ".join(written.split(" / "))])
        unknown.append(InputError(ref.shown, "a column that is neither a field nor a known column (a field has "
                                  "its maximum in the 'Điểm tối đa' row)", row=start, column=f"{column_letter(j)} "
                                  f"({written})", found=written, expected=f"a field with a maximum, or one of "
                                  f"{KNOWN_COLUMNS}"))
    return vocabulary, key, unknown
