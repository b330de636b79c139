"""Where annotation chips go: on their own wire, so every number reads as one wire's.

Plain numpy on plain numbers (node boxes, wire ends, chip sizes): the canvas
places its chips with it, and the auto-layout uses it to check that its spacing
leaves every chip room on its wire.

The design (the slide convention, made unambiguous; the ways a chip can sit on its
point are in ``chipways``): a wire's forward chip (value, local derivative) stands
on the wire and its gradient chip hangs under it, both centred on one point of the
wire, so the wire runs between them, or through them where it is steep. Every chip keeps ``CLEAR`` px from every other
wire, ``NODE_AIR`` px from every node and ``CHIP_AIR`` px from every other chip;
of the points along the wire that allow that, the one nearest the middle wins
(``SPOTS`` are in that order). A wire whose pair fits nowhere so (a short wire
under another wire's end) hangs it under the wire as one instead, the value under
the wire and its gradient under the value (block ``STACK``); failing that, each
chip is placed on its own: standing on the wire, threaded on it (the wire hidden behind
the chip) or hanging under it, wherever along the wire that is free, the right way
up (``_upright``: the gradient above its value reads as the slide convention
broken) unless only upside down keeps them on the wire; off it, never. A chip may keep the spot it had while that is still free, so
chips do not jump about as a class steps through a pass; a value whose gradient
arrives keeps its spot only if the gradient can join it there, else the pair is
placed as a whole pass would place it, so stepping to the end shows what End does.

Where no spot on the wire is free, the chip goes off the wire where it covers
nothing, with a leader line back to its point; where nothing is free either, it
takes the spot, on the wire or beside it, that hides least (nodes first, then
chips, then wires).

Every wire first wishes for its spots as if it were alone; the wishes that touch
no chip of a wire before them are final at once, and only the others are placed
one wire at a time among the chips placed so far: on a graph laid out with room,
that is few.

Wires are the cubics the canvas draws (``wire_path``): leaving the output port
rightwards, arriving at the input port from the left. Obstacles are counted
through summed-area tables on a ``CELL`` px raster (``chipground``): a box counted free holds no
sample of another wire (samples ``STEP`` px apart) and no node, so the test errs
on the side of air.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

# (NODE_AIR is one of the rule's numbers: callers read it here with CLEAR and CHIP_AIR.)
from gradstudio.core.chipground import (CELL, FEW_CHIPS, FEW_CHIPS_CELLS, MAX_CELLS, NODE_AIR,
                                        Ground)
from gradstudio.core.chipways import (FORWARD, GRAD, HANG, NEAR_OFF, OFFSETS, PAIRS, SIDE,
                                      SPOTS, STACK, STAND, TOUCH, chip_box, heights, way_boxes)
from gradstudio.core.wirecurve import curves, points

CLEAR = 8.0  # px from a chip to any other wire (the rule asks 6 more than its own, ~1)
CHIP_AIR = 3.0  # px between two chips
CHUNK = 64  # chips priced at once (smaller temporaries)


@dataclass
class Chip:
    """One chip to place: its wire (an index into the wires), kind and size."""
    wire: int
    kind: int  # FORWARD or GRAD
    w: float
    h: float
    kept: object = None  # the spot it had (from a Placed), kept while still free


@dataclass
class Placed:
    """Where a chip went: its box, and the point on its wire a leader line goes to
    (None: it sits on the wire). ``spot`` is what to pass back as ``Chip.kept``."""
    box: tuple
    anchor: tuple | None
    spot: object
    on_wire: bool


def place(nodes, ends, chips: list[Chip], clear: float = CLEAR) -> list[Placed] | None:
    """Where each chip goes; None where the graph is too far out to place this way.

    ``nodes``: rows of left, top, right, bottom; ``ends``: each wire's start x, y
    (its output port) and end x, y (its input port); ``clear``: how far other wires
    keep from a chip.
    """
    if not chips:
        return []
    nodes = np.asarray(nodes, dtype=float).reshape(-1, 4)
    ctrl = curves(ends)
    wire = np.array([c.wire for c in chips])
    if not (np.isfinite(ctrl[wire]).all() and np.abs(ctrl[wire]).max() < 1e7
            and np.isfinite(nodes).all()):
        return None
    kind = np.array([c.kind for c in chips])
    size = np.array([(c.w, c.h) for c in chips], dtype=float)
    n = len(SPOTS)
    ax, ay = points(ctrl[wire], np.array(SPOTS)[None, :])  # (chips, spots)
    value_h = {c.wire: c.h for c in chips if c.kind == FORWARD}
    over = np.array([value_h.get(c.wire, 0.0) if c.kind == GRAD else 0.0 for c in chips])
    boxes = way_boxes(ax, ay, size, kind, over)  # (chips, blocks × spots, 4)
    reach = CLEAR + 4 * CELL + max(OFFSETS) + size.max()
    # (The raster's extent from the blocks before SIDE: the side-by-side ones lie
    # within its reach, and the raster stays aligned as it was without them.)
    core = boxes[:, :SIDE * n]
    extent = (core[..., 0].min() - reach, core[..., 1].min() - reach,
              core[..., 2].max() + reach, core[..., 3].max() + reach)
    ground = Ground(nodes, ctrl, extent, clear,
                     FEW_CHIPS_CELLS if len(chips) <= FEW_CHIPS else MAX_CELLS)
    on_nodes = np.empty(boxes.shape[:2], dtype=bool)
    on_wires = np.empty(boxes.shape[:2], dtype=bool)
    for s in range(0, len(chips), CHUNK):
        cols = tuple(boxes[s:s + CHUNK, :, k] for k in range(4))
        on_nodes[s:s + CHUNK] = ground.on_nodes(cols)
        on_wires[s:s + CHUNK] = ground.other_wires(cols, wire[s:s + CHUNK, None])
    free = ~on_nodes & ~on_wires
    # Side by side (blocks SIDE, SIDE + 1) only on a wire with a twin: another wire from the
    # same output to the same node (a·a), where the pair has room on one side only.
    lone = ~_twinned(np.asarray(ends, dtype=float).reshape(-1, 4))[wire]
    free[lone, SIDE * n:STACK * n] = False
    on_nodes[lone, SIDE * n:STACK * n] = True  # (never the least bad either)
    # The stack only for a pair (a lone chip has its ways already).
    single = np.bincount(wire, minlength=int(wire.max()) + 1)[wire] < 2
    free[single, STACK * n:] = False
    on_nodes[single, STACK * n:] = True
    freedom = free.sum(axis=1)
    order = _order(chips, wire, kind, freedom)
    # What a spot on the wire hides, for when every spot hides something.
    placer = _Placer(ground, chips, boxes, free, 4 * on_nodes + on_wires, ax, ay)
    # (With their wires' other chips: kept the right way up, those may need them too.)
    placer.off_wire_ground(np.flatnonzero(np.isin(wire, wire[freedom == 0])))
    result: list[Placed | None] = [None] * len(chips)
    # Each wire's first choice as if it were alone; those that touch no chip of a
    # wire before them in the order are final at once, the rest are placed in turn.
    # (The pair standing and hanging at one point, for all wires at once: most wires'
    # wish; the others, and chips that had a spot, are worked out one by one.)
    pairs = [k for k, ids in enumerate(order) if len(ids) == 2
             and chips[ids[0]].kept is None and chips[ids[1]].kept is None]
    first = {}
    if pairs:
        f_ids = np.array([order[k][0] for k in pairs])
        g_ids = np.array([order[k][1] for k in pairs])
        both = free[f_ids, :PAIRS * n] & free[g_ids, :PAIRS * n]
        spot = np.argmax(both, axis=1)
        first = {k: int(j) for k, j, ok in zip(pairs, spot.tolist(), both.any(axis=1).tolist())
                 if ok}
    wishes = [(first[k], first[k]) if k in first else
              placer.wish(ids, [free[i] for i in ids], off=True) for k, ids in enumerate(order)]
    verdicts, rows, box, flags = placer.accept(order, wishes)
    # The accepted chips' places, made from the rows of boxes accept looked at.
    for (k, i, spot), b, flag in zip(rows, box.tolist(), flags):
        if verdicts[k] is not None:
            result[i] = (placer.placed_at(i, spot) if isinstance(spot, tuple)
                         else Placed(tuple(b), None, spot, flag))
    late = [ids for ids, spots in zip(order, verdicts) if spots is None]
    # Their spots off the wire, priced at once for all of them (they may need them).
    placer.off_wire_ground([i for ids in late for i in ids if i not in placer.off])
    for ids in late:
        for i, placed in zip(ids, placer.place(ids)):
            result[i] = placed
    return result


def _twinned(ends: np.ndarray) -> np.ndarray:
    """Which wires share their start (one output) and their end's x (one node's
    ports) with another wire: two wires between the same nodes, as in a·a."""
    twin = np.zeros(len(ends), dtype=bool)
    key = {}
    for k, (sx, sy, ex, _ey) in enumerate(ends.tolist()):
        key.setdefault((sx, sy, ex), []).append(k)
    for members in key.values():
        if len(members) > 1:
            twin[members] = True
    return twin


def _order(chips, wire, kind, freedom) -> list[list[int]]:
    """The chips grouped by wire (each wire's forward chip first), the wires in the
    order they are placed: those whose chips all had a spot first, then the least
    free first; ties by the first chip of the wire in kind, then index, order."""
    seq = np.argsort(kind, kind="stable")
    ws = wire[seq]
    grouped = np.argsort(ws, kind="stable")
    sorted_w = ws[grouped]
    starts = np.flatnonzero(np.concatenate(([True], sorted_w[1:] != sorted_w[:-1])))
    stops = np.append(starts[1:], len(seq))
    members = seq[grouped]
    new = np.array([not isinstance(c.kept, int) for c in chips])
    any_new = np.maximum.reduceat(new[members], starts)
    room = np.add.reduceat(freedom[members], starts)
    appear = np.argsort(grouped[starts], kind="stable")  # by first appearance in seq
    key = any_new[appear].astype(np.int64) * (int(room.max()) + 1) + room[appear]
    flat = members.tolist()
    return [flat[starts[g]:stops[g]] for g in appear[np.argsort(key, kind="stable")].tolist()]


def _touching(box: np.ndarray, wire_of: np.ndarray):
    """Pairs (r, q) of the boxes that come within CHIP_AIR of each other (a wire's own
    two chips may touch: they stack on it). Boxes are sorted by their left edge, and
    each is compared only with those that start before it ends."""
    order = np.argsort(box[:, 0], kind="stable")
    b, w = box[order], wire_of[order]
    widest = float((b[:, 2] - b[:, 0]).max()) + CHIP_AIR
    pairs = []
    step = 1
    while True:  # box k against box k + step, for as long as some can still meet
        if step >= len(b):
            break
        left, right = b[:-step], b[step:]
        if not (right[:, 0] < left[:, 0] + widest).any():
            break
        a = np.where(w[:-step] != w[step:], CHIP_AIR, 0.0)
        meet = ((left[:, 0] - a < right[:, 2]) & (right[:, 0] < left[:, 2] + a)
                & (left[:, 1] - a < right[:, 3]) & (right[:, 1] < left[:, 3] + a))
        for k in np.flatnonzero(meet).tolist():
            r, q = int(order[k]), int(order[k + step])
            pairs += [(r, q), (q, r)]
        step += 1
    return pairs


def _alone(free: np.ndarray) -> np.ndarray:
    """These free spots without the stack's block: only a pair, placed together, stacks."""
    free = free.copy()
    free[..., STACK * len(SPOTS):] = False
    return free


def _clash(boxes: np.ndarray, box) -> np.ndarray:
    """Which of ``boxes`` come within CHIP_AIR of ``box``."""
    a = CHIP_AIR
    return ((boxes[:, 0] - a < box[2]) & (box[0] < boxes[:, 2] + a)
            & (boxes[:, 1] - a < box[3]) & (box[1] < boxes[:, 3] + a))


class _Placer:
    """Places one wire's chips after another, each clear of the chips placed before."""

    def __init__(self, ground: Ground, chips, boxes, free, cost, ax, ay) -> None:
        self.ground, self.chips, self.boxes, self.free = ground, chips, boxes, free
        self.cost, self.ax, self.ay = cost, ax, ay
        self.placed = np.empty((0, 4))
        alone = _alone(free)  # (a chip on its own never takes the stack's block)
        self.has = alone.any(axis=1).tolist()  # chip -> whether some spot on its wire is free
        self.first_free = alone.argmax(axis=1).tolist()  # chip -> its first free spot, if any
        cost = cost.copy()
        cost[:, STACK * len(SPOTS):] = 8  # (worse than any spot but one over a node)
        self.cost = cost
        least = cost.argmin(axis=1)  # chip -> its spot that hides least, and what it hides
        self.least = list(zip(least.tolist(), cost[np.arange(len(cost)), least].tolist()))
        self.off: dict = {}  # chip -> its spots off the wire, priced (see off_wire_ground)
        self.first_off: dict = {}  # chip -> its first spot off the wire left free, or None

    def wish(self, ids, ok, off: bool = False):
        """Spots for a wire's chips among these free ones (``ok``, one mask each): those
        they had if still free, else standing and hanging at one point, else apart;
        ``off`` (``ok`` being the chips' rows of ``free``): a chip with no free spot on
        its wire takes its first spot off it that nodes and wires leave free
        (``off_wire_ground``), else the spot on its wire that hides least of them.
        None where some chip finds none."""
        n = len(SPOTS)
        if off and not all(self.has[i] for i in ids):
            spots = []
            for i in ids:
                spot = self.first_free[i] if self.has[i] else self._static_off(i)
                spots.append(self._least_bad_spot(i, chips=False) if spot is None else spot)
            if len(ids) == 2:
                partner = self._at(ids[0], spots[0])
                if not self._upright_one(ids[1], spots[1], partner):
                    better = self._upright_spot(ids[1], self.free[ids[1]], partner)
                    spots[1] = spots[1] if better is None else better
            return tuple(spots)
        kept = [self.chips[i].kept for i in ids]
        still = [isinstance(s, int) and 0 <= s < len(f) and bool(f[s]) for s, f in zip(kept, ok)]
        if all(still):
            return tuple(kept)
        if len(ids) == 2 and any(still):  # one stays (a gradient chip comes to a value's)
            spot = kept[still.index(True)]
            # Only with its partner joining it at that point (made to meet, they do not
            # clash); else the pair is placed anew, as a whole pass places it, not
            # scattered round where the lone chip happened to be.
            if (spot < PAIRS * n or spot >= SIDE * n) and ok[1 - still.index(True)][spot]:
                return (spot, spot)
        if len(ids) == 1:
            return (int(np.argmax(ok[0])),) if ok[0].any() else None
        both = ok[0][:PAIRS * n] & ok[1][:PAIRS * n]
        if both.any():
            s = int(np.argmax(both))
            return (s, s)
        side = ok[0][SIDE * n:] & ok[1][SIDE * n:]  # side by side (a wire with a twin)
        if side.any():
            # (Blocks SIDE on: side by side, free on a wire with a twin only, then the stack.)
            s = SIDE * n + int(np.argmax(side))
            return (s, s)
        return self._apart(ids, ok)

    def accept(self, order, wishes):
        """For each wire (in order), its wished spots if they come within CHIP_AIR of
        no chip accepted before; None for the others. The accepted go into ``placed``.
        Also gives the rows looked at, (wire's place in order, chip, spot), their boxes
        and whether each spot on a wire is free."""
        rows, wire_of, chip_of, spot_of, off = [], [], [], [], []
        for k, (ids, spots) in enumerate(zip(order, wishes)):
            if spots is not None:
                for i, spot in zip(ids, spots):
                    if isinstance(spot, tuple):
                        off.append(len(rows))
                    rows.append((k, i, spot))
                    wire_of.append(k)
                    chip_of.append(i)
                    spot_of.append(0 if isinstance(spot, tuple) else spot)
        if not rows:
            return [None] * len(order), rows, np.empty((0, 4)), []
        chip_of, spot_of = np.array(chip_of), np.array(spot_of)
        box = self.boxes[chip_of, spot_of]
        for r in off:
            box[r] = self.box_at(rows[r][1], rows[r][2])
        flags = self.free[chip_of, spot_of].tolist()
        wire_of = np.array(wire_of)
        others: dict[int, set] = {}
        for r, q in _touching(box, wire_of):
            others.setdefault(int(wire_of[r]), set()).add(int(wire_of[q]))
        accepted, out = set(), []
        for k, spots in enumerate(wishes):
            mine = others.get(k, set())
            if spots is not None and k not in mine and not (mine & accepted):
                accepted.add(k)
                out.append(spots)
            else:
                out.append(None)
        self.placed = box[np.isin(wire_of, list(accepted))]
        return out, rows, box, flags

    def box_at(self, i: int, spot):
        """The box of chip ``i`` at a spot on its wire (an int) or off it (a pair)."""
        if isinstance(spot, tuple):
            return self.off[i][0][spot]
        return self.boxes[i][spot]

    def placed_at(self, i: int, spot) -> Placed:
        box = tuple(self.box_at(i, spot).tolist())
        if isinstance(spot, tuple):
            j = spot[1]
            return Placed(box, (float(self.ax[i][j]), float(self.ay[i][j])), None,
                          bool(self.off[i][2][spot[0]]))
        return Placed(box, None, spot, bool(self.free[i][spot]))

    def _static_off(self, i: int):
        """The first spot off the wire that nodes and wires leave free, as a pair."""
        return self.first_off.get(i)

    def place(self, ids: list[int]) -> list[Placed]:
        """Spots for a wire's chips, clear of every chip placed so far."""
        hits = self._hits(np.concatenate([self.boxes[i] for i in ids]))  # all at once
        ok = [self.free[i] & ~hit for i, hit in zip(ids, np.split(hits, len(ids)))]
        spots = self.wish(ids, ok)
        out = []
        for k, i in enumerate(ids):
            spot = spots[k] if spots is not None else None
            partner = self._placed_point(ids[0], out[0]) if out else None
            if spot is None:  # the other chip placed, this one still may find room
                free = _alone(ok[k])
                for before in out:  # (ok[k] already keeps clear of the chips placed earlier)
                    free = free & ~_clash(self.boxes[i], before.box)
                if partner is not None:  # the right way up, if it can be on its wire
                    up = free & self._upright(i, self.boxes[i], self._spot_ys(i), partner)
                    free = up if up.any() else free
                spot = int(np.argmax(free)) if free.any() else None
            if spot is not None:
                placed = Placed(tuple(self.boxes[i][spot].tolist()), None, spot, True)
            else:
                placed = self._off_wire(i, partner) or self._least_bad(i)
            self.placed = np.vstack([self.placed, placed.box])
            out.append(placed)
        return out

    def _spot_ys(self, i: int) -> np.ndarray:
        """The y of the point on the wire of each of chip ``i``'s spots on it."""
        return np.tile(self.ay[i], self.boxes.shape[1] // len(SPOTS))

    def _at(self, i: int, spot):
        """Chip ``i`` at a spot on its wire or off it: its box and its point's y."""
        j = spot[1] if isinstance(spot, tuple) else spot % len(SPOTS)
        return self.box_at(i, spot), float(self.ay[i][j])

    def _placed_point(self, i: int, placed: Placed):
        """A placed chip's box and the y of its point on the wire."""
        if placed.anchor is not None:
            return np.array(placed.box), placed.anchor[1]
        if placed.spot is not None:
            return np.array(placed.box), float(self.ay[i][placed.spot % len(SPOTS)])
        # (Least bad off the wire, no leader kept: the box's own middle stands for it.)
        box = np.array(placed.box)
        return box, float((box[1] + box[3]) / 2)

    def _upright(self, i: int, boxes, point_y, partner) -> np.ndarray:
        """Which of chip ``i``'s boxes (on points at ``point_y``) keep its wire's pair
        the right way up against its ``partner`` (box, point y): the value's middle
        above the gradient's, and higher over its point than the gradient over its
        (no gradient standing on the wire over its value hanging under it)."""
        cy, d = heights(boxes, point_y)
        p_cy, p_d = heights(partner[0], partner[1])
        if self.chips[i].kind == FORWARD:
            return (cy < p_cy) & (d < p_d)
        return (cy > p_cy) & (d > p_d)

    def _upright_one(self, i: int, spot, partner) -> bool:
        box, y = self._at(i, spot)
        return bool(self._upright(i, box, y, partner))

    def _upright_spot(self, i: int, free, partner):
        """Chip ``i``'s first spot, on its wire (where ``free``) or off it (where nodes and
        wires leave room), clear of its partner and the right way up; None if none."""
        pbox = partner[0]
        room = _alone(free) & ~_clash(self.boxes[i], pbox) & self._upright(
            i, self.boxes[i], self._spot_ys(i), partner)
        if room.any():
            return int(np.argmax(room))
        if i not in self.off:
            self.off_wire_ground([i])
        box, bad, _near = self.off[i]
        flat = box.reshape(-1, 4)
        good = (~bad.ravel() & ~_clash(flat, pbox)
                & self._upright(i, box, self.ay[i][None, :], partner).ravel())
        if not good.any():
            return None
        m, j = np.unravel_index(int(np.argmax(good)), bad.shape)
        return (int(m), int(j))

    def _apart(self, ids, ok):
        """Spots for a wire's two chips apart on the wire: the first of the first
        chip's free spots that leaves the second one a free spot too, the value
        above its gradient (``_upright``); only where no such pair of spots is
        free, either way up (on its wire still, rather than off it)."""
        first, second = (self.boxes[i] for i in ids)
        a = CHIP_AIR
        js, ks = np.flatnonzero(_alone(ok[0])), np.flatnonzero(_alone(ok[1]))
        if not len(js) or not len(ks):
            return None
        g = second[ks][None, :, :]
        n = len(SPOTS)
        g_cy, g_d = heights(g, self.ay[ids[1]][ks % n][None, :])
        for upright in (True, False):
            for few in (js[:4], js[4:]):  # mostly one of the first few will do
                if not len(few):
                    continue
                f = first[few][:, None, :]
                room = ~((f[..., 0] - a < g[..., 2]) & (g[..., 0] < f[..., 2] + a)
                         & (f[..., 1] - a < g[..., 3]) & (g[..., 1] < f[..., 3] + a))
                if upright:
                    f_cy, f_d = heights(f, self.ay[ids[0]][few % n][:, None])
                    room &= (f_cy < g_cy) & (f_d < g_d)  # the value above its gradient
                some = room.any(axis=1)
                if some.any():
                    j = int(np.argmax(some))
                    return int(few[j]), int(ks[np.argmax(room[j])])
        return None

    def _hits(self, box) -> np.ndarray:
        """(spots,): the boxes come within CHIP_AIR of a chip placed already."""
        placed, a = self.placed, CHIP_AIR
        if len(placed):  # only those near some of the boxes can be hit
            near = ((placed[:, 0] < box[:, 2].max() + a) & (placed[:, 2] > box[:, 0].min() - a)
                    & (placed[:, 1] < box[:, 3].max() + a) & (placed[:, 3] > box[:, 1].min() - a))
            placed = placed[near]
        if not len(placed):
            return np.zeros(len(box), bool)
        return ((box[:, 0:1] - a < placed[:, 2]) & (placed[:, 0] < box[:, 2:3] + a)
                & (box[:, 1:2] - a < placed[:, 3]) & (placed[:, 1] < box[:, 3:4] + a)).any(axis=1)

    def off_wire_ground(self, ids) -> None:
        """Price the spots off the wire of these chips all at once (nodes and wires):
        chips with no free spot on their wire need them."""
        ids = np.asarray(ids, dtype=np.int64)
        if not len(ids):
            return
        kind = np.array([self.chips[i].kind for i in ids])
        w = np.array([self.chips[i].w for i in ids])[:, None, None]
        h = np.array([self.chips[i].h for i in ids])[:, None, None]
        wire = np.array([self.chips[i].wire for i in ids])[:, None, None]
        forward = np.array([sign * offset for offset in OFFSETS for sign in (-1.0, 1.0)])
        moves = np.where(kind[:, None] == FORWARD, forward, -forward)[:, :, None]  # (chips, moves, 1)
        ax, ay = self.ax[ids][:, None, :], self.ay[ids][:, None, :]
        shape = (len(ids), moves.shape[1], ax.shape[2])
        way = np.broadcast_to(np.where(moves < 0, STAND, HANG), shape)
        # (Left and right are the same for every move: their cells are found once.)
        box = chip_box(ax, ay + moves, w, h, way)
        near = np.broadcast_to(np.abs(moves) <= NEAR_OFF, shape)
        bad = self.ground.on_nodes(box)
        # Near the wire its own wire may pass by, others keep farther; off it, any wire.
        close = np.abs(forward) <= NEAR_OFF  # the same moves near for every chip
        for which, where in ((np.flatnonzero(close), wire), (np.flatnonzero(~close), None)):
            part = tuple(b if b.shape[1] == 1 else b[:, which] for b in box)
            bad[:, which] |= self.ground.other_wires(
                part, where, NEAR_OFF + TOUCH if where is not None else 0.0)
        stacked = np.stack([np.broadcast_to(b, shape) for b in box], axis=3)
        good = ~bad.reshape(len(ids), -1)
        first = np.argmax(good, axis=1)
        first_m, first_j = np.unravel_index(first, bad.shape[1:])
        for k, i, some, m, j in zip(range(len(ids)), ids.tolist(), good.any(axis=1).tolist(),
                                    first_m.tolist(), first_j.tolist()):
            self.off[i] = (stacked[k], bad[k], near[k, :, 0])
            self.first_off[i] = (m, j) if some else None

    def _off_wire(self, i: int, partner=None) -> Placed | None:
        """A spot near the wire where the chip covers nothing at all, with a leader:
        the nearest of OFFSETS above or below some point of the wire; given its
        ``partner`` placed (``_placed_point``), the pair the right way up."""
        if i not in self.off:
            self.off_wire_ground([i])
        box, bad, near = self.off[i]  # (moves, spots, 4), (moves, spots), (moves,)
        first = self.first_off[i]
        if first is None:  # nodes and wires leave none free
            return None
        if partner is not None:
            bad = bad | ~self._upright(i, box, self.ay[i][None, :], partner)
            if bad.all():
                return None
            first = np.unravel_index(int(np.argmax(~bad.ravel())), bad.shape)
        if self._hits(box[first][None, :])[0]:  # (else the first they leave free will do)
            bad = bad | self._hits(box.reshape(-1, 4)).reshape(bad.shape)
            if bad.all():
                return None
            first = np.unravel_index(int(np.argmax(~bad.ravel())), bad.shape)
        m, j = first
        return Placed(tuple(box[m, j].tolist()), (float(self.ax[i][j]), float(self.ay[i][j])),
                      None, bool(near[m]))

    def _least_bad(self, i: int) -> Placed:
        """The spot, on the wire or off it, where the chip hides least (see _least_bad_spot)."""
        return replace(self.placed_at(i, self._least_bad_spot(i)), on_wire=False)

    def _least_bad_spot(self, i: int, chips: bool = True):
        """The spot, on the wire or off it, where the chip hides least: nodes first,
        then chips (``chips``: those placed so far), then wires; on its wire, a spot
        on it wins a tie."""
        j, least = self.least[i]  # (also the least with chips, unless a chip is there)
        if chips and self._hits(self.boxes[i][j][None, :])[0]:
            cost = self.cost[i] + 2 * self._hits(self.boxes[i])
            j = int(np.argmin(cost))
            least = cost[j]
        if least < 4:
            return j
        # Over a node: better beside the wire, over a wire at worst.
        if i not in self.off:
            self.off_wire_ground([i])
        off_box, bad, _near = self.off[i]
        off_cost = 4 * self.ground.on_nodes(tuple(off_box[..., k] for k in range(4))) + 1
        if chips:
            off_cost = off_cost + 2 * self._hits(off_box.reshape(-1, 4)).reshape(bad.shape)
        m, k = np.unravel_index(int(np.argmin(off_cost)), off_cost.shape)
        return (int(m), int(k)) if off_cost[m, k] < least else j
