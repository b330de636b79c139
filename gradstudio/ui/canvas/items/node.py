"""A node on the canvas: label and op symbol, its ports, its value and gradient.

The item draws what the scene tells it (``set_texts``); it knows nothing of
passes. Its position is the model's (x, y): the top-left corner.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetricsF, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsRectItem

from gradstudio.core.chiptext import TITLE_GAP
from gradstudio.ui.canvas.items.port import PORT_REACH, PortItem
from gradstudio.ui.canvas.items.text import LaidOut, clip, draw_texts, elided, placed_text
from gradstudio.ui.theme import HEADER_HEIGHT, LINE_HEIGHT, NODE_MIN_WIDTH, THEME

BODY_LINES = 2
#: Below this zoom (text under about 4 px) the canvas of a graph of more than
#: READABLE_FIT_NODES nodes hides texts, chips and ports (GraphView.draws_texts →
#: GraphScene.set_detail); a smaller graph always draws them. An export has them all.
TEXT_LOD = 0.4
NODE_HEIGHT = HEADER_HEIGHT + BODY_LINES * LINE_HEIGHT + 8  # at Text Size 100 %
# How far past the box the ring of a step's node (or a traced path's) reaches: drawn
# 2.5 px out with a pen up to 3 px wide (see paint).
RING_REACH = 4.0
NODE_MAX_WIDTH = 480.0  # at 100 %: longer texts are elided, a 10,000-character label stays one node wide


def title_gap() -> float:
    """The least room between the title and the op symbol (or "input") at the
    current text size: at least a wide space of the bigger font."""
    return TITLE_GAP * THEME.text_scale


def text_growth() -> float:
    """How much taller a line of node text is at the current text size than at
    100 %: the header and each body line grow by that, their margins stay."""
    scale = THEME.text_scale
    return 0.0 if scale == 1.0 else THEME.metrics(1.0).height() * (1.0 - 1.0 / scale)


def node_height() -> float:
    """A node's height at the current text size."""
    return NODE_HEIGHT + (1 + BODY_LINES) * text_growth()


def text_lod() -> float:
    """The zoom below which texts are too small to read: lower at bigger text sizes."""
    return TEXT_LOD / THEME.text_scale


class NodeItem(LaidOut, QGraphicsRectItem):
    """A node. Qt's rectangle of this rectangle item (no pen) is the node's
    bounding rectangle, so Qt reads it without calling into Python (the index asks
    thousands of times a turn on a big graph); ``rect()`` here is the node's box."""

    def __init__(self, node_id: str, n_inputs: int, is_input: bool) -> None:
        super().__init__()
        self.setPen(Qt.NoPen)
        self.node_id = node_id
        self.is_input = is_input
        self.title = node_id
        self.symbol = ""
        self.value_text = ""  # "= 6", or "= ?" before Forward
        self.value_pending = True
        self.grad_text = ""  # "∂J/∂u = 3" after Backward, "∂u/∂b = 2" in forward mode
        self.grad_color = THEME.grad
        self.value_color = None  # None: the theme's; a quiz marks a guess green or red
        self.room: tuple = ()  # texts the box is kept wide enough for (scene.keeps_room)
        self.is_output = False
        self.error = False
        self.active = False  # the node of the step just done, while stepping through a pass
        self.traced = False  # on the path the Paths panel has selected (GraphScene.trace)
        self.detail = True  # False while the canvas is zoomed too far out to read texts
        self.width = NODE_MIN_WIDTH
        # View → Text Size: how much taller each line of text is than at 100 %; the
        # header and body lines grow by that (laid out again in ``restyle``).
        self.growth = text_growth()
        self._set_bounds()
        self.edges: list = []  # wires attached, kept by the scene
        self.setFlags(QGraphicsItem.ItemIsMovable | QGraphicsItem.ItemIsSelectable
                      | QGraphicsItem.ItemSendsGeometryChanges)
        self.setZValue(1)
        self.inputs = [PortItem(self, p) for p in range(n_inputs)]
        self.output = PortItem(self, None)
        self._layout_ports()

    # ---------------------------------------------------------------- content
    def set_texts(self, *, title: str, symbol: str, value_text: str, value_pending: bool,
                  grad_text: str, is_output: bool, error: bool, grad_color=None,
                  value_color=None, room: tuple = ()) -> None:
        grad_color = THEME.grad if grad_color is None else grad_color
        changed = (title, symbol, value_text, value_pending, grad_text, is_output, error,
                   grad_color, value_color, room) != (
            self.title, self.symbol, self.value_text, self.value_pending, self.grad_text,
            self.is_output, self.error, self.grad_color, self.value_color, self.room)
        if not changed:
            return
        self.room = room
        self.grad_color, self.value_color = grad_color, value_color
        self.title, self.symbol = title, symbol
        self.value_text, self.value_pending = value_text, value_pending
        self.grad_text, self.is_output, self.error = grad_text, is_output, error
        self.restyle()

    def restyle(self) -> None:
        """Measure the texts again (new texts, or a new look) and draw again."""
        self._drawn = None
        width, growth = self._content_width(), text_growth()
        if width != self.width or growth != self.growth:
            taller = growth != self.growth  # the input ports move too
            self.width, self.growth = width, growth
            self._set_bounds()
            self._layout_ports()
            for edge in self.edges:
                if taller:
                    # A new text size: every node is laid out again (apply_look), and
                    # the wire is drawn anew once its other end is too, not twice.
                    other = edge.target if edge.source is self else edge.source
                    if other.growth == growth:
                        edge.update_path()
                elif edge.source is self:  # only the output port moved
                    edge.update_path()
        self.update()

    def dispose(self) -> None:
        """Once removed: drop the references between the node and its ports and
        wires. A cycle among them would outlive the node while the canvas is kept
        out of the garbage collector's sight (see ``heap``)."""
        for port in (*self.inputs, self.output):
            port.node = None
        self.inputs, self.output, self.edges = [], None, []

    def set_detail(self, on: bool) -> None:
        """Full drawing, or (zoomed too far out to read texts or see ports) the box alone."""
        self.detail = on
        self.update()

    def set_active(self, on: bool) -> None:
        if on != self.active:
            self.active = on
            self._ringed()

    def set_traced(self, on: bool) -> None:
        """On a path picked in the Paths panel: ringed in the lit wires' colour."""
        if on != self.traced:
            self.traced = on
            self._ringed()

    def _ringed(self) -> None:
        if self.is_output:  # its "output" tag goes above the ring, or back down
            self._drawn = None
        self.update()

    def _content_width(self) -> float:
        """As wide as the texts (with their margins) at the current text size; at
        least NODE_MIN_WIDTH, which stays put: a short text needs no wider box."""
        header = (THEME.text_width(clip(self.title), 1.0, True)
                  + THEME.text_width(self.symbol, 1.1, True) + 20 + title_gap())
        body = max(THEME.text_width(clip(self.value_text), 1.0, False, self.value_pending),
                   THEME.text_width(clip(self.grad_text, middle=True), 1.0, True),
                   *(THEME.text_width(clip(text), 1.0, bold) for text, bold
                     in zip(self.room, (False, True)))) + 24
        return min(NODE_MAX_WIDTH * THEME.text_scale, max(NODE_MIN_WIDTH, header, body))

    def _layout_ports(self) -> None:
        self._discs = None
        n = len(self.inputs)
        header, height = self.header_height(), self.box_height()
        body = height - header
        for i, port in enumerate(self.inputs):
            port.setPos(0.0, header + body * (i + 1) / (n + 1))
        self.output.setPos(self.width, height / 2)

    # -------------------------------------------------------------- geometry
    def box_height(self) -> float:
        return NODE_HEIGHT + (1 + BODY_LINES) * self.growth

    def header_height(self) -> float:
        return HEADER_HEIGHT + self.growth

    def line_height(self) -> float:
        return LINE_HEIGHT + self.growth

    def rect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.box_height())

    def _set_bounds(self) -> None:
        # Room for the ports on the sides, the selection outline, the "output" tag above.
        self.setRect(self.rect().adjusted(-PORT_REACH, -20 - self.growth, PORT_REACH, 4))
        self._tell_scene()

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(self.rect(), 8, 8)
        return path

    def header_rect(self) -> QRectF:
        return QRectF(0, 0, self.width, self.header_height())

    def value_rect(self) -> QRectF:
        return QRectF(10, self.header_height() + 4, self.width - 20, self.line_height())

    def grad_rect(self) -> QRectF:
        return self.value_rect().translated(0, self.line_height())

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_path()
            self._tell_scene()
        return value  # (as QGraphicsItem's own itemChange does)

    def _tell_scene(self) -> None:
        """The scene keeps the nodes' rectangles to find them fast (``boxes``)."""
        scene = self.scene()
        if scene is not None:
            scene.node_boxes.set(self, self.sceneBoundingRect())

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
        elif self.traced:  # the ring alone: the body keeps its colours
            painter.setPen(QPen(THEME.wire_active, 2.6 * line))
            painter.setBrush(Qt.NoBrush)
            painter.drawRoundedRect(rect.adjusted(-2.5, -2.5, 2.5, 2.5), 10, 10)
        if self.detail:  # zoomed out too far to read, the box alone (set_detail)
            painter.setPen(QPen(THEME.node_border, 0.8 * line))
            header = self.header_height()
            painter.drawLine(QPointF(0, header), QPointF(self.width, header))
            draw_texts(painter, self.laid_out())
        self._draw_ports(painter)

    def _draw_ports(self, painter) -> None:
        ports = (*self.inputs, self.output)
        if self.detail and not any(port.highlight or port.hovered for port in ports):
            painter.setPen(Qt.NoPen)
            for ring, fill in self._port_discs():
                painter.setBrush(THEME.node_border)
                painter.drawPath(ring)
                painter.setBrush(THEME.port_fill)
                painter.drawPath(fill)
            return
        for port in ports:
            if self.detail or port.highlight:  # a port accepting a wire shows at any zoom
                port.draw(painter)

    _discs = None  # (line width, [(ring path, fill path), ...]): the ports at rest

    def _port_discs(self) -> list:
        """The ports at rest as paths of their rings' discs and of their fills'
        (PortItem.draw), the first input's with the output's, which lie a box apart:
        a node's ports were a third of its paint. Each other input has its own: zoomed
        out, neighbouring inputs' discs share fringe pixels, which a path's fill
        covers in one blend and two fills in two (a colour step apart)."""
        line = THEME.line
        if self._discs is None or self._discs[0] != line:
            groups = [[self.output, *self.inputs[:1]]] + [[port] for port in self.inputs[1:]]
            discs = []
            for group in groups:
                ring, fill = QPainterPath(), QPainterPath()
                for port in group:
                    outer, inner = port.radii()
                    ring.addEllipse(port.pos(), outer, outer)
                    fill.addEllipse(port.pos(), inner, inner)
                discs.append((ring, fill))
            self._discs = (line, discs)
        return self._discs[1]

    def _layout(self) -> list:
        """The texts laid out once for this width and content: painting only draws."""
        drawn = []

        def put(text, font, x, top, height, color):
            metrics = QFontMetricsF(font)
            drawn.append(placed_text(text, font, x, top + (height - metrics.height()) / 2, color))

        title_font, symbol_font = THEME.font(1.0, bold=True), THEME.font(1.1, bold=True)
        symbol_width = QFontMetricsF(symbol_font).horizontalAdvance(self.symbol)
        margin, header = 10, self.header_height()
        right = self.width - margin
        room = right - margin - symbol_width - title_gap()
        put(elided(self.title, title_font, room, Qt.ElideRight), title_font, margin, 0,
            header, THEME.header_text)
        put(self.symbol, symbol_font, right - symbol_width, 0, header, THEME.symbol)
        value, grad = self.value_rect(), self.grad_rect()
        room = value.width()
        if self.value_text:
            pending = self.value_pending
            font = THEME.font(italic=pending)
            put(elided(self.value_text, font, room, Qt.ElideRight), font, margin,
                value.top(), value.height(),
                THEME.pending if pending else self.value_color or THEME.value)
        if self.grad_text:  # elided in the middle: the total at the end stays
            font = THEME.font(bold=True)
            put(elided(self.grad_text, font, room, Qt.ElideMiddle), font, margin,
                grad.top(), grad.height(), self.grad_color)
        if self.is_output:
            font = THEME.font(0.8, bold=True)
            metrics = QFontMetricsF(font)
            # Above the ring a step or a traced path draws round the box (it covered
            # the word's lower edge), else just above the box.
            lift = RING_REACH if self.active or self.traced else 0.0
            drawn.append(placed_text("output", font, self.width - metrics.horizontalAdvance("output"),
                                     -2 - lift - metrics.height(), THEME.output_border))
        return drawn
