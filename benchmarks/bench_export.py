"""`gradstudio export` of a generated big graph to PNG after Backward, end to end.

    python benchmarks/bench_export.py [--runs N] [--nodes N] [--against DIR ...]

The graph is ``graphgen.generate(N, seed=1, layout=True)`` (default 1,300 nodes:
1,303 nodes, 2,160 wires). Each run is the command as a user types it, a new
process from start to exit (imports, loading, building, painting, encoding):
``python -m gradstudio export g.json out.png --after backward``, timed from outside.
``--against DIR``: also time the checkout in DIR (a worktree of an older commit,
``git worktree add /tmp/old REV``), runs alternating with this one's so both see
the same machine; its bytecode is compiled first, as an installed copy's is.
Prints each checkout's median and range, the load average before and after, and
whether the checkouts' PNGs hold the same pixels (and bytes).

Target (issue 11): ≤ 3 s.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def export_once(checkout: Path, graph: Path, out: Path) -> float:
    env = dict(os.environ, PYTHONPATH=str(checkout))
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "gradstudio", "export", str(graph), str(out),
                    "--after", "backward"], cwd=checkout, env=env, check=True)
    return time.perf_counter() - started


def compared(png: bytes, other: bytes) -> str:
    """Whether two PNGs hold the same picture (their bytes may differ where the
    compressed rows are cut in other places)."""
    if png == other:
        return "the same PNG bytes"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QImage
    _app = QGuiApplication.instance() or QGuiApplication([])
    same = QImage.fromData(png) == QImage.fromData(other)
    return "the same pixels, other PNG bytes" if same else "a different picture"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nodes", type=int, default=1300)
    parser.add_argument("--against", action="append", default=[], metavar="DIR")
    args = parser.parse_args()
    from graphgen import generate

    checkouts = [HERE.parent] + [Path(d).resolve() for d in args.against]
    for checkout in checkouts:
        compileall.compile_dir(str(checkout / "gradstudio"), quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        graph = Path(tmp) / "g.json"
        graph.write_text(json.dumps(generate(args.nodes, seed=1, layout=True)))
        times: dict[Path, list[float]] = {c: [] for c in checkouts}
        outs = {c: Path(tmp) / f"out{i}.png" for i, c in enumerate(checkouts)}
        load_before = os.getloadavg()
        for _ in range(args.runs):
            for checkout in checkouts:
                times[checkout].append(export_once(checkout, graph, outs[checkout]))
        load_after = os.getloadavg()
        for checkout in checkouts:
            t = times[checkout]
            print(f"{checkout}: export PNG --after backward, {args.nodes} nodes: median "
                  f"{statistics.median(t):.2f} s (range {min(t):.2f}-{max(t):.2f}, "
                  f"{len(t)} runs)")
        first = outs[checkouts[0]].read_bytes()
        for checkout in checkouts[1:]:
            print(f"{checkout}: {compared(outs[checkout].read_bytes(), first)}")
        print(f"load average before {load_before[0]:.2f}, after {load_after[0]:.2f} "
              f"(1 minute), {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
