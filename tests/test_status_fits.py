"""A long status message keeps clear of the document's name at the status bar's
right: at 300 % in a 1,280 px window it ran up to it, cut mid-letter, and read as
one string ("... ∂J/‹logistic_neuron.json"). It is cut in the middle instead, so
its start and its result show, with the whole message as the bar's tooltip."""

import numpy as np
import pytest

from gui import settle

pytestmark = pytest.mark.usefixtures("look_back")

LONG = ("Backward: every gradient is written on its wire; ∂J/∂x1 = 0.25 sums the "
        "two paths through the neuron, result 0.25")


def ink_columns(window) -> np.ndarray:
    """The status bar's pixel columns that hold text (dark pixels)."""
    image = window.statusBar().grab().toImage()
    rows = [[image.pixelColor(x, y).lightness() < 110 for x in range(image.width())]
            for y in range(image.height())]
    return np.flatnonzero(np.array(rows).any(axis=0))


def test_a_long_message_stops_short_of_the_file_name(window, open_example):
    open_example("logistic_neuron")
    window.resize(1280, 700)
    window.look.act_text_size[300].trigger()
    settle()
    window.status(LONG)
    settle()
    bar = window.statusBar()
    shown = bar.currentMessage()
    assert shown != LONG and "…" in shown
    assert shown.startswith("Backward:") and shown.endswith("result 0.25")
    assert bar.toolTip() == LONG
    name = window.doc_label
    assert name.isVisible() and name.text()
    columns = ink_columns(window)
    left_of_name = columns[columns < name.geometry().left()]
    gap = name.geometry().left() - left_of_name.max()
    # At least an average letter of background between the message and the name.
    assert gap >= bar.fontMetrics().averageCharWidth(), gap


def test_a_short_message_is_shown_whole(window):
    window.status("Ready to step")
    assert window.statusBar().currentMessage() == "Ready to step"
    assert window.statusBar().toolTip() == ""
