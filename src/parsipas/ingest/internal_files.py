"""The analyst's files of a province's own index, in data/raw/internal/: reading and validating them.

Three kinds of file (CSV or XLSX, read like the official tables: official_files reads the cells, official_header finds
the header, wherever it stands, with its spellings in data/reference/official_headers.csv):
- units_<set>[_labels]: the set's unit list (code, name, group, province, valid from/to);
- results_<year>_<set>[_labels]: one row per unit, the province's own fields (header "<code>. <name>", their maxima in
  a row "Điểm tối đa", the Ministry field each answers to in an optional row "Lĩnh vực của Bộ"), the total, the
  percent of the maximum and the rank in the group;
- criteria_<year>_<set>[_labels]: criterion scorecards of any number of units, one row per unit and criterion.
<set> is a slug such as khanh-hoa; labels such as _synthetic are ignored. templates/internal/README.md shows the
layouts. Every check is a declared pandera schema (units_schema, results_schema, criteria_schema); every failure is an
InputError naming the file, the spreadsheet row, the column (letter and header) and what was expected, and every
fault of every file is listed at once (errors.Faults). A results file alone is enough (the province's own export):
without a unit list its rows make the set's units (_derived_units), and without a rank column the ranks are computed
from the totals within each group.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from parsipas.core import paths
from parsipas.core.errors import Faults, InputError, InputErrors
from parsipas.core.text import name_key, nfc, slug
from parsipas.ingest.official import Parsed, read_wide
from parsipas.ingest.official_files import Sheet, column_letter, read_sheet
from parsipas.ingest.official_header import Vocabulary, cell, fold, header_block, stated_max
from parsipas.ingest.official_kinds import Wide
from parsipas.ingest.provinces import Gazetteer, UnknownName
from parsipas.ingest.reference import table
from parsipas.ingest.schemas import table_faults

FIELD = "field:"  # the target of a results column that names none of the known columns: one of the province's fields
FILE_NAMES = {
    "units": re.compile(r"^units_(?P<set>[a-z0-9-]+)(?P<labels>(?:_[a-z0-9-]+)*)\.(?:csv|xlsx)$"),
    "results": re.compile(r"^results_(?P<year>\d{4})_(?P<set>[a-z0-9-]+)(?P<labels>(?:_[a-z0-9-]+)*)\.(?:csv|xlsx)$"),
    "criteria": re.compile(r"^criteria_(?P<year>\d{4})_(?P<set>[a-z0-9-]+)(?P<labels>(?:_[a-z0-9-]+)*)\.(?:csv|xlsx)$"),
}
EXAMPLES = "units_<set>.csv, results_<year>_<set>.csv or criteria_<year>_<set>.csv (.xlsx too; see templates/internal/)"
TOLERANCE = 0.05
_FIELD_CODE = re.compile(r"^(\d+(?:\.\d+)*|[IVX]+(?=\.)|[A-Za-z]{1,4}\d+)[.:)]?\s+(\S.*)$")
_CRITERION_CODE = r"^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+$"
_MINISTRY_FIELD = re.compile(r"^(?:par\s*\.?\s*f|linh vuc|lv|f)?\s*([1-8])$")


@dataclass(frozen=True)
class Kind:
    """What official.read_wide needs to know of a table: the key column, required columns, text columns."""

    name: str
    key: str
    required: dict[str, set[str]]
    text_columns: frozenset[str]
    criteria: bool = False  # no maxima row (a criteria table states a maximum per row)
    stand_in: str | None = None
    readme: str = "templates/internal/README.md"  # where a message sends the analyst for the accepted headers


UNITS = Kind("units", "unit_code", {
    "the unit code (Mã đơn vị)": {"unit_code"}, "the unit name (Tên đơn vị)": {"name"},
    "the group code (Mã khối)": {"group_code"}, "the group name (Khối)": {"group"},
    "the province (Tỉnh)": {"province"}},
    frozenset({"unit_code", "name", "name_en", "group_code", "group", "group_en", "province", "valid_from",
               "valid_to", "aliases"}), criteria=True)
RESULTS_REQUIRED = {"the unit (Mã đơn vị or Tên đơn vị)": {"unit_code", "unit_name"},
                    "the total (Tổng điểm)": {"total"}}
RESULTS_TEXT = frozenset({"unit_code", "unit_name", "group_code", "group_name", "note"})
KNOWN_COLUMNS = ("STT, Mã đơn vị, Tên đơn vị (Cơ quan, đơn vị), Nhóm (Khối), Mã khối, Tổng điểm, Chỉ số (%), "
                 "Xếp hạng, Ghi chú (data/reference/official_headers.csv)")
CRITERIA = Kind("criteria", "unit_code", {
    "the unit code (Mã đơn vị)": {"unit_code"}, "the criterion code (Mã tiêu chí)": {"criterion_code"},
    "the criterion's maximum (Điểm tối đa)": {"max"}, "the points granted (Điểm thẩm định)": {"appraised"}},
    frozenset({"unit_code", "criterion_code", "name"}), criteria=True)


def _fold_keeping_notes(text: object) -> str:
    """A header folded as official_header.fold does but keeping a parenthesised note: 'Khối (tiếng Anh)' is not
    'Khối'."""
    return fold(re.sub(r"[()]", " ", str(text)))


class _Vocabulary(Vocabulary):
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
class FileRef:
    path: Path
    kind: str
    unit_set: str
    year: int | None
    labels: list[str]

    @property
    def shown(self) -> str:
        return paths.shown(self.path)

    @property
    def source_id(self) -> str:
        return f"internal:{self.path.name}"


@dataclass
class UnitList:
    """A set's unit list: frame columns unit_code, name_vi, name_en, group_code, group, group_en, province_code,
    valid_from, valid_to (dates or None), aliases (past or other names, a list), raw_line. Without a unit list, a
    results file makes its own (derived): codes from the names (slug), groups from its 'Nhóm' column."""

    ref: FileRef
    frame: pd.DataFrame
    derived: bool = False

    @cached_property
    def by_code(self) -> pd.DataFrame:
        """The list indexed by unit code, made once: every check of a results row looks its unit up."""
        return self.frame.set_index("unit_code")

    def named(self) -> dict[str, list[str]]:
        """Folded name (name_key) -> the codes of the units with that name or, once, that past or other name."""
        keys: dict[str, list[str]] = {}
        for code, name, aliases in zip(self.frame["unit_code"], self.frame["name_vi"], self.frame["aliases"]):
            for key in dict.fromkeys([name_key(name), *map(name_key, aliases)]):
                keys.setdefault(key, []).append(code)
        return keys

    def valid_on(self, code: str, day: dt.date) -> bool:
        row = self.by_code.loc[code]
        return ((row["valid_from"] is None or row["valid_from"] <= day)
                and (row["valid_to"] is None or day <= row["valid_to"]))


@dataclass
class Field:
    code: str
    name_vi: str
    max_points: float
    ministry_field: str  # "PAR.F3" or ""
    position: int
    target: str
    column: str          # as messages show it


@dataclass
class Results:
    """One year's results of a set: frame columns unit_code, group_code, each field's target, total, pct, rank,
    _row (0-based spreadsheet row). rank_computed: the file has no rank column, so the ranks are the totals' order
    within each group (equal totals share a rank: 1, 2, 2, 4). units: the set's unit list, or the one the file makes
    of its own rows when there is none (derived)."""

    ref: FileRef
    fields: list[Field]
    total_max: float
    frame: pd.DataFrame
    header_row: int
    columns: dict[str, str]
    units: UnitList | None = None
    rank_computed: bool = False


@dataclass
class Criteria:
    ref: FileRef
    frame: pd.DataFrame  # unit_code, criterion_code, name, max, self_assessed, appraised, _row


@dataclass
class InternalFiles:
    units: dict[str, UnitList] = field(default_factory=dict)
    results: list[Results] = field(default_factory=list)
    criteria: list[Criteria] = field(default_factory=list)
    unused: list[dict] = field(default_factory=list)


# -- declared checks -----------------------------------------------------------------------------------------------
def _filled(error: str) -> pa.Check:
    return pa.Check(lambda s: s.notna() & s.astype(str).str.strip().ne(""), ignore_na=False, error=error)


def units_schema() -> pa.DataFrameSchema:
    """A unit list: one row per unit code, every unit named and grouped, one name per group, one province."""
    def one_group_name(f: pd.DataFrame) -> pd.Series:
        return f.groupby("group_code")["group"].transform("nunique").le(1)

    def one_group_per_unit(f: pd.DataFrame) -> pd.Series:
        first = f.groupby("unit_code")["group_code"].transform("first")
        return f["unit_code"].isna() | f["group_code"].isna() | f["group_code"].eq(first)
    # group_code first: a unit listed again in another group is reported as in two groups, not as a repeated row
    return pa.DataFrameSchema(
        {"group_code": pa.Column(str, _filled("a group code on every row"), nullable=True),
         "unit_code": pa.Column(str, _filled("a unit code on every row"), nullable=True, unique=True,
                                report_duplicates="exclude_first"),
         "name": pa.Column(str, _filled("a unit name on every row"), nullable=True),
         "group": pa.Column(str, _filled("a group name on every row"), nullable=True),
         "province_code": pa.Column(str)},
        checks=[pa.Check(one_group_per_unit, error="group_code: one group per unit (the same unit code is in "
                                                   "another group on an earlier row)"),
                pa.Check(one_group_name, error="group: one name per group code (the first row of the group names "
                                               "it differently)"),
                pa.Check(lambda f: f["province_code"].eq(f["province_code"].iloc[0]),
                         error="province: one province for the whole list (the first row's)"),
                pa.Check(lambda f: pd.Series([a is None or b is None or a <= b
                                              for a, b in zip(f["valid_from"], f["valid_to"])], index=f.index),
                         error="valid_to: a date on or after the valid-from date")])


def maxima_schema(fields: list[Field]) -> pa.DataFrameSchema:
    """The 'Điểm tối đa' row of a results table (one row: each field's maximum and the total's): every maximum above
    zero, the total's the sum of the fields' (within TOLERANCE)."""
    targets = [f.target for f in fields]
    above_zero = pa.Check.gt(0, error="a maximum above zero")
    columns = {t: pa.Column(float, above_zero) for t in targets} | {"total": pa.Column(float, above_zero)}

    def total_is_sum(f: pd.DataFrame) -> pd.Series:
        return (f[targets].sum(axis=1) - f["total"]).abs().le(TOLERANCE + 1e-9)
    total = sum(f.max_points for f in fields)
    return pa.DataFrameSchema(columns, checks=[
        pa.Check(total_is_sum, error=f"total: the sum of the fields' maxima, {total:g} (within {TOLERANCE})")])


def results_schema(results: Results, year: int, units: UnitList) -> pa.DataFrameSchema:
    """A year's results. Columns in the order failures are reported (schemas.table_faults): the unit, its validity and
    group, each field, the total (the sum of the fields), the percent (of the total), the rank (within the group's
    size, agreeing with the totals)."""
    columns = {"unit_code": pa.Column(str),
               "named": pa.Column(str, required=False),
               "validity": pa.Column(str, required=False),
               "group_code": pa.Column(str, nullable=True)}
    for f in results.fields:
        columns[f.target] = pa.Column(float, [
            _filled("a score for every unit (a blank field cannot be added up)"),
            pa.Check.ge(0, error="zero or more"),
            pa.Check.le(f.max_points + 1e-9, error=f"at most the field's maximum {f.max_points:g} (declared in the "
                                                   "'Điểm tối đa' row)")], nullable=True)
    columns["total"] = pa.Column(float, [_filled("a total for every unit"), pa.Check.ge(0, error="zero or more"),
                                         pa.Check.le(results.total_max + 1e-9, error=f"at most the maximum total "
                                                     f"{results.total_max:g} (declared in the 'Điểm tối đa' row)")],
                                 nullable=True)
    columns["pct"] = pa.Column(float, pa.Check.between(0, 100, error="a percentage from 0 to 100"), nullable=True,
                               required=False)
    columns["rank"] = pa.Column(float, pa.Check(lambda s: s.ge(1) & s.eq(s.round()), error="a whole number from 1"),
                                nullable=True, required=False)
    targets = [f.target for f in results.fields]
    listed = units.by_code["group_code"]
    day = dt.date(year, 12, 31)

    def group_agrees(f: pd.DataFrame) -> pd.Series:
        return f["group_code"].isna() | f["group_code"].eq(f["unit_code"].map(listed))

    listed_names = {code: {name_key(n) for n in [name, *aliases]}  # its name and past names
                    for code, name, aliases in zip(units.frame["unit_code"], units.frame["name_vi"],
                                                   units.frame["aliases"])}

    def name_agrees(f: pd.DataFrame) -> pd.Series:
        """A row with both a code and a name: the name is the one the list gives the code (folded: name_key)."""
        if "unit_name" not in f:
            return pd.Series(True, index=f.index)
        named = f["unit_name"].map(lambda v: None if v is None or pd.isna(v) or not str(v).strip() else name_key(v))
        return named.isna() | pd.Series([key in listed_names.get(code, ()) for key, code in zip(named, f["unit_code"])],
                                        index=f.index)

    def in_force(f: pd.DataFrame) -> pd.Series:
        return pd.Series([units.valid_on(code, day) for code in f["unit_code"]], index=f.index)

    def total_is_sum(f: pd.DataFrame) -> pd.Series:
        return f["total"].isna() | f[targets].isna().any(axis=1) | (f[targets].sum(axis=1) - f["total"]).abs().le(
            TOLERANCE + 1e-9)

    def pct_of_total(f: pd.DataFrame) -> pd.Series:
        if "pct" not in f:
            return pd.Series(True, index=f.index)
        return f["pct"].isna() | (100 * f["total"] / results.total_max - f["pct"]).abs().le(TOLERANCE + 1e-9)

    def groups(f: pd.DataFrame) -> pd.Series:
        return f["unit_code"].map(listed)

    def rank_in_group(f: pd.DataFrame) -> pd.Series:
        """A rank is among the units ranked, so at most the number of the group's units in the file, not the list's
        size (internal_group_sizes): with a unit missing from the file, 20 units ranked cannot have a 21st. The ranks
        must also agree with the file's totals (rank_agrees), which a rank beyond the units in the file never does;
        this check gives that case its own message."""
        if "rank" not in f:
            return pd.Series(True, index=f.index)
        return f["rank"].isna() | f["rank"].le(groups(f).map(groups(f).value_counts()))

    def rank_agrees(f: pd.DataFrame) -> pd.Series:
        if "rank" not in f:
            return pd.Series(True, index=f.index)
        group, total = groups(f), f["total"]
        best = pd.Series([1 + ((group == g) & (total > t)).sum() for g, t in zip(group, total)], index=f.index)
        worst = pd.Series([((group == g) & (total >= t)).sum() for g, t in zip(group, total)], index=f.index)
        return f["rank"].isna() | total.isna() | f["rank"].between(best, worst)

    return pa.DataFrameSchema(columns, checks=[
        pa.Check(name_agrees, error=f"named: the name {units.ref.path.name} gives the row's unit code (Mã đơn vị); "
                                    "a code and a name that disagree cannot tell which unit the scores are of"),
        pa.Check(in_force, error=f"validity: a unit in force on 31/12/{year} (its dates, Hiệu lực từ/đến, in "
                                 f"{units.ref.path.name})"),
        pa.Check(group_agrees, error=f"group_code: the unit's group in the unit list {units.ref.path.name} (a unit "
                                     "belongs to one group)"),
        pa.Check(total_is_sum, error=f"total: the sum of the fields (within {TOLERANCE})"),
        pa.Check(pct_of_total, error=f"pct: 100 × total / {results.total_max:g} (within {TOLERANCE})"),
        pa.Check(rank_in_group, error="rank: at most the number of units of the unit's group in the file"),
        pa.Check(rank_agrees, error="rank: a rank that agrees with the totals in the unit's group (ties share a "
                                    "place)")])


def criteria_schema(field_codes: list[str], year: int) -> pa.DataFrameSchema:
    """Criteria: a dotted code under a field of the year's results, one row per unit and criterion, points 0..max."""
    def under_a_field(s: pd.Series) -> pd.Series:
        return s.str.split(".").str[0].isin(field_codes)

    def at_most_max(column: str) -> pa.Check:
        return pa.Check(lambda f: f[column].isna() | f[column].le(f["max"] + 1e-9) if column in f
                        else pd.Series(True, index=f.index), error=f"{column}: at most the criterion's maximum")
    return pa.DataFrameSchema(
        {"unit_code": pa.Column(str),
         "criterion_code": pa.Column(str, [
             pa.Check.str_matches(_CRITERION_CODE, error="a dotted code such as 3.1 or 3.1.2"),
             pa.Check(under_a_field, error=f"a code whose first part is a field code of the {year} results "
                                           f"({', '.join(field_codes)})")]),
         "name": pa.Column(str, _filled("a criterion name on every row"), nullable=True, required=False),
         "max": pa.Column(float, pa.Check.gt(0, error="a maximum above zero")),
         "self_assessed": pa.Column(float, pa.Check.ge(0, error="zero or more"), nullable=True, required=False),
         "appraised": pa.Column(float, pa.Check.ge(0, error="zero or more"), nullable=True)},
        checks=[at_most_max("appraised"), at_most_max("self_assessed"),
                pa.Check(lambda f: ~f.duplicated(["unit_code", "criterion_code"]),
                         error="criterion_code: each criterion of a unit on one row only")])


# -- reading -------------------------------------------------------------------------------------------------------
class _Reader:
    def __init__(self, reference_dir: Path):
        self.reference_dir = reference_dir
        self.vocabularies = {"units": _Vocabulary("units", reference_dir),
                             "results": _Vocabulary("results", reference_dir, fields=True),
                             "criteria": _Vocabulary("criteria", reference_dir)}
        self.ministry_labels = {label for label, meaning in self.vocabularies["units"].row_labels.items()
                                if meaning == "ministry_field"}
        self.maxima_titles = {label for label, meaning in self.vocabularies["units"].row_labels.items()
                              if meaning == "max"}
        self.files = InternalFiles()

    def _sheet(self, ref: FileRef) -> Sheet:
        return read_sheet(ref.path, lambda title: fold(title) in self.maxima_titles)

    def _wide(self, sheet: Sheet, ref: FileRef, kind: Kind, vocabulary: Vocabulary | None = None) -> Wide:
        parsed = Parsed()
        wide = read_wide(sheet, vocabulary or self.vocabularies[ref.kind], kind, parsed)
        self.files.unused.extend(parsed.unused)
        return wide

    # units
    def _date(self, ref: FileRef, wide: Wide, target: str, row: int, text: object) -> dt.date | None:
        if text is None or pd.isna(text) or not str(text).strip():
            return None
        text = str(text).strip()
        for form in ("%d/%m/%Y", "%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                return dt.datetime.strptime(text, form).date()
            except ValueError:
                continue
        raise InputError(ref.shown, "a date could not be read", row=row + 1, column=wide.column(target), found=text,
                         expected="a date such as 01/07/2025 (day/month/year) or 2025-07-01, or nothing (open)")

    @cached_property
    def _gazetteers(self) -> list[Gazetteer]:
        """Every set's province names, built once (not once a row: a unit list of 200,000 rows is read in seconds)."""
        sets = sorted({int(y) for y in table("unit_sets", self.reference_dir)["first_year"]})
        return [Gazetteer(self.reference_dir), *(Gazetteer(self.reference_dir, year=y) for y in sets)]

    def _province(self, ref: FileRef, wide: Wide, row: int, text: str) -> str:
        if text is None or pd.isna(text):
            return ""
        error = None
        for gazetteer in self._gazetteers:
            try:
                return gazetteer.province_code(text)
            except UnknownName as unknown:
                error = error or unknown
        raise InputError(ref.shown, str(error), row=row + 1, column=wide.column("province"), found=text,
                         expected="a province's name or code (data/reference/provinces.csv or units_2025.csv)")

    def units(self, ref: FileRef) -> None:
        if ref.unit_set in self.files.units:
            raise InputError(ref.shown, "a second unit list for the same set", column="file name", found=ref.path.name,
                             expected=f"one units_{ref.unit_set} file (the other is "
                                      f"{self.files.units[ref.unit_set].ref.path.name})")
        sheet = self._sheet(ref)
        wide = self._wide(sheet, ref, UNITS)
        frame = wide.frame
        for target in UNITS.text_columns:
            if target not in frame:
                frame[target] = None
        frame["province_code"] = [self._province(ref, wide, i, text) for i, text in zip(frame["_row"],
                                                                                          frame["province"])]
        for target in ("valid_from", "valid_to"):
            frame[target] = [self._date(ref, wide, target, i, text) for i, text in zip(frame["_row"], frame[target])]
        columns = {t: wide.column(t) for t in wide.headers} | {"province_code": wide.column("province")}
        if faults := table_faults(frame, units_schema(), ref.shown, wide.header_row, columns):
            raise InputErrors(faults)
        units = pd.DataFrame({
            "unit_code": frame["unit_code"].map(nfc), "name_vi": frame["name"].map(nfc),
            "name_en": frame["name_en"].map(lambda v: "" if v is None or pd.isna(v) else nfc(v)),
            "group_code": frame["group_code"].map(nfc), "group": frame["group"].map(nfc),
            "group_en": frame["group_en"].map(lambda v: "" if v is None or pd.isna(v) else nfc(v)),
            "province_code": frame["province_code"], "valid_from": frame["valid_from"],
            "valid_to": frame["valid_to"], "aliases": frame["aliases"].map(_aliases), "raw_line": frame["_row"] + 1})
        self.files.units[ref.unit_set] = UnitList(ref, units.reset_index(drop=True))

    # results
    def _ministry_rows(self, sheet: Sheet) -> dict[int, str]:
        """The 'Lĩnh vực của Bộ' row(s): column index -> 'PAR.F3'; the rows are then blanked for the table reader."""
        mapping: dict[int, str] = {}
        for i, row in enumerate(sheet.cells):
            first = next((c for c in row if c), None)
            if first is None or fold(first) not in self.ministry_labels:
                continue
            start = row.index(first)
            for j, text in enumerate(row[start + 1:], start=start + 1):
                if text is None:
                    continue
                match = _MINISTRY_FIELD.match(fold(text))
                if not match:
                    raise InputError(sheet.file, "a Ministry field could not be read", row=i + 1,
                                     column=column_letter(j), found=text,
                                     expected="a field number of the Ministry's PAR INDEX from 1 to 8, or nothing")
                mapping[j] = f"PAR.F{match[1]}"
            sheet.cells[i] = [None] * len(row)
        return mapping

    def _fields(self, ref: FileRef, wide: Wide, ministry: dict[int, str], faults: list[InputError]) -> list[Field]:
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

    def _layout(self, ref: FileRef, sheet: Sheet, units: UnitList | None) -> tuple[_Vocabulary, str, list[InputError]]:
        """How a results sheet is laid out, prepared for the table reader: its key column (the unit's name when the
        file has one, else its code), its labelled rows (the 'Điểm tối đa' label written in the STT column, as Excel
        saves a merged cell, is moved into the key column; a row with a code and no name takes the list's name), and
        which headed columns are fields. Once a maxima row is there, a column is a field when its header is numbered
        ('3. …') or it has a maximum; any other column is unknown (listed), never taken as a field."""
        vocabulary = _Vocabulary("results", self.reference_dir, fields=True)
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

    def _unkeyed(self, ref: FileRef, sheet: Sheet, wide: Wide, key: str, unused_from: int) -> list[InputError]:
        """Rows the table reader read past for having no key but which hold a unit code or a figure: an error each,
        never a silent drop (a note or a blank row stays in unused_rows)."""
        errors, kept = [], self.files.unused[:unused_from]
        figures = [j for t, (j, _) in wide.headers.items() if t.startswith(FIELD) or t in ("total", "unit_code")]
        for unused in self.files.unused[unused_from:]:
            row = sheet.cells[unused["raw_line"] - 1]
            held = [cell(row, j) for j in figures if cell(row, j) is not None]
            if unused["reason"] != "row without a key" or not held:
                kept.append(unused)
                continue
            errors.append(InputError(ref.shown, "a row with figures but no unit: it would be left out of the ranking",
                                     row=unused["raw_line"], column=wide.column(key), found=" | ".join(held),
                                     expected="the unit's name (or its code) on every row with figures"))
        self.files.unused = kept
        return errors

    def _identify(self, ref: FileRef, wide: Wide, units: UnitList) -> tuple[list[str | None], list[InputError]]:
        """Each row's unit code: by its code, else by its name (folded, past names too, only when one unit has it);
        a row that names no unit of the list is an error with the nearest name as a suggestion."""
        known = set(units.frame["unit_code"])
        names = units.named()
        codes, errors = [], []
        for record in wide.frame.to_dict("records"):
            row = record["_row"] + 1
            code = record.get("unit_code")
            name = record.get("unit_name")
            name = None if name is None or pd.isna(name) else name
            if code is not None and not pd.isna(code):
                if nfc(code) not in known:
                    by_name = names.get(name_key(name), []) if name else []
                    hint = f" (the list gives '{name}' the code '{by_name[0]}')" if len(by_name) == 1 else ""
                    errors.append(InputError(ref.shown, f"a unit that is not in the unit list{hint}", row=row,
                                             column=wide.column("unit_code"), found=code,
                                             expected=f"a unit code of {units.ref.path.name} (add the unit there "
                                                      "first)"))
                codes.append(nfc(code) if nfc(code) in known else None)
                continue
            matches = names.get(name_key(name), []) if name else []
            if len(matches) != 1:
                column = wide.column("unit_name") if "unit_name" in wide.headers else wide.column("unit_code")
                problem = ("a unit name that two units of the list share; give its code (Mã đơn vị)" if matches
                           else "a unit name that matches no unit of the unit list (misspelt, or a unit to add)")
                close = difflib.get_close_matches(name_key(name or ""), list(names), n=1, cutoff=0.6)
                hint = (f"; did you mean '{units.by_code.loc[names[close[0]][0], 'name_vi']}'?"
                        if close and not matches else "")
                errors.append(InputError(ref.shown, problem + hint, row=row, column=column, found=name,
                                         expected=f"a unit of {units.ref.path.name}"))
                codes.append(None)
                continue
            codes.append(matches[0])
        return codes, errors

    def _derived_units(self, ref: FileRef, wide: Wide) -> UnitList:
        """A results file's own unit list when its set has none: one unit per row, its code the file's (Mã đơn vị)
        or else the slug of its name ('Sở Tư pháp' -> 'so-tu-phap', stable from year to year while the name is), its
        group the 'Nhóm' column's
        (code: the slug of the group's name); the province from the set's name ('khanh-hoa-…')."""
        if "group_name" not in wide.headers and "group_code" not in wide.headers:
            raise InputError(ref.shown, f"no unit list for the set '{ref.unit_set}' and no group column",
                             row=wide.header_row, found=" | ".join(h for _, h in wide.headers.values()),
                             expected=f"a column 'Nhóm' (or 'Khối') naming each unit's group, or a file "
                                      f"units_{ref.unit_set}.csv beside it (templates/internal/)")
        if "unit_name" not in wide.headers:
            raise InputError(ref.shown, f"no unit list for the set '{ref.unit_set}' and no unit name column",
                             row=wide.header_row, column=wide.column("unit_code"),
                             expected=f"a column 'Cơ quan, đơn vị' (or 'Tên đơn vị'), or a file units_{ref.unit_set}"
                                      ".csv beside it")
        frame = wide.frame
        group = frame["group_name"] if "group_name" in frame else frame["group_code"]
        group_code = frame["group_code"].map(nfc) if "group_code" in frame else group.map(slug)
        names = frame["unit_name"].map(nfc)
        given = frame["unit_code"] if "unit_code" in frame else pd.Series(None, index=frame.index, dtype=object)
        derived = pd.DataFrame({
            "unit_code": [nfc(c) if isinstance(c, str) and c.strip() else slug(n) for c, n in zip(given, names)],
            "name_vi": names, "name_en": "", "group_code": group_code,
            "group": group.map(lambda v: nfc(v) if isinstance(v, str) else v), "group_en": "",
            "province_code": self._province_of_set(ref, wide), "valid_from": None, "valid_to": None,
            "raw_line": frame["_row"] + 1})
        derived["aliases"] = [[] for _ in range(len(derived))]
        return UnitList(ref, derived.drop_duplicates("unit_code").reset_index(drop=True), derived=True)

    def _province_of_set(self, ref: FileRef, wide: Wide) -> str:
        """The province a set named after it belongs to: the longest start of the set's name that is a province's."""
        words = ref.unit_set.split("-")
        for end in range(len(words), 0, -1):
            try:
                return Gazetteer(self.reference_dir).province_code(" ".join(words[:end]))
            except UnknownName:
                continue
        raise InputError(ref.shown, f"no unit list for the set '{ref.unit_set}', whose name is not a province's",
                         column="file name", found=ref.path.name, expected=f"a set named after its province "
                         f"(results_{ref.year}_khanh-hoa…) or a file units_{ref.unit_set}.csv with the 'Tỉnh' column")

    def _groups_by_name(self, frame: pd.DataFrame, units: UnitList) -> None:
        """A 'Nhóm' column read against the unit list: a group's name (folded) or code gives the list's group code."""
        if "group_name" not in frame or units.derived:
            return
        by_name = {name_key(n): c for c, n in zip(units.frame["group_code"], units.frame["group"])}
        by_name |= {name_key(c): c for c in units.frame["group_code"]}
        given = frame["group_name"].map(lambda v: None if v is None or pd.isna(v) else by_name.get(name_key(v), v))
        frame["group_code"] = frame["group_code"].fillna(given) if "group_code" in frame else given

    @staticmethod
    def _duplicates(ref: FileRef, wide: Wide) -> list[InputError]:
        """A unit on two rows: its name (or code) and both rows."""
        frame, errors = wide.frame, []
        column = wide.column("unit_name") if "unit_name" in wide.headers else wide.column("unit_code")
        for _, rows in frame[frame["unit_code"].notna()].groupby("unit_code", sort=False):
            for record in rows.iloc[1:].to_dict("records"):
                shown = record.get("unit_name") or record["unit_code"]
                errors.append(InputError(ref.shown, "a unit is listed twice", row=record["_row"] + 1, column=column,
                                         found=shown, expected=f"each unit on one row only (also on row "
                                                               f"{rows['_row'].iloc[0] + 1})"))
        return errors

    def results(self, ref: FileRef) -> None:
        units = self.files.units.get(ref.unit_set)
        if any(r.ref.unit_set == ref.unit_set and r.ref.year == ref.year for r in self.files.results):
            raise InputError(ref.shown, "a second results file for the same set and year", column="file name",
                             found=ref.path.name, expected=f"one results_{ref.year}_{ref.unit_set} file")
        sheet = self._sheet(ref)
        ministry = self._ministry_rows(sheet)
        vocabulary, key, faults = self._layout(ref, sheet, units)
        kind = Kind("results", key, RESULTS_REQUIRED, RESULTS_TEXT)
        unused_from = len(self.files.unused)
        wide = self._wide(sheet, ref, kind, vocabulary)
        unkeyed = self._unkeyed(ref, sheet, wide, key, unused_from)  # checked with the rows, below
        fields = self._fields(ref, wide, ministry, faults)
        if "total" not in wide.maxima:
            raise InputErrors([*faults, InputError(
                ref.shown, "no maximum is declared for the total", row=wide.header_row, column=wide.column("total"),
                expected="the maximum total in the 'Điểm tối đa' row (e.g. 100)")])
        maxima = {f.target: f.max_points for f in fields} | {"total": wide.maxima["total"].points}
        rows = {m.row for m in wide.maxima.values()}
        row = wide.maxima["total"].row if len(rows) == 1 and None not in rows else wide.header_row
        columns = {t: wide.column(t) for t in wide.headers}
        faults += [self._missing_field(ref, wide, fields, e) for e in table_faults(
            pd.DataFrame([maxima | {"_row": row}]), maxima_schema(fields), ref.shown, wide.header_row, columns)]
        if faults:  # the columns are not understood: the rows cannot be checked
            raise InputErrors(faults + unkeyed)
        units = units or self._derived_units(ref, wide)
        frame = wide.frame
        codes, faults = self._identify(ref, wide, units)
        faults += unkeyed
        frame["unit_code"] = codes
        faults += self._duplicates(ref, wide)
        if "group_code" in frame:
            frame["group_code"] = frame["group_code"].map(lambda v: None if v is None or pd.isna(v) else nfc(v))
        self._groups_by_name(frame, units)
        if "group_code" not in frame:
            frame["group_code"] = None
        listed = units.by_code
        identified = frame["unit_code"].notna()
        frame["validity"] = [f"{code} ({_validity(listed.loc[code])})" if ok else None
                             for code, ok in zip(frame["unit_code"], identified)]
        names = frame["unit_name"] if "unit_name" in frame else pd.Series(None, index=frame.index, dtype=object)
        frame["named"] = [f"{name} (the list's name of {code}: {listed.loc[code, 'name_vi']})" if ok else None
                          for code, name, ok in zip(frame["unit_code"], names, identified)]
        columns["validity"] = columns.get("unit_code") or columns.get("unit_name")
        columns["named"] = columns.get("unit_name")
        columns.setdefault("unit_code", columns.get("unit_name"))
        if "group_name" in columns:
            columns.setdefault("group_code", columns["group_name"])
        results = Results(ref, fields, wide.maxima["total"].points, frame, wide.header_row, columns,
                          units=units if units.derived else None, rank_computed="rank" not in frame)
        schema = results_schema(results, ref.year, units)
        checked = table_faults(frame[identified], schema, ref.shown, wide.header_row, columns) if identified.any() \
            else []
        faults += _causes_first(checked, [f.column for f in fields] + [columns["total"]])
        if faults:
            raise InputErrors(faults)
        frame["group_code"] = frame["unit_code"].map(listed["group_code"])
        if results.rank_computed:
            frame["rank"] = frame.groupby("group_code")["total"].rank(method="min", ascending=False)
        self.files.results.append(results)

    def _missing_field(self, ref: FileRef, wide: Wide, fields: list[Field], error: InputError) -> InputError:
        """The maxima's total above the fields' sum: the cause is most often a field column missing (or unknown)."""
        total = sum(f.max_points for f in fields)
        if error.column != wide.column("total") or not isinstance(error.found, (int, float)) or error.found <= total:
            return error
        present, gap = {f.name_vi for f in fields}, error.found - total
        named = [f"'{f.name_vi}' ({f.max_points:g} points in results_{r.ref.year})" for r in self.files.results
                 if r.ref.unit_set == ref.unit_set for f in r.fields
                 if f.name_vi not in present and abs(f.max_points - gap) <= TOLERANCE]
        missing = f"a field column is missing{', perhaps ' + named[0] if named else ''}: the fields' maxima add up " \
                  f"to {total:g}, the total's is {error.found:g}"
        return InputError(ref.shown, missing, row=error.row, column=error.column,
                          found=" | ".join(h for _, h in wide.headers.values()),
                          expected=f"a column for every field, whose maxima add up to the total's {error.found:g}")

    def _unit_list(self, ref: FileRef) -> UnitList:
        if ref.unit_set in self.files.units:
            return self.files.units[ref.unit_set]
        derived = next((r.units for r in self.files.results if r.ref.unit_set == ref.unit_set and r.units), None)
        if derived is None:
            raise InputError(ref.shown, f"no unit list for the set '{ref.unit_set}'", column="file name",
                             found=ref.path.name, expected=f"a file units_{ref.unit_set}.csv (or .xlsx) beside it "
                             "listing the set's units (templates/internal/)")
        return derived

    # criteria
    def criteria(self, ref: FileRef) -> None:
        units = self._unit_list(ref)
        results = next((r for r in self.files.results if r.ref.unit_set == ref.unit_set and r.ref.year == ref.year),
                       None)
        if results is None:
            raise InputError(ref.shown, f"no results of {ref.year} for the set '{ref.unit_set}'", column="file name",
                             found=ref.path.name, expected=f"a file results_{ref.year}_{ref.unit_set}.csv beside it "
                             "(a criterion belongs to one of its fields)")
        sheet = self._sheet(ref)
        wide = self._wide(sheet, ref, CRITERIA)
        frame = wide.frame
        known = set(units.frame["unit_code"])
        faults = [InputError(ref.shown, "a unit that is not in the unit list", row=record["_row"] + 1,
                             column=wide.column("unit_code"), found=record["unit_code"],
                             expected=f"a unit code of {units.ref.path.name}")
                  for record in frame.to_dict("records") if nfc(record["unit_code"]) not in known]
        frame["unit_code"] = frame["unit_code"].map(nfc)
        frame["criterion_code"] = frame["criterion_code"].map(lambda v: v if v is None else nfc(v).rstrip("."))
        faults += table_faults(frame, criteria_schema([f.code for f in results.fields], ref.year), ref.shown,
                               wide.header_row, {t: wide.column(t) for t in wide.headers})
        if faults:
            raise InputErrors(faults)
        self.files.criteria.append(Criteria(ref, frame))


def _aliases(text: object) -> list[str]:
    """A unit's past or other names, separated by ';' in the unit list ('Tên cũ')."""
    if text is None or pd.isna(text):
        return []
    return [nfc(name).strip() for name in str(text).split(";") if name.strip()]


def _causes_first(errors: list[InputError], figure_columns: list[str]) -> list[InputError]:
    """A rank is checked against the totals only once the fields and totals are right: a wrong total would make
    ranks that agree with the true totals look wrong."""
    if any(e.column in figure_columns for e in errors):
        return [e for e in errors if not str(e.expected).startswith("a rank that agrees with the totals")]
    return errors


def _validity(row: pd.Series) -> str:
    """A unit's dates as a message shows them: 'valid until 30/06/2025'."""
    start, end = (None if day is None else day.strftime("%d/%m/%Y") for day in (row["valid_from"], row["valid_to"]))
    if start and end:
        return f"valid from {start} until {end}"
    return f"valid from {start}" if start else f"valid until {end}" if end else "no dates"


def _files(internal_dir: Path, faults: Faults) -> list[FileRef]:
    refs = []
    candidates = sorted(p for p in internal_dir.glob("*") if p.is_file() and not p.name.startswith((".", "~$"))
                        and p.name != "README.md") if internal_dir.is_dir() else []
    for path in candidates:
        kind, match = next(((k, m) for k, pattern in FILE_NAMES.items() if (m := pattern.match(path.name.lower()))),
                           (None, None))
        if match is None:
            faults.add(InputError(paths.shown(path), "the file name does not say what the table is",
                                  column="file name", found=path.name, expected=EXAMPLES))
            continue
        year = int(match["year"]) if "year" in match.groupdict() else None
        refs.append(FileRef(path, kind, match["set"], year, match["labels"].strip("_").split("_")))
    order = {"units": 0, "results": 1, "criteria": 2}
    return sorted(refs, key=lambda r: (order[r.kind], r.unit_set, r.year or 0, r.path.name))


def read_internal(internal_dir: Path, reference_dir: Path = paths.REFERENCE) -> InternalFiles:
    """Every analyst file of data/raw/internal/ (none when the folder is absent), read and validated: unit lists
    first, then results, then criteria (each needs the one before)."""
    reader = _Reader(Path(reference_dir))
    faults, failed = Faults(), set()
    for ref in _files(Path(internal_dir), faults):
        needs = {"units": [], "results": [(ref.unit_set, None)], "criteria": [(ref.unit_set, None),
                                                                              (ref.unit_set, ref.year)]}[ref.kind]
        if failed & set(needs):  # a file whose unit list or results could not be read is not checked against them
            continue
        with faults.collect():
            try:
                getattr(reader, ref.kind)(ref)
            except InputError:
                failed.add((ref.unit_set, ref.year))
                raise
    faults.raise_if_any()
    return reader.files
