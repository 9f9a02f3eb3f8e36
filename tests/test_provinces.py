import pytest

from parsipas.provinces import Gazetteer, UnknownName, name_key


@pytest.fixture(scope="module")
def places():
    return Gazetteer()


def test_sixty_three_provinces_in_six_regions_and_thirty_four_units_after_2025(places):
    assert len(places.provinces) == 63
    assert places.provinces["region_code"].nunique() == 6
    assert set(places.provinces["region_code"]) <= set(places.regions.index)
    assert set(places.provinces["merged_2025_into"]) == set(Gazetteer(year=2025).provinces.index)


@pytest.mark.parametrize("spelling, code", [
    ("Khánh Hòa", "56"), ("Khánh Hoà", "56"), ("Khanh Hoa", "56"), ("56", "56"),
    ("TP. Hồ Chí Minh", "79"), ("Thành phố Hồ Chí Minh", "79"), ("TP Hồ Chí Minh", "79"),
    ("Bà Rịa - Vũng Tàu", "77"), ("Bà Rịa – Vũng Tàu", "77"), ("Thừa Thiên - Huế", "46"), ("Thừa Thiên Huế", "46"),
    ("Bắc Cạn", "06"), ("Bắc Kạn", "06"), ("Hòa Bình", "17"),
])
def test_every_spelling_met_resolves(places, spelling, code):
    assert places.province_code(spelling) == code


def test_unknown_name_suggests_the_closest(places):
    with pytest.raises(UnknownName) as caught:
        places.province_code("Khanh Hao")
    assert caught.value.suggestion == "Khánh Hòa"


def test_name_key_folds_prefixes_and_dashes():
    assert name_key("TP. Đà Nẵng") == name_key("Thành phố Đà Nẵng") == name_key("da nang")


def test_merger_map_khanh_hoa_absorbs_ninh_thuan(places):
    assert places.provinces.loc["58", "merged_2025_into"] == "56"


def test_one_diacritic_fold_serves_names_and_headers():
    from parsipas.official_header import fold
    from parsipas.text import fold_diacritics

    assert fold_diacritics("Đà Nẵng") == "da nang" and fold_diacritics("TỔNG ĐIỂM") == "tong diem"
    assert name_key("Đắk Lắk") == "daklak" and fold("Lĩnh vực 3 (13 điểm)") == "linh vuc 3"
