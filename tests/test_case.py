"""The single-patient form: reading it, assessing it, sharing it, exporting it.

Expected categories and percentages are worked out by hand in the comments, never by the
code under test.
"""

from __future__ import annotations

import base64
import json
import zlib
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission import CRITERIA, TOO_SMALL, InvalidInput, Lesion, Response, examples
from remission import case as cases
from remission.case import Case, LesionEntry, VisitEntry


def two_lesions(
    t1: str = "20",
    t2: str = "11",
    *,
    unit: str = "mm",
    criteria: str = "recist1.1",
    day: int | None = 56,
) -> Case:
    return Case(
        lesions=(
            LesionEntry("T1", "liver", baseline="52", sizes=(t1,)),
            LesionEntry("T2", "lung", baseline="31", sizes=(t2,)),
        ),
        visits=(VisitEntry(day=day),),
        unit=unit,
        criteria=criteria,
    )


def problems(case: Case) -> list[str]:
    with pytest.raises(InvalidInput) as caught:
        cases.to_visits(case)
    return [str(problem) for problem in caught.value.problems]


# --------------------------------------------------------------------------- reading the form


def test_worked_example_is_a_partial_response() -> None:
    # 52 + 31 = 83 mm → 20 + 11 = 31 mm: (31 − 83) / 83 = −62.65 % → PR (≥ 30 % smaller).
    series = cases.assess(two_lesions())
    visit = series.visits[0]
    assert visit.response is Response.PR
    assert visit.sum_mm == 31.0
    assert visit.baseline_sum_mm == 83.0
    assert round(visit.percent_change or 0, 1) == -62.7


def test_centimetres_are_converted_exactly() -> None:
    # 5.2 + 3.1 cm = 83 mm → 2.0 + 1.1 cm = 31 mm: the same −62.7 % as in millimetres.
    case = Case(
        lesions=(
            LesionEntry("T1", baseline="5.2", sizes=("2.0",)),
            LesionEntry("T2", baseline="3.1", sizes=("1.1",)),
        ),
        visits=(VisitEntry(day=56),),
        unit="cm",
        criteria="recist1.1",
    )
    visit = cases.assess(case).visits[0]
    assert (visit.baseline, visit.current) == (Fraction(83), Fraction(31))
    assert visit.response is Response.PR


def test_split_and_merged_cells() -> None:
    # RECIST 1.1 section 4.3.2. Baseline 52 + 31 = 83 mm. T1 split into 20 + 8.1 mm and
    # T2 at 30 mm: 58.1 mm = 83 × 0.7 exactly, −30 %: PR. T2 merged into T1: it counts
    # 0 mm; T1 measured as one, 58.1 mm: again −30 %.
    assert cases.assess(two_lesions("20 + 8.1", "30")).visits[0].response is Response.PR
    merged = cases.assess(two_lesions("58.1", "merged into T1")).visits[0]
    assert (merged.current, merged.response) == (Fraction("58.1"), Response.PR)
    assert "T2: 0 mm (longest diameter, merged into T1)" in merged.explanation.lesions


@pytest.mark.parametrize(
    ("t1", "t2", "message"),
    [
        ("20 +", "30", "'20 +' is not a list of fragments"),
        ("20 + 8 x 3", "30", "'20 + 8 x 3' is not a list of fragments"),
        ("20 + -8", "30", "is negative (-8)"),
        ("20", "merged into T7", "'T7' is not another target lesion"),
        ("merged into T1", "30", "'T1' is not another target lesion"),
    ],
)
def test_bad_split_and_merged_cells_are_named(t1: str, t2: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        cases.assess(two_lesions(t1, t2))
    assert [p.message for p in caught.value.problems] == [message]


def test_a_long_table_with_a_split_and_a_merger_opens_in_the_form() -> None:
    table = pd.DataFrame(
        [
            ("P", "baseline", 0, "T1", "target", 52, "", ""),
            ("P", "baseline", 0, "T2", "target", 31, "", ""),
            ("P", "week 8", 56, "T1", "target", 20, "a", ""),
            ("P", "week 8", 56, "T1", "target", 8.1, "b", ""),
            ("P", "week 8", 56, "T2", "target", 0, "", "T1"),
        ],
        columns=["patient", "visit", "day", "lesion", "role", "size_mm", "fragment", "merged_into"],
    )
    case = cases.from_long(table, "P")
    assert [row.sizes for row in case.lesions] == [("20 + 8.1",), ("merged into T1",)]


@pytest.mark.parametrize("typed", ["x", "5 x", "x 5"])
def test_a_half_typed_pair_of_diameters_is_quoted(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        cases.assess(two_lesions(typed))
    [problem] = caught.value.problems
    assert problem.message == f"{typed!r} is not two diameters"


def test_a_merger_with_no_other_target_says_so() -> None:
    case = Case(
        lesions=(LesionEntry("T1", baseline="12", sizes=("merged into T9",)),),
        visits=(VisitEntry(day=56),),
        unit="mm",
        criteria="recist1.1",
    )
    with pytest.raises(InvalidInput) as caught:
        cases.assess(case)
    [problem] = caught.value.problems
    assert problem.fix == "there is no other target lesion to merge with: enter the lesion's size"


def test_sizes_typed_for_a_non_target_lesion_are_not_silently_ignored() -> None:
    case = Case(
        lesions=(
            LesionEntry("T1", baseline="30", sizes=("20",)),
            LesionEntry("NT1", role="non-target", baseline="12", sizes=("present",)),
        ),
        visits=(VisitEntry(day=56, non_target="present"),),
        unit="mm",
        criteria="recist1.1",
    )
    with pytest.raises(InvalidInput) as caught:
        cases.assess(case)
    [problem] = caught.value.problems
    assert (problem.where, problem.message) == (
        "lesion NT1",
        "has sizes (12), but non-target lesions are not measured",
    )


def test_a_split_at_baseline_is_refused() -> None:
    case = Case(
        lesions=(LesionEntry("T1", baseline="20 + 10", sizes=("12",)),),
        visits=(VisitEntry(day=56),),
        criteria="recist1.1",
    )
    with pytest.raises(InvalidInput, match="a lesion splits or merges only after baseline"):
        cases.assess(case)


def test_exactly_thirty_percent_is_pr_under_recist() -> None:
    # 33 → 23.1 mm is exactly −30 %: "at least 30 %" includes it.
    case = Case(
        (LesionEntry("T1", baseline="33", sizes=("23.1",)),),
        (VisitEntry(day=56),),
        "mm",
        "recist1.1",
    )
    assert cases.assess(case).visits[0].response is Response.PR


def test_basic_rule_needs_half() -> None:
    # Basic rule: 100 → 50 is exactly 50 % smaller (PR); 100 → 50.1 is 49.9 % (SD).
    half = Case((LesionEntry("T1", baseline="100", sizes=("50",)),), (VisitEntry(day=56),), "mm")
    short = Case((LesionEntry("T1", baseline="100", sizes=("50.1",)),), (VisitEntry(day=56),), "mm")
    assert cases.assess(half).visits[0].response is Response.PR
    assert cases.assess(short).visits[0].response is Response.SD


def test_too_small_is_five_mm_under_recist_but_gone_under_basic() -> None:
    # RECIST 1.1 counts "too small" as 5 mm: 20 → 5 mm is −75 %, PR (not CR).
    # The basic rule counts it as gone: CR.
    recist = Case(
        (LesionEntry("T1", baseline="20", sizes=("too small",)),),
        (VisitEntry(day=56),),
        "mm",
        "recist1.1",
    )
    basic = Case(
        (LesionEntry("T1", baseline="20", sizes=("Too-Small",)),),
        (VisitEntry(day=56),),
        "mm",
        "basic",
    )
    assert cases.assess(recist).visits[0].response is Response.PR
    assert cases.assess(recist).visits[0].sum_mm == 5.0
    assert cases.assess(basic).visits[0].response is Response.CR


def test_not_assessed_makes_the_visit_not_evaluable_on_purpose() -> None:
    # T1 20 → 10, T2 30 → not assessed: the assessed 10 mm is not PD, so NE.
    case = Case(
        (
            LesionEntry("T1", baseline="20", sizes=("10",)),
            LesionEntry("T2", baseline="30", sizes=("not assessed",)),
        ),
        (VisitEntry(day=56),),
        "mm",
        "recist1.1",
    )
    visits = cases.to_visits(case)
    assert visits[1].targets["T2"] is None
    assert cases.assess(case).visits[0].response is Response.NE


def test_growth_from_the_nadir_is_progression() -> None:
    # RECIST 1.1: 50 → 30 (PR, −40 %) → 36: +6 mm and +20 % above the nadir of 30 → PD.
    case = Case(
        (LesionEntry("T1", baseline="50", sizes=("30", "36")),),
        (VisitEntry(day=56), VisitEntry(day=112)),
        "mm",
        "recist1.1",
    )
    assert [v.response for v in cases.assess(case).visits] == [Response.PR, Response.PD]


def test_non_target_progression_and_new_lesions_are_progression() -> None:
    nt = LesionEntry("NT1", "bone", role="non-target")
    target = LesionEntry("T1", baseline="40", sizes=("38", "38"))
    case = Case(
        (target, nt),
        (VisitEntry(day=56, non_target="present"), VisitEntry(day=112, non_target="progression")),
        "mm",
        "recist1.1",
    )
    # 40 → 38 is −5 %: SD with non-target present; then unequivocal non-target growth: PD.
    assert [v.response for v in cases.assess(case).visits] == [Response.SD, Response.PD]
    new = Case(
        (LesionEntry("T1", baseline="40", sizes=("38",)),),
        (VisitEntry(day=56, new_lesions=True),),
        "mm",
        "recist1.1",
    )
    assert cases.assess(new).visits[0].response is Response.PD


def test_two_diameters_in_either_order_are_read_by_their_length() -> None:
    # RECIST 1.1 section 3.1.1: the longest diameter; for a node, the short axis.
    # T1 "52 x 40" → "10 x 52": the longest diameter stays 52 mm (0 %): SD, not PR.
    case = Case(
        (LesionEntry("T1", baseline="52 x 40", sizes=("10 x 52",)),),
        (VisitEntry(day=56),),
        "mm",
        "recist1.1",
    )
    assert cases.to_visits(case)[1].targets["T1"] == Lesion(
        size_mm=Fraction(52), perpendicular_mm=Fraction(10), name="T1"
    )
    assert cases.assess(case).visits[0].response is Response.SD
    # Node N1 "20 x 16" → "15 x 9" with T1 20 → 0: short axis 9 mm < 10 mm, T1 gone: CR
    # (section 4.3.1), not PR from reading 15 mm as the short axis.
    case = Case(
        (
            LesionEntry("T1", baseline="20", sizes=("0",)),
            LesionEntry("N1", baseline="20 x 16", sizes=("15 x 9",), node=True),
        ),
        (VisitEntry(day=56),),
        "mm",
        "recist1.1",
    )
    assert cases.to_visits(case)[0].targets["N1"] == Lesion(
        size_mm=Fraction(16), perpendicular_mm=Fraction(20), node=True, name="N1"
    )
    assert cases.assess(case).visits[0].response is Response.CR


@pytest.mark.parametrize("cell", ["0 x 10", "52 x 0"])
def test_one_diameter_of_zero_is_refused(cell: str) -> None:
    case = Case(
        (LesionEntry("T1", baseline="52 x 40", sizes=(cell,)),), (VisitEntry(day=56),), "mm", "who"
    )
    with pytest.raises(InvalidInput) as caught:
        cases.assess(case)
    assert [str(p) for p in caught.value.problems] == [
        f"lesion T1 at Visit 1 (day 56), size: {cell!r} has one diameter of 0. Fix: enter 0 "
        "if the lesion has gone, or both of its diameters."
    ]


def test_two_diameters_make_products_for_who() -> None:
    # WHO: 40×30 + 20×20 = 1200 + 400 = 1600 mm² → 20×30 + 10×20 = 600 + 200 = 800 mm²,
    # exactly 50 % smaller: PR.
    case = Case(
        (
            LesionEntry("T1", baseline="40 x 30", sizes=("20x30",)),
            LesionEntry("T2", baseline="20 × 20", sizes=("10*20",)),
        ),
        (VisitEntry(day=56),),
        "mm",
        "who",
    )
    visits = cases.to_visits(case)
    assert visits[0].targets["T1"] == Lesion(
        size_mm=Fraction(40), perpendicular_mm=Fraction(30), name="T1"
    )
    visit = cases.assess(case).visits[0]
    assert (visit.unit, visit.baseline, visit.current) == ("mm²", Fraction(1600), Fraction(800))
    assert visit.response is Response.PR


def test_visits_carry_the_form_exactly() -> None:
    case = Case(
        (
            LesionEntry("T1", "axilla", node=True, baseline="1.5", sizes=("0.8",)),
            LesionEntry("T2", baseline="2", sizes=("too small",)),
            LesionEntry("NT1", role="non-target"),
        ),
        (VisitEntry("Week 8", 56, "not assessed", True),),
        "cm",
    )
    baseline, follow_up = cases.to_visits(case)
    assert baseline.day == 0
    assert baseline.non_target == "present"
    assert baseline.targets["T1"] == Lesion(
        size_mm=Fraction(15), node=True, organ="axilla", name="T1"
    )
    assert follow_up.day == 56
    assert follow_up.label == "Week 8 (day 56)"
    assert follow_up.non_target == "not-assessed"
    assert follow_up.new_lesions is True
    assert follow_up.targets["T2"] == TOO_SMALL
    assert "NT1" not in follow_up.targets


def test_blank_rows_are_ignored() -> None:
    case = Case((*two_lesions().lesions, LesionEntry(sizes=("",))), (VisitEntry(day=56),), "mm")
    assert list(cases.to_visits(case)[0].targets) == ["T1", "T2"]


# --------------------------------------------------------------------------- problems


def test_blank_follow_up_cell_says_how_to_fill_it() -> None:
    found = problems(two_lesions(t1=""))
    assert found == [
        "lesion T1 at Visit 1 (day 56), size: is empty. Fix: enter the size; 0 if the lesion "
        "has gone, 'too small' if it is there but too small to measure, or 'not assessed' if "
        "it was not checked."
    ]


def test_negative_and_non_numeric_sizes_are_named() -> None:
    found = problems(two_lesions(t1="-3", t2="abc"))
    assert len(found) == 2
    assert found[0].startswith("lesion T1 at Visit 1 (day 56), size: is negative (-3)")
    assert found[1].startswith("lesion T2 at Visit 1 (day 56), size: 'abc' is not a number")


def test_every_problem_is_reported_at_once() -> None:
    case = Case(
        lesions=(
            LesionEntry("T1", baseline="", sizes=("10",)),
            LesionEntry("t1", baseline="20", sizes=("",)),
            LesionEntry("", baseline="20", sizes=("5",)),
        ),
        visits=(VisitEntry(day=None),),
        unit="",
    )
    found = problems(case)
    assert "form, unit: no unit was chosen. Fix: choose mm or cm for the sizes you typed." in found
    assert any(p.startswith("Visit 1, day: is missing") for p in found)
    assert any(p.startswith("lesion t1, lesion name: is used twice (rows 1 and 2)") for p in found)
    assert any(p.startswith("row 3, lesion name: is empty") for p in found)
    assert any(p.startswith("lesion T1 at baseline, baseline size: is missing") for p in found)
    assert any(p.startswith("lesion t1 at Visit 1, size: is empty") for p in found)


def test_days_must_increase() -> None:
    case = Case(
        (LesionEntry("T1", baseline="20", sizes=("10", "10")),),
        (VisitEntry(day=56), VisitEntry(day=56)),
        "mm",
    )
    assert problems(case) == [
        "Visit 2 (day 56), day: day 56 is not after the previous visit (day 56). "
        "Fix: list visits in time order, each on a later day."
    ]


def test_non_target_status_must_match_the_table() -> None:
    with_nt = Case(
        (LesionEntry("T1", baseline="20", sizes=("10",)), LesionEntry("NT1", role="non-target")),
        (VisitEntry(day=56),),
        "mm",
    )
    assert problems(with_nt)[0].startswith(
        "Visit 1 (day 56), non-target status: is empty, but the table lists non-target lesions"
    )
    without_nt = Case(
        (LesionEntry("T1", baseline="20", sizes=("10",)),),
        (VisitEntry(day=56, non_target="present"),),
        "mm",
    )
    assert problems(without_nt)[0].startswith(
        "Visit 1 (day 56), non-target status: is 'present', but the table lists no non-target lesion"
    )


def test_baseline_must_be_measured() -> None:
    case = Case(
        (
            LesionEntry("T1", baseline="too small", sizes=("5",)),
            LesionEntry("T2", baseline="0", sizes=("5",)),
        ),
        (VisitEntry(day=56),),
        "mm",
    )
    found = problems(case)
    assert found[0].startswith("lesion T1 at baseline, baseline size: is 'too small'")
    assert found[1].startswith("lesion T2 at baseline, baseline size: is 0")


def test_empty_form_asks_for_lesions_and_a_visit() -> None:
    found = problems(Case(unit="mm"))
    assert found == [
        "visits, visits: there is no follow-up visit. Fix: add a visit and enter its day and the sizes measured then.",
        "lesion table, lesions: no lesion was entered. Fix: enter at least one lesion with its name and baseline size.",
    ]


def test_names_stay_on_one_line() -> None:
    # A carriage return in a name could start a new row in a spreadsheet.
    case = Case(
        (LesionEntry("T1\r=cmd", baseline="20", sizes=("10",)),),
        (VisitEntry("week\t8", 56),),
        "mm",
    )
    assert problems(case) == [
        "row 1, lesion name: contains a line break, tab or other control character. "
        "Fix: type it on one line, without tabs.",
        "Visit 1, label: contains a line break, tab or other control character. "
        "Fix: type it on one line, without tabs.",
    ]


def test_role_must_be_known() -> None:
    case = Case(
        (LesionEntry("T1", role="maybe", baseline="20", sizes=("10",)),),
        (VisitEntry(day=56),),
        "mm",
    )
    assert problems(case)[0].startswith("lesion T1, target?: 'maybe' is not a role")


# --------------------------------------------------------------------------- visits and tables


def test_adding_and_removing_visits_keeps_the_sizes() -> None:
    case = two_lesions().with_visit()
    assert [row.sizes for row in case.lesions] == [("20", ""), ("11", "")]
    assert case.without_last_visit() == two_lesions()


def test_tables_round_trip() -> None:
    case = Case(
        (
            LesionEntry("T1", "liver", True, "target", "12", ("8", "too small")),
            LesionEntry("NT1", "bone", False, "non-target", "", ("", "")),
        ),
        (VisitEntry("Week 8", 56, "present", False), VisitEntry("", 112, "absent", True)),
        "cm",
        "who",
    )
    lesions, visits = cases.to_tables(case)
    assert list(visits.index) == ["Visit 1", "Visit 2"]
    assert cases.from_tables(lesions, visits, unit="cm", criteria="who") == case


def test_from_tables_reads_what_an_editor_returns() -> None:
    # An editor gives None or NaN for empty cells and may give floats for days.
    lesions = pd.DataFrame(
        {
            "name": ["T1", None],
            "organ": [None, None],
            "node": [None, None],
            "role": ["target", None],
            "baseline": ["20", None],
            "visit_1": [None, None],
        }
    )
    visits = pd.DataFrame(
        {"label": [None], "day": [56.0], "non_target": [float("nan")], "new_lesions": [None]}
    )
    case = cases.from_tables(lesions, visits, unit=None, criteria="basic")
    assert case.lesions[0] == LesionEntry("T1", "", False, "target", "20", ("",))
    assert case.lesions[1].is_blank()
    assert case.visits == (VisitEntry("", 56, "", False),)
    assert case.unit == ""


def test_a_fractional_day_is_refused() -> None:
    visits = pd.DataFrame(
        {"label": [""], "day": [56.5], "non_target": [""], "new_lesions": [False]}
    )
    lesions = pd.DataFrame(
        {
            "name": ["T1"],
            "organ": [""],
            "node": [False],
            "role": ["target"],
            "baseline": ["20"],
            "visit_1": ["10"],
        }
    )
    case = cases.from_tables(lesions, visits, unit="mm", criteria="basic")
    assert problems(case)[0].startswith(
        "Visit 1, day: '56.5' is not a whole number of days after baseline"
    )


# --------------------------------------------------------------------------- results, tables, charts


def test_visit_table_and_best_response() -> None:
    # RECIST 1.0 asks for confirmation ≥ 28 days later: 40 → 10 (day 28, −75 %) → 8 (day 56).
    case = Case(
        (LesionEntry("T1", baseline="40", sizes=("10", "8")),),
        (VisitEntry(day=28), VisitEntry("Week 8", 56)),
        "mm",
        "recist1.0",
    )
    series = cases.assess(case)
    table = cases.visit_table(series)
    assert table["Response"].tolist() == ["PR", "PR"]
    assert table["Change from baseline (%)"].tolist() == [-75.0, -80.0]
    assert cases.best_response_visits(series) == ("Visit 1 (day 28)", "Week 8 (day 56)")
    # The day-56 PR has no later assessment to confirm it, so it counts as SD (day ≥ 42).
    assert cases.best_table(series)["Counted as"].tolist() == ["PR", "SD"]


def test_the_visit_table_never_rounds_a_change_onto_a_threshold() -> None:
    # 33 → 23.11 mm is −29.97 %, SD; one decimal would show −30.0 beside SD. The sum
    # stays 23.11 (23.1 would be the PR threshold itself).
    case = Case(
        (LesionEntry("T1", baseline="33", sizes=("23.11",)),),
        (VisitEntry(day=56),),
        "mm",
        "recist1.1",
    )
    table = cases.visit_table(cases.assess(case))
    assert table[["Response", "Sum", "Change from baseline (%)"]].values.tolist() == [
        ["SD", 23.11, -29.97]
    ]


def test_shown_percents_match_the_explanations() -> None:
    # Frame values (floats) shown as the explanations write them: −29.97 by the 30 %
    # threshold, −0.04 rather than a 0.0 that would read as no change, 24.96 by WHO's
    # 25 %, else one decimal rounded half away from zero.
    values = pd.Series([-29.96969696969697, -0.04, -38.85, 12.25, None, 0.0, -29.95, 19.95])
    recist = cases.shown_percents(values, CRITERIA["recist1.1"]).tolist()
    # 200 → 140.1 mm is −29.95 % exactly (a float holds −29.9499…): not −29.9, not −30.0.
    assert recist[:4] + recist[6:] == [-29.97, -0.04, -38.9, 12.3, -29.95, 19.95]
    assert pd.isna(recist[4])
    assert recist[5] == 0.0
    assert cases.shown_percents(pd.Series([24.96]), CRITERIA["who"]).tolist() == [24.96]
    assert cases.shown_percents(pd.Series([24.96]), CRITERIA["recist1.1"]).tolist() == [25.0]


def test_compare_table_shows_every_criteria_set() -> None:
    # 40 → 26 mm is −35 %: a PR for RECIST (≥ 30 %) but not for the 50 % rules.
    case = Case((LesionEntry("T1", baseline="40", sizes=("26",)),), (VisitEntry(day=56),), "mm")
    table = cases.compare_table(case)
    assert table["Criteria"].tolist() == [
        "Basic (50 % rule)",
        "WHO 1981",
        "RECIST 1.0",
        "RECIST 1.1",
    ]
    assert table["Visit 1 (day 56)"].tolist() == ["SD", "SD", "PR", "PR"]
    assert table["Last change from baseline"].tolist() == ["−35.0 %"] * 4


def test_threshold_lines_are_the_engine_thresholds() -> None:
    # RECIST 1.1, baseline 50: PR line 0.7 × 50 = 35. PD line at visit 1 from the nadir 50:
    # max(1.2 × 50, 50 + 5) = 60; at visit 2 from the nadir 20: max(24, 25) = 25.
    case = Case(
        (LesionEntry("T1", baseline="50", sizes=("20", "22")),),
        (VisitEntry(day=56), VisitEntry(day=112)),
        "mm",
        "recist1.1",
    )
    lines = cases.threshold_lines(cases.assess(case))
    assert lines.values.tolist() == [
        ["PR at most", 0, 35.0],
        ["PR at most", 56, 35.0],
        ["PR at most", 112, 35.0],
        ["PD at least", 0, 60.0],
        ["PD at least", 56, 60.0],
        ["PD at least", 112, 25.0],
    ]


@pytest.mark.parametrize(("second", "expected"), [("25", Response.PD), ("24.9", Response.PR)])
def test_a_sum_on_the_pd_line_is_progression(second: str, expected: Response) -> None:
    # The line drawn is where the engine switches: 20 → 25 is +5 mm and +25 % (PD);
    # 24.9 is +4.9 mm (not PD), and still −50.2 % from 50 (PR).
    case = Case(
        (LesionEntry("T1", baseline="50", sizes=("20", second)),),
        (VisitEntry(day=56), VisitEntry(day=112)),
        "mm",
        "recist1.1",
    )
    assert cases.assess(case).visits[1].response is expected


def test_who_has_no_progression_line_on_the_sum() -> None:
    case = Case(
        (LesionEntry("T1", baseline="50", sizes=("20",)),), (VisitEntry(day=56),), "mm", "who"
    )
    assert set(cases.threshold_lines(cases.assess(case))["line"]) == {"PR at most"}


def test_chart_points() -> None:
    case = Case(
        (
            LesionEntry("T1", baseline="30", sizes=("10",)),
            LesionEntry("T2", baseline="20", sizes=("not assessed",)),
        ),
        (VisitEntry(day=56),),
        "mm",
        "recist1.1",
    )
    series = cases.assess(case)
    points = cases.sum_points(series)
    # T2 not assessed: 10 mm is a part, not the sum (RECIST 1.1 4.4.2), and is not drawn.
    assert points[["day", "response", "complete"]].values.tolist() == [
        [0, "baseline", True],
        [56, "NE", False],
    ]
    assert points["sum"].iloc[0] == 50.0
    assert pd.isna(points["sum"].iloc[1])
    lesions = cases.lesion_points(series)
    assert lesions["status"].tolist() == ["measured", "measured", "measured", "not assessed"]
    assert pd.isna(lesions["size"].iloc[3])


# --------------------------------------------------------------------------- criteria tables


def test_criteria_tables_read_the_criteria_objects() -> None:
    recist = cases.criteria_thresholds(CRITERIA["recist1.1"]).set_index("Item")["Value"]
    assert recist["Partial response"] == "at least 30 % below baseline"
    assert recist["Progression"] == "at least 20 % above nadir, and at least 5 mm more"
    assert recist["Lesion too small to measure counts as"] == "5 mm"
    who = cases.criteria_thresholds(CRITERIA["who"]).set_index("Item")["Value"]
    assert who["Progression"] == "any one lesion at least 25 % above its nadir"
    for criteria in CRITERIA.values():
        table = cases.criteria_table(criteria)
        assert table["Overall"].tolist() == [row.overall.value for row in criteria.table]
        assert table["Source"].tolist() == [str(row.rule.citation) for row in criteria.table]


# --------------------------------------------------------------------------- share link


def test_share_link_round_trip_keeps_every_cell() -> None:
    case = Case(
        (
            LesionEntry("Tümör 1", "liver", True, "target", "1.5", ("0.8", "too small")),
            LesionEntry("NT1", "bone", False, "non-target", "", ("", "")),
            LesionEntry(sizes=("", "")),
        ),
        (VisitEntry("Week 8", 56, "present", False), VisitEntry("", None, "", True)),
        "cm",
        "recist1.0",
    )
    token = cases.encode(case)
    assert all(c.isalnum() or c in "-_" for c in token)
    assert cases.decode(token) == case


@given(
    st.lists(
        st.tuples(
            st.text(max_size=12),
            st.booleans(),
            st.sampled_from(["target", "non-target"]),
            st.text(max_size=6),
        ),
        max_size=6,
    ),
    st.lists(
        st.tuples(st.text(max_size=8), st.none() | st.integers(1, 5000), st.booleans()), max_size=4
    ),
)
def test_any_case_survives_the_link(
    rows: list[tuple[str, bool, str, str]], visits: list[tuple[str, int | None, bool]]
) -> None:
    def clean(text: str) -> str:
        return "".join(c for c in text if c >= " " and c != "\x7f")

    case = Case(
        tuple(
            LesionEntry(clean(n), "", node, role, clean(size), (clean(size),) * len(visits))
            for n, node, role, size in rows
        ),
        tuple(VisitEntry(clean(label), day, "", new) for label, day, new in visits),
        "mm",
        "who",
    )
    assert cases.decode(cases.encode(case)) == case


def pack(payload: object) -> str:
    raw = json.dumps(payload).encode()
    return base64.urlsafe_b64encode(zlib.compress(raw)).decode().rstrip("=")


GOOD = {
    "v": 1,
    "c": "basic",
    "u": "mm",
    "L": [["T1", "", 0, "target", "20", ["10"]]],
    "V": [["", 56, "", 0]],
}


def link_problem(token: str) -> str:
    with pytest.raises(InvalidInput) as caught:
        cases.decode(token)
    (problem,) = caught.value.problems
    assert (problem.where, problem.field) == ("share link", "case")
    return problem.message


def test_a_good_payload_decodes() -> None:
    assert cases.decode(pack(GOOD)).lesions[0] == LesionEntry(
        "T1", "", False, "target", "20", ("10",)
    )


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({**GOOD, "x": 1}, "is not a remission case"),
        ([1, 2], "is not a remission case"),
        ({**GOOD, "v": 2}, "has version 2; this app reads version 1"),
        ({**GOOD, "c": "recist2"}, "names unknown criteria 'recist2'"),
        ({**GOOD, "u": "in"}, "names unknown unit 'in'"),
        ({**GOOD, "V": [["", "56", "", 0]]}, "has a visit day that is not a whole number of days"),
        ({**GOOD, "V": [["", 56, "", 2]]}, "has a new-lesion flag that is not 0 or 1"),
        ({**GOOD, "V": [["", 56, "gone", 0]]}, "has an unknown non-target status 'gone'"),
        (
            {**GOOD, "L": [["T1", "", 0, "target", "20", []]]},
            "has a lesion whose sizes do not match the visits",
        ),
        ({**GOOD, "L": [["T1", "", 0, "target", 20, ["10"]]]}, "has a size that is not text"),
        (
            {**GOOD, "L": [["x" * 61, "", 0, "target", "20", ["10"]]]},
            "has a lesion name longer than 60 characters",
        ),
        (
            {**GOOD, "L": [["T\x001", "", 0, "target", "20", ["10"]]]},
            "has a lesion name with control characters",
        ),
        ({**GOOD, "L": [["T1", "", 0, "boss", "20", ["10"]]]}, "has an unknown role 'boss'"),
        ({**GOOD, "L": [GOOD["L"][0]] * 41}, "does not hold a list of at most 40 lesions"),  # type: ignore[index]
    ],
)
def test_bad_payloads_are_refused(payload: object, message: str) -> None:
    assert link_problem(pack(payload)) == message


def test_tampered_links_are_refused() -> None:
    token = cases.encode(two_lesions())
    flipped = token[:10] + ("A" if token[10] != "A" else "B") + token[10:]
    assert "damaged" in link_problem(flipped) or "not a case" in link_problem(flipped)
    assert link_problem(token[: len(token) // 2]).startswith("is damaged")
    assert link_problem(token + "!") == "contains characters a share link never has"
    assert link_problem("") == "is empty"


def test_oversized_links_are_refused() -> None:
    assert (
        link_problem("A" * (cases.MAX_LINK_CHARS + 1))
        == "is 8001 characters long; at most 8000 are allowed"
    )
    # A small token that inflates past the cap (a compression bomb) is stopped early.
    bomb = base64.urlsafe_b64encode(zlib.compress(b" " * 1_000_000, 9)).decode().rstrip("=")
    assert len(bomb) < cases.MAX_LINK_CHARS
    assert link_problem(bomb) == "holds more than 200000 bytes of data"


def test_a_case_too_big_for_a_link_is_refused() -> None:
    big = Case(tuple(LesionEntry(f"T{i}", baseline="1", sizes=()) for i in range(41)), (), "mm")
    with pytest.raises(InvalidInput, match="at most 40 are allowed"):
        cases.encode(big)


# --------------------------------------------------------------------------- exports


def test_json_export_has_the_case_and_the_results() -> None:
    case = two_lesions()
    data = json.loads(cases.result_json(case, cases.assess(case)))
    assert data["case"]["lesions"][0]["baseline"] == "52"
    assert data["visits"][0]["response"] == "PR"
    assert data["visits"][0]["sum"] == 31.0
    assert round(data["visits"][0]["pct_change_from_baseline"], 1) == -62.7
    assert data["best_overall_response"]["response"] == "PR"
    assert data["best_overall_response"]["visit"] == "Visit 1 (day 56)"
    assert data["disclaimer"].startswith("remission is for education and decision support")


def test_result_frame_has_one_row_per_visit() -> None:
    frame = cases.result_frame(cases.assess(two_lesions()))
    assert frame[["visit", "response", "sum", "unit"]].values.tolist() == [
        ["Visit 1 (day 56)", "PR", 31.0, "mm"]
    ]


def test_summary_is_plain_printable_text() -> None:
    case = two_lesions()
    text = cases.summary_text(case, cases.assess(case))
    lines = text.splitlines()
    assert lines[0] == "remission: tumour response summary"
    assert all(len(line) <= 88 for line in lines)
    assert "- T1 (target, liver): baseline 52; Visit 1 (day 56): 20" in text
    assert (
        "- Visit 1 (day 56): Partial response (PR); sum 31 mm; change from baseline −62.7 %" in text
    )
    assert "not a diagnosis" in text


# --------------------------------------------------------------------------- examples


def test_every_example_patient_becomes_a_case() -> None:
    for name in examples.names():
        table = examples.load(name)
        for patient in cases.patients(table):
            case = cases.from_long(table, patient)
            assert case.unit == "mm"
            cases.to_visits(case)  # every bundled patient is a valid form


def test_example_patient_is_read_exactly() -> None:
    # mixed-cohort P05: T2 not assessed at week 6, peritoneum non-target present.
    case = cases.from_long(examples.load("mixed-cohort"), "P05")
    assert [row.name for row in case.lesions] == ["T1", "T2", "NT1"]
    assert case.lesions[1].sizes == ("not assessed", "19")
    assert case.lesions[2].role == "non-target"
    assert [(v.label, v.day, v.non_target) for v in case.visits] == [
        ("week 6", 42, "present"),
        ("week 12", 84, "present"),
    ]
    # 25 + 20 = 45 → week 6: T2 not assessed → NE; week 12: 23 + 19 = 42 (−6.7 %) → SD.
    assert [v.response for v in cases.assess(case).visits] == [Response.NE, Response.SD]


def test_percent_reads_plain_numbers_as_they_print() -> None:
    from decimal import Decimal

    from remission.explain import percent

    # 0.25 is +25.0 %; a float 0.3 is the decimal it prints as, so −0.3 is exactly on the
    # 30 % mark and needs no more decimals; −0.29999 does.
    assert percent(0.25) == "+25.0 %"
    assert percent(-0.3, [0.3]) == "−30.0 %"
    assert percent(-0.29999, [0.3]) == "−29.999 %"
    assert percent(Decimal("-0.5")) == "−50.0 %"
    assert percent(1) == "+100.0 %"


def test_percent_reads_numpy_floats_and_says_undefined_for_nan() -> None:
    import numpy as np

    from remission.explain import percent

    assert percent(np.float64(-0.3), [np.float64(0.3)]) == "−30.0 %"
    assert percent(float("nan")) == percent(float("inf")) == "undefined"
