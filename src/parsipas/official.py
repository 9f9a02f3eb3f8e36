"""Official tables an analyst holds, dropped into data/raw/official/ as CSV or XLSX, read the way people paste them.

A file's name says what it is: par_<year>[_label].csv|xlsx (the Ministry's 63-province PAR INDEX table),
sipas_<year>[_label].csv|xlsx (the SIPAS table) and scorecard_<year>_<province-slug>[_label].csv|xlsx (one province's
criterion scorecard). templates/official/ holds an empty template of each, and its README the accepted forms:
Vietnamese or English headers (data/reference/official_headers.csv), an STT column, title rows, merged or two-row
headers, a maximum-points row or sheet, decimal commas, percent signs, numbers stored as text, blank rows.

Every figure becomes a row of the same long frame the public record gives (sources.FIGURE_COLUMNS), with
is_official True and raw_ref pointing at the file and spreadsheet row, so the conflict rule puts it first.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pandera.pandas as pa

from . import paths
from .errors import InputError
from .parsing import to_number
from .provinces import Gazetteer, UnknownName
from .reference import nfc, table
from .schemas import PAR_FIELDS
from .sources import FIGURE_COLUMNS, UNUSED_COLUMNS

FILE_NAME = re.compile(r"^(?P<kind>par|sipas|scorecard)_(?P<year>\d{4})(?P<labels>(?:_[a-z0-9-]+)*)\.(?P<ext>csv|xlsx)$")
CRITERIA_COLUMNS = ["year", "province_code", "indicator", "code", "level", "name_vi", "max_points", "source_id",
                    "raw_ref"]
MAXIMA_COLUMNS = ["year", "indicator", "max_points", "source_id", "raw_ref"]
_NUMBERED = {"par": (re.compile(r"^(?:linh vuc|lv|f|field)\s*([1-8])$"), "PAR.F{}"),
             "sipas": (re.compile(r"^(?:yeu to|e|element)\s*([1-5])$"), "SIPAS.E{}")}
_COLUMN_NUMBERS = re.compile(r"^\(?\d+\)?$")
_CRITERION_CODE = re.compile(r"^[1-8](?:\.\d+)*$")
UNPUBLISHED = {"chua cong bo", "not published"}  # a cell saying so (folded) is read as blank: no figure, never zero


def fold(text: object) -> str:
    """A header folded for matching: no diacritics, case, numbering, punctuation or parenthesised notes."""
    value = nfc(str(text)).replace("Đ", "D").replace("đ", "d")
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode().lower()
    value = re.sub(r"\([^)]*\)", " ", value)
    value = re.sub(r"[^a-z0-9#]+", " ", value).strip()
    value = re.sub(r"^(?:\d+|[ivx]+)\s+(?=[a-z]{2})", "", value)
    return " ".join(value.split())


def _stated_max(header: str) -> float | None:
    """'Lĩnh vực 3 (13 điểm)' or 'LV3 (tối đa 13)' -> 13: a maximum written into the header itself."""
    match = re.search(r"\((?:[^)\d]*?)(\d+(?:[.,]\d+)?)\s*(?:điểm|đ|points?)?\s*\)", nfc(header))
    return to_number(match[1]) if match else None


@dataclass
class Sheet:
    """The cells of one table as text (None for blank); cells[i] is spreadsheet row i + 1."""

    file: str
    cells: list[list[str | None]]
    maxima_sheet: list[list[str | None]] | None = None
    maxima_sheet_title: str | None = None

    def letter(self, column: int) -> str:
        from openpyxl.utils import get_column_letter

        return get_column_letter(column + 1)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value == int(value):
        value = int(value)
    text = nfc(str(value)).strip()
    return text or None


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
        delimiter = max(",;\t", key=line.count)
        from openpyxl.utils import get_column_letter

        raise InputError(shown, "the file is not UTF-8: it looks saved in a legacy Vietnamese code page "
                         "(Windows-1258, TCVN3 or VNI)", row=before.count(b"\n") + 1,
                         column=get_column_letter(line.count(delimiter) + 1), found=data[error.start:error.start + 4],
                         expected="a CSV saved as 'CSV UTF-8 (Comma delimited)'") from None


def _read_csv(path: Path) -> Sheet:
    text = _decode(path, path.read_bytes())
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t", key=first.count)
    rows = [[_text(cell) for cell in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter)]
    return Sheet(paths.shown(path), rows)


def _sheet_cells(values_sheet, formulas_sheet, shown: str) -> list[list[str | None]]:
    from openpyxl.utils import get_column_letter

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
                                 "that does not calculate formulas)", row=r, column=get_column_letter(c),
                                 found=formula, expected="a value: open and save the file in Excel or LibreOffice, "
                                 "or paste values only")
            row.append(_text(value))
        rows.append(row)
    return rows


def _read_xlsx(path: Path, maxima_titles: set[str]) -> Sheet:
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
        if fold(name) in maxima_titles:
            sheet.maxima_sheet = _sheet_cells(values[name], formulas[name], f"{shown} (sheet '{name}')")
            sheet.maxima_sheet_title = name
    return sheet


@dataclass
class Parsed:
    """What one official file gives: figures, criteria names, maxima it states, and rows that gave nothing."""

    figures: list[dict] = field(default_factory=list)
    criteria: list[dict] = field(default_factory=list)
    maxima: list[dict] = field(default_factory=list)
    unused: list[dict] = field(default_factory=list)


class _Vocabulary:
    """Matches folded headers to target columns for one kind of table."""

    def __init__(self, kind: str, reference_dir: Path):
        headers = table("official_headers", reference_dir)
        self.kind = kind
        self.headers = {h: c for t, c, h in headers.itertuples(index=False) if t in (kind, "*")}
        self.row_labels = {h: c for t, c, h in headers.itertuples(index=False) if t == "row"}
        indicators = table("indicators", reference_dir)
        prefix = {"par": "PAR.F", "sipas": "SIPAS."}.get(kind)
        if prefix:
            own = indicators[indicators["indicator"].str.startswith(prefix) & indicators["level"].isin(
                ["field", "element", "aspect"])]
            for code, name_vi, name_en in own[["indicator", "name_vi", "name_en"]].itertuples(index=False):
                self.headers.setdefault(fold(name_vi), code)
                self.headers.setdefault(fold(name_en), code)
        if kind == "par":
            for name, code in table("field_crosswalk", reference_dir)[["name_vi", "indicator"]].itertuples(index=False):
                self.headers.setdefault(fold(name), code)

    def column(self, label: str) -> str | None:
        folded = fold(label)
        if folded in self.headers:
            return self.headers[folded]
        if self.kind in _NUMBERED and (match := _NUMBERED[self.kind][0].match(folded)):
            return _NUMBERED[self.kind][1].format(match[1])
        return None


def _first_row_naming(cells: list[list[str | None]], vocabulary: _Vocabulary, target: str) -> int | None:
    return next((i for i, row in enumerate(cells) if any(c and vocabulary.column(c) == target for c in row)), None)


def _header_block(sheet: Sheet, vocabulary: _Vocabulary, key: str,
                  stand_in: str | None = None) -> tuple[int, int, dict[int, tuple[str, str]]]:
    """Find the header row (the one naming the key column), its continuation rows, and map columns to targets.

    stand_in: a column read as the key when no header names the key (a scorecard exported with its codes under STT).
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
    while end < len(cells) and any(cells[end]) and _cell(cells[end], key_column) in (None, cells[start][key_column]):
        end += 1
    header_rows = [list(row) for row in cells[start:end]]
    for upper, lower in zip(header_rows, header_rows[1:]):  # a group header spans the sub-headers under it
        for j in range(1, len(upper)):
            if upper[j] is None and j < len(lower) and lower[j] is not None:
                upper[j] = upper[j - 1]
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
    if found != key:
        mapping[key_column] = (key, mapping[key_column][1])
    return end, key_column, mapping


def _number(sheet: Sheet, row: int, column: int, header: str, text: str | None) -> float | None:
    if text is None or fold(text) in UNPUBLISHED:
        return None
    try:
        return to_number(text)
    except ValueError:
        raise InputError(sheet.file, "a value could not be read as a number", row=row + 1,
                         column=f"{sheet.letter(column)} ({header})", found=text,
                         expected="a number such as 8.75, 8,75 or 87.5%") from None


def _cell(row: list, j: int) -> str | None:
    return row[j] if j < len(row) else None


class _Maximum(NamedTuple):
    """A maximum and where it came from, so that a message about it can send the reader there."""

    points: float
    row: int | None  # index of the row it was read from (of the maxima sheet if it came from one)
    where: str       # "stated in row 4 ('Điểm tối đa')", 'data/reference/max_points.csv, line 20 (source ...)'


@dataclass
class _Wide:
    """One official table as a wide frame (one row per data row) plus how to point back at the file."""

    frame: pd.DataFrame
    headers: dict[str, tuple[int, str]]   # target -> (column index, header as written)
    maxima: dict[str, _Maximum]           # target -> the maximum the file states
    header_row: int                       # spreadsheet row of the (last) header row


def _wide(sheet: Sheet, vocabulary: _Vocabulary, key: str, parsed: Parsed, text_columns: set[str],
          required: dict[str, set[str]], stand_in: str | None = None) -> _Wide:
    """Read the data rows under the header; required maps a description to the targets any one of which will do."""
    start, key_column, mapping = _header_block(sheet, vocabulary, key, stand_in)
    headers = {target: (j, header) for j, (target, header) in mapping.items() if target != "stt"}
    for description, targets in required.items():
        if not targets & set(headers):
            raise InputError(sheet.file, f"a required column is missing: {description}", row=start,
                             found=" | ".join(h for _, h in headers.values()),
                             expected="see templates/official/README.md for the accepted headers")
    maxima: dict[str, _Maximum] = {}
    for target, (j, header) in headers.items():
        if target not in text_columns and (stated := _stated_max(header)) is not None:
            maxima[target] = _Maximum(stated, start - 1, f"stated in the header '{header}', row {start}")
    records = []
    for i in range(start, len(sheet.cells)):
        row = sheet.cells[i]
        label = _cell(row, key_column)
        if not any(row) or (i == start and all(c is None or _COLUMN_NUMBERS.match(c) for c in row)):
            continue
        kind = vocabulary.row_labels.get(fold(label)) if label else None
        if kind == "max" and key != "code":
            for target, (j, header) in headers.items():
                if target not in text_columns and (value := _number(sheet, i, j, header, _cell(row, j))) is not None:
                    maxima[target] = _Maximum(value, i, f"stated in row {i + 1} ('{label}')")
            continue
        if kind == "summary" or label is None:
            parsed.unused.append(dict(raw_ref=f"{sheet.file}:{i + 1}", reason=(
                f"summary row '{label}' (recomputed from the table)" if label else "row without a key")))
            continue
        record = {"_row": i}
        for target, (j, header) in headers.items():
            cell = _cell(row, j)
            record[target] = cell if target in text_columns else _number(sheet, i, j, header, cell)
        records.append(record)
    if not records:
        raise InputError(sheet.file, "the table has a header but no data rows", row=start + 1,
                         expected="one row per province (or criterion) under the header")
    numbers = {target: float for target in headers if target not in text_columns}
    return _Wide(pd.DataFrame(records).astype(numbers), headers, maxima, start)


def _plain(value: object) -> object:
    """A failing value as the analyst typed it: 25 rather than 25.0, nothing for an empty cell."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, float) or hasattr(value, "item"):
        value = float(value)
        return int(value) if value.is_integer() else value
    return value


def _root_cause(cases: pd.DataFrame, schema: pa.DataFrameSchema, frame: pd.DataFrame) -> pd.Series:
    """The failure to report when several checks fail. The schema's column order is the declared priority (the key,
    then each figure before a figure computed from it, the rank last: a total that is not the sum of its fields comes
    before a rank that disagrees with the totals); for one column its own checks come before checks across columns
    (whose error text starts with the column they are about); then the earliest row."""
    across = cases["schema_context"].eq("DataFrameSchema")
    target = cases["column"].where(~across, cases["check"].astype(str).str.split(": ", n=1).str[0])
    priority = {name: k for k, name in enumerate(schema.columns)}
    order = pd.DataFrame({"priority": target.map(priority).fillna(len(priority)).to_numpy(),
                          "across": across.to_numpy(), "row": frame.loc[cases["index"], "_row"].to_numpy()})
    return cases.iloc[order.sort_values(["priority", "across", "row"], kind="stable").index[0]]


def _validate(wide: _Wide, schema: pa.DataFrameSchema, sheet: Sheet) -> None:
    """Run a declared schema and report its root-cause failure at the file's row and column."""
    try:
        schema.validate(wide.frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        cases = errors.failure_cases.dropna(subset=["index"])
        if cases.empty:  # a failure of a whole column (its type): no row to point at
            failure = errors.failure_cases.iloc[0]
            raise InputError(sheet.file, "a column failed validation", row=wide.header_row,
                             column=str(failure["column"]), expected=str(failure["check"])) from None
        failure = _root_cause(cases, schema, wide.frame)
        row = wide.frame.loc[failure["index"]]
        if failure["schema_context"] == "DataFrameSchema":
            target, expected = str(failure["check"]).split(": ", 1)
        else:
            target, expected = failure["column"], str(failure["check"])
        if expected == "field_uniqueness":
            first = wide.frame[wide.frame[target] == row[target]]["_row"].min() + 1
            expected = f"each {'criterion' if target == 'code' else 'province'} on one row only (also on row {first})"
        shown = "province" if target == "province_code" else target
        column = f"{sheet.letter(wide.headers[shown][0])} ({wide.headers[shown][1]})" if shown in wide.headers else None
        raise InputError(sheet.file, "a value failed validation", row=int(row["_row"]) + 1, column=column,
                         found=_plain(row.get(shown, failure["failure_case"])), expected=expected) from None


def _rank_agrees(score_column: str) -> pa.Check:
    """A published rank lies between the best and worst place its score allows among 63 (ties share a score);
    with a partial table, provinces not in it may sit anywhere, so only those in it constrain the rank."""
    def check(frame: pd.DataFrame) -> pd.Series:
        if "rank" not in frame or score_column not in frame:
            return pd.Series(True, index=frame.index)
        scores = frame[score_column]
        best = scores.apply(lambda s: 1 + (scores > s).sum())
        worst = scores.apply(lambda s: 63 - (scores < s).sum())
        return frame["rank"].isna() | scores.isna() | frame["rank"].between(best, worst)
    return pa.Check(check, error=f"rank: a rank that agrees with the {score_column} scores (ties may share a place)")


def _table_schema(maxima: dict[str, _Maximum], value_columns: list[str], score_column: str,
                  checks: list[pa.Check]) -> pa.DataFrameSchema:
    """Columns in the order failures are reported (see _root_cause): province, value_columns as given, rank."""
    columns = {"province_code": pa.Column(str, unique=True, report_duplicates="exclude_first")}
    for target in value_columns:
        limit = maxima.get(target)
        bounds = [pa.Check.ge(0, error="zero or more")] + (
            [pa.Check.le(limit.points, error=f"at most the maximum {limit.points:g} ({limit.where})")] if limit else [])
        columns[target] = pa.Column(float, bounds, nullable=True, required=False)
    columns["rank"] = pa.Column(float, [pa.Check.isin(list(range(1, 64)), error="a whole number from 1 to 63")],
                                nullable=True, required=False)
    return pa.DataFrameSchema(columns, checks=[_rank_agrees(score_column), *checks])


_TOTAL_IS_SUM = pa.Check(
    lambda f: pd.Series(True, index=f.index) if "total" not in f or not all(field in f for field in PAR_FIELDS)
    else f[list(PAR_FIELDS)].isna().any(axis=1) | f["total"].isna()
    | (f[list(PAR_FIELDS)].sum(axis=1) - f["total"]).abs().le(0.01),
    error="total: the sum of the eight fields (within 0.01)")
_INDEX_IS_TOTAL = pa.Check(
    lambda f: pd.Series(True, index=f.index) if "total" not in f or "index" not in f
    else f["total"].isna() | f["index"].isna() | (f["total"] - f["index"]).abs().le(0.01),
    error="index: the same figure as the total (PAR INDEX is out of 100)")


_OUT_OF_100 = _Maximum(100.0, None, "a PAR INDEX is out of 100 points")
_PERCENT = _Maximum(100.0, None, "a percentage")


def _reference_maxima(reference_dir: Path) -> dict[tuple[int, str], _Maximum]:
    """Published maxima by (year, indicator), each naming its line of max_points.csv for messages."""
    path = Path(reference_dir) / "max_points.csv"
    numbered = [(n, line) for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
                if line.strip() and not line.startswith("#")]
    rows = csv.DictReader(line for _, line in numbered)
    return {(int(r["year"]), nfc(r["indicator"])): _Maximum(
                float(r["max_points"]), None,
                f"{paths.shown(path)}, line {n} (source {r['source_id'] or 'the published methodology'})")
            for (n, _), r in zip(numbered[1:], rows)}


class _Reader:
    def __init__(self, reference_dir: Path, places: Gazetteer):
        self.places = places
        self.vocabularies = {kind: _Vocabulary(kind, reference_dir) for kind in ("par", "sipas", "scorecard")}
        self.maxima_titles = {h for h, c in self.vocabularies["par"].row_labels.items() if c == "max"}
        governing = table("decisions", reference_dir).merge(table("field_crosswalk", reference_dir),
                                                            left_on="par_decision", right_on="decision")
        self.field_names = {(int(year), indicator): name for year, indicator, name
                            in governing[["year", "indicator", "name_vi"]].itertuples(index=False)}
        self.reference_maxima = _reference_maxima(reference_dir)

    def sheet(self, path: Path) -> Sheet:
        sheet = _read_xlsx(path, self.maxima_titles) if path.suffix == ".xlsx" else _read_csv(path)
        if not any(any(row) for row in sheet.cells):
            raise InputError(sheet.file, "the file is empty", row=1,
                             expected="a header row and one row per province (see templates/official/)")
        return sheet

    def _provinces(self, wide: _Wide, sheet: Sheet) -> None:
        codes = []
        j, header = wide.headers["province"]
        for i, name in zip(wide.frame["_row"], wide.frame["province"]):
            try:
                codes.append(self.places.province_code(name))
            except UnknownName as error:
                raise InputError(sheet.file, str(error), row=i + 1, column=f"{sheet.letter(j)} ({header})", found=name,
                                 expected="one of the 63 province names (data/reference/provinces.csv)") from None
        wide.frame["province_code"] = codes

    def _maxima_from_sheet(self, sheet: Sheet, vocabulary: _Vocabulary, wide: _Wide) -> None:
        for i, row in enumerate(sheet.maxima_sheet or []):
            label, value = _cell(row, 0), _cell(row, 1)
            target = vocabulary.column(label) if label else None
            if target in wide.headers and value is not None:
                wide.maxima[target] = _Maximum(_number(sheet, i, 1, "max", value), i,
                                               f"stated in sheet '{sheet.maxima_sheet_title}', row {i + 1}")

    def _figures(self, wide: _Wide, sheet: Sheet, year: int, source_id: str, measures: dict[str, tuple[str, str]],
                 parsed: Parsed) -> None:
        for record in wide.frame.to_dict("records"):
            for target, (indicator, measure) in measures.items():
                value = record.get(target)
                if value is None or pd.isna(value):
                    continue
                j, header = wide.headers[target]
                stated = wide.maxima[target].points if target in wide.maxima else None
                parsed.figures.append(dict(
                    year=year, area_code=record["province_code"], indicator=indicator, measure=measure,
                    value=float(value), max_points_stated=stated, source_id=source_id, is_official=True,
                    raw_ref=f"{sheet.file}:{record['_row'] + 1}", raw_column=f"{sheet.letter(j)} ({header})"))
        for target, maximum in wide.maxima.items():
            if target in measures and measures[target][1] == "points":
                parsed.maxima.append(dict(year=year, indicator=measures[target][0], max_points=maximum.points,
                                          source_id=source_id, raw_ref=f"{sheet.file}:{maximum.row + 1}"))

    def _all_fields_or_none(self, wide: _Wide, sheet: Sheet, year: int) -> None:
        """A field column left out would read as 'not published' with no one having said so. A table of totals only
        has no field column; a field the table does not publish keeps its column, empty or 'chưa công bố'."""
        missing = [f for f in PAR_FIELDS if f not in wide.headers]
        if len(missing) in (0, len(PAR_FIELDS)):
            return
        named = [f"Lĩnh vực {f[-1]} ({self.field_names[(year, f)]})" for f in missing]
        first = missing[0][-1]
        raise InputError(sheet.file, "a field column is missing: " + ", ".join(named), row=wide.header_row,
                         column=f"Lĩnh vực {first}", found=" | ".join(h for _, h in wide.headers.values()),
                         expected=f"a column headed 'Lĩnh vực {first}', 'LV{first}' or the field's name, as for the "
                         "other fields; a field the table does not publish keeps its column with every cell empty or "
                         "'chưa công bố' (templates/official/README.md)")

    def par(self, path: Path, year: int, source_id: str, parsed: Parsed) -> None:
        sheet = self.sheet(path)
        vocabulary = self.vocabularies["par"]
        wide = _wide(sheet, vocabulary, "province", parsed, {"province"}, {
            "the total score (Tổng điểm) or the index (Chỉ số) or the field scores": {
                "total", "index", *PAR_FIELDS}})
        self._all_fields_or_none(wide, sheet, year)
        self._maxima_from_sheet(sheet, vocabulary, wide)
        self._provinces(wide, sheet)
        values = [*PAR_FIELDS, "PAR.APPRAISED", "PAR.SURVEY", "total", "index"]
        score = "total" if "total" in wide.frame else "index"
        published = {t: self.reference_maxima[(year, t)] for t in values if (year, t) in self.reference_maxima}
        maxima = published | wide.maxima | {"total": _OUT_OF_100, "index": _OUT_OF_100}
        _validate(wide, _table_schema(maxima, values, score, [_TOTAL_IS_SUM, _INDEX_IS_TOTAL]), sheet)
        measures = {f: (f, "points") for f in [*PAR_FIELDS, "PAR.APPRAISED", "PAR.SURVEY"]}
        measures[score] = ("PAR", "points")
        measures["rank"] = ("PAR", "rank")
        self._figures(wide, sheet, year, source_id, measures, parsed)

    def sipas(self, path: Path, year: int, source_id: str, parsed: Parsed) -> None:
        sheet = self.sheet(path)
        wide = _wide(sheet, self.vocabularies["sipas"], "province", parsed, {"province"},
                     {"the SIPAS index (Chỉ số SIPAS, %)": {"SIPAS"}})
        self._provinces(wide, sheet)
        values = [t for t in wide.headers if t.startswith("SIPAS")]
        _validate(wide, _table_schema({t: _PERCENT for t in values}, values, "SIPAS", []), sheet)
        measures = {t: (t, "percent") for t in values} | {"rank": ("SIPAS", "rank")}
        self._figures(wide, sheet, year, source_id, measures, parsed)

    def _criterion_name(self, record: dict, year: int) -> str:
        """The name as written, without a repeated code ("1.1. Kế hoạch" -> "Kế hoạch"); a field's row left blank
        takes the field's name under that year's decision (field_crosswalk.csv); a blank criterion never gets here."""
        name = record["name"]
        if pd.isna(name):
            return self.field_names[(year, f"PAR.F{record['code']}")]
        return nfc(re.sub(rf"^{re.escape(record['code'])}\.?\s+", "", name))

    def scorecard(self, path: Path, year: int, province: str, source_id: str, parsed: Parsed) -> None:
        sheet = self.sheet(path)
        try:
            province_code = self.places.province_code(province.replace("-", " "))
        except UnknownName as error:
            raise InputError(sheet.file, f"the file name names no province: {error}", column="file name",
                             found=path.name, expected="scorecard_<year>_<province-slug>.xlsx, e.g. "
                             "scorecard_2022_khanh-hoa.xlsx") from None
        wide = _wide(sheet, self.vocabularies["scorecard"], "code", parsed, {"code", "name"}, {
            "the maximum points (Điểm tối đa)": {"max"},
            "the appraised (Điểm thẩm định) or self-assessed (Điểm tự đánh giá) points": {"appraised", "self_assessed"},
            "the names of fields and criteria (Lĩnh vực/Tiêu chí/Tiêu chí thành phần)": {"name"}}, stand_in="stt")
        frame = wide.frame
        frame["province_code"] = province_code
        frame["code"] = frame["code"].str.rstrip(".")
        _validate(wide, _scorecard_schema(), sheet)
        for record in frame.to_dict("records"):
            indicator = f"PAR.F{record['code']}"
            ref = f"{sheet.file}:{record['_row'] + 1}"
            parsed.criteria.append(dict(year=year, province_code=province_code, indicator=indicator,
                                        code=record["code"], level=record["code"].count(".") + 1,
                                        name_vi=self._criterion_name(record, year), max_points=record["max"],
                                        source_id=source_id, raw_ref=ref))
            for target, measure in (("appraised", "points"), ("self_assessed", "self_assessed")):
                if target in wide.headers and pd.notna(record.get(target)):
                    j, header = wide.headers[target]
                    parsed.figures.append(dict(
                        year=year, area_code=province_code, indicator=indicator, measure=measure,
                        value=float(record[target]), max_points_stated=record["max"], source_id=source_id,
                        is_official=True, raw_ref=ref, raw_column=f"{sheet.letter(j)} ({header})"))


def _children_sum(column: str) -> pa.Check:
    """Each criterion that has sub-criteria equals their sum (within 0.01), for maxima and for scores."""
    def check(frame: pd.DataFrame) -> pd.Series:
        if column not in frame:
            return pd.Series(True, index=frame.index)
        parent = frame["code"].str.rsplit(".", n=1).str[0].where(frame["code"].str.contains(r"\."))
        sums = frame[column].groupby(parent).sum(min_count=1)
        complete = frame[column].notna().groupby(parent).all()
        expected = frame["code"].map(sums.where(complete))
        return expected.isna() | frame[column].isna() | (frame[column] - expected).abs().le(0.01)
    return pa.Check(check, error=f"{column}: the sum of its sub-criteria (within 0.01)")


def _parent_exists(frame: pd.DataFrame) -> pd.Series:
    parent = frame["code"].str.rsplit(".", n=1).str[0]
    return ~frame["code"].str.contains(r"\.") | parent.isin(frame["code"])


def _scorecard_schema() -> pa.DataFrameSchema:
    within_max = [pa.Check.ge(0, error="zero or more")]
    return pa.DataFrameSchema(
        {"code": pa.Column(str, [pa.Check.str_matches(_CRITERION_CODE.pattern, error="a code such as 3, 3.1 or 3.1.2")], unique=True,
                           report_duplicates="exclude_first"),
         "name": pa.Column(nullable=True),  # declared here for the order failures are reported in
         "max": pa.Column(float, pa.Check.gt(0, error="a maximum above zero")),
         "self_assessed": pa.Column(float, within_max, nullable=True, required=False),
         "appraised": pa.Column(float, within_max, nullable=True, required=False)},
        checks=[pa.Check(lambda f: f.get("appraised", f["max"]).isna() | f.get("appraised", f["max"]).le(f["max"] + 1e-9),
                         error="appraised: at most the criterion's maximum"),
                pa.Check(lambda f: f.get("self_assessed", f["max"]).isna() | f.get("self_assessed", f["max"]).le(f["max"] + 1e-9),
                         error="self_assessed: at most the criterion's maximum"),
                pa.Check(_parent_exists, error="code: a criterion whose parent code is also in the table"),
                pa.Check(lambda f: f["name"].notna() | ~f["code"].str.contains(r"\."),
                         error="name: a name for every criterion (only a field's row may leave it blank)"),
                _children_sum("max"), _children_sum("appraised"), _children_sum("self_assessed")])


def load_official(official_dir: Path = paths.RAW / "official", reference_dir: Path = paths.REFERENCE,
                  places: Gazetteer | None = None) -> Parsed:
    """Every official file in the folder; names that follow no pattern are an error, not silently skipped."""
    reader = _Reader(Path(reference_dir), places or Gazetteer(reference_dir))
    parsed = Parsed()
    years = set(table("decisions", reference_dir)["year"].astype(int))
    official_dir = Path(official_dir)
    files = sorted(p for p in official_dir.glob("*") if p.is_file() and not p.name.startswith((".", "~$"))
                   and p.name != "README.md") if official_dir.is_dir() else []
    for path in files:
        match = FILE_NAME.match(path.name.lower())
        if not match:
            raise InputError(paths.shown(path), "the file name does not say what the table is", column="file name",
                             found=path.name, expected="par_<year>.xlsx, sipas_<year>.csv or "
                             "scorecard_<year>_<province-slug>.xlsx (see templates/official/README.md)")
        kind, year, labels = match["kind"], int(match["year"]), match["labels"].strip("_").split("_")
        if year not in years:
            raise InputError(paths.shown(path), "no methodology is recorded for the year in the file name",
                             column="file name", found=path.name,
                             expected=f"a year {min(years)}-{max(years)} (data/reference/decisions.csv)")
        source_id = f"official:{path.name}"
        if kind == "scorecard":
            reader.scorecard(path, year, labels[0], source_id, parsed)
        else:
            getattr(reader, kind)(path, year, source_id, parsed)
    return parsed


def official_coverage(scores: pd.DataFrame) -> pd.DataFrame:
    """How many provinces each kind of official table gives a figure for, per year (columns kind, year, provinces),
    from processed scores (par_scores and/or sipas_scores). processed["coverage"] cannot say it: it counts provinces
    known from any source. An official figure is always kept by the conflict rule, so none is lost on the way."""
    read = scores[scores["is_official"] & ~scores["is_derived"]]
    kind = read["source_id"].str.extract(r"^official:(par|sipas|scorecard)_", flags=re.IGNORECASE)[0].str.lower()
    counts = read.assign(kind=kind).groupby(["kind", "year"])["province_code"].nunique()
    return counts.rename("provinces").reset_index()


def frames(parsed: Parsed) -> dict[str, pd.DataFrame]:
    return {"figures": pd.DataFrame(parsed.figures, columns=FIGURE_COLUMNS),
            "criteria": pd.DataFrame(parsed.criteria, columns=CRITERIA_COLUMNS),
            "maxima": pd.DataFrame(parsed.maxima, columns=MAXIMA_COLUMNS),
            "unused": pd.DataFrame(parsed.unused, columns=UNUSED_COLUMNS)}
