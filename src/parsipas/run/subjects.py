"""What a report is about: a province (the Ministry's PAR INDEX / SIPAS report), or a unit of a province's own index
(one of its departments, agencies or communes) or that unit set's overview for the province's leadership.

The runner, its cache, its workers and the manifest deal in Subjects only: each kind says which notebook makes its
report, with which parameters, into which folder, under which title, and what to warn about. Provinces come from the
gazetteer of the report year (known before any data is read); a unit set's units come from the processed table
internal_units (known only after cleaning). Nothing else in the runner differs between them.

No pandas at import: the command line reads OVERVIEW from here, and an unchanged rerun is answered before pandas loads.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import ClassVar

from parsipas.core.errors import InputError
from parsipas.run.parameters import BATCH_NOTEBOOKS, REPORT_NOTEBOOKS

log = logging.getLogger("parsipas")

OVERVIEW = "overview"  # --unit overview, and the overview's folder name
TITLE_TAG = "title"    # the cell of a unit-set notebook that prints the page title (stdout is not shown in reports)


@dataclass(frozen=True)
class Subject:
    """One report's subject. code names it in cache keys and manifests; name in progress lines and messages;
    folder is its place under <out>/<year>/ (above <lang>/)."""

    code: str
    name: str
    folder: str
    place: str = ""    # the province named in the Word draft's place and date line

    notebook: ClassVar[str]                  # the report notebook, rendered to HTML, PDF and Word
    unused: ClassVar[tuple[str, ...]] = ()   # run parameters its reports do not use (left out of the manifest)
    single_notebooks: ClassVar[tuple[str, ...]]  # notebooks run for a report asked for alone
    batch_notebooks: ClassVar[tuple[str, ...]]   # ... and for each report of a batch

    def parameters(self, params, notebook: str) -> dict:
        raise NotImplementedError

    def own(self, params):
        """The run parameters of this subject's report (a province's own base year in a batch)."""
        return params

    def identity(self) -> dict:
        """What the manifest records of the subject, beside the run parameters (less those in unused)."""
        raise NotImplementedError

    def title(self, lang: str, executed: Path) -> str:
        raise NotImplementedError

    @staticmethod
    def warnings(tables: dict, subjects: list, year: int) -> dict[str, tuple[str, ...]]:
        """What the terminal, the log and the manifest say beside each subject's report, by code."""
        raise NotImplementedError


@dataclass(frozen=True)
class Province(Subject):
    """A province of the Ministry's report (notebook 03; notebook 02, the analyst's comparison, beside a single
    report)."""

    base_year: int | None = None  # without --base-year: the province's latest earlier year with figures

    notebook: ClassVar[str] = "03_report"
    unused: ClassVar[tuple[str, ...]] = ("unit_set", "unit")
    single_notebooks: ClassVar[tuple[str, ...]] = REPORT_NOTEBOOKS
    batch_notebooks: ClassVar[tuple[str, ...]] = BATCH_NOTEBOOKS

    @classmethod
    def of(cls, places, code: str) -> Province:
        return cls(code, places.name(code), places.slug(code), places.name(code))

    def own(self, params):
        return params if self.base_year is None else replace(params, base_year=self.base_year)

    def parameters(self, params, notebook: str) -> dict:
        params = self.own(params)
        common = {"province": self.code, "year": params.year, "base_year": params.base_year,
                  "target_rank": params.target_rank, "processed_dir": str(params.processed),
                  "raw_dir": str(params.raw)}
        return {**common, "lang": params.lang, "produced": params.produced} if notebook == self.notebook else common

    def identity(self) -> dict:
        return {"province_code": self.code}

    def title(self, lang: str, executed: Path) -> str:
        from parsipas.core.messages import text

        return text("title", lang) + " · " + self.name

    @staticmethod
    def warnings(tables: dict, subjects: list, year: int) -> dict[str, tuple[str, ...]]:
        return province_warnings(tables, subjects, year)


@dataclass(frozen=True)
class Unit(Subject):
    """A unit of a province's own index, or (unit None) the set's overview (notebook 05). The notebook prints the
    page title, internal_report.title(data), in its cell tagged 'title'."""

    unit_set: str = ""
    unit: str | None = None

    notebook: ClassVar[str] = "05_internal"
    unused: ClassVar[tuple[str, ...]] = ("province", "target_rank")
    single_notebooks: ClassVar[tuple[str, ...]] = ("05_internal",)
    batch_notebooks: ClassVar[tuple[str, ...]] = ("05_internal",)

    def parameters(self, params, notebook: str) -> dict:
        return {"unit_set": self.unit_set, "unit": self.unit, "year": params.year, "base_year": params.base_year,
                "lang": params.lang, "processed_dir": str(params.processed), "produced": params.produced}

    def identity(self) -> dict:
        return {"unit_set": self.unit_set, "unit": self.unit}

    def title(self, lang: str, executed: Path) -> str:
        cells = json.loads(Path(executed).read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if TITLE_TAG in cell.get("metadata", {}).get("tags", []):
                printed = "".join("".join(o.get("text", "")) for o in cell.get("outputs", [])
                                  if o.get("output_type") == "stream" and o.get("name") == "stdout")
                if printed.strip():
                    return printed.strip()
        return self.name

    @staticmethod
    def warnings(tables: dict, subjects: list, year: int) -> dict[str, tuple[str, ...]]:
        return unit_warnings(tables, subjects, year)


def notebooks(subjects: list[Subject]) -> tuple[str, ...]:
    """The notebooks each report runs: a report asked for alone has its companions; a batch the report only."""
    kind = type(subjects[0]) if subjects else Province
    return kind.single_notebooks if len(subjects) == 1 else kind.batch_notebooks


# -- provinces -------------------------------------------------------------------------------------------------------
def province_warnings(tables: dict, subjects: list[Province], year: int) -> dict[str, tuple[str, ...]]:
    """A report whose year has no figure for its province is still made (it summarises the latest year that has
    figures), but the terminal, the log and the manifest say so."""
    from parsipas.analyse import analysis

    found = {}
    for subject in subjects:
        latest = analysis.latest_year_with_figures(tables["par_scores"], tables["sipas_scores"], subject.code, year)
        if latest != year:
            since = f"the latest year with figures is {latest}" if latest else "no year has figures for it"
            found[subject.code] = (f"{subject.name}: no PAR INDEX or SIPAS figure for {year} in the data; {since}",)
    return found


def with_base_years(params, subjects: list[Province], tables: dict) -> list[Province]:
    """Without --base-year, each province is compared with its latest year before the report year that has a PAR
    INDEX or SIPAS figure for it and a methodology on record (else, with a warning, the latest such year without
    figures: its report then shows the gaps). The log says which year each province is compared with."""
    import pandas as pd

    from parsipas.run.parameters import years_on_record

    if params.base_year is not None or all(s.base_year is not None for s in subjects):
        return subjects
    on_record = [y for y in sorted(years_on_record(params.raw)) if y < params.year]  # one at least: report_places
    rows = pd.concat([tables["par_scores"], tables["sipas_scores"]], ignore_index=True)
    latest = rows[rows["year"].isin(on_record)].groupby("province_code")["year"].max()
    chosen, by_year = [], {}
    for subject in subjects:
        base_year = int(latest.get(subject.code, on_record[-1]))
        if subject.code not in latest.index:
            log.warning("%s: no year on record before %d has a figure for it; compared with %d, which has none",
                        subject.name, params.year, base_year)
        chosen.append(replace(subject, base_year=base_year))
        by_year.setdefault(base_year, []).append(subject.name)
    largest = max(by_year, key=lambda y: len(by_year[y]))
    shown = [f"{year} for {len(names)} provinces" if year == largest and len(names) > 10 else
             f"{year} for {', '.join(names)}" for year, names in sorted(by_year.items(), reverse=True)]
    log.info("compared with the latest year before %d with figures: %s", params.year, "; ".join(shown))
    return chosen


def resolved_subjects(params, subjects: list[Subject], tables: dict):
    """What the data decides about a run: a unit set's years and subjects, or each province's base year when none
    was given. Returns (params, subjects); asking again changes nothing."""
    if params.unit_set is not None:
        return unit_subjects(params, tables) if not subjects else (params, subjects)
    return params, with_base_years(params, subjects, tables)


# -- unit sets -------------------------------------------------------------------------------------------------------
def check_unit_set(tables: dict, unit_set: str) -> None:
    from parsipas.analyse import internal_analysis

    known = internal_analysis.unit_sets(tables)
    if unit_set not in known:
        raise InputError("command line", "unknown unit set", option="--unit-set", found=unit_set,
                         expected=("one of " + ", ".join(known) + " (from the units_<set> files in <raw>/internal/ "
                                   "and the public record)") if known else
                         "a unit set: no units_<set> file is in <raw>/internal/ and the public record names none")


def _years_with_any_score(tables: dict, unit_set: str) -> list[int]:
    scores = tables["internal_scores"]
    return sorted(int(y) for y in scores.loc[scores["unit_set"] == unit_set, "year"].unique())


def default_years(tables: dict, unit_set: str, year: int | None = None,
                  base_year: int | None = None) -> tuple[int, int | None]:
    """What a unit-set report compares when not told: the set's latest year with results, and the latest earlier
    year with results (None when there is none: the report then has one year and says so)."""
    from parsipas.analyse import internal_analysis

    years = internal_analysis.years_with_results(tables, unit_set)
    if year is None:
        if not years:
            raise InputError("command line", f"the unit set {unit_set} has no results in the data", option="--year",
                             expected="a results_<year>_<set> file in <raw>/internal/, or give --year")
        year = years[-1]
    if base_year is None:
        earlier = [y for y in years if y < year]
        base_year = earlier[-1] if earlier else None
    return year, base_year


def valid_units(tables: dict, unit_set: str, year: int):
    """The set's units valid on 31 December of the year, in the order of their groups, then of the unit list;
    indexed by unit_code, with name_vi, name_en and group_code."""
    from parsipas.analyse import internal_analysis

    units = internal_analysis.units(tables, unit_set, year)
    order = internal_analysis.groups(tables, unit_set)["position"]
    return units.iloc[units["group_code"].map(order).reset_index(drop=True).sort_values(kind="stable").index]


def unit_listing(tables: dict, unit_set: str, year: int):
    """--list-units: one row per unit of the set valid in the year, its group and whether the year has its results."""
    import pandas as pd

    from parsipas.analyse import internal_analysis

    units = valid_units(tables, unit_set, year)
    groups = internal_analysis.groups(tables, unit_set)["name_vi"]
    scored = _scored_units(tables, unit_set, year)
    return pd.DataFrame({"code": units.index, "name": units["name_vi"].to_numpy(),
                         "group": units["group_code"].map(groups).fillna(units["group_code"]).to_numpy(),
                         "results": ["yes" if code in scored else "-" for code in units.index]})


def unit_folder(code: str, name: str) -> str:
    """<unit-code>-<name-slug>: the code as written when it is a plain word (SO01, 22366), else its slug; the code
    alone when it is the name's slug (a unit known only from the public record)."""
    from parsipas.core.text import slug  # text.py reads pandas: not at import (the module's docstring)

    shown = code if re.fullmatch(r"[A-Za-z0-9_-]+", code) else slug(code)
    return shown if shown == slug(name) else f"{shown}-{slug(name)}"


def _find_unit(units, asked: str, unit_set: str, year: int) -> str:
    """A unit code from a code (any case) or a name, if it names exactly one unit; names are matched as in the
    analyst's files (text.name_key: NFC, no diacritics, case or punctuation)."""
    from parsipas.core.text import name_key

    text = asked.strip()
    codes = [code for code in units.index if str(code).lower() == text.lower()]
    if len(codes) == 1:
        return codes[0]
    folded = units["name_vi"].map(name_key)
    named = list(units.index[folded == name_key(text)])
    if len(named) == 1:
        return named[0]
    if named:
        raise InputError("command line", "the name fits several units; give a unit code", option="--unit",
                         found=asked, expected=", ".join(named))
    close = units[folded.str.contains(name_key(text), regex=False)]
    sample = (close if len(close) else units)["name_vi"].head(5).tolist()
    raise InputError("command line", f"unknown unit of {unit_set} in {year}", option="--unit", found=asked,
                     expected=f"overview, all, or unit codes or names separated by commas, such as "
                              f"{'; '.join(sample)} (pipeline.py --list-units --unit-set {unit_set} --year {year} "
                              f"lists them all)")


def expected_reports(params) -> int:
    """How many reports a unit-set run will make, as far as the command says before the data is read (to start as
    many workers as useful while the data is cleaned): all = as many as there are workers."""
    asked = {part.strip().lower() for part in str(params.unit).split(",") if part.strip()}
    return params.workers if "all" in asked else max(len(asked), 1)


def unit_subjects(params, tables: dict):
    """The run's year and base year (defaults from the data) and its subjects: the overview, units, or both
    (all = the overview then every unit valid in the year that has results in it: a unit without is named in the log
    and gets its report of gaps only when asked for by name). Returns (params with the years set, subjects)."""
    check_unit_set(tables, params.unit_set)
    year, base_year = default_years(tables, params.unit_set, params.year, params.base_year)
    if base_year is not None and base_year >= year:
        raise InputError("command line", "the base year must come before the report year", option="--base-year",
                         found=base_year, expected=f"a year before {year}")
    scored = _years_with_any_score(tables, params.unit_set)
    for option, asked in (("--year", year), ("--base-year", base_year)):
        if asked is not None and asked not in scored:
            raise InputError("command line", f"the unit set {params.unit_set} has no results for that year",
                             option=option, found=asked,
                             expected="a year with results: " + ", ".join(map(str, scored)) if scored else
                             f"a results_<year>_{params.unit_set} file in <raw>/internal/")
    from parsipas.analyse import internal_analysis
    from parsipas.ingest.provinces import province_name

    params = replace(params, year=year, base_year=base_year)
    units = valid_units(tables, params.unit_set, year)
    place = province_name(internal_analysis.province_code(tables, params.unit_set), year)
    overview = Unit(f"{params.unit_set}/{OVERVIEW}", f"overview of {params.unit_set}",
                    f"internal/{params.unit_set}/{OVERVIEW}", place, unit_set=params.unit_set, unit=None)

    def subject(code: str) -> Unit:
        name = units.loc[code, "name_vi"]
        return Unit(f"{params.unit_set}/{code}", name, f"internal/{params.unit_set}/{unit_folder(code, name)}",
                    place, unit_set=params.unit_set, unit=code)

    asked = [part.strip() for part in str(params.unit).split(",") if part.strip()] or [OVERVIEW]
    if [a.lower() for a in asked] == ["all"]:
        scored = _scored_units(tables, params.unit_set, year)
        left_out = [name for code, name in units["name_vi"].items() if code not in scored]
        if left_out:
            log.info("no report for %d unit(s) of %s without results for %d (name one in --unit for a report of its "
                     "gaps): %s", len(left_out), params.unit_set, year, "; ".join(left_out))
        return params, [overview, *(subject(code) for code in units.index if code in scored)]
    chosen = [overview if a.lower() == OVERVIEW else subject(_find_unit(units, a, params.unit_set, year))
              for a in asked]
    return params, list(dict.fromkeys(chosen))


def _scored_units(tables: dict, unit_set: str, year: int) -> set[str]:
    """The units with any result (score, rank or satisfaction) in the year."""
    scores = tables["internal_scores"]
    return set(scores.loc[(scores["unit_set"] == unit_set) & (scores["year"] == year), "unit_code"])


def unit_warnings(tables: dict, subjects: list[Unit], year: int) -> dict[str, tuple[str, ...]]:
    """A unit named without results for the year still gets its report (showing the gaps), and the log says so."""
    found = {}
    for subject in subjects:
        if subject.unit is not None and subject.unit not in _scored_units(tables, subject.unit_set, year):
            found[subject.code] = (f"{subject.name}: no result for {year} in the data of {subject.unit_set}",)
    return found
