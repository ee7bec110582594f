"""The papers' references as the app and the summaries print them."""

from __future__ import annotations

from remission.citations import FOUNDING_DOCUMENT


def test_the_founding_document_reads_as_a_reference() -> None:
    # Issue 14: it read "remission project. Life in breast cancer remission. project
    # founding document (...)": lower-case starts and a title not written as the document's.
    assert str(FOUNDING_DOCUMENT) == (
        "The remission project. Life in Breast Cancer Remission. The project's founding "
        "document, on complete and partial remission."
    )
    assert FOUNDING_DOCUMENT.doi is None
