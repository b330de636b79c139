"""A node on the canvas: label and op symbol, its ports, its value and gradient.

The item draws what the scene tells it (``set_texts``); it knows nothing of
passes. Its position is the model's (x, y): the top-left corner.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem

from gradstudio.ui.items.port import PortItem
from gradstudio.ui.items.text import clip, elided
from gradstudio.ui.theme import HEADER_HEIGHT, LINE_HEIGHT, NODE_MIN_WIDTH, THEME

BODY_LINES = 2
#: Below this zoom (text under about 4 px) items skip their text when painting.
TEXT_LOD = 0.4
NODE_HEIGHT = HEADER_HEIGHT + BODY_LINES * LINE_HEIGHT + 8
NODE_MAX_WIDTH = 480.0  # longer texts are elided: a 10,000-character label stays one node wide


class NodeItem(QGraphicsItem):
    def __init__(self, node_id: str, n_inputs: int, is_input: bool) -> None:
        super().__init__()
        self.node_id = node_id
        self.is_input = is_input
        self.title = node_id
        self.symbol = ""
        self.value_text = ""  # "= 6", or "= ?" before Forward
        self.value_pending = True
        self.grad_text = ""  # "∂J/∂u = 3" after Backward, "∂u/∂b = 2" in forward mode
        self.grad_color = THEME.grad
        self.is_output = False
        self.error = False
        self.active = False  # the node of the step just done, while stepping through a pass
        self.width = NODE_MIN_WIDTH
        self.edges: list = []  # wires attached, kept by the scene
        self.setFlags(QGraphicsItem.ItemIsMovable | QGraphicsItem.ItemIsSelectable
                      | QGraphicsItem.ItemSendsGeometryChanges)
        self.setZValue(1)
        # Panning and zooming then blit the node instead of drawing its text again.
        self.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
        self.inputs = [PortItem(self, p) for p in range(n_inputs)]
        self.output = PortItem(self, None)
        self._layout_ports()

    # ---------------------------------------------------------------- content
    def set_texts(self, *, title: str, symbol: str, value_text: str, value_pending: bool,
                  grad_text: str, is_output: bool, error: bool, grad_color=None) -> None:
        grad_color = THEME.grad if grad_color is None else grad_color
        changed = (title, symbol, value_text, value_pending, grad_text, is_output, error,
                   grad_color) != (
            self.title, self.symbol, self.value_text, self.value_pending, self.grad_text,
            self.is_output, self.error, self.grad_color)
        if not changed:
            return
        self.grad_color = grad_color
        self.title, self.symbol = title, symbol
        self.value_text, self.value_pending = value_text, value_pending
        self.grad_text, self.is_output, self.error = grad_text, is_output, error
        self.restyle()

    def restyle(self) -> None:
        """Measure the texts again (new texts, or a new look) and draw again."""
        width = self._content_width()
        if width != self.width:
            self.prepareGeometryChange()
            self.width = width
            self._layout_ports()
            for edge in self.edges:
                edge.update_path()
        self.update()

    def set_active(self, on: bool) -> None:
        if on != self.active:
            self.active = on
            self.update()

    def _content_width(self) -> float:
        bold = QFontMetricsF(THEME.font(1.0, bold=True))
        plain = QFontMetricsF(THEME.font(italic=self.value_pending))
        symbol = QFontMetricsF(THEME.font(1.1, bold=True))
        header = (bold.horizontalAdvance(clip(self.title))
                  + symbol.horizontalAdvance(self.symbol) + 30)
        body = max(plain.horizontalAdvance(clip(self.value_text)),
                   bold.horizontalAdvance(clip(self.grad_text, middle=True))) + 24
        return min(NODE_MAX_WIDTH, max(NODE_MIN_WIDTH, header, body))

    def _layout_ports(self) -> None:
        n = len(self.inputs)
        body = NODE_HEIGHT - HEADER_HEIGHT
        for i, port in enumerate(self.inputs):
            port.setPos(0.0, HEADER_HEIGHT + body * (i + 1) / (n + 1))
        self.output.setPos(self.width, NODE_HEIGHT / 2)
        self.output.setVisible(True)

    # -------------------------------------------------------------- geometry
    def rect(self) -> QRectF:
        return QRectF(0, 0, self.width, NODE_HEIGHT)

    def boundingRect(self) -> QRectF:
        # Room for the selection outline and the "output" tag above the box.
        return self.rect().adjusted(-4, -20, 4, 4)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.rect(), 8, 8)
        return path

    def header_rect(self) -> QRectF:
        return QRectF(0, 0, self.width, HEADER_HEIGHT)

    def value_rect(self) -> QRectF:
        return QRectF(10, HEADER_HEIGHT + 4, self.width - 20, LINE_HEIGHT)

    def grad_rect(self) -> QRectF:
        return QRectF(10, HEADER_HEIGHT + 4 + LINE_HEIGHT, self.width - 20, LINE_HEIGHT)

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_path()
        return super().itemChange(change, value)

    # ----------------------------------------------------------------- paint
    def paint(self, painter, option, widget=None) -> None:
        rect = self.rect()
        line = THEME.line  # high contrast draws thicker
        if self.error:
            border = QPen(THEME.error, 2.5 * line, Qt.DashLine)
        elif self.isSelected():
            border = QPen(THEME.selected, 2.5 * line)
        elif self.is_output:
            border = QPen(THEME.output_border, 3.0 * line)
        else:
            border = QPen(THEME.node_border, 1.3 * line)
        painter.setPen(border)
        painter.setBrush(QBrush(THEME.input_fill if self.is_input else THEME.node_fill))
        painter.drawRoundedRect(rect, 8, 8)
        if self.active:  # a tinted body and a ring just outside the border
            tint = QColor(THEME.wire_active)
            tint.setAlpha(38)
            painter.setPen(Qt.NoPen)
            painter.setBrush(tint)
            painter.drawRoundedRect(rect, 8, 8)
            painter.setPen(QPen(THEME.wire_active, 3.0))
            painter.setBrush(Qt.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2.5, -2.5, 2.5, 2.5), 10, 10)
        if option.levelOfDetailFromTransform(painter.worldTransform()) < TEXT_LOD:
            return  # too small to read: the box alone keeps big graphs quick to paint
        painter.setPen(QPen(THEME.node_border, 0.8 * line))
        painter.drawLine(QPointF(0, HEADER_HEIGHT), QPointF(self.width, HEADER_HEIGHT))

        header = self.header_rect().adjusted(10, 0, -10, 0)
        painter.setPen(THEME.header_text)
        title_font, symbol_font = THEME.font(1.0, bold=True), THEME.font(1.1, bold=True)
        room = header.width() - QFontMetricsF(symbol_font).horizontalAdvance(self.symbol) - 6
        painter.setFont(title_font)
        painter.drawText(header, Qt.AlignVCenter | Qt.AlignLeft,
                         elided(self.title, title_font, room, Qt.ElideRight))
        painter.setPen(THEME.symbol)
        painter.setFont(symbol_font)
        painter.drawText(header, Qt.AlignVCenter | Qt.AlignRight, self.symbol)

        if self.value_text:
            pending = self.value_pending
            painter.setPen(THEME.pending if pending else THEME.value)
            font = THEME.font(italic=pending)
            painter.setFont(font)
            rect = self.value_rect()
            painter.drawText(rect, Qt.AlignVCenter | Qt.AlignLeft,
                             elided(self.value_text, font, rect.width(), Qt.ElideRight))
        if self.grad_text:
            painter.setPen(self.grad_color)
            font = THEME.font(bold=True)
            painter.setFont(font)
            rect = self.grad_rect()  # elided in the middle: the total at the end stays
            painter.drawText(rect, Qt.AlignVCenter | Qt.AlignLeft,
                             elided(self.grad_text, font, rect.width(), Qt.ElideMiddle))
        if self.is_output:
            painter.setPen(THEME.output_border)
            painter.setFont(THEME.font(0.8, bold=True))
            painter.drawText(QRectF(0, -18, self.width, 16), Qt.AlignRight | Qt.AlignBottom,
                             "output")
