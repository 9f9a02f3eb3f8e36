"""The kinds of official table an analyst may drop into data/raw/official/: a new kind is one more entry in KINDS.

Each kind declares its file name, the column that keys its rows, the columns it requires, how its headers are
recognised, which figure each column gives (measures) and the pandera checks its values must pass (schema)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple

import pandas as pd
import pandera.pandas as pa

from parsipas.core.errors import InputError
from parsipas.ingest.schemas import ACROSS_ROWS, FIELD_NUMBER, PAR_FIELDS

_CRITERION_CODE = re.compile(rf"^{FIELD_NUMBER}(?:\.\d+)*$")
_MALFORMED = pa.Check.str_matches(_CRITERION_CODE.pattern, error="a code such as 3, 3.1 or 3.1.2",
                                  title="a criterion code that is malformed")
_NAMES = {"max": "maximum", "appraised": "appraised points", "self_assessed": "self-assessed points"}


class Maximum(NamedTuple):
    """A maximum and where it came from, so that a message about it can send the reader there."""

    points: float
    row: int | None  # index of the row it was read from (of the maxima sheet if it came from one)
    where: str       # "stated in row 4 ('Điểm tối đa')", 'data/reference/max_points.csv, line 20 (source ...)'


OUT_OF_100 = Maximum(100.0, None, "a PAR INDEX is out of 100 points")
PERCENT = Maximum(100.0, None, "a percentage")


@dataclass
class Wide:
    """One official table as a wide frame (one row per data row, _row its 0-based spreadsheet row) plus how to point
    back at the file."""

    file: str
    frame: pd.DataFrame
    headers: dict[str, tuple[int, str]]   # target -> (column index, header as written)
    maxima: dict[str, Maximum]            # target -> the maximum the file states
    header_row: int                       # spreadsheet row of the (last) header row

    def column(self, target: str) -> str:
        """A target's column as messages show it: 'C (Tổng điểm)'."""
        from parsipas.ingest.official_files import column_letter

        j, header = self.headers[target]
        return f"{column_letter(j)} ({header})"


@dataclass(frozen=True)
class References:
    """What the reference tables say that a kind's checks need, by (year, indicator)."""

    maxima: dict[tuple[int, str], Maximum]   # published maxima (data/reference/max_points.csv)
    field_names: dict[tuple[int, str], str]  # a field's name under that year's decision
    unit_count: Callable[[int], int]         # how many units a year ranks (provinces.unit_count)


@dataclass(frozen=True)
class TableKind:
    """One kind of official table.

    measures: target column -> (indicator, measure) of the figure it gives; for a table of criteria the indicator is a
    prefix the row's code completes ('PAR.F' + '3.1'). schema: the checks its wide frame must pass. check: a test of
    the columns found, before any value is read. criteria: one province per file (named in the file name), one row
    per criterion, written to the criteria table too."""

    name: str
    example: str                      # the file name as messages show it
    key: str                          # the column that keys each row
    required: dict[str, set[str]]     # description -> targets any one of which will do
    text_columns: frozenset[str]
    measures: Callable[[Wide], dict[str, tuple[str, str]]]
    schema: Callable[[Wide, int, References], pa.DataFrameSchema]
    check: Callable[[Wide, int, References], None] | None = None
    stand_in: str | None = None       # a column read as the key when no header names it
    indicator_prefix: str | None = None   # indicators.csv names under it are headers too
    numbered: tuple[re.Pattern, str] | None = None  # a numbered header ('LV3') and the target it gives ('PAR.F{}')
    crosswalk: bool = False           # field names of every year's decision are headers too
    maxima_sheet: bool = False        # a workbook's maxima sheet states maxima
    criteria: bool = False
    rows: str | None = None           # a table of links, not figures: the Parsed list its rows go to
    years: int = 1                    # years in the file name (a crosswalk names the old and the new year)
    readme: str = "templates/official/README.md"  # where a message sends the analyst for the accepted headers
    extras: frozenset[str] = frozenset({"stt", "group", "region", "note"})  # declared columns read past, never as data
    file_name: re.Pattern = field(init=False)

    def __post_init__(self):
        more_years = rf"(?P<years>(?:_\d{{4}}){{{self.years - 1}}})"
        object.__setattr__(self, "file_name", re.compile(
            rf"^{self.name}_(?P<year>\d{{4}}){more_years}(?P<labels>(?:_[a-z0-9-]+)*)\.(?:csv|xlsx)$"))


def _rank_agrees(score_column: str, unit_count: int) -> pa.Check:
    """A published rank lies between the best and worst place its score allows among the year's units (ties share a
    score);
    with a partial table, provinces not in it may sit anywhere, so only those in it constrain the rank."""
    def check(frame: pd.DataFrame) -> pd.Series:
        if "rank" not in frame or score_column not in frame:
            return pd.Series(True, index=frame.index)
        scores = frame[score_column]
        best = scores.apply(lambda s: 1 + (scores > s).sum())
        worst = scores.apply(lambda s: unit_count - (scores < s).sum())
        return frame["rank"].isna() | scores.isna() | frame["rank"].between(best, worst)
    return pa.Check(check, error=f"rank: a rank that agrees with the {score_column} scores (ties may share a place)",
                    title=f"the ranks do not follow the {score_column} scores (a higher score ranks higher)",
                    name=ACROSS_ROWS)


def _province_schema(maxima: dict[str, Maximum], value_columns: list[str], score_column: str, unit_count: int,
                     checks: list[pa.Check]) -> pa.DataFrameSchema:
    """Columns in the order failures are reported (see schemas.validate_table): province, value_columns, rank."""
    columns = {"province_code": pa.Column(str, unique=True, report_duplicates="exclude_first")}
    for target in value_columns:
        limit = maxima.get(target)
        bounds = [pa.Check.ge(0, error="zero or more", title="a negative score")] + (
            [pa.Check.le(limit.points, error=f"at most the maximum {limit.points:g} ({limit.where})",
                         title="a score above its maximum")] if limit else [])
        columns[target] = pa.Column(float, bounds, nullable=True, required=False)
    ranks = pa.Check.isin(list(range(1, unit_count + 1)), error=f"a whole number from 1 to {unit_count}",
                          title=f"a rank that is not a place among the year's {unit_count} provinces")
    columns["rank"] = pa.Column(float, [ranks], nullable=True, required=False)
    return pa.DataFrameSchema(columns, checks=[_rank_agrees(score_column, unit_count), *checks])


# -- PAR INDEX: the Ministry's table of the year's provinces ---------------------------------------------------------
_PAR_VALUES = [*PAR_FIELDS, "PAR.APPRAISED", "PAR.SURVEY"]

_TOTAL_IS_SUM = pa.Check(
    lambda f: pd.Series(True, index=f.index) if "total" not in f or not all(field in f for field in PAR_FIELDS)
    else f[list(PAR_FIELDS)].isna().any(axis=1) | f["total"].isna()
    | (f[list(PAR_FIELDS)].sum(axis=1) - f["total"]).abs().le(0.01),
    error="total: the sum of the eight fields (within 0.01)", title="the total is not the sum of the eight fields")
_INDEX_IS_TOTAL = pa.Check(
    lambda f: pd.Series(True, index=f.index) if "total" not in f or "index" not in f
    else f["total"].isna() | f["index"].isna() | (f["total"] - f["index"]).abs().le(0.01),
    error="index: the same figure as the total (PAR INDEX is out of 100)", title="the index differs from the total")


def _par_score(wide: Wide) -> str:
    return "total" if "total" in wide.frame else "index"


def _par_measures(wide: Wide) -> dict[str, tuple[str, str]]:
    return {f: (f, "points") for f in _PAR_VALUES} | {_par_score(wide): ("PAR", "points"), "rank": ("PAR", "rank")}


def _par_schema(wide: Wide, year: int, references: References) -> pa.DataFrameSchema:
    values = [*_PAR_VALUES, "total", "index"]
    published = {t: references.maxima[(year, t)] for t in values if (year, t) in references.maxima}
    maxima = published | wide.maxima | {"total": OUT_OF_100, "index": OUT_OF_100}
    return _province_schema(maxima, values, _par_score(wide), references.unit_count(year),
                            [_TOTAL_IS_SUM, _INDEX_IS_TOTAL])


def _all_fields_or_none(wide: Wide, year: int, references: References) -> None:
    """A field column left out would read as 'not published' with no one having said so. A table of totals only
    has no field column; a field the table does not publish keeps its column, empty or 'chưa công bố'."""
    missing = [f for f in PAR_FIELDS if f not in wide.headers]
    if len(missing) in (0, len(PAR_FIELDS)):
        return
    named = [f"Lĩnh vực {f[-1]} ({references.field_names[(year, f)]})" for f in missing]
    first = missing[0][-1]
    raise InputError(wide.file, "a field column is missing: " + ", ".join(named), row=wide.header_row,
                     column=f"Lĩnh vực {first}", found=" | ".join(h for _, h in wide.headers.values()),
                     expected=f"a column headed 'Lĩnh vực {first}', 'LV{first}' or the field's name, as for the "
                     "other fields; a field the table does not publish keeps its column with every cell empty or "
                     "'chưa công bố' (templates/official/README.md)")


# -- SIPAS: the satisfaction table of the year's provinces -----------------------------------------------------------
def _sipas_values(wide: Wide) -> list[str]:
    return [t for t in wide.headers if t.startswith("SIPAS")]


def _sipas_schema(wide: Wide, year: int, references: References) -> pa.DataFrameSchema:
    values = _sipas_values(wide)
    return _province_schema({t: PERCENT for t in values}, values, "SIPAS", references.unit_count(year), [])


# -- scorecard: one province's criteria with their maxima and points ---------------------------------------------
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
    return pa.Check(check, error=f"{column}: the sum of its sub-criteria (within 0.01)",
                    title=f"a criterion's {_NAMES[column]} is not the sum of its sub-criteria", name=ACROSS_ROWS)


def _parent_exists(frame: pd.DataFrame) -> pd.Series:
    parent = frame["code"].str.rsplit(".", n=1).str[0]
    return ~frame["code"].str.contains(r"\.") | parent.isin(frame["code"])


def _at_most_max(column: str) -> pa.Check:
    return pa.Check(lambda f: f.get(column, f["max"]).isna() | f.get(column, f["max"]).le(f["max"] + 1e-9),
                    error=f"{column}: at most the criterion's maximum",
                    title=f"{_NAMES[column]} above the criterion's maximum")


def _scorecard_schema(wide: Wide, year: int, references: References) -> pa.DataFrameSchema:
    within_max = [pa.Check.ge(0, error="zero or more", title="negative points")]
    return pa.DataFrameSchema(
        {"code": pa.Column(str, [_MALFORMED], unique=True, report_duplicates="exclude_first"),
         "name": pa.Column(nullable=True),  # declared here for the order failures are reported in
         "max": pa.Column(float, pa.Check.gt(0, error="a maximum above zero", title="a criterion's maximum of zero")),
         "self_assessed": pa.Column(float, within_max, nullable=True, required=False),
         "appraised": pa.Column(float, within_max, nullable=True, required=False)},
        checks=[_at_most_max("appraised"), _at_most_max("self_assessed"),
                pa.Check(_parent_exists, error="code: a criterion whose parent code is also in the table",
                         title="a sub-criterion whose parent criterion is not in the table"),
                pa.Check(lambda f: f["name"].notna() | ~f["code"].str.contains(r"\."),
                         error="name: a name for every criterion (only a field's row may leave it blank)",
                         title="a criterion without a name"),
                _children_sum("max"), _children_sum("appraised"), _children_sum("self_assessed")])


# -- crosswalk and responsibility: links an analyst or the province supplies, checked against the scorecards ------
RELATIONS = {"same": "same", "giu nguyen": "same", "renamed": "renamed", "doi ten": "renamed", "split": "split",
             "tach": "split", "merged": "merged", "gop": "merged", "new": "new", "moi": "new", "dropped": "dropped",
             "bo": "dropped", "loai bo": "dropped"}


def relation(text: object) -> str | None:
    """The relation a cell names, in English or Vietnamese ('Giữ nguyên' -> 'same'); None for any other text."""
    from parsipas.ingest.official_header import fold

    return RELATIONS.get(fold(text)) if isinstance(text, str) else None


def _codes_valid(column: str) -> pa.Check:
    return pa.Check(lambda f: f[column].isna() | f[column].str.match(_CRITERION_CODE.pattern),
                    error=f"{column}: a code such as 3, 3.1 or 3.1.2", title="a criterion code that is malformed")


def _one_to_one(column: str) -> pa.Check:
    """A 'same' or 'renamed' link maps one criterion to one: its code on no other row of the crosswalk."""
    def check(f: pd.DataFrame) -> pd.Series:
        kept = f["relation"].map(relation).isin(["same", "renamed"])
        return ~kept | f[column].isna() | ~(f[column].duplicated(keep="first") & f[column].notna())
    return pa.Check(check, error=f"{column}: a criterion mapped 'same' or 'renamed' on one row only (one to one)",
                    title="a criterion kept or renamed is mapped on two rows")


def _two_or_more(column: str, kind: str) -> pa.Check:
    """A criterion 'split' goes to two or more new ones, and two or more old ones are 'merged' into one: the shared code
    is on two or more rows of that relation (on one row alone the link is a rename)."""
    def check(f: pd.DataFrame) -> pd.Series:
        rows = f["relation"].map(relation) == kind
        codes = f.loc[rows, column]
        return ~rows | codes.map(codes.value_counts()).reindex(f.index).ge(2)
    return pa.Check(check, error=f"{column}: a '{kind}' criterion on two or more rows (one row alone is a rename)",
                    title=f"a criterion marked '{kind}' on one row only")


def _present_unless(column: str, exempt: str) -> pa.Check:
    def check(f: pd.DataFrame) -> pd.Series:
        kinds = f["relation"].map(relation)
        return kinds.isna() | ((kinds == exempt) == f[column].isna())
    return pa.Check(check, error=f"{column}: a code on every row but a '{exempt}' one, which leaves it blank",
                    title=f"a code missing, or given on a '{exempt}' row")


def _crosswalk_schema(wide: Wide, year: int, references: References) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"relation": pa.Column(str, pa.Check(lambda s: s.map(relation).notna(),
                                             error="one of: same, renamed, split, merged, new, dropped "
                                                   "(giữ nguyên, đổi tên, tách, gộp, mới, bỏ)",
                                             title="an unknown relation")),
         "old_code": pa.Column(str, nullable=True), "new_code": pa.Column(str, nullable=True)},
        checks=[_codes_valid("old_code"), _codes_valid("new_code"), _present_unless("old_code", "new"),
                _present_unless("new_code", "dropped"), _one_to_one("old_code"), _one_to_one("new_code"),
                _two_or_more("old_code", "split"), _two_or_more("new_code", "merged")])


def _responsibility_schema(wide: Wide, year: int, references: References) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {"code": pa.Column(str, _MALFORMED, unique=True, report_duplicates="exclude_first"),
         "lead_agency": pa.Column(str, pa.Check(lambda s: s.notna(), ignore_na=False,
                                                error="a lead agency on every row",
                                                title="a criterion without a lead agency"), nullable=True),
         "supporting_agencies": pa.Column(str, nullable=True, required=False)})


KINDS = {kind.name: kind for kind in [
    TableKind(
        name="par", example="par_<year>.xlsx", key="province", text_columns=frozenset({"province"}),
        required={"the total score (Tổng điểm) or the index (Chỉ số) or the field scores": {
            "total", "index", *PAR_FIELDS}},
        measures=_par_measures, schema=_par_schema, check=_all_fields_or_none, indicator_prefix="PAR.F",
        numbered=(re.compile(rf"^(?:linh vuc|lv|f|field)\s*({FIELD_NUMBER})$"), "PAR.F{}"), crosswalk=True,
        maxima_sheet=True),
    TableKind(
        name="sipas", example="sipas_<year>.csv", key="province", text_columns=frozenset({"province"}),
        required={"the SIPAS index (Chỉ số SIPAS, %)": {"SIPAS"}},
        measures=lambda wide: {t: (t, "percent") for t in _sipas_values(wide)} | {"rank": ("SIPAS", "rank")},
        schema=_sipas_schema, indicator_prefix="SIPAS.",
        numbered=(re.compile(r"^(?:yeu to|e|element)\s*([1-5])$"), "SIPAS.E{}")),
    TableKind(
        name="scorecard", example="scorecard_<year>_<province-slug>.xlsx", key="code", stand_in="stt",
        text_columns=frozenset({"code", "name"}), required={
            "the maximum points (Điểm tối đa)": {"max"},
            "the appraised (Điểm thẩm định) or self-assessed (Điểm tự đánh giá) points": {
                "appraised", "self_assessed"},
            "the names of fields and criteria (Lĩnh vực/Tiêu chí/Tiêu chí thành phần)": {"name"}},
        measures=lambda wide: {"appraised": ("PAR.F", "points"), "self_assessed": ("PAR.F", "self_assessed")},
        schema=_scorecard_schema, criteria=True),
    TableKind(
        name="crosswalk", example="crosswalk_<old year>_<new year>_<province-slug>.csv", key="relation",
        text_columns=frozenset({"relation", "old_code", "new_code"}),
        required={"the old year's criterion code (Mã tiêu chí năm cũ)": {"old_code"},
                  "the new year's criterion code (Mã tiêu chí năm mới)": {"new_code"}},
        measures=lambda wide: {}, schema=_crosswalk_schema, rows="crosswalk", years=2),
    TableKind(
        name="responsibility", example="responsibility_<year>_<province-slug>.csv", key="code",
        text_columns=frozenset({"code", "lead_agency", "supporting_agencies"}),
        required={"the lead agency (Cơ quan chủ trì)": {"lead_agency"}},
        measures=lambda wide: {}, schema=_responsibility_schema, rows="responsibility"),
]}
