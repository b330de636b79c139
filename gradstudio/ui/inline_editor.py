"""Editing a node's label or number in place, over the node, on double-click."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import QLineEdit

from gradstudio.core.errors import GraphError
from gradstudio.core.numbers import editable_text, parse_number
from gradstudio.core.ops import OPS
from gradstudio.ui.numberfield import decimal_comma


class InlineEditor(QLineEdit):
    """Enter or leaving the field commits; Escape cancels. Bad numbers keep the old value."""

    def __init__(self, window) -> None:
        super().__init__(window.view.viewport())
        self.window = window
        self.node_id: str | None = None
        self.what = ""  # "label" or a param name
        self.hide()
        self.returnPressed.connect(self.commit)
        self.installEventFilter(self)

    def start(self, node_id: str, what: str) -> None:
        doc, scene, view = self.window.doc, self.window.scene, self.window.view
        if node_id not in doc.model:
            return
        op = OPS[doc.model.node_data(node_id)["op"]]
        item = scene.nodes[node_id]
        if what == "param" and op.params:
            self.what = op.params[0].name
            rect = item.value_rect()
            self.setText(editable_text(doc.model.param(node_id, self.what)))
        else:
            self.what = "label"
            rect = item.header_rect().adjusted(6, 2, -40, -2)
            self.setText(doc.model.label(node_id))
        self.node_id = node_id
        top_left = view.mapFromScene(item.mapToScene(rect.topLeft()))
        bottom_right = view.mapFromScene(item.mapToScene(rect.bottomRight()))
        self.setGeometry(top_left.x(), top_left.y(), max(80, bottom_right.x() - top_left.x()),
                         max(22, bottom_right.y() - top_left.y()))
        self.show()
        self.setFocus()
        self.selectAll()

    def commit(self) -> None:
        if self.node_id is None:
            return
        node_id, what, text = self.node_id, self.what, self.text()
        self.node_id = None
        self.hide()
        doc = self.window.doc
        try:
            if what == "label":
                doc.set_label(node_id, text)
            else:
                doc.set_param(node_id, what, parse_number(text, decimal_comma()))
        except (ValueError, GraphError) as exc:
            kept = doc.model.label(node_id) if what == "label" else editable_text(
                doc.model.param(node_id, what))
            self.window.status(f"{exc}; kept {kept}")
        self.window.view.setFocus()

    def cancel(self) -> None:
        self.node_id = None
        self.hide()
        self.window.view.setFocus()

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.KeyPress and event.key() == Qt.Key_Escape:
            self.cancel()
            return True
        if event.type() == QEvent.FocusOut and self.node_id is not None:
            self.commit()
        return super().eventFilter(obj, event)
