"""Per-visit facts in exact integers: what each target adds, the sums, baseline and nadir.

Every fact comes from the criteria's data (:class:`~remission.criteria.Criteria`) and is
decided here once:

* products or diameters, per patient at baseline (:attr:`Criteria.measure`);
* a lymph node's measure, per lesion at baseline (:attr:`Criteria.node_short_axis`);
* each target's value, and whether it is too small, gone or not assessed;
* the sums, the baseline sum and the nadir (the smallest previous complete sum);
* the target rules' tests: growth (:func:`grew`), shrinkage, all gone, not all assessed.

Examples:
    >>> from remission.criteria import RECIST_1_1
    >>> grew(RECIST_1_1, np.array([60, 59]), np.array([50, 50]), scale=1, products=np.array([False, False])).tolist()
    [True, False]
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import numpy as np

from remission.core.readings import Bools, Int64, Readings, Sizes, integers, needs_wide
from remission.core.runs import previous_min, segments, sum_by
from remission.criteria import Criteria, Measure, Reference, Scope, TargetRule

__all__ = ["Facts", "grew", "units"]


def _parts(value: Fraction) -> tuple[int, int]:
    return value.numerator, value.denominator


def units(products: Bools, scale: int, *, wide: bool = False) -> Sizes:
    """Per element, what one mm (or one mm², where ``products``) is in integers."""
    if wide or scale * scale >= 2**62:
        out = np.empty(products.size, dtype=object)
        out[:] = [scale * scale if p else scale for p in products.tolist()]
        return out
    return np.where(products, scale * scale, scale).astype(np.int64)


def grew(
    criteria: Criteria, current: Sizes, reference: Sizes, *, scale: int, products: Bools
) -> Bools:
    """The progression threshold, exactly: ≥ (1 + f) × reference, above it, ≥ min mm.

    RECIST 1.1 section 4.3.1 (Eisenhauer et al. 2009): at least 20 % above the nadir
    and at least 5 mm more; RECIST 1.0 and the basic rule: the fraction alone; WHO
    (Miller et al. 1981): 25 % for any one lesion. A reference of 0 (every target gone at
    the nadir) is no exception: any value above it is more than 20 % above it, so
    RECIST 1.1's 5 mm alone decides (the RECIST FAQ: reappearance is PD when the PD rules
    are met); criteria without a minimum in mm call any regrowth from 0 progression.
    """
    growth = criteria.progression
    a, b = _parts(growth.fraction)
    found: Bools = (current > reference) & (current * b >= reference * (a + b))
    if growth.min_increase_mm is not None:
        num, den = _parts(growth.min_increase_mm)
        unit = units(products, scale, wide=current.dtype == object)
        found &= (current - reference) * den >= unit * num
    return found


@dataclass(frozen=True, eq=False)
class Facts:
    """A study under one criteria set: per-row and per-visit exact facts."""

    readings: Readings
    criteria: Criteria

    # ----------------------------------------------------------------- patients

    @cached_property
    def visit_base(self) -> Bools:
        """Whether each visit is its patient's baseline."""
        r = self.readings
        base = np.ones(r.n_visits, dtype=bool)
        base[1:] = r.visit_patient[1:] != r.visit_patient[:-1]
        return base

    @cached_property
    def row_base(self) -> Bools:
        """Whether each target row is at baseline."""
        return self.visit_base[self.readings.row_visit]

    @cached_property
    def row_patient(self) -> Int64:
        """Each target row's patient."""
        return self.readings.visit_patient[self.readings.row_visit]

    @cached_property
    def n_targets(self) -> Int64:
        """Target lesions per patient (its baseline rows)."""
        return np.bincount(
            self.row_patient[self.row_base], minlength=self.readings.n_patients
        ).astype(np.int64)

    @cached_property
    def no_perp(self) -> Bools:
        """Target rows with a longest diameter above 0 and no perpendicular one."""
        r = self.readings
        return (r.row_size > 0) & (r.row_perp < 0)

    @cached_property
    def product_gap(self) -> Bools:
        """Patients with a baseline target lacking its second diameter."""
        gap = np.zeros(self.readings.n_patients, dtype=bool)
        gap[self.row_patient[self.no_perp & self.row_base]] = True
        return gap & (self.n_targets > 0)

    @cached_property
    def products(self) -> Bools:
        """Per patient: sizes multiplied (WHO, the basic rule with both diameters).

        Decided once, at baseline (:attr:`Criteria.measure`): products need both
        diameters of every target at baseline; without them sums of longest diameters are
        used for the whole series (WHO warns), so a later visit cannot change the answers
        already given.
        """
        if self.criteria.measure is Measure.DIAMETER:
            return np.zeros(self.readings.n_patients, dtype=bool)
        found: Bools = (self.n_targets > 0) & ~self.product_gap
        return found

    @cached_property
    def row_products(self) -> Bools:
        """Per target row: its patient's sizes are multiplied."""
        return self.products[self.row_patient]

    @cached_property
    def visit_products(self) -> Bools:
        """Per visit: its patient's sizes are multiplied."""
        return self.products[self.readings.visit_patient]

    # ----------------------------------------------------------------- exact integers

    @cached_property
    def wide(self) -> bool:
        """Whether this study's sums could leave ``int64``: then Python integers are used.

        The bound is the largest value a target can add (a product of the largest sizes
        when the criteria multiply), times the most targets at a visit, times the most the
        arithmetic multiplies a sum by (the criteria's fraction parts, 100 for percentages;
        1,000 covers both with room to spare).
        """
        r = self.readings
        if object in (r.row_size.dtype, r.row_perp.dtype):
            return True
        if r.row_size.size == 0:
            return False
        largest = max(
            int(r.row_size.max()),
            int(r.row_perp.max()),
            int(self.criteria.too_small_mm * r.scale),
            1,
        )
        value = largest * largest if self.products.any() else largest
        most = int(np.bincount(r.row_visit).max())
        return needs_wide(value * most, factor=1000)

    @cached_property
    def size(self) -> Sizes:
        """The longest diameters as exact integers (``int64``, or Python integers if wide)."""
        r = self.readings
        return (
            integers(r.row_size, wide=True)
            if self.wide and r.row_size.dtype != object
            else r.row_size
        )

    @cached_property
    def perp(self) -> Sizes:
        """The perpendicular diameters, as :attr:`size`."""
        r = self.readings
        return (
            integers(r.row_perp, wide=True)
            if self.wide and r.row_perp.dtype != object
            else r.row_perp
        )

    # ----------------------------------------------------------------- lesions

    @cached_property
    def lesion_run(self) -> tuple[Int64, Int64]:
        """Target rows ordered by lesion (stable), and each row's lesion number.

        Returns the order and, in that order, a dense lesion number (patient × name).
        """
        r = self.readings
        key = self.row_patient * (len(r.lesion_names) + 1) + r.row_lesion
        order = np.argsort(key, kind="stable")
        _, run = segments(key[order])
        return order, run

    @cached_property
    def by_longest(self) -> Bools:
        """Node rows measured by their longest diameter: both diameters at baseline.

        Criteria without RECIST 1.1's short-axis rule measure a node as any lesion, by
        its longest diameter (:attr:`Criteria.node_measure`): the larger of its two
        diameters. Decided at baseline, lesion by lesion, so that a second diameter
        recorded at one visit and not another cannot change the measure between them.
        """
        r = self.readings
        candidates = r.row_node & ~self.row_products
        if self.criteria.node_short_axis or not candidates.any():
            return np.zeros(r.row_size.size, dtype=bool)
        order, run = self.lesion_run
        both = (candidates & self.row_base & (r.row_size > 0) & (r.row_perp >= 0))[order]
        lesion_both = np.zeros(int(run.max()) + 1, dtype=bool)
        lesion_both[run[both]] = True
        found = np.zeros(r.row_size.size, dtype=bool)
        found[order] = lesion_both[run]
        out: Bools = found & candidates
        return out

    @cached_property
    def node_short(self) -> Bools:
        """Baseline node rows kept on their short axis by criteria that measure the longest."""
        r = self.readings
        if self.criteria.node_short_axis:
            return np.zeros(r.row_size.size, dtype=bool)
        found: Bools = (
            r.row_node & self.row_base & ~self.by_longest & (r.row_size > 0) & ~self.row_products
        )
        return found

    @cached_property
    def unknown_product(self) -> Bools:
        """Follow-up rows of a product patient without their second diameter: unknown."""
        found: Bools = self.no_perp & self.row_products
        return found

    @cached_property
    def unknown_longest(self) -> Bools:
        """Rows of a node measured by its longest diameter, given only its short axis."""
        found: Bools = self.by_longest & self.no_perp
        return found

    @cached_property
    def longest(self) -> Sizes:
        """The diameter each row is measured by (the larger one for a longest-measured node)."""
        r = self.readings
        return np.where(
            self.by_longest & (r.row_size > 0), np.maximum(self.size, self.perp), self.size
        )

    @cached_property
    def missing(self) -> Bools:
        """Rows not assessed: no size, or a product or longest diameter unknown."""
        r = self.readings
        found: Bools = (
            ((r.row_size < 0) & ~r.row_too_small) | self.unknown_product | self.unknown_longest
        )
        return found

    @cached_property
    def value(self) -> Sizes:
        """What each row adds to the sum: its diameter or product; −1 = not assessed.

        A lesion present but too small to measure counts as the criteria's size
        (:attr:`Criteria.too_small_mm`: 5 mm, RECIST 1.1 section 4.3.2; 0 for the basic
        rule), squared for products.
        """
        r = self.readings
        small = int(self.criteria.too_small_mm * r.scale)
        zero = np.zeros(1, dtype=self.size.dtype)[0]
        diameter = np.where(r.row_too_small, small, self.longest)
        product = np.where(
            r.row_too_small,
            small * small,
            np.maximum(self.size, zero) * np.maximum(self.perp, zero),
        )
        value = np.where(self.row_products, product, diameter)
        return np.where(self.missing, -1, value)

    @cached_property
    def gone(self) -> Bools:
        """Rows of a lesion gone: 0 mm, or a lymph node below the normal short axis.

        RECIST 1.1 section 4.3.1: complete response needs every target node below 10 mm
        short axis (:attr:`Criteria.node_normal_below_mm`); other criteria need 0 mm.
        """
        r = self.readings
        c = self.criteria
        given = np.where(r.row_too_small, int(c.too_small_mm * r.scale), self.size)
        if c.node_normal_below_mm is not None:
            num, den = _parts(c.node_normal_below_mm)
            found = np.where(r.row_node, given * den < num * r.scale, given == 0)
        else:
            found = given == 0
        out: Bools = found.astype(bool) & ~self.missing
        return out

    @cached_property
    def at_least(self) -> Sizes:
        """For a node known only by its short axis: the least its value can be (else 0).

        Not assessed for shrinkage, but enough to show that it came back or grew:
        progression needs no more than what was seen (RECIST 1.1 section 4.4.2 ends in NE
        only short of PD).
        """
        return np.where(self.unknown_longest, self.size, 0)

    @cached_property
    def lesion_baseline(self) -> Sizes:
        """Each row's lesion value at baseline."""
        order, run = self.lesion_run
        value = self.value[order]
        starts, _ = segments(run)
        found = np.empty_like(value)
        found[order] = np.maximum(value[starts], 0)[run]
        return found

    @cached_property
    def lesion_nadir(self) -> Sizes:
        """Each row's lesion's smallest previous value (baseline included; 0 at baseline)."""
        order, run = self.lesion_run
        value = self.value[order]
        big = (int(value.max()) + 1) if value.size else 1
        counted = np.where(value < 0, big, value)
        earlier = previous_min(counted, run, missing=0)
        found = np.empty_like(earlier)
        found[order] = earlier
        return found

    # ----------------------------------------------------------------- visits

    def per_visit(self, values: Sizes) -> Sizes:
        """Sums of a per-row value over each visit (0 for visits without target rows)."""
        return sum_by(values, self.readings.row_visit, self.readings.n_visits)

    @cached_property
    def total(self) -> Sizes:
        """Per visit: the sum of the targets assessed."""
        return self.per_visit(np.where(self.missing, 0, self.value))

    @cached_property
    def assessed(self) -> Int64:
        """Per visit: how many targets were assessed."""
        return self.per_visit((~self.missing).astype(np.int64))

    @cached_property
    def n_gone(self) -> Int64:
        """Per visit: how many targets are gone."""
        return self.per_visit(self.gone.astype(np.int64))

    @cached_property
    def bound(self) -> Sizes:
        """Per visit: the least the unknown nodes add (see :attr:`at_least`)."""
        return self.per_visit(self.at_least)

    @cached_property
    def back(self) -> Int64:
        """Per visit: targets seen that are not gone (a reappearance after a CR)."""
        return self.per_visit(
            ((~self.missing & ~self.gone) | self.unknown_longest).astype(np.int64)
        )

    @cached_property
    def visit_targets(self) -> Int64:
        """Per visit: its patient's number of targets."""
        return self.n_targets[self.readings.visit_patient]

    @cached_property
    def has_targets(self) -> Bools:
        """Per visit: its patient has target disease."""
        found: Bools = self.visit_targets > 0
        return found

    @cached_property
    def complete(self) -> Bools:
        """Per visit: every target assessed (only complete sums can be a nadir)."""
        found: Bools = self.has_targets & (self.assessed == self.visit_targets)
        return found

    @cached_property
    def baseline(self) -> Sizes:
        """Per visit: its patient's baseline sum."""
        first = np.flatnonzero(self.visit_base)
        found: Sizes = self.total[first][np.cumsum(self.visit_base) - 1]
        return found

    @cached_property
    def nadir(self) -> Sizes:
        """Per visit: the smallest previous complete sum, baseline included.

        RECIST 1.1 section 4.3.1 ("the smallest sum on study"); a nadir given to
        ``classify`` (:attr:`Readings.start_nadir`) replaces the baseline's.
        """
        r = self.readings
        total = self.total
        complete = self.complete.copy()
        sums = total.copy()
        if r.start_nadir is not None:
            for patient, nadir in enumerate(r.start_nadir):
                if nadir is None:
                    continue
                unit = r.scale * r.scale if self.products[patient] else r.scale
                visit = int(np.flatnonzero(self.visit_base)[patient])
                sums[visit] = int(nadir * unit)  # the front end checked it is exact
                complete[visit] = True
        big = (int(sums.max()) + 1) if sums.size else 1
        counted = np.where(complete, sums, big)
        earlier = previous_min(counted, r.visit_patient, missing=0)
        return np.where(self.visit_base, 0, earlier)

    @cached_property
    def lesion_grew(self) -> Int64:
        """Per visit: how many lesions grew by the criteria's fraction over their own nadir.

        WHO (Miller et al. 1981, 'Response'): progression is 25 % growth of any one
        lesion; values not assessed do not count, and a node known only by its short axis
        counts by it (:attr:`at_least`).
        """
        seen = np.where(self.unknown_longest, self.at_least, self.value)
        found = (
            ~self.row_base
            & (seen >= 0)
            & grew(
                self.criteria,
                seen,
                self.lesion_nadir,
                scale=self.readings.scale,
                products=self.row_products,
            )
        )
        return self.per_visit(found.astype(np.int64))

    # ----------------------------------------------------------------- target rules

    @cached_property
    def growth(self) -> Bools:
        """Per visit: the progression rule is met (on the sum, or on any one lesion)."""
        c = self.criteria
        if c.progression.scope is Scope.ANY_LESION:
            found: Bools = self.lesion_grew > 0
            return found
        reference = self.nadir if c.progression.reference is Reference.NADIR else self.baseline
        found = ~self.visit_base & grew(
            c,
            self.total + self.bound,
            reference,
            scale=self.readings.scale,
            products=self.visit_products,
        )
        return found

    @cached_property
    def shrinkage(self) -> Bools:
        """Per visit: the sum is at most ``(1 − f) ×`` the baseline (the partial response)."""
        a, b = _parts(self.criteria.partial.fraction)
        found: Bools = self.total * b <= self.baseline * (b - a)
        return found

    def rule_met(self, rule: TargetRule) -> Bools | None:
        """Per visit, whether one of the target rules is met (None: it needs the history)."""
        if rule is TargetRule.REAPPEARANCE:
            return None
        if rule is TargetRule.GROWTH:
            return self.growth
        if rule is TargetRule.NOT_ALL_ASSESSED:
            found: Bools = self.assessed < self.visit_targets
            return found
        if rule is TargetRule.ALL_GONE:
            found = self.n_gone == self.visit_targets
            return found
        if rule is TargetRule.SHRINKAGE:
            return self.shrinkage
        return np.ones(self.readings.n_visits, dtype=bool)
