"""The command line: `gradstudio [FILE]`, `eval`, `export`, `new`, and `--help`,
`--version`, `--install-desktop`, `--uninstall-desktop`.

Exit status: 0 success, 2 bad input (one line on stderr, no traceback),
3 when `eval --check` finds a gradient that disagrees, 1 only for a bug.
Output that cannot be written (a full disk, standard output closed) is bad
input too: one line, status 2; a reader that stops early (`| head`) is not
an error: nothing is said, status 0.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager

from gradstudio.core.errors import GraphError

SUBCOMMANDS = ("eval", "export", "new")


class UsageError(Exception):
    """Bad arguments: reported like bad input, in one line."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # argparse would print usage and exit; we want one line
        raise UsageError(f"{self.prog}: {message}")

    def _print_message(self, message, file=None):
        """--help on stdout; argparse itself would drop a failed write without a word."""
        if not message:
            return
        if file is not None and file is not sys.stdout:
            super()._print_message(message, file)
            return
        with writing_stdout(self.prog, required=False):
            (sys.stdout or sys.stderr).write(message)  # stdout closed: on stderr, as before


def _eval_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradstudio eval",
                description="Run forward and backward on a graph file and print every number.")
    p.add_argument("file", help="a gradstudio .json file")
    p.add_argument("--output", metavar="ID", help="the node to differentiate (default: the file's output or only sink)")
    p.add_argument("--json", action="store_true", help="print strict JSON instead of a table")
    p.add_argument("--tangent", metavar="INPUT", help="also run forward mode from this input node")
    p.add_argument("--check", action="store_true",
                   help="compare every input's gradient with central differences")
    return p


def _export_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradstudio export",
                description="Draw the annotated graph as PNG or SVG, or a step-by-step "
                            "deck as PDF, without a window.")
    p.add_argument("file", help="a gradstudio .json file")
    p.add_argument("out", help="the picture to write: OUT.png or OUT.svg; OUT.json writes "
                              "the drawn geometry (see docs/file-format.md); with --steps "
                              "OUT.pdf, or OUT.png/OUT.svg for a series")
    p.add_argument("--after", choices=("forward", "backward"),
                   help="annotate with the numbers of this pass (default: none)")
    p.add_argument("--scale", type=float, default=1.0,
                   help="PNG pixels per canvas unit (with --steps, per slide unit: "
                        "1 makes 1920 × 1080 pages)")
    p.add_argument("--text-size", type=float, default=100.0, metavar="PERCENT",
                   help="canvas text size in percent, 100 to 300, as View → Text Size "
                        "(nodes and chips grow to fit; default 100)")
    p.add_argument("--steps", action="store_true",
                   help="a step-by-step deck: the bare graph, one page per step of the "
                        "forward and backward passes with its explanation, the annotated "
                        "graph; OUT.pdf is one file, OUT.png or OUT.svg a series "
                        "OUT-01.png, OUT-02.png, …")
    p.add_argument("--quiz", action="store_true",
                   help="a worksheet: the numbers the graph's quiz hides (without one, "
                        "every value, local derivative and gradient) drawn as answer "
                        "lines (= ______); "
                        "implies --after backward unless --after is given")
    return p


def run_export(args, exit_when_done: bool = False) -> int:
    if not (0 < args.scale <= 16):
        raise UsageError("gradstudio export: --scale must be more than 0 and at most 16")
    if not (100 <= args.text_size <= 300):
        raise UsageError("gradstudio export: --text-size must be from 100 to 300 (percent)")
    from gradstudio.ui.canvas.export import at_text_size
    from gradstudio.ui.headless import export_file
    if getattr(args, "steps", False):
        return run_export_steps(args)
    with at_text_size(args.text_size):
        drawn = export_file(args.file, args.out, after=args.after, scale=args.scale,
                            quiz=args.quiz)
    # A picture with inf or nan in it is drawn as the window draws it (the node shows
    # the problem: design.md), and, as `gradstudio eval` does, a warning line names each
    # node that first gives one, from the pass the picture shows. Status 0: the picture
    # is what was asked for. (A deck, `--steps`, refuses such a graph instead: its pages
    # explain every step's number.)
    if drawn is not None:
        _warn(args.file, drawn)
    if exit_when_done:
        _leave_now()  # a big graph's canvas takes 0.15 s to take apart, for nothing
    return 0


def _warn(name, result) -> None:
    from gradstudio.core.numbers import format_number
    for node_id, reason in result.problems.items():
        print(f"warning: {name}: node {node_id!r} gives {format_number(result.value(node_id))}"
              f" ({reason})", file=sys.stderr)


def run_export_steps(args) -> int:
    """`export --steps`: the deck, with a progress line on stderr when it takes a while."""
    if args.after is not None:
        raise UsageError("gradstudio export: --steps shows both passes step by step; "
                         "leave out --after")
    if getattr(args, "quiz", False):
        raise UsageError("gradstudio export: --steps and --quiz do not go together: a deck "
                         "shows every number, step by step")
    from gradstudio.ui.canvas.export import at_text_size
    from gradstudio.ui.headless import export_steps
    progress = ProgressLine("gradstudio export", args.out)
    try:
        with at_text_size(args.text_size):
            export_steps(args.file, args.out, scale=args.scale, progress=progress,
                         measuring=progress.preparing)
    finally:
        progress.finish()
    return 0


class ProgressLine:
    """``page 37 of 102`` on stderr, once a job has run for ``after`` seconds, at most
    every ``every`` seconds: rewritten in place on a terminal, one line each otherwise."""

    def __init__(self, prog: str, what, after: float = 1.0, every: float = 0.5,
                 stream=None, clock=None) -> None:
        import time
        self.prog, self.what = prog, what
        self.stream = stream if stream is not None else sys.stderr
        self.clock = clock or time.monotonic
        self.start = self.clock()
        self.after, self.every = after, every
        self.last: float | None = None
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def __call__(self, done: int, total: int, what: str = "page") -> bool:
        now = self.clock()
        if now - self.start < self.after or (self.last is not None
                                              and now - self.last < self.every
                                              and done < total):
            return True
        self.last = now
        line = f"{self.prog}: {self.what}: {what} {done} of {total}"
        # On a terminal the line is rewritten: a shorter one blanks what is left over.
        shown, self._width = line.ljust(getattr(self, "_width", 0)), len(line)
        try:
            self.stream.write(("\r" + shown) if self.tty else line + "\n")
            self.stream.flush()
        except (OSError, ValueError, AttributeError):
            pass  # stderr closed: the export goes on without it
        return True

    def preparing(self, done: int, total: int) -> bool:
        """A deck's first walk through its pages (to find their shared frame):
        ``preparing page 37 of 102``."""
        return self(done, total, "preparing page")

    def finish(self) -> None:
        if self.tty and self.last is not None:
            try:
                self.stream.write("\n")
                self.stream.flush()
            except (OSError, ValueError, AttributeError):
                pass


def _new_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gradstudio new",
                description="Write a laid-out graph file from a formula (see docs/formula.md).")
    p.add_argument("--formula", required=True,
                   help='e.g. "J = 3*(a + b*c)" (values may follow: ", a=5, b=3")')
    p.add_argument("--set", nargs="+", default=[], metavar="NAME=VALUE",
                   help="input values, e.g. --set a=5 b=3 c=2 (default 1)")
    p.add_argument("-o", "--out", required=True, metavar="OUT.json",
                   help="the graph file to write (written through a link to its target); "
                        "- for standard output")
    return p


def _formula_joined(args: list[str]) -> list[str]:
    """``--formula TEXT`` as ``--formula=TEXT``: a formula may start with a minus sign
    ("-a*b"), which argparse would take for an option and refuse."""
    out = list(args)
    for i in range(len(out) - 1):
        if out[i] == "--formula":
            out[i:i + 2] = [f"--formula={out[i + 1]}"]
            break
    return out


def run_new(args) -> int:
    from gradstudio.core import fileformat
    from gradstudio.core.atomic import SaveError, write_output
    from gradstudio.core.formula import build
    from gradstudio.core.formulaparse import parse_setting

    values: dict[str, float] = {}
    for text in args.set:
        for item in filter(None, text.split(",")):
            name, value = parse_setting(item)
            values[name] = value
    model = build(args.formula, values)
    try:
        write_output(args.out, fileformat.dumps(model).encode("utf-8"))
    except BrokenPipeError:
        raise
    except OSError as exc:  # SaveError included: its message is for the user
        message = str(exc) if isinstance(exc, SaveError) else (
            f"cannot save {args.out}: {exc.strerror or exc}")
        raise UsageError(f"gradstudio new: {message}") from None
    return 0


def main(argv: list[str] | None = None) -> int:
    as_program = argv is None  # the `gradstudio` command itself, not a call from Python
    argv = sys.argv[1:] if argv is None else list(argv)
    prog = f"gradstudio {argv[0]}" if argv and argv[0] in SUBCOMMANDS else "gradstudio"
    try:
        try:
            code = _run(argv, as_program)
        except SystemExit as exc:  # argparse, after printing --help
            code = exc.code if isinstance(exc.code, int) else 0
        with writing_stdout(prog, required=False):
            pass  # what is still buffered, written now: a failure is reported, not lost
        return code
    except (UsageError, GraphError) as exc:
        print(str(exc).splitlines()[0] if str(exc) else "bad input", file=sys.stderr)
        return 2
    except BrokenPipeError:  # the reader left (`| head`): not an error
        _quiet_stdout()
        return 0


def _run(argv: list[str], as_program: bool) -> int:
    if argv and argv[0] == "eval":
        _single_threaded_blas()
        from gradstudio.core.columns import paused_gc
        with paused_gc():  # eval makes no reference cycles worth collecting
            return run_eval(_eval_parser().parse_args(argv[1:]), exit_when_done=as_program)
    if argv and argv[0] == "export":
        with qt_libraries():
            return run_export(_export_parser().parse_args(argv[1:]), exit_when_done=as_program)
    if argv and argv[0] == "new":
        return run_new(_new_parser().parse_args(_formula_joined(argv[1:])))
    if argv and argv[0] in SUBCOMMANDS:
        raise UsageError(f"gradstudio {argv[0]}: not available in this version yet")
    if argv and argv[0] == "--":  # what follows is a file name, even "--help"
        return run_window([os.path.join(os.curdir, a) if a.startswith("-") else a
                           for a in argv[1:]])
    if any(arg.startswith("-") for arg in argv):
        return run_option(argv)
    return run_window(argv)


@contextmanager
def qt_libraries():
    """Qt's import failing for a system library (libEGL, libfontconfig, ...): one line
    naming it and its Debian package, status 2, not a traceback."""
    try:
        yield
    except ImportError as exc:
        from gradstudio.display import qt_library_problem
        said = qt_library_problem(exc)
        if said is None:
            raise
        raise UsageError(said) from None


#: The options of `gradstudio` itself (the subcommands have their own).
OPTIONS = {
    "-h, --help": "show this help and exit",
    "--version": "print the installed version and exit",
    "--install-desktop": "add gradstudio to this user's applications menu, with its\n"
                         "icon and file type (Linux; under XDG_DATA_HOME)",
    "--uninstall-desktop": "remove exactly what --install-desktop wrote",
}


def help_text() -> str:
    """`gradstudio --help`: how to open a file, each subcommand in one line, the options."""
    commands = {"eval": _eval_parser(), "export": _export_parser(), "new": _new_parser()}
    lines = [
        "usage: gradstudio [FILE.json]",
        "       gradstudio {eval,export,new} ...",
        "       gradstudio --version | --install-desktop | --uninstall-desktop",
        "",
        "Computation graphs for teaching derivatives and backpropagation.",
        "",
        "  gradstudio [FILE.json]   open FILE.json in the window "
        "(no file: the J = 3(a + b·c) example)",
        "",
        "commands (no display needed; `gradstudio COMMAND --help` for their options):",
    ]
    for name, parser in commands.items():
        first = (parser.description or "").strip().splitlines()[0] if parser.description else ""
        lines.append(f"  {name:<8} {first}")
    lines += ["", "options:"]
    lines += [f"  {flag:<21} {what}".replace("\n", "\n" + " " * 24)
              for flag, what in OPTIONS.items()]
    return "\n".join(lines) + "\n"


def version() -> str:
    """The installed package's version; the source's own in a checkout not installed."""
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed_version
    try:
        return installed_version("gradstudio")
    except PackageNotFoundError:
        from gradstudio import __version__
        return __version__


def run_option(argv: list[str]) -> int:
    """`gradstudio --help`, `--version`, `--install-desktop`, `--uninstall-desktop`."""
    options = [arg for arg in argv if arg.startswith("-")]
    if "-h" in options or "--help" in options:
        return _say(help_text())
    known = {"--version", "--install-desktop", "--uninstall-desktop"}
    unknown = [arg for arg in options if arg not in known]
    if unknown:
        raise UsageError(f"gradstudio: unknown option {unknown[0]} (gradstudio --help lists them)")
    if len(argv) > 1:
        raise UsageError(f"gradstudio: {argv[0]} takes nothing more (got: {' '.join(argv[1:])})")
    if argv[0] == "--version":
        return _say(f"gradstudio {version()}\n")
    from gradstudio import desktop
    try:
        if argv[0] == "--install-desktop":
            said = desktop.install().lines("wrote")
        else:
            said = desktop.uninstall().lines("removed")
    except desktop.DesktopError as exc:
        raise UsageError(f"gradstudio {argv[0]}: {exc}") from None
    return _say("".join(line + "\n" for line in said))


def _say(text: str) -> int:
    with writing_stdout("gradstudio", required=False):
        (sys.stdout or sys.stderr).write(text)  # stdout closed: on stderr, as argparse does
    return 0


@contextmanager
def writing_stdout(prog: str, required: bool = True):
    """Output to standard output inside, flushed at the end. A write that fails (a full
    disk, a closed stdout; with ``required``, stdout closed from the start) becomes a
    one-line UsageError; a closed pipe (BrokenPipeError) goes through unchanged."""
    def failed(reason: str) -> UsageError:
        return UsageError(f"{prog}: cannot write to standard output: {reason}")

    if sys.stdout is None:  # started with stdout closed (`>&-`): print() would drop it all
        if required:
            raise failed("it is closed")
        yield
        return
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise failed(exc.strerror or str(exc)) from None
    except ValueError as exc:
        if isinstance(exc, GraphError) or "closed file" not in str(exc):
            raise
        raise failed("it is closed") from None  # "I/O operation on closed file"


def _quiet_stdout() -> None:
    """After a closed pipe: point stdout at /dev/null, so that the flush at exit
    finds nothing to complain about."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass


def _single_threaded_blas() -> None:
    """No BLAS thread pool for eval, which does no linear algebra.

    Importing numpy starts OpenBLAS's worker threads, one per core; on a 2-core
    machine that alone costs about 0.05-0.1 s of start-up. Only before numpy is
    imported (numpy is imported lazily here for that reason), and a value the
    user set is kept.
    """
    if "numpy" not in sys.modules:
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def run_window(argv: list[str]) -> int:
    """The window. Said in this order, each before anything slow: a file that cannot
    be read, no display, a system library Qt cannot load."""
    if len(argv) > 1:
        raise UsageError(f"gradstudio: unexpected arguments: {' '.join(argv)} (usage: "
                         "gradstudio [FILE.json] | eval | export | new; see gradstudio --help)")
    if argv and not argv[0].startswith("-"):
        try:
            os.stat(argv[0])  # the loader says the rest (a folder, too big, ...)
        except OSError as exc:  # as the loader says it
            raise UsageError(f"{argv[0]}: cannot read: {exc.strerror or exc}") from None
    checked = "PySide6.QtWidgets" not in sys.modules  # no QApplication can be there yet
    if checked:
        from gradstudio.display import display_problem
        problem = display_problem()  # before Qt, whose answer would be an abort
        if problem is not None:
            raise UsageError(problem)
    with qt_libraries():
        from gradstudio.ui.app.start import run
    return run(argv, display_checked=checked)


def run_eval(args, exit_when_done: bool = False) -> int:
    from gradstudio.core import evalreport, evaluate, fileformat
    from gradstudio.core.check import check_gradients

    # Columns and a plan, no networkx graph, when the file is clearly valid (the
    # plain loader, with every message, otherwise): both answer what follows.
    model = fileformat.load_for_eval(args.file)
    name = args.file
    missing = model.missing_port()
    if missing is not None:
        node_id, port = missing
        op = model.op_of(node_id).name
        place = model.nodes().index(node_id)
        raise UsageError(f"{name}: nodes[{place}] {node_id!r}: {op} has nothing "
                         f"connected to input port {port}")
    if args.output is not None and args.output not in model:
        raise UsageError(f"--output: no node {args.output!r} in {name}")
    if args.tangent is not None:
        if args.tangent not in model:
            raise UsageError(f"--tangent: no node {args.tangent!r} in {name}")
        if model.node_data(args.tangent)["op"] != "input":
            raise UsageError(f"--tangent: {args.tangent!r} is not an input node")
    try:
        output = model.resolve_output(args.output)
    except GraphError as exc:
        raise UsageError(f"{name}: output: {exc}") from None
    result = evaluate(model, output, tangent=args.tangent)
    _warn(name, result)

    code = 0
    with writing_stdout("gradstudio eval"):  # flushed at the end: a failure is said
        if args.json:
            evalreport.write_json_to(sys.stdout, model, result)
        else:
            evalreport.print_table(model, result)
        if args.check:
            rows = check_gradients(model, output)
            evalreport.print_check(rows)
            code = 0 if all(r.agrees for r in rows) else 3
    if exit_when_done and code == 0:
        _leave_now()
    return code


def _leave_now() -> None:
    """Success, and everything is written: leave without freeing the heap object by
    object (for a big graph that takes a noticeable fraction of a second and gives
    nothing back). Only for the command run as a program (not main() called in
    process), only on success, only after flushing."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None:
            stream.flush()
    os._exit(0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
