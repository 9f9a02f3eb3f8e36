import pytest

from parsipas.core.text import province_key
from parsipas.ingest.provinces import Gazetteer, UnknownName


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
    assert province_key("TP. Đà Nẵng") == province_key("Thành phố Đà Nẵng") == province_key("da nang")


def test_merger_map_khanh_hoa_absorbs_ninh_thuan(places):
    assert places.provinces.loc["58", "merged_2025_into"] == "56"


def test_one_diacritic_fold_serves_names_and_headers():
    from parsipas.core.text import fold_diacritics
    from parsipas.ingest.official_header import fold

    assert fold_diacritics("Đà Nẵng") == "da nang" and fold_diacritics("TỔNG ĐIỂM") == "tong diem"
    assert province_key("Đắk Lắk") == "daklak" and fold("Lĩnh vực 3 (13 điểm)") == "linh vuc 3"


# -- names across time: historic and common aliases (data/reference/province_aliases.csv), predecessors -------------
@pytest.mark.parametrize("spelling, code", [
    ("Sài Gòn", "79"), ("Sai Gon", "79"), ("HCMC", "79"), ("TP.HCM", "79"), ("Huế", "46"), ("TT Huế", "46"),
    ("Thừa Thiên Huế", "46"), ("Đắk Lăk", "66"), ("Đăk Lăk", "66"), ("Đắc Lắc", "66"), ("Darlac", "66"),
])
@pytest.mark.parametrize("year", [None, 2024, 2025])
def test_historic_and_common_names_resolve_in_every_set(spelling, code, year):
    assert Gazetteer(year=year).province_code(spelling) == code


def test_sai_gon_no_longer_suggests_lang_son():
    with pytest.raises(UnknownName) as caught:
        Gazetteer().province_code("Sai Gonn")
    assert caught.value.suggestion == "Thành phố Hồ Chí Minh"


def test_each_alias_is_data_the_normaliser_does_not_already_fold():
    from parsipas.ingest.provinces import aliases, provinces

    known = {province_key(n) for n in provinces()["name_vi"]}
    known |= {province_key(a) for row in provinces()["aliases"] for a in filter(None, row.split("|"))}
    listed = aliases()
    assert listed.kind.isin(["historic", "common", "spelling"]).all()
    assert set(listed.province_code) <= set(provinces().index)
    keys = [province_key(a) for a in listed.alias]
    assert len(keys) == len(set(keys)) and not set(keys) & known


@pytest.mark.parametrize("old, successor, new", [
    ("Ninh Thuận", "56", "Khánh Hòa"), ("Phú Yên", "66", "Đắk Lắk"), ("Bình Dương", "79", "Thành phố Hồ Chí Minh"),
    ("Vũng Tàu", "79", "Thành phố Hồ Chí Minh"), ("Yên Bái", "15", "Lào Cai"), ("Bắc Giang", "24", "Bắc Ninh"),
    ("Kiên Giang", "91", "An Giang"), ("Long An", "80", "Tây Ninh"),
])
def test_a_predecessor_in_a_later_year_resolves_to_its_successor_with_a_sentence(old, successor, new):
    code, sentence = Gazetteer(year=2025).resolve(old)
    assert code == successor and f"merged into {new}" in sentence and "2025" in sentence
    assert Gazetteer(year=2024).resolve(old)[1] is None  # up to 2024 the province is its own


def test_the_data_never_reads_a_predecessor_as_its_successor():
    """A 2025 figure naming Ninh Thuận is refused (it is not Khánh Hòa's), with the merger named."""
    with pytest.raises(UnknownName) as caught:
        Gazetteer(year=2025).province_code("Ninh Thuận")
    assert "merged into Khánh Hòa" in str(caught.value) and caught.value.suggestion == "Khánh Hòa"
    assert Gazetteer(year=2025).resolve("Khánh Hòa") == ("56", None)
    assert Gazetteer(year=2025).resolve("Thừa Thiên Huế") == ("46", None)  # kept its code: the same unit


def test_the_command_line_gives_a_predecessor_its_successors_report_and_says_so(tmp_path, caplog):
    """--province "Ninh Thuận" --year 2025: Khánh Hòa's report, and the log says why (not "unknown province")."""
    from pathlib import Path

    from parsipas.run.parameters import RunParameters, check, report_places

    synthetic = Path(__file__).parent / "fixtures" / "synthetic_2024_2025"
    params = RunParameters(province="Ninh Thuận, Khánh Hòa, Sài Gòn", year=2025, base_year=2024, raw=synthetic,
                           out=tmp_path / "reports", processed=tmp_path / "processed")
    with caplog.at_level("WARNING", logger="parsipas.run.parameters"):
        assert check(params, report_places(params)) == ["56", "79"]
    assert [r.getMessage() for r in caplog.records] == [
        "Ninh Thuận merged into Khánh Hòa in the 2025 reorganisation of provinces (merged_2025_into in "
        "data/reference/provinces.csv); 2025 ranks Khánh Hòa, so the report is Khánh Hòa's"]


@pytest.mark.parametrize("old, new", [("Yên Bái", "Lào Cai"), ("Bắc Giang", "Bắc Ninh"), ("Quảng Bình", "Quảng Trị"),
                                      ("Bình Định", "Gia Lai"), ("Long An", "Tây Ninh"), ("Tiền Giang", "Đồng Tháp"),
                                      ("Kiên Giang", "An Giang")])
def test_a_code_kept_by_the_merged_unit_does_not_make_the_old_province_the_new_one(old, new):
    """Lào Cai took Yên Bái's code 15 in 2025: a 2025 figure naming Yên Bái is refused, never read as Lào Cai's."""
    with pytest.raises(UnknownName) as caught:
        Gazetteer(year=2025).province_code(old)
    assert f"merged into {new}" in str(caught.value)
    assert Gazetteer(year=2025).resolve("Hà Nội") == ("01", None)  # Thành phố Hà Nội continues Hà Nội
