"""The response vocabulary: CDISC codes, with clinician and patient labels as data.

Values are the CDISC controlled terms used in ``RS.RSSTRESC`` and ``ADRS.AVALC``
(codelist "Oncology Response Assessment Result"), so results travel into SDTM/ADaM as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

__all__ = ["LABELS", "Label", "NonTargetStatus", "Response"]


class Response(StrEnum):
    """A response category; the value is its CDISC code.

    Examples:
        >>> Response("PR")
        <Response.PR: 'PR'>
        >>> Response.NON_CR_NON_PD.value
        'NON-CR/NON-PD'
        >>> Response.PR.label
        'Partial response'
        >>> Response.CR.rank > Response.PR.rank > Response.SD.rank > Response.PD.rank
        True
    """

    CR = "CR"
    PR = "PR"
    SD = "SD"
    NON_CR_NON_PD = "NON-CR/NON-PD"
    PD = "PD"
    NE = "NE"

    @property
    def label(self) -> str:
        """Clinician wording, e.g. "Partial response"."""
        return LABELS[self].clinician

    @property
    def phrase(self) -> str:
        """The clinician label inside a sentence: only its first letter lowered.

        Examples:
            >>> Response.NON_CR_NON_PD.phrase
            'non-CR/non-PD'
            >>> Response.SD.phrase
            'stable disease'
        """
        label = self.label
        return label[:1].lower() + label[1:]

    @property
    def patient_label(self) -> str:
        """Plain wording for patients."""
        return LABELS[self].patient

    @property
    def patient_then(self) -> str:
        """Plain wording of a past result, inside a sentence.

        Examples:
            >>> Response.CR.patient_then
            'no measurable tumour could be seen (complete remission)'
        """
        return LABELS[self].patient_then

    @property
    def rank(self) -> int:
        """Order for best overall response: CR > PR > SD > NON-CR/NON-PD > PD > NE.

        The order of admiralonco's ``aval_resp()`` and of RECIST 1.1 section 4.4.3
        (best response recorded from the start of treatment until progression).
        """
        return LABELS[self].rank


class NonTargetStatus(StrEnum):
    """What was seen of the non-target lesions at a visit, as the user records it.

    RECIST 1.1 section 4.3.3 turns these into a non-target response:
    ``absent`` → CR, ``present`` → NON-CR/NON-PD, ``progression`` (unequivocal) → PD,
    ``not-assessed`` → NE.

    Examples:
        >>> NonTargetStatus("present").response
        <Response.NON_CR_NON_PD: 'NON-CR/NON-PD'>
    """

    ABSENT = "absent"
    PRESENT = "present"
    PROGRESSION = "progression"
    NOT_ASSESSED = "not-assessed"

    @property
    def response(self) -> Response:
        """The non-target response this status stands for (RECIST 1.1 section 4.3.3)."""
        return _NON_TARGET_RESPONSE[self]


@dataclass(frozen=True)
class Label:
    """How a category is named for clinicians and for patients, and how it ranks."""

    clinician: str
    patient: str
    rank: int
    patient_then: str
    """The patient wording of a past result (a best response is not what is seen now)."""


LABELS: MappingProxyType[Response, Label] = MappingProxyType(
    {
        Response.CR: Label(
            "Complete response",
            "No measurable tumour can be seen any more (complete remission)",
            6,
            "no measurable tumour could be seen (complete remission)",
        ),
        Response.PR: Label(
            "Partial response",
            "The tumours have shrunk clearly, but have not gone (partial remission)",
            5,
            "the tumours had shrunk clearly, but had not gone (partial remission)",
        ),
        Response.SD: Label(
            "Stable disease",
            "The tumours have neither shrunk nor grown enough to count as a change",
            4,
            "the tumours had neither shrunk nor grown enough to count as a change",
        ),
        Response.NON_CR_NON_PD: Label(
            "Non-CR/non-PD",
            "Some disease is still there, but it has not clearly grown",
            3,
            "some disease was still there, but it had not clearly grown",
        ),
        Response.PD: Label(
            "Progressive disease",
            "The cancer has grown or spread",
            2,
            "the cancer had grown or spread",
        ),
        Response.NE: Label(
            "Not evaluable",
            "The scans were not complete enough to say",
            1,
            "the scans were not complete enough to say",
        ),
    }
)
"""Clinician and patient labels, kept apart from the logic that chooses them."""

_NON_TARGET_RESPONSE = MappingProxyType(
    {
        NonTargetStatus.ABSENT: Response.CR,
        NonTargetStatus.PRESENT: Response.NON_CR_NON_PD,
        NonTargetStatus.PROGRESSION: Response.PD,
        NonTargetStatus.NOT_ASSESSED: Response.NE,
    }
)
