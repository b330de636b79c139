"""The node palette: every registered op, dragged onto the canvas to add it."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt
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

    def sizeHint(self):
        return QSize(150, 400)

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
