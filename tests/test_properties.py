"""Cross-module properties (issue 7) not already held by test_engine and test_criteria.

* Unequivocal progression of the non-target disease is progressive disease, whatever the
  target lesions do, under every criteria set: RECIST 1.1 section 4.3.3 and Table 1 (and
  the same rows in RECIST 1.0, WHO 1981 and the basic rule). Checked through
  :func:`remission.classify` and :func:`remission.classify_series`.
* A study written as CSV, classified by :func:`remission.frame.classify_frame`, written by
  :mod:`remission.export` and read back with pandas loses nothing: every column comes back,
  numbers as numbers (floats to the last bit), flags as booleans, and every text cell as
  written, apart from the documented OWASP prefix ``'`` on cells a spreadsheet would run.

The example counts come from the Hypothesis profile (tests/conftest.py): 100 in the
default run, 10,000 with ``--hypothesis-profile=heavy``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from remission import CRITERIA, Response, Visit, classify, classify_series
from remission.export import FORMULA_TRIGGERS, to_safe_csv
from remission.frame import classify_frame

CRITERIA_NAMES = st.sampled_from(list(CRITERIA))
BASELINE_SIZE = st.decimals(min_value=1, max_value=300, places=1).map(str)
FOLLOW_UP_SIZE = st.one_of(
    st.decimals(min_value=0, max_value=400, places=1).map(str),
    st.none(),  # not assessed
    st.just("too-small"),
)
OTHER_STATUS = st.sampled_from(["present", "absent", "not-assessed", None])


# --------------------------------------------------------------------------- non-target PD


@given(
    st.lists(BASELINE_SIZE, min_size=1, max_size=5).flatmap(
        lambda base: st.tuples(
            st.just(base), st.lists(FOLLOW_UP_SIZE, min_size=len(base), max_size=len(base))
        )
    ),
    CRITERIA_NAMES,
    st.booleans(),
    st.sampled_from(["progression", "Progression", " progression "]),
)
def test_non_target_progression_is_pd_in_classify(
    sizes: tuple[list[str], list[str | None]], name: str, new_lesions: bool, status: str
) -> None:
    """Any target response (CR, PR, SD, PD, NE), with or without new lesions: PD."""
    baseline, follow_up = sizes
    result = classify(
        baseline, follow_up, criteria=name, non_target=status, new_lesions=new_lesions
    )
    assert result.response is Response.PD
    assert result.non_target_response is Response.PD


@dataclass(frozen=True)
class Course:
    """A patient's visits, and which follow-ups record unequivocal non-target progression."""

    visits: list[Visit]
    progressed: list[bool]


@st.composite
def courses(draw: st.DrawFn) -> Course:
    """A baseline and 1-5 follow-ups; at least one follow-up has non-target progression.

    The patient may have no target lesions at all (non-target disease only).
    """
    count = draw(st.integers(0, 4))
    names = [f"T{i + 1}" for i in range(count)]
    baseline = {name: draw(BASELINE_SIZE) for name in names}
    follow_ups = draw(st.integers(1, 5))
    progressed = draw(st.lists(st.booleans(), min_size=follow_ups, max_size=follow_ups))
    if not any(progressed):
        progressed[draw(st.integers(0, follow_ups - 1))] = True
    visits = [Visit(0, baseline, non_target="present", label="baseline")]
    day = 0
    for index, progression in enumerate(progressed):
        day += draw(st.integers(1, 90))
        visits.append(
            Visit(
                day,
                {name: draw(FOLLOW_UP_SIZE) for name in names},
                non_target="progression" if progression else draw(OTHER_STATUS),
                new_lesions=draw(st.booleans()),
                label=f"follow-up {index + 1}",
            )
        )
    return Course(visits, progressed)


@given(courses(), CRITERIA_NAMES)
def test_non_target_progression_is_pd_at_that_visit_in_a_series(course: Course, name: str) -> None:
    """Whatever came before (a CR, a PR that holds, a nadir), that visit is PD."""
    series = classify_series(course.visits, criteria=name)
    assert len(series.visits) == len(course.progressed)
    for assessment, progressed in zip(series.visits, course.progressed, strict=True):
        if progressed:
            assert assessment.response is Response.PD, assessment.visit
            assert assessment.non_target_response is Response.PD
    # Best overall response is taken up to the first progression: never better than PD at
    # a first visit that is already PD (RECIST 1.1 section 4.4.3).
    if course.progressed[0]:
        assert series.best_response.response is Response.PD


# --------------------------------------------------------------------------- CSV round trip

# Names as users type them: commas, quotes, newlines, formula characters, non-ASCII.
NAME_CHARS = st.sampled_from(list("aZ09 ,;\"'=+-@\n\t<>/éß肝💥"))
NAMES = st.text(NAME_CHARS, min_size=1, max_size=10).map(str.strip).filter(bool)


@st.composite
def cohorts(draw: st.DrawFn) -> str:
    """A valid long table as CSV text: 1-4 patients, targets and/or non-target disease."""
    patients = draw(st.lists(NAMES, min_size=1, max_size=4, unique=True))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["patient", "visit", "day", "lesion", "role", "size_mm", "status", "organ"])
    for patient in patients:
        lesions = draw(st.lists(NAMES, min_size=0, max_size=3, unique=True))
        non_target = not lesions or draw(st.booleans())
        labels = draw(st.lists(NAMES, min_size=2, max_size=4, unique=True))
        day = 0
        for index, label in enumerate(labels):
            for lesion in lesions:
                size = draw(BASELINE_SIZE if index == 0 else FOLLOW_UP_SIZE)
                status = ""
                if size == "too-small":
                    size, status = "", "too-small"
                elif size is None:
                    size = ""
                writer.writerow([patient, label, day, lesion, "target", size, status, draw(NAMES)])
            if non_target:
                status = "present" if index == 0 else draw(st.sampled_from(["present", "absent"]))
                writer.writerow(
                    [patient, label, day, "NT " + patient, "non-target", "", status, ""]
                )
            if index and draw(st.booleans()):
                writer.writerow([patient, label, day, "new " + patient, "new", "", "present", ""])
            day += draw(st.integers(1, 120))
    return out.getvalue()


def neutralised(value: str) -> str:
    """What OWASP's guidance makes of one text cell (the only change export may make)."""
    return "'" + value if value.startswith(FORMULA_TRIGGERS) else value


@given(cohorts(), CRITERIA_NAMES)
def test_csv_classify_export_read_back_loses_nothing(text: str, name: str) -> None:
    result = classify_frame(text, criteria=name)
    written = to_safe_csv(result)

    # A plain read (what a user or another program does) gives the same columns, numbers
    # as numbers and flags as booleans.
    plain = pd.read_csv(io.StringIO(written))
    assert list(plain.columns) == list(result.columns)
    assert len(plain) == len(result)
    for column in result.columns:
        dtype = result[column].dtype
        if pd.api.types.is_bool_dtype(dtype):
            assert pd.api.types.is_bool_dtype(plain[column].dtype), column
            assert plain[column].tolist() == result[column].tolist(), column
        elif pd.api.types.is_integer_dtype(dtype):
            assert pd.api.types.is_integer_dtype(plain[column].dtype), column
            assert plain[column].tolist() == result[column].tolist(), column
        elif pd.api.types.is_float_dtype(dtype):
            assert pd.api.types.is_float_dtype(plain[column].dtype), column
            # Exactly the same floats, missing where missing (−30.0 is not text).
            np.testing.assert_array_equal(
                plain[column].to_numpy(dtype=np.float64), result[column].to_numpy(dtype=np.float64)
            )

    # Every text cell comes back exactly as written, OWASP prefix included; a missing
    # value and an empty text are both an empty cell in CSV.
    text_columns = [
        c
        for c in result.columns
        if not (
            pd.api.types.is_numeric_dtype(result[c].dtype)
            or pd.api.types.is_bool_dtype(result[c].dtype)
        )
    ]
    assert text_columns, "the result has text columns (patient, visit, response, rule, ...)"
    raw = pd.read_csv(io.StringIO(written), dtype=str, keep_default_na=False)
    for column in text_columns:
        expected = [
            "" if pd.isna(value) else neutralised(str(value)) for value in result[column].tolist()
        ]
        assert raw[column].tolist() == expected, column
