"""``Graph.to_python``: a script that rebuilds a graph in micrograd or PyTorch.

The script is plain, one line per node in topological order, so a student can
read it next to the picture: inputs first, then ``u = b * c`` and so on, then
``backward()`` on the output and one printed line per node:
``NAME: value=VALUE grad=GRAD`` (full precision, ``repr`` of the floats).

micrograd 0.1.0 knows + - * / ** and relu; exp, log, tanh, sigmoid, sin and cos
are written as small helpers at the top of the script, each a new Value with its
own ``_backward`` (the way micrograd's ops are written). PyTorch uses float64
tensors and keeps the gradients of the inner nodes (``retain_grad``).
"""

from __future__ import annotations

import builtins
import keyword
import re

from gradstudio.core.errors import GraphError
from gradstudio.core.plan import topological_order

STYLES = ("micrograd", "pytorch")

# Each op as an expression of its port variables x0, x1 and params k.
MICROGRAD = {
    "add": "{x0} + {x1}", "multiply": "{x0} * {x1}", "scale": "{x0} * {factor}",
    "subtract": "{x0} - {x1}", "divide": "{x0} / {x1}", "power": "{x0} ** {exponent}",
    "relu": "{x0}.relu()", "exp": "exp({x0})", "log": "log({x0})", "tanh": "tanh({x0})",
    "sigmoid": "sigmoid({x0})", "sin": "sin({x0})", "cos": "cos({x0})",
}
PYTORCH = {
    **MICROGRAD, "relu": "torch.relu({x0})", "exp": "torch.exp({x0})",
    "log": "torch.log({x0})", "tanh": "torch.tanh({x0})", "sigmoid": "torch.sigmoid({x0})",
    "sin": "torch.sin({x0})", "cos": "torch.cos({x0})",
}

# For micrograd: y = f(x) and dy/dx from x and y, as one new Value each.
HELPERS = {
    "exp": ("math.exp(x.data)", "y"),
    "log": ("math.log(x.data)", "1 / x.data"),
    "tanh": ("math.tanh(x.data)", "1 - y * y"),
    "sigmoid": ("1 / (1 + math.exp(-x.data))", "y * (1 - y)"),
    "sin": ("math.sin(x.data)", "math.cos(x.data)"),
    "cos": ("math.cos(x.data)", "-math.sin(x.data)"),
}

#: Names the script itself uses, and Python's builtins (a node named float or range
#: would shadow what the script calls): never a node's variable.
RESERVED = {"Value", "math", "torch", "exp", "log", "tanh", "sigmoid", "sin", "cos",
            "nodes", "name", "node", "grad", "unary"} | set(dir(builtins))


def to_python(model, style: str = "micrograd") -> str:
    if style not in STYLES:
        raise ValueError(f"style must be 'micrograd' or 'pytorch', not {style!r}")
    order = topological_order(model)  # GraphError on a cycle or an incomplete graph
    model.check_complete()
    output = model.resolve_output()
    names = _variables(order)
    forms = MICROGRAD if style == "micrograd" else PYTORCH
    body = []
    for node_id in order:
        data = model.node_data(node_id)
        op = data["op"]
        var = names[node_id]
        if op == "input":
            number = repr(float(data["value"]))
            body.append(f"{var} = Value({number})" if style == "micrograd" else
                        f"{var} = torch.tensor({number}, dtype=torch.float64, "
                        "requires_grad=True)")
            continue
        ports = {f"x{p}": names[model.source(node_id, p)]
                 for p in range(model.op_of(node_id).ports)}
        params = {k: repr(float(data[k])) for k in model.op_of(node_id).param_names}
        if op not in forms:  # pragma: no cover - every op has a line above
            raise GraphError(f"to_python: no {style} form for the op {op!r}")
        line = f"{var} = {forms[op].format(**ports, **params)}"
        if style == "pytorch":
            line += f"\n{var}.retain_grad()"
        body.append(line)
    listing = ", ".join(f"({node_id!r}, {names[node_id]})" for node_id in order)
    title = f"# The gradstudio graph of {len(order)} nodes, output {output!r}, in {style}."
    if style == "micrograd":
        used = [op for op in HELPERS if any(model.node_data(n)["op"] == op for n in order)]
        head = [title, *(["import math"] if used else []), "from micrograd.engine import Value", ""]
        head += _helpers(used)
        tail = [f"{names[output]}.backward()", "", f"nodes = [{listing}]",
                "for name, node in nodes:",
                '    print(f"{name}: value={float(node.data)!r} grad={float(node.grad)!r}")']
    else:
        head = [title, "import torch", ""]
        tail = [f"{names[output]}.backward()", "", f"nodes = [{listing}]",
                "for name, node in nodes:",
                "    grad = 0.0 if node.grad is None else node.grad.item()",
                '    print(f"{name}: value={node.item()!r} grad={grad!r}")']
    return "\n".join(head + body + [""] + tail) + "\n"


def _helpers(used: list[str]) -> list[str]:
    if not used:
        return []
    lines = ["def unary(x, y, dydx, op):",
             '    """A new Value y = op(x) whose backward adds dydx * out.grad to x.grad."""',
             "    out = Value(y, (x,), op)",
             "",
             "    def _backward():",
             "        x.grad += dydx * out.grad",
             "    out._backward = _backward",
             "    return out",
             ""]
    for op in used:
        forward, derivative = HELPERS[op]
        lines += ["", f"def {op}(x):", f"    y = {forward}",
                  f"    return unary(x, y, {derivative}, {op!r})", ""]
    return lines + [""]


def _variables(order: list[str]) -> dict[str, str]:
    """A Python name for every node: its id where that is one, else made from it
    (float -> float_1, "y 1" -> y_1, if -> if_1, a name taken -> NAME_2 ...)."""
    taken: set[str] = set()
    names = {}
    for i, node_id in enumerate(order):
        name = node_id if _usable(node_id) else re.sub(r"\W", "_", node_id)
        if not _usable(name) or name in taken:
            stem = name if name.isidentifier() and not name.startswith("_") else "n"
            name = next(f"{stem}_{n}" for n in range(1, len(order) + 2)
                        if f"{stem}_{n}" not in taken and _usable(f"{stem}_{n}"))
        taken.add(name)
        names[node_id] = name
    return names


def _usable(name: str) -> bool:
    return (name.isidentifier() and not keyword.iskeyword(name) and name not in RESERVED
            and not name.startswith("_"))
