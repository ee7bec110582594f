"""Bundled example studies in the long measurement table, for docs, tests and the app.

Each study is a small CSV under ``remission/data`` in the format every entry point reads
(one row per lesion per visit; see :mod:`remission.table`). They are written to show one
rule each, with numbers chosen so the answer can be worked out by hand from the papers
(tests do exactly that). Loading goes through :mod:`importlib.resources`, so the files are
found wherever the package is installed.

Examples:
    >>> from remission import examples
    >>> examples.names()[0]
    'recist-worked'
    >>> table = examples.load("mixed-cohort")
    >>> sorted(table["patient"].unique())[:3]
    ['P01', 'P02', 'P03']
    >>> examples.csv_text("who-products").splitlines()[0]
    'patient,visit,day,lesion,role,size_mm,perpendicular_mm,node,organ,status'
"""

from __future__ import annotations

import io
from importlib.resources import files
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from remission.errors import InvalidInput, Problem

__all__ = ["csv_text", "describe", "load", "names", "path"]

_DESCRIPTIONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "recist-worked": (
            "RECIST 1.1 section 4.4.2: a target lesion not measured; progression anyway when "
            "the others grew enough (R-001), not evaluable otherwise, then exactly 30 % "
            "smaller (R-002)"
        ),
        "breast-recurrence": (
            "Breast cancer with dates: partial then complete response (lymph node back under "
            "10 mm), confirmed, then recurrence with a new lesion in bone"
        ),
        "mixed-cohort": (
            "Seven patients mixing PR, SD, PD by growth, CR, NE, PD by a new lesion and "
            "non-target disease only"
        ),
        "nodes-and-small": (
            "Lymph nodes (short axis, normal below 10 mm), lesions too small to measure "
            "(5 mm under RECIST 1.1), a reappearance after CR, and baseline targets below "
            "the measurability limits"
        ),
        "who-products": (
            "WHO 1981 products of perpendicular diameters: partial response at 50 % of the "
            "sum, and progression of one lesion by 25 % while the sum falls"
        ),
    }
)
"""Every bundled study, in the order the app lists them, with its one-line description."""


def names() -> tuple[str, ...]:
    """The bundled studies' names.

    Examples:
        >>> names()
        ('recist-worked', 'breast-recurrence', 'mixed-cohort', 'nodes-and-small', 'who-products')
    """
    return tuple(_DESCRIPTIONS)


def describe(name: str) -> str:
    """One line saying what the study shows.

    Examples:
        >>> describe("who-products").startswith("WHO 1981")
        True
    """
    return _DESCRIPTIONS[_check(name)]


def path(name: str) -> Path:
    """Where the study's CSV file is on disk (for ``open`` or a file download).

    Examples:
        >>> path("mixed-cohort").name
        'mixed-cohort.csv'
    """
    resource = files("remission").joinpath("data", f"{_check(name)}.csv")
    return Path(str(resource))


def csv_text(name: str) -> str:
    r"""The study as CSV text, exactly as bundled.

    Examples:
        >>> csv_text("recist-worked").count("\n") > 10
        True
    """
    resource = files("remission").joinpath("data", f"{_check(name)}.csv")
    return resource.read_text(encoding="utf-8")


def load(name: str) -> pd.DataFrame:
    """The study as a long measurement table, read as a user's ``pandas.read_csv`` would.

    Ids and labels are kept as text (``dtype=str`` for them) so a patient called ``007``
    stays ``007``; sizes and days are numbers.

    Examples:
        >>> load("nodes-and-small").shape
        (13, 9)
    """
    text = csv_text(name)
    return pd.read_csv(
        io.StringIO(text),
        dtype={"patient": str, "visit": str, "lesion": str, "organ": str, "status": str},
    )


def _check(name: str) -> str:
    key = str(name).strip().lower()
    if key not in _DESCRIPTIONS:
        raise InvalidInput(
            [
                Problem(
                    "example",
                    "name",
                    f"{name!r} is not a bundled example",
                    f"use one of {', '.join(_DESCRIPTIONS)}",
                )
            ]
        )
    return key
