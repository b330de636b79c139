"""Checking gradients against central differences, as the course notes do by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from gradstudio.core.passes import evaluate, forward_values

DEFAULT_NUDGE = 0.001  # the course notes' a = 5 → 5.001


@dataclass(frozen=True)
class GradientCheck:
    input: str
    value: float
    analytic: float
    numeric: float
    relative_difference: float
    agrees: bool


def output_with(model, output: str, overrides: dict[str, float]) -> float:
    """The output's value with some inputs replaced, leaving the model untouched."""
    return forward_values(model, overrides)[model.plan().slot[output]]


def central_difference(model, output: str, input_id: str, h: float) -> float:
    x = float(model.node_data(input_id)["value"])
    up = output_with(model, output, {input_id: x + h})
    down = output_with(model, output, {input_id: x - h})
    return (up - down) / (2 * h)


def relative_difference(a: float, b: float) -> float:
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


class _Rerun:
    """Forward passes with one input changed, sharing everything else.

    The base values (inputs and params read from the model once) are copied and,
    for ``cones``, only the steps below the changed input that reach the output
    are recomputed, so checking every input of a big graph costs a fraction of
    as many full passes.
    """

    #: Above this many (input, step) pairs the cones are not worth their memory.
    CONE_LIMIT = 20_000_000

    def __init__(self, model, output: str) -> None:
        self.model = model
        self.plan = model.plan()
        self.base = forward_values(model)
        self.out_slot = self.plan.slot[output]

    def cones(self, inputs: list[str]) -> list[list]:
        """For each input, the steps that depend on it and feed the output."""
        plan = self.plan
        steps = plan.steps
        if len(inputs) * len(steps) > self.CONE_LIMIT:
            return [steps] * len(inputs)
        below = [0] * plan.n_slots  # bit k: the slot depends on inputs[k]
        for k, node_id in enumerate(inputs):
            below[plan.slot[node_id]] = 1 << k
        for i, _fn, a, b in steps:
            below[i] = below[a] | below[b]
        reaches = plan.edges_reaching(self.out_slot)[3]
        cones: list[list] = [[] for _ in inputs]
        for step in steps:
            if not reaches[step[0]]:
                continue
            bits = below[step[0]]
            while bits:
                low = bits & -bits
                cones[low.bit_length() - 1].append(step)
                bits ^= low
        return cones

    def output_with(self, input_id: str, x: float, steps=None) -> float:
        val = self.base.copy()
        val[self.plan.slot[input_id]] = float(x)
        with np.errstate(all="ignore"):
            for i, fn, a, b in (self.plan.steps if steps is None else steps):
                val[i] = fn(val[a], val[b])
        return val[self.out_slot]


@dataclass(frozen=True)
class Nudge:
    """The course notes' check of one derivative: move x by h, watch J move."""

    input: str
    output: str
    x: float
    h: float
    before: float  # J(x)
    after: float  # J(x + h)
    slope: float  # (J(x + h) − J(x)) / h
    analytic: float  # dJ/dx from the backward pass
    relative_difference: float


def nudge(model, input_id: str, h: float = DEFAULT_NUDGE, output: str | None = None,
          evaluation=None) -> Nudge:
    """J(x), J(x + h), the forward difference and the backward pass's dJ/dx.

    ``evaluation`` (a current Evaluation with backward done for the same output)
    saves recomputing the analytic gradient.
    """
    from gradstudio.core.errors import GraphError
    if input_id not in model.graph:
        raise GraphError(f"no node {input_id!r} to nudge")
    if model.node_data(input_id)["op"] != "input":
        raise GraphError(f"{model.label(input_id)!r} is not an input: only inputs can be nudged")
    if not (isinstance(h, (int, float)) and math.isfinite(h) and h != 0):
        raise GraphError(f"h must be a finite number other than 0, not {h!r}")
    result = evaluation
    if (result is None or not result.is_current() or result.node_grads is None
            or (output is not None and result.output != output)):
        result = evaluate(model, output)
    out = result.output
    x = float(model.node_data(input_id)["value"])
    before = result.value(out)
    after = _Rerun(model, out).output_with(input_id, x + h)
    with np.errstate(all="ignore"):
        slope = float((np.float64(after) - before) / h)
    analytic = result.grad(input_id)
    finite = math.isfinite(slope) and math.isfinite(analytic)
    return Nudge(input_id, out, x, float(h), before, after, slope, analytic,
                 relative_difference(analytic, slope) if finite else math.nan)


def check_gradients(model, output: str | None = None, h: float = 1e-6,
                    rtol: float = 1e-4, atol: float = 1e-6) -> list[GradientCheck]:
    """Every input's analytic gradient next to its central difference."""
    result = evaluate(model, output)
    rerun = _Rerun(model, result.output)
    inputs = model.inputs()
    rows = []
    for node_id, cone in zip(inputs, rerun.cones(inputs)):
        x = float(model.node_data(node_id)["value"])
        step = h * max(1.0, abs(x))
        up = rerun.output_with(node_id, x + step, cone)
        down = rerun.output_with(node_id, x - step, cone)
        with np.errstate(all="ignore"):
            numeric = float((np.float64(up) - down) / (2 * step))
        analytic = result.grad(node_id)
        finite = math.isfinite(numeric) and math.isfinite(analytic)
        agrees = finite and abs(analytic - numeric) <= atol + rtol * max(abs(analytic), abs(numeric))
        rows.append(GradientCheck(node_id, x, analytic, numeric,
                                  relative_difference(analytic, numeric) if finite else math.nan,
                                  agrees))
    return rows
