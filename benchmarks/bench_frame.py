"""Benchmark: the batch API and the command line on a 1,006,048-row study, as ratios.

Builds a seeded synthetic study (50,000 patients × 5 visits × 4 lesions: three targets,
one of them a lymph node for some patients, and one non-target; some new lesions, lesions
not assessed and lesions too small to measure; sizes with one decimal), writes it once to
``.cache/bench/`` (reused by later runs) and prints in one run every measure of issue 13's
"Speed and memory" table, each as a ratio:

* the yardstick, ``pandas.read_csv`` of the file, timed three times between the other
  steps; every ratio divides by its fastest run, so a busy moment does not flatter a ratio;
* ``classify_frame(explain=False)`` / read_csv (``n/a`` while ``classify_frame`` has no
  ``explain`` option) and ``classify_frame()`` / read_csv;
* ``best_response_frame`` minus ``classify_frame``, in read_csv units;
* the command line end to end in a fresh process writing CSV
  (``python -m remission assess FILE -o OUT.csv``) / read_csv, and two of its parts
  in-process: ``read_table`` of the file and ``to_safe_csv`` of the visits;
* the same study with sizes given with 4 decimals vs in whole mm (same patients, same
  trends, only the sizes' precision differs): the ratio of ``classify_frame`` times;
* ``classify_series`` of one patient with 10 lesions × 6 visits: ms per call, the median
  of many calls;
* peak memory of ``classify_frame`` / the input frame's memory, in a fresh process:
  ``tracemalloc`` (what Python and NumPy allocate) and the resident-set growth (which also
  counts Arrow's buffers, invisible to ``tracemalloc``);
* ``import remission`` in fresh processes (``benchmarks/bench_import.py``), and whether
  it loaded pandas or Streamlit.

Each timed step also prints how many cores it kept busy (CPU time / wall time:
``time.process_time`` for this process, ``resource.getrusage`` for a child process);
pandas 3 reads CSV on two threads, so a ratio on a 2-core machine compares a step that
may use one core with a yardstick that uses two. A benchmark prints; it asserts nothing.

Usage::

    .venv/bin/python benchmarks/bench_frame.py                # 1,006,048 rows
    .venv/bin/python benchmarks/bench_frame.py --rows 100000  # a quick run
"""

from __future__ import annotations

import argparse
import gc
import inspect
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from remission import Lesion, Visit, classify_series  # noqa: E402
from remission.export import to_safe_csv  # noqa: E402
from remission.frame import best_response_frame, classify_frame  # noqa: E402
from remission.table import read_table  # noqa: E402

T = TypeVar("T")

VISIT_DAYS = (0, 42, 84, 126, 168)
ORGANS = np.asarray(["liver", "lung", "bone", "adrenal", "peritoneum", "skin"], dtype=object)
CACHE = ROOT / ".cache" / "bench"
SEED = 20261125


def study(rows: int, seed: int = SEED, decimals: int = 1) -> pd.DataFrame:
    """A synthetic long table of about ``rows`` rows (20 per patient, plus new lesions).

    ``decimals`` is the precision of the sizes (1 as most radiology reports; 0 for whole
    mm; 4 as imaging software exports); everything else is the same for any precision.
    """
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
    baseline = np.round(rng.uniform(10, 80, size=(patients, lesions)), decimals)
    is_node = (rng.random(patients) < 0.2)[pid] & (lesion == 2)
    baseline[:, 2] = np.where(
        is_node[:: visits * lesions][:patients], np.maximum(baseline[:, 2], 15), baseline[:, 2]
    )
    factor = trend[pid] ** (visit / (visits - 1)) * rng.normal(1, 0.05, size=n)
    size = np.round(baseline[pid, lesion] * np.maximum(factor, 0), decimals)
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


def study_file(rows: int) -> Path:
    """The study as CSV under ``.cache/bench`` (written once, then reused)."""
    path = CACHE / f"study-{rows}-{SEED}.csv"
    if not path.is_file():
        CACHE.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part")
        study(rows).to_csv(partial, index=False)
        partial.replace(path)
    return path


@dataclass(frozen=True)
class Step:
    """One timed step: wall seconds and the cores it kept busy on average."""

    seconds: float
    cores: float


def timed(label: str, function: Callable[[], T]) -> tuple[Step, T]:
    """Run ``function`` once; print and return its wall time and cores used."""
    gc.collect()
    cpu = time.process_time()
    start = time.perf_counter()
    result = function()
    seconds = time.perf_counter() - start
    step = Step(seconds, (time.process_time() - cpu) / seconds if seconds else 0.0)
    print(f"{label:<52} {seconds:9.3f} s   {step.cores:4.2f} cores")
    return step, result


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cli(path: Path, criteria: str, out: Path) -> Step:
    """The command line end to end, in a fresh process, writing CSV."""
    command = [sys.executable, "-m", "remission", "assess", str(path)]
    command += ["--criteria", criteria, "-o", str(out)]
    cpu = child_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - start
    step = Step(seconds, (child_cpu() - cpu) / seconds)
    label = "CLI assess end to end (fresh process, CSV out)"
    print(f"{label:<52} {seconds:9.3f} s   {step.cores:4.2f} cores")
    if done.returncode != 0:
        print(f"  CLI exit {done.returncode}: {done.stderr.strip()[:300]}")
    return step


def has_explain_option() -> bool:
    return "explain" in inspect.signature(classify_frame).parameters


def ten_by_six() -> list[Visit]:
    """One patient: 5 targets (one a lymph node) and 5 non-targets, over 6 visits."""
    sizes = (42.0, 31.5, 18.0, 25.0, 12.5)
    visits = []
    for index, factor in enumerate((1.0, 0.82, 0.66, 0.6, 0.58, 0.75)):
        targets: dict[str, float | Lesion] = {
            f"T{i + 1}": round(size * factor, 1) for i, size in enumerate(sizes)
        }
        targets["T3"] = Lesion(round(18.0 * factor, 1), node=True)
        visits.append(
            Visit(
                day=index * 42,
                targets=targets,
                non_target="present",
                non_target_sites=("bone", "lung", "liver", "pleura", "skin"),
            )
        )
    return visits


def series_ms(criteria: str, budget: float = 2.0) -> tuple[float, int]:
    """Median ms per ``classify_series`` call of the 10 × 6 patient, over ``budget`` s."""
    visits = ten_by_six()
    classify_series(visits, criteria=criteria)
    times: list[float] = []
    ended = time.perf_counter() + budget
    while time.perf_counter() < ended or len(times) < 20:
        start = time.perf_counter()
        classify_series(visits, criteria=criteria)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000, len(times)


_MEMORY = r"""
import gc, json, sys, tracemalloc
import pandas as pd
from remission.frame import classify_frame

def kb(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0

frame = pd.read_csv(sys.argv[1])
classify_frame(frame.head(2000), criteria=sys.argv[2])
gc.collect()
result = {"input": int(frame.memory_usage(deep=True).sum())}
try:  # Linux: reset the peak resident set size so that reading the CSV does not count
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    before = kb("VmRSS")
    classify_frame(frame, criteria=sys.argv[2])
    result["rss"] = kb("VmHWM") - before
except OSError:
    pass
gc.collect()
tracemalloc.start()
classify_frame(frame, criteria=sys.argv[2])
result["traced"] = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
print(json.dumps(result))
"""


def peak_memory(path: Path, criteria: str) -> dict[str, int]:
    """Input frame bytes and classify_frame's peak (traced, resident growth), fresh process."""
    done = subprocess.run(
        [sys.executable, "-c", _MEMORY, str(path), criteria],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    if done.returncode != 0:
        print(f"  memory run exit {done.returncode}: {done.stderr.strip()[-300:]}")
        return {}
    measured: dict[str, int] = json.loads(done.stdout)
    return measured


_IMPORT = (
    "import sys, time; t = time.perf_counter(); import remission; "
    "print(time.perf_counter() - t, 'pandas' in sys.modules, 'streamlit' in sys.modules)"
)


def import_time(runs: int = 7) -> tuple[float, bool]:
    """Median seconds of ``import remission`` in fresh processes; whether pandas/Streamlit."""
    times: list[float] = []
    heavy = False
    for _ in range(runs):
        words = subprocess.run(
            [sys.executable, "-c", _IMPORT], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.split()
        times.append(float(words[0]))
        heavy = heavy or "True" in words[1:]
    return statistics.median(times), heavy


@dataclass(frozen=True)
class Row:
    """One line of the final table."""

    measure: str
    value: float | None
    unit: str
    target: str
    met: bool | None
    note: str = ""


@dataclass
class Measured:
    """Every timed step of one run."""

    reads: list[Step]
    quiet: Step | None = None
    classified: Step = Step(0.0, 0.0)
    best: Step = Step(0.0, 0.0)
    command: Step = Step(0.0, 0.0)
    loaded: Step = Step(0.0, 0.0)
    written: Step = Step(0.0, 0.0)
    in_mm: Step = Step(0.0, 0.0)
    in_4: Step = Step(0.0, 0.0)
    precision_rows: int = 0

    @property
    def yardstick(self) -> float:
        """The fastest of the read_csv runs."""
        return min(step.seconds for step in self.reads)

    def ratio(self, step: Step) -> float:
        """A step in read_csv units."""
        return step.seconds / self.yardstick


def read_csv(path: Path, measured: Measured) -> pd.DataFrame:
    """One timed run of the yardstick."""
    label = f"pandas.read_csv (run {len(measured.reads) + 1} of 3)"
    step, frame = timed(label, lambda: pd.read_csv(path))
    measured.reads.append(step)
    return frame


def batch_and_cli(path: Path, criteria: str, measured: Measured) -> None:
    """The batch API on the frame read, the CLI, and read_csv between them."""
    # Warm up (imports, caches, the file in the page cache): no step pays for a first use.
    sample = pd.read_csv(path, nrows=2000)
    classify_frame(sample, criteria=criteria)
    best_response_frame(sample, criteria=criteria)
    pd.read_csv(path)
    frame = read_csv(path, measured)
    print(
        f"rows {len(frame):,}; input frame "
        f"{frame.memory_usage(deep=True).sum() / 1e6:.1f} MB in memory"
    )
    if has_explain_option():
        measured.quiet, _ = timed(
            "classify_frame(explain=False)",
            lambda: classify_frame(frame, criteria=criteria, explain=False),  # type: ignore[call-arg,unused-ignore]
        )
    else:
        print(f"{'classify_frame(explain=False)':<52} n/a (no explain option yet)")
    measured.classified, visits = timed(
        "classify_frame()", lambda: classify_frame(frame, criteria=criteria)
    )
    measured.best, _ = timed(
        "best_response_frame()", lambda: best_response_frame(frame, criteria=criteria)
    )
    follow_ups = int(visits["response"].notna().sum())
    print(f"visits {len(visits):,} ({follow_ups:,} follow-ups assessed)")
    read_csv(path, measured)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "visits.csv"
        measured.command = cli(path, criteria, out)
        print(f"  wrote {out.stat().st_size / 1e6:.1f} MB" if out.is_file() else "  no output")
    measured.loaded, _ = timed("  in-process part: read_table(file)", lambda: read_table(path))
    measured.written, _ = timed(
        "  in-process part: to_safe_csv(visits)", lambda: to_safe_csv(visits)
    )
    read_csv(path, measured)
    slowest = max(step.seconds for step in measured.reads)
    print(
        f"read_csv: fastest {measured.yardstick:.3f} s, slowest {slowest:.3f} s "
        "(ratios divide by the fastest)"
    )


def precision(rows: int, criteria: str, measured: Measured) -> None:
    """The same study with sizes in whole mm and with 4 decimals."""
    whole, fine = study(rows, decimals=0), study(rows, decimals=4)
    measured.precision_rows = len(whole)
    print(f"precision study: {len(whole):,} rows, sizes in whole mm and with 4 decimals")
    classify_frame(whole.head(2000), criteria=criteria)
    measured.in_mm, _ = timed(
        "  classify_frame, whole mm", lambda: classify_frame(whole, criteria=criteria)
    )
    measured.in_4, _ = timed(
        "  classify_frame, 4 decimals", lambda: classify_frame(fine, criteria=criteria)
    )


def report(rows: list[Row]) -> None:
    print()
    print(f"{'measure':<52} {'measured':>10}  {'target':<8} {'met':<4} notes")
    for row in rows:
        value = "n/a" if row.value is None else f"{row.value:.2f} {row.unit}"
        met = "—" if row.met is None else ("yes" if row.met else "NO")
        print(f"{row.measure:<52} {value:>10}  {row.target:<8} {met:<4} {row.note}")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="about this many rows")
    parser.add_argument("--criteria", default="recist1.1")
    parser.add_argument(
        "--precision-rows",
        type=int,
        default=100_000,
        help="rows of the 4-decimals vs whole-mm comparison (default 100,000)",
    )
    args = parser.parse_args()
    criteria = args.criteria

    path = study_file(args.rows)
    print(f"study: {path.name}, {path.stat().st_size / 1e6:.1f} MB CSV, criteria {criteria}")
    print(f"{'step':<52} {'wall':>9}     {'cores':>5}")
    measured = Measured(reads=[])
    batch_and_cli(path, criteria, measured)
    gc.collect()
    precision(min(args.precision_rows, args.rows), criteria, measured)
    gc.collect()
    per_call, calls = series_ms(criteria)
    print(f"{'classify_series, 10 lesions × 6 visits':<52} {per_call:9.3f} ms  ({calls:,} calls)")
    memory = peak_memory(path, criteria)
    if memory:
        print(
            f"{'peak memory of classify_frame':<52} {memory['traced'] / 1e6:9.1f} MB traced, "
            + (f"{memory['rss'] / 1e6:.1f} MB resident" if "rss" in memory else "resident n/a")
            + f" (input frame {memory['input'] / 1e6:.1f} MB)"
        )
    imported, heavy = import_time()
    print(
        f"{'import remission (median of 7 fresh processes)':<52} {imported * 1000:9.1f} ms"
        f"   pandas or Streamlit loaded: {'yes' if heavy else 'no'}"
    )
    m = measured
    quiet = None if m.quiet is None else m.ratio(m.quiet)
    extra_best = (m.best.seconds - m.classified.seconds) / m.yardstick
    decimals = m.in_4.seconds / m.in_mm.seconds
    traced = memory["traced"] / memory["input"] if memory else None
    resident = memory["rss"] / memory["input"] if "rss" in memory else None
    report(
        [
            Row(
                "classify_frame(explain=False) / read_csv",
                quiet,
                "×",
                "≤ 2.5",
                None if quiet is None else quiet <= 2.5,
                "n/a (no explain option yet)" if m.quiet is None else f"{m.quiet.cores:.2f} cores",
            ),
            Row(
                "classify_frame() / read_csv",
                m.ratio(m.classified),
                "×",
                "≤ 3.5",
                m.ratio(m.classified) <= 3.5,
                f"{m.classified.cores:.2f} cores",
            ),
            Row(
                "best_response_frame − classify_frame, in read_csv",
                extra_best,
                "×",
                "≤ 1",
                extra_best <= 1,
                f"{m.best.cores:.2f} cores",
            ),
            Row(
                "CLI assess end to end, CSV out / read_csv",
                m.ratio(m.command),
                "×",
                "≤ 12",
                m.ratio(m.command) <= 12,
                f"{m.command.cores:.2f} cores",
            ),
            Row(
                "  of which read_table(file) / read_csv",
                m.ratio(m.loaded),
                "×",
                "—",
                None,
                f"{m.loaded.cores:.2f} cores",
            ),
            Row(
                "  of which to_safe_csv(visits) / read_csv",
                m.ratio(m.written),
                "×",
                "—",
                None,
                f"{m.written.cores:.2f} cores",
            ),
            Row(
                "4 decimals / whole mm, classify_frame",
                decimals,
                "×",
                "≤ 1.25",
                decimals <= 1.25,
                f"{m.precision_rows:,} rows",
            ),
            Row(
                "classify_series, 10 lesions × 6 visits",
                per_call,
                "ms",
                "≤ 5",
                per_call <= 5,
                f"median of {calls:,}",
            ),
            Row(
                "peak memory / input frame (tracemalloc)",
                traced,
                "×",
                "≤ 3",
                None if traced is None else traced <= 3,
                "Python and NumPy allocations",
            ),
            Row(
                "peak resident growth / input frame",
                resident,
                "×",
                "—",
                None,
                "Arrow's buffers too",
            ),
            Row(
                "import remission",
                imported * 1000,
                "ms",
                "< 500",
                imported < 0.5 and not heavy,
                "pandas/Streamlit loaded" if heavy else "no pandas, no Streamlit",
            ),
        ]
    )
    print(
        f"(read_csv {m.yardstick:.3f} s, {m.reads[0].cores:.2f} cores; classify_frame "
        f"{m.classified.seconds:.2f} s; best_response_frame {m.best.seconds:.2f} s; "
        f"CLI {m.command.seconds:.2f} s)"
    )


if __name__ == "__main__":
    main()
