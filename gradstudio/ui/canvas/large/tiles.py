"""The canvas's background (its colour, the grid and every wire) kept painted ahead
in tiles, for presenting a big graph.

A presentation step that pans to follow its node repaints the whole screen, and
on a big graph the wires are most of that paint: on the 1,000-node benchmark
graph at the presentation's zoom (58 %, 1920 × 1080) some 400 long antialiased
polylines, about half of a 100-250 ms repaint (the nodes and chips are the rest). Nothing of them changes with a pan but where they are. So
while the window idles, the background of the graph's whole area is painted
into tiles at the view's zoom, and a paint blits the tiles it needs instead of
stroking the wires again. A tile is painted with the same transform as the
screen, shifted by whole pixels, through the same drawing code (which draws a
part exactly as it draws the whole, see ``canvas.wires``): the pixels are those
a fresh repaint makes. A tile holds every wire as at rest; the lit ones (the step's,
hovered, selected) are drawn over the tiles at each paint, so lighting a wire keeps
them (``canvas.wires``: ALL, AT_REST, LIT). What a tile does not hold yet, or no
longer (a wire that moved drops the tiles under it), is drawn as before.

Switched on by the presentation (``on``) for big graphs only (``scene.large.lazy``):
a graph that small is painted quickly anyway, and editing would drop tiles at every
change.
"""

from __future__ import annotations

import math
import time

import numpy as np

from PySide6.QtCore import QObject, QPointF, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import QImage, QPainter, QTransform
from PySide6.QtWidgets import QWidget

from gradstudio.core.wirecurve import curves as control_points, points
from gradstudio.ui.canvas.large.ahead import TextsAhead

#: A tile's side in pixels.
SIZE = 256
#: How much a paint of the wires reaches past a wire's box (pixels): its pen, the
#: antialiased fringe, a pixel of rounding.
REACH_PX = 4.0
#: A changed wire drops the tiles along its curve, cut in chords this long (pixels).
STEP_PX = 48.0


class BackgroundTiles(QObject):
    """Tiles of the background at one zoom; ``paint`` draws from them.

    ``draw(painter, rect)`` paints the background within the scene rectangle
    ``rect`` (the scene's own drawing); ``bounds()`` is the scene area worth
    keeping (the graph's); ``key()`` what else the picture depends on (theme,
    grid): a change of it, of the zoom or of the render hints drops every tile.
    """

    SLICE_SECONDS = 0.012  # one idle slice of painting tiles
    # After a change, the window paints and takes the next keys first: tiles are
    # painted again once the steps pause (a class reads each for seconds).
    START_MS = 250
    # 165 MB at most: the 1,000-node benchmark graph at the presentation's 58 % is
    # 8,100 × 4,400 pixels, 646 tiles (painted in about 1 s of idle slices).
    MOST_TILES = 660
    MOST_PENDING = 200  # changes since the last paint past which every tile is dropped

    def __init__(self, draw, bounds, key, canvas, parent=None) -> None:
        """``canvas``: the canvas colour (opaque), which a tile starts as."""
        super().__init__(parent)
        self._draw, self._bounds, self._key_of = draw, bounds, key
        self._canvas = canvas
        self.on = False
        # (zoom x, zoom y, fraction of a pixel x, y, hints, key(), the tiles' format)
        self._key = None
        self._tiles: dict[tuple[int, int], QImage] = {}
        self._todo: list[tuple[int, int]] = []  # tiles to paint, nearest the view last
        self._pending: list = []  # changes told and not yet looked at (see changed)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._slice)
        # The nodes' and chips' texts laid out ahead too, on a scene (large.ahead).
        self.texts = TextsAhead(parent) if hasattr(parent, "nodes") else None

    # ------------------------------------------------------------- switching
    def set_on(self, on: bool) -> None:
        self.on = on
        if self.texts is not None:
            self.texts.set_on(on)
        if not on:
            self.drop()

    def drop(self) -> None:
        """Every tile forgotten (a new canvas, a new look)."""
        self._tiles.clear()
        self._todo = []
        self._pending = []
        self._key = None
        self._timer.stop()
        if self.texts is not None:
            self.texts.forget()  # (laid out for the old items or zoom: looked at again)

    # ---------------------------------------------------------------- paint
    def paint(self, painter: QPainter, rect: QRectF) -> bool:
        """Paint the background within ``rect`` from the tiles, those missing
        directly; False when the tiles do not apply (not on, not the screen, a
        rotated view): the caller draws as before."""
        if not self.on or not isinstance(painter.device(), QWidget):
            return False
        t = painter.worldTransform()
        if t.type().value > QTransform.TxScale.value:
            return False
        fx, fy = t.dx() - math.floor(t.dx()), t.dy() - math.floor(t.dy())
        key = (t.m11(), t.m22(), fx, fy, int(painter.renderHints().value), self._key_of(),
               _format(painter))
        if key != self._key:
            self.drop()
            self._key = key
            self._plan(t)
        self._settle()
        ox, oy = math.floor(t.dx()), math.floor(t.dy())
        device = t.mapRect(rect).toAlignedRect().adjusted(-1, -1, 1, 1)
        device.translate(-ox, -oy)  # in the tiles' pixels
        identity = QTransform()
        missing, blitted = [], 0
        for j in range(device.top() // SIZE, device.bottom() // SIZE + 1):
            for i in range(device.left() // SIZE, device.right() // SIZE + 1):
                tile = self._tiles.get((i, j))
                if tile is None:
                    missing.append((i, j))
                    continue
                painter.setWorldTransform(identity)
                painter.drawImage(QPointF(i * SIZE + ox, j * SIZE + oy), tile)
                blitted += 1
        painter.setWorldTransform(t)
        if missing and len(missing) > blitted:
            # Most of it missing (End, Home: every wire changed): drawn at once, as before.
            painter.save()
            self._draw(painter, rect)
            painter.restore()
            missing = []
        # The missing ones drawn as before, a row's run of them at a time: the wires
        # near a run are worked out and stroked once (the tiles a step's long wire
        # dropped lie along it: all of them in one rectangle would be most of the
        # screen's wires stroked again).
        for (i, j), count in _runs(missing):
            area = QRect(i * SIZE + ox, j * SIZE + oy, count * SIZE, SIZE)
            painter.save()
            painter.setWorldTransform(identity)
            painter.setClipRect(area, Qt.IntersectClip)
            painter.setWorldTransform(t)
            self._draw(painter, t.inverted()[0].mapRect(QRectF(area)).intersected(rect))
            painter.restore()
        if self._todo:  # (again: idle slices only once the steps pause)
            self._timer.start(self.START_MS)
        if self.texts is not None:
            self.texts.kick()
        return True

    # ------------------------------------------------------------ the tiles
    def _plan(self, t: QTransform) -> None:
        """The tiles over the graph's area, to paint while the window idles."""
        bounds = self._bounds()
        if bounds.isEmpty():
            return
        ox, oy = math.floor(t.dx()), math.floor(t.dy())
        area = t.mapRect(bounds).toAlignedRect().adjusted(-SIZE // 4, -SIZE // 4,
                                                          SIZE // 4, SIZE // 4)
        area.translate(-ox, -oy)
        tiles = [(i, j) for j in range(area.top() // SIZE, area.bottom() // SIZE + 1)
                 for i in range(area.left() // SIZE, area.right() // SIZE + 1)]
        self._todo = tiles
        self._order()

    def _order(self) -> None:
        """Nearest the screen's middle painted first (taken from the end); no more
        than MOST_TILES kept."""
        view = self._view_centre()
        if view is not None:
            cx, cy = view
            self._todo.sort(key=lambda ij: -((ij[0] + 0.5) * SIZE - cx) ** 2
                            - ((ij[1] + 0.5) * SIZE - cy) ** 2)
        room = self.MOST_TILES - len(self._tiles)
        if len(self._todo) > room:
            self._todo = self._todo[len(self._todo) - max(0, room):]

    def _view_centre(self):
        scene = self.parent()
        views = scene.views() if scene is not None else []
        if not views or self._key is None:
            return None
        view = views[0]
        t = view.viewportTransform()
        centre = QRectF(view.viewport().rect()).center()
        return centre.x() - math.floor(t.dx()), centre.y() - math.floor(t.dy())

    def _render(self, i: int, j: int) -> QImage:
        zx, zy, fx, fy, hints, _, pixels = self._key
        tile = QImage(SIZE, SIZE, pixels)
        # The canvas colour first: the drawing fills a tile's last column at 254/255
        # coverage, and the 255th left of whatever the memory held showed as dotted
        # lines of pure red, blue and yellow down the screen at the tiles' seams.
        tile.fill(self._canvas())
        painter = QPainter(tile)
        painter.setRenderHints(QPainter.RenderHints(hints))
        t = QTransform(zx, 0, 0, zy, fx - i * SIZE, fy - j * SIZE)
        painter.setWorldTransform(t)
        margin = 2.0 / min(abs(zx), abs(zy))
        part = t.inverted()[0].mapRect(QRectF(0, 0, SIZE, SIZE))
        self._draw(painter, part.adjusted(-margin, -margin, margin, margin))
        painter.end()
        return tile

    def _slice(self) -> None:
        if self._timer.interval():
            self._timer.setInterval(0)
        self._paint_planned(time.perf_counter() + self.SLICE_SECONDS)
        if not self._todo:
            self._timer.stop()

    def flush(self) -> None:
        """Paint every planned tile now, and lay out every text (for benchmarks and
        tests: what idling does)."""
        self._paint_planned()
        self._timer.stop()
        if self.texts is not None:
            self.texts.flush()

    def _paint_planned(self, deadline: float | None = None) -> None:
        """The planned tiles painted, nearest the view first, until ``deadline``
        (perf_counter seconds; None: all of them)."""
        self._settle()
        while self._todo and (deadline is None or time.perf_counter() < deadline):
            i, j = self._todo.pop()
            if (i, j) not in self._tiles:
                self._tiles[(i, j)] = self._render(i, j)

    def watching(self) -> bool:
        """Whether a changed wire matters: some tile holds the wires as they were."""
        return bool(self._tiles)

    def changed(self, rect: QRectF | None, curves=None) -> None:
        """The background changed within ``rect`` (scene coordinates; None: anywhere),
        along ``curves`` if given (wires' ends and pen widths, as the WireLayer has
        them): the tiles under it are painted again while the window idles."""
        if rect is None or self._key is None:
            if self._tiles or self._todo:
                self.drop()
            return
        if not self._tiles:
            return  # (those still to paint will be painted as they are then)
        if self._timer.isActive():
            self._timer.start(self.START_MS)  # a step under way: no slice in its midst
        if len(self._pending) >= self.MOST_PENDING:
            # A change of (nearly) everything, as End's: no more cost than that.
            self._pending = []
            self._again(list(self._tiles))
            self._order()
            return
        self._pending.append((QRectF(rect), curves))

    def _settle(self) -> None:
        """The changes told since the last paint: their tiles dropped."""
        pending, self._pending = self._pending, []
        for rect, curves in pending:
            self._drop_under(rect, curves)

    def _drop_under(self, rect: QRectF, curves) -> None:
        if curves:
            hit = self._along(curves)
            if hit is not None:
                self._again(hit)
                return
        zx, zy, fx, fy = self._key[:4]
        t = QTransform(zx, 0, 0, zy, fx, fy)
        device = t.mapRect(QRectF(rect)).adjusted(-REACH_PX, -REACH_PX, REACH_PX, REACH_PX)
        edges = (device.left(), device.right(), device.top(), device.bottom())
        if not all(map(math.isfinite, edges)) \
                or device.width() * device.height() > 4 * self.MOST_TILES * SIZE * SIZE:
            self.drop()  # (everywhere, or as good as)
            return
        self._again((i, j)
                    for j in range(math.floor(device.top() / SIZE),
                                   math.floor(device.bottom() / SIZE) + 1)
                    for i in range(math.floor(device.left() / SIZE),
                                   math.floor(device.right() / SIZE) + 1))

    def _along(self, curves) -> set | None:
        """The tiles the wires' curves colour pixels of (None: not finite, ask the
        box). Each cubic is cut into chords at most STEP_PX long; a tile is hit where
        a chord's box, widened by the pen, the fringe and how far a chord strays from
        its curve, meets it."""
        zx, zy, fx, fy = self._key[:4]
        zoom = max(abs(zx), abs(zy))
        hit = set()
        for ends, width in curves:
            ctrl = control_points(ends)
            xs, ys = ctrl[0, :4], ctrl[0, 4:]
            if not (np.isfinite(xs).all() and np.isfinite(ys).all()):
                return None
            hull = (np.abs(np.diff(xs)).sum() + np.abs(np.diff(ys)).sum()) * zoom
            n = int(min(4096, max(8, math.ceil(hull / STEP_PX))))
            cx, cy = points(ctrl, np.linspace(0.0, 1.0, n + 1)[None, :])
            px, py = cx[0] * zx + fx, cy[0] * zy + fy
            bend = 6 * max(math.hypot(xs[0] - 2 * xs[1] + xs[2], ys[0] - 2 * ys[1] + ys[2]),
                           math.hypot(xs[1] - 2 * xs[2] + xs[3], ys[1] - 2 * ys[2] + ys[3]))
            reach = REACH_PX + width * zoom / 2 + bend * zoom / (8 * n * n)
            if reach > SIZE / 4:
                return None
            left = np.floor((np.minimum(px[:-1], px[1:]) - reach) / SIZE).astype(np.int64)
            right = np.floor((np.maximum(px[:-1], px[1:]) + reach) / SIZE).astype(np.int64)
            top = np.floor((np.minimum(py[:-1], py[1:]) - reach) / SIZE).astype(np.int64)
            bottom = np.floor((np.maximum(py[:-1], py[1:]) + reach) / SIZE).astype(np.int64)
            # A chord and its reach are shorter than a tile: two tiles a side at most.
            for i in (left, right):
                for j in (top, bottom):
                    hit.update(zip(i.tolist(), j.tolist()))
        return hit

    def _again(self, tiles) -> None:
        """These tiles dropped, to be painted again while the window idles."""
        again = []
        for ij in tiles:
            if self._tiles.pop(ij, None) is not None:
                again.append(ij)
        if again:  # (painted again in the idle slices the next paint starts)
            self._todo.extend(again)

    @property
    def count(self) -> int:
        return len(self._tiles)


def _format(painter: QPainter):
    """The tiles' pixel format: the screen's own where it is opaque (RGB32 on most
    screens), so blitting a tile is a copy, not a blend of every pixel (2.9 against
    0.9 ms a screen of 1920 × 1026 from premultiplied ARGB32 tiles); else premultiplied
    ARGB32. Either way the tile holds the pixels the screen's own paint makes."""
    device = painter.paintEngine().paintDevice() if painter.paintEngine() else None
    if isinstance(device, QImage) and device.format() == QImage.Format_RGB32:
        return QImage.Format_RGB32
    return QImage.Format_ARGB32_Premultiplied


def _runs(tiles: list) -> list:
    """The tiles (listed row by row, left to right) as runs along their rows:
    ((i, j) of the first, how many)."""
    runs = []
    for i, j in tiles:
        if runs and runs[-1][0][1] == j and runs[-1][0][0] + runs[-1][1] == i:
            runs[-1][1] += 1
        else:
            runs.append([(i, j), 1])
    return [tuple(run) for run in runs]
