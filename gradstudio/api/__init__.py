"""The Python API for notebooks and scripts: Graph, load, from_micrograd.

No Qt until a picture is asked for; the modules are imported on first use.
"""

__all__ = ["Graph", "load", "from_micrograd", "NotComputed", "UnknownNode",
           "GraphError", "FileFormatError", "FormulaError", "SaveError"]

_LAZY = {
    "Graph": "gradstudio.api.graph", "load": "gradstudio.api.graph",
    "NotComputed": "gradstudio.api.graph", "UnknownNode": "gradstudio.api.graph",
    "from_micrograd": "gradstudio.api.micrograd",
    # The core's error classes, for ``except gs.FileFormatError:`` and the like.
    "GraphError": "gradstudio.core.errors", "FileFormatError": "gradstudio.core.errors",
    "FormulaError": "gradstudio.core.formulaparse", "SaveError": "gradstudio.core.atomic",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
