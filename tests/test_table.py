"""Reading the long measurement table: every problem at once, with row, column and fix."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from longtables import one_target

from remission import classify_series
from remission.errors import InvalidInput, Problem
from remission.measurements import TOO_SMALL, Lesion
from remission.table import Status, non_target_status, read_table, to_visits

HEADER = "patient,visit,day,lesion,role,size_mm,node,organ,status"
GOOD = [
    "P1,baseline,0,T1,target,33,no,liver,",
    "P1,baseline,0,NT1,non-target,,no,bone,present",
    "P1,week 8,56,T1,target,23.1,no,liver,",
    "P1,week 8,56,NT1,non-target,,no,bone,present",
]


def csv(*rows: str, header: str = HEADER) -> str:
    return "\n".join([header, *rows]) + "\n"


def problems(text: str | bytes | pd.DataFrame, **options: object) -> list[Problem]:
    with pytest.raises(InvalidInput) as caught:
        read_table(text, **options)  # type: ignore[arg-type]
    return list(caught.value.problems)


def lines(found: list[Problem]) -> list[str]:
    return [str(p) for p in found]


# reading a good table -------------------------------------------------------------------


def test_good_table_reads() -> None:
    table = read_table(csv(*GOOD))
    assert table.patients == ("P1",)
    assert table.input_rows == 4
    assert table.excluded == ()
    visits = to_visits(table, "P1")
    assert [v.day for v in visits] == [0, 56]
    assert visits[1].targets["T1"].size_mm == Fraction(231, 10)  # type: ignore[union-attr]
    assert [v.non_target for v in visits] == ["present", "present"]


def test_exactly_30_percent_smaller_is_pr_through_the_table() -> None:
    # 33 mm → 23.1 mm is exactly −30 %: PR under RECIST 1.1 (section 4.3.1), which a
    # float comparison would miss (33 × 0.7 = 23.099999999999998).
    series = classify_series(to_visits(read_table(csv(*GOOD)), "P1"), criteria="recist1.1")
    assert series.visits[0].response.value == "PR"


def test_column_names_ignore_case_spaces_and_a_bom() -> None:
    header = "\ufeffPatient,VISIT, Day ,Lesion,ROLE,Size_MM,Node,Organ,Status"
    table = read_table(csv(*GOOD, header=header))
    assert table.patients == ("P1",)


def test_bom_in_bytes_is_read() -> None:
    table = read_table(("\ufeff" + csv(*GOOD)).encode("utf-8"))
    assert table.input_rows == 4


def test_a_path_is_read(tmp_path: Path) -> None:
    path = tmp_path / "study.csv"
    path.write_text(csv(*GOOD), encoding="utf-8")
    assert read_table(path).patients == ("P1",)
    assert read_table(str(path)).patients == ("P1",)


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    found = problems(str(tmp_path / "nope.csv"))
    assert "cannot be read" in found[0].message


def test_size_cm_is_converted_exactly() -> None:
    # 2.31 cm is 23.1 mm exactly; 3.3 cm is 33 mm.
    header = "patient,visit,day,lesion,role,size_cm"
    table = read_table(
        csv("P1,baseline,0,T1,target,3.3", "P1,week 8,56,T1,target,2.31", header=header)
    )
    visits = to_visits(table, "P1")
    assert visits[0].targets["T1"].size_mm == Fraction(33)  # type: ignore[union-attr]
    assert visits[1].targets["T1"].size_mm == Fraction(231, 10)  # type: ignore[union-attr]


def test_sizes_finer_than_a_micrometre_are_kept_exactly() -> None:
    header = "patient,visit,day,lesion,role,size_mm"
    table = read_table(
        csv("P1,baseline,0,T1,target,12.34567", "P1,week 8,56,T1,target,10", header=header)
    )
    first = to_visits(table, "P1")[0].targets["T1"]
    assert first.size_mm == Fraction("12.34567")  # type: ignore[union-attr]
    assert not table.data["exact"].iloc[0]


def test_float_sizes_from_a_frame_are_read_as_typed() -> None:
    frame = one_target(33.0, 23.1)
    sizes = [v.targets["T1"].size_mm for v in to_visits(read_table(frame), "P1")]  # type: ignore[union-attr]
    assert sizes == [Fraction(33), Fraction(231, 10)]


@pytest.mark.parametrize("dtype", [np.dtype("float32"), pd.Float32Dtype()])
def test_float32_sizes_are_read_as_typed(dtype: np.dtype[np.float32] | pd.Float32Dtype) -> None:
    # float32 stores 23.1 as 23.100000381…; read as typed, 33 → 23.1 is exactly −30 %: PR.
    frame = pd.DataFrame(
        {
            "patient": ["P1", "P1"],
            "visit": ["baseline", "week 6"],
            "day": [0, 42],
            "lesion": ["T1", "T1"],
            "role": ["target", "target"],
            "size_mm": pd.Series([33.0, 23.1]).astype(dtype),
        }
    )
    visits = to_visits(read_table(frame), "P1")
    assert visits[1].targets["T1"].size_mm == Fraction("23.1")  # type: ignore[union-attr]


def test_dates_count_days_from_each_patients_earliest_visit() -> None:
    header = "patient,visit,date,lesion,role,size_mm"
    table = read_table(
        csv(
            "P1,baseline,2024-01-08,T1,target,30",
            "P1,week 8,2024-03-04T10:30,T1,target,20",
            "P2,baseline,2024-02-01,T1,target,30",
            "P2,week 8,2024-02-29,T1,target,20",
            header=header,
        )
    )
    # 2024 is a leap year: Jan 8 → Mar 4 is 56 days; Feb 1 → Feb 29 is 28 days.
    assert [v.day for v in to_visits(table, "P1")] == [0, 56]
    assert [v.day for v in to_visits(table, "P2")] == [0, 28]


def test_study_days_are_counted_from_the_baseline() -> None:
    header = "patient,visit,day,lesion,role,size_mm"
    table = read_table(
        csv("P1,screening,-7,T1,target,30", "P1,week 8,49,T1,target,20", header=header)
    )
    assert [v.day for v in to_visits(table, "P1")] == [0, 56]


def test_rows_out_of_order_in_the_file_are_sorted_by_day() -> None:
    table = read_table(csv(GOOD[2], GOOD[3], GOOD[0], GOOD[1]))
    assert [v.label for v in to_visits(table, "P1")] == ["baseline", "week 8"]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("yes", True),
        ("Y", True),
        ("true", True),
        ("1", True),
        ("T", True),
        ("no", False),
        ("n", False),
        ("False", False),
        ("0", False),
        ("", False),
    ],
)
def test_node_words(word: str, expected: bool) -> None:
    header = "patient,visit,day,lesion,role,size_mm,node"
    table = read_table(csv(f"P1,baseline,0,T1,target,20,{word}", header=header))
    assert bool(table.data["node"].iloc[0]) is expected


def test_too_small_status_is_passed_to_the_engine() -> None:
    table = read_table(
        csv(
            "P1,baseline,0,T1,target,20,no,lung,",
            "P1,week 8,56,T1,target,,no,lung,too small",
        )
    )
    assert to_visits(table, "P1")[1].targets["T1"].size_mm == TOO_SMALL  # type: ignore[union-attr]


def test_a_target_recorded_absent_is_zero() -> None:
    table = read_table(
        csv("P1,baseline,0,T1,target,20,no,lung,", "P1,week 8,56,T1,target,,no,lung,absent")
    )
    assert to_visits(table, "P1")[1].targets["T1"].size_mm == 0  # type: ignore[union-attr]


def test_new_lesions_and_their_sites() -> None:
    table = read_table(
        csv(
            "P1,baseline,0,T1,target,20,no,lung,",
            "P1,week 8,56,T1,target,20,no,lung,",
            "P1,week 8,56,N1,new,,no,bone,",
            "P1,week 16,112,T1,target,20,no,lung,",
            "P1,week 16,112,N2,new,,no,brain,absent",
        )
    )
    visits = to_visits(table, "P1")
    assert [v.new_lesions for v in visits] == [False, True, False]
    assert visits[1].new_lesion_sites == ("bone",)


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        ([Status.PRESENT, Status.PRESENT], "present"),
        ([Status.ABSENT, Status.ABSENT], "absent"),
        ([Status.ABSENT, Status.PRESENT], "present"),
        ([Status.PRESENT], "not-assessed"),  # one of two lesions has no row
        ([Status.NOT_ASSESSED, Status.PRESENT], "not-assessed"),
        ([Status.NOT_ASSESSED, Status.PROGRESSION], "progression"),
    ],
)
def test_non_target_status_of_a_visit(statuses: list[Status], expected: str) -> None:
    # RECIST 1.1 section 4.3.3 and Table 1: unequivocal progression decides; otherwise
    # all lesions must be evaluated; CR needs all of them gone.
    assert non_target_status(statuses, 2).value == expected


def test_input_frame_is_not_changed() -> None:
    frame = pd.DataFrame(
        {
            "Patient": ["P1", "P1"],
            "visit": ["baseline", "week 8"],
            "day": [0, 56],
            "lesion": ["T1", "T1"],
            "role": ["Target", "target"],
            "size_mm": [33.0, 23.1],
        }
    )
    before = frame.copy(deep=True)
    read_table(frame)
    pd.testing.assert_frame_equal(frame, before)


def test_blank_lines_are_skipped_and_rows_keep_their_file_numbers() -> None:
    text = "\n".join([HEADER, GOOD[0], "", GOOD[1], "P1,week 8,56,T1,target,abc,no,liver,"])
    found = problems(text + "\n")
    # Row 5 in the file (header = row 1, a blank row 3).
    assert lines(found) == [
        "row 5 (patient P1), size_mm: 'abc' is not a number. Fix: type a number with a "
        "decimal point, e.g. 12.5 (no units, no commas)."
    ]


# the file itself ------------------------------------------------------------------------


def test_empty_file() -> None:
    found = problems("")
    assert found[0].message == "is empty"


def test_empty_bytes() -> None:
    assert problems(b"\n\n")[0].message == "is empty"


def test_header_but_no_rows() -> None:
    assert problems(HEADER + "\n")[0].message == "has a header but no data rows"


def test_missing_columns_are_all_listed() -> None:
    found = problems("patient,size_mm\nP1,3\n")
    assert [p.field for p in found] == ["visit", "lesion", "role", "day"]
    assert all(p.where == "row 1 (header)" for p in found)
    assert "columns found: patient, size_mm" in found[-1].fix


def test_missing_size_column_with_targets() -> None:
    found = problems("patient,visit,day,lesion,role\nP1,baseline,0,T1,target\n")
    assert found[0].field == "size_mm"
    assert "the column is missing" in found[0].message


def test_same_column_twice() -> None:
    found = problems(csv(*GOOD, header=HEADER + ",Patient").replace("present\n", "present,P1\n"))
    assert found[0].message.startswith("names the same column as 'patient'")


def test_a_second_diameter_of_0_at_follow_up_needs_a_first_of_0() -> None:
    header = "patient,visit,day,lesion,role,size_mm,perpendicular_mm"
    found = problems(
        csv("P1,baseline,0,T1,target,20,20", "P1,week 8,56,T1,target,10,0", header=header)
    )
    assert [(p.where, p.field) for p in found] == [("row 3 (patient P1)", "perpendicular_mm")]
    ok = read_table(
        csv("P1,baseline,0,T1,target,20,20", "P1,week 8,56,T1,target,0,0", header=header)
    )
    assert ok.patients == ("P1",)


def test_a_column_written_twice_is_refused_not_half_read() -> None:
    # pandas would read the second copy as "size_mm.1" and ignore it.
    text = "patient,visit,day,lesion,role,size_mm,size_mm\nP1,baseline,0,T1,target,50,100\n"
    found = problems(text)
    assert [(p.field, p.message) for p in found] == [("size_mm", "appears twice")]
    frame = pd.DataFrame([["P1", "baseline", 0, "T1", "target", 50, 100]])
    frame.columns = pd.Index(["patient", "visit", "day", "lesion", "role", "size_mm", "size_mm"])
    assert [p.message for p in problems(frame)] == ["appears twice"]
    # Unknown columns are ignored, repeated or not.
    other = "patient,visit,day,lesion,role,size_mm,note,note\nP1,baseline,0,T1,target,50,a,b\n"
    assert read_table(other).patients == ("P1",)


@pytest.mark.parametrize(("sep", "word"), [(";", "semicolon"), ("\t", "tab")])
def test_wrong_delimiter_is_named(sep: str, word: str) -> None:
    text = csv(*GOOD).replace(",", sep)
    found = problems(text)
    assert len(found) == 1
    assert f"separated by {sep!r} ({word})" in found[0].message
    assert "CSV" in found[0].fix


def test_not_utf8() -> None:
    found = problems(csv(*GOOD).replace("liver", "f\xf6ie").encode("latin-1"))
    assert found[0].message == "the file is not UTF-8 text"
    assert found[0].where == "row 2"


def test_too_many_rows_is_refused() -> None:
    found = problems(csv(*GOOD), max_rows=3)
    assert found[0].message == "has more than 3 rows"


def test_unquoted_decimal_comma_splits_the_row() -> None:
    found = problems(csv("P1,baseline,0,T1,target,2,5,no,liver,", *GOOD[1:]))
    assert lines(found)[0] == (
        "row 2 (patient P1), columns: has 10 fields but the header has 9. Fix: put text that "
        "contains a comma in double quotes, and write decimals with a point (12.5, not 12,5)."
    )


# bad values, all at once ----------------------------------------------------------------


def test_bad_numbers_are_all_reported_with_rows() -> None:
    found = problems(
        csv(
            'P1,baseline,0,T1,target,"2,5",no,liver,',
            "P1,baseline,0,T2,target,-3,no,liver,",
            "P1,baseline,0,T3,target,NA,no,liver,",
            "P1,baseline,0,T4,target,inf,no,liver,",
            "P1,baseline,0,T5,target,23 mm,no,liver,",
            "P1,baseline,0,T6,target,abc,no,liver,",
        )
    )
    assert lines(found) == [
        "row 2 (patient P1), size_mm: '2,5' uses a decimal comma. Fix: write 2.5 (a "
        "decimal point, not a comma).",
        "row 3 (patient P1), size_mm: is negative (-3). Fix: enter 0 for a lesion that has "
        "disappeared, or the measured size.",
        "row 4 (patient P1), size_mm: 'NA' is not a size. Fix: leave the cell empty if the "
        "lesion was not assessed.",
        "row 5 (patient P1), size_mm: is 'inf'. Fix: enter a finite size, or leave the cell "
        "empty if the lesion was not assessed.",
        "row 6 (patient P1), size_mm: '23 mm' includes a unit. Fix: enter the number only: "
        "the column name gives the unit (size_mm or size_cm).",
        "row 7 (patient P1), size_mm: 'abc' is not a number. Fix: type a number with a "
        "decimal point, e.g. 12.5 (no units, no commas).",
    ]


def test_nan_and_inf_floats_in_a_frame() -> None:
    frame = pd.DataFrame(
        {
            "patient": ["P1", "P1"],
            "visit": ["baseline", "baseline"],
            "day": [0, 0],
            "lesion": ["T1", "T2"],
            "role": ["target", "target"],
            "size_mm": [np.inf, np.nan],
        }
    )
    found = problems(frame)
    assert lines(found) == [
        "row 2 (patient P1), size_mm: is inf. Fix: enter a finite size, or leave the cell "
        "empty if the lesion was not assessed.",
        "row 3 (patient P1), size_mm: a baseline target needs a measured size above 0. Fix: "
        "enter the baseline size, or record the lesion as non-target.",
    ]


def test_scientific_notation_and_impossible_sizes_are_refused() -> None:
    # 1e-99999999 would be a hundred-million-digit fraction; 12,000 mm is 12 metres.
    header = "patient,visit,day,lesion,role,size_mm,size_cm"
    found = problems(
        csv(
            "P1,baseline,0,T1,target,30,",
            "P1,week 8,56,T1,target,1e-99999999,",
            "P2,baseline,0,T1,target,12000,",
            "P3,baseline,0,T1,target,,1000",
            header=header,
        )
    )
    assert [(p.where, p.message) for p in found] == [
        ("row 3 (patient P1)", "'1e-99999999' is not a plain decimal number"),
        ("row 4 (patient P2)", "is 12000, 10 metres or more: no lesion is that large"),
        ("row 5 (patient P3)", "is 1000, 10 metres or more: no lesion is that large"),
    ]
    assert found[2].fix == "check the unit: this column is in cm"


def test_a_line_break_in_an_unquoted_cell_is_reported() -> None:
    found = problems("patient,visit,day,lesion,role,size_mm\nP1,base\rline,0,T1,target,30\n")
    assert found
    assert all("Traceback" not in str(p) for p in found)


def test_mixed_units_in_one_row() -> None:
    header = "patient,visit,day,lesion,role,size_mm,size_cm"
    found = problems(csv("P1,baseline,0,T1,target,20,2", header=header))
    assert lines(found) == [
        "row 2 (patient P1), size_cm: is filled in, but this size is already given in the "
        "other unit. Fix: give each size once, in mm or in cm (mixed units in one row are "
        "ambiguous)."
    ]


def test_bad_words_and_empty_required_cells() -> None:
    found = problems(
        csv(
            "P1,baseline,0,T1,tumour,20,maybe,liver,",
            "P1,baseline,0,NT1,non-target,,no,bone,gone",
            ",baseline,0,T2,target,20,no,liver,",
            "P1,,0,T3,target,20,no,liver,",
        )
    )
    assert lines(found) == [
        "row 2 (patient P1), role: 'tumour' is not a role. Fix: use target, non-target or new.",
        "row 2 (patient P1), node: 'maybe' is not yes or no. Fix: write yes for a lymph node, "
        "no (or nothing) otherwise; true/false, y/n and 1/0 also work.",
        "row 3 (patient P1), status: 'gone' is not a status. Fix: use present, absent, "
        "progression or not-assessed (too-small for a target lesion too small to measure; "
        "empty for a measured target).",
        "row 4, patient: is empty. Fix: enter the subject id.",
        "row 5 (patient P1), visit: is empty. Fix: enter the visit label, e.g. baseline or week 8.",
    ]


def test_days_must_be_whole_numbers_and_dates_iso() -> None:
    found = problems(csv("P1,baseline,1.5,T1,target,20,no,liver,", "P1,week 8,,T1,target,20,,,"))
    assert [p.message for p in found] == ["'1.5' is not a whole number of days", "is empty"]
    header = "patient,visit,date,lesion,role,size_mm"
    found = problems(csv("P1,baseline,01/03/2024,T1,target,20", header=header))
    assert found[0].message == "'01/03/2024' is not a date written YYYY-MM-DD"
    assert "ambiguous" in found[0].fix
    found = problems(csv("P1,baseline,2024-02-30,T1,target,20", header=header))
    assert found[0].message == "'2024-02-30' is not a day in the calendar"


def test_day_and_date_must_agree() -> None:
    header = "patient,visit,day,date,lesion,role,size_mm"
    found = problems(
        csv(
            "P1,baseline,0,2024-01-08,T1,target,20",
            "P1,week 8,56,2024-03-05,T1,target,20",
            header=header,
        )
    )
    assert found[0].where == "row 3 (patient P1)"
    assert found[0].field == "date"


def test_target_status_rules() -> None:
    found = problems(
        csv(
            "P1,baseline,0,T1,target,20,no,liver,",
            "P1,baseline,0,T2,target,20,no,liver,",
            "P1,baseline,0,T3,target,20,no,liver,",
            "P1,week 8,56,T1,target,12,no,liver,too-small",
            "P1,week 8,56,T2,target,,no,liver,present",
            "P1,week 8,56,T3,target,12,no,liver,progression",
        )
    )
    assert [(p.where, p.field, p.message) for p in found] == [
        ("row 5 (patient P1)", "status", "is too-small but the row has a size"),
        ("row 6 (patient P1)", "size_mm", "is empty but the status says the lesion is present"),
        ("row 7 (patient P1)", "status", "progression is a status for non-target lesions"),
    ]


# across rows ----------------------------------------------------------------------------


def test_duplicate_rows() -> None:
    found = problems(csv(*GOOD, GOOD[2]))
    assert lines(found) == [
        "row 6 (patient P1), lesion: lesion 'T1' at visit 'week 8' is already given in row 4. "
        "Fix: delete one of the two rows (or correct the lesion id or the visit)."
    ]


def test_visit_label_on_two_days() -> None:
    found = problems(csv(*GOOD, "P1,week 8,57,T2,new,,no,bone,"))
    assert lines(found) == [
        "row 6 (patient P1), day: visit 'week 8' is on day 56 in row 4 but on day 57 here. "
        "Fix: give every row of a visit the same day (or date), or give the visits different "
        "labels."
    ]


def test_two_labels_on_one_day() -> None:
    found = problems(csv(*GOOD, "P1,week 9,56,T2,new,,no,bone,"))
    assert lines(found) == [
        "row 6 (patient P1), visit: day 56 is visit 'week 8' in row 4 but 'week 9' here. Fix: "
        "use one label per visit (or correct the day)."
    ]


def test_baseline_label_must_be_the_earliest_visit() -> None:
    found = problems(
        csv("P1,screening,-7,T1,target,30,no,liver,", "P1,baseline,0,T1,target,30,no,liver,")
    )
    assert found[0].message == (
        "is labelled baseline but day 0 is not the patient's earliest visit (day -7, row 2)"
    )


def test_baseline_rules() -> None:
    found = problems(
        csv(
            "P1,baseline,0,T1,target,,no,liver,",
            "P1,baseline,0,T2,target,,no,liver,too-small",
            "P1,baseline,0,NT1,non-target,,no,bone,absent",
            "P1,baseline,0,N1,new,,no,bone,",
        )
    )
    assert [(p.where, p.field, p.message) for p in found] == [
        ("row 2 (patient P1)", "size_mm", "a baseline target needs a measured size above 0"),
        (
            "row 3 (patient P1)",
            "size_mm",
            "a baseline target needs a measured size above 0 (it is recorded too small to measure)",
        ),
        ("row 4 (patient P1)", "status", "is absent at baseline"),
        ("row 5 (patient P1)", "role", "is new at baseline"),
    ]


def test_zero_perpendicular_at_baseline() -> None:
    header = "patient,visit,day,lesion,role,size_mm,perpendicular_mm"
    found = problems(csv("P1,baseline,0,T1,target,20,0", header=header))
    assert found[0].field == "perpendicular_mm"


def test_lesions_are_fixed_at_baseline() -> None:
    found = problems(
        csv(
            *GOOD,
            "P1,week 8,56,T9,target,10,no,liver,",
            "P1,week 16,112,T1,non-target,,no,liver,present",
            "P1,week 16,112,NT1,non-target,,no,bone,present",
        )
    )
    assert [(p.where, p.message) for p in found] == [
        ("row 6 (patient P1)", "lesion 'T9' (target) is not in the patient's baseline"),
        ("row 7 (patient P1)", "lesion 'T1' is target at baseline but non-target here"),
    ]


def test_node_must_not_change() -> None:
    found = problems(csv(GOOD[0], "P1,week 8,56,T1,target,20,yes,liver,"))
    assert found[0].field == "node"


def test_a_patient_without_baseline_disease() -> None:
    found = problems(csv("P1,week 8,56,N1,new,,no,bone,"))
    messages = [p.message for p in found]
    assert "is new at baseline" in messages
    assert any("has no target or non-target lesion" in m for m in messages)


def test_problems_come_in_row_order_and_all_at_once() -> None:
    found = problems(
        csv(
            "P1,baseline,0,T1,target,x,no,liver,",
            "P2,baseline,0,T1,target,-1,no,liver,",
            "P2,week 8,56,T1,target,20,no,liver,",
            "P3,baseline,zero,T1,target,20,no,liver,",
        )
    )
    assert [p.where for p in found] == [
        "row 2 (patient P1)",
        "row 3 (patient P2)",
        "row 5 (patient P3)",
    ]


# keep going -----------------------------------------------------------------------------


def test_keep_going_keeps_the_good_patients_and_reconciles_rows() -> None:
    text = csv(
        *GOOD,
        "P2,baseline,0,T1,target,abc,no,liver,",
        "P2,week 8,56,T1,target,20,no,liver,",
        ",week 8,56,T1,target,20,no,liver,",
        "P3,baseline,0,T1,target,40,no,liver,",
    )
    table = read_table(text, keep_going=True)
    assert table.patients == ("P1", "P3")
    assert [(e.patient, e.rows) for e in table.excluded] == [("P2", 2)]
    assert table.excluded[0].problems[0].where == "row 6 (patient P2)"
    assert [p.where for p in table.unattributed] == ["row 8"]
    assert table.unattributed_rows == 1
    # Rows read = rows kept + rows of excluded patients + rows without a patient.
    assert table.input_rows == 8
    assert len(table.data) + table.excluded[0].rows + table.unattributed_rows == 8


def test_keep_going_still_refuses_an_unusable_file() -> None:
    with pytest.raises(InvalidInput):
        read_table("patient,day\nP1,0\n", keep_going=True)


def test_unknown_patient_in_to_visits() -> None:
    with pytest.raises(InvalidInput, match="is not in the table"):
        to_visits(read_table(csv(*GOOD)), "P9")


def test_a_bad_size_is_reported_once_not_also_as_missing() -> None:
    header = "patient,visit,day,lesion,role,size_mm,perpendicular_mm"
    found = problems(
        csv(
            "P1,baseline,0,T1,target,20,10",
            "P1,week 8,56,T1,target,-5,4",
            header=header,
        )
    )
    assert [(p.where, p.field, p.message) for p in found] == [
        ("row 3 (patient P1)", "size_mm", "is negative (-5)")
    ]


# split and merged lesions (RECIST 1.1 section 4.3.2) -------------------------------------

CHANGES = "patient,visit,day,lesion,role,size_mm,perpendicular_mm,status,fragment,merged_into"


def test_a_split_lesion_is_the_sum_of_its_fragments() -> None:
    # T1 split into 12 + 10 mm: the lesion is 22 mm; with T2 at 13 mm the sum is 35 mm,
    # exactly 30 % below the baseline's 30 + 20 = 50 mm: PR.
    table = read_table(
        csv(
            "P1,baseline,0,T1,target,30,,,,",
            "P1,baseline,0,T2,target,20,,,,",
            "P1,week 8,56,T1,target,12,,,a,",
            "P1,week 8,56,T2,target,13,,,,",
            "P1,week 8,56,T1,target,10,,,b,",
            header=CHANGES,
        )
    )
    week_8 = to_visits(table, "P1")[1]
    t1 = week_8.targets["T1"]
    assert isinstance(t1, Lesion)
    assert t1.fragments_mm == (Fraction(12), Fraction(10))
    assert table.folded_rows == 1
    assert table.rows_kept == table.input_rows == 5
    series = classify_series(to_visits(table, "P1"), criteria="recist1.1")
    assert series.visits[0].sum_mm == 35
    assert series.visits[0].response.value == "PR"
    assert "split into 2 fragments" in series.visits[0].explanation.lesions


def test_a_merged_lesion_counts_as_zero() -> None:
    # T2 merged into T1, which is measured as one at 45 mm: sum 45 of 50 mm (−10 %), and
    # an empty size for the merged lesion counts as 0, not as "not assessed".
    table = read_table(
        csv(
            "P1,baseline,0,T1,target,30,,,,",
            "P1,baseline,0,T2,target,20,,,,",
            "P1,week 8,56,T1,target,45,,,,",
            "P1,week 8,56,T2,target,,,,,T1",
            header=CHANGES,
        )
    )
    assert table.merges == {5: "T1"}
    series = classify_series(to_visits(table, "P1"), criteria="recist1.1")
    assert series.visits[0].all_assessed
    assert series.visits[0].sum_mm == 45
    assert "merged into T1" in series.visits[0].explanation.lesions


def test_split_and_merged_rows_are_checked() -> None:
    found = problems(
        csv(
            "P1,baseline,0,T1,target,30,,,a,",
            "P1,baseline,0,T2,target,20,,,,T1",
            "P1,baseline,0,NT1,non-target,,,present,,",
            "P1,week 8,56,T1,target,12,,,a,",
            "P1,week 8,56,T1,target,,,,b,",
            "P1,week 8,56,T1,target,9,,,,",
            "P1,week 8,56,T2,target,5,,,,T1",
            "P1,week 8,56,NT1,non-target,,,present,,T2",
            "P2,baseline,0,T1,target,30,,,,",
            "P2,baseline,0,T2,target,20,,,,",
            "P2,week 8,56,T1,target,45,3,,c,",
            "P2,week 8,56,T1,target,5,,,c,",
            "P2,week 8,56,T2,target,,,,,T2",
            "P2,week 12,84,T2,target,0,,,,T7",
            header=CHANGES,
        )
    )
    assert [(p.where, p.field, p.message) for p in found] == [
        ("row 2 (patient P1)", "fragment", "is given at baseline"),
        ("row 3 (patient P1)", "merged_into", "is given at baseline"),
        ("row 6 (patient P1)", "size_mm", "is empty for a fragment"),
        (
            "row 7 (patient P1)",
            "lesion",
            "lesion 'T1' at visit 'week 8' is given whole here and in fragments from row 5",
        ),
        ("row 8 (patient P1)", "size_mm", "is not 0 for a lesion merged into another"),
        ("row 9 (patient P1)", "merged_into", "is given for a non-target lesion"),
        ("row 12 (patient P2)", "perpendicular_mm", "is given for a fragment"),
        (
            "row 13 (patient P2)",
            "lesion",
            "fragment 'c' of lesion 'T1' at visit 'week 8' is already given in row 12",
        ),
        ("row 14 (patient P2)", "merged_into", "names the lesion itself"),
        ("row 15 (patient P2)", "merged_into", "'T7' is not one of the patient's baseline targets"),
    ]
    assert all(p.fix for p in found)


def test_keep_going_reconciles_rows_with_fragments() -> None:
    table = read_table(
        csv(
            "P1,baseline,0,T1,target,30,,,,",
            "P1,week 8,56,T1,target,12,,,a,",
            "P1,week 8,56,T1,target,10,,,b,",
            "P1,week 8,56,T1,target,1,,,c,",
            "P2,baseline,0,T1,target,30,,,,",
            "P2,week 8,56,T1,target,12,,,a,",
            "P2,week 8,56,T1,target,,,,b,",
            header=CHANGES,
        ),
        keep_going=True,
    )
    assert table.patients == ("P1",)
    assert len(table.data) == 2
    assert table.rows_kept + table.excluded[0].rows == table.input_rows == 7


def test_a_split_needs_two_fragments_of_plausible_size() -> None:
    found = problems(
        csv(
            "P1,baseline,0,T1,target,30,,,,",
            "P1,baseline,0,T2,target,20,,,,",
            "P1,week 8,56,T1,target,9999,,,a,",
            "P1,week 8,56,T1,target,9999,,,b,",
            "P1,week 8,56,T2,target,12,,,c,",
            header=CHANGES,
        )
    )
    assert [(p.where, p.field, p.message) for p in found] == [
        (
            "row 4 (patient P1)",
            "size_mm",
            "the fragments of lesion 'T1' add up to 10 metres or more: no lesion is that large",
        ),
        ("row 6 (patient P1)", "fragment", "is the only fragment of lesion 'T2' at this visit"),
    ]


def test_a_merger_joins_a_lesion_measured_as_one() -> None:
    # Two lesions each merged into the other: nothing was measured; refused, not CR.
    found = problems(
        csv(
            "P1,baseline,0,T1,target,30,,,,",
            "P1,baseline,0,T2,target,20,,,,",
            "P1,week 8,56,T1,target,0,,,,T2",
            "P1,week 8,56,T2,target,0,,,,T1",
            header=CHANGES,
        )
    )
    assert [p.message for p in found] == [
        "names T2, which is merged into another lesion too",
        "names T1, which is merged into another lesion too",
    ]
    # The lesion it joined was not assessed: neither was the merged one (no sum, NE).
    table = read_table(
        csv(
            "P1,baseline,0,T1,target,30,,,,",
            "P1,baseline,0,T2,target,20,,,,",
            "P1,week 8,56,T2,target,,,,,T1",
            header=CHANGES,
        )
    )
    [visit] = classify_series(to_visits(table, "P1"), criteria="recist1.1").visits
    assert (visit.response.value, visit.sum_mm) == ("NE", None)


def test_cells_no_csv_can_hold_are_problems() -> None:
    frame = pd.DataFrame(
        {
            "patient": ["P1", ["P2"]],
            "visit": ["baseline", "week 8"],
            "day": [0, 56],
            "lesion": ["T1", "T1"],
            "role": ["target", "target"],
            "size_mm": [30, {"mm": 20}],
        }
    )
    with pytest.raises(InvalidInput) as caught:
        read_table(frame)
    assert [(p.where, p.field, p.message) for p in caught.value.problems] == [
        ("row 3", "patient", "holds a list, not one value"),
        ("row 3", "size_mm", "holds a dict, not one value"),
    ]
    complex_sizes = frame.assign(patient="P1", size_mm=[30 + 0j, 20 + 5j])
    with pytest.raises(InvalidInput, match="holds complex numbers"):
        read_table(complex_sizes)


def test_a_target_present_with_size_0_is_a_problem() -> None:
    text = (
        "patient,visit,day,lesion,role,size_mm,status\n"
        "P1,baseline,0,T1,target,30,\n"
        "P1,week 8,56,T1,target,0,present\n"
    )
    with pytest.raises(InvalidInput) as caught:
        read_table(text)
    (problem,) = caught.value.problems
    assert (problem.where, problem.field) == ("row 3 (patient P1)", "status")


def test_arrays_and_series_in_cells_are_problems() -> None:
    frame = one_target(np.array([33.0]), 23.1)
    with pytest.raises(InvalidInput) as caught:
        read_table(frame)
    (problem,) = caught.value.problems
    assert (problem.where, problem.field, problem.message) == (
        "row 2",
        "size_mm",
        "holds a ndarray, not one value",
    )


def test_bytes_cells_are_read_as_utf8_text_or_named() -> None:
    # pandas.read_sas gives bytes: UTF-8 is read as text (the input is not changed);
    # bytes that are not UTF-8 are a problem at their row and column.
    frame = one_target(33.0, 23.1).assign(patient=[b"P1", b"P1"])
    assert read_table(frame).patients == ("P1",)
    assert frame["patient"].tolist() == [b"P1", b"P1"]
    with pytest.raises(InvalidInput) as caught:
        read_table(frame.assign(patient=[b"P1", b"\xff"]))
    (problem,) = caught.value.problems
    assert (problem.where, problem.field) == ("row 3", "patient")
