"""Loading big graphs fast: a validation fast path and direct graph building.

A file of a hundred thousand nodes should open in well under a second. The
plain loader in fileformat checks node by node and edge by edge, and builds
the networkx graph one ``add_edge`` at a time; that is exact but slow. Here:

- ``quick_check`` accepts only documents that are clearly valid (no unknown
  keys, plain JSON types), checking whole columns at once. Whenever it is not
  sure it returns None and the plain loader runs, so every message about a bad
  file still comes from one place.
- ``topological_positions`` (columns.py) is the Kahn's algorithm every plan
  runs, on integer positions.
- ``build_multidigraph`` fills a ``networkx.MultiDiGraph`` with exactly the
  structure ``add_nodes_from`` / ``add_edges_from`` would give it.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Iterable

import numpy as np

from gradstudio.core.columns import (  # noqa: F401 - paused_gc, topological_positions re-exported
    NODE_KEYS, OP_CODE, OP_NAMES, OP_PORTS, paused_gc, topological_positions)
from gradstudio.core.ops import OPS

if TYPE_CHECKING:  # networkx is imported only where a graph is built
    import networkx as nx


@dataclass
class Checked:
    """A document that passed the quick check, as columns."""

    ids: list[str]  # node ids, file order
    position: dict[str, int]  # node id -> its place in the file
    ports: np.ndarray  # input ports of each node
    src: np.ndarray  # per edge: the source's node position
    tgt: np.ndarray  # per edge: the target's node position
    port: list[int]  # per edge: the target port
    op_codes: np.ndarray  # per node: its op as an index into columns.OP_NAMES
    numbers: dict[str, np.ndarray]  # x, y (if any node has them) and params: one float
    # per node (0 where absent)
    has_labels: bool = True  # whether any node has a label


def _node_specs() -> dict[str, tuple[frozenset, frozenset, tuple[str, ...], int]]:
    specs = {}
    for name, op in OPS.items():
        params = op.param_names
        specs[name] = (frozenset(("id", "op", *params)),  # required keys
                       frozenset((*NODE_KEYS, *params)),  # allowed keys
                       ("x", "y", *params),  # keys holding numbers
                       op.ports)
    return specs


def quick_check(raw_nodes, raw_edges) -> Checked | None:
    """The columns of a clearly valid document, or None (the plain loader decides)."""
    if type(raw_nodes) is not list or type(raw_edges) is not list:
        return None
    if not set(map(type, raw_nodes)) <= {dict}:
        return None
    specs = _node_specs()
    try:  # the few distinct (op, key list) pairs say whether every node has its keys
        ops = list(map(itemgetter("op"), raw_nodes))
        shapes = set(zip(ops, map(tuple, raw_nodes)))
    except (KeyError, TypeError):  # no op, or an op that is not even hashable
        return None
    numeric: set[str] = set()  # the number keys some node has
    for op, keys in shapes:
        spec = specs.get(op) if type(op) is str else None
        if spec is None or not spec[0] <= frozenset(keys) <= spec[1]:
            return None
        numeric.update(key for key in spec[2] if key in keys)
    has_labels = any("label" in keys for _op, keys in shapes)
    ids = list(map(itemgetter("id"), raw_nodes))
    if not set(map(type, ids)) <= {str}:
        return None
    op_codes = np.fromiter(map(OP_CODE.__getitem__, ops), dtype=np.intp, count=len(ops))
    del ops
    numbers: dict[str, np.ndarray] = {}
    for key in sorted(numeric):  # finite numbers, not booleans or strings
        # Only the nodes whose op has the key can hold it (the key lists say so):
        # x and y, any node; a param, the nodes of its ops. 0 stands in elsewhere.
        holders = [code for code, name in enumerate(OP_NAMES)
                   if key in ("x", "y") or key in OPS[name].param_names]
        if len(holders) == len(OP_NAMES):
            rows, nodes = None, raw_nodes
        else:
            rows = np.flatnonzero(np.isin(op_codes, holders))
            nodes = list(map(raw_nodes.__getitem__, rows.tolist()))
        column = [raw.get(key, 0) for raw in nodes]
        del nodes
        if not set(map(type, column)) <= {float, int}:
            return None
        try:
            array = np.array(column, dtype=float)
        except OverflowError:  # an integer too large for a float
            return None
        del column
        if not np.isfinite(array).all():
            return None
        if rows is not None:
            full = np.zeros(len(raw_nodes), dtype=float)
            full[rows] = array
            array = full
        numbers[key] = array
    if has_labels and not set(type(raw["label"]) for raw in raw_nodes if "label" in raw) <= {str}:
        return None
    position = dict(zip(ids, range(len(ids))))
    if len(position) != len(ids) or "" in position:  # a duplicate or empty id
        return None
    ports = OP_PORTS[op_codes]

    try:  # an edge that is not an object fails here too (TypeError)
        sources = list(map(itemgetter("from"), raw_edges))
        targets = list(map(itemgetter("to"), raw_edges))
        port = list(map(itemgetter("port"), raw_edges))
    except (KeyError, TypeError):
        return None
    if not set(map(len, raw_edges)) <= {3}:  # keys besides from/to/port
        return None
    if not set(map(type, port)) <= {int}:
        return None
    n_edges = len(raw_edges)
    try:  # ids are strings: an edge end of any other type names no node either
        src = np.fromiter(map(position.__getitem__, sources), dtype=np.intp, count=n_edges)
        del sources
        tgt = np.fromiter(map(position.__getitem__, targets), dtype=np.intp, count=n_edges)
        del targets
    except (KeyError, TypeError):  # an edge end that names no node, or is unhashable
        return None
    try:
        port_arr = np.array(port, dtype=np.int64)
    except OverflowError:
        return None
    if n_edges:
        target_ports = ports[tgt].astype(np.int64)
        if not ((port_arr >= 0) & (port_arr < target_ports) & (src != tgt)).all():
            return None
        taken = np.sort(tgt.astype(np.int64) * (int(target_ports.max()) + 1) + port_arr)
        if (taken[1:] == taken[:-1]).any():  # a port used twice (np.unique is slower)
            return None
    return Checked(ids, position, ports, src, tgt, port, op_codes, numbers, has_labels)


def build_multidigraph(nodes: Iterable[tuple[str, dict]],
                       edges: Iterable[tuple[str, str, int, dict]]) -> nx.MultiDiGraph:
    """The graph ``add_nodes_from(nodes)`` then ``add_edges_from(edges)`` gives.

    Same node order, same adjacency order, one attribute dict per node and per
    edge, and the key dict of (u, v) shared by ``_succ[u][v]`` and
    ``_pred[v][u]`` as networkx keeps it. Nodes and edges are already checked,
    and the node dicts are used as they are (the caller hands them over).
    """
    import networkx as nx
    graph = nx.MultiDiGraph()
    node_attr, succ, pred = graph._node, graph._succ, graph._pred
    inner = graph.adjlist_inner_dict_factory
    key_dict, attr_dict = graph.edge_key_dict_factory, graph.edge_attr_dict_factory
    for node_id, data in nodes:
        node_attr[node_id] = data
        succ[node_id] = inner()
        pred[node_id] = inner()
    for u, v, key, data in edges:
        out = succ[u]
        keys = out.get(v)
        if keys is None:
            keys = out[v] = key_dict()
            pred[v][u] = keys
        attr = attr_dict()
        if data:
            attr.update(data)
        keys[key] = attr
    nx._clear_cache(graph)
    return graph


def build_from_columns(nodes: Iterable[tuple[str, dict]], sources: list[str],
                       targets: list[str], ports: list[int]) -> nx.MultiDiGraph:
    """``build_multidigraph`` for edges without data, given as three columns."""
    import networkx as nx
    graph = nx.MultiDiGraph()
    node_attr, succ, pred = graph._node, graph._succ, graph._pred
    node_attr.update(nodes)
    succ.update({node_id: {} for node_id in node_attr})
    pred.update({node_id: {} for node_id in node_attr})
    for u, v, keys in zip(sources, targets, [{p: {}} for p in ports]):
        out = succ[u]
        if v in out:  # a parallel edge (a·a): one key dict holds both ports
            out[v].update(keys)
        else:
            out[v] = keys
            pred[v][u] = keys
    nx._clear_cache(graph)
    return graph
