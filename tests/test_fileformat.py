"""File format v1: stable round trips, unknown keys kept, atomic saves that fail safely."""

from __future__ import annotations

import errno
import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from as_nobody import child_report
from conftest import example_path, load_example
from gradstudio.core import evaluate, fileformat
from gradstudio.core.atomic import SaveError

WITH_UNKNOWN_KEYS = """{
  "format": "gradstudio", "version": 1, "output": "J",
  "made_by": {"script": "gen.py", "seed": 7, "tags": ["lecture", 3, 2.5, null, true]},
  "zz_top": "last key",
  "nodes": [
    {"id": "a", "op": "input", "value": 5, "color": "#ff0000", "x": 1.5, "y": -2},
    {"id": "b", "op": "input", "value": -3.25, "note": {"text": "café ∂J/∂b", "n": [1, 2]}},
    {"id": "m", "op": "multiply", "label": "a·b", "hidden": false},
    {"id": "J", "op": "scale", "factor": 0.5, "weight": null}
  ],
  "edges": [
    {"from": "b", "to": "m", "port": 1, "style": "dashed", "bend": [0.25, 10]},
    {"port": 0, "to": "m", "from": "a"},
    {"from": "m", "to": "J", "port": 0, "": "empty key"}
  ]
}
"""


def save_bytes(model, path: Path) -> bytes:
    fileformat.save(model, path)
    return path.read_bytes()


def round_trip(source: Path, tmp_path: Path) -> tuple[bytes, bytes]:
    first = save_bytes(fileformat.load(source), tmp_path / "first.json")
    second = save_bytes(fileformat.load(tmp_path / "first.json"), tmp_path / "second.json")
    return first, second


def test_examples_round_trip_to_identical_bytes(example_name, tmp_path):
    example = example_path(example_name)
    first, second = round_trip(example, tmp_path)
    assert first == second
    # The shipped examples are already in the saved form.
    assert first == example.read_bytes()


def test_unknown_keys_survive_at_every_level(tmp_path):
    source = tmp_path / "extra.json"
    source.write_text(WITH_UNKNOWN_KEYS, encoding="utf-8")
    first, second = round_trip(source, tmp_path)
    assert first == second
    saved = json.loads(first)
    original = json.loads(WITH_UNKNOWN_KEYS)
    assert saved["made_by"] == original["made_by"]
    assert saved["zz_top"] == "last key"
    nodes = {n["id"]: n for n in saved["nodes"]}
    assert nodes["a"]["color"] == "#ff0000"
    assert nodes["b"]["note"] == {"text": "café ∂J/∂b", "n": [1, 2]}
    assert nodes["m"]["hidden"] is False
    assert "weight" in nodes["J"] and nodes["J"]["weight"] is None
    # Edges keep file order and their own extra keys.
    assert [(e["from"], e["to"], e["port"]) for e in saved["edges"]] == [
        ("b", "m", 1), ("a", "m", 0), ("m", "J", 0)]
    assert saved["edges"][0]["style"] == "dashed"
    assert saved["edges"][0]["bend"] == [0.25, 10]
    assert saved["edges"][2][""] == "empty key"
    # Numbers keep their JSON type: 5 stays 5, -3.25 stays -3.25, -2 stays an int.
    assert '"value": 5,' in first.decode("utf-8")
    assert nodes["a"]["y"] == -2 and isinstance(nodes["a"]["y"], int)
    assert nodes["b"]["value"] == -3.25
    # The graph itself still computes: J = ½·a·b = ½·5·(-3.25)
    model = fileformat.load(tmp_path / "second.json")
    r = evaluate(model)
    assert r.value("J") == -8.125
    assert r.grad("a") == -1.625 and r.grad("b") == 2.5


def _assert_sorted(pairs):
    keys = [k for k, _ in pairs]
    assert keys == sorted(keys), keys
    return dict(pairs)


def test_saved_text_is_sorted_indented_utf8(tmp_path):
    source = tmp_path / "extra.json"
    source.write_text(WITH_UNKNOWN_KEYS, encoding="utf-8")
    data = save_bytes(fileformat.load(source), tmp_path / "out.json")
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8")  # strict: raises if not UTF-8
    assert "café ∂J/∂b" in text  # written as UTF-8, not \u escapes
    assert "\\u" not in text
    assert text.endswith("}\n")
    json.loads(text, object_pairs_hook=_assert_sorted)  # every object's keys sorted
    lines = text.splitlines()
    assert len(lines) > 30
    assert lines[0] == "{"
    assert lines[1].startswith('  "edges": [')
    for line in lines:
        indent = len(line) - len(line.lstrip(" "))
        assert indent % 2 == 0, line
        assert not line.endswith(" "), line
    assert "\t" not in text


def test_save_keeps_the_old_file_mode(tmp_path):
    target = tmp_path / "g.json"
    target.write_text("old")
    target.chmod(0o640)
    fileformat.save(load_example("chain_rule"), target)
    assert target.stat().st_mode & 0o777 == 0o640
    assert target.read_bytes() == example_path("chain_rule").read_bytes()


# ----------------------------------------------------------------- failed saves
def leftovers(folder: Path, keep: set[str]) -> set[str]:
    return {p.name for p in folder.iterdir()} - keep


def test_save_onto_a_folder_is_refused(tmp_path):
    target = tmp_path / "graph.json"
    target.mkdir()
    inside = target / "old.json"
    inside.write_bytes(b"precious")
    model = load_example("chain_rule")
    with pytest.raises(SaveError) as info:
        fileformat.save(model, target)
    assert str(target) in str(info.value)
    assert "folder" in str(info.value)
    assert target.is_dir()
    assert inside.read_bytes() == b"precious"
    assert leftovers(tmp_path, {"graph.json"}) == set()
    assert leftovers(target, {"old.json"}) == set()


def _save_as_nobody(model, target: Path) -> dict:
    """Save in a child process that has dropped root; report what happened."""
    def work() -> dict:
        report = {}
        try:  # prove that the folder really is read-only for us now
            (target.parent / "probe").write_bytes(b"x")
            report["probe"] = "written"
        except PermissionError:
            report["probe"] = "refused"
        try:
            fileformat.save(model, target)
            report["result"] = "saved"
        except SaveError as exc:
            report["result"] = "SaveError"
            report["message"] = str(exc)
        except BaseException as exc:  # noqa: BLE001 - reported to the parent
            report["result"] = f"{type(exc).__name__}: {exc}"
        return report

    return child_report(work)


@pytest.mark.skipif(not hasattr(os, "fork") or not hasattr(os, "setuid"), reason="needs POSIX fork/setuid")
def test_save_into_a_read_only_folder_leaves_the_old_file():
    model = load_example("chain_rule")
    model.set_param("a", "value", 6)  # something different to write
    # pytest's tmp_path lives under a 0700 folder of root's; nobody needs a way in.
    folder = Path(tempfile.mkdtemp(prefix="gradstudio-ro-"))
    try:
        target = folder / "graph.json"
        old = b'{"format": "gradstudio", "version": 1, "nodes": []}\n'
        target.write_bytes(old)
        target.chmod(0o644)
        if os.geteuid() == 0:
            folder.chmod(0o555)
            report = _save_as_nobody(model, target)
            assert "crash" not in report, report
            assert report["probe"] == "refused", report  # the folder really was read-only
        else:
            folder.chmod(0o555)
            if os.access(folder, os.W_OK):  # pragma: no cover - e.g. CAP_DAC_OVERRIDE
                pytest.skip("this user can write into a 0555 folder")
            try:
                fileformat.save(model, target)
                report = {"result": "saved"}
            except SaveError as exc:
                report = {"result": "SaveError", "message": str(exc)}
        assert report["result"] == "SaveError", report
        assert str(target) in report["message"]
        assert "ermission denied" in report["message"]
        assert "\n" not in report["message"]
        assert target.read_bytes() == old
        assert leftovers(folder, {"graph.json"}) == set()
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)


def test_a_write_error_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "graph.json"
    old = example_path("square").read_bytes()
    target.write_bytes(old)
    model = load_example("chain_rule")

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(SaveError) as info:
        fileformat.save(model, target)
    assert str(target) in str(info.value)
    assert os.strerror(errno.ENOSPC) in str(info.value)
    assert target.read_bytes() == old
    assert leftovers(tmp_path, {"graph.json"}) == set()


def test_a_failed_rename_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    target = tmp_path / "graph.json"
    target.write_bytes(b"old bytes")

    def failing_replace(src, dst):
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(SaveError):
        fileformat.save(load_example("square"), target)
    assert target.read_bytes() == b"old bytes"
    assert leftovers(tmp_path, {"graph.json"}) == set()


def test_an_interrupted_save_cleans_up_and_propagates(tmp_path, monkeypatch):
    target = tmp_path / "graph.json"
    target.write_bytes(b"old bytes")

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        fileformat.save(load_example("square"), target)
    assert target.read_bytes() == b"old bytes"
    assert leftovers(tmp_path, {"graph.json"}) == set()


def test_save_into_a_missing_folder_is_a_save_error(tmp_path):
    target = tmp_path / "no" / "such" / "graph.json"
    with pytest.raises(SaveError) as info:
        fileformat.save(load_example("square"), target)
    assert str(target) in str(info.value)
    assert not (tmp_path / "no").exists()
