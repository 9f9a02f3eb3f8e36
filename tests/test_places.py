"""The provinces of each year as processed data (clean.reference_tables.provinces, analyse.places): the set a year
ranks, its size, the merger map and the names an analyst may type, all from the table and none from code."""

import pandas as pd
import pytest

from parsipas.analyse import places
from parsipas.clean import reference_tables


@pytest.fixture(scope="module")
def provinces() -> pd.DataFrame:
    return reference_tables.provinces()


def test_each_year_ranks_its_own_set(provinces):
    assert places.unit_count(provinces, 2024) == 63 and places.unit_count(provinces, 2025) == 34
    assert places.set_start(provinces, 2022) < places.set_start(provinces, 2025) == 2025
    assert places.same_set(provinces, 2021, 2024) and not places.same_set(provinces, 2024, 2025)
    with pytest.raises(LookupError, match="no set of provinces for assessment year 1990"):
        places.units(provinces, 1990)


def test_the_merger_map_gives_a_units_predecessors(provinces):
    before = places.predecessors(provinces, "56", 2024)
    assert before["name_vi"].to_dict() == {"56": "Khánh Hòa", "58": "Ninh Thuận"}
    assert before.to_dict("index") == {
        "56": {"name_vi": "Khánh Hòa", "slug": "khanh-hoa", "region_code": "BTBDHMT"},
        "58": {"name_vi": "Ninh Thuận", "slug": "ninh-thuan", "region_code": "BTBDHMT"}}
    assert set(places.predecessors(provinces, "79", 2024)["name_vi"]) == {
        "Thành phố Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"}
    assert places.predecessors(provinces, "58", 2024).empty  # 58 is no unit of 2025: it carries nothing on
    assert places.province_name(provinces, "58", 2025) == "Ninh Thuận"  # a predecessor keeps its own name


def test_a_typed_name_is_found_by_any_recorded_spelling(provinces):
    assert places.province_code(provinces, "khanh hoa", 2022) == "56"
    assert places.province_code(provinces, "Sài Gòn", 2022) == "79"  # province_aliases.csv, as processed data
    assert places.province_code(provinces, "Thành phố Huế", 2025) == "46"
    with pytest.raises(LookupError, match="did you mean Khánh Hòa"):
        places.province_code(provinces, "Khanh Hao", 2022)
