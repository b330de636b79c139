"""Loading big graphs fast: a validation fast path and direct graph building.

A file of a hundred thousand nodes should open in well under a second. The
plain loader in fileformat checks node by node and edge by edge, and builds
the networkx graph one ``add_edge`` at a time; that is exact but slow. Here:

- ``quick_check`` accepts only documents that are clearly valid (no unknown
  keys, plain JSON types), checking whole columns at once. Whenever it is not
  sure it returns None and the plain loader runs, so every message about a bad
  file still comes from one place.
- ``topological_positions`` is the same Kahn's algorithm as
  ``plan.topological_order`` (the same tie-breaking, so the same order and
  the same numbers), on integer positions instead of node ids.
- ``build_multidigraph`` fills a ``networkx.MultiDiGraph`` with exactly the
  structure ``add_nodes_from`` / ``add_edges_from`` would give it.
"""

from __future__ import annotations

import gc
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterable

import networkx as nx
import numpy as np

from gradstudio.core.model import NODE_KEYS, is_number
from gradstudio.core.ops import OPS


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
class Checked:
    """A document that passed the quick check, as columns."""

    ids: list[str]  # node ids, file order
    position: dict[str, int]  # node id -> its place in the file
    ports: list[int]  # input ports of each node
    src: np.ndarray  # per edge: the source's node position
    tgt: np.ndarray  # per edge: the target's node position
    port: list[int]  # per edge: the target port


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
    ops = [raw.get("op") for raw in raw_nodes]
    try:  # the few distinct (op, key list) pairs say whether every node has its keys
        shapes = set(zip(ops, map(tuple, raw_nodes)))
    except TypeError:  # an op that is not even hashable
        return None
    numeric: set[str] = set()
    for op, keys in shapes:
        spec = specs.get(op) if type(op) is str else None
        if spec is None or not spec[0] <= frozenset(keys) <= spec[1]:
            return None
        numeric.update(spec[2])
    ids = [raw["id"] for raw in raw_nodes]
    if not set(map(type, ids)) <= {str}:
        return None
    for key in sorted(numeric):  # finite numbers, not booleans or strings
        column = [raw[key] for raw in raw_nodes if key in raw]
        if not set(map(type, column)) <= {float, int}:
            return None
        try:
            if not np.isfinite(np.array(column, dtype=float)).all():
                return None
        except OverflowError:  # an integer too large for a float
            return None
    if not set(type(raw["label"]) for raw in raw_nodes if "label" in raw) <= {str}:
        return None
    position = dict(zip(ids, range(len(ids))))
    if len(position) != len(ids) or "" in position:  # a duplicate or empty id
        return None
    ports_of = {name: spec[3] for name, spec in specs.items()}
    ports = list(map(ports_of.__getitem__, ops))

    if not set(map(type, raw_edges)) <= {dict} or not set(map(len, raw_edges)) <= {3}:
        return None  # not objects, or keys besides from/to/port
    try:
        sources = [e["from"] for e in raw_edges]
        targets = [e["to"] for e in raw_edges]
        port = [e["port"] for e in raw_edges]
    except KeyError:
        return None
    if not (set(map(type, sources)) <= {str} and set(map(type, targets)) <= {str}
            and set(map(type, port)) <= {int}):
        return None
    src_list = list(map(position.get, sources))
    tgt_list = list(map(position.get, targets))
    if None in src_list or None in tgt_list:
        return None
    n_edges = len(raw_edges)
    src = np.array(src_list, dtype=np.intp)
    tgt = np.array(tgt_list, dtype=np.intp)
    try:
        port_arr = np.array(port, dtype=np.int64)
    except OverflowError:
        return None
    if n_edges:
        target_ports = np.asarray(ports, dtype=np.int64)[tgt]
        if not ((port_arr >= 0) & (port_arr < target_ports) & (src != tgt)).all():
            return None
        taken = tgt.astype(np.int64) * (int(target_ports.max()) + 1) + port_arr
        if np.unique(taken).size != n_edges:  # a port used twice
            return None
    return Checked(ids, position, ports, src, tgt, port)


def topological_positions(n_nodes: int, src: np.ndarray, tgt: np.ndarray) -> list[int] | None:
    """Kahn's algorithm as ``plan.topological_order`` runs it, or None on a cycle.

    That one walks networkx successor dicts: the targets of a node in the order
    of their first edge, each taking all its parallel edges at once. Here the
    same walk runs on (source, target) pairs ordered the same way.
    """
    if len(src) == 0:
        return list(range(n_nodes))
    pair = src.astype(np.int64) * n_nodes + tgt
    pairs, first, count = np.unique(pair, return_index=True, return_counts=True)
    pair_src = pairs // n_nodes
    order = np.lexsort((first, pair_src))  # by source, then by first edge
    pair_tgt = (pairs % n_nodes)[order].tolist()
    pair_count = count[order].tolist()
    start = np.searchsorted(pair_src[order], np.arange(n_nodes + 1)).tolist()
    indegree = np.bincount(tgt, minlength=n_nodes).tolist()
    ready = deque(i for i, d in enumerate(indegree) if d == 0)
    result = []
    append, popleft = result.append, ready.popleft
    while ready:
        u = popleft()
        append(u)
        for j in range(start[u], start[u + 1]):
            v = pair_tgt[j]
            d = indegree[v] - pair_count[j]
            indegree[v] = d
            if d == 0:
                ready.append(v)
    return result if len(result) == n_nodes else None


def build_multidigraph(nodes: Iterable[tuple[str, dict]],
                       edges: Iterable[tuple[str, str, int, dict]]) -> nx.MultiDiGraph:
    """The graph ``add_nodes_from(nodes)`` then ``add_edges_from(edges)`` gives.

    Same node order, same adjacency order, one attribute dict per node and per
    edge, and the key dict of (u, v) shared by ``_succ[u][v]`` and
    ``_pred[v][u]`` as networkx keeps it. Nodes and edges are already checked,
    and the node dicts are used as they are (the caller hands them over).
    """
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
