"""Without --base-year a report is compared with the latest earlier year that has figures for its province (issue 22,
item 8): each province its own in a batch, the log says which; `make report` stays 2022 against 2021."""

from __future__ import annotations

import json
import logging

import pytest
from conftest import run_pipeline

from parsipas import clean
from parsipas.core.errors import InputError
from parsipas.run.parameters import RunParameters, check, report_places
from parsipas.run.subjects import Province, resolved_subjects


@pytest.fixture(scope="module")
def tables():
    return clean.build()


def _subjects(params: RunParameters) -> list[Province]:
    places = report_places(params)
    return [Province.of(places, code) for code in check(params, places)]


def _base_years(params: RunParameters, tables: dict) -> dict[str, int]:
    _, subjects = resolved_subjects(params, _subjects(params), tables)
    return {subject.name: subject.own(params).base_year for subject in subjects}


def test_2024_is_compared_with_2023_where_the_public_record_has_it_else_the_latest_earlier_year(tables, caplog):
    params = RunParameters(province="Hà Nội, Khánh Hòa", year=2024)
    with caplog.at_level(logging.INFO, "parsipas"):
        assert _base_years(params, tables) == {"Hà Nội": 2023, "Khánh Hòa": 2022}  # Khánh Hòa: nothing for 2023
    assert "compared with the latest year before 2024 with figures: 2023 for Hà Nội; 2022 for Khánh Hòa" in caplog.text


def test_the_default_report_is_still_2022_against_2021(tables):
    assert _base_years(RunParameters(), tables) == {"Khánh Hòa": 2021}


def test_a_batch_gives_each_province_its_own_base_year_and_counts_the_common_one(tables, caplog):
    params = RunParameters(province="all", year=2024)
    with caplog.at_level(logging.INFO, "parsipas"):
        years = _base_years(params, tables)
    assert len(years) == 63 and years["Hà Nội"] == 2023 and years["Khánh Hòa"] == 2022
    common = sum(year == 2023 for year in years.values())
    assert f"2023 for {common} provinces" in caplog.text and "2022 for " in caplog.text


def test_an_explicit_base_year_is_kept(tables):
    assert _base_years(RunParameters(province="Hà Nội", year=2024, base_year=2021), tables) == {"Hà Nội": 2021}


def test_a_province_without_any_earlier_figure_is_compared_with_the_latest_year_on_record_and_warned(tables, caplog):
    empty = {name: tables[name].iloc[0:0] for name in ("par_scores", "sipas_scores")}
    with caplog.at_level(logging.WARNING, "parsipas"):
        assert _base_years(RunParameters(province="Khánh Hòa", year=2024), empty) == {"Khánh Hòa": 2023}
    warning = "Khánh Hòa: no year on record before 2024 has a figure for it; compared with 2023, which has none"
    assert warning in caplog.text


def test_no_year_on_record_before_the_report_year_is_a_usage_error_before_anything_runs():
    with pytest.raises(InputError) as caught:
        report_places(RunParameters(province="Khánh Hòa", year=2017))
    assert "no year before the report year is on record" in str(caught.value) and "--year" in str(caught.value)
    report_places(RunParameters(province="Khánh Hòa", year=2018))  # 2017 is on record


@pytest.mark.slow
def test_the_command_line_compares_2024_with_each_provinces_latest_earlier_year(tmp_path):
    out = tmp_path / "reports"
    result = run_pipeline("--province", "Hà Nội, Khánh Hòa", "--year", "2024", "--formats", "html", "--out", str(out),
                          "--processed", str(tmp_path / "processed"))
    assert result.returncode == 0, result.stderr
    assert "2023 for Hà Nội; 2022 for Khánh Hòa" in result.stderr
    for folder, base_year in (("ha-noi", "2023"), ("khanh-hoa", "2022")):
        manifest = json.loads((out / "2024" / folder / "vi" / "manifest.json").read_text())
        assert manifest["parameters"]["base_year"] == base_year


def test_a_year_whose_methodology_is_not_on_record_is_not_compared_with(tables, caplog):
    par = tables["par_scores"]
    before = par[par["province_code"] == "56"].head(1).assign(year=2013)  # years on record start in 2017
    only_2013 = {"par_scores": before, "sipas_scores": tables["sipas_scores"].iloc[0:0]}
    with caplog.at_level(logging.WARNING, "parsipas"):
        assert _base_years(RunParameters(province="Khánh Hòa", year=2024), only_2013) == {"Khánh Hòa": 2023}
    assert "Khánh Hòa: no year on record before 2024 has a figure for it" in caplog.text
