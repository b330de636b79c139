"""The Paths panel computes only when its tab is the one shown (Qt calls a tabbed-away
dock visible), and catches up when its tab comes up."""

from gradstudio.ui.teaching import paths_panel
from gui import settle


def test_a_tabbed_away_paths_panel_waits_for_its_tab(open_example, qtbot, monkeypatch):
    window = open_example("colah_paths")
    teaching = window.teaching
    teaching.check_dock.raise_()
    qtbot.waitUntil(lambda: not teaching.paths.in_sight, timeout=5000)
    assert teaching.paths.isVisible()
    calls = []
    original = paths_panel.sum_over_paths
    monkeypatch.setattr(paths_panel, "sum_over_paths",
                        lambda *args, **kw: calls.append(args) or original(*args, **kw))
    window.doc.run("backward")
    settle()  # what the pass scheduled has run
    assert calls == []
    teaching.paths_dock.raise_()
    qtbot.waitUntil(lambda: len(calls) == 1, timeout=5000)
    assert teaching.paths.summary.text().startswith("Sum over the paths")
    window.doc.run("forward")  # in sight: computed after each pass, as before
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=5000)
