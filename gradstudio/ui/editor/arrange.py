"""Arrange: Auto-layout, Snap to grid, Align left / top edges.

Each arrangement is one undo step (a MoveNodes command named after it). The
positions come from gradstudio.core.layout, which knows nothing of Qt: this
module only reads the node boxes from the scene and pushes the moves.
"""

from __future__ import annotations

from gradstudio.core.chiptext import estimated_chips
from gradstudio.core.layout import GRID, aligned, auto_layout
from gradstudio.ui.canvas.items.edge import ChipItem
from gradstudio.ui.editor.commands import MoveNodes
from gradstudio.ui.theme import THEME


class Arrange:
    def __init__(self, window) -> None:
        self.window = window
        menu = window.add_menu("arrange", "&Arrange")
        self.toolbar = window.add_toolbar("arrange", "Arrange")
        a, here = window.add_action, {"menu": "arrange", "toolbar": "arrange"}
        self.act_auto_layout = a("Auto-&layout", self.auto_layout, "Ctrl+Shift+L",
                                 "Lay the graph out left to right (undoable)", **here)
        self.act_snap = a("&Snap to Grid", self.set_snap, "Ctrl+Shift+G",
                          "Dropped nodes land on the 20 px grid", checkable=True, **here)
        menu.addSeparator()
        self.act_align_left = a("Align &Left Edges", lambda: self.align("left"),
                                tip="Line up the selected nodes' left edges", menu="arrange")
        self.act_align_top = a("Align &Top Edges", lambda: self.align("top"),
                               tip="Line up the selected nodes' top edges", menu="arrange")
        snap = window.settings.value("arrange/snap", False)
        self.act_snap.setChecked(snap in (True, "true", "1", 1))
        self.set_snap(self.act_snap.isChecked())

    # ---------------------------------------------------------------- actions
    def _push(self, moves: dict, text: str) -> bool:
        model = self.window.doc.model
        moves = {n: (model.position(n), tuple(new)) for n, new in moves.items()
                 if model.position(n) != tuple(new)}
        if not moves:
            return False
        command = MoveNodes(model, moves)
        command.setText(text)
        self.window.doc.undo_stack.push(command)
        return True

    def sizes(self) -> dict[str, tuple[float, float]]:
        return {n: (item.rect().width(), item.rect().height())
                for n, item in self.window.scene.nodes.items()}

    def auto_layout(self) -> None:
        window = self.window
        model = window.doc.model
        if len(model) == 0:
            window.status("Nothing to lay out")
            return
        try:
            # Room for the chips at the current text size (their texts after Backward).
            chips = estimated_chips(model, window.scene.digits, measure=ChipItem.measure)
            header = next(iter(window.scene.nodes.values())).header_height()
            positions = auto_layout(model, self.sizes(), chips=chips, header=header,
                                    text_scale=THEME.text_scale)
        except Exception as exc:  # a cycle cannot be in the model; be safe anyway
            window.status(f"Not laid out: {exc}")
            return
        # Laid out for the boxes as drawn: the file's positions are those the text
        # size spreads to them (GraphScene.scene_point).
        positions = {n: window.scene.model_point(*p) for n, p in positions.items()}
        if self._push(positions, "Auto-layout"):
            window.view.fit()
            window.status(f"Auto-layout: {len(model)} nodes in columns, left to right")
        else:
            window.status("Auto-layout: already laid out")

    def align(self, edge: str) -> None:
        window = self.window
        ids = window.selected_node_ids()
        if len(ids) < 2:
            window.status("Select two or more nodes to align")
            return
        nodes, to_file = window.scene.nodes, window.scene.model_point
        positions = {n: to_file(nodes[n].pos().x(), nodes[n].pos().y()) for n in ids}
        self._push(aligned(positions, edge), f"Align {edge} edges")

    def set_snap(self, on: bool) -> None:
        self.window.scene.snap_grid = GRID if on else None
        self.window.settings.setValue("arrange/snap", bool(on))


def install(window) -> Arrange:
    return Arrange(window)
