"""TID 1500 measurement reports for the tests, written with highdicom's own classes.

highdicom is the standard's reference implementation in Python: reports built with its
TID 1500 templates (Measurement Report, planar ROI and image measurement groups,
Tracking Identifier, Finding Site, Qualitative Evaluation) are what a conforming viewer
writes. Every report carries a patient name, a birth date and an observer name, so that
the tests can check none of them ever reaches an output, a log or an error.

The worked patient (``three_reports``), sizes as the viewer recorded them:

========== ====================== ============ ============ ============
lesion     what                   2024-01-10   2024-03-06   2024-05-01
========== ====================== ============ ============ ============
T1         liver, target          5.2 × 3.0 cm 2.0 × 1.1 cm 2.2 × 1.2 cm
T2         lung, target           31 mm        11 mm        12 mm
N1         mediastinal node       18 × 25 mm   9 × 15 mm    10 × 15 mm
           (short × long axis)
NT1        bone, non-target       present      present      present
L5         liver, new             —            —            8 mm
========== ====================== ============ ============ ============
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import highdicom as hd
import numpy as np
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code
from pydicom.uid import CTImageStorage, ExplicitVRLittleEndian, generate_uid

PATIENT_ID = "RM-0042"
PATIENT_NAME = "Doe^Jane^Quinn"
BIRTH_DATE = "19580317"
OBSERVER = "Reader^Rita"
UID_ROOT = "1.2.826.0.1.3680043.10.1042."

MM = codes.UCUM.Millimeter
CM = codes.UCUM.Centimeter
LONG = codes.SCT.LongAxis
SHORT = codes.SCT.ShortAxis
LENGTH = codes.SCT.Length
AREA = codes.SCT.Area
MEDIASTINAL_NODE = Code("62683002", "SCT", "Mediastinal lymph node")
BONE = Code("272673000", "SCT", "Bone")
BASELINE_CATEGORY = codes.DCM.BaselineCategory
TARGET = codes.DCM.TargetLesionAtBaseline
NON_TARGET = codes.DCM.NonTargetLesionAtBaseline
RESPONSE = codes.DCM.ResponseEvaluation
NT_PRESENT = codes.DCM.NonTargetLesionIncompleteResponseOrStableDisease


def uid(name: str) -> str:
    """A fixed UID per name, so that reports of one patient track the same lesion."""
    return UID_ROOT + str(int(hashlib.sha256(name.encode()).hexdigest()[:24], 16))


@dataclass(frozen=True)
class Finding:
    """One lesion at one study: its tracking, site, measurements and evaluations."""

    name: str | None
    site: Code | None
    measurements: Sequence[tuple[Code, str, Code]] = ()
    """(concept, value as the viewer wrote it, UCUM unit)."""
    evaluations: Sequence[tuple[Code, Code]] = ()
    finding_type: Code = codes.SCT.Lesion
    planar: bool = True
    tracking_uid: str | None = None
    """Defaults to ``uid(name)``; the same across studies."""
    category: Code | None = None


@dataclass(frozen=True)
class Study:
    """One imaging study of a patient, and the report of it."""

    date: str
    description: str
    findings: Sequence[Finding]
    patient_id: str | None = PATIENT_ID
    study_uid: str | None = None
    """Defaults to a UID made from the date and description."""
    extra: dict[str, str] = field(default_factory=dict)


def image(study: Study) -> Dataset:
    """A CT image's header (no pixels): what the report's evidence refers to."""
    ds = Dataset()
    ds.file_meta = FileMetaDataset()
    ds.file_meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds.SOPClassUID = CTImageStorage
    ds.SOPInstanceUID = uid(f"image {study.date} {study.description}")
    ds.StudyInstanceUID = study.study_uid or uid(f"study {study.date} {study.description}")
    ds.SeriesInstanceUID = uid(f"series {study.date} {study.description}")
    ds.PatientID = study.patient_id or ""
    ds.PatientName = PATIENT_NAME
    ds.PatientBirthDate = BIRTH_DATE
    ds.PatientSex = "F"
    ds.AccessionNumber = "A" + study.date
    ds.StudyID = "1"
    ds.StudyDate = study.date
    ds.StudyTime = "101500"
    ds.ReferringPhysicianName = "Referrer^Ray"
    ds.Modality = "CT"
    ds.Rows = 512
    ds.Columns = 512
    return ds


def _group(finding: Finding, source: Dataset) -> object:
    tracking = hd.sr.TrackingIdentifier(
        uid=finding.tracking_uid or uid(finding.name or "unnamed"), identifier=finding.name
    )
    measurements = [
        hd.sr.Measurement(name=concept, value=float(value), unit=unit)
        for concept, value, unit in finding.measurements
    ]
    evaluations = [hd.sr.QualitativeEvaluation(name, value) for name, value in finding.evaluations]
    sites = [hd.sr.FindingSite(anatomic_location=finding.site)] if finding.site else None
    if finding.planar:
        region = hd.sr.ImageRegion(
            graphic_type=hd.sr.GraphicTypeValues.POLYLINE,
            graphic_data=np.array([[100.0, 100.0], [140.0, 120.0]]),
            source_image=hd.sr.SourceImageForRegion(
                referenced_sop_class_uid=source.SOPClassUID,
                referenced_sop_instance_uid=source.SOPInstanceUID,
            ),
        )
        return hd.sr.PlanarROIMeasurementsAndQualitativeEvaluations(
            tracking_identifier=tracking,
            referenced_region=region,
            finding_type=finding.finding_type,
            finding_sites=sites,
            measurements=measurements or None,
            qualitative_evaluations=evaluations or None,
            finding_category=finding.category,
        )
    return hd.sr.MeasurementsAndQualitativeEvaluations(
        tracking_identifier=tracking,
        finding_type=finding.finding_type,
        finding_sites=sites,
        measurements=measurements or None,
        qualitative_evaluations=evaluations or None,
        finding_category=finding.category,
    )


def report(study: Study, *, previous: Sequence[Dataset] = ()) -> hd.sr.Comprehensive3DSR:
    """The TID 1500 Comprehensive 3D SR of one study (a viewer's measurement report)."""
    source = image(study)
    observer = hd.sr.ObserverContext(
        observer_type=codes.DCM.Person,
        observer_identifying_attributes=hd.sr.PersonObserverIdentifyingAttributes(name=OBSERVER),
    )
    content = hd.sr.MeasurementReport(
        observation_context=hd.sr.ObservationContext(observer_person_context=observer),
        procedure_reported=Code("25045-6", "LN", "CT unspecified body region"),
        imaging_measurements=[_group(f, source) for f in study.findings],  # type: ignore[misc]
    )
    sr = hd.sr.Comprehensive3DSR(
        evidence=[source],
        content=content[0],
        series_instance_uid=uid(f"sr series {study.date} {study.description} {len(previous)}"),
        series_number=99,
        sop_instance_uid=generate_uid(prefix=UID_ROOT),
        instance_number=1,
        manufacturer="remission tests",
        is_complete=True,
        previous_versions=list(previous) or None,
    )
    sr.StudyDescription = study.description
    if study.patient_id is None:
        del sr.PatientID
    for keyword, value in study.extra.items():
        setattr(sr, keyword, value)
    return sr


def write(
    folder: Path, name: str, study: Study, edit: Callable[[Dataset], None] | None = None
) -> Path:
    """Write the report of ``study`` to ``folder/name`` (after ``edit``, if any)."""
    sr = report(study)
    if edit is not None:
        edit(sr)
    path = folder / name
    sr.save_as(path, enforce_file_format=True)
    return path


def with_roles(finding: Finding, role: Code) -> Finding:
    """The finding with its RECIST role recorded as the viewer would (Baseline Category)."""
    return Finding(
        finding.name,
        finding.site,
        finding.measurements,
        (*finding.evaluations, (BASELINE_CATEGORY, role)),
        finding.finding_type,
        finding.planar,
        finding.tracking_uid,
        finding.category,
    )


def baseline(*, roles: bool = True) -> Study:
    """The worked patient's baseline CT: T1 in cm, T2 and the node in mm, NT1."""
    t1 = Finding("T1", codes.SCT.Liver, [(LONG, "5.2", CM), (SHORT, "3.0", CM)])
    t2 = Finding("T2", codes.SCT.Lung, [(LENGTH, "31", MM)])
    n1 = Finding("N1", MEDIASTINAL_NODE, [(SHORT, "18", MM), (LONG, "25", MM)])
    nt1 = Finding("NT1", BONE, planar=False)
    findings = [t1, t2, n1, nt1]
    if roles:
        findings = [with_roles(f, TARGET) for f in (t1, t2, n1)] + [with_roles(nt1, NON_TARGET)]
    return Study("20240110", "CT CHEST ABDOMEN", findings)


def follow_up_1() -> Study:
    """Day 56: every target smaller; the node 9 mm short axis; NT1 still there."""
    return Study(
        "20240306",
        "CT CHEST ABDOMEN",
        [
            Finding("T1", codes.SCT.Liver, [(LONG, "2.0", CM), (SHORT, "1.1", CM)]),
            Finding("T2", codes.SCT.Lung, [(LENGTH, "11", MM)]),
            Finding("N1", MEDIASTINAL_NODE, [(SHORT, "9", MM), (LONG, "15", MM)]),
            Finding("NT1", BONE, evaluations=[(RESPONSE, NT_PRESENT)], planar=False),
        ],
    )


def follow_up_2() -> Study:
    """Day 112: targets a little larger than at day 56, and a new liver lesion L5."""
    return Study(
        "20240501",
        "CT CHEST ABDOMEN",
        [
            Finding("T1", codes.SCT.Liver, [(LONG, "2.2", CM), (SHORT, "1.2", CM)]),
            Finding("T2", codes.SCT.Lung, [(LENGTH, "12", MM)]),
            Finding("N1", MEDIASTINAL_NODE, [(SHORT, "10", MM), (LONG, "15", MM)]),
            Finding("NT1", BONE, evaluations=[(RESPONSE, NT_PRESENT)], planar=False),
            Finding("L5", codes.SCT.Liver, [(LENGTH, "8", MM)]),
        ],
    )


def three_reports(folder: Path, *, roles: bool = True) -> list[Path]:
    """The worked patient's three reports, written to ``folder`` (baseline first)."""
    return [
        write(folder, "baseline.dcm", baseline(roles=roles)),
        write(folder, "week8.dcm", follow_up_1()),
        write(folder, "week16.dcm", follow_up_2()),
    ]
