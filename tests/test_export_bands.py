"""A big graph's PNG made by two processes, a band each (canvas/large/bands.py):
the same pixels as one process makes, also when the forked copy fails or hangs
(then the same bytes: one process made it)."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from gradstudio.core.fileformat import from_dict
from gradstudio.ui import headless
from gradstudio.ui.canvas import export
from gradstudio.ui.canvas.large import bands, policy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from graphgen import generate  # noqa: E402

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="bands are made by a forked process on Linux")


@pytest.fixture(autouse=True)
def core_free(monkeypatch):
    """A second core free, whatever else the machine runs while testing."""
    monkeypatch.setattr(bands, "core_free", lambda: True)


@pytest.fixture(scope="module")
def big_graph():
    """401 nodes, 663 wires (over the policy's 600)."""
    return generate(400, seed=3, layout=True)


@pytest.fixture
def ways(monkeypatch):
    """How each picture was made: "two" (both bands came), "one" (one process)."""
    said = []
    two, one = export.render_png_in_two, export.render_png

    def in_two(*args, **kwargs):
        data = two(*args, **kwargs)
        said.append("two")
        return data

    def alone(*args, **kwargs):
        said.append("one")
        return one(*args, **kwargs)

    monkeypatch.setattr(export, "render_png_in_two", in_two)
    monkeypatch.setattr(export, "render_png", alone)
    return said


def pixels(png: bytes) -> QImage:
    image = QImage.fromData(png)
    assert not image.isNull()  # a file Qt reads: its stream and checksum are right
    return image


def picture(graph, **options) -> bytes:
    return headless.render(from_dict(graph), "png", after="backward", **options)


def one_process(graph, monkeypatch, **options) -> bytes:
    with monkeypatch.context() as m:
        m.setattr(policy, "picture_seam", lambda _model: None)
        return picture(graph, **options)


def test_two_bands_make_the_pixels_one_process_makes(qapp, big_graph, ways, monkeypatch):
    model = from_dict(big_graph)
    seam = policy.picture_seam(model)  # offscreen, on Linux, 663 wires
    ys = sorted(model.position(n)[1] for n in model.graph.nodes)
    assert ys[0] < seam < ys[-1]
    split = picture(big_graph)
    assert ways == ["two"]
    image = pixels(split)
    assert image == pixels(one_process(big_graph, monkeypatch))
    assert ways == ["two", "one"]
    assert image.width() > 1000 and image.height() > 500


def test_a_picture_at_twice_the_size_too(qapp, big_graph, ways, monkeypatch):
    split = picture(big_graph, scale=2)
    assert ways == ["two"]
    assert pixels(split) == pixels(one_process(big_graph, monkeypatch, scale=2))


def test_a_copy_that_fails_half_way_leaves_the_picture_to_one_process(
        qapp, big_graph, ways, monkeypatch):
    me = os.getpid()
    real = export._paint_rows

    def half_then_fail(scene, image, transform, background, top, bottom):
        if os.getpid() != me:  # the copy: paints part of its band into the picture, fails
            real(scene, image, transform, background, top, (top + bottom) // 2)
            raise RuntimeError("the copy fails")
        real(scene, image, transform, background, top, bottom)

    monkeypatch.setattr(export, "_paint_rows", half_then_fail)
    made = picture(big_graph)
    assert ways == ["one"]
    monkeypatch.setattr(export, "_paint_rows", real)
    assert made == one_process(big_graph, monkeypatch)


@pytest.mark.parametrize("where", ["building", "painting"])
def test_a_copy_that_hangs_is_stopped(qapp, big_graph, ways, monkeypatch, where):
    me = os.getpid()
    monkeypatch.setattr(bands, "LEAST_WAIT", 0.5)
    monkeypatch.setattr(bands, "PATIENCE", 0.0)
    real_build, real_paint = headless._annotated_scene, export._paint_rows

    def build(*args, **kwargs):
        if where == "building" and os.getpid() != me:
            time.sleep(60)
        return real_build(*args, **kwargs)

    def paint(*args):
        if where == "painting" and os.getpid() != me:
            time.sleep(60)
        real_paint(*args)

    monkeypatch.setattr(headless, "_annotated_scene", build)
    monkeypatch.setattr(export, "_paint_rows", paint)
    made = picture(big_graph)
    assert ways == ["one"]  # (a copy left to finish its 60 s sleep would paint: "two")
    monkeypatch.setattr(headless, "_annotated_scene", real_build)
    assert made == one_process(big_graph, monkeypatch)


def test_a_graph_people_teach_with_is_made_by_one_process(qapp, ways):
    from conftest import load_example
    model = load_example("tanh_neuron")
    assert policy.picture_seam(model) is None
    assert QImage.fromData(headless.render(model, "png", after="backward")).width() > 100
    assert ways == ["one"]


def test_without_a_free_core_a_big_graph_is_made_by_one_process(
        qapp, big_graph, ways, monkeypatch):
    monkeypatch.setattr(bands, "core_free", lambda: False)
    assert policy.picture_seam(from_dict(big_graph)) is None
    picture(big_graph)
    assert ways == ["one"]


def test_core_free_counts_the_running_processes(monkeypatch):
    import builtins
    import io
    real_open = builtins.open

    def loadavg(running):
        def fake(path, *args, **kwargs):
            if path == "/proc/loadavg":
                return io.StringIO(f"1.00 0.90 0.80 {running}/120 4242\n")
            return real_open(path, *args, **kwargs)
        return fake

    monkeypatch.undo()  # the real core_free
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1})
    monkeypatch.setattr(builtins, "open", loadavg(1))
    assert bands.core_free()  # this process alone on two cores
    monkeypatch.setattr(builtins, "open", loadavg(2))
    assert not bands.core_free()  # another process running: no core free
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0})
    monkeypatch.setattr(builtins, "open", loadavg(1))
    assert not bands.core_free()  # one core


def test_a_big_graph_with_a_node_the_file_does_not_place_is_made_by_one_process(
        qapp, big_graph):
    graph = dict(big_graph, nodes=[dict(n) for n in big_graph["nodes"]])
    del graph["nodes"][7]["x"], graph["nodes"][7]["y"]
    assert policy.picture_seam(from_dict(graph)) is None


def test_a_band_builds_what_paints_into_it_and_not_the_rest(qapp, big_graph):
    from gradstudio.ui.canvas.scene import GraphScene
    from gradstudio.ui.editor.document import Document
    model = from_dict(big_graph)
    seam = policy.picture_seam(model)
    whole = GraphScene(Document(model, None), indexed=False)
    upper = GraphScene(Document(from_dict(big_graph), None), indexed=False,
                       band=(float("-inf"), seam))
    assert 0 < len(upper.nodes) < len(whole.nodes)
    assert 0 < len(upper.edges) < len(whole.edges)
    for edge, item in whole.edges.items():  # every wire reaching above the seam is there
        if item.sceneBoundingRect().top() < seam:
            assert edge in upper.edges


def test_an_export_makes_its_picture_without_collections_and_gives_them_back(
        qapp, tmp_path, monkeypatch):
    """heap.paused: the collector is off while the picture is built and painted (its
    walks over the canvas found nothing to free), on again after, also after a
    refused file."""
    import gc
    seen = []
    real = headless._annotated_scene

    def build(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(headless, "_annotated_scene", build)
    graph = tmp_path / "g.json"
    graph.write_text(json.dumps(generate(30, seed=1, layout=True)))
    assert gc.isenabled()
    headless.export_file(graph, tmp_path / "g.png", after="backward")
    assert seen == [False] and gc.isenabled()
    graph.write_text("{not json")
    with pytest.raises(headless.GraphError):
        headless.export_file(graph, tmp_path / "h.png")
    assert gc.isenabled()
