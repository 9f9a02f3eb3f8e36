"""The executive summary says where the province stands and what to do, from what the data supports, and no more."""

import pytest

from parsipas import clean, report


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
    data = report.prepare(processed, "56", 2022, 2021, produced="2026-01-01")
    actions = report.action_points(data)
    assert len(actions) == 4
    assert actions[0].startswith("Nâng kết quả lĩnh vực \u201cXây dựng và phát triển chính quyền điện tử, chính quyền "
                                 "số\u201d: mới đạt 76,88% điểm tối đa; xếp hạng 28/63")
    assert actions[-1] == "Giữ vững mục tiêu xếp hạng 30 trở lên: năm 2022 tỉnh xếp hạng 25/63."


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


def test_a_centrally_run_city_is_a_city(processed):
    data = report.prepare(processed, "79", 2022, 2021, produced="2026-01-01")
    text = " ".join(report.summary_points(data)) + report.section("cover", data) + report.section("target", data)
    assert "SIPAS năm 2022 của thành phố chưa được công bố." in text
    assert "Đã biết: năm 2022, thành phố đạt 84,70 điểm" in text
    assert " tỉnh " not in text.replace("tỉnh, thành phố", "").replace("của tỉnh Khánh Hòa)", "")


def test_english_summary(processed):
    points = _summary(processed, lang="en")
    assert points[0] == ("PAR INDEX 2022: 86.19%, rank 25/63, 1.40 percentage points above the national average "
                         "(84.79%).")
    assert "Since 2021 the PAR INDEX has moved up 23 places." in points
