"""Every message exists in both languages with the same placeholders, and a missing value can never take a number's
place in a sentence: text() refuses it, and the report chooses a wording made for the missing case."""

import ast
import math
import re
import string
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from parsipas import clean
from parsipas.core.formatting import date, number
from parsipas.core.messages import CATALOGUE, CATALOGUE_FILE, LANGUAGES, Missing, MissingValue, text
from parsipas.ingest.provinces import Gazetteer
from parsipas.present import report

BROKEN = re.compile(r"(đạt|hạng|thứ|giữ|loại|\()\s*chưa công bố|(?<!–\s):\s*chưa công bố"
                    r"|(scored|rank|ranked|kept|rejected|\()\s*not published|\bnan\b|None|–%")


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_both_languages_with_the_same_placeholders(key):
    assert set(CATALOGUE[key]) == set(LANGUAGES)
    assert _placeholders(CATALOGUE[key]["vi"]) == _placeholders(CATALOGUE[key]["en"])


def test_the_data_file_has_each_key_once_and_no_empty_string():
    """tomllib refuses a table declared twice; counting the headers says so plainly, and that nothing else is a key."""
    headers = Counter(re.findall(r"^\[(\w+)\]\s*$", CATALOGUE_FILE.read_text(encoding="utf-8"), flags=re.M))
    assert [key for key, n in headers.items() if n > 1] == []
    assert list(headers) == list(CATALOGUE)
    assert [(key, lang) for key, langs in CATALOGUE.items() for lang, value in langs.items() if not value.strip()] == []


def _key_patterns(node: ast.expr):
    """What a text() call's first argument can name, as regexes: "key", f"unit_{x}", "h_" + name, "a" if c else "b"."""
    match node:
        case ast.Constant(value=str(key)):
            yield re.escape(key)
        case ast.JoinedStr(values=parts):
            yield "".join(re.escape(p.value) if isinstance(p, ast.Constant) else ".+" for p in parts)
        case ast.BinOp(left=ast.Constant(value=str(prefix)), op=ast.Add()):
            yield re.escape(prefix) + ".+"
        case ast.IfExp(body=body, orelse=orelse):
            yield from _key_patterns(body)
            yield from _key_patterns(orelse)


def _keys_used_in_code() -> dict[str, str]:
    """Every static key pattern passed to text() in the package, with the module and line that passes it."""
    used = {}
    for module in sorted(CATALOGUE_FILE.parents[1].rglob("*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "text" and node.args:
                for pattern in _key_patterns(node.args[0]):
                    used.setdefault(pattern, f"{module.name}:{node.lineno}")
    return used


def test_every_key_used_in_code_is_in_the_catalogue():
    used = _keys_used_in_code()
    assert len(used) > 100  # the scan finds the report's messages, so an empty scan cannot pass
    unknown = {pattern: where for pattern, where in used.items()
               if not any(re.fullmatch(pattern, key) for key in CATALOGUE)}
    assert unknown == {}


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
    data = report.prepare(processed, "56", 2023, 2022, target_rank=30, produced="2026-01-01")
    assert data.target.score is None and pd.isna(data.target.rank)
    prose = report.section("target", data)
    assert "chưa được công bố trong các nguồn đã thu thập" in prose and not BROKEN.search(prose)
    without = report.section("target", report.prepare(processed, "56", 2023, 2022, produced="2026-01-01"))
    assert "chưa tính được khoảng cách đến các mốc" in without and not BROKEN.search(without)


@pytest.mark.slow
def test_every_province_gets_every_section(processed):
    """Every section, charts included, renders for every province (Điện Biên, with no figure at all, crashed the rank
    chart once) and its prose is whole."""
    for code in sorted(Gazetteer().provinces.index):
        data = report.prepare(processed, code, 2022, 2021, produced="2026-01-01")
        html = "".join(report.section(name, data) for name in ("cover", *report.SECTIONS))
        assert not BROKEN.search(_sentences(html)), code
