"""The texts of a big graph's nodes and chips laid out ahead, for presenting.

A step that pans to follow its node repaints the whole screen, and a node or a
chip painted for the first time lays out its texts then (``placed_text``: a
QStaticText each, its glyphs placed at the view's zoom when first drawn). On the
1,000-node benchmark graph at the presentation's 58 %, a screen of 368 chips and
121 nodes painted for the first time took 44-88 and 46-65 ms (five runs), laid
out ahead 18 and 14 ms. So while the window idles, the texts of every node and chip with
something to show within REACH screens of the one shown (all of that graph) are
laid out, nearest the screen's middle first, and their
glyphs placed for the view's zoom (``QStaticText.prepare``, as the first draw
would): a paint then only draws them. The same code lays them out, for the same
matrix, so the pixels are those the paint would have made (a text laid out for
another zoom, or changed since, is laid out again when painted, as before).

Kept by the presentation's ``BackgroundTiles`` (switched on, kicked after each of
its paints, flushed with it) and only for a big graph (``scene.large.lazy``).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QTransform


class TextsAhead(QObject):
    """Lays out the texts of ``scene``'s nodes and chips while the window idles."""

    SLICE_SECONDS = 0.010  # one idle slice
    START_MS = 250  # after a paint: the steps pause first (as the tiles wait)
    REACH = 4  # screens around the one shown whose texts are laid out

    def __init__(self, scene) -> None:
        super().__init__(scene)
        self.scene = scene
        self.on = False
        self._todo: list = []  # items to lay out, nearest the screen's middle last
        self._done: dict = {}  # id(item) -> (item's laid-out texts, zoom) when done
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._slice)

    def set_on(self, on: bool) -> None:
        self.on = on
        if not on:
            self.forget()
            self._timer.stop()

    def forget(self) -> None:
        """Nothing laid out is known any more (a new canvas, a new look)."""
        self._todo, self._done = [], {}

    def kick(self) -> None:
        """After a paint: lay out what is not yet once the window idles, START_MS
        after the last paint (while steps come faster, no slice runs in their midst)."""
        if self.on:
            self._timer.start(self.START_MS)

    def flush(self) -> None:
        """Lay out everything now (for benchmarks and tests: what idling does)."""
        self._timer.stop()
        if self._plan():
            self._lay_out()

    def _slice(self) -> None:
        if self._timer.interval():
            self._timer.setInterval(0)
        if not self._todo and not self._plan():
            self._timer.stop()
            return
        self._lay_out(time.perf_counter() + self.SLICE_SECONDS)
        if not self._todo:
            self._timer.stop()

    def _view(self):
        views = self.scene.views()
        return views[0] if views else None

    def _plan(self) -> bool:
        """The items whose texts are not laid out for the view's zoom, nearest the
        screen's middle last (taken from the end). False: nothing to do."""
        scene, view = self.scene, self._view()
        if not self.on or view is None or not scene.large.lazy or not scene.detail:
            self._todo = []
            return False
        zoom = view.transform().m11()
        done = self._done
        # Within REACH screens of the one shown: all of the benchmark graph, a
        # bounded part of a far bigger one (found through numpy boxes, not a loop
        # over every item).
        shown = view.shown_rect()
        w, h = self.REACH * shown.width(), self.REACH * shown.height()
        near = shown.adjusted(-w, -h, w, h)
        items = [node for node in scene.node_boxes.meeting(near)
                 if not _laid_out(node, done, zoom)]
        for edge in scene.wires.meeting(near):  # (a chip lies near its wire)
            for chip in (edge.above, edge.below):
                if chip.lines and chip.isVisible() and not _laid_out(chip, done, zoom):
                    items.append(chip)
        if not items:
            self._todo = []
            return False
        centre = shown.center()
        cx, cy = centre.x(), centre.y()

        def far(item) -> float:
            p = item.scenePos()
            return -((p.x() - cx) ** 2 + (p.y() - cy) ** 2)
        items.sort(key=far)
        self._todo = items
        return True

    def _lay_out(self, deadline: float | None = None) -> None:
        view = self._view()
        if view is None:
            self._todo = []
            return
        t = view.viewportTransform()
        zoom = view.transform().m11()
        done = self._done
        while self._todo and (deadline is None or time.perf_counter() < deadline):
            item = self._todo.pop()
            if item.scene() is not self.scene or _laid_out(item, done, zoom):
                continue
            drawn = item.laid_out()
            # The matrix drawStaticText compares with: the painter's, less its
            # translation (which only moves the glyphs laid out).
            m = item.sceneTransform() * t
            matrix = QTransform(m.m11(), m.m12(), m.m13(), m.m21(), m.m22(), m.m23(),
                                0.0, 0.0, m.m33())
            for _point, static, font, _color in drawn:
                static.prepare(matrix, font)
            done[id(item)] = (drawn, zoom)

    @property
    def count(self) -> int:
        """Items whose texts were laid out ahead (and still are)."""
        return len(self._done)


def _laid_out(item, done: dict, zoom: float) -> bool:
    """Whether the item's texts as they are now were laid out for this zoom."""
    entry = done.get(id(item))
    return entry is not None and entry[1] == zoom and item.texts_laid_out() is entry[0]
