"""Placing every chip of a graph at once, quickly enough to do after every pass
and every Live edit.

Nodes and wires are priced for all the spots of all the chips together
(``labels_price``), then the chips are placed in order (``labels_greedy``). What a
scene's last placement saw is kept: where no node and no wire moved (a Live edit
in a forward pass, mostly) only resized chips are priced again, and chips whose
choice cannot have changed are not searched again. The result is always the one
a fresh placement would give.
"""

from __future__ import annotations

import weakref

import numpy as np
from PySide6.QtCore import QPointF

from gradstudio.ui import labels
from gradstudio.ui.labels_greedy import SCALE, choose
from gradstudio.ui.labels_price import Raster, candidates, node_weights


class _Prices:
    """Every chip's spots (rows of left and top) and what nodes (``fixed``) and
    wires cost there, with ``key`` combining the two (see ``labels_greedy``)."""

    def __init__(self, left, top, fixed, wires, raster) -> None:
        self.left, self.top, self.fixed, self.wires = left, top, fixed, wires
        self.raster = raster
        self.key = fixed * SCALE + np.minimum(wires, SCALE - 1)

    @classmethod
    def make(cls, curves, owner, side, size, nodes):
        """None where the spots cannot be rastered (see ``place_all``)."""
        left, top = candidates(curves, owner, side, size)
        if not (np.isfinite(left).all() and np.isfinite(top).all()):
            return None
        raster = Raster.around(curves, left, top, size)
        if raster is None:
            return None
        return cls(left, top, node_weights(nodes, left, top, size),
                   raster.samples(left, top, size), raster)

    def resized(self, rows, curves, owner, side, size, nodes):
        """The same with the chips ``rows`` resized (nodes and wires as they were);
        None where their spots leave the raster."""
        left, top = candidates(curves, owner[rows], side[rows], size[rows])
        if not (np.isfinite(left).all() and np.isfinite(top).all()
                and self.raster.holds(left, top, size[rows])):
            return None
        new = _Prices.__new__(_Prices)
        new.raster = self.raster
        for name, part in (("left", left), ("top", top),
                           ("fixed", node_weights(nodes, left, top, size[rows])),
                           ("wires", self.raster.samples(left, top, size[rows]))):
            whole = getattr(self, name).copy()
            whole[rows] = part
            setattr(new, name, whole)
        new.key = self.key.copy()
        new.key[rows] = new.fixed[rows] * SCALE + np.minimum(new.wires[rows], SCALE - 1)
        return new


class _Seen:
    """What a scene's last placement was given, priced and chose."""

    def __init__(self, chips, size, nodes, curves, prices, placement) -> None:
        self.chips, self.size, self.nodes = chips, size, nodes
        self.cx, self.cy = curves.cx, curves.cy
        self.prices, self.placement = prices, placement

    def same_chips(self, chips) -> bool:
        return len(chips) == len(self.chips) and all(a is b for a, b in zip(chips, self.chips))

    def same_ground(self, nodes, curves) -> bool:
        """Whether the nodes and wires are where they were."""
        return (np.array_equal(nodes, self.nodes)
                and np.array_equal(curves.cx, self.cx) and np.array_equal(curves.cy, self.cy))


_SEEN: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # scene -> _Seen


def place_all(node_items, edge_items) -> bool:
    """Place every chip of these wires; False (nothing done) where a wire lies too
    far out or the spots too far apart for the raster (``labels`` then searches
    chip by chip)."""
    edges = list(edge_items)
    chips, owner, side = [], [], []
    for e, edge in enumerate(edges):
        for chip, s in ((edge.above, -1.0), (edge.below, 1.0)):
            if chip.lines:
                chips.append(chip)
                owner.append(e)
                side.append(s)
    if not chips:
        return True
    scene = edges[0].scene()
    seen = _SEEN.pop(scene, None) if scene is not None else None
    curves = labels._Curves(edges)
    if curves.odd or not (np.abs(curves.cx) < 1e128).all() or not (
            np.abs(curves.cy) < 1e128).all():
        return False  # as in EdgeItem.spot_points: Qt's own path has the say there
    size = np.array([c.size() for c in chips], dtype=float).reshape(-1, 2)
    rects = [node.sceneBoundingRect() for node in node_items]
    nodes = np.array([(r.left(), r.top(), r.right(), r.bottom()) for r in rects]).reshape(-1, 4)
    if seen is not None and not seen.same_chips(chips):
        seen = None
    prices, same = _priced(seen, curves, np.array(owner), np.array(side), size, nodes)
    if prices is None:
        return False
    placement = choose(prices.key, prices.left, prices.top, size,
                       seen.placement if seen is not None else None, same)
    spot, rows = placement.spot, np.arange(len(chips))
    costs = zip((prices.fixed[rows, spot] + placement.extra).tolist(),
                (prices.wires[rows, spot] == 0).tolist())
    for chip, i, x, y, (cost, free) in zip(chips, spot.tolist(), *placement.boxes[:2].tolist(),
                                           costs):
        chip.setPos(QPointF(x, y))
        # The chip-by-chip search counts wires, not samples: a crowded chip's count is
        # unknown (None), and a step then searches again rather than compare.
        labels._PLACED[chip] = (i, (cost, 0 if free else None))
    if scene is not None:
        _SEEN[scene] = _Seen(chips, size, nodes, curves, prices, placement)
    return True


def _priced(seen: _Seen | None, curves, owner, side, size, nodes):
    """The chips' prices, reusing the last ones where nodes and wires stayed put
    (only resized chips are priced again), and which chips' spots and prices are
    known to be as then (None: unknown); (None, None) where they cannot be made."""
    if seen is not None and seen.same_ground(nodes, curves):
        resized = np.any(size != seen.size, axis=1)
        rows = np.flatnonzero(resized)
        if not len(rows):
            return seen.prices, ~resized
        prices = seen.prices.resized(rows, curves, owner, side, size, nodes)
        if prices is not None:
            return prices, ~resized
    return _Prices.make(curves, owner, side, size, nodes), None
