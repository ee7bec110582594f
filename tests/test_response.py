"""The response vocabulary: CDISC codes and labels."""

import pytest

from remission import NonTargetStatus, Response
from remission.response import LABELS


def test_values_are_cdisc_codes() -> None:
    assert [r.value for r in Response] == ["CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE"]


def test_every_response_has_both_labels() -> None:
    for response in Response:
        assert LABELS[response].clinician
        assert LABELS[response].patient


def test_patient_labels_avoid_codes() -> None:
    for response in Response:
        assert response.value not in response.patient_label


def test_rank_order_for_best_response() -> None:
    ranked = sorted(Response, key=lambda r: r.rank, reverse=True)
    assert ranked == [
        Response.CR,
        Response.PR,
        Response.SD,
        Response.NON_CR_NON_PD,
        Response.PD,
        Response.NE,
    ]


@pytest.mark.parametrize(
    ("status", "response"),
    [
        ("absent", Response.CR),
        ("present", Response.NON_CR_NON_PD),
        ("progression", Response.PD),
        ("not-assessed", Response.NE),
    ],
)
def test_non_target_status(status: str, response: Response) -> None:
    assert NonTargetStatus(status).response is response
