"""The Explanation panel tints the step just done as one even band: every line
of the entry, its last one too, across the whole width, and nothing else. (A
full-width selection stopped at the entry's last character: the band's last
line was as short as its text.) Measured on the pixels at each text size."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest

from gui import settle

pytestmark = pytest.mark.usefixtures("look_back")


def tinted_runs(image, x: int, background) -> list[tuple[int, int]]:
    """The runs of rows where column ``x`` of ``image`` is tinted (not the text
    view's background; no text reaches the columns looked at)."""
    runs = []
    for y in range(image.height()):
        c = image.pixelColor(x, y)
        tinted = (abs(c.red() - background.red()) + abs(c.green() - background.green())
                  + abs(c.blue() - background.blue())) > 12
        if tinted and runs and runs[-1][1] == y - 1:
            runs[-1] = (runs[-1][0], y)
        elif tinted:
            runs.append((y, y))
    return runs


@pytest.mark.parametrize("percent", [100, 200])
def test_the_step_just_done_is_one_even_band(open_example, percent):
    window = open_example("chain_rule")
    window.look.act_text_size[percent].trigger()
    panel = window.stepping.panel
    panel.raise_()
    for _ in range(3):  # Step Forward three times: u, v, then J
        QTest.keyClick(window, Qt.Key_F7)
    settle()
    view = panel.view
    image = view.viewport().grab().toImage()
    entry = panel.text().split("\n\n")[-1]
    assert entry.count("\n") + 1 == 3, panel.text()  # heading and two formulas
    # Where the view lays out the entry's three blocks (its last ones).
    last = view.document().lastBlock()
    blocks = [last.previous().previous(), last.previous(), last]
    rects = [view.blockBoundingGeometry(b).translated(view.contentOffset()) for b in blocks]
    top = max(0, round(rects[0].top()))
    bottom = min(image.height() - 1, round(rects[-1].bottom()) - 1)
    assert bottom - top > 2 * view.fontMetrics().height()  # the three lines in sight
    background = view.palette().color(QPalette.Base)
    for x in (view.viewport().width() - 3, view.viewport().width() * 3 // 4):
        runs = tinted_runs(image, x, background)
        assert len(runs) == 1, (x, runs)  # one band, no gap inside, nothing else tinted
        # Exactly the entry's lines, at the right edge too (the last line included).
        assert abs(runs[0][0] - top) <= 1 and abs(runs[0][1] - bottom) <= 1, (x, runs, top,
                                                                               bottom)
