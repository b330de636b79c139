"""A tame random computation graph, as a file format v1 dict, for benchmarks.

``generate(n_nodes, seed)`` gives about ``n_nodes`` nodes and 1.65 edges per
node: inputs with values in [-1, 1]; add and multiply nodes that each take one
of the last 40 non-input nodes and one input; scale nodes (factor in [-1, 1])
that take one of the last 40 non-input nodes; every sink then summed into a
single output by a balanced tree of adds, chosen as ``"output"``. Values stay
bounded (every product has one factor in [-1, 1]), so the numbers are tame.

With ``layout=True`` every node gets x/y: columns left to right by longest-path
depth, nodes stacked top to bottom inside their column.
"""

from __future__ import annotations

import random

WINDOW = 40
# Shares of the nodes: inputs, ops (add/multiply/scale); the sum tree takes the
# rest (about 37 % of the ops end up as sinks, each one adds one tree node).
INPUT_SHARE = 0.158
OP_SHARE = 0.617
SCALE_SHARE = 0.05  # of the ops
COLUMN_STEP = 160.0
ROW_STEP = 90.0


def generate(n_nodes: int = 130_000, seed: int = 1, layout: bool = False) -> dict:
    """A v1 graph dict of about ``n_nodes`` nodes (at least a handful)."""
    rng = random.Random(seed)
    n_inputs = max(2, round(n_nodes * INPUT_SHARE))
    n_ops = max(1, round(n_nodes * OP_SHARE))
    nodes: list[dict] = []
    edges: list[dict] = []
    inputs = [f"x{i}" for i in range(n_inputs)]
    for node_id in inputs:
        nodes.append({"id": node_id, "op": "input", "value": round(rng.uniform(-1, 1), 6)})

    consumed: set[str] = set()
    recent: list[str] = []  # non-input nodes, in creation order
    for i in range(n_ops):
        node_id = f"n{i}"
        if recent:
            a = recent[-WINDOW:][rng.randrange(min(WINDOW, len(recent)))]
        else:
            a = rng.choice(inputs)
        consumed.add(a)
        if rng.random() < SCALE_SHARE:
            nodes.append({"id": node_id, "op": "scale", "factor": round(rng.uniform(-1, 1), 6)})
            edges.append({"from": a, "to": node_id, "port": 0})
        else:
            op = "add" if rng.random() < 0.5 else "multiply"
            b = rng.choice(inputs)
            consumed.add(b)
            pa = rng.randrange(2)
            nodes.append({"id": node_id, "op": op})
            edges.append({"from": a, "to": node_id, "port": pa})
            edges.append({"from": b, "to": node_id, "port": 1 - pa})
        recent.append(node_id)

    sinks = [n["id"] for n in nodes if n["id"] not in consumed]
    k = 0
    while len(sinks) > 1:  # a balanced tree of adds, level by level
        level = []
        for j in range(0, len(sinks) - 1, 2):
            node_id = f"s{k}"
            k += 1
            nodes.append({"id": node_id, "op": "add"})
            edges.append({"from": sinks[j], "to": node_id, "port": 0})
            edges.append({"from": sinks[j + 1], "to": node_id, "port": 1})
            level.append(node_id)
        if len(sinks) % 2:
            level.append(sinks[-1])
        sinks = level
    doc = {"format": "gradstudio", "version": 1, "output": sinks[0],
           "nodes": nodes, "edges": edges}
    if layout:
        lay_out(doc)
    return doc


def lay_out(doc: dict) -> None:
    """Left to right: an op sits one column right of its deepest non-input source;
    an input sits one column left of its first consumer; rows stack per column."""
    is_input = {n["id"]: n["op"] == "input" for n in doc["nodes"]}
    into: dict[str, list[str]] = {}
    for e in doc["edges"]:
        into.setdefault(e["to"], []).append(e["from"])
    column: dict[str, int] = {}
    for node in doc["nodes"]:  # nodes are listed in topological order
        node_id = node["id"]
        if is_input[node_id]:
            continue
        column[node_id] = 1 + max((column[s] for s in into.get(node_id, ())
                                   if not is_input[s]), default=0)
        for s in into.get(node_id, ()):
            if is_input[s]:
                column[s] = min(column.get(s, column[node_id] - 1), column[node_id] - 1)
    rows: dict[int, int] = {}
    for node in doc["nodes"]:
        c = column.get(node["id"], 0)  # an input that feeds nothing goes first
        row = rows.get(c, 0)
        rows[c] = row + 1
        node["x"] = c * COLUMN_STEP
        node["y"] = row * ROW_STEP

if __name__ == "__main__":  # pragma: no cover
    import json
    import sys
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    doc = generate(n, layout=True)
    print(len(doc["nodes"]), "nodes", len(doc["edges"]), "edges", file=sys.stderr)
    json.dump(doc, sys.stdout)


def lattice(layers: int):
    """A GraphModel of two nodes a layer, each the sum of both nodes of the layer before:
    2^layers paths from x to J (the worst case for Sum over Paths)."""
    from gradstudio.core import GraphModel
    m = GraphModel()
    m.add_node("x", "input", params={"value": 1.0})
    m.add_node("y", "input", params={"value": 1.0})
    prev = ("x", "y")
    for k in range(layers):
        pair = (f"l{k}", f"r{k}")
        for node in pair:
            m.add_node(node, "add")
            m.connect(prev[0], node, 0)
            m.connect(prev[1], node, 1)
        prev = pair
    m.add_node("J", "multiply")
    m.connect(prev[0], "J", 0)
    m.connect(prev[1], "J", 1)
    return m
