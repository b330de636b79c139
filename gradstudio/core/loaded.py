"""A validated graph file as columns, for ``gradstudio eval`` (see columns.py).

Its own module because it is the one place that needs both the columns and the
Plan compiled from them: columns.py stays below plan.py, with no way back.
"""

from __future__ import annotations

import numpy as np

from gradstudio.core.columns import (INPUT_CODE, OP_NAMES, OP_PORTS, Columns, choose_output,
                                     refuse_incomplete)
from gradstudio.core.errors import GraphError
from gradstudio.core.ops import OPS
from gradstudio.core.plan import Plan


class LoadedGraph:
    """A validated graph file as columns, for headless evaluation.

    What ``gradstudio eval`` needs of a file, without building the editor's
    networkx graph: the structure (``columns()``), the params as float columns,
    labels, the chosen output. It never changes after the load.
    """

    revision = 0
    structure_revision = 0

    def __init__(self, columns: Columns, params: dict[str, np.ndarray],
                 labels: dict[str, str], output: str | None, extra: dict) -> None:
        self._columns = columns
        self.ids = columns.ids
        self.position = columns.position
        self._params = params  # param name -> one float per node (0 where it has none)
        self._labels = labels  # only the nodes that have a label
        self.output = output
        self.extra = extra
        self._plan = None

    # the interface a Plan and an Evaluation use
    def columns(self) -> Columns:
        return self._columns

    def param_values(self, name: str, ids: list[str], positions: np.ndarray):
        return self._params[name][positions]

    def plan(self):
        if self._plan is None:
            self._plan = Plan(self)
        return self._plan

    # queries, as GraphModel answers them
    def __contains__(self, node_id) -> bool:
        return node_id in self.position

    def __len__(self) -> int:
        return len(self.ids)

    def nodes(self) -> list[str]:
        return list(self.ids)

    def op_of(self, node_id: str):
        return OPS[OP_NAMES[self._code(node_id)]]

    def _code(self, node_id: str) -> int:
        try:
            return int(self._columns.op_codes[self.position[node_id]])
        except KeyError:
            raise GraphError(f"no node {node_id!r}") from None

    def node_data(self, node_id: str) -> dict:
        """The node's op, label and params, as a file node holds them (a fresh dict)."""
        op = self.op_of(node_id)
        data: dict = {"op": op.name}
        if node_id in self._labels:
            data["label"] = self._labels[node_id]
        i = self.position[node_id]
        for name in op.param_names:
            data[name] = float(self._params[name][i])
        return data

    def label(self, node_id: str) -> str:
        return self._labels.get(node_id, node_id)

    def inputs(self) -> list[str]:
        ids = self.ids
        return [ids[i] for i in np.flatnonzero(self._columns.op_codes == INPUT_CODE).tolist()]

    def sinks(self) -> list[str]:
        cols = self._columns
        has_out = np.bincount(cols.src, minlength=len(self.ids)) > 0
        return [self.ids[i] for i in np.flatnonzero(~has_out).tolist()]

    def resolve_output(self, explicit: str | None = None) -> str:
        return choose_output(explicit, self.output, self.__contains__, self.sinks)

    def missing_port(self) -> tuple[str, int] | None:
        """The first non-input node with an unconnected port, as (node, port)."""
        cols = self._columns
        n = len(self.ids)
        needed = OP_PORTS[cols.op_codes]
        have = np.bincount(cols.tgt, minlength=n)  # ports are unique per target
        short = np.flatnonzero(have < needed)
        if not len(short):
            return None
        i = int(short[0])
        taken = set(cols.port[cols.tgt == i].tolist())
        port = next(p for p in range(int(needed[i])) if p not in taken)
        return self.ids[i], port

    def check_complete(self) -> None:
        refuse_incomplete(self)
