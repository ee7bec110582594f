"""Residual cancer burden: how much breast cancer was left after treatment before surgery."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from app_pages import widgets
from remission.errors import InvalidInput
from remission.rcb import RCB_CITATION, RCB_CLASSES, rcb, scale

st.title("Residual cancer burden (RCB)")
st.markdown(
    "After chemotherapy given **before** surgery (neoadjuvant), the pathologist measures "
    "what is left in the breast and the lymph nodes. The RCB index (Symmans et al. 2007) "
    "turns six numbers from the pathology report into one value and a class, from RCB-0 "
    "(no invasive cancer left: pathological complete response, pCR) to RCB-III."
)

# The form's labels for the names :func:`remission.rcb` reports problems with.
FIELD_LABELS = {
    "largest_node_met_mm": "Largest nodal metastasis (mm)",
    "cellularity_pct": "Cancer cellularity of the bed (%)",
    "positive_nodes": "Positive lymph nodes",
    "in_situ_pct": "Share of the cancer that is in situ (%)",
    "d1_mm": "Tumour bed, largest dimension (mm)",
    "d2_mm": "Tumour bed, second dimension (mm)",
}

with st.form("rcb_form", enter_to_submit=False):
    # Every field starts empty: a value left untouched must not read as 0 (a false pCR).
    left, right = st.columns(2)
    d1 = left.number_input(FIELD_LABELS["d1_mm"], min_value=0.0, step=1.0, value=None, key="rcb_d1")
    d2 = right.number_input(
        FIELD_LABELS["d2_mm"], min_value=0.0, step=1.0, value=None, key="rcb_d2"
    )
    cellularity = left.number_input(
        FIELD_LABELS["cellularity_pct"],
        min_value=0.0,
        max_value=100.0,
        step=5.0,
        value=None,
        key="rcb_ca",
    )
    in_situ = right.number_input(
        FIELD_LABELS["in_situ_pct"],
        min_value=0.0,
        max_value=100.0,
        step=5.0,
        value=None,
        key="rcb_cis",
    )
    nodes = left.number_input(
        FIELD_LABELS["positive_nodes"], min_value=0, step=1, value=None, key="rcb_ln"
    )
    node_size = right.number_input(
        "Largest nodal metastasis (mm, empty if no positive node)",
        min_value=0.0,
        step=0.5,
        value=None,
        key="rcb_dmet",
    )
    submitted = st.form_submit_button("Calculate", type="primary", icon=":material/calculate:")

if submitted:
    try:
        result = rcb(d1, d2, cellularity, in_situ, nodes, node_size or None)
    except InvalidInput as error:
        widgets.show_problems(error, "Please check these values", FIELD_LABELS)
    else:
        st.markdown(
            f"## {result.rcb_class.value}"
            + (" — pathological complete response" if result.pcr else "")
        )
        st.metric("RCB index", f"{result.rounded_index}")
        st.markdown(widgets.plain(result.explanation.patient))
        bands = pd.DataFrame([band.__dict__ for band in scale(result.index)])
        marker = pd.DataFrame({"index": [result.index], "label": [f"{result.rounded_index}"]})
        chart = alt.layer(
            alt.Chart(bands)
            .mark_bar(height=30)
            .encode(
                x=alt.X("start:Q", title="RCB index"),
                x2="end:Q",
                color=alt.Color("rcb_class:N", title="Class", scale=alt.Scale(scheme="blues")),
                tooltip=["rcb_class", "meaning"],
            ),
            alt.Chart(marker).mark_rule(color="black", strokeWidth=3).encode(x="index:Q"),
            alt.Chart(marker)
            .mark_text(dy=-22, fontWeight="bold")
            .encode(x="index:Q", text="label:N"),
        ).properties(height=90, title="Where this value sits on the RCB scale")
        st.altair_chart(chart, width="stretch")
        with st.expander("For clinicians: the formula, term by term"):
            st.markdown(widgets.plain(result.explanation.clinician))
            st.dataframe(
                pd.DataFrame([result.terms.__dict__]).rename(
                    columns={
                        "d_prim_mm": "d_prim (mm) = √(d1·d2)",
                        "f_inv": "f_inv = (1 − %CIS/100)·(%CA/100)",
                        "primary_term": "1.4·(f_inv·d_prim)^0.17",
                        "nodal_term": "(4·(1 − 0.75^LN)·d_met)^0.17",
                    }
                ),
                hide_index=True,
            )

st.subheader("The classes")
st.dataframe(
    pd.DataFrame(
        {
            "class": [band.rcb_class.value for band in RCB_CLASSES],
            "index range": [
                "0"
                if band.lower_exclusive is None
                else f"> {band.lower_exclusive}"
                + ("" if band.upper_inclusive is None else f" and ≤ {band.upper_inclusive}")
                for band in RCB_CLASSES
            ],
            "what it means": [band.patient for band in RCB_CLASSES],
        }
    ),
    hide_index=True,
)
st.caption(
    f"Source: {RCB_CITATION}. pCR = no invasive cancer left in the breast and no cancer in the lymph nodes (ypT0/Tis ypN0)."
)
