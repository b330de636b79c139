"""A node's port: the place where wires start (output) or end (inputs)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from gradstudio.ui.theme import PORT_RADIUS, THEME

# How far a port (drawn bigger when hovered or highlighted, with its pen, twice as
# thick in high contrast) reaches out of its node's box: the node's bounding
# rectangle includes it.
PORT_REACH = PORT_RADIUS + 1.5 + 2.5


class PortItem(QGraphicsRectItem):
    """A small circle; ``port`` is the input index, or None for the output.

    Its rectangle (no pen, not drawn) is the target a click must hit, a little
    larger than the circle: a rectangle item gives Qt its bounding rectangle
    without calling into Python.
    """

    def __init__(self, node, port: int | None) -> None:
        r = PORT_RADIUS + 3  # a slightly larger target than what is drawn
        super().__init__(-r, -r, 2 * r, 2 * r, node)
        self.setPen(Qt.NoPen)
        self.node = node
        self.port = port
        self.highlight = False  # would accept the wire being dragged
        self.setAcceptHoverEvents(True)
        self.hovered = False
        self.setZValue(2)
        self.setFlag(QGraphicsItem.ItemHasNoContents)
        self.setCursor(Qt.CrossCursor)

    @property
    def is_output(self) -> bool:
        return self.port is None

    def scene_anchor(self) -> QPointF:
        return self.scenePos()

    def set_highlight(self, on: bool) -> None:
        if on != self.highlight:
            self.highlight = on
            self.node.update()  # the node draws it, at any zoom when highlighted

    def hoverEnterEvent(self, event) -> None:
        self.hovered = True
        self.node.update()

    def hoverLeaveEvent(self, event) -> None:
        self.hovered = False
        self.node.update()

    def paint(self, painter, option, widget=None) -> None:
        pass  # drawn by its node (ItemHasNoContents): one paint call per node, not four

    def draw(self, painter) -> None:
        """Draw the port on its node's painter (the node's coordinates): a disc in the
        ring's colour under a smaller one in the fill's. That looks as a circle drawn
        with a pen and a brush does, without stroking its outline (most of the cost:
        a node's three ports were half of its paint)."""
        outer, inner = self.radii()
        at = self.pos()
        painter.setPen(Qt.NoPen)
        painter.setBrush(THEME.port_accept if self.highlight else THEME.node_border)
        painter.drawEllipse(at, outer, outer)
        if not self.highlight:  # a port accepting a wire is a full disc
            painter.setBrush(THEME.port_fill)
            painter.drawEllipse(at, inner, inner)

    def radii(self) -> tuple[float, float]:
        """The radii of the ring's disc and of the fill's disc on it."""
        big = self.highlight or self.hovered
        ring = (2.0 if big else 1.4) * THEME.line / 2  # half the ring's width
        r = PORT_RADIUS + (1.5 if big else 0)
        return r + ring, r - ring
