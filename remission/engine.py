"""One patient's front end: Python values in, checked, through the core, results out.

:func:`classify`, :func:`classify_series` and :func:`compare` read and check what they
are given (every problem at once), hand the core one patient's
:class:`~remission.core.readings.Readings`, and build :class:`~remission.results.Assessment`
and :class:`~remission.results.Series` values from its outcome. No rule is decided here:
every rule lives once in :mod:`remission.core` (and every sentence in
:mod:`remission.explain`), the same code :func:`remission.classify_frame` runs for a study.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

import numpy as np

from remission.best import BestResponse, best_response, stable_response
from remission.core import Outcome, Readings, assess
from remission.core.history import saw_nothing
from remission.core.readings import (
    NT_STATES,
    RESPONSES,
    T_STATES,
    integers,
    needs_wide,
    scale_for,
)
from remission.criteria import (
    CRITERIA,
    Criteria,
    Measure,
    Reference,
    Scope,
    TargetRule,
    get_criteria,
)
from remission.errors import InvalidInput, Problem, Problems
from remission.explain import explain_visits, lesion_text
from remission.measurements import TOO_SMALL, Lesion, Size, Unit, Visit, exact, non_target_status
from remission.options import SeriesOptions, series_options
from remission.recurrence import read_side
from remission.response import NonTargetStatus
from remission.results import Assessment, LesionResult, Series

__all__ = [
    "Assessment",
    "LesionResult",
    "Series",
    "classify",
    "classify_series",
    "compare",
    "readings_of",
]


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


# --------------------------------------------------------------------------- to the core


def _readings(case: _Case, *, nadir: Fraction | None = None, after_cr: bool = False) -> Readings:
    """One patient's checked case as the core's readings (a study of one)."""
    values = [
        v
        for visit in case.visits
        for reading in visit.readings
        for v in (reading.diameter, reading.perpendicular)
        if v is not None
    ]
    scale = scale_for([*values, *([nadir] if nadir is not None else [])])
    sizes = [int(v * scale) for v in values] or [0]
    wide = needs_wide(max(sizes), factor=1)  # the core widens sums itself where needed
    n_targets = len(case.targets)
    n_visits = len(case.visits)
    organs = sorted({t.organ for t in case.targets if t.organ})
    notes = ["", *sorted({r.note for v in case.visits for r in v.readings if r.note})]

    def scaled(value: Fraction | None) -> int:
        return -1 if value is None else int(value * scale)

    rows = [r for visit in case.visits for r in visit.readings]
    nt_none = NT_STATES.index(None)
    sites = {i: (v.sites, v.non_target_sites) for i, v in enumerate(case.visits)}
    return Readings(
        scale=scale,
        n_patients=1,
        visit_patient=np.zeros(n_visits, dtype=np.int64),
        visit_day=np.asarray([v.day - case.visits[0].day for v in case.visits], dtype=np.int64),
        visit_label=np.arange(n_visits, dtype=np.int64),
        labels=[v.name for v in case.visits],
        visit_non_target=np.asarray(
            [
                nt_none if v.non_target is None else NT_STATES.index(v.non_target.response)
                for v in case.visits
            ],
            dtype=np.int64,
        ),
        visit_new=np.asarray([v.new_lesions for v in case.visits], dtype=bool),
        row_visit=np.repeat(np.arange(n_visits, dtype=np.int64), n_targets),
        row_lesion=np.tile(np.arange(n_targets, dtype=np.int64), n_visits),
        lesion_names=[t.name for t in case.targets],
        row_size=integers([scaled(r.diameter) for r in rows], wide=wide),
        row_perp=integers([scaled(r.perpendicular) for r in rows], wide=wide),
        row_too_small=np.asarray([r.too_small for r in rows], dtype=bool),
        row_node=np.tile(np.asarray([t.node for t in case.targets], dtype=bool), n_visits),
        row_organ=np.tile(
            np.asarray(
                [organs.index(t.organ) if t.organ else -1 for t in case.targets], dtype=np.int64
            ),
            n_visits,
        ),
        organ_names=organs,
        row_note=np.asarray([notes.index(r.note) for r in rows], dtype=np.int64),
        notes=notes,
        sites=sites.__getitem__,
        start_nadir=None if nadir is None else [nadir],
        start_after_cr=np.asarray([after_cr], dtype=bool),
    )


def readings_of(visits: Sequence[Visit], unit: str | Unit = "mm") -> Readings:
    """Check one patient's visits and give them as the core's readings.

    Examples:
        >>> r = readings_of([Visit(0, {"T1": 40.125}), Visit(56, {"T1": 23.125})])
        >>> r.scale, r.row_size.tolist()
        (1000, [40125, 23125])
    """
    return _readings(_read(visits, unit))


def _results(outcome: Outcome, case: _Case) -> tuple[list[Assessment], list[Fraction]]:
    """The follow-ups' assessments, built from the core's outcome."""
    c = outcome.criteria
    f = outcome.facts
    h = outcome.history
    r = outcome.readings
    follow = np.arange(1, r.n_visits)
    texts = explain_visits(outcome, follow)
    products = bool(f.products[0]) if r.n_patients else False
    unit_scale = r.scale * r.scale if products else r.scale
    measure = Measure.PRODUCT if products else Measure.DIAMETER
    has = bool(case.targets)

    def exact_of(value: int) -> Fraction:
        return Fraction(int(value), unit_scale)

    n = len(case.targets)
    base_values = [exact_of(max(int(v), 0)) for v in f.value[:n]]
    baseline = sum(base_values, Fraction(0)) if has else None
    patient_warnings = tuple(outcome.deviations.patients.get(0, ()))
    kinds = list(TargetRule)
    results: list[Assessment] = []
    for k, i in enumerate(follow.tolist()):
        lo, hi = i * n, (i + 1) * n
        lesions = []
        for j, row in enumerate(range(lo, hi)):
            target = case.targets[j]
            reading = case.visits[i].readings[j]
            value = None if f.missing[row] else exact_of(int(f.value[row]))
            status = (
                reading.note
                or ("too small" if reading.too_small else "")
                or ("not assessed" if value is None else ("gone" if value == 0 else "measured"))
            )
            at_least = exact_of(int(f.at_least[row])) if f.at_least[row] > 0 else None
            lesions.append(
                LesionResult(
                    target.name,
                    target.node,
                    target.organ,
                    value,
                    base_values[j],
                    exact_of(int(f.lesion_nadir[row])),
                    status,
                    target.node and not bool(f.by_longest[row]),
                    at_least,
                )
            )
        target_rule = None
        if has:
            target_rule = (
                c.holds_response
                if h.held[i] and c.holds_response is not None
                else c.target_rule(kinds[int(h.target_rule[i])])[1]
            )
        pd_at_least = None
        if has and c.progression.scope is Scope.SUM:
            growth = c.progression
            reference = f.nadir[i] if growth.reference is Reference.NADIR else f.baseline[i]
            ref = exact_of(int(reference))
            pd_at_least = max((1 + growth.fraction) * ref, ref + (growth.min_increase_mm or 0))
        warnings = (*patient_warnings, *outcome.deviations.visits.get(i, ()))
        non_target = NT_STATES[int(r.visit_non_target[i])]
        results.append(
            Assessment(
                criteria=c,
                day=int(r.visit_day[i]),
                visit=case.visits[i].name,
                response=RESPONSES[int(h.overall[i])],
                target_response=T_STATES[int(h.target[i])] if has else None,
                non_target_response=non_target,
                new_lesions=case.visits[i].new_lesions,
                measure=measure,
                baseline=baseline,
                nadir=exact_of(int(f.nadir[i])) if has else None,
                current=exact_of(int(f.total[i])) if has else None,
                all_assessed=bool(f.complete[i]) if has else True,
                lesions=tuple(lesions),
                rule=h.rules[int(h.rule[i])],
                target_rule=target_rule,
                table_rule=h.rules[int(h.table_rule[i])],
                pd_at_least=pd_at_least,
                warnings=warnings,
                recurrences=outcome.deviations.recurrences.get(i, ()),
                explanation=texts.explanation(
                    k,
                    lesions="; ".join(lesion_text(x, products, c) for x in lesions),
                    warnings=tuple(str(w) for w in warnings),
                ),
            )
        )
    return results, base_values


# --------------------------------------------------------------------------- public API


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
    read_side(primary_side)  # refuse "middle" here, not as a warning at a recurrence
    case = _read(visits, unit)
    outcome = assess(_readings(case), chosen, options, primary_side=primary_side)
    results, base_values = _results(outcome, case)
    best = _best(results, chosen, options, has_targets=bool(case.targets))
    baseline = sum(base_values, Fraction(0)) if case.targets else None
    warnings = tuple(outcome.deviations.patients.get(0, ()))
    return Series(chosen, case.visits[0].day, baseline, tuple(results), best, warnings)


def _best(
    results: Sequence[Assessment], criteria: Criteria, options: SeriesOptions, *, has_targets: bool
) -> BestResponse:
    """The best overall response of the assessed visits (:func:`remission.best_response`)."""
    return best_response(
        [(a.day, a.response) for a in results],
        unseen=[
            a.day
            for a in results
            if saw_nothing(a.target_response, a.non_target_response, a.response)
        ],
        confirmation_days=options.confirmation_days,
        sd_min_days=options.sd_min_days,
        max_ne_between=options.max_ne_between,
        accept_sd=options.accept_sd,
        stable=stable_response(criteria, has_targets=has_targets),
    )


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
    still_there = case.visits[1].non_target in (
        NonTargetStatus.PRESENT,
        NonTargetStatus.PROGRESSION,
    )
    after_cr = nadir == 0 and not still_there
    options = series_options(chosen, None, 0)
    outcome = assess(_readings(case, nadir=nadir, after_cr=after_cr), chosen, options)
    if nadir is not None:
        facts = outcome.facts
        unit_scale = outcome.readings.scale ** (2 if facts.products[0] else 1)
        base_sum = Fraction(int(facts.total[0]), unit_scale)
        if nadir > base_sum:
            raise InvalidInput([_nadir_problem(nadir, base_sum)])
    results, _ = _results(outcome, case)
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
