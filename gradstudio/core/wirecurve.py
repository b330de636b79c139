"""The shape of a wire, in one place.

A wire is a cubic that leaves its output port level, going right, and arrives at
its input port level, from the left; its handles are half the horizontal distance
long, at least MIN_HANDLE, so a wire going back leftwards loops round. The canvas
draws it, the chip placers and the layout follow it: all of them take its control
points from here.
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
