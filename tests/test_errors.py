"""Errors list every problem with where, field and fix."""

import pytest

from remission.errors import Deviation, InvalidInput, Problem, Problems


def test_all_problems_in_the_message() -> None:
    found = Problems()
    found.add("row 2", "size_mm", "is empty", "enter a size")
    found.add("row 5", "day", "is 'x'", "enter a whole number")
    with pytest.raises(InvalidInput) as caught:
        found.raise_if_any()
    assert len(caught.value.problems) == 2
    assert str(caught.value).splitlines() == [
        "2 problems in the input:",
        "- row 2, size_mm: is empty. Fix: enter a size.",
        "- row 5, day: is 'x'. Fix: enter a whole number.",
    ]


def test_nothing_to_raise() -> None:
    Problems().raise_if_any()


def test_problem_is_a_value() -> None:
    assert Problem("a", "b", "c", "d") == Problem("a", "b", "c", "d")


@pytest.mark.parametrize(
    ("given", "shown"),
    [
        ("B\nX", "B\\nX"),
        ("A\r\nB", "A\\r\\nB"),
        ("A\x1b[31mRED", "A\\x1b[31mRED"),
        ("P\u2028Q", "P\\u2028Q"),
        ("abc\u202edcba", "abc\\u202edcba"),
        ("café 8 ✓", "café 8 ✓"),
    ],
)
def test_a_problem_stays_one_line_whatever_the_ids_hold(given: str, shown: str) -> None:
    problem = Problem(f"row 3 (patient {given})", "size_mm", "'x' is not a number", "fix it")
    assert str(problem) == f"row 3 (patient {shown}), size_mm: 'x' is not a number. Fix: fix it."
    assert str(Deviation(f"lesion {given}", "too small", "RECIST 1.1")) == (
        f"lesion {shown}: too small (RECIST 1.1)"
    )
