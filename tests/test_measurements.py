"""Reading sizes exactly, and the unit conversion."""

from decimal import Decimal
from fractions import Fraction

import pytest

from remission.errors import Problems
from remission.measurements import Unit, exact, non_target_status


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (23.1, Fraction(231, 10)),
        ("23.1", Fraction(231, 10)),
        (" 7 ", Fraction(7)),
        (Decimal("0.05"), Fraction(1, 20)),
        (12, Fraction(12)),
        (Fraction(1, 3), Fraction(1, 3)),
        (0, Fraction(0)),
    ],
)
def test_exact(value: object, expected: Fraction) -> None:
    problems = Problems()
    assert exact(value, Unit.MM, problems, "x", "size_mm") == expected
    assert not problems


def test_one_micrometre_is_the_smallest_size_above_zero() -> None:
    assert exact("0.001", Unit.MM, Problems(), "x", "size_mm") == Fraction(1, 1000)
    assert exact("0.0001", Unit.CM, Problems(), "x", "size_mm") == Fraction(1, 1000)
    found = Problems()
    assert exact("0.00009", Unit.CM, found, "x", "size_mm") is None
    assert "below 0.001 mm" in str(found.items[0])


def test_cm_to_mm_is_exact() -> None:
    assert exact("2.31", Unit.CM, Problems(), "x", "size_mm") == Fraction(231, 10)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (-1, "is negative"),
        ("-0.5", "is negative"),
        (float("nan"), "is nan"),
        ("inf", "is 'inf'"),
        ("1,5", "is not a number"),
        ("12 mm", "is not a number"),
        (True, "is not a size"),
        ([1], "is not a number"),
        ("１２", "is not a number"),  # full-width digits: refused, never guessed
        ("0.000999", "below 0.001 mm"),
        (Fraction(1, 1001), "below 0.001 mm"),
    ],
)
def test_bad_sizes(value: object, message: str) -> None:
    problems = Problems()
    assert exact(value, Unit.MM, problems, "lesion T1", "size_mm") is None
    assert message in str(problems.items[0])
    assert problems.items[0].where == "lesion T1"


def test_status_spelling_is_forgiving() -> None:
    problems = Problems()
    assert non_target_status(" NOT_ASSESSED ", problems, "v") is not None
    assert non_target_status("maybe", problems, "v") is None
    assert "use one of absent, present, progression, not-assessed" in str(problems.items[0])
