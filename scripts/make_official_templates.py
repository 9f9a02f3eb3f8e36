"""Write the empty official-table templates in templates/official/ (CSV and XLSX), from the indicator names.

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
from parsipas.reference import indicators  # noqa: E402

OUT = ROOT / "templates" / "official"


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


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, rows in layouts().items():
        with open(OUT / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(rows)
        book = openpyxl.Workbook()
        sheet = book.active
        sheet.title = name.split("_")[0]
        for row in rows:
            sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        if name.startswith(("scorecard", "crosswalk", "responsibility")):
            for row in range(2, 400):
                sheet.cell(row, 1).number_format = "@"  # codes such as 3.10 must stay text
        book.properties.creator = "parsipas"
        book.save(OUT / f"{name}.xlsx")


if __name__ == "__main__":
    main()
