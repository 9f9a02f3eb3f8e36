"""Criterion by criterion across methodologies (issue 16), on the SYNTHETIC criteria fixture: Khánh Hòa's 2021
scorecard (Decision 1149 tree) and 2022 scorecard (Decision 876 tree), a crosswalk and a responsibility table."""

from pathlib import Path

import pytest

from parsipas import clean
from parsipas.analyse import criteria
from parsipas.present.report_criteria import criteria_blocks

FIXTURE = Path(__file__).parent / "fixtures" / "synthetic_criteria"
KHANH_HOA = "56"


@pytest.fixture(scope="module")
def processed():
    return clean.build(FIXTURE)


@pytest.fixture(scope="module")
def cards(processed):
    return {year: criteria.scorecard(processed["par_scores"], processed["criteria"], KHANH_HOA, year)
            for year in (2021, 2022)}


@pytest.fixture(scope="module")
def comparison(processed):
    return criteria.compare(processed["par_scores"], processed["criteria"], processed["crosswalk"], KHANH_HOA,
                            2021, 2022)


def test_crosswalk_and_responsibility_are_loaded_with_relations_in_english(processed):
    crosswalk, responsibility = processed["crosswalk"], processed["responsibility"]
    assert len(crosswalk) == 24 and set(crosswalk["relation"]) == {"same", "renamed", "split", "merged", "new",
                                                                   "dropped"}
    assert crosswalk.loc[crosswalk["relation"] == "new", "old_code"].isna().all()
    assert set(responsibility["code"]) == {"1", "2", "3", "4", "5", "6", "7", "3.2"}


def test_scorecard_keeps_self_assessed_and_appraised_points(cards):
    card = cards[2022]
    assert card.loc["1.1", "self_assessed"] > card.loc["1.1", "appraised"]
    assert card.loc["1.1", "lost"] == pytest.approx(card.loc["1.1", "max_points"] - card.loc["1.1", "appraised"])


def test_comparison_lists_fields_first_then_links_then_new_and_dropped(comparison):
    relations = list(comparison["relation"])
    assert relations[:8] == ["field"] * 8 and list(comparison["new_codes"][:8]) == [str(k) for k in range(1, 9)]
    apart = [r for r in relations if r in ("new", "dropped")]
    assert relations[-len(apart):] == apart and sorted(apart) == ["dropped", "dropped", "new", "new"]


def test_merged_and_split_criteria_are_compared_as_their_groups_sum(comparison, cards):
    merged = comparison[comparison["new_codes"] == "1.2"].iloc[0]
    assert merged["relation"] == "merged" and merged["old_codes"] == "1.2 + 1.3"
    old = cards[2021].loc[["1.2", "1.3"]]
    assert merged["old_max"] == pytest.approx(old["max_points"].sum())
    assert merged["old_share"] == pytest.approx(100 * old["appraised"].sum() / old["max_points"].sum())
    assert merged["change"] == pytest.approx(merged["new_share"] - merged["old_share"])
    split = comparison[comparison["old_codes"] == "2.2"].iloc[0]
    assert split["new_codes"] == "2.2 + 2.3"
    assert split["new_max"] == pytest.approx(cards[2022].loc[["2.2", "2.3"], "max_points"].sum())


def test_without_a_crosswalk_there_is_no_comparison(processed):
    none = processed["crosswalk"].iloc[0:0]
    assert criteria.compare(processed["par_scores"], processed["criteria"], none, KHANH_HOA, 2021, 2022).empty


def test_weakest_criteria_are_the_finest_level_ranked_by_points_lost(cards):
    weak = criteria.weakest(cards[2022])
    assert (weak["level"] == 3).all() and weak["lost"].is_monotonic_decreasing and (weak["lost"] > 0).all()


def test_evidence_gap_is_claimed_minus_granted_fields_first_largest_first(cards):
    gap = criteria.evidence_gap(cards[2022])
    assert (gap["gap"] > 0).all()
    assert gap["gap"].round(4).equals((gap["self_assessed"] - gap["appraised"]).round(4))
    assert list(gap["level"]) == sorted(gap["level"])
    for _, level in gap.groupby("level"):
        assert level["gap"].is_monotonic_decreasing


def test_action_table_takes_the_most_specific_agency_and_invents_none(cards, processed):
    actions = criteria.actions(cards[2022], processed["responsibility"], KHANH_HOA, 2022)
    leads = actions["lead_agency"]
    assert leads[actions.index.str.startswith("3.2.")].eq("Sở D (giả lập)").all()  # its criterion's own agency
    assert leads[actions.index.str.startswith("3.1.")].eq("Sở A (giả lập)").all()  # its field's agency
    assert leads[actions.index.str.startswith("8.")].isna().all()  # field 8 has no agency named
    stakes = criteria.stakes(actions)
    assert stakes["recoverable"].sum() == pytest.approx(actions["recoverable"].sum())
    assert stakes["criteria"].sum() == len(actions) and stakes["lead_agency"].isna().sum() == 1


def _section(processed, code: str, lang: str) -> str:
    """The criterion section as the report renders it (templates/sections/criteria.html.j2)."""
    from parsipas.present import report

    return report.section("criteria", report.prepare(processed, code, 2022, 2021, lang=lang, produced="2026-01-01"))


def test_section_shows_comparison_evidence_gap_and_actions(processed):
    html = _section(processed, KHANH_HOA, "en")
    assert '<section id="criteria"><h2>' in html and "</h2><h3>" in html
    for heading in ("Criteria compared, 2022 with 2021", "Criteria new or dropped", "Points claimed but not granted",
                    "Weakest criteria and the agency that leads", "Points at stake per lead agency"):
        assert f"<h3>{heading}" in html
    assert "Sở D (giả lập)" in html and "no agency named" in html
    assert "Tiêu chí" in _section(processed, KHANH_HOA, "vi")


def test_section_without_crosswalk_or_responsibility_says_one_methodology_only(processed):
    bare = {name: table for name, table in processed.items() if name not in ("crosswalk", "responsibility")}
    html = _section(bare, KHANH_HOA, "en")
    assert "Criteria are compared within one methodology only" in html
    assert "<table" not in html
    assert criteria_blocks(processed, "01", 2022, 2021, "en") == []  # no scorecard for Hà Nội


def test_the_report_carries_the_section_and_lists_it_in_its_contents(processed):
    from parsipas.present import report

    data = report.prepare(processed, KHANH_HOA, 2022, 2021, lang="en", produced="2026-01-01")
    html = report.section("cover", data) + report.section("criteria", data)
    assert '<a href="#criteria">' in html and '<section id="criteria">' in html
    assert "Points claimed but not granted" in html
    other = report.prepare(processed, "01", 2022, 2021, lang="en", produced="2026-01-01")
    assert report.section("criteria", other) == "" and '"#criteria"' not in report.section("cover", other)


def test_section_with_a_crosswalk_but_no_responsibility_table_names_no_agency(processed):
    """Tables made by hand (a notebook's) may have a crosswalk and no responsibility table: the comparison and the
    actions are shown, each action with no agency, none invented."""
    html = _section({name: table for name, table in processed.items() if name != "responsibility"}, KHANH_HOA, "en")
    assert "<h3>Criteria compared, 2022 with 2021" in html and "<h3>Weakest criteria and the agency that leads" in html
    assert "no agency named" in html and "Sở D (giả lập)" not in html
