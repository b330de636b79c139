"""The Check panel in the narrow panels' column at View > Text Size 200 % and 300 %
(a lecturer's findings): its controls were one row wider than the column, so the h
field read "001" and Nudge, the relative difference and the table's columns were
out of sight to the right (the panel scrolls only up and down). Now the controls
wrap into rows as wide as the panel, each label above its field, and every control
lies within the panel's visible width. Also: the Properties placeholder is given
its text's height at 300 % (it was cut top and bottom), and after a presentation
the Check panel's line says why its results went."""

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel

from gradstudio.ui.teaching.check_panel import CLEARED, PRESENTED
from gui import DEFAULT_SIZE, check_all_after_backward, click_in_sight, settle

pytestmark = pytest.mark.usefixtures("look_back")


def ink_columns(image, dark: int = 110) -> list[int]:
    return [x for x in range(image.width())
            if any(image.pixelColor(x, y).lightness() < dark for y in range(image.height()))]


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_every_check_control_lies_within_the_panels_visible_width(window, open_example,
                                                                  percent):
    window.resize(*DEFAULT_SIZE)
    open_example("logistic_neuron")  # the widest numbers, the lecturer's graph
    window.look.act_text_size[percent].trigger()  # View > Text Size
    settle()
    panel = window.teaching.check
    window.teaching.check_dock.raise_()
    settle()
    area = panel.parentWidget().parentWidget()
    click_in_sight(area, panel.nudge_button)
    click_in_sight(area, panel.check_all_button)
    assert panel.result is not None and panel.rows is not None
    room = area.viewport().width()
    assert panel.width() <= room  # nothing of the panel to the right of the column
    controls = [panel.picker, panel.h_edit, panel.nudge_button, panel.check_all_button,
                panel.change, panel.sentence, panel.verdict, panel.summary, panel.table]
    controls += [part for box in panel.boxes.values() for part in box]
    controls += [w for w in panel.findChildren(QLabel) if w.isVisible()]
    for widget in controls:
        if not widget.isVisible():
            continue
        left = widget.mapTo(area.viewport(), QPoint(0, 0)).x()
        assert 0 <= left and left + widget.width() <= room, (percent, widget, left,
                                                              widget.width(), room)
    # Drawn whole: h's text fits its field, the big numbers' ink is inside their boxes.
    field = panel.h_edit
    assert field.text() == "0.001"
    assert field.fontMetrics().horizontalAdvance(field.text()) < field.width() - 8
    image = field.grab().toImage()
    inked = ink_columns(image)
    assert inked and inked[0] > 2 and inked[-1] < image.width() - 3
    for _frame, _title, number in panel.boxes.values():
        image = number.grab().toImage()
        inked = ink_columns(image)
        assert inked, number.text()
        assert inked[0] > 0 and inked[-1] < image.width() - 1, (percent, number.text())
    # The labels are above their fields; Nudge and Check all in sight of a click.
    for caption, field in (("Input", panel.picker), ("h", panel.h_edit)):
        label = next(w for w in panel.findChildren(QLabel) if w.text() == caption)
        assert label.buddy() is field
        assert label.mapTo(panel, QPoint(0, label.height())).y() <= \
            field.mapTo(panel, QPoint(0, 0)).y()
    # The table: no column cut (at a big size each input is one wrapped row).
    assert panel.table.cut_columns() == []
    for r in range(panel.table.rowCount()):
        rect = panel.table.visualRect(panel.table.rows_model.index(r, 0))
        assert rect.right() < panel.table.viewport().width()
    window.grab().save(f"/tmp/check_panel_fits_{percent}.png")


def test_the_controls_wrap_only_when_the_column_is_narrow(window, open_example):
    window.resize(*DEFAULT_SIZE)
    open_example("chain_rule")
    panel = window.teaching.check
    window.teaching.check_dock.raise_()
    settle()
    rows_100 = len(panel.controls.rows())
    window.look.act_text_size[300].trigger()
    settle()
    assert len(panel.controls.rows()) > rows_100  # wrapped into more rows
    window.look.act_text_size[100].trigger()
    settle()
    assert len(panel.controls.rows()) == rows_100


def test_the_properties_placeholder_has_its_texts_height_at_300(window, open_example):
    window.resize(*DEFAULT_SIZE)
    open_example("chain_rule")
    window.scene.clearSelection()
    for percent in (300, 100, 300):
        window.look.act_text_size[percent].trigger()
        settle()
        label = window.properties.summary
        assert label.text() == "Select a node to edit it."
        needed = label.fontMetrics().boundingRect(QRect(0, 0, label.width(), 10000),
                                                  Qt.TextWordWrap, label.text()).height()
        assert label.height() >= needed, (percent, label.height(), needed)
        # Not cut by the dock either: the whole label is in sight.
        assert label.visibleRegion().boundingRect() == label.rect(), percent
        image = label.grab().toImage()
        rows = [y for y in range(image.height())
                if any(image.pixelColor(x, y).lightness() < 110 for x in range(image.width()))]
        assert rows and rows[0] > 0 and rows[-1] < image.height() - 1, percent


def test_after_presenting_the_check_line_says_why_its_results_went(open_example):
    window = open_example("chain_rule")
    panel = check_all_after_backward(window)
    assert panel.rows is not None
    QTest.keyClick(window, Qt.Key_F11)
    settle()
    for key in (Qt.Key_Home, Qt.Key_Right, Qt.Key_End, Qt.Key_Escape):
        QTest.keyClick(window, key)
        settle()
    assert not window.presentation.presenting
    assert window.doc.evaluation is not None  # the canvas shows the numbers again
    assert panel.rows is None  # the results went ...
    assert panel.sentence.text() == PRESENTED  # ... and the line says why
    assert "presentation" in PRESENTED and "Check all again" in PRESENTED
    window.teaching.check_dock.raise_()
    settle()
    assert panel.sentence.isVisible()
    # Check all again: the line goes back to the prompt, the results show.
    QTest.mouseClick(panel.check_all_button, Qt.LeftButton)
    assert panel.rows is not None and panel.sentence.text() not in (PRESENTED, CLEARED)

