"""The canvas scene: a mirror of the document's model, updated through signals.

Items are created and removed only in answer to document signals; user
gestures go to the document (and so to the undo stack), never to items.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGraphicsScene

from gradstudio.core.layout import snap_point
from gradstudio.core.ops import OPS
from gradstudio.ui.canvas import annotations
from gradstudio.ui.canvas.boxes import Boxes
from gradstudio.ui.canvas.items.edge import EdgeItem
from gradstudio.ui.canvas.items.node import NodeItem, node_height
from gradstudio.ui.canvas.labels.placer import LabelPlacer
from gradstudio.ui.canvas.large import bands
from gradstudio.ui.canvas.large.policy import BigGraphPolicy
from gradstudio.ui.canvas.large.tiles import BackgroundTiles
from gradstudio.ui.canvas.places import NodePlaces
from gradstudio.ui.canvas.wires import ALL, AT_REST, LIT, WireLayer, resting_pen
from gradstudio.ui.theme import THEME

BUILD_CHUNK = 500
GRID_STEP = 20.0
MAX_BSP_DEPTH = 14  # of Qt's index (see _fit_scene_rect)


class GraphScene(NodePlaces, QGraphicsScene):
    def __init__(self, document, parent=None, indexed: bool = True,
                 band: tuple[float, float] | None = None) -> None:
        """``indexed=False``: no spatial index, for a scene drawn once whole (an export
        without a window): building it is a tenth faster, the picture the same.
        ``band`` (a top and a bottom file y): only the nodes and wires that may paint
        between them are built (a picture made by two processes, ``large/bands``)."""
        super().__init__(parent)
        self.band = band
        if not indexed:
            self.setItemIndexMethod(QGraphicsScene.NoIndex)
        self.doc = document
        self.nodes: dict[str, NodeItem] = {}
        self.edges: dict[tuple, EdgeItem] = {}
        self.auto_positions: dict[str, tuple[float, float]] = {}
        self.error_node: str | None = None
        # Called as progress(done, total) every BUILD_CHUNK items while the canvas of a
        # newly opened graph is built; returning False cancels (``cancelled`` says so).
        self.progress = None
        self.cancelled = False
        self.show_grid = True
        self.detail = True  # texts, chips and ports drawn (False: zoomed too far out)
        self.digits = 4  # significant digits of every number shown (View → Precision)
        self.hidden: set[str] = set()  # kinds not shown: "values", "locals", "grads", "tangents"
        self._press_positions: dict[str, tuple] = {}
        self.snap_grid: float | None = None  # Arrange → Snap to Grid: moves land on it
        self.large = BigGraphPolicy(self, self._refresh)  # what a big graph does otherwise
        self.labels = LabelPlacer(self.large)
        self._stepped: set = set()  # wires written by steps since the last whole refresh
        self.wires = WireLayer(self)  # paints the wires (see drawBackground)
        # The background painted ahead while presenting a big graph (see large.tiles).
        self._painting_ahead = False
        self.tiles = BackgroundTiles(self.draw_background, self.itemsBoundingRect,
                                     self._background_key,
                                     lambda: self.backgroundBrush().color(), self)
        self.wires.changed, self.wires.watching = self.tiles.changed, self.tiles.watching
        self.node_boxes = Boxes()  # where the nodes are, kept by the nodes
        self.traced: list = []  # the items of the path lit by trace()
        self.spread = 1.0  # file positions drawn this many times farther apart
        self.spread_scale = 1.0  # the text size the spread was chosen for
        self.setBackgroundBrush(THEME.background)
        doc = document
        doc.modelReset.connect(self.rebuild)
        doc.nodeAdded.connect(self._node_added)
        doc.nodeRemoved.connect(self._node_removed)
        doc.nodeChanged.connect(self._node_changed)
        doc.edgeAdded.connect(self._edge_added)
        doc.edgeRemoved.connect(self._edge_removed)
        doc.outputChanged.connect(lambda _n: self.refresh_annotations())
        doc.annotationsChanged.connect(self._annotations_changed)
        doc.stepsChanged.connect(self.refresh_steps)
        doc.passFailed.connect(self._pass_failed)
        # After every edit, undo and redo the "output" tag is where the graph's
        # output now is: a wire added or a node deleted and put back can change it
        # without a pass (which would refresh every text) being run or cleared.
        undo_stack = getattr(doc, "undo_stack", None)
        if undo_stack is not None:
            undo_stack.indexChanged.connect(lambda _i: self.sync_output())
        self.rebuild()

    # ------------------------------------------------------------- mirroring
    def rebuild(self) -> None:
        self.traced = []  # (their items go now)
        self.wires.clear()
        self.node_boxes.clear()
        self.clear()
        self.nodes.clear()
        self.edges.clear()
        self.large.before_build()  # (the old items are garbage now: collected, not frozen)
        self.error_node = None
        self._compute_auto_positions()
        model = self.doc.model
        # (Built at the spread a big graph takes at once; a small one's is checked
        # once its boxes are measured, and its nodes moved if it differs.)
        big = model.graph.number_of_edges() > self.large.lazy_wires
        self.spread = THEME.text_scale if big else 1.0
        self.spread_scale = None
        self.cancelled = False
        node_ids, edges = model.graph.nodes, model.edges()
        if self.band is not None:  # only what may paint into this band of a picture
            top = {n: (model.position(n) or self.auto_positions[n])[1] for n in node_ids}
            node_ids, edges = bands.in_band(top, edges, *self.band, 2 * node_height())
        total, done = len(model) + model.graph.number_of_edges(), 0
        for node_id in node_ids:
            self._make_node(node_id)
            done += 1
            if done % BUILD_CHUNK == 0 and not self._tick(done, total):
                return
        for edge in edges:
            self._make_edge(edge)
            done += 1
            if done % BUILD_CHUNK == 0 and not self._tick(done, total):
                return
        if self.choose_spread():
            self.spread_positions()
        self._fit_scene_rect()
        self.refresh_annotations()
        self.large.after_build()

    def _fit_scene_rect(self) -> None:
        """A fixed scene rectangle around the graph, with room to grow.

        Left unset, Qt widens it to every item's reach after each change, and each
        time it widens, the whole spatial index is built again: on a 20,000-node
        graph, seconds per slice while Backward widens the nodes. (Items beyond it
        are still found, only more slowly; moves and new nodes fit it again.)
        """
        rect = self.itemsBoundingRect()
        margin = max(2000.0, rect.width() / 2, rect.height() / 2)
        self.setSceneRect(rect.adjusted(-margin, -margin, margin, margin))
        # Qt's index cuts that rectangle into 2^depth cells, the depth growing with the
        # number of items: 18 on 20,000 nodes, cells of about 380 × 210 px. A long wire lies
        # in thousands of those, and each change to it walks them all: a millisecond
        # and more. Qt's depth, at most MAX_BSP_DEPTH.
        items = 4 * (len(self.nodes) + len(self.edges))  # about: nodes, ports, wires, chips
        if self.itemIndexMethod() == QGraphicsScene.BspTreeIndex:
            depth = math.ceil(math.log2(max(items, 2)))
            self.setBspTreeDepth(min(MAX_BSP_DEPTH, max(5, depth)))

    def _keep_in_scene_rect(self, item) -> None:
        if not self.sceneRect().contains(item.sceneBoundingRect()):
            self._fit_scene_rect()

    def _tick(self, done: int, total: int) -> bool:
        """Report progress while building a big canvas; False once the user cancelled."""
        if self.progress is not None and not self.progress(done, total):
            self.cancelled = True
            self.wires.clear()
            self.node_boxes.clear()
            self.clear()
            self.nodes.clear()
            self.edges.clear()
            return False
        return True

    def _make_node(self, node_id: str) -> NodeItem:
        op = OPS[self.doc.model.node_data(node_id)["op"]]
        item = NodeItem(node_id, op.ports, op.name == "input")
        item.setPos(QPointF(*self.position_of(node_id)))
        if not self.detail:
            item.set_detail(False)
        self.addItem(item)
        self.node_boxes.set(item, item.sceneBoundingRect())
        self.nodes[node_id] = item
        return item

    def _make_edge(self, edge) -> EdgeItem:
        item = EdgeItem(edge, self.nodes[edge[0]], self.nodes[edge[1]])
        if not self.detail:
            item.set_detail(False)
        self.addItem(item)
        self.wires.add(item)
        self.edges[edge] = item
        return item

    def _node_added(self, node_id: str) -> None:
        self._keep_in_scene_rect(self._make_node(node_id))
        self.refresh_annotations()

    def _node_removed(self, node_id: str) -> None:
        item = self.nodes.pop(node_id, None)
        if item is not None:
            self.node_boxes.remove(item)
            self.removeItem(item)
            item.dispose()
            # Its neighbours may shrink in the same turn (their numbers cleared): Qt then
            # left a strip of a shrunk node where a removed wire had been. A node goes
            # seldom: the whole view is painted again.
            self.update()
        self.auto_positions.pop(node_id, None)

    def _edge_added(self, edge) -> None:
        self._make_edge(edge)

    def _edge_removed(self, edge) -> None:
        item = self.edges.pop(tuple(edge), None)
        if item is not None:
            item.detach()
            self.wires.remove(item)
            self.removeItem(item)

    def _node_changed(self, node_id: str, key: str) -> None:
        item = self.nodes.get(node_id)
        if item is None:
            return
        if key == "position":
            x, y = self.position_of(node_id)
            if item.pos() != QPointF(x, y):
                item.setPos(QPointF(x, y))
            self._keep_in_scene_rect(item)
            self.place_labels()
        elif key == "label":
            # A label names gradients elsewhere too (∂J/∂u), so refresh all texts.
            self.refresh_annotations()
        else:
            # A value or factor shows on its own node; the numbers it changes are
            # cleared or re-run (Live) once the edit is done, for the whole graph.
            self._write_node(item, node_id, annotations.output_of(self.doc))

    def sync_output(self) -> None:
        """Move the "output" tag to the node that is the output now (if it moved)."""
        output, model = annotations.output_of(self.doc), self.doc.model
        moved = False
        for node_id, item in self.nodes.items():
            # (another graph coming in clears the undo stack before the items go)
            if item.is_output != (node_id == output) and node_id in model:
                self._write_node(item, node_id, output)
                moved = True
        if moved and not self.large.lazy:
            self.place_labels()  # the chips keep clear of the tag's room

    # ----------------------------------------------------------- annotations
    def _annotations_changed(self) -> None:
        if self.error_node is not None and self.doc.evaluation is not None:
            self.error_node = None
        self.refresh_annotations()

    def _pass_failed(self, _message: str, node_id) -> None:
        self.error_node = node_id
        self.refresh_annotations()

    def refresh_annotations(self) -> None:
        """Every node's and wire's texts, after a pass, a clear or a change of output.

        A big graph (``self.large.lazy``) has its chips at their wires' middles,
        so each item can be brought up to date on its own:
        those in sight now, the rest just before they are painted or while idle.
        """
        stepped, self._stepped = self._stepped, set()
        if not self.large.lazy:
            self.large.stale.forget()
            self._refresh(self.nodes, self.edges)
            self.place_labels()
            return
        self.large.stale.mark(self.nodes, self.edges)
        for view in self.views():
            self.large.stale.refresh_in(self, view.readable_rect())
        # The wires a step went through: their highlight shows along them at any
        # zoom, and their chips may sit away from their middles (a step places them
        # to avoid the others), where a view would not look for them. And whatever
        # is lit now: a lit wire shows along its whole length, lit or not after this.
        lit = [i for items in (self.nodes, self.edges) for i in items.values() if i.active]
        self.large.stale.refresh_items([self.edges[e] for e in stepped if e in self.edges]
                                       + lit)

    def _refresh(self, node_ids, edges) -> None:
        """Bring these nodes' and wires' texts and highlights up to date; on a big
        graph the wires' chips go to their middles (nothing is searched there)."""
        written = self._write(node_ids, edges)
        if self.large.lazy:
            for item in written:
                item.place_chips_default()
            self._index_now()

    def _index_now(self) -> None:
        """Have Qt index the items that moved or grew, now.

        Qt indexes them once the event loop has gone a turn without changes; the
        idle slices change items every turn, so a whole pass's worth (33,000 wires
        and their chips on 20,000 nodes) would be indexed in one turn after the
        last slice, or by the first paint or click meanwhile: a third of a second.
        Asking the index anything makes it catch up, a slice's worth at a time.
        """
        corner = self.sceneRect().topLeft()  # the margin: nothing there
        self.items(QRectF(corner.x(), corner.y(), 1.0, 1.0))

    def _write(self, node_ids, edges) -> list:
        """Write these nodes' and wires' texts and highlights; returns the wire items."""
        output = annotations.output_of(self.doc)
        reveal = self.doc.reveal if self.doc.evaluation is not None else None
        nodes, wires = self.nodes, self.edges
        for node_id in node_ids:
            item = nodes.get(node_id)
            if item is not None:
                self._write_node(item, node_id, output)
                item.set_active(reveal is not None and reveal.is_active_node(node_id))
        written = []
        for edge in edges:
            item = wires.get(edge)
            if item is not None:
                above, below = self._edge_lines(edge)
                item.above.set_lines(above)
                item.below.set_lines(below)
                item.set_active(reveal is not None and reveal.is_active_edge(edge))
                written.append(item)
        return written

    def set_detail(self, on: bool) -> None:
        """Draw texts, chips and ports, or (zoomed too far out to read them) not.

        Far out, thousands of chips and ports would each be visited to paint
        nothing; hidden, they cost nothing, and the boxes and wires stay.
        """
        if on == self.detail:
            return
        self.detail = on
        self.large.stale.set_idle_wires(on)
        for node in self.nodes.values():
            node.set_detail(on)
        for edge in self.edges.values():
            edge.set_detail(on)

    def flush_annotations(self) -> None:
        """Finish refreshing now: before reading every item's texts or rendering all."""
        self.large.stale.flush()

    def refresh_steps(self, touched) -> None:
        """After one step through a pass: redraw just the nodes and wires it changed,
        and place again just the chips that changed or were moved or covered."""
        node_ids, edge_keys = touched
        nodes = {n: self.nodes[n] for n in node_ids if n in self.nodes}
        # The step's wires, and every wire of its nodes: a node that changes width
        # moves its wires' ends, and with them their chips.
        wires = {e: self.edges[e] for e in edge_keys if e in self.edges}
        for item in nodes.values():
            wires.update((w.edge, w) for w in item.edges)
        before = self.labels.before(nodes.values(), wires.values())
        if self.large.stale:  # big graphs refresh lazily: these may lag, they are done here
            self.large.stale.refresh_items([*nodes.values(), *wires.values()])
        self._write(nodes, wires)
        reveal = self.doc.reveal
        self.labels.place_changed(before, self, whole=reveal is not None and reveal.done)
        self._stepped.update(wires)

    def _write_node(self, item, node_id: str, output) -> None:
        """The node's texts written into its item, its error mark with them."""
        texts = self._node_texts(node_id, output)
        texts["error"] = node_id == self.error_node
        item.set_texts(**texts)

    def _node_texts(self, node_id: str, output) -> dict:
        """The node's texts at the chosen precision, without the hidden kinds."""
        texts = annotations.node_texts(self.doc, node_id, output, self.digits,
                                       self.large.short_grads)
        hidden = self.hidden
        if hidden and texts["grad_text"]:
            kind = "tangents" if self.doc.shown == "tangent" else "grads"
            if kind in hidden:
                texts["grad_text"] = ""
        if "values" in hidden and self.doc.model.node_data(node_id)["op"] != "input":
            texts["value_text"] = ""  # an input's value is the input itself: it stays
        if self.large.keeps_room(self.doc):  # (the box as wide as the pass will make it)
            value, grad = annotations.finished_texts(self.doc, node_id, self.digits)
            texts["room"] = (texts["value_text"] and value,
                             "" if "grads" in hidden else grad)
        return texts

    def _edge_lines(self, edge) -> tuple[list, list]:
        """The wire's chip lines at the chosen precision, without the hidden kinds."""
        above, below = annotations.edge_lines(self.doc, edge, self.digits)
        hidden = self.hidden
        if hidden:
            # Above: the value, then the local derivative; below: "← grad" or "→ tangent".
            above = [line for i, line in enumerate(above)
                     if ("values", "locals")[min(i, 1)] not in hidden]
            below = [line for line in below
                     if ("tangents" if line[0].startswith("→") else "grads") not in hidden]
        return above, below

    def apply_look(self) -> None:
        """Re-render every item after a change of theme, precision or shown kinds."""
        self.setBackgroundBrush(THEME.background)
        for item in self.nodes.values():
            item.restyle()
        if self.choose_spread():  # a new text size: as much room as the chips need
            self.spread_positions()
        for item in self.edges.values():
            item.restyle()
        self.refresh_annotations()
        self.update()

    def trace(self, node_ids=(), edges=()) -> None:
        """Light up one path (the Paths panel's selected row): its wires and their
        chips as a hovered wire's, its nodes ringed; with nothing given, none."""
        for item in self.traced:
            if item.scene() is self:
                item.set_traced(False)
        items = [self.nodes[n] for n in node_ids if n in self.nodes]
        items += [self.edges[tuple(e)] for e in edges if tuple(e) in self.edges]
        for item in items:
            item.set_traced(True)
        self.traced = items

    def place_labels(self) -> None:
        if self.doc.evaluation is None:
            return
        self.labels.place_all(self.nodes.values(), self.edges.values())

    # ---------------------------------------------------------------- moving
    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        if event.button() == Qt.LeftButton:
            self._press_positions = {n: (i.pos().x(), i.pos().y())
                                     for n, i in self.nodes.items() if i.isSelected()}

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.LeftButton or not self._press_positions:
            return
        moves = {}
        for node_id, old in self._press_positions.items():
            item = self.nodes.get(node_id)
            if item is None:
                continue
            new = (item.pos().x(), item.pos().y())
            if new == old:
                continue
            at = self.model_point(*new)  # the file's position (the text size spreads it)
            if self.snap_grid:
                at = snap_point(*at, self.snap_grid)
                item.setPos(QPointF(*self.scene_point(*at)))
            moves[node_id] = (self.doc.model.position(node_id), at)
        self._press_positions = {}
        if moves:
            self.doc.move_nodes(moves)

    # ------------------------------------------------------------ drawing
    def event(self, event) -> bool:
        # Qt handles item changes (moves, new sizes, hidden or removed items) in calls
        # it queues to the scene: each view is told of them first (see
        # GraphView.before_item_changes).
        if event.type() == QEvent.MetaCall:
            for view in self.views():
                view.before_item_changes()
        return super().event(event)

    def drawBackground(self, painter, rect: QRectF) -> None:
        if not self._painting_ahead and self.tiles.on and self.large.lazy \
                and self.backgroundBrush().isOpaque() and self.tiles.paint(painter, rect):
            # (painted ahead while the window idled: presenting a big graph; the tiles
            # hold the wires at rest, the lit ones are drawn over them)
            self.wires.draw(painter, rect, LIT)
            return
        self.draw_canvas(painter, rect)
        # under every item, as wires were drawn before; what tiles hold: the wires at rest
        self.wires.draw(painter, rect, AT_REST if self._painting_ahead else ALL)

    def draw_canvas(self, painter, rect: QRectF) -> None:
        """The background colour and the grid within ``rect``: the canvas bare."""
        super().drawBackground(painter, rect)
        if self.show_grid:
            self._draw_grid(painter, rect)

    def draw_background(self, painter, rect: QRectF) -> None:
        """The background colour, the grid and the wires within ``rect``, drawn."""
        self._painting_ahead = True
        try:
            self.drawBackground(painter, rect)
        finally:
            self._painting_ahead = False

    def _background_key(self) -> tuple:
        """What the background looks like besides the wires and the zoom."""
        rest = resting_pen()
        return (self.backgroundBrush().color().rgba(), self.show_grid, QColor(THEME.grid).rgba(),
                rest.color().rgba(), rest.widthF())

    def _draw_grid(self, painter, rect: QRectF) -> None:
        # Lines 20 units apart, or 100, 500 … zoomed out: never closer than 10 pixels
        # on screen, where a finer grid is a grey haze that costs a paint to draw.
        step, zoom = GRID_STEP, abs(painter.worldTransform().m11()) or 1.0
        while step * zoom < 10:
            step *= 5
        pen = QPen(THEME.grid, 0)  # one pixel wide at every zoom
        painter.setPen(pen)
        left, right, top, bottom = rect.left(), rect.right(), rect.top(), rect.bottom()
        lines = [QLineF(x, top, x, bottom) for x in _ticks(left, right, step)]
        lines += [QLineF(left, y, right, y) for y in _ticks(top, bottom, step)]
        # Level lines a pixel wide need no antialiasing: without, each is one crisp
        # row of pixels and the grid draws several times faster.
        smooth = painter.testRenderHint(QPainter.Antialiasing)
        painter.setRenderHint(QPainter.Antialiasing, False)
        painter.drawLines(lines)
        painter.setRenderHint(QPainter.Antialiasing, smooth)

    def content_rect(self, selected_only: bool = False) -> QRectF:
        items = [i for i in self.nodes.values() if i.isSelected()] if selected_only else None
        if not selected_only:
            return self.itemsBoundingRect()
        rect = QRectF()
        for item in items:
            rect = rect.united(item.sceneBoundingRect())
        for edge in self.edges.values():
            if edge.source.isSelected() and edge.target.isSelected():
                rect = rect.united(edge.sceneBoundingRect())
                for chip in (edge.above, edge.below):
                    if chip.isVisible():
                        rect = rect.united(chip.sceneBoundingRect())
        return rect


def _ticks(low: float, high: float, step: float) -> list[float]:
    """The multiples of ``step`` from ``low`` to ``high``."""
    first = int(low // step)
    return [i * step for i in range(first, int(high // step) + 1)]
