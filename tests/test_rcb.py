"""Tests for remission.rcb: Residual Cancer Burden (Symmans et al. 2007, Methods).

Expected indexes are literals worked out by hand (calculator) from the formula

    RCB = 1.4 * (f_inv * d_prim) ** 0.17 + (4 * (1 - 0.75 ** LN) * d_met) ** 0.17
    d_prim = sqrt(d1 * d2),  f_inv = (1 - %CIS/100) * (%CA/100)

and written down with the working, never computed by the code under test.
"""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from remission.citations import SYMMANS_2007
from remission.errors import InvalidInput
from remission.rcb import (
    COLUMNS,
    RCB_CLASSES,
    RcbClass,
    class_for_index,
    rcb,
    rcb_frame,
)

ABS = 5e-4  # the literals below are given to 3 decimals

# (d1, d2, %CA, %CIS, LN, d_met) -> (index, class, pCR), with the working.
WORKED = [
    pytest.param(
        (0, 0, 0, 0, 0, None),
        0.0,
        RcbClass.RCB_0,
        True,
        id="nothing-left",  # both terms have base 0
    ),
    pytest.param(
        (25, 15, 0, 0, 0, None),
        0.0,
        RcbClass.RCB_0,
        True,
        id="tumour-bed-without-cancer",  # %CA 0 -> f_inv 0
    ),
    pytest.param(
        (12, 8, 20, 100, 0, None),
        0.0,
        RcbClass.RCB_0,
        True,
        id="dcis-only",  # %CIS 100 -> f_inv = 0 * 0.2 = 0
    ),
    pytest.param(
        (0, 0, 0, 0, 1, 2),
        1.125,
        RcbClass.RCB_I,
        False,
        # nodal: 4 * (1 - 0.75) * 2 = 2; 2 ** 0.17 = e^(0.17 * 0.693147) = 1.12506
        id="nodes-only",
    ),
    pytest.param(
        (5, 5, 10, 0, 0, None),
        1.244,
        RcbClass.RCB_I,
        False,
        # d_prim 5, f_inv 0.1, base 0.5; 0.5 ** 0.17 = 0.888843; * 1.4 = 1.24438
        id="rcb-i",
    ),
    pytest.param(
        (20, 10, 30, 10, 2, 4),
        3.150,
        RcbClass.RCB_II,
        False,
        # d_prim sqrt(200) = 14.1421, f_inv 0.9 * 0.3 = 0.27, base 3.81838;
        # 3.81838 ** 0.17 = e^(0.17 * 1.339826) = 1.255797; * 1.4 = 1.758116.
        # nodal: 4 * (1 - 0.5625) * 4 = 7; 7 ** 0.17 = e^(0.17 * 1.945910) = 1.392088.
        # sum 3.150204 (3.150)
        id="rcb-ii",
    ),
    pytest.param(
        (50, 40, 70, 0, 5, 12),
        4.358,
        RcbClass.RCB_III,
        False,
        # d_prim sqrt(2000) = 44.7214, f_inv 0.7, base 31.3050;
        # e^(0.17 * 3.443778) = 1.795785; * 1.4 = 2.514099.
        # nodal: 1 - 0.75 ** 5 = 0.762695; * 4 * 12 = 36.6094;
        # e^(0.17 * 3.600304) = 1.844211. sum 4.358309 (4.358)
        id="rcb-iii",
    ),
]


@pytest.mark.parametrize(("inputs", "index", "rcb_class", "pcr"), WORKED)
def test_worked_examples(
    inputs: tuple[float, float, float, float, int, float | None],
    index: float,
    rcb_class: RcbClass,
    pcr: bool,
) -> None:
    result = rcb(*inputs)
    assert result.index == pytest.approx(index, abs=ABS)
    assert result.rcb_class is rcb_class
    assert result.pcr is pcr


def test_terms_of_the_rcb_ii_example() -> None:
    terms = rcb(20, 10, 30, 10, 2, 4).terms
    assert terms.d_prim_mm == pytest.approx(14.142, abs=ABS)
    assert terms.f_inv == pytest.approx(0.27, abs=1e-12)
    assert terms.primary_term == pytest.approx(1.758, abs=ABS)
    assert terms.nodal_term == pytest.approx(1.392, abs=ABS)


def test_rounded_index_is_three_decimals() -> None:
    assert rcb(20, 10, 30, 10, 2, 4).rounded_index == Decimal("3.150")


def test_text_and_decimal_inputs_read_like_numbers() -> None:
    from_text = rcb("20", " 10 ", "30", "10", "2", "4")
    from_decimal = rcb(Decimal("20"), Decimal("10"), Decimal("30"), 10.0, 2.0, Decimal(4))
    assert from_text.index == pytest.approx(3.150, abs=ABS)
    assert from_decimal.index == pytest.approx(3.150, abs=ABS)


def test_zero_node_size_given_as_zero_is_fine_without_nodes() -> None:
    assert rcb(0, 0, 0, 0, 0, 0).pcr is True
    assert rcb(0, 0, 0, 0, "0", "").pcr is True


# --- pCR: ypT0/ypTis ypN0 (Symmans et al. 2007, Methods) --------------------------


def test_pcr_when_only_in_situ_disease_remains() -> None:
    result = rcb(30, 20, 50, 100, 0, None)
    assert result.pcr is True
    assert result.index == 0.0
    assert "in situ" in result.explanation.patient


def test_not_pcr_with_empty_tumour_bed_but_positive_nodes() -> None:
    result = rcb(0, 0, 0, 0, 3, 5)
    assert result.pcr is False
    assert result.terms.primary_term == 0.0
    # nodal only: 4 * (1 - 0.421875) * 5 = 11.5625; e^(0.17 * 2.447767) = 1.516068
    assert result.index == pytest.approx(1.516, abs=ABS)
    assert "not a complete response" in result.explanation.patient


def test_not_pcr_with_invasive_cancer_in_breast_and_no_nodes() -> None:
    result = rcb(5, 5, 10, 0, 0, None)
    assert result.pcr is False
    assert result.terms.nodal_term == 0.0


def test_not_pcr_for_the_smallest_residual() -> None:
    """A real residual must not underflow to 0, or it would read as pCR."""
    # d_prim 0.001 mm, f_inv 1e-8: 1.4 × (1e-11)^0.17 = 1.4 × e^(−4.3047) = 0.0189.
    result = rcb("0.001", "0.001", "0.000001", 0, 0, None)
    assert (result.pcr, result.rcb_class) == (False, RcbClass.RCB_I)
    assert result.rounded_index == Decimal("0.019")


def test_sizes_below_a_micrometre_and_odd_numbers_are_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        rcb("0.0001", "1e1", "１２", 0, "1_0", None)
    assert [(p.field, p.message) for p in caught.value.problems] == [
        ("d1_mm", "is '0.0001', above 0 but below 0.001 mm"),
        ("d2_mm", "is not a plain decimal number ('1e1')"),
        ("cellularity_pct", "is not a plain decimal number ('１２')"),
        ("positive_nodes", "is not a plain decimal number ('1_0')"),
    ]


# --- class boundaries, both sides (decided at 3 decimals, half up) ----------------


@pytest.mark.parametrize(
    ("index", "expected"),
    [
        (0, RcbClass.RCB_0),
        ("0", RcbClass.RCB_0),
        ("0.0004", RcbClass.RCB_I),  # positive: never RCB-0, even if shown as 0.000
        ("0.001", RcbClass.RCB_I),
        ("1.36", RcbClass.RCB_I),
        (1.36, RcbClass.RCB_I),
        (Decimal("1.36"), RcbClass.RCB_I),
        (math.nextafter(1.36, 2), RcbClass.RCB_I),  # float noise above 1.36 stays RCB-I
        (math.nextafter(1.36, 0), RcbClass.RCB_I),
        # Above the cut-off is the next class, even where 3 decimals show the cut-off.
        ("1.3600001", RcbClass.RCB_II),
        ("1.3604999", RcbClass.RCB_II),
        ("1.361", RcbClass.RCB_II),
        ("3.28", RcbClass.RCB_II),
        (math.nextafter(3.28, 4), RcbClass.RCB_II),  # float noise above 3.28 stays RCB-II
        ("3.2800001", RcbClass.RCB_III),
        ("3.2805", RcbClass.RCB_III),
        ("3.281", RcbClass.RCB_III),
        (10, RcbClass.RCB_III),
    ],
)
def test_class_for_index_boundaries(index: float | str | Decimal, expected: RcbClass) -> None:
    assert class_for_index(index) is expected


@pytest.mark.parametrize(
    ("d_met", "index", "expected"),
    [
        # LN = 1, no breast term: index = (4 * 0.25 * d_met) ** 0.17 = d_met ** 0.17
        # 6.10: e^(0.17 * 1.808289) = e^0.307409 = 1.359897 -> 1.360, RCB-I
        (6.10, 1.360, RcbClass.RCB_I),
        # 6.11: e^(0.17 * 1.809927) = e^0.307688 = 1.360276 -> shown 1.360, but above 1.36:
        # RCB-II (Symmans et al. 2007: RCB-II is 1.36 < RCB <= 3.28)
        (6.11, 1.360, RcbClass.RCB_II),
        # 6.12: e^(0.17 * 1.811562) = e^0.307966 = 1.360654 -> 1.361, RCB-II
        (6.12, 1.361, RcbClass.RCB_II),
    ],
)
def test_rcb_either_side_of_1_36(d_met: float, index: float, expected: RcbClass) -> None:
    result = rcb(0, 0, 0, 0, 1, d_met)
    assert result.rounded_index == Decimal(str(index))
    assert result.rcb_class is expected
    above = "(the index is 1.360276, just above the 1.36 cut-off)"
    assert (above in result.explanation.clinician) is (d_met == 6.11)


@pytest.mark.parametrize(
    ("d", "index", "expected"),
    [
        # %CA 100, %CIS 0, square bed d x d: index = 1.4 * d ** 0.17
        # 149.6: e^(0.17 * 5.007965) = 2.342817; * 1.4 = 3.279944 -> 3.280, RCB-II
        (149.6, 3.280, RcbClass.RCB_II),
        # 150: e^(0.17 * 5.010635) = 2.343881; * 1.4 = 3.281433 -> 3.281, RCB-III
        (150, 3.281, RcbClass.RCB_III),
    ],
)
def test_rcb_either_side_of_3_28(d: float, index: float, expected: RcbClass) -> None:
    result = rcb(d, d, 100, 0, 0, None)
    assert result.rounded_index == Decimal(str(index))
    assert result.rcb_class is expected


# --- the scale as data -------------------------------------------------------------


def test_scale_lists_the_four_classes_in_order() -> None:
    assert [band.rcb_class for band in RCB_CLASSES] == list(RcbClass)


def test_scale_bounds_are_the_published_cut_offs_and_contiguous() -> None:
    bounds = [(band.lower_exclusive, band.upper_inclusive) for band in RCB_CLASSES]
    assert bounds == [
        (None, Decimal("0")),
        (Decimal("0"), Decimal("1.36")),
        (Decimal("1.36"), Decimal("3.28")),
        (Decimal("3.28"), None),
    ]


def test_scale_cites_symmans_methods() -> None:
    for band in RCB_CLASSES:
        assert band.citation.paper is SYMMANS_2007
        assert band.citation.where == "Methods"


def test_patient_texts_make_no_promise_and_point_to_the_care_team() -> None:
    for band in RCB_CLASSES:
        assert "care team" in band.patient
        assert "cure" not in band.patient.lower()
    pcr_text = RCB_CLASSES[0].patient
    assert "not a guarantee" in pcr_text
    assert "best outlook" in pcr_text


def test_explanation_carries_class_numbers_and_source() -> None:
    explanation = rcb(20, 10, 30, 10, 2, 4).explanation
    assert explanation.citation.paper is SYMMANS_2007
    assert "3.150" in explanation.clinician
    assert "RCB-II" in explanation.clinician
    assert "14.142" in explanation.clinician  # d_prim
    assert explanation.patient == RCB_CLASSES[2].patient


# --- invalid input: every problem names its field ---------------------------------

VALID = {
    "d1_mm": 20,
    "d2_mm": 10,
    "cellularity_pct": 30,
    "in_situ_pct": 10,
    "positive_nodes": 2,
    "largest_node_met_mm": 4,
}


@pytest.mark.parametrize(
    ("changes", "pattern"),
    [
        ({"d1_mm": -1}, r"d1_mm: is negative \(-1\)"),
        ({"d2_mm": "abc"}, r"d2_mm: is not a number \('abc'\)"),
        ({"d1_mm": None}, r"d1_mm: is missing"),
        ({"d2_mm": "  "}, r"d2_mm: is missing"),
        ({"d1_mm": float("nan")}, r"d1_mm: is not a number \(nan\)"),
        ({"d1_mm": float("inf")}, r"d1_mm: is infinite"),
        ({"d1_mm": "inf"}, r"d1_mm: is infinite"),
        ({"d1_mm": True}, r"d1_mm: is a yes/no value"),
        ({"d1_mm": [1]}, r"d1_mm: is not a number"),
        ({"d1_mm": 10**400}, r"d1_mm: is too large"),
        # 1e200 once reached the rounding of the index and failed there (a traceback).
        ({"d1_mm": 1e200}, r"d1_mm: is 1e\+200: 100,000 or more is no pathology value"),
        ({"d2_mm": "100000"}, r"d2_mm: is '100000': 100,000 or more"),
        ({"largest_node_met_mm": 1e300}, r"largest_node_met_mm: is 1e\+300: 100,000 or more"),
        ({"positive_nodes": 100_000}, r"positive_nodes: is 100000: 100,000 or more"),
        ({"cellularity_pct": 100.5}, r"cellularity_pct: is 100.5, above 100 %"),
        ({"cellularity_pct": -5}, r"cellularity_pct: is negative"),
        ({"in_situ_pct": "101"}, r"in_situ_pct: is '101', above 100 %"),
        ({"positive_nodes": 2.5}, r"positive_nodes: is not a whole number \(2.5\)"),
        ({"positive_nodes": -1}, r"positive_nodes: is negative"),
        ({"positive_nodes": "two"}, r"positive_nodes: is not a number"),
        ({"largest_node_met_mm": None}, r"largest_node_met_mm: is missing or 0 but"),
        ({"largest_node_met_mm": 0}, r"largest_node_met_mm: is missing or 0 but"),
        ({"largest_node_met_mm": -2}, r"largest_node_met_mm: is negative"),
        (
            {"positive_nodes": 0, "largest_node_met_mm": 3},
            r"largest_node_met_mm: is 3 but positive_nodes is 0",
        ),
        (
            {"cellularity_pct": 0, "in_situ_pct": 20},
            r"in_situ_pct: is 20 but cellularity_pct is 0",
        ),
        ({"d1_mm": 0}, r"d1_mm: is 0 but cellularity_pct is 30"),
        ({"d2_mm": "0"}, r"d2_mm: is 0 but cellularity_pct is 30"),
    ],
)
def test_invalid_input_names_the_field(changes: dict[str, object], pattern: str) -> None:
    values = {**VALID, **changes}
    with pytest.raises(InvalidInput, match=pattern) as caught:
        rcb(**values)  # type: ignore[arg-type]  # bad types on purpose
    assert all(problem.fix for problem in caught.value.problems)


def test_all_problems_are_reported_at_once() -> None:
    with pytest.raises(InvalidInput, match="4 problems") as caught:
        rcb(-1, "x", 150, 10, 1.5, 4)
    fields = [problem.field for problem in caught.value.problems]
    assert fields == ["d1_mm", "d2_mm", "cellularity_pct", "positive_nodes"]


@pytest.mark.parametrize("index", [-0.1, "abc", float("nan"), float("inf"), None])
def test_class_for_index_rejects_bad_index(index: object) -> None:
    with pytest.raises(InvalidInput, match=r"RCB index, index: "):
        class_for_index(index)  # type: ignore[arg-type]  # bad types on purpose


# --- batch -------------------------------------------------------------------------


def _table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "patient": ["A", "B", "C"],
            "d1_mm": [0, 20, 0],
            "d2_mm": [0, 10, 0],
            "cellularity_pct": [0, 30, 0],
            "in_situ_pct": [0, 10, 0],
            "positive_nodes": [0, 2, 1],
            "largest_node_met_mm": [None, 4, 2],
        }
    )


def test_frame_adds_results_and_keeps_other_columns() -> None:
    out = rcb_frame(_table())
    assert list(out["patient"]) == ["A", "B", "C"]
    assert list(out["rcb_class"]) == ["RCB-0", "RCB-II", "RCB-I"]
    assert list(out["pcr"]) == [True, False, False]
    assert out["rcb_index"].tolist() == pytest.approx([0.0, 3.150, 1.125], abs=ABS)
    assert out["explanation"][1].startswith("RCB index 3.150 = RCB-II")
    assert out["pcr"].dtype == bool


def test_frame_does_not_change_its_input() -> None:
    table = _table()
    before = table.copy()
    rcb_frame(table)
    pd.testing.assert_frame_equal(table, before)


def test_frame_keeps_the_index_labels() -> None:
    table = _table().set_index("patient")
    out = rcb_frame(table)
    assert list(out.index) == ["A", "B", "C"]
    assert out.loc["B", "rcb_class"] == "RCB-II"


def test_empty_frame_gets_the_result_columns() -> None:
    out = rcb_frame(_table().iloc[0:0])
    assert out.empty
    assert {"rcb_index", "rcb_class", "pcr", "explanation"} <= set(out.columns)


def test_frame_reports_every_bad_row_with_row_number_and_column() -> None:
    table = _table()
    table.loc[1, "d1_mm"] = -3
    table["positive_nodes"] = table["positive_nodes"].astype(object)
    table.loc[2, "positive_nodes"] = "one"
    with pytest.raises(InvalidInput, match="2 problems") as caught:
        rcb_frame(table)
    lines = str(caught.value).splitlines()
    assert lines[1].startswith("- row 2, d1_mm: is negative (-3).")
    assert lines[2].startswith("- row 3, positive_nodes: is not a number ('one').")


def test_frame_empty_cell_is_missing() -> None:
    table = _table()
    table.loc[0, "d1_mm"] = float("nan")
    with pytest.raises(InvalidInput, match=r"row 1, d1_mm: is missing"):
        rcb_frame(table)


def test_frame_names_missing_columns() -> None:
    table = _table().drop(columns=["in_situ_pct", "largest_node_met_mm"])
    with pytest.raises(InvalidInput, match="2 problems") as caught:
        rcb_frame(table)
    assert [p.field for p in caught.value.problems] == ["in_situ_pct", "largest_node_met_mm"]
    assert "add a column named in_situ_pct" in str(caught.value)


# --- properties --------------------------------------------------------------------

sizes = st.just(0.0) | st.floats(min_value=0.001, max_value=300, allow_nan=False)
percents = st.floats(min_value=0, max_value=100, allow_nan=False)
counts = st.integers(min_value=0, max_value=60)

FIELD_STRATEGY = {
    "d1_mm": sizes,
    "d2_mm": sizes,
    "cellularity_pct": percents,
    "in_situ_pct": percents,
    "positive_nodes": counts,
    "largest_node_met_mm": sizes,
}


def _valid(case: dict[str, float]) -> bool:
    """The consistency rules of rcb(), restated from its docstring."""
    cellularity_needs_a_bed = case["cellularity_pct"] == 0 or (
        case["d1_mm"] > 0 and case["d2_mm"] > 0
    )
    in_situ_needs_cancer = case["cellularity_pct"] > 0 or case["in_situ_pct"] == 0
    nodes_need_a_size = (case["positive_nodes"] > 0) == (case["largest_node_met_mm"] > 0)
    return cellularity_needs_a_bed and in_situ_needs_cancer and nodes_need_a_size


@st.composite
def cases(draw: st.DrawFn) -> dict[str, float]:
    """Valid inputs: drawn freely, then made consistent."""
    case = {field: draw(strategy) for field, strategy in FIELD_STRATEGY.items()}
    if case["cellularity_pct"] == 0:
        case["in_situ_pct"] = 0
    elif case["d1_mm"] == 0 or case["d2_mm"] == 0:
        case["cellularity_pct"] = 0
        case["in_situ_pct"] = 0
    if case["positive_nodes"] == 0:
        case["largest_node_met_mm"] = 0
    elif case["largest_node_met_mm"] == 0:
        case["largest_node_met_mm"] = 1
    return case


GROWING = ["d1_mm", "d2_mm", "cellularity_pct", "positive_nodes", "largest_node_met_mm"]


class TestProperties:
    """Symmans et al. 2007, Methods: RCB grows with every measure of residual disease."""

    @given(case=cases(), field=st.sampled_from(GROWING), data=st.data())
    def test_index_never_decreases_when_one_input_grows(
        self, case: dict[str, float], field: str, data: st.DataObject
    ) -> None:
        bigger = dict(case)
        bigger[field] = data.draw(FIELD_STRATEGY[field].filter(lambda v: v >= case[field]))
        assume(_valid(bigger))
        assert rcb(**bigger).index >= rcb(**case).index

    @given(case=cases(), data=st.data())
    def test_index_never_increases_when_in_situ_share_grows(
        self, case: dict[str, float], data: st.DataObject
    ) -> None:
        bigger = dict(case)
        bigger["in_situ_pct"] = data.draw(percents.filter(lambda v: v >= case["in_situ_pct"]))
        assume(_valid(bigger))
        assert rcb(**bigger).index <= rcb(**case).index

    @given(case=cases())
    def test_pcr_iff_index_is_zero_iff_rcb_0(self, case: dict[str, float]) -> None:
        result = rcb(**case)
        assert result.pcr == (result.index == 0) == (result.rcb_class is RcbClass.RCB_0)
        assert math.isfinite(result.index)

    @given(first=cases(), second=cases())
    def test_class_order_follows_index_order(
        self, first: dict[str, float], second: dict[str, float]
    ) -> None:
        low, high = sorted((rcb(**first), rcb(**second)), key=lambda r: r.index)
        order = list(RcbClass)
        assert order.index(low.rcb_class) <= order.index(high.rcb_class)

    @given(rows=st.lists(cases(), max_size=5))
    def test_frame_agrees_with_single_calls(self, rows: list[dict[str, float]]) -> None:
        table = pd.DataFrame(rows, columns=list(COLUMNS))
        out = rcb_frame(table)
        assert out["rcb_index"].tolist() == [rcb(**row).index for row in rows]
        assert out["rcb_class"].tolist() == [str(rcb(**row).rcb_class) for row in rows]


def test_sizes_just_below_the_bound_are_read() -> None:
    # d_prim = sqrt(99,999 × 99,999) = 99,999 mm, f_inv = 1: 1.4 × 99,999^0.17
    # = 1.4 × e^(0.17 × 11.51292) = 1.4 × e^1.957196 = 1.4 × 7.07970 = 9.9116.
    result = rcb(99_999, 99_999, 100, 0, 0, None)
    assert float(result.index) == pytest.approx(9.9116, abs=5e-4)
