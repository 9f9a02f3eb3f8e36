"""English reports name the Ministry's fields in English (data/reference/field_crosswalk.csv and indicators.csv,
name_en), never in Vietnamese where an English name is known."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from parsipas.ingest import reference

ROOT = Path(__file__).resolve().parents[1]


def _section(html: str, anchor: str) -> str:
    start = html.index(f'id="{anchor}"')
    end = html.find('<section', start + 1)
    return html[start:end if end > 0 else None]


@pytest.mark.slow
def test_the_english_method_section_names_fields_in_english(english_report):
    method = _section((english_report / "report.html").read_text(encoding="utf-8"), "method")
    crosswalk = reference.read_commented_csv(ROOT / "data/reference/field_crosswalk.csv")
    shown = crosswalk[crosswalk.decision.isin(["876/QĐ-BNV", "1149/QĐ-BNV"])]
    assert all(name in method for name in shown.name_en.str.replace("&", "&amp;"))
    assert not [name for name in shown.name_vi if name in method]
    assert not re.search(r"Cải cách|Xây dựng|Tác động", method)
