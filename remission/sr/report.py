"""One TID 1500 measurement report: what a file holds that remission uses.

Read with pydicom, the content tree parsed with highdicom's TID 1500 classes
(:class:`highdicom.sr.MeasurementReport` and its measurement groups). Only the
``PatientID``, the study's UID, date and description and the measurement groups are
kept; everything else in the file (names, birth dates, observers) is dropped here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import logging
import os
import re
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any, Final

import highdicom as hd
import pydicom
from pydicom.dataset import Dataset
from pydicom.errors import InvalidDicomError
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

from remission.errors import Problem, one_line

__all__ = ["Group", "Report", "SrSource", "bytes_of", "name_of", "read_file", "silenced"]

SrSource = str | os.PathLike[str] | bytes | IO[bytes]
"""A report: a path, its bytes, or an open binary file (an upload), named by ``.name``."""

_NOT_DICOM_FIX: Final = (
    "give the DICOM SR file the viewer saved (export the measurement report as DICOM, "
    "not as a PDF, image or screenshot)"
)
_MAX_BYTES: Final = 50 * 1024 * 1024
"""A measurement report is kilobytes; a larger file is refused before it is parsed."""

# --------------------------------------------------------------------------- codes

_LONG = codes.SCT.LongAxis
_SHORT = codes.SCT.ShortAxis
_LENGTHS = (codes.SCT.Length, codes.SCT.Diameter)
_EXTENTS = (codes.SCT.Area, codes.SCT.Volume)
_UCUM_MM: Final = {"mm": Decimal(1), "cm": Decimal(10), "um": Decimal("0.001"), "m": Decimal(1000)}
"""Length units read, as UCUM codes, and their size in mm (exact decimals)."""

_TARGET_CODES = (
    codes.DCM.TargetLesionAtBaseline,
    codes.DCM.TargetLesionCompleteResponse,
    codes.DCM.TargetLesionPartialResponse,
    codes.DCM.TargetLesionStableDisease,
    codes.DCM.TargetLesionProgressiveDisease,
)
_NON_TARGET_STATUS = (
    (codes.DCM.NonTargetLesionAtBaseline, None),
    (codes.DCM.NonTargetLesionCompleteResponse, "absent"),
    (codes.DCM.NonTargetLesionIncompleteResponseOrStableDisease, "present"),
    (codes.DCM.NonTargetLesionProgressiveDisease, "progression"),
)
_NEW_CODES = (codes.DCM.NonLesionAtBaseline, codes.SCT.NewFinding)
_NODE_CODES = (
    codes.SCT.LymphNode,
    codes.SCT.Lymphadenopathy,
    *codes.cid7600.concepts.values(),
)
_SR_CLASSES: Final = frozenset(
    {
        "1.2.840.10008.5.1.4.1.1.88.11",  # Basic Text SR
        "1.2.840.10008.5.1.4.1.1.88.22",  # Enhanced SR
        "1.2.840.10008.5.1.4.1.1.88.33",  # Comprehensive SR
        "1.2.840.10008.5.1.4.1.1.88.34",  # Comprehensive 3D SR
        "1.2.840.10008.5.1.4.1.1.88.35",  # Extensible SR
    }
)
_TITLES = tuple(codes.cid7021.concepts.values())
"""Measurement Report document titles (CID 7021): a report without a template id is
read as TID 1500 when its title is one of these and it holds Imaging Measurements."""


def _is(code: Code, candidates: Iterable[Code]) -> bool:
    """Whether ``code`` is one of ``candidates`` (pydicom maps old SRT codes to SCT)."""
    if code.scheme_designator != "SRT":  # the common case, by (scheme, value) alone
        return (code.scheme_designator, code.value) in _keys(tuple(candidates))
    return any(code == c for c in candidates)


@functools.cache
def _keys(candidates: tuple[Code, ...]) -> frozenset[tuple[str, str]]:
    return frozenset((c.scheme_designator, c.value) for c in candidates)


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Group:
    """One measurement group: a lesion as one report records it."""

    number: int
    key: str
    """Tracking UID, else ``text:`` and the Tracking Identifier."""
    name: str
    uid: str | None
    site: str | None
    node: bool
    role: str | None
    status: str | None
    long: Decimal | None = None
    short: Decimal | None = None
    length: Decimal | None = None
    extents: tuple[str, ...] = ()
    """Area or volume measured ("area", "volume"): reported, never summed."""

    @property
    def label(self) -> str:
        """How problems name the group: 'group 2 (T1)'."""
        return f"group {self.number} ({self.name})"

    @property
    def measured(self) -> bool:
        """Whether the group has a length (an axis or a plain length)."""
        return any(v is not None for v in (self.long, self.short, self.length))

    def sizes(self) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
        """Long axis, short axis and length, in mm."""
        return self.long, self.short, self.length


@dataclass(frozen=True)
class Report:
    """What one file holds that remission uses (nothing identifying beyond PatientID)."""

    file: str
    patient: str
    study: str
    date: dt.date
    description: str
    instance: str
    predecessors: frozenset[str]
    groups: tuple[Group, ...]
    problems: tuple[Problem, ...] = ()
    """Why the report cannot be used (its patient is known, so they are left out)."""

    @property
    def where(self) -> str:
        """How problems name the file."""
        return f"file {self.file!r}"


_quiet: ContextVar[bool] = ContextVar("remission_sr_quiet", default=False)


class _WhileReading(logging.Filter):
    """Drops pydicom's and highdicom's log records while this thread reads a report.

    pydicom logs invalid values with the value itself (a malformed patient name would
    be logged whole), so nothing they log while remission reads a report is kept.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not _quiet.get()


for _logger in ("pydicom", "highdicom"):
    logging.getLogger(_logger).addFilter(_WhileReading())


@contextlib.contextmanager
def silenced() -> Iterator[None]:
    """Within: no warning or log record from pydicom or highdicom (they quote values)."""
    token = _quiet.set(True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        _quiet.reset(token)


def name_of(source: SrSource, position: int) -> str:
    """The file's name as given (a path, an upload's name), else "file N"."""
    if isinstance(source, (str, os.PathLike)):
        return str(source)
    name = getattr(source, "name", None)
    return str(name) if isinstance(name, str) and name else f"file {position}"


def bytes_of(source: SrSource, where: str) -> bytes | Problem:
    """The file's bytes, or why they cannot be had (missing, unreadable, too large)."""
    if isinstance(source, bytes):
        return source
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        if not path.is_file():
            return Problem(
                where,
                "file",
                "does not exist" if not path.exists() else "is not a file",
                "give the path of a DICOM SR file (.dcm)",
            )
        if path.stat().st_size > _MAX_BYTES:
            return _too_large(where)
        try:
            return path.read_bytes()
        except OSError as error:
            return Problem(
                where,
                "file",
                f"cannot be read ({error.strerror or type(error).__name__})",
                "check that the file is readable",
            )
    data = source.read(_MAX_BYTES + 1)
    if len(data) > _MAX_BYTES:
        return _too_large(where)
    return data


def _too_large(where: str) -> Problem:
    return Problem(
        where,
        "file",
        f"is larger than {_MAX_BYTES // 1024 // 1024} MB, far more than a measurement report",
        "give the measurement report (SR) itself, not a folder or archive of images",
    )


def _text(ds: Dataset, keyword: str) -> str:
    value = ds.get(keyword)
    return "" if value is None else str(value).strip()


def read_file(data: bytes, name: str, problems: list[Problem]) -> Report | None:
    """The report in one file; None, with the reasons in ``problems``, when it is none.

    A TID 1500 report that cannot be used (a length in an unknown unit, no study date)
    is returned with its own ``problems``: its patient is known, and is left out.
    """
    where = f"file {name!r}"
    try:
        ds = pydicom.dcmread(io.BytesIO(data))
    except InvalidDicomError:
        problems.append(Problem(where, "file", "is not a DICOM file", _NOT_DICOM_FIX))
        return None
    except Exception as error:  # a damaged file: pydicom's message may quote values
        problems.append(
            Problem(
                where,
                "file",
                f"is a damaged DICOM file ({type(error).__name__})",
                "export the report again from the viewer",
            )
        )
        return None
    sop_class = _text(ds, "SOPClassUID")
    if sop_class not in _SR_CLASSES:
        kind = pydicom.uid.UID(sop_class).name if sop_class else "without a SOP class"
        problems.append(
            Problem(
                where,
                "SOPClassUID",
                f"is not a structured report (it is {kind})",
                "give the measurement report (SR) the viewer saved, not the images",
            )
        )
        return None
    template = ""
    if "ContentTemplateSequence" in ds and len(ds.ContentTemplateSequence):
        template = _text(ds.ContentTemplateSequence[0], "TemplateIdentifier")
    title = ds.ConceptNameCodeSequence[0] if "ConceptNameCodeSequence" in ds else None
    title_code = (
        Code(_text(title, "CodeValue"), _text(title, "CodingSchemeDesignator"), "")
        if title is not None and _text(title, "CodeValue")
        else None
    )
    titled = title_code is not None and _is(title_code, _TITLES)
    if template != "1500" and not (not template and titled):
        told = (
            f"template TID {template}"
            if template
            else f"title {_text(title, 'CodeMeaning')!r}"
            if title is not None
            else "no template"
        )
        problems.append(
            Problem(
                where,
                "ContentTemplateSequence",
                f"is a structured report but not a TID 1500 measurement report ({told})",
                "give the measurement report (TID 1500 'Imaging Measurement Report') the "
                "viewer saved with the lesion measurements",
            )
        )
        return None
    found: list[Problem] = []
    for keyword, what in (("StudyInstanceUID", "the study's UID"), ("StudyDate", "its date")):
        if not _text(ds, keyword):
            found.append(Problem(where, keyword, "is missing", f"export the report with {what}"))
    date = _date(_text(ds, "StudyDate"))
    if _text(ds, "StudyDate") and date is None:
        found.append(
            Problem(
                where,
                "StudyDate",
                f"{_text(ds, 'StudyDate')!r} is not a date (DICOM writes YYYYMMDD)",
                "export the report with its study date",
            )
        )
    groups = _groups(ds, where, found)
    predecessors = frozenset(
        _text(ref, "ReferencedSOPInstanceUID")
        for study in ds.get("PredecessorDocumentsSequence", [])
        for series in study.get("ReferencedSeriesSequence", [])
        for ref in series.get("ReferencedSOPSequence", [])
    )
    return Report(
        file=name,
        patient=_text(ds, "PatientID"),
        study=_text(ds, "StudyInstanceUID"),
        date=date or dt.date.min,
        description=_text(ds, "StudyDescription"),
        instance=_text(ds, "SOPInstanceUID"),
        predecessors=predecessors,
        groups=groups or (),
        problems=tuple(found),
    )


def _date(text: str) -> dt.date | None:
    if not re.fullmatch(r"\d{8}", text):
        return None
    try:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None


def _content_only(ds: Dataset) -> Dataset:
    """The document's content tree alone: highdicom never sees the patient module."""
    content = Dataset()
    for keyword in (
        "ValueType",
        "ConceptNameCodeSequence",
        "ContinuityOfContent",
        "ContentTemplateSequence",
        "ContentSequence",
    ):
        if keyword in ds:
            setattr(content, keyword, ds.get(keyword))
    if "ContentTemplateSequence" not in content:
        # Titled as a Measurement Report (CID 7021) but without its template id.
        template = Dataset()
        template.MappingResource = "DCMR"
        template.TemplateIdentifier = "1500"
        content.ContentTemplateSequence = [template]
    return content


def _groups(ds: Dataset, where: str, problems: list[Problem]) -> tuple[Group, ...] | None:
    """Every measurement group of the report (planar, volumetric and image groups)."""
    try:
        report = hd.sr.MeasurementReport.from_sequence([_content_only(ds)], copy=False)
        found = [
            *report.get_planar_roi_measurement_groups(),
            *report.get_volumetric_roi_measurement_groups(),
            *report.get_image_measurement_groups(),
        ]
    except Exception as error:  # highdicom's messages may quote the content
        problems.append(
            Problem(
                where,
                "ContentSequence",
                f"does not follow TID 1500, so its measurement groups cannot be read "
                f"({type(error).__name__})",
                "export the report again from the viewer, or enter the sizes by hand",
            )
        )
        return None
    order = {id(item): i for i, item in enumerate(_group_items(report))}
    found.sort(key=lambda g: order.get(id(g[0]), len(order)))
    groups: list[Group] = []
    before = len(problems)
    for number, group in enumerate(found, start=1):
        read = _group(group, number, where, problems)
        if read is not None:
            groups.append(read)
    if not found:
        problems.append(
            Problem(
                where,
                "Imaging Measurements",
                "has no measurement groups (no lesion was measured in this report)",
                "measure the lesions in the viewer and save the report again, or leave "
                "this file out",
            )
        )
    return None if len(problems) > before else tuple(groups)


def _group_items(report: hd.sr.MeasurementReport) -> list[Any]:
    """The measurement groups in document order (highdicom's getters group by kind)."""
    items: list[Any] = []
    for child in report[0].ContentSequence:
        if child.ValueType == "CONTAINER":
            items.extend(c for c in child.get("ContentSequence", []) if c.ValueType == "CONTAINER")
    return items


def _coded(item: Dataset) -> Code | None:
    seq = item.get("ConceptCodeSequence")
    if not seq:
        return None
    return Code(
        _text(seq[0], "CodeValue"),
        _text(seq[0], "CodingSchemeDesignator"),
        _text(seq[0], "CodeMeaning"),
    )


def _concept(item: Dataset) -> Code:
    seq = item.ConceptNameCodeSequence[0]
    return Code(
        _text(seq, "CodeValue"), _text(seq, "CodingSchemeDesignator"), _text(seq, "CodeMeaning")
    )


def _is_node(codes_seen: Iterable[Code]) -> bool:
    """A lymph node by its finding site or finding type (CID 7600, lymph node, …)."""
    plain = [Code(c.value, c.scheme_designator, c.meaning) for c in codes_seen]
    return any(_is(c, _NODE_CODES) or "lymph node" in c.meaning.lower() for c in plain)


def _group(group: Any, number: int, file_where: str, problems: list[Problem]) -> Group | None:
    """One measurement group, or None with its problems recorded."""
    uid = group.tracking_uid
    text = (group.tracking_identifier or "").strip()
    if not uid and not text:
        problems.append(
            Problem(
                f"{file_where}, group {number}",
                "Tracking Identifier",
                "is missing (without it the lesion cannot be followed from one report to the next)",
                "label the measurement in the viewer (T1, N1…) and save the report again",
            )
        )
        return None
    name = one_line(text or str(uid))
    where = f"{file_where}, group {number} ({name})"
    items = list(group[0].get("ContentSequence", []))
    sites = [site.value for site in group.finding_sites]
    finding = group.finding_type
    before = len(problems)
    role, status = _role(items, where, problems)
    sizes, extents = _sizes(items, where, problems)
    if len(problems) > before:
        return None
    return Group(
        number=number,
        key=str(uid) if uid else f"text:{text}",
        name=name,
        uid=str(uid) if uid else None,
        site=one_line(sites[0].meaning) if sites else None,
        node=_is_node([*sites, *([finding] if finding is not None else [])]),
        role=role,
        status=status,
        long=sizes.get("long"),
        short=sizes.get("short"),
        length=sizes.get("length"),
        extents=tuple(extents),
    )


def _role(
    items: Sequence[Dataset], where: str, problems: list[Problem]
) -> tuple[str | None, str | None]:
    """The role (and a non-target's status) the group's coded items record, if any."""
    told: set[str] = set()
    status: str | None = None
    for item in items:
        value = _coded(item) if item.ValueType == "CODE" else None
        if value is None:
            continue
        if _is(value, _TARGET_CODES):
            told.add("target")
        elif _is(value, _NEW_CODES):
            told.add("new")
        for code, nt_status in _NON_TARGET_STATUS:
            if value == code:
                told.add("non-target")
                status = nt_status or status
    if len(told) > 1:
        problems.append(
            Problem(
                where,
                "role",
                f"is recorded as {' and '.join(sorted(told))}",
                "keep one role per lesion in the report, or give the roles in a CSV (lesion,role)",
            )
        )
    return next(iter(told), None) if len(told) == 1 else None, status


def _slot(concept: Code) -> str | None:
    """Which size a measurement is: long, short, length; None for anything else."""
    if concept == _LONG:
        return "long"
    if concept == _SHORT:
        return "short"
    return "length" if _is(concept, _LENGTHS) else None


def _sizes(
    items: Sequence[Dataset], where: str, problems: list[Problem]
) -> tuple[dict[str, Decimal], list[str]]:
    """The group's lengths in mm by slot, and the areas or volumes it has instead."""
    sizes: dict[str, Decimal] = {}
    extents: list[str] = []
    for item in items:
        if item.ValueType != "NUM":
            continue
        concept = _concept(item)
        if _is(concept, _EXTENTS):
            extents.append(concept.meaning.lower() or "area")
            continue
        slot = _slot(concept)
        if slot is None:
            continue  # not a size (a density, an SUV…)
        value = _length_mm(item, where, concept.meaning or slot, problems)
        if value is None:
            continue
        if slot in sizes and sizes[slot] != value:
            problems.append(
                Problem(
                    where,
                    concept.meaning,
                    f"is recorded twice with different values ({sizes[slot]} and {value} mm)",
                    "keep one measurement of each axis per lesion in the report",
                )
            )
        sizes[slot] = value
    return sizes, extents


def _length_mm(item: Dataset, where: str, field: str, problems: list[Problem]) -> Decimal | None:
    """A length in mm, exactly, from its decimal string and UCUM unit."""
    measured = item.get("MeasuredValueSequence")
    if not measured:
        problems.append(
            Problem(where, field, "has no value", "measure the lesion again and save the report")
        )
        return None
    value = measured[0]
    unit = value.get("MeasurementUnitsCodeSequence")
    code = _text(unit[0], "CodeValue") if unit else ""
    scheme = _text(unit[0], "CodingSchemeDesignator") if unit else ""
    if scheme.upper() != "UCUM" or code not in _UCUM_MM:
        told = f"{code!r} ({scheme or 'no coding scheme'})" if code else "missing"
        problems.append(
            Problem(
                where,
                field,
                f"the unit is {told}, not a length unit remission reads (UCUM mm, cm, um or m)",
                "save the measurement in mm or cm, or enter the sizes by hand",
            )
        )
        return None
    raw = _text(value, "NumericValue")
    try:
        number = Decimal(raw)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0:
        problems.append(
            Problem(
                where,
                field,
                f"{raw!r} is not a length",
                "measure the lesion again and save the report",
            )
        )
        return None
    return _plain(number * _UCUM_MM[code])


def _plain(number: Decimal) -> Decimal:
    """The decimal without trailing zeros or an exponent (52, 0.5)."""
    normal = number.normalize()
    exponent = normal.as_tuple().exponent
    return normal.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else normal
