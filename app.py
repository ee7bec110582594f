"""remission's Streamlit app: page set-up, the disclaimer, and the pages.

Run with ``streamlit run app.py`` (see README). The pages live in ``app_pages/``; every
number they show comes from the :mod:`remission` package.
"""

from __future__ import annotations

import streamlit as st

from remission.wording import CARE_TEAM, DISCLAIMER

st.set_page_config(
    page_title="remission",
    page_icon=":material/monitor_heart:",
    layout="centered",
    menu_items={"About": f"remission: tumour response, explained. {DISCLAIMER}"},
)

# One entry per page, in menu order. To add a page (for example "Residual cancer
# burden"), write app_pages/<name>.py and add its st.Page line here.
PAGES = [
    st.Page(
        "app_pages/assess.py", title="Assess a patient", icon=":material/person:", default=True
    ),
    st.Page("app_pages/study.py", title="Study (CSV)", icon=":material/table_chart:"),
    st.Page("app_pages/criteria.py", title="Criteria", icon=":material/rule:"),
    st.Page("app_pages/rcb.py", title="Residual cancer burden", icon=":material/biotech:"),
    st.Page("app_pages/about.py", title="About remission", icon=":material/info:"),
]

page = st.navigation(PAGES)
st.info(f"{DISCLAIMER} {CARE_TEAM}", icon=":material/medical_information:")
page.run()
