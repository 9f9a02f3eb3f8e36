"""An official table's points are checked against the public record's percent of the field's maximum for the same
province, year and field (issue 22, item 9): the official figure is used, and a difference beyond rounding is a listed
conflict that the report's data-quality section mentions."""

from __future__ import annotations

import shutil
from html import escape
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT, SYNTHETIC

from parsipas import clean
from parsipas.clean.conflict_rule import cross_check
from parsipas.core.messages import text
from parsipas.present import report

COLUMNS = ["year", "area_code", "indicator", "measure", "value", "max_points", "source_id", "is_official"]


def _figures(*rows) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=COLUMNS)


def _official(points: float, max_points: float = 9.0) -> tuple:
    return (2022, "56", "PAR.F1", "points", points, max_points, "official:par_2022.xlsx", True)


def _public(percent: float, source: str = "page-a") -> tuple:
    return (2022, "56", "PAR.F1", "pct_of_max", percent, 9.0, source, False)


def test_a_percent_that_is_the_official_points_rounded_is_no_conflict_and_the_official_figure_is_used():
    figures = _figures(_official(8.91), _public(99.0))  # 8.91 / 9 = 99.0 %
    kept, conflicts = cross_check(figures, figures)
    assert conflicts.empty
    assert kept["measure"].tolist() == ["points"]  # the percent is derived from the official points


def test_rounding_is_half_a_unit_of_each_values_last_decimal():
    # 6.8 points (one decimal: +-0.05 points = +-0.56 % of 9) and 75.56 % (+-0.005): up to 0.56 % apart is rounding
    inside = _figures(_official(6.8), _public(76.1))
    outside = _figures(_official(6.8), _public(76.2))
    assert cross_check(inside, inside)[1].empty
    assert len(cross_check(outside, outside)[1]) == 1


def test_a_hand_made_disagreement_is_a_conflict_with_both_sources_and_the_official_one_kept():
    figures = _figures(_official(6.8), _public(99.01, "page-a"), _public(99.01, "page-b"))
    kept, conflicts = cross_check(figures.drop(index=2), figures)  # resolve keeps one row per key
    assert conflicts.to_dict("records") == [dict(
        year=2022, area_code="56", indicator="PAR.F1", measure="pct_of_max", value_kept=75.5556,
        sources_kept="official:par_2022.xlsx", value_rejected=99.01, sources_rejected="page-a;page-b",
        rule="cross_check")]
    assert kept["measure"].tolist() == ["points"]


def test_public_points_or_another_provinces_percent_are_left_alone():
    figures = _figures(_official(6.8), (2022, "58", "PAR.F1", "pct_of_max", 99.0, 9.0, "page-a", False),
                       (2021, "56", "PAR.F1", "pct_of_max", 99.0, 9.0, "page-a", False))
    kept, conflicts = cross_check(figures, figures)
    assert conflicts.empty and len(kept) == 3


@pytest.fixture(scope="module")
def combined(tmp_path_factory) -> Path:
    """The public record beside the SYNTHETIC complete tables of 2022 (its 2021 tables invent maxima the public
    record's figures exceed, so they cannot stand beside it)."""
    raw = tmp_path_factory.mktemp("raw")
    shutil.copytree(ROOT / "data" / "raw" / "public", raw / "public")
    (raw / "official").mkdir()
    for table in (SYNTHETIC / "official").glob("*2022*"):
        shutil.copy(table, raw / "official")
    return raw


@pytest.fixture(scope="module")
def tables(combined) -> dict:
    return clean.build(combined)


def test_the_synthetic_tables_against_the_public_record(tables):
    crossed = tables["conflicts"][tables["conflicts"]["rule"] == "cross_check"]
    khanh_hoa = crossed[crossed["area_code"] == "56"].set_index("indicator")
    # Khánh Hòa 2022, PAR.F1: the synthetic table's 6.80 of 9 points against 99.01 % in the public record
    assert khanh_hoa.loc["PAR.F1", ["value_kept", "value_rejected", "sources_kept", "sources_rejected"]].tolist() == [
        75.5556, 99.01, "official:par_2022_synthetic.xlsx", "phapykhanhhoa-aa348c"]
    scores = tables["par_scores"]
    used = scores[(scores["province_code"] == "56") & (scores["year"] == 2022) & (scores["indicator"] == "PAR.F1")
                  & (scores["measure"] == "pct_of_max")]
    assert used[["value", "source_id", "is_derived"]].values.tolist() == [
        [75.5556, "official:par_2022_synthetic.xlsx", True]]


def test_the_data_quality_section_says_so(tables):
    data = report.prepare(tables, "56", 2022, 2021, lang="en", produced="2026-01-01")
    html = report.section("coverage", data)
    count = int((data.conflicts["rule"] == "cross_check").sum())
    assert count == 6
    assert escape(text("coverage_cross_check", "en", count=count)) in html
    assert escape(text("rule_cross_check", "en")) in html


def test_the_public_record_alone_has_nothing_to_cross_check():
    assert "cross_check" not in set(clean.build()["conflicts"]["rule"])
