"""Small long tables that several test modules build the same way."""

from __future__ import annotations

import pandas as pd


def one_target(baseline_mm: object, week8_mm: object) -> pd.DataFrame:
    """Patient P1 with one target lesion T1: baseline (day 0) and week 8 (day 56).

    The sizes go in as given (numbers, text, or an object column's odd cells).
    """
    sizes = pd.Series([baseline_mm, week8_mm], dtype=object)
    if all(isinstance(x, (int, float)) for x in (baseline_mm, week8_mm)):
        sizes = sizes.astype("float64")
    return pd.DataFrame(
        {
            "patient": ["P1", "P1"],
            "visit": ["baseline", "week 8"],
            "day": [0, 56],
            "lesion": ["T1", "T1"],
            "role": ["target", "target"],
            "size_mm": sizes,
        }
    )
