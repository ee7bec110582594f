"""Words, kept apart from logic: patient and clinician sentences for each outcome.

Patient wording is plain (no jargon), says what was measured rather than what it means
for the future, and never reassures beyond the numbers: a complete response is not a
cure, and progression is a reason to talk to the care team, not a verdict.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final

from remission.response import Response

__all__ = [
    "CARE_TEAM",
    "CR_SENTENCES",
    "DISCLAIMER",
    "OTHER_DISEASE",
    "PATIENT",
    "PATIENT_HELD",
    "PATIENT_TARGETS_GONE",
    "PD_REASONS",
    "PRODUCT_NOTE",
]

DISCLAIMER: Final = (
    "remission is for education and decision support. It reads the measurements it is "
    "given; it is not a diagnosis and does not replace your care team."
)

CARE_TEAM: Final = "Talk to your care team about what this means for you."

PATIENT: MappingProxyType[Response, str] = MappingProxyType(
    {
        Response.CR: (
            "{cr_sentence}. Doctors call this a complete response (complete remission). It "
            "is not the same as a cure: cells too small to see can remain, so follow-up "
            "still matters."
        ),
        Response.PR: (
            "The measured tumours are {shrink} smaller than at the start ({baseline} → "
            "{current}). That is enough shrinkage to count as a partial response (partial "
            "remission) under {criteria}, which asks for at least {threshold}. Some tumour "
            "is still there."
        ),
        Response.SD: (
            "The measured tumours changed by {change} since the start ({baseline} → "
            "{current}): not enough shrinkage to count as a response, and not enough growth "
            "to count as progression. Doctors call this stable disease."
        ),
        Response.NON_CR_NON_PD: (
            "The disease that was seen but not measured is still there and has not clearly "
            "grown. Doctors call this 'non-complete response, non-progressive disease'."
        ),
        Response.PD: (
            "{reason}. Doctors call this progressive disease. It does not by itself say "
            "what happens next: your care team will explain the options."
        ),
        Response.NE: (
            "Not everything that needs checking was measured at this visit{missing}, so no "
            "response can be given. This is neither good nor bad news: the information is "
            "incomplete."
        ),
    }
)
"""One patient sentence per outcome; fields are filled in by :mod:`remission.explain`."""

PD_REASONS: MappingProxyType[str, str] = MappingProxyType(
    {
        "new": "A new area of cancer was seen",
        "non-target": "Disease that was seen but not measured has clearly grown",
        "reappearance": (
            "A tumour that had disappeared, or a lymph node that had shrunk back to a normal "
            "size, has come back or grown again"
        ),
        "disease back": "Disease has been seen again after a complete response",
        "growth": "The measured tumours have grown by {growth} from their smallest size",
        "regrowth": "A measured tumour that had gone has come back",
        "growth seen": (
            "The tumours that were measured have already grown past the limit for progression"
        ),
        "lesion growth": "At least one measured tumour has grown by a quarter or more",
    }
)
"""Why progression was called, in plain words."""

CR_SENTENCES: MappingProxyType[str, str] = MappingProxyType(
    {
        "gone": "At this visit none of the measured tumours could be seen any more",
        "no targets": "At this visit none of the disease seen before could be found any more",
        "nodes": (
            "At this visit none of the measured tumours could be seen any more, and lymph "
            "nodes are back to a normal size (under 10 mm)"
        ),
        "too small": (
            "At this visit the measured tumours were gone or too small to measure "
            "({names}). {criteria} counts that as a complete response, but a tumour too "
            "small to measure may still be there"
        ),
    }
)
"""The first sentence of a complete response, by what the lesions show."""

PATIENT_HELD: Final = (
    "The measured tumours are {shrink} smaller than at the start ({baseline} → {current}). "
    "That is less than the {threshold} a partial response asks for, but they have not "
    "grown enough since their smallest size ({nadir}) to count as progression, so the "
    "partial response (partial remission) reached earlier still stands. Some tumour is "
    "still there."
)
"""A partial response held until progression (RECIST Working Group FAQ)."""

PATIENT_TARGETS_GONE: Final = (
    "The measured tumours can no longer be seen, but {other}, so this counts as a partial "
    "response (partial remission), not a complete one."
)
"""Targets gone, other disease still there or not checked (RECIST 1.1 Table 1)."""

OTHER_DISEASE: MappingProxyType[str, str] = MappingProxyType(
    {
        "NON-CR/NON-PD": "disease that is followed without being measured is still there",
        "NE": "disease that is followed without being measured was not checked at this visit",
    }
)
"""What the non-target disease shows, when it alone keeps a response from complete."""

PRODUCT_NOTE: Final = (
    "Sizes are products of two perpendicular diameters (mm²). A 50 % fall in a product "
    "is only about a 29 % fall in each diameter (1 − √0.5 ≈ 0.293), close to RECIST's "
    "30 %; a 25 % rise in a product is about 12 % in each diameter (√1.25 ≈ 1.118)."
)
