"""Placing again just the chips a step changed, on a big graph.

A big graph's chips sit at their wires' middles; a step through a pass places
again only the chips it changed, and those a node that grew or a wire that moved
now covers, among whatever the scene's index holds near them: a step costs what
its neighbourhood holds, not the graph.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt

from gradstudio.ui.canvas.items.edge import ChipItem, EdgeItem
from gradstudio.ui.canvas.items.node import NodeItem
from gradstudio.ui.canvas.labels.constants import (BLOCK, CHIP_COST, CHIP_REACH, NODE_COST,
                                                   WIRE_MARGIN)
from gradstudio.ui.canvas.labels.search import (BY_SPOT, Curves, area, box_of, candidates, cheapest,
                                                split)


class Before:
    """The chips, paths and widths of some wires and nodes, before a change to them.

    ``place_changed`` then places again what the change needs: the chips whose
    lines changed or whose wire moved, and the chips of other wires that a node
    that grew or a wire that moved covers now and did not before.
    """

    def __init__(self, nodes, wires) -> None:
        self.nodes = {id(n): (n, n.sceneBoundingRect()) for n in nodes}
        self.wires = {id(w): (w, _chips_state(w), w.path(), w.samples()) for w in wires}

    def place_changed(self, scene, placed: dict) -> None:
        todo, same = {}, set()
        for wire, (lines_a, lines_b, pos_a, pos_b), _path, _old in self.wires.values():
            for chip, lines, pos in ((wire.above, lines_a, pos_a), (wire.below, lines_b, pos_b)):
                if chip.lines and (chip.lines != lines or chip.pos() != pos):
                    todo[id(chip)] = chip
                    if chip.lines == lines:  # it says what it said: it may stay put
                        same.add(id(chip))
        for node, old in self.nodes.values():
            rect = node.sceneBoundingRect()
            if rect != old:
                new = rect
                if (rect.left(), rect.top(), rect.bottom()) == (old.left(), old.top(),
                                                                old.bottom()):
                    new = QRectF(old.right(), rect.top(), max(0.0, rect.right() - old.right()),
                                 rect.height())  # it grew rightwards: just the new part
                for chip in _chips_in(scene, [new]):
                    r = chip.sceneBoundingRect()
                    if r.intersects(rect) and not r.intersects(old):
                        todo.setdefault(id(chip), chip)
        for wire, _state, path, old in self.wires.values():
            if wire.path() != path:
                chips = [c for c in _chips_in(scene, _along(wire)) if c.parentItem() is not wire]
                for chip, now, then in zip(chips, _crossed(chips, wire.samples()),
                                           _crossed(chips, old)):
                    if now and not then:
                        todo.setdefault(id(chip), chip)
        place_chips(scene, todo.values(), placed, same)


def _chips_state(edge) -> tuple:
    """What a wire's chips say and where they are."""
    above, below = edge.above, edge.below
    return above.lines, below.lines, above.pos(), below.pos()


def _along(wire) -> list[QRectF]:
    """Boxes around the wire, a stretch of BLOCK samples each (grown by WIRE_MARGIN):
    beside a long slanting wire they hold far less than its bounding box."""
    curves = Curves([wire])
    if curves.odd:
        return [wire.sceneBoundingRect()]
    one = np.zeros(1, np.int64)
    stretch = split(one, one, curves.count - 1, BLOCK)
    m = WIRE_MARGIN
    return [box_of(a - m, b - m, c + m, d + m) for a, b, c, d in zip(*curves.hull(*stretch))]


def _chips_in(scene, rects: list[QRectF]) -> list:
    """The chips with lines whose boxes meet some of these rectangles. Zoomed far
    out, where chips are hidden and the index passes them over, they are found
    through the wires they belong to, which lie within a chip's reach."""
    hidden = not getattr(scene, "detail", True)
    if hidden:
        rx, ry = CHIP_REACH
        found = {id(c): c for item in _items_in(scene, [r.adjusted(-rx, -ry, rx, ry)
                                                          for r in rects])
                 if isinstance(item, EdgeItem) for c in (item.above, item.below)}
        return [c for c in found.values()
                if c.lines and any(c.sceneBoundingRect().intersects(r) for r in rects)]
    return [item for item in _items_in(scene, rects)
            if isinstance(item, ChipItem) and item.lines]


def _crossed(chips, samples) -> list:
    """For each chip, whether the wire with these samples touches it."""
    if not chips:
        return []
    m = WIRE_MARGIN
    box = np.array([(r.left() - m, r.top() - m, r.right() + m, r.bottom() + m)
                    for r in (c.sceneBoundingRect() for c in chips)])
    px, py = samples[:, 0:1], samples[:, 1:2]
    hit = (px > box[:, 0]) & (px < box[:, 2]) & (py > box[:, 1]) & (py < box[:, 3])
    return hit.any(axis=0).tolist()


def place_chips(scene, chips, placed: dict, same=frozenset()) -> None:
    """Place these chips again, among what the scene holds around them.

    Nodes, wires and the other shown chips are found through the scene's own
    index, as they are now, in one look-up for all the chips: nothing is built
    for the whole graph, so the cost is that of the neighbourhood, not of the
    graph's size. ``placed`` holds each chip's spot (its index) and what it cost
    then: a chip in ``same`` (ids: its lines did not change) stays at that spot if
    it costs no more now, so chips do not jump about as the class steps, and the
    search is saved.
    """
    places = []
    for chip in chips:
        if chip.lines:
            edge = chip.parentItem()
            places.append((chip, *candidates(edge, chip, -1.0 if chip is edge.above else 1.0)))
    if not places:
        return
    pending = {id(p[0]) for p in places}  # not placed yet: not in the way
    # Zoomed far out, chips are hidden and the index passes them over: they are
    # found through the wires they belong to, which lie within a chip's reach.
    hidden = not getattr(scene, "detail", True)
    reach = CHIP_REACH if hidden else (0.0, 0.0)
    rects = [r for _chip, left, top, w, h in places for r in _around(left, top, w, h, reach)]
    boxes, weights, wires, others = [], [], {}, {}
    for item in _items_in(scene, rects):
        if isinstance(item, EdgeItem):
            wires[id(item)] = item
            if hidden:
                others.update((id(c), c) for c in (item.above, item.below))
        elif isinstance(item, NodeItem):
            r = item.sceneBoundingRect()
            boxes.append((r.left(), r.top(), r.right(), r.bottom()))
            weights.append(NODE_COST)
        elif isinstance(item, ChipItem):
            others[id(item)] = item
    for key, other in others.items():
        if other.lines and key not in pending:
            p, (w, h) = other.scenePos(), other.size()  # a chip's box is (0, 0, w, h)
            x, y = p.x(), p.y()
            boxes.append((x, y, x + w, y + h))
            weights.append(CHIP_COST)
    boxes, weights = np.array(boxes).reshape(-1, 4), np.array(weights)
    curves = Curves(list(wires.values()))
    for chip, left, top, w, h in places:
        kept = placed.get(chip) if id(chip) in same else None
        if kept is not None:
            i, then = kept
            _, now = cheapest(left[i:i + 1], top[i:i + 1], w, h, boxes, weights, curves)
            if then[1] is None or now > then:  # None: crowded, by how many wires unknown
                kept = None
        if kept is None:
            i, now = cheapest(left, top, w, h, boxes, weights, curves)
        placed[chip] = (i, now)
        x, y = float(left[i]), float(top[i])
        chip.setPos(x, y)
        chip.spot = None
        chip.set_leader(None)
        boxes = np.vstack([boxes, (x, y, x + w, y + h)])  # in the way of the next chips
        weights = np.append(weights, CHIP_COST)


def _around(left, top, w: float, h: float, reach) -> list[QRectF]:
    """Where to look for what may be in the way of a chip's candidates: the box
    around them all, or, where that box is mostly empty of candidates (beside a
    long wire), one box per spot along the wire. Grown by WIRE_MARGIN, and by
    ``reach`` sideways and up and down."""
    mx, my = WIRE_MARGIN + reach[0], WIRE_MARGIN + reach[1]
    x0, y0, x1, y1 = left - mx, top - my, left + (w + mx), top + (h + my)
    whole = box_of(x0.min(), y0.min(), x1.max(), y1.max())
    spots = [box_of(x0[c].min(), y0[c].min(), x1[c].max(), y1[c].max()) for c in BY_SPOT]
    if area(whole) <= 2 * sum(map(area, spots)):
        return [whole]
    return spots


def _items_in(scene, rects: list[QRectF]) -> list:
    """The scene's items whose boxes meet some of these rectangles, each once.
    Rectangles that overlap much are looked up as one."""
    merged: list[QRectF] = []
    for rect in sorted(rects, key=QRectF.left):
        for k, other in enumerate(merged):
            both = other.united(rect)
            if area(both) <= 1.5 * (area(other) + area(rect)):
                merged[k] = both
                break
        else:
            merged.append(rect)
    found: dict[int, object] = {}
    for rect in merged:
        for item in scene.items(rect, Qt.IntersectsItemBoundingRect, Qt.AscendingOrder):
            found[id(item)] = item
    return list(found.values())


