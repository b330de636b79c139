"""Op icons drawn from their symbols, so every registered op has one."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPen, QPixmap

from gradstudio.core.ops import OPS
from gradstudio.ui.theme import THEME


def op_icon(name: str, size: int = 32) -> QIcon:
    """The icon in the current theme's colours (the palette redraws on a theme change)."""
    return _op_icon(name, size, THEME.name)


@lru_cache(maxsize=None)
def _op_icon(name: str, size: int, _theme: str) -> QIcon:
    op = OPS[name]
    text = {"input": "x", "scale": "·k", "power": "xᵏ"}.get(name, op.symbol)
    pixmap = QPixmap(size * 2, size * 2)  # drawn at 2x for HiDPI screens
    pixmap.setDevicePixelRatio(2.0)
    pixmap.fill(Qt.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.Antialiasing)
    fill = THEME.input_fill if name == "input" else THEME.node_fill
    painter.setPen(QPen(THEME.node_border, 1.2))
    painter.setBrush(fill)
    painter.drawRoundedRect(QRectF(1.5, 1.5, size - 3, size - 3), 6, 6)
    font = THEME.base_font(1.3 if len(text) <= 2 else 0.75, bold=True)  # a fixed-size picture
    painter.setFont(font)
    painter.setPen(QColor(THEME.symbol))
    painter.drawText(QRectF(0, 0, size, size), Qt.AlignCenter, text)
    painter.end()
    return QIcon(pixmap)
