"""The processed tables built from the shipped public record."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from parsipas import clean
from parsipas.core import built_from, paths
from parsipas.core.errors import InputError
from parsipas.ingest import internal_public


@pytest.fixture(scope="module")
def tables():
    return clean.build()


def value(frame, year, province, indicator, measure):
    rows = frame[(frame.year == year) & (frame.province_code == province) & (frame.indicator == indicator)
                 & (frame.measure == measure)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


@pytest.mark.parametrize("year, score, rank", [(2021, 85.11, 48), (2022, 86.19, 25)])
def test_khanh_hoa_published_totals(tables, year, score, rank):
    par = tables["par_scores"]
    assert value(par, year, "56", "PAR", "points").value == score
    assert value(par, year, "56", "PAR", "rank").value == rank


def test_khanh_hoa_sipas_2021_and_its_gap_in_2022(tables):
    sipas = tables["sipas_scores"]
    assert value(sipas, 2021, "56", "SIPAS", "percent").value == 84.4
    assert value(sipas, 2021, "56", "SIPAS", "rank").value == 56
    assert sipas[(sipas.year == 2022) & (sipas.province_code == "56")].empty


def test_national_averages(tables):
    summary = tables["summary"].set_index(["year", "area_code", "indicator", "statistic"])["value"]
    assert summary[(2021, "VN", "PAR", "mean")] == 86.37
    assert summary[(2022, "VN", "PAR", "mean")] == 84.79
    assert summary[(2022, "VN", "SIPAS", "mean")] == 80.08
    assert summary[(2022, "BTBDHMT", "PAR", "mean")] == 84.25


def test_fields_are_joined_through_the_crosswalk(tables):
    """2021 'thể chế' rank (published under the old name's successor) and 2022 'VBQPPL' share land on PAR.F2."""
    par = tables["par_scores"]
    assert value(par, 2021, "56", "PAR.F2", "rank").value == 57
    assert value(par, 2022, "56", "PAR.F2", "rank").value == 10
    assert value(par, 2022, "56", "PAR.F2", "pct_of_max").value == 100


def test_conflict_kept_by_precision_and_recorded(tables):
    conflicts = tables["conflicts"]
    row = conflicts[(conflicts.area_code == "56") & (conflicts.indicator == "PAR.F7")].iloc[0]
    assert (row.value_kept, row.value_rejected, row.rule) == (76.88, 77.4, "precision")


def test_conflict_kept_by_number_of_sources(tables):
    row = tables["conflicts"].query("year == 2023 and area_code == '31' and indicator == 'PAR'").iloc[0]
    assert (row.value_kept, row.rule) == (91.87, "sources")


def test_conflict_kept_by_number_of_sources_agrees_with_the_evidence(tables):
    """Long An 2023: two later sources give 8th (Lào Cai is 7th), against 7th in one article."""
    row = tables["conflicts"].query("year == 2023 and area_code == '80' and measure == 'rank'").iloc[0]
    assert (row.value_kept, row.value_rejected, row.rule) == (8, 7, "sources")


@pytest.mark.parametrize("year, province, indicator, measure, expected", [
    (2023, "96", "PAR", "rank", 34),       # Cà Mau: 2024 "up 14 places to 20th"; rank 32 of the other row not used
    (2023, "96", "PAR", "points", 86.89),  # ... while that row's score, which agrees, is kept
    (2023, "17", "PAR", "points", 86.76),  # Hòa Bình: 2024 88.18 "up 1.42"; 86.89 not used
    (2023, "17", "PAR", "rank", 35),       # ... while that row's rank is kept
    (2024, "31", "SIPAS", "rank", 1),      # Hải Phòng: rank kept, 90.59% not used (the maximum was 91.10%)
])
def test_known_issue_drops_one_figure_of_a_row_and_keeps_the_rest(tables, year, province, indicator, measure, expected):
    frame = tables["par_scores"] if indicator == "PAR" else tables["sipas_scores"]
    assert value(frame, year, province, indicator, measure).value == expected
    assert tables["conflicts"].query(f"year == {year} and area_code == '{province}' and measure == '{measure}'").empty


def test_a_figure_dropped_by_a_known_issue_leaves_its_key_unknown(tables):
    sipas = tables["sipas_scores"]
    assert sipas.query("year == 2024 and province_code == '31' and measure == 'percent'").empty


def test_one_value_per_key(tables):
    for name in ("par_scores", "sipas_scores"):
        assert not tables[name].duplicated(["year", "province_code", "indicator", "measure"]).any()


def test_derived_percent_is_marked(tables):
    row = value(tables["par_scores"], 2021, "56", "PAR.SURVEY", "pct_of_max")
    assert row.is_derived and round(row.value, 2) == round(100 * 29.31 / 39.5, 2)


def test_every_raw_row_is_accounted_for(tables):
    """Each data row of the raw public files either gave a figure or is listed as unused with a reason."""
    def places(rows):
        return set(zip(rows.raw_file, rows.raw_line))

    used = places(tables["unused_rows"])
    units = internal_public.load()
    figures = places(clean.load_public().figures) | set(zip("data/raw/" + units.raw_file, units.raw_line))
    every = {(f"data/raw/public/{name}", line) for name in ("par_totals.csv", "par_fields.csv", "sipas_totals.csv",
             "sipas_components.csv", "par_summary.csv", "sipas_summary.csv", "par_totals_lists.csv",
             "sipas_totals_lists.csv", "internal_index.csv")
             for line in range(2, 1 + sum(1 for _ in open(paths.RAW / "public" / name, encoding="utf-8")))}
    assert every == used | figures
    unused = tables["unused_rows"]
    partly_used = places(unused[unused.reason.str.contains(r"^known issue \(\w+ not used\)")])
    assert partly_used and every - (used - partly_used) == figures


def test_processed_tables_written_with_dictionary(tmp_path, tables):
    clean.write(tables, tmp_path / "processed")
    dictionary = pd.read_csv(tmp_path / "processed" / "data_dictionary.csv", comment="#")
    for name, frame in tables.items():
        assert (tmp_path / "processed" / f"{name}.parquet").exists()
        assert pd.read_csv(tmp_path / "processed" / f"{name}.csv").shape == frame.shape
        assert set(frame.columns) == set(dictionary[dictionary.table == name].column), name


def _copy_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(paths.RAW, raw)
    return raw


def _edit_cell(path: Path, line: int, column: str, new: str) -> None:
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    rows[line - 2][column] = new
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize("file, line, column, new, fragment", [
    ("par_totals.csv", 68, "province", "Khánh Hao", "did you mean 'Khánh Hòa'"),
    ("par_totals.csv", 68, "rank", "64", "1 to 63"),
    ("par_totals.csv", 68, "score_pct", "85,1x", "could not be read as a number"),
    ("par_totals.csv", 68, "score_pct", "185.11", "maximum 100 for PAR in 2021"),
    ("par_fields.csv", 76, "score", "45.2", "maximum 39.5"),
])
def test_bad_input_names_file_row_and_column(tmp_path, file, line, column, new, fragment):
    raw = _copy_raw(tmp_path)
    _edit_cell(raw / "public" / file, line, column, new)
    with pytest.raises(InputError) as caught:
        clean.build(raw)
    message = str(caught.value)
    assert f"{file}, row {line}, column '{column}'" in message
    assert fragment in message


def test_every_fault_of_the_public_record_and_the_official_files_is_listed_in_one_run(tmp_path):
    """Three bad rows in two public tables and a bad official table: one run lists the four, by file and row, each
    with the rule broken first; nothing is written (the build raises)."""
    raw = _copy_raw(tmp_path)
    _edit_cell(raw / "public" / "par_totals.csv", 70, "rank", "64")
    _edit_cell(raw / "public" / "par_totals.csv", 68, "province", "Khánh Hao")
    _edit_cell(raw / "public" / "sipas_totals.csv", 4, "sipas_pct", "8x")
    (raw / "official").mkdir(exist_ok=True)
    (raw / "official" / "par_2022_synthetic.csv").write_text("Tỉnh,Tổng điểm\nKhánh Hòa,-1\n", "utf-8")
    with pytest.raises(InputError) as caught:
        clean.build(raw)
    faults = caught.value.errors
    assert [(Path(f.file).parent.name, Path(f.file).name, f.row) for f in faults] == [
        ("official", "par_2022_synthetic.csv", 2), ("public", "par_totals.csv", 68), ("public", "par_totals.csv", 70),
        ("public", "sipas_totals.csv", 4)]
    assert [f.problem.split(" (")[0] for f in faults if Path(f.file).name == "par_totals.csv"] == [
        "unknown province 'Khánh Hao'", "a rank must be a whole number from 1 to 63"]


def test_a_figure_above_its_maximum_names_the_rule_first(tmp_path):
    raw = _copy_raw(tmp_path)
    _edit_cell(raw / "public" / "par_fields.csv", 76, "score", "45.2")
    with pytest.raises(InputError) as caught:
        clean.build(raw)
    assert caught.value.problem == "points above the indicator's maximum (or below zero)"
    assert caught.value.row == 76 and "maximum 39.5" in str(caught.value)


def test_sources_table_names_every_cited_source_once(tables):
    """The report's appendix reads its sources from here: every source a figure or a conflict cites is listed."""
    sources = tables["sources"]
    assert list(sources.columns) == clean.SOURCE_COLUMNS and sources["source_id"].is_unique
    cited = set(pd.concat([tables["par_scores"], tables["sipas_scores"], tables["summary"]])["source_id"])
    for column in ("sources_kept", "sources_rejected"):
        cited |= {s for cell in tables["conflicts"][column] for s in cell.split(";")}
    assert cited <= set(sources["source_id"])
    assert set(sources["kind"]) == {"public_page"} and sources["publisher"].str.len().gt(0).all()


def test_sources_table_names_official_files_by_their_file():
    sources = clean.build(paths.ROOT / "tests" / "fixtures" / "synthetic_complete")["sources"]
    assert not sources.empty and set(sources["kind"]) == {"official_file"}
    assert (sources["source_id"] == "official:" + sources["url"]).all()
    assert set(sources["publisher"]) == {"data/raw/official"} and set(sources["language"]) == {"vi"}


def test_prepare_rebuilds_only_when_the_inputs_change(tmp_path):
    """One entry point for the pipeline and notebook 01: a second call on the same inputs keeps the tables."""
    raw, processed = _copy_raw(tmp_path), tmp_path / "processed"
    key = clean.prepare(raw, processed)
    assert key == built_from.data_key(raw) and built_from.is_current(processed, key)
    written = (processed / "par_scores.parquet").stat().st_mtime_ns
    assert clean.prepare(raw, processed) == key and (processed / "par_scores.parquet").stat().st_mtime_ns == written
    (raw / "public" / "README.md").write_text("changed\n", encoding="utf-8")
    changed = clean.prepare(raw, processed)
    assert changed != key and built_from.is_current(processed, changed)
    assert (processed / "par_scores.parquet").stat().st_mtime_ns != written


def test_the_published_internal_index_is_in_the_processed_tables(tables):
    """Khánh Hòa's own index as the press published it: 15 units' scores, 14 ranks (one was not stated), its groups
    with the sizes stated, and coverage that shows the gaps (2 of 21 departments known in 2018)."""
    scores = tables["internal_scores"].query("unit_set == 'khanh-hoa'")
    assert (scores["measure"] == "pct_of_max").sum() == 15 and (scores["measure"] == "rank").sum() == 14
    units = tables["internal_units"].set_index("unit_code")
    leader = scores[(scores["year"] == 2018) & (scores["measure"] == "pct_of_max") & (scores["value"] == 95.20)]
    assert units.loc[leader["unit_code"].item(), "name_vi"] == "Sở Thông tin và Truyền thông"
    departments_2018 = tables["internal_coverage"].query("year == 2018 and group_code == 'so-ban-nganh-khoi-so'")
    assert departments_2018[["units_known", "group_size", "is_complete"]].values.tolist() == [[2, 21.0, False]]
    assert set(scores["source_id"]) <= set(tables["sources"]["source_id"])


def test_a_copy_and_its_original_count_as_one_source():
    """Two sites carrying one article (the copy cited by the original's address) are one source: the value stated by
    two independent pages wins by the 'sources' step, not by a tie-break."""
    from parsipas.clean.conflict_rule import resolve

    rows = [("orig-1", 80.5), ("copy-1", 80.5), ("paper-a", 80.0), ("paper-b", 80.0)]
    figures = pd.DataFrame([dict(year=2022, area_code="56", indicator="PAR", measure="points", value=value,
                                 source_id=source, is_official=False) for source, value in rows])
    pages = {"orig-1": "https://a.vn/x", "copy-1": "https://a.vn/x", "paper-a": "https://b.vn/y",
             "paper-b": "https://c.vn/z"}
    kept, conflicts = resolve(figures, {}, pages=pages)
    assert kept["value"].tolist() == [80.0]
    assert conflicts[["value_rejected", "rule"]].values.tolist() == [[80.5, "sources"]]
    kept, conflicts = resolve(figures, {})  # by source id alone the copy counts: a tie decided by decimals
    assert conflicts[["value_kept", "rule"]].values.tolist() == [[80.5, "precision"]]


def test_a_folder_with_only_a_provinces_own_index_cleans(tmp_path):
    """The internal templates filled in and dropped alone into a raw folder (no Ministry table, no public record)."""
    internal = tmp_path / "internal"
    internal.mkdir()
    templates = paths.ROOT / "templates" / "internal"
    for template, name in (("units_SET.csv", "units_demo.csv"), ("results_YYYY_SET.csv", "results_2024_demo.csv")):
        shutil.copyfile(templates / template, internal / name)
    tables = clean.build(tmp_path)
    assert tables["par_scores"].empty and tables["sipas_scores"].empty
    scores = tables["internal_scores"]
    assert set(scores["unit_set"]) == {"demo"} and (scores["measure"] == "rank").any()


def test_derive_adds_points_and_percent_once_and_never_over_a_published_figure():
    """Points from points lost, then percent of the maximum from points (those just derived too), rounded to 4
    decimals; the first row of a key gives it, a key already published is left alone, no maximum gives nothing."""
    from parsipas.clean.conflict_rule import derive

    frame = pd.DataFrame({
        "year": 2024, "area_code": ["56", "56", "56", "56", "56", "01"],
        "indicator": ["PAR.F1", "PAR.F1", "PAR.F2", "PAR.F3", "PAR.F3", "PAR.F1"],
        "measure": ["points_lost", "points_lost", "points", "points", "pct_of_max", "points"],
        "value": [1.5, 2.0, 7.0, 6.0, 61.0, 8.0], "max_points": [10.0, 10.0, 9.0, 10.0, 10.0, float("nan")],
        "source_id": ["a", "b", "a", "a", "b", "a"]})
    derived = derive(frame)
    assert list(derived["is_derived"]) == [False] * 6 + [True] * 3
    added = derived[derived["is_derived"]][["area_code", "indicator", "measure", "value", "source_id"]]
    assert added.values.tolist() == [["56", "PAR.F1", "points", 8.5, "a"], ["56", "PAR.F2", "pct_of_max", 77.7778, "a"],
                                     ["56", "PAR.F1", "pct_of_max", 85.0, "a"]]
