"""Hostile formulas for ``gradstudio new --formula``: long, deep, huge or forbidden.

``make_formula(seed, index)`` gives case ``index`` of ``seed`` (always the same
text): long flat sums and products of one name or of distinct names (up to
3,000 terms), chains of up to 5,000 unary minus signs, parentheses up to 5,000
deep (balanced or not), numbers of up to 5,000 digits, ``__import__(...)``,
attribute access, subscripts, lambdas, unknown calls, control characters, long
names, and soups of tokens; sometimes values after the formula.

``check(text, out)`` runs ``gradstudio new --formula TEXT -o OUT`` in this
process (``check_subprocess`` as a real process). A case passes when the graph is
built (exit 0, and the file written loads) or refused with exit 2 and one line
``formula: column N: reason`` (or ``--set: ...``) with N inside the text, never
a traceback, a leaked Python hint or a number echoed at full length. The caller
times each case out (see fuzz_hostile.py).
"""

from __future__ import annotations

import contextlib
import io
import random
import re
import subprocess
import sys
from pathlib import Path

NAMES = ["a", "b", "c", "x", "y", "w1", "theta", "é", "日本", "_", "__", "J", "sin", "e"]
TOKENS = ["a", "b", "x1", "+", "-", "*", "/", "**", "(", ")", "sin(", "exp(", "log(", "2",
          "3.5", "1e400", "0", ",", "=", " ", "\t", "\n", "\x00", "é", "**-", "()", "..",
          ".", "[", "]", "'", '"', "#", ";", "lambda", "1_000", "0x10", "1e-400", "nan",
          "inf", "\u2028", "\ufeff", "🙂"]
FORBIDDEN = ["__import__('os').system('true')", "a.b", "a.__class__", "os.system('x')",
             "lambda: 1", "a[0]", "exec('1')", "eval('a')", "f(a)", "sin(a, b)", "sin()",
             "open('/etc/passwd')", "(a for a in b)", "a if b else c", "a and b", "not a",
             "a < b", "a @ b", "a % b", "a // b", "a ^ b", "~a", "a := 1", "{a}", "[a]",
             "'text'", "a b", "2a", "1 2", "a**b", "a**(1/2)", "a**1e400", "*a", "a,"]
LEFTS = ["J = ", "L = ", "", "J=", "  J  =  ", "= ", "J == ", "1 = ", "J = = ", "é = ",
         "J\x00 = ", "x" * 300 + " = "]
PLAIN = re.compile(r"(formula|--set): ")


def make_formula(seed: int, index: int) -> str:
    rng = random.Random(f"formula:{seed}:{index}")
    shape = rng.choice(["sum", "sum", "distinct", "distinct", "minus", "parens", "number",
                        "forbidden", "soup", "mixed", "long name"])
    n = rng.choice([1, 2, 10, 100, 250, 300, 500, 1000, 2000, 3000])
    if shape == "sum":
        op = rng.choice(["+", "*", "-", "/", " + ", "+-", "*-"])
        body = op.join([rng.choice(NAMES)] * n)
    elif shape == "distinct":
        op = rng.choice(["+", "*", "-", "+", "/"])
        body = op.join(f"{rng.choice(['x', 'w', 'v_'])}{i}" for i in range(n))
    elif shape == "minus":
        body = rng.choice(["-", "+", "-(", "- ", "--"]) * rng.choice([10, 500, 1000, 5000]) \
            + rng.choice(NAMES)
        if "(" in body:
            body += ")" * body.count("(") if rng.random() < 0.8 else ""
    elif shape == "parens":
        d = rng.choice([10, 100, 999, 1000, 5000])
        body = "(" * d + rng.choice(["a", "a+b", "sin(a)", ""]) + ")" * (d - rng.choice([0, 0, 1]))
    elif shape == "number":
        digits = rng.choice([1, 20, 308, 309, 400, 4300, 4301, 5000])
        number = rng.choice(["9", "1"]) + "0" * (digits - 1)
        if rng.random() < 0.3:
            number = rng.choice(["1e", "1.5e", "0.", "-1e"]) + str(
                rng.choice([308, 309, 400, 99999]))
        body = rng.choice([f"{number}*a", f"a+{number}", f"a**{number}", f"{number}",
                           f"a/{number}", f"sin({number}*a)"])
    elif shape == "forbidden":
        body = rng.choice(FORBIDDEN)
        if rng.random() < 0.5:
            body = f"a + {body}" if rng.random() < 0.5 else f"{body} * b"
    elif shape == "soup":
        body = "".join(rng.choice(TOKENS) for _ in range(rng.choice([1, 5, 30, 300])))
    elif shape == "long name":
        body = rng.choice(["x", "é", "a1"]) * rng.choice([100, 1000, 10_000]) + "*b"
    else:  # mixed: random operators and functions, a flat chain
        parts = []
        for i in range(n):
            term = rng.choice(NAMES + ["2", "0.5", f"x{i}"])
            if rng.random() < 0.2:
                term = f"{rng.choice(['sin', 'exp', 'log', 'tanh', 'relu', 'sigmoid'])}({term})"
            if rng.random() < 0.1:
                term = "-" + term
            parts.append(term)
        body = "".join(p + rng.choice(["+", "-", "*", "/"]) for p in parts[:-1]) + parts[-1]
    text = rng.choice(LEFTS) + body
    if rng.random() < 0.2:
        values = rng.choice(["a=5", "a=5, b=3", "a=1e400", "a=nan", "a=" + "9" * 5000,
                             "zz=1", "a=", "a=1, a=2", "a=-0.0", "b=2e-308", "a=1_0"])
        text += ", " + values
    return text


def check_message(text: str, code: int, err: str) -> str:
    """'built' or 'refused'; raises AssertionError when the outcome breaks the rule."""
    if code == 0:
        assert err == "", f"built with output on stderr: {err[:300]!r}"
        return "built"
    assert code == 2, f"exit {code}: {err[-600:]!r}"
    assert "Traceback" not in err and err.endswith("\n"), err[-600:]
    line = err[:-1]
    assert "\n" not in line and "\r" not in line, f"not one line: {err[:300]!r}"
    assert PLAIN.match(line), f"not a formula message: {line[:300]!r}"
    assert len(line) < 600, f"message of {len(line)} characters"
    for leak in ("set_int_max_str_digits", "RecursionError", "MemoryError", "Exception",
                 "object has no attribute", "File \""):
        assert leak not in line, f"leaked {leak!r}: {line[:300]!r}"
    assert not re.search(r"\d{60,}", line), f"a long number echoed: {line[:300]!r}"
    column = re.match(r"formula: column (\d+): ", line)
    if line.startswith("formula: "):
        assert column, f"no column: {line[:300]!r}"
        assert 1 <= int(column.group(1)) <= len(text) + 1, f"column out of the text: {line}"
    return "refused"


def check(text: str, out: Path) -> str:
    """``gradstudio new`` in this process; 'built' or 'refused'."""
    from gradstudio.cli import main
    from gradstudio.core import fileformat
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["new", "--formula", text, "-o", str(out)])
    outcome = check_message(text, code, err.getvalue())
    if outcome == "built":
        model = fileformat.load(out)  # what it wrote is a graph file that loads
        assert model.output in model, "the output is not a node"
        out.unlink()
    return outcome


def check_subprocess(text: str, out: Path, timeout: float) -> str:
    """The same through a real ``python -m gradstudio new`` (argv as bytes where the
    text cannot be an argument: a NUL byte is refused by exec itself)."""
    if "\x00" in text:
        text = text.replace("\x00", "\x01")
    r = subprocess.run([sys.executable, "-m", "gradstudio", "new", "--formula", text,
                        "-o", str(out)], capture_output=True, timeout=timeout)
    err = r.stderr.decode("utf-8", "replace")
    outcome = check_message(text, r.returncode, err)
    if outcome == "built":
        from gradstudio.core import fileformat
        fileformat.load(out)
        out.unlink()
    return outcome
