"""DICOM SR measurement reports (TID 1500) in: a viewer's lesion measurements, no retyping.

Image viewers and quantitative tools (OHIF, 3D Slicer, dcmqi, PACS) save lesion
measurements as DICOM Structured Reports that follow template TID 1500 "Measurement
Report": one report per imaging study, one measurement group per lesion. This module
reads them with :mod:`pydicom` and :mod:`highdicom` (the ``remission[dicom]`` extra,
imported only here) into the long table (:mod:`remission.table`), so that
:func:`remission.classify_frame` and :func:`remission.best_response_frame` take them
unchanged. The mapping:

* patient: ``PatientID``. A visit is a study (``StudyInstanceUID``), labelled by its
  ``StudyDate`` and ``StudyDescription``; ``day`` counts the days between study dates,
  the earliest study being the baseline. Studies of one patient on one date are one visit
  (a chest and an abdomen CT read together), with a note.
* lesion: the group's Tracking Unique Identifier (else its Tracking Identifier) is its
  identity across reports; the ``lesion`` column shows its Tracking Identifier text (with
  the UID beside it when two lesions share a text), ``tracking_uid`` the UID.
* sizes: "Long axis" is the longest diameter, "Short axis" a node's short axis and the
  perpendicular WHO multiplies by, "Length" (or "Diameter") the longest diameter when no
  axis is given, or a node's short axis, with a note. Units are read from the UCUM code
  recorded (``mm``, ``cm``, ``um``, ``m``) and converted with decimal arithmetic: exact.
  Any other length unit is refused. A group with only an area or a volume is reported,
  never summed.
* role: the roles CSV (``lesion,role``, for what a viewer does not record) when it
  names the lesion, with a note where it overrides a report; else what the report
  records as a qualitative evaluation or finding category (DICOM's "Baseline Category":
  Target / Non-Target Lesion at Baseline, and Non-Lesion at Baseline for a lesion that
  is new; or a RECIST lesion response, CID 6144, which also gives a non-target's status:
  complete response = absent, progressive disease = progression); else, with a note, a
  lesion tracked at baseline is a target when it has a length and a non-target when it
  has none, and one first tracked later is new. Roles are fixed at baseline (RECIST 1.1
  section 3.3). A target or non-target missing from a later report is not assessed
  there, with a note.
* node: a finding site or finding type that is a lymph node (DICOM CID 7600 "Lymph Node
  Anatomic Site", lymph node, lymphadenopathy), or the roles CSV's ``node`` column.

Bad input is refused with a problem naming the file, the group and the fix, every
problem at once: a file that is not DICOM, not a structured report, not TID 1500, from
another patient, a length in an unknown unit, two reports of one study that disagree.
With ``keep_going`` the files of patients without problems are still read. A report that
lists another as its predecessor (an amended report) replaces it, with a note.

Privacy: only ``PatientID``, study dates, descriptions and the measurement groups are
read. Names, birth dates and observers never reach a result, a note, a problem or a log
(warnings pydicom would emit while parsing are silenced, as they quote values), and
``neutral_labels`` replaces every ``PatientID`` with "patient 1", "patient 2"…

Examples:
    >>> from remission import sr
    >>> sr.COLUMNS[:6]
    ('patient', 'visit', 'date', 'day', 'lesion', 'role')
    >>> sr.read_sr(b"%PDF-1.7")
    Traceback (most recent call last):
    ...
    remission.errors.InvalidInput: 1 problem in the input:
    - file 'file 1', file: is not a DICOM file. Fix: give the DICOM SR file the viewer saved (export the measurement report as DICOM, not as a PDF, image or screenshot).
"""

from remission.sr.report import SrSource
from remission.sr.roles import ROLE_COLUMNS
from remission.sr.study import COLUMNS, SrStudy, read_reports, read_sr

__all__ = ["COLUMNS", "ROLE_COLUMNS", "SrSource", "SrStudy", "read_reports", "read_sr"]
