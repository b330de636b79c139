"""The canvas's chips placed on their own wires (``gradstudio.core.chipplace``):
the items' boxes and sizes read out, the chips moved to where the placer says."""

from __future__ import annotations

from gradstudio.core.chipplace import Chip, place
from gradstudio.core.chipways import FORWARD, GRAD, JOIN, PAIRS, SPOTS


def place_on_wires(node_items, edge_items, memo: dict | None = None) -> bool:
    """Place the chips of these wires; False (nothing moved) where the graph is too
    wide or too far out for the placer (the caller then searches otherwise).
    ``memo``: the places worked out for each state met before, by what the placer
    is given (a deck walks the same steps twice: for its frame, then for its pages)."""
    edges = list(edge_items)
    nodes = [_room(n) for n in node_items]
    chips, items = [], []
    for k, edge in enumerate(edges):
        for item, kind in ((edge.above, FORWARD), (edge.below, GRAD)):
            if item.lines:
                chips.append(Chip(k, kind, *item.size(), kept=item.spot))
                items.append(item)
    ends = [e.ends() for e in edges]
    key = None if memo is None else (
        tuple(nodes), tuple(ends), tuple((c.wire, c.kind, c.w, c.h, c.kept) for c in chips))
    placed = memo.get(key) if key is not None else None
    if placed is None:
        placed = place(nodes, ends, chips)
        if key is not None and placed is not None:
            memo[key] = placed
    if placed is None:
        return False
    for item, where in zip(items, placed):
        x, y = where.box[0], where.box[1]
        if item.x() != x or item.y() != y:  # (a chip that keeps its spot is not moved)
            item.setPos(x, y)
        item.spot = where.spot
        if where.anchor is not None or item.leader is not None:
            item.set_leader(where.anchor)
    joined = PAIRS * len(SPOTS)
    for edge in edges:
        above, below = edge.above, edge.below
        spot = above.spot
        if (above.lines and below.lines and isinstance(spot, int) and spot == below.spot
                and spot < joined):
            above.moveBy(0.0, JOIN)
    return True


def _room(node) -> tuple:
    """What a node takes on the canvas: its box (the placer adds air for the ports),
    with the "output" tag above the output node."""
    box = node.mapRectToScene(node.rect())
    top = node.sceneBoundingRect().top() if node.is_output else box.top()
    return box.left(), top, box.right(), box.bottom()
