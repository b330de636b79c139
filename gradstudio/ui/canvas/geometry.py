"""What the canvas draws, as numbers: node boxes, wire points and chip boxes.

Written by ``gradstudio export FILE OUT.json`` so that the chips' legibility
rule (``gradstudio.core.chiprule``) can be checked outside the program. The
coordinates are those of the PNG export at scale 1.
"""

from __future__ import annotations

import json

from gradstudio.core.wirecurve import curves, samples
from gradstudio.core.atomic import atomic_write
from gradstudio.ui.canvas.export import source_rect


def drawn_geometry(scene) -> dict:
    """Nodes, wires (points at most 2 px apart) and chips, in the PNG's coordinates."""
    origin = source_rect(scene).topLeft()
    ox, oy = origin.x(), origin.y()

    def rect(r) -> list[float]:
        return [_num(r.x() - ox), _num(r.y() - oy), _num(r.width()), _num(r.height())]

    nodes = [{"id": node_id, "rect": rect(item.mapRectToScene(item.rect()))}  # the box drawn
             for node_id, item in scene.nodes.items()]
    edges = list(scene.edges.items())
    ctrl = curves([item.ends() for _key, item in edges])
    xs, ys, owner = samples(ctrl, 2.0, strict=True)
    wires, chips = [], []
    for k, ((u, v, port), item) in enumerate(edges):
        mine = owner == k
        points = [[_num(x - ox), _num(y - oy)] for x, y in zip(xs[mine], ys[mine])]
        wires.append({"from": u, "to": v, "port": port, "points": points})
        for kind, chip in (("forward", item.above), ("grad", item.below)):
            if chip.lines and chip.isVisible():
                entry = {"from": u, "to": v, "port": port, "kind": kind,
                         "text": "\n".join(chip.texts), "rect": rect(chip.sceneBoundingRect())}
                leader = chip.leader_line()
                if leader is not None:
                    entry["leader"] = [[_num(p.x() - ox), _num(p.y() - oy)] for p in leader]
                chips.append(entry)
    return {"nodes": nodes, "wires": wires, "chips": chips}


def write_geometry(scene, path) -> None:
    """The drawn geometry as a JSON file, written atomically (SaveError if it cannot be)."""
    geometry = drawn_geometry(scene)
    parts = []
    for key in ("nodes", "wires", "chips"):  # one line per entry
        entries = ",\n  ".join(json.dumps(e, ensure_ascii=False) for e in geometry[key])
        parts.append(f'"{key}": [\n  {entries}\n ]' if entries else f'"{key}": []')
    atomic_write(path, ("{\n " + ",\n ".join(parts) + "\n}\n").encode("utf-8"))


def _num(value: float) -> float:
    return round(float(value), 2)
