"""Analysis on the synthetic complete fixture (values recomputed here from the workbook cells) and on the public
record."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from parsipas import clean
from parsipas.analyse import analysis, methodology
from parsipas.ingest import reference
from parsipas.ingest.provinces import Gazetteer, unit_count

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic_complete"
PLACES = Gazetteer()


def _context(province: str, target_rank: int = 30, year: int = 2022) -> analysis.Context:
    return analysis.Context(province, year, year - 1, PLACES.provinces.loc[province, "region_code"],
                            reference.indicators(), reference.decisions(), PLACES.provinces["region_code"], target_rank,
                            {y: unit_count(y) for y in (year - 1, year)})


@pytest.fixture(scope="module")
def synthetic():
    tables = clean.build(FIXTURE)
    return pd.concat([tables["par_scores"], tables["sipas_scores"]]), tables


@pytest.fixture(scope="module")
def cells() -> pd.DataFrame:
    """The 2022 PAR table straight from the workbook: province code -> F1..F8, total."""
    sheet = openpyxl.load_workbook(FIXTURE / "official" / "par_2022_synthetic.xlsx").active
    rows = {PLACES.province_code(r[1]): r[2:11] for r in sheet.iter_rows(min_row=5, values_only=True)
            if isinstance(r[0], int)}
    return pd.DataFrame.from_dict(rows, orient="index", columns=[*(f"F{k}" for k in range(1, 9)), "total"])


def test_ranks_means_and_gaps_match_an_independent_computation(synthetic, cells):
    scores, tables = synthetic
    comparison = analysis.compare(scores, tables["summary"], _context("56"))
    totals = cells["total"].sort_values(ascending=False)
    assert comparison.loc["PAR", "rank_year"] == 1 + (totals > cells.loc["56", "total"]).sum()
    f1 = 100 * cells["F1"] / 9
    assert comparison.loc["PAR.F1", "national_mean_year"] == pytest.approx(f1.mean(), abs=1e-3)
    region = PLACES.provinces["region_code"] == "BTBDHMT"
    assert comparison.loc["PAR.F1", "regional_mean_year"] == pytest.approx(f1[region[region].index].mean(), abs=1e-3)
    assert comparison.loc["PAR.F1", "gap_best_year"] == pytest.approx(f1["56"] - f1.max(), abs=1e-3)
    at_target = f1.sort_values(ascending=False).iloc[29]
    assert comparison.loc["PAR.F1", "gap_target_year"] == pytest.approx(f1["56"] - at_target, abs=1e-3)
    assert comparison.loc["PAR.F1", "rank_computed_year"]


def test_tied_provinces_share_a_computed_rank(synthetic):
    scores, tables = synthetic
    hanoi = analysis.compare(scores, tables["summary"], _context("01")).loc["PAR", "rank_year"]
    saigon = analysis.compare(scores, tables["summary"], _context("79")).loc["PAR", "rank_year"]
    assert hanoi == saigon


def test_target_points_and_what_if(synthetic, cells):
    scores, _ = synthetic
    last = cells["total"].idxmin()
    result = analysis.target(scores, _context(last, target_rank=30))
    others = cells["total"].drop(last).sort_values(ascending=False)
    assert result.complete
    assert result.points_needed == pytest.approx(others.iloc[29] - cells.loc[last, "total"], abs=1e-6)
    headroom = {f"PAR.F{k}": m - cells.loc[last, f"F{k}"] for k, m in enumerate([9, 10, 13, 10.5, 13, 9.5, 13, 22], 1)}
    assert dict(result.headroom["headroom"].round(4)) == pytest.approx(headroom, abs=1e-4)
    total, place = result.what_if({"PAR.F1": 100.0})  # capped at the field's headroom
    assert total == pytest.approx(cells.loc[last, "total"] + headroom["PAR.F1"], abs=1e-6)
    assert place == 1 + (others > total).sum()


def test_missing_provinces_make_the_table_incomplete_and_nothing_is_estimated(synthetic):
    scores, tables = synthetic
    partial = scores[scores["province_code"] != "01"]
    comparison = analysis.compare(partial, tables["summary"], _context("56"))
    assert pd.isna(comparison.loc["PAR.F1", "national_mean_year"]) and pd.isna(comparison.loc["PAR.F1", "rank_year"])
    assert not analysis.target(partial, _context("56")).complete


def test_weak_criteria_ordered_by_recoverable_points(synthetic):
    scores, tables = synthetic
    weak = analysis.weak_criteria(scores, tables["summary"], tables["criteria"], _context("56"))
    sheet = openpyxl.load_workbook(FIXTURE / "official" / "scorecard_2022_khanh-hoa_synthetic.xlsx").active
    recoverable = {f"PAR.F{r[0]}": round(r[2] - r[4], 4) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(weak) == len(recoverable)
    assert list(weak["recoverable"]) == sorted(recoverable.values(), reverse=True)
    fields = weak[weak["level"] == 1]
    assert (fields["below_average"] == (fields["share"] < fields["national_mean"])).all()
    assert weak[weak["level"] > 1]["change_share"].isna().all()  # no 2021 scorecard to compare with


def test_the_fields_and_what_lies_under_them_come_from_the_methodology():
    fields = methodology.par_fields(reference.indicators())
    assert fields == tuple(f"PAR.F{k}" for k in range(1, 9))  # the Ministry's eight, as indicators.csv lists them
    codes = pd.Series(["PAR", "PAR.F3", "PAR.F3.1.2", "PAR.F1.APPRAISED", "PAR.F10.1", "SIPAS", "PAR.SURVEY"])
    assert methodology.under_fields(codes, fields).tolist() == [False, True, True, True, False, False, False]
    assert methodology.under_fields(codes, ("PAR.F10",)).tolist() == [False] * 4 + [True, False, False]


def test_a_methodology_without_a_field_leaves_it_out_of_the_weak_criteria_and_the_headroom(synthetic):
    """SYNTHETIC: the same figures under a methodology whose fields stop at PAR.F7."""
    scores, tables = synthetic
    indicators = reference.indicators()
    indicators.loc["PAR.F8", "level"] = "part"
    ctx = replace(_context("56"), indicators=indicators)
    weak = analysis.weak_criteria(scores, tables["summary"], tables["criteria"], ctx)
    every = analysis.weak_criteria(scores, tables["summary"], tables["criteria"], _context("56"))
    eighth = every.index.str.startswith("PAR.F8")
    assert eighth.any() and list(weak.index) == list(every.index[~eighth])
    assert list(analysis.target(scores, _context("56")).headroom.index.drop("PAR.F8")) == list(
        analysis.target(scores, ctx).headroom.index)


def test_public_record_facts_for_khanh_hoa():
    tables = clean.build()
    scores = pd.concat([tables["par_scores"], tables["sipas_scores"]])
    comparison = analysis.compare(scores, tables["summary"], _context("56"))
    assert comparison.loc["PAR", "gap_national_year"] == pytest.approx(86.19 - 84.79)
    assert comparison.loc["PAR", "change_rank"] == 23 and not comparison.loc["PAR", "rank_computed_year"]
    result = analysis.target(scores, _context("56"))
    assert not result.complete and result.score == 86.19 and result.rank == 25 and result.points_needed is None
