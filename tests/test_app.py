"""The app, driven through Streamlit's AppTest: pages, the form, errors, links, safety.

Expected categories and percentages are worked out by hand in the comments.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from remission import CRITERIA, DISCLAIMER, examples
from remission import case as cases

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ("app_pages/assess.py", "app_pages/study.py", "app_pages/criteria.py", "app_pages/about.py")
XSS = "<img src=x onerror=alert(1)>"


def start(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def edits(
    rows: dict[int, dict[str, Any]], added: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"edited_rows": rows, "added_rows": added or [], "deleted_rows": []}


def fill(
    at: AppTest,
    lesions: dict[int, dict[str, Any]],
    *,
    day: int | None = 56,
    unit: str | None = "mm",
    criteria: str = "recist1.1",
) -> AppTest:
    """Type into the form as a user would, then press Assess."""
    if unit is not None:
        at.radio(key="assess_unit").set_value(unit)
    at.radio(key="assess_criteria").set_value(criteria)
    at.session_state["assess_lesions"] = edits(lesions)
    if day is not None:
        at.session_state["assess_visits"] = edits({0: {"day": day}})
    return submit(at, "Assess")


def submit(at: AppTest, label: str) -> AppTest:
    (button,) = [b for b in at.form_submit_button if b.label == label]
    return button.click().run()


def worked(t2_name: str = "T2", t1_follow_up: str = "20") -> dict[int, dict[str, Any]]:
    return {
        0: {"name": "T1", "organ": "liver", "baseline": "52", "visit_1": t1_follow_up},
        1: {"name": t2_name, "organ": "lung", "baseline": "31", "visit_1": "11"},
    }


def headline(at: AppTest) -> str:
    """The category as shown in large type on the result card."""
    big = [m.value for m in at.markdown if m.value.startswith("## ")]
    assert big, "no result card"
    return big[0]


def metric(at: AppTest, label: str) -> str:
    (value,) = [m.value for m in at.metric if m.label == label]
    return str(value)


def no_crash(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# --------------------------------------------------------------------------- pages


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_with_the_disclaimer(page: str) -> None:
    at = start()
    at.switch_page(page).run()
    no_crash(at)
    assert not at.error
    assert any(DISCLAIMER in info.value for info in at.info)


def test_about_page_cites_its_two_references_with_dois() -> None:
    at = start()
    at.switch_page("app_pages/about.py").run()
    text = "\n".join([*(h.value for h in at.subheader), *(m.value for m in at.markdown)])
    assert "https://doi.org/10.1200/JCO.1996.14.8.2197" in text
    assert "https://doi.org/10.1016/j.ijscr.2016.06.017" in text
    for topic in (
        "Complete remission",
        "Partial remission",
        "too small to measure",
        "Local recurrence",
        "Regional recurrence",
        "Distant recurrence",
        "When recurrence tends to happen",
        "What can lower the risk",
        "Why follow-up matters",
    ):
        assert topic.lower() in text.lower(), topic


# --------------------------------------------------------------------------- the form


def test_full_assessment_reads_category_and_change() -> None:
    # 52 + 31 = 83 mm → 20 + 11 = 31 mm: −62.7 %, a partial response under RECIST 1.1.
    at = fill(start(), worked())
    no_crash(at)
    assert not at.error
    assert "Partial response" in headline(at)
    assert ":material/trending_down:" in headline(at)  # an icon, not colour alone
    assert metric(at, "Change from baseline") == "−62.7 %"
    assert metric(at, "Sum of targets") == "31 mm"
    assert any(t.value == "Given by Visit 1 (day 56)." for t in at.text)


def test_cm_and_a_second_visit() -> None:
    # 5.2 + 3.1 cm = 83 mm → 2.0 + 1.1 cm = 31 mm (PR) → 4.0 + 1.1 cm = 51 mm:
    # +20 mm and +64.5 % above the nadir of 31 → PD at visit 2.
    at = start()
    at = submit(at, "Add a visit")
    no_crash(at)
    assert len(at.session_state["assess_base"].visits) == 2
    at.radio(key="assess_unit").set_value("cm")
    at.radio(key="assess_criteria").set_value("recist1.1")
    at.session_state["assess_lesions"] = edits(
        {
            0: {"name": "T1", "baseline": "5.2", "visit_1": "2.0", "visit_2": "4.0"},
            1: {"name": "T2", "baseline": "3.1", "visit_1": "1.1", "visit_2": "1.1"},
        }
    )
    at.session_state["assess_visits"] = edits({0: {"day": 56}, 1: {"day": 112, "label": "Week 16"}})
    at = submit(at, "Assess")
    no_crash(at)
    assert "Progressive disease" in headline(at)
    assert metric(at, "Change from nadir") == "+64.5 %"
    (table,) = [d.value for d in at.dataframe if "Response" in d.value.columns]
    assert table["Response"].tolist() == ["PR", "PD"]
    assert table["Visit"].tolist() == ["Visit 1 (day 56)", "Week 16 (day 112)"]
    # The best response (PR, day 56) is history: told in the past tense, never as now.
    words = [m.value for m in at.markdown]
    assert "**PR**: The tumours had shrunk clearly, but had not gone (partial remission)." in words
    assert (
        "**PR**: The tumours have shrunk clearly, but have not gone (partial remission)."
        not in words
    )


def test_compare_criteria_table() -> None:
    # 40 → 26 mm is −35 %: PR under both RECIST versions, SD under the two 50 % rules.
    at = fill(start(), {0: {"name": "T1", "baseline": "40", "visit_1": "26"}})
    no_crash(at)
    (compare,) = [d.value for d in at.dataframe if "Criteria" in d.value.columns]
    assert compare["Visit 1 (day 56)"].tolist() == ["SD", "SD", "PR", "PR"]


def test_not_assessed_gives_ne_on_purpose() -> None:
    at = fill(start(), worked(t1_follow_up="not assessed"))
    no_crash(at)
    assert "Not evaluable" in headline(at)


# --------------------------------------------------------------------------- errors


def error_text(at: AppTest) -> str:
    """The one error message, with its Markdown escapes removed (as a reader sees it)."""
    assert len(at.error) == 1, [e.value for e in at.error]
    return re.sub(r"\\(.)", r"\1", at.error[0].value)


@pytest.mark.parametrize(
    ("lesions", "expected"),
    [
        (
            worked(t1_follow_up=""),
            "lesion T1 at Visit 1 (day 56), size: is empty. Fix: enter the size; 0 if the "
            "lesion has gone, 'too small' if it is there but too small to measure, or 'not "
            "assessed' if it was not checked.",
        ),
        (
            worked(t1_follow_up="-3"),
            "lesion T1 at Visit 1 (day 56), size: is negative (-3). Fix: enter 0 for a lesion "
            "that has disappeared, or the measured size.",
        ),
        (
            worked(t1_follow_up="abc"),
            "lesion T1 at Visit 1 (day 56), size: 'abc' is not a number. Fix: type a number "
            "with a decimal point",
        ),
        (
            {0: {"name": "T1", "visit_1": "20"}},
            "lesion T1 at baseline, baseline size: is missing",
        ),
        (worked(t2_name="T1"), "lesion T1, lesion name: is used twice (rows 1 and 2)"),
    ],
    ids=[
        "target missing at a visit",
        "negative",
        "non-numeric",
        "missing baseline",
        "duplicate names",
    ],
)
def test_bad_input_shows_the_problem_and_keeps_the_input(
    lesions: dict[int, dict[str, Any]], expected: str
) -> None:
    at = fill(start(), lesions)
    no_crash(at)
    message = error_text(at)
    assert expected in message
    assert "Fix: " in message
    assert not [m for m in at.markdown if m.value.startswith("## ")]  # no result shown
    # The entries are still in the form: the table's edits and the case on screen.
    assert at.session_state["assess_lesions"]["edited_rows"] == lesions
    current = at.session_state["assess_current"]
    assert current.lesions[0].name == lesions[0]["name"]
    assert current.lesions[0].sizes[0] == lesions[0]["visit_1"]


def test_every_problem_is_listed_at_once() -> None:
    at = fill(start(), {0: {"name": "T1", "baseline": "52"}}, day=None, unit=None)
    message = error_text(at)
    assert "(3 problems)" in message
    assert "form, unit: no unit was chosen" in message
    assert "Visit 1, day: is missing" in message
    assert "lesion T1 at Visit 1, size: is empty" in message


def test_fixing_the_error_gives_the_result() -> None:
    at = fill(start(), worked(t1_follow_up="abc"))
    assert at.error
    at.session_state["assess_lesions"] = edits(worked())
    at = submit(at, "Assess")
    assert not at.error
    assert metric(at, "Change from baseline") == "−62.7 %"


# --------------------------------------------------------------------------- examples, links


def test_loading_an_example() -> None:
    # mixed-cohort P01 under the basic rule: 40 + 30 = 70 mm → week 18: 25 + 19 = 44 mm,
    # −37.1 %: not the 50 % the basic rule asks for, so stable disease.
    at = start()
    at.selectbox(key="assess_example").set_value("mixed-cohort / P01")
    (load,) = [b for b in at.button if b.label == "Load the example"]
    at = load.click().run()
    no_crash(at)
    assert "Stable disease" in headline(at)
    assert metric(at, "Change from baseline") == "−37.1 %"
    assert at.radio(key="assess_unit").value == "mm"
    assert [row.name for row in at.session_state["assess_base"].lesions] == ["T1", "T2"]
    # Clear empties the form again.
    (clear,) = [b for b in at.button if b.label == "Clear the form"]
    at = clear.click().run()
    assert at.session_state["assess_base"] == cases.Case.blank()
    assert not [m for m in at.markdown if m.value.startswith("## ")]


def test_every_example_loads_without_error() -> None:
    at = start()
    for name in examples.names():
        for patient in cases.patients(examples.load(name)):
            at.selectbox(key="assess_example").set_value(f"{name} / {patient}")
            (load,) = [b for b in at.button if b.label == "Load the example"]
            at = load.click().run()
            no_crash(at)
            assert not at.error, (name, patient, [e.value for e in at.error])


def test_share_link_round_trip() -> None:
    at = fill(start(), worked())
    (share,) = [b for b in at.button if b.label == "Make a share link"]
    at = share.click().run()
    token = at.query_params["case"]
    assert isinstance(token, str)
    assert any(f"?case={token}" in code.value for code in at.code)
    # A new session opening the link sees the same form and the same result.
    again = start(case=token)
    no_crash(again)
    assert "Partial response" in headline(again)
    assert metric(again, "Change from baseline") == "−62.7 %"
    assert again.radio(key="assess_unit").value == "mm"
    assert again.radio(key="assess_criteria").value == "recist1.1"
    assert again.session_state["assess_base"].lesions[0].baseline == "52"


def test_a_tampered_link_is_refused_clearly() -> None:
    at = start(case="eJyrVkrOz0vOT0lVslIqSS0u0VFQSs7PS8tMBwBl")
    no_crash(at)
    message = error_text(at)
    assert "The share link or example could not be opened" in message
    assert "share link, case:" in message
    assert at.session_state["assess_base"] == cases.Case.blank()


# --------------------------------------------------------------------------- safety


def test_lesion_names_are_shown_as_text_never_as_html() -> None:
    at = fill(start(), worked(t2_name=XSS))
    no_crash(at)
    assert "Partial response" in headline(at)
    assert any(XSS in t.value for t in at.text)  # shown literally, as plain text
    for element in at.markdown:
        assert "<img" not in element.value
    assert not at.get("html")
    # In an error message the name is escaped for Markdown.
    at = fill(start(), {0: {"name": XSS, "baseline": "31", "visit_1": ""}})
    raw = at.error[0].value
    assert re.search(r"(?<!\\)[<>\[\]()]", raw.split("\n\n", 1)[1]) is None  # all escaped
    assert f"lesion {XSS} at Visit 1 (day 56), size: is empty" in error_text(at)


def test_downloads_are_offered() -> None:
    at = fill(start(), worked())
    labels = [b.label for b in at.download_button]
    assert labels == ["Result (CSV)", "Result (JSON)", "One-page summary"]


# --------------------------------------------------------------------------- criteria page


def test_criteria_page_renders_the_engine_data() -> None:
    at = start()
    at.switch_page("app_pages/criteria.py").run()
    no_crash(at)
    frames = [d.value for d in at.dataframe]
    tables = [f for f in frames if "Overall" in f.columns]
    numbers = [f for f in frames if "Item" in f.columns]
    assert len(tables) == len(numbers) == len(CRITERIA)
    for criteria, table, values in zip(CRITERIA.values(), tables, numbers, strict=True):
        assert table["Overall"].tolist() == [row.overall.value for row in criteria.table]
        assert table["Rule"].tolist() == [row.rule.text for row in criteria.table]
        assert table["Source"].tolist() == [str(row.rule.citation) for row in criteria.table]
        shown = dict(zip(values["Item"], values["Value"], strict=True))
        partial = f"{float(criteria.partial.fraction * 100):g} %"
        growth = f"{float(criteria.progression.fraction * 100):g} %"
        assert partial in shown["Partial response"]
        assert growth in shown["Progression"]
        assert criteria.measure.value == shown["Sizes summed"]


# --------------------------------------------------------------------------- study page


def study(at: AppTest | None = None) -> AppTest:
    at = at or start()
    return at.switch_page("app_pages/study.py").run()


def test_study_page_states_the_upload_limit() -> None:
    at = study()
    no_crash(at)
    (uploader,) = at.file_uploader
    assert "at most 50 MB" in uploader.label


@pytest.mark.parametrize("name", examples.names())
def test_study_example_gives_tables_and_three_plots(name: str) -> None:
    at = study()
    at.radio(key="study_source").set_value("Use a bundled example").run()
    at.selectbox(key="study_example").set_value(name).run()
    no_crash(at)
    assert not at.error
    headers = [h.value for h in at.subheader]
    for title in ("Waterfall plot", "Spider plot", "Swimmer plot"):
        assert title in headers
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 3
    labels = [b.label for b in at.download_button]
    assert labels == ["Visits (CSV)", "Patients (CSV)", "Visits (JSON)"]


def test_study_mixed_cohort_best_responses() -> None:
    # mixed-cohort under RECIST 1.1 (no confirmation): P01 70 → 46 mm is −34.3 % (PR);
    # P04's only lesion disappears (CR); P06 has a new lesion (PD); P07 has non-target
    # disease only (NON-CR/NON-PD).
    at = study()
    at.radio(key="study_source").set_value("Use a bundled example").run()
    at.selectbox(key="study_example").set_value("mixed-cohort").run()
    (best,) = [d.value for d in at.dataframe if "best_response" in d.value.columns]
    found = dict(zip(best["patient"], best["best_response"], strict=True))
    assert (found["P01"], found["P04"], found["P06"], found["P07"]) == (
        "PR",
        "CR",
        "PD",
        "NON-CR/NON-PD",
    )


def test_study_lists_bad_rows_and_keeps_good_patients() -> None:
    csv = (
        "patient,visit,day,lesion,role,size_mm\n"
        "P1,baseline,0,T1,target,33\n"
        "P1,week 8,56,T1,target,23.1\n"
        "P2,baseline,0,T1,target,-3\n"
        "P2,week 8,56,T1,target,abc\n"
    )
    at = study()
    at.file_uploader(key="study_upload").upload("study.csv", csv.encode(), "text/csv").run()
    no_crash(at)
    assert "2 problems in the file: 1 patient was left out" in at.warning[0].value
    (problems,) = [d.value for d in at.dataframe if "Fix" in d.value.columns]
    assert problems["Where"].tolist() == ["row 4 (patient P2)", "row 5 (patient P2)"]
    assert problems["Problem"].tolist() == ["is negative (-3)", "'abc' is not a number"]
    # P1: 33 → 23.1 mm is exactly −30 %: PR under RECIST 1.1, and it is still shown.
    (best,) = [d.value for d in at.dataframe if "best_response" in d.value.columns]
    assert best["patient"].tolist() == ["P1"]
    assert best["best_response"].tolist() == ["PR"]


def test_study_unreadable_file_says_why() -> None:
    at = study()
    at.file_uploader(key="study_upload").upload(
        "study.csv", b"patient;visit;day\n1;baseline;0\n", "text/csv"
    ).run()
    no_crash(at)
    message = error_text(at)
    assert "The file cannot be read" in message
    assert "separated by ';' (semicolon)" in message


def upload_sdtm(tu: bytes, tr: bytes) -> AppTest:
    """The Study page with TU and TR uploaded (and no exception)."""
    at = study()
    at.radio(key="study_source").set_value("Upload CDISC SDTM TU + TR").run()
    at.file_uploader(key="study_tu").upload("tu.csv", tu, "text/csv")
    at.file_uploader(key="study_tr").upload("tr.csv", tr, "text/csv").run()
    no_crash(at)
    return at


def test_study_reads_cdisc_tu_and_tr() -> None:
    # S1: LDIAM 33 mm at screening → 23.1 mm at week 6 is exactly −30 %: PR (RECIST 1.1).
    tu = "USUBJID,TULNKID,TUSTRESC,TULOC\nS1,T01,TARGET,LIVER\nS1,NT01,NON-TARGET,BONE\n"
    tr = (
        "USUBJID,TRLNKID,TRTESTCD,TRORRES,TRSTRESN,TRSTRESU,VISIT,VISITNUM,TRDY\n"
        "S1,T01,LDIAM,33,33,mm,SCREENING,1,-3\n"
        "S1,NT01,TUMSTATE,PRESENT,,,SCREENING,1,-3\n"
        "S1,T01,LDIAM,23.1,23.1,mm,WEEK 6,2,40\n"
        "S1,NT01,TUMSTATE,PRESENT,,,WEEK 6,2,40\n"
    )
    at = upload_sdtm(tu.encode(), tr.encode())
    assert not at.error
    (best,) = [d.value for d in at.dataframe if "best_response" in d.value.columns]
    assert best[["patient", "best_response"]].values.tolist() == [["S1", "PR"]]
    assert "SDTM RS: responses per visit (CSV)" in [b.label for b in at.download_button]


def test_study_asks_which_reader_when_several_measured() -> None:
    # Radiologist 1: 50 → 34 mm (−32 %, PR); radiologist 2: 52 → 38 mm (−26.9 %, SD).
    tu = "USUBJID,TULNKID,TUSTRESC,TULOC\nS1,T01,TARGET,LIVER\n"
    tr = "USUBJID,TRLNKID,TRTESTCD,TRSTRESN,TRSTRESU,VISIT,TRDY,TREVAL,TREVALID\n" + "".join(
        f"S1,T01,LDIAM,{size},mm,{visit},{day},INDEPENDENT ASSESSOR,RADIOLOGIST {reader}\n"
        for reader, visit, day, size in [
            (1, "SCREENING", -3, 50),
            (1, "WEEK 6", 42, 34),
            (2, "SCREENING", -3, 52),
            (2, "WEEK 6", 42, 38),
        ]
    )
    at = upload_sdtm(tu.encode(), tr.encode())
    assert "more than one evaluator" in error_text(at)
    at.text_input(key="study_evaluator").input("RADIOLOGIST 2").run()
    no_crash(at)
    assert not at.error
    (best,) = [d.value for d in at.dataframe if "best_response" in d.value.columns]
    assert best[["patient", "best_response"]].values.tolist() == [["S1", "SD"]]


def test_study_cdisc_problems_name_the_file() -> None:
    at = upload_sdtm(b"USUBJID,TULNKID\nS1,T01\n", b"USUBJID\nS1\n")
    message = error_text(at)
    assert "The SDTM files cannot be read" in message
    assert "TU header, TUSTRESC or TUORRES: the column is missing" in message


def test_the_form_survives_a_visit_to_another_page() -> None:
    at = fill(start(), worked())
    assert metric(at, "Change from baseline") == "−62.7 %"
    at.switch_page("app_pages/about.py").run()
    at.switch_page("app_pages/assess.py").run()
    no_crash(at)
    assert metric(at, "Change from baseline") == "−62.7 %"
    assert at.session_state["assess_base"].lesions[0].sizes == ("20",)
    assert at.radio(key="assess_unit").value == "mm"


def test_study_shows_the_cdisc_subjects_whose_records_are_fine() -> None:
    # S2's only record links to a lesion TU does not have: S2 is left out, S1 is shown.
    tu = "USUBJID,TULNKID,TUSTRESC,TULOC\nS1,T01,TARGET,LIVER\nS2,T01,TARGET,LUNG\n"
    tr = (
        "USUBJID,TRLNKID,TRTESTCD,TRSTRESN,TRSTRESU,VISIT,TRDY\n"
        "S1,T01,LDIAM,33,mm,SCREENING,-3\n"
        "S1,T01,LDIAM,23.1,mm,WEEK 6,40\n"
        "S2,T09,LDIAM,20,mm,SCREENING,-2\n"
    )
    at = upload_sdtm(tu.encode(), tr.encode())
    assert "1 problem in the SDTM files: 1 subject was left out" in at.warning[0].value
    (best,) = [d.value for d in at.dataframe if "best_response" in d.value.columns]
    assert best[["patient", "best_response"]].values.tolist() == [["S1", "PR"]]


def test_study_shows_cdisc_notes_as_text_never_as_markdown() -> None:
    # A subject id written as a Markdown link and image; TU places it beside S1's lesion,
    # so that the note about a TU-only subject repeats it.
    evil = "[log in](https://evil.example/login) ![x](https://evil.example/p.png)"
    tu = f"USUBJID,TULNKID,TUSTRESC,TULOC\nS1,T01,TARGET,LIVER\n{evil},T01,TARGET,LUNG\n"
    tr = (
        "USUBJID,TRLNKID,TRTESTCD,TRSTRESN,TRSTRESU,VISIT,TRDY\n"
        "S1,T01,LDIAM,33,mm,SCREENING,-3\n"
        "S1,T01,LDIAM,23.1,mm,WEEK 6,40\n"
    )
    at = upload_sdtm(tu.encode(), tr.encode())
    notes = [i.value for i in at.info if "evil" in i.value]
    assert notes, "the note about the TU-only subject is shown"
    for note in notes:
        assert "\\[log in\\]\\(https" in note  # escaped: shown literally, not as a link
        assert "![x](" not in note


@pytest.mark.parametrize("script", [*PAGES, "app_pages/rcb.py", "app.py"])
def test_page_scripts_have_no_bare_expressions(script: str) -> None:
    # Streamlit "magic" shows a bare string or expression in a page script on the page;
    # a docstring under a constant would reach users as developer text.
    import ast

    body = ast.parse(Path(script).read_text(encoding="utf-8")).body
    bare = [
        node.lineno
        for node in body[1:]
        if isinstance(node, ast.Expr) and not isinstance(node.value, (ast.Call, ast.Await))
    ]
    assert bare == []


def test_no_sum_is_shown_when_a_target_was_not_measured() -> None:
    # T1 52 mm not assessed, T2 31 → 11 mm: RECIST 1.1 section 4.4.2, NE; 11 mm is a part,
    # not the sum of targets, and beside 83 mm at baseline it would look like shrinkage.
    at = fill(
        start(),
        {
            0: {"name": "T1", "baseline": "52", "visit_1": "not assessed"},
            1: {"name": "T2", "baseline": "31", "visit_1": "11"},
        },
    )
    no_crash(at)
    assert "Not evaluable" in headline(at)
    assert metric(at, "Sum of targets") == "—"
    (table,) = [d.value for d in at.dataframe if "Sum" in d.value.columns]
    assert table["Sum"].isna().all()
