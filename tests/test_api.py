"""The Python API (gradstudio.Graph, gradstudio.load): each call, its numbers and its errors.

Numbers are checked against hand-worked ones (the course notes' J = 3(a + b·c) and
colah's e = (a+b)(b+1)) and against the independent reference (tests/oracle.py);
errors against what the loader and the passes themselves say.
"""

import json
import math
import subprocess
import sys

import networkx as nx
import pytest

import gradstudio as gs
from conftest import example_path, load_example
from gradstudio.core import evaluate, fileformat
from gradstudio.core.errors import FileFormatError, GraphError
from gradstudio.core.formula import build
from gradstudio.core.formulaparse import FormulaError
from gradstudio.core.reference import evaluate_reference
from oracle import assert_numbers_match

SEED = "J = 3*(a + b*c)"


@pytest.fixture
def g():
    return gs.Graph.from_formula(SEED, a=5, b=3, c=2)


def test_the_course_notes_example_by_hand(g):
    assert g.backward() is g
    assert (g.value("J"), g.value("u"), g.value("v")) == (33.0, 6.0, 11.0)
    assert [g.grad(n) for n in ("a", "b", "c", "u", "v", "J")] == [3.0, 6.0, 9.0, 3.0, 3.0, 1.0]
    assert g.local("b", "u") == 2.0 and g.local("c", "u") == 3.0  # du/db = c, du/dc = b
    assert g.local("v", "J") == 3.0
    wire = g.wire("b", "u")
    assert (wire.value, wire.local, wire.grad) == (3.0, 2.0, 6.0)  # dJ/du · du/db
    assert g.output == "J" and sorted(g.inputs) == ["a", "b", "c"]


def test_nudging_an_input_makes_the_numbers_stale_until_the_next_pass(g):
    g.backward()
    assert g.set("a", 5.001) is g
    for read in (lambda: g.value("J"), lambda: g.grad("a"), lambda: g.local("b", "u")):
        with pytest.raises(gs.NotComputed, match="changed since the last pass"):
            read()
    g.forward()
    assert g.value("J") == pytest.approx(33.003, abs=1e-12)
    assert (g.value("J") - 33) / 0.001 == pytest.approx(3, rel=1e-6)  # ≈ dJ/da
    with pytest.raises(gs.NotComputed, match=r"run g\.backward\(\)"):
        g.grad("a")  # forward only: no gradients yet


def test_nothing_is_computed_before_a_pass(g):
    with pytest.raises(gs.NotComputed, match="nothing computed yet"):
        g.value("J")
    with pytest.raises(gs.NotComputed):
        g.grad("a")
    assert issubclass(gs.NotComputed, GraphError)


def test_backward_runs_forward_first_and_never_accumulates(g):
    g.backward()
    g.backward()
    g.backward()
    assert g.grad("b") == 6.0
    g.set("c", 4)
    g.backward()  # after an edit: a fresh forward, then the gradients at c = 4
    assert (g.value("J"), g.grad("b")) == (3 * (5 + 12), 12.0)


def test_setting_params_and_what_cannot_be_set(g):
    g.set("J", 4)  # a scale's factor
    g.backward()
    assert (g.value("J"), g.grad("a")) == (44.0, 4.0)
    with pytest.raises(GraphError, match="'u' is a multiply node: it has no number to set"):
        g.set("u", 1)
    for bad in (math.nan, math.inf, "5", True):
        with pytest.raises(GraphError) as caught:
            g.set("a", bad)
        with pytest.raises(GraphError) as model_says:  # the model's own message
            g.model.set_param("a", "value", bad)
        assert str(caught.value) == str(model_says.value)


def test_a_bad_name_is_a_key_error_naming_it_and_the_known_names(g):
    g.backward()
    for call in (g.value, g.grad, lambda n: g.set(n, 1),
                 lambda n: g.local(n, "u"), lambda n: g.local("b", n)):
        with pytest.raises(KeyError) as caught:
            call("x")
        assert str(caught.value) == "no node 'x' (known: a, b, c, u, v, J)"
        assert isinstance(caught.value, GraphError)


def test_a_label_that_is_not_an_id_is_pointed_at():
    g = gs.load(example_path("chain_rule"))
    model = g.model
    node = next(n for n in g.nodes if model.op_of(n).name == "multiply")
    model.set_label(node, "product")
    with pytest.raises(KeyError, match=f"'product' is the label of '{node}'"):
        g.value("product")


def test_a_times_a_needs_the_port_and_says_so():
    g = gs.Graph.from_formula("y = a*a", a=3).backward()
    with pytest.raises(GraphError, match=r"a feeds y on ports 0 and 1: say which, e\.g\. port=0"):
        g.local("a", "y")
    assert g.local("a", "y", port=0) == 3.0 and g.local("a", "y", port=1) == 3.0
    assert g.grad("a") == 6.0  # the two wires' sum, 2a
    with pytest.raises(GraphError, match="no wire a → y into port 2"):
        g.local("a", "y", port=2)


def test_a_missing_wire_is_refused_by_name(g):
    g.forward()
    with pytest.raises(GraphError, match=r"no wire a → u \(u takes b, c\)"):
        g.local("a", "u")
    with pytest.raises(GraphError, match="it goes into port 0"):
        g.local("b", "u", port=1)


def test_colah_fan_out_against_the_reference():
    g = gs.Graph.from_formula("e = (a+b)*(b+1)", a=2, b=1).backward()
    assert (g.value("e"), g.grad("a"), g.grad("b")) == (6.0, 2.0, 5.0)
    assert _numbers_match_reference(g) > 10


@pytest.mark.parametrize("text", [
    "y = tanh(w1*x1 + w2*x2 + b) , w1=-3, x1=2, w2=1, x2=0, b=6.8813735870195432",
    "L = log(sigmoid(a*b - c)) + exp(-a/b) + sin(a)**3 / cos(b) - relu(c - a)",
])
def test_api_reads_agree_with_the_reference(text):
    g = gs.Graph.from_formula(text).backward()
    assert _numbers_match_reference(g) > 10


def _numbers_match_reference(g) -> int:
    """Every number as the API reads it, against the independent reference."""
    model = g.model
    edges = model.edges()
    numbers = {"value": {n: g.value(n) for n in g.nodes},
               "grad": {n: g.grad(n) for n in g.nodes},
               "local": {e: g.local(*e) for e in edges},
               "edge_grad": {e: g.wire(*e).grad for e in edges},
               "output": g.output}
    return assert_numbers_match(model, numbers, evaluate_reference(model))


def test_pass_errors_are_the_passes_own(tmp_path):
    doc = json.loads(example_path("chain_rule").read_text())
    doc.pop("output", None)
    doc["nodes"].append({"id": "lonely", "op": "scale", "factor": 2})
    doc["edges"].append({"from": "a", "to": "lonely", "port": 0})
    path = tmp_path / "two_sinks.json"
    path.write_text(json.dumps(doc))
    g = gs.load(path)
    with pytest.raises(GraphError) as caught:
        g.backward()
    with pytest.raises(GraphError) as core_says:
        evaluate(fileformat.load(path))
    assert str(caught.value) == str(core_says.value) and "output" in str(caught.value)
    g.backward(output="lonely")  # naming the output works
    assert g.grad("a") == 2.0 and g.grad("b") == 0.0  # b does not reach it

    doc["edges"] = [e for e in doc["edges"] if e["to"] != "lonely"]
    doc["edges"].pop(0)
    path.write_text(json.dumps(doc))
    g = gs.load(path)
    with pytest.raises(GraphError) as caught:
        g.forward()
    with pytest.raises(GraphError) as core_says:
        evaluate(fileformat.load(path), backward=False)
    assert str(caught.value) == str(core_says.value) and "port" in str(caught.value)


def test_load_refuses_bad_files_with_the_loaders_message(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"format": "gradstudio", "version": 1, "nodes": [{"id": "a", "op": "mul"}]}')
    with pytest.raises(FileFormatError) as caught:
        gs.load(path)
    assert str(caught.value).startswith(f"{path}: nodes[0].op: unknown op 'mul' (known: ")
    with pytest.raises(FileFormatError, match="no such file|not found|cannot"):
        gs.load(tmp_path / "missing.json")


def test_formula_errors_are_the_builders_own():
    with pytest.raises(FormulaError) as caught:
        gs.Graph.from_formula("J = 3*(a + ")
    with pytest.raises(FormulaError) as builder_says:
        build("J = 3*(a + ")
    assert str(caught.value) == str(builder_says.value)
    with pytest.raises(FormulaError, match=r"^from_formula: 'z' is not a name in the formula"):
        gs.Graph.from_formula(SEED, z=1)
    with pytest.raises(FormulaError, match="not a finite number"):
        gs.Graph.from_formula(SEED, a=math.inf)


def test_save_writes_what_gradstudio_new_writes_and_load_reads_it_back(g, tmp_path):
    from gradstudio.cli import main
    ours, cli = tmp_path / "seed.json", tmp_path / "cli.json"
    g.save(ours)
    assert main(["new", "--formula", SEED, "--set", "a=5", "b=3", "c=2", "-o", str(cli)]) == 0
    assert ours.read_bytes() == cli.read_bytes()  # laid out as `new` lays it out
    again = gs.load(ours)
    assert again.nodes == g.nodes and again.edges == g.edges
    assert again.backward().grad("c") == 9.0
    assert g.to_json() == ours.read_text(encoding="utf-8")


def test_to_networkx_carries_the_current_numbers():
    g = gs.Graph.from_formula("y = a*a + b", a=3, b=1)
    bare = g.to_networkx()
    assert isinstance(bare, nx.MultiDiGraph)
    assert "grad" not in bare.nodes["a"] and "local" not in bare.edges["a", "u", 0]
    assert bare.nodes["a"]["value"] == 3  # the input's own param, as in the file
    net = g.to_networkx(after="backward")
    assert net.number_of_edges("a", "u") == 2  # a·a: two wires, keyed by port
    assert net.edges["a", "u", 0]["local"] == 3.0 and net.edges["a", "u", 1]["port"] == 1
    assert net.nodes["a"]["grad"] == 6.0 and net.nodes["y"]["value"] == 10.0
    assert net.nodes["u"]["op"] == "multiply" and net.graph["output"] == "y"
    assert net.edges["a", "u", 0]["grad"] == 3.0
    g.set("b", 2)
    assert "value" not in g.to_networkx().nodes["u"]  # stale numbers are left out
    with pytest.raises(ValueError, match="after must be"):
        g.to_networkx(after="sideways")


def test_every_example_loads_and_matches_the_cli_eval(example_name):
    g = gs.load(example_path(example_name)).backward()
    result = evaluate(load_example(example_name))
    assert {n: g.grad(n) for n in g.nodes} == {n: result.grad(n) for n in g.nodes}


def test_import_needs_no_qt_and_numbers_need_none_either():
    code = ("import sys, gradstudio as gs\n"
            "print(sorted(m for m in ('PySide6', 'networkx', 'numpy') if m in sys.modules))\n"
            "g = gs.Graph.from_formula('J = 3*(a + b*c)', a=5, b=3, c=2).backward()\n"
            "print(g.grad('b'), 'PySide6' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=True).stdout.splitlines()
    assert out == ["[]", "6.0 False"]


def test_the_api_names_are_there_and_others_are_not():
    assert gs.Graph is gs.api.Graph and callable(gs.load) and callable(gs.from_micrograd)
    assert {"Graph", "load", "from_micrograd"} <= set(dir(gs))
    with pytest.raises(AttributeError):
        gs.Grahp  # noqa: B018


def test_repr_says_what_is_computed(g):
    assert repr(g) == "<gradstudio.Graph: 6 nodes, 5 wires, output 'J', nothing computed>"
    g.backward()
    assert repr(g).endswith("backward computed>")


def test_the_documented_calls_exist_and_the_documented_script_is_what_is_written():
    from pathlib import Path
    import re
    doc = (Path(__file__).resolve().parent.parent / "docs" / "python-api.md").read_text()
    table = doc[doc.index("| call |"):]
    g = gs.Graph.from_formula(SEED, a=5, b=3, c=2)
    for name in re.findall(r"`g\.(\w+)", table):
        assert hasattr(g, name), name
    g.set("a", 5.001)
    listing = doc[doc.index("In [12]: print(g.to_python())\n"):].split("\n", 1)[1]
    assert listing.split("```")[0] == g.to_python()


def test_inf_and_nan_warn_and_name_the_node_without_raising():
    g = gs.Graph.from_formula("y = 2*log(a) + b", a=0, b=1)
    with pytest.warns(RuntimeWarning, match=r"node 'u' gives -inf \(log of a number ≤ 0\)"):
        g.backward()
    assert g.problems == {"u": "log of a number ≤ 0"}
    assert g.value("y") == -math.inf and g.grad("b") == 1.0
    assert g.set("a", 1).problems == {}  # stale: nothing known of the graph as it is


def test_problems_is_empty_before_a_pass_not_an_error():
    g = gs.Graph.from_formula("y = log(a)", a=-1)
    assert g.problems == {}  # a property a notebook inspects: never raises
    with pytest.warns(RuntimeWarning):
        g.forward()
    assert g.problems == {"y": "log of a number ≤ 0"}


def test_to_networkx_after_a_pass_leaves_the_graphs_own_numbers_alone():
    """As svg/png(after=...): the pass is run for the export, not on g."""
    g = gs.Graph.from_formula(SEED, a=5, b=3, c=2).backward()
    net = g.to_networkx(after="forward")
    assert net.nodes["J"]["value"] == 33.0 and "grad" not in net.nodes["a"]
    assert g.grad("a") == 3.0  # the backward pass made before is still there
    fresh = gs.Graph.from_formula(SEED, a=5, b=3, c=2)
    assert fresh.to_networkx(after="backward").nodes["b"]["grad"] == 6.0
    assert fresh._shown() is None and fresh.problems == {}
    with pytest.raises(gs.NotComputed):
        fresh.value("J")


def test_the_error_classes_are_reachable_from_the_package():
    from gradstudio.core.atomic import SaveError
    assert (gs.GraphError, gs.FileFormatError, gs.FormulaError, gs.SaveError) == (
        GraphError, FileFormatError, FormulaError, SaveError)
    assert {"GraphError", "FileFormatError", "FormulaError"} <= set(dir(gs))
    with pytest.raises(gs.FileFormatError, match="cannot read"):
        gs.load("/nonexistent/seed.json")


def test_numbers_from_numpy_fractions_and_decimals_are_taken_as_floats():
    import numpy as np
    from decimal import Decimal
    from fractions import Fraction
    g = gs.Graph.from_formula("J = a*b + c*d", a=np.float32(2.5), b=np.int64(2),
                              c=Fraction(1, 4), d=Decimal("0.5")).backward()
    assert g.value("J") == 2.5 * 2 + 0.25 * 0.5 and g.grad("a") == 2.0
    assert all(type(g.model.node_data(n)["value"]) is float for n in "abcd")
    g.set("a", np.float32(0.5)).set("b", Fraction(3, 2))
    assert type(g.model.node_data("a")["value"]) is float
    assert g.backward().value("J") == 0.5 * 1.5 + 0.125


def test_a_number_beyond_a_double_is_refused_in_one_short_line():
    with pytest.raises(FormulaError) as caught:
        gs.Graph.from_formula("J = a*b", a=10**400, b=1)
    said = str(caught.value)
    assert said.startswith("from_formula: a: ") and "too large" in said
    assert len(said) < 120 and "\n" not in said
    g = gs.Graph.from_formula("J = a*b")
    with pytest.raises(GraphError, match=r"set\('a'\): .*too large") as caught:
        g.set("a", -10**400)
    assert len(str(caught.value)) < 120


def test_the_core_knows_nothing_of_the_api():
    from pathlib import Path
    core = Path(gs.__file__).parent / "core"
    for path in core.rglob("*.py"):
        assert "gradstudio.api" not in path.read_text(encoding="utf-8"), path.name
