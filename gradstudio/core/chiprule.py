"""The legibility rule for annotation chips, measured on drawn geometry.

It reads the geometry that ``gradstudio export FILE OUT.json`` writes (see
docs/file-format.md), so a checker outside the program applies the same rule:

- each chip lies within ``NEAR`` px of its own wire (a gradient chip hanging right
  under its value chip, the two drawn as one, is as near as that value chip is);
- every other wire is at least ``APART`` px farther from the chip than its own;
- no chip overlaps a node, another chip, or a wire that is not its own.

Distances are from the chip's rectangle to the wire's sampled points.
"""

from __future__ import annotations

import numpy as np

NEAR = 12.0
APART = 6.0
STACKED = 0.5  # px at most between a value chip's bottom and its gradient chip's top


def _distances(rect, points: np.ndarray) -> float:
    """Smallest distance from the rectangle (x, y, w, h) to any of the points."""
    x, y, w, h = rect
    dx = np.maximum(np.maximum(x - points[:, 0], points[:, 0] - (x + w)), 0.0)
    dy = np.maximum(np.maximum(y - points[:, 1], points[:, 1] - (y + h)), 0.0)
    return float(np.hypot(dx, dy).min()) if len(points) else float("inf")


def _overlap(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _under(rect, value) -> bool:
    """The chip hangs right under the value chip: its top at the value's bottom, the two
    side by side in x (a stacked pair, drawn as one)."""
    gap = rect[1] - (value[1] + value[3])
    return (0 <= gap <= STACKED and rect[0] < value[0] + value[2]
            and value[0] < rect[0] + rect[2])


def violations(geometry: dict) -> list[str]:
    """One line for each breach of the rule; an empty list where every chip keeps it."""
    wires = {(w["from"], w["to"], w["port"]): np.asarray(w["points"], dtype=float).reshape(-1, 2)
             for w in geometry["wires"]}
    found = []
    chips = geometry["chips"]
    values = {(c["from"], c["to"], c["port"]): c["rect"] for c in chips if c["kind"] == "forward"}
    for k, chip in enumerate(chips):
        key = (chip["from"], chip["to"], chip["port"])
        name = f"{chip['kind']} chip {chip['text']!r} of {key[0]}->{key[1]}:{key[2]}"
        rect = chip["rect"]
        own = _distances(rect, wires[key])
        value = values.get(key) if chip["kind"] == "grad" else None
        if value is not None and _under(rect, value):
            own = min(own, _distances(value, wires[key]))
        if own > NEAR:
            found.append(f"{name}: {own:.1f} px from its wire (at most {NEAR:g})")
        for other, points in wires.items():
            if other == key:
                continue
            d = _distances(rect, points)
            if d < own + APART:
                found.append(f"{name}: wire {other[0]}->{other[1]}:{other[2]} is {d:.1f} px "
                             f"away, its own {own:.1f} px")
        for node in geometry["nodes"]:
            if _overlap(rect, node["rect"]):
                found.append(f"{name}: overlaps node {node['id']}")
        for other in chips[k + 1:]:
            if _overlap(rect, other["rect"]):
                found.append(f"{name}: overlaps the {other['kind']} chip {other['text']!r} "
                             f"of {other['from']}->{other['to']}:{other['port']}")
    return found
