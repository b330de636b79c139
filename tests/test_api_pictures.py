"""The API's pictures and window: the same SVG/PNG as `gradstudio export`, Jupyter's
``_repr_svg_`` showing the numbers of the last pass, ``open`` starting the window."""

import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import pytest

import gradstudio as gs
from gradstudio.core.errors import GraphError
from gradstudio.ui.headless import export_file

SEED = "J = 3*(a + b*c)"


def texts(svg: str) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg) if t.strip()]


@pytest.fixture
def g():
    return gs.Graph.from_formula(SEED, a=5, b=3, c=2)


def test_svg_and_png_are_the_export_commands_pictures(g, tmp_path):
    g.save(tmp_path / "seed.json")
    export_file(tmp_path / "seed.json", tmp_path / "cli.svg", after="backward")
    export_file(tmp_path / "seed.json", tmp_path / "cli.png", after="forward", scale=2)
    svg = g.svg(after="backward")
    assert svg.encode("utf-8") == (tmp_path / "cli.svg").read_bytes()
    assert g.png(scale=2, after="forward") == (tmp_path / "cli.png").read_bytes()
    ET.fromstring(svg.encode("utf-8"))
    from gradstudio.cli import main  # the command's --text-size too
    assert main(["export", str(tmp_path / "seed.json"), str(tmp_path / "big.png"),
                 "--after", "backward", "--text-size", "200"]) == 0
    assert g.png(after="backward", text_size=200) == (tmp_path / "big.png").read_bytes()
    with pytest.raises(ValueError, match="text_size must be from 100 to 300"):
        g.svg(text_size=50)


def test_the_picture_shows_the_numbers_held_now(g):
    bare = texts(g._repr_svg_())
    assert "= 33" not in bare  # nothing computed: no value shown
    g.backward()
    shown = texts(g._repr_svg_())
    assert "= 33" in shown and "= 11" in shown
    assert any("∂J/∂b = 6" in t for t in shown) and any("∂J/∂c = 9" in t for t in shown)
    g.set("a", 6)
    assert "= 33" not in texts(g.svg())  # stale numbers are not drawn
    assert "= 36" in texts(g.svg(after="forward"))  # the pass is run for the picture
    assert "= 36" not in texts(g.svg(after="none"))
    assert g._shown() is None  # ... on a copy: the graph's own numbers stay stale


def test_png_is_a_png_of_the_asked_scale(g):
    one, two = g.png(), g.png(scale=2)
    assert one[:8] == two[:8] == b"\x89PNG\r\n\x1a\n"
    width = lambda png: int.from_bytes(png[16:20], "big")  # noqa: E731 - IHDR
    assert abs(width(two) - 2 * width(one)) <= 2
    with pytest.raises(ValueError, match="scale must be"):
        g.png(scale=0)
    with pytest.raises(ValueError, match="after must be"):
        g.svg(after="backwards")


def test_a_picture_of_a_graph_the_pass_refuses_says_why():
    g = gs.Graph.from_formula("y = a + b")
    g.model.disconnect("y", 1)
    with pytest.raises(GraphError, match="cannot run backward: .*port 1"):
        g.svg(after="backward")


def test_open_saves_and_starts_the_window_in_its_own_process(g, tmp_path, monkeypatch):
    started = []

    class FakePopen:
        def __init__(self, args, **kwargs):
            started.append((args, kwargs))

    monkeypatch.setattr(subprocess, "Popen", FakePopen)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # a display to open on
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # no window deletes the copy
    g.backward()
    g.open(tmp_path / "mine.json")
    (args, kwargs), = started
    assert args == [sys.executable, "-m", "gradstudio", str(tmp_path / "mine.json")]
    assert kwargs.get("start_new_session") is True
    assert gs.load(tmp_path / "mine.json").backward().grad("b") == 6.0
    g.open()  # no path: a temporary file
    path = started[1][0][-1]
    assert path != str(tmp_path / "mine.json") and gs.load(path).nodes == g.nodes
    assert started[1][0][:2] == [sys.executable, "-c"]  # run(..., temporary=True)


def test_open_without_a_path_shows_an_untitled_graph_and_leaves_no_file(g, window):
    """The temporary copy g.open() writes is the window's to read and delete; the
    window calls the graph Untitled (not graph.json) and Save asks for a name."""
    from gradstudio.ui.app.start import open_file
    from gradstudio.api.graph import _OPEN_COPY
    import os
    import tempfile
    folder = tempfile.mkdtemp(prefix="gradstudio-")
    copy = os.path.join(folder, "untitled.json")
    g.save(copy)
    open_file(window, copy, temporary=True)
    assert not os.path.exists(folder)
    assert window.doc.path is None and window.doc.model.nodes() == g.nodes
    assert window.windowTitle().startswith("Untitled") and "json" not in window.windowTitle()
    assert "temporary=True" in _OPEN_COPY


def test_open_really_starts_a_window(g, tmp_path, monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    process = g.open(tmp_path / "seed.json")
    try:
        with pytest.raises(subprocess.TimeoutExpired):
            process.wait(timeout=4)  # still running: the window is up, not an error exit
    finally:
        process.kill()
        process.wait(timeout=10)


def test_ipython_shows_a_graph_as_its_svg(g):
    formatters = pytest.importorskip("IPython.core.formatters")
    g.backward()
    data, _metadata = formatters.DisplayFormatter().format(g)
    assert data["text/plain"] == repr(g)
    assert "= 33" in texts(data["image/svg+xml"])


def test_a_big_graph_shows_as_text_in_a_notebook(monkeypatch):
    from gradstudio.api import graph
    monkeypatch.setattr(graph, "REPR_MAX_NODES", 5)
    g = gs.Graph.from_formula(SEED, a=5, b=3, c=2)  # 6 nodes
    assert g._repr_svg_() is None
    assert repr(g).endswith("(too big to show inline: g.png(), g.svg() or g.open())")
    assert "<svg" in g.svg()


def test_open_without_a_display_says_so_and_starts_nothing(g, tmp_path, monkeypatch):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(subprocess, "Popen", lambda *a, **k: pytest.fail("started"))
    with pytest.raises(RuntimeError, match=r"no display \(DISPLAY and WAYLAND_DISPLAY are "
                                           r"not set\).*g\.png\(\) and g\.svg\(\)"):
        g.open(tmp_path / "seed.json")
    assert not (tmp_path / "seed.json").exists()


@pytest.mark.parametrize("display", [{"DISPLAY": ":97"}, {}])  # nothing answers; none set
def test_pictures_need_no_display_and_never_end_the_process(display):
    import os
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    code = ("import gradstudio as gs\n"
            "g = gs.Graph.from_formula('J = 3*(a + b*c)', a=5, b=3, c=2).backward()\n"
            "print(g._repr_svg_().count('= 33'), g.png()[:4])\n"
            "print('still here')\n")
    done = subprocess.run([sys.executable, "-c", code], env={**env, **display},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["1 b'\\x89PNG'", "still here"]
