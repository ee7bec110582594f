"""Reports to the long table: patients, visits, lesions, roles and sizes."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Final

import pandas as pd

from remission.errors import InvalidInput, Problem, one_line
from remission.sr.report import Group, Report, SrSource, bytes_of, name_of, read_file, silenced
from remission.sr.roles import RoleRow, Roles, read_roles

__all__ = ["COLUMNS", "SrStudy", "read_reports", "read_sr"]

COLUMNS: Final = (
    "patient",
    "visit",
    "date",
    "day",
    "lesion",
    "role",
    "size_mm",
    "perpendicular_mm",
    "node",
    "organ",
    "status",
    "tracking_uid",
)
"""The long table's columns as :func:`read_sr` writes them (``tracking_uid`` is extra)."""

_ROLES_FIX: Final = "give roles in a CSV (lesion,role) if these are not right"


@dataclass(frozen=True)
class SrStudy:
    """Measurement reports read into the long table, with what was noted and refused.

    ``long`` is in the long table's shape (:data:`COLUMNS`). With ``keep_going``,
    ``problems`` holds every problem found and ``left_out`` the files not used: those
    with problems, and every file of a patient one of whose files had problems (a
    patient is classified from all of their reports or not at all, so that a refused
    baseline never makes a follow-up the baseline).
    """

    long: pd.DataFrame
    notes: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()
    files: int = 0
    """How many files were given."""
    left_out: tuple[str, ...] = ()
    """The files not used, by name."""
    patients_left_out: tuple[str, ...] = ()
    """Patients (as labelled) none of whose reports were used, for their problems."""


def read_reports(
    sources: Iterable[SrSource],
    *,
    patient: str | None = None,
    roles: Roles | None = None,
    keep_going: bool = False,
    neutral_labels: bool = False,
) -> SrStudy:
    """Read TID 1500 measurement reports into the long table, with notes and problems.

    Args:
        sources: the reports: paths, bytes or open binary files (uploads).
        patient: the ``PatientID`` every report must carry (a report of another patient
            is a problem); ``None`` reads every patient's reports.
        roles: lesion roles the viewer did not record: a CSV (path or bytes), a
            DataFrame or a mapping with ``lesion`` (Tracking Identifier or UID) and
            ``role`` (target, non-target, new), optionally ``patient`` and ``node``.
        keep_going: leave out the files with problems (and the other files of their
            patient) instead of raising.
        neutral_labels: write "patient 1", "patient 2"… instead of each ``PatientID``,
            in the table, the notes and the problems.

    Returns:
        The long table, the notes and (with ``keep_going``) the problems.

    Raises:
        InvalidInput: every problem, each naming the file, the group and the fix (always
            when no report could be used; without ``keep_going`` for any).

    Examples:
        >>> read_reports([b"plain text"], keep_going=True)
        Traceback (most recent call last):
        ...
        remission.errors.InvalidInput: 1 problem in the input:
        - file 'file 1', file: is not a DICOM file. Fix: give the DICOM SR file the viewer saved (export the measurement report as DICOM, not as a PDF, image or screenshot).
    """
    role_problems: list[Problem] = []
    role_rows = read_roles(roles, role_problems)
    if role_problems:
        raise InvalidInput(role_problems)
    reading = _Reading(role_rows, neutral_labels=neutral_labels)
    names: list[str] = []
    reports: list[Report] = []
    with silenced():
        for position, source in enumerate(sources, start=1):
            name = one_line(name_of(source, position))
            names.append(name)
            found: list[Problem] = []
            data = bytes_of(source, f"file {name!r}")
            read = read_file(data, name, found) if isinstance(data, bytes) else None
            if isinstance(data, Problem):
                found.append(data)
            reading.refuse(found)
            if read is not None:
                reports.extend(r for r in reading.of_patient([read], patient) if reading.usable(r))
    reports = _amended(_one_copy(reports, reading), reading)
    by_patient: dict[str, list[Report]] = {}
    for report in reports:
        by_patient.setdefault(report.patient, []).append(report)
        reading.label(report.patient)
    reading.same_study_one_patient(reports)
    rows = [row for pid, own in by_patient.items() for row in _Patient(pid, own, reading).rows()]
    reading.unused_roles()
    every = [p for _, p in reading.problems]
    refused = {pid for pid, _ in reading.problems if pid is not None}
    kept = [row for row in rows if row["_pid"] not in refused]
    if every and (not keep_going or not kept):
        raise InvalidInput(every)
    used = {r.file for r in reports if r.patient not in refused}

    return SrStudy(
        long=pd.DataFrame([{c: r[c] for c in COLUMNS} for r in kept], columns=list(COLUMNS)),
        notes=tuple(one_line(n) for n in reading.notes),
        problems=tuple(every),
        files=len(names),
        left_out=tuple(n for n in names if n not in used),
        patients_left_out=tuple(reading.label(p) for p in sorted(refused)),
    )


def read_sr(
    paths_or_files: Iterable[SrSource] | SrSource,
    *,
    patient: str | None = None,
    roles: Roles | None = None,
    keep_going: bool = False,
    neutral_labels: bool = False,
) -> pd.DataFrame:
    """DICOM SR measurement reports (TID 1500) as a long table, ready for ``classify_frame``.

    One row per lesion per study: ``patient`` (``PatientID``), ``visit`` (study date and
    description), ``date``, ``day`` (days since the earliest study), ``lesion`` (its
    Tracking Identifier), ``role``, ``size_mm`` and ``perpendicular_mm`` (exact, from the
    unit recorded), ``node``, ``organ`` (the finding site), ``status`` and
    ``tracking_uid``. The notes (roles taken by default, studies read together…) are in
    ``frame.attrs["notes"]``; with ``keep_going`` the problems are in
    ``frame.attrs["problems"]``. See :func:`read_reports` for the arguments.

    Raises:
        InvalidInput: every problem, each naming the file, the group and the fix.

    Examples:
        >>> read_sr(b"plain text")
        Traceback (most recent call last):
        ...
        remission.errors.InvalidInput: 1 problem in the input:
        - file 'file 1', file: is not a DICOM file. Fix: give the DICOM SR file the viewer saved (export the measurement report as DICOM, not as a PDF, image or screenshot).
    """
    one = isinstance(paths_or_files, (str, bytes, os.PathLike)) or hasattr(paths_or_files, "read")
    sources = [paths_or_files] if one else paths_or_files
    study = read_reports(
        sources,  # type: ignore[arg-type]
        patient=patient,
        roles=roles,
        keep_going=keep_going,
        neutral_labels=neutral_labels,
    )
    frame = study.long
    frame.attrs["notes"] = list(study.notes)
    frame.attrs["problems"] = list(study.problems)
    return frame


class _Reading:
    """One call's problems (each with the patient it leaves out), notes and labels."""

    def __init__(self, role_rows: dict[str, list[RoleRow]], *, neutral_labels: bool) -> None:
        self.problems: list[tuple[str | None, Problem]] = []
        self.notes: list[str] = []
        self.role_rows = role_rows
        self.used_roles: set[tuple[str, int]] = set()
        self.neutral = neutral_labels
        self.labels: dict[str, str] = {}

    def label(self, pid: str) -> str:
        """The patient as shown: the PatientID, or "patient N" with neutral labels."""
        if not self.neutral:
            return pid
        return self.labels.setdefault(pid, f"patient {len(self.labels) + 1}")

    def refuse(self, problems: Iterable[Problem], pid: str | None = None) -> None:
        """Record problems; with a patient, that patient's reports are all left out."""
        self.problems.extend((pid, p) for p in problems)

    def of_patient(self, reports: list[Report], patient: str | None) -> list[Report]:
        """The reports of ``patient`` (or of anyone with a PatientID, when None)."""
        kept: list[Report] = []
        for report in reports:
            if patient is None and not report.patient:
                self.refuse(report.problems)
                self.refuse(
                    [
                        Problem(
                            report.where,
                            "PatientID",
                            "is empty, so the report belongs to no patient",
                            "give the patient's id (patient=…, --patient) to read it as theirs",
                        )
                    ]
                )
            elif patient is None or report.patient == patient:
                kept.append(report)
                self.label(report.patient)
            elif not report.patient:
                report = replace(report, patient=patient)  # noqa: PLW2901
                self.notes.append(
                    f"{report.where} has no PatientID: read as {self.label(patient)}'s report"
                )
                kept.append(report)
            else:
                self.refuse(report.problems)
                self.refuse(
                    [
                        Problem(
                            report.where,
                            "PatientID",
                            f"is another patient's report ({self.label(report.patient)}, "
                            f"not {self.label(patient)})",
                            "leave this file out, or read that patient's reports on their own",
                        )
                    ]
                )
        return kept

    def usable(self, report: Report) -> bool:
        """Whether the report has no problems; else they leave its patient out."""
        self.refuse(report.problems, report.patient or None)
        return not report.problems

    def same_study_one_patient(self, reports: list[Report]) -> None:
        """Two reports of one study must be of one patient."""
        first: dict[str, Report] = {}
        for report in reports:
            other = first.setdefault(report.study, report)
            if other.patient != report.patient:
                problem = Problem(
                    f"{other.where} and {report.where}",
                    "PatientID",
                    f"report one study (StudyInstanceUID) for two patients "
                    f"({self.label(other.patient)} and {self.label(report.patient)})",
                    "check which patient the study belongs to and leave the other report out",
                )
                self.refuse([problem], other.patient)
                self.refuse([problem], report.patient)

    def role_of(self, lesion: _Lesion, pid: str) -> RoleRow | None:
        """The roles CSV's row for a lesion (by Tracking Identifier or UID), if any."""
        for key in (*lesion.names, lesion.uid or ""):
            for entry in self.role_rows.get(key, []):
                if entry.patient is None or entry.patient == pid:
                    self.used_roles.add((key, entry.line))
                    return entry
        return None

    def unused_roles(self) -> None:
        """A roles CSV row that names no lesion read is a typo until shown otherwise."""
        for lesion, entries in self.role_rows.items():
            for entry in entries:
                if (lesion, entry.line) not in self.used_roles:
                    self.refuse(
                        [
                            Problem(
                                f"roles CSV, row {entry.line}",
                                "lesion",
                                f"{lesion!r} is not a lesion of any report read",
                                "use the Tracking Identifier the viewer shows (T1, N1…) or its UID",
                            )
                        ]
                    )


def _one_copy(reports: list[Report], reading: _Reading) -> list[Report]:
    """The same report given twice (one SOP instance) is read once."""
    seen: dict[str, Report] = {}
    for report in reports:
        if report.instance in seen:
            reading.notes.append(
                f"{report.where} is the same report as {seen[report.instance].where}: read once"
            )
            continue
        seen[report.instance or f"no instance {len(seen)}"] = report
    return list(seen.values())


def _amended(reports: list[Report], reading: _Reading) -> list[Report]:
    """A report that names another of its study as predecessor replaces it."""
    newer = {p: r for r in reports for p in r.predecessors}
    kept = []
    for report in reports:
        amended = newer.get(report.instance)
        if amended is not None and amended.study == report.study:
            reading.notes.append(f"{report.where} is replaced by its amendment {amended.where}")
            continue
        kept.append(report)
    return kept


@dataclass
class _Lesion:
    """One lesion of a patient across reports: its identity, names and groups by date."""

    key: str
    uid: str | None
    names: list[str] = field(default_factory=list)
    seen: dict[dt.date, tuple[Report, Group]] = field(default_factory=dict)
    label: str = ""
    role: str | None = None
    node: bool = False
    organ: str | None = None


class _Patient:
    """One patient's reports turned into rows: visits by date, lesions by tracking UID."""

    def __init__(self, pid: str, reports: list[Report], reading: _Reading) -> None:
        self.pid = pid
        self.shown = reading.label(pid)
        self.reports = sorted(reports, key=lambda r: r.date)
        self.reading = reading
        self.problems: list[Problem] = []
        self.dates = sorted({r.date for r in reports})
        self.baseline = self.dates[0]
        self.lesions: dict[str, _Lesion] = {}

    def note(self, text: str) -> None:
        self.reading.notes.append(f"patient {self.shown}: {text}")

    def rows(self) -> list[dict[str, object]]:
        """Every row of the patient (problems go to the reading, leaving them out)."""
        labels = self._visits()
        self._gather()
        self._label()
        self._roles()
        rows = [
            row
            for date in self.dates
            for lesion in self.lesions.values()
            if lesion.role is not None
            for row in self._row(lesion, date, labels[date])
        ]
        self.reading.refuse(self.problems, self.pid)
        return rows

    def _visits(self) -> dict[dt.date, str]:
        """Each date's label; studies on one date are one visit, with a note."""
        labels: dict[dt.date, str] = {}
        for date in self.dates:
            same_day = [r for r in self.reports if r.date == date]
            descriptions = dict.fromkeys(r.description for r in same_day if r.description)
            labels[date] = f"{date.isoformat()} {' + '.join(descriptions)}".strip()
            studies = dict.fromkeys(r.study for r in same_day)
            if len(studies) > 1:
                self.note(
                    f"{len(studies)} studies on {date.isoformat()} "
                    f"({', '.join(r.where for r in same_day)}) are read as one visit"
                )
        return labels

    def _gather(self) -> None:
        """Each lesion's group per date; two reports of one visit must agree."""
        conflicts: set[str] = set()
        for report in self.reports:
            for group in report.groups:
                lesion = self.lesions.setdefault(group.key, _Lesion(group.key, group.uid))
                if group.name not in lesion.names:
                    lesion.names.append(group.name)
                earlier = lesion.seen.get(report.date)
                if earlier is None:
                    lesion.seen[report.date] = (report, group)
                    continue
                merged = _merge(earlier[1], group)
                if merged is not None:
                    lesion.seen[report.date] = (earlier[0], merged)
                    continue
                conflicts.update((earlier[0].study, report.study))
                what = (
                    "two reports of one study"
                    if earlier[0].study == report.study
                    else "two studies on one date"
                )
                self.problems.append(
                    Problem(
                        f"{earlier[0].where} and {report.where}",
                        f"{earlier[1].label} and {group.label}",
                        f"{what} record this lesion differently "
                        f"({_told(earlier[1])} against {_told(group)})",
                        "keep one report per study (the final one), or correct the lesion "
                        "in the viewer and save again",
                    )
                )
        for study in dict.fromkeys(r.study for r in self.reports):
            copies = [r.where for r in self.reports if r.study == study]
            if len(copies) > 1 and study not in conflicts:
                self.note(f"{' and '.join(copies)} report one study and agree: read together")

    def _label(self) -> None:
        """A lesion's label: its Tracking Identifier text, with the UID when shared."""
        counts: dict[str, int] = {}
        for lesion in self.lesions.values():
            counts[lesion.names[0]] = counts.get(lesion.names[0], 0) + 1
            if len(lesion.names) > 1:
                self.note(
                    f"lesion {lesion.names[0]} is named {', '.join(lesion.names[1:])} in "
                    f"other reports (one tracking UID): called {lesion.names[0]}"
                )
        for name, count in counts.items():
            if count > 1:
                self.note(f"{count} lesions are called {name}: each is shown with its UID")
        for lesion in self.lesions.values():
            name = lesion.names[0]
            shared = counts[name] > 1 and lesion.uid is not None
            lesion.label = f"{name} [{lesion.uid}]" if shared else name

    def _roles(self) -> None:
        """Each lesion's role (CSV, report, else by default), node and organ."""
        defaulted: dict[str, list[str]] = {}
        for lesion in self.lesions.values():
            first = min(lesion.seen)
            report, group = lesion.seen[first]
            where = f"{report.where}, {group.label}"
            groups = [g for _, g in lesion.seen.values()]
            recorded = sorted({g.role for g in groups if g.role})
            lesion.node = any(g.node for g in groups)
            lesion.organ = next((g.site for g in groups if g.site), None)
            measured = any(g.measured for g in groups)
            given = self.reading.role_of(lesion, self.pid)
            if given is not None:
                role = given.role
                lesion.node = lesion.node if given.node is None else given.node
                if recorded and recorded != [role]:
                    self.note(
                        f"the roles CSV makes {lesion.label} {role}; the reports record "
                        f"{' and '.join(recorded)}"
                    )
            elif len(recorded) > 1:
                self.problems.append(
                    Problem(
                        where,
                        "role",
                        f"the reports record this lesion as {' and '.join(recorded)}",
                        "give its role in a roles CSV (lesion,role), or correct the reports",
                    )
                )
                continue
            elif recorded:
                role = recorded[0]
            else:
                role, why = _default_role(at_baseline=first == self.baseline, measured=measured)
                defaulted.setdefault(why, []).append(lesion.label)
            if self._fixed_at_baseline(role, first, where):
                lesion.role = role
                extents = sorted({e for g in groups for e in g.extents})
                if role != "target" and extents and not measured:
                    self.note(
                        f"{lesion.label} has only an {' and '.join(extents)}, which no "
                        f"criteria set sums: it counts as a {role} lesion by its presence"
                    )
        if defaulted:
            told = "; ".join(f"{', '.join(names)} ({why})" for why, names in defaulted.items())
            self.note(f"the reports record no role for {told}; {_ROLES_FIX}")

    def _fixed_at_baseline(self, role: str, first: dt.date, where: str) -> bool:
        """Targets and non-targets are chosen at baseline; a new lesion comes later."""
        if role == "new" and first == self.baseline:
            self.problems.append(
                Problem(
                    where,
                    "role",
                    "is new, but the lesion is in the baseline report",
                    "a lesion seen at baseline is a target or a non-target: correct its role",
                )
            )
            return False
        if role != "new" and first != self.baseline:
            self.problems.append(
                Problem(
                    where,
                    "role",
                    f"is {role}, but the lesion is first tracked on {first.isoformat()}, "
                    "after baseline",
                    "targets and non-targets are chosen at baseline (RECIST 1.1 section "
                    "3.3): give it role new, or add its baseline measurement",
                )
            )
            return False
        return True

    def _row(self, lesion: _Lesion, date: dt.date, visit: str) -> list[dict[str, object]]:
        """The lesion's row at one visit (none for a new lesion not seen there)."""
        seen = lesion.seen.get(date)
        row: dict[str, object] = {
            "_pid": self.pid,
            "patient": self.shown,
            "visit": visit,
            "date": date.isoformat(),
            "day": (date - self.baseline).days,
            "lesion": lesion.label,
            "role": lesion.role,
            "size_mm": None,
            "perpendicular_mm": None,
            "node": "yes" if lesion.node else "no",
            "organ": lesion.organ,
            "status": None,
            "tracking_uid": lesion.uid,
        }
        if lesion.role == "new":
            if seen is None:
                return []
            row["status"] = "present"
            return [row]
        if seen is None:
            self.note(
                f"{lesion.role} {lesion.label} is not in the report of {date.isoformat()}: "
                "not assessed there"
            )
            row["status"] = "not-assessed"
            return [row]
        if lesion.role == "non-target":
            row["status"] = seen[1].status or "present"
            return [row]
        size, perpendicular = self._target_sizes(seen[0], seen[1], node=lesion.node)
        row["size_mm"] = _number(size)
        row["perpendicular_mm"] = _number(perpendicular)
        return [row]

    def _target_sizes(
        self, report: Report, group: Group, *, node: bool
    ) -> tuple[Decimal | None, Decimal | None]:
        """A target's size and perpendicular: long axis (a node: short axis) and the other."""
        where = f"{report.where}, {group.label}"
        on = report.date.isoformat()
        if node:
            short = group.short
            if short is None and group.long is None and group.length is not None:
                self.note(f"node {group.name} on {on} has one length and no axis: its short axis")
                return group.length, None
            if short is None:
                self.problems.append(
                    _no_length(where, group, "Short axis", "a lymph node's short axis")
                )
                return None, None
            return short, group.long if group.long is not None else group.length
        long = group.long if group.long is not None else group.length
        if long is None:
            self.problems.append(_no_length(where, group, "Long axis", "the longest diameter"))
            return None, None
        if group.long is not None and group.length is not None and group.length != group.long:
            self.note(
                f"{group.name} on {on} has a long axis ({group.long} mm) and a length "
                f"({group.length} mm): the long axis is used"
            )
        return long, group.short


def _default_role(*, at_baseline: bool, measured: bool) -> tuple[str, str]:
    """The role of a lesion no report or CSV gives one, and why."""
    if not at_baseline:
        return "new", "first tracked after baseline, so new"
    if measured:
        return "target", "tracked at baseline, so targets"
    return "non-target", "tracked at baseline without a length, so non-targets"


def _merge(a: Group, b: Group) -> Group | None:
    """One lesion in two reports of one visit: the same values, or what each adds."""
    if a.role and b.role and a.role != b.role:
        return None
    if a.status and b.status and a.status != b.status:
        return None
    values: list[Decimal | None] = []
    for x, y in zip(a.sizes(), b.sizes(), strict=True):
        if x is not None and y is not None and x != y:
            return None
        values.append(x if x is not None else y)
    return replace(
        a,
        role=a.role or b.role,
        status=a.status or b.status,
        long=values[0],
        short=values[1],
        length=values[2],
        node=a.node or b.node,
        extents=tuple(dict.fromkeys(a.extents + b.extents)),
    )


def _told(group: Group) -> str:
    """What a group records, in short: 'long axis 52 mm, target'."""
    parts = [
        f"{name} {value} mm"
        for name, value in zip(("long axis", "short axis", "length"), group.sizes(), strict=True)
        if value is not None
    ]
    parts += [p for p in (group.role, group.status) if p]
    return ", ".join(parts) or "no measurement"


def _no_length(where: str, group: Group, field_name: str, what: str) -> Problem:
    """A target without the length it is measured by."""
    if group.extents:
        told = f"has only an {' and '.join(group.extents)}, which no criteria set sums"
    elif group.measured:
        told = f"is missing: a target is measured by {what}"
    else:
        told = "is missing: the target has no measurement"
    return Problem(
        where,
        field_name,
        told,
        f"measure {what} in the viewer and save the report again, or make the lesion a "
        "non-target in a roles CSV (lesion,role)",
    )


def _number(value: Decimal | None) -> float | None:
    """A size for the table's float column, exact all the same.

    A report's decimal string has at most 16 characters, so at most 15 significant
    digits (the shift from cm keeps them), and a float's shortest form gives any 15
    significant digits back: the table reads the very decimal the viewer wrote.
    """
    return None if value is None else float(value)
