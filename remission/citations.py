"""The papers remission implements, and how a rule points into them."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EISENHAUER_2009",
    "FOUNDING_DOCUMENT",
    "GREENBERG_1996",
    "ITO_2016",
    "MILLER_1981",
    "PAPERS",
    "RECIST_FAQ",
    "SYMMANS_2007",
    "THERASSE_2000",
    "Citation",
    "Paper",
]


@dataclass(frozen=True)
class Paper:
    """A published source.

    Examples:
        >>> print(MILLER_1981)
        Miller AB, Hoogstraten B, Staquet M, Winkler A. Reporting results of cancer treatment. Cancer 1981;47:207-214. doi:10.1002/1097-0142(19810101)47:1<207::AID-CNCR2820470134>3.0.CO;2-6
        >>> MILLER_1981.short
        'Miller et al. 1981 (WHO)'
        >>> str(EISENHAUER_2009).startswith("Eisenhauer EA, Therasse P, Bogaerts J, et al. New")
        True
    """

    short: str
    authors: str
    title: str
    journal: str
    doi: str | None = None

    def __str__(self) -> str:
        """The full reference, Vancouver style."""
        doi = f" doi:{self.doi}" if self.doi else ""
        authors = self.authors.removesuffix(".")
        return f"{authors}. {self.title}. {self.journal}.{doi}"

    @property
    def url(self) -> str | None:
        """Where the paper can be read, when it has a DOI."""
        return f"https://doi.org/{self.doi}" if self.doi else None


@dataclass(frozen=True)
class Citation:
    """A place in a paper: the paper and the section, table or row.

    Examples:
        >>> print(Citation(EISENHAUER_2009, "section 4.3.1"))
        Eisenhauer et al. 2009 (RECIST 1.1), section 4.3.1
    """

    paper: Paper
    where: str

    def __str__(self) -> str:
        """Short form for explanations and tables."""
        return f"{self.paper.short}, {self.where}"


MILLER_1981 = Paper(
    short="Miller et al. 1981 (WHO)",
    authors="Miller AB, Hoogstraten B, Staquet M, Winkler A",
    title="Reporting results of cancer treatment",
    journal="Cancer 1981;47:207-214",
    doi="10.1002/1097-0142(19810101)47:1<207::AID-CNCR2820470134>3.0.CO;2-6",
)
THERASSE_2000 = Paper(
    short="Therasse et al. 2000 (RECIST 1.0)",
    authors="Therasse P, Arbuck SG, Eisenhauer EA, et al.",
    title="New guidelines to evaluate the response to treatment in solid tumors",
    journal="J Natl Cancer Inst 2000;92:205-216",
    doi="10.1093/jnci/92.3.205",
)
EISENHAUER_2009 = Paper(
    short="Eisenhauer et al. 2009 (RECIST 1.1)",
    authors="Eisenhauer EA, Therasse P, Bogaerts J, et al.",
    title=(
        "New response evaluation criteria in solid tumours: revised RECIST guideline (version 1.1)"
    ),
    journal="Eur J Cancer 2009;45:228-247",
    doi="10.1016/j.ejca.2008.10.026",
)
SYMMANS_2007 = Paper(
    short="Symmans et al. 2007 (RCB)",
    authors="Symmans WF, Peintinger F, Hatzis C, et al.",
    title=(
        "Measurement of residual breast cancer burden to predict survival "
        "after neoadjuvant chemotherapy"
    ),
    journal="J Clin Oncol 2007;25:4414-4422",
    doi="10.1200/JCO.2007.10.6823",
)
GREENBERG_1996 = Paper(
    short="Greenberg et al. 1996",
    authors="Greenberg P, Hortobagyi G, Smith T, Ziegler L, Frye D, Buzdar A",
    title=(
        "Long-term follow-up of patients with complete remission following "
        "combination chemotherapy for metastatic breast cancer"
    ),
    journal="J Clin Oncol 1996;14(8):2197-2205",
    doi="10.1200/JCO.1996.14.8.2197",
)
ITO_2016 = Paper(
    short="Ito et al. 2016",
    authors="Ito E, Nakano S, Otsuka M, et al.",
    title="Spontaneous breast cancer remission: a case report",
    journal="Int J Surg Case Rep 2016;25:132-136",
    doi="10.1016/j.ijscr.2016.06.017",
)
RECIST_FAQ = Paper(
    short="RECIST Working Group FAQ",
    authors="RECIST Working Group",
    title="RECIST 1.1: questions and clarifications",
    journal="EORTC, recist.eortc.org (official clarifications, not peer-reviewed)",
)
FOUNDING_DOCUMENT = Paper(
    short="remission founding document",
    authors="remission project",
    title="Life in breast cancer remission",
    journal="project founding document (complete and partial remission)",
)

PAPERS: tuple[Paper, ...] = (
    MILLER_1981,
    THERASSE_2000,
    EISENHAUER_2009,
    SYMMANS_2007,
    GREENBERG_1996,
    ITO_2016,
)
"""Every published source, for reference lists in the README and the app."""
