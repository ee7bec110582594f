"""Load and session isolation: N concurrent real browser sessions against one app server.

Starts ``streamlit run app.py`` on a free loopback port (scratch working directory,
``HOME`` and ``TMPDIR``), then drives N Playwright contexts in one headless Chromium, each
typing a different patient into the Assess page and pressing Assess (see
``tests/browserkit.py``). Prints: sessions correct / wrong / failed, sessions that saw
another session's lesion name (leaks), time from pressing Assess to the result (p50, p95,
max), whole-session time, files the server wrote, and whether what users typed reached
the server's log. Everything stays on 127.0.0.1. A benchmark prints; it asserts nothing
(exit status 1 on any leak, wrong result or write).

Usage::

    .venv/bin/python benchmarks/load_sessions.py --sessions 50
    .venv/bin/python benchmarks/load_sessions.py --sessions 20 --waves 3
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from browserkit import (  # noqa: E402
    CHROMIUM,
    Outcome,
    Server,
    files_containing,
    patient,
    percentile,
    run_sessions,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=50, help="concurrent sessions per wave")
    parser.add_argument("--waves", type=int, default=1, help="waves, one after the other")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds for a wave")
    parser.add_argument(
        "--step-timeout", type=float, default=300.0, help="seconds for one step of a session"
    )
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium")
        return 2

    outcomes: list[Outcome] = []
    started = time.time()
    with tempfile.TemporaryDirectory(prefix="remission-load-") as scratch:
        with Server(Path(scratch)) as server:
            for wave in range(args.waves):
                patients = [patient(wave * args.sessions + i) for i in range(args.sessions)]
                began = time.perf_counter()

                async def bounded(batch: list = patients) -> list[Outcome]:  # type: ignore[type-arg]
                    return await asyncio.wait_for(
                        run_sessions(server.url, batch, timeout_ms=int(args.step_timeout * 1000)),
                        timeout=args.timeout,
                    )

                found = asyncio.run(bounded())
                outcomes += found
                print(
                    f"wave {wave + 1}: {args.sessions} sessions in {time.perf_counter() - began:.1f} s",
                    flush=True,
                )
            written = server.written()
            log = server.log()
        names = [o.patient.lesion for o in outcomes]
        in_repo = files_containing(ROOT, names, since=started)

    correct = [o for o in outcomes if o.correct]
    failed = [o for o in outcomes if o.error]
    wrong = [o for o in outcomes if not o.correct and not o.error]
    leaks = [o for o in outcomes if o.others_seen]
    to_result = sorted(o.seconds_to_result for o in correct)
    total = sorted(o.seconds_total for o in outcomes)
    logged = [name for name in names if name in log]

    print(f"\nsessions: {len(outcomes)} ({args.waves} wave(s) of {args.sessions} concurrent)")
    print(f"  correct {len(correct)} | wrong result {len(wrong)} | failed {len(failed)}")
    print(f"  leaks (a session saw another's lesion name): {len(leaks)}")
    print(
        f"  time from Assess to result: p50 {percentile(to_result, 50):.2f} s, "
        f"p95 {percentile(to_result, 95):.2f} s, max {max(to_result, default=float('nan')):.2f} s"
    )
    print(
        f"  whole session (load, type, assess): p50 {percentile(total, 50):.1f} s, "
        f"p95 {percentile(total, 95):.1f} s"
    )
    loading = sorted(o.seconds_to_form for o in outcomes if o.seconds_to_form)
    typing = sorted(o.seconds_typing for o in outcomes if o.seconds_typing)
    print(
        f"  page load to a ready form: p50 {percentile(loading, 50):.1f} s; typing the "
        f"patient: p50 {percentile(typing, 50):.1f} s"
    )
    print(f"  files written by the server: {len(written)}; typed names in its log: {len(logged)}")
    print(f"  repository files holding a typed name: {len(in_repo)}")
    for o in failed[:5]:
        print(f"  failed: {o.patient.lesion}: {o.error}")
    for o in wrong[:5]:
        print(
            f"  wrong: {o.patient.lesion}: expected {o.patient.category} {o.patient.change_text}, saw {o.heading!r} {o.change!r}"
        )
    for o in leaks[:5]:
        print(f"  leak: {o.patient.lesion} saw {o.others_seen}")
    bad = wrong or failed or leaks or written or logged or in_repo
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
