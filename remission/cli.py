"""The command line: ``python -m remission assess|compare|example|cdisc|audit|rcb|sr``.

Exit codes: 0 success; 1 the input had errors (one line per problem on stderr, all of
them); 2 usage errors (argparse's convention). Nothing ever ends in a traceback: input
problems are :class:`~remission.errors.InvalidInput`, and anything else is caught at the
top and reported on one line (it would be a bug, and the line says so).

Subcommands are rows of :data:`COMMANDS`: a name, a help line, examples, a function
that adds its arguments and a function that runs it. Adding one (``rcb``, say) is a
new :class:`Command` in that tuple.

Examples:
    >>> import io
    >>> out, err = io.StringIO(), io.StringIO()
    >>> main(["example", "--list"], stdout=out, stderr=err)
    0
    >>> out.getvalue().splitlines()[0].split(":")[0]
    'recist-worked'
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

import pandas as pd

from remission import cdisc, examples
from remission.criteria import CRITERIA, get_criteria
from remission.errors import InvalidInput, Problem, one_line
from remission.export import Format, to_json, to_safe_csv
from remission.frame import best_response_frame, classify_frame
from remission.rcb import COLUMNS as RCB_COLUMNS
from remission.rcb import rcb, rcb_frame
from remission.table import DEFAULT_MAX_ROWS, Exclusion, Table, read_table

__all__ = ["COMMANDS", "Command", "Streams", "main"]


@dataclass(frozen=True)
class Streams:
    """Where a command reads and writes: the real console, or buffers in tests."""

    stdin: IO[bytes] | IO[str]
    stdout: IO[str]
    stderr: IO[str]


@dataclass(frozen=True)
class Command:
    """One subcommand: its help, examples, arguments and what it does (returns the exit code)."""

    name: str
    help: str
    examples: str
    arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Streams], int]


# --------------------------------------------------------------------------- shared options


def _criteria_name(text: str) -> str:
    try:
        return get_criteria(text).name
    except InvalidInput:
        names = ", ".join(CRITERIA)
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a criteria set (use one of {names})"
        ) from None


def _example_name(text: str) -> str:
    if text in examples.names():
        return text
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a bundled example (use one of {', '.join(examples.names())})"
    )


def _days_or(*words: str) -> Callable[[str], int | str | None]:
    def parse(text: str) -> int | str | None:
        word = text.strip().lower()
        if word in words:
            return None if word == "none" else word
        try:
            value = int(word)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a whole number of days (or {', '.join(words)})"
            ) from None
        if value < 0:
            raise argparse.ArgumentTypeError(f"{text!r} is negative: give 0 or more days")
        return value

    return parse


def _whole(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number of ``minimum`` or more."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            too_small = "is negative" if value < 0 else f"is below {minimum}"
            raise argparse.ArgumentTypeError(f"{text!r} {too_small}: give {minimum} or more")
        return value

    return parse


def _input_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "input", help="the long measurement table as CSV (a path, or - for standard input)"
    )
    parser.add_argument(
        "--max-rows",
        type=_whole(1),
        default=DEFAULT_MAX_ROWS,
        help=f"refuse inputs with more rows (default {DEFAULT_MAX_ROWS:,})",
    )
    _keep_going_options(parser, "patients whose rows")


def _output_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o", "--output", default="-", help="where to write (a path, or - for standard output)"
    )
    parser.add_argument(
        "--format",
        choices=[f.value for f in Format],
        help="csv (default; safe to open in a spreadsheet) or json (default for -o *.json)",
    )


def _series_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--confirmation-days",
        type=_days_or("criteria", "none"),
        default="criteria",
        help="days between a CR/PR and the assessment confirming it; none = no "
        "confirmation (default: the criteria's own, RECIST 1.1 none, WHO/RECIST 1.0 28); "
        "ADRS's CBOR is always confirmed, 28 days when none is given",
    )
    parser.add_argument(
        "--sd-min-days",
        type=_days_or("criteria"),
        default="criteria",
        help="minimum days from baseline for SD to count as best response (default: "
        "the criteria's own, RECIST 42)",
    )
    parser.add_argument(
        "--max-ne-between",
        type=_whole(0),
        default=1,
        help="NE assessments allowed between a response and its confirmation (default 1)",
    )
    parser.add_argument(
        "--accept-sd",
        action="store_true",
        help="let one SD lie between a PR and its confirmation (admiralonco's accept_sd)",
    )


def _series_kwargs(args: argparse.Namespace) -> dict[str, object]:
    return {
        "confirmation_days": args.confirmation_days,
        "sd_min_days": args.sd_min_days,
        "max_ne_between": args.max_ne_between,
        "accept_sd": args.accept_sd,
    }


# --------------------------------------------------------------------------- I/O


def _read(args: argparse.Namespace, streams: Streams) -> Table:
    """Read the input table; with --keep-going, report (not raise) the excluded patients."""
    source: bytes | Path
    if args.input == "-":
        data = streams.stdin.read()
        source = data if isinstance(data, bytes) else data.encode("utf-8")
    elif not Path(args.input).is_file():
        raise InvalidInput(
            [
                Problem(
                    f"file {args.input!r}",
                    "input",
                    "does not exist" if not Path(args.input).exists() else "is not a file",
                    "give the path of a CSV file, or - to read standard input",
                )
            ]
        )
    else:
        source = Path(args.input)
    table = read_table(source, keep_going=args.keep_going, max_rows=args.max_rows)
    if args.keep_going:
        _report_exclusions(table, args, streams)
    return table


def _patients(count: int) -> str:
    """A count of patients in words: 1 patient, 2 patients."""
    return _counted(count, "patient")


def _counted(count: int, noun: str) -> str:
    """A count and its noun: 1 row, 2 rows."""
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _report_exclusions(table: Table, args: argparse.Namespace, streams: Streams) -> None:
    """One line per problem, then how input rows reconcile with output and exclusions."""
    for problem in table.problems:
        print(problem, file=streams.stderr)
    excluded_rows = sum(e.rows for e in table.excluded)
    kept = table.rows_kept
    print(
        f"remission: {_counted(table.input_rows, 'row')} read = {kept} classified "
        f"({_patients(len(table.patients))}) + {excluded_rows} excluded "
        f"({_patients(len(table.excluded))}: "
        f"{one_line(', '.join(e.patient for e in table.excluded)) or 'none'})"
        f" + {table.unattributed_rows} without a patient id",
        file=streams.stderr,
    )
    _write_excluded(args, table.excluded, table.unattributed)


def _write_excluded(
    args: argparse.Namespace, excluded: Sequence[Exclusion], unattributed: Sequence[Problem] = ()
) -> None:
    """With --excluded, every problem of the rows left out, one line each, as CSV."""
    if not args.excluded:
        return
    rows = [
        {
            "patient": e.patient,
            "where": p.where,
            "column": p.field,
            "problem": p.message,
            "fix": p.fix,
        }
        for e in excluded
        for p in e.problems
    ] + [
        {"patient": "", "where": p.where, "column": p.field, "problem": p.message, "fix": p.fix}
        for p in unattributed
    ]
    frame = pd.DataFrame(rows, columns=["patient", "where", "column", "problem", "fix"])
    _write_file(Path(args.excluded), to_safe_csv(frame))


def _report_subjects(
    excluded: Sequence[Exclusion], kept: int, args: argparse.Namespace, streams: Streams
) -> None:
    """CDISC with --keep-going: each problem, then who was classified and who left out."""
    for exclusion in excluded:
        for problem in exclusion.problems:
            print(problem, file=streams.stderr)
    rows = sum(e.rows for e in excluded)
    print(
        f"remission: {kept} subject{'' if kept == 1 else 's'} classified; "
        f"{len(excluded)} excluded ({one_line(', '.join(e.patient for e in excluded)) or 'none'}; "
        f"{rows} TR row{'' if rows == 1 else 's'})",
        file=streams.stderr,
    )
    _write_excluded(args, excluded)


def _usage_error(args: argparse.Namespace) -> str | None:
    """What argparse cannot check: options that only go together, or not together."""
    if getattr(args, "excluded", None) and not args.keep_going:
        return (
            "--excluded needs --keep-going (without it nothing is left out: any problem "
            "stops the run)"
        )
    if args.command == "rcb":
        return _rcb_usage(args)
    files = [getattr(args, name, None) for name in ("tu", "tr", "rs")]
    if files.count("-") > 1:
        return "only one of the datasets can be read from standard input (-)"
    return None


def _had_problems(table: Table) -> bool:
    return bool(table.excluded or table.unattributed)


def _format(args: argparse.Namespace) -> Format:
    if args.format:
        return Format(args.format)
    if args.output != "-" and Path(args.output).suffix.lower() == ".json":
        return Format.JSON
    return Format.CSV


def _write(frame: pd.DataFrame, args: argparse.Namespace, streams: Streams) -> None:
    text = to_safe_csv(frame) if _format(args) is Format.CSV else to_json(frame) + "\n"
    if args.output == "-":
        streams.stdout.write(text)
    else:
        _write_file(Path(args.output), text)


def _write_file(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8", newline="")
    except OSError as error:
        raise InvalidInput(
            [
                Problem(
                    f"file {str(path)!r}",
                    "output",
                    f"cannot be written ({error.strerror or type(error).__name__})",
                    "check that the folder exists and is writable",
                )
            ]
        ) from None


# --------------------------------------------------------------------------- commands


def _assess_arguments(parser: argparse.ArgumentParser) -> None:
    _input_options(parser)
    _assess_options(parser)


def _assess_options(parser: argparse.ArgumentParser) -> None:
    """What ``assess`` and ``sr`` share: the criteria, --best, series and output options."""
    parser.add_argument(
        "--criteria",
        type=_criteria_name,
        default="basic",
        help=f"criteria set: {', '.join(CRITERIA)} (default basic, the founding document's 50 %% rule)",
    )
    parser.add_argument(
        "--best",
        action="store_true",
        help="one row per patient: best overall response (RECIST 1.1 section 4.4.3)",
    )
    _series_options(parser)
    _output_options(parser)


def _assess(args: argparse.Namespace, streams: Streams) -> int:
    return _classify(_read(args, streams), args, streams)


def _classify(table: Table, args: argparse.Namespace, streams: Streams) -> int:
    """Classify every visit (or, with --best, patient) of the table and write the result."""
    options = _series_kwargs(args)
    if args.best:
        frame = best_response_frame(table, criteria=args.criteria, **options)  # type: ignore[arg-type]
    else:
        frame = classify_frame(table, criteria=args.criteria, **options)  # type: ignore[arg-type]
    _write(frame, args, streams)
    return 1 if _had_problems(table) else 0


def _compare_arguments(parser: argparse.ArgumentParser) -> None:
    _input_options(parser)
    parser.add_argument(
        "--best", action="store_true", help="best overall response per patient, side by side"
    )
    _series_options(parser)
    _output_options(parser)


def _compare(args: argparse.Namespace, streams: Streams) -> int:
    table = _read(args, streams)
    options = _series_kwargs(args)
    frames = []
    for name in CRITERIA:
        if args.best:
            frame = best_response_frame(table, criteria=name, **options)  # type: ignore[arg-type]
            keys = ["patient"]
            picked = frame[[*keys, "best_response"]].rename(columns={"best_response": name})
        else:
            frame = classify_frame(table, criteria=name, **options)  # type: ignore[arg-type]
            keys = ["patient", "visit", "day"]
            picked = frame[[*keys, "response"]].rename(columns={"response": name})
        frames.append(picked.set_index(keys))
    wide = pd.concat(frames, axis=1).reset_index()
    _write(wide, args, streams)
    return 1 if _had_problems(table) else 0


def _example_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "name",
        nargs="?",
        type=_example_name,
        default="mixed-cohort",
        help=f"which study: {', '.join(examples.names())} (default mixed-cohort)",
    )
    parser.add_argument("--list", action="store_true", help="list the bundled studies")
    parser.add_argument(
        "-o", "--output", default="-", help="where to write (default standard output)"
    )


def _example(args: argparse.Namespace, streams: Streams) -> int:
    if args.list:
        for name in examples.names():
            print(f"{name}: {examples.describe(name)}", file=streams.stdout)
        return 0
    text = examples.csv_text(args.name)
    if args.output == "-":
        streams.stdout.write(text)
    else:
        _write_file(Path(args.output), text)
    return 0


def _cdisc_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tu", help="SDTM TU (tumour identification): .csv or .xpt, or -")
    parser.add_argument("tr", help="SDTM TR (tumour results): .csv or .xpt, or -")
    parser.add_argument(
        "--to",
        choices=["rs", "adrs", "long"],
        default="rs",
        help="rs: SDTM RS records; adrs: ADaM ADRS parameters OVR/BOR/CBOR; long: the "
        "long measurement table (default rs)",
    )
    parser.add_argument(
        "--criteria",
        type=_criteria_name,
        default="recist1.1",
        help="criteria set (default recist1.1)",
    )
    parser.add_argument("--study", help="STUDYID when TU/TR have none")
    _evaluator_option(parser)
    _keep_going_options(parser, "subjects whose records")
    _series_options(parser)
    _output_options(parser)


def _keep_going_options(parser: argparse.ArgumentParser, whose: str) -> None:
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help=f"classify the {whose} are fine; report the others on standard error (and "
        "in --excluded) and exit 1",
    )
    parser.add_argument(
        "--excluded",
        metavar="PATH",
        help="with --keep-going, also write every problem of the ones left out to this CSV",
    )


def _evaluator_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--evaluator",
        help="when several readers measured the scans (TREVAL/TREVALID), read this one's "
        "records, e.g. 'RADIOLOGIST 1' or INVESTIGATOR (default: the records with "
        "TRACPTFL = Y)",
    )


def _notes(notes: Sequence[str], streams: Streams) -> None:
    for note in notes:
        print(f"remission: note: {one_line(note)}", file=streams.stderr)


def _domain(name: str, streams: Streams) -> str | bytes:
    """A dataset's path, or the CSV read from standard input for ``-``."""
    if name != "-":
        return name
    raw = streams.stdin.read()
    return raw if isinstance(raw, bytes) else raw.encode("utf-8")


def _cdisc(args: argparse.Namespace, streams: Streams) -> int:
    study = cdisc.read_sdtm(
        _domain(args.tu, streams),
        _domain(args.tr, streams),
        evaluator=args.evaluator,
        keep_going=args.keep_going,
    )
    _notes(study.notes, streams)
    if args.keep_going:
        _report_subjects(study.excluded, study.long["patient"].nunique(), args, streams)
    if args.to == "long":
        frame = study.long
    elif args.to == "adrs":
        frame = cdisc.to_adrs(
            study,
            criteria=args.criteria,
            studyid=args.study,
            **_series_kwargs(args),  # type: ignore[arg-type]
        )
    else:
        frame = cdisc.to_rs(study, criteria=args.criteria, studyid=args.study)
    _write(frame, args, streams)
    return 1 if study.excluded else 0


def _audit_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("tu", help="SDTM TU: .csv or .xpt, or -")
    parser.add_argument("tr", help="SDTM TR: .csv or .xpt, or -")
    parser.add_argument(
        "rs", help="SDTM RS with the recorded overall responses: .csv or .xpt, or -"
    )
    parser.add_argument(
        "--criteria",
        type=_criteria_name,
        default="recist1.1",
        help="criteria set (default recist1.1)",
    )
    parser.add_argument(
        "--all", action="store_true", help="list every recorded visit, not only the differences"
    )
    _evaluator_option(parser)
    _keep_going_options(parser, "subjects whose records")
    _output_options(parser)


def _audit(args: argparse.Namespace, streams: Streams) -> int:
    report = cdisc.audit(
        _domain(args.tu, streams),
        _domain(args.tr, streams),
        _domain(args.rs, streams),
        criteria=args.criteria,
        evaluator=args.evaluator,
        keep_going=args.keep_going,
    )
    _notes(report.attrs.get("notes", []), streams)
    excluded: list[Exclusion] = report.attrs.get("excluded", [])
    if args.keep_going:
        _report_subjects(excluded, report.attrs.get("subjects", 0), args, streams)
    differing = int((~report["agrees"]).sum())
    recorded = int((report["recorded"] != "").sum())
    print(
        f"remission: {recorded} recorded overall responses checked under "
        f"{get_criteria(args.criteria).title}; {differing} of {len(report)} visits differ "
        "or are missing",
        file=streams.stderr,
    )
    _write(report if args.all else report[~report["agrees"]], args, streams)
    return 1 if excluded else 0


def _sr_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "reports",
        nargs="+",
        metavar="REPORT",
        help="DICOM SR measurement reports (TID 1500), one per study, e.g. *.dcm",
    )
    parser.add_argument(
        "--patient",
        help="the PatientID every report must carry (another patient's report is an error); "
        "default: every patient's reports, each patient classified on their own",
    )
    parser.add_argument(
        "--roles",
        metavar="CSV",
        help="lesion roles the viewer did not record: a CSV with columns lesion (its "
        "Tracking Identifier or UID) and role (target, non-target, new), optionally "
        "patient and node (yes/no)",
    )
    _keep_going_options(parser, "patients whose reports")
    _assess_options(parser)


def _sr(args: argparse.Namespace, streams: Streams) -> int:
    from remission.sr import read_reports  # noqa: PLC0415 (pydicom, highdicom: only here)

    if args.roles is not None and not Path(args.roles).is_file():
        raise InvalidInput(
            [Problem(f"file {args.roles!r}", "--roles", "does not exist", "give a CSV path")]
        )
    study = read_reports(
        args.reports, patient=args.patient, roles=args.roles, keep_going=args.keep_going
    )
    _notes(study.notes, streams)
    if args.keep_going:
        for problem in study.problems:
            print(problem, file=streams.stderr)
        print(
            f"remission: {_counted(study.files, 'file')} given = "
            f"{study.files - len(study.left_out)} read + {len(study.left_out)} left out "
            f"({one_line(', '.join(study.left_out)) or 'none'}); patients left out: "
            f"{one_line(', '.join(study.patients_left_out)) or 'none'}",
            file=streams.stderr,
        )
        _write_excluded(args, (), study.problems)
    status = _classify(read_table(study.long), args, streams)
    return 1 if study.problems else status


def _rcb_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "input",
        nargs="?",
        help="a CSV with one case per row (columns d1_mm, d2_mm, cellularity_pct, "
        "in_situ_pct, positive_nodes, largest_node_met_mm), or - for standard input; "
        "leave it out to give one case with the options below",
    )
    case = parser.add_argument_group("one case (Symmans et al. 2007, Methods)")
    case.add_argument("--d1", help="largest dimension of the residual tumour bed, mm")
    case.add_argument("--d2", help="second dimension of the tumour bed, mm")
    case.add_argument("--cellularity", help="cancer cellularity of the bed, %%")
    case.add_argument("--in-situ", help="share of the cancer that is in situ, %% (0 if none)")
    case.add_argument("--nodes", help="number of positive lymph nodes (0 if none)")
    case.add_argument("--node-size", help="diameter of the largest nodal metastasis, mm")
    _output_options(parser)


def _read_rcb_cases(name: str, streams: Streams) -> pd.DataFrame:
    """A CSV of RCB cases, every cell as text so rcb() reports bad numbers itself."""
    data: Path | io.BytesIO
    if name == "-":
        raw = streams.stdin.read()
        data = io.BytesIO(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    elif Path(name).is_file():
        data = Path(name)
    else:
        raise InvalidInput(
            [Problem(f"file {name!r}", "input", "does not exist", "give a CSV path, or -")]
        )
    try:
        return pd.read_csv(data, dtype=str, keep_default_na=False, na_values=[""])
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise InvalidInput(
            [Problem("input", "file", f"is not a readable CSV ({error})", "save it as UTF-8 CSV")]
        ) from None


_RCB_OPTIONS: Final = ("d1", "d2", "cellularity", "in_situ", "nodes", "node_size")


def _rcb_usage(args: argparse.Namespace) -> str | None:
    """A CSV of cases or the options of one case, not both; one case needs five options."""
    given = [
        f"--{name.replace('_', '-')}" for name in _RCB_OPTIONS if getattr(args, name) is not None
    ]
    if args.input is not None:
        if given:
            return f"give a CSV file of cases or the options of one case, not both ({', '.join(given)})"
        return None
    # Nothing defaults to 0: a forgotten node count must not become "no positive nodes".
    missing = [
        f"--{name.replace('_', '-')}" for name in _RCB_OPTIONS[:-1] if getattr(args, name) is None
    ]
    if missing:
        return f"one case needs {', '.join(missing)} (or give a CSV file of cases)"
    return None


def _stripped(cell: object) -> object:
    """A cell without the spaces rcb() reads past (any Unicode white space)."""
    return cell.strip() if isinstance(cell, str) else cell


def _rcb(args: argparse.Namespace, streams: Streams) -> int:
    if args.input is not None:
        cases = rcb_frame(_read_rcb_cases(args.input, streams))
        # Read as text so that rcb() names bad cells; checked, they are numbers again.
        numbers = {c: pd.to_numeric(cases[c].map(_stripped)) for c in RCB_COLUMNS}
        _write(cases.assign(**numbers), args, streams)
        return 0
    result = rcb(args.d1, args.d2, args.cellularity, args.in_situ, args.nodes, args.node_size)
    prose = args.format is None and Path(args.output).suffix.lower() not in (".csv", ".json")
    if not prose:
        frame = pd.DataFrame(
            [
                {
                    "rcb_index": result.index,
                    "rcb_class": result.rcb_class.value,
                    "pcr": result.pcr,
                    "explanation": result.explanation.clinician,
                }
            ]
        )
        _write(frame, args, streams)
        return 0
    text = (
        f"RCB index {result.rounded_index} ({result.rcb_class.value}"
        f"{', pathological complete response' if result.pcr else ''})\n"
        f"{result.explanation.clinician}\nFor patients: {result.explanation.patient}\n"
    )
    if args.output == "-":
        streams.stdout.write(text)
    else:
        _write_file(Path(args.output), text)
    return 0


COMMANDS: Final = (
    Command(
        "assess",
        "classify every visit (or, with --best, every patient) of a long measurement table",
        "  python -m remission assess study.csv --criteria recist1.1 -o visits.csv\n"
        "  python -m remission assess study.csv --criteria recist1.1 --best --format json\n"
        "  python -m remission example | python -m remission assess - --criteria who",
        _assess_arguments,
        _assess,
    ),
    Command(
        "compare",
        "every criteria set side by side, one column each",
        "  python -m remission compare study.csv\n"
        "  python -m remission compare study.csv --best -o best.csv",
        _compare_arguments,
        _compare,
    ),
    Command(
        "example",
        "print a bundled example study (a long table to start from)",
        "  python -m remission example > example.csv\n"
        "  python -m remission example --list\n"
        "  python -m remission example breast-recurrence",
        _example_arguments,
        _example,
    ),
    Command(
        "cdisc",
        "read SDTM TU + TR (CSV or SAS XPORT) and write RS, ADRS or the long table",
        "  python -m remission cdisc tu.xpt tr.xpt --to rs -o rs.csv\n"
        "  python -m remission cdisc tu.csv tr.csv --to adrs --confirmation-days 28",
        _cdisc_arguments,
        _cdisc,
    ),
    Command(
        "audit",
        "recompute every recorded overall response in RS and list those that differ, with why",
        "  python -m remission audit tu.xpt tr.xpt rs.xpt --criteria recist1.1\n"
        "  python -m remission audit tu.csv tr.csv rs.csv --all -o audit.csv",
        _audit_arguments,
        _audit,
    ),
    Command(
        "rcb",
        "residual cancer burden and pCR after neoadjuvant therapy (one case, or a CSV of cases)",
        "  python -m remission rcb --d1 20 --d2 10 --cellularity 30 --in-situ 10 --nodes 2 "
        "--node-size 4\n"
        "  python -m remission rcb cases.csv -o rcb.csv",
        _rcb_arguments,
        _rcb,
    ),
    Command(
        "sr",
        "read DICOM SR measurement reports (TID 1500, from a viewer) and classify them",
        "  python -m remission sr baseline.dcm week8.dcm week16.dcm --criteria recist1.1\n"
        "  python -m remission sr reports/*.dcm --roles roles.csv --best --format json",
        _sr_arguments,
        _sr,
    ),
)
"""Every subcommand, in the order ``--help`` lists them."""


# --------------------------------------------------------------------------- entry point


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m remission",
        description="Rule-based tumour-response classification (basic 50 % rule, WHO 1981, "
        "RECIST 1.0, RECIST 1.1), every result explained with its rule and source.",
        epilog="examples:\n"
        + "\n".join(c.examples for c in COMMANDS)
        + "\n\nexit status: 0 success, 1 errors in the input (one line each on standard "
        "error), 2 usage errors",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = commands.add_parser(
            command.name,
            help=command.help,
            description=command.help,
            epilog="examples:\n" + command.examples,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        command.arguments(sub)
    return parser


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[bytes] | IO[str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
) -> int:
    """Run the command line; return the exit status (never raises, never a traceback).

    Args:
        argv: the arguments (default ``sys.argv[1:]``).
        stdin: where ``-`` reads from (default the console).
        stdout: where results go (default the console).
        stderr: where problems go (default the console).
    """
    streams = Streams(
        stdin if stdin is not None else sys.stdin.buffer,
        stdout if stdout is not None else sys.stdout,
        stderr if stderr is not None else sys.stderr,
    )
    by_name = {c.name: c for c in COMMANDS}
    try:
        with contextlib.redirect_stdout(streams.stdout), contextlib.redirect_stderr(streams.stderr):
            args = _parser().parse_args(argv)
    except SystemExit as exit_:
        return exit_.code if isinstance(exit_.code, int) else 2
    usage = _usage_error(args)
    if usage:
        print(f"python -m remission {args.command}: error: {usage}", file=streams.stderr)
        return 2
    try:
        return by_name[args.command].run(args, streams)
    except InvalidInput as error:
        for problem in error.problems:
            print(problem, file=streams.stderr)
        return 1
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error of ours or the input's.
        with contextlib.suppress(Exception):
            sys.stdout = io.TextIOWrapper(io.BytesIO())
        return 0
    except KeyboardInterrupt:
        print("remission: interrupted", file=streams.stderr)
        return 130
    except Exception as error:
        print(
            f"remission: unexpected error ({type(error).__name__}: {error}); this is a bug, "
            "please report it with the command you ran",
            file=streams.stderr,
        )
        return 1
