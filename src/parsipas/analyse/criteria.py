"""Criterion by criterion: two years' scorecards compared through the analyst's crosswalk, the points the appraisal
did not grant (the evidence gap), and which agency answers for each weak criterion (issue 16).

Pure functions over processed tables: par_scores (a scorecard gives measures points, the appraised score, and
self_assessed under PAR.F<code>), criteria (names and maxima), crosswalk and responsibility. Nothing is filled in:
a criterion with no appraised points is left out of a sum, and no agency is assigned that the province did not name.
"""

from __future__ import annotations

import pandas as pd

_LINKED = ["same", "renamed", "split", "merged"]


def scorecard(par_scores: pd.DataFrame, criteria: pd.DataFrame, province_code: str, year: int) -> pd.DataFrame:
    """One province's scorecard of one year, indexed by code: name_vi, level, max_points, appraised, self_assessed,
    lost (maximum - appraised) and share (appraised as % of maximum). Empty when no scorecard was supplied."""
    own = criteria[(criteria["year"] == year) & (criteria["province_code"] == province_code)]
    table = own.set_index("code")[["indicator", "name_vi", "level", "max_points"]]
    scores = par_scores[(par_scores["year"] == year) & (par_scores["province_code"] == province_code)
                        & par_scores["indicator"].isin(table["indicator"])
                        & par_scores["measure"].isin(["points", "self_assessed"])]
    values = scores.pivot_table(index="indicator", columns="measure", values="value", aggfunc="first")
    values = values.reindex(columns=["points", "self_assessed"]).rename(columns={"points": "appraised"})
    table = table.join(values, on="indicator").drop(columns="indicator")
    table["lost"] = table["max_points"] - table["appraised"]
    table["share"] = 100 * table["appraised"] / table["max_points"]
    return table.astype({"level": int})


def _side(card: pd.DataFrame, codes: list[str]) -> dict:
    """One side of a link: its codes joined, names, and the sums of maxima and points (points only if every
    criterion has them: a sum over part of a group would read as a fall)."""
    rows = card.reindex(codes)
    appraised = rows["appraised"].sum() if rows["appraised"].notna().all() else float("nan")
    return {"codes": " + ".join(codes), "name_vi": " + ".join(rows["name_vi"].fillna("")),
            "max_points": rows["max_points"].sum(min_count=1), "appraised": appraised}


def _groups(links: pd.DataFrame) -> list[tuple[list[str], list[str], str]]:
    """Linked criteria as groups of old and new codes that stand for the same ground: one to one for same and
    renamed, one old to its parts for a split, the parts to one new for a merge."""
    groups: list[tuple[set, set, str]] = []
    for old, new, relation in links[["old_code", "new_code", "relation"]].itertuples(index=False):
        found = next((g for g in groups if old in g[0] or new in g[1]), None)
        if found and relation in ("split", "merged"):
            found[0].add(old)
            found[1].add(new)
        else:
            groups.append(({old}, {new}, relation))
    return [(sorted(o, key=_code_order), sorted(n, key=_code_order), r) for o, n, r in groups]


def _code_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) for part in code.split("."))


def compare(par_scores: pd.DataFrame, criteria: pd.DataFrame, crosswalk: pd.DataFrame, province_code: str,
            old_year: int, new_year: int) -> pd.DataFrame:
    """The two years side by side through the crosswalk: fields first (level 1 of both scorecards: a field keeps its
    code under every decision), then linked criteria in the new year's order, then criteria new or dropped (relation
    says which). Columns: relation, old_codes, new_codes, old_name, new_name, old_max, new_max, old_share, new_share,
    change (share points), new_lost (points lost in the new year). Empty when no crosswalk links these two years for
    the province."""
    links = crosswalk[(crosswalk["province_code"] == province_code) & (crosswalk["old_year"] == old_year)
                      & (crosswalk["new_year"] == new_year)]
    columns = ["relation", "old_codes", "new_codes", "old_name", "new_name", "old_max", "new_max", "old_share",
               "new_share", "change", "new_lost"]
    if links.empty:
        return pd.DataFrame(columns=columns)
    old = scorecard(par_scores, criteria, province_code, old_year)
    new = scorecard(par_scores, criteria, province_code, new_year)
    fields = [([code], [code], "field") for code in sorted(old.index[old["level"] == 1], key=_code_order)
              if code in new.index]
    linked = _groups(links[links["relation"].isin(_LINKED)])
    linked.sort(key=lambda group: _code_order(group[1][0]))
    apart = [([code], [], "dropped") for code in links.loc[links["relation"] == "dropped", "old_code"]] + [
        ([], [code], "new") for code in links.loc[links["relation"] == "new", "new_code"]]
    rows = []
    for old_codes, new_codes, relation in [*fields, *linked, *apart]:
        before, after = _side(old, old_codes), _side(new, new_codes)
        old_share = 100 * before["appraised"] / before["max_points"] if old_codes else float("nan")
        new_share = 100 * after["appraised"] / after["max_points"] if new_codes else float("nan")
        rows.append([relation, before["codes"], after["codes"], before["name_vi"], after["name_vi"],
                     before["max_points"], after["max_points"], old_share, new_share, new_share - old_share,
                     after["max_points"] - after["appraised"]])
    return pd.DataFrame(rows, columns=columns)


def weakest(card: pd.DataFrame) -> pd.DataFrame:
    """The criteria at the finest level the scorecard has (those without sub-criteria, fields excluded), ranked by
    points lost, then by share (lowest first); criteria that lost nothing are left out."""
    parents = {code.rsplit(".", 1)[0] for code in card.index if "." in code}
    finest = card[(card["level"] > 1) & ~card.index.isin(parents) & (card["lost"] > 0)]
    return finest.sort_values(["lost", "share"], ascending=[False, True])


def evidence_gap(card: pd.DataFrame) -> pd.DataFrame:
    """Points the province claimed that the appraisal did not grant (self_assessed - appraised), per field and
    criterion (levels 1 and 2), fields first, largest first within each level; only where points were lost so."""
    gap = (card["self_assessed"] - card["appraised"]).round(4)
    table = card.assign(gap=gap)[(card["level"] <= 2) & (gap > 0)]
    return table.sort_values(["level", "gap"], ascending=[True, False])


def lead_for(code: str, responsibility: pd.DataFrame) -> pd.Series | None:
    """The responsibility row for a criterion: its own, else its parent's, up to its field's; None if the province
    named no agency on that path (none is invented)."""
    by_code = responsibility.set_index("code")
    parts = code.split(".")
    for depth in range(len(parts), 0, -1):
        ancestor = ".".join(parts[:depth])
        if ancestor in by_code.index:
            return by_code.loc[ancestor]
    return None


def actions(card: pd.DataFrame, responsibility: pd.DataFrame, province_code: str, year: int) -> pd.DataFrame:
    """The action table: each weak criterion (weakest) with its lead and supporting agencies, the points recoverable
    and its evidence gap (self-assessed - appraised, zero or more)."""
    own = responsibility[(responsibility["province_code"] == province_code) & (responsibility["year"] == year)]
    weak = weakest(card)
    leads = [lead_for(code, own) for code in weak.index]
    gap = (weak["self_assessed"] - weak["appraised"]).clip(lower=0).round(4)
    return pd.DataFrame({
        "name_vi": weak["name_vi"],
        "lead_agency": [None if lead is None else lead["lead_agency"] for lead in leads],
        "supporting_agencies": [None if lead is None else lead["supporting_agencies"] for lead in leads],
        "recoverable": weak["lost"].round(4), "evidence_gap": gap}, index=weak.index)


def stakes(action_table: pd.DataFrame) -> pd.DataFrame:
    """Points at stake per lead agency (criteria, points recoverable, of which evidence gap), largest first;
    criteria with no agency named are one row with lead_agency None, so their points are not lost from view."""
    grouped = action_table.groupby("lead_agency", dropna=False).agg(
        criteria=("name_vi", "size"), recoverable=("recoverable", "sum"), evidence_gap=("evidence_gap", "sum"))
    return grouped.sort_values("recoverable", ascending=False).reset_index()
