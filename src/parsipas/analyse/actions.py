"""What to do first: the one rule choosing a report's actions among the weak fields, criteria and SIPAS elements,
its thresholds read from the processed action_rules table (data/reference/action_rules.csv writes the rule out)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class ActionRules:
    """The thresholds of the rule that chooses the actions (data/reference/action_rules.csv, where the rule is
    written out)."""

    bottom_quarter: float
    points_lost: float
    share_below: float
    drop: float
    max_actions: int
    sipas_weakest: int

    @classmethod
    def from_table(cls, table: pd.DataFrame) -> ActionRules:
        values = table.set_index("rule")["value"].astype(float)
        return cls(values["bottom_quarter"], values["points_lost"], values["share_below"], values["drop"],
                   int(values["max_actions"]), int(values["sipas_weakest"]))


def rule(tables: dict[str, pd.DataFrame], name: str) -> float:
    """One editorial threshold of the processed action_rules table (data/reference/action_rules.csv)."""
    rules = tables["action_rules"]
    return float(rules.loc[rules["rule"] == name, "value"].iloc[0])


ACTION_TESTS = ("bottom_quarter", "points_lost", "share_below", "drop")


def choose_actions(weak: pd.DataFrame, comparison: pd.DataFrame, rules: ActionRules, out_of: int) -> pd.DataFrame:
    """What to do first, by one rule (action_rules.csv): a field or criterion is an action when it is ranked in the
    bottom quarter (whatever its percentage), lost at least rules.points_lost points, reached less than
    rules.share_below % of its maximum, or fell at least rules.drop points since the base year. Ordered by how many
    tests it meets, then points lost, rank (worst first) and share; the first rules.max_actions are kept, and every
    bottom-quarter one. Then the rules.sipas_weakest lowest SIPAS elements known for the year (aspects where no
    element is). Each row carries the tests it met (the columns of ACTION_TESTS, and sipas_weakest)."""
    tests = pd.DataFrame({
        "bottom_quarter": weak["rank"] > out_of * (1 - rules.bottom_quarter),
        "points_lost": weak["recoverable"] >= rules.points_lost,
        "share_below": weak["share"] < rules.share_below,
        "drop": weak["change_share"] <= -rules.drop}, index=weak.index).fillna(False).astype(bool)
    chosen = weak.join(tests)[tests.any(axis=1)].assign(met=tests.sum(axis=1), sipas_weakest=False)
    chosen = chosen.assign(_lost=chosen["recoverable"].fillna(-1), _rank=chosen["rank"].fillna(0))
    chosen = chosen.sort_values(["met", "_lost", "_rank", "share"], ascending=[False, False, False, True],
                                kind="stable")
    kept = chosen[(np.arange(len(chosen)) < rules.max_actions) | chosen["bottom_quarter"]]
    sipas = comparison[(comparison["index"] == "SIPAS") & comparison["share_year"].notna()]
    level = "element" if (sipas["level"] == "element").any() else "aspect"
    weakest = sipas[sipas["level"] == level].sort_values("share_year", kind="stable").head(rules.sipas_weakest)
    sipas_rows = pd.DataFrame({"name_vi": weakest["name_vi"], "name_en": weakest["name_en"], "level": 0,
                               "share": weakest["share_year"], "rank": weakest["rank_year"],
                               "shortfall": -weakest["gap_national_year"], "sipas_weakest": True,
                               **{test: False for test in ACTION_TESTS}}, index=weakest.index)
    columns = ["name_vi", "name_en", "level", "points", "max_points", "share", "recoverable", "shortfall",
               "change_share", "rank", *ACTION_TESTS, "sipas_weakest"]
    return pd.concat([kept, sipas_rows]).reindex(columns=columns)
