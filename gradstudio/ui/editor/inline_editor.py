"""Editing a node's label or number in place, over the node, on double-click."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QLineEdit

from gradstudio.core.errors import GraphError
from gradstudio.core.numbers import editable_text, parse_number
from gradstudio.core.ops import OPS
from gradstudio.ui.editor.numberfield import decimal_comma
from gradstudio.ui.theme import THEME

MIN_PX = 10  # the field's text in pixels at least, however far the view is zoomed out


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
        doc, scene = self.window.doc, self.window.scene
        if node_id not in doc.model:
            return
        op = OPS[doc.model.node_data(node_id)["op"]]
        item = scene.nodes[node_id]
        if what == "param" and op.params:
            self.what = op.params[0].name
            rect = item.value_rect()
            font = THEME.font(1.0)
            self.setText(editable_text(doc.model.param(node_id, self.what)))
        else:
            self.what = "label"
            font = THEME.font(1.0, bold=True)
            # Over the name, the op's symbol left in sight when there is room for both.
            symbol = THEME.text_width(item.symbol, 1.1, True)
            whole = item.header_rect().adjusted(2, 2, -2, -2)
            rect = whole.adjusted(2, 0, -(symbol + 10), 0)
            self.setText(doc.model.label(node_id))
        self.node_id = node_id
        self._place(item, rect, font)
        if self.what == "label" and self.width() < self.fontMetrics().horizontalAdvance(
                self.text()) + 12:  # the name would not show whole: the whole header
            self._place(item, whole, font)
        self.show()
        self.setFocus()
        self.selectAll()

    def _place(self, item, rect: QRectF, font: QFont) -> None:
        """Over ``rect`` of ``item`` as the view shows it: never wider than the node,
        its text the size of the node's text on screen (at least MIN_PX). At a small
        zoom the field is taller than ``rect`` (to stay usable): it grows downwards,
        over the node's body, not above the node."""
        view = self.window.view
        shown = view.mapFromScene(item.mapToScene(rect)).boundingRect()
        px = QFontInfo(font).pixelSize() * view.zoom()
        font = QFont(font)
        font.setPixelSize(max(MIN_PX, round(px)))
        self.setFont(font)
        height = max(shown.height(), self.minimumSizeHint().height())
        self.setGeometry(shown.x(), shown.y(), shown.width(), height)

    def commit(self) -> None:
        if self.node_id is None:
            return
        node_id, what, text = self.node_id, self.what, self.text()
        self.node_id = None
        self.hide()
        doc = self.window.doc
        try:
            if what == "label":
                old = doc.model.label(node_id)
                doc.set_label(node_id, text)
                if doc.model.label(node_id) != old:  # (the drop's "Added scale1" is stale)
                    self.window.status(f"Renamed {old} to {doc.model.label(node_id)}")
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
