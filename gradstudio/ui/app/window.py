"""The main window: canvas, palette, properties, toolbar and menus.

Dialogs go through small methods (ask_open_path, ask_unsaved, ...) so tests
can answer them without a person.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QApplication, QDockWidget, QFileDialog, QLabel, QMainWindow,
                               QMessageBox, QProgressDialog)

from gradstudio.core.atomic import SaveError
from gradstudio.core.errors import GraphError
from gradstudio.core.model import GraphModel
from gradstudio.resources_path import resource
from gradstudio.ui.app import recovery
from gradstudio.ui.editor import arrange
from gradstudio.ui.editor import formula_bar
from gradstudio.ui.app import look
from gradstudio.ui.teaching import stepper
from gradstudio.ui.editor.document import Document
from gradstudio.ui.app.export_dialog import ExportDialog
from gradstudio.ui.canvas.export import export_image
from gradstudio.ui.editor.editing import CanvasEditing
from gradstudio.ui.editor.inline_editor import InlineEditor
from gradstudio.ui.canvas.items.edge import EdgeItem
from gradstudio.ui.canvas.items.node import NodeItem
from gradstudio.ui.editor.palette import NodePalette
from gradstudio.ui.editor.properties import PropertiesPanel
from gradstudio.ui.editor.quickadd import QuickAdd
from gradstudio.ui.canvas.scene import GraphScene
from gradstudio.ui.teaching import install as install_teaching
from gradstudio.ui.canvas.view import GraphView

MAX_RECENT = 8
BIG_GRAPH_ITEMS = 5000  # nodes + wires from which opening shows progress and can be cancelled
EXAMPLES = (("chain_rule", "J = 3(a + b·c): the chain rule, step by step"),
            ("colah_paths", "e = (a+b)(b+1): a fan-out sums its paths"),
            ("square", "J = ½·a·a: one node wired into both ports"),
            ("logistic_neuron", "L = −log σ(w1·x1 + w2·x2 + b): logistic regression's loss"),
            ("tanh_neuron", "o = tanh(x1·w1 + x2·w2 + b): micrograd's neuron"))
GRAPH_FILTER = "gradstudio graphs (*.json);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, document: Document | None = None) -> None:
        super().__init__()
        self.doc = document or Document(parent=self)
        self.scene = GraphScene(self.doc, self)
        self.view = GraphView(self.scene, self)
        self.setCentralWidget(self.view)
        self.settings = QSettings()
        self.big_graph_items = BIG_GRAPH_ITEMS
        self._progress_dialog = None
        self.quick_add = QuickAdd(self)
        self.editor = InlineEditor(self)
        self.editing = CanvasEditing(self)  # copy, paste, drops, the context menu, ...
        self._make_docks()
        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self._connect()
        install_teaching(self)  # nudge check, paths, forward mode: ui/teaching
        self.formula_bar = formula_bar.install(self)  # the Formula: field, File → New from Formula…
        self.arrange = arrange.install(self)  # Arrange: auto-layout, snap to grid, align
        self.look = look.install(self)  # View → Theme, Text Size, Show, Precision
        self.stepping = stepper.install(self)  # Step Forward/Backward/Back, the Explanation dock
        self.recovery = recovery.RecoveryWriter(self.doc, self)  # unsaved work survives a crash
        self.recovery.failed.connect(self.status)
        # The document's name, its formula or file as the tooltip (the title bar has none).
        self.doc_label = QLabel(self)
        self.doc_label.setObjectName("document_name")
        self.statusBar().addPermanentWidget(self.doc_label)
        self.statusBar().showMessage("Ready")
        self.update_title()
        self._restore_geometry()

    # ----------------------------------------------------------------- set-up
    def _make_docks(self) -> None:
        self.palette = NodePalette(self)
        dock = QDockWidget("Nodes", self)
        dock.setObjectName("palette")
        dock.setWidget(self.palette)
        self.addDockWidget(Qt.LeftDockWidgetArea, dock)
        self.properties = PropertiesPanel(self.doc, self)
        dock = QDockWidget("Properties", self)
        dock.setObjectName("properties")
        dock.setWidget(self.properties)
        self.addDockWidget(Qt.RightDockWidgetArea, dock)

    def _action(self, text: str, slot, shortcut=None, tip: str = "", checkable=False) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            if isinstance(shortcut, QKeySequence.StandardKey):
                action.setShortcuts(shortcut)
            else:
                action.setShortcut(QKeySequence(shortcut))
        action.setStatusTip(tip or text.replace("&", ""))
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        a = self._action
        self.act_new = a("&New", self.new_file, K.New)
        self.act_open = a("&Open…", self.open_dialog, K.Open)
        self.act_save = a("&Save", self.save, K.Save)
        self.act_save_as = a("Save &As…", self.save_as, K.SaveAs)
        self.act_export = a("&Export Image…", self.export_dialog, "Ctrl+E")
        self.act_quit = a("&Quit", self.close, "Ctrl+Q")
        self.act_undo = self.doc.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcuts(K.Undo)
        self.act_redo = self.doc.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts(K.Redo)
        self.addActions([self.act_undo, self.act_redo])
        edit = self.editing
        self.act_cut = a("Cu&t", edit.cut, K.Cut)
        self.act_copy = a("&Copy", edit.copy, K.Copy)
        self.act_paste = a("&Paste", edit.paste, K.Paste)
        self.act_duplicate = a("D&uplicate", edit.duplicate, "Ctrl+D")
        self.act_delete = a("&Delete", edit.delete_selection, K.Delete)
        self.act_delete.setShortcuts([QKeySequence(QKeySequence.Delete),
                                      QKeySequence(Qt.Key_Backspace)])
        self.act_select_all = a("Select &All", edit.select_all, K.SelectAll)
        self.act_zoom_in = a("Zoom &In", lambda: self.view.zoom_by(1.25), K.ZoomIn)
        self.act_zoom_out = a("Zoom &Out", lambda: self.view.zoom_by(0.8), K.ZoomOut)
        self.act_fit = a("&Fit View", self.view.fit, "Ctrl+0")
        self.act_forward = a("Forward", lambda: self.run_pass("forward"), "F5",
                             "Compute every value and local derivative")
        self.act_backward = a("Backward", lambda: self.run_pass("backward"), "F6",
                              "Compute every gradient of the output (runs Forward first)")
        self.act_clear = a("Clear", self.doc.clear_annotations, "Ctrl+Shift+C",
                           "Clear the annotations")
        self.act_live = a("Live", self.doc.set_live, "Ctrl+L",
                          "Re-run the shown passes after every edit", checkable=True)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.act_new, self.act_open])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.examples_menu = file_menu.addMenu("E&xamples")
        for name, description in EXAMPLES:
            action = self.examples_menu.addAction(f"{name} — {description}")
            action.triggered.connect(lambda _=False, n=name: self.open_example(n))
        file_menu.addSeparator()
        file_menu.addActions([self.act_save, self.act_save_as, self.act_export])
        file_menu.addSeparator()
        file_menu.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.act_undo, self.act_redo])
        edit.addSeparator()
        edit.addActions([self.act_cut, self.act_copy, self.act_paste, self.act_duplicate,
                         self.act_delete])
        edit.addSeparator()
        edit.addAction(self.act_select_all)
        view = bar.addMenu("&View")
        view.addActions([self.act_zoom_in, self.act_zoom_out, self.act_fit])
        run = bar.addMenu("&Run")
        run.addActions([self.act_forward, self.act_backward, self.act_clear, self.act_live])
        self._fill_recent()

    def _make_toolbar(self) -> None:
        bar = self.addToolBar("Passes")
        bar.setObjectName("passes")
        bar.setToolButtonStyle(Qt.ToolButtonTextOnly)
        bar.addActions([self.act_forward, self.act_backward, self.act_clear, self.act_live])
        bar.addSeparator()
        bar.addAction(self.act_fit)

    def _connect(self) -> None:
        doc = self.doc
        doc.titleChanged.connect(self.update_title)
        doc.passFailed.connect(lambda message, _node: self.status(f"Not computed: {message}"))
        doc.modelReset.connect(self.view.fit)
        for signal in (doc.annotationsChanged, doc.stepsChanged, doc.modelReset):
            signal.connect(lambda *_: self._status_still_true())
        self.view.statusMessage.connect(self.status)
        self.view.quickAddRequested.connect(self.editing.open_quick_add)
        self.view.nodeDoubleClicked.connect(self.edit_in_place)
        self.properties.statusMessage.connect(self.status)
        self.quick_add.chosen.connect(self.editing.quick_add_chosen)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self.editing.context_menu)

    def status(self, message: str, holds=None) -> None:
        """Show ``message`` for a while. ``holds``: for a message that describes what
        the canvas shows, whether that is still so; when the annotations change and it
        no longer holds, the message goes (no "every ∂e/∂node computed" once Delete
        has cleared the numbers)."""
        self.statusBar().showMessage(message, 8000)
        self._status_holds = (message, holds) if holds is not None else None

    def _status_still_true(self) -> None:
        message, holds = getattr(self, "_status_holds", None) or ("", None)
        if holds is None or self.statusBar().currentMessage() != message:
            self._status_holds = None
        elif not holds():
            self._status_holds = None
            self.statusBar().clearMessage()

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
        self._add_recent(path)
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
            self.show_error("Not saved", f"{exc}\nThe graph is still open and unsaved.")
            return False
        self._add_recent(path)
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
            self.resize(1280, 800)
        state = self.settings.value("window/state")
        if state is not None:
            self.restoreState(state)

    def recent_files(self) -> list[str]:
        value = self.settings.value("recent", [])
        if isinstance(value, str):
            value = [value]
        return [str(v) for v in (value or [])]

    def _add_recent(self, path) -> None:
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
        return QFileDialog.getOpenFileName(self, "Open graph", self._folder(), GRAPH_FILTER)[0]

    def ask_save_path(self) -> str:
        return QFileDialog.getSaveFileName(self, "Save graph as", self._suggested_name(),
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

    # ----------------------------------------------------------------- passes
    def run_pass(self, what: str) -> None:
        if self.doc.run(what):
            ev = self.doc.evaluation
            out = self.doc.model.label(ev.output) if ev.output else None

            def shown() -> bool:  # these very numbers: not cleared, re-run or replaced
                return self.doc.evaluation is ev

            if ev.first_problem:
                label = self.doc.model.label(ev.first_problem)
                self.status(f"{what.capitalize()}: {label} gives "
                            f"{ev.value(ev.first_problem)} ({ev.problems[ev.first_problem]})",
                            shown)
            elif what == "backward":
                self.status(f"Backward: every ∂{out}/∂node computed", shown)
            else:
                self.status("Forward: every value and local derivative computed", shown)

    # ------------------------------------------------------------------ edits
    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.scene.selectedItems() if isinstance(i, NodeItem)]

    def selected_edges(self) -> list:
        return [i.edge for i in self.scene.selectedItems() if isinstance(i, EdgeItem)]

    def _selection_changed(self) -> None:
        ids = self.selected_node_ids()
        self.properties.show_node(ids[0] if len(ids) == 1 else None, len(ids))

    def edit_in_place(self, node_id: str, what: str) -> None:
        self.editor.start(node_id, what)
