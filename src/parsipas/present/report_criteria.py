"""The report's criterion-by-criterion section (issue 16): the comparison across methodologies through the analyst's
crosswalk, the evidence gap and the action table. Given plain processed tables, so that it stands apart from
report.ReportData; its HTML uses the report's table classes."""

from __future__ import annotations

import pandas as pd

from parsipas.analyse import criteria
from parsipas.core.formatting import item_label, number, signed
from parsipas.core.messages import is_missing, text
from parsipas.present import engine

DASH = "—"


def _cell(value: float, lang: str, write=number) -> str:
    """A figure, or a dash where the link has no side (a criterion new or dropped): not a missing figure."""
    return DASH if is_missing(value) else write(value, lang)


def _table(header: list[str], rows: list[list[str]], lang: str) -> dict:
    """A table of the section; a figure not published says so in words (the section has no legend for a dash)."""
    return engine.table(header, rows, text("not_published", lang), "comparison")


def _comparison(table: pd.DataFrame, year: int, base_year: int, lang: str) -> dict:
    """One row per link, named by its new criteria (its old ones when dropped), with the old codes beside."""
    header = [text("crit_th_name", lang), text("crit_th_relation", lang), text("crit_th_old", lang, year=base_year),
              text("crit_th_max", lang, year=base_year), text("crit_th_max", lang, year=year),
              text("crit_th_share", lang, year=base_year), text("crit_th_share", lang, year=year),
              text("crit_th_change", lang), text("crit_th_lost", lang, year=year)]
    rows = [[item_label(r.new_codes, r.new_name) if r.new_codes else item_label(r.old_codes, r.old_name),
             text(f"crit_rel_{r.relation}", lang), r.old_codes or DASH, _cell(r.old_max, lang), _cell(r.new_max, lang),
             _cell(r.old_share, lang), _cell(r.new_share, lang), _cell(r.change, lang, signed), _cell(r.new_lost, lang)]
            for r in table.itertuples()]
    return _table(header, rows, lang)


def _gap(card: pd.DataFrame, lang: str) -> list[dict]:
    gap = criteria.evidence_gap(card)
    if gap.empty:
        return [engine.paragraph(text("crit_gap_none", lang))]
    header = [text(k, lang) for k in ("crit_th_name", "crit_th_self", "crit_th_appraised", "crit_th_gap")]
    rows = [[item_label(code, r.name_vi), number(r.self_assessed, lang), number(r.appraised, lang), number(r.gap, lang)]
            for code, r in gap.iterrows()]
    return [engine.paragraph(text("crit_gap_intro", lang)), _table(header, rows, lang)]


def _actions(card: pd.DataFrame, responsibility: pd.DataFrame, province_code: str, year: int, lang: str,
             limit: int) -> list[dict]:
    actions = criteria.actions(card, responsibility, province_code, year)
    assigned = actions["lead_agency"].notna().any()
    unassigned = text("crit_unassigned", lang)
    header = [text(k, lang) for k in ("crit_th_name", "crit_th_lead", "crit_th_support", "crit_th_recoverable",
                                      "crit_th_gap")]
    rows = [[item_label(code, r.name_vi), r.lead_agency if isinstance(r.lead_agency, str) else unassigned,
             r.supporting_agencies if isinstance(r.supporting_agencies, str) else DASH,
             number(r.recoverable, lang), number(r.evidence_gap, lang)] for code, r in actions.head(limit).iterrows()]
    blocks = [engine.paragraph(text("crit_action_intro", lang)), _table(header, rows, lang)]
    if assigned:
        stakes = criteria.stakes(actions)
        header = [text(k, lang) for k in ("crit_th_lead", "crit_th_criteria", "crit_th_recoverable", "crit_th_gap")]
        rows = [[r.lead_agency if isinstance(r.lead_agency, str) else unassigned, str(r.criteria),
                 number(r.recoverable, lang), number(r.evidence_gap, lang)] for r in stakes.itertuples()]
        blocks += [engine.heading(text("crit_stakes_h", lang)), _table(header, rows, lang)]
    return blocks


def criteria_blocks(processed: dict[str, pd.DataFrame], province_code: str, year: int, base_year: int, lang: str,
                    limit: int = 15) -> list[dict]:
    """What the section shows, in order: headings, paragraphs and tables, which templates/sections/blocks.html.j2
    writes out; empty when the province has no scorecard for the year. Without a crosswalk or a responsibility table
    it only says that criteria are compared within one methodology, so the report otherwise reads as before."""
    card = criteria.scorecard(processed["par_scores"], processed["criteria"], province_code, year)
    if card.empty:
        return []
    crosswalk = processed.get("crosswalk", pd.DataFrame(columns=["province_code", "old_year", "new_year"]))
    responsibility = processed.get("responsibility", pd.DataFrame(columns=["province_code", "year", "code"]))
    comparison = criteria.compare(processed["par_scores"], processed["criteria"], crosswalk, province_code,
                                  base_year, year)
    own = responsibility[(responsibility["province_code"] == province_code) & (responsibility["year"] == year)]
    if comparison.empty:
        blocks = [engine.paragraph(text("crit_one_methodology", lang, year=year, base_year=base_year))]
    else:
        apart = comparison["relation"].isin(["new", "dropped"])
        blocks = [engine.heading(text("crit_compare_h", lang, year=year, base_year=base_year)),
                  engine.paragraph(text("crit_compare_intro", lang, year=year, base_year=base_year)),
                  _comparison(comparison[~apart], year, base_year, lang)]
        if apart.any():
            blocks += [engine.heading(text("crit_apart_h", lang)),
                       _comparison(comparison[apart], year, base_year, lang)]
    if not (comparison.empty and own.empty):
        blocks += [engine.heading(text("crit_gap_h", lang, year=year)), *_gap(card, lang),
                   engine.heading(text("crit_action_h", lang, year=year)),
                   *_actions(card, own, province_code, year, lang, limit)]
    return blocks
