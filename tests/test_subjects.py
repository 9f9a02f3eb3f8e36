"""What a report is about: provinces and the units of a unit set, resolved from what the command line asks for."""

from __future__ import annotations

import json
import logging
from dataclasses import replace

import pytest
from internal_tables import SET, tables

from parsipas.core.errors import InputError
from parsipas.ingest.provinces import Gazetteer
from parsipas.run.parameters import RunParameters
from parsipas.run.subjects import Province, Unit, notebooks, unit_folder, unit_listing, unit_subjects, unit_warnings


@pytest.fixture()
def params() -> RunParameters:
    return RunParameters(year=None, base_year=None, unit_set=SET, produced="2026-01-01")


def _resolve(params: RunParameters, unit: str):
    return unit_subjects(replace(params, unit=unit), tables())


def test_a_unit_set_defaults_to_its_latest_two_years_with_results_and_the_overview(params):
    resolved, [overview] = _resolve(params, "overview")
    assert (resolved.year, resolved.base_year) == (2024, 2023)
    assert overview == Unit(f"{SET}/overview", f"overview of {SET}", f"internal/{SET}/overview", "Khánh Hòa",
                            unit_set=SET)
    assert overview.parameters(resolved, "05_internal") == {
        "unit_set": SET, "unit": None, "year": 2024, "base_year": 2023, "lang": "vi",
        "processed_dir": str(resolved.processed), "produced": "2026-01-01"}
    assert notebooks([overview]) == ("05_internal",) == notebooks([overview, overview])


def test_all_is_the_overview_then_every_unit_with_results_in_the_year_in_group_order(params, caplog):
    caplog.set_level(logging.INFO, logger="parsipas")
    resolved, subjects = _resolve(params, "all")
    assert [s.unit for s in subjects] == [None, "A1", "A2", "A3", "B1"]
    assert subjects[1].folder == f"internal/{SET}/A1-so-noi-vu" and subjects[1].name == "Sở Nội vụ"
    assert "no report for 1 unit(s) of tinh-x without results for 2024" in caplog.text
    assert caplog.text.rstrip().endswith("UBND huyện Hai")
    assert unit_warnings(tables(), subjects, resolved.year) == {}
    _, named = _resolve(params, "B2")  # named: its report shows the gaps, and the log says why
    assert unit_warnings(tables(), named, resolved.year) == {
        f"{SET}/B2": (f"UBND huyện Hai: no result for 2024 in the data of {SET}",)}


def test_units_are_named_by_code_in_any_case_or_by_name_in_any_spelling(params):
    _, subjects = _resolve(params, "a3, So Noi Vu ,Sở Tư pháp, overview, A3")
    assert [s.unit for s in subjects] == ["A3", "A1", "A2", None]


def test_an_explicit_year_and_base_year_are_kept_and_checked(params):
    resolved, _ = _resolve(replace(params, year=2024, base_year=None), "overview")
    assert resolved.base_year == 2023
    resolved, _ = _resolve(replace(params, year=2023), "overview")
    assert resolved.base_year is None  # no earlier year has results: the report has one year
    with pytest.raises(InputError, match="--base-year"):
        _resolve(replace(params, year=2023, base_year=2024), "overview")


@pytest.mark.parametrize("years, option", [((2025, None), "--year"), ((2024, 2022), "--base-year")])
def test_a_year_without_results_is_refused_with_the_years_that_have_them(params, years, option):
    with pytest.raises(InputError) as caught:
        _resolve(replace(params, year=years[0], base_year=years[1]), "overview")
    assert f"the unit set {SET} has no results for that year — command line, option {option}" in str(caught.value)
    assert "expected a year with results: 2023, 2024" in str(caught.value)


def test_an_unknown_set_lists_the_sets_found(params):
    with pytest.raises(InputError) as caught:
        _resolve(replace(params, unit_set="khanh-hoa"), "overview")
    assert "option --unit-set" in str(caught.value) and f"one of {SET}" in str(caught.value)


def test_an_unknown_unit_names_a_few_units_and_how_to_list_all(params):
    with pytest.raises(InputError) as caught:
        _resolve(params, "A1, Sở Xây dựng")
    message = str(caught.value)
    assert "option --unit" in message and "'Sở Xây dựng'" in message
    assert "Sở Nội vụ; Sở Tư pháp; Sở Y tế" in message
    assert f"pipeline.py --list-units --unit-set {SET} --year 2024 lists them all" in message


def test_a_close_name_is_suggested_first(params):
    with pytest.raises(InputError, match="such as UBND huyện Một; UBND huyện Hai "):
        _resolve(params, "huyện")


def test_a_unit_folder_is_its_code_and_name_and_never_says_a_slug_twice():
    assert unit_folder("SO01", "Sở Nội vụ") == "SO01-so-noi-vu"
    assert unit_folder("22366", "Phường Nha Trang") == "22366-phuong-nha-trang"
    assert unit_folder("thanh-tra-tinh", "Thanh tra tỉnh") == "thanh-tra-tinh"  # public record: code = slug of name
    assert unit_folder("SỞ 1", "Sở Một") == "so-1-so-mot"


def test_listing_shows_each_unit_its_group_and_whether_the_year_has_its_results():
    listing = unit_listing(tables(), SET, 2024)
    assert listing.values.tolist() == [
        ["A1", "Sở Nội vụ", "Sở, ban, ngành", "yes"], ["A2", "Sở Tư pháp", "Sở, ban, ngành", "yes"],
        ["A3", "Sở Y tế", "Sở, ban, ngành", "yes"], ["B1", "UBND huyện Một", "UBND cấp huyện", "yes"],
        ["B2", "UBND huyện Hai", "UBND cấp huyện", "-"]]


def test_a_province_subject_gives_the_notebooks_the_parameters_they_had_before():
    params = RunParameters(base_year=2021, produced="2026-01-01")  # the base year the data gives by default (2021)
    subject = Province.of(Gazetteer(year=2022), "56")
    assert (subject.name, subject.folder) == ("Khánh Hòa", "khanh-hoa")
    common = {"province": "56", "year": 2022, "base_year": 2021, "target_rank": None,
              "processed_dir": str(params.processed), "raw_dir": str(params.raw)}
    assert subject.parameters(params, "02_compare") == common
    assert subject.parameters(params, "03_report") == {**common, "lang": "vi", "produced": "2026-01-01"}
    assert notebooks([subject]) == ("02_compare", "03_report") and notebooks([subject] * 2) == ("03_report",)
    assert subject.identity() == {"province_code": "56"} and subject.unused == ("unit_set", "unit")


def test_a_unit_report_takes_its_title_from_the_cell_tagged_title(tmp_path):
    executed = tmp_path / "05_internal.ipynb"
    cells = [{"cell_type": "code", "metadata": {"tags": ["title"]},
              "outputs": [{"output_type": "stream", "name": "stdout", "text": ["Chỉ số CCHC 2024 · Sở Nội vụ\n"]}]}]
    executed.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    unit = Unit(f"{SET}/A1", "Sở Nội vụ", f"internal/{SET}/A1-so-noi-vu", unit_set=SET, unit="A1")
    assert unit.title("vi", executed) == "Chỉ số CCHC 2024 · Sở Nội vụ"
    assert unit.identity() == {"unit_set": SET, "unit": "A1"}
