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


MINUS = "\u2212"  # the typographic minus sign


def shown_number(x: float | None, digits: int = 4) -> str:
    """``format_number`` as the window and its pictures show it: a negative sign (and
    an exponent's) is a real minus sign, −1.5 not -1.5, as in ``·−1`` on a scale
    node. Files, JSON and the command line's tables keep ASCII (``format_number``)."""
    return shown_text(format_number(x, digits))


def shown_text(text: str) -> str:
    """A number's text, like ``format_number``'s or a param's, with a real minus sign."""
    return text.replace("-", MINUS)


def json_number(x: float):
    """Strict JSON has no inf/nan: those become the strings "inf", "-inf", "nan"."""
    x = float(x)
    if math.isfinite(x):
        return x
    if math.isnan(x):
        return "nan"
    return "inf" if x > 0 else "-inf"


def parse_number(text: str, decimal_comma: bool = False) -> float:
    """A finite number typed by a user; ValueError with a readable reason otherwise.

    With ``decimal_comma`` (a locale that writes 1,5) a comma is the decimal mark.
    """
    cleaned = text.strip().replace("\u2212", "-")  # a typographic minus
    if decimal_comma and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"{text.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{text.strip()!r} is not a finite number")
    return value


def editable_text(x: float) -> str:
    """A number in full precision for editing: 5, 0.1, 1e-300 (never locale-formatted)."""
    x = float(x)
    if x.is_integer() and abs(x) < 1e16:
        return str(int(x)) if x != 0 or math.copysign(1, x) > 0 else "-0"
    return repr(x)
