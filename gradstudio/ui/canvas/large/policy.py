"""What a canvas does differently for a graph too big to read label by label.

Graphs people teach with are refreshed whole after every change, and their chips
are placed on their own wires. Past ``lazy_wires`` wires a graph is read zoomed
out, and that machinery would cost seconds: there texts are refreshed in sight
first and the rest in idle slices (``stale``), chips sit at their wires' middles
(a step places again just the chips it changed), and the built canvas's objects
are kept out of Python's full collections (``heap``), while the wheel turns
the view shows its last exact picture scaled (``zoompreview``), and a PNG of it
is made by two processes at once where one may fork (``bands``). The scene and the
view ask this object which way to go; nothing else knows the thresholds.
"""

from __future__ import annotations

import math

from gradstudio.ui.canvas.large import bands, heap
from gradstudio.ui.canvas.large.stale import StaleItems

LAZY_WIRES = 600
#: Up to this many nodes Fit View shows the whole graph, and its texts are drawn at
#: any zoom (GraphView.draws_texts): never empty boxes, never cut off. A bigger
#: graph is read zoomed out, as boxes, below text_lod.
READABLE_FIT_NODES = 200


def picture_seam(model) -> float | None:
    """Where a PNG of ``model`` is cut between two processes (``bands``): the median
    of its nodes' file y's (half the nodes each side). None where one process makes
    it: at most LAZY_WIRES wires, a node the file does not place, or a process that
    may not fork."""
    graph = model.graph
    if graph.number_of_edges() <= LAZY_WIRES or not bands.available():
        return None
    ys = sorted(model.position(n)[1] if model.position(n) is not None else math.nan
                for n in graph.nodes)
    if not ys or not all(math.isfinite(y) for y in ys):
        return None
    return ys[len(ys) // 2]


class BigGraphPolicy:
    """The thresholds, and the big-graph machinery of one scene."""

    def __init__(self, scene, refresh, lazy_wires: int = LAZY_WIRES) -> None:
        self.scene = scene
        self.lazy_wires = lazy_wires
        # Past this many chips, even a graph refreshed whole keeps its chips at their
        # wires' middles (placing them would cost more than a frame).
        self.most_placed_chips = 2 * lazy_wires
        self.stale = StaleItems(refresh, scene)

    @property
    def lazy(self) -> bool:
        """Texts refreshed in sight first, chips at their middles, steps placed locally.
        (A band of a big graph's picture, ``bands``, is drawn as the whole graph.)"""
        return len(self.scene.edges) > self.lazy_wires or self.scene.band is not None

    @property
    def glides(self) -> bool:
        """Whether the presentation's view glides to a step's node rather than jumps:
        each frame of a glide over a big graph repaints the whole screen (35-175 ms),
        so there one jump keeps a step within its 50 ms."""
        return not self.lazy

    @property
    def fits_readable(self) -> bool:
        """Whether Fit View shows it whole with its texts drawn (READABLE_FIT_NODES)."""
        return len(self.scene.nodes) <= READABLE_FIT_NODES

    def previews_zoom(self, view) -> bool:
        """Whether a zoom step of ``view`` shows the last exact picture scaled until
        the wheel rests (``zoompreview``): where a whole repaint costs more than a
        frame, a big graph with its texts drawn; not while presentation tiles are
        painted ahead, which keep their own pictures of the wires."""
        return self.lazy and view.draws_texts() and not self.scene.tiles.on

    @property
    def short_grads(self) -> bool:
        """Whether a node shows its gradient as the total alone (``chiptext.SHORT_GRAD``):
        a fan-out's sum made boxes columns wide, over their neighbours."""
        return self.lazy

    def keeps_room(self, doc) -> bool:
        """Whether the boxes keep room for the texts the passes end with while they are
        stepped through: a box that widened at its step moved its wires, and on a big
        graph that is hundreds of wires stroked again (the presentation's tiles under
        them dropped) and their chips placed again, at every step."""
        return self.lazy and doc.reveal is not None

    def places_chips(self, chips: int) -> bool:
        """Whether this many chips are placed on their wires (else left at middles)."""
        return chips <= self.most_placed_chips

    def before_build(self) -> None:
        """The old canvas's items are dropped, a new one is about to be built: nothing
        of the old one is pending, and its objects are collected now rather than
        frozen with the new one."""
        self.stale.forget()
        heap.release()

    def after_build(self) -> None:
        if self.lazy:
            heap.settle()
