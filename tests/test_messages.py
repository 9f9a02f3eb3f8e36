"""Every message exists in both languages with the same placeholders, and a missing value can never take a number's
place in a sentence: text() refuses it, and the report chooses a wording made for the missing case."""

import math
import re
import string

import numpy as np
import pandas as pd
import pytest

from parsipas import clean, report
from parsipas.messages import CATALOGUE, LANGUAGES, Missing, MissingValue, date, number, text

BROKEN = re.compile(r"(đạt|hạng|thứ|giữ|loại|\()\s*chưa công bố|(?<!–\s):\s*chưa công bố"
                    r"|(scored|rank|ranked|kept|rejected|\()\s*not published|\bnan\b|None|–%")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_both_languages_with_the_same_placeholders(key):
    assert set(CATALOGUE[key]) == set(LANGUAGES)
    assert _placeholders(CATALOGUE[key]["vi"]) == _placeholders(CATALOGUE[key]["en"])


@pytest.mark.parametrize("key", sorted(k for k in CATALOGUE if _placeholders(CATALOGUE[k]["vi"])))
def test_a_missing_value_never_fills_a_placeholder(key):
    names = sorted(_placeholders(CATALOGUE[key]["vi"]))
    for lang in LANGUAGES:
        assert text(key, lang, **dict.fromkeys(names, "7")), key
        for name in names:
            for missing in (None, math.nan, number(None, lang)):
                with pytest.raises(MissingValue, match=name):
                    text(key, lang, **{**dict.fromkeys(names, "7"), name: missing})


def test_formatters_mark_missing_values_for_tables_only():
    assert isinstance(number(np.nan, "vi"), Missing) and number(np.nan, "vi") == "chưa công bố"
    assert number(82.5, "vi", 1) == "82,5" and number(82.5, "en", 1) == "82.5"
    assert date("2026-11-29", "vi") == "29/11/2026" and date("2026-11-29", "en") == "29 November 2026"


@pytest.fixture(scope="module")
def processed():
    return clean.build()


SENTENCE_SECTIONS = ("cover", "summary", "target", "weak", "method", "coverage")


def _sentences(html: str) -> str:
    """The report's prose: tables (whose blanks are dashes) left out."""
    return re.sub(r"<table.*?</table>", "", html, flags=re.S)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_province_and_year_reads_in_whole_sentences(processed, lang):
    """The seven reports that printed 'tỉnh đạt chưa công bố điểm' and their like: every province in Vietnamese
    (a sample in English, whose sentences are built the same way), three pairs of years, rendered through the
    sections that speak in sentences."""
    codes = sorted(processed["par_scores"]["province_code"].unique()) if lang == "vi" else ["01", "56", "58", "79"]
    for code in codes:
        for year, base_year in ((2022, 2021), (2023, 2022), (2024, 2023)):
            data = report.prepare(processed, code, year, base_year, lang=lang, produced="2026-01-01")
            prose = _sentences("".join(report.section(name, data) for name in SENTENCE_SECTIONS))
            assert not BROKEN.search(prose), (code, year, BROKEN.search(prose).group(0))


@pytest.mark.parametrize("column", ["share_year", "rank_year", "share_base", "rank_base", "national_mean_year",
                                    "gap_national_year", "national_mean_base", "gap_national_base", "change_rank"])
def test_each_figure_missing_in_turn(processed, column):
    """Knock out one figure of the comparison at a time: the summary picks another wording, never a blank."""
    for lang in LANGUAGES:
        data = report.prepare(processed, "56", 2022, 2021, lang=lang, produced="2026-01-01")
        data.basis.comparison[column] = np.nan
        data.basis.weak[["rank", "shortfall", "recoverable"]] = np.nan
        prose = _sentences(report.section("summary", data))
        assert not BROKEN.search(prose)


def test_target_without_the_provinces_score_or_rank(processed):
    data = report.prepare(processed, "56", 2023, 2022, produced="2026-01-01")
    assert data.target.score is None and pd.isna(data.target.rank)
    prose = report.section("target", data)
    assert "chưa được công bố trong các nguồn đã thu thập" in prose and not BROKEN.search(prose)
