"""How long `import remission` takes in a fresh process (target: under 0.5 s, no pandas).

Also says whether the import loaded pandas or Streamlit: the core must load neither.

Run: .venv/bin/python benchmarks/bench_import.py
"""

import statistics
import subprocess
import sys

CODE = (
    "import sys, time; t = time.perf_counter(); import remission; "
    "print(time.perf_counter() - t, 'pandas' in sys.modules, 'streamlit' in sys.modules)"
)


def main(runs: int = 7) -> None:
    times: list[float] = []
    loaded: set[str] = set()
    for _ in range(runs):
        seconds, pandas, streamlit = subprocess.run(
            [sys.executable, "-c", CODE], capture_output=True, text=True, check=True
        ).stdout.split()
        times.append(float(seconds))
        loaded |= {
            name for name, flag in (("pandas", pandas), ("streamlit", streamlit)) if flag == "True"
        }
    print(
        f"import remission: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms over {runs} fresh processes (target < 500 ms); "
        f"loaded {', '.join(sorted(loaded)) or 'neither pandas nor Streamlit'}"
    )


if __name__ == "__main__":
    main()
