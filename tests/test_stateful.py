"""Random use: a hypothesis state machine drives the Document's edit methods.

Every step is one thing a user can do (add a node, connect, disconnect, re-plug or
delete wires, delete nodes, move, set a value or factor, rename, set the output,
paste/duplicate, undo, redo, Forward, Backward, Live). After each step the model
must be consistent: acyclic, every edge on a valid port and alone there, the
model's edge order and port index agreeing with the networkx graph, the scene
mirroring the model, annotations never shown as current after an edit, and every
pass's numbers those of the scalar reference evaluator (tests/oracle.py).
At the end, undoing everything gives back the opened file byte for byte and
redoing everything gives the final one.

Default run: 50 machines of up to 40 steps (a few seconds). Longer run:

    GRADSTUDIO_STATEFUL_EXAMPLES=2000 python -m pytest -q tests/test_stateful.py
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import networkx as nx
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, initialize, invariant, precondition,
                                 rule, run_state_machine_as_test)

from conftest import EXAMPLE_NAMES, example_path
from gradstudio.core import GraphModel, fileformat
from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS
from oracle import assert_matches_reference

OP_NAMES = sorted(OPS)
MAX_EXAMPLES = int(os.environ.get("GRADSTUDIO_STATEFUL_EXAMPLES", "50"))
STEPS = int(os.environ.get("GRADSTUDIO_STATEFUL_STEPS", "40"))

values = st.one_of(st.integers(-5, 5), st.floats(-1e6, 1e6, allow_nan=False,
                                                    allow_infinity=False))
coords = st.integers(-2000, 2000) | st.floats(-2000, 2000, allow_nan=False)
picks = st.integers(0, 10_000)  # an index into whatever list the rule picks from


class DocumentMachine(RuleBasedStateMachine):
    folder: Path  # set by the test

    def __init__(self) -> None:
        super().__init__()
        from gradstudio.ui.editor.document import Document
        from gradstudio.ui.canvas.scene import GraphScene
        self.doc = Document()
        self.scene = GraphScene(self.doc)
        self.initial = ""
        self.refused = 0

    # ----------------------------------------------------------------- helpers
    def _nodes(self) -> list[str]:
        return list(self.doc.model.graph.nodes)

    def _pick(self, items: list, index: int):
        return items[index % len(items)] if items else None

    def _refusal_changes_nothing(self, action) -> None:
        before = fileformat.dumps(self.doc.model)
        index = self.doc.undo_stack.index()
        try:
            action()
        except GraphError:
            self.refused += 1
            assert fileformat.dumps(self.doc.model) == before
            assert self.doc.undo_stack.index() == index

    # ------------------------------------------------------------------- rules
    @initialize(name=st.sampled_from(EXAMPLE_NAMES), live=st.booleans())
    def open_file(self, name: str, live: bool) -> None:
        path = self.folder / f"{name}.json"
        shutil.copyfile(example_path(name), path)
        self.doc.open(path)
        self.doc.set_live(live)
        self.initial = fileformat.dumps(self.doc.model)
        assert self.initial == fileformat.dumps(fileformat.load(path))

    @rule(op=st.sampled_from(OP_NAMES), x=coords, y=coords)
    def add_node(self, op, x, y) -> None:
        node_id = self.doc.add_node(op, x, y)
        assert self.doc.model.node_data(node_id)["op"] == op

    @rule(source=picks, dest=picks, port=st.integers(-1, 2))
    def connect(self, source, dest, port) -> None:
        nodes = self._nodes()
        if nodes:
            self._refusal_changes_nothing(lambda: self.doc.connect(
                self._pick(nodes, source), self._pick(nodes, dest), port))

    @rule(edge=picks)
    def disconnect(self, edge) -> None:
        edges = self.doc.model.edges()
        if edges:
            self.doc.move_wire(self._pick(edges, edge), None)

    @rule(edge=picks, dest=picks, port=st.integers(0, 1))
    def move_wire(self, edge, dest, port) -> None:
        edges = self.doc.model.edges()
        if edges:
            new = (self._pick(self._nodes(), dest), port)
            self._refusal_changes_nothing(
                lambda: self.doc.move_wire(self._pick(edges, edge), new))

    @rule(chosen=st.lists(picks, max_size=3), wires=st.lists(picks, max_size=3))
    def delete(self, chosen, wires) -> None:
        nodes, edges = self._nodes(), self.doc.model.edges()
        node_ids = list(dict.fromkeys(self._pick(nodes, i) for i in chosen if nodes))
        edge_list = list(dict.fromkeys(self._pick(edges, i) for i in wires if edges))
        self.doc.delete(node_ids, edge_list)
        for node_id in node_ids:
            assert node_id not in self.doc.model

    @rule(chosen=st.lists(picks, min_size=1, max_size=3), dx=coords, dy=coords)
    def move(self, chosen, dx, dy) -> None:
        nodes = self._nodes()
        if not nodes:
            return
        moves = {}
        for i in chosen:
            node_id = self._pick(nodes, i)
            old = self.doc.model.position(node_id)
            base = old or (0.0, 0.0)
            moves[node_id] = (old, (base[0] + dx, base[1] + dy))
        self.doc.move_nodes(moves)

    @rule(node=picks, value=values)
    def set_param(self, node, value) -> None:
        with_params = [n for n in self._nodes() if self.doc.model.op_of(n).param_names]
        if with_params:
            node_id = self._pick(with_params, node)
            name = self.doc.model.op_of(node_id).param_names[0]
            self._refusal_changes_nothing(lambda: self.doc.set_param(node_id, name, value))

    @rule(node=picks, label=st.text(min_size=0, max_size=8))
    def set_label(self, node, label) -> None:
        nodes = self._nodes()
        if nodes:
            self._refusal_changes_nothing(
                lambda: self.doc.set_label(self._pick(nodes, node), label))

    @rule(node=picks, none=st.booleans())
    def set_output(self, node, none) -> None:
        nodes = self._nodes()
        self.doc.set_output(None if none or not nodes else self._pick(nodes, node))

    @rule(chosen=st.lists(picks, min_size=1, max_size=4), offset=st.integers(0, 60),
          text=st.sampled_from(["Paste", "Duplicate"]))
    def paste(self, chosen, offset, text) -> None:
        from gradstudio.ui.editor import clipboard
        nodes = self._nodes()
        if not nodes:
            return
        ids = list(dict.fromkeys(self._pick(nodes, i) for i in chosen))
        positions = {n: self.doc.model.position(n) or (0.0, 0.0) for n in ids}
        frag = clipboard.fragment(self.doc, ids, positions)
        parsed, edges = clipboard.parse_fragment(json.dumps(frag))
        before = len(self.doc.model)
        new = self.doc.add_subgraph(clipboard.shifted(parsed, offset, offset), edges, text)
        assert len(new) == len(ids) and len(self.doc.model) == before + len(ids)

    @precondition(lambda self: self.doc.undo_stack.canUndo())
    @rule()
    def undo(self) -> None:
        self.doc.undo_stack.undo()

    @precondition(lambda self: self.doc.undo_stack.canRedo())
    @rule()
    def redo(self) -> None:
        self.doc.undo_stack.redo()

    @rule(what=st.sampled_from(["forward", "backward"]))
    def run_pass(self, what) -> None:
        if self.doc.run(what):
            assert self.doc.evaluation.is_current() and self.doc.shown == what
            # every number the canvas would show, against the scalar reference
            assert_matches_reference(self.doc.model, self.doc.evaluation)
        else:
            assert self.doc.evaluation is None and self.doc.shown == ""

    @rule(live=st.booleans())
    def set_live(self, live) -> None:
        self.doc.set_live(live)

    # -------------------------------------------------------------- invariants
    @invariant()
    def consistent(self) -> None:
        model, graph = self.doc.model, self.doc.model.graph
        assert nx.is_directed_acyclic_graph(graph)
        graph_edges = list(graph.edges(keys=True))
        edges = model.edges()  # the file's order
        assert len(edges) == len(set(edges)) == len(graph_edges)
        assert set(edges) == set(graph_edges)
        for u, v, port in edges:
            assert u != v
            assert 0 <= port < OPS[graph.nodes[v]["op"]].ports
            assert model.source(v, port) == u
        # Every node's ports, as the model answers for them: the graph's wires, no more.
        assert sorted(e for n in graph for e in model.in_edges(n)) == sorted(graph_edges)
        assert model.output is None or model.output in graph
        assert set(self.scene.nodes) == set(graph.nodes)
        assert set(self.scene.edges) == set(edges)

    @invariant()
    def annotations_never_stale_as_current(self) -> None:
        doc = self.doc
        assert doc.evaluation is None or doc.evaluation.is_current()
        assert (doc.evaluation is None) == (doc.shown == "")

    def teardown(self) -> None:
        if self.initial:
            stack = self.doc.undo_stack
            final = fileformat.dumps(self.doc.model)
            steps = stack.index()
            while stack.canUndo():
                stack.undo()
                self.consistent()
            assert fileformat.dumps(self.doc.model) == self.initial
            assert not self.doc.dirty
            for _ in range(steps):
                stack.redo()
            assert stack.index() == steps
            assert fileformat.dumps(self.doc.model) == final
            self.consistent()
        self.doc.set_model(GraphModel())  # lets go of the machine's model
        self.scene.deleteLater()
        self.doc.deleteLater()


def test_random_edits_keep_the_document_consistent_and_undo_exact(qapp, tmp_path):
    DocumentMachine.folder = tmp_path
    run_state_machine_as_test(DocumentMachine, settings=settings(
        max_examples=MAX_EXAMPLES, stateful_step_count=STEPS, deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]))


# Regressions the machine found, kept as plain tests.

def test_paste_while_backward_is_shown_redraws_without_the_stale_numbers(qapp):
    from gradstudio.ui.editor.document import Document
    from gradstudio.ui.canvas.scene import GraphScene
    doc = Document()
    scene = GraphScene(doc)
    doc.open(example_path("chain_rule"))
    assert doc.run("backward")
    seen = []  # what the scene could read while the new node was being added
    doc.nodeAdded.connect(lambda _n: seen.append(doc.evaluation))
    doc.add_subgraph([("b", dict(doc.model.node_data("b")))], [], "Paste")
    assert seen == [None] and doc.evaluation is None and doc.shown == ""
    assert scene.nodes["b_2"].value_text == "= 3"


def test_undoing_a_drag_puts_back_the_stored_numbers_exactly(qapp):
    from gradstudio.ui.editor.document import Document
    doc = Document()
    doc.open(example_path("chain_rule"))
    before = fileformat.dumps(doc.model)
    x, y = doc.model.node_data("a")["x"], doc.model.node_data("a")["y"]
    doc.move_nodes({"a": (doc.model.position("a"), (x + 10.5, y))})  # as the canvas reports
    doc.undo_stack.undo()
    assert fileformat.dumps(doc.model) == before
