"""The series options, checked once: confirmation, SD minimum, NEs between, accepted SD.

One :class:`SeriesOptions` value travels from every entry point (``classify_series``,
``classify_frame``, ``best_response_frame``, the command line) to the core and the best
response, instead of loose keywords in several modules. The options and their defaults
are admiralonco's (``derive_param_confirmed_bor``); the checks are
:func:`remission.best.option_problems`, the ones ``best_response`` makes.

Examples:
    >>> from remission.criteria import RECIST_1_1
    >>> series_options(RECIST_1_1)
    SeriesOptions(confirmation_days=None, sd_min_days=42, max_ne_between=1, accept_sd=False)
    >>> series_options(RECIST_1_1, confirmation_days=28).confirmation_days
    28
"""

from __future__ import annotations

from dataclasses import dataclass

from remission.best import option_problems
from remission.criteria import Criteria
from remission.errors import InvalidInput

__all__ = ["SeriesOptions", "series_options"]


@dataclass(frozen=True)
class SeriesOptions:
    """The series options, checked."""

    confirmation_days: int | None
    """Days from a CR or PR to the assessment that confirms it; None: no confirmation."""
    sd_min_days: int
    """Minimum days from baseline for SD to count as the best response."""
    max_ne_between: int
    """NE assessments allowed between a response and its confirmation."""
    accept_sd: bool
    """One SD allowed between a PR and its confirmation."""


def series_options(
    criteria: Criteria,
    confirmation_days: int | str | None = "criteria",
    sd_min_days: int | str = "criteria",
    max_ne_between: int = 1,
    accept_sd: bool = False,
) -> SeriesOptions:
    """Check the series options, every problem at once (``"criteria"``: the set's own)."""
    confirmation = (
        criteria.confirmation_days if confirmation_days == "criteria" else confirmation_days
    )
    minimum = criteria.sd_min_days if sd_min_days == "criteria" else sd_min_days
    problems = option_problems(confirmation, minimum, max_ne_between, accept_sd)
    if problems:
        raise InvalidInput(problems)
    return SeriesOptions(
        None if confirmation is None else int(confirmation),
        int(minimum),
        int(max_ne_between),
        bool(accept_sd),
    )
