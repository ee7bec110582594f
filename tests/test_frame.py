"""classify_frame and best_response_frame: hand-checked answers, and batch == scalar.

The property test builds random small cohorts (nodes, lesions too small to measure or not
assessed, WHO perpendiculars, non-target statuses, new lesions, sizes finer than a
micrometre, cm, dates, long gaps) and holds every field of every visit to what
:func:`remission.classify_series` says for that patient.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from longtables import one_target

from remission import CRITERIA, classify_series, examples, get_criteria
from remission.errors import InvalidInput
from remission.frame import BEST_COLUMNS, VISIT_COLUMNS, best_response_frame, classify_frame
from remission.table import read_table, to_visits


def table(*rows: tuple[Any, ...], perpendicular: bool = False) -> pd.DataFrame:
    columns = ["patient", "visit", "day", "lesion", "role", "size_mm", "node", "status"]
    if perpendicular:
        columns.append("perpendicular_mm")
    return pd.DataFrame([list(r) for r in rows], columns=columns)


def one_lesion(baseline: float, *follow_ups: float, criteria: str = "recist1.1") -> list[str]:
    rows = [("P", "baseline", 0, "T1", "target", baseline, "no", "")]
    rows += [
        ("P", f"v{i}", 28 * i, "T1", "target", size, "no", "")
        for i, size in enumerate(follow_ups, 1)
    ]
    out = classify_frame(table(*rows), criteria=criteria)
    return [str(r) for r in out["response"].dropna()]


# thresholds, by hand from the papers -----------------------------------------------------


def test_pr_at_exactly_30_percent() -> None:
    # RECIST 1.1 section 4.3.1: "at least a 30 % decrease": 33 → 23.1 mm is PR; 23.2 is not.
    assert one_lesion(33, 23.1) == ["PR"]
    assert one_lesion(33, 23.2) == ["SD"]


def test_pd_needs_20_percent_and_5_mm_from_the_nadir() -> None:
    # Nadir 26 mm: 31.2 is +20 % and +5.2 mm: PD; 31.1 is +19.6 %: SD.
    assert one_lesion(30, 26, 31.2) == ["SD", "PD"]
    assert one_lesion(30, 26, 31.1) == ["SD", "SD"]
    # Baseline 12, nadir 10 mm: 12 is +20 % but only +2 mm: SD under RECIST 1.1, PD under
    # RECIST 1.0 (no 5 mm rule).
    assert one_lesion(12, 10, 12) == ["SD", "SD"]
    assert one_lesion(12, 10, 12, criteria="recist1.0") == ["SD", "PD"]


@pytest.mark.parametrize(("size", "expected"), [(4.9, "PR"), (5, "PD")])
def test_regrowth_from_a_zero_nadir_needs_5_mm(size: float, expected: str) -> None:
    # RECIST 1.1 section 4.3.1 with a nadir of 0 (targets gone, non-target still there:
    # overall PR): any sum is over 20 % above 0, so the 5 mm minimum decides.
    visits = (("baseline", 0, 20), ("v1", 28, 0), ("v2", 56, size))
    rows: list[tuple[Any, ...]] = [
        ("P", visit, day, "T1", "target", mm, "no", "") for visit, day, mm in visits
    ]
    rows += [
        ("P", visit, day, "NT1", "non-target", None, "no", "present") for visit, day, _ in visits
    ]
    out = classify_frame(table(*rows), criteria="recist1.1")
    assert [str(r) for r in out["response"].dropna()] == ["PR", expected]


def test_a_visit_with_no_target_measured_has_no_sum() -> None:
    out = classify_frame(
        table(
            ("P", "baseline", 0, "T1", "target", 30, "no", ""),
            ("P", "baseline", 0, "NT1", "non-target", None, "no", "present"),
            ("P", "week 6", 42, "NT1", "non-target", None, "no", "present"),
        ),
        criteria="recist1.1",
    ).iloc[1]
    assert (out["response"], out["lesions_assessed"]) == ("NE", 0)
    assert math.isnan(out["sum_mm"])
    assert (
        "Baseline sum 30 mm; nadir 30 mm; no target lesion was measured at this visit."
        in out["explanation"]
    )


def test_basic_rule_is_50_percent() -> None:
    # The founding document: at least 50 % smaller: 100 → 50 is partial; 51 is not.
    assert one_lesion(100, 50, criteria="basic") == ["PR"]
    assert one_lesion(100, 51, criteria="basic") == ["SD"]


def test_nadir_is_the_smallest_previous_complete_sum() -> None:
    out = classify_frame(
        table(
            ("P", "baseline", 0, "T1", "target", 30, "no", ""),
            ("P", "baseline", 0, "T2", "target", 20, "no", ""),
            ("P", "v1", 28, "T1", "target", 10, "no", ""),  # T2 missing: incomplete
            ("P", "v2", 56, "T1", "target", 20, "no", ""),
            ("P", "v2", 56, "T2", "target", 20, "no", ""),
        ),
        criteria="recist1.1",
    )
    # The incomplete 10 mm at v1 is not a nadir: v2 is compared with the baseline 50 mm.
    assert out["nadir_mm"].tolist()[1:] == [50.0, 50.0]
    assert out["all_assessed"].tolist() == [True, False, True]
    assert out["lesions_assessed"].tolist() == [2, 1, 2]
    assert math.isnan(out["pct_change_baseline"].iloc[1])
    assert out["pct_change_baseline"].iloc[2] == -20.0


def test_pct_change_from_a_zero_nadir_is_undefined() -> None:
    out = classify_frame(
        table(
            ("P", "baseline", 0, "T1", "target", 20, "no", ""),
            ("P", "v1", 28, "T1", "target", 0, "no", ""),
            ("P", "v2", 56, "T1", "target", 4, "no", ""),
        ),
        criteria="recist1.1",
    )
    assert math.isnan(out["pct_change_nadir"].iloc[2])
    # After a CR, a lesion that comes back is PD (RECIST 1.1 Table 3 footnote; FAQ).
    assert out["response"].astype(str).tolist()[1:] == ["CR", "PD"]
    assert str(out["rule"].iloc[2]) == "target:reappearance"
    assert "from nadir +4 mm (undefined)" in out["explanation"].iloc[2]


# the frame itself -----------------------------------------------------------------------


def test_split_and_merged_lesions() -> None:
    # RECIST 1.1 section 4.3.2. Baseline T1 30 + T2 20 = 50 mm. Week 8: T1 split into
    # 12 + 10 mm, T2 13 mm: 35 mm = −30 % exactly: PR. Week 16: T2 merged into T1, measured
    # as one at 41 mm (T2 counts 0): −18 % from baseline and +17.1 % over the 35 mm nadir,
    # so not PD, and PR holds until progression (RECIST 1.1 FAQ).
    frame = pd.DataFrame(
        [
            ("P", "baseline", 0, "T1", "target", 30, "", ""),
            ("P", "baseline", 0, "T2", "target", 20, "", ""),
            ("P", "week 8", 56, "T1", "target", 12, "a", ""),
            ("P", "week 8", 56, "T1", "target", 10, "b", ""),
            ("P", "week 8", 56, "T2", "target", 13, "", ""),
            ("P", "week 16", 112, "T1", "target", 41, "", ""),
            ("P", "week 16", 112, "T2", "target", 0, "", "T1"),
        ],
        columns=["patient", "visit", "day", "lesion", "role", "size_mm", "fragment", "merged_into"],
    )
    out = classify_frame(frame, criteria="recist1.1").iloc[1:]
    assert out["sum_mm"].tolist() == [35.0, 41.0]
    assert out["pct_change_baseline"].tolist()[0] == -30.0
    assert out["pct_change_baseline"].tolist()[1] == -18.0
    assert out["nadir_mm"].tolist() == [50.0, 35.0]
    assert out["response"].astype(str).tolist() == ["PR", "PR"]
    assert out["all_assessed"].tolist() == [True, True]


def test_columns_and_baseline_rows() -> None:
    out = classify_frame(examples.load("mixed-cohort"), criteria="recist1.1")
    assert tuple(out.columns) == VISIT_COLUMNS
    base = out[out["visit"] == "baseline"]
    assert set(base["rule"].astype(str)) == {"baseline"}
    assert base["response"].isna().all()
    assert base["explanation"].str.startswith("Baseline under RECIST 1.1").all()


def test_dates_are_carried_to_the_output() -> None:
    out = classify_frame(examples.load("breast-recurrence"), criteria="recist1.1")
    assert list(out.columns[:4]) == ["patient", "visit", "day", "date"]
    assert str(out["date"].iloc[1])[:10] == "2024-03-04"


def test_explanations_carry_numbers_and_the_rule_with_its_source() -> None:
    out = classify_frame(examples.load("recist-worked"), criteria="recist1.1")
    last = out["explanation"].iloc[-1]
    assert last.startswith("Partial response (PR) under RECIST 1.1.")
    assert "current sum 35 mm; change from baseline −15 mm (−30.0 %)" in last
    assert "(Eisenhauer et al. 2009 (RECIST 1.1), section 4.3.1)." in last
    assert "For patients: The measured tumours are 30.0 % smaller" in last
    partial = out["explanation"].iloc[1]
    assert "sum of the lesions measured 80 mm (not every target was measured" in partial


def test_the_input_is_not_changed() -> None:
    frame = examples.load("nodes-and-small")
    before = frame.copy(deep=True)
    classify_frame(frame, criteria="recist1.1")
    best_response_frame(frame, criteria="recist1.1")
    pd.testing.assert_frame_equal(frame, before)


def test_best_response_frame() -> None:
    best = best_response_frame(examples.load("mixed-cohort"), criteria="recist1.1")
    assert tuple(best.columns) == BEST_COLUMNS
    assert dict(
        zip(best["patient"].astype(str), best["best_response"].astype(str), strict=True)
    ) == {
        "P01": "PR",
        "P02": "SD",
        "P03": "SD",
        "P04": "CR",
        "P05": "SD",
        "P06": "PD",
        "P07": "NON-CR/NON-PD",
    }
    # P01: the largest shrinkage is at week 18, 44 vs 70 mm.
    assert best["best_pct_change"].iloc[0] == pytest.approx(-37.142857142857146, abs=0)
    assert best["assessments"].tolist() == [3, 3, 2, 2, 2, 1, 2]


def test_a_patient_with_only_a_baseline() -> None:
    frame = table(("P", "baseline", 0, "T1", "target", 20, "no", ""))
    assert classify_frame(frame)["rule"].astype(str).tolist() == ["baseline"]
    best = best_response_frame(frame)
    assert str(best["best_response"].iloc[0]) == "NE"
    assert best["best_response_day"].isna().all()


def test_bad_options_are_reported_together() -> None:
    with pytest.raises(InvalidInput) as caught:
        classify_frame(examples.load("mixed-cohort"), confirmation_days="soon", sd_min_days=-1)
    assert [p.field for p in caught.value.problems] == ["confirmation_days", "sd_min_days"]


def test_bad_input_is_invalid_input_not_a_traceback() -> None:
    with pytest.raises(InvalidInput, match="row 2"):
        classify_frame(table(("P", "baseline", 0, "T1", "target", -5, "no", "")))


def test_every_patient_excluded_gives_empty_frames() -> None:
    checked = read_table(table(("P", "baseline", 0, "T1", "target", -1, "no", "")), keep_going=True)
    assert checked.patients == ()
    visits = classify_frame(checked)
    best = best_response_frame(checked)
    assert (visits.empty, tuple(visits.columns)) == (True, VISIT_COLUMNS)
    assert (best.empty, tuple(best.columns)) == (True, BEST_COLUMNS)


def test_unknown_criteria() -> None:
    with pytest.raises(InvalidInput, match="is not a criteria set"):
        classify_frame(examples.load("mixed-cohort"), criteria="recist 2")


def test_fine_sizes_go_through_the_scalar_engine_with_the_same_answer() -> None:
    frame = table(
        ("A", "baseline", 0, "T1", "target", 32.9999, "no", ""),
        ("A", "v1", 28, "T1", "target", 23.1, "no", ""),
        ("B", "baseline", 0, "T1", "target", 9000.0, "no", ""),
        ("B", "v1", 28, "T1", "target", 6300.0005, "no", ""),
        ("C", "baseline", 0, "T1", "target", 33, "no", ""),
        ("C", "v1", 28, "T1", "target", 23.1, "no", ""),
    )
    out = classify_frame(frame, criteria="recist1.1")
    # 0.7 × 32.9999 = 23.09993 < 23.1: SD, decided exactly; 0.7 × 9000 = 6300 < 6300.0005
    # by half a micrometre: SD; C: 33 → 23.1 is exactly −30 %: PR.
    assert ["" if pd.isna(r) else str(r) for r in out["response"]] == ["", "SD", "", "SD", "", "PR"]
    assert out["patient"].astype(str).tolist() == ["A", "A", "B", "B", "C", "C"]
    # Explanations print sums as measured: 32.9999 mm stays 32.9999 mm.
    assert (
        "Baseline sum 32.9999 mm; nadir 32.9999 mm; current sum 23.1 mm"
        in (out["explanation"].iloc[1])
    )
    assert_same_as_scalar(frame, "recist1.1")


# batch == scalar --------------------------------------------------------------------------

SIZES = [0, 0, 4.9, 5, 8, 9.9, 10, 12, 15, 20, 23.1, 24.5, 26, 31.2, 33, 40, 50, 12.3456]
ORGANS = ["liver", "lung", "Lung ", "bone", "brain", "somewhere", None]


@st.composite
def cohorts(draw: st.DrawFn) -> pd.DataFrame:
    rows: list[dict[str, object]] = []
    use_dates = draw(st.booleans())
    use_cm = draw(st.booleans())
    for p in range(draw(st.integers(1, 4))):
        n_targets = draw(st.integers(0, 3))
        n_non_targets = draw(st.integers(0 if n_targets else 1, 2))
        nodes = [draw(st.booleans()) for _ in range(n_targets)]
        organs = [draw(st.sampled_from(ORGANS)) for _ in range(n_targets)]
        day = draw(st.integers(-10, 5))
        for v in range(draw(st.integers(1, 5))):
            if v:
                day += draw(st.sampled_from([1, 14, 28, 29, 42, 56, 120, 400]))
            common = {"patient": f"P{p}", "visit": f"v{v}", "day": day}
            for t in range(n_targets):
                if v and draw(st.integers(0, 9)) == 0:
                    continue  # no row: not assessed
                size: object = draw(st.sampled_from([s for s in SIZES if s or v]))
                status = ""
                if v and draw(st.integers(0, 9)) == 0:
                    size, status = "", "too-small"
                elif v and draw(st.integers(0, 9)) == 0:
                    size = ""
                perp: object = ""
                if size not in ("", 0) and draw(st.booleans()):
                    perp = draw(st.sampled_from([s for s in SIZES if s]))
                row = {
                    **common,
                    "lesion": f"T{t}",
                    "role": "target",
                    "node": "yes" if nodes[t] else "no",
                    "organ": organs[t],
                    "status": status,
                    "perpendicular_mm": perp,
                }
                change = draw(st.integers(0, 11)) if v and size != "" else -1
                if change == 0 and t > 0:  # merged into T0 (RECIST 1.1 section 4.3.2)
                    size, row["perpendicular_mm"] = draw(st.sampled_from(["", 0])), ""
                    row["merged_into"] = "T0"
                elif change == 1:  # split: one row per fragment
                    row["perpendicular_mm"] = row["status"] = ""
                    for piece in "ab":
                        rows.append(
                            {**row, "size_mm": draw(st.sampled_from(SIZES)), "fragment": piece}
                        )
                    continue
                if use_cm and isinstance(size, (int, float)):
                    row["size_cm"] = size / 10 if size != 12.3456 else 1.23456
                    row["size_mm"] = ""
                else:
                    row["size_mm"] = size
                rows.append(row)
            for k in range(n_non_targets):
                if v and draw(st.integers(0, 9)) == 0:
                    continue
                statuses = ["present", "absent", "progression", "not-assessed"]
                rows.append(
                    {
                        **common,
                        "lesion": f"NT{k}",
                        "role": "non-target",
                        "status": draw(st.sampled_from(statuses)) if v else "present",
                        "organ": "bone",
                    }
                )
            if v and draw(st.integers(0, 5)) == 0:
                rows.append(
                    {
                        **common,
                        "lesion": f"N{v}",
                        "role": "new",
                        "organ": draw(st.sampled_from(ORGANS)),
                        "status": draw(st.sampled_from(["", "present", "absent"])),
                    }
                )
    frame = pd.DataFrame(rows)
    for name in (
        "size_mm",
        "size_cm",
        "perpendicular_mm",
        "node",
        "organ",
        "status",
        "fragment",
        "merged_into",
    ):
        if name not in frame.columns:
            frame[name] = ""
    frame = frame.astype({"size_mm": object, "size_cm": object, "perpendicular_mm": object})
    if use_dates:
        frame["date"] = (
            pd.Timestamp("2024-01-01") + pd.to_timedelta(frame["day"], "D")
        ).dt.strftime("%Y-%m-%d")
        frame = frame.drop(columns="day")
    return frame


def same(expected: object, got: object) -> bool:
    def empty(x: object) -> bool:
        return x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x))

    if empty(expected) or empty(got):
        return empty(expected) and empty(got)
    return expected == got


def assert_same_as_scalar(frame: pd.DataFrame, criteria: str, **options: Any) -> None:
    checked = read_table(frame)
    visits = classify_frame(checked, criteria=criteria, **options)
    best = best_response_frame(checked, criteria=criteria, **options)
    for patient in checked.patients:
        series = classify_series(to_visits(checked, patient), criteria=criteria, **options)
        rows = visits[visits["patient"] == patient]
        assert len(rows) == len(series.visits) + 1
        for (_, row), a in zip(rows.iloc[1:].iterrows(), series.visits, strict=True):
            expected = {
                "visit": a.visit,
                "day": a.day,
                "sum_mm": a.sum_mm,
                "baseline_sum_mm": a.baseline_sum_mm,
                "nadir_mm": a.nadir_mm,
                "pct_change_baseline": a.percent_change,
                "pct_change_nadir": a.percent_change_nadir,
                "target_response": None if a.target_response is None else a.target_response.value,
                "non_target_response": None
                if a.non_target_response is None
                else a.non_target_response.value,
                "new_lesions": a.new_lesions,
                "response": a.response.value,
                "rule": a.rule_id,
                "explanation": a.explanation.text,
                "measure": a.measure.value,
                "unit": a.unit,
                "all_assessed": a.all_assessed,
                "lesions_assessed": sum(x.value is not None for x in a.lesions),
                "warnings": "; ".join(map(str, a.warnings)),
                "recurrence": a.recurrence,
            }
            for name, value in expected.items():
                got = row[name]
                assert same(value, got), (patient, a.visit, name, value, got)
        b = best[best["patient"] == patient].iloc[0]
        expected_best = {
            "best_response": series.best_response.response.value,
            "best_response_day": series.best_response.day,
            "confirmed_day": series.best_response.confirmed_day,
            "best_pct_change": series.best_percent_change,
            "rule": str(series.best_response.explanation.rule),
        }
        for name, value in expected_best.items():
            assert same(value, b[name]), (patient, "best", name, value, b[name])


# Each example classifies a whole cohort twice: 60 in the default run, the heavy profile's
# count (10,000) in a soak.
_PROFILE_EXAMPLES = settings().max_examples


@settings(max_examples=60 if _PROFILE_EXAMPLES <= 100 else _PROFILE_EXAMPLES)
@given(
    frame=cohorts(),
    criteria=st.sampled_from(list(CRITERIA)),
    options=st.sampled_from(
        [
            {},
            {"confirmation_days": 28},
            {"confirmation_days": None, "sd_min_days": 0},
            {"confirmation_days": 28, "accept_sd": True, "max_ne_between": 0},
            {"confirmation_days": 0, "max_ne_between": 2},
            {"confirmation_days": 56, "accept_sd": True},
        ]
    ),
)
def test_batch_equals_scalar_on_every_field(
    frame: pd.DataFrame, criteria: str, options: dict[str, Any]
) -> None:
    assert_same_as_scalar(frame, criteria, **options)


@settings(max_examples=40 if _PROFILE_EXAMPLES <= 100 else _PROFILE_EXAMPLES)
@given(
    frame=cohorts(),
    criteria=st.sampled_from(["basic", "who", "recist1.0", "recist1.1"]),
    split=st.integers(0, 2**16),
)
def test_any_split_of_the_patients_gives_the_same_rows(
    frame: pd.DataFrame, criteria: str, split: int
) -> None:
    # Each patient is classified on its own visits: a study cut into parts (per-patient
    # parallelism, e.g. applyInPandas) and put back together equals the whole.
    whole = classify_frame(frame, criteria=criteria, confirmation_days=28).astype(str)
    patients = list(dict.fromkeys(frame["patient"]))
    first = {p for i, p in enumerate(patients) if split >> (i % 16) & 1}
    parts = [frame[frame["patient"].isin(first)], frame[~frame["patient"].isin(first)]]
    joined = pd.concat(
        [
            classify_frame(part, criteria=criteria, confirmation_days=28)
            for part in parts
            if len(part)
        ]
    ).astype(str)
    joined = joined.set_index("patient").loc[patients].reset_index()
    pd.testing.assert_frame_equal(whole.reset_index(drop=True), joined.reset_index(drop=True))


def test_history_rules_match_the_scalar_engine() -> None:
    # A: non-target disease back after a CR is PD (RECIST 1.1 Table 3 footnote a).
    # B: 100 → 68 → 75 mm with confirmation required: the PR is not yet confirmed, so
    # the FAQ's hold does not apply: PR, SD.
    rows: list[tuple[Any, ...]] = [
        ("A", "baseline", 0, "T1", "target", 20, "no", ""),
        ("A", "baseline", 0, "NT1", "non-target", None, "no", "present"),
        ("A", "w8", 56, "T1", "target", 0, "no", ""),
        ("A", "w8", 56, "NT1", "non-target", None, "no", "absent"),
        ("A", "w16", 112, "T1", "target", 0, "no", ""),
        ("A", "w16", 112, "NT1", "non-target", None, "no", "present"),
        ("B", "baseline", 0, "T1", "target", 100, "no", ""),
        ("B", "w6", 42, "T1", "target", 68, "no", ""),
        ("B", "w10", 70, "T1", "target", 75, "no", ""),
    ]
    frame = table(*rows)
    assert_same_as_scalar(frame, "recist1.1", confirmation_days=28)
    out = classify_frame(frame, criteria="recist1.1", confirmation_days=28)
    assert [str(r) for r in out["response"].dropna()] == ["CR", "PD", "PR", "SD"]


def test_products_are_decided_at_baseline_as_the_scalar_engine_does() -> None:
    rows: list[tuple[Any, ...]] = [
        ("P", "baseline", 0, "T1", "target", 40, "no", "", 40),
        ("P", "d28", 28, "T1", "target", 28, "no", "", 28),
        ("P", "d84", 84, "T1", "target", 28, "no", "", None),
    ]
    frame = table(*rows, perpendicular=True)
    assert_same_as_scalar(frame, "who")
    out = classify_frame(frame, criteria="who")
    assert [str(r) for r in out["response"].dropna()] == ["PR", "NE"]
    assert "d84: no perpendicular diameter" in str(out["warnings"].iloc[-1])


def test_recurrences_are_named_as_the_scalar_engine_names_them() -> None:
    # A node back after CR: regional; three spellings of bone: one distant recurrence.
    columns = ["patient", "visit", "day", "lesion", "role", "size_mm", "node", "status", "organ"]
    frame = pd.DataFrame(
        [
            ("A", "baseline", 0, "T1", "target", 30, "no", "", "liver"),
            ("A", "baseline", 0, "T2", "target", 20, "yes", "", "axilla"),
            ("A", "w8", 56, "T1", "target", 0, "no", "", "liver"),
            ("A", "w8", 56, "T2", "target", 6, "yes", "", "axilla"),
            ("A", "w17", 120, "T1", "target", 0, "no", "", "liver"),
            ("A", "w17", 120, "T2", "target", 25, "yes", "", "axilla"),
            ("B", "baseline", 0, "T1", "target", 30, "no", "", "liver"),
            ("B", "w8", 56, "T1", "target", 0, "no", "", "liver"),
            ("B", "w20", 140, "T1", "target", 0, "no", "", "liver"),
            *[
                ("B", "w20", 140, f"N{k}", "new", None, "no", "present", o)
                for k, o in enumerate(("bone", "Bones", "spine"))
            ],
        ],
        columns=columns,
    )
    assert_same_as_scalar(frame, "recist1.1")
    out = classify_frame(frame, criteria="recist1.1")
    assert out["recurrence"].astype(str).tolist()[2::3] == [
        "recurrence — regional (axillary lymph nodes)",
        "recurrence — distant (bone)",
    ]


def test_non_target_disease_back_after_cr_names_its_site() -> None:
    # Target gone and pleura clear (CR); pleura present again: PD (Table 3 footnote a),
    # a distant recurrence by the non-target lesion's organ.
    columns = ["patient", "visit", "day", "lesion", "role", "size_mm", "node", "status", "organ"]
    frame = pd.DataFrame(
        [
            ("P", "baseline", 0, "T1", "target", 30, "no", "", "liver"),
            ("P", "baseline", 0, "NT1", "non-target", None, "no", "present", "pleura"),
            ("P", "w8", 56, "T1", "target", 0, "no", "", "liver"),
            ("P", "w8", 56, "NT1", "non-target", None, "no", "absent", "pleura"),
            ("P", "w16", 112, "T1", "target", 0, "no", "", "liver"),
            ("P", "w16", 112, "NT1", "non-target", None, "no", "present", "pleura"),
        ],
        columns=columns,
    )
    assert_same_as_scalar(frame, "recist1.1")
    out = classify_frame(frame, criteria="recist1.1")
    assert out["response"].astype(str).tolist()[1:] == ["CR", "PD"]
    assert out["recurrence"].astype(str).tolist()[-1] == "recurrence — distant (pleura)"


def test_nodes_back_after_cr_are_flagged_as_the_scalar_engine_does() -> None:
    # Both nodes back by under 5 mm after a CR (9 → 11, 8 → 12 mm, rows in another order
    # than at baseline): PD with the FAQ's warning; a node back by 7.4 mm: no warning.
    rows: list[tuple[Any, ...]] = [
        ("A", "baseline", 0, "N1", "target", 20, "yes", ""),
        ("A", "baseline", 0, "N2", "target", 18, "yes", ""),
        ("A", "w8", 56, "N2", "target", 8, "yes", ""),
        ("A", "w8", 56, "N1", "target", 9, "yes", ""),
        ("A", "w16", 112, "N2", "target", 12, "yes", ""),
        ("A", "w16", 112, "N1", "target", 11, "yes", ""),
        ("C", "baseline", 0, "N1", "target", 20, "yes", ""),
        ("C", "w8", 56, "N1", "target", 7, "yes", ""),
        ("C", "w16", 112, "N1", "target", 14.4, "yes", ""),
    ]
    frame = table(*rows)
    assert_same_as_scalar(frame, "recist1.1")
    out = classify_frame(frame, criteria="recist1.1")
    assert out["response"].astype(str).tolist()[-1] == "PD"
    warnings = out["warnings"].astype(str).tolist()
    assert "(N1 9 → 11 mm, N2 8 → 12 mm)" in warnings[2]
    assert warnings[-1] == ""


@pytest.mark.parametrize("name", examples.names())
@pytest.mark.parametrize("criteria", list(CRITERIA))
def test_batch_equals_scalar_on_the_examples(name: str, criteria: str) -> None:
    assert_same_as_scalar(examples.load(name), criteria, confirmation_days=28)


def test_criteria_data_changed_by_the_caller_are_used_by_the_batch_too() -> None:
    # RECIST 1.1 without the FAQ's PR hold: 100 → 70 → 80 mm is PR, then SD (−20 % from
    # baseline, +14.3 % over the nadir).
    per_time_point = replace(get_criteria("recist1.1"), holds_response=None)
    frame = pd.DataFrame(
        {
            "patient": ["P1"] * 3,
            "visit": ["baseline", "week 8", "week 16"],
            "day": [0, 56, 112],
            "lesion": ["T1"] * 3,
            "role": ["target"] * 3,
            "size_mm": [100, 70, 80],
        }
    )
    visits = classify_frame(frame, criteria=per_time_point)
    assert visits["response"].tolist()[1:] == ["PR", "SD"]


def _signed(mm: float) -> str:
    """A change in mm as the explanation writes it (hand-rounded to the input's decimals)."""
    text = f"{abs(mm):.7f}".rstrip("0").rstrip(".")
    return ("−" if mm < 0 else "+" if mm > 0 else "") + text


@pytest.mark.parametrize(
    ("baseline_mm", "follow_mm", "shown", "response"),
    [
        (33, 23.1, "(−30.0 %)", "PR"),  # exactly −30 %: one decimal is right
        (33, 23.11, "(−29.97 %)", "SD"),  # −29.97 % would round to "−30.0 %"
        (25, 29.99, "(+19.96 %)", "SD"),  # +19.96 % would round to "+20.0 %"
        (25, 30, "(+20.0 %)", "PD"),  # +20 % and +5 mm
        (33, 20, "(−39.4 %)", "PR"),  # far from any threshold: one decimal
        (100, 99.96, "(−0.04 %)", "SD"),  # not "±0.0 %", which reads as no change
        (100, 100, "(±0.0 %)", "SD"),
        (33, 23.1000001, "(−29.9999997 %)", "SD"),  # as many decimals as it takes
    ],
)
def test_a_change_next_to_a_threshold_is_shown_with_the_decimals_that_tell_them_apart(
    baseline_mm: float, follow_mm: float, shown: str, response: str
) -> None:
    # A "−30.0 %" beside stable disease would read as a contradiction; both engines
    # show the digits that separate the change from RECIST 1.1's 30 % and 20 %.
    frame = one_target(baseline_mm, follow_mm)
    row = classify_frame(frame, criteria="recist1.1").iloc[1]
    assert row["response"] == response
    assert f"Baseline sum {baseline_mm} mm;" in row["explanation"]
    assert (
        f"change from baseline {_signed(follow_mm - baseline_mm)} mm {shown}" in row["explanation"]
    )
    series = classify_series(to_visits(read_table(frame), "P1"), criteria="recist1.1")
    assert "change from baseline" in series.visits[0].explanation.numbers
    assert shown in series.visits[0].explanation.numbers


def test_after_a_cr_non_targets_not_evaluated_are_not_disease_back_in_both_engines() -> None:
    # RECIST 1.1 Table 1 row CR / NE / No is PR, and sees no disease: not PD after a CR
    # (Table 3 footnote a); non-target disease seen later is PD.
    frame = pd.DataFrame(
        {
            "patient": ["P1"] * 12,
            "visit": [v for v in ("baseline", "week 8", "week 16", "week 24") for _ in range(3)],
            "day": [d for d in (0, 56, 112, 168) for _ in range(3)],
            "lesion": ["T1", "T2", "NT1"] * 4,
            "role": ["target", "target", "non-target"] * 4,
            "size_mm": [10, 20, None, 0, 0, None, 0, 0, None, 0, 0, None],
            "status": [
                "",
                "",
                "present",
                "",
                "",
                "absent",
                "",
                "",
                "not-assessed",
                "",
                "",
                "present",
            ],
        }
    )
    visits = classify_frame(frame, criteria="recist1.1")
    assert visits["response"].tolist()[1:] == ["CR", "PR", "PD"]
    series = classify_series(
        to_visits(read_table(frame), "P1"), criteria="recist1.1", confirmation_days=28
    )
    assert [v.response.value for v in series.visits] == ["CR", "PR", "PD"]
    # The CR of day 56 is not confirmed (a PR, then PD): it counts as SD (day 56 ≥ 42).
    best = best_response_frame(frame, criteria="recist1.1", confirmation_days=28)
    assert best["best_response"].tolist() == ["SD"] == [series.best_response.response.value]


def test_recurrence_sites_follow_the_baseline_order_in_both_engines() -> None:
    # Targets back after a CR are named in baseline order, whatever the row order of
    # the visit they come back at.
    rows = [
        ("baseline", 0, "T1", 30, "liver"),
        ("baseline", 0, "T2", 20, "lung"),
        ("w8", 56, "T1", 0, "liver"),
        ("w8", 56, "T2", 0, "lung"),
        ("w16", 112, "T2", 10, "lung"),
        ("w16", 112, "T1", 10, "liver"),
    ]
    frame = pd.DataFrame(rows, columns=["visit", "day", "lesion", "size_mm", "organ"]).assign(
        patient="P", role="target"
    )
    batch = classify_frame(frame, criteria="recist1.1")["recurrence"].iloc[-1]
    series = classify_series(to_visits(read_table(frame), "P"), criteria="recist1.1")
    assert batch == series.visits[-1].recurrence == "recurrence — distant (liver); distant (lung)"


def test_a_cr_is_confirmed_across_a_visit_that_saw_no_disease_in_both_engines() -> None:
    # CR day 56; day 84 targets gone, non-targets not assessed (PR by Table 1, nothing
    # seen); CR day 112, 56 days later: best response CR, confirmed on day 112.
    frame = pd.DataFrame(
        {
            "patient": ["P1"] * 8,
            "visit": [v for v in ("baseline", "week 8", "week 12", "week 16") for _ in range(2)],
            "day": [d for d in (0, 56, 84, 112) for _ in range(2)],
            "lesion": ["T1", "NT1"] * 4,
            "role": ["target", "non-target"] * 4,
            "size_mm": [20, None, 0, None, 0, None, 0, None],
            "status": ["", "present", "", "absent", "", "not-assessed", "", "absent"],
        }
    )
    best = best_response_frame(frame, criteria="recist1.1", confirmation_days=28).iloc[0]
    assert (best["best_response"], best["best_response_day"], best["confirmed_day"]) == (
        "CR",
        56,
        112,
    )
    series = classify_series(
        to_visits(read_table(frame), "P1"), criteria="recist1.1", confirmation_days=28
    )
    assert (series.best_response.response.value, series.best_response.confirmed_day) == (
        "CR",
        112,
    )


@pytest.mark.parametrize(
    ("options", "last", "best"),
    [
        # Hand-worked in test_engine: with no NE allowed between, day 28's PR is not
        # confirmed on day 56, so day 84 (77.5 mm: −29.5 %, +19.2 % over 65) is SD.
        ({"max_ne_between": 0}, "SD", "SD"),
        ({"max_ne_between": 1}, "PR", "PR"),
    ],
)
def test_the_hold_confirms_as_the_best_response_does(
    options: dict[str, Any], last: str, best: str
) -> None:
    sizes = [(0, 100, 10), (28, 60, 5), (42, 60, None), (56, 60, 5), (84, 70, 7.5)]
    frame = pd.DataFrame(
        [
            {
                "patient": "P1",
                "visit": f"day {d}",
                "day": d,
                "lesion": name,
                "role": "target",
                "size_mm": size,
            }
            for d, a, b in sizes
            for name, size in (("A", a), ("B", b))
        ]
    )
    visits = classify_frame(frame, criteria="recist1.1", confirmation_days=28, **options)
    assert visits["response"].astype(str).tolist()[1:] == ["PR", "NE", "PR", last]
    summary = best_response_frame(frame, criteria="recist1.1", confirmation_days=28, **options)
    assert summary["best_response"].astype(str).tolist() == [best]


def test_node_measures_agree_with_the_scalar_engine() -> None:
    # A node with both diameters at baseline and one later (unknown then), one with one
    # diameter at baseline and both later (short axis throughout), one with both always,
    # and a small node: under every criteria set, every field as classify_series gives it.
    rows = []
    sizes: dict[str, list[tuple[int, int, int | None]]] = {
        "P1": [(0, 12, 20), (56, 12, None), (112, 10, 15)],
        "P2": [(0, 12, None), (56, 12, 20), (112, 8, 14)],
        "P3": [(0, 16, 30), (56, 16, 20), (112, 9, 12)],
        "P4": [(0, 5, 8), (56, 5, 8), (112, 0, None)],
        "P5": [(0, 12, 20), (56, 30, None), (112, 0, None)],
        "P6": [(0, 12, 20), (56, 0, None), (112, 15, None)],
    }
    for patient, visits in sizes.items():
        for day, short, other in visits:
            for lesion, size, perp, node in (("N1", short, other, True), ("T1", 30, 20, False)):
                rows.append(
                    {
                        "patient": patient,
                        "visit": f"day {day}",
                        "day": day,
                        "lesion": lesion,
                        "role": "target",
                        "size_mm": size,
                        "perpendicular_mm": perp,
                        "node": node,
                    }
                )
    frame = pd.DataFrame(rows)
    for criteria in CRITERIA:
        assert_same_as_scalar(frame, criteria)


def test_a_node_back_with_only_its_short_axis_is_a_recurrence_in_the_batch_too() -> None:
    # As test_engine's TestAShortAxisAsALowerBound: gone with T1, back at 3 mm short axis.
    rows = [
        {
            "patient": "P1",
            "visit": f"d{d}",
            "day": d,
            "lesion": name,
            "role": "target",
            "size_mm": size,
            "perpendicular_mm": perp,
            "node": name == "N1",
            "organ": organ,
        }
        for d, n1, n1_perp, t1 in [
            (0, 12, 20, 30),
            (56, 0, None, 0),
            (84, 0, None, 0),
            (112, 3, None, 0),
        ]
        for name, size, perp, organ in (("N1", n1, n1_perp, "axilla"), ("T1", t1, None, "liver"))
    ]
    frame = pd.DataFrame(rows)
    out = classify_frame(frame, criteria="recist1.0")
    assert out["response"].astype(str).tolist()[-1] == "PD"
    assert (
        out["recurrence"].astype(str).tolist()[-1] == "recurrence — regional (axillary lymph nodes)"
    )
    assert_same_as_scalar(frame, "recist1.0")
