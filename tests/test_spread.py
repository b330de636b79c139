"""core/spread: how far a bigger text size spreads a graph's drawing. Checked by
the chip rule on what the canvas then draws (every formula graph the tests build,
at 200 and 300 %), and on hand-made layouts: one with room keeps its positions,
one too tight is spread, never past the text size."""

import pytest

from gradstudio.core.chiprule import violations
from gradstudio.core.formula import build
from gradstudio.core.model import GraphModel
from gradstudio.core.spread import ladder, overlapping, spread_for
from gradstudio.ui.canvas.geometry import drawn_geometry
from gradstudio.ui.canvas.scene import GraphScene
from gradstudio.ui.editor.document import Document
from gradstudio.ui.theme import THEME
from test_chip_rule_graphs import FORMULAS

pytestmark = pytest.mark.usefixtures("look_back")


def test_the_ladder_ends_at_the_size():
    assert ladder(1.0) == [1.0]
    assert ladder(2.0) == [1.0, 1.25, 1.5, 1.75, 2.0]
    assert ladder(1.6) == [1.0, 1.25, 1.5, 1.6]


def test_boxes_that_meet_are_counted_once_a_pair():
    sizes = {"a": (100, 50), "b": (100, 50), "c": (100, 50)}
    assert overlapping({"a": (0, 0), "b": (50, 0), "c": (500, 0)}, sizes) == 1
    assert overlapping({"a": (0, 0), "b": (102, 0), "c": (500, 0)}, sizes) == 1  # < 4 px air
    assert overlapping({"a": (0, 0), "b": (110, 0), "c": (500, 0)}, sizes) == 0


def two_inputs_into_a_product(gap: float) -> GraphModel:
    model = GraphModel()
    model.add_node("a", "input", x=0, y=0, params={"value": 2})
    model.add_node("b", "input", x=0, y=gap, params={"value": 3})
    model.add_node("m", "multiply", x=300, y=gap / 2)
    model.connect("a", "m", 0)
    model.connect("b", "m", 1)
    return model


def test_room_keeps_the_positions_and_a_tight_layout_spreads_within_the_size():
    sizes = {n: (120, 100) for n in "abm"}
    chips = {("a", "m", 0): [(0, 170, 60), (1, 80, 32)], ("b", "m", 1): [(0, 170, 60),
                                                                         (1, 80, 32)]}
    roomy = two_inputs_into_a_product(400)
    positions = {n: roomy.position(n) for n in "abm"}
    assert spread_for(roomy, positions, sizes, chips, 40, 2.0) == 1.0
    tight = two_inputs_into_a_product(105)  # the boxes 5 px apart, the chips nowhere
    positions = {n: tight.position(n) for n in "abm"}
    assert 1.0 < spread_for(tight, positions, sizes, chips, 40, 2.0) <= 2.0
    assert spread_for(tight, positions, sizes, chips, 40, 1.0) == 1.0


@pytest.mark.parametrize("scale", [2.0, 3.0])
@pytest.mark.parametrize("formula", FORMULAS)
def test_formula_graphs_keep_the_chip_rule_at_a_bigger_size(qapp, formula, scale):
    THEME.set_text_scale(scale)
    doc = Document(build(formula), None)
    scene = GraphScene(doc)
    assert 1.0 <= scene.spread <= scale
    assert doc.run("backward")
    assert violations(drawn_geometry(scene)) == []
