"""How a chip can sit on a point of its wire: the ways, the points, the boxes.

The placer (``chipplace``) prices every chip in every one of these at once; the
canvas draws a pair joined (``JOIN``) as the placer put it. Kept apart from the
placing, which changes for its own reasons (order, clashes, leader lines): a new
way to sit is added here, with its block in ``WAYS``, its box in ``way_boxes``.
"""

from __future__ import annotations

import numpy as np

TOUCH = 1.0  # px between a chip and the wire it stands on or hangs under
# A pair placed at one point of its wire (the value standing on it, the gradient
# hanging under it) is drawn joined: the value chip comes down over the wire to
# the gradient chip's top edge, covering the wire's stroke (1.8 px) across its
# width, so the wire goes into the pair and out of it, with no stray sliver of it
# drawn between the two. (CLEAR px from other wires and CHIP_AIR from other chips,
# several px, absorb the move.)
JOIN = 2 * TOUCH - 0.02
# Points along the wire, as the curve's parameter, the middle first.
SPOTS = tuple(sorted(np.round(np.linspace(0.1, 0.9, 17), 3).tolist(), key=lambda t: abs(t - 0.5)))
# How a chip sits on its point: standing on the wire, threaded on it, hanging under it;
# and centred on the point or beside it, its right or left edge there (a chip standing
# on a wire that climbs rightwards keeps clear of it up and to the left).
STAND, THREAD, HANG = 0, 1, 2
UNDER = 3  # hanging under its wire's value chip, which hangs under the wire (block STACK)
CENTRE, LEFT, RIGHT = 0.5, 1.0, 0.0  # the share of the chip left of the point
# Side by side: the chip's right (BEFORE) or left (AFTER) edge SIDE_GAP px off the point,
# so a pair standing (or hanging) together on a wire leaves a hair between them.
BEFORE, AFTER = 1.0001, -0.0001  # (keys only: their shares are LEFT and RIGHT)
SIDE_GAP = 1.5
FORWARD, GRAD = 0, 1
# Each kind's ways, the preferred first: the forward chip stands, the gradient hangs.
# Block b of the one pairs with block b of the other for b < PAIRS: standing up-left
# of the point goes with hanging down-right of it, as beside a climbing wire; where
# the wire has room on one side only (a·a: two wires between the same nodes), the
# value and its gradient stand, or hang, side by side on it, one block.
WAYS = (((STAND, CENTRE), (STAND, LEFT), (STAND, RIGHT), (THREAD, CENTRE),
         (HANG, CENTRE), (HANG, RIGHT), (HANG, LEFT), (STAND, BEFORE), (HANG, BEFORE)),
        ((HANG, CENTRE), (HANG, RIGHT), (HANG, LEFT), (THREAD, CENTRE),
         (STAND, CENTRE), (STAND, LEFT), (STAND, RIGHT), (STAND, AFTER), (HANG, AFTER)),
        )
# Where no point has room above the wire for the value (a short wire under another
# wire's end), the pair hangs at one point instead: the value under the wire, its
# gradient under the value (STACK_GAP apart, drawn as one), still the right way up.
WAYS = tuple(ways + ((HANG, CENTRE) if kind == 0 else (UNDER, CENTRE),)
             for kind, ways in enumerate(WAYS))
STACK = 9
STACK_GAP = 0.02
PAIRS = 3
SIDE = 7  # blocks SIDE and SIDE + 1 pair too (side by side), on a wire with a twin only
# Off the wire (with a leader): how far from the point, above or below. Up to NEAR_OFF
# the chip still keeps the rule (within 12 px of its wire, others 6 px farther).
OFFSETS = (4.0, 8.0, 14.0, 26.0, 40.0, 60.0, 90.0, 130.0)
NEAR_OFF = 8.0


def chip_box(x, y, w, h, way, side=CENTRE):
    """Left, top, right, bottom of a w × h chip sitting ``way`` on the point (x, y),
    ``side`` of its width left of the point."""
    top = np.where(way == STAND, y - TOUCH - h, np.where(way == HANG, y + TOUCH, y - h / 2))
    left = x - w * side
    return left, top, left + w, top + h


_SIDES = (CENTRE, LEFT, RIGHT, BEFORE, AFTER)
# Each side's share of the chip left of the point, and how far beyond that it moves.
_SHARE = np.array([CENTRE, LEFT, RIGHT, LEFT, RIGHT])
_SHIFT = np.array([0.0, 0.0, 0.0, -SIDE_GAP, SIDE_GAP])
# Each kind's ways as (way, index into _SIDES) per block.
_PICKS = np.array([[(way, _SIDES.index(side)) for way, side in blocks] for blocks in WAYS])


def way_boxes(ax, ay, size, kind, over) -> np.ndarray:
    """(chips, blocks × spots, 4): every chip's box at every point of its wire, each of
    its kind's ways in turn (``chip_box``, its lefts and tops made once); ``over``: the
    height of the value chip over each chip (hanging under it), 0 for none."""
    w, h = size[:, :1, None], size[:, 1:, None]
    x, y = ax[:, None, :], ay[:, None, :]
    lefts = x - w * _SHARE[None, :, None] + _SHIFT[None, :, None]  # (chips, sides, spots)
    tops = np.empty((len(kind), 4, ax.shape[1]))  # (chips, ways, spots)
    tops[:, STAND], tops[:, THREAD], tops[:, HANG] = (y - TOUCH - h)[:, 0], (y - h / 2)[:, 0], \
        (y + TOUCH)[:, 0]
    tops[:, UNDER] = tops[:, HANG] + (over + STACK_GAP)[:, None]
    pick = _PICKS[kind]  # (chips, blocks, 2)
    rows = np.arange(len(kind))[:, None]
    left, top = lefts[rows, pick[..., 1]], tops[rows, pick[..., 0]]  # (chips, blocks, spots)
    boxes = np.empty(left.shape + (4,))
    boxes[..., 0], boxes[..., 1] = left, top
    boxes[..., 2], boxes[..., 3] = left + w, top + h
    return boxes.reshape(len(kind), -1, 4)


def heights(box, point_y):
    """Each box's centre y, and how far that lies below its point on the wire."""
    cy = (box[..., 1] + box[..., 3]) * 0.5
    return cy, cy - point_y
