"""Placing annotation chips so they sit on no wire, no node and no other chip.

Greedy: each chip tries spots along its wire, nearest the middle first, and
takes the first that touches nothing already there (or the least bad one).
A coarse grid keeps the collision look-ups local on big graphs.
"""

from __future__ import annotations

from collections import defaultdict

from PySide6.QtCore import QRectF

SPOTS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.1, 0.9)
GAPS = (5.0, 14.0, 26.0, 40.0, 56.0)
# Where the chip sits against its anchor point on the wire: centred over it, or
# off to one side (beside a steep wire the room is above-right or above-left).
ALIGNS = (0.5, 0.0, 1.0)
CELL = 160.0


class _Grid:
    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list] = defaultdict(list)

    def _keys(self, rect: QRectF):
        x0, x1 = int(rect.left() // CELL), int(rect.right() // CELL)
        y0, y1 = int(rect.top() // CELL), int(rect.bottom() // CELL)
        for i in range(x0, x1 + 1):
            for j in range(y0, y1 + 1):
                yield i, j

    def add(self, rect: QRectF, kind: str, obj) -> None:
        entry = (rect, kind, obj)
        for key in self._keys(rect):
            self.cells[key].append(entry)

    def near(self, rect: QRectF):
        seen = set()
        for key in self._keys(rect):
            for entry in self.cells.get(key, ()):
                if id(entry) not in seen:
                    seen.add(id(entry))
                    yield entry


def place_labels(node_items, edge_items) -> None:
    grid = _Grid()
    for node in node_items:
        grid.add(node.sceneBoundingRect().adjusted(0, 16, 0, 0), "node", node)
    for edge in edge_items:
        grid.add(edge.stroke.boundingRect(), "wire", edge)
    for edge in edge_items:
        for chip, side in ((edge.above, -1.0), (edge.below, 1.0)):
            if not chip.lines:
                continue
            rect = _best_spot(grid, edge, chip, side)
            chip.setPos(rect.topLeft())
            grid.add(rect, "chip", chip)


def _best_spot(grid: _Grid, edge, chip, side: float) -> QRectF:
    w, h = chip.size()
    path = edge.path()
    best, best_cost = None, None
    rank = 0
    for align in ALIGNS:
        for t in SPOTS:
            p = path.pointAtPercent(t)
            for gap in GAPS:
                top = p.y() - gap - h if side < 0 else p.y() + gap
                left = p.x() - w * align + (gap if align == 0.0 else -gap if align == 1.0 else 0)
                rect = QRectF(left, top, w, h)
                cost = _collisions(grid, rect)
                if cost == 0:
                    return rect
                rank += 1
                cost += rank * 0.001
                if best_cost is None or cost < best_cost:
                    best, best_cost = rect, cost
    return best


def _collisions(grid: _Grid, rect: QRectF) -> float:
    cost = 0.0
    for other, kind, obj in grid.near(rect):
        if not other.intersects(rect):
            continue
        if kind == "wire":
            if obj.stroke.intersects(rect):
                cost += 3
        elif kind == "node":
            cost += 10
        else:
            cost += 5
    return cost
