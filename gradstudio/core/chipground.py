"""The ground chips are placed on: nodes and wires on a raster, counted in any box
with four look-ups in summed-area tables (``chipplace`` asks it where a chip would
touch a node or another wire)."""

from __future__ import annotations

import numpy as np

from gradstudio.core.wirecurve import samples

NODE_AIR = 6.0  # px from a chip to a node box (its ports stick out 5 px)
STEP = 2.0  # px between two wire samples
CELL = 2.0  # px, the raster's finest cell
# The raster's cells at most: a wider graph gets bigger cells (more air around its chips,
# the same time to make). A graph of few chips can afford a finer one.
MAX_CELLS, FEW_CHIPS, FEW_CHIPS_CELLS = 160_000, 200, 250_000


class Ground:
    """What stays put while chips are placed: nodes and wires, on a raster whose
    summed-area tables count them in any box with four look-ups.

    Each sample of a wire counts in its cell, with its wire's number (from 1) and
    the number's square summed too: a box holds one wire alone exactly when
    count × Σ number² = (Σ number)², and then that wire is Σ number / count.
    """

    def __init__(self, nodes: np.ndarray, ctrl: np.ndarray, extent, clear: float,
                 most_cells: int = MAX_CELLS) -> None:
        self.clear = clear  # how far other wires keep from a chip
        x0, y0, x1, y1 = extent
        cell = max(CELL, float(np.sqrt((x1 - x0) * (y1 - y0) / most_cells)))
        self.cell, self.ox, self.oy = cell, x0, y0
        self.dtype = np.int32 if len(ctrl) <= 1000 else np.int64
        self.nx, self.ny = nx, ny = int((x1 - x0) // cell) + 2, int((y1 - y0) // cell) + 2
        # Samples closer than a cell apart mark every cell a wire passes through.
        sx, sy, owner = samples(ctrl, max(STEP, 0.7 * cell))
        inside = (sx >= x0) & (sx <= x1) & (sy >= y0) & (sy <= y1)
        ci, cj = self.cells(sx[inside], sy[inside])
        where = cj * nx + ci
        number = (owner[inside] + 1).astype(self.dtype)
        size = ny * nx
        self.count = self._table(np.bincount(where, minlength=size))
        # (Summed in the tables' type: np.add.at is fast when the two agree.)
        self.sum1 = self._table(self._summed(where, number, size))
        self.sum2 = self._table(self._summed(where, number * number, size))
        # Nodes, grown by NODE_AIR, each filling its cells (a slice each: a graph placed
        # this way has at most a few thousand).
        covered = np.zeros((ny, nx), dtype=bool)
        i0, j0 = self.cells(nodes[:, 0] - NODE_AIR, nodes[:, 1] - NODE_AIR)
        i1, j1 = self.cells(nodes[:, 2] + NODE_AIR, nodes[:, 3] + NODE_AIR)
        for top, bottom, left, right in zip(j0.tolist(), (j1 + 1).tolist(), i0.tolist(),
                                            (i1 + 1).tolist()):
            covered[top:bottom, left:right] = True
        self.nodes = self._table(covered.ravel())

    def cells(self, x, y):
        """Column and row of each point, clipped to the grid. (Clipped first, then cut
        to whole cells: the same as flooring, much faster than ``//`` on floats.)"""
        inverse = 1.0 / self.cell
        fx = np.clip((np.asarray(x) - self.ox) * inverse, 0.0, self.nx - 1)
        fy = np.clip((np.asarray(y) - self.oy) * inverse, 0.0, self.ny - 1)
        return fx.astype(np.int64), fy.astype(np.int64)

    def _summed(self, where, values, size) -> np.ndarray:
        """Each cell's total of the values falling in it."""
        grid = np.zeros(size, dtype=self.dtype)
        np.add.at(grid, where, values)
        return grid

    def _table(self, flat) -> np.ndarray:
        """Summed-area table, in int32 where up to 1,000 wires keep every box's total
        of squares below 2**31 (a box holds a few hundred samples): the table's sums
        wrap past it, but a box's total (four entries added and taken away) still
        comes out right."""
        kind = self.dtype
        table = np.zeros((self.ny + 1, self.nx + 1), dtype=kind)
        grid = np.asarray(flat).astype(kind, copy=False).reshape(self.ny, self.nx)
        np.cumsum(grid, axis=0, out=table[1:, 1:])
        np.cumsum(table[1:, 1:], axis=1, out=table[1:, 1:])
        return table

    def _corners(self, box, grow: float):
        """Where the four corners of each box (grown) fall in a table, as flat indices."""
        x0, y0, x1, y1 = box
        i0, j0 = self.cells(x0 - grow, y0 - grow)
        i1, j1 = self.cells(x1 + grow, y1 + grow)
        row = self.nx + 1
        top, bottom = j0 * row, (j1 + 1) * row
        return bottom + i1 + 1, top + i1 + 1, bottom + i0, top + i0

    @staticmethod
    def _total(table, corners):
        flat = table.ravel()
        a, b, c, d = corners  # (take: the same as flat[a], twice as fast)
        return flat.take(a) - flat.take(b) - flat.take(c) + flat.take(d)

    def on_nodes(self, box):
        """Whether each box comes within NODE_AIR of a node."""
        return self._total(self.nodes, self._corners(box, 0.0)) > 0

    def other_wires(self, box, wire, more: float = 0.0):
        """Whether a wire other than ``wire`` (per box; None: any wire) comes within
        ``clear`` (and ``more``) of each box."""
        corners = self._corners(box, self.clear + more)
        count = self._total(self.count, corners).astype(np.int64)
        if wire is None:
            return count > 0
        s1 = self._total(self.sum1, corners).astype(np.int64)
        s2 = self._total(self.sum2, corners).astype(np.int64)
        alone = (count * s2 == s1 * s1) & (s1 == count * (np.asarray(wire) + 1))
        return (count > 0) & ~alone
