"""The greedy search: each chip tries spots beside its wire, nearest the middle
first, and takes the first that touches nothing, else the one that hides least.

It places chips where the on-wire placer cannot (a graph far out, at 1e20), and
prices spots for the local re-placement after a step on a big graph (``local``).
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
from PySide6.QtCore import QRectF

from gradstudio.core.wirecurve import handles
from gradstudio.ui.canvas.items.edge import EdgeItem
from gradstudio.ui.canvas.labels.constants import (ALIGNS, BLOCK, CELL, CHIP_COST, GAPS, NODE_COST,
                                                   RUN, SPOTS, WIRE_COST, WIRE_MARGIN)


class Grid:
    """Rectangles already on the canvas (nodes, wires, chips), in coarse cells.

    Kept as numpy columns so one chip's candidate spots are tested against all
    the rectangles near it at once.
    """

    WEIGHTS = {"node": NODE_COST, "chip": CHIP_COST, "wire": WIRE_COST}

    def __init__(self) -> None:
        self.cells: dict[tuple[int, int], list] = defaultdict(list)
        self.n = 0
        self.boxes = np.empty((256, 4))  # left, top, right, bottom
        self.weight = np.empty(256)
        self.wires: list = []  # the EdgeItem for a wire, else None
        # Rectangles over more than MOST_CELLS cells (a wire to a node at x = 1e20):
        # near every box, rather than written into cells one by one (for ever).
        self.wide: list[int] = []

    MOST_CELLS = 4096

    def add(self, rect: QRectF, kind: str, obj) -> None:
        left, top, right, bottom = rect.left(), rect.top(), rect.right(), rect.bottom()
        i = self.n
        if i == len(self.weight):
            self.boxes = np.concatenate([self.boxes, np.empty_like(self.boxes)])
            self.weight = np.concatenate([self.weight, np.empty_like(self.weight)])
        self.boxes[i] = (left, top, right, bottom)
        self.weight[i] = self.WEIGHTS[kind]
        self.wires.append(obj if kind == "wire" else None)
        self.n = i + 1
        if not self._few_cells(left, top, right, bottom):
            self.wide.append(i)
            return
        cells = self.cells
        for x in range(int(left // CELL), int(right // CELL) + 1):
            for y in range(int(top // CELL), int(bottom // CELL) + 1):
                cells[x, y].append(i)

    def near(self, left: float, top: float, right: float, bottom: float) -> np.ndarray:
        """Indices of the rectangles sharing a cell with this box (or more: all of
        them, for a box over too many cells)."""
        if not self._few_cells(left, top, right, bottom):
            return np.arange(self.n, dtype=np.intp)
        found: set[int] = set(self.wide)
        cells = self.cells
        for x in range(int(left // CELL), int(right // CELL) + 1):
            for y in range(int(top // CELL), int(bottom // CELL) + 1):
                ids = cells.get((x, y))
                if ids:
                    found.update(ids)
        return np.fromiter(found, dtype=np.intp, count=len(found))

    def _few_cells(self, left: float, top: float, right: float, bottom: float) -> bool:
        across, down = (right - left) / CELL + 2, (bottom - top) / CELL + 2
        return across * down <= self.MOST_CELLS  # False when not finite too



def place_searched(node_items, edge_items, placed: dict) -> None:
    """Place every chip of these wires by the greedy search, one after another,
    each in the way of the next; ``placed`` notes each chip's spot and cost."""
    grid = Grid()
    for node in node_items:
        grid.add(node.sceneBoundingRect(), "node", node)  # the "output" tag room too
    for edge in edge_items:
        grid.add(edge.sceneBoundingRect(), "wire", edge)
    for edge in edge_items:
        for chip, side in ((edge.above, -1.0), (edge.below, 1.0)):
            if not chip.lines:
                continue
            rect = _best_spot(grid, edge, chip, side, placed)
            chip.setPos(rect.topLeft())
            chip.spot = None
            chip.set_leader(None)
            grid.add(rect, "chip", chip)


def _best_spot(grid: Grid, edge, chip, side: float, placed: dict) -> QRectF:
    """The first spot (aligns, then spots, then gaps) that touches nothing, else the
    least bad one (see ``cheapest``)."""
    left, top, w, h = candidates(edge, chip, side)
    ids = grid.near(left.min(), top.min(), left.max() + w, top.max() + h)
    weight = grid.weight[ids]
    wires = weight == WIRE_COST
    near_wires = Curves([grid.wires[j] for j in ids[wires].tolist()])
    i, cost = cheapest(left, top, w, h, grid.boxes[ids[~wires]], weight[~wires], near_wires)
    placed[chip] = (i, cost)
    return QRectF(float(left[i]), float(top[i]), w, h)


def box_of(x0, y0, x1, y1) -> QRectF:
    return QRectF(float(x0), float(y0), float(x1 - x0), float(y1 - y0))


def area(rect: QRectF) -> float:
    return rect.width() * rect.height()


_ALIGN = np.array(ALIGNS)[:, None, None]
_GAP = np.array(GAPS)[None, None, :]
# Sideways shift of a chip off its anchor: right of it, left of it, or none.
_SHIFT = np.where(_ALIGN == 0.0, _GAP, np.where(_ALIGN == 1.0, -_GAP, 0.0))
_SHAPE = (len(ALIGNS), len(SPOTS), len(GAPS))
# The candidates of each spot along the wire (every align and gap), by flat index.
BY_SPOT = np.arange(np.prod(_SHAPE)).reshape(_SHAPE).transpose(1, 0, 2).reshape(len(SPOTS), -1)


def candidates(edge, chip, side: float):
    """Left and top of every spot a chip may take, flattened in the order they are
    tried (aligns, then spots, then gaps), and the chip's width and height."""
    w, h = chip.size()
    xs, ys = edge.spot_points(SPOTS)
    left = (xs[None, :, None] - w * _ALIGN + _SHIFT).ravel()
    y = ys[None, :, None]
    top = np.broadcast_to(y - _GAP - h if side < 0 else y + _GAP, _SHAPE).ravel()
    return left, top, w, h


def cheapest(left, top, w: float, h: float, boxes, weights, curves) -> tuple[int, tuple]:
    """Index of the first candidate that touches nothing, else of the least bad one,
    and its cost: the weight of nodes and chips it overlaps, and how many wires.

    Nodes and chips (``boxes``: left, top, right, bottom, each with its weight)
    come first: only the candidates that overlap the least of them are tested
    against the wires (``curves``), and of those the first that comes within
    WIRE_MARGIN of the fewest wins. So a free spot wins when there is one; where
    every spot is crowded, the chip hides as little as it can of other texts.
    """
    right, bottom = left + w, top + h
    fixed = np.zeros(len(left))
    if len(boxes):  # only those near some candidate can overlap one
        near = ((boxes[:, 0] < right.max()) & (boxes[:, 2] > left.min())
                & (boxes[:, 1] < bottom.max()) & (boxes[:, 3] > top.min()))
        boxes, weights = boxes[near], weights[near]
    if len(boxes):  # QRectF.intersects: the open rectangles overlap
        hit = ((left[:, None] < boxes[:, 2]) & (boxes[:, 0] < right[:, None])
               & (top[:, None] < boxes[:, 3]) & (boxes[:, 1] < bottom[:, None]))
        fixed = hit @ weights
    among = np.flatnonzero(fixed == fixed.min())
    if not (curves.n or curves.odd):
        return int(among[0]), (float(fixed.min()), 0)
    m = WIRE_MARGIN
    i, count = _fewest_wires(left - m, top - m, right + m, bottom + m, among, curves)
    return i, (float(fixed.min()), count)


def _fewest_wires(x0, y0, x1, y1, among, curves) -> tuple[int, int]:
    """Of the candidates ``among`` (indices, in order), the first that the fewest
    wires (``curves``) have a sample strictly inside, and how many (candidate boxes
    x0, y0, x1, y1 are grown by WIRE_MARGIN).

    The samples are EdgeItem.samples' points, worked out here for all the wires at
    once and only where they can matter. The candidates are taken a spot along the
    wire at a time (its aligns and gaps lie close together): a wire, then each
    stretch of BLOCK samples of it, then each run of RUN samples, is kept only if
    the hull of its part of the curve meets the box around some spot's candidates,
    and each spot's candidates are tested against the samples of the runs near it.
    Spots are visited in the order of their first candidate, and once a candidate
    near no wire is found, the spots that come after it are not looked at.
    """
    spot_of = (among // len(GAPS)) % len(SPOTS)
    spots = list(dict.fromkeys(spot_of.tolist()))  # in the order of their first candidate
    groups = [among[spot_of == s] for s in spots]
    gx0 = np.array([x0[c].min() for c in groups])
    gy0 = np.array([y0[c].min() for c in groups])
    gx1 = np.array([x1[c].max() for c in groups])
    gy1 = np.array([y1[c].max() for c in groups])
    counts = np.zeros(len(x0))
    for edge in curves.odd:  # far off or huge: as the wire itself samples it
        p = edge.samples()
        px, py = p[:, 0:1], p[:, 1:2]
        counts[among] += ((px > x0[among]) & (px < x1[among])
                          & (py > y0[among]) & (py < y1[among])).any(axis=0)
    # Whole wires, then their blocks (both worked out once for all the chips placed
    # among these wires), then the runs of the blocks kept.
    wire, first, last, *box = curves.wholes()
    for size in (BLOCK, RUN, None):
        meets = ((box[0][:, None] < gx1) & (box[2][:, None] > gx0)
                 & (box[1][:, None] < gy1) & (box[3][:, None] > gy0))  # (stretches, spots)
        near = meets.any(axis=1)
        wire, first, last, meets = wire[near], first[near], last[near], meets[near]
        if size is None or not len(wire):
            break
        if size == BLOCK:
            blocks = curves.blocks()
            kept = np.zeros(curves.n, bool)
            kept[wire] = True
            kept = kept[blocks[0]]
            wire, first, last, *box = (a[kept] for a in blocks)
        else:
            wire, first, last = split(wire, first, last, size)
            box = curves.hull(wire, first, last)
    best, fewest = None, np.inf
    samples = None  # of every run kept, made once when first needed: (x, y, wire, run)
    for k, group in enumerate(groups):
        if fewest == 0 and group[0] > best:
            break  # a later candidate cannot beat one near no wire
        if meets[:, k].any():
            if samples is None:
                samples = curves.samples(wire, first, last)
            px, py, owner, run = samples
            inside = np.flatnonzero(meets[run, k] & (px > gx0[k]) & (px < gx1[k])
                                    & (py > gy0[k]) & (py < gy1[k]))
            if len(inside):
                sx, sy, owner = px[inside, None], py[inside, None], owner[inside]
                hit = ((sx > x0[group]) & (sx < x1[group])
                       & (sy > y0[group]) & (sy < y1[group]))  # (samples, candidates)
                wire_starts = np.concatenate(([True], owner[1:] != owner[:-1]))
                starts = np.flatnonzero(wire_starts)
                counts[group] += np.logical_or.reduceat(hit, starts, axis=0).sum(axis=0)
        j = int(np.argmin(counts[group]))
        if (counts[group[j]], group[j]) < (fewest, best if best is not None else len(x0)):
            best, fewest = int(group[j]), counts[group[j]]
    return best, int(fewest)


def split(wire, first, last, size: int):
    """Cut each stretch of samples (first to last of a wire) into pieces of ``size``."""
    pieces = (last - first) // size + 1
    starts = np.cumsum(pieces) - pieces
    nth = np.arange(int(pieces.sum())) - np.repeat(starts, pieces)
    first = np.repeat(first, pieces) + size * nth
    last = np.minimum(first + (size - 1), np.repeat(last, pieces))
    return np.repeat(wire, pieces), first, last


class Curves:
    """Wires as the cubics EdgeItem draws (see ``wire_path``), all at once in numpy.

    Sample i of a wire with n samples lies at t = i / (n - 1), n chosen as
    ``EdgeItem.samples`` chooses it: the same points, made only where needed.
    """

    def __init__(self, wires) -> None:
        ends = np.array([w._ends for w in wires], dtype=float).reshape(-1, 4)
        with np.errstate(all="ignore"):
            sx, sy, ex, ey = ends.T
            dx = handles(sx, ex)
            polygon = 2 * dx + np.hypot(ex - dx - (sx + dx), ey - sy)
        ok = np.isfinite(polygon) & (polygon <= 1e7)
        self.odd = [w for w, good in zip(wires, ok.tolist()) if not good]
        if not ok.all():
            sx, sy, ex, ey, dx, polygon = (a[ok] for a in (sx, sy, ex, ey, dx, polygon))
        self.n = len(sx)
        # Control points: (sx, sy), (sx + dx, sy), (ex - dx, ey), (ex, ey).
        self.cx = np.stack([sx, sx + dx, ex - dx, ex])
        self.cy = np.stack([sy, sy, ey, ey])
        self.count = np.maximum(2, np.ceil(polygon / EdgeItem.SAMPLE_STEP).astype(np.int64) + 1)
        self._wholes = self._blocks = None

    def wholes(self):
        """Each wire as one stretch (wire, first, last) and the box of its hull."""
        if self._wholes is None:
            stretch = np.arange(self.n), np.zeros(self.n, np.int64), self.count - 1
            self._wholes = (*stretch, *self.hull(*stretch))
        return self._wholes

    def blocks(self):
        """Each wire cut in stretches of BLOCK samples, and the boxes of their hulls."""
        if self._blocks is None:
            stretch = split(*self.wholes()[:3], BLOCK)
            self._blocks = (*stretch, *self.hull(*stretch))
        return self._blocks

    def _at(self, wire, t):
        """x, dx/dt, y, dy/dt of the given wires at the given t."""
        m = 1.0 - t
        b = (m * m * m, 3 * m * m * t, 3 * m * t * t, t * t * t)
        d = (m * m, 2 * m * t, t * t)
        out = []
        for c in (self.cx, self.cy):
            c0, c1, c2, c3 = c[0, wire], c[1, wire], c[2, wire], c[3, wire]
            out.append(b[0] * c0 + b[1] * c1 + b[2] * c2 + b[3] * c3)
            out.append(3 * (d[0] * (c1 - c0) + d[1] * (c2 - c1) + d[2] * (c3 - c2)))
        return out

    def hull(self, wire, first, last):
        """Box of the control points of each wire's stretch from sample ``first`` to
        ``last``: the stretch, and so every sample on it, lies inside."""
        span = self.count[wire] - 1
        ta, tb = first / span, last / span
        x_a, vx_a, y_a, vy_a = self._at(wire, ta)
        x_b, vx_b, y_b, vy_b = self._at(wire, tb)
        third = (tb - ta) / 3
        xs = (x_a, x_a + third * vx_a, x_b - third * vx_b, x_b)
        ys = (y_a, y_a + third * vy_a, y_b - third * vy_b, y_b)
        return (np.minimum.reduce(xs), np.minimum.reduce(ys),
                np.maximum.reduce(xs), np.maximum.reduce(ys))

    def samples(self, wire, first, last):
        """x, y, wire and stretch of the samples of these stretches (each at most RUN
        long)."""
        index = first[:, None] + np.arange(RUN)
        valid = index <= last[:, None]
        wires = np.broadcast_to(wire[:, None], index.shape)[valid]
        t = index[valid] / (self.count[wires] - 1)
        m = 1.0 - t
        b0, b1, b2, b3 = m * m * m, 3 * m * m * t, 3 * m * t * t, t * t * t
        cx, cy = self.cx, self.cy
        xs = b0 * cx[0, wires] + b1 * cx[1, wires] + b2 * cx[2, wires] + b3 * cx[3, wires]
        ys = (b0 + b1) * cy[0, wires] + (b2 + b3) * cy[3, wires]
        return xs, ys, wires, np.nonzero(valid)[0]
