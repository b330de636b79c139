"""Hostile values for the loader fuzz: numbers, text and tokens a file may hold.

``junk`` picks a random one (or a small list or object of them), ``nested`` a
value nested up to 100,000 deep; LEGAL_NUMBERS are hostile but valid numbers.
"""

from __future__ import annotations

import random

from fuzz_json import Obj, Raw

OPS_KNOWN = ["input", "add", "multiply", "scale", "subtract", "divide", "power", "exp",
             "log", "tanh", "sigmoid", "relu", "sin", "cos"]
WEIRD_TEXT = ["", " ", "a", "J", "u", "x\"y", "quote'd", 'back\\slash', "naïve", "∂J/∂a",
              "日本語", "🙂", "\u2028", "\x00", "\n", "\t", "\ud800", "\udfff", "a\ud83d",
              "\u202eevil", "x" * 10_000, "NaN", "Infinity", "1e999", "__proto__",
              "<b>bold</b>", "%s%n", "{0}", "a" * 41]
WEIRD_NUMBERS = [0, 1, -1, 2, 3, 0.5, -0.0, 0.0, 1e308, -1e308, 5e-324, -5e-324,
                 1.7976931348623157e308, 2.2250738585072014e-308, 1e-300, 123456789012345678,
                 2 ** 53 + 1, 2 ** 63, 2 ** 64, -2 ** 63 - 1, 10 ** 30, 10 ** 400,
                 float("nan"), float("inf"), float("-inf")]
RAW_TOKENS = ["NaN", "Infinity", "-Infinity", "1e999", "-1e999", "1e-999", "-0", "-0.0",
              "0e0", "1E+2", "4.9e-324", "2.4e-324", "1.7976931348623159e308",
              "9" * 400, "9" * 5000, "-" + "1" * 4301, "0.1e-400", "00", "01", "1.", ".5",
              "+1", "0x10", "true", "false", "null", "tru", "nul", '"\\ud800"',
              '"\\udc00\\ud800"', '"\\u0000"', '"\\uZZZZ"', "[]", "{}", '""']


def junk(rng: random.Random, depth: int = 0):
    r = rng.random()
    if r < 0.35:
        return rng.choice(WEIRD_NUMBERS)
    if r < 0.5:
        return Raw(rng.choice(RAW_TOKENS))
    if r < 0.65:
        return rng.choice(WEIRD_TEXT)
    if r < 0.72:
        return rng.choice([True, False, None])
    if r < 0.8:
        return rng.choice(OPS_KNOWN + ["mul", "Input", "", "ADD"])
    if depth > 3:
        return None
    if r < 0.9:
        return [junk(rng, depth + 1) for _ in range(rng.randint(0, 3))]
    obj = Obj()
    for _ in range(rng.randint(0, 3)):
        obj.append((rng.choice(["id", "op", "value", "factor", "x", "from", "to", "port",
                                "color", "", "nodes"]), junk(rng, depth + 1)))
    return obj


def nested(rng: random.Random):
    depth = rng.choice([5, 50, 200, 400, 600, 800, 990, 1000, 2000, 100_000])
    inner = rng.choice([0, "x", None, Raw("NaN")])
    if rng.random() < 0.5:
        return nest_list(depth, inner)
    return nest_obj(depth, inner)


def nest_list(depth, inner):
    value = inner
    for _ in range(depth):
        value = [value]
    return value


def nest_obj(depth, inner):
    value = inner
    for _ in range(depth):
        value = Obj([("k", value)])
    return value


LEGAL_NUMBERS = [0, -0.0, 1e308, -1e308, 5e-324, -5e-324, 1.7976931348623157e308, 0.1,
                 2.2250738585072014e-308, 2 ** 53 + 1, 123456789, -7, 1e-300, 3.0]
