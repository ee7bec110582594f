"""Where did the cancer come back? Local, regional, distant, or perhaps a new primary.

The founding document ("Life in breast cancer remission", section "Remission in
Breast Cancer") sorts a recurrence by where it is found:

- **local**: the same breast, the chest wall, or the skin of the chest wall
  (after a mastectomy);
- **regional**: the nearby lymph nodes (on the same side);
- **distant**: bones, liver, lungs, brain or other organs, also called metastasis
  (the document cites Greenberg et al. 1996 here).

Cancer in the *other* breast is not a recurrence in this scheme: it is flagged as
``new primary?`` because it is usually a new, separate cancer, and only a biopsy can
tell. That rule is a clinical convention the founding document does not state.

The site vocabulary is data, :data:`SITES`; the words are matched exactly, ignoring
case, spacing, hyphens and underscores (no fuzzy matching: a clinical tool should
not guess what "livre" meant). To add a site, pass your own table as ``sites``
(see :func:`classify_recurrence`).

Examples:
    >>> found = classify_recurrence("Axillary node", side="left", primary_side="left")
    >>> print(found.kind, "/", found.site)
    regional / axillary lymph nodes
    >>> print(classify_recurrence("breast", side="right", primary_side="left").kind)
    new primary?
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from remission.citations import FOUNDING_DOCUMENT, GREENBERG_1996, Citation
from remission.errors import Deviation, InvalidInput, Problems
from remission.measurements import PLAIN_DECIMAL

__all__ = [
    "DISTANT_CITATION",
    "LOCAL_CITATION",
    "NEW_PRIMARY_CITATION",
    "REGIONAL_CITATION",
    "SITES",
    "Recurrence",
    "RecurrenceExplanation",
    "RecurrenceKind",
    "Side",
    "Site",
    "classify_recurrence",
    "find_site",
    "name_recurrences",
    "read_side",
]

_SECTION = "section 'Remission in Breast Cancer'"
LOCAL_CITATION = Citation(
    FOUNDING_DOCUMENT,
    f"{_SECTION}: local recurrence (breast, chest wall, skin of the chest wall; "
    "usually within the first five years after diagnosis)",
)
REGIONAL_CITATION = Citation(
    FOUNDING_DOCUMENT, f"{_SECTION}: regional recurrence (nearby lymph nodes)"
)
DISTANT_CITATION = Citation(
    FOUNDING_DOCUMENT,
    f"{_SECTION}: distant recurrence (bones, liver, lungs, brain or other organs; "
    "reference 1, Greenberg et al. 1996)",
)
NEW_PRIMARY_CITATION = Citation(
    FOUNDING_DOCUMENT,
    f"{_SECTION}: local recurrence is in the treated breast; the opposite breast is "
    "not covered (treated as a possible new primary: project convention)",
)
GREENBERG_CITATION = Citation(
    GREENBERG_1996, "cited by the founding document for distant recurrence"
)

FIVE_YEARS_DAYS = 1826
"""Five years of 365.25 days, rounded down: more days than this is over five years."""


class RecurrenceKind(StrEnum):
    """Where a recurrence is, in the founding document's terms.

    Examples:
        >>> RecurrenceKind.NEW_PRIMARY == "new primary?"
        True
    """

    LOCAL = "local"
    REGIONAL = "regional"
    DISTANT = "distant"
    NEW_PRIMARY = "new primary?"


class Side(StrEnum):
    """Body side of a site or of the first (primary) breast cancer."""

    LEFT = "left"
    RIGHT = "right"


SIDE_WORDS: Mapping[str, Side] = {
    "left": Side.LEFT,
    "l": Side.LEFT,
    "lt": Side.LEFT,
    "right": Side.RIGHT,
    "r": Side.RIGHT,
    "rt": Side.RIGHT,
}
"""Accepted ways to write a side (after lower-casing and trimming)."""


@dataclass(frozen=True)
class Site:
    """One place a recurrence can be found, and how it is classified.

    ``kind`` applies on the same side as the first cancer (or when side does not
    matter). ``other_side_kind`` is the kind on the opposite side; ``None`` means
    the side does not change the answer (a liver, a bone).
    """

    name: str
    kind: RecurrenceKind
    synonyms: tuple[str, ...]
    citation: Citation
    other_side_kind: RecurrenceKind | None = None


_LOCAL, _REGIONAL, _DISTANT = RecurrenceKind.LOCAL, RecurrenceKind.REGIONAL, RecurrenceKind.DISTANT
_NEW = RecurrenceKind.NEW_PRIMARY

SITES: tuple[Site, ...] = (
    # Local: the founding document's "breast, chest wall", and after a mastectomy
    # "the skin or tissue of your chest wall" (the scar lies there).
    Site(
        "breast",
        _LOCAL,
        ("same breast", "ipsilateral breast", "breast tissue", "treated breast", "lumpectomy site"),
        LOCAL_CITATION,
        other_side_kind=_NEW,
    ),
    Site(
        "chest wall",
        _LOCAL,
        ("chest wall tissue", "chest wall muscle", "pectoral muscle"),
        LOCAL_CITATION,
        other_side_kind=_DISTANT,
    ),
    Site(
        "skin of the chest wall",
        _LOCAL,
        ("chest wall skin", "skin of chest wall", "chest skin", "breast skin"),
        LOCAL_CITATION,
        other_side_kind=_DISTANT,
    ),
    Site(
        "mastectomy scar",
        _LOCAL,
        ("scar", "surgical scar", "incision", "scar of mastectomy"),
        LOCAL_CITATION,
        other_side_kind=_DISTANT,
    ),
    # Regional: the founding document's "nearby lymph nodes", same side.
    Site(
        "axillary lymph nodes",
        _REGIONAL,
        (
            "axilla",
            "axillary",
            "axillary node",
            "axillary nodes",
            "axillary lymph node",
            "armpit",
            "underarm",
            "underarm lymph nodes",
        ),
        REGIONAL_CITATION,
        other_side_kind=_DISTANT,
    ),
    Site(
        "supraclavicular lymph nodes",
        _REGIONAL,
        (
            "supraclavicular",
            "supraclavicular node",
            "supraclavicular nodes",
            "supraclavicular lymph node",
            "above the collarbone",
        ),
        REGIONAL_CITATION,
        other_side_kind=_DISTANT,
    ),
    Site(
        "infraclavicular lymph nodes",
        _REGIONAL,
        (
            "infraclavicular",
            "infraclavicular node",
            "infraclavicular nodes",
            "infraclavicular lymph node",
            "below the collarbone",
        ),
        REGIONAL_CITATION,
        other_side_kind=_DISTANT,
    ),
    Site(
        "internal mammary lymph nodes",
        _REGIONAL,
        (
            "internal mammary",
            "internal mammary node",
            "internal mammary nodes",
            "internal mammary lymph node",
            "parasternal nodes",
        ),
        REGIONAL_CITATION,
        other_side_kind=_DISTANT,
    ),
    # New primary?: the other breast, named as such.
    Site(
        "opposite breast",
        _NEW,
        ("other breast", "contralateral breast"),
        NEW_PRIMARY_CITATION,
    ),
    # Distant: "bones, liver, lungs, brain, or other organs", and nodes that are not
    # the nearby (regional) ones.
    Site(
        "bone",
        _DISTANT,
        (
            "bones",
            "skeleton",
            "skeletal",
            "spine",
            "vertebra",
            "vertebrae",
            "pelvis",
            "hip",
            "femur",
            "skull",
            "bone marrow",
        ),
        DISTANT_CITATION,
    ),
    Site("liver", _DISTANT, ("hepatic",), DISTANT_CITATION),
    Site("lung", _DISTANT, ("lungs", "pulmonary"), DISTANT_CITATION),
    Site("pleura", _DISTANT, ("pleural", "pleural effusion"), DISTANT_CITATION),
    Site(
        "brain",
        _DISTANT,
        ("cns", "central nervous system", "cerebral", "cerebellum"),
        DISTANT_CITATION,
    ),
    Site(
        "leptomeninges",
        _DISTANT,
        ("meninges", "leptomeningeal", "meningeal"),
        DISTANT_CITATION,
    ),
    Site("adrenal gland", _DISTANT, ("adrenal", "adrenals"), DISTANT_CITATION),
    Site("ovary", _DISTANT, ("ovaries", "ovarian"), DISTANT_CITATION),
    Site("peritoneum", _DISTANT, ("peritoneal", "ascites"), DISTANT_CITATION),
    Site(
        "opposite axillary lymph nodes",
        _DISTANT,
        (
            "contralateral axilla",
            "contralateral axillary node",
            "contralateral axillary nodes",
            "contralateral axillary lymph node",
            "other axilla",
            "opposite axilla",
        ),
        DISTANT_CITATION,
    ),
    Site(
        "cervical lymph nodes",
        _DISTANT,
        ("cervical node", "cervical nodes", "neck node", "neck nodes", "neck lymph nodes"),
        DISTANT_CITATION,
    ),
    Site(
        "mediastinal lymph nodes",
        _DISTANT,
        ("mediastinal node", "mediastinal nodes", "mediastinum"),
        DISTANT_CITATION,
    ),
    Site(
        "distant lymph nodes",
        _DISTANT,
        ("distant node", "distant nodes", "non regional node", "non regional nodes"),
        DISTANT_CITATION,
    ),
    Site(
        "other organ",
        _DISTANT,
        ("other organs", "other distant organ", "other distant site", "metastasis"),
        DISTANT_CITATION,
    ),
)
"""Every known site: canonical name, kind on the same side, synonyms, source, and the
kind on the opposite side when side matters. The canonical name is itself accepted."""

# --- Wording: every sentence the explanations use, apart from the logic. ---------

PATIENT_TEXT: Mapping[RecurrenceKind, str] = {
    _LOCAL: (
        "Cancer was found in the {site}, on the same side as the first breast cancer "
        "(near where it was treated). "
        "Doctors call this a local recurrence. There are effective treatments for "
        "breast cancer that comes back; talk to your care team about what this means "
        "for you."
    ),
    _REGIONAL: (
        "Cancer was found in the {site}, lymph nodes near the breast on the same side "
        "as the first cancer. Doctors call this a regional recurrence. There are "
        "effective treatments for breast cancer that comes back; talk to your care "
        "team about what this means for you."
    ),
    _DISTANT: (
        "Cancer was found in the {site}, beyond the breast and the nearby lymph nodes. "
        "Doctors call this a distant recurrence, or metastasis. There are effective "
        "treatments for breast cancer that has spread; talk to your care team about "
        "what this means for you."
    ),
    _NEW: (
        "Cancer was found in the other breast. This is usually a new, separate breast "
        "cancer rather than the first cancer coming back. Only a biopsy (a small "
        "tissue sample looked at under a microscope) can tell which it is; your care "
        "team will arrange the tests needed."
    ),
}
CLINICIAN_TEXT: Mapping[RecurrenceKind, str] = {
    _LOCAL: "Local recurrence: {site}{side}.",
    _REGIONAL: "Regional recurrence (regional nodes): {site}{side}.",
    _DISTANT: "Distant recurrence (metastasis): {site}{side}.",
    _NEW: (
        "New primary?: {site}{side}. Contralateral breast cancer is usually a second "
        "primary rather than a recurrence; not classified here: needs biopsy "
        "(histology and receptor status compared with the first primary)."
    ),
}
SIDE_SHOWN = " ({side}; primary {primary_side})"
SIDE_ASSUMED_SHOWN = " (side assumed to be that of the primary: not given)"
SIDE_ASSUMED_PATIENT = (
    " The side of the body was not given, so this assumes it is the same side as the "
    "first cancer; if it is the other side, the answer may change."
)
OTHER_SIDE_CLINICIAN = (
    " Opposite side to the primary: outside the regional area, classed as distant."
)
OTHER_SIDE_PATIENT = (
    " Because this is on the other side of the body from the first cancer, it does "
    "not count as nearby, so it is called distant."
)
LOCAL_TIMING_CLINICIAN = (
    " Local recurrence usually occurs within the first five years after diagnosis."
)
LATE_LOCAL_CLINICIAN = (
    " This one is more than five years after remission, so later than that usual "
    "window; late local recurrences do occur."
)
LATE_LOCAL_PATIENT = (
    " Most local recurrences happen within five years of diagnosis, but they can "
    "happen later, as here."
)
SOURCE_CLINICIAN = " Source: {citation}."
TIME_TEXT: tuple[tuple[int, str], ...] = (
    (1, "{days} days after remission"),
    (2, "1 day after remission"),
    (60, "{days} days after remission"),
    (730, "about {months} months ({days} days) after remission"),
)
TIME_TEXT_YEARS = "about {years} years ({days} days) after remission"
"""How time since remission is written: the first row whose bound (days, exclusive)
is above the count; years beyond the last row."""


@dataclass(frozen=True)
class RecurrenceExplanation:
    """The classification in words, for clinicians and for patients, and its source."""

    clinician: str
    patient: str
    citation: Citation


@dataclass(frozen=True)
class Recurrence:
    """A recurrence classified by site.

    ``site`` is the canonical site name; ``side_assumed`` is True when the side
    mattered but was not given, so the same side as the primary was assumed;
    ``see_also`` lists further sources (the paper the founding document cites).
    """

    kind: RecurrenceKind
    site: str
    explanation: RecurrenceExplanation
    citation: Citation
    time_since_remission: str | None = None
    side_assumed: bool = False
    see_also: tuple[Citation, ...] = ()


def _normalise(text: str) -> str:
    """Lower case, hyphens and underscores as spaces, single spaces, trimmed."""
    return re.sub(r"[\s_\-]+", " ", text).strip().casefold()


def _index(sites: Iterable[Site]) -> dict[str, Site]:
    """Every accepted word for a site; the first site naming a word keeps it."""
    index: dict[str, Site] = {}
    for site in sites:
        for word in (site.name, *site.synonyms):
            index.setdefault(_normalise(word), site)
    return index


def find_site(organ: str, sites: Iterable[Site] = SITES) -> Site | None:
    """The site an organ name refers to, or None when no site lists it.

    Matching is exact, ignoring case, spacing, hyphens and underscores. Why not
    fuzzy: a near miss must be reported, not silently turned into another organ.
    When two sites list the same word, the first in ``sites`` wins, so put your own
    sites first to override ours.

    Examples:
        >>> find_site("  Internal-Mammary ").name
        'internal mammary lymph nodes'
        >>> find_site("livre") is None
        True
    """
    return _index(sites).get(_normalise(organ))


def _side(value: object, field: str, problems: Problems) -> Side | None:
    """Read a side; None when not given; record a problem when unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    side = SIDE_WORDS.get(value.strip().casefold()) if isinstance(value, str) else None
    if side is None:
        problems.add(
            "recurrence",
            field,
            f"is {value!r}, not a side",
            "enter left or right, or leave it empty if not known",
        )
    return side


def read_side(value: object, field: str = "primary_side") -> Side | None:
    """A side ("left"/"right", L, Lt…), None when not given; else :class:`InvalidInput`.

    Examples:
        >>> read_side("Lt"), read_side(None)
        (<Side.LEFT: 'left'>, None)
    """
    problems = Problems()
    side = _side(value, field, problems)
    problems.raise_if_any()
    return side


def name_recurrences(
    sites: Sequence[str], *, days: int | None, where: str, primary_side: str | None = None
) -> tuple[tuple[Recurrence, ...], tuple[Deviation, ...]]:
    """Each place disease came back, named once (local, regional, distant…), in order.

    Places that name the same site ("bone", "Bones", "spine") give one recurrence; a
    place no site lists gives a warning instead (the response does not depend on it).
    """
    found: dict[tuple[RecurrenceKind, str], Recurrence] = {}
    warnings: list[Deviation] = []
    for site in dict.fromkeys(sites):
        try:
            named = classify_recurrence(site, primary_side=primary_side, days_since_remission=days)
        except InvalidInput as error:
            warnings.append(
                Deviation(
                    f"site {site!r} at {where}",
                    "recurrence type not given: " + error.problems[0].message,
                    "remission.recurrence.SITES",
                )
            )
            continue
        found.setdefault((named.kind, named.site), named)
    return tuple(found.values()), tuple(warnings)


def _days(value: object, problems: Problems) -> int | None:
    """Read a day count: a whole number of 0 or more, or None when not given."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    fix = "enter the number of days since remission as a whole number of 0 or more"
    number: float | None = None
    if isinstance(value, str):
        # float() would also read "１２" and "1_0": a day count is typed in ASCII digits.
        number = float(value.strip()) if PLAIN_DECIMAL.match(value) else None
    elif isinstance(value, numbers.Real | Decimal) and not isinstance(value, bool):
        number = float(value)
    if number is None or not math.isfinite(number):
        problems.add("recurrence", "days_since_remission", f"is not a number ({value!r})", fix)
        return None
    if number < 0 or not number.is_integer():
        problems.add(
            "recurrence",
            "days_since_remission",
            f"is {value!r}, not a whole number of 0 or more",
            fix,
        )
        return None
    return int(number)


def _time_text(days: int) -> str:
    """Days since remission in words (see :data:`TIME_TEXT`)."""
    months = round(days / 30.4375)  # 365.25 / 12
    years = f"{days / 365.25:.1f}"
    template = next((text for bound, text in TIME_TEXT if days < bound), TIME_TEXT_YEARS)
    return template.format(days=days, months=months, years=years)


def _stated_side(organ: str, site: Site) -> str | None:
    """Say "same" or "other" when the site's words name a side (ipsilateral, contralateral)."""
    if site.other_side_kind is None and not site.name.startswith("opposite"):
        return None  # "other organ" names no side
    words = set(re.split(r"[\s_-]+", organ.strip().lower()))
    if words & {"contralateral", "other", "opposite"}:
        return "other"
    if words & {"ipsilateral", "same", "treated"}:
        return "same"
    return None


def classify_recurrence(
    organ: str,
    *,
    side: str | None = None,
    primary_side: str | None = None,
    days_since_remission: int | float | str | None = None,
    sites: Iterable[Site] = SITES,
) -> Recurrence:
    """Classify a recurrence after remission by where it was found.

    Rules (founding document, section "Remission in Breast Cancer"): the same
    breast, the chest wall, its skin or a mastectomy scar is *local*; the nearby
    lymph nodes (axillary, supra- and infraclavicular, internal mammary) on the
    same side are *regional*; bones, liver, lungs, brain, any other organ and any
    other node are *distant*. The same node groups or chest wall on the *opposite*
    side are distant. The opposite breast is flagged ``new primary?`` rather than
    guessed, because it is usually a new cancer and only a biopsy can tell (a
    convention, not stated in the founding document). Why by site: the site is what
    sets the kind, and the kind is what patient and clinician need first.

    When the side matters but either side is not given, the same side as the first
    cancer is assumed, and the explanation says so.

    Args:
        organ: where the cancer was found, in words (see :data:`SITES`).
        side: "left" or "right", the side of the finding, if known.
        primary_side: "left" or "right", the side of the first breast cancer.
        days_since_remission: days from remission to the finding, if known.
        sites: the site table; pass ``(*SITES, Site(...))`` to add sites.

    Returns:
        The kind, the site's canonical name, an explanation and its source.

    Raises:
        InvalidInput: listing every problem: an organ no site lists (with the known
            sites), an unreadable side, a negative or fractional day count.

    Examples:
        >>> print(classify_recurrence("bones").kind)
        distant
        >>> local = classify_recurrence("scar", days_since_remission=400)
        >>> print(local.kind, local.side_assumed, local.time_since_remission, sep=" | ")
        local | True | about 13 months (400 days) after remission
        >>> print(classify_recurrence("axilla", side="R", primary_side="L").kind)
        distant

        Adding a site the table lacks:

        >>> spleen = Site("spleen", RecurrenceKind.DISTANT, ("splenic",), DISTANT_CITATION)
        >>> print(classify_recurrence("Splenic", sites=(*SITES, spleen)).site)
        spleen
    """
    table = tuple(sites)
    problems = Problems()
    site: Site | None = None
    if not isinstance(organ, str) or not organ.strip():
        problems.add(
            "recurrence",
            "organ",
            "is missing" if organ is None or isinstance(organ, str) else "is not text",
            "enter where the cancer was found, for example liver or axillary node",
        )
    else:
        site = find_site(organ, table)
        if site is None:
            known = ", ".join(sorted({s.name for s in table}))
            problems.add(
                "recurrence",
                "organ",
                f"is {organ.strip()!r}, not a known site",
                f"use one of the known sites ({known}) or a synonym listed in SITES, "
                "or add the site to the table passed as sites",
            )
    found_side = _side(side, "side", problems)
    found_primary = _side(primary_side, "primary_side", problems)
    days = _days(days_since_remission, problems)
    if site is not None and found_side is not None and found_primary is not None:
        stated = _stated_side(organ, site)
        given = "same" if found_side is found_primary else "other"
        if stated is not None and stated != given:
            problems.add(
                "recurrence",
                "side",
                f"is {found_side} with the first cancer on the {found_primary}: the {given} "
                f"side, but {organ.strip()!r} says the {stated} side",
                "correct the side, the primary side or the site, so that they agree",
            )
    if site is None or problems:
        raise InvalidInput(problems.items)

    lateral = site.other_side_kind is not None
    side_assumed = lateral and (found_side is None or found_primary is None)
    other_side = lateral and not side_assumed and found_side is not found_primary
    kind = site.other_side_kind if other_side and site.other_side_kind else site.kind
    citation = NEW_PRIMARY_CITATION if kind is _NEW else site.citation
    if other_side and kind is _DISTANT:
        citation = DISTANT_CITATION

    if side_assumed:
        side_shown = SIDE_ASSUMED_SHOWN
    elif lateral:
        side_shown = SIDE_SHOWN.format(side=found_side, primary_side=found_primary)
    else:
        side_shown = ""
    clinician = CLINICIAN_TEXT[kind].format(site=site.name, side=side_shown)
    patient = PATIENT_TEXT[kind].format(site=site.name)
    if other_side and kind is _DISTANT:
        clinician += OTHER_SIDE_CLINICIAN
        patient += OTHER_SIDE_PATIENT
    if kind is _LOCAL:
        clinician += LOCAL_TIMING_CLINICIAN
        if days is not None and days > FIVE_YEARS_DAYS:
            clinician += LATE_LOCAL_CLINICIAN
            patient += LATE_LOCAL_PATIENT
    if side_assumed:
        patient += SIDE_ASSUMED_PATIENT
    clinician += SOURCE_CLINICIAN.format(citation=citation)

    return Recurrence(
        kind=kind,
        site=site.name,
        explanation=RecurrenceExplanation(clinician, patient, citation),
        citation=citation,
        time_since_remission=None if days is None else _time_text(days),
        side_assumed=side_assumed,
        see_also=(GREENBERG_CITATION,) if kind is _DISTANT else (),
    )
