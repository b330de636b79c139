"""Formula build time: text -> laid-out graph, as `gradstudio new` and the Formula field do.

    python benchmarks/bench_formula.py [--runs N] [--sizes 100,250,300,500,1000]

For each size n, four shapes: a flat sum of one name repeated (``a+a+…+a``, one
input wired into every add: the layout's worst case), a flat sum of n distinct
names, a product of one name repeated, and n unary minus signs before a name.
Each line gives the median of N runs (default 7) of ``formula.build`` with the
layout, of the parse and graph alone (``layout=False``), and the median CPU time
of this process for the whole build (``time.process_time``, which other jobs on
the machine inflate far less than wall time).

Target (issue 12): ≤ 0.5 s for 1,000 terms, repeated one name or distinct names,
and time in proportion to the length.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SHAPES = {
    "sum, one name": lambda n: "J = " + "+".join(["a"] * n),
    "sum, distinct": lambda n: "J = " + "+".join(f"x{i}" for i in range(n)),
    "product, one name": lambda n: "J = " + "*".join(["a"] * n),
    "unary minus": lambda n: "J = " + "-" * n + "a",
}


def measure(text: str, runs: int) -> tuple[float, float, float]:
    from gradstudio.core.formula import build
    whole, alone, cpu = [], [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        build(text)
        whole.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        start = time.perf_counter()
        build(text, layout=False)
        alone.append(time.perf_counter() - start)
    return statistics.median(whole), statistics.median(alone), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--sizes", default="100,250,300,500,1000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"{'shape':<18} {'terms':>6} {'build (s)':>10} {'no layout':>10} {'cpu (s)':>8}")
    for shape, make in SHAPES.items():
        for n in sizes:
            whole, alone, cpu = measure(make(n), args.runs)
            print(f"{shape:<18} {n:>6} {whole:>10.3f} {alone:>10.4f} {cpu:>8.3f}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
