"""Mouse modes of the canvas, one small class each.

The view hands a press to a mode when the press starts one (on a port, with
the middle button, with space held); the mode then receives the moves and the
release, and says when it is done. Everything else is Qt's default handling:
selecting, rubber band, moving nodes.
"""

from __future__ import annotations

import networkx as nx
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QGraphicsPathItem

from gradstudio.core.errors import GraphError
from gradstudio.ui.canvas.items.edge import wire_path
from gradstudio.ui.canvas.items.node import NodeItem
from gradstudio.ui.canvas.items.port import PortItem
from gradstudio.ui.theme import THEME


class Interaction:
    def __init__(self, view) -> None:
        self.view = view

    def move(self, event) -> None:
        pass

    def release(self, event) -> None:
        pass

    def cancel(self) -> None:
        pass


class WireDrag(Interaction):
    """Drag a new wire from an output port, or the loose end of an existing wire.

    While dragging, the input ports that would accept the wire are highlighted.
    Releasing on one connects; elsewhere on a port or node the connection is
    refused with a message; on empty canvas a new wire is dropped and an
    existing one is deleted.
    """

    def __init__(self, view, source: str, existing=None) -> None:
        super().__init__(view)
        self.scene = view.scene()
        self.doc = self.scene.doc
        self.source = source
        self.existing = existing  # the edge being re-plugged, if any
        if existing is not None:
            self.scene.edges[existing].setVisible(False)
        self.start = self.scene.nodes[source].output.scenePos()
        self.preview = QGraphicsPathItem()
        self.preview.setPen(QPen(THEME.wire_active, 2.2, Qt.DashLine, Qt.RoundCap))
        self.preview.setZValue(5)
        self.scene.addItem(self.preview)
        self.accepting = self._accepting_ports()
        for port in self.accepting:
            port.set_highlight(True)

    def _accepting_ports(self) -> list[PortItem]:
        model = self.doc.model
        ancestors = nx.ancestors(model.graph, self.source) | {self.source}
        free_again = (self.existing[1], self.existing[2]) if self.existing else None
        ports = []
        for node_id, item in self.scene.nodes.items():
            if node_id in ancestors:
                continue
            for port in item.inputs:
                key = (node_id, port.port)
                if model.source(*key) is None or key == free_again:
                    ports.append(port)
        return ports

    def move(self, event) -> None:
        end = self.view.mapToScene(event.position().toPoint())
        self.preview.setPath(wire_path(self.start, end))

    def release(self, event) -> None:
        scene_pos = self.view.mapToScene(event.position().toPoint())
        target = self._item_at(scene_pos)
        message = ""
        try:
            if isinstance(target, PortItem) and not target.is_output:
                destination = (target.node.node_id, target.port)
                if self.existing is not None:
                    self.doc.move_wire(self.existing, destination)
                else:
                    self.doc.connect(self.source, *destination)
            elif isinstance(target, PortItem):
                message = "A wire goes from an output (right) to an input port (left)."
            elif target is not None:
                message = "Drop the wire on an input port (the circles on a node's left)."
            elif self.existing is not None:
                self.doc.move_wire(self.existing, None)
        except GraphError as exc:
            message = f"Not connected: {exc}"
        self.cancel()
        if message:
            self.view.status(message)

    def _item_at(self, scene_pos: QPointF):
        """The port under the release (a little slack: ports are small), else the node."""
        near = QRectF(scene_pos.x() - 6, scene_pos.y() - 6, 12, 12)
        ports = [i for i in self.scene.items(near) if isinstance(i, PortItem)]
        if ports:
            return min(ports, key=lambda p: QLineF(p.scenePos(), scene_pos).length())
        for item in self.scene.items(scene_pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def cancel(self) -> None:
        for port in self.accepting:
            port.set_highlight(False)
        if self.preview.scene() is not None:
            self.scene.removeItem(self.preview)
        if self.existing is not None and self.existing in self.scene.edges:
            self.scene.edges[self.existing].setVisible(True)


class Pan(Interaction):
    """Middle button, or left button with space held: move the view."""

    def __init__(self, view, event) -> None:
        super().__init__(view)
        self.last = event.position()
        view.viewport().setCursor(Qt.ClosedHandCursor)

    def move(self, event) -> None:
        delta = event.position() - self.last
        self.last = event.position()
        h, v = self.view.horizontalScrollBar(), self.view.verticalScrollBar()
        h.setValue(h.value() - int(round(delta.x())))
        v.setValue(v.value() - int(round(delta.y())))

    def release(self, event) -> None:
        self.cancel()

    def cancel(self) -> None:
        self.view.viewport().unsetCursor()
