"""Runs of equal keys in sorted arrays: per-patient and per-visit sums, minimums, firsts.

The core's arrays are sorted by patient, visit and lesion, so every "per patient" or "per
visit" question is a reduction over consecutive runs. These work on ``int64`` arrays and
on arrays of Python integers alike (see :func:`remission.core.readings.integers`).

Examples:
    >>> import numpy as np
    >>> starts, run = segments(np.array([3, 3, 5, 7, 7, 7]))
    >>> starts.tolist(), run.tolist()
    ([0, 2, 3], [0, 0, 1, 2, 2, 2])
    >>> running_min(np.array([5, 3, 4, 9, 2]), np.array([0, 0, 0, 1, 1])).tolist()
    [5, 3, 3, 9, 2]
"""

from __future__ import annotations

import numpy as np

from remission.core.readings import Int64, Sizes

__all__ = ["previous_min", "running_min", "segments", "sum_by"]


def segments(keys: Int64) -> tuple[Int64, Int64]:
    """Start positions of runs of equal ``keys`` (sorted input) and each element's run."""
    if keys.size == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    new = np.empty(keys.size, dtype=bool)
    new[0] = True
    np.not_equal(keys[1:], keys[:-1], out=new[1:])
    return np.flatnonzero(new), np.cumsum(new) - 1


def sum_by(values: Sizes, groups: Int64, size: int) -> Sizes:
    """Sums of ``values`` over ``groups`` (sorted, each in ``0 … size − 1``; 0 elsewhere)."""
    out = np.zeros(size, dtype=values.dtype)
    if values.size:
        starts, _ = segments(groups)
        out[groups[starts]] = np.add.reduceat(values, starts)
    return out


def running_min(values: Sizes, groups: Int64) -> Sizes:
    """The minimum so far within each run of ``groups`` (sorted), element included.

    Each run is shifted below every earlier one, so one cumulative minimum over the
    whole array restarts at every run; the shift is taken back after.
    """
    if values.size == 0:
        return values.copy()
    low = min(int(values.min()), 0)
    span = int(values.max()) - low + 1
    if values.dtype == object or (int(groups.max()) + 1) * span >= 2**62:
        shift = np.asarray([int(g) * span for g in groups.tolist()], dtype=object)
        wide = np.asarray([int(v) for v in values.tolist()], dtype=object)
        found: Sizes = np.minimum.accumulate(wide - low - shift) + shift + low
        return found if values.dtype == object else found.astype(np.int64)
    shift = groups.astype(np.int64) * span
    found = np.minimum.accumulate(values - low - shift) + shift + low
    return found.astype(values.dtype)


def previous_min(values: Sizes, groups: Int64, *, missing: int) -> Sizes:
    """The minimum of the earlier elements within each run (``missing`` for a run's first)."""
    running = running_min(values, groups)
    out = np.empty_like(running)
    if out.size:
        out[1:] = running[:-1]
        starts, _ = segments(groups)
        out[starts] = missing
    return out
