"""The executive summary says where the province stands and what to do, from what the data supports, and no more."""

import dataclasses

import pytest

from parsipas import clean
from parsipas.analyse import actions
from parsipas.present import report


@pytest.fixture(scope="module")
def processed():
    return clean.build()


def _summary(processed, code="56", year=2022, base_year=2021, **options):
    return report.summary_points(report.prepare(processed, code, year, base_year, produced="2026-01-01", **options))


def test_both_years_with_rank_and_gap_to_the_national_average(processed):
    points = _summary(processed)
    assert points[0] == ("PAR INDEX năm 2022: đạt 86,19%, xếp hạng 25/63, cao hơn trung bình cả nước (84,79%) "
                         "1,40 điểm %.")
    assert points[1] == ("PAR INDEX năm 2021: đạt 85,11%, xếp hạng 48/63, thấp hơn trung bình cả nước (86,37%) "
                         "1,26 điểm %.")
    assert "So với năm 2021, PAR INDEX tăng 23 bậc." in points
    assert ("Từ dưới mức trung bình cả nước năm 2021, PAR INDEX của tỉnh đã vượt lên trên mức trung bình năm 2022."
            in points)
    assert "SIPAS năm 2022 của tỉnh chưa được công bố." in points


def test_priorities_are_actions_on_the_weakest_fields_then_the_target(processed):
    """The rule of action_rules.csv: the administrative procedures field, ranked 53/63 in 2022 (bottom quarter) with
    no published percentage, is an action and says why; the fields under 80% follow; one at 96% is not."""
    data = report.prepare(processed, "56", 2022, 2021, produced="2026-01-01")
    actions = report.action_points(data)
    assert actions[0] == ("Cải thiện lĩnh vực \u201cCải cách thủ tục hành chính\u201d – lý do: xếp hạng 53/63, trong "
                          "nhóm một phần tư cuối.")
    assert actions[1] == ("Cải thiện lĩnh vực \u201cXây dựng và phát triển chính quyền điện tử, chính quyền số\u201d – "
                          "lý do: mới đạt 76,88% điểm tối đa, dưới mức 80%; xếp hạng 28/63.")
    assert actions[2].startswith("Cải thiện lĩnh vực \u201cTác động của cải cách hành chính\u201d – lý do: mới đạt "
                                 "79,27%")
    assert not any("Cải cách tổ chức bộ máy" in a or "Cải cách tài chính công" in a for a in actions)  # 96%
    assert actions[-1] == "Giữ vững mục tiêu xếp hạng 30 trở lên: năm 2022 tỉnh xếp hạng 25/63."
    assert len(actions) == 4


def test_the_action_thresholds_are_data(processed):
    """Lowering the share threshold in the rule's table drops the two fields under 80%: no threshold is in code."""
    data = report.prepare(processed, "56", 2022, 2021, produced="2026-01-01")
    rules = dataclasses.replace(data.action_rules, share_below=70.0)
    chosen = actions.choose_actions(data.weak, data.comparison, rules, 63)
    assert list(chosen.index) == ["PAR.F3"]
    assert chosen.loc["PAR.F3", "bottom_quarter"] and not chosen.loc["PAR.F3", "share_below"]


def test_english_actions_say_why(processed):
    data = report.prepare(processed, "56", 2022, 2021, lang="en", produced="2026-01-01")
    assert report.action_points(data)[0] == ("Improve the field \u201cAdministrative procedure reform\u201d – why: "
                                             "ranked 53/63, in the bottom quarter.")


def test_missing_base_year_is_said_not_filled(processed):
    """Ninh Thuận's 2021 PAR INDEX is not in the public record: no change is invented."""
    points = _summary(processed, "58")
    assert points[0].startswith("PAR INDEX năm 2022: đạt 85,78%, xếp hạng 29/63")
    assert not any(p.startswith("PAR INDEX năm 2021") or "bậc" in p for p in points if "PAR INDEX" in p[:9])


def test_target_gap_counts_places(processed):
    points = _summary(processed, target_rank=10)
    assert ("Để đạt mục tiêu xếp hạng 10 trở lên cần tăng 15 bậc (năm 2022 xếp hạng 25/63); số điểm cần thêm chỉ "
            "tính được khi có bảng xếp hạng đầy đủ.") in points


def test_a_city_named_thanh_pho_is_not_named_twice(processed):
    data = report.prepare(processed, "79", 2023, 2022, produced="2026-01-01")
    data.latest_year = 2022  # as if 2023 had no figure: the note names the city once
    assert "của Thành phố Hồ Chí Minh." in report.summary_points(data)[0]


def test_a_year_without_figures_says_so_first_and_summarises_the_latest_year(processed):
    points = _summary(processed, year=2023, base_year=2022)
    assert points[0] == ("Chưa có số liệu PAR INDEX và SIPAS năm 2023 của tỉnh Khánh Hòa. Phần tóm tắt dưới đây nói "
                         "về năm 2022, năm gần nhất có số liệu.")
    assert points[1].startswith("PAR INDEX năm 2022: đạt 86,19%, xếp hạng 25/63")


@pytest.mark.parametrize("target_rank", [None, 20])
def test_a_centrally_run_city_is_a_city(processed, target_rank):
    data = report.prepare(processed, "79", 2022, 2021, target_rank=target_rank, produced="2026-01-01")
    text = " ".join(report.summary_points(data)) + report.section("cover", data) + report.section("target", data)
    assert "SIPAS năm 2022 của thành phố chưa được công bố." in text
    assert ("Đã biết: năm 2022, thành phố đạt 84,70 điểm" if target_rank else
            "chưa có mục tiêu xếp hạng nào được ghi nhận cho thành phố năm 2022") in text
    assert " tỉnh " not in text.replace("tỉnh, thành phố", "")


def test_english_summary(processed):
    points = _summary(processed, lang="en")
    assert points[0] == ("PAR INDEX 2022: 86.19%, rank 25/63, 1.40 percentage points above the national average "
                         "(84.79%).")
    assert "Since 2021 the PAR INDEX has moved up 23 places." in points
