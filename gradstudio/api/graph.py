"""``Graph``: one computation graph and the numbers of its last pass, for notebooks and scripts.

A thin layer over the core (GraphModel, Evaluation, the file format, the formula
builder): the same checks and messages, nothing computed differently. Numbers are
read only from a pass run on the graph as it is now: a ``value`` asked for before
any pass, or after ``set`` changed a number, raises ``NotComputed`` saying which
pass to run, never a stale or made-up number. Qt is imported only when a picture
is asked for (``svg``, ``png``, ``_repr_svg_``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import warnings

from gradstudio.core import fileformat
from gradstudio.core.errors import GraphError
from gradstudio.core.model import GraphModel
from gradstudio.core.passes import EdgeNumbers, Evaluation

#: How many known names a KeyError lists before it says how many more there are.
NAMES_SHOWN = 30
#: Past this many nodes a notebook cell shows the text, not the picture: the SVG of
#: 230 nodes is 2 MB, of 3,250 nodes 33 MB (kept in the .ipynb) and 3.5 s to draw.
REPR_MAX_NODES = 400
PASSES = ("forward", "backward")


class UnknownNode(KeyError, GraphError):
    """A name that is no node of the graph. A KeyError (as a mapping would raise) and a
    GraphError (as the core's "no node" is); the message lists the known names."""

    def __str__(self) -> str:  # KeyError would show the message quoted
        return str(self.args[0]) if self.args else ""


class NotComputed(GraphError):
    """A number was asked for that no current pass has computed; says what to run."""


class Graph:
    """A computation graph with forward and backward passes, as the window runs them.

    Make one with ``Graph.from_formula``, ``gradstudio.load`` or
    ``gradstudio.from_micrograd``; ``graph.model`` is the core GraphModel beneath.
    """

    def __init__(self, model: GraphModel, *, laid_out: bool = True) -> None:
        self.model = model
        self._evaluation: Evaluation | None = None
        self._laid_out = laid_out  # False: positions are made when first needed
        self._micrograd_ids: dict[int, str] = {}  # id(Value) -> node, see name_of
        self._micrograd_values: list = []  # keeps those ids valid

    # ------------------------------------------------------------- making
    @classmethod
    def from_formula(cls, text: str, /, **values: float) -> "Graph":
        """The graph of ``"J = 3*(a + b*c)"`` (docs/formula.md), inputs set by keyword.

        Built as ``gradstudio new --formula`` builds it; laid out only when a
        picture, a file or the window asks for positions (most of the build's time).
        """
        from gradstudio.core.formula import build
        from gradstudio.core.formulaparse import FormulaError
        # As --set reads them: 5 is 5.0 in the file too; numpy's scalars, Fraction and
        # Decimal as the float they stand for.
        values = {k: _float(v, f"from_formula: {k}", FormulaError) for k, v in values.items()}
        try:
            model = build(text, values, layout=False)
        except FormulaError as exc:
            if exc.column is None and str(exc).startswith("--set: "):  # said for the CLI
                raise FormulaError("from_formula: " + str(exc)[len("--set: "):]) from None
            raise
        return cls(model, laid_out=False)

    # ------------------------------------------------------------- reading
    @property
    def nodes(self) -> list[str]:
        """Node ids, in file order."""
        return self.model.nodes()

    @property
    def edges(self) -> list[tuple[str, str, int]]:
        """Wires as (source, target, port), in file order."""
        return self.model.edges()

    @property
    def inputs(self) -> list[str]:
        return self.model.inputs()

    @property
    def output(self) -> str:
        """The node whose gradient is 1 (the file's output or the only sink)."""
        return self.model.resolve_output()

    @property
    def problems(self) -> dict[str, str]:
        """Nodes where the current numbers first become inf or nan, with the reason;
        empty while no pass has run on the graph as it is now (nothing known yet)."""
        evaluation = self._evaluation
        if evaluation is None or not evaluation.is_current():
            return {}
        return dict(evaluation.problems)

    def node(self, name: str) -> str:
        """``name`` if it is a node id; otherwise UnknownNode (a KeyError) listing the ids."""
        if name in self.model:
            return name
        ids = self.model.nodes()
        known = ", ".join(ids[:NAMES_SHOWN])
        if len(ids) > NAMES_SHOWN:
            known += f", … ({len(ids) - NAMES_SHOWN:,} more)"
        hint = ""
        labelled = [i for i in ids if self.model.label(i) == name] if isinstance(name, str) else []
        if labelled:
            hint = f"; {name!r} is the label of {', '.join(map(repr, labelled[:3]))}"
        raise UnknownNode(f"no node {name!r} (known: {known or 'none'}){hint}")

    # -------------------------------------------------------------- passes
    def forward(self) -> "Graph":
        """Every node's value and every wire's local derivative."""
        self._evaluation = self._warned(Evaluation(self.model))
        return self

    def backward(self, output: str | None = None) -> "Graph":
        """Gradients of the output (or of ``output``); runs forward first when the
        numbers are not those of the graph as it is now. Nothing accumulates."""
        if output is not None:
            output = self.node(output)
        evaluation = self._evaluation
        if evaluation is None or not evaluation.is_current():
            evaluation = self._warned(Evaluation(self.model))
        self._evaluation = evaluation.backward(output)
        return self

    @staticmethod
    def _warned(evaluation: Evaluation) -> Evaluation:
        for node_id, reason in evaluation.problems.items():
            warnings.warn(f"node {node_id!r} gives {evaluation.value(node_id)} ({reason})",
                          RuntimeWarning, stacklevel=3)
        return evaluation

    def _current(self, what: str, backward: bool = False) -> Evaluation:
        evaluation = self._evaluation
        run = "g.backward()" if backward else "g.forward() or g.backward()"
        if evaluation is None:
            raise NotComputed(f"{what}: nothing computed yet: run {run} first")
        if not evaluation.is_current():
            raise NotComputed(f"{what}: the graph changed since the last pass: "
                              f"run {run} again")
        if backward and evaluation.node_grads is None:
            raise NotComputed(f"{what}: no backward pass since the last change: "
                              "run g.backward()")
        return evaluation

    def value(self, name: str) -> float:
        """The node's value from the last forward pass."""
        node_id = self.node(name)
        return self._current(f"value({name!r})").value(node_id)

    def grad(self, name: str) -> float:
        """d(output)/d(node) from the last backward pass (0 where it cannot reach the output)."""
        node_id = self.node(name)
        return self._current(f"grad({name!r})", backward=True).grad(node_id)

    def wire(self, source: str, target: str, port: int | None = None) -> EdgeNumbers:
        """The numbers on the wire source → target: value, local, grad (None before
        backward). ``port`` is needed only where source feeds target more than once."""
        edge = self._edge(source, target, port)
        return self._current(f"wire({source!r}, {target!r})").edge(*edge)

    def local(self, source: str, target: str, port: int | None = None) -> float:
        """∂target/∂(its input from source), at the forward values."""
        edge = self._edge(source, target, port)
        return self._current(f"local({source!r}, {target!r})").edge(*edge).local

    def _edge(self, source: str, target: str, port: int | None) -> tuple[str, str, int]:
        source, target = self.node(source), self.node(target)
        ports = [p for p in range(self.model.op_of(target).ports)
                 if self.model.source(target, p) == source]
        if port is not None:
            if port not in ports:
                raise GraphError(f"no wire {source} → {target} into port {port!r}"
                                 + (f" (it goes into port {ports[0]})" if ports else ""))
            return source, target, port
        if not ports:
            into = [u for u, _v, _p in self.model.in_edges(target)]
            raise GraphError(f"no wire {source} → {target} ({target} takes "
                             + (", ".join(into) if into else "no wires") + ")")
        if len(ports) > 1:
            raise GraphError(f"{source} feeds {target} on ports {ports[0]} and {ports[1]}: "
                             f"say which, e.g. port={ports[0]}")
        return source, target, ports[0]

    # ------------------------------------------------------------- editing
    def set(self, name: str, value: float) -> "Graph":
        """Set an input's value (or a scale's factor, a power's exponent). The numbers
        computed before become stale: run a pass again to read numbers."""
        node_id = self.node(name)
        op = self.model.op_of(node_id)
        if len(op.params) != 1:
            raise GraphError(f"{node_id!r} is a {op.name} node: it has no number to set "
                             "(set an input's value, a scale's factor or a power's exponent)")
        value = _float(value, f"set({name!r})", GraphError)
        self.model.set_param(node_id, op.params[0].name, value)
        return self

    # -------------------------------------------------------------- files
    def _placed(self) -> GraphModel:
        """The model, laid out as ``gradstudio new`` lays out a formula's graph."""
        if not self._laid_out:
            from gradstudio.core.layout import apply_layout, auto_layout
            apply_layout(self.model, auto_layout(self.model))
            self._laid_out = True
        return self.model

    def save(self, path: str | os.PathLike) -> None:
        """Write file format v1, atomically (SaveError on failure, the old file intact)."""
        fileformat.save(self._placed(), path)

    def to_json(self) -> str:
        """The file's text, as ``save`` writes it."""
        return fileformat.dumps(self._placed())

    # ------------------------------------------------------------ pictures
    def _shown(self) -> str | None:
        evaluation = self._evaluation
        if evaluation is None or not evaluation.is_current():
            return None
        return "forward" if evaluation.node_grads is None else "backward"

    def _render(self, kind: str, after: str | None, scale: float, text_size: float) -> bytes:
        if after is None:
            after = self._shown()
        elif after == "none":
            after = None
        elif after not in PASSES:
            raise ValueError(f"after must be 'forward', 'backward', 'none' or None, "
                             f"not {after!r}")
        if not (100 <= text_size <= 300):
            raise ValueError("text_size must be from 100 to 300 (percent)")
        try:
            from gradstudio.ui.canvas.export import at_text_size
            from gradstudio.ui.headless import render
        except ImportError as exc:  # a system library Qt needs: named, not a traceback
            from gradstudio.display import qt_library_problem
            said = qt_library_problem(exc)
            if said is None:
                raise
            raise RuntimeError(f"{said}; pictures need Qt's libraries") from None
        copy = fileformat.from_dict(fileformat.to_dict(self._placed()))  # the document's own
        with at_text_size(text_size):
            return render(copy, kind, after=after, scale=scale)

    def svg(self, after: str | None = None, text_size: float = 100) -> str:
        """The picture ``gradstudio export OUT.svg --after AFTER --text-size T`` draws,
        as SVG text.

        ``after`` None shows the numbers this graph holds now (none if stale);
        "forward" or "backward" runs that pass for the picture; "none" shows none.
        ``text_size``: percent, 100 to 300, as View → Text Size (for slides).
        """
        return self._render("svg", after, 1.0, text_size).decode("utf-8")

    def png(self, scale: float = 1.0, after: str | None = None,
            text_size: float = 100) -> bytes:
        """The picture ``gradstudio export OUT.png --scale SCALE`` draws, as PNG bytes
        (``after`` and ``text_size`` as for ``svg``)."""
        if not (0 < scale <= 16):
            raise ValueError("scale must be more than 0 and at most 16")
        return self._render("png", after, scale, text_size)

    def _repr_svg_(self) -> str | None:
        """Jupyter shows a Graph as its annotated picture (up to REPR_MAX_NODES nodes;
        bigger ones as text: ``svg()``, ``png()`` and ``open()`` still draw them)."""
        if len(self.model) > REPR_MAX_NODES:
            return None
        return self.svg()

    def open(self, path: str | os.PathLike | None = None) -> subprocess.Popen:
        """Open the graph in the gradstudio window, in a process of its own.

        Saved to ``path`` first, and the window works on that file; without ``path``,
        to a temporary file the window reads, deletes and shows as an Untitled graph
        (Save asks for a name). Where no window can open (no display, a system library
        Qt cannot load), RuntimeError with the window's own one line, nothing started."""
        from gradstudio.display import display_problem, qt_import_problem
        problem = display_problem()
        if problem is None and "PySide6.QtWidgets" not in sys.modules:
            problem = qt_import_problem()  # a child that would die at once otherwise
        if problem is not None:
            raise RuntimeError(f"{problem}; in a notebook, g.png() and g.svg() draw the "
                               "graph without one")
        if path is not None:
            self.save(path)
            command = ["-m", "gradstudio", os.fspath(path)]
        else:
            copy = os.path.join(tempfile.mkdtemp(prefix="gradstudio-"), "untitled.json")
            self.save(copy)
            command = ["-c", _OPEN_COPY, copy]
        return subprocess.Popen([sys.executable, *command],
                                stdin=subprocess.DEVNULL, start_new_session=True)

    # ------------------------------------------------------------ elsewhere
    def to_networkx(self, after: str | None = None):
        """A networkx.MultiDiGraph: nodes carry their file fields (op, label, params,
        x, y) and ``value``/``grad``, wires are keyed by port and carry ``value``,
        ``local``, ``grad``; numbers only where a current pass computed them.
        ``after`` "forward"/"backward": the numbers of that pass, run for this call
        alone (as for the pictures: the graph's own numbers stay as they are)."""
        import networkx as nx
        if after is None:
            shown = self._shown()
            evaluation = self._evaluation if shown else None
        elif after in PASSES:
            shown = after
            evaluation = self._warned(Evaluation(self.model))
            if after == "backward":
                evaluation = evaluation.backward()
        else:
            raise ValueError(f"after must be 'forward', 'backward' or None, not {after!r}")
        out = nx.MultiDiGraph(output=self.model.output)
        for node_id, data in self.model.graph.nodes(data=True):
            numbers = {}
            if evaluation is not None:
                numbers["value"] = evaluation.value(node_id)
                if shown == "backward":
                    numbers["grad"] = evaluation.grad(node_id)
            out.add_node(node_id, **{**data, **numbers})
        for edge in self.model.edges():
            numbers = {}
            if evaluation is not None:
                wire = evaluation.edge(*edge)
                numbers = {"value": wire.value, "local": wire.local}
                if shown == "backward":
                    numbers["grad"] = wire.grad
            out.add_edge(edge[0], edge[1], key=edge[2],
                         **{**self.model.edge_extra(edge), "port": edge[2], **numbers})
        if shown == "backward":
            out.graph["output"] = evaluation.output
        return out

    def to_python(self, style: str = "micrograd", path: str | os.PathLike | None = None) -> str:
        """A runnable script that rebuilds this graph with micrograd or PyTorch and
        prints every node's value and gradient (see api/topython.py); also written
        to ``path`` (atomically) when given."""
        from gradstudio.api.topython import to_python
        script = to_python(self.model, style)
        if path is not None:
            from gradstudio.core.atomic import atomic_write
            atomic_write(path, script.encode("utf-8"))
        return script

    def name_of(self, value) -> str:
        """The node a micrograd Value became (graphs made by ``from_micrograd``)."""
        try:
            return self._micrograd_ids[id(value)]
        except KeyError:
            raise UnknownNode(f"{value!r} is not a Value this graph was made from") from None

    # ---------------------------------------------------------------- show
    def __repr__(self) -> str:
        shown = self._shown()
        numbers = f"{shown} computed" if shown else "nothing computed"
        try:
            out = f", output {self.output!r}"
        except GraphError:
            out = ""
        big = (" (too big to show inline: g.png(), g.svg() or g.open())"
               if len(self.model) > REPR_MAX_NODES else "")
        return (f"<gradstudio.Graph: {len(self.model)} nodes, {len(self.model.edges())} wires"
                f"{out}, {numbers}>{big}")


#: The window on a temporary copy: read, deleted, shown Untitled (start.run).
_OPEN_COPY = ("import sys; from gradstudio.ui.app.start import run; "
              "sys.exit(run(sys.argv[1:], temporary=True))")


def _float(value, where: str, error: type[GraphError]):
    """A real number (int, numpy's scalars, Fraction, Decimal, ...) as a float; others
    as they are, for the core to refuse with its message. One beyond a double's range
    is refused in one line, the number shortened."""
    import numbers
    if isinstance(value, bool) or not isinstance(value, (numbers.Real, _decimal_type())):
        return value
    try:
        return float(value)
    except (OverflowError, ValueError):
        from gradstudio.core.formulaparse import shorten
        raise error(f"{where}: {shorten(str(value))} is too large a number "
                    "(beyond a double's range)") from None


def _decimal_type():
    decimal = sys.modules.get("decimal")  # a Decimal exists only once decimal is imported
    return decimal.Decimal if decimal is not None else float


def load(path: str | os.PathLike) -> Graph:
    """A graph file (format v1) as a Graph; FileFormatError naming the file and place."""
    return Graph(fileformat.load(path))
