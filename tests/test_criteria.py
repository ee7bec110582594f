"""The criteria data: thresholds as the papers state them, tables total with no dead rows."""

from fractions import Fraction

import pytest

from remission.criteria import (
    BASIC,
    CRITERIA,
    RECIST_1_0,
    RECIST_1_1,
    WHO,
    Criteria,
    Measure,
    Reference,
    Scope,
    domain,
    get_criteria,
)
from remission.errors import InvalidInput
from remission.response import Response


class TestThresholds:
    """Each threshold as written in its paper (criteria digest sections 2 and 8)."""

    def test_recist_1_1(self) -> None:
        assert RECIST_1_1.partial.fraction == Fraction(30, 100)
        assert RECIST_1_1.partial.reference is Reference.BASELINE
        assert RECIST_1_1.progression.fraction == Fraction(20, 100)
        assert RECIST_1_1.progression.min_increase_mm == 5
        assert RECIST_1_1.progression.reference is Reference.NADIR
        assert RECIST_1_1.node_normal_below_mm == 10
        assert RECIST_1_1.too_small_mm == 5
        assert RECIST_1_1.measure is Measure.DIAMETER

    def test_recist_1_0_has_no_5_mm_rule(self) -> None:
        assert RECIST_1_0.partial.fraction == Fraction(3, 10)
        assert RECIST_1_0.progression.fraction == Fraction(1, 5)
        assert RECIST_1_0.progression.min_increase_mm is None
        assert RECIST_1_0.node_normal_below_mm is None

    def test_who_uses_products_and_any_lesion(self) -> None:
        assert WHO.measure is Measure.PRODUCT
        assert WHO.partial.fraction == Fraction(1, 2)
        assert WHO.progression.fraction == Fraction(1, 4)
        assert WHO.progression.scope is Scope.ANY_LESION
        assert WHO.confirmation_days == 28

    def test_basic_is_the_founding_documents_rule(self) -> None:
        assert BASIC.partial.fraction == Fraction(1, 2)
        assert BASIC.progression.fraction == Fraction(1, 4)
        assert BASIC.progression.scope is Scope.SUM
        assert BASIC.progression.reference is Reference.NADIR
        assert BASIC.too_small_mm == 0
        assert BASIC.measure is Measure.PRODUCT_WHEN_COMPLETE

    def test_the_default_is_basic(self) -> None:
        assert next(iter(CRITERIA)) == "basic"


@pytest.mark.parametrize("criteria", list(CRITERIA.values()), ids=list(CRITERIA))
class TestTables:
    """Every overall-response table answers every combination, and every row is reachable."""

    def test_total(self, criteria: Criteria) -> None:
        for combo in domain():
            assert any(row.matches(*combo) for row in criteria.table), combo

    def test_no_dead_rows(self, criteria: Criteria) -> None:
        deciding = {id(criteria.overall(*combo)) for combo in domain()}
        dead = [row.rule.text for row in criteria.table if id(row) not in deciding]
        assert dead == []

    def test_new_lesion_or_non_target_progression_is_pd(self, criteria: Criteria) -> None:
        for target, non_target, new in domain():
            if new or non_target is Response.PD or target is Response.PD:
                assert criteria.overall(target, non_target, new).overall is Response.PD

    def test_every_rule_is_cited(self, criteria: Criteria) -> None:
        rules = [row.rule for row in criteria.table] + [
            criteria.partial.rule,
            criteria.progression.rule,
            criteria.complete,
            criteria.stable,
            criteria.not_evaluable,
            criteria.reappearance,
            criteria.too_small,
            criteria.confirmation,
        ]
        for rule in rules:
            assert rule.citation.where
            assert rule.citation.paper.short in str(rule)

    def test_domain_leaves_out_no_disease(self, criteria: Criteria) -> None:
        combos = list(domain())
        assert (None, None, False) not in combos
        assert len(combos) == (6 * 5 - 1) * 2


class TestRecist11Tables:
    """RECIST 1.1 Tables 1 and 2, row by row (Eisenhauer et al. 2009)."""

    @pytest.mark.parametrize(
        ("target", "non_target", "new", "overall"),
        [
            (Response.CR, Response.CR, False, Response.CR),
            (Response.CR, None, False, Response.CR),
            (Response.CR, Response.NON_CR_NON_PD, False, Response.PR),
            (Response.CR, Response.NE, False, Response.PR),
            (Response.PR, Response.NON_CR_NON_PD, False, Response.PR),
            (Response.PR, Response.NE, False, Response.PR),
            (Response.SD, Response.NE, False, Response.SD),
            (Response.NE, Response.NON_CR_NON_PD, False, Response.NE),
            (Response.NE, Response.PD, False, Response.PD),
            (Response.PD, Response.CR, False, Response.PD),
            (Response.CR, Response.CR, True, Response.PD),
            (None, Response.CR, False, Response.CR),
            (None, Response.NON_CR_NON_PD, False, Response.NON_CR_NON_PD),
            (None, Response.NE, False, Response.NE),
            (None, Response.PD, False, Response.PD),
            (None, Response.NON_CR_NON_PD, True, Response.PD),
        ],
    )
    def test_row(
        self,
        target: Response | None,
        non_target: Response | None,
        new: bool,
        overall: Response,
    ) -> None:
        assert RECIST_1_1.overall(target, non_target, new).overall is overall

    def test_non_target_only_is_sd_before_recist_1_1(self) -> None:
        for criteria in (BASIC, WHO, RECIST_1_0):
            row = criteria.overall(None, Response.NON_CR_NON_PD, False)
            assert row.overall is Response.SD


class TestLookup:
    def test_by_name_case_and_spaces(self) -> None:
        assert get_criteria("RECIST 1.1") is RECIST_1_1
        assert get_criteria("WHO") is WHO
        assert get_criteria(BASIC) is BASIC

    def test_unknown_name_lists_the_choices(self) -> None:
        with pytest.raises(InvalidInput, match=r"use one of basic, who, recist1\.0, recist1\.1"):
            get_criteria("irecist")

    def test_lookup_covers_the_domain(self) -> None:
        table = RECIST_1_1.lookup()
        assert len(table) == 58
        assert table[(Response.CR, Response.NE, False)].overall is Response.PR


def test_each_row_cites_where_its_rule_is_written() -> None:
    # The founding document defines complete and partial remission only; progression
    # is WHO's (Miller 1981), and neither paper has a not-evaluable category (RECIST 1.1
    # section 4.4.2 has).
    def source(
        criteria: Criteria, target: Response | None, non_target: Response | None, new: bool
    ) -> str:
        return str(criteria.overall(target, non_target, new).rule.citation)

    assert source(BASIC, Response.SD, None, True).startswith("Miller et al. 1981")
    assert source(BASIC, Response.PR, None, False).startswith("remission founding document")
    assert "section 4.4.2" in source(BASIC, Response.NE, None, False)
    assert "section 4.4.2" in source(WHO, Response.NE, None, False)
    assert "section 4.4.2" in str(WHO.not_evaluable.citation)
