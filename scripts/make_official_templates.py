"""Write the templates in templates/official/ (the official tables, empty, from the indicator names) and
templates/internal/ (a province's own index: a unit list, a year's results, criteria, with example rows), as CSV and
XLSX.

Run: .venv/bin/python scripts/make_official_templates.py
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from parsipas.ingest.reference import indicators  # noqa: E402

OUT = ROOT / "templates" / "official"
INTERNAL = ROOT / "templates" / "internal"


def layouts() -> dict[str, list[list[str]]]:
    names = indicators()["name_vi"]
    fields = [f"Lĩnh vực {k}" for k in range(1, 9)]
    sipas = ["SIPAS.E1", "SIPAS.E2", "SIPAS.E3", "SIPAS.E4", "SIPAS.E5", "SIPAS.POLICY", "SIPAS.SERVICE"]
    return {
        "par_YYYY": [["STT", "Tỉnh/Thành phố", *fields, "Tổng điểm", "Xếp hạng"],
                     ["", "Điểm tối đa", *[""] * 8, "100", ""]],
        "sipas_YYYY": [["STT", "Tỉnh/Thành phố", "Chỉ số SIPAS (%)", "Xếp hạng", *[names[c] for c in sipas]]],
        "scorecard_YYYY_province-slug": [["STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa",
                                          "Điểm tự đánh giá", "Điểm thẩm định"]],
        "crosswalk_YYYY_YYYY_province-slug": [["Mã tiêu chí năm cũ", "Mã tiêu chí năm mới", "Quan hệ"]],
        "responsibility_YYYY_province-slug": [["Mã tiêu chí", "Cơ quan chủ trì", "Cơ quan phối hợp"]],
    }


def internal_layouts() -> dict[str, list[list[str]]]:
    """A province's own index, with example rows (ví dụ) that load as they are: replace them with the real ones."""
    return {
        "units_SET": [
            ["Mã đơn vị", "Tên đơn vị", "Tên tiếng Anh", "Mã khối", "Khối", "Khối (tiếng Anh)", "Tỉnh", "Hiệu lực từ",
             "Hiệu lực đến"],
            ["SO01", "Sở Nội vụ (ví dụ)", "Department of Home Affairs (example)", "SO", "Sở, ban, ngành",
             "Departments and agencies", "Khánh Hòa", "", ""],
            ["SO02", "Sở Tư pháp (ví dụ)", "Department of Justice (example)", "SO", "Sở, ban, ngành",
             "Departments and agencies", "Khánh Hòa", "", ""],
            ["HU01", "UBND huyện A (ví dụ)", "", "HUYEN", "UBND cấp huyện", "District People's Committees",
             "Khánh Hòa", "", "30/06/2025"],
            ["XA01", "UBND xã B (ví dụ)", "", "XA", "UBND cấp xã", "Commune People's Committees", "Khánh Hòa",
             "01/07/2025", ""]],
        "results_YYYY_SET": [
            ["Mã đơn vị", "Tên đơn vị", "Mã khối", "1. Công tác chỉ đạo, điều hành", "2. Cải cách thể chế",
             "3. Cải cách thủ tục hành chính", "Tổng điểm", "Chỉ số (%)", "Xếp hạng trong khối"],
            ["Điểm tối đa", "", "", "30", "30", "40", "100", "", ""],
            ["Lĩnh vực của Bộ", "", "", "1", "2", "3", "", "", ""],
            ["SO01", "Sở Nội vụ (ví dụ)", "SO", "25.5", "24", "30", "79.5", "79.5", "2"],
            ["SO02", "Sở Tư pháp (ví dụ)", "SO", "27", "25.25", "35", "87.25", "87.25", "1"],
            ["HU01", "UBND huyện A (ví dụ)", "HUYEN", "20", "22", "30", "72", "72", "1"]],
        "criteria_YYYY_SET": [
            ["Mã đơn vị", "Mã tiêu chí", "Tiêu chí", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định"],
            ["SO01", "1.1", "Kế hoạch cải cách hành chính (ví dụ)", "10", "9", "8.5"],
            ["SO01", "1.2", "Báo cáo cải cách hành chính (ví dụ)", "10", "10", "9.5"],
            ["SO01", "1.10", "Kiểm tra cải cách hành chính (ví dụ)", "10", "7", "7.5"]],
    }


def _cell(text: str, as_text: bool) -> object:
    """A template cell as a workbook holds it: a number as a number, a code (as_text) or any other text as text."""
    if not text:
        return None
    if as_text:
        return text
    try:
        return int(text) if text.isdigit() else float(text)
    except ValueError:
        return text


def write(folder: Path, name: str, rows: list[list[str]], text_columns: set[int]) -> None:
    """One template as CSV and XLSX; text_columns (0-based) hold codes, kept as text so that 3.10 is not 3.1."""
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = name.split("_")[0]
    for row in rows:
        sheet.append([_cell(c, j in text_columns) for j, c in enumerate(row)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for j in text_columns:
        for row in range(2, 400):
            sheet.cell(row, j + 1).number_format = "@"
    book.properties.creator = "parsipas"
    book.save(folder / f"{name}.xlsx")


def main() -> None:
    for name, rows in layouts().items():
        write(OUT, name, rows, {0} if name.startswith(("scorecard", "crosswalk", "responsibility")) else set())
    for name, rows in internal_layouts().items():
        codes = {j for j, header in enumerate(rows[0]) if header.startswith(("Mã", "Hiệu lực"))}
        write(INTERNAL, name, rows, codes)


if __name__ == "__main__":
    main()
