"""The analyst's explorer (notebook 04) as tables and sentences: names instead of codes, whole numbers for counts,
unknown flags left blank, and a plain statement of what a view needs when the data cannot give it."""

from __future__ import annotations

import pandas as pd

from . import internal_analysis as ia
from . import internal_charts, paths, reference
from .errors import InputError
from .formatting import item_label, number, rank
from .messages import text
from .subjects import years_with_results

FLAGS = ["below_average", "declined", "bottom_third"]


def years_with_figures(processed: dict[str, pd.DataFrame]) -> list[int]:
    scores = pd.concat([processed["par_scores"], processed["sipas_scores"]])
    return sorted(int(y) for y in scores["year"].unique())


def check_year(processed: dict[str, pd.DataFrame], year: int, parameter: str = "year") -> None:
    """An explorer asked for a year the data does not have says which years it has."""
    years = years_with_figures(processed)
    if year not in years:
        raise InputError("notebook parameters", f"no figures for {year}", option=parameter, found=year,
                         expected="one of the years with figures: " + ", ".join(map(str, years)))


def coverage_table(processed: dict[str, pd.DataFrame], year: int, indicator_names: pd.Series) -> pd.DataFrame:
    """Provinces with each figure in the year, by indicator name (whole numbers; blank where none is published)."""
    coverage = processed["coverage"]
    rows = coverage[(coverage["year"] == year) & ~coverage["indicator"].str.match(r"PAR\.F\d\.")]
    table = rows.pivot_table(index="indicator", columns="measure", values="provinces_known", aggfunc="max")
    table = table.astype("Int64").rename(index=lambda code: indicator_names.get(code, code))
    return table.rename_axis(index="indicator", columns=None)


def weak_table(weak: pd.DataFrame, sort_by: str, ascending: bool) -> pd.DataFrame:
    """The weak-criteria table labelled '1.2 Name' (fields by name alone); a flag whose figures are not known is
    blank rather than False."""
    if sort_by not in weak.columns:
        raise InputError("notebook parameters", "unknown column to sort by", option="sort_by", found=sort_by,
                         expected="one of " + ", ".join(weak.columns))
    table = weak.sort_values(sort_by, ascending=ascending, na_position="last").copy()
    known = {"below_average": table["shortfall"], "declined": table["change_share"], "bottom_third": table["rank"]}
    for flag, basis in known.items():
        table[flag] = table[flag].astype("boolean").mask(basis.isna())
    labels = [item_label(code if level > 1 else "", name)
              for code, name, level in zip(table.index, table["name_vi"], table["level"])]
    return table.drop(columns=["name_vi", "name_en"]).set_axis(labels).rename_axis("field / criterion")


def what_if(target, gains: dict[str, float], field_names: pd.Series) -> str:
    """The what-if on point gains per field, or what it needs when the year's table is not complete."""
    if not target.complete:
        known = [f"score {number(target.score, 'en')}" if target.score is not None else None,
                 f"rank {rank(target.rank, 'en', target.out_of)}" if pd.notna(target.rank) else None]
        said = ", ".join(k for k in known if k) or "neither the province's score nor its rank is published"
        return (f"The what-if needs the complete PAR INDEX table of the year (every province's total): only then "
                f"can a gain be turned into a rank. Put the Ministry's table in data/raw/official/ (see "
                f"templates/official/). Known now: {said}.")
    unknown = sorted(set(gains) - set(target.headroom.index))
    if unknown:
        return f"Unknown field codes in gains: {', '.join(unknown)}; use {', '.join(target.headroom.index)}."
    total, place = target.what_if(gains)
    spelled = "; ".join(f"{field_names.get(code, code)} +{gain:g}" for code, gain in gains.items())
    goal = ("No target is on record for the province and year (set one with target_rank)."
            if target.target_rank is None else
            f"Rank {target.target_rank} needs {target.score_to_reach:.2f} (+{target.points_needed:.2f}).")
    return (f"Score {target.score:.2f}, rank {target.rank:.0f}. {goal} With the gains ({spelled}): {total:.2f}, "
            f"rank {place}.")


def merger_note(data) -> str | None:
    """Across the 2025 merger the explorer says first that ranks and shares do not carry over the break."""
    if data.merger is None or not data.base_year < data.merger <= data.year:
        return None
    names = ", ".join(data.predecessors["name_vi"]) if not data.predecessors.empty else "none published"
    return (f"**Break in {data.merger}**: {data.year} ranks {data.unit_counts[data.year]} units, "
            f"{data.base_year} ranked {data.unit_counts[data.base_year]}. Figures are not compared across the break; "
            f"the {data.base_year} figures shown are the predecessors' own ({names}).")


# The province's own index (issue 15): the explorer switched to a unit set (notebook 04's unit_set parameter).

def unit_set_year(tables: dict[str, pd.DataFrame], unit_set: str, year: int,
                  lang: str = "en") -> tuple[int, str | None]:
    """The year to explore the set in: the year asked for when the set has results for it, else the set's latest
    year, with a sentence saying so. A set known only from its satisfaction survey (SIPAS) is explored in the
    survey's years, and the sentence says so. An unknown set says which sets exist."""
    if unit_set not in ia.unit_sets(tables):
        raise InputError("notebook parameters", "unknown unit set", option="unit_set", found=unit_set,
                         expected="one of " + (", ".join(ia.unit_sets(tables)) or "no set: no internal/ files"))
    known = years_with_results(tables, unit_set)
    if not known:
        raise InputError("notebook parameters", "a unit set without results", option="unit_set", found=unit_set,
                         expected="a set with results of its own index or of its satisfaction survey")
    survey = _indicator(tables, unit_set, known[-1]) == "SIPAS"
    if year in known:
        return year, text("int_explore_survey", lang, unit_set=unit_set) if survey else None
    return known[-1], text("int_explore_year_survey" if survey else "int_explore_year", lang, unit_set=unit_set,
                           year=year, shown=known[-1], years=", ".join(map(str, known)))


def _indicator(tables: dict[str, pd.DataFrame], unit_set: str, year: int) -> str:
    """The index a set is ranked by in the year: its own PAR index, else its satisfaction survey (as the report)."""
    return (ia.indicators_of(tables, unit_set, year) or [ia.INDEX])[0]


def unit_list(tables: dict[str, pd.DataFrame], unit_set: str, year: int) -> pd.DataFrame:
    """Every unit valid in the year, by name, with its group, index (% of maximum; the satisfaction survey's where the
    set has only that), points and rank in the group ('3/21'); blank where the unit has no figure."""
    ranked = ia.ranking(tables, unit_set, year, None, _indicator(tables, unit_set, year))
    groups = ia.groups(tables, unit_set)["name_vi"]
    ranks = [None if pd.isna(r) else rank(r, "en", n) for r, n in zip(ranked["rank"], ranked["group_size"])]
    return pd.DataFrame({"group": ranked["group_code"].map(groups).to_numpy(), "index (%)": ranked["score"].to_numpy(),
                         "points": ranked["points"].to_numpy(), "rank in group": ranks},
                        index=pd.Index(ranked["name_vi"], name="unit"))


def unit_heatmap(tables: dict[str, pd.DataFrame], unit_set: str, year: int) -> str | None:
    """Units x the province's own fields, % of maximum, units in group and rank order (an SVG, or None)."""
    shares = ia.field_shares(tables, unit_set, year)
    order = ia.ranking(tables, unit_set, year, None)["unit_code"]
    fields = ia.fields(tables, unit_set, year)["name_vi"]
    return internal_charts.units_heatmap(shares.reindex(order), ia.units(tables, unit_set)["name_vi"], fields, "vi",
                                         text("int_explore_heatmap", "en", unit_set=unit_set, year=year))


def weak_fields(tables: dict[str, pd.DataFrame], unit_set: str, year: int) -> pd.DataFrame:
    """Per field of the set, weakest average first: maximum, average, lowest, how many units are below that average,
    and the Ministry field it answers to with whether the province is weak there in the Ministry's index. The average
    is headed "provincial average" only when every unit of the set has a result in every field, else "mean of the
    units with a result"."""
    distribution = ia.field_distribution(tables, unit_set, year)
    weakness = ia.ministry_weakness(tables, ia.province_code(tables, unit_set), year)
    shares = ia.field_shares(tables, unit_set, year)
    below = (shares < shares.mean()).sum()
    names = reference.indicators(paths.REFERENCE)["name_vi"]
    weak = set(weakness.fields.index[weakness.fields["weak"]]) if not weakness.fields.empty else set()
    whole = ia.has_unit_list(tables, unit_set) and (distribution["units_known"] == len(shares)).all()
    average = "provincial average (%)" if whole else "mean of the units with a result (%)"
    table = pd.DataFrame({
        "field": distribution["name_vi"], "max points": distribution["max_points"],
        "units known": distribution["units_known"], average: distribution["mean"],
        "lowest (%)": distribution["lowest"], "units below that average": below.reindex(distribution.index),
        "Ministry field": distribution["ministry_field"].map(lambda c: names.get(c, "") if c else ""),
        "province weak there": distribution["ministry_field"].map(lambda c: (c in weak) if c else None)})
    return table.sort_values(average, na_position="last").set_index("field")
