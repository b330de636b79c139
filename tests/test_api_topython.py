"""micrograd (and PyTorch) out: ``Graph.to_python`` writes a script that, run on its own,
prints the graph's values and gradients.

Each script is run in a fresh interpreter; what it prints is compared with
gradstudio's numbers and, independently, with the reference evaluator.
"""

import math
import re
import subprocess
import sys

import pytest

import gradstudio as gs
from conftest import example_path
from gradstudio.core.reference import evaluate_reference

LINE = re.compile(r"^(.*): value=(\S+) grad=(\S+)$")
EVERY_OP = ("L = log(sigmoid(a*b - c)) + exp(-a/b) + sin(a)**3 / cos(b) - relu(c - a)"
            " + tanh(2*a*a), a=0.7, b=1.3, c=0.4")


def run(script: str, tmp_path) -> dict[str, tuple[float, float]]:
    path = tmp_path / "rebuilt.py"
    path.write_text(script, encoding="utf-8")
    done = subprocess.run([sys.executable, str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    printed = {}
    for line in done.stdout.splitlines():
        name, value, grad = LINE.match(line).groups()
        printed[name] = (float(value), float(grad))
    return printed


def assert_prints_the_graphs_numbers(g, printed):
    g.backward()
    ref = evaluate_reference(g.model)
    assert set(printed) == set(g.nodes)
    for node, (value, grad) in printed.items():
        scale = max(1.0, abs(ref.grads[node]), abs(ref.values[node]))
        assert value == pytest.approx(g.value(node), rel=1e-9, abs=1e-12), node
        assert grad == pytest.approx(g.grad(node), rel=1e-9, abs=1e-12 * scale), node
        assert value == pytest.approx(ref.values[node], rel=1e-9, abs=1e-12), node
        assert grad == pytest.approx(ref.grads[node], rel=1e-9, abs=1e-12 * scale), node


def test_micrograd_script_of_the_course_notes_example(tmp_path):
    g = gs.Graph.from_formula("J = 3*(a + b*c)", a=5, b=3, c=2)
    script = g.to_python(path=tmp_path / "written.py")
    assert "from micrograd.engine import Value" in script and "u = b * c" in script
    assert (tmp_path / "written.py").read_text(encoding="utf-8") == script
    printed = run(script, tmp_path)
    assert printed["J"] == (33.0, 1.0)
    assert [printed[n][1] for n in "abc"] == [3.0, 6.0, 9.0]  # by hand, from the notes
    assert_prints_the_graphs_numbers(g, printed)


@pytest.mark.parametrize("source", ["formula", "colah_paths", "logistic_neuron",
                                    "tanh_neuron", "square"])
def test_micrograd_scripts_rebuild_every_op_and_the_examples(source, tmp_path):
    pytest.importorskip("micrograd")
    g = (gs.Graph.from_formula(EVERY_OP) if source == "formula"
         else gs.load(example_path(source)))
    assert_prints_the_graphs_numbers(g, run(g.to_python("micrograd"), tmp_path))


def test_a_graph_from_micrograd_goes_back_out(tmp_path):
    micrograd = pytest.importorskip("micrograd.engine")
    x, y = micrograd.Value(1.5), micrograd.Value(-0.5)
    out = (x * x + y / x - 2).relu() * y + x ** 0.5
    g = gs.from_micrograd(out, names={"if": x, "y 1": y, "Value": out})  # not Python names
    printed = run(g.to_python(), tmp_path)
    out.backward()
    assert printed["if"][1] == pytest.approx(x.grad, rel=1e-12)
    assert printed["y 1"][1] == pytest.approx(y.grad, rel=1e-12)
    assert printed["Value"] == pytest.approx((out.data, 1.0))
    assert_prints_the_graphs_numbers(g, printed)


def test_a_node_that_does_not_reach_the_output_prints_grad_zero(tmp_path):
    g = gs.load(example_path("chain_rule"))
    g.model.add_node("side", "scale", params={"factor": 2.0})
    g.model.connect("a", "side", 0)
    g.model.set_output("J")  # two sinks now: J stays the output
    printed = run(g.to_python(), tmp_path)
    assert printed["side"] == (10.0, 0.0)
    assert_prints_the_graphs_numbers(g, printed)


def test_unknown_style_is_refused():
    with pytest.raises(ValueError, match="style must be 'micrograd' or 'pytorch'"):
        gs.Graph.from_formula("y = 2*a").to_python("jax")


def test_pytorch_script(tmp_path):
    pytest.importorskip("torch")
    g = gs.Graph.from_formula(EVERY_OP)
    script = g.to_python("pytorch")
    assert_prints_the_graphs_numbers(g, run(script, tmp_path))


def test_pytorch_script_reads_as_pytorch():
    """Without torch installed, at least the text: float64 leaves, grads kept, backward."""
    script = gs.Graph.from_formula("J = 3*(a + b*c)", a=5, b=3, c=2).to_python("pytorch")
    assert "a = torch.tensor(5.0, dtype=torch.float64, requires_grad=True)" in script
    assert "u = b * c\nu.retain_grad()" in script and "J.backward()" in script
    compile(script, "rebuilt.py", "exec")


def test_node_names_never_shadow_builtins_or_the_scripts_own_names(tmp_path):
    """A node named float, print, range, Value ...: the script renames the variable
    (the printed name stays the node's)."""
    pytest.importorskip("micrograd")
    g = gs.Graph.from_formula("J = tanh(x)*float + range*print + len*Value",
                              x=0.5, float=2.0, range=3, print=4, len=1.5, Value=-2)
    script = g.to_python()
    assert "float = " not in script and "print = " not in script
    printed = run(script, tmp_path)
    assert printed["float"] == (2.0, pytest.approx(math.tanh(0.5)))
    assert_prints_the_graphs_numbers(g, printed)
