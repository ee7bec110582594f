"""The full fuzz: 10,000+ generated and mutated CSV files through the CLI and classify_frame.

Every file comes from ``tests/fuzzcorpus.py`` (seeded; rebuild any case with
``fuzzcorpus.make_case(seed, index)``) and covers every family of issue 7: random bytes,
truncated files and rows, huge numbers, ``NaN``/``inf``, negative sizes, decimal commas,
semicolons, BOM, UTF-16, Excel-style exports, 10,000-column lines, duplicated headers,
empty files, control characters, long fields, extreme exponents, bit flips, splices.

* The bulk: each file through ``classify_frame`` plus the Study page's reading path
  (``read_table(keep_going=True)`` → ``classify_frame`` → ``best_response_frame`` → safe
  CSV) and through ``remission.cli.main(["assess", ...])`` in-process, in worker processes
  (one per CPU) that are killed and restarted when a file runs over ``--timeout``; each
  worker's address space is capped (3 GB) and its peak resident memory reported.
* A sample through the real command line in a subprocess (``python -m remission
  assess FILE -o OUT``), bounded by ``--timeout`` too.
* Size cells typed into the Assess page's form (``remission.case.assess``).

Pass = every file gives a result or a clear refusal naming the problem: zero tracebacks,
zero catch-all "unexpected error" lines, zero hangs. The script prints the counts; it
asserts nothing (exit status 1 when anything failed, for CI).

Usage::

    .venv/bin/python benchmarks/fuzz_csv.py                    # 10,000 files + 1,000 cells
    .venv/bin/python benchmarks/fuzz_csv.py --files 500 --cells 100 --subprocess 20  # quick
"""

from __future__ import annotations

import argparse
import collections
import os
import queue
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fuzzcorpus import (  # noqa: E402
    KINDS,
    FuzzCase,
    Runner,
    Tally,
    cell_cases,
    corpus,
)

CRITERIA = ("basic", "who", "recist1.0", "recist1.1")


def run_bulk(cases: list[FuzzCase], target: str, workers: int, timeout: float) -> Tally:
    """Every case through ``target`` in ``workers`` worker processes; criteria in turn."""
    tally = Tally()
    lock = threading.Lock()
    todo: queue.Queue[FuzzCase] = queue.Queue()
    for case in cases:
        todo.put(case)
    done = [0]
    started = time.perf_counter()

    def work() -> None:
        with Runner(timeout=timeout) as runner:
            while True:
                try:
                    case = todo.get_nowait()
                except queue.Empty:
                    return
                result = runner.run(case, target, CRITERIA[case.index % len(CRITERIA)])
                with lock:
                    tally.add(case, target, result)
                    done[0] += 1
                    if done[0] % 500 == 0:
                        rate = done[0] / (time.perf_counter() - started)
                        print(f"  {target}: {done[0]:,}/{len(cases):,} ({rate:.1f}/s)", flush=True)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally


def run_subprocess(cases: list[FuzzCase], workers: int, timeout: float) -> Tally:
    """The real command line, one process per file."""
    tally = Tally()
    lock = threading.Lock()
    todo: queue.Queue[FuzzCase] = queue.Queue()
    for case in cases:
        todo.put(case)

    def one(case: FuzzCase, tmp: Path) -> dict[str, object]:
        source, target = tmp / f"{case.index}.csv", tmp / f"{case.index}.out.csv"
        source.write_bytes(case.data)
        began = time.perf_counter()
        try:
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "remission",
                    "assess",
                    str(source),
                    "-o",
                    str(target),
                    "--criteria",
                    CRITERIA[case.index % len(CRITERIA)],
                ],
                cwd=ROOT,
                capture_output=True,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return {"status": "hang", "detail": f"over {timeout} s", "seconds": timeout}
        err = done.stderr.decode("utf-8", "replace")
        if "Traceback (most recent call last)" in err:
            status, detail = "traceback", err[-2000:]
        elif "unexpected error" in err:
            status, detail = "internal", err[-2000:]
        elif done.returncode == 0:
            status, detail = "ok", ""
        elif done.returncode == 1 and err.strip():
            status, detail = "clear", ""
        else:
            status, detail = "crash", f"exit {done.returncode}: {err[-500:]}"
        return {"status": status, "detail": detail, "seconds": time.perf_counter() - began}

    def work(tmp: Path) -> None:
        while True:
            try:
                case = todo.get_nowait()
            except queue.Empty:
                return
            result = one(case, tmp)
            with lock:
                tally.add(case, "subprocess", result)

    with tempfile.TemporaryDirectory(prefix="remission-fuzz-cli-") as tmp:
        threads = [threading.Thread(target=work, args=(Path(tmp),)) for _ in range(workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return tally


def signature(detail: str) -> str:
    lines = [line for line in detail.strip().splitlines() if line.strip()]
    return lines[-1][:160] if lines else "(no detail)"


def report(name: str, tally: Tally, seconds: float) -> int:
    """Print one block of counts; return the number of failures."""
    c = tally.count
    failures = sum(c(s) for s in ("traceback", "internal", "warning", "hang", "crash", "memory"))
    print(f"\n{name}: {tally.tried:,} tried in {seconds:.0f} s")
    print(
        f"  ok {c('ok'):,} | clear errors {c('clear'):,} | tracebacks {c('traceback')} | "
        f"catch-all errors {c('internal')} | warnings {c('warning')} | hangs {c('hang')} | "
        f"crashes {c('crash')} | out of memory {c('memory')}"
    )
    for path, counts in sorted(tally.paths.items()):
        ranked = sorted(counts.items(), key=lambda kv: -kv[1])
        print(f"  {path:>5}: " + ", ".join(f"{k} {v:,}" for k, v in ranked))
    peak = tally.peak_rss_kb or resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"  slowest case {tally.slowest:.2f} s; peak RSS of a worker {peak / 1024:.0f} MB")
    groups: dict[tuple[str, str], list[FuzzCase]] = collections.defaultdict(list)
    for case, _target, status, detail in tally.failures:
        groups[(status, signature(detail))].append(case)
    for (status, sig), found in sorted(groups.items(), key=lambda kv: -len(kv[1])):
        kinds = collections.Counter(case.kind for case in found)
        example = found[0]
        print(
            f"  {len(found):5,} {status:9} {sig}\n"
            f"        families {dict(kinds.most_common(4))}; e.g. index {example.index} ({example.kind})"
        )
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--files", type=int, default=10_000, help="generated files (default 10,000)"
    )
    parser.add_argument("--cells", type=int, default=1_000, help="form cells (default 1,000)")
    parser.add_argument("--subprocess", type=int, default=100, help="files run as real processes")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before a file is a hang"
    )
    parser.add_argument(
        "--cell-timeout", type=float, default=5.0, help="seconds before a form cell is a hang"
    )
    args = parser.parse_args()

    print(
        f"remission fuzz: seed {args.seed}, {args.files:,} files ({len(KINDS)} families), "
        f"{args.cells:,} form cells, {args.subprocess} subprocess runs, {args.workers} workers, "
        f"{args.timeout:g} s per file, {args.cell_timeout:g} s per cell",
        flush=True,
    )
    files = list(corpus(args.files, args.seed))
    sizes = sorted(len(case.data) for case in files)
    print(
        f"corpus: {len(files):,} files, {sum(sizes) / 1e6:.1f} MB, largest {sizes[-1] / 1e6:.2f} MB, "
        f"median {sizes[len(sizes) // 2]:,} bytes",
        flush=True,
    )
    failures = 0

    began = time.perf_counter()
    bulk = run_bulk(files, "both", args.workers, args.timeout)
    failures += report(
        "classify_frame + app reading path + CLI in-process (worst outcome per file)",
        bulk,
        time.perf_counter() - began,
    )

    if args.subprocess:
        step = max(1, len(files) // args.subprocess)
        sample = files[::step][: args.subprocess]
        began = time.perf_counter()
        failures += report(
            "python -m remission assess (subprocess)",
            run_subprocess(sample, args.workers, max(args.timeout, 60.0)),
            time.perf_counter() - began,
        )

    if args.cells:
        began = time.perf_counter()
        failures += report(
            "Assess form size cells (remission.case.assess)",
            run_bulk(
                list(cell_cases(args.cells, args.seed)), "cell", args.workers, args.cell_timeout
            ),
            time.perf_counter() - began,
        )

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nthis process: peak RSS {own:.0f} MB (the corpus is held in memory)")
    print(f"failures in total: {failures}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
