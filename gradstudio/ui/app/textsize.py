"""View → Text Size: bigger canvas fonts (boxes and chips grow to fit) and side panels.

The canvas reads its fonts from ``THEME`` (``THEME.text_scale``), so a change is
a relayout of every item: nodes measure their texts again and grow, their drawn
positions spread by the size (``GraphScene.scene_point``: the chips need gaps as
big as they are), wires follow their ports, chips are measured and placed again
(``GraphScene.apply_look``). The view's zoom is left alone (the graph point in its
middle stays there), and Fit View keeps the texts at least 7 px × the size high
on screen (``GraphView.fit``).

The whole window follows (``scale_application``): the application's font times the
size, for the menus, toolbars, formula field, status bar and dialogs.
The dock panels follow: each dock gets the application font times the size, and
so do its widgets that set a font of their own (a big number, the explanation's
text), from the size they had at 100 %. Tables keep their rows and columns fitted.
Each dock's title bar is laid out at once for its new font (else it is painted
half cut), and back at 100 % the docks take again the width they had there.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QFont, QFontInfo, QFontMetrics
from PySide6.QtWidgets import (QApplication, QComboBox, QDockWidget, QListWidget, QMenu,
                               QTableView, QWidget)

from gradstudio.ui.app import docktabs
from gradstudio.ui.theme import THEME

_BASE = "textsize_base"  # a widget's own font size at 100 % (points, or -pixels)
_TABLE = "textsize_table"  # a table's row height and font height at 100 %
_SHOWN = "textsize_px"  # the pixel size a table's columns were last fitted to
_FOLLOWS = "textsize_follows"  # a styled widget given its parent's font at each change
_SCALED = "textsize_factor"  # the size a dock was last given
#: Above 100 % the right column of docks (Properties, Explanation, Check, Paths,
#: Forward mode) is made no wider than this share of the window when the size is
#: chosen: at 200 % their bigger texts had widened it to 465 of 1280 pixels, and
#: the canvas, where the numbers are, kept 637. Their texts wrap (Check all's table
#: stacks its rows); the user can still drag the column wider, and that is kept.
RIGHT_SHARE = 0.27


class TextSize:
    """One window's text size, and the docks' widths at 100 % to come back to."""

    def __init__(self, window) -> None:
        self.window = window
        self.widths_at_100: dict = {}  # dock area: width
        self._new_docks: _NewDocks | None = None

    def apply(self, factor: float) -> None:
        """Canvas and panels at ``factor`` (1 to 3) times their 100 % text size."""
        window = self.window
        if THEME.text_scale == 1 and factor != 1 and window.isVisible():
            self.widths_at_100 = _widths(window)  # to come back to
        view = window.view  # the graph's point in the middle of it stays there
        middle = view.mapToScene(view.viewport().rect().center())
        middle = window.scene.model_point(middle.x(), middle.y())
        THEME.set_text_scale(factor)
        window.scene.apply_look()  # every item measured again and spread: boxes, wires, chips
        view.centerOn(*window.scene.scene_point(*middle))
        note_own_sizes(window)  # before the application's font changes under them
        scale_application(factor)  # menus, toolbars, the formula field, status bar, dialogs
        hook_menus(window.findChildren(QMenu))  # menus sized to their texts
        scale_panels(window, factor)
        forget_size_hints(window)  # in the panels' new fonts, before their widths are fitted
        _fit_widths(window, factor, self.widths_at_100)
        if self._new_docks is None:  # docks made later follow too
            self._new_docks = _NewDocks(window, self.settle_shown)
            window.installEventFilter(self._new_docks)
        # The saved size is applied while the window is made, before it is shown and
        # laid out: the docks cannot be widened yet, and the Nodes palette, squeezed,
        # shrank its names. Done again once the window is on screen.
        self._new_docks.after_show = not window.isVisible() and factor != 1

    def settle_shown(self) -> None:
        """The panels and the docks' widths at the size, for the window as shown;
        the menus made after the saved size was applied (Teach → Quiz, made later in
        the window's making) sized to their texts too: at 300 % its first entry read
        "Set …uiz…"."""
        window, factor = self.window, THEME.text_scale
        hook_menus(window.findChildren(QMenu))
        scale_panels(window, factor)
        _fit_widths(window, factor, self.widths_at_100)
        palette = getattr(window, "palette", None)
        if hasattr(palette, "fit_icons"):
            palette.fit_icons()
        bar = getattr(window, "formula_bar", None)  # its field's width is a share of the window's
        if hasattr(bar, "_fit_field"):
            bar._fit_field()


def forget_size_hints(window) -> None:
    """Drop the sizes Qt keeps for the drop-down lists (combo boxes) measured at the
    old text size. A combo box forgets its minimum size on a change of style, not of
    font: after a theme chosen at 300 %, the Check and Paths panels' input lists
    stayed 50 px tall at 100 %. A style change tells it to measure again."""
    for combo in window.findChildren(QComboBox):
        QApplication.sendEvent(combo, QEvent(QEvent.StyleChange))


class _NewDocks(QObject):
    """Scales the panels again when a dock joins the window (the Explanation dock is
    made after the saved text size is applied; its contents after the dock)."""

    def __init__(self, window, settle_shown) -> None:
        super().__init__(window)
        self.window = window
        self.settle_shown = settle_shown
        self.pending = False
        self.after_show = False  # the size was applied to a window not yet shown

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Show and watched is self.window and self.after_show:
            self.after_show = False
            QTimer.singleShot(0, self.settle_shown)
        # (A child is added while it is made: what it will be is known a turn later.)
        if event.type() == QEvent.ChildAdded:
            hook_menus([event.child()])  # a context menu made now
        if event.type() == QEvent.ChildAdded and not self.pending:
            self.pending = True
            QTimer.singleShot(0, self._rescale)
        return False

    def _rescale(self) -> None:
        self.pending = False
        factor = THEME.text_scale
        if any(dock.property(_SCALED) != factor
               for dock in self.window.findChildren(QDockWidget)):
            scale_panels(self.window, factor)
        else:  # a tab bar made by a dock tabbed now
            _tabs_whole(self.window)


def scaled(font: QFont, factor: float, base: float | None = None) -> QFont:
    """``font`` at ``factor`` times ``base`` (its own size when None): points if it
    has a point size, else pixels (stored negative in ``base``)."""
    font = QFont(font)
    if base is None:
        base = font.pointSizeF() if font.pointSizeF() > 0 else -float(font.pixelSize())
    if base > 0:
        font.setPointSizeF(base * factor)
    else:
        font.setPixelSize(max(1, round(-base * factor)))
    return font


_app_font_at_100: QFont | None = None  # the application's font before any size


def app_font_at_100() -> QFont:
    """The application's font at 100 % (noted before the first change)."""
    global _app_font_at_100
    if _app_font_at_100 is None:
        _app_font_at_100 = QFont(QApplication.font())
    return QFont(_app_font_at_100)


def scale_application(factor: float) -> None:
    """The whole application's font at ``factor`` times its 100 % size: every widget
    without a font of its own follows (menu bar and menus, toolbars, the formula
    field, the status bar, dock tabs, message boxes and file dialogs); at 100 % the
    platform's font comes back as it was."""
    base = app_font_at_100()
    QApplication.setFont(base if factor == 1 else scaled(base, factor))
    # Qt hands the font to the widgets in posted events: deliver them now, so the
    # window has its new size when the action returns.
    QApplication.sendPostedEvents(None, QEvent.ApplicationFontChange)


def _own_size(font: QFont) -> float:
    return font.pointSizeF() if font.pointSizeF() > 0 else -float(font.pixelSize())


_MENU_HOOKED = "textsize_menu"


def hook_menus(widgets) -> None:
    """Menus as wide as their texts at every text size.

    Fusion sizes a menu item with a check column of fixed width but draws it in one
    that grows with the row's height, so at a big font the text gets less room than
    it was measured for and is elided: the Text Size submenu read "1…%" at 300 %.
    Just before each menu opens (aboutToShow, before Qt sizes it) it is made wider
    (``widen``). Every menu of ``widgets`` is hooked once; the window's menus made
    later (a context menu) are hooked as they join it (``_NewDocks``).
    """
    for menu in widgets:
        if isinstance(menu, QMenu) and not menu.property(_MENU_HOOKED):
            menu.setProperty(_MENU_HOOKED, True)
            menu.aboutToShow.connect(lambda menu=menu: widen(menu))
            menu.installEventFilter(_ON_SCREEN)


class _OnScreen(QObject):
    """Moves a menu that opens past its screen's right edge back onto it. Qt places
    a menu by the width it measured, before ``widen`` makes it wider: at 300 % the
    Teach menu opened at x 350, 952 px wide, and its shortcuts ran off a 1,280 px
    screen ("Ctrl+Shift+K" cut)."""

    def eventFilter(self, menu, event) -> bool:
        if event.type() == QEvent.Show and isinstance(menu, QMenu) and menu.screen():
            room, box = menu.screen().availableGeometry(), menu.geometry()
            if box.right() > room.right():
                menu.move(max(room.left(), room.right() + 1 - box.width()), box.top())
        return False


_ON_SCREEN = _OnScreen()


def widen(menu: QMenu) -> None:
    """``menu`` one row height wider than Qt measures it above 100 % (see hook_menus).

    Measured afresh each time: Qt lays a menu's items out to at least its minimum
    width and keeps that layout until its font or style changes, so the width set at
    300 % stayed (the View menu 578 px wide at 100 % after choosing 100 % in it) and
    grew on every opening. Clearing the minimum and telling the menu its font changed
    makes it lay its items out again for the font it has now (``measured``)."""
    base = measured(menu)
    if THEME.text_scale <= 1:
        return
    row = QFontMetrics(menu.font()).height() + 8
    menu.setMinimumWidth(base + row)


def measured(menu: QMenu) -> int:
    """``menu``'s width as Qt measures its items now, a widening before undone."""
    if menu.minimumWidth() > 0:  # widened before: its items' layout is stale
        menu.setMinimumWidth(0)
        QApplication.sendEvent(menu, QEvent(QEvent.FontChange))
    return menu.sizeHint().width()


def scale_panels(window, factor: float) -> None:
    """Every dock (title, labels, tables, lists) at ``factor`` times the 100 % size."""
    dock_font = _dock_font(scaled(app_font_at_100(), factor))
    note_own_sizes(window)
    for dock in window.findChildren(QDockWidget):
        children = dock.findChildren(QWidget)  # parents before their children
        own = _own_fonts(children)
        for table in dock.findChildren(QTableView):
            if table.property(_TABLE) is None:
                table.setProperty(_TABLE, [float(table.verticalHeader().defaultSectionSize()),
                                           float(table.fontMetrics().height())])
                table.setProperty(_SHOWN, float(table.fontInfo().pixelSize()))
        dock.setFont(dock_font)
        dock.setProperty(_SCALED, factor)
        for widget in own:
            widget.setFont(scaled(widget.font(), factor, float(widget.property(_BASE))))
        for widget in children:
            # A style sheet (a verdict's colour and weight) pins a label's font to
            # what it was: given the parent's, it keeps the sheet's weight.
            if widget.property(_FOLLOWS) or (widget.styleSheet()
                                             and not widget.testAttribute(Qt.WA_SetFont)):
                widget.setProperty(_FOLLOWS, True)
                widget.setFont(widget.parentWidget().font())
        for table in dock.findChildren(QTableView):
            _refit(table)
        _title_now(dock)
    _tabs_whole(window)


def note_own_sizes(window) -> None:
    """The size at 100 % of each dock widget with a font of its own (it keeps it
    across a parent's change), noted the first time it is seen: before anything here
    scaled it, and before the application's font changes. A font that sets only its
    style (the step note's italic) still takes its size from the application's
    while the window is not yet shown: noted after the change, a window started
    with 300 % saved drew that note at 81 points, and its least width (546 px)
    held the docks' column at 45 % of a 1,280 px screen."""
    for dock in window.findChildren(QDockWidget):
        for widget in _own_fonts(dock.findChildren(QWidget)):
            if widget.property(_BASE) is None:
                widget.setProperty(_BASE, _own_size(widget.font()))


def _own_fonts(widgets) -> list:
    return [w for w in widgets if w.testAttribute(Qt.WA_SetFont) and not w.property(_FOLLOWS)]


def _dock_font(font: QFont) -> QFont:
    """``font`` in pixels rather than points (or the other way): the same size drawn,
    but not equal to the application's font.

    A dock whose font equals the application's draws its title in the title font
    Qt noted when the dock was made (QDockWidgetPrivate::init), whatever the
    application's font is now: with the whole application at 200 %, the docks'
    titles stayed at the size they were made at."""
    font = QFont(font)
    if font.pointSizeF() > 0:
        font.setPixelSize(QFontInfo(font).pixelSize())
    else:
        font.setPointSizeF(QFontInfo(font).pointSizeF())
    return font


def _tabs_whole(window) -> None:
    """The docks' tab bars (Check, Paths, Forward mode, Explanation) show every tab,
    readable, within the column's width: at 200 % the names at the text size were
    cut to "C…", "P…", then scrolled out of sight ("ward mode | Explanation ◂▸").
    See ``docktabs``."""
    docktabs.fit_all(window, app_font_at_100())


def _title_now(dock: QDockWidget) -> None:
    """Lay the dock's title bar out for its new font before anything paints it.

    A dock draws its title in the title area its layout last computed, and that
    layout runs a turn after the font changed: the dock was painted with the new
    font in the old area (lower at 100 % after 200 %, higher at 200 %), then only
    the strip its contents moved off was painted again, so the title showed half
    cut or sliced until a dialog repainted it. Laid out now, the one paint the font
    change asked for uses the new area."""
    layout = dock.layout()
    if layout is not None:
        layout.invalidate()
        layout.activate()
    dock.update()


def _sides(window) -> dict:
    """The docks in sight on the left and on the right (a tab group's hidden tabs
    are parked outside the window; floating docks are on no side)."""
    sides: dict = {}
    for dock in window.findChildren(QDockWidget):
        area = window.dockWidgetArea(dock)
        if (area in (Qt.LeftDockWidgetArea, Qt.RightDockWidgetArea) and not dock.isFloating()
                and dock.isVisible() and window.rect().intersects(dock.geometry())):
            sides.setdefault(area, []).append(dock)
    return sides


def _widths(window) -> dict:
    """Each side's width at 100 %, as the user left it, before a bigger size widens it."""
    return {area: max(d.width() for d in docks) for area, docks in _sides(window).items()}


def _fit_widths(window, factor: float, noted: dict) -> None:
    """Back at 100 % each side of docks takes its 100 % width again: a bigger size
    widened it (to the Nodes palette's names, to a panel's bigger minimum) and the
    window would keep that. Without a width noted (the window opened at a bigger
    size), the width the window gives the docks at first: their size hints.
    Above 100 %, the Nodes palette widens to show its names whole."""
    if factor == 1 and window.isVisible():
        for area, docks in _sides(window).items():
            width = noted.get(area) or max(
                d.sizeHint().width() for d in window.findChildren(QDockWidget)
                if window.dockWidgetArea(d) == area and not d.isFloating())
            window.resizeDocks(docks, [width] * len(docks), Qt.Horizontal)
    palette = getattr(window, "palette", None)
    dock = palette.parentWidget() if isinstance(palette, QListWidget) else None
    if factor > 1 and isinstance(dock, QDockWidget) and not dock.isFloating() \
            and hasattr(palette, "needed_width"):
        if getattr(palette, "icons_only", lambda: False)():  # as narrow as its icons
            window.resizeDocks([dock], [palette.needed_width()], Qt.Horizontal)
        else:
            first = noted.get(window.dockWidgetArea(dock), dock.width())
            window.resizeDocks([dock], [max(first, palette.needed_width())], Qt.Horizontal)
    right = _sides(window).get(Qt.RightDockWidgetArea) if factor > 1 else None
    if right and window.isVisible():
        cap = round(RIGHT_SHARE * window.width())
        if max(d.width() for d in right) > cap:
            window.resizeDocks(right, [cap] * len(right), Qt.Horizontal)
        # Narrower, the panels' texts wrap to more lines: Properties (a short form)
        # gives the tabs under it (Paths' table, the Explanation) the height.
        properties = getattr(window, "docks", {}).get("properties")
        below = [d for d in right if d is not properties]
        if properties in right and below:
            window.resizeDocks([properties, below[0]],
                               [properties.minimumSizeHint().height(), window.height()], Qt.Vertical)


def _refit(table: QTableView) -> None:
    """Rows as tall as the new font needs; columns fitted to it again."""
    rows, height = table.property(_TABLE)
    header = table.verticalHeader()
    header.setDefaultSectionSize(round(rows + table.fontMetrics().height() - height))
    old, new = float(table.property(_SHOWN)), float(table.fontInfo().pixelSize())
    table.setProperty(_SHOWN, new)
    model = getattr(table, "rows_model", None)
    if new != old and model is not None and hasattr(table, "set_rows"):
        # A teaching panel's table measures its texts when filled: filled again.
        table.set_rows(model.header, model.rows, model.marks, model.verdict_column)
    elif new != old and old > 0:
        columns = table.horizontalHeader()
        for c in range(columns.count()):
            columns.resizeSection(c, round(columns.sectionSize(c) * new / old))
