"""Turn a decision and its numbers into words for clinicians and for patients.

Every result carries the numbers used, the rule that fired with its citation, what would
change the category, and a patient sentence. The sentences come from
:mod:`remission.wording`; this module only fills them in.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from remission.criteria import Criteria, Measure, Rule, Scope
from remission.response import Response
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
    from remission.engine import Assessment, LesionResult

__all__ = ["Explanation", "explain", "number", "percent"]


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

    def __str__(self) -> str:
        """Everything, one item per line."""
        parts = [self.clinician, f"Rule: {self.rule}"]
        parts += [text for text in (self.numbers, self.lesions, self.next_category) if text]
        parts += [f"Warning: {w}" for w in self.warnings]
        parts.append(f"For patients: {self.patient}")
        return "\n".join(parts)


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
    # In integers, as this runs for many visits of a study: |change| in percent = top/bottom.
    top, bottom = 100 * abs(change.numerator), change.denominator
    marks = ({abs(_exact(t)) * 100 for t in near} | {Fraction(0)}) - {Fraction(top, bottom)}
    digits = 1
    while _shown(top, bottom, digits) in _whole(marks, digits):
        digits += 1  # ends: the marks differ from the exact magnitude
    whole, part = divmod(_shown(top, bottom, digits), 10**digits)
    sign = "+" if change > 0 else ("−" if change < 0 else "±")
    return f"{sign}{whole}.{part:0{digits}d} %"


def _exact(value: Fraction | Decimal | float) -> Fraction:
    """A fraction as it is; a float (NumPy's too) as the decimal it prints as (0.3 is 3/10)."""
    if isinstance(value, Fraction | Decimal | numbers.Integral):
        return Fraction(value)
    return Fraction(float.__repr__(float(value)))


def _shown(top: int, bottom: int, digits: int) -> int:
    """``top / bottom`` (non-negative) in units of 10**-digits, rounded half up."""
    scale: int = 10**digits
    return (2 * top * scale + bottom) // (2 * bottom)


def _whole(marks: set[Fraction], digits: int) -> set[int]:
    """The marks that are whole numbers in units of 10**-digits, in those units."""
    scale = 10**digits
    return {
        m.numerator * scale // m.denominator
        for m in marks
        if m.numerator * scale % m.denominator == 0
    }


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


def explain(assessment: Assessment) -> Explanation:
    """Assemble the explanation of one visit's result from its numbers and rules."""
    criteria, response, measure = assessment.criteria, assessment.response, assessment.measure
    target_response = assessment.target_response
    non_target_response = assessment.non_target_response
    new_lesions, rule, lesions = assessment.new_lesions, assessment.rule, assessment.lesions
    baseline, nadir, current = assessment.baseline, assessment.nadir, assessment.current
    all_assessed, pd_at_least = assessment.all_assessed, assessment.pd_at_least
    warnings, recurrences = assessment.warnings, assessment.recurrences
    unit = "mm²" if measure is Measure.PRODUCT else "mm"
    from_baseline = _change(current, baseline, all_assessed)
    from_nadir = _change(current, nadir, all_assessed) if nadir else None

    numbers = ""
    if baseline is not None and not any(lesion.value is not None for lesion in lesions):
        numbers = (
            f"Baseline sum {number(baseline, unit)}; nadir {number(nadir or 0, unit)}; "
            "no target lesion was measured at this visit."
        )
    elif baseline is not None and current is not None and not all_assessed:
        numbers = (
            f"Baseline sum {number(baseline, unit)}; nadir {number(nadir or 0, unit)}; "
            f"sum of the lesions measured {number(current, unit)} (not every target was "
            "measured, so no change is computed)."
        )
    elif baseline is not None and current is not None:
        numbers = (
            f"Baseline sum {number(baseline, unit)}; nadir {number(nadir or 0, unit)}; "
            f"current sum {number(current, unit)}; "
            f"change from baseline {number(current - baseline, unit)} "
            f"({percent(from_baseline, criteria.thresholds)}), "
            f"from nadir {number(current - (nadir or 0), unit)} "
            f"({percent(from_nadir, criteria.thresholds)})."
        )
        if measure is Measure.PRODUCT:
            numbers += " " + PRODUCT_NOTE

    lesion_text = "; ".join(_lesion_text(lesion, measure, criteria) for lesion in lesions)

    parts = [f"{response.label} ({response.value}) under {criteria.title}."]
    if target_response is not None:
        parts.append(f"Target lesions: {target_response.phrase}.")
    if non_target_response is not None:
        parts.append(f"Non-target lesions: {non_target_response.phrase}.")
    parts.append("New lesions: yes." if new_lesions else "New lesions: none.")
    parts += [f"Recurrence after complete response: {r.explanation.clinician}" for r in recurrences]
    clinician = " ".join(parts)

    missing = [lesion.name for lesion in lesions if lesion.value is None]
    template = PATIENT[response]
    if rule == criteria.holds_response:
        template = PATIENT_HELD
    elif response is Response.PR and target_response is Response.CR:
        template = PATIENT_TARGETS_GONE
    patient = template.format(
        cr_sentence=_cr_sentence(criteria, lesions),
        shrink=percent(
            -from_baseline if from_baseline is not None else None, criteria.thresholds
        ).lstrip("+"),
        change=percent(from_baseline, criteria.thresholds),
        baseline=number(baseline or 0, unit),
        current=number(current or 0, unit),
        nadir=number(nadir or 0, unit),
        other=OTHER_DISEASE.get(str(non_target_response), OTHER_DISEASE["NE"]),
        criteria=criteria.title,
        threshold=f"{float(criteria.partial.fraction * 100):g} % shrinkage",
        reason=_pd_reason(
            criteria,
            rule,
            new_lesions=new_lesions,
            non_target=non_target_response,
            from_nadir=from_nadir,
            nadir=nadir,
        ),
        missing=f" ({', '.join(missing)} not measured)" if missing else "",
    )
    patient = " ".join([patient, *(r.explanation.patient for r in recurrences)])
    return Explanation(
        clinician=clinician,
        patient=patient,
        rule=rule,
        numbers=numbers,
        lesions=lesion_text,
        next_category=_next_category(
            criteria=criteria,
            response=response,
            target=target_response,
            rule=rule,
            new_lesions=new_lesions,
            baseline=baseline,
            current=current,
            pd_at_least=pd_at_least,
            lesions=lesions,
            unit=unit,
        ),
        warnings=tuple(str(w) for w in warnings),
    )


def _change(
    current: Fraction | None, reference: Fraction | None, complete: bool
) -> Fraction | None:
    if current is None or not reference or not complete:
        return None
    return (current - reference) / reference


def _lesion_text(lesion: LesionResult, measure: Measure, criteria: Criteria) -> str:
    unit = "mm²" if measure is Measure.PRODUCT else "mm"
    how = (
        "product"
        if measure is Measure.PRODUCT
        else ("short axis" if lesion.short_axis else "longest diameter")
    )
    if lesion.value is None and lesion.at_least is not None:
        return (
            f"{lesion.name}: not assessed; only its short axis, {number(lesion.at_least, unit)}, "
            "was given, the least its longest diameter can be"
        )
    if lesion.value is None:
        return f"{lesion.name}: not assessed"
    extra = ""
    if lesion.status == "too small":
        extra = f", too small to measure, counted as {number(lesion.value, unit)} ({criteria.too_small.citation})"
    elif lesion.status.startswith(("split", "merged")):
        extra = f", {lesion.status}"
    elif lesion.node and criteria.node_normal_below_mm is not None:
        normal = (
            lesion.value < criteria.node_normal_below_mm if measure is Measure.DIAMETER else False
        )
        extra = ", lymph node" + (" (normal size, < 10 mm)" if normal else "")
    return f"{lesion.name}: {number(lesion.value, unit)} ({how}{extra})"


def _cr_sentence(criteria: Criteria, lesions: Sequence[LesionResult]) -> str:
    """What a complete response shows: all gone, nodes back to normal, or too small."""
    if not lesions:  # non-target disease only: nothing was measured
        return CR_SENTENCES["no targets"]
    too_small = [lesion.name for lesion in lesions if lesion.status == "too small"]
    if too_small:  # the founding document's rule counts these as complete
        return CR_SENTENCES["too small"].format(
            names=", ".join(too_small) + " too small", criteria=criteria.title
        )
    if any(lesion.node and lesion.value for lesion in lesions) and criteria.node_normal_below_mm:
        return CR_SENTENCES["nodes"]
    return CR_SENTENCES["gone"]


def _pd_reason(
    criteria: Criteria,
    rule: Rule,
    *,
    new_lesions: bool,
    non_target: Response | None,
    from_nadir: Fraction | None,
    nadir: Fraction | None,
) -> str:
    if new_lesions:
        return PD_REASONS["new"]
    if rule == criteria.reappearance:
        return PD_REASONS["reappearance"]
    if rule == criteria.disease_back:
        return PD_REASONS["disease back"]
    if rule == criteria.progression.rule:
        if criteria.progression.scope is Scope.ANY_LESION:
            return PD_REASONS["lesion growth"]
        if nadir == 0:  # every target had gone: a percentage of 0 means nothing
            return PD_REASONS["regrowth"]
        if from_nadir is None:  # not every target measured: the ones measured show it
            return PD_REASONS["growth seen"]
        return PD_REASONS["growth"].format(
            growth=percent(from_nadir, criteria.thresholds).lstrip("+")
        )
    if non_target is Response.PD:
        return PD_REASONS["non-target"]
    return PD_REASONS["growth"].format(growth=percent(from_nadir, criteria.thresholds).lstrip("+"))


def _next_category(
    *,
    criteria: Criteria,
    response: Response,
    target: Response | None,
    rule: Rule,
    new_lesions: bool,
    baseline: Fraction | None,
    current: Fraction | None,
    pd_at_least: Fraction | None,
    lesions: Sequence[LesionResult],
    unit: str,
) -> str:
    """What would change the category: the distance to the neighbouring thresholds."""
    if rule == criteria.disease_back:
        return (
            "Progression was met: disease was seen again after a complete response "
            f"({criteria.disease_back.citation})."
        )
    if target is None or baseline is None or current is None:
        return "Non-target disease only: the answer follows the non-target status and new lesions."
    if new_lesions:
        return "A new lesion means progressive disease whatever the sizes."
    pd_text = _pd_threshold_text(criteria, pd_at_least, lesions, unit)
    pr_at_most = (1 - criteria.partial.fraction) * baseline
    if target is Response.NE:
        missing = ", ".join(lesion.name for lesion in lesions if lesion.value is None)
        return f"Measure {missing} to get a response; {pd_text}."
    if target is Response.PD and rule == criteria.reappearance:
        nodes = criteria.node_normal_below_mm is not None and any(lesion.node for lesion in lesions)
        return (
            "Progression was met: after a complete response a target lesion came back"
            + (" or a lymph node grew back to 10 mm or more" if nodes else "")
            + "."
        )
    if target is Response.PD and criteria.progression.scope is Scope.ANY_LESION:
        grown = [
            f"{lesion.name} {number(lesion.nadir, unit)} → "
            + ("at least " if lesion.value is None else "")
            + number(seen, unit)
            for lesion in lesions
            for seen in [lesion.value if lesion.value is not None else lesion.at_least]
            if seen is not None
            and seen > lesion.nadir
            and seen >= (1 + criteria.progression.fraction) * lesion.nadir
        ]
        share = f"{float(criteria.progression.fraction * 100):g} %"
        return (
            f"Progression was met: a lesion is at least {share} above its smallest value "
            f"({', '.join(grown)})."
        )
    if target is Response.PD:
        bounds = [lesion.at_least for lesion in lesions if lesion.at_least is not None]
        seen = number(current + sum(bounds, Fraction(0)), unit)
        return f"Progression was met: {pd_text} (it is {'at least ' if bounds else ''}{seen})."
    if target is Response.CR and response is Response.CR:
        return "Any lesion coming back, or a new lesion, would be progressive disease."
    if target is Response.CR:
        # Not an overall CR: a returning target counts by the sum rules (RECIST FAQ).
        return (
            "Target lesions are gone, but other disease is still there or was not checked: "
            f"{pd_text}, or a new lesion."
        )
    cr_text = "complete response needs every target lesion gone" + (
        " (lymph nodes below 10 mm short axis)" if criteria.node_normal_below_mm else ""
    )
    if target is Response.PR:
        return f"It is {number(current, unit)}: {cr_text}; {pd_text}."
    return (
        f"Partial response needs a sum ≤ {number(pr_at_most, unit)}; it is "
        f"{number(current, unit)}. {pd_text[0].upper()}{pd_text[1:]}."
        if response is not Response.PD
        else pd_text
    )


def _pd_threshold_text(
    criteria: Criteria,
    pd_at_least: Fraction | None,
    lesions: Sequence[LesionResult],
    unit: str,
) -> str:
    growth = criteria.progression
    if growth.scope is Scope.SUM and pd_at_least == 0:
        return f"progressive disease needs a sum above {number(pd_at_least, unit)}"
    if growth.scope is Scope.SUM and pd_at_least is not None:
        return f"progressive disease needs a sum ≥ {number(pd_at_least, unit)}"
    measured = [lesion for lesion in lesions if lesion.value is not None and lesion.nadir > 0]
    if not measured:
        return "progressive disease needs a lesion to grow or a new lesion"
    closest = max(measured, key=lambda lesion: (lesion.value or 0) / lesion.nadir)
    return (
        f"progressive disease needs any one lesion ≥ {float(growth.fraction * 100):g} % above "
        f"its smallest value (closest: {closest.name} ≥ "
        f"{number((1 + growth.fraction) * closest.nadir, unit)})"
    )
