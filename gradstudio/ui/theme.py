"""Colours, fonts and sizes of the canvas, in one place.

The annotation colours come from the Okabe–Ito palette, which stays
distinguishable with colour-blindness; kinds also differ by more than colour
(values above a wire, gradients below it with an arrow, locals named ∂v/∂u).

Three looks (View → Theme): light, dark and high-contrast. ``THEME`` is one
object changed in place by ``THEME.apply(name)``, so every item reads the current
look when it paints; the scene re-renders its items after a change.
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
    "chip_fill": (255, 255, 255, 255),
}

# Dark canvas, light text. Annotation colours are the Okabe–Ito hues that read on
# dark grey: sky blue for locals, orange for gradients, bluish green for tangents.
DARK = {
    "background": "#1b1e23",
    "grid": "#262a31",
    "node_fill": "#2a2f37",
    "input_fill": "#3a3426",
    "node_border": "#a3adba",
    "selected": "#56b4e9",
    "output_border": "#cc79a7",
    "error": "#ff6e5a",
    "header_text": "#f2f4f7",
    "symbol": "#c9d0d9",
    "wire": "#8d96a3",
    "wire_active": "#56b4e9",
    "port_fill": "#1b1e23",
    "port_accept": "#009e73",
    "value": "#f2f4f7",
    "local": "#56b4e9",
    "grad": "#e69f00",
    "tangent": "#2fc59b",
    "pending": "#8a929e",
    "chip_fill": (27, 30, 35, 255),
}

# Black on white, thick lines, bold text: kinds differ by place, glyph and frame
# (values first above the wire, locals as ∂v/∂u = … under them, gradients below
# with ← in a framed chip), not by colour. Selection and steps are dark blue.
HIGH_CONTRAST = {
    "background": "#ffffff",
    "grid": "#e4e4e4",
    "node_fill": "#ffffff",
    "input_fill": "#ffffff",
    "node_border": "#000000",
    "selected": "#0033cc",
    "output_border": "#000000",
    "error": "#b00000",
    "header_text": "#000000",
    "symbol": "#000000",
    "wire": "#000000",
    "wire_active": "#0033cc",
    "port_fill": "#ffffff",
    "port_accept": "#0033cc",
    "value": "#000000",
    "local": "#000000",
    "grad": "#000000",
    "tangent": "#000000",
    "pending": "#595959",
    "chip_fill": (255, 255, 255, 255),
}

THEMES = {"light": LIGHT, "dark": DARK, "high-contrast": HIGH_CONTRAST}
# Per theme: every text bold, and the factor on every line width.
STYLES = {"light": (False, 1.0), "dark": (False, 1.0), "high-contrast": (True, 2.0)}


NUMBER_SCALE = 0.9  # the chips' numbers: 0.9 × the base font (items/edge.py ChipItem)


CHIP_FRAME_ALPHA = 90  # a value chip's frame: the wire's colour, faint


class Theme:
    """A look of the canvas: colours by role, and the font."""

    font_family = "DejaVu Sans"
    font_size = 10.0  # points, at Text Size 100 %
    #: View → Text Size as a factor (1 to 3): every canvas font is this many times
    #: its size. Items measure their texts through THEME, so after a change the
    #: scene relayouts them (``GraphScene.apply_look``): boxes and chips grow.
    text_scale = 1.0

    def __init__(self, colors: dict = LIGHT) -> None:
        self.name = "light"
        self.all_bold = False  # high contrast: every text bold
        self.line = 1.0  # factor on line widths (high contrast: 2)
        self._set_colors(colors)

    def _set_colors(self, colors: dict) -> None:
        for role, value in colors.items():
            setattr(self, role, QColor(*value) if isinstance(value, tuple) else QColor(value))
        # A value chip's faint frame, in the wire's colour; and the same frame as it
        # looks over the chip's opaque fill (painted opaque: see ChipItem._paint_patch).
        # Worked out once a theme, not at each of hundreds of chips a repaint.
        self.chip_frame = QColor(self.wire)
        self.chip_frame.setAlpha(CHIP_FRAME_ALPHA)
        a, over, under = CHIP_FRAME_ALPHA / 255, self.chip_frame, self.chip_fill
        self.chip_frame_opaque = QColor.fromRgbF(
            *(a * o + (1 - a) * u for o, u in ((over.redF(), under.redF()),
                                               (over.greenF(), under.greenF()),
                                               (over.blueF(), under.blueF()))))

    def apply(self, name: str) -> None:
        """Switch to the look ``name`` (a key of THEMES), in place."""
        if name not in THEMES:
            raise ValueError(f"unknown theme {name!r} (known: {', '.join(THEMES)})")
        self.name = name
        self._set_colors(THEMES[name])
        self.all_bold, self.line = STYLES[name]

    def wire_line(self) -> float:
        """The factor on wire widths: the theme's, thickened modestly with the text
        size (1.4 at 200 %, 1.8 at 300 %), so wires do not look like hairlines next
        to big numbers. (At most 1.8: a lit wire's half width stays within the 6 px
        its item's box keeps around the curve, even in high contrast.)"""
        return self.line * (1.0 + 0.4 * (min(self.text_scale, MAX_TEXT_SCALE) - 1.0))

    def set_text_scale(self, factor: float) -> None:
        """View → Text Size: every canvas font ``factor`` times its 100 % size."""
        factor = float(factor)
        if not MIN_TEXT_SCALE <= factor <= MAX_TEXT_SCALE:
            raise ValueError(f"text size {factor * 100:g} % is outside "
                             f"{MIN_TEXT_SCALE * 100:g}–{MAX_TEXT_SCALE * 100:g} %")
        self.text_scale = factor

    def font(self, scale: float = 1.0, bold: bool = False, italic: bool = False) -> QFont:
        """The canvas font ``scale`` times the base size, at the current text size."""
        bold = bold or self.all_bold
        key = (self.font_family, self.font_size, self.text_scale, scale, bold, italic)
        font = _FONTS.get(key)
        if font is None:
            font = QFont(self.font_family)
            font.setPointSizeF(self.font_size * self.text_scale * scale)
            font.setBold(bold)
            font.setItalic(italic)
            _FONTS[key] = font
        return QFont(font)  # a copy (cheap, shared data): the caller may change it

    def base_font(self, scale: float = 1.0, bold: bool = False) -> QFont:
        """The canvas font at 100 %, whatever the text size: for pictures of a fixed
        size (the palette's icons)."""
        font = QFont(self.font_family)
        font.setPointSizeF(self.font_size * scale)
        font.setBold(bold or self.all_bold)
        return font

    def metrics(self, scale: float = 1.0, bold: bool = False,
                italic: bool = False) -> QFontMetricsF:
        """The font's metrics, made once: building a QFontMetricsF is not free."""
        bold = bold or self.all_bold
        key = (self.font_family, self.font_size, self.text_scale, scale, bold, italic)
        metrics = _METRICS.get(key)
        if metrics is None:
            metrics = _METRICS[key] = QFontMetricsF(self.font(scale, bold, italic))
        return metrics

    def text_width(self, text: str, scale: float = 1.0, bold: bool = False,
                   italic: bool = False) -> float:
        """``horizontalAdvance`` of ``text``, remembered: a big graph repeats its texts."""
        bold = bold or self.all_bold
        key = (self.font_family, self.font_size, self.text_scale, scale, bold, italic, text)
        width = _WIDTHS.get(key)
        if width is None:
            if len(_WIDTHS) > 100_000:
                _WIDTHS.clear()
            width = _WIDTHS[key] = self.metrics(scale, bold, italic).horizontalAdvance(text)
        return width


def number_px(scale: float = NUMBER_SCALE) -> float:
    """The pixel size (em) of the canvas font ``scale`` at the current text size, on
    the screen at 100 % zoom: what Fit View keeps readable (see GraphView.fit)."""
    from PySide6.QtGui import QGuiApplication
    screen = QGuiApplication.primaryScreen()
    dpi = screen.logicalDotsPerInchY() if screen is not None else 96.0
    return THEME.font(scale).pointSizeF() * dpi / 72.0


_FONTS: dict[tuple, QFont] = {}
_METRICS: dict[tuple, QFontMetricsF] = {}
_WIDTHS: dict[tuple, float] = {}


THEME = Theme()

MIN_TEXT_SCALE, MAX_TEXT_SCALE = 1.0, 3.0  # View → Text Size: 100 to 300 %
NODE_MIN_WIDTH = 120.0
HEADER_HEIGHT = 24.0
LINE_HEIGHT = 18.0
PORT_RADIUS = 6.0
