"""Where one scene's chips go, by the size of its graph.

A graph people read label by label has every chip placed on its own wire
(``onwire``, after ``gradstudio.core.chipplace``) after every pass, edit and
step; where that cannot be done (a graph far out, at 1e20) the chips are found a
place by the greedy search (``search``). A big graph (see ``BigGraphPolicy``)
keeps its chips at their wires' middles, and a step places again just the chips
it changed (``local``).
"""

from __future__ import annotations

import weakref

from gradstudio.ui.canvas.labels.local import Before
from gradstudio.ui.canvas.labels.onwire import place_on_wires
from gradstudio.ui.canvas.labels.search import place_searched


class LabelPlacer:
    """The chip placement of one scene, and what it remembers of each chip: the
    spot the search gave it and what that cost, so a chip can keep it."""

    def __init__(self, policy) -> None:
        self.policy = policy
        self.placed: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        # Set while a deck is written: the places of each state placed before (see
        # ``place_on_wires``), None otherwise.
        self.memo: dict | None = None

    def place_all(self, node_items, edge_items, fresh: bool = True) -> None:
        """Place every wire's chips, all at once. ``fresh``: from the state alone,
        every chip's earlier spot forgotten, so the same graph, numbers and text size
        give the same places however the window got there (an edit and its undo, a
        Text Size round trip); a step through a pass (``place_changed``) lets the
        chips that stay free keep their spots instead."""
        node_items, edge_items = list(node_items), list(edge_items)
        if fresh:
            for edge in edge_items:
                edge.above.spot = edge.below.spot = None
                self.placed.pop(edge.above, None)
                self.placed.pop(edge.below, None)
        chips = sum(bool(e.above.lines) + bool(e.below.lines) for e in edge_items)
        if not self.policy.places_chips(chips):
            for edge in edge_items:
                edge.place_chips_default()
            return
        if not place_on_wires(node_items, edge_items, self.memo):
            place_searched(node_items, edge_items, self.placed)

    @staticmethod
    def before(nodes, wires) -> Before:
        """What these nodes and wires look like before a step changes them."""
        return Before(nodes, wires)

    def place_changed(self, before: Before, scene, whole: bool = False) -> None:
        """After a step: the chips it changed, moved or covered go where they should.
        ``whole``: the step showed the whole of both passes; its chips go where Run →
        Backward (or a presentation's End) puts them, however the class got there."""
        if not self.policy.lazy:
            # Placing every chip again keeps those that stay free where they were
            # (but at the end, the same picture as the whole pass: fresh).
            self.place_all(scene.nodes.values(), scene.edges.values(), fresh=whole)
        else:
            before.place_changed(scene, self.placed)
