"""Study (CSV): a whole study at once, with waterfall, spider and swimmer plots."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from app_pages import charts, widgets
from remission import CRITERIA, InvalidInput, Problem, examples
from remission import case as cases
from remission.cdisc import SdtmStudy, read_sdtm, to_rs
from remission.export import to_json, to_safe_csv
from remission.frame import best_response_frame, classify_frame
from remission.table import Table, read_table

SOURCE = "study_source"
UPLOAD = "study_upload"
TU_UPLOAD = "study_tu"
TR_UPLOAD = "study_tr"
EVALUATOR = "study_evaluator"
SR_UPLOAD = "study_sr"
SR_ROLES = "study_sr_roles"
SR_NEUTRAL = "study_sr_neutral"
EXAMPLE = "study_example"
CRITERIA_KEY = "study_criteria"
CHART_PATIENTS = 200  # charts show at most this many patients (the tables show all)

st.session_state.setdefault(CRITERIA_KEY, "recist1.1")

st.title("Study (CSV)")
st.markdown(
    "Upload a long table with one row per lesion per visit, or try a bundled example. "
    "Every patient is classified with the same engine as **Assess a patient**; rows with "
    "problems are listed with their fix, and the other patients are still shown."
)
with st.expander("The table's columns", icon=":material/table_rows:"):
    st.markdown(
        """
| column | required | what it holds |
|---|---|---|
| `patient` | yes | the subject id |
| `visit` | yes | the visit label, e.g. *baseline*, *week 8* |
| `day` or `date` | one of them | study day (whole number) or date as 2024-03-01 |
| `lesion` | yes | lesion id, the same at every visit |
| `role` | yes | `target`, `non-target` or `new` |
| `size_mm` (or `size_cm`) | for targets | longest diameter (short axis for lymph nodes); empty = not assessed; 0 = gone |
| `perpendicular_mm` | no | second diameter, for the products WHO (and the basic rule, when every baseline target has one) multiply |
| `node` | no | yes/no: is it a lymph node |
| `organ` | no | where it is |
| `status` | non-targets | `present`, `absent`, `progression`, `not-assessed`; for a target, `too-small` |
| `fragment` | no | a target that split after baseline: one row per fragment (`a`, `b`), sizes summed |
| `merged_into` | no | a target that merged into another after baseline: that lesion's id; size 0 |

The earliest visit of each patient is the baseline; days are counted from it.
"""
    )


def _show_left_out(problems: Sequence[Problem], left_out: int, where: str, who: str) -> None:
    """Every problem with its fix, and how many patients were left out for them."""
    count = len(problems)
    st.warning(
        f"{count} {'problem' if count == 1 else 'problems'} in {where}: {left_out} "
        f"{who + ' was' if left_out == 1 else who + 's were'} left out (every problem is "
        f"listed with its fix below); the other {who}s are shown.",
        icon=":material/warning:",
    )
    st.dataframe(
        pd.DataFrame(
            [(p.where, p.field, p.message, p.fix) for p in problems],
            columns=["Where", "Column", "Problem", "Fix"],
        ),
        hide_index=True,
    )


source = st.radio(
    "Data",
    [
        "Upload a CSV file",
        "Upload CDISC SDTM TU + TR",
        "Upload DICOM SR measurement reports",
        "Use a bundled example",
    ],
    horizontal=True,
    key=SOURCE,
)
limit = st.get_option("server.maxUploadSize")
data: bytes | pd.DataFrame | None = None
sdtm: SdtmStudy | None = None
if source == "Upload a CSV file":
    uploaded = st.file_uploader(
        f"Study file (CSV, UTF-8, at most {limit} MB)",
        type=["csv"],
        key=UPLOAD,
        help="Nothing you upload is kept: the file is read for this page and forgotten.",
    )
    if uploaded is not None:
        data = uploaded.getvalue()
elif source == "Upload CDISC SDTM TU + TR":
    left, right = st.columns(2)
    tu = left.file_uploader(
        f"TU: tumour identification (.csv or .xpt, at most {limit} MB)",
        type=["csv", "xpt"],
        key=TU_UPLOAD,
    )
    tr = right.file_uploader(
        f"TR: tumour results (.csv or .xpt, at most {limit} MB)",
        type=["csv", "xpt"],
        key=TR_UPLOAD,
    )
    st.caption(
        "Lesions come from TU (TULNKID, TUSTRESC, TULOC); sizes and states from TR "
        "(LDIAM, SHORTAX, LPERP, TUMSTATE) by TRLNKID, dated by TRDTC or TRDY. A lymph "
        "node is measured by its short axis."
    )
    evaluator = st.text_input(
        "Evaluator (only when several readers measured the scans)",
        key=EVALUATOR,
        placeholder="e.g. RADIOLOGIST 1 (empty: the records with TRACPTFL = Y)",
        help="Matched against TREVAL, TREVALID or both. Each reader's sums are compared "
        "with that reader's own baseline.",
    )
    if tu is not None and tr is not None:
        try:
            # Read in memory (nothing is written to disk); .csv or .xpt, told by content.
            sdtm = read_sdtm(
                tu.getvalue(),
                tr.getvalue(),
                evaluator=evaluator.strip() or None,
                keep_going=True,
            )
        except InvalidInput as error:
            widgets.show_problems(error, "The SDTM files cannot be read")
            st.stop()
        data = sdtm.long
        if sdtm.excluded:
            _show_left_out(
                [p for e in sdtm.excluded for p in e.problems],
                len(sdtm.excluded),
                "the SDTM files",
                "subject",
            )
        for note in sdtm.notes:
            st.info(widgets.plain(note), icon=":material/event:")
elif source == "Upload DICOM SR measurement reports":
    reports = st.file_uploader(
        f"Measurement reports (DICOM SR, TID 1500, .dcm; several at once, at most {limit} MB each)",
        type=["dcm"],
        accept_multiple_files=True,
        key=SR_UPLOAD,
        help="One report per study, as the viewer saved it. The files are read in memory "
        "for this page and forgotten; nothing is written to disk.",
    )
    neutral = st.checkbox(
        "Show each PatientID as a neutral label (patient 1, patient 2…)",
        value=True,
        key=SR_NEUTRAL,
        help="Names and birth dates in the reports are never read or shown; this hides the "
        "PatientID too, everywhere on this page and in its downloads.",
    )
    roles = st.file_uploader(
        "Lesion roles the viewer did not record (optional CSV: lesion,role)",
        type=["csv"],
        key=SR_ROLES,
        help="lesion = its Tracking Identifier (T1, N1…) or UID; role = target, "
        "non-target or new; optional columns patient and node (yes/no).",
    )
    st.caption(
        "Each report is a visit, dated by its study date (the earliest is the baseline); "
        "lesions are followed by their tracking UID and named by their Tracking "
        "Identifier; long axis, short axis (a node's size) or length, converted exactly "
        "from the unit recorded."
    )
    if reports:
        from remission.sr import read_reports  # pydicom and highdicom: only when used

        try:
            study_sr = read_reports(
                reports,
                roles=roles.getvalue() if roles is not None else None,
                keep_going=True,
                neutral_labels=neutral,
            )
        except InvalidInput as error:
            widgets.show_problems(error, "The reports cannot be read")
            st.stop()
        data = study_sr.long
        if study_sr.problems:
            _show_left_out(
                study_sr.problems, len(study_sr.patients_left_out), "the reports", "patient"
            )
        for note in study_sr.notes:
            st.info(widgets.plain(note), icon=":material/info:")
else:
    name = st.selectbox(
        "Example study", examples.names(), key=EXAMPLE, format_func=lambda n: n.replace("-", " ")
    )
    st.caption(examples.describe(name))
    data = examples.load(name)

criteria_name = st.selectbox(
    "Criteria",
    list(CRITERIA),
    format_func=lambda n: CRITERIA[n].title,
    key=CRITERIA_KEY,
)
criteria = CRITERIA[criteria_name]
st.caption(criteria.summary)

if data is None:
    st.stop()

progress = st.progress(0, text="Reading and checking the table…")
try:
    table: Table = read_table(data, keep_going=True)
except InvalidInput as error:
    progress.empty()
    widgets.show_problems(error, "The file cannot be read")
    st.stop()
progress.progress(35, text="Classifying every visit…")
visits = classify_frame(table, criteria=criteria)
progress.progress(70, text="Finding each patient's best overall response…")
best = best_response_frame(table, criteria=criteria)
progress.progress(100, text=f"Done: {len(table.patients)} patients classified.")

if table.problems:
    _show_left_out(table.problems, len(table.excluded), "the file", "patient")

if not table.patients:
    st.error("No patient could be classified: fix the problems above and upload the file again.")
    st.stop()

lines = cases.percent_thresholds(criteria)
st.subheader("Best overall response per patient")
st.dataframe(
    best.assign(best_pct_change=cases.shown_percents(best["best_pct_change"], criteria)),
    hide_index=True,
    placeholder="—",
    column_config={"best_pct_change": st.column_config.NumberColumn(format="plain")},
)

shown = best.head(CHART_PATIENTS)
if len(best) > CHART_PATIENTS:
    st.caption(f"The charts show the first {CHART_PATIENTS} patients; the tables show all.")
shown_visits = visits[visits["patient"].isin(shown["patient"])]

st.subheader("Waterfall plot")
st.altair_chart(charts.waterfall_chart(shown, lines), width="stretch")
st.caption(
    "Each bar is one patient's largest shrinkage of the sum from baseline (up to the first "
    "progression), coloured and labelled with the best overall response. Dashed lines: "
    "the criteria's thresholds (progression is measured from the nadir, so its line is a "
    "guide only)."
)
st.subheader("Spider plot")
st.altair_chart(charts.spider_chart(shown_visits, lines), width="stretch")
st.caption("Change of the sum from baseline at each visit, one line per patient.")
st.subheader("Swimmer plot")
st.altair_chart(charts.swimmer_chart(shown_visits, shown), width="stretch")
st.caption(
    "Each lane runs from baseline to the patient's last assessment, shaded by the best "
    "overall response; the markers are the responses at each visit."
)

st.subheader("Every visit")
st.dataframe(
    visits.assign(
        pct_change_baseline=cases.shown_percents(visits["pct_change_baseline"], criteria),
        pct_change_nadir=cases.shown_percents(visits["pct_change_nadir"], criteria),
    ),
    hide_index=True,
    placeholder="—",
    column_config={
        "pct_change_baseline": st.column_config.NumberColumn(format="plain"),
        "pct_change_nadir": st.column_config.NumberColumn(format="plain"),
    },
)

st.subheader("Download")
left, middle, right = st.columns(3)
widgets.download("Visits (CSV)", lambda: to_safe_csv(visits), "remission-visits.csv", place=left)
widgets.download(
    "Patients (CSV)", lambda: to_safe_csv(best), "remission-patients.csv", place=middle
)
widgets.download("Visits (JSON)", lambda: to_json(visits), "remission-visits.json", place=right)
if sdtm is not None:
    study = sdtm
    widgets.download(
        "SDTM RS: responses per visit (CSV)",
        lambda: to_safe_csv(to_rs(study, criteria=criteria)),
        "rs.csv",
    )
