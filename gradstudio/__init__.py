"""gradstudio: computation graphs for teaching derivatives and backpropagation."""

__version__ = "0.1.0"

# The Python API (docs/python-api.md), imported on first use: ``import gradstudio``
# stays quick and loads neither Qt nor networkx nor numpy.
_API = ("Graph", "load", "from_micrograd", "NotComputed", "UnknownNode",
        "GraphError", "FileFormatError", "FormulaError", "SaveError")


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib
    value = getattr(importlib.import_module("gradstudio.api"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted([*globals(), *_API])
