"""Pricing every spot of every chip at once: what covering nodes and wires costs.

Searching chip by chip (``labels._best_spot``) costs about a millisecond a chip,
nearly all of it numpy set-up on small arrays: a second on a 300-node graph. What
stays put while chips are placed (nodes, wires) is priced here for all the spots
of all the chips together, in a few dozen numpy calls:

- nodes: exact rectangle tests, counted through tables over the nodes' edges;
- wires: a summed-area table of the wires' samples on a RASTER px grid, so a
  spot counts the samples in the cells its box touches with four look-ups. A spot
  counted free is free (those cells hold its box); one within a cell of a wire
  may be counted crowded, so chips keep up to RASTER px more air from wires than
  the chip-by-chip test asks. Crowded spots compare by samples (how much wire
  they hide), not by how many wires.
"""

from __future__ import annotations

import numpy as np

from gradstudio.ui.labels import ALIGNS, GAPS, NODE_COST, SPOTS, WIRE_MARGIN

RASTER = 4.0
MAX_CELLS = 4_000_000  # a graph spread wider (past 8,000 x 8,000 px) is searched chip by chip

_A, _S, _G = len(ALIGNS), len(SPOTS), len(GAPS)
_ALIGN = np.array(ALIGNS)[None, :, None, None]
_GAP = np.array(GAPS)[None, None, None, :]
_SHIFT = np.where(_ALIGN == 0.0, _GAP, np.where(_ALIGN == 1.0, -_GAP, 0.0))


def candidates(curves, owner, side, size):
    """Left and top of every chip's spots: rows of (aligns x spots x gaps) in the
    order ``labels._candidates`` tries them, with the same arithmetic.

    ``curves``: the wires' cubics (``labels._Curves``); ``owner``: each chip's
    wire; ``side``: -1 above, 1 below; ``size``: rows of width, height.
    """
    (sx, sx_dx, ex_dx, ex), (sy, _, _, ey) = curves.cx, curves.cy  # as in wire_path
    t = np.asarray(SPOTS, dtype=float)[None, :]
    mt = 1.0 - t
    points = []
    for p1, p2, p3, p4 in ((sx, sx_dx, ex_dx, ex), (sy, sy, ey, ey)):
        p1, p2, p3, p4 = (p[owner, None] for p in (p1, p2, p3, p4))
        a, b, c = p1 * mt + p2 * t, p2 * mt + p3 * t, p3 * mt + p4 * t
        a, b = a * mt + b * t, b * mt + c * t
        points.append(a * mt + b * t)
    xs, ys = points[0][:, None, :, None], points[1][:, None, :, None]
    w, h = size[:, 0, None, None, None], size[:, 1, None, None, None]
    shape = (len(owner), _A, _S, _G)
    left = np.broadcast_to(xs - w * _ALIGN + _SHIFT, shape).reshape(len(owner), -1)
    above = side[:, None, None, None] < 0
    top = np.broadcast_to(np.where(above, ys - _GAP - h, ys + _GAP), shape)
    return left, top.reshape(len(owner), -1)


class Raster:
    """The wires' samples counted in RASTER px cells, as a summed-area table, over
    a box (the spots' boxes grown by WIRE_MARGIN, when made). The cells lie on
    multiples of RASTER, wherever the box is: a spot counts the same samples in
    any raster that holds it."""

    def __init__(self, curves, x0: float, y0: float, x1: float, y1: float) -> None:
        x0, y0 = x0 // RASTER * RASTER, y0 // RASTER * RASTER
        self.ox, self.oy = x0, y0
        self.nx = nx = int((x1 - x0) // RASTER) + 1
        self.ny = ny = int((y1 - y0) // RASTER) + 1
        px, py = _samples(curves)
        fx, fy = (px - x0) * (1 / RASTER), (py - y0) * (1 / RASTER)
        keep = (fx >= 0) & (fx < nx) & (fy >= 0) & (fy < ny)
        cells = fy[keep].astype(np.int64) * (nx + 1) + fx[keep].astype(np.int64)
        # A zero row and column in front: table[r, c] holds the samples in the cells
        # above row r and left of column c.
        table = np.bincount(cells + (nx + 2), minlength=(nx + 1) * (ny + 1)).astype(np.int32)
        table = table.reshape(ny + 1, nx + 1)
        np.cumsum(table, 0, out=table)
        np.cumsum(table, 1, out=table)
        self.flat = table.ravel()

    @classmethod
    def around(cls, curves, left, top, size):
        """A raster under all these spots, or None where it would take more than
        MAX_CELLS cells."""
        x0, y0, x1, y1 = _grown(left, top, size)
        x0, y0, x1, y1 = float(x0.min()), float(y0.min()), float(x1.max()), float(y1.max())
        if ((x1 - x0) // RASTER + 2) * ((y1 - y0) // RASTER + 2) > MAX_CELLS:
            return None
        return cls(curves, x0, y0, x1, y1)

    def holds(self, left, top, size) -> bool:
        x0, y0, x1, y1 = _grown(left, top, size)
        return bool(x0.min() >= self.ox and y0.min() >= self.oy
                    and (x1.max() - self.ox) // RASTER < self.nx
                    and (y1.max() - self.oy) // RASTER < self.ny)

    def samples(self, left, top, size) -> np.ndarray:
        """For every spot, the samples in the cells that its box, grown by
        WIRE_MARGIN, touches: 0 only where no sample is strictly inside the grown
        box. The spots must lie in the raster (``holds``)."""
        x0, y0, x1, y1 = _grown(left, top, size)
        nx, flat = self.nx, self.flat
        # Every box lies right of and below the origin: truncating is flooring.
        c0 = ((x0 - self.ox) * (1 / RASTER)).astype(np.int64)
        c1 = ((x1 - self.ox) * (1 / RASTER)).astype(np.int64) + 1
        r0 = ((y0 - self.oy) * (1 / RASTER)).astype(np.int64) * (nx + 1)
        r1 = ((y1 - self.oy) * (1 / RASTER)).astype(np.int64) * (nx + 1) + (nx + 1)
        return flat[r1 + c1] - flat[r0 + c1] - flat[r1 + c0] + flat[r0 + c0]


def _grown(left, top, size):
    m = WIRE_MARGIN
    return left - m, top - m, left + size[:, :1] + m, top + size[:, 1:] + m


def _samples(curves):
    """x and y of every wire's samples (as ``EdgeItem.samples``, to 1e-9 px)."""
    count = curves.count
    # The cubic in power form, per wire: x = a + t(b + t(c + t d)); y eases from
    # its start to its end as 3t^2 - 2t^3 (its control points share ys pairwise).
    (x_0, x_1, x_2, x_3), (y_0, _, _, y_3) = curves.cx, curves.cy
    t = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    t = t * np.repeat(1.0 / (count - 1), count)
    px = np.repeat(x_3 - x_0 + 3 * (x_1 - x_2), count)
    for c in (3 * (x_0 - 2 * x_1 + x_2), 3 * (x_1 - x_0), x_0):
        px *= t
        px += np.repeat(c, count)
    py = np.repeat(y_3 - y_0, count) * (t * t * (3 - 2 * t)) + np.repeat(y_0, count)
    return px, py


def node_weights(nodes: np.ndarray, left, top, size) -> np.ndarray:
    """NODE_COST for every node each spot overlaps (open rectangles, as QRectF);
    ``nodes``: rows of left, top, right, bottom.

    Counted without pairing spots with nodes: a node misses a box when it ends
    before it or starts after it, across or down, so the nodes a box meets are all
    of them, less those that miss it across, less those that miss it down, plus
    those that miss it both ways (taken away twice), each count a look-up in a
    table over the nodes' edges. A spot's top does not depend on its align: the
    look-ups down are made once for the three aligns, and broadcast.
    """
    if not len(nodes):
        return np.zeros(left.shape)
    by_spot = (len(left), _A, _S, _G)
    xl = left.reshape(by_spot)
    yt = top.reshape(by_spot)[:, :1, :, :]
    w, h = size[:, 0, None, None, None], size[:, 1, None, None, None]
    # The node misses the box where the node's edge <= the box's edge.
    across = (_ranks(nodes[:, 2], xl), _ranks(-nodes[:, 0], -(xl + w)))  # before, after
    down = (_ranks(nodes[:, 3], yt), _ranks(-nodes[:, 1], -(yt + h)))  # above, below
    meet = len(nodes)
    for i, (x_node, x_box, nx) in enumerate(across):
        for j, (y_node, y_box, ny) in enumerate(down):
            table = np.zeros((nx + 1, ny + 1), np.int32)
            np.add.at(table, (x_node + 1, y_node + 1), 1)
            np.cumsum(table, 0, out=table)
            np.cumsum(table, 1, out=table)
            if j == 0:
                meet = meet - table[x_box, -1]  # missed across
            if i == 0:
                meet = meet - table[-1, y_box]  # missed down
            meet = meet + table.ravel()[x_box * (ny + 1) + y_box]  # missed both ways
    return (meet * NODE_COST).reshape(left.shape)


def _ranks(edges: np.ndarray, box: np.ndarray):
    """The rank of each node edge among their distinct values, how many of those
    are <= each box edge, and how many there are."""
    values = np.unique(edges)
    return np.searchsorted(values, edges), _count_at_most(values, box), len(values)


def _count_at_most(values: np.ndarray, box: np.ndarray) -> np.ndarray:
    """``np.searchsorted(values, box, "right")``, some three times as quick on many
    boxes: a table per pixel says how many values lie before it, and the few
    values inside a box's pixel are compared one by one."""
    floor = np.floor(box)
    low = floor.min()
    n = int(floor.max() - low) + 1
    if n > 1 << 16:
        return np.searchsorted(values, box, "right")
    before = np.searchsorted(values, low + np.arange(n + 1), "left")
    most = int(np.diff(before).max())
    if most > 8:
        return np.searchsorted(values, box, "right")
    pixel = (floor - low).astype(np.int64)
    count, end = before[pixel], before[pixel + 1]
    last = len(values) - 1
    for _ in range(most):
        count += (count < end) & (values[np.minimum(count, last)] <= box)
    return count
