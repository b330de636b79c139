"""How numbers read on screen, in tables and in strict JSON."""

from __future__ import annotations

import math


def format_number(x: float | None, digits: int = 4) -> str:
    """Significant digits without float noise: 33, 0.5, 1.2e-05, -3, inf, nan."""
    if x is None:
        return "–"
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"  # -0.0 reads as 0 on screen; files keep the sign
    return f"{x:.{digits}g}"


def json_number(x: float):
    """Strict JSON has no inf/nan: those become the strings "inf", "-inf", "nan"."""
    x = float(x)
    if math.isfinite(x):
        return x
    if math.isnan(x):
        return "nan"
    return "inf" if x > 0 else "-inf"
