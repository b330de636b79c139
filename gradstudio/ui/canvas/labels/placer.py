"""Where chips go, by the size of the graph.

A graph people read label by label (up to MAX_SEARCHED_WIRES wires) has every
chip placed on its own wire (``onwire``, after ``gradstudio.core.chipplace``),
after every pass, edit and step. A bigger graph is read zoomed out: its chips
sit at their wires' middles, and a step through a pass places again just the
chips it changed, among whatever the scene holds near them (``place_chips``,
``Before``), so a step costs what its neighbourhood holds, not the graph.

The search here (greedy: each chip tries spots beside its wire, nearest the
middle first, and takes the first that touches nothing, else the one that hides
least) also places chips that cannot go on their wires: a graph far out (1e20).
"""

from __future__ import annotations

import weakref
from collections import defaultdict

import numpy as np
from PySide6.QtCore import QRectF, Qt

from gradstudio.ui.canvas.labels.onwire import place_on_wires

SPOTS = (0.5, 0.42, 0.58, 0.34, 0.66, 0.26, 0.74, 0.18, 0.82, 0.1, 0.9)
GAPS = (5.0, 14.0, 26.0, 40.0, 56.0)
# Where the chip sits against its anchor point on the wire: centred over it, or
# off to one side (beside a steep wire the room is above-right or above-left).
ALIGNS = (0.5, 0.0, 1.0)
CELL = 160.0
# A chip grown by this much holds a sample of any wire whose 7 px stroke touches it:
# half the stroke, plus half the distance between samples, plus a hair.
WIRE_MARGIN = 3.5 + 4.0 / 2 + 0.01
# Graphs of up to this many wires have their chips placed on their wires (``onwire``);
# a bigger one is read zoomed out, its chips left at their wires' middles.
MAX_SEARCHED_WIRES = 600
MAX_SEARCHED_CHIPS = 2 * MAX_SEARCHED_WIRES
NODE_COST, CHIP_COST, WIRE_COST = 10.0, 5.0, 3.0  # what overlapping each one costs a spot
# How far a chip can lie from its wire's box: its width or height (lines are
# elided at 320 px, and two or three lines are less high than that), plus a gap.
CHIP_REACH = (320.0 + 10.0 + GAPS[-1],) * 2
# A wire's samples go in runs of this many, each with a box around it: a long wire
# that passes far from a chip costs one box test per run, not one per sample.
RUN = 16
BLOCK = 8 * RUN  # runs are looked at only inside blocks of samples found near


class _Grid:
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


def place_labels(node_items, edge_items) -> None:
    """Place every wire's chips on its wire, all at once (``onwire``).

    A graph with more chips than MAX_SEARCHED_CHIPS is past reading label by label
    (it is shown zoomed out): its chips stay at their wires' middles, so Forward and
    Backward stay quick on big graphs. Where the chips cannot be placed on their
    wires (a graph far out, at 1e20), they are searched chip by chip.
    """
    node_items, edge_items = list(node_items), list(edge_items)
    if sum(bool(e.above.lines) + bool(e.below.lines) for e in edge_items) > MAX_SEARCHED_CHIPS:
        for edge in edge_items:
            edge.place_chips_default()
        return
    if place_on_wires(node_items, edge_items):
        return
    grid = _Grid()
    for node in node_items:
        grid.add(node.sceneBoundingRect(), "node", node)  # the "output" tag room too
    for edge in edge_items:
        grid.add(edge.sceneBoundingRect(), "wire", edge)
    for edge in edge_items:
        for chip, side in ((edge.above, -1.0), (edge.below, 1.0)):
            if not chip.lines:
                continue
            rect = _best_spot(grid, edge, chip, side)
            chip.setPos(rect.topLeft())
            chip.spot = None
            chip.set_leader(None)
            grid.add(rect, "chip", chip)


def _best_spot(grid: _Grid, edge, chip, side: float) -> QRectF:
    """The first spot (aligns, then spots, then gaps) that touches nothing, else the
    least bad one (see ``_cheapest``)."""
    left, top, w, h = _candidates(edge, chip, side)
    ids = grid.near(left.min(), top.min(), left.max() + w, top.max() + h)
    weight = grid.weight[ids]
    wires = weight == WIRE_COST
    near_wires = _Curves([grid.wires[j] for j in ids[wires].tolist()])
    i, cost = _cheapest(left, top, w, h, grid.boxes[ids[~wires]], weight[~wires], near_wires)
    _PLACED[chip] = (i, cost)
    return QRectF(float(left[i]), float(top[i]), w, h)


class Before:
    """The chips, paths and widths of some wires and nodes, before a change to them.

    ``place_changed`` then places again what the change needs: the chips whose
    lines changed or whose wire moved, and the chips of other wires that a node
    that grew or a wire that moved covers now and did not before.
    """

    def __init__(self, nodes, wires) -> None:
        self.nodes = {id(n): (n, n.sceneBoundingRect()) for n in nodes}
        self.wires = {id(w): (w, _chips_state(w), w.path(), w.samples()) for w in wires}

    def place_changed(self, scene) -> None:
        if len(scene.edges) <= MAX_SEARCHED_WIRES:
            # Placing every chip again keeps those that stay free where they were.
            place_labels(scene.nodes.values(), scene.edges.values())
            return
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
        place_chips(scene, todo.values(), same)


def _chips_state(edge) -> tuple:
    """What a wire's chips say and where they are."""
    above, below = edge.above, edge.below
    return above.lines, below.lines, above.pos(), below.pos()


def _along(wire) -> list[QRectF]:
    """Boxes around the wire, a stretch of BLOCK samples each (grown by WIRE_MARGIN):
    beside a long slanting wire they hold far less than its bounding box."""
    curves = _Curves([wire])
    if curves.odd:
        return [wire.sceneBoundingRect()]
    one = np.zeros(1, np.int64)
    stretch = _split(one, one, curves.count - 1, BLOCK)
    m = WIRE_MARGIN
    return [_rect(a - m, b - m, c + m, d + m) for a, b, c, d in zip(*curves.hull(*stretch))]


def _chips_in(scene, rects: list[QRectF]) -> list:
    """The chips with lines whose boxes meet some of these rectangles. Zoomed far
    out, where chips are hidden and the index passes them over, they are found
    through the wires they belong to, which lie within a chip's reach."""
    from gradstudio.ui.canvas.items.edge import ChipItem, EdgeItem

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


# Where each chip was placed (the index of its spot) and what that cost it then.
_PLACED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def place_chips(scene, chips, same=frozenset()) -> None:
    """Place these chips again, among what the scene holds around them.

    Nodes, wires and the other shown chips are found through the scene's own
    index, as they are now, in one look-up for all the chips: nothing is built
    for the whole graph, so the cost is that of the neighbourhood, not of the
    graph's size. A chip in ``same`` (ids: its lines did not change) stays at
    the spot along its wire it was placed at, if that costs it no more than then:
    chips do not jump about as the class steps, and it saves the search.
    """
    from gradstudio.ui.canvas.items.edge import ChipItem, EdgeItem
    from gradstudio.ui.canvas.items.node import NodeItem

    places = []
    for chip in chips:
        if chip.lines:
            edge = chip.parentItem()
            places.append((chip, *_candidates(edge, chip, -1.0 if chip is edge.above else 1.0)))
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
    curves = _Curves(list(wires.values()))
    for chip, left, top, w, h in places:
        placed = _PLACED.get(chip) if id(chip) in same else None
        if placed is not None:
            i, then = placed
            _, now = _cheapest(left[i:i + 1], top[i:i + 1], w, h, boxes, weights, curves)
            if then[1] is None or now > then:  # None: crowded, by how many wires unknown
                placed = None
        if placed is None:
            i, now = _cheapest(left, top, w, h, boxes, weights, curves)
        _PLACED[chip] = (i, now)
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
    whole = _rect(x0.min(), y0.min(), x1.max(), y1.max())
    spots = [_rect(x0[c].min(), y0[c].min(), x1[c].max(), y1[c].max()) for c in _BY_SPOT]
    if _area(whole) <= 2 * sum(map(_area, spots)):
        return [whole]
    return spots


def _items_in(scene, rects: list[QRectF]) -> list:
    """The scene's items whose boxes meet some of these rectangles, each once.
    Rectangles that overlap much are looked up as one."""
    merged: list[QRectF] = []
    for rect in sorted(rects, key=QRectF.left):
        for k, other in enumerate(merged):
            both = other.united(rect)
            if _area(both) <= 1.5 * (_area(other) + _area(rect)):
                merged[k] = both
                break
        else:
            merged.append(rect)
    found: dict[int, object] = {}
    for rect in merged:
        for item in scene.items(rect, Qt.IntersectsItemBoundingRect, Qt.AscendingOrder):
            found[id(item)] = item
    return list(found.values())


def _rect(x0, y0, x1, y1) -> QRectF:
    return QRectF(float(x0), float(y0), float(x1 - x0), float(y1 - y0))


def _area(rect: QRectF) -> float:
    return rect.width() * rect.height()


_ALIGN = np.array(ALIGNS)[:, None, None]
_GAP = np.array(GAPS)[None, None, :]
# Sideways shift of a chip off its anchor: right of it, left of it, or none.
_SHIFT = np.where(_ALIGN == 0.0, _GAP, np.where(_ALIGN == 1.0, -_GAP, 0.0))
_SHAPE = (len(ALIGNS), len(SPOTS), len(GAPS))
# The candidates of each spot along the wire (every align and gap), by flat index.
_BY_SPOT = np.arange(np.prod(_SHAPE)).reshape(_SHAPE).transpose(1, 0, 2).reshape(len(SPOTS), -1)


def _candidates(edge, chip, side: float):
    """Left and top of every spot a chip may take, flattened in the order they are
    tried (aligns, then spots, then gaps), and the chip's width and height."""
    w, h = chip.size()
    xs, ys = edge.spot_points(SPOTS)
    left = (xs[None, :, None] - w * _ALIGN + _SHIFT).ravel()
    y = ys[None, :, None]
    top = np.broadcast_to(y - _GAP - h if side < 0 else y + _GAP, _SHAPE).ravel()
    return left, top, w, h


def _cheapest(left, top, w: float, h: float, boxes, weights, curves) -> tuple[int, tuple]:
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
    wires (``curves``) have a sample strictly inside, and how many (candidate boxes x0, y0, x1, y1 are
    grown by WIRE_MARGIN).

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
    wire, first, last = np.arange(curves.n), np.zeros(curves.n, np.int64), curves.count - 1
    meets = np.zeros((0, len(groups)), bool)
    for size in (None, BLOCK, RUN):
        if size is not None:
            wire, first, last = _split(wire, first, last, size)
        bx0, by0, bx1, by1 = curves.hull(wire, first, last)
        meets = ((bx0[:, None] < gx1) & (bx1[:, None] > gx0)
                 & (by0[:, None] < gy1) & (by1[:, None] > gy0))  # (stretches, spots)
        near = meets.any(axis=1)
        wire, first, last, meets = wire[near], first[near], last[near], meets[near]
        if not len(wire):
            break
    best, fewest = None, np.inf
    for k, group in enumerate(groups):
        if fewest == 0 and group[0] > best:
            break  # a later candidate cannot beat one near no wire
        run = np.flatnonzero(meets[:, k])
        if len(run):
            px, py, owner = curves.samples(wire[run], first[run], last[run])
            inside = np.flatnonzero((px > gx0[k]) & (px < gx1[k]) & (py > gy0[k]) & (py < gy1[k]))
            if len(inside):
                sx, sy, owner = px[inside, None], py[inside, None], owner[inside]
                hit = ((sx > x0[group]) & (sx < x1[group])
                       & (sy > y0[group]) & (sy < y1[group]))  # (samples, candidates)
                starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])  # per wire
                counts[group] += np.logical_or.reduceat(hit, starts, axis=0).sum(axis=0)
        j = int(np.argmin(counts[group]))
        if (counts[group[j]], group[j]) < (fewest, best if best is not None else len(x0)):
            best, fewest = int(group[j]), counts[group[j]]
    return best, int(fewest)


def _split(wire, first, last, size: int):
    """Cut each stretch of samples (first to last of a wire) into pieces of ``size``."""
    pieces = (last - first) // size + 1
    starts = np.cumsum(pieces) - pieces
    nth = np.arange(int(pieces.sum())) - np.repeat(starts, pieces)
    first = np.repeat(first, pieces) + size * nth
    last = np.minimum(first + (size - 1), np.repeat(last, pieces))
    return np.repeat(wire, pieces), first, last


class _Curves:
    """Wires as the cubics EdgeItem draws (see ``wire_path``), all at once in numpy.

    Sample i of a wire with n samples lies at t = i / (n - 1), n chosen as
    ``EdgeItem.samples`` chooses it: the same points, made only where needed.
    """

    def __init__(self, wires) -> None:
        from gradstudio.ui.canvas.items.edge import EdgeItem

        ends = np.array([w._ends for w in wires], dtype=float).reshape(-1, 4)
        with np.errstate(all="ignore"):
            sx, sy, ex, ey = ends.T
            dx = np.maximum(40.0, np.abs(ex - sx) * 0.5)
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
        """x, y and wire of the samples of these stretches (each at most RUN long)."""
        index = first[:, None] + np.arange(RUN)
        valid = index <= last[:, None]
        wires = np.broadcast_to(wire[:, None], index.shape)[valid]
        t = index[valid] / (self.count[wires] - 1)
        m = 1.0 - t
        b0, b1, b2, b3 = m * m * m, 3 * m * m * t, 3 * m * t * t, t * t * t
        cx, cy = self.cx, self.cy
        xs = b0 * cx[0, wires] + b1 * cx[1, wires] + b2 * cx[2, wires] + b3 * cx[3, wires]
        ys = (b0 + b1) * cy[0, wires] + (b2 + b3) * cy[3, wires]
        return xs, ys, wires
