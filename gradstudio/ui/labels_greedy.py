"""Placing chips one after another, each on its cheapest spot with the chips
already placed counted in, and again after a change, searching only where it must.

The spots' costs for nodes and wires come priced (``labels_price``) as one key per
spot: the overlap weight times SCALE plus the wire samples, so that comparing keys
compares (weight, wires) as ``labels._cheapest`` does. A chip whose cheapest spot
is free of placed chips takes it at once; otherwise a placed chip costs CHIP_COST
on each spot it overlaps, and the cheapest spot wins, the first of equals.

Chip k's choice depends on nothing but its own spots and keys and the boxes of
the chips before it. So after a Live edit, a chip whose spots are as last time,
whose keys did not change in favour of another spot, and near which no earlier
chip's box changed, takes the spot it took then: the result is the one a fresh
run would give.
"""

from __future__ import annotations

import numpy as np

from gradstudio.ui.labels import CHIP_COST

SCALE = float(1 << 20)  # a key: overlap weight * SCALE + wire samples (fewer than SCALE)
HASH = 64.0  # the cells placed chips are kept in


class Placement:
    """What ``choose`` was given and chose: per chip its spot, what placed chips
    added to its cost there (``extra``, in CHIP_COSTs), and its box (``boxes``:
    rows of left, top, right and bottom, a column per chip)."""

    def __init__(self, key, left, top, size, spot, extra, boxes) -> None:
        self.key, self.left, self.top, self.size = key, left, top, size
        self.spot, self.extra, self.boxes = spot, extra, boxes


def choose(key, left, top, size, before: Placement | None = None, same=None) -> Placement:
    """Each chip in turn (rows of ``key``, ``left``, ``top``: its spots; ``size``:
    its width and height) takes its cheapest spot, the chips before it counted in.
    ``before``: the placement of the same chips last time, to reuse; ``same``, if
    known, says which chips' spots, keys and sizes are as then."""
    n = len(key)
    best = key.argmin(axis=1)
    rows = np.arange(n)
    right, bottom = left + size[:, :1], top + size[:, 1:]
    spots = np.stack([left, top, right, bottom], axis=1)  # (chips, 4, spots)
    spot, extra = best.copy(), np.zeros(n)
    placed = _Placed(n)
    reach = moved = None
    if before is None:
        same = None
    else:
        if same is None:
            same = _unchanged(before, key, left, top, size)
        same = same.tolist()
        reach = _contenders(before, key, left, top, right, bottom).tolist()
        then = before.boxes.T.tolist()
        moved = _Boxes(2 * n)
    firsts = zip(best.tolist(), left[rows, best].tolist(), top[rows, best].tolist(),
                 size.tolist())
    for k, (i, x, y, (w, h)) in enumerate(firsts):
        if same is not None and same[k] and not moved.meets(*reach[k]):
            i, x, y = int(before.spot[k]), then[k][0], then[k][1]
            extra[k] = before.extra[k]
        else:
            taken = placed.overlaps(x, y, x + w, y + h)
            if taken:  # the spots that may still win cost no more than this one
                some = np.flatnonzero(key[k] <= key[k, i] + taken * CHIP_COST * SCALE)
                j, extra[k] = placed.cheapest(key[k, some], spots[k][:, some])
                i = int(some[j])
                x, y = float(left[k, i]), float(top[k, i])
            if moved is not None and then[k] != [x, y, x + w, y + h]:
                moved.add(*then[k])
                moved.add(x, y, x + w, y + h)
        spot[k] = i
        placed.add(k, x, y, x + w, y + h)
    return Placement(key, left, top, size, spot, extra, placed.columns)


def _unchanged(before: Placement, key, left, top, size) -> np.ndarray:
    """Per chip, whether it would choose as then, were the chips before it where
    they were.

    Its spots and size must be as then: then placed chips add to each spot what
    they added then, ``extra`` on its own spot, and on another at least nothing,
    and at least its own total then less that spot's key then (else that spot
    would have won then; for a spot before its own in order, more than that). If
    even so no other spot can beat its own total now (nor tie it, before it in
    order), it stays.
    """
    rows = np.arange(len(key))
    spots = ~(np.any(left != before.left, axis=1) | np.any(top != before.top, axis=1)
              | np.any(size != before.size, axis=1))
    total_then = (before.key[rows, before.spot] + before.extra * SCALE)[:, None]
    total_now = (key[rows, before.spot] + before.extra * SCALE)[:, None]
    at_least = key + (total_then - before.key) >= total_now
    earlier = np.arange(key.shape[1])[None, :] < before.spot[:, None]
    alone = np.where(earlier, key > total_now, key >= total_now)
    return spots & np.all(at_least | alone, axis=1)


def _contenders(before: Placement, key, left, top, right, bottom) -> np.ndarray:
    """Per chip, the box around its spots that could beat or tie its spot of last
    time (their keys are no higher than its total there now): if no chip before
    it moved into or out of that box, what it chose then still stands (given
    ``_unchanged``); a move elsewhere changes no cost that matters."""
    rows = np.arange(len(key))
    total_now = (key[rows, before.spot] + before.extra * SCALE)[:, None]
    contend = key <= total_now
    return np.stack([np.where(contend, left, np.inf).min(axis=1),
                     np.where(contend, top, np.inf).min(axis=1),
                     np.where(contend, right, -np.inf).max(axis=1),
                     np.where(contend, bottom, -np.inf).max(axis=1)], axis=1)


class _Boxes:
    """Boxes (of chips that moved), asked whether any meets a given box."""

    def __init__(self, most: int) -> None:
        self.boxes: list[tuple] = []
        self.columns = np.empty((4, most))

    def add(self, *box) -> None:
        self.columns[:, len(self.boxes)] = box
        self.boxes.append(box)

    def meets(self, x0: float, y0: float, x1: float, y1: float) -> bool:
        if len(self.boxes) <= 16:
            return any(a < x1 and x0 < c and b < y1 and y0 < d for a, b, c, d in self.boxes)
        a, b, c, d = self.columns[:, :len(self.boxes)]
        return bool(((a < x1) & (x0 < c) & (b < y1) & (y0 < d)).any())


class _Placed:
    """The chips placed so far: their boxes in HASH-sized cells, for a quick look
    whether a spot is taken, and as columns of numpy, for pricing many spots."""

    def __init__(self, n: int) -> None:
        self.cells: dict[tuple[int, int], list] = {}
        self.columns = np.empty((4, n))  # left, top, right, bottom
        self.n = 0

    def add(self, k: int, x0: float, y0: float, x1: float, y1: float) -> None:
        box = (x0, y0, x1, y1, k)
        cells = self.cells
        for cx in range(int(x0 // HASH), int(x1 // HASH) + 1):
            for cy in range(int(y0 // HASH), int(y1 // HASH) + 1):
                if (cx, cy) in cells:
                    cells[cx, cy].append(box)
                else:
                    cells[cx, cy] = [box]
        self.columns[:, self.n] = box[:4]
        self.n += 1

    def overlaps(self, x0: float, y0: float, x1: float, y1: float) -> int:
        """How many placed chips overlap this box (open rectangles)."""
        found = None
        cells = self.cells
        for cx in range(int(x0 // HASH), int(x1 // HASH) + 1):
            for cy in range(int(y0 // HASH), int(y1 // HASH) + 1):
                for a, b, c, d, k in cells.get((cx, cy), ()):
                    if a < x1 and x0 < c and b < y1 and y0 < d:
                        if found is None:
                            found = {k}
                        else:
                            found.add(k)
        return 0 if found is None else len(found)

    def cheapest(self, key, spots) -> tuple[int, float]:
        """The cheapest of these spots (rows of left, top, right, bottom) with
        CHIP_COST for each placed chip it overlaps (the first of equals), and what
        those add to it."""
        low, high = spots.min(axis=1), spots.max(axis=1)
        boxes = self.columns[:, :self.n]
        near = boxes[0] < high[2]
        near &= boxes[2] > low[0]
        near &= boxes[1] < high[3]
        near &= boxes[3] > low[1]
        x0, y0, x1, y1 = boxes[:, near]
        left, top, right, bottom = spots[:, :, None]
        hit = left < x1
        hit &= x0 < right
        hit &= top < y1
        hit &= y0 < bottom
        hits = hit.sum(axis=1)
        i = int((key + hits * (CHIP_COST * SCALE)).argmin())
        return i, float(hits[i] * CHIP_COST)
