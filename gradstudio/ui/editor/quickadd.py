"""Quick add: a small list at the cursor, filtered as you type, Enter adds."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QFrame, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout

from gradstudio.core.ops import OPS
from gradstudio.ui.editor.icons import op_icon
from gradstudio.ui.editor.palette import refresh_icons


class QuickAdd(QFrame):
    chosen = Signal(str, QPointF)  # op name, scene position

    def __init__(self, parent=None) -> None:
        super().__init__(parent, Qt.Popup)
        self.setFrameShape(QFrame.StyledPanel)
        self.scene_pos = QPointF()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Type to filter…")
        self.list = QListWidget(self)
        for op in OPS.values():
            item = QListWidgetItem(op_icon(op.name), op.title)
            item.setData(Qt.UserRole, op.name)
            self.list.addItem(item)
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.resize(200, 280)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self._accept)
        self.list.itemActivated.connect(lambda _item: self._accept())
        self.filter.installEventFilter(self)

    def open_at(self, global_pos, scene_pos: QPointF) -> None:
        self.scene_pos = QPointF(scene_pos)
        refresh_icons(self.list)  # in the theme of now
        self.filter.clear()
        self._apply_filter("")
        self.move(global_pos)
        self.show()
        self.filter.setFocus()

    def visible_ops(self) -> list[str]:
        return [self.list.item(i).data(Qt.UserRole) for i in range(self.list.count())
                if not self.list.item(i).isHidden()]

    def _apply_filter(self, text: str) -> None:
        text = text.strip().lower()
        first = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            name = item.data(Qt.UserRole)
            hidden = bool(text) and text not in name and text not in item.text().lower() \
                and text != OPS[name].symbol
            item.setHidden(hidden)
            if not hidden and first is None:
                first = item
        self.list.setCurrentItem(first)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == event.Type.KeyPress and event.key() in (Qt.Key_Down, Qt.Key_Up):
            self.list.keyPressEvent(event)  # arrows move through the list while typing
            return True
        return super().eventFilter(obj, event)

    def _accept(self) -> None:
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return
        self.hide()
        self.chosen.emit(item.data(Qt.UserRole), self.scene_pos)
