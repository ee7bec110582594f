"""How fast the app starts and reruns. A benchmark, not a test: it prints, never asserts.

One run prints:

1. seconds for a fresh Python process to run the app's first page once through AppTest,
   next to the same for a one-line Streamlit app (the floor every app pays: Python,
   Streamlit and its imports) and for a one-line app holding one ``st.data_editor``
   (which makes Streamlit import pandas); target: at most 2 x the one-line app. Measured
   with bytecode cached (as after any normal install) in a temporary
   ``PYTHONPYCACHEPREFIX``, and once as this environment runs Python
   (``PYTHONDONTWRITEBYTECODE=1``: only the bytecode that ``scripts/venv.sh`` compiled at
   install is read; anything else is recompiled in every new process);
2. seconds from ``streamlit run app.py`` to a healthy ``/_stcore/health``;
3. the server time of one rerun (the script's own execution, timed inside Streamlit's
   script thread) for a 10-lesion x 6-visit patient: with the form unchanged (for
   example after choosing which visit to show) and after submitting changed sizes;
   target: at most 50 ms.

Usage: ``.venv/bin/python benchmarks/bench_app.py [--repeat N]``
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from remission import case as cases  # noqa: E402

APP = ROOT / "app.py"
FLOOR_APP = 'import streamlit as st\nst.write("remission")\n'
EDITOR_APP = 'import streamlit as st\nst.data_editor([{"lesion": "T1", "size": "20"}])\n'

FIRST_RENDER = textwrap.dedent(
    """
    import sys, time
    start = time.perf_counter()
    from streamlit.testing.v1 import AppTest
    at = AppTest.from_file(sys.argv[1], default_timeout=120).run()
    assert not at.exception, at.exception
    print(time.perf_counter() - start)
    """
)


def python_env(pycache: Path | None) -> dict[str, str]:
    """The environment for child processes: bytecode cached in ``pycache``, or as given."""
    env = dict(os.environ)
    if pycache is not None:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(pycache)
    return env


def fresh_process_seconds(script: Path, env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds for a new interpreter to render ``script`` once, and the part in Python."""
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", FIRST_RENDER, str(script)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env=env,
    )
    wall = time.perf_counter() - started
    return wall, float(result.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seconds_to_healthy(env: dict[str, str]) -> float:
    """From ``streamlit run app.py`` to ``/_stcore/health`` answering ``ok``."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(APP),
            "--server.headless",
            "true",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError("streamlit exited before becoming healthy")
            try:
                url = f"http://127.0.0.1:{port}/_stcore/health"
                with urllib.request.urlopen(url, timeout=1) as response:
                    if response.status == 200:
                        return time.perf_counter() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.02)
            if time.perf_counter() - started > 120:
                raise RuntimeError("streamlit did not become healthy within 120 s")
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def rerun_milliseconds(repeat: int) -> tuple[list[float], list[float]]:
    """Server time of reruns for a 10-lesion x 6-visit patient (unchanged, then changed)."""
    timings: list[float] = []
    # The script runs in Streamlit's script thread; this wraps the call that executes it.
    namespace = vars(script_runner)
    original: Callable[..., Any] = namespace["exec_func_with_error_handling"]

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            timings.append((time.perf_counter() - started) * 1000)

    namespace["exec_func_with_error_handling"] = timed
    try:
        lesions = tuple(
            cases.LesionEntry(
                f"T{i + 1}",
                ("liver", "lung", "skin", "bone", "adrenal")[i % 5],
                False,
                "target",
                str(20 + 2 * i),
                tuple(str(20 + 2 * i - visit) for visit in range(1, 7)),
            )
            for i in range(10)
        )
        visits = tuple(cases.VisitEntry(f"Week {8 * (v + 1)}", 56 * (v + 1)) for v in range(6))
        patient = cases.Case(lesions, visits, "mm", "recist1.1")
        at = AppTest.from_file(str(APP), default_timeout=120)
        at.query_params["case"] = cases.encode(patient)
        at.run()
        assert not at.exception, "the benchmark patient must run cleanly"
        assert not at.error, "the benchmark patient must assess cleanly"
        for _ in range(3):  # warm up
            at.run()
        timings.clear()
        for _ in range(repeat):
            at.run()
        unchanged = list(timings)

        changed: list[float] = []
        for index in range(repeat):
            # Change one size, then submit: the rerun reads the form and assesses anew.
            at.session_state["assess_lesions"] = {
                "edited_rows": {0: {"visit_6": str(10 + index % 5)}},
                "added_rows": [],
                "deleted_rows": [],
            }
            (assess,) = [b for b in at.form_submit_button if b.label == "Assess"]
            assess.click()
            timings.clear()
            at.run()
            assert not at.exception
            assert not at.error
            changed.append(sum(timings))
        return unchanged, changed
    finally:
        namespace["exec_func_with_error_handling"] = original


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        floor_app = Path(folder) / "one_line_app.py"
        floor_app.write_text(FLOOR_APP, encoding="utf-8")
        editor_app = Path(folder) / "one_editor_app.py"
        editor_app.write_text(EDITOR_APP, encoding="utf-8")
        warm = python_env(Path(folder) / "pycache")
        scripts = {
            "one-line app (floor)": floor_app,
            "one data_editor app": editor_app,
            "remission app.py": APP,
        }
        for script in scripts.values():
            fresh_process_seconds(script, warm)  # compile once into the cache
        print(f"First render in a fresh process (AppTest, median of {args.repeat} runs):")
        print("  bytecode cached (a normal install):")
        floor = 0.0
        for label, script in scripts.items():
            runs = [fresh_process_seconds(script, warm) for _ in range(args.repeat)]
            wall = statistics.median(w for w, _ in runs)
            floor = floor or wall
            print(
                f"    {label:22} {wall:5.2f} s  = {wall / floor:4.2f} x the one-line app"
                f"  (in Python: {statistics.median(p for _, p in runs):.2f} s)"
            )
        cold = python_env(None)
        if cold.get("PYTHONDONTWRITEBYTECODE"):
            print(
                "  as this environment runs (PYTHONDONTWRITEBYTECODE=1, bytecode from the install):"
            )
            floor = 0.0
            for label, script in scripts.items():
                wall, _ = fresh_process_seconds(script, cold)
                floor = floor or wall
                print(f"    {label:22} {wall:5.2f} s  = {wall / floor:4.2f} x the one-line app")
        print("  target: remission app.py <= 2 x the one-line app")

        healthy = [seconds_to_healthy(warm) for _ in range(args.repeat)]
        print(
            "streamlit run app.py -> healthy /_stcore/health: "
            f"{statistics.median(healthy):.2f} s (median of {args.repeat})"
        )

    unchanged, changed = rerun_milliseconds(max(args.repeat, 10))
    print("Server time of one rerun, 10 lesions x 6 visits (median / min / max; target <= 50 ms):")
    for label, reruns in (("form unchanged", unchanged), ("after changed sizes", changed)):
        print(
            f"  {label:20} {statistics.median(reruns):6.1f} / {min(reruns):6.1f} / "
            f"{max(reruns):6.1f} ms"
        )


if __name__ == "__main__":
    main()
