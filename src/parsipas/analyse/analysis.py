"""Comparison of a province between two years, at every level the data knows. Pure functions over DataFrames.

The same functions serve the sparse public record and complete official tables: a missing figure stays missing
(NaN) all the way to the report, where it reads "not published", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from parsipas.analyse import methodology

SHARE_MEASURE = {"PAR": "pct_of_max", "SIPAS": "percent"}
COMPARED_LEVELS = ["index", "part", "field", "field_part", "component", "aspect", "element"]


@dataclass(frozen=True)
class Context:
    """What a comparison is about; built once from the reference tables."""

    province_code: str
    year: int
    base_year: int
    region_code: str
    indicators: pd.DataFrame          # indexed by indicator code
    decisions: pd.DataFrame           # indexed by year
    province_regions: pd.Series | None = None   # province code -> region code, for computed regional means
    target_rank: int | None = None    # None: no target for the province and year (reference points instead)
    unit_counts: dict[int, int] = field(default_factory=dict)  # how many units each year ranks (provinces.unit_count)
    base_is_same_unit: bool = True    # False across the 2025 merger: the base year ranked the predecessors instead

    def complete_count(self, year: int) -> int:
        """How many units a complete table of the year has: the year's set decides, never a number in code."""
        return self.unit_counts[year]

    def same_method(self, column: str) -> bool:
        """Whether both years were assessed under the same decision (or survey model) of decisions.csv; a year
        with none on record (its table stated its maxima) is compared as under a different one."""
        now, before = (self.decisions[column].get(year) for year in (self.year, self.base_year))
        return now is not None and now == before

    def ranked_predecessors(self, year: int) -> bool:
        """Whether the year is a base year that ranked the unit's predecessors, not the unit itself."""
        return year == self.base_year and not self.base_is_same_unit


def _pivot(scores: pd.DataFrame, province_code: str, year: int) -> pd.DataFrame:
    rows = scores[(scores["province_code"] == province_code) & (scores["year"] == year)]
    return rows.pivot_table(index="indicator", columns="measure", values="value", aggfunc="first")


def _area_statistic(summary: pd.DataFrame, area: str, year: int, statistic: str) -> pd.Series:
    rows = summary[(summary["area_code"] == area) & (summary["year"] == year) & (summary["statistic"] == statistic)]
    return rows.set_index("indicator")["value"]


def _mean(summary: pd.DataFrame, area: str, year: int, computed: pd.Series | None, index: pd.Index) -> pd.Series:
    """The published mean of an area, or where none is published, the one computed from a complete table."""
    published = _area_statistic(summary, area, year, "mean").reindex(index)
    return published if computed is None else published.fillna(computed)


def share(values: pd.DataFrame, index: pd.Series) -> pd.Series:
    """The comparable value of each indicator: percent of maximum for PAR, the satisfaction percent for SIPAS."""
    columns = {m: values[m] if m in values else pd.Series(np.nan, index=values.index) for m in SHARE_MEASURE.values()}
    chosen = np.where(index == "PAR", columns["pct_of_max"], columns["percent"])
    return pd.Series(chosen, index=values.index, dtype=float)


def competition_rank(values: pd.Series) -> pd.Series:
    """1 + the number of strictly higher values: ties share a place (1, 2, 2, 4), as the Ministry publishes."""
    return values.rank(method="min", ascending=False)


def all_shares(scores: pd.DataFrame, year: int) -> pd.DataFrame:
    """Province x indicator table of comparable values (percent of maximum / SIPAS percent) for one year."""
    rows = scores[(scores["year"] == year) & scores["measure"].isin(SHARE_MEASURE.values())]
    rows = rows[np.where(rows["indicator"].str.startswith("PAR"), rows["measure"] == "pct_of_max",
                         rows["measure"] == "percent")]
    return rows.pivot_table(index="province_code", columns="indicator", values="value", aggfunc="first")


def complete_statistics(scores: pd.DataFrame, ctx: Context, year: int) -> pd.DataFrame:
    """For indicators known for every province the year ranks: national and regional means, the best value, the value
    at the target rank, and every province's computed rank. Empty rows elsewhere: nothing is estimated."""
    shares = all_shares(scores, year)
    complete = shares.columns[shares.notna().sum() == ctx.complete_count(year)]
    stats = pd.DataFrame(index=shares.columns)
    stats["is_complete"] = stats.index.isin(complete)
    full = shares[complete]
    stats["national_mean"] = full.mean().round(4)
    stats["best"] = full.max()
    stats["target_value"] = pd.Series({c: full[c].sort_values(ascending=False).iloc[ctx.target_rank - 1]
                                       for c in full.columns if ctx.target_rank is not None}, dtype=float)
    if ctx.province_regions is not None:
        region = ctx.province_regions.reindex(full.index) == ctx.region_code
        stats["regional_mean"] = full[region].mean().round(4)
    known = ctx.province_code in full.index
    stats["computed_rank"] = pd.Series({c: competition_rank(full[c])[ctx.province_code] for c in full.columns if known},
                                       dtype=float)
    return stats


def compare(scores: pd.DataFrame, summary: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """One row per indicator known for the province in either year, with changes and gaps.

    change_rank is positive when the province moved up (e.g. 48th -> 25th gives +23).
    """
    meta = ctx.indicators[ctx.indicators["level"].isin(COMPARED_LEVELS)]
    table = meta[["index", "level", "parent", "name_vi", "name_en", "sort"]].copy()
    for label, year in (("base", ctx.base_year), ("year", ctx.year)):
        values = _own_figures(scores, ctx, year).reindex(table.index)
        table[f"points_{label}"] = values.get("points")
        table[f"share_{label}"] = share(values, table["index"])
        table[f"rank_{label}"] = values.get("rank")
        stats = complete_statistics(scores, ctx, year).reindex(table.index)
        national = _mean(summary, "VN", year, stats["national_mean"], table.index)
        regional = _mean(summary, ctx.region_code, year, stats.get("regional_mean"), table.index)
        computed = stats["computed_rank"] * (np.nan if ctx.ranked_predecessors(year) else 1)
        table[f"rank_computed_{label}"] = table[f"rank_{label}"].isna() & computed.notna()
        table[f"rank_{label}"] = table[f"rank_{label}"].fillna(computed)
        table[f"best_{label}"] = stats["best"]
        table[f"gap_best_{label}"] = table[f"share_{label}"] - stats["best"]
        table[f"target_value_{label}"] = stats["target_value"]
        table[f"gap_target_{label}"] = table[f"share_{label}"] - stats["target_value"]
        table[f"national_mean_{label}"] = national
        table[f"gap_national_{label}"] = table[f"share_{label}"] - national
        table[f"regional_mean_{label}"] = regional
        table[f"gap_regional_{label}"] = table[f"share_{label}"] - regional
    table["change_share"] = table["share_year"] - table["share_base"]
    table["change_rank"] = table["rank_base"] - table["rank_year"]
    decision_changed, survey_changed = not ctx.same_method("par_decision"), not ctx.same_method("sipas_model")
    table["method_changed"] = np.where(table["index"] == "PAR", decision_changed, survey_changed)
    figures = [c for c in table.columns if c.startswith(("points_", "share_", "rank_")) and "computed" not in c]
    measured = table[figures].notna().any(axis=1)
    keep = measured | table.index.isin(["PAR", "SIPAS"])
    return table[keep].sort_values("sort").drop(columns="sort")


def _own_figures(scores: pd.DataFrame, ctx: Context, year: int) -> pd.DataFrame:
    """The province's figures of a year; none for a base year that ranked its predecessors (a merged figure the
    Ministry did not publish is never computed: predecessor_figures shows each predecessor's own)."""
    if ctx.ranked_predecessors(year):
        return pd.DataFrame(columns=["points", "rank"], dtype=float)
    return _pivot(scores, ctx.province_code, year)


def predecessor_figures(scores: pd.DataFrame, codes: list[str], year: int) -> pd.DataFrame:
    """Each predecessor's published PAR INDEX and SIPAS of a year (share and rank among that year's provinces),
    side by side, by code: share_PAR, rank_PAR, share_SIPAS, rank_SIPAS; missing stays missing."""
    rows = scores[scores["province_code"].isin(codes) & (scores["year"] == year)]
    result = pd.DataFrame(index=pd.Index(codes, name="province_code"))
    for indicator, measure in SHARE_MEASURE.items():
        own = rows[rows["indicator"] == indicator].pivot_table(index="province_code", columns="measure",
                                                                values="value", aggfunc="first").reindex(codes)
        result[f"share_{indicator}"] = own[measure] if measure in own else np.nan
        result[f"rank_{indicator}"] = own["rank"] if "rank" in own else np.nan
    return result


def latest_year_with_figures(par: pd.DataFrame, sipas: pd.DataFrame, province_code: str, year: int) -> int | None:
    """The report year when the province has any PAR INDEX or SIPAS figure for it, else the latest earlier year that
    has one (None when none has): what a report for a year without figures summarises instead."""
    rows = pd.concat([par, sipas], ignore_index=True)
    years = rows.loc[(rows["province_code"] == province_code) & (rows["year"] <= year), "year"]
    return int(years.max()) if len(years) else None


def trajectory(scores: pd.DataFrame, summary: pd.DataFrame, province_code: str, region_code: str,
               indicator: str) -> pd.DataFrame:
    """Every year known for one indicator: the province's value and rank, and the national and regional means."""
    rows = scores[(scores["province_code"] == province_code) & (scores["indicator"] == indicator)]
    wide = rows.pivot_table(index="year", columns="measure", values="value", aggfunc="first")
    result = pd.DataFrame(index=wide.index)
    result["share"] = wide.get(SHARE_MEASURE[indicator.split(".")[0]])
    result["rank"] = wide.get("rank")
    means = summary[(summary["indicator"] == indicator) & (summary["statistic"] == "mean")]
    result["national_mean"] = means[means["area_code"] == "VN"].set_index("year")["value"].reindex(result.index)
    result["regional_mean"] = means[means["area_code"] == region_code].set_index("year")["value"].reindex(result.index)
    return result.sort_index()


def weak_criteria(scores: pd.DataFrame, summary: pd.DataFrame, criteria: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Every field and criterion of the province in the report year with its points, ranked by points recoverable
    (maximum - score), then by shortfall against the national average, then by percent of maximum (lowest first,
    which orders the public record, where points are often unknown). Criteria are compared with the base year only
    under the same decision (same code = same criterion); across decisions only fields are, through the crosswalk.

    Flags: below_average, declined (share fell since the base year), bottom_third (rank in the
    last third of the year's units)."""
    fields = methodology.par_fields(ctx.indicators)
    own = scores[(scores["province_code"] == ctx.province_code) & methodology.under_fields(scores["indicator"], fields)]
    now = own[own["year"] == ctx.year].pivot_table(index="indicator", columns="measure", values="value",
                                                   aggfunc="first")
    now = now.reindex(columns=sorted({"points", "pct_of_max", "rank"} | set(now.columns)))
    table = now[["points", "pct_of_max"]].rename(columns={"pct_of_max": "share"})
    table = table[now[["points", "pct_of_max", "rank"]].notna().any(axis=1)]  # a field known by its rank alone too
    scored = own[(own["year"] == ctx.year) & own["measure"].isin(["points", "pct_of_max"])]
    maxima = scored.groupby("indicator")["max_points"].first()
    table["max_points"] = maxima.reindex(table.index)
    card = criteria[(criteria["year"] == ctx.year) & (criteria["province_code"] == ctx.province_code)]
    names = card.set_index("indicator")["name_vi"]
    table["name_vi"] = names.reindex(table.index).fillna(ctx.indicators["name_vi"].reindex(table.index))
    table["name_en"] = ctx.indicators["name_en"].reindex(table.index).fillna(table["name_vi"])
    table["level"] = table.index.str.count(r"\.")
    points = table["points"].fillna(table["share"] * table["max_points"] / 100)  # a published share of a known maximum
    table["recoverable"] = (table["max_points"] - points).round(4)
    stats = complete_statistics(scores, ctx, ctx.year).reindex(table.index)
    national = _mean(summary, "VN", ctx.year, stats["national_mean"], table.index)
    table["national_mean"] = national
    table["shortfall"] = national - table["share"]
    same_decision = ctx.same_method("par_decision")
    base = _own_figures(scores, ctx, ctx.base_year).reindex(table.index)
    base_share = base.get("pct_of_max", pd.Series(np.nan, index=table.index))
    comparable = (table["level"] == 1) | same_decision
    table["change_share"] = (table["share"] - base_share).where(comparable)
    published = now["rank"].reindex(table.index)
    table["rank"] = published.fillna(stats["computed_rank"])
    table["below_average"] = table["shortfall"] > 0
    table["declined"] = table["change_share"] < 0
    table["bottom_third"] = table["rank"] > ctx.complete_count(ctx.year) * 2 // 3
    columns = ["name_vi", "name_en", "level", "points", "max_points", "share", "recoverable", "national_mean",
               "shortfall", "change_share", "rank", "below_average", "declined", "bottom_third"]
    order = table.assign(_lost=table["recoverable"].where(table["recoverable"] > 0))  # nothing lost sorts last
    order = order.sort_values(["_lost", "shortfall", "share"], ascending=[False, False, True], na_position="last")
    return order[columns].rename_axis(columns=None)


@dataclass(frozen=True)
class Target:
    """What reaching the target rank takes: exact with a complete table, only what is published otherwise."""

    target_rank: int | None             # None: no target for the province and year
    complete: bool
    score: float | None                 # the province's PAR INDEX (points of 100)
    rank: float | None
    score_to_reach: float | None        # lowest score that places the province at the target rank or better
    points_needed: float | None
    published_at_target: pd.DataFrame   # provinces whose published rank is the target (public record)
    headroom: pd.DataFrame              # per field: points, max_points, headroom (complete tables)
    others: pd.Series                   # other provinces' totals (complete tables)
    out_of: int                         # how many units the year ranks

    def what_if(self, gains: dict[str, float]) -> tuple[float, int]:
        """New total and rank if the province gained these points per field (each capped at the field's headroom)."""
        if not self.complete:
            raise ValueError("a what-if needs the complete table of the year")
        added = sum(min(float(g), float(self.headroom.loc[f, "headroom"])) for f, g in gains.items())
        total = round(self.score + added, 4)
        return total, int(1 + (self.others > total).sum())


def target(scores: pd.DataFrame, ctx: Context) -> Target:
    year = scores[(scores["year"] == ctx.year) & (scores["indicator"] == "PAR")]
    points = year[year["measure"] == "points"].set_index("province_code")["value"]
    ranks = year[year["measure"] == "rank"].set_index("province_code")["value"]
    score, complete = points.get(ctx.province_code), points.index.nunique() == ctx.complete_count(ctx.year)
    at_target = ranks[ranks == ctx.target_rank] if ctx.target_rank is not None else ranks.iloc[:0]
    published = pd.DataFrame({"province_code": at_target.index, "score": points.reindex(at_target.index).to_numpy()})
    own_points = scores[(scores["year"] == ctx.year) & (scores["province_code"] == ctx.province_code)
                        & (scores["measure"] == "points")]
    fields = own_points[own_points["indicator"].isin(methodology.par_fields(ctx.indicators))]
    headroom = fields.set_index("indicator")[["value", "max_points"]].rename(columns={"value": "points"})
    headroom["headroom"] = (headroom["max_points"] - headroom["points"]).round(4)
    headroom = headroom.sort_values("headroom", ascending=False)
    if not complete or score is None:
        return Target(ctx.target_rank, False, score, ranks.get(ctx.province_code), None, None, published, headroom,
                      pd.Series(dtype=float), ctx.complete_count(ctx.year))
    others = points.drop(ctx.province_code)
    to_reach = (float(others.sort_values(ascending=False).iloc[ctx.target_rank - 1])
                if ctx.target_rank is not None else None)  # without a target the what-if still ranks a gain
    return Target(ctx.target_rank, True, float(score), float(competition_rank(points)[ctx.province_code]), to_reach,
                  round(max(0.0, to_reach - float(score)), 4) if to_reach is not None else None, published, headroom,
                  others, ctx.complete_count(ctx.year))


def target_on_record(targets: pd.DataFrame, province_code: str, year: int, out_of: int,
                     index: str = "PAR") -> pd.Series | None:
    """The target a province set itself for an index and year (the processed targets table), or None: a target
    counts only for its own province and years, and only on a ranking of the size it was set on."""
    if targets.empty:
        return None
    rows = targets[(targets["province_code"] == province_code) & (targets["index"] == index)
                   & (targets["first_year"] <= year) & (targets["last_year"] >= year) & (targets["out_of"] == out_of)]
    return None if rows.empty else rows.sort_values("plan_date").iloc[-1]


REFERENCE_POINTS = ("next_up", "median", "top_third")


def reference_points(scores: pd.DataFrame, ctx: Context) -> pd.DataFrame:
    """Where a province without a target could look: the next province up, the middle of the ranking and the edge of
    its top third, each as a place, who holds it and its PAR INDEX score, with the places and points still to go.
    From the complete table when the year has one; otherwise from published ranks and scores only, and a point
    whose holder or score is not published stays empty (nothing is estimated)."""
    year = scores[(scores["year"] == ctx.year) & (scores["indicator"] == "PAR")]
    points = year[year["measure"] == "points"].set_index("province_code")["value"]
    out_of = ctx.complete_count(ctx.year)
    complete = points.index.nunique() == out_of
    ranks = competition_rank(points) if complete else year[year["measure"] == "rank"].set_index("province_code")[
        "value"]
    own_rank, own_score = ranks.get(ctx.province_code), points.get(ctx.province_code)
    above = ranks[ranks < own_rank] if own_rank is not None else ranks.iloc[:0]
    places = {"next_up": above.max() if not above.empty else np.nan, "median": (out_of + 1) // 2,
              "top_third": out_of // 3}
    ordered = points.rename_axis("code").reset_index().sort_values(["value", "code"], ascending=[False, True])
    rows = []
    for point in REFERENCE_POINTS:
        if complete and pd.notna(places[point]):  # the score at the place, ties included (1, 2, 2, 4)
            holder = ordered["code"].iloc[int(places[point]) - 1]
        else:
            holders = ranks[ranks == places[point]].sort_index()
            holder = holders.index[0] if not holders.empty else None
        score = points.get(holder) if holder is not None else None
        rows.append({"point": point, "place": places[point], "province_code": holder,
                     "score": score, "places_to_go": own_rank - places[point] if own_rank is not None else np.nan,
                     "points_to_go": round(score - own_score, 4) if score is not None and own_score is not None
                     else np.nan})
    result = pd.DataFrame(rows).set_index("point").astype({"place": float, "score": float, "places_to_go": float,
                                                          "points_to_go": float})
    return result.assign(complete=complete, known=int(ranks.index.nunique()), out_of=out_of)


def province_listing(tables: dict, provinces: pd.DataFrame, year: int) -> tuple[pd.DataFrame, int]:
    """One row per province: the figures known for the year ("-" where not published), the PAR fields known out of
    the year's (the processed methodology's); and how many provinces have any."""
    par_fields = methodology.par_fields(methodology.indicators(tables))
    scores = pd.concat([tables["par_scores"], tables["sipas_scores"]])
    scores = scores[scores["year"] == year]

    def figure(indicator: str, measure: str, digits: int):
        rows = scores[(scores["indicator"] == indicator) & (scores["measure"] == measure)]
        return rows.set_index("province_code")["value"].map(lambda v: f"{v:.{digits}f}")

    fields = scores[scores["indicator"].isin(par_fields)].groupby("province_code")["indicator"].nunique()
    listing = pd.DataFrame({
        "name": provinces["name_vi"],
        "PAR total": figure("PAR", "points", 2), "PAR rank": figure("PAR", "rank", 0),
        "SIPAS %": figure("SIPAS", "percent", 2), "SIPAS rank": figure("SIPAS", "rank", 0),
        "fields": fields.map(lambda n: f"{n}/{len(par_fields)}"),
    }, index=provinces.index).rename_axis("code")
    known = int(listing.drop(columns="name").notna().any(axis=1).sum())
    return listing.fillna("-"), known
