"""Step-through speed (offscreen): one Step Forward / Step Backward / Step Back on a big graph.

    python benchmarks/bench_steps.py [--runs N] [--nodes N]

A graph from ``graphgen.generate(N, seed=1, layout=True)`` (default 1,000 nodes)
is opened in the main window. Timed, each from the action to the end of the
event loop's repaint of what changed, with the view at 100 % on the active
node (median of N runs, default 5, several steps per run; the jumps to the
middle of each pass are not timed, and what they leave to redraw while the
window idles is finished before the steps are):

- the first Step Forward (plans the steps, redraws every node as not computed);
- one Step Forward in the middle of the forward pass;
- one Step Backward in the middle of the backward pass;
- one Step Back;
- and, the way a class goes, Step Forward pressed over and over from the start
  with the whole graph in view (Fit View), ``--presses`` times (default 40).

Each line also gives the median CPU time of this process for the same steps
(``time.process_time``), which other jobs on the machine inflate far less than
wall time, and the load average before and after.

Target: ≤ 50 ms per step. ``step_figures(window, runs)`` is importable, so
bench_gui.py can print the same lines.
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

STEPS_PER_RUN = 5


def step_figures(window, path: Path, runs: int, presses: int = 40) -> dict[str, list[float]]:
    """Seconds per step action, each followed by a repaint of the canvas."""
    from PySide6.QtWidgets import QApplication

    stepping, doc = window.stepping, window.doc
    viewport = window.view.viewport()

    def timed(key: str, action) -> None:
        """The action, then the event loop's paint of what it changed (as a user sees it)."""
        QApplication.processEvents()
        start, cpu = time.perf_counter(), time.process_time()
        action.trigger()
        QApplication.processEvents()
        figures[key].append(time.perf_counter() - start)
        figures[key + "_cpu"].append(time.process_time() - cpu)

    def at_100(stepper) -> None:  # the class watches the active node at 100 %
        # The jump there redrew the whole graph, which a big graph finishes while the
        # window idles (see GraphScene.refresh_annotations): let it, before timing.
        getattr(window.scene, "flush_annotations", lambda: None)()
        window.view.resetTransform()
        node = stepper.steps.step(stepper.position - 1).node
        window.view.centerOn(window.scene.nodes[node])
        QApplication.processEvents()
        viewport.repaint()

    keys = ("first", "forward", "backward", "back", "presses")
    figures: dict[str, list[float]] = {k: [] for key in keys for k in (key, key + "_cpu")}
    for _ in range(runs):
        doc.open(path)
        QApplication.processEvents()
        timed("first", stepping.act_step_forward)
        stepper = stepping.stepper
        steps = stepper.steps
        stepper._go(steps.n_forward // 2)  # straight to the middle, untimed
        at_100(stepper)
        for _ in range(STEPS_PER_RUN):
            timed("forward", stepping.act_step_forward)
        stepper._go(steps.n_forward + steps.n_backward // 2)  # the middle of backward
        at_100(stepper)
        for _ in range(STEPS_PER_RUN):
            timed("backward", stepping.act_step_backward)
        for _ in range(STEPS_PER_RUN):
            timed("back", stepping.act_step_back)
        doc.open(path)  # from the start, the whole graph in view
        window.act_fit.trigger()
        QApplication.processEvents()
        for _ in range(presses):
            timed("presses", stepping.act_step_forward)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (median shown)")
    parser.add_argument("--nodes", type=int, default=1000, help="size of the generated graph")
    parser.add_argument("--presses", type=int, default=40,
                        help="Step Forward presses from the start, at the fitted zoom")
    parser.add_argument("--screenshot", type=Path, help="save the window mid-step to this PNG")
    args = parser.parse_args()

    from bench_gui import benchmark_window, close_benchmark_window
    from graphgen import generate
    from PySide6.QtWidgets import QApplication

    app, window, settings = benchmark_window()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"random_{args.nodes}.json"
        graph = generate(args.nodes, seed=1, layout=True)
        path.write_text(json.dumps(graph), encoding="utf-8")
        figures = step_figures(window, path, args.runs, args.presses)
        title = f"{len(graph['nodes'])} nodes, {len(graph['edges'])} wires"
        print(f"python {sys.version.split()[0]}, offscreen, {args.runs} runs, load average "
              f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after "
              f"({os.cpu_count()} cores)", flush=True)
        for key, name in (("first", "first Step Forward (F7)"),
                          ("forward", "Step Forward, mid forward pass"),
                          ("backward", "Step Backward, mid backward pass"),
                          ("back", "Step Back"),
                          ("presses", "Step Forward from the start, fitted")):
            med = statistics.median(figures[key]) * 1000
            cpu = statistics.median(figures[key + "_cpu"]) * 1000
            print(f"{title}: {name:<34} {med:8.1f} ms median of {len(figures[key])}"
                  f" (cpu {cpu:5.1f} ms)  (target ≤ 50 ms)", flush=True)
        if args.screenshot is not None:
            stepper = window.stepping.stepper
            node = window.scene.nodes[stepper.steps.step(stepper.position - 1).node]
            window.view.resetTransform()
            window.view.centerOn(node)
            QApplication.processEvents()
            window.grab().save(str(args.screenshot))
    close_benchmark_window(window, settings)
    app.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
