"""Session isolation under load (issue 7): 20 real browser sessions on one app server.

One ``streamlit run app.py`` on loopback; one Chromium with 20 isolated contexts typing
20 different patients into the Assess page at the same time (tests/browserkit.py). Every
session must see its own category, percentage and lesion name, and never another
session's lesion name; the server must write nothing to disk (its working directory,
``HOME`` and ``TMPDIR`` are scratch folders checked before and after) and must not log
what users typed. The time from pressing Assess to the result is printed (p50/p95);
the full form with more sessions is ``benchmarks/load_sessions.py``.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from browserkit import (
    CHROMIUM,
    ROOT,
    Outcome,
    Server,
    files_containing,
    patient,
    percentile,
    run_sessions,
)

SESSIONS = 20
DEADLINE = 360.0
"""Seconds for all sessions together: a bound against hangs, not a speed target. On a
calm 2-CPU machine the 20 sessions take 100-140 s, nearly all of it Chromium drawing 20
pages (the server spends about 1 s of CPU per session); more cores, less time."""


def run(url: str) -> list[Outcome]:
    patients = [patient(i) for i in range(SESSIONS)]
    # The four categories; apart from the CRs (−100 %), every percentage differs.
    assert {p.category for p in patients} == {
        "Partial response",
        "Stable disease",
        "Progressive disease",
        "Complete response",
    }
    partial = [p.change_text for p in patients if p.category != "Complete response"]
    assert len(set(partial)) == len(partial) == SESSIONS * 3 // 4

    async def bounded() -> list[Outcome]:
        return await asyncio.wait_for(
            run_sessions(url, patients, timeout_ms=120_000), timeout=DEADLINE
        )

    return asyncio.run(bounded())


@pytest.mark.browser
def test_concurrent_sessions_see_only_their_own_patient(tmp_path: Path) -> None:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)")
    started = time.time()
    with Server(tmp_path) as server:
        outcomes = run(server.url)
        written = server.written()
        log = server.log()
    names = [o.patient.lesion for o in outcomes]

    leaks = [(o.patient.lesion, o.others_seen) for o in outcomes if o.others_seen]
    wrong = [
        (o.patient.lesion, o.patient.category, o.patient.change_text, o.heading, o.change, o.error)
        for o in outcomes
        if not o.correct
    ]
    times = sorted(o.seconds_to_result for o in outcomes if o.correct)
    print(
        f"\n{SESSIONS} concurrent sessions: {len(times)} correct, {len(wrong)} wrong or failed, "
        f"{len(leaks)} saw another's data; time to result p50 {percentile(times, 50):.2f} s, "
        f"p95 {percentile(times, 95):.2f} s, max {max(times, default=float('nan')):.2f} s"
    )
    assert leaks == []
    assert wrong == []
    assert all(o.dialogs == [] for o in outcomes)
    # Nothing written by the server: not in its folders, not in its log, not in the repo.
    assert written == []
    assert [name for name in names if name in log] == []
    assert files_containing(ROOT, names, since=started) == []
