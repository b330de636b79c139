"""Placing annotation chips so they sit on no wire, no node and no other chip.

Greedy: each chip tries spots along its wire, nearest the middle first, and
takes the first that touches nothing already there (or the least bad one).
A coarse grid keeps the collision look-ups local on big graphs, and numpy
tests all of one chip's spots at once.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from PySide6.QtCore import QRectF

SPOTS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.1, 0.9)
GAPS = (5.0, 14.0, 26.0, 40.0, 56.0)
# Where the chip sits against its anchor point on the wire: centred over it, or
# off to one side (beside a steep wire the room is above-right or above-left).
ALIGNS = (0.5, 0.0, 1.0)
CELL = 160.0
# A chip grown by this much holds a sample of any wire whose 7 px stroke touches it:
# half the stroke, plus half the distance between samples, plus a hair.
WIRE_MARGIN = 3.5 + 4.0 / 2 + 0.01
MAX_SEARCHED_CHIPS = 600
# Exact wire tests one chip may spend on spots that clear nodes and chips before it
# settles for the least bad spot seen: bounds the work where the canvas is crowded.
MAX_EXACT_TESTS = 100


class _Grid:
    """Rectangles already on the canvas (nodes, wires, chips), in coarse cells.

    Kept as numpy columns so one chip's candidate spots are tested against all
    the rectangles near it at once.
    """

    WEIGHTS = {"node": 10.0, "chip": 5.0, "wire": 3.0}

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list] = defaultdict(list)
        self.n = 0
        self.boxes = np.empty((256, 4))  # left, top, right, bottom
        self.weight = np.empty(256)
        self.samples: list = []  # the wire's sample points for a wire, else None

    def add(self, rect: QRectF, kind: str, obj) -> None:
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        i = self.n
        if i == len(self.weight):
            self.boxes = np.concatenate([self.boxes, np.empty_like(self.boxes)])
            self.weight = np.concatenate([self.weight, np.empty_like(self.weight)])
        self.boxes[i] = (left, top, right, bottom)
        self.weight[i] = self.WEIGHTS[kind]
        self.samples.append(obj.samples() if kind == "wire" else None)
        self.n = i + 1
        cells = self.cells
        for x in range(int(left // CELL), int(right // CELL) + 1):
            for y in range(int(top // CELL), int(bottom // CELL) + 1):
                cells[x, y].append(i)

    def near(self, left: float, top: float, right: float, bottom: float) -> np.ndarray:
        """Indices of the rectangles sharing a cell with this box."""
        found: set[int] = set()
        cells = self.cells
        for x in range(int(left // CELL), int(right // CELL) + 1):
            for y in range(int(top // CELL), int(bottom // CELL) + 1):
                ids = cells.get((x, y))
                if ids:
                    found.update(ids)
        return np.fromiter(found, dtype=np.intp, count=len(found))


def place_labels(node_items, edge_items, only=None) -> None:
    """Place every wire's chips, or with ``only`` just those wires' (the rest stay put).

    A graph with more chips than MAX_SEARCHED_CHIPS is past reading label by label
    (it is shown zoomed out): its chips stay at their wires' middles, so Forward and
    Backward stay quick on big graphs.
    """
    edge_items = list(edge_items)
    todo = edge_items if only is None else list(only)
    if sum(bool(e.above.lines) + bool(e.below.lines) for e in todo) > MAX_SEARCHED_CHIPS:
        for edge in todo:
            edge.place_chips_default()
        return
    grid = _Grid()
    for node in node_items:
        grid.add(node.sceneBoundingRect(), "node", node)  # the "output" tag room too
    for edge in edge_items:
        grid.add(edge.sceneBoundingRect(), "wire", edge)
    if only is not None:
        moving = set(map(id, todo))
        for edge in edge_items:
            if id(edge) not in moving:
                for chip in (edge.above, edge.below):
                    if chip.lines:
                        grid.add(chip.sceneBoundingRect(), "chip", chip)
    for edge in todo:
        for chip, side in ((edge.above, -1.0), (edge.below, 1.0)):
            if not chip.lines:
                continue
            rect = _best_spot(grid, edge, chip, side)
            chip.setPos(rect.topLeft())
            grid.add(rect, "chip", chip)


_ALIGN = np.array(ALIGNS)[:, None, None]
_GAP = np.array(GAPS)[None, None, :]
# Sideways shift of a chip off its anchor: right of it, left of it, or none.
_SHIFT = np.where(_ALIGN == 0.0, _GAP, np.where(_ALIGN == 1.0, -_GAP, 0.0))
_SHAPE = (len(ALIGNS), len(SPOTS), len(GAPS))


def _best_spot(grid: _Grid, edge, chip, side: float) -> QRectF:
    """The first spot (aligns, then spots, then gaps) that touches nothing, else the
    least bad one (each collision costs, earlier spots win ties)."""
    w, h = chip.size()
    xs, ys = edge.spot_points(SPOTS)
    # Every candidate at once, flattened in the order they are tried.
    left = (xs[None, :, None] - w * _ALIGN + _SHIFT).ravel()
    y = ys[None, :, None]
    top = np.broadcast_to(y - _GAP - h if side < 0 else y + _GAP, _SHAPE).ravel()
    right, bottom = left + w, top + h
    ids = grid.near(left.min(), top.min(), right.max(), bottom.max())
    if not len(ids):
        return QRectF(float(left[0]), float(top[0]), w, h)
    box = grid.boxes[ids]
    # QRectF.intersects: the open rectangles overlap.
    hit = ((left[:, None] < box[:, 2]) & (box[:, 0] < right[:, None])
           & (top[:, None] < box[:, 3]) & (box[:, 1] < bottom[:, None]))
    weight = grid.weight[ids]
    wires = weight == 3.0
    fixed = hit[:, ~wires] @ weight[~wires]  # nodes and chips: overlap is collision
    wire_ids = ids[wires]
    wire_hit = hit[:, wires]  # a wire's box overlaps: the wire itself may or may not
    n_wire_hits = wire_hit.sum(axis=1)
    exact: dict[int, float] = {}
    if len(wire_ids):  # every nearby wire's samples in one array, tagged by wire
        samples = [grid.samples[j] for j in wire_ids.tolist()]
        points = np.concatenate(samples)
        owner = np.repeat(np.arange(len(samples)), [len(p) for p in samples])
        # Only points within reach of some spot can count: drop the rest once.
        m = WIRE_MARGIN
        px, py = points[:, 0], points[:, 1]
        keep = ((px > left.min() - m) & (px < right.max() + m)
                & (py > top.min() - m) & (py < bottom.max() + m))
        points, owner = points[keep], owner[keep]

    def cost(i: int) -> float:
        if i not in exact:
            c = float(fixed[i])
            if n_wire_hits[i]:
                x0, y0 = left[i] - WIRE_MARGIN, top[i] - WIRE_MARGIN
                x1, y1 = left[i] + w + WIRE_MARGIN, top[i] + h + WIRE_MARGIN
                near = wire_hit[i][owner]  # points of the wires whose box meets this spot
                px, py = points[near, 0], points[near, 1]
                inside = (px > x0) & (px < x1) & (py > y0) & (py < y1)
                c += 3 * len(np.unique(owner[near][inside]))
            exact[i] = c
        return exact[i]

    for i in np.flatnonzero(fixed == 0)[:MAX_EXACT_TESTS].tolist():
        if cost(i) == 0:
            return QRectF(float(left[i]), float(top[i]), w, h)
    # No free spot: the least cost, the rank (i + 1) breaking ties. ``fixed`` is a lower
    # bound of the cost, so candidates are visited cheapest-bound first until none can win.
    rank = np.arange(1, len(fixed) + 1) * 0.001
    bound = fixed + rank
    best, best_key = 0, None
    for i in np.argsort(bound, kind="stable")[:MAX_EXACT_TESTS].tolist():
        if best_key is not None and bound[i] >= best_key:
            break
        key = cost(i) + (i + 1) * 0.001
        if best_key is None or key < best_key:
            best, best_key = i, key
    return QRectF(float(left[best]), float(top[best]), w, h)
