"""Criteria: every criteria set's numbers and tables, read from the engine's own data."""

from __future__ import annotations

import streamlit as st

from app_pages import widgets
from remission import CRITERIA
from remission import case as cases

st.title("Criteria")
st.markdown(
    "remission decides every response with one engine that reads the criteria sets below. "
    "These tables are drawn from the very objects the engine evaluates, so what you read "
    "here is what it does. Each rule names the paper and the section it comes from."
)

tabs = st.tabs([criteria.title for criteria in CRITERIA.values()])
for tab, criteria in zip(tabs, CRITERIA.values(), strict=True):
    with tab:
        st.subheader(criteria.title)
        st.markdown(widgets.plain(criteria.summary) + ".")
        st.markdown(widgets.doi_link(criteria.paper))
        st.markdown("**Numbers**")
        st.dataframe(cases.criteria_thresholds(criteria), hide_index=True)
        st.markdown("**Rules**")
        st.dataframe(
            cases.criteria_rules(criteria),
            hide_index=True,
            column_config={"Rule": st.column_config.TextColumn(width="large")},
        )
        st.markdown(
            "**Overall response at a visit**: read from the top; the first row that "
            "matches the target response, the non-target response and new lesions decides "
            "(*any* = whatever it is; *none* = the patient has no such disease)."
        )
        st.dataframe(
            cases.criteria_table(criteria),
            hide_index=True,
            column_config={"Rule": st.column_config.TextColumn(width="large")},
        )
