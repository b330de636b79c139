"""The tabs under the docks (Check, Paths, Forward mode, Explanation) all in sight.

QMainWindow makes a tab bar for each group of tabbed docks, as wide as the dock
column. At Text Size 200 % and 300 % the four names at the text size no longer fit
it (551 and 777 px of a 346 px column): Qt scrolled them, "ward mode | Explanation
◂▸", and a lecturer could not see Check and Paths.

Decision, the first of these that fits the bar's width:

1. the full names at the text size (100 %, or a column dragged wide);
2. shorter names that keep the first word ("Forward" for Forward mode, "Explain"
   for Explanation; ``SHORT``) at the text size;
3. the shorter names in the biggest font that fits, never under the 100 % font.
   At 200 % and 300 % in a 1280 × 800 window this is what happens: all four tabs
   in sight, their text about 1.5 and 2 times the 100 % size (the full names
   would fit only at 1.1 and 1.4 times: too small next to the panels' text);
4. under that (a column dragged very narrow), elided at the end.

The full name is each tab's tooltip, and the dock's own title bar over the panel
keeps it. The tabs' texts themselves stay the docks' titles (Qt gives a tab its
dock's title back at each layout of the dock area): the bar's style (``_Short``)
draws and measures the shorter name instead.

Each bar is fitted again when its width changes (the column dragged, a dock
re-tabbed) and at each text size (``fit_all``, from ``textsize.scale_panels``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle, QStyleOptionTab, QTabBar

#: Shorter tab names, each keeping its full name's first word (or its stem).
SHORT = {"Forward mode": "Forward", "Explanation": "Explain"}
_WATCHED = "docktabs_watched"
_SHORTENED = "docktabs_short"  # the bar draws the shorter names


def shown_text(bar: QTabBar, index: int) -> str:
    """The name tab ``index`` shows: its dock's title, or the shorter one."""
    text = bar.tabText(index)
    return SHORT.get(text, text) if bar.property(_SHORTENED) else text


class _Short(QProxyStyle):
    """The application's style, but a dock tab bar set to shorten draws and measures
    each tab with its shorter name."""

    def sizeFromContents(self, kind, option, size, widget=None):
        if (kind == QStyle.CT_TabBarTab and isinstance(option, QStyleOptionTab)
                and widget is not None and widget.property(_SHORTENED)
                and option.text in SHORT):
            metrics = widget.fontMetrics()
            less = (metrics.horizontalAdvance(option.text)
                    - metrics.horizontalAdvance(SHORT[option.text]))
            size = QSize(size.width() - less, size.height())
        return super().sizeFromContents(kind, option, size, widget)

    def drawControl(self, element, option, painter, widget=None):
        if (element == QStyle.CE_TabBarTabLabel and isinstance(option, QStyleOptionTab)
                and widget is not None and widget.property(_SHORTENED)
                and option.text in SHORT):
            option = QStyleOptionTab(option)
            option.text = SHORT[option.text]
        super().drawControl(element, option, painter, widget)


def bars(window) -> list[QTabBar]:
    """The main window's tab bars of tabbed docks (not a panel's own tabs)."""
    return [bar for bar in window.findChildren(QTabBar)
            if bar.parentWidget() is window and bar.count()]


_floor: QFont | None = None  # the smallest tab font: the application's at 100 %


def fit_all(window, floor: QFont) -> None:
    """Every dock tab bar of ``window`` fitted to its width (and watched from now on),
    its font never under ``floor``."""
    global _floor
    _floor = QFont(floor)
    for bar in bars(window):
        if not bar.property(_WATCHED):
            bar.setProperty(_WATCHED, True)
            bar.installEventFilter(_Watcher(bar))
            style = _Short(QApplication.style().name())
            style.setParent(bar)
            bar.setStyle(style)
        fit(bar)


def needed(bar: QTabBar, font: QFont, short: bool) -> int:
    """The width of ``bar``'s tabs drawn in ``font`` with their full or shorter names:
    the style's tab size for each name as shown now, plus the difference of the
    texts' widths."""
    now, then = bar.fontMetrics(), QFontMetrics(font)
    total = 0
    for i in range(bar.count()):
        full = bar.tabText(i).replace("&", "")
        wanted = SHORT.get(full, full) if short else full
        total += (bar.tabSizeHint(i).width() - now.horizontalAdvance(shown_text(bar, i))
                  + then.horizontalAdvance(wanted))
    return total


def fit(bar: QTabBar) -> None:
    """``bar``'s tabs within its width (see the module's notes)."""
    for i in range(bar.count()):
        if bar.tabToolTip(i) != bar.tabText(i):
            bar.setTabToolTip(i, bar.tabText(i))
    room = bar.width()
    font = QApplication.font()
    chosen, short = None, False
    if needed(bar, font, False) > room:
        short = True
        if needed(bar, font, True) > room:
            low, size = _size(_floor or font), _size(font)
            step = 1 if font.pointSizeF() <= 0 else 0.5
            while size > low:
                size = max(low, size - step)
                if needed(bar, _sized(font, size), True) <= room:
                    break
            chosen = _sized(font, size)
    if bool(bar.property(_SHORTENED)) != short:
        bar.setProperty(_SHORTENED, short)
        QApplication.sendEvent(bar, QEvent(QEvent.StyleChange))  # measured again
    if chosen is None:
        if bar.testAttribute(Qt.WA_SetFont):
            bar.setFont(QFont())  # the application's font again, following it
    elif bar.font() != chosen or not bar.testAttribute(Qt.WA_SetFont):
        bar.setFont(chosen)
    fits = needed(bar, bar.font(), short) <= room
    mode = Qt.ElideNone if fits else Qt.ElideRight
    if bar.elideMode() != mode:
        bar.setElideMode(mode)
    # Scroll buttons stay allowed so that the bar never asks for more width than the
    # column has (without them its minimum is all its tabs: the column widened); as
    # fitted, the tabs leave them no reason to show.
    if not bar.usesScrollButtons():
        bar.setUsesScrollButtons(True)


def _size(font: QFont) -> float:
    return font.pointSizeF() if font.pointSizeF() > 0 else float(font.pixelSize())


def _sized(font: QFont, size: float) -> QFont:
    font = QFont(font)
    if font.pointSizeF() > 0:
        font.setPointSizeF(size)
    else:
        font.setPixelSize(max(1, round(size)))
    return font


class _Watcher(QObject):
    """Fits its bar again when its width changed or a tab joined it."""

    def __init__(self, bar: QTabBar) -> None:
        super().__init__(bar)
        self.bar = bar
        self.pending = False
        self.shape = None

    def eventFilter(self, watched, event) -> bool:
        if event.type() in (QEvent.Resize, QEvent.LayoutRequest, QEvent.Show):
            shape = (self.bar.width(), [self.bar.tabText(i) for i in range(self.bar.count())])
            if shape != self.shape and not self.pending:
                self.pending = True
                # Bound to the watcher, a child of the bar: dropped if the bar goes
                # first (a restored window layout replaces the docks' tab bars).
                QTimer.singleShot(0, self, self._fit)
        return False

    def _fit(self) -> None:
        self.pending = False
        self.shape = (self.bar.width(), [self.bar.tabText(i) for i in range(self.bar.count())])
        fit(self.bar)
