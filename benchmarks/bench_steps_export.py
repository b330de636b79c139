"""`gradstudio export --steps` speed: the whole command, as a user runs it.

    python benchmarks/bench_steps_export.py [--runs N] [--nodes N]

Each run is the real command in a fresh process (start-up, loading, the pages,
writing), timed from start to exit; the median of N runs (default 5) for:

- the seed graph, resources/examples/chain_rule.json (10 pages), to a PDF and
  to a PNG series;
- ``graphgen.generate(N, seed=1, layout=True)`` (default 50 nodes, about 100
  pages), to a PDF and to a PNG series.

Targets (issue 13): the seed graph ≤ 3 s; the 50-node graph ≤ 20 s, with a
progress line on stderr (its last line is printed). The load average is printed
before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))


PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "n/a"


def run(graph: Path, out: Path) -> tuple[float, str, int]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "gradstudio", "export", str(graph), str(out),
                           "--steps"], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"export --steps failed: {done.stderr.strip()}")
    if out.suffix == ".pdf":
        pages = len(PAGE.findall(out.read_bytes()))
    else:
        pages = len(list(out.parent.glob(f"{out.stem}-*{out.suffix}")))
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "(no progress line)"
    return seconds, last, pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--nodes", type=int, default=50)
    args = parser.parse_args()
    from graphgen import generate

    print(f"load average before: {load()}")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        big = folder / f"g{args.nodes}.json"
        big.write_text(json.dumps(generate(args.nodes, seed=1, layout=True)), encoding="utf-8")
        cases = [("seed graph (chain_rule)", ROOT / "resources/examples/chain_rule.json", 3.0),
                 (f"{args.nodes}-node graph", big, 20.0)]
        for case, (name, graph, target) in enumerate(cases):
            for kind in ("pdf", "png"):
                times, last, pages = [], "", 0
                for i in range(args.runs):
                    out = folder / f"{case}-{kind}-{i}" / f"deck.{kind}"
                    out.parent.mkdir()
                    seconds, last, pages = run(graph, out)
                    times.append(seconds)
                median = statistics.median(times)
                verdict = "ok" if median <= target else "OVER"
                print(f"{name}, {kind.upper()}: {pages} pages, median {median:.2f} s of "
                      f"{args.runs} runs (min {min(times):.2f}, max {max(times):.2f}); "
                      f"target ≤ {target:g} s: {verdict}")
                if kind == "pdf" and "page" in last:
                    print(f"    last progress line: {last}")
    print(f"load average after: {load()}")


if __name__ == "__main__":
    main()
