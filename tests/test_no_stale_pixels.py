"""No stale pixels: after each action the canvas shows what a full repaint shows.

Offscreen here (the backing store's pixels); test_no_stale_pixels_x.py does the same
in a window on a real X server (Xvfb). See stale_view.py for how the scenarios run.
"""

import random

import pytest

from gradstudio.ui.theme import THEME
from stale_view import ACTIONS, Hands, compare, scenario


@pytest.fixture(autouse=True)
def light_after(window):
    """THEME is one object for the whole program: leave it light for the other tests."""
    yield
    window.look.set_theme("light")
    THEME.set_text_scale(1.0)


@pytest.mark.parametrize("action", ACTIONS)
def test_the_canvas_after_an_action_is_what_a_full_repaint_draws(window, tmp_path, action):
    scenario(window, Hands(window), action, tmp_path)
    count, box = compare(window.view, action, tmp_path)
    assert count == 0, f"{action}: {count} pixels differ from a full repaint, within {box}"


@pytest.mark.parametrize("zoom", [0.3, 0.7, 1.0, 2.5])
def test_a_repaint_of_part_of_the_view_draws_there_what_a_whole_one_does(window, zoom):
    """Qt repaints only what changed: each partial repaint must match the whole one
    pixel for pixel, or every update leaves a seam (wires a shade off where Qt cut
    them at the edge of the repainted area)."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QRegion

    from gui import settle
    from stale_view import difference, repainted, shown
    window.open_example("colah_paths")
    window.act_backward.trigger()
    view = window.view
    view.resetTransform()
    view.scale(zoom, zoom)
    view.centerOn(window.scene.itemsBoundingRect().center())
    settle()
    whole = repainted(view)
    rng = random.Random(zoom)
    size = view.viewport().size()
    for i in range(12):
        region = QRegion()
        for _ in range(rng.randint(1, 3)):
            region |= QRegion(QRect(rng.randrange(size.width()), rng.randrange(size.height()),
                                    rng.randint(3, 250), rng.randint(3, 250)))
        view.viewport().update(region)
        settle()
        count, box = difference(shown(view), whole)
        assert count == 0, (f"at {zoom:.0%}, repainting {[r.getRect() for r in region]} "
                            f"left {count} pixels unlike the whole repaint, within {box}")


def painted_outside(item, zoom: float) -> int:
    """How many pixels ``item`` paints more than a pixel outside its bounding
    rectangle, drawn alone at ``zoom`` (Qt repaints just that rectangle, with a
    pixel or two to spare, where an item was: what lies further out stays)."""
    from PySide6.QtGui import QColor, QImage, QPainter, QTransform
    from PySide6.QtWidgets import QStyleOptionGraphicsItem

    from stale_view import pixels
    bounds = item.boundingRect()
    margin = 60
    image = QImage(int(bounds.width() * zoom) + 2 * margin,
                   int(bounds.height() * zoom) + 2 * margin, QImage.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    painter.setRenderHints(QPainter.Antialiasing | QPainter.TextAntialiasing)
    to_image = QTransform().translate(margin, margin).scale(zoom, zoom) \
        .translate(-bounds.left(), -bounds.top())
    painter.setTransform(to_image)
    item.paint(painter, QStyleOptionGraphicsItem(), None)
    painter.end()
    inside = to_image.mapRect(bounds).toAlignedRect().adjusted(-1, -1, 1, 1)
    drawn = pixels(image) != QColor("white").rgb()
    drawn[inside.top():inside.bottom() + 1, inside.left():inside.right() + 1] = False
    return int(drawn.sum())


@pytest.mark.parametrize("theme, percent", [("light", 100), ("high-contrast", 100),
                                            ("light", 300), ("dark", 200)])
def test_no_item_paints_outside_its_bounding_rectangle(window, theme, percent):
    """Every state of every kind of item (a node selected, active, in error, the
    output; hovered and highlighted ports; chips plain, framed and lit), at every
    text size and theme, stays within the rectangle Qt repaints when it changes."""
    from PySide6.QtWidgets import QGraphicsItem
    window.look.set_theme(theme)
    window.look.set_text_size(percent)
    window.open_example("chain_rule")
    window.act_backward.trigger()
    scene = window.scene
    scene.nodes["u"].setSelected(True)
    scene.edges[("u", "v", 1)].setSelected(True)
    scene.nodes["v"].set_active(True)
    scene.nodes["a"].error = True
    port = scene.nodes["b"].output
    port.hovered = True
    scene.nodes["J"].inputs[0].set_highlight(True)
    items = [i for i in scene.items() if i.isVisible()
             and not i.flags() & QGraphicsItem.ItemHasNoContents]
    assert len(items) > 10
    for zoom in (1.0, 2.5):
        outside = {f"{type(i).__name__} {getattr(i, 'node_id', '')}": n for i in items
                   if (n := painted_outside(i, zoom))}
        assert not outside, f"{theme} at {percent} %, zoom {zoom}: {outside}"


def test_a_big_graph_panned_while_its_texts_are_refreshed_shows_a_full_repaint(window,
                                                                              tmp_path):
    """On a big graph the texts out of sight are written while idle, and those coming
    into sight just before they are painted (in the paint of the strip a pan
    uncovers): nothing of their old state may stay on screen."""
    import json
    import sys
    from pathlib import Path

    from gradstudio.ui.canvas.large.policy import LAZY_WIRES
    from gui import settle
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from graphgen import generate
    path = tmp_path / "big.json"
    nodes = max(500, LAZY_WIRES * 2 // 3)  # about 1.7 wires a node: lazily refreshed
    path.write_text(json.dumps(generate(nodes, seed=5, layout=True)))
    assert window.open_path(path) and len(window.scene.edges) > LAZY_WIRES
    view = window.view
    view.resetTransform()  # at 100 % a scroll moves the pixels to exactly where a
    view.centerOn(window.scene.itemsBoundingRect().center())  # repaint puts them
    settle()
    hands = Hands(window)
    hands.keys("F6")
    assert window.scene.large.stale  # texts out of sight still to write
    for dx, dy in ((0, -50), (0, -50), (-60, 0), (0, 45)):
        hands.pan(dx, dy)
    assert window.scene.large.stale.idle_work  # all panned before the idle slices ran
    settle(window.scene)  # the idle slices finish
    count, box = compare(view, "big", tmp_path)
    assert count == 0, f"{count} pixels differ from a full repaint, within {box}"


def test_deleting_a_node_whose_neighbour_shrinks_leaves_nothing(window):
    """colah_paths after Backward, Fit View, d deleted by its key: b loses its sum
    (∂e/∂b = 2 + 3 = 5) and shrinks in the same turn as d's wires go. Qt left a strip
    of b's old box where the b → d wire had been (seen in a lecturer's session)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from gui import settle
    window.open_example("colah_paths")
    window.view.fit()
    window.act_backward.trigger()
    settle()
    before = window.scene.nodes["b"].rect().width()
    for node_id, item in window.scene.nodes.items():
        item.setSelected(node_id == "d")
    settle()
    QTest.keyClick(window.view, Qt.Key_Delete)
    settle(window.scene)
    assert "d" not in window.doc.model
    assert window.scene.nodes["b"].rect().width() < before  # it did shrink
    count, box = compare(window.view, "delete d")
    assert count == 0, f"{count} pixels differ from a full repaint, within {box}"
