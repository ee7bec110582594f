"""Tests for remission.recurrence: recurrence kind by site.

Expected kinds come from the founding document ("Remission in Breast Cancer"): local =
same breast, chest wall, its skin (after mastectomy); regional = nearby lymph nodes;
distant = bones, liver, lungs, brain or other organs. The opposite breast is flagged
"new primary?" (project convention).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from remission.citations import FOUNDING_DOCUMENT, GREENBERG_1996
from remission.errors import InvalidInput
from remission.recurrence import (
    DISTANT_CITATION,
    LOCAL_CITATION,
    NEW_PRIMARY_CITATION,
    REGIONAL_CITATION,
    SITES,
    RecurrenceKind,
    Site,
    classify_recurrence,
    find_site,
)

LOCAL = RecurrenceKind.LOCAL
REGIONAL = RecurrenceKind.REGIONAL
DISTANT = RecurrenceKind.DISTANT
NEW = RecurrenceKind.NEW_PRIMARY


@pytest.mark.parametrize(
    ("organ", "side", "primary_side", "kind", "site"),
    [
        # local: same breast, chest wall, skin of the chest wall, mastectomy scar
        ("breast", "left", "left", LOCAL, "breast"),
        ("same breast", "right", "right", LOCAL, "breast"),
        ("chest wall", "left", "left", LOCAL, "chest wall"),
        ("chest wall skin", "left", "left", LOCAL, "skin of the chest wall"),
        ("scar", "left", "left", LOCAL, "mastectomy scar"),
        ("mastectomy scar", None, None, LOCAL, "mastectomy scar"),
        # regional: nearby nodes on the same side
        ("axilla", "left", "left", REGIONAL, "axillary lymph nodes"),
        ("axillary node", "right", "right", REGIONAL, "axillary lymph nodes"),
        ("supraclavicular", "left", "left", REGIONAL, "supraclavicular lymph nodes"),
        ("infraclavicular", "left", "left", REGIONAL, "infraclavicular lymph nodes"),
        ("internal mammary", "left", "left", REGIONAL, "internal mammary lymph nodes"),
        # the same places on the opposite side
        ("breast", "right", "left", NEW, "breast"),
        ("axillary node", "right", "left", DISTANT, "axillary lymph nodes"),
        ("supraclavicular", "left", "right", DISTANT, "supraclavicular lymph nodes"),
        ("chest wall", "right", "left", DISTANT, "chest wall"),
        # named relative to the primary
        ("other breast", None, None, NEW, "opposite breast"),
        ("contralateral breast", "right", "left", NEW, "opposite breast"),
        ("contralateral axillary node", None, None, DISTANT, "opposite axillary lymph nodes"),
        # distant: bones, liver, lungs, brain, other organs and non-regional nodes
        ("bone", None, None, DISTANT, "bone"),
        ("bones", None, None, DISTANT, "bone"),
        ("spine", None, None, DISTANT, "bone"),
        ("vertebra", None, None, DISTANT, "bone"),
        ("liver", None, None, DISTANT, "liver"),
        ("hepatic", None, None, DISTANT, "liver"),
        ("lung", None, None, DISTANT, "lung"),
        ("lungs", None, None, DISTANT, "lung"),
        ("pulmonary", None, None, DISTANT, "lung"),
        ("pleura", None, None, DISTANT, "pleura"),
        ("brain", None, None, DISTANT, "brain"),
        ("CNS", None, None, DISTANT, "brain"),
        ("cervical nodes", None, None, DISTANT, "cervical lymph nodes"),
        ("distant nodes", None, None, DISTANT, "distant lymph nodes"),
        ("other organ", None, None, DISTANT, "other organ"),
        # side does not matter for an organ such as the lung
        ("lung", "right", "left", DISTANT, "lung"),
    ],
)
def test_kind_by_site(
    organ: str, side: str | None, primary_side: str | None, kind: RecurrenceKind, site: str
) -> None:
    result = classify_recurrence(organ, side=side, primary_side=primary_side)
    assert result.kind is kind
    assert result.site == site


@pytest.mark.parametrize(
    "organ", ["  AXILLARY-Node ", "axillary_node", "Axillary   node", "axillary\tnode"]
)
def test_case_spacing_hyphens_and_underscores_are_ignored(organ: str) -> None:
    assert classify_recurrence(organ).site == "axillary lymph nodes"


@pytest.mark.parametrize(("word", "side"), [("L", "left"), ("Rt", "right"), (" LEFT ", "left")])
def test_side_words(word: str, side: str) -> None:
    same = classify_recurrence("axilla", side=word, primary_side=side)
    assert same.kind is REGIONAL
    assert same.side_assumed is False


# --- side not given ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("side", "primary_side"), [(None, None), ("left", None), (None, "left"), ("", " ")]
)
def test_unknown_side_is_assumed_same_side_and_said(
    side: str | None, primary_side: str | None
) -> None:
    result = classify_recurrence("breast", side=side, primary_side=primary_side)
    assert result.kind is LOCAL
    assert result.side_assumed is True
    assert "assumes it is the same side" in result.explanation.patient
    assert "side assumed" in result.explanation.clinician


def test_side_is_not_assumed_where_it_does_not_matter() -> None:
    result = classify_recurrence("liver")
    assert result.side_assumed is False
    assert "assumes" not in result.explanation.patient


# --- new primary? --------------------------------------------------------------------


def test_opposite_breast_is_flagged_not_guessed() -> None:
    result = classify_recurrence("breast", side="left", primary_side="right")
    assert result.kind == "new primary?"
    assert result.citation == NEW_PRIMARY_CITATION
    assert "biopsy" in result.explanation.patient
    assert "new, separate breast cancer" in result.explanation.patient
    assert "biopsy" in result.explanation.clinician


def test_opposite_side_node_says_why_it_is_distant() -> None:
    result = classify_recurrence("axilla", side="left", primary_side="right")
    assert "other side of the body" in result.explanation.patient
    assert "Opposite side" in result.explanation.clinician
    assert result.citation == DISTANT_CITATION


# --- timing --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (0, "0 days after remission"),
        (1, "1 day after remission"),
        (59, "59 days after remission"),
        (60, "about 2 months (60 days) after remission"),  # 60 / 30.4375 = 1.97
        ("400", "about 13 months (400 days) after remission"),  # 13.14
        (729, "about 24 months (729 days) after remission"),  # 23.95
        (730, "about 2.0 years (730 days) after remission"),  # 730 / 365.25 = 1.999
        (2000.0, "about 5.5 years (2000 days) after remission"),  # 5.476
    ],
)
def test_time_since_remission_text(days: int | float | str, text: str) -> None:
    assert classify_recurrence("liver", days_since_remission=days).time_since_remission == text


def test_no_time_text_without_days() -> None:
    assert classify_recurrence("liver").time_since_remission is None


def test_local_recurrence_mentions_the_usual_five_year_window() -> None:
    result = classify_recurrence("chest wall", days_since_remission=1826)
    assert "within the first five years after diagnosis" in result.explanation.clinician
    assert "more than five years" not in result.explanation.clinician


def test_local_recurrence_after_five_years_is_called_late() -> None:
    result = classify_recurrence("chest wall", days_since_remission=1827)
    assert "more than five years after remission" in result.explanation.clinician
    assert "can happen later" in result.explanation.patient


def test_five_year_note_only_for_local() -> None:
    result = classify_recurrence("liver", days_since_remission=3000)
    assert "five years" not in result.explanation.clinician


# --- sources -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organ", "citation"),
    [("breast", LOCAL_CITATION), ("axilla", REGIONAL_CITATION), ("liver", DISTANT_CITATION)],
)
def test_cites_the_founding_document(organ: str, citation: object) -> None:
    result = classify_recurrence(organ)
    assert result.citation == citation
    assert result.explanation.citation == citation
    assert result.citation.paper is FOUNDING_DOCUMENT
    assert str(citation) in result.explanation.clinician


def test_distant_also_points_to_greenberg() -> None:
    assert [c.paper for c in classify_recurrence("bone").see_also] == [GREENBERG_1996]
    assert classify_recurrence("breast").see_also == ()


def test_every_patient_text_points_to_the_care_team() -> None:
    for organ in ("breast", "axilla", "liver", "other breast"):
        assert "care team" in classify_recurrence(organ).explanation.patient


# --- invalid input -------------------------------------------------------------------


def test_unknown_organ_lists_the_known_sites() -> None:
    with pytest.raises(InvalidInput, match=r"organ: is 'spleen', not a known site") as caught:
        classify_recurrence("spleen")
    fix = caught.value.problems[0].fix
    assert "liver" in fix
    assert "axillary lymph nodes" in fix


def test_near_miss_is_not_guessed() -> None:
    with pytest.raises(InvalidInput, match=r"organ: is 'livre'"):
        classify_recurrence("livre")


@pytest.mark.parametrize(
    ("organ", "pattern"), [("", "organ: is missing"), ("  ", "organ: is missing")]
)
def test_empty_organ(organ: str, pattern: str) -> None:
    with pytest.raises(InvalidInput, match=pattern):
        classify_recurrence(organ)


@pytest.mark.parametrize(("organ", "pattern"), [(None, "is missing"), (3, "is not text")])
def test_organ_that_is_not_text(organ: object, pattern: str) -> None:
    with pytest.raises(InvalidInput, match=f"organ: {pattern}"):
        classify_recurrence(organ)  # type: ignore[arg-type]  # bad type on purpose


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        ({"side": "middle"}, r"side: is 'middle', not a side"),
        ({"primary_side": "both"}, r"primary_side: is 'both', not a side"),
        ({"side": 1}, r"side: is 1, not a side"),
        ({"days_since_remission": -1}, r"days_since_remission: is -1, not a whole number"),
        ({"days_since_remission": 2.5}, r"days_since_remission: is 2.5, not a whole number"),
        ({"days_since_remission": "soon"}, r"days_since_remission: is not a number"),
        ({"days_since_remission": float("nan")}, r"days_since_remission: is not a number"),
        ({"days_since_remission": True}, r"days_since_remission: is not a number"),
    ],
)
def test_invalid_arguments_name_the_field(changes: dict[str, object], pattern: str) -> None:
    with pytest.raises(InvalidInput, match=pattern):
        classify_recurrence("breast", **changes)  # type: ignore[arg-type]  # on purpose


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(InvalidInput, match="4 problems") as caught:
        classify_recurrence("spleen", side="up", primary_side="down", days_since_remission=-3)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["organ", "side", "primary_side", "days_since_remission"]


# --- the table as data ---------------------------------------------------------------


def _normal(word: str) -> str:
    return " ".join(word.replace("-", " ").replace("_", " ").split()).casefold()


def test_no_word_names_two_sites() -> None:
    words = [_normal(w) for site in SITES for w in (site.name, *site.synonyms)]
    assert len(words) == len(set(words))


def test_brief_synonyms_are_known() -> None:
    for word in (
        "bone",
        "bones",
        "spine",
        "vertebra",
        "liver",
        "hepatic",
        "lung",
        "lungs",
        "pulmonary",
        "pleura",
        "brain",
        "cns",
        "axilla",
        "axillary node",
        "supraclavicular",
        "internal mammary",
        "breast",
        "chest wall",
        "chest wall skin",
        "scar",
    ):
        assert find_site(word) is not None, word


@pytest.mark.parametrize("word", ["skin", "chest"])
def test_words_that_could_be_local_or_distant_are_not_guessed(word: str) -> None:
    # "skin" may be skin of the chest wall (local) or a skin metastasis anywhere
    # (distant); "chest" may be the chest wall or the lung or pleura.
    assert find_site(word) is None
    with pytest.raises(InvalidInput, match="not a known site"):
        classify_recurrence(word)


@pytest.mark.parametrize(
    ("organ", "side", "primary_side"),
    [
        ("ipsilateral breast", "right", "left"),
        ("contralateral axilla", "left", "left"),
        ("contralateral breast", "left", "left"),
    ],
)
def test_a_site_that_names_a_side_must_agree_with_the_sides(
    organ: str, side: str, primary_side: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        classify_recurrence(organ, side=side, primary_side=primary_side)
    [problem] = caught.value.problems
    assert problem.field == "side"
    assert f"but {organ!r} says the" in problem.message


def test_a_day_count_in_other_digits_is_refused() -> None:
    with pytest.raises(InvalidInput, match="days_since_remission"):
        classify_recurrence("scar", days_since_remission="１２")


def test_side_matters_only_for_breast_chest_and_regional_nodes() -> None:
    lateral = {site.name for site in SITES if site.other_side_kind is not None}
    assert lateral == {
        "breast",
        "chest wall",
        "skin of the chest wall",
        "mastectomy scar",
        "axillary lymph nodes",
        "supraclavicular lymph nodes",
        "infraclavicular lymph nodes",
        "internal mammary lymph nodes",
    }


def test_every_site_cites_the_founding_document() -> None:
    assert all(site.citation.paper is FOUNDING_DOCUMENT for site in SITES)


def test_a_site_can_be_added() -> None:
    spleen = Site("spleen", DISTANT, ("splenic",), DISTANT_CITATION)
    result = classify_recurrence("splenic", sites=(*SITES, spleen))
    assert (result.kind, result.site) == (DISTANT, "spleen")


def test_own_sites_listed_first_override_ours() -> None:
    skin_anywhere = Site("skin (any)", DISTANT, ("skin",), DISTANT_CITATION)
    result = classify_recurrence("skin", sites=(skin_anywhere, *SITES))
    assert result.kind is DISTANT


def test_find_site_unknown_is_none() -> None:
    assert find_site("spleen") is None


# --- properties ----------------------------------------------------------------------

ALL_WORDS = [(word, site) for site in SITES for word in (site.name, *site.synonyms)]


class TestProperties:
    """Matching ignores case, spacing, hyphens and underscores, and nothing else."""

    @given(
        pair=st.sampled_from(ALL_WORDS),
        upper=st.lists(st.booleans(), min_size=60, max_size=60),
        separator=st.sampled_from([" ", "  ", "-", "_", " - ", "\t"]),
        pad=st.sampled_from(["", " ", "  "]),
    )
    def test_any_spelling_of_a_listed_word_finds_its_site(
        self, pair: tuple[str, Site], upper: list[bool], separator: str, pad: str
    ) -> None:
        word, site = pair
        cased = "".join(c.upper() if up else c for c, up in zip(word, upper, strict=False))
        spelled = pad + separator.join(cased.split(" ")) + pad
        assert classify_recurrence(spelled).site == site.name

    @given(
        site=st.sampled_from([s for s in SITES if s.other_side_kind is not None]),
        sides=st.sampled_from([("left", "right"), ("right", "left")]),
    )
    def test_opposite_side_is_never_local_or_regional(
        self, site: Site, sides: tuple[str, str]
    ) -> None:
        result = classify_recurrence(site.name, side=sides[0], primary_side=sides[1])
        assert result.kind in {DISTANT, NEW}
