"""Spreadsheet-safe CSV and JSON (OWASP "CSV Injection": prefix risky text with a quote)."""

from __future__ import annotations

import csv
import io
import json

import numpy as np
import pandas as pd
import pytest

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
