"""Assess a patient: enter the lesions and visits, read the response with its reasons."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from app_pages import widgets
from remission import CRITERIA, InvalidInput, examples
from remission import case as cases
from remission.engine import Series
from remission.explain import number, percent

# Session-state keys. The two tables are edited in place; BASE is the case they start from.
BASE = "assess_base"
CURRENT = "assess_current"
ASSESSED = "assess_assessed"
LINK_PROBLEM = "assess_link_problem"
SHARE = "assess_share"
LESIONS = "assess_lesions"
VISITS = "assess_visits"
CRITERIA_KEY = "assess_criteria"
UNIT = "assess_unit"
EXAMPLE = "assess_example"
NO_SUM_HELP = (
    "Not every target lesion was measured at this visit, so there is no total to compare "
    "(RECIST 1.1 section 4.4.2). The clinician details list the lesions that were measured."
)
TABLES = "assess_tables"
RESULT = "assess_result"


def _install(case: cases.Case, *, assessed: bool, widgets_too: bool = True) -> None:
    """Make ``case`` the form's content; the tables' pending edits are dropped."""
    st.session_state[BASE] = case
    st.session_state[CURRENT] = case
    st.session_state[ASSESSED] = assessed
    st.session_state.pop(SHARE, None)
    if widgets_too:
        st.session_state[CRITERIA_KEY] = case.criteria if case.criteria in CRITERIA else "basic"
        st.session_state[UNIT] = case.unit or None
    for key in (LESIONS, VISITS):
        st.session_state.pop(key, None)


def _start() -> None:
    """First run of a session: open a share link if there is one, else a blank form."""
    if BASE not in st.session_state:
        token = st.query_params.get("case")
        if token:
            try:
                _install(cases.decode(token), assessed=True)
            except InvalidInput as error:
                st.session_state[LINK_PROBLEM] = error
                _install(cases.Case.blank(), assessed=False)
        else:
            _install(cases.Case.blank(), assessed=False)
    elif LESIONS not in st.session_state:
        # Back from another page: Streamlit dropped the tables' widget state, so start
        # them from what was on screen last time.
        current: cases.Case = st.session_state[CURRENT]
        st.session_state[BASE] = current
        st.session_state.setdefault(CRITERIA_KEY, current.criteria)
        st.session_state.setdefault(UNIT, current.unit or None)


@st.cache_data(show_spinner=False)
def _example_choices() -> tuple[str, ...]:
    """Every bundled example patient (static package data: no user input is cached)."""
    return tuple(
        f"{name} / {patient}"
        for name in examples.names()
        for patient in cases.patients(examples.load(name))
    )


def _load_example() -> None:
    choice = st.session_state.get(EXAMPLE)
    if not choice:
        return
    name, _, patient = str(choice).partition(" / ")
    try:
        case = cases.from_long(examples.load(name), patient)
    except InvalidInput as error:
        st.session_state[LINK_PROBLEM] = error
        return
    criteria = st.session_state.get(CRITERIA_KEY) or "basic"
    _install(cases.Case(case.lesions, case.visits, case.unit, criteria), assessed=True)
    st.session_state.pop(LINK_PROBLEM, None)
    st.query_params.pop("case", None)


def _clear() -> None:
    _install(cases.Case.blank(), assessed=False)
    st.session_state.pop(LINK_PROBLEM, None)
    st.query_params.pop("case", None)


def _lesion_columns(case: cases.Case) -> dict[str, ColumnConfig]:
    sizes = (
        "A number in the unit chosen above; 0 if the lesion has gone; 'too small' if it is "
        "there but too small to measure; 'not assessed' if it was not checked; or two "
        "perpendicular diameters as '52 x 40', in either order (the longer is the longest "
        "diameter; for a lymph node the shorter is its short axis). After baseline, a "
        "lesion that split: its "
        "fragments as '12 + 10'; one that merged with another: 'merged into T1'."
    )
    columns: dict[str, ColumnConfig] = {
        "name": st.column_config.TextColumn(
            "Lesion",
            help="A short name such as T1. Do not use the patient's name or other identifiers.",
            max_chars=cases.MAX_TEXT,
        ),
        "organ": st.column_config.TextColumn(
            "Organ", help="Where the lesion is, e.g. liver", max_chars=cases.MAX_TEXT
        ),
        "node": st.column_config.CheckboxColumn(
            "Lymph node?",
            help="Tick for a lymph node: measure its short axis (RECIST 1.1).",
            default=False,
        ),
        "role": st.column_config.SelectboxColumn(
            "Target?",
            help="Target lesions are measured and summed; non-target lesions are followed "
            "by their status at each visit (table below).",
            options=[role.value for role in cases.Role],
            default=cases.Role.TARGET.value,
        ),
        "baseline": st.column_config.TextColumn(
            "Baseline size",
            help="Size before treatment (day 0). " + sizes,
            max_chars=cases.MAX_CELL,
        ),
    }
    for index, visit in enumerate(case.visits):
        columns[cases.size_column(index)] = st.column_config.TextColumn(
            cases.visit_name(visit, index),
            help="Size at this visit. " + sizes,
            max_chars=cases.MAX_CELL,
        )
    return columns


VISIT_COLUMNS: dict[str, ColumnConfig] = {
    "label": st.column_config.TextColumn(
        "Label", help="Optional, e.g. 'Week 8'", max_chars=cases.MAX_TEXT
    ),
    "day": st.column_config.NumberColumn(
        "Day",
        help="Days after baseline (baseline is day 0)",
        min_value=1,
        max_value=36500,
        step=1,
        format="%d",
    ),
    "non_target": st.column_config.SelectboxColumn(
        "Non-target disease",
        help="Only when the table lists non-target lesions: absent, present, unequivocal "
        "progression, or not assessed at this visit.",
        options=list(cases.NON_TARGET_CHOICES),
    ),
    "new_lesions": st.column_config.CheckboxColumn(
        "New lesions?", help="Tick if a new lesion was found at this visit", default=False
    ),
}


def _form(base: cases.Case) -> tuple[cases.Case, bool, bool, bool]:
    """The form; returns the case on screen and which button was pressed."""
    memo = st.session_state.get(TABLES)
    if not (isinstance(memo, tuple) and memo[0] == base):
        memo = (base, cases.to_tables(base))
        st.session_state[TABLES] = memo
    lesions, visits = memo[1]
    with st.form("assess_form", enter_to_submit=False):
        st.radio(
            "Criteria",
            options=list(CRITERIA),
            format_func=lambda name: CRITERIA[name].title,
            captions=[criteria.summary for criteria in CRITERIA.values()],
            key=CRITERIA_KEY,
        )
        st.radio(
            "Unit of the sizes you type",
            options=["mm", "cm"],
            index=None,
            horizontal=True,
            key=UNIT,
            help="Choose explicitly: 1.5 cm and 15 mm are the same size; the unit is never guessed.",
        )
        st.markdown("**Lesions**: one row each; add rows at the bottom of the table.")
        edited = st.data_editor(
            lesions,
            key=LESIONS,
            num_rows="dynamic",
            hide_index=True,
            column_config=_lesion_columns(base),
            placeholder="",
            alt="Lesion table: one row per lesion, one size column per follow-up visit",
        )
        st.markdown("**Follow-up visits**: one row per visit, in time order.")
        edited_visits = st.data_editor(
            visits,
            key=VISITS,
            num_rows="fixed",
            hide_index=False,
            column_config=VISIT_COLUMNS,
            placeholder="",
            alt="Visit table: day, non-target status and new lesions at each follow-up visit",
        )
        left, middle, right = st.columns(3)
        assess = left.form_submit_button("Assess", type="primary", icon=":material/calculate:")
        add = middle.form_submit_button(
            "Add a visit", icon=":material/add:", disabled=len(base.visits) >= cases.MAX_VISITS
        )
        remove = right.form_submit_button(
            "Remove last visit", icon=":material/remove:", disabled=len(base.visits) <= 1
        )
    case = cases.from_tables(
        edited,
        edited_visits,
        unit=st.session_state.get(UNIT),
        criteria=st.session_state.get(CRITERIA_KEY) or "basic",
    )
    return case, assess, add, remove


def _visit_card(series: Series) -> None:
    names = [assessment.visit for assessment in series.visits]
    shown = len(names) - 1
    if len(names) > 1:
        shown = st.selectbox(
            "Show the result at",
            options=range(len(names)),
            index=len(names) - 1,
            format_func=lambda i: names[i],
        )
    assessment = series.visits[shown]
    explanation = assessment.explanation
    with st.container(border=True):
        widgets.response_banner(assessment.response, f"Response under {series.criteria.title} at")
        st.text(assessment.visit)
        st.text(explanation.patient)
        first, second, third = st.columns(3)
        near = series.criteria.thresholds
        first.metric("Change from baseline", percent(assessment.change_from_baseline, near))
        second.metric("Change from nadir", percent(assessment.change_from_nadir, near))
        current = None if assessment.sum_mm is None else assessment.current
        if current is None or not assessment.all_assessed:
            # RECIST 1.1 section 4.4.2: with a target not measured there is no sum; the
            # lesions that were measured are named in the clinician details.
            third.metric("Sum of targets", "—", help=NO_SUM_HELP)
        else:
            third.metric("Sum of targets", number(current, assessment.unit))
    with st.expander("Clinician details", expanded=True, icon=":material/stethoscope:"):
        for text in (explanation.clinician, explanation.numbers, explanation.lesions):
            if text:
                st.text(text)
        st.text(f"Rule: {explanation.rule}")
        st.markdown(widgets.doi_link(explanation.rule.citation.paper))
        if explanation.next_category:
            st.text(f"What would change the category: {explanation.next_category}")
        for warning in explanation.warnings:
            st.warning(widgets.plain(warning), icon=":material/warning:")


def _best(series: Series) -> None:
    best = series.best_response
    given, confirmed = cases.best_response_visits(series)
    with st.container(border=True):
        widgets.response_banner(best.response, "Best overall response across the visits", past=True)
        if given:
            st.text(f"Given by {given}" + (f", confirmed by {confirmed}." if confirmed else "."))
        st.text(best.explanation.patient)
    with st.expander("How each visit counted", icon=":material/list:"):
        st.text(best.explanation.clinician)
        st.text(f"Rule: {best.explanation.rule}")


@dataclass(frozen=True)
class _Shown:
    """Everything the result section displays, derived once per assessed form."""

    series: Series
    compare: pd.DataFrame
    visits: pd.DataFrame
    sums: pd.DataFrame
    lines: pd.DataFrame
    lesions: pd.DataFrame


def _assessed(case: cases.Case) -> _Shown | InvalidInput:
    """The case's results, kept for this session while the form is unchanged."""
    memo = st.session_state.get(RESULT)
    if isinstance(memo, tuple) and memo[0] == case:
        kept: _Shown | InvalidInput = memo[1]
        return kept
    result: _Shown | InvalidInput
    try:
        series = cases.assess(case)
        result = _Shown(
            series=series,
            compare=cases.compare_table(case),
            visits=cases.visit_table(series),
            sums=cases.sum_points(series),
            lines=cases.threshold_lines(series),
            lesions=cases.lesion_points(series),
        )
    except InvalidInput as error:
        result = error
    st.session_state[RESULT] = (case, result)
    return result


def _results(case: cases.Case) -> None:
    shown = _assessed(case)
    if isinstance(shown, InvalidInput):
        widgets.show_problems(shown, "The measurements cannot be assessed yet. Please fix")
        return
    series = shown.series
    st.header("Result", anchor="result")
    _visit_card(series)
    _best(series)

    st.subheader("Every visit")
    st.dataframe(
        shown.visits,
        hide_index=True,
        placeholder="—",
        # "plain": the values are already as the explanations show them (23.11 mm and
        # −29.97 %, never rounded onto a threshold by the table).
        column_config={
            name: st.column_config.NumberColumn(format="plain")
            for name in ("Sum", "Nadir", "Change from baseline (%)", "Change from nadir (%)")
        },
    )
    st.subheader("Compare criteria")
    st.caption(
        "The same measurements under every criteria set, visit by visit. Where a set asks "
        "for confirmation, an unconfirmed response counts as stable disease in the best "
        "overall response."
    )
    st.dataframe(shown.compare, hide_index=True)

    from app_pages import charts  # noqa: PLC0415 - Altair is slow to import; only results need it

    st.subheader("Charts")
    unit = series.visits[0].unit
    st.vega_lite_chart(
        spec=charts.sum_chart(shown.sums, shown.lines, unit),
        width="stretch",
        alt="Chart: sum of the target lesions at each visit, with the threshold lines",
    )
    st.caption(
        "Sum of the target lesions at each visit with the response code above each point. "
        "Dashed: the most the sum may be for a partial response; dotted: the least that "
        "is progression at each visit (from the smallest sum before it). WHO 1981 judges "
        "growth lesion by lesion, so it has no progression line on the sum."
    )
    st.vega_lite_chart(
        spec=charts.lesion_chart(shown.lesions, unit),
        width="stretch",
        alt="Chart: each target lesion's size at each visit",
    )

    st.subheader("Save or share")
    left, middle, right = st.columns(3)
    widgets.download(
        "Result (CSV)", lambda: cases.result_csv(series), "remission-result.csv", place=left
    )
    widgets.download(
        "Result (JSON)",
        lambda: cases.result_json(case, series),
        "remission-result.json",
        place=middle,
    )
    widgets.download(
        "One-page summary",
        lambda: cases.summary_text(case, series),
        "remission-summary.txt",
        place=right,
        icon=":material/print:",
    )
    _share(case)


def _share(case: cases.Case) -> None:
    st.caption(
        "A share link carries the measurements in the link itself: nothing is stored on "
        "the server. Anyone who has the link can read them, so keep names and other "
        "identifiers out of the lesion and visit names."
    )
    if st.button("Make a share link", icon=":material/link:"):
        try:
            token = cases.encode(case)
        except InvalidInput as error:
            widgets.show_problems(error, "No share link")
            return
        st.query_params["case"] = token
        st.session_state[SHARE] = token
    shared = st.session_state.get(SHARE)
    if isinstance(shared, str):
        base = (st.context.url or "").split("?")[0]
        st.code(f"{base}?case={shared}", language=None, wrap_lines=True)
        st.caption("Copy this link; the address bar shows it too.")


_start()
st.title("Assess a patient")
st.markdown(
    "Enter each lesion's size at baseline and at every follow-up visit, choose the "
    "criteria and the unit, then press **Assess**. The result explains itself: the "
    "numbers, the rule that decided and where it is written."
)
link_problem = st.session_state.get(LINK_PROBLEM)
if isinstance(link_problem, InvalidInput):
    widgets.show_problems(link_problem, "The share link or example could not be opened")

with st.expander("Load an example or start again", icon=":material/folder_open:"):
    st.selectbox(
        "Example patient (study / patient)",
        options=_example_choices(),
        index=None,
        key=EXAMPLE,
        placeholder="Choose an example",
    )
    left, right = st.columns(2)
    left.button("Load the example", on_click=_load_example, icon=":material/upload:")
    right.button("Clear the form", on_click=_clear, icon=":material/delete:")

current, pressed_assess, pressed_add, pressed_remove = _form(st.session_state[BASE])
st.session_state[CURRENT] = current
if pressed_add or pressed_remove:
    changed = current.with_visit() if pressed_add else current.without_last_visit()
    _install(changed, assessed=False, widgets_too=False)
    st.rerun()
if pressed_assess:
    st.session_state[ASSESSED] = True
    st.session_state.pop(LINK_PROBLEM, None)
    if current != st.session_state[BASE]:
        # The form no longer matches a share link in the address bar: drop the link.
        st.query_params.pop("case", None)
        st.session_state.pop(SHARE, None)
if st.session_state[ASSESSED]:
    _results(current)
