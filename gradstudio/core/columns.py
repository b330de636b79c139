"""A graph as plain columns: what a Plan compiles from, without networkx.

The editor's model is a ``networkx.MultiDiGraph`` (see model.py), but the passes
only need the structure as columns: node ids in node order, an op per node, and
the edges as three integer columns (source position, target position, target
port) in edge order. ``GraphModel.columns()`` gives that for the window, and
the file loader gives it directly for ``gradstudio eval`` (``loaded.LoadedGraph``),
so one Plan and one Evaluation serve both and the numbers come from the same
code.

What a Plan and an Evaluation ask of the graph they run on (both GraphModel
and LoadedGraph provide it): ``revision`` and ``structure_revision``,
``columns()``, ``param_values(name, ids, positions)``, ``check_complete()``,
``resolve_output(explicit)``, ``node_data(id)``, ``in`` and ``plan()``.

This module imports numpy only (no networkx, no Qt), so the headless eval path
starts fast.
"""

from __future__ import annotations

import gc
import math
from contextlib import contextmanager
from dataclasses import dataclass
from numbers import Real

import numpy as np

from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS

#: Node keys with a meaning of their own; params depend on the op.
NODE_KEYS = ("id", "op", "label", "x", "y")
EDGE_KEYS = ("from", "to", "port")

#: Op codes: a node's op as an index into OP_NAMES.
OP_NAMES: tuple[str, ...] = tuple(OPS)
OP_CODE: dict[str, int] = {name: code for code, name in enumerate(OP_NAMES)}
OP_PORTS = np.array([OPS[name].ports for name in OP_NAMES], dtype=np.intp)
INPUT_CODE = OP_CODE["input"]


def is_number(value) -> bool:
    """Finite real numbers only: booleans and strings are not numbers here."""
    if isinstance(value, bool) or not isinstance(value, Real):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an int too large for a float
        return False


@contextmanager
def paused_gc():
    """No cyclic garbage collection while building many small containers at once.

    Building a big graph allocates hundreds of thousands of dicts and tuples, and
    the collector would walk the whole growing heap again and again (a large part
    of load time) to find no cycles at all. Nested uses are fine.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@dataclass
class Columns:
    """The structure of a graph (nodes, ops, wiring) as columns."""

    ids: list[str]  # node ids, node order (file order after a load)
    op_codes: np.ndarray  # per node: its op, as an index into OP_NAMES
    src: np.ndarray  # per edge, edge order: the source's node position
    tgt: np.ndarray  # per edge: the target's node position
    port: np.ndarray  # per edge: the target port
    position: dict[str, int] | None = None  # node id -> node position, when at hand
    # Topological positions, when the provider already worked them out: exactly
    # what topological_positions(len(ids), src, tgt) gives.
    order: np.ndarray | None = None


# ------------------------------------------------------------ shared messages
def choose_output(explicit: str | None, chosen: str | None, has_node, sinks) -> str:
    """The node whose gradient is 1: asked for, chosen in the file, or the only sink.

    ``has_node(id)`` says whether a node exists; ``sinks()`` lists the sinks in node order.
    """
    if explicit is not None:
        if not has_node(explicit):
            raise GraphError(f"output {explicit!r} is not a node of this graph")
        return explicit
    if chosen is not None:
        return chosen
    found = sinks()
    if len(found) == 1:
        return found[0]
    if not found:
        raise GraphError("the graph is empty: there is no output to differentiate")
    shown = ", ".join(repr(s) for s in found[:8]) + (" …" if len(found) > 8 else "")
    raise GraphError(f"{len(found)} sinks ({shown}) and no output chosen: "
                     "choose one as the output")


def incomplete_message(op_name: str, label: str, port: int) -> str:
    return f"{op_name} node {label!r} has nothing connected to input port {port}"


def refuse_incomplete(graph) -> None:
    """GraphError naming the first unconnected port of a model or a loaded file."""
    missing = graph.missing_port()
    if missing is not None:
        node_id, port = missing
        raise GraphError(incomplete_message(graph.op_of(node_id).name, graph.label(node_id),
                                            port))


# ---------------------------------------------------------- topological order
def topological_positions(n_nodes: int, src: np.ndarray, tgt: np.ndarray) -> list[int] | None:
    """Kahn's algorithm on node positions (see ``kahn``), or None on a cycle."""
    order = kahn(n_nodes, src, tgt)
    return order if len(order) == n_nodes else None


def cycle_error(ids: list[str], order: list[int]) -> GraphError:
    """The message for a graph whose Kahn walk (``order``) stopped short on a cycle."""
    placed = np.zeros(len(ids), dtype=bool)
    placed[np.asarray(order, dtype=np.intp)] = True
    left = [ids[i] for i in np.flatnonzero(~placed)[:8].tolist()]
    return GraphError("the graph has a cycle through " + ", ".join(repr(n) for n in left))


def kahn(n_nodes: int, src: np.ndarray, tgt: np.ndarray) -> list[int]:
    """Kahn's algorithm on node positions; short of ``n_nodes`` on a cycle.

    Ties are broken as the networkx walk of earlier versions broke them (so the
    order, and every rounding in the passes, stay the same): the nodes ready at
    the start in node order; then, first in first out, each node's successors
    in the order of their first edge from it, a target of parallel edges (a·a)
    taking them all at once.
    """
    if len(src) == 0:
        return list(range(n_nodes))
    src = np.asarray(src, dtype=np.int64)
    tgt = np.asarray(tgt, dtype=np.int64)
    pair = src * n_nodes + tgt
    by_pair = np.argsort(pair, kind="stable")  # each pair's edges together, in edge order
    sorted_pair = pair[by_pair]
    starts = np.flatnonzero(np.r_[True, sorted_pair[1:] != sorted_pair[:-1]])
    first = by_pair[starts]  # each distinct pair's first edge
    count = np.diff(np.r_[starts, len(pair)])
    pair_src = sorted_pair[starts] // n_nodes
    # by source, then by first edge (one key: pair_src is < n_nodes, first < len(pair))
    order = np.argsort(pair_src * len(pair) + first)
    pair_tgt = (sorted_pair[starts] % n_nodes)[order].tolist()
    pair_count = count[order].tolist()
    start = np.searchsorted(pair_src[order], np.arange(n_nodes + 1)).tolist()
    indegree = np.bincount(tgt, minlength=n_nodes).tolist()
    # The result is the FIFO queue itself: the loop reads it while it grows.
    result = [i for i, d in enumerate(indegree) if d == 0]
    push = result.append
    for u in result:
        for j in range(start[u], start[u + 1]):
            v = pair_tgt[j]
            d = indegree[v] - pair_count[j]
            indegree[v] = d
            if not d:
                push(v)
    return result
