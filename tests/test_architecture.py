"""The folder tree is the architecture (docs/architecture.md): these checks keep it so.

Imports are read from the source with ``ast`` (function-level ones included), so a
forbidden or circular import fails here whatever imports it lazily.
"""

import ast
from pathlib import Path

import networkx as nx

PACKAGE = Path(__file__).resolve().parent.parent / "gradstudio"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Each gradstudio module: the gradstudio modules it imports (at any depth)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets.add(node.module)
                # "from gradstudio.ui.app import window": the module window too
                targets.update(f"{node.module}.{a.name}" for a in node.names
                               if f"{node.module}.{a.name}" in modules)
        found[name] = {t for t in targets if t in modules and t != name}
    return found


def test_no_import_cycles_anywhere():
    graph = nx.DiGraph((m, t) for m, ts in _imports().items() for t in ts
                       # a package's __init__ is imported with each of its modules
                       if not m.startswith(t + "."))
    assert list(nx.simple_cycles(graph)) == []


def test_the_core_imports_neither_qt_nor_the_ui():
    for path in (PACKAGE / "core").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "PySide6" not in text and "gradstudio.ui" not in text, path.name


def test_dependencies_point_one_way():
    allowed = {  # part -> the ui parts it may import (besides itself and theme)
        "canvas": set(),
        "teaching": set(),
        "editor": {"canvas"},
        "lecture": {"canvas", "teaching"},
        "app": {"canvas", "editor", "teaching", "lecture"},
    }
    for module, targets in _imports().items():
        parts = module.split(".")
        if len(parts) < 3 or parts[1] != "ui" or parts[2] not in allowed:
            continue
        for target in targets:
            tparts = target.split(".")
            if len(tparts) >= 3 and tparts[1] == "ui" and tparts[2] in allowed:
                assert tparts[2] in allowed[parts[2]] | {parts[2]}, (module, target)


def test_ui_shows_its_parts_with_few_loose_modules():
    ui = PACKAGE / "ui"
    loose = sorted(p.name for p in ui.glob("*.py") if p.name != "__init__.py")
    assert len(loose) <= 8, loose
    assert {"app", "editor", "canvas", "teaching"} <= {p.name for p in ui.iterdir()
                                                       if (p / "__init__.py").exists()}


def test_features_use_the_editors_api_not_its_private_parts():
    """No feature reaches into the window's private attributes or finds a menu by its
    title: ``window._x``, ``menuBar().actions()`` and ``findChild`` are the signs."""
    for part in ("teaching", "lecture", "editor", "app"):
        for path in (PACKAGE / "ui" / part).rglob("*.py"):
            if path.name in ("editor.py", "window.py"):  # the API itself, and its owner
                continue
            text = path.read_text(encoding="utf-8")
            for sign in ("window._", "menuBar().actions()", "findChild("):
                assert sign not in text, (path.name, sign)
