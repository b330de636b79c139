"""The node palette: every registered op, dragged onto the canvas to add it.

At Text Size 100 % each op shows its icon (28 px) and its name. Above 100 % the
palette shows icons only (the names are the items' tooltips, as in the node
editors of Blender or Unreal when the panel is narrow): at 200 % the names took
165 px of a 1280-pixel window that the canvas, where the numbers are, needs more.
Its icons follow the size as far as the palette's height lets every op stay in
sight (never smaller than a line of the panel's text; only a very short window
scrolls). Icon-only or not, an op is dragged onto the canvas or clicked as before.
The palette is only a source of drags: nothing stays selected once a drag or a
click is over.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QModelIndex, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QDockWidget, QListWidget, QListWidgetItem

from gradstudio.core.ops import OPS
from gradstudio.ui.canvas.view import OP_MIME
from gradstudio.ui.editor.icons import op_icon
from gradstudio.ui.theme import THEME

ICON = 28  # the icons' side at Text Size 100 %
TITLE = Qt.UserRole + 1  # an item's op title, shown beside its icon at 100 % only
NAME_SHARES = (1.0, 0.9, 0.8, 0.7)  # the names' sizes tried, of the panels' font


class NodePalette(QListWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragOnly)
        self.setIconSize(QSize(ICON, ICON))
        self.setSpacing(1)
        for op in OPS.values():
            item = QListWidgetItem(op_icon(op.name), op.title)
            item.setData(Qt.UserRole, op.name)
            item.setData(TITLE, op.title)
            item.setToolTip(f"{op.title}: {op.formula or 'a value you set'} "
                            "— drag onto the canvas")
            self.addItem(item)

    def changeEvent(self, event) -> None:
        """A theme change repaints the application palette: redraw the icons in it.
        A text size change gives the names another font: icons to match."""
        super().changeEvent(event)
        if event.type() == QEvent.PaletteChange:
            refresh_icons(self)
        elif event.type() == QEvent.FontChange:
            self.fit_icons()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.fit_icons()

    # ------------------------------------------------------------------ sizes
    @staticmethod
    def largest_icon() -> int:
        """The icons' side at the current text size when there is room."""
        return round(ICON * THEME.text_scale)

    def fit_icons(self, by_width: bool = True) -> None:
        """The largest icons (up to ``largest_icon``) with which every op fits in the
        palette's height and, ``by_width``, its names whole in its width; never
        smaller than a line of the names' text (rows would get no shorter).

        Where even those leave ops out of sight (300 % in the default window: the
        menus and toolbars grow too), the names shrink (``NAME_SHARES`` of the panels'
        size) before the palette scrolls."""
        if self.count() == 0:
            return
        self._names_shown(not self.icons_only())
        if self.icons_only():  # rows as tall as the icons: no font's line height
            self._names_at(0)
            self._fit(by_width=False)
            return
        for share in NAME_SHARES:
            self._names_at(share)
            if self._fit(by_width):
                return

    def _fit(self, by_width: bool) -> bool:
        height = self.height() - 2 * self.frameWidth()
        width = self.viewport().width()
        least = min(self.largest_icon(), ICON if self.icons_only()
                    else QFontMetrics(self._names_font()).height())
        for side in range(self.largest_icon(), least - 1, -1):
            if self.iconSize().width() != side:
                self.setIconSize(QSize(side, side))
            if self._rows_height() <= height and (
                    not by_width or self.sizeHintForColumn(0) <= width):
                return True
        return False

    @staticmethod
    def icons_only() -> bool:
        """Above Text Size 100 % the palette shows its ops' icons without names."""
        return THEME.text_scale > 1

    def _names_shown(self, shown: bool) -> None:
        """The ops' names beside their icons or not; without them, the dock keeps
        its title whole in its narrow width (no float button: it can still be
        dragged by its title, closed, and shown again from View)."""
        dock = self.parentWidget()
        if isinstance(dock, QDockWidget):
            features = QDockWidget.DockWidgetClosable | QDockWidget.DockWidgetMovable
            if shown:
                features |= QDockWidget.DockWidgetFloatable
            if dock.features() != features:
                dock.setFeatures(features)
        for row in range(self.count()):
            item = self.item(row)
            text = item.data(TITLE) if shown else ""
            if item.text() != text:
                item.setText(text)

    def _names_font(self) -> QFont:
        font = self.item(0).data(Qt.FontRole)
        return QFont(font) if font is not None else self.font()

    def _names_at(self, share: float) -> None:
        """The ops' names at ``share`` of the palette's font (1: its own; 0: none
        shown, the rows only as tall as their icons)."""
        font = None
        if share == 0:  # no names drawn (icons only): the smallest rows
            font = QFont(self.font())
            font.setPixelSize(2)
        elif share != 1:
            font = QFont(self.font())
            if font.pointSizeF() > 0:
                font.setPointSizeF(font.pointSizeF() * share)
            else:
                font.setPixelSize(max(1, round(font.pixelSize() * share)))
        if self.item(0).data(Qt.FontRole) != font:
            for row in range(self.count()):
                self.item(row).setData(Qt.FontRole, font)

    def _rows_height(self) -> int:
        return sum(self.sizeHintForRow(i) + 2 * self.spacing() for i in range(self.count()))

    def needed_width(self) -> int:
        """Wide enough for every name beside icons as big as the palette's height
        allows (and a scroll bar if even the smallest icons leave ops out of sight)."""
        self.fit_icons(by_width=False)
        scrolls = self._rows_height() > self.height() - 2 * self.frameWidth()
        width = (self.sizeHintForColumn(0) + 2 * self.frameWidth() + 4
                 + (self.verticalScrollBar().sizeHint().width() if scrolls else 0))
        dock = self.parentWidget()
        if self.icons_only() and isinstance(dock, QDockWidget):  # its title whole
            buttons = [c.sizeHint().width() for c in dock.children()
                       if isinstance(c, QAbstractButton) and c.isVisibleTo(dock)]
            width = max(width, dock.fontMetrics().horizontalAdvance(dock.windowTitle())
                        + sum(buttons) + 16)
        return width

    def sizeHint(self):
        """As wide as the longest op name beside its icon (the icons alone above
        100 %): the canvas gets the rest."""
        text = 0 if self.icons_only() else max(
            self.fontMetrics().horizontalAdvance(self.item(i).data(TITLE))
            for i in range(self.count()))
        width = text + self.largest_icon() + 2 * self.frameWidth() + 24
        return QSize(width, 400)

    # ------------------------------------------------------------------ drags
    def startDrag(self, actions) -> None:
        """Drag the pressed op; afterwards nothing stays highlighted (the op went
        onto the canvas, the palette holds no choice)."""
        super().startDrag(actions)
        self._let_go()

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        self._let_go()

    def _let_go(self) -> None:
        self.clearSelection()
        self.setCurrentIndex(QModelIndex())

    def op_names(self) -> list[str]:
        return [self.item(i).data(Qt.UserRole) for i in range(self.count())]

    def mimeTypes(self) -> list[str]:
        return [OP_MIME]

    def mimeData(self, items) -> QMimeData:
        mime = QMimeData()
        if items:
            mime.setData(OP_MIME, items[0].data(Qt.UserRole).encode("utf-8"))
            mime.setText(items[0].data(Qt.UserRole))
        return mime


def refresh_icons(widget: QListWidget) -> None:
    """Give each op item of ``widget`` its icon in the current theme."""
    for i in range(widget.count()):
        item = widget.item(i)
        item.setIcon(op_icon(item.data(Qt.UserRole)))
