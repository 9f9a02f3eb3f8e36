"""The province's own index (issue 15) analysed for its leadership and for each unit: pure functions over the
processed tables (clean.load): internal_units, internal_groups, internal_fields, internal_scores,
internal_group_sizes, internal_criteria, internal_coverage and the Ministry's par_scores / summary.

Scores are compared as percent of maximum (the province's "Chỉ số (%)" for the index total, points / maximum for a
field). A unit or field without a figure stays NaN all the way to the report, which writes it as a gap; nothing is
filled, and no average is taken over a group whose figures are not all known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from parsipas.analyse import actions, analysis, methodology, places
from parsipas.core.text import fold_diacritics

INDEX = "PAR"          # the province's own index total in internal_scores
SHARE = "pct_of_max"   # the comparable measure of the total and of every field


def _of_set(frame: pd.DataFrame, unit_set: str) -> pd.DataFrame:
    return frame[frame["unit_set"] == unit_set]


def years(tables: dict[str, pd.DataFrame], unit_set: str, indicator: str = INDEX) -> list[int]:
    """The years in which the set has a figure for the indicator (the index total by default)."""
    scores = _of_set(tables["internal_scores"], unit_set)
    return sorted(int(y) for y in scores.loc[scores["indicator"] == indicator, "year"].unique())


def unit_sets(tables: dict[str, pd.DataFrame]) -> list[str]:
    return sorted(tables["internal_units"]["unit_set"].unique())


def province_code(tables: dict[str, pd.DataFrame], unit_set: str) -> str:
    """The province the set belongs to (one per set)."""
    return str(_of_set(tables["internal_units"], unit_set)["province_code"].iloc[0])


def _english_or_vietnamese(frame: pd.DataFrame) -> pd.Series:
    """name_en where one is given, else name_vi: a unit or group the province named in Vietnamese only."""
    return frame["name_en"].where(frame["name_en"].fillna("").astype(str).str.strip() != "", frame["name_vi"])


def groups(tables: dict[str, pd.DataFrame], unit_set: str) -> pd.DataFrame:
    """Groups of the set in their order: name_vi, name_en (name_vi where no English name is given), position. A name
    starts with a capital, as a heading does (the press writes 'cơ quan ngành dọc' mid-sentence)."""
    frame = _of_set(tables["internal_groups"], unit_set).sort_values("position").set_index("group_code")
    frame = frame[["name_vi", "position"]].assign(name_en=_english_or_vietnamese(frame))
    for column in ("name_vi", "name_en"):
        frame[column] = frame[column].map(lambda name: name[:1].upper() + name[1:])
    return frame


def units(tables: dict[str, pd.DataFrame], unit_set: str, year: int | None = None) -> pd.DataFrame:
    """The set's units, indexed by unit_code, with name_vi, name_en (name_vi where none is given) and group_code;
    with a year, only those valid on 31 December of it (valid_from <= yyyy-12-31 <= valid_to, an empty end open)."""
    frame = _of_set(tables["internal_units"], unit_set).drop_duplicates("unit_code").set_index("unit_code")
    if year is not None:
        day = f"{year}-12-31"
        start, end = (frame[c].fillna("").astype(str).str.strip() for c in ("valid_from", "valid_to"))
        frame = frame[((start == "") | (start <= day)) & ((end == "") | (end >= day))]
    return frame[["name_vi", "group_code"]].assign(name_en=_english_or_vietnamese(frame))


def fields(tables: dict[str, pd.DataFrame], unit_set: str, year: int) -> pd.DataFrame:
    """The province's own fields of the year in their order: name_vi, max_points, ministry_field (or empty)."""
    frame = _of_set(tables["internal_fields"], unit_set)
    frame = frame[frame["year"] == year].sort_values("position").set_index("field_code")
    return frame[["name_vi", "max_points", "ministry_field", "position"]].assign(
        ministry_field=frame["ministry_field"].fillna("").astype(str))


def _values(tables: dict[str, pd.DataFrame], unit_set: str, year: int, measure: str) -> pd.DataFrame:
    """unit_code x indicator for one year and measure."""
    scores = _of_set(tables["internal_scores"], unit_set)
    rows = scores[(scores["year"] == year) & (scores["measure"] == measure)]
    return rows.pivot_table(index="unit_code", columns="indicator", values="value", aggfunc="first")


def _column(values: pd.DataFrame, column: str, index: pd.Index) -> pd.Series:
    return (values[column] if column in values else pd.Series(dtype=float)).reindex(index).astype(float)


def has_unit_list(tables: dict[str, pd.DataFrame], unit_set: str) -> bool:
    """Whether the set's units come from an analyst's unit list (every unit the province ranks), not only from the
    units the public record happens to name."""
    return bool(_of_set(tables["internal_units"], unit_set)["source_id"].astype(str).str.startswith("internal:").any())


def group_sizes(tables: dict[str, pd.DataFrame], unit_set: str, year: int, indicator: str = INDEX) -> pd.Series:
    """How many units each group ranks in the year: as the processed table states it, else, where the analyst's unit
    list gives every unit, the group's units valid in the year; unknown (absent) otherwise."""
    sizes = _of_set(tables["internal_group_sizes"], unit_set)
    stated = sizes[(sizes["year"] == year) & (sizes["indicator"] == indicator)].set_index("group_code")["group_size"]
    if not has_unit_list(tables, unit_set):
        return stated.astype(int)
    valid = units(tables, unit_set, year)["group_code"].value_counts()
    return stated.combine_first(valid).astype(int)


def indicators_of(tables: dict[str, pd.DataFrame], unit_set: str, year: int) -> list[str]:
    """The set's indices with a figure in the year: the province's PAR index, its satisfaction index (SIPAS)."""
    scores = _of_set(tables["internal_scores"], unit_set)
    present = set(scores.loc[scores["year"] == year, "indicator"])
    return [i for i in (INDEX, "SIPAS") if i in present]


def ranking(tables: dict[str, pd.DataFrame], unit_set: str, year: int, base_year: int | None,
            indicator: str = INDEX) -> pd.DataFrame:
    """Every unit valid in the year (with only the public record: every unit it gives a figure for in either year), in
    group order then rank: score (percent of maximum), points, rank in the group and the group's size; the base
    year's score and rank, and the changes (change_rank > 0: moved up). A rank change is given only when the unit was
    in the same group in both years."""
    listed = units(tables, unit_set, year)
    order = groups(tables, unit_set)["position"]
    table = listed.assign(group_position=listed["group_code"].map(order))
    now = _values(tables, unit_set, year, SHARE)
    table["score"] = _column(now, indicator, table.index)
    table["points"] = _column(_values(tables, unit_set, year, "points"), indicator, table.index)
    table["rank"] = _column(_values(tables, unit_set, year, "rank"), indicator, table.index)
    table["group_size"] = table["group_code"].map(group_sizes(tables, unit_set, year, indicator))
    if base_year is None:
        table[["score_base", "points_base", "rank_base"]] = np.nan
    else:
        table["score_base"] = _column(_values(tables, unit_set, base_year, SHARE), indicator, table.index)
        table["points_base"] = _column(_values(tables, unit_set, base_year, "points"), indicator, table.index)
        table["rank_base"] = _column(_values(tables, unit_set, base_year, "rank"), indicator, table.index)
        base_group = _of_set(tables["internal_scores"], unit_set)
        base_group = base_group[base_group["year"] == base_year].drop_duplicates("unit_code") \
            .set_index("unit_code")["group_code"].reindex(table.index)
        table.loc[base_group != table["group_code"], "rank_base"] = np.nan
    table["change_score"] = (table["score"] - table["score_base"]).round(4)
    table["change_rank"] = table["rank_base"] - table["rank"]
    if not has_unit_list(tables, unit_set):  # the public record's units: those it gives a figure for in the years
        table = table[table[["score", "score_base"]].notna().any(axis=1)]
    table = table.rename_axis("unit_code").reset_index()
    return table.sort_values(["group_position", "rank", "score", "name_vi"], ascending=[True, True, False, True],
                             na_position="last").reset_index(drop=True)


def field_shares(tables: dict[str, pd.DataFrame], unit_set: str, year: int) -> pd.DataFrame:
    """unit_code x field_code (the year's fields in order): percent of each field's maximum; NaN where unknown."""
    listed = units(tables, unit_set, year)
    codes = list(fields(tables, unit_set, year).index)
    values = _values(tables, unit_set, year, SHARE)
    return values.reindex(index=listed.index, columns=codes).astype(float).rename_axis(index="unit_code",
                                                                                       columns="field_code")


def field_distribution(tables: dict[str, pd.DataFrame], unit_set: str, year: int) -> pd.DataFrame:
    """Per field: the units known, mean, lowest, quartiles and highest percent of maximum across the set."""
    shares = field_shares(tables, unit_set, year)
    stats = pd.DataFrame({"units_known": shares.notna().sum().astype(int), "mean": shares.mean().round(4),
                          "lowest": shares.min(), "q1": shares.quantile(0.25), "median": shares.median(),
                          "q3": shares.quantile(0.75), "highest": shares.max()}, index=shares.columns)
    return fields(tables, unit_set, year)[["name_vi", "max_points", "ministry_field"]].join(
        stats[["units_known", "mean", "lowest", "q1", "median", "q3", "highest"]])


def movers(rank_table: pd.DataFrame, count: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The units whose score rose most and fell most between the two years (percentage points), from ranking()."""
    moved = rank_table.dropna(subset=["change_score"])
    rose = moved[moved["change_score"] > 0].sort_values(["change_score", "name_vi"], ascending=[False, True])
    fell = moved[moved["change_score"] < 0].sort_values(["change_score", "name_vi"])
    return rose.head(count).reset_index(drop=True), fell.head(count).reset_index(drop=True)


def bottom_units(tables: dict[str, pd.DataFrame], unit_set: str, year: int, count: int = 3) -> pd.DataFrame:
    """Per field (in order), the units with the lowest percent of maximum, lowest first; units tied with the last
    place are all listed. Columns field_code, unit_code, share, points."""
    shares = field_shares(tables, unit_set, year)
    points = _values(tables, unit_set, year, "points")
    rows = []
    for code in shares.columns:
        lowest = shares[code].dropna().nsmallest(count, keep="all")
        for unit in sorted(lowest.index, key=lambda u: (lowest[u], u)):
            rows.append((code, unit, lowest[unit], _column(points, code, pd.Index([unit])).iloc[0]))
    return pd.DataFrame(rows, columns=["field_code", "unit_code", "share", "points"])


def group_averages(tables: dict[str, pd.DataFrame], unit_set: str, indicator: str = INDEX) -> pd.DataFrame:
    """Each group's average score in every year the set has a figure: mean is given only when every unit the group
    ranks that year is known (units_known == group_size); otherwise it is NaN and the counts say why (group_size NaN
    where the group's size is not known)."""
    rows = []
    all_scores, group_codes = _of_set(tables["internal_scores"], unit_set), groups(tables, unit_set).index
    for year in years(tables, unit_set, indicator):
        shares = _values(tables, unit_set, year, SHARE)
        scores = _column(shares, indicator, shares.index).dropna()
        member = all_scores[(all_scores["year"] == year) & (all_scores["indicator"] == indicator)] \
            .drop_duplicates("unit_code").set_index("unit_code")["group_code"]
        sizes = group_sizes(tables, unit_set, year, indicator)
        for group in group_codes:
            known = scores[scores.index.isin(member.index[member == group])]
            size = sizes.get(group, np.nan)
            if pd.isna(size) and known.empty:
                continue
            complete = bool(len(known) >= size)  # an unknown size is never complete
            rows.append((year, group, round(known.mean(), 4) if complete and len(known) else np.nan, len(known),
                         size, complete))
    return pd.DataFrame(rows, columns=["year", "group_code", "mean", "units_known", "group_size", "is_complete"])


@dataclass(frozen=True)
class MinistryWeakness:
    """The Ministry fields (methodology.par_fields) where the province is weak in the Ministry's index, and by which
    rule."""

    year: int | None          # the Ministry year used: the report year, else the latest before it with field results
    rule: str                 # "below_national": below the national average; "lowest": the lowest shares; "none"
    fields: pd.DataFrame      # indexed by field code: share, national_mean (NaN where unknown), weak (bool)


def ministry_weakness(tables: dict[str, pd.DataFrame], province: str, year: int) -> MinistryWeakness:
    """The province's Ministry field results for the year (or the latest earlier year with them). Where the national
    average of a field is known (published, or computed from a complete table), weak = below it; where no average
    is known, weak = the lowest percent-of-max fields, as many as the rule ministry_weakest (processed
    action_rules). When every field with an average is above it, the lowest fields are taken instead (rule
    "lowest"). The fields are the processed methodology's."""
    par, par_fields = tables["par_scores"], methodology.par_fields(methodology.indicators(tables))
    own = par[(par["province_code"] == province) & par["indicator"].isin(par_fields) & (par["measure"] == SHARE)]
    known = sorted(int(y) for y in own["year"].unique() if int(y) <= year)
    if not known:
        return MinistryWeakness(None, "none", pd.DataFrame(columns=["share", "national_mean", "weak"]))
    used = known[-1]
    shares = own[own["year"] == used].set_index("indicator")["value"].astype(float)
    shares = shares.reindex([f for f in par_fields if f in shares.index])
    national = _national_means(tables, used, list(shares.index))
    table = pd.DataFrame({"share": shares, "national_mean": national})
    below = table["share"] < table["national_mean"]
    if below.any():
        return MinistryWeakness(used, "below_national", table.assign(weak=below))
    lowest = table["share"].nsmallest(int(actions.rule(tables, "ministry_weakest"))).index
    return MinistryWeakness(used, "lowest", table.assign(weak=table.index.isin(lowest)))


def _national_means(tables: dict[str, pd.DataFrame], year: int, indicators: list[str]) -> pd.Series:
    """The national average percent of maximum per field: published (summary, VN mean), else computed from a complete
    table of the year (every province the year ranks known); NaN otherwise."""
    summary = tables.get("summary", pd.DataFrame(columns=["area_code", "year", "statistic", "indicator", "value"]))
    published = summary[(summary["area_code"] == "VN") & (summary["year"] == year)
                        & (summary["statistic"] == "mean")].set_index("indicator")["value"]
    shares = analysis.all_shares(tables["par_scores"], year)
    complete = places.unit_count(tables["provinces"], year)
    computed = pd.Series({c: shares[c].mean() for c in shares.columns if shares[c].notna().sum() >= complete},
                         dtype=float)
    return published.reindex(indicators).astype(float).fillna(computed.reindex(indicators)).round(4)


def below_provincial_average(tables: dict[str, pd.DataFrame], unit_set: str, year: int,
                             weakness: MinistryWeakness) -> pd.DataFrame:
    """In each of the province's own fields mapped to a weak Ministry field: the provincial average (mean over the
    set's units with a figure) and the units below it, lowest first. Columns field_code, ministry_field, unit_code,
    share, provincial_mean, gap (share - provincial_mean, negative)."""
    columns = ["field_code", "ministry_field", "unit_code", "share", "provincial_mean", "gap"]
    if weakness.fields.empty:
        return pd.DataFrame(columns=columns)
    weak = set(weakness.fields.index[weakness.fields["weak"]])
    mapped = fields(tables, unit_set, year)
    mapped = mapped[mapped["ministry_field"].isin(weak)]
    shares = field_shares(tables, unit_set, year)
    rows = []
    for code, field_row in mapped.iterrows():
        values = shares[code].dropna()
        if values.empty:
            continue
        mean = round(values.mean(), 4)
        for unit, value in values[values < mean].sort_values().items():
            rows.append((code, field_row["ministry_field"], unit, value, mean, round(value - mean, 4)))
    return pd.DataFrame(rows, columns=columns)


def below_by_unit(below: pd.DataFrame) -> pd.DataFrame:
    """From below_provincial_average: per unit, how many of those fields it is below in and its total gap; the units
    below in most fields first, then the furthest below."""
    table = below.groupby("unit_code").agg(fields_below=("field_code", "size"), gap_total=("gap", "sum"))
    return table.assign(gap_total=table["gap_total"].round(4)).sort_values(
        ["fields_below", "gap_total"], ascending=[False, True])


@dataclass
class UnitProfile:
    """One unit's two years: the index total and each field, against its group's best and average."""

    unit_code: str
    name_vi: str
    name_en: str
    group_code: str
    total: pd.Series            # score, points, rank, group_size, score_base, points_base, rank_base,
    #                             change_score, change_rank, group_best, group_mean, group_known
    fields: pd.DataFrame        # by field_code: name_vi, max_points, points, share, points_base, share_base, change,
    #                             group_best, group_mean, gap_best, gap_mean, group_known, weak
    criteria: pd.DataFrame      # the unit's criteria of the year: criterion_code, field_code, name_vi, max_points,
    #                             self_assessed, points, lost, evidence_gap (most points lost first)


def unit_profile(tables: dict[str, pd.DataFrame], unit_set: str, unit: str, year: int,
                 base_year: int | None, indicator: str = INDEX, ranked: pd.DataFrame | None = None) -> UnitProfile:
    """The unit's figures in both years against its group's best and average in the year, given only when every unit
    the group ranks has a figure (group_known says how many do). A field is weak when its share is below the group's
    average. ranked: the set's ranking (ranking()) when the caller has it already."""
    listed = units(tables, unit_set)
    if ranked is None:
        ranked = ranking(tables, unit_set, year, base_year, indicator)
    ranked = ranked.set_index("unit_code")
    if unit in ranked.index:
        me = ranked.loc[unit]
    else:  # no figure in either year: its report shows the gaps, and its group's figures where known
        group = listed.loc[unit, "group_code"]
        me = pd.Series(np.nan, index=ranked.columns, dtype=object)
        me[["group_code", "group_size"]] = [group, group_sizes(tables, unit_set, year, indicator).get(group, np.nan)]
    peers = ranked[ranked["group_code"] == me["group_code"]]
    total = me[["score", "points", "rank", "group_size", "score_base", "points_base", "rank_base", "change_score",
                "change_rank"]]
    complete = peers["score"].notna().sum() >= me["group_size"]
    total = pd.concat([total, pd.Series({"group_best": peers["score"].max() if complete else np.nan,
                                         "group_mean": round(peers["score"].mean(), 4) if complete else np.nan,
                                         "group_known": int(peers["score"].notna().sum())})])
    own_fields = fields(tables, unit_set, year)
    shares = field_shares(tables, unit_set, year)
    points = _values(tables, unit_set, year, "points")
    table = own_fields[["name_vi", "max_points"]].copy()
    table["points"] = [_column(points, c, pd.Index([unit])).iloc[0] for c in table.index]
    table["share"] = shares.loc[unit] if unit in shares.index else np.nan
    if base_year is None:
        table[["points_base", "share_base"]] = np.nan
    else:
        base_points, base_shares = (_values(tables, unit_set, base_year, m) for m in ("points", SHARE))
        same = same_fields(fields(tables, unit_set, base_year), own_fields)
        table["points_base"] = [_column(base_points, c, pd.Index([unit])).iloc[0] if c in same else np.nan
                                for c in table.index]
        table["share_base"] = [_column(base_shares, c, pd.Index([unit])).iloc[0] if c in same else np.nan
                               for c in table.index]
    table["change"] = (table["share"] - table["share_base"]).round(4)
    group = shares[shares.index.isin(peers.index)]
    table["group_known"] = group.notna().sum()
    complete = table["group_known"] >= me["group_size"]  # a best or an average of part of a group is neither
    table["group_best"] = group.max().where(complete)
    table["group_mean"] = group.mean().round(4).where(complete)
    table["gap_best"] = (table["share"] - table["group_best"]).round(4)
    table["gap_mean"] = (table["share"] - table["group_mean"]).round(4)
    table["weak"] = table["gap_mean"] < 0
    return UnitProfile(unit, listed.loc[unit, "name_vi"], listed.loc[unit, "name_en"], me["group_code"], total,
                       table, unit_criteria(tables, unit_set, unit, year))


def same_fields(base_fields: pd.DataFrame, year_fields: pd.DataFrame) -> set[str]:
    """The year's field codes that name the same field in the base year: the same code and the same name (folded:
    case and diacritics aside). A code reused for another field is not the same field, so no change is computed."""
    def folded(name) -> str:
        return " ".join(fold_diacritics(name).split())

    return {code for code, name in year_fields["name_vi"].items()
            if code in base_fields.index and folded(base_fields.loc[code, "name_vi"]) == folded(name)}


def unit_criteria(tables: dict[str, pd.DataFrame], unit_set: str, unit: str, year: int) -> pd.DataFrame:
    """The unit's criteria scorecard of the year, the criteria with most points lost first; empty without one."""
    criteria = _of_set(tables["internal_criteria"], unit_set)
    rows = criteria[(criteria["year"] == year) & (criteria["unit_code"] == unit)].copy()
    rows["lost"] = (rows["max_points"] - rows["points"]).round(4)
    rows["evidence_gap"] = (rows["self_assessed"] - rows["points"]).round(4)
    columns = ["criterion_code", "field_code", "name_vi", "max_points", "self_assessed", "points", "lost",
               "evidence_gap"]
    return rows.sort_values(["lost", "criterion_code"], ascending=[False, True])[columns].reset_index(drop=True)


def coverage(tables: dict[str, pd.DataFrame], unit_set: str, years_shown: list[int]) -> pd.DataFrame:
    """The processed coverage rows of the set for the years shown (index total and fields); rank_computed: the year's
    ranks in the group were computed from the totals (the results file has no rank column), not stated."""
    table = _of_set(tables["internal_coverage"], unit_set)
    scores = _of_set(tables["internal_scores"], unit_set)
    computed = scores[(scores["measure"] == "rank") & scores["is_derived"]]
    computed = set(zip(computed["year"], computed["indicator"], computed["group_code"]))
    table = table[table["year"].isin(years_shown)].sort_values(["year", "indicator", "group_code"])
    return table.assign(rank_computed=[key in computed for key in zip(table["year"], table["indicator"],
                                                                       table["group_code"])])


def years_with_results(tables: dict, unit_set: str) -> list[int]:
    """The years in which the set has its own index's results (else, for a set known only from a satisfaction
    survey, the survey's years)."""
    return years(tables, unit_set) or years(tables, unit_set, "SIPAS")


def fingerprint(tables: dict[str, pd.DataFrame]) -> tuple:
    """The tables' content as a key (each table's name, shape and row hashes): figures computed from equal tables
    may be kept and reused, and a changed table gives another key."""
    return tuple((name, frame.shape, int(pd.util.hash_pandas_object(frame, index=False).sum()))
                 for name, frame in sorted(tables.items()))
