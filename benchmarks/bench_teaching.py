"""Teaching tools' speed in the window (offscreen), on a generated graph.

    python benchmarks/bench_teaching.py [--runs N] [--nodes N]

A graph from ``graphgen.generate(N, seed=1, layout=True)`` (default 1,000 nodes)
is opened in the main window, and each figure is the median of N runs (default
9) of one gesture, from the call to the end of the panel's repaint:

- Nudge (one input, h = 0.001): J(x + h), the slope, the analytic gradient;
- Check all: central differences for every input, the table filled;
- Paths panel for one input (counted exactly, listing capped at 200);
- with ``--forward-mode``: forward mode from one input, with every node and
  wire relabelled, the chips placed and the canvas repainted (no 50 ms target:
  it costs what Forward costs on the canvas).

The inputs cycle through the graph's inputs, so no run reuses another's cache
of reachability. These are figures to read, not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

TARGET_MS = 50.0


def teaching_figures(window, path: Path, runs: int, forward_mode: bool = False) -> dict:
    """Open ``path`` in ``window`` and time each gesture ``runs`` times: name -> seconds.

    Also returns, under "last paths", the paths panel's last result.
    """
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance()
    window.answer = None
    assert window.open_path(path, ask=False)
    app.processEvents()
    teaching = window.teaching
    inputs = window.doc.model.inputs()
    figures: dict = {}

    def timed(name, gesture, widget):
        times = []
        for k in range(runs):
            x = inputs[(k * 7) % len(inputs)]
            start = time.perf_counter()
            gesture(x)
            widget.repaint()
            times.append(time.perf_counter() - start)
            app.processEvents()
        figures[name] = times

    teaching.check_dock.show()
    teaching.check_dock.raise_()
    timed("Nudge", lambda x: teaching.check.run_nudge(x), teaching.check)
    timed("Check all", lambda x: teaching.check.run_check_all(), teaching.check)
    teaching.paths_dock.show()
    teaching.paths_dock.raise_()
    timed("Paths panel (cap 200)", lambda x: teaching.paths.show_input(x), teaching.paths)
    figures["last paths"] = teaching.paths.result
    if forward_mode:
        teaching.forward_dock.show()
        teaching.forward_dock.raise_()
        timed("Forward mode (canvas relabelled + repainted)",
              lambda x: teaching.forward_mode.start(x), window.view.viewport())
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--forward-mode", action="store_true",
                        help="also time forward mode on the canvas")
    args = parser.parse_args()

    from bench_gui import benchmark_window, close_benchmark_window
    from graphgen import generate

    app, window, settings = benchmark_window()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"random_{args.nodes}.json"
        path.write_text(json.dumps(generate(args.nodes, seed=1, layout=True)))
        figures = teaching_figures(window, path, args.runs, args.forward_mode)
        model = window.doc.model
        print(f"{len(model)} nodes, {len(model.edges())} edges, {len(model.inputs())} inputs; "
              f"python {sys.version.split()[0]}, offscreen, {args.runs} runs per figure")
        last = figures.pop("last paths")
        for name, times in figures.items():
            med = statistics.median(times) * 1000
            target = None if name.startswith("Forward mode") else TARGET_MS
            goal = "" if target is None else (
                f"  (target ≤ {target:.0f} ms: {'ok' if med <= target else 'OVER'})")
            print(f"{name:<44} {med:8.1f} ms median{goal}", flush=True)
        print(f"    last input: {last.count:,} paths, {len(last.paths)} listed")
    close_benchmark_window(window, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
