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
        self.items: list = []  # by slot; None for a free slot
        self._slots: dict = {}  # id(item) -> slot
        self._free: list[int] = []
        self._boxes = np.full((64, 4), np.nan)

    @property
    def capacity(self) -> int:
        """Slots there is room for (others may keep arrays by slot beside these)."""
        return len(self._boxes)

    def clear(self) -> None:
        self.items, self._slots, self._free = [], {}, []
        self._boxes[:] = np.nan

    def slot(self, item) -> int:
        """The item's slot, given it now if it has none."""
        slot = self._slots.get(id(item))
        if slot is None:
            if self._free:
                slot = self._free.pop()
                self.items[slot] = item
            else:
                slot = len(self.items)
                self.items.append(item)
                if slot == len(self._boxes):
                    grown = np.full((2 * slot, 4), np.nan)
                    grown[:slot] = self._boxes
                    self._boxes = grown
            self._slots[id(item)] = slot
        return slot

    def set(self, item, rect: QRectF | None) -> int:
        """Where ``item`` is now (scene coordinates), or None: nowhere to be found."""
        slot = self.slot(item)
        self._boxes[slot] = np.nan if rect is None else (
            rect.left(), rect.top(), rect.right(), rect.bottom())
        return slot

    def remove(self, item) -> None:
        slot = self._slots.pop(id(item), None)
        if slot is not None:
            self.items[slot] = None
            self._boxes[slot] = np.nan
            self._free.append(slot)

    def slots_meeting(self, rect: QRectF) -> np.ndarray:
        """The slots of the items whose rectangles meet ``rect``."""
        boxes = self._boxes[:len(self.items)]
        return np.flatnonzero((boxes[:, 0] <= rect.right()) & (boxes[:, 2] >= rect.left())
                              & (boxes[:, 1] <= rect.bottom()) & (boxes[:, 3] >= rect.top()))

    def meeting(self, rect: QRectF) -> list:
        """The items whose rectangles meet ``rect``."""
        items = self.items
        return [items[i] for i in self.slots_meeting(rect).tolist()]

    def extent(self, rect: QRectF) -> QRectF:
        """The rectangle around the items whose rectangles meet ``rect`` (empty: none)."""
        boxes = self._boxes[:len(self.items)][self.slots_meeting(rect)]
        if not len(boxes):
            return QRectF()
        left, top = boxes[:, 0].min(), boxes[:, 1].min()
        return QRectF(left, top, boxes[:, 2].max() - left, boxes[:, 3].max() - top)
