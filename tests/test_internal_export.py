"""A province's own index read as the province keeps it (issue 22): its export alone (no unit list), ranks computed
from the totals when the file has none, the public record beside the analyst's list, and every fault of the files at
once with its cause, rows and columns."""

from __future__ import annotations

import csv
import re
import shutil
from html import unescape
from pathlib import Path

import pandas as pd
import pytest

from parsipas import clean
from parsipas.analyse import internal_analysis as ia
from parsipas.clean import internal
from parsipas.core import paths
from parsipas.core.errors import InputError
from parsipas.core.text import slug
from parsipas.present import internal_report

EXPORT = paths.ROOT / "tests" / "fixtures" / "synthetic_export"
NAME = "results_2024_khanh-hoa-export_synthetic"
BAD = paths.ROOT / "tests" / "bad_inputs" / "data"
FIXTURE = paths.ROOT / "tests" / "fixtures" / "synthetic_internal" / "internal"


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _export_rows() -> tuple[list[str], list[str], list[list[str]]]:
    """The export's header, maxima row and unit rows, read from the CSV with the csv module alone."""
    with open(EXPORT / "csv" / "internal" / f"{NAME}.csv", encoding="utf-8-sig", newline="") as handle:
        cells = list(csv.reader(handle, delimiter=";"))
    header = cells[3]
    return header, cells[4], [row for row in cells[5:] if row[0].isdigit()]


@pytest.fixture(scope="module", params=["csv", "xlsx"])
def exported(request) -> dict[str, pd.DataFrame]:
    return internal.build(EXPORT / request.param / "internal")


def test_the_export_as_it_is_every_figure(exported):
    """No unit list: each unit's code is the slug of its name, its group the 'Nhóm' column's, each field's code the
    slug of its name; every point, total and rank of the file is in internal_scores as the file states it."""
    header, maxima, rows = _export_rows()
    field_names = header[3:-3]
    fields = exported["internal_fields"].set_index("field_code")
    assert list(fields.index) == [slug(name) for name in field_names]
    assert list(fields["max_points"]) == [_number(v) for v in maxima[3:-3]]
    units = exported["internal_units"].set_index("unit_code")
    assert len(units) == len(rows) == 44 and set(units["province_code"]) == {"56"}
    assert set(units["valid_from"]) == {"2024-01-01"} and set(units["valid_to"]) == {"2024-12-31"}
    groups = exported["internal_groups"].set_index("group_code")
    assert list(groups["name_vi"]) == ["Sở, ban, ngành", "UBND cấp huyện", "Cơ quan ngành dọc",
                                       "Đơn vị sự nghiệp thuộc UBND tỉnh"]
    scores = exported["internal_scores"].set_index(["unit_code", "indicator", "measure"])["value"]
    ranks = exported["internal_scores"].query("measure == 'rank'")
    assert not ranks["is_derived"].any()  # the file states its ranks
    checked = 0
    for row in rows:
        code = slug(row[1])
        assert units.loc[code, "name_vi"] == row[1] and units.loc[code, "group_code"] == slug(row[2])
        for name, text in zip(field_names, row[3:-3]):
            assert scores[(code, slug(name), "points")] == _number(text)
            checked += 1
        assert scores[(code, "PAR", "points")] == _number(row[-3])
        assert scores[(code, "PAR", "rank")] == int(row[-2])
        assert scores[(code, "PAR", "pct_of_max")] == round(_number(row[-3]), 4)  # the maximum total is 100
    assert checked == 44 * 7
    assert scores[("so-tu-phap", "PAR", "rank")] == scores[("so-ke-hoach-va-dau-tu", "PAR", "rank")]  # a tie
    note = exported["internal_unused"]
    assert len(note) == 1 and note["reason"].iloc[0] == "row without a key"  # the note under the table, listed


def _ranking(tmp_path: Path, rows: list[str]) -> Path:
    folder = tmp_path / "internal"
    folder.mkdir()
    (folder / "results_2024_khanh-hoa-own_synthetic.csv").write_text("\n".join([
        "STT;Đơn vị;Khối;Chỉ đạo điều hành;Thủ tục hành chính;Tổng điểm",
        "Điểm tối đa;;;60;40;100", *rows]) + "\n", encoding="utf-8")
    return folder


def test_a_ranking_with_no_ranks_and_no_unit_list_gets_ranks_from_its_totals(tmp_path):
    built = internal.build(_ranking(tmp_path, [
        "1;Sở Nội vụ;Sở;50;40;90", "2;Sở Tư pháp;Sở;45;35;80", "3;Sở Tài chính;Sở;50;30;80",
        "4;Sở Y tế;Sở;40;30;70", "5;UBND huyện Vạn Ninh;Huyện;40,5;29,5;70"]))
    ranks = built["internal_scores"].query("measure == 'rank'").set_index("unit_code")
    assert ranks.loc[["so-noi-vu", "so-tu-phap", "so-tai-chinh", "so-y-te", "ubnd-huyen-van-ninh"],
                     "value"].tolist() == [1, 2, 2, 4, 1]
    assert ranks["is_derived"].all()  # flagged as computed
    assert not built["internal_scores"].query("measure == 'points'")["is_derived"].any()
    assert built["internal_group_sizes"].set_index("group_code")["group_size"].to_dict() == {"so": 4, "huyen": 1}


def test_a_unit_list_beside_the_shipped_public_record(tmp_path):
    """Today's list lacks units the public record names for past years (a department merged since, a district
    committee abolished): they are kept for their years, flagged; no stop."""
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW / "public", raw / "public")
    (raw / "internal").mkdir()
    (raw / "internal" / "units_khanh-hoa_synthetic.csv").write_text("\n".join([
        "Mã đơn vị,Tên đơn vị,Mã khối,Khối,Tỉnh",
        "SO02,Sở Tư pháp,SO,\"Sở, ban, ngành\",Khánh Hòa", "SO04,Sở Tài chính,SO,\"Sở, ban, ngành\",Khánh Hòa",
        "ND01,Công an tỉnh,NGANH-DOC,Cơ quan ngành dọc,Khánh Hòa"]) + "\n", encoding="utf-8")
    tables = clean.build(raw)
    units = tables["internal_units"].query("unit_set == 'khanh-hoa'").set_index("unit_code")
    assert not units.loc[["SO02", "SO04", "ND01"], "is_public_only"].any()
    gone = units.loc["so-thong-tin-va-truyen-thong"]
    assert gone.is_public_only and (gone.valid_from, gone.valid_to) == ("2018-01-01", "2018-12-31")
    assert gone.raw_file == "public/internal_index.csv"
    district = units.loc["ubnd-huyen-khanh-vinh"]
    assert (district.valid_from, district.valid_to) == ("2018-01-01", "2020-12-31")
    police = tables["internal_scores"].query("unit_code == 'ND01' and year == 2018 and measure == 'pct_of_max'")
    assert police["value"].tolist() == [84.0] and police["group_code"].tolist() == ["NGANH-DOC"]


# -- faults: cause first, every row -----------------------------------------------------------------------------------
def _faults(case: str) -> str:
    with pytest.raises(InputError) as caught:
        internal.build(BAD / case)
    return str(caught.value)


@pytest.mark.parametrize("case, lines", [
    ("internal_export_duplicate_unit", [
        "a unit is listed twice — ", ", row 7, column 'B (Cơ quan, đơn vị)'; found 'Sở Tư pháp'; expected each unit "
        "on one row only (also on row 5)"]),
    ("internal_missing_field_column", [
        "a field column is missing, perhaps 'Thủ tục hành chính' (30 points in results_2023): the fields' maxima add "
        "up to 70, the total's is 100 — ", "results_2024_khanh-hoa_synthetic.csv, row 2, column 'F (Tổng điểm)'; "
        "found 'Mã đơn vị | Tên đơn vị | Mã khối | 1. Chỉ đạo điều hành | 3. Chính quyền số | Tổng điểm'"]),
    ("internal_unknown_column", [
        "a column that is neither a field nor a known column", ", row 1, column 'G (Người chấm)'; found 'Người chấm'"]),
    ("internal_misspelt_name_without_code", [
        "a unit name that matches no unit of the unit list (misspelt, or a unit to add); did you mean 'Sở Tư pháp'? — ",
        ", row 4, column 'B (Tên đơn vị)'; found 'Sở Tư phám'"]),
])
def test_a_fault_names_its_cause_and_rows(case, lines):
    message = _faults(case)
    assert all(line in message for line in lines), message


def test_every_fault_of_a_file_at_once(tmp_path):
    message = _faults("internal_many_faults")
    assert message.startswith("4 faults in 1 file(s):"), message
    for expected in ["row 3, column 'D (1. Chỉ đạo điều hành)'; found 45; expected at most the field's maximum 40",
                     "row 4, column 'G (Tổng điểm)'; found 80; expected the sum of the fields",
                     "did you mean 'Sở Tài chính'? — ", "row 5, column 'B (Tên đơn vị)'; found 'Sở Tài chánh'",
                     "a row with figures but no unit: it would be left out of the ranking — ",
                     "row 7, column 'B (Tên đơn vị)'; found '30 | 20 | 20 | 70'"]:
        assert expected in message, message
    assert "a rank that agrees" not in message  # a wrong total is the cause: the ranks are not blamed


def test_inconsistent_ranks_list_every_unit():
    message = _faults("internal_ranks_inconsistent_all")
    for row, rank in [(3, 3), (4, 2), (5, 1), (6, 2), (7, 1)]:
        assert (f"row {row}, column 'H (Xếp hạng trong khối)'; found {rank}; expected a rank that agrees with the "
                "totals") in message, message


def test_every_file_s_faults_in_one_run(tmp_path):
    folder = tmp_path / "internal"
    shutil.copytree(BAD / "internal_many_faults", folder)
    shutil.copyfile(BAD / "internal_unknown_column" / "results_2024_khanh-hoa-export_synthetic.csv",
                    folder / "results_2024_khanh-hoa-export_synthetic.csv")
    (folder / "scores.csv").write_text("x\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        internal.build(folder)
    message = str(caught.value)
    assert message.startswith("6 faults in 3 file(s):"), message
    assert "column 'file name'; found 'scores.csv'" in message and "found 'Người chấm'" in message


@pytest.mark.parametrize("lang, words", [
    ("vi", "Bảng kết quả không có cột xếp hạng, nên hạng trong khối được tính từ tổng điểm (đơn vị bằng điểm cùng "
           "hạng: 1, 2, 2, 4) — 2024: Sở, Huyện."),
    ("en", "The results file has no rank column, so the ranks within the group are computed from the totals (equal "
           "totals share a rank: 1, 2, 2, 4) — 2024: Sở, Huyện."),
])
def test_the_report_says_where_ranks_were_computed(tmp_path, lang, words):
    folder = _ranking(tmp_path, ["1;Sở Nội vụ;Sở;50;40;90", "2;Sở Tư pháp;Sở;45;35;80",
                                 "3;UBND huyện Vạn Ninh;Huyện;40;30;70"])
    tables = clean.build(folder.parent)
    data = internal_report.prepare(tables, "khanh-hoa-own", 2024, None, lang, produced="2026-12-03")
    text = re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", internal_report.section("method", data))))
    assert words in text, text
    stated = internal.build(EXPORT / "csv" / "internal")  # a file with ranks: nothing said
    assert not ia.coverage(stated, "khanh-hoa-export", [2024])["rank_computed"].any()


def test_past_names_and_english_headers(tmp_path):
    """A unit list's past names (Tên cũ) identify a unit in a results file and in the public record; English headers
    of the export are read from data (official_headers.csv)."""
    folder = tmp_path / "internal"
    folder.mkdir()
    (folder / "units_khanh-hoa_synthetic.csv").write_text("\n".join([
        "Mã đơn vị,Tên đơn vị,Mã khối,Khối,Tỉnh,Tên cũ",
        "SO01,Sở Nội vụ,SO,\"Sở, ban, ngành\",Khánh Hòa,",
        "SO09,Sở Khoa học và Công nghệ,SO,\"Sở, ban, ngành\",Khánh Hòa,Sở Thông tin và Truyền thông; Sở KH-CN"]) + "\n",
        encoding="utf-8")
    (folder / "results_2024_khanh-hoa_synthetic.csv").write_text("\n".join([
        "No.,Agency,Group,Institutions,Procedures,Total points,Rank,Notes",
        "Maximum,,,60,40,100,,", "1,Sở Nội vụ,\"Sở, ban, ngành\",50,30,80,2,",
        "2,Sở Thông tin và Truyền thông,SO,55,30,85,1,renamed"]) + "\n", encoding="utf-8")
    public = pd.DataFrame([dict(year=2018, unit_set="khanh-hoa", province_code="56", indicator="PAR",
                                measure="pct_of_max", value=95.2, group_name="sở, ban, ngành (khối sở)",
                                group_size=21.0, unit_name="Sở Thông tin và Truyền thông", source_id="baokhanhhoa-1",
                                raw_file="public/internal_index.csv", raw_line=6)], columns=internal.PUBLIC_COLUMNS)
    built = internal.build(folder, public_rows=public)
    scores = built["internal_scores"].set_index(["unit_code", "year", "measure"])["value"]
    assert scores[("SO09", 2024, "rank")] == 1 and scores[("SO01", 2024, "rank")] == 2
    assert scores[("SO09", 2018, "pct_of_max")] == 95.2
    assert list(built["internal_fields"]["field_code"]) == ["institutions", "procedures"]
    assert not built["internal_units"]["is_public_only"].any()


def test_a_unit_list_s_faults_all_at_once(tmp_path):
    folder = tmp_path / "internal"
    folder.mkdir()
    (folder / "units_khanh-hoa_synthetic.csv").write_text("\n".join([
        "Mã đơn vị,Tên đơn vị,Mã khối,Khối,Tỉnh", "SO01,Sở Nội vụ,SO,Sở,Khánh Hòa", "SO02,Sở Tư pháp,,Sở,Khánh Hòa",
        "SO01,Sở Nội vụ,SO,Sở,Khánh Hòa"]) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        internal.build(folder)
    message = str(caught.value)
    assert message.startswith("2 faults in 1 file(s):"), message
    assert "row 3, column 'C (Mã khối)'" in message and "expected a group code on every row" in message
    assert "row 4, column 'A (Mã đơn vị)'; found 'SO01'; expected each unit on one row only (also on row 2)" in message
