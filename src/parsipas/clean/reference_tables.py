"""The reference data a report needs, as processed tables: the methodology of each year (indicators, decisions, the
field crosswalk), the rule of the actions, the regions, the provinces of every set with the merger map, and the
targets on record. After cleaning, analysis and reports read these and nothing under data/reference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from parsipas.core import paths
from parsipas.core.errors import Faults, InputError
from parsipas.ingest import reference
from parsipas.ingest.provinces import unit_count, units

TARGET_COLUMNS = ["province_code", "unit_set", "index", "first_year", "last_year", "target_rank", "out_of",
                  "issuer_vi", "issuer_en", "plan", "plan_date", "url"]
PROVINCE_COLUMNS = ["set_id", "first_year", "last_year", "province_code", "name_vi", "slug", "region_code", "kind",
                    "aliases", "successor_code"]
TABLES = ["indicators", "decisions", "field_crosswalk", "action_rules", "regions", "provinces", "targets"]


def build(reference_dir: Path = paths.REFERENCE) -> dict[str, pd.DataFrame]:
    """Every table of TABLES, read from reference_dir and checked."""
    return {
        "indicators": reference.indicators(reference_dir).reset_index(),
        "decisions": reference.decisions(reference_dir).reset_index(),
        "field_crosswalk": reference.table("field_crosswalk", reference_dir),
        "action_rules": reference.table("action_rules", reference_dir),
        "regions": reference.table("regions", reference_dir),
        "provinces": provinces(reference_dir),
        "targets": targets(reference_dir),
    }


def provinces(reference_dir: Path = paths.REFERENCE) -> pd.DataFrame:
    """One row per province of each set of provinces (unit_sets.csv lists the sets and their years), with the years
    the set ranks (last_year empty while it is current) and, for a set that ended, the unit of the next set each
    province became part of (successor_code): the merger map, as data."""
    frames = []
    for row in reference.table("unit_sets", reference_dir).itertuples():
        members = reference.table(row.table, reference_dir).rename(columns={"merged_2025_into": "successor_code"})
        if row.table == "provinces":  # the historic and common names recorded for the provinces up to 2024
            members["aliases"] = _with_aliases(members, reference.table("province_aliases", reference_dir))
        frames.append(members.assign(set_id=row.set_id, first_year=int(row.first_year),
                                     last_year=pd.NA if not row.last_year else int(row.last_year)))
    table = pd.concat(frames, ignore_index=True).reindex(columns=PROVINCE_COLUMNS)
    return table.astype({"first_year": int, "last_year": "Int64"}).fillna({"successor_code": ""})


def _with_aliases(members: pd.DataFrame, aliases: pd.DataFrame) -> pd.Series:
    """Each province's aliases column (names separated by |) with the names province_aliases.csv records for it."""
    recorded = aliases.groupby("province_code")["alias"].agg(list)
    return pd.Series(["|".join(filter(None, [*own.split("|"), *recorded.get(code, [])]))
                      for code, own in zip(members["province_code"], members["aliases"])], index=members.index)


def targets(reference_dir: Path = paths.REFERENCE) -> pd.DataFrame:
    """The rank targets on record (data/reference/targets.csv), checked so that none can be applied to a year or a
    ranking it was not set for: a known province of those years, or a unit set; years that all rank out_of units; a
    rank within them; an ISO date. Every fault of the table at once."""
    path = Path(reference_dir) / "targets.csv"
    header_line = 1 + sum(line.startswith("#") for line in path.read_text(encoding="utf-8").splitlines())
    table, faults = reference.read_commented_csv(path), Faults()
    for i, row in enumerate(table.itertuples(index=False)):
        where = dict(row=header_line + 1 + i)
        with faults.collect():
            _check_target(row, paths.shown(path), where, reference_dir)
    faults.raise_if_any()
    return table.astype({"first_year": int, "last_year": int, "target_rank": int, "out_of": int})[TARGET_COLUMNS]


def _check_target(row, file: str, where: dict, reference_dir: Path) -> None:
    if bool(row.province_code) == bool(row.unit_set):
        raise InputError(file, "a target names either a province or a unit set", **where, column="province_code",
                         found=f"{row.province_code!r} / {row.unit_set!r}", expected="exactly one of the two")
    for column in ("first_year", "last_year", "target_rank", "out_of"):
        if not getattr(row, column).isdigit():
            raise InputError(file, "not a whole number", **where, column=column, found=getattr(row, column))
    if row.index not in ("PAR", "SIPAS"):
        raise InputError(file, "unknown index", **where, column="index", found=row.index, expected="PAR or SIPAS")
    first, last, rank, out_of = (int(v) for v in (row.first_year, row.last_year, row.target_rank, row.out_of))
    if first > last:
        raise InputError(file, "the first year is after the last", **where, column="last_year", found=last,
                         expected=f"{first} or later")
    if not 1 <= rank <= out_of:
        raise InputError(file, "the target rank is outside the ranking", **where, column="target_rank", found=rank,
                         expected=f"1-{out_of}")
    try:
        dt.date.fromisoformat(row.plan_date)
    except ValueError:
        raise InputError(file, "not a date", **where, column="plan_date", found=row.plan_date,
                         expected="YYYY-MM-DD") from None
    if row.province_code:
        _check_target_province(row, file, where, reference_dir, first, last, out_of)


def _check_target_province(row, file: str, where: dict, reference_dir: Path, first: int, last: int,
                           out_of: int) -> None:
    sizes = {year: unit_count(year, reference_dir) for year in range(first, last + 1)}
    if any(size != out_of for size in sizes.values()):
        raise InputError(file, "the target's years rank another number of units than it is out of", **where,
                         column="out_of", found=out_of, expected=", ".join(f"{y}: {n}" for y, n in sizes.items()))
    if row.province_code not in units(first, reference_dir).index:
        raise InputError(file, "unknown province code for the target's years", **where, column="province_code",
                         found=row.province_code, expected=f"a code of the units {first} ranks")
