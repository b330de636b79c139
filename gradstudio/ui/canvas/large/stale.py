"""Bringing the canvas's texts up to date after a pass, in sight first on big graphs.

Refreshing every node and wire of a big graph after each pass costs far more than
a frame (a few hundred ms on 1,000 nodes, seconds on 20,000). So on a big graph
the items in sight are refreshed at once, items about to be painted are refreshed
just before (see ``GraphView.paintEvent``), and the rest a short slice at a time
while the window is idle: no pass blocks input for long, and nothing readable is
ever painted stale. ``flush`` finishes the work at once, for export and scripts.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QRectF, QTimer

from gradstudio.ui.canvas.items.edge import ChipItem
from gradstudio.ui.canvas.items.node import NODE_MAX_WIDTH
from gradstudio.ui.canvas.large import heap

# How far beyond a rectangle an item may lie and still grow into it once refreshed:
# a node widens to the right (up to NODE_MAX_WIDTH), a chip sits above or below its
# wire (its box meets the wire's only when it has lines).
REACH_LEFT = NODE_MAX_WIDTH
REACH_Y = 80.0
# A wire's chips are centred on its middle, at most this wide each side of it.
CHIP_REACH_X = ChipItem.MAX_TEXT_WIDTH / 2 + 2 * ChipItem.PAD_X


class StaleItems(QObject):
    """The nodes and wires whose texts lag behind the document, and their refreshing.

    ``refresh(nodes, edges)`` is the scene's: it brings the given node ids and wire
    keys up to date (the ones that no longer exist are skipped by it).
    """

    SLICE_SECONDS = 0.015  # one idle slice of background refreshing
    # The slices begin this long after a pass, so the window first paints what is in
    # sight and takes the input already waiting (and a run of edits, as when a spin
    # box is held down, leaves them for when it pauses).
    START_MS = 100
    BATCH_SECONDS = 0.002  # what one batch within a slice should take, about
    MOST_NODES = 20  # in one batch (and twice as many wires)

    def __init__(self, refresh, parent=None) -> None:
        super().__init__(parent)
        self._refresh = refresh
        # Node ids and wire keys still to refresh (dicts used as sets: ``mark`` copies
        # the scene's dicts, which reuses their hashes; building sets of 50,000 keys
        # and a queue of pairs cost 10-37 ms a pass on 20,000 nodes, this about 1 ms).
        self.nodes: dict = {}
        self.edges: dict = {}
        # The order of the idle slices: nodes first (a node that grows moves its wires'
        # ends), then wires, each in the scene's order; entries already refreshed are
        # skipped when reached.
        self._queues: tuple[list, list] = ([], [])
        self._next = [0, 0]  # where the idle slices are in each
        # Zoomed far out no chip shows: then the idle slices leave wires (their chips)
        # stale, to be brought up to date when they come in sight, and spare the
        # scene re-indexing thousands of hidden chips.
        self.idle_wires = True
        self._batch = 2  # nodes per batch in the idle slices (see _slice)
        self._resting = False  # this turn is left to the window (see _slice)
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._slice)

    def __bool__(self) -> bool:
        return bool(self.nodes or self.edges)

    @property
    def idle_work(self) -> bool:
        """Whether the idle slices have anything left to do."""
        return bool(self.nodes or (self.idle_wires and self.edges))

    def set_idle_wires(self, on: bool) -> None:
        self.idle_wires = on
        if on and self.edges and not self._timer.isActive():
            self._timer.start(self.START_MS)

    def mark(self, nodes, edges) -> None:
        """Everything given is stale now; the idle slices start."""
        self.nodes, self.edges = _keys(nodes), _keys(edges)
        self._queues, self._next = (list(self.nodes), list(self.edges)), [0, 0]
        if self:
            self._timer.start(self.START_MS)

    def forget(self) -> None:
        """Nothing is stale (the scene was rebuilt or refreshed as a whole)."""
        self.nodes, self.edges = {}, {}
        self._queues, self._next = ([], []), [0, 0]
        self._timer.stop()

    def refresh_items(self, items) -> None:
        """Refresh those of ``items`` (node and wire items) that are stale."""
        nodes, edges = [], []
        for item in items:
            key = getattr(item, "node_id", None)
            if key is not None:
                if key in self.nodes:
                    nodes.append(key)
                    del self.nodes[key]
            else:
                key = getattr(item, "edge", None)
                if key is not None and key in self.edges:
                    edges.append(key)
                    del self.edges[key]
        if nodes or edges:
            self._refresh(nodes, edges)
        if not self:
            self._timer.stop()

    def refresh_in(self, scene, rect: QRectF) -> None:
        """Refresh the stale items whose texts show in ``rect`` (scene coordinates)
        once refreshed: the nodes that meet it, or lie left of it (a node widens to
        the right), and the wires whose chips may reach into it. The chips sit at
        their wires' middles: a long wire that only crosses the rectangle waits
        (on 20,000 nodes a view at 100 % is crossed by some 2,000 wires)."""
        if self and not rect.isEmpty():
            reach = rect.adjusted(-REACH_LEFT, -REACH_Y, 0, REACH_Y)
            chips = rect.adjusted(-CHIP_REACH_X, -REACH_Y, CHIP_REACH_X, REACH_Y)
            self.refresh_items(scene.node_boxes.meeting(reach) + scene.wires.middles_in(chips))

    def flush(self) -> None:
        """Refresh everything still stale, now."""
        if self:
            nodes, edges = list(self.nodes), list(self.edges)
            self.forget()
            self._refresh(nodes, edges)

    def _slice(self) -> None:
        """One idle slice: refresh in small batches until the slice's time is up.

        What a node costs varies a lot: one that widens moves its wires, and Qt
        re-indexes each (a long wire spans many cells of the scene's BSP tree: up to
        milliseconds each). So a batch halves after a slow one and doubles after
        quick ones; a slice overruns its time by one small batch at most.
        """
        if self._timer.interval():
            self._timer.setInterval(0)  # one slice after another from now on
        if self._resting:
            # Every other turn is the window's alone: it paints what the last slice
            # changed in sight (a wire crossing the view moves when its far-away node
            # widens) without a slice on top. A crowded view at 100 % on 20,000
            # nodes takes 60-70 ms to paint.
            self._resting = False
            return
        self._resting = True
        clock = time.perf_counter
        deadline = clock() + self.SLICE_SECONDS
        size = self._batch
        while (start := clock()) < deadline:
            nodes, edges = self._take(size, 2 * size)
            if not (nodes or edges):
                self._timer.stop()  # done, or only wires left that wait (idle_wires)
                break
            self._refresh(nodes, edges)
            took = clock() - start
            if took > self.BATCH_SECONDS:
                size = max(1, size // 2)
            elif took < self.BATCH_SECONDS / 4:
                size = min(self.MOST_NODES, size * 2)
        self._batch = size
        # The texts written here live as long as their items: out of the garbage
        # collector's sight with the rest of the canvas (see heap), or its full
        # collections would walk a pass's worth of them (30-60 ms on 20,000 nodes).
        heap.settle()

    def _take(self, most_nodes: int, most_edges: int) -> tuple[list, list]:
        """The next few stale nodes and wires in queue order, no longer stale from now."""
        nodes = self._take_from(0, self.nodes, most_nodes)
        edges = []
        if len(nodes) < most_nodes and self.idle_wires:  # the nodes are done
            edges = self._take_from(1, self.edges, most_edges)
        return nodes, edges

    def _take_from(self, which: int, stale: dict, most: int) -> list:
        queue, i, taken = self._queues[which], self._next[which], []
        while i < len(queue) and len(taken) < most:
            key = queue[i]
            i += 1
            if stale.pop(key, _GONE) is not _GONE:
                taken.append(key)
        self._next[which] = i
        return taken


_GONE = object()


def _keys(collection) -> dict:
    """The keys of ``collection`` as a dict to delete from (a dict is copied: fast)."""
    return collection.copy() if isinstance(collection, dict) else dict.fromkeys(collection)
