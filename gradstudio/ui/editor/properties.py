"""The properties panel: label and params of the selected node, edited with undo."""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS
from gradstudio.ui.editor.numberfield import NumberField


class PropertiesPanel(QWidget):
    statusMessage = Signal(str)

    def __init__(self, document, parent=None) -> None:
        super().__init__(parent)
        self.doc = document
        self.node_id: str | None = None
        self.form = QFormLayout(self)
        self.summary = QLabel("Select a node to edit it.", self)
        self.summary.setWordWrap(True)
        self.form.addRow(self.summary)
        self.label_edit: QLineEdit | None = None
        self.fields: dict[str, NumberField] = {}
        document.nodeChanged.connect(self._node_changed)
        document.nodeRemoved.connect(lambda n: self.show_node(None) if n == self.node_id else None)
        document.modelReset.connect(lambda: self.show_node(None))
        self.show_node(None)

    def sizeHint(self):
        return QSize(220, 300)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_summary()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._fit_summary()

    def _fit_summary(self) -> None:
        """The summary as tall as its wrapped text at this width: at 300 % "Select a
        node to edit it." takes two lines and was given one's height, cut top and
        bottom (a wrapped label's minimum is one line; the dock then squeezed it)."""
        margins = self.form.contentsMargins()
        width = max(1, self.width() - margins.left() - margins.right())
        # (measured from the text: a label's heightForWidth is never below its minimum)
        label = self.summary
        frame = label.frameWidth() + label.margin()
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(label.font())
        if "<" in label.text():  # (the summary of a node: HTML, its name escaped)
            doc.setHtml(label.text())
        else:
            doc.setPlainText(label.text())
        doc.setTextWidth(max(1, width - 2 * frame))
        height = math.ceil(doc.size().height()) + 2 * frame
        if height > 0 and label.minimumHeight() != height:
            label.setMinimumHeight(height)

    def show_node(self, node_id: str | None, count: int = 1) -> None:
        while self.form.rowCount() > 1:
            self.form.removeRow(1)  # deletes the row's widgets
        self.label_edit = None
        self.fields = {}
        self.node_id = node_id if node_id in self.doc.model else None
        if self.node_id is None:
            self.summary.setText("Select a node to edit it." if count <= 1
                                 else f"{count} nodes selected.")
            self._fit_summary()
            return
        model = self.doc.model
        op = OPS[model.node_data(self.node_id)["op"]]
        self._write_summary()
        self.label_edit = QLineEdit(model.label(self.node_id), self)
        self.label_edit.editingFinished.connect(self._label_edited)
        self.form.addRow("Label", self.label_edit)
        for param in op.params:
            field = NumberField(self)
            field.setValue(float(model.param(self.node_id, param.name)))
            field.setToolTip(param.doc)
            field.editingFinished.connect(lambda f=field, n=param.name: self._param_edited(n, f))
            field.refused.connect(self.statusMessage)
            self.fields[param.name] = field
            self.form.addRow(param.name.capitalize(), field)

    def _label_edited(self) -> None:
        if self.node_id is None or self.label_edit is None:
            return
        try:
            self.doc.set_label(self.node_id, self.label_edit.text())
        except GraphError as exc:
            self.statusMessage.emit(str(exc))
            self.label_edit.setText(self.doc.model.label(self.node_id))

    def _param_edited(self, name: str, field: NumberField) -> None:
        if self.node_id is None:
            return
        value = field.value()
        if float(self.doc.model.param(self.node_id, name)) == value:
            return
        try:
            self.doc.set_param(self.node_id, name, value)
        except GraphError as exc:
            self.statusMessage.emit(str(exc))

    def _write_summary(self) -> None:
        """The node's kind and name (its label; the id too where the two differ)."""
        model, node_id = self.doc.model, self.node_id
        op = OPS[model.node_data(node_id)["op"]]
        label = model.label(node_id)
        # Shown as text (not HTML) and shortened: a 10,000-character name must not
        # widen the dock (and the window) to tens of thousands of pixels.
        name = html.escape(_short(label))
        if label != node_id:
            name += f" (id <code>{html.escape(_short(node_id))}</code>)"
        self.summary.setText(f"<b>{op.title}</b> node {name}"
                             + (f"<br>{op.formula}" if op.formula else ""))
        self._fit_summary()

    def _node_changed(self, node_id: str, key: str) -> None:
        if node_id != self.node_id:
            return
        if key == "label":
            self._write_summary()
        if key == "label" and self.label_edit is not None and not self.label_edit.hasFocus():
            self.label_edit.setText(self.doc.model.label(node_id))
        elif key in self.fields:
            field = self.fields[key]
            value = float(self.doc.model.param(node_id, key))
            if field.value() != value:
                field.blockSignals(True)
                field.setValue(value)
                field.blockSignals(False)


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:39] + "…"
