"""Started with 300 % saved, the panels' step notes are drawn at the text size,
not three times it: the note ("No Forward/Backward pass has run: ...") sets only
its style (italic), so its size came from the application's font, already at
300 % when its 100 % size was noted, and was scaled once more (81 points). Its
least width, 546 px, then held the docks' column at 578 of 1,280 px, and the
canvas, where the numbers are, kept 545."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication, QDockWidget

from gradstudio.ui.app.textsize import RIGHT_SHARE, app_font_at_100
from gradstudio.ui.teaching.common import StepNote
from gui import settle

pytestmark = pytest.mark.usefixtures("look_back")


def test_a_saved_300_draws_the_step_notes_at_300(qtbot, settings_dir):
    from gradstudio.ui.app.window import MainWindow
    QSettings().setValue("look/text_size", 300)
    window = MainWindow()  # as `gradstudio` starts: the application's font at 100 %
    qtbot.addWidget(window)
    window.resize(1280, 700)
    window.show()
    qtbot.waitExposed(window)
    settle()
    notes = window.findChildren(StepNote)
    assert len(notes) == 2 and all(note.text() for note in notes)
    # Three times the 100 % font's line, as the rest of the panel: not nine times.
    line = QFontMetricsF(app_font_at_100()).height()
    for note in notes:
        drawn = QFontMetricsF(note.font()).height()
        assert 2.6 * line <= drawn <= 3.4 * line, (drawn, line)
        assert note.font().italic()
    app = QFontMetricsF(QApplication.font()).height()
    assert abs(QFontMetricsF(notes[0].font()).height() - app) <= 0.15 * app
    # The column of docks on the right keeps to its share: the canvas gets the rest.
    right = [d for d in window.findChildren(QDockWidget)
             if d.isVisible() and d.geometry().left() > window.width() / 2]
    assert right
    assert max(d.width() for d in right) <= RIGHT_SHARE * window.width() + 2, \
        [d.width() for d in right]
    assert window.view.viewport().width() >= 0.55 * window.width()
