"""A year's results of a set (results_<year>_<set>.csv): reading the rows, naming each row's unit, and the declared
checks of the maxima row and of the rows (each field, the total, the percent, the rank in the group)."""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from parsipas.core.errors import InputError, InputErrors
from parsipas.core.text import name_key, nfc
from parsipas.ingest.internal_sheets import TOLERANCE, FileRef, Kind, Reader, filled
from parsipas.ingest.internal_units import UnitList, derived_units, validity_text
from parsipas.ingest.internal_vocabulary import (
    FIELD,
    RESULTS_REQUIRED,
    RESULTS_TEXT,
    Field,
    layout,
    ministry_rows,
    read_fields,
)
from parsipas.ingest.official_files import Sheet
from parsipas.ingest.official_header import cell
from parsipas.ingest.official_kinds import Wide
from parsipas.ingest.schemas import table_faults


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
    return pa.DataFrameSchema(_results_columns(results),
                              checks=[*_unit_checks(units, year), *_figure_checks(results, units)])


def _results_columns(results: Results) -> dict[str, pa.Column]:
    columns = {"unit_code": pa.Column(str),
               "named": pa.Column(str, required=False),
               "validity": pa.Column(str, required=False),
               "group_code": pa.Column(str, nullable=True)}
    for f in results.fields:
        columns[f.target] = pa.Column(float, [
            filled("a score for every unit (a blank field cannot be added up)"),
            pa.Check.ge(0, error="zero or more"),
            pa.Check.le(f.max_points + 1e-9, error=f"at most the field's maximum {f.max_points:g} (declared in the "
                                                   "'Điểm tối đa' row)")], nullable=True)
    columns["total"] = pa.Column(float, [filled("a total for every unit"), pa.Check.ge(0, error="zero or more"),
                                         pa.Check.le(results.total_max + 1e-9, error=f"at most the maximum total "
                                                     f"{results.total_max:g} (declared in the 'Điểm tối đa' row)")],
                                 nullable=True)
    columns["pct"] = pa.Column(float, pa.Check.between(0, 100, error="a percentage from 0 to 100"), nullable=True,
                               required=False)
    columns["rank"] = pa.Column(float, pa.Check(lambda s: s.ge(1) & s.eq(s.round()), error="a whole number from 1"),
                                nullable=True, required=False)
    return columns


def _unit_checks(units: UnitList, year: int) -> list[pa.Check]:
    """Each row's unit as the unit list gives it: its name, its dates (in force on 31 December) and its group."""
    listed = units.by_code["group_code"]
    in_force_on_day = units.in_force(dt.date(year, 12, 31))
    listed_names = {code: set(names) for code, names in zip(units.frame["unit_code"], units.name_keys)}  # past too

    def name_agrees(f: pd.DataFrame) -> pd.Series:
        """A row with both a code and a name: the name is the one the list gives the code (folded: name_key)."""
        if "unit_name" not in f:
            return pd.Series(True, index=f.index)
        named = f["unit_name"].map(lambda v: None if v is None or pd.isna(v) or not str(v).strip() else name_key(v))
        return named.isna() | pd.Series([key in listed_names.get(code, ()) for key, code in zip(named, f["unit_code"])],
                                        index=f.index)

    def in_force(f: pd.DataFrame) -> pd.Series:
        return f["unit_code"].map(in_force_on_day).eq(True)

    def group_agrees(f: pd.DataFrame) -> pd.Series:
        return f["group_code"].isna() | f["group_code"].eq(f["unit_code"].map(listed))

    return [
        pa.Check(name_agrees, error=f"named: the name {units.ref.path.name} gives the row's unit code (Mã đơn vị); "
                                    "a code and a name that disagree cannot tell which unit the scores are of"),
        pa.Check(in_force, error=f"validity: a unit in force on 31/12/{year} (its dates, Hiệu lực từ/đến, in "
                                 f"{units.ref.path.name})"),
        pa.Check(group_agrees, error=f"group_code: the unit's group in the unit list {units.ref.path.name} (a unit "
                                     "belongs to one group)")]


def _figure_checks(results: Results, units: UnitList) -> list[pa.Check]:
    """The figures against each other: the total the sum of the fields, the percent of the total, each rank a place
    in the unit's group (the list's) that its total allows."""
    targets = [f.target for f in results.fields]
    listed = units.by_code["group_code"]

    def total_is_sum(f: pd.DataFrame) -> pd.Series:
        return f["total"].isna() | f[targets].isna().any(axis=1) | (f[targets].sum(axis=1) - f["total"]).abs().le(
            TOLERANCE + 1e-9)

    def pct_of_total(f: pd.DataFrame) -> pd.Series:
        if "pct" not in f:
            return pd.Series(True, index=f.index)
        return f["pct"].isna() | (100 * f["total"] / results.total_max - f["pct"]).abs().le(TOLERANCE + 1e-9)

    def rank_in_group(f: pd.DataFrame) -> pd.Series:
        """A rank is among the units ranked, so at most the number of the group's units in the file, not the list's
        size (internal_group_sizes): with a unit missing from the file, 20 units ranked cannot have a 21st. The ranks
        must also agree with the file's totals (rank_agrees), which a rank beyond the units in the file never does;
        this check gives that case its own message."""
        if "rank" not in f:
            return pd.Series(True, index=f.index)
        groups = f["unit_code"].map(listed)
        return f["rank"].isna() | f["rank"].le(groups.map(groups.value_counts()))

    def rank_agrees(f: pd.DataFrame) -> pd.Series:
        if "rank" not in f:
            return pd.Series(True, index=f.index)
        total = f["total"]
        by_group = total.groupby(f["unit_code"].map(listed))  # best: 1 + the group's higher totals; worst: its
        best = by_group.rank(method="min", ascending=False).fillna(1)  # totals as high or higher (none without one)
        worst = by_group.rank(method="max", ascending=False).fillna(0)
        return f["rank"].isna() | total.isna() | f["rank"].between(best, worst)

    return [
        pa.Check(total_is_sum, error=f"total: the sum of the fields (within {TOLERANCE})"),
        pa.Check(pct_of_total, error=f"pct: 100 × total / {results.total_max:g} (within {TOLERANCE})"),
        pa.Check(rank_in_group, error="rank: at most the number of units of the unit's group in the file"),
        pa.Check(rank_agrees, error="rank: a rank that agrees with the totals in the unit's group (ties share a "
                                    "place)")]


def _unkeyed(reader: Reader, ref: FileRef, sheet: Sheet, wide: Wide, key: str, unused_from: int) -> list[InputError]:
    """Rows the table reader read past for having no key but which hold a unit code or a figure: an error each,
    never a silent drop (a note or a blank row stays in unused_rows)."""
    errors, kept = [], reader.files.unused[:unused_from]
    figures = [j for t, (j, _) in wide.headers.items() if t.startswith(FIELD) or t in ("total", "unit_code")]
    for unused in reader.files.unused[unused_from:]:
        row = sheet.cells[unused["raw_line"] - 1]
        held = [cell(row, j) for j in figures if cell(row, j) is not None]
        if unused["reason"] != "row without a key" or not held:
            kept.append(unused)
            continue
        errors.append(InputError(ref.shown, "a row with figures but no unit: it would be left out of the ranking",
                                 row=unused["raw_line"], column=wide.column(key), found=" | ".join(held),
                                 expected="the unit's name (or its code) on every row with figures"))
    reader.files.unused = kept
    return errors


def _identify(ref: FileRef, wide: Wide, units: UnitList) -> tuple[list[str | None], list[InputError]]:
    """Each row's unit code: by its code, else by its name (folded, past names too, only when one unit has it);
    a row that names no unit of the list is an error with the nearest name as a suggestion."""
    known = set(units.frame["unit_code"])
    names = units.named()
    codes, errors = [], []
    frame = wide.frame
    absent = pd.Series(None, index=frame.index, dtype=object)
    for row, code, name in zip(frame["_row"] + 1, frame.get("unit_code", absent), frame.get("unit_name", absent)):
        name = None if name is None or pd.isna(name) else name
        if code is not None and not pd.isna(code):
            written = nfc(code)
            if written not in known:
                by_name = names.get(name_key(name), []) if name else []
                hint = f" (the list gives '{name}' the code '{by_name[0]}')" if len(by_name) == 1 else ""
                errors.append(InputError(ref.shown, f"a unit that is not in the unit list{hint}", row=row,
                                         column=wide.column("unit_code"), found=code,
                                         expected=f"a unit code of {units.ref.path.name} (add the unit there "
                                                  "first)"))
            codes.append(written if written in known else None)
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


def _group_codes(frame: pd.DataFrame, units: UnitList) -> None:
    """Each row's group code as written (NFC), else, from a 'Nhóm' column read against the unit list, the list's
    code of the group its name (folded) or code gives; None where the file says neither."""
    if "group_code" in frame:
        frame["group_code"] = frame["group_code"].map(lambda v: None if v is None or pd.isna(v) else nfc(v))
    if "group_name" in frame and not units.derived:
        by_name = {name_key(n): c for c, n in zip(units.frame["group_code"], units.frame["group"])}
        by_name |= {name_key(c): c for c in units.frame["group_code"]}
        given = frame["group_name"].map(lambda v: None if v is None or pd.isna(v) else by_name.get(name_key(v), v))
        frame["group_code"] = frame["group_code"].fillna(given) if "group_code" in frame else given
    if "group_code" not in frame:
        frame["group_code"] = None


def _as_listed(frame: pd.DataFrame, units: UnitList, identified: pd.Series, columns: dict[str, str]) -> None:
    """What the unit list says of each identified row's unit, for the checks against it: its dates (validity) and
    its name (named), shown in the unit's column."""
    validity = dict(zip(units.frame["unit_code"], map(validity_text, units.frame["valid_from"],
                                                      units.frame["valid_to"])))
    frame["validity"] = [f"{code} ({validity[code]})" if ok else None
                         for code, ok in zip(frame["unit_code"], identified)]
    names = frame["unit_name"] if "unit_name" in frame else pd.Series(None, index=frame.index, dtype=object)
    listed_name = dict(zip(units.frame["unit_code"], units.frame["name_vi"]))
    frame["named"] = [f"{name} (the list's name of {code}: {listed_name[code]})" if ok else None
                      for code, name, ok in zip(frame["unit_code"], names, identified)]
    columns["validity"] = columns.get("unit_code") or columns.get("unit_name")
    columns["named"] = columns.get("unit_name")
    columns.setdefault("unit_code", columns.get("unit_name"))
    if "group_name" in columns:
        columns.setdefault("group_code", columns["group_name"])


def _duplicates(ref: FileRef, wide: Wide) -> list[InputError]:
    """A unit on two rows: its name (or code) and both rows."""
    frame, errors = wide.frame, []
    column = wide.column("unit_name") if "unit_name" in wide.headers else wide.column("unit_code")
    repeated = frame["unit_code"].notna() & frame["unit_code"].duplicated(keep=False)
    for _, rows in frame[repeated].groupby("unit_code", sort=False):
        for record in rows.iloc[1:].to_dict("records"):
            shown = record.get("unit_name") or record["unit_code"]
            errors.append(InputError(ref.shown, "a unit is listed twice", row=record["_row"] + 1, column=column,
                                     found=shown, expected=f"each unit on one row only (also on row "
                                                           f"{rows['_row'].iloc[0] + 1})"))
    return errors


def _columns(reader: Reader, ref: FileRef, units: UnitList | None) -> tuple[Wide, list[Field], dict[str, str],
                                                                           list[InputError]]:
    """The sheet read under its header with its fields and their maxima checked (the rows cannot be checked while the
    columns are not understood): the table, its fields, each target's column as shown, and the rows with figures but
    no unit (reported with the rows' faults)."""
    sheet = reader.sheet(ref)
    ministry = ministry_rows(sheet, reader.ministry_labels)
    vocabulary, key, faults = layout(ref, sheet, units, reader.reference_dir)
    kind = Kind("results", key, RESULTS_REQUIRED, RESULTS_TEXT)
    unused_from = len(reader.files.unused)
    wide = reader.wide(sheet, ref, kind, vocabulary)
    unkeyed = _unkeyed(reader, ref, sheet, wide, key, unused_from)
    fields = read_fields(ref, wide, ministry, faults)
    if "total" not in wide.maxima:
        raise InputErrors([*faults, InputError(
            ref.shown, "no maximum is declared for the total", row=wide.header_row, column=wide.column("total"),
            expected="the maximum total in the 'Điểm tối đa' row (e.g. 100)")])
    maxima = {f.target: f.max_points for f in fields} | {"total": wide.maxima["total"].points}
    rows = {m.row for m in wide.maxima.values()}
    row = wide.maxima["total"].row if len(rows) == 1 and None not in rows else wide.header_row
    columns = {t: wide.column(t) for t in wide.headers}
    faults += [_missing_field(reader, ref, wide, fields, e) for e in table_faults(
        pd.DataFrame([maxima | {"_row": row}]), maxima_schema(fields), ref.shown, wide.header_row, columns)]
    if faults:
        raise InputErrors(faults + unkeyed)
    return wide, fields, columns, unkeyed


def read_results(reader: Reader, ref: FileRef) -> None:
    units = reader.files.units.get(ref.unit_set)
    if any(r.ref.unit_set == ref.unit_set and r.ref.year == ref.year for r in reader.files.results):
        raise InputError(ref.shown, "a second results file for the same set and year", column="file name",
                         found=ref.path.name, expected=f"one results_{ref.year}_{ref.unit_set} file")
    wide, fields, columns, unkeyed = _columns(reader, ref, units)
    units = units or derived_units(reader, ref, wide)
    frame = wide.frame
    codes, faults = _identify(ref, wide, units)
    faults += unkeyed
    frame["unit_code"] = codes
    faults += _duplicates(ref, wide)
    _group_codes(frame, units)
    identified = frame["unit_code"].notna()
    _as_listed(frame, units, identified, columns)
    results = Results(ref, fields, wide.maxima["total"].points, frame, wide.header_row, columns,
                      units=units if units.derived else None, rank_computed="rank" not in frame)
    schema = results_schema(results, ref.year, units)
    checked = table_faults(frame[identified], schema, ref.shown, wide.header_row, columns) if identified.any() \
        else []
    faults += _causes_first(checked, [f.column for f in fields] + [columns["total"]])
    if faults:
        raise InputErrors(faults)
    frame["group_code"] = frame["unit_code"].map(units.by_code["group_code"])
    if results.rank_computed:
        frame["rank"] = frame.groupby("group_code")["total"].rank(method="min", ascending=False)
    reader.files.results.append(results)


def _missing_field(reader: Reader, ref: FileRef, wide: Wide, fields: list[Field], error: InputError) -> InputError:
    """The maxima's total above the fields' sum: the cause is most often a field column missing (or unknown)."""
    total = sum(f.max_points for f in fields)
    if error.column != wide.column("total") or not isinstance(error.found, (int, float)) or error.found <= total:
        return error
    present, gap = {f.name_vi for f in fields}, error.found - total
    named = [f"'{f.name_vi}' ({f.max_points:g} points in results_{r.ref.year})" for r in reader.files.results
             if r.ref.unit_set == ref.unit_set for f in r.fields
             if f.name_vi not in present and abs(f.max_points - gap) <= TOLERANCE]
    missing = f"a field column is missing{', perhaps ' + named[0] if named else ''}: the fields' maxima add up " \
              f"to {total:g}, the total's is {error.found:g}"
    return InputError(ref.shown, missing, row=error.row, column=error.column,
                      found=" | ".join(h for _, h in wide.headers.values()),
                      expected=f"a column for every field, whose maxima add up to the total's {error.found:g}")


def _causes_first(errors: list[InputError], figure_columns: list[str]) -> list[InputError]:
    """A rank is checked against the totals only once the fields and totals are right: a wrong total would make
    ranks that agree with the true totals look wrong."""
    if any(e.column in figure_columns for e in errors):
        return [e for e in errors if not str(e.expected).startswith("a rank that agrees with the totals")]
    return errors
