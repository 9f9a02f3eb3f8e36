"""The executive summary says what the data supports, and no more."""

import pytest

from parsipas import clean, report


@pytest.fixture(scope="module")
def processed():
    return clean.build()


def test_khanh_hoa_summary_from_published_figures(processed):
    points = report.summary_points(report.prepare(processed, "56", 2022, 2021, produced="2026-01-01"))
    assert points[0] == "PAR INDEX năm 2022 đạt 86,19%, xếp hạng 25/63 (tăng 23 bậc so với năm 2021: 85,11%, hạng 48/63)."
    assert any("đã đạt (hạng 25)" in p for p in points)
    assert any("SIPAS năm 2022 của tỉnh chưa được công bố" in p for p in points)
    assert 3 <= len(points) <= 6


def test_missing_base_year_is_said_not_filled(processed):
    """Ninh Thuận's 2021 PAR INDEX is not in the public record: no change is invented."""
    points = report.summary_points(report.prepare(processed, "58", 2022, 2021, produced="2026-01-01"))
    assert points[0] == ("PAR INDEX năm 2022 đạt 85,78%, xếp hạng 29/63; kết quả năm 2021 của tỉnh chưa công bố "
                         "nên chưa so sánh được.")
    assert not any("chưa công bố%" in p for p in points)


def test_target_gap_counts_places(processed):
    points = report.summary_points(report.prepare(processed, "56", 2022, 2021, target_rank=10, produced="2026-01-01"))
    assert "Mục tiêu xếp hạng 10 trở lên: còn cách 15 bậc (hạng 25)." in points


def test_english_summary(processed):
    points = report.summary_points(report.prepare(processed, "56", 2022, 2021, lang="en", produced="2026-01-01"))
    assert points[0] == "The PAR INDEX for 2022 is 86.19%, rank 25/63 (up 23 places from 2021: 85.11%, rank 48/63)."
