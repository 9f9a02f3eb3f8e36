"""Official tables an analyst holds, dropped into data/raw/official/ as CSV or XLSX, read the way people paste them.

A file's name says what it is (official_kinds.KINDS): par_<year>[_label].csv|xlsx (the Ministry's PAR INDEX table of the
year's provinces), sipas_<year>[_label].csv|xlsx (the SIPAS table) and scorecard_<year>_<province-slug>[_label].csv|xlsx
(one province's criterion scorecard). templates/official/ holds an empty template of each, and its README the accepted
forms: Vietnamese or English headers (data/reference/official_headers.csv), an STT column, title rows, merged or two-row
headers, a maximum-points row or sheet, decimal commas, percent signs, numbers stored as text, blank rows.

This module is the loader: official_files reads a file's cells, official_header finds its header, official_table reads
the rows under it, and the table's kind says what its columns mean and what they must pass. Every figure becomes a row
of the same long frame the public record gives (schemas.FIGURE_COLUMNS), with is_official True and raw_file/raw_line
pointing at the file and spreadsheet row, so the conflict rule puts it first.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from parsipas.core import paths
from parsipas.core.errors import Faults, InputError
from parsipas.core.text import nfc
from parsipas.ingest.official_files import Sheet, read_sheet
from parsipas.ingest.official_header import Vocabulary, cell, fold
from parsipas.ingest.official_kinds import KINDS, Maximum, References, TableKind, Wide, relation
from parsipas.ingest.official_table import Parsed, cell_number, read_wide
from parsipas.ingest.provinces import Gazetteer, UnknownName, provinces, unit_count, unit_set_table, units
from parsipas.ingest.reference import table
from parsipas.ingest.schemas import (
    CRITERIA_COLUMNS,
    CROSSWALK_COLUMNS,
    FIGURE_COLUMNS,
    MAXIMA_COLUMNS,
    RESPONSIBILITY_COLUMNS,
    UNUSED_COLUMNS,
    RawRef,
    table_faults,
)


def _reference_maxima(reference_dir: Path) -> dict[tuple[int, str], Maximum]:
    """Published maxima by (year, indicator), each naming its line of max_points.csv for messages."""
    path = Path(reference_dir) / "max_points.csv"
    numbered = [(n, line) for n, line in enumerate(path.read_text("utf-8").splitlines(), start=1)
                if line.strip() and not line.startswith("#")]
    rows = csv.DictReader(line for _, line in numbered)
    return {(int(r["year"]), nfc(r["indicator"])): Maximum(
                float(r["max_points"]), None,
                f"{paths.shown(path)}, line {n} (source {r['source_id'] or 'the published methodology'})")
            for (n, _), r in zip(numbered[1:], rows)}


class _Loader:
    """Applies a table's kind to one file: header, rows, provinces, checks, then figures (and criteria)."""

    def __init__(self, reference_dir: Path):
        self.reference_dir = reference_dir
        self.gazetteers: dict[int, Gazetteer] = {}
        self.vocabularies = {name: Vocabulary(name, reference_dir, kind.indicator_prefix, kind.numbered,
                                              kind.crosswalk) for name, kind in KINDS.items()}
        row_labels = next(iter(self.vocabularies.values())).row_labels  # the same for every kind
        self.maxima_titles = {label for label, meaning in row_labels.items() if meaning == "max"}
        governing = table("decisions", reference_dir).merge(table("field_crosswalk", reference_dir),
                                                            left_on="par_decision", right_on="decision")
        field_names = {(int(year), indicator): name for year, indicator, name
                       in governing[["year", "indicator", "name_vi"]].itertuples(index=False)}
        self.references = References(_reference_maxima(reference_dir), field_names,
                                     lambda year: unit_count(year, reference_dir))
        self.decided = set(table("decisions", reference_dir)["year"].astype(int))

    def places(self, year: int) -> Gazetteer:
        """A file's names are resolved against the units its year ranks (2025 names are the 34 units' names)."""
        if year not in self.gazetteers:
            self.gazetteers[year] = Gazetteer(self.reference_dir, year=year)
        return self.gazetteers[year]

    def _provinces(self, wide: Wide, sheet: Sheet, year: int, parsed: Parsed, faults: Faults) -> None:
        """Each row's province code. A region's row (a heading, or a regional figure the table repeats) is listed as
        unused with its reason; a name that matches no province is a fault with a suggestion, and its row is left out
        of the checks that follow (it would only repeat the fault)."""
        self._check_set(wide, sheet, year)
        codes = []
        for i, name in zip(wide.frame["_row"], wide.frame["province"]):
            try:
                codes.append(self.places(year).province_code(name))
                continue
            except UnknownName as error:
                unknown = error
            codes.append(None)
            if (region := self._region(name, year)) is not None:
                parsed.unused.append(dict(**RawRef(sheet.file, i + 1).columns(), reason=(
                    f"region row '{nfc(name)}' ({region}): a heading or a regional figure, not a province")))
                continue
            faults.add(InputError(sheet.file, self._successor(name, year) or str(unknown), row=i + 1,
                                  column=wide.column("province"), found=name, expected=self.set_named(year)))
        wide.frame["province_code"] = codes
        wide.frame = wide.frame[wide.frame["province_code"].notna()].reset_index(drop=True)

    def _region(self, name: str, year: int) -> str | None:
        """The region code a row names ('Vùng Tây Nguyên', 'Đồng bằng sông Hồng'), or None."""
        try:
            return self.places(year).region_code(re.sub(r"^\s*(?:vùng|vung|region)\s+", "", nfc(name), flags=re.I))
        except UnknownName:
            return None

    def _check_set(self, wide: Wide, sheet: Sheet, year: int) -> None:
        """A table of another year's set (more provinces than the year ranks, or exactly another set's units) is
        refused, naming the set the year uses. A province listed twice is not another set: the checks of the table
        name it and its rows."""
        count = unit_count(year, self.reference_dir)
        rows = len({self._code_or_name(name, year) for name in wide.frame["province"]})
        if rows > count:
            raise InputError(sheet.file, f"the table lists {rows} provinces but {year} ranks {count}",
                             row=wide.header_row, column=wide.column("province"), found=rows,
                             expected=self.set_named(year))
        for other in table("unit_sets", self.reference_dir).itertuples():
            first = int(other.first_year)
            if other.table == unit_set_table(year, self.reference_dir) or rows != unit_count(first, self.reference_dir):
                continue
            if all(_resolves(self.places(first), name) for name in wide.frame["province"]):
                raise InputError(sheet.file, f"the table lists the {rows} provinces ranked from {first} "
                                 f"(data/reference/{other.table}.csv), not those {year} ranks", row=wide.header_row,
                                 column=wide.column("province"), found=rows, expected=self.set_named(year))

    def _code_or_name(self, name: str, year: int) -> str:
        """A row's province, as its code if the name is known: two spellings of one province count once."""
        try:
            return self.places(year).province_code(name)
        except UnknownName:
            return nfc(name)

    def _successor(self, name: str, year: int) -> str | None:
        """For a province that an assessment year's set replaced, the unit that carries it on, as a message."""
        try:
            before = Gazetteer(self.reference_dir).province_code(name)
        except UnknownName:
            return None
        successor = provinces(self.reference_dir).loc[before, "merged_2025_into"]
        now = units(year, self.reference_dir)
        if successor not in now.index:
            return None
        return (f"'{nfc(name)}' is a province before the 2025 merger; {year} ranks its successor "
                f"'{now.loc[successor, 'name_vi']}'")

    def set_named(self, year: int) -> str:
        """The set of units a year ranks, as messages name it."""
        return (f"one of the {unit_count(year, self.reference_dir)} province names {year} ranks "
                f"(data/reference/{unit_set_table(year, self.reference_dir)}.csv)")

    def _province_in_file_name(self, path: Path, sheet: Sheet, slug: str, year: int) -> str:
        try:
            return self.places(year).province_code(slug.replace("-", " "))
        except UnknownName as error:
            raise InputError(sheet.file, f"the file name names no province: {error}", column="file name",
                             found=path.name, expected="scorecard_<year>_<province-slug>.xlsx, e.g. "
                             "scorecard_2022_khanh-hoa.xlsx") from None

    def _maxima_from_sheet(self, sheet: Sheet, vocabulary: Vocabulary, wide: Wide, faults: Faults) -> None:
        for i, row in enumerate(sheet.maxima_sheet or []):
            label, value = cell(row, 0), cell(row, 1)
            target = vocabulary.column(label) if label else None
            if target in wide.headers and (points := cell_number(sheet, i, 1, "max", value, faults)) is not None:
                wide.maxima[target] = Maximum(points, i, f"stated in sheet '{sheet.maxima_sheet_title}', row {i + 1}")

    def _require_stated_maxima(self, kind: TableKind, wide: Wide, year: int) -> None:
        """A year whose methodology is not on record (no row in decisions.csv) is read only when the table states
        the maximum of every score it gives (a 'Điểm tối đa' row, a maxima sheet or the header); a PAR INDEX total
        is out of 100 in every year."""
        missing = [target for target, (indicator, measure) in kind.measures(wide).items()
                   if measure == "points" and indicator != "PAR" and target in wide.headers
                   and target not in wide.maxima and (year, target) not in self.references.maxima]
        if missing:
            raise InputError(wide.file, f"no methodology is recorded for the year ({year}) and the table states "
                             "no maximum for " + ", ".join(wide.column(target) for target in missing),
                             row=wide.header_row,
                             column=wide.column(missing[0]), expected="a 'Điểm tối đa' row under the header, a "
                             "maxima sheet or the maximum in the header (templates/official/README.md), or the "
                             "year's decision in data/reference/decisions.csv and its maxima in max_points.csv")

    def _figures(self, wide: Wide, year: int, source_id: str, measures: dict[str, tuple[str, str]],
                 parsed: Parsed) -> None:
        for record in wide.frame.to_dict("records"):
            for target, (indicator, measure) in measures.items():
                value = record.get(target)
                if value is None or pd.isna(value):
                    continue
                stated = wide.maxima[target].points if target in wide.maxima else None
                parsed.figures.append(dict(
                    year=year, area_code=record["province_code"], indicator=indicator, measure=measure,
                    value=float(value), max_points_stated=stated, source_id=source_id, is_official=True,
                    **RawRef(wide.file, record["_row"] + 1).columns(), raw_column=wide.column(target)))
        for target, maximum in wide.maxima.items():
            if target in measures and measures[target][1] == "points":
                parsed.maxima.append(dict(year=year, indicator=measures[target][0], max_points=maximum.points,
                                          source_id=source_id, **RawRef(wide.file, maximum.row + 1).columns()))

    def _criterion_name(self, record: dict, year: int) -> str:
        """The name as written, without a repeated code ("1.1. Kế hoạch" -> "Kế hoạch"); a field's row left blank
        takes the field's name under that year's decision (field_crosswalk.csv); a blank criterion never gets here."""
        name = record["name"]
        if pd.isna(name):
            return self.references.field_names[(year, f"PAR.F{record['code']}")]
        return nfc(re.sub(rf"^{re.escape(record['code'])}\.?\s+", "", name))

    def _criteria(self, wide: Wide, year: int, source_id: str, measures: dict[str, tuple[str, str]],
                  parsed: Parsed) -> None:
        """A criterion's row gives its name and maximum, and a figure per measure under that criterion's code."""
        for record in wide.frame.to_dict("records"):
            ref = RawRef(wide.file, record["_row"] + 1)
            parsed.criteria.append(dict(year=year, province_code=record["province_code"],
                                        indicator=f"PAR.F{record['code']}", code=record["code"],
                                        level=record["code"].count(".") + 1,
                                        name_vi=self._criterion_name(record, year), max_points=record["max"],
                                        source_id=source_id, **ref.columns()))
            for target, (prefix, measure) in measures.items():
                if target in wide.headers and pd.notna(record.get(target)):
                    parsed.figures.append(dict(
                        year=year, area_code=record["province_code"], indicator=f"{prefix}{record['code']}",
                        measure=measure, value=float(record[target]), max_points_stated=record["max"],
                        source_id=source_id, is_official=True, **ref.columns(), raw_column=wide.column(target)))

    def _links(self, kind: TableKind, wide: Wide, years: list[int], parsed: Parsed) -> None:
        """A crosswalk's or responsibility table's rows as read, each code with its file, row and column so that the
        check against the scorecards (_codes_in_scorecards) can point at it."""
        for record in wide.frame.to_dict("records"):
            row = {target: (None if pd.isna(record.get(target)) else nfc(record[target]))
                   for target in kind.text_columns}
            if kind.name == "crosswalk":
                row |= dict(old_year=years[0], new_year=years[1], relation=relation(record["relation"]))
            else:
                row |= dict(year=years[0])
            getattr(parsed, kind.rows).append(dict(
                row, province_code=record["province_code"], **RawRef(wide.file, record["_row"] + 1).columns(),
                _columns={t: wide.column(t) for t in wide.headers}))

    def load(self, kind: TableKind, path: Path, years: list[int], labels: list[str], parsed: Parsed) -> None:
        """One file, every fault of it at once: a fault that leaves nothing to check further (no header, a required
        column missing, another year's set) ends the file; the others are collected and the file's rows still
        checked."""
        faults = Faults()
        with faults.collect():
            self._load(kind, path, years, labels, parsed, faults)
        faults.raise_if_any()

    def _load(self, kind: TableKind, path: Path, years: list[int], labels: list[str], parsed: Parsed,
              faults: Faults) -> None:
        year = years[0]
        sheet = read_sheet(path, lambda title: fold(title) in self.maxima_titles)
        if kind.criteria or kind.rows:
            province_code = self._province_in_file_name(path, sheet, labels[0], year)
        vocabulary = self.vocabularies[kind.name]
        unused = Parsed()  # the rows read past, on record only once the file is accepted
        wide = read_wide(sheet, vocabulary, kind, unused, faults)
        if kind.check:
            with faults.collect():
                kind.check(wide, year, self.references)
        if kind.maxima_sheet:
            self._maxima_from_sheet(sheet, vocabulary, wide, faults)
        if year not in self.decided and not (kind.criteria or kind.rows):
            with faults.collect():
                self._require_stated_maxima(kind, wide, year)
        if kind.criteria or kind.rows:
            wide.frame["province_code"] = province_code
        else:
            self._provinces(wide, sheet, year, unused, faults)
            self._without_figures(kind, wide, unused)
        if "code" in wide.frame:
            wide.frame["code"] = wide.frame["code"].str.rstrip(".")
        if not wide.frame.empty:  # empty when every row named an unknown province: those are the faults
            for error in table_faults(wide.frame, kind.schema(wide, year, self.references), sheet.file,
                                      wide.header_row, {target: wide.column(target) for target in wide.headers},
                                      key=kind.key):
                faults.add(error)
        if faults:
            return
        parsed.unused.extend(unused.unused)
        if kind.rows:
            self._links(kind, wide, years, parsed)
            return
        add = self._criteria if kind.criteria else self._figures
        add(wide, year, f"official:{path.name}", kind.measures(wide), parsed)

    @staticmethod
    def _without_figures(kind: TableKind, wide: Wide, unused: Parsed) -> None:
        """A province's row that gives no figure at all (every cell empty or 'chưa công bố') is listed as unused, so
        that the province's absence from the table's figures is on record."""
        values = [t for t in wide.headers if t not in kind.text_columns and t in wide.frame]
        empty = wide.frame[values].isna().all(axis=1) if values else pd.Series(False, index=wide.frame.index)
        for i, name in zip(wide.frame.loc[empty, "_row"], wide.frame.loc[empty, kind.key]):
            unused.unused.append(dict(**RawRef(wide.file, i + 1).columns(),
                                      reason=f"no figure given for '{nfc(name)}' (every cell empty or 'chưa công bố')"))


def _resolves(places: Gazetteer, name: str) -> bool:
    try:
        places.province_code(name)
    except UnknownName:
        return False
    return True


def load_official(official_dir: Path = paths.RAW / "official", reference_dir: Path = paths.REFERENCE) -> Parsed:
    """Every official file in the folder; names that follow no pattern are an error, not silently skipped."""
    loader = _Loader(Path(reference_dir))
    parsed = Parsed()
    official_dir = Path(official_dir)
    files = sorted(p for p in official_dir.glob("*") if p.is_file() and not p.name.startswith((".", "~$"))
                   and p.name != "README.md") if official_dir.is_dir() else []
    examples = [kind.example for kind in KINDS.values()]
    faults = Faults()
    for path in files:
        with faults.collect():
            kind, match = next(((k, m) for k in KINDS.values() if (m := k.file_name.match(path.name.lower()))),
                               (None, None))
            if not match:
                raise InputError(paths.shown(path), "the file name does not say what the table is",
                                 column="file name", found=path.name, expected=", ".join(examples[:-1])
                                 + f" or {examples[-1]} (see templates/official/README.md)")
            year = int(match["year"])
            try:
                unit_set_table(year, Path(reference_dir))
            except LookupError:
                raise InputError(paths.shown(path), "no set of provinces is recorded for the year in the file name",
                                 column="file name", found=path.name,
                                 expected="a year data/reference/unit_sets.csv covers") from None
            years = [year, *(int(y) for y in match["years"].strip("_").split("_") if y)]
            loader.load(kind, path, years, match["labels"].strip("_").split("_"), parsed)
    faults.raise_if_any()  # a file refused gives no criteria: its codes would read as unknown in the links below
    for error in _codes_in_scorecards(parsed):
        faults.add(error)
    faults.raise_if_any()
    return parsed


def _codes_in_scorecards(parsed: Parsed) -> list[InputError]:
    """Every code a crosswalk or responsibility table names is a criterion of that year's scorecard for the province
    (a field, 1-8, needs no scorecard in a responsibility table): a link to a code nobody scored is a typo."""
    scored = {(c["year"], c["province_code"], c["code"]) for c in parsed.criteria}
    named = ([(r, r["old_year"], "old_code") for r in parsed.crosswalk]
             + [(r, r["new_year"], "new_code") for r in parsed.crosswalk]
             + [(r, r["year"], "code") for r in parsed.responsibility])
    faults = []
    for row, year, target in named:
        code = row[target]
        if code is None or (year, row["province_code"], code) in scored or (target == "code" and "." not in code):
            continue
        has_scorecard = any(y == year and p == row["province_code"] for y, p, _ in scored)
        faults.append(InputError(row["raw_file"], f"a code that is not in the {year} scorecard", row=row["raw_line"],
                                 column=row["_columns"][target], found=code,
                                 expected=(f"a criterion code of the {year} scorecard for this province"
                                           if has_scorecard
                                           else f"a scorecard_{year}_<province-slug> file beside it giving this code")))
    return faults


def official_coverage(scores: pd.DataFrame) -> pd.DataFrame:
    """How many provinces each kind of official table gives a figure for, per year (columns kind, year, provinces),
    from processed scores (par_scores and/or sipas_scores). processed["coverage"] cannot say it: it counts provinces
    known from any source. An official figure is always kept by the conflict rule, so none is lost on the way."""
    read = scores[scores["is_official"] & ~scores["is_derived"]]
    kind = read["source_id"].str.extract(rf"^official:({'|'.join(KINDS)})_", flags=re.IGNORECASE)[0].str.lower()
    counts = read.assign(kind=kind).groupby(["kind", "year"])["province_code"].nunique()
    return counts.rename("provinces").reset_index()


def frames(parsed: Parsed) -> dict[str, pd.DataFrame]:
    return {"figures": pd.DataFrame(parsed.figures, columns=FIGURE_COLUMNS),
            "criteria": pd.DataFrame(parsed.criteria, columns=CRITERIA_COLUMNS),
            "maxima": pd.DataFrame(parsed.maxima, columns=MAXIMA_COLUMNS),
            "unused": pd.DataFrame(parsed.unused, columns=UNUSED_COLUMNS),
            "crosswalk": pd.DataFrame(parsed.crosswalk, columns=CROSSWALK_COLUMNS),
            "responsibility": pd.DataFrame(parsed.responsibility, columns=RESPONSIBILITY_COLUMNS)}
