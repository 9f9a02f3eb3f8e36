"""The report engine (issue 24): one rule for a missing cell, one order rule for the sources appendix serving both
report stacks, one renderer for every kind, and a section added to a kind by one entry."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from internal_tables import SET, tables

from parsipas.clean import reference_tables
from parsipas.core.formatting import number, rank
from parsipas.core.messages import Missing
from parsipas.present import engine, internal_report, internal_sections, report, report_sections


def test_a_missing_cell_shows_as_the_kinds_blank_and_nothing_else_changes():
    rows = [["Khánh Hòa", number(None, "vi"), rank(float("nan"), "vi", 63), None, float("nan"), "0,00", 0]]
    assert engine.cells(rows, "–") == [["Khánh Hòa", "–", "–", "–", "–", "0,00", "0"]]
    assert engine.cells([[Missing("chưa công bố"), "chưa có số liệu"]], "x") == [["x", "chưa có số liệu"]]


SOURCES = pd.DataFrame({"source_id": ["official:b.xlsx", "web:a", "web:c", "web:uncited"],
                        "publisher": ["Bộ Nội vụ", "Zing", "Báo A", "Báo B"]})


def test_the_sources_appendix_is_ordered_by_the_kinds_rule():
    cited = {"official:b.xlsx", "web:a", "web:c"}
    by_publisher = engine.cited_sources(SOURCES, cited, report.KIND.sources_order)
    assert list(by_publisher["source_id"]) == ["web:c", "official:b.xlsx", "web:a"]
    assert list(by_publisher["number"]) == [1, 2, 3]
    by_id = engine.cited_sources(SOURCES, cited, internal_sections.OVERVIEW.sources_order)
    assert list(by_id["source_id"]) == ["official:b.xlsx", "web:a", "web:c"]


def test_each_kind_lists_its_sections_as_the_reports_do():
    assert report.SECTIONS == report_sections.KIND.names
    assert internal_report.OVERVIEW_SECTIONS == ["cover", *internal_sections.OVERVIEW.names]
    assert internal_report.UNIT_SECTIONS == ["cover", "summary", "comparison", "weak", "gaps", "sources"]
    assert all(kind.formats == ("html", "pdf", "docx") for kind in
               (report.KIND, internal_sections.OVERVIEW, internal_sections.UNIT))


def issued_by(lang: str):
    from parsipas.present import word

    return word.issuer("Khánh Hòa", lang, reference_tables.provinces())


@pytest.fixture(scope="module")
def overview():
    return internal_report.prepare(tables(), SET, 2024, 2023, "vi", produced="2026-01-01")


def test_a_section_is_added_to_a_kind_by_one_entry(overview):
    extra = engine.Section("extra", "blocks.html.j2",
                           lambda data: dict(blocks=[engine.paragraph("<b>Ghi chú</b> & hết"),
                                                     engine.table(["A", "B"], [["x", None]], "–", "text-2")]))
    kind = dataclasses.replace(internal_sections.OVERVIEW, sections=(*internal_sections.OVERVIEW.sections, extra),
                               title=lambda name, data: "Phụ lục" if name == "extra" else name)
    html = engine.render(kind, "extra", overview)
    assert html.startswith('<section id="extra"><h2>Phụ lục</h2><p>&lt;b&gt;Ghi chú&lt;/b&gt; &amp; hết</p>')
    assert "<td>x</td><td>–</td>" in html and 'class="text-2"' in html
    assert '<a href="#extra">Phụ lục</a>' in engine.render(kind, "cover", overview)
    hidden = dataclasses.replace(kind, sections=(*internal_sections.OVERVIEW.sections,
                                                 dataclasses.replace(extra, shown=lambda data: False)))
    assert engine.render(hidden, "extra", overview) == ""
    assert "#extra" not in engine.render(hidden, "cover", overview)


def test_a_section_of_another_kind_renders_as_nothing(overview):
    assert internal_report.section("gaps", overview) == ""
    assert internal_report.section("ranking", overview).startswith('<section id="ranking">')


def _page(sections: list[str]) -> str:
    """The report page as the notebook and nbconvert make it: the parts one after another inside <main>."""
    return f'<html><body><main class="report">{"".join(sections)}</main></body></html>'


@pytest.mark.parametrize("unit", [None, "A3"])
def test_the_word_draft_from_the_blocks_is_the_draft_from_the_page_internal(unit):
    from parsipas.present import word

    data = internal_report.prepare(tables(), SET, 2024, 2023, "vi", unit=unit, produced="2026-01-01")
    page = _page([internal_report.section(name, data) for name in data.sections])
    from_page = word.html_to_docx(page, "vi", issued_by=issued_by("vi"), produced="2026-01-01")
    blocks = word.report_to_docx(internal_report.kind(data), data, issued_by=issued_by("vi"), produced="2026-01-01")
    assert blocks == from_page


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_word_draft_from_the_blocks_is_the_draft_from_the_page_province(lang):
    """The Ministry report of the shipped record: every section, charts and the criterion section included."""
    from parsipas import clean
    from parsipas.present import word

    data = report.prepare(clean.build(), "56", 2022, 2021, lang=lang, produced="2026-01-01")
    page = _page([report.section(name, data) for name in ("cover", *report.SECTIONS)])
    from_page = word.html_to_docx(page, lang, issued_by=issued_by(lang), produced="2026-01-01")
    assert word.report_to_docx(report.KIND, data, issued_by=issued_by(lang), produced="2026-01-01") == from_page
