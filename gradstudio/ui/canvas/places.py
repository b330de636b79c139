"""Where the canvas draws each node: the file's position, or a layered one for a
node the file does not place, spread farther apart at bigger text sizes.

A part of ``GraphScene`` (a base class of it): the scene's nodes, document and
big-graph policy are its own.
"""

from __future__ import annotations

import networkx as nx
from PySide6.QtCore import QPointF

from gradstudio.core.chiptext import estimated_chips, estimated_nodes
from gradstudio.core.spread import spread_for
from gradstudio.ui.canvas.items.edge import ChipItem
from gradstudio.ui.theme import NODE_MIN_WIDTH, THEME

LAYER_DX, ROW_DY = 260.0, 120.0


class NodePlaces:
    """The scene's node positions: auto positions, the text size's spread."""

    def _compute_auto_positions(self) -> None:
        """Left-to-right layers for nodes whose file gave no position."""
        model = self.doc.model
        missing = [n for n in model.graph.nodes if model.position(n) is None]
        self.auto_positions = {}
        if not missing:
            return
        for layer, nodes in enumerate(nx.topological_generations(model.graph)):
            for row, node_id in enumerate(nodes):
                self.auto_positions[node_id] = (layer * LAYER_DX, row * ROW_DY)

    def position_of(self, node_id: str) -> tuple[float, float]:
        """Where the node is drawn: its file position, spread by the text size."""
        pos = self.doc.model.position(node_id)
        if pos is None:
            pos = self.auto_positions.get(node_id)
        if pos is None:  # a new node without a place: next to the others
            rect = self.itemsBoundingRect()
            pos = self.model_point(rect.right() + 60, rect.top())
            self.auto_positions[node_id] = pos
        return self.scene_point(*pos)

    # Text size and node positions. At 200 % the boxes and chips are about twice as
    # big; drawn at the file's positions, the room between the boxes (which the
    # chips need) does not grow, and on a tight layout the chip placer finds no free
    # spot. So the canvas draws every position ``spread`` times farther from the
    # origin: the least spread, up to the text size, that gives every chip room
    # (``core.spread``). The file keeps its positions: moves, drops, pastes, align
    # and Auto-layout are written back divided by it.
    def scene_point(self, x: float, y: float) -> tuple[float, float]:
        """A file position (the model's) where the canvas draws it."""
        spread = self.spread
        return (x, y) if spread == 1 else (x * spread, y * spread)

    def model_point(self, x: float, y: float) -> tuple[float, float]:
        """A canvas point as the file's position (the inverse of ``scene_point``)."""
        spread = self.spread
        return (x, y) if spread == 1 else (round(x / spread, 2), round(y / spread, 2))

    def choose_spread(self) -> bool:
        """The spread for the current text size (kept until the size changes: edits
        and passes never move the other nodes). True when it changed."""
        scale = THEME.text_scale
        if scale == self.spread_scale:
            return False
        if scale == 1 or not self.nodes:
            spread = 1.0
        elif self.large.lazy:
            spread = scale  # (too big to check: spread by the size, boxes never meet)
        else:
            model = self.doc.model
            positions = {n: model.position(n) or self.auto_positions[n] for n in self.nodes}
            # The boxes and chips as Backward makes them (the widest they get), whatever
            # has run yet: a pass never moves the nodes.
            # A printed worksheet's answer lines as they are drawn (wider than numbers).
            quiz = getattr(self.doc, "quiz", None)
            after = estimated_nodes(model, self.digits, scale, least=NODE_MIN_WIDTH / scale,
                                    quiz=quiz)
            sizes = {n: (max(i.rect().width(), after[n][0]), i.rect().height())
                     for n, i in self.nodes.items()}
            chips = estimated_chips(model, self.digits, measure=ChipItem.measure, quiz=quiz)
            header = next(iter(self.nodes.values())).header_height()
            spread = spread_for(model, positions, sizes, chips, header, scale)
        changed, self.spread, self.spread_scale = spread != self.spread, spread, scale
        return changed

    def spread_positions(self) -> None:
        """Every node where the spread now draws it (after a text size change)."""
        for node_id, item in self.nodes.items():
            pos = QPointF(*self.position_of(node_id))
            if item.pos() != pos:
                item.setPos(pos)
        if self.nodes and not self.sceneRect().contains(self.itemsBoundingRect()):
            self._fit_scene_rect()
