"""SDTM TU + TR in, RS and ADRS out, and the audit of recorded responses.

Fixtures in tests/data: three subjects. 01-001: liver 40 + lung 20 = 60 mm; week 6
30 + 15 = 45 (−25 %): SD, though RS records PR; week 12 25 + 16 = 41 ≤ 42: PR.
01-002: axillary node 18 mm (LPERP only: the node's short axis) + liver 2.5 cm = 43 mm;
week 6 node 9 + liver too small to measure (5 mm) = 14: PR; week 12 node 8 < 10 mm +
liver 0 cm: CR; week 18 new brain lesion: PD, though RS records SD. 01-003: week 6 the
kidney scan was not done: NE.
"""

from __future__ import annotations

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
        "NOT DONE.",
        "TR row 12 (USUBJID 01-002), TRLNKID: 'T99' has no TU record for this subject. Fix: "
        "add the lesion to TU (TULNKID) or correct TRLNKID.",
    ]


def test_table_problems_are_named_by_tr_row() -> None:
    tr = pd.read_csv(TR, dtype=str, keep_default_na=False)
    tr.loc[4, "TRSTRESN"] = "-30"  # 01-001 week 6 T01
    with pytest.raises(InvalidInput) as caught:
        to_rs(read_sdtm(TU, tr))
    assert str(caught.value.problems[0]).startswith(
        "TR row 6 (USUBJID 01-001), size_mm: is negative (-30.0)"
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
