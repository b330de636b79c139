"""The node palette: every registered op, dragged onto the canvas to add it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem

from gradstudio.core.ops import OPS
from gradstudio.ui.icons import op_icon
from gradstudio.ui.view import OP_MIME


class NodePalette(QListWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragOnly)
        self.setIconSize(QSize(28, 28))
        self.setSpacing(1)
        for op in OPS.values():
            item = QListWidgetItem(op_icon(op.name), op.title)
            item.setData(Qt.UserRole, op.name)
            item.setToolTip(f"{op.title}: {op.formula or 'a value you set'} "
                            "— drag onto the canvas")
            self.addItem(item)

    def changeEvent(self, event) -> None:
        """A theme change repaints the application palette: redraw the icons in it."""
        super().changeEvent(event)
        if event.type() == QEvent.PaletteChange:
            refresh_icons(self)

    def sizeHint(self):
        """As wide as the longest op name beside its icon: the canvas gets the rest."""
        text = max(self.fontMetrics().horizontalAdvance(self.item(i).text())
                   for i in range(self.count()))
        width = text + self.iconSize().width() + 2 * self.frameWidth() + 24
        return QSize(width, 400)

    def op_names(self) -> list[str]:
        return [self.item(i).data(Qt.UserRole) for i in range(self.count())]

    def mimeTypes(self) -> list[str]:
        return [OP_MIME]

    def mimeData(self, items) -> QMimeData:
        mime = QMimeData()
        if items:
            mime.setData(OP_MIME, items[0].data(Qt.UserRole).encode("utf-8"))
            mime.setText(items[0].data(Qt.UserRole))
        return mime


def refresh_icons(widget: QListWidget) -> None:
    """Give each op item of ``widget`` its icon in the current theme."""
    for i in range(widget.count()):
        item = widget.item(i)
        item.setIcon(op_icon(item.data(Qt.UserRole)))
