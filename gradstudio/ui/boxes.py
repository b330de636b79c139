"""Many items' scene rectangles in numpy arrays, to find those meeting a rectangle.

Asking Qt's index for the nodes near the view of a big graph hands back every
item there, the couple of thousand long wires that cross it (and their chips)
too, one Python wrapper each: milliseconds per question, several questions per
pass. Kept here, the nodes' rectangles are compared with one numpy expression.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF


class Boxes:
    """Items by slot, with their rectangles (left, top, right, bottom; NaN: none)."""

    def __init__(self) -> None:
        self._items: list = []
        self._slots: dict = {}  # id(item) -> slot
        self._free: list[int] = []
        self._boxes = np.full((64, 4), np.nan)

    def clear(self) -> None:
        self._items, self._slots, self._free = [], {}, []
        self._boxes[:] = np.nan

    def set(self, item, rect: QRectF) -> None:
        """Where ``item`` is now (scene coordinates)."""
        slot = self._slots.get(id(item))
        if slot is None:
            if self._free:
                slot = self._free.pop()
                self._items[slot] = item
            else:
                slot = len(self._items)
                self._items.append(item)
                if slot == len(self._boxes):
                    grown = np.full((2 * slot, 4), np.nan)
                    grown[:slot] = self._boxes
                    self._boxes = grown
            self._slots[id(item)] = slot
        self._boxes[slot] = (rect.left(), rect.top(), rect.right(), rect.bottom())

    def remove(self, item) -> None:
        slot = self._slots.pop(id(item), None)
        if slot is not None:
            self._items[slot] = None
            self._boxes[slot] = np.nan
            self._free.append(slot)

    def meeting(self, rect: QRectF) -> list:
        """The items whose rectangles meet ``rect``."""
        boxes = self._boxes[:len(self._items)]
        hit = np.flatnonzero((boxes[:, 0] <= rect.right()) & (boxes[:, 2] >= rect.left())
                             & (boxes[:, 1] <= rect.bottom()) & (boxes[:, 3] >= rect.top()))
        items = self._items
        return [items[i] for i in hit.tolist()]
