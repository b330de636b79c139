"""Colours, fonts and sizes of the canvas, in one place.

The annotation colours come from the Okabe–Ito palette, which stays
distinguishable with colour-blindness; kinds also differ by more than colour
(values above a wire, gradients below it with an arrow, locals named ∂v/∂u).
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontMetricsF


LIGHT = {
    "background": "#ffffff",
    "grid": "#eef0f3",
    "node_fill": "#f7f9fc",
    "input_fill": "#fff8e6",
    "node_border": "#5b6573",
    "selected": "#0072b2",
    "output_border": "#cc79a7",
    "error": "#d00000",
    "header_text": "#1d2330",
    "symbol": "#3b4350",
    "wire": "#6b7380",
    "wire_active": "#0072b2",
    "port_fill": "#ffffff",
    "port_accept": "#009e73",
    "value": "#1d2330",
    "local": "#0061a0",
    "grad": "#c14f00",
    "tangent": "#00795a",
    "pending": "#9aa1ab",
    "chip_fill": (255, 255, 255, 235),
}


class Theme:
    """A look of the canvas: colours by role, and the font."""

    font_family = "DejaVu Sans"
    font_size = 10.0

    def __init__(self, colors: dict = LIGHT) -> None:
        for role, value in colors.items():
            setattr(self, role, QColor(*value) if isinstance(value, tuple) else QColor(value))

    def font(self, scale: float = 1.0, bold: bool = False, italic: bool = False) -> QFont:
        key = (self.font_family, self.font_size, scale, bold, italic)
        font = _FONTS.get(key)
        if font is None:
            font = QFont(self.font_family)
            font.setPointSizeF(self.font_size * scale)
            font.setBold(bold)
            font.setItalic(italic)
            _FONTS[key] = font
        return QFont(font)  # a copy (cheap, shared data): the caller may change it

    def metrics(self, scale: float = 1.0, bold: bool = False,
                italic: bool = False) -> QFontMetricsF:
        """The font's metrics, made once: building a QFontMetricsF is not free."""
        key = (self.font_family, self.font_size, scale, bold, italic)
        metrics = _METRICS.get(key)
        if metrics is None:
            metrics = _METRICS[key] = QFontMetricsF(self.font(scale, bold, italic))
        return metrics

    def text_width(self, text: str, scale: float = 1.0, bold: bool = False,
                   italic: bool = False) -> float:
        """``horizontalAdvance`` of ``text``, remembered: a big graph repeats its texts."""
        key = (self.font_family, self.font_size, scale, bold, italic, text)
        width = _WIDTHS.get(key)
        if width is None:
            if len(_WIDTHS) > 100_000:
                _WIDTHS.clear()
            width = _WIDTHS[key] = self.metrics(scale, bold, italic).horizontalAdvance(text)
        return width


_FONTS: dict[tuple, QFont] = {}
_METRICS: dict[tuple, QFontMetricsF] = {}
_WIDTHS: dict[tuple, float] = {}


THEME = Theme()

NODE_MIN_WIDTH = 120.0
HEADER_HEIGHT = 24.0
LINE_HEIGHT = 18.0
PORT_RADIUS = 6.0
