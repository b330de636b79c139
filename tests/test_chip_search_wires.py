"""The greedy search's wire count (ui/canvas/labels/search.py), which prices every chip
a step on a big graph places again: the spot it picks is the brute-force answer (of
the spots that overlap the fewest nodes and chips, the first that the fewest wires
have a sample strictly inside), and what does not depend on the chip (each wire's
hull, its blocks' hulls) is worked out once for all the chips placed among the
same wires, not once a chip."""

from __future__ import annotations

import numpy as np
import pytest

from gradstudio.ui.canvas.labels import search
from gradstudio.ui.canvas.labels.constants import ALIGNS, GAPS, RUN, SPOTS, WIRE_MARGIN


class Wire:
    """What Curves reads of an EdgeItem: its ends."""

    def __init__(self, ends) -> None:
        self._ends = tuple(float(v) for v in ends)


def spots_of(x: float, y: float, w: float, h: float):
    """A chip's candidates beside a level wire through (x, y), as ``search.candidates``
    lays them out (aligns, then spots, then gaps)."""
    xs = x + 400.0 * (np.array(SPOTS) - 0.5)
    ys = np.full(len(SPOTS), y)
    align = np.array(ALIGNS)[:, None, None]
    gap = np.array(GAPS)[None, None, :]
    shift = np.where(align == 0.0, gap, np.where(align == 1.0, -gap, 0.0))
    left = (xs[None, :, None] - w * align + shift).ravel()
    top = np.broadcast_to(ys[None, :, None] - gap - h, (len(ALIGNS), len(SPOTS), len(GAPS)))
    return left, top.ravel().copy()


def brute_force(left, top, w, h, curves) -> tuple[int, int]:
    """Every sample of every wire against every candidate."""
    wire, first, last = search.split(*curves.wholes()[:3], RUN)
    px, py, owner, _run = curves.samples(wire, first, last)
    m = WIRE_MARGIN
    inside = ((px[:, None] > left - m) & (px[:, None] < left + w + m)
              & (py[:, None] > top - m) & (py[:, None] < top + h + m))
    counts = np.array([len(np.unique(owner[inside[:, c]])) for c in range(len(left))])
    best = int(np.argmin(counts))  # (the first of the fewest)
    return best, int(counts[best])


@pytest.mark.parametrize("seed", range(6))
def test_the_spot_is_the_brute_force_answer_and_the_hulls_are_shared(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    # Long wires across the chips' neighbourhood, some crowding it.
    starts = rng.uniform([-900, -300], [100, 300], size=(60, 2))
    ends = starts + rng.uniform([200, -400], [1800, 400], size=(60, 2))
    curves = search.Curves([Wire((*a, *b)) for a, b in zip(starts, ends)])
    hulls = []
    hull = search.Curves.hull
    monkeypatch.setattr(search.Curves, "hull",
                        lambda self, *stretch: hulls.append(len(stretch[0]))
                        or hull(self, *stretch))
    chips = [(rng.uniform(-200, 200), rng.uniform(-150, 150), 90.0, 24.0) for _ in range(5)]
    for x, y, w, h in chips:
        left, top = spots_of(x, y, w, h)
        index, (overlap, count) = search.cheapest(left, top, w, h, np.empty((0, 4)),
                                                  np.empty(0), curves)
        assert overlap == 0.0
        assert (index, count) == brute_force(left, top, w, h, curves)
    # Wholes and blocks once for the five chips; then at most the runs of each chip.
    assert hulls[:2] == [curves.n, len(curves.blocks()[0])]
    assert len(hulls) <= 2 + len(chips)
