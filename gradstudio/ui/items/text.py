"""Long texts on the canvas: measured and drawn cut short with "…", never at full length.

A 10,000-character label must not make a node (or a chip) 80,000 pixels wide,
nor cost milliseconds to measure at every repaint.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF

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
