"""Security (issue 7): hostile text stays text, downloads cannot run, links cannot hurt.

* Formula injection: every exported text cell that starts with ``=``, ``+``, ``-``, ``@``,
  tab or carriage return gets OWASP's leading ``'``; numeric columns stay numbers. Checked
  on :mod:`remission.export`, on the command line's output and on the app's downloads.
* HTML/script injection: a lesion, patient, organ or visit named
  ``<img src=x onerror=alert(1)>`` is shown as text on every page (AppTest); nothing is
  rendered with ``unsafe_allow_html`` and no code path can turn it on.
* Share links: tampered, truncated, oversized, wrong-schema and non-base64 links, and
  decompression and nesting bombs, give one clear error and a blank form, never a crash.
* No ``eval``, ``exec``, ``pickle`` or friends anywhere in the package or the app.
* Configuration: XSRF on, usage statistics off, loopback only, uploads capped, error
  details hidden; every dependency has lower and upper bounds; nothing typed by a user is
  cached across sessions.
"""

from __future__ import annotations

import ast
import base64
import contextlib
import csv
import io
import json
import re
import tomllib
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from packaging.requirements import Requirement
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from remission import case as cases
from remission.cli import main
from remission.export import FORMULA_TRIGGERS, neutralise, to_safe_csv

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
XSS = "<img src=x onerror=alert(1)>"
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
APP_CODE = [ROOT / "app.py", *sorted((ROOT / "app_pages").glob("*.py"))]
PACKAGE_CODE = sorted((ROOT / "remission").rglob("*.py"))


# --------------------------------------------------------------------------- helpers


def cells(csv_text: str) -> list[dict[str, str]]:
    """Rows of a CSV file as a spreadsheet would split them (every cell as text)."""
    return list(csv.DictReader(io.StringIO(csv_text, newline="")))


def formula_cells(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    """(column, cell) for every cell a spreadsheet would evaluate as a formula.

    A cell that starts with ``-`` or ``+`` and is a plain number is a number, not a
    formula; everything else starting with a trigger would run.
    """
    found = []
    for row in rows:
        for column, value in row.items():
            if not value or not value.startswith(TRIGGERS):
                continue
            try:
                float(value)
            except ValueError:
                found.append((column, value))
    return found


def start(**query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(query)
    return at.run()


def no_crash(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def edits(rows: dict[int, dict[str, Any]]) -> dict[str, Any]:
    return {"edited_rows": rows, "added_rows": [], "deleted_rows": []}


def assess(at: AppTest, lesions: dict[int, dict[str, Any]], visit: dict[str, Any]) -> AppTest:
    """Fill the Assess form (RECIST 1.1, mm) as a user would and press Assess."""
    at.radio(key="assess_unit").set_value("mm")
    at.radio(key="assess_criteria").set_value("recist1.1")
    at.session_state["assess_lesions"] = edits(lesions)
    at.session_state["assess_visits"] = edits({0: visit})
    (button,) = [b for b in at.form_submit_button if b.label == "Assess"]
    return button.click().run()


@contextlib.contextmanager
def downloads() -> Iterator[dict[str, bytes]]:
    """Record what every download button of the runs inside offers, by file name."""
    offered: dict[str, bytes] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def spy_add(self: MediaFileManager, data: bytes | str, *args: Any, **kwargs: Any) -> str:
        name = kwargs.get("file_name") or (args[2] if len(args) > 2 else None)
        if (name and kwargs.get("is_for_static_download", False)) or (len(args) > 3 and args[3]):
            offered[str(name)] = data.encode() if isinstance(data, str) else bytes(data)
        return add(self, data, *args, **kwargs)

    def spy_deferred(
        self: MediaFileManager, data: Callable[[], Any], *args: Any, **kwargs: Any
    ) -> str:
        name = kwargs.get("file_name") or (args[2] if len(args) > 2 else "deferred")
        content = data()
        offered[str(name)] = content.encode() if isinstance(content, str) else bytes(content)
        return add_deferred(self, lambda: content, *args, **kwargs)

    with (
        mock.patch.object(MediaFileManager, "add", spy_add),
        mock.patch.object(MediaFileManager, "add_deferred", spy_deferred),
    ):
        yield offered


def markdown_like(at: AppTest) -> list[Any]:
    """Every element whose text Streamlit renders as Markdown."""
    return [
        *at.markdown,
        *at.caption,
        *at.title,
        *at.header,
        *at.subheader,
        *at.error,
        *at.warning,
        *at.info,
        *at.success,
    ]


def assert_shown_as_text_only(at: AppTest) -> None:
    """No element renders HTML, and no Markdown element carries the payload unescaped."""
    no_crash(at)
    assert not at.get("html")
    for element in at.markdown:
        assert not element.proto.allow_html, element.value
    for element in markdown_like(at):
        assert XSS not in element.value, element.value
        # Any "<" a user typed reaches Markdown escaped as "\\<", so it cannot open a tag.
        assert re.search(r"(?<!\\)<", element.value) is None, element.value


# --------------------------------------------------------------------------- formula injection


@pytest.mark.parametrize("trigger", TRIGGERS, ids=["equals", "plus", "minus", "at", "tab", "cr"])
@pytest.mark.parametrize("dtype", ["str", "string"])
def test_export_neutralises_the_string_dtypes_results_use(trigger: str, dtype: str) -> None:
    # classify_frame's text columns are pandas' "str" dtype (test_export covers object and
    # categorical columns); the file as a spreadsheet splits it holds no formula.
    payload = f'{trigger}HYPERLINK("http://127.0.0.1/x","y")'
    frame = pd.DataFrame(
        {
            "patient": pd.Series([payload, "P2", None], dtype=dtype),
            "pct": [-30.0, 12.5, float("nan")],
            "day": [-14, 0, 56],
        }
    )
    rows = cells(to_safe_csv(frame))
    assert [r["patient"] for r in rows] == ["'" + payload, "P2", ""]
    assert [r["pct"] for r in rows] == ["-30.0", "12.5", ""]  # numbers, minus not escaped
    assert [r["day"] for r in rows] == ["-14", "0", "56"]
    assert formula_cells(rows) == []


@given(
    st.lists(
        st.text(st.sampled_from(list("=+-@\t\r\n,\"' a1é")), max_size=8),
        min_size=1,
        max_size=6,
    ),
    st.lists(st.floats(allow_nan=True, allow_infinity=False, width=64), min_size=6, max_size=6),
)
def test_no_written_text_cell_can_run(texts: list[str], numbers: list[float]) -> None:
    frame = pd.DataFrame({"text": texts, "number": numbers[: len(texts)]})
    rows = cells(to_safe_csv(frame))
    assert formula_cells(rows) == []
    # Each text cell is the original, or the original behind one quote.
    for row, original in zip(rows, texts, strict=True):
        expected = "'" + original if original.startswith(FORMULA_TRIGGERS) else original
        assert row["text"] == expected
    assert neutralise(frame)["number"].dtype == frame["number"].dtype


@pytest.mark.parametrize("value", ["x\r=cmd|' /C calc'!A0", "\r", "a\r\rb"])
def test_a_carriage_return_inside_a_cell_cannot_start_a_row(value: str) -> None:
    # A fuzz finding, fixed: written with "\n" line ends, such a cell was left unquoted
    # and a spreadsheet started a new row at the CR (with the formula after it).
    frame = pd.DataFrame({"visit": [value, "week 8"], "pct": [-30.0, 12.5]})
    rows = cells(to_safe_csv(frame))
    assert formula_cells(rows) == []
    assert len(rows) == 2  # one row per row of the frame: the cell did not split the row
    assert rows[0]["visit"] in (value, "'" + value)


def test_assess_downloads_are_neutralised_and_numbers_stay_numbers() -> None:
    # 52 + 31 = 83 mm → 20 + 11 = 31 mm: −62.65 % from baseline, a partial response.
    lesions = {
        0: {"name": "=1+1", "organ": "@SUM(A1)", "baseline": "52", "visit_1": "20"},
        1: {"name": "+cmd", "organ": "-2+3", "baseline": "31", "visit_1": "11"},
    }
    with downloads() as offered:
        at = assess(start(), lesions, {"day": 56, "label": "-week 8"})
    no_crash(at)
    rows = cells(offered["remission-result.csv"].decode("utf-8"))
    assert len(rows) == 1
    assert formula_cells(rows) == []
    (row,) = rows
    assert row["visit"].startswith("'-week 8")
    assert row["lesions"].startswith("'=1+1")
    assert float(row["pct_change_from_baseline"]) == pytest.approx(-62.6506, abs=1e-4)
    assert row["pct_change_from_baseline"].startswith("-62.65")  # a number, not text
    assert row["response"] == "PR"


STUDY = (
    "patient,visit,day,lesion,role,size_mm,organ\n"
    '"=HYPERLINK(""http://127.0.0.1/x"",""y"")",baseline,0,@T1,target,40,+liver\n'
    '"=HYPERLINK(""http://127.0.0.1/x"",""y"")",-week 8,56,@T1,target,20,+liver\n'
    "P2,baseline,0,T1,target,30,lung\n"
    "P2,week 8,56,T1,target,36,lung\n"
)
"""Two patients: 40 → 20 mm (−50 %, PR) and 30 → 36 mm (+20 %, +6 mm: PD), RECIST 1.1."""


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.switch_page("app_pages/study.py").run()
    no_crash(at)
    at.radio(key="study_source").set_value("Upload a CSV file").run()
    at.selectbox(key="study_criteria").set_value("recist1.1")
    at.file_uploader(key="study_upload").set_value((name, data, "text/csv"))
    return at.run()


def test_study_downloads_are_neutralised_and_numbers_stay_numbers() -> None:
    with downloads() as offered:
        at = upload(start(), "study.csv", STUDY.encode())
    no_crash(at)
    assert not at.error
    visits = cells(offered["remission-visits.csv"].decode("utf-8"))
    patients = cells(offered["remission-patients.csv"].decode("utf-8"))
    assert formula_cells(visits) == []
    assert formula_cells(patients) == []
    assert [r["patient"] for r in patients] == [
        '\'=HYPERLINK("http://127.0.0.1/x","y")',
        "P2",
    ]
    assert [r["best_response"] for r in patients] == ["PR", "PD"]
    assert [r["visit"] for r in visits] == ["baseline", "'-week 8", "baseline", "week 8"]
    assert [r["pct_change_baseline"] for r in visits] == ["", "-50.0", "", "20.0"]
    # The JSON download is for programs: exact values, no prefix.
    records = json.loads(offered["remission-visits.json"])
    assert records[1]["visit"] == "-week 8"
    assert records[1]["pct_change_baseline"] == -50.0


def test_cli_output_is_neutralised_and_numbers_stay_numbers(tmp_path: Path) -> None:
    # The same study through the command line, to a file and to standard output.
    source = tmp_path / "study.csv"
    source.write_text(STUDY, encoding="utf-8")
    target = tmp_path / "visits.csv"
    out, err = io.StringIO(), io.StringIO()
    argv = ["assess", str(source), "--criteria", "recist1.1"]
    assert main([*argv, "-o", str(target)], stdout=out, stderr=err) == 0, err.getvalue()
    assert main([*argv, "--best"], stdout=out, stderr=err) == 0, err.getvalue()
    visits = cells(target.read_text(encoding="utf-8"))
    patients = cells(out.getvalue())
    assert formula_cells(visits) == []
    assert formula_cells(patients) == []
    assert [r["visit"] for r in visits] == ["baseline", "'-week 8", "baseline", "week 8"]
    assert [r["pct_change_baseline"] for r in visits] == ["", "-50.0", "", "20.0"]
    assert patients[0]["patient"] == '\'=HYPERLINK("http://127.0.0.1/x","y")'
    assert [r["best_response"] for r in patients] == ["PR", "PD"]


def test_a_carriage_return_in_an_uploaded_label_cannot_smuggle_a_formula() -> None:
    study = (
        "patient,visit,day,lesion,role,size_mm\n"
        "P1,baseline,0,T1,target,40\n"
        '"P1","week 8\r=cmd|\' /C calc\'!A0",56,T1,target,20\n'
    )
    with downloads() as offered:
        at = upload(start(), "cr.csv", study.encode())
    no_crash(at)
    visits = cells(offered["remission-visits.csv"].decode("utf-8"))
    assert formula_cells(visits) == []
    assert len(visits) == 2


# --------------------------------------------------------------------------- HTML injection


def test_xss_names_on_the_assess_page_stay_text() -> None:
    lesions = {
        0: {"name": XSS, "organ": XSS, "baseline": "52", "visit_1": "20"},
        1: {"name": "T2", "organ": "lung", "baseline": "31", "visit_1": "11"},
    }
    at = assess(start(), lesions, {"day": 56, "label": XSS})
    assert_shown_as_text_only(at)
    assert any(m.value.startswith("## ") and "Partial response" in m.value for m in at.markdown)
    shown = "\n".join(t.value for t in at.text)
    assert XSS in shown  # the visit label and the lesion name, literally
    # A problem message quoting the names escapes them for Markdown.
    lesions[0]["visit_1"] = ""
    at = assess(start(), lesions, {"day": 56, "label": XSS})
    assert_shown_as_text_only(at)
    assert len(at.error) == 1
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\>" in at.error[0].value


def test_xss_names_in_a_share_link_stay_text() -> None:
    case = cases.Case(
        lesions=(cases.LesionEntry(XSS, XSS, baseline="40", sizes=("20",)),),
        visits=(cases.VisitEntry(label=XSS, day=56),),
        unit="mm",
        criteria="recist1.1",
    )
    at = start(case=cases.encode(case))
    assert_shown_as_text_only(at)
    assert not at.error
    assert any(XSS in t.value for t in at.text)


def test_xss_names_in_an_uploaded_study_stay_text() -> None:
    study = (
        "patient,visit,day,lesion,role,size_mm,organ\n"
        f"{XSS},baseline,0,{XSS},target,40,{XSS}\n"
        f"{XSS},{XSS} week 8,56,{XSS},target,20,{XSS}\n"
        f"P2,baseline,0,T1,target,30,lung\n"
        f"P2,week 8,56,T1,target,{XSS},lung\n"  # not a size: P2 is listed with the problem
    )
    at = upload(start(), f"{XSS}.csv", study.encode())
    assert_shown_as_text_only(at)
    assert at.warning  # one patient left out, its problems listed in a table
    frames = [d.value for d in at.dataframe]
    assert any(XSS in str(v) for f in frames for v in f.to_numpy().ravel())


def test_a_file_that_cannot_be_read_names_the_problem_as_text() -> None:
    at = upload(start(), "bad.csv", f"{XSS};visit;day\n1;2;3\n".encode())
    assert_shown_as_text_only(at)
    assert len(at.error) == 1
    assert "separated by" in at.error[0].value


def unsafe_html_calls(path: Path) -> list[str]:
    """Calls that could render raw HTML: st.html, components.html, unsafe_allow_html=…"""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = ast.unparse(node.func)
        if name.endswith(("st.html", "components.html", "components.v1.html", "iframe")):
            found.append(f"{path.name}:{node.lineno} {name}")
        for keyword in node.keywords:
            if keyword.arg in ("unsafe_allow_html", "allow_html") and not (
                isinstance(keyword.value, ast.Constant) and keyword.value.value is False
            ):
                found.append(f"{path.name}:{node.lineno} {keyword.arg}")
    return found


def test_no_code_path_renders_raw_html() -> None:
    assert APP_CODE, "the app's files were found"
    assert [hit for path in APP_CODE for hit in unsafe_html_calls(path)] == []


# --------------------------------------------------------------------------- share links


def token_of(payload: object) -> str:
    raw = json.dumps(payload).encode() if not isinstance(payload, bytes) else payload
    return base64.urlsafe_b64encode(zlib.compress(raw, 9)).decode().rstrip("=")


GOOD = cases.encode(
    cases.Case(
        lesions=(cases.LesionEntry("T1", "liver", baseline="40", sizes=("20",)),),
        visits=(cases.VisitEntry(day=56),),
        unit="mm",
        criteria="recist1.1",
    )
)
PAYLOAD = {
    "v": 1,
    "c": "recist1.1",
    "u": "mm",
    "L": [["T1", "liver", 0, "target", "40", ["20"]]],
    "V": [["", 56, "", 0]],
}

BAD_LINKS = {
    "tampered": GOOD[:20] + ("A" if GOOD[20] != "A" else "B") + GOOD[21:],
    "truncated": GOOD[: len(GOOD) // 2],
    "one character short": GOOD[:-1],
    "oversized": "A" * (cases.MAX_LINK_CHARS + 1),
    "non-base64 characters": "eJ+/=!$",
    "not base64 at all": "<script>alert(1)</script>",
    "non-ascii": "éé",
    "base64 of plain text": base64.urlsafe_b64encode(b"hello world").decode().rstrip("="),
    "wrong schema: a list": token_of([1, 2, 3]),
    "wrong schema: missing keys": token_of({"v": 1, "c": "recist1.1"}),
    "wrong schema: extra key": token_of({**PAYLOAD, "x": "__import__('os')"}),
    "wrong version": token_of({**PAYLOAD, "v": 2}),
    "wrong types": token_of({**PAYLOAD, "L": [["T1", "liver", "yes", "target", 40, ["20"]]]}),
    "unknown criteria": token_of({**PAYLOAD, "c": "__class__"}),
    "too many visits": token_of({**PAYLOAD, "V": [["", d, "", 0] for d in range(1, 200)]}),
    "huge day": token_of({**PAYLOAD, "V": [["", 10**100, "", 0]]}),
    "decompression bomb": token_of(b" " * 5_000_000),
    "nesting bomb": token_of(b"[" * 90_000 + b"]" * 90_000),
    "a pickle": token_of(b"\x80\x04\x95\x1c\x00\x00\x00\x00\x00\x00\x00\x8c\x02os\x94."),
}


@pytest.mark.parametrize("token", list(BAD_LINKS.values()), ids=list(BAD_LINKS))
def test_a_bad_share_link_gives_one_clear_error_and_a_blank_form(token: str) -> None:
    at = start(case=token)
    no_crash(at)
    assert len(at.error) == 1, [e.value for e in at.error]
    message = re.sub(r"\\(.)", r"\1", at.error[0].value)
    assert "could not be opened" in message
    assert "share link, case:" in message
    assert "Fix: ask for a new link" in message
    assert at.session_state["assess_base"] == cases.Case.blank()
    assert not [m for m in at.markdown if m.value.startswith("## ")]  # no result shown


def test_the_page_stays_usable_after_a_bad_link() -> None:
    # 40 → 20 mm is −50 %: a partial response under RECIST 1.1.
    at = start(case=BAD_LINKS["tampered"])
    at = assess(at, {0: {"name": "T1", "baseline": "40", "visit_1": "20"}}, {"day": 56})
    no_crash(at)
    assert any(m.value.startswith("## ") and "Partial response" in m.value for m in at.markdown)


# --------------------------------------------------------------------------- no code execution

FORBIDDEN_CALLS = {"eval", "exec", "execfile", "__import__"}
"""Builtins that run text as code (also when reached as ``builtins.eval``)."""
FORBIDDEN_MODULES = {
    "pickle",
    "cPickle",
    "_pickle",
    "dill",
    "cloudpickle",
    "marshal",
    "shelve",
    "joblib",
}
"""Modules that turn bytes into arbitrary objects."""
FORBIDDEN_METHODS = {"read_pickle", "to_pickle", "unsafe_load", "full_load"}
UNSAFE_YAML = {"load", "load_all"}


def code_execution(path: Path) -> list[str]:
    """Every import or call in ``path`` that could run code from data."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            found += [
                f"{where} import {a.name}"
                for a in node.names
                if a.name.split(".")[0] in FORBIDDEN_MODULES
            ]
        elif isinstance(node, ast.ImportFrom):
            if (node.module or "").split(".")[0] in FORBIDDEN_MODULES:
                found.append(f"{where} from {node.module}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = ast.unparse(func)
            if (isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS) or (
                isinstance(func, ast.Attribute)
                and (
                    func.attr in FORBIDDEN_METHODS
                    or (func.attr in FORBIDDEN_CALLS and ast.unparse(func.value) == "builtins")
                    or (func.attr in UNSAFE_YAML and ast.unparse(func.value) == "yaml")
                )
            ):
                found.append(f"{where} {name}()")
            for keyword in node.keywords:
                if keyword.arg in ("allow_pickle", "shell") and not (
                    isinstance(keyword.value, ast.Constant) and keyword.value.value is False
                ):
                    found.append(f"{where} {name}({keyword.arg}=...)")
    return found


def test_the_ast_check_finds_what_it_forbids(tmp_path: Path) -> None:
    # The checker itself must be able to fail: each line below is one finding.
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import pickle\nfrom marshal import loads\neval('1')\nexec('x=1')\n"
        "import pandas as pd\npd.read_pickle('f')\nyaml.load(s)\n"
        "import numpy as np\nnp.load('f', allow_pickle=True)\njson.loads('1')\n"
        "re.compile('x')\nexamples.load('y')\nbuiltins.exec('z')\n",
        encoding="utf-8",
    )
    with mock.patch(f"{__name__}.ROOT", tmp_path):
        assert len(code_execution(sample)) == 8


@pytest.mark.parametrize(
    "path", PACKAGE_CODE + APP_CODE, ids=[str(p.relative_to(ROOT)) for p in PACKAGE_CODE + APP_CODE]
)
def test_no_eval_exec_or_pickle(path: Path) -> None:
    assert code_execution(path) == []


# --------------------------------------------------------------------------- configuration


def test_streamlit_config_is_safe() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    server, browser, client = config["server"], config["browser"], config["client"]
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True  # turning CORS off would disable XSRF
    assert browser["gatherUsageStats"] is False
    assert server["address"] == "127.0.0.1"
    assert isinstance(server["maxUploadSize"], int)
    assert 1 <= server["maxUploadSize"] <= 200  # megabytes
    assert client["showErrorDetails"] in ("none", False)
    assert config.get("global", {}).get("developmentMode", False) is False


def test_the_upload_limit_is_stated_on_the_study_page() -> None:
    limit = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))[
        "server"
    ]["maxUploadSize"]
    at = start()
    at.switch_page("app_pages/study.py").run()
    at.radio(key="study_source").set_value("Upload a CSV file").run()
    no_crash(at)
    assert f"at most {limit} MB" in at.file_uploader(key="study_upload").label


REQUIREMENTS = sorted(ROOT.glob("requirements*.txt"))


@pytest.mark.parametrize("path", REQUIREMENTS, ids=[p.name for p in REQUIREMENTS])
def test_every_dependency_has_lower_and_upper_bounds(path: Path) -> None:
    found = 0
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line or line.startswith("-r"):
            continue
        requirement = Requirement(line)
        operators = {spec.operator for spec in requirement.specifier}
        assert operators & {">=", ">", "==", "~=", "==="}, f"{line}: no lower bound"
        assert operators & {"<", "<=", "==", "~=", "==="}, f"{line}: no upper bound"
        found += 1
    assert found, f"{path.name} lists no dependency"


def test_project_dependencies_have_lower_and_upper_bounds() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    lines = [
        *project["dependencies"],
        *(d for ds in project["optional-dependencies"].values() for d in ds),
    ]
    for line in lines:
        operators = {spec.operator for spec in Requirement(line).specifier}
        assert ">=" in operators, line
        assert "<" in operators, line


# --------------------------------------------------------------------------- caching

CACHES = ("cache_data", "cache_resource", "lru_cache", "cache", "memoize")
CACHED_ON_PURPOSE = {
    ("assess.py", "_example_choices"): "the bundled example patients (package data)",
    ("charts.py", "_sum_template"): "a chart spec per unit ('mm', 'mm²'), no data",
    ("charts.py", "_lesion_template"): "a chart spec per unit ('mm', 'mm²'), no data",
}
"""Every cached function in the app, and why it holds no user data. A new one fails the
test below until it is reviewed and added here."""


def cached_functions() -> dict[tuple[str, str], list[str]]:
    """(file, function) → parameter names, for every function the app caches."""
    found: dict[tuple[str, str], list[str]] = {}
    for path in APP_CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    target = decorator.func if isinstance(decorator, ast.Call) else decorator
                    if ast.unparse(target).split(".")[-1] in CACHES:
                        found[(path.name, node.name)] = [a.arg for a in node.args.args]
            elif isinstance(node, ast.Call):
                # st.cache_data(fn) called directly rather than used as a decorator.
                name = ast.unparse(node.func).split(".")[-1]
                if name in CACHES and node.args:
                    found[(path.name, ast.unparse(node.args[0]))] = ["?"]
    return found


def test_only_reviewed_functions_are_cached() -> None:
    assert set(cached_functions()) == set(CACHED_ON_PURPOSE)


def test_cached_functions_take_no_user_input() -> None:
    for (file, name), parameters in cached_functions().items():
        if name == "_example_choices":
            assert parameters == [], (file, name)
        else:
            assert parameters == ["unit"], (file, name)


def test_chart_templates_hold_no_user_data() -> None:
    # After a result with hostile names is drawn, the cached templates hold no data at
    # all: each run's rows are filled into a copy.
    from app_pages import charts

    lesions = {0: {"name": XSS, "organ": "liver", "baseline": "52", "visit_1": "20"}}
    at = assess(start(), lesions, {"day": 56, "label": "secret visit"})
    no_crash(at)
    for template in (charts._sum_template, charts._lesion_template):
        assert template.cache_info().currsize >= 1
        for unit in ("mm", "mm²", "cm"):
            spec = json.dumps(template(unit))
            assert XSS not in spec
            assert "secret visit" not in spec
            assert '"values"' not in spec
