"""DICOM SR measurement reports (TID 1500) in: mapping, bad input, privacy, the CLI.

The reports are written with highdicom's own TID 1500 classes (tests/srfixtures.py);
every expected size and response is worked out by hand in the comments.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Iterator
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pydicom
import pytest
import srfixtures as fx
from hypothesis import given
from hypothesis import strategies as st
from pydicom.data import get_testdata_file
from pydicom.dataset import Dataset
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code

import remission
from remission import Lesion, Visit, classify_series
from remission.cli import main
from remission.errors import InvalidInput
from remission.sr import read_reports, read_sr
from remission.table import read_table, to_visits

IDENTIFYING = (fx.PATIENT_NAME, "Doe", "Quinn", fx.BIRTH_DATE, "1958", "Reader", "Rita", "Referrer")


def problems_of(error: pytest.ExceptionInfo[InvalidInput]) -> list[str]:
    return [str(p) for p in error.value.problems]


def by_hand() -> list[Visit]:
    """The worked patient typed into the form: cm converted by hand (5.2 cm = 52 mm)."""
    return [
        Visit(
            day=0,
            targets={
                "T1": Lesion(52, perpendicular_mm=30),
                "T2": Lesion(31),
                "N1": Lesion(18, perpendicular_mm=25, node=True),
            },
            non_target="present",
        ),
        Visit(
            day=56,
            targets={
                "T1": Lesion(20, perpendicular_mm=11),
                "T2": Lesion(11),
                "N1": Lesion(9, perpendicular_mm=15, node=True),
            },
            non_target="present",
        ),
        Visit(
            day=112,
            targets={
                "T1": Lesion(22, perpendicular_mm=12),
                "T2": Lesion(12),
                "N1": Lesion(10, perpendicular_mm=15, node=True),
            },
            non_target="present",
            new_lesions=True,
        ),
    ]


# --------------------------------------------------------------------------- the worked patient


def test_three_reports_become_the_long_table(tmp_path: Path) -> None:
    frame = read_sr(fx.three_reports(tmp_path))
    assert list(frame.columns) == list(remission.sr.COLUMNS)
    assert set(frame["patient"]) == {fx.PATIENT_ID}
    baseline = frame[frame["day"] == 0].set_index("lesion")
    # 5.2 cm and 3.0 cm are 52 and 30 mm; the node's size is its 18 mm short axis.
    assert list(baseline.loc["T1", ["size_mm", "perpendicular_mm"]]) == [52, 30]
    assert baseline.loc["T2", "size_mm"] == 31
    assert list(baseline.loc["N1", ["size_mm", "perpendicular_mm", "node"]]) == [18, 25, "yes"]
    assert list(baseline.loc["NT1", ["role", "status"]]) == ["non-target", "present"]
    assert baseline.loc["T1", "organ"] == "Liver"
    assert sorted(frame["day"].unique()) == [0, 56, 112]
    assert frame.loc[frame["day"] == 56, "visit"].iloc[0] == "2024-03-06 CT CHEST ABDOMEN"
    assert frame.loc[frame["day"] == 56, "date"].iloc[0] == "2024-03-06"
    new = frame[frame["role"] == "new"]
    assert new[["lesion", "day", "status"]].values.tolist() == [["L5", 112, "present"]]


def test_done_when_read_sr_and_classify_series_equal_typing_the_numbers(tmp_path: Path) -> None:
    table = read_table(read_sr(fx.three_reports(tmp_path)))
    for criteria in remission.CRITERIA:
        from_sr = classify_series(to_visits(table, fx.PATIENT_ID), criteria=criteria)
        typed = classify_series(by_hand(), criteria=criteria)
        assert [a.response for a in from_sr.visits] == [a.response for a in typed.visits]
        assert from_sr.best_response.response is typed.best_response.response
    series = classify_series(to_visits(table, fx.PATIENT_ID), criteria="recist1.1")
    # RECIST 1.1: sums 52+31+18 = 101, 20+11+9 = 40 (−60.4 %: PR), then a new lesion: PD.
    assert [a.response.value for a in series.visits] == ["PR", "PD"]
    assert series.best_response.response.value == "PR"


def test_done_when_the_cli_gives_the_same(tmp_path: Path) -> None:
    paths = [str(p) for p in fx.three_reports(tmp_path)]
    out, err = io.StringIO(), io.StringIO()
    code = main(["sr", *paths, "--criteria", "recist1.1"], stdout=out, stderr=err)
    assert code == 0
    visits = pd.read_csv(io.StringIO(out.getvalue()))
    typed = classify_series(by_hand(), criteria="recist1.1")
    assert visits["response"].tolist()[1:] == [a.response.value for a in typed.visits]
    out = io.StringIO()
    code = main(["sr", *paths, "--criteria", "recist1.1", "--best"], stdout=out, stderr=err)
    best = pd.read_csv(io.StringIO(out.getvalue()))
    assert (code, best["best_response"].tolist()) == (0, [typed.best_response.response.value])


def test_the_frame_goes_to_classify_frame_unchanged(tmp_path: Path) -> None:
    frame = read_sr(fx.three_reports(tmp_path))
    visits = remission.classify_frame(frame, criteria="recist1.1")
    assert visits["response"].tolist()[1:] == ["PR", "PD"]
    best = remission.best_response_frame(frame, criteria="recist1.1")
    assert best["best_response"].tolist() == ["PR"]


def test_order_of_files_does_not_matter_baseline_is_the_earliest(tmp_path: Path) -> None:
    paths = fx.three_reports(tmp_path)
    forward = read_sr(paths)
    backward = read_sr(list(reversed(paths)))
    assert (
        backward.sort_values(["day", "lesion"])
        .reset_index(drop=True)
        .equals(forward.sort_values(["day", "lesion"]).reset_index(drop=True))
    )


# --------------------------------------------------------------------------- mapping rules


def test_roles_come_from_baseline_category_else_by_default_with_a_note(tmp_path: Path) -> None:
    recorded = read_reports(fx.three_reports(tmp_path))
    # L5 has no recorded role: first tracked after baseline, so new (said in a note).
    assert [n for n in recorded.notes if "no role" in n] == [
        f"patient {fx.PATIENT_ID}: the reports record no role for L5 (first tracked after "
        "baseline, so new); give roles in a CSV (lesion,role) if these are not right"
    ]
    folder = tmp_path / "plain"
    folder.mkdir()
    plain = read_reports(fx.three_reports(folder, roles=False))
    roles = plain.long.drop_duplicates("lesion").set_index("lesion")["role"].to_dict()
    # NT1 has no length: a non-target; the measured ones are targets.
    assert roles == {
        "T1": "target",
        "T2": "target",
        "N1": "target",
        "NT1": "non-target",
        "L5": "new",
    }
    (note,) = [n for n in plain.notes if "no role" in n]
    # NT1's role comes from the follow-ups' RECIST lesion response (non-target).
    assert "T1, T2, N1 (tracked at baseline, so targets); L5 (first tracked after" in note
    alone = read_reports([folder / "baseline.dcm"])
    (note,) = [n for n in alone.notes if "no role" in n]
    assert "NT1 (tracked at baseline without a length, so non-targets)" in note


def test_a_roles_csv_gives_what_the_viewer_did_not_and_overrides_with_a_note(
    tmp_path: Path,
) -> None:
    paths = fx.three_reports(tmp_path)
    roles = tmp_path / "roles.csv"
    roles.write_text("lesion,role\nT2,non-target\nL5,new\n", encoding="utf-8")
    study = read_reports(paths, roles=roles)
    t2 = study.long[study.long["lesion"] == "T2"]
    assert set(t2["role"]) == {"non-target"}
    assert set(t2["status"]) == {"present"}
    assert any(
        "the roles CSV makes T2 non-target; the reports record target" in n for n in study.notes
    )
    assert not any("no role" in n for n in study.notes)


def test_a_roles_csv_naming_no_lesion_or_no_role_is_refused(tmp_path: Path) -> None:
    paths = fx.three_reports(tmp_path)
    with pytest.raises(InvalidInput) as error:
        read_sr(paths, roles=b"lesion,role\nT9,target\n")
    assert problems_of(error) == [
        "roles CSV, row 2, lesion: 'T9' is not a lesion of any report read. Fix: use the "
        "Tracking Identifier the viewer shows (T1, N1…) or its UID."
    ]
    with pytest.raises(InvalidInput) as error:
        read_sr(paths, roles=b"lesion,role\nT1,measurable\n")
    assert "roles CSV, row 2, role: 'measurable' is not a role" in problems_of(error)[0]


def test_a_non_target_status_comes_from_the_recist_lesion_response(tmp_path: Path) -> None:
    gone = fx.Finding(
        "NT1",
        fx.BONE,
        evaluations=[(fx.RESPONSE, codes.DCM.NonTargetLesionCompleteResponse)],
        planar=False,
    )
    worse = fx.Finding(
        "NT1",
        fx.BONE,
        evaluations=[(fx.RESPONSE, codes.DCM.NonTargetLesionProgressiveDisease)],
        planar=False,
    )
    base = fx.baseline()
    paths = [
        fx.write(tmp_path, "b.dcm", base),
        fx.write(tmp_path, "f1.dcm", fx.Study("20240306", "CT", [*base.findings[:3], gone])),
        fx.write(tmp_path, "f2.dcm", fx.Study("20240501", "CT", [*base.findings[:3], worse])),
    ]
    frame = read_sr(paths)
    nt1 = frame[frame["lesion"] == "NT1"]
    assert nt1["status"].tolist() == ["present", "absent", "progression"]


def test_a_node_is_known_by_its_finding_site_or_its_finding_type(tmp_path: Path) -> None:
    by_type = fx.Finding(
        "N2", codes.SCT.Neck, [(fx.SHORT, "15", fx.MM)], finding_type=codes.SCT.Lymphadenopathy
    )
    plain = fx.Finding("T3", codes.SCT.Neck, [(fx.LONG, "15", fx.MM)])
    path = fx.write(
        tmp_path, "b.dcm", fx.Study("20240110", "CT", [*fx.baseline().findings, by_type, plain])
    )
    nodes = read_sr([path]).set_index("lesion")["node"].to_dict()
    # N1: mediastinal lymph node (CID 7600); N2: lymphadenopathy; T3: a neck lesion.
    assert (nodes["N1"], nodes["N2"], nodes["T3"], nodes["T1"]) == ("yes", "yes", "no", "no")


def test_a_node_with_one_length_is_read_as_its_short_axis_with_a_note(tmp_path: Path) -> None:
    node = fx.Finding("N1", fx.MEDIASTINAL_NODE, [(fx.LENGTH, "14", fx.MM)])
    study = read_reports([fx.write(tmp_path, "b.dcm", fx.Study("20240110", "CT", [node]))])
    assert study.long[["size_mm", "node"]].values.tolist() == [[14, "yes"]]
    assert any("node N1 on 2024-01-10 has one length and no axis" in n for n in study.notes)


def test_a_lesion_is_followed_by_its_uid_even_when_renamed(tmp_path: Path) -> None:
    renamed = fx.Finding(
        "T2 lung", codes.SCT.Lung, [(fx.LENGTH, "11", fx.MM)], tracking_uid=fx.uid("T2")
    )
    follow = fx.follow_up_1()
    paths = [
        fx.write(tmp_path, "b.dcm", fx.baseline()),
        fx.write(
            tmp_path,
            "f.dcm",
            fx.Study(follow.date, follow.description, [follow.findings[0], renamed]),
        ),
    ]
    study = read_reports(paths)
    t2 = study.long[study.long["tracking_uid"] == fx.uid("T2")]
    assert t2[["lesion", "size_mm"]].values.tolist() == [["T2", 31], ["T2", 11]]
    assert any("lesion T2 is named T2 lung in other reports" in n for n in study.notes)


def test_without_a_uid_the_tracking_identifier_is_the_identity(tmp_path: Path) -> None:
    def drop_uids(sr: Dataset) -> None:
        for item in sr.ContentSequence:
            for group in item.get("ContentSequence", []):
                if "ContentSequence" in group:
                    group.ContentSequence = [
                        i for i in group.ContentSequence if i.ValueType != "UIDREF"
                    ]

    paths = [
        fx.write(tmp_path, "b.dcm", fx.baseline(), drop_uids),
        fx.write(tmp_path, "f.dcm", fx.follow_up_1(), drop_uids),
    ]
    frame = read_sr(paths)
    assert frame["tracking_uid"].isna().all()
    assert frame[frame["lesion"] == "T1"]["size_mm"].tolist() == [52, 20]


def test_two_lesions_with_one_name_are_told_apart_by_their_uids(tmp_path: Path) -> None:
    a = fx.Finding("Lesion", codes.SCT.Liver, [(fx.LONG, "20", fx.MM)], tracking_uid=fx.uid("a"))
    b = fx.Finding("Lesion", codes.SCT.Lung, [(fx.LONG, "30", fx.MM)], tracking_uid=fx.uid("b"))
    study = read_reports([fx.write(tmp_path, "b.dcm", fx.Study("20240110", "CT", [a, b]))])
    assert study.long["lesion"].tolist() == [f"Lesion [{fx.uid('a')}]", f"Lesion [{fx.uid('b')}]"]
    assert any("2 lesions are called Lesion" in n for n in study.notes)


def test_centimetres_are_converted_exactly(tmp_path: Path) -> None:
    # 3.3 cm → 2.31 cm is exactly −30 %: a PR under RECIST 1.1 only when 23.1 mm is exact.
    paths = [
        fx.write(
            tmp_path,
            "b.dcm",
            fx.Study(
                "20240110", "CT", [fx.Finding("T1", codes.SCT.Liver, [(fx.LONG, "3.3", fx.CM)])]
            ),
        ),
        fx.write(
            tmp_path,
            "f.dcm",
            fx.Study(
                "20240306", "CT", [fx.Finding("T1", codes.SCT.Liver, [(fx.LONG, "2.31", fx.CM)])]
            ),
        ),
    ]
    table = read_table(read_sr(paths))
    visits = to_visits(table, fx.PATIENT_ID)
    assert [v.targets["T1"].size_mm for v in visits] == [Fraction(33), Fraction(231, 10)]  # type: ignore[union-attr]
    series = classify_series(visits, criteria="recist1.1")
    assert series.visits[0].response.value == "PR"


def test_micrometres_are_read_and_inches_refused(tmp_path: Path) -> None:
    um = Code("um", "UCUM", "micrometer")
    inch = Code("[in_i]", "UCUM", "inch")
    good = fx.Study("20240110", "CT", [fx.Finding("T1", codes.SCT.Liver, [(fx.LONG, "15250", um)])])
    assert read_sr([fx.write(tmp_path, "um.dcm", good)])["size_mm"].tolist() == [15.25]
    bad = fx.Study("20240110", "CT", [fx.Finding("T1", codes.SCT.Liver, [(fx.LONG, "2", inch)])])
    with pytest.raises(InvalidInput) as error:
        read_sr([fx.write(tmp_path, "in.dcm", bad)])
    assert problems_of(error) == [
        f"file '{tmp_path / 'in.dcm'}', group 1 (T1), Long axis: the unit is '[in_i]' (UCUM), "
        "not a length unit remission reads (UCUM mm, cm, um or m). Fix: save the measurement "
        "in mm or cm, or enter the sizes by hand."
    ]


@given(st.from_regex(r"[0-9]{1,5}\.[0-9]{1,9}", fullmatch=True).filter(lambda t: len(t) <= 16))
def test_any_decimal_string_a_report_holds_reaches_the_table_exactly(text: str) -> None:
    # A DS value has at most 16 characters; shifted from cm to mm and held as a float,
    # its shortest form is the very decimal: the table reads back text × 10 exactly.
    from remission.sr.study import _number

    mm = Decimal(text) * 10
    value = _number(mm)
    assert value is not None
    assert Decimal(repr(value)) == mm


def test_an_area_only_target_is_refused_and_an_area_only_non_target_noted(tmp_path: Path) -> None:
    area = fx.Finding("T9", codes.SCT.Liver, [(fx.AREA, "120", Code("mm2", "UCUM", "mm2"))])
    targeted = fx.with_roles(area, fx.TARGET)
    with pytest.raises(InvalidInput) as error:
        read_sr([fx.write(tmp_path, "t.dcm", fx.Study("20240110", "CT", [targeted]))])
    (problem,) = problems_of(error)
    assert problem.startswith(
        f"file '{tmp_path / 't.dcm'}', group 1 (T9), Long axis: has only an area"
    )
    assert "Fix: measure the longest diameter in the viewer" in problem
    study = read_reports(
        [fx.write(tmp_path, "n.dcm", fx.Study("20240110", "CT", [*fx.baseline().findings, area]))]
    )
    assert study.long.set_index("lesion").loc["T9", "role"] == "non-target"
    assert any("T9 has only an area, which no criteria set sums" in n for n in study.notes)


def test_two_studies_on_one_date_are_one_visit(tmp_path: Path) -> None:
    chest = fx.Study("20240110", "CT CHEST", fx.baseline().findings[:2])
    abdomen = fx.Study("20240110", "CT ABDOMEN", fx.baseline().findings[2:])
    study = read_reports([fx.write(tmp_path, "c.dcm", chest), fx.write(tmp_path, "a.dcm", abdomen)])
    assert set(study.long["visit"]) == {"2024-01-10 CT CHEST + CT ABDOMEN"}
    assert len(study.long) == 4
    assert any("2 studies on 2024-01-10" in n for n in study.notes)


def test_a_target_missing_from_a_follow_up_is_not_assessed_with_a_note(tmp_path: Path) -> None:
    follow = fx.follow_up_1()
    paths = [
        fx.write(tmp_path, "b.dcm", fx.baseline()),
        fx.write(tmp_path, "f.dcm", fx.Study(follow.date, follow.description, follow.findings[1:])),
    ]
    study = read_reports(paths)
    t1 = study.long[(study.long["lesion"] == "T1") & (study.long["day"] == 56)]
    assert t1[["size_mm", "status"]].values.tolist()[0][1] == "not-assessed"
    assert any("target T1 is not in the report of 2024-03-06" in n for n in study.notes)
    series = classify_series(to_visits(read_table(study.long), fx.PATIENT_ID), criteria="recist1.1")
    assert series.visits[0].response.value == "NE"  # 11 + 9 of 101 measured: too few to tell


def test_an_amended_report_replaces_its_predecessor(tmp_path: Path) -> None:
    first = fx.report(fx.follow_up_1())
    first.save_as(tmp_path / "f.dcm", enforce_file_format=True)
    follow = fx.follow_up_1()
    corrected = [fx.Finding("T1", codes.SCT.Liver, [(fx.LONG, "2.1", fx.CM)]), *follow.findings[1:]]
    amended = fx.report(fx.Study(follow.date, follow.description, corrected), previous=[first])
    amended.save_as(tmp_path / "f2.dcm", enforce_file_format=True)
    study = read_reports(
        [fx.write(tmp_path, "b.dcm", fx.baseline()), tmp_path / "f.dcm", tmp_path / "f2.dcm"]
    )
    t1 = study.long[(study.long["lesion"] == "T1") & (study.long["day"] == 56)]
    assert t1["size_mm"].tolist() == [21]
    assert any("is replaced by its amendment" in n for n in study.notes)


def test_the_same_report_twice_is_read_once(tmp_path: Path) -> None:
    path = fx.write(tmp_path, "b.dcm", fx.baseline())
    copy = tmp_path / "copy.dcm"
    copy.write_bytes(path.read_bytes())
    study = read_reports([path, copy])
    assert len(study.long) == 4
    assert any("is the same report as" in n for n in study.notes)


# --------------------------------------------------------------------------- bad input


def test_not_dicom_names_the_file_and_the_fix() -> None:
    upload = io.BytesIO(b"%PDF-1.7 a printout")
    upload.name = "report.pdf"
    with pytest.raises(InvalidInput) as error:
        read_sr([upload])
    assert problems_of(error) == [
        "file 'report.pdf', file: is not a DICOM file. Fix: give the DICOM SR file the "
        "viewer saved (export the measurement report as DICOM, not as a PDF, image or "
        "screenshot)."
    ]


def test_an_image_is_not_a_structured_report(tmp_path: Path) -> None:
    image = fx.image(fx.baseline())
    image.save_as(tmp_path / "ct.dcm", enforce_file_format=True)
    with pytest.raises(InvalidInput) as error:
        read_sr([tmp_path / "ct.dcm"])
    assert problems_of(error) == [
        f"file '{tmp_path / 'ct.dcm'}', SOPClassUID: is not a structured report (it is CT "
        "Image Storage). Fix: give the measurement report (SR) the viewer saved, not the images."
    ]


def test_real_structured_reports_that_are_not_tid_1500_are_refused() -> None:
    # pydicom ships real SR documents: a Comprehensive SR and a Basic Text SR, neither
    # a TID 1500 measurement report (no template id, other titles).
    paths = [get_testdata_file("test-SR.dcm"), get_testdata_file("reportsi.dcm")]
    assert all(isinstance(p, str) for p in paths)
    with pytest.raises(InvalidInput) as error:
        read_sr([str(p) for p in paths])
    found = problems_of(error)
    assert len(found) == 2
    for path, problem in zip(paths, found, strict=True):
        assert problem.startswith(
            f"file '{path}', ContentTemplateSequence: is a structured report but not a TID 1500 measurement report (title "
        )
        assert "Fix: give the measurement report (TID 1500 'Imaging Measurement Report')" in problem


def test_another_template_is_not_tid_1500(tmp_path: Path) -> None:
    def other_template(sr: Dataset) -> None:
        sr.ContentTemplateSequence[0].TemplateIdentifier = "2000"

    path = fx.write(tmp_path, "b.dcm", fx.baseline(), other_template)
    with pytest.raises(InvalidInput) as error:
        read_sr([path])
    assert "not a TID 1500 measurement report (template TID 2000)" in problems_of(error)[0]


def test_another_patients_report_is_refused_and_the_others_still_read(tmp_path: Path) -> None:
    paths = fx.three_reports(tmp_path)
    stranger = fx.Study("20240306", "CT", fx.follow_up_1().findings, patient_id="RM-0099")
    other = fx.write(tmp_path, "other.dcm", stranger)
    with pytest.raises(InvalidInput) as error:
        read_sr([*paths, other], patient=fx.PATIENT_ID)
    assert problems_of(error) == [
        f"file '{other}', PatientID: is another patient's report (RM-0099, not RM-0042). "
        "Fix: leave this file out, or read that patient's reports on their own."
    ]
    study = read_reports([*paths, other], patient=fx.PATIENT_ID, keep_going=True)
    assert study.left_out == (str(other),)
    assert set(study.long["patient"]) == {fx.PATIENT_ID}
    assert len(study.long) == 13
    assert len(study.problems) == 1


def test_an_unknown_unit_leaves_out_that_patient_and_keeps_the_others(tmp_path: Path) -> None:
    inch = Code("[in_i]", "UCUM", "inch")
    paths = fx.three_reports(tmp_path)
    other = fx.Study(
        "20240110",
        "CT",
        [fx.Finding("X1", codes.SCT.Liver, [(fx.LONG, "1", inch)])],
        patient_id="RM-0099",
    )
    bad = fx.write(tmp_path, "other.dcm", other)
    study = read_reports([bad, *paths, b"junk"], keep_going=True)
    assert set(study.long["patient"]) == {fx.PATIENT_ID}
    assert study.patients_left_out == ("RM-0099",)
    assert study.left_out == (str(bad), "file 5")
    assert [p.where for p in study.problems] == [f"file '{bad}', group 1 (X1)", "file 'file 5'"]


def test_a_bad_follow_up_leaves_out_the_whole_patient(tmp_path: Path) -> None:
    # Dropping only the bad file would make the rest look complete (or a follow-up the
    # baseline): the patient is classified from all their reports or not at all.
    inch = Code("[in_i]", "UCUM", "inch")
    follow = fx.follow_up_1()
    broken = fx.Study(
        follow.date, follow.description, [fx.Finding("T1", codes.SCT.Liver, [(fx.LONG, "1", inch)])]
    )
    paths = [fx.write(tmp_path, "b.dcm", fx.baseline()), fx.write(tmp_path, "f.dcm", broken)]
    with pytest.raises(InvalidInput):
        read_reports(paths, keep_going=True)  # nothing left to classify


def test_two_reports_of_one_study_that_disagree_are_refused(tmp_path: Path) -> None:
    follow = fx.follow_up_1()
    other = [
        fx.Finding("T1", codes.SCT.Liver, [(fx.LONG, "2.5", fx.CM), (fx.SHORT, "1.1", fx.CM)]),
        *follow.findings[1:],
    ]
    a = fx.write(tmp_path, "a.dcm", follow)
    b = fx.write(tmp_path, "b.dcm", fx.Study(follow.date, follow.description, other))
    with pytest.raises(InvalidInput) as error:
        read_sr([fx.write(tmp_path, "base.dcm", fx.baseline()), a, b])
    assert problems_of(error) == [
        f"file '{a}' and file '{b}', group 1 (T1) and group 1 (T1): two reports of one study "
        "record this lesion differently (long axis 20 mm, short axis 11 mm against long axis "
        "25 mm, short axis 11 mm). Fix: keep one report per study (the final one), or correct "
        "the lesion in the viewer and save again."
    ]


def test_two_reports_of_one_study_that_agree_are_read_together(tmp_path: Path) -> None:
    follow = fx.follow_up_1()
    a = fx.write(tmp_path, "a.dcm", fx.Study(follow.date, follow.description, follow.findings[:2]))
    b = fx.write(tmp_path, "b.dcm", fx.Study(follow.date, follow.description, follow.findings[1:]))
    study = read_reports([fx.write(tmp_path, "base.dcm", fx.baseline()), a, b])
    assert len(study.long[study.long["day"] == 56]) == 4
    assert any("report one study and agree" in n for n in study.notes)


def test_a_report_without_a_study_date_says_so(tmp_path: Path) -> None:
    def undated(sr: Dataset) -> None:
        sr.StudyDate = ""

    path = fx.write(tmp_path, "b.dcm", fx.baseline(), undated)
    with pytest.raises(InvalidInput) as error:
        read_sr([path])
    assert problems_of(error) == [
        f"file '{path}', StudyDate: is missing. Fix: export the report with its date."
    ]


def test_a_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as error:
        read_sr([tmp_path / "nowhere.dcm"])
    assert problems_of(error) == [
        f"file '{tmp_path / 'nowhere.dcm'}', file: does not exist. Fix: give the path of a "
        "DICOM SR file (.dcm)."
    ]


# --------------------------------------------------------------------------- privacy


def test_names_and_birth_dates_never_reach_results_notes_problems_or_logs(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    def malformed(sr: Dataset) -> None:
        # A name pydicom would warn about (and log), quoting it, when it parses it.
        sr.PatientName = fx.PATIENT_NAME + "\\" * 3 + "x" * 70
        for item in sr.ContentSequence:
            if item.ValueType == "PNAME":  # the observer, inside the content tree
                item.PersonName = fx.OBSERVER + "x" * 70

    paths = fx.three_reports(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # writing the malformed name warns, as it should
        odd = fx.write(
            tmp_path,
            "odd.dcm",
            fx.Study(
                "20240601",
                "CT",
                [fx.Finding("T1", codes.SCT.Liver, [(fx.LONG, "1", Code("[in_i]", "UCUM", "in"))])],
                patient_id="RM-0077",
            ),
            malformed,
        )
        assert fx.PATIENT_NAME in str(pydicom.dcmread(odd).PatientName)
    caplog.set_level(logging.DEBUG)
    with _no_warning():
        study = read_reports([*paths, odd, b"junk"], keep_going=True)
    out, err = io.StringIO(), io.StringIO()
    main(["sr", *map(str, paths), str(odd), "--keep-going"], stdout=out, stderr=err)
    texts = [
        study.long.to_csv(),
        *study.notes,
        *map(str, study.problems),
        out.getvalue(),
        err.getvalue(),
        caplog.text,
    ]
    for text in texts:
        for word in IDENTIFYING:
            assert word not in text


@contextlib.contextmanager
def _no_warning() -> Iterator[None]:
    """Fails if any warning escapes (pydicom's would quote the value it warns about)."""
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        yield
    assert [str(w.message) for w in seen] == []


def test_neutral_labels_hide_the_patient_id_everywhere(tmp_path: Path) -> None:
    paths = fx.three_reports(tmp_path)
    stranger = fx.write(
        tmp_path,
        "x.dcm",
        fx.Study("20240306", "CT", fx.follow_up_1().findings, patient_id="RM-0099"),
    )
    study = read_reports(
        [*paths, stranger], patient=fx.PATIENT_ID, keep_going=True, neutral_labels=True
    )
    assert set(study.long["patient"]) == {"patient 1"}
    texts = [study.long.to_csv(), *study.notes, *map(str, study.problems)]
    assert "another patient's report (patient 2, not patient 1)" in str(study.problems[0])
    for text in texts:
        assert fx.PATIENT_ID not in text
        assert "RM-0099" not in text


def test_import_remission_loads_neither_pydicom_nor_highdicom() -> None:
    import subprocess
    import sys

    code = "import sys, remission; print(sorted({'pydicom', 'highdicom'} & set(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
    assert remission.read_sr is read_sr


# --------------------------------------------------------------------------- README


def readme_section() -> str:
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    return readme.split("## From DICOM SR", 1)[1].split("\n## ", 1)[0]


def test_readme_three_lines_run_as_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fx.three_reports(tmp_path)
    monkeypatch.chdir(tmp_path)
    code = readme_section().split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict[str, object] = {}
    exec(compile(code, "README.md", "exec"), namespace)  # noqa: S102 - our own README
    best = namespace["best"]
    assert isinstance(best, pd.DataFrame)
    assert best["best_response"].tolist() == ["PR"]


def test_readme_command_runs_as_written(tmp_path: Path) -> None:
    import shlex
    import subprocess
    import sys

    fx.three_reports(tmp_path)
    (line,) = readme_section().split("```sh\n", 1)[1].split("```", 1)[0].strip().splitlines()
    argv = shlex.split(line)
    assert argv[:3] == ["python", "-m", "remission"]
    result = subprocess.run(
        [sys.executable, *argv[1:]], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert pd.read_csv(io.StringIO(result.stdout))["best_response"].tolist() == ["PR"]


# --------------------------------------------------------------------------- another writer


def _dcmqi_report(folder: Path, date: str, centimetres: str) -> Path:
    """A TID 1500 report written by dcmqi's tid1500writer (3D Slicer's, on DCMTK)."""
    import json
    import subprocess
    import sys

    ct = pydicom.dcmread(get_testdata_file("CT_small.dcm"))  # type: ignore[arg-type]
    ct.StudyDate = date
    ct.StudyInstanceUID = fx.uid(f"dcmqi study {date}")
    ct.SeriesInstanceUID = fx.uid(f"dcmqi series {date}")
    ct.SOPInstanceUID = fx.uid(f"dcmqi image {date}")
    ct.PatientName = fx.PATIENT_NAME
    images = folder / f"images-{date}"
    images.mkdir()
    ct.save_as(images / "ct.dcm")
    meta = {
        "SeriesDescription": "Measurements",
        "SeriesNumber": "1001",
        "InstanceNumber": "1",
        "compositeContext": ["ct.dcm"],
        "imageLibrary": ["ct.dcm"],
        "observerContext": {"ObserverType": "PERSON", "PersonObserverName": fx.OBSERVER},
        "VerificationFlag": "UNVERIFIED",
        "CompletionFlag": "COMPLETE",
        "activitySession": "1",
        "timePoint": "1",
        "Measurements": [
            {
                "TrackingIdentifier": "T1",
                "TrackingUniqueIdentifier": fx.uid("dcmqi T1"),
                "ReferencedSegment": 1,
                "SourceSeriesForImageSegmentation": ct.SeriesInstanceUID,
                "segmentationSOPInstanceUID": fx.uid(f"dcmqi seg {date}"),
                "Finding": {
                    "CodeValue": "52988006",
                    "CodingSchemeDesignator": "SCT",
                    "CodeMeaning": "Lesion",
                },
                "FindingSite": {
                    "CodeValue": "10200004",
                    "CodingSchemeDesignator": "SCT",
                    "CodeMeaning": "Liver",
                },
                "measurementItems": [
                    {
                        "value": centimetres,
                        "quantity": {
                            "CodeValue": "410668003",
                            "CodingSchemeDesignator": "SCT",
                            "CodeMeaning": "Length",
                        },
                        "units": {
                            "CodeValue": "cm",
                            "CodingSchemeDesignator": "UCUM",
                            "CodeMeaning": "centimeter",
                        },
                    }
                ],
            }
        ],
    }
    (folder / f"{date}.json").write_text(json.dumps(meta), encoding="utf-8")
    writer = Path(sys.executable).parent / "tid1500writer"
    out = folder / f"{date}.dcm"
    subprocess.run(
        [
            str(writer),
            "--inputMetadata",
            str(folder / f"{date}.json"),
            "--inputImageLibraryDirectory",
            str(images),
            "--inputCompositeContextDirectory",
            str(images),
            "--outputDICOM",
            str(out),
        ],
        check=True,
        capture_output=True,
    )
    return out


def test_reports_written_by_dcmqi_are_read(tmp_path: Path) -> None:
    # An independent TID 1500 writer (dcmqi, on DCMTK's TID 1500 classes): 3.3 cm at
    # baseline, 2.31 cm later, is 33 → 23.1 mm, exactly −30 %: PR under RECIST 1.1.
    paths = [
        _dcmqi_report(tmp_path, "20240110", "3.3"),
        _dcmqi_report(tmp_path, "20240306", "2.31"),
    ]
    assert pydicom.dcmread(paths[0]).ContentTemplateSequence[0].TemplateIdentifier == "1500"
    study = read_reports(paths)
    assert study.long[["lesion", "day", "size_mm", "organ"]].values.tolist() == [
        ["T1", 0, 33, "Liver"],
        ["T1", 56, 23.1, "Liver"],
    ]
    series = classify_series(to_visits(read_table(study.long), "1CT1"), criteria="recist1.1")
    assert series.visits[0].response.value == "PR"
    for text in (study.long.to_csv(), *study.notes):
        for word in IDENTIFYING:
            assert word not in text
