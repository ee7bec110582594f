"""Protocol deviations and recurrences: worth a look beside the answer, never a refusal.

Written once here, for every front end: the product and lymph-node measures that could not
be used as the criteria ask, the baseline target choices that break the measurability
rules (RECIST 1.1 sections 3.1.1 and 3.3), follow-ups more than a year after baseline,
progression after a complete response that rests on lymph nodes back by less than 5 mm
(the RECIST FAQ), and where disease came back after a complete response (the founding
document's local, regional and distant recurrence).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Final

import numpy as np

from remission.citations import RECIST_FAQ, Citation
from remission.core.facts import Facts
from remission.core.history import History
from remission.core.readings import NT_NN, NT_PD, T_PD
from remission.criteria import Measure, TargetRule
from remission.errors import Deviation
from remission.recurrence import Recurrence, name_recurrences

__all__ = [
    "NODE_LONGEST_UNKNOWN",
    "NODE_SHORT_AXIS_USED",
    "PRODUCTS_FALLBACK",
    "PRODUCT_UNKNOWN",
    "SMALL_NODE_CHANGE_MM",
    "Deviations",
    "find_deviations",
    "listed_places",
    "small_node_return",
]

MAX_DAYS: Final = 365
"""A follow-up more than a year after baseline is worth checking (days, not weeks?)."""
SMALL_NODE_CHANGE_MM: Final = Fraction(5)
"""Below RECIST 1.1's absolute minimum for progression (section 4.3.1)."""

PRODUCTS_FALLBACK: Final = (
    "no perpendicular diameter at baseline, so sums of longest diameters are used "
    "instead of sums of products"
)
PRODUCT_UNKNOWN: Final = (
    "no perpendicular diameter, so the product is unknown and the lesion counts as not "
    "assessed at that visit"
)
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


@dataclass(frozen=True, eq=False)
class Deviations:
    """Deviations by patient and by visit, and recurrences by visit (only where any)."""

    patients: dict[int, list[Deviation]]
    visits: dict[int, list[Deviation]]
    recurrences: dict[int, tuple[Recurrence, ...]]


def listed_places(places: Sequence[str]) -> str:
    """Places in a warning: sorted, the first five.

    Examples:
        >>> listed_places(["T2 at week 8", "T1 at week 8"])
        'T1 at week 8, T2 at week 8'
    """
    ordered = sorted(set(places))
    return ", ".join(ordered[:5]) + (" …" if len(ordered) > 5 else "")


def small_node_return(where: str, nodes: Sequence[tuple[str, Fraction, Fraction]]) -> Deviation:
    """The warning for PD after a CR resting on nodes (name, smallest, now) back by < 5 mm.

    RECIST 1.1 Table 3 footnote a makes any return after a CR progression, and a node is
    back at 10 mm short axis; the RECIST FAQ advises re-assessing a node that grew that
    little (9 → 11 mm) at the next scan before calling PD. The category stays PD.

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


def _mm(value: Fraction) -> str:
    return f"{float(value):g} mm"


def find_deviations(
    facts: Facts, history: History, *, primary_side: str | None = None
) -> Deviations:
    """Every deviation and recurrence of a study; only the rows concerned are read one by one."""
    site_warnings: dict[int, list[Deviation]] = {}
    recurrences = _recurrences(facts, history, primary_side, site_warnings)
    return Deviations(
        patients=_patient_deviations(facts),
        visits=_visit_deviations(facts, history, site_warnings),
        recurrences=recurrences,
    )


def _label(facts: Facts, visit: int) -> str:
    r = facts.readings
    return str(r.labels[int(r.visit_label[visit])])


def _lesion(facts: Facts, row: int) -> str:
    r = facts.readings
    return str(r.lesion_names[int(r.row_lesion[row])])


def _patient_deviations(facts: Facts) -> dict[int, list[Deviation]]:
    """Per patient: the measures that could not be used, then the measurability rules.

    First the WHO fallback to diameters (or a product unknown at a visit), then the lymph
    nodes' measure, then the measurability rules: lesion by lesion in baseline order, the
    number of targets, then targets per organ in alphabetical order.
    """
    c = facts.criteria
    r = facts.readings
    found: defaultdict[int, list[Deviation]] = defaultdict(list)
    fallback = facts.no_perp & facts.row_base & facts.product_gap[facts.row_patient]
    if c.measure is not Measure.PRODUCT:
        fallback = np.zeros_like(fallback)
    for rows, message, cited in (
        (fallback, PRODUCTS_FALLBACK, c.partial.rule.citation),
        (facts.unknown_product, PRODUCT_UNKNOWN, c.partial.rule.citation),
        (facts.node_short, NODE_SHORT_AXIS_USED, c.node_measure.citation),
        (facts.unknown_longest, NODE_LONGEST_UNKNOWN, c.node_measure.citation),
    ):
        places: dict[int, list[str]] = {}
        for row in np.flatnonzero(rows).tolist():
            places.setdefault(int(facts.row_patient[row]), []).append(
                f"{_lesion(facts, row)} at {_label(facts, int(r.row_visit[row]))}"
            )
        for patient, where in places.items():
            found[patient].append(Deviation(listed_places(where), message, str(cited)))
    limits = c.measurability
    if limits is None:
        return dict(found)
    source = str(limits.rule.citation)
    base_rows = np.flatnonzero(facts.row_base)
    node = r.row_node[base_rows]
    short_axis = node & ~facts.by_longest[base_rows]
    size = facts.longest[base_rows]
    measured = (r.row_size[base_rows] > 0) & ~r.row_too_small[base_rows]
    node_limit = limits.min_node_mm if limits.min_node_mm is not None else limits.min_size_mm
    small_node = (
        measured & short_axis & (size * node_limit.denominator < node_limit.numerator * r.scale)
    )
    lesion_limit = limits.min_size_mm
    small = (
        measured
        & ~short_axis
        & (size * lesion_limit.denominator < lesion_limit.numerator * r.scale)
    )
    for i in np.flatnonzero(small_node | small).tolist():
        value = Fraction(int(size[i]), r.scale)
        row = int(base_rows[i])
        text = (
            f"lymph node short axis {_mm(value)} at baseline is below {_mm(node_limit)} "
            "(not measurable)"
            if small_node[i]
            else f"longest diameter {_mm(value)} at baseline is below {_mm(lesion_limit)} "
            "(not measurable)"
        )
        found[int(facts.row_patient[row])].append(
            Deviation(f"lesion {_lesion(facts, row)}", text, source)
        )
    if limits.max_targets is not None:
        for patient in np.flatnonzero(facts.n_targets > limits.max_targets).tolist():
            found[patient].append(
                Deviation(
                    "target lesions",
                    f"{facts.n_targets[patient]} targets; at most {limits.max_targets} are allowed",
                    source,
                )
            )
    if limits.max_per_organ is not None and base_rows.size:
        # All lymph nodes are one organ; other organs by name, ignoring case and spaces
        # around; targets without an organ are not counted.
        names = [str(o).strip().lower() for o in r.organ_names]
        words = sorted({*names, "lymph nodes"} - {""})
        code_of = np.asarray([words.index(n) if n else -1 for n in names] + [-1])
        organ = np.where(node, words.index("lymph nodes"), code_of[r.row_organ[base_rows]])
        counted = organ >= 0
        patients = facts.row_patient[base_rows]
        key = patients[counted] * len(words) + organ[counted]
        totals = np.bincount(key, minlength=r.n_patients * len(words))
        for k in np.flatnonzero(totals > limits.max_per_organ).tolist():
            found[k // len(words)].append(
                Deviation(
                    f"organ {words[k % len(words)]}",
                    f"{totals[k]} targets; at most {limits.max_per_organ} per organ are allowed",
                    source,
                )
            )
    return dict(found)


def _visit_deviations(
    facts: Facts, history: History, site_warnings: dict[int, list[Deviation]]
) -> dict[int, list[Deviation]]:
    """Per visit: over a year after baseline, unnamed recurrence sites, small-node PD.

    The last: a PD after a CR that rests on lymph nodes back by less than 5 mm.
    """
    r = facts.readings
    found: defaultdict[int, list[Deviation]] = defaultdict(list)
    for visit in np.flatnonzero(~facts.visit_base & (r.visit_day > MAX_DAYS)).tolist():
        found[visit].append(
            Deviation(
                _label(facts, visit),
                f"day {r.visit_day[visit]} is more than a year after baseline",
                "check the day and its unit (days, not weeks)",
            )
        )
    for visit, more in site_warnings.items():
        found[visit].extend(more)
    reappearance = list(TargetRule).index(TargetRule.REAPPEARANCE)
    fired = np.flatnonzero((history.target_rule == reappearance) & ~facts.visit_products)
    if fired.size:
        starts = np.searchsorted(r.row_visit, fired)
        ends = np.searchsorted(r.row_visit, fired + 1)
        small = SMALL_NODE_CHANGE_MM * r.scale
        for visit, lo, hi in zip(fired.tolist(), starts.tolist(), ends.tolist(), strict=True):
            rows = [row for row in range(lo, hi) if not facts.missing[row] and not facts.gone[row]]
            nadir = facts.lesion_nadir
            if not rows or not all(
                r.row_node[row] and facts.value[row] - nadir[row] < small for row in rows
            ):
                continue
            grown = [
                (
                    _lesion(facts, row),
                    Fraction(int(nadir[row]), r.scale),
                    Fraction(int(facts.value[row]), r.scale),
                )
                for row in rows
            ]
            found[visit].append(small_node_return(_label(facts, visit), grown))
    return dict(found)


def _recurrences(
    facts: Facts,
    history: History,
    primary_side: str | None,
    warnings: dict[int, list[Deviation]],
) -> dict[int, tuple[Recurrence, ...]]:
    """Visits in remission with disease seen: the recurrence by site.

    New lesions are placed by their recorded sites, non-target disease seen again by its
    sites, and at a target PD each target that is back (not gone; a node known only by
    its short axis) by its baseline organ, in baseline order.
    """
    r = facts.readings
    nt_seen = np.isin(r.visit_non_target, [NT_NN, NT_PD])
    candidates = np.flatnonzero(
        (history.remission_before >= 0) & (r.visit_new | nt_seen | (history.target == T_PD))
    )
    found: dict[int, tuple[Recurrence, ...]] = {}
    if candidates.size == 0:
        return found
    base = np.flatnonzero(facts.visit_base)
    for visit in candidates.tolist():
        new_sites, nt_sites = r.sites(visit)
        sites = list(new_sites) if r.visit_new[visit] else []
        if nt_seen[visit]:
            sites += list(nt_sites)
        if history.target[visit] == T_PD:
            lo, hi = np.searchsorted(r.row_visit, [visit, visit + 1]).tolist()
            back = {
                int(r.row_lesion[row])
                for row in range(lo, hi)
                if (not facts.missing[row] and not facts.gone[row]) or facts.unknown_longest[row]
            }
            first = int(base[r.visit_patient[visit]])
            blo, bhi = np.searchsorted(r.row_visit, [first, first + 1]).tolist()
            sites += [
                str(r.organ_names[int(r.row_organ[row])])
                for row in range(blo, bhi)
                if int(r.row_lesion[row]) in back and r.row_organ[row] >= 0
            ]
        named, site_warnings = name_recurrences(
            sites,
            days=int(r.visit_day[visit] - history.remission_before[visit]),
            where=_label(facts, visit),
            primary_side=primary_side,
        )
        if named:
            found[visit] = named
        if site_warnings:
            warnings[visit] = list(site_warnings)
    return found
