"""Spreadsheet-safe CSV and JSON (OWASP "CSV Injection": prefix risky text with a quote)."""

from __future__ import annotations

import csv
import enum
import io
import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from remission import examples
from remission.export import FORMULA_TRIGGERS, Format, neutralise, to_json, to_safe_csv, write
from remission.frame import classify_frame


@pytest.mark.parametrize("first", FORMULA_TRIGGERS)
def test_every_trigger_gets_a_leading_quote(first: str) -> None:
    frame = pd.DataFrame({"patient": [f"{first}cmd|' /C calc'!A0", "P2"]})
    assert neutralise(frame)["patient"].tolist() == [f"'{first}cmd|' /C calc'!A0", "P2"]


def test_safe_text_is_left_alone() -> None:
    frame = pd.DataFrame({"visit": ["week 8", "baseline", "1-2", "a=b"]})
    assert neutralise(frame)["visit"].tolist() == ["week 8", "baseline", "1-2", "a=b"]


def test_numbers_stay_numbers() -> None:
    frame = pd.DataFrame({"pct": [-30.0, 12.5], "day": [-7, 56], "flag": [True, False]})
    out = neutralise(frame)
    assert out["pct"].tolist() == [-30.0, 12.5]
    assert out["day"].dtype == np.int64
    assert to_safe_csv(frame) == "pct,day,flag\r\n-30.0,-7,True\r\n12.5,56,False\r\n"


def test_object_and_categorical_columns_are_neutralised() -> None:
    frame = pd.DataFrame(
        {
            "text": pd.Series(["=SUM(A1)", None, 3], dtype=object),
            "category": pd.Categorical(["@x", "ok", "@x"]),
        }
    )
    out = neutralise(frame)
    assert out["text"].tolist()[0] == "'=SUM(A1)"
    assert out["text"].tolist()[2] == 3
    assert list(out["category"]) == ["'@x", "ok", "'@x"]


def test_column_names_are_neutralised_too() -> None:
    assert list(neutralise(pd.DataFrame({"=cmd": [1]})).columns) == ["'=cmd"]


def test_carriage_return_and_tab_prefixes() -> None:
    text = to_safe_csv(pd.DataFrame({"x": ["\t=1", "\r=2"]}))
    assert "'\t=1" in text
    assert "'\r=2" in text


@pytest.mark.parametrize("value", ["x\r=cmd", "\r", "a\r\rb", "two\nlines"])
def test_a_line_break_inside_a_cell_cannot_start_a_row(value: str) -> None:
    # RFC 4180 line ends (CRLF): the writer quotes any cell holding a CR or LF.
    text = to_safe_csv(pd.DataFrame({"visit": [value, "week 8"]}))
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 3
    assert rows[1][0] in (value, "'" + value)


def test_input_frame_is_not_changed() -> None:
    frame = pd.DataFrame({"x": ["=1"]})
    to_safe_csv(frame)
    assert frame["x"].tolist() == ["=1"]


def test_json_is_a_list_of_records_with_nulls() -> None:
    frame = pd.DataFrame({"patient": ["=P1"], "pct": [np.nan], "day": [56]})
    assert json.loads(to_json(frame)) == [{"patient": "=P1", "pct": None, "day": 56}]


def test_empty_frame_gives_an_empty_list() -> None:
    assert json.loads(to_json(pd.DataFrame({"x": []}))) == []


def test_results_frame_round_trips_through_csv() -> None:
    visits = classify_frame(examples.load("mixed-cohort"), criteria="recist1.1")
    back = pd.read_csv(io.StringIO(to_safe_csv(visits)))
    expected = ["" if pd.isna(r) else str(r) for r in visits["response"]]
    assert back["response"].fillna("").tolist() == expected
    assert back["pct_change_baseline"].dropna().tolist() == (
        visits["pct_change_baseline"].dropna().tolist()
    )


def test_write_to_a_stream() -> None:
    out = io.StringIO()
    write(pd.DataFrame({"a": [1]}), out, Format.JSON)
    assert out.getvalue() == '[{"a":1}]\n'
    out = io.StringIO()
    write(pd.DataFrame({"a": ["+1"]}), out, "csv")
    assert out.getvalue() == "a\r\n'+1\r\n"


def test_json_writes_dates_as_the_csv_does_and_missing_as_null() -> None:
    frame = pd.DataFrame(
        {"date": pd.to_datetime(pd.Series(["2024-03-01", None])), "ADT": ["", None]}
    )
    assert json.loads(to_json(frame)) == [
        {"date": "2024-03-01", "ADT": ""},
        {"date": None, "ADT": None},
    ]


def test_cells_are_quoted_as_rfc_4180_says() -> None:
    frame = pd.DataFrame(
        {
            "note": ['said "no", twice', "plain", "line\nbreak"],
            "site": pd.Categorical(["a,b", "c", None]),
            "size": [1.5, float("nan"), 1e-05],
            "count": pd.array([1, None, 3], dtype="Int64"),
        }
    )
    assert to_safe_csv(frame) == (
        "note,site,size,count\r\n"
        '"said ""no"", twice","a,b",1.5,1\r\n'
        "plain,c,,\r\n"
        '"line\nbreak",,1e-05,3\r\n'
    )


_TEXTS = st.one_of(
    st.text(alphabet=st.sampled_from('ab ,"\r\n\t=+-@é€'), max_size=6),
    st.sampled_from(["", "week 8", "-1", "=1+1", "P-01"]),
)
_FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e16, 1e-5, 123456789.0, -30.0, 0.1 + 0.2]),
)
_COLUMNS = st.sampled_from(["float", "int", "bool", "Int64", "category", "object", "str"])


@st.composite
def _frames(draw: st.DrawFn) -> pd.DataFrame:
    rows = draw(st.integers(0, 6))
    kinds = draw(st.lists(_COLUMNS, min_size=2, max_size=5))
    columns: dict[str, object] = {}
    for i, kind in enumerate(kinds):
        name = f"{draw(_TEXTS)}{i}"
        if kind == "float":
            columns[name] = pd.Series(
                draw(st.lists(_FLOATS, min_size=rows, max_size=rows)), dtype="float64"
            )
        elif kind == "int":
            columns[name] = pd.Series(
                draw(st.lists(st.integers(-(2**62), 2**62), min_size=rows, max_size=rows)),
                dtype="int64",
            )
        elif kind == "bool":
            columns[name] = pd.Series(
                draw(st.lists(st.booleans(), min_size=rows, max_size=rows)), dtype=bool
            )
        elif kind == "Int64":
            columns[name] = pd.array(
                draw(st.lists(st.none() | st.integers(-1000, 1000), min_size=rows, max_size=rows)),
                dtype="Int64",
            )
        else:
            values = draw(st.lists(st.none() | _TEXTS, min_size=rows, max_size=rows))
            texts = pd.Series(values, dtype=object)
            if kind == "category":
                columns[name] = texts.astype("category")
            else:
                columns[name] = texts if kind == "object" else texts.astype("str")
    return pd.DataFrame(columns)


@settings(max_examples=300, deadline=None)
@given(_frames())
def test_csv_is_what_pandas_writes(frame: pd.DataFrame) -> None:
    """The fast writer's text equals ``DataFrame.to_csv`` of the neutralised frame."""
    buffer = io.StringIO()
    neutralise(frame).to_csv(buffer, index=False, lineterminator="\r\n")
    assert to_safe_csv(frame) == buffer.getvalue()


def test_a_str_subclass_is_written_as_its_text() -> None:
    class Code(str, enum.Enum):  # noqa: UP042 - the case: str() is not its text
        PR = "partial"

    frame = pd.DataFrame(
        {"k": ["a"], "v": pd.Series([Code.PR], dtype=object), "c": pd.Categorical([Code.PR])}
    )
    assert to_safe_csv(frame) == "k,v,c\r\na,partial,partial\r\n"


@pytest.mark.parametrize(
    ("names", "header"),
    [(["a", "a"], "a,a"), ([1, "1"], "1,1"), (["=a", "'=a"], "'=a,'=a")],
)
def test_no_column_is_lost_when_names_repeat(names: list[object], header: str) -> None:
    frame = pd.DataFrame([["x", "y"]], columns=names)
    assert to_safe_csv(frame) == f"{header}\r\nx,y\r\n"
