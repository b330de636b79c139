"""Quiz mode speed (offscreen): what a quiz adds to a big graph in the window.

    python benchmarks/bench_quiz.py [--runs N] [--nodes N]

A graph from ``graphgen.generate(N, seed=1, layout=True)`` (default 1,000 nodes) is
opened in the main window. Timed, each to the end of the event loop's repaint
(median of N runs, default 5):

- Backward without a quiz, and with one hiding every value, local derivative and
  gradient (each number's text asks the quiz), every text written (past 600 wires
  the window writes those out of sight while idle: here at once);
- Reveal Next (Ctrl+R) near the start and near the end of the backward numbers
  (it walks the passes' order to the next ``?``);
- a click's reveal once its double-click time is over (the number's node or wire
  redrawn, its chips placed again).

Prints the load average before and after: the machine may be shared.
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

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def figures(window, path: Path, runs: int) -> dict[str, list[float]]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from gradstudio.core import quiz as quizzes

    out: dict[str, list[float]] = {k: [] for k in ("plain", "quiz", "next_first",
                                                   "next_late", "reveal")}

    def timed(name: str, action) -> None:
        QApplication.processEvents()
        start = time.perf_counter()
        action()
        QApplication.processEvents()
        out[name].append(time.perf_counter() - start)

    def backward() -> None:  # and every text written (a big graph writes lazily)
        window.act_backward.trigger()
        window.scene.flush_annotations()

    for _ in range(runs):
        window.doc.open(path)
        timed("plain", backward)
        window.quiz_mode.set_quiz(quizzes.KINDS)
        window.doc.clear_annotations()
        timed("quiz", backward)
        window.view.setFocus()
        timed("next_first", lambda: QTest.keyClick(window.view, Qt.Key_R, Qt.ControlModifier))
        order = quizzes.answer_order(window.doc.evaluation, "backward")
        window.doc.quiz.reveal_all(order[:-3])  # near the end: the walk is long
        timed("next_late", lambda: QTest.keyClick(window.view, Qt.Key_R, Qt.ControlModifier))
        key = order[len(order) // 2]
        window.quiz_mode._pending = key  # as a click leaves it for its timer
        window.doc.quiz.revealed.discard(key)
        timed("reveal", window.quiz_mode._reveal_pending)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (median shown)")
    parser.add_argument("--nodes", type=int, default=1000, help="size of the generated graph")
    args = parser.parse_args()

    from bench_gui import benchmark_window, close_benchmark_window  # (sets offscreen)
    from graphgen import generate

    app, window, settings = benchmark_window()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"random_{args.nodes}.json"
        graph = generate(args.nodes, seed=1, layout=True)
        path.write_text(json.dumps(graph), encoding="utf-8")
        found = figures(window, path, args.runs)
    title = f"{len(graph['nodes'])} nodes, {len(graph['edges'])} wires"
    print(f"python {sys.version.split()[0]}, offscreen, {args.runs} runs, load average "
          f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after ({os.cpu_count()} cores)")
    for key, name in (("plain", "Backward, no quiz"), ("quiz", "Backward, everything hidden"),
                      ("next_first", "Reveal Next, the first"),
                      ("next_late", "Reveal Next, near the end"),
                      ("reveal", "a click's reveal")):
        med = statistics.median(found[key]) * 1000
        print(f"{title}: {name:<28} {med:8.1f} ms median of {len(found[key])}")
    close_benchmark_window(window, settings)
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
