"""The Sum over Paths table reads every path whole in its default width: a tester
saw logistic_neuron's w1 → p1 → s → z → a → q → L cut to "w1 → p1 →…a → q → L"
(tanh_neuron's to "x1 …→ o" at 200 %). Paths and their local derivatives wrap at
their spaces, each row as tall as it needs; checked on the cells' room and the ink
drawn in them."""

import pytest
from PySide6.QtCore import QRect, QRectF, Qt

from gui import backward_at_text_size, settle
from test_text_size import ink_rows

pytestmark = pytest.mark.usefixtures("look_back")


def drawn_whole(table, r: int, c: int) -> tuple[int, int]:
    """(lines the cell's text wraps to, pixel rows of ink drawn in it), after
    checking the wrapped text fits the cell."""
    text = str(table.cell(r, c))
    rect = table.visualRect(table.rows_model.index(r, c))
    box = QRect(0, 0, rect.width() - table.PAD, 1 << 20)
    needed = table.fontMetrics().boundingRect(box, Qt.TextWordWrap, text)
    assert needed.width() <= rect.width() - table.PAD + 1, (text, needed, rect)
    assert needed.height() <= rect.height(), (text, needed.height(), rect.height())
    image = table.viewport().grab().toImage()
    lines = round(needed.height() / table.fontMetrics().lineSpacing())
    return lines, ink_rows(image, QRectF(rect.adjusted(1, 1, -1, -1)))


@pytest.mark.parametrize("name, start, percent", [("logistic_neuron", "w1", 100),
                                                  ("tanh_neuron", "x1", 200),
                                                  ("logistic_neuron", "w1", 200)])
def test_every_path_reads_whole_in_the_default_width(window, open_example, name, start,
                                                     percent):
    backward_at_text_size(window, open_example, name, percent)
    window.teaching.paths.show_input(start)
    window.teaching.act_paths.trigger()  # Teach → Sum over Paths
    settle()
    table = window.teaching.paths.table
    assert table.rowCount() >= 1 and table.cut_columns() == []
    for r in range(table.rowCount()):
        for c in range(1 if table.stacked else 2):  # the path, its local derivatives
            lines, ink = drawn_whole(table, r, c)
            # every wrapped line drawn: the ink spans all but part of the last one
            assert ink >= (lines - 1) * table.fontMetrics().lineSpacing(), (r, c, lines, ink)
    text = str(table.cell(0, 0)).replace("\u00a0", " ")
    assert text.startswith(start) and "…" not in text
