"""The one engine: any :class:`~remission.criteria.Criteria` applied to any patient.

There is no ``if criteria == ...`` here. Every difference between WHO 1981, RECIST 1.0,
RECIST 1.1 and the basic rule lives in the criteria data; this module reads sizes
exactly, decides the target response in the papers' order (reappearance and growth
before shrinkage, so a rebound from the nadir is never called a response), and looks the
overall response up in the criteria's table.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from typing import Final

from remission.best import (
    DISEASE_SEEN,
    BestResponse,
    best_response,
    confirming_day,
    option_problems,
)
from remission.citations import RECIST_FAQ, Citation
from remission.criteria import CRITERIA, Criteria, Measure, Reference, Rule, Scope, get_criteria
from remission.errors import Deviation, InvalidInput, Problem, Problems
from remission.explain import Explanation, explain
from remission.measurements import TOO_SMALL, Lesion, Size, Unit, Visit, exact, non_target_status
from remission.recurrence import Recurrence, name_recurrences, read_side
from remission.response import NonTargetStatus, Response

__all__ = [
    "Assessment",
    "LesionResult",
    "Series",
    "classify",
    "classify_series",
    "compare",
]

_MAX_DAYS = 365


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class LesionResult:
    """One target lesion at one visit, as it entered the sum."""

    name: str
    node: bool
    organ: str | None
    value: Fraction | None
    """Diameter (mm) or product (mm²) that was summed; ``None`` = not assessed."""
    baseline: Fraction
    nadir: Fraction
    """This lesion's smallest previous value (baseline included)."""
    status: str
    """``measured``, ``too small``, ``gone`` or ``not assessed``."""
    short_axis: bool = False
    """A lymph node measured by its short axis (RECIST 1.1, or only one diameter given)."""
    at_least: Fraction | None = None
    """Not assessed, but at least this: a node measured by its longest diameter given
    only its short axis (it still counts towards progression)."""

    @property
    def value_mm(self) -> float | None:
        """The value as a float, for tables and charts."""
        return None if self.value is None else float(self.value)


@dataclass(frozen=True)
class Assessment:
    """The response at one follow-up visit, with every number behind it.

    Exact values are kept as fractions (``baseline``, ``nadir``, ``current``); the
    ``*_mm`` and ``percent_*`` properties give floats for display and tables. When the
    criteria multiply diameters, values are areas in mm² (see ``unit``).
    """

    criteria: Criteria
    day: int
    visit: str
    response: Response
    target_response: Response | None
    non_target_response: Response | None
    new_lesions: bool
    measure: Measure
    baseline: Fraction | None
    nadir: Fraction | None
    current: Fraction | None
    all_assessed: bool
    lesions: tuple[LesionResult, ...]
    rule: Rule
    """The rule that decided the overall response."""
    target_rule: Rule | None
    table_rule: Rule
    pd_at_least: Fraction | None
    """The smallest sum that would be progression (when growth is judged on the sum)."""
    warnings: tuple[Deviation, ...] = ()
    recurrences: tuple[Recurrence, ...] = ()
    """After a complete response, where the disease came back (local, regional, distant)."""

    @cached_property
    def explanation(self) -> Explanation:
        """Numbers, rule, next category and patient words (built when first read)."""
        return explain(self)

    @property
    def recurrence(self) -> str:
        """A short label, e.g. "recurrence — distant (bone)", or "" when there is none.

        Examples:
            >>> s = classify_series([
            ...     Visit(0, {"T1": 30}), Visit(56, {"T1": 0}),
            ...     Visit(140, {"T1": 0}, new_lesions=True, new_lesion_sites=("bone",)),
            ... ])
            >>> s.visits[1].recurrence
            'recurrence — distant (bone)'
        """
        if not self.recurrences:
            return ""
        return "recurrence — " + "; ".join(f"{r.kind.value} ({r.site})" for r in self.recurrences)

    @property
    def unit(self) -> str:
        """``mm`` for sums of diameters, ``mm²`` for sums of products."""
        return "mm²" if self.measure is Measure.PRODUCT else "mm"

    @property
    def sum_mm(self) -> float | None:
        """Sum of the target lesions assessed at this visit; None when none was."""
        if not any(lesion.value is not None for lesion in self.lesions):
            return None
        return _float(self.current)

    @property
    def baseline_sum_mm(self) -> float | None:
        """Baseline sum of the target lesions."""
        return _float(self.baseline)

    @property
    def nadir_mm(self) -> float | None:
        """Smallest previous sum, baseline included."""
        return _float(self.nadir)

    @property
    def change_from_baseline(self) -> Fraction | None:
        """Exact fractional change from baseline (−0.3 = 30 % smaller)."""
        if self.current is None or not self.baseline or not self.all_assessed:
            return None
        return (self.current - self.baseline) / self.baseline

    @property
    def change_from_nadir(self) -> Fraction | None:
        """Exact fractional change from the nadir; ``None`` when the nadir is 0."""
        if self.current is None or not self.nadir or not self.all_assessed:
            return None
        return (self.current - self.nadir) / self.nadir

    @property
    def percent_change(self) -> float | None:
        """Change from baseline in %, negative = shrinkage."""
        change = self.change_from_baseline
        return None if change is None else float(change * 100)

    @property
    def percent_change_nadir(self) -> float | None:
        """Change from the nadir in %; ``None`` when undefined (nadir 0)."""
        change = self.change_from_nadir
        return None if change is None else float(change * 100)


@dataclass(frozen=True)
class Series:
    """Every follow-up of one patient, and the best overall response."""

    criteria: Criteria
    baseline_day: int
    baseline: Fraction | None
    visits: tuple[Assessment, ...]
    best_response: BestResponse
    warnings: tuple[Deviation, ...]

    @property
    def baseline_sum_mm(self) -> float | None:
        """Baseline sum of the target lesions."""
        return _float(self.baseline)

    @property
    def best_percent_change(self) -> float | None:
        """The largest shrinkage from baseline (or smallest growth), up to the first PD.

        This is the value a waterfall plot shows for the patient.
        """
        changes = [
            v.change_from_baseline
            for v in _until_first_pd(self.visits)
            if v.change_from_baseline is not None
        ]
        return float(min(changes) * 100) if changes else None


def _until_first_pd(visits: Sequence[Assessment]) -> list[Assessment]:
    kept: list[Assessment] = []
    for visit in visits:
        kept.append(visit)
        if visit.response is Response.PD:
            break
    return kept


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


# --------------------------------------------------------------------------- reading input


@dataclass(frozen=True)
class _Target:
    name: str
    node: bool
    organ: str | None


@dataclass(frozen=True)
class _Reading:
    diameter: Fraction | None  # None = not assessed
    perpendicular: Fraction | None
    too_small: bool
    note: str = ""  # split into fragments, merged into another lesion


@dataclass(frozen=True)
class _VisitData:
    day: int
    name: str
    readings: tuple[_Reading, ...]
    non_target: NonTargetStatus | None
    new_lesions: bool
    sites: tuple[str, ...]
    non_target_sites: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Case:
    targets: tuple[_Target, ...]
    visits: tuple[_VisitData, ...]
    has_non_target: bool


def _reading(
    value: Size | Lesion, unit: Unit, problems: Problems, where: str, *, follow_up: bool = True
) -> _Reading:
    """One lesion at one visit, including RECIST 1.1 section 4.3.2's special cases.

    A split lesion is the sum of its fragments' longest diameters; a lesion that merged
    into another is recorded as 0 mm, its size now counted in the lesion it joined.
    """
    lesion = value if isinstance(value, Lesion) else Lesion(size_mm=value)
    if lesion.fragments_mm:
        return _fragments(lesion, unit, problems, where)
    if lesion.merged_into is not None:
        for field_name, given in (
            ("size_mm", lesion.size_mm),
            ("perpendicular_mm", lesion.perpendicular_mm),
        ):
            if given is not None and exact(given, unit, problems, where, field_name) != 0:
                problems.add(
                    where,
                    field_name,
                    f"is {given!r} but the lesion merged into {lesion.merged_into}",
                    "record a merged lesion as 0 mm and measure the merged lesion as one",
                )
        return _Reading(
            Fraction(0), None, too_small=False, note=f"merged into {lesion.merged_into}"
        )
    size: object = lesion.size_mm
    if size is None:
        return _Reading(None, None, too_small=False)
    if isinstance(size, str) and size.strip().lower().replace(" ", "-") == TOO_SMALL:
        return _Reading(None, None, too_small=True)
    diameter = exact(size, unit, problems, where, "size_mm")
    second = (
        None
        if lesion.perpendicular_mm is None
        else exact(lesion.perpendicular_mm, unit, problems, where, "perpendicular_mm")
    )
    if follow_up and second == 0 and diameter:  # at baseline: its own message (_read)
        problems.add(
            where,
            "perpendicular_mm",
            "is 0 but the longest diameter is not: a lesion still there has two diameters "
            "above 0 (a product of 0 would read as gone)",
            "enter the second diameter, or 0 for both if the lesion has gone",
        )
    return _Reading(diameter, second, too_small=False)


def _fragments(lesion: Lesion, unit: Unit, problems: Problems, where: str) -> _Reading:
    """A lesion that split: two fragments or more, their longest diameters summed."""
    fix = "give a split lesion as its fragments' longest diameters only (RECIST 1.1 4.3.2)"
    for field_name, given in (
        ("size_mm", lesion.size_mm),
        ("perpendicular_mm", lesion.perpendicular_mm),
        ("merged_into", lesion.merged_into),
    ):
        if given is not None:
            problems.add(where, field_name, f"is {given!r} for a lesion given as fragments", fix)
    if len(lesion.fragments_mm) < 2:
        problems.add(
            where,
            "fragments_mm",
            "has one fragment",
            "a lesion that split has two fragments or more; give one size otherwise",
        )
    sizes = [exact(f, unit, problems, where, "fragments_mm") for f in lesion.fragments_mm]
    total = sum((f for f in sizes if f is not None), Fraction(0))
    if total >= _MAX_SPLIT_MM:
        problems.add(
            where,
            "fragments_mm",
            f"add up to {float(total):g} mm, 10 metres or more: no lesion is that large",
            "check the fragments and their unit",
        )
    note = f"split into {len(sizes)} fragments, diameters summed"
    return _Reading(total, None, too_small=False, note=note)


_MAX_SPLIT_MM: Final = Fraction(10_000)
"""As for any size in a long table (remission.table.MAX_UM): no lesion is 10 m."""


def _joined(
    targets: Sequence[_Target],
    given: Mapping[str, Size | Lesion],
    readings: list[_Reading],
    problems: Problems,
    where_visit: str,
) -> None:
    """A merged lesion joins one that is measured as one, not one merged in turn.

    When the lesion it joined was not assessed, neither was the merged one: its 0 mm
    would otherwise count as a measurement of disease that was not looked at.
    """
    index = {t.name: i for i, t in enumerate(targets)}
    for i, target in enumerate(targets):
        lesion = given.get(target.name)
        if (
            not isinstance(lesion, Lesion)
            or lesion.merged_into not in index
            or lesion.merged_into == target.name  # reported as naming itself
        ):
            continue
        joined = given.get(lesion.merged_into)
        if isinstance(joined, Lesion) and joined.merged_into is not None:
            problems.add(
                f"lesion {target.name} at {where_visit}",
                "merged_into",
                f"names {lesion.merged_into}, which is merged into another lesion too",
                "name the lesion that was measured as one (the one the others joined)",
            )
        other = readings[index[lesion.merged_into]]
        if other.diameter is None and not other.too_small:
            readings[i] = _Reading(
                None, None, too_small=False, note=f"merged into {lesion.merged_into}, not assessed"
            )


def _unknown_targets(visit: Visit, names: Sequence[str], problems: Problems) -> None:
    """Targets are fixed at baseline (RECIST 1.1 section 3.3): no new names later."""
    for name in visit.targets:
        if str(name) not in names:
            problems.add(
                f"lesion {name} at {visit.name}",
                "lesion",
                "is not a baseline target lesion",
                "use the baseline name, or record new disease as new_lesions=True",
            )


def _check_change(
    lesion: Lesion, *, name: str, names: Sequence[str], index: int, problems: Problems, where: str
) -> None:
    """A split or a merger comes after baseline; a merged lesion joins another target."""
    if index == 0 and (lesion.fragments_mm or lesion.merged_into is not None):
        problems.add(
            where,
            "fragments_mm" if lesion.fragments_mm else "merged_into",
            "is given at baseline, but a lesion splits or merges only after baseline",
            "at baseline give each separate lesion its own name and measured size",
        )
    elif lesion.merged_into is not None and (
        lesion.merged_into == name or lesion.merged_into not in names
    ):
        others = ", ".join(n for n in names if n != name)
        problems.add(
            where,
            "merged_into",
            f"{lesion.merged_into!r} is not another target lesion",
            f"name the target lesion it merged with: one of {others}"
            if others
            else "there is no other target lesion to merge with: enter the lesion's size",
        )


def _read(visits: Sequence[Visit], unit: str | Unit) -> _Case:
    """Check and read a whole series, reporting every problem at once."""
    problems = Problems()
    try:
        unit = Unit(str(unit).strip().lower())
    except ValueError:
        problems.add("call", "unit", f"{unit!r} is not a unit", "use 'mm' or 'cm'")
        problems.raise_if_any()
    assert isinstance(unit, Unit)  # noqa: S101 - narrowed for mypy after raise
    if not visits:
        problems.add(
            "visits",
            "visits",
            "there are none",
            "give the baseline visit and at least one follow-up",
        )
        problems.raise_if_any()

    baseline = visits[0]
    targets: list[_Target] = []
    for name, value in baseline.targets.items():
        lesion = value if isinstance(value, Lesion) else Lesion(size_mm=value)
        targets.append(_Target(str(name), lesion.node, lesion.organ))
    if not targets and all(v.non_target is None for v in visits):
        problems.add(
            f"baseline ({baseline.name})",
            "targets",
            "no target lesions and no non-target disease",
            "enter at least one baseline lesion: there is nothing to follow otherwise",
        )

    # Non-target disease recorded at any visit means the patient has it (a baseline
    # without a status is read as "present").
    has_non_target = any(v.non_target is not None for v in visits)
    names = [t.name for t in targets]
    read_visits: list[_VisitData] = []
    previous_day: int | None = None
    for index, visit in enumerate(visits):
        where_visit = "baseline" if index == 0 else f"visit {visit.name}"
        # Any integer type will do (numpy's from a DataFrame too), never a bool.
        if isinstance(visit.day, bool) or not isinstance(visit.day, numbers.Integral):
            problems.add(
                where_visit,
                "day",
                f"{visit.day!r} is not a whole number of days",
                "enter the study day, e.g. 56",
            )
            continue
        day = int(visit.day)
        if previous_day is not None and day <= previous_day:
            problems.add(
                where_visit,
                "day",
                f"day {day} is not after the previous visit (day {previous_day})",
                "list visits in time order, each on a later day",
            )
        previous_day = day
        _unknown_targets(visit, names, problems)
        readings = []
        for target in targets:
            where = f"lesion {target.name} at {'baseline' if index == 0 else visit.name}"
            given = visit.targets.get(target.name)
            if isinstance(given, Lesion):
                _check_change(
                    given,
                    name=target.name,
                    names=names,
                    index=index,
                    problems=problems,
                    where=where,
                )
            reading = _reading(given, unit, problems, where, follow_up=index > 0)
            if index == 0 and reading.perpendicular == 0:
                problems.add(
                    where,
                    "perpendicular_mm",
                    "is 0 at baseline, so the lesion's product would be 0",
                    "enter the second diameter in mm, or leave it empty",
                )
            if index == 0 and (reading.diameter is None or reading.diameter == 0):
                problems.add(
                    where,
                    "size_mm",
                    "a baseline target needs a measured size above 0"
                    + (" (it is too small to measure)" if reading.too_small else ""),
                    "enter the baseline size, or record the lesion as non-target",
                )
            readings.append(reading)
        if index > 0:
            _joined(targets, visit.targets, readings, problems, visit.name)
        status = non_target_status(visit.non_target, problems, where_visit)
        if index > 0 and status is None and has_non_target:
            # The patient has non-target disease, but nothing was recorded at this visit.
            status = NonTargetStatus.NOT_ASSESSED
        read_visits.append(
            _VisitData(
                day=day,
                name=visit.name if index else (visit.label or "baseline"),
                readings=tuple(readings),
                non_target=status,
                new_lesions=bool(visit.new_lesions),
                sites=tuple(visit.new_lesion_sites),
                non_target_sites=tuple(visit.non_target_sites),
            )
        )
    if visits and visits[0].new_lesions:
        problems.add(
            "baseline",
            "new_lesions",
            "is set at baseline",
            "all disease at baseline is baseline disease; untick it",
        )
    problems.raise_if_any()
    return _Case(tuple(targets), tuple(read_visits), has_non_target)


# --------------------------------------------------------------------------- deciding


def _uses_products(criteria: Criteria, case: _Case) -> tuple[bool, list[Deviation]]:
    """Whether sizes are multiplied, per the criteria's :class:`Measure`, decided at baseline.

    Products need both diameters of every target at baseline; without them WHO sums
    longest diameters for the whole series, with a warning. Decided once, at baseline,
    so that a later visit cannot change the answers already given. A follow-up lesion
    without its second diameter then has no product: it counts as not assessed.
    """
    if criteria.measure is Measure.DIAMETER or not case.targets:
        return False, []
    base = case.visits[0]
    missing = [
        f"{t.name} at {base.name}"
        for t, r in zip(case.targets, base.readings, strict=True)
        if r.diameter and r.perpendicular is None
    ]
    source = str(criteria.partial.rule.citation)
    if missing:
        if criteria.measure is not Measure.PRODUCT:
            return False, []
        return False, [Deviation(listed_places(missing), PRODUCTS_FALLBACK, source)]
    unknown = [
        f"{t.name} at {v.name}"
        for v in case.visits[1:]
        for t, r in zip(case.targets, v.readings, strict=True)
        if r.diameter and r.perpendicular is None
    ]
    return True, [Deviation(listed_places(unknown), PRODUCT_UNKNOWN, source)] if unknown else []


def listed_places(places: Sequence[str]) -> str:
    """Places in a warning: sorted, the first five."""
    ordered = sorted(set(places))
    return ", ".join(ordered[:5]) + (" …" if len(ordered) > 5 else "")


PRODUCTS_FALLBACK: Final = (
    "no perpendicular diameter at baseline, so sums of longest diameters are used "
    "instead of sums of products"
)
PRODUCT_UNKNOWN: Final = (
    "no perpendicular diameter, so the product is unknown and the lesion counts as not "
    "assessed at that visit"
)


def _value(
    reading: _Reading, criteria: Criteria, products: bool, *, longest: bool = False
) -> Fraction | None:
    """What a target adds to the sum: its diameter, or its product (WHO).

    ``longest``: a lymph node measured by its longest diameter (criteria without the
    short-axis rule, decided at baseline by :func:`_node_measures`): the larger of its
    two diameters, unknown at a visit that lacks the second one.
    """
    if reading.too_small:
        size = criteria.too_small_mm
        return size * size if products else size
    if reading.diameter is None:
        return None
    if products and reading.diameter and reading.perpendicular is None:
        return None  # a product without its second diameter is unknown
    if products:
        return reading.diameter * (reading.perpendicular or 0)
    if longest and reading.diameter:
        if reading.perpendicular is None:
            return None
        return max(reading.diameter, reading.perpendicular)
    return reading.diameter


def _baseline_values(
    criteria: Criteria, case: _Case, products: bool, longest: Sequence[bool]
) -> list[Fraction]:
    """Each target's value at baseline, as the sums and nadirs start from it."""
    return [
        _value(r, criteria, products, longest=by_longest) or Fraction(0)
        for r, by_longest in zip(case.visits[0].readings, longest, strict=True)
    ]


def _node_measures(
    criteria: Criteria, case: _Case, products: bool
) -> tuple[list[bool], list[Deviation]]:
    """Which targets are lymph nodes measured by their longest diameter, and warnings.

    Criteria without RECIST 1.1's short-axis rule measure a node as any lesion, by its
    longest diameter (``criteria.node_measure``): the larger of the two diameters given.
    Decided at baseline, lesion by lesion, so that a second diameter recorded at one
    visit and not another cannot change the measure between them: a node without it at
    baseline keeps its short axis (with a warning); with it at baseline, a visit that
    lacks it leaves the node not assessed.
    """
    if criteria.node_short_axis or products or not case.targets:
        return [False] * len(case.targets), []
    base = case.visits[0]
    longest = [
        t.node and bool(r.diameter) and r.perpendicular is not None
        for t, r in zip(case.targets, base.readings, strict=True)
    ]
    short = [
        f"{t.name} at {base.name}"
        for t, r, by_longest in zip(case.targets, base.readings, longest, strict=True)
        if t.node and r.diameter and not by_longest
    ]
    unknown = [
        f"{t.name} at {v.name}"
        for v in case.visits[1:]
        for t, r, by_longest in zip(case.targets, v.readings, longest, strict=True)
        if by_longest and r.diameter and r.perpendicular is None
    ]
    source = str(criteria.node_measure.citation)
    warnings = [
        Deviation(listed_places(places), message, source)
        for places, message in ((short, NODE_SHORT_AXIS_USED), (unknown, NODE_LONGEST_UNKNOWN))
        if places
    ]
    return longest, warnings


NODE_SHORT_AXIS_USED: Final = (
    "only one diameter of this lymph node is given at baseline: its short axis is used at "
    "every visit, though these criteria measure a node by its longest diameter (give both "
    "diameters)"
)
NODE_LONGEST_UNKNOWN: Final = (
    "lymph node without its second diameter, so its longest diameter is unknown and it "
    "counts as not assessed at that visit (its short axis, the least the longest can be, "
    "still shows progression)"
)


def _status(reading: _Reading, value: Fraction | None) -> str:
    if reading.note:
        return reading.note
    if reading.too_small:
        return "too small"
    if value is None:
        return "not assessed"
    return "gone" if value == 0 else "measured"


def _is_gone(target: _Target, reading: _Reading, criteria: Criteria) -> bool:
    """Complete response for one lesion (RECIST 1.1 section 4.3.1: nodes < 10 mm)."""
    size = criteria.too_small_mm if reading.too_small else reading.diameter
    if size is None:
        return False
    if target.node and criteria.node_normal_below_mm is not None:
        return size < criteria.node_normal_below_mm
    return size == 0


def _grew(criteria: Criteria, current: Fraction, reference: Fraction) -> bool:
    """The progression threshold, exactly: ≥ (1 + f) × reference, above it, ≥ min mm.

    A reference of 0 (every target gone at the nadir) is no exception: any sum above it
    is more than 20 % above it, so RECIST 1.1's 5 mm alone decides (a lesion back at
    5 mm or more is PD; the RECIST FAQ: reappearance is PD when the PD rules are met).
    Criteria without a minimum in mm call any regrowth from 0 progression.
    """
    growth = criteria.progression
    if current <= reference or current < (1 + growth.fraction) * reference:
        return False
    return growth.min_increase_mm is None or current - reference >= growth.min_increase_mm


@dataclass(frozen=True)
class _TargetDecision:
    response: Response
    rule: Rule
    pd_at_least: Fraction | None  # the smallest sum that would be PD (sum scope)


def _decide_target(
    *,
    criteria: Criteria,
    case: _Case,
    values: Sequence[Fraction | None],
    readings: Sequence[_Reading],
    baseline: Fraction,
    nadir: Fraction,
    lesion_nadirs: Sequence[Fraction],
    after_cr: bool,
    at_least: Sequence[Fraction | None] = (),
) -> _TargetDecision:
    """Target response in the papers' order: reappearance, growth, NE, CR, PR, SD.

    ``at_least``: for a lesion not assessed, the least its value can be (a lymph node
    measured by its longest diameter, given only its short axis): not assessed for
    shrinkage, but enough to show that it came back or grew, as progression needs no
    more than what was seen (RECIST 1.1 section 4.4.2 ends NE only short of PD).
    """
    growth = criteria.progression
    assessed = [v for v in values if v is not None]
    current = sum(assessed, Fraction(0))
    bounds = list(at_least) or [None] * len(values)
    pd_at_least = None
    if growth.scope is Scope.SUM:
        reference = nadir if growth.reference is Reference.NADIR else baseline
        pd_at_least = max(
            (1 + growth.fraction) * reference, reference + (growth.min_increase_mm or 0)
        )
    if after_cr and (
        any(
            not _is_gone(t, r, criteria)
            for t, r, v in zip(case.targets, readings, values, strict=True)
            if v is not None
        )
        or any(bounds)
    ):
        return _TargetDecision(Response.PD, criteria.reappearance, pd_at_least)
    if growth.scope is Scope.SUM:
        reference = nadir if growth.reference is Reference.NADIR else baseline
        grew = _grew(criteria, current + sum(b for b in bounds if b is not None), reference)
    else:
        seen = [v if v is not None else b for v, b in zip(values, bounds, strict=True)]
        grew = any(
            v is not None and _grew(criteria, v, n)
            for v, n in zip(seen, lesion_nadirs, strict=True)
        )
    if grew:
        return _TargetDecision(Response.PD, growth.rule, pd_at_least)
    if len(assessed) < len(values):
        return _TargetDecision(Response.NE, criteria.not_evaluable, pd_at_least)
    if all(_is_gone(t, r, criteria) for t, r in zip(case.targets, readings, strict=True)):
        return _TargetDecision(Response.CR, criteria.complete, pd_at_least)
    if current <= (1 - criteria.partial.fraction) * baseline:
        return _TargetDecision(Response.PR, criteria.partial.rule, pd_at_least)
    return _TargetDecision(Response.SD, criteria.stable, pd_at_least)


def _assess_series(
    criteria: Criteria,
    case: _Case,
    nadir_override: Fraction | None = None,
    primary_side: str | None = None,
    confirmation_days: int | None = None,
    *,
    after_cr: bool = False,
    max_ne_between: int = 1,
    accept_sd: bool = False,
) -> tuple[list[Assessment], list[Deviation]]:
    """Assess every follow-up of a case in order, carrying the nadirs forward.

    History matters in two ways. After an overall CR, any disease seen again is PD
    (RECIST 1.1 Table 3, footnote a). After a PR or CR, a target SD holds as PR until PD
    (RECIST Working Group FAQ), once the response is confirmed when confirmation is
    required: a PR or CR, and another at least ``confirmation_days`` later.
    """
    products, warnings = _uses_products(criteria, case)
    longest, node_warnings = _node_measures(criteria, case, products)
    warnings.extend(node_warnings)
    warnings.extend(_deviations(criteria, case, longest))
    measure = Measure.PRODUCT if products else Measure.DIAMETER
    baseline_visit = case.visits[0]
    base_values = _baseline_values(criteria, case, products, longest)
    baseline = sum(base_values, Fraction(0)) if case.targets else None
    nadir = nadir_override if nadir_override is not None else baseline
    lesion_nadirs = list(base_values)
    history = _History(
        confirmation_days,
        after_cr=after_cr,
        max_ne_between=max_ne_between,
        accept_sd=accept_sd,
    )
    results: list[Assessment] = []
    for visit in case.visits[1:]:
        day = visit.day - baseline_visit.day
        values = [
            _value(r, criteria, products, longest=by_longest)
            for r, by_longest in zip(visit.readings, longest, strict=True)
        ]
        at_least = [
            r.diameter if by_longest and v is None and r.diameter else None
            for r, v, by_longest in zip(visit.readings, values, longest, strict=True)
        ]
        target: _TargetDecision | None = None
        if case.targets and baseline is not None and nadir is not None:
            target = _decide_target(
                criteria=criteria,
                case=case,
                values=values,
                at_least=at_least,
                readings=visit.readings,
                baseline=baseline,
                nadir=nadir,
                lesion_nadirs=lesion_nadirs,
                after_cr=history.after_cr,
            )
        if (
            target is not None
            and target.response is Response.SD
            and criteria.holds_response is not None
            and history.holds
        ):
            target = _TargetDecision(Response.PR, criteria.holds_response, target.pd_at_least)
        non_target = None if visit.non_target is None else visit.non_target.response
        target_response = None if target is None else target.response
        row = criteria.overall(target_response, non_target, visit.new_lesions)
        overall = row.overall
        decisive = target.rule if target and overall is target.response else row.rule
        # Targets still gone and non-targets not evaluated is PR by Table 1, but it sees
        # no disease: after a CR it is not disease seen again, and the CR stands.
        unseen = history.after_cr and saw_nothing(target_response, non_target, overall)
        if history.after_cr and overall in DISEASE_SEEN and not unseen:
            overall, decisive = Response.PD, criteria.disease_back
        all_assessed = all(v is not None for v in values)
        current = sum((v for v in values if v is not None), Fraction(0)) if case.targets else None
        lesions = tuple(
            LesionResult(
                t.name, t.node, t.organ, v, b, n, _status(r, v), t.node and not by_longest, bound
            )
            for t, v, b, n, r, by_longest, bound in zip(
                case.targets,
                values,
                base_values,
                lesion_nadirs,
                visit.readings,
                longest,
                at_least,
                strict=True,
            )
        )
        recurrences, site_warnings = _recurrences(
            criteria=criteria,
            case=case,
            visit=visit,
            values=values,
            remission_day=history.remission_day,
            primary_side=primary_side,
            target=target,
            at_least=at_least,
        )
        visit_warnings = tuple(
            [
                Deviation(
                    visit.name,
                    f"day {day} is more than a year after baseline",
                    "check the day and its unit (days, not weeks)",
                )
            ]
            if visit.day - baseline_visit.day > _MAX_DAYS
            else []
        ) + tuple(site_warnings)
        if target is not None and target.rule == criteria.reappearance:
            visit_warnings += _small_node_return(
                criteria=criteria,
                case=case,
                visit=visit,
                values=values,
                lesion_nadirs=lesion_nadirs,
                products=products,
            )
        assessment = Assessment(
            criteria=criteria,
            day=day,
            visit=visit.name,
            response=overall,
            target_response=target_response,
            non_target_response=non_target,
            new_lesions=visit.new_lesions,
            measure=measure,
            baseline=baseline,
            nadir=nadir,
            current=current,
            all_assessed=all_assessed,
            lesions=lesions,
            target_rule=None if target is None else target.rule,
            table_rule=row.rule,
            rule=decisive,
            pd_at_least=None if target is None else target.pd_at_least,
            warnings=(*warnings, *visit_warnings),
            recurrences=recurrences,
        )
        results.append(assessment)
        history.add(overall, day, unseen=unseen)
        # Carry the references forward: only complete sums can be a nadir.
        if target is not None and all_assessed and current is not None and nadir is not None:
            nadir = min(nadir, current)
        lesion_nadirs = [
            n if v is None else min(n, v) for n, v in zip(lesion_nadirs, values, strict=True)
        ]
    return results, warnings


class _History:
    """What a time point needs from the ones before it (the latest that is not NE).

    After an overall CR, disease seen again is PD; after a PR or CR the response holds
    (RECIST FAQ) once confirmed when confirmation is required, confirmed as the best
    response confirms it (:func:`remission.best.confirming_day`, with the same limits on
    NEs and SDs in between); a remission runs from the first CR to the next PD (for
    naming a recurrence).
    """

    def __init__(
        self,
        confirmation_days: int | None,
        *,
        after_cr: bool,
        max_ne_between: int = 1,
        accept_sd: bool = False,
    ) -> None:
        self.confirmation_days = confirmation_days
        self.max_ne_between = max_ne_between
        self.accept_sd = accept_sd
        self.last: Response | None = Response.CR if after_cr else None
        self.remission_day: int | None = 0 if after_cr else None
        self.seen: list[tuple[int, Response]] = []  # since the last PD, as best_response
        self.unseen: set[int] = set()  # PRs that saw no disease after a CR
        self.confirmed = confirmation_days is None

    @property
    def after_cr(self) -> bool:
        return self.last is Response.CR

    @property
    def holds(self) -> bool:
        return self.last in (Response.PR, Response.CR) and self.confirmed

    def add(self, overall: Response, day: int, *, unseen: bool = False) -> None:
        self.seen.append((day, overall))
        if unseen:
            self.unseen.add(day)
        if overall is Response.NE or unseen:
            return
        self.last = overall
        if overall is Response.CR and self.remission_day is None:
            self.remission_day = day
        elif overall is Response.PD:
            self.remission_day = None
        if overall in (Response.PR, Response.CR):
            self.confirmed = self.confirmed or self._confirmed()
        else:
            self.confirmed = self.confirmation_days is None
            if overall is Response.PD:
                self.seen.clear()  # best_response counts nothing after a PD

    def _confirmed(self) -> bool:
        """Whether a PR or CR seen so far has been confirmed by a later one."""
        days = self.confirmation_days
        return days is not None and any(
            response in (Response.PR, Response.CR)
            and confirming_day(
                self.seen, index, days, self.max_ne_between, self.accept_sd, self.unseen
            )
            is not None
            for index, (_, response) in enumerate(self.seen)
        )


SMALL_NODE_CHANGE_MM: Final = Fraction(5)
"""Below RECIST 1.1's absolute minimum for progression (section 4.3.1)."""


def _small_node_return(
    *,
    criteria: Criteria,
    case: _Case,
    visit: _VisitData,
    values: Sequence[Fraction | None],
    lesion_nadirs: Sequence[Fraction],
    products: bool,
) -> tuple[Deviation, ...]:
    """Flag PD after a CR that rests only on lymph nodes grown back by less than 5 mm.

    RECIST 1.1 Table 3 footnote a makes any return after a CR progression, and a node is
    back at 10 mm short axis; the RECIST FAQ advises re-assessing a node that grew that
    little (9 → 11 mm) at the next scan before calling PD. The category stays PD.
    """
    back = [
        (t, v, n)
        for t, r, v, n in zip(case.targets, visit.readings, values, lesion_nadirs, strict=True)
        if v is not None and not _is_gone(t, r, criteria)
    ]
    if products or not back or not all(t.node and v - n < SMALL_NODE_CHANGE_MM for t, v, n in back):
        return ()
    return (small_node_return(visit.name, [(t.name, n, v) for t, v, n in back]),)


def small_node_return(where: str, nodes: Sequence[tuple[str, Fraction, Fraction]]) -> Deviation:
    """The warning for PD after a CR resting on nodes (name, smallest, now) back by < 5 mm.

    Examples:
        >>> print(small_node_return("week 16", [("N1", Fraction(9), Fraction(11))]).message)
        progression after a complete response rests on lymph nodes grown by less than 5 mm (N1 9 → 11 mm): re-assess at the next scan before acting on it
    """
    grown = ", ".join(f"{name} {float(was):g} → {float(now):g} mm" for name, was, now in nodes)
    return Deviation(
        where,
        "progression after a complete response rests on lymph nodes grown by less than "
        f"5 mm ({grown}): re-assess at the next scan before acting on it",
        str(Citation(RECIST_FAQ, "'Abnormal lymph node'")),
    )


def _recurrences(
    *,
    criteria: Criteria,
    case: _Case,
    visit: _VisitData,
    values: Sequence[Fraction | None],
    remission_day: int | None,
    primary_side: str | None,
    target: _TargetDecision | None,
    at_least: Sequence[Fraction | None],
) -> tuple[tuple[Recurrence, ...], list[Deviation]]:
    """Name the recurrence when disease comes back after a complete response.

    New lesions are placed by their recorded sites; a target lesion that reappears, by
    its organ (founding document: local, regional or distant recurrence).
    """
    if remission_day is None:
        return (), []
    sites = list(visit.sites) if visit.new_lesions else []
    if visit.non_target in (NonTargetStatus.PRESENT, NonTargetStatus.PROGRESSION):
        sites += list(visit.non_target_sites)  # non-target disease seen again after a CR
    if target is not None and target.response is Response.PD:
        # Each target back: not gone (a lymph node: back to a pathological size), or a
        # node known only by its short axis (``at_least``).
        sites += [
            t.organ
            for t, r, v, b in zip(case.targets, visit.readings, values, at_least, strict=True)
            if t.organ and ((v is not None and not _is_gone(t, r, criteria)) or b)
        ]
    found, warnings = name_recurrences(
        sites,
        days=visit.day - case.visits[0].day - remission_day,
        where=visit.name,
        primary_side=primary_side,
    )
    return found, list(warnings)


def _deviations(criteria: Criteria, case: _Case, longest: Sequence[bool]) -> list[Deviation]:
    """Baseline target choices that break the criteria's measurability rules.

    ``longest``: the nodes measured by their longest diameter (:func:`_node_measures`);
    other nodes are held to the node limit, or to the lesion limit when there is none.
    """
    limits = criteria.measurability
    if limits is None or not case.targets:
        return []
    found: list[Deviation] = []
    source = str(limits.rule.citation)
    baseline = case.visits[0]
    for target, reading, by_longest in zip(case.targets, baseline.readings, longest, strict=True):
        size = _value(reading, criteria, False, longest=by_longest) if reading.diameter else None
        if size is None:
            continue
        if target.node and not by_longest:
            limit = limits.min_node_mm if limits.min_node_mm is not None else limits.min_size_mm
            if size < limit:
                found.append(
                    Deviation(
                        f"lesion {target.name}",
                        f"lymph node short axis {_mm(size)} at baseline is below {_mm(limit)} (not measurable)",
                        source,
                    )
                )
        elif size < limits.min_size_mm:
            found.append(
                Deviation(
                    f"lesion {target.name}",
                    f"longest diameter {_mm(size)} at baseline is below {_mm(limits.min_size_mm)} (not measurable)",
                    source,
                )
            )
    if limits.max_targets is not None and len(case.targets) > limits.max_targets:
        found.append(
            Deviation(
                "target lesions",
                f"{len(case.targets)} targets; at most {limits.max_targets} are allowed",
                source,
            )
        )
    if limits.max_per_organ is not None:
        organs: dict[str, int] = {}
        for target in case.targets:
            organ = "lymph nodes" if target.node else (target.organ or "").strip().lower()
            if organ:
                organs[organ] = organs.get(organ, 0) + 1
        for organ, count in sorted(organs.items()):
            if count > limits.max_per_organ:
                found.append(
                    Deviation(
                        f"organ {organ}",
                        f"{count} targets; at most {limits.max_per_organ} per organ are allowed",
                        source,
                    )
                )
    return found


def _mm(value: Fraction) -> str:
    return f"{float(value):g} mm"


# --------------------------------------------------------------------------- public API


@dataclass(frozen=True)
class SeriesOptions:
    """The series options, checked: what classify_series and the batch engine use."""

    confirmation_days: int | None
    sd_min_days: int
    max_ne_between: int
    accept_sd: bool


def series_options(
    criteria: Criteria,
    confirmation_days: int | str | None,
    sd_min_days: int | str,
    max_ne_between: int,
    accept_sd: bool,
) -> SeriesOptions:
    """Check the series options, every problem at once (``"criteria"``: the set's own).

    The checks are :func:`remission.best.option_problems`, the ones ``best_response`` makes.
    """
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


def classify_series(
    visits: Sequence[Visit],
    *,
    criteria: str | Criteria = "basic",
    confirmation_days: int | str | None = "criteria",
    sd_min_days: int | str = "criteria",
    max_ne_between: int = 1,
    accept_sd: bool = False,
    unit: str | Unit = "mm",
    primary_side: str | None = None,
) -> Series:
    """Classify every follow-up of one patient and derive the best overall response.

    The first visit is the baseline; days count from it. The nadir at each visit is the
    smallest *complete* sum among previous visits, baseline included (RECIST 1.1 section
    4.3.1). ``confirmation_days`` and ``sd_min_days`` default to the criteria's own
    (``"criteria"``); pass ``None`` for no confirmation. Best response follows RECIST 1.1
    section 4.4.3 and Table 3 (see :func:`remission.best_response`). When disease comes
    back after a complete response, each visit names the recurrence (local, regional,
    distant) from ``Visit.new_lesion_sites`` or the reappearing lesion's organ;
    ``primary_side`` ("left"/"right") is the side of the first breast cancer; a visit does
    not record the side of new disease, so it is taken to be the same (the explanation
    says so), and an unreadable side is refused.

    Examples:
        >>> s = classify_series([
        ...     Visit(day=0, targets={"T1": 52.0, "T2": 31.0}),
        ...     Visit(day=56, targets={"T1": 20.0, "T2": 11.0}, non_target=None),
        ...     Visit(day=112, targets={"T1": 18.0, "T2": 10.0}),
        ... ], criteria="recist1.1", confirmation_days=28, sd_min_days=42)
        >>> [v.response.value for v in s.visits]
        ['PR', 'PR']
        >>> s.best_response.response, s.best_response.day, s.best_response.confirmed_day
        (<Response.PR: 'PR'>, 56, 112)
    """
    chosen = get_criteria(criteria)
    options = series_options(chosen, confirmation_days, sd_min_days, max_ne_between, accept_sd)
    confirm = options.confirmation_days
    read_side(primary_side)  # refuse "middle" here, not as a warning at a recurrence
    case = _read(visits, unit)
    results, warnings = _assess_series(
        chosen,
        case,
        primary_side=primary_side,
        confirmation_days=confirm,
        max_ne_between=options.max_ne_between,
        accept_sd=options.accept_sd,
    )
    best = best_response(
        [(a.day, a.response) for a in results],
        unseen=[
            a.day
            for a in results
            if saw_nothing(a.target_response, a.non_target_response, a.response)
        ],
        confirmation_days=confirm,
        sd_min_days=options.sd_min_days,
        max_ne_between=options.max_ne_between,
        accept_sd=options.accept_sd,
        stable=stable_response(chosen, has_targets=bool(case.targets)),
    )
    baseline = results[0].baseline if results else None
    return Series(chosen, case.visits[0].day, baseline, tuple(results), best, tuple(warnings))


def saw_nothing(target: Response | None, non_target: Response | None, overall: Response) -> bool:
    """A PR only because non-targets were not evaluated while every target stayed gone.

    RECIST 1.1 Table 1 (Eisenhauer et al. 2009) makes target CR + non-target NE + no new
    lesion a PR: complete response cannot be claimed, but no disease was seen either, so
    after a CR it is not "disease seen again" (Table 3, footnote a).

    Examples:
        >>> saw_nothing(Response.CR, Response.NE, Response.PR)
        True
        >>> saw_nothing(Response.CR, Response.NON_CR_NON_PD, Response.PR)
        False
    """
    return overall is Response.PR and target is Response.CR and non_target is Response.NE


def stable_response(criteria: Criteria, *, has_targets: bool) -> Response:
    """Neither response nor progression: SD, or what the criteria call it without targets.

    For disease that is only non-target, RECIST 1.1 says NON-CR/NON-PD (Table 2); WHO
    and RECIST 1.0 keep SD.

    Examples:
        >>> stable_response(get_criteria("recist1.1"), has_targets=False).value
        'NON-CR/NON-PD'
        >>> stable_response(get_criteria("who"), has_targets=False).value
        'SD'
    """
    if has_targets:
        return Response.SD
    return criteria.overall(None, Response.NON_CR_NON_PD, False).overall


def classify(
    baseline: Sequence[Size | Lesion],
    follow_up: Sequence[Size | Lesion],
    *,
    criteria: str | Criteria = "basic",
    nadir_mm: Size = None,
    non_target: str | None = None,
    new_lesions: bool = False,
    unit: str | Unit = "mm",
) -> Assessment:
    """Classify one follow-up against baseline: the response, its numbers and its reasons.

    ``baseline`` and ``follow_up`` list the target lesions in the same order (a number in
    mm, or a :class:`~remission.Lesion` for nodes and second diameters). In ``follow_up``,
    ``None`` = not assessed, ``0`` = disappeared, ``"too-small"`` = present but too small
    to measure. ``nadir_mm`` is the smallest previous sum (mm, or mm² when the criteria
    multiply diameters); without it the baseline sum is the nadir. A ``nadir_mm`` of 0
    means every target had gone. With no non-target disease now (``non_target`` None,
    absent or not assessed) that was a complete response, so any lesion coming back is
    progression (RECIST 1.1 Table 3, footnote a); with non-target disease present, the
    patient is taken to have had it all along (no complete response), and a returning
    target is judged by the progression rule (RECIST 1.1: +20 % and +5 mm over 0). For
    non-target disease that had gone and came back, give the visits to
    :func:`classify_series`. ``non_target`` is the status of the non-target lesions at
    this visit; ``None`` means the patient has none.

    Examples:
        >>> r = classify([52.0, 31.0], [20.0, 11.0], criteria="recist1.1")
        >>> r.response, round(r.percent_change, 1)
        (<Response.PR: 'PR'>, -62.7)
        >>> classify([33], [23.1], criteria="recist1.1").response  # exactly -30 %
        <Response.PR: 'PR'>
        >>> classify([100], [50]).response  # basic: exactly 50 % smaller
        <Response.PR: 'PR'>
    """
    chosen = get_criteria(criteria)
    problems = Problems()
    names = [
        (item.name if isinstance(item, Lesion) and item.name else f"T{i + 1}")
        for i, item in enumerate(baseline)
    ]
    seen: set[str] = set()
    for name in names:
        if name in seen:
            problems.add(
                f"lesion {name}", "name", "is used twice", "give every lesion its own name"
            )
        seen.add(name)
    if len(follow_up) != len(baseline):
        problems.add(
            "follow-up",
            "follow_up",
            f"has {len(follow_up)} lesions but baseline has {len(baseline)}",
            "give one follow-up value per baseline lesion, in the same order (None if not assessed)",
        )
    nadir = None
    if nadir_mm is not None:
        nadir = exact(nadir_mm, Unit.MM, problems, "call", "nadir_mm")
    problems.raise_if_any()
    base_visit = Visit(
        day=0,
        targets=dict(zip(names, baseline, strict=True)),
        non_target=None if non_target is None else NonTargetStatus.PRESENT.value,
        label="baseline",
    )
    follow_visit = Visit(
        day=1,
        targets=dict(zip(names, follow_up, strict=True)),
        non_target=non_target,
        new_lesions=new_lesions,
        label="follow-up",
    )
    case = _read([base_visit, follow_visit], unit)
    if nadir is not None and chosen.progression.scope is Scope.ANY_LESION:
        raise InvalidInput(
            [
                Problem(
                    "call",
                    "nadir_mm",
                    f"is a sum, but {chosen.title} judges progression lesion by lesion, each "
                    "against its own smallest size",
                    "give the earlier visits to classify_series instead of a nadir",
                )
            ]
        )
    if nadir is not None:
        products, _ = _uses_products(chosen, case)
        longest, _ = _node_measures(chosen, case, products)
        base_sum = sum(_baseline_values(chosen, case, products, longest), Fraction(0))
        if nadir > base_sum:
            raise InvalidInput([_nadir_problem(nadir, base_sum)])
    still_there = case.visits[1].non_target in (
        NonTargetStatus.PRESENT,
        NonTargetStatus.PROGRESSION,
    )
    after_cr = nadir == 0 and not still_there
    results, _ = _assess_series(chosen, case, nadir_override=nadir, after_cr=after_cr)
    return results[0]


def _nadir_problem(nadir: Fraction, base_sum: Fraction) -> Problem:
    return Problem(
        "call",
        "nadir_mm",
        f"{float(nadir):g} is larger than the baseline sum ({float(base_sum):g})",
        "give the smallest sum so far, baseline included (or leave nadir_mm out)",
    )


def compare(
    baseline: Sequence[Size | Lesion],
    follow_up: Sequence[Size | Lesion],
    *,
    non_target: str | None = None,
    new_lesions: bool = False,
    unit: str | Unit = "mm",
) -> Mapping[str, Assessment]:
    """The same lesions under every criteria set, side by side (name → assessment).

    There is no ``nadir_mm`` here: one number cannot be the nadir of every set (WHO
    judges lesions one by one, and products are mm²). For a series, run
    :func:`classify_series` under each set.

    Examples:
        >>> {name: a.response.value for name, a in compare([40], [26]).items()}
        {'basic': 'SD', 'who': 'SD', 'recist1.0': 'PR', 'recist1.1': 'PR'}
    """
    return {
        name: classify(
            baseline,
            follow_up,
            criteria=name,
            non_target=non_target,
            new_lesions=new_lesions,
            unit=unit,
        )
        for name in CRITERIA
    }
