"""The province's own index (issue 15): the analysis with exact figures on a small SYNTHETIC set checked by hand
(tests/internal_tables.py), the overview and unit reports in both languages (gaps as gaps, names not codes, tables
with the rows they should have), the charts' labels apart, and the PDF's text."""

from __future__ import annotations

import base64
import itertools
import re
import shutil
import subprocess
from html import unescape

import pandas as pd
import pytest
from internal_tables import SET, tables
from test_charts import labels, overlap

from parsipas import clean
from parsipas.analyse import internal_analysis as ia
from parsipas.core import paths
from parsipas.core.messages import text
from parsipas.present import (
    explore,
    internal_charts,
    internal_report,
    internal_sections,
    internal_summary,
    internal_words,
    render,
)

UNIT_CODES = ["A1", "A2", "A3", "B1", "B2"]


@pytest.fixture(scope="module")
def T() -> dict[str, pd.DataFrame]:
    return tables()


def visible(html: str) -> str:
    """The words a reader sees: tags and the charts' data URIs removed, whitespace folded."""
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", re.sub(r'src="[^"]*"', "", html))).split())


def rendered(T, lang: str, unit: str | None = None) -> tuple[internal_report.InternalReport, str]:
    data = internal_report.prepare(T, SET, 2024, 2023, lang, unit=unit, produced="2026-11-29")
    return data, "".join(internal_report.section(name, data) for name in data.sections)


def table_rows(html: str, section: str) -> list[list[str]]:
    """The body rows of every table in a section, as cell texts."""
    part = re.search(rf'<section id="{section}">(.*?)</section>', html, re.S).group(1)
    rows = [row for body in re.findall(r"<tbody>(.*?)</tbody>", part, re.S)
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return [[" ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split()) for cell in re.findall(r"<td>(.*?)</td>", row,
                                                                                               re.S)] for row in rows]


# -- analysis ------------------------------------------------------------------------------------------------------

def test_ranking_per_group_with_changes_and_a_unit_without_a_figure(T):
    ranked = ia.ranking(T, SET, 2024, 2023).set_index("unit_code")
    assert list(ranked.index) == ["A1", "A2", "A3", "B1", "B2"]
    assert ranked.loc["A1", ["score", "points", "rank", "group_size"]].tolist() == [82.0, 41.0, 1.0, 3]
    assert ranked.loc["A1", ["score_base", "rank_base", "change_score", "change_rank"]].tolist() == [72, 2, 10, 1]
    assert ranked.loc["A2", ["change_score", "change_rank"]].tolist() == [-10.0, -1.0]
    assert ranked.loc["B1", ["change_score", "change_rank"]].tolist() == [14.0, 1.0]
    b2 = ranked.loc["B2"]
    assert pd.isna(b2["score"]) and pd.isna(b2["rank"]) and pd.isna(b2["change_score"]) and b2["score_base"] == 72.0


def test_distribution_movers_bottom_units_and_group_averages(T):
    dist = ia.field_distribution(T, SET, 2024)
    assert dist["mean"].tolist() == [75.0, 76.25, 72.5]
    assert dist["lowest"].tolist() == [60.0, 60.0, 50.0] and dist["highest"].tolist() == [90.0, 90.0, 90.0]
    assert dist["units_known"].tolist() == [4, 4, 4]
    rose, fell = ia.movers(ia.ranking(T, SET, 2024, 2023))
    assert list(zip(rose["unit_code"], rose["change_score"])) == [("B1", 14.0), ("A1", 10.0), ("A3", 8.0)]
    assert list(zip(fell["unit_code"], fell["change_score"])) == [("A2", -10.0)]
    bottom = ia.bottom_units(T, SET, 2024, 2)
    assert list(zip(bottom["field_code"], bottom["unit_code"], bottom["share"])) == [
        ("1", "A3", 60.0), ("1", "B1", 70.0), ("2", "A2", 60.0), ("2", "A1", 75.0), ("3", "A3", 50.0),
        ("3", "A2", 70.0)]
    averages = ia.group_averages(T, SET).set_index(["year", "group_code"])
    assert averages.loc[(2023, "A"), "mean"] == 70.6667 and averages.loc[(2023, "B"), "mean"] == 68.0
    assert averages.loc[(2024, "A"), "mean"] == 73.3333
    incomplete = averages.loc[(2024, "B")]  # one of two units known: no average
    assert pd.isna(incomplete["mean"]) and (incomplete["units_known"], incomplete["group_size"]) == (1, 2)


def test_units_below_the_provincial_average_where_the_province_is_weak(T):
    weakness = ia.ministry_weakness(T, "56", 2024)
    assert (weakness.year, weakness.rule) == (2024, "below_national")
    assert list(weakness.fields.index[weakness.fields["weak"]]) == ["PAR.F1", "PAR.F3"]
    below = ia.below_provincial_average(T, SET, 2024, weakness)
    assert below[["field_code", "unit_code", "share", "provincial_mean", "gap"]].values.tolist() == [
        ["1", "A3", 60.0, 75.0, -15.0], ["1", "B1", 70.0, 75.0, -5.0], ["2", "A2", 60.0, 76.25, -16.25],
        ["2", "A1", 75.0, 76.25, -1.25]]


def test_without_national_averages_the_lowest_ministry_fields_are_weak(T):
    without = {**T, "summary": T["summary"].iloc[:0]}
    weakness = ia.ministry_weakness(without, "56", 2025)  # no 2025 figure: the latest year before it
    assert (weakness.year, weakness.rule) == (2024, "lowest")
    assert sorted(weakness.fields.index[weakness.fields["weak"]]) == ["PAR.F1", "PAR.F3", "PAR.F7"]
    assert ia.ministry_weakness(T, "56", 2023).rule == "none"


def test_unit_profile_two_years_gaps_to_the_group_and_criteria(T):
    profile = ia.unit_profile(T, SET, "A3", 2024, 2023)
    fields = profile.fields
    assert fields["share"].tolist() == [60.0, 90.0, 50.0] and fields["share_base"].tolist() == [50.0, 60.0, 65.0]
    assert fields["change"].tolist() == [10.0, 30.0, -15.0]
    assert fields["group_best"].tolist() == [90.0, 90.0, 90.0]
    assert fields["group_mean"].tolist() == [76.6667, 75.0, 70.0]
    assert fields["gap_mean"].tolist() == [-16.6667, 15.0, -20.0] and fields["weak"].tolist() == [True, False, True]
    assert profile.total[["score", "rank", "change_score", "group_best", "group_mean"]].tolist() == [
        68.0, 3.0, 8.0, 82.0, 73.3333]
    assert profile.criteria["criterion_code"].tolist() == ["3.1", "3.2", "1.1", "1.2"]
    assert profile.criteria["lost"].tolist() == [6.0, 4.0, 2.0, 2.0]
    assert profile.criteria["evidence_gap"].tolist() == [3.0, 0.0, 1.0, 0.0]
    lone = ia.unit_profile(T, SET, "B1", 2024, 2023)  # its group is incomplete in 2024: no best, no average
    assert lone.fields["group_mean"].isna().all() and pd.isna(lone.total["group_mean"])


def test_a_field_is_compared_only_with_the_same_field_of_the_base_year(T):
    """Field 3 of 2023 was another field under the same code: no change is computed between the two; a name written
    with other capitals or without diacritics is still the same field."""
    fields = T["internal_fields"].copy()
    fields.loc[(fields["year"] == 2023) & (fields["field_code"] == "3"), "name_vi"] = "Tuyên truyền"
    fields.loc[(fields["year"] == 2023) & (fields["field_code"] == "2"), "name_vi"] = "THU TUC HANH CHINH"
    profile = ia.unit_profile({**T, "internal_fields": fields}, SET, "A3", 2024, 2023)
    assert profile.fields["share_base"].tolist()[:2] == [50.0, 60.0] and profile.fields["change"].tolist()[:2] == [
        10.0, 30.0]
    assert profile.fields.loc["3", ["points_base", "share_base", "change"]].isna().all()


# -- the reports ---------------------------------------------------------------------------------------------------

FOREIGN = {"vi": ["Summary", "Contents", "no figure", "What to do"], "en": ["Tóm tắt", "Mục lục", "chưa có số liệu",
                                                                         "Việc cần làm"]}


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("unit", [None, "A3", "B1", "B2"])
def test_reports_show_names_never_codes_nor_missing_values(T, lang, unit):
    data, html = rendered(T, lang, unit)
    words = visible(html)
    for code in UNIT_CODES + ["PAR.F", "tinh-x"]:
        assert not re.search(rf"\b{re.escape(code)}\b", words), code
    for bad in ("nan", "NaN", "None", "chưa công bố", "not published", "{", "}"):
        assert not re.search(rf"(?<!\w){re.escape(bad)}(?!\w)", words), bad
    for foreign in FOREIGN[lang]:
        assert foreign not in words, foreign
    assert words.count(text("synthetic_banner", lang)) == 1
    assert [f'id="{name}"' in html for name in data.sections[1:]] == [True] * (len(data.sections) - 1)


def test_overview_tables_have_the_right_rows(T):
    _, html = rendered(T, "vi")
    words = visible(html)
    ranking = table_rows(html, "ranking")
    assert [row[1] for row in ranking] == ["Sở Nội vụ", "Sở Tư pháp", "Sở Y tế", "UBND huyện Một", "UBND huyện Hai"]
    assert ranking[0] == ["1/3", "Sở Nội vụ", "82,00", "41,00", "72,00", "2/3", "+10,00", "tăng 1 bậc"]
    assert ranking[4][0] == "chưa có số liệu" and ranking[4][2] == "chưa có số liệu"
    assert [row[0] for row in table_rows(html, "distribution")] == ["Chỉ đạo, điều hành", "Thủ tục hành chính",
                                                                    "Chính quyền số"]
    movers = table_rows(html, "movers")
    assert [row[0] for row in movers] == ["UBND huyện Một", "Sở Nội vụ", "Sở Y tế", "Sở Tư pháp"]
    assert len(table_rows(html, "bottom")) == 9  # three per field
    assert table_rows(html, "trend") == [["Sở, ban, ngành", "70,67", "73,33"],
                                         ["UBND cấp huyện", "68,00", "chưa đủ: 1/2 đơn vị"]]
    ministry = table_rows(html, "ministry")
    assert ministry[8:10] == [["Chỉ đạo, điều hành", "Công tác chỉ đạo, điều hành cải cách hành chính", "75,00", "2"],
                              ["Thủ tục hành chính", "Cải cách thủ tục hành chính", "76,25", "2"]]
    assert ministry[10:] == [["Sở Tư pháp", "Sở, ban, ngành", "–", "−16,25"],
                             ["Sở Y tế", "Sở, ban, ngành", "−15,00", "–"],
                             ["UBND huyện Một", "UBND cấp huyện", "−5,00", "–"],
                             ["Sở Nội vụ", "Sở, ban, ngành", "–", "−1,25"]]
    assert "thấp hơn trung bình cả nước" in words  # the rule used is said
    assert ("Năm 2024, mới có 4/5 đơn vị có kết quả: chưa tính được điểm trung bình toàn tỉnh; trung bình của 4 đơn "
            "vị có kết quả là 74,50% điểm tối đa.") in words


def test_without_every_unit_known_no_mean_is_called_the_provincial_average(T):
    """One of five units has no 2024 figure: the summary, the distribution, the Ministry section and the explorer all
    give the mean of the 4 units with a result, never a provincial average."""
    _, html = rendered(T, "en")
    words = visible(html)
    assert "the mean of the 4 units with a result is only 72.50%" in words
    assert "Ask the units below the mean of the 4 units with a result in most of the corresponding fields" in words
    assert "Units below the mean of the 4 units with a result in at least one of these fields: 4" in words
    assert "Mean of the units with a result (%)" in words and "Provincial average (%)" not in words
    assert "are those of the units with a result, not of the whole province" in visible(
        internal_report.section("distribution", internal_report.prepare(T, SET, 2024, 2023, "en")))
    method = words.index("a mean is called the provincial average only when every unit has a figure")
    assert words.count("provincial average") == 2 and words.index("no provincial average can be computed") < method
    assert "mean of the units with a result (%)" in explore.weak_fields(T, SET, 2024).columns


def tied(T, unit: str, score: float, place: int) -> dict[str, pd.DataFrame]:
    """T with the unit's 2024 index (% of maximum) and rank set: a tie with another unit."""
    scores = T["internal_scores"].copy()
    mine = (scores["year"] == 2024) & (scores["unit_code"] == unit) & (scores["indicator"] == "PAR")
    scores.loc[mine & (scores["measure"] == "pct_of_max"), "value"] = score
    scores.loc[mine & (scores["measure"] == "rank"), "value"] = float(place)
    return {**T, "internal_scores": scores}


def test_units_sharing_the_first_or_the_last_place_are_all_named(T):
    data = internal_report.prepare(tied(T, "A2", 82.0, 1), SET, 2024, 2023, "en", produced="2026-11-29")
    points, actions = internal_summary.overview_summary(data)
    assert ("Departments and agencies: Department of Home Affairs, Sở Tư pháp share the first place (82.00%), "
            "Department of Health is last (68.00%).") in points
    data = internal_report.prepare(tied(tied(T, "A2", 68.0, 2), "A3", 68.0, 2), SET, 2024, 2023, "vi")
    points, actions = internal_summary.overview_summary(data)
    assert "Sở, ban, ngành: dẫn đầu là Sở Nội vụ (82,00%), cùng cuối bảng là Sở Tư pháp, Sở Y tế (68,00%)." in points
    assert "Kiểm tra, đôn đốc các đơn vị cuối bảng từng khối: Sở Tư pháp, Sở Y tế." in actions


def test_a_unit_report_cites_its_group_and_is_synthetic_without_a_figure(T):
    """UBND huyện Hai has no 2024 figure: its report shows its group's 2024 figures, so cites them and the unit list,
    and carries the SYNTHETIC banner."""
    data = internal_report.prepare(T, SET, 2024, None, "en", unit="B2", produced="2026-11-29")
    assert set(data.sources["source_id"]) == {"internal:results_2024_tinh-x_synthetic.csv",
                                              "internal:units_tinh-x_synthetic.csv"}
    assert data.is_synthetic and "SYNTHETIC DATA" in visible(internal_report.section("cover", data))
    alone = {**T, "internal_scores": T["internal_scores"][T["internal_scores"]["group_code"] != "B"]}
    data = internal_report.prepare(alone, SET, 2024, None, "en", unit="B2", produced="2026-11-29")
    assert data.is_synthetic and list(data.sources["source_id"]) == ["internal:units_tinh-x_synthetic.csv"]


def test_conflict_lines_say_the_measure_and_write_a_rank_as_a_place(T):
    conflicts = pd.DataFrame([dict(unit_set=SET, year=2024, unit_code="A1", indicator="PAR", measure=m,
                                   value_kept=k, sources_kept="internal:results_2024_tinh-x_synthetic.csv",
                                   value_rejected=r, sources_rejected="official:par_2024_synthetic.xlsx",
                                   rule="analyst file")
                              for m, k, r in (("rank", 1.0, 2.0), ("pct_of_max", 82.0, 81.5))])
    conflicts.loc[2] = conflicts.loc[1].to_dict() | dict(indicator="2", measure="points", value_kept=15.0,
                                                         value_rejected=14.5)
    data = internal_report.prepare({**T, "internal_conflicts": conflicts}, SET, 2024, 2023, "en", produced="2026-11-29")
    words = visible(internal_report.section("method", data))
    assert "Department of Home Affairs, 2024, rank in the group: kept 1 ([2]), not used 2 ([3])" in words
    assert "Department of Home Affairs, 2024, % of maximum: kept 82.00 ([2]), not used 81.50 ([3])" in words
    assert ("Department of Home Affairs, 2024, field “Thủ tục hành chính”, points: kept 15.00 ([2]), not used 14.50 "
            "([3])") in words


def test_rose_and_fell_most_on_part_of_the_units_and_not_under_a_point(T):
    data = internal_report.prepare(T, SET, 2024, 2023, "en", produced="2026-11-29")
    points, _ = internal_summary.overview_summary(data)
    assert ("Among the units known in both years (4), rose most since 2023: UBND huyện Một (+14.00 percentage points)."
            in points)
    assert ("Among the units known in both years (4), fell most since 2023: Sở Tư pháp (−10.00 percentage points)."
            in points)
    data = internal_report.prepare(tied(T, "A2", 79.5, 2), SET, 2024, 2023, "en", produced="2026-11-29")
    points, _ = internal_summary.overview_summary(data)  # its only fall, −0.50, is under a point
    assert not any("fell most" in point for point in points) and any("rose most" in point for point in points)


def alone_in_a_group(T) -> dict[str, pd.DataFrame]:
    """T with UBND huyện Một moved to a group of its own ("C", one unit)."""
    units, scores, sizes = (T[k].copy() for k in ("internal_units", "internal_scores", "internal_group_sizes"))
    units.loc[units["unit_code"] == "B1", "group_code"] = "C"
    scores.loc[scores["unit_code"] == "B1", "group_code"] = "C"
    sizes.loc[sizes["group_code"] == "B", "group_size"] = 1
    sizes = pd.concat([sizes, sizes[sizes["group_code"] == "B"].assign(group_code="C")], ignore_index=True)
    groups = pd.concat([T["internal_groups"], pd.DataFrame([dict(unit_set=SET, group_code="C", name_vi="Khối một",
                                                                 name_en="One-unit group", position=3)])])
    return {**T, "internal_units": units, "internal_scores": scores, "internal_group_sizes": sizes,
            "internal_groups": groups}


def test_a_group_of_one_unit_has_no_leader_and_no_gaps(T):
    one = alone_in_a_group(T)
    data = internal_report.prepare(one, SET, 2024, 2023, "en", unit="B1", produced="2026-11-29")
    html = "".join(internal_report.section(name, data) for name in data.sections)
    words = visible(html)
    assert "One-unit group: the group has one unit, so there is no other unit to compare with." in words
    assert "One-unit group: the group has one unit (this one), so there is no group best or average" in words
    assert not table_rows(html, "gaps") and "±0.00" not in words
    assert "The group has one unit: compare the 2024 result with earlier years" in words
    chart = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', internal_report.section("comparison", data))
    legend = [label.text for label in labels(base64.b64decode(chart.group(1)).decode()) if "legend" in label.group]
    assert legend == ["2023", "2024"]  # no group average nor best of a group of one
    data = internal_report.prepare(one, SET, 2024, 2023, "en", produced="2026-11-29")
    html = "".join(internal_report.section(name, data) for name in data.sections)
    words = visible(html)
    assert "One-unit group: the group has one unit, UBND huyện Một (78.00%)." in words
    assert "UBND huyện Một leads" not in words and "One-unit group (1 unit)" in words and "(1 units)" not in words


def test_unit_report_tables_and_summary(T):
    _, html = rendered(T, "en", "A3")
    words = visible(html)
    comparison = table_rows(html, "comparison")
    assert comparison[0] == ["Chỉ đạo, điều hành", "10.00", "5.00", "50.00", "6.00", "60.00", "+10.00"]
    assert comparison[-1] == ["Index (total)", "50.00", "30.00", "60.00", "34.00", "68.00", "+8.00"]
    weak = table_rows(html, "weak")
    assert [row[0] for row in weak[:2]] == ["Chính quyền số", "Chỉ đạo, điều hành"]
    assert [row[0] for row in weak[2:]] == ["3.1 Dịch vụ công trực tuyến (giả lập)", "3.2 Số hóa hồ sơ (giả lập)",
                                            "1.1 Ban hành kế hoạch (giả lập)", "1.2 Kiểm tra (giả lập)"]
    assert table_rows(html, "gaps")[-1] == ["Index (total)", "68.00", "82.00", "−14.00", "73.33", "−5.33"]
    assert "2024: the index is 68.00% of the maximum, 34.00 points, rank 3/3 in the group Departments and " \
           "agencies." in words
    assert "Raise the field “Chính quyền số”: 50.00%, 20.00 percentage points below the group's average." in words


def test_a_unit_without_a_figure_reads_as_such(T):
    _, html = rendered(T, "vi", "B2")
    words = visible(html)
    assert "Chưa có kết quả năm 2024 của đơn vị." in words
    assert "Khối mới có 1/2 đơn vị có kết quả" in words
    comparison = table_rows(html, "comparison")
    assert comparison[0] == ["Chỉ đạo, điều hành", "10,00", "8,00", "80,00", *["chưa có số liệu"] * 3]
    assert comparison[-1] == ["Chỉ số (tổng điểm)", "50,00", "36,00", "72,00", *["chưa có số liệu"] * 3]


def public_record_only(T) -> dict[str, pd.DataFrame]:
    """As the published record gives a set: the index (% of maximum) and rank of a few units, no field, no points."""
    scores = T["internal_scores"]
    return {**T, "internal_fields": T["internal_fields"].iloc[:0], "internal_criteria": T["internal_criteria"].iloc[:0],
            "internal_scores": scores[(scores["indicator"] == "PAR") & scores["measure"].isin(["pct_of_max", "rank"])
                                      & scores["unit_code"].isin(["A1", "B1"])]}


@pytest.mark.parametrize("unit", [None, "A1", "A3"])
def test_a_set_known_only_from_the_public_record_reads_as_gaps(T, unit):
    data = internal_report.prepare(public_record_only(T), SET, 2024, 2023, "en", unit=unit, produced="2026-11-29")
    words = visible("".join(internal_report.section(name, data) for name in data.sections))
    assert "The 2024 results have no field scores (the index total only)." in words or unit is not None
    assert "nan" not in words.split() and "0.00" not in words.split()  # a gap is never a zero
    if unit is None:
        assert "In 2024, units with a result: only 2 of 5, so no provincial average can be computed" in words
        assert "The 2024 figures are too few to say what to do" in words
    elif unit == "A1":
        assert "2024: the index is 82.00% of the maximum, rank 1/3 in the group Departments and agencies." in words
    else:
        assert "The unit has no result for 2024." in words


def test_unknown_set_or_unit_is_refused(T):
    with pytest.raises(LookupError, match="tinh-x"):
        internal_report.prepare(T, "nowhere", 2024, 2023, "vi")
    with pytest.raises(LookupError, match="ZZ"):
        internal_report.prepare(T, SET, 2024, 2023, "vi", unit="ZZ")


# -- charts --------------------------------------------------------------------------------------------------------

def charts_of(T) -> dict[str, str]:
    ranked = ia.ranking(T, SET, 2024, 2023)
    names = ia.groups(T, SET)["name_vi"]
    fields = ia.fields(T, SET, 2024)["name_vi"]
    many = pd.DataFrame({"name_vi": [f"Ban Quản lý dự án đầu tư xây dựng số {k}" for k in range(21)],
                         "score": [70.2 - k * 0.01 for k in range(21)]})  # 21 close bars, in rank order
    close = pd.DataFrame({"year": [2023, 2023, 2023, 2024, 2024, 2024], "group_code": ["A", "B", "C"] * 2,
                          "mean": [70.0, 70.2, 70.1, 73.3, 73.4, 73.3]})
    return {
        "ranking": internal_charts.group_ranking(ranked[ranked["group_code"] == "A"], "vi", "Khối A", "r"),
        "ranking_many": internal_charts.group_ranking(many, "vi", "21", "m"),
        "ranking_crowded": internal_charts.group_ranking(  # 49 communes, as Khánh Hòa's of 2025
            pd.DataFrame({"name_vi": [f"Xã Ninh Phước Số {k}" for k in range(49)],
                          "score": [92.3 - k * 0.4 for k in range(49)]}), "vi", "49", "c"),
        "spread": internal_charts.field_spread(ia.field_shares(T, SET, 2024), fields, "vi", "Lĩnh vực"),
        "lines": internal_charts.group_lines(ia.group_averages(T, SET), names, "en", "Groups"),
        "close_lines": internal_charts.group_lines(close, pd.Series({"A": "Một", "B": "Hai", "C": "Ba"}), "vi", "x"),
        "unit": internal_charts.unit_fields(ia.unit_profile(T, SET, "A3", 2024, 2023).fields, "vi", "A3", 2024,
                                            2023),
        "heatmap": internal_charts.units_heatmap(ia.field_shares(T, SET, 2024), ia.units(T, SET)["name_vi"], fields,
                                                 "vi", "Heatmap")}


def test_chart_labels_never_overlap_and_are_never_blank(T):
    for name, svg in charts_of(T).items():
        assert svg is not None, name
        found = [label for label in labels(svg) if label.text and "-field-key" not in label.group]
        assert all(label.text.strip() for label in found), name
        checked = [label for label in found if "-value-" in label.group or "ytick" in label.group
                   or "legend" in label.group]
        assert checked, name
        for a, b in itertools.combinations(checked, 2):
            assert not overlap(a.box, b.box), (name, a, b)
    drawn = labels(charts_of(T)["ranking_many"])
    values = sorted((label.box[1], label.text) for label in drawn if "-value-" in label.group)
    names = sorted((label.box[1], label.text) for label in drawn if "ytick" in label.group and "Ban" in label.text)
    assert len(values) == 21 and values[0][1] == "70,20" and values[-1][1] == "70,00"  # every bar has its figure
    assert names[0][1].endswith("số 0")  # the best at the top


def test_charts_write_numbers_as_the_language_does_and_legends_only_what_is_drawn(T):
    drawn = charts_of(T)
    assert "82,00" in [label.text for label in labels(drawn["ranking"])]
    assert "73.33" in [label.text for label in labels(drawn["lines"])]
    lines_legend = [label.text for label in labels(drawn["lines"]) if "legend" in label.group]
    assert lines_legend == ["Sở, ban, ngành", "UBND cấp huyện"]
    no_base = ia.unit_profile(T, SET, "A3", 2024, None).fields
    legend = [label.text for label in labels(internal_charts.unit_fields(no_base, "vi", "x", 2024, None))
              if "legend" in label.group]
    assert legend == ["Trung bình khối", "Dẫn đầu khối", "2024"]
    one = ia.ranking(T, SET, 2024, 2023)
    assert internal_charts.group_ranking(one[one["group_code"] == "B"], "vi", "B", "b") is None  # one bar: a sentence



def test_group_lines_draw_every_group_beyond_the_eight_colours():
    groups = pd.Series({f"G{k}": f"Khối {k}" for k in range(10)})
    averages = pd.DataFrame([dict(year=y, group_code=f"G{k}", mean=60.0 + 3 * k + (y - 2023))
                             for y in (2023, 2024) for k in range(10)])
    legend = [label.text for label in labels(internal_charts.group_lines(averages, groups, "vi", "x"))
              if "legend" in label.group]
    assert legend == list(groups)


def test_counts_of_a_whole_are_written_by_formatting(T):
    from parsipas.core.formatting import count_of
    assert (count_of(14, "vi", 20, 2), count_of(40, "en", 44), count_of(None, "en", 44)) == (
        "14,00/20,00", "40/44", "not published")
    _, html = rendered(T, "vi")
    assert [row[2] for row in table_rows(html, "distribution")] == ["4/5", "4/5", "4/5"]
    assert table_rows(html, "bottom")[0][-1] == "6,00/10,00"
    assert ["2024", "UBND cấp huyện", "1/2"] in table_rows(html, "method")


def test_counted_words_agree_with_one(T):
    """No '1 units' nor '1 percentage points': a count of one reads in the singular, or the wording fits both."""
    one = alone_in_a_group(T)
    for lang, unit in itertools.product(("en",), (None, "B1", "B2")):
        data = internal_report.prepare(one, SET, 2024, 2023, lang, unit=unit, produced="2026-11-29")
        words = visible("".join(internal_report.section(name, data) for name in data.sections))
        assert not re.search(r"\b1 (units|percentage points|fields|other units)\b", words), (unit, words)
    assert "Ask Sở Tư pháp to explain why their score fell (1 or more percentage points since 2023)." in visible(
        internal_report.section("summary", internal_report.prepare(T, SET, 2024, 2023, "en")))
    data = internal_report.prepare(T, SET, 2024, 2023, "en")
    assert internal_words.unit_names(data, ["A1", "A2", "A3"], limit=2) == (
        "Department of Home Affairs, Sở Tư pháp and 1 other unit")


# -- explorer --------------------------------------------------------------------------------------------------------

def test_explorer_on_a_unit_set(T):
    year, note = explore.unit_set_year(T, SET, 2022)
    assert year == 2024 and "2023, 2024" in note
    listed = explore.unit_list(T, SET, 2024)
    assert list(listed.index) == ["Sở Nội vụ", "Sở Tư pháp", "Sở Y tế", "UBND huyện Một", "UBND huyện Hai"]
    assert listed["rank in group"].tolist()[:4] == ["1/3", "2/3", "3/3", "1/2"] and pd.isna(listed.iloc[4, 1])
    weak = explore.weak_fields(T, SET, 2024)
    assert list(weak.index) == ["Chính quyền số", "Chỉ đạo, điều hành", "Thủ tục hành chính"]
    assert weak["province weak there"].tolist() == [None, True, True]
    assert explore.unit_heatmap(T, SET, 2024).startswith("<svg")
    with pytest.raises(Exception, match="unit_set"):
        explore.unit_set_year(T, "nowhere", 2024)



def test_explorer_on_a_set_with_only_its_satisfaction_survey(T):
    """A set known only from its satisfaction index (SIPAS): the survey's years, said so, and its figures listed."""
    scores = T["internal_scores"]
    survey = scores[(scores["indicator"] == "PAR") & (scores["measure"] != "points")].assign(indicator="SIPAS")
    survey_only = {**T, "internal_scores": survey}
    year, note = explore.unit_set_year(survey_only, SET, 2022)
    assert year == 2024 and "only the province's satisfaction survey" in note and "2023, 2024" in note
    year, note = explore.unit_set_year(survey_only, SET, 2024)
    assert year == 2024 and "the figures below are the satisfaction index" in note
    listed = explore.unit_list(survey_only, SET, 2024)
    assert listed["index (%)"].tolist()[:4] == [82.0, 70.0, 68.0, 78.0]
    assert listed["rank in group"].tolist()[:4] == ["1/3", "2/3", "3/3", "1/2"]

# -- PDF -------------------------------------------------------------------------------------------------------------

def page(data: internal_report.InternalReport, body: str) -> str:
    """The report page as the runner's notebook template writes it: the report's stylesheet, the sections."""
    css = (paths.TEMPLATES / "parsipas_report" / "report.css").read_text(encoding="utf-8")
    return (f'<!DOCTYPE html><html lang="{data.lang}"><head><meta charset="utf-8"><style>{css}</style></head>'
            f'<body><main class="report">{body}</main></body></html>')


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
@pytest.mark.parametrize("unit, lang", [(None, "vi"), ("A3", "en")])
def test_pdf_text(T, tmp_path, unit, lang):
    data, body = rendered(T, lang, unit)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(render.html_to_pdf(page(data, body), internal_report.title(data)))
    words = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                    check=True).stdout.split())
    if unit is None:
        for fragment in ("Kết quả Chỉ số cải cách hành chính các cơ quan, đơn vị của Khánh Hòa", "Sở Nội vụ",
                         "UBND huyện Hai", "chưa có số liệu", "mới có 4/5 đơn vị", "DỮ LIỆU GIẢ LẬP"):
            assert fragment in words, fragment
    else:
        for fragment in ("Administrative reform index: Department of Health", "Index (total)", "68.00",
                         "SYNTHETIC DATA", "3.1 Dịch vụ công trực tuyến"):
            assert fragment in words, fragment
    for code in UNIT_CODES:
        assert not re.search(rf"\b{code}\b", words), code


# -- the SYNTHETIC fixture of issue 15, through clean.build -------------------------------------------------------

FIXTURE = paths.ROOT / "tests" / "fixtures" / "synthetic_internal"


@pytest.fixture(scope="module")
def built() -> dict[str, pd.DataFrame]:
    return clean.build(FIXTURE)


def codes_of(built, unit_set: str) -> list[str]:
    units = built["internal_units"]
    return list(units.loc[units["unit_set"] == unit_set, "unit_code"])


def fixture_report(built, unit_set: str, year: int, base_year: int | None, lang: str, unit: str | None = None):
    data = internal_report.prepare(built, unit_set, year, base_year, lang, unit=unit, produced="2026-11-29")
    return data, "".join(internal_report.section(name, data) for name in data.sections)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_fixture_overview_ranks_every_unit_by_name(built, lang):
    data, html = fixture_report(built, "khanh-hoa", 2024, 2023, lang)
    words = visible(html)
    assert ("Rose most since 2023:" if lang == "en" else "Tăng nhiều nhất so với năm 2023:") in words  # all 44 known
    for code in codes_of(built, "khanh-hoa") + ["PAR.F"]:
        assert not re.search(rf"\b{re.escape(code)}\b", words), code
    assert not re.search(r"(?<!\w)(nan|None|chưa công bố|not published)(?!\w)", words)
    ranking = table_rows(html, "ranking")
    assert len(ranking) == 44
    units = data.units
    assert sorted(row[1] for row in ranking) == sorted(units[f"name_{lang}"])
    size = {"vi": "đơn vị", "en": "units"}[lang]
    for group, n in (("SO", 21), ("HUYEN", 8), ("NGANH-DOC", 6), ("SU-NGHIEP", 9)):
        assert f"{data.groups.loc[group, f'name_{lang}']} ({n} {size})" in words
    noi_vu = next(row for row in ranking if row[1] == units.loc["SO01", f"name_{lang}"])
    assert noi_vu[:3] == ["5/21", units.loc["SO01", f"name_{lang}"], "85,71" if lang == "vi" else "85.71"]
    assert words.count(text("synthetic_banner", lang)) == 1


def test_fixture_overview_lists_the_units_to_call_in_first_under_the_weak_ministry_fields(built):
    """Most of the 44 units are below the provincial average in some weak field: the leaders' table keeps the ones
    below in most fields (furthest first) and says how many there are in all."""
    data, html = fixture_report(built, "khanh-hoa", 2024, 2023, "vi")
    order = list(ia.below_by_unit(data.below).index)
    assert len(order) > internal_sections.BELOW_SHOWN
    rows = table_rows(html, "ministry")[-internal_sections.BELOW_SHOWN - 1:]  # the units' table comes last
    assert rows[0][0] not in data.units["name_vi"].values  # the row before it is a field's
    assert [row[0] for row in rows[1:]] == [data.units.loc[u, "name_vi"] for u in order[:internal_sections.BELOW_SHOWN]]
    assert f"{len(order)} đơn vị thấp hơn trung bình toàn tỉnh ở ít nhất một lĩnh vực trên" in visible(html)


def test_fixture_unit_reports(built):
    _, html = fixture_report(built, "khanh-hoa", 2024, 2023, "vi", "SO01")
    words = visible(html)
    assert "Kết quả Chỉ số cải cách hành chính: Sở Nội vụ" in words
    assert "Năm 2024: Chỉ số đạt 85,71% điểm tối đa, 85,71 điểm, xếp hạng 5/21 trong khối Sở, ban, ngành." in words
    comparison = table_rows(html, "comparison")
    assert len(comparison) == 8 and comparison[0][0] == "Công tác chỉ đạo, điều hành cải cách hành chính"
    assert comparison[0][4:6] == ["12,29", "87,79"]  # 12.29 of 14 points in the 2024 file
    assert any(row[0].startswith("7.1 ") for row in table_rows(html, "weak"))  # its scorecard's criteria
    _, html = fixture_report(built, "khanh-hoa", 2024, 2023, "en", "HU04")
    words = visible(html)
    assert "Administrative reform index: UBND huyện Vạn Ninh" in words
    for code in codes_of(built, "khanh-hoa"):
        assert not re.search(rf"\b{code}\b", words), code


def test_fixture_communes_of_2025_without_a_base_year(built):
    data, html = fixture_report(built, "khanh-hoa-communes", 2025, 2024, "vi")
    assert data.base_year is None  # the set has no 2024 results
    words = visible(html)
    assert len(table_rows(html, "ranking")) == 65
    assert "Phường (16 đơn vị)" in words and "Xã, đặc khu (49 đơn vị)" in words
    assert "Không so sánh với năm 2024: năm đó chưa có kết quả của các đơn vị." in words
    for code in codes_of(built, "khanh-hoa-communes"):
        assert code not in words, code
    trend = re.search(r'<section id="trend">(.*?)</section>', html, re.S).group(1)  # one year: a table, no line
    assert "<svg" not in trend and "Chưa đủ số liệu qua các năm để vẽ biểu đồ." in visible(trend)


@pytest.mark.parametrize("unit", [None, "SO01"])
def test_fixture_base_year_asked_is_the_one_named(built, unit):
    """Asked for 2024 against 2022 (no results that year), the report names 2022 and why, never 2023."""
    data, html = fixture_report(built, "khanh-hoa", 2024, 2022, "en", unit)
    words = visible(html)
    assert data.base_year is None and data.asked_base_year == 2022 and data.base_missing == "none"
    assert "No comparison with 2022: the units have no results for that year." in words
    assert "2023 result" not in words and "with 2023" not in words and "since 2023" not in words.lower()


def test_public_record_base_year_with_only_the_other_index(public):
    data, html = fixture_report(public, "khanh-hoa", 2025, 2020, "en")
    assert data.base_missing == "other_index"
    assert ("No comparison with 2020: that year has only the province's administrative reform index, not its "
            "satisfaction survey.") in visible(html)


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_fixture_pdfs(built, tmp_path):
    for unit, lang, fragments in ((None, "vi", ["Kết quả Chỉ số cải cách hành chính các cơ quan, đơn vị của Khánh Hòa",
                                                "Sở Nội vụ", "44/44", "DỮ LIỆU GIẢ LẬP"]),
                                  ("SO01", "en", ["Administrative reform index: Sở Nội vụ",
                                                  "Index (total)", "85.71", "SYNTHETIC DATA"])):
        data, body = fixture_report(built, "khanh-hoa", 2024, 2023, lang, unit)
        pdf = tmp_path / f"{unit}-{lang}.pdf"
        pdf.write_bytes(render.html_to_pdf(page(data, body), internal_report.title(data)))
        words = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                                        check=True).stdout.split())
        for fragment in fragments:
            assert fragment in words, fragment
        for code in codes_of(built, "khanh-hoa"):
            assert not re.search(rf"\b{code}\b", words), code


@pytest.mark.slow
def test_explorer_notebook_switches_to_a_unit_set(built, tmp_path):
    import nbformat
    import papermill

    processed = tmp_path / "processed"
    clean.write(built, processed)
    output = tmp_path / "04.ipynb"
    papermill.execute_notebook(str(paths.ROOT / "notebooks" / "04_explore.ipynb"), str(output),
                               parameters={"unit_set": "khanh-hoa", "processed_dir": str(processed), "lang": "en"},
                               kernel_name="parsipas", cwd=str(paths.ROOT), progress_bar=False)
    outputs = "\n".join(o.get("text", "") + o.get("data", {}).get("text/html", "") + o.get("data", {}).get(
        "text/markdown", "") for cell in nbformat.read(output, as_version=4).cells for o in cell.get("outputs", []))
    assert "has no results for 2022; showing 2024" in outputs
    assert "Sở Nội vụ" in outputs and "5/21" in outputs
    assert "Coverage" not in outputs and "What-if" not in outputs  # the province's sections are skipped


# -- the real public record (data/raw/public/internal_index.csv) ----------------------------------------------------

@pytest.fixture(scope="module")
def public() -> dict[str, pd.DataFrame]:
    return clean.build()


def test_public_record_overview_says_only_what_it_knows(public):
    data, html = fixture_report(public, "khanh-hoa", 2020, 2018, "vi")
    words = visible(html)
    assert not data.is_synthetic and "GIẢ LẬP" not in words
    for code in codes_of(public, "khanh-hoa"):  # slugs of the names: never shown
        assert code not in words, code
    assert "Năm 2020, hồ sơ công khai có kết quả của 4 đơn vị" in words  # no provincial average over 4 units
    assert "UBND cấp huyện: dẫn đầu là UBND huyện Khánh Vĩnh (91,04%)." in words
    assert "Cơ quan ngành dọc: dẫn đầu là Ngân hàng Nhà nước chi nhánh tỉnh (96,43%)." in words  # a heading's capital
    ranking = table_rows(html, "ranking")
    khanh_vinh = next(row for row in ranking if row[1] == "UBND huyện Khánh Vĩnh")
    assert khanh_vinh == ["1", "UBND huyện Khánh Vĩnh", "91,04", "chưa có số liệu", "91,31", "1/8", "−0,27",
                          "giữ nguyên hạng"]  # 2020 does not say how many districts it ranked; 2018 says 8
    assert "làm rõ nguyên nhân giảm điểm" not in words  # falls of under a point are not called out
    assert "chưa đủ: 2/8 đơn vị" in words  # no district average from two of eight


def test_public_record_2025_is_the_satisfaction_index(public):
    data, html = fixture_report(public, "khanh-hoa", 2025, 2020, "en", "so-tu-phap")
    words = visible(html)
    assert data.indicator == "SIPAS" and data.base_year is None  # 2020 has the PAR index, not SIPAS
    assert "satisfaction" in words
    assert "THE PROVINCE'S OWN SATISFACTION SURVEY Satisfaction index: Sở Tư pháp" in words  # not the reform index
    assert "2025: the index is 94.99% of the maximum, rank 1/12 in the group Sở, cơ quan thuộc UBND tỉnh." in words


def test_public_record_unit_without_a_figure_in_either_year_gets_a_report_of_gaps(public):
    """Sở Tài chính is known only from 2025: asked for 2020 against 2018, its report says there is no result rather
    than failing, and computes nothing for its group."""
    data, html = fixture_report(public, "khanh-hoa", 2020, 2018, "vi", "so-tai-chinh")
    words = visible(html)
    assert "Chưa có kết quả năm 2020 của đơn vị." in words
    assert "0 đơn vị của khối có kết quả năm 2020" in words
    assert data.profile.total[["score", "rank"]].isna().all() and data.profile.fields.empty


def test_the_fall_action_names_the_largest_falls_and_how_many_fell(built):
    """18 units of the fixture fell a point or more: the action names the three largest falls and says 18, not as if
    the three were all."""
    data, html = fixture_report(built, "khanh-hoa", 2024, 2023, "vi")
    fell = data.ranking[data.ranking["change_score"] <= -data.unit_fall].sort_values("change_score")
    names = ", ".join(data.units.loc[list(fell["unit_code"][:3]), "name_vi"])
    assert len(fell) == 18
    assert (f"Yêu cầu {names} (giảm nhiều nhất trong 18 đơn vị giảm từ 1 điểm % trở lên so với năm 2023) làm rõ "
            "nguyên nhân giảm điểm.") in visible(html)


# -- what a leader sees (issue 23, item 12) -------------------------------------------------------------------------
def section_titles(html: str) -> dict[str, str]:
    return {anchor: " ".join(unescape(title).split())
            for anchor, title in re.findall(r'<section id="(\w+)">\s*<h2>(.*?)</h2>', html, re.S)}


@pytest.mark.parametrize("lang, two, one", [
    ("vi", "Năm 2024 so với năm 2023, theo lĩnh vực", "Kết quả năm 2024 theo lĩnh vực"),
    ("en", "2024 against 2023, field by field", "2024, field by field")])
def test_each_comparison_is_titled_by_the_years_it_really_has(T, lang, two, one):
    """A one-year table is no longer headed "So sánh hai năm"; a two-year one names both years."""
    _, html = rendered(T, lang, "A3")
    assert section_titles(html)["comparison"] == two
    assert f'<a href="#comparison">{two}</a>' in html  # the contents say the same
    data = internal_report.prepare(T, SET, 2024, None, lang, unit="A3", produced="2026-11-29")
    html = "".join(internal_report.section(name, data) for name in data.sections)
    assert section_titles(html)["comparison"] == one and "2023" not in one
    header = re.search(r'<section id="comparison">.*?<thead>(.*?)</thead>', html, re.S).group(1)
    assert "2024" in header and "2023" not in header  # the table has the one year its title names
    assert "So sánh hai năm" not in html and "two years compared" not in html


def test_the_overview_names_the_years_the_movers_compare(T):
    _, html = rendered(T, "vi")
    assert section_titles(html)["movers"] == "Đơn vị tăng, giảm nhiều nhất từ năm 2023 đến năm 2024"


def test_the_unit_chart_title_names_the_years_drawn(T):
    data, html = rendered(T, "vi", "A3")
    alts = re.findall(r'<section id="comparison">.*?alt="([^"]*)"', html, re.S)
    assert alts == ["Các lĩnh vực: đơn vị năm 2023 và 2024, khối năm 2024 (% điểm tối đa)"]


def collections(svg: str) -> list[tuple[str, bool]]:
    """The scatter series drawn in a chart's axes (clipped to them, unlike the legend's samples), in drawing order
    (later ones on top): colour and whether hollow."""
    found = []
    for body in re.findall(r'<g id="[\w-]*PathCollection_\d+">(.*?)</g>', svg, re.S):
        if "clip-path" not in body:
            continue
        fills = set(re.findall(r"fill: (#[0-9a-f]{6}|none)", body)) - {"#ffffff"}
        strokes = set(re.findall(r"stroke: (#[0-9a-f]{6})", body)) - {"#ffffff"}
        hollow = fills == {"none"}
        [colour] = strokes if hollow else fills
        found.append((colour, hollow))
    return found


def test_a_units_own_points_are_drawn_over_the_group_markers_which_stay_visible_as_rings(T):
    """Where a unit's result equals its group's average (the 2023 point of a field at the average), the unit's
    marker is drawn last, filled, and the group's average and best are open rings around it."""
    fields = ia.unit_profile(T, SET, "A3", 2024, 2023).fields.copy()
    fields["share_base"] = fields["group_mean"]  # the unit's own point exactly on the group's average
    svg = internal_charts.unit_fields(fields, "vi", "x", 2024, 2023)
    assert collections(svg) == [("#e69f00", True), ("#009e73", True), ("#999999", False), ("#0072b2", False)]
    legend = [label.text for label in labels(svg) if "legend" in label.group]
    assert legend == ["2023", "Trung bình khối", "Dẫn đầu khối", "2024"]
