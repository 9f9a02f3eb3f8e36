"""Stage 2, clean: from raw figures to the processed tables: validate, resolve conflicts by a written rule, write.

Conflict rule (one value per year, area, indicator and measure), applied in this order until one value is ahead:
  1. official  - a figure from data/raw/official/ beats the public record;
  2. sources   - the value stated by more distinct sources (pages: a copy cited by its original's address is one);
  3. original  - a value stated in a Vietnamese original beats one known only from a translated repost;
  4. precision - the value written with more decimals (a rounded repost loses to its original);
  5. source_id - otherwise the alphabetically first source id, so the choice is stable.
Every value that lost is written to conflicts with the rule that decided. Then the cross-check: the public record's
percent of a field's maximum where an official file gives the field's points is dropped (the official figure is used,
its percent derived), and listed as a conflict (rule cross_check) when the two differ by more than rounding, half a
unit of each value's last decimal (conflict_rule.cross_check). Derived figures (points from points lost,
percent of maximum from points) are added only where no published figure exists, and are marked is_derived.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pandas as pd

from parsipas.clean import internal, reference_tables
from parsipas.clean.conflict_rule import cross_check, derive, resolve
from parsipas.core import built_from, paths
from parsipas.core.atomic import staging_folder, swap_in
from parsipas.core.errors import Faults, InputError
from parsipas.ingest import internal_public, reference
from parsipas.ingest.official import frames as official_frames
from parsipas.ingest.official import load_official
from parsipas.ingest.official_files import external_links_accepted, looks_like_formula
from parsipas.ingest.provinces import regions, units
from parsipas.ingest.schemas import FIGURE_COLUMNS, UNUSED_COLUMNS, figures_schema, validate_figures
from parsipas.ingest.sources import Loaded, load_public
from parsipas.ingest.sources import registry as citable_pages

OUTPUT_COLUMNS = ["year", "province_code", "indicator", "measure", "value", "max_points", "source_id",
                  "is_official", "is_derived", "raw_file", "raw_line"]
SUMMARY_COLUMNS = ["year", "area_code", "indicator", "statistic", "value", "source_id", "raw_file", "raw_line"]
SOURCE_COLUMNS = ["source_id", "publisher", "url", "language", "kind"]
TABLES = ["par_scores", "sipas_scores", "summary", "conflicts", "coverage", "criteria", "maxima", "unused_rows",
          "sources", "crosswalk", "responsibility", *internal.TABLES, *reference_tables.TABLES]
log = logging.getLogger(__name__)


def combine_maxima(published: pd.DataFrame, official: pd.DataFrame) -> pd.DataFrame:
    """Maxima from the reference table plus those an official table states; the two must agree."""
    merged = official.merge(published[["year", "indicator", "max_points", "source_id"]], on=["year", "indicator"],
                            how="left", suffixes=("", "_reference"))
    differ = merged[merged["max_points_reference"].notna()
                    & (merged["max_points"] - merged["max_points_reference"]).abs().gt(1e-9)]
    faults = Faults()
    for row in differ.to_dict("records"):
        faults.add(InputError(row["raw_file"],
                              "a maximum differs from the published maximum in data/reference/max_points.csv",
                              row=int(row["raw_line"]), column=row["indicator"], found=float(row["max_points"]),
                              expected=f"{row['max_points_reference']:g} (source {row['source_id_reference']})"))
    faults.raise_if_any()
    stated = official.set_index(["year", "indicator"]).index.isin(published.set_index(["year", "indicator"]).index)
    own = official[~stated].drop_duplicates(["year", "indicator"])
    combined = pd.concat([published, own[["year", "indicator", "max_points", "source_id"]]], ignore_index=True)
    return combined.astype({"year": int, "max_points": float})


def attach_max_points(figures: pd.DataFrame, maxima: pd.DataFrame) -> pd.DataFrame:
    """Reference maximum where published, else the maximum the row itself states."""
    merged = figures.merge(maxima[["year", "indicator", "max_points"]].rename(columns={"max_points": "reference_max"}),
                           on=["year", "indicator"], how="left")
    merged["max_points_stated"] = merged["max_points_stated"].astype(float)
    merged["max_points"] = merged["reference_max"].fillna(merged["max_points_stated"])
    return merged


def coverage(scores: pd.DataFrame, unit_counts: dict[int, int]) -> pd.DataFrame:
    """For each year, indicator and measure: how many of the year's provinces have a value, and whether complete
    (unit_counts: how many units each year ranks)."""
    counts = scores.groupby(["year", "indicator", "measure"])["province_code"].nunique().rename("provinces_known")
    table = counts.reset_index()
    table["is_complete"] = table["provinces_known"] == table["year"].map(unit_counts)
    return table


def _by_place(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows by raw file, then line compared as text (line 10 before line 9): the order unused_rows had when the
    place was one 'file:line' text, kept so that the processed table did not change with its columns."""
    return rows.sort_values(["raw_file", "raw_line"], key=lambda column: column.astype(str)).reset_index(drop=True)


def source_table(registry: pd.DataFrame, source_ids: pd.Series) -> pd.DataFrame:
    """Every source a figure can cite: the public record's pages (its registry), the official files and the analyst's
    files of a province's own index, which are named by their file. The report's appendix numbers those it cites."""
    public = registry.assign(publisher=registry["publisher"] if "publisher" in registry else registry["site"],
                             kind="public_page")
    named = []
    for folder in ("official", "internal"):
        files = sorted({s for s in source_ids if s.startswith(f"{folder}:")})
        named.append(pd.DataFrame({"source_id": files, "publisher": f"data/raw/{folder}", "language": "vi",
                                   "url": [s.split(":", 1)[1] for s in files], "kind": f"{folder}_file"}))
    return pd.concat([public, *named], ignore_index=True).reindex(columns=SOURCE_COLUMNS)


def build(raw_dir: Path = paths.RAW) -> dict[str, pd.DataFrame]:
    """All processed tables, in memory; pure apart from reading raw_dir and the reference tables. The reference
    folder is not a parameter: the runner, its cache keys and the manifest know only data/reference."""
    reference_dir = paths.REFERENCE
    public, official, registry, published_units, own = _read(Path(raw_dir), reference_dir)
    maxima = combine_maxima(reference.max_points(reference_dir), official["maxima"])
    figures = attach_max_points(pd.concat([public.figures, official["figures"]], ignore_index=True)
                                .astype({"year": int, "value": float, "is_official": bool, "raw_line": int}), maxima)
    units_by_year = {year: frozenset(units(year, reference_dir).index) for year in figures["year"].unique()}
    if not figures.empty:  # a folder of a province's own index alone has no Ministry figure to check
        validate_figures(figures, figures_schema(units_by_year, ["VN", *regions(reference_dir).index],
                                                 list(reference.indicators(reference_dir).index)))
    sources = source_table(registry, pd.concat([figures["source_id"], own["internal_sources"]["source_id"],
                                                own["internal_scores"]["source_id"]]))
    resolved, conflicts = resolve(figures, dict(zip(sources["source_id"], sources["language"])),
                                  pages=dict(zip(sources["source_id"], sources["url"])))
    resolved, crossed = cross_check(resolved, figures)
    conflicts = pd.concat([conflicts, crossed], ignore_index=True) if len(crossed) else conflicts
    resolved = derive(resolved)
    resolved.loc[resolved["measure"] == "rank", "max_points"] = float("nan")
    is_province = resolved["area_code"].isin(frozenset().union(*units_by_year.values()))
    scores = (resolved[is_province].rename(columns={"area_code": "province_code"})[OUTPUT_COLUMNS]
              .sort_values(["year", "province_code", "indicator", "measure"]).reset_index(drop=True))
    summary = (resolved[~is_province].rename(columns={"measure": "statistic"})[SUMMARY_COLUMNS]
               .sort_values(["year", "area_code", "indicator", "statistic"]).reset_index(drop=True))
    is_par = scores["indicator"].str.startswith("PAR")
    return {
        "par_scores": scores[is_par].reset_index(drop=True),
        "sipas_scores": scores[~is_par].reset_index(drop=True),
        "summary": summary,
        "conflicts": conflicts,
        "coverage": coverage(scores, {year: len(codes) for year, codes in units_by_year.items()}),
        "criteria": official["criteria"].sort_values(["year", "province_code", "indicator"]).reset_index(drop=True),
        "maxima": maxima.sort_values(["year", "indicator"]).reset_index(drop=True),
        "unused_rows": _by_place(pd.concat([public.unused, official["unused"], own["internal_unused"],
                                            published_units.unused])),
        "sources": sources,
        "crosswalk": official["crosswalk"],
        "responsibility": official["responsibility"],
        **{name: own[name] for name in internal.TABLES},
        **reference_tables.build(reference_dir),
    }


def _read(raw_dir: Path, reference_dir: Path) -> tuple:
    """Every raw folder read, each fault of every file collected and raised together: the public record, the
    analyst's official files, the citable pages, the units the public record names and the province's own index."""
    public_dir = raw_dir / "public"
    faults = Faults()
    with faults.collect():
        public = (load_public(public_dir, reference_dir) if public_dir.is_dir()
                  else Loaded(pd.DataFrame(columns=FIGURE_COLUMNS), pd.DataFrame(columns=UNUSED_COLUMNS)))
    with faults.collect():
        official = official_frames(load_official(raw_dir / "official", reference_dir))
    registry = citable_pages(public_dir, reference_dir)  # no copy of a page: only the originals can be cited
    with faults.collect():
        published_units = internal_public.read(public_dir, reference_dir)
        own = internal.build(raw_dir / "internal", reference_dir, public_rows=published_units.figures,
                             languages=dict(zip(registry["source_id"], registry["language"])),
                             pages=dict(zip(registry["source_id"], registry["url"])))
    faults.raise_if_any()
    if public.figures.empty and official["figures"].empty and own["internal_scores"].empty:
        raise InputError(str(raw_dir), "no figures were found", found=sorted(p.name for p in raw_dir.iterdir()),
                         expected="public/ (the published record), official/ (tables named par_<year>, "
                                  "sipas_<year>, scorecard_<year>_<province>; see templates/official/README.md) "
                                  "and/or internal/ (a province's own index; see templates/internal/README.md)")
    return public, official, registry, published_units, own


def as_text_in_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """A processed CSV is opened in Excel: a text cell a spreadsheet would run as a formula (it starts with =, +, -
    or @ and is not a number) gets a leading apostrophe, so it is shown as text (OWASP's advice against CSV
    injection). The Parquet files keep the text as read."""
    text = frame.select_dtypes(include=["object", "string"]).columns
    escaped = {column: frame[column].map(lambda v: f"'{v}" if isinstance(v, str) and looks_like_formula(v) else v)
               for column in text}
    return frame.assign(**escaped) if escaped else frame


def write(tables: dict[str, pd.DataFrame], processed_dir: Path = paths.PROCESSED,
          dictionary: Path = paths.REFERENCE / "data_dictionary.csv", stamp: str | None = None) -> None:
    """Write Parquet and CSV for every table into a fresh folder, then swap it in whole (never half-written).

    stamp, when given, is the key of the inputs the tables were built from (.built-from), so a run can skip
    rebuilding identical data."""
    processed_dir = Path(processed_dir)
    staging = staging_folder(processed_dir)
    try:
        for name, frame in tables.items():
            frame.to_parquet(staging / f"{name}.parquet", index=False)
            as_text_in_spreadsheets(frame).to_csv(staging / f"{name}.csv", index=False, lineterminator="\n")
        shutil.copyfile(dictionary, staging / "data_dictionary.csv")
        (staging / ".gitkeep").touch()  # the folder stays in a checkout; its contents are never committed
        if stamp:
            (staging / built_from.STAMP).write_text(stamp + "\n")
        swap_in(staging, processed_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


_loaded: dict = {}  # the last folder read: {"key": what its files were, "tables": what they held}


def load(processed_dir: Path = paths.PROCESSED) -> dict[str, pd.DataFrame]:
    """The processed tables. A warm kernel makes report after report from one folder, so the tables read last are
    kept and given again while its stamp and every file are the ones read (same inode, time and size); each caller
    gets its own frames (copy-on-write: a change stays with the caller)."""
    folder = Path(processed_dir).resolve()
    files = [folder / built_from.STAMP, *(folder / f"{name}.parquet" for name in TABLES)]
    try:
        key = (folder, *((s.st_ino, s.st_mtime_ns, s.st_size) for s in map(Path.stat, files)))
    except OSError:  # no stamp (tables written by hand) or a missing table: read as asked, and fail as reading does
        key = None
    if key is None or _loaded.get("key") != key:
        _loaded.clear()
        tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
        if key is None:
            return tables
        _loaded.update(key=key, tables=tables)
    return {name: frame.copy(deep=False) for name, frame in _loaded["tables"].items()}


def prepare(raw_dir: Path = paths.RAW, processed_dir: Path = paths.PROCESSED) -> str:
    """The one way in to cleaning, for the pipeline and notebook 01 alike: rebuild processed_dir unless its stamp says
    it was built from exactly these inputs (then neither forces the other to rebuild). Returns the data key."""
    key = built_from.data_key(raw_dir)
    if built_from.is_current(processed_dir, key):
        try:
            load(processed_dir)
            return key
        except Exception as error:  # a damaged Parquet file: rebuild rather than fail
            log.warning("processed data is damaged (%s: %s); rebuilding it from raw", type(error).__name__, error)
    log.info("cleaning the raw data into %s", processed_dir)
    accepted = external_links_accepted()  # data read from linked workbooks' copies is never reused without the option
    write(build(raw_dir), processed_dir, paths.REFERENCE / "data_dictionary.csv",
          stamp=f"{key} accepted-external-links" if accepted else key)
    return key
