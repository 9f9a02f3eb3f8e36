"""Every user-facing string of the report, in Vietnamese and English. The wording lives in messages.toml beside this
module (translators edit data, not code), read once at import; text() fills a message in and refuses a missing value."""

from __future__ import annotations

import math
import tomllib
from pathlib import Path

LANGUAGES = ("vi", "en")
CATALOGUE_FILE = Path(__file__).with_name("messages.toml")
CATALOGUE: dict[str, dict[str, str]] = tomllib.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))


class Missing(str):
    """What a formatter returns for a figure that is not published: it reads "not published" in a table cell,
    and text() refuses it in a sentence, so a missing value never takes a number's place in one."""


class MissingValue(ValueError):
    """A sentence was asked for with a missing value: the caller must choose a wording made for that case."""


def is_missing(value: object) -> bool:
    return value is None or isinstance(value, Missing) or (isinstance(value, float) and math.isnan(value))


def text(key: str, lang: str, **values) -> str:
    absent = sorted(name for name, value in values.items() if is_missing(value))
    if absent:
        raise MissingValue(f"message '{key}' asked for with missing {', '.join(absent)}")
    return CATALOGUE[key][lang].format(**values)
