"""Lesions, visits and sizes: what the user records, read exactly.

Sizes become :class:`fractions.Fraction` straight from the decimal the user typed, so
23.1 mm is exactly 231/10 and a threshold of exactly 30 % is met exactly (a float
``33 * 0.7`` is 23.099999999999998, which would miss it).
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Final

from remission.errors import Problems
from remission.response import NonTargetStatus

__all__ = [
    "PLAIN_DECIMAL",
    "SIGNIFICANT_DIGITS",
    "TOO_SMALL",
    "Lesion",
    "Size",
    "Unit",
    "Visit",
    "exact",
    "significant",
]

TOO_SMALL: Final = "too-small"
"""Record a lesion that is present but too small to measure (RECIST 1.1 section 4.3.2)."""

Size = float | int | str | Decimal | Fraction | None
"""A size as typed: a number, a decimal string, ``TOO_SMALL``, or ``None`` (not assessed)."""


class Unit(StrEnum):
    """The unit sizes were recorded in; converted to millimetres explicitly, never guessed.

    Examples:
        >>> Unit("cm").to_mm(Fraction("1.5"))
        Fraction(15, 1)
    """

    MM = "mm"
    CM = "cm"

    def to_mm(self, value: Fraction) -> Fraction:
        """Convert exactly."""
        return value * 10 if self is Unit.CM else value


@dataclass(frozen=True)
class Lesion:
    """A target lesion, with what RECIST needs beyond its size.

    ``size_mm`` is the longest diameter, or the short axis for a lymph node
    (RECIST 1.1 section 3.1.1); ``perpendicular_mm`` is the second diameter WHO multiplies
    by. Sizes are in the unit of the call (millimetres unless ``unit="cm"`` is given).
    At follow-up, ``fragments_mm`` records a lesion that split and ``merged_into`` one
    that coalesced with another (RECIST 1.1 section 4.3.2).

    Examples:
        >>> Lesion(size_mm=12.0, node=True, organ="axilla", name="N1").node
        True
    """

    size_mm: Size
    perpendicular_mm: Size = None
    node: bool = False
    organ: str | None = None
    name: str | None = None
    fragments_mm: tuple[Size, ...] = ()
    """A lesion that split: its fragments' longest diameters, summed (RECIST 1.1 4.3.2)."""
    merged_into: str | None = None
    """A lesion that coalesced with another: recorded as 0 mm (RECIST 1.1 4.3.2)."""


@dataclass(frozen=True)
class Visit:
    """One assessment: the day, each target's size, non-target status and new lesions.

    ``day`` counts from the baseline visit (baseline = day 0). ``targets`` maps a lesion
    name to its size (or a :class:`Lesion`); a lesion left out, or given as ``None``, was
    not assessed. ``non_target`` is ``"absent"``, ``"present"``, ``"progression"`` or
    ``"not-assessed"``; ``None`` means the patient has no non-target disease.
    """

    day: int
    targets: Mapping[str, Size | Lesion] = field(default_factory=dict)
    non_target: str | None = None
    new_lesions: bool = False
    label: str | None = None
    new_lesion_sites: tuple[str, ...] = ()
    non_target_sites: tuple[str, ...] = ()
    """Where the non-target disease seen at this visit is (to name a recurrence after CR)."""
    """Where new disease was seen (e.g. ``"bone"``), to name a recurrence after CR."""

    @property
    def name(self) -> str:
        """The label if given, else "day N"."""
        return self.label or f"day {self.day}"


SIGNIFICANT_DIGITS: Final = 15
"""What a float holds for sure (float64 keeps 15 significant decimal digits)."""


def significant(value: float | Decimal) -> Decimal:
    """A size read at 15 significant digits: float artefacts go, typed decimals stay.

    A size converted from cm or inches in a spreadsheet (2.3 cm × 10) arrives as
    22.999999999999996; read at 15 significant digits it is the 23 that was meant. A
    decimal typed with 15 digits or fewer is kept exactly as typed.

    Examples:
        >>> significant(2.3 * 10), significant(0.1 + 0.2), significant(Decimal("40.125"))
        (Decimal('23'), Decimal('0.3'), Decimal('40.125'))
        >>> significant(Decimal("12.345678"))
        Decimal('12.345678')
    """
    decimal = Decimal(repr(value)) if isinstance(value, float) else value
    if not decimal.is_finite() or decimal == 0:
        return decimal
    digits = len(decimal.as_tuple().digits)
    if digits > SIGNIFICANT_DIGITS:
        exponent = decimal.adjusted() - SIGNIFICANT_DIGITS + 1
        decimal = decimal.quantize(Decimal(1).scaleb(exponent))
    decimal = decimal.normalize()  # no trailing zeros: 0.300000000000000 is 0.3
    return decimal.quantize(Decimal(1)) if decimal.as_tuple().exponent > 0 else decimal  # type: ignore[operator]


def exact(
    value: object, unit: Unit, problems: Problems, where: str, field_name: str
) -> Fraction | None:
    """Read one size exactly in millimetres; record a problem and return None if it is bad.

    Floats are read through their shortest decimal form (``repr``), so ``23.1`` is
    231/10, which is what the user typed.

    Examples:
        >>> found = Problems()
        >>> exact(23.1, Unit.MM, found, "lesion T1", "size_mm")
        Fraction(231, 10)
        >>> exact("2,5", Unit.CM, found, "lesion T2", "size_mm") is None
        True
        >>> print(found.items[0])
        lesion T2, size_mm: '2,5' is not a number. Fix: type a number with a decimal point, e.g. 12.5 (no units, no commas).
    """
    fix = "type a number with a decimal point, e.g. 12.5 (no units, no commas)"
    if isinstance(value, bool):
        problems.add(where, field_name, f"{value!r} is not a size", fix)
        return None
    number: Fraction
    if isinstance(value, Fraction):
        number = value
    elif isinstance(value, numbers.Integral):  # int, and numpy's integers
        if not _plausible(Decimal(int(value)), problems, where, field_name):
            return None
        number = Fraction(int(value))
    elif isinstance(value, numbers.Real) and not isinstance(value, Decimal):
        # float, and numpy's floats (a float32 through its own shortest form, "23.1")
        if not math.isfinite(value):
            problems.add(where, field_name, f"is {value}", "enter a finite size in mm")
            return None
        decimal = significant(float(value) if isinstance(value, float) else Decimal(str(value)))
        if not _plausible(decimal, problems, where, field_name):
            return None
        number = Fraction(decimal)
    elif isinstance(value, (str, Decimal)):
        if isinstance(value, str) and not PLAIN_DECIMAL.match(value):
            special = value.strip().lower().lstrip("+-") in {"nan", "inf", "infinity"}
            message = f"is {value!r}" if special else f"{value!r} is not a number"
            problems.add(where, field_name, message, fix)
            return None
        decimal = Decimal(value.strip()) if isinstance(value, str) else value
        if not decimal.is_finite():
            problems.add(where, field_name, f"is {value!r}", "enter a finite size in mm")
            return None
        if not _plausible(decimal, problems, where, field_name):
            return None
        number = Fraction(decimal)
    else:
        problems.add(where, field_name, f"{value!r} is not a number", fix)
        return None
    if number < 0:
        problems.add(
            where,
            field_name,
            f"is negative ({value})",
            "enter 0 for a lesion that has disappeared, or the measured size",
        )
        return None
    mm = unit.to_mm(number)
    if 0 < mm < _MIN_MM:
        problems.add(
            where,
            field_name,
            f"is {value}, above 0 but below 0.001 mm",
            "enter 0 for a lesion that has gone, or check the number and its unit",
        )
        return None
    return mm


PLAIN_DECIMAL: Final = re.compile(r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)\s*$")
"""A size as people type it: ASCII digits and a decimal point (no exponent, no separators)."""

_MAX_DIGITS_BEFORE_POINT = 5
_MIN_MM = Fraction(1, 1000)
"""One micrometre: no scan resolves less (files are held to the same bound)."""
_MAX_DECIMALS = 6


def _plausible(decimal: Decimal, problems: Problems, where: str, field_name: str) -> bool:
    """Refuse sizes no tumour has, before exact arithmetic is asked to carry them.

    A size of 100,000 or more (in mm or cm) is a unit or typing error, and a value with
    more than 6 decimals is more precise than any scan; both would otherwise make exact
    fractions huge (and slow) for no clinical reason.
    """
    if decimal == 0:
        return True
    if decimal.adjusted() >= _MAX_DIGITS_BEFORE_POINT:
        problems.add(
            where,
            field_name,
            "is 100,000 or more, far larger than any tumour",
            "check the number and its unit (sizes are in mm unless cm is chosen)",
        )
        return False
    exponent = decimal.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -_MAX_DECIMALS:
        problems.add(
            where,
            field_name,
            f"has more than {_MAX_DECIMALS} decimals",
            "round the size to the precision it was measured with (e.g. 12.5)",
        )
        return False
    return True


def non_target_status(value: str | None, problems: Problems, where: str) -> NonTargetStatus | None:
    """Read a non-target status, tolerant of case and spaces.

    Examples:
        >>> non_target_status("Not assessed", Problems(), "day 56")
        <NonTargetStatus.NOT_ASSESSED: 'not-assessed'>
    """
    if value is None:
        return None
    key = str(value).strip().lower().replace(" ", "-").replace("_", "-")
    try:
        return NonTargetStatus(key)
    except ValueError:
        allowed = ", ".join(s.value for s in NonTargetStatus)
        problems.add(where, "non_target", f"{value!r} is not a status", f"use one of {allowed}")
        return None
