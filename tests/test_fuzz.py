"""Hostile and broken files (issue 7), the reduced fuzz of the default run.

Six generated files of every family (168; ``tests/fuzzcorpus.py``, seeded: any failure
can be rebuilt from its index) go through ``classify_frame`` and the app's reading path,
or through the command line in-process, each in a worker process with a time limit.
Pass: every file gives a result or a clear refusal naming the problem; no traceback, no
catch-all "unexpected error", no warning leaking to the user, no hang. Then a sample goes
through the Study page's upload (AppTest): errors shown, no exception, and the page still
works after.

The full fuzz (10,000+ files, peak memory, a subprocess sample, form cells) is
``benchmarks/fuzz_csv.py``. Below the corpus: one regression test per bug the fuzz found
and that is fixed, and a strict-xfail test per bug still open (it fails the day the fix
lands, so the mark is removed then).
"""

from __future__ import annotations

import threading
import warnings
from pathlib import Path
from typing import Any

import fuzzcorpus
import pytest
from fuzzcorpus import KINDS, FuzzCase, Runner, Tally, corpus
from streamlit.testing.v1 import AppTest

from remission import InvalidInput, examples
from remission import case as cases
from remission.frame import BEST_COLUMNS, best_response_frame, classify_frame
from remission.table import read_table

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
SEED = 20261125
FILES = 6 * len(KINDS)
"""168 files: six of each family."""
TIMEOUT = 30.0
"""Seconds a file may take before it counts as a hang (generous: most take ~0.1 s)."""


def run_corpus(files: list[FuzzCase]) -> Tally:
    """Even files through classify_frame and the app's path, odd ones through the CLI."""
    tally = Tally()
    lock = threading.Lock()

    def work(part: list[FuzzCase]) -> None:
        with Runner(timeout=TIMEOUT) as runner:
            for case in part:
                target = "frame" if case.index % 2 == 0 else "cli"
                result = runner.run(case, target)
                with lock:
                    tally.add(case, target, result)

    threads = [threading.Thread(target=work, args=(files[i::2],)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def test_the_corpus_gives_results_or_clear_errors_never_a_traceback_or_a_hang() -> None:
    files = list(corpus(FILES, SEED))
    assert {case.kind for case in files} == set(KINDS)
    tally = run_corpus(files)
    summary = f"{tally.tried} runs: {tally.counts}; slowest {tally.slowest:.2f} s"
    assert tally.tried == FILES
    failures = [
        (case.index, case.kind, target, status, detail[-800:])
        for case, target, status, detail in tally.failures
    ]
    assert failures == [], summary
    # The corpus exercises both outcomes: valid files give results, broken ones refusals.
    assert tally.count("ok") >= FILES // 10, summary
    assert tally.count("clear") >= FILES // 2, summary


# --------------------------------------------------------------------------- the app's upload

SAMPLE = 12


def test_a_sample_through_the_study_page_upload() -> None:
    # The first file of twelve families, uploaded one after the other in one session.
    files = list(corpus(SAMPLE, SEED + 1))
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("app_pages/study.py").run()
    at.radio(key="study_source").set_value("Upload a CSV file").run()
    outcomes = {"results": 0, "refused": 0}
    for case in files:
        at.file_uploader(key="study_upload").set_value((f"{case.kind}.csv", case.data, "text/csv"))
        at.run()
        assert not at.exception, (case.index, case.kind, [e.value for e in at.exception])
        if "Best overall response per patient" in [s.value for s in at.subheader]:
            outcomes["results"] += 1
        else:
            # Refused: the reason is shown, with where and how to fix it.
            assert at.error, (case.index, case.kind)
            assert "Fix" in at.error[0].value or "fix" in at.error[0].value
            outcomes["refused"] += 1
    assert outcomes["results"] >= 1, outcomes
    assert outcomes["refused"] >= 1, outcomes
    # Still usable: a good file after all that gives its results.
    good = examples.csv_text("mixed-cohort").encode()
    at.file_uploader(key="study_upload").set_value(("good.csv", good, "text/csv"))
    at.run()
    assert not at.exception
    assert not at.error
    assert "Best overall response per patient" in [s.value for s in at.subheader]


# --------------------------------------------------------------------------- fixed bugs

HEADER = "patient,visit,day,lesion,role,size_mm\n"
RAGGED = "P9,baseline,0,T1,target,30,1,2,3\n"
"""A row with too many fields: pandas stops, and the row-by-row reader takes over."""


def refusal(text: str, **options: Any) -> InvalidInput | None:
    """``classify_frame``'s refusal of ``text``, or None when it gives a result."""
    try:
        classify_frame(text, **options)
    except InvalidInput as error:
        return error
    return None


def assert_clear(error: InvalidInput | None, field: str) -> None:
    assert error is not None
    assert [p.field for p in error.problems] == [field], str(error)
    assert all(p.where.startswith("row ") and p.fix for p in error.problems)


def test_a_carriage_return_inside_a_ragged_file_is_a_clear_error() -> None:
    # Fuzz finding 1 (was csv.Error: new-line character seen in unquoted field).
    error = refusal(HEADER + RAGGED + "P1,week\r8,56,T1,target,20\n")
    assert error is not None
    assert all(p.where.startswith("row ") and p.fix for p in error.problems), str(error)


def test_a_field_over_the_csv_limit_is_a_clear_error() -> None:
    # Fuzz finding 2 (was csv.Error: field larger than field limit).
    assert_clear(
        refusal(HEADER + RAGGED + "P1,baseline,0," + "x" * 140_000 + ",target,20\n"), "file"
    )


@pytest.mark.parametrize("size", ["1e308", "18446744073709551616", "10000"])
def test_a_size_of_10_metres_or_more_is_refused(size: str) -> None:
    # Fuzz findings 3 and 4 (were a RuntimeWarning and OverflowError): refused by name.
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        error = refusal(HEADER + f"P1,baseline,0,T1,target,30\nP1,week 8,56,T1,target,{size}\n")
    assert_clear(error, "size_mm")


@pytest.mark.parametrize("zero", ["-0", "0.000", "-0.0"])
def test_a_zero_baseline_in_any_spelling_is_the_patients_problem(zero: str) -> None:
    # Fuzz finding 5 (was an InvalidInput from inside classify_frame: the Study page crashed).
    text = (
        HEADER + f"P1,baseline,0,T1,target,{zero}\nP1,week 8,56,T1,target,5\n"
        "P2,baseline,0,T1,target,30\nP2,week 8,56,T1,target,30\n"
    )
    table = read_table(text, keep_going=True)  # what the Study page does
    out = classify_frame(table, criteria="recist1.1")
    assert out["patient"].tolist() == ["P2", "P2"]
    assert [e.patient for e in table.excluded] == ["P1"]


def test_every_patient_excluded_gives_empty_frames() -> None:
    # Fuzz finding 8 (was ValueError in best_response_frame: the Study page crashed).
    table = read_table(
        HEADER + "P1,baseline,0,T1,target,abc\nP1,week 8,56,T1,target,5\n", keep_going=True
    )
    assert table.patients == ()
    assert classify_frame(table).empty
    best = best_response_frame(table)
    assert best.empty
    assert list(best.columns) == list(BEST_COLUMNS)


def test_an_extreme_exponent_in_a_file_is_refused_quickly() -> None:
    # Fuzz finding 7, file side (was a hang building a 10**8-digit fraction).
    text = HEADER + "P1,baseline,0,T1,target,30\nP1,week 8,56,T1,target,1e-99999999\n"
    with Runner(timeout=10.0) as runner:
        result = runner.run(FuzzCase(0, "extreme-exponents", text.encode()), "cli")
    assert result["status"] == "clear", result


# --------------------------------------------------------------------------- bugs found by fuzzing


def form(size: str) -> cases.Case:
    return cases.Case(
        lesions=(cases.LesionEntry("T1", "liver", baseline="30", sizes=(size,)),),
        visits=(cases.VisitEntry(day=56),),
        unit="mm",
        criteria="recist1.1",
    )


@pytest.mark.parametrize("size", ["1e309", "1e400 x 2"])
def test_bug_6_a_huge_size_typed_in_the_form_is_refused(size: str) -> None:
    case = form(size)
    fields = ["size"]
    try:
        series = cases.assess(case)
    except InvalidInput as error:
        fields = [p.field for p in error.problems]
    else:
        cases.result_frame(series)  # what the page shows and offers for download
        cases.summary_text(case, series)
        fields = []
    assert fields == ["size"]


def test_bug_6_in_the_assess_page() -> None:
    at = AppTest.from_file(APP, default_timeout=60).run()
    at.radio(key="assess_unit").set_value("mm")
    at.session_state["assess_lesions"] = {
        "edited_rows": {0: {"name": "T1", "baseline": "30", "visit_1": "1e309"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.session_state["assess_visits"] = {
        "edited_rows": {0: {"day": 56}},
        "added_rows": [],
        "deleted_rows": [],
    }
    (button,) = [b for b in at.form_submit_button if b.label == "Assess"]
    button.click().run()
    assert not at.exception


def test_bug_7_an_extreme_exponent_typed_in_the_form_is_refused_quickly() -> None:
    # The bug built a billion-digit fraction (minutes); 10 s leaves room for a busy machine.
    with Runner(timeout=10.0) as runner:
        result = runner.run(FuzzCase(0, "cell", b"1E+999999999"), "cell")
    assert result["status"] == "clear", result


def test_bug_10_a_very_wide_row_is_refused_quickly() -> None:
    text = HEADER + ",".join(["1"] * 40_000) + "\nP1,baseline,0,T1,target,30\n"
    # The bug took over 10 s for 10,000 columns, so over 40 s for these 40,000.
    with Runner(timeout=10.0) as runner:
        result = runner.run(FuzzCase(0, "wide-line", text.encode()), "cli")
    assert result["status"] == "clear", result


@pytest.mark.parametrize("size", ["1.E-5", "2.e1", "1_5", "１２"])
def test_bug_11_sizes_that_are_not_plain_decimals_are_refused(size: str) -> None:
    error = refusal(HEADER + f"P1,baseline,0,T1,target,30\nP1,week 8,56,T1,target,{size}\n")
    assert_clear(error, "size_mm")


def test_bug_12_a_size_below_a_micrometre_is_refused() -> None:
    # A baseline of 1e-24 mm made a change of about 2e25 %, which overflowed int64.
    tiny = "0." + "0" * 23 + "1"
    text = HEADER + f"P1,baseline,0,T1,target,{tiny}\nP1,week 8,56,T1,target,22\n"
    error = refusal(text, criteria="recist1.1")
    assert error is not None
    assert_clear(error, "size_mm")
    assert "below 0.001 mm" in str(error)


@pytest.mark.parametrize(("size", "refused"), [("0.001", False), ("0.000999", True)])
def test_the_smallest_size_is_one_micrometre(size: str, refused: bool) -> None:
    text = HEADER + f"P1,baseline,0,T1,target,{size}\nP1,week 8,56,T1,target,5\n"
    assert (refusal(text, criteria="recist1.1") is not None) is refused


def test_the_worker_counts_a_hang_as_a_hang() -> None:
    # The harness itself: a case that sleeps past the limit is reported as a hang, and
    # the next case runs in a fresh worker.
    with Runner(timeout=0.5) as runner:
        slow = runner.run(FuzzCase(0, "valid", b"sleep"), "sleep")
        runner.timeout = 60.0  # the fresh worker's first case, on a busy machine
        fast = runner.run(FuzzCase(1, "valid", fuzzcorpus.make_case(SEED, 0).data), "frame")
    assert slow["status"] == "hang"
    assert fast["status"] == "ok"
    assert runner.restarts == 1
