"""How far apart a bigger text size draws a graph's nodes (no Qt).

At Text Size 200 % the boxes and chips are about twice as big. Drawn at the file's
positions, the room between the boxes, which the chips need, does not grow with
them: on a tight layout the chip placer finds no free spot and chips land on
nodes and on each other (tanh_neuron, colah_paths at 200 %). Spread by the whole
size, the graph is just bigger: fitted to a screen, its numbers are no bigger
than at 100 %, which is what the size is for.

So the canvas draws every file position ``f`` times farther from the origin, ``f``
the least of 1, 1.25, 1.5, … up to the size that leaves every chip a free spot on
its own wire and every box clear of the others (the auto-layout's own check of
its spacing, ``layout.chips_off_wire``). A graph laid out with room keeps its
positions and its texts grow relative to the spacing; a tight one spreads as
little as it must. Where not even the whole size clears everything (a graph
crowded at 100 % already), the whole size.
"""

from __future__ import annotations

import numpy as np

from gradstudio.core.layout import chips_off_wire

STEP = 0.25  # the spreads tried: 1, 1.25, 1.5, … the text size
AIR = 4.0  # px two boxes keep apart


def ladder(scale: float) -> list[float]:
    """The spreads tried at text size ``scale``, least first; the last is ``scale``."""
    steps = [1.0 + STEP * k for k in range(int((scale - 1.0) / STEP + 1e-9) + 1)]
    return steps if steps[-1] >= scale else steps + [scale]


def spread_for(model, positions: dict, sizes: dict, chips: dict, header: float,
               scale: float) -> float:
    """The least spread of ``ladder(scale)`` at which the boxes (``sizes``, as drawn
    at this text size) clear each other and every chip (``chips``, as
    ``chiptext.estimated_chips`` gives them) has a free spot on its own wire.
    ``positions``: the file's (x, y) of every node."""
    if scale <= 1.0 or len(positions) < 2:
        return 1.0

    def clear(f: float) -> bool:
        spread = {n: (x * f, y * f) for n, (x, y) in positions.items()}
        return (overlapping(spread, sizes) == 0
                and chips_off_wire(model, spread, sizes, chips, header) == 0)

    # More spread leaves more room: the least clear step is searched by halves
    # (four placements at 300 % rather than up to nine). Where even the whole size
    # leaves a chip off its wire, the whole size: nothing less does better.
    steps = ladder(scale)
    lo, hi = 0, len(steps) - 1
    if not clear(steps[hi]):
        return scale
    while lo < hi:
        mid = (lo + hi) // 2
        if clear(steps[mid]):
            hi = mid
        else:
            lo = mid + 1
    return steps[lo]


def overlapping(positions: dict, sizes: dict) -> int:
    """How many pairs of boxes come within AIR of each other."""
    ids = list(positions)
    xy = np.array([positions[n] for n in ids], dtype=float).reshape(-1, 2)
    wh = np.array([sizes[n] for n in ids], dtype=float).reshape(-1, 2)
    lo, hi = xy - AIR / 2, xy + wh + AIR / 2
    hit = ((lo[:, None, 0] < hi[None, :, 0]) & (lo[None, :, 0] < hi[:, None, 0])
           & (lo[:, None, 1] < hi[None, :, 1]) & (lo[None, :, 1] < hi[:, None, 1]))
    return int((np.triu(hit, 1)).sum())
