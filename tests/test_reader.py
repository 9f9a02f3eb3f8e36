"""The one reader of an analyst's files (official_files): decimal commas, separators, large workbooks, formulas in
names, external links, and processed CSVs that a spreadsheet shows as text. Bad files of every kind are in the
corpus (tests/bad_inputs/); here the cases that need a generated file or a figure checked."""

from __future__ import annotations

import logging
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from openpyxl.packaging.relationship import Relationship
from openpyxl.workbook.external_link.external import ExternalBook, ExternalLink, ExternalSheetNames

from parsipas import clean
from parsipas.core.errors import InputError
from parsipas.ingest.official_files import accepting_external_links, read_sheet

SCORECARD = "Mã,Tiêu chí,Điểm tối đa,Điểm tự đánh giá,Điểm thẩm định\n{rows}"
HEADER = ("Mã đơn vị,Tên đơn vị,Mã khối,1. Chỉ đạo,2. Thể chế,3. Thủ tục,Tổng điểm\n"
          "Điểm tối đa,,,30,30,40,100\n")
UNITS = "Mã đơn vị,Tên đơn vị,Mã khối,Khối,Tỉnh\n"


def _raw(tmp_path: Path, folder: str, files: dict[str, str | bytes]) -> Path:
    raw = tmp_path / "raw"
    (raw / folder).mkdir(parents=True)
    for name, content in files.items():
        path = raw / folder / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return raw


def _criteria(tables: dict) -> dict[str, float]:
    figures = tables["par_scores"]
    rows = figures[figures["indicator"].str.startswith("PAR.F3") & figures["measure"].isin(["points"])]
    return dict(zip(rows["indicator"], rows["value"]))


def _faults(error: pytest.ExceptionInfo) -> list[InputError]:
    return getattr(error.value, "errors", [error.value])


def test_unquoted_decimal_commas_in_a_scorecard_are_refused_naming_the_cause_and_every_row(tmp_path):
    """Issue 22: the file loaded with 12.5 read as 12 (the sum of the sub-criteria still agreed); now refused."""
    rows = "3,Cải cách thủ tục hành chính,13,12,12,50\n3.1,Công bố TTHC,4,4,4\n3.2,Giải quyết TTHC,9,8,8,50\n"
    raw = _raw(tmp_path, "official", {"scorecard_2022_khanh-hoa_synthetic.csv": SCORECARD.format(rows=rows)})
    with pytest.raises(InputError) as error:
        clean.build(raw)
    faults = _faults(error)
    assert [f.row for f in faults] == [2, 4]
    for fault in faults:
        assert "số thập phân viết bằng dấu phẩy trong tệp phân tách bằng dấu phẩy" in str(fault)
        assert "decimal commas in a comma-separated file" in str(fault)
        assert "save the file as XLSX, or as CSV with ';' separators, or quote the numbers" in str(fault)
    assert "were cut in two at the comma, in cells C-F" in str(faults[0]) and faults[0].column == "C"
    assert faults[1].found == "3.2,Giải quyết TTHC,9,8,8,50"


@pytest.mark.parametrize("form", ["semicolons", "quoted"])
def test_decimal_commas_read_right_with_semicolons_or_quotes(tmp_path, form):
    rows = [["3", "Cải cách thủ tục hành chính", "13", "12,75", "12,5"], ["3.1", "Công bố TTHC", "4", "4", "3,75"],
            ["3.2", "Giải quyết TTHC", "9", "8,75", "8,75"]]
    header = SCORECARD.format(rows="")
    if form == "semicolons":
        text = header.replace(",", ";") + "".join(";".join(row) + "\n" for row in rows)
    else:
        text = header + "".join(",".join(f'"{c}"' if "," in c else c for c in row) + "\n" for row in rows)
    raw = _raw(tmp_path, "official", {"scorecard_2022_khanh-hoa_synthetic.csv": text})
    assert _criteria(clean.build(raw)) == {"PAR.F3": 12.5, "PAR.F3.1": 3.75, "PAR.F3.2": 8.75}


def test_a_semicolon_file_whose_commas_outnumber_its_semicolons_is_read_by_semicolons(tmp_path):
    path = tmp_path / "t.csv"
    path.write_text("Tỉnh;LV1;LV2\nKhánh Hòa;8,25;9,5\nNinh Thuận;7,75;9,25\n", encoding="utf-8-sig")
    sheet = read_sheet(path, lambda title: False)
    assert sheet.separator == ";" and sheet.cells[1] == ["Khánh Hòa", "8,25", "9,5"]


def test_a_row_wider_than_its_header_without_decimal_commas_is_refused(tmp_path):
    text = HEADER + "SO01,Sở Nội vụ,SO,25,24,30,79,ghi chú lạc\n"
    raw = _raw(tmp_path, "internal", {"units_demo.csv": UNITS + "SO01,Sở Nội vụ,SO,Sở,Khánh Hòa\n",
                                      "results_2024_demo.csv": text})
    cause = "a row has more cells than the header: row 3 has 8 under a header of 7"
    with pytest.raises(InputError, match=cause) as error:
        clean.build(raw)
    assert error.value.row == 3 and error.value.column == "H" and error.value.found == "ghi chú lạc"


def _results_book(path: Path, rows: int) -> None:
    """A results workbook with a merged title, a merged group header and `rows` units (written streaming)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["KẾT QUẢ CHỈ SỐ CCHC (SYNTHETIC)"])
    sheet.merge_cells("A1:G1")
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Mã khối", "Lĩnh vực", None, None, "Tổng điểm"])
    sheet.merge_cells("D2:F2")
    sheet.append([None, None, None, "1. Chỉ đạo", "2. Thể chế", "3. Thủ tục", None])
    sheet.append(["Điểm tối đa", None, None, 30, 30, 40, 100])
    for i in range(rows):
        sheet.append([f"U{i:06d}", f"Đơn vị {i}", "SO", 20 + i % 10, 24.5, 30.25, 74.75 + i % 10])
    book.save(path)


def test_a_large_workbook_is_read_whole_and_right(tmp_path):
    """30,000 units (the old reader took minutes on 10,000): every row, merged cells spread, figures as written."""
    path = tmp_path / "results_2024_demo.xlsx"
    _results_book(path, 30_000)
    sheet = read_sheet(path, lambda title: False)
    assert len(sheet.cells) == 30_004
    assert sheet.cells[0] == ["KẾT QUẢ CHỈ SỐ CCHC (SYNTHETIC)"] * 7
    assert sheet.cells[1][3:6] == ["Lĩnh vực"] * 3
    assert sheet.cells[4] == ["U000000", "Đơn vị 0", "SO", "20", "24.5", "30.25", "74.75"]
    assert sheet.cells[-1] == ["U029999", "Đơn vị 29999", "SO", "29", "24.5", "30.25", "83.75"]


def test_a_large_csv_is_read_whole_and_right(tmp_path):
    path = tmp_path / "results_2024_demo.csv"
    path.write_text(HEADER + "".join(f"U{i:06d},Đơn vị {i},SO,20,\"24,5\",30.25,74.75\n" for i in range(100_000)),
                    encoding="utf-8")
    sheet = read_sheet(path, lambda title: False)
    assert len(sheet.cells) == 100_002 and sheet.separator == ","
    assert sheet.cells[-1] == ["U099999", "Đơn vị 99999", "SO", "20", "24,5", "30.25", "74.75"]


FORMULAS = ['=HYPERLINK("http://example.invalid/x","Sở Nội vụ")', "=cmd|' /C calc'!A0", "@SUM(1+1)", "+1+cmd"]


@pytest.mark.parametrize("name", FORMULAS)
def test_a_formula_in_a_unit_name_is_refused_with_its_row_and_column(tmp_path, name):
    quoted = '"' + name.replace('"', '""') + '"'
    raw = _raw(tmp_path, "internal", {"units_demo.csv": UNITS + "SO01,Sở Tư pháp,SO,Sở,Khánh Hòa\n"
                                      f"SO02,{quoted},SO,Sở,Khánh Hòa\n"})
    with pytest.raises(InputError, match="a formula in a name or text cell") as error:
        clean.build(raw)
    assert (error.value.row, error.value.column, error.value.found) == (3, "B (Tên đơn vị)", name)


def test_a_formula_in_a_name_never_reaches_a_processed_csv_as_a_formula(tmp_path):
    """The reader refuses such names; should one come from elsewhere (a reference table, the public record), the CSV
    written shows it as text."""
    frame = pd.DataFrame({"name": ["=cmd|' /C calc'!A0", "Sở Nội vụ", "-3", "@x", "+84 258"],
                          "value": [-1.5, 2.0, 3.0, 4.0, 5.0]})
    tables = {name: pd.DataFrame() for name in clean.TABLES} | {"unused_rows": frame}
    clean.write(tables, tmp_path / "processed")
    written = (tmp_path / "processed" / "unused_rows.csv").read_text(encoding="utf-8").splitlines()
    assert written[1:] == ["'=cmd|' /C calc'!A0,-1.5", "Sở Nội vụ,2.0", "-3,3.0", "'@x,4.0", "'+84 258,5.0"]
    assert not [line for line in written[1:] if re.match(r'"?[=+@]', line)]
    assert pd.read_parquet(tmp_path / "processed" / "unused_rows.parquet")["name"][0] == "=cmd|' /C calc'!A0"


def _linked_book(path: Path, cached: str = "8.5") -> None:
    """A PAR table whose LV1 cell of Khánh Hòa is ='[1]Sheet1'!A1, a workbook on a network share, with a cached
    value (openpyxl writes none: the sheet's XML is given one, as Excel would have saved it)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tỉnh", *[f"LV{k}" for k in range(1, 9)], "Tổng điểm"])
    sheet.append(["Khánh Hòa", "='[1]Sheet1'!A1", 9, 12.25, 9, 11, 8, 11, 17.44, 86.19])
    link = ExternalLink(externalBook=ExternalBook(sheetNames=ExternalSheetNames(sheetName=["Sheet1"]), id="rId1"))
    link.file_link = Relationship(type="externalLinkPath", Target="file:///\\\\server\\share\\diem.xlsx",
                                  TargetMode="External", Id="rId1")
    book._external_links.append(link)
    saved = path.with_suffix(".tmp")
    book.save(saved)
    with zipfile.ZipFile(saved) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v></v>", f"<v>{cached}</v>".encode())
            target.writestr(item, data)
    saved.unlink()


def test_an_external_link_is_refused_naming_the_cell_the_workbook_and_the_option(tmp_path):
    raw = _raw(tmp_path, "official", {})
    _linked_book(raw / "official" / "par_2022_synthetic.xlsx")
    with pytest.raises(InputError) as error:
        clean.build(raw)
    message = str(error.value)
    assert "a cell is linked to another workbook (file:///\\\\server\\share\\diem.xlsx)" in message
    assert (error.value.row, error.value.column, error.value.found) == (2, "B", "='[1]Sheet1'!A1")
    assert "--accept-external-links" in message


def test_with_the_option_an_external_link_gives_its_cached_value_and_a_warning(tmp_path, caplog):
    raw = _raw(tmp_path, "official", {})
    _linked_book(raw / "official" / "par_2022_synthetic.xlsx")
    with accepting_external_links(), caplog.at_level(logging.WARNING):
        tables = clean.build(raw)
    par = tables["par_scores"]
    points = par[(par.indicator == "PAR.F1") & (par.measure == "points") & par.is_official]
    assert points["value"].tolist() == [8.5]
    warning = next(r.getMessage() for r in caplog.records if "linked to another workbook" in r.getMessage())
    assert "row 2, column 'B'" in warning and "diem.xlsx" in warning and "8.5" in warning


def test_the_option_is_on_the_command_line():
    import pipeline

    assert pipeline.parse_arguments(["--accept-external-links"]).accept_external_links
    assert not pipeline.parse_arguments([]).accept_external_links


def test_a_build_from_linked_copies_is_not_reused_without_the_option(tmp_path):
    raw = _raw(tmp_path, "official", {})
    shutil.copytree(Path(__file__).parent / "fixtures" / "synthetic_complete" / "official", raw / "official",
                    dirs_exist_ok=True)
    _linked_book(raw / "official" / "par_2022_synthetic.xlsx")
    processed = tmp_path / "processed"
    with accepting_external_links():
        clean.prepare(raw, processed)
    with pytest.raises(InputError, match="linked to another workbook"):
        clean.prepare(raw, processed)


def test_an_error_value_is_read_as_written_never_as_a_blank(tmp_path):
    """A cell holding #N/A (a formula's saved error, or pasted as a value) is not a figure left out: it is refused
    as a number could not be read, as the workbook shows it."""
    book = openpyxl.Workbook()
    book.active.append(["Tỉnh", *[f"LV{k}" for k in range(1, 9)], "Tổng điểm"])
    book.active.append(["Khánh Hòa", 8.5, "=NA()", 12.25, 9, 11, 8, 11, 17.44, 86.19])
    book.save(tmp_path / "book.xlsx")
    raw = _raw(tmp_path, "official", {})
    with zipfile.ZipFile(tmp_path / "book.xlsx") as source, \
            zipfile.ZipFile(raw / "official" / "par_2022_synthetic.xlsx", "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<c r="C2"><f>NA()</f><v></v></c>', b'<c r="C2" t="e"><f>NA()</f><v>#N/A</v></c>')
                assert b"#N/A" in data
            target.writestr(item, data)
    with pytest.raises(InputError, match="could not be read as a number") as error:
        clean.build(raw)
    assert (error.value.row, error.value.found) == (2, "#N/A") and error.value.column.startswith("C")
