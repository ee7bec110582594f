"""The one decision core, through both front ends: exact at any precision, one answer.

Every expected value here is worked out by hand from the papers' thresholds; each case
runs through ``classify_series`` (one patient) and ``classify_frame`` (a long table).
"""

from __future__ import annotations

import pandas as pd
import pytest

from remission import Lesion, Visit, classify_frame, classify_series


def both(
    baseline: list[float | tuple[float, float]],
    follow: list[float | tuple[float, float]],
    criteria: str,
    unit: str = "mm",
) -> tuple[str, str]:
    """The follow-up's response for one patient, from the scalar and the table front end."""

    def lesion(value: float | tuple[float, float]) -> float | Lesion:
        return (
            Lesion(size_mm=value[0], perpendicular_mm=value[1])
            if isinstance(value, tuple)
            else value
        )

    names = [f"T{i + 1}" for i in range(len(baseline))]
    visits = [
        Visit(0, {n: lesion(v) for n, v in zip(names, baseline, strict=True)}),
        Visit(56, {n: lesion(v) for n, v in zip(names, follow, strict=True)}),
    ]
    scalar = classify_series(visits, criteria=criteria, unit=unit).visits[0].response.value
    rows = []
    for visit, day, values in (("baseline", 0, baseline), ("week 8", 56, follow)):
        for name, value in zip(names, values, strict=True):
            size, perp = value if isinstance(value, tuple) else (value, None)
            rows.append(
                {
                    "patient": "P1",
                    "visit": visit,
                    "day": day,
                    "lesion": name,
                    "role": "target",
                    f"size_{unit}": size,
                    f"perpendicular_{unit}": perp,
                }
            )
    frame = pd.DataFrame(rows)
    batch = str(classify_frame(frame, criteria=criteria)["response"].iloc[1])
    return scalar, batch


@pytest.mark.parametrize(
    ("baseline", "follow", "criteria", "expected"),
    [
        # RECIST 1.1 PR: at most 0.7 × 33.00001 = 23.100007 mm (six decimals).
        ([33.00001], [23.100007], "recist1.1", "PR"),
        ([33.00001], [23.100008], "recist1.1", "SD"),
        # RECIST 1.1 PD: at least 1.2 × 25.00001 = 30.000012 mm (and 5 mm more).
        ([25.00001], [30.000012], "recist1.1", "PD"),
        ([25.00001], [30.000011], "recist1.1", "SD"),
        # RECIST 1.1's 5 mm: 20.000001 → 25.000001 is +25 % and exactly +5 mm.
        ([20.000001], [25.000001], "recist1.1", "PD"),
        ([20.000001], [25.000000], "recist1.1", "SD"),
        # basic: 50 % smaller at six decimals: 0.5 × 40.000002 = 20.000001.
        ([40.000002], [20.000001], "basic", "PR"),
        ([40.000002], [20.000002], "basic", "SD"),
        # basic: 25 % larger: 1.25 × 10.000004 = 12.500005.
        ([10.000004], [12.500005], "basic", "PD"),
        ([10.000004], [12.500004], "basic", "SD"),
    ],
)
def test_boundaries_at_six_decimals_on_both_sides(
    baseline: list[float | tuple[float, float]],
    follow: list[float | tuple[float, float]],
    criteria: str,
    expected: str,
) -> None:
    assert both(baseline, follow, criteria) == (expected, expected)


def test_who_products_of_the_largest_sizes_accepted_are_exact() -> None:
    # 9999.999998 mm is below the 10 m limit. Its product with itself, halved, is the
    # product with 4999.999999: exactly 50 % smaller, a WHO partial response; with
    # 5000 mm instead the product is 0.000001 × 9999.999998 mm² too large: no change.
    a = 9999.999998
    assert both([(a, a)], [(a, 4999.999999)], "who") == ("PR", "PR")
    assert both([(a, a)], [(a, 5000.0)], "who") == ("SD", "SD")


def test_a_float_artefact_is_read_at_15_significant_digits() -> None:
    # 1.1 cm × 3 computed in a spreadsheet arrives as 3.3000000000000003; read at 15
    # significant digits it is 3.3 cm, and 3.3 → 2.31 cm is exactly −30 %: PR under RECIST
    # 1.1 (0.7 × 3.3000000000000003 would make 2.31 miss the threshold).
    assert 1.1 * 3 == 3.3000000000000003
    assert both([1.1 * 3], [2.31], "recist1.1", unit="cm") == ("PR", "PR")


def test_sizes_in_cm_with_four_decimals_are_exact() -> None:
    # 3.3001 cm → 2.31007 cm is exactly −30 % (0.7 × 33.001 mm = 23.1007 mm).
    assert both([3.3001], [2.31007], "recist1.1", unit="cm") == ("PR", "PR")
    assert both([3.3001], [2.31008], "recist1.1", unit="cm") == ("SD", "SD")
