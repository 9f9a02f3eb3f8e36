"""The analyst notebooks' tables (display.py, explore.py's show_* views): every row, headers in words in the run's
language, numbers and ranks written for it, blanks blank, a sentence for an empty table, and the figures unchanged."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from parsipas import clean
from parsipas.core.formatting import number, rank, signed
from parsipas.core.messages import CATALOGUE, text
from parsipas.ingest.provinces import Gazetteer
from parsipas.ingest.schemas import MEASURES
from parsipas.present import display, explore, report
from parsipas.present.display import Column, cell


def visible(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style>.*?</style>", "", page, flags=re.S)))


def headers(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r"<th(?: [^>]*)?>(.*?)</th>", page)]


def rows(page: str) -> list[list[str]]:
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", page) if "<td" in row]


@pytest.mark.parametrize(("value", "kind", "lang", "out_of", "written"), [
    (76.8523, "number", "vi", None, "76,85"), (76.8523, "number", "en", None, "76.85"),
    (5.0, "rank", "vi", None, "5"), (25.0, "rank", "en", 63, "25/63"), (-7.0, "rank_change", "vi", None, "−7"),
    (23.0, "rank_change", "en", None, "+23"), (1.084, "signed", "vi", None, "+1,08"), (0.0, "count", "vi", None, "0"),
    (True, "flag", "vi", None, "có"), (False, "flag", "en", None, "no"), (89.6, "figure", "vi", None, "89,6"),
    (8.0, "figure", "en", None, "8"), ("Sở Y tế", "text", "vi", None, "Sở Y tế")])
def test_a_cell_is_written_for_the_language(value, kind, lang, out_of, written):
    assert cell(value, kind, lang, out_of) == written


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA, float("nan"), pd.NaT])
@pytest.mark.parametrize("kind", ["number", "count", "rank", "signed", "rank_change", "flag", "figure", "text"])
def test_a_value_not_known_is_blank(missing, kind):
    assert cell(missing, kind, "vi") == ""


def test_a_table_shows_every_row_in_a_scrolling_box_with_headers_in_words():
    frame = pd.DataFrame({"share": np.linspace(50, 99, 120)}, index=[f"Tỉnh {i}" for i in range(120)])
    page = display.table_html(frame, {"share": Column("col_share", "number", {"year": 2022})}, "vi", "never",
                              Column("nb_col_province"))
    assert headers(page) == ["Tỉnh, thành phố", "% điểm tối đa 2022"]
    assert len(rows(page)) == 120 and rows(page)[-1] == ["Tỉnh 119", "99,00"]
    assert "overflow:auto" in page and 'class="parsipas-table"' in page


def test_an_empty_table_is_one_sentence():
    page = display.table_html(pd.DataFrame({"share": []}), {"share": Column("col_share", "number", {"year": 2022})},
                              "en", "No field results for the province in 2022.")
    assert visible(page).strip() == "No field results for the province in 2022." and "<table" not in page


def test_every_measure_and_rule_step_has_words():
    """A coverage or conflict table names any measure the schema allows, and any step of the conflict rule."""
    assert [m for m in MEASURES if f"nb_col_known_{m}" not in CATALOGUE or f"nb_value_{m}" not in CATALOGUE] == []
    steps = [key.removeprefix("rule_") for key in CATALOGUE if key.startswith("rule_")]  # the report's words per step
    assert {"official", "sources", "original", "precision", "source_id", "cross_check"} <= set(steps)
    assert all(f"nb_rule_{step}" in CATALOGUE for step in steps)


@pytest.fixture(scope="module")
def khanh_hoa_2022():
    processed = clean.build()
    code = Gazetteer(year=2022).province_code("Khánh Hòa")
    return processed, {lang: report.prepare(processed, code, 2022, 2021, None, lang) for lang in ("vi", "en")}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_comparison_shows_the_processed_figures_formatted(khanh_hoa_2022, lang):
    _, prepared = khanh_hoa_2022
    data = prepared[lang]
    page = explore.show_comparison(data, "PAR", lang).data
    par = data.comparison.loc["PAR"]
    before, now = data.unit_counts[2021], data.unit_counts[2022]
    assert rows(page)[0] == [par[f"name_{lang}"], number(par["share_base"], lang), rank(par["rank_base"], lang, before),
                             number(par["share_year"], lang), rank(par["rank_year"], lang, now),
                             signed(par["change_share"], lang), "+23", signed(par["gap_national_year"], lang),
                             text("nb_yes", lang)]
    assert headers(page)[:3] == [text("col_indicator", lang), text("col_share", lang, year=2021),
                                 text("col_rank", lang, year=2021)]


def test_the_weak_table_shows_the_processed_figures_and_blanks(khanh_hoa_2022):
    _, prepared = khanh_hoa_2022
    data = prepared["vi"]
    page = explore.show_weak(data.weak, "recoverable", False, "vi", 2022, 2021, 63).data
    by_name = {row[0]: row for row in rows(page)}
    e_gov = by_name[data.weak.loc["PAR.F7", "name_vi"]]
    assert e_gov[1] == number(data.weak.loc["PAR.F7", "share"], "vi") == "76,88"
    assert e_gov[8] == "28/63" and e_gov[9] == "" and e_gov[11] == "không"  # a flag not known is blank
    assert len(by_name) == len(data.weak)


def test_a_table_with_nothing_to_show_says_why(khanh_hoa_2022):
    processed, prepared = khanh_hoa_2022
    data = prepared["vi"]
    assert visible(explore.show_headroom(data.target, data.indicator_names["name_vi"], "vi", 2022).data).strip() \
        == text("nb_no_headroom", "vi", year=2022)
    page = explore.show_target(data, "vi").data
    assert text("nb_no_at_target", "vi", target=data.target.target_rank, year=2022) in visible(page)
    assert visible(explore.show_criteria(processed, "56", 2022, 2021, "en").data).strip() \
        == text("nb_no_scorecard", "en", year=2022)


def test_coverage_counts_are_whole_with_zero_where_no_province_has_a_figure(khanh_hoa_2022):
    processed, prepared = khanh_hoa_2022
    names = prepared["en"].indicator_names["name_en"]
    table = explore.coverage_table(processed, 2022, names)
    assert table.loc["PAR INDEX", "percent"] == 0 and table.loc["PAR INDEX", "rank"] == 20
    page = explore.show_coverage(processed, 2022, names, "en").data
    assert "Provinces with a rank" in headers(page) and ["PAR INDEX", "16", "0", "16", "20"] == rows(page)[0]


def test_the_weakest_field_marks_the_province_among_all(khanh_hoa_2022):
    _, prepared = khanh_hoa_2022
    page = explore.show_weakest_field(prepared["en"], "en").data
    marked = re.findall(r"<tr class=marked>(.*?)</tr>", page)
    assert len(marked) == 1 and "Khánh Hòa" in marked[0] and "76.88" in marked[0]
    assert "<strong>Building and developing e-government and digital government</strong>" in page


def test_a_comparison_without_figures_is_one_sentence_in_the_language(khanh_hoa_2022):
    """Khánh Hòa has no SIPAS figure in 2022 or 2023: the table of those years is the sentence saying so."""
    processed, _ = khanh_hoa_2022
    data = report.prepare(processed, "56", 2023, 2022, None, "vi")
    page = explore.show_comparison(data, "SIPAS", "vi").data
    assert "<table" not in page and visible(page).strip() == text("sipas_none", "vi", year=2023, base_year=2022,
                                                                    unit="tỉnh")


@pytest.fixture(scope="module")
def ninh_thuan_complete():
    """SYNTHETIC complete tables: every province's total, so the target and the what-if are exact."""
    processed = clean.build(Path(__file__).parent / "fixtures" / "synthetic_complete")
    return report.prepare(processed, Gazetteer(year=2022).province_code("Ninh Thuận"), 2022, 2021, 30, "vi")


def test_the_what_if_and_the_gap_to_the_national_average_in_vietnamese(ninh_thuan_complete):
    data = ninh_thuan_complete
    said = explore.what_if(data.target, {"PAR.F7": 1.0}, data.indicator_names["name_vi"], "vi")
    assert said.startswith(f"Điểm {number(data.target.score, 'vi')}, hạng 63/63. Hạng 30 cần "
                           f"{number(data.target.score_to_reach, 'vi')} (thêm {number(data.target.points_needed, 'vi')}"
                           " điểm).")
    unset = explore.what_if(replace(data.target, target_rank=None), {"PAR.F7": 1.0}, data.indicator_names["name_vi"],
                            "vi")
    assert "Chưa có mục tiêu xếp hạng nào trong hồ sơ" in unset and "Hạng 30" not in unset
    page = explore.show_weak(data.weak, "shortfall", False, "vi", 2022, 2021, data.provinces_total).data
    first = data.weak.sort_values("shortfall", ascending=False).iloc[0]
    assert rows(page)[0][6] == signed(-first["shortfall"], "vi") and rows(page)[0][6].startswith("−")
    assert headers(page)[6] == "So với bình quân cả nước 2022 (điểm %)"
