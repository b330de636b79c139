"""Speed and memory of the engine, printed as figures (not a test).

    python benchmarks/bench_engine.py [--runs N] [--nodes N] [--seed S]

1. End to end: ``gradstudio eval FILE --json > /dev/null`` against micrograd
   0.1.0 doing the same job in its own process (benchmarks/micrograd_eval.py),
   runs alternated, medians of wall time and peak RSS (ru_maxrss of the child,
   from os.wait4).
2. In process, on a graph already loaded: the first evaluate (which compiles
   the plan), then the steady-state forward + backward, for the big graph and
   for a 1,000-node graph from the same generator.

Targets (issue 2): end to end ≤ 0.5× micrograd's wall time and peak RSS ≤
micrograd's; in process ≤ 0.15 s (big graph) and ≤ 2 ms (1,000 nodes).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from graphgen import generate  # noqa: E402

OUT = HERE / "out"


def gradstudio_command() -> list[str]:
    """The installed console script itself (not a pyenv/shell shim in front of it)."""
    script = Path(sysconfig.get_path("scripts")) / "gradstudio"
    if script.exists():
        return [str(script)]
    found = shutil.which("gradstudio")
    return [found] if found else [sys.executable, "-m", "gradstudio"]


def run_child(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one child process, stdout to /dev/null."""
    with open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=devnull)
        _pid, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} exited with {proc.returncode}")
    return wall, usage.ru_maxrss / 1024  # Linux reports kilobytes


def write_graph(n_nodes: int, seed: int) -> tuple[Path, dict]:
    OUT.mkdir(exist_ok=True)
    doc = generate(n_nodes, seed, layout=True)
    path = OUT / f"random_{n_nodes}_{seed}.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path, doc


def median(xs):
    return statistics.median(xs)


def end_to_end(path: Path, runs: int) -> dict:
    ours_cmd = [*gradstudio_command(), "eval", str(path), "--json"]
    theirs_cmd = [sys.executable, str(HERE / "micrograd_eval.py"), str(path)]
    ours, theirs = [], []
    for i in range(runs):  # alternate, so drift hits both alike
        pair = [(ours, ours_cmd), (theirs, theirs_cmd)]
        if i % 2:
            pair.reverse()
        for sink, cmd in pair:
            sink.append(run_child(cmd))
            print(f"  run {i + 1}: {'gradstudio' if sink is ours else 'micrograd '} "
                  f"{sink[-1][0]:6.2f} s {sink[-1][1]:7.1f} MB", flush=True)
    return {
        "command": " ".join(ours_cmd) + " > /dev/null",
        "ours_wall": median(w for w, _ in ours), "ours_rss": median(r for _, r in ours),
        "theirs_wall": median(w for w, _ in theirs), "theirs_rss": median(r for _, r in theirs),
    }


def in_process(doc: dict, runs: int) -> dict:
    from gradstudio.core import evaluate, fileformat
    model = fileformat.from_dict(json.loads(json.dumps(doc)), "<bench>")
    start = time.perf_counter()
    evaluate(model)
    first = time.perf_counter() - start
    start = time.perf_counter()
    model._plan = None
    model.plan()
    compile_time = time.perf_counter() - start
    times = []
    for _ in range(max(runs, 5)):
        start = time.perf_counter()
        evaluate(model)
        times.append(time.perf_counter() - start)
    return {"first": first, "compile": compile_time, "pass": median(times), "best": min(times)}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--runs", type=int, default=5, help="runs of each measurement (default 5)")
    p.add_argument("--nodes", type=int, default=130_000, help="size of the big graph")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--skip-e2e", action="store_true", help="only the in-process figures")
    args = p.parse_args(argv)

    path, doc = write_graph(args.nodes, args.seed)
    print(f"graph: {path} ({len(doc['nodes']):,} nodes, {len(doc['edges']):,} edges, "
          f"{path.stat().st_size / 1e6:.1f} MB)")
    rows = []
    if not args.skip_e2e:
        print(f"end to end, {args.runs} runs each, alternated:")
        e2e = end_to_end(path, args.runs)
        print(f"  command: {e2e['command']}")
        rows += [
            ("end to end wall, gradstudio (median)", f"{e2e['ours_wall']:.2f} s"),
            ("end to end wall, micrograd 0.1.0 (median)", f"{e2e['theirs_wall']:.2f} s"),
            ("  ratio (target ≤ 0.5)", f"{e2e['ours_wall'] / e2e['theirs_wall']:.2f}"),
            ("peak RSS, gradstudio (median)", f"{e2e['ours_rss']:.0f} MB"),
            ("peak RSS, micrograd 0.1.0 (median)", f"{e2e['theirs_rss']:.0f} MB"),
            ("  ratio (target ≤ 1)", f"{e2e['ours_rss'] / e2e['theirs_rss']:.2f}"),
        ]
    big = in_process(doc, args.runs)
    small = in_process(generate(1000, args.seed, layout=True), max(args.runs, 50))
    n_big = len(doc["nodes"])
    rows += [
        (f"in process, {n_big:,} nodes: plan compile", f"{big['compile'] * 1e3:.0f} ms"),
        (f"in process, {n_big:,} nodes: first evaluate (compiles)", f"{big['first'] * 1e3:.0f} ms"),
        (f"in process, {n_big:,} nodes: forward+backward (median, target ≤ 150 ms)",
         f"{big['pass'] * 1e3:.0f} ms"),
        ("in process, 1,000 nodes: plan compile", f"{small['compile'] * 1e3:.2f} ms"),
        ("in process, 1,000 nodes: forward+backward (median, target ≤ 2 ms)",
         f"{small['pass'] * 1e3:.2f} ms"),
    ]
    width = max(len(k) for k, _ in rows)
    print()
    for k, v in rows:
        print(f"{k:<{width}}  {v}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
