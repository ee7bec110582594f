"""Display helpers shared by the pages: safe text, the result card and problems.

Nothing here computes a clinical number: every value comes from :mod:`remission`. Text a
user typed (lesion names, organs, visit labels, file contents) is only ever shown through
:func:`plain` (Markdown-escaped), ``st.text``, tables or charts, never as HTML. Charts
are in :mod:`app_pages.charts`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final
from urllib.parse import quote

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from remission import InvalidInput, Response
from remission.citations import Paper

__all__ = ["RESPONSE_STYLE", "doi_link", "plain", "response_banner", "show_problems"]

RESPONSE_STYLE: Mapping[Response, tuple[str, str]] = MappingProxyType(
    {
        Response.CR: ("green", ":material/check_circle:"),
        Response.PR: ("blue", ":material/trending_down:"),
        Response.SD: ("orange", ":material/trending_flat:"),
        Response.NON_CR_NON_PD: ("gray", ":material/trending_flat:"),
        Response.PD: ("red", ":material/trending_up:"),
        Response.NE: ("violet", ":material/help:"),
    }
)
"""Streamlit colour and icon per category: the icon and the words carry the meaning too."""

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=^\"'@%])")


def plain(text: str) -> str:
    r"""Escape text for Streamlit Markdown so it shows literally (no links, HTML or styling).

    Every ASCII punctuation character gets a backslash, which CommonMark reads as "this
    character, literally".

    Examples:
        >>> print(plain("<img src=x onerror=alert(1)>"))
        \<img src\=x onerror\=alert\(1\)\>
        >>> print(plain("T1 *bold* [x](y)"))
        T1 \*bold\* \[x\]\(y\)
    """
    return _MARKDOWN.sub(r"\\\1", text).replace("\n", "  \n")


def doi_link(paper: Paper) -> str:
    """A Markdown line citing a paper, with a working doi.org link when it has a DOI.

    Examples:
        >>> from remission.citations import EISENHAUER_2009
        >>> doi_link(EISENHAUER_2009).endswith("(https://doi.org/10.1016/j.ejca.2008.10.026)")
        True
    """
    text = plain(str(paper))
    if not paper.doi:
        return text
    url = "https://doi.org/" + quote(paper.doi, safe="/.")
    return f"{text} [Open the paper]({url})"


def show_problems(
    error: InvalidInput, heading: str, labels: Mapping[str, str] | None = None
) -> None:
    """Show every problem in one ``st.error``: where, field, what and the fix.

    ``labels`` names fields as the page shows them ("Positive lymph nodes" for
    ``positive_nodes``), in the field and wherever a message mentions one.
    """
    count = len(error.problems)
    noun = "problem" if count == 1 else "problems"
    texts = [str(problem) for problem in error.problems]
    for name, label in (labels or {}).items():
        texts = [text.replace(name, f"'{label}'") for text in texts]
    items = "\n".join(f"- {plain(text)}" for text in texts)
    st.error(f"**{heading}** ({count} {noun})\n\n{items}", icon=":material/error:")


def response_banner(response: Response, caption: str, *, past: bool = False) -> None:
    """The category in large type: colour, icon and words (never colour alone).

    ``past`` words a result that was, not one that is (a best response is history).
    """
    colour, icon = RESPONSE_STYLE[response]
    st.caption(caption)
    st.markdown(f"## :{colour}[{icon} {response.label}]")
    words = (
        response.patient_then[:1].upper() + response.patient_then[1:]
        if past
        else response.patient_label
    )
    st.markdown(f"**{response.value}**: {words}.")


_MIME: Final = MappingProxyType(
    {"csv": "text/csv", "json": "application/json", "txt": "text/plain"}
)


def download(
    label: str,
    make: Callable[[], str],
    file_name: str,
    *,
    place: DeltaGenerator | None = None,
    icon: str = ":material/download:",
) -> None:
    """A download button whose file is built only when it is clicked, without a rerun.

    The type is the file name's: ``.csv``, ``.json`` or ``.txt``.
    """
    button = place.download_button if place is not None else st.download_button
    button(
        label,
        make,
        file_name=file_name,
        mime=_MIME[file_name.rsplit(".", 1)[-1]],
        on_click="ignore",
        icon=icon,
    )
