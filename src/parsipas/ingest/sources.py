"""Loading the raw public record into one long frame of figures, each located in its raw file.

One output row is one published figure: (year, area_code, indicator, measure, value) with the source it came from
and where it stands in data/raw (raw_file, raw_line, raw_column). area_code is a province code, 'VN' for the
country or a region code. Rows that carry no figure, or that the known-issues list excludes, are returned
separately with the reason, so that nothing read is silently dropped.

A page on a copy site (data/reference/copy_domains.csv: a betting site, a football site, an aggregator carrying
another publisher's article) is never cited: a figure read at a copy is cited by its original's page where the
registry (sources.csv) knows that address, the copy's address kept only in the raw column mirror_url; a figure known
only through a copy whose original address is unknown is set aside with the reason. `registry` gives the pages a
figure can cite, with no copy in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pandas as pd

from parsipas.core import paths
from parsipas.core.errors import Faults, InputError
from parsipas.core.parsing import leading_number, max_from_unit, read_score, to_number
from parsipas.core.text import nfc
from parsipas.ingest.provinces import Gazetteer, UnknownName, unit_count, unit_set_table
from parsipas.ingest.reference import read_commented_csv, table
from parsipas.ingest.schemas import FIGURE_COLUMNS, UNUSED_COLUMNS, RawRef


def cell_number(ref: RawRef, column: str, text: str, parse=to_number) -> float | None:
    """A cell's number; an empty cell is a figure the page did not state, not an error."""
    if not text:
        return None
    try:
        return parse(text)
    except ValueError:
        raise InputError(ref.file, "a value could not be read as a number", row=ref.line, column=column,
                         found=text, expected="a number such as 85.11 or 85,11") from None


def places_of(year: int, gazetteers: dict[int, Gazetteer], reference_dir: Path) -> Gazetteer:
    """A row's province is one of the units its year ranks (gazetteers: one per year, made once)."""
    if year not in gazetteers:
        gazetteers[year] = Gazetteer(reference_dir, year=year)
    return gazetteers[year]


def province_of(ref: RawRef, name: str, year: int, gazetteers: dict[int, Gazetteer], reference_dir: Path) -> str:
    """The code of the province a row names, among those its year ranks; an unknown name is an error at the row."""
    try:
        return places_of(year, gazetteers, reference_dir).province_code(name)
    except UnknownName as error:
        raise InputError(ref.file, str(error), row=ref.line, column="province", found=name, expected=(
            f"one of the {unit_count(year, reference_dir)} province names {year} ranks "
            f"(data/reference/{unit_set_table(year, reference_dir)}.csv)")) from None


REGISTRY_COLUMNS = ["source_id", "site", "language", "publisher", "url"]  # the raw column mirror_url stays raw


def host_of(url: str) -> str:
    """A page's site without www. or m.: how copy_domains.csv names it."""
    return re.sub(r"^(www|m)\.", "", urlparse(str(url)).netloc.lower().split(":")[0])


def copy_domains(reference_dir: Path = paths.REFERENCE) -> pd.DataFrame:
    """The sites that carry copies of other publishers' articles, by domain (copy_of, reason)."""
    return table("copy_domains", reference_dir).set_index("domain")


def copy_reason(url: str, copies: pd.DataFrame) -> str | None:
    """Why an address cannot be cited (its site is a copy site), or None."""
    host = host_of(url)
    return copies.loc[host, "reason"] if host in copies.index else None


def _pages(public_dir: Path) -> pd.DataFrame:
    path = Path(public_dir) / "sources.csv"
    return read_commented_csv(path) if path.is_file() else pd.DataFrame(columns=[*REGISTRY_COLUMNS, "mirror_url"])


def copied_pages(pages: pd.DataFrame, reference_dir: Path = paths.REFERENCE) -> dict[str, str]:
    """The registry's pages known only at a copy (their url is a copy site's), by source id, with the reason."""
    copies = copy_domains(reference_dir)
    return {source: reason for source, url in zip(pages["source_id"], pages["url"])
            if (reason := copy_reason(url, copies)) is not None}


def registry(public_dir: Path = paths.RAW / "public", reference_dir: Path = paths.REFERENCE) -> pd.DataFrame:
    """The pages a figure can cite (sources.csv): publisher and the original's address; a page known only at a copy
    and the copies' own addresses are left out."""
    pages = _pages(public_dir)
    citable = ~pages["source_id"].isin(list(copied_pages(pages, reference_dir)))
    return pages.loc[citable, [c for c in pages.columns if c != "mirror_url"]].reset_index(drop=True)


@dataclass
class Loaded:
    figures: pd.DataFrame
    unused: pd.DataFrame


class _Reader:
    """Turns the rows of one raw public table into figures; one method per table layout."""

    def __init__(self, raw_dir: Path, reference_dir: Path):
        self.raw_dir = raw_dir
        self.reference_dir = reference_dir
        self.gazetteers: dict[int, Gazetteer] = {}
        self.labels = dict(table("item_names", reference_dir).itertuples(index=False, name=None))
        self.summary_metrics = table("summary_metrics", reference_dir)
        self.issues = table("known_issues", reference_dir)
        self.issue_rows = list(self.issues.itertuples(index=False))
        self.issue_hits = [0] * len(self.issues)
        self.copied = copied_pages(_pages(raw_dir), reference_dir)
        self.figures: list[dict] = []
        self.unused: list[dict] = []
        self.faults = Faults()  # every bad row of every table, reported together once all are read

    # -- shared helpers ------------------------------------------------------------------------------------------
    def _issue(self, table_name: str, row: pd.Series, item: str) -> pd.Series | None:
        year, province, source_id = row["year"], nfc(row.get("province", "")), row["source_id"]
        for position, issue in enumerate(self.issue_rows):
            matches = (issue.table == table_name and issue.year in ("*", year) and issue.province in ("*", province)
                       and issue.item in ("*", item) and issue.source_id in ("*", source_id))
            if matches:
                self.issue_hits[position] += 1
                return self.issues.iloc[position]
        return None

    def _add(self, ref: RawRef, column: str, row: pd.Series, area: str, indicator: str, measure: str, value: float,
             max_stated: float | None = None) -> None:
        self.figures.append(dict(year=int(row["year"]), area_code=area, indicator=indicator, measure=measure,
                                 value=float(value), max_points_stated=max_stated, source_id=row["source_id"],
                                 is_official=False, **ref.columns(), raw_column=column))

    def _skip(self, ref: RawRef, reason: str) -> None:
        self.unused.append(dict(**ref.columns(), reason=reason))

    def _read_at_copy(self, ref: RawRef, row: pd.Series) -> bool:
        """Set a row aside when its page is a copy whose original's address is unknown (it cannot be cited). The
        reason says what the copy site is, not its address: no output names a copy."""
        if row["source_id"] not in self.copied:
            return False
        self._skip(ref, f"read only at a copy of another publisher's page ({self.copied[row['source_id']]}, "
                        "data/reference/copy_domains.csv); the original page's address is not known, so the figure "
                        "cannot be cited")
        return True

    def _places(self, year: int) -> Gazetteer:
        return places_of(year, self.gazetteers, self.reference_dir)

    def _province(self, ref: RawRef, row: pd.Series) -> str:
        return province_of(ref, row["province"], int(row["year"]), self.gazetteers, self.reference_dir)

    def _rank(self, ref: RawRef, row: pd.Series, column: str, area: str, indicator: str) -> None:
        rank = cell_number(ref, column, row[column])
        if rank is not None:
            last = unit_count(int(row["year"]), self.reference_dir)
            if rank != int(rank) or not 1 <= rank <= last:
                raise InputError(ref.file, f"a rank must be a whole number from 1 to {last}", row=ref.line,
                                 column=column, found=row[column], expected=f"1-{last}")
            self._add(ref, column, row, area, indicator, "rank", rank)

    def rows(self, name: str) -> list[tuple[RawRef, pd.Series]]:
        path = self.raw_dir / name
        frame = read_commented_csv(path)
        return [(RawRef(paths.shown(path), i + 2), row) for i, row in frame.iterrows()]

    def each_row(self, name: str, read_row) -> None:
        """read_row(table_name, ref, row) for every row; a bad row is recorded and the others are still read."""
        for ref, row in self.rows(name):
            if self._read_at_copy(ref, row):
                continue
            with self.faults.collect():
                read_row(name.removesuffix(".csv"), ref, row)

    # -- one method per layout -----------------------------------------------------------------------------------
    def totals(self, name: str, indicator: str, value_column: str, measure: str) -> None:
        """A known issue whose item is a column name (score_pct, rank, ...) drops that figure only, not the row."""
        self.each_row(name, lambda table_name, ref, row: self._total(table_name, ref, row, indicator, value_column,
                                                                     measure))

    def _total(self, table_name: str, ref: RawRef, row: pd.Series, indicator: str, value_column: str,
               measure: str) -> None:
        if (issue := self._issue(table_name, row, "*")) is not None and issue.action == "exclude":
            self._skip(ref, f"known issue: {issue.reason}")
            return
        if not row[value_column] and not row["rank"]:
            self._skip(ref, "no figure stated (mention only)")
            return
        area = self._province(ref, row)
        excluded = set()
        for column in (value_column, "rank"):
            issue = self._issue(table_name, row, column) if row[column] else None
            if issue is not None and issue.action == "exclude":
                excluded.add(column)
                self._skip(ref, f"known issue ({column} not used): {issue.reason}")
        value = cell_number(ref, value_column, row[value_column])
        if value is not None and value_column not in excluded:
            self._add(ref, value_column, row, area, indicator, measure, value)
        if "rank" not in excluded:
            self._rank(ref, row, "rank", area, indicator)

    def items(self, name: str, item_column: str, value_column: str, rank_column: str) -> None:
        self.each_row(name, lambda table_name, ref, row: self._item(table_name, ref, row, item_column, value_column,
                                                                    rank_column))

    def _item(self, table_name: str, ref: RawRef, row: pd.Series, item_column: str, value_column: str,
              rank_column: str) -> None:
        item, unit = row[item_column], row.get("unit", "")
        issue = self._issue(table_name, row, item)
        if issue is not None and issue.action == "exclude":
            self._skip(ref, f"known issue: {issue.reason}")
            return
        if not row[value_column] and not row[rank_column]:
            self._skip(ref, "no figure stated (mention or direction only)")
            return
        metrics = self.summary_metrics
        summary = metrics[(metrics.table == table_name) & (metrics.scope == row["province"])]
        indicator = issue.value if issue is not None and issue.action == "set_indicator" else self.labels.get(item)
        if indicator is None:
            self._skip(ref, f"label not in data/reference/item_names.csv: {item}")
            return
        if not summary.empty:
            value = cell_number(ref, value_column, row[value_column])
            self._add(ref, value_column, row, "VN", indicator, summary.iloc[0].statistic, value)
            return
        area = self._province(ref, row)
        self._rank(ref, row, rank_column, area, indicator)
        if not row[value_column]:
            return
        max_stated = cell_number(ref, "max_points", row.get("max_points", "")) or max_from_unit(unit)
        reading = cell_number(ref, value_column, row[value_column], read_score)
        pct_unit = (issue is not None and issue.action == "set_unit") or "value_is_pct_of_max" in row["flags"]
        percent_measure = "percent" if indicator.startswith("SIPAS") else "pct_of_max"
        if reading.points is not None and (pct_unit or unit in ("pct", "%")):
            self._add(ref, value_column, row, area, indicator, percent_measure, reading.points, max_stated)
        elif reading.points is not None:
            self._add(ref, value_column, row, area, indicator, "points", reading.points, max_stated)
        if reading.pct is not None:
            self._add(ref, value_column, row, area, indicator, percent_measure, reading.pct, max_stated)
        if reading.points_lost is not None:
            self._add(ref, value_column, row, area, indicator, "points_lost", reading.points_lost, max_stated)

    def _region(self, row: dict, table_name: str) -> str:
        """The region a regional summary row is about, named in its metric (after ')' in the SIPAS table)."""
        named = row["metric"] if table_name == "par_summary" else row["metric"].split(")", 1)[1]
        return self._places(int(row["year"])).region_code(named)

    def summaries(self, name: str) -> None:
        self.each_row(name, self._summary)

    def _summary(self, table_name: str, ref: RawRef, row: pd.Series) -> None:
        metrics = self.summary_metrics[self.summary_metrics.table == table_name]
        scope = row.get("scope", "")
        issue = self._issue(table_name, row, row["metric"])
        if issue is not None and issue.action == "exclude":
            self._skip(ref, f"known issue: {issue.reason}")
            return
        match = metrics[(metrics.scope == scope) & (metrics.metric == row["metric"])]
        if match.empty:
            self._skip(ref, f"not a province statistic of an index (scope '{scope}', metric '{row['metric']}')")
            return
        try:
            value = leading_number(row["value"])
        except ValueError:
            self._skip(ref, f"no number stated: {row['value']}")
            return
        spec = match.iloc[0]
        area = "VN" if spec.area == "VN" else self._region(row, table_name)
        self._add(ref, "value", row, area, spec.indicator, spec.statistic, value)


def load_public(raw_dir: Path = paths.RAW / "public", reference_dir: Path = paths.REFERENCE) -> Loaded:
    reader = _Reader(Path(raw_dir), Path(reference_dir))
    reader.totals("par_totals.csv", "PAR", "score_pct", "points")
    reader.totals("sipas_totals.csv", "SIPAS", "sipas_pct", "percent")
    for lists in ("par_totals_lists.csv", "sipas_totals_lists.csv"):  # published top and bottom lists
        if (Path(raw_dir) / lists).is_file():
            reader.totals(lists, *(("PAR", "score_pct", "points") if lists.startswith("par") else
                                   ("SIPAS", "sipas_pct", "percent")))
    reader.items("par_fields.csv", "field_name", "score", "rank_of_63")
    reader.items("sipas_components.csv", "component", "value_pct", "rank")
    reader.summaries("par_summary.csv")
    reader.summaries("sipas_summary.csv")
    for stale in (i for i, hits in enumerate(reader.issue_hits) if hits == 0):
        reader.faults.add(InputError(str(Path(reference_dir) / "known_issues.csv"),
                                     "a known issue matches no row of the raw data", row=stale + 2,
                                     found=reader.issues.iloc[stale].to_dict()))
    reader.faults.raise_if_any()
    figures = pd.DataFrame(reader.figures, columns=FIGURE_COLUMNS)
    return Loaded(figures=figures, unused=pd.DataFrame(reader.unused, columns=UNUSED_COLUMNS))
