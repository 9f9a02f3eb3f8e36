"""Criterion scorecards of a set's units (criteria_<year>_<set>.csv): one row per unit and criterion, each criterion
under a field of the year's results."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import pandera.pandas as pa

from parsipas.core.errors import InputError, InputErrors
from parsipas.core.text import nfc
from parsipas.ingest.internal_sheets import FileRef, Kind, Reader, filled
from parsipas.ingest.internal_units import unit_list
from parsipas.ingest.schemas import table_faults

_CRITERION_CODE = r"^[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)+$"

CRITERIA = Kind("criteria", "unit_code", {
    "the unit code (Mã đơn vị)": {"unit_code"}, "the criterion code (Mã tiêu chí)": {"criterion_code"},
    "the criterion's maximum (Điểm tối đa)": {"max"}, "the points granted (Điểm thẩm định)": {"appraised"}},
    frozenset({"unit_code", "criterion_code", "name"}), criteria=True)


@dataclass
class Criteria:
    ref: FileRef
    frame: pd.DataFrame  # unit_code, criterion_code, name, max, self_assessed, appraised, _row


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
         "name": pa.Column(str, filled("a criterion name on every row"), nullable=True, required=False),
         "max": pa.Column(float, pa.Check.gt(0, error="a maximum above zero")),
         "self_assessed": pa.Column(float, pa.Check.ge(0, error="zero or more"), nullable=True, required=False),
         "appraised": pa.Column(float, pa.Check.ge(0, error="zero or more"), nullable=True)},
        checks=[at_most_max("appraised"), at_most_max("self_assessed"),
                pa.Check(lambda f: ~f.duplicated(["unit_code", "criterion_code"]),
                         error="criterion_code: each criterion of a unit on one row only")])


def read_criteria(reader: Reader, ref: FileRef) -> None:
    units = unit_list(reader, ref)
    results = next((r for r in reader.files.results if r.ref.unit_set == ref.unit_set and r.ref.year == ref.year),
                   None)
    if results is None:
        raise InputError(ref.shown, f"no results of {ref.year} for the set '{ref.unit_set}'", column="file name",
                         found=ref.path.name, expected=f"a file results_{ref.year}_{ref.unit_set}.csv beside it "
                         "(a criterion belongs to one of its fields)")
    sheet = reader.sheet(ref)
    wide = reader.wide(sheet, ref, CRITERIA)
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
    reader.files.criteria.append(Criteria(ref, frame))
