"""The properties panel: label and params of the selected node, edited with undo."""

from __future__ import annotations

import html

from PySide6.QtCore import QSize, Signal
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

    def show_node(self, node_id: str | None, count: int = 1) -> None:
        while self.form.rowCount() > 1:
            self.form.removeRow(1)  # deletes the row's widgets
        self.label_edit = None
        self.fields = {}
        self.node_id = node_id if node_id in self.doc.model else None
        if self.node_id is None:
            self.summary.setText("Select a node to edit it." if count <= 1
                                 else f"{count} nodes selected.")
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
