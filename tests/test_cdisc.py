"""SDTM TU + TR in, RS and ADRS out, and the audit of recorded responses.

Fixtures in tests/data: three subjects. 01-001: liver 40 + lung 20 = 60 mm; week 6
30 + 15 = 45 (−25 %): SD, though RS records PR; week 12 25 + 16 = 41 ≤ 42: PR.
01-002: axillary node 18 mm (LPERP only: the node's short axis) + liver 2.5 cm = 43 mm;
week 6 node 9 + liver too small to measure (5 mm) = 14: PR; week 12 node 8 < 10 mm +
liver 0 cm: CR; week 18 new brain lesion: PD, though RS records SD. 01-003: week 6 the
kidney scan was not done: NE.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from remission.cdisc import AVAL, audit, read_domain, read_sdtm, to_adrs, to_rs
from remission.errors import InvalidInput

DATA = Path(__file__).parent / "data"
TU = DATA / "sdtm_tu.csv"
TR = DATA / "sdtm_tr.csv"
RS = DATA / "sdtm_rs.csv"


def test_long_table_from_tu_and_tr() -> None:
    study = read_sdtm(TU, TR)
    long = study.long
    assert len(long) == 22  # SUMDIAM rows are ignored
    node = long[(long["patient"] == "01-002") & (long["lesion"] == "T01")]
    assert node["node"].tolist() == ["yes"] * 4
    assert node["size_mm"].tolist() == [18.0, 9.0, 8.0, 8.0]
    liver = long[(long["patient"] == "01-002") & (long["lesion"] == "T02")]
    assert liver["size_cm"].iloc[0] == 2.5
    assert liver["status"].tolist() == ["", "too-small", "", ""]
    not_done = long[(long["patient"] == "01-003") & (long["lesion"] == "T01")]
    assert pd.isna(not_done["size_mm"].iloc[1])


def test_study_days_become_elapsed_days() -> None:
    # SDTM has no day 0: screening day −5 to day 42 is 46 days, not 47.
    long = read_sdtm(TU, TR).long
    first = long[long["patient"] == "01-001"]
    assert first["day"].drop_duplicates().tolist() == [-5, 41, 83]


def test_rs_records() -> None:
    rs = to_rs(read_sdtm(TU, TR), criteria="recist1.1")
    overall = rs[rs["RSTESTCD"] == "OVRLRESP"]
    assert list(zip(overall["USUBJID"], overall["VISIT"], overall["RSSTRESC"], strict=True)) == [
        ("01-001", "WEEK 6", "SD"),
        ("01-001", "WEEK 12", "PR"),
        ("01-002", "WEEK 6", "PR"),
        ("01-002", "WEEK 12", "CR"),
        ("01-002", "WEEK 18", "PD"),
        ("01-003", "WEEK 6", "NE"),
    ]
    assert set(rs["DOMAIN"]) == {"RS"}
    assert set(rs["RSCAT"]) == {"RECIST 1.1"}
    assert set(rs["STUDYID"]) == {"DEMO"}
    # 01-002 has no non-target disease: no NTRGRESP records.
    assert "NTRGRESP" not in set(rs.loc[rs["USUBJID"] == "01-002", "RSTESTCD"])
    assert rs.loc[rs["USUBJID"] == "01-001", "RSSEQ"].tolist() == [1, 2, 3, 4, 5, 6]
    assert rs.loc[rs["USUBJID"] == "01-001", "RSDY"].tolist()[:3] == [42, 42, 42]


def test_adrs_parameters() -> None:
    adrs = to_adrs(read_sdtm(TU, TR), criteria="recist1.1")
    best = adrs[adrs["PARAMCD"] == "BOR"].set_index("USUBJID")["AVALC"].to_dict()
    assert best == {"01-001": "PR", "01-002": "CR", "01-003": "NE"}
    confirmed = adrs[adrs["PARAMCD"] == "CBOR"].set_index("USUBJID")["AVALC"].to_dict()
    # Confirmation ≥ 28 days later (admiralonco): 01-001's PR at day 84 is not confirmed
    # (SD: met after day 42); 01-002's PR at day 40 is confirmed by the CR at day 85,
    # whose own confirmation fails (PD next).
    assert confirmed == {"01-001": "SD", "01-002": "PR", "01-003": "NE"}
    assert all(AVAL[c] == a for c, a in zip(adrs["AVALC"], adrs["AVAL"], strict=True))
    assert AVAL["NON-CR/NON-PD"] == 4
    assert AVAL["MISSING"] == 7


def test_audit_lists_the_recorded_responses_that_break_recist() -> None:
    report = audit(TU, TR, RS, criteria="recist1.1")
    differing = report[~report["agrees"]]
    assert list(
        zip(
            differing["USUBJID"],
            differing["VISIT"],
            differing["recorded"],
            differing["recomputed"],
            strict=True,
        )
    ) == [("01-001", "WEEK 6", "PR", "SD"), ("01-002", "WEEK 18", "SD", "PD")]
    reason = differing["reason"].iloc[0]
    assert reason.startswith("recorded PR, but the measurements give SD:")
    assert "(−25.0 %)" in reason
    assert "A new lesion means PD" in differing["reason"].iloc[1]
    assert int(report["agrees"].sum()) == 4


def test_audit_flags_visits_missing_from_rs(tmp_path: Path) -> None:
    rs = pd.read_csv(RS, dtype=str, keep_default_na=False)
    extra = pd.DataFrame(
        [
            [
                "DEMO",
                "RS",
                "01-003",
                "9",
                "OVRLRESP",
                "Overall Response",
                "RECIST 1.1",
                "PR",
                "PR",
                "9",
                "WEEK 99",
                "700",
            ]
        ],
        columns=rs.columns,
    )
    rs = pd.concat([rs[rs["VISIT"] != "WEEK 12"], extra], ignore_index=True)
    report = audit(TU, TR, rs, criteria="recist1.1")
    missing = report[report["recorded"] == ""]
    assert missing["VISIT"].tolist() == ["WEEK 12", "WEEK 12"]
    assert missing["reason"].iloc[0].startswith("no overall response recorded in RS")
    extra = report[report["VISIT"] == "WEEK 99"]
    assert (
        extra["reason"].iloc[0] == "no measurements for this visit in TR, so nothing to recompute"
    )


def test_audit_refuses_another_criteria_set() -> None:
    with pytest.raises(InvalidInput, match="no OVRLRESP records for WHO 1981"):
        audit(TU, TR, RS, criteria="who")


def test_xpt_round_trip(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    tu = pd.read_csv(TU, dtype=str, keep_default_na=False)
    tr = pd.read_csv(TR, dtype=str, keep_default_na=False)
    tr["TRSTRESN"] = pd.to_numeric(tr["TRSTRESN"]).astype("float64")
    tr["TRDY"] = pd.to_numeric(tr["TRDY"]).astype("float64")
    tr["VISITNUM"] = pd.to_numeric(tr["VISITNUM"]).astype("float64")
    for name, frame in (("tu", tu), ("tr", tr)):
        # Version 5: the transport format the FDA asks for, and the one pandas reads.
        pyreadstat.write_xport(
            frame, str(tmp_path / f"{name}.xpt"), table_name=name.upper(), file_format_version=5
        )
    frame, rows = read_domain(tmp_path / "tr.xpt", "TR")
    assert len(frame) == len(tr)
    assert rows[0] == 2
    from_xpt = to_rs(read_sdtm(tmp_path / "tu.xpt", tmp_path / "tr.xpt"))
    from_csv = to_rs(read_sdtm(TU, TR))
    pd.testing.assert_frame_equal(from_xpt, from_csv)


def test_dates_are_used_when_every_visit_has_one() -> None:
    tu = pd.DataFrame(
        {"USUBJID": ["S1"], "TULNKID": ["T01"], "TUSTRESC": ["TARGET"], "TULOC": ["LIVER"]}
    )
    tr = pd.DataFrame(
        {
            "USUBJID": ["S1", "S1"],
            "TRLNKID": ["T01", "T01"],
            "TRTESTCD": ["LDIAM", "LDIAM"],
            "TRORRES": ["30", "20"],
            "TRSTRESN": [30.0, 20.0],
            "TRSTRESU": ["mm", "mm"],
            "VISIT": ["BASELINE", "WEEK 8"],
            "TRDTC": ["2024-01-08", "2024-03-04T09:00"],
        }
    )
    study = read_sdtm(tu, tr)
    assert study.long["date"].tolist() == ["2024-01-08", "2024-03-04"]
    rs = to_rs(study)
    assert rs["RSDTC"].tolist() == ["2024-03-04", "2024-03-04"]
    assert rs["RSDY"].isna().all()


def test_problems_name_tu_and_tr_rows() -> None:
    tu = pd.read_csv(TU, dtype=str, keep_default_na=False)
    tr = pd.read_csv(TR, dtype=str, keep_default_na=False)
    tu.loc[0, "TUSTRESC"] = "MAYBE"
    tr.loc[1, "TRSTRESU"] = "in"
    tr.loc[2, "TRSTRESC"] = "SOMEWHAT"
    tr.loc[10, "TRLNKID"] = "T99"
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(tu, tr)
    assert [str(p) for p in caught.value.problems] == [
        "TU row 2 (USUBJID 01-001), TUSTRESC: 'MAYBE' is not TARGET, NON-TARGET or NEW. "
        "Fix: use the CDISC terms.",
        "TR row 3 (USUBJID 01-001), TRSTRESU: 'in' is not mm or cm. Fix: give the unit of "
        "TRSTRESN (mm or cm).",
        "TR row 4 (USUBJID 01-001), TRSTRESC: 'SOMEWHAT' is not a TUMSTATE result remission "
        "knows. Fix: use one of PRESENT, PATHOLOGICAL, ABSENT, NON-PATHOLOGICAL, NORMAL, "
        "UNEQUIVOCAL PROGRESSION, UNEQUIVOCAL, PROGRESSION, NOT EVALUABLE, NOT ASSESSED, NE, "
        "NOT DONE, EQUIVOCAL.",
        "TR row 12 (USUBJID 01-002), TRLNKID: 'T99' has no TU record for this subject. Fix: "
        "add the lesion to TU (TULNKID) or correct TRLNKID.",
    ]


def test_table_problems_are_named_by_tr_row() -> None:
    tr = pd.read_csv(TR, dtype=str, keep_default_na=False)
    tr.loc[4, "TRSTRESN"] = "0.0001"  # 01-001 week 6 T01: caught by the table's check
    with pytest.raises(InvalidInput) as caught:
        to_rs(read_sdtm(TU, tr))
    assert str(caught.value.problems[0]).startswith(
        "TR row 6 (USUBJID 01-001), TRSTRESN: is 0.0001, above 0 but below 0.001 mm"
    )


def test_missing_variables_are_listed() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(pd.DataFrame({"USUBJID": ["S1"]}), pd.DataFrame({"USUBJID": ["S1"]}))
    fields = [p.field for p in caught.value.problems]
    assert fields == [
        "TULNKID",
        "TUSTRESC or TUORRES",
        "TRLNKID",
        "TRTESTCD",
        "VISIT or VISITNUM",
        "TRDTC or TRDY",
    ]


def test_xport_version_8_is_read_through_pyreadstat(tmp_path: Path) -> None:
    pyreadstat = pytest.importorskip("pyreadstat")
    tu = pd.read_csv(TU, dtype=str, keep_default_na=False)
    pyreadstat.write_xport(tu, str(tmp_path / "tu.xpt"), table_name="TU", file_format_version=8)
    frame, _ = read_domain(tmp_path / "tu.xpt", "TU")
    assert frame["TULNKID"].tolist() == tu["TULNKID"].tolist()


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "tr.xpt"
    bad.write_bytes(b"not a transport file")
    with pytest.raises(InvalidInput, match="cannot be read"):
        read_domain(bad, "TR")


def _tr(rows: Sequence[tuple[str, str, str, float, str, str]]) -> pd.DataFrame:
    """TR records (lesion link, visit, test code, size in mm, TREVAL, TREVALID)."""
    day = {"SCREENING": -3, "WEEK 6": 42}
    return pd.DataFrame(
        [
            {
                "USUBJID": "S1",
                "TRLNKID": link,
                "TRTESTCD": test,
                "TRORRES": str(size),
                "TRSTRESN": size,
                "TRSTRESU": "mm",
                "VISIT": visit,
                "TRDY": day[visit],
                "TREVAL": kind,
                "TREVALID": who,
            }
            for link, visit, test, size, kind, who in rows
        ]
    )


def _overall(study_rs: pd.DataFrame) -> list[str]:
    return study_rs.loc[study_rs["RSTESTCD"] == "OVRLRESP", "RSSTRESC"].tolist()


def test_a_node_is_measured_by_its_short_axis_when_both_axes_are_recorded() -> None:
    # RECIST 1.1 sections 3.1.1 and 4.3.1: a node's short axis counts, and a node whose
    # short axis is below 10 mm is normal. Long 18 × short 12 mm, then 11 × 9 mm: the
    # sum is 12 → 9 mm, and the only target is a node under 10 mm, so CR (the long axis
    # would have given 18 → 11 mm, −38.9 %: PR).
    tu = pd.DataFrame(
        {"USUBJID": ["S1"], "TULNKID": ["T01"], "TUSTRESC": ["TARGET"], "TULOC": ["LYMPH NODE"]}
    )
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 18, "INVESTIGATOR", ""),
            ("T01", "SCREENING", "LPERP", 12, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "LDIAM", 11, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "LPERP", 9, "INVESTIGATOR", ""),
        ]
    )
    study = read_sdtm(tu, tr)
    assert study.long["size_mm"].tolist() == [12.0, 9.0]
    assert study.long["perpendicular_mm"].tolist() == [18.0, 11.0]
    assert _overall(to_rs(study, criteria="recist1.1")) == ["CR"]
    # WHO multiplies the two axes whichever way round: 216 → 99 mm², −54.2 %: PR.
    assert _overall(to_rs(study, criteria="who")) == ["PR"]


TWO_READERS = [
    # Radiologist 1: 50 → 34 mm (−32 %, PR); radiologist 2: 52 → 38 mm (−26.9 %, SD).
    ("T01", "SCREENING", "LDIAM", 50, "INDEPENDENT ASSESSOR", "RADIOLOGIST 1"),
    ("T01", "WEEK 6", "LDIAM", 34, "INDEPENDENT ASSESSOR", "RADIOLOGIST 1"),
    ("T01", "SCREENING", "LDIAM", 52, "INDEPENDENT ASSESSOR", "RADIOLOGIST 2"),
    ("T01", "WEEK 6", "LDIAM", 38, "INDEPENDENT ASSESSOR", "RADIOLOGIST 2"),
]
ONE_TARGET = pd.DataFrame(
    {"USUBJID": ["S1"], "TULNKID": ["T01"], "TUSTRESC": ["TARGET"], "TULOC": ["LIVER"]}
)


def test_several_readers_are_never_mixed() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(ONE_TARGET, _tr(TWO_READERS))
    (problem,) = caught.value.problems
    assert problem.field == "TREVAL/TREVALID"
    assert "RADIOLOGIST 1" in problem.message
    assert "RADIOLOGIST 2" in problem.message
    assert "--evaluator" in problem.fix


@pytest.mark.parametrize(
    ("evaluator", "expected"),
    [("RADIOLOGIST 1", ["PR"]), ("radiologist 2", ["SD"])],
)
def test_one_reader_is_chosen_by_name(evaluator: str, expected: list[str]) -> None:
    study = read_sdtm(ONE_TARGET, _tr(TWO_READERS), evaluator=evaluator)
    assert _overall(to_rs(study, criteria="recist1.1")) == expected


def test_an_unknown_reader_is_refused_with_the_names_found() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(ONE_TARGET, _tr(TWO_READERS), evaluator="RADIOLOGIST 3")
    assert "INDEPENDENT ASSESSOR / RADIOLOGIST 1" in caught.value.problems[0].fix


def test_accepted_records_choose_the_reader() -> None:
    tr = _tr(TWO_READERS).assign(TRACPTFL=["", "", "Y", "Y"])
    assert _overall(to_rs(read_sdtm(ONE_TARGET, tr), criteria="recist1.1")) == ["SD"]


def test_a_month_without_a_day_is_dated_the_first_and_said() -> None:
    # SDTM allows partial dates. Screening 2014-01-10, week 6 "2014-02": the first of
    # February is used (day 22 after screening), ADTF = "D", and a note says so.
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 50, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "LDIAM", 34, "INVESTIGATOR", ""),
        ]
    ).drop(columns=["TRDY"])
    tr["TRDTC"] = ["2014-01-10", "2014-02"]
    study = read_sdtm(ONE_TARGET, tr)
    assert study.long["date"].tolist() == ["2014-01-10", "2014-02-01"]
    (note,) = study.notes
    assert "S1, WEEK 6: TRDTC '2014-02' has no day; 2014-02-01 was used" in note
    adrs = to_adrs(study, criteria="recist1.1")
    overall = adrs[adrs["PARAMCD"] == "OVR"]
    assert overall[["AVALC", "ADT", "ADTF"]].values.tolist() == [["PR", "2014-02-01", "D"]]
    rs = to_rs(study, criteria="recist1.1")
    assert set(rs["RSDTC"]) == {"2014-02"}  # RS keeps the date as recorded


def test_an_imputed_day_keeps_visits_in_order() -> None:
    # Week 3 on 2014-02-12, week 6 recorded as "2014-02": the day after week 3.
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 50, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "LDIAM", 34, "INVESTIGATOR", ""),
        ]
    ).drop(columns=["TRDY"])
    tr = pd.concat([tr, tr.iloc[[1]].assign(VISIT="WEEK 3", TRSTRESN=40)], ignore_index=True)
    tr["TRDTC"] = ["2014-01-10", "2014-02", "2014-02-12"]
    tr["VISITNUM"] = [1, 3, 2]
    study = read_sdtm(ONE_TARGET, tr)
    dates = dict(zip(study.long["visit"], study.long["date"], strict=True))
    assert dates == {"SCREENING": "2014-01-10", "WEEK 3": "2014-02-12", "WEEK 6": "2014-02-13"}


def test_a_visit_scanned_over_several_days_is_dated_by_its_first_scan() -> None:
    tu = pd.concat([ONE_TARGET, ONE_TARGET.assign(TULNKID="T02", TULOC="LUNG")])
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 50, "INVESTIGATOR", ""),
            ("T02", "SCREENING", "LDIAM", 20, "INVESTIGATOR", ""),
        ]
    ).drop(columns=["TRDY"])
    tr["TRDTC"] = ["2014-01-12", "2014-01-10T09:30"]
    assert set(read_sdtm(tu, tr).long["date"]) == {"2014-01-10"}


def test_the_audit_dates_each_visit_when_there_are_no_study_days() -> None:
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 50, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "LDIAM", 34, "INVESTIGATOR", ""),
        ]
    ).drop(columns=["TRDY"])
    tr["TRDTC"] = ["2014-01-10", "2014-02-21"]
    rs = pd.DataFrame(
        {"USUBJID": ["S1"], "RSTESTCD": ["OVRLRESP"], "RSSTRESC": ["SD"], "VISIT": ["WEEK 6"]}
    )
    report = audit(ONE_TARGET, tr, rs)
    assert report[["VISIT", "RSDTC", "recorded", "recomputed"]].values.tolist() == [
        ["WEEK 6", "2014-02-21", "SD", "PR"]
    ]


def _broken_tr() -> pd.DataFrame:
    """The fixture's TR with 01-001's week-6 T01 negative and 01-003 linked to a T99."""
    tr, _ = read_domain(TR, "TR")
    tr = tr.copy()
    first = (tr["USUBJID"] == "01-001") & (tr["VISIT"] == "WEEK 6") & (tr["TRLNKID"] == "T01")
    tr.loc[first, ["TRORRES", "TRSTRESC", "TRSTRESN"]] = "-30"
    tr.loc[(tr["USUBJID"] == "01-003").to_numpy().nonzero()[0][0], "TRLNKID"] = "T99"
    return tr


def test_without_keep_going_every_problem_stops_the_reading() -> None:
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(TU, _broken_tr())
    assert {(p.field, p.where.split(" (")[1]) for p in caught.value.problems} == {
        ("TRLNKID", "USUBJID 01-003)"),
        ("TRSTRESN", "USUBJID 01-001)"),
    }


def test_keep_going_reads_the_subjects_whose_records_are_fine() -> None:
    study = read_sdtm(TU, _broken_tr(), keep_going=True)
    assert set(study.long["patient"]) == {"01-002"}
    left_out = {e.patient: e for e in study.excluded}
    assert set(left_out) == {"01-001", "01-003"}
    # Every TR row of a subject left out is counted (the fixture: 01-001 has 10, with
    # its SUMDIAM rows; 01-003 has 4).
    assert left_out["01-001"].rows == 10
    assert left_out["01-003"].rows == 4
    (negative,) = left_out["01-001"].problems
    assert negative.where.startswith("TR row ")
    assert negative.message == "is negative (-30)"
    assert _overall(to_rs(study, criteria="recist1.1")) == ["PR", "CR", "PD"]


def test_visits_dated_against_their_visitnum_order_are_a_problem() -> None:
    tr, _ = read_domain(TR, "TR")
    tr = tr.copy()
    tr.loc[(tr["USUBJID"] == "01-001") & (tr["VISIT"] == "WEEK 12"), "TRDY"] = "30"
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(TU, tr)
    (problem,) = caught.value.problems
    assert problem.where == "TR, VISIT WEEK 12 (USUBJID 01-001)"
    assert problem.field == "TRDY"
    assert problem.message == "day 30 is before WEEK 6 (day 42), though VISITNUM 3 comes after it"


def test_when_every_subject_has_problems_they_are_all_listed() -> None:
    tr = _broken_tr()
    tr.loc[(tr["USUBJID"] == "01-002").to_numpy().nonzero()[0][0], "TRLNKID"] = "T98"
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(TU, tr, keep_going=True)
    assert {p.where.split("USUBJID ")[1] for p in caught.value.problems} == {
        "01-001)",
        "01-002)",
        "01-003)",
    }


def test_diameter_is_read_when_no_other_size_is_recorded() -> None:
    # 50 → 34 mm recorded as DIAMETER only: −32 %, PR.
    tr = _tr(
        [
            ("T01", "SCREENING", "DIAMETER", 50, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "DIAMETER", 34, "INVESTIGATOR", ""),
        ]
    )
    assert _overall(to_rs(read_sdtm(ONE_TARGET, tr), criteria="recist1.1")) == ["PR"]


def test_the_measured_axes_win_over_a_recorded_diameter() -> None:
    # LDIAM 50 → 36 mm (−28 %, SD); DIAMETER says 50 → 34 mm (PR): the LDIAM is used.
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 50, "INVESTIGATOR", ""),
            ("T01", "SCREENING", "DIAMETER", 50, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "LDIAM", 36, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "DIAMETER", 34, "INVESTIGATOR", ""),
        ]
    )
    assert _overall(to_rs(read_sdtm(ONE_TARGET, tr), criteria="recist1.1")) == ["SD"]


def test_a_tu_target_without_a_size_in_tr_is_a_problem() -> None:
    tu = pd.concat([ONE_TARGET, ONE_TARGET.assign(TULNKID="T02", TULOC="LUNG")])
    tr = _tr([("T01", "SCREENING", "LDIAM", 50, "INVESTIGATOR", "")])
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(tu, tr)
    (problem,) = caught.value.problems
    assert (problem.where, problem.field) == ("TU row 3 (USUBJID S1)", "TULNKID")
    assert "'T02' has no size in TR" in problem.message


def test_two_different_results_for_one_lesion_and_visit_are_a_problem() -> None:
    rows = [
        ("T01", "SCREENING", "LDIAM", 50, "INVESTIGATOR", ""),
        ("T01", "WEEK 6", "LDIAM", 34, "INVESTIGATOR", ""),
    ]
    same = _tr([*rows, rows[1]])  # the same result twice is harmless
    assert _overall(to_rs(read_sdtm(ONE_TARGET, same), criteria="recist1.1")) == ["PR"]
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(ONE_TARGET, _tr([*rows, ("T01", "WEEK 6", "LDIAM", 40, "INVESTIGATOR", "")]))
    (problem,) = caught.value.problems
    assert problem.where == "TR row 4 (USUBJID S1)"
    assert problem.message == (
        "is 40 mm, but this lesion's LDIAM at this visit is also recorded as 34 mm"
    )


def test_results_are_read_at_fifteen_significant_digits() -> None:
    # 66 → 46.2 mm is exactly −30 %: PR. Written as R prints doubles (17 digits), 46.2
    # is 46.200000000000003, which read as it stands would be SD.
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 66, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "LDIAM", 46.2, "INVESTIGATOR", ""),
        ]
    ).astype({"TRSTRESN": str})
    tr.loc[1, "TRSTRESN"] = "46.200000000000003"
    assert _overall(to_rs(read_sdtm(ONE_TARGET, tr), criteria="recist1.1")) == ["PR"]


@pytest.mark.parametrize(("role", "expected"), [("NEW", "SD"), ("NON-TARGET", "SD")])
def test_an_equivocal_finding_is_not_yet_progression(role: str, expected: str) -> None:
    # RECIST 1.1 section 4.3.5. Target 50 → 45 mm (SD) and an equivocal lesion.
    tu = pd.concat([ONE_TARGET, ONE_TARGET.assign(TULNKID="L2", TUSTRESC=role)])
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 50, "INVESTIGATOR", ""),
            ("T01", "WEEK 6", "LDIAM", 45, "INVESTIGATOR", ""),
        ]
    )
    states = [("SCREENING", -3, "PRESENT")] if role == "NON-TARGET" else []
    states.append(("WEEK 6", 42, "EQUIVOCAL"))
    extra = pd.DataFrame(
        [
            {
                "USUBJID": "S1",
                "TRLNKID": "L2",
                "TRTESTCD": "TUMSTATE",
                "TRSTRESC": state,
                "VISIT": visit,
                "TRDY": day,
            }
            for visit, day, state in states
        ]
    )
    study = read_sdtm(tu, pd.concat([tr, extra], ignore_index=True))
    assert _overall(to_rs(study, criteria="recist1.1")) == [expected]


def _visits_tr(rows: Sequence[tuple[str, str, float, int]]) -> pd.DataFrame:
    """One target's LDIAM in mm: (VISITNUM, VISIT, size, TRDY) per record."""
    return pd.DataFrame(
        [
            {
                "USUBJID": "S1",
                "TRLNKID": "T01",
                "TRTESTCD": "LDIAM",
                "TRSTRESN": size,
                "TRSTRESU": "mm",
                "VISITNUM": number,
                "VISIT": visit,
                "TRDY": day,
            }
            for number, visit, size, day in rows
        ]
    )


def test_unscheduled_visits_sharing_a_visit_label_are_told_apart_by_visitnum() -> None:
    # SDTM: VISITNUM identifies a visit, VISIT labels it. Baseline 50; 1.1: 30 (−40 %, PR);
    # week 6: 45 (+50 % and +15 mm over the 30 mm nadir, PD); 2.1: 30 (PR again from
    # baseline, not PD); week 12: 60 (PD).
    tr = _visits_tr(
        [
            ("1", "SCREENING", 50, -3),
            ("1.1", "UNSCHEDULED", 30, 20),
            ("2", "WEEK 6", 45, 42),
            ("2.1", "UNSCHEDULED", 30, 60),
            ("3", "WEEK 12", 60, 84),
        ]
    )
    rs = to_rs(read_sdtm(ONE_TARGET, tr), criteria="recist1.1")
    overall = rs[rs["RSTESTCD"] == "OVRLRESP"]
    assert overall["RSSTRESC"].tolist() == ["PR", "PD", "PR", "PD"]
    assert overall["VISIT"].tolist() == ["UNSCHEDULED", "WEEK 6", "UNSCHEDULED", "WEEK 12"]
    assert overall["VISITNUM"].tolist() == [1.1, 2.0, 2.1, 3.0]
    # The audit matches RS to TR by VISITNUM, whatever the VISIT text says.
    recorded = overall.assign(VISIT=["Unscheduled", "Week 6", "", "wk 12"])
    report = audit(ONE_TARGET, tr, recorded, criteria="recist1.1")
    assert report["agrees"].tolist() == [True] * 4
    assert report["VISIT"].tolist() == ["Unscheduled", "Week 6", "UNSCHEDULED", "wk 12"]


def test_a_visit_is_dated_by_its_first_scan_whatever_the_row_order() -> None:
    # Week 6 scanned on days 44 and 42: day 42, 41 days after screening day 1, is before
    # the 42 days RECIST 1.1 asks for SD (section 4.4.3 with sd_min_days 42): BOR NE.
    tu = pd.concat([ONE_TARGET, ONE_TARGET.assign(TULNKID="T02", TULOC="LUNG")])
    for order in ([0, 1, 2, 3], [0, 1, 3, 2]):
        tr = pd.DataFrame(
            {
                "USUBJID": "S1",
                "TRLNKID": ["T01", "T02", "T01", "T02"],
                "TRTESTCD": "LDIAM",
                "TRSTRESN": [40, 40, 38, 38],
                "TRSTRESU": "mm",
                "VISITNUM": [1, 1, 2, 2],
                "VISIT": ["SCREENING", "SCREENING", "WEEK 6", "WEEK 6"],
                "TRDY": [1, 1, 44, 42],
            }
        ).iloc[order]
        adrs = to_adrs(read_sdtm(tu, tr), criteria="recist1.1")
        assert adrs.loc[adrs["PARAMCD"] == "BOR", ["AVALC", "ADY"]].values.tolist() == [["NE", 42]]


def test_a_new_lesion_found_in_tu_only_is_progression() -> None:
    # RECIST 1.1 section 4.3.5: a new lesion is PD, even with the target stable (40 → 30
    # mm, −25 %). TU identifies it at week 6; TR has no result for it.
    tu = pd.concat(
        [
            ONE_TARGET.assign(VISITNUM=1, VISIT="SCREENING"),
            ONE_TARGET.assign(
                TULNKID="NEW01", TUSTRESC="NEW", TULOC="BRAIN", VISITNUM=2, VISIT="WEEK 6"
            ),
        ]
    )
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 40, "", ""),
            ("T01", "WEEK 6", "LDIAM", 30, "", ""),
        ]
    ).assign(VISITNUM=[1, 2])
    study = read_sdtm(tu, tr)
    assert _overall(to_rs(study, criteria="recist1.1")) == ["PD"]
    assert any("new lesion 'NEW01' is in TU" in note for note in study.notes)
    # Found at a visit TR does not have: a problem, not a silent miss; a VISITNUM is
    # matched by VISITNUM only (unscheduled visits share their VISIT).
    with pytest.raises(InvalidInput, match="names no visit in TR"):
        read_sdtm(tu.assign(VISITNUM=[1, 9], VISIT=["SCREENING", "WEEK 60"]), tr)
    with pytest.raises(InvalidInput, match="names no visit in TR"):
        read_sdtm(tu.assign(VISITNUM=[1, 2.1], VISIT=["SCREENING", "WEEK 6"]), tr)


def test_accepted_records_from_several_readers_are_read_with_a_note() -> None:
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 50, "INDEPENDENT ASSESSOR", "RADIOLOGIST 1"),
            ("T01", "SCREENING", "LDIAM", 30, "INDEPENDENT ASSESSOR", "RADIOLOGIST 2"),
            ("T01", "WEEK 6", "LDIAM", 40, "INDEPENDENT ASSESSOR", "RADIOLOGIST 1"),
            ("T01", "WEEK 6", "LDIAM", 30, "INDEPENDENT ASSESSOR", "RADIOLOGIST 2"),
        ]
    ).assign(TRACPTFL=["Y", "", "", "Y"])
    study = read_sdtm(ONE_TARGET, tr)
    assert "come from 2 evaluators" in study.notes[0]
    # Each reader against their own baseline: 50 → 40 (−20 %) and 30 → 30: SD both.
    for reader in ("RADIOLOGIST 1", "RADIOLOGIST 2"):
        chosen = read_sdtm(ONE_TARGET, tr, evaluator=reader)
        assert not chosen.notes
        assert _overall(to_rs(chosen, criteria="recist1.1")) == ["SD"]


def test_first_reading_problems_come_together() -> None:
    # A bad number and a negative size in one subject's TR: both reported at once.
    tr = _tr(
        [
            ("T01", "SCREENING", "LDIAM", 50, "", ""),
            ("T01", "WEEK 6", "LDIAM", -5, "", ""),
        ]
    ).astype({"TRSTRESN": str})
    tr.loc[0, "TRSTRESN"] = "5,0"
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(ONE_TARGET, tr)
    assert [(p.where, p.field, p.message) for p in caught.value.problems] == [
        ("TR row 2 (USUBJID S1)", "TRSTRESN", "'5,0' is not a number"),
        ("TR row 3 (USUBJID S1)", "TRSTRESN", "is negative (-5)"),
    ]


def test_two_different_identifications_of_one_lesion_are_a_problem() -> None:
    tu = pd.concat([ONE_TARGET, ONE_TARGET.assign(TUSTRESC="NON-TARGET", TULOC="LUNG")])
    tr = _tr([("T01", "SCREENING", "LDIAM", 50, "", ""), ("T01", "WEEK 6", "LDIAM", 30, "", "")])
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(tu, tr)
    (problem,) = caught.value.problems
    assert (problem.where, problem.field) == ("TU row 3 (USUBJID S1)", "TUSTRESC/TULOC")
    assert "TARGET at LIVER in TU row 2" in problem.message
    assert _overall(to_rs(read_sdtm(pd.concat([ONE_TARGET, ONE_TARGET]), tr))) == ["PR"]


def test_a_study_id_fills_only_what_tr_leaves_empty() -> None:
    tr = _tr([("T01", "SCREENING", "LDIAM", 50, "", ""), ("T01", "WEEK 6", "LDIAM", 30, "", "")])
    study = read_sdtm(ONE_TARGET, tr)
    assert set(to_adrs(study, studyid="XYZ")["STUDYID"]) == {"XYZ"}
    assert set(to_rs(study, studyid="XYZ")["STUDYID"]) == {"XYZ"}
    own = read_sdtm(ONE_TARGET, tr.assign(STUDYID="ABC"))
    assert set(to_adrs(own, studyid="XYZ")["STUDYID"]) == {"ABC"}


def test_a_subject_with_dates_but_no_study_days_is_counted_from_its_first_date() -> None:
    # S1 has TRDY; S2 only TRDTC (2020-01-01 → 2020-02-15, 45 days): both read by days.
    tr = _tr([("T01", "SCREENING", "LDIAM", 50, "", ""), ("T01", "WEEK 6", "LDIAM", 30, "", "")])
    dated = tr.assign(USUBJID="S2", TRDY="", TRDTC=["2020-01-01", "2020-02-15"])
    study = read_sdtm(
        pd.concat([ONE_TARGET, ONE_TARGET.assign(USUBJID="S2")]),
        pd.concat([tr.assign(TRDTC=""), dated]),
    )
    s2 = study.long[study.long["patient"] == "S2"]
    assert s2["day"].tolist() == [0, 45]
    assert _overall(to_rs(study, criteria="recist1.1")) == ["PR", "PR"]


def test_a_subject_only_in_tu_gets_missing_in_adrs_and_a_note() -> None:
    tr = _tr([("T01", "SCREENING", "LDIAM", 50, "", ""), ("T01", "WEEK 6", "LDIAM", 30, "", "")])
    study = read_sdtm(pd.concat([ONE_TARGET, ONE_TARGET.assign(USUBJID="S9")]), tr)
    assert study.unmeasured == ("S9",)
    assert any("USUBJID S9: in TU, but TR has no result" in note for note in study.notes)
    adrs = to_adrs(study, criteria="recist1.1")
    s9 = adrs[adrs["USUBJID"] == "S9"]
    assert s9[["PARAMCD", "AVALC", "AVAL"]].values.tolist() == [
        ["BOR", "MISSING", 7],
        ["CBOR", "MISSING", 7],
    ]
    assert s9["ADT"].isna().all()
    assert s9["VISIT"].isna().all()


def _dated_tr(rows: Sequence[tuple[str, int, str, str, float | None, str]]) -> pd.DataFrame:
    """TR in mm: (link, VISITNUM, VISIT, TRTESTCD, size or None, TRSTRESC) per record."""
    day = {1: "2024-01-05", 2: "2024-02-16", 3: "2024-03-29"}
    return pd.DataFrame(
        [
            {
                "USUBJID": "S1",
                "TRLNKID": link,
                "TRTESTCD": test,
                "TRSTRESC": text if size is None else str(size),
                "TRSTRESN": size,
                "TRSTRESU": "" if size is None else "mm",
                "VISITNUM": number,
                "VISIT": visit,
                "TRDTC": day[number],
            }
            for link, number, visit, test, size, text in rows
        ]
    )


NODE_AND_LIVER = pd.DataFrame(
    {
        "USUBJID": ["S1", "S1"],
        "TULNKID": ["T01", "T02"],
        "TUSTRESC": ["TARGET", "TARGET"],
        "TULOC": ["LYMPH NODE", "LIVER"],
    }
)


@pytest.mark.parametrize(("liver_mm", "expected"), [(25, "PR"), (27, "SD")])
def test_a_target_node_keeps_its_short_axis_beside_a_non_pathological_state(
    liver_mm: float, expected: str
) -> None:
    # The CDISC RECIST supplement records a target node by LPERP with LNSTATE. A node
    # shrunk to 9 mm is NON-PATHOLOGICAL but still counts 9 mm (RECIST 1.1 section
    # 4.3.1): 20 + 30 = 50 → 9 + 25 = 34 mm is −32 % (PR); 9 + 27 = 36 mm is −28 % (SD).
    # Counted as gone (0 mm), the second would wrongly be −46 %, PR.
    tr = _dated_tr(
        [
            ("T01", 1, "SCREENING", "LPERP", 20, ""),
            ("T01", 1, "SCREENING", "LNSTATE", None, "PATHOLOGICAL"),
            ("T02", 1, "SCREENING", "LDIAM", 30, ""),
            ("T01", 2, "WEEK 6", "LPERP", 9, ""),
            ("T01", 2, "WEEK 6", "LNSTATE", None, "NON-PATHOLOGICAL"),
            ("T02", 2, "WEEK 6", "LDIAM", liver_mm, ""),
        ]
    )
    study = read_sdtm(NODE_AND_LIVER, tr)
    assert study.long["size_mm"].tolist() == [20.0, 30.0, 9.0, float(liver_mm)]
    assert _overall(to_rs(study, criteria="recist1.1")) == [expected]


def test_an_evaluator_naming_several_readers_is_refused_with_their_names() -> None:
    # "INDEPENDENT ASSESSOR" covers radiologists 1 and 2: reading both would add their
    # lesions into one sum.
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(ONE_TARGET, _tr(TWO_READERS), evaluator="INDEPENDENT ASSESSOR")
    (problem,) = caught.value.problems
    assert "names more than one reader" in problem.message
    assert "'INDEPENDENT ASSESSOR / RADIOLOGIST 1'" in problem.fix


def test_tu_lesions_of_readers_not_read_are_left_out() -> None:
    # TU holds each reader's lesion; TR's accepted records are radiologist 1's
    # (50 → 40 mm, −20 %: SD). Radiologist 2's lesion (50 → 20) is not this series'.
    tu = pd.DataFrame(
        {
            "USUBJID": ["S1", "S1"],
            "TULNKID": ["R1-T01", "R2-T01"],
            "TUSTRESC": ["TARGET", "TARGET"],
            "TULOC": ["LIVER", "LIVER"],
        }
    )
    tr = _tr(
        [
            ("R1-T01", "SCREENING", "LDIAM", 50, "INDEPENDENT ASSESSOR", "RADIOLOGIST 1"),
            ("R1-T01", "WEEK 6", "LDIAM", 40, "INDEPENDENT ASSESSOR", "RADIOLOGIST 1"),
            ("R2-T01", "SCREENING", "LDIAM", 50, "INDEPENDENT ASSESSOR", "RADIOLOGIST 2"),
            ("R2-T01", "WEEK 6", "LDIAM", 20, "INDEPENDENT ASSESSOR", "RADIOLOGIST 2"),
        ]
    ).assign(TRACPTFL=["Y", "Y", "", ""])
    study = read_sdtm(tu, tr)
    assert study.long["lesion"].tolist() == ["R1-T01", "R1-T01"]
    assert _overall(to_rs(study, criteria="recist1.1")) == ["SD"]


def test_a_visit_with_no_scan_and_no_date_is_left_out_with_a_note() -> None:
    # The CDISC supplement: a scan not performed is TRSTAT = NOT DONE with no TRDTC.
    # Baseline 50, week 12 30 mm (−40 %): PR; week 6 has nothing to classify.
    tr = _dated_tr(
        [
            ("T01", 1, "SCREENING", "LDIAM", 50, ""),
            ("T01", 2, "WEEK 6", "LDIAM", None, ""),
            ("T01", 3, "WEEK 12", "LDIAM", 30, ""),
        ]
    )
    tr.loc[1, ["TRSTAT", "TRDTC"]] = ["NOT DONE", ""]
    study = read_sdtm(ONE_TARGET, tr)
    assert study.long["visit"].drop_duplicates().tolist() == ["SCREENING", "WEEK 12"]
    assert any("WEEK 6: every result is NOT DONE" in note for note in study.notes)
    assert _overall(to_rs(study, criteria="recist1.1")) == ["PR"]
    # With a result but no date or study day, the visit cannot be placed: TRDTC is named.
    tr.loc[1, "TRSTAT"] = ""
    tr.loc[1, "TRSTRESN"] = 40.0
    tr.loc[1, "TRSTRESU"] = "mm"
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(ONE_TARGET, tr)
    (problem,) = caught.value.problems
    assert (problem.where, problem.field, problem.message) == (
        "TR, VISIT WEEK 6 (USUBJID S1)",
        "TRDTC",
        "is empty",
    )


def test_a_visit_with_a_study_day_but_no_date_is_read_by_study_days() -> None:
    # Week 6 has TRDY 40 but no TRDTC: the subject is read by its study days (−3, 40,
    # 82), and its order is checked by days, never a day against a date.
    tr = _visits_tr([("1", "SCREENING", 50, -3), ("2", "WEEK 6", 30, 40), ("3", "WEEK 12", 28, 82)])
    tr = tr.assign(TRDTC=["2024-01-05", "", "2024-03-29"])
    study = read_sdtm(ONE_TARGET, tr)
    assert study.long["day"].tolist() == [-3, 39, 81]
    assert _overall(to_rs(study, criteria="recist1.1")) == ["PR", "PR"]


def test_the_audit_tells_unscheduled_visits_apart_by_date_without_visitnum() -> None:
    # Two UNSCHEDULED visits, RS without VISITNUM: matched by RSDTC, not crossed.
    # Baseline 50 mm; 2024-03-01 0 mm (CR); 2024-04-20 12 mm back (PD after a CR).
    tr = _visits_tr(
        [("1", "SCREENING", 50, -3), ("2.1", "UNSCHEDULED", 0, 56), ("3.1", "UNSCHEDULED", 12, 106)]
    )
    tr = tr.assign(TRDTC=["2024-01-05", "2024-03-01", "2024-04-20"])
    rs = pd.DataFrame(
        {
            "USUBJID": ["S1", "S1"],
            "RSTESTCD": ["OVRLRESP", "OVRLRESP"],
            "RSCAT": ["RECIST V1.1", "RECIST V1.1"],
            "RSSTRESC": ["CR", "PD"],
            "VISIT": ["UNSCHEDULED", "UNSCHEDULED"],
            "RSDTC": ["2024-03-01", "2024-04-20"],
        }
    )
    report = audit(ONE_TARGET, tr, rs, criteria="recist1.1")
    assert report[["RSDTC", "recorded", "recomputed"]].values.tolist() == [
        ["2024-03-01", "CR", "CR"],
        ["2024-04-20", "PD", "PD"],
    ]


def test_a_tr_naming_no_evaluator_is_read_for_the_evaluator_chosen_in_rs() -> None:
    # TR names no reader; RS holds the investigator's SD and the IRC's PR for one visit.
    tr = _tr([("T01", "SCREENING", "LDIAM", 50, "", ""), ("T01", "WEEK 6", "LDIAM", 40, "", "")])
    rs = pd.DataFrame(
        {
            "USUBJID": ["S1", "S1"],
            "RSTESTCD": ["OVRLRESP", "OVRLRESP"],
            "RSSTRESC": ["SD", "PR"],
            "RSEVAL": ["INVESTIGATOR", "INDEPENDENT ASSESSOR"],
            "VISIT": ["WEEK 6", "WEEK 6"],
        }
    )
    report = audit(ONE_TARGET, tr, rs, criteria="recist1.1", evaluator="INVESTIGATOR")
    assert report[["recorded", "recomputed", "agrees"]].values.tolist() == [["SD", "SD", True]]


@pytest.mark.parametrize(
    "confirmed", [("TUMSTATE", None, "UNEQUIVOCAL"), ("LDIAM", 15, "")], ids=["state", "size"]
)
def test_a_confirmed_equivocal_new_lesion_is_progression_from_its_first_scan(
    confirmed: tuple[str, float | None, str],
) -> None:
    # RECIST 1.1 section 4.3.5: "If repeat scans confirm there is definitely a new
    # lesion, then progression should be declared using the date of the initial scan."
    # Target 50 → 30 → 30 mm (PR), new lesion equivocal at week 6, certain at week 12
    # (UNEQUIVOCAL, or measured at 15 mm with no TUMSTATE).
    tu = pd.concat([ONE_TARGET, ONE_TARGET.assign(TULNKID="NEW01", TUSTRESC="NEW")])
    test, size, state = confirmed
    tr = _dated_tr(
        [
            ("T01", 1, "SCREENING", "LDIAM", 50, ""),
            ("T01", 2, "WEEK 6", "LDIAM", 30, ""),
            ("NEW01", 2, "WEEK 6", "TUMSTATE", None, "EQUIVOCAL"),
            ("T01", 3, "WEEK 12", "LDIAM", 30, ""),
            ("NEW01", 3, "WEEK 12", test, size, state),
        ]
    )
    study = read_sdtm(tu, tr)
    assert _overall(to_rs(study, criteria="recist1.1")) == ["PD", "PD"]
    assert any("progression is dated from WEEK 6" in note for note in study.notes)
    # Found absent at week 12 instead, the equivocal finding was nothing: PR, PR.
    tr.loc[4, ["TRTESTCD", "TRSTRESN", "TRSTRESC", "TRSTRESU"]] = ["TUMSTATE", None, "ABSENT", ""]
    assert _overall(to_rs(read_sdtm(tu, tr), criteria="recist1.1")) == ["PR", "PR"]


def test_a_split_target_grouped_by_tugrpid_is_measured_by_its_fragments() -> None:
    # RECIST 1.1 section 4.3.2: the fragments' diameters are added. T01 50 mm splits
    # into T01.1 30 mm and T01.2 25 mm (TUGRPID T01): 55 mm, +10 %: SD.
    tu = pd.DataFrame(
        {
            "USUBJID": ["S1"] * 3,
            "TULNKID": ["T01", "T01.1", "T01.2"],
            "TUGRPID": ["T01", "T01", "T01"],
            "TUSTRESC": ["TARGET"] * 3,
            "TULOC": ["LIVER"] * 3,
        }
    )
    tr = _dated_tr(
        [
            ("T01", 1, "SCREENING", "LDIAM", 50, ""),
            ("T01.1", 2, "WEEK 6", "LDIAM", 30, ""),
            ("T01.2", 2, "WEEK 6", "LDIAM", 25, ""),
        ]
    )
    study = read_sdtm(tu, tr)
    assert study.long[["lesion", "fragment", "size_mm"]].values.tolist() == [
        ["T01", "", 50.0],
        ["T01", "T01.1", 30.0],
        ["T01", "T01.2", 25.0],
    ]
    assert any("split into T01.1, T01.2" in note for note in study.notes)
    rs = to_rs(study, criteria="recist1.1")
    assert _overall(rs) == ["SD"]
    # Two results under one link instead: refused, the fix says how to record a split.
    with pytest.raises(InvalidInput, match="two") as caught:
        read_sdtm(ONE_TARGET, tr.assign(TRLNKID="T01"))
    assert "grouped with it by TUGRPID" in caught.value.problems[0].fix


def test_an_undated_baseline_with_nothing_done_is_refused_not_skipped() -> None:
    # Without it, week 6 would silently become the baseline (RECIST 1.1 section 4.1:
    # response is measured against the baseline scan).
    tr = _dated_tr(
        [
            ("T01", 1, "SCREENING", "LDIAM", None, ""),
            ("T01", 2, "WEEK 6", "LDIAM", 50, ""),
            ("T01", 3, "WEEK 12", "LDIAM", 30, ""),
        ]
    )
    tr.loc[0, ["TRSTAT", "TRDTC"]] = ["NOT DONE", ""]
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(ONE_TARGET, tr)
    (problem,) = caught.value.problems
    assert (problem.where, problem.field) == ("TR, VISIT SCREENING (USUBJID S1)", "TRSTAT")
    assert "no baseline" in problem.message


def test_a_new_lesion_from_tu_keeps_an_undated_visit() -> None:
    # TU says NEW01 was found at visit 2, so a scan was done there: the visit is not
    # dropped as "nothing done" (its progression would vanish); its missing date is named.
    tu = pd.concat([ONE_TARGET, ONE_TARGET.assign(TULNKID="NEW01", TUSTRESC="NEW", VISITNUM=2)])
    tr = _dated_tr(
        [
            ("T01", 1, "SCREENING", "LDIAM", 50, ""),
            ("T01", 2, "WEEK 6", "LDIAM", None, ""),
            ("T01", 3, "WEEK 12", "LDIAM", 30, ""),
        ]
    )
    tr.loc[1, ["TRSTAT", "TRDTC"]] = ["NOT DONE", ""]
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(tu, tr)
    assert [(p.where, p.field) for p in caught.value.problems] == [
        ("TR, VISIT WEEK 6 (USUBJID S1)", "TRDTC")
    ]


SPLIT_TU = pd.DataFrame(
    {
        "USUBJID": ["S1"] * 3,
        "TULNKID": ["T01", "T01.1", "T01.2"],
        "TUGRPID": ["T01", "T01", "T01"],
        "TUSTRESC": ["TARGET"] * 3,
        "TULOC": ["LIVER"] * 3,
    }
)
SPLIT_TR = [
    ("T01", 1, "SCREENING", "LDIAM", 50, ""),
    ("T01.1", 2, "WEEK 6", "LDIAM", 30, ""),
    ("T01.2", 2, "WEEK 6", "LDIAM", 25, ""),
    ("T01.1", 3, "WEEK 12", "LDIAM", 10, ""),
    ("T01.2", 3, "WEEK 12", "LDIAM", 10, ""),
]


def test_a_split_lesion_with_a_fragment_not_done_is_not_evaluable() -> None:
    # RECIST 1.1 section 4.3.1: a target not assessed makes the target response NE.
    tr = _dated_tr(SPLIT_TR)
    tr.loc[4, ["TRSTAT", "TRSTRESN", "TRSTRESC", "TRSTRESU"]] = ["NOT DONE", None, "", ""]
    study = read_sdtm(SPLIT_TU, tr)
    week12 = study.long[study.long["visit"] == "WEEK 12"]
    assert week12[["lesion", "fragment"]].values.tolist() == [["T01", ""]]
    assert pd.isna(week12["size_mm"].iloc[0])
    assert _overall(to_rs(study, criteria="recist1.1")) == ["SD", "NE"]


def test_a_split_lesion_reads_its_fragments_diameters_only() -> None:
    # Fragments recorded with LPERP as well (as TR often does), and the whole lesion's
    # record at week 6 NOT DONE beside them: 30 + 25 = 55 mm (SD); 10 + 10 = 20 (PR).
    tr = _dated_tr(
        [
            *SPLIT_TR,
            ("T01.1", 2, "WEEK 6", "LPERP", 20, ""),
            ("T01.2", 2, "WEEK 6", "LPERP", 15, ""),
            ("T01", 2, "WEEK 6", "LDIAM", None, ""),
        ]
    )
    tr.loc[7, "TRSTAT"] = "NOT DONE"
    study = read_sdtm(SPLIT_TU, tr)
    assert _overall(to_rs(study, criteria="recist1.1")) == ["SD", "PR"]


def test_a_fragment_too_small_to_measure_is_a_problem_with_a_fix() -> None:
    tr = _dated_tr(SPLIT_TR)
    tr.loc[4, ["TRSTRESN", "TRSTRESC", "TRSTRESU"]] = [None, "TOO SMALL TO MEASURE", ""]
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(SPLIT_TU, tr)
    (problem,) = caught.value.problems
    assert (problem.where, problem.field) == ("TR row 6 (USUBJID S1)", "TRORRES")
    assert "5 mm" in problem.fix


def test_an_unknown_lnstate_of_a_target_node_is_still_a_problem() -> None:
    tr = _dated_tr(
        [
            ("T01", 1, "SCREENING", "LPERP", 20, ""),
            ("T01", 1, "SCREENING", "LNSTATE", None, "WHATEVER"),
            ("T02", 1, "SCREENING", "LDIAM", 30, ""),
            ("T01", 2, "WEEK 6", "LPERP", 9, ""),
            ("T02", 2, "WEEK 6", "LDIAM", 25, ""),
        ]
    )
    with pytest.raises(InvalidInput, match="'WHATEVER' is not a LNSTATE result"):
        read_sdtm(NODE_AND_LIVER, tr)


def test_notes_do_not_speak_of_subjects_left_out() -> None:
    # S2 splits a lesion (a note) but has a bad number: with keep_going it is left out,
    # and so is its note.
    tr = pd.concat([_dated_tr(SPLIT_TR), _dated_tr(SPLIT_TR).assign(USUBJID="S2")])
    tr = tr.reset_index(drop=True).astype({"TRSTRESN": object})
    tr.loc[9, "TRSTRESN"] = "ten"
    study = read_sdtm(pd.concat([SPLIT_TU, SPLIT_TU.assign(USUBJID="S2")]), tr, keep_going=True)
    assert [e.patient for e in study.excluded] == ["S2"]
    assert not any("S2" in note for note in study.notes)
    assert any("USUBJID S1: target 'T01' split" in note for note in study.notes)


def _xpt(tmp_path: Path) -> Path:
    pyreadstat = pytest.importorskip("pyreadstat")
    tu = pd.read_csv(TU, dtype=str, keep_default_na=False)
    path = tmp_path / "tu.xpt"
    pyreadstat.write_xport(tu, str(path), table_name="TU", file_format_version=5)
    return path


def test_xpt_bytes_are_told_from_csv_by_their_content(tmp_path: Path) -> None:
    # An upload or standard input has no file name to go by.
    path = _xpt(tmp_path)
    from_bytes = to_rs(read_sdtm(path.read_bytes(), Path(TR).read_bytes()))
    pd.testing.assert_frame_equal(from_bytes, to_rs(read_sdtm(TU, TR)))


def test_a_damaged_xpt_file_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = _xpt(tmp_path)
    cut = tmp_path / "cut.xpt"
    cut.write_bytes(path.read_bytes()[:2562])
    missing = tmp_path / "tr.csv"
    with pytest.raises(InvalidInput) as caught:
        read_sdtm(cut, missing)
    assert [p.where for p in caught.value.problems] == [
        f"TU file {str(cut)!r}",
        f"TR file {str(missing)!r}",
    ]
    assert "cannot be read" in caught.value.problems[0].message
    with pytest.raises(InvalidInput, match="TU file, file: cannot be read"):
        read_sdtm(cut.read_bytes(), Path(TR).read_bytes())
