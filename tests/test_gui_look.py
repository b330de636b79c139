"""Lecture look: themes, text size, shown kinds and precision, through the View menu."""

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QColor, QImage

from gradstudio.ui.theme import DARK, HIGH_CONTRAST, LIGHT, THEME
from gui import assert_labels_clear


@pytest.fixture(autouse=True)
def light_after():
    """THEME is one object for the whole program: leave it light for the other tests."""
    yield
    THEME.apply("light")
    THEME.set_text_scale(1.0)


def canvas_color(window) -> QColor:
    """The colour of the grabbed canvas in its top-left corner (empty canvas there)."""
    image = window.view.viewport().grab().toImage()
    return image.pixelColor(3, 3)


def test_switching_theme_changes_the_drawn_colours(open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    assert canvas_color(window).lightness() > 200
    window.look.act_theme["dark"].trigger()
    assert THEME.name == "dark"
    assert window.scene.backgroundBrush().color() == QColor(DARK["background"])
    assert canvas_color(window).lightness() < 60
    chip = window.scene.edges[("u", "v", 1)].below
    assert chip.lines[0][1] == QColor(DARK["grad"])  # orange that reads on dark grey
    assert window.scene.nodes["J"].grad_color == QColor(DARK["grad"])
    window.look.act_theme["high-contrast"].trigger()
    assert chip.lines[0][1] == QColor(HIGH_CONTRAST["grad"])
    assert window.scene.edges[("u", "v", 1)].pen().widthF() >= 3.0  # thick lines
    assert THEME.font().bold()  # every text bold
    window.look.act_theme["light"].trigger()
    assert chip.lines[0][1] == QColor(LIGHT["grad"])
    assert canvas_color(window).lightness() > 200


def test_kinds_differ_by_more_than_colour_in_every_theme(open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    for name in ("light", "dark", "high-contrast"):
        window.look.act_theme[name].trigger()
        edge = window.scene.edges[("b", "u", 0)]
        value, local = edge.above.texts
        grad, = edge.below.texts
        assert value == "3" and local.startswith("∂u/∂b = ")  # above: value, then ∂v/∂u
        assert grad.startswith("← ") and edge.below.framed  # below, arrow, framed
        assert edge.below.y() > edge.above.y()


def test_hiding_gradients_removes_their_chips_and_node_lines(open_example):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    assert window.scene.nodes["b"].grad_text == "∂J/∂b = 6"
    window.look.act_show["grads"].trigger()  # unchecks
    assert not window.look.act_show["grads"].isChecked()
    for item in window.scene.edges.values():
        assert item.below.texts == [] and not item.below.isVisible()
        assert len(item.above.texts) == 2
    assert all(n.grad_text == "" for n in window.scene.nodes.values())
    window.look.act_show["locals"].trigger()
    assert window.scene.edges[("b", "u", 0)].above.texts == ["3"]
    window.look.act_show["values"].trigger()
    assert not window.scene.edges[("b", "u", 0)].above.isVisible()
    assert window.scene.nodes["J"].value_text == ""
    assert window.scene.nodes["a"].value_text == "= 5"  # an input's value stays
    for kind in ("grads", "locals", "values"):
        window.look.act_show[kind].trigger()
    assert window.scene.nodes["b"].grad_text == "∂J/∂b = 6"
    assert window.scene.edges[("b", "u", 0)].above.texts == ["3", "∂u/∂b = 2"]


def test_precision_two_digits(open_example, tmp_path):
    window = open_example("chain_rule")
    window.doc.set_param("a", "value", 1 / 3)
    window.act_backward.trigger()
    window.look.act_precision[2].trigger()
    assert window.scene.digits == 2
    assert window.scene.nodes["a"].value_text == "= 0.33"
    assert window.scene.edges[("a", "v", 0)].above.texts[0] == "0.33"
    assert window.scene.nodes["J"].value_text == "= 19"  # 3·(1/3 + 6) = 19.0
    window.doc.set_param("a", "value", 5)
    window.act_backward.trigger()
    assert window.scene.nodes["J"].value_text == "= 33"
    window.look.act_precision[6].trigger()
    window.doc.set_param("a", "value", 1 / 3)
    window.act_forward.trigger()
    assert window.scene.nodes["a"].value_text == "= 0.333333"


@pytest.mark.parametrize("percent", [200, 300])
def test_text_size_makes_nodes_larger_and_never_clips_their_text(open_example, percent):
    """(More in test_text_size.py.)"""
    window = open_example("chain_rule")
    window.act_backward.trigger()
    view = window.view
    node = window.scene.nodes["b"]
    before = node.rect()
    zoom = view.zoom()
    window.look.act_text_size[percent].trigger()
    z = percent / 100
    assert THEME.text_scale == z and view.zoom() == zoom  # the texts grow, not the view
    assert node.rect().height() > before.height() * (1 + (z - 1) * 0.6)
    # The texts are drawn in a font z times the size: they fit the node as drawn.
    from PySide6.QtGui import QFontMetricsF
    big = THEME.font(bold=True)
    assert big.pointSizeF() == pytest.approx(THEME.font_size * z)
    advance = QFontMetricsF(big).horizontalAdvance(node.grad_text)
    assert node.rect().width() >= advance + 20
    for chip in (window.scene.edges[("b", "u", 0)].above, window.scene.edges[("b", "u", 0)].below):
        for text, _color, bold, italic in chip.lines:
            font = THEME.font(0.9, bold=bold, italic=italic)
            assert chip.size()[0] >= QFontMetricsF(font).horizontalAdvance(text)
    window.act_fit.trigger()  # Fit View never blows the view up past 100 %
    assert view.zoom() <= 1.0 + 1e-9
    window.look.act_text_size[100].trigger()
    assert THEME.text_scale == 1.0


@pytest.mark.parametrize("theme", ["light", "dark", "high-contrast"])
@pytest.mark.parametrize("percent", [100, 200])
def test_labels_keep_the_rule_in_every_theme_and_text_size(open_example, theme, percent):
    """The examples are laid out for 100 %; at a bigger text size, Auto-layout makes
    the room the bigger chips need."""
    window = open_example("chain_rule")
    window.look.act_theme[theme].trigger()
    window.look.act_text_size[percent].trigger()
    for name in ("chain_rule", "colah_paths", "square", "logistic_neuron", "tanh_neuron"):
        window = open_example(name)
        if percent != 100:
            window.arrange.act_auto_layout.trigger()
        window.act_backward.trigger()
        assert_labels_clear(window, f"{name} at {percent} %")


def test_export_in_the_dark_theme_has_a_dark_background(open_example, tmp_path):
    window = open_example("chain_rule")
    window.act_backward.trigger()
    window.look.act_theme["dark"].trigger()
    out = tmp_path / "dark.png"
    window.export_to(out)
    image = QImage(str(out))
    assert not image.isNull()
    corner = image.pixelColor(2, 2)
    assert corner == QColor(DARK["background"])
    # Light text and orange gradients are drawn on it.
    colors = {image.pixelColor(x, y).name() for x in range(0, image.width(), 3)
              for y in range(0, image.height(), 3)}
    assert any(QColor(c).lightness() > 200 for c in colors)
    window.export_to(tmp_path / "clear.png", transparent=True)
    assert QImage(str(tmp_path / "clear.png")).pixelColor(2, 2).alpha() == 0


def test_the_view_menu_has_the_look_submenus(window):
    view = next(a.menu() for a in window.menuBar().actions()
                if a.menu() is not None and a.text().replace("&", "") == "View")
    titles = [a.text().replace("&", "") for a in view.actions() if a.menu() is not None]
    for title in ("Theme", "Text Size", "Show", "Precision"):
        assert title in titles
    assert [a.text() for a in window.look.act_text_size.values()] == [
        "100 %", "125 %", "150 %", "200 %", "250 %", "300 %"]
    assert window.look.act_theme["light"].isChecked()  # the defaults
    assert window.look.act_precision[4].isChecked() and window.scene.digits == 4


def test_the_look_persists_across_a_new_window(window, qtbot):
    window.look.act_theme["dark"].trigger()
    window.look.act_text_size[150].trigger()
    window.look.act_precision[3].trigger()
    window.look.act_show["locals"].trigger()
    window.settings.sync()
    THEME.apply("light")
    from gradstudio.ui.app.window import MainWindow
    again = MainWindow()
    qtbot.addWidget(again)
    assert THEME.name == "dark"
    assert again.look.act_theme["dark"].isChecked()
    assert THEME.text_scale == 1.5 and again.look.act_text_size[150].isChecked()
    assert again.scene.digits == 3 and again.look.act_precision[3].isChecked()
    assert again.scene.hidden == {"locals"}
    assert not again.look.act_show["locals"].isChecked()
    assert again.look.act_show["grads"].isChecked()


def test_hiding_tangents_in_forward_mode_keeps_the_gradient_switch_apart(open_example):
    from gui import node_center, press, release
    window = open_example("colah_paths")
    press(window.view, node_center(window, "b"))  # select b: the forward-mode input
    release(window.view, node_center(window, "b"))
    window.teaching.act_forward_mode.trigger()
    nodes, edges = window.scene.nodes, window.scene.edges
    window.look.act_show["grads"].trigger()  # gradients hidden: tangents still shown
    assert nodes["e"].grad_text == "∂e/∂b = 5"
    assert edges[("c", "e", 0)].below.texts == ["→ 2"]
    window.look.act_show["tangents"].trigger()
    assert nodes["e"].grad_text == "" and edges[("c", "e", 0)].below.texts == []
    window.look.act_show["tangents"].trigger()
    assert edges[("d", "e", 1)].below.texts == ["→ 3"]
