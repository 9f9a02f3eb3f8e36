"""The published pieces of provinces' own indices of their units, read as figures (parsipas.ingest.internal_public):
Khánh Hòa's first 15 rows, then Hải Phòng, Tuyên Quang, Khánh Hòa and Hòa Bình from the December 2026 additions."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from parsipas.core.errors import InputError
from parsipas.ingest import internal_public

ROOT = Path(__file__).resolve().parents[1]
PUBLIC = ROOT / "data/raw/public"


@pytest.fixture(scope="module")
def figures() -> pd.DataFrame:
    return internal_public.load(PUBLIC)


def _figure(figures: pd.DataFrame, year: int, unit: str, measure: str) -> pd.Series:
    found = figures[(figures.year == year) & (figures.unit_name == unit) & (figures.measure == measure)]
    assert len(found) <= 1
    return found.value


# Every figure of the 15 published rows: (year, indicator, group, group size, unit, score in %, rank).
PUBLISHED = [
    (2018, "PAR", "UBND cấp huyện", 8, "UBND huyện Khánh Vĩnh", 91.31, 1),
    (2018, "PAR", "UBND cấp huyện", 8, "UBND huyện Vạn Ninh", 77.15, 8),
    (2018, "PAR", "cơ quan ngành dọc", 6, "Ngân hàng Nhà nước chi nhánh tỉnh", 91.49, 1),
    (2018, "PAR", "cơ quan ngành dọc", 6, "Công an tỉnh", 84.00, None),
    (2018, "PAR", "sở, ban, ngành (khối sở)", 21, "Sở Thông tin và Truyền thông", 95.20, 1),
    (2018, "PAR", "sở, ban, ngành (khối sở)", 21, "Sở Giáo dục và Đào tạo", 75.71, 21),
    (2018, "PAR", "đơn vị sự nghiệp thuộc UBND tỉnh", 9, "Ban Quản lý dự án phát triển tỉnh", 94.59, 1),
    (2018, "PAR", "đơn vị sự nghiệp thuộc UBND tỉnh", 9, "Trường Đại học Khánh Hòa", 65.32, 9),
    (2020, "PAR", "UBND cấp huyện", None, "UBND huyện Khánh Vĩnh", 91.04, 1),
    (2020, "PAR", "cơ quan ngành dọc", None, "Ngân hàng Nhà nước chi nhánh tỉnh", 96.43, 1),
    (2020, "PAR", "sở, ban, ngành (khối sở)", None, "Thanh tra tỉnh", 96.86, 1),
    (2020, "PAR", "đơn vị sự nghiệp thuộc UBND tỉnh", None, "Ban Quản lý dự án phát triển tỉnh", 94.0, 1),
    (2025, "SIPAS", "cơ quan ngành dọc", 3, "Công an tỉnh", 87.33, 1),
    (2025, "SIPAS", "sở, cơ quan thuộc UBND tỉnh", 12, "Sở Tư pháp", 94.99, 1),
    (2025, "SIPAS", "sở, cơ quan thuộc UBND tỉnh", 12, "Sở Tài chính", 84.91, 12),
]


def test_the_fifteen_published_rows_give_exactly_their_figures(figures):
    figures = figures[figures.raw_line <= len(PUBLISHED) + 1]
    expected = []
    for line, (year, indicator, group, size, unit, pct, rank) in enumerate(PUBLISHED, start=2):
        for measure, value in (("pct_of_max", pct), ("rank", rank)):
            if value is not None:
                expected.append((year, indicator, group, float(size) if size else None, unit, measure, float(value),
                                 line))
    got = [(r.year, r.indicator, r.group_name, None if pd.isna(r.group_size) else r.group_size, r.unit_name,
            r.measure, r.value, r.raw_line) for r in figures.itertuples()]
    assert got == expected
    assert set(figures.unit_set) == {"khanh-hoa"} and set(figures.province_code) == {"56"}
    assert set(figures.raw_file) == {"public/internal_index.csv"}
    assert list(figures.columns) == internal_public.COLUMNS


def test_named_examples_of_the_brief(figures):
    it = figures[(figures.year == 2018) & (figures.unit_name == "Sở Thông tin và Truyền thông")]
    assert dict(zip(it.measure, it.value)) == {"pct_of_max": 95.20, "rank": 1.0} and set(it.group_size) == {21.0}
    # The page rates Công an tỉnh the only "khá" unit of its group but states no rank: none is invented.
    assert _figure(figures, 2018, "Công an tỉnh", "pct_of_max").tolist() == [84.0]
    assert _figure(figures, 2018, "Công an tỉnh", "rank").empty
    khanh_hoa = figures[figures.unit_set == "khanh-hoa"]
    finance = khanh_hoa[(khanh_hoa.year == 2025) & (khanh_hoa.unit_name == "Sở Tài chính")]
    assert dict(zip(finance.measure, finance.value)) == {"pct_of_max": 84.91, "rank": 12.0}
    assert set(finance.indicator) == {"SIPAS"} and set(finance.group_size) == {12.0}
    assert figures[figures.year == 2020].group_size.isna().all()


def test_every_source_id_is_registered(figures):
    registry = {row["source_id"]: row for row in csv.DictReader(open(PUBLIC / "sources.csv", encoding="utf-8"))}
    khanh_hoa = figures[figures.unit_set == "khanh-hoa"]
    assert set(khanh_hoa.source_id) == {"baokhanhhoa-29616e", "baokhanhhoa-6b9816", "tienphong-3a5cb3"}
    assert {registry[s]["publisher"] for s in set(khanh_hoa.source_id)} == {"Báo Khánh Hòa", "Báo Tiền Phong"}
    assert set(figures.source_id) <= set(registry)


def test_flags_say_how_each_rank_was_read():
    rows = list(csv.DictReader(open(PUBLIC / "internal_index.csv", encoding="utf-8")))[:len(PUBLISHED)]
    flags = {(row["year"], row["unit"]): row["flags"].split(";") for row in rows}
    assert flags[("2018", "Công an tỉnh")] == ["rank_not_stated"]
    assert flags[("2018", "Trường Đại học Khánh Hòa")] == ["rank_from_wording_last"]
    assert flags[("2025", "Sở Tài chính")] == ["rank_from_wording_last"]
    assert "group_size_is_units_assessed" in flags[("2025", "Công an tỉnh")]
    assert all("rank_from_wording_first" in flags[(row["year"], row["unit"])] for row in rows if row["rank"] == "1")


def test_a_missing_file_gives_an_empty_frame_with_the_columns(tmp_path):
    empty = internal_public.load(tmp_path)
    assert empty.empty and list(empty.columns) == internal_public.COLUMNS
    assert empty.dtypes.equals(internal_public.load(PUBLIC).dtypes)


def _edited(tmp_path: Path, line: int, column: str, value: str) -> Path:
    """A copy of the public file with one cell changed (line as counted in the file, header = 1)."""
    target = tmp_path / "public"
    target.mkdir()
    shutil.copy(PUBLIC / "internal_index.csv", target)
    rows = list(csv.reader(open(target / "internal_index.csv", encoding="utf-8")))
    rows[line - 1][rows[0].index(column)] = value
    with open(target / "internal_index.csv", "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return target


@pytest.mark.parametrize("line, column, value, fragment", [
    (6, "rank", "22", "from 1 to the group's stated size"),
    (6, "score_pct", "105.2", "between 0 and 100"),
    (7, "score_pct", "75,7x", "could not be read as a number"),
    (15, "indicator", "PCI", "isin"),
    (2, "province", "Khánh Hoà x", "unknown province"),
    (3, "year", "20I8", "a year must be a whole number"),
    (8, "rank", "1.5", "whole number"),
    (3, "group_size", "0", "a group size is a whole number from 1"),
])
def test_bad_input_names_file_row_and_column(tmp_path, line, column, value, fragment):
    with pytest.raises(InputError) as caught:
        internal_public.load(_edited(tmp_path, line, column, value))
    message = str(caught.value)
    assert f"internal_index.csv, row {line}, column '{column}'" in message and fragment in message


def test_a_row_without_a_figure_is_set_aside_with_its_reason(tmp_path):
    public = _edited(tmp_path, 5, "score_pct", "")
    read = internal_public.read(public)
    assert 5 not in set(read.figures.raw_line) and len(read.figures) == len(internal_public.load(PUBLIC)) - 1
    assert read.unused[read.unused.raw_line == 5].reason.tolist() == ["no figure stated (the unit is named only)"]


def test_each_province_is_its_own_unit_set(figures):
    sets = figures.groupby("unit_set")["province_code"].unique().map(list).to_dict()
    assert sets == {"hai-phong": ["31"], "hoa-binh": ["17"], "khanh-hoa": ["56"], "tuyen-quang": ["08"]}
    hai_phong = figures[(figures.unit_set == "hai-phong") & (figures.year == 2025)]
    assert set(hai_phong.group_name) == {"sở, ban, ngành", "UBND phường", "UBND xã, đặc khu"}
    assert dict(hai_phong.groupby("group_name")["group_size"].max()) == {
        "sở, ban, ngành": 14.0, "UBND phường": 45.0, "UBND xã, đặc khu": 68.0}
    last_ward = hai_phong[hai_phong.unit_name == "phường Bắc An Phụ"]
    assert dict(zip(last_ward.measure, last_ward.value)) == {"pct_of_max": 76.26, "rank": 45.0}
    # Ranked 4th and 5th with no score on the page: the rank only, no score is filled in.
    fourth = hai_phong[(hai_phong.unit_name == "phường Ngô Quyền")]
    assert dict(zip(fourth.measure, fourth.value)) == {"rank": 4.0}
    justice = figures[(figures.unit_set == "tuyen-quang") & (figures.year == 2022)]
    assert dict(zip(justice.unit_name + " " + justice.measure, justice.value))["Sở Tư pháp pct_of_max"] == 94.49


def test_group_averages_and_criteria_are_set_aside_not_read_as_units():
    read = internal_public.read(PUBLIC)
    rows = list(csv.DictReader(open(PUBLIC / "internal_index.csv", encoding="utf-8")))
    averages = [line for line, row in enumerate(rows, start=2) if "group_average" in row["flags"]]
    criteria = [line for line, row in enumerate(rows, start=2) if row["criterion"]]
    assert len(averages) == 6 and len(criteria) == 4
    reasons = dict(zip(read.unused.raw_line, read.unused.reason))
    assert all("a group's average" in reasons[line] for line in averages)
    assert all("one criterion of the unit's survey" in reasons[line] for line in criteria)
    assert not set(read.figures.raw_line) & set(averages + criteria)
    assert not read.figures.unit_name.str.startswith("(").any()


def test_a_missing_column_is_named(tmp_path):
    target = tmp_path / "public"
    target.mkdir()
    text = (PUBLIC / "internal_index.csv").read_text(encoding="utf-8").replace(",group_size,", ",size,", 1)
    (target / "internal_index.csv").write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"row 1, column 'group_size'"):
        internal_public.load(target)


@pytest.mark.slow
def test_hai_phongs_published_2025_ranking_renders_with_its_gaps(tmp_path):
    """The public record alone makes the hai-phong overview: the published units and ranks, the rest shown as gaps."""
    from conftest import run_pipeline

    result = run_pipeline("--unit-set", "hai-phong", "--year", "2025", "--formats", "html",
                          "--out", str(tmp_path / "reports"), "--processed", str(tmp_path / "processed"))
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "reports/2025/internal/hai-phong/overview/vi/report.html").read_text(encoding="utf-8")
    for shown in ("Thanh tra thành phố", "94,71", "1/14", "phường Bắc An Phụ", "45/45", "xã Vĩnh Am", "68/68",
                  "6/14 đơn vị", "chưa có số liệu", "thoibaotaichinhvietnam.vn"):
        assert shown in html, shown
    assert "(trung bình" not in html  # a group's average is not a unit
