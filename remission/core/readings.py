"""What every front end hands the core: a study's measurements as arrays of exact integers.

Sizes are whole multiples of ``1 / scale`` mm, with ``scale`` chosen from the data
(:func:`scale_for`): 1,000 for sizes given to three decimals, 1,000,000 for six. Sums are
then exact integer sums and every threshold a cross-multiplication with the criteria's own
fractions. The arrays are ``int64`` while the largest product a study can reach fits; a
study whose numbers could overflow holds Python integers instead (``object`` arrays):
slower, exact, and the same code (:func:`integers`).

Examples:
    >>> scale_for([Fraction("40.125"), Fraction(12)])
    1000
    >>> scale_for([Fraction("12.345678")])
    1000000
    >>> scale_for([Fraction(1, 3)])
    3
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from remission.response import Response

__all__ = [
    "NT_STATES",
    "RESPONSES",
    "T_STATES",
    "Readings",
    "integers",
    "scale_for",
]

Int64 = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Sizes = npt.NDArray[Any]
"""Exact integers: ``int64``, or Python integers where ``int64`` could overflow."""

T_STATES: Final = (Response.CR, Response.PR, Response.SD, Response.PD, Response.NE, None)
"""Target states as the arrays code them; the last is "no target disease"."""
NT_STATES: Final = (Response.CR, Response.NON_CR_NON_PD, Response.PD, Response.NE, None)
"""Non-target states as the arrays code them; the last is "no non-target disease"."""
T_CR, T_PR, T_SD, T_PD, T_NE, T_NONE = range(6)
NT_CR, NT_NN, NT_PD, NT_NE, NT_NONE = range(5)
RESPONSES: Final = tuple(Response)
"""Overall responses as the arrays code them (index into :class:`Response`)."""

_INT64_SAFE: Final = 2**62


@dataclass(frozen=True, eq=False)
class Readings:
    """A study: its visits, its target lesions' sizes, and how to name them.

    Visits are sorted by patient, then day; each patient's first visit is its baseline
    (day 0; days count from it). Target rows are sorted by visit, then by the patient's
    baseline order; a target without a row at a visit was not assessed there.
    """

    scale: int
    """Sizes are integers in ``1 / scale`` mm (products in ``1 / scale²`` mm²)."""
    n_patients: int
    visit_patient: Int64
    visit_day: Int64
    visit_label: Int64
    """Each visit's label, as a code into ``labels``."""
    labels: Sequence[str]
    visit_non_target: Int64
    """The non-target state (:data:`NT_STATES` index) of each visit; baseline: ignored."""
    visit_new: Bools
    row_visit: Int64
    row_lesion: Int64
    """A code into ``lesion_names``; with the patient it names the lesion."""
    lesion_names: Sequence[str]
    row_size: Sizes
    """Longest diameter (a node's short axis); −1 = not assessed."""
    row_perp: Sizes
    """Greatest perpendicular diameter; −1 = not given."""
    row_too_small: Bools
    row_node: Bools
    row_organ: Int64
    """A code into ``organ_names``; −1 = not recorded."""
    organ_names: Sequence[str]
    row_note: Int64
    """A code into ``notes`` (0 = none): a split or a merger (RECIST 1.1 section 4.3.2)."""
    notes: Sequence[str]
    sites: Callable[[int], tuple[tuple[str, ...], tuple[str, ...]]]
    """A visit's new-lesion sites and its non-target sites with disease seen (asked only
    after a complete response, to name a recurrence)."""
    start_nadir: Sequence[Fraction | None] | None = None
    """Per patient, a nadir given instead of the baseline sum, in mm (mm² for products):
    ``classify``'s ``nadir_mm``."""
    start_after_cr: Bools | None = None
    """Per patient, whether the visits follow an overall complete response."""

    @property
    def n_visits(self) -> int:
        """How many visits, baselines included."""
        return int(self.visit_day.size)


def scale_for(values: Iterable[Fraction]) -> int:
    """The smallest scale that makes every value a whole number: a power of 10 if one will.

    Decimal sizes (every size anyone types or exports) need a power of 10: the number of
    decimals. Other fractions (only the Python API can give 1/3 mm) get the least common
    multiple of their denominators.
    """
    denominators = {v.denominator for v in values}
    scale = 1
    for d in denominators:
        scale = scale * d // math.gcd(scale, d)
    power = 1
    while power % scale and power < 10**30:
        power *= 10
    return power if power % scale == 0 else scale


def integers(values: Sequence[int] | Int64, *, wide: bool) -> Sizes:
    """An array of exact integers: ``int64``, or Python integers when ``wide``."""
    if wide:
        out = np.empty(len(values), dtype=object)
        out[:] = [int(v) for v in values]
        return out
    return np.asarray(values, dtype=np.int64)


def needs_wide(largest: int, *, factor: int) -> bool:
    """Whether sums up to ``largest`` times ``factor`` could leave ``int64``.

    The core multiplies a sum by at most the criteria's fraction parts and by 1,000 for
    percent changes in tenths; ``factor`` is that bound.
    """
    return largest * factor >= _INT64_SAFE
