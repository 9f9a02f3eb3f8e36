"""The 63 provinces: codes, names in every spelling met, regions and the 2025 merger map."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pandas as pd

from . import paths
from .reference import nfc, table
from .text import fold_diacritics

_PREFIXES = re.compile(r"^(thanh pho|tp\.?|tinh)\s+")


def name_key(name: str) -> str:
    """Fold a province name to a key that ignores diacritics, case, 'TP.'/'Thành phố'/'Tỉnh' and dash variants."""
    text = re.sub(r"[-‐‑–—.]+", " ", fold_diacritics(name).replace("tp.", "tp "))
    text = " ".join(text.split())
    return _PREFIXES.sub("", text).replace(" ", "")


def provinces(directory: Path = paths.REFERENCE) -> pd.DataFrame:
    return table("provinces", directory).set_index("province_code")


def regions(directory: Path = paths.REFERENCE) -> pd.DataFrame:
    return table("regions", directory).set_index("region_code")


def _lookup(frame: pd.DataFrame, name_column: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, row in frame.iterrows():
        for spelling in [row[name_column], *filter(None, row["aliases"].split("|"))]:
            lookup[name_key(spelling)] = code
    return lookup


class UnknownName(LookupError):
    def __init__(self, name: str, suggestion: str | None):
        self.name, self.suggestion = name, suggestion
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        super().__init__(f"unknown province '{name}'{hint}")


class Gazetteer:
    """Resolves any published spelling of a province or region to its code."""

    def __init__(self, directory: Path = paths.REFERENCE):
        self.provinces = provinces(directory)
        self.regions = regions(directory)
        self._province_keys = _lookup(self.provinces, "name_vi")
        self._region_keys = _lookup(self.regions, "name_vi")

    def province_code(self, name: str) -> str:
        text = nfc(name)
        if text in self.provinces.index:
            return text
        key = name_key(text)
        if key in self._province_keys:
            return self._province_keys[key]
        close = difflib.get_close_matches(key, list(self._province_keys), n=1, cutoff=0.6)
        raise UnknownName(text, self.provinces.loc[self._province_keys[close[0]], "name_vi"] if close else None)

    def region_code(self, name: str) -> str:
        key = name_key(name)
        if key not in self._region_keys:
            raise UnknownName(nfc(name), None)
        return self._region_keys[key]

    def name(self, code: str) -> str:
        return self.provinces.loc[code, "name_vi"]

    def slug(self, code: str) -> str:
        return self.provinces.loc[code, "slug"]
