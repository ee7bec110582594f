"""The Study page's DICOM SR upload, driven by Streamlit's AppTest.

The three reports of the worked patient (tests/srfixtures.py) go in at once; what the
page shows must be what typing the numbers gives (built by hand in test_sr.by_hand).
"""

from __future__ import annotations

from pathlib import Path

import srfixtures as fx
from pydicom.sr.codedict import codes
from pydicom.sr.coding import Code
from streamlit.testing.v1 import AppTest
from test_sr import IDENTIFYING, by_hand

from remission import classify_series

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SOURCE = "Upload DICOM SR measurement reports"


def upload(files: list[tuple[str, bytes]], *, neutral: bool = True) -> AppTest:
    """The Study page with the reports uploaded together, criteria RECIST 1.1."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    at = at.switch_page("app_pages/study.py").run()
    at.radio(key="study_source").set_value(SOURCE).run()
    at.selectbox(key="study_criteria").set_value("recist1.1")
    if not neutral:
        at.checkbox(key="study_sr_neutral").uncheck()
    uploader = at.file_uploader(key="study_sr")
    assert uploader.accept_multiple_files
    assert uploader.allowed_type == [".dcm"]
    uploader.set_value([(name, data, "application/dicom") for name, data in files]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown(at: AppTest) -> str:
    """Every text the page shows, tables included."""
    parts = [
        e.value for kind in (at.markdown, at.caption, at.info, at.warning, at.error) for e in kind
    ]
    parts += [d.value.to_csv() for d in at.dataframe]
    return "\n".join(str(p) for p in parts)


def test_three_reports_give_the_typed_numbers_response(tmp_path: Path) -> None:
    files = [(p.name, p.read_bytes()) for p in fx.three_reports(tmp_path)]
    at = upload(files)
    typed = classify_series(by_hand(), criteria="recist1.1")
    (best,) = [d.value for d in at.dataframe if "best_response" in d.value.columns]
    assert best["best_response"].tolist() == [typed.best_response.response.value]
    assert best["best_response"].tolist() == ["PR"]  # −60.4 % at day 56 (worked by hand)
    (visits,) = [d.value for d in at.dataframe if "pct_change_nadir" in d.value.columns]
    assert visits["response"].tolist()[1:] == [a.response.value for a in typed.visits]
    # The PatientID is replaced before anything is shown; names never are.
    assert best["patient"].tolist() == ["patient 1"]
    text = shown(at)
    for word in (fx.PATIENT_ID, *IDENTIFYING):
        assert word not in text


def test_the_patient_id_is_shown_when_the_user_chooses(tmp_path: Path) -> None:
    files = [(p.name, p.read_bytes()) for p in fx.three_reports(tmp_path)]
    at = upload(files, neutral=False)
    (best,) = [d.value for d in at.dataframe if "best_response" in d.value.columns]
    assert best["patient"].tolist() == [fx.PATIENT_ID]


def test_bad_files_are_listed_with_their_fix_and_the_others_shown(tmp_path: Path) -> None:
    inch = Code("[in_i]", "UCUM", "inch")
    other = fx.Study(
        "20240110",
        "CT",
        [fx.Finding("X1", codes.SCT.Liver, [(fx.LONG, "1", inch)])],
        patient_id="RM-0099",
    )
    bad = fx.write(tmp_path, "other.dcm", other)
    files = [(p.name, p.read_bytes()) for p in fx.three_reports(tmp_path)]
    files += [("notes.dcm", b"not DICOM at all"), (bad.name, bad.read_bytes())]
    at = upload(files)
    assert "2 problems in the reports: 1 patient was left out" in at.warning[0].value
    (problems,) = [d.value for d in at.dataframe if "Fix" in d.value.columns]
    assert problems["Where"].tolist() == ["file 'notes.dcm'", "file 'other.dcm', group 1 (X1)"]
    assert problems["Problem"].tolist()[0] == "is not a DICOM file"
    (best,) = [d.value for d in at.dataframe if "best_response" in d.value.columns]
    assert best["best_response"].tolist() == ["PR"]
    assert "RM-0099" not in shown(at)
