"""Turn the core's decisions and numbers into words for clinicians and for patients.

Every result carries the numbers used, the rule that fired with its citation, what the
next scan would need to change the category, and a patient sentence. This module is the
one writer of those sentences: :func:`explain_visits` fills them in column by column (each
field for every visit asked, then the sentences), for one patient's visits
(:func:`remission.classify_series`) and for a whole study (:func:`remission.classify_frame`)
alike, so both give the same text for the same visit. The sentences' words come from
:mod:`remission.wording`. Sizes are shown exactly as measured (40.125 mm stays 40.125 mm);
percentages with one decimal, or with the decimals that tell a change from a threshold it
misses (:func:`percent`).
"""

from __future__ import annotations

import functools
import math
import numbers
import string
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Final

import numpy as np

from remission.core.readings import NT_STATES, RESPONSES, T_CR, T_NE, T_PD, T_PR, T_STATES
from remission.criteria import Criteria, Rule, Scope
from remission.response import Response
from remission.results import Explanation
from remission.wording import (
    CR_SENTENCES,
    OTHER_DISEASE,
    PATIENT,
    PATIENT_HELD,
    PATIENT_TARGETS_GONE,
    PD_REASONS,
    PRODUCT_NOTE,
)

if TYPE_CHECKING:
    from remission.core.outcome import Outcome
    from remission.core.readings import Int64
    from remission.results import LesionResult

__all__ = [
    "Explanation",
    "VisitTexts",
    "baseline_texts",
    "exact_text",
    "explain_visits",
    "lesion_text",
    "number",
    "paragraph",
    "percent",
]


def exact_text(value: Fraction, unit: str = "mm", *, signed: bool = False) -> str:
    """A size exactly as measured: every decimal it has, no trailing zeros.

    A value that no decimal writes exactly (only the Python API can give 1/3 mm) is shown
    to three decimals with "≈".

    Examples:
        >>> exact_text(Fraction("40.125"))
        '40.125 mm'
        >>> exact_text(Fraction(-17), signed=True), exact_text(Fraction(5), signed=True)
        ('−17 mm', '+5 mm')
        >>> exact_text(Fraction(1, 3), "mm²")
        '≈0.333 mm²'
    """
    return _ratio_text(value.numerator, value.denominator, unit, signed)


def _scaled(value: int, scale: int, unit: str, signed: bool) -> str:
    """:func:`exact_text` of ``value / scale``: the common case, a power of ten, in one step."""
    digits = _power_of_ten(scale)
    if digits < 0:
        return _ratio_text(value, scale, unit, signed)
    sign = "−" if value < 0 else ("+" if signed and value > 0 else "")
    whole, part = divmod(abs(value), scale)
    if not part:
        return f"{sign}{whole} {unit}"
    return f"{sign}{whole}.{f'{part:0{digits}d}'.rstrip('0')} {unit}"


@functools.lru_cache(maxsize=64)
def _power_of_ten(scale: int) -> int:
    """``d`` when ``scale`` is ``10**d``, else −1."""
    digits = len(str(scale)) - 1
    return digits if scale == 10**digits else -1


@functools.lru_cache(maxsize=65536)
def _ratio_text(num: int, den: int, unit: str, signed: bool) -> str:
    """:func:`exact_text` of ``num / den`` (``den`` > 0), in integers; each value once."""
    sign = "−" if num < 0 else ("+" if signed and num > 0 else "")
    num = abs(num)
    common = math.gcd(num, den)
    num, den = num // common, den // common
    twos = fives = 0
    rest = den
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return f"{sign}≈{num / den:.3f} {unit}"
    digits = max(twos, fives)
    whole, part = divmod(num * 10**digits // den, 10**digits)
    tail = f".{part:0{digits}d}".rstrip("0") if digits else ""
    return f"{sign}{whole}{tail} {unit}"


def number(value: Fraction | float, unit: str = "mm") -> str:
    """A size for reading: no trailing zeros, at most two decimals.

    Examples:
        >>> number(Fraction(105, 2))
        '52.5 mm'
        >>> number(Fraction(1, 3), "mm²")
        '0.33 mm²'
        >>> number(-52)
        '−52 mm'
    """
    text = f"{float(value):.2f}".rstrip("0").rstrip(".")
    text = "0" if text == "-0" else text.replace("-", "−")
    return f"{text} {unit}"


def percent(
    change: Fraction | Decimal | float | None, near: Iterable[Fraction | float] = ()
) -> str:
    """A signed percentage with one decimal (rounded half away from zero), or "undefined".

    ``near`` are the criteria's thresholds (as fractions: 3/10 for 30 %). A change that
    one decimal would show as a threshold it does not meet, or as no change at all, gets
    the decimals that tell them apart: 33 → 23.11 mm is −29.97 %, not "−30.0 %" beside
    stable disease.

    Examples:
        >>> percent(Fraction(-3, 10))
        '−30.0 %'
        >>> percent(Fraction(2311 - 3300, 3300), near=[Fraction(3, 10)])
        '−29.97 %'
        >>> percent(Fraction(-4, 10_000)), percent(Fraction(0))
        ('−0.04 %', '±0.0 %')
        >>> percent(None)
        'undefined'
    """
    if change is None or not math.isfinite(change):
        return "undefined"
    change = _exact(change)
    return change_text(change.numerator, change.denominator, _marks(tuple(near)))


@functools.lru_cache(maxsize=64)
def _marks(near: tuple[Fraction | float, ...]) -> frozenset[Fraction]:
    """The thresholds in percent, and 0 (no change), as exact fractions."""
    return frozenset({abs(_exact(t)) * 100 for t in near} | {Fraction(0)})


def change_text(delta: int, reference: int, marks: frozenset[Fraction]) -> str:
    """:func:`percent` of ``delta / reference`` (integers, ``reference`` > 0), in integers.

    ``marks`` are the thresholds in percent (:func:`_marks`): a magnitude that one decimal
    would show as a mark it is not gets more decimals.
    """
    # |change| in percent = top / bottom.
    top, bottom = 100 * abs(delta), abs(reference)
    digits = 1
    shown = _shown(top, bottom, digits)
    # More digits while the rounded magnitude reads as a mark that it is not exactly.
    while shown in _whole_marks(marks, digits) and top * 10**digits != shown * bottom:
        digits += 1
        shown = _shown(top, bottom, digits)
    whole, part = divmod(shown, 10**digits)
    negative = (delta < 0) != (reference < 0)
    sign = "±" if delta == 0 else ("−" if negative else "+")
    return f"{sign}{whole}.{part:0{digits}d} %"


@functools.lru_cache(maxsize=256)
def _whole_marks(marks: frozenset[Fraction], digits: int) -> frozenset[int]:
    """The marks that are whole numbers in units of 10**-digits, in those units."""
    scale = 10**digits
    return frozenset(
        m.numerator * scale // m.denominator
        for m in marks
        if m.numerator * scale % m.denominator == 0
    )


def _exact(value: Fraction | Decimal | float) -> Fraction:
    """A fraction as it is; a float (NumPy's too) as the decimal it prints as (0.3 is 3/10)."""
    if isinstance(value, Fraction | Decimal | numbers.Integral):
        return Fraction(value)
    return Fraction(float.__repr__(float(value)))


def _shown(top: int, bottom: int, digits: int) -> int:
    """``top / bottom`` (non-negative) in units of 10**-digits, rounded half up."""
    scale: int = 10**digits
    return (2 * top * scale + bottom) // (2 * bottom)


def percent_number(
    change: Fraction | float | None, near: Iterable[Fraction | float] = ()
) -> float | None:
    """The number :func:`percent` shows, for tables: one decimal, more where it must.

    Examples:
        >>> percent_number(Fraction(2311 - 3300, 3300), near=[Fraction(3, 10)])
        -29.97
        >>> percent_number(Fraction(-2, 5)), percent_number(None)
        (-40.0, None)
    """
    if change is None:
        return None
    text = percent(change, near).removesuffix(" %")
    return float(text.replace("−", "-").replace("±", "").replace("+", ""))


@dataclass(frozen=True)
class VisitTexts:
    """The sentences of some visits, one list entry per visit asked."""

    clinician: list[str]
    numbers: list[str]
    rule: list[Rule]
    next_category: list[str]
    patient: list[str]

    def explanation(
        self, i: int, *, lesions: str = "", warnings: tuple[str, ...] = ()
    ) -> Explanation:
        """The ``i``-th visit's :class:`Explanation`."""
        return Explanation(
            clinician=self.clinician[i],
            patient=self.patient[i],
            rule=self.rule[i],
            numbers=self.numbers[i],
            lesions=lesions,
            next_category=self.next_category[i],
            warnings=warnings,
        )

    def paragraphs(self) -> list[str]:
        """Each visit's explanation as one paragraph (:func:`paragraph`)."""
        return [
            paragraph(c, n, r, x, p)
            for c, n, r, x, p in zip(
                self.clinician,
                self.numbers,
                self.rule,
                self.next_category,
                self.patient,
                strict=True,
            )
        ]


def paragraph(clinician: str, numbers: str, rule: Rule, next_category: str, patient: str) -> str:
    """A visit's explanation on one line: decision, numbers, rule, next scan, patient words.

    The ``explanation`` of :func:`remission.classify_frame`, and :attr:`Explanation.text`.
    """
    parts = [clinician]
    if numbers:
        parts.append(numbers)
    parts.append(f"Rule: {rule}.")
    if next_category:
        parts.append(next_category)
    parts.append(f"For patients: {patient}")
    return " ".join(parts)


def _first_sentence(
    criteria: Criteria, response: Response, target: int, non_target: int, new: bool
) -> str:
    parts = [f"{response.label} ({response.value}) under {criteria.title}."]
    t_state = T_STATES[target] if target >= 0 else None
    nt_state = NT_STATES[non_target] if non_target >= 0 else None
    if t_state is not None:
        parts.append(f"Target lesions: {t_state.phrase}.")
    if nt_state is not None:
        parts.append(f"Non-target lesions: {nt_state.phrase}.")
    parts.append("New lesions: yes." if new else "New lesions: none.")
    return " ".join(parts)


@dataclass(slots=True)
class _Visit:
    """One visit's numbers as plain Python values, read column by column from the outcome."""

    response: Response
    target: int
    non_target: int
    new: bool
    rule: Rule
    products: bool
    unit_scale: int
    baseline: int
    nadir: int
    current: int
    complete: bool
    assessed: int
    n_targets: int
    bound: int
    held: bool
    missing: list[str]
    too_small: list[str]
    nodes_seen: bool
    lesions: list[tuple[str, int, int]]  # (name, value or −1, lesion nadir), WHO only
    bounds: list[int]  # at-least values of nodes known by their short axis, WHO only
    thresholds: tuple[Fraction, ...]

    @property
    def unit(self) -> str:
        return "mm²" if self.products else "mm"

    def size(self, value: int | Fraction, *, signed: bool = False) -> str:
        if isinstance(value, int):
            return _scaled(value, self.unit_scale, self.unit, signed)
        return _ratio_text(value.numerator, value.denominator * self.unit_scale, self.unit, signed)

    def ratio(self, num: int, den: int) -> str:
        """:func:`exact_text` of ``num / den`` in the visit's units."""
        return _ratio_text(num, den * self.unit_scale, self.unit, False)

    def change(self, reference: int) -> str:
        """The change from ``reference`` in percent (undefined when it cannot be computed)."""
        if not self.n_targets or not self.complete or not reference:
            return "undefined"
        return change_text(self.current - reference, reference, _marks(self.thresholds))


def explain_visits(outcome: Outcome, visits: Int64 | Sequence[int]) -> VisitTexts:
    """The sentences of the follow-up ``visits`` of an outcome (indices into its visits)."""
    idx = np.asarray(visits, dtype=np.int64)
    rows = _visits(outcome, idx)
    c = outcome.criteria
    first: dict[tuple[int, int, int, bool], str] = {}
    clinician = []
    for i, v in zip(idx.tolist(), rows, strict=True):
        key = (RESPONSES.index(v.response), v.target, v.non_target, v.new)
        text = first.get(key)
        if text is None:
            text = first[key] = _first_sentence(c, v.response, v.target, v.non_target, v.new)
        found = outcome.deviations.recurrences.get(i, ())
        if found:
            text = " ".join(
                [
                    text,
                    *(
                        f"Recurrence after complete response: {r.explanation.clinician}"
                        for r in found
                    ),
                ]
            )
        clinician.append(text)
    patient = []
    for i, v in zip(idx.tolist(), rows, strict=True):
        text = _patient(c, v)
        found = outcome.deviations.recurrences.get(i, ())
        if found:
            text = " ".join([text, *(r.explanation.patient for r in found)])
        patient.append(text)
    return VisitTexts(
        clinician=clinician,
        numbers=[_numbers(v) for v in rows],
        rule=[v.rule for v in rows],
        next_category=[_next_category(c, v) for v in rows],
        patient=patient,
    )


def baseline_texts(outcome: Outcome, visits: Int64 | Sequence[int]) -> list[str]:
    """The baseline visits' summary: how many targets, their sum, non-target disease."""
    idx = np.asarray(visits, dtype=np.int64)
    f = outcome.facts
    r = outcome.readings
    title = outcome.criteria.title
    out = []
    for i in idx.tolist():
        n = int(f.visit_targets[i])
        products = bool(f.visit_products[i])
        unit_scale = r.scale * r.scale if products else r.scale
        total = exact_text(Fraction(int(f.total[i]), unit_scale), "mm²" if products else "mm")
        targets = (
            f"{n} target lesion{'' if n == 1 else 's'}, sum {total}" if n else "no target lesions"
        )
        has_nt = int(r.visit_non_target[i]) != NT_STATES.index(None)
        out.append(
            f"Baseline under {title}: {targets}"
            + ("; non-target disease present." if has_nt else "; no non-target disease.")
        )
    return out


def _visits(outcome: Outcome, idx: Int64) -> list[_Visit]:
    """The visits' numbers as plain Python values, read column by column from the outcome.

    Lesion names are looked up only where a sentence names them: the targets not
    measured, those too small to measure, and (WHO, judged lesion by lesion) every one.
    """
    f = outcome.facts
    h = outcome.history
    r = outcome.readings
    c = outcome.criteria
    names = r.lesion_names
    n_targets = f.visit_targets[idx].tolist()
    assessed = f.assessed[idx].tolist()
    products = f.visit_products[idx].tolist()
    nt_none = NT_STATES.index(None)
    non_target = r.visit_non_target[idx].tolist()
    nodes_seen = (f.per_visit((r.row_node & (f.value > 0)).astype(np.int64))[idx] > 0).tolist()
    position = {visit: k for k, visit in enumerate(idx.tolist())}
    too_small: dict[int, list[str]] = {}
    for row in np.flatnonzero(r.row_too_small).tolist():
        k = position.get(int(r.row_visit[row]))
        if k is not None:
            too_small.setdefault(k, []).append(str(names[int(r.row_lesion[row])]))
    missing: dict[int, list[str]] = {}
    base = np.flatnonzero(f.visit_base)
    for k in np.flatnonzero(f.visit_targets[idx] > f.assessed[idx]).tolist():
        visit = int(idx[k])
        lo, hi = np.searchsorted(r.row_visit, [visit, visit + 1]).tolist()
        seen = {int(r.row_lesion[row]) for row in range(lo, hi) if not f.missing[row]}
        b = int(base[r.visit_patient[visit]])
        blo, bhi = np.searchsorted(r.row_visit, [b, b + 1]).tolist()
        missing[k] = [
            str(names[int(r.row_lesion[row])])
            for row in range(blo, bhi)
            if int(r.row_lesion[row]) not in seen
        ]
    lesions: dict[int, list[tuple[str, int, int]]] = {}
    bounds: dict[int, list[int]] = {}
    if c.progression.scope is Scope.ANY_LESION:
        starts = np.searchsorted(r.row_visit, idx).tolist()
        ends = np.searchsorted(r.row_visit, idx + 1).tolist()
        value, nadir, at_least = f.value.tolist(), f.lesion_nadir.tolist(), f.at_least.tolist()
        for k, (lo, hi) in enumerate(zip(starts, ends, strict=True)):
            lesions[k] = [
                (str(names[int(r.row_lesion[row])]), int(value[row]), int(nadir[row]))
                for row in range(lo, hi)
            ]
            bounds[k] = [int(at_least[row]) for row in range(lo, hi)]
    columns = zip(
        h.overall[idx].tolist(),
        h.target[idx].tolist(),
        h.rule[idx].tolist(),
        r.visit_new[idx].tolist(),
        f.baseline[idx].tolist(),
        f.nadir[idx].tolist(),
        f.total[idx].tolist(),
        f.complete[idx].tolist(),
        f.bound[idx].tolist(),
        h.held[idx].tolist(),
        strict=True,
    )
    out = []
    for k, (
        overall,
        target,
        rule,
        new,
        baseline,
        nadir_sum,
        current,
        complete,
        bound,
        held,
    ) in enumerate(columns):
        out.append(
            _Visit(
                response=RESPONSES[overall],
                target=target if n_targets[k] else -1,
                non_target=non_target[k] if non_target[k] != nt_none else -1,
                new=new,
                rule=h.rules[rule],
                products=products[k],
                unit_scale=r.scale * r.scale if products[k] else r.scale,
                baseline=int(baseline),
                nadir=int(nadir_sum),
                current=int(current),
                complete=complete,
                assessed=assessed[k],
                n_targets=n_targets[k],
                bound=int(bound),
                held=held,
                missing=missing.get(k, []),
                too_small=too_small.get(k, []),
                nodes_seen=nodes_seen[k],
                lesions=lesions.get(k, []),
                bounds=bounds.get(k, []),
                thresholds=c.thresholds,
            )
        )
    return out


def _change(v: _Visit, reference: int) -> Fraction | None:
    if not v.n_targets or not v.complete or not reference:
        return None
    return Fraction(v.current - reference, reference)


def _numbers(v: _Visit) -> str:
    """The sums and changes: "Baseline sum 83 mm; nadir 83 mm; current sum 31 mm; …"."""
    if not v.n_targets:
        return ""
    head = f"Baseline sum {v.size(v.baseline)}; nadir {v.size(v.nadir)}"
    if v.assessed == 0:
        return f"{head}; no target lesion was measured at this visit."
    if not v.complete:
        return (
            f"{head}; sum of the lesions measured {v.size(v.current)} (not every target was "
            "measured, so no change is computed)."
        )
    text = (
        f"{head}; current sum {v.size(v.current)}; "
        f"change from baseline {v.size(v.current - v.baseline, signed=True)} "
        f"({v.change(v.baseline)}), "
        f"from nadir {v.size(v.current - v.nadir, signed=True)} "
        f"({v.change(v.nadir)})."
    )
    return text + (" " + PRODUCT_NOTE if v.products else "")


def _patient(c: Criteria, v: _Visit) -> str:
    """The patient sentence: plain words, what was measured, no false reassurance."""
    response = v.response
    template = PATIENT[response]
    if v.held:
        template = PATIENT_HELD
    elif response is Response.PR and v.target == T_CR:
        template = PATIENT_TARGETS_GONE
    fields = {name: _PATIENT_FIELDS[name](c, v) for name in _fields(template)}
    return template.format(**fields)


@functools.lru_cache(maxsize=32)
def _fields(template: str) -> tuple[str, ...]:
    """The fields a template fills (each sentence needs only its own)."""
    return tuple(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _other(c: Criteria, v: _Visit) -> str:
    non_target = NT_STATES[v.non_target] if v.non_target >= 0 else None
    return OTHER_DISEASE.get(str(non_target), OTHER_DISEASE["NE"])


def _negated(change: str) -> str:
    """A shrinkage from a change: "−30.0 %" shrank by "30.0 %"; growth reads "−5.0 %"."""
    if change.startswith("−"):
        return change[1:]
    if change.startswith("+"):
        return "−" + change[1:]
    return change


def _cr_sentence(c: Criteria, v: _Visit) -> str:
    """What a complete response shows: all gone, nodes back to normal, or too small."""
    if not v.n_targets:  # non-target disease only: nothing was measured
        return CR_SENTENCES["no targets"]
    if v.too_small:  # the founding document's rule counts these as complete
        return CR_SENTENCES["too small"].format(
            names=", ".join(v.too_small) + " too small", criteria=c.title
        )
    if v.nodes_seen and c.node_normal_below_mm:
        return CR_SENTENCES["nodes"]
    return CR_SENTENCES["gone"]


def _pd_reason(c: Criteria, v: _Visit) -> str:
    rule = v.rule
    from_nadir = _change(v, v.nadir)
    if v.new:
        return PD_REASONS["new"]
    if rule == c.reappearance:
        return PD_REASONS["reappearance"]
    if rule == c.disease_back:
        return PD_REASONS["disease back"]
    if rule == c.progression.rule:
        if c.progression.scope is Scope.ANY_LESION:
            return PD_REASONS["lesion growth"]
        if v.nadir == 0:  # every target had gone: a percentage of 0 means nothing
            return PD_REASONS["regrowth"]
        if from_nadir is None:  # not every target measured: the ones measured show it
            return PD_REASONS["growth seen"]
        return PD_REASONS["growth"].format(growth=v.change(v.nadir).lstrip("+"))
    if v.non_target == NT_STATES.index(Response.PD):
        return PD_REASONS["non-target"]
    return PD_REASONS["growth"].format(growth=v.change(v.nadir).lstrip("+"))


def _pd_at_least(c: Criteria, reference: int, unit_scale: int) -> tuple[int, int]:
    """The smallest sum that is progression against ``reference`` (sum scope), as a ratio.

    ``max((1 + f) × reference, reference + min mm)`` in integers (RECIST 1.1 section
    4.3.1), as numerator and denominator in the visit's units.
    """
    growth = c.progression
    a, b = growth.fraction.numerator, growth.fraction.denominator
    if growth.min_increase_mm is None:
        return reference * (a + b), b
    mn, md = growth.min_increase_mm.numerator, growth.min_increase_mm.denominator
    return max(reference * (a + b) * md, (reference * md + mn * unit_scale) * b), b * md


def _times(fraction: Fraction, value: int) -> tuple[int, int]:
    """``fraction × value`` as numerator and denominator."""
    return fraction.numerator * value, fraction.denominator


def _pd_text(c: Criteria, v: _Visit, reference: int) -> str:
    """What progression needs against a nadir (sum scope), or from any one lesion (WHO)."""
    if c.progression.scope is Scope.SUM:
        if c.progression.reference.value == "baseline":
            reference = v.baseline
        least = v.ratio(*_pd_at_least(c, reference, v.unit_scale))
        if reference == 0 and c.progression.min_increase_mm is None:
            return f"progressive disease needs a sum above {least}"
        return f"progressive disease needs a sum ≥ {least}"
    measured = [
        (name, value, nadir) for name, value, nadir in v.lesions if value >= 0 and nadir > 0
    ]
    if not measured:
        return "progressive disease needs a lesion to grow or a new lesion"
    name, _, nadir = max(measured, key=lambda lesion: Fraction(lesion[1], lesion[2]))
    share = f"{float(c.progression.fraction * 100):g} %"
    return (
        f"progressive disease needs any one lesion ≥ {share} above its smallest value "
        f"(closest: {name} ≥ {v.ratio(*_times(1 + c.progression.fraction, nadir))})"
    )


def _next_scan(c: Criteria, v: _Visit) -> str:
    """What the next scan will be measured against: the new nadir and the sums that decide.

    This visit's sum becomes the nadir when it is complete and smaller (RECIST 1.1 section
    4.3.1), so the next scan's progression threshold can differ from this visit's.
    """
    if not v.n_targets or v.response in (Response.PD, Response.CR):
        return ""  # after an overall CR any return is progression (Table 3, footnote a)
    nadir = min(v.nadir, v.current) if v.complete else v.nadir
    pr_at_most = v.ratio(*_times(1 - c.partial.fraction, v.baseline))
    if c.progression.scope is Scope.SUM:
        pd = _pd_text(c, v, nadir).removeprefix("progressive disease needs ")
        return (
            f"At the next scan: nadir {v.size(nadir)}; progressive disease needs {pd}; "
            f"partial response needs a sum ≤ {pr_at_most}; complete response needs "
            "every target lesion gone."
        )
    share = f"{float(c.progression.fraction * 100):g} %"
    return (
        f"At the next scan: progressive disease needs any one lesion ≥ {share} above its "
        f"smallest value so far; partial response needs a sum ≤ {pr_at_most}; "
        "complete response needs every target lesion gone."
    )


def _next_category(c: Criteria, v: _Visit) -> str:
    """What would change the category: this visit's thresholds, and the next scan's.

    Labelled apart, as the next scan is measured against the new nadir.
    """
    this = _this_visit(c, v)
    following = _next_scan(c, v)
    if following and this and v.response is not Response.PD and v.n_targets and not v.new:
        return f"This visit: {this} {following}"
    return this


def _this_visit(c: Criteria, v: _Visit) -> str:
    rule = v.rule
    if rule == c.disease_back:
        return (
            "Progression was met: disease was seen again after a complete response "
            f"({c.disease_back.citation})."
        )
    if v.target < 0:
        return "Non-target disease only: the answer follows the non-target status and new lesions."
    if v.new:
        return "A new lesion means progressive disease whatever the sizes."
    pd_text = _pd_text(c, v, v.nadir)
    pr_at_most = v.ratio(*_times(1 - c.partial.fraction, v.baseline))
    if v.target == T_NE:
        return f"Measure {', '.join(v.missing)} to get a response; {pd_text}."
    if v.target == T_PD and rule == c.reappearance:
        nodes = c.node_normal_below_mm is not None and v.nodes_seen
        return (
            "Progression was met: after a complete response a target lesion came back"
            + (" or a lymph node grew back to 10 mm or more" if nodes else "")
            + "."
        )
    if v.target == T_PD and c.progression.scope is Scope.ANY_LESION:
        grown = [
            f"{name} {v.size(nadir)} → " + ("at least " if value < 0 else "") + v.size(seen)
            for (name, value, nadir), bound in zip(v.lesions, v.bounds, strict=True)
            for seen in [value if value >= 0 else bound]
            if (value >= 0 or bound > 0)
            and seen > nadir
            and seen >= (1 + c.progression.fraction) * nadir
        ]
        share = f"{float(c.progression.fraction * 100):g} %"
        return (
            f"Progression was met: a lesion is at least {share} above its smallest value "
            f"({', '.join(grown)})."
        )
    if v.target == T_PD:
        seen = v.size(v.current + v.bound)
        return f"Progression was met: {pd_text} (it is {'at least ' if v.bound else ''}{seen})."
    if v.target == T_CR and v.response is Response.CR:
        return "Any lesion coming back, or a new lesion, would be progressive disease."
    if v.target == T_CR:
        # Not an overall CR: a returning target counts by the sum rules (RECIST FAQ).
        return (
            "Target lesions are gone, but other disease is still there or was not checked: "
            f"{pd_text}, or a new lesion."
        )
    cr_text = "complete response needs every target lesion gone" + (
        " (lymph nodes below 10 mm short axis)" if c.node_normal_below_mm else ""
    )
    if v.target == T_PR:
        return f"It is {v.size(v.current)}: {cr_text}; {pd_text}."
    if v.response is Response.PD:
        return pd_text
    return (
        f"Partial response needs a sum ≤ {pr_at_most}; it is "
        f"{v.size(v.current)}. {pd_text[0].upper()}{pd_text[1:]}."
    )


def lesion_text(lesion: LesionResult, products: bool, criteria: Criteria) -> str:
    """One target lesion at one visit: its value, how it was measured, what it counts as."""
    unit = "mm²" if products else "mm"
    how = "product" if products else ("short axis" if lesion.short_axis else "longest diameter")
    if lesion.value is None and lesion.at_least is not None:
        return (
            f"{lesion.name}: not assessed; only its short axis, {exact_text(lesion.at_least, unit)}, "
            "was given, the least its longest diameter can be"
        )
    if lesion.value is None:
        return f"{lesion.name}: not assessed"
    extra = ""
    if lesion.status == "too small":
        extra = (
            f", too small to measure, counted as {exact_text(lesion.value, unit)} "
            f"({criteria.too_small.citation})"
        )
    elif lesion.status.startswith(("split", "merged")):
        extra = f", {lesion.status}"
    elif lesion.node and criteria.node_normal_below_mm is not None:
        normal = not products and lesion.value < criteria.node_normal_below_mm
        extra = ", lymph node" + (" (normal size, < 10 mm)" if normal else "")
    return f"{lesion.name}: {exact_text(lesion.value, unit)} ({how}{extra})"


_PATIENT_FIELDS: Final[dict[str, Callable[[Criteria, _Visit], str]]] = {
    "cr_sentence": _cr_sentence,
    "shrink": lambda c, v: _negated(v.change(v.baseline)),
    "change": lambda c, v: v.change(v.baseline),
    "baseline": lambda c, v: v.size(v.baseline),
    "current": lambda c, v: v.size(v.current),
    "nadir": lambda c, v: v.size(v.nadir),
    "other": _other,
    "criteria": lambda c, v: c.title,
    "threshold": lambda c, v: f"{float(c.partial.fraction * 100):g} % shrinkage",
    "reason": _pd_reason,
    "missing": lambda c, v: f" ({', '.join(v.missing)} not measured)" if v.missing else "",
}
"""How each field of the patient sentences (:data:`remission.wording.PATIENT`) is filled."""
