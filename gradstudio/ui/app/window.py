"""The main window: the editor (``ui/editor``) with files, export and recovery,
and the features plugged in through the editor's API.

Dialogs go through small methods (ask_open_path, ask_unsaved, ...) so tests
can answer them without a person.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QProgressDialog, QStyle

from gradstudio.core.atomic import SaveError
from gradstudio.core.errors import GraphError
from gradstudio.core.model import GraphModel
from gradstudio.resources_path import resource
from gradstudio.ui import file_dialogs
from gradstudio.ui.app import look, recovery, textsize
from gradstudio.ui.app.export_dialog import ExportDialog
from gradstudio.ui.canvas.export import export_image
from gradstudio.ui.editor import arrange, formula_bar
from gradstudio.ui.editor.document import Document
from gradstudio.ui.editor.editor import Editor
from gradstudio.ui.lecture import copy_image, export_steps
from gradstudio.ui.lecture import present
from gradstudio.ui.teaching import install as install_teaching, stepper
from gradstudio.ui.lecture.quiz import install as install_quiz

MAX_RECENT = 8
FIRST_SHARE = 0.9  # of the screen's room, a first start's window (see _first_geometry)
BIG_GRAPH_ITEMS = 5000  # nodes + wires from which opening shows progress and can be cancelled
EXAMPLES = (("chain_rule", "J = 3(a + b·c): the chain rule, step by step"),
            ("colah_paths", "e = (a+b)(b+1): a fan-out sums its paths"),
            ("square", "J = ½·a·a: one node wired into both ports"),
            ("logistic_neuron", "L = −log σ(w1·x1 + w2·x2 + b): logistic regression's loss"),
            ("tanh_neuron", "o = tanh(x1·w1 + x2·w2 + b): micrograd's neuron"))
GRAPH_FILTER = "gradstudio graphs (*.json);;All files (*)"


class MainWindow(Editor):
    """The editor in a window of its own: files (New, Open, Save, recent files,
    examples), export, recovery, and the features plugged in."""

    def __init__(self, document: Document | None = None) -> None:
        super().__init__(document)
        self.big_graph_items = BIG_GRAPH_ITEMS
        self._progress_dialog = None
        self._make_file_menu()
        self.doc.titleChanged.connect(self.update_title)
        install_teaching(self)  # nudge check, paths, forward mode: ui/teaching
        self.formula_bar = formula_bar.install(self)  # the Formula: field, New from Formula…
        self.arrange = arrange.install(self)  # Arrange: auto-layout, snap to grid, align
        self.look = look.install(self)  # View → Theme, Text Size, Show, Precision
        self.stepping = stepper.install(self)  # Step Forward/Backward/Back, the Explanation dock
        self.copy_image = copy_image.install(self)  # Edit → Copy Image (Ctrl+Shift+C)
        self.export_steps = export_steps.install(self)  # File → Export Steps…: step decks
        # View → Present (F11): full screen, big text, the remote's keys step
        self.presentation = present.install(self, self.stepping, self.look.text_size.apply)
        self.recovery = recovery.RecoveryWriter(self.doc, self)  # unsaved work survives a crash
        self.recovery.failed.connect(self.status)
        self.quiz_mode = install_quiz(self)  # Teach → Quiz: ? chips, reveal, answers
        self.presentation.reveal_next = self.quiz_mode.reveal_next  # a ? before the next step
        # The document's name, its formula or file as the tooltip (the title bar has none).
        self.doc_label = QLabel(self)
        self.doc_label.setObjectName("document_name")
        self.statusBar().addPermanentWidget(self.doc_label)
        self.statusBar().showMessage("Ready")
        self.update_title()
        self._restore_geometry()

    def _make_file_menu(self) -> None:
        K = QKeySequence.StandardKey
        menu = self.menus["file"]
        a = self.add_action
        self.act_new = a("&New", self.new_file, K.New, menu="file")
        self.act_open = a("&Open…", self.open_dialog, K.Open, menu="file")
        self.recent_menu = menu.addMenu("Open &Recent")
        self.examples_menu = menu.addMenu("E&xamples")
        for name, description in EXAMPLES:
            action = self.examples_menu.addAction(f"{name} — {description}")
            action.setToolTip(f"{name} — {description}")
            action.triggered.connect(lambda _=False, n=name: self.open_example(n))
        self.examples_menu.setToolTipsVisible(True)
        # (before the text size's widening, connected later, measures the menu)
        self.examples_menu.aboutToShow.connect(self._fit_examples)
        menu.addSeparator()
        self.act_save = a("&Save", self.save, K.Save, menu="file")
        self.act_save_as = a("Save &As…", self.save_as, K.SaveAs, menu="file")
        self.act_export = a("&Export Image…", self.export_dialog, "Ctrl+E", menu="file")
        menu.addSeparator()
        self.act_quit = a("&Quit", self.close, "Ctrl+Q", menu="file")
        self._fill_recent()

    def _fit_examples(self) -> None:
        """Each example's entry as long as the screen has room for: its name, formula
        and what it shows; else its name and formula; else its name (the whole entry
        is its tooltip). At 300 % the longest took 1,456 px of a 1,280 px screen."""
        menu = self.examples_menu
        metrics = menu.fontMetrics()
        # Besides its text a row takes the menu's margins and check column, and the
        # text size's widening one row height more (textsize.widen).
        actions = menu.actions()
        for action, (name, description) in zip(actions, EXAMPLES):
            action.setText(f"{name} — {description}")
        widest = max(metrics.horizontalAdvance(a.text()) for a in actions)
        rest = textsize.measured(menu) - widest + 2 * metrics.height()
        room = menu.screen().availableGeometry().width() - rest if menu.screen() else widest
        for action, (name, description) in zip(actions, EXAMPLES):
            for text in (f"{name} — {description}",
                         f"{name} — {description.split(':')[0]}", name):
                if metrics.horizontalAdvance(text) <= room:
                    break
            action.setText(text)

    def update_title(self) -> None:
        doc = self.doc
        self.setWindowTitle(f"{doc.display_name()}[*] — gradstudio")
        self.setWindowModified(doc.dirty)
        self.doc_label.setText(doc.display_name() + (" (unsaved)" if doc.dirty else ""))
        if doc.path is not None:
            tip = str(doc.path.absolute())
        elif doc.formula is not None:
            tip = f"Built from the formula {doc.formula}; not saved yet"
        elif doc.template is not None:
            tip = f"A copy of the example {doc.template.stem}; Save asks for a file name"
        else:
            tip = "A new graph; Save asks for a file name"
        self.doc_label.setToolTip(tip)

    # ------------------------------------------------------------------ files
    def new_file(self) -> None:
        if self.maybe_save():
            self.doc.set_model(GraphModel())

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path = self.ask_open_path()
        if path:
            self.open_path(path, ask=False)

    def open_path(self, path, ask: bool = True) -> bool:
        """Open a file; a bad one shows its message and leaves the document as it was."""
        if ask and not self.maybe_save():
            return False
        doc = self.doc
        previous = (doc.model, doc.path, doc.untitled_name, not doc.undo_stack.isClean(),
                    doc.formula, doc.template)
        self.scene.progress = lambda done, total: self._building(path, done, total)
        try:
            doc.open(path)
        except GraphError as exc:
            self.show_error("Cannot open", str(exc))
            return False
        finally:
            self.scene.progress = None
            if self._progress_dialog is not None:
                self._progress_dialog.close()
                self._progress_dialog = None
        if self.scene.cancelled:  # put back what was open before, unsaved changes included
            model, old_path, untitled, dirty, formula, template = previous
            doc.set_model(model, old_path, formula=formula)
            doc.untitled_name, doc.template = untitled, template
            if dirty:
                doc.undo_stack.resetClean()
            self.update_title()
            self.status(f"Opening {path} cancelled")
            return False
        self.add_recent(path)
        self.remember_folder(path)
        self.status(f"Opened {path}")
        return True

    def _building(self, path, done: int, total: int) -> bool:
        """Progress while a big graph's canvas is built: the window repaints, Cancel works."""
        if total < self.big_graph_items:
            return True
        if self._progress_dialog is None:
            dialog = QProgressDialog(f"Opening {Path(path).name}…", "Cancel", 0, total, self)
            dialog.setWindowModality(Qt.WindowModal)
            dialog.setMinimumDuration(0)
            self._progress_dialog = dialog
        self._progress_dialog.setValue(done)
        QApplication.processEvents()
        return not self._progress_dialog.wasCanceled()

    def open_example(self, name: str) -> None:
        if not self.maybe_save():
            return
        try:
            self.doc.open_template(resource("examples", f"{name}.json"))
        except GraphError as exc:
            self.show_error("Cannot open", str(exc))

    def save(self) -> bool:
        if self.doc.path is None:
            return self.save_as()
        return self._save_to(self.doc.path)

    def save_as(self) -> bool:
        path = self.ask_save_path()
        if not path:
            return False
        if Path(path).suffix == "":
            path = f"{path}.json"
        return self._save_to(path)

    def _save_to(self, path) -> bool:
        try:
            self.doc.save(path)
        except (SaveError, OSError) as exc:
            # (Its changes, if any, are still unsaved; a graph saved elsewhere before is
            # "still open", not "unsaved": a lecturer saving a clean graph to /proc
            # was told it was unsaved.)
            state = "still open and unsaved" if self.doc.dirty else "still open, as it was"
            self.show_error("Not saved", f"{exc}\nThe graph is {state}.")
            return False
        self.add_recent(path)
        self.remember_folder(path)
        self.status(f"Saved {path}")
        return True

    def maybe_save(self) -> bool:
        """Ask Save / Discard / Cancel when there are unsaved changes; True to go on."""
        if not self.doc.dirty:
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save()
        return answer == "discard"

    def closeEvent(self, event) -> None:
        if self.maybe_save():
            self.recovery.remove()
            self.settings.setValue("window/geometry", self.saveGeometry())
            self.settings.setValue("window/state", self.saveState())
            event.accept()
        else:
            event.ignore()

    def _restore_geometry(self) -> None:
        geometry = self.settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self._first_geometry()
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    def _first_geometry(self) -> None:
        """A first start: FIRST_SHARE of the screen's room, centred, at least 1280 × 800
        where the room allows. The canvas is where the numbers are: a 1280 × 800 window
        on a 1920 × 1080 screen fitted tanh_neuron at 43 %, its digits 5 px high. Never
        more than the room, the title bar left room too (a 1280 × 720 projector had the
        status bar and the docks' tabs off its bottom)."""
        room = self.screen().availableGeometry()
        high = room.height() - self.style().pixelMetric(QStyle.PM_TitleBarHeight)
        width = min(room.width(), max(1280, round(FIRST_SHARE * room.width())))
        height = min(high, max(800, round(FIRST_SHARE * high)))
        self.resize(width, height)
        self.move(room.left() + (room.width() - width) // 2,
                  room.top() + (high - height) // 2)

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def add_recent(self, path) -> None:
        """``path`` first in File → Open Recent."""
        path = str(Path(path).resolve())
        recent = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recent", [path, *recent][:MAX_RECENT])
        self._fill_recent()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        recent = self.recent_files()
        for path in recent:
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.open_path(p))
        self.recent_menu.setEnabled(bool(recent))

    def offer_recovery(self) -> int:
        """Ask Restore / Discard for each graph a crashed gradstudio left; how many restored."""
        restored = 0
        for info in recovery.pending():
            answer = self.ask_restore(info)
            if answer == "discard":
                info.discard()
            elif answer == "restore":
                target = self if restored == 0 and self.maybe_save() else None
                if target is None:
                    target = MainWindow()
                    self.__dict__.setdefault("restored_windows", []).append(target)
                    target.show()
                try:
                    recovery.restore(target.doc, info)
                except GraphError as exc:
                    self.show_error("Cannot restore", str(exc))
                    continue
                if target.recovery.write_now():  # ours now: then the old copy can go
                    info.discard()
                target.status(f"Restored unsaved changes from {info.when()}")
                restored += 1
        return restored

    # Dialogs, kept apart so tests can answer them.
    def ask_restore(self, info) -> str:
        """Restore / Discard a recovered graph ("later" keeps it for next time)."""
        box = QMessageBox(QMessageBox.Question, "Recover unsaved changes",
                          f"gradstudio was closed without saving {info.name}.\n\n"
                          f"{info.describe()}.\n\nRestore these changes?", parent=self)
        restore = box.addButton("&Restore", QMessageBox.AcceptRole)
        discard = box.addButton("&Discard", QMessageBox.DestructiveRole)
        box.addButton("Ask &Later", QMessageBox.RejectRole)
        box.setDefaultButton(restore)
        box.exec()
        clicked = box.clickedButton()
        return "restore" if clicked is restore else "discard" if clicked is discard else "later"

    def ask_open_path(self) -> str:
        return file_dialogs.get_open_file_name(self, "Open graph", self._folder(),
                                               GRAPH_FILTER)[0]

    def ask_save_path(self) -> str:
        return file_dialogs.get_save_file_name(self, "Save graph as", self._suggested_name(),
                                               GRAPH_FILTER)[0]

    def ask_unsaved(self) -> str:
        box = QMessageBox(QMessageBox.Warning, "Unsaved changes",
                          f"Save the changes to {self.doc.display_name()}?",
                          QMessageBox.Save | QMessageBox.Discard | QMessageBox.Cancel, self)
        if self.doc.path is None and self.doc.formula is not None:
            box.setInformativeText(f"It was built from {self.doc.formula} "
                                   "and has never been saved.")
        answer = box.exec()
        return {QMessageBox.Save: "save", QMessageBox.Discard: "discard"}.get(answer, "cancel")

    def show_error(self, title: str, message: str) -> None:
        self.status(message.splitlines()[0])
        QMessageBox.critical(self, title, message)

    def _folder(self) -> str:
        """Where the file dialogs start: the open file's folder; for a graph without a
        file, the folder last opened from, saved or exported to; else the current one."""
        if self.doc.path is not None:
            return str(self.doc.path.absolute().parent)
        for folder in (self.settings.value("files/folder"),
                       *(Path(p).parent for p in self.recent_files()[:1]), Path.cwd()):
            if folder and Path(str(folder)).is_dir():
                return str(Path(str(folder)).absolute())
        return str(Path.home())

    def remember_folder(self, path) -> None:
        """Note the folder of a file opened, saved or exported: dialogs start there."""
        self.settings.setValue("files/folder", str(Path(path).absolute().parent))

    def _suggested_name(self, suffix: str = ".json") -> str:
        """The open file itself, or a name in the dialogs' folder."""
        if self.doc.path is not None:
            return str(self.doc.path.absolute().with_suffix(suffix))
        return str(Path(self._folder()) / f"{self.doc.suggested_stem()}{suffix}")

    # ----------------------------------------------------------------- export
    def export_dialog(self) -> None:
        dialog = self.make_export_dialog()
        if dialog.exec():
            self.export_to(**dialog.options())

    def make_export_dialog(self) -> ExportDialog:
        return ExportDialog(self, has_selection=bool(self.selected_node_ids()),
                            default_name=self._suggested_name(".png"))

    def export_to(self, path, scale: float = 1.0, transparent: bool = False,
                  selected_only: bool = False) -> bool:
        try:
            export_image(self.scene, path, scale, transparent, selected_only)
        except (ValueError, OSError) as exc:
            self.show_error("Not exported", str(exc))
            return False
        self.remember_folder(path)
        self.status(f"Exported {path}")
        return True
