"""Pages that hold together (issue 23, item 11): the PDF, printed by WeasyPrint with the report's stylesheet from
tables written by the report's own macro, read back page by page with pypdf. Every case is tried with the page
break falling at each place it can, so a rule that holds only by luck of the layout fails here."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from parsipas.core import paths
from parsipas.present import engine, render

CSS = (paths.TEMPLATES / "parsipas_report" / "report.css").read_text(encoding="utf-8")
MACROS = engine.TEMPLATES


def table(rows: int, start: int = 1) -> str:
    """A report table of `rows` rows ("Dòng 1", "Dòng 2", ...), written by the report's table macro."""
    source = '{% from "_macros.html.j2" import table %}{{ table(header, rows, "comparison") }}'
    return MACROS.from_string(source).render(header=["Lĩnh vực", "Điểm"],
                                             rows=[[f"Dòng {k}", f"{k},5"] for k in range(start, start + rows)])


def pages(body: str) -> list[str]:
    html = (f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><style>{CSS}</style></head><body>'
            f'<main class="report">{body}</main></body></html>')
    reader = PdfReader(io.BytesIO(render.html_to_pdf(html, "test")))
    return [page.extract_text() for page in reader.pages]


def rows_on(page: str) -> list[int]:
    return [int(k) for k in re.findall(r"Dòng (\d+)", page)]


def filler(lines: int) -> str:
    return "".join(f"<p>Đoạn {k}: một dòng chữ để đẩy bảng xuống cuối trang.</p>" for k in range(lines))


PAGE_OF_ROWS = range(27, 35)  # table lengths whose last rows fall around the first page break (30 rows a page)
ACROSS_THE_FOOT = range(18, 28)  # paragraphs before a table that bring its first rows to the foot of the page


@pytest.mark.parametrize("count", PAGE_OF_ROWS)
def test_no_page_holds_a_single_row_of_a_long_table(count):
    printed = pages("<h2>Phụ lục: nguồn số liệu</h2>" + table(count))
    per_page = [len(rows_on(page)) for page in printed if rows_on(page)]
    assert sum(per_page) == count
    assert min(per_page) >= 2, per_page


@pytest.mark.parametrize("before", ACROSS_THE_FOOT)
def test_a_header_row_is_never_stranded_at_the_foot_of_a_page(before):
    """Filler pushes the heading and the table down one line at a time across the foot of the first page."""
    printed = pages(filler(before) + "<h2>Kết quả</h2>" + table(20))
    first = next(k for k, page in enumerate(printed) if "Lĩnh vực" in page)
    assert {1, 2} <= set(rows_on(printed[first])), printed[first][-200:]
    assert "Kết quả" in printed[first]  # the heading goes with its table


@pytest.mark.parametrize("before", ACROSS_THE_FOOT)
def test_a_short_table_is_never_split(before):
    printed = pages(filler(before) + table(6))
    assert sorted(len(rows_on(page)) for page in printed if rows_on(page)) == [6]
