"""A node's title and its op symbol (or "input") are drawn apart: both bold in one
colour, they read as one word ("w1 input") at 200 % on an input box without a
gradient, where the box is no wider than its header. Measured on the pixels."""

import pytest
from PySide6.QtCore import QRectF

from gradstudio.ui.theme import THEME
from gui import settle

pytestmark = pytest.mark.usefixtures("look_back")


def ink_runs(image, rect: QRectF, darker_than: int = 120) -> list[tuple[int, int]]:
    """The runs of pixel columns of ``rect`` holding a dark pixel, left to right."""
    r = rect.toAlignedRect().intersected(image.rect())
    columns = [x for x in range(r.left(), r.right() + 1)
               if any(image.pixelColor(x, y).lightness() < darker_than
                      for y in range(r.top(), r.bottom() + 1))]
    runs = []
    for x in columns:
        if runs and x == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], x)
        else:
            runs.append((x, x))
    return runs


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_title_and_kind_are_drawn_apart(open_example, percent):
    window = open_example("tanh_neuron")  # no pass run: input boxes as narrow as they get
    window.look.act_text_size[percent].trigger()
    view = window.view
    view.resetTransform()  # one scene px, one screen px
    for node_id in ("w1", "x1", "x1w1"):
        node = window.scene.nodes[node_id]
        view.centerOn(node)
        settle()
        image = view.viewport().grab().toImage()
        header = node.header_rect().adjusted(4, 3, -4, -3)  # inside the border
        shown = QRectF(view.mapFromScene(node.mapToScene(header)).boundingRect())
        runs = ink_runs(image, shown)
        assert len(runs) >= 2, (node_id, runs)
        gaps = [b[0] - a[1] - 1 for a, b in zip(runs, runs[1:])]
        # The widest blank between letters is the one between title and symbol:
        # at least 12 px at 100 %, growing with the size (a space is about 4 px × size).
        assert max(gaps) >= 12 * THEME.text_scale, (node_id, percent, gaps)
