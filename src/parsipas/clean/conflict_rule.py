"""The conflict rule of clean.py's docstring, applied to any key: one value per key, the losers recorded; and the
figures derived from others (points from points lost, percent of maximum from points). clean.build applies it to the
Ministry's figures (RESOLVED_KEY), internal.build to a province's own index (keyed by unit set and unit)."""

from __future__ import annotations

import pandas as pd

from parsipas.ingest.schemas import RESOLVED_KEY, resolved_schema

OUTCOME_COLUMNS = ["value_kept", "sources_kept", "value_rejected", "sources_rejected", "rule"]  # after the key


def _decimals(value: float) -> int:
    text = repr(float(value))
    return 0 if text.endswith(".0") else len(text.split(".")[1])


def resolve(figures: pd.DataFrame, languages: dict[str, str], key_columns: list[str] = RESOLVED_KEY,
            pages: dict[str, str] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One value per key by the rule in this module's docstring; returns (kept rows, conflicts).

    pages: the address each source cites (the registry's url); the 'sources' step counts addresses, so that a copy of
    an article and the original it is cited by count as one source. key_columns: what one value is kept for (a
    province's figure by default; internal.py keys by unit set and unit).
    Most keys have one value, stated by one or more sources: their row is an official file's if one states it (the
    figure is then recorded as the official file's, not as the public page's that repeats it), else the first by source
    id, taken in one vectorised step. Only keys with competing values go through the rule, one at a time; the winning
    value's row is chosen the same way."""
    ordered = figures.assign(_unofficial=~figures["is_official"].astype(bool)).sort_values(
        [*key_columns, "_unofficial", "source_id"], kind="stable").drop(columns="_unofficial")
    contested = ordered.groupby(key_columns, sort=False)["value"].transform("nunique") > 1
    kept = [ordered[~contested].drop_duplicates(key_columns)]
    conflicts = []
    for key, group in ordered[contested].groupby(key_columns, sort=True):
        candidates = []
        for value, rows in group.groupby("value", sort=True):
            sources = sorted(set(rows["source_id"]))
            candidates.append(dict(
                value=value, rows=rows, sources=sources,
                ranks=(rows["is_official"].any(), len({(pages or {}).get(s, s) for s in sources}),
                       any(languages.get(s, "vi") == "vi" for s in sources), _decimals(value)),
                first_source=sources[0]))
        candidates.sort(key=lambda c: (tuple(-int(r) for r in c["ranks"]), c["first_source"]))
        winner = candidates[0]
        kept.append(winner["rows"].iloc[:1])
        for loser in candidates[1:]:
            decided = next((name for name, a, b in zip(["official", "sources", "original", "precision"],
                                                       winner["ranks"], loser["ranks"]) if a != b), "source_id")
            conflicts.append(dict(zip(key_columns, key), value_kept=winner["value"],
                                  sources_kept=";".join(winner["sources"]), value_rejected=loser["value"],
                                  sources_rejected=";".join(loser["sources"]), rule=decided))
    resolved = pd.concat(kept).sort_values(key_columns, kind="stable").reset_index(drop=True).infer_objects()
    resolved_schema(key_columns).validate(resolved)
    return resolved, pd.DataFrame(conflicts, columns=[*key_columns, *OUTCOME_COLUMNS])


def _rounding(value: float) -> float:
    """Half a unit of the last decimal a value is written with: how far its unrounded figure may lie."""
    return 0.5 * 10.0 ** -_decimals(value)


def cross_check(resolved: pd.DataFrame, figures: pd.DataFrame,
                key_columns: list[str] = RESOLVED_KEY) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The same figure stated in another measure: an official table's points against the public record's percent of
    the field's maximum (the year's maximum converts one into the other). Runs on resolve's output (one row per
    key), before derive. Returns (resolved without the restatements, their conflicts).

    Wherever an official file gives the points, the public record's percent is dropped, so that derive computes it
    from the official points (the official figure is the one used). When the two differ by more than rounding, the
    drop is a conflict, rule 'cross_check', with the official figure as a percent kept and every public source that
    states the percent rejected. Rounding: each value may lie half a unit of its last written decimal away (99.01:
    0.005 points of percent; 6.8 points: 0.05 points, that is 0.05 / maximum * 100 of percent); a difference up to
    the sum of the two is rounding. A percent beside official points it cannot be converted with (no maximum) is
    kept as it is."""
    place, measure = key_columns[:-1], key_columns[-1]
    points = resolved[(resolved[measure] == "points") & resolved["is_official"].astype(bool)
                      & resolved["max_points"].gt(0)]
    percents = resolved[(resolved[measure] == "pct_of_max") & ~resolved["is_official"].astype(bool)]
    pairs = percents.reset_index().merge(points[[*place, "value", "max_points", "source_id"]], on=place,
                                         suffixes=("", "_official"))
    official = 100 * pairs["value_official"] / pairs["max_points_official"]
    tolerance = (pairs["value"].map(_rounding)
                 + pairs["value_official"].map(_rounding) * 100 / pairs["max_points_official"])
    differ = pairs[(official - pairs["value"]).abs() > tolerance + 1e-9]
    public = figures[(figures[measure] == "pct_of_max") & ~figures["is_official"].astype(bool)]
    stating = (public.groupby([*key_columns, "value"])["source_id"].agg(lambda ids: ";".join(sorted(set(ids))))
               .rename("sources_rejected").reset_index())
    conflicts = (differ.merge(stating, on=[*key_columns, "value"], how="left")
                 .assign(value_kept=official[differ.index].round(4).to_numpy(), rule="cross_check")
                 .rename(columns={"value": "value_rejected", "source_id_official": "sources_kept"}))
    kept = resolved.drop(index=pairs["index"]).reset_index(drop=True)
    return kept, conflicts[[*key_columns, *OUTCOME_COLUMNS]]


def derive(resolved: pd.DataFrame, key_columns: list[str] = RESOLVED_KEY) -> pd.DataFrame:
    """Add points from points lost, and percent of maximum from points, where the maximum is known (key_columns as
    for resolve, its last column the measure). Joined by key, never row by row: a unit set of 200,000 units has
    1.6 million figures."""
    resolved = resolved.assign(is_derived=False)
    known = set(map(tuple, resolved[key_columns].to_numpy()))
    added = []
    for measure_from, measure_to, compute in [
        ("points_lost", "points", lambda f: f["max_points"] - f["value"]),
        ("points", "pct_of_max", lambda f: 100 * f["value"] / f["max_points"]),
    ]:
        base = pd.concat([resolved, *added]) if added else resolved
        base = base[(base["measure"] == measure_from) & base["max_points"].notna()]
        keys = list(zip(*(base[column] for column in key_columns[:-1]), [measure_to] * len(base)))
        new = [key not in known and not known.add(key) for key in keys]  # the first row of a key only
        values = [round(value, 4) for value in compute(base).tolist()]  # Python's rounding, as row by row
        rows = base.assign(measure=measure_to, value=values, is_derived=True).loc[new]
        if not rows.empty:
            added.append(rows)
    return pd.concat([resolved, *added], ignore_index=True) if added else resolved
