"""Long texts on the canvas: measured and drawn cut short with "…", never at full length.

A 10,000-character label must not make a node (or a chip) 80,000 pixels wide,
nor cost milliseconds to measure at every repaint.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontMetricsF, QStaticText

CLIP = 300  # characters measured at most: more never fit in a node or a chip


def clip(text: str, middle: bool = False) -> str:
    """At most CLIP characters (with "…"), so measuring and eliding stay cheap.

    ``middle`` keeps both ends (a gradient's total is at the end of its text).
    """
    if len(text) <= CLIP:
        return text
    half = CLIP // 2
    return text[:half] + "…" + text[-half:] if middle else text[:CLIP] + "…"


def elided(text: str, font, width: float, mode=Qt.ElideRight) -> str:
    """``text`` shortened with "…" to fit ``width`` pixels in ``font``."""
    text = clip(text, middle=mode == Qt.ElideMiddle)
    return QFontMetricsF(font).elidedText(text, mode, max(0.0, width))


def placed_text(text: str, font, x: float, y: float, color) -> tuple:
    """A text laid out once for painting often: its top-left at (x, y).

    QStaticText keeps the glyph layout, so a repaint (a pan, an update) only draws
    glyphs; ``drawText`` into a rectangle would lay the text out at every paint.
    """
    static = QStaticText(text)
    static.setTextFormat(Qt.PlainText)
    return QPointF(x, y), static, font, color


def draw_texts(painter, placed) -> None:
    """Draw texts made by ``placed_text``."""
    for point, static, font, color in placed:
        painter.setFont(font)
        painter.setPen(color)
        painter.drawStaticText(point, static)


class LaidOut:
    """An item whose texts are laid out once for painting (``_layout`` makes them;
    ``_drawn`` is None until then, and again once its content changes): painting,
    and laying out ahead while the window idles (``large/ahead``), then only draw."""

    _drawn = None

    def laid_out(self) -> list:
        """The texts laid out for painting, made once for this content."""
        if self._drawn is None:
            self._drawn = self._layout()
        return self._drawn

    def texts_laid_out(self):
        """The texts as last laid out, or None: to be laid out when next painted."""
        return self._drawn
