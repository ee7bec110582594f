"""The command line, run in-process through ``main(argv)`` and twice as a real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from remission import cli, examples
from remission.cli import COMMANDS, main

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).resolve().parents[1]


def run(
    *argv: str, stdin: str | bytes = b"", monkeypatch: pytest.MonkeyPatch | None = None
) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    code = main(list(argv), stdin=io.BytesIO(data), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def study(tmp_path: Path, name: str = "mixed-cohort") -> Path:
    path = tmp_path / f"{name}.csv"
    path.write_text(examples.csv_text(name), encoding="utf-8")
    return path


def test_assess_writes_one_row_per_visit(tmp_path: Path) -> None:
    code, out, err = run("assess", str(study(tmp_path)), "--criteria", "recist1.1")
    assert (code, err) == (0, "")
    frame = pd.read_csv(io.StringIO(out))
    assert len(frame) == 22
    p03 = frame[frame["patient"] == "P03"]["response"].tolist()
    assert p03[1:] == ["SD", "PD"]


def test_assess_to_a_file_in_json(tmp_path: Path) -> None:
    target = tmp_path / "visits.json"
    code, out, _ = run("assess", str(study(tmp_path)), "-o", str(target))
    assert (code, out) == (0, "")
    rows = json.loads(target.read_text(encoding="utf-8"))
    assert rows[1]["patient"] == "P01"
    assert rows[1]["criteria"] == "basic"


def test_best_in_json_to_stdout(tmp_path: Path) -> None:
    code, out, _ = run(
        "assess",
        str(study(tmp_path, "breast-recurrence")),
        "--criteria",
        "recist1.1",
        "--best",
        "--format",
        "json",
        "--confirmation-days",
        "28",
    )
    assert code == 0
    [row] = json.loads(out)
    assert (row["best_response"], row["best_response_day"], row["confirmed_day"]) == (
        "CR",
        112,
        168,
    )


def test_stdin_and_options(tmp_path: Path) -> None:
    code, out, _ = run(
        "assess",
        "-",
        "--criteria",
        "RECIST1.1",
        "--best",
        "--confirmation-days",
        "none",
        "--sd-min-days",
        "0",
        stdin=examples.csv_text("mixed-cohort"),
    )
    assert code == 0
    best = pd.read_csv(io.StringIO(out)).set_index("patient")["best_response"]
    assert best["P01"] == "PR"


def test_stdin_with_a_bom() -> None:
    code, out, _ = run("assess", "-", stdin=("\ufeff" + examples.csv_text("who-products")).encode())
    assert code == 0
    assert "W01" in out


def test_compare_puts_every_criteria_side_by_side(tmp_path: Path) -> None:
    code, out, _ = run("compare", str(study(tmp_path)))
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == [
        "patient",
        "visit",
        "day",
        "basic",
        "who",
        "recist1.0",
        "recist1.1",
    ]
    p07 = frame[(frame["patient"] == "P07") & (frame["visit"] == "week 6")].iloc[0]
    # Non-target disease only: "SD" outside RECIST 1.1, NON-CR/NON-PD in it (Table 2).
    assert (p07["basic"], p07["recist1.1"]) == ("SD", "NON-CR/NON-PD")
    code, out, _ = run("compare", str(study(tmp_path)), "--best")
    assert pd.read_csv(io.StringIO(out)).shape == (7, 5)


def test_example_command() -> None:
    code, out, _ = run("example")
    assert (code, out) == (0, examples.csv_text("mixed-cohort"))
    code, out, _ = run("example", "who-products")
    assert out == examples.csv_text("who-products")
    code, out, _ = run("example", "--list")
    assert [line.split(":")[0] for line in out.splitlines()] == list(examples.names())
    code, _, err = run("example", "nope")
    assert code == 2  # a bad argument is a usage error
    assert "'nope' is not a bundled example (use one of" in err


def test_input_errors_exit_1_with_one_line_each(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "patient,visit,day,lesion,role,size_mm\n"
        "P1,baseline,0,T1,target,abc\n"
        "P1,week 8,x,T1,target,20\n"
        "P2,baseline,0,T1,target,-4\n",
        encoding="utf-8",
    )
    code, out, err = run("assess", str(bad))
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "row 2 (patient P1), size_mm: 'abc' is not a number. Fix: type a number with a "
        "decimal point, e.g. 12.5 (no units, no commas).",
        "row 3 (patient P1), day: 'x' is not a whole number of days. Fix: enter the study "
        "day as a whole number, e.g. 56 (not a date, not weeks).",
        "row 4 (patient P2), size_mm: is negative (-4). Fix: enter 0 for a lesion that has "
        "disappeared, or the measured size.",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "file, contents: is empty"),
        ("patient;visit;day\nP1;baseline;0\n", "separated by ';' (semicolon)"),
        ("patient,visit\nP1,baseline\n", "row 1 (header), lesion: the column is missing"),
    ],
)
def test_malformed_files(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("assess", str(path))
    assert code == 1
    assert expected in err


def test_missing_input_file(tmp_path: Path) -> None:
    code, _, err = run("assess", str(tmp_path / "nope.csv"))
    assert code == 1
    assert err.startswith(f"file '{tmp_path / 'nope.csv'}', input: does not exist")


def test_unwritable_output(tmp_path: Path) -> None:
    code, _, err = run("assess", str(study(tmp_path)), "-o", str(tmp_path / "no" / "out.csv"))
    assert code == 1
    assert "cannot be written" in err


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run()[0] == 2
    code, _, err = run("assess", str(study(tmp_path)), "--criteria", "recist2")
    assert code == 2
    assert "'recist2' is not a criteria set" in err
    assert run("assess", "x.csv", "--confirmation-days", "soon")[0] == 2
    assert run("assess", "x.csv", "--max-rows", "0")[0] == 2
    assert run("frobnicate")[0] == 2


def test_a_negative_ne_count_is_a_usage_error() -> None:
    code, _, err = run("assess", "study.csv", "--max-ne-between=-1")
    assert code == 2
    assert "'-1' is negative" in err


def test_excluded_without_keep_going_is_a_usage_error() -> None:
    code, _, err = run("assess", "study.csv", "--excluded", "left-out.csv")
    assert code == 2
    assert "--excluded needs --keep-going" in err


def test_help_has_examples() -> None:
    code, out, _ = run("--help")
    assert code == 0
    assert "python -m remission assess study.csv --criteria recist1.1 -o visits.csv" in out
    assert "exit status: 0 success, 1 errors in the input" in out
    code, out, _ = run("assess", "--help")
    assert "--keep-going" in out


def test_keep_going_classifies_the_rest_and_reconciles(tmp_path: Path) -> None:
    text = examples.csv_text("mixed-cohort").replace(
        "P02,week 6,42,T1,target,48", "P02,week 6,42,T1,target,4 8"
    )
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    excluded = tmp_path / "excluded.csv"
    code, out, err = run("assess", str(path), "--keep-going", "--excluded", str(excluded))
    assert code == 1  # the input had errors; the good patients are still written
    frame = pd.read_csv(io.StringIO(out))
    assert "P02" not in set(frame["patient"])
    assert set(frame["patient"]) == {"P01", "P03", "P04", "P05", "P06", "P07"}
    lines = err.splitlines()
    assert lines[0].startswith("row 12 (patient P02), size_mm: '4 8' is not a number")
    assert lines[-1] == (
        "remission: 40 rows read = 32 classified (6 patients) + 8 excluded (1 patient: P02) "
        "+ 0 without a patient id"
    )
    report = pd.read_csv(excluded)
    assert report["patient"].tolist() == ["P02"]


def test_fragments_of_a_split_lesion_are_counted_as_classified_rows(tmp_path: Path) -> None:
    path = tmp_path / "in.csv"
    path.write_text(
        "patient,visit,day,lesion,role,size_mm,fragment\n"
        "P1,baseline,0,T1,target,30,\n"
        "P1,week 8,56,T1,target,12,a\n"
        "P1,week 8,56,T1,target,9,b\n"
        "P2,baseline,0,T1,target,30,\n"
        "P2,week 8,56,T1,target,x,\n",
        encoding="utf-8",
    )
    code, out, err = run("assess", str(path), "--keep-going", "--criteria", "recist1.1")
    assert code == 1
    # 12 + 9 = 21 mm of 30: −30 % exactly, PR (RECIST 1.1 sections 4.3.1 and 4.3.2).
    assert pd.read_csv(io.StringIO(out))["response"].tolist()[1] == "PR"
    assert err.splitlines()[-1] == (
        "remission: 5 rows read = 3 classified (1 patient) + 2 excluded (1 patient: P2) "
        "+ 0 without a patient id"
    )


def test_without_keep_going_nothing_is_written(tmp_path: Path) -> None:
    text = examples.csv_text("mixed-cohort").replace(
        "P02,week 6,42,T1,target,48", "P02,week 6,42,T1,target,x"
    )
    path = tmp_path / "in.csv"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run("assess", str(path))
    assert (code, out) == (1, "")


def test_row_limit(tmp_path: Path) -> None:
    code, _, err = run("assess", str(study(tmp_path)), "--max-rows", "10")
    assert code == 1
    assert "has more than 10 rows" in err


def test_output_is_safe_to_open_in_a_spreadsheet(tmp_path: Path) -> None:
    text = examples.csv_text("who-products").replace("W01", "=HYPERLINK(1)")
    code, out, _ = run("assess", "-", stdin=text)
    assert code == 0
    assert "\n'=HYPERLINK(1)," in out


def test_cdisc_and_audit_commands(tmp_path: Path) -> None:
    tu, tr, rs = (str(DATA / f"sdtm_{d}.csv") for d in ("tu", "tr", "rs"))
    code, out, _ = run("cdisc", tu, tr)
    assert code == 0
    assert out.startswith("STUDYID,DOMAIN,USUBJID,RSSEQ,RSTESTCD")
    code, out, _ = run("cdisc", tu, tr, "--to", "adrs", "--format", "json")
    assert {r["PARAMCD"] for r in json.loads(out)} == {"OVR", "BOR", "CBOR"}
    code, out, _ = run("cdisc", tu, tr, "--to", "long")
    assert code == 0
    back = tmp_path / "long.csv"
    back.write_text(out, encoding="utf-8")
    assert run("assess", str(back), "--criteria", "recist1.1")[0] == 0
    code, out, err = run("audit", tu, tr, rs)
    assert code == 0
    assert pd.read_csv(io.StringIO(out))["VISIT"].tolist() == ["WEEK 6", "WEEK 18"]
    assert err == (
        "remission: 6 recorded overall responses checked under RECIST 1.1; 2 of 6 visits "
        "differ or are missing\n"
    )
    code, out, _ = run("audit", tu, tr, rs, "--all")
    assert len(pd.read_csv(io.StringIO(out))) == 6


def test_unexpected_errors_are_one_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def explode(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(cli, "classify_frame", explode)
    code, out, err = run("assess", str(study(tmp_path)))
    assert (code, out) == (1, "")
    assert err == (
        "remission: unexpected error (RuntimeError: boom); this is a bug, please report it "
        "with the command you ran\n"
    )


def test_subcommands_are_a_table() -> None:
    # Adding a subcommand (rcb, say) is one more Command in this tuple.
    assert [c.name for c in COMMANDS] == [
        "assess",
        "compare",
        "example",
        "cdisc",
        "audit",
        "rcb",
        "sr",
    ]


def test_real_process_round_trip() -> None:
    example = subprocess.run(
        [sys.executable, "-m", "remission", "example", "recist-worked"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert example.returncode == 0
    assessed = subprocess.run(
        [
            sys.executable,
            "-m",
            "remission",
            "assess",
            "-",
            "--criteria",
            "recist1.1",
            "--format",
            "json",
        ],
        cwd=ROOT,
        input=example.stdout,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (assessed.returncode, assessed.stderr) == (0, "")
    responses = [r["response"] for r in json.loads(assessed.stdout)]
    assert responses == [None, "PD", None, "NE", "PR"]


def test_real_process_errors_have_no_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "remission", "assess", "-"],
        cwd=ROOT,
        input="patient,visit\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "the column is missing" in done.stderr


class TestRcb:
    """`python -m remission rcb`: one case from options, or a CSV of cases."""

    def test_one_case(self) -> None:
        # d_prim = √200; f_inv = 0.27; 1.758 + 1.392 = 3.150: RCB-II.
        out, err = io.StringIO(), io.StringIO()
        code = main(
            [
                "rcb",
                "--d1",
                "20",
                "--d2",
                "10",
                "--cellularity",
                "30",
                "--in-situ",
                "10",
                "--nodes",
                "2",
                "--node-size",
                "4",
            ],
            stdout=out,
            stderr=err,
        )
        assert code == 0
        assert out.getvalue().startswith("RCB index 3.150 (RCB-II)")

    def test_missing_options_are_a_usage_error_naming_them_all(self) -> None:
        out, err = io.StringIO(), io.StringIO()
        assert main(["rcb", "--d1", "20"], stdout=out, stderr=err) == 2
        assert err.getvalue() == (
            "python -m remission rcb: error: one case needs --d2, --cellularity, --in-situ, "
            "--nodes (or give a CSV file of cases)\n"
        )

    def test_a_file_and_the_options_of_one_case_are_a_usage_error(self) -> None:
        code, _, err = run("rcb", "-", "--d1", "999", stdin="d1_mm\n20\n")
        assert code == 2
        assert "not both (--d1)" in err

    def test_one_case_as_csv_when_asked(self, tmp_path: Path) -> None:
        options = ["--d1", "20", "--d2", "10", "--cellularity", "30", "--in-situ", "10"]
        options += ["--nodes", "2", "--node-size", "4"]
        code, out, _ = run("rcb", *options, "--format", "csv")
        assert code == 0
        assert out.splitlines()[0] == "rcb_index,rcb_class,pcr,explanation"
        assert out.splitlines()[1].startswith("3.150203517016104,RCB-II,False,")
        assert run("rcb", *options, "-o", str(tmp_path / "one.csv"))[0] == 0
        assert (tmp_path / "one.csv").read_text(encoding="utf-8").startswith("rcb_index,")

    def test_numbers_read_from_cases_are_written_as_numbers(self) -> None:
        # "+20" and "-0" are numbers: spreadsheets must not see them as quoted text.
        cases = (
            "id,d1_mm,d2_mm,cellularity_pct,in_situ_pct,positive_nodes,largest_node_met_mm\n"
            "=1+1,+20,10,30,10,2,4\n"
            "x,-0,0,0,0,0,\n"
        )
        code, out, _ = run("rcb", "-", stdin=cases)
        assert code == 0
        rows = out.splitlines()
        assert rows[1].startswith("'=1+1,20,10,30,10,2,4.0,3.150203517016104,RCB-II,")
        assert rows[2].startswith("x,0,0,0,0,0,,0.0,RCB-0,True,")

    def test_csv_of_cases(self) -> None:
        cases = (
            "id,d1_mm,d2_mm,cellularity_pct,in_situ_pct,positive_nodes,largest_node_met_mm\n"
            "A,0,0,0,0,0,\n"
            "B,20,10,30,10,2,4\n"
        )
        out, err = io.StringIO(), io.StringIO()
        code = main(["rcb", "-"], stdin=io.StringIO(cases), stdout=out, stderr=err)
        assert code == 0, err.getvalue()
        rows = out.getvalue().splitlines()
        assert rows[1].startswith("A,0,0,0,0,0,,0.0,RCB-0,True")
        assert ",RCB-II,False," in rows[2]

    def test_bad_row_is_named(self) -> None:
        cases = (
            "d1_mm,d2_mm,cellularity_pct,in_situ_pct,positive_nodes,largest_node_met_mm\n"
            "20,10,130,0,0,\n"
        )
        out, err = io.StringIO(), io.StringIO()
        assert main(["rcb", "-"], stdin=io.StringIO(cases), stdout=out, stderr=err) == 1
        assert "cellularity_pct" in err.getvalue()


def test_cdisc_keep_going_reports_subjects_and_exits_1(tmp_path: Path) -> None:
    tr = (DATA / "sdtm_tr.csv").read_text(encoding="utf-8").splitlines()
    # 01-003's first record gets a lesion link TU does not have.
    first = next(i for i, line in enumerate(tr) if ",01-003," in line)
    tr[first] = tr[first].replace(",T01,", ",T99,", 1)
    broken = tmp_path / "tr.csv"
    broken.write_text("\n".join(tr) + "\n", encoding="utf-8")
    tu, rs = str(DATA / "sdtm_tu.csv"), str(DATA / "sdtm_rs.csv")
    code, out, err = run("cdisc", tu, str(broken))
    assert (code, out) == (1, "")
    assert "'T99' has no TU record for this subject" in err
    excluded = tmp_path / "excluded.csv"
    code, out, err = run("cdisc", tu, str(broken), "--keep-going", "--excluded", str(excluded))
    assert code == 1
    assert set(pd.read_csv(io.StringIO(out))["USUBJID"]) == {"01-001", "01-002"}
    assert err.splitlines()[-1] == (
        "remission: 2 subjects classified; 1 excluded (01-003; 4 TR rows)"
    )
    assert pd.read_csv(excluded)["patient"].tolist() == ["01-003"]
    code, out, err = run("audit", tu, str(broken), rs, "--keep-going", "--all")
    assert code == 1
    assert "01-003" not in set(pd.read_csv(io.StringIO(out))["USUBJID"])


def test_keep_going_classifies_a_node_back_after_a_cr_behind_an_excluded_patient() -> None:
    # Patient A is left out (negative size); B's node 20 → 8 mm (CR: < 10 mm) → 12 mm is
    # PD (back to 10 mm or more after a CR, RECIST 1.1), with the FAQ's advice to
    # re-assess a node grown by less than 5 mm. B must not be lost because A was.
    text = (
        "patient,visit,day,lesion,role,size_mm,node\n"
        "A,baseline,0,T1,target,-5,no\n"
        "B,baseline,0,N1,target,20,yes\n"
        "B,w8,56,N1,target,8,yes\n"
        "B,w16,112,N1,target,12,yes\n"
    )
    code, out, err = run("assess", "-", "--criteria", "recist1.1", "--keep-going", stdin=text)
    assert code == 1
    visits = pd.read_csv(io.StringIO(out))
    assert visits["response"].tolist()[1:] == ["CR", "PD"]
    assert "re-assess" in visits["warnings"].iloc[2]
    assert "unexpected error" not in err


@pytest.mark.parametrize(
    "text",
    [
        # Old Mac line ends (CR only).
        "patient,visit,day,lesion,role,size_mm\rP,baseline,0,T1,target,30\rP,w8,56,T1,target,20\r",
        # A header ending in ",," (two empty names) and a row longer than it.
        "patient,visit,day,lesion,role,size_mm,,\nP,baseline,0,T1,target,30,,,\nP,w8,56,T1,target,20,,\n",
    ],
    ids=["cr-line-ends", "empty-names-and-a-long-row"],
)
def test_odd_files_get_an_answer_or_a_problem_never_a_crash(text: str) -> None:
    code, out, err = run("assess", "-", "--criteria", "recist1.1", stdin=text)
    assert "unexpected error" not in err
    assert code in (0, 1)
    # Read, 30 → 20 mm is −33.3 %: PR under RECIST 1.1.
    assert code == 1 or pd.read_csv(io.StringIO(out))["response"].tolist()[1:] == ["PR"]


def test_an_id_holding_a_line_break_keeps_one_line_per_error() -> None:
    # Patient "B<newline>X" (a quoted CSV cell) has a bad size: one error line, and the
    # --keep-going summary names it on its own line too.
    text = 'patient,visit,day,lesion,role,size_mm\nA,bl,0,T1,target,50\n"B\nX",bl,0,T1,target,x\n'
    code, _, err = run("assess", "-", stdin=text)
    assert code == 1
    assert err.splitlines() == [
        "row 3 (patient B\\nX), size_mm: 'x' is not a number. Fix: type a number with a "
        "decimal point, e.g. 12.5 (no units, no commas)."
    ]
    code, _, err = run("assess", "-", "--keep-going", stdin=text)
    lines = err.splitlines()
    assert len(lines) == 2
    assert lines[1].endswith("+ 1 excluded (1 patient: B\\nX) + 0 without a patient id")


@pytest.mark.parametrize("which", [0, 1])
def test_cdisc_reads_one_dataset_from_standard_input(which: int) -> None:
    files = [str(DATA / "sdtm_tu.csv"), str(DATA / "sdtm_tr.csv")]
    expected = run("cdisc", *files)
    given = (DATA / ["sdtm_tu.csv", "sdtm_tr.csv"][which]).read_bytes()
    files[which] = "-"
    assert run("cdisc", *files, stdin=given) == expected


def test_audit_reads_rs_from_standard_input() -> None:
    files = [str(DATA / f"sdtm_{d}.csv") for d in ("tu", "tr", "rs")]
    expected = run("audit", *files)
    rs = (DATA / "sdtm_rs.csv").read_bytes()
    assert run("audit", *files[:2], "-", stdin=rs) == expected


def test_only_one_dataset_can_come_from_standard_input() -> None:
    code, _, err = run("cdisc", "-", "-")
    assert code == 2
    assert "only one of the datasets" in err


def test_every_unreadable_dataset_is_reported_at_once(tmp_path: Path) -> None:
    missing = [str(tmp_path / f"{d}.csv") for d in ("tu", "tr", "rs")]
    code, _, err = run("audit", *missing)
    assert code == 1
    assert [line.split(",")[0] for line in err.splitlines()] == [
        f"TU file {missing[0]!r}",
        f"TR file {missing[1]!r}",
        f"RS file {missing[2]!r}",
    ]
    code, _, err = run("cdisc", *missing[:2])
    assert len(err.splitlines()) == 2


def test_compare_measures_nodes_as_each_criteria_set_does() -> None:
    # Node N1: short axis 16 mm both times, other diameter 30 → 20 mm. RECIST 1.0 sums
    # the longest diameter (30 → 20: −33.3 %, PR); RECIST 1.1 the short axis (16 → 16:
    # SD); WHO the product (480 → 320 mm²: −33.3 %, SD); basic the longest (−33.3 %, SD).
    text = (
        "patient,visit,day,lesion,role,size_mm,perpendicular_mm,node\n"
        "P1,baseline,0,N1,target,16,30,yes\n"
        "P1,w8,56,N1,target,16,20,yes\n"
    )
    code, out, err = run("compare", "-", stdin=text)
    assert (code, err) == (0, "")
    frame = pd.read_csv(io.StringIO(out))
    follow_up = frame[frame["visit"] == "w8"].iloc[0]
    expected = {"basic": "SD", "who": "SD", "recist1.0": "PR", "recist1.1": "SD"}
    assert {name: follow_up[name] for name in expected} == expected


def test_rcb_cases_with_unicode_spaces_around_numbers() -> None:
    # rcb() reads " 20" with a no-break space as 20; so must the numbers written back.
    cases = (
        "id,d1_mm,d2_mm,cellularity_pct,in_situ_pct,positive_nodes,largest_node_met_mm\n"
        "A,\u00a020,10\u3000,30,10,2,4\n"
    )
    code, out, err = run("rcb", "-", stdin=cases)
    assert (code, err) == (0, "")
    assert out.splitlines()[1].startswith("A,20,10,30,10,2,4,3.150203517016104,RCB-II,")


def test_cdisc_notes_stay_one_line(tmp_path: Path) -> None:
    # A subject in TU only (no TR result) is noted; its id holds a line break and an
    # escape sequence, written as escapes.
    tu = (DATA / "sdtm_tu.csv").read_text(encoding="utf-8")
    first = tu.splitlines()[1].split(",")
    first[2] = '"99\nX\x1b[31m"'
    (tmp_path / "tu.csv").write_text(tu + ",".join(first) + "\n", encoding="utf-8")
    code, _, err = run("cdisc", str(tmp_path / "tu.csv"), str(DATA / "sdtm_tr.csv"))
    assert code == 0
    notes = [line for line in err.splitlines() if "99" in line]
    assert notes
    assert all(line.startswith("remission: note: ") for line in notes)
    assert "99\\nX\\x1b[31m" in notes[0]
