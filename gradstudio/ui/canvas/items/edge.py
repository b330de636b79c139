"""A wire from an output port to an input port, with its annotation chips.

Values and local derivatives sit in a chip standing on the wire, the gradient in a
chip hanging under it (the slide convention: forward above, backward below). Where
along the wire is decided by the scene's ``LabelPlacer`` (``ui/canvas/labels``), so
chips keep clear of other wires, nodes and each other.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import (QColor, QImage, QPainter, QPainterPath, QPainterPathStroker, QPen,
                           QPixmap)
from PySide6.QtWidgets import QGraphicsItem, QGraphicsLineItem, QGraphicsRectItem, QWidget

from gradstudio.core.chipways import JOIN, TOUCH
from gradstudio.core.quiz import BLANK, blank_alone
from gradstudio.core.wirecurve import handle
from gradstudio.ui.canvas.items.text import CLIP, LaidOut, clip, draw_texts, elided, placed_text
from gradstudio.ui.canvas.wires import resting_pen
from gradstudio.ui.theme import THEME


def wire_path(start: QPointF, end: QPointF) -> QPainterPath:
    """The wire's cubic (``core.wirecurve``): leaves rightwards, arrives from the left."""
    dx = handle(start.x(), end.x())
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x() + dx, start.y()), QPointF(end.x() - dx, end.y()), end)
    return path


# Device pixels a value chip is filled in whole pixels within (see ChipItem._paint_patch).
DEVICE_RANGE = QRectF(-1e6, -1e6, 2e6, 2e6)


class ChipItem(LaidOut, QGraphicsRectItem):
    """A small box of annotation lines: [(text, colour, bold, italic), ...].

    A rectangle item (without a pen) so Qt knows its bounding rectangle without
    calling into Python: the index asks for it thousands of times a turn on a big
    graph.
    """

    PAD_X, PAD_Y = 5.0, 2.0
    MAX_TEXT_WIDTH = 320.0  # longer lines (a 10,000-character label in ∂J/∂…) are elided

    def __init__(self, parent=None, framed: bool = False) -> None:
        super().__init__(parent)
        self.setPen(Qt.NoPen)  # the bounding rectangle is the chip's, exactly
        self.framed = framed  # the gradient chip: a box in its colour, not colour alone
        self.lines: list[tuple[str, object, bool, bool]] = []
        self._size = (0.0, 0.0)
        self.shown = True  # False while the canvas is zoomed too far out to read chips
        self.setZValue(3)
        self.setVisible(False)
        self.setAcceptHoverEvents(True)  # hovering a chip lights up its wire

    def hoverEnterEvent(self, event) -> None:
        self.parentItem().set_hot(True)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.parentItem().set_hot(False)
        super().hoverLeaveEvent(event)

    leader = None  # a line back to the wire, made when the chip first goes off it
    spot = None  # where the placer put it on its wire: kept while still free

    def set_leader(self, anchor) -> None:
        """A short line from the chip, set off its wire, back to its point on the wire
        (None: the chip sits on the wire, no line)."""
        if anchor is None:
            if self.leader is not None:
                self.leader.setVisible(False)
            return
        if self.leader is None:  # a child: shown and hidden with the chip
            self.leader = QGraphicsLineItem(self)
            self.leader.setFlag(QGraphicsItem.ItemStacksBehindParent)
        box = self.rect()
        x, y = anchor[0] - self.pos().x(), anchor[1] - self.pos().y()
        end_y = box.bottom() if box.bottom() < y else box.top()
        end_x = min(max(x, box.left() + 4), box.right() - 4)
        self.leader.setPen(QPen(THEME.wire, 1.2 * THEME.line, Qt.DashLine, Qt.RoundCap))
        self.leader.setLine(QLineF(x, y, end_x, end_y))
        self.leader.setVisible(True)

    def leader_line(self):
        """The leader's ends in scene coordinates, or None where the chip sits on its wire."""
        if self.leader is None or not self.leader.isVisible():
            return None
        line = self.leader.line()
        return self.leader.mapToScene(line.p1()), self.leader.mapToScene(line.p2())

    @staticmethod
    def quiet_frame() -> QColor:
        return THEME.chip_frame

    def _paint_patch(self, painter) -> None:
        """The value chip: a patch of canvas colour, its wire cut cleanly where it
        passes behind, in a faint frame of the wire's colour so the cut reads as the
        wire going into the chip. Square and not antialiased: on a big graph hundreds
        are in sight. On screen and in PNGs it is filled in whole device pixels with
        opaque colours (the frame's as it looks over the patch): stroked with a
        translucent pen, the frames took 48 of the 78 ms a presentation step's
        repaint took with 400 chips in sight. Vector pictures get the stroked frame."""
        rect = self.boundingRect()
        t = painter.transform()
        box = t.mapRect(rect)
        raster = isinstance(painter.device(), (QWidget, QImage, QPixmap))
        # (Rotated or sheared: never on the canvas. Far off the device, as a hostile
        # file's 1e300 positions put it: not in whole pixels, which Qt keeps in ints.)
        if not raster or t.isRotating() or not DEVICE_RANGE.contains(box):
            smooth = painter.testRenderHint(QPainter.Antialiasing)
            painter.setRenderHint(QPainter.Antialiasing, False)
            painter.fillRect(rect, THEME.chip_fill)
            painter.setPen(QPen(self.quiet_frame(), THEME.line))
            painter.setBrush(Qt.NoBrush)
            inset = THEME.line / 2
            painter.drawRect(rect.adjusted(inset, inset, -inset, -inset))
            painter.setRenderHint(QPainter.Antialiasing, smooth)
            return
        left, top = round(box.left()), round(box.top())
        width, height = round(box.right()) - left, round(box.bottom()) - top
        line = max(1, round(THEME.line * t.m11()))
        frame = self.patch_frame()
        painter.save()
        try:  # (restored whatever happens: an unbalanced painter brings Qt down)
            painter.resetTransform()
            painter.fillRect(QRect(left, top, width, height), THEME.chip_fill)
            painter.fillRect(QRect(left, top, width, line), frame)
            painter.fillRect(QRect(left, top + height - line, width, line), frame)
            painter.fillRect(QRect(left, top, line, height), frame)
            painter.fillRect(QRect(left + width - line, top, line, height), frame)
        finally:
            painter.restore()

    @staticmethod
    def patch_frame() -> QColor:
        """quiet_frame as it looks over the patch's fill: opaque, the same colour."""
        return THEME.chip_frame_opaque

    def lit(self) -> bool:
        """Its wire is hovered or selected: the chip shows it with a frame."""
        wire = self.parentItem()
        return wire is not None and (wire.hot or wire.traced or wire.isSelected())

    @property
    def texts(self) -> list[str]:
        return [line[0] for line in self.lines]

    @classmethod
    def measure(cls, text: str, bold: bool, italic: bool = False) -> tuple[float, float]:
        """Width and height of one line of a chip, as drawn at the current text size.
        A worksheet's answer line alone (a wire's value) is two lines tall: a line's
        room above it to write in, the line drawn at the baseline below."""
        width = min(cls.widest(text, bold, italic),
                    THEME.text_width(clip(text, True), 0.9, bold, italic))
        height = THEME.metrics(0.9, bold, italic).height()
        return width, 2 * height if blank_alone(text) else height

    @classmethod
    def widest(cls, text: str, bold: bool, italic: bool = False) -> float:
        """The widest a line is drawn: ``MAX_TEXT_WIDTH``, and a worksheet's answer
        line gets its whole blank on top (at 300 % ``∂x1w1/∂x1 = ____`` is wider than
        the cap; its blank, room for "−0.7071", is never drawn shorter)."""
        if text.endswith(BLANK):
            return cls.MAX_TEXT_WIDTH + THEME.text_width(BLANK, 0.9, bold, italic)
        return cls.MAX_TEXT_WIDTH

    def set_lines(self, lines) -> None:
        if lines == self.lines:
            return
        self.lines = list(lines)
        self._drawn = None
        width = height = 0.0
        for text, _color, bold, italic in self.lines:
            w, h = self.measure(text, bold, italic)
            width, height = max(width, w), height + h
        self._size = (width + 2 * self.PAD_X, height + 2 * self.PAD_Y)
        self.setRect(0, 0, *self._size)
        self.setVisible(self.shown and bool(self.lines))
        self.update()

    def set_shown(self, on: bool) -> None:
        self.shown = on
        self.setVisible(on and bool(self.lines))

    def size(self) -> tuple[float, float]:
        return self._size

    def _layout(self) -> list:
        """Each line laid out once, centred: painting then only draws."""
        room = self._size[0] - 2 * self.PAD_X
        drawn, y = [], self.PAD_Y
        for text, color, bold, italic in self.lines:
            font = THEME.font(0.9, bold=bold, italic=italic)
            metrics = THEME.metrics(0.9, bold, italic)
            width = THEME.text_width(clip(text, True), 0.9, bold, italic)
            if len(text) > CLIP or width > room:
                text = elided(text, font, room, Qt.ElideMiddle)
                width = metrics.horizontalAdvance(text)
            top = y
            if blank_alone(text):
                # Room to write above the answer line, and the line on the baseline
                # (an underscore hangs below it, onto the next line like an overline).
                top += metrics.height() - max(0.0, metrics.tightBoundingRect(text).bottom())
                y += metrics.height()
            drawn.append(placed_text(text, font, self.PAD_X + (room - width) / 2, top, color))
            y += metrics.height()
        return drawn

    def paint(self, painter, option, widget=None) -> None:
        # (Zoomed out too far to read, the canvas hides its chips: see set_shown.)
        if self.framed and self.lines:
            painter.setPen(QPen(self.lines[0][1], THEME.line))
            inset = THEME.line / 2  # the frame stays inside the chip's rectangle
            rect = self.boundingRect().adjusted(inset, inset, -inset, -inset)
            painter.setBrush(THEME.chip_fill)
            painter.drawRoundedRect(rect, 4, 4)
        else:
            self._paint_patch(painter)
        if self.lines and self.lit():
            painter.setPen(QPen(THEME.wire_active, 1.6 * THEME.line))
            painter.setBrush(Qt.NoBrush)
            inset = 0.8 * THEME.line
            painter.drawRoundedRect(self.boundingRect().adjusted(inset, inset, -inset, -inset),
                                    4, 4)
        draw_texts(painter, self.laid_out())


class EdgeItem(QGraphicsRectItem):
    """A wire: selectable and hit-tested here, painted by the scene's ``WireLayer``
    (all wires in sight at once, see ``gradstudio.ui.canvas.wires``).

    A rectangle item (no pen, no contents) whose rectangle is the wire's bounding
    rectangle, so Qt's index reads it without calling into Python; the curve is
    ``path()``, the pen the layer paints with ``pen()``.
    """

    def __init__(self, edge: tuple[str, str, int], source, target) -> None:
        super().__init__()
        self.setPen(Qt.NoPen)
        self._path = QPainterPath()
        self.layer_slot = None  # the WireLayer's, once in a scene
        self.wire_pen = QPen()
        self.setFlag(QGraphicsItem.ItemHasNoContents)
        self.edge = edge
        self.source, self.target = source, target  # NodeItems
        self.setZValue(0)
        self.setFlag(QGraphicsItem.ItemIsSelectable)
        self.above = ChipItem(self)
        self.below = ChipItem(self, framed=True)
        self.active = False
        self.hot = False  # under the mouse (itself or one of its chips)
        self.traced = False  # on the path the Paths panel has selected (GraphScene.trace)
        self.setAcceptHoverEvents(True)
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

    def ends(self) -> tuple[float, float, float, float]:
        """Start x, y and end x, y: the cubic of ``wire_path`` follows from them."""
        return self._ends

    def path(self) -> QPainterPath:
        return self._path

    def update_path(self) -> None:
        old = self.rect()
        start, end = self.start(), self.end()
        sx, sy, ex, ey = start.x(), start.y(), end.x(), end.y()
        self._shape = self._spots = self._samples = None  # made when asked
        self._path = wire_path(start, end)
        self._ends = (sx, sy, ex, ey)
        # The curve lies within its control points' hull (see wire_path); with the
        # shape's and pen's half widths around it, that is the bounding rectangle.
        # Computing it here spares Qt stroking the path to find it after each change.
        dx = handle(sx, ex)
        left, right = min(sx, ex - dx), max(sx + dx, ex)
        if all(abs(c) < 1e128 for c in (left, right, sy, ey)):
            self.setRect(left - 6, min(sy, ey) - 6, right - left + 12, abs(ey - sy) + 12)
        else:  # Qt keeps such a path where it was: ask it
            self.setRect(self._path.controlPointRect().adjusted(-6, -6, 6, 6))
        if self.layer_slot is not None:
            self.scene().wires.moved(self, old)
        self.place_chips_default()

    def spot_points(self, percents: tuple) -> tuple[np.ndarray, np.ndarray]:
        """x and y of ``path().pointAtPercent(t)`` for each t, all at once.

        On a path of one cubic, Qt's percent is the curve's parameter: the point is
        de Casteljau's at t, computed here the same way for every t together.
        """
        if self._spots is None or self._spots[0] != percents:
            sx, sy, ex, ey = self._ends
            dx = handle(sx, ex)
            if not all(abs(c) < 1e128 for c in (sx, sy, ex, ey, sx + dx, ex - dx)):
                # Qt refuses such points (the path stays where it is): ask the path itself.
                path = self.path()
                points = [path.pointAtPercent(t) for t in percents]
                self._spots = (percents, np.array([q.x() for q in points]),
                               np.array([q.y() for q in points]))
                return self._spots[1], self._spots[2]
            t = np.asarray(percents, dtype=float)
            m = 1.0 - t
            points = []
            for p1, p2, p3, p4 in ((sx, sx + dx, ex - dx, ex), (sy, sy, ey, ey)):
                a, b, c = p1 * m + p2 * t, p2 * m + p3 * t, p3 * m + p4 * t
                a, b = a * m + b * t, b * m + c * t
                points.append(a * m + b * t)
            self._spots = (percents, *points)
        return self._spots[1], self._spots[2]

    #: Wire samples are at most this far apart along the curve (see ``samples``).
    SAMPLE_STEP = 4.0

    def samples(self) -> np.ndarray:
        """Points along the wire, at most SAMPLE_STEP apart, as an (n, 2) array.

        Label placement tests chips against these instead of the stroke's outline:
        a rectangle grown by the stroke's half width plus half a step contains a
        sample whenever the stroke itself touches the rectangle.
        """
        if self._samples is None:
            sx, sy, ex, ey = self._ends
            dx = handle(sx, ex)
            polygon = 2 * dx + float(np.hypot(ex - dx - (sx + dx), ey - sy))
            if not np.isfinite(polygon) or polygon > 1e7:
                path = self.path()
                points = [path.pointAtPercent(t / 64) for t in range(65)]
                self._samples = np.array([(q.x(), q.y()) for q in points])
            else:
                # The control polygon is at least as long as the curve.
                n = max(2, int(np.ceil(polygon / self.SAMPLE_STEP)) + 1)
                t = np.linspace(0.0, 1.0, n)
                m = 1.0 - t
                b0, b1, b2, b3 = m * m * m, 3 * m * m * t, 3 * m * t * t, t * t * t
                xs = b0 * sx + b1 * (sx + dx) + b2 * (ex - dx) + b3 * ex
                ys = (b0 + b1) * sy + (b2 + b3) * ey
                self._samples = np.column_stack((xs, ys))
        return self._samples

    def place_chips_default(self) -> None:
        """Chips on the middle of the wire, forward just above it and gradient just
        below (``onwire`` moves them along the wire where that spot is crowded)."""
        # The wire is symmetric about the middle of its ends, so that is its midpoint.
        sx, sy, ex, ey = self._ends
        mid_x, mid_y = (sx + ex) / 2, (sy + ey) / 2
        if not (abs(mid_x) < 1e128 and abs(mid_y) < 1e128):
            mid = self.path().pointAtPercent(0.5)
            mid_x, mid_y = mid.x(), mid.y()
        w, h = self.above.size()
        # Joined on the wire as ``onwire`` draws a pair (chipways.JOIN): the value chip
        # over the wire's stroke down to the gradient chip's top, no sliver between them.
        self.above.setPos(mid_x - w / 2, mid_y + (JOIN - TOUCH) - h)
        w, h = self.below.size()
        self.below.setPos(mid_x - w / 2, mid_y + TOUCH)
        for chip in (self.above, self.below):
            chip.spot = None
            chip.set_leader(None)

    def set_detail(self, on: bool) -> None:
        """Chips shown, or (zoomed too far out to read them) hidden."""
        self.above.set_shown(on)
        self.below.set_shown(on)

    def set_active(self, on: bool) -> None:
        if on == self.active:
            return
        self.active = on
        self._apply_pen()

    def set_hot(self, on: bool) -> None:
        """Under the mouse, the wire and its chips light up together."""
        if on == self.hot:
            return
        self.hot = on
        self._apply_pen()
        self.above.update()
        self.below.update()

    def set_traced(self, on: bool) -> None:
        """On a path picked in the Paths panel: lit like a hovered wire, chips framed."""
        if on == self.traced:
            return
        self.traced = on
        self._apply_pen()
        self.above.update()
        self.below.update()

    def hoverEnterEvent(self, event) -> None:
        self.set_hot(True)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.set_hot(False)
        super().hoverLeaveEvent(event)

    def restyle(self) -> None:
        """After a change of look: the wire's pen and the chips' colours and sizes."""
        self._apply_pen()
        for chip in (self.above, self.below):
            lines, chip.lines = chip.lines, None
            chip.set_lines(lines)  # measured again (high contrast is bold)

    def _apply_pen(self) -> None:
        lit = self.isSelected() or self.hot or self.traced
        if lit or self.active:
            width = (2.6 if lit else 3.2) * THEME.wire_line()
            pen = QPen(THEME.wire_active, width, Qt.SolidLine, Qt.RoundCap)
        else:
            pen = resting_pen()
        # Kept here, not by setPen: Qt would re-index the item for a new pen width.
        self.wire_pen = pen
        if self.layer_slot is not None:
            self.scene().wires.moved(self, pen_only=True)

    def pen(self) -> QPen:
        return self.wire_pen

    def itemChange(self, change, value):
        if change == QGraphicsItem.ItemSelectedHasChanged:
            self._apply_pen()
            self.above.update()
            self.below.update()
        elif change == QGraphicsItem.ItemVisibleHasChanged and self.layer_slot is not None:
            self.scene().wires.moved(self)
        # (QGraphicsItem's own itemChange returns the value: not called back into C++,
        # as about 11 changes a wire come while a 2,000-wire scene is built.)
        return value

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(10)
            self._shape = stroker.createStroke(self.path())
        return self._shape
