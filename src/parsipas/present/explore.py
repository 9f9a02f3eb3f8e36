"""The analyst notebooks' views (the explorer, notebook 04; the comparison, 02; the cleaning, 01) as tables and
sentences in the run's language: names instead of codes, headers in words, numbers and ranks written for the language
(display.py), unknown figures and flags left blank, and a plain statement of what a view needs when the data cannot
give it."""

from __future__ import annotations

from html import escape

import pandas as pd
from IPython.display import HTML

from parsipas.analyse import criteria, methodology, places
from parsipas.analyse import internal_analysis as ia
from parsipas.core.errors import InputError
from parsipas.core.formatting import item_label, number, rank, signed
from parsipas.core.messages import text
from parsipas.present import display, internal_charts
from parsipas.present.display import Column


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
    """Provinces with each figure in the year, by indicator name (indices, their parts and fields; what lies under a
    field, its criteria and parts, left out): whole numbers, 0 where no province has it."""
    coverage, fields = processed["coverage"], methodology.par_fields(methodology.indicators(processed))
    criterion = methodology.under_fields(coverage["indicator"], fields) & ~coverage["indicator"].isin(fields)
    rows = coverage[(coverage["year"] == year) & ~criterion]
    table = rows.pivot_table(index="indicator", columns="measure", values="provinces_known", aggfunc="max",
                             fill_value=0)
    table = table.astype(int).rename(index=lambda code: indicator_names.get(code, code))
    return table.rename_axis(index="indicator", columns=None)


def show_coverage(processed: dict[str, pd.DataFrame], year: int, indicator_names: pd.Series, lang: str) -> HTML:
    table = coverage_table(processed, year, indicator_names)
    columns = {measure: Column(f"nb_col_known_{measure}", "count") for measure in table.columns}
    return display.table(table, columns, lang, text("nb_no_coverage", lang, year=year), Column("col_indicator"))


def weak_table(weak: pd.DataFrame, sort_by: str, ascending: bool, lang: str = "vi") -> pd.DataFrame:
    """The weak-criteria table labelled '1.2 Name' (fields by name alone) in the language; a flag whose figures are
    not known is blank rather than False."""
    if sort_by not in weak.columns:
        raise InputError("notebook parameters", "unknown column to sort by", option="sort_by", found=sort_by,
                         expected="one of " + ", ".join(weak.columns))
    table = weak.sort_values(sort_by, ascending=ascending, na_position="last").copy()
    known = {"below_average": table["shortfall"], "declined": table["change_share"], "bottom_third": table["rank"]}
    for flag, basis in known.items():
        table[flag] = table[flag].astype("boolean").mask(basis.isna())
    labels = [item_label(code if level > 1 else "", name)
              for code, name, level in zip(table.index, table[f"name_{lang}"], table["level"])]
    return table.drop(columns=["name_vi", "name_en"]).set_axis(labels).rename_axis("field / criterion")


def show_weak(weak: pd.DataFrame, sort_by: str, ascending: bool, lang: str, year: int, base_year: int,
              out_of: int) -> HTML:
    """Every field and criterion of the province with its points, shares, the gap to the national average (signed as in
    the report: below is negative), rank (out of the year's units) and flags, or why there is none."""
    columns = {"share": Column("col_share", "number", {"year": year}), "points": Column("col_points", "number"),
               "max_points": Column("col_max", "number"), "recoverable": Column("col_recoverable", "number"),
               "national_mean": Column("nb_col_national_mean", "number"),
               "vs_national": Column("nb_col_gap_national", "signed", {"year": year}),
               "change_share": Column("nb_col_change_since", "signed", {"base_year": base_year}),
               "rank": Column("col_rank", "rank", {"year": year}, out_of),
               "below_average": Column("nb_col_below", "flag"),
               "declined": Column("nb_col_declined", "flag", {"base_year": base_year}),
               "bottom_third": Column("nb_col_bottom", "flag")}
    table = weak_table(weak, sort_by, ascending, lang)
    return display.table(table.assign(vs_national=-table["shortfall"]), columns, lang,
                         text("weak_none", lang, year=year), Column("col_item"))


def show_comparison(data, index: str, lang: str) -> HTML:
    """The province's figures of one index (PAR or SIPAS) in both years, with the changes (ranks up are positive),
    or the sentence saying neither year has one."""
    y, b, out_of = data.year, data.base_year, (data.unit_counts[data.base_year], data.unit_counts[data.year])
    value = "col_share" if index == "PAR" else "col_percent"
    rows = data.comparison[data.comparison["index"] == index]
    if rows[["share_base", "rank_base", "share_year", "rank_year"]].isna().all().all():
        rows = rows.iloc[0:0]
    columns = {"share_base": Column(value, "number", {"year": b}),
               "rank_base": Column("col_rank", "rank", {"year": b}, out_of[0]),
               "share_year": Column(value, "number", {"year": y}),
               "rank_year": Column("col_rank", "rank", {"year": y}, out_of[1]),
               "change_share": Column("col_change", "signed"), "change_rank": Column("col_rank_change", "rank_change"),
               "gap_national_year": Column("nb_col_gap_national", "signed", {"year": y}),
               "method_changed": Column("nb_col_method_changed", "flag")}
    empty = text("par_none" if index == "PAR" else "sipas_none", lang, year=y, base_year=b,
                 unit=text(f"unit_{data.unit}", lang))
    return display.table(rows.set_index(f"name_{lang}"), columns, lang, empty, Column("col_indicator"))


def show_target(data, lang: str) -> HTML:
    """The target in one sentence, then the headroom by field (complete tables) or the provinces published at the
    target rank (public record), each with a sentence when it is empty."""
    t, y = data.target, data.year
    known = text("nb_not_known", lang)
    facts = {"complete": text("nb_yes" if t.complete else "nb_no", lang),
             "score": known if pd.isna(t.score) else number(t.score, lang),
             "rank": known if pd.isna(t.rank) else rank(t.rank, lang, t.out_of)}
    if t.target_rank is None:
        line = text("nb_target_line_no_target", lang, **facts)
    else:
        line = text("nb_target_line", lang, **facts, target=t.target_rank,
                    needed=known if t.score_to_reach is None else number(t.score_to_reach, lang),
                    gap=known if t.points_needed is None else number(t.points_needed, lang))
    if t.complete:
        table = _headroom(t.headroom, data.indicator_names[f"name_{lang}"], lang, y)
    elif t.target_rank is None:
        table = ""
    else:
        published = t.published_at_target.assign(
            province=t.published_at_target["province_code"].map(data.province_names)).set_index("province")
        table = display.table_html(published, {"score": Column("nb_col_score", "number", {"year": y})}, lang,
                                   text("nb_no_at_target", lang, target=t.target_rank, year=y),
                                   Column("nb_col_province"))
    return HTML(f"<p>{escape(line)}</p>{table}")


def _headroom(headroom: pd.DataFrame, names: pd.Series, lang: str, year: int) -> str:
    columns = {"points": Column("col_points", "number"), "max_points": Column("col_max", "number"),
               "headroom": Column("col_headroom", "number")}
    return display.table_html(headroom.rename(index=names), columns, lang, text("nb_no_headroom", lang, year=year),
                              Column("col_item"))


def show_headroom(target, names: pd.Series, lang: str, year: int) -> HTML:
    return HTML(_headroom(target.headroom, names, lang, year))


def show_weakest_field(data, lang: str) -> HTML:
    """The province's weakest field (lowest % of maximum) among every province known, or why there is none."""
    fields = data.weak[data.weak["level"] == 1]
    if fields.empty or fields["share"].isna().all():
        return display.sentence("nb_no_weakest", lang, year=data.year)
    weakest = fields["share"].idxmin()
    column = data.shares[weakest].dropna().sort_values(ascending=False) if weakest in data.shares else pd.Series()
    title = f"<p><strong>{escape(fields.loc[weakest, f'name_{lang}'])}</strong></p>"
    table = display.table_html(column.rename(index=data.province_names).to_frame("share"),
                               {"share": Column("col_share", "number", {"year": data.year})}, lang,
                               text("nb_no_weakest", lang, year=data.year), Column("nb_col_province"),
                               marked=data.province_names[data.province_code])
    return HTML(title + table)


def what_if(target, gains: dict[str, float], field_names: pd.Series, lang: str = "en") -> str:
    """The what-if on point gains per field, or what it needs when the year's table is not complete."""
    if not target.complete:
        known = [text("nb_whatif_score", lang, score=number(target.score, lang)) if target.score is not None else None,
                 text("nb_whatif_rank", lang, rank=rank(target.rank, lang, target.out_of))
                 if pd.notna(target.rank) else None]
        said = ", ".join(k for k in known if k) or text("nb_whatif_nothing", lang)
        return text("nb_whatif_incomplete", lang, known=said)
    unknown = sorted(set(gains) - set(target.headroom.index))
    if unknown:
        return text("nb_whatif_unknown", lang, unknown=", ".join(unknown), known=", ".join(target.headroom.index))
    total, place = target.what_if(gains)
    spelled = "; ".join(f"{field_names.get(code, code)} {signed(gain, lang)}" for code, gain in gains.items())
    if target.target_rank is None:
        goal = text("nb_whatif_no_target", lang)
    else:
        needed = text("nb_whatif_met", lang) if target.points_needed == 0 else \
            text("nb_whatif_gap", lang, points=number(target.points_needed, lang))
        goal = text("nb_whatif_goal", lang, target=target.target_rank, to_reach=number(target.score_to_reach, lang),
                    needed=needed)
    return text("nb_whatif", lang, score=number(target.score, lang), rank=rank(target.rank, lang, target.out_of),
                goal=goal, gains=spelled, total=number(total, lang), place=rank(place, lang, target.out_of))


def merger_note(data, lang: str = "en") -> str | None:
    """Across the 2025 merger the explorer says first that ranks and shares do not carry over the break."""
    if data.merger is None or not data.base_year < data.merger <= data.year:
        return None
    names = ", ".join(data.predecessors["name_vi"]) if not data.predecessors.empty else text("nb_merger_none", lang)
    return text("nb_merger", lang, merger=data.merger, year=data.year, units=data.unit_counts[data.year],
                base_year=data.base_year, base_units=data.unit_counts[data.base_year], names=names)


# The province's own index (issue 15): the explorer switched to a unit set (notebook 04's unit_set parameter).

def unit_set_year(tables: dict[str, pd.DataFrame], unit_set: str, year: int,
                  lang: str = "en") -> tuple[int, str | None]:
    """The year to explore the set in: the year asked for when the set has results for it, else the set's latest
    year, with a sentence saying so. A set known only from its satisfaction survey (SIPAS) is explored in the
    survey's years, and the sentence says so. An unknown set says which sets exist."""
    if unit_set not in ia.unit_sets(tables):
        raise InputError("notebook parameters", "unknown unit set", option="unit_set", found=unit_set,
                         expected="one of " + (", ".join(ia.unit_sets(tables)) or "no set: no internal/ files"))
    known = ia.years_with_results(tables, unit_set)
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


def unit_list(tables: dict[str, pd.DataFrame], unit_set: str, year: int, lang: str = "vi") -> pd.DataFrame:
    """Every unit valid in the year, by name, with its group, index (% of maximum; the satisfaction survey's where the
    set has only that), points and rank in the group ('3/21'); blank where the unit has no figure."""
    ranked = ia.ranking(tables, unit_set, year, None, _indicator(tables, unit_set, year))
    groups = ia.groups(tables, unit_set)[f"name_{lang}"]
    ranks = [None if pd.isna(r) else rank(r, lang, n) for r, n in zip(ranked["rank"], ranked["group_size"])]
    return pd.DataFrame({"group": ranked["group_code"].map(groups).to_numpy(), "index (%)": ranked["score"].to_numpy(),
                         "points": ranked["points"].to_numpy(), "rank in group": ranks},
                        index=pd.Index(ranked[f"name_{lang}"], name="unit"))


def show_unit_list(tables: dict[str, pd.DataFrame], unit_set: str, year: int, lang: str) -> HTML:
    columns = {"group": Column("col_int_group"), "index (%)": Column("col_int_score", "number", {"year": year}),
               "points": Column("col_int_points", "number", {"year": year}),
               "rank in group": Column("col_int_rank", "text", {"year": year})}
    return display.table(unit_list(tables, unit_set, year, lang), columns, lang,
                         text("nb_no_unit_list", lang, unit_set=unit_set, year=year), Column("col_int_unit"))


def unit_heatmap(tables: dict[str, pd.DataFrame], unit_set: str, year: int, lang: str = "vi") -> str | None:
    """Units x the province's own fields, % of maximum, units in group and rank order (an SVG, or None)."""
    shares = ia.field_shares(tables, unit_set, year)
    order = ia.ranking(tables, unit_set, year, None)["unit_code"]
    fields, names = ia.fields(tables, unit_set, year)["name_vi"], ia.units(tables, unit_set)[f"name_{lang}"]
    return internal_charts.units_heatmap(shares.reindex(order), names, fields, lang,
                                         text("int_explore_heatmap", lang, unit_set=unit_set, year=year))


def weak_fields(tables: dict[str, pd.DataFrame], unit_set: str, year: int, lang: str = "vi") -> pd.DataFrame:
    """Per field of the set, weakest average first: maximum, average, lowest, how many units are below that average,
    and the Ministry field it answers to with whether the province is weak there in the Ministry's index. The average
    is headed "provincial average" only when every unit of the set has a result in every field, else "mean of the
    units with a result"."""
    distribution = ia.field_distribution(tables, unit_set, year)
    weakness = ia.ministry_weakness(tables, ia.province_code(tables, unit_set), year)
    shares = ia.field_shares(tables, unit_set, year)
    below = (shares < shares.mean()).sum()
    names = methodology.indicators(tables)[f"name_{lang}"]
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


def show_weak_fields(tables: dict[str, pd.DataFrame], unit_set: str, year: int, lang: str) -> HTML:
    table = weak_fields(tables, unit_set, year, lang)
    average = "provincial average (%)" if "provincial average (%)" in table else "mean of the units with a result (%)"
    columns = {"max points": Column("col_int_max", "number"), "units known": Column("col_int_known", "count"),
               average: Column("col_int_provincial_mean" if average.startswith("provincial") else "col_int_known_mean",
                               "number"),
               "lowest (%)": Column("col_int_lowest", "number"),
               "units below that average": Column("nb_col_units_below", "count"),
               "Ministry field": Column("col_int_ministry_field"),
               "province weak there": Column("nb_col_ministry_weak", "flag")}
    return display.table(table, columns, lang, text("nb_no_weak_fields", lang, unit_set=unit_set, year=year),
                         Column("col_int_field"))


# Criterion by criterion (notebook 04, with a province's scorecards, crosswalk and responsibility table).

def show_criteria(processed: dict[str, pd.DataFrame], province_code: str, year: int, base_year: int,
                  lang: str) -> HTML:
    """The criteria of the two years compared through the crosswalk, the evidence gap, and the action table with the
    points at stake per lead agency; one sentence in place of each part the data cannot give."""
    card = criteria.scorecard(processed["par_scores"], processed["criteria"], province_code, year)
    if card.empty:
        return display.sentence("nb_no_scorecard", lang, year=year)
    compared = criteria.compare(processed["par_scores"], processed["criteria"], processed["crosswalk"],
                                province_code, base_year, year)
    compared = compared.assign(relation=compared["relation"].map(lambda r: text(f"nb_relation_{r}", lang)))
    actions = criteria.actions(card, processed["responsibility"], province_code, year)
    parts = [
        ("nb_h_compared", compared.set_index("relation"),
         {"old_codes": Column("nb_col_codes", values={"year": base_year}),
          "new_codes": Column("nb_col_codes", values={"year": year}),
          "old_name": Column("nb_col_name", values={"year": base_year}),
          "new_name": Column("nb_col_name", values={"year": year}),
          "old_max": Column("nb_col_max_year", "number", {"year": base_year}),
          "new_max": Column("nb_col_max_year", "number", {"year": year}),
          "old_share": Column("col_share", "number", {"year": base_year}),
          "new_share": Column("col_share", "number", {"year": year}),
          "change": Column("col_change", "signed"), "new_lost": Column("nb_col_lost_year", "number", {"year": year})},
         Column("nb_col_relation"), text("nb_no_crosswalk", lang, base_year=base_year, year=year)),
        ("nb_h_evidence", _labelled(criteria.evidence_gap(card)),
         {"max_points": Column("col_max", "number"), "self_assessed": Column("col_int_self", "number"),
          "appraised": Column("col_int_granted", "number"), "lost": Column("col_int_lost", "number"),
          "share": Column("col_share", "number", {"year": year}), "gap": Column("nb_col_evidence_gap", "number")},
         Column("col_item"), text("nb_no_evidence", lang)),
        ("nb_h_actions", _labelled(actions),
         {"lead_agency": Column("nb_col_lead"), "supporting_agencies": Column("nb_col_support"),
          "recoverable": Column("col_recoverable", "number"), "evidence_gap": Column("nb_col_evidence_gap", "number")},
         Column("col_item"), text("nb_no_actions", lang)),
        (None, criteria.stakes(actions).set_index("lead_agency"),
         {"criteria": Column("nb_col_criteria", "count"), "recoverable": Column("col_recoverable", "number"),
          "evidence_gap": Column("nb_col_evidence_gap", "number")},
         Column("nb_col_lead"), text("nb_no_actions", lang))]
    return HTML("".join((f"<p><strong>{escape(text(title, lang))}</strong></p>" if title else "")
                        + display.table_html(frame, columns, lang, empty, index)
                        for title, frame, columns, index, empty in parts))


def _labelled(card: pd.DataFrame) -> pd.DataFrame:
    """A scorecard's rows labelled '1.2 Name' (the scorecard names criteria in Vietnamese only)."""
    return card.set_axis([item_label(str(code), name) for code, name in zip(card.index, card["name_vi"])])


# The cleaning notebook (01): what was built, how much of each year it covers, and what the rule decided.

def show_row_counts(tables: dict[str, pd.DataFrame], lang: str) -> HTML:
    counts = pd.DataFrame({"rows": [len(frame) for frame in tables.values()]}, index=list(tables))
    return display.table(counts, {"rows": Column("nb_col_rows", "count")}, lang, text("nb_no_unused", lang),
                         Column("nb_col_table"))


def coverage_by_year(coverage: pd.DataFrame) -> pd.DataFrame:
    """Provinces with a PAR INDEX or SIPAS total (rank, points, percent) per year: 0 where none has it."""
    totals = coverage[coverage["indicator"].isin(["PAR", "SIPAS"]) & coverage["measure"].isin(
        ["rank", "points", "percent"])]
    table = totals.pivot_table(index="year", columns=["indicator", "measure"], values="provinces_known",
                               aggfunc="max", fill_value=0).astype(int)
    return table.set_axis([f"{indicator} {measure}" for indicator, measure in table.columns], axis=1)


def show_coverage_by_year(coverage: pd.DataFrame, lang: str) -> HTML:
    table = coverage_by_year(coverage)
    names = {"PAR": "PAR INDEX", "SIPAS": "SIPAS"}
    columns = {column: Column("nb_col_coverage", "count", {"indicator": names[column.split()[0]],
                                                           "measure": text(f"nb_measure_{column.split()[1]}", lang)})
               for column in table.columns}
    return display.table(table.set_axis(table.index.astype(str)), columns, lang,
                         text("nb_no_coverage", lang, year="—"), Column("col_year"))


def show_internal_coverage(tables: dict[str, pd.DataFrame], lang: str) -> HTML:
    """Per unit set, year, index and group: units with a figure of the group's size (gaps stay gaps)."""
    coverage = tables["internal_coverage"]
    names = {unit_set: ia.groups(tables, unit_set)[f"name_{lang}"] for unit_set in coverage["unit_set"].unique()}
    named = coverage.assign(group=[names[unit_set].get(code, code)
                                   for unit_set, code in zip(coverage["unit_set"], coverage["group_code"])])
    columns = {"year": Column("col_year"), "indicator": Column("col_indicator"), "group": Column("col_int_group"),
               "units_known": Column("nb_col_units_known", "count"), "group_size": Column("nb_col_group_size", "count"),
               "is_complete": Column("nb_col_complete", "flag")}
    return display.table(named.set_index("unit_set"), columns, lang, text("nb_no_internal", lang),
                         Column("nb_col_unit_set"))


def show_conflicts(tables: dict[str, pd.DataFrame], lang: str) -> HTML:
    """Every figure that lost to another for the same key (processed conflicts), by name (area, indicator, measure),
    each value as its source wrote it, and the rule's step in words."""
    conflicts = tables["conflicts"]
    indicators = methodology.indicators(tables)[f"name_{lang}"]
    named = conflicts.assign(area=[places.province_name(tables["provinces"], code, year) for code, year in
                                   zip(conflicts["area_code"], conflicts["year"])],
                             indicator=conflicts["indicator"].map(lambda code: indicators.get(code, code)),
                             measure=conflicts["measure"].map(lambda measure: text(f"nb_value_{measure}", lang)),
                             rule=conflicts["rule"].map(lambda step: text(f"nb_rule_{step}", lang)))
    columns = {"year": Column("col_year"), "indicator": Column("col_indicator"), "measure": Column("nb_col_measure"),
               "value_kept": Column("nb_col_value_kept", "figure"), "sources_kept": Column("nb_col_sources_kept"),
               "value_rejected": Column("nb_col_value_rejected", "figure"),
               "sources_rejected": Column("nb_col_sources_rejected"), "rule": Column("nb_col_rule")}
    return display.table(named.set_index("area"), columns, lang, text("nb_no_conflicts", lang), Column("nb_col_area"))


def show_unused_reasons(unused: pd.DataFrame, lang: str) -> HTML:
    """How many raw rows gave no figure, by the first words of their reason."""
    counts = unused["reason"].str.split(":").str[0].value_counts().to_frame("rows")
    return display.table(counts, {"rows": Column("nb_col_rows", "count")}, lang, text("nb_no_unused", lang),
                         Column("nb_col_reason"))
