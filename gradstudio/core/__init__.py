"""The headless heart of gradstudio: ops, graph model, passes and file format.

Nothing in this package imports Qt, so scripts and tests use it without a display.
The names below are imported on first use, so ``gradstudio eval`` (which never
builds the editor's networkx graph) does not pay for importing networkx.
"""

from gradstudio.core.errors import GraphError, FileFormatError

__all__ = [
    "OPS", "Op", "get_op", "GraphError", "FileFormatError", "GraphModel",
    "Evaluation", "evaluate",
]

_LAZY = {
    "OPS": "gradstudio.core.ops", "Op": "gradstudio.core.ops", "get_op": "gradstudio.core.ops",
    "GraphModel": "gradstudio.core.model",
    "Evaluation": "gradstudio.core.passes", "evaluate": "gradstudio.core.passes",
}


def __getattr__(name: str):
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
