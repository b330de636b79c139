"""Chip placement alone (``gradstudio.core.chipplace.place``), on the inputs the canvas gives it.

    python benchmarks/bench_chipplace.py [--nodes 50 100 200] [--runs 31] [--save F] [--load F]
                                         [--check F]

The inputs are caught from the canvas doing what bench_labels.py times: for
``graphgen.generate(N, seed=1)`` laid out by the auto-layout in a shown
(offscreen) window, every call the canvas makes to ``place`` during Forward
from cleared numbers and during Backward after it (the chips' kept spots as the
canvas passes them). Each caught call is then replayed --runs times on its own:
CPU time (``time.process_time``), median and minimum. --save writes the caught
inputs (pickle) so later runs (--load) replay exactly the same ones without Qt;
--check F compares every call's output with the outputs pickled in F (written
there when F does not exist yet): an exact speed-up places every chip alike.
Figures to read, not tests.
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]


def catch(sizes: list[int]) -> dict:
    """{(nodes, "forward"|"backward"|"layoutNN"): (nodes, ends, chips, clear)} as place is called."""
    import copy
    import json

    from gradstudio.core import chipplace

    calls: list = []
    real = chipplace.place

    def catching(nodes, ends, chips, *a, **k):
        clear = k.get("clear", a[0] if a else chipplace.CLEAR)
        calls.append(copy.deepcopy((list(map(tuple, nodes)), list(map(tuple, ends)), chips, clear)))
        return real(nodes, ends, chips, *a, **k)
    chipplace.place = catching  # before the canvas imports it by name
    from bench_gui import benchmark_window, close_benchmark_window
    from graphgen import generate
    from PySide6.QtWidgets import QApplication

    from gradstudio.core import fileformat
    from gradstudio.core.layout import apply_layout, auto_layout

    _app, window, settings = benchmark_window()
    doc = window.doc
    caught = {}
    for n in sizes:
        path = Path(settings.name) / f"chips_{n}.json"
        path.write_text(json.dumps(generate(n, seed=1)), encoding="utf-8")
        model = fileformat.load(path)
        calls.clear()
        apply_layout(model, auto_layout(model))
        for k, call in enumerate(calls):  # the layout's checks: only compared, not timed
            caught[(n, f"layout{k:02}")] = call
        fileformat.save(model, path)
        doc.set_model(fileformat.load(path), path)
        QApplication.processEvents()
        doc.clear_annotations()
        for edge in window.scene.edges.values():
            edge.place_chips_default()
        QApplication.processEvents()
        for what in ("forward", "backward"):
            calls.clear()
            doc.run(what)
            if calls:
                caught[(n, what)] = calls[-1]
    chipplace.place = real
    close_benchmark_window(window, settings)
    return caught


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, nargs="+", default=[50, 100, 200])
    parser.add_argument("--runs", type=int, default=31)
    parser.add_argument("--save")
    parser.add_argument("--load")
    parser.add_argument("--check")
    args = parser.parse_args()

    if args.load:
        caught = pickle.loads(Path(args.load).read_bytes())
    else:
        caught = catch(args.nodes)
    if args.save:
        Path(args.save).write_bytes(pickle.dumps(caught))

    from gradstudio.core.chipplace import place

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}; CPU ms of chipplace.place, median (min) of {args.runs}",
          flush=True)
    outputs = {}
    for key, (nodes, ends, chips, clear) in sorted(caught.items()):
        if key[1].startswith("layout"):
            outputs[key] = place(nodes, ends, chips, clear)
            continue
        place(nodes, ends, chips, clear)  # warm
        times = []
        for _ in range(args.runs):
            start = time.process_time()
            out = place(nodes, ends, chips, clear)
            times.append(time.process_time() - start)
        outputs[key] = out
        print(f"  {key[0]:>4} nodes {key[1]:<8} {len(ends):4} wires {len(chips):4} chips "
              f"{statistics.median(times) * 1000:7.1f} ms ({min(times) * 1000:.1f})", flush=True)
    if args.check:
        check = Path(args.check)
        if not check.exists():
            check.write_bytes(pickle.dumps(outputs))
            print(f"outputs written to {check}")
        else:
            before = pickle.loads(check.read_bytes())
            for key, out in sorted(outputs.items()):
                old = before.get(key)
                same = old is not None and len(old) == len(out) and all(
                    a.box == b.box and a.anchor == b.anchor and a.spot == b.spot
                    and a.on_wire == b.on_wire for a, b in zip(old, out))
                differ = "?" if old is None else sum(
                    a.box != b.box or a.anchor != b.anchor or a.spot != b.spot
                    or a.on_wire != b.on_wire for a, b in zip(old, out))
                if not same or not key[1].startswith("layout"):
                    print(f"  {key}: {'identical' if same else f'DIFFERENT ({differ} chips)'}")
            print(f"  {sum(k[1].startswith('layout') for k in outputs)} layout checks compared too")
    return 0


if __name__ == "__main__":
    sys.exit(main())
