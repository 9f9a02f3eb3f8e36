"""Official tables (data/raw/official/): the synthetic complete fixture, precedence, pasted forms, bad input."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from parsipas import clean
from parsipas.core import paths
from parsipas.core.errors import InputError
from parsipas.ingest import official
from parsipas.ingest.reference import read_commented_csv

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic_complete"
FIELDS = [f"PAR.F{k}" for k in range(1, 9)]


@pytest.fixture(scope="module")
def synthetic():
    return clean.build(FIXTURE)


def _xlsx_row(path: Path, province: str) -> list:
    """The row of one province read straight from the workbook, independently of the package's reader."""
    sheet = openpyxl.load_workbook(path).active
    return next([c.value for c in row] for row in sheet.iter_rows() if row[1].value == province)


def _values(frame: pd.DataFrame, year: int, province: str, measure: str) -> dict[str, float]:
    rows = frame[(frame.year == year) & (frame.province_code == province) & (frame.measure == measure)]
    return dict(zip(rows.indicator, rows.value))


@pytest.mark.parametrize("year", [2021, 2022])
def test_synthetic_complete_par_table_flows_through(synthetic, year):
    par = synthetic["par_scores"]
    points = par[(par.year == year) & par.indicator.isin(FIELDS) & (par.measure == "points") & par.is_official]
    assert points.groupby("indicator").province_code.nunique().eq(63).all() and len(points) == 63 * 8
    row = _xlsx_row(FIXTURE / "official" / f"par_{year}_synthetic.xlsx", "Khánh Hòa")
    known = _values(par, year, "56", "points")
    assert [known[f] for f in FIELDS] == row[2:10]
    assert known["PAR"] == row[10] and _values(par, year, "56", "rank")["PAR"] == row[11]
    coverage = synthetic["coverage"].set_index(["year", "indicator", "measure"])
    assert coverage.loc[(year, "PAR", "rank"), "is_complete"]


def test_stated_maxima_are_kept_and_used_for_percent_of_maximum(synthetic):
    maxima = synthetic["maxima"].set_index(["year", "indicator"])
    assert maxima.loc[(2022, "PAR.F1"), "max_points"] == 9  # the fixture's own maximum row
    assert maxima.loc[(2022, "PAR.F2"), "source_id"] == "snv-e142c9"  # published maximum kept with its source
    par = synthetic["par_scores"]
    f1 = par[(par.year == 2022) & (par.province_code == "56") & (par.indicator == "PAR.F1")].set_index("measure")
    assert f1.loc["pct_of_max", "value"] == pytest.approx(100 * f1.loc["points", "value"] / 9, abs=1e-4)
    assert f1.loc["pct_of_max", "is_derived"]


def test_tied_totals_share_a_rank(synthetic):
    par = synthetic["par_scores"]
    ranks = par[(par.indicator == "PAR") & (par.measure == "rank") & par.province_code.isin(["01", "79"])]
    assert ranks.groupby("year").value.nunique().eq(1).all()


def test_sipas_table_with_semicolons_and_decimal_commas(synthetic):
    sipas = synthetic["sipas_scores"]
    values = _values(sipas, 2022, "56", "percent")
    line = next(row for row in (FIXTURE / "official" / "sipas_2022_synthetic.csv").read_text("utf-8-sig").splitlines()
                if ";Khánh Hòa;" in row).split(";")
    assert values["SIPAS"] == float(line[2].rstrip("%").replace(",", "."))
    assert values["SIPAS.E5"] == float(line[8].rstrip("%").replace(",", "."))


def test_scorecard_flows_into_criteria_and_scores(synthetic):
    criteria = synthetic["criteria"]
    assert set(criteria.level) == {1, 2, 3} and (criteria.province_code == "56").all()
    sheet = openpyxl.load_workbook(FIXTURE / "official" / "scorecard_2022_khanh-hoa_synthetic.xlsx").active
    cells = {row[0].value: [c.value for c in row] for row in sheet.iter_rows(min_row=2)}
    par = synthetic["par_scores"]
    assert _values(par, 2022, "56", "points")["PAR.F3.1"] == cells["3.1"][4]
    assert _values(par, 2022, "56", "self_assessed")["PAR.F3.1.2"] == cells["3.1.2"][3]
    assert criteria.set_index("indicator").loc["PAR.F3.1", "max_points"] == cells["3.1"][2]


AS_EXPORTED = Path(__file__).parent / "fixtures" / "scorecard_as_exported"


def test_scorecard_as_exported_has_a_name_for_every_row():
    """Codes under STT, names under 'Lĩnh vực/Tiêu chí/Tiêu chí thành phần', field rows without a name."""
    path = AS_EXPORTED / "official" / "scorecard_2022_khanh-hoa_synthetic.xlsx"
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(path).active.iter_rows(min_row=3)]
    criteria = clean.build(AS_EXPORTED)["criteria"].set_index("code")
    assert len(criteria) == len(rows) and criteria["name_vi"].str.strip().ne("").all()
    crosswalk = read_commented_csv(paths.REFERENCE / "field_crosswalk.csv").query("decision == '876/QĐ-BNV'")
    for code, name, maximum, *_ in rows:
        written = criteria.loc[code.rstrip(".")]
        assert written["max_points"] == maximum
        if code.endswith("."):  # a field's row: no name in the file, the 2022 decision's name instead
            assert name is None
            assert written["name_vi"] == crosswalk.set_index("field_number").loc[code.rstrip("."), "name_vi"]
        else:
            assert written["name_vi"] == name


NAME_HEADERS = ["Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Lĩnh vực, tiêu chí, tiêu chí thành phần",
                "Tên lĩnh vực/tiêu chí", "Nội dung", "Linh vuc/Tieu chi/Tieu chi thanh phan"]


@pytest.mark.parametrize("header", NAME_HEADERS)
def test_scorecard_name_header_variants_and_dotted_codes_under_stt(tmp_path, header):
    table = (f"STT,\"{header}\",Điểm tối đa,Điểm thẩm định\n3.,Cải cách TTHC,13,11\n"
             "3.1,3.1. Công khai TTHC,6,5\n3.2.,Một cửa,7,6\n")
    raw = _raw_with(tmp_path, {"scorecard_2022_khanh-hoa_synthetic.csv": table.encode()}, public=False)
    criteria = clean.build(raw)["criteria"]
    assert dict(zip(criteria.code, criteria.name_vi)) == {"3": "Cải cách TTHC", "3.1": "Công khai TTHC",
                                                          "3.2": "Một cửa"}


def _raw_with(tmp_path: Path, files: dict[str, bytes], public: bool) -> Path:
    raw = tmp_path / "raw"
    if public:
        shutil.copytree(paths.RAW, raw)
    (raw / "official").mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        (raw / "official" / name).write_bytes(content)
    return raw


def test_official_figure_wins_over_the_public_record(tmp_path):
    raw = _raw_with(tmp_path, {"par_2022_synthetic.csv": "Tỉnh,Tổng điểm\nKhánh Hòa,86.5\n".encode()}, public=True)
    tables = clean.build(raw)
    keyed = tables["par_scores"].set_index(["year", "province_code", "indicator", "measure"])
    row = keyed.loc[(2022, "56", "PAR", "points")]
    assert row.value == 86.5 and row.is_official and row.source_id == "official:par_2022_synthetic.csv"
    conflict = tables["conflicts"][(tables["conflicts"].area_code == "56") & (tables["conflicts"].indicator == "PAR")
                                   & (tables["conflicts"].year == 2022)].iloc[0]
    assert (conflict.value_kept, conflict.value_rejected, conflict.rule) == (86.5, 86.19, "official")


EXPECTED = {"PAR.F1": 8.5, "PAR.F2": 9.0, "PAR.F3": 12.25, "PAR.F4": 9.0, "PAR.F5": 11.0, "PAR.F6": 8.0,
            "PAR.F7": 11.0, "PAR.F8": 17.44, "PAR": 86.19}
PASTED = {
    "english": "Province,F1,F2,F3,F4,F5,F6,F7,F8,Total,Rank\nKhanh Hoa,8.5,9,12.25,9,11,8,11,17.44,86.19,25\n",
    "no_diacritics_stt": "STT,Tinh/Thanh pho,Linh vuc 1,Linh vuc 2,Linh vuc 3,Linh vuc 4,Linh vuc 5,Linh vuc 6,"
                         "Linh vuc 7,Linh vuc 8,Tong diem,Xep hang\n1,KHÁNH HÒA,8.5,9,12.25,9,11,8,11,17.44,86.19,25\n",
    "semicolons_decimal_commas_title_blank_rows":
        "BẢNG KẾT QUẢ CHỈ SỐ CCHC NĂM 2022;;;;;;;;;;\n;;;;;;;;;;\n"
        "Tỉnh;LV1;LV2;LV3;LV4;LV5;LV6;LV7;LV8;Tổng điểm;Xếp hạng\n"
        "Khánh Hoà; 8,5 ;\"9\";12,25;9;11;8;11;17,44;86,19;25\n;;;;;;;;;;\n;;;;;;;;;;\n",
    "two_row_header_and_column_numbers":
        "STT,Tỉnh,Lĩnh vực,,,,,,,,Tổng điểm,Xếp hạng\n,,1,2,3,4,5,6,7,8,,\n"
        "(1),(2),(3),(4),(5),(6),(7),(8),(9),(10),(11),(12)\n"
        "1,Tỉnh Khánh Hòa,8.5,9,12.25,9,11,8,11,17.44,86.19,25\n",
    "field_names_and_index_percent":
        "Tỉnh,\"1. Công tác chỉ đạo, điều hành cải cách hành chính\",2. Cải cách thể chế,"
        "3. Cải cách thủ tục hành chính,"
        "4. Cải cách tổ chức bộ máy hành chính,5. Cải cách chế độ công vụ,6. Cải cách tài chính công,"
        "\"7. Xây dựng và phát triển chính quyền điện tử, chính quyền số\",8. Tác động của cải cách hành chính,"
        "Chỉ số PAR INDEX (%)\nKhánh Hòa,8.5,9,12.25,9,11,8,11,17.44,86.19%\n",
}


@pytest.mark.parametrize("form", sorted(PASTED))
def test_forms_pasted_from_excel_read_alike(tmp_path, form):
    raw = _raw_with(tmp_path, {"par_2022_synthetic.csv": PASTED[form].encode("utf-8-sig")}, public=False)
    assert _values(clean.build(raw)["par_scores"], 2022, "56", "points") == EXPECTED


@pytest.mark.parametrize("unpublished", ["", "chưa công bố", "Chua cong bo"])
def test_a_field_kept_as_a_column_of_blanks_or_chua_cong_bo_is_unpublished(tmp_path, unpublished):
    table = (f"Tỉnh,LV1,LV2,LV3,LV4,LV5,LV6,LV7,LV8,Tổng điểm\nKhánh Hòa,8.5,9,12.25,9,{unpublished},8,11,17.44,86.19\n"
             f"Ninh Thuận,8,9,12,9,{unpublished},8,11,16,83\n")
    raw = _raw_with(tmp_path, {"par_2022_synthetic.csv": table.encode()}, public=False)
    par = clean.build(raw)["par_scores"]
    assert _values(par, 2022, "56", "points") == {k: v for k, v in EXPECTED.items() if k != "PAR.F5"}
    assert not par["indicator"].eq("PAR.F5").any()


def _reference_line(year: int, indicator: str) -> int:
    lines = (paths.REFERENCE / "max_points.csv").read_text("utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith(f"{year},{indicator},"))


def _stated_in_a_sheet(tmp_path: Path) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["Tỉnh", *[f"LV{k}" for k in range(1, 9)], "Tổng điểm"])
    book.active.append(["Khánh Hòa", 8.5, 9, 14, 9, 11, 8, 11, 17.44, 87.94])
    maxima = book.create_sheet("Điểm tối đa")
    for k, maximum in enumerate([9, 10, 13, 10.5, 13, 9.5, 13, 22], start=1):
        maxima.append([f"LV{k}", maximum])
    book.save(tmp_path / "book.xlsx")
    return (tmp_path / "book.xlsx").read_bytes()


def test_a_maximum_in_a_message_says_where_it_came_from(tmp_path):
    """The file's maximum row is in the corpus (score_above_maximum); here the header, a sheet and the reference."""
    header = "Tỉnh,LV1,LV2,LV3 (13 điểm),LV4,LV5,LV6,LV7,LV8,Tổng điểm\nKhánh Hòa,8.5,9,14,9,11,8,11,17.44,87.94\n"
    published = "Tỉnh,LV1,LV2,LV3,LV4,LV5,LV6,LV7,LV8,Tổng điểm\nKhánh Hòa,8.5,10.5,12.25,9,11,8,11,15.94,86.19\n"
    expected = {"par_2022_header.csv": (header.encode(), "at most the maximum 13 (stated in the header "
                                                         "'LV3 (13 điểm)', row 1)"),
                "par_2022_sheet.xlsx": (_stated_in_a_sheet(tmp_path), "at most the maximum 13 (stated in sheet "
                                                                       "'Điểm tối đa', row 3)"),
                "par_2022_published.csv": (published.encode(), "at most the maximum 10 (data/reference/max_points.csv, "
                                           f"line {_reference_line(2022, 'PAR.F2')} (source snv-e142c9))")}
    for name, (content, fragment) in expected.items():
        raw = _raw_with(tmp_path / name, {name: content}, public=False)
        with pytest.raises(InputError, match=re.escape(fragment)):
            clean.build(raw)


def test_official_coverage_counts_the_provinces_of_each_table(tmp_path):
    tables = {"par_2022_synthetic.csv": "Tỉnh,Tổng điểm\nKhánh Hòa,86.5\nNinh Thuận,80\n".encode(),
              "sipas_2022_synthetic.csv": "Tỉnh,Chỉ số SIPAS (%)\nKhánh Hòa,84.4\n".encode()}
    processed = clean.build(_raw_with(tmp_path, tables, public=True))
    coverage = official.official_coverage(pd.concat([processed["par_scores"], processed["sipas_scores"]]))
    assert coverage.to_dict("records") == [{"kind": "par", "year": 2022, "provinces": 2},
                                           {"kind": "sipas", "year": 2022, "provinces": 1}]
    known = processed["coverage"].set_index(["year", "indicator", "measure"]).loc[(2022, "PAR", "points")]
    assert known["provinces_known"] > 2  # the public record's provinces too: not what the official table holds


TEMPLATES = paths.ROOT / "templates" / "official"
FILLED = {"par": ["1", "Khánh Hòa", "8.5", "9", "12.25", "9", "11", "8", "11", "17.44", "86.19", "25"],
          "sipas": ["1", "Khánh Hòa", "84,4%", "56", "85", "86", "87", "88", "89", "", ""],
          "scorecard": ["3", "Cải cách thủ tục hành chính", "13", "12.5", "12.25"]}


def _fill(template: Path, target: Path, row: list[str]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    if template.suffix == ".csv":
        target.write_text(template.read_text("utf-8") + ",".join(f'"{c}"' for c in row) + "\n", "utf-8")
    else:
        book = openpyxl.load_workbook(template)
        book.active.append(row)
        book.save(target)


@pytest.mark.parametrize("template", sorted(t for t in TEMPLATES.glob("*_YYYY*.*") if t.name.split("_")[0] in FILLED),
                         ids=lambda p: p.name)
def test_each_template_filled_with_one_row_is_read(tmp_path, template):
    kind = template.name.split("_")[0]
    name = template.name.replace("YYYY", "2022").replace("province-slug", "khanh-hoa")
    _fill(template, tmp_path / "raw" / "official" / name, FILLED[kind])
    tables = clean.build(tmp_path / "raw")
    scores = pd.concat([tables["par_scores"], tables["sipas_scores"]])
    values = _values(scores, 2022, "56", "percent" if kind == "sipas" else "points")
    assert values == {"par": EXPECTED, "sipas": {"SIPAS": 84.4, "SIPAS.E1": 85, "SIPAS.E2": 86, "SIPAS.E3": 87,
                                                  "SIPAS.E4": 88, "SIPAS.E5": 89},
                      "scorecard": {"PAR.F3": 12.25}}[kind]


LINKS = {"crosswalk": (["3", "3", "Giữ nguyên"], {"old_code": "3", "new_code": "3", "relation": "same"}),
         "responsibility": (["3", "Sở A (giả lập)", ""], {"code": "3", "lead_agency": "Sở A (giả lập)"})}


@pytest.mark.parametrize("template", sorted(TEMPLATES.glob("[cr]*_YYYY*.*")), ids=lambda p: p.name)
def test_each_link_template_filled_with_one_row_is_read_beside_its_scorecards(tmp_path, template):
    """A crosswalk (2021 to 2022) or responsibility table names codes of the scorecards beside it."""
    kind = template.name.split("_")[0]
    official = tmp_path / "raw" / "official"
    scorecard = TEMPLATES / f"scorecard_YYYY_province-slug{template.suffix}"
    for year in (2021, 2022):
        _fill(scorecard, official / f"scorecard_{year}_khanh-hoa{template.suffix}", FILLED["scorecard"])
    name = template.name.replace("YYYY", "2021", 1).replace("YYYY", "2022").replace("province-slug", "khanh-hoa")
    row, expected = LINKS[kind]
    _fill(template, official / name, row)
    links = clean.build(tmp_path / "raw")[kind]
    assert len(links) == 1 and links.iloc[0][list(expected)].to_dict() == expected


def test_each_template_is_claimed_by_its_own_kind_only():
    """The registry of table kinds decides what a file is from its name alone: one kind per template."""
    from parsipas.ingest.official_kinds import KINDS

    for template in sorted(TEMPLATES.glob("*_YYYY*.*")):
        name = template.name.replace("YYYY", "2022").replace("province-slug", "khanh-hoa")
        claimed = [kind.name for kind in KINDS.values() if kind.file_name.match(name)]
        assert claimed == [template.name.split("_")[0]], name


def test_figures_point_at_their_file_and_row(synthetic):
    """raw_file and raw_line name a row of the file that holds the figure: the province's row of the official table."""
    par = synthetic["par_scores"]
    row = par[(par.year == 2022) & (par.province_code == "56") & (par.indicator == "PAR.F1")
              & (par.measure == "points") & par.is_official].iloc[0]
    assert row.raw_file == "tests/fixtures/synthetic_complete/official/par_2022_synthetic.xlsx"
    assert par.raw_line.dtype == "int64"
    sheet = openpyxl.load_workbook(paths.ROOT / row.raw_file).active
    assert [c.value for c in sheet[int(row.raw_line)]] == _xlsx_row(paths.ROOT / row.raw_file, "Khánh Hòa")


BAD = Path(__file__).parent / "bad_inputs" / "data"


def _faults(tmp_path: Path, files: dict[str, bytes]) -> list[InputError]:
    """Every fault a build of these official files reports, in the order listed."""
    with pytest.raises(InputError) as raised:
        clean.build(_raw_with(tmp_path, files, public=False))
    return getattr(raised.value, "errors", [raised.value])


def _corpus(case: str) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in (BAD / case).iterdir()}


def test_extra_columns_are_ignored_by_declaration_and_the_figures_are_right(tmp_path):
    """STT, Khối/Nhóm/Vùng and Ghi chú are declared extras (official_headers.csv): read past, never as a field."""
    table = ("STT,Khối,Tỉnh,Vùng,LV1,LV2,LV3,LV4,LV5,LV6,LV7,LV8,Tổng điểm,Xếp hạng,Ghi chú\n"
             "1,Nam Trung Bộ,Khánh Hòa,Bắc Trung Bộ và Duyên hải miền Trung,8.5,9,12.25,9,11,8,11,17.44,86.19,25,"
             "SYNTHETIC\n2,Nam Trung Bộ,Ninh Thuận,Bắc Trung Bộ và Duyên hải miền Trung,8,9,12,9,11,8,11,16,84,30,\n")
    raw = _raw_with(tmp_path, {"par_2022_synthetic.csv": table.encode()}, public=False)
    par = clean.build(raw)["par_scores"]
    assert _values(par, 2022, "56", "points") == EXPECTED
    assert _values(par, 2022, "56", "rank") == {"PAR": 25}
    assert _values(par, 2022, "58", "points")["PAR"] == 84
    assert clean.build(raw)["unused_rows"].empty


def test_rows_skipped_are_recorded_with_their_reason_and_every_other_row_is_read(tmp_path):
    """Only blank rows and declared rows are passed over, and those on record: a subtotal, a region's heading, an
    average, a province with no figure at all."""
    table = ("STT,Tỉnh,Tổng điểm,Xếp hạng\n"
             ",Vùng Duyên hải Nam Trung Bộ,,\n"          # row 2: not a region of regions.csv: an unknown province
             ",Vùng Tây Nguyên,,\n"                      # row 3: a region's heading
             "1,Khánh Hòa,86.19,25\n"                    # row 4
             "2,Ninh Thuận,chưa công bố,\n"              # row 5: no figure given
             ",Cộng,168.19,\n"                           # row 6: a subtotal
             ",,,\n"                                     # row 7: blank
             "3,Phú Yên,82,40\n"                         # row 8
             ",Trung bình cả nước,84.1,\n")              # row 9: an average
    [fault] = _faults(tmp_path / "bad", {"par_2022_synthetic.csv": table.encode()})
    assert fault.row == 2 and fault.problem.startswith("unknown province 'Vùng Duyên hải Nam Trung Bộ'")
    raw = _raw_with(tmp_path / "good", {"par_2022_synthetic.csv": table.replace(
        ",Vùng Duyên hải Nam Trung Bộ,,\n", ",,,\n").encode()}, public=False)
    tables = clean.build(raw)
    unused = tables["unused_rows"]
    reasons = dict(zip(unused["raw_line"], unused["reason"]))
    assert sorted(reasons) == [3, 5, 6, 9]
    assert "region row 'Vùng Tây Nguyên' (TN)" in reasons[3]
    assert reasons[5] == "no figure given for 'Ninh Thuận' (every cell empty or 'chưa công bố')"
    assert reasons[6].startswith("summary row 'Cộng'") and reasons[9].startswith("summary row 'Trung bình cả nước'")
    par = tables["par_scores"]
    read = par[par["is_official"] & ~par["is_derived"]]
    assert sorted(set(read["raw_line"])) == [4, 8]


def test_a_row_with_figures_but_no_province_is_a_fault(tmp_path):
    table = "Tỉnh,Tổng điểm\nKhánh Hòa,86.19\n,84\n"
    [fault] = _faults(tmp_path, {"par_2022_synthetic.csv": table.encode()})
    assert (fault.problem, fault.row, fault.column) == ("a row with entries but no province", 3, "A (Tỉnh)")


def test_a_province_twice_in_a_full_table_is_named_with_both_rows_not_counted(tmp_path):
    [fault] = _faults(tmp_path, _corpus("duplicate_province_in_a_full_table"))
    assert fault.problem == "the province 'Khánh Hòa' / 'Tỉnh Khánh Hoà' is listed twice, on rows 39 and 66"
    assert (fault.row, fault.column) == (66, "B (Tỉnh)")
    assert "64" not in str(fault)


def test_33_inconsistent_ranks_are_listed_in_one_run_each_province_named(tmp_path):
    [fault] = _faults(tmp_path, _corpus("ranks_inconsistent_33"))
    assert fault.problem.startswith("the ranks do not follow the total scores") and "(33 rows)" in fault.problem
    lines = (BAD / "ranks_inconsistent_33" / "par_2022_synthetic.csv").read_text("utf-8").splitlines()
    listed = fault.found.split("; ")
    assert len(listed) == 33
    for line, shown in zip(range(3, 36), listed):
        cells = lines[line - 1].split(",")
        assert shown == f"row {line} {cells[1]}: rank {cells[-1]}"


def test_a_total_typo_names_the_total_not_the_ranks_it_upsets(tmp_path):
    [fault] = _faults(tmp_path, _corpus("total_typo_also_breaks_rank"))
    assert (fault.problem, fault.row, fault.found) == ("the total is not the sum of the eight fields", 4, 96)


def test_many_faults_are_all_collected_sorted_by_row_and_capped_per_file(tmp_path):
    faults = _faults(tmp_path, _corpus("many_faults_in_one_file"))
    assert [f.row for f in faults] == list(range(3, 29))
    assert [f.problem.split(" '")[0] for f in faults[:4]] == ["a negative score", "a score above its maximum",
                                                               "a value could not be read as a number",
                                                               "unknown province"]
    with pytest.raises(InputError) as raised:
        clean.build(_raw_with(tmp_path / "again", _corpus("many_faults_in_one_file"), public=False))
    shown = str(raised.value).splitlines()
    assert shown[0] == "26 faults in 1 file(s):" and len(shown) == 22 and shown[-1].endswith(": and 6 more")


def test_the_same_rule_broken_in_two_columns_names_each_column(tmp_path):
    table = ("Tỉnh,LV1,LV2,LV3,LV4,LV5,LV6,LV7,LV8,Tổng điểm\nKhánh Hòa,-1,9,12,9,11,8,11,16,75\n"
             "Ninh Thuận,8,-2,12,9,11,8,11,16,73\n")
    faults = _faults(tmp_path, {"par_2022_synthetic.csv": table.encode()})
    assert [(f.problem, f.row, f.column, f.found) for f in faults] == [
        ("a negative score", 2, "B (LV1)", -1), ("a negative score", 3, "C (LV2)", -2)]


def test_faults_of_several_files_are_listed_together(tmp_path):
    """A bad PAR table, a bad SIPAS table and a bad file name: one run names all three files."""
    files = {"par_2022_synthetic.csv": "Tỉnh,Tổng điểm\nKhánh Hòa,101\n".encode(),
             "sipas_2022_synthetic.csv": "Tỉnh,Chỉ số SIPAS (%)\nKhanh Hao,84\n".encode(),
             "scores_2022.csv": b"x\n"}
    faults = _faults(tmp_path, files)
    assert [(Path(f.file).name, f.row) for f in faults] == [
        ("par_2022_synthetic.csv", 2), ("scores_2022.csv", None), ("sipas_2022_synthetic.csv", 2)]
    assert "did you mean 'Khánh Hòa'?" in faults[2].problem


def test_a_scorecard_lists_every_fault_with_its_rule_first(tmp_path):
    table = ("STT,Tiêu chí,Điểm tối đa,Điểm thẩm định\n3,Cải cách TTHC,13,11\n3.1,Công khai,6,5\n"
             "3.2,Một cửa,7,7.5\n3.1,Công khai (lặp),6,5\n")
    faults = _faults(tmp_path, {"scorecard_2022_khanh-hoa_synthetic.csv": table.encode()})
    assert [(f.row, f.problem) for f in faults] == [
        (4, "appraised points above the criterion's maximum"),
        (5, "the criterion '3.1' is listed twice, on rows 3 and 5")]


def test_a_field_column_without_its_header_is_named_alone_with_the_columns_found(tmp_path):
    """A two-row header whose sub-header '5' was left blank: field 5 is named as missing (not fields 5 to 8), with
    the columns that were found, and the column holding figures without a header is named too."""
    table = ("STT,Tỉnh,Lĩnh vực,,,,,,,,Tổng điểm\n,,1,2,3,4,,6,7,8,\n"
             "1,Khánh Hòa,8,9,12,9,11,8,11,18.19,86.19\n")
    faults = _faults(tmp_path, {"par_2022_synthetic.csv": table.encode()})
    assert [(f.problem, f.row, f.column) for f in faults] == [
        ("a field column is missing: Lĩnh vực 5 (Cải cách chế độ công vụ)", 2, "Lĩnh vực 5"),
        ("a column with entries but no header", 3, "G")]
    assert faults[0].found == ("Tỉnh | Lĩnh vực / 1 | Lĩnh vực / 2 | Lĩnh vực / 3 | Lĩnh vực / 4 | Lĩnh vực / 6 | "
                               "Lĩnh vực / 7 | Lĩnh vực / 8 | Tổng điểm")
    assert faults[1].found == "11"


def test_the_par_index_fields_are_the_indicators_tables(tmp_path):
    """The Ministry's fields are data: the indicators of level 'field' under PAR, in the order of their 'sort'."""
    from parsipas.ingest import reference

    lines = (paths.REFERENCE / "indicators.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    moved = [line.replace(",8,translation,", ",0.5,translation,") if line.startswith("PAR.F8,") else line
             for line in lines]
    (tmp_path / "indicators.csv").write_text("".join(moved), encoding="utf-8")
    assert reference.par_fields() == ("PAR.F1", "PAR.F2", "PAR.F3", "PAR.F4", "PAR.F5", "PAR.F6", "PAR.F7", "PAR.F8")
    assert reference.par_fields(tmp_path) == ("PAR.F8", "PAR.F1", "PAR.F2", "PAR.F3", "PAR.F4", "PAR.F5", "PAR.F6",
                                              "PAR.F7")
