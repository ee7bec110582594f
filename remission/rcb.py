"""Residual Cancer Burden (RCB) and pathological complete response (pCR).

After chemotherapy given before surgery (neoadjuvant treatment), the pathologist
measures what is left of the breast cancer. Symmans et al. 2007 (Methods) combine
those measurements into one number, the RCB index, and four classes:

    RCB = 1.4 * (f_inv * d_prim) ** 0.17 + (4 * (1 - 0.75 ** LN) * d_met) ** 0.17

with ``d_prim = sqrt(d1 * d2)`` (the residual tumour bed, mm) and
``f_inv = (1 - %CIS / 100) * (%CA / 100)`` (the invasive share of the bed); a term
whose base is 0 is 0. One number matters because it predicts outcome better than a
yes/no pCR: it tells minimal from extensive residual disease.

Inputs are in millimetres and percent (the 0.17 power is not scale-free, so cm would
give a different index). The class scale is the declarative table
:data:`RCB_CLASSES`, which the app renders as is.

Examples:
    >>> result = rcb(d1_mm=20, d2_mm=10, cellularity_pct=30, in_situ_pct=10,
    ...              positive_nodes=2, largest_node_met_mm=4)
    >>> print(result.rounded_index, result.rcb_class, result.pcr)
    3.150 RCB-II False
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from enum import StrEnum
from typing import TYPE_CHECKING, Final, TypeGuard

if TYPE_CHECKING:  # pandas is imported only when a table is read: `import remission` stays fast
    import pandas as pd

from remission.citations import SYMMANS_2007, Citation
from remission.errors import InvalidInput, Problem, Problems
from remission.measurements import PLAIN_DECIMAL

__all__ = [
    "COLUMNS",
    "RCB_CITATION",
    "RCB_CLASSES",
    "RcbBand",
    "RcbClass",
    "RcbExplanation",
    "RcbResult",
    "RcbTerms",
    "ScaleBand",
    "class_for_index",
    "rcb",
    "rcb_frame",
    "scale",
]

NumberLike = int | float | str | Decimal
"""What a measurement may be given as: a number, or text holding one ("12.5")."""

RCB_CITATION = Citation(SYMMANS_2007, "Methods")
"""Where the formula, the pCR definition and the class cut-offs come from."""

DISPLAY_PLACES = Decimal("0.001")
"""The index is shown at 3 decimals; its class is decided on the index itself."""

COLUMNS: tuple[str, ...] = (
    "d1_mm",
    "d2_mm",
    "cellularity_pct",
    "in_situ_pct",
    "positive_nodes",
    "largest_node_met_mm",
)
"""The input fields, in order; also the column names :func:`rcb_frame` reads."""

_MAX_NODES_IN_FORMULA = 4096
"""0.75 ** 4096 is 0.0 in floating point, so more nodes change nothing (and a huge
count would overflow the power)."""


class RcbClass(StrEnum):
    """The four RCB classes of Symmans et al. 2007 (Methods).

    Examples:
        >>> RcbClass.RCB_II == "RCB-II"
        True
    """

    RCB_0 = "RCB-0"
    RCB_I = "RCB-I"
    RCB_II = "RCB-II"
    RCB_III = "RCB-III"


@dataclass(frozen=True)
class RcbBand:
    """One class of the RCB scale: its index range and what it means.

    The bounds are exact decimals: the range is ``lower < index <= upper``; ``None``
    means unbounded on that side. RCB-0 is ``index <= 0``, that is the index is 0.

    Examples:
        >>> band = RCB_CLASSES[1]
        >>> print(band.rcb_class, band.lower_exclusive, band.upper_inclusive)
        RCB-I 0 1.36
    """

    rcb_class: RcbClass
    lower_exclusive: Decimal | None
    upper_inclusive: Decimal | None
    clinician: str
    patient: str
    citation: Citation

    def contains(self, index: Decimal) -> bool:
        """True when ``index`` falls in this band (lower bound out, upper bound in).

        Examples:
            >>> RCB_CLASSES[1].contains(Decimal("1.36"))
            True
            >>> RCB_CLASSES[2].contains(Decimal("1.36"))
            False
        """
        above = self.lower_exclusive is None or index > self.lower_exclusive
        below = self.upper_inclusive is None or index <= self.upper_inclusive
        return above and below


RCB_CLASSES: tuple[RcbBand, ...] = (
    RcbBand(
        RcbClass.RCB_0,
        None,
        Decimal("0"),
        "pathological complete response (pCR): no residual invasive cancer in the "
        "breast and no nodal metastasis (ypT0/ypTis ypN0)",
        "No invasive cancer was found in the breast tissue or the lymph nodes removed "
        "at surgery. Doctors call this a pathological complete response (pCR). It is "
        "linked with the best outlook, but it is not a guarantee that the cancer will "
        "not come back. Talk to your care team about what it means for you and about "
        "your follow-up visits.",
        RCB_CITATION,
    ),
    RcbBand(
        RcbClass.RCB_I,
        Decimal("0"),
        Decimal("1.36"),
        "minimal residual disease (0 < RCB <= 1.36)",
        "A small amount of cancer was left in the tissue removed at surgery. Doctors "
        "call this minimal residual disease. It is generally linked with a good "
        "outlook, but no test result can promise what will happen to one person. "
        "Talk to your care team about what it means for you.",
        RCB_CITATION,
    ),
    RcbBand(
        RcbClass.RCB_II,
        Decimal("1.36"),
        Decimal("3.28"),
        "moderate residual disease (1.36 < RCB <= 3.28)",
        "A moderate amount of cancer was left in the tissue removed at surgery. Your "
        "care team may talk with you about more treatment to lower the chance of the "
        "cancer coming back. Talk to them about what this result means for you.",
        RCB_CITATION,
    ),
    RcbBand(
        RcbClass.RCB_III,
        Decimal("3.28"),
        None,
        "extensive residual disease (RCB > 3.28)",
        "A larger amount of cancer was left in the tissue removed at surgery. This is "
        "linked with a higher chance of the cancer coming back, which is why your care "
        "team may offer more treatment. It cannot tell what will happen to you "
        "personally. Talk to your care team about your options.",
        RCB_CITATION,
    ),
)
"""The RCB scale, lowest class first: class, bounds, clinician and patient meaning,
source (Symmans et al. 2007, Methods). Cut-offs 1.36 and 3.28; that the upper bound
is the inclusive one follows the published calculators (criteria digest, section 7)."""

# --- Wording: every sentence the explanations use, apart from the logic. ---------

CLINICIAN_TEMPLATE = (
    "RCB index {index} = {rcb_class}: {meaning}. {pcr_note} "
    "Breast: d_prim = {d_prim} mm, f_inv = {f_inv}, primary term {primary}. "
    "Nodes: {nodes}. "
    "Class decided on the index itself, not its 3 decimals. Source: {citation}."
)
NODES_POSITIVE = "{count} positive, largest metastasis {d_met} mm, nodal term {nodal}"
NODES_NEGATIVE = "none positive, nodal term 0"
CLINICIAN_PCR_NOTES: Mapping[str, str] = {
    "pcr": "pCR: no residual invasive cancer in breast or nodes.",
    "pcr_in_situ": (
        "pCR with residual in situ disease only (ypTis ypN0): %CIS = 100 gives f_inv = 0."
    ),
    "nodes_only": (
        "Not pCR: no residual invasive cancer in the breast, but nodal metastasis "
        "(nodal term only)."
    ),
    "breast_only": "Not pCR: residual invasive cancer in the breast; nodes negative.",
    "breast_and_nodes": "Not pCR: residual invasive cancer in the breast and nodes.",
}
PATIENT_NOTES: Mapping[str, str] = {
    "pcr": "",
    "pcr_in_situ": (
        " Some non-invasive cells (ductal carcinoma in situ: cells that have not "
        "grown into the surrounding tissue) were seen. They do not change this "
        "result: it still counts as a complete response."
    ),
    "nodes_only": (
        " No invasive cancer was left in the breast, but cancer was found in lymph "
        "nodes, so this is not a complete response."
    ),
    "breast_only": "",
    "breast_and_nodes": "",
}

# What each field is and how to enter it: used in every error message's fix.
FIELD_FIXES: Mapping[str, str] = {
    "d1_mm": "enter the largest dimension of the residual tumour bed in mm (0 or more)",
    "d2_mm": ("enter the second largest dimension of the residual tumour bed in mm (0 or more)"),
    "cellularity_pct": (
        "enter the percentage of the tumour bed area that is cancer (invasive and in "
        "situ), from 0 to 100"
    ),
    "in_situ_pct": (
        "enter the percentage of the cancer that is in situ, from 0 to 100 "
        "(0 when no cancer remains)"
    ),
    "positive_nodes": "enter the number of lymph nodes with metastasis, a whole number",
    "largest_node_met_mm": (
        "enter the diameter in mm of the largest lymph-node metastasis, or leave it "
        "empty when no node is positive"
    ),
    "index": "enter an RCB index of 0 or more",
}


@dataclass(frozen=True)
class RcbTerms:
    """The intermediate values of the RCB formula (Symmans et al. 2007, Methods).

    Shown so a clinician can check the index by hand against the paper.
    """

    d_prim_mm: float
    """sqrt(d1 * d2): the geometric mean of the tumour-bed dimensions, in mm."""
    f_inv: float
    """(1 - %CIS/100) * (%CA/100): the share of the bed that is invasive cancer."""
    primary_term: float
    """1.4 * (f_inv * d_prim) ** 0.17, or 0 when the base is 0."""
    nodal_term: float
    """(4 * (1 - 0.75 ** LN) * d_met) ** 0.17, or 0 when the base is 0."""


@dataclass(frozen=True)
class RcbExplanation:
    """The result in words: one text for clinicians, one for patients, and the source."""

    clinician: str
    patient: str
    citation: Citation


@dataclass(frozen=True)
class RcbResult:
    """The RCB index, its class, whether it is a pCR, and why.

    ``index`` is the unrounded value, which the class is decided on;
    ``rounded_index`` (3 decimals) is what is shown.
    """

    index: float
    rounded_index: Decimal
    rcb_class: RcbClass
    pcr: bool
    terms: RcbTerms
    explanation: RcbExplanation


@dataclass(frozen=True)
class _Inputs:
    """Validated inputs, as numbers the formula can use."""

    d1_mm: float
    d2_mm: float
    cellularity_pct: float
    in_situ_pct: float
    positive_nodes: int
    largest_node_met_mm: float


def _shown(value: object) -> str:
    """The value as the user typed it, for messages."""
    return f"'{value}'" if isinstance(value, str) else str(value)


def _is_missing(value: object) -> bool:
    """True for None and empty text: a value the user did not give."""
    return value is None or (isinstance(value, str) and not value.strip())


def _cell(value: object) -> object:
    """A table cell as a value: the NaN/NA/NaT pandas puts in empty cells become None.

    Only in tables: there an empty cell *is* NaN, whereas a NaN passed to :func:`rcb`
    is reported as not a number.
    """
    import pandas as pd  # noqa: PLC0415 - only tables need it, and then it is loaded

    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral):
        return None if math.isnan(float(value)) else value
    return value


def _number(value: object, field: str, where: str, problems: Problems) -> float | None:
    """Read one number of 0 or more; record a problem and return None if it isn't one."""
    fix = FIELD_FIXES[field]
    if _is_missing(value):
        problems.add(where, field, "is missing", fix)
        return None
    if isinstance(value, bool):
        problems.add(where, field, f"is a yes/no value ({value}), not a number", fix)
        return None
    number: float
    try:
        if isinstance(value, str):
            number = float(value.strip())
        elif isinstance(value, numbers.Real | Decimal):
            number = float(value)
        else:
            problems.add(where, field, f"is not a number ({_shown(value)})", fix)
            return None
    except ValueError:
        problems.add(where, field, f"is not a number ({_shown(value)})", fix)
        return None
    except OverflowError:
        problems.add(where, field, f"is too large ({_shown(value)})", fix)
        return None
    if math.isnan(number):
        problems.add(where, field, f"is not a number ({_shown(value)})", fix)
        return None
    if math.isinf(number):
        problems.add(where, field, f"is infinite ({_shown(value)})", fix)
        return None
    if isinstance(value, str) and not PLAIN_DECIMAL.match(value):
        # float() also reads "１２", "1_000" and "1e1": nobody types a size that way.
        problems.add(where, field, f"is not a plain decimal number ({_shown(value)})", fix)
        return None
    if number < 0:
        problems.add(where, field, f"is negative ({_shown(value)})", fix)
        return None
    if field.endswith("_mm") and 0 < number < _MIN_MM:
        problems.add(where, field, f"is {_shown(value)}, above 0 but below {_MIN_MM} mm", fix)
        return None
    if number >= _TOO_LARGE:
        problems.add(
            where, field, f"is {_shown(value)}: 100,000 or more is no pathology value", fix
        )
        return None
    return number


_MIN_MM: Final = 0.001
"""One micrometre: the smallest size above 0 (as for RECIST sizes in remission.table)."""

_TOO_LARGE: Final = 100_000
"""A size (mm) or count this large is a typing or unit error, as for RECIST sizes
(``remission.measurements``); refused before the formula is asked to carry it."""


def _percent(value: object, field: str, where: str, problems: Problems) -> float | None:
    """Read a percentage: a number from 0 to 100."""
    number = _number(value, field, where, problems)
    if number is not None and number > 100:
        problems.add(where, field, f"is {_shown(value)}, above 100 %", FIELD_FIXES[field])
        return None
    return number


def _count(value: object, field: str, where: str, problems: Problems) -> int | None:
    """Read a count: a whole number of 0 or more ("3", 3 and 3.0 all read as 3)."""
    number = _number(value, field, where, problems)
    if number is None:
        return None
    if not number.is_integer():
        problems.add(where, field, f"is not a whole number ({_shown(value)})", FIELD_FIXES[field])
        return None
    return int(number)


def _check(values: Mapping[str, object], where: str) -> tuple[_Inputs | None, list[Problem]]:
    """Validate one case; return the inputs, or None and every problem found.

    Each field is read on its own first; the rules that tie fields together are
    checked only between fields that were read.
    """
    problems = Problems()
    d1 = _number(values["d1_mm"], "d1_mm", where, problems)
    d2 = _number(values["d2_mm"], "d2_mm", where, problems)
    cellularity = _percent(values["cellularity_pct"], "cellularity_pct", where, problems)
    in_situ = _percent(values["in_situ_pct"], "in_situ_pct", where, problems)
    nodes = _count(values["positive_nodes"], "positive_nodes", where, problems)
    met_raw = values["largest_node_met_mm"]
    met = 0.0 if _is_missing(met_raw) else _number(met_raw, "largest_node_met_mm", where, problems)

    if cellularity == 0 and in_situ is not None and in_situ > 0:
        problems.add(
            where,
            "in_situ_pct",
            f"is {_shown(values['in_situ_pct'])} but cellularity_pct is 0 (the in-situ "
            "share only has a meaning when cancer remains)",
            "enter 0 for in_situ_pct, or enter the cellularity of the tumour bed",
        )
    if cellularity is not None and cellularity > 0:
        for field, size in (("d1_mm", d1), ("d2_mm", d2)):
            if size == 0:
                problems.add(
                    where,
                    field,
                    f"is 0 but cellularity_pct is {_shown(values['cellularity_pct'])} "
                    "(cancer was seen, so the tumour bed has a size)",
                    "enter both tumour-bed dimensions in mm, or 0 for cellularity_pct "
                    "if no cancer remains in the breast",
                )
    if nodes is not None and nodes > 0 and met == 0:
        problems.add(
            where,
            "largest_node_met_mm",
            f"is missing or 0 but positive_nodes is {nodes}",
            "enter the diameter in mm of the largest lymph-node metastasis (more than 0)",
        )
    if nodes == 0 and met is not None and met > 0:
        problems.add(
            where,
            "largest_node_met_mm",
            f"is {_shown(met_raw)} but positive_nodes is 0",
            "leave largest_node_met_mm empty (or 0) when no node is positive, or "
            "correct positive_nodes",
        )

    read = (d1, d2, cellularity, in_situ, met)
    if problems or nodes is None or not _all_numbers(read):
        return None, problems.items
    return _Inputs(read[0], read[1], read[2], read[3], nodes, read[4]), []


def _all_numbers(values: tuple[float | None, ...]) -> TypeGuard[tuple[float, ...]]:
    """True when every value was read (none is None)."""
    return all(value is not None for value in values)


def _power_term(coefficient: float, log_base: float | None) -> float:
    """``coefficient * base ** 0.17`` from the logarithm of the base; 0 for base 0.

    Working with logarithms keeps a tiny but real residual tumour from underflowing
    to an index of 0, which would wrongly read as pCR.
    """
    if log_base is None:
        return 0.0
    return coefficient * math.exp(0.17 * log_base)


def _log_or_none(*factors_and_powers: tuple[float, float]) -> float | None:
    """log(prod(factor ** power)), or None when any factor is 0 (the product is 0)."""
    if any(factor == 0 for factor, _ in factors_and_powers):
        return None
    return math.fsum(power * math.log(factor) for factor, power in factors_and_powers)


def _round(index: float | Decimal) -> Decimal:
    """The index at the displayed precision, rounding halves up (1.3605 -> 1.361).

    A float is read through its shortest decimal form, the one Python prints, so the
    class matches the number a user sees.
    """
    exact = index if isinstance(index, Decimal) else Decimal(repr(index))
    return exact.quantize(DISPLAY_PLACES, rounding=ROUND_HALF_UP)


def _exact(given: object, value: float) -> Decimal:
    """The decimal a user gave (text or Decimal kept digit for digit), else the float's."""
    if isinstance(given, Decimal):
        return given
    if isinstance(given, str):
        try:
            return Decimal(given.strip())
        except InvalidOperation:  # "1_000" and the like: float() reads them, Decimal not
            pass
    return Decimal(repr(value))


def class_for_index(index: float | int | str | Decimal) -> RcbClass:
    """Which RCB class an index falls in (Symmans et al. 2007, Methods).

    The published cut-offs apply to the index itself: RCB-I is 0 < RCB ≤ 1.36, RCB-II
    1.36 < RCB ≤ 3.28, RCB-III above. So 1.3603 is RCB-II, although it shows as 1.360
    at 3 decimals. Text and Decimals are compared exactly; a float through its shortest
    decimal form, and within 1e-12 of a cut-off it counts as on it, so that floating-point
    noise in a computed index cannot move a case across. RCB-0 is an index of exactly 0
    (pCR).

    Args:
        index: the RCB index, 0 or more.

    Returns:
        The class.

    Raises:
        InvalidInput: the index is negative, not a number, or infinite.

    Examples:
        >>> print(class_for_index(0), class_for_index("1.36"), class_for_index("1.3603"))
        RCB-0 RCB-I RCB-II
        >>> print(class_for_index("3.28"), class_for_index(3.2800000000000002))
        RCB-II RCB-II
    """
    problems = Problems()
    value = _number(index, "index", "RCB index", problems)
    if value is None:  # _number recorded why
        raise InvalidInput(problems.items)
    exact = _exact(index, value)
    if exact == 0:
        return RcbClass.RCB_0
    if not isinstance(index, (str, Decimal)):
        for cut in _CUT_OFFS:
            if abs(exact - cut) <= _NOISE:
                exact = cut
    return next(band.rcb_class for band in RCB_CLASSES if band.contains(exact))


_CUT_OFFS: Final = tuple(
    band.upper_inclusive
    for band in RCB_CLASSES
    if band.upper_inclusive  # 1.36 and 3.28
)
_NOISE: Final = Decimal("1e-12")
"""How far a computed (float) index may sit from a cut-off and still count as on it."""


def _cut_off_note(index: float, rounded: Decimal) -> str:
    """Say which side of a cut-off an index is when its 3 decimals show the cut-off."""
    if rounded not in _CUT_OFFS or class_for_index(index) is class_for_index(rounded):
        return ""
    return f" (the index is {index:.6f}, just above the {rounded.normalize()} cut-off)"


def _describe(inputs: _Inputs) -> str:
    """Which pCR situation the case is in: the key into the wording tables."""
    invasive_in_breast = (
        inputs.cellularity_pct > 0
        and inputs.in_situ_pct < 100
        and inputs.d1_mm > 0
        and inputs.d2_mm > 0
    )
    nodes = inputs.positive_nodes > 0
    if invasive_in_breast:
        return "breast_and_nodes" if nodes else "breast_only"
    if nodes:
        return "nodes_only"
    in_situ_only = inputs.cellularity_pct > 0 and inputs.in_situ_pct == 100
    return "pcr_in_situ" if in_situ_only else "pcr"


def _compute(inputs: _Inputs) -> RcbResult:
    """Apply the formula and the scale to validated inputs."""
    invasive_share = 100 - inputs.in_situ_pct  # exact for 0 <= %CIS <= 100
    log_primary = _log_or_none(
        (invasive_share, 1.0),
        (inputs.cellularity_pct, 1.0),
        (100.0, -2.0),
        (inputs.d1_mm, 0.5),
        (inputs.d2_mm, 0.5),
    )
    nodes = min(inputs.positive_nodes, _MAX_NODES_IN_FORMULA)
    nodal_share = -math.expm1(nodes * math.log(0.75))  # 1 - 0.75 ** LN
    log_nodal = _log_or_none((4.0, 1.0), (nodal_share, 1.0), (inputs.largest_node_met_mm, 1.0))
    terms = RcbTerms(
        d_prim_mm=math.sqrt(inputs.d1_mm) * math.sqrt(inputs.d2_mm),
        f_inv=(invasive_share / 100) * (inputs.cellularity_pct / 100),
        primary_term=_power_term(1.4, log_primary),
        nodal_term=_power_term(1.0, log_nodal),
    )
    index = terms.primary_term + terms.nodal_term
    rcb_class = class_for_index(index)
    band = next(band for band in RCB_CLASSES if band.rcb_class is rcb_class)
    situation = _describe(inputs)
    rounded = _round(index)
    clinician = CLINICIAN_TEMPLATE.format(
        index=f"{rounded}{_cut_off_note(index, rounded)}",
        rcb_class=rcb_class,
        meaning=band.clinician,
        pcr_note=CLINICIAN_PCR_NOTES[situation],
        d_prim=f"{terms.d_prim_mm:.3f}",
        f_inv=f"{terms.f_inv:.3f}",
        primary=f"{terms.primary_term:.3f}",
        nodes=(
            NODES_POSITIVE.format(
                count=inputs.positive_nodes,
                d_met=f"{inputs.largest_node_met_mm:g}",
                nodal=f"{terms.nodal_term:.3f}",
            )
            if inputs.positive_nodes
            else NODES_NEGATIVE
        ),
        citation=band.citation,
    )
    explanation = RcbExplanation(
        clinician=clinician,
        patient=band.patient + PATIENT_NOTES[situation],
        citation=band.citation,
    )
    return RcbResult(
        index=index,
        rounded_index=rounded,
        rcb_class=rcb_class,
        pcr=rcb_class is RcbClass.RCB_0,
        terms=terms,
        explanation=explanation,
    )


def rcb(  # noqa: PLR0917, RUF100 - the six inputs of the RCB calculator, in its order
    d1_mm: NumberLike | None,
    d2_mm: NumberLike | None,
    cellularity_pct: NumberLike | None,
    in_situ_pct: NumberLike | None,
    positive_nodes: NumberLike | None,
    largest_node_met_mm: NumberLike | None,
) -> RcbResult:
    """Residual Cancer Burden index, class and pCR (Symmans et al. 2007, Methods).

    ``RCB = 1.4 * (f_inv * d_prim) ** 0.17 + (4 * (1 - 0.75 ** LN) * d_met) ** 0.17``,
    a term with base 0 being 0. Why a continuous index rather than pCR yes/no: it
    grades residual disease, which carries prognostic weight a yes/no answer loses.

    pCR means no residual invasive cancer in the breast and no metastasis in the
    lymph nodes (ypT0/ypTis ypN0; Symmans et al. 2007, Methods). In situ disease
    alone still counts as pCR: ``in_situ_pct`` 100 makes f_inv 0. A zero tumour bed
    with positive nodes is *not* pCR: it gets the nodal term only. pCR is exactly
    RCB-0, an index of 0. The class is decided on the index itself, not on the
    3 decimals shown (see :func:`class_for_index`).

    Every input is checked and every problem reported at once. Besides bad numbers
    (missing, non-numeric, NaN, infinite, negative, a percentage above 100, a
    fractional node count), these combinations are refused: in-situ share with no
    cellularity; cellularity with a tumour-bed dimension of 0 (refused rather than
    read as pCR, since a forgotten size would otherwise report a false pCR);
    positive nodes without a metastasis size; a metastasis size with no positive
    node.

    Args:
        d1_mm: largest dimension of the residual tumour bed, mm.
        d2_mm: second largest dimension of the residual tumour bed, mm.
        cellularity_pct: %CA, share of the bed area that is cancer (invasive and in
            situ), 0 to 100.
        in_situ_pct: %CIS, share of the cancer that is in situ, 0 to 100.
        positive_nodes: LN, number of lymph nodes with metastasis, a whole number.
        largest_node_met_mm: d_met, diameter of the largest nodal metastasis, mm;
            None (or 0) when no node is positive.

    Returns:
        The index, its class, pCR, the formula's terms and an explanation.

    Raises:
        InvalidInput: listing every problem with the inputs.

    Examples:
        >>> print(rcb(0, 0, 0, 0, 0, None).rcb_class)
        RCB-0
        >>> dcis_only = rcb(12, 8, 20, 100, 0, None)
        >>> dcis_only.pcr, dcis_only.index
        (True, 0.0)
        >>> nodes_only = rcb(0, 0, 0, 0, 1, 2)
        >>> print(nodes_only.rounded_index, nodes_only.rcb_class, nodes_only.pcr)
        1.125 RCB-I False
        >>> try:
        ...     rcb(-1, 10, 120, 0, 0, None)
        ... except InvalidInput as error:
        ...     for problem in error.problems:
        ...         print(f"{problem.field}: {problem.message}")
        d1_mm: is negative (-1)
        cellularity_pct: is 120, above 100 %
    """
    values: dict[str, object] = {
        "d1_mm": d1_mm,
        "d2_mm": d2_mm,
        "cellularity_pct": cellularity_pct,
        "in_situ_pct": in_situ_pct,
        "positive_nodes": positive_nodes,
        "largest_node_met_mm": largest_node_met_mm,
    }
    inputs, problems = _check(values, "RCB input")
    if inputs is None:
        raise InvalidInput(problems)
    return _compute(inputs)


def rcb_frame(df: pd.DataFrame) -> pd.DataFrame:
    """RCB for every row of a table (Symmans et al. 2007, Methods).

    Reads the columns in :data:`COLUMNS` and keeps every other column (an id, for
    instance) as it is; the input frame is not changed. Empty cells count as
    missing, which is fine for ``largest_node_met_mm`` when no node is positive.
    Why one call for a table: a study checks every patient in one pass, and sees
    every bad row at once instead of fixing them one by one.

    Args:
        df: one case per row.

    Returns:
        A copy of ``df`` with ``rcb_index`` (float, unrounded), ``rcb_class``
        (text such as "RCB-II"), ``pcr`` (bool) and ``explanation`` (the
        clinician text) added.

    Raises:
        InvalidInput: a column is missing, or rows are invalid; lists every problem,
            with the data-row number (1 = first row under the header) and column.

    Examples:
        >>> import pandas as pd
        >>> table = pd.DataFrame({
        ...     "patient": ["A", "B"], "d1_mm": [0, 20], "d2_mm": [0, 10],
        ...     "cellularity_pct": [0, 30], "in_situ_pct": [0, 10],
        ...     "positive_nodes": [0, 2], "largest_node_met_mm": [None, 4]})
        >>> rcb_frame(table)[["patient", "rcb_class", "pcr"]]
          patient rcb_class    pcr
        0       A     RCB-0   True
        1       B    RCB-II  False
    """
    import pandas as pd  # noqa: PLC0415 - see the module's imports

    absent = [column for column in COLUMNS if column not in df.columns]
    if absent:
        raise InvalidInput(
            Problem(
                "input table",
                column,
                "column is missing",
                f"add a column named {column} ({FIELD_FIXES[column]})",
            )
            for column in absent
        )
    results: list[RcbResult] = []
    problems: list[Problem] = []
    rows: Sequence[tuple[object, ...]] = list(df[list(COLUMNS)].itertuples(index=False, name=None))
    for number, row in enumerate(rows, start=1):
        cells = {column: _cell(value) for column, value in zip(COLUMNS, row, strict=True)}
        inputs, found = _check(cells, f"row {number}")
        problems.extend(found)
        if inputs is not None:
            results.append(_compute(inputs))
    if problems:
        raise InvalidInput(problems)
    out = df.copy()
    out["rcb_index"] = pd.Series([r.index for r in results], index=df.index, dtype="float64")
    out["rcb_class"] = pd.Series(
        [str(r.rcb_class) for r in results], index=df.index, dtype="object"
    )
    out["pcr"] = pd.Series([r.pcr for r in results], index=df.index, dtype="bool")
    out["explanation"] = pd.Series(
        [r.explanation.clinician for r in results], index=df.index, dtype="object"
    )
    return out


@dataclass(frozen=True)
class ScaleBand:
    """One class drawn as a stretch of the RCB axis, for a chart of the scale."""

    rcb_class: str
    start: float
    end: float
    meaning: str


def scale(index: float | None = None, *, top: float = 5.0) -> tuple[ScaleBand, ...]:
    """The RCB scale as bands on an axis from 0 to ``top`` (or past the index).

    RCB-0 is a single point (index 0), drawn as a thin band so it can be seen; RCB-III
    has no upper bound, so it is drawn to ``top`` or a little past the patient's index.

    Examples:
        >>> [(b.rcb_class, b.start, b.end) for b in scale()]
        [('RCB-0', 0.0, 0.05), ('RCB-I', 0.05, 1.36), ('RCB-II', 1.36, 3.28), ('RCB-III', 3.28, 5.0)]
    """
    end = max(top, (index or 0.0) + 0.5)
    bands: list[ScaleBand] = []
    for band in RCB_CLASSES:
        start = 0.0 if band.lower_exclusive is None else float(band.lower_exclusive)
        stop = end if band.upper_inclusive is None else float(band.upper_inclusive)
        if band.rcb_class is RcbClass.RCB_0:
            stop = 0.05
        if bands and start < bands[-1].end:
            start = bands[-1].end
        bands.append(ScaleBand(band.rcb_class.value, start, stop, band.patient))
    return tuple(bands)
