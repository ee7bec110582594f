r"""Read and check the long measurement table: one row per lesion per visit.

This is the contract every batch entry point shares (``classify_frame``, the command
line, the app's upload, the CDISC reader):

==================== ============ ===========================================================
column               required     meaning
==================== ============ ===========================================================
``patient``          yes          subject id
``visit``            yes          visit label ("baseline", "week 8")
``day`` / ``date``   one of them  study day (whole number) or ISO 8601 date (``2024-03-01``)
``lesion``           yes          lesion id, stable across visits
``role``             yes          ``target`` | ``non-target`` | ``new``
``size_mm``          targets      longest diameter (short axis for nodes); blank = not
                                  assessed; 0 = disappeared; ``size_cm`` is converted exactly
``perpendicular_mm`` no           second diameter for WHO products (or ``perpendicular_cm``)
``node``             no           yes for lymph nodes (yes/no, true/false, y/n, 1/0)
``organ``            no           site
``status``           non-targets  ``present`` | ``absent`` | ``progression`` |
                                  ``not-assessed``; on a target row with a blank size,
                                  ``too-small`` = present but too small to measure (RECIST
                                  1.1 section 4.3.2)
``fragment``         no           a target that split at a follow-up: one row per fragment,
                                  each with its own label (``a``, ``b``) and longest
                                  diameter; the lesion's size is their sum (RECIST 1.1
                                  section 4.3.2)
``merged_into``      no           a target that coalesced with another at a follow-up: the
                                  id of the target it joined; its size is 0 mm (or empty)
                                  and the lesion it joined is measured as one
==================== ============ ===========================================================

Column names match case-insensitively. Baseline is each patient's earliest visit and days
are counted from it. Every problem is reported at once, each naming the row as a
spreadsheet shows it (header = row 1; for a DataFrame, its position + 2), the column and
the fix. Nothing is guessed: a decimal comma, a unit typed into a cell, ``NA`` for a size
or a day/month date is refused with the fix, not interpreted. With ``keep_going=True``
patients whose rows are fine are kept and the others listed with their reasons, so the
input rows reconcile with the output plus the exclusions.

Sizes are held as whole micrometres (``int64``): exact for up to 3 decimals in mm or 4 in
cm. A size that is not a whole number of micrometres is kept as an exact
:class:`~fractions.Fraction` instead (``Table.exact_sizes``) and
:mod:`remission.frame` classifies that patient with the scalar engine.

Examples:
    >>> table = read_table("patient,visit,day,lesion,role,size_mm\n"
    ...                    "P1,baseline,0,T1,target,33\n"
    ...                    "P1,week 8,56,T1,target,23.1\n")
    >>> table.patients
    ('P1',)
    >>> [(v.day, v.targets["T1"].size_mm) for v in to_visits(table, "P1")]
    [(0, Fraction(33, 1)), (56, Fraction(231, 10))]
    >>> read_table("patient,visit,day,lesion,role,size_mm\nP1,baseline,0,T1,target,\"2,5\"\n")
    Traceback (most recent call last):
    ...
    remission.errors.InvalidInput: 1 problem in the input:
    - row 2 (patient P1), size_mm: '2,5' uses a decimal comma. Fix: write 2.5 (a decimal point, not a comma).
"""

from __future__ import annotations

import csv
import io
import math
import os
import re
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import IntEnum
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, Final

import numpy as np
import numpy.typing as npt
import pandas as pd

from remission.errors import InvalidInput, Problem
from remission.measurements import TOO_SMALL, Lesion, Visit, significant
from remission.response import NonTargetStatus

__all__ = [
    "DEFAULT_MAX_ROWS",
    "FINE_PER_MM",
    "NEW_LESION_SEEN",
    "UM_PER_MM",
    "Exclusion",
    "Role",
    "Source",
    "Status",
    "Table",
    "non_target_status",
    "read_table",
    "to_visits",
]

DEFAULT_MAX_ROWS: Final = 5_000_000
"""Largest input read without ``max_rows``: bigger ones are refused, never half-read."""

Source = pd.DataFrame | str | bytes | os.PathLike[str] | IO[str] | IO[bytes]
"""A table: a DataFrame, a CSV path, CSV text (containing a newline), bytes or a stream."""

Int64 = npt.NDArray[np.int64]
Int8 = npt.NDArray[np.int8]
Bools = npt.NDArray[np.bool_]
Floats = npt.NDArray[np.float64]

UM_PER_MM: Final = 1000
"""Sizes are whole micrometres: exact for mm with 3 decimals and cm with 4."""
FINE_PER_MM: Final = 10**6
"""Finer sizes are whole millionths of a mm (``size_fine``): 6 decimals in mm, 7 in cm."""
MAX_UM: Final = 10**7
"""Sizes are below 10 m (10,000 mm): anything larger is refused as a unit error, and
products (µm²) and their sums then fit in int64."""

MIN_MM: Final = 0.001
"""The smallest size above 0 that a file may hold: one micrometre (no scan resolves less)."""


class Role(IntEnum):
    """A lesion's role, fixed at baseline (RECIST 1.1 section 3.3)."""

    TARGET = 0
    NON_TARGET = 1
    NEW = 2


class Status(IntEnum):
    """What was seen of a lesion at a visit; ``BLANK`` = the cell is empty."""

    BLANK = -1
    PRESENT = 0
    ABSENT = 1
    PROGRESSION = 2
    NOT_ASSESSED = 3
    TOO_SMALL = 4

    @property
    def word(self) -> str:
        """As written in the file: ``not-assessed``, ``too-small``, ``empty``."""
        return "empty" if self is Status.BLANK else self.name.lower().replace("_", "-")


NEW_LESION_SEEN: Final = frozenset(
    {Status.BLANK, Status.PRESENT, Status.PROGRESSION, Status.TOO_SMALL}
)
"""Statuses of a ``new`` row that mean a new lesion was seen; ``absent`` and
``not-assessed`` rows record that none was (RECIST 1.1 section 4.3.5)."""

_ROLE_WORDS: Final = MappingProxyType(
    {
        "target": Role.TARGET,
        "non-target": Role.NON_TARGET,
        "nontarget": Role.NON_TARGET,
        "new": Role.NEW,
    }
)
_STATUS_WORDS: Final = MappingProxyType(
    {
        "present": Status.PRESENT,
        "absent": Status.ABSENT,
        "progression": Status.PROGRESSION,
        "not-assessed": Status.NOT_ASSESSED,
        "too-small": Status.TOO_SMALL,
    }
)
_TRUE: Final = frozenset({"true", "yes", "y", "1", "t"})
_FALSE: Final = frozenset({"false", "no", "n", "0", "f"})
_MISSING_WORDS: Final = frozenset({"na", "n/a", "nan", "none", "null", "ne", "nd", "-", "."})

_REQUIRED: Final = ("patient", "visit", "lesion", "role")
COLUMNS: Final = (
    "patient",
    "visit",
    "day",
    "date",
    "lesion",
    "role",
    "size_mm",
    "size_cm",
    "perpendicular_mm",
    "perpendicular_cm",
    "node",
    "organ",
    "status",
)
"""The long table's columns, in the order files are written (``day`` or ``date``)."""
CHANGE_COLUMNS: Final = ("fragment", "merged_into")
"""Optional columns for a target that split or merged at a follow-up (RECIST 1.1 4.3.2)."""
_MEANING: Final = MappingProxyType(
    {
        "patient": "the subject id",
        "visit": "the visit label, e.g. baseline or week 8",
        "lesion": "a lesion id, stable across visits",
        "role": "target, non-target or new",
    }
)
_NUMBER_FIX: Final = "type a number with a decimal point, e.g. 12.5 (no units, no commas)"
_HEADER: Final = "row 1 (header)"


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Exclusion:
    """A patient left out with ``keep_going``: how many input rows, and every reason."""

    patient: str
    rows: int
    problems: tuple[Problem, ...]

    def __str__(self) -> str:
        """One line for reports."""
        return f"patient {self.patient}: {self.rows} rows excluded ({len(self.problems)} problems)"


@dataclass(frozen=True)
class Table:
    """A checked long table, sorted by patient (order of first appearance), day, row.

    ``data`` columns: ``line`` (row in the file, header = 1), ``pid`` (patient number
    0, 1, …), ``patient``, ``visit``, ``day`` (days since the patient's baseline),
    ``study_day`` (the ``day`` as given, or days since the earliest date), ``date``
    (when dates were given), ``lesion``, ``role`` (:class:`Role`), ``size_um`` and
    ``perp_um`` (whole µm; −1 = blank), ``exact`` (both sizes held exactly in µm),
    ``size_fine`` and ``perp_fine`` (millionths of a mm, for sizes finer than a µm),
    ``node``, ``organ`` and ``status`` (:class:`Status`). Sizes that are not whole
    micrometres and not whole millionths of a mm (split lesions' sums, say) are in
    ``exact_sizes`` (line → exact mm, size and perpendicular).
    """

    data: pd.DataFrame
    input_rows: int
    excluded: tuple[Exclusion, ...] = ()
    unattributed: tuple[Problem, ...] = ()
    """Problems in rows without a patient id (those rows are dropped with ``keep_going``)."""
    unattributed_rows: int = 0
    has_dates: bool = False
    exact_sizes: Mapping[int, tuple[Fraction | None, Fraction | None]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    splits: Mapping[int, tuple[Fraction, ...]] = field(default_factory=lambda: MappingProxyType({}))
    """A split target's row (its first fragment's line) → every fragment's size in mm."""
    merges: Mapping[int, str] = field(default_factory=lambda: MappingProxyType({}))
    """A merged target's row (line) → the id of the target it joined."""
    folded_rows: int = 0
    """Fragment rows folded into their lesion's row (the fragments after the first)."""

    @property
    def rows_kept(self) -> int:
        """Input rows behind ``data``: its rows plus the fragments folded into them."""
        return len(self.data) + self.folded_rows

    @property
    def patients(self) -> tuple[str, ...]:
        """The patients kept, in order of first appearance."""
        cats = self.data["patient"].cat.categories
        return tuple(str(cats[i]) for i in pd.unique(self.data["pid"].to_numpy()))

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Every problem behind the exclusions."""
        return tuple(p for e in self.excluded for p in e.problems) + self.unattributed


# --------------------------------------------------------------------------- loading


def read_table(
    source: Source | Table,
    *,
    keep_going: bool = False,
    max_rows: int | None = DEFAULT_MAX_ROWS,
) -> Table:
    r"""Read and check a long measurement table, reporting every problem at once.

    Args:
        source: a DataFrame (never modified), a path to a CSV file, CSV text (a string
            containing a newline), bytes, or an open stream. A :class:`Table` passes through.
        keep_going: keep the patients whose rows are fine and list the others in
            ``Table.excluded`` instead of raising.
        max_rows: refuse larger inputs (``None`` = no limit).

    Returns:
        The checked table.

    Raises:
        InvalidInput: with every problem: always when the file itself is unusable
            (missing columns, empty, wrong delimiter, too many rows), and without
            ``keep_going`` when any row is wrong.

    Examples:
        >>> read_table("patient;visit;day\n1;baseline;0\n")
        Traceback (most recent call last):
        ...
        remission.errors.InvalidInput: 1 problem in the input:
        - row 1 (header), columns: the columns are separated by ';' (semicolon), not commas. Fix: save the file as CSV with commas between columns (in Excel: 'CSV UTF-8 (Comma delimited)'), and write decimals with a point.
    """
    if isinstance(source, Table):
        return source
    frame, lines = _load(source, max_rows)
    return _Checker(frame, lines).run(keep_going=keep_going)


def _load(source: Source, max_rows: int | None) -> tuple[pd.DataFrame, Int64]:
    """The raw frame and each row's number in the file (header = 1)."""
    if isinstance(source, pd.DataFrame):
        if max_rows is not None and len(source) > max_rows:
            raise InvalidInput([_too_many(max_rows)])
        frame = _plain_cells(source)
        return frame, np.arange(2, len(frame) + 2, dtype=np.int64)
    text = _text_of(source)
    if not text.strip():
        raise InvalidInput(
            [
                Problem(
                    "file",
                    "contents",
                    "is empty",
                    "give a CSV file whose first row names the columns (patient, visit, "
                    "day, lesion, role, size_mm, status) and one row per lesion per visit",
                )
            ]
        )
    _refuse_wide_lines(text)
    try:
        with warnings.catch_warnings():
            # A first row longer than the header would silently become an index column
            # (or be cut short): treat it as the ragged row it is.
            warnings.simplefilter("error", pd.errors.ParserWarning)
            frame = pd.read_csv(
                io.StringIO(text),
                dtype=str,
                keep_default_na=False,
                na_values=[""],  # only empty cells are missing: "NA" stays text to report
                skip_blank_lines=False,
                nrows=None if max_rows is None else max_rows + 1,
            )
        if not isinstance(frame.index, pd.RangeIndex):
            # A first row longer than the header became an index column: re-read it all.
            raise pd.errors.ParserError("rows longer than the header")
        names = next(csv.reader(text.splitlines()[:1]), [])  # \n, \r\n or an old Mac's \r
        repeated = {n for n in names if names.count(n) > 1}
        if len(names) == len(frame.columns) and repeated & {*COLUMNS, *CHANGE_COLUMNS}:
            # pandas renames a repeated column (size_mm.1): keep the names as written, so
            # that the header check reports the repeat instead of one copy being ignored.
            frame.columns = pd.Index(names)
        lines = np.arange(2, len(frame) + 2, dtype=np.int64)
    except pd.errors.EmptyDataError:
        raise InvalidInput(
            [
                Problem(
                    "file",
                    "contents",
                    "has no columns to read",
                    "give a CSV file whose first row names the columns (patient, visit, "
                    "day, lesion, role, size_mm, status)",
                )
            ]
        ) from None
    except (pd.errors.ParserError, pd.errors.ParserWarning):
        frame, lines = _read_ragged(text)
    if max_rows is not None and len(frame) > max_rows:
        raise InvalidInput([_too_many(max_rows)])
    return frame, lines


def _plain_cells(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with bytes read as UTF-8 text (in a copy); every odd cell a problem.

    ``pandas.read_sas`` gives bytes. A DataFrame built in Python can also carry what no
    CSV cell holds (lists, dicts, arrays, complex numbers); read as they are they would
    fail deep in pandas, or lose the imaginary part of a size without a word.
    """
    problems: list[Problem] = []
    replaced: dict[int, list[object]] = {}
    for position, name in enumerate(frame.columns):
        column = frame.iloc[:, position]
        if pd.api.types.is_complex_dtype(column.dtype):
            problems.append(
                Problem(
                    "column", str(name), "holds complex numbers", "give real numbers, e.g. 23.1"
                )
            )
        if column.dtype != object:
            continue
        values = column.tolist()
        for row, value in enumerate(values, start=2):
            if isinstance(value, (bytes, bytearray)):
                try:
                    values[row - 2] = bytes(value).decode("utf-8")
                    replaced[position] = values
                except UnicodeDecodeError:
                    problems.append(
                        Problem(
                            f"row {row}",
                            str(name),
                            "holds bytes that are not UTF-8 text",
                            "save the data as UTF-8, or decode the column to text first",
                        )
                    )
            elif isinstance(value, (tuple, frozenset, complex)) or not _hashable(value):
                problems.append(
                    Problem(
                        f"row {row}",
                        str(name),
                        f"holds a {type(value).__name__}, not one value",
                        "give one value per cell",
                    )
                )
    if problems:
        raise InvalidInput(problems)
    if not replaced:
        return frame
    copy = frame.copy(deep=False)
    for position, texts in replaced.items():
        copy.isetitem(position, texts)
    return copy


def _hashable(value: object) -> bool:
    """Lists, dicts, sets, arrays and Series are not (nor can a CSV cell hold them)."""
    try:
        hash(value)
    except TypeError:
        return False
    return True


_MAX_FIELDS_PER_LINE = 200
"""A measurement table has about ten columns; thousands of fields on a line is not one
(and would make the CSV parser build thousands of columns)."""


def _refuse_wide_lines(text: str) -> None:
    """Refuse a file whose lines hold far more fields than any measurement table.

    Counting separators is cheap (C speed over the whole text); only when the count is
    implausible are the lines looked at, to name the widest.
    """
    lines = text.count("\n") + 1
    separators = max(text.count(","), text.count(";"), text.count("\t"))
    if separators <= lines * _MAX_FIELDS_PER_LINE:
        return
    widest, number = max((len(line), i) for i, line in enumerate(text.splitlines(), start=1))
    raise InvalidInput(
        [
            Problem(
                f"row {number}",
                "contents",
                f"is {widest:,} characters long with thousands of fields; a measurement "
                "table has about ten columns",
                "check that this is the right file and that it was saved as CSV with one "
                "row per lesion per visit",
            )
        ]
    )


def _too_many(max_rows: int) -> Problem:
    return Problem(
        "input",
        "rows",
        f"has more than {max_rows:,} row{'' if max_rows == 1 else 's'}",
        "split the study into smaller files, or raise the limit (--max-rows)",
    )


def _text_of(source: str | bytes | os.PathLike[str] | IO[str] | IO[bytes]) -> str:
    raw: str | bytes
    if isinstance(source, bytes) or (
        isinstance(source, str) and ("\n" in source or "\r" in source or not source.strip())
    ):
        raw = source
    elif isinstance(source, (str, os.PathLike)):
        path = Path(source)
        try:
            raw = path.read_bytes()
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise InvalidInput(
                [
                    Problem(
                        f"file {str(path)!r}",
                        "path",
                        f"cannot be read ({reason})",
                        "check the file name and that the file exists",
                    )
                ]
            ) from None
    else:
        raw = source.read()
    if isinstance(raw, bytes):
        encoded = raw
        try:
            raw = encoded.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = encoded[: error.start].count(b"\n") + 1
            raise InvalidInput(
                [
                    Problem(
                        f"row {line}",
                        "encoding",
                        "the file is not UTF-8 text",
                        "save it as 'CSV UTF-8' (Excel) or re-encode it as UTF-8",
                    )
                ]
            ) from None
    return raw.removeprefix("\ufeff")


_RAGGED: Final = "\x00ragged:"
"""Marks, in the last field, a row that had more fields than the header."""


def _read_ragged(text: str) -> tuple[pd.DataFrame, Int64]:
    """Read rows with too many fields without stopping, keeping their row numbers.

    pandas stops at the first such row; reading them all lets every one be reported (an
    unquoted decimal comma is the usual cause), and keeps the good rows for
    ``keep_going``.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        header = next(reader)
        if not any(field.strip() for field in header):
            raise InvalidInput(
                [
                    Problem(
                        _HEADER,
                        "columns",
                        "is empty",
                        "the first row must name the columns: patient, visit, day, lesion, "
                        "role, size_mm, status",
                    )
                ]
            )
        for read in reader:
            fields = read
            if len(read) > len(header):
                fields = [*read[: len(header) - 1], f"{_RAGGED}{len(read)}"]
            rows.append(fields + [""] * (len(header) - len(fields)))
            lines.append(reader.line_num)
    except csv.Error as error:
        raise InvalidInput(
            [
                Problem(
                    f"row {reader.line_num}",
                    "file",
                    f"cannot be read as CSV ({error})",
                    "put any cell that holds a comma, a quote or a line break in double quotes, "
                    "and keep cells under 131,072 characters",
                )
            ]
        ) from None
    return pd.DataFrame(rows, columns=header, dtype=str), np.asarray(lines, dtype=np.int64)


# --------------------------------------------------------------------------- checking


def _column_names(frame: pd.DataFrame) -> dict[str, str]:
    """Map each known column (case-insensitive) to the frame's own label, or raise."""
    problems: list[Problem] = []
    header: dict[str, str] = {}
    names = [str(c) for c in frame.columns]
    if len(names) == 1:
        for sep, word in ((";", "semicolon"), ("\t", "tab"), ("|", "vertical bar")):
            if sep in names[0]:
                raise InvalidInput(
                    [
                        Problem(
                            _HEADER,
                            "columns",
                            f"the columns are separated by {sep!r} ({word}), not commas",
                            "save the file as CSV with commas between columns (in Excel: "
                            "'CSV UTF-8 (Comma delimited)'), and write decimals with a point",
                        )
                    ]
                )
    for name in names:
        key = name.removeprefix("\ufeff").strip().lower().replace(" ", "_")
        if key in header:
            problems.append(
                Problem(
                    _HEADER,
                    name,
                    "appears twice"
                    if name == header[key]
                    else f"names the same column as {header[key]!r} (names ignore case)",
                    "keep one of the two columns",
                )
            )
        elif key in COLUMNS or key in CHANGE_COLUMNS:
            header[key] = name
    missing = [name for name in _REQUIRED if name not in header]
    if "day" not in header and "date" not in header:
        missing.append("day")
    for name in missing:
        fix = (
            "add a 'day' column (study day, a whole number) or a 'date' column (YYYY-MM-DD)"
            if name == "day"
            else f"add a {name!r} column: {_MEANING[name]}"
        )
        problems.append(Problem(_HEADER, name, "the column is missing", fix))
    if problems:
        last = problems[-1]
        problems[-1] = Problem(
            last.where,
            last.field,
            last.message,
            f"{last.fix} (columns found: {', '.join(names) or 'none'})",
        )
        raise InvalidInput(problems)
    return header


def _sorted(pid: Int64, when: Int64) -> bool:
    """Whether rows are already in (patient, day) order, patients in order of appearance."""
    if pid.size < 2:
        return True
    step = np.diff(pid)
    return bool((step >= 0).all() and ((step > 0) | (np.diff(when) >= 0)).all())


def _groups(keys: Int64, domain: int) -> tuple[Int64, int]:
    """Group codes for non-negative ``keys`` below ``domain``.

    The keys themselves when the domain is small (direct indexing), else codes from hashing.
    """
    if domain <= 4 * keys.size + 1024:
        return keys, domain
    codes, uniques = pd.factorize(keys)
    return codes.astype(np.int64), len(uniques)


def _first_positions(codes: Int64, size: int) -> Int64:
    """The first position of each group code (``codes.size`` for unused codes)."""
    first = np.full(size, codes.size, dtype=np.int64)
    np.minimum.at(first, codes, np.arange(codes.size, dtype=np.int64))
    return first


def _categorical(codes: Int64, labels: Sequence[str]) -> pd.Categorical[str]:
    """A categorical column from codes (−1 = missing) and distinct labels."""
    return pd.Categorical.from_codes(codes, categories=pd.Index(list(labels)))


def _label_text(value: object) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def _label_texts(uniques: pd.Index | npt.NDArray[np.object_]) -> list[str]:
    """Distinct values as stripped text; whole floats (1.0) as integers (1)."""
    index = pd.Index(uniques)
    if pd.api.types.is_string_dtype(index.dtype) and index.dtype != object:
        return [str(x) for x in index.str.strip().fillna("").tolist()]
    return [_label_text(value) for value in index.tolist()]


@dataclass(frozen=True)
class _Sorted:
    """Rows sorted by patient and day, with the run boundaries every check uses."""

    order: Int64
    pid: Int64
    w: Int64
    run: Int64
    run_start: Int64
    patient_start: Int64
    patient_of: Int64
    at_base: Bools
    visit: Int64
    lesion: Int64
    role: Int8
    clash: Bools
    fragment: Int64
    merged: Int64
    day_text: Callable[[int], str]
    day_word: str


class _Checker:
    """Reads every column of one raw frame, collecting every problem."""

    def __init__(self, frame: pd.DataFrame, lines: Int64) -> None:
        self.frame = frame
        self.lines = lines
        self.n = len(frame)
        self.header = _column_names(frame)
        self.items: list[tuple[int, int, Problem]] = []
        self._labels: dict[str, tuple[Int64, list[str]]] = {}
        self.pid: Int64 = np.full(self.n, -1, dtype=np.int64)
        self.bad_status: Bools = np.zeros(self.n, dtype=bool)
        self.patients: list[str] = []
        self.fragment: Int64 = np.full(self.n, -1, dtype=np.int64)
        self.merged: Int64 = np.full(self.n, -1, dtype=np.int64)
        self.merged_size: Bools = np.zeros(self.n, dtype=bool)
        self.merged_perp: Bools = np.zeros(self.n, dtype=bool)

    # ----------------------------------------------------------------- helpers

    def col(self, name: str) -> pd.Series:
        return self.frame[self.header[name]]

    def label(self, name: str) -> str:
        return self.header.get(name, name)

    @property
    def perpendicular_label(self) -> str:
        """The perpendicular diameter's column as the file names it (mm unless only cm)."""
        cm = "perpendicular_cm" in self.header and "perpendicular_mm" not in self.header
        return self.label("perpendicular_cm" if cm else "perpendicular_mm")

    def labels(self, name: str) -> tuple[Int64, list[str]]:
        """Codes (−1 = blank) and distinct stripped labels, in order of appearance.

        Ids usually come in runs (a patient's rows together), so for text columns only
        the first value of each run is hashed; the result is the same as hashing all.
        """
        if name not in self._labels:
            column = self.col(name)
            runs: Int64 | None = None
            if pd.api.types.is_string_dtype(column.dtype) and column.dtype != object:
                changed = column.ne(column.shift()).to_numpy(dtype=bool, na_value=True).copy()
                if changed.size:
                    changed[0] = True
                starts = np.flatnonzero(changed)
                if starts.size * 4 <= self.n:
                    runs = np.cumsum(changed) - 1
                    column = column.iloc[starts]
            codes, uniques = pd.factorize(column)
            texts = _label_texts(uniques)
            distinct: dict[str, int] = {}
            remap = np.empty(len(texts) + 1, dtype=np.int64)
            remap[-1] = -1
            for i, text in enumerate(texts):
                remap[i] = -1 if text == "" else distinct.setdefault(text, len(distinct))
            found = remap[codes]
            self._labels[name] = (found if runs is None else found[runs], list(distinct))
        return self._labels[name]

    def blank(self, name: str) -> Bools:
        column = self.col(name)
        if column.dtype == object or pd.api.types.is_string_dtype(column.dtype):
            return self.labels(name)[0] < 0
        return column.isna().to_numpy(dtype=bool)

    def original(self, name: str, position: int) -> object:
        """A cell as given; a float32 as its own shortest form (23.1, not 23.100000381…)."""
        value = self.col(name).iloc[position]
        if isinstance(value, np.floating) and not isinstance(value, np.float64):
            return float(str(value))
        return value.item() if isinstance(value, np.generic) else value

    def where(self, position: int) -> str:
        pid = int(self.pid[position])
        line = int(self.lines[position])
        return f"row {line}" + (f" (patient {self.patients[pid]})" if pid >= 0 else "")

    def flag(
        self,
        mask: Bools,
        column: str,
        message: str | Callable[[int], str],
        fix: str | Callable[[int], str],
    ) -> None:
        """One problem per row in ``mask``; callables are given the row position."""
        for position in np.flatnonzero(mask):
            i = int(position)
            self.items.append(
                (
                    int(self.lines[i]),
                    int(self.pid[i]),
                    Problem(
                        self.where(i),
                        column,
                        message(i) if callable(message) else message,
                        fix(i) if callable(fix) else fix,
                    ),
                )
            )

    def words(self, name: str) -> tuple[Int64, list[str]]:
        codes, texts = self.labels(name)
        return codes, [re.sub(r"[\s_]+", "-", t.lower()) for t in texts]

    # ----------------------------------------------------------------- columns

    def run(self, *, keep_going: bool) -> Table:
        n = self.n
        if n == 0:
            raise InvalidInput(
                [
                    Problem(
                        "file",
                        "rows",
                        "has a header but no data rows",
                        "add one row per lesion per visit",
                    )
                ]
            )
        self.pid, self.patients = self.labels("patient")
        # Blank lines are not rows (a trailing empty line is common); numbering is kept.
        blank_line = np.ones(n, dtype=bool)
        for name in _REQUIRED:
            blank_line &= self.blank(name)
        if blank_line.any():
            for name in self.header:
                if name not in _REQUIRED:
                    candidates = np.flatnonzero(blank_line)
                    column = self.col(name).iloc[candidates]
                    empty = column.isna().to_numpy(dtype=bool) | (
                        column.astype(str).str.strip() == ""
                    ).to_numpy(dtype=bool)
                    blank_line[candidates[~empty]] = False
        rows = ~blank_line
        ragged = self._ragged()
        self.flag(
            ragged,
            "columns",
            lambda i: (
                f"has {str(self.frame.iloc[i, -1]).removeprefix(_RAGGED)} fields but "
                f"the header has {len(self.frame.columns)}"
            ),
            "put text that contains a comma in double quotes, and write decimals with a "
            "point (12.5, not 12,5)",
        )
        rows &= ~ragged
        for name in _REQUIRED:
            self.flag(
                self.blank(name) & rows, self.label(name), "is empty", f"enter {_MEANING[name]}"
            )

        self.role = role = self._roles(rows)
        self.status = status = self._statuses(rows)
        self.node = self._nodes(rows)
        when, when_ok, self.study_day, self.epoch, self.date_given = self._when(rows)
        self.when = when
        self.sizes = sizes = _Sizes(self, rows)
        self._target_rules(role, status, sizes, rows)
        self._changes(role, status, sizes, rows)

        usable = (
            rows
            & (self.pid >= 0)
            & (self.labels("visit")[0] >= 0)
            & (self.labels("lesion")[0] >= 0)
            & (role >= 0)
            & when_ok
        )
        order = np.flatnonzero(usable)
        if not _sorted(self.pid[order], when[order]):
            order = order[np.lexsort((self.lines[order], when[order], self.pid[order]))]
        day = self._structure(order)

        problems = sorted(self.items, key=lambda item: item[0])
        if problems and not keep_going:
            raise InvalidInput(p for _, _, p in problems)
        bad = np.zeros(len(self.patients) + 1, dtype=bool)
        for _, pid, _ in problems:
            bad[pid] = True  # pid −1 marks the spare last slot: rows without a patient
        counted = rows | ragged
        kept = order[~bad[self.pid[order]]]
        return self._table(kept, day, problems, counted)

    def _ragged(self) -> Bools:
        # By position: two columns may share the last name (a header ending in ",,").
        last = self.frame.iloc[:, -1] if len(self.frame.columns) else None
        if last is None or not (last.dtype == object or pd.api.types.is_string_dtype(last.dtype)):
            return np.zeros(self.n, dtype=bool)
        return last.astype(str).str.startswith(_RAGGED).to_numpy(dtype=bool)

    def _roles(self, rows: Bools) -> Int8:
        codes, words = self.words("role")
        lookup = np.asarray([_ROLE_WORDS.get(w, -2) for w in words] + [-1], dtype=np.int8)
        role = lookup[codes]
        self.flag(
            (role == -2) & rows,
            self.label("role"),
            lambda i: f"{self.original('role', i)!r} is not a role",
            "use target, non-target or new",
        )
        return role

    def _statuses(self, rows: Bools) -> Int8:
        if "status" not in self.header:
            return np.full(self.n, Status.BLANK, dtype=np.int8)
        codes, words = self.words("status")
        lookup = np.asarray([_STATUS_WORDS.get(w, -2) for w in words] + [-1], dtype=np.int8)
        status = lookup[codes]
        self.flag(
            (status == -2) & rows,
            self.label("status"),
            lambda i: f"{self.original('status', i)!r} is not a status",
            "use present, absent, progression or not-assessed (too-small for a target "
            "lesion too small to measure; empty for a measured target)",
        )
        self.bad_status = (status == -2) & rows
        return np.where(status == -2, np.int8(Status.BLANK), status).astype(np.int8)

    def _nodes(self, rows: Bools) -> Bools:
        if "node" not in self.header:
            return np.zeros(self.n, dtype=bool)
        codes, words = self.words("node")
        value = np.asarray([w in _TRUE for w in words] + [False], dtype=bool)
        bad = np.asarray([w not in _TRUE and w not in _FALSE for w in words] + [False], dtype=bool)
        self.flag(
            bad[codes] & rows,
            self.label("node"),
            lambda i: f"{self.original('node', i)!r} is not yes or no",
            "write yes for a lymph node, no (or nothing) otherwise; true/false, y/n and 1/0 "
            "also work",
        )
        return value[codes]

    def _numbers(self, name: str) -> tuple[Floats, Bools]:
        """Floats (NaN = blank or not a number) and the blank mask."""
        column = self.col(name)
        blank = self.blank(name)
        if pd.api.types.is_bool_dtype(column.dtype):
            return np.full(self.n, np.nan), blank
        if pd.api.types.is_integer_dtype(column.dtype) and not column.hasnans:
            return column.to_numpy(dtype=np.float64), blank
        if pd.api.types.is_float_dtype(column.dtype) and getattr(column.dtype, "itemsize", 8) < 8:
            # float32 holds 23.1 as 23.100000381…: read what was typed, its shortest form.
            return np.asarray(column.astype(str).astype("float64"), dtype=np.float64), blank
        if pd.api.types.is_numeric_dtype(column.dtype):
            return column.to_numpy(dtype=np.float64, na_value=np.nan), blank
        text = column.astype("str")
        try:
            # Native string-to-float casting (fast); any bad cell sends us to the slow,
            # forgiving parser, whose NaNs are then reported cell by cell.
            numbers = np.asarray(text.astype("float64"), dtype=np.float64)
        except (ValueError, TypeError):
            coerced = pd.to_numeric(text.where(~blank, ""), errors="coerce")
            numbers = np.asarray(coerced, dtype=np.float64)
        return numbers, blank

    def _when(self, rows: Bools) -> tuple[Int64, Bools, Int64, Int64, Bools]:
        """Each row's day for ordering, whether it is usable, study day, date (epoch days)."""
        n = self.n
        study_day = np.zeros(n, dtype=np.int64)
        day_ok = rows.copy()
        if "day" in self.header:
            numbers, blank = self._numbers("day")
            whole = np.isfinite(numbers) & (np.abs(numbers) < 1e9)
            whole &= np.floor(np.where(whole, numbers, 0)) == np.where(whole, numbers, 0)
            name = self.label("day")
            self.flag(
                blank & rows, name, "is empty", "enter the study day, a whole number such as 56"
            )
            self.flag(
                ~blank & ~whole & rows,
                name,
                lambda i: f"{self.original('day', i)!r} is not a whole number of days",
                "enter the study day as a whole number, e.g. 56 (not a date, not weeks)",
            )
            study_day = np.where(whole, numbers, 0).astype(np.int64)
            day_ok = rows & whole
        epoch = np.zeros(n, dtype=np.int64)
        date_given = np.zeros(n, dtype=bool)
        if "date" in self.header:
            epoch, date_given = self._dates(rows, required="day" not in self.header)
            if "day" not in self.header:
                return epoch, rows & date_given, epoch, epoch, date_given
        return study_day, day_ok, study_day, epoch, date_given

    def _dates(self, rows: Bools, *, required: bool) -> tuple[Int64, Bools]:
        """ISO 8601 dates as days since 1970; a time of day is allowed and dropped."""
        column = self.col("date")
        blank = self.blank("date")
        name = self.label("date")
        if pd.api.types.is_datetime64_any_dtype(column.dtype):
            parsed = column.dt.tz_localize(None) if column.dt.tz is not None else column
            ok = parsed.notna().to_numpy(dtype=bool)
            days = parsed.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
            iso = np.zeros(self.n, dtype=bool)
        else:
            text = column.astype("str").str.strip()
            iso = text.str.fullmatch(r"\d{4}-\d{2}-\d{2}(?:[T ][0-9:.+\-Z]*)?").to_numpy(
                dtype=bool, na_value=False
            )
            parsed = pd.to_datetime(
                text.str.slice(0, 10).where(iso, None), format="%Y-%m-%d", errors="coerce"
            )
            ok = parsed.notna().to_numpy(dtype=bool) & iso
            days = parsed.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        if required:
            self.flag(blank & rows, name, "is empty", "enter the visit date as YYYY-MM-DD")
        self.flag(
            ~blank & ~ok & iso & rows,
            name,
            lambda i: f"{self.original('date', i)!r} is not a day in the calendar",
            "check the day and month (written YYYY-MM-DD, e.g. 2024-02-29)",
        )
        self.flag(
            ~blank & ~ok & ~iso & rows,
            name,
            lambda i: f"{self.original('date', i)!r} is not a date written YYYY-MM-DD",
            "write dates as YYYY-MM-DD, e.g. 2024-03-01 (day/month orders are ambiguous, "
            "and days cannot be counted from a partial date)",
        )
        epoch = np.where(ok, days.astype(np.int64), 0).astype(np.int64)
        return epoch, ok

    def _target_rules(self, role: Int8, status: Int8, sizes: _Sizes, rows: Bools) -> None:
        """A target has a size, or a status saying why not; other lesions have a status."""
        size = sizes.size_label
        stat = self.label("status")
        target = (role == Role.TARGET) & rows
        if not sizes.has_size_column and target.any():
            raise InvalidInput(
                [
                    Problem(
                        _HEADER,
                        "size_mm",
                        "the column is missing, but the table has target lesions",
                        "add a size_mm column with each target lesion's longest diameter (or "
                        "size_cm)",
                    )
                ]
            )
        given = sizes.size_given
        self.flag(
            target & given & np.isin(status, (Status.TOO_SMALL, Status.NOT_ASSESSED)),
            stat,
            lambda i: f"is {Status(int(status[i])).word} but the row has a size",
            "leave the size empty for a lesion too small to measure or not assessed, or "
            "clear the status",
        )
        self.flag(
            target & given & (status == Status.ABSENT) & ~sizes.zero,
            stat,
            "is absent but the size is not 0",
            "enter 0 for a lesion that has disappeared, or clear the status",
        )
        self.flag(
            target & given & (status == Status.PRESENT) & sizes.zero,
            stat,
            "is present but the size is 0 (gone)",
            "enter the lesion's size, or 0 with status absent (or empty) if it has gone",
        )
        self.flag(
            target & ~given & (status == Status.PRESENT),
            size,
            "is empty but the status says the lesion is present",
            "enter its size, or status too-small if it is too small to measure",
        )
        self.flag(
            target & (status == Status.PROGRESSION),
            stat,
            "progression is a status for non-target lesions",
            "enter the target lesion's size: progression is worked out from the sizes",
        )
        self.flag(
            target & sizes.perp_given & ~given & (status != Status.ABSENT),
            size,
            "is empty but a perpendicular diameter is given",
            "enter the longest diameter too, or clear the perpendicular diameter",
        )
        # A target recorded absent without a size has disappeared: 0 mm.
        sizes.set_zero(target & ~given & (status == Status.ABSENT))
        other = (role == Role.NON_TARGET) & rows
        self.flag(
            other & (status == Status.BLANK) & ~self.bad_status,
            stat,
            "is empty for a non-target lesion",
            "enter present, absent, progression or not-assessed",
        )
        self.flag(
            other & (status == Status.TOO_SMALL),
            stat,
            "too-small is for target lesions",
            "write present for a non-target lesion that is still there",
        )

    def _changes(self, role: Int8, status: Int8, sizes: _Sizes, rows: Bools) -> None:
        """Targets that split or merged (RECIST 1.1 section 4.3.2): what each row may hold.

        A fragment is measured (its longest diameter, 0 if it has gone); a merged lesion
        is 0 mm, or empty and then counted as 0 mm, because the lesion it joined is
        measured as one. Which lesion it joined is checked across rows.
        """
        if "fragment" in self.header:
            self.fragment = self.labels("fragment")[0]
        if "merged_into" in self.header:
            self.merged = self.labels("merged_into")[0]
        split = (self.fragment >= 0) & rows
        joined = (self.merged >= 0) & rows
        if not (split.any() or joined.any()):
            return
        target = role == Role.TARGET
        for mask, name in ((split, "fragment"), (joined, "merged_into")):
            self.flag(
                mask & (role >= 0) & ~target,
                self.label(name),
                lambda i: (
                    f"is given for a {Role(int(role[i])).name.lower().replace('_', '-')} lesion"
                ),
                "only target lesions are followed through a split or a merger: clear the cell",
            )
        self.flag(
            split & joined,
            self.label("merged_into"),
            "is given for a fragment",
            "a fragment belongs to the lesion that split: clear merged_into or the fragment",
        )
        both = split & joined
        split &= target & ~both
        joined &= target & ~both
        self.flag(
            split & ~sizes.size_given,
            sizes.size_label,
            "is empty for a fragment",
            "enter the fragment's longest diameter (0 if it has gone); a lesion not assessed "
            "is one row with an empty size and no fragment",
        )
        self.flag(
            split & sizes.perp_given,
            self.perpendicular_label,
            "is given for a fragment",
            "a split lesion is the sum of its fragments' longest diameters (RECIST 1.1 "
            "section 4.3.2): leave the perpendicular diameter empty",
        )
        self.merged_size = joined & sizes.size_given & ~sizes.zero & ~sizes.bad
        self.merged_perp = joined & sizes.perp_given & ~sizes.perp_zero
        self.flag(
            (split | joined) & np.isin(status, (Status.TOO_SMALL, Status.NOT_ASSESSED)),
            self.label("status"),
            lambda i: (
                f"is {Status(int(status[i])).word} but the row is "
                + ("a fragment" if split[i] else "a lesion merged into another")
            ),
            "clear the status, or the fragment / merged_into cell",
        )
        sizes.set_zero(joined & ~sizes.size_given)

    # ----------------------------------------------------------------- across rows

    def _structure(self, order: Int64) -> Int64:
        """Checks across rows, on rows sorted by patient and day; returns days from baseline.

        Every check works on the sorted rows (``k`` = sorted position, row ``order[k]``);
        the details a message needs are looked up for flagged rows only.
        """
        n = self.n
        if order.size == 0:
            return np.zeros(n, dtype=np.int64)
        identity = order.size == n and bool(order[0] == 0 and order[-1] == n - 1)
        identity = identity and bool((np.diff(order) == 1).all())

        def take(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return values if identity else values[order]

        pid = take(self.pid)
        w = take(self.when)
        new_patient = np.empty(order.size, dtype=bool)
        new_patient[0] = True
        np.not_equal(pid[1:], pid[:-1], out=new_patient[1:])
        new_visit = new_patient.copy()
        new_visit[1:] |= w[1:] != w[:-1]
        patient_start = np.flatnonzero(new_patient)
        patient_of = np.cumsum(new_patient) - 1
        base_when = w[patient_start][patient_of]
        day_from_base: Int64 = np.asarray(w - base_when, dtype=np.int64)
        if not identity:
            scattered: Int64 = np.zeros(n, dtype=np.int64)
            scattered[order] = day_from_base
            day_from_base = scattered
        shown = self.study_day if "day" in self.header else None
        epoch = self.epoch

        def day_text(i: int) -> str:
            if shown is not None:
                return f"day {shown[i]}"
            return str(np.datetime64(int(epoch[i]), "D"))

        s = _Sorted(
            order=order,
            pid=pid,
            w=w,
            run=np.cumsum(new_visit) - 1,
            run_start=np.flatnonzero(new_visit),
            patient_start=patient_start,
            patient_of=patient_of,
            at_base=w == base_when,
            visit=take(self.labels("visit")[0]),
            lesion=take(self.labels("lesion")[0]),
            role=take(self.role),
            clash=np.zeros(order.size, dtype=bool),
            fragment=take(self.fragment),
            merged=take(self.merged),
            day_text=day_text,
            day_word="day" if "day" in self.header else "date",
        )
        self._visit_checks(s)
        self._baseline_checks(s, take)
        self._lesion_checks(s, take)
        return day_from_base

    def flag_sorted(
        self,
        s: _Sorted,
        mask: Bools,
        column: str,
        message: str | Callable[[int], str],
        fix: str | Callable[[int], str],
    ) -> None:
        """Like :meth:`flag` for a mask over sorted rows; callables get the sorted position."""
        if not mask.any():
            return
        picked = np.zeros(self.n, dtype=bool)
        picked[s.order[mask]] = True
        position = {int(s.order[k]): int(k) for k in np.flatnonzero(mask)}
        self.flag(
            picked,
            column,
            (lambda i: message(position[i])) if callable(message) else message,
            (lambda i: fix(position[i])) if callable(fix) else fix,
        )

    def _visit_checks(self, s: _Sorted) -> None:
        """One label per visit day, one day per label, dates that agree with days.

        Also each lesion once per visit.
        """
        lines = self.lines
        visits = self.labels("visit")[1]
        lesions = self.labels("lesion")[1]
        order, run, run_start, visit = s.order, s.run, s.run_start, s.visit
        day_text = s.day_text
        # One label per visit day (visits are told apart by their day).
        first_of_run = run_start[run]
        s.clash[:] = visit != visit[first_of_run]
        self.flag_sorted(
            s,
            s.clash,
            self.label("visit"),
            lambda k: (
                f"{day_text(int(order[k]))} is visit {visits[visit[first_of_run[k]]]!r} in row "
                f"{lines[order[first_of_run[k]]]} but {visits[visit[k]]!r} here"
            ),
            "use one label per visit (or correct the day)",
        )
        # One day per visit label: at most one visit (a run of one day) per label.
        codes, size = _groups(
            s.pid[run_start] * (len(visits) + 1) + visit[run_start],
            (int(s.pid.max()) + 1) * (len(visits) + 1),
        )
        first_run = _first_positions(codes, size)[codes]
        moved = (first_run[run] != run) & ~s.clash
        self.flag_sorted(
            s,
            moved,
            self.label(s.day_word),
            lambda k: (
                f"visit {visits[visit[k]]!r} is on "
                f"{day_text(int(order[run_start[first_run[run[k]]]]))} in row "
                f"{lines[order[run_start[first_run[run[k]]]]]} but on {day_text(int(order[k]))} here"
            ),
            "give every row of a visit the same day (or date), or give the visits different labels",
        )
        # Dates and days must agree when both are given.
        if "day" in self.header and "date" in self.header:
            dated = order[self.date_given[order]]
            if dated.size:
                offset = self.study_day[dated] - self.epoch[dated]
                ref = pd.Series(offset).groupby(self.pid[dated]).transform("first").to_numpy()
                differ = np.zeros(self.n, dtype=bool)
                differ[dated] = offset != ref
                self.flag(
                    differ,
                    self.label("date"),
                    "the days between this date and the patient's first dated visit differ "
                    "from the days between their study days",
                    "correct the date or the day so that they agree",
                )
        # Each lesion once per visit (a lesion that split, once per fragment).
        codes, size = _groups(
            run * (len(lesions) + 1) + s.lesion, (int(run[-1]) + 1) * (len(lesions) + 1)
        )
        fragments: list[str] = []
        if (s.fragment >= 0).any():
            self._fragment_checks(s, codes, size)
            fragments = self.labels("fragment")[1]
            pieces = len(fragments) + 1
            codes, size = _groups(codes * pieces + s.fragment + 1, size * pieces)
        first = _first_positions(codes, size)[codes]
        duplicate = (first != np.arange(order.size)) & ~s.clash
        self.flag_sorted(
            s,
            duplicate,
            self.label("lesion"),
            lambda k: (
                (f"fragment {fragments[s.fragment[k]]!r} of " if s.fragment[k] >= 0 else "")
                + f"lesion {lesions[s.lesion[k]]!r} at visit {visits[visit[k]]!r} is "
                f"already given in row {lines[order[first[k]]]}"
            ),
            "delete one of the two rows (or correct the lesion id or the visit)",
        )

    def _fragment_checks(self, s: _Sorted, codes: Int64, size: int) -> None:
        """A split lesion is given in fragments only, and only after baseline.

        ``codes`` group the sorted rows by visit and lesion.
        """
        lesions = self.labels("lesion")[1]
        visits = self.labels("visit")[1]
        piece = s.fragment >= 0
        first = np.full(size, s.order.size, dtype=np.int64)
        np.minimum.at(first, codes[piece], np.flatnonzero(piece))
        split = first[codes] < s.order.size
        self.flag_sorted(
            s,
            ~piece & split & ~s.clash,
            self.label("lesion"),
            lambda k: (
                f"lesion {lesions[s.lesion[k]]!r} at visit {visits[s.visit[k]]!r} is given "
                f"whole here and in fragments from row {self.lines[s.order[first[codes[k]]]]}"
            ),
            "give one row per fragment, or one row for the whole lesion",
        )
        self.flag_sorted(
            s,
            piece & s.at_base & (s.role == Role.TARGET),
            self.label("fragment"),
            "is given at baseline",
            "at baseline each lesion is measured whole under its own id; fragments are for "
            "a target that split at a follow-up",
        )
        # Per split lesion and visit, on its first fragment's row: how many, how large.
        later = piece & ~s.at_base & (s.role == Role.TARGET)
        count = np.bincount(codes[later], minlength=size)
        um = self.sizes.size_um[s.order]
        total = np.bincount(codes[later], weights=np.maximum(um[later], 0), minlength=size)
        head = later & (first[codes] == np.arange(s.order.size))
        self.flag_sorted(
            s,
            head & (count[codes] == 1),
            self.label("fragment"),
            lambda k: f"is the only fragment of lesion {lesions[s.lesion[k]]!r} at this visit",
            "a lesion that split has two fragments or more: give one row with no fragment "
            "otherwise",
        )
        self.flag_sorted(
            s,
            head & (total[codes] >= MAX_UM),
            self.sizes.size_label,
            lambda k: (
                f"the fragments of lesion {lesions[s.lesion[k]]!r} add up to 10 metres or "
                "more: no lesion is that large"
            ),
            "check the fragments' sizes and their unit",
        )

    def _merger_checks(
        self, s: _Sorted, keys: Int64, take: Callable[[npt.NDArray[Any]], npt.NDArray[Any]]
    ) -> None:
        """A merged target is 0 mm and names another of the patient's baseline targets.

        ``keys`` are patient × lesion keys of the sorted rows.
        """
        lesions = self.labels("lesion")[1]
        names = self.labels("merged_into")[1]
        index = {name: i for i, name in enumerate(lesions)}
        named = np.asarray([index.get(name, -1) for name in names] + [-1], dtype=np.int64)
        joined = (s.merged >= 0) & (s.role == Role.TARGET)
        self.flag_sorted(
            s,
            joined & s.at_base,
            self.label("merged_into"),
            "is given at baseline",
            "at baseline each lesion is measured as it is; merged_into is for a target that "
            "coalesced with another at a follow-up",
        )
        later = joined & ~s.at_base
        self.flag_sorted(
            s,
            later & take(self.merged_size),
            self.sizes.size_label,
            "is not 0 for a lesion merged into another",
            "record a merged lesion as 0 (or leave it empty) and measure the lesion it joined "
            "as one (RECIST 1.1 section 4.3.2)",
        )
        self.flag_sorted(
            s,
            later & take(self.merged_perp),
            self.perpendicular_label,
            "is given for a lesion merged into another",
            "leave it empty: the lesion it joined is measured as one",
        )
        other = named[s.merged]
        itself = later & (other == s.lesion)
        self.flag_sorted(
            s,
            itself,
            self.label("merged_into"),
            "names the lesion itself",
            "give the id of the target lesion it merged with",
        )
        base_targets = np.unique(keys[s.at_base & (s.role == Role.TARGET)])
        known = np.isin(s.pid * (len(lesions) + 1) + other, base_targets) & (other >= 0)
        self.flag_sorted(
            s,
            later & ~itself & ~known,
            self.label("merged_into"),
            lambda k: f"{names[s.merged[k]]!r} is not one of the patient's baseline targets",
            "give the id of the target lesion it merged with, as written in the lesion column",
        )
        self._joined(s, later & ~itself & known, other)

    def _joined(self, s: _Sorted, merged: Bools, other: Int64) -> None:
        """The lesion a merged one joined: measured as one, not merged in turn.

        When that lesion was not assessed at the visit, neither was the merged one (its
        0 mm would count as a measurement of disease nobody looked at): it is blanked,
        as engine._joined does.
        """
        rows = np.flatnonzero(merged)
        if rows.size == 0:
            return
        runs = np.isin(s.run, s.run[rows])
        at = {
            (int(r), int(lesion)): int(k)
            for k, r, lesion in zip(
                np.flatnonzero(runs).tolist(),
                s.run[runs].tolist(),
                s.lesion[runs].tolist(),
                strict=True,
            )
        }
        partner = np.full(s.order.size, -1, dtype=np.int64)
        for k in rows.tolist():
            partner[k] = at.get((int(s.run[k]), int(other[k])), -1)
        self.flag_sorted(
            s,
            merged & (partner >= 0) & (s.merged[np.maximum(partner, 0)] >= 0),
            self.label("merged_into"),
            lambda k: (
                f"names {self.labels('lesion')[1][other[k]]}, which is merged into another "
                "lesion too"
            ),
            "name the lesion that was measured as one (the one the others joined)",
        )
        sizes = self.sizes
        for k in rows.tolist():
            j = int(partner[k])
            row = int(s.order[j]) if j >= 0 else -1
            unmeasured = j < 0 or (sizes.size_um[row] < 0 and self.status[row] != Status.TOO_SMALL)
            if unmeasured:
                i = int(s.order[k])
                sizes.size_um[i], sizes.zero[i] = -1, False

    def _baseline_checks(
        self, s: _Sorted, take: Callable[[npt.NDArray[Any]], npt.NDArray[Any]]
    ) -> None:
        """Baseline is each patient's earliest visit; what it must hold."""
        visits = self.labels("visit")[1]
        sizes = self.sizes
        status = take(self.status)
        role, at_base, order, day_text = s.role, s.at_base, s.order, s.day_text
        base_of = s.patient_start[s.patient_of]
        named_baseline = np.asarray(
            [v.strip().lower() == "baseline" for v in visits] + [False], dtype=bool
        )
        self.flag_sorted(
            s,
            named_baseline[s.visit] & ~at_base,
            self.label("visit"),
            lambda k: (
                f"is labelled baseline but {day_text(int(order[k]))} is not the patient's "
                f"earliest visit ({day_text(int(order[base_of[k]]))}, row "
                f"{self.lines[order[base_of[k]]]})"
            ),
            "baseline is the earliest visit: correct the days",
        )
        self.flag_sorted(
            s,
            at_base & (role == Role.NEW),
            self.label("role"),
            "is new at baseline",
            "all disease seen at baseline is baseline disease: record it as target or non-target",
        )
        given = take(sizes.size_given)
        self.flag_sorted(
            s,
            at_base
            & (role == Role.TARGET)
            & ~take(sizes.bad)
            & ((given & take(sizes.zero)) | ~given),
            sizes.size_label,
            lambda k: (
                "a baseline target needs a measured size above 0"
                + (
                    " (it is recorded too small to measure)"
                    if status[k] == Status.TOO_SMALL
                    else ""
                )
            ),
            "enter the baseline size, or record the lesion as non-target",
        )
        self.flag_sorted(
            s,
            at_base & (role == Role.TARGET) & take(sizes.perp_zero) & ~take(sizes.zero),
            self.perpendicular_label,
            "is 0 at baseline: a lesion measured at baseline has two diameters above 0",
            "enter the baseline perpendicular diameter, or leave it empty",
        )
        self.flag_sorted(
            s,
            ~at_base
            & (role == Role.TARGET)
            & take(sizes.perp_zero)
            & take(sizes.size_given)
            & ~take(sizes.zero)
            & ~take(sizes.bad),
            self.perpendicular_label,
            "is 0 but the longest diameter is not: a lesion still there has two diameters "
            "above 0 (a product of 0 would read as gone)",
            "enter the second diameter, or 0 for both if the lesion has gone",
        )
        self.flag_sorted(
            s,
            at_base & (role == Role.NON_TARGET) & (status >= 0) & (status != Status.PRESENT),
            self.label("status"),
            lambda k: f"is {Status(int(status[k])).word} at baseline",
            "non-target lesions are present at baseline: write present",
        )

    def _lesion_checks(
        self, s: _Sorted, take: Callable[[npt.NDArray[Any]], npt.NDArray[Any]]
    ) -> None:
        """A lesion keeps its baseline role (and node flag); the baseline holds disease."""
        lesions = self.labels("lesion")[1]
        role, at_base, order, pid = s.role, s.at_base, s.order, s.pid
        node = take(self.node)
        # A lesion keeps its baseline role; targets and non-targets are fixed at baseline.
        keys = pid * (len(lesions) + 1) + s.lesion
        if (s.merged >= 0).any():
            self._merger_checks(s, keys, take)
        codes, groups = _groups(keys, (int(pid.max()) + 1) * (len(lesions) + 1))
        base_role = np.full(groups, -1, dtype=np.int64)
        base_node = np.zeros(groups, dtype=bool)
        base_role[codes[at_base]] = role[at_base]
        base_node[codes[at_base]] = node[at_base]
        row_base_role = base_role[codes]
        row_base_node = base_node[codes]
        later = ~at_base

        def word(code: int) -> str:
            return Role(int(code)).name.lower().replace("_", "-")

        self.flag_sorted(
            s,
            later & (role != Role.NEW) & (row_base_role < 0),
            self.label("lesion"),
            lambda k: (
                f"lesion {lesions[s.lesion[k]]!r} ({word(role[k])}) is not in the patient's "
                "baseline"
            ),
            "targets and non-targets are fixed at baseline: use the baseline lesion id, or "
            "record new disease with role new",
        )
        self.flag_sorted(
            s,
            later & (row_base_role >= 0) & (role != row_base_role),
            self.label("role"),
            lambda k: (
                f"lesion {lesions[s.lesion[k]]!r} is {word(row_base_role[k])} at baseline but "
                f"{word(role[k])} here"
            ),
            "a lesion keeps its baseline role: record new disease under a new lesion id",
        )
        self.flag_sorted(
            s,
            later
            & (role == Role.TARGET)
            & (row_base_role == Role.TARGET)
            & (node != row_base_node),
            self.label("node"),
            lambda k: (
                f"says {'yes' if node[k] else 'no'} but lesion {lesions[s.lesion[k]]!r} says "
                f"{'yes' if row_base_node[k] else 'no'} at baseline"
            ),
            "a lesion is a lymph node at every visit or at none: make the node cells agree",
        )
        # The baseline must hold disease to follow.
        has_disease = np.zeros(len(self.patients), dtype=bool)
        has_disease[pid[at_base & (role != Role.NEW)]] = True
        lonely = np.zeros(order.size, dtype=bool)
        lonely[s.patient_start] = ~has_disease[pid[s.patient_start]]
        self.flag_sorted(
            s,
            lonely,
            self.label("role"),
            lambda k: (
                f"the baseline (the earliest visit, {s.day_text(int(order[k]))}) has no target "
                "or non-target lesion"
            ),
            "give the baseline visit's target and non-target lesions: there is nothing to "
            "follow otherwise",
        )

    def _table(
        self, kept: Int64, day: Int64, problems: list[tuple[int, int, Problem]], counted: Bools
    ) -> Table:
        kept, splits = self._fold(kept)
        role, status, node, sizes = self.role, self.status, self.node, self.sizes
        study_day, date_given, epoch = self.study_day, self.date_given, self.epoch
        visit, visits = self.labels("visit")
        lesion, lesions = self.labels("lesion")
        if "organ" in self.header:
            organ, organs = self.labels("organ")
        else:
            organ, organs = np.full(self.n, -1, dtype=np.int64), []
        everything = kept.size == self.n and bool((np.diff(kept) == 1).all())

        def take(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
            return values if everything else values[kept]

        pid = take(self.pid)
        data = pd.DataFrame(
            {
                "line": take(self.lines),
                "pid": pid,
                "patient": _categorical(pid, self.patients),
                "visit": _categorical(take(visit), visits),
                "day": take(day),
                "study_day": take(study_day),
                "lesion": _categorical(take(lesion), lesions),
                "role": take(role),
                "size_um": take(sizes.size_um),
                "perp_um": take(sizes.perp_um),
                "exact": take(sizes.exact),
                "size_fine": take(sizes.size_fine),
                "perp_fine": take(sizes.perp_fine),
                "node": take(node),
                "organ": _categorical(take(organ), organs),
                "status": take(status),
            },
            copy=False,
        )
        if "date" in self.header:
            dates = pd.Series(take(epoch).astype("datetime64[D]").astype("datetime64[s]"))
            data["date"] = dates.where(take(date_given))
        by_pid: dict[int, list[Problem]] = {}
        unattributed: list[Problem] = []
        for _, patient, problem in problems:
            (by_pid.setdefault(patient, []) if patient >= 0 else unattributed).append(problem)
        counts = np.bincount(self.pid[counted & (self.pid >= 0)], minlength=len(self.patients))
        excluded = tuple(
            Exclusion(self.patients[pid], int(counts[pid]), tuple(found))
            for pid, found in sorted(by_pid.items())
        )
        kept_lines = set(self.lines[kept].tolist()) if sizes.fractions else set()
        exact_sizes = {k: v for k, v in sizes.fractions.items() if k in kept_lines}
        joined = kept[(self.merged[kept] >= 0) & (role[kept] == Role.TARGET)]
        names = self.labels("merged_into")[1] if joined.size else []
        merges = {int(self.lines[i]): names[self.merged[i]] for i in joined.tolist()}
        return Table(
            data=data,
            input_rows=int(counted.sum()),
            excluded=excluded,
            unattributed=tuple(unattributed),
            unattributed_rows=int((counted & (self.pid < 0)).sum()),
            has_dates="date" in self.header,
            exact_sizes=MappingProxyType(exact_sizes),
            splits=MappingProxyType(splits),
            merges=MappingProxyType(merges),
            folded_rows=sum(len(parts) - 1 for parts in splits.values()),
        )

    def _fold(self, kept: Int64) -> tuple[Int64, dict[int, tuple[Fraction, ...]]]:
        """One row per split lesion and visit: its first fragment's, holding their sum.

        Returns the rows kept and, by the line of each split lesion's row, its fragments'
        sizes in mm (RECIST 1.1 section 4.3.2: the fragments' longest diameters are added).
        """
        rows = kept[self.fragment[kept] >= 0]
        if rows.size == 0:
            return kept, {}
        sizes = self.sizes
        group = (
            pd.DataFrame(
                {
                    "pid": self.pid[rows],
                    "when": self.when[rows],
                    "lesion": self.labels("lesion")[0][rows],
                }
            )
            .groupby(["pid", "when", "lesion"], sort=False)
            .ngroup()
            .to_numpy()
        )
        by_group = np.argsort(group, kind="stable")
        splits: dict[int, tuple[Fraction, ...]] = {}
        folded: list[int] = []
        for members in np.split(rows[by_group], np.flatnonzero(np.diff(group[by_group])) + 1):
            head = int(members[0])
            line = int(self.lines[head])
            parts = tuple(sizes.mm(i, 0) or Fraction(0) for i in members.tolist())
            total = sum(parts, Fraction(0))
            whole = int(sizes.size_um[members].sum())
            if sizes.exact[members].all() and whole < MAX_UM:
                sizes.size_um[head] = whole
            else:
                sizes.exact[head] = False
                sizes.size_um[head] = 0
                sizes.size_fine[head] = sizes.perp_fine[head] = -1
                sizes.fractions[line] = (total, None)
            self.status[head] = Status.BLANK
            splits[line] = parts
            folded.extend(members[1:].tolist())
        return kept[~np.isin(kept, folded)], splits


class _Sizes:
    """Sizes as whole micrometres, with exact fractions for anything finer."""

    def __init__(self, checker: _Checker, rows: Bools) -> None:
        n = checker.n
        self.checker = checker
        self.size_um: Int64 = np.full(n, -1, dtype=np.int64)
        self.perp_um: Int64 = np.full(n, -1, dtype=np.int64)
        self.size_given = np.zeros(n, dtype=bool)
        self.perp_given = np.zeros(n, dtype=bool)
        self.exact = np.ones(n, dtype=bool)
        self.zero = np.zeros(n, dtype=bool)
        self.perp_zero = np.zeros(n, dtype=bool)
        self.bad = np.zeros(n, dtype=bool)
        """Rows with a size cell that could not be read (already reported)."""
        self.fractions: dict[int, tuple[Fraction | None, Fraction | None]] = {}
        """Sizes that no millionth of a mm holds exactly, by line (exotic: read one by one)."""
        self.size_fine: Int64 = np.full(n, -1, dtype=np.int64)
        self.perp_fine: Int64 = np.full(n, -1, dtype=np.int64)
        """Sizes finer than a micrometre, in millionths of a mm (−1: none)."""
        header = checker.header
        self.has_size_column = "size_mm" in header or "size_cm" in header
        self.size_label = checker.label(
            "size_mm" if "size_mm" in header or "size_cm" not in header else "size_cm"
        )
        for name, factor, which in (
            ("size_mm", 1, 0),
            ("size_cm", 10, 0),
            ("perpendicular_mm", 1, 1),
            ("perpendicular_cm", 10, 1),
        ):
            if name in header:
                self._read(name, factor, which, rows)

    def set_zero(self, mask: Bools) -> None:
        self.size_um[mask] = 0
        self.zero[mask] = True
        self.size_given[mask] = True

    def _read(self, name: str, factor: int, which: int, rows: Bools) -> None:
        checker = self.checker
        label = checker.label(name)
        scale = UM_PER_MM * factor
        numbers, blank = checker._numbers(name)
        given = self.size_given if which == 0 else self.perp_given
        checker.flag(
            given & ~blank & rows,
            label,
            "is filled in, but this size is already given in the other unit",
            "give each size once, in mm or in cm (mixed units in one row are ambiguous)",
        )
        usable = rows & ~blank & ~given
        self.bad |= usable & ~(np.isfinite(numbers) & (numbers >= 0))
        checker.flag(
            usable & np.isnan(numbers),
            label,
            lambda i: _not_a_number(checker.original(name, i)),
            lambda i: _number_fix(checker.original(name, i)),
        )
        checker.flag(
            usable & np.isinf(numbers),
            label,
            lambda i: f"is {checker.original(name, i)!r}",
            "enter a finite size, or leave the cell empty if the lesion was not assessed",
        )
        scientific = usable & _exponent(checker.col(name))
        checker.flag(
            scientific & np.isfinite(numbers),
            label,
            lambda i: f"{checker.original(name, i)!r} is not a plain decimal number",
            "write the size with digits and a decimal point only, e.g. 0.5 or 120 "
            "(no exponent, no separators)",
        )
        numbers = np.where(scientific, np.nan, numbers)
        self.bad |= scientific
        finite = np.isfinite(numbers)
        huge = usable & finite & (numbers * factor >= MAX_UM / UM_PER_MM)
        checker.flag(
            huge,
            label,
            lambda i: f"is {checker.original(name, i)}, 10 metres or more: no lesion is that large",
            f"check the unit: this column is in {'mm' if factor == 1 else 'cm'}",
        )
        self.bad |= huge
        finite &= ~huge
        # Below a micrometre no scan measures anything, and a change from such a baseline
        # (1e-24 mm → 22 mm is about 2e25 %) would not fit the batch arithmetic.
        tiny = usable & finite & (numbers > 0) & (numbers * factor < MIN_MM)
        checker.flag(
            tiny,
            label,
            lambda i: f"is {checker.original(name, i)}, above 0 but below {MIN_MM} mm",
            "enter 0 for a lesion that has gone, or check the number and its unit",
        )
        self.bad |= tiny
        finite &= ~tiny
        checker.flag(
            usable & finite & (numbers < 0),
            label,
            lambda i: f"is negative ({checker.original(name, i)})",
            "enter 0 for a lesion that has disappeared, or the measured size",
        )
        good = usable & finite & (numbers >= 0)
        with np.errstate(over="ignore", invalid="ignore"):
            um = np.rint(np.where(good, numbers, 0.0) * scale)
        # A size is whole micrometres exactly when its shortest decimal form has at most
        # 3 decimals (mm) or 4 (cm): then that float divided back gives it again. Text is
        # read to the nearest double first (no size has more than 15 significant digits).
        exact = good & (um < MAX_UM) & (um / scale == numbers)
        target = self.size_um if which == 0 else self.perp_um
        target[exact] = um[exact].astype(np.int64)
        given |= usable  # a bad value is reported as bad, not as missing too
        if which == 0:
            self.zero |= exact & (um == 0)
        else:
            self.perp_zero |= exact & (um == 0)
        rest = good & ~exact
        if rest.any():
            self.exact[rest] = False
            target[rest] = 0
            self._finer(name, factor, which, numbers, rest)

    def _finer(self, name: str, factor: int, which: int, numbers: Floats, rest: Bools) -> None:
        """Sizes finer than a micrometre: whole millionths of a mm, by the same round trip.

        A value no millionth holds at 15 significant digits (more decimals than a scan
        measures) is read as typed (:func:`_exact_mm`), one by one: rare.
        """
        checker = self.checker
        fine_scale = FINE_PER_MM * factor
        with np.errstate(over="ignore", invalid="ignore"):
            fine = np.rint(np.where(rest, numbers, 0.0) * fine_scale)
        # Read at 15 significant digits (measurements.significant), vectorised: a value
        # within half a unit of its 15th digit of a whole millionth is that millionth
        # (22.999999999999996 is 23; 12.300099999999999 is 12.3001).
        with np.errstate(divide="ignore", invalid="ignore"):
            digit = 10.0 ** (np.floor(np.log10(np.where(rest, numbers, 1.0))) - 14)
        held = rest & (np.abs(fine / fine_scale - numbers) < digit / 2)
        fine_target = self.size_fine if which == 0 else self.perp_fine
        fine_target[held] = fine[held].astype(np.int64)
        for position in np.flatnonzero(rest & ~held):
            i = int(position)
            value = _exact_mm(checker.original(name, i), factor)
            if (value * FINE_PER_MM).denominator == 1:  # a float artefact, read at 15 digits
                fine_target[i] = int(value * FINE_PER_MM)
                continue
            line = int(checker.lines[i])
            pair = self.fractions.get(line, (None, None))
            self.fractions[line] = (value, pair[1]) if which == 0 else (pair[0], value)

    def mm(self, i: int, which: int) -> Fraction | None:
        """Row ``i``'s size (``which`` 0) or perpendicular (1), exactly, in mm; None if blank."""
        fine = (self.size_fine if which == 0 else self.perp_fine)[i]
        if fine >= 0:
            return Fraction(int(fine), FINE_PER_MM)
        exotic = self.fractions.get(int(self.checker.lines[i]), (None, None))[which]
        if exotic is not None:
            return exotic
        um = int((self.size_um if which == 0 else self.perp_um)[i])
        return None if um < 0 else Fraction(um, UM_PER_MM)


def _exponent(column: pd.Series) -> Bools:
    """Text cells that are not plain decimals (1e-3, 1.E-5, 1_5): refused, never expanded.

    An exponent such as 1e-99999999 would otherwise become a hundred-million-digit exact
    fraction, and "1_5" would silently be read as 15; no one measures a lesion that way.
    """
    if not (column.dtype == object or pd.api.types.is_string_dtype(column.dtype)):
        return np.zeros(len(column), dtype=bool)
    text = column.astype("str").str.strip()
    plain = text.str.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", na=False)
    found = ~plain & (text != "") & column.notna()
    return np.asarray(found, dtype=bool)


def _exact_mm(value: object, factor: int) -> Fraction:
    """A size exactly as typed, in mm, read at 15 significant digits (:func:`significant`)."""
    if isinstance(value, int):
        return Fraction(value) * factor
    if isinstance(value, float):
        return Fraction(significant(value)) * factor
    return Fraction(significant(Decimal(str(value).strip()))) * factor


_DECIMAL_COMMA: Final = re.compile(r"[+-]?\d*,\d+")
_WITH_UNIT: Final = re.compile(r"[+-]?[\d.,]+\s*(mm|cm|m|µm)", re.IGNORECASE)


def _not_a_number(value: object) -> str:
    text = str(value).strip()
    if _DECIMAL_COMMA.fullmatch(text):
        return f"{text!r} uses a decimal comma"
    if _WITH_UNIT.fullmatch(text):
        return f"{text!r} includes a unit"
    if text.lower() in _MISSING_WORDS:
        return f"{text!r} is not a size"
    return f"{text!r} is not a number"


def _number_fix(value: object) -> str:
    text = str(value).strip()
    if _DECIMAL_COMMA.fullmatch(text):
        return f"write {text.replace(',', '.')} (a decimal point, not a comma)"
    if _WITH_UNIT.fullmatch(text):
        return "enter the number only: the column name gives the unit (size_mm or size_cm)"
    if text.lower() in _MISSING_WORDS:
        return "leave the cell empty if the lesion was not assessed"
    return _NUMBER_FIX


# --------------------------------------------------------------------------- to the engine


def non_target_status(statuses: Iterable[int], expected: int) -> NonTargetStatus:
    """One visit's non-target status from its lesions' rows (RECIST 1.1 section 4.3.3).

    Unequivocal progression of any non-target lesion decides (Table 1, row "Any / PD");
    otherwise a lesion not assessed, or missing (fewer rows than baseline non-target
    lesions), makes them not all evaluated (NE); otherwise any lesion still present gives
    non-CR/non-PD; otherwise all are absent (CR).

    Examples:
        >>> non_target_status([Status.PRESENT, Status.NOT_ASSESSED], 2).value
        'not-assessed'
        >>> non_target_status([Status.ABSENT], 2).value
        'not-assessed'
        >>> non_target_status([Status.NOT_ASSESSED, Status.PROGRESSION], 2).value
        'progression'
        >>> non_target_status([Status.ABSENT, Status.PRESENT], 2).value
        'present'
        >>> non_target_status([Status.ABSENT, Status.ABSENT], 2).value
        'absent'
    """
    seen = list(statuses)
    if Status.PROGRESSION in seen:
        return NonTargetStatus.PROGRESSION
    if sum(s in (Status.PRESENT, Status.ABSENT) for s in seen) < expected:
        return NonTargetStatus.NOT_ASSESSED
    if Status.PRESENT in seen:
        return NonTargetStatus.PRESENT
    return NonTargetStatus.ABSENT


def to_visits(table: Table, patient: str) -> list[Visit]:
    """One patient's rows as :class:`~remission.Visit` values for ``classify_series``.

    Targets are the baseline's target rows; a target without a row at a follow-up was not
    assessed. Sizes are exact: a :class:`~fractions.Fraction` in mm, or ``"too-small"``.

    Examples:
        >>> from remission import examples, classify_series
        >>> table = read_table(examples.load("mixed-cohort"))
        >>> series = classify_series(to_visits(table, "P01"), criteria="recist1.1")
        >>> [a.response.value for a in series.visits]
        ['SD', 'PR', 'PR']
    """
    data = table.data
    mask = (data["patient"] == patient).to_numpy(dtype=bool)
    if not mask.any():
        raise InvalidInput(
            [
                Problem(
                    "table",
                    "patient",
                    f"{patient!r} is not in the table",
                    "use one of its patients",
                )
            ]
        )
    rows = data[mask]
    day = rows["day"].to_numpy(dtype=np.int64).tolist()
    role = rows["role"].to_numpy(dtype=np.int64).tolist()
    status = rows["status"].to_numpy(dtype=np.int64).tolist()
    line = rows["line"].to_numpy(dtype=np.int64).tolist()
    size = rows["size_um"].to_numpy(dtype=np.int64).tolist()
    perp = rows["perp_um"].to_numpy(dtype=np.int64).tolist()
    exact = rows["exact"].to_numpy(dtype=bool).tolist()
    size_fine = rows["size_fine"].to_numpy(dtype=np.int64).tolist()
    perp_fine = rows["perp_fine"].to_numpy(dtype=np.int64).tolist()
    node = rows["node"].to_numpy(dtype=bool).tolist()
    lesion = [str(x) for x in rows["lesion"].tolist()]
    visit = [str(x) for x in rows["visit"].tolist()]
    organ = [None if pd.isna(x) else str(x) for x in rows["organ"].tolist()]
    n_non_target = sum(
        1 for d, r in zip(day, role, strict=True) if d == day[0] and r == Role.NON_TARGET
    )
    visits: list[Visit] = []
    start = 0
    while start < len(day):
        end = start
        while end < len(day) and day[end] == day[start]:
            end += 1
        targets: dict[str, Lesion] = {}
        statuses: list[int] = []
        sites: list[str] = []
        nt_sites: list[str] = []
        new = False
        for i in range(start, end):
            if role[i] == Role.TARGET:
                split = table.splits.get(line[i], ())
                targets[lesion[i]] = Lesion(
                    size_mm=TOO_SMALL
                    if status[i] == Status.TOO_SMALL
                    else None
                    if split
                    else _size_of(table, line[i], size[i], size_fine[i], exact=exact[i], which=0),
                    perpendicular_mm=_size_of(
                        table, line[i], perp[i], perp_fine[i], exact=exact[i], which=1
                    ),
                    node=node[i],
                    organ=organ[i],
                    name=lesion[i],
                    fragments_mm=split,
                    merged_into=table.merges.get(line[i]),
                )
            elif role[i] == Role.NON_TARGET:
                statuses.append(status[i])
                if status[i] in (Status.PRESENT, Status.PROGRESSION) and organ[i]:
                    nt_sites.append(str(organ[i]))
            elif status[i] in NEW_LESION_SEEN:
                new = True
                if organ[i]:
                    sites.append(str(organ[i]))
        non_target: str | None = None
        if n_non_target and start == 0:
            non_target = NonTargetStatus.PRESENT.value
        elif n_non_target:
            non_target = non_target_status(statuses, n_non_target).value
        visits.append(
            Visit(
                day=day[start],
                targets=targets,
                non_target=non_target,
                new_lesions=new,
                label=visit[start],
                new_lesion_sites=tuple(sites),
                non_target_sites=tuple(nt_sites),
            )
        )
        start = end
    return visits


def _size_of(
    table: Table, line: int, um: int, fine: int, *, exact: bool, which: int
) -> Fraction | None:
    """A size exactly, in mm: whole micrometres, millionths of a mm, or an exotic fraction."""
    if not exact and fine >= 0:
        return Fraction(fine, FINE_PER_MM)
    if not exact and line in table.exact_sizes:
        value = table.exact_sizes[line][which]
        if value is not None:
            return value
    return None if um < 0 else Fraction(um, UM_PER_MM)
