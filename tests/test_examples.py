"""The bundled example studies: what they hold, and the answers the papers give for them.

Every expected response below is worked out by hand from the papers (numbers in the
comments), never computed by remission.
"""

from __future__ import annotations

import pandas as pd
import pytest

from remission import examples
from remission.errors import InvalidInput
from remission.frame import best_response_frame, classify_frame


def responses(name: str, criteria: str) -> dict[str, list[str]]:
    """Follow-up responses per patient, in visit order."""
    out = classify_frame(examples.load(name), criteria=criteria)
    follow = out[out["response"].notna()]
    return {
        str(p): [str(r) for r in rows["response"]]
        for p, rows in follow.groupby("patient", observed=True, sort=False)
    }


# examples API ------------------------------------------------------------------------


def test_names_are_the_five_bundled_studies() -> None:
    assert examples.names() == (
        "recist-worked",
        "breast-recurrence",
        "mixed-cohort",
        "nodes-and-small",
        "who-products",
    )


@pytest.mark.parametrize("name", examples.names())
def test_each_study_has_a_one_line_description_a_file_and_a_table(name: str) -> None:
    description = examples.describe(name)
    assert description
    assert "\n" not in description
    path = examples.path(name)
    assert path.is_file()
    assert path.read_text(encoding="utf-8") == examples.csv_text(name)
    table = examples.load(name)
    assert isinstance(table, pd.DataFrame)
    assert {"patient", "visit", "lesion", "role"} <= set(table.columns)


def test_unknown_example_names_the_known_ones() -> None:
    with pytest.raises(InvalidInput, match="use one of recist-worked, breast-recurrence"):
        examples.load("no-such-study")


def test_names_ignore_case_and_spaces() -> None:
    assert examples.describe("  WHO-Products ") == examples.describe("who-products")


def test_ids_stay_text() -> None:
    table = examples.load("mixed-cohort")
    assert table["patient"].iloc[0] == "P01"


# the answers -------------------------------------------------------------------------


def test_recist_worked_example_section_4_4_2() -> None:
    # baseline 20 + 18 + 12 = 50 mm; week 8 T1 45 + T2 35 = 80 mm with T3 not
    # measured: 80 ≥ 1.2 × 50 = 60 and +30 mm ≥ 5 mm, so PD despite the missing lesion
    # (RECIST 1.1 section 4.4.2). R-002: week 8 20 + 18 = 38 mm, T3 missing, no PD: NE;
    # week 16 14 + 12 + 9 = 35 mm = 0.7 × 50 exactly: PR.
    assert responses("recist-worked", "recist1.1") == {"R-001": ["PD"], "R-002": ["NE", "PR"]}


def test_breast_recurrence_under_recist_1_1() -> None:
    # Baseline liver 32 + node 18 = 50 mm. Cycle 3: 15 + 12 = 27 (−46 %): PR.
    # Cycle 6: liver gone, node 8 mm < 10 mm, pleura absent: CR (section 4.3.1).
    # Confirmation: node 7 mm: CR. Follow-up: new lesion in bone: PD (Table 1).
    out = classify_frame(examples.load("breast-recurrence"), criteria="recist1.1")
    follow = out[out["response"].notna()]
    assert follow["response"].astype(str).tolist() == ["PR", "CR", "CR", "PD"]
    # Days from the dates: 2024-01-08 → 03-04 is 56 days, → 04-29 112, → 06-24 168,
    # → 09-16 252.
    assert follow["day"].tolist() == [56, 112, 168, 252]
    # Bone is a distant recurrence (founding document, "Remission in Breast Cancer").
    assert follow["recurrence"].astype(str).tolist()[-1] == "recurrence — distant (bone)"


def test_breast_recurrence_best_response_confirmed_after_28_days() -> None:
    # CR on day 112 confirmed on day 168 (≥ 28 days later; admiralonco's rule).
    best = best_response_frame(
        examples.load("breast-recurrence"), criteria="recist1.1", confirmation_days=28
    )
    row = best.iloc[0]
    assert (str(row["best_response"]), row["best_response_day"], row["confirmed_day"]) == (
        "CR",
        112,
        168,
    )
    # Largest shrinkage up to the first PD: 7 mm vs 50 mm = −86 %.
    assert row["best_pct_change"] == -86.0


def test_mixed_cohort_under_recist_1_1() -> None:
    assert responses("mixed-cohort", "recist1.1") == {
        # 70 → 50 (−28.6 %) SD; 46 ≤ 0.7 × 70 = 49 PR; 44 PR.
        "P01": ["SD", "PR", "PR"],
        # 50 → 48, 52 (+8.3 % vs nadir 48), 55 (+14.6 %): all SD.
        "P02": ["SD", "SD", "SD"],
        # 50 → 40 (−20 %) SD; 48 = 1.2 × nadir 40 and +8 mm: PD exactly at the threshold.
        "P03": ["SD", "PD"],
        # 15 → 0 → 0: CR, CR.
        "P04": ["CR", "CR"],
        # T2 not assessed: NE; then 23 + 19 = 42 vs 45: SD.
        "P05": ["NE", "SD"],
        # New lesion: PD whatever the sizes.
        "P06": ["PD"],
        # Non-target disease only (Table 2): NON-CR/NON-PD, then unequivocal PD.
        "P07": ["NON-CR/NON-PD", "PD"],
    }


def test_mixed_cohort_basic_rule_needs_half() -> None:
    # The founding document's 50 % rule: P01 44 mm vs 70 mm is only −37 %: SD throughout;
    # non-target-only disease is "stable" (SD) outside RECIST 1.1.
    found = responses("mixed-cohort", "basic")
    assert found["P01"] == ["SD", "SD", "SD"]
    assert found["P07"] == ["SD", "PD"]
    # P03: the basic rule asks 25 % growth: 48 vs 40 is +20 %: SD.
    assert found["P03"] == ["SD", "SD"]


def test_nodes_and_small_under_recist_1_1() -> None:
    # N01: node 20 + lung 14 = 34. Week 8: node 9 + lung too small (5 mm, section
    # 4.3.2) = 14 (−58.8 %): PR, not CR (the lung lesion is still there). Week 16: node
    # 8 (< 10 mm) + 0: CR though the sum is 8 mm.
    # N02: 12 + 8 = 20 both visits: SD. N03: 20 → 0 (CR) → too small (5 mm) after a
    # CR: reappearance, PD.
    assert responses("nodes-and-small", "recist1.1") == {
        "N01": ["PR", "CR"],
        "N02": ["SD"],
        "N03": ["CR", "PD"],
    }


def test_nodes_and_small_warn_about_unmeasurable_baseline_targets() -> None:
    # RECIST 1.1 sections 3.1.1 and 3.3: nodes need 15 mm short axis, others 10 mm.
    out = classify_frame(examples.load("nodes-and-small"), criteria="recist1.1")
    n02 = str(out.loc[out["patient"] == "N02", "warnings"].iloc[0])
    assert "lymph node short axis 12 mm at baseline is below 15 mm" in n02
    assert "longest diameter 8 mm at baseline is below 10 mm" in n02


def test_nodes_and_small_under_the_basic_rule() -> None:
    # Basic rule: too small counts as gone (0 mm) and nodes have no 10 mm rule.
    # N01 week 8: 9 + 0 = 9 vs 34 (−73.5 %): PR; week 16: 8 + 0, node not 0: PR.
    # N03 week 16: too small = gone: still CR.
    assert responses("nodes-and-small", "basic") == {
        "N01": ["PR", "PR"],
        "N02": ["SD"],
        "N03": ["CR", "CR"],
    }


def test_who_products() -> None:
    # W01: 40×30 + 20×20 = 1600 mm²; week 8 30×20 + 15×15 = 825 (−48.4 %): SD;
    # week 16 28×20 + 15×14 = 770 ≤ 800: PR. W02: T2 20×20 = 400 → 23×22 = 506
    # (+26.5 % ≥ 25 %): PD, though the sum fell from 2000 to 1406 mm².
    assert responses("who-products", "who") == {"W01": ["SD", "PR"], "W02": ["PD"]}
    out = classify_frame(examples.load("who-products"), criteria="who")
    assert out.loc[out["patient"] == "W01", "sum_mm"].tolist() == [1600.0, 825.0, 770.0]
    assert set(out["unit"].astype(str)) == {"mm²"}
