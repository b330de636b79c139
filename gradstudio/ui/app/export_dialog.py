"""The Export Image dialog: format, scale, background, whole graph or selection."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLineEdit, QPushButton, QWidget)

from gradstudio.ui import file_dialogs
from gradstudio.ui.theme import THEME


class ExportDialog(QDialog):
    def __init__(self, parent, has_selection: bool, default_name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Image")
        form = QFormLayout(self)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.path = QLineEdit(default_name, row)
        # Wide enough for the whole suggested path (the folder matters), within reason.
        metrics = self.path.fontMetrics()
        self.path.setMinimumWidth(min(max(metrics.horizontalAdvance(default_name) + 24,
                                          metrics.averageCharWidth() * 48), 900))
        self.path.setCursorPosition(0)
        browse = QPushButton("Browse…", row)
        browse.clicked.connect(self._browse)
        line.addWidget(self.path)
        line.addWidget(browse)
        form.addRow("File", row)
        self.format = QComboBox(self)
        self.format.addItems(["PNG", "SVG"])
        self.format.currentTextChanged.connect(self._format_changed)
        form.addRow("Format", self.format)
        self.scale = QComboBox(self)
        self.scale.addItems(["1×", "2×", "4×"])
        self.scale.setCurrentIndex(1)
        form.addRow("Scale", self.scale)
        self.background = QComboBox(self)
        # Opaque is the canvas's own colour (docs/lecture-look.md): say which.
        opaque = "White" if THEME.background.lightness() > 240 else "Canvas colour (dark)"
        self.background.addItems([opaque, "Transparent"])
        form.addRow("Background", self.background)
        self.scope = QComboBox(self)
        self.scope.addItems(["Whole graph", "Selection"])
        self.scope.model().item(1).setEnabled(has_selection)
        form.addRow("Export", self.scope)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        # Starts where the field says: the open file's folder unless changed.
        path, _ = file_dialogs.get_save_file_name(self, "Export to", self.path.text(),
                                                  "Images (*.png *.svg)")
        if path:
            self.path.setText(path)
            self.format.setCurrentText("SVG" if path.lower().endswith(".svg") else "PNG")

    def _format_changed(self, fmt: str) -> None:
        path = Path(self.path.text())
        self.path.setText(str(path.with_suffix("." + fmt.lower())))
        self.scale.setEnabled(fmt == "PNG")

    def options(self) -> dict:
        return dict(path=self.path.text(), scale=float(self.scale.currentText().rstrip("×")),
                    transparent=self.background.currentIndex() == 1,
                    selected_only=self.scope.currentIndex() == 1)
