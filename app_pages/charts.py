"""Altair charts for the pages: one patient's sums and lesions, and a study's plots.

Every number plotted comes from :mod:`remission`; these functions only draw. The
single-patient charts are compiled to Vega-Lite once per unit and then filled with each
run's data (compiling an Altair chart costs about 100 ms, twice a rerun's budget). This
module is imported only when a chart is drawn: Altair takes about half a second to import.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import altair as alt
import pandas as pd

__all__ = [
    "RESPONSE_COLOURS",
    "lesion_chart",
    "spider_chart",
    "sum_chart",
    "swimmer_chart",
    "waterfall_chart",
]

RESPONSE_COLOURS: Mapping[str, str] = MappingProxyType(
    {
        "CR": "#2e7d32",
        "PR": "#1565c0",
        "SD": "#ef6c00",
        "NON-CR/NON-PD": "#757575",
        "PD": "#c62828",
        "NE": "#6a1b9a",
        "baseline": "#424242",
    }
)
"""Chart colours per response code (charts also label or shape each mark by its code)."""


@functools.lru_cache(maxsize=8)
def _sum_template(unit: str) -> dict[str, Any]:
    """The sum chart in Altair, compiled once per unit; the data come in by name.

    Compiling (and validating) an Altair chart costs ~100 ms, far over a rerun's budget,
    so the spec is built once from named datasets and each run only adds its data.
    """
    x = alt.X("day:Q", title="Days since baseline")
    y_title = f"Sum of target lesions ({unit})"
    thresholds = (
        alt.Chart(alt.NamedData("lines"))
        .mark_line(interpolate="step-before", strokeWidth=2)
        .encode(
            x=x,
            y=alt.Y("value:Q", title=y_title),
            color=alt.Color(
                "line:N",
                title="Threshold",
                scale=alt.Scale(domain=["PR at most", "PD at least"], range=["#1565c0", "#c62828"]),
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                scale=alt.Scale(domain=["PR at most", "PD at least"], range=[[6, 3], [2, 2]]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("line:N", title="Threshold"),
                alt.Tooltip("day:Q", title="Day"),
                alt.Tooltip("value:Q", title=unit, format=".1f"),
            ],
        )
    )
    tooltip = [
        alt.Tooltip("visit:N", title="Visit"),
        alt.Tooltip("day:Q", title="Day"),
        alt.Tooltip("sum:Q", title=unit, format=".1f"),
        alt.Tooltip("response:N", title="Response"),
    ]
    sums = (
        alt.Chart(alt.NamedData("points"))
        .mark_line(point=alt.OverlayMarkDef(size=70, filled=True), color="#424242")
        .encode(x=x, y=alt.Y("sum:Q", title=y_title), tooltip=tooltip)
    )
    labels = (
        alt.Chart(alt.NamedData("points"))
        .mark_text(dy=-12, fontWeight="bold")
        .encode(
            x=x,
            y="sum:Q",
            text="response:N",
            color=alt.Color(
                "response:N",
                scale=alt.Scale(
                    domain=list(RESPONSE_COLOURS), range=list(RESPONSE_COLOURS.values())
                ),
                legend=None,
            ),
        )
    )
    chart = (
        alt.layer(thresholds, sums, labels)
        .resolve_scale(color="independent", strokeDash="independent")
        .properties(height=320)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


@functools.lru_cache(maxsize=8)
def _lesion_template(unit: str) -> dict[str, Any]:
    """The per-lesion chart in Altair, compiled once per unit (see :func:`_sum_template`)."""
    chart = (
        alt.Chart(alt.NamedData("lesions"))
        .mark_line(point=alt.OverlayMarkDef(size=60, filled=True))
        .encode(
            x=alt.X("day:Q", title="Days since baseline"),
            y=alt.Y("size:Q", title=f"Size ({unit})"),
            color=alt.Color(
                "lesion:N", title="Lesion", legend=alt.Legend(orient="bottom", columns=3)
            ),
            shape=alt.Shape(
                "status:N", title="Recorded as", legend=alt.Legend(orient="bottom", columns=3)
            ),
            tooltip=[
                alt.Tooltip("lesion:N", title="Lesion"),
                alt.Tooltip("visit:N", title="Visit"),
                alt.Tooltip("size:Q", title=unit, format=".1f"),
                alt.Tooltip("status:N", title="Recorded as"),
            ],
        )
        .properties(height=300)
    )
    spec: dict[str, Any] = chart.to_dict()
    return spec


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    """Rows as JSON-ready dicts (missing values become null)."""
    return [
        {str(k): (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
        for row in frame.to_dict("records")
    ]


def _fill(spec: Any, data: Mapping[str, list[dict[str, object]]]) -> Any:
    """A copy of ``spec`` with each named dataset replaced by its rows, inline.

    Inline rows travel as a few hundred bytes of JSON; named datasets would be converted
    to Arrow on every run, which costs more than the whole chart is worth here.
    """
    if isinstance(spec, dict):
        if set(spec) == {"name"} and spec["name"] in data:
            return {"values": data[spec["name"]]}
        return {key: _fill(value, data) for key, value in spec.items()}
    if isinstance(spec, list):
        return [_fill(item, data) for item in spec]
    return spec


def sum_chart(points: pd.DataFrame, lines: pd.DataFrame, unit: str) -> dict[str, Any]:
    """Vega-Lite spec: the sum of the target lesions over time, with the threshold lines.

    ``points`` and ``lines`` come from :func:`remission.case.sum_points` and
    :func:`remission.case.threshold_lines`; each point is labelled with its response
    code, and the two thresholds differ in dash pattern as well as colour. Show it with
    ``st.vega_lite_chart(spec=...)``.
    """
    filled: dict[str, Any] = _fill(
        _sum_template(unit), {"points": _records(points), "lines": _records(lines)}
    )
    return filled


def lesion_chart(points: pd.DataFrame, unit: str) -> dict[str, Any]:
    """Vega-Lite spec: each target lesion over time; the point's shape says how it was recorded."""
    filled: dict[str, Any] = _fill(_lesion_template(unit), {"lesions": _records(points)})
    return filled


def _response_colour(title: str) -> alt.Color:
    return alt.Color(
        "best_response:N",
        title=title,
        scale=alt.Scale(
            domain=list(RESPONSE_COLOURS)[:-1], range=list(RESPONSE_COLOURS.values())[:-1]
        ),
        legend=alt.Legend(orient="bottom", columns=3),
    )


def _threshold_rules(lines: pd.DataFrame) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(lines)
        .mark_rule(strokeDash=[6, 3], color="#424242")
        .encode(y="value:Q", tooltip=[alt.Tooltip("line:N", title="Threshold")])
    )
    return chart


def _threshold_labels(lines: pd.DataFrame) -> alt.Chart:
    chart: alt.Chart = (
        alt.Chart(lines)
        .mark_text(align="left", dx=4, dy=-6, color="#424242")
        .encode(y="value:Q", x=alt.value(0), text="line:N")
    )
    return chart


def _text(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The columns, with categories and string dtypes as plain Python objects for Altair."""
    picked = frame[columns].copy()
    for name in columns:
        if not pd.api.types.is_numeric_dtype(picked[name].dtype):
            picked[name] = picked[name].astype(object)
    return picked


def waterfall_chart(best: pd.DataFrame, lines: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """Best % change from baseline per patient, sorted, coloured and labelled by response.

    ``best`` is :func:`remission.frame.best_response_frame`'s output; ``lines`` is
    :func:`remission.case.percent_thresholds`.
    """
    data = _text(best, ["patient", "best_pct_change", "best_response"]).dropna(
        subset=["best_pct_change"]
    )
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("patient:N", sort="-y", title="Patient", axis=alt.Axis(labelAngle=-60)),
            y=alt.Y("best_pct_change:Q", title="Best change of the sum from baseline (%)"),
            color=_response_colour("Best overall response"),
            tooltip=[
                alt.Tooltip("patient:N", title="Patient"),
                alt.Tooltip("best_pct_change:Q", title="Best change (%)", format=".1f"),
                alt.Tooltip("best_response:N", title="Best overall response"),
            ],
        )
    )
    # The response code at the end of each bar: below a shrinking bar, above a growing one.
    code = {"text": "best_response:N", "color": alt.value("#212121")}
    below = (
        bars.transform_filter("datum.best_pct_change < 0")
        .mark_text(fontSize=10, baseline="top", dy=3)
        .encode(**code)
    )
    above = (
        bars.transform_filter("datum.best_pct_change >= 0")
        .mark_text(fontSize=10, baseline="bottom", dy=-3)
        .encode(**code)
    )
    chart = alt.layer(
        bars, below, above, _threshold_rules(lines), _threshold_labels(lines)
    ).properties(height=340)
    return chart


def spider_chart(visits: pd.DataFrame, lines: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """% change of the sum from baseline over time, one line per patient.

    ``visits`` is :func:`remission.frame.classify_frame`'s output; the baseline row of
    each patient is drawn at 0 % (it is the reference, not a change).
    """
    data = _text(visits, ["patient", "visit", "day", "pct_change_baseline", "response", "rule"])
    data["change"] = data["pct_change_baseline"].where(data["rule"] != "baseline", 0.0)
    data["response"] = data["response"].where(data["rule"] != "baseline", "baseline")
    data = data.dropna(subset=["change"])
    base = alt.Chart(data).encode(
        x=alt.X("day:Q", title="Days since baseline"),
        y=alt.Y("change:Q", title="Change of the sum from baseline (%)"),
        detail="patient:N",
        tooltip=[
            alt.Tooltip("patient:N", title="Patient"),
            alt.Tooltip("visit:N", title="Visit"),
            alt.Tooltip("day:Q", title="Day"),
            alt.Tooltip("change:Q", title="Change (%)", format=".1f"),
            alt.Tooltip("response:N", title="Response"),
        ],
    )
    lines_ = base.mark_line(color="#9e9e9e", strokeWidth=1.5)
    points = base.mark_point(filled=True, size=60).encode(
        shape=alt.Shape(
            "response:N", title="Response", legend=alt.Legend(orient="bottom", columns=3)
        ),
        color=alt.Color(
            "response:N",
            scale=alt.Scale(domain=list(RESPONSE_COLOURS), range=list(RESPONSE_COLOURS.values())),
            legend=None,
        ),
    )
    chart = alt.layer(lines_, points, _threshold_rules(lines), _threshold_labels(lines)).properties(
        height=340
    )
    return chart


def swimmer_chart(visits: pd.DataFrame, best: pd.DataFrame) -> alt.LayerChart:
    """Time on study per patient (to the last assessment) with a marker at each response."""
    lanes_of = _text(best, ["patient", "best_response"])
    bars_data = _text(visits, ["patient", "day"]).merge(lanes_of, on="patient")
    order = lanes_of["patient"].tolist()
    y = alt.Y("patient:N", sort=order, title="Patient")
    lanes = (
        alt.Chart(bars_data)
        .mark_bar(height={"band": 0.5}, opacity=0.35)
        .encode(
            y=y,
            x=alt.X("max(day):Q", title="Days on study"),
            color=_response_colour("Best overall response"),
        )
    )
    marks = _text(visits[visits["rule"] != "baseline"], ["patient", "visit", "day", "response"])
    markers = (
        alt.Chart(marks)
        .mark_point(filled=True, size=70)
        .encode(
            y=y,
            x="day:Q",
            shape=alt.Shape(
                "response:N",
                title="Response at the visit",
                legend=alt.Legend(orient="bottom", columns=3),
            ),
            color=alt.value("#212121"),
            tooltip=[
                alt.Tooltip("patient:N", title="Patient"),
                alt.Tooltip("visit:N", title="Visit"),
                alt.Tooltip("day:Q", title="Day"),
                alt.Tooltip("response:N", title="Response"),
            ],
        )
    )
    chart: alt.LayerChart = (
        alt.layer(lanes, markers)
        .resolve_scale(color="independent", shape="independent")
        .properties(height=alt.Step(26))
    )
    return chart
