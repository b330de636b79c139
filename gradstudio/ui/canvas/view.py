"""The canvas view: zoom, pan, drops from the palette, and the mouse modes."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QCursor, QPainter
from PySide6.QtWidgets import QGraphicsView

from gradstudio.core.errors import GraphError
from gradstudio.ui.canvas.interactions import Pan, WireDrag
from gradstudio.ui.canvas.items.node import NodeItem, node_height, text_lod
from gradstudio.ui.canvas.items.port import PortItem
from gradstudio.ui.canvas.large.zoompreview import ZoomPreview
from gradstudio.ui.theme import NODE_MIN_WIDTH, THEME, number_px

OP_MIME = "application/x-gradstudio-op"
ZOOM_STEP = 1.15
MIN_ZOOM, MAX_ZOOM = 0.05, 8.0
CANVAS_EXTENT = 1_000_000.0
MIN_FIT_ZOOM = 0.25  # Fit View goes no further out than this
# Above 100 %, Fit View keeps the chips' numbers at least this many pixels high per
# 100 % of text size (14 px at 200 %): a graph too wide for that is shown from its start.
READABLE_PX = 7.0
FIT_MARGIN = 12  # view pixels Fit View leaves around the graph


def drawn_rect(scene) -> QRectF:
    """What is drawn of the scene: the union of its shown items (a hidden chip keeps
    its last place, which is not in the picture)."""
    rect = QRectF()
    for item in scene.items():
        if item.isVisible():
            rect = rect.united(item.sceneBoundingRect())
    return rect


class GraphView(QGraphicsView):
    statusMessage = Signal(str)
    quickAddRequested = Signal(QPointF)  # a scene position
    nodeDoubleClicked = Signal(str, str)  # node id, "label" or "param"

    def __init__(self, scene, parent=None) -> None:
        super().__init__(scene, parent)
        self.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing
                            | QPainter.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.RubberBandDrag)
        self.setTransformationAnchor(QGraphicsView.AnchorViewCenter)
        self.setResizeAnchor(QGraphicsView.AnchorViewCenter)
        self.setViewportUpdateMode(QGraphicsView.SmartViewportUpdate)
        # Every item's paint sets the pen, brush and font it uses: saving and
        # restoring the painter around each one is work for nothing.
        self.setOptimizationFlag(QGraphicsView.DontSavePainterState)
        self.setAcceptDrops(True)
        # An endless canvas: the view can pan and zoom anywhere, like a node editor.
        self.setSceneRect(-CANVAS_EXTENT, -CANVAS_EXTENT, 2 * CANVAS_EXTENT, 2 * CANVAS_EXTENT)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.setFocusPolicy(Qt.StrongFocus)
        self.mode = None
        self.space_held = False
        # Scrolled since the last paint of the whole viewport: Qt's record of where
        # each item was painted is off by the scroll (see scrollContentsBy).
        self.scrolled = False
        self._fitted = None  # the view's state Fit View left, while nothing moved it
        # A big graph's last exact picture, scaled while the wheel turns (zoompreview).
        self.preview = ZoomPreview(self)

    def status(self, message: str) -> None:
        self.statusMessage.emit(message)

    # ------------------------------------------------------------------ zoom
    def zoom(self) -> float:
        return self.transform().m11()

    def zoom_by(self, factor: float) -> None:
        target = min(MAX_ZOOM, max(MIN_ZOOM, self.zoom() * factor))
        factor = target / self.zoom()
        if factor != 1.0:
            previewing = self.scene().large.previews_zoom(self)
            if previewing:
                self.preview.begin()
            self.scale(factor, factor)
            if previewing:
                self.preview.zoomed()

    def fit(self) -> None:
        """The whole graph in sight, every box, wire and chip, as big as the view allows
        (never past 100 %: Text Size makes the texts bigger, not the view).

        A graph of up to READABLE_FIT_NODES nodes is shown whole at any text size,
        its texts drawn however small the zoom (``draws_texts``): whole-graph
        visibility wins over the size of its numbers. A bigger graph is read zoomed
        out, as boxes: it goes no further out than ``min_fit_zoom`` and is shown from
        its start (its inputs, on the left) where it is wider than that.
        """
        scene = self.scene()
        small = scene.large.fits_readable
        if small:
            scene.set_detail(True)  # the chips are in sight, and so measured
            rect = drawn_rect(scene)
        else:
            rect = scene.itemsBoundingRect()
        if rect.isEmpty():  # nothing to fit (File → New): 100 %, as a first start has
            # it; the last graph's zoom stayed, and nodes dropped then came out tiny
            self.resetTransform()
            self.centerOn(0.0, 0.0)
            self._fitted = None
            return
        zoom = self._whole_zoom(rect)
        if not small:
            zoom = max(zoom, self.min_fit_zoom())
        self._show(rect, max(MIN_ZOOM, zoom))
        self._fitted = (self.transform(), rect)

    def _whole_zoom(self, rect: QRectF) -> float:
        """The zoom that shows ``rect`` whole with FIT_MARGIN pixels around it, never
        past 100 %."""
        view = self.viewport().rect()
        return min(1.0, (view.width() - 2 * FIT_MARGIN) / max(rect.width(), 1.0),
                   (view.height() - 2 * FIT_MARGIN) / max(rect.height(), 1.0))

    def is_fitted(self) -> bool:
        """Whether the view is as Fit View left it: at its zoom, what it fitted still
        all in sight (not zoomed or scrolled away since; a resize of the docks around
        it may have moved it by a few pixels)."""
        if self._fitted is None or self.transform() != self._fitted[0]:
            return False
        shown = self.shown_rect().adjusted(-1, -1, 1, 1)
        return shown.contains(self._fitted[1])

    def fit_again(self) -> None:
        """Fit View now and, once the window's layout has settled (docks resized to
        the new texts), again if nothing else moved the view meanwhile."""
        self.fit()
        fitted = self._fitted

        def settled() -> None:
            if fitted is not None and self._fitted is fitted \
                    and self.transform() == fitted[0]:
                self.fit()
        QTimer.singleShot(0, settled)

    def draws_texts(self) -> bool:
        """Whether texts, chips and ports are drawn at the present zoom: always on a
        graph Fit View shows whole with its texts, else above ``text_lod``."""
        return self.scene().large.fits_readable or self.zoom() >= text_lod()

    @staticmethod
    def min_fit_zoom() -> float:
        """How far out Fit View may go on a big graph: at 100 %, until nodes are
        barely boxes; at a bigger text size, while the numbers stay READABLE_PX ×
        the size high."""
        scale = THEME.text_scale
        if scale <= 1.0:
            return MIN_FIT_ZOOM
        return max(MIN_FIT_ZOOM, READABLE_PX * scale / number_px())

    def _show(self, rect: QRectF, zoom: float) -> None:
        """``rect`` at ``zoom``: centred along each side it fits (with FIT_MARGIN
        pixels around it), else from its start."""
        self.resetTransform()
        self.scale(zoom, zoom)
        view, margin = self.viewport().rect(), FIT_MARGIN / zoom
        half_w, half_h = view.width() / (2 * zoom), view.height() / (2 * zoom)
        x = (rect.center().x() if rect.width() + 2 * margin <= 2 * half_w + 1e-6
             else rect.left() - margin + half_w)
        y = (rect.center().y() if rect.height() + 2 * margin <= 2 * half_h + 1e-6
             else rect.top() - margin + half_h)
        self.centerOn(x, y)

    def zoom_at(self, factor: float, view_point) -> None:
        """Zoom keeping the canvas point under ``view_point`` where it is."""
        anchor = self.mapToScene(view_point)
        self.zoom_by(factor)
        moved = self.mapFromScene(anchor) - view_point
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + moved.x())
        v.setValue(v.value() + moved.y())

    def wheelEvent(self, event) -> None:
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.zoom_at(ZOOM_STEP ** steps, event.position().toPoint())
        event.accept()

    # ---------------------------------------------------------------- paint
    def shown_rect(self) -> QRectF:
        """The canvas area in sight (scene coordinates)."""
        return self.mapToScene(self.viewport().rect()).boundingRect()

    def readable_rect(self) -> QRectF:
        """The canvas area in sight, or an empty rectangle when its texts are too small
        to read (then stale texts there can wait: nothing of them is painted)."""
        if not self.draws_texts():
            return QRectF()
        return self.shown_rect()

    def paintEvent(self, event) -> None:
        scene = self.scene()
        readable = self.draws_texts()
        if readable != scene.detail:
            # Zoomed past the point where texts can be read: boxes and plain wires.
            self.preview.end_in(event)
            scene.set_detail(readable)
            self.setRenderHint(QPainter.Antialiasing, readable)
        elif self.preview.paint(event):
            return  # a big graph while the wheel turns: the exact picture on rest
        if scene.large.stale and readable:
            # Texts about to be painted are brought up to date first (big graphs).
            scene.large.stale.refresh_in(scene, self.mapToScene(event.rect()).boundingRect())
        whole = event.rect().contains(self.viewport().rect())
        super().paintEvent(event)
        if whole:  # every item in sight was visited: Qt's record of them is right again
            self.scrolled = False

    def scrollContentsBy(self, dx: int, dy: int) -> None:
        """Qt scrolls the pixels already painted and paints only the strip uncovered.

        Qt remembers where it last painted each item, in viewport pixels, and repaints
        that place when the item moves, changes size, hides or goes. After a scroll it
        moves those records only for the items it is told of before the next paint;
        the others keep their places from before the scroll. A chip hidden later was
        erased where it had been, its pixels left on screen (Delete after a pan left
        the chips of the remaining wires and pieces of the node). So after a scroll,
        until a paint of the whole viewport puts the records right, any change to
        the items repaints the whole viewport (``before_item_changes``).
        """
        super().scrollContentsBy(dx, dy)
        if dx or dy:
            self.scrolled = True
            if self.preview.active:  # (the kept picture is painted whole, not scrolled)
                self.viewport().update()

    def before_item_changes(self) -> None:
        """Qt is about to repaint where changed items were (see scrollContentsBy)."""
        if self.scrolled:
            self.scrolled = False
            self.viewport().update()

    # ------------------------------------------------------------ mouse modes
    def mousePressEvent(self, event) -> None:
        self.preview.end()  # a click acts on what is drawn: the exact picture
        if self.mode is not None:
            return
        if event.button() == Qt.MiddleButton or (
                event.button() == Qt.LeftButton and self.space_held):
            self.mode = Pan(self, event)
            event.accept()
            return
        if event.button() == Qt.LeftButton:
            port = self._port_at(event.position().toPoint())
            if port is not None:
                self.mode = self._wire_mode(port)
                if self.mode is not None:
                    event.accept()
                    return
        super().mousePressEvent(event)

    def _port_at(self, point) -> PortItem | None:
        for item in self.items(point):
            if isinstance(item, PortItem):
                return item
        return None

    def _wire_mode(self, port: PortItem):
        scene = self.scene()
        if port.is_output:
            return WireDrag(self, port.node.node_id)
        source = scene.doc.model.source(port.node.node_id, port.port)
        if source is None:
            self.status("Wires start at an output port (on a node's right side).")
            return None
        return WireDrag(self, source, existing=(source, port.node.node_id, port.port))

    def mouseMoveEvent(self, event) -> None:
        if event.buttons():
            self.preview.end()  # a drag (a wire, a node, the rubber band) is drawn as it goes
        if self.mode is not None:
            self.mode.move(event)
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self.mode is not None:
            mode, self.mode = self.mode, None
            mode.release(event)
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:
        point = event.position().toPoint()
        scene_pos = self.mapToScene(point)
        for item in self.items(point):
            if isinstance(item, NodeItem):
                local = item.mapFromScene(scene_pos)
                what = "label" if item.header_rect().contains(local) else "param"
                self.nodeDoubleClicked.emit(item.node_id, what)
                event.accept()
                return
        if event.button() == Qt.LeftButton:
            self.quickAddRequested.emit(scene_pos)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self.space_held = True
            self.viewport().setCursor(Qt.OpenHandCursor)
            event.accept()
            return
        if event.key() == Qt.Key_Tab and event.modifiers() == Qt.NoModifier:
            point = self.viewport().mapFromGlobal(QCursor.pos())
            if not self.viewport().rect().contains(point):
                point = self.viewport().rect().center()
            self.quickAddRequested.emit(self.mapToScene(point))
            event.accept()
            return
        if event.key() == Qt.Key_Escape and self.mode is not None:
            self.mode.cancel()
            self.mode = None
            return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key_Space and not event.isAutoRepeat():
            self.space_held = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusNextPrevChild(self, next_: bool) -> bool:
        return False  # Tab opens quick add here instead of moving focus

    # ------------------------------------------------------------- dropping
    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(OP_MIME):
            event.acceptProposedAction()
        else:
            super().dragEnterEvent(event)

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasFormat(OP_MIME):
            event.acceptProposedAction()
        else:
            super().dragMoveEvent(event)

    def dropEvent(self, event) -> None:
        mime = event.mimeData()
        if not mime.hasFormat(OP_MIME):
            super().dropEvent(event)
            return
        op = bytes(mime.data(OP_MIME)).decode("utf-8")
        pos = self.mapToScene(event.position().toPoint())
        x, y = pos.x() - NODE_MIN_WIDTH / 2, pos.y() - node_height() / 2  # centred on the drop
        x, y = self.scene().model_point(x, y)  # the file's position (see scene_point)
        try:
            node_id = self.scene().doc.add_node(op, round(x), round(y))
        except GraphError as exc:
            self.status(str(exc))
            return
        event.acceptProposedAction()
        self.status(f"Added {node_id}")
