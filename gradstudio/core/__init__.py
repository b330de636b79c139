"""The headless heart of gradstudio: ops, graph model, passes and file format.

Nothing in this package imports Qt, so scripts and tests use it without a display.
"""

from gradstudio.core.errors import GraphError, FileFormatError
from gradstudio.core.ops import OPS, Op, get_op
from gradstudio.core.model import GraphModel
from gradstudio.core.passes import Evaluation, evaluate

__all__ = [
    "OPS", "Op", "get_op", "GraphError", "FileFormatError", "GraphModel",
    "Evaluation", "evaluate",
]
