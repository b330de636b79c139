"""Exported SVGs are XML whatever the labels hold (control characters too)."""

import xml.etree.ElementTree as ET

import pytest

from gradstudio.ui.canvas.export import render_svg, valid_xml
from gradstudio.ui.canvas.scene import GraphScene
from gradstudio.ui.editor.document import Document


@pytest.mark.parametrize("label", ["a\x00b", "esc\x1b[0m", "\x07bell", "<&>\"'", "no\ufffe",
                                   "tab\tnew\nline"])
def test_a_label_with_any_character_exports_as_xml(qapp, examples, label):
    doc = Document()
    doc.open(examples / "chain_rule.json")
    node = next(n for n in doc.model.graph.nodes if doc.model.op_of(n).name == "input")
    doc.model.set_label(node, label)  # as a file or a paste could bring it
    doc.run("backward")
    root = ET.fromstring(render_svg(GraphScene(doc)))
    texts = "".join(root.itertext())
    assert "33" in texts  # the graph's output value is there: the picture is whole


def test_valid_xml_replaces_only_what_xml_cannot_hold():
    svg = "<svg><text>a\x00b\tc\n\ufffe&amp;</text></svg>".encode()
    assert valid_xml(svg).decode() == "<svg><text>a\ufffdb\tc\n\ufffd&amp;</text></svg>"
    clean = b"<svg><text>plain</text></svg>"
    assert valid_xml(clean) is clean


def test_a_picture_too_small_to_show_anything_is_refused(tmp_path, examples):
    import subprocess
    import sys
    out = tmp_path / "tiny.png"
    done = subprocess.run([sys.executable, "-m", "gradstudio", "export",
                           str(examples / "chain_rule.json"), str(out), "--scale", "1e-300"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and not out.exists()
    assert "too small" in done.stderr and len(done.stderr.strip().splitlines()) == 1
