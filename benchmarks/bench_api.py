"""Python API speed (issue 14): a 1,000-node graph from a formula to its gradients, and
``import gradstudio``.

    python benchmarks/bench_api.py [--runs N] [--terms 250]

1. In process, the median of N runs (after one warm-up run) of
   ``Graph.from_formula(TEXT)`` + ``backward()`` + ``value(output)`` + ``grad`` of
   one input, where TEXT is ``J = x0*w0 + x1*w1 + … `` with 250 terms: 500 inputs,
   250 multiplies, 249 adds = 999 nodes. Also: reading the grad of all 500 inputs,
   the first run in a fresh process (imports included), and what the first picture
   or save adds (the auto-layout, done lazily then).
   Target: ≤ 10 ms for build + backward + value/grad. The median CPU time of this
   process is printed too: other jobs on a loaded machine inflate it far less.
   And ``from_micrograd`` + ``backward`` of a micrograd.nn MLP(3, [16, 16, 1])'s
   squared-error loss over 4 samples (3,250 Values), where micrograd is installed.
2. ``import gradstudio`` as a program sees it: the median wall time of N runs of
   ``python -c "import gradstudio"`` minus that of ``python -c "pass"``, plus the
   same for ``import gradstudio; gradstudio.Graph`` (networkx and numpy then load).
   Target: ≤ 150 ms without Qt.

Prints the load average with the figures (the machine may be shared).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def formula(terms: int) -> str:
    return "J = " + " + ".join(f"x{i}*w{i}" for i in range(terms))


def in_process(text: str, runs: int) -> dict[str, float]:
    import gradstudio as gs
    first_start = time.perf_counter()
    g = gs.Graph.from_formula(text).backward()
    g.value("J"), g.grad("x0")
    first = time.perf_counter() - first_start
    times, cpu, reads, layouts = [], [], [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        g = gs.Graph.from_formula(text)
        g.backward()
        g.value("J")
        g.grad("x0")
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        start = time.perf_counter()
        for node in g.inputs:
            g.grad(node)
        reads.append(time.perf_counter() - start)
    for _ in range(max(1, runs // 5)):
        g = gs.Graph.from_formula(text)
        start = time.perf_counter()
        g._placed()  # what the first svg()/png()/save() adds
        layouts.append(time.perf_counter() - start)
    return {"nodes": len(g.nodes), "inputs": len(g.inputs), "median": statistics.median(times),
            "min": min(times), "cpu": statistics.median(cpu), "reads": statistics.median(reads),
            "layout": statistics.median(layouts), "first_in_process": first}


def micrograd_mlp(runs: int) -> tuple[int, float] | None:
    try:
        from micrograd.nn import MLP
    except ImportError:
        return None
    import random

    import gradstudio as gs
    random.seed(1)
    net = MLP(3, [16, 16, 1])
    xs = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
    loss = sum((net(x) - y) ** 2 for x, y in zip(xs, [1.0, -1.0, -1.0, 1.0]))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        g = gs.from_micrograd(loss).backward()
        times.append(time.perf_counter() - start)
    return len(g.nodes), statistics.median(times)


def wall(code: str, runs: int) -> float:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def first_run(text: str) -> float:
    """Import + build + backward + read, in a fresh interpreter (its own clock)."""
    code = ("import time; t = time.perf_counter(); import gradstudio as gs; "
            f"g = gs.Graph.from_formula({text!r}).backward(); g.value('J'); g.grad('x0'); "
            "print(time.perf_counter() - t)")
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], check=True, env=env,
                         capture_output=True, text=True).stdout
    return float(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--terms", type=int, default=250)
    args = parser.parse_args()
    text = formula(args.terms)
    print(f"load average before: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    r = in_process(text, args.runs)
    print(f"from_formula + backward + value + grad, {r['nodes']} nodes "
          f"({args.terms} terms x*w): median {r['median'] * 1e3:.2f} ms, "
          f"min {r['min'] * 1e3:.2f} ms, CPU median {r['cpu'] * 1e3:.2f} ms "
          f"over {args.runs} runs (target <= 10 ms)")
    print(f"  grad of all {r['inputs']} inputs afterwards: median {r['reads'] * 1e3:.2f} ms")
    print(f"  first call in this process (imports of the core included): "
          f"{r['first_in_process'] * 1e3:.1f} ms")
    print(f"  the lazy auto-layout the first picture or save adds: "
          f"median {r['layout'] * 1e3:.1f} ms")
    print(f"  a fresh interpreter, import to first gradient: {first_run(text) * 1e3:.1f} ms")
    mlp = micrograd_mlp(max(3, args.runs // 3))
    if mlp is not None:
        print(f"from_micrograd + backward, micrograd.nn MLP(3, [16, 16, 1]) loss, {mlp[0]:,} "
              f"nodes: median {mlp[1] * 1e3:.1f} ms")
    base = wall("pass", args.runs)
    bare = wall("import gradstudio", args.runs)
    api = wall("import gradstudio; gradstudio.Graph", args.runs)
    print(f"import gradstudio: median {(bare - base) * 1e3:.1f} ms over python -c pass "
          f"({bare * 1e3:.1f} ms vs {base * 1e3:.1f} ms, {args.runs} runs; target <= 150 ms)")
    print(f"import gradstudio; gradstudio.Graph (networkx, numpy): median "
          f"{(api - base) * 1e3:.1f} ms over python -c pass")
    print(f"load average after: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
