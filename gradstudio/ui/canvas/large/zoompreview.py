"""While the wheel turns on a big graph: the last exact picture, scaled; on rest, the exact one.

A whole repaint of a 1,000-node graph at 100 % costs 25-30 ms: every wire
stroked again (about 9 ms of Qt's antialiased rasterizer), every node, port and
chip drawn, every text laid out again for the new scale. That is more than a
frame, so each notch of the wheel lagged. While zooming, the view instead shows
the viewport's pixels as they were before the first notch, scaled to the new
zoom (about 3 ms): they are taken from the window's backing store, which holds
what the view last painted. Zooming out, the edge the old pixels no longer
cover shows the bare canvas (colour and grid: painting the wires and items there
costs nearly a whole repaint). ``SETTLE_MS`` after the last notch (at once on a
click or a drag, on any other change of the zoom or of the viewport's size) the
preview ends and the view paints itself whole and exactly, as a full repaint of that
state would: what settles on screen is always the exact picture.

Only graphs the policy calls big, zoomed in far enough to draw their texts, and
not while presentation tiles are painted ahead (``BigGraphPolicy.previews_zoom``).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QPoint, QPointF, QRect, QRectF, QTimer
from PySide6.QtGui import QImage, QPainter

#: How long after the last zoom step the exact picture is painted again.
SETTLE_MS = 150


def shown_pixels(viewport) -> QImage | None:
    """A copy of the viewport's pixels as last painted (None where the window's
    backing store is not an image, or the viewport is not shown)."""
    store = viewport.backingStore() if viewport.isVisible() else None
    image = store.paintDevice() if store is not None else None
    if not isinstance(image, QImage) or image.isNull():
        return None
    ratio = image.devicePixelRatio()
    corner = viewport.mapTo(viewport.window(), QPoint(0, 0))
    rect = QRect(round(corner.x() * ratio), round(corner.y() * ratio),
                 round(viewport.width() * ratio), round(viewport.height() * ratio))
    if not image.rect().contains(rect):
        return None
    shot = image.copy(rect)
    shot.setDevicePixelRatio(ratio)
    return shot


class ZoomPreview(QObject):
    """One view's zoom preview: the picture before the first notch and the view
    transform it was painted with."""

    def __init__(self, view) -> None:
        super().__init__(view)
        self._view = view
        self._shot: QImage | None = None
        self._painted_at = None  # the viewport transform the shot was painted with
        self._zoomed_to = None  # the view transform the last notch left
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(self.end)

    @property
    def active(self) -> bool:
        return self._shot is not None

    def begin(self) -> None:
        """Before a zoom step: keep the picture on screen, unless one is kept already
        (a preview always scales the last exact picture, never a preview)."""
        if self._shot is None:
            self._shot = shown_pixels(self._view.viewport())
            self._painted_at = self._view.viewportTransform()

    def zoomed(self) -> None:
        """After the zoom step: the exact picture waits for the wheel to rest."""
        if self._shot is not None:
            self._zoomed_to = self._view.transform()
            self._timer.start()

    def end(self) -> None:
        """The exact picture, now: the whole viewport painted again at once (a notch
        coming next must find it on screen, not the preview, to keep)."""
        if self._shot is not None:
            self._shot = None
            self._timer.stop()
            self._view.viewport().repaint()

    def end_in(self, event) -> None:
        """The exact picture from this paint ``event`` on: it paints its region, and
        the rest of the viewport is painted again if it does not cover it."""
        if self._shot is not None:
            self._shot = None
            self._timer.stop()
            viewport = self._view.viewport()
            if not event.rect().contains(viewport.rect()):
                viewport.update()

    def paint(self, event) -> bool:
        """Paint the kept picture scaled to the view's present zoom and scroll, on the
        bare canvas where it does not reach (zoomed out); or return False (and end
        the preview) if the view changed otherwise since."""
        view = self._view
        viewport = view.viewport()
        shot = self._shot
        if shot is None:
            return False
        if view.transform() != self._zoomed_to \
                or shot.deviceIndependentSize().toSize() != viewport.size():
            self.end_in(event)
            return False
        now = view.viewportTransform()
        scaled = self._painted_at.inverted()[0] * now
        painter = QPainter(viewport)
        painter.setClipRect(event.rect())
        if not scaled.mapRect(QRectF(viewport.rect())).contains(QRectF(event.rect())):
            painter.setTransform(now)
            view.scene().draw_canvas(painter, now.inverted()[0].mapRect(QRectF(event.rect())))
        painter.setRenderHint(QPainter.SmoothPixmapTransform, True)
        painter.setTransform(scaled)
        painter.drawImage(QPointF(0, 0), shot)
        painter.end()
        return True
