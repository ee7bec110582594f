"""One patient as the app's form holds it: a wide lesion table and its follow-up visits.

The form is what a clinician fills in: one row per lesion (name, organ, lymph node?,
target or non-target, baseline size) and one size column per follow-up visit, plus, per
visit, its day, the status of the non-target disease and whether new lesions were seen.
A :class:`Case` keeps the cells *as typed* (text), so a form restored from a share link
shows exactly what was entered; :func:`to_visits` reads it strictly into
:class:`remission.Visit` values and reports every problem at once, each naming the lesion,
the visit, the field and the fix.

A follow-up cell is never guessed: a blank cell is an error that asks for ``0`` (the
lesion has gone), ``too small`` (present but too small to measure) or ``not assessed``
(not checked at this visit, which makes that visit not evaluable on purpose). A cell may
hold two perpendicular diameters, ``52 x 40``, for the criteria that multiply them (WHO).
After baseline, a lesion that split is written as its fragments, ``12 + 10``, and one
that coalesced with another as ``merged into T1`` (RECIST 1.1 section 4.3.2).

This module never imports Streamlit; the app's pages only display what it returns.

Examples:
    >>> case = Case(
    ...     lesions=(
    ...         LesionEntry("T1", "liver", baseline="52", sizes=("20",)),
    ...         LesionEntry("T2", "lung", baseline="31", sizes=("11",)),
    ...     ),
    ...     visits=(VisitEntry(day=56),),
    ...     unit="mm",
    ...     criteria="recist1.1",
    ... )
    >>> series = assess(case)
    >>> series.visits[0].response.value, round(series.visits[0].percent_change, 1)
    ('PR', -62.7)
    >>> decode(encode(case)) == case
    True
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import textwrap
import zlib
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Final

import numpy as np
import pandas as pd

from remission.citations import Paper
from remission.criteria import (
    CRITERIA,
    NON_TARGET_STATES,
    TARGET_STATES,
    Criteria,
    Reference,
    Row,
    Scope,
    get_criteria,
)
from remission.engine import Assessment, Series, classify_series
from remission.errors import InvalidInput, Problem, Problems
from remission.explain import number, percent, percent_number
from remission.export import to_safe_csv
from remission.measurements import TOO_SMALL, Lesion, Size, Unit, Visit, exact
from remission.response import NonTargetStatus, Response
from remission.wording import CARE_TEAM, DISCLAIMER

__all__ = [
    "LESION_COLUMNS",
    "MAX_LESIONS",
    "MAX_LINK_CHARS",
    "MAX_VISITS",
    "NON_TARGET_CHOICES",
    "NOT_ASSESSED",
    "VISIT_COLUMNS",
    "Case",
    "LesionEntry",
    "Role",
    "VisitEntry",
    "assess",
    "best_response_visits",
    "best_table",
    "compare_table",
    "criteria_rules",
    "criteria_table",
    "criteria_thresholds",
    "decode",
    "encode",
    "from_long",
    "from_tables",
    "lesion_points",
    "patients",
    "percent_thresholds",
    "result_csv",
    "result_frame",
    "result_json",
    "shown_percents",
    "size_column",
    "sum_points",
    "summary_text",
    "threshold_lines",
    "to_tables",
    "to_visits",
    "visit_name",
    "visit_table",
]

NOT_ASSESSED: Final = "not assessed"
"""Type this in a follow-up cell when the lesion was not checked at that visit."""

NON_TARGET_CHOICES: Final = ("absent", "present", "progression", NOT_ASSESSED)
"""What a visit may record about the non-target disease (RECIST 1.1 section 4.3.3)."""

MAX_LESIONS: Final = 40
"""Most lesion rows a case may hold (the form, the share link)."""
MAX_VISITS: Final = 24
"""Most follow-up visits a case may hold."""
MAX_TEXT: Final = 60
"""Longest name, organ or visit label, in characters."""
MAX_CELL: Final = 32
"""Longest size cell, in characters."""
MAX_LINK_CHARS: Final = 8000
"""Longest share-link token accepted (browsers and servers handle URLs of this size)."""
MAX_JSON_BYTES: Final = 200_000
"""Most bytes a share-link token may inflate to (a guard against compression bombs)."""
LINK_VERSION: Final = 1

LESION_COLUMNS: Final = ("name", "organ", "node", "role", "baseline")
"""The lesion table's fixed columns; one size column per visit follows (:func:`size_column`)."""
VISIT_COLUMNS: Final = ("label", "day", "non_target", "new_lesions")
"""The visit table's columns, one row per follow-up visit."""

_PRODUCT = re.compile(r"\s*[x×*]\s*", re.IGNORECASE)
_FRAGMENTS = re.compile(r"\s*\+\s*")
_SPLIT = re.compile(r"[0-9.]\s*\+")
_MERGED = re.compile(r"^\s*merged\s+(?:into|with)\s+(?P<name>.+?)\s*$", re.IGNORECASE)
_LINK_CHARS = re.compile(r"[A-Za-z0-9_-]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class Role(StrEnum):
    """Whether a lesion is measured and summed (target) or followed by status only."""

    TARGET = "target"
    NON_TARGET = "non-target"


@dataclass(frozen=True)
class LesionEntry:
    """One row of the lesion table, as typed.

    ``baseline`` and ``sizes`` (one per follow-up visit) hold text: a number, two
    perpendicular diameters (``"52 x 40"``), ``"0"`` (gone), ``"too small"`` or
    ``"not assessed"``; ``""`` is a blank cell. At follow-up, ``"12 + 10"`` is a lesion
    that split into fragments and ``"merged into T1"`` one that joined lesion T1
    (RECIST 1.1 section 4.3.2). Non-target rows need no sizes: their
    progress is recorded per visit in :attr:`VisitEntry.non_target`.
    """

    name: str = ""
    organ: str = ""
    node: bool = False
    role: str = Role.TARGET.value
    baseline: str = ""
    sizes: tuple[str, ...] = ()

    def is_blank(self) -> bool:
        """True for a row with nothing typed in it (such rows are ignored).

        Examples:
            >>> LesionEntry().is_blank(), LesionEntry(name="T1").is_blank()
            (True, False)
        """
        return not any(text.strip() for text in (self.name, self.organ, self.baseline, *self.sizes))


@dataclass(frozen=True)
class VisitEntry:
    """One follow-up visit: its day (baseline = day 0), non-target status, new lesions.

    ``non_target`` is one of :data:`NON_TARGET_CHOICES`, or ``""`` when the patient has no
    non-target disease.
    """

    label: str = ""
    day: int | str | None = None
    """Days after baseline; ``None`` when blank; text when what was typed is not a whole
    number (kept so the message can quote it)."""
    non_target: str = ""
    new_lesions: bool = False


@dataclass(frozen=True)
class Case:
    """The whole single-patient form: lesions, visits, unit and criteria.

    ``unit`` is ``"mm"`` or ``"cm"``; ``""`` means not chosen yet, which is an error when
    the case is read (the unit is never guessed).
    """

    lesions: tuple[LesionEntry, ...] = ()
    visits: tuple[VisitEntry, ...] = ()
    unit: str = ""
    criteria: str = "basic"

    @classmethod
    def blank(cls, rows: int = 3, visits: int = 1) -> Case:
        """An empty form with a few blank lesion rows and follow-up visits.

        Examples:
            >>> blank = Case.blank()
            >>> len(blank.lesions), len(blank.visits), blank.unit
            (3, 1, '')
        """
        return cls(
            lesions=tuple(LesionEntry(sizes=("",) * visits) for _ in range(rows)),
            visits=tuple(VisitEntry() for _ in range(visits)),
        )

    def with_visit(self) -> Case:
        """The same case with one more (empty) follow-up visit at the end.

        Examples:
            >>> case = Case.blank(rows=1, visits=1).with_visit()
            >>> len(case.visits), case.lesions[0].sizes
            (2, ('', ''))
        """
        return replace(
            self,
            lesions=tuple(replace(row, sizes=(*row.sizes, "")) for row in self.lesions),
            visits=(*self.visits, VisitEntry()),
        )

    def without_last_visit(self) -> Case:
        """The same case without its last follow-up visit (its size column goes too).

        Examples:
            >>> Case.blank(rows=1, visits=2).without_last_visit().lesions[0].sizes
            ('',)
        """
        return replace(
            self,
            lesions=tuple(replace(row, sizes=row.sizes[:-1]) for row in self.lesions),
            visits=self.visits[:-1],
        )


# --------------------------------------------------------------------------- names


def visit_name(entry: VisitEntry, index: int) -> str:
    """How a follow-up visit is named in messages and tables: label (or "Visit n") and day.

    ``index`` counts follow-up visits from 0.

    Examples:
        >>> visit_name(VisitEntry(day=56), 0)
        'Visit 1 (day 56)'
        >>> visit_name(VisitEntry(label="Week 8"), 1)
        'Week 8'
    """
    label = entry.label.strip() or f"Visit {index + 1}"
    return f"{label} (day {entry.day})" if isinstance(entry.day, int) else label


def size_column(index: int) -> str:
    """The lesion table's column holding sizes at follow-up visit ``index`` (from 0).

    Examples:
        >>> size_column(0)
        'visit_1'
    """
    return f"visit_{index + 1}"


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class _Cell:
    """A size cell read: a size (diameter and maybe a perpendicular), or a status."""

    kind: str  # "size", "split", "merged", "too small", "not assessed", "blank" or "bad"
    diameter: Fraction | None = None
    perpendicular: Fraction | None = None
    fragments: tuple[Fraction, ...] = ()
    merged_into: str = ""


def _words(text: str) -> str:
    return " ".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


def _read_cell(text: str, unit: Unit, problems: Problems, where: str) -> _Cell:
    """Read one size cell strictly; record problems and return a ``bad`` cell on error."""
    words = _words(text)
    if not words:
        return _Cell("blank")
    if words == _words(TOO_SMALL):
        return _Cell("too small")
    if words == NOT_ASSESSED:
        return _Cell("not assessed")
    merged = _MERGED.match(text)
    if merged:
        return _Cell("merged", Fraction(0), merged_into=merged["name"])
    if _SPLIT.search(text):
        return _read_fragments(text, unit, problems, where)
    parts = _PRODUCT.split(text.strip())
    if len(parts) > 2 or (len(parts) == 2 and "" in parts):
        problems.add(
            where,
            "size",
            f"{text!r} has more than two diameters"
            if len(parts) > 2
            else f"{text!r} is not two diameters",
            "enter one diameter, or two perpendicular diameters as '52 x 40'",
        )
        return _Cell("bad")
    found = len(problems.items)
    values = [exact(part, unit, problems, where, "size") for part in parts]
    if len(problems.items) > found or any(value is None for value in values):
        return _Cell("bad")
    if len(values) == 2 and (values[0] == 0) != (values[1] == 0):
        problems.add(
            where,
            "size",
            f"{text!r} has one diameter of 0",
            "enter 0 if the lesion has gone, or both of its diameters",
        )
        return _Cell("bad")
    if len(values) == 2 and values[0] == 0:
        return _Cell("size", Fraction(0))  # "0 x 0": gone
    diameter = values[0]
    perpendicular = values[1] if len(values) == 2 else None
    return _Cell("size", diameter, perpendicular)


def _read_fragments(text: str, unit: Unit, problems: Problems, where: str) -> _Cell:
    """``12 + 10``: the longest diameters of a split lesion's fragments (summed)."""
    parts = _FRAGMENTS.split(text.strip())
    if any(_PRODUCT.search(part) for part in parts) or "" in parts:
        problems.add(
            where,
            "size",
            f"{text!r} is not a list of fragments",
            "write each fragment's longest diameter, joined by '+', e.g. '12 + 10' (a split "
            "lesion is the sum of its fragments' diameters, RECIST 1.1 section 4.3.2)",
        )
        return _Cell("bad")
    found = len(problems.items)
    values = [exact(part, unit, problems, where, "size") for part in parts]
    if len(problems.items) > found:
        return _Cell("bad")
    fragments = tuple(v for v in values if v is not None)
    return _Cell("split", sum(fragments, Fraction(0)), fragments=fragments)


def _lesion(cell: _Cell, entry: LesionEntry) -> Lesion:
    """The lesion a cell describes; two diameters in whichever order they were typed.

    The size is the longest diameter (RECIST 1.1 section 3.1.1), or for a lymph node
    its short axis (section 3.1.1: nodes are measured across); the other diameter is
    the perpendicular one WHO multiplies by.
    """
    size, perpendicular = cell.diameter, cell.perpendicular
    if size is not None and perpendicular is not None:
        pair = sorted((size, perpendicular), reverse=not entry.node)
        size, perpendicular = pair[0], pair[1]
    return Lesion(
        size_mm=None if cell.fragments else size,
        perpendicular_mm=perpendicular,
        node=entry.node,
        organ=entry.organ.strip() or None,
        name=entry.name.strip(),
        fragments_mm=cell.fragments,
        merged_into=cell.merged_into or None,
    )


def _limits(case: Case, problems: Problems) -> None:
    """Size limits shared by the form and the share link."""
    if len(case.lesions) > MAX_LESIONS:
        problems.add(
            "lesion table",
            "rows",
            f"has {len(case.lesions)} rows; at most {MAX_LESIONS} are allowed",
            "remove rows you do not need",
        )
    if len(case.visits) > MAX_VISITS:
        problems.add(
            "visits",
            "visits",
            f"there are {len(case.visits)}; at most {MAX_VISITS} are allowed",
            "remove visits you do not need",
        )
    for index, row in enumerate(case.lesions, start=1):
        for name, text in (("lesion name", row.name), ("organ", row.organ)):
            _text_limits(text, f"row {index}", name, problems)
        for text in (row.baseline, *row.sizes):
            if len(text) > MAX_CELL:
                problems.add(
                    f"row {index}",
                    "size",
                    f"a cell is {len(text)} characters long; at most {MAX_CELL} are allowed",
                    "enter a number, '52 x 40', '12 + 10', 0, 'too small' or 'not assessed'",
                )
    for index, visit in enumerate(case.visits):
        _text_limits(visit.label, f"Visit {index + 1}", "label", problems)


def _text_limits(text: str, where: str, field_name: str, problems: Problems) -> None:
    """Names and labels: short, on one line (a line break could split a CSV row)."""
    if len(text) > MAX_TEXT:
        problems.add(
            where,
            field_name,
            f"is {len(text)} characters long; at most {MAX_TEXT} are allowed",
            "shorten it",
        )
    if _CONTROL.search(text):
        problems.add(
            where,
            field_name,
            "contains a line break, tab or other control character",
            "type it on one line, without tabs",
        )


def to_visits(case: Case) -> list[Visit]:
    """Read the form into visits for :func:`remission.classify_series`, or raise.

    Sizes are converted to millimetres exactly; the baseline is day 0. Every problem in
    the form is reported in one :class:`~remission.InvalidInput`, each naming where it
    is, the field, what is wrong and how to fix it.

    Args:
        case: The form as typed.

    Returns:
        The baseline visit followed by one visit per follow-up.

    Raises:
        InvalidInput: listing every problem found.

    Examples:
        >>> bad = Case(
        ...     lesions=(LesionEntry("T1", baseline="52", sizes=("",)),),
        ...     visits=(VisitEntry(day=56),),
        ...     unit="mm",
        ... )
        >>> try:
        ...     to_visits(bad)
        ... except InvalidInput as error:
        ...     print(error.problems[0].where, "|", error.problems[0].field)
        lesion T1 at Visit 1 (day 56) | size
    """
    problems = Problems()
    _limits(case, problems)
    try:
        unit = Unit(case.unit.strip().lower())
    except ValueError:
        problems.add(
            "form",
            "unit",
            "no unit was chosen" if not case.unit.strip() else f"{case.unit!r} is not a unit",
            "choose mm or cm for the sizes you typed",
        )
        unit = Unit.MM  # read the rest anyway, to report every problem at once
    try:
        get_criteria(case.criteria)
    except InvalidInput as error:
        problems.extend(error.problems)

    names = _visit_days(case.visits, problems)
    rows = [(index, row) for index, row in enumerate(case.lesions, start=1) if not row.is_blank()]
    if not rows:
        problems.add(
            "lesion table",
            "lesions",
            "no lesion was entered",
            "enter at least one lesion with its name and baseline size",
        )
    roles = _roles(rows, problems)
    baseline_targets, follow_ups = _targets(rows, roles, unit, names, problems)

    has_non_target = any(role is Role.NON_TARGET for role in roles)
    statuses = _statuses(case.visits, names, has_non_target, problems)
    problems.raise_if_any()

    baseline = Visit(
        day=0,
        targets=baseline_targets,
        non_target=NonTargetStatus.PRESENT.value if has_non_target else None,
        label="baseline",
    )
    visits = [
        Visit(
            day=entry.day if isinstance(entry.day, int) else 0,
            targets=sizes,
            non_target=status,
            new_lesions=entry.new_lesions,
            label=names[index],
        )
        for index, (entry, sizes, status) in enumerate(
            zip(case.visits, follow_ups, statuses, strict=True)
        )
    ]
    return [baseline, *visits]


def _roles(rows: Sequence[tuple[int, LesionEntry]], problems: Problems) -> list[Role | None]:
    """Check names (present, unique) and roles; return each row's role."""
    seen: dict[str, int] = {}
    roles: list[Role | None] = []
    for index, row in rows:
        name = row.name.strip()
        if not name:
            problems.add(
                f"row {index}",
                "lesion name",
                "is empty",
                "give the lesion a name (e.g. T1), or clear the whole row",
            )
        elif name.casefold() in seen:
            problems.add(
                f"lesion {name}",
                "lesion name",
                f"is used twice (rows {seen[name.casefold()]} and {index})",
                "give every lesion its own name, e.g. T1 and T2",
            )
        else:
            seen[name.casefold()] = index
        try:
            roles.append(Role(_words(row.role).replace("non target", "non-target")))
        except ValueError:
            roles.append(None)
            problems.add(
                f"lesion {name or f'in row {index}'}",
                "target?",
                "is empty" if not row.role.strip() else f"{row.role!r} is not a role",
                "choose 'target' (measured and summed) or 'non-target' (followed by status)",
            )
    return roles


def _unused_sizes(row: LesionEntry, problems: Problems) -> None:
    """A size typed for a non-target lesion would be ignored: say so instead.

    RECIST 1.1 section 3.3 follows non-target lesions by status only; a number in their
    row is more likely a lesion meant as a target.
    """
    typed = [text for text in (row.baseline, *row.sizes) if _NUMBER.match(text)]
    if typed:
        problems.add(
            f"lesion {row.name.strip()}",
            "size",
            f"has sizes ({', '.join(typed)}), but non-target lesions are not measured",
            "make it a target lesion to have it measured and summed, or clear its sizes",
        )


_NUMBER: Final = re.compile(r"^\s*[0-9.]+\s*(?:[x×*+]\s*[0-9.]+\s*)*$")


def _targets(
    rows: Sequence[tuple[int, LesionEntry]],
    roles: Sequence[Role | None],
    unit: Unit,
    names: Sequence[str],
    problems: Problems,
) -> tuple[dict[str, Lesion], list[dict[str, Size | Lesion]]]:
    """Read every target lesion's baseline and follow-up cells."""
    baseline_targets: dict[str, Lesion] = {}
    follow_ups: list[dict[str, Size | Lesion]] = [{} for _ in names]
    for (index, row), role in zip(rows, roles, strict=True):
        if role is Role.NON_TARGET:
            _unused_sizes(row, problems)
        if role is not Role.TARGET:
            continue
        name = row.name.strip() or f"in row {index}"
        where = f"lesion {name}"
        if len(row.sizes) != len(names):
            problems.add(
                where,
                "size",
                f"has {len(row.sizes)} follow-up cells for {len(names)} visits",
                "give one size cell per visit",
            )
        cell = _read_cell(row.baseline, unit, problems, f"{where} at baseline")
        if cell.kind == "blank":
            problems.add(
                f"{where} at baseline",
                "baseline size",
                "is missing",
                "enter the baseline size, or mark the lesion 'non-target'",
            )
        elif cell.kind in ("too small", "not assessed"):
            problems.add(
                f"{where} at baseline",
                "baseline size",
                f"is '{cell.kind}', but a target lesion needs a measured baseline size",
                "enter the measured size, or mark the lesion 'non-target'",
            )
        elif cell.kind in ("split", "merged"):
            problems.add(
                f"{where} at baseline",
                "baseline size",
                f"is {cell.kind}, but a lesion splits or merges only after baseline",
                "at baseline give each separate lesion its own row and its measured size",
            )
        elif cell.kind == "size" and cell.diameter == 0:
            problems.add(
                f"{where} at baseline",
                "baseline size",
                "is 0, but a target lesion must be present at baseline",
                "enter the measured size, or remove the lesion",
            )
        baseline_targets[name] = _lesion(cell, row)
        for visit, (sizes, text) in enumerate(zip(follow_ups, row.sizes, strict=False)):
            at = f"{where} at {names[visit]}"
            cell = _read_cell(text, unit, problems, at)
            if cell.kind == "blank":
                problems.add(
                    at,
                    "size",
                    "is empty",
                    "enter the size; 0 if the lesion has gone, 'too small' if it is there "
                    "but too small to measure, or 'not assessed' if it was not checked",
                )
            elif cell.kind == "too small":
                sizes[name] = TOO_SMALL
            elif cell.kind == "not assessed":
                sizes[name] = None
            elif cell.kind in ("size", "split", "merged"):
                sizes[name] = _lesion(cell, row)
    return baseline_targets, follow_ups


def _visit_days(visits: Sequence[VisitEntry], problems: Problems) -> list[str]:
    """Check the days (whole, after baseline, in order); return each visit's name."""
    if not visits:
        problems.add(
            "visits",
            "visits",
            "there is no follow-up visit",
            "add a visit and enter its day and the sizes measured then",
        )
    previous: int | None = None
    for index, visit in enumerate(visits):
        where = visit_name(visit, index)
        if visit.day is None:
            problems.add(
                where,
                "day",
                "is missing",
                "enter the day of the visit, counted from baseline (day 0)",
            )
            continue
        if isinstance(visit.day, bool) or not isinstance(visit.day, int) or visit.day < 1:
            problems.add(
                where,
                "day",
                f"{visit.day!r} is not a whole number of days after baseline",
                "enter the days after baseline (day 0) as a whole number, e.g. 56",
            )
            continue
        if previous is not None and visit.day <= previous:
            problems.add(
                where,
                "day",
                f"day {visit.day} is not after the previous visit (day {previous})",
                "list visits in time order, each on a later day",
            )
        previous = visit.day
    return [visit_name(visit, index) for index, visit in enumerate(visits)]


def _statuses(
    visits: Sequence[VisitEntry], names: Sequence[str], has_non_target: bool, problems: Problems
) -> list[str | None]:
    found: list[str | None] = []
    choices = ", ".join(f"'{choice}'" for choice in NON_TARGET_CHOICES)
    for visit, name in zip(visits, names, strict=True):
        words = _words(visit.non_target)
        if not words:
            if has_non_target:
                problems.add(
                    name,
                    "non-target status",
                    "is empty, but the table lists non-target lesions",
                    f"choose one of {choices}",
                )
            found.append(None)
        elif words not in NON_TARGET_CHOICES:
            problems.add(
                name,
                "non-target status",
                f"{visit.non_target!r} is not a status",
                f"choose one of {choices}",
            )
            found.append(None)
        elif not has_non_target:
            problems.add(
                name,
                "non-target status",
                f"is '{words}', but the table lists no non-target lesion",
                "add the non-target lesions to the table, or leave the status empty",
            )
            found.append(None)
        else:
            found.append(words.replace(" ", "-"))
    return found


# --------------------------------------------------------------------------- assessing


def assess(case: Case, criteria: str | Criteria | None = None) -> Series:
    """Classify every follow-up of the case (under its criteria unless others are given).

    Raises:
        InvalidInput: when the form has problems (see :func:`to_visits`).
    """
    return classify_series(to_visits(case), criteria=criteria or case.criteria, unit=Unit.MM)


def best_response_visits(series: Series) -> tuple[str | None, str | None]:
    """Names of the visits that gave and that confirmed the best overall response.

    Examples:
        >>> case = Case(
        ...     lesions=(LesionEntry("T1", baseline="40", sizes=("10", "8")),),
        ...     visits=(VisitEntry(day=28), VisitEntry(day=56)),
        ...     unit="mm",
        ...     criteria="recist1.0",
        ... )
        >>> best_response_visits(assess(case))
        ('Visit 1 (day 28)', 'Visit 2 (day 56)')
    """
    by_day = {assessment.day: assessment.visit for assessment in series.visits}
    best = series.best_response
    return (
        None if best.day is None else by_day.get(best.day),
        None if best.confirmed_day is None else by_day.get(best.confirmed_day),
    )


def shown_percents(values: pd.Series, criteria: Criteria) -> pd.Series:
    """Percent changes as the explanations show them, for a table.

    One decimal (halves away from zero), or more where one decimal would round onto a
    threshold the change misses, or onto 0 (:func:`remission.explain.percent`).

    Examples:
        >>> recist = get_criteria("recist1.1")
        >>> shown_percents(pd.Series([-29.9696969, -38.84, -29.95, None]), recist).tolist()
        [-29.97, -38.8, -29.95, nan]
    """
    near = criteria.thresholds
    x = values.to_numpy(dtype="float64", na_value=math.nan)
    tenths = np.abs(x) * 10
    shown = np.sign(x) * np.floor(tenths + 0.5) / 10
    marks = [0.0, *(float(t * 100) for t in near)]
    # A float holds 29.95 as 29.9499…: near a half, and on a mark, read the decimal the
    # float stands for (its shortest form), as the explanation reads the exact change.
    near_half = np.abs(tenths - np.floor(tenths) - 0.5) < 1e-6
    for i in np.flatnonzero(np.isin(np.abs(shown), marks) | near_half).tolist():
        shown[i] = percent_number(Fraction(repr(float(x[i]))) / 100, near)
    return pd.Series(shown, index=values.index, dtype="float64", name=values.name)


def visit_table(series: Series) -> pd.DataFrame:
    """One row per follow-up: response, sums and changes (percent as the explanations show it).

    Examples:
        >>> case = Case((LesionEntry("T1", baseline="50", sizes=("20",)),), (VisitEntry(day=56),), "mm")
        >>> table = visit_table(assess(case))
        >>> print(table.loc[0, "Response"], table.loc[0, "Sum"], table.loc[0, "Change from baseline (%)"])
        PR 20.0 -60.0
    """
    near = series.criteria.thresholds
    rows = [
        {
            "Visit": a.visit,
            "Day": a.day,
            "Response": a.response.value,
            "Meaning": a.response.label,
            "Target": None if a.target_response is None else a.target_response.value,
            "Non-target": None if a.non_target_response is None else a.non_target_response.value,
            "New lesions": "yes" if a.new_lesions else "no",
            "Sum": a.sum_mm if a.all_assessed else None,  # a part is no sum (4.4.2)
            "Unit": a.unit,
            "Nadir": a.nadir_mm,
            "Change from baseline (%)": percent_number(a.change_from_baseline, near),
            "Change from nadir (%)": percent_number(a.change_from_nadir, near),
            "Rule": str(a.rule),
        }
        for a in series.visits
    ]
    return pd.DataFrame(rows)


def best_table(series: Series) -> pd.DataFrame:
    """How each assessment counted towards the best overall response."""
    by_day = {a.day: a.visit for a in series.visits}
    return pd.DataFrame(
        [
            {
                "Visit": by_day.get(c.day, f"day {c.day}"),
                "Day": c.day,
                "Recorded": c.recorded.value,
                "Counted as": c.counted_as.value,
                "Why": c.why,
            }
            for c in series.best_response.counted
        ],
        columns=["Visit", "Day", "Recorded", "Counted as", "Why"],
    )


def compare_table(case: Case) -> pd.DataFrame:
    """The same form under every criteria set: response per visit and best response.

    Raises:
        InvalidInput: when the form has problems.

    Examples:
        >>> case = Case((LesionEntry("T1", baseline="40", sizes=("26",)),), (VisitEntry(day=56),), "mm")
        >>> compare_table(case)[["Criteria", "Visit 1 (day 56)"]].values.tolist()
        [['Basic (50 % rule)', 'SD'], ['WHO 1981', 'SD'], ['RECIST 1.0', 'PR'], ['RECIST 1.1', 'PR']]
    """
    visits = to_visits(case)
    rows: list[dict[str, object]] = []
    for name, criteria in CRITERIA.items():
        series = classify_series(visits, criteria=name, unit=Unit.MM)
        row: dict[str, object] = {"Criteria": criteria.title}
        for assessment in series.visits:
            row[assessment.visit] = assessment.response.value
        last = series.visits[-1]
        row["Last change from baseline"] = percent(last.change_from_baseline, criteria.thresholds)
        row["Sizes summed as"] = last.unit
        row["Best overall response"] = series.best_response.response.value
        days = criteria.confirmation_days
        row["Confirmation"] = "not required" if days is None else f"at least {days} days later"
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- charts


def sum_points(series: Series) -> pd.DataFrame:
    """The sum of the target lesions at baseline and at each visit, for the chart.

    ``complete`` is false when a lesion was not assessed (the sum is then partial).

    Examples:
        >>> case = Case((LesionEntry("T1", baseline="50", sizes=("20",)),), (VisitEntry(day=56),), "mm")
        >>> sum_points(assess(case))[["day", "sum", "response"]].values.tolist()
        [[0, 50.0, 'baseline'], [56, 20.0, 'PR']]
    """
    rows: list[dict[str, object]] = []
    if series.baseline is not None and series.visits:
        unit = series.visits[0].unit
        rows.append(
            {
                "visit": "baseline",
                "day": 0,
                "sum": float(series.visits[0].baseline or 0),
                "unit": unit,
                "response": "baseline",
                "complete": True,
            }
        )
        rows.extend(
            {
                "visit": a.visit,
                "day": a.day,
                "sum": a.sum_mm if a.all_assessed else None,  # a part is no sum (4.4.2)
                "unit": a.unit,
                "response": a.response.value,
                "complete": a.all_assessed,
            }
            for a in series.visits
        )
    return pd.DataFrame(rows, columns=["visit", "day", "sum", "unit", "response", "complete"])


def _pd_at_least(criteria: Criteria, assessment: Assessment) -> Fraction | None:
    """The smallest sum that is progression at this visit, as the engine decides it."""
    growth = criteria.progression
    if growth.scope is not Scope.SUM or assessment.baseline is None:
        return None
    reference = assessment.nadir if growth.reference is Reference.NADIR else assessment.baseline
    if reference is None:
        return None
    return max((1 + growth.fraction) * reference, reference + (growth.min_increase_mm or 0))


def threshold_lines(series: Series) -> pd.DataFrame:
    """The criteria's thresholds on the sum at each day, for the chart.

    ``PR at most`` is the partial-response line (from baseline); ``PD at least`` is the
    progression line (from the nadir at that visit), drawn only when the criteria judge
    growth on the sum (WHO 1981 judges each lesion, so it has no line on the sum).

    Examples:
        >>> case = Case((LesionEntry("T1", baseline="50", sizes=("20", "22")),),
        ...             (VisitEntry(day=56), VisitEntry(day=112)), "mm", "recist1.1")
        >>> threshold_lines(assess(case)).values.tolist()
        [['PR at most', 0, 35.0], ['PR at most', 56, 35.0], ['PR at most', 112, 35.0], ['PD at least', 0, 60.0], ['PD at least', 56, 60.0], ['PD at least', 112, 25.0]]
    """
    rows: list[dict[str, object]] = []
    criteria = series.criteria
    if series.visits and series.visits[0].baseline is not None:
        baseline = series.visits[0].baseline
        pr = float((1 - criteria.partial.fraction) * baseline)
        rows.append({"line": "PR at most", "day": 0, "value": pr})
        rows.extend({"line": "PR at most", "day": a.day, "value": pr} for a in series.visits)
        progression = [(a.day, _pd_at_least(criteria, a)) for a in series.visits]
        # The line leading up to a visit is the one that visit is judged by, so the
        # first visit's threshold is drawn from baseline (the chart steps "before").
        if progression and progression[0][1] is not None:
            rows.append({"line": "PD at least", "day": 0, "value": float(progression[0][1])})
        rows.extend(
            {"line": "PD at least", "day": day, "value": float(value)}
            for day, value in progression
            if value is not None
        )
    return pd.DataFrame(rows, columns=["line", "day", "value"])


def lesion_points(series: Series) -> pd.DataFrame:
    """Each target lesion's size at baseline and each visit (``None`` = not assessed).

    Examples:
        >>> case = Case((LesionEntry("T1", baseline="50", sizes=("too small",)),), (VisitEntry(day=56),), "mm", "recist1.1")
        >>> lesion_points(assess(case)).values.tolist()
        [['T1', 'baseline', 0, 50.0, 'measured'], ['T1', 'Visit 1 (day 56)', 56, 5.0, 'too small']]
    """
    rows: list[dict[str, object]] = []
    if series.visits:
        for lesion in series.visits[0].lesions:
            rows.append(
                {
                    "lesion": lesion.name,
                    "visit": "baseline",
                    "day": 0,
                    "size": float(lesion.baseline),
                    "status": "measured",
                }
            )
        for a in series.visits:
            rows.extend(
                {
                    "lesion": lesion.name,
                    "visit": a.visit,
                    "day": a.day,
                    "size": lesion.value_mm,
                    "status": lesion.status,
                }
                for lesion in a.lesions
            )
    return pd.DataFrame(rows, columns=["lesion", "visit", "day", "size", "status"])


def percent_thresholds(criteria: Criteria) -> pd.DataFrame:
    """The criteria's thresholds as percent change of the sum, for waterfall and spider plots.

    Partial response is a change from baseline; progression is measured from the nadir,
    so its line on a from-baseline plot is a guide only, and it is left out when the
    criteria judge growth lesion by lesion (WHO 1981).

    Examples:
        >>> from remission.criteria import RECIST_1_1, WHO
        >>> percent_thresholds(RECIST_1_1).values.tolist()
        [['PR: −30 %', -30.0], ['PD: +20 % from nadir', 20.0]]
        >>> percent_thresholds(WHO).values.tolist()
        [['PR: −50 %', -50.0]]
    """
    partial = float(-criteria.partial.fraction * 100)
    rows: list[tuple[str, float]] = [(f"PR: −{-partial:g} %", partial)]
    growth = criteria.progression
    if growth.scope is Scope.SUM:
        value = float(growth.fraction * 100)
        rows.append((f"PD: +{value:g} % from {growth.reference.value}", value))
    return pd.DataFrame(rows, columns=["line", "value"])


# --------------------------------------------------------------------------- criteria as tables


def _percent_of(fraction: Fraction) -> str:
    return f"{float(fraction * 100):g} %"


def _mm(value: Fraction | None) -> str:
    return "—" if value is None else f"{float(value):g} mm"


def criteria_thresholds(criteria: Criteria) -> pd.DataFrame:
    """A criteria set's numbers, read from the very object the engine evaluates.

    Examples:
        >>> from remission.criteria import RECIST_1_1
        >>> table = criteria_thresholds(RECIST_1_1).set_index("Item")["Value"]
        >>> table["Partial response"], table["Progression"]
        ('at least 30 % below baseline', 'at least 20 % above nadir, and at least 5 mm more')
    """
    partial = criteria.partial
    growth = criteria.progression
    progression = f"at least {_percent_of(growth.fraction)} above {growth.reference.value}"
    if growth.scope is Scope.ANY_LESION:
        progression = f"any one lesion at least {_percent_of(growth.fraction)} above its {growth.reference.value}"
    if growth.min_increase_mm is not None:
        progression += f", and at least {_mm(growth.min_increase_mm)} more"
    limits = criteria.measurability
    rows = [
        ("Sizes summed", criteria.measure.value),
        (
            "Partial response",
            f"at least {_percent_of(partial.fraction)} below {partial.reference.value}",
        ),
        ("Progression", progression),
        ("Lesion too small to measure counts as", _mm(criteria.too_small_mm)),
        (
            "Lymph node normal below (short axis)",
            "—" if criteria.node_normal_below_mm is None else _mm(criteria.node_normal_below_mm),
        ),
        (
            "Confirmation of CR/PR",
            "not required"
            if criteria.confirmation_days is None
            else f"at least {criteria.confirmation_days} days later",
        ),
        ("Stable disease counts from", f"day {criteria.sd_min_days}"),
    ]
    if limits is not None:
        rows += [
            ("Smallest measurable lesion", _mm(limits.min_size_mm)),
            ("Smallest measurable lymph node (short axis)", _mm(limits.min_node_mm)),
            ("Most target lesions", "—" if limits.max_targets is None else str(limits.max_targets)),
            (
                "Most targets per organ",
                "—" if limits.max_per_organ is None else str(limits.max_per_organ),
            ),
        ]
    return pd.DataFrame(rows, columns=["Item", "Value"])


def criteria_rules(criteria: Criteria) -> pd.DataFrame:
    """Every rule of a criteria set in words, with its citation.

    Examples:
        >>> from remission.criteria import BASIC
        >>> criteria_rules(BASIC).iloc[0]["Rule"]
        'Complete: every lesion gone (0 mm) or too small to see or measure'
    """
    rules = [
        ("Complete response", criteria.complete),
        ("Partial response", criteria.partial.rule),
        ("Stable disease", criteria.stable),
        ("Progression", criteria.progression.rule),
        ("Reappearance", criteria.reappearance),
        ("Not evaluable", criteria.not_evaluable),
        ("Too small to measure", criteria.too_small),
        ("Lymph nodes", criteria.node_measure),
        ("Confirmation", criteria.confirmation),
    ]
    if criteria.measurability is not None:
        rules.append(("Measurability", criteria.measurability.rule))
    return pd.DataFrame(
        [(topic, rule.text, str(rule.citation)) for topic, rule in rules],
        columns=["Topic", "Rule", "Source"],
    )


def _states(states: Iterable[Response | None], none: str, domain: Iterable[Response | None]) -> str:
    present = set(states)
    if present >= set(domain):
        return "any"
    order = [
        Response.CR,
        Response.PR,
        Response.SD,
        Response.NON_CR_NON_PD,
        Response.PD,
        Response.NE,
    ]
    words = [r.value for r in order if r in present]
    if None in present:
        words.append(none)
    return " / ".join(words)


def _new(values: frozenset[bool]) -> str:
    if values == {True}:
        return "yes"
    if values == {False}:
        return "no"
    return "any"


def criteria_table(criteria: Criteria) -> pd.DataFrame:
    """The overall-response table in decision order: the first matching row decides.

    Examples:
        >>> from remission.criteria import RECIST_1_1
        >>> criteria_table(RECIST_1_1).iloc[0][["Target", "New lesions", "Overall"]].tolist()
        ['any', 'yes', 'PD']
    """
    rows = [_row(number, row) for number, row in enumerate(criteria.table, start=1)]
    return pd.DataFrame(
        rows, columns=["Order", "Target", "Non-target", "New lesions", "Overall", "Rule", "Source"]
    )


def _row(order: int, row: Row) -> dict[str, object]:
    return {
        "Order": order,
        "Target": _states(row.target, "none", TARGET_STATES),
        "Non-target": _states(row.non_target, "none", NON_TARGET_STATES),
        "New lesions": _new(row.new_lesions),
        "Overall": row.overall.value,
        "Rule": row.rule.text,
        "Source": str(row.rule.citation),
    }


# --------------------------------------------------------------------------- the editor's tables


def to_tables(case: Case) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The case as the two tables the form edits: lesions (wide) and visits.

    Examples:
        >>> lesions, visits = to_tables(Case.blank(rows=1, visits=2))
        >>> list(lesions.columns), list(visits.columns)
        (['name', 'organ', 'node', 'role', 'baseline', 'visit_1', 'visit_2'], ['label', 'day', 'non_target', 'new_lesions'])
    """
    size_columns = [size_column(i) for i in range(len(case.visits))]
    lesions = pd.DataFrame(
        [
            {
                "name": row.name,
                "organ": row.organ,
                "node": row.node,
                "role": row.role,
                "baseline": row.baseline,
                **{
                    column: (row.sizes[i] if i < len(row.sizes) else "")
                    for i, column in enumerate(size_columns)
                },
            }
            for row in case.lesions
        ],
        columns=[*LESION_COLUMNS, *size_columns],
    )
    for column in ("name", "organ", "role", "baseline", *size_columns):
        lesions[column] = lesions[column].astype("object")
    lesions["node"] = lesions["node"].astype("bool")
    visits = pd.DataFrame(
        [
            {
                "label": visit.label,
                "day": visit.day if isinstance(visit.day, int) else None,
                "non_target": visit.non_target or None,
                "new_lesions": visit.new_lesions,
            }
            for visit in case.visits
        ],
        columns=list(VISIT_COLUMNS),
    )
    visits["day"] = visits["day"].astype("Int64")
    visits["label"] = visits["label"].astype("object")
    visits["non_target"] = visits["non_target"].astype("object")
    visits["new_lesions"] = visits["new_lesions"].astype("bool")
    visits.index = pd.Index([f"Visit {i + 1}" for i in range(len(visits))], name="Visit")
    return lesions, visits


def _text(value: object) -> str:
    """A table cell as text: blanks (None, NaN, NA) become ""; numbers keep their digits."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, (int, Decimal, Fraction, str)):
        return str(value).strip()
    return str(value).strip()


def _flag(value: object) -> bool:
    if value is None or value is pd.NA:
        return False
    if isinstance(value, float) and math.isnan(value):
        return False
    if isinstance(value, str):
        return _words(value) in ("true", "yes", "y", "1")
    return bool(value)


def _day(value: object) -> int | str | None:
    """A day cell: a whole number, ``None`` when blank, else the text (refused later)."""
    text = _text(value)
    if not text:
        return None
    try:
        number_ = Decimal(text)
    except ArithmeticError:
        return text
    if not number_.is_finite() or number_ != number_.to_integral_value():
        return text
    return int(number_)


def from_tables(
    lesions: pd.DataFrame, visits: pd.DataFrame, *, unit: str | None, criteria: str
) -> Case:
    """The case behind the form's two edited tables (the inverse of :func:`to_tables`).

    Cells are kept as text; nothing is checked here (see :func:`to_visits`).

    Examples:
        >>> case = Case((LesionEntry("T1", "liver", True, "target", "12", ("8",)),), (VisitEntry("Week 8", 56, "", True),), "cm", "who")
        >>> from_tables(*to_tables(case), unit="cm", criteria="who") == case
        True
    """
    count = len(visits)
    entries = tuple(
        VisitEntry(
            label=_text(row.get("label")),
            day=_day(row.get("day")),
            non_target=_text(row.get("non_target")),
            new_lesions=_flag(row.get("new_lesions")),
        )
        for row in visits.to_dict("records")
    )
    rows = tuple(
        LesionEntry(
            name=_text(row.get("name")),
            organ=_text(row.get("organ")),
            node=_flag(row.get("node")),
            role=_text(row.get("role")),
            baseline=_text(row.get("baseline")),
            sizes=tuple(_text(row.get(size_column(i))) for i in range(count)),
        )
        for row in lesions.to_dict("records")
    )
    return Case(rows, entries, unit or "", criteria)


# --------------------------------------------------------------------------- from a study


def patients(table: pd.DataFrame) -> tuple[str, ...]:
    """The patients of a long measurement table, in order of first appearance.

    Examples:
        >>> from remission import examples
        >>> patients(examples.load("nodes-and-small"))
        ('N01', 'N02', 'N03')
    """
    column = next((c for c in table.columns if str(c).strip().lower() == "patient"), None)
    if column is None:
        return ()
    return tuple(dict.fromkeys(str(p) for p in table[column].dropna()))


def _size_text(value: object) -> str:
    """A size from the engine's input as the text a user would type."""
    if value is None:
        return NOT_ASSESSED
    if value == TOO_SMALL:
        return "too small"
    if isinstance(value, Lesion) and value.fragments_mm:
        return " + ".join(_size_text(f) for f in value.fragments_mm)
    if isinstance(value, Lesion) and value.merged_into is not None:
        return f"merged into {value.merged_into}"
    if isinstance(value, Lesion):
        first = _size_text(value.size_mm)
        if value.perpendicular_mm is None or first in (NOT_ASSESSED, "too small"):
            return first
        return f"{first} x {_size_text(value.perpendicular_mm)}"
    if isinstance(value, Fraction):
        exact_ = Decimal(value.numerator) / Decimal(value.denominator)
        return format(exact_.normalize(), "f")
    return str(value)


def from_long(table: pd.DataFrame, patient: str, *, criteria: str = "basic") -> Case:
    """One patient of a long measurement table (see :mod:`remission.table`) as a form.

    Sizes are in millimetres; a target without a size at a visit becomes
    ``not assessed``; non-target lesions keep their names and the visits their
    non-target status.

    Raises:
        InvalidInput: when the table has problems or the patient is not in it.

    Examples:
        >>> from remission import examples
        >>> case = from_long(examples.load("mixed-cohort"), "P01")
        >>> [(row.name, row.baseline, row.sizes) for row in case.lesions]
        [('T1', '40', ('30', '26', '25')), ('T2', '30', ('20', '20', '19'))]
        >>> [(v.label, v.day) for v in case.visits]
        [('week 6', 42), ('week 12', 84), ('week 18', 126)]
    """
    from remission import table as long_table  # noqa: PLC0415 - only this helper needs it

    checked = long_table.read_table(table)
    visits = long_table.to_visits(checked, patient)
    baseline, follow_ups = visits[0], visits[1:]
    rows: list[LesionEntry] = []
    for name, value in baseline.targets.items():
        lesion = value if isinstance(value, Lesion) else Lesion(size_mm=value)
        rows.append(
            LesionEntry(
                name=str(name),
                organ=lesion.organ or "",
                node=lesion.node,
                role=Role.TARGET.value,
                baseline=_size_text(value),
                sizes=tuple(_size_text(v.targets.get(name)) for v in follow_ups),
            )
        )
    data = checked.data
    at_base = data[(data["patient"] == patient) & (data["day"] == baseline.day)]
    for record in at_base.itertuples(index=False):
        if record.role == long_table.Role.NON_TARGET:
            organ = _text(record.organ)
            rows.append(
                LesionEntry(
                    str(record.lesion),
                    organ,
                    bool(record.node),
                    Role.NON_TARGET.value,
                    "",
                    ("",) * len(follow_ups),
                )
            )
    entries = tuple(
        VisitEntry(
            label=visit.label or "",
            day=visit.day - baseline.day,
            non_target=(visit.non_target or "").replace("-", " "),
            new_lesions=visit.new_lesions,
        )
        for visit in follow_ups
    )
    return Case(tuple(rows), entries, Unit.MM.value, criteria)


# --------------------------------------------------------------------------- share link


def _payload(case: Case) -> dict[str, object]:
    return {
        "v": LINK_VERSION,
        "c": case.criteria,
        "u": case.unit,
        "L": [
            [row.name, row.organ, int(row.node), row.role, row.baseline, list(row.sizes)]
            for row in case.lesions
        ],
        "V": [
            [v.label, v.day if isinstance(v.day, int) else None, v.non_target, int(v.new_lesions)]
            for v in case.visits
        ],
    }


def encode(case: Case) -> str:
    """The whole case as a compact URL-safe token (JSON, zlib, base64url without padding).

    Raises:
        InvalidInput: when the case is too large for a link.

    Examples:
        >>> token = encode(Case.blank())
        >>> token.isascii() and "=" not in token and "+" not in token and "/" not in token
        True
    """
    problems = Problems()
    _limits(case, problems)
    problems.raise_if_any()
    text = json.dumps(_payload(case), separators=(",", ":"), ensure_ascii=False)
    token = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9)).decode("ascii")
    token = token.rstrip("=")
    if len(token) > MAX_LINK_CHARS:
        raise InvalidInput(
            [
                Problem(
                    "share link",
                    "case",
                    f"would be {len(token)} characters long; at most {MAX_LINK_CHARS} are allowed",
                    "remove rows or visits, or download the result instead",
                )
            ]
        )
    return token


def _link_problem(message: str) -> InvalidInput:
    return InvalidInput(
        [
            Problem(
                "share link",
                "case",
                message,
                "ask for a new link, or enter the measurements again",
            )
        ]
    )


def decode(token: str) -> Case:
    """Rebuild a case from a share-link token, checking it strictly.

    Only plain JSON is read (never ``eval`` or ``pickle``); the token's length, its
    inflated size and every field's type and size are checked.

    Raises:
        InvalidInput: when the link is damaged, changed, too large or not a case.

    Examples:
        >>> decode("not a link!")
        Traceback (most recent call last):
        ...
        remission.errors.InvalidInput: 1 problem in the input:
        - share link, case: contains characters a share link never has. Fix: ask for a new link, or enter the measurements again.
    """
    if not isinstance(token, str):
        raise _link_problem("is not text")
    token = token.strip()
    if not token:
        raise _link_problem("is empty")
    if len(token) > MAX_LINK_CHARS:
        raise _link_problem(
            f"is {len(token)} characters long; at most {MAX_LINK_CHARS} are allowed"
        )
    if not _LINK_CHARS.fullmatch(token):
        raise _link_problem("contains characters a share link never has")
    try:
        packed = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    except (binascii.Error, ValueError):
        raise _link_problem("is damaged (it is not valid base64url)") from None
    inflater = zlib.decompressobj()
    try:
        raw = inflater.decompress(packed, MAX_JSON_BYTES + 1)
    except zlib.error:
        raise _link_problem("is damaged or was changed (it does not decompress)") from None
    if len(raw) > MAX_JSON_BYTES or inflater.unconsumed_tail:
        raise _link_problem(f"holds more than {MAX_JSON_BYTES} bytes of data")
    if not inflater.eof or inflater.unused_data:
        raise _link_problem("is damaged or was cut short")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise _link_problem("is damaged or was changed (it is not a case)") from None
    return _case_from_payload(data)


def _string(value: object, limit: int, what: str) -> str:
    if not isinstance(value, str):
        raise _link_problem(f"has a {what} that is not text")
    if len(value) > limit:
        raise _link_problem(f"has a {what} longer than {limit} characters")
    if _CONTROL.search(value):
        raise _link_problem(f"has a {what} with control characters")
    return value


def _bit(value: object, what: str) -> bool:
    if value not in (0, 1) or isinstance(value, float):
        raise _link_problem(f"has a {what} that is not 0 or 1")
    return bool(value)


def _case_from_payload(data: object) -> Case:
    if not isinstance(data, dict) or set(data) != {"v", "c", "u", "L", "V"}:
        raise _link_problem("is not a remission case")
    if data["v"] != LINK_VERSION or isinstance(data["v"], bool):
        raise _link_problem(f"has version {data['v']!r}; this app reads version {LINK_VERSION}")
    criteria = _string(data["c"], 20, "criteria")
    if criteria not in CRITERIA:
        raise _link_problem(f"names unknown criteria {criteria!r}")
    unit = _string(data["u"], 2, "unit")
    if unit not in ("", "mm", "cm"):
        raise _link_problem(f"names unknown unit {unit!r}")
    lesions, visits = data["L"], data["V"]
    if not isinstance(visits, list) or len(visits) > MAX_VISITS:
        raise _link_problem(f"does not hold a list of at most {MAX_VISITS} visits")
    if not isinstance(lesions, list) or len(lesions) > MAX_LESIONS:
        raise _link_problem(f"does not hold a list of at most {MAX_LESIONS} lesions")
    entries: list[VisitEntry] = []
    for item in visits:
        if not isinstance(item, list) or len(item) != 4:
            raise _link_problem("has a visit that is not [label, day, status, new]")
        label, day, status, new = item
        if day is not None and (
            isinstance(day, bool) or not isinstance(day, int) or not 0 <= day <= 100_000
        ):
            raise _link_problem("has a visit day that is not a whole number of days")
        status = _string(status, 20, "non-target status")
        if status and status not in NON_TARGET_CHOICES:
            raise _link_problem(f"has an unknown non-target status {status!r}")
        entries.append(
            VisitEntry(
                _string(label, MAX_TEXT, "visit label"), day, status, _bit(new, "new-lesion flag")
            )
        )
    rows: list[LesionEntry] = []
    for item in lesions:
        if not isinstance(item, list) or len(item) != 6:
            raise _link_problem(
                "has a lesion that is not [name, organ, node, role, baseline, sizes]"
            )
        name, organ, node, role, baseline, sizes = item
        if not isinstance(sizes, list) or len(sizes) != len(entries):
            raise _link_problem("has a lesion whose sizes do not match the visits")
        role = _string(role, 20, "role")
        if role not in (Role.TARGET.value, Role.NON_TARGET.value, ""):
            raise _link_problem(f"has an unknown role {role!r}")
        rows.append(
            LesionEntry(
                _string(name, MAX_TEXT, "lesion name"),
                _string(organ, MAX_TEXT, "organ"),
                _bit(node, "lymph-node flag"),
                role,
                _string(baseline, MAX_CELL, "size"),
                tuple(_string(size, MAX_CELL, "size") for size in sizes),
            )
        )
    return Case(tuple(rows), tuple(entries), unit, criteria)


# --------------------------------------------------------------------------- exports


def result_frame(series: Series) -> pd.DataFrame:
    """One row per follow-up with everything behind the answer, for CSV export.

    Columns hold the criteria, the response and its meaning, sums and changes (full
    precision), the rule with its citation, and the clinician and patient sentences.
    """
    best = series.best_response
    rows = [
        {
            "criteria": series.criteria.title,
            "visit": a.visit,
            "day": a.day,
            "response": a.response.value,
            "response_label": a.response.label,
            "target_response": None if a.target_response is None else a.target_response.value,
            "non_target_response": None
            if a.non_target_response is None
            else a.non_target_response.value,
            "new_lesions": a.new_lesions,
            "sum": a.sum_mm,
            "unit": a.unit,
            "baseline_sum": a.baseline_sum_mm,
            "nadir": a.nadir_mm,
            "pct_change_from_baseline": a.percent_change,
            "pct_change_from_nadir": a.percent_change_nadir,
            "rule": a.rule.text,
            "citation": str(a.rule.citation),
            "clinician": a.explanation.clinician,
            "numbers": a.explanation.numbers,
            "lesions": a.explanation.lesions,
            "next_category": a.explanation.next_category,
            "patient": a.explanation.patient,
            "warnings": "; ".join(a.explanation.warnings),
            "best_overall_response": best.response.value,
        }
        for a in series.visits
    ]
    return pd.DataFrame(rows)


def result_csv(series: Series) -> str:
    """:func:`result_frame` as CSV text, safe to open in a spreadsheet.

    Text cells that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``…)
    are prefixed with ``'`` by :func:`remission.export.to_safe_csv`.

    Examples:
        >>> case = Case((LesionEntry("=1+1", baseline="50", sizes=("20",)),), (VisitEntry(day=56),), "mm")
        >>> "'=1+1: 20 mm" in result_csv(assess(case))
        True
    """
    return to_safe_csv(result_frame(series))


def _case_dict(case: Case) -> dict[str, object]:
    return {
        "criteria": case.criteria,
        "unit": case.unit,
        "lesions": [
            {
                "name": row.name,
                "organ": row.organ,
                "node": row.node,
                "role": row.role,
                "baseline": row.baseline,
                "sizes": list(row.sizes),
            }
            for row in case.lesions
            if not row.is_blank()
        ],
        "visits": [
            {
                "label": v.label,
                "day": v.day,
                "non_target": v.non_target,
                "new_lesions": v.new_lesions,
            }
            for v in case.visits
        ],
    }


def result_json(case: Case, series: Series) -> str:
    """The form as typed and every result, as JSON (sizes in mm, or mm² for products).

    Examples:
        >>> case = Case((LesionEntry("T1", baseline="5", sizes=("2",)),), (VisitEntry(day=56),), "cm", "recist1.1")
        >>> data = json.loads(result_json(case, assess(case)))
        >>> data["visits"][0]["response"], data["visits"][0]["sum"], data["best_overall_response"]["response"]
        ('PR', 20.0, 'PR')
    """
    best = series.best_response
    given, confirmed = best_response_visits(series)
    records = result_frame(series).to_dict("records")
    document = {
        "disclaimer": DISCLAIMER,
        "criteria": {"name": series.criteria.name, "title": series.criteria.title},
        "case": _case_dict(case),
        "visits": [_plain(record) for record in records],
        "best_overall_response": {
            "response": best.response.value,
            "label": best.response.label,
            "day": best.day,
            "visit": given,
            "confirmed_day": best.confirmed_day,
            "confirmed_visit": confirmed,
            "explanation": best.explanation.clinician,
            "rule": str(best.explanation.rule),
            "warnings": list(best.explanation.warnings),
        },
        "warnings": [str(w) for w in series.warnings],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _plain(record: Mapping[Hashable, object]) -> dict[str, object]:
    """JSON-friendly values: missing numbers become null."""
    out: dict[str, object] = {}
    for key, value in record.items():
        if isinstance(value, float) and math.isnan(value):
            out[str(key)] = None
        elif hasattr(value, "item") and not isinstance(value, (str, bytes)):
            out[str(key)] = value.item()  # numpy scalar
        else:
            out[str(key)] = value
    return out


def _cite(paper: Paper) -> str:
    return str(paper)


def summary_text(case: Case, series: Series, width: int = 88) -> str:
    """A printable one-page summary, in plain text (no markup to misread).

    Examples:
        >>> case = Case((LesionEntry("T1", baseline="52", sizes=("20",)), LesionEntry("T2", baseline="31", sizes=("11",))),
        ...             (VisitEntry(day=56),), "mm", "recist1.1")
        >>> text = summary_text(case, assess(case))
        >>> "Partial response (PR)" in text and "−62.7 %" in text
        True
    """

    def para(text: str, indent: str = "") -> list[str]:
        return textwrap.wrap(
            text, width=width, initial_indent=indent, subsequent_indent=indent
        ) or [indent.rstrip()]

    criteria = series.criteria
    lines = ["remission: tumour response summary", "=" * 34, ""]
    lines += para(f"Criteria: {criteria.title}. {criteria.summary}.")
    lines += para(f"Source: {_cite(criteria.paper)}")
    lines += para(f"Sizes entered in {case.unit}; results are reported in millimetres.")
    lines += ["", "Lesions (as entered)", "-" * 20]
    for row in case.lesions:
        if row.is_blank():
            continue
        kind = (
            f"{row.role}{', lymph node' if row.node else ''}{', ' + row.organ if row.organ else ''}"
        )
        sizes = ", ".join(
            f"{visit_name(visit, i)}: {size or '—'}"
            for i, (visit, size) in enumerate(zip(case.visits, row.sizes, strict=False))
        )
        lines += para(f"- {row.name} ({kind}): baseline {row.baseline or '—'}; {sizes}")
    lines += ["", "Response at each visit", "-" * 22]
    for a in series.visits:
        change = percent(a.change_from_baseline, a.criteria.thresholds)
        total = (
            number(a.current, a.unit)
            if a.current is not None and a.sum_mm is not None and a.all_assessed
            else "—"  # none measured, or only some: no sum (RECIST 1.1 section 4.4.2)
        )
        lines += para(
            f"- {a.visit}: {a.response.label} ({a.response.value}); sum {total}; "
            f"change from baseline {change}"
        )
    best = series.best_response
    lines += ["", "Best overall response", "-" * 21]
    lines += para(best.explanation.clinician)
    last = series.visits[-1] if series.visits else None
    if last is not None:
        lines += ["", f"Latest visit in detail: {last.visit}", "-" * 23]
        for text in (
            last.explanation.clinician,
            last.explanation.numbers,
            f"Rule: {last.rule}",
            last.explanation.next_category,
            *(f"Warning: {w}" for w in last.explanation.warnings),
        ):
            if text:
                lines += para(text)
        lines += ["", "In plain words", "-" * 14]
        lines += para(last.explanation.patient)
    lines += ["", *para(f"{DISCLAIMER} {CARE_TEAM}")]
    return "\n".join(lines) + "\n"
