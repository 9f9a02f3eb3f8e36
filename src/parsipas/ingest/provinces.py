"""The provinces per assessment year (the set data/reference/unit_sets.csv names): codes, names in every spelling
met, regions and the 2025 merger map."""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from parsipas.core import paths
from parsipas.core.text import nfc, province_key
from parsipas.ingest.reference import table


def provinces(directory: Path = paths.REFERENCE) -> pd.DataFrame:
    return table("provinces", directory).set_index("province_code")


def unit_set_table(year: int, directory: Path = paths.REFERENCE) -> str:
    """The reference table listing the units an assessment year ranks (unit_sets.csv), so that no year is in code."""
    for row in table("unit_sets", directory).itertuples():
        if int(row.first_year) <= year and (not row.last_year or year <= int(row.last_year)):
            return row.table
    raise LookupError(f"no set of provinces for assessment year {year} in data/reference/unit_sets.csv")


def units(year: int, directory: Path = paths.REFERENCE) -> pd.DataFrame:
    """The provinces and centrally-run cities an assessment year ranks, by code: name_vi, slug, region_code, kind and
    aliases in every set (the provinces up to 2024, the units of Nghị quyết 202/2025/QH15 from 2025)."""
    return table(unit_set_table(year, directory), directory).set_index("province_code")


def unit_count(year: int, directory: Path = paths.REFERENCE) -> int:
    """How many units an assessment year ranks: its last rank and the size of its complete table."""
    return len(units(year, directory))


def province_name(code: str, year: int, directory: Path = paths.REFERENCE) -> str:
    """A province's name in the year's set of provinces, else in the set up to 2024 (the code itself if neither
    knows it): the province a unit set belongs to, named in its reports."""
    for table_of_year in (units(year, directory), provinces(directory)):
        if code in table_of_year.index:
            return table_of_year.loc[code, "name_vi"]
    return code


def regions(directory: Path = paths.REFERENCE) -> pd.DataFrame:
    return table("regions", directory).set_index("region_code")


def _lookup(frame: pd.DataFrame, name_column: str) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for code, row in frame.iterrows():
        for spelling in [row[name_column], *filter(None, row["aliases"].split("|"))]:
            lookup[province_key(spelling)] = code
    return lookup


def aliases(directory: Path = paths.REFERENCE) -> pd.DataFrame:
    """Historic and common names of the provinces up to 2024 (province_aliases.csv: alias, province_code, kind)."""
    return table("province_aliases", directory)


def _spellings_before(directory: Path) -> dict[str, str]:
    """Every spelling of a province up to 2024 (its name, its aliases column, province_aliases.csv) -> its code."""
    lookup = _lookup(provinces(directory), "name_vi")
    for alias in aliases(directory).itertuples():
        lookup.setdefault(province_key(alias.alias), alias.province_code)
    return lookup


def _continued(before: pd.DataFrame, later: pd.DataFrame) -> set[str]:
    """The provinces up to 2024 that a later unit is, not merged into it: the one bearing the unit's name or, where
    none of its predecessors does (Thừa Thiên Huế became Thành phố Huế), the one whose code it kept. A code alone
    does not make a unit: Lào Cai took Yên Bái's code 15, and Yên Bái is not Lào Cai."""
    continued = set()
    for unit, row in later.iterrows():
        merged = before[before["merged_2025_into"] == unit]
        namesake = merged[merged["name_vi"].map(province_key) == province_key(row["name_vi"])]
        continued |= set(namesake.index if not namesake.empty else merged.index.intersection([unit]))
    return continued


class UnknownName(LookupError):
    def __init__(self, name: str, suggestion: str | None, why: str = ""):
        self.name, self.suggestion = name, suggestion
        hint = f" (did you mean '{suggestion}'?)" if suggestion else ""
        super().__init__(f"unknown province '{name}'{why}{hint}")


class Gazetteer:
    """Resolves any published spelling of a province or region to its code: the provinces up to 2024 by default, or
    the units an assessment year ranks when year is given (Gazetteer(year=2025) knows "Thành phố Huế", code 46).

    Names of the provinces up to 2024 in a later year's set: a province the later unit continues (_continued: Hà Nội;
    Thừa Thiên Huế, now Thành phố Huế) is that unit under any of its spellings. A province merged into another (Ninh
    Thuận into Khánh Hòa, and Yên Bái into Lào Cai although Lào Cai took Yên Bái's code 15) is a predecessor:
    province_code refuses it, as a figure of a predecessor is not its successor's, while resolve, for a reader asking
    for a report, gives the successor and a sentence saying so."""

    def __init__(self, directory: Path = paths.REFERENCE, year: int | None = None):
        self.provinces = provinces(directory) if year is None else units(year, directory)
        self.year = year
        self.regions = regions(directory)
        self._province_keys = _lookup(self.provinces, "name_vi")
        self._region_keys = _lookup(self.regions, "name_vi")
        self._predecessor_keys: dict[str, str] = {}  # spelling -> the province up to 2024 it names
        before = provinces(directory)
        later = year is not None and not self.provinces.index.equals(before.index)
        continued = _continued(before, self.provinces) if later else set(before.index)
        for key, code in _spellings_before(directory).items():
            successor = before.loc[code, "merged_2025_into"] if later else code
            if key in self._province_keys or successor not in self.provinces.index:
                continue
            if code in continued:
                self._province_keys[key] = code
            else:
                self._predecessor_keys[key] = code
        self._before = before

    def province_code(self, name: str) -> str:
        text = nfc(name)
        if text in self.provinces.index:
            return text
        key = province_key(text)
        if key in self._province_keys:
            return self._province_keys[key]
        if key in self._predecessor_keys:
            before = self._predecessor_keys[key]
            successor = self.name(self._before.loc[before, "merged_2025_into"])
            raise UnknownName(text, successor, f" in {self.year}: {self._before.loc[before, 'name_vi']} merged into "
                                               f"{successor} in the 2025 reorganisation of provinces")
        close = difflib.get_close_matches(key, list(self._province_keys), n=1, cutoff=0.6)
        raise UnknownName(text, self.provinces.loc[self._province_keys[close[0]], "name_vi"] if close else None)

    def resolve(self, name: str) -> tuple[str, str | None]:
        """The code of the unit a reader means by name in this year's set, and, where the name is a predecessor's
        (a province merged into another), one sentence saying so; None when the name is the unit's own."""
        key = province_key(nfc(name))
        if key not in self._predecessor_keys:
            return self.province_code(name), None
        before = self._predecessor_keys[key]
        successor = self._before.loc[before, "merged_2025_into"]
        old, new = self._before.loc[before, "name_vi"], self.name(successor)
        return successor, (f"{old} merged into {new} in the 2025 reorganisation of provinces (merged_2025_into in "
                           f"data/reference/provinces.csv); {self.year} ranks {new}, so the report is {new}'s")

    def region_code(self, name: str) -> str:
        key = province_key(name)
        if key not in self._region_keys:
            raise UnknownName(nfc(name), None)
        return self._region_keys[key]

    def name(self, code: str) -> str:
        return self.provinces.loc[code, "name_vi"]

    def slug(self, code: str) -> str:
        return self.provinces.loc[code, "slug"]
