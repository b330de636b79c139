"""Presentation mode speed (offscreen): one key of a presenter's remote on a big graph.

    python benchmarks/bench_present.py [--runs N] [--nodes N] [--screenshot OUT.png]

A graph from ``graphgen.generate(N, seed=1, layout=True)`` (default 1,000 nodes)
is opened in the main window on a 1920×1080 offscreen screen, and View → Present
(F11) entered: full screen, text at 200 %, the graph fitted (a graph this big is
shown from its inputs at the least readable zoom). Timed, each from the key press
(``QTest.keyClick`` on the canvas, through the presentation's key filter) to the
end of the event loop's repaints of what changed (turns of the event loop, at most
five, until one paints nothing: a view that followed the step a turn later is
counted; median of N runs, default 5, several keys per run; the jumps to the middle
of each pass are not timed, and what they leave to redraw while the window idles is
finished first, the wires painted ahead in tiles and the nodes' and chips' texts
laid out ahead too (canvas/large/tiles.py, canvas/large/ahead.py;
``--no-flush-tiles``: not)):

- the first → from the bare graph (plans the steps, redraws every node);
- → in the middle of the forward pass;
- PageDown in the middle of the backward pass;
- PageUp (a step back);
- End (the whole graph annotated) and Home (bare again), for reference.

Each line also gives the median CPU time of this process for the same keys
(``time.process_time``), how many of the keys panned the view to follow the step
(a whole screen repainted; with the medians of those that did and did not), and the
load average before and after.

Target: a step ≤ 50 ms (as Step Forward, bench_steps.py).
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

KEYS_PER_RUN = 5
SCREEN = {"screens": [{"name": "projector", "x": 0, "y": 0, "width": 1920, "height": 1080,
                       "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}


def present_figures(window, path: Path, runs: int, flush_tiles: bool = True) -> dict[str, list[float]]:
    """Seconds per key, each followed by the repaint of the canvas."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    view, stepper = window.view, window.stepping.stepper
    keys = ("first", "forward", "backward", "back", "end", "home")
    figures: dict[str, list[float]] = {k: [] for key in keys
                                       for k in (key, key + "_cpu", key + "_moved")}
    bars = view.horizontalScrollBar(), view.verticalScrollBar()

    class Painted(QObject):  # the canvas's paint events, counted
        count = 0

        def eventFilter(self, _watched, event) -> bool:
            if event.type() == QEvent.Paint:
                self.count += 1
            return False

    painted = Painted()
    view.viewport().installEventFilter(painted)

    def timed(name: str, key) -> None:
        QApplication.processEvents()
        scrolled = [b.value() for b in bars]
        start, cpu = time.perf_counter(), time.process_time()
        QTest.keyClick(view, key)
        painted.count = 1
        for _ in range(5):  # and the repaints that queued (a pan a turn later: counted)
            if not painted.count:
                break
            painted.count = 0
            QApplication.processEvents()
        figures[name].append(time.perf_counter() - start)
        figures[name + "_cpu"].append(time.process_time() - cpu)
        # The view followed the step (panned to its node): the whole screen repainted.
        figures[name + "_moved"].append(float([b.value() for b in bars] != scrolled))

    def settled() -> None:  # what a jump left to redraw in idle slices, done first
        getattr(window.scene, "flush_annotations", lambda: None)()
        QApplication.processEvents()
        view.viewport().repaint()
        # The wires painted ahead in tiles while a presenter talks (canvas.large.tiles).
        tiles = getattr(window.scene, "tiles", None)
        if tiles is not None and flush_tiles:
            tiles.flush()
        # What that paint queued, as the window does while idle: the first paint at a
        # zoom that draws texts switches every node and wire to drawing them, and the
        # items it marks are handed to the view a turn later (a whole screen's repaint,
        # which was counted in the first key's time).
        QApplication.processEvents()

    for _ in range(runs):
        window.doc.open(path)
        QTest.keyClick(window, Qt.Key_F11)
        settled()  # the screen fitted, what is in sight painted: then the class starts
        assert window.presentation.presenting
        timed("first", Qt.Key_Right)
        steps = stepper.steps
        stepper.go_to(steps.n_forward // 2)  # straight to the middle, untimed
        settled()
        for _ in range(KEYS_PER_RUN):
            timed("forward", Qt.Key_Right)
        stepper.go_to(steps.n_forward + steps.n_backward // 2)
        settled()
        for _ in range(KEYS_PER_RUN):
            timed("backward", Qt.Key_PageDown)
        for _ in range(KEYS_PER_RUN):
            timed("back", Qt.Key_PageUp)
        timed("end", Qt.Key_End)
        settled()
        timed("home", Qt.Key_Home)
        QTest.keyClick(window, Qt.Key_Escape)
        QApplication.processEvents()
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (median shown)")
    parser.add_argument("--nodes", type=int, default=1000, help="size of the generated graph")
    parser.add_argument("--screenshot", type=Path, help="save the screen mid-step to this PNG")
    parser.add_argument("--no-flush-tiles", action="store_true",
                        help="after a jump, leave the wires' tiles to the idle slices "
                             "(only what one turn paints) instead of finishing them")
    args = parser.parse_args()

    from bench_gui import benchmark_window, close_benchmark_window  # (sets offscreen)
    from graphgen import generate

    with tempfile.TemporaryDirectory() as tmp:
        screen = Path(tmp) / "screen.json"
        screen.write_text(json.dumps(SCREEN), encoding="utf-8")
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={screen}"
        app, window, settings = benchmark_window()
        load_before = os.getloadavg()[0]
        path = Path(tmp) / f"random_{args.nodes}.json"
        graph = generate(args.nodes, seed=1, layout=True)
        path.write_text(json.dumps(graph), encoding="utf-8")
        figures = present_figures(window, path, args.runs, not args.no_flush_tiles)
        title = f"{len(graph['nodes'])} nodes, {len(graph['edges'])} wires"
        print(f"python {sys.version.split()[0]}, offscreen 1920×1080, {args.runs} runs, "
              f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
              f"({os.cpu_count()} cores)", flush=True)
        for key, name, target in (("first", "first → from the bare graph", True),
                                  ("forward", "→, mid forward pass", True),
                                  ("backward", "PageDown, mid backward pass", True),
                                  ("back", "PageUp (step back)", True),
                                  ("end", "End (all annotated)", False),
                                  ("home", "Home (bare)", False)):
            med = statistics.median(figures[key]) * 1000
            cpu = statistics.median(figures[key + "_cpu"]) * 1000
            moved = figures[key + "_moved"]
            split = ""
            if any(moved) and not all(moved):
                still = [t for t, m in zip(figures[key], moved) if not m]
                panned = [t for t, m in zip(figures[key], moved) if m]
                split = (f"; view still {statistics.median(still) * 1000:.1f} ms, "
                         f"panned {statistics.median(panned) * 1000:.1f} ms")
            print(f"{title}: {name:<30} {med:8.1f} ms median of {len(figures[key])}"
                  f" (cpu {cpu:5.1f} ms; followed {int(sum(moved))}/{len(moved)}{split})"
                  f"{'  (target ≤ 50 ms)' if target else ''}", flush=True)
        if args.screenshot is not None:
            from PySide6.QtCore import Qt
            from PySide6.QtTest import QTest
            QTest.keyClick(window, Qt.Key_F11)
            for _ in range(8):
                QTest.keyClick(window.view, Qt.Key_Right)
            app.processEvents()
            window.grab().save(str(args.screenshot))
            QTest.keyClick(window, Qt.Key_Escape)
        close_benchmark_window(window, settings)
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
