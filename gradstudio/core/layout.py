"""Automatic layout, left to right, and the small geometry helpers of the canvas.

No Qt here: the window passes node sizes in, gets positions back and pushes
them as one undoable move.

The layout is a small Sugiyama:

1. **Layers** by longest path from the sources (``networkx.topological_generations``);
   an input is then pulled right to the column just before its first consumer, so
   a constant or a bias does not sit far left with a long wire.
2. **Order** inside each column by barycenter sweeps (down, then up, a few
   times), with a placeholder in every column a long wire crosses, keeping the
   order with the fewest crossings seen. A wire into port 0 counts as slightly
   above a wire into port 1, so ``u = b·c`` gets b above c.
3. **Rows**: each node is pulled toward the mean height of its neighbours,
   never closer than a row to the node above it (isotonic regression), and
   columns are as far apart as the widest node plus room for the edge labels.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from itertools import combinations

import networkx as nx

NODE_W, NODE_H = 140.0, 70.0  # a node box, when the caller does not know better
COLUMN_GAP = 160.0  # free room between columns, for the labels on the wires
MIN_COLUMN_DX = 300.0  # left edge to left edge, at least
ROW_DY = 150.0  # top edge to top edge in a column
WIRE_DY = 60.0  # room a long wire takes in a column it crosses
SWEEPS = 6
GRID = 20.0


def layers(model) -> dict[str, int]:
    """Column of every node: longest path from a source, inputs pulled right."""
    graph = model.graph
    layer: dict[str, int] = {}
    for i, generation in enumerate(nx.topological_generations(graph)):
        for node_id in generation:
            layer[node_id] = i
    for node_id in graph.nodes:
        if graph.in_degree(node_id) == 0 and graph.out_degree(node_id) > 0:
            layer[node_id] = min(layer[v] for v in graph.successors(node_id)) - 1
    return layer


def _port_offset(port: int, ports: int) -> float:
    """Where on a node a port sits, from -0.25 (top) to 0.25 (bottom)."""
    if ports <= 1:
        return 0.0
    return 0.5 * (port / (ports - 1) - 0.5)


class _Layered:
    """The graph cut into columns, long wires split by placeholder nodes."""

    def __init__(self, model, layer: dict[str, int]) -> None:
        self.layer = dict(layer)
        n_layers = max(layer.values(), default=-1) + 1
        self.columns: list[list] = [[] for _ in range(n_layers)]
        for node_id in model.graph.nodes:  # node order is the starting order
            self.columns[layer[node_id]].append(node_id)
        # segments between neighbouring columns: (upper end, lower end, port offset)
        self.segments: list[tuple[object, object, float]] = []
        self.dummies: set = set()
        for u, v, port in model.edges():
            offset = _port_offset(port, model.op_of(v).ports)
            prev = u
            for col in range(layer[u] + 1, layer[v]):
                dummy = ("wire", u, v, port, col)
                self.dummies.add(dummy)
                self.layer[dummy] = col
                self.columns[col].append(dummy)
                self.segments.append((prev, dummy, 0.0))
                prev = dummy
            self.segments.append((prev, v, offset))
        self.up: dict = {n: [] for n in self.layer}  # neighbours one column left
        self.down: dict = {n: [] for n in self.layer}  # neighbours one column right
        for a, b, offset in self.segments:
            self.up[b].append((a, offset))
            self.down[a].append((b, offset))

    def positions(self) -> dict:
        return {n: i for col in self.columns for i, n in enumerate(col)}

    def crossings(self) -> int:
        pos = self.positions()
        by_col: dict[int, list[tuple[float, float]]] = {}
        for a, b, offset in self.segments:
            by_col.setdefault(self.layer[a], []).append((pos[a], pos[b] + offset))
        return sum(_inversions(segs) for segs in by_col.values())

    def sweep(self, downward: bool) -> None:
        order = range(1, len(self.columns)) if downward else range(len(self.columns) - 2, -1, -1)
        pos = self.positions()
        for c in order:
            neighbours = self.up if downward else self.down
            keys = {}
            for n in self.columns[c]:
                near = neighbours[n]
                if near:
                    if downward:  # my port offset is on my side of the segment
                        keys[n] = sum(pos[a] - off for a, off in near) / len(near)
                    else:
                        keys[n] = sum(pos[b] + off for b, off in near) / len(near)
                else:
                    keys[n] = pos[n]
            self.columns[c].sort(key=keys.__getitem__)
            pos.update((n, i) for i, n in enumerate(self.columns[c]))


def _inversions(segs: list[tuple[float, float]]) -> int:
    """Pairs (a1, b1), (a2, b2) with a1 < a2 and b1 > b2: wires that cross."""
    segs = sorted(segs)
    seen: list[float] = []  # lower ends of the wires from earlier upper ends, sorted
    total, i = 0, 0
    while i < len(segs):
        j = i
        while j < len(segs) and segs[j][0] == segs[i][0]:
            j += 1
        group = [b for _a, b in segs[i:j]]
        for b in group:
            total += len(seen) - bisect_right(seen, b)
        for b in group:
            insort(seen, b)
        i = j
    return total


def _rows(lay: _Layered, sizes: dict, row_dy: float) -> dict:
    """A height for every node and placeholder: near its neighbours, rows apart."""
    def height(n):
        return WIRE_DY if n in lay.dummies else row_dy

    y: dict = {}
    for col in lay.columns:
        top = 0.0
        for n in col:
            y[n] = top
            top += height(n)
    # centre every column on the tallest
    tallest = max((sum(height(n) for n in col) for col in lay.columns), default=0.0)
    for col in lay.columns:
        shift = (tallest - sum(height(n) for n in col)) / 2
        for n in col:
            y[n] += shift

    def centre(n):
        return y[n] + (sizes.get(n, (NODE_W, NODE_H))[1] if n not in lay.dummies else 0.0) / 2

    for _round in range(4):
        for downward in (True, False):
            cols = lay.columns if downward else list(reversed(lay.columns))
            for col in cols:
                wants = []
                for n in col:
                    near = lay.up[n] if downward else lay.down[n]
                    if not near:
                        near = lay.down[n] if downward else lay.up[n]
                    if near:
                        mid = sum(centre(m) for m, _off in near) / len(near)
                        own = centre(n) - y[n]
                        wants.append(mid - own)
                    else:
                        wants.append(y[n])
                gaps = [0.0] + [(height(a) + height(b)) / 2 for a, b in zip(col, col[1:])]
                for n, value in zip(col, _spaced(wants, gaps)):
                    y[n] = value
    return y


def _spaced(wants: list[float], gaps: list[float]) -> list[float]:
    """Closest values to ``wants`` (least squares) with y[i] - y[i-1] >= gaps[i].

    With z[i] = y[i] - (gaps[1] + ... + gaps[i]) the constraint is z non-decreasing:
    isotonic regression, solved by pooling adjacent violators.
    """
    offsets, total = [], 0.0
    for g in gaps:
        total += g
        offsets.append(total)
    targets = [w - o for w, o in zip(wants, offsets)]
    blocks: list[list[float]] = []  # [mean, count]
    for t in targets:
        blocks.append([t, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, c2 = blocks.pop()
            m1, c1 = blocks.pop()
            blocks.append([(m1 * c1 + m2 * c2) / (c1 + c2), c1 + c2])
    z = [m for m, c in blocks for _ in range(c)]
    return [zi + o for zi, o in zip(z, offsets)]


def auto_layout(model, sizes: dict[str, tuple[float, float]] | None = None, *,
                row_dy: float = ROW_DY, column_gap: float = COLUMN_GAP,
                grid: float | None = GRID) -> dict[str, tuple[float, float]]:
    """Top-left corner of every node: columns left to right, few crossings, no overlaps.

    ``sizes`` gives (width, height) of nodes whose box is not 140×70. The result
    starts at (0, 0) and is snapped to ``grid`` (None: not snapped).
    """
    if len(model) == 0:
        return {}
    sizes = dict(sizes or {})
    lay = _Layered(model, layers(model))
    best = [list(c) for c in lay.columns]
    best_crossings = lay.crossings()
    for i in range(SWEEPS):
        if best_crossings == 0:
            break
        lay.sweep(downward=i % 2 == 0)
        count = lay.crossings()
        if count < best_crossings:
            best, best_crossings = [list(c) for c in lay.columns], count
    lay.columns = best
    tallest_node = max((sizes.get(n, (NODE_W, NODE_H))[1] for n in model.graph.nodes),
                       default=NODE_H)
    y = _rows(lay, sizes, max(row_dy, tallest_node + 40.0))

    xs, x = [], 0.0
    for col in lay.columns:
        xs.append(x)
        widest = max((sizes.get(n, (NODE_W, NODE_H))[0] for n in col if n not in lay.dummies),
                     default=0.0)
        x += max(MIN_COLUMN_DX, widest + column_gap)
    top = min(y[n] for n in model.graph.nodes)
    result = {}
    for n in model.graph.nodes:
        px, py = xs[lay.layer[n]], y[n] - top
        if grid:
            px, py = snap(px, grid), snap(py, grid)
        result[n] = (px, py)
    return result


def apply_layout(model, positions: dict[str, tuple[float, float]]) -> None:
    for node_id, (x, y) in positions.items():
        model.move_node(node_id, x, y)


# ------------------------------------------------------------------ geometry
def snap(value: float, grid: float = GRID) -> float:
    """The nearest multiple of ``grid`` (as an int when it is a whole number)."""
    snapped = round(value / grid) * grid
    return int(snapped) if float(snapped).is_integer() else snapped


def snap_point(x: float, y: float, grid: float = GRID) -> tuple[float, float]:
    return snap(x, grid), snap(y, grid)


def aligned(positions: dict[str, tuple[float, float]], edge: str) -> dict[str, tuple]:
    """New positions lining up the nodes' left edges ("left") or top edges ("top")."""
    if not positions:
        return {}
    if edge == "left":
        left = min(x for x, _ in positions.values())
        return {n: (left, y) for n, (x, y) in positions.items()}
    if edge == "top":
        top = min(y for _, y in positions.values())
        return {n: (x, top) for n, (x, y) in positions.items()}
    raise ValueError(f"align: unknown edge {edge!r} (left or top)")


def _segment(model, positions, sizes, edge):
    u, v, port = edge
    (ux, uy), (vx, vy) = positions[u], positions[v]
    uw, uh = sizes.get(u, (NODE_W, NODE_H))
    _vw, vh = sizes.get(v, (NODE_W, NODE_H))
    ports = model.op_of(v).ports
    return (ux + uw, uy + uh / 2), (vx, vy + vh * (port + 1) / (ports + 1))


def _cross(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (value > 1e-9) - (value < -1e-9)
    return (orient(p1, p2, p3) * orient(p1, p2, p4) < 0
            and orient(p3, p4, p1) * orient(p3, p4, p2) < 0)


def count_crossings(model, positions: dict[str, tuple[float, float]],
                    sizes: dict[str, tuple[float, float]] | None = None) -> int:
    """Pairs of wires (drawn straight, output port to input port) that cross."""
    sizes = sizes or {}
    segs = [(e, _segment(model, positions, sizes, e)) for e in model.edges()]
    total = 0
    for (e1, s1), (e2, s2) in combinations(segs, 2):
        if {e1[0], e1[1]} & {e2[0], e2[1]}:
            continue  # wires sharing a node meet there; that is not a crossing
        if _cross(*s1, *s2):
            total += 1
    return total


def overlapping(positions: dict[str, tuple[float, float]],
                sizes: dict[str, tuple[float, float]] | None = None) -> list[tuple[str, str]]:
    """Pairs of node boxes that overlap."""
    sizes = sizes or {}
    boxes = [(n, x, y, *sizes.get(n, (NODE_W, NODE_H))) for n, (x, y) in positions.items()]
    pairs = []
    for (a, ax, ay, aw, ah), (b, bx, by, bw, bh) in combinations(boxes, 2):
        if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
            pairs.append((a, b))
    return pairs
