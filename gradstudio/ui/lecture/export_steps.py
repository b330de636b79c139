"""File → Export Steps…: the step-by-step deck (``deck.py``) from the window.

The deck is drawn from a copy of the graph on a canvas of its own, with the
window's look (theme, text size, precision, shown kinds): the window's canvas,
its stepping and its undo history are left as they are. A deck of many pages
shows its progress and can be cancelled; cancelled or failed, nothing is written.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFormLayout,
                               QHBoxLayout, QLabel, QLineEdit, QMessageBox, QProgressDialog,
                               QPushButton, QWidget)

from gradstudio.core import fileformat
from gradstudio.core.errors import GraphError
from gradstudio.ui.canvas.scene import GraphScene
from gradstudio.ui import file_dialogs
from gradstudio.ui.lecture import deck
from gradstudio.ui.theme import THEME

FORMAT_KEY = "steps/format"  # the format chosen last, offered first the next time
FORMATS = (("PDF (one file)", "pdf"), ("PNG series", "png"), ("SVG series", "svg"))


class StepsDialog(QDialog):
    """Where and how: the file, PDF or a PNG/SVG series, the scale, the background."""

    def __init__(self, parent, default_name: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export Steps")
        form = QFormLayout(self)
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        self.path = QLineEdit(default_name, row)
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
        for text, kind in FORMATS:
            self.format.addItem(text, kind)
        self.format.currentIndexChanged.connect(self._format_changed)
        form.addRow("Format", self.format)
        self.scale = QComboBox(self)
        self.scale.addItems(["1× (1920 × 1080)", "2× (3840 × 2160)"])
        form.addRow("PNG size", self.scale)
        self.background = QComboBox(self)
        opaque = "White" if THEME.background.lightness() > 240 else "Canvas colour (dark)"
        self.background.addItems([opaque, "Transparent"])
        form.addRow("Background", self.background)
        self.names = QLabel(self)  # which files a series writes
        self.names.setWordWrap(True)
        form.addRow("", self.names)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel, self)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.path.textChanged.connect(self._explain)
        suffix = Path(default_name).suffix.lower().lstrip(".")
        self.format.setCurrentIndex(next((i for i, (_t, k) in enumerate(FORMATS)
                                          if k == suffix), 0))
        self._format_changed()

    def kind(self) -> str:
        return self.format.currentData()

    def _browse(self) -> None:
        path, _ = file_dialogs.get_save_file_name(self, "Export steps to", self.path.text(),
                                                  "Step decks (*.pdf *.png *.svg)")
        if path:
            self.path.setText(path)
            suffix = Path(path).suffix.lower().lstrip(".")
            for i, (_text, kind) in enumerate(FORMATS):
                if kind == suffix:
                    self.format.setCurrentIndex(i)

    def _format_changed(self, _index: int = 0) -> None:
        kind = self.kind()
        path = Path(self.path.text() or "steps")
        if path.suffix.lower() != "." + kind:
            self.path.setText(str(path.with_suffix("." + kind)))
        self.scale.setEnabled(kind == "png")
        self.background.setEnabled(kind != "pdf")  # a projected page is never see-through
        self._explain()

    def _explain(self) -> None:
        kind = self.kind()
        if kind == "pdf":
            self.names.setText("One page per step, 16:9, text selectable.")
            return
        first, second = deck.series_paths(self.path.text() or "steps", 2)
        self.names.setText(f"One file per page: {Path(first).name}, "
                           f"{Path(second).name}, …")

    def options(self) -> dict:
        kind = self.kind()
        return dict(path=self.path.text(), scale=2.0 if self.scale.currentIndex() == 1 else 1.0,
                    transparent=kind != "pdf" and self.background.currentIndex() == 1)


class ExportSteps:
    """The File menu's Export Steps… of one window."""

    def __init__(self, editor) -> None:
        self.editor = editor
        export = getattr(editor, "act_export", None)  # right after Export Image…
        actions = editor.menus["file"].actions()
        after = (actions[actions.index(export) + 1]
                 if export in actions and actions.index(export) + 1 < len(actions) else None)
        self.action = editor.add_action(
            "Export S&teps…", self.export_dialog, None,
            "Write the passes step by step as slides: a PDF, or a series of PNG or SVG "
            "files, one page per step with its explanation", menu="file", before=after)

    def default_name(self) -> str:
        """In the open file's folder (for a graph without a file, the folder last used,
        else the most recent file's, else the current one), as the last format chosen."""
        editor, doc = self.editor, self.editor.doc
        suffix = "." + self.last_format()
        if doc.path is not None:
            path = Path(doc.path).absolute()
            return str(path.with_name(f"{path.stem}-steps{suffix}"))
        recent = getattr(editor, "recent_files", lambda: [])()[:1]
        for folder in (editor.settings.value("files/folder"),
                       *(Path(p).parent for p in recent), Path.cwd()):
            if folder and Path(str(folder)).is_dir():
                break
        return str(Path(str(folder)).absolute() / f"{doc.suggested_stem()}-steps{suffix}")

    def last_format(self) -> str:
        kind = self.editor.settings.value(FORMAT_KEY, "pdf")
        return kind if kind in deck.KINDS else "pdf"

    def make_dialog(self) -> StepsDialog:
        return StepsDialog(self.editor, self.default_name())

    def export_dialog(self) -> None:
        dialog = self.make_dialog()
        if dialog.exec():
            kind = getattr(dialog, "kind", None)  # (a test's stand-in may have none)
            if kind is not None:
                self.editor.settings.setValue(FORMAT_KEY, kind())
            self.export_to(**dialog.options())

    def export_to(self, path, scale: float = 1.0, transparent: bool = False) -> list[str]:
        """Write the deck; the files written ([] when refused, failed or cancelled)."""
        editor = self.editor
        name = editor.doc.display_name()
        try:
            deck.kind_of(path)
        except GraphError as exc:
            self._error(str(exc))
            return []
        # The dialog shows at once: copying, drawing and measuring a big graph's pages
        # takes a while before the first page is written.
        progress = _Progress(editor, Path(path).name)
        try:
            progress.preparing()
            model = fileformat.loads(fileformat.dumps(editor.doc.model), name)
            deck.check_steppable(model, name)
            if progress.cancelled():
                raise deck.Cancelled()
            doc = type(editor.doc)(model)  # a document of its own: the window's is left alone
            scene = GraphScene(doc, indexed=False)
            scene.digits, scene.hidden = editor.scene.digits, set(editor.scene.hidden)
            steps_deck = deck.Deck(doc, scene)
            written = steps_deck.write(path, scale, transparent, progress,
                                       measuring=progress.measuring)
        except GraphError as exc:
            progress.close()
            self._error(str(exc))
            return []
        except deck.Cancelled:
            progress.close()
            editor.status("Export Steps cancelled: nothing written")
            return []
        except (ValueError, OSError) as exc:
            progress.close()
            self._error(str(exc))
            return []
        finally:
            progress.close()
        remember = getattr(editor, "remember_folder", None)
        if remember is not None:
            remember(path)
        # A deck explains every number step by step: a quiz's hidden ones show there.
        shown = (" (every number shown: a deck does not hide the quiz's)"
                 if getattr(editor.doc, "quiz", None) is not None else "")
        if len(written) == 1:
            editor.status(f"Exported the steps to {path}{shown}")
        else:
            gone = steps_deck.removed
            editor.status(f"Exported the steps as {len(written)} files: "
                          f"{Path(written[0]).name} … {Path(written[-1]).name}"
                          + (f"; {_count(len(gone), 'older page')} of that name removed "
                             f"({', '.join(Path(g).name for g in gone[:3])}"
                             f"{', …' if len(gone) > 3 else ''})" if gone else "") + shown)
        return written

    def _error(self, message: str) -> None:
        self.editor.status(message.splitlines()[0])
        show = getattr(self.editor, "show_error", None)
        if show is not None:
            show("Steps not exported", message)
        else:
            QMessageBox.critical(self.editor, "Steps not exported", message)


class _Progress:
    """The deck's progress dialog: shown at once, first while the pages are walked to
    measure them, then while they are written (the bar's two halves); Cancel stops
    either, and the window answers meanwhile (events are handled between pages)."""

    def __init__(self, parent, name: str) -> None:
        self.parent, self.name = parent, name
        self.dialog: QProgressDialog | None = None

    def _show(self, text: str, done: int, total: int) -> bool:
        if self.dialog is None:
            self.dialog = QProgressDialog(text, "Cancel", 0, 0, self.parent)
            self.dialog.setWindowTitle("Export Steps")
            self.dialog.setWindowModality(Qt.WindowModal)
            self.dialog.setMinimumDuration(0)
            self.dialog.setAutoClose(False)
            self.dialog.setAutoReset(False)
            self.dialog.show()
        dialog = self.dialog
        dialog.setLabelText(text)
        if total:
            dialog.setMaximum(2 * total)
        dialog.setValue(done)
        QApplication.processEvents()
        return not dialog.wasCanceled()

    def preparing(self) -> None:
        self._show(f"Preparing {self.name}…", 0, 0)

    def cancelled(self) -> bool:
        return not self._show(self.dialog.labelText(), self.dialog.value(), 0)

    def measuring(self, done: int, total: int) -> bool:
        return self._show(f"Preparing {self.name}: page {done} of {total}…", done, total)

    def __call__(self, done: int, total: int) -> bool:
        return self._show(f"Writing {self.name}: page {done} of {total}…", total + done, total)

    def close(self) -> None:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"


def install(editor) -> ExportSteps:
    """Add File → Export Steps…"""
    return ExportSteps(editor)

