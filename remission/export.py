r"""Write result tables as CSV or JSON, safe to open in a spreadsheet.

Results carry text a user typed (patient ids, visit labels, lesion names, organs). A
spreadsheet runs any cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and
tab or carriage return can smuggle one in, so a file that round-trips through Excel could
run ``=HYPERLINK(...)`` on a colleague's machine. OWASP's "CSV Injection" guidance is to
prefix such cells with a single quote, which spreadsheets show but do not evaluate; that is
what :func:`neutralise` does to every text cell. Numeric columns are left as numbers, so
``-30.0`` stays a number and is not turned into text.

JSON is read by programs, not spreadsheets, so :func:`to_json` writes values unchanged.

Examples:
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"patient": ["=1+1", "P2"], "pct": [-30.0, 12.5]})
    >>> print(to_safe_csv(frame).replace("\r\n", "\n"), end="")
    patient,pct
    '=1+1,-30.0
    P2,12.5
"""

from __future__ import annotations

import io
import itertools
import math
from enum import StrEnum
from typing import TYPE_CHECKING, Final, TextIO

import pandas as pd
from pandas.api.types import (
    is_bool_dtype,
    is_integer_dtype,
    is_numeric_dtype,
    is_object_dtype,
    is_string_dtype,
)

if TYPE_CHECKING:
    from pandas._typing import DtypeObj

__all__ = ["FORMULA_TRIGGERS", "Format", "neutralise", "to_json", "to_safe_csv", "write"]

FORMULA_TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula (OWASP, CSV Injection)."""

_TRIGGER_PATTERN: Final = r"^[=+\-@\t\r]"

_NEEDS_QUOTES: Final = (",", '"', "\r", "\n")
"""What makes the csv module's minimal quoting quote a cell (delimiter, quote, line end)."""


class Format(StrEnum):
    """Output formats of the command line and the app's downloads."""

    CSV = "csv"
    JSON = "json"


def neutralise(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy in which every text cell that a spreadsheet would run starts with ``'``.

    Column names are treated the same way. Numbers, booleans and dates are not touched.

    Examples:
        >>> import pandas as pd
        >>> neutralise(pd.DataFrame({"x": ["@SUM(A1)", "ok", "-2"]}))["x"].tolist()
        ["'@SUM(A1)", 'ok', "'-2"]
    """
    columns: list[pd.Series] = []
    for position in range(frame.shape[1]):  # by position: names may repeat
        column = frame.iloc[:, position]
        if is_numeric_dtype(column.dtype) or is_bool_dtype(column.dtype):
            columns.append(column)
        elif isinstance(column.dtype, pd.CategoricalDtype):
            columns.append(column.map(_safe_cell))
        elif column.dtype == object:
            # Built as a list so that long free text stays Python strings (cheaper to write).
            safe = [_safe_cell(value) for value in column.tolist()]
            columns.append(pd.Series(safe, index=frame.index, dtype=object))
        elif pd.api.types.is_string_dtype(column.dtype):
            risky = column.str.contains(_TRIGGER_PATTERN, regex=True, na=False)
            columns.append(column.mask(risky, "'" + column))
        else:
            columns.append(column)
    out = pd.DataFrame(dict(enumerate(columns)), index=frame.index)
    out.columns = pd.Index([_safe_text(str(name)) for name in frame.columns], dtype=object)
    return out


def _safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _safe_cell(value: object) -> object:
    return _safe_text(value) if isinstance(value, str) else value


def to_safe_csv(frame: pd.DataFrame) -> str:
    r"""CSV text of ``frame`` without its index, safe against formula injection.

    Examples:
        >>> import pandas as pd
        >>> to_safe_csv(pd.DataFrame({"visit": ["-week 2"], "day": [-14]}))
        "visit,day\r\n'-week 2,-14\r\n"
    """
    safe = neutralise(frame)
    columns = [_cells(safe.iloc[:, i]) for i in range(safe.shape[1])]
    if len(columns) < 2 or any(cells is None for cells in columns):
        buffer = io.StringIO()
        # RFC 4180 line ends: the writer then quotes every cell holding a CR or LF, so a
        # carriage return inside a cell cannot start a new row in a spreadsheet.
        safe.to_csv(buffer, index=False, lineterminator="\r\n")
        return buffer.getvalue()
    header = ",".join(_quoted(str(name)) for name in safe.columns)
    rows = map(",".join, zip(*columns, strict=True))
    return "".join(line + "\r\n" for line in itertools.chain([header], rows))


def _cells(column: pd.Series) -> list[str] | None:
    """A column's CSV cells, written and quoted as ``DataFrame.to_csv`` writes them.

    ``to_csv`` spends most of a big result's time in Python's csv writer looking at every
    character of every cell; here a repeated value (a category) is quoted once and numbers,
    which never need quotes, are not looked at. ``None`` for a kind of column this does
    not write (dates, say): the whole table is then left to ``to_csv``. Equality with
    ``to_csv`` is a property test (``tests/test_export.py``).
    """
    dtype = column.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if not _holds_text(dtype.categories.dtype):
            return None
        words = [_quoted(_text_of(word)) for word in dtype.categories.tolist()] + [""]
        return [words[code] for code in column.cat.codes.tolist()]
    if str(dtype) == "float64":  # numpy's (pandas' nullable Float64 is written by to_csv)
        return ["" if math.isnan(value) else repr(value) for value in column.tolist()]
    if is_bool_dtype(dtype) or is_integer_dtype(dtype):
        if isinstance(dtype, pd.ArrowDtype):
            return None
        return ["" if value is pd.NA else str(value) for value in column.tolist()]
    if _holds_text(dtype):
        values = column.tolist()
        if not all(isinstance(value, str) or _missing(value) for value in values):
            return None
        return ["" if _missing(value) else _quoted(_text_of(value)) for value in values]
    return None


def _holds_text(dtype: DtypeObj) -> bool:
    """Object or pandas' own string dtype (object columns are checked value by value)."""
    return is_object_dtype(dtype) or (
        is_string_dtype(dtype) and not isinstance(dtype, pd.ArrowDtype)
    )


def _text_of(value: object) -> str:
    """What the csv module writes: a string's own text, anything else's ``str``.

    A ``str`` subclass (a ``(str, Enum)`` member, say) may print otherwise.
    """
    return str.__str__(value) if isinstance(value, str) else str(value)


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _quoted(text: str) -> str:
    """A cell as the csv module's minimal quoting writes it (RFC 4180)."""
    if any(mark in text for mark in _NEEDS_QUOTES):
        return '"' + text.replace('"', '""') + '"'
    return text


def to_json(frame: pd.DataFrame) -> str:
    """JSON text: a list with one object per row; missing values are ``null``.

    Floats keep 15 decimal places (the most pandas writes), more than any measurement
    carries. Dates without a time of day are written as the CSV writes them (2024-03-01).

    Examples:
        >>> import pandas as pd
        >>> to_json(pd.DataFrame({"patient": ["P1"], "pct": [-30.0], "day": [None]}))
        '[{"patient":"P1","pct":-30.0,"day":null}]'
        >>> to_json(pd.DataFrame({"date": pd.to_datetime(["2024-03-01", None])}))
        '[{"date":"2024-03-01"},{"date":null}]'
    """
    dates = {
        name: frame[name].dt.strftime("%Y-%m-%d").astype(object).where(frame[name].notna(), None)
        for name in frame.columns
        if _dates_only(frame[name])
    }
    if dates:
        frame = frame.assign(**dates)
    text = frame.to_json(
        orient="records", force_ascii=False, date_format="iso", double_precision=15
    )
    return text or "[]"


def _dates_only(column: pd.Series) -> bool:
    """A datetime column whose values all fall at midnight: dates, written as dates."""
    if not pd.api.types.is_datetime64_any_dtype(column.dtype):
        return False
    given = column.dropna()
    return bool((given == given.dt.normalize()).all())


def write(frame: pd.DataFrame, out: TextIO, fmt: Format | str = Format.CSV) -> None:
    """Write ``frame`` to an open text stream as safe CSV or as JSON (with a final newline)."""
    chosen = Format(str(fmt).lower())
    out.write(to_safe_csv(frame) if chosen is Format.CSV else to_json(frame) + "\n")
