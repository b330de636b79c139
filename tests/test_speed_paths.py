"""The fast paths for big graphs give exactly what the plain paths give."""

from __future__ import annotations

import json
import math
import random

import networkx as nx
import numpy as np
import pytest

from gradstudio.core import evaluate, fileformat
from gradstudio.core.bulk import build_multidigraph, quick_check, topological_positions
from gradstudio.core.evalreport import eval_json, write_eval_json
from gradstudio.core.model import GraphModel
from gradstudio.core.numbers import json_number
from gradstudio.core.plan import topological_order


def random_doc(n_inputs: int, n_ops: int, seed: int, parallel: bool = True) -> dict:
    """Random DAG with fan-out, parallel edges (a·a) and edges listed out of order."""
    rng = random.Random(seed)
    nodes = [{"id": f"i{k}", "op": "input", "value": rng.uniform(-2, 2), "x": k, "y": 0.5}
             for k in range(n_inputs)]
    edges = []
    ids = [n["id"] for n in nodes]
    for k in range(n_ops):
        node_id = f"é{k}" if k % 7 == 0 else f"n{k}"
        op = rng.choice(["add", "multiply", "scale", "subtract", "tanh"])
        node = {"id": node_id, "op": op}
        if op == "scale":
            node["factor"] = rng.choice([3, -0.5, 2.25])
        if k % 5 == 0:
            node["label"] = f"label {k}"
        ports = 1 if op in ("scale", "tanh") else 2
        a = rng.choice(ids[-12:])
        sources = [a, a] if parallel and ports == 2 and rng.random() < 0.2 else \
            [a, rng.choice(ids)][:ports]
        for port, source in enumerate(sources):
            edges.append({"from": source, "to": node_id, "port": port})
        nodes.append(node)
        ids.append(node_id)
    rng.shuffle(nodes)  # file order is not topological order
    rng.shuffle(edges)
    sinks = set(ids) - {e["from"] for e in edges}
    return {"format": "gradstudio", "version": 1, "output": sorted(sinks)[0],
            "nodes": nodes, "edges": edges, "made_by": "test"}


def plain_model(doc: dict) -> GraphModel:
    """The model built the plain way: node by node into its graph, then wire by wire
    with ``connect`` (each one checked)."""
    model = GraphModel()
    for node in doc["nodes"]:
        data = {k: v for k, v in node.items() if k != "id"}
        model.graph.add_node(node["id"], **data)
    for e in doc["edges"]:
        model.connect(e["from"], e["to"], e["port"])
    return model


def wires_in(model: GraphModel) -> dict:
    """Each node's incoming wires, port by port, as the model answers for them."""
    return {node_id: model.in_edges(node_id) for node_id in model.nodes()}


def same_graph(a: nx.MultiDiGraph, b: nx.MultiDiGraph) -> None:
    """The same nodes, wires and order, down to networkx's own adjacency dicts (which
    bulk.build_multidigraph fills directly: networkx keeps no public view of them)."""
    assert list(a.nodes(data=True)) == list(b.nodes(data=True))
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    for n in a:
        assert list(a._succ[n].items()) == list(b._succ[n].items())
        assert list(a._pred[n].items()) == list(b._pred[n].items())
        for v, keys in a._succ[n].items():
            assert a._pred[v][n] is keys  # one key dict, seen from both ends
            assert list(keys) == list(b._succ[n][v])


@pytest.mark.parametrize("seed", range(6))
def test_quick_load_equals_plain_build(seed):
    doc = random_doc(8, 60, seed)
    nodes = [n for n in doc["nodes"]]
    assert quick_check(doc["nodes"], doc["edges"]) is not None
    model = fileformat.loads(json.dumps(doc))
    plain = plain_model(doc)
    same_graph(model.graph, plain.graph)
    assert model.edges() == plain.edges()
    assert wires_in(model) == wires_in(plain)
    # the remembered order is the one topological_order works out from scratch
    assert model.plan().ids == topological_order(plain)
    # from_dict leaves the caller's document as it was
    before = json.dumps(doc)
    fileformat.from_dict(doc)
    assert json.dumps(doc) == before and doc["nodes"] == nodes


@pytest.mark.parametrize("seed", range(6))
def test_topological_positions_match_the_model_order(seed):
    doc = random_doc(5, 40, seed)
    plain = plain_model(doc)
    ids = [n["id"] for n in doc["nodes"]]
    pos = {node_id: i for i, node_id in enumerate(ids)}
    src = np.array([pos[e["from"]] for e in doc["edges"]], dtype=np.intp)
    tgt = np.array([pos[e["to"]] for e in doc["edges"]], dtype=np.intp)
    order = topological_positions(len(ids), src, tgt)
    assert [ids[i] for i in order] == topological_order(plain)


def test_topological_positions_see_a_cycle():
    assert topological_positions(3, np.array([0, 1, 2]), np.array([1, 2, 1])) is None
    assert topological_positions(2, np.array([], dtype=np.intp), np.array([], dtype=np.intp)) == [0, 1]


def test_build_multidigraph_equals_add_edges_from():
    nodes = [("a", {"op": "input"}), ("b", {"op": "input"}), ("m", {"op": "multiply"})]
    edges = [("a", "m", 1, {"style": "dashed"}), ("b", "m", 0, {}), ("a", "b", 0, {})]
    reference = nx.MultiDiGraph()
    reference.add_nodes_from(nodes)
    reference.add_edges_from(edges)
    built = build_multidigraph(nodes, edges)
    same_graph(built, reference)
    built.add_edge("m", "a", key=0)  # still an ordinary graph afterwards
    built.remove_edge("a", "m", key=1)
    assert list(built.edges(keys=True)) == [("a", "b", 0), ("b", "m", 0), ("m", "a", 0)]


@pytest.mark.parametrize("change", [
    lambda d: d["nodes"][0].update(color="red"),  # unknown key: plain loader keeps it
    lambda d: d["edges"][0].update(bend=2),
    lambda d: d["nodes"][0].update(x=True),
    lambda d: d["nodes"][0].update(value=10 ** 400),
    lambda d: d["nodes"][0].update(label=3),
    lambda d: d["nodes"].append(dict(d["nodes"][0])),  # duplicate id
    lambda d: d["edges"].append(dict(d["edges"][0])),  # port taken twice
    lambda d: d["edges"][0].update(port=7),
    lambda d: d["edges"][0].update(port=2 ** 70),
    lambda d: d["edges"][0].update(to=d["edges"][0]["from"]),
    lambda d: d["edges"][0].update(to="nowhere"),
    lambda d: d["edges"].append({"from": "i0", "to": "i1", "port": 0}),
    lambda d: d["nodes"][0].update(op="mul"),
])
def test_anything_unusual_goes_the_plain_way(change):
    doc = random_doc(4, 12, 3, parallel=False)
    change(doc)
    assert quick_check(doc["nodes"], doc["edges"]) is None


def test_a_cycle_is_refused_with_the_plain_message():
    doc = {"format": "gradstudio", "version": 1, "nodes": [
        {"id": "a", "op": "add"}, {"id": "b", "op": "scale", "factor": 2}],
        "edges": [{"from": "a", "to": "b", "port": 0}, {"from": "b", "to": "a", "port": 0},
                  {"from": "b", "to": "a", "port": 1}]}
    with pytest.raises(fileformat.FileFormatError, match="g.json: edges: the graph has a cycle"):
        fileformat.loads(json.dumps(doc), "g.json")


def reference_json(model, result) -> str:
    """The --json document written the obvious way, with json.dumps."""
    nodes = {}
    for node_id in model.graph.nodes:
        entry = {"value": json_number(result.value(node_id)),
                 "grad": json_number(result.grad(node_id))}
        if result.node_tangents is not None:
            entry["tangent"] = json_number(result.node_tangent(node_id))
        nodes[node_id] = entry
    edges = []
    for u, v, p in model.edges():
        numbers = result.edge(u, v, p)
        edges.append({"from": u, "to": v, "port": p, "value": json_number(numbers.value),
                      "local": json_number(numbers.local), "grad": json_number(numbers.grad)})
    return json.dumps({"output": result.output, "nodes": nodes, "edges": edges},
                      ensure_ascii=False)


@pytest.mark.parametrize("tangent", [False, True])
def test_json_writer_matches_json_dumps(tangent, monkeypatch):
    from gradstudio.core import evalreport
    monkeypatch.setattr(evalreport, "CHUNK", 7)  # many chunks
    doc = random_doc(6, 50, 11)
    doc["nodes"].append({"id": "zero", "op": "input", "value": 0})
    doc["nodes"].append({"id": "neg", "op": "input", "value": -0.0})
    doc["nodes"].append({"id": "d\"q\\", "op": "divide"})  # 1/0 and 0/0: inf, nan
    doc["nodes"].append({"id": "nan", "op": "divide"})
    doc["nodes"].append({"id": "out", "op": "add"})
    doc["nodes"].append({"id": "end", "op": "add"})
    doc["edges"] += [{"from": "neg", "to": "d\"q\\", "port": 1},
                     {"from": "i0", "to": "d\"q\\", "port": 0},
                     {"from": "zero", "to": "nan", "port": 0},
                     {"from": "zero", "to": "nan", "port": 1},
                     {"from": "d\"q\\", "to": "out", "port": 0},
                     {"from": "nan", "to": "out", "port": 1},
                     {"from": "out", "to": "end", "port": 0},
                     {"from": doc["output"], "to": "end", "port": 1}]
    doc["output"] = "end"
    model = fileformat.loads(json.dumps(doc))
    result = evaluate(model, tangent="i0" if tangent else None)
    text = eval_json(model, result)
    assert text == reference_json(model, result)
    assert '"inf"' in text or '"-inf"' in text
    assert '"nan"' in text and "-0.0" in text
    pieces = []
    write_eval_json(model, result, pieces.append)
    assert "".join(pieces) == text and len(pieces) > 3
    assert not any(isinstance(x, float) and not math.isfinite(x)
                   for x in json.loads(text)["nodes"]["end"].values())


@pytest.mark.parametrize("seed", range(4))
def test_one_sink_keeps_every_edge_as_the_reach_walk_does(seed):
    doc = random_doc(5, 40, seed)
    sinks = sorted({n["id"] for n in doc["nodes"]} - {e["from"] for e in doc["edges"]})
    total = sinks[0]
    for k, sink in enumerate(sinks[1:]):  # sum every sink into one output
        node_id = f"sum{k}"
        doc["nodes"].append({"id": node_id, "op": "add"})
        doc["edges"] += [{"from": total, "to": node_id, "port": 0},
                         {"from": sink, "to": node_id, "port": 1}]
        total = node_id
    doc["output"] = total
    model = fileformat.loads(json.dumps(doc))
    assert model.sinks() == [total]  # one sink: the plan keeps every edge without a walk
    plan = model.plan()
    out = plan.slot_of(total)
    src, tgt, kept, reach = plan.edges_reaching(out)
    # The walk, edge by edge in the backward order, done here.
    walked, reached = [], np.zeros(plan.n_slots, dtype=bool)
    reached[out] = True
    for k in plan.bwd_order.tolist():
        if reached[plan.e_tgt[k]]:
            reached[plan.e_src[k]] = True
            walked.append(k)
    assert kept.dtype == np.intp and kept.tolist() == walked
    assert src == plan.e_src[walked].tolist() and tgt == plan.e_tgt[walked].tolist()
    assert reach.dtype == bool and np.array_equal(reach, reached)
