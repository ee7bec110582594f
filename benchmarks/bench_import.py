"""How long `import remission` takes in a fresh process (target: under 0.5 s).

Run: .venv/bin/python benchmarks/bench_import.py
"""

import statistics
import subprocess
import sys

CODE = "import time; t = time.perf_counter(); import remission; print(time.perf_counter() - t)"


def main(runs: int = 7) -> None:
    times = [
        float(
            subprocess.run(
                [sys.executable, "-c", CODE], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(runs)
    ]
    print(
        f"import remission: median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms over {runs} fresh processes (target < 500 ms)"
    )


if __name__ == "__main__":
    main()
