r"""Whole studies at once: the scalar engine's decisions, vectorised with pandas and NumPy.

:func:`classify_frame` gives one row per patient × visit and :func:`best_response_frame`
one row per patient, with the same answers as :func:`remission.classify_series` run
patient by patient (a Hypothesis property test holds the two to every field).

How the speed is kept without a second set of rules:

* Sizes are whole micrometres (``int64``; products in µm²), so sums are exact integer
  sums and every threshold is a cross-multiplication with the criteria's own
  :class:`~fractions.Fraction` numerator and denominator: "at least 30 % smaller" is
  ``10 × sum ≤ 7 × baseline``, never a float comparison.
* The nadir is a cumulative minimum of the *complete* sums per patient, shifted by one
  visit (the smallest previous sum, baseline included; RECIST 1.1 section 4.3.1); WHO's
  per-lesion growth uses a per-lesion cumulative minimum the same way.
* The decision order is :func:`remission.engine._decide_target`'s: reappearance after a
  complete response, growth, not all assessed, all gone, shrinkage, stable. "After a
  complete response" (the latest earlier target response other than NE was CR) is a
  forward fill of per-visit events.
* The overall response comes from :meth:`remission.Criteria.lookup`, the very table the
  scalar engine reads, turned into an array indexed by the three states.

A patient whose sizes are not whole micrometres (or so large that products could overflow)
is classified with the scalar engine instead; the result is the same either way.

Examples:
    >>> from remission import examples
    >>> visits = classify_frame(examples.load("recist-worked"), criteria="recist1.1")
    >>> visits["response"].tolist()  # baseline rows have none
    [nan, 'PD', nan, 'NE', 'PR']
    >>> visits["pct_change_baseline"].tolist()[-1]  # 35 mm vs 50 mm: exactly 30 % smaller
    -30.0
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cache
from types import MappingProxyType
from typing import Final, Generic, TypeVar

import numpy as np
import numpy.typing as npt
import pandas as pd

from remission.best import DISEASE_SEEN, BestResponse, best_of_checked
from remission.criteria import Criteria, Measure, Reference, Rule, Scope, get_criteria
from remission.engine import (
    NODE_LONGEST_UNKNOWN,
    NODE_SHORT_AXIS_USED,
    PRODUCT_UNKNOWN,
    PRODUCTS_FALLBACK,
    SMALL_NODE_CHANGE_MM,
    Series,
    SeriesOptions,
    classify_series,
    listed_places,
    series_options,
    small_node_return,
    stable_response,
)
from remission.explain import percent
from remission.measurements import Lesion, Visit
from remission.recurrence import name_recurrences
from remission.response import Response
from remission.table import (
    MAX_UM,
    NEW_LESION_SEEN,
    UM_PER_MM,
    Role,
    Source,
    Status,
    Table,
    read_table,
    to_visits,
)

__all__ = ["BEST_COLUMNS", "VISIT_COLUMNS", "best_response_frame", "classify_frame"]

Int64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]
_T = TypeVar("_T")

VISIT_COLUMNS: Final = (
    "patient",
    "visit",
    "day",
    "sum_mm",
    "baseline_sum_mm",
    "nadir_mm",
    "pct_change_baseline",
    "pct_change_nadir",
    "target_response",
    "non_target_response",
    "new_lesions",
    "response",
    "rule",
    "explanation",
    "recurrence",
    "criteria",
    "measure",
    "unit",
    "all_assessed",
    "lesions_assessed",
    "target_lesions",
    "warnings",
)
"""Columns of :func:`classify_frame` (``date`` follows ``day`` when dates were given)."""

BEST_COLUMNS: Final = (
    "patient",
    "best_response",
    "best_response_day",
    "confirmed_day",
    "best_pct_change",
    "explanation",
    "criteria",
    "rule",
    "assessments",
    "warnings",
)
"""Columns of :func:`best_response_frame`."""

BASELINE_RULE: Final = "baseline"
"""The ``rule`` of a baseline row: the reference visit, not an assessment."""

# Target states as the lookup indexes them; the last is "no target disease".
_T_STATES: Final = (Response.CR, Response.PR, Response.SD, Response.PD, Response.NE, None)
_NT_STATES: Final = (Response.CR, Response.NON_CR_NON_PD, Response.PD, Response.NE, None)
_T_CR, _T_PR, _T_SD, _T_PD, _T_NE, _T_NONE = range(6)
_NT_CR, _NT_NN, _NT_PD, _NT_NE, _NT_NONE = range(5)
_RESPONSES: Final = tuple(Response)
_LAST_OTHER, _LAST_CR, _LAST_PR = 0, 1, 2
"""The latest overall response other than NE, as far as history matters: CR, PR, other."""
_BIG: Final = 2**62
_EXACT_FLOAT: Final = 2**53


# --------------------------------------------------------------------------- public API


def classify_frame(
    df: Source | Table,
    *,
    criteria: str | Criteria = "basic",
    confirmation_days: int | str | None = "criteria",
    sd_min_days: int | str = "criteria",
    max_ne_between: int = 1,
    accept_sd: bool = False,
) -> pd.DataFrame:
    r"""Classify every visit of every patient in a long measurement table.

    Args:
        df: the long table (see :mod:`remission.table`): a DataFrame (never modified), a
            CSV path or text, or a checked :class:`~remission.table.Table`.
        criteria: ``basic``, ``who``, ``recist1.0``, ``recist1.1`` or a
            :class:`~remission.Criteria`.
        confirmation_days: as :func:`remission.classify_series`; checked here, used by
            :func:`best_response_frame`.
        sd_min_days: idem.
        max_ne_between: idem.
        accept_sd: idem.

    Returns:
        One row per patient × visit, baseline included (its ``rule`` is ``"baseline"``
        and its responses are empty), in the order of :data:`VISIT_COLUMNS`. Sums are in
        mm, or mm² when the criteria multiply diameters (see ``unit``); percent changes
        are empty when undefined (a lesion not assessed, or a nadir of 0).

    Raises:
        InvalidInput: every problem in the table or the options, at once.

    Examples:
        >>> from remission import examples
        >>> out = classify_frame(examples.load("mixed-cohort"), criteria="recist1.1")
        >>> p03 = out[out["patient"] == "P03"]
        >>> p03["sum_mm"].tolist(), p03["nadir_mm"].tolist()[1:], p03["response"].tolist()[1:]
        ([50.0, 40.0, 48.0], [50.0, 40.0], ['SD', 'PD'])
    """
    chosen = get_criteria(criteria)
    options = series_options(chosen, confirmation_days, sd_min_days, max_ne_between, accept_sd)
    table = read_table(df)
    if table.data.empty:  # every patient excluded (keep_going): nothing to classify
        return pd.DataFrame({name: pd.Series(dtype=object) for name in VISIT_COLUMNS})
    codes, context = _Assessor(table, chosen, options).result()
    del table  # the million-row arrays go now; only the per-visit codes remain
    return _finish(codes, context)


def best_response_frame(
    df: Source | Table,
    *,
    criteria: str | Criteria = "basic",
    confirmation_days: int | str | None = "criteria",
    sd_min_days: int | str = "criteria",
    max_ne_between: int = 1,
    accept_sd: bool = False,
) -> pd.DataFrame:
    r"""Best overall response of every patient (RECIST 1.1 section 4.4.3 and Table 3).

    The visits are classified as in :func:`classify_frame`; the best response comes from
    :func:`remission.best_response` with the same options as
    :func:`remission.classify_series`. ``best_pct_change`` is the largest shrinkage from
    baseline up to the first PD (the waterfall-plot value).

    Returns:
        One row per patient, in the order of :data:`BEST_COLUMNS`.

    Examples:
        >>> from remission import examples
        >>> best = best_response_frame(examples.load("breast-recurrence"),
        ...                            criteria="recist1.1", confirmation_days=28)
        >>> best[["patient", "best_response", "best_response_day", "confirmed_day"]].to_string(index=False)
        'patient best_response  best_response_day  confirmed_day\n   B-01            CR                112            168'
    """
    chosen = get_criteria(criteria)
    options = series_options(chosen, confirmation_days, sd_min_days, max_ne_between, accept_sd)
    table = read_table(df)
    if table.data.empty:
        return pd.DataFrame({name: pd.Series(dtype=object) for name in BEST_COLUMNS})
    codes, context = _Assessor(table, chosen, options).result()
    del table
    return _best(codes, context, options)


# --------------------------------------------------------------------------- the engine


def _segments(keys: Int64) -> tuple[Int64, Int64]:
    """Start positions of runs of equal ``keys`` (sorted input) and each element's run."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    new = np.empty(keys.size, dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    return np.flatnonzero(new), np.cumsum(new) - 1


def _reduce(values: Int64, starts: Int64, groups: Int64, size: int, ufunc: np.ufunc) -> Int64:
    """``ufunc`` reduced over consecutive runs, scattered into ``size`` slots (0 elsewhere)."""
    out = np.zeros(size, dtype=np.int64)
    if values.size:
        out[groups] = ufunc.reduceat(values, starts)
    return out


def _fraction_parts(value: Fraction) -> tuple[int, int]:
    return value.numerator, value.denominator


class _Assessor:
    """One table under one criteria set: per-visit arrays, then frames."""

    def __init__(self, table: Table, criteria: Criteria, options: SeriesOptions) -> None:
        self.table = table
        self.criteria = criteria
        self.options = options
        self.confirmation_days = options.confirmation_days
        data = table.data
        self.data = data
        self.n_patients = len(data["patient"].cat.categories)
        pid = data["pid"].to_numpy(dtype=np.int64)
        day = data["day"].to_numpy(dtype=np.int64)
        self.pid = pid
        # Visits: runs of (patient, day) in the sorted table.
        key = pid * (int(day.max()) + 1 if day.size else 1) + day if day.size else pid
        self.visit_start, self.visit_of = _segments(key)
        self.n_visits = self.visit_start.size
        self.v_pid = pid[self.visit_start]
        self.v_day = day[self.visit_start]
        self.v_base = self.v_day == 0
        self.scalar_pids = self._scalar_patients()
        self.rules: _Numbered[Rule] = _Numbered()
        self._decide()

    # ----------------------------------------------------------------- routing

    def _scalar_patients(self) -> Bools:
        """Patients for the scalar engine: inexact sizes or integers that could overflow."""
        data = self.data
        role = data["role"].to_numpy()
        target = role == Role.TARGET
        scalar = np.zeros(self.n_patients + 1, dtype=bool)
        inexact = target & ~data["exact"].to_numpy(dtype=bool)
        scalar[self.pid[inexact]] = True
        c = self.criteria
        # The integer arithmetic multiplies a sum by at most these numbers (thresholds
        # are cross-multiplied), so a patient is safe while sum × multiplier < 2**62.
        growth = c.progression.fraction
        multiplier = max(
            c.partial.fraction.denominator,
            growth.numerator + growth.denominator,
            (c.progression.min_increase_mm or Fraction(0)).denominator,
            (c.node_normal_below_mm or Fraction(0)).denominator,
            1000,  # percent changes, in tenths
        )
        too_small = c.too_small_mm * UM_PER_MM
        if too_small.denominator != 1 or too_small >= MAX_UM:
            scalar[self.pid[target & (data["status"].to_numpy() == Status.TOO_SMALL)]] = True
        size = data["size_um"].to_numpy()
        # Worst case per patient: every target at its largest value (a product in µm²).
        worst_value = np.maximum(size, 0).astype(np.float64) * np.maximum(
            np.maximum(data["perp_um"].to_numpy(), size), 1
        )
        worst = np.zeros(self.n_patients, dtype=np.float64)
        np.maximum.at(worst, self.pid[target], worst_value[target])
        count = np.bincount(self.pid[target], minlength=self.n_patients).astype(np.float64)
        scalar[: self.n_patients] |= worst * np.maximum(count, 1) * multiplier > _BIG
        return scalar[: self.n_patients]

    # ----------------------------------------------------------------- deciding

    def _decide(self) -> None:
        """Every visit's responses, in the engine's steps."""
        self._lesion_values()
        self._visit_sums()
        self._references()
        self._target_decision()
        self._non_target()
        self._history()

    def _lesion_values(self) -> None:
        """Each target row's value (µm, or µm² for products), and whether it is gone."""
        c = self.criteria
        data = self.data
        role = data["role"].to_numpy()
        status = data["status"].to_numpy()
        size = data["size_um"].to_numpy(dtype=np.int64)
        perp = data["perp_um"].to_numpy(dtype=np.int64)
        node = data["node"].to_numpy(dtype=bool)
        base_row = self.v_base[self.visit_of]
        pid = self.pid
        target = role == Role.TARGET
        too_small = target & (status == Status.TOO_SMALL)
        missing = target & (size < 0) & ~too_small
        self.n_targets = np.bincount(pid[target & base_row], minlength=self.n_patients)
        self.n_non_targets = np.bincount(
            pid[(role == Role.NON_TARGET) & base_row], minlength=self.n_patients
        )
        # Products or diameters, per patient, decided at baseline (engine._uses_products).
        self.no_perp = target & (size > 0) & (perp < 0)
        has_gap = np.zeros(self.n_patients, dtype=bool)
        has_gap[pid[self.no_perp & base_row]] = True
        products = np.zeros(self.n_patients, dtype=bool)
        if c.measure is not Measure.DIAMETER:
            products = (self.n_targets > 0) & ~has_gap
        self.products = products
        self.product_gap = has_gap & (self.n_targets > 0) if c.measure is Measure.PRODUCT else None
        small = c.too_small_mm * UM_PER_MM
        small_um = int(small) if small.denominator == 1 else 0  # else: scalar path
        self.row_products = products[pid]
        # A follow-up lesion of a product patient without its second diameter: unknown.
        self.unknown_product = self.no_perp & self.row_products
        missing |= self.unknown_product
        # engine._node_measures: nodes measured by their longest diameter, decided at
        # baseline; a follow-up without the second diameter leaves such a node unknown.
        by_longest = self._longest_nodes(target & node & ~self.row_products, base_row, size, perp)
        self.by_longest = by_longest
        self.node_short = (
            target & node & base_row & ~by_longest & (size > 0) & ~self.row_products
            if not c.node_short_axis
            else np.zeros(size.size, dtype=bool)
        )
        self.unknown_longest = by_longest & (size > 0) & (perp < 0)
        missing |= self.unknown_longest
        # engine._value: too small = the criteria's size; products = diameter × perpendicular.
        self.longest = np.where(by_longest & (size > 0), np.maximum(size, perp), size)
        diameter = np.where(too_small, small_um, self.longest)
        value = np.where(
            self.row_products,
            np.where(too_small, small_um * small_um, np.maximum(size, 0) * np.maximum(perp, 0)),
            diameter,
        )
        self.value = np.where(missing, -1, value)
        # engine._is_gone: 0 mm, or a lymph node below the normal short axis (RECIST 1.1).
        given = np.where(too_small, small_um, size)
        if c.node_normal_below_mm is not None:
            num, den = _fraction_parts(c.node_normal_below_mm)
            gone = np.where(node, given * den < num * UM_PER_MM, given == 0)
        else:
            gone = given == 0
        self.gone = gone & ~missing
        self.missing = missing
        self.t_rows = np.flatnonzero(target)

    def _longest_nodes(self, nodes: Bools, base_row: Bools, size: Int64, perp: Int64) -> Bools:
        """engine._node_measures: the rows of nodes with both diameters at baseline."""
        if self.criteria.node_short_axis:
            return np.zeros(size.size, dtype=bool)
        codes = self.data["lesion"].cat.codes.to_numpy(dtype=np.int64)
        key = self.pid * (len(self.data["lesion"].cat.categories) + 1) + codes
        both = nodes & base_row & (size > 0) & (perp >= 0)
        found: Bools = nodes & np.isin(key, key[both])
        return found

    def _per_visit(self, values: Int64) -> Int64:
        """Sums of a per-target-row value over each visit (0 for visits without targets)."""
        out = np.zeros(self.n_visits, dtype=np.int64)
        if values.size:
            out[self.t_visit[self.t_starts]] = np.add.reduceat(values, self.t_starts)
        return out

    def _visit_sums(self) -> None:
        """Per visit: the sum of assessed targets, how many were assessed, gone, back."""
        t_rows = self.t_rows
        self.t_visit = self.visit_of[t_rows]
        self.t_starts, _ = _segments(self.t_visit)
        missing = self.missing[t_rows]
        gone = self.gone[t_rows]
        self.total = self._per_visit(np.where(missing, 0, self.value[t_rows]))
        self.assessed = self._per_visit((~missing).astype(np.int64))
        self.n_gone = self._per_visit(gone.astype(np.int64))
        # engine._decide_target's at_least: a node known only by its short axis is not
        # assessed, but its short axis still shows that it came back or grew.
        unknown = self.unknown_longest[t_rows]
        self.at_least = np.where(unknown, self.data["size_um"].to_numpy(dtype=np.int64)[t_rows], 0)
        self.bound = self._per_visit(self.at_least)
        # Reappearance: an assessed target that is not gone (engine._decide_target).
        self.reappear = self._per_visit(((~missing & ~gone) | unknown).astype(np.int64))
        self.lesion_grew = np.zeros(self.n_visits, dtype=np.int64)
        if self.criteria.progression.scope is Scope.ANY_LESION and t_rows.size:
            self.lesion_grew = self._per_visit(self._lesion_growth())

    def _lesion_growth(self) -> Int64:
        """WHO: target rows at least 25 % above their lesion's own nadir.

        The nadir is the smallest previous value, baseline included; values not assessed
        do not count.
        """
        t_rows = self.t_rows
        lesion_code = self.data["lesion"].cat.codes.to_numpy(dtype=np.int64)[t_rows]
        key = self.pid[t_rows] * (len(self.data["lesion"].cat.categories) + 1) + lesion_code
        order = np.argsort(key, kind="stable")
        value = self.value[t_rows][order]
        key = key[order]
        big = np.iinfo(np.int64).max
        running = np.asarray(
            pd.Series(np.where(value < 0, big, value)).groupby(key).cummin(), dtype=np.int64
        )
        first = np.empty(order.size, dtype=bool)
        first[0] = True
        first[1:] = key[1:] != key[:-1]
        previous = np.empty_like(running)
        previous[0] = 0
        previous[1:] = running[:-1]
        previous = np.where(first, np.int64(0), previous).astype(np.int64)
        seen = np.where(self.unknown_longest[t_rows][order], self.at_least[order], value)
        grew = ~first & (seen >= 0) & self._grew(seen, previous, self.row_products[t_rows][order])
        out = np.zeros(t_rows.size, dtype=np.int64)
        out[order] = grew
        return out

    def _references(self) -> None:
        """Baseline sum and nadir per visit.

        The nadir is the smallest previous *complete* sum, baseline included (RECIST 1.1
        section 4.3.1).
        """
        v_pid = self.v_pid
        self.v_targets = self.n_targets[v_pid]
        self.has_targets = self.v_targets > 0
        self.complete = self.has_targets & (self.assessed == self.v_targets)
        patient_first = np.flatnonzero(self.v_base)
        self.baseline = self.total[patient_first][np.cumsum(self.v_base) - 1]
        complete_sums = np.where(self.complete, self.total, np.iinfo(np.int64).max)
        running = pd.Series(complete_sums).groupby(v_pid).cummin().to_numpy(dtype=np.int64)
        nadir = np.zeros(self.n_visits, dtype=np.int64)
        nadir[1:] = running[:-1]
        self.nadir = np.where(self.v_base, 0, nadir)
        self.v_products = self.products[v_pid]

    def _target_decision(self) -> None:
        """The target response before history, in the papers' order.

        As engine._decide_target: growth, not all assessed, all gone, shrinkage, stable.
        """
        c = self.criteria
        growth = c.progression
        reference = self.nadir if growth.reference is Reference.NADIR else self.baseline
        if growth.scope is Scope.SUM:
            grew = ~self.v_base & self._grew(self.total + self.bound, reference, self.v_products)
        else:
            grew = self.lesion_grew > 0
        pa, pb = _fraction_parts(c.partial.fraction)
        decision = np.full(self.n_visits, _T_SD, dtype=np.int64)
        decision = np.where(self.total * pb <= self.baseline * (pb - pa), _T_PR, decision)
        decision = np.where(self.n_gone == self.v_targets, _T_CR, decision)
        decision = np.where(self.assessed < self.v_targets, _T_NE, decision)
        decision = np.where(grew, _T_PD, decision)
        self.decision = np.where(self.has_targets, decision, _T_NONE)

    def _non_target(self) -> None:
        """Non-target status and new lesions per visit (RECIST 1.1 sections 4.3.3, 4.3.5).

        The status is :func:`remission.table.non_target_status`, vectorised.
        """
        data = self.data
        role = data["role"].to_numpy()
        status = data["status"].to_numpy()
        n_visits = self.n_visits
        non_target = role == Role.NON_TARGET
        present, absent, progression = (
            np.bincount(self.visit_of[non_target & (status == s)], minlength=n_visits)
            for s in (Status.PRESENT, Status.ABSENT, Status.PROGRESSION)
        )
        expected = self.n_non_targets[self.v_pid]
        state = np.full(n_visits, _NT_CR, dtype=np.int64)
        state = np.where(present > 0, _NT_NN, state)
        state = np.where(present + absent < expected, _NT_NE, state)
        state = np.where(progression > 0, _NT_PD, state)
        self.nt_state = np.where(expected > 0, state, _NT_NONE)
        seen = np.isin(status, [int(s) for s in NEW_LESION_SEEN])
        self.new = np.bincount(self.visit_of[(role == Role.NEW) & seen], minlength=n_visits) > 0

    def _lookup(self) -> tuple[Int64, Int64]:
        """The criteria's overall-response table as arrays [target, non-target, new]."""
        overall_of = np.full((6, 5, 2), -1, dtype=np.int64)
        row_rule_of = np.full((6, 5, 2), -1, dtype=np.int64)
        for (t, nt, is_new), row in self.criteria.lookup().items():
            ti, ni = _T_STATES.index(t), _NT_STATES.index(nt)
            overall_of[ti, ni, int(is_new)] = _RESPONSES.index(row.overall)
            row_rule_of[ti, ni, int(is_new)] = self.rules.id(row.rule)
        return overall_of, row_rule_of

    def _history(self) -> None:
        """Overall responses in visit order, carrying history (engine._assess_series).

        After an overall CR, a target that is not gone is PD (reappearance); after an
        overall PR or CR, a target SD holds as PR when the criteria say so (RECIST 1.1
        FAQ); an NE leaves the history as it was. Remission (for recurrences) runs from
        the first CR to the next PD. One visit position at a time, across all patients.
        """
        overall_of, row_rule_of = self._lookup()
        n_visits = self.n_visits
        new = self.new.astype(np.int64)
        has = self.has_targets
        target_state = self.decision.copy()
        fired = np.zeros(n_visits, dtype=bool)
        held = np.zeros(n_visits, dtype=bool)
        back = np.zeros(n_visits, dtype=bool)
        overall = np.full(n_visits, -1, dtype=np.int64)
        last = np.full(n_visits, _LAST_OTHER, dtype=np.int64)
        remission = np.full(n_visits, -1, dtype=np.int64)
        remission_before = np.full(n_visits, -1, dtype=np.int64)
        first_visit = np.flatnonzero(self.v_base)
        position = np.arange(n_visits) - first_visit[np.cumsum(self.v_base) - 1]
        by_position = np.argsort(position, kind="stable")
        longest = int(position.max()) if n_visits else 0
        bounds = np.searchsorted(position[by_position], np.arange(longest + 2))
        cr, pr, pd_, ne = (
            _RESPONSES.index(x) for x in (Response.CR, Response.PR, Response.PD, Response.NE)
        )
        disease = np.asarray([_RESPONSES.index(x) for x in DISEASE_SEEN], dtype=np.int64)
        holds = self.criteria.holds_response is not None
        runs = _Runs(n_visits, self.options, checked=holds)
        for k in range(1, longest + 1):
            idx = by_position[bounds[k] : bounds[k + 1]]
            before = last[idx - 1]
            fire = has[idx] & (before == _LAST_CR) & (self.reappear[idx] > 0)
            t = np.where(fire, _T_PD, self.decision[idx])
            hold = holds & has[idx] & ~fire & (t == _T_SD) & (before != _LAST_OTHER)
            hold &= runs.confirmed[idx - 1]
            t = np.where(hold, _T_PR, t)
            o = overall_of[t, self.nt_state[idx], new[idx]]
            # Disease seen again after an overall CR is PD (RECIST 1.1 Table 3, footnote a).
            unseen = _saw_nothing(before, o, t, self.nt_state[idx])
            returned = (before == _LAST_CR) & np.isin(o, disease) & ~unseen
            o = np.where(returned, pd_, o)
            target_state[idx] = t
            fired[idx] = fire
            held[idx] = hold
            back[idx] = returned
            overall[idx] = o
            runs.add(idx, o, unseen, self.v_day[idx])
            last[idx] = np.where(
                (o == ne) | unseen,
                before,
                np.where(o == cr, _LAST_CR, np.where(o == pr, _LAST_PR, _LAST_OTHER)),
            )
            rem = remission[idx - 1]
            remission_before[idx] = rem
            remission[idx] = np.where(
                (o == cr) & (rem < 0), self.v_day[idx], np.where(o == pd_, -1, rem)
            )
        self.scalar_pids[self.v_pid[runs.intricate]] = True
        self.decisive = self._decisive(target_state, overall, fired, held, back, row_rule_of)
        self.target_state = target_state
        self.overall = overall
        self.remission_before = remission_before
        self.fired = fired

    def _decisive(  # noqa: PLR0917 - the history's per-visit outcomes
        self,
        target_state: Int64,
        overall: Int64,
        fired: Bools,
        held: Bools,
        back: Bools,
        row_rule_of: Int64,
    ) -> Int64:
        """The rule that decided each visit: the target's own when the overall is the target's.

        As engine._assess_series: reappearance after a CR, the FAQ's PR hold, or disease
        seen again after a CR override the target's and the table's rules.
        """
        c = self.criteria
        rule_id = self.rules.id
        has = self.has_targets
        target_rules = np.asarray(
            [
                rule_id(c.complete),
                rule_id(c.partial.rule),
                rule_id(c.stable),
                rule_id(c.progression.rule),
                rule_id(c.not_evaluable),
                -1,
            ],
            dtype=np.int64,
        )
        t_rule = np.where(fired, rule_id(c.reappearance), target_rules[target_state])
        if c.holds_response is not None:
            t_rule = np.where(held, rule_id(c.holds_response), t_rule)
        row_rule = row_rule_of[target_state, self.nt_state, self.new.astype(np.int64)]
        as_response = np.asarray(
            [_RESPONSES.index(x) for x in _T_STATES if x is not None] + [-2], dtype=np.int64
        )
        decisive = np.where(has & (overall == as_response[target_state]), t_rule, row_rule)
        return np.where(back, rule_id(c.disease_back), decisive)

    def _grew(self, current: Int64, reference: Int64, products: Bools) -> Bools:
        """The progression threshold, exactly, as engine._grew.

        At least (1 + f) × the reference, above it, and at least ``min_increase_mm`` more
        when the criteria ask.
        """
        growth = self.criteria.progression
        a, b = _fraction_parts(growth.fraction)
        grew = (current > reference) & (current * b >= reference * (a + b))
        if growth.min_increase_mm is not None:
            num, den = _fraction_parts(growth.min_increase_mm)
            scale = np.where(products, UM_PER_MM * UM_PER_MM, UM_PER_MM)
            grew &= (current - reference) * den >= num * scale
        return grew

    # ----------------------------------------------------------------- output

    def codes(self) -> pd.DataFrame:
        """One row per visit: numbers, display integers and codes (vector + scalar paths).

        Display integers are what the explanation prints: thousandths of a mm (sums of
        diameters, exact), hundredths of a mm² (sums of products) and tenths of a
        percent, all rounded half away from zero from the exact values.
        """
        follow = ~self.v_base
        v_pid = self.v_pid
        has = self.has_targets
        products = self.v_products
        scale = np.where(products, float(UM_PER_MM * UM_PER_MM), float(UM_PER_MM))
        texts: _Numbered[str] = _Numbered()
        patient_warning = np.asarray([texts.id(w) for w in _patient_warnings(self)], dtype=np.int64)
        warning = patient_warning[v_pid]
        recurrence = np.full(self.n_visits, texts.id(""), dtype=np.int64)
        extra: dict[int, list[str]] = {}
        late = np.flatnonzero(follow & (self.v_day > _MAX_DAYS)).tolist()
        labels = self.visit_labels if late else []
        for i in late:
            extra.setdefault(i, []).append(
                f"{labels[i]}: day {self.v_day[i]} is more than a year after baseline "
                "(check the day and its unit (days, not weeks))"
            )
        for i, label, site_warnings in self._recurrences():
            recurrence[i] = texts.id(label)
            extra.setdefault(i, []).extend(site_warnings)
        for i, text in self._small_node_returns():
            extra.setdefault(i, []).append(text)
        for i, more in extra.items():
            base = texts.items[warning[i]]
            warning[i] = texts.id("; ".join([base, *more] if base else more))
        complete = has & follow & self.complete
        pct_base = complete & (self.baseline != 0)
        pct_nadir = complete & (self.nadir > 0)
        frame = pd.DataFrame(
            {
                "_pid": v_pid,
                "_visit": self.visit_codes,
                "day": self.v_day,
                "sum_mm": np.where(has & (self.assessed > 0), self.total / scale, np.nan),
                "baseline_sum_mm": np.where(has, self.baseline / scale, np.nan),
                "nadir_mm": np.where(has & follow, self.nadir / scale, np.nan),
                "pct_change_baseline": _percent(self.total, self.baseline, pct_base),
                "pct_change_nadir": _percent(self.total, self.nadir, pct_nadir),
                "_sq": _display(self.total, products),
                "_bq": _display(self.baseline, products),
                "_nq": _display(self.nadir, products),
                "_pbq": _tenths(self.total, self.baseline, pct_base),
                "_pnq": _tenths(self.total, self.nadir, pct_nadir),
                "_pbx": _precise(self.total, self.baseline, pct_base, self.criteria, texts),
                "_pnx": _precise(self.total, self.nadir, pct_nadir, self.criteria, texts),
                "_t": np.where(follow & has, self.target_state, -1),
                "_nt": np.where(follow & (self.n_non_targets[v_pid] > 0), self.nt_state, -1),
                "new_lesions": follow & self.new,
                "_r": np.where(follow, self.overall, -1),
                "_rule": np.where(follow, self.decisive, -1),
                "_products": products,
                "all_assessed": np.where(has, self.complete, True),
                "lesions_assessed": self.assessed,
                "target_lesions": self.n_targets[v_pid],
                "_has_nt": self.n_non_targets[v_pid] > 0,
                "_warn": warning,
                "_rec": recurrence,
            }
        )
        if self.table.has_dates:
            frame["date"] = self.data["date"].to_numpy()[self.visit_start]
        scalar = self.scalar_pids[v_pid]
        if scalar.any():
            frame = pd.concat(
                [frame[~scalar], _scalar_codes(self, np.flatnonzero(self.scalar_pids), texts)],
                ignore_index=True,
            )
            frame = frame.sort_values(["_pid", "day"], kind="stable", ignore_index=True)
        frame.attrs["texts"] = texts.items
        return frame

    @property
    def visit_codes(self) -> Int64:
        """Each visit's label as a code into the table's visit categories."""
        codes = np.asarray(self.data["visit"].cat.codes, dtype=np.int64)
        return codes[self.visit_start]

    @property
    def visit_labels(self) -> list[str]:
        """Each visit's label (built on demand: only warnings and recurrences need it)."""
        categories = np.asarray(self.data["visit"].cat.categories, dtype=object)
        return categories[self.visit_codes].tolist()  # type: ignore[no-any-return]

    def _small_node_returns(self) -> list[tuple[int, str]]:
        """engine._small_node_return: PD after a CR resting on nodes back by < 5 mm.

        Only the few visits where a reappearance made PD are looked at, one by one.
        """
        fired = np.flatnonzero(self.fired & ~self.v_products).tolist()
        if not fired:
            return []
        t_rows, t_visit = self.t_rows, self.visit_of[self.t_rows]
        lesion = self.data["lesion"].cat.codes.to_numpy(dtype=np.int64)
        names = self.data["lesion"].cat.categories
        node = self.data["node"].to_numpy(dtype=bool)
        # Each visit's baseline visit (patient ids may have gaps: keep_going leaves some out).
        patient_first = np.flatnonzero(self.v_base)[np.cumsum(self.v_base) - 1]
        labels = self.visit_labels
        out: list[tuple[int, str]] = []
        for i in fired:
            lo, hi = np.searchsorted(t_visit, [i, i + 1]).tolist()
            start = int(np.searchsorted(t_visit, patient_first[i]))
            earlier = t_rows[start:lo]
            back: list[tuple[int, int, int]] = []  # (baseline row, row, lesion nadir)
            for row in t_rows[lo:hi].tolist():
                if self.missing[row] or self.gone[row]:
                    continue
                same = earlier[(lesion[earlier] == lesion[row]) & (self.value[earlier] >= 0)]
                back.append((int(same[0]), row, int(self.value[same].min())))
            small = SMALL_NODE_CHANGE_MM * UM_PER_MM
            if not back or not all(node[r] and self.value[r] - n < small for _, r, n in back):
                continue
            grown = [
                (
                    str(names[lesion[r]]),
                    Fraction(n, UM_PER_MM),
                    Fraction(int(self.value[r]), UM_PER_MM),
                )
                for _, r, n in sorted(back)
            ]
            out.append((i, str(small_node_return(labels[i], grown))))
        return out

    def _recurrences(self) -> list[tuple[int, str, list[str]]]:
        """Visits in remission with new disease: the recurrence by site (engine._recurrences).

        New lesions are placed by their recorded organ; at a target PD, each target that is
        back (not gone: a lymph node at a pathological size) by its baseline organ. Only
        these few visits are read one by one.
        """
        nt_seen = np.isin(self.nt_state, [_NT_NN, _NT_PD])
        candidates = np.flatnonzero(
            (self.remission_before >= 0) & (self.new | nt_seen | (self.target_state == _T_PD))
        )
        if candidates.size == 0:
            return []
        data = self.data
        role = data["role"].to_numpy()
        status = data["status"].to_numpy()
        organ = data["organ"].to_numpy()
        lesion = data["lesion"].to_numpy()
        seen = {int(x) for x in NEW_LESION_SEEN}
        row_end = np.append(self.visit_start[1:], len(data))
        first_visit = np.flatnonzero(self.v_base)
        patient_first = first_visit[np.cumsum(self.v_base) - 1]
        labels = self.visit_labels
        found: list[tuple[int, str, list[str]]] = []
        for i in candidates.tolist():
            rows = range(int(self.visit_start[i]), int(row_end[i]))
            sites: list[str] = []
            if self.new[i]:
                sites += [
                    str(organ[r])
                    for r in rows
                    if role[r] == Role.NEW and int(status[r]) in seen and not pd.isna(organ[r])
                ]
            if nt_seen[i]:  # non-target disease seen again after a CR, by its organ
                sites += [
                    str(organ[r])
                    for r in rows
                    if role[r] == Role.NON_TARGET
                    and int(status[r]) in (Status.PRESENT, Status.PROGRESSION)
                    and not pd.isna(organ[r])
                ]
            if self.target_state[i] == _T_PD:
                # In baseline order, as the scalar engine lists its targets.
                base = int(patient_first[i])
                base_rows = range(int(self.visit_start[base]), int(row_end[base]))
                back = {
                    lesion[r]
                    for r in rows
                    if role[r] == Role.TARGET
                    and ((not self.missing[r] and not self.gone[r]) or self.unknown_longest[r])
                }
                sites += [
                    str(organ[r])
                    for r in base_rows
                    if role[r] == Role.TARGET and lesion[r] in back and not pd.isna(organ[r])
                ]
            label, texts = _recurrence_text(
                sites, days=int(self.v_day[i] - self.remission_before[i]), visit=labels[i]
            )
            if label or texts:
                found.append((i, label, texts))
        return found

    def result(self) -> tuple[pd.DataFrame, _Context]:
        """The per-visit codes and what turning them into words needs (nothing row-sized)."""
        codes = self.codes()  # first: the scalar path may add rules
        data = self.data
        context = _Context(
            criteria=self.criteria,
            rules=tuple(self.rules.items),
            patients=data["patient"].cat.categories,
            visits=data["visit"].cat.categories,
        )
        return codes, context


_MAX_DAYS: Final = 365
"""The scalar engine warns about follow-ups more than a year after baseline."""


def _saw_nothing(before: Int64, overall: Int64, target: Int64, non_target: Int64) -> Bools:
    """After a CR, a PR only because non-targets were not evaluated (engine.saw_nothing).

    Targets still gone with non-targets NE is PR by RECIST 1.1 Table 1, but no disease
    was seen, so the CR stands behind it, as behind an NE.
    """
    found: Bools = (
        (before == _LAST_CR)
        & (overall == _RESPONSES.index(Response.PR))
        & (target == _T_CR)
        & (non_target == _NT_NE)
    )
    return found


class _Runs:
    """engine._History's confirmation, vectorised over one visit position at a time.

    Per visit: the day its PR/CR run began (−1: none), whether the run is confirmed
    (always, when no confirmation is required) and the NEs since it began. A PR or CR
    starts or continues the run, confirmed by a later one ``confirmation_days`` or more
    after it began; an NE changes nothing; anything else ends it. That is
    best.confirming_day's answer while the NEs in the run are within ``max_ne_between``.
    Beyond that limit, across an accepted SD, or around a PR that saw nothing, the answer
    needs every PR and CR asked in turn: those visits are ``intricate``, and their
    patients go to the scalar engine (when the criteria hold a response, ``checked``).
    """

    def __init__(self, n_visits: int, options: SeriesOptions, *, checked: bool) -> None:
        self.options = options
        self.checked = checked and options.confirmation_days is not None
        self.since = np.full(n_visits, -1, dtype=np.int64)
        self.confirmed = np.full(n_visits, options.confirmation_days is None, dtype=bool)
        self.ne_run = np.zeros(n_visits, dtype=np.int64)
        self.intricate = np.zeros(n_visits, dtype=bool)

    def add(self, idx: Int64, overall: Int64, unseen: Bools, day: Int64) -> None:
        """The visits ``idx`` (the visit before each is ``idx - 1``)."""
        pr, cr, ne, sd = (
            _RESPONSES.index(x) for x in (Response.PR, Response.CR, Response.NE, Response.SD)
        )
        seen = np.where(unseen, ne, overall)
        since, confirmed = self.since[idx - 1], self.confirmed[idx - 1]
        responding = (seen == pr) | (seen == cr)
        unchanged = seen == ne
        days = self.options.confirmation_days or 0
        done = confirmed | ((since >= 0) & (day - since >= days))
        self.since[idx] = np.where(
            responding, np.where(since >= 0, since, day), np.where(unchanged, since, -1)
        )
        self.confirmed[idx] = np.where(
            responding,
            done,
            np.where(unchanged, confirmed, self.options.confirmation_days is None),
        )
        self.ne_run[idx] = np.where(self.since[idx] >= 0, self.ne_run[idx - 1] + unchanged, 0)
        if self.checked:
            over = responding & ~confirmed & (self.ne_run[idx - 1] > self.options.max_ne_between)
            self.intricate[idx] = (since >= 0) & (
                over | unseen | ((seen == sd) & self.options.accept_sd)
            )


@dataclass(frozen=True)
class _Context:
    """What the output needs besides the per-visit codes: words, not rows."""

    criteria: Criteria
    rules: tuple[Rule, ...]
    patients: pd.Index
    visits: pd.Index


class _Numbered(Generic[_T]):
    """Distinct values (rules, warnings, recurrences), numbered in order of first use.

    A column then holds a small code per visit and becomes a categorical.
    """

    def __init__(self) -> None:
        self.items: list[_T] = []
        self._index: dict[_T, int] = {}

    def id(self, value: _T) -> int:
        if value not in self._index:
            self._index[value] = len(self.items)
            self.items.append(value)
        return self._index[value]


def _recurrence_text(sites: Sequence[str], *, days: int, visit: str) -> tuple[str, list[str]]:
    """The recurrence label and site warnings, worded as the scalar engine words them.

    ``Assessment.recurrence`` and ``engine._recurrences``: the founding document's local,
    regional or distant recurrence, by site.
    """
    found, warnings = name_recurrences(sites, days=days, where=visit)
    label = (
        "recurrence — " + "; ".join(f"{r.kind.value} ({r.site})" for r in found) if found else ""
    )
    return label, [str(w) for w in warnings]


def _percent(current: Int64, reference: Int64, defined: Bools) -> Floats:
    """``100 × (current − reference) / reference``, rounded once as ``float(Fraction)`` is.

    Both operands are exact in float64 below 2**53 and IEEE division rounds the exact
    quotient correctly, which is what ``float(Fraction)`` does; larger values go through
    :class:`~fractions.Fraction`.
    """
    out = np.full(current.size, np.nan)
    numerator = (current - reference) * 100
    safe = defined & (np.abs(numerator) < _EXACT_FLOAT) & (np.abs(reference) < _EXACT_FLOAT)
    out[safe] = numerator[safe].astype(np.float64) / reference[safe].astype(np.float64)
    for i in np.flatnonzero(defined & ~safe).tolist():
        out[i] = float(Fraction(int(current[i]) - int(reference[i]), int(reference[i])) * 100)
    return out


def _precise(
    current: Int64, reference: Int64, defined: Bools, criteria: Criteria, texts: _Numbered[str]
) -> Int64:
    """Text ids of the changes one decimal would show as a threshold they do not meet.

    ``""`` (one decimal will do) for nearly every visit; the few whose tenths land on
    30.0 % (say) are written by :func:`remission.explain.percent` from the exact change.
    """
    out = np.full(current.size, texts.id(""), dtype=np.int64)
    tenths = np.abs(_tenths(current, reference, defined))
    marks = [0, *(int(t * 1000) for t in criteria.thresholds)]
    safe_reference = np.where(defined, reference, 1)
    inexact = (current - reference) * 1000 % safe_reference != 0  # else tenths are exact
    found: dict[tuple[int, int], int] = {}  # sizes repeat: each change is written once
    for i in np.flatnonzero(defined & inexact & np.isin(tenths, marks)).tolist():
        key = (int(current[i]), int(reference[i]))
        if key not in found:
            change = Fraction(key[0] - key[1], key[1])
            found[key] = _precise_exact(change, criteria, texts)
        out[i] = found[key]
    return out


def _precise_exact(change: Fraction | None, criteria: Criteria, texts: _Numbered[str]) -> int:
    """The text id of ``change`` when one decimal will not do, else of ``""``."""
    if change is None:
        return texts.id("")
    text = percent(change, criteria.thresholds)
    return texts.id("" if text == _percent_word(_tenths_exact(change)) else text)


def _half_up(numerator: Int64, denominator: Int64 | int) -> Int64:
    """``numerator / denominator`` rounded half away from zero, in integers."""
    magnitude: Int64 = (2 * np.abs(numerator) + denominator) // (2 * np.asarray(denominator))
    signed: Int64 = np.where(numerator < 0, -magnitude, magnitude).astype(np.int64)
    return signed


def _display(value: Int64, products: Bools) -> Int64:
    """µm → thousandths of a mm (exact); µm² → hundredths of a mm² (rounded)."""
    return np.where(products, _half_up(value, 10_000), value)


def _tenths(current: Int64, reference: Int64, defined: Bools) -> Int64:
    """Change in tenths of a percent, rounded half away from zero; 0 where undefined."""
    safe_reference = np.where(defined, reference, 1)
    return np.where(defined, _half_up((current - reference) * 1000, safe_reference), 0)


def _mm(value: Fraction) -> str:
    """A size as the scalar engine prints it in deviations (``engine._mm``)."""
    return f"{float(value):g} mm"


def _patient_warnings(a: _Assessor) -> list[str]:
    """Each patient's protocol deviations, worded and ordered as the scalar engine does.

    First the WHO fallback to diameters when a perpendicular diameter is missing
    (``engine._uses_products``), then the measurability rules (``engine._deviations``:
    lesion by lesion in baseline order, the number of targets, then targets per organ in
    alphabetical order). Only the patients concerned are looked at one by one.
    """
    c = a.criteria
    found: defaultdict[int, list[str]] = defaultdict(list)  # only patients with warnings
    data = a.data
    lesion_names = data["lesion"].cat.categories
    lesion_codes = data["lesion"].cat.codes.to_numpy()

    def lesion(row: int) -> str:
        return str(lesion_names[lesion_codes[row]])

    # engine._uses_products: diameters for all when a baseline target lacks its second
    # diameter (WHO warns), else a follow-up lesion without one has no product.
    at_base = a.v_base[a.visit_of]
    fallback = a.no_perp & at_base & (a.product_gap[a.pid] if a.product_gap is not None else False)
    for rows, message, cited in (
        (fallback, PRODUCTS_FALLBACK, c.partial.rule.citation),
        (a.unknown_product, PRODUCT_UNKNOWN, c.partial.rule.citation),
        (a.node_short, NODE_SHORT_AXIS_USED, c.node_measure.citation),
        (a.unknown_longest, NODE_LONGEST_UNKNOWN, c.node_measure.citation),
    ):
        labels = a.visit_labels
        gaps: dict[int, list[str]] = {}
        for row in np.flatnonzero(rows).tolist():
            gaps.setdefault(int(a.pid[row]), []).append(
                f"{lesion(row)} at {labels[a.visit_of[row]]}"
            )
        for patient, places in gaps.items():
            found[patient].append(f"{listed_places(places)}: {message} ({cited})")
    limits = c.measurability
    if limits is not None:
        source = str(limits.rule.citation)
        role = data["role"].to_numpy()
        base_targets = np.flatnonzero((role == Role.TARGET) & at_base)
        node = data["node"].to_numpy(dtype=bool)[base_targets]
        by_longest = a.by_longest[base_targets]
        size = a.longest[base_targets]  # the diameter each target is measured by
        pid = a.pid[base_targets]
        # engine._deviations: nodes by their short axis against the node limit (the lesion
        # limit when there is none), other targets against the lesion limit.
        by_short_axis = node & ~by_longest
        node_limit = limits.min_node_mm if limits.min_node_mm is not None else limits.min_size_mm
        num, den = _fraction_parts(node_limit)
        small_node = by_short_axis & (size * den < num * UM_PER_MM)
        num, den = _fraction_parts(limits.min_size_mm)
        small = ~by_short_axis & (size * den < num * UM_PER_MM)
        for i in np.flatnonzero(small_node | small).tolist():
            value = Fraction(int(size[i]), UM_PER_MM)
            text = (
                f"lymph node short axis {_mm(value)} at baseline is below "
                f"{_mm(node_limit)} (not measurable)"
                if small_node[i]
                else f"longest diameter {_mm(value)} at baseline is below "
                f"{_mm(limits.min_size_mm)} (not measurable)"
            )
            found[int(pid[i])].append(f"lesion {lesion(base_targets[i])}: {text} ({source})")
        if limits.max_targets is not None:
            for p in np.flatnonzero(a.n_targets > limits.max_targets).tolist():
                found[p].append(
                    f"target lesions: {a.n_targets[p]} targets; at most {limits.max_targets} "
                    f"are allowed ({source})"
                )
        if limits.max_per_organ is not None and base_targets.size:
            # engine._deviations: all lymph nodes are one organ; other organs by name,
            # ignoring case and spaces around; targets without an organ are not counted.
            organ_codes = data["organ"].cat.codes.to_numpy(dtype=np.int64)[base_targets]
            names = [str(o).strip().lower() for o in data["organ"].cat.categories]
            words = sorted({*names, "lymph nodes"} - {""})
            code_of = np.asarray([words.index(n) if n else -1 for n in names] + [-1])
            organ = np.where(node, words.index("lymph nodes"), code_of[organ_codes])
            counted = organ >= 0
            key = pid[counted] * len(words) + organ[counted]
            totals = np.bincount(key, minlength=a.n_patients * len(words))
            for k in np.flatnonzero(totals > limits.max_per_organ).tolist():
                found[k // len(words)].append(
                    f"organ {words[k % len(words)]}: {totals[k]} targets; at most "
                    f"{limits.max_per_organ} per organ are allowed ({source})"
                )
    out = [""] * a.n_patients
    for patient, texts in found.items():
        out[patient] = "; ".join(texts)
    return out


def _scalar_codes(a: _Assessor, pids: Int64, texts: _Numbered[str]) -> pd.DataFrame:
    """The same per-visit columns from :func:`remission.classify_series`.

    For the patients the vector path leaves to the scalar engine: sizes finer than a
    micrometre, values too large for int64, or a response whose confirmation needs the
    best response's full rule (see :meth:`_Assessor._history`).
    """
    c = a.criteria
    patients = a.data["patient"].cat.categories
    visit_index = {str(v): i for i, v in enumerate(a.data["visit"].cat.categories)}
    rows: list[dict[str, object]] = []
    for pid in pids.tolist():
        visits = to_visits(a.table, str(patients[pid]))
        series = classify_series(
            visits,
            criteria=c,
            confirmation_days=a.confirmation_days,
            max_ne_between=a.options.max_ne_between,
            accept_sd=a.options.accept_sd,
        )
        products = _series_products(series, visits, c)
        baseline = series.baseline
        n_targets = len(visits[0].targets)
        has_nt = visits[0].non_target is not None
        rows.append(
            {
                "_pid": pid,
                "_visit": visit_index[str(visits[0].label)],
                "day": 0,
                "sum_mm": _float(baseline),
                "baseline_sum_mm": _float(baseline),
                "nadir_mm": np.nan,
                "pct_change_baseline": np.nan,
                "pct_change_nadir": np.nan,
                "_sq": _display_exact(baseline, products),
                "_bq": _display_exact(baseline, products),
                "_nq": 0,
                "_pbq": 0,
                "_pnq": 0,
                "_pbx": texts.id(""),
                "_pnx": texts.id(""),
                "_t": -1,
                "_nt": -1,
                "new_lesions": False,
                "_r": -1,
                "_rule": -1,
                "_products": products,
                "all_assessed": True,
                "lesions_assessed": n_targets,
                "target_lesions": n_targets,
                "_has_nt": has_nt,
                "_warn": texts.id("; ".join(map(str, series.warnings))),
                "_rec": texts.id(""),
            }
        )
        for x in series.visits:
            rows.append(
                {
                    "_pid": pid,
                    "_visit": visit_index[x.visit],
                    "day": x.day,
                    "sum_mm": x.sum_mm,
                    "baseline_sum_mm": _float(x.baseline),
                    "nadir_mm": _float(x.nadir),
                    "pct_change_baseline": _float(x.percent_change),
                    "pct_change_nadir": _float(x.percent_change_nadir),
                    "_sq": _display_exact(x.current, products),
                    "_bq": _display_exact(x.baseline, products),
                    "_nq": _display_exact(x.nadir, products),
                    "_pbq": _tenths_exact(x.change_from_baseline),
                    "_pnq": _tenths_exact(x.change_from_nadir),
                    "_pbx": _precise_exact(x.change_from_baseline, c, texts),
                    "_pnx": _precise_exact(x.change_from_nadir, c, texts),
                    "_t": -1 if x.target_response is None else _T_STATES.index(x.target_response),
                    "_nt": -1
                    if x.non_target_response is None
                    else _NT_STATES.index(x.non_target_response),
                    "new_lesions": x.new_lesions,
                    "_r": _RESPONSES.index(x.response),
                    "_rule": a.rules.id(x.rule),
                    "_products": x.measure is Measure.PRODUCT,
                    "all_assessed": x.all_assessed,
                    "lesions_assessed": sum(lesion.value is not None for lesion in x.lesions),
                    "target_lesions": n_targets,
                    "_has_nt": has_nt,
                    "_warn": texts.id("; ".join(map(str, x.warnings))),
                    "_rec": texts.id(x.recurrence),
                }
            )
    frame = pd.DataFrame(rows)
    if a.table.has_dates:
        dates = a.data["date"].to_numpy()[a.visit_start]
        by_visit = dict(
            zip(zip(a.v_pid.tolist(), a.v_day.tolist(), strict=True), dates, strict=True)
        )
        frame["date"] = [by_visit[(p, d)] for p, d in zip(frame["_pid"], frame["day"], strict=True)]
    return frame


def _series_products(series: Series, visits: Sequence[Visit], criteria: Criteria) -> bool:
    """Whether the scalar engine multiplied diameters for this patient."""
    if series.visits:
        return series.visits[0].measure is Measure.PRODUCT
    # Baseline only: products when every baseline target has its second diameter
    # (engine._uses_products on the one visit; baseline sizes are above 0).
    if criteria.measure is Measure.DIAMETER or not visits[0].targets:
        return False
    return all(
        isinstance(t, Lesion) and t.perpendicular_mm is not None for t in visits[0].targets.values()
    )


def _float(value: Fraction | float | None) -> float:
    return np.nan if value is None else float(value)


def _round_half_up(value: Fraction) -> int:
    magnitude = int((abs(value) * 2 + 1) // 2)
    return -magnitude if value < 0 else magnitude


def _display_exact(value: Fraction | None, products: bool) -> int:
    """The display integer of an exact value (see :meth:`_Assessor.codes`)."""
    if value is None:
        return 0
    return _round_half_up(value * (100 if products else UM_PER_MM))


def _tenths_exact(change: Fraction | None) -> int:
    return 0 if change is None else _round_half_up(change * 1000)


# --------------------------------------------------------------------------- text

_FRACTION_TEXT: Final = MappingProxyType(
    {
        3: np.asarray(
            [("." + f"{i:03d}".rstrip("0")) if i else "" for i in range(1000)], dtype=object
        ),
        2: np.asarray(
            [("." + f"{i:02d}".rstrip("0")) if i else "" for i in range(100)], dtype=object
        ),
    }
)
"""Decimal tails by value: 250 → ".25", 0 → "" (digits 3 for mm, 2 for mm²)."""


def _clinician(criteria: Criteria, response: int, target: int, non_target: int, new: bool) -> str:
    """The first sentence of the scalar explanation (``explain.explain``'s ``clinician``)."""
    r = _RESPONSES[response]
    parts = [f"{r.label} ({r.value}) under {criteria.title}."]
    t_state = _T_STATES[target] if target >= 0 else None
    nt_state = _NT_STATES[non_target] if non_target >= 0 else None
    if t_state is not None:
        parts.append(f"Target lesions: {t_state.phrase}.")
    if nt_state is not None:
        parts.append(f"Non-target lesions: {nt_state.phrase}.")
    parts.append("New lesions: yes." if new else "New lesions: none.")
    return " ".join(parts)


_PERCENT_LOW, _PERCENT_HIGH = -1000, 20_000
"""Changes from −100.0 % to +2000.0 % (in tenths) are printed from a table built once."""


@cache
def _percent_table() -> npt.NDArray[np.object_]:
    return np.asarray(
        [_percent_word(q) for q in range(_PERCENT_LOW, _PERCENT_HIGH + 1)], dtype=object
    )


def _percent_word(q: int) -> str:
    """Tenths of a percent as explain.percent writes them: "−30.0 %", "±0.0 %"."""
    sign = "+" if q > 0 else ("−" if q < 0 else "±")
    return f"{sign}{abs(q) // 10}.{abs(q) % 10} %"


class _Parts:
    """Pieces of explanation text for a subset of visits, as plain Python values."""

    def __init__(
        self, frame: pd.DataFrame, first: npt.NDArray[np.object_], rules: npt.NDArray[np.object_]
    ) -> None:
        self.frame = frame
        self.products = frame["_products"].to_numpy(dtype=bool)
        self.first = first
        self.rules = rules
        self.unit = np.asarray([" mm", " mm²"], dtype=object)[self.products.astype(np.int64)]
        self.texts: list[str] = frame.attrs.get("texts", [""])
        self.plain = self.texts.index("") if "" in self.texts else -1

    def size(self, column: str, idx: Int64) -> list[str]:
        """Display integers as "43.1 mm" / "825 mm²", exactly; each distinct value once."""
        key = self.frame[column].to_numpy(dtype=np.int64)[idx] * 2 + self.products[idx]
        values, inverse = np.unique(key, return_inverse=True)
        texts = []
        for k in values.tolist():
            q, products = divmod(k, 2)
            if products:
                texts.append(f"{q // 100}{_FRACTION_TEXT[2][q % 100]} mm²")
            else:
                texts.append(f"{q // 1000}{_FRACTION_TEXT[3][q % 1000]} mm")
        return np.asarray(texts, dtype=object)[inverse.ravel()].tolist()  # type: ignore[no-any-return]

    def change(self, column: str, precise: str, idx: Int64) -> list[str]:
        """Changes in tenths of a percent as signed text.

        ``precise`` names the column of text ids for the changes that need more
        decimals (near a threshold, see :func:`_precise`).
        """
        q = self.frame[column].to_numpy(dtype=np.int64)[idx]
        inside = (q >= _PERCENT_LOW) & (q <= _PERCENT_HIGH)
        out = _percent_table()[np.where(inside, q - _PERCENT_LOW, 0)]
        for i in np.flatnonzero(~inside).tolist():
            out[i] = _percent_word(int(q[i]))
        ids = self.frame[precise].to_numpy(dtype=np.int64)[idx]
        for i in np.flatnonzero(ids != self.plain).tolist():
            out[i] = self.texts[int(ids[i])]
        return out.tolist()  # type: ignore[no-any-return]

    def common(self, idx: Int64) -> tuple[list[str], list[str], list[str]]:
        """The first sentence, the unit and the rule of each visit."""
        return self.first[idx].tolist(), self.unit[idx].tolist(), self.rules[idx].tolist()


def _explain_complete(parts: _Parts, idx: Int64) -> list[str]:
    first, _, rules = parts.common(idx)
    return [
        f"{s} Sum {a} vs baseline {b} ({p}) and nadir {m} ({q}). Rule: {ru}."
        for s, a, b, p, m, q, ru in zip(
            first,
            parts.size("_sq", idx),
            parts.size("_bq", idx),
            parts.change("_pbq", "_pbx", idx),
            parts.size("_nq", idx),
            parts.change("_pnq", "_pnx", idx),
            rules,
            strict=True,
        )
    ]


def _explain_zero_nadir(parts: _Parts, idx: Int64) -> list[str]:
    first, unit, rules = parts.common(idx)
    return [
        f"{s} Sum {a} vs baseline {b} ({p}) and nadir 0{u} (undefined). Rule: {ru}."
        for s, a, b, p, u, ru in zip(
            first,
            parts.size("_sq", idx),
            parts.size("_bq", idx),
            parts.change("_pbq", "_pbx", idx),
            unit,
            rules,
            strict=True,
        )
    ]


def _explain_partial(parts: _Parts, idx: Int64) -> list[str]:
    first, _, rules = parts.common(idx)
    counted = parts.frame["lesions_assessed"].to_numpy()[idx].tolist()
    total = parts.frame["target_lesions"].to_numpy()[idx].tolist()
    return [
        f"{s} Sum of the {k} of {n} target lesions assessed: {a}; baseline {b}, nadir {m}. "
        f"Rule: {ru}."
        for s, k, n, a, b, m, ru in zip(
            first,
            counted,
            total,
            parts.size("_sq", idx),
            parts.size("_bq", idx),
            parts.size("_nq", idx),
            rules,
            strict=True,
        )
    ]


def _explain_unmeasured(parts: _Parts, idx: Int64) -> list[str]:
    first, _, rules = parts.common(idx)
    return [
        f"{s} No target lesion was measured; baseline {b}, nadir {m}. Rule: {ru}."
        for s, b, m, ru in zip(
            first, parts.size("_bq", idx), parts.size("_nq", idx), rules, strict=True
        )
    ]


def _explain_no_targets(parts: _Parts, idx: Int64) -> list[str]:
    first, _, rules = parts.common(idx)
    return [f"{s} Rule: {ru}." for s, ru in zip(first, rules, strict=True)]


def _explain_baseline(parts: _Parts, idx: Int64, title: str) -> list[str]:
    total = parts.frame["target_lesions"].to_numpy()[idx].tolist()
    has_nt = parts.frame["_has_nt"].to_numpy(dtype=bool)[idx].tolist()
    return [
        f"Baseline under {title}: "
        + (f"{n} target lesion{'' if n == 1 else 's'}, sum {b}" if n else "no target lesions")
        + ("; non-target disease present." if h else "; no non-target disease.")
        for n, b, h in zip(total, parts.size("_bq", idx), has_nt, strict=True)
    ]


def _explanations(frame: pd.DataFrame, a: _Context, rule_text: list[str]) -> list[str]:
    """One sentence set per visit: the decision, the sums and changes, the rule and source.

    Sums print exactly from their display integers (no float formatting) and percent
    changes to one decimal; the first sentence is the scalar explanation's. Each kind of
    row is written by one comprehension over plain integers and short strings, which is
    the cheapest way Python has to build 250,000 distinct sentences.
    """
    c = a.criteria
    t = frame["_t"].to_numpy(dtype=np.int64)
    nt = frame["_nt"].to_numpy(dtype=np.int64)
    r = frame["_r"].to_numpy(dtype=np.int64)
    new = frame["new_lesions"].to_numpy(dtype=bool)
    combo = (((r + 1) * 7 + (t + 1)) * 6 + (nt + 1)) * 2 + new
    keys, inverse = np.unique(combo, return_inverse=True)
    first = np.asarray(
        [
            _clinician(c, k // 84 - 1, (k // 12) % 7 - 1, (k // 2) % 6 - 1, bool(k % 2))
            if k // 84 >= 1
            else ""
            for k in keys.tolist()
        ],
        dtype=object,
    )[inverse.ravel()]
    rules = np.asarray(rule_text, dtype=object)[np.maximum(frame["_rule"].to_numpy(), 0)]
    parts = _Parts(frame, first, rules)
    has = frame["target_lesions"].to_numpy() > 0
    complete = frame["all_assessed"].to_numpy(dtype=bool)
    nadir_defined = frame["pct_change_nadir"].notna().to_numpy()
    measured = frame["lesions_assessed"].to_numpy() > 0
    kind = np.where(
        r < 0,
        0,
        np.where(
            ~has,
            1,
            np.where(~measured, 5, np.where(~complete, 3, np.where(nadir_defined, 2, 4))),
        ),
    )
    out = np.empty(len(frame), dtype=object)
    writers = {
        1: _explain_no_targets,
        2: _explain_complete,
        3: _explain_partial,
        4: _explain_zero_nadir,
        5: _explain_unmeasured,
    }
    for code, writer in writers.items():
        idx = np.flatnonzero(kind == code)
        if idx.size:
            out[idx] = writer(parts, idx)
    idx = np.flatnonzero(kind == 0)
    if idx.size:
        out[idx] = _explain_baseline(parts, idx, c.title)
    texts: list[str] = out.tolist()
    return texts


def _categorical(codes: Int64, categories: Sequence[str] | pd.Index) -> pd.Categorical:
    """A categorical column from codes (−1 = missing) and its distinct labels."""
    labels = categories if isinstance(categories, pd.Index) else pd.Index(list(categories))
    return pd.Categorical.from_codes(codes, categories=labels)


def _finish(frame: pd.DataFrame, a: _Context) -> pd.DataFrame:
    """Codes to the public columns: categories for repeated words, text for explanations."""
    c = a.criteria
    texts: list[str] = frame.attrs.get("texts", [""])
    rule_words = [str(x) for x in a.rules]
    unique_rules = list(dict.fromkeys([*rule_words, BASELINE_RULE]))
    rule_code = np.asarray(
        [unique_rules.index(w) for w in rule_words] + [unique_rules.index(BASELINE_RULE)],
        dtype=np.int64,
    )
    rule = frame["_rule"].to_numpy(dtype=np.int64)
    products = frame["_products"].to_numpy(dtype=bool)
    responses = [x.value for x in _RESPONSES]
    t_codes = np.asarray([responses.index(x.value) for x in _T_STATES if x is not None] + [-1, -1])
    nt_codes = np.asarray(
        [responses.index(x.value) for x in _NT_STATES if x is not None] + [-1, -1]
    )
    text_index, text_codes = _dense(frame["_warn"].to_numpy(dtype=np.int64), texts)
    rec_index, rec_codes = _dense(frame["_rec"].to_numpy(dtype=np.int64), texts)
    columns: dict[str, object] = {
        "patient": _categorical(frame["_pid"].to_numpy(dtype=np.int64), a.patients),
        "visit": _categorical(frame["_visit"].to_numpy(dtype=np.int64), a.visits),
        "day": frame["day"].to_numpy(dtype=np.int64),
    }
    if "date" in frame.columns:
        columns["date"] = frame["date"].to_numpy()
    for name in (
        "sum_mm",
        "baseline_sum_mm",
        "nadir_mm",
        "pct_change_baseline",
        "pct_change_nadir",
    ):
        columns[name] = frame[name].to_numpy(dtype=np.float64)
    columns.update(
        {
            "target_response": _categorical(
                t_codes[frame["_t"].to_numpy(dtype=np.int64)], responses
            ),
            "non_target_response": _categorical(
                nt_codes[frame["_nt"].to_numpy(dtype=np.int64)], responses
            ),
            "new_lesions": frame["new_lesions"].to_numpy(dtype=bool),
            "response": _categorical(frame["_r"].to_numpy(dtype=np.int64), responses),
            "rule": _categorical(rule_code[rule], unique_rules),
            # Object dtype on purpose: converting 250,000 unique sentences to Arrow strings
            # would cost more than building them.
            "explanation": pd.Series(
                _explanations(frame, a, rule_words or [""]), dtype=object, index=frame.index
            ),
            "recurrence": _categorical(rec_codes, rec_index),
            "criteria": _categorical(np.zeros(len(frame), dtype=np.int64), [c.name]),
            "measure": _categorical(
                products.astype(np.int64), [Measure.DIAMETER.value, Measure.PRODUCT.value]
            ),
            "unit": _categorical(products.astype(np.int64), ["mm", "mm²"]),
            "all_assessed": frame["all_assessed"].to_numpy(dtype=bool),
            "lesions_assessed": frame["lesions_assessed"].to_numpy(dtype=np.int64),
            "target_lesions": frame["target_lesions"].to_numpy(dtype=np.int64),
            "warnings": _categorical(text_codes, text_index),
        }
    )
    return pd.DataFrame(columns)


def _dense(codes: Int64, texts: Sequence[str]) -> tuple[list[str], Int64]:
    """Only the texts in use, as categories (empty string for none)."""
    used, inverse = np.unique(codes, return_inverse=True)
    return [texts[i] for i in used.tolist()], inverse.ravel().astype(np.int64)


# --------------------------------------------------------------------------- best response


def _best(frame: pd.DataFrame, a: _Context, options: SeriesOptions) -> pd.DataFrame:
    """Best overall response per patient from the per-visit codes.

    The algorithm is ``best_response``'s own (:func:`remission.best.best_of_checked`,
    as the options were checked once for all patients).

    Patients with the same sequence of (day, response) share one call: the answer is a
    function of that sequence and the options alone.
    """
    c = a.criteria
    pid = frame["_pid"].to_numpy(dtype=np.int64)
    r = frame["_r"].to_numpy(dtype=np.int64)
    day = frame["day"].to_numpy(dtype=np.int64)
    follow = r >= 0
    starts, groups = _segments(pid)
    # best_pct_change: the smallest change from baseline up to and including the first PD.
    is_pd = follow & (r == _RESPONSES.index(Response.PD))
    pd_before = pd.Series(is_pd.astype(np.int64)).groupby(pid).cumsum().to_numpy() - is_pd
    pct = frame["pct_change_baseline"].to_numpy(dtype=np.float64)
    counted = np.where(follow & (pd_before == 0), pct, np.nan)
    best_pct = pd.Series(counted).groupby(pid, sort=False).min().to_numpy(dtype=np.float64)

    nothing = (
        (frame["_t"].to_numpy(dtype=np.int64) == _T_CR)
        & (frame["_nt"].to_numpy(dtype=np.int64) == _NT_NE)
        & (r == _RESPONSES.index(Response.PR))
    )
    cache: dict[tuple[Response, tuple[tuple[int, int, bool], ...]], int] = {}
    results: list[BestResponse] = []
    which = np.empty(starts.size, dtype=np.int64)
    ends = np.append(starts[1:], pid.size).tolist()
    day_list = day.tolist()
    r_list = r.tolist()
    nothing_list = nothing.tolist()
    stable_of = {has: stable_response(c, has_targets=has) for has in (False, True)}
    stable = [stable_of[n > 0] for n in frame["target_lesions"].to_numpy()[starts].tolist()]
    for index, (start, end) in enumerate(zip(starts.tolist(), ends, strict=True)):
        pairs = tuple((day_list[i], r_list[i], nothing_list[i]) for i in range(start + 1, end))
        key = (stable[index], pairs)
        found = cache.get(key)
        if found is None:
            found = len(results)
            results.append(
                best_of_checked(
                    [(d, _RESPONSES[x]) for d, x, _ in pairs],
                    unseen={d for d, _, saw_nothing in pairs if saw_nothing},
                    confirmation_days=options.confirmation_days,
                    sd_min_days=options.sd_min_days,
                    max_ne_between=options.max_ne_between,
                    accept_sd=options.accept_sd,
                    stable=stable[index],
                )
            )
            cache[key] = found
        which[index] = found
    texts: list[str] = frame.attrs.get("texts", [""])
    warn = frame["_warn"].to_numpy(dtype=np.int64)[starts].tolist()
    warnings = [
        "; ".join([w for w in (texts[p],) if w] + [str(x) for x in results[k].warnings])
        for p, k in zip(warn, which.tolist(), strict=True)
    ]
    warning_texts = list(dict.fromkeys(warnings))
    warning_index = {w: i for i, w in enumerate(warning_texts)}
    responses = [x.value for x in _RESPONSES]
    rule_texts = list(dict.fromkeys(str(b.explanation.rule) for b in results))
    explanation = np.asarray(
        [f"{b.explanation.clinician} Rule: {b.explanation.rule}." for b in results], dtype=object
    )
    return pd.DataFrame(
        {
            "patient": _categorical(pid[starts], a.patients),
            "best_response": _categorical(
                np.asarray([responses.index(b.response.value) for b in results], dtype=np.int64)[
                    which
                ],
                responses,
            ),
            "best_response_day": pd.array([results[k].day for k in which.tolist()], dtype="Int64"),
            "confirmed_day": pd.array(
                [results[k].confirmed_day for k in which.tolist()], dtype="Int64"
            ),
            "best_pct_change": best_pct,
            "explanation": explanation[which],
            "criteria": _categorical(np.zeros(starts.size, dtype=np.int64), [c.name]),
            "rule": _categorical(
                np.asarray(
                    [rule_texts.index(str(b.explanation.rule)) for b in results], dtype=np.int64
                )[which],
                rule_texts,
            ),
            "assessments": np.bincount(groups[follow], minlength=starts.size).astype(np.int64),
            "warnings": _categorical(
                np.asarray([warning_index[w] for w in warnings], dtype=np.int64), warning_texts
            ),
        }
    )
