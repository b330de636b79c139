"""The installed package must hold every subpackage and resource of the source tree."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_subpackage_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts)
             for p in (ROOT / "gradstudio").rglob("__init__.py")}
    assert found <= listed, f"add to [tool.setuptools] packages: {sorted(found - listed)}"
    assert "gradstudio.resources" in listed


def test_every_resource_folder_is_packaged():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["package-data"]["gradstudio.resources"]
    folders = {p.parent.name for p in (ROOT / "resources").rglob("*") if p.is_file()
               and p.parent != ROOT / "resources" and "__pycache__" not in p.parts}
    covered = {pattern.split("/")[0] for pattern in patterns}
    assert folders <= covered, f"add to package-data: {sorted(folders - covered)}"


def test_examples_load_through_the_installed_resource_helper():
    from gradstudio.core import fileformat
    from gradstudio.resources_path import example
    for name in ("chain_rule", "colah_paths", "square"):
        assert len(fileformat.load(example(name))) > 0
