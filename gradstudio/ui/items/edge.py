"""A wire from an output port to an input port, with its annotation chips.

Values and local derivatives sit in a chip above the wire, the gradient in a
chip below it (the slide convention: forward above, backward below). Where
exactly is decided by ``gradstudio.ui.labels`` so chips avoid each other.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QFontMetricsF, QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from gradstudio.ui.items.text import clip, elided
from gradstudio.ui.theme import THEME


def wire_path(start: QPointF, end: QPointF) -> QPainterPath:
    """A horizontal-tangent cubic: leaves rightwards, arrives from the left."""
    dx = max(40.0, abs(end.x() - start.x()) * 0.5)
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
    return path


class ChipItem(QGraphicsItem):
    """A small box of annotation lines: [(text, colour, bold, italic), ...]."""

    PAD_X, PAD_Y = 5.0, 2.0
    MAX_TEXT_WIDTH = 320.0  # longer lines (a 10,000-character label in ∂J/∂…) are elided

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.lines: list[tuple[str, object, bool, bool]] = []
        self._size = (0.0, 0.0)
        self.setZValue(3)
        self.setVisible(False)

    @property
    def texts(self) -> list[str]:
        return [line[0] for line in self.lines]

    def set_lines(self, lines) -> None:
        if lines == self.lines:
            return
        self.prepareGeometryChange()
        self.lines = list(lines)
        width = height = 0.0
        for text, _color, bold, italic in self.lines:
            metrics = QFontMetricsF(THEME.font(0.9, bold=bold, italic=italic))
            shown = min(self.MAX_TEXT_WIDTH, metrics.horizontalAdvance(clip(text, True)))
            width = max(width, shown)
            height += metrics.height()
        self._size = (width + 2 * self.PAD_X, height + 2 * self.PAD_Y)
        self.setVisible(bool(self.lines))
        self.update()

    def size(self) -> tuple[float, float]:
        return self._size

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, *self._size)

    def paint(self, painter, option, widget=None) -> None:
        painter.setPen(Qt.NoPen)
        painter.setBrush(QBrush(THEME.chip_fill))
        painter.drawRoundedRect(self.boundingRect(), 4, 4)
        y = self.PAD_Y
        for text, color, bold, italic in self.lines:
            font = THEME.font(0.9, bold=bold, italic=italic)
            metrics = QFontMetricsF(font)
            painter.setFont(font)
            painter.setPen(color)
            room = self._size[0] - 2 * self.PAD_X
            painter.drawText(QRectF(self.PAD_X, y, room, metrics.height()), Qt.AlignCenter,
                             elided(text, font, room, Qt.ElideMiddle))
            y += metrics.height()


class EdgeItem(QGraphicsPathItem):
    def __init__(self, edge: tuple[str, str, int], source, target) -> None:
        super().__init__()
        self.edge = edge
        self.source, self.target = source, target  # NodeItems
        self.setZValue(0)
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.above = ChipItem(self)
        self.below = ChipItem(self)
        self.active = False
        self._apply_pen()
        source.edges.append(self)
        target.edges.append(self)
        self.update_path()

    def detach(self) -> None:
        for node in (self.source, self.target):
            if self in node.edges:
                node.edges.remove(self)

    def start(self) -> QPointF:
        return self.source.output.scenePos()

    def end(self) -> QPointF:
        return self.target.inputs[self.edge[2]].scenePos()

    def update_path(self) -> None:
        path = wire_path(self.start(), self.end())
        self.setPath(path)
        stroker = QPainterPathStroker()
        stroker.setWidth(7)  # the wire plus a little air, for label placement
        self.stroke = stroker.createStroke(path)
        self.place_chips_default()

    def place_chips_default(self) -> None:
        """Chips at the middle of the wire, above and below (the label placer refines this)."""
        mid = self.path().pointAtPercent(0.5)
        w, h = self.above.size()
        self.above.setPos(mid.x() - w / 2, mid.y() - h - 6)
        w, h = self.below.size()
        self.below.setPos(mid.x() - w / 2, mid.y() + 6)

    def set_active(self, on: bool) -> None:
        self.active = on
        self._apply_pen()

    def _apply_pen(self) -> None:
        color = THEME.wire_active if (self.active or self.isSelected()) else THEME.wire
        width = 2.6 if self.isSelected() else 3.2 if self.active else 1.8
        self.setPen(QPen(color, width, Qt.SolidLine, Qt.RoundCap))

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemSelectedHasChanged:
            self._apply_pen()
        return super().itemChange(change, value)

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)
        return stroker.createStroke(self.path())

    def boundingRect(self) -> QRectF:
        return super().boundingRect().adjusted(-6, -6, 6, 6)
