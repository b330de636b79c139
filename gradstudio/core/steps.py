"""Step-through passes: the forward and backward passes one node at a time.

``PassSteps(evaluation)`` takes an evaluation with forward and backward done
and lays the two passes out as one sequence of steps: first one forward step
per non-input node in topological order, then one backward step per node
other than the output, in reverse topological order. Position ``p`` (0 ≤ p ≤
len) means "the first p steps are done"; ``reveal(p)`` says which numbers are
known at that point, so a canvas can draw only what has been computed so far.

Every step carries its numbers and an explanation in the course notes' words::

    u = b × c = 3 × 2 = 6          ∂u/∂b = c = 2
    ∂J/∂b = ∂J/∂u · ∂u/∂b = 3 × 2 = 6
    ∂e/∂b = ∂e/∂c · ∂c/∂b + ∂e/∂d · ∂d/∂b = 2 × 1 + 3 × 1 = 2 + 3 = 5

Steps are built on demand and kept, so the first step of a big graph is cheap.
No Qt here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gradstudio.core.numbers import MINUS, shown_number

Edge = tuple[str, str, int]

MAX_TERMS = 12  # a fan-out sum longer than this is written with "…"
# (A name followed by a superscript, "y²", is a name too: "²" counts as a word character.)
_TOKEN = re.compile(r"(?<![A-Za-z0-9_])(k−1|x0|x1|x2|x3|k|y)(?![A-Za-z0-9_])")
_SUBSCRIPTS = "₀₁₂₃₄₅₆₇₈₉"


@dataclass(frozen=True)
class Step:
    """One step of a pass.

    Forward: ``node``'s value from its input wires (``edges``, by port), with
    ``locals`` the local derivative of each. Backward: ``node``'s gradient
    (``number``) as the sum over its outgoing ``edges`` that reach the output;
    ``terms`` holds each such wire's contribution (grad(target) · local).
    """

    kind: str  # "forward" or "backward"
    index: int  # place in the whole sequence, 0-based
    node: str
    edges: tuple[Edge, ...]
    number: float
    locals: tuple[float, ...]
    terms: tuple[float, ...]
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


class Reveal:
    """What is computed once the first ``position`` steps are done."""

    __slots__ = ("steps", "position", "_n_forward", "_n_backward")

    def __init__(self, steps: "PassSteps", position: int) -> None:
        self.steps = steps
        self.position = position
        self._n_forward = min(position, steps.n_forward)
        self._n_backward = max(0, position - steps.n_forward)

    @property
    def phase(self) -> str:
        """"forward" up to the end of the forward pass, "backward" after."""
        return "backward" if self.position > self.steps.n_forward else "forward"

    @property
    def done(self) -> bool:
        return self.position >= len(self.steps)

    def has_value(self, node: str) -> bool:
        rank = self.steps.forward_rank.get(node)
        return rank is None or rank < self._n_forward  # inputs are known from the start

    def has_grad(self, node: str) -> bool:
        if self._n_backward == 0:
            return False
        rank = self.steps.backward_rank.get(node)
        return rank is None or rank < self._n_backward  # the output: 1 from the start

    def has_edge_value(self, edge: Edge) -> bool:
        """A wire's value and local derivative are known once its target is computed."""
        return self.has_value(edge[1])

    def has_edge_grad(self, edge: Edge) -> bool:
        """A wire's gradient is worked out in its source's backward step."""
        return self.has_grad(edge[0])

    @property
    def active(self) -> Step | None:
        """The step just done (the one to highlight), if any."""
        return self.steps.step(self.position - 1) if self.position > 0 else None

    def is_active_node(self, node: str) -> bool:
        step = self.active
        return step is not None and step.node == node

    def is_active_edge(self, edge: Edge) -> bool:
        step = self.active
        return step is not None and tuple(edge) in step.edges


class PassSteps:
    """The forward and backward passes of one evaluation, as a sequence of steps."""

    def __init__(self, evaluation) -> None:
        if evaluation.node_grads is None:
            raise ValueError("step-through needs an evaluation with backward done")
        self.evaluation = ev = evaluation
        self.model = ev.model
        plan = ev.plan
        self.output: str = ev.output
        self.forward_nodes = [n for n, op in zip(plan.ids, plan.node_ops) if op != "input"]
        self.backward_nodes = [n for n in reversed(plan.ids) if n != self.output]
        self.forward_rank = {n: i for i, n in enumerate(self.forward_nodes)}
        self.backward_rank = {n: i for i, n in enumerate(self.backward_nodes)}
        self.n_forward = len(self.forward_nodes)
        self.n_backward = len(self.backward_nodes)
        self._cache: dict[int, Step] = {}

    def __len__(self) -> int:
        return self.n_forward + self.n_backward

    def reveal(self, position: int) -> Reveal:
        return Reveal(self, max(0, min(position, len(self))))

    def step(self, index: int) -> Step:
        step = self._cache.get(index)
        if step is None:
            if not 0 <= index < len(self):
                raise IndexError(f"step {index} of {len(self)}")
            if index < self.n_forward:
                step = self._forward_step(index, self.forward_nodes[index])
            else:
                step = self._backward_step(index, self.backward_nodes[index - self.n_forward])
            self._cache[index] = step
        return step

    def touched(self, before: int, after: int) -> tuple[set, set] | None:
        """The nodes and wires whose annotations differ between two neighbouring positions.

        None when the positions are not neighbours (redraw everything).
        """
        if abs(before - after) != 1:
            return None
        nodes: set[str] = set()
        edges: set[Edge] = set()
        for p in {before, after}:
            if p > 0:  # the step done at p: its node and wires (drawn, highlighted or not)
                step = self.step(p - 1)
                nodes.add(step.node)
                edges.update(step.edges)
        if max(before, after) == self.n_forward + 1:  # the backward pass starts or unstarts
            nodes.add(self.output)
            edges.update(self.model.out_edges(self.output))
        return nodes, edges

    # ------------------------------------------------------------- wording
    def _label(self, node: str) -> str:
        return self.model.label(node)

    def _wrt(self, edge: Edge) -> str:
        """The name of a wire's source as its target sees it: b, or a₀/a₁ for a·a."""
        source, target, port = edge
        name = self._label(source)
        model = self.model
        if sum(1 for p in range(model.op_of(target).ports)
               if model.source(target, p) == source) > 1:
            name += _SUBSCRIPTS[port] if port < 10 else f"[{port}]"
        return name

    def _fmt(self, x: float) -> str:
        return shown_number(x)  # −1.5, as the chips say it

    def _operand(self, x: float) -> str:
        """A number inside a formula: negatives in parentheses, 3 × (−2)."""
        text = self._fmt(x)
        return f"({text})" if text.startswith(MINUS) else text

    def _forward_step(self, index: int, node: str) -> Step:
        ev, model = self.evaluation, self.model
        op = model.op_of(node)
        edges = tuple(model.in_edges(node))
        params = model.params(node)
        k = next(iter(params.values()), None)
        value = ev.value(node)
        numbers = [ev.edge(*e) for e in edges]
        name = self._label(node)
        names = {f"x{e[2]}": _group(self._label(e[0])) for e in edges}
        values = {f"x{e[2]}": self._operand(n.value) for e, n in zip(edges, numbers)}
        if k is not None:
            names["k"] = values["k"] = self._operand(k)
            names["k−1"] = values["k−1"] = self._operand(k - 1)
        names["y"], values["y"] = _group(name), name
        if op.formula:
            symbolic = _fill(op.formula, names).replace(" · ", " × ")
            numeric = _fill(op.formula, values).replace(" · ", " × ")
            first = f"{name} = {symbolic} = {numeric} = {self._fmt(value)}"
        else:
            args = ", ".join(self._label(e[0]) for e in edges)
            first = f"{name} = {op.name}({args}) = {self._fmt(value)}"
        problem = ev.problems.get(node)
        if problem:
            first += f"  ({problem})"
        lines = [first]
        formulas = op.local_formulas  # an op without them: its locals as numbers only
        for edge, n in zip(edges, numbers):
            head = f"∂{name}/∂{self._wrt(edge)}"
            port = edge[2]
            formula = _fill(formulas[port], names) if port < len(formulas) else ""
            local = self._fmt(n.local)
            if formula and formula.replace("-", MINUS) != local:  # (both with real minus signs)
                lines.append(f"{head} = {formula} = {local}")
            else:
                lines.append(f"{head} = {local}")
        return Step("forward", index, node, edges, value, tuple(n.local for n in numbers),
                    (), tuple(lines))

    def _backward_step(self, index: int, node: str) -> Step:
        ev, model = self.evaluation, self.model
        out = self._label(self.output)
        name = self._label(node)
        edges = tuple(sorted(model.out_edges(node), key=ev.plan.edge_index.__getitem__))
        reach = ev.reaches_output
        slot = ev.plan.slot
        carrying = [e for e in edges if reach[slot[e[1]]]]
        grad = ev.grad(node)
        head = f"∂{out}/∂{name}"
        if not carrying:
            why = "it is the last node" if not edges else f"no path leads from {name} to {out}"
            lines = [f"{head} = 0  ({why})"]
            return Step("backward", index, node, edges, grad, (), (), tuple(lines))
        symbols, products, sums = [], [], []
        terms = []
        for e in carrying:
            target = self._label(e[1])
            numbers = ev.edge(*e)
            terms.append(numbers.grad)
            symbols.append(f"∂{out}/∂{target} · ∂{target}/∂{self._wrt(e)}")
            products.append(f"{self._operand(ev.grad(e[1]))} × {self._operand(numbers.local)}")
            sums.append(self._operand(numbers.grad))
        total = self._fmt(grad)
        if len(carrying) > MAX_TERMS:
            more = f" + … ({len(carrying) - MAX_TERMS + 1} more)"
            symbols = symbols[: MAX_TERMS - 1]
            products = products[: MAX_TERMS - 1]
            sums = sums[: MAX_TERMS - 1]
        else:
            more = ""
        first = f"{head} = {' + '.join(symbols)}{more} = {' + '.join(products)}{more}"
        if len(carrying) > 1:
            first += f" = {' + '.join(sums)}{more}"
        first += f" = {total}"
        lines = [first]
        if len(carrying) > 1:
            targets = list(dict.fromkeys(self._label(e[1]) for e in carrying[:MAX_TERMS]))
            where = (f"feeds {targets[0]} through {len(carrying)} wires" if len(targets) == 1
                     else f"fans out to {_and(targets)}")
            lines.append(f"{name} {where}: its gradient is the sum over the wires")
        return Step("backward", index, node, edges, grad, (), tuple(terms), tuple(lines))


def _fill(template: str, values: dict[str, str]) -> str:
    return _TOKEN.sub(lambda m: values.get(m.group(1), m.group(1)), template)


def _group(label: str) -> str:
    """A label inside a formula: wrapped in parentheses if it has spaces or operators."""
    return f"({label})" if re.search(r"[\s+\-−*/·×^]", label) else label


def _and(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + " and " + names[-1]
