import pytest

from parsipas.core.parsing import Reading, leading_number, max_from_unit, read_score, to_number


@pytest.mark.parametrize("text, expected", [("85,11", 85.11), ("85.11", 85.11), (" 8,46 ", 8.46), ("77.4%", 77.4),
                                            ("100", 100.0)])
def test_numbers_with_decimal_comma_or_point(text, expected):
    assert to_number(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "1.234.5", "NOT FOUND", "(lost '0101')"])
def test_text_is_not_a_number(text):
    with pytest.raises(ValueError):
        to_number(text)


@pytest.mark.parametrize("text, expected", [
    ("8.46", Reading(points=8.46)),
    ("77.4%", Reading(pct=77.4)),
    ("9.1 (91%)", Reading(points=9.1, pct=91.0)),
    ("12.38 (95.23%)", Reading(points=12.38, pct=95.23)),
    ("(lost 4.5)", Reading(points_lost=4.5)),
    ("(lost 1,96)", Reading(points_lost=1.96)),
])
def test_published_score_forms(text, expected):
    assert read_score(text) == expected


def test_garbled_score_is_refused():
    with pytest.raises(ValueError):
        read_score("(lost '0101')")


@pytest.mark.parametrize("text, expected", [("87.14 (Đà Nẵng)", 87.14), ("+13.2% (Quảng Ngãi)", 13.2),
                                            ("3 (Đồng Nai, Tiền Giang, Hà Nam)", 3.0), ("84.79", 84.79)])
def test_summary_cells_start_with_their_number(text, expected):
    assert leading_number(text) == expected


@pytest.mark.parametrize("text", ["NOT FOUND", ">49,600 civil servants", "2022-05-25", "36000+", "Sơn La"])
def test_summary_cells_without_a_number(text):
    with pytest.raises(ValueError):
        leading_number(text)


def test_maximum_from_unit_text():
    assert max_from_unit("points (of 6.5)") == 6.5
    assert max_from_unit("pct") is None
