"""Check all at a big text size in the default window: every number of every row
in sight. The six columns need 1.6 times the dock's width at 200 % (the last ones
were cut off); the table then shows each input as one wrapped cell, its numbers
after their headers, and the panel scrolls rather than squeezing the table."""

import pytest
from PySide6.QtCore import QPoint, QRect, QRectF, Qt

from gui import DEFAULT_SIZE, click_in_sight, settle
from test_text_size import ink_rows

pytestmark = pytest.mark.usefixtures("look_back")


def text_lines(image, rect: QRect, darker_than: int = 120) -> int:
    """How many separate bands of dark rows (lines of text) ``rect`` holds."""
    r = rect.intersected(image.rect())
    inked = [any(image.pixelColor(x, y).lightness() < darker_than
                 for x in range(r.left(), r.right() + 1)) for y in range(r.top(), r.bottom() + 1)]
    return sum(1 for i, on in enumerate(inked) if on and (i == 0 or not inked[i - 1]))


def check_all_by_click(window):
    panel = window.teaching.check
    window.teaching.check_dock.raise_()
    settle()
    area = panel.parentWidget().parentWidget()
    click_in_sight(area, panel.check_all_button)
    return panel, area


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_every_number_of_check_all_is_in_sight(window, open_example, percent):
    window.resize(*DEFAULT_SIZE)
    open_example("logistic_neuron")  # four inputs, six-digit gradients: the widest rows
    window.look.act_text_size[percent].trigger()
    settle()
    panel, area = check_all_by_click(window)
    table = panel.table
    assert table.rowCount() == 5
    assert table.cut_columns() == []
    shown = [c for c in range(table.columnCount()) if not table.isColumnHidden(c)]
    assert table.stacked == (percent > 100)  # 100 %: the plain columns still fit
    image = table.viewport().grab().toImage()
    room = table.viewport().width()
    for r in range(table.rowCount()):
        cells = table.rows_model.rows[r]
        on_screen = " ".join(str(table.cell(r, c)) for c in shown).replace("\u00a0", " ")
        for text in cells:
            assert text in on_screen, (percent, r, text)  # every number drawn somewhere
        rect = table.visualRect(table.rows_model.index(r, shown[-1]))
        assert rect.right() < room  # the last shown column ends in sight
    # Drawn: the first row's cell holds its wrapped lines, none cut by the row.
    first = table.visualRect(table.rows_model.index(0, 0))
    lines = text_lines(image, first.adjusted(0, 1, 0, -1))
    if table.stacked:
        wanted = table.fontMetrics().boundingRect(
            QRect(0, 0, first.width() - table.PAD, 10000), Qt.TextWordWrap,
            table.rows_model.card(0)).height()
        assert first.height() >= wanted
        assert lines >= 2, lines
        assert ink_rows(image, QRectF(first)) <= first.height()
    else:
        assert lines == 1
    # The panel scrolled to the table: its first row is in the dock's sight.
    top_left = table.viewport().mapTo(area.viewport(), first.topLeft())
    assert area.viewport().rect().contains(top_left + QPoint(2, 2))
