"""Hostile and broken CSV files, generated from a seed, and a time-bounded way to run them.

Shared by ``tests/test_fuzz.py`` (a few hundred files in the default run) and
``benchmarks/fuzz_csv.py`` (10,000 and more). Every file is a pure function of
``(seed, index)``, so a failure reported by either can be rebuilt exactly with
:func:`make_case`.

The families (:data:`KINDS`) follow issue 7: valid studies, random bytes and text,
truncated files and rows, huge numbers, ``NaN``/``inf``, negative sizes, decimal commas,
semicolon delimiters, a BOM, UTF-16 and Latin-1, Excel-style exports, 10,000-column lines,
duplicated headers, empty files, formula and control characters, unbalanced quotes, very
long fields, bad dates, bit flips and splices of two mutations.

The :class:`Runner` feeds cases to a worker process (``python tests/fuzzcorpus.py
--worker``) and kills it when a case runs over its time limit, so a hang is counted, not
waited for; the worker caps its address space, reports its peak resident memory, and
turns every outcome into one of: ``ok`` (a result), ``clear`` (a refusal that names the
problem), ``traceback`` (any other exception, or a traceback printed), ``warning``
(a Python warning escaped to the user) or ``hang``.
"""

# ruff: noqa: S311 - seeded pseudo-random test data, not secrets

from __future__ import annotations

import codecs
import contextvars
import csv
import io
import json
import os
import random
import resource
import select
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final

ROOT: Final = Path(__file__).resolve().parent.parent

COLUMNS: Final = ("patient", "visit", "day", "lesion", "role", "size_mm", "node", "organ", "status")
"""The long table's columns as the generator writes them (``remission.table``)."""

HOSTILE_NUMBERS: Final = (
    "1e308",
    "1e309",
    "-1e308",
    "1.7976931348623157e308",
    "9" * 400,
    "1" + "0" * 5000,
    "1e-400",
    "0.000000000000000000000001",
    "99999999999999999999",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "4e-324",
    "1E+999999999",
    "0x1F",
    "1_000",
    "１２",  # full-width digits
    "٣",  # Arabic-Indic digit
    "+30",
    "30.",
    ".5",
    "1e2",
    "0e0",
    "00000000000000000000030",
)
"""Numbers that stress parsing, exactness and overflow; each must be read or refused."""

EXTREME_EXPONENTS: Final = ("1e-99999999", "1e99999999", "1E-999999999")
"""Short texts for numbers whose exact value has about 10**8 digits: a denial of service
unless the reader refuses them before building the exact fraction."""

MISSING_WORDS: Final = (
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    "NA",
    "N/A",
    "null",
    "None",
    "#N/A",
)
NEGATIVES: Final = ("-5", "-0", "-0.0", "-1e-9", "-30.5", "−5")
FORMULAS: Final = (
    "=1+1",
    "+1+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1",
    '=HYPERLINK("http://127.0.0.1/x","y")',
    "=cmd|' /C calc'!A0",
)
CONTROL: Final = (
    "\x00",
    "\x1b[31m",
    "\x07",
    "\u202e",
    "\u200b",
    "\ufeff",
    "\x85",
    "\u2028",
    "\ud7ff",
)
UNICODE_TEXT: Final = ("Ösophagus", "肝臓", "שקד", "💥", "e\u0301", "İ", "ß", "\u00a0liver")


@dataclass(frozen=True)
class FuzzCase:
    """One generated file: its index in the corpus, its family and its bytes."""

    index: int
    kind: str
    data: bytes


# --------------------------------------------------------------------------- writing


def study(rng: random.Random) -> list[dict[str, str]]:
    """A valid long table: 1-6 patients, 1-4 targets, maybe non-target disease, 2-5 visits."""
    rows: list[dict[str, str]] = []
    for p in range(rng.randint(1, 6)):
        patient = f"P{p + 1:02d}"
        targets = rng.randint(1, 4)
        non_target = rng.random() < 0.5
        day = 0
        sizes = [rng.randint(10, 80) for _ in range(targets)]
        for v in range(rng.randint(2, 5)):
            visit = "baseline" if v == 0 else f"week {day // 7}"
            for t in range(targets):
                if v:
                    sizes[t] = max(0, sizes[t] + rng.randint(-15, 10))
                size = str(sizes[t]) if rng.random() > 0.05 or v == 0 else ""
                rows.append(
                    {
                        "patient": patient,
                        "visit": visit,
                        "day": str(day),
                        "lesion": f"T{t + 1}",
                        "role": "target",
                        "size_mm": size,
                        "node": "no",
                        "organ": rng.choice(("liver", "lung", "bone", "adrenal")),
                        "status": "",
                    }
                )
            if non_target:
                status = "present" if v == 0 else rng.choice(("present", "absent", "progression"))
                rows.append(
                    {
                        "patient": patient,
                        "visit": visit,
                        "day": str(day),
                        "lesion": "NT1",
                        "role": "non-target",
                        "size_mm": "",
                        "node": "no",
                        "organ": "pleura",
                        "status": status,
                    }
                )
            if v and rng.random() < 0.1:
                rows.append(
                    {
                        "patient": patient,
                        "visit": visit,
                        "day": str(day),
                        "lesion": "N1",
                        "role": "new",
                        "size_mm": "",
                        "node": "no",
                        "organ": "bone",
                        "status": "present",
                    }
                )
            day += rng.choice((28, 42, 56))
    return rows


def render(
    rows: Sequence[dict[str, str]],
    columns: Sequence[str] = COLUMNS,
    *,
    sep: str = ",",
    newline: str = "\n",
    quote_all: bool = False,
) -> str:
    """CSV text of ``rows`` (quoted as the csv module does, or every field quoted)."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=sep,
        lineterminator=newline,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return buffer.getvalue()


def _valid_text(rng: random.Random) -> str:
    return render(study(rng))


def _set_cells(rng: random.Random, values: Sequence[str], columns: Sequence[str]) -> str:
    rows = study(rng)
    for row in rng.sample(rows, k=max(1, len(rows) // 4)):
        row[rng.choice(columns)] = rng.choice(values)
    return render(rows)


# --------------------------------------------------------------------------- families


def _valid(rng: random.Random) -> bytes:
    return _valid_text(rng).encode()


def _random_bytes(rng: random.Random) -> bytes:
    return rng.randbytes(rng.choice((1, 7, 64, 512, 4096)))


def _random_text(rng: random.Random) -> bytes:
    alphabet = 'abcP0123456789.,;"\n\r\t -=+@e'
    return "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 2000))).encode()


def _truncated(rng: random.Random) -> bytes:
    data = _valid(rng)
    return data[: rng.randint(0, len(data))]


def _truncated_rows(rng: random.Random) -> bytes:
    lines = _valid_text(rng).splitlines()
    for i in rng.sample(range(1, len(lines)), k=max(1, (len(lines) - 1) // 3)):
        fields = lines[i].split(",")
        lines[i] = ",".join(fields[: rng.randint(0, len(fields) - 1)])
    return "\n".join(lines).encode()


def _huge_numbers(rng: random.Random) -> bytes:
    return _set_cells(rng, HOSTILE_NUMBERS, ("size_mm", "size_mm", "day")).encode()


def _extreme_exponents(rng: random.Random) -> bytes:
    return _set_cells(rng, EXTREME_EXPONENTS, ("size_mm",)).encode()


def _nan_inf(rng: random.Random) -> bytes:
    return _set_cells(rng, MISSING_WORDS, ("size_mm", "day", "status")).encode()


def _negative(rng: random.Random) -> bytes:
    return _set_cells(rng, NEGATIVES, ("size_mm", "day")).encode()


def _decimal_comma(rng: random.Random) -> bytes:
    rows = study(rng)
    for row in rows:
        if row["size_mm"]:
            row["size_mm"] = f"{row['size_mm']},{rng.randint(0, 9)}"
    text = render(rows)
    if rng.random() < 0.5:  # unquoted, as a hand edit or a naive export writes it
        text = text.replace('"', "")
    return text.encode()


def _semicolon(rng: random.Random) -> bytes:
    rows = study(rng)
    for row in rows:
        if row["size_mm"] and rng.random() < 0.5:
            row["size_mm"] += ",5"
    return render(rows, sep=";").encode()


def _bom(rng: random.Random) -> bytes:
    return codecs.BOM_UTF8 + _valid(rng)


def _utf16(rng: random.Random) -> bytes:
    return _valid_text(rng).encode(rng.choice(("utf-16", "utf-16-le", "utf-16-be", "utf-32")))


def _latin1(rng: random.Random) -> bytes:
    return _set_cells(rng, ("Ösophagus", "Leber ä", "café"), ("organ", "visit")).encode("cp1252")


def _excel(rng: random.Random) -> bytes:
    """What spreadsheets write: CRLF, BOM, quotes, ``sep=``, trailing separators, dates."""
    rows = study(rng)
    text = render(rows, newline="\r\n", quote_all=rng.random() < 0.5)
    choice = rng.randint(0, 5)
    if choice == 0:
        text = "sep=,\r\n" + text
    elif choice == 1:  # a trailing separator on every line
        text = "\r\n".join(line + "," for line in text.split("\r\n") if line) + "\r\n"
    elif choice == 2:  # empty rows at the end
        text += ",,,,,,,,\r\n" * rng.randint(1, 20)
    elif choice == 3:  # day/month dates instead of days
        text = text.replace("day", "date", 1)
        for day in sorted({r["day"] for r in rows}, key=int, reverse=True):
            text = text.replace(f",{day},", f",{1 + int(day) % 28:02d}/03/2024,")
    elif choice == 4:  # Excel's unicode text export: UTF-16 with tabs
        text = render(rows, sep="\t", newline="\r\n")
        return text.encode("utf-16")
    return codecs.BOM_UTF8 + text.encode("utf-8")


def _wide_line(rng: random.Random) -> bytes:
    text = _valid_text(rng)
    wide = ",".join(str(rng.randint(0, 9)) for _ in range(10_000))
    lines = text.splitlines()
    where = rng.choice(("header", "row", "both"))
    if where in ("header", "both"):
        lines[0] = lines[0] + "," + ",".join(f"extra{i}" for i in range(10_000))
    if where in ("row", "both"):
        lines.insert(rng.randint(1, len(lines)), wide)
    return "\n".join(lines).encode()


def _duplicate_header(rng: random.Random) -> bytes:
    columns = list(COLUMNS)
    name = rng.choice(columns)
    columns.insert(rng.randint(0, len(columns)), rng.choice((name, name.upper(), f" {name} ")))
    rows = study(rng)
    return render(rows, columns).encode()


def _empty(rng: random.Random) -> bytes:
    return rng.choice(
        (
            b"",
            b"\n",
            b"\r\n\r\n",
            b"   ",
            codecs.BOM_UTF8,
            b",,,,\n",
            b'""\n',
            (",".join(COLUMNS) + "\n").encode(),
        )
    )


def _missing_column(rng: random.Random) -> bytes:
    columns = [
        c
        for c in COLUMNS
        if c != rng.choice(("patient", "visit", "day", "lesion", "role", "size_mm"))
    ]
    return render(study(rng), columns).encode()


def _formula(rng: random.Random) -> bytes:
    return _set_cells(rng, FORMULAS, ("patient", "visit", "lesion", "organ")).encode()


def _control(rng: random.Random) -> bytes:
    return _set_cells(
        rng,
        [c + "x" for c in CONTROL] + [f"a{c}b" for c in CONTROL],
        ("patient", "visit", "lesion", "organ", "size_mm", "status"),
    ).encode("utf-8", "surrogatepass")


def _quotes(rng: random.Random) -> bytes:
    lines = _valid_text(rng).splitlines()
    i = rng.randint(0, len(lines) - 1)
    fields = lines[i].split(",")
    j = rng.randint(0, len(fields) - 1)
    fields[j] = rng.choice(('"' + fields[j], fields[j] + '"', '"a"b"', '""', '"'))
    lines[i] = ",".join(fields)
    return "\n".join(lines).encode()


def _long_field(rng: random.Random) -> bytes:
    rows = study(rng)
    row = rng.choice(rows)
    row[rng.choice(COLUMNS)] = rng.choice("x9,") * rng.choice((70_000, 140_000, 300_000))
    text = render(rows)
    if rng.random() < 0.5:  # and a ragged row, so the slower, row-by-row reader is used
        text += "P99,baseline,0,T1,target,1,2,3,4,5,6\n"
    return text.encode()


def _many_rows(rng: random.Random) -> bytes:
    rows: list[dict[str, str]] = []
    while len(rows) < 3000:
        rows.extend(study(rng))
    return render(rows).encode()


def _dates(rng: random.Random) -> bytes:
    rows = study(rng)
    columns = [("date" if c == "day" else c) for c in COLUMNS]
    bad = (
        "2024-02-30",
        "2024-13-01",
        "31/12/2024",
        "0001-01-01",
        "9999-12-31",
        "2024-1-1",
        "yesterday",
    )
    for row in rows:
        row["date"] = (
            rng.choice(bad) if rng.random() < 0.2 else f"2024-{1 + int(row['day']) // 28:02d}-01"
        )
    return render(rows, columns).encode()


def _unicode(rng: random.Random) -> bytes:
    return _set_cells(rng, UNICODE_TEXT, ("patient", "visit", "lesion", "organ")).encode()


def _bit_flip(rng: random.Random) -> bytes:
    data = bytearray(_valid(rng))
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _splice(rng: random.Random) -> bytes:
    allowed = [k for k in _SPLICE_FROM.get() if k not in ("splice", "many-rows")]
    first, second = rng.sample(allowed, 2)
    a, b = _FAMILIES[first](rng), _FAMILIES[second](rng)
    cut_a, cut_b = rng.randint(0, len(a)), rng.randint(0, len(b))
    return a[:cut_a] + b[cut_b:]


_FAMILIES: Final[dict[str, Callable[[random.Random], bytes]]] = {
    "valid": _valid,
    "random-bytes": _random_bytes,
    "random-text": _random_text,
    "truncated": _truncated,
    "truncated-rows": _truncated_rows,
    "huge-numbers": _huge_numbers,
    "extreme-exponents": _extreme_exponents,
    "nan-inf": _nan_inf,
    "negative": _negative,
    "decimal-comma": _decimal_comma,
    "semicolon": _semicolon,
    "bom": _bom,
    "utf16": _utf16,
    "latin1": _latin1,
    "excel": _excel,
    "wide-line": _wide_line,
    "duplicate-header": _duplicate_header,
    "empty": _empty,
    "missing-column": _missing_column,
    "formula": _formula,
    "control": _control,
    "quotes": _quotes,
    "long-field": _long_field,
    "many-rows": _many_rows,
    "dates": _dates,
    "unicode": _unicode,
    "bit-flip": _bit_flip,
    "splice": _splice,
}
KINDS: Final = tuple(_FAMILIES)
"""Every family, in the order the corpus cycles through them."""
_SPLICE_FROM: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar(
    "splice_from", default=KINDS
)


def make_case(seed: int, index: int, kinds: Sequence[str] = KINDS) -> FuzzCase:
    """The ``index``-th file of the corpus for ``seed`` (families taken in turn).

    A splice combines two of ``kinds`` only, so a corpus without a family never holds it.
    """
    kind = kinds[index % len(kinds)]
    rng = random.Random(f"{seed}:{index}:{kind}")
    token = _SPLICE_FROM.set(tuple(kinds))
    try:
        return FuzzCase(index, kind, _FAMILIES[kind](rng))
    finally:
        _SPLICE_FROM.reset(token)


def corpus(count: int, seed: int, kinds: Sequence[str] = KINDS) -> Iterator[FuzzCase]:
    """``count`` files, every family in turn, each reproducible from ``(seed, index)``."""
    for index in range(count):
        yield make_case(seed, index, kinds)


# --------------------------------------------------------------------------- form cells

_CELL_WORDS: Final = ("too small", "Too-Small", "not assessed", "0", "", " ", "gone", "x", "NA")


def cell_text(rng: random.Random) -> str:
    """One follow-up size cell as typed into the Assess form (at most 32 characters)."""
    choice = rng.randint(0, 6)
    if choice == 0:
        text = f"{rng.uniform(0, 200):.{rng.randint(0, 6)}f}"
    elif choice == 1:
        text = rng.choice(HOSTILE_NUMBERS)
    elif choice == 2:
        text = rng.choice((*EXTREME_EXPONENTS, "1e999", "1e309", "-1e-999", "1e-1000"))
    elif choice == 3:
        text = rng.choice(_CELL_WORDS + MISSING_WORDS + NEGATIVES)
    elif choice == 4:
        parts = [
            rng.choice(("52", "40.5", "1e308", "0", "1e-400", "-3", "abc", ""))
            for _ in range(rng.randint(1, 3))
        ]
        text = rng.choice((" x ", "x", " × ", "*", " X ")).join(parts)
    elif choice == 5:
        text = "".join(rng.choice("0123456789.eE+-x× ,_") for _ in range(rng.randint(1, 32)))
    else:
        text = rng.choice(FORMULAS + CONTROL + UNICODE_TEXT) + rng.choice(("", "12", " 5"))
    return text[:32]


def cell_cases(count: int, seed: int) -> Iterator[FuzzCase]:
    """``count`` size cells for the ``cell`` target, each reproducible from ``(seed, index)``."""
    for index in range(count):
        rng = random.Random(f"{seed}:{index}:cell")
        yield FuzzCase(index, "cell", cell_text(rng).encode("utf-8", "surrogatepass"))


# --------------------------------------------------------------------------- the worker

TARGETS: Final = ("frame", "cli", "cell")
"""``frame``: :func:`remission.frame.classify_frame` on the bytes, then the app's path
(``read_table(keep_going=True)`` → ``classify_frame`` → ``best_response_frame`` →
safe CSV); ``cli``: ``remission.cli.main(["assess", FILE, "-o", OUT])`` in-process
(``--keep-going`` on odd cases); ``cell``: the first 32 characters as a follow-up size
cell of the Assess page's form (:func:`remission.case.assess`)."""

MEMORY_LIMIT_BYTES: Final = 3 * 1024**3
"""The worker's address-space cap: a runaway allocation fails there, not on the machine."""


def _clear(error: BaseException) -> str | None:
    """The message when ``error`` is a refusal that names the problem, else ``None``."""
    from remission.errors import InvalidInput

    if not isinstance(error, InvalidInput) or not error.problems:
        return None
    for problem in error.problems:
        if not (problem.where and problem.field and problem.message and problem.fix):
            return None
    return str(error)


def _run_frame(data: bytes, criteria: str) -> str:
    from remission.export import to_safe_csv
    from remission.frame import best_response_frame, classify_frame
    from remission.table import read_table

    outcome = "ok"
    try:
        classify_frame(data, criteria=criteria)
    except Exception as error:
        if _clear(error) is None:
            raise
        outcome = "clear"
    try:
        table = read_table(data, keep_going=True)
    except Exception as error:
        if _clear(error) is None:
            raise
        return "clear"
    # As the Study page does: both frames, before it looks whether any patient is left.
    to_safe_csv(classify_frame(table, criteria=criteria))
    to_safe_csv(best_response_frame(table, criteria=criteria))
    return outcome


def _run_cli(data: bytes, criteria: str, workdir: Path, keep_going: bool) -> str:
    from remission.cli import main

    source = workdir / "in.csv"
    target = workdir / "out.csv"
    source.write_bytes(data)
    target.unlink(missing_ok=True)
    out, err = io.StringIO(), io.StringIO()
    argv = ["assess", str(source), "--criteria", criteria, "-o", str(target)]
    code = main([*argv, "--keep-going"] if keep_going else argv, stdout=out, stderr=err)
    message = err.getvalue()
    if "Traceback (most recent call last)" in message:
        raise RuntimeError("the command printed a traceback:\n" + message[-2000:])
    if "unexpected error" in message:
        # The command's catch-all: no traceback, but no clear message either (a bug).
        raise _Internal(message.strip()[-2000:])
    if code == 0:
        return "ok"
    if code == 1 and message.strip():
        return "clear" if not target.exists() or keep_going else "ok"
    raise RuntimeError(f"exit code {code}; stderr: {message[-500:]!r}")


def _run_cell(data: bytes, criteria: str) -> str:
    """One follow-up size cell of the Assess page's form, as the page reads it."""
    from remission import case as cases
    from remission.export import to_safe_csv

    text = data.decode("utf-8", "surrogatepass")[: cases.MAX_CELL]
    case = cases.Case(
        lesions=(cases.LesionEntry("T1", "liver", baseline="30", sizes=(text,)),),
        visits=(cases.VisitEntry(day=56),),
        unit="mm",
        criteria=criteria,
    )
    try:
        series = cases.assess(case)
    except Exception as error:
        if _clear(error) is None:
            raise
        return "clear"
    # What the page draws and offers for download from the result.
    to_safe_csv(cases.result_frame(series))
    cases.result_json(case, series)
    cases.summary_text(case, series)
    cases.visit_table(series)
    cases.compare_table(case)
    return "ok"


class _Internal(Exception):
    """The command line's catch-all reported an unexpected error."""


SEVERITY: Final = ("ok", "clear", "warning", "internal", "traceback", "memory", "crash", "hang")
"""Outcomes from best to worst; a file run through several paths gets its worst."""


def _one(target: str, data: bytes, criteria: str, workdir: Path, variant: int) -> tuple[str, str]:
    """(status, detail) of one path, with warnings that reach the user counted."""
    detail = ""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            if target == "frame":
                status = _run_frame(data, criteria)
            elif target == "cli":
                status = _run_cli(data, criteria, workdir, keep_going=bool(variant % 2))
            elif target == "cell":
                status = _run_cell(data, criteria)
            else:  # "sleep": the harness's own test of its time limit
                time.sleep(3600)
                status = "ok"
        except MemoryError:
            status, detail = "memory", "MemoryError"
        except _Internal as error:
            status, detail = "internal", str(error)
        except Exception:
            status, detail = "traceback", traceback.format_exc(limit=-4)[-3000:]
    if status in ("ok", "clear") and caught:
        status = "warning"
        detail = "; ".join(
            f"{w.category.__name__}: {w.message} ({w.filename}:{w.lineno})" for w in caught
        )[:3000]
    return status, detail


def _handle(
    target: str, data: bytes, criteria: str, workdir: Path, variant: int
) -> dict[str, object]:
    """Run one case: ``both`` = the frame path, then the CLI; the worst outcome counts."""
    started = time.perf_counter()
    paths = ("frame", "cli") if target == "both" else (target,)
    outcomes = {path: _one(path, data, criteria, workdir, variant) for path in paths}
    status, detail = max(outcomes.values(), key=lambda o: SEVERITY.index(o[0]))
    return {
        "status": status,
        "detail": detail,
        "paths": {path: outcome[0] for path, outcome in outcomes.items()},
        "seconds": time.perf_counter() - started,
        "rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def worker(stdin: IO[bytes], stdout: IO[bytes]) -> None:
    """Serve cases: ``[4-byte header length][json header][data]`` in, a JSON line out."""
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT_BYTES, MEMORY_LIMIT_BYTES))
    sys.path.insert(0, str(ROOT))
    # Imported before "ready", so that no case's time limit includes the imports.
    import remission.case
    import remission.cli
    import remission.frame  # noqa: F401

    with tempfile.TemporaryDirectory(prefix="remission-fuzz-") as tmp:
        stdout.write(b'{"ready": true}\n')
        stdout.flush()
        while True:
            raw = stdin.read(4)
            if len(raw) < 4:
                return
            (length,) = struct.unpack(">I", raw)
            header = json.loads(stdin.read(length))
            data = stdin.read(int(header["size"]))
            result = _handle(
                str(header["target"]),
                data,
                str(header["criteria"]),
                Path(tmp),
                int(header.get("variant", 0)),
            )
            stdout.write(json.dumps(result).encode() + b"\n")
            stdout.flush()


@dataclass
class Tally:
    """Counts per outcome, the slowest case, peak memory and the failures to look at."""

    tried: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    slowest: float = 0.0
    peak_rss_kb: int = 0
    failures: list[tuple[FuzzCase, str, str, str]] = field(default_factory=list)
    """(case, target, status, detail) for every case that was not ``ok`` or ``clear``."""
    paths: dict[str, dict[str, int]] = field(default_factory=dict)
    """Counts per path (``frame``, ``cli``) when one case ran through several."""

    def add(self, case: FuzzCase, target: str, result: dict[str, object]) -> None:
        status = str(result["status"])
        self.tried += 1
        self.counts[status] = self.counts.get(status, 0) + 1
        self.slowest = max(self.slowest, float(str(result.get("seconds", 0.0))))
        self.peak_rss_kb = max(self.peak_rss_kb, int(str(result.get("rss_kb", 0))))
        if status not in ("ok", "clear"):
            self.failures.append((case, target, status, str(result.get("detail", ""))))
        paths = result.get("paths")
        if isinstance(paths, dict):
            for path, outcome in paths.items():
                counts = self.paths.setdefault(str(path), {})
                counts[str(outcome)] = counts.get(str(outcome), 0) + 1

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)


class Runner:
    """A worker process that runs one case at a time, killed and restarted on a hang."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0

    def _start(self) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            cwd=ROOT,
        )
        line = self._read_line(process, 120.0)
        if line is None or not line.startswith(b'{"ready"'):
            process.kill()
            raise RuntimeError("the fuzz worker did not start")
        return process

    @staticmethod
    def _read_line(process: subprocess.Popen[bytes], timeout: float) -> bytes | None:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], timeout)
        if not ready:
            return None
        return process.stdout.readline() or None

    def run(self, case: FuzzCase, target: str, criteria: str = "recist1.1") -> dict[str, object]:
        """The worker's result, or ``hang`` (killed after the timeout) or ``crash``."""
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        process = self.process
        assert process.stdin is not None
        header = json.dumps(
            {"target": target, "criteria": criteria, "size": len(case.data)}
        ).encode()
        started = time.perf_counter()
        try:
            process.stdin.write(struct.pack(">I", len(header)) + header + case.data)
            process.stdin.flush()
            line = self._read_line(process, self.timeout)
        except BrokenPipeError:
            line = None
        if line is None:
            hung = process.poll() is None
            self.close()
            self.restarts += 1
            return {
                "status": "hang" if hung else "crash",
                "detail": f"no answer within the {self.timeout:g} s limit"
                if hung
                else f"worker died (exit {process.returncode})",
                "seconds": time.perf_counter() - started,
                "rss_kb": 0,
            }
        result: dict[str, object] = json.loads(line)
        return result

    def close(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait(timeout=30)
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
            self.process = None

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _serve() -> None:
    """Run as the worker: the protocol keeps the real stdout; stray prints go nowhere."""
    protocol = os.fdopen(os.dup(1), "wb")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - lives as long as the worker
    worker(sys.stdin.buffer, protocol)


if __name__ == "__main__" and sys.argv[1:] == ["--worker"]:
    _serve()
