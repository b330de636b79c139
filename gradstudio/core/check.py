"""Checking gradients against central differences, as the course notes do by hand."""

from __future__ import annotations

import math
from dataclasses import dataclass

from gradstudio.core.passes import evaluate, forward_values


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


def check_gradients(model, output: str | None = None, h: float = 1e-6,
                    rtol: float = 1e-4, atol: float = 1e-6) -> list[GradientCheck]:
    """Every input's analytic gradient next to its central difference."""
    result = evaluate(model, output)
    rows = []
    for node_id in model.inputs():
        x = float(model.node_data(node_id)["value"])
        step = h * max(1.0, abs(x))
        numeric = central_difference(model, result.output, node_id, step)
        analytic = result.grad(node_id)
        finite = math.isfinite(numeric) and math.isfinite(analytic)
        agrees = finite and abs(analytic - numeric) <= atol + rtol * max(abs(analytic), abs(numeric))
        rows.append(GradientCheck(node_id, x, analytic, numeric,
                                  relative_difference(analytic, numeric) if finite else math.nan,
                                  agrees))
    return rows
