"""A set's unit list (units_<set>.csv): reading and checking it, each unit's validity over time, and the list a results
file makes of its own rows when the set has none."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import pandas as pd
import pandera.pandas as pa

from parsipas.core.errors import InputError, InputErrors
from parsipas.core.text import name_key, nfc, slug
from parsipas.ingest.internal_sheets import FileRef, Kind, Reader, filled
from parsipas.ingest.official_kinds import Wide
from parsipas.ingest.provinces import Gazetteer, UnknownName
from parsipas.ingest.schemas import table_faults

UNITS = Kind("units", "unit_code", {
    "the unit code (Mã đơn vị)": {"unit_code"}, "the unit name (Tên đơn vị)": {"name"},
    "the group code (Mã khối)": {"group_code"}, "the group name (Khối)": {"group"},
    "the province (Tỉnh)": {"province"}},
    frozenset({"unit_code", "name", "name_en", "group_code", "group", "group_en", "province", "valid_from",
               "valid_to", "aliases"}), criteria=True)


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

    @cached_property
    def name_keys(self) -> list[list[str]]:
        """Each unit's folded names (name_key), its name first, then its past or other names: folded once a list."""
        return [[name_key(name), *map(name_key, aliases)]
                for name, aliases in zip(self.frame["name_vi"], self.frame["aliases"])]

    def named(self) -> dict[str, list[str]]:
        """Folded name (name_key) -> the codes of the units with that name or, once, that past or other name."""
        keys: dict[str, list[str]] = {}
        for code, names in zip(self.frame["unit_code"], self.name_keys):
            for key in dict.fromkeys(names):
                keys.setdefault(key, []).append(code)
        return keys

    def in_force(self, day: dt.date) -> pd.Series:
        """Unit code -> whether the unit is in force on that day (no date: open), for the whole list at once."""
        return pd.Series([(start is None or start <= day) and (end is None or day <= end)
                          for start, end in zip(self.frame["valid_from"], self.frame["valid_to"])],
                         index=self.frame["unit_code"], dtype=bool)


def units_schema() -> pa.DataFrameSchema:
    """A unit list: one row per unit code, every unit named and grouped, one name per group, one province."""
    def one_group_name(f: pd.DataFrame) -> pd.Series:
        return f.groupby("group_code")["group"].transform("nunique").le(1)

    def one_group_per_unit(f: pd.DataFrame) -> pd.Series:
        first = f.groupby("unit_code")["group_code"].transform("first")
        return f["unit_code"].isna() | f["group_code"].isna() | f["group_code"].eq(first)
    # group_code first: a unit listed again in another group is reported as in two groups, not as a repeated row
    return pa.DataFrameSchema(
        {"group_code": pa.Column(str, filled("a group code on every row"), nullable=True),
         "unit_code": pa.Column(str, filled("a unit code on every row"), nullable=True, unique=True,
                                report_duplicates="exclude_first"),
         "name": pa.Column(str, filled("a unit name on every row"), nullable=True),
         "group": pa.Column(str, filled("a group name on every row"), nullable=True),
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


def _date(reader: Reader, ref: FileRef, wide: Wide, target: str, row: int, text: object) -> dt.date | None:
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


def _province(reader: Reader, ref: FileRef, wide: Wide, row: int, text: str) -> str:
    if text is None or pd.isna(text):
        return ""
    error = None
    for gazetteer in reader.gazetteers:
        try:
            return gazetteer.province_code(text)
        except UnknownName as unknown:
            error = error or unknown
    raise InputError(ref.shown, str(error), row=row + 1, column=wide.column("province"), found=text,
                     expected="a province's name or code (data/reference/provinces.csv or units_2025.csv)")


def _provinces(reader: Reader, ref: FileRef, wide: Wide) -> list[str]:
    """Each row's province code, each name resolved once: a list names the same province on every row."""
    codes: dict[str, str] = {}
    found = []
    for i, text in zip(wide.frame["_row"], wide.frame["province"]):
        if not isinstance(text, str):
            found.append(_province(reader, ref, wide, i, text))
            continue
        if text not in codes:
            codes[text] = _province(reader, ref, wide, i, text)
        found.append(codes[text])
    return found


def read_units(reader: Reader, ref: FileRef) -> None:
    if ref.unit_set in reader.files.units:
        raise InputError(ref.shown, "a second unit list for the same set", column="file name", found=ref.path.name,
                         expected=f"one units_{ref.unit_set} file (the other is "
                                  f"{reader.files.units[ref.unit_set].ref.path.name})")
    sheet = reader.sheet(ref)
    wide = reader.wide(sheet, ref, UNITS)
    frame = wide.frame
    for target in UNITS.text_columns:
        if target not in frame:
            frame[target] = None
    frame["province_code"] = _provinces(reader, ref, wide)
    for target in ("valid_from", "valid_to"):
        frame[target] = [_date(reader, ref, wide, target, i, text) for i, text in zip(frame["_row"], frame[target])]
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
    reader.files.units[ref.unit_set] = UnitList(ref, units.reset_index(drop=True))


def derived_units(reader: Reader, ref: FileRef, wide: Wide) -> UnitList:
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
        "province_code": _province_of_set(reader, ref, wide), "valid_from": None, "valid_to": None,
        "raw_line": frame["_row"] + 1})
    derived["aliases"] = [[] for _ in range(len(derived))]
    return UnitList(ref, derived.drop_duplicates("unit_code").reset_index(drop=True), derived=True)


def _province_of_set(reader: Reader, ref: FileRef, wide: Wide) -> str:
    """The province a set named after it belongs to: the longest start of the set's name that is a province's."""
    words = ref.unit_set.split("-")
    for end in range(len(words), 0, -1):
        try:
            return Gazetteer(reader.reference_dir).province_code(" ".join(words[:end]))
        except UnknownName:
            continue
    raise InputError(ref.shown, f"no unit list for the set '{ref.unit_set}', whose name is not a province's",
                     column="file name", found=ref.path.name, expected=f"a set named after its province "
                     f"(results_{ref.year}_khanh-hoa…) or a file units_{ref.unit_set}.csv with the 'Tỉnh' column")


def unit_list(reader: Reader, ref: FileRef) -> UnitList:
    if ref.unit_set in reader.files.units:
        return reader.files.units[ref.unit_set]
    derived = next((r.units for r in reader.files.results if r.ref.unit_set == ref.unit_set and r.units), None)
    if derived is None:
        raise InputError(ref.shown, f"no unit list for the set '{ref.unit_set}'", column="file name",
                         found=ref.path.name, expected=f"a file units_{ref.unit_set}.csv (or .xlsx) beside it "
                         "listing the set's units (templates/internal/)")
    return derived


def _aliases(text: object) -> list[str]:
    """A unit's past or other names, separated by ';' in the unit list ('Tên cũ')."""
    if text is None or pd.isna(text):
        return []
    return [nfc(name).strip() for name in str(text).split(";") if name.strip()]


def validity_text(valid_from: dt.date | None, valid_to: dt.date | None) -> str:
    """A unit's dates as a message shows them: 'valid until 30/06/2025'."""
    start, end = (None if day is None else day.strftime("%d/%m/%Y") for day in (valid_from, valid_to))
    if start and end:
        return f"valid from {start} until {end}"
    return f"valid from {start}" if start else f"valid until {end}" if end else "no dates"
