"""About remission: remission and recurrence in plain words, for patients and families."""

from __future__ import annotations

import streamlit as st

from app_pages import widgets
from remission.citations import GREENBERG_1996, ITO_2016

st.title("About remission")
st.markdown(
    "This page explains, in plain words, what doctors mean by *remission* and by "
    "*recurrence*, with breast cancer as the example. It is general information: your "
    "care team knows your situation and is the right place for questions about it."
)

st.subheader("Remission: the cancer has shrunk or can no longer be found")
st.markdown(
    """
*Remission* means that after treatment the signs of cancer have gone down or have gone
away. Doctors check this with scans and examinations, measuring the tumours they can see
and comparing them with the measurements taken before treatment. In clinical trials the
same idea is called a *response*.

- **Complete remission** (also called *complete response*): the tests no longer show any
  tumour that can be seen or measured. It is very good news, but it is not the same as a
  cure. Cancer cells too few to show on a scan can remain and grow again later, which is
  why check-ups continue.
- **Partial remission** (also called *partial response*): the treatment has clearly
  shrunk the cancer, but some is still there.

**How much shrinkage counts as partial remission?** It is often said to be "at least a
50 % reduction in size", but that phrase does not say *which* size, and it matters:

- The 50 % comes from the World Health Organization's rules of 1981. There, each tumour's
  size is its length multiplied by its width (two measurements across the tumour at right
  angles), and the sizes of all measured tumours are added up. Partial response means
  this total has halved.
- A tumour whose length and width each shrink by about 30 % has roughly halved that
  product. That is why today's rules for most trials (RECIST), which add up only the
  longest measurement of each tumour, ask for at least **30 %** shrinkage of that sum.
  The two rules describe about the same amount of shrinkage.
- A 50 % cut in a *single* measurement is far more shrinkage: the product would fall by
  about 75 %.

The **Criteria** page shows each rule exactly as this app applies it, and the **Assess a
patient** page shows your numbers under every rule side by side.
"""
)

st.subheader('What "too small to measure" means')
st.markdown(
    """
Sometimes a tumour can still be seen on a scan but is too small to measure reliably.
That is not the same as gone. Rules differ on how to count it:

- RECIST 1.1 counts such a tumour as 5 mm, so it still adds to the total and a complete
  response is not called while it is there.
- The simple rule in this project's founding document counts a tumour that is "too tiny
  to see or measure" as gone, so it can be called complete remission.

For lymph nodes, small is normal: under RECIST 1.1 a lymph node that shrinks below 10 mm
across its short side counts as back to a normal size.
"""
)

st.subheader("Recurrence: the cancer comes back")
st.markdown(
    """
*Recurrence* (or *relapse*) is the opposite of remission: cancer that comes back after a
time when it could not be found. Some writing, including this project's founding
document, uses "remission" where it means "recurrence"; the two words should not be
mixed up. Where the cancer comes back decides what it is called:

- **Local recurrence**: in the same breast (after surgery that kept the breast), or in the
  skin or tissue of the chest wall, including the scar (after a mastectomy).
- **Regional recurrence**: in the lymph nodes near the first cancer, such as those in the
  armpit or around the collarbone.
- **Distant recurrence**: in other parts of the body, such as the bones, liver, lungs or
  brain. Doctors also call this *metastasis* or *metastatic* breast cancer.

A cancer in the *other* breast is usually a new, separate cancer rather than a
recurrence; only tests on the tissue can tell.

A recurrence often causes no symptoms at first, which is one reason check-ups matter.
There are effective treatments for breast cancer that has come back.
"""
)

st.subheader("When recurrence tends to happen")
st.markdown(
    """
Cancer can come back months or years after treatment ends. Recurrences are most often
found in the first few years, and a local recurrence usually within five years of
diagnosis, but a cancer can come back later too, sometimes many years later.

How often a remission lasts depends a great deal on the situation. For cancer that had
already spread before treatment, a complete remission is often not permanent: in a
long-term study of 1,581 women treated with chemotherapy for metastatic breast cancer
between 1973 and 1982 (Greenberg et al. 1996), about 1 in 6 reached complete remission,
and about 3 in every 100 of all the women were still in complete remission more than
five years later. In that study, the risk of the cancer growing again fell markedly about
three years after treatment began, but did not disappear. Treatment has changed a great
deal since then, so these numbers describe that study, not what will happen to anyone
today.

Very rarely, a breast cancer shrinks or disappears without treatment (*spontaneous
remission*). Ito et al. (2016) describe one such case: a new cancer found in a woman's
breast eleven years after her first operation shrank away after a needle biopsy. Cases
like this are rare enough to be published one at a time; they are not a reason to delay
or refuse treatment.
"""
)

st.subheader("What can lower the risk")
st.markdown(
    """
Several treatments can lower the chance of breast cancer coming back. Which ones help
depends on the type of cancer and on the person, so your care team will advise on them:

- **Hormone therapy**, for cancers that are hormone-receptor positive.
- **Targeted therapy** against the HER2 protein, for cancers that make too much of it.
- **Chemotherapy**.
- **Radiation therapy**, for example after surgery that kept the breast, or for large or
  inflammatory tumours.
- **Bone-strengthening drugs**, which can lower the risk of cancer coming back in the
  bones for some people.

Being active, not smoking and limiting alcohol are good for health in general; ask your
care team what they recommend for you. None of these removes the risk completely.

Note: the founding document gave the case report by Ito et al. as its source for these
treatments. A single case report cannot show that a treatment lowers risk; the
references below are given for what they actually report.
"""
)

st.subheader("Why follow-up matters")
st.markdown(
    """
Regular check-ups look for signs that the cancer has come back, and for side effects of
treatment. Finding a recurrence early can widen the choice of treatment. Between
check-ups, tell your care team about new symptoms that do not go away, such as a new
lump, pain in a bone, shortness of breath or a cough, or unexplained weight loss. Ask
them about your own risk and what you can do about it.

This app classifies measurements; it does not diagnose, predict the future or replace a
conversation with your care team.
"""
)

st.subheader("References")
for paper in (GREENBERG_1996, ITO_2016):
    st.markdown("- " + widgets.doi_link(paper))
