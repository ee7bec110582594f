"""What remission raises, and the warnings it carries on results.

Exception tree::

    ValueError
    └── InvalidInput      every problem found in the input, all at once

Bad input is reported whole (as pypa/packaging's metadata validation does): a user fixes
a file or a form in one pass instead of meeting one error at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["Deviation", "InvalidInput", "Problem", "Problems", "one_line"]

# Control characters, line and paragraph separators, and the bidirectional overrides a
# terminal or a log viewer would act on (a name could hide a line break or recolour text).
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def one_line(text: str) -> str:
    r"""``text`` with every control character written as its escape, so it stays one line.

    Patient ids and labels come from files; printed raw, an id holding a line break
    would split one problem over two lines, and an escape sequence would reach the
    terminal.

    Examples:
        >>> one_line("B\nX")
        'B\\nX'
        >>> print(one_line("A\x1b[31mRED"), one_line("week 8"))
        A\x1b[31mRED week 8
    """
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input: where, which field, what, and how to fix it.

    Examples:
        >>> print(Problem("lesion T2 at day 56", "size_mm", "is negative (-3)",
        ...               "enter the size in mm as a number of 0 or more"))
        lesion T2 at day 56, size_mm: is negative (-3). Fix: enter the size in mm as a number of 0 or more.
    """

    where: str
    field: str
    message: str
    fix: str

    def __str__(self) -> str:
        """One line a user can act on."""
        return one_line(f"{self.where}, {self.field}: {self.message}. Fix: {self.fix}.")


class InvalidInput(ValueError):
    """The input cannot be classified; ``problems`` lists every reason.

    Examples:
        >>> error = InvalidInput([Problem("row 3", "day", "is empty", "enter the study day")])
        >>> print(error)
        1 problem in the input:
        - row 3, day: is empty. Fix: enter the study day.
        >>> isinstance(error, ValueError)
        True
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        """Keep the problems and build a message that lists all of them."""
        self.problems: tuple[Problem, ...] = tuple(problems)
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{count} {noun} in the input:", *(f"- {p}" for p in self.problems)]
        super().__init__("\n".join(lines))


class Problems:
    """Collects problems while input is checked, then raises them together.

    Examples:
        >>> found = Problems()
        >>> found.add("lesion T1", "size_mm", "is missing", "enter the baseline size")
        >>> bool(found)
        True
        >>> found.raise_if_any()
        Traceback (most recent call last):
        ...
        remission.errors.InvalidInput: 1 problem in the input:
        - lesion T1, size_mm: is missing. Fix: enter the baseline size.
    """

    def __init__(self) -> None:
        """Start with no problems."""
        self.items: list[Problem] = []

    def add(self, where: str, field: str, message: str, fix: str) -> None:
        """Record one problem."""
        self.items.append(Problem(where, field, message, fix))

    def extend(self, problems: Iterable[Problem]) -> None:
        """Record problems found elsewhere (for example by a nested check)."""
        self.items.extend(problems)

    def __bool__(self) -> bool:
        """True when at least one problem was recorded."""
        return bool(self.items)

    def raise_if_any(self) -> None:
        """Raise :class:`InvalidInput` with every recorded problem, if there are any."""
        if self.items:
            raise InvalidInput(self.items)


@dataclass(frozen=True)
class Deviation:
    """A protocol deviation carried on a result: worth a look, not a reason to refuse.

    Real studies contain them (too many targets, a target below the measurability
    limit), so they are reported beside the answer rather than raised.

    Examples:
        >>> print(Deviation("lesion T6", "more than 5 target lesions", "RECIST 1.1, section 3.3"))
        lesion T6: more than 5 target lesions (RECIST 1.1, section 3.3)
    """

    where: str
    message: str
    source: str

    def __str__(self) -> str:
        """One line, with the rule it departs from."""
        return one_line(f"{self.where}: {self.message} ({self.source})")
