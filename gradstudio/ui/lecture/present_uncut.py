"""Where a view shown over part of a graph may stop without cutting a box in two.

A node or chip cut by the screen's edge reads as a different number (End on
logistic_neuron left ``a`` and the chip ``∂a/∂z = 0.2350`` half on the screen, a
lecturer found). Worked along one side at a time, on plain numbers: the view's
start (its left or top edge), its span, and the boxes' extents on that side.
"""

from __future__ import annotations


def uncut_start(start: float, span: float, boxes, gap: float, reach: float,
                keep: tuple[float, float] | None = None) -> float:
    """The view's start nearest ``start`` (no further than ``reach`` from it) at which
    every box ``(low, high)`` is whole in the view or wholly out of it, a box shown
    whole ``gap`` from the edge, and ``keep`` (the step's node) whole in the view.
    ``start`` itself where none is that near: a long move away from the step's node
    would cost the class its place more than a cut costs it a number."""
    boxes = list(boxes)

    def fine(at: float) -> bool:
        end = at + span
        if keep is not None and not (at <= keep[0] and keep[1] <= end):
            return False
        return all(high <= at or low >= end or (at <= low and high <= end)
                   for low, high in boxes)

    if fine(start):
        return start
    # A box just inside or just out, at the view's start or at its end.
    candidates = {at for low, high in boxes
                  for at in (low - gap, high + gap, high + gap - span, low - gap - span)}
    for at in sorted(candidates, key=lambda at: (abs(at - start), at)):
        if abs(at - start) > reach:
            break
        if fine(at):
            return at
    return start
