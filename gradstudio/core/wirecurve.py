"""The shape of a wire, in one place.

A wire is a cubic that leaves its output port level, going right, and arrives at
its input port level, from the left; its handles are half the horizontal distance
long, at least MIN_HANDLE, so a wire going back leftwards loops round. The canvas
draws it, the chip placers and the layout follow it: all of them take its control
points from here, and the Qt-free code its points and samples (``curves``,
``points``, ``samples``).
"""

from __future__ import annotations

import numpy as np

MIN_HANDLE = 40.0


def handle(sx: float, ex: float) -> float:
    """How far the control points lie right of the start and left of the end."""
    return max(MIN_HANDLE, abs(ex - sx) * 0.5)


def handles(sx: np.ndarray, ex: np.ndarray) -> np.ndarray:
    """``handle`` for many wires at once."""
    return np.maximum(MIN_HANDLE, np.abs(ex - sx) * 0.5)


def curves(ends: np.ndarray) -> np.ndarray:
    """Control points of each wire's cubic from its ends (rows of sx, sy, ex, ey):
    rows of x0..x3, y0..y3."""
    sx, sy, ex, ey = np.asarray(ends, dtype=float).reshape(-1, 4).T
    with np.errstate(all="ignore"):  # a node at 1e308: not finite, refused by the caller
        dx = handles(sx, ex)
        return np.column_stack([sx, sx + dx, ex - dx, ex, sy, sy, ey, ey])


def points(ctrl: np.ndarray, t: np.ndarray):
    """x, y on each row's cubic at the parameters ``t`` (broadcast against rows)."""
    m = 1.0 - t
    b = (m * m * m, 3 * m * m * t, 3 * m * t * t, t * t * t)
    x = sum(b[k] * ctrl[:, k:k + 1] for k in range(4))
    y = sum(b[k] * ctrl[:, 4 + k:5 + k] for k in range(4))
    return x, y


def samples(ctrl: np.ndarray, step: float, strict: bool = False):
    """Points along every wire about ``step`` px apart (``strict``: at most): x, y and
    the wire's index. A cubic moves at most three times its longest control leg per
    unit of its parameter, so that many samples keep every step short enough."""
    legs = np.hypot(np.diff(ctrl[:, :4]), np.diff(ctrl[:, 4:]))
    poly = 3 * legs.max(axis=1) if strict else legs.sum(axis=1)
    count = np.maximum(2, np.ceil(poly / step).astype(np.int64) + 1)
    owner = np.repeat(np.arange(len(ctrl)), count)
    start = np.cumsum(count) - count
    t = (np.arange(int(count.sum())) - np.repeat(start, count)) / np.repeat(count - 1, count)
    m = 1.0 - t
    b = (m * m * m, 3 * m * m * t, 3 * m * t * t, t * t * t)
    x, y = b[0] * ctrl[:, 0].take(owner), b[0] * ctrl[:, 4].take(owner)
    for k in range(1, 4):  # (in place, in the same order as a sum)
        x += b[k] * ctrl[:, k].take(owner)
        y += b[k] * ctrl[:, 4 + k].take(owner)
    return x, y, owner
