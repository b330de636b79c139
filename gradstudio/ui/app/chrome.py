"""The window around the canvas follows the theme: palette, panels, menus, dialogs.

Dark and high contrast switch the whole application to Qt's Fusion style with a
palette of their own (Fusion draws every widget from the palette, so one palette
darkens docks, menus, toolbars, tables and dialogs alike). Light gives back the
style and palette the platform started with. No application style sheet: a
style sheet would override the palette and fight per-widget sheets (the
teaching panels colour their verdicts with one).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (QApplication, QProxyStyle, QStyle, QStyleFactory, QToolBar,
                               QToolButton)

R = QPalette.ColorRole
G = QPalette.ColorGroup

# Roles by theme; the canvas colours themselves are in theme.py. Dark: the panels a
# shade lighter than the canvas, text as on it, the canvas's sky blue for selection.
DARK = {
    R.Window: "#23272e", R.WindowText: "#e8ebef", R.Base: "#1b1e23",
    R.AlternateBase: "#262a31", R.Text: "#f2f4f7", R.Button: "#2d323a",
    R.ButtonText: "#f2f4f7", R.BrightText: "#ff6e5a", R.Highlight: "#56b4e9",
    R.HighlightedText: "#101215", R.ToolTipBase: "#2a2f37", R.ToolTipText: "#f2f4f7",
    R.PlaceholderText: "#8a929e", R.Link: "#56b4e9", R.LinkVisited: "#cc79a7",
    R.Light: "#3a404a", R.Midlight: "#30353d", R.Mid: "#1f2329", R.Dark: "#15171b",
    R.Shadow: "#0b0c0e",
}
DARK_DISABLED = {R.WindowText: "#7d8591", R.Text: "#7d8591", R.ButtonText: "#7d8591",
                 R.HighlightedText: "#7d8591", R.Highlight: "#3b4350"}

# High contrast: black on white, black frames, the canvas's dark blue for selection;
# disabled text still 7:1 on white.
HIGH_CONTRAST = {
    R.Window: "#ffffff", R.WindowText: "#000000", R.Base: "#ffffff",
    R.AlternateBase: "#f0f0f0", R.Text: "#000000", R.Button: "#ffffff",
    R.ButtonText: "#000000", R.BrightText: "#b00000", R.Highlight: "#0033cc",
    R.HighlightedText: "#ffffff", R.ToolTipBase: "#ffffff", R.ToolTipText: "#000000",
    R.PlaceholderText: "#595959", R.Link: "#0033cc", R.LinkVisited: "#5a0099",
    R.Light: "#ffffff", R.Midlight: "#ffffff", R.Mid: "#000000", R.Dark: "#000000",
    R.Shadow: "#000000",
}
HC_DISABLED = {R.WindowText: "#595959", R.Text: "#595959", R.ButtonText: "#595959",
               R.HighlightedText: "#ffffff", R.Highlight: "#595959"}

PALETTES = {"dark": (DARK, DARK_DISABLED), "high-contrast": (HIGH_CONTRAST, HC_DISABLED)}

_original: tuple[str, QPalette] | None = None  # the platform's style name and palette
_dressed = None  # the ChevronStyle in use (a Python reference keeps it alive)


def chevron_icon(color: QColor, vertical: bool = False) -> QIcon:
    """The toolbar's » (more tools) drawn in ``color``: two bold chevrons that read on
    any background the palette gives the button (Fusion's own is a faint grey
    picture, lost on a dark toolbar)."""
    icon = QIcon()
    for size in (16, 24, 32, 48):
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(color, max(1.6, size / 8), Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin))
        u = size / 16
        for dx in (3.0, 8.0):
            points = [QPointF((dx) * u, 4 * u), QPointF((dx + 4) * u, 8 * u),
                      QPointF(dx * u, 12 * u)]
            if vertical:
                points = [QPointF(p.y(), p.x()) for p in points]
            painter.drawPolyline(points)
        painter.end()
        icon.addPixmap(pixmap)
    return icon


class ChevronStyle(QProxyStyle):
    """Fusion, with the toolbars' extension button (») drawn in the theme's button
    text colour: visible in dark and high contrast."""

    def __init__(self, color: QColor) -> None:
        super().__init__(QStyleFactory.create("Fusion"))
        self.color = QColor(color)
        self._icons = {False: chevron_icon(self.color), True: chevron_icon(self.color, True)}

    def standardIcon(self, standard_icon, option=None, widget=None):
        if standard_icon == QStyle.SP_ToolBarHorizontalExtensionButton:
            return self._icons[False]
        if standard_icon == QStyle.SP_ToolBarVerticalExtensionButton:
            return self._icons[True]
        return super().standardIcon(standard_icon, option, widget)


def window_palette(name: str) -> QPalette | None:
    """The palette of theme ``name``; None for light (the platform's own)."""
    if name not in PALETTES:
        return None
    roles, disabled = PALETTES[name]
    palette = QPalette()
    for role, color in roles.items():
        palette.setColor(role, QColor(color))
    for role, color in disabled.items():
        palette.setColor(G.Disabled, role, QColor(color))
    return palette


def apply(name: str, app: QApplication | None = None) -> None:
    """Dress every window of the application for theme ``name``."""
    global _original
    app = app or QApplication.instance()
    if app is None:
        return
    if _original is None:
        _original = (app.style().name(), QPalette(app.palette()))
    global _dressed
    palette = window_palette(name)
    if palette is None:
        style, palette = _original
        if _dressed is not None or app.style().name().lower() != style.lower():
            app.setStyle(style)
            _dressed = None
    else:
        # A new style each time (its » in this theme's colour): setting it makes
        # every toolbar fetch its extension button's icon again.
        _dressed = ChevronStyle(palette.color(R.ButtonText))
        app.setStyle(_dressed)
    app.setPalette(palette)
    _dress_extension_buttons(app)
    # Qt hands the new palette to the widgets in posted events: deliver them now, so
    # the whole window has changed when the theme action returns.
    QApplication.sendPostedEvents(None, QEvent.ApplicationPaletteChange)


def _dress_extension_buttons(app: QApplication) -> None:
    """Toolbars made before the theme changed keep the » icon they were given when
    made (Qt fetches it from the style only then): hand them the current one."""
    style = app.style()
    for toolbar in app.allWidgets():
        if not isinstance(toolbar, QToolBar):
            continue
        for button in toolbar.children():  # (Qt's own button, by the name Qt gives it)
            if not (isinstance(button, QToolButton)
                    and button.objectName() == "qt_toolbar_ext_button"):
                continue
            which = (QStyle.SP_ToolBarHorizontalExtensionButton
                     if toolbar.orientation() == Qt.Horizontal
                     else QStyle.SP_ToolBarVerticalExtensionButton)
            button.setIcon(style.standardIcon(which, None, toolbar))
