"""Best overall response: RECIST 1.1 section 4.4.3, Table 3, with admiralonco's options."""

import pytest

from remission import InvalidInput, Response, best_response

CR, PR, SD, PD, NE = "CR", "PR", "SD", "PD", "NE"


def bor(visits: list[tuple[int, str]], **options: object) -> Response:
    options.setdefault("confirmation_days", 28)
    options.setdefault("sd_min_days", 42)
    return best_response(visits, **options).response  # type: ignore[arg-type]


class TestTable3:
    """Table 3 (confirmation required): first and next time point → best response.

    "Minimum SD duration met" is the first assessment on or after day 42 here; the two
    assessments are 28 days apart, so a response at the first can be confirmed.
    """

    @pytest.mark.parametrize(
        ("first", "second", "met", "not_met"),
        [
            (CR, CR, CR, CR),
            (CR, PR, SD, PD),  # footnote a, the CR taken as real: the PR is PD
            (CR, SD, SD, PD),
            (CR, PD, SD, PD),
            (CR, NE, SD, NE),
            (PR, CR, PR, PR),
            (PR, PR, PR, PR),
            (PR, SD, SD, SD),
            (PR, PD, SD, PD),
            (PR, NE, SD, NE),
            (NE, NE, NE, NE),
        ],
    )
    def test_row(self, first: str, second: str, met: str, not_met: str) -> None:
        # "met": first assessment on day 42; "not met": on day 14, second on day 42 or 70.
        assert bor([(42, first), (70, second)]) is Response(met)
        assert bor([(14, first), (42, second)]) is Response(not_met)

    def test_cr_then_pr_is_flagged(self) -> None:
        result = best_response([(42, CR), (70, PR)], confirmation_days=28)
        assert result.warnings
        assert "Table 3 footnote" in result.warnings[0].source
        assert "record it as PR" in result.warnings[0].message


class TestDiseaseAfterCR:
    """Table 3 footnote a: disease seen after a real CR is PD at that point."""

    def test_counting_stops_at_the_implied_progression(self) -> None:
        # CR day 30 (SD window 28 met), SD day 60 → PD: the later PRs come after
        # progression and do not count, so the best response is SD, not PR.
        result = best_response(
            [(30, CR), (60, SD), (90, PR), (120, PR)], confirmation_days=28, sd_min_days=28
        )
        assert (result.response, result.day) == (Response.SD, 30)
        assert [c.counted_as for c in result.counted] == [Response.SD, Response.PD]
        assert "2 assessment(s) after the first PD were not counted" in (
            result.explanation.clinician
        )

    def test_a_pr_after_a_cr_confirms_nothing(self) -> None:
        # PR day 4, CR day 14, PR day 57 (confirmation 28, SD window 28): the PR on day
        # 57 is PD, so neither the PR nor the CR is confirmed, both fall before the SD
        # window (NE), and the best response is PD.
        result = best_response([(4, PR), (14, CR), (57, PR)], confirmation_days=28, sd_min_days=28)
        assert (result.response, result.day, result.confirmed_day) == (Response.PD, 57, None)

    def test_non_target_disease_back_after_a_cr_is_pd(self) -> None:
        result = best_response([(42, CR), (84, "NON-CR/NON-PD")], confirmation_days=None)
        assert [c.counted_as for c in result.counted] == [Response.CR, Response.PD]
        assert result.response is Response.CR

    def test_a_pr_that_saw_no_disease_is_not_disease_back(self) -> None:
        # Day 84: targets still gone, non-targets not evaluated: PR by Table 1, but no
        # disease was seen, so not PD; the CR still stands behind it, so the non-target
        # disease seen on day 126 is PD. Given as plain codes, a PR after a CR is PD.
        seen = [(42, CR), (84, PR), (126, "NON-CR/NON-PD")]
        result = best_response(seen, confirmation_days=None, unseen=[84])
        assert [c.counted_as for c in result.counted] == [Response.CR, Response.PR, Response.PD]
        plain = best_response(seen, confirmation_days=None)
        assert [c.counted_as for c in plain.counted] == [Response.CR, Response.PD]

    def test_a_cr_is_confirmed_across_a_pr_that_saw_no_disease(self) -> None:
        # CR day 56, day 84 targets still gone with non-targets not evaluated, CR day
        # 112 (≥ 28 days later): the CR is confirmed, as across an NE.
        visits = [(56, CR), (84, PR), (112, CR)]
        result = best_response(visits, confirmation_days=28, unseen=[84])
        assert (result.response, result.day, result.confirmed_day) == (Response.CR, 56, 112)
        as_ne = best_response([(56, CR), (84, NE), (112, CR)], confirmation_days=28)
        assert (as_ne.response, as_ne.confirmed_day) == (Response.CR, 112)

    @pytest.mark.parametrize(
        ("unseen", "message"),
        [([84], "day 84 is not a PR"), ([999], "999 is not the day of an assessment")],
    )
    def test_only_the_days_of_prs_can_have_seen_no_disease(
        self, unseen: list[int], message: str
    ) -> None:
        # An SD after a CR saw disease: it cannot be excused as "unseen".
        with pytest.raises(InvalidInput, match=message):
            best_response([(56, CR), (84, SD), (112, CR)], unseen=unseen)

    def test_unseen_days_may_come_as_any_iterable(self) -> None:
        visits = [(28, CR), (56, PR), (84, CR)]
        once = best_response(visits, confirmation_days=28, unseen=(d for d in [56]))
        assert (once.response, once.confirmed_day) == (Response.CR, 84)

    def test_ne_between_does_not_hide_the_cr(self) -> None:
        assert bor([(42, CR), (56, NE), (70, SD)]) is Response.SD
        assert bor([(14, CR), (28, NE), (42, SD)]) is Response.PD


class TestConfirmation:
    def test_issue_example(self) -> None:
        result = best_response(
            [(56, SD), (84, PR), (112, PR), (168, PD)], confirmation_days=28, sd_min_days=42
        )
        assert result.response is Response.PR
        assert (result.day, result.confirmed_day) == (84, 112)
        assert "day 84" in result.explanation.clinician
        assert "confirmed on day 112" in result.explanation.clinician

    def test_27_days_is_too_soon_28_is_enough(self) -> None:
        # admiralonco: "at least 28 days apart (without any +1)".
        assert bor([(56, PR), (83, PR)]) is Response.SD
        assert bor([(56, PR), (84, PR)]) is Response.PR

    def test_one_ne_may_lie_between(self) -> None:
        assert bor([(56, PR), (70, NE), (84, PR)]) is Response.PR
        assert bor([(56, PR), (63, NE), (70, NE), (84, PR)]) is Response.SD
        assert bor([(56, PR), (63, NE), (70, NE), (84, PR)], max_ne_between=2) is Response.PR

    def test_sd_between_needs_accept_sd(self) -> None:
        visits = [(56, PR), (70, SD), (84, PR)]
        assert bor(visits) is Response.SD
        assert bor(visits, accept_sd=True) is Response.PR

    def test_cr_confirmed_by_pr_is_not_a_cr(self) -> None:
        # CR needs a later CR; the later PR confirms nothing before it.
        assert bor([(56, CR), (84, PR)]) is Response.SD

    def test_pr_confirmed_by_cr(self) -> None:
        result = best_response([(56, PR), (84, CR)], confirmation_days=28)
        assert result.response is Response.PR
        assert result.confirmed_day == 84


class TestNonTargetOnly:
    """Without target lesions there is no SD: RECIST 1.1 Table 2 footnote (NON-CR/NON-PD)."""

    def test_an_unconfirmed_cr_counts_as_non_cr_non_pd(self) -> None:
        # CR on day 42, the next CR only 14 days later: not confirmed. With targets that is
        # SD (Table 3, row CR/CR not confirmed); without them, NON-CR/NON-PD.
        visits = [(42, CR), (56, CR)]
        assert bor(visits) is Response.SD
        without = Response.NON_CR_NON_PD
        assert bor(visits, stable=without) is Response.NON_CR_NON_PD
        assert bor([(42, CR), (84, PD)], stable=without) is Response.NON_CR_NON_PD
        assert bor([(28, CR), (35, CR)], stable=without) is Response.NE  # before day 42

    def test_recorded_non_cr_non_pd_means_no_targets(self) -> None:
        assert bor([(42, "NON-CR/NON-PD"), (56, CR), (70, CR)]) is Response.NON_CR_NON_PD

    def test_a_series_without_targets(self) -> None:
        from remission import Visit, classify_series

        s = classify_series(
            [Visit(0, non_target="present"), Visit(42, non_target="absent")],
            criteria="recist1.1",
            confirmation_days=28,
            sd_min_days=42,
        )
        assert s.best_response.response is Response.NON_CR_NON_PD


class TestWithoutConfirmation:
    def test_best_time_point(self) -> None:
        assert bor([(56, SD), (84, PR), (112, PD)], confirmation_days=None) is Response.PR

    def test_sd_too_early_is_ne(self) -> None:
        assert bor([(28, SD)], confirmation_days=None) is Response.NE
        assert bor([(42, SD)], confirmation_days=None) is Response.SD
        assert bor([(41, SD)], confirmation_days=None) is Response.NE

    def test_non_cr_non_pd_needs_the_window_too(self) -> None:
        assert bor([(41, "NON-CR/NON-PD")], confirmation_days=None) is Response.NE
        assert bor([(42, "NON-CR/NON-PD")], confirmation_days=None) is Response.NON_CR_NON_PD

    def test_after_pd_nothing_counts(self) -> None:
        result = best_response([(42, PD), (84, PR), (112, PR)])
        assert result.response is Response.PD
        assert "2 assessment(s) after the first PD were not counted" in result.explanation.clinician

    def test_ties_go_to_the_earliest(self) -> None:
        result = best_response([(56, PR), (84, PR)])
        assert result.day == 56

    def test_no_assessments(self) -> None:
        assert best_response([]).response is Response.NE


class TestBadInput:
    @pytest.mark.parametrize("count", [-1, 1.5, True])
    def test_max_ne_between_is_a_count_of_0_or_more(self, count: object) -> None:
        with pytest.raises(InvalidInput, match="max_ne_between"):
            best_response([(56, PR), (84, PR)], max_ne_between=count)  # type: ignore[arg-type]

    def test_all_problems_at_once(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            best_response([(10, "XR"), (5, "PR"), ("a", "SD")])  # type: ignore[list-item]
        text = str(caught.value)
        assert "3 problems" in text
        assert "'XR' is not a response code" in text
        assert "assessment 2, day: day 5 is not after day 10" in text
        assert "'a' is not a whole number" in text

    @pytest.mark.parametrize("day", [0, -3])
    def test_an_assessment_on_or_before_baseline_is_refused(self, day: int) -> None:
        with pytest.raises(InvalidInput) as caught:
            best_response([(day, "PR"), (56, "PR")])
        (problem,) = caught.value.problems
        assert (problem.where, problem.field) == ("assessment 1", "day")
        assert problem.message == f"day {day} is not after baseline (day 0)"

    def test_the_first_day_after_baseline_is_accepted(self) -> None:
        assert best_response([(1, "SD")], sd_min_days=1).response is Response.SD


@pytest.mark.parametrize(
    ("options", "field"),
    [
        ({"confirmation_days": -100}, "confirmation_days"),
        ({"confirmation_days": True}, "confirmation_days"),
        ({"confirmation_days": "28"}, "confirmation_days"),
        ({"sd_min_days": "x"}, "sd_min_days"),
        ({"accept_sd": "no"}, "accept_sd"),
        ({"unseen": 56}, "unseen"),
    ],
)
def test_bad_options_are_problems_not_crashes(options: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        best_response([(28, CR), (56, PR)], **options)  # type: ignore[arg-type]
    assert [p.field for p in caught.value.problems] == [field]


def test_patient_words_do_not_reassure_after_progression() -> None:
    # CR on day 56 (confirmed on day 84), PD on day 112: the best response is CR (Table 3),
    # but the patient is told it was the best result then, and that the cancer has grown.
    b = best_response([(56, "CR"), (84, "CR"), (112, "PD")], confirmation_days=28)
    assert b.response is Response.CR
    assert b.explanation.patient == (
        "Looking at all the visits together, the best result was on day 56: no measurable "
        "tumour could be seen (complete remission). It is not the result now: later, on day "
        "112, the cancer had grown or spread. Your care team will explain what this means "
        "for you."
    )


def test_patient_words_of_a_best_result_that_is_the_latest() -> None:
    b = best_response([(56, "SD"), (112, "PR")])
    assert b.explanation.patient == (
        "Looking at all the visits together, the best result was on day 112: the tumours had "
        "shrunk clearly, but had not gone (partial remission)."
    )


def test_patient_words_of_an_unconfirmed_pr() -> None:
    # PR on day 42 not confirmed (SD on day 56): best response SD (Table 3), but the
    # patient is told the tumours had shrunk that day, and why it counts only as SD.
    b = best_response([(42, "PR"), (56, "SD")], confirmation_days=28)
    assert b.response is Response.SD
    assert b.explanation.patient.startswith(
        "Looking at all the visits together, the best result was on day 42: the tumours had "
        "shrunk clearly, but had not gone (partial remission). It does not count as a "
        "remission because no later scan has confirmed it. It is not the result now: "
    )


def test_patient_words_name_the_progression_not_what_came_after_it() -> None:
    # Nothing after the first PD counts (section 4.4.3); the patient hears of the PD.
    b = best_response([(56, "PR"), (112, "PR"), (168, "PD"), (224, "SD")], confirmation_days=28)
    assert b.explanation.patient.endswith(
        "It is not the result now: later, on day 168, the cancer had grown or spread. Your "
        "care team will explain what this means for you."
    )


def test_patient_words_after_a_visit_that_saw_nothing() -> None:
    # After a CR, targets still gone and non-targets not evaluated (PR by Table 1) shows
    # no disease: the patient is not told the tumours "had not gone".
    b = best_response([(56, "CR"), (112, "CR"), (168, "PR")], confirmation_days=28, unseen=[168])
    assert b.response is Response.CR
    assert "had not gone" not in b.explanation.patient
    assert b.explanation.patient.endswith(
        "The latest assessment, on day 168, could not show how things are now. Your care "
        "team will explain what this means for you."
    )


def test_patient_words_when_disease_came_back_after_a_cr() -> None:
    # CR on day 28, PR on day 56: disease seen again after a CR is PD (Table 3 footnote
    # a); the patient is told so, not that a partial remission was the best result.
    b = best_response([(28, "CR"), (56, "PR")], confirmation_days=28, sd_min_days=42)
    assert b.response is Response.PD
    assert b.explanation.patient == (
        "Looking at all the visits together, there is no response to report: on day 56, "
        "disease was seen again after it had gone, which counts as the cancer growing. Your "
        "care team will explain what this means for you."
    )


def test_patient_words_of_a_later_unconfirmed_cr() -> None:
    b = best_response([(28, "PR"), (56, "CR")], confirmation_days=28)
    assert b.explanation.patient.endswith(
        "at the latest assessment, on day 56, no measurable tumour could be seen (complete "
        "remission), not yet confirmed by a later scan. Your care team will explain what "
        "this means for you."
    )


def test_patient_words_of_a_result_too_early_to_count() -> None:
    b = best_response([(28, "SD"), (35, "PD")], sd_min_days=42)
    assert b.response is Response.PD
    b = best_response([(28, "SD")], sd_min_days=42)
    assert b.explanation.patient == (
        "Looking at all the visits together, the best result was on day 28: the tumours had "
        "neither shrunk nor grown enough to count as a change. It does not count because it "
        "came too soon after the start of treatment."
    )


def test_patient_words_of_a_cr_with_no_later_scan_yet() -> None:
    # Non-target disease only, gone on day 56, no later scan: NON-CR/NON-PD by Table 3
    # (Table 2 footnote), told without saying disease is there.
    b = best_response([(56, "CR")], confirmation_days=28, stable=Response.NON_CR_NON_PD)
    assert b.response is Response.NON_CR_NON_PD
    assert b.explanation.patient == (
        "Looking at all the visits together, the best result was on day 56: no measurable "
        "tumour could be seen (complete remission). It does not count as a remission because "
        "no later scan has confirmed it."
    )
