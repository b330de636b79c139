"""Worst cases the tests check by what happens, timed here: figures to read, not tests.

    python benchmarks/bench_worst_cases.py [--runs N]

The tests assert what these cases do (how many paths are made, how long the texts
measured are, which batches the idle slices take), never how long they take, so that
a slow machine cannot fail them. The times are here, each the median of N runs
(default 7), offscreen:

- Paths of a 60-layer lattice (2^60 paths from x, listing capped at 200):
  ``sum_over_paths`` (tests/test_teaching_core.py asserted < 1 s);
- a 10,000-character label on chain_rule: set, Backward, Fit View and a grab of the
  window (test_hostile_values.py asserted < 2 s), then five repaints of the canvas
  (asserted < 1 s);
- the idle slices of StaleItems when each node costs 4 ms to refresh (a node with
  many long wires): the longest slice, against SLICE_SECONDS (test_refresh_stale.py
  asserted SLICE_SECONDS + 30 ms).

Formula build times are benchmarks/bench_formula.py's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from graphgen import lattice  # noqa: E402


def lattice_paths(runs: int) -> list[float]:
    from gradstudio.core.paths import sum_over_paths
    times = []
    for _ in range(runs):
        model = lattice(60)
        model.plan()
        start = time.perf_counter()
        result = sum_over_paths(model, "x", cap=200)
        times.append(time.perf_counter() - start)
        assert result.count == 2 ** 60 and len(result.paths) == 200
    return times


def long_label(window, runs: int) -> tuple[list[float], list[float]]:
    from PySide6.QtWidgets import QApplication
    label = "Ω" + "x" * 9_998 + "!"
    shown, repaints = [], []
    for _ in range(runs):
        window.doc.undo_stack.setClean()
        window.open_example("chain_rule")
        QApplication.processEvents()
        start = time.perf_counter()
        window.doc.set_label("u", label)
        window.run_pass("backward")
        window.view.fit()
        window.grab()
        shown.append(time.perf_counter() - start)
        start = time.perf_counter()
        for _ in range(5):
            window.view.viewport().repaint()
        repaints.append(time.perf_counter() - start)
    return shown, repaints


def slow_slices(runs: int) -> list[float]:
    """The longest idle slice over 60 nodes that cost 4 ms each to refresh: from its
    first batch's start to its last batch's end (a ticker running at every turn of
    the event loop tells the slices apart: none runs within a slice)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
    from gradstudio.ui.canvas.large.stale import StaleItems
    longest = []
    for _ in range(runs):
        turns, slices = [0], {}
        ticker = QTimer()
        ticker.timeout.connect(lambda: turns.__setitem__(0, turns[0] + 1))
        ticker.start(0)

        def refresh(nodes, _edges):
            start = time.perf_counter()
            while time.perf_counter() < start + 0.004 * len(nodes):
                pass  # busy, as re-indexing long wires is
            first, _last = slices.get(turns[0], (start, None))
            slices[turns[0]] = (first, time.perf_counter())

        stale = StaleItems(refresh)
        stale.mark([f"n{i}" for i in range(60)], [])
        while stale:
            QCoreApplication.processEvents(QEventLoop.WaitForMoreEvents)
        ticker.stop()
        longest.append(max(end - start for start, end in slices.values()))
    return longest


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from bench_gui import benchmark_window, close_benchmark_window
    from gradstudio.ui.canvas.large.stale import StaleItems

    print(f"python {sys.version.split()[0]}, offscreen, {args.runs} runs per figure, "
          f"load average {os.getloadavg()[0]:.2f}")

    def line(name, times, was=None):
        med = statistics.median(times) * 1000
        print(f"{name:<52} {med:8.1f} ms median  (max {max(times) * 1000:.1f})"
              + (f"  [the test's old bound: {was}]" if was else ""), flush=True)

    line("Paths: 60-layer lattice, 200 of 2^60 listed", lattice_paths(args.runs), "< 1 s")
    app, window, settings = benchmark_window()
    shown, repaints = long_label(window, args.runs)
    line("10,000-character label: set, Backward, fit, grab", shown, "< 2 s")
    line("10,000-character label: five repaints", repaints, "< 1 s")
    close_benchmark_window(window, settings)
    line(f"Longest idle slice, 4 ms nodes (slice {StaleItems.SLICE_SECONDS * 1000:.0f} ms)",
         slow_slices(args.runs), f"< {(StaleItems.SLICE_SECONDS + 0.03) * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
