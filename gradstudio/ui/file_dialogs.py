"""The Open, Save and Export file dialogs, at the window's text size.

At 100 % they are the platform's (Qt's static dialogs, native where there is one).
Above it a native dialog would keep the desktop's font, and Qt's own kept the size
it has at 100 % with a font twice as big: the folder field elided, only the Name
column in sight, its tool buttons' icons tiny. So above 100 % the dialog is Qt's
own (it takes the application's font, which Text Size scales), its icons scaled
and the dialog made as big as its contents ask, at least its 100 % size times the
text size, within the screen.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (QAbstractItemView, QDialog, QFileDialog, QListView,
                               QToolButton)

from gradstudio.ui.theme import THEME

SIZE_AT_100 = (560, 360)  # a comfortable Qt file dialog at the platform's font
SMALL_ICON = 16  # the tool buttons' and side bar's icons at 100 %
SCREEN_SHARE = 0.9  # the most of the screen a dialog takes


def get_open_file_name(parent, caption: str, start: str, filter_: str) -> tuple[str, str]:
    """(path or "", the filter picked), as QFileDialog.getOpenFileName."""
    if THEME.text_scale == 1:
        return QFileDialog.getOpenFileName(parent, caption, start, filter_)
    return _ask(parent, caption, start, filter_, save=False)


def get_save_file_name(parent, caption: str, start: str, filter_: str) -> tuple[str, str]:
    """(path or "", the filter picked), as QFileDialog.getSaveFileName (it asks
    before replacing a file)."""
    if THEME.text_scale == 1:
        return QFileDialog.getSaveFileName(parent, caption, start, filter_)
    return _ask(parent, caption, start, filter_, save=True)


def _ask(parent, caption: str, start: str, filter_: str, save: bool) -> tuple[str, str]:
    dialog = QFileDialog(parent, caption, start, filter_)
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setFileMode(QFileDialog.AnyFile)
    else:
        dialog.setFileMode(QFileDialog.ExistingFile)
    fit_to_text_size(dialog)
    try:
        if dialog.exec() != QDialog.Accepted or not dialog.selectedFiles():
            return "", ""
        return dialog.selectedFiles()[0], dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()


def fit_to_text_size(dialog: QFileDialog) -> None:
    """``dialog``'s icons at the text size, and the dialog as big as its contents ask
    (at least SIZE_AT_100 times the size), within SCREEN_SHARE of the screen."""
    scale = THEME.text_scale
    side = round(SMALL_ICON * scale)
    for button in dialog.findChildren(QToolButton):
        button.setIconSize(QSize(side, side))
    for view in dialog.findChildren(QAbstractItemView):
        view.setIconSize(QSize(side, side))
    sidebar = dialog.findChild(QListView, "sidebar")  # Computer, home: names whole
    if sidebar is not None:
        sidebar.setMinimumWidth(sidebar.sizeHintForColumn(0) + 2 * sidebar.frameWidth() + 8)
    hint = dialog.sizeHint()
    width = max(hint.width(), round(SIZE_AT_100[0] * scale))
    height = max(hint.height(), round(SIZE_AT_100[1] * scale))
    screen = dialog.screen()
    if screen is not None:
        room = screen.availableGeometry()
        width = min(width, int(room.width() * SCREEN_SHARE))
        height = min(height, int(room.height() * SCREEN_SHARE))
    dialog.resize(width, height)
