"""The engine against the papers' rules and worked examples, boundaries on both sides.

Expected values are worked out by hand in the comments from the papers' definitions.
"""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import remission
from remission import InvalidInput, Lesion, Response, Visit, classify, classify_series, compare


def recist(baseline: list[float], follow_up: list[object], **kwargs: object) -> Response:
    return classify(baseline, follow_up, criteria="recist1.1", **kwargs).response  # type: ignore[arg-type]


class TestRecist11Boundaries:
    """RECIST 1.1 section 4.3.1: PR ≥ 30 % below baseline; PD ≥ 20 % and ≥ 5 mm above nadir."""

    def test_exactly_30_percent_is_pr(self) -> None:
        # 33 × 0.7 = 23.1 exactly; a float comparison gets this wrong.
        assert recist([33], [23.1]) is Response.PR

    def test_29_9_percent_is_sd(self) -> None:
        # 100 → 70.1 is −29.9 %.
        assert recist([100], [70.1]) is Response.SD

    def test_exactly_30_percent_with_two_lesions(self) -> None:
        # 46 + 0 → 32.2: 46 × 0.7 = 32.2.
        assert recist([30, 16], [22.2, 10]) is Response.PR

    def test_exactly_20_percent_and_5_2_mm_is_pd(self) -> None:
        # nadir 26 → 31.2: +20 % exactly, +5.2 mm.
        assert recist([40], [31.2], nadir_mm=26) is Response.PD

    def test_just_under_20_percent_is_not_pd(self) -> None:
        # nadir 26 → 31.19: +19.96 %.
        assert recist([40], [31.19], nadir_mm=26) is Response.SD

    def test_20_percent_but_under_5_mm_is_not_pd(self) -> None:
        # nadir 20 → 24: +20 % but only +4 mm.
        assert recist([40], [24], nadir_mm=20) is Response.PR

    def test_exactly_5_mm_and_20_percent_is_pd(self) -> None:
        # nadir 25 → 30: +20 % and +5 mm exactly.
        assert recist([40], [30], nadir_mm=25) is Response.PD

    def test_4_9_mm_is_not_pd(self) -> None:
        # nadir 24.5 → 29.4: +20 % exactly but +4.9 mm.
        assert recist([40], [29.4], nadir_mm=24.5) is Response.SD

    def test_issue_example(self) -> None:
        # 52 + 31 = 83 → 20 + 11 = 31: (31 − 83) / 83 = −62.65 %.
        r = classify([52.0, 31.0], [20.0, 11.0], criteria="recist1.1")
        assert r.response is Response.PR
        assert r.percent_change == pytest.approx(-62.6506, abs=1e-4)
        assert r.sum_mm == 31
        assert r.baseline_sum_mm == 83
        assert r.change_from_baseline == Fraction(-52, 83)

    def test_nadir_not_baseline_is_the_reference_for_pd(self) -> None:
        # baseline 100, nadir 50 → 60: +20 %, +10 mm: PD although 40 % below baseline.
        assert recist([100], [60], nadir_mm=50) is Response.PD


class TestRecist11Lesions:
    def test_node_below_10_mm_is_complete(self) -> None:
        # Node 20 → 9.9 mm short axis: normal, so CR though the sum is 9.9.
        r = classify([Lesion(20, node=True)], [9.9], criteria="recist1.1")
        assert r.response is Response.CR
        assert r.sum_mm == pytest.approx(9.9)

    def test_node_at_10_mm_is_not_complete(self) -> None:
        # 10 mm is not < 10 mm; 10 ≤ 14 (70 % of 20) is PR.
        assert recist([Lesion(20, node=True)], [10]) is Response.PR  # type: ignore[list-item]

    def test_non_nodal_lesion_must_be_zero(self) -> None:
        assert recist([20], [0]) is Response.CR
        assert recist([20], [1]) is Response.PR

    def test_too_small_is_5_mm_not_complete(self) -> None:
        # Section 4.3.2: too small to measure = 5 mm; 20 → 5 is PR, not CR.
        r = classify([20], [remission.TOO_SMALL], criteria="recist1.1")
        assert r.response is Response.PR
        assert r.sum_mm == 5

    def test_missing_target_is_ne(self) -> None:
        assert recist([20, 20], [10, None]) is Response.NE

    def test_no_target_measured_has_no_sum(self) -> None:
        # Nothing measured is not 0 mm (which would read as every lesion gone): NE, no sum.
        r = classify([30], [None], criteria="recist1.1", non_target="present")
        assert (r.response, r.sum_mm, r.percent_change) == (Response.NE, None, None)
        assert "no target lesion was measured at this visit" in r.explanation.numbers

    def test_missing_target_but_pd_anyway(self) -> None:
        # Section 4.4.2 example: baseline 50 mm in 3 lesions; 2 lesions now 80 mm: PD.
        assert recist([20, 20, 10], [40, 40, None]) is Response.PD

    def test_reappearance_after_cr_is_pd(self) -> None:
        # Nadir 0 = all gone: a lesion back at 3 mm is PD, though +3 mm < 5 mm.
        r = classify([20], [3], nadir_mm=0, criteria="recist1.1")
        assert r.response is Response.PD
        assert r.percent_change_nadir is None
        assert r.rule == remission.get_criteria("recist1.1").reappearance

    @pytest.mark.parametrize(
        ("back_mm", "expected"), [(3, Response.PR), (4.9, Response.PR), (5, Response.PD)]
    )
    def test_a_zero_nadir_with_non_targets_present_is_judged_by_the_pd_rule(
        self, back_mm: float, expected: Response
    ) -> None:
        # Non-target disease present now: no CR was reached (overall PR), so the target
        # back from 0 mm is PD only at +5 mm (RECIST 1.1 4.3.1; FAQ), as in a series.
        r = classify([30], [back_mm], nadir_mm=0, criteria="recist1.1", non_target="present")
        assert r.response is expected

    def test_reappearance_in_a_series(self) -> None:
        s = classify_series(
            [Visit(0, {"T1": 20}), Visit(56, {"T1": 0}), Visit(112, {"T1": 4})],
            criteria="recist1.1",
        )
        assert [v.response for v in s.visits] == [Response.CR, Response.PD]

    def test_reappearance_after_target_cr_but_overall_pr_is_not_automatic(self) -> None:
        # FAQ: reappearance is PD only after an overall CR; here non-targets persisted
        # (overall PR), so the lesion is added to the sum: 3 mm vs baseline 20: PR.
        s = classify_series(
            [
                Visit(0, {"T1": 20}, non_target="present"),
                Visit(56, {"T1": 0}, non_target="present"),
                Visit(112, {"T1": 3}, non_target="present"),
            ],
            criteria="recist1.1",
        )
        assert [v.response for v in s.visits] == [Response.PR, Response.PR]

    def test_after_a_cr_non_targets_not_evaluated_are_not_disease_back(self) -> None:
        # Targets still gone, non-targets not evaluated, no new lesion: PR by Table 1
        # (CR / NE / No), not PD: Table 3 footnote a needs disease seen again. The CR
        # still stands behind it: non-target disease seen at day 168 is PD.
        s = classify_series(
            [
                Visit(0, {"T1": 10, "T2": 20}, non_target="present"),
                Visit(56, {"T1": 0, "T2": 0}, non_target="absent"),
                Visit(112, {"T1": 0, "T2": 0}, non_target="not-assessed"),
                Visit(168, {"T1": 0, "T2": 0}, non_target="present"),
            ],
            criteria="recist1.1",
        )
        assert [v.response for v in s.visits] == [Response.CR, Response.PR, Response.PD]
        assert s.visits[2].rule == remission.get_criteria("recist1.1").disease_back
        one = classify(
            [10, 20], [0, 0], nadir_mm=0, criteria="recist1.1", non_target="not-assessed"
        )
        assert one.response is Response.PR

    @pytest.mark.parametrize(
        ("size", "expected"), [(4.9, Response.PR), (5, Response.PD), (45, Response.PD)]
    )
    def test_regrowth_from_a_zero_nadir_is_pd_from_5_mm(
        self, size: float, expected: Response
    ) -> None:
        # Targets all gone at day 56 (nadir 0) while non-targets persist (overall PR).
        # Any sum above 0 is more than 20 % above it, so section 4.3.1's 5 mm decides:
        # 5 mm is +5 mm: PD; 4.9 mm is not PD, and PR holds (FAQ). 45 mm was once called
        # PR here; it is +45 mm over the nadir and +125 % over the 20 mm baseline.
        s = classify_series(
            [
                Visit(0, {"T1": 20}, non_target="present"),
                Visit(56, {"T1": 0}, non_target="present"),
                Visit(112, {"T1": size}, non_target="present"),
            ],
            criteria="recist1.1",
        )
        assert [v.response for v in s.visits] == [Response.PR, expected]

    def test_node_back_to_10_mm_after_cr_is_pd(self) -> None:
        # FAQ 'Abnormal lymph node': < 10 mm (CR) then ≥ 10 mm after an overall CR: PD.
        visits = [
            Visit(0, {"N1": Lesion(20, node=True)}),
            Visit(56, {"N1": 8}),
            Visit(112, {"N1": 10}),
        ]
        s = classify_series(visits, criteria="recist1.1")
        assert [v.response for v in s.visits] == [Response.CR, Response.PD]
        visits[2] = Visit(112, {"N1": 9.9})
        s = classify_series(visits, criteria="recist1.1")
        assert [v.response for v in s.visits] == [Response.CR, Response.CR]

    @pytest.mark.parametrize(("back", "flagged"), [(12.9, True), (13, False)])
    def test_a_node_back_by_less_than_5_mm_is_pd_with_a_warning(
        self, back: float, flagged: bool
    ) -> None:
        # Table 3 footnote a: PD. The FAQ: a node grown this little (8 → 12.9 mm: +4.9 mm)
        # should be re-assessed at the next scan; from 8 → 13 mm (+5 mm) no warning.
        visits = [
            Visit(0, {"N1": Lesion(20, node=True)}),
            Visit(56, {"N1": 8}),
            Visit(112, {"N1": back}),
        ]
        last = classify_series(visits, criteria="recist1.1").visits[-1]
        assert last.response is Response.PD
        warned = [str(w) for w in last.warnings if "re-assess at the next scan" in str(w)]
        assert warned == (
            [
                "day 112: progression after a complete response rests on lymph nodes grown by "
                f"less than 5 mm (N1 8 → {back:g} mm): re-assess at the next scan before acting "
                "on it (RECIST Working Group FAQ, 'Abnormal lymph node')"
            ]
            if flagged
            else []
        )

    def test_pr_holds_until_pd(self) -> None:
        # RECIST FAQ: 100 → 70 → 80 → 80 is PR, PR, PR; 84 is +20 % and +14 mm over 70: PD.
        s = classify_series(
            [
                Visit(0, {"T1": 100}),
                Visit(56, {"T1": 70}),
                Visit(112, {"T1": 80}),
                Visit(168, {"T1": 80}),
                Visit(224, {"T1": 84}),
            ],
            criteria="recist1.1",
        )
        assert [v.response for v in s.visits] == [
            Response.PR,
            Response.PR,
            Response.PR,
            Response.PD,
        ]

    def test_a_pr_holds_only_once_confirmed_when_confirmation_is_required(self) -> None:
        # The FAQ's hold applies "after PR is assigned (and confirmed if required)".
        # 100 → 68 (day 42, −32 %: PR) → 75 (day 70: −25 %, +10.3 % over 68: SD). With
        # confirmation required the PR is not yet confirmed: SD, and best response SD.
        visits = [Visit(0, {"T1": 100}), Visit(42, {"T1": 68}), Visit(70, {"T1": 75})]

        def confirmed(visits: list[Visit]) -> remission.Series:
            return classify_series(
                visits, criteria="recist1.1", confirmation_days=28, sd_min_days=42
            )

        s = confirmed(visits)
        assert [v.response for v in s.visits] == [Response.PR, Response.SD]
        assert (s.best_response.response, s.best_response.confirmed_day) == (Response.SD, None)
        # Confirmed on day 70 (68 → 68, 28 days on), the hold applies at day 112 (75 mm).
        visits[2] = Visit(70, {"T1": 68})
        s = confirmed([*visits, Visit(112, {"T1": 75})])
        assert [v.response for v in s.visits] == [Response.PR] * 3
        # Without confirmation (RECIST 1.1's default), the hold applies at once.
        s = classify_series(
            [Visit(0, {"T1": 100}), Visit(42, {"T1": 68}), Visit(70, {"T1": 75})],
            criteria="recist1.1",
        )
        assert [v.response for v in s.visits] == [Response.PR, Response.PR]

    def test_the_hold_confirms_a_pr_as_the_best_response_does(self) -> None:
        # Table 3 confirmation with at most max_ne_between NEs between. 100 + 10 mm at
        # baseline (110); day 28: 60 + 5 = 65 (−40.9 %, PR); day 42: B not measured (NE);
        # day 56: 65 again (PR); day 84: 70 + 7.5 = 77.5 (−29.5 % from 110, +19.2 % over
        # the nadir 65: SD). With no NE allowed between, day 28 is not confirmed by day 56,
        # so nothing holds day 84: SD, and the best response is SD (PR then SD: Table 3).
        visits = [
            Visit(0, {"A": 100, "B": 10}),
            Visit(28, {"A": 60, "B": 5}),
            Visit(42, {"A": 60, "B": None}),
            Visit(56, {"A": 60, "B": 5}),
            Visit(84, {"A": 70, "B": 7.5}),
        ]

        def series(max_ne_between: int) -> remission.Series:
            return classify_series(
                visits, criteria="recist1.1", confirmation_days=28, max_ne_between=max_ne_between
            )

        s = series(max_ne_between=0)
        assert [v.response for v in s.visits] == [
            Response.PR,
            Response.NE,
            Response.PR,
            Response.SD,
        ]
        assert s.best_response.response is Response.SD
        # One NE allowed: day 28 is confirmed on day 56 (28 days on), and day 84 holds PR.
        s = series(max_ne_between=1)
        assert [v.response for v in s.visits][-1] is Response.PR
        assert (s.best_response.response, s.best_response.confirmed_day) == (Response.PR, 56)

    def test_the_hold_confirms_across_an_accepted_sd(self) -> None:
        # 100 → 60 (day 28, PR) → 71 (day 42: −29 %, SD) → 60 (day 56, PR) → 71 (day 84).
        # accept_sd lets one SD lie between a PR and its confirmation: day 28 is confirmed
        # on day 56, so day 84 (−29 %, +18.3 % over 60) holds as PR. Without it, the SD
        # ends the run and day 84 is SD.
        visits = [
            Visit(d, {"T1": x}) for d, x in [(0, 100), (28, 60), (42, 71), (56, 60), (84, 71)]
        ]
        s = classify_series(visits, criteria="recist1.1", confirmation_days=28, accept_sd=True)
        assert [v.response for v in s.visits] == [
            Response.PR,
            Response.SD,
            Response.PR,
            Response.PR,
        ]
        assert (s.best_response.response, s.best_response.confirmed_day) == (Response.PR, 56)
        s = classify_series(visits, criteria="recist1.1", confirmation_days=28)
        assert [v.response for v in s.visits] == [
            Response.PR,
            Response.SD,
            Response.PR,
            Response.SD,
        ]
        assert s.best_response.response is Response.SD

    def test_disease_seen_again_after_a_complete_response_is_progression(self) -> None:
        # Table 3 footnote a: after a CR, non-target disease present again is PD at that
        # point (not PR by Table 1), and so is a later target regrowth.
        s = classify_series(
            [
                Visit(0, {"T1": 20}, non_target="present"),
                Visit(56, {"T1": 0}, non_target="absent"),
                Visit(84, {"T1": 0}, non_target="absent"),
                Visit(112, {"T1": 0}, non_target="present"),
            ],
            criteria="recist1.1",
        )
        assert [v.response for v in s.visits] == [Response.CR, Response.CR, Response.PD]
        assert s.visits[-1].rule.text.startswith("PD: disease seen again after a complete")
        # Non-target disease only: CR, then present again: PD, not NON-CR/NON-PD.
        s = classify_series(
            [
                Visit(0, non_target="present"),
                Visit(56, non_target="absent"),
                Visit(112, non_target="present"),
            ],
            criteria="recist1.1",
        )
        assert [v.response for v in s.visits] == [Response.CR, Response.PD]

    @pytest.mark.parametrize(
        ("criteria", "expected"),
        [("recist1.1", Response.NON_CR_NON_PD), ("who", Response.SD), ("recist1.0", Response.SD)],
    )
    def test_an_unconfirmed_cr_without_targets_falls_back_to_the_criteria_word(
        self, criteria: str, expected: Response
    ) -> None:
        # Non-target disease only, gone at day 56, not seen again 28 days later: the CR is
        # not confirmed. RECIST 1.1 has no SD without targets (Table 2 footnote); WHO and
        # RECIST 1.0 call it SD (their tables have no NON-CR/NON-PD).
        s = classify_series(
            [Visit(0, non_target="present"), Visit(56, non_target="absent")],
            criteria=criteria,
            confirmation_days=28,
            sd_min_days=42,
        )
        assert s.best_response.response is expected

    def test_pr_hold_can_be_switched_off_for_time_point_rules(self) -> None:
        # A protocol that reads section 4.3.1 per time point: 80 mm is −20 % from 100
        # (not PR) and +14.3 % over the nadir 70 (not PD), so SD.
        per_time_point = replace(remission.get_criteria("recist1.1"), holds_response=None)
        visits = [Visit(0, {"T1": 100}), Visit(56, {"T1": 70}), Visit(112, {"T1": 80})]
        s = classify_series(visits, criteria=per_time_point)
        assert [v.response for v in s.visits] == [Response.PR, Response.SD]

    def test_nadir_is_the_smallest_previous_sum(self) -> None:
        s = classify_series(
            [Visit(0, {"T1": 50}), Visit(56, {"T1": 40}), Visit(112, {"T1": 45})],
            criteria="recist1.1",
        )
        assert s.visits[0].nadir_mm == 50
        assert s.visits[1].nadir_mm == 40
        # 45 vs nadir 40: +12.5 %: SD; vs baseline −10 %.
        assert s.visits[1].response is Response.SD
        assert s.visits[1].percent_change_nadir == pytest.approx(12.5)

    def test_incomplete_visits_do_not_set_the_nadir(self) -> None:
        s = classify_series(
            [
                Visit(0, {"T1": 50, "T2": 50}),
                Visit(56, {"T1": 10, "T2": None}),
                Visit(112, {"T1": 40, "T2": 45}),
            ],
            criteria="recist1.1",
        )
        assert s.visits[1].nadir_mm == 100


class TestIssueContract:
    def test_series_example(self) -> None:
        # The public-API example: 83 → 31 (PR), then T2 not assessed but a new lesion: PD.
        visits = [
            Visit(day=0, targets={"T1": 52.0, "T2": 31.0}),
            Visit(day=56, targets={"T1": 20.0, "T2": 11.0}, non_target="present"),
            Visit(day=112, targets={"T1": 18.0, "T2": None}, new_lesions=True),
        ]
        s = classify_series(visits, criteria="recist1.1", confirmation_days=28, sd_min_days=42)
        assert [v.response for v in s.visits] == [Response.PR, Response.PD]
        assert s.visits[0].non_target_response is Response.NON_CR_NON_PD
        assert s.visits[1].non_target_response is Response.NE
        # PR on day 56 is not confirmed (the next assessment is PD): SD (day 56 ≥ 42).
        assert s.best_response.response is Response.SD


class TestSplitAndMerged:
    """RECIST 1.1 section 4.3.2: fragments are summed; a merged lesion is recorded as 0."""

    def test_split_lesion_sums_its_fragments(self) -> None:
        # 30 + 20 = 50 → fragments 12 + 10 of T1, T2 at 13: 35 → −30 % exactly: PR.
        r = classify([30, 20], [Lesion(None, fragments_mm=(12, 10)), 13], criteria="recist1.1")
        assert r.sum_mm == 35
        assert r.response is Response.PR
        assert "split into 2 fragments" in r.explanation.lesions

    def test_merged_lesion_is_zero_and_named(self) -> None:
        r = classify([30, 20], [45, Lesion(0, merged_into="T1")], criteria="recist1.1")
        assert r.sum_mm == 45
        assert r.response is Response.SD
        assert "merged into T1" in r.explanation.lesions

    def test_a_merger_names_another_target_and_comes_after_baseline(self) -> None:
        with pytest.raises(InvalidInput, match="'T9' is not another target lesion"):
            classify([30, 20], [45, Lesion(0, merged_into="T9")])
        with pytest.raises(InvalidInput, match="splits or merges only after baseline"):
            classify([Lesion(30, fragments_mm=(20, 10)), 20], [45, 10])

    def test_a_split_is_given_by_its_fragments_alone(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            classify(
                [30, 20, 10],
                [
                    Lesion(50, fragments_mm=(12, 10)),
                    Lesion(None, perpendicular_mm=9, fragments_mm=(12, 10), merged_into="T3"),
                    Lesion(None, fragments_mm=(12,)),
                ],
            )
        assert [(p.where.split(" at")[0], p.field) for p in caught.value.problems] == [
            ("lesion T1", "size_mm"),
            ("lesion T2", "perpendicular_mm"),
            ("lesion T2", "merged_into"),
            ("lesion T3", "fragments_mm"),
        ]

    def test_a_merged_lesion_of_0_0_mm_is_fine_and_a_perpendicular_is_not(self) -> None:
        r = classify([30, 20], [45, Lesion("0.0", merged_into="T1")], criteria="recist1.1")
        assert r.sum_mm == 45
        with pytest.raises(InvalidInput, match="perpendicular_mm"):
            classify([30, 20], [45, Lesion(0, perpendicular_mm=10, merged_into="T1")])

    def test_merged_lesion_with_a_size_is_an_error(self) -> None:
        with pytest.raises(InvalidInput, match="record a merged lesion as 0 mm"):
            classify([30, 20], [45, Lesion(12, merged_into="T1")])


class TestRecurrence:
    """Disease back after a complete response is named by site (founding document)."""

    def test_a_lymph_node_back_after_cr_is_a_regional_recurrence(self) -> None:
        # Node 20 → 6 mm (normal, < 10 mm) with the liver gone: CR. Back to 25 mm: PD,
        # and the node that came back (not the liver, still 0) names the recurrence.
        s = classify_series(
            [
                Visit(
                    0,
                    {"T1": Lesion(30, organ="liver"), "T2": Lesion(20, node=True, organ="axilla")},
                ),
                Visit(56, {"T1": 0, "T2": 6}),
                Visit(120, {"T1": 0, "T2": 25}),
            ],
            criteria="recist1.1",
        )
        assert [v.response for v in s.visits] == [Response.CR, Response.PD]
        assert s.visits[-1].recurrence == "recurrence — regional (axillary lymph nodes)"

    def test_one_site_written_three_ways_is_named_once(self) -> None:
        s = classify_series(
            [
                Visit(0, {"T1": 30}),
                Visit(56, {"T1": 0}),
                Visit(
                    140, {"T1": 0}, new_lesions=True, new_lesion_sites=("bone", "Bones", "spine")
                ),
            ],
            criteria="recist1.1",
        )
        assert s.visits[-1].recurrence == "recurrence — distant (bone)"

    def test_an_unreadable_primary_side_is_refused_at_the_call(self) -> None:
        with pytest.raises(InvalidInput, match="primary_side"):
            classify_series([Visit(0, {"T1": 30}), Visit(56, {"T1": 20})], primary_side="middle")

    def test_new_lesion_in_bone_after_cr(self) -> None:
        s = classify_series(
            [
                Visit(0, {"T1": Lesion(30, organ="breast")}),
                Visit(56, {"T1": 0}),
                Visit(140, {"T1": 0}, new_lesions=True, new_lesion_sites=("bone",)),
            ],
            criteria="recist1.1",
        )
        last = s.visits[-1]
        assert last.response is Response.PD
        assert last.recurrence == "recurrence — distant (bone)"
        assert last.recurrences[0].time_since_remission is not None
        assert "84 days" in last.recurrences[0].time_since_remission
        assert "distant recurrence" in last.explanation.patient.lower()

    def test_reappearing_lesion_uses_its_organ(self) -> None:
        s = classify_series(
            [
                Visit(0, {"T1": Lesion(30, organ="chest wall")}),
                Visit(56, {"T1": 0}),
                Visit(112, {"T1": 6}),
            ],
            criteria="recist1.1",
        )
        assert s.visits[-1].recurrence == "recurrence — local (chest wall)"

    def test_no_recurrence_without_a_prior_cr(self) -> None:
        s = classify_series(
            [
                Visit(0, {"T1": 30}),
                Visit(56, {"T1": 10}),
                Visit(112, {"T1": 10}, new_lesions=True, new_lesion_sites=("liver",)),
            ]
        )
        assert s.visits[-1].response is Response.PD
        assert s.visits[-1].recurrences == ()

    def test_unknown_site_is_a_warning_not_an_error(self) -> None:
        s = classify_series(
            [
                Visit(0, {"T1": 30}),
                Visit(56, {"T1": 0}),
                Visit(112, {"T1": 0}, new_lesions=True, new_lesion_sites=("elbow",)),
            ]
        )
        assert s.visits[-1].response is Response.PD
        assert any("elbow" in str(w) for w in s.visits[-1].warnings)


class TestOverall:
    def test_new_lesion_is_pd(self) -> None:
        assert recist([20], [0], new_lesions=True) is Response.PD

    def test_non_target_progression_is_pd(self) -> None:
        assert recist([20], [5], non_target="progression") is Response.PD

    def test_target_cr_with_non_target_present_is_pr(self) -> None:
        assert recist([20], [0], non_target="present") is Response.PR

    def test_target_cr_with_non_target_not_assessed_is_pr(self) -> None:
        assert recist([20], [0], non_target="not-assessed") is Response.PR

    def test_non_target_only(self) -> None:
        assert recist([], [], non_target="present") is Response.NON_CR_NON_PD
        assert recist([], [], non_target="absent") is Response.CR
        assert classify([], [], non_target="present").response is Response.SD


class TestBasic:
    """The founding document: ≥ 50 % smaller is partial; ≥ 25 % above the smallest is PD."""

    def test_exactly_half_is_partial(self) -> None:
        assert classify([100], [50]).response is Response.PR

    def test_just_over_half_is_stable(self) -> None:
        assert classify([100], [50.1]).response is Response.SD

    def test_25_percent_growth_from_baseline_is_progressive(self) -> None:
        assert classify([40], [50]).response is Response.PD
        assert classify([40], [49.9]).response is Response.SD

    def test_25_percent_from_the_smallest_previous(self) -> None:
        # nadir 20 → 25: +25 %.
        assert classify([40], [25], nadir_mm=20).response is Response.PD
        # 24.9 is +24.5 % over the nadir, and −37.75 % from baseline: stable.
        assert classify([40], [24.9], nadir_mm=20).response is Response.SD

    def test_too_small_counts_as_gone(self) -> None:
        assert classify([30, 20], [remission.TOO_SMALL, 0]).response is Response.CR

    def test_a_measured_2_mm_is_not_gone(self) -> None:
        assert classify([30, 20], [2, 0]).response is Response.PR

    def test_products_when_both_diameters_are_known(self) -> None:
        # 20 × 20 = 400 → 15 × 14 = 210: −47.5 %: stable by products
        # (the diameter alone, 20 → 15, is −25 %).
        r = classify([Lesion(20, 20)], [Lesion(15, 14)])
        assert r.unit == "mm²"
        assert r.sum_mm == 210
        assert r.response is Response.SD
        # 20 × 20 = 400 → 14 × 14 = 196: −51 %: partial.
        assert classify([Lesion(20, 20)], [Lesion(14, 14)]).response is Response.PR

    def test_diameters_when_a_perpendicular_is_missing(self) -> None:
        r = classify([Lesion(20, 20), Lesion(10)], [Lesion(10, 10), Lesion(5)])
        assert r.unit == "mm"
        assert r.sum_mm == 15


class TestWho:
    def test_half_the_product_is_pr(self) -> None:
        # 20 × 10 = 200 → 10 × 10 = 100: exactly −50 %.
        assert classify([Lesion(20, 10)], [Lesion(10, 10)], criteria="who").response is Response.PR

    def test_one_lesion_growing_25_percent_is_pd_even_if_the_sum_falls(self) -> None:
        # T1 20 × 10 = 200 → 25 × 10 = 250 (+25 %); T2 40 × 40 = 1600 → 10 × 10 = 100.
        r = classify(
            [Lesion(20, 10), Lesion(40, 40)],
            [Lesion(25, 10), Lesion(10, 10)],
            criteria="who",
        )
        assert r.response is Response.PD

    def test_just_under_25_percent_is_not_pd(self) -> None:
        # 20 × 10 = 200 → 24.9 × 10 = 249.
        r = classify([Lesion(20, 10)], [Lesion(24.9, 10)], criteria="who")
        assert r.response is Response.SD

    def test_a_nadir_sum_is_refused_where_lesions_are_judged_one_by_one(self) -> None:
        # WHO progression is per lesion (each against its own smallest value): a nadir
        # given as one sum cannot say which lesion grew.
        with pytest.raises(InvalidInput, match="judges progression lesion by lesion"):
            classify([Lesion(10, 10)], [Lesion(10, 10)], criteria="who", nadir_mm=50)

    def test_a_second_diameter_of_0_with_a_length_is_refused(self) -> None:
        # 10 × 0 would be a product of 0, read as gone, though the lesion is 10 mm long.
        with pytest.raises(InvalidInput, match="perpendicular_mm: is 0 but the longest"):
            classify([Lesion(20, 20)], [Lesion(10, 0)], criteria="who")
        assert classify([Lesion(20, 20)], [Lesion(0, 0)], criteria="who").response is Response.CR

    def test_missing_perpendicular_is_a_warning(self) -> None:
        r = classify([20], [10], criteria="who")
        assert r.unit == "mm"
        assert any("perpendicular" in w.message for w in r.warnings)

    @pytest.mark.parametrize("criteria", ["who", "basic"])
    def test_a_later_visit_cannot_change_the_measure_of_earlier_ones(self, criteria: str) -> None:
        # Products are decided at baseline (both diameters there): 40 × 40 = 1,600 →
        # 28 × 28 = 784 mm² (−51 %) is PR at days 28 and 56 whatever follows. A later
        # visit without the second diameter has no product: not assessed (NE), warned.
        visits = [
            Visit(0, {"T1": Lesion(40, 40)}),
            Visit(28, {"T1": Lesion(28, 28)}),
            Visit(56, {"T1": Lesion(28, 28)}),
        ]
        before = classify_series(visits, criteria=criteria)
        after = classify_series([*visits, Visit(84, {"T1": 28})], criteria=criteria)
        assert [v.response for v in before.visits] == [Response.PR, Response.PR]
        assert [v.response for v in after.visits] == [Response.PR, Response.PR, Response.NE]
        assert after.visits[-1].unit == "mm²"
        (warning,) = after.warnings
        assert warning.where == "T1 at day 84"
        assert "the product is unknown" in warning.message


class TestRecist10:
    @pytest.mark.parametrize("criteria", ["recist1.0", "basic"])
    def test_any_regrowth_from_a_zero_nadir_is_progression(self, criteria: str) -> None:
        # No minimum in mm: 0 → 1 mm is an increase of more than 20 % (RECIST 1.0) and
        # 25 % (basic) over the smallest previous sum, 0. Non-targets persist, so the
        # nadir visit was PR, not CR: the sum rule alone decides.
        s = classify_series(
            [
                Visit(0, {"T1": 20}, non_target="present"),
                Visit(56, {"T1": 0}, non_target="present"),
                Visit(112, {"T1": 1}, non_target="present"),
                Visit(168, {"T1": 0}, non_target="present"),
            ],
            criteria=criteria,
        )
        assert [v.target_response for v in s.visits] == [Response.CR, Response.PD, Response.CR]

    def test_no_5_mm_rule(self) -> None:
        # nadir 20 → 24: +20 %, +4 mm: PD under 1.0, not under 1.1.
        assert classify([40], [24], nadir_mm=20, criteria="recist1.0").response is Response.PD


class TestNumpyNumbers:
    """Values taken out of a DataFrame are numpy scalars: read as the numbers they are."""

    def test_numpy_sizes_days_and_nadir(self) -> None:
        # 50 → 35 is exactly −30 %: PR; a float32 23.1 is read as typed (33 → 23.1: −30 %).
        np = pytest.importorskip("numpy")
        assert recist([np.float64(50)], [np.float64(35)]) is Response.PR
        assert recist([np.int64(50)], [np.int32(35)]) is Response.PR
        assert recist([np.float32(33)], [np.float32(23.1)]) is Response.PR
        # Nadir 40: 48 is +20 % and +8 mm: PD.
        assert recist([50], [48], nadir_mm=np.float64(40)) is Response.PD
        s = classify_series(
            [Visit(np.int64(0), {"T1": np.float64(50)}), Visit(np.int64(42), {"T1": 35})],
            criteria="recist1.1",
        )
        assert (s.visits[0].day, s.visits[0].response) == (42, Response.PR)

    def test_numpy_bools_and_nans_are_still_refused(self) -> None:
        np = pytest.importorskip("numpy")
        with pytest.raises(InvalidInput, match="is nan"):
            classify([50], [np.float64("nan")])
        with pytest.raises(InvalidInput, match="is not a number"):
            classify([50], [np.bool_(True)])


class TestUnits:
    def test_cm_is_converted_exactly(self) -> None:
        r = classify([3.3], [2.31], criteria="recist1.1", unit="cm")
        assert r.response is Response.PR
        assert r.sum_mm == pytest.approx(23.1)

    def test_unknown_unit(self) -> None:
        with pytest.raises(InvalidInput, match="'in' is not a unit"):
            classify([10], [5], unit="in")


class TestBadInput:
    def test_every_problem_at_once(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            classify([-3, "abc", float("nan")], [1, 2, 3])
        fields = [(p.where, p.field) for p in caught.value.problems]
        assert ("lesion T1 at baseline", "size_mm") in fields
        assert ("lesion T2 at baseline", "size_mm") in fields
        assert ("lesion T3 at baseline", "size_mm") in fields
        assert "negative" in str(caught.value)
        assert "'abc' is not a number" in str(caught.value)

    def test_infinite(self) -> None:
        with pytest.raises(InvalidInput, match="is inf"):
            classify([10], [float("inf")])

    def test_lengths_differ(self) -> None:
        with pytest.raises(InvalidInput, match="has 1 lesions but baseline has 2"):
            classify([10, 20], [5])

    def test_duplicate_names(self) -> None:
        with pytest.raises(InvalidInput, match="lesion A, name: is used twice"):
            classify([Lesion(10, name="A"), Lesion(12, name="A")], [5, 5])

    def test_no_disease(self) -> None:
        with pytest.raises(InvalidInput, match="no target lesions and no non-target disease"):
            classify([], [])

    def test_unknown_follow_up_lesion(self) -> None:
        with pytest.raises(InvalidInput, match="lesion T9 at day 56, lesion: is not a baseline"):
            classify_series([Visit(0, {"T1": 10}), Visit(56, {"T1": 5, "T9": 3})])

    def test_visits_out_of_order(self) -> None:
        with pytest.raises(InvalidInput, match="day 28 is not after the previous visit"):
            classify_series([Visit(0, {"T1": 10}), Visit(56, {"T1": 5}), Visit(28, {"T1": 5})])

    def test_nadir_above_baseline(self) -> None:
        with pytest.raises(InvalidInput, match="nadir_mm: 90 is larger than the baseline sum"):
            classify([40, 43], [10, 10], nadir_mm=90)

    def test_bad_non_target_status(self) -> None:
        with pytest.raises(InvalidInput, match="'gone' is not a status"):
            classify([10], [5], non_target="gone")

    def test_baseline_perpendicular_of_zero(self) -> None:
        with pytest.raises(InvalidInput, match="perpendicular_mm: is 0 at baseline"):
            classify_series([Visit(0, {"T1": Lesion(10, 0)}), Visit(56, {"T1": Lesion(10, 5)})])

    def test_baseline_target_must_be_measured(self) -> None:
        with pytest.raises(InvalidInput, match="a baseline target needs a measured size"):
            classify([None], [5])


class TestDeviations:
    def test_too_many_targets_and_per_organ(self) -> None:
        lesions = [Lesion(20, organ="liver", name=f"L{i}") for i in range(6)]
        r = classify(lesions, [10] * 6, criteria="recist1.1")
        messages = [str(w) for w in r.warnings]
        assert any("6 targets; at most 5" in m for m in messages)
        assert any("organ liver: 6 targets; at most 2 per organ" in m for m in messages)

    def test_below_measurability(self) -> None:
        r = classify([Lesion(9.9), Lesion(14.9, node=True)], [5, 5], criteria="recist1.1")
        messages = " ".join(str(w) for w in r.warnings)
        assert "9.9 mm at baseline is below 10 mm" in messages
        assert "14.9 mm at baseline is below 15 mm" in messages
        clean = classify([Lesion(10), Lesion(15, node=True)], [5, 5], criteria="recist1.1")
        assert clean.warnings == ()

    def test_a_late_visit(self) -> None:
        s = classify_series([Visit(0, {"T1": 20}), Visit(400, {"T1": 10})])
        assert any("more than a year" in str(w) for w in s.visits[0].warnings)


class TestExplanation:
    def test_next_category_after_targets_go_but_other_disease_remains(self) -> None:
        # Overall PR (non-target present): a returning target is PD by the sum rules, from
        # a nadir of 0: at least 5 mm under RECIST 1.1, anything above 0 under RECIST 1.0.
        # After an overall CR, any return is PD (RECIST 1.1 Table 3 footnote; FAQ).
        def last(criteria: str, non_target: str | None) -> str:
            visits = [Visit(0, {"T1": 20}, non_target=non_target)]
            visits += [Visit(d, {"T1": 0}, non_target=non_target) for d in (56, 112)]
            return classify_series(visits, criteria=criteria).visits[-1].explanation.next_category

        assert last("recist1.1", "present") == (
            "This visit: Target lesions are gone, but other disease is still there or was not "
            "checked: progressive disease needs a sum ≥ 5 mm, or a new lesion. At the next "
            "scan: nadir 0 mm; progressive disease needs a sum ≥ 5 mm; partial response needs "
            "a sum ≤ 14 mm; complete response needs every target lesion gone."
        )
        assert "needs a sum above 0 mm" in last("recist1.0", "present")
        assert last("recist1.1", None).startswith("Any lesion coming back")

    def test_a_complete_response_without_targets_speaks_of_disease_not_tumours(self) -> None:
        s = classify_series(
            [Visit(0, non_target="present"), Visit(56, non_target="absent")], criteria="recist1.1"
        )
        assert s.visits[0].explanation.patient.startswith(
            "At this visit none of the disease seen before could be found any more."
        )

    def test_patient_words_say_why_and_never_more_than_the_numbers(self) -> None:
        def last(visits: list[Visit], criteria: str) -> remission.Explanation:
            return classify_series(visits, criteria=criteria).visits[-1].explanation

        # basic counts 'too small' as complete, but the patient is told it may be there.
        words = last([Visit(0, {"T1": 40}), Visit(56, {"T1": "too-small"})], "basic").patient
        assert "gone or too small to measure (T1 too small)" in words
        assert "may still be there" in words
        # A PR held by the FAQ: 100 → 70 → 80 mm is 20 % smaller, not 30 %: say why PR.
        held = last(
            [Visit(0, {"T1": 100}), Visit(56, {"T1": 70}), Visit(112, {"T1": 80})], "recist1.1"
        ).patient
        assert held.startswith("The measured tumours are 20.0 % smaller than at the start")
        assert "the partial response (partial remission) reached earlier still stands" in held
        # Targets gone, non-target not checked: not a complete response, and why.
        gone = last(
            [
                Visit(0, {"T1": 20}, non_target="present"),
                Visit(56, {"T1": 0}, non_target="not-assessed"),
            ],
            "recist1.1",
        ).patient
        assert "was not checked at this visit" in gone
        # Regrowth from a nadir of 0 reads as a return, not "grown by undefined".
        back = last(
            [
                Visit(0, {"T1": 30}, non_target="present"),
                Visit(56, {"T1": 0}, non_target="present"),
                Visit(112, {"T1": 5}, non_target="present"),
            ],
            "recist1.1",
        ).patient
        assert back.startswith("A measured tumour that had gone has come back.")
        assert "undefined" not in back

    def test_next_category_names_the_rule_that_made_progression(self) -> None:
        node = classify_series(
            [Visit(0, {"N1": Lesion(20, node=True)}), Visit(56, {"N1": 9}), Visit(112, {"N1": 11})],
            criteria="recist1.1",
        ).visits[-1]
        assert node.explanation.next_category.startswith(
            "Progression was met: after a complete response a target lesion came back"
        )
        # WHO: one lesion's product 20 × 20 = 400 → 24 × 22 = 528 mm² (+32 %), the sum
        # falls (2,000 → 1,428 mm²): the lesion is named, not the sum.
        who = classify_series(
            [
                Visit(0, {"T1": Lesion(20, 20), "T2": Lesion(40, 40)}),
                Visit(56, {"T1": Lesion(24, 22), "T2": Lesion(30, 30)}),
            ],
            criteria="who",
        ).visits[-1]
        assert who.response is Response.PD
        assert who.explanation.next_category == (
            "Progression was met: a lesion is at least 25 % above its smallest value "
            "(T1 400 mm² → 528 mm²)."
        )

    def test_numbers_rule_and_next_category(self) -> None:
        r = classify([40, 35], [30, 28], criteria="recist1.1")
        # 75 → 58: −22.7 %: SD; PR needs ≤ 52.5; PD needs ≥ 90 (75 × 1.2).
        assert r.response is Response.SD
        text = str(r.explanation)
        assert "Baseline sum 75 mm" in text
        assert "Partial response needs a sum ≤ 52.5 mm; it is 58 mm" in text
        assert "Progressive disease needs a sum ≥ 90 mm" in text
        assert "section 4.3.1" in str(r.explanation.rule)
        assert "stable disease" in r.explanation.patient

    def test_product_explanation_names_one_minus_root_half(self) -> None:
        r = classify([Lesion(20, 20)], [Lesion(14, 14)])
        assert "1 − √0.5" in r.explanation.numbers

    def test_patient_wording_has_no_false_reassurance(self) -> None:
        r = classify([20], [0])
        assert "not the same as a cure" in r.explanation.patient


class TestCompare:
    def test_side_by_side(self) -> None:
        # 40 → 26: −35 %: PR under RECIST (≥ 30 %), stable under the 50 % rules.
        results = compare([40], [26])
        assert {name: r.response for name, r in results.items()} == {
            "basic": Response.SD,
            "who": Response.SD,
            "recist1.0": Response.PR,
            "recist1.1": Response.PR,
        }


sizes = st.decimals(min_value=0, max_value=300, places=1, allow_nan=False).map(float)
baseline_sizes = st.decimals(min_value=10, max_value=300, places=1).map(float)
criteria_names = st.sampled_from(list(remission.CRITERIA))


@st.composite
def patients(draw: st.DrawFn) -> tuple[list[float], list[float]]:
    count = draw(st.integers(1, 5))
    baseline = draw(st.lists(baseline_sizes, min_size=count, max_size=count))
    follow_up = draw(st.lists(sizes, min_size=count, max_size=count))
    return baseline, follow_up


class TestProperties:
    @given(patients(), criteria_names)
    def test_new_lesions_always_pd(
        self, patient: tuple[list[float], list[float]], name: str
    ) -> None:
        """RECIST 1.1 Table 1 (and every set): a new lesion means PD."""
        baseline, follow_up = patient
        assert (
            classify(baseline, follow_up, criteria=name, new_lesions=True).response is Response.PD
        )

    @given(patients(), criteria_names, st.data())
    def test_shrinking_never_makes_pd(
        self, patient: tuple[list[float], list[float]], name: str, data: st.DataObject
    ) -> None:
        """Shrinking a follow-up lesion never turns a non-PD answer into PD."""
        baseline, follow_up = patient
        before = classify(baseline, follow_up, criteria=name).response
        index = data.draw(st.integers(0, len(follow_up) - 1))
        smaller = list(follow_up)
        smaller[index] = data.draw(
            st.decimals(min_value=0, max_value=Decimal(str(follow_up[index])), places=1).map(float)
        )
        after = classify(baseline, smaller, criteria=name).response
        if before is not Response.PD:
            assert after is not Response.PD

    @given(patients(), criteria_names, st.randoms())
    def test_lesion_order_does_not_matter(
        self, patient: tuple[list[float], list[float]], name: str, rnd: object
    ) -> None:
        baseline, follow_up = patient
        pairs = list(zip(baseline, follow_up, strict=True))
        rnd.shuffle(pairs)  # type: ignore[attr-defined]
        shuffled = classify([b for b, _ in pairs], [f for _, f in pairs], criteria=name)
        assert shuffled.response is classify(baseline, follow_up, criteria=name).response
        assert shuffled.current == classify(baseline, follow_up, criteria=name).current

    @given(patients(), criteria_names)
    def test_mm_and_cm_agree(self, patient: tuple[list[float], list[float]], name: str) -> None:
        baseline, follow_up = patient
        in_mm = classify(baseline, follow_up, criteria=name)
        in_cm = classify(
            [f"{b / 10:.2f}" for b in baseline],
            [f"{f / 10:.2f}" for f in follow_up],
            criteria=name,
            unit="cm",
        )
        assert in_cm.response is in_mm.response
        assert in_cm.current == in_mm.current


@pytest.mark.parametrize(
    "options",
    [
        {"confirmation_days": "abc"},
        {"confirmation_days": 28.5},
        {"confirmation_days": True},
        {"confirmation_days": -5},
        {"sd_min_days": None},
        {"sd_min_days": -1},
        {"max_ne_between": -1},
        {"accept_sd": "no"},
    ],
)
def test_series_options_are_checked_as_the_batch_engine_checks_them(
    options: dict[str, object],
) -> None:
    visits = [Visit(0, {"T1": 30}), Visit(56, {"T1": 20})]
    with pytest.raises(InvalidInput) as caught:
        classify_series(visits, **options)  # type: ignore[arg-type]
    assert caught.value.problems[0].field == next(iter(options))


class TestNodesBeforeRecist11:
    """RECIST 1.0 (Therasse 2000, 'Measurability'): a node is a lesion like any other,
    measured by its longest diameter; the short axis came with RECIST 1.1 (3.1.1)."""

    def visits(self) -> list[Visit]:
        # Short axis 16 mm both times; the other diameter 30 → 20 mm.
        return [
            Visit(0, {"N1": Lesion(size_mm=16, perpendicular_mm=30, node=True)}),
            Visit(56, {"N1": Lesion(size_mm=16, perpendicular_mm=20, node=True)}),
        ]

    def test_recist_1_0_sums_a_nodes_longest_diameter(self) -> None:
        # 30 → 20 mm is −33.3 %: PR (≥ 30 %).
        (visit,) = classify_series(self.visits(), criteria="recist1.0").visits
        assert (visit.baseline, visit.current, visit.response) == (
            Fraction(30),
            Fraction(20),
            Response.PR,
        )

    def test_a_short_axis_alone_still_shows_progression(self) -> None:
        def node(short: int, other: int | None = None) -> Lesion:
            return Lesion(size_mm=short, perpendicular_mm=other, node=True)

        # Longest diameter 20 mm at baseline; at day 56 only the short axis, 30 mm: the
        # longest is at least 30 mm, +50 % (≥ 20 %): PD, not NE (RECIST 1.0 PD needs
        # only what was seen).
        s = classify_series(
            [Visit(0, {"N1": node(12, 20)}), Visit(56, {"N1": node(30)})], criteria="recist1.0"
        )
        assert s.visits[0].response is Response.PD
        # Gone at day 56 (CR), seen again at day 112 with only its short axis (15 mm):
        # a lesion back after a CR is progression (Therasse 2000), not NE.
        s = classify_series(
            [
                Visit(0, {"N1": node(12, 20)}),
                Visit(56, {"N1": node(0)}),
                Visit(112, {"N1": node(15)}),
            ],
            criteria="recist1.0",
        )
        assert [v.response for v in s.visits] == [Response.CR, Response.PD]

    def test_the_lesion_line_names_the_diameter_used(self) -> None:
        (visit,) = classify_series(self.visits(), criteria="recist1.0").visits
        assert "N1: 20 mm (longest diameter" in visit.explanation.lesions
        (visit,) = classify_series(self.visits(), criteria="recist1.1").visits
        assert "N1: 16 mm (short axis" in visit.explanation.lesions

    def test_recist_1_1_keeps_the_short_axis(self) -> None:
        # 16 → 16 mm: 0 %, SD.
        (visit,) = classify_series(self.visits(), criteria="recist1.1").visits
        assert (visit.baseline, visit.current, visit.response) == (
            Fraction(16),
            Fraction(16),
            Response.SD,
        )

    def test_who_multiplies_the_two_diameters(self) -> None:
        # 16 × 30 = 480 → 16 × 20 = 320 mm²: −33.3 %, not the 50 % WHO asks: SD.
        (visit,) = classify_series(self.visits(), criteria="who").visits
        assert (visit.baseline, visit.current, visit.response) == (
            Fraction(480),
            Fraction(320),
            Response.SD,
        )

    def test_a_small_node_is_not_measurable_under_recist_1_0(self) -> None:
        # 'Measurability': at least 10 mm for every lesion, nodes included.
        # N: one diameter (its short axis, 5 mm); M: both (6 × 8 mm: longest 8 mm).
        lesions = {
            "A": Lesion(9.9),
            "N": Lesion(5, node=True),
            "M": Lesion(6, perpendicular_mm=8, node=True),
        }
        s = classify_series([Visit(0, lesions), Visit(42, lesions)], criteria="recist1.0")
        messages = [w.message for w in s.warnings]
        assert "longest diameter 9.9 mm at baseline is below 10 mm (not measurable)" in messages
        assert "lymph node short axis 5 mm at baseline is below 10 mm (not measurable)" in messages
        assert "longest diameter 8 mm at baseline is below 10 mm (not measurable)" in messages

    def test_a_nodes_measure_is_decided_at_baseline(self) -> None:
        # The same node, unchanged, must not change measure when its second diameter is
        # recorded at one visit only.
        def node(short: int, other: int | None = None) -> Lesion:
            return Lesion(size_mm=short, perpendicular_mm=other, node=True)

        # Both diameters at baseline, one at day 56: its longest diameter is unknown
        # then, and the node is not assessed (NE), with a warning; not −40 % (PR).
        s = classify_series(
            [Visit(0, {"N1": node(12, 20)}), Visit(56, {"N1": node(12)})], criteria="recist1.0"
        )
        assert s.visits[0].response is Response.NE
        assert [w.message for w in s.warnings] == [
            "lymph node without its second diameter, so its longest diameter is unknown and "
            "it counts as not assessed at that visit (its short axis, the least the longest "
            "can be, still shows progression)"
        ]
        # One diameter at baseline: its short axis at every visit (12 → 12: SD), with a
        # warning; not +66.7 % (PD) from the second diameter given later.
        s = classify_series(
            [Visit(0, {"N1": node(12)}), Visit(56, {"N1": node(12, 20)})], criteria="recist1.0"
        )
        assert (s.visits[0].current, s.visits[0].response) == (Fraction(12), Response.SD)
        assert s.warnings[0].where == "N1 at baseline"
        assert s.warnings[0].message.startswith("only one diameter of this lymph node")


class TestAShortAxisAsALowerBound:
    """A node measured by its longest diameter, given only its short axis at a visit."""

    @staticmethod
    def node(short: float, other: float | None = None) -> Lesion:
        return Lesion(size_mm=short, perpendicular_mm=other, node=True, organ="axilla")

    def test_the_explanation_says_what_decided_progression(self) -> None:
        # RECIST 1.0: 20 + 30 + 30 = 80 mm at baseline; at day 112 N1 only 45 mm short
        # axis: the sum is at least 45 + 60 = 105 mm ≥ 96 (1.2 × 80): PD. Nothing had gone.
        s = classify_series(
            [
                Visit(0, {"N1": self.node(12, 20), "T1": 30, "T2": 30}),
                Visit(112, {"N1": self.node(45), "T1": 30, "T2": 30}),
            ],
            criteria="recist1.0",
        )
        (visit,) = s.visits
        assert visit.response is Response.PD
        e = visit.explanation
        assert e.lesions.startswith(
            "N1: not assessed; only its short axis, 45 mm, was given, the least its longest "
            "diameter can be;"
        )
        assert e.next_category == (
            "Progression was met: progressive disease needs a sum ≥ 96 mm (it is at least 105 mm)."
        )
        assert e.patient.startswith(
            "The tumours that were measured have already grown past the limit for progression."
        )
        assert "had gone" not in e.patient

    def test_a_node_back_after_a_cr_is_named_as_a_recurrence(self) -> None:
        # Gone with T1, then back with only a 3 mm short axis: PD (reappearance) and a
        # regional recurrence (axillary lymph nodes), as with both diameters.
        visits = [
            Visit(0, {"N1": self.node(12, 20), "T1": Lesion(30, organ="liver")}),
            Visit(56, {"N1": self.node(0), "T1": Lesion(0, organ="liver")}),
            Visit(84, {"N1": self.node(0), "T1": Lesion(0, organ="liver")}),
            Visit(112, {"N1": self.node(3), "T1": Lesion(0, organ="liver")}),
        ]
        s = classify_series(visits, criteria="recist1.0")
        assert s.visits[-1].response is Response.PD
        assert s.visits[-1].recurrence == "recurrence — regional (axillary lymph nodes)"
