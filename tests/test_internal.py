"""A province's own index: the SYNTHETIC fixture through clean.build, the same tables from XLSX and from a pasted CSV,
the public record's rows beside the analyst's files, the templates."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from parsipas import clean
from parsipas.clean import internal
from parsipas.core import paths
from parsipas.core.errors import InputError
from parsipas.ingest import internal_public

FIXTURE = paths.ROOT / "tests" / "fixtures" / "synthetic_internal"
TEMPLATES = paths.ROOT / "templates" / "internal"
SET, COMMUNES = "khanh-hoa", "khanh-hoa-communes"


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return clean.build(FIXTURE)


def one(frame: pd.DataFrame, **where) -> pd.Series:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_units_and_groups_of_both_sets(tables):
    units = tables["internal_units"]
    assert units.groupby("unit_set").size().to_dict() == {SET: 44, COMMUNES: 65}
    assert units.groupby(["unit_set", "group_code"]).size().to_dict() == {
        (SET, "HUYEN"): 8, (SET, "NGANH-DOC"): 6, (SET, "SO"): 21, (SET, "SU-NGHIEP"): 9,
        (COMMUNES, "PHUONG"): 16, (COMMUNES, "XA"): 49}
    assert set(units["province_code"]) == {"56"}
    district = one(units, unit_set=SET, unit_code="HU01")
    assert (district.name_vi, district.valid_from, district.valid_to) == ("UBND thành phố Nha Trang", "", "2025-06-30")
    ward = one(units, unit_set=COMMUNES, unit_code="22366")
    assert (ward.name_vi, ward.group_code, ward.valid_from, ward.valid_to) == ("Phường Nha Trang", "PHUONG",
                                                                              "2025-07-01", "")
    assert ward.source_id == "internal:units_khanh-hoa-communes_synthetic.csv" and ward.raw_line == 3
    groups = tables["internal_groups"].query("unit_set == @SET")
    assert list(groups["group_code"]) == ["SO", "HUYEN", "NGANH-DOC", "SU-NGHIEP"]
    assert list(groups["position"]) == [1, 2, 3, 4]
    assert one(groups, group_code="HUYEN").name_en == "District People's Committees"


def test_fields_declared_in_the_file(tables):
    fields = tables["internal_fields"]
    assert fields.groupby(["unit_set", "year"]).size().to_dict() == {(SET, 2023): 7, (SET, 2024): 7,
                                                                      (COMMUNES, 2025): 6}
    third = one(fields, unit_set=SET, year=2024, field_code="3")
    assert (third.name_vi, third.max_points, third.ministry_field, third.position) == (
        "Cải cách thủ tục hành chính", 20.0, "PAR.F3", 3)
    assert one(fields, unit_set=COMMUNES, year=2025, field_code="2").ministry_field == "PAR.F3"
    assert one(fields, unit_set=COMMUNES, year=2025, field_code="6").ministry_field == ""
    assert fields.groupby(["unit_set", "year"])["max_points"].sum().eq(100).all()


def test_exact_scores_derived_percent_and_ranks(tables):
    scores = tables["internal_scores"]

    def value(unit_set, year, unit, indicator, measure):
        return one(scores, unit_set=unit_set, year=year, unit_code=unit, indicator=indicator, measure=measure)

    assert value(SET, 2024, "SO01", "1", "points").value == 12.29
    assert value(SET, 2024, "SO01", "PAR", "points").value == 85.71
    assert value(SET, 2024, "SO01", "PAR", "rank").value == 5
    assert value(SET, 2023, "SO01", "PAR", "points").value == 77.45
    assert value(SET, 2023, "SO01", "PAR", "rank").value == 6
    assert value(COMMUNES, 2025, "22366", "PAR", "points").value == 81.33
    assert value(COMMUNES, 2025, "22366", "PAR", "rank").value == 6
    derived = value(SET, 2024, "SO01", "1", "pct_of_max")
    assert derived.is_derived and derived.value == round(100 * 12.29 / 14, 4) and derived.max_points == 14
    stated = value(SET, 2024, "SO01", "PAR", "pct_of_max")
    assert not stated.is_derived and stated.value == 85.71 and stated.is_official
    rank = value(SET, 2024, "SO01", "PAR", "rank")
    assert pd.isna(rank.max_points) and rank.raw_line == 4 and rank.group_code == "SO"
    assert not scores.duplicated(internal.KEY).any()
    assert scores["is_official"].all() and tables["internal_conflicts"].empty
    for (unit_set, year, group), ranks in scores.query("measure == 'rank'").groupby(
            ["unit_set", "year", "group_code"])["value"]:
        assert ranks.min() == 1 and ranks.max() <= len(ranks), (unit_set, year, group)


def test_group_sizes_and_coverage(tables):
    sizes = tables["internal_group_sizes"].set_index(["unit_set", "year", "group_code"])["group_size"]
    assert sizes[(SET, 2024, "SO")] == 21 and sizes[(SET, 2023, "HUYEN")] == 8
    assert sizes[(COMMUNES, 2025, "PHUONG")] == 16 and sizes[(COMMUNES, 2025, "XA")] == 49
    coverage = tables["internal_coverage"]
    assert coverage["is_complete"].all()
    par = one(coverage, unit_set=SET, year=2024, indicator="PAR", group_code="SU-NGHIEP")
    assert (par.units_known, par.group_size) == (9, 9)
    assert len(coverage.query("unit_set == @SET and year == 2024")) == 4 * (7 + 1)


def test_criteria_of_two_units(tables):
    criteria = tables["internal_criteria"]
    assert set(criteria["unit_code"]) == {"SO01", "HU04"} and set(criteria["year"]) == {2024}
    first = one(criteria, unit_code="SO01", criterion_code="1.1")
    assert (first.field_code, first.max_points, first.self_assessed, first.points) == ("1", 4.67, 4.35, 4.1)
    scores = tables["internal_scores"].query("year == 2024 and unit_code == 'SO01' and measure == 'points'")
    granted = criteria.query("unit_code == 'SO01'").groupby("field_code")["points"].sum().round(2)
    assert granted.to_dict() == scores.set_index("indicator")["value"].drop("PAR").to_dict()


def test_sources_list_the_analysts_files(tables):
    sources = tables["sources"].query("kind == 'internal_file'")
    assert set(sources["source_id"]) == {f"internal:{p.name}" for p in (FIXTURE / "internal").iterdir()}
    assert set(sources["publisher"]) == {"data/raw/internal"}


def test_without_an_internal_folder_the_tables_are_empty_with_their_columns(tmp_path):
    built = internal.build(tmp_path / "no-such-folder")
    for name, columns in internal.TABLES.items():
        assert built[name].empty and list(built[name].columns) == list(columns), name
    assert set(internal.TABLES) <= set(clean.TABLES)


def _comparable(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables without where each figure stands (file name and row differ by construction)."""
    def strip(frame):
        frame = frame.drop(columns=[c for c in ("raw_file", "raw_line", "source_id") if c in frame])
        return frame.reset_index(drop=True)
    return {name: strip(tables[name]) for name in internal.TABLES}


def _as_xlsx(source: Path, target: Path) -> None:
    """A CSV saved as a workbook: numbers as numbers, codes (columns headed 'Mã ...') as text."""
    rows = list(csv.reader(open(source, encoding="utf-8")))
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        cells = []
        for header, value in zip(rows[0], row):
            try:
                number = float(value)
            except ValueError:
                number = None
            cells.append(value if number is None or header.startswith("Mã") or value is rows[0] else number)
        sheet.append([c if c != "" else None for c in cells])
    book.save(target)


@pytest.fixture(scope="module")
def csv_tables(tables):
    return _comparable(tables)


def test_xlsx_gives_the_same_tables(tmp_path, csv_tables):
    (tmp_path / "internal").mkdir()
    for path in (FIXTURE / "internal").iterdir():
        _as_xlsx(path, tmp_path / "internal" / f"{path.stem}.xlsx")
    built = internal.build(tmp_path / "internal")
    for name, frame in _comparable(built).items():
        pd.testing.assert_frame_equal(frame, csv_tables[name], check_dtype=True, obj=name)


def test_a_pasted_csv_reads_the_same(tmp_path, csv_tables):
    """Semicolons, decimal commas and two title rows above the header, as a European Excel pastes them."""
    (tmp_path / "internal").mkdir()
    for path in (FIXTURE / "internal").iterdir():
        rows = list(csv.reader(open(path, encoding="utf-8")))
        pasted = [["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (giả lập)"], []] + [rows[0]] + [
            [cell.replace(".", ",") if cell.replace(".", "", 1).isdigit() and not header.startswith("Mã") else cell
             for header, cell in zip(rows[0], row)] for row in rows[1:]]
        with open(tmp_path / "internal" / path.name, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=";", lineterminator="\n").writerows(pasted)
    built = internal.build(tmp_path / "internal")
    for name, frame in _comparable(built).items():
        pd.testing.assert_frame_equal(frame, csv_tables[name], obj=name)


# -- the public record's rows --------------------------------------------------------------------------------------
def _public(rows: list[dict]) -> pd.DataFrame:
    base = dict(unit_set=SET, province_code="56", indicator="PAR", group_size=float("nan"),
                source_id="baokhanhhoa-2019", raw_file="data/raw/public/internal_index.csv")
    return pd.DataFrame([base | row for row in rows], columns=internal.PUBLIC_COLUMNS)


PUBLIC = [
    dict(year=2018, measure="pct_of_max", value=91.31, group_name="UBND cấp huyện", group_size=8.0,
         unit_name="UBND huyện Khánh Vĩnh", raw_line=2),
    dict(year=2018, measure="rank", value=1, group_name="UBND cấp huyện", group_size=8.0,
         unit_name="UBND huyện Khánh Vĩnh", raw_line=2),
    dict(year=2023, measure="pct_of_max", value=77.5, group_name="Sở, ban, ngành", unit_name="SỞ NỘI VỤ",
         raw_line=3),
    dict(year=2023, measure="rank", value=6, group_name="Sở, ban, ngành", unit_name="Sở Nội vụ", raw_line=3),
]


def test_public_rows_match_the_analysts_units_and_lose_to_its_file(tmp_path):
    built = internal.build(FIXTURE / "internal", public_rows=_public(PUBLIC),
                           languages={"baokhanhhoa-2019": "vi"})
    scores = built["internal_scores"]
    early = one(scores, year=2018, unit_code="HU07", indicator="PAR", measure="pct_of_max")
    assert (early.value, early.is_official, early.group_code, early.source_id) == (91.31, False, "HUYEN",
                                                                                   "baokhanhhoa-2019")
    kept = one(scores, year=2023, unit_code="SO01", indicator="PAR", measure="pct_of_max")
    assert kept.value == 77.45 and kept.is_official
    conflict = one(built["internal_conflicts"], year=2023, unit_code="SO01")
    assert (conflict.value_kept, conflict.value_rejected, conflict.rule) == (77.45, 77.5, "official")
    assert conflict.sources_rejected == "baokhanhhoa-2019"
    assert built["internal_conflicts"].query("measure == 'rank'").empty  # the same rank is no conflict
    size = one(built["internal_group_sizes"], year=2018, group_code="HUYEN")
    assert (size.group_size, size.indicator) == (8, "PAR")
    coverage = one(built["internal_coverage"], year=2018, indicator="PAR", group_code="HUYEN")
    assert (coverage.units_known, coverage.group_size, coverage.is_complete) == (1, 8, False)
    assert len(built["internal_units"].query("unit_set == @SET")) == 44  # no unit added


def test_public_rows_alone_define_a_set(tmp_path):
    rows = [dict(row, unit_set="other-province") for row in PUBLIC[:2]]
    built = internal.build(tmp_path / "none", public_rows=_public(rows))
    unit = one(built["internal_units"], unit_set="other-province")
    assert (unit.unit_code, unit.group_code, unit.province_code, unit.name_vi, unit.name_en) == (
        "ubnd-huyen-khanh-vinh", "ubnd-cap-huyen", "56", "UBND huyện Khánh Vĩnh", "")
    assert one(built["internal_groups"], unit_set="other-province").name_vi == "UBND cấp huyện"
    assert len(built["internal_scores"]) == 2 and not built["internal_scores"]["is_official"].any()


def test_a_public_row_for_a_unit_in_force_later_names_its_row():
    row = dict(year=2025, measure="rank", value=1, group_name="x", unit_name="UBND huyện Khánh Vĩnh", raw_line=9)
    with pytest.raises(InputError) as caught:
        internal.build(FIXTURE / "internal", public_rows=_public([row]))
    assert "data/raw/public/internal_index.csv, row 9, column 'unit'" in str(caught.value)
    assert "the unit is not in force on 31/12/2025" in str(caught.value)


def test_public_record_units_outside_the_list_are_kept_for_their_years():
    """A unit the public record names for a past year and the analyst's list lacks (it no longer exists) is kept,
    flagged as the public record's, in force in the years published only; its group matched by name."""
    rows = [dict(year=2018, measure="pct_of_max", value=71.5, group_name="Sở, ban, ngành",
                 unit_name="Sở Kế hoạch Đã Sáp nhập", raw_line=9),
            dict(year=2020, measure="pct_of_max", value=72.5, group_name="Khối đã giải thể", unit_name="Ban Cũ",
                 raw_line=10)]
    built = internal.build(FIXTURE / "internal", public_rows=_public(rows))
    units = built["internal_units"].query("unit_set == @SET").set_index("unit_code")
    assert len(units) == 46 and units["is_public_only"].sum() == 2
    gone = units.loc["so-ke-hoach-da-sap-nhap"]
    assert (gone.group_code, gone.valid_from, gone.valid_to) == ("SO", "2018-01-01", "2018-12-31")
    assert units.loc["ban-cu", "group_code"] == "khoi-da-giai-the"
    assert one(built["internal_scores"], unit_code="ban-cu", measure="pct_of_max").value == 72.5
    assert not units.loc["SO01", "is_public_only"]
    # the analyst's years are untouched: 2024 still has its 44 units' ranks and its four groups' sizes
    sizes = built["internal_group_sizes"].query("year == 2024")
    assert sizes.set_index("group_code")["group_size"].to_dict() == {"HUYEN": 8, "NGANH-DOC": 6, "SO": 21,
                                                                    "SU-NGHIEP": 9}


# -- templates -----------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", ["csv", "xlsx"])
def test_the_templates_load(tmp_path, suffix):
    """The templates' example rows, under the names an analyst gives them, build the tables."""
    (tmp_path / "internal").mkdir()
    for kind, name in [("units", "units_SET"), ("results", "results_YYYY_SET"), ("criteria", "criteria_YYYY_SET")]:
        target = name.replace("SET", "tinh-mau").replace("YYYY", "2024")
        shutil.copyfile(TEMPLATES / f"{name}.{suffix}", tmp_path / "internal" / f"{target}.{suffix}")
    built = internal.build(tmp_path / "internal")
    assert len(built["internal_units"]) >= 2 and not built["internal_scores"].empty
    assert not built["internal_criteria"].empty and not built["internal_fields"].empty


# -- more mistakes than the corpus runs through the command line ---------------------------------------------------
BASE = paths.ROOT / "tests" / "bad_inputs" / "data" / "internal_total_not_sum_of_fields"
GOOD_RESULTS = ["SO01,Sở Nội vụ,SO,35,25,20,80,80,2", "SO02,Sở Tư pháp,SO,36,26,22,84,84,1",
                "SO03,Sở Tài chính,SO,30,20,20,70,70,3", "HU01,UBND thành phố Nha Trang,HUYEN,32,24,24,80,80,1",
                "HU02,UBND huyện Vạn Ninh,HUYEN,30,20,20,70,70,2"]


def _results(tmp_path: Path, rows: list[str], extra: str = "", units: bool = True, names_only: bool = False) -> Path:
    """The corpus's small results table with other rows (and a blank or a Ministry-field row 3 under the maxima)."""
    folder = tmp_path / "internal"
    folder.mkdir()
    if units:
        shutil.copyfile(BASE / "units_khanh-hoa_synthetic.csv", folder / "units_khanh-hoa_synthetic.csv")
    head = (BASE / "results_2024_khanh-hoa_synthetic.csv").read_text(encoding="utf-8").splitlines()[:2]
    if names_only:  # no code column: the names identify the units, and the maxima row is labelled in their column
        head = [head[0].split(",", 1)[1], head[1].replace("Điểm tối đa,,", "Điểm tối đa,")]
        rows = [row.split(",", 1)[1] for row in rows]
    (folder / "results_2024_khanh-hoa_synthetic.csv").write_text("\n".join([*head, extra, *rows]) + "\n",
                                                                 encoding="utf-8")
    return folder


@pytest.mark.parametrize("rows, extra, units, fragments", [
    ([*GOOD_RESULTS[:2], "SO03,Sở Tài chính,SO,30,20,20,70,70,1", *GOOD_RESULTS[3:]], "", True,
     ("row 6, column 'I (Xếp hạng trong khối)'; found 1; expected a rank that agrees",)),
    (["SO01,Sở Nội vụ,SO,35,25,20,80,70,2", *GOOD_RESULTS[1:]], "", True,
     ("row 4, column 'H (Chỉ số (%))'; found 70; expected 100 × total / 100",)),
    (GOOD_RESULTS, "Lĩnh vực của Bộ,,,1,9,,,,", True,
     ("a Ministry field could not be read — ", "row 3, column 'E'; found '9'")),
    (["SO01,Sở Tư pháp,SO,35,25,20,80,80,2", *GOOD_RESULTS[1:]], "", True,
     ("row 4, column 'B (Tên đơn vị)'; found \"Sở Tư pháp (the list's name of SO01: Sở Nội "
      "vụ)\"; expected the name units_khanh-hoa_synthetic.csv gives the row's unit code",)),
])
def test_other_mistakes_name_row_and_column(tmp_path, rows, extra, units, fragments):
    with pytest.raises(InputError) as caught:
        internal.build(_results(tmp_path, rows, extra, units))
    assert all(fragment in str(caught.value) for fragment in fragments), str(caught.value)


@pytest.mark.parametrize("rank", [2, 3, 1])
def test_a_rank_agrees_with_the_totals_of_its_group_and_ties_share_a_place(tmp_path, rank):
    """Sở Tài chính given Sở Nội vụ's 80 points: the two share places 2 and 3 of their group (either rank is right),
    place 1 belongs to Sở Tư pháp's 84; the districts rank on their own."""
    rows = [*GOOD_RESULTS[:2], f"SO03,Sở Tài chính,SO,35,25,20,80,80,{rank}", *GOOD_RESULTS[3:]]
    if rank == 1:
        with pytest.raises(InputError) as caught:
            internal.build(_results(tmp_path, rows))
        assert "row 6, column 'I (Xếp hạng trong khối)'; found 1; expected a rank that agrees" in str(caught.value)
        assert "row 4" not in str(caught.value) and "row 5" not in str(caught.value)
        return
    built = internal.build(_results(tmp_path, rows))
    assert one(built["internal_scores"], unit_code="SO03", indicator="PAR", measure="rank").value == rank


def test_a_unit_is_in_force_from_its_first_to_its_last_day():
    from parsipas.ingest.internal_units import UnitList

    frame = pd.DataFrame({"unit_code": ["OPEN", "FROM", "UNTIL"], "valid_from": [None, dt.date(2025, 7, 1), None],
                          "valid_to": [None, None, dt.date(2025, 6, 30)]})
    units = UnitList(None, frame)
    assert units.in_force(dt.date(2025, 6, 30)).to_dict() == {"OPEN": True, "FROM": False, "UNTIL": True}
    assert units.in_force(dt.date(2025, 7, 1)).to_dict() == {"OPEN": True, "FROM": True, "UNTIL": False}


def test_results_without_a_unit_list_keep_their_own_codes_and_groups(tmp_path):
    """The unit list is optional: a results file's codes (Mã đơn vị) and groups (Mã khối) define its units."""
    built = internal.build(_results(tmp_path, GOOD_RESULTS, units=False))
    units = built["internal_units"].set_index("unit_code")
    assert list(units.index) == ["HU01", "HU02", "SO01", "SO02", "SO03"]
    assert units.loc["SO02", "name_vi"] == "Sở Tư pháp" and units.loc["HU01", "group_code"] == "HUYEN"
    assert units.loc["SO02", "province_code"] == "56"  # the set is named after Khánh Hòa
    assert one(built["internal_scores"], unit_code="SO02", indicator="PAR", measure="rank").value == 1


def test_names_alone_identify_units_and_summary_rows_are_read_past(tmp_path):
    rows = [*GOOD_RESULTS, ",Tổng cộng,,163,115,106,384,,"]
    folder = _results(tmp_path, rows, "Lĩnh vực của Bộ,,LV1,PAR.F3,,,,", names_only=True)
    built = internal.build(folder)
    assert one(built["internal_scores"], unit_code="SO02", indicator="PAR", measure="rank").value == 1
    assert list(built["internal_fields"]["ministry_field"]) == ["PAR.F1", "PAR.F3", ""]
    assert built["internal_unused"]["reason"].str.contains("Tổng cộng").any()


# -- the analyst's percent against the public record ---------------------------------------------------------------
def _without_percent(source: Path, target: Path) -> None:
    """A results table with its 'Chỉ số (%)' column left out: the percent is then derived from the points."""
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    drop = rows[0].index("Chỉ số (%)")
    with target.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([row[:drop] + row[drop + 1:] for row in rows])


def test_the_analysts_derived_percent_beats_the_public_percent(tmp_path):
    """2018: the public record gives Sở Thông tin và Truyền thông 95.20 % and rank 1; an analyst's 2018 file without
    a percent column gives it 60.23 points of 100 and rank 21. The analyst's percent, derived from its points, is
    kept (rule 'official') and the published one is listed as a conflict, not shown beside the analyst's rank."""
    folder = tmp_path / "internal"
    shutil.copytree(FIXTURE / "internal", folder)
    _without_percent(FIXTURE / "internal" / "results_2024_khanh-hoa_synthetic.csv",
                     folder / "results_2018_khanh-hoa_synthetic.csv")
    built = internal.build(folder, public_rows=internal_public.load(paths.RAW / "public"))
    scores = built["internal_scores"]
    pct = one(scores, unit_set=SET, year=2018, unit_code="SO10", indicator="PAR", measure="pct_of_max")
    assert (pct.value, pct.is_official, pct.is_derived) == (60.23, True, True)
    assert pct.source_id == "internal:results_2018_khanh-hoa_synthetic.csv"
    assert one(scores, unit_set=SET, year=2018, unit_code="SO10", indicator="PAR", measure="rank").value == 21
    field = one(scores, unit_set=SET, year=2018, unit_code="SO10", indicator="1", measure="pct_of_max")
    assert field.is_derived and field.value == round(100 * 9.00 / 14, 4)
    conflicts = built["internal_conflicts"].query("year == 2018 and unit_code == 'SO10'").set_index("measure")
    assert (conflicts.loc["pct_of_max", "value_kept"], conflicts.loc["pct_of_max", "value_rejected"]) == (60.23, 95.2)
    assert conflicts.loc["pct_of_max", "rule"] == "official"
    assert conflicts.loc["pct_of_max", "sources_rejected"] == "baokhanhhoa-29616e"
    assert (conflicts.loc["rank", "value_kept"], conflicts.loc["rank", "value_rejected"]) == (21, 1)
    # every 2018 figure of a unit in the analyst's file is the analyst's
    filed = scores.query("unit_set == @SET and year == 2018 and indicator == 'PAR'")
    assert filed["is_official"].all()


def test_a_code_and_its_name_written_differently_agree(tmp_path):
    """Case, diacritics and punctuation aside (name_key), the name is the code's: the row is read."""
    rows = ["SO01,SỞ NỘI VỤ,SO,35,25,20,80,80,2", "SO02,So Tu phap.,SO,36,26,22,84,84,1", *GOOD_RESULTS[2:]]
    built = internal.build(_results(tmp_path, rows))
    assert one(built["internal_scores"], unit_code="SO02", indicator="PAR", measure="points").value == 84


def test_a_maximum_of_zero_is_refused_at_the_maxima_row(tmp_path):
    """A field declared out of 0 points (its scores 0 too) would divide by zero in its percent: refused."""
    rows = [row.split(",") for row in GOOD_RESULTS]
    rows = [",".join([*r[:5], "0", str(int(r[6]) - int(r[5])), str(int(r[7]) - int(r[5])), r[8]]) for r in rows]
    folder = _results(tmp_path, rows)
    target = folder / "results_2024_khanh-hoa_synthetic.csv"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("Điểm tối đa,,,40,30,30,100", "Điểm tối đa,,,40,30,0,70"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        internal.build(folder)
    assert ("row 2, column 'F (3. Chính quyền số)'; found 0; expected a maximum above zero"
            in str(caught.value))


def test_a_copy_and_its_original_count_as_one_source(monkeypatch):
    """Two public pages carrying one article (the same address in the registry) are one source: the value two
    independent pages state wins by the 'sources' step; without the addresses the copy would make it a tie."""
    rows = [dict(year=2018, measure="pct_of_max", value=value, group_name="UBND cấp huyện",
                 unit_name="UBND huyện Khánh Vĩnh", raw_line=line, source_id=source)
            for line, (source, value) in enumerate([("orig-1", 91.31), ("copy-1", 91.31), ("paper-a", 91.3),
                                                    ("paper-b", 91.3)], start=2)]
    pages = {"orig-1": "https://a.vn/x", "copy-1": "https://a.vn/x", "paper-a": "https://b.vn/y",
             "paper-b": "https://c.vn/z"}
    built = internal.build(FIXTURE / "internal", public_rows=_public(rows), pages=pages)
    conflict = one(built["internal_conflicts"], year=2018, unit_code="HU07")
    assert (conflict.value_kept, conflict.value_rejected, conflict.rule) == (91.3, 91.31, "sources")
    tie = one(internal.build(FIXTURE / "internal", public_rows=_public(rows))["internal_conflicts"], year=2018)
    assert (tie.value_kept, tie.rule) == (91.31, "precision")
    # clean.build gives internal.build the registry's addresses (there a copy cites its original's address)
    seen = {}
    real = internal.build

    def spy(*args, **kwargs):
        seen.update(kwargs.get("pages") or {})
        return real(*args, **kwargs)
    monkeypatch.setattr(internal, "build", spy)
    clean.build()
    assert seen["tintucnhatrang-380f26"] == seen["baokhanhhoa-f2d154"]


def test_a_unit_missing_from_the_results_leaves_its_group_incomplete(tmp_path):
    """The unit list is authoritative on a group's size: without Sở Thông tin và Truyền thông (SO10, last of the 21
    departments) the 2024 file covers 20 of 21, not 20 of 20; HUYEN counts its 8 districts in force in 2024."""
    folder = tmp_path / "internal"
    shutil.copytree(FIXTURE / "internal", folder)
    results = folder / "results_2024_khanh-hoa_synthetic.csv"
    lines = results.read_text(encoding="utf-8").splitlines(keepends=True)
    results.write_text("".join(line for line in lines if not line.startswith("SO10,")), encoding="utf-8")
    built = internal.build(folder)
    sizes = built["internal_group_sizes"].set_index(["unit_set", "year", "group_code"])
    assert sizes.loc[(SET, 2024, "SO"), "group_size"] == 21 and sizes.loc[(SET, 2024, "HUYEN"), "group_size"] == 8
    assert sizes.loc[(SET, 2024, "SO"), "source_id"] == "internal:units_khanh-hoa_synthetic.csv"
    for indicator in ["PAR", "1"]:
        coverage = one(built["internal_coverage"], unit_set=SET, year=2024, indicator=indicator, group_code="SO")
        assert (coverage.units_known, coverage.group_size, coverage.is_complete) == (20, 21, False)
    assert one(built["internal_coverage"], unit_set=SET, year=2024, indicator="PAR", group_code="HUYEN").is_complete


def test_unit_option_matches_names_as_the_files_do(tables):
    """--unit folds names as the analyst's files do (text.name_key): punctuation and spacing aside, so 'So Lao dong
    Thuong binh va Xa hoi' finds 'Sở Lao động - Thương binh và Xã hội'; one slug for folders and public codes."""
    from parsipas.core import text
    from parsipas.run import subjects

    units = subjects.valid_units(tables, SET, 2024)
    assert subjects._find_unit(units, "So Lao dong  Thuong binh va Xa hoi", SET, 2024) == "SO11"
    assert subjects._find_unit(units, "sở nội vụ.", SET, 2024) == "SO01"
    with pytest.raises(InputError, match="such as Sở Lao động - Thương binh và Xã hội"):
        subjects._find_unit(units, "lao dong thuong binh", SET, 2024)
    assert subjects.unit_folder("SO11", "Sở Lao động - Thương binh và Xã hội") == (
        "SO11-so-lao-dong-thuong-binh-va-xa-hoi")
    assert not hasattr(subjects, "slug") and text.slug("Sở Tư pháp") == "so-tu-phap"


def test_a_figure_the_public_record_repeats_stays_the_analysts(tmp_path):
    """2023: the public record's rank 6 of Sở Nội vụ is the analyst's too; the kept row is the analyst's file's (no
    conflict, and the figure is not credited to the newspaper)."""
    built = internal.build(FIXTURE / "internal", public_rows=_public(PUBLIC))
    rank = one(built["internal_scores"], year=2023, unit_code="SO01", indicator="PAR", measure="rank")
    assert (rank.value, rank.is_official, rank.source_id) == (6, True, "internal:results_2023_khanh-hoa_synthetic.csv")
    assert built["internal_conflicts"].query("measure == 'rank'").empty
