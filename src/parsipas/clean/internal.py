"""A province's own index (its departments, agencies and communes): the processed internal_* tables.

Inputs: the analyst's files of data/raw/internal/ (read and validated by internal_files) and the public record's
published figures of the index (public_rows: one row per figure with year, unit_set, province_code, indicator "PAR" or
"SIPAS", measure "pct_of_max" or "rank", value, group_name, group_size, unit_name, source_id, raw_file, raw_line).

Units of the public record: a public row is matched to the analyst's units of the same set (its unit list, or the
units its results files make when it has none) by the unit's folded name or past name (NFC, no diacritics, case or
punctuation) and takes that unit's code and group. A name none of them has is a unit of the public record
(is_public_only): unit_code is the slug of the folded unit name ('Sở Tư pháp' -> 'so-tu-phap'), group_code the
analyst's group of the same name, else the slug of group_name, province_code the row's, name_en empty; beside the
analyst's units it is in force from the first to the last year it is published (so it never counts in the analyst's
years), and a set with no analyst files is defined by its public rows alone (no validity dates).

Checks on public rows: a unit matched to the list must be in force on 31 December of the row's year, as in the
analyst's results (every such row is listed at once). Ranks computed from the totals (a results file without a rank
column) are is_derived, like a percent computed from points.

Conflict rule (one value per unit set, year, unit, indicator and measure): a figure from the analyst's file beats the
public record (rule "official"), then the rules of clean.py's docstring (more sources, Vietnamese original, more
decimals, source id). Losers go to internal_conflicts. The percent of the maximum of the total and of each field is
derived from points where the analyst's file does not state it (is_derived), file by file before the conflict step:
an analyst's derived percent therefore beats a published one (rule "official") and the published one is a conflict.
Group sizes: in a year with the analyst's results, a group's size is the number of its units in the set's unit list
in force on 31 December of that year (the list is authoritative: a unit left out of the results file leaves its group
incomplete, 20 of 21, rather than making it 20 of 20). In other years the public record's stated size (group_size) is
kept: it says how many units that year's index assessed, which a unit list without dates for its past changes cannot
tell. A set known only from the public record has only the stated sizes.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from parsipas.clean.conflict_rule import derive, resolve
from parsipas.core import paths
from parsipas.core.errors import Faults, InputError
from parsipas.core.text import name_key, slug
from parsipas.ingest.internal_files import read_internal
from parsipas.ingest.internal_results import Results
from parsipas.ingest.internal_sheets import InternalFiles
from parsipas.ingest.internal_units import UnitList

PUBLIC_COLUMNS = ["year", "unit_set", "province_code", "indicator", "measure", "value", "group_name", "group_size",
                  "unit_name", "source_id", "raw_file", "raw_line"]
KEY = ["unit_set", "year", "unit_code", "indicator", "measure"]

# Every processed table and its columns with their types (stable also when a table is empty).
TABLES: dict[str, dict[str, str]] = {
    "internal_units": {"unit_set": "str", "province_code": "str", "unit_code": "str", "name_vi": "str",
                       "name_en": "str", "group_code": "str", "valid_from": "str", "valid_to": "str",
                       "source_id": "str", "raw_file": "str", "raw_line": "int", "is_public_only": "bool"},
    "internal_groups": {"unit_set": "str", "group_code": "str", "name_vi": "str", "name_en": "str",
                        "position": "int"},
    "internal_fields": {"unit_set": "str", "year": "int", "field_code": "str", "name_vi": "str",
                        "max_points": "float", "ministry_field": "str", "position": "int", "source_id": "str",
                        "raw_file": "str", "raw_line": "int"},
    "internal_scores": {"unit_set": "str", "year": "int", "unit_code": "str", "group_code": "str",
                        "indicator": "str", "measure": "str", "value": "float", "max_points": "float",
                        "source_id": "str", "is_official": "bool", "is_derived": "bool", "raw_file": "str",
                        "raw_line": "int"},
    "internal_group_sizes": {"unit_set": "str", "year": "int", "indicator": "str", "group_code": "str",
                             "group_size": "int", "source_id": "str"},
    "internal_criteria": {"unit_set": "str", "year": "int", "unit_code": "str", "criterion_code": "str",
                          "field_code": "str", "name_vi": "str", "max_points": "float", "self_assessed": "float",
                          "points": "float", "source_id": "str", "raw_file": "str", "raw_line": "int"},
    "internal_coverage": {"unit_set": "str", "year": "int", "indicator": "str", "group_code": "str",
                          "units_known": "int", "group_size": "float", "is_complete": "bool"},
    "internal_conflicts": {"unit_set": "str", "year": "int", "unit_code": "str", "indicator": "str",
                           "measure": "str", "value_kept": "float", "sources_kept": "str", "value_rejected": "float",
                           "sources_rejected": "str", "rule": "str"},
}
SORT = {"internal_units": ["unit_set", "unit_code"], "internal_groups": ["unit_set", "position"],
        "internal_fields": ["unit_set", "year", "position"], "internal_scores": KEY,
        "internal_group_sizes": ["unit_set", "year", "indicator", "group_code"],
        "internal_criteria": ["unit_set", "year", "unit_code", "criterion_code"],
        "internal_coverage": ["unit_set", "year", "indicator", "group_code"],
        "internal_conflicts": KEY}
_TYPES = {"str": object, "int": "int64", "float": "float64", "bool": bool}


def no_public_rows() -> pd.DataFrame:
    """The public record's internal figures when there are none."""
    return pd.DataFrame(columns=PUBLIC_COLUMNS)


def _table(name: str, rows: list[dict] | pd.DataFrame) -> pd.DataFrame:
    columns = TABLES[name]
    frame = pd.DataFrame(rows).reindex(columns=list(columns))
    frame = frame.astype({c: _TYPES[t] for c, t in columns.items()})
    return frame.sort_values(SORT[name], kind="stable").reset_index(drop=True)


def _iso(day: dt.date | None) -> str:
    return "" if day is None else day.isoformat()


def _unit_lists(files: InternalFiles) -> dict[str, tuple[UnitList, dict[str, tuple[int, int]]]]:
    """Each set's unit list with, for a list made of results files (no unit list), the years each unit is in: a
    derived unit is in force from its first to its last year (the list of every year's files, first seen first)."""
    lists = {unit_set: (listed, {}) for unit_set, listed in files.units.items()}
    for results in sorted((r for r in files.results if r.units is not None), key=lambda r: r.ref.year):
        unit_set, year = results.ref.unit_set, results.ref.year
        listed, spans = lists.get(unit_set, (None, {}))
        frame = results.units.frame
        if listed is not None:
            frame = pd.concat([listed.frame, frame[~frame["unit_code"].isin(listed.frame["unit_code"])]],
                              ignore_index=True)
        for code in results.units.frame["unit_code"]:
            spans[code] = (spans.get(code, (year, year))[0], year)
        lists[unit_set] = (UnitList(results.units.ref if listed is None else listed.ref, frame, derived=True), spans)
    return lists


def _analyst_units(files: InternalFiles) -> tuple[list[dict], list[dict]]:
    units, groups = [], []
    for unit_set, (listed, spans) in _unit_lists(files).items():
        ref, shown = listed.ref, listed.ref.shown  # the file as shown, worked out once for every unit
        for row, keys in zip(listed.frame.to_dict("records"), listed.name_keys):
            first_year, last_year = spans.get(row["unit_code"], (None, None))
            start = row["valid_from"] or (first_year and dt.date(first_year, 1, 1))
            end = row["valid_to"] or (last_year and dt.date(last_year, 12, 31))
            units.append(dict(unit_set=unit_set, province_code=row["province_code"], unit_code=row["unit_code"],
                              name_vi=row["name_vi"], name_en=row["name_en"], group_code=row["group_code"],
                              valid_from=_iso(start), valid_to=_iso(end), source_id=ref.source_id,
                              raw_file=shown, raw_line=row["raw_line"], is_public_only=False,
                              keys=keys))
        first = listed.frame.drop_duplicates("group_code")
        groups += [dict(unit_set=unit_set, group_code=g, name_vi=name, name_en=name_en, position=k)
                   for k, (g, name, name_en) in enumerate(first[["group_code", "group", "group_en"]].itertuples(
                       index=False), start=1)]
    return units, groups


def _scores(results: Results) -> pd.DataFrame:
    """A results file's figures, row by row in the file's order: each field's points, the total, the percent and the
    rank (a blank cell gives none)."""
    frame = results.frame
    measures = [(f.target, f.code, "points", f.max_points) for f in results.fields]
    measures += [("total", "PAR", "points", results.total_max), ("pct", "PAR", "pct_of_max", results.total_max),
                 ("rank", "PAR", "rank", float("nan"))]
    parts = []
    for target, indicator, measure, maximum in measures:
        if target not in frame:
            continue
        rows = frame[frame[target].notna()]
        parts.append(pd.DataFrame({"unit_code": rows["unit_code"], "group_code": rows["group_code"],
                                   "indicator": indicator, "measure": measure, "value": rows[target].astype(float),
                                   "max_points": maximum, "is_official": True, "raw_line": rows["_row"] + 1,
                                   "is_computed": measure == "rank" and results.rank_computed}))
    return pd.concat(parts).sort_index(kind="stable").reset_index(drop=True)  # a row's figures in the measures' order


def _analyst_figures(files: InternalFiles) -> tuple[list[pd.DataFrame], list[dict], list[dict]]:
    """Scores, fields and group sizes of the analyst's results files (a group's size from the set's unit list: the
    module's docstring)."""
    figures, fields, sizes = [], [], []
    for results in files.results:
        ref = results.ref
        common = dict(unit_set=ref.unit_set, year=ref.year, source_id=ref.source_id, raw_file=ref.shown)
        fields += [dict(common, field_code=f.code, name_vi=f.name_vi, max_points=f.max_points,
                        ministry_field=f.ministry_field, position=f.position, raw_line=results.header_row)
                   for f in results.fields]
        figures.append(_scores(results).assign(**common))
        listed = results.units or files.units[ref.unit_set]
        day = dt.date(ref.year, 12, 31)
        in_force = listed.frame[listed.in_force(day).to_numpy()]
        counts = in_force["group_code"].value_counts(sort=False)
        sizes += [dict(unit_set=ref.unit_set, year=ref.year, indicator="PAR", group_code=g, group_size=int(n),
                       source_id=listed.ref.source_id) for g, n in counts.items()]
    return figures, fields, sizes


def _public_units(public: pd.DataFrame, files: InternalFiles, units: list[dict],
                  groups: list[dict]) -> pd.DataFrame:
    """The public rows with unit_code and group_code: from the set's units (its unit list or results files, by name or
    past name), or made from the names (the module's docstring). Units and groups a set has only from the public
    record are appended to units and groups, flagged is_public_only; beside the analyst's units, such a unit is in
    force in the years it is published (from the first to the last)."""
    codes, group_codes = [], []
    named: dict[tuple[str, str], list[dict]] = {}
    for unit in units:
        for key in dict.fromkeys(unit["keys"]):
            named.setdefault((unit["unit_set"], key), []).append(unit)
    analyst_sets = {u["unit_set"] for u in units}
    known = {(u["unit_set"], u["unit_code"]) for u in units}
    group_positions: dict[str, int] = {}
    for g in groups:
        group_positions[g["unit_set"]] = max(group_positions.get(g["unit_set"], 0), g["position"])
    group_by_name = {(g["unit_set"], name_key(g["name_vi"])): g["group_code"] for g in groups}
    faults = Faults()
    ordered = public.sort_values(["unit_set", "year", "raw_file", "raw_line"])
    for row in ordered.to_dict("records"):
        unit_set, year = row["unit_set"], int(row["year"])
        matches = named.get((unit_set, name_key(row["unit_name"])), [])
        if len(matches) > 1:
            faults.add(InputError(row["raw_file"], "a unit of the public record names two units of the set's unit "
                                  "list", row=int(row["raw_line"]), column="unit", found=row["unit_name"],
                                  expected="the name of one unit (give the units different names)"))
        if matches and not matches[0]["is_public_only"]:
            unit = matches[0]
            day = f"{year}-12-31"
            if not ((unit["valid_from"] or day) <= day <= (unit["valid_to"] or day)):
                faults.add(InputError(row["raw_file"], f"the unit is not in force on 31/12/{year} by its dates in "
                                      f"{unit['raw_file']}", row=int(row["raw_line"]), column="unit",
                                      found=row["unit_name"], expected="a unit in force in the row's year"))
            codes.append(unit["unit_code"])
            group_codes.append(unit["group_code"])
            continue
        group = group_by_name.get((unit_set, name_key(row["group_name"])), slug(row["group_name"]))
        if (unit_set, group) not in {(g["unit_set"], g["group_code"]) for g in groups}:
            group_by_name[(unit_set, name_key(row["group_name"]))] = group
            position = group_positions[unit_set] = group_positions.get(unit_set, 0) + 1
            groups.append(dict(unit_set=unit_set, group_code=group, name_vi=row["group_name"], name_en="",
                               position=position))
        code = matches[0]["unit_code"] if matches else slug(row["unit_name"])
        if (unit_set, code) not in known:
            known.add((unit_set, code))
            unit = dict(unit_set=unit_set, province_code=row["province_code"], unit_code=code,
                        name_vi=row["unit_name"], name_en="", group_code=group, valid_from="", valid_to="",
                        source_id=row["source_id"], raw_file=row["raw_file"], raw_line=row["raw_line"],
                        is_public_only=True, keys=[name_key(row["unit_name"])])
            units.append(unit)
            named[(unit_set, name_key(row["unit_name"]))] = [unit]
        if unit_set in analyst_sets:  # in force in the years published, not in the analyst's years
            unit = next(u for u in units if (u["unit_set"], u["unit_code"]) == (unit_set, code))
            unit["valid_from"] = min(filter(None, [unit["valid_from"], f"{year}-01-01"]))
            unit["valid_to"] = max(filter(None, [unit["valid_to"], f"{year}-12-31"]))
        codes.append(code)
        group_codes.append(group)
    faults.raise_if_any()
    return ordered.assign(unit_code=codes, group_code=group_codes)


def _coverage(scores: pd.DataFrame, sizes: pd.DataFrame) -> list[dict]:
    """Per set, year, indicator and group: units with a figure, the group's size (a field's group is the PAR one)."""
    size = {(s, y, i, g): n for s, y, i, g, n in sizes[["unit_set", "year", "indicator", "group_code",
                                                        "group_size"]].itertuples(index=False)}
    rows = []
    counts = scores.groupby(["unit_set", "year", "indicator", "group_code"])["unit_code"].nunique()
    for (unit_set, year, indicator, group), known in counts.items():
        n = size.get((unit_set, year, indicator, group), size.get((unit_set, year, "PAR", group)))
        rows.append(dict(unit_set=unit_set, year=year, indicator=indicator, group_code=group, units_known=known,
                         group_size=float("nan") if n is None else n, is_complete=n is not None and known == n))
    return rows


def build(internal_dir: Path, reference_dir: Path = paths.REFERENCE, public_rows: pd.DataFrame | None = None,
          languages: dict[str, str] | None = None, pages: dict[str, str] | None = None) -> dict[str, pd.DataFrame]:
    """The internal_* tables (TABLES) from the analyst's files in internal_dir (none when it is absent) and the public
    record's rows (public_rows, columns PUBLIC_COLUMNS); languages: source id -> language, and pages: source id -> the
    address it cites (the registry's url, so that a copy and its original count as one source), for the conflict
    rule.
    Also 'internal_sources' (the analyst's files as source ids) and 'internal_unused' (rows that gave nothing), for
    clean.build's sources and unused_rows."""
    files = read_internal(Path(internal_dir), reference_dir)
    public = no_public_rows() if public_rows is None else public_rows.reindex(columns=PUBLIC_COLUMNS)
    units, groups = _analyst_units(files)
    figures, fields, sizes = _analyst_figures(files)
    public = _public_units(public, files, units, groups)
    public_figures = public.assign(max_points=float("nan"), is_official=False)
    public_sizes = public[public["group_size"].notna()].assign(group_size=lambda f: f["group_size"].astype(int))
    sizes_frame = pd.concat([pd.DataFrame(sizes, columns=TABLES["internal_group_sizes"]),
                             public_sizes[list(TABLES["internal_group_sizes"])]], ignore_index=True)
    sizes_frame = sizes_frame.drop_duplicates(["unit_set", "year", "indicator", "group_code"])  # the analyst's first
    columns = [*KEY, "group_code", "value", "max_points", "source_id", "is_official", "raw_file", "raw_line"]
    analyst = pd.DataFrame(pd.concat(figures, ignore_index=True) if figures else None,
                           columns=[*columns, "is_computed"]).astype({"value": float, "max_points": float})
    # Each file's percent of the maximum (total and fields) from its own points, before the conflict step, so that it
    # competes with (and, by the rule "official", beats) a published percent instead of standing beside it.
    analyst = derive(analyst, KEY) if not analyst.empty else analyst.assign(is_derived=False)
    analyst["is_derived"] = analyst["is_derived"] | analyst.pop("is_computed").eq(True)  # ranks from the totals
    every = pd.concat([analyst, public_figures.reindex(columns=columns).assign(is_derived=False)],
                      ignore_index=True).astype({"year": int, "value": float, "max_points": float,
                                                 "is_official": bool, "is_derived": bool, "raw_line": int})
    if every.empty:
        resolved, conflicts = every, pd.DataFrame(columns=TABLES["internal_conflicts"])
    else:
        resolved, conflicts = resolve(every, languages or {}, KEY, pages=pages)
    resolved.loc[resolved["measure"] == "rank", "max_points"] = float("nan")
    scores = _table("internal_scores", resolved)
    sizes_table = _table("internal_group_sizes", sizes_frame)
    criteria = []
    for card in files.criteria:
        ref = card.ref
        for row in card.frame.to_dict("records"):
            criteria.append(dict(unit_set=ref.unit_set, year=ref.year, unit_code=row["unit_code"],
                                 criterion_code=row["criterion_code"], field_code=row["criterion_code"].split(".")[0],
                                 name_vi=row.get("name") or "", max_points=row["max"],
                                 self_assessed=row.get("self_assessed", float("nan")), points=row["appraised"],
                                 source_id=ref.source_id, raw_file=ref.shown, raw_line=row["_row"] + 1))
    read = [*(u.ref for u in files.units.values()), *(r.ref for r in files.results), *(c.ref for c in files.criteria)]
    return {
        "internal_units": _table("internal_units", units),
        "internal_groups": _table("internal_groups", groups),
        "internal_fields": _table("internal_fields", fields),
        "internal_scores": scores,
        "internal_group_sizes": sizes_table,
        "internal_criteria": _table("internal_criteria", criteria),
        "internal_coverage": _table("internal_coverage", _coverage(scores, sizes_table)),
        "internal_conflicts": _table("internal_conflicts", conflicts),
        "internal_sources": pd.DataFrame({"source_id": sorted(ref.source_id for ref in read)}),
        "internal_unused": pd.DataFrame(files.unused, columns=["raw_file", "raw_line", "reason"]),
    }
