"""Errors list every problem with where, field and fix."""

import pytest

from remission.errors import InvalidInput, Problem, Problems


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
