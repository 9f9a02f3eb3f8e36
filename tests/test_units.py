"""The set of provinces per assessment year and the 2025 merger map (issue 14), checked against the official list."""

import csv
import dataclasses
import json
import re
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from parsipas import clean
from parsipas.core.errors import InputError
from parsipas.ingest.provinces import Gazetteer, provinces, units
from parsipas.present import charts, explore, report
from parsipas.run.parameters import RunParameters, check, report_places

ERA_CHANGE = Path(__file__).parent / "fixtures" / "synthetic_2024_2025" / "official"

RENUMBERED = {"Lào Cai": "15", "Bắc Ninh": "24", "Quảng Trị": "44", "Gia Lai": "52", "Tây Ninh": "80",
              "Đồng Tháp": "82", "An Giang": "91"}
CITIES_2025 = {"Thành phố Hà Nội", "Thành phố Hải Phòng", "Thành phố Huế", "Thành phố Đà Nẵng",
               "Thành phố Hồ Chí Minh", "Thành phố Cần Thơ"}


@pytest.mark.parametrize("year, count", [(2012, 63), (2024, 63), (2025, 34), (2030, 34)])
def test_a_year_ranks_63_provinces_up_to_2024_and_34_units_from_2025(year, count):
    assert len(units(year)) == count


def test_no_set_before_the_63_provinces():
    with pytest.raises(LookupError, match="2007"):
        units(2007)


def test_the_2025_units_carry_the_official_codes_names_regions_and_kinds():
    after = units(2025)
    assert {name: after.index[after["name_vi"] == name][0] for name in RENUMBERED} == RENUMBERED
    assert after.loc["46", "name_vi"] == "Thành phố Huế"
    assert set(after.loc[after["kind"] == "city", "name_vi"]) == CITIES_2025
    assert set(after["kind"]) == {"city", "province"}
    assert after["region_code"].value_counts().to_dict() == {"BTBDHMT": 8, "TDMNPB": 9, "DBSH": 6, "DBSCL": 5,
                                                             "TN": 3, "DNB": 3}
    assert after["slug"].is_unique and after["name_vi"].is_unique


def test_every_2024_province_has_exactly_one_successor_and_every_2025_unit_a_predecessor():
    before, after = units(2024), units(2025)
    assert before["merged_2025_into"].ne("").all()
    assert set(before["merged_2025_into"]) == set(after.index)


def test_a_unit_whose_predecessors_shared_a_region_keeps_it():
    before, after = units(2024), units(2025)
    for code, group in before.groupby("merged_2025_into"):
        if group["region_code"].nunique() == 1:
            assert after.loc[code, "region_code"] == group["region_code"].iloc[0], after.loc[code, "name_vi"]


def test_gazetteer_of_a_year_resolves_that_years_names():
    hue = Gazetteer(year=2025)
    assert [hue.province_code(n) for n in ["Thành phố Huế", "Huế", "TP. Huế", "Khánh Hoà", "TP.HCM", "Bắc Ninh"]] \
        == ["46", "46", "46", "56", "79", "24"]
    assert hue.slug("46") == "hue"
    assert Gazetteer(year=2024).province_code("Bắc Ninh") == Gazetteer().province_code("Bắc Ninh") == "27"
    assert Gazetteer(year=2024).provinces.equals(Gazetteer().provinces)


def test_the_34_units_match_the_vietnam_provinces_package():
    vietnam_provinces = pytest.importorskip("vietnam_provinces")
    official = {f"{int(p.code):02d}": p for p in vietnam_provinces.Province.iter_all()}
    after = units(2025)
    assert sorted(official) == sorted(after.index)
    for code, row in after.iterrows():
        unit = official[code]
        city = unit.division_type is vietnam_provinces.VietNamDivisionType.THANH_PHO_TRUNG_UONG
        assert (row["name_vi"], row["slug"], row["kind"]) == (
            unit.name, unit.codename.replace("_", "-"), "city" if city else "province")
    assert sum(1 for _ in vietnam_provinces.Ward.iter_all()) == 3321


def _collapse(codes):
    return [code for i, code in enumerate(codes) if i == 0 or code != codes[i - 1]]


def test_the_merger_map_matches_the_order_of_the_official_commune_codes():
    """Commune codes were numbered in the order of the old provinces' codes and each 2025 commune or ward kept the code
    of one of the communes it was formed from; so, walking the wards by code, the 2025 unit changes exactly where the
    successor of the old province does. Hà Tây (28, merged into Hà Nội in 2008) keeps its block of codes; runs of a
    few wards (communes moved to Hà Nội in 2008 from Hòa Bình and Vĩnh Phúc) are border moves, not the merger map."""
    vietnam_provinces = pytest.importorskip("vietnam_provinces")
    successor = provinces()["merged_2025_into"].to_dict() | {"28": "01"}
    expected = _collapse([successor[code] for code in sorted(successor)])
    wards = sorted(vietnam_provinces.Ward.iter_all(), key=lambda ward: int(ward.code))
    runs = []
    for ward in wards:
        unit = f"{int(ward.province_code):02d}"
        if runs and runs[-1][0] == unit:
            runs[-1][1] += 1
        else:
            runs.append([unit, 1])
    assert _collapse([unit for unit, size in runs if size >= 5]) == expected


def _par_rows(year: int) -> list[tuple]:
    sheet = openpyxl.load_workbook(ERA_CHANGE / f"par_{year}_synthetic.xlsx").active
    return [row for row in sheet.iter_rows(values_only=True) if isinstance(row[0], int)]


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_synthetic_era_change_tables_list_exactly_the_units_of_their_year(year):
    names = set(units(year)["name_vi"])
    par = _par_rows(year)
    assert {row[1] for row in par} == names and len(par) == len(names)
    assert sorted(row[-1] for row in par)[-1] <= len(names)
    with open(ERA_CHANGE / f"sipas_{year}_synthetic.csv", encoding="utf-8-sig") as handle:
        sipas = [row for row in csv.reader(handle, delimiter=";") if row and row[0].isdigit()]
    assert {row[1] for row in sipas} == names and len(sipas) == len(names)


def test_the_synthetic_2025_par_table_states_its_maxima_and_khanh_hoa_has_a_scorecard():
    sheet = openpyxl.load_workbook(ERA_CHANGE / "par_2025_synthetic.xlsx").active
    maxima = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "Điểm tối đa")
    assert sum(maxima[2:10]) == maxima[10] == 100
    assert (ERA_CHANGE / "scorecard_2025_khanh-hoa_synthetic.xlsx").is_file()


def test_the_synthetic_2024_tables_load_complete_with_the_63_provinces(tmp_path):
    (tmp_path / "official").mkdir()
    for table in ERA_CHANGE.glob("*_2024_*"):
        shutil.copyfile(table, tmp_path / "official" / table.name)
    coverage = clean.build(tmp_path)["coverage"]
    assert set(coverage["year"]) == {2024}
    assert coverage["is_complete"].all() and set(coverage["provinces_known"]) == {63}



def _official(tmp_path: Path, *patterns: str) -> Path:
    (tmp_path / "official").mkdir()
    for pattern in patterns:
        for table in ERA_CHANGE.glob(pattern):
            shutil.copyfile(table, tmp_path / "official" / table.name)
    return tmp_path


def test_the_synthetic_2025_tables_load_with_their_stated_maxima_and_the_34_units(tmp_path):
    tables = clean.build(_official(tmp_path, "*"))
    coverage = tables["coverage"].set_index(["year", "indicator", "measure"])
    assert coverage.loc[(2025, "PAR", "points"), "provinces_known"] == 34
    assert coverage.loc[(2025, "PAR", "rank"), "is_complete"] and coverage.loc[(2024, "PAR", "rank"), "is_complete"]
    par = tables["par_scores"]
    lao_cai = par[(par["year"] == 2025) & (par["province_code"] == "15") & (par["measure"] == "rank")]
    assert len(lao_cai) == 1 and 1 <= lao_cai["value"].iloc[0] <= 34  # a 2025 name takes its 2025 code
    assert par[(par["year"] == 2025) & (par["measure"] == "rank")]["value"].max() == 34
    stated = tables["maxima"][tables["maxima"]["year"] == 2025].set_index("indicator")["max_points"]
    assert stated[[f"PAR.F{k}" for k in range(1, 9)]].sum() == 100


def _par_2025_with(tmp_path: Path, change) -> Path:
    """The synthetic 2025 PAR table with one change made to its sheet, alone in an official folder."""
    book = openpyxl.load_workbook(ERA_CHANGE / "par_2025_synthetic.xlsx")
    change(book.active)
    (tmp_path / "official").mkdir()
    book.save(tmp_path / "official" / "par_2025_synthetic.xlsx")
    return tmp_path


def _row_named(sheet, name: str) -> int:
    return next(row[0].row for row in sheet.iter_rows() if row[1].value == name)


def test_a_2025_table_without_stated_maxima_is_refused_naming_what_is_missing(tmp_path):
    raw = _par_2025_with(tmp_path, lambda sheet: sheet.delete_rows(_row_named(sheet, "Điểm tối đa")))
    with pytest.raises(InputError, match=r"no methodology is recorded for the year \(2025\) and the table states no "
                                         r"maximum for C \(Lĩnh vực / 1\), D"):
        clean.build(raw)


def test_a_pre_merger_name_in_2025_is_refused_suggesting_its_successor(tmp_path):
    def rename(sheet):
        sheet.cell(_row_named(sheet, "Khánh Hòa"), 2).value = "Ninh Thuận"
    with pytest.raises(InputError, match="'Ninh Thuận' is a province before the 2025 merger; 2025 ranks its "
                                         "successor 'Khánh Hòa'.*34 province names 2025 ranks"):
        clean.build(_par_2025_with(tmp_path, rename))


def test_the_63_provinces_in_a_2025_table_are_refused_naming_the_years_set(tmp_path):
    (tmp_path / "official").mkdir()
    shutil.copyfile(ERA_CHANGE / "sipas_2024_synthetic.csv", tmp_path / "official" / "sipas_2025_synthetic.csv")
    with pytest.raises(InputError, match="lists 63 provinces but 2025 ranks 34.*units_2025.csv"):
        clean.build(tmp_path)


def test_the_34_units_in_a_2024_table_are_refused_naming_the_years_set(tmp_path):
    (tmp_path / "official").mkdir()
    shutil.copyfile(ERA_CHANGE / "sipas_2025_synthetic.csv", tmp_path / "official" / "sipas_2024_synthetic.csv")
    with pytest.raises(InputError, match="lists the 34 provinces ranked from 2025.*not those 2024 ranks.*"
                                         "provinces.csv"):
        clean.build(tmp_path)



@pytest.fixture(scope="module")
def khanh_hoa_2025(tmp_path_factory):
    """The report data of the new Khánh Hòa, 2025 against 2024, from the synthetic tables of both years."""
    raw = tmp_path_factory.mktemp("era")
    return report.prepare(clean.build(_official(raw, "*")), "56", 2025, 2024, lang="en")


def test_across_the_merger_each_predecessor_shows_its_own_2024_figures_ranked_out_of_63(khanh_hoa_2025):
    data = khanh_hoa_2025
    assert list(data.predecessors["name_vi"]) == ["Khánh Hòa", "Ninh Thuận"]
    intro, table = report.PARTS["par"](data)["blocks"][:2]  # the predecessors' table, first in the section
    said = intro["paragraph"]
    assert "formed from Khánh Hòa and Ninh Thuận of 2024" in said and "computes none" in said
    assert all(row[2].endswith("/63") and row[4].endswith("/63") for row in table["table"]["rows"])
    assert any("before the merger, Ninh Thuận: PAR INDEX" in point for point in report.summary_points(data))


def test_across_the_merger_no_merged_2024_figure_is_computed_and_2025_ranks_are_out_of_34(khanh_hoa_2025):
    par = khanh_hoa_2025.comparison.loc["PAR"]
    assert pd.isna(par["share_base"]) and pd.isna(par["rank_base"]) and pd.isna(par["change_rank"])
    tables = [block["table"] for block in report.PARTS["par"](khanh_hoa_2025)["blocks"] if "table" in block]
    rows = tables[1]["rows"]  # after the predecessors' table, the comparison
    assert rows[0][4].endswith("/34") and rows[0][2] == "–"



def test_the_trajectory_charts_mark_the_merger_and_do_not_join_the_years_across_it(khanh_hoa_2025):
    data = khanh_hoa_2025
    assert data.merger == 2025
    marked = charts.rank_trajectory(data.par_trajectory, data.sipas_trajectory, "en", 30, data.unit_counts,
                                    data.merger)
    plain = charts.rank_trajectory(data.par_trajectory, data.sipas_trajectory, "en", 30, data.unit_counts)
    assert "2025 merger" in marked and "2025 merger" not in plain
    assert "Rank /63" in marked and "Rank /34" in marked  # each set of ranks on its own panel (issue 23)
    x, y = charts._broken(pd.Series([36.0, 11.0], index=[2024, 2025]), [2024, 2025], 2025)
    assert x == [2024.0, 2024.5, 2025.0] and pd.isna(y[1])



def test_the_explorer_says_a_2025_rank_out_of_34(khanh_hoa_2025):
    partial = dataclasses.replace(khanh_hoa_2025.target, complete=False)
    assert "rank 11/34" in explore.what_if(partial, {}, pd.Series(dtype=str))



def test_a_2025_run_resolves_provinces_among_the_34_units_and_all_means_34(tmp_path):
    params = RunParameters(province="all", year=2025, base_year=2024, raw=ERA_CHANGE.parent,
                           out=tmp_path / "reports", processed=tmp_path / "processed")
    places = report_places(params)
    assert len(check(params, places)) == 34
    assert check(dataclasses.replace(params, province="Lào Cai, Khánh Hòa"), places) == ["15", "56"]


def test_a_year_with_neither_a_decision_nor_official_tables_is_refused(tmp_path):
    params = RunParameters(year=2025, base_year=2024, out=tmp_path / "reports", processed=tmp_path / "processed")
    with pytest.raises(InputError, match="no methodology is recorded for that year"):
        report_places(params)


ROOT = Path(__file__).parents[1]
LITERAL_63 = re.compile(r"(?<![\w.#])63(?!\w)")


def _project_text() -> dict[str, str]:
    """Code, catalogue, templates and notebook sources (not outputs): every place behaviour or wording lives."""
    files = [*ROOT.glob("src/parsipas/**/*.py"), *ROOT.glob("src/parsipas/**/*.toml"),
             *ROOT.glob("src/parsipas/**/*.j2"), *ROOT.glob("src/parsipas/templates/**/*.css"), ROOT / "pipeline.py",
             ROOT / "benchmarks" / "run.py",
             ROOT / "templates" / "official" / "README.md"]
    texts = {str(path.relative_to(ROOT)): path.read_text(encoding="utf-8") for path in files}
    for notebook in ROOT.glob("notebooks/*.ipynb"):
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        texts[str(notebook.relative_to(ROOT))] = "\n".join("".join(cell["source"]) for cell in cells)
    return texts


def test_no_literal_63_in_code_messages_notebooks_or_templates():
    """How many provinces a year ranks comes from data/reference/unit_sets.csv, never from a number in code."""
    found = [f"{name}: {line.strip()}" for name, text in _project_text().items()
             for line in text.splitlines() if LITERAL_63.search(line)]
    assert not found, "\n".join(found)


def test_the_scan_finds_a_literal_63():
    assert LITERAL_63.search('if rank > 63:') and LITERAL_63.search('"{rank}/63"') and LITERAL_63.search("1-63")
    assert not LITERAL_63.search("rank_of_63") and not LITERAL_63.search("0.63") and not LITERAL_63.search("#63a0ff")


def test_the_explorer_marks_the_break_across_the_merger_and_nowhere_else(khanh_hoa_2025):
    from parsipas.present import explore

    note = explore.merger_note(khanh_hoa_2025)
    assert note.startswith("**Break in 2025**: 2025 ranks 34 units, 2024 ranked 63")
    assert "(Khánh Hòa, Ninh Thuận)" in note
    khanh_hoa_2025.merger = None  # as in a report within one set of units
    assert explore.merger_note(khanh_hoa_2025) is None
