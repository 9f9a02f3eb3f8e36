"""Targets are data: a report measures a province only against the target it set itself for the year (the processed
targets table) or the analyst's --target-rank, never Khánh Hòa's plan elsewhere nor a 63-place target on a ranking of
34; without one it says so and shows reference points, named as such."""

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from parsipas import clean
from parsipas.analyse import actions, analysis
from parsipas.clean import reference_tables
from parsipas.core import paths
from parsipas.core.errors import InputError
from parsipas.ingest.provinces import units
from parsipas.present import charts, report

SYNTHETIC_2025 = paths.ROOT / "tests" / "fixtures" / "synthetic_2024_2025"
SYNTHETIC_COMPLETE = paths.ROOT / "tests" / "fixtures" / "synthetic_complete"


@pytest.fixture(scope="module")
def processed():
    return clean.build()


def _words(data: report.ReportData) -> str:
    """What a leader reads of the target: the cover, the summary and the target section, as plain text."""
    html = report.section("cover", data) + report.section("summary", data) + report.section("target", data)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_targets_on_record_are_khanh_hoa_2022_plan(processed):
    targets = processed["targets"]
    assert list(targets["index"]) == ["PAR", "SIPAS"]
    assert set(targets["province_code"]) == {"56"} and set(targets["target_rank"]) == {30}
    assert set(targets["out_of"]) == {63} and set(targets["first_year"]) == set(targets["last_year"]) == {2022}
    assert set(targets["plan_date"]) == {"2022-09-14"}
    assert set(targets["url"]) == {""}  # the plan's text was not found: no address is invented


def test_the_default_report_keeps_the_plan_target_and_names_the_plan(processed):
    data = report.prepare(processed, "56", 2022, 2021, produced="2026-01-01")
    assert (data.target_rank, data.target_choice.set_by, data.target_choice.sipas_rank) == (30, "plan", 30)
    words = _words(data)
    assert ("Mục tiêu: xếp hạng 30 trở lên (PAR INDEX và SIPAS, năm 2022), theo kế hoạch ngày 14/09/2022 của UBND "
            "tỉnh Khánh Hòa") in words
    assert "số hiệu và địa chỉ văn bản chưa có trong hồ sơ nguồn" in words
    assert "Giữ vững mục tiêu xếp hạng 30 trở lên: năm 2022 tỉnh xếp hạng 25/63." in words


def test_no_other_province_or_year_takes_khanh_hoa_target(processed):
    """Every province of every year with figures, and Khánh Hòa's own years other than 2022: no target."""
    years = sorted(set(processed["par_scores"]["year"]) | {2025})
    for year in years:
        out_of = len(units(year))
        for code in units(year).index:
            choice = report.choose_target(processed["targets"], code, year, out_of, None, out_of)
            assert choice.rank is None or (code, year) == ("56", 2022), (code, year)


@pytest.mark.parametrize("code, year, base_year", [("54", 2024, 2023), ("58", 2022, 2021), ("79", 2022, 2021),
                                                   ("56", 2024, 2023)])
def test_a_report_of_another_province_or_year_never_mentions_the_plan(processed, code, year, base_year):
    words = _words(report.prepare(processed, code, year, base_year, produced="2026-01-01"))
    assert "kế hoạch ngày" not in words and "14/09/2022" not in words
    assert code == "56" or "Khánh Hòa" not in words
    assert "cần tăng 33 bậc" not in words and "mục tiêu xếp hạng 30" not in words
    assert f"chưa có mục tiêu xếp hạng nào được ghi nhận cho {'thành phố' if code == '79' else 'tỉnh'} năm {year}" \
        in words


def test_phu_yen_2024_shows_reference_points(processed):
    """Phú Yên ranked 36/63 with 88.20 in 2024; the nearest province above with a published rank is Lào Cai, 26th
    with 89.03; the median is place 32 and the top third ends at place 21 (Thành phố Hồ Chí Minh)."""
    data = report.prepare(processed, "54", 2024, 2023, produced="2026-01-01")
    points = data.reference_points
    assert points.loc["next_up", ["place", "province_code", "score", "places_to_go", "points_to_go"]].tolist() == \
        [26.0, "10", 89.03, 10.0, 0.83]
    assert points.loc["median", "place"] == 32 and points.loc["top_third", "place"] == 21
    assert not points["complete"].iloc[0] and points["known"].iloc[0] == 19
    words = _words(data)
    assert "Các mốc tham chiếu PAR INDEX năm 2024 (để so sánh, không phải mục tiêu)" in words
    assert "Bảng xếp hạng năm 2024 chưa đầy đủ (19/63 tỉnh, thành phố có hạng công bố)" in words
    assert report.action_points(data)[-1] == (
        "Chưa có mục tiêu xếp hạng được ghi nhận cho năm 2024. Các mốc tham chiếu PAR INDEX (bảng xếp hạng chưa đầy "
        "đủ: tính từ 19/63 tỉnh, thành phố đã công bố hạng): tỉnh, thành phố gần nhất phía trên đã công bố hạng "
        "(hạng 26/63, Lào Cai): cách 10 bậc, 0,83 điểm; trung vị của bảng xếp hạng (hạng 32/63): cách 4 bậc; "
        "ngưỡng nhóm một phần ba đầu (hạng 21/63, Thành phố Hồ Chí Minh): cách 15 bậc.")


def test_reference_points_of_a_complete_table_match_an_independent_ranking():
    tables = clean.build(SYNTHETIC_COMPLETE)
    data = report.prepare(tables, "54", 2022, 2021, produced="2026-01-01")
    scores = tables["par_scores"]
    totals = scores[(scores["year"] == 2022) & (scores["indicator"] == "PAR") & (scores["measure"] == "points")]
    ordered = totals.set_index("province_code")["value"].sort_values(ascending=False)
    own = list(ordered.index).index("54") + 1
    points = data.reference_points
    assert points["complete"].iloc[0]
    assert points.loc["next_up", "score"] == ordered.iloc[own - 2]
    assert points.loc["median", "score"] == ordered.iloc[31] and points.loc["top_third", "score"] == ordered.iloc[20]
    assert points.loc["next_up", "points_to_go"] == pytest.approx(ordered.iloc[own - 2] - ordered["54"])
    assert data.target.complete and data.target.target_rank is None  # the what-if still works without a target
    assert report.section("target", data).count("<table") == 2  # reference points and the room to gain by field


def test_a_2025_report_uses_no_63_place_target():
    tables = clean.build(SYNTHETIC_2025)
    data = report.prepare(tables, "56", 2025, 2024, produced="2026-01-01")
    assert data.target_rank is None and data.target_choice.set_by == "none"
    assert data.reference_points["out_of"].iloc[0] == 34
    words = _words(data)
    assert "14/09/2022" not in words and "30 trở lên" not in words
    assert "/63" not in words.split("Các mốc tham chiếu")[-1]  # the reference points are places out of 34
    english = report.prepare(tables, "56", 2025, 2024, lang="en", produced="2026-01-01")
    assert report.action_points(english)[-1] == (
        "No rank target is on record for 2025. PAR INDEX reference points: the next province up (rank 10/34, Thành "
        "phố Hải Phòng): 1 place, 0.69 points; the median of the ranking (rank 17/34): reached; the edge of "
        "the top third (rank 11/34): reached.")


def test_the_analyst_target_says_who_set_it_and_stays_on_its_ranking(processed):
    data = report.prepare(processed, "54", 2024, 2023, target_rank=20, produced="2026-01-01")
    assert data.target_choice.set_by == "analyst"
    words = _words(data)
    assert "Mục tiêu: xếp hạng 20 trở lên, do người phân tích đặt khi lập báo cáo (tùy chọn --target-rank)" in words
    assert "Để đạt mục tiêu xếp hạng 20 trở lên cần tăng 16 bậc (năm 2024 xếp hạng 36/63)" in words
    # given on the ranking of 34, it is not carried to a year that ranked 63
    assert report.choose_target(processed["targets"], "56", 2024, 63, 20, 34) == report.TargetChoice(None, "none")


def test_a_target_counts_only_on_a_ranking_of_its_size(processed):
    targets = processed["targets"]
    assert analysis.target_on_record(targets, "56", 2022, 63)["target_rank"] == 30
    assert analysis.target_on_record(targets, "56", 2022, 34) is None
    assert analysis.target_on_record(targets, "56", 2021, 63) is None


def _reference_copy(tmp_path: Path, rows: str) -> Path:
    folder = tmp_path / "reference"
    shutil.copytree(paths.REFERENCE, folder)
    text = (folder / "targets.csv").read_text(encoding="utf-8")
    (folder / "targets.csv").write_text(text + rows, encoding="utf-8")
    return folder


def test_a_bad_target_row_is_refused_with_its_cause_and_row(tmp_path):
    """Every fault of the table at once: a 63-place target stretched into 2025, an unknown province, a rank beyond
    the ranking, two places named at once."""
    folder = _reference_copy(tmp_path, "56,,2024,2025,PAR,30,63,UBND tỉnh Khánh Hòa,x,y,2024-01-01,\n"
                                       "99,,2022,2022,PAR,30,63,x,x,y,2022-01-01,\n"
                                       "56,,2022,2022,SIPAS,70,63,x,x,y,2022-01-01,\n"
                                       "56,khanh-hoa,2022,2022,PAR,3,63,x,x,y,2022-01-01,\n")
    lines = (folder / "targets.csv").read_text(encoding="utf-8").splitlines()
    first_bad = lines.index(next(line for line in lines if line.startswith("56,,2024,2025"))) + 1
    with pytest.raises(InputError) as raised:
        reference_tables.targets(folder)
    message = str(raised.value)
    assert "4 faults" in message
    assert (f"the target's years rank another number of units than it is out of — {folder / 'targets.csv'}, row "
            f"{first_bad}, column 'out_of'; found 63; expected 2024: 63, 2025: 34") in message
    assert f"unknown province code for the target's years — {folder / 'targets.csv'}, row {first_bad + 1}" in message
    assert f"the target rank is outside the ranking — {folder / 'targets.csv'}, row {first_bad + 2}" in message
    assert f"a target names either a province or a unit set — {folder / 'targets.csv'}, row {first_bad + 3}" \
        in message


def test_the_cover_counts_provinces_with_a_score_and_with_a_rank_only(processed):
    """2022 in the public record: 16 provinces with a PAR INDEX score, 4 more known by their rank alone."""
    data = report.prepare(processed, "56", 2022, 2021, produced="2026-01-01")
    scores = processed["par_scores"]
    year = scores[(scores["year"] == 2022) & (scores["indicator"] == "PAR")]
    scored = set(year.loc[year["measure"] == "points", "province_code"])
    ranked = set(year.loc[year["measure"] == "rank", "province_code"])
    assert data.par_counts == (len(scored), len(ranked - scored)) == (16, 4)
    assert ("16/63 tỉnh, thành phố có điểm PAR INDEX năm 2022, thêm 4 tỉnh, thành phố chỉ có thứ hạng"
            in report.data_status(data))
    english = report.prepare(processed, "56", 2022, 2021, lang="en", produced="2026-01-01")
    assert "16/63 provinces with a PAR INDEX score for 2022, 4 more with a rank only" in report.data_status(english)


def test_actions_name_the_lead_and_supporting_agencies():
    """With a responsibility table (SYNTHETIC), each action says who leads and who supports; a SIPAS element, which
    the table does not list, gets no agency; without a table no agency is ever named."""
    tables = clean.build(paths.ROOT / "tests" / "fixtures" / "synthetic_criteria")
    data = report.prepare(tables, "56", 2022, 2021, produced="2026-01-01")
    actions = report.action_points(data)
    assert any(a.endswith("Chủ trì: Sở D (giả lập); phối hợp: Sở A (giả lập).") for a in actions)
    assert all("Chủ trì" not in a for a in actions if "yếu tố SIPAS" in a)
    assert any("yếu tố SIPAS" in a for a in actions)  # SIPAS's weakest elements enter the actions
    html = report.section("summary", data)
    assert "Chủ trì: Sở C (giả lập)" in html
    empty = report.prepare({**tables, "responsibility": tables["responsibility"].iloc[:0]}, "56", 2022, 2021,
                           produced="2026-01-01")
    assert not any("Chủ trì" in a for a in report.action_points(empty))


def test_the_bottom_quarter_is_an_action_at_any_percentage():
    weak = pd.DataFrame({"name_vi": ["A", "B", "C"], "name_en": ["A", "B", "C"], "level": [1, 1, 1],
                         "points": [9.8, 5.0, 9.0], "max_points": [10.0, 10.0, 10.0], "share": [98.0, 50.0, 90.0],
                         "recoverable": [0.2, 5.0, 1.0], "shortfall": [None, None, None],
                         "change_share": [None, None, None], "rank": [60.0, 10.0, 20.0]},
                        index=["PAR.F1", "PAR.F2", "PAR.F3"])
    comparison = pd.DataFrame({"index": ["SIPAS"], "level": ["index"], "share_year": [80.0], "name_vi": ["SIPAS"],
                               "name_en": ["SIPAS"], "rank_year": [30.0], "gap_national_year": [0.0]})
    rules = actions.ActionRules(bottom_quarter=0.25, points_lost=1.0, share_below=80, drop=5, max_actions=1,
                                 sipas_weakest=2)
    chosen = actions.choose_actions(weak, comparison, rules, 63)
    assert list(chosen.index) == ["PAR.F2", "PAR.F1"]  # F2 meets two tests; F1 kept past max_actions: bottom quarter
    assert chosen.loc["PAR.F1", "bottom_quarter"] and not chosen.loc["PAR.F1", "points_lost"]


def test_no_target_line_is_drawn_where_none_is_on_record(processed):
    data = report.prepare(processed, "54", 2024, 2023, produced="2026-01-01")
    svg = charts.rank_trajectory(data.par_trajectory, data.sipas_trajectory, "vi", data.target_rank, data.unit_counts)
    assert svg is not None and "Mục tiêu hạng" not in svg
    assert "Mục tiêu hạng 30" in charts.rank_trajectory(data.par_trajectory, data.sipas_trajectory, "vi", 30,
                                                        data.unit_counts)


@pytest.mark.slow
def test_no_report_of_another_province_mentions_khanh_hoa_plan(processed):
    """Every province of 2022 (in both languages) and 2024 in the public record: the plan is Khánh Hòa's alone."""
    for year, languages in ((2022, ("vi", "en")), (2024, ("vi",))):
        for code in units(year).index.drop("56"):
            for lang in languages:
                words = _words(report.prepare(processed, code, year, year - 1, lang=lang, produced="2026-01-01"))
                assert "14/09/2022" not in words and "14 September 2022" not in words, (code, year, lang)
                assert "Khánh Hòa" not in words.split("Mục lục")[0].split("Contents")[0], (code, year, lang)
