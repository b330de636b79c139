"""A printed quiz worksheet (``gradstudio export FILE OUT --quiz``) keeps the chips'
legibility rule with its answer lines, and gives a wire's value blank room to write.

A lecturer found that at 200 % on tanh_neuron the x2 → x2w2 chip (its value 0 and
the blank for ∂x2w2/∂x2) lay under w2's chip, its leader pointing into the wrong
one: the room between the nodes was measured for numbers, narrower than the
blanks. And a wire's value blank, alone on its line, sat right on the next line
like an overline of ``∂v/∂u = ____``.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontMetricsF

from gradstudio.core import fileformat
from gradstudio.core.chiprule import violations
from gradstudio.core.quiz import BLANK
from gradstudio.ui.canvas.export import at_text_size
from gradstudio.ui.canvas.geometry import drawn_geometry
from gradstudio.ui.headless import _annotated_scene
from gradstudio.ui.theme import THEME

pytestmark = pytest.mark.usefixtures("look_back")


def worksheet(examples, name):
    model = fileformat.load(examples / f"{name}.json")
    return _annotated_scene(model, name, None, quiz=True)


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_no_worksheet_chip_overlaps_a_node_or_another_chip(qapp, examples, example_name,
                                                            percent):
    with at_text_size(percent):
        _doc, scene = worksheet(examples, example_name)
        geometry = drawn_geometry(scene)
    chips = geometry["chips"]
    assert len(chips) == 2 * len(scene.edges)
    assert any(BLANK in chip["text"] for chip in chips)  # a worksheet, blanks drawn
    assert violations(geometry) == [], (example_name, percent)
    assert not any("leader" in chip for chip in chips), (example_name, percent)
    # Every name whole (∂x1w1/∂… would not say what is asked) and every blank whole
    # (an answer line's chip is as wide as the cap plus its blank), at 300 % too.
    with at_text_size(percent):
        for wire in scene.edges.values():
            for chip in (wire.above, wire.below):
                for point, static, *_ in chip.laid_out():
                    drawn = static.text()
                    assert "…" not in drawn, (example_name, percent, drawn)
                    assert "_" not in drawn or drawn.endswith(BLANK), drawn


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_every_answer_blank_has_room_for_a_signed_four_digit_number(qapp, examples,
                                                                    example_name, percent):
    """A lecturer printed tanh_neuron's worksheet: a chip's blank was room for one or
    two handwritten characters (six underscores, 6 mm on A4), not −1.5 or 0.7071.
    Every blank as drawn, in a chip or a node, is at least as wide as "−0.7071" in
    the same text, whole (never drawn shorter), at every text size."""
    with at_text_size(percent):
        _doc, scene = worksheet(examples, example_name)
        blanks = []
        items = [chip for wire in scene.edges.values() for chip in (wire.above, wire.below)]
        items += list(scene.nodes.values())
        for item in items:
            drawn = item.laid_out()
            for _point, static, font, *_ in drawn:
                text = static.text()
                if "_" in text:
                    metrics = QFontMetricsF(font)
                    underscores = text[text.index("_"):]
                    assert set(underscores) == {"_"}, text
                    blanks.append((metrics.horizontalAdvance(underscores),
                                   QFontMetricsF(_plain(font)).horizontalAdvance("−0.7071"),
                                   text))
    assert blanks, example_name
    for width, wanted, text in blanks:
        assert width >= wanted, (example_name, percent, text, width, wanted)


def _plain(font):
    font = type(font)(font)
    font.setBold(False)  # handwriting is not bold
    font.setItalic(False)
    return font


def test_tanh_at_200_shows_x2s_chip_on_its_own_wire(qapp, examples):
    """The lecturer's case: x2 → x2w2's chip (0, ∂x2w2/∂x2 = ____) clear of w2's."""
    with at_text_size(200):
        _doc, scene = worksheet(examples, "tanh_neuron")
        x2 = scene.edges[("x2", "x2w2", 0)].above
        w2 = scene.edges[("w2", "x2w2", 1)].above
        assert x2.texts == ["0", f"∂x2w2/∂x2 = {BLANK}"]
        assert w2.texts == ["1", f"∂x2w2/∂w2 = {BLANK}"]
        assert not x2.sceneBoundingRect().intersects(w2.sceneBoundingRect())
        assert x2.leader_line() is None


@pytest.mark.parametrize("percent", [100, 200, 300])
def test_a_wire_values_blank_has_a_lines_room_above_it(qapp, examples, percent):
    """chain_rule's u → v chip: the value's answer line with a line's height of room
    above it, drawn at its baseline, so the local derivative's line below is not
    touched: the chip is three lines tall where a number makes it two."""
    with at_text_size(percent):
        _doc, scene = worksheet(examples, "chain_rule")
        chip = scene.edges[("u", "v", 1)].above
        given = scene.edges[("b", "u", 0)].above  # b's value 3 is given, not asked
        assert chip.texts == [BLANK, f"∂v/∂u = {BLANK}"]
        assert given.texts == ["3", f"∂u/∂b = {BLANK}"]
        metrics = THEME.metrics(0.9, True)
        line = metrics.height()
        assert chip.size()[1] == pytest.approx(given.size()[1] + line)
        drawn = chip.laid_out()
        (blank_at, *_), (next_at, *_) = drawn
        # The underscores' lowest ink on the baseline of the blank's lower line ...
        baseline = chip.PAD_Y + line + metrics.ascent()
        ink_bottom = blank_at.y() + metrics.ascent() + metrics.tightBoundingRect(BLANK).bottom()
        assert ink_bottom == pytest.approx(baseline, abs=0.5)
        # ... a line's height of room above its ink, and the next line a descent below.
        ink_top = blank_at.y() + metrics.ascent() + metrics.tightBoundingRect(BLANK).top()
        assert ink_top - chip.PAD_Y >= line
        assert next_at.y() - ink_bottom >= metrics.descent() - 0.5
