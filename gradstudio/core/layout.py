"""Automatic layout, left to right, and the small geometry helpers of the canvas.

No Qt here: the window passes node sizes in, gets positions back and pushes
them as one undoable move.

The layout is a small Sugiyama:

1. **Layers** by longest path from the sources (``networkx.topological_generations``);
   an input is then pulled right to the column just before its first consumer, so
   a constant or a bias does not sit far left with a long wire.
2. **Order** inside each column by barycenter sweeps (down, then up, a few
   times), with a placeholder in every column a long wire crosses, keeping the
   order with the fewest crossings seen. A wire into port 0 counts as slightly
   above a wire into port 1, so ``u = b·c`` gets b above c.
3. **Rows**: each node is pulled toward the mean height of its neighbours,
   never closer than a row to the node above it (isotonic regression), and
   columns are as far apart as the widest node plus room for the edge labels.
4. **Room for the chips**: rows and columns start far enough apart for the
   chips' sizes (``chiptext.estimated_chips``, or the sizes the canvas measured),
   then the chips are placed as the canvas places them (``chipplace``); while
   some chip finds no free spot on its own wire, the columns move apart and the
   graph is laid out again (at most FIT_TRIES times, fewer on bigger graphs: see
   FIT_BUDGET). Graphs with more than FIT_WIRES wires skip this step.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from itertools import combinations

import networkx as nx

from gradstudio.core.wirecurve import handle

NODE_W, NODE_H = 140.0, 70.0  # a node box, when the caller does not know better
COLUMN_GAP = 160.0  # free room between columns, for the labels on the wires
MIN_COLUMN_DX = 300.0  # left edge to left edge, at least
ROW_DY = 150.0  # top edge to top edge in a column
WIRE_DY = 60.0  # room a long wire takes in a column it crosses
SWEEPS = 6
GRID = 20.0
# Placeholders of long wires (see _routed): at most this many per node and wire.
PLACEHOLDERS_PER_ITEM = 2
MIN_PLACEHOLDERS = 2000
PULL = 20.0  # how much more a long wire's curve weighs than a node's place (see _rows)
HEADER_H = 24.0  # a node's title bar: its input ports share the body below it
FIT_WIRES = 600  # past this many wires (ui/canvas/large/policy.LAZY_WIRES) chips get no room
# (Each try costs a placement: Auto-layout of 200 nodes, 344 wires took 0.87 s.)
# Nor past this many nodes and placeholders (a 355-node graph has 1,757; the tries then
# take about 0.9 s; the sum of 100 a's would have 2,054, the tries 0.6 s to no avail).
FIT_ITEMS = 2000
FIT_TRIES = 6  # the spacing grows at most GROW ** 5 (3.7) times
ROOMY = 1.1  # chips are checked this much wider (see chips_off_wire)
GROW = 1.3  # how much the spacing grows each time some chip has no room
# Wires placed over all the tries: up to 200 wires get FIT_TRIES tries, more get fewer
# (at least 2) that take bigger steps over the same range of spacings, so the tries'
# time stays within that of placing 1,200 wires. (A sum of 300 names, 598 wires, took
# six tries, 0.3-1.5 s, none housing every chip: the raster is coarse on so wide a graph.)
FIT_BUDGET = 1200


def layers(model) -> dict[str, int]:
    """Column of every node: longest path from a source, inputs pulled right."""
    graph = model.graph
    layer: dict[str, int] = {}
    for i, generation in enumerate(nx.topological_generations(graph)):
        for node_id in generation:
            layer[node_id] = i
    for node_id in graph.nodes:
        if graph.in_degree(node_id) == 0 and graph.out_degree(node_id) > 0:
            layer[node_id] = min(layer[v] for v in graph.successors(node_id)) - 1
    return layer


def _routed(edges: list, layer: dict, size: int) -> list[bool]:
    """Which wires get a placeholder in every column they cross: all of them, unless
    that makes more than PLACEHOLDERS_PER_ITEM per node and wire (at least
    MIN_PLACEHOLDERS). One input used by every term of a long sum (a + a + … + a)
    would need n²/2 of them; then the shortest wires get theirs and the longest run
    straight across, so the layout stays linear in the graph's size."""
    spans = [layer[v] - layer[u] - 1 for u, v, _port in edges]
    budget = max(MIN_PLACEHOLDERS, PLACEHOLDERS_PER_ITEM * size)
    if sum(spans) <= budget:
        return [True] * len(edges)
    routed = [False] * len(edges)
    for k in sorted(range(len(edges)), key=spans.__getitem__):
        budget -= spans[k]
        if budget < 0:
            break
        routed[k] = True
    return routed


def _port_offset(port: int, ports: int) -> float:
    """Where on a node a port sits, from -0.25 (top) to 0.25 (bottom)."""
    if ports <= 1:
        return 0.0
    return 0.5 * (port / (ports - 1) - 0.5)


class _Layered:
    """The graph cut into columns, long wires split by placeholder nodes."""

    def __init__(self, model, layer: dict[str, int]) -> None:
        self.layer = dict(layer)
        n_layers = max(layer.values(), default=-1) + 1
        self.columns: list[list] = [[] for _ in range(n_layers)]
        for node_id in model.graph.nodes:  # node order is the starting order
            self.columns[layer[node_id]].append(node_id)
        # segments between neighbouring columns: (upper end, lower end, port offset)
        self.segments: list[tuple[object, object, float]] = []
        self.dummies: set = set()
        edges = model.edges()
        routed = _routed(edges, layer, len(model) + len(edges))
        for k, (u, v, port) in enumerate(edges):
            offset = _port_offset(port, model.op_of(v).ports)
            prev = u
            for col in range(layer[u] + 1, layer[v] if routed[k] else layer[u] + 1):
                dummy = ("wire", u, v, port, col)
                self.dummies.add(dummy)
                self.layer[dummy] = col
                self.columns[col].append(dummy)
                self.segments.append((prev, dummy, 0.0))
                prev = dummy
            self.segments.append((prev, v, offset))
        self.up: dict = {n: [] for n in self.layer}  # neighbours one column left
        self.down: dict = {n: [] for n in self.layer}  # neighbours one column right
        for a, b, offset in self.segments:
            self.up[b].append((a, offset))
            self.down[a].append((b, offset))

    def positions(self) -> dict:
        return {n: i for col in self.columns for i, n in enumerate(col)}

    def crossings(self) -> int:
        pos = self.positions()
        by_col: dict[int, list[tuple[float, float]]] = {}
        for a, b, offset in self.segments:
            by_col.setdefault(self.layer[a], []).append((pos[a], pos[b] + offset))
        return sum(_inversions(segs) for segs in by_col.values())

    def sweep(self, downward: bool) -> None:
        order = range(1, len(self.columns)) if downward else range(len(self.columns) - 2, -1, -1)
        pos = self.positions()
        for c in order:
            neighbours = self.up if downward else self.down
            keys = {}
            for n in self.columns[c]:
                near = neighbours[n]
                if near:
                    if downward:  # my port offset is on my side of the segment
                        keys[n] = sum(pos[a] - off for a, off in near) / len(near)
                    else:
                        keys[n] = sum(pos[b] + off for b, off in near) / len(near)
                else:
                    keys[n] = pos[n]
            self.columns[c].sort(key=keys.__getitem__)
            pos.update((n, i) for i, n in enumerate(self.columns[c]))


def _inversions(segs: list[tuple[float, float]]) -> int:
    """Pairs (a1, b1), (a2, b2) with a1 < a2 and b1 > b2: wires that cross."""
    segs = sorted(segs)
    seen: list[float] = []  # lower ends of the wires from earlier upper ends, sorted
    total, i = 0, 0
    while i < len(segs):
        j = i
        while j < len(segs) and segs[j][0] == segs[i][0]:
            j += 1
        group = [b for _a, b in segs[i:j]]
        for b in group:
            total += len(seen) - bisect_right(seen, b)
        for b in group:
            insort(seen, b)
        i = j
    return total


def _rows(lay: _Layered, sizes: dict, row_dy: float, wire_dy: float = WIRE_DY,
          curve=None) -> dict:
    """A height for every node and placeholder: near its neighbours, rows apart.

    ``curve(placeholder, y)``, where given, is where the long wire's drawn curve
    crosses the placeholder's column with the rows ``y``: the placeholder goes
    there, so the nodes of that column keep their distance from the wire itself.
    """
    def height(n):
        return wire_dy if n in lay.dummies else row_dy

    y: dict = {}
    for col in lay.columns:
        top = 0.0
        for n in col:
            y[n] = top
            top += height(n)
    # centre every column on the tallest
    tallest = max((sum(height(n) for n in col) for col in lay.columns), default=0.0)
    for col in lay.columns:
        shift = (tallest - sum(height(n) for n in col)) / 2
        for n in col:
            y[n] += shift

    # What the rounds below ask again and again, worked out once (the same numbers,
    # added in the same order): half of each box's height (a node's centre is y + half),
    # each column's offsets (see _spaced), the neighbours a node is pulled toward.
    half = {n: (sizes.get(n, (NODE_W, NODE_H))[1] if n not in lay.dummies else 0.0) / 2
            for n in lay.layer}
    offsets = {id(col): _offsets([0.0] + [(height(a) + height(b)) / 2
                                          for a, b in zip(col, col[1:])])
               for col in lay.columns}
    pulled = {True: {}, False: {}}  # downward -> node -> its neighbours' ids, or None
    for n in lay.layer:
        for downward, (first, second) in ((True, (lay.up, lay.down)),
                                          (False, (lay.down, lay.up))):
            near = first[n] or second[n]
            pulled[downward][n] = [m for m, _off in near] if near else None
    follows = curve is not None and lay.dummies  # placeholders follow their curves

    for _round in range(4):
        for downward in (True, False):
            cols = lay.columns if downward else list(reversed(lay.columns))
            toward = pulled[downward]
            for col in cols:
                wants = []
                for n in col:
                    if follows and n in lay.dummies:
                        wants.append(curve(n, y))
                        continue
                    near = toward[n]
                    if near:
                        mid = sum([y[m] + half[m] for m in near]) / len(near)
                        wants.append(mid - ((y[n] + half[n]) - y[n]))
                    else:
                        wants.append(y[n])
                for n, value in zip(col, _pooled(wants, offsets[id(col)])):
                    y[n] = value
    if curve is not None:
        # Last, the nodes stay where they are and the long wires' placeholders go to
        # their curves, the nodes giving way: a few times, as the curves' ends settle.
        for _round in range(3):
            for col in lay.columns:
                if not any(n in lay.dummies for n in col):
                    continue
                wants = [curve(n, y) if n in lay.dummies else y[n] for n in col]
                weights = [PULL if n in lay.dummies else 1.0 for n in col]
                for n, value in zip(col, _pooled(wants, offsets[id(col)], weights)):
                    y[n] = value
    return y


def _spaced(wants: list[float], gaps: list[float], weights=None) -> list[float]:
    """Closest values to ``wants`` (least squares, each counted ``weights`` times) with
    y[i] - y[i-1] >= gaps[i].

    With z[i] = y[i] - (gaps[1] + ... + gaps[i]) the constraint is z non-decreasing:
    isotonic regression, solved by pooling adjacent violators.
    """
    return _pooled(wants, _offsets(gaps), weights)


def _offsets(gaps: list[float]) -> list[float]:
    """gaps[0], gaps[0] + gaps[1], ...: where each row sits below the first at the least."""
    offsets, total = [], 0.0
    for g in gaps:
        total += g
        offsets.append(total)
    return offsets


def _pooled(wants: list[float], offsets: list[float], weights=None) -> list[float]:
    """_spaced, the gaps given as their running sums (``_offsets``)."""
    targets = [w - o for w, o in zip(wants, offsets)]
    weights = weights or [1.0] * len(targets)
    blocks: list[list[float]] = []  # [mean, weight, count]
    for t, w in zip(targets, weights):
        blocks.append([t, w, 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            m2, w2, c2 = blocks.pop()
            m1, w1, c1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, c1 + c2])
    z = [m for m, _w, c in blocks for _ in range(c)]
    return [zi + o for zi, o in zip(z, offsets)]


def auto_layout(model, sizes: dict[str, tuple[float, float]] | None = None, *,
                row_dy: float = ROW_DY, column_gap: float = COLUMN_GAP,
                grid: float | None = GRID, chips: dict | None = None,
                fit: bool = True, header: float = HEADER_H,
                text_scale: float = 1.0) -> dict[str, tuple[float, float]]:
    """Top-left corner of every node: columns left to right, few crossings, no overlaps,
    and room for every wire's chips on the wire (see step 4 above).

    ``sizes`` gives (width, height) of nodes whose box is not 140×70; ``chips`` each
    wire's chips as (kind, width, height), as ``chiptext.estimated_chips`` gives
    them (the default); ``header`` the height of a node's title bar and
    ``text_scale`` the canvas's text size (nodes grow with it). The result
    starts at (0, 0) and is snapped to ``grid`` (None: not snapped). ``fit=False``
    skips the chips' room.
    """
    if len(model) == 0:
        return {}
    sizes = dict(sizes or {})
    lay = _Layered(model, layers(model))
    best = [list(c) for c in lay.columns]
    best_crossings = lay.crossings()
    for i in range(SWEEPS):
        if best_crossings == 0:
            break
        lay.sweep(downward=i % 2 == 0)
        count = lay.crossings()
        if count < best_crossings:
            best, best_crossings = [list(c) for c in lay.columns], count
    lay.columns = best
    if not fit or len(model.edges()) > FIT_WIRES or len(model) + len(lay.dummies) > FIT_ITEMS:
        return _placed(model, lay, sizes, row_dy, column_gap, WIRE_DY, grid)
    from gradstudio.core.chiptext import estimated_chips, estimated_nodes
    if chips is None:
        chips = estimated_chips(model)
    # As big as the boxes are now or will be once Backward has written in them.
    sizes = {n: (max(w, sizes.get(n, (0, 0))[0]), max(h, sizes.get(n, (0, 0))[1]))
             for n, (w, h) in estimated_nodes(model, scale=text_scale).items()}
    widest = max((w for cs in chips.values() for _k, w, _h in cs), default=0.0)
    stack = max((sum(h for _k, _w, h in cs) for cs in chips.values()), default=0.0)
    column_gap = max(column_gap, widest + 100.0)
    row_dy = max(row_dy, max((h for _w, h in sizes.values()), default=NODE_H) + stack + 30.0)
    wire_dy = max(WIRE_DY, stack + 20.0)
    tries = max(2, min(FIT_TRIES, FIT_BUDGET // max(1, len(model.edges()))))
    grow = GROW ** ((FIT_TRIES - 1) / (tries - 1))
    fewest, chosen = None, None
    for _try in range(tries):
        positions = _placed(model, lay, sizes, row_dy, column_gap, wire_dy, grid, header)
        homeless = chips_off_wire(model, positions, sizes, chips, header)
        # The tightest of the best; more room must house a tenth more chips to count.
        if fewest is None or homeless < fewest - max(1, fewest // 10) + 1:
            fewest, chosen = homeless, positions
        if homeless == 0:
            break
        column_gap *= grow  # longer wires: flatter, with longer free stretches
    return chosen


def _placed(model, lay, sizes, row_dy, column_gap, wire_dy, grid, header=None) -> dict:
    """Positions of the ordered layers at this spacing (``header``: the nodes' title
    bar, where long wires are to keep clear of the nodes they pass; None: they are not)."""
    tallest_node = max((sizes.get(n, (NODE_W, NODE_H))[1] for n in model.graph.nodes),
                       default=NODE_H)
    xs, middles, x = [], [], 0.0
    for col in lay.columns:
        xs.append(x)
        widest = max((sizes.get(n, (NODE_W, NODE_H))[0] for n in col if n not in lay.dummies),
                     default=0.0)
        middles.append(x + widest / 2)
        x += max(MIN_COLUMN_DX, widest + column_gap)
    along: dict = {}  # placeholder -> the curve's parameter at its column, and its ends

    def curve(dummy, y):
        known = along.get(dummy)
        if known is None:  # the columns do not move while the rows settle: once each
            _kind, u, v, port, col = dummy
            uw, uh = sizes.get(u, (NODE_W, NODE_H))
            _vw, vh = sizes.get(v, (NODE_W, NODE_H))
            ports = model.op_of(v).ports
            t = curve_t(xs[lay.layer[u]] + uw, xs[lay.layer[v]], middles[col])
            known = along[dummy] = (t, uh / 2, (vh - header) * (port + 1) / (ports + 1))
        t, u_port, v_port = known
        sy, ey = y[dummy[1]] + u_port, y[dummy[2]] + header + v_port
        return sy + (ey - sy) * t * t * (3 - 2 * t)

    y = _rows(lay, sizes, max(row_dy, tallest_node + 40.0), wire_dy,
              curve if header is not None else None)
    top = min(y[n] for n in model.graph.nodes)
    result = {}
    for n in model.graph.nodes:
        px, py = xs[lay.layer[n]], y[n] - top
        if grid:
            px, py = snap(px, grid), snap(py, grid)
        result[n] = (px, py)
    return result


def curve_y(start, end, x: float) -> float:
    """Height at ``x`` of the wire the canvas draws from ``start`` to ``end``: the cubic
    leaving and arriving level (``core.wirecurve``)."""
    (sx, sy), (ex, ey) = start, end
    t = curve_t(sx, ex, x)
    return sy + (ey - sy) * t * t * (3 - 2 * t)


def curve_t(sx: float, ex: float, x: float) -> float:
    """The parameter where the wire from x = ``sx`` to x = ``ex`` is at ``x``, found by
    halving (it depends on the ends' x only, not on their heights)."""
    dx = handle(sx, ex)
    lo, hi = 0.0, 1.0
    for _ in range(24):
        t = (lo + hi) / 2
        m = 1 - t
        at = m * m * m * sx + 3 * m * m * t * (sx + dx) + 3 * m * t * t * (ex - dx) + t * t * t * ex
        lo, hi = (t, hi) if at < x else (lo, t)
    return (lo + hi) / 2


def wire_ends(model, positions, sizes=None, header: float = HEADER_H) -> list[tuple]:
    """Each wire's output-port and input-port points, in ``model.edges()`` order, as
    the canvas puts its ports: the output halfway down the right side, the inputs
    spread evenly down the left side below the title bar."""
    sizes = sizes or {}
    ends = []
    for u, v, port in model.edges():
        (ux, uy), (vx, vy) = positions[u], positions[v]
        uw, uh = sizes.get(u, (NODE_W, NODE_H))
        _vw, vh = sizes.get(v, (NODE_W, NODE_H))
        n = model.op_of(v).ports
        ends.append((ux + uw, uy + uh / 2, vx, vy + header + (vh - header) * (port + 1) / (n + 1)))
    return ends


def chips_off_wire(model, positions, sizes, chips: dict, header: float = HEADER_H) -> int:
    """How many chips find no free spot on their own wire at these positions."""
    from gradstudio.core.chipplace import CLEAR, Chip, place

    sizes = sizes or {}
    nodes = []
    for n in model.graph.nodes:
        x, y = positions[n]
        w, h = sizes.get(n, (NODE_W, NODE_H))
        nodes.append((x, y, x + w, y + h))
    # Checked a little bigger than given: the canvas's own measures and greedy
    # choices differ slightly from these, and a little more room absorbs that.
    wanted = [Chip(k, kind, w * ROOMY + 6.0, h + 2.0) for k, edge in enumerate(model.edges())
              for kind, w, h in chips.get(edge, ())]
    placed = place(nodes, wire_ends(model, positions, sizes, header), wanted,
                   clear=CLEAR + 1.5)
    if placed is None:
        return 0  # too wide to check: left as laid out
    return sum(not p.on_wire for p in placed)


def apply_layout(model, positions: dict[str, tuple[float, float]]) -> None:
    for node_id, (x, y) in positions.items():
        model.move_node(node_id, x, y)


# ------------------------------------------------------------------ geometry
def snap(value: float, grid: float = GRID) -> float:
    """The nearest multiple of ``grid`` (as an int when it is a whole number)."""
    snapped = round(value / grid) * grid
    return int(snapped) if float(snapped).is_integer() else snapped


def snap_point(x: float, y: float, grid: float = GRID) -> tuple[float, float]:
    return snap(x, grid), snap(y, grid)


def aligned(positions: dict[str, tuple[float, float]], edge: str) -> dict[str, tuple]:
    """New positions lining up the nodes' left edges ("left") or top edges ("top")."""
    if not positions:
        return {}
    if edge == "left":
        left = min(x for x, _ in positions.values())
        return {n: (left, y) for n, (x, y) in positions.items()}
    if edge == "top":
        top = min(y for _, y in positions.values())
        return {n: (x, top) for n, (x, y) in positions.items()}
    raise ValueError(f"align: unknown edge {edge!r} (left or top)")


def _cross(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (value > 1e-9) - (value < -1e-9)
    return (orient(p1, p2, p3) * orient(p1, p2, p4) < 0
            and orient(p3, p4, p1) * orient(p3, p4, p2) < 0)


def count_crossings(model, positions: dict[str, tuple[float, float]],
                    sizes: dict[str, tuple[float, float]] | None = None) -> int:
    """Pairs of wires (drawn straight, output port to input port) that cross."""
    sizes = sizes or {}
    segs = [(e, ((sx, sy), (ex, ey)))
            for e, (sx, sy, ex, ey) in zip(model.edges(), wire_ends(model, positions, sizes))]
    total = 0
    for (e1, s1), (e2, s2) in combinations(segs, 2):
        if {e1[0], e1[1]} & {e2[0], e2[1]}:
            continue  # wires sharing a node meet there; that is not a crossing
        if _cross(*s1, *s2):
            total += 1
    return total


def overlapping(positions: dict[str, tuple[float, float]],
                sizes: dict[str, tuple[float, float]] | None = None) -> list[tuple[str, str]]:
    """Pairs of node boxes that overlap."""
    sizes = sizes or {}
    boxes = [(n, x, y, *sizes.get(n, (NODE_W, NODE_H))) for n, (x, y) in positions.items()]
    pairs = []
    for (a, ax, ay, aw, ah), (b, bx, by, bw, bh) in combinations(boxes, 2):
        if ax < bx + bw and bx < ax + aw and ay < by + bh and by < ay + ah:
            pairs.append((a, b))
    return pairs
