"""The criteria sets as data: thresholds, lesion rules and overall-response tables.

Each set is one frozen :class:`Criteria` value; :mod:`remission.engine` evaluates any of
them the same way, and the app renders these very tables. Thresholds are exact
fractions, so "at least 30 %" means exactly that (33 mm → 23.1 mm is a partial response).

Why the basic 50 % rule is close to RECIST's 30 %: the founding document's "at least a
50 % reduction in size" is WHO's threshold on the *product* of two perpendicular
diameters. A lesion that shrinks equally in both directions halves its product when each
diameter shrinks by 1 − √0.5 ≈ 29.3 %, so WHO's 50 % (product) and RECIST's 30 %
(diameter) describe about the same shrinkage. Applied to a single diameter, a 50 % cut is
much stricter (the product falls by 75 %).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from itertools import product
from types import MappingProxyType
from typing import Final

from remission.citations import (
    EISENHAUER_2009,
    FOUNDING_DOCUMENT,
    MILLER_1981,
    RECIST_FAQ,
    THERASSE_2000,
    Citation,
    Paper,
)
from remission.errors import InvalidInput, Problem
from remission.response import Response

__all__ = [
    "BASIC",
    "CRITERIA",
    "NON_TARGET_STATES",
    "RECIST_1_0",
    "RECIST_1_1",
    "TARGET_STATES",
    "WHO",
    "Criteria",
    "Growth",
    "Measurability",
    "Measure",
    "Reference",
    "Row",
    "Rule",
    "Scope",
    "Shrinkage",
    "TargetRule",
    "get_criteria",
]


class Measure(StrEnum):
    """How a lesion's size enters the sum."""

    DIAMETER = "diameter"
    """Longest diameter; short axis for lymph nodes (RECIST)."""
    PRODUCT = "product"
    """Longest diameter × greatest perpendicular diameter (WHO); diameters, with a
    warning, when a lesion has only one."""
    PRODUCT_WHEN_COMPLETE = "product when complete"
    """Products when every lesion has both diameters at every visit compared, otherwise
    longest diameters (the founding document's rule)."""


class TargetRule(StrEnum):
    """One of the target-response rules, in the order :attr:`Criteria.target_order` lists them.

    Each gives one target response (:meth:`Criteria.target_rule`); the first that is met
    decides. The value is the stable id the ``rule`` column carries (``target:growth``).
    """

    REAPPEARANCE = "reappearance"
    """After an overall complete response, a target seen again (needs the history)."""
    GROWTH = "growth"
    NOT_ALL_ASSESSED = "not all assessed"
    ALL_GONE = "all gone"
    SHRINKAGE = "shrinkage"
    STABLE = "stable"


TARGET_ORDER: Final = (
    TargetRule.REAPPEARANCE,
    TargetRule.GROWTH,
    TargetRule.NOT_ALL_ASSESSED,
    TargetRule.ALL_GONE,
    TargetRule.SHRINKAGE,
    TargetRule.STABLE,
)
"""The papers' order: reappearance and growth before shrinkage, so a rebound from the
nadir is never called a response; a lesion not assessed before complete or partial
response (RECIST 1.1 section 4.4.2: NE unless the lesions assessed already show PD)."""


class Reference(StrEnum):
    """What a follow-up size is compared with."""

    BASELINE = "baseline"
    NADIR = "nadir"
    """The smallest previous value, baseline included."""


class Scope(StrEnum):
    """Whether growth is judged on the sum or on each lesion."""

    SUM = "sum"
    ANY_LESION = "any lesion"


@dataclass(frozen=True)
class Rule:
    """A rule in words, with where it is written.

    Examples:
        >>> print(RECIST_1_1.partial.rule)
        PR: the sum of diameters is at least 30 % below the baseline sum (Eisenhauer et al. 2009 (RECIST 1.1), section 4.3.1)
    """

    text: str
    citation: Citation

    def __str__(self) -> str:
        """The rule and its source on one line."""
        return f"{self.text} ({self.citation})"


@dataclass(frozen=True)
class Shrinkage:
    """Partial response: the sum is at most ``(1 - fraction) ×`` the reference."""

    fraction: Fraction
    reference: Reference
    rule: Rule


@dataclass(frozen=True)
class Growth:
    """Progression: at least ``(1 + fraction) ×`` the reference, and more than it.

    When ``min_increase_mm`` is set the increase must also be at least that many mm;
    ``scope`` says whether the sum or any one lesion is judged.
    """

    fraction: Fraction
    reference: Reference
    scope: Scope
    min_increase_mm: Fraction | None
    rule: Rule


@dataclass(frozen=True)
class Measurability:
    """Baseline limits for target lesions; breaking one is a warning, not an error."""

    min_size_mm: Fraction
    min_node_mm: Fraction | None
    max_targets: int | None
    max_per_organ: int | None
    rule: Rule


TargetState = Response | None
"""A target response, or ``None`` when the patient has no target lesions."""
NonTargetState = Response | None
"""A non-target response, or ``None`` when the patient has no non-target lesions."""

TARGET_STATES: tuple[TargetState, ...] = (
    Response.CR,
    Response.PR,
    Response.SD,
    Response.PD,
    Response.NE,
    None,
)
NON_TARGET_STATES: tuple[NonTargetState, ...] = (
    Response.CR,
    Response.NON_CR_NON_PD,
    Response.PD,
    Response.NE,
    None,
)
_ANY_TARGET = frozenset(TARGET_STATES)
_ANY_NON_TARGET = frozenset(NON_TARGET_STATES)
_NON_PD = frozenset({Response.CR, Response.NON_CR_NON_PD, Response.NE, None})
_ANY_NEW = frozenset({True, False})
_NO_NEW = frozenset({False})


@dataclass(frozen=True)
class Row:
    """One row of an overall-response table: the first row that matches decides."""

    target: frozenset[TargetState]
    non_target: frozenset[NonTargetState]
    new_lesions: frozenset[bool]
    overall: Response
    rule: Rule
    key: str = ""
    """A short stable id of the row (``table:new``), for the ``rule`` column."""

    def matches(self, target: TargetState, non_target: NonTargetState, new: bool) -> bool:
        """True when this row covers the combination."""
        return target in self.target and non_target in self.non_target and new in self.new_lesions


def domain() -> Iterator[tuple[TargetState, NonTargetState, bool]]:
    """Every combination an overall-response table must answer.

    A patient has target disease, non-target disease or both at baseline (with neither,
    there is nothing to follow), so ``(None, None, …)`` is not in the domain.
    """
    for target, non_target, new in product(TARGET_STATES, NON_TARGET_STATES, (False, True)):
        if target is None and non_target is None:
            continue
        yield target, non_target, new


@dataclass(frozen=True)
class Criteria:
    """One criteria set, complete: everything the engine needs, and its sources."""

    name: str
    title: str
    summary: str
    paper: Paper
    measure: Measure
    partial: Shrinkage
    progression: Growth
    complete: Rule
    stable: Rule
    not_evaluable: Rule
    reappearance: Rule
    holds_response: Rule | None
    """When set, a PR (or CR) already reached stays PR while progression is not met."""
    too_small_mm: Fraction
    """The size recorded for a lesion present but too small to measure (0 = gone)."""
    too_small: Rule
    node_normal_below_mm: Fraction | None
    """Lymph nodes below this short axis count as normal for complete response."""
    node_short_axis: bool
    """A lymph node target is measured by its short axis (``size_mm``); else by its
    longest diameter like any lesion: the larger of its two diameters."""
    node_measure: Rule
    """How a lymph node target is measured, with its source."""
    measurability: Measurability | None
    table: tuple[Row, ...]
    confirmation_days: int | None
    """Default days between a response and the assessment that confirms it."""
    confirmation: Rule
    sd_min_days: int
    """Default minimum days from baseline for stable disease to count as best response."""
    target_order: tuple[TargetRule, ...] = TARGET_ORDER
    """The target rules in decision order: the first that is met decides."""

    def overall(self, target: TargetState, non_target: NonTargetState, new: bool) -> Row:
        """The first table row that matches.

        Examples:
            >>> RECIST_1_1.overall(Response.CR, Response.NE, False).overall
            <Response.PR: 'PR'>
            >>> RECIST_1_1.overall(None, Response.NON_CR_NON_PD, False).overall
            <Response.NON_CR_NON_PD: 'NON-CR/NON-PD'>
        """
        for row in self.table:
            if row.matches(target, non_target, new):
                return row
        raise LookupError(f"{self.title}: no row for {target}, {non_target}, new={new}")

    def target_rule(self, rule: TargetRule) -> tuple[Response, Rule]:
        """The target response a rule gives, and the rule in words with its source.

        Examples:
            >>> response, rule = RECIST_1_1.target_rule(TargetRule.SHRINKAGE)
            >>> response.value, rule.citation.where
            ('PR', 'section 4.3.1')
        """
        return {
            TargetRule.REAPPEARANCE: (Response.PD, self.reappearance),
            TargetRule.GROWTH: (Response.PD, self.progression.rule),
            TargetRule.NOT_ALL_ASSESSED: (Response.NE, self.not_evaluable),
            TargetRule.ALL_GONE: (Response.CR, self.complete),
            TargetRule.SHRINKAGE: (Response.PR, self.partial.rule),
            TargetRule.STABLE: (Response.SD, self.stable),
        }[rule]

    def rule_ids(self) -> Mapping[Rule, str]:
        """Every rule this set can fire, with its short stable id (the ``rule`` column).

        Examples:
            >>> ids = RECIST_1_1.rule_ids()
            >>> ids[RECIST_1_1.partial.rule], ids[RECIST_1_1.table[0].rule]
            ('target:shrinkage', 'table:new')
        """
        found: dict[Rule, str] = {}
        for row in self.table:
            found.setdefault(row.rule, row.key)
        for rule in TargetRule:
            found[self.target_rule(rule)[1]] = f"target:{rule.value.replace(' ', '-')}"
        if self.holds_response is not None:
            found[self.holds_response] = "history:pr-hold"
        found[self.disease_back] = "history:disease-back"
        return MappingProxyType(found)

    @property
    def thresholds(self) -> tuple[Fraction, Fraction]:
        """The partial-response and progression fractions, for showing changes near them.

        Examples:
            >>> [str(t) for t in RECIST_1_1.thresholds]
            ['3/10', '1/5']
        """
        return (self.partial.fraction, self.progression.fraction)

    def lookup(self) -> Mapping[tuple[TargetState, NonTargetState, bool], Row]:
        """The whole table resolved over its domain (for vectorised batch work)."""
        return MappingProxyType({combo: self.overall(*combo) for combo in domain()})

    @property
    def disease_back(self) -> Rule:
        """The rule for disease seen again after an overall CR: PD at that time point.

        RECIST 1.1 Table 3, footnote a, for every set: once all disease has gone, any
        disease seen later (a non-target lesion included) has come back.

        Examples:
            >>> print(RECIST_1_1.disease_back.text)
            PD: disease seen again after a complete response (any disease at a later time point is progression)
        """
        return DISEASE_BACK


DISEASE_BACK: Final = Rule(
    "PD: disease seen again after a complete response (any disease at a later time point "
    "is progression)",
    Citation(EISENHAUER_2009, "Table 3, footnote a"),
)
"""See :attr:`Criteria.disease_back`."""


def _r11(where: str, text: str) -> Rule:
    return Rule(text, Citation(EISENHAUER_2009, where))


def _r10(where: str, text: str) -> Rule:
    return Rule(text, Citation(THERASSE_2000, where))


def _who(where: str, text: str) -> Rule:
    return Rule(text, Citation(MILLER_1981, where))


def _doc(where: str, text: str) -> Rule:
    return Rule(text, Citation(FOUNDING_DOCUMENT, where))


def _table(rule: Mapping[str, Rule], non_target_only: Response) -> tuple[Row, ...]:
    """Overall-response rows in decision order: progression first, then the rest.

    Progression rows come first so that a new lesion or unequivocal non-target growth
    decides even when targets were not all assessed (RECIST 1.1 section 4.4.2).
    """
    rows = (
        ("new", _ANY_TARGET, _ANY_NON_TARGET, frozenset({True}), Response.PD),
        ("target PD", frozenset({Response.PD}), _ANY_NON_TARGET, _ANY_NEW, Response.PD),
        ("non-target PD", _ANY_TARGET, frozenset({Response.PD}), _ANY_NEW, Response.PD),
        ("CR", frozenset({Response.CR}), frozenset({Response.CR, None}), _NO_NEW, Response.CR),
        (
            "CR incomplete",
            frozenset({Response.CR}),
            frozenset({Response.NON_CR_NON_PD, Response.NE}),
            _NO_NEW,
            Response.PR,
        ),
        ("PR", frozenset({Response.PR}), _NON_PD, _NO_NEW, Response.PR),
        ("SD", frozenset({Response.SD}), _NON_PD, _NO_NEW, Response.SD),
        ("NE", frozenset({Response.NE}), _NON_PD, _NO_NEW, Response.NE),
        ("NT CR", frozenset({None}), frozenset({Response.CR}), _NO_NEW, Response.CR),
        (
            "NT present",
            frozenset({None}),
            frozenset({Response.NON_CR_NON_PD}),
            _NO_NEW,
            non_target_only,
        ),
        ("NT NE", frozenset({None}), frozenset({Response.NE}), _NO_NEW, Response.NE),
    )
    return tuple(
        Row(target, non_target, new, overall, rule[key], "table:" + key.replace(" ", "-"))
        for key, target, non_target, new, overall in rows
    )


_R11_TABLE = _table(
    {
        "new": _r11("Tables 1-2, rows 'Any / Any / Yes'", "A new lesion means PD"),
        "target PD": _r11("Table 1, row 'PD / Any / Yes or No'", "Target PD means PD"),
        "non-target PD": _r11(
            "Table 1, row 'Any / PD'; Table 2, row 'Unequivocal PD'",
            "Unequivocal non-target progression means PD",
        ),
        "CR": _r11(
            "Table 1, row 'CR / CR / No'",
            "Targets and non-targets gone, no new lesion: CR",
        ),
        "CR incomplete": _r11(
            "Table 1, rows 'CR / Non-CR/non-PD / No' and 'CR / Not evaluated / No'",
            "Targets gone but non-target disease persists or was not evaluated: PR",
        ),
        "PR": _r11(
            "Table 1, row 'PR / Non-PD or not all evaluated / No'",
            "Target PR without progression elsewhere: PR",
        ),
        "SD": _r11(
            "Table 1, row 'SD / Non-PD or not all evaluated / No'",
            "Target SD without progression elsewhere: SD",
        ),
        "NE": _r11(
            "Table 1, row 'Not all evaluated / Non-PD / No'; section 4.4.2",
            "Targets not all evaluated and no progression: NE",
        ),
        "NT CR": _r11("Table 2, row 'CR / No'", "Non-target disease only, all gone: CR"),
        "NT present": _r11(
            "Table 2, row 'Non-CR/non-PD / No' and its footnote",
            "Non-target disease only, persisting: NON-CR/NON-PD ('SD' is kept for "
            "measurable disease)",
        ),
        "NT NE": _r11(
            "Table 2, row 'Not all evaluated / No'",
            "Non-target disease only, not all evaluated: NE",
        ),
    },
    non_target_only=Response.NON_CR_NON_PD,
)


_CONVENTIONAL_TEXTS = {
    "new": "A new lesion means progression",
    "target PD": "Growth of the measured lesions means progression",
    "non-target PD": "Clear growth of the other known disease means progression",
    "CR": "All known disease gone, no new lesion: complete response",
    "CR incomplete": (
        "Measured lesions gone, but other known disease persists or was not checked: "
        "partial response (complete response needs all known disease gone)"
    ),
    "PR": "Measured lesions shrank enough, nothing grew: partial response",
    "SD": "Neither enough shrinkage nor growth: stable disease (no change)",
    "NE": "Measured lesions not all assessed, no progression: not evaluable",
    "NT CR": "Only unmeasured disease, now gone: complete response",
    "NT present": "Only unmeasured disease, still there and not growing: stable (no change)",
    "NT NE": "Only unmeasured disease, not assessed: not evaluable",
}
"""Overall-response logic shared by the basic rule, WHO 1981 and RECIST 1.0: the same
combinations as RECIST 1.1 Table 1, without RECIST 1.1's NON-CR/NON-PD category."""


def _conventional_table(cite: Callable[[str, str], Rule]) -> tuple[Row, ...]:
    """The shared rows, each cited by ``cite(key, text)`` to where its rule is written."""
    return _table(
        {key: cite(key, text) for key, text in _CONVENTIONAL_TEXTS.items()},
        non_target_only=Response.SD,
    )


_NOT_EVALUABLE_KEYS: Final = frozenset({"NE", "NT NE"})


def _borrowed_ne(text: str) -> Rule:
    """Miller et al. 1981 define no 'not evaluable'; RECIST 1.1 section 4.4.2 does."""
    return Rule(
        text,
        Citation(EISENHAUER_2009, "section 4.4.2 (the 1981 paper has no not-evaluable category)"),
    )


def _who_row(key: str, text: str) -> Rule:
    return _borrowed_ne(text) if key in _NOT_EVALUABLE_KEYS else _who("'Response'", text)


def _basic_row(key: str, text: str) -> Rule:
    """The founding document defines complete and partial remission; the rest is WHO's."""
    if key in _NOT_EVALUABLE_KEYS:
        return _borrowed_ne(text)
    if key in {"CR", "CR incomplete", "NT CR"}:
        return _doc("'Complete remission'", text)
    if key == "PR":
        return _doc("'Partial remission'", text)
    return _who("'Response' (the founding document does not define progression)", text)


RECIST_1_1 = Criteria(
    name="recist1.1",
    title="RECIST 1.1",
    summary=(
        "Sum of diameters (short axis for nodes): PR ≥ 30 % below baseline; "
        "PD ≥ 20 % and ≥ 5 mm above the nadir"
    ),
    paper=EISENHAUER_2009,
    measure=Measure.DIAMETER,
    partial=Shrinkage(
        Fraction(3, 10),
        Reference.BASELINE,
        _r11("section 4.3.1", "PR: the sum of diameters is at least 30 % below the baseline sum"),
    ),
    progression=Growth(
        Fraction(1, 5),
        Reference.NADIR,
        Scope.SUM,
        Fraction(5),
        _r11(
            "section 4.3.1",
            "PD: the sum is at least 20 % above the smallest sum on study (baseline "
            "included) and at least 5 mm larger in absolute terms",
        ),
    ),
    complete=_r11(
        "section 4.3.1",
        "CR: all non-nodal target lesions gone and every target lymph node below 10 mm short axis",
    ),
    stable=_r11(
        "section 4.3.1",
        "SD: neither enough shrinkage for PR (from baseline) nor enough growth for PD "
        "(from the nadir)",
    ),
    not_evaluable=_r11(
        "section 4.4.2",
        "NE: a target lesion was not assessed, and the lesions that were assessed do not "
        "already show PD",
    ),
    reappearance=Rule(
        "PD: a target lesion reappeared, or a target lymph node grew back to 10 mm or "
        "more, after a complete response at the previous assessment",
        Citation(
            RECIST_FAQ,
            "'Does a new lesion always result in PD?' and 'Abnormal lymph node'; "
            "RECIST 1.1 Table 3 footnote",
        ),
    ),
    holds_response=Rule(
        "PR holds: once a PR (or CR) has been reached, later assessments stay PR until "
        "the criteria for PD (from the nadir) are met",
        Citation(
            RECIST_FAQ,
            "'Managing PR when TP measurements change slightly over time' "
            "(100 → 70 → 70 → 80 → 80 mm: PR at every time point)",
        ),
    ),
    too_small_mm=Fraction(5),
    too_small=_r11(
        "section 4.3.2",
        "A target lesion present but too small to measure is recorded as 5 mm; one that "
        "has disappeared as 0 mm",
    ),
    node_normal_below_mm=Fraction(10),
    node_short_axis=True,
    node_measure=_r11(
        "section 3.1.1",
        "A lymph node is measured by its short axis, at baseline and at every follow-up",
    ),
    measurability=Measurability(
        min_size_mm=Fraction(10),
        min_node_mm=Fraction(15),
        max_targets=5,
        max_per_organ=2,
        rule=_r11(
            "sections 3.1.1 and 3.3",
            "Targets: at most 5 lesions, 2 per organ, each at least 10 mm (lymph nodes "
            "at least 15 mm short axis)",
        ),
    ),
    table=_R11_TABLE,
    confirmation_days=None,
    confirmation=_r11(
        "sections 4.4.3 and 4.6.1",
        "Confirmation of CR/PR (a repeat assessment generally 4 weeks later) is required "
        "only in non-randomised trials with response as primary endpoint",
    ),
    sd_min_days=42,
)

RECIST_1_0 = Criteria(
    name="recist1.0",
    title="RECIST 1.0",
    summary=(
        "Sum of longest diameters: PR ≥ 30 % below baseline; PD ≥ 20 % above the "
        "smallest sum (no 5 mm rule)"
    ),
    paper=THERASSE_2000,
    measure=Measure.DIAMETER,
    partial=Shrinkage(
        Fraction(3, 10),
        Reference.BASELINE,
        _r10(
            "'Evaluation of target lesions'",
            "PR: the sum of longest diameters is at least 30 % below the baseline sum",
        ),
    ),
    progression=Growth(
        Fraction(1, 5),
        Reference.NADIR,
        Scope.SUM,
        None,
        _r10(
            "'Evaluation of target lesions'",
            "PD: the sum of longest diameters is at least 20 % above the smallest sum "
            "recorded since treatment started",
        ),
    ),
    complete=_r10("'Evaluation of target lesions'", "CR: all target lesions disappeared"),
    stable=_r10(
        "'Evaluation of target lesions'",
        "SD: neither enough shrinkage for PR nor enough growth for PD",
    ),
    not_evaluable=_r10(
        "'Evaluation of best overall response'",
        "NE: a target lesion was not assessed and the assessed ones do not show PD",
    ),
    reappearance=_r10(
        "'Evaluation of target lesions'",
        "PD: a lesion reappeared after all target lesions had disappeared",
    ),
    holds_response=None,
    too_small_mm=Fraction(5),
    too_small=_r11(
        "section 4.3.2 (RECIST 1.0 gives no value)",
        "A lesion present but too small to measure is recorded as 5 mm, as RECIST 1.1 "
        "later specified",
    ),
    node_normal_below_mm=None,
    node_short_axis=False,
    node_measure=_r10(
        "'Measurability of tumour lesions at baseline'",
        "A lymph node is measured as any lesion, by its longest diameter (the short axis "
        "came with RECIST 1.1): the larger of its two diameters, when both are given at "
        "baseline",
    ),
    measurability=Measurability(
        min_size_mm=Fraction(10),
        min_node_mm=None,
        max_targets=10,
        max_per_organ=5,
        rule=_r10(
            "'Measurability of tumour lesions at baseline'",
            "Targets: at most 10 lesions, 5 per organ, each at least 10 mm on spiral CT "
            "(20 mm with conventional techniques)",
        ),
    ),
    table=_conventional_table(lambda _, text: _r10("'Evaluation of best overall response'", text)),
    confirmation_days=28,
    confirmation=_r10(
        "'Confirmation'",
        "CR and PR must be confirmed by a repeat assessment no less than 4 weeks later",
    ),
    sd_min_days=42,
)

WHO = Criteria(
    name="who",
    title="WHO 1981",
    summary=(
        "Sum of products of two perpendicular diameters: PR ≥ 50 % below baseline; "
        "PD ≥ 25 % growth of any one lesion"
    ),
    paper=MILLER_1981,
    measure=Measure.PRODUCT,
    partial=Shrinkage(
        Fraction(1, 2),
        Reference.BASELINE,
        _who(
            "'Response', partial response",
            "PR: the sum of products of the perpendicular diameters is at least 50 % "
            "below baseline",
        ),
    ),
    progression=Growth(
        Fraction(1, 4),
        Reference.NADIR,
        Scope.ANY_LESION,
        None,
        _who(
            "'Response', progressive disease",
            "PD: the product of any one lesion is at least 25 % above its smallest "
            "previous value (the paper names no reference; remission uses each lesion's "
            "nadir, baseline included, as later WHO practice did)",
        ),
    ),
    complete=_who("'Response', complete response", "CR: all known disease disappeared"),
    stable=_who(
        "'Response', no change",
        "NC (stable disease): neither a 50 % decrease nor a 25 % increase",
    ),
    not_evaluable=_borrowed_ne(
        "NE: a measured lesion was not assessed and no lesion shows progression",
    ),
    reappearance=_who(
        "'Response', progressive disease",
        "PD: a lesion that had disappeared came back",
    ),
    holds_response=None,
    too_small_mm=Fraction(5),
    too_small=_r11(
        "section 4.3.2 (WHO 1981 gives no value)",
        "A lesion present but too small to measure is recorded as 5 mm in each diameter, "
        "as RECIST 1.1 later specified",
    ),
    node_normal_below_mm=None,
    node_short_axis=False,
    node_measure=_who(
        "'Response'",
        "A lymph node is measured as any lesion: by the product of its two diameters (by "
        "the longer one when sums of diameters are used)",
    ),
    measurability=None,
    table=_conventional_table(_who_row),
    confirmation_days=28,
    confirmation=_who(
        "'Response'",
        "CR and PR must be seen on two observations not less than 4 weeks apart",
    ),
    sd_min_days=0,
)

BASIC = Criteria(
    name="basic",
    title="Basic (50 % rule)",
    summary=(
        "The founding document's rule: complete = all gone; partial = at least 50 % "
        "smaller than baseline; progressive = new lesions or ≥ 25 % larger than the "
        "smallest previous size"
    ),
    paper=FOUNDING_DOCUMENT,
    measure=Measure.PRODUCT_WHEN_COMPLETE,
    partial=Shrinkage(
        Fraction(1, 2),
        Reference.BASELINE,
        _doc(
            "'Partial remission'; WHO threshold (Miller et al. 1981)",
            "Partial: the total size is at least 50 % smaller than at baseline",
        ),
    ),
    progression=Growth(
        Fraction(1, 4),
        Reference.NADIR,
        Scope.SUM,
        None,
        _who(
            "'Response', progressive disease (applied to the total)",
            "Progressive: the total size is at least 25 % larger than the smallest "
            "previous total (the baseline at the first follow-up)",
        ),
    ),
    complete=_doc(
        "'Complete remission'",
        "Complete: every lesion gone (0 mm) or too small to see or measure",
    ),
    stable=_who("'Response', no change", "Stable: neither partial nor progressive"),
    not_evaluable=_borrowed_ne(
        "Not evaluable: a lesion was not measured and the others show no progression",
    ),
    reappearance=_who(
        "'Response', progressive disease",
        "Progressive: a lesion came back after every lesion had gone",
    ),
    holds_response=None,
    too_small_mm=Fraction(0),
    too_small=_doc(
        "'Complete remission'",
        "A lesion too small to see or measure counts as gone",
    ),
    node_normal_below_mm=None,
    node_short_axis=False,
    node_measure=_doc(
        "'Partial remission'",
        "A lymph node is measured as any tumour: by the product of its two diameters "
        "when every lesion has both, else by the longer one",
    ),
    measurability=None,
    table=_conventional_table(_basic_row),
    confirmation_days=None,
    confirmation=_doc(
        "'Complete remission' and 'Partial remission'",
        "The founding document asks for no confirmation",
    ),
    sd_min_days=0,
)

CRITERIA: Mapping[str, Criteria] = MappingProxyType(
    {c.name: c for c in (BASIC, WHO, RECIST_1_0, RECIST_1_1)}
)
"""Every criteria set by name, in the order the app lists them."""


def get_criteria(criteria: str | Criteria) -> Criteria:
    """Look a criteria set up by name (case-insensitive), or pass one through.

    Examples:
        >>> get_criteria("RECIST1.1").title
        'RECIST 1.1'
        >>> get_criteria("recist 2")
        Traceback (most recent call last):
        ...
        remission.errors.InvalidInput: 1 problem in the input:
        - criteria, criteria: 'recist 2' is not a criteria set. Fix: use one of basic, who, recist1.0, recist1.1.
    """
    if isinstance(criteria, Criteria):
        return criteria
    found = CRITERIA.get(str(criteria).strip().lower().replace(" ", ""))
    if found is None:
        names = ", ".join(CRITERIA)
        raise InvalidInput(
            [
                Problem(
                    "criteria",
                    "criteria",
                    f"{criteria!r} is not a criteria set",
                    f"use one of {names}",
                )
            ]
        )
    return found
