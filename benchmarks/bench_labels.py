"""Label placement on small and mid-size graphs: every chip placed on its own wire.

    python benchmarks/bench_labels.py [--nodes 50 100 200 355] [--runs 7] [--all-chips]

For ``graphgen.generate(N, seed=1)`` laid out by the auto-layout (355 nodes: 594
wires, just under policy.LAZY_WIRES) in a shown window, CPU time
(``time.process_time``, the machine being shared), median of --runs, of:

- Forward, from cleared numbers: the pass, every text written, every chip placed;
- one value edit with Live on after it (each run edits another input);
- Backward and a Live edit after it, likewise.

Each figure also gives the part spent placing chips (``LabelPlacer.place_all``).
Nothing is painted: add the paint of what is in sight (bench_gui.py) for what a
user waits. A graph with more chips than the policy's most_placed_chips leaves them at
their wires' middles (Backward here); --all-chips searches them anyway, to show
what that would cost. These are figures to read, not tests.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[50, 100, 200, 355])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--all-chips", action="store_true")
    args = parser.parse_args()

    from bench_gui import benchmark_window, close_benchmark_window
    from graphgen import generate
    from PySide6.QtWidgets import QApplication

    from gradstudio.core import fileformat
    from gradstudio.core.layout import apply_layout, auto_layout
    from gradstudio.ui.canvas.labels.placer import LabelPlacer
    from gradstudio.ui.canvas.large.policy import BigGraphPolicy

    if args.all_chips:
        BigGraphPolicy.places_chips = lambda _self, _chips: True
    placing: list[float] = []
    place_all = LabelPlacer.place_all

    def timed_place_all(*a):
        start = time.process_time()
        place_all(*a)
        placing.append(time.process_time() - start)
    LabelPlacer.place_all = timed_place_all

    _app, window, settings = benchmark_window()
    doc = window.doc
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}, offscreen; CPU ms, medians of {args.runs}", flush=True)
    for n in args.nodes:
        path = Path(settings.name) / f"labels_{n}.json"
        path.write_text(json.dumps(generate(n, seed=1)), encoding="utf-8")
        model = fileformat.load(path)
        apply_layout(model, auto_layout(model))
        fileformat.save(model, path)
        doc.set_model(fileformat.load(path), path)
        QApplication.processEvents()
        inputs = list(doc.model.inputs())
        figures: dict[str, list] = {}

        def timed(name, action):
            placing.clear()
            start = time.process_time()
            action()
            total = time.process_time() - start
            figures.setdefault(name, []).append((total, sum(placing)))

        for run in range(args.runs):
            node = inputs[run % len(inputs)]
            for what in ("forward", "backward"):
                doc.clear_annotations()
                for edge in window.scene.edges.values():  # placed afresh, as after opening
                    edge.place_chips_default()
                QApplication.processEvents()
                timed(what, lambda: doc.run(what))
                doc.set_live(True)
                timed(f"{what}, Live edit", lambda: doc.set_param(
                    node, "value", doc.model.param(node, "value") + 0.125))
                doc.set_live(False)
        shown = sum(bool(e.above.lines) + bool(e.below.lines)
                    for e in window.scene.edges.values())
        print(f"{len(doc.model)} nodes, {len(doc.model.edges())} wires "
              f"({shown} chips after Backward)", flush=True)
        for name, values in figures.items():
            total = statistics.median(v[0] for v in values) * 1000
            place = statistics.median(v[1] for v in values) * 1000
            print(f"  {name:<22} {total:7.1f} ms, placing chips {place:6.1f} ms", flush=True)
    close_benchmark_window(window, settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
