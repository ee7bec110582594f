"""The result types every module may import: explanations, assessments, series, best responses.

They hold exact values (:class:`~fractions.Fraction`) and give floats for tables and
charts through ``*_mm`` and ``percent_*`` properties. Nothing here decides anything: the
core (:mod:`remission.core`) decides and :mod:`remission.explain` writes the words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from remission.citations import FOUNDING_DOCUMENT, Citation
from remission.criteria import Criteria, Measure, Rule
from remission.errors import Deviation
from remission.recurrence import Recurrence
from remission.response import Response

__all__ = [
    "Assessment",
    "BestResponse",
    "Counted",
    "Explanation",
    "LesionResult",
    "Series",
    "recurrence_label",
]


def recurrence_label(recurrences: Sequence[Recurrence]) -> str:
    """A short label, e.g. "recurrence — distant (bone)", or "" when there is none."""
    if not recurrences:
        return ""
    return "recurrence — " + "; ".join(f"{r.kind.value} ({r.site})" for r in recurrences)


@dataclass(frozen=True)
class Explanation:
    """Why a result is what it is, for two readers.

    ``clinician`` and ``patient`` are sentences; ``rule`` is the rule that decided, with
    its citation; ``numbers`` lists the sums and changes; ``next_category`` says what
    would change the answer; ``warnings`` lists protocol deviations.
    """

    clinician: str
    patient: str
    rule: Rule
    numbers: str = ""
    lesions: str = ""
    next_category: str = ""
    warnings: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """On one line: decision, numbers, rule, next scan and the patient's words.

        What :func:`remission.classify_frame` writes in ``explanation``.
        """
        from remission.explain import paragraph  # noqa: PLC0415 - the one writer

        return paragraph(self.clinician, self.numbers, self.rule, self.next_category, self.patient)

    def __str__(self) -> str:
        """Everything, one item per line."""
        parts = [self.clinician, f"Rule: {self.rule}"]
        parts += [text for text in (self.numbers, self.lesions, self.next_category) if text]
        parts += [f"Warning: {w}" for w in self.warnings]
        parts.append(f"For patients: {self.patient}")
        return "\n".join(parts)


@dataclass(frozen=True)
class Counted:
    """How one assessment entered the best response."""

    day: int
    recorded: Response
    counted_as: Response
    why: str


@dataclass(frozen=True)
class BestResponse:
    """The best overall response, the visits that gave and confirmed it, and why."""

    response: Response
    day: int | None
    confirmed_day: int | None
    explanation: Explanation
    counted: tuple[Counted, ...] = ()
    warnings: tuple[Deviation, ...] = ()


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
    explanation: Explanation = field(
        default_factory=lambda: Explanation("", "", Rule("", Citation(FOUNDING_DOCUMENT, ""))),
        compare=False,
        repr=False,
    )
    """Numbers, rule, next category and patient words (:mod:`remission.explain`)."""

    @property
    def recurrence(self) -> str:
        """A short label, e.g. "recurrence — distant (bone)", or "" when there is none.

        Examples:
            >>> from remission import Visit, classify_series
            >>> s = classify_series([
            ...     Visit(0, {"T1": 30}), Visit(56, {"T1": 0}),
            ...     Visit(140, {"T1": 0}, new_lesions=True, new_lesion_sites=("bone",)),
            ... ])
            >>> s.visits[1].recurrence
            'recurrence — distant (bone)'
        """
        return recurrence_label(self.recurrences)

    @property
    def rule_id(self) -> str:
        """The short stable id of the rule that decided, e.g. ``target:shrinkage``.

        The ``rule`` column of :func:`remission.classify_frame`.
        """
        return self.criteria.rule_ids().get(self.rule, "")

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
