"""The one writer of explanations: numbers as measured, both readers, and the next scan."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from remission import Visit, classify_frame, classify_series
from remission.explain import exact_text


@pytest.mark.parametrize(
    ("value", "unit", "signed", "text"),
    [
        (Fraction("40.125"), "mm", False, "40.125 mm"),
        (Fraction("23.100"), "mm", False, "23.1 mm"),
        (Fraction(-17), "mm", True, "−17 mm"),
        (Fraction(0), "mm", True, "0 mm"),
        (Fraction("12.345678"), "mm", False, "12.345678 mm"),
        (Fraction("0.0625"), "mm²", False, "0.0625 mm²"),
        (Fraction(1, 3), "mm", False, "≈0.333 mm"),
    ],
)
def test_sizes_are_shown_exactly_as_measured(
    value: Fraction, unit: str, signed: bool, text: str
) -> None:
    assert exact_text(value, unit, signed=signed) == text


def test_a_measured_40_125_stays_40_125_in_both_front_ends() -> None:
    # The drift the decision-core issue reported: 40.125 mm was shown as 40.12 mm.
    visits = [Visit(0, {"T1": 40.125}), Visit(56, {"T1": 23.125})]
    a = classify_series(visits, criteria="recist1.1").visits[0]
    assert "Baseline sum 40.125 mm; nadir 40.125 mm; current sum 23.125 mm" in a.explanation.numbers
    frame = pd.DataFrame(
        {
            "patient": ["P1", "P1"],
            "visit": ["baseline", "week 8"],
            "day": [0, 56],
            "lesion": ["T1", "T1"],
            "role": ["target", "target"],
            "size_mm": [40.125, 23.125],
        }
    )
    row = classify_frame(frame, criteria="recist1.1").iloc[1]
    assert row["explanation"] == a.explanation.text
    assert row["rule"] == a.rule_id == "target:shrinkage"


@pytest.mark.parametrize(
    ("criteria", "this_visit", "next_scan"),
    [
        # basic: progression is 25 % above the smallest previous total. This visit is
        # judged against the old nadir (32 mm: 1.25 × 32 = 40 mm); the next scan against
        # the new one, this visit's 15 mm: 1.25 × 15 = 18.75 mm.
        (
            "basic",
            "progressive disease needs a sum ≥ 40 mm",
            "progressive disease needs a sum ≥ 18.75 mm",
        ),
        # RECIST 1.1: 20 % and 5 mm above the nadir: max(1.2 × 32, 32 + 5) = 38.4 mm now;
        # max(1.2 × 15, 15 + 5) = 20 mm at the next scan.
        (
            "recist1.1",
            "progressive disease needs a sum ≥ 38.4 mm",
            "progressive disease needs a sum ≥ 20 mm",
        ),
    ],
)
def test_next_category_says_what_this_visit_and_the_next_scan_need(
    criteria: str, this_visit: str, next_scan: str
) -> None:
    visits = [Visit(0, {"T1": 32}), Visit(56, {"T1": 15})]
    text = classify_series(visits, criteria=criteria).visits[0].explanation.next_category
    this, following = text.split(" At the next scan: ")
    assert this.startswith("This visit: ")
    assert this_visit in this
    assert following.startswith("nadir 15 mm; ")
    assert next_scan in following
