"""Teaching tools in the window: the nudge check, Check all, the sum over paths
and forward mode. ``install(editor)`` adds their docks, actions and menu entries
through the editor's API; the main window only calls it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtWidgets import QFrame, QScrollArea

from gradstudio.ui.teaching.check_panel import CheckPanel
from gradstudio.ui.teaching.common import selected_input
from gradstudio.ui.teaching.forward_mode import ForwardModePanel
from gradstudio.ui.teaching.paths_panel import PathsPanel


class _PanelArea(QScrollArea):
    """A panel in a scroll area as tall as it needs: at a big text size the Check
    panel (nudge, its sentence, the big numbers, Check all's table) is taller than
    its dock, and was squeezed (its sentence cut, the table two rows high); so was
    the Paths panel's table in the narrower column above 100 % (a path wrapped to
    six lines in a table 68 px high), and Forward mode's sentences at 300 % (drawn
    over each other). It keeps the dock's width (no horizontal bar: its table
    stacks its rows instead), so it asks for the panel's least width plus the
    vertical bar's: asking for the panel's alone, the bar covered the panel's right
    edge at 300 % (Paths' picker arrow, the end of each path)."""

    def __init__(self, panel) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setWidget(panel)
        panel.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.widget() and event.type() == QEvent.LayoutRequest:
            self.updateGeometry()  # its least width (a bigger font) is the dock's to know
        return super().eventFilter(watched, event)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        least = self.widget().minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width()
        return QSize(max(hint.width(), least), hint.height())


def nudge_hint(window) -> str:
    """What Nudge Selected Input (F9) needs, said when the selection is not one input."""
    model, ids = window.doc.model, window.selected_node_ids()
    inputs = model.inputs()
    if not inputs:
        return "Nudge Selected Input: the graph has no input node to nudge yet."
    names = ", ".join(model.label(n) for n in inputs[:4]) + (", …" if len(inputs) > 4 else "")
    if len(ids) == 1 and ids[0] in model:
        start = f"{model.label(ids[0])} is not an input"
    elif len(ids) > 1:
        start = f"{len(ids)} nodes are selected"
    else:
        start = "No input is selected"
    return (f"{start}: click one input node ({names}) on the canvas, then Teach > "
            "Nudge Selected Input (F9) again.")


class Teaching:
    """The teaching docks and actions of one main window."""

    def __init__(self, window) -> None:
        self.window = window
        doc = window.doc
        self.check = CheckPanel(window)
        self.paths = PathsPanel(window)
        self.forward_mode = ForwardModePanel(window)
        self.check_dock = window.add_dock("check", "Check", _PanelArea(self.check))
        self.paths_dock = window.add_dock("paths", "Paths", _PanelArea(self.paths),
                                          tab_with="check")
        self.paths_dock.visibilityChanged.connect(self.paths.set_in_sight)
        self.forward_dock = window.add_dock("forward_mode", "Forward mode",
                                            _PanelArea(self.forward_mode),
                                            tab_with="paths")
        self.check_dock.raise_()
        properties = window.docks.get("properties")
        if properties is not None:  # the teaching docks get most of the height
            window.resizeDocks([properties, self.check_dock], [180, 620], Qt.Vertical)
        # ... and the width their tables need (Check all's six columns), at first start;
        # a layout the user left is restored over it.
        window.resizeDocks([self.check_dock], [self.check.sizeHint().width()], Qt.Horizontal)
        for panel in (self.check, self.forward_mode):
            panel.statusMessage.connect(window.status)

        self.menu = menu = window.add_menu("teach", "&Teach")
        a = window.add_action
        window.toolbars["passes"].addSeparator()
        self.act_forward_mode = a("Forward &Mode from Selected Input", self.start_forward_mode,
                                  "Shift+F5", "Every node shows dn/dx for the selected input x",
                                  menu="teach", toolbar="passes")
        self.act_leave_forward_mode = a("&Leave Forward Mode", self.forward_mode.leave, None,
                                        "Back to the plain forward values", menu="teach")
        menu.addSeparator()
        self.act_nudge = a("&Nudge Selected Input", self.nudge_selected, "F9",
                           "x → x + h: compare the change of the output with ∂J/∂x",
                           menu="teach")
        self.act_check_all = a("Check &All Gradients", self.check_all, "Ctrl+Shift+K",
                               "Every input's gradient against central differences", menu="teach")
        self.act_paths = a("Sum over &Paths", self.show_paths, "Ctrl+Shift+P",
                           "Every path from the selected input to the output, with products",
                           menu="teach")
        menu.addSeparator()
        for dock in (self.check_dock, self.paths_dock, self.forward_dock):
            menu.addAction(dock.toggleViewAction())
        doc.annotationsChanged.connect(self._sync_actions)
        self._sync_actions()

    @staticmethod
    def _show(dock) -> None:
        dock.show()
        dock.raise_()

    # ------------------------------------------------------------- actions
    def nudge_selected(self) -> bool:
        """Nudge the selected input; with no input selected, say what to select."""
        self._show(self.check_dock)
        node_id = selected_input(self.window)
        if node_id is None:
            self.window.status(nudge_hint(self.window))
            return False
        return self.check.run_nudge(node_id)

    def check_all(self) -> bool:
        self._show(self.check_dock)
        return self.check.run_check_all()

    def show_paths(self) -> None:
        self._show(self.paths_dock)
        node_id = selected_input(self.window)
        if node_id is not None:
            self.paths.show_input(node_id)
        else:
            self.paths.refresh(force=True)

    def start_forward_mode(self) -> bool:
        self._show(self.forward_dock)
        started = self.forward_mode.start()
        self._sync_actions()
        return started

    def _sync_actions(self) -> None:
        active = self.forward_mode.active()
        self.act_leave_forward_mode.setEnabled(active)


def install(window) -> Teaching:
    window.teaching = Teaching(window)
    return window.teaching
