"""Big graphs in the window: where the time goes when a 20,000-node file is opened.

    python benchmarks/bench_big_open.py [--nodes 20000] [--label-nodes 300]

Offscreen, one run each (these are seconds, not milliseconds). For
``graphgen.generate(N, seed=1, layout=True)`` written to a file:

- core: fileformat.load; Forward (Evaluation, plan compiled); Forward + Backward again;
- window: Document.set_model with the scene build (every item made), then the
  first paint of the fitted view;
- Forward, then Backward, at the fitted zoom and at 100 %: the first turn of the
  event loop after each (the pass, the labels in sight written and painted), the
  time until the idle slices are done (every other label; zoomed out, the wires'
  chips wait until they come in sight), and the longest single turn meanwhile
  (the longest input could have waited);
- Forward with every label written and placed, all at once, on a graph under
  600 wires (--label-nodes), where chips are placed to avoid each other;
- the crash-recovery write of the big graph: all at once (``write_now``), and in idle
  slices as the timer does 2 s after an edit (the longest slice is what input waits).

These are figures to read, not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))


def _graph_file(folder: Path, n: int) -> Path:
    from graphgen import generate
    path = folder / f"random_{n}.json"
    path.write_text(json.dumps(generate(n, seed=1, layout=True)), encoding="utf-8")
    return path


def _middle_node(scene):
    """The node nearest the middle of the graph: at 100 % a view there is crowded
    (its bounding rectangle's very centre may fall between rows, nearly empty)."""
    middle = scene.itemsBoundingRect().center()
    node = min(scene.nodes.values(), key=lambda n: (n.pos() - middle).manhattanLength())
    return node.sceneBoundingRect().center()


def _timed(label: str, action):
    start = time.perf_counter()
    result = action()
    print(f"{label:<58} {time.perf_counter() - start:9.3f} s", flush=True)
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=20000)
    parser.add_argument("--label-nodes", type=int, default=300)
    args = parser.parse_args()

    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from gradstudio.core import fileformat
    from gradstudio.core.passes import Evaluation
    from gradstudio.ui.app import recovery
    from gradstudio.ui.app.start import make_app

    make_app()
    tmp = tempfile.TemporaryDirectory()
    folder = Path(tmp.name)
    QSettings.setDefaultFormat(QSettings.IniFormat)
    QSettings.setPath(QSettings.IniFormat, QSettings.UserScope, str(folder / "settings"))
    recovery.FOLDER_OVERRIDE = folder / "recovery"
    from gradstudio.ui.app.window import MainWindow

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}, offscreen", flush=True)
    path = _graph_file(folder, args.nodes)
    model = _timed(f"{args.nodes} nodes: fileformat.load", lambda: fileformat.load(path))
    print(f"  ({len(model)} nodes, {len(model.edges())} wires)")
    _timed("core Forward (plan compiled)", lambda: Evaluation(model))
    _timed("core Forward + Backward (plan reused)", lambda: Evaluation(model).backward())

    window = MainWindow()
    window.resize(1280, 800)
    window.show()
    QApplication.processEvents()
    model = fileformat.load(path)
    _timed("window: Document.set_model + scene build", lambda: window.doc.set_model(model, path))

    def paint():
        QApplication.processEvents()
        window.view.viewport().repaint()
    _timed("window: first paint (fitted view)", paint)
    from canvas_timing import CanvasTiming

    doc = window.doc
    timing = CanvasTiming(window)
    view = window.view
    for where in ("fitted zoom", "100 %"):
        if where == "100 %":
            view.resetTransform()
            view.centerOn(_middle_node(window.scene))
            timing.paint()
        for what in ("forward", "backward"):
            start = time.perf_counter()
            doc.run(what)
            timing.painted(must_paint=where == "100 %")
            first = time.perf_counter() - start
            total, longest = timing.settle()
            print(f"{where}, {what}: first turn {first * 1000:7.1f} ms, every label "
                  f"{time.perf_counter() - start:6.2f} s, longest turn {longest * 1000:5.1f} ms",
                  flush=True)
        doc.clear_annotations()
        timing.settle()

    node = next(n for n in doc.model.inputs())
    doc.set_param(node, "value", doc.model.param(node, "value") + 0.5)
    _timed("crash-recovery write_now (to_dict + JSON + atomic write)", window.recovery.write_now)
    writer = window.recovery
    start = time.perf_counter()
    writer.start_write()  # what the timer does 2 s after an edit
    job = writer.job
    while writer.job is not None:
        QApplication.processEvents()
    print(f"crash-recovery write in idle slices: done after {time.perf_counter() - start:.3f} s,"
          f" longest slice {job.longest * 1000:.1f} ms", flush=True)
    doc.undo_stack.setClean()

    small = fileformat.load(_graph_file(folder, args.label_nodes))
    doc.set_model(small)
    paint()
    _timed(f"{args.label_nodes} nodes: core Forward", lambda: Evaluation(small))
    _timed(f"{args.label_nodes} nodes: Forward + every label written and placed",
           lambda: doc.run("forward"))
    window.close()
    tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
