"""Benchmark: classify a 1,000,000-row study in one go, and compare with the scalar loop.

Builds a seeded synthetic study (about 50,000 patients × 5 visits × 4 lesions: three
targets, one of them a lymph node for some patients, and one non-target; some new
lesions, lesions not assessed and lesions too small to measure), writes it to CSV, and
prints in one run:

* ``pandas.read_csv`` time of that file (the yardstick),
* ``classify_frame`` and ``best_response_frame`` times on the frame read,
* the command line end to end (``python -m remission assess FILE -o OUT``),
* peak memory of ``classify_frame`` (tracemalloc, in a separate run because tracing slows
  the code) and the process's peak resident memory,
* the per-visit time of looping ``classify_series`` over a sample of 2,000 visits,

and the three ratios against the targets of issue 4: ``classify_frame`` ≤ 1.5 ×
``read_csv``; batch ≥ 100 × faster per visit than the scalar loop; peak memory ≤ 3 × the
input frame's memory. A benchmark prints; it asserts nothing.

Usage::

    python benchmarks/bench_frame.py              # 1,000,000 rows
    python benchmarks/bench_frame.py --rows 20000 # a quick run
"""

from __future__ import annotations

import argparse
import gc
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from remission import Visit, classify_series  # noqa: E402
from remission.frame import best_response_frame, classify_frame  # noqa: E402
from remission.table import read_table, to_visits  # noqa: E402

VISIT_DAYS = (0, 42, 84, 126, 168)
ORGANS = np.asarray(["liver", "lung", "bone", "adrenal", "peritoneum", "skin"], dtype=object)


def study(rows: int, seed: int = 20261125) -> pd.DataFrame:
    """A synthetic long table of about ``rows`` rows (20 per patient, plus new lesions)."""
    rng = np.random.default_rng(seed)
    patients = max(rows // 20, 1)
    visits = len(VISIT_DAYS)
    lesions = 4
    pid = np.repeat(np.arange(patients), visits * lesions)
    visit = np.tile(np.repeat(np.arange(visits), lesions), patients)
    lesion = np.tile(np.arange(lesions), patients * visits)
    n = pid.size
    jitter = rng.integers(-3, 4, size=(patients, visits))
    jitter[:, 0] = 0
    day = (np.asarray(VISIT_DAYS)[visit] + jitter[pid, visit]).astype(np.int64)
    # Each patient has a trend (responders, stable, progressors) and noise per visit.
    trend = rng.choice([0.55, 0.8, 1.0, 1.25], size=patients, p=[0.3, 0.3, 0.25, 0.15])
    baseline = np.round(rng.uniform(10, 80, size=(patients, lesions)), 1)
    is_node = (rng.random(patients) < 0.2)[pid] & (lesion == 2)
    baseline[:, 2] = np.where(
        is_node[:: visits * lesions][:patients], np.maximum(baseline[:, 2], 15), baseline[:, 2]
    )
    factor = trend[pid] ** (visit / (visits - 1)) * rng.normal(1, 0.05, size=n)
    size = np.round(baseline[pid, lesion] * np.maximum(factor, 0), 1)
    size = np.where((visit > 0) & (rng.random(n) < 0.03) & ~is_node, 0.0, size)
    role = np.where(lesion == 3, "non-target", "target").astype(object)
    status = np.full(n, "", dtype=object)
    blank = (visit > 0) & (lesion < 3) & (rng.random(n) < 0.02)
    small = (visit > 0) & (lesion < 3) & ~blank & (rng.random(n) < 0.01) & ~is_node
    status[small] = "too-small"
    nt = lesion == 3
    status[nt] = rng.choice(
        ["present", "absent", "progression", "not-assessed"],
        size=int(nt.sum()),
        p=[0.86, 0.08, 0.03, 0.03],
    )
    status[nt & (visit == 0)] = "present"
    size_text = np.where(blank | small | nt, np.nan, size)
    frame = pd.DataFrame(
        {
            "patient": np.char.add("P", np.char.zfill(pid.astype(str), 6)),
            "visit": np.where(
                visit == 0, "baseline", np.char.add("week ", (visit * 6).astype(str))
            ),
            "day": day,
            "lesion": np.where(nt, "NT1", np.char.add("T", (lesion + 1).astype(str))),
            "role": role,
            "size_mm": size_text,
            "node": np.where(is_node, "yes", "no"),
            "organ": ORGANS[(pid * 7 + lesion) % ORGANS.size],
            "status": status,
        }
    )
    # New lesions at about 3 % of follow-up visits.
    follow = frame[(frame["lesion"] == "T1") & (frame["visit"] != "baseline")]
    picked = follow[rng.random(len(follow)) < 0.03].copy()
    picked["lesion"] = "N1"
    picked["role"] = "new"
    picked["size_mm"] = np.nan
    picked["node"] = "no"
    picked["organ"] = "brain"
    picked["status"] = "present"
    frame = pd.concat([frame, picked], ignore_index=True)
    return frame.sort_values(["patient", "day", "lesion"], kind="stable", ignore_index=True)


def timed(label: str, function: object) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    result = function()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:9.3f} s")
    return seconds, result


def scalar_per_visit(frame: pd.DataFrame, criteria: str, sample: int) -> tuple[float, int]:
    """Seconds per visit of looping classify_series over about ``sample`` visits."""
    table = read_table(frame)
    chosen: list[list[Visit]] = []
    count = 0
    for patient in table.patients:
        if count >= sample:
            break
        series_visits = to_visits(table, patient)
        chosen.append(series_visits)
        count += len(series_visits) - 1
    start = time.perf_counter()
    assessed = 0
    for series_visits in chosen:
        assessed += len(classify_series(series_visits, criteria=criteria).visits)
    return (time.perf_counter() - start) / max(assessed, 1), assessed


def peak_memory(frame: pd.DataFrame, criteria: str) -> int:
    """Peak bytes allocated while classify_frame runs (tracemalloc; numpy reports to it)."""
    gc.collect()
    tracemalloc.start()
    classify_frame(frame, criteria=criteria)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def cli_seconds(path: Path, criteria: str) -> float:
    """The command line end to end, in a fresh process, writing CSV."""
    out = path.with_name("visits.csv")
    command = [
        sys.executable,
        "-m",
        "remission",
        "assess",
        str(path),
        "--criteria",
        criteria,
        "-o",
        str(out),
    ]
    seconds, done = timed(
        "CLI end to end (python -m remission assess)",
        lambda: subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False),
    )
    assert isinstance(done, subprocess.CompletedProcess)
    if done.returncode != 0:
        print(f"  CLI exit {done.returncode}: {done.stderr.strip()[:300]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="about this many rows")
    parser.add_argument("--criteria", default="recist1.1")
    parser.add_argument("--sample", type=int, default=2_000, help="visits for the scalar loop")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "study.csv"
        study(args.rows).to_csv(path, index=False)
        print(f"study: {path.stat().st_size / 1e6:.1f} MB CSV, criteria {args.criteria}")
        t_read, frame = timed("pandas.read_csv", lambda: pd.read_csv(path))
        assert isinstance(frame, pd.DataFrame)
        input_bytes = int(frame.memory_usage(deep=True).sum())
        print(f"rows {len(frame):,}; input frame {input_bytes / 1e6:.1f} MB in memory")
        t_classify, visits = timed(
            "classify_frame", lambda: classify_frame(frame, criteria=args.criteria)
        )
        assert isinstance(visits, pd.DataFrame)
        t_best, _ = timed(
            "best_response_frame", lambda: best_response_frame(frame, criteria=args.criteria)
        )
        follow_ups = int(visits["response"].notna().sum())
        print(f"visits {len(visits):,} ({follow_ups:,} follow-ups assessed)")
        t_cli = cli_seconds(path, args.criteria)
        peak = peak_memory(frame, args.criteria)
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        print(f"{'peak memory of classify_frame (tracemalloc)':<44} {peak / 1e6:9.1f} MB")
        print(f"{'peak resident memory of this process':<44} {rss / 1e6:9.1f} MB")
        per_scalar, assessed = scalar_per_visit(frame, args.criteria, args.sample)
        per_batch = t_classify / max(follow_ups, 1)
        print(
            f"{'scalar classify_series per visit':<44} {per_scalar * 1e6:9.1f} µs ({assessed:,} visits)"
        )
        print(f"{'classify_frame per visit':<44} {per_batch * 1e6:9.3f} µs")

    print()
    print(f"{'targets (issue 4)':<44} {'measured':>9}   target   met")
    checks = (
        (
            "classify_frame / read_csv time",
            t_classify / t_read,
            "≤ 1.5",
            t_classify / t_read <= 1.5,
        ),
        (
            "scalar / batch time per visit",
            per_scalar / per_batch,
            "≥ 100",
            per_scalar / per_batch >= 100,
        ),
        ("peak memory / input frame memory", peak / input_bytes, "≤ 3", peak / input_bytes <= 3),
    )
    for label, value, target, met in checks:
        print(f"{label:<44} {value:9.2f}   {target:<6}   {'yes' if met else 'NO'}")
    print(f"(best_response_frame {t_best:.2f} s; CLI end to end {t_cli:.2f} s)")


if __name__ == "__main__":
    main()
