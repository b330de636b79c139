"""GUI speed figures (offscreen): cold start, and a 1,000-node graph in the window.

    python benchmarks/bench_gui.py [--runs N] [--nodes N]

Prints the median of N runs (default 5) for:

- cold start to the first painted window with the chain_rule example, each run a
  fresh ``python`` process (timed from just before the parent launches it to the
  end of the first paint of the canvas), next to a bare PySide6 QMainWindow;
- a graph from ``graphgen.generate(N, seed=1, layout=True)`` written to a file:
  open (Document.open + scene build) + first paint; Forward + Backward with the
  labels in sight updated and painted; then the time until the idle slices are
  done (every other label; zoomed out, the wires' chips wait until they come in
  sight), and the longest the event loop was busy at once meanwhile (the longest
  input could wait); one value edit with Live on; a pan
  (the view scrolls its pixels and paints the strip uncovered, as in a drag) and
  a zoom (everything in sight painted again; on a big graph with its texts in
  sight, the last picture scaled while the wheel turns, and then the exact
  picture painted once it rests: see ui/canvas/large/zoompreview.py) at the
  fitted zoom and at 100 %;
  headless ``gradstudio export FILE OUT.png --after backward`` as a subprocess,
  end to end;
- the teaching tools on the same graph: Step Forward / Step Backward / Step Back
  (from bench_steps.py), Nudge, Check all and the paths panel (from
  bench_teaching.py).

These are figures to read, not tests: nothing here fails on a slow machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent  # time this checkout's gradstudio, also in the child processes
sys.path[:0] = [str(HERE), str(ROOT)]
CHILD_ENV = dict(os.environ, QT_QPA_PLATFORM="offscreen",
                 PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT),
                                                          os.environ.get("PYTHONPATH")])))

# Run in a fresh interpreter: show the window, catch the canvas's first paint,
# print the wall-clock time when that paint is done, and quit.
GRADSTUDIO_DRIVER = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from gradstudio.ui.app import start as app_module

application = app_module.make_app()

class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, event):
        if (not self.done and event.type() == QEvent.Paint
                and type(obj.parent()).__name__ == "GraphView"):
            self.done = True
            QTimer.singleShot(0, finish)  # runs once this paint is over
        return False

def finish():
    print(time.time(), flush=True)
    application.closeAllWindows()
    application.quit()

watcher = FirstPaint()
application.installEventFilter(watcher)
sys.exit(app_module.run([]))
"""

BARE_DRIVER = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

application = QApplication(sys.argv)
window = QMainWindow()
window.resize(1280, 800)

class FirstPaint(QObject):
    done = False
    def eventFilter(self, obj, event):
        if not self.done and event.type() == QEvent.Paint:
            self.done = True
            QTimer.singleShot(0, finish)
        return False

def finish():
    print(time.time(), flush=True)
    application.quit()

watcher = FirstPaint()
window.installEventFilter(watcher)
window.show()
sys.exit(application.exec())
"""


def cold_start(driver: str, runs: int) -> list[float]:
    times = []
    with tempfile.TemporaryDirectory() as config:
        # Settings and crash-recovery copies of its own: a left-over recovery file
        # would make the app stop at its Restore question.
        env = dict(CHILD_ENV, XDG_CONFIG_HOME=config, XDG_DATA_HOME=config)
        for _ in range(runs):
            start = time.time()
            done = subprocess.run([sys.executable, "-c", driver], env=env, check=True,
                                  capture_output=True, text=True, timeout=60)
            times.append(float(done.stdout.split()[-1]) - start)
    return times


def export_subprocess(path: Path, out: Path, runs: int) -> list[float]:
    times = []
    env = CHILD_ENV
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "gradstudio", "export", str(path), str(out),
                        "--after", "backward"], env=env, check=True, timeout=120)
        times.append(time.perf_counter() - start)
    return times


def benchmark_window():
    """A shown 1280×800 main window whose QSettings and recovery copies live in a
    throw-away folder.

    Returns (app, window, settings folder); keep the folder object alive while timing.
    """
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gradstudio.ui.app import recovery
    from gradstudio.ui.app.start import make_app

    app = make_app()
    settings = tempfile.TemporaryDirectory()
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, settings.name)
    recovery.FOLDER_OVERRIDE = Path(settings.name) / "recovery"  # never the user's
    from gradstudio.ui.app.window import MainWindow

    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    QApplication.processEvents()
    return app, window, settings


def close_benchmark_window(window, settings) -> None:
    """Close a window from ``benchmark_window`` without the unsaved-changes question."""
    window.doc.undo_stack.setClean()
    window.close()
    settings.cleanup()


def in_window(path: Path, runs: int, screenshot: Path | None) -> dict[str, list[float]]:
    from canvas_timing import CanvasTiming

    app, window, settings = benchmark_window()
    view, doc = window.view, window.doc

    timing = CanvasTiming(window)
    paint, painted, settle = timing.paint, timing.painted, timing.settle

    def at_zoom(at_100: bool) -> None:
        view.fit()
        if at_100:
            view.resetTransform()
            view.centerOn(window.scene.itemsBoundingRect().center())
        paint()
        settle()

    names = ["open"]
    for where in ("fit", "100"):
        names += [f"{k}_{where}" for k in ("backward", "settle", "longest", "edit", "pan",
                                           "zoom", "rest")]
    figures: dict[str, list[float]] = {k: [] for k in names}
    for _ in range(runs):
        start = time.perf_counter()
        doc.open(path)  # the window fits the view to the graph on open
        paint()
        figures["open"].append(time.perf_counter() - start)
        settle()
        for where in ("fit", "100"):
            at_zoom(where == "100")
            doc.clear_annotations()
            settle()
            start = time.perf_counter()
            doc.run("backward")
            painted(where == "100")
            figures[f"backward_{where}"].append(time.perf_counter() - start)
            _total, longest = settle()
            figures[f"settle_{where}"].append(time.perf_counter() - start)
            figures[f"longest_{where}"].append(longest)

            doc.set_live(True)
            node = next(n for n in doc.model.graph.nodes
                        if doc.model.op_of(n).name == "input")
            if where == "100":  # the edited input in sight, its value painted anew
                view.centerOn(window.scene.nodes[node])
                paint()
                settle()
            start = time.perf_counter()
            doc.set_param(node, "value", doc.model.param(node, "value") + 0.125)
            painted(where == "100")
            figures[f"edit_{where}"].append(time.perf_counter() - start)
            settle()
            doc.set_live(False)

            at_zoom(where == "100")
            bar = view.horizontalScrollBar()
            start = time.perf_counter()
            bar.setValue(bar.value() + 40)
            painted()  # the scrolled view paints the strip it uncovered
            figures[f"pan_{where}"].append(time.perf_counter() - start)
            paint()
            start = time.perf_counter()
            view.zoom_by(1.15)
            painted()
            figures[f"zoom_{where}"].append(time.perf_counter() - start)
            if view.preview.active:  # a big graph's zoom showed its last picture scaled
                start = time.perf_counter()
                view.preview.end()  # the exact picture, painted at once, as the timer does
                figures[f"rest_{where}"].append(time.perf_counter() - start)
            paint()

    if screenshot is not None:
        view.resetTransform()
        view.centerOn(window.scene.itemsBoundingRect().center())
        paint()
        window.grab().save(str(screenshot))
    close_benchmark_window(window, settings)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median shown)")
    parser.add_argument("--nodes", type=int, default=1000, help="size of the generated graph")
    parser.add_argument("--screenshot", type=Path,
                        help="also save the window at 100 %% after Backward to this PNG")
    args = parser.parse_args()

    from graphgen import generate
    import json

    def line(name: str, times: list[float], target_ms: float | None) -> None:
        med = statistics.median(times) * 1000
        goal = f"  (target ≤ {target_ms:g} ms)" if target_ms else ""
        print(f"{name:<50} {med:8.1f} ms median of {len(times)}{goal}", flush=True)

    print(f"python {sys.version.split()[0]}, offscreen, {args.runs} runs per figure", flush=True)
    line("cold start: bare PySide6 QMainWindow, first paint", cold_start(BARE_DRIVER, args.runs), None)
    line("cold start: gradstudio + chain_rule, first paint",
         cold_start(GRADSTUDIO_DRIVER, args.runs), 1000)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"random_{args.nodes}.json"
        graph = generate(args.nodes, seed=1, layout=True)
        path.write_text(json.dumps(graph), encoding="utf-8")
        n, e = len(graph["nodes"]), len(graph["edges"])
        figures = in_window(path, args.runs, args.screenshot)
        title = f"{n} nodes"
        print(f"{n} nodes, {e} wires:", flush=True)
        line(f"{title}: open + first paint", figures["open"], 1500)
        for where, zoom in (("fit", "fitted"), ("100", "100 %")):
            line(f"{title}, {zoom}: Forward + Backward, in sight painted",
                 figures[f"backward_{where}"], 100)
            line("  ... until the idle slices are done", figures[f"settle_{where}"], None)
            line("  ... longest turn of the event loop meanwhile",
                 figures[f"longest_{where}"], 100)
            line(f"{title}, {zoom}: value edit with Live on", figures[f"edit_{where}"], 50)
            line(f"{title}, {zoom}: pan repaint", figures[f"pan_{where}"], 16)
            line(f"{title}, {zoom}: zoom repaint", figures[f"zoom_{where}"], 16)
            if figures[f"rest_{where}"]:
                line("  ... the exact picture once the wheel rests", figures[f"rest_{where}"],
                     None)
        line(f"{title}: export PNG --after backward (CLI)",
             export_subprocess(path, Path(tmp) / "out.png", args.runs), 3000)

        # The teaching tools on the same graph (bench_steps.py and bench_teaching.py
        # print these with more detail).
        from bench_steps import step_figures
        from bench_teaching import teaching_figures

        _app, window, settings = benchmark_window()
        steps = step_figures(window, path, args.runs)
        for key, name in (("first", "first Step Forward"),
                          ("forward", "Step Forward, mid forward pass"),
                          ("backward", "Step Backward, mid backward pass"),
                          ("back", "Step Back")):
            line(f"{title}: {name}", steps[key], 50)
        teaching = teaching_figures(window, path, max(args.runs, 9))
        teaching.pop("last paths")
        for name, times in teaching.items():
            line(f"{title}: {name}", times, 50)
        close_benchmark_window(window, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
