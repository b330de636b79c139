"""The op registry: every operation gradstudio knows, one entry each.

An entry carries everything the rest of the program needs: ports, params with
defaults, a scalar forward function, one local derivative per port and the
symbol drawn on the node, and how its formula and local derivatives read in
the step-through's explanations. Adding an op is adding one entry to ``_ENTRIES``.

Forward functions take the port values then the param values, positionally,
and must return a float without raising (inf/nan for domain problems).
Derivatives take ``(xs, y, ps)`` -- tuples of port values, the node's value,
tuples of params -- and are written with numpy so that one call serves a
whole group of nodes of the same op during a pass.
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from gradstudio.core.numbers import shown_text

Forward = Callable[..., float]
Derivative = Callable[[tuple, object, tuple], object]


@dataclass(frozen=True)
class Param:
    name: str
    default: float
    doc: str = ""


@dataclass(frozen=True)
class Op:
    name: str
    title: str
    symbol: str
    ports: int
    params: tuple[Param, ...]
    forward: Forward
    derivatives: tuple[Derivative, ...]
    # Says why a non-finite result came from finite inputs (None: generic wording).
    problem: Callable[[tuple, tuple], str | None] = field(default=lambda xs, ps: None)
    # How each port's value is named in formulas: u = x0 + x1 ...
    formula: str = ""
    # Each port's local derivative in the same words, for the step-through's
    # explanations: x0, x1 (the inputs), k (the param), k−1, y (the node itself).
    local_formulas: tuple[str, ...] = ()

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def defaults(self) -> dict[str, float]:
        return {p.name: p.default for p in self.params}

    def display_symbol(self, params: dict) -> str:
        """The symbol drawn on a node, with its params filled in (``·3`` for scale)."""
        if not self.params or self.name == "input":
            return self.symbol
        values = {p.name: shown_text(format_param(params.get(p.name, p.default)))
                  for p in self.params}  # (·−1: a real minus sign, as in the chips)
        return self.symbol.format(**values)


def format_param(x) -> str:
    """A param as it reads on a node: 3 not 3.0, 0.5 not .5."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e15:
        return str(int(x))
    return f"{x:.4g}"


def _numpy_scalar(fn):
    """Wrap a numpy ufunc so that a scalar call returns a float and never raises."""
    def call(*args):
        with np.errstate(all="ignore"):
            return float(fn(*(np.float64(a) for a in args)))
    call.__name__ = getattr(fn, "__name__", "op")
    return call


def _divide(a: float, b: float) -> float:
    try:
        return a / b
    except ZeroDivisionError:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)


def _sigmoid(x):
    with np.errstate(all="ignore"):
        x = np.float64(x)
        # Both branches are stable: exp only ever sees a non-positive argument.
        if x >= 0:
            return float(1.0 / (1.0 + np.exp(-x)))
        z = np.exp(x)
        return float(z / (1.0 + z))


def _sigmoid_array(x):
    return 0.5 * (1.0 + np.tanh(0.5 * x))


def _relu(x: float) -> float:
    return x if x > 0 or math.isnan(x) else 0.0


def _relu_derivative(xs, y, ps):
    # 0 at 0 by convention; nan stays nan so a broken input is not hidden.
    x = xs[0]
    return np.where(x > 0, 1.0, np.where(np.isnan(x), np.nan, 0.0))


def _ones(xs, y, ps):
    return np.ones_like(y)


def _minus_ones(xs, y, ps):
    return -np.ones_like(y)


def _log_derivative(xs, y, ps):
    # 1/x, but nan below 0 where log itself is nan: a finite -1/|x| would hide the problem.
    x = xs[0]
    return np.where(x < 0, np.nan, 1.0 / x)


def _power_problem(xs, ps):
    x, k = xs[0], ps[0]
    if x == 0 and k < 0:
        return "0 to a negative power"
    if x < 0 and not float(k).is_integer():
        return "negative number to a fractional power"
    return None


def _power(x: float, k: float) -> float:
    # A negative number to a fractional power is nan, -inf included (C's pow says
    # inf there, and numpy's square-root shortcut for k = 0.5 says nan).
    if x < 0 and not float(k).is_integer():
        return math.nan
    return _numpy_power(x, k)


_numpy_power = _numpy_scalar(np.power)


def _power_derivative(xs, y, ps):
    x, k = xs[0], ps[0]
    return np.where((x < 0) & (k != np.floor(k)), np.nan, k * np.power(x, k - 1.0))


_ENTRIES = [
    Op("input", "Input", "", 0, (Param("value", 1.0, "the input's value"),),
       forward=lambda value: value, derivatives=()),
    Op("add", "Add", "+", 2, (), forward=operator.add,
       derivatives=(_ones, _ones), formula="x0 + x1", local_formulas=("1", "1")),
    Op("multiply", "Multiply", "×", 2, (), forward=operator.mul,
       derivatives=(lambda xs, y, ps: xs[1], lambda xs, y, ps: xs[0]),
       formula="x0 · x1", local_formulas=("x1", "x0")),
    Op("scale", "Scale", "·{factor}", 1, (Param("factor", 2.0, "y = factor · x"),),
       forward=operator.mul, derivatives=(lambda xs, y, ps: ps[0] * np.ones_like(y),),
       formula="k · x0", local_formulas=("k",)),
    Op("subtract", "Subtract", "−", 2, (), forward=operator.sub,
       derivatives=(_ones, _minus_ones), formula="x0 − x1", local_formulas=("1", "−1")),
    Op("divide", "Divide", "÷", 2, (), forward=_divide,
       derivatives=(lambda xs, y, ps: 1.0 / xs[1],
                    lambda xs, y, ps: -xs[0] / (xs[1] * xs[1])),
       problem=lambda xs, ps: "division by zero" if xs[1] == 0 else None,
       formula="x0 / x1", local_formulas=("1 / x1", "−x0 / x1²")),
    Op("power", "Power", "x^{exponent}", 1, (Param("exponent", 2.0, "y = x^exponent"),),
       forward=_power, derivatives=(_power_derivative,),
       problem=_power_problem, formula="x0^k", local_formulas=("k · x0^(k−1)",)),
    Op("exp", "Exp", "exp", 1, (), forward=_numpy_scalar(np.exp),
       derivatives=(lambda xs, y, ps: y,), formula="exp(x0)", local_formulas=("exp(x0)",)),
    Op("log", "Log", "log", 1, (), forward=_numpy_scalar(np.log),
       derivatives=(_log_derivative,),
       problem=lambda xs, ps: "log of a number ≤ 0" if xs[0] <= 0 else None,
       formula="log(x0)", local_formulas=("1 / x0",)),
    Op("tanh", "Tanh", "tanh", 1, (), forward=math.tanh,
       derivatives=(lambda xs, y, ps: 1.0 - y * y,), formula="tanh(x0)",
       local_formulas=("1 − y²",)),
    Op("sigmoid", "Sigmoid", "σ", 1, (), forward=_sigmoid,
       derivatives=(lambda xs, y, ps: _sigmoid_array(xs[0]) * _sigmoid_array(-xs[0]),),
       formula="σ(x0)", local_formulas=("y · (1 − y)",)),
    Op("relu", "ReLU", "relu", 1, (), forward=_relu,
       derivatives=(_relu_derivative,),
       formula="relu(x0)", local_formulas=("1 if x0 > 0, else 0",)),
    Op("sin", "Sin", "sin", 1, (), forward=_numpy_scalar(np.sin),
       derivatives=(lambda xs, y, ps: np.cos(xs[0]),), formula="sin(x0)",
       local_formulas=("cos(x0)",)),
    Op("cos", "Cos", "cos", 1, (), forward=_numpy_scalar(np.cos),
       derivatives=(lambda xs, y, ps: -np.sin(xs[0]),), formula="cos(x0)",
       local_formulas=("−sin(x0)",)),
]

OPS: dict[str, Op] = {op.name: op for op in _ENTRIES}


def get_op(name: str) -> Op:
    try:
        return OPS[name]
    except KeyError:
        raise KeyError(f"unknown op {name!r} (known: {', '.join(sorted(OPS))})") from None


def known_ops_text() -> str:
    return ", ".join(sorted(OPS))
