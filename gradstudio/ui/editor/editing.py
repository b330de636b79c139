"""Editing the canvas's selection and adding nodes: copy, cut, paste, duplicate,
delete, select all; quick add and palette drops, each offering the new node's
name; the canvas's context menu. The window wires its actions and the view's
signals to these; the edits themselves go through the document's undo stack."""

from __future__ import annotations

import json

from PySide6.QtCore import QEvent, QObject, QPoint, QTimer
from PySide6.QtWidgets import QMenu

from gradstudio.core.errors import GraphError
from gradstudio.ui.canvas.items.edge import EdgeItem
from gradstudio.ui.canvas.items.node import NodeItem
from gradstudio.ui.canvas.view import OP_MIME
from gradstudio.ui.editor import clipboard


class CanvasEditing(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.paste_count = 0  # pastes since the last copy: each lands a step further
        window.view.viewport().installEventFilter(self)  # drops: rename the new node

    # ------------------------------------------------------------ selection
    def select_all(self) -> None:
        for item in self.window.scene.nodes.values():
            item.setSelected(True)

    def select_only(self, node_ids) -> None:
        scene = self.window.scene
        scene.clearSelection()
        for node_id in node_ids:
            if node_id in scene.nodes:
                scene.nodes[node_id].setSelected(True)

    def delete_selection(self) -> None:
        window = self.window
        if window.inline_editor.isVisible():
            return
        window.doc.delete(window.selected_node_ids(), window.selected_edges())

    # ------------------------------------------------------------ clipboard
    def _fragment(self, ids) -> dict:
        """The selected nodes, as the clipboard holds them, where they are drawn."""
        nodes, to_file = self.window.scene.nodes, self.window.scene.model_point
        positions = {n: to_file(nodes[n].pos().x(), nodes[n].pos().y()) for n in ids}
        return clipboard.fragment(self.window.doc, ids, positions)

    def copy(self) -> bool:
        ids = self.window.selected_node_ids()
        if not ids:
            self.window.status("Select nodes to copy")
            return False
        clipboard.put(self._fragment(ids))
        self.paste_count = 0
        return True

    def cut(self) -> None:
        if self.copy():
            self.window.doc.delete(self.window.selected_node_ids(), [])

    def paste(self) -> None:
        try:
            nodes, edges = clipboard.parse_fragment(clipboard.get())
            self.paste_count += 1
            offset = clipboard.PASTE_OFFSET * self.paste_count
            new = self.window.doc.add_subgraph(clipboard.shifted(nodes, offset, offset), edges,
                                               "Paste")
        except GraphError as exc:
            self.window.status(f"Nothing pasted: {exc}")
            return
        self.select_only(new)

    def duplicate(self) -> None:
        ids = self.window.selected_node_ids()
        if not ids:
            self.window.status("Select nodes to duplicate")
            return
        nodes, edges = clipboard.parse_fragment(json.dumps(self._fragment(ids)))
        new = self.window.doc.add_subgraph(clipboard.shifted(nodes, 30, 30), edges, "Duplicate")
        self.select_only(new)

    # ----------------------------------------------------------- new nodes
    def open_quick_add(self, scene_pos) -> None:
        view = self.window.view
        point = view.mapFromScene(scene_pos)
        self.window.quick_add.open_at(view.viewport().mapToGlobal(point), scene_pos)

    def quick_add_chosen(self, op: str, scene_pos) -> None:
        try:
            x, y = self.window.scene.model_point(scene_pos.x(), scene_pos.y())
            node_id = self.window.doc.add_node(op, round(x), round(y))
        except GraphError as exc:
            self.window.status(str(exc))
            return
        self.select_only([node_id])
        self.rename_soon(node_id)

    def eventFilter(self, obj, event) -> bool:
        """A node dropped from the palette: its name field opens at once, like quick add."""
        if event.type() == QEvent.Drop and obj is self.window.view.viewport() \
                and event.mimeData().hasFormat(OP_MIME):
            added: list[str] = []

            def note(node_id: str) -> None:
                added.append(node_id)

            self.window.doc.nodeAdded.connect(note)
            # The view adds the node when the event goes on; then the name field opens.
            QTimer.singleShot(0, lambda: self._dropped(note, added))
        return super().eventFilter(obj, event)

    def _dropped(self, note, added: list) -> None:
        self.window.doc.nodeAdded.disconnect(note)
        if len(added) == 1:
            self.select_only(added)
            self.rename_soon(added[0])

    def rename_soon(self, node_id: str) -> None:
        """Offer the new node's name (selected: typing replaces it; Enter or Esc keep it).

        After the event that made the node: a drop or the quick-add popup closing
        hands the focus back first, which would otherwise close the field at once."""
        window = self.window
        QTimer.singleShot(0, lambda: window.inline_editor.start(node_id, "label")
                          if node_id in window.doc.model else None)

    # --------------------------------------------------------- context menu
    def context_menu(self, point: QPoint) -> None:
        window, view = self.window, self.window.view
        node = next((i for i in view.items(point) if isinstance(i, NodeItem)), None)
        edge = next((i for i in view.items(point) if isinstance(i, EdgeItem)), None)
        doc = window.doc
        menu = QMenu(window)
        if node is not None:
            node_id = node.node_id
            menu.addAction("Set as output", lambda: doc.set_output(node_id))
            menu.addAction("Rename…", lambda: window.inline_editor.start(node_id, "label"))
            menu.addAction("Delete", lambda: doc.delete([node_id]))
        elif edge is not None:
            menu.addAction("Delete wire", lambda e=edge.edge: doc.delete([], [e]))
        else:
            pos = view.mapToScene(point)
            menu.addAction("Add node…", lambda: self.open_quick_add(pos))
            menu.addAction("Fit view", view.fit)
        menu.popup(view.viewport().mapToGlobal(point))
