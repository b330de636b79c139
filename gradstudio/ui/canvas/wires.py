"""Every wire of the canvas drawn in one go, under the nodes.

Wires are most of what a big canvas paints: a view of a 1,000-node graph at
100 % crosses a few hundred long wires, a view of a 20,000-node one a couple of
thousand, most of them far longer than the view. Painted one item at a time,
each wire costs a Python call, a stroke of its whole length (the part out of
sight too) and Qt's antialiased path fill: about 100 µs a wire.

Here the wires in sight are worked out together in numpy: each is cut into
straight pieces short enough that none strays more than ``TOLERANCE`` pixels
from the curve, only the pieces near the view are made, and each pen's pieces
are drawn as polylines (see ``polylines``): Qt strokes straight lines far
faster than it follows curves. A chain of 1.8 px lines is a 1.8 px wire: the
same picture, several times faster. Vector output (SVG) still gets
each wire's exact curve. A repaint of part of the view draws there exactly
what a whole repaint does (nothing is left a shade off after an update).

The wires stay scene items (``EdgeItem``, flagged ItemHasNoContents) for
selection, hit tests and their chips; this layer only paints them, from
``GraphScene.drawBackground``, so they lie under every item as before.
"""

from __future__ import annotations

import math

import numpy as np
import shiboken6
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QPaintEngine, QPen, QPolygonF

from gradstudio.core.wirecurve import handles
from gradstudio.ui.canvas.boxes import Boxes
from gradstudio.ui.theme import THEME

#: How far (screen pixels) a straight piece may stray from its wire's curve. On
#: a 1.8 px antialiased wire 0.4 px does not show even at 400 %, and takes a
#: sixth fewer pieces than 0.25 (each costs Qt's rasterizer about 1.5 µs).
TOLERANCE = 0.4
#: Each wire is first cut in this many equal parameter spans; only the spans
#: that come near the painted rectangle are cut further into pieces.
SPANS = 16
#: How far past its pen (screen pixels) a wire's antialiased edge may colour pixels,
#: with room to spare: a repaint of part of the view draws the wires this close too.
FRINGE_PX = 2.0
#: A wire needing more pieces than this (far out of scale, or not finite) is
#: drawn as a curve by Qt.
MOST_PIECES = 1 << 16


#: What ``WireLayer.draw`` paints: every wire as at rest, then the lit ones over them
#: in their own pens (ALL); the first alone (AT_REST: what tiles painted ahead hold);
#: the second alone (LIT: drawn over those tiles).
ALL, AT_REST, LIT = "all", "at rest", "lit"


def resting_pen() -> QPen:
    """A wire's pen when nothing lights it (not the step's, hovered, selected or
    traced)."""
    return QPen(THEME.wire, 1.8 * THEME.wire_line(), Qt.SolidLine, Qt.RoundCap)


def polygon_of(points: np.ndarray) -> QPolygonF:
    """A QPolygonF holding ``points`` ((n, 2) floats), filled in one copy."""
    polygon = QPolygonF()
    polygon.resize(len(points))
    if len(points):
        memory = shiboken6.VoidPtr(polygon.data(), points.nbytes, True)
        np.frombuffer(memory, dtype=np.float64).reshape(-1, 2)[:] = points
    return polygon


def polylines(pieces: np.ndarray, wires: np.ndarray) -> list[QPolygonF]:
    """The ``pieces`` (rows of start x, y, end x, y, in order along their ``wires``)
    as polylines: each run of pieces that meet end to end one polyline.

    Qt strokes each as one outline and fills it alike whatever part of the view
    is repainted, or wherever a scroll put it. (``drawLines``, a quarter faster,
    would not do: Qt's fast path for straight lines cuts each antialiased line at
    the edge of the area being repainted before drawing it, so along the wires a
    repaint of part of the view, or a scrolled one, came out a shade off from a
    whole one. Nor would one path of all the polylines: Qt fills a path of
    thousands of them in time growing faster than their number.)
    """
    if not len(pieces):
        return []
    joined = (wires[1:] == wires[:-1]) & (pieces[1:, 0] == pieces[:-1, 2]) \
        & (pieces[1:, 1] == pieces[:-1, 3])
    starts = np.flatnonzero(np.concatenate(([True], ~joined)))
    stops = np.append(starts[1:], len(pieces))
    runs = []
    for first, last in zip(starts.tolist(), stops.tolist()):
        points = np.empty((last - first + 1, 2))
        points[0] = pieces[first, :2]
        points[1:] = pieces[first:last, 2:]
        runs.append(polygon_of(points))
    return runs


def _bezier(xs: np.ndarray, ys: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Points at parameters ``t`` of cubics with control x's ``xs`` and y's ``ys``
    ((4, n) arrays, one column per point): an (n, 2) array."""
    m = 1.0 - t
    b = (m * m * m, 3 * m * m * t, 3 * m * t * t, t * t * t)
    out = np.empty((len(t), 2))
    out[:, 0] = b[0] * xs[0] + b[1] * xs[1] + b[2] * xs[2] + b[3] * xs[3]
    out[:, 1] = b[0] * ys[0] + b[1] * ys[1] + b[2] * ys[2] + b[3] * ys[3]
    return out


def wire_pieces(ends: np.ndarray, zoom: float, rect: QRectF, reach: float):
    """Straight pieces of the wires with ``ends`` (rows of start x, y, end x, y;
    the cubics of ``edge.wire_path``) that may paint within ``reach`` of ``rect``,
    at ``zoom`` screen pixels per scene unit.

    Returns (pairs, wire): the pieces' start and end points as rows 2i and 2i + 1
    of ``pairs``, and for each piece the row of ``ends`` it belongs to. Wires that
    would take more than MOST_PIECES pieces are left out and listed as a third
    result (row numbers), for drawing as curves.
    """
    sx, sy, ex, ey = ends.T
    dx = handles(sx, ex)
    xs = np.stack((sx, sx + dx, ex - dx, ex))
    ys = np.stack((sy, sy, ey, ey))
    # |B''| is largest at an end of the curve; a chord over a parameter span h
    # strays at most h² / 8 times that from the curve.
    bend = 6 * np.maximum(np.hypot(xs[0] - 2 * xs[1] + xs[2], ys[0] - 2 * ys[1] + ys[2]),
                          np.hypot(xs[1] - 2 * xs[2] + xs[3], ys[1] - 2 * ys[2] + ys[3]))
    with np.errstate(invalid="ignore", over="ignore"):
        pieces = np.ceil(np.sqrt(bend * zoom / (8 * TOLERANCE)))
    ok = np.isfinite(pieces) & (pieces <= MOST_PIECES) & np.isfinite(ends).all(axis=1)
    curves = np.flatnonzero(~ok)
    rows = np.flatnonzero(ok)
    if not len(rows):
        return np.empty((0, 2)), np.empty(0, np.int64), curves
    xs, ys, bend = xs[:, rows], ys[:, rows], bend[rows]

    # The spans' end points, and which spans come near the rectangle.
    n = len(rows)
    t = np.tile(np.linspace(0.0, 1.0, SPANS + 1), n)
    coarse = _bezier(np.repeat(xs, SPANS + 1, axis=1), np.repeat(ys, SPANS + 1, axis=1), t)
    coarse = coarse.reshape(n, SPANS + 1, 2)
    a, b = coarse[:, :-1], coarse[:, 1:]
    stray = (bend / (8 * SPANS * SPANS) + reach)[:, None]
    near = ((np.minimum(a[..., 0], b[..., 0]) - stray <= rect.right())
            & (np.maximum(a[..., 0], b[..., 0]) + stray >= rect.left())
            & (np.minimum(a[..., 1], b[..., 1]) - stray <= rect.bottom())
            & (np.maximum(a[..., 1], b[..., 1]) + stray >= rect.top()))
    wire, span = np.divmod(np.flatnonzero(near), SPANS)
    if not len(wire):
        return np.empty((0, 2)), np.empty(0, np.int64), curves

    # Those spans cut into pieces: as many as the span's bend away from its chord
    # needs (a straight stretch of a long wire is one piece).
    count = _pieces_per_span(xs[:, wire], ys[:, wire], span, b[wire, span] - a[wire, span], zoom)
    piece_wire = np.repeat(wire, count)
    first = np.repeat(np.cumsum(count) - count, count)
    k = np.repeat(count, count).astype(float)
    j = np.arange(len(piece_wire)) - first
    base = np.repeat(span, count).astype(float)
    gx, gy = xs[:, piece_wire], ys[:, piece_wire]
    pairs = np.empty((2 * len(piece_wire), 2))
    pairs[0::2] = _bezier(gx, gy, (base + j / k) / SPANS)
    pairs[1::2] = _bezier(gx, gy, (base + (j + 1) / k) / SPANS)

    # The pieces themselves near the rectangle.
    start, end = pairs[0::2], pairs[1::2]
    keep = ((np.minimum(start[:, 0], end[:, 0]) - reach <= rect.right())
            & (np.maximum(start[:, 0], end[:, 0]) + reach >= rect.left())
            & (np.minimum(start[:, 1], end[:, 1]) - reach <= rect.bottom())
            & (np.maximum(start[:, 1], end[:, 1]) + reach >= rect.top()))
    pairs = pairs.reshape(-1, 4)[keep].reshape(-1, 2)
    return pairs, rows[piece_wire[keep]], curves


def _pieces_per_span(xs, ys, span, chord, zoom: float) -> np.ndarray:
    """How many equal pieces each span needs so none strays more than TOLERANCE
    pixels from the curve (``xs``, ``ys``: the spans' wires' control points).

    A chord over a parameter step h strays at most h² / 8 times the curve's second
    derivative across it. B'' is linear in t, so its extremes are at the span's
    ends; across the pieces' chords is across the span's chord give or take the
    turn of the tangent over the span.
    """
    t0, t1 = span / SPANS, (span + 1) / SPANS
    ax, ay = xs[0] - 2 * xs[1] + xs[2], ys[0] - 2 * ys[1] + ys[2]
    bx, by = xs[1] - 2 * xs[2] + xs[3], ys[1] - 2 * ys[2] + ys[3]
    length = np.maximum(np.hypot(*chord.T), 1e-12)
    ux, uy = chord[:, 0] / length, chord[:, 1] / length
    across = along = 0.0
    tangents = []
    for t in (t0, t1):
        sx, sy = 6 * ((1 - t) * ax + t * bx), 6 * ((1 - t) * ay + t * by)  # B''(t)
        across = np.maximum(across, np.abs(sx * uy - sy * ux))
        along = np.maximum(along, np.hypot(sx, sy))
        m = 1 - t
        tangents.append((m * m * (xs[1] - xs[0]) + 2 * m * t * (xs[2] - xs[1]) + t * t * (xs[3] - xs[2]),
                         m * m * (ys[1] - ys[0]) + 2 * m * t * (ys[2] - ys[1]) + t * t * (ys[3] - ys[2])))
    (px, py), (qx, qy) = tangents
    turn = np.abs(np.arctan2(px * qy - py * qx, px * qx + py * qy))
    worst = across + along * turn
    with np.errstate(invalid="ignore", over="ignore"):
        count = np.ceil(np.sqrt(worst * zoom / (8 * TOLERANCE)) / SPANS)
    return np.maximum(1, np.nan_to_num(count, nan=1.0)).astype(np.int64)


class WireLayer:
    """The scene's wires: their boxes (``Boxes``), and beside them, by the same
    slots, their ends and pens in arrays."""

    def __init__(self, scene) -> None:
        self._scene = scene
        self._boxes = Boxes()  # a hidden wire's box is NaN: nowhere to be found
        self._ends = np.zeros((64, 4))  # start x, y, end x, y
        self._pen_of = np.zeros(64, np.int64)  # the pen's number in _pens
        self._pens: list[QPen] = []
        self._pen_numbers: dict = {}
        # Told where the wires' picture changed (None: everywhere), for what keeps
        # it painted ahead (see large.tiles).
        self.changed = lambda _rect, _curves=None: None
        self.watching = lambda: False  # whether it wants the curves too (costs a copy)

    @property
    def _items(self) -> list:
        return self._boxes.items

    def clear(self) -> None:
        """Every wire gone (a new canvas): what they painted is painted over. Qt
        erases a removed item where it painted it, and it painted no wire."""
        for item in self._items:
            if item is not None:
                item.layer_slot = None
        self._boxes.clear()
        self.changed(None)
        self._scene.update()

    def add(self, item) -> None:
        item.layer_slot = self._boxes.slot(item)
        more = self._boxes.capacity - len(self._ends)
        if more > 0:  # the boxes grew: these grow beside them
            self._ends = np.concatenate([self._ends, np.zeros((more, 4))])
            self._pen_of = np.concatenate([self._pen_of, np.zeros(more, np.int64)])
        self.moved(item)

    def remove(self, item) -> None:
        if item.layer_slot is None:
            return
        item.layer_slot = None
        self._boxes.remove(item)
        self.changed(item.boundingRect())
        self._scene.update(item.boundingRect())

    def moved(self, item, old: QRectF | None = None, pen_only: bool = False) -> None:
        """The wire's path, pen or visibility changed (it was within ``old``): its
        arrays are written again and it is painted again. ``pen_only``: lit or no
        longer, the wire at rest (what tiles painted ahead hold) is as it was."""
        slot = item.layer_slot
        if slot is None:
            return
        rect = item.boundingRect()
        watching = self.watching() and not pen_only
        if watching:
            before = self._ends[slot].copy()
            was = self._pens[self._pen_of[slot]].widthF() if self._pens else 0.0
        self._ends[slot] = item.ends()
        self._boxes.set(item, rect if item.isVisible() else None)
        pen = item.wire_pen
        self._pen_of[slot] = self._number_of(pen)
        changed = rect if old is None else rect.united(old)
        if watching:
            # The curves themselves (a long wire's box holds far more than it crosses),
            # where it was too if it moved, each with the wider of its old and new pens.
            width = max(was, pen.widthF())
            curves = [(self._ends[slot].copy(), width)]
            if old is not None:
                curves.append((before, width))
            self.changed(changed, curves)
        self._scene.update(changed)

    def slots_in(self, rect: QRectF) -> np.ndarray:
        """The slots of the shown wires whose boxes meet ``rect`` (scene coordinates)."""
        return self._boxes.slots_meeting(rect)

    def meeting(self, rect: QRectF) -> list:
        """The shown wires whose boxes meet ``rect`` (scene coordinates)."""
        items = self._items
        return [items[i] for i in self.slots_in(rect).tolist() if items[i] is not None]

    def middles_in(self, rect: QRectF) -> list:
        """The wires whose middles (where their chips are centred on a big graph)
        lie in ``rect``, hidden ones too."""
        ends = self._ends[:len(self._items)]
        x, y = (ends[:, 0] + ends[:, 2]) / 2, (ends[:, 1] + ends[:, 3]) / 2
        hit = np.flatnonzero((x >= rect.left()) & (x <= rect.right())
                             & (y >= rect.top()) & (y <= rect.bottom()))
        items = self._items
        return [items[i] for i in hit.tolist() if items[i] is not None]

    def draw(self, painter, rect: QRectF, layer: str = ALL) -> None:
        """Paint the wires that meet ``rect``: every one as at rest (``resting_pen``),
        then those lit (the step's, hovered, selected, traced) over them in their own
        pens, thinner first, so the thicker lie on top where wires cross. ``layer``:
        both, or one of them (tiles painted ahead hold the wires at rest; a step that
        lights a wire then changes none of their pixels).

        A repaint of part of the view must leave exactly what a whole one does, so
        everything that colours a pixel of ``rect`` is drawn, in the same order: the
        wires and pieces within the antialiased fringe of ``rect`` too (a pen colours
        pixels up to about a pixel past its edge), the pens in a fixed order.
        """
        if not painter.isActive():  # (an image too big to make)
            return
        zoom = math.sqrt(abs(painter.worldTransform().determinant())) or 1.0
        fringe = FRINGE_PX / zoom
        slots = self.slots_in(rect.adjusted(-fringe, -fringe, fringe, fringe))
        if not len(slots):
            return
        painter.setBrush(Qt.NoBrush)  # drawPath would fill with a brush left set
        rest = self.resting_number()
        if layer != LIT:
            self._stroke(painter, rect, zoom, slots, np.full(len(slots), rest))
        if layer != AT_REST:
            by_pen = self._pen_of[slots]
            lit = by_pen != rest
            if lit.any():
                self._stroke(painter, rect, zoom, slots[lit], by_pen[lit])

    def resting_number(self) -> int:
        """The number of ``resting_pen`` among the pens."""
        return self._number_of(resting_pen())

    def _number_of(self, pen: QPen) -> int:
        key = (pen.color().rgba(), pen.widthF())
        number = self._pen_numbers.get(key)
        if number is None:
            number = self._pen_numbers[key] = len(self._pens)
            self._pens.append(QPen(pen))
        return number

    def _stroke(self, painter, rect: QRectF, zoom: float, slots, by_pen) -> None:
        """The wires of ``slots``, each with its pen of ``by_pen`` (numbers)."""
        pens = self._pens
        fringe = FRINGE_PX / zoom
        order = sorted(set(by_pen.tolist()), key=lambda p: (pens[p].widthF(), p))
        raster = painter.paintEngine().type() == QPaintEngine.Raster
        # Pens at most a pixel wide on screen go to Qt's cosmetic stroker, which
        # follows a curve faster than it draws separate lines; vector output
        # (SVG) wants the exact curves too.
        as_curves = [p for p in order if not raster or pens[p].widthF() * zoom <= 1]
        for number in as_curves:
            painter.setPen(pens[number])
            for slot in slots[by_pen == number].tolist():
                painter.drawPath(self._items[slot].path())
        as_pieces = [p for p in order if p not in as_curves]
        if not as_pieces:
            return
        mine = np.isin(by_pen, as_pieces)
        slots, by_pen = slots[mine], by_pen[mine]
        # A piece's round cap and joins reach half its pen's width past it.
        reach = 0.5 * max(pens[p].widthF() for p in as_pieces) + fringe
        pairs, rows, curves = wire_pieces(self._ends[slots], zoom, rect, reach)
        piece_pen = by_pen[rows]
        for number in as_pieces:
            mine = piece_pen == number
            if mine.any():
                painter.setPen(pens[number])  # bevel joins: as round ones at these angles
                for run in polylines(pairs.reshape(-1, 4)[mine], rows[mine]):
                    painter.drawPolyline(run)
        for row in curves.tolist():
            painter.setPen(pens[by_pen[row]])
            painter.drawPath(self._items[slots[row]].path())
