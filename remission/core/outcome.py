"""The core's one entry: readings in, every visit's decision and its reasons out.

Examples:
    >>> from remission.core.readings import T_STATES
    >>> from remission.engine import readings_of
    >>> from remission.measurements import Visit
    >>> from remission.options import series_options
    >>> from remission.criteria import RECIST_1_1
    >>> readings = readings_of([Visit(0, {"T1": 50}), Visit(56, {"T1": 30})], "mm")
    >>> out = assess(readings, RECIST_1_1, series_options(RECIST_1_1))
    >>> [str(RESPONSES[i]) for i in out.history.overall[1:]]
    ['PR']
"""

from __future__ import annotations

from dataclasses import dataclass

from remission.core.deviations import Deviations, find_deviations
from remission.core.facts import Facts
from remission.core.history import History, run_history
from remission.core.readings import RESPONSES, Readings
from remission.criteria import Criteria
from remission.options import SeriesOptions

__all__ = ["RESPONSES", "Outcome", "assess"]


@dataclass(frozen=True, eq=False)
class Outcome:
    """A study assessed under one criteria set: its facts, history and deviations."""

    criteria: Criteria
    options: SeriesOptions
    facts: Facts
    history: History
    deviations: Deviations

    @property
    def readings(self) -> Readings:
        """What was assessed."""
        return self.facts.readings


def assess(
    readings: Readings,
    criteria: Criteria,
    options: SeriesOptions,
    *,
    primary_side: str | None = None,
) -> Outcome:
    """Assess every visit of every patient: facts, then history, then deviations."""
    facts = Facts(readings, criteria)
    history = run_history(facts, options)
    deviations = find_deviations(facts, history, primary_side=primary_side)
    return Outcome(criteria, options, facts, history, deviations)
