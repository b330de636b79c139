"""The editor: one graph being edited, and the door features come in by.

It owns the document (and so the undo stack), the canvas, the palette and the
properties panel, selection, the clipboard, inline editing and quick-add, and
the Edit, View and Run actions. Features (the teaching tools, stepping, the
lecture look, arranging, the formula bar) plug in through its public API only:
named menus, toolbars and docks, ``add_action``, ``add_dock`` and ``status``.
The main window (``ui/app/window.py``) adds files, export and recovery.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QToolBar, QWidget

from gradstudio.ui.canvas.items.edge import EdgeItem
from gradstudio.ui.canvas.items.node import NodeItem
from gradstudio.ui.canvas.scene import GraphScene
from gradstudio.ui.canvas.view import GraphView, drawn_rect
from gradstudio.ui.editor.document import Document
from gradstudio.ui.editor.editing import CanvasEditing
from gradstudio.ui.editor.inline_editor import InlineEditor
from gradstudio.ui.editor.palette import NodePalette
from gradstudio.ui.editor.properties import PropertiesPanel
from gradstudio.ui.editor.quickadd import QuickAdd

# The menus every editor has, in the menu bar's order; features add theirs after.
MENUS = (("file", "&File"), ("edit", "&Edit"), ("view", "&View"), ("run", "&Run"))


class Editor(QMainWindow):
    def __init__(self, document: Document | None = None) -> None:
        super().__init__()
        self.doc = document or Document(parent=self)
        self.scene = GraphScene(self.doc, self)
        self.view = GraphView(self.scene, self)
        self.setCentralWidget(self.view)
        self.settings = QSettings()
        self.menus: dict[str, QMenu] = {}
        self.toolbars: dict[str, QToolBar] = {}
        self.docks: dict[str, QDockWidget] = {}
        for key, title in MENUS:
            self.add_menu(key, title)
        self.add_toolbar("passes", "Passes").setToolButtonStyle(Qt.ToolButtonTextOnly)
        self.quick_add = QuickAdd(self)
        self.inline_editor = InlineEditor(self)
        self.editing = CanvasEditing(self)  # copy, paste, drops, the context menu, ...
        self.palette = NodePalette(self)
        self.add_dock("palette", "Nodes", self.palette, Qt.LeftDockWidgetArea)
        self.properties = PropertiesPanel(self.doc, self)
        self.add_dock("properties", "Properties", self.properties)
        self._make_actions()
        self._connect()

    # ------------------------------------------------------------ the plug-in API
    def add_menu(self, key: str, title: str) -> QMenu:
        """A menu of the menu bar, after the others; ``menus[key]`` from then on."""
        menu = self.menuBar().addMenu(title)
        self.menus[key] = menu
        return menu

    def add_toolbar(self, key: str, title: str, bar: QToolBar | None = None,
                    new_row: bool = False) -> QToolBar:
        """A toolbar (``bar``, or a new one), on a row of its own if ``new_row``;
        ``toolbars[key]`` from then on."""
        if new_row:
            self.addToolBarBreak()
        if bar is None:
            bar = QToolBar(title, self)
        bar.setObjectName(key)  # (the saved window state finds it by this name)
        self.addToolBar(bar)
        self.toolbars[key] = bar
        return bar

    def add_action(self, text: str, slot, shortcut=None, tip: str = "", checkable=False,
                   menu: str | None = None, toolbar: str | None = None,
                   before: QAction | None = None) -> QAction:
        """An action of this window (its shortcut works wherever the focus is in it),
        put in the named menu and toolbar if given, before ``before`` where that is
        there, else at their ends."""
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
        for container in (self.menus.get(menu), self.toolbars.get(toolbar)):
            if container is not None:
                if before is not None and before in container.actions():
                    container.insertAction(before, action)
                else:
                    container.addAction(action)
        return action

    def add_dock(self, key: str, title: str, widget, area=Qt.RightDockWidgetArea,
                 tab_with: str | None = None) -> QDockWidget:
        """A dock holding ``widget``, tabbed with the dock ``tab_with`` if that is there;
        ``docks[key]`` from then on."""
        if isinstance(widget, QDockWidget):  # a panel that is its own dock
            dock = widget
        else:
            dock = QDockWidget(title, self)
            dock.setWidget(widget)
        dock.setObjectName(key)
        self.addDockWidget(area, dock)
        if tab_with in self.docks:
            self.tabifyDockWidget(self.docks[tab_with], dock)
        self.docks[key] = dock
        return dock

    def status(self, message: str, holds=None) -> None:
        """Show ``message`` for a while. ``holds``: for a message that describes what
        the canvas shows, whether that is still so; when the annotations change and it
        no longer holds, the message goes (no "every ∂e/∂node computed" once Delete
        has cleared the numbers)."""
        shown = self._fitted_status(message)
        bar = self.statusBar()
        bar.showMessage(shown, 8000)
        bar.setToolTip(message if shown != message else "")
        self._status_holds = (shown, holds) if holds is not None else None

    def _fitted_status(self, message: str) -> str:
        """``message`` cut in the middle to the status bar's room left of its own
        widgets (the document's name), a gap kept: at 300 % a long message ran up to
        the name ("∂J/‹logistic_neuron.json"). Its start and its result stay; the
        whole message is the bar's tooltip."""
        bar = self.statusBar()
        metrics = bar.fontMetrics()
        widgets = bar.findChildren(QWidget, options=Qt.FindDirectChildrenOnly)
        room = (bar.width() - 18 - 3 * metrics.averageCharWidth()
                - sum(w.width() for w in widgets if w.isVisible()))
        if room <= 0 or metrics.horizontalAdvance(message) <= room:
            return message
        return metrics.elidedText(message, Qt.ElideMiddle, room)

    def selected_node_ids(self) -> list[str]:
        return [i.node_id for i in self.scene.selectedItems() if isinstance(i, NodeItem)]

    def selected_edges(self) -> list:
        return [i.edge for i in self.scene.selectedItems() if isinstance(i, EdgeItem)]

    # -------------------------------------------------------------------- set-up
    def _make_actions(self) -> None:
        K = QKeySequence.StandardKey
        a, edit = self.add_action, self.editing
        self.act_undo = self.doc.undo_stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcuts(K.Undo)
        self.act_redo = self.doc.undo_stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts(K.Redo)
        self.addActions([self.act_undo, self.act_redo])
        self.menus["edit"].addActions([self.act_undo, self.act_redo])
        self.menus["edit"].addSeparator()
        self.act_cut = a("Cu&t", edit.cut, K.Cut, menu="edit")
        self.act_copy = a("&Copy", edit.copy, K.Copy, menu="edit")
        self.act_paste = a("&Paste", edit.paste, K.Paste, menu="edit")
        self.act_duplicate = a("D&uplicate", edit.duplicate, "Ctrl+D", menu="edit")
        self.act_delete = a("&Delete", edit.delete_selection, K.Delete, menu="edit")
        self.act_delete.setShortcuts([QKeySequence(QKeySequence.Delete),
                                      QKeySequence(Qt.Key_Backspace)])
        self.menus["edit"].addSeparator()
        self.act_select_all = a("Select &All", edit.select_all, K.SelectAll, menu="edit")
        self.act_zoom_in = a("Zoom &In", lambda: self.view.zoom_by(1.25), K.ZoomIn, menu="view")
        self.act_zoom_out = a("Zoom &Out", lambda: self.view.zoom_by(0.8), K.ZoomOut,
                              menu="view")
        self.act_fit = a("&Fit View", self.view.fit, "Ctrl+0", menu="view")
        run = {"menu": "run", "toolbar": "passes"}
        self.act_forward = a("Forward", lambda: self.run_pass("forward"), "F5",
                             "Compute every value and local derivative", **run)
        self.act_backward = a("Backward", lambda: self.run_pass("backward"), "F6",
                              "Compute every gradient of the output (runs Forward first)", **run)
        self.act_clear = a("Clear", self.doc.clear_annotations, "Ctrl+Shift+Del",
                           "Clear the annotations", **run)
        self.act_live = a("Live", self.doc.set_live, "Ctrl+L",
                          "Re-run the shown passes after every edit", checkable=True, **run)
        self.toolbars["passes"].addSeparator()
        self.toolbars["passes"].addAction(self.act_fit)

    def _connect(self) -> None:
        doc = self.doc
        doc.passFailed.connect(lambda message, _node: self.status(f"Not computed: {message}"))
        doc.modelReset.connect(self.view.fit)
        for signal in (doc.annotationsChanged, doc.stepsChanged, doc.modelReset):
            signal.connect(lambda *_: self._status_still_true())
        self._whole = QTimer(self)  # once the scene has drawn the new numbers
        self._whole.setSingleShot(True)
        self._whole.setInterval(0)
        self._whole.timeout.connect(self._keep_whole)
        for signal in (doc.annotationsChanged, doc.stepsChanged):
            signal.connect(self._whole.start)
        self.view.statusMessage.connect(self.status)
        self.view.quickAddRequested.connect(self.editing.open_quick_add)
        self.view.nodeDoubleClicked.connect(self.edit_in_place)
        self.properties.statusMessage.connect(self.status)
        self.quick_add.chosen.connect(self.editing.quick_add_chosen)
        self.scene.selectionChanged.connect(self._selection_changed)
        self.view.setContextMenuPolicy(Qt.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self.editing.context_menu)

    def _status_still_true(self) -> None:
        message, holds = getattr(self, "_status_holds", None) or ("", None)
        if holds is None or self.statusBar().currentMessage() != message:
            self._status_holds = None
        elif not holds():
            self._status_holds = None
            self.statusBar().clearMessage()

    # -------------------------------------------------------------------- passes
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

    def _keep_whole(self) -> None:
        """A graph Fit View showed whole stays whole after a pass or a step: its boxes
        widen for the gradients' lines and chips appear (at 200 % colah_paths' output
        went past the right edge on Backward). Fitted again only where something left
        the view (a presentation fits the screen its own way)."""
        view = self.view
        presenting = getattr(getattr(self, "presentation", None), "presenting", False)
        if presenting or not view.is_fitted() or not self.scene.large.fits_readable:
            return
        if not view.shown_rect().contains(drawn_rect(self.scene)):
            view.fit()

    # --------------------------------------------------------------------- edits
    def _selection_changed(self) -> None:
        ids = self.selected_node_ids()
        self.properties.show_node(ids[0] if len(ids) == 1 else None, len(ids))

    def edit_in_place(self, node_id: str, what: str) -> None:
        self.inline_editor.start(node_id, what)
