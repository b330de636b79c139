"""A layout that puts its items in rows as wide as it is, starting a new row when
the next item does not fit: the Check panel's controls (input, h, Nudge, Check all)
and its three big numbers at any text size in a narrow column.

Each row's items share the row's spare width (``justify``), are bottom-aligned
(a field with its label above it next to a button) or as tall as the row
(``fill``: framed boxes side by side), and an item wider than the
layout is given the layout's width (a wrapped title then takes more lines: its
height is its height for that width).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout


class FlowLayout(QLayout):
    def __init__(self, parent=None, spacing: int = 6, justify: bool = True,
                 fill: bool = False) -> None:
        super().__init__(parent)
        self._items = []
        self._gap = spacing
        self.justify = justify
        self.fill = fill  # every item as tall as its row (boxes side by side)
        self.setContentsMargins(0, 0, 0, 0)

    # QLayout's item list.
    def addItem(self, item) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientations(Qt.Orientation(0))

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._do_layout(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._do_layout(rect, apply=True)

    def sizeHint(self) -> QSize:
        """All in one row."""
        shown = self._shown()
        m = self.contentsMargins()
        width = sum(i.sizeHint().width() for i in shown) + self._gap * max(0, len(shown) - 1)
        height = max((i.sizeHint().height() for i in shown), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """As narrow as the narrowest an item gets (an item is never wider than the
        layout: a long one is given the layout's width)."""
        m = self.contentsMargins()
        width = max((self._least(i) for i in self._shown()), default=0)
        return QSize(width + m.left() + m.right(), m.top() + m.bottom())

    def rows(self) -> list[list]:
        """The items of each row as last laid out (for tests)."""
        return [list(row) for row in getattr(self, "_rows", [])]

    # ------------------------------------------------------------- layout
    def _shown(self) -> list:
        return [i for i in self._items if not i.isEmpty()]

    @staticmethod
    def _least(item) -> int:
        widget = item.widget()
        if widget is not None and widget.minimumWidth() > 0:
            return widget.minimumWidth()
        return min(item.minimumSize().width(), item.sizeHint().width())

    @staticmethod
    def _height(item, width: int) -> int:
        if item.hasHeightForWidth():
            return max(item.heightForWidth(width), item.minimumSize().height())
        return item.sizeHint().height()

    def _do_layout(self, rect: QRect, apply: bool) -> int:
        m = self.contentsMargins()
        inner = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        room = max(1, inner.width())
        rows, row, used = [], [], 0
        for item in self._shown():
            width = min(room, max(self._least(item), item.sizeHint().width()))
            extra = width + (self._gap if row else 0)
            if row and used + extra > room:
                rows.append(row)
                row, used, extra = [], 0, width
            row.append([item, width])
            used += extra
        if row:
            rows.append(row)
        y = inner.y()
        for k, row in enumerate(rows):
            spare = room - sum(w for _i, w in row) - self._gap * (len(row) - 1)
            if self.justify and spare > 0:
                for n, entry in enumerate(row):  # shared alike, the last takes the rest
                    share = spare // len(row) + (spare % len(row) if n == len(row) - 1 else 0)
                    entry[1] += share
            height = max(self._height(item, width) for item, width in row)
            x = inner.x()
            for item, width in row:
                h = height if self.fill else min(height, self._height(item, width))
                if apply:
                    item.setGeometry(QRect(QPoint(x, y + height - h), QSize(width, h)))
                x += width + self._gap
            y += height + (self._gap if k < len(rows) - 1 else 0)
        if apply:
            self._rows = [[item for item, _w in row] for row in rows]
        return y - rect.y() + m.bottom()
