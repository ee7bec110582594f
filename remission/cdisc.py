"""CDISC in and out: SDTM TU + TR to the long table, and RS / ADaM ADRS from the results.

Reading follows the CDISC SDTM Implementation Guide (TU, TR and RS domains) and its
RECIST 1.1 supplement:

* ``TU`` identifies each lesion (``TULNKID``) as ``TARGET``, ``NON-TARGET`` or ``NEW``
  (``TUSTRESC``, else ``TUORRES``) at a location (``TULOC``).
* ``TR`` holds the results, linked by ``TRLNKID``: ``LDIAM`` (longest diameter); for a
  lymph node its short axis, ``SHORTAX`` or else ``LPERP`` (RECIST measures nodes by the
  short axis; the supplement uses LPERP for node targets), the long axis then being
  WHO's perpendicular; ``LPERP`` beside ``LDIAM`` for any other lesion (the perpendicular
  diameter WHO multiplies by); ``DIAMETER`` when no axis is recorded; and ``TUMSTATE`` /
  ``LNSTATE`` (the state of a non-target or new lesion; ``EQUIVOCAL`` is not yet
  progression, RECIST 1.1 section 4.3.5: no new lesion, a non-target present, until a
  later scan confirms the new lesion, dated back to its first scan; beside a
  target node's short axis, ``LNSTATE`` only says it is a node: the axis counts). Sizes
  come from ``TRSTRESN`` (at 15 significant digits) in ``TRSTRESU`` (mm or cm, converted
  exactly); ``TRORRES`` or ``TRSTRESC = "TOO SMALL TO MEASURE"`` is recorded as too small
  (the criteria then give its size: 5 mm in RECIST 1.1), ``TRSTAT = "NOT DONE"`` as not
  assessed. Other tests (``SUMDIAM``…) are ignored: remission computes sums itself. Two
  different results for one lesion, test and visit, and a TU target with no size in TR,
  are problems.
* Days: ``TRDTC`` dates when every visit has one (a visit's earliest; a month without a
  day gets the first of the month, said in ``notes``), else ``TRDY`` study days (a
  subject without them is counted from its first date); a visit with neither whose every
  result is ``NOT DONE`` had no scan and is left out, with a note. SDTM has no
  day 0 (day 1 is the first dose, day −1 the day before), so study days are turned into
  elapsed days before counting (day 1 → 0, day −1 → −1): otherwise every interval across
  the first dose would be one day too long.
* New lesions (``TUSTRESC = NEW``) are read from their TR records (a ``TUMSTATE`` or a
  measurement) at the visits where TR has them; one that TU identifies and TR never
  assesses counts as found at its TU visit (``VISITNUM``, else ``VISIT``), with a note.
  Two TU records identifying one lesion differently are a problem. A target that split
  is measured by its fragments: their links, grouped with it by ``TUGRPID``, become its
  ``fragment`` rows (RECIST 1.1 section 4.3.2).
* A visit is its ``VISITNUM`` (else its ``VISIT``): ``VISIT`` only labels it, and
  unscheduled visits often share one (they are then told apart as "UNSCHEDULED
  (VISITNUM 2.1)" in the long table; RS and ADRS keep the SDTM values). One reader's
  series is read: with several evaluators (``TREVAL``/``TREVALID``), the accepted
  records (``TRACPTFL = Y``; a note says when they take different readers at different
  visits) or the evaluator chosen; several evaluators with neither are refused.

Writing: ``RS`` records (``OVRLRESP``, ``TRGRESP``, ``NTRGRESP`` with ``RSSTRESC`` in
CDISC codes) and ``ADRS`` parameters ``OVR`` (per visit), ``BOR`` and ``CBOR`` (best
overall response without and with confirmation), with ``AVAL`` as admiralonco's
``aval_resp()`` maps them (CR 1, PR 2, SD 3, NON-CR/NON-PD 4, PD 5, NE 6, MISSING 7).
:func:`audit` recomputes every recorded ``OVRLRESP`` and lists the visits that differ with
remission's explanation. ``.xpt`` files are read with :func:`pandas.read_sas` (SAS XPORT).

Examples:
    >>> import pandas as pd
    >>> tu = pd.DataFrame({"USUBJID": ["S1", "S1"], "TULNKID": ["T01", "NT01"],
    ...                    "TUSTRESC": ["TARGET", "NON-TARGET"], "TULOC": ["LIVER", "BONE"]})
    >>> tr = pd.DataFrame({
    ...     "USUBJID": ["S1"] * 4, "TRLNKID": ["T01", "NT01", "T01", "NT01"],
    ...     "TRTESTCD": ["LDIAM", "TUMSTATE", "LDIAM", "TUMSTATE"],
    ...     "TRORRES": ["33", "PRESENT", "23.1", "PRESENT"],
    ...     "TRSTRESN": [33.0, None, 23.1, None], "TRSTRESU": ["mm", "", "mm", ""],
    ...     "VISIT": ["SCREENING", "SCREENING", "WEEK 6", "WEEK 6"],
    ...     "VISITNUM": [1, 1, 2, 2], "TRDY": [-3, -3, 40, 40]})
    >>> study = read_sdtm(tu, tr)
    >>> rs = to_rs(study, criteria="recist1.1", studyid="DEMO")
    >>> rs[["VISIT", "RSTESTCD", "RSSTRESC", "RSDY"]].values.tolist()
    [['WEEK 6', 'TRGRESP', 'PR', 40], ['WEEK 6', 'NTRGRESP', 'NON-CR/NON-PD', 40], ['WEEK 6', 'OVRLRESP', 'PR', 40]]
"""

from __future__ import annotations

import io
import os
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import MappingProxyType
from typing import Final, NoReturn

import numpy as np
import pandas as pd

from remission import __version__
from remission.criteria import Criteria, get_criteria
from remission.errors import InvalidInput, Problem
from remission.frame import best_response_frame, classify_frame
from remission.table import COLUMNS, Exclusion, Table, read_table

__all__ = [
    "AVAL",
    "SdtmStudy",
    "audit",
    "read_domain",
    "read_sdtm",
    "to_adrs",
    "to_rs",
]

Domain = pd.DataFrame | str | os.PathLike[str] | bytes
"""A dataset, a path to a .csv or .xpt file, or a file's bytes (an upload, standard input)."""
"""A domain: a DataFrame, or the path of a ``.csv`` or ``.xpt`` file."""

AVAL: Final = MappingProxyType(
    {"CR": 1, "PR": 2, "SD": 3, "NON-CR/NON-PD": 4, "PD": 5, "NE": 6, "MISSING": 7}
)
"""AVAL for each AVALC, as admiralonco's ``aval_resp()`` (pharmaverse) maps them."""

_SIZE_TESTS: Final = ("LDIAM", "DIAMETER", "SHORTAX", "LPERP")
"""Size tests; ``DIAMETER`` (the diameter as assessed) is used when none of the others is
recorded for the lesion at that visit."""
_STATE_TESTS: Final = ("TUMSTATE", "LNSTATE")
_STATES: Final = MappingProxyType(
    {
        "PRESENT": "present",
        "PATHOLOGICAL": "present",
        "ABSENT": "absent",
        "NON-PATHOLOGICAL": "absent",
        "NORMAL": "absent",
        "UNEQUIVOCAL PROGRESSION": "progression",
        "UNEQUIVOCAL": "progression",
        "PROGRESSION": "progression",
        "NOT EVALUABLE": "not-assessed",
        "NOT ASSESSED": "not-assessed",
        "NE": "not-assessed",
        "NOT DONE": "not-assessed",
    }
)
"""TUMSTATE / LNSTATE results (CDISC RECIST 1.1 supplement) as long-table statuses."""
_ROLES: Final = MappingProxyType(
    {"TARGET": "target", "NON-TARGET": "non-target", "NON TARGET": "non-target", "NEW": "new"}
)
_RS_TESTS: Final = (
    ("TRGRESP", "Target Response", "target_response"),
    ("NTRGRESP", "Non-target Response", "non_target_response"),
    ("OVRLRESP", "Overall Response", "response"),
)


# --------------------------------------------------------------------------- reading


def read_domain(source: Domain, name: str) -> tuple[pd.DataFrame, np.ndarray]:
    """One SDTM domain with upper-case column names, and each record's row in its file.

    CSV rows are numbered as a spreadsheet shows them (header = row 1); XPORT records and
    DataFrame rows as their position + 2, the same way.

    Raises:
        InvalidInput: the file cannot be read.
    """
    if isinstance(source, pd.DataFrame):
        frame = source
    else:
        path = Path("-" if isinstance(source, bytes) else source)
        try:
            if isinstance(source, bytes) and source.startswith(_XPORT_HEADER):
                frame = _read_xpt(io.BytesIO(source))
            elif path.suffix.lower() == ".xpt":
                frame = _read_xpt(path)
            else:
                raw = source if isinstance(source, bytes) else path.read_bytes()
                text = raw.decode("utf-8-sig")
                frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        except (OSError, UnicodeDecodeError, ValueError, pd.errors.ParserError) as error:
            raise InvalidInput(
                [
                    Problem(
                        f"{name} file {str(path)!r}"
                        if not isinstance(source, bytes)
                        else f"{name} file",
                        "file",
                        f"cannot be read ({type(error).__name__}: {error})",
                        "give an SDTM dataset as .csv (UTF-8) or .xpt (SAS transport)",
                    )
                ]
            ) from None
    frame = frame.rename(columns={c: str(c).strip().upper() for c in frame.columns})
    return frame, np.arange(2, len(frame) + 2)


def read_domains(*sources: tuple[Domain, str]) -> list[tuple[pd.DataFrame, np.ndarray]]:
    """:func:`read_domain` of each ``(source, name)``, or every unreadable file at once."""
    read: list[tuple[pd.DataFrame, np.ndarray]] = []
    problems: list[Problem] = []
    for source, name in sources:
        try:
            read.append(read_domain(source, name))
        except InvalidInput as error:
            problems.extend(error.problems)
    if problems:
        raise InvalidInput(problems)
    return read


_IBM_ZERO_MISREAD: Final = 16.0**-65
"""What :func:`pandas.read_sas` returns for an IBM float zero (pandas-dev/pandas#50670)."""


_XPORT_HEADER: Final = b"HEADER RECORD*******LIB"
"""How a SAS transport file begins (versions 5 and 8), to tell it from CSV in memory."""


def _read_xpt(path: Path | io.BytesIO) -> pd.DataFrame:
    """:func:`_read_xport`; a damaged file (pandas then fails in many ways) as ValueError."""
    try:
        return _read_xport(path)
    except (OSError, ValueError):
        raise
    except Exception as failure:
        raise ValueError(f"not a readable SAS transport file ({type(failure).__name__})") from None


def _read_xport(path: Path | io.BytesIO) -> pd.DataFrame:
    """SAS transport: version 5 (the FDA's format) with pandas; version 8 needs pyreadstat.

    XPORT stores numbers as IBM floating point. They are read back at 15 significant
    digits, the decimal precision a double always round-trips, so that a TRSTRESN of 23.1
    is 23.1 again and not one binary step off (which could move an exact threshold);
    and the all-zero IBM value, which pandas reads as 16⁻⁶⁵ (pandas-dev/pandas#50670), is 0.
    """
    try:
        frame = pd.read_sas(path, format="xport", encoding="utf-8")
    except ValueError as error:
        if "not an XPORT file" not in str(error):
            raise
        if isinstance(path, io.BytesIO):
            raise ValueError(
                "not a SAS transport version 5 file (export as XPORT version 5, the format "
                "the FDA asks for)"
            ) from None
        try:
            import pyreadstat  # noqa: PLC0415 - optional: only for XPORT version 8
        except ImportError:
            raise ValueError(
                "not a SAS transport version 5 file (version 8 needs pyreadstat installed; "
                "or export as XPORT version 5, the format the FDA asks for)"
            ) from None
        try:
            frame, _ = pyreadstat.read_xport(str(path))
        except Exception as failure:
            raise ValueError(f"not a SAS transport file ({failure})") from None
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_float_dtype(column.dtype):
            values = column.to_numpy(dtype=np.float64, na_value=np.nan)
            values = np.where(values == _IBM_ZERO_MISREAD, 0.0, values)
            frame[name] = [float(f"{v:.15g}") for v in values.tolist()]
    return frame


def _text(frame: pd.DataFrame, column: str) -> list[str]:
    """A column as stripped text ('' when missing); XPORT numbers come back as floats."""
    if column not in frame.columns:
        return [""] * len(frame)
    return ["" if _missing(v) else _plain(v) for v in frame[column].tolist()]


def _either(first: list[str], second: list[str]) -> list[str]:
    """``first`` where it is filled in, else ``second`` (e.g. TUSTRESC, else TUORRES)."""
    return [a or b for a, b in zip(first, second, strict=True)]


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA


def _plain(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _require(frame: pd.DataFrame, name: str, columns: Sequence[Sequence[str]]) -> list[Problem]:
    problems = []
    for choices in columns:
        if not any(c in frame.columns for c in choices):
            problems.append(
                Problem(
                    f"{name} header",
                    " or ".join(choices),
                    "the column is missing",
                    f"add the SDTM variable {choices[0]} (columns found: "
                    f"{', '.join(map(str, frame.columns)) or 'none'})",
                )
            )
    return problems


@dataclass(frozen=True)
class SdtmStudy:
    """TU + TR read into the long measurement table, with what RS and ADRS need back.

    ``long`` is the long table (``patient`` = USUBJID, ``visit`` = VISIT, ``lesion`` =
    TRLNKID); ``visits`` has one row per subject visit with ``STUDYID``, ``VISITNUM``,
    the study day as recorded (``DY``), the date as recorded (``DTC``, perhaps partial)
    and as used (``DATE``, with ``DATEF = "D"`` when its day was imputed); ``sources``
    gives, for each long-table row (numbered as :mod:`remission.table` numbers them), the
    TR rows it came from, so that problems name TR rows; ``notes`` says what was imputed,
    and ``excluded`` which subjects were left out and why (with ``keep_going``).
    """

    long: pd.DataFrame
    visits: pd.DataFrame
    sources: Mapping[int, tuple[int, ...]]
    notes: tuple[str, ...] = ()
    excluded: tuple[Exclusion, ...] = ()
    table: Table | None = field(default=None, repr=False, compare=False)
    unmeasured: tuple[str, ...] = ()
    """Subjects in TU with no TR result at all: no response (ADRS gives them MISSING)."""
    """``long`` as checked by :func:`remission.table.read_table` (kept, not checked again)."""


def read_sdtm(
    tu: Domain, tr: Domain, *, evaluator: str | None = None, keep_going: bool = False
) -> SdtmStudy:
    """Read SDTM TU and TR into the long table, reporting every problem at once.

    When several evaluators read the same scans (``TREVAL`` / ``TREVALID``: the
    investigator, radiologist 1, radiologist 2…), one series is read: the records
    accepted by adjudication (``TRACPTFL = Y``), or, with ``evaluator`` (matched against
    ``TREVAL``, ``TREVALID`` or both as "TREVAL / TREVALID"), that evaluator's own
    records from baseline on (each reader against their own baseline). Mixing readers
    silently would compare one reader's sums with another's baseline, so several
    evaluators with neither is refused. Records that name no evaluator are read with
    whichever evaluator's records are read.

    With ``keep_going``, a subject with problems is left out (listed in ``excluded``
    with every problem) and the others are read; a problem with the files themselves
    (a missing variable, an unknown evaluator) still stops the reading.

    Raises:
        InvalidInput: every problem, each naming the TU or TR row, the variable and the fix.
    """
    (tu_frame, tu_rows), (tr_frame, tr_rows) = read_domains((tu, "TU"), (tr, "TR"))
    problems = _require(tu_frame, "TU", [["USUBJID"], ["TULNKID"], ["TUSTRESC", "TUORRES"]])
    problems += _require(
        tr_frame,
        "TR",
        [["USUBJID"], ["TRLNKID"], ["TRTESTCD"], ["VISIT", "VISITNUM"], ["TRDTC", "TRDY"]],
    )
    if problems:
        raise InvalidInput(problems)
    tu_frame, tu_rows = _reader(tu_frame, tu_rows, "TU", evaluator, required=False)
    every_tr = tr_frame
    tr_frame, tr_rows = _reader(tr_frame, tr_rows, "TR", evaluator, required=True)
    tu_frame, tu_rows = _other_readers_left_out(tu_frame, tu_rows, every_tr, tr_frame)

    mixed = _mixed_readers(tr_frame, tr_rows) if evaluator is None else []
    lesions = _lesions(tu_frame, tu_rows, problems)

    records, visit_info = _fold_results(tr_frame, tr_rows, lesions, problems)
    problems += _unmeasured_targets(tu_frame, tu_rows, records)
    found_in_tu, tu_problems = _new_in_tu_only(tu_frame, tu_rows, records, visit_info)
    problems += tu_problems
    notes, order_problems = _date_visits(visit_info)
    not_done, undated = _undated(records, visit_info)
    split, split_problems = _join_fragments(records, visit_info, _groups(tu_frame))
    notes += not_done + split
    order_problems += undated + split_problems
    notes += _confirm_equivocal(records, visit_info)
    notes = mixed + found_in_tu + notes
    unmeasured = sorted(set(_text(tu_frame, "USUBJID")) - set(_text(tr_frame, "USUBJID")) - {""})
    notes += [
        f"USUBJID {subject}: in TU, but TR has no result for it: no response can be given "
        "(ADRS: BOR and CBOR MISSING)"
        for subject in unmeasured
    ]
    found = _by_subject(problems + order_problems)
    tr_rows_of = Counter(_text(tr_frame, "USUBJID"))
    excluded = _leave_out(found, tr_rows_of, records, visit_info)
    if excluded and not records:
        raise InvalidInput([p for e in excluded for p in e.problems])
    long, sources = _long(records, visit_info)
    # The long table's own checks (dates, sizes, visit order) for the other subjects,
    # told by TR row; a subject with problems above is not checked again (its lesions
    # could then look missing, which would only be an echo of those problems).
    table = read_table(long, keep_going=True)
    if table.excluded:
        more = {e.patient: [_to_tr(p, sources) for p in e.problems] for e in table.excluded}
        excluded += _leave_out(more, tr_rows_of, records, visit_info)
        long, sources = _long(records, visit_info)
    if excluded and (not keep_going or not records):
        raise InvalidInput([p for e in excluded for p in e.problems])
    if table.excluded:  # rare: check what is left once more, so that rows match again
        table = read_table(long)
    left_out = {e.patient for e in excluded}
    notes = [note for note in notes if _noted_subject(note) not in left_out]
    visits = pd.DataFrame(
        [{"USUBJID": s, "LABEL": v, **info} for (s, v), info in visit_info.items()],
        columns=["USUBJID", "VISIT", "LABEL", "STUDYID", "VISITNUM", "DY", "DTC", "DATE", "DATEF"],
    )
    return SdtmStudy(
        long,
        visits,
        MappingProxyType(sources),
        tuple(notes),
        excluded,
        table,
        tuple(unmeasured),
    )


_NOTED: Final = re.compile(r"USUBJID (?P<subject>.+?)[:,] ")


def _noted_subject(note: str) -> str:
    """The subject a note is about ('' for none): notes start "USUBJID S1: …"."""
    found = _NOTED.match(note)
    return found["subject"] if found else ""


def _other_readers_left_out(
    tu: pd.DataFrame, tu_rows: np.ndarray, every_tr: pd.DataFrame, tr: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray]:
    """TU without the lesions that only readers not read assess in TR.

    With several readers, TU often holds each reader's lesions ("R1-T01", "R2-T01")
    without ``TUACPTFL``; once one reader's TR records are chosen (or the accepted ones),
    the others' lesions are not this series' lesions: not unmeasured targets, and not new
    lesions to count.
    """
    if len(every_tr) == len(tr):
        return tu, tu_rows
    read = set(zip(_text(tr, "USUBJID"), _text(tr, "TRLNKID"), strict=True))
    others = set(zip(_text(every_tr, "USUBJID"), _text(every_tr, "TRLNKID"), strict=True)) - read
    if not others:
        return tu, tu_rows
    keep = np.asarray(
        [
            pair not in others
            for pair in zip(_text(tu, "USUBJID"), _text(tu, "TULNKID"), strict=True)
        ],
        dtype=bool,
    )
    return tu[keep], tu_rows[keep]


def _fold_results(
    tr_frame: pd.DataFrame,
    tr_rows: np.ndarray,
    lesions: Mapping[tuple[str, str], tuple[str, str] | None],
    problems: list[Problem],
) -> tuple[dict[tuple[str, str, str], dict[str, object]], dict[tuple[str, str], dict[str, str]]]:
    """TR's results folded into one record per subject, visit and lesion.

    Also what each visit needs for RS (study, VISITNUM, day, date); problems are added
    to ``problems``.
    """
    subject = _text(tr_frame, "USUBJID")
    link = _text(tr_frame, "TRLNKID")
    test = [t.upper() for t in _text(tr_frame, "TRTESTCD")]
    visitnum = _text(tr_frame, "VISITNUM")
    text = [v or f"VISITNUM {n}" for v, n in zip(_text(tr_frame, "VISIT"), visitnum, strict=True)]
    # VISITNUM identifies a visit; VISIT only labels it (unscheduled visits share one).
    visit = [f"VISITNUM {n}" if n else v for v, n in zip(text, visitnum, strict=True)]
    dtc = [d[:10] for d in _text(tr_frame, "TRDTC")]
    dy = _text(tr_frame, "TRDY")
    studyid = _text(tr_frame, "STUDYID")
    results = _Results(tr_frame)
    records: dict[tuple[str, str, str], dict[str, object]] = {}
    visit_info: dict[tuple[str, str], dict[str, str]] = {}
    for i, code in enumerate(test):
        if code not in _SIZE_TESTS and code not in _STATE_TESTS:
            continue
        row = int(tr_rows[i])
        key = (subject[i], visit[i], link[i])
        where = f"TR row {row} (USUBJID {key[0]})"
        if (key[0], key[2]) in lesions and lesions[(key[0], key[2])] is None:
            continue
        lesion = lesions.get((key[0], key[2]))
        if lesion is None:
            problems.append(
                Problem(
                    where,
                    "TRLNKID",
                    f"{key[2]!r} has no TU record for this subject",
                    "add the lesion to TU (TULNKID) or correct TRLNKID",
                )
            )
            continue
        info = visit_info.setdefault(
            (key[0], key[1]),
            {"STUDYID": "", "VISIT": text[i], "VISITNUM": visitnum[i], "DY": "", "DTC": ""},
        )
        info["STUDYID"] = info["STUDYID"] or studyid[i]
        info["DY"] = _earlier_day(info["DY"], dy[i])
        info["DTC"] = _earlier(info["DTC"], dtc[i])
        record = records.setdefault(key, {"rows": [], "role": lesion[0], "organ": lesion[1]})
        rows = record["rows"]
        assert isinstance(rows, list)  # noqa: S101 - narrowed for mypy
        rows.append(row)
        problems += results.fold(record, i, code, where)
    return _labelled(records, visit_info)


def _labelled(
    records: Mapping[tuple[str, str, str], dict[str, object]],
    visit_info: Mapping[tuple[str, str], dict[str, str]],
) -> tuple[dict[tuple[str, str, str], dict[str, object]], dict[tuple[str, str], dict[str, str]]]:
    """Name each visit by its VISIT, adding the VISITNUM where two visits share a VISIT."""
    shared = Counter((subject, info["VISIT"]) for (subject, _), info in visit_info.items())
    label = {
        key: info["VISIT"]
        if shared[(key[0], info["VISIT"])] == 1 or key[1] == info["VISIT"]
        else f"{info['VISIT']} ({key[1]})"
        for key, info in visit_info.items()
    }
    return (
        {(s, label[(s, v)], link): record for (s, v, link), record in records.items()},
        {(s, label[(s, v)]): info for (s, v), info in visit_info.items()},
    )


def _earlier_day(known: str, other: str) -> str:
    """A visit's study day: that of its earliest scan (as the date is), whatever the order."""
    try:
        return other if not known or float(other) < float(known) else known
    except ValueError:
        return known or other


def _unmeasured_targets(
    tu: pd.DataFrame, rows: np.ndarray, records: Mapping[tuple[str, str, str], object]
) -> list[Problem]:
    """Each TU target with no result in TR, for the subjects TR has.

    Its sum would otherwise silently leave it out (for example, results recorded under a
    test code remission does not read).
    """
    measured = {(subject, link) for subject, _, link in records}
    subjects = {subject for subject, _, _ in records}
    role = _either(_text(tu, "TUSTRESC"), _text(tu, "TUORRES"))
    return [
        Problem(
            f"TU row {row} (USUBJID {subject})",
            "TULNKID",
            f"target lesion {link!r} has no size in TR (LDIAM, DIAMETER, SHORTAX or LPERP)",
            "add its TR results, or correct TULNKID / TRLNKID so that they match",
        )
        for subject, link, word, row in zip(
            _text(tu, "USUBJID"), _text(tu, "TULNKID"), role, rows.tolist(), strict=True
        )
        if word.upper() == "TARGET" and subject in subjects and (subject, link) not in measured
    ]


def _new_in_tu_only(
    tu: pd.DataFrame,
    rows: np.ndarray,
    records: dict[tuple[str, str, str], dict[str, object]],
    visit_info: Mapping[tuple[str, str], Mapping[str, str]],
) -> tuple[list[str], list[Problem]]:
    """NEW lesions that TU identifies and TR never assesses, for the subjects TR has.

    A TU record of a new lesion says it was found at its visit (SDTMIG TU: the visit of
    identification), which is progression (RECIST 1.1 section 4.3.5); left out, it would
    be missed. It is counted as present at that visit, matched by VISITNUM (else VISIT),
    and a note says so; with no such visit in TR it is a problem.
    """
    seen = {(subject, link) for subject, _, link in records}
    subjects = {subject for subject, _, _ in records}
    # By VISITNUM when TU gives one; else by VISIT, when only one visit has that name.
    visits: dict[tuple[str, str], str] = {}
    named: Counter[tuple[str, str]] = Counter()
    for (subject, label), info in visit_info.items():
        visits[(subject, f"#{_number(info['VISITNUM'])}")] = label
        visits[(subject, info["VISIT"].strip().upper())] = label
        named[(subject, info["VISIT"].strip().upper())] += 1
    notes: list[str] = []
    problems: list[Problem] = []
    for subject, link, word, location, number, visit, row in zip(
        _text(tu, "USUBJID"),
        _text(tu, "TULNKID"),
        _either(_text(tu, "TUSTRESC"), _text(tu, "TUORRES")),
        _text(tu, "TULOC"),
        _text(tu, "VISITNUM"),
        _text(tu, "VISIT"),
        rows.tolist(),
        strict=True,
    ):
        if word.upper() != "NEW" or subject not in subjects or (subject, link) in seen:
            continue
        text = (subject, visit.strip().upper())
        if number:
            at = visits.get((subject, f"#{_number(number)}"))
        else:
            at = visits.get(text) if named[text] == 1 else None
        if at is None:
            problems.append(
                Problem(
                    f"TU row {row} (USUBJID {subject})",
                    "TULNKID",
                    f"new lesion {link!r} has no TR result, and its VISIT/VISITNUM names no "
                    "visit in TR",
                    "add its TUMSTATE result to TR at the visit it was found, or give its TU "
                    "record that visit's VISITNUM",
                )
            )
            continue
        records[(subject, at, link)] = {
            "rows": [],
            "role": "new",
            "organ": location,
            "status": "present",
        }
        seen.add((subject, link))
        notes.append(
            f"USUBJID {subject}, {at}: new lesion {link!r} is in TU (row {row}) but has no "
            "TR result; it is counted as found at that visit (RECIST 1.1 section 4.3.5)"
        )
    return notes, problems


_SUBJECT: Final = re.compile(r"\(USUBJID (?P<subject>.*)\)$")


def _by_subject(problems: Sequence[Problem]) -> dict[str, list[Problem]]:
    """Problems grouped by the subject their place names ('' for none)."""
    found: dict[str, list[Problem]] = {}
    for problem in problems:
        named = _SUBJECT.search(problem.where)
        found.setdefault(named["subject"] if named else "", []).append(problem)
    return found


def _leave_out(
    found: Mapping[str, list[Problem]],
    tr_rows_of: Mapping[str, int],
    records: dict[tuple[str, str, str], dict[str, object]],
    visit_info: dict[tuple[str, str], dict[str, str]],
) -> tuple[Exclusion, ...]:
    """Drop the subjects with problems from what is read; say who, how many rows, why."""
    for record in [k for k in records if k[0] in found]:
        del records[record]
    for visit in [k for k in visit_info if k[0] in found]:
        del visit_info[visit]
    return tuple(
        Exclusion(subject or "(no USUBJID)", tr_rows_of.get(subject, 0), tuple(problems))
        for subject, problems in found.items()
    )


_FULL_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
_YEAR_MONTH: Final = re.compile(r"(\d{4})-(\d{2})")


def _earlier(known: str, other: str) -> str:
    """A visit's date: the earliest full date of its records, else the first partial one.

    Scans of one visit can span days; the assessment is dated by the first.
    """
    if not known:
        return other
    if _FULL_DATE.fullmatch(other) and (not _FULL_DATE.fullmatch(known) or other < known):
        return other
    return known


def _date_visits(
    visit_info: Mapping[tuple[str, str], dict[str, str]],
) -> tuple[list[str], list[Problem]]:
    """Give each visit a full ``DATE`` and check that dates follow ``VISITNUM``.

    SDTM allows partial dates ("2014-02"); days between visits need a day. The first of
    the month is used (admiral's ``date_imputation = "first"``), moved to the day after
    the subject's previous visit when that is later, so that visits keep their order
    (by ``VISITNUM``). ``DATEF`` is ``"D"`` for an imputed day (ADaM's ``ADTF``), and a
    note says what was done. Other partial dates are left for the table's own check.

    A visit dated (or, without dates, given a study day) before a visit with a lower
    ``VISITNUM`` is a problem: the long table would silently take the earliest visit as
    the baseline.
    """
    notes: list[str] = []
    problems: list[Problem] = []
    by_subject: dict[str, list[tuple[float, str]]] = {}
    for (subject, visit), info in visit_info.items():
        info["DATE"], info["DATEF"] = info["DTC"], ""
        by_subject.setdefault(subject, []).append((_visit_order(info["VISITNUM"]), visit))
    for subject, visits in by_subject.items():
        previous = ""
        for _, visit in sorted(visits, key=lambda item: item[0]):
            info = visit_info[(subject, visit)]
            month = _YEAR_MONTH.fullmatch(info["DTC"])
            if month:
                first = f"{month[1]}-{month[2]}-01"
                day_after = _next_day(previous) if previous else ""
                chosen = max(first, day_after) if day_after[:7] == first[:7] else first
                info["DATE"], info["DATEF"] = chosen, "D"
                notes.append(
                    f"USUBJID {subject}, {visit}: TRDTC {info['DTC']!r} has no day; {chosen} "
                    "was used (the first of the month, or the day after the previous visit), "
                    "so intervals from this visit may be off by up to a month"
                )
            if _FULL_DATE.fullmatch(info["DATE"]):
                previous = info["DATE"]
        problems += _out_of_order(subject, sorted(visits, key=lambda item: item[0]), visit_info)
    return notes, problems


def _out_of_order(
    subject: str,
    visits: Sequence[tuple[float, str]],
    visit_info: Mapping[tuple[str, str], Mapping[str, str]],
) -> list[Problem]:
    """Visits dated before a visit with a lower VISITNUM, by dates or else study days.

    Dates are compared with dates and study days with study days: a visit with only a
    TRDY is never set against another's TRDTC.
    """
    infos = [visit_info[(subject, visit)] for _, visit in visits]
    by_date = all(_FULL_DATE.fullmatch(info["DATE"]) for info in infos)
    problems: list[Problem] = []
    latest: tuple[float, str, str] | None = None  # (when, visit, as written)
    for (order, visit), info in zip(visits, infos, strict=True):
        when = _when(info, by_date=by_date)
        if when is None or order == float("inf"):
            continue
        if latest is not None and when[0] < latest[0]:
            problems.append(
                Problem(
                    f"TR, VISIT {visit} (USUBJID {subject})",
                    when[1],
                    f"{when[2]} is before {latest[1]} ({latest[2]}), though VISITNUM "
                    f"{info['VISITNUM']} comes after it",
                    f"correct the {when[1]} or the VISITNUM of one of the two visits",
                )
            )
        else:
            latest = (when[0], visit, when[2])
    return problems


def _undated(
    records: dict[tuple[str, str, str], dict[str, object]],
    visit_info: dict[tuple[str, str], dict[str, str]],
) -> tuple[list[str], list[Problem]]:
    """Visits with neither a full date nor a study day: left out when nothing was done.

    The CDISC RECIST supplement records a scan that was not performed as ``TRSTAT = NOT
    DONE`` with no ``TRDTC``: such a visit has no assessment to classify, so it is left
    out with a note (it cannot be placed in time, and no response is due). A visit with
    results but no date or day is a problem: its interval from baseline is unknown.
    """
    notes: list[str] = []
    problems: list[Problem] = []
    first: dict[str, float] = {}
    for (subject, _), info in visit_info.items():
        first[subject] = min(first.get(subject, float("inf")), _visit_order(info["VISITNUM"]))
    for (subject, visit), info in list(visit_info.items()):
        if _FULL_DATE.fullmatch(info["DATE"]) or info["DY"]:
            continue
        keys = [key for key in records if key[0] == subject and key[1] == visit]
        baseline = _visit_order(info["VISITNUM"]) <= first[subject]
        if all(_nothing_done(records[key]) for key in keys) and not baseline:
            for key in keys:
                del records[key]
            del visit_info[(subject, visit)]
            notes.append(
                f"USUBJID {subject}, {visit}: every result is NOT DONE and the visit has no "
                "date (TRDTC) or study day (TRDY): no scan, so no response; left out"
            )
            continue
        if baseline and all(_nothing_done(records[key]) for key in keys):
            problems.append(
                Problem(
                    f"TR, VISIT {visit} (USUBJID {subject})",
                    "TRSTAT",
                    "every result of the first visit (the baseline) is NOT DONE and it has "
                    "no date: there is no baseline to measure the response against",
                    "give the baseline scan's results and date (TRDTC); a later scan is not "
                    "a baseline (RECIST 1.1 section 4.1)",
                )
            )
            continue
        problems.append(
            Problem(
                f"TR, VISIT {visit} (USUBJID {subject})",
                "TRDTC",
                f"{info['DTC']!r} has no day" if info["DTC"] else "is empty",
                "give the date of the scan (TRDTC, e.g. 2024-02-16) or its study day (TRDY)",
            )
        )
    return notes, problems


def _nothing_done(record: Mapping[str, object]) -> bool:
    """A lesion's record with no result: every test NOT DONE (no size, no state)."""
    sizes = [record.get(test) for test in _SIZE_TESTS]
    return all(size is None for size in sizes) and record.get("status") in (
        None,
        "",
        "not-assessed",
    )


def _confirm_equivocal(
    records: Mapping[tuple[str, str, str], dict[str, object]],
    visit_info: Mapping[tuple[str, str], Mapping[str, str]],
) -> list[str]:
    """Date a new lesion back to its first equivocal scan once a later scan confirms it.

    RECIST 1.1 section 4.3.5 (Eisenhauer et al. 2009): "If repeat scans confirm there is
    definitely a new lesion, then progression should be declared using the date of the
    initial scan." An equivocal finding never confirmed stays no new lesion; one that a
    later scan finds absent is dropped from the count too.
    """
    series: dict[tuple[str, str], list[tuple[tuple[float, float], str]]] = {}
    for (subject, visit, link), record in records.items():
        if record["role"] == "new":
            series.setdefault((subject, link), []).append(
                (_visit_key(visit_info[(subject, visit)]), visit)
            )
    notes: list[str] = []
    for (subject, link), visits in series.items():
        waiting: list[str] = []
        for _, visit in sorted(visits):
            record = records[(subject, visit, link)]
            if record.get("equivocal"):
                waiting.append(visit)
            elif _definite(record) and waiting:
                for earlier in waiting:
                    records[(subject, earlier, link)]["status"] = "present"
                notes.append(
                    f"USUBJID {subject}: new lesion {link!r}, equivocal at {waiting[0]}, is "
                    f"confirmed at {visit}; progression is dated from {waiting[0]}, the "
                    "first scan that showed it (RECIST 1.1 section 4.3.5)"
                )
                waiting = []
            elif record.get("status") != "not-assessed":
                waiting = []
    return notes


def _groups(tu: pd.DataFrame) -> dict[tuple[str, str], set[str]]:
    """TU's lesion groups (``TUGRPID``, which SDTMIG uses for split or merged lesions).

    A group holds the lesions with that ``TUGRPID`` and the lesion whose ``TULNKID`` it is.
    """
    groups: dict[tuple[str, str], set[str]] = {}
    links: set[tuple[str, str]] = set()
    for subject, link, group in zip(
        _text(tu, "USUBJID"), _text(tu, "TULNKID"), _text(tu, "TUGRPID"), strict=True
    ):
        links.add((subject, link))
        if group:
            groups.setdefault((subject, group), set()).add(link)
    for (subject, group), members in groups.items():
        if (subject, group) in links:
            members.add(group)
    return groups


def _join_fragments(
    records: dict[tuple[str, str, str], dict[str, object]],
    visit_info: Mapping[tuple[str, str], Mapping[str, str]],
    groups: Mapping[tuple[str, str], set[str]],
) -> tuple[list[str], list[Problem]]:
    """A target that split: its fragments' results become the lesion's ``fragment`` rows.

    RECIST 1.1 section 4.3.2 (Eisenhauer et al. 2009): when a target lesion fragments,
    the longest diameters of the fragments are added into the sum. In SDTM the
    fragments get links of their own ("T01.1", "T01.2") grouped with the lesion by
    ``TUGRPID``. A group with exactly one target measured at the subject's first visit
    and other members measured only later is read as that lesion split; any other
    group (several lesions at baseline: a merger) is left as it is. At a visit where a
    fragment was not assessed, the lesion was not (one row, no size: NE); a record of
    the whole lesion with no result beside its fragments is dropped. A fragment too
    small to measure is a problem: its default size depends on the criteria.
    """
    first: dict[str, tuple[tuple[float, float], str]] = {}
    for (subject, visit), info in visit_info.items():
        order = _visit_key(info)
        if subject not in first or order < first[subject][0]:
            first[subject] = (order, visit)
    notes: list[str] = []
    problems: list[Problem] = []
    for (subject, _), members in groups.items():
        if subject not in first:
            continue
        baseline = first[subject][1]
        at_baseline = [m for m in sorted(members) if (subject, baseline, m) in records]
        if (
            len(at_baseline) != 1
            or records[(subject, baseline, at_baseline[0])]["role"] != "target"
        ):
            continue
        lesion = at_baseline[0]
        by_visit: dict[str, list[tuple[str, str, str]]] = {}
        for key in sorted(records):
            if key[0] == subject and key[2] in members - {lesion}:
                by_visit.setdefault(key[1], []).append(key)
        for visit, keys in by_visit.items():
            organ = records[(subject, baseline, lesion)]["organ"]
            problems += _fold_fragments(records, (subject, visit, lesion), keys, organ)
        if by_visit:
            pieces = sorted({key[2] for keys in by_visit.values() for key in keys})
            notes.append(
                f"USUBJID {subject}: target {lesion!r} split into {', '.join(pieces)} "
                "(TUGRPID); their diameters are added as its size (RECIST 1.1 section 4.3.2)"
            )
    return notes, problems


def _fold_fragments(
    records: dict[tuple[str, str, str], dict[str, object]],
    whole: tuple[str, str, str],
    keys: Sequence[tuple[str, str, str]],
    organ: object,
) -> list[Problem]:
    """One visit's fragments of a split target, made the lesion's rows; their problems."""
    subject, _, lesion = whole
    empty = records.get(whole)
    if empty is not None and _nothing_done(empty):
        _rows(records[keys[0]]).extend(_rows(empty))
        del records[whole]
    small = [key for key in keys if records[key].get("status") == "too-small"]
    if small:
        return [
            Problem(
                f"TR row {min(_rows(records[key]))} (USUBJID {subject})",
                "TRORRES",
                f"fragment {key[2]!r} of target {lesion!r} is TOO SMALL TO MEASURE: a split "
                "lesion is the sum of its fragments' measured diameters",
                "give the fragment's size in TRSTRESN (RECIST 1.1 counts a lesion too small "
                "to measure as 5 mm), or 0 if it has gone",
            )
            for key in small
        ]
    if any(
        _nothing_done(records[key]) or records[key].get("status") == "not-assessed" for key in keys
    ):
        rows = [row for key in keys for row in _rows(records[key])]
        for key in keys:
            del records[key]
        records.setdefault(whole, {"rows": rows, "role": "target", "organ": organ})
        return []
    for key in keys:
        records[key].update(lesion=lesion, fragment=key[2], role="target", organ=organ)
    return []


def _rows(record: Mapping[str, object]) -> list[int]:
    """The TR rows a record was read from."""
    rows = record["rows"]
    assert isinstance(rows, list)  # noqa: S101 - narrowed for mypy
    return rows


def _definite(record: Mapping[str, object]) -> bool:
    """A new lesion's record that says it is there: present, progression, or measured."""
    status = record.get("status")
    return status in ("present", "progression") or (status is None and not _nothing_done(record))


def _visit_key(info: Mapping[str, str]) -> tuple[float, float]:
    """A visit's place in its subject's series: by VISITNUM, then by date or study day."""
    when = _when(info)
    return (_visit_order(info["VISITNUM"]), when[0] if when else float("inf"))


def _when(info: Mapping[str, str], *, by_date: bool = True) -> tuple[float, str, str] | None:
    """A visit's time for ordering: its full date (when ``by_date``), else its study day."""
    if by_date and _FULL_DATE.fullmatch(info["DATE"]):
        return float(date.fromisoformat(info["DATE"]).toordinal()), "TRDTC", info["DATE"]
    try:
        return float(info["DY"]), "TRDY", f"day {info['DY']}"
    except ValueError:
        return None


def _visit_order(visitnum: str) -> float:
    try:
        return float(visitnum)
    except ValueError:
        return float("inf")  # no VISITNUM: after the numbered visits, in file order


def _next_day(iso: str) -> str:
    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()


def _lesions(
    tu: pd.DataFrame, rows: np.ndarray, problems: list[Problem]
) -> dict[tuple[str, str], tuple[str, str] | None]:
    """Each (subject, lesion link) from TU: its role and location (None: invalid in TU)."""
    role_text = _either(_text(tu, "TUSTRESC"), _text(tu, "TUORRES"))
    lesions: dict[tuple[str, str], tuple[str, str] | None] = {}
    first_row: dict[tuple[str, str], int] = {}
    for subject, link, role, location, row in zip(
        _text(tu, "USUBJID"),
        _text(tu, "TULNKID"),
        role_text,
        _text(tu, "TULOC"),
        rows.tolist(),
        strict=True,
    ):
        where = f"TU row {row} (USUBJID {subject})"
        word = _ROLES.get(role.upper())
        if not subject or not link:
            problems.append(
                Problem(
                    where,
                    "USUBJID/TULNKID",
                    "is empty",
                    "give every lesion a subject and a link id",
                )
            )
        elif word is None:
            problems.append(
                Problem(
                    where,
                    "TUSTRESC",
                    f"{role!r} is not TARGET, NON-TARGET or NEW",
                    "use the CDISC terms",
                )
            )
            lesions[(subject, link)] = None  # reported once here, not at every TR row
        elif (subject, link) in first_row and lesions[(subject, link)] not in (
            None,
            (word, location),
        ):
            # Two identifications of one lesion that disagree: which is right is not ours
            # to guess (a target read as non-target changes every sum).
            earlier = lesions[(subject, link)]
            assert earlier is not None  # noqa: S101 - narrowed for mypy
            problems.append(
                Problem(
                    where,
                    "TUSTRESC/TULOC",
                    f"lesion {link!r} is {role.upper()} at {location or 'no location'} here, but "
                    f"{earlier[0].upper()} at {earlier[1] or 'no location'} in TU row "
                    f"{first_row[(subject, link)]}",
                    "keep one identification per lesion (or give the two lesions different "
                    "TULNKIDs)",
                )
            )
        else:
            lesions.setdefault((subject, link), (word, location))
            first_row.setdefault((subject, link), row)
    return lesions


def _evaluators(frame: pd.DataFrame, domain: str) -> list[tuple[str, frozenset[str]]]:
    """Each record's evaluator as "EVAL / EVALID", and the upper-case names that choose it.

    Either variable alone names the evaluator when the other is empty; ('', {}) when the
    record names none.
    """
    found = []
    for kind, who in zip(
        _text(frame, f"{domain}EVAL"), _text(frame, f"{domain}EVALID"), strict=True
    ):
        label = " / ".join(part for part in (kind, who) if part)
        found.append((label, frozenset(name.upper() for name in (kind, who, label) if name)))
    return found


def _reader(
    frame: pd.DataFrame, rows: np.ndarray, domain: str, evaluator: str | None, *, required: bool
) -> tuple[pd.DataFrame, np.ndarray]:
    """One reader's records: the chosen evaluator's, else the accepted ones (``--ACPTFL``).

    A name can choose a kind of evaluator that several readers share ("INDEPENDENT
    ASSESSOR" for radiologists 1 and 2); their records together would still be a mix, so
    that is refused with the readers' own names. A domain that names no evaluator at all
    is read whatever evaluator is chosen (its records go with the chosen one's).

    Raises:
        InvalidInput: the chosen evaluator has no records (when ``required``), or several
            evaluators read one subject and nothing says which series to use.
    """
    evaluators = _evaluators(frame, domain)
    labels = [label for label, _ in evaluators]
    flag = f"{domain}ACPTFL"
    if evaluator is not None and any(labels):
        wanted = evaluator.strip().upper()
        chosen = [wanted in names for _, names in evaluators]
        if any(chosen):
            # Records naming no evaluator go with the chosen one's.
            mask = np.asarray([c or not label for c, label in zip(chosen, labels, strict=True)])
            frame, rows = frame[mask], rows[mask]
            labels = [label for label, kept in zip(labels, mask.tolist(), strict=True) if kept]
            mixed, names = _several_readers(frame, labels)
            if mixed and required:
                _refuse_mixed(domain, mixed, names, chosen=evaluator)
            return frame, rows
        if not required:
            return _accepted(frame, rows, flag)
        found = sorted(set(labels) - {""})
        raise InvalidInput(
            [
                Problem(
                    domain,
                    f"{domain}EVAL/{domain}EVALID",
                    f"no records from evaluator {evaluator!r}",
                    f"choose one of: {', '.join(found)}",
                )
            ]
        )
    accepted, accepted_rows = _accepted(frame, rows, flag)
    if len(accepted) < len(frame) or not required:
        return accepted, accepted_rows  # adjudicated: the accepted records are the series
    mixed, names = _several_readers(frame, labels)
    if mixed:
        _refuse_mixed(domain, mixed, names)
    return frame, rows


def _several_readers(frame: pd.DataFrame, labels: Sequence[str]) -> tuple[list[str], list[str]]:
    """The subjects read by more than one evaluator, and those evaluators' names."""
    seen: dict[str, set[str]] = {}
    for subject, label in zip(_text(frame, "USUBJID"), labels, strict=True):
        if label:  # a record naming no evaluator is taken as the subject's one reader's
            seen.setdefault(subject, set()).add(label)
    mixed = sorted(subject for subject, found in seen.items() if len(found) > 1)
    return mixed, sorted({label for subject in mixed for label in seen[subject]})


def _mixed_readers(tr: pd.DataFrame, rows: np.ndarray) -> list[str]:
    """A note for each subject whose accepted records (TRACPTFL) come from several readers.

    Adjudication may accept different readers at different visits; the series is then
    read as accepted, but RECIST compares each reader's sums with that reader's own
    baseline, so the note says how to read one reader's series instead.
    """
    first: dict[str, dict[str, int]] = {}
    for subject, (label, _), row in zip(
        _text(tr, "USUBJID"), _evaluators(tr, "TR"), rows.tolist(), strict=True
    ):
        if label:
            first.setdefault(subject, {}).setdefault(label, int(row))
    return [
        f"USUBJID {subject}: the accepted TR records (TRACPTFL = Y) come from "
        f"{len(readers)} evaluators ({', '.join(readers)}; TR rows "
        f"{', '.join(str(r) for r in readers.values())}), so one reader's sums are compared "
        "with another's baseline; to follow one reader against their own baseline, choose "
        "that evaluator (--evaluator, evaluator=, or the app's Evaluator field)"
        for subject, readers in first.items()
        if len(readers) > 1
    ]


def _refuse_mixed(
    domain: str, subjects: list[str], names: list[str], *, chosen: str | None = None
) -> NoReturn:
    shown = ", ".join(subjects[:5]) + (" …" if len(subjects) > 5 else "")
    why = f"evaluator {chosen!r} names more than one reader: " if chosen is not None else ""
    flagged = "" if chosen is not None else f" and no {domain}ACPTFL = Y says which to use"
    raise InvalidInput(
        [
            Problem(
                domain,
                f"{domain}EVAL/{domain}EVALID",
                f"{why}{len(subjects)} subject(s) ({shown}) have results from more than one "
                f"evaluator ({', '.join(names)}){flagged}",
                f"choose one evaluator, e.g. {names[0]!r} (the Evaluator field of the app, "
                "--evaluator on the command line, evaluator= in Python)"
                + (
                    ""
                    if chosen is not None
                    else f", or flag the accepted records with {domain}ACPTFL = Y"
                ),
            )
        ]
    )


def _accepted(frame: pd.DataFrame, rows: np.ndarray, flag: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Only accepted records when the domain flags them (one assessor per time point)."""
    if flag not in frame.columns:
        return frame, rows
    accepted = [x.upper() for x in _text(frame, flag)]
    if not any(accepted):
        return frame, rows
    mask = np.asarray([x == "Y" for x in accepted], dtype=bool)
    return frame[mask], rows[mask]


class _Results:
    """TR's result columns as text, read once."""

    def __init__(self, tr: pd.DataFrame) -> None:
        self.original = _text(tr, "TRORRES")
        self.done = [x.upper() for x in _text(tr, "TRSTAT")]
        self.standard = _text(tr, "TRSTRESC")
        self.number = _text(tr, "TRSTRESN")
        self.unit = [x.lower() for x in _either(_text(tr, "TRSTRESU"), _text(tr, "TRORRESU"))]

    def fold(self, record: dict[str, object], i: int, test: str, where: str) -> list[Problem]:
        """Fold one TR result into the lesion's long-table row; return its problems."""
        if test in _STATE_TESTS:
            return self._state(record, i, test, where)
        # A size: LDIAM, SHORTAX or LPERP, kept by test code; _long picks the axes.
        if test == "SHORTAX":
            record["node"] = True
        if self.done[i] == "NOT DONE":
            record.setdefault(test, None)
            return []
        if "TOO SMALL TO MEASURE" in (self.original[i].upper(), self.standard[i].upper()):
            record["status"] = "too-small"
            record[test] = None
            return []
        number = self.number[i] or self.standard[i]
        unit = self.unit[i]
        if number == "":
            return [
                Problem(
                    where,
                    "TRSTRESN",
                    "is empty",
                    "give the measurement, TRSTAT = NOT DONE, or TRORRES = TOO SMALL TO MEASURE",
                )
            ]
        try:
            parsed = Decimal(number)
        except InvalidOperation:
            parsed = Decimal("NaN")
        if not parsed.is_finite():
            return [
                Problem(
                    where, "TRSTRESN", f"{number!r} is not a number", "give the size as a number"
                )
            ]
        if parsed < 0:
            return [
                Problem(
                    where,
                    "TRSTRESN",
                    f"is negative ({number})",
                    "give the measured size, or 0 for a lesion that has disappeared",
                )
            ]
        if unit not in ("mm", "cm"):
            return [
                Problem(
                    where,
                    "TRSTRESU",
                    f"{unit!r} is not mm or cm" if unit else "is empty",
                    "give the unit of TRSTRESN (mm or cm)",
                )
            ]
        value = (_fifteen(number), unit)
        earlier = record.get(test)
        if isinstance(earlier, tuple) and _mm(earlier) != _mm(value):
            return [
                Problem(
                    where,
                    "TRSTRESN",
                    f"is {value[0]} {unit}, but this lesion's {test} at this visit is also "
                    f"recorded as {earlier[0]} {earlier[1]}",
                    "keep one result per lesion, test and visit (two scans at one visit need "
                    "two VISITNUMs; several readers need TREVAL/TREVALID; the fragments of a "
                    "split lesion need links of their own, grouped with it by TUGRPID)",
                )
            ]
        record[test] = value
        return []

    def _state(self, record: dict[str, object], i: int, test: str, where: str) -> list[Problem]:
        result = (self.standard[i] or self.original[i]).upper()
        if test == "LNSTATE" and record["role"] == "target" and result in _STATES:
            # A target node is measured: its short axis counts, even below 10 mm (RECIST
            # 1.1 section 4.3.1; the CDISC supplement records NON-PATHOLOGICAL beside it).
            # Read as "absent", a 9 mm node would count 0 mm and could make SD a PR.
            record["node"] = True
            return []
        if self.done[i] == "NOT DONE":
            result = "NOT DONE"
        state: str | None = _STATES.get(result)
        if result == "EQUIVOCAL":
            # RECIST 1.1 section 4.3.5: an equivocal finding is not yet progression; a new
            # lesion that a later scan confirms counts from this scan on (see
            # _confirm_equivocal, which dates it back once the whole series is read).
            state = "absent" if record["role"] == "new" else "present"
            record["equivocal"] = record["role"] == "new"
        if state is None:
            return [
                Problem(
                    where,
                    "TRSTRESC",
                    f"{result!r} is not a {test} result remission knows",
                    f"use one of {', '.join([*_STATES, 'EQUIVOCAL'])}",
                )
            ]
        earlier = record.get("status")
        if earlier not in (None, "too-small") and earlier != state:
            return [
                Problem(
                    where,
                    "TRSTRESC",
                    f"is {result!r}, but this lesion's state at this visit is also recorded "
                    f"as {earlier!r}",
                    "keep one state per lesion and visit (two scans at one visit need two "
                    "VISITNUMs; several readers need TREVAL/TREVALID)",
                )
            ]
        record["status"] = state
        if test == "LNSTATE":
            record["node"] = True
        return []


def _long(
    records: Mapping[tuple[str, str, str], dict[str, object]],
    visit_info: Mapping[tuple[str, str], dict[str, str]],
) -> tuple[pd.DataFrame, dict[int, tuple[int, ...]]]:
    use_dates = all(_FULL_DATE.fullmatch(info["DATE"]) for info in visit_info.values())
    # Read by days (some visit has no full date), a subject is counted by its study days
    # when every visit has one, else from its first date when every visit has a full
    # date: one subject's days never mix the two.
    every_day: dict[str, bool] = {}
    every_date: dict[str, list[date] | None] = {}
    for (subject, _), info in visit_info.items():
        every_day[subject] = every_day.get(subject, True) and bool(info["DY"])
        dates = every_date.setdefault(subject, [])
        if dates is not None and _FULL_DATE.fullmatch(info["DATE"]):
            dates.append(date.fromisoformat(info["DATE"]))
        else:
            every_date[subject] = None
    first_dated = {
        subject: min(dates)
        for subject, dates in every_date.items()
        if dates and not every_day[subject]
    }
    rows: list[dict[str, object]] = []
    sources: dict[int, tuple[int, ...]] = {}
    for (subject, visit, link), record in records.items():
        info = visit_info[(subject, visit)]
        location = str(record.get("organ", ""))
        node = bool(record.get("node")) or bool(re.search(r"LYMPH|NODE", location.upper()))
        size, perp, node = _axes(record, node)
        if record.get("fragment"):
            perp = None  # a split lesion is the sum of its fragments' diameters (4.3.2)
        row: dict[str, object] = {
            "patient": subject,
            "visit": visit,
            "lesion": record.get("lesion", link),
            "fragment": record.get("fragment", ""),
            "role": record["role"],
            "size_mm": "",
            "size_cm": "",
            "perpendicular_mm": "",
            "perpendicular_cm": "",
            "node": "yes" if node else "no",
            "organ": location,
            "status": record.get("status", _new_status(record) if record["role"] == "new" else ""),
        }
        if isinstance(size, tuple):
            row[f"size_{size[1]}"] = size[0]
        if isinstance(perp, tuple):
            row[f"perpendicular_{perp[1]}"] = perp[0]
        if use_dates:
            row["date"] = info["DATE"]
        elif subject in first_dated:
            row["day"] = str((date.fromisoformat(info["DATE"]) - first_dated[subject]).days)
        else:
            row["day"] = _elapsed(info["DY"])
        sources[len(rows) + 2] = tuple(record["rows"])  # type: ignore[arg-type]
        rows.append(row)
    columns = [c for c in COLUMNS if c != ("day" if use_dates else "date")]
    if any(row["fragment"] for row in rows):
        columns.append("fragment")
    frame = pd.DataFrame(rows, columns=columns)
    # Sizes stay numbers (read back exactly through their shortest decimal form), days
    # whole numbers, so that the long table can be written and read again as it is.
    for name in ("size_mm", "size_cm", "perpendicular_mm", "perpendicular_cm"):
        frame[name] = pd.to_numeric(frame[name].replace("", None), errors="coerce").astype(
            "float64"
        )
    if not use_dates:
        frame["day"] = pd.to_numeric(frame["day"], errors="coerce").astype("Int64")
    return frame, sources


def _new_status(record: Mapping[str, object]) -> str:
    """A new lesion with no TUMSTATE: present when measured, not assessed when NOT DONE."""
    return "not-assessed" if _nothing_done(record) else "present"


def _fifteen(number: str) -> str:
    """TRSTRESN at 15 significant digits, written plainly: "11.700000000000001" → "11.7".

    A double holds any decimal of up to 15 significant digits exactly, so a value
    written with more (R and SAS print 17) is the binary neighbour of what was measured;
    read as it stands, it could move an exact threshold. XPORT files are read the same
    way.

    Examples:
        >>> _fifteen("11.700000000000001"), _fifteen("23.1"), _fifteen("0.00001")
        ('11.7', '23.1', '0.00001')
    """
    try:
        rounded = Decimal(f"{float(number):.15g}")
    except ValueError:
        return number
    return format(rounded.normalize(), "f") if rounded.is_finite() else number


def _mm(value: tuple[str, str]) -> Decimal:
    return Decimal(value[0]) * (10 if value[1] == "cm" else 1)


def _axes(record: Mapping[str, object], node: bool) -> tuple[object, object, bool]:
    """The size RECIST measures, the perpendicular WHO multiplies by, and whether a node.

    A lymph node is measured by its short axis (RECIST 1.1 section 3.1.1, Eisenhauer et
    al. 2009; section 4.3.1 for node CR below 10 mm): ``SHORTAX``, else ``LPERP`` (the
    axis perpendicular to the long one, which for a node is the short axis), with the
    long diameter ``LDIAM`` kept as the perpendicular so that WHO's product is the same.
    Any other lesion: ``LDIAM``, with ``LPERP`` as the perpendicular; an ``LPERP`` with no
    ``LDIAM`` record at all is a node's short axis. ``DIAMETER`` alone is the size as
    assessed (the short axis for a node).

    Examples:
        >>> _axes({"LDIAM": ("18", "mm"), "LPERP": ("12", "mm")}, node=True)
        (('12', 'mm'), ('18', 'mm'), True)
        >>> _axes({"LDIAM": ("18", "mm"), "LPERP": ("12", "mm")}, node=False)
        (('18', 'mm'), ('12', 'mm'), False)
        >>> _axes({"LPERP": ("9", "mm")}, node=False)
        (('9', 'mm'), None, True)
    """
    if not {"LDIAM", "SHORTAX", "LPERP"} & record.keys() and "DIAMETER" in record:
        return record["DIAMETER"], None, node
    longest = record.get("LDIAM")
    short = record.get("SHORTAX", record.get("LPERP"))
    if node and ("SHORTAX" in record or "LPERP" in record):
        return short, longest, True
    if "LDIAM" not in record and "LPERP" in record:
        return record["LPERP"], None, True
    return longest, record.get("LPERP"), node


def _elapsed(study_day: str) -> str:
    """SDTM study day (no day 0) as elapsed days: 1 → 0, −1 → −1 (SDTMIG --DY)."""
    try:
        day = int(float(study_day))
    except ValueError:
        return study_day  # left for the table's own check, which names the problem
    return str(day - 1 if day > 0 else day)


def _table(study: SdtmStudy) -> Table:
    """The long table, checked; problems name TR rows instead of long-table rows."""
    if study.table is not None:
        return study.table
    try:
        return read_table(study.long)
    except InvalidInput as error:
        raise InvalidInput([_to_tr(p, study.sources) for p in error.problems]) from None


def _to_tr(problem: Problem, sources: Mapping[int, tuple[int, ...]]) -> Problem:
    found = re.match(r"row (\d+)(.*)$", problem.where)
    if not found or not sources.get(int(found.group(1))):
        return problem
    rows = ", ".join(map(str, sources[int(found.group(1))]))
    rest = found.group(2).replace("(patient ", "(USUBJID ")
    label = "TR rows" if "," in rows else "TR row"
    where = f"{label} {rows}{rest}"
    message = re.sub(
        r"row (\d+)",
        lambda m: f"TR row {sources.get(int(m.group(1)), (m.group(1),))[0]}",
        problem.message,
    )
    return Problem(where, _SDTM_NAMES.get(problem.field, problem.field), message, problem.fix)


_SDTM_NAMES: Final = MappingProxyType(
    {
        "patient": "USUBJID",
        "visit": "VISIT",
        "day": "TRDY",
        "date": "TRDTC",
        "lesion": "TRLNKID",
        "role": "TUSTRESC",
        "size_mm": "TRSTRESN",
        "size_cm": "TRSTRESN",
        "perpendicular_mm": "TRSTRESN",
        "perpendicular_cm": "TRSTRESN",
        "node": "TULOC",
        "organ": "TULOC",
        "status": "TRSTRESC",
    }
)
"""The long table's columns as the SDTM variables they come from, for problems."""


# --------------------------------------------------------------------------- writing


def _of_criteria(rs_frame: pd.DataFrame, overall: list[bool], chosen: Criteria) -> list[bool]:
    """The OVRLRESP records of the chosen criteria (by RSCAT, when RS has it).

    Raises:
        InvalidInput: RS records overall responses, but none under the chosen criteria.
    """
    if "RSCAT" not in rs_frame.columns:
        return overall
    category = [_criteria_key(x) for x in _text(rs_frame, "RSCAT")]
    wanted = {_criteria_key(chosen.title), _criteria_key(chosen.name), ""}
    matching = [c in wanted for c in category]
    if any(overall) and not any(o and m for o, m in zip(overall, matching, strict=True)):
        found = sorted({c for c, o in zip(_text(rs_frame, "RSCAT"), overall, strict=True) if o})
        raise InvalidInput(
            [
                Problem(
                    "RS",
                    "RSCAT",
                    f"no OVRLRESP records for {chosen.title} (found {', '.join(found)})",
                    "choose the criteria the responses were recorded under (--criteria), "
                    "or correct RSCAT if it names them otherwise",
                )
            ]
        )
    return [o and m for o, m in zip(overall, matching, strict=True)]


def _criteria_key(text: str) -> str:
    """A criteria name as RSCAT may write it, reduced: "RECIST V1.1" → "RECIST1.1".

    Examples:
        >>> _criteria_key("RECIST v1.1"), _criteria_key("RECIST 1.1"), _criteria_key("recist1.1")
        ('RECIST1.1', 'RECIST1.1', 'RECIST1.1')
    """
    return re.sub(r"\s|VERSION|V(?=\d)", "", text.upper())


def _tell_shared_labels_by_date(
    recorded: pd.DataFrame, rs_dates: pd.Series, ours: pd.DataFrame, tr_dates: pd.Series
) -> None:
    """Where a subject's VISIT label names several visits, match them by date as well.

    Without VISITNUM, two UNSCHEDULED visits would otherwise each match both recorded
    responses. The recorded date (RSDTC) must be the visit's date in TR (its first scan);
    a recorded response that gives none, or another, is left unmatched, not guessed.
    """
    keys = pd.concat([recorded[["USUBJID", "_visit"]], ours[["USUBJID", "_visit"]]])
    counts = pd.concat(
        [
            recorded.groupby(["USUBJID", "_visit"]).size(),
            ours.groupby(["USUBJID", "_visit"]).size(),
        ],
        axis=1,
    ).fillna(0)
    shared = set(counts.index[(counts > 1).any(axis=1)])
    if keys.empty or not shared:
        return
    for side, dates in ((recorded, rs_dates), (ours, tr_dates)):
        day = dates.astype(str).str[:10]
        is_shared = [pair in shared for pair in zip(side["USUBJID"], side["_visit"], strict=True)]
        side.loc[is_shared, "_visit"] = side.loc[is_shared, "_visit"] + " @ " + day[is_shared]


def _visit_columns(study: SdtmStudy, frame: pd.DataFrame) -> pd.DataFrame:
    """Each result row with its visit's SDTM variables (VISIT, VISITNUM, DY, dates)."""
    info = study.visits.rename(columns={"USUBJID": "patient", "LABEL": "visit"})
    keyed = frame.assign(patient=frame["patient"].astype(str), visit=frame["visit"].astype(str))
    return keyed.merge(info, on=["patient", "visit"], how="left")


def to_rs(
    study: SdtmStudy, *, criteria: str | Criteria = "recist1.1", studyid: str | None = None
) -> pd.DataFrame:
    """SDTM RS records for every follow-up: target, non-target and overall response.

    ``RSCAT`` is the criteria's title; ``RSEVALID`` names remission (the evaluator is
    this program, not a reader); ``RSDY`` is the study day TR records for the visit.
    ``studyid`` fills ``STUDYID`` where TR has none.
    """
    chosen = get_criteria(criteria)
    visits = _visit_columns(study, classify_frame(_table(study), criteria=chosen))
    visits = visits[visits["response"].notna()]
    rows: list[dict[str, object]] = []
    for rec in visits.itertuples(index=False):
        for code, name, column in _RS_TESTS:
            value = getattr(rec, column)
            if pd.isna(value):
                continue
            rows.append(
                {
                    "STUDYID": rec.STUDYID or studyid or "",
                    "DOMAIN": "RS",
                    "USUBJID": rec.patient,
                    "RSTESTCD": code,
                    "RSTEST": name,
                    "RSCAT": chosen.title,
                    "RSORRES": str(value),
                    "RSSTRESC": str(value),
                    "RSEVAL": "",
                    "RSEVALID": f"REMISSION {__version__}",
                    "VISITNUM": _number(rec.VISITNUM),
                    "VISIT": rec.VISIT,
                    "RSDTC": rec.DTC or "",
                    "RSDY": _number(rec.DY),
                }
            )
    frame = pd.DataFrame(
        rows,
        columns=[
            "STUDYID",
            "DOMAIN",
            "USUBJID",
            "RSSEQ",
            "RSTESTCD",
            "RSTEST",
            "RSCAT",
            "RSORRES",
            "RSSTRESC",
            "RSEVAL",
            "RSEVALID",
            "VISITNUM",
            "VISIT",
            "RSDTC",
            "RSDY",
        ],
    )
    frame["RSSEQ"] = frame.groupby("USUBJID", sort=False).cumcount() + 1
    frame["VISITNUM"] = frame["VISITNUM"].astype("Float64")
    frame["RSDY"] = frame["RSDY"].astype("Float64").astype("Int64")
    return frame


def _first_text(*values: object) -> str:
    """The first value that is filled in, as text ('' when none is)."""
    return next((str(v) for v in values if not _missing(v) and str(v)), "")


def _number(value: object) -> float | None:
    if _missing(value) or value == "":
        return None
    try:
        return float(str(value))
    except ValueError:
        return None


def to_adrs(
    study: SdtmStudy,
    *,
    criteria: str | Criteria = "recist1.1",
    confirmation_days: int | str | None = "criteria",
    sd_min_days: int | str = "criteria",
    max_ne_between: int = 1,
    accept_sd: bool = False,
    studyid: str | None = None,
) -> pd.DataFrame:
    """ADaM ADRS: ``OVR`` per visit, ``BOR`` (no confirmation) and ``CBOR`` (confirmed).

    ``studyid`` fills ``STUDYID`` where TR has none.

    ``CBOR`` uses ``confirmation_days``, or 28 days when neither it nor the criteria
    ask for confirmation (admiralonco's default; RECIST 1.1 section 4.4.3). A subject
    without any follow-up gets ``MISSING`` (AVAL 7), as admiralonco does.
    """
    chosen = get_criteria(criteria)
    table = _table(study)
    visits = _visit_columns(study, classify_frame(table, criteria=chosen))
    visits = visits[visits["response"].notna()]
    label = f"({chosen.title}, remission)"
    rows: list[dict[str, object]] = [
        {
            "STUDYID": rec.STUDYID or studyid or "",
            "USUBJID": rec.patient,
            "PARAMCD": "OVR",
            "PARAM": f"Overall Response {label}",
            "PARCAT1": chosen.title,
            "AVALC": str(rec.response),
            "AVAL": AVAL[str(rec.response)],
            "ADT": rec.DATE or None,
            "ADTF": rec.DATEF or None,
            "ADY": _number(rec.DY),
            "VISIT": rec.VISIT,
            "VISITNUM": _number(rec.VISITNUM),
        }
        for rec in visits.itertuples(index=False)
    ]
    confirmed = confirmation_days
    if confirmed == "criteria":
        confirmed = chosen.confirmation_days
    if confirmed is None:
        confirmed = 28
    for code, name, days in (
        ("BOR", "Best Overall Response", None),
        ("CBOR", "Best Confirmed Overall Response", confirmed),
    ):
        best = best_response_frame(
            table,
            criteria=chosen,
            confirmation_days=days,
            sd_min_days=sd_min_days,
            max_ne_between=max_ne_between,
            accept_sd=accept_sd,
        )
        for rec in best.itertuples(index=False):
            info = _best_visit(study, str(rec.patient), rec.best_response_day, visits)
            value = "MISSING" if rec.assessments == 0 else str(rec.best_response)
            rows.append(
                {
                    "STUDYID": info.get("STUDYID") or studyid or "",
                    "USUBJID": str(rec.patient),
                    "PARAMCD": code,
                    "PARAM": f"{name} {label}",
                    "PARCAT1": chosen.title,
                    "AVALC": value,
                    "AVAL": AVAL[value],
                    "ADT": info.get("DATE") or None,
                    "ADTF": info.get("DATEF") or None,
                    "ADY": info.get("DY"),
                    "VISIT": info.get("visit") or None,
                    "VISITNUM": info.get("VISITNUM"),
                }
            )
    for subject in study.unmeasured:  # in TU only: nothing to assess (admiralonco: MISSING)
        for code, name in (
            ("BOR", "Best Overall Response"),
            ("CBOR", "Best Confirmed Overall Response"),
        ):
            rows.append(
                {
                    "STUDYID": studyid or None,
                    "USUBJID": subject,
                    "PARAMCD": code,
                    "PARAM": f"{name} {label}",
                    "PARCAT1": chosen.title,
                    "AVALC": "MISSING",
                    "AVAL": AVAL["MISSING"],
                    "ADT": None,
                    "ADTF": None,
                    "ADY": None,
                    "VISIT": None,
                    "VISITNUM": None,
                }
            )
    frame = pd.DataFrame(rows)
    frame["AVAL"] = frame["AVAL"].astype("int64")
    frame["ADY"] = frame["ADY"].astype("Float64").astype("Int64")
    frame["VISITNUM"] = frame["VISITNUM"].astype("Float64")
    return frame


def _best_visit(
    study: SdtmStudy, patient: str, day: object, visits: pd.DataFrame
) -> dict[str, object]:
    rows = visits[visits["patient"] == patient]
    info: dict[str, object] = {
        "STUDYID": str(study.visits.loc[study.visits["USUBJID"] == patient, "STUDYID"].iloc[0])
        if (study.visits["USUBJID"] == patient).any()
        else ""
    }
    if day is None or _missing(day):
        return info
    match = rows[rows["day"] == int(str(day))]
    if match.empty:
        return info
    first = match.iloc[0]
    info.update(
        {
            "DATE": first["DATE"] or "",
            "DATEF": first["DATEF"] or "",
            "DY": _number(first["DY"]),
            "visit": first["VISIT"],
            "VISITNUM": _number(first["VISITNUM"]),
        }
    )
    return info


# --------------------------------------------------------------------------- audit


def _study_and_rs(
    tu: Domain, tr: Domain, rs: Domain, evaluator: str | None, *, keep_going: bool
) -> tuple[SdtmStudy, tuple[pd.DataFrame, np.ndarray]]:
    """TU + TR read, and RS; an unreadable RS is reported with TU's and TR's problems."""
    try:
        (rs_read,) = read_domains((rs, "RS"))
    except InvalidInput as unreadable:
        try:
            read_sdtm(tu, tr, evaluator=evaluator, keep_going=keep_going)
        except InvalidInput as error:
            raise InvalidInput([*error.problems, *unreadable.problems]) from None
        raise
    return read_sdtm(tu, tr, evaluator=evaluator, keep_going=keep_going), rs_read


def audit(
    tu: Domain,
    tr: Domain,
    rs: Domain,
    *,
    criteria: str | Criteria = "recist1.1",
    evaluator: str | None = None,
    keep_going: bool = False,
) -> pd.DataFrame:
    """Recompute every recorded overall response (RS ``OVRLRESP``) from TU + TR.

    Returns one row per subject visit recorded in RS or measured in TR: ``USUBJID``,
    ``VISIT``, ``VISITNUM``, ``RSDY``, ``RSDTC`` (RS's, else TR's), ``recorded``,
    ``recomputed``, ``agrees`` and ``reason`` (remission's explanation of its answer, or
    why there is none); ``attrs["notes"]`` says what was imputed in TR,
    ``attrs["excluded"]`` which subjects ``keep_going`` left out and ``attrs["subjects"]``
    how many were read. With ``RSCAT``
    present, only the records of the chosen criteria are read; RS records are
    chosen by evaluator as TR's are (:func:`read_sdtm`): ``evaluator``'s own, else those
    with ``RSACPTFL = Y``.

    Raises:
        InvalidInput: every problem in TU, TR or RS.
    """
    chosen = get_criteria(criteria)
    study, (rs_frame, rs_rows) = _study_and_rs(tu, tr, rs, evaluator, keep_going=keep_going)
    problems = _require(
        rs_frame, "RS", [["USUBJID"], ["RSTESTCD"], ["RSSTRESC", "RSORRES"], ["VISIT", "VISITNUM"]]
    )
    if problems:
        raise InvalidInput(problems)
    rs_frame, rs_rows = _reader(rs_frame, rs_rows, "RS", evaluator, required=True)
    overall = [x.upper() == "OVRLRESP" for x in _text(rs_frame, "RSTESTCD")]
    overall = _of_criteria(rs_frame, overall, chosen)
    visit = [
        v or f"VISITNUM {n}"
        for v, n in zip(_text(rs_frame, "VISIT"), _text(rs_frame, "VISITNUM"), strict=True)
    ]
    result = _either(_text(rs_frame, "RSSTRESC"), _text(rs_frame, "RSORRES"))
    keep = np.asarray(overall, dtype=bool)
    recorded = pd.DataFrame(
        {
            "USUBJID": np.asarray(_text(rs_frame, "USUBJID"), dtype=object)[keep],
            "VISIT": np.asarray(visit, dtype=object)[keep],
            "VISITNUM": np.asarray(_text(rs_frame, "VISITNUM"), dtype=object)[keep],
            "RSVISIT": np.asarray(_text(rs_frame, "VISIT"), dtype=object)[keep],
            "RSDY": np.asarray(_text(rs_frame, "RSDY"), dtype=object)[keep],
            "RSDTC": np.asarray(_text(rs_frame, "RSDTC"), dtype=object)[keep],
            "recorded": np.asarray([x.upper() for x in result], dtype=object)[keep],
        }
    )
    visits = _visit_columns(study, classify_frame(_table(study), criteria=chosen))
    ours = pd.DataFrame(
        {
            "USUBJID": visits["patient"].astype(str),
            "VISIT": visits["VISIT"].astype(str),
            "VISITNUM": visits["VISITNUM"],
            "TRDY": visits["DY"],
            "TRDTC": visits["DTC"],
            "recomputed": visits["response"].astype(object),
            "explanation": visits["explanation"].astype(object),
            "baseline": visits["rule"].astype(str) == "baseline",
        }
    )
    # A visit is its VISITNUM when both sides give one (VISIT is only a label, and
    # unscheduled visits share theirs); else its VISIT, in any case.
    by_number = all(_number(n) is not None for n in [*recorded["VISITNUM"], *ours["VISITNUM"]])
    for side in (recorded, ours):
        side["_visit"] = (
            side["VISITNUM"].map(_number)
            if by_number
            else side["VISIT"].astype(str).str.strip().str.upper()
        )
    if not by_number:
        _tell_shared_labels_by_date(recorded, recorded["RSDTC"], ours, ours["TRDTC"])
    merged = ours.merge(
        recorded, on=["USUBJID", "_visit"], how="outer", indicator="found", suffixes=("", "_rs")
    )
    merged = merged[~(merged["baseline"].fillna(False).astype(bool) & merged["recorded"].isna())]
    rows = []
    for rec in merged.itertuples(index=False):
        rec_value = "" if _missing(rec.recorded) else str(rec.recorded)
        ours_value = "" if _missing(rec.recomputed) else str(rec.recomputed)
        if rec.found == "right_only":
            reason = "no measurements for this visit in TR, so nothing to recompute"
        elif bool(rec.baseline):
            reason = "the baseline visit has no response: it is the reference"
        elif not rec_value:
            reason = f"no overall response recorded in RS; remission gives {ours_value}: {rec.explanation}"
        elif rec_value == ours_value:
            reason = str(rec.explanation)
        else:
            reason = (
                f"recorded {rec_value}, but the measurements give {ours_value}: {rec.explanation}"
            )
        rows.append(
            {
                "USUBJID": rec.USUBJID,
                "VISIT": _first_text(rec.RSVISIT, rec.VISIT, rec.VISIT_rs),
                "VISITNUM": _number(rec.VISITNUM)
                if _number(rec.VISITNUM) is not None
                else _number(rec.VISITNUM_rs),
                "RSDY": _number(rec.RSDY) if not _missing(rec.RSDY) else _number(rec.TRDY),
                "RSDTC": _first_text(rec.RSDTC, rec.TRDTC),
                "recorded": rec_value,
                "recomputed": ours_value,
                "agrees": bool(rec_value) and rec_value == ours_value,
                "reason": reason,
            }
        )
    report = pd.DataFrame(
        rows,
        columns=[
            "USUBJID",
            "VISIT",
            "VISITNUM",
            "RSDY",
            "RSDTC",
            "recorded",
            "recomputed",
            "agrees",
            "reason",
        ],
    )
    report["VISITNUM"] = report["VISITNUM"].astype("Float64")
    report["RSDY"] = report["RSDY"].astype("Float64").astype("Int64")
    report = report.sort_values(["USUBJID", "VISITNUM", "VISIT"], kind="stable", ignore_index=True)
    left_out = {e.patient for e in study.excluded}
    report = report[~report["USUBJID"].isin(left_out)].reset_index(drop=True)
    report.attrs["subjects"] = int(study.long["patient"].nunique())
    report.attrs["notes"] = list(study.notes)
    report.attrs["excluded"] = list(study.excluded)
    return report
