"""The same job as `gradstudio eval FILE` done with micrograd 0.1.0, for comparison.

Reads a gradstudio v1 file, builds micrograd Values in topological order
(add → a + b, multiply → a * b, scale → a * factor), calls backward() on the
file's output and prints the output's value. Usage: python micrograd_eval.py FILE
"""

import json
import sys
import threading
from collections import deque

from micrograd.engine import Value


def run(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    nodes = {n["id"]: n for n in doc["nodes"]}
    sources: dict[str, dict[int, str]] = {}
    succ: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for e in doc["edges"]:
        sources.setdefault(e["to"], {})[e["port"]] = e["from"]
        succ[e["from"]].append(e["to"])
    indegree = {node_id: len(sources.get(node_id, ())) for node_id in nodes}
    ready = deque(n for n, d in indegree.items() if d == 0)
    values: dict[str, Value] = {}
    while ready:  # Kahn's algorithm: every node after its sources
        node_id = ready.popleft()
        node = nodes[node_id]
        op = node["op"]
        ins = sources.get(node_id, {})
        if op == "input":
            v = Value(float(node["value"]))
        elif op == "add":
            v = values[ins[0]] + values[ins[1]]
        elif op == "multiply":
            v = values[ins[0]] * values[ins[1]]
        elif op == "scale":
            v = values[ins[0]] * float(node["factor"])
        else:
            raise SystemExit(f"op {op!r} is not handled by this comparison script")
        values[node_id] = v
        for t in succ[node_id]:
            indegree[t] -= 1
            if indegree[t] == 0:
                ready.append(t)
    out = values[doc["output"]]
    out.backward()  # micrograd's topological sort is recursive
    print(out.data, sum(1 for v in values.values() if v.grad != 0))


if __name__ == "__main__":
    sys.setrecursionlimit(1_000_000)
    threading.stack_size(512 * 1024 * 1024)
    t = threading.Thread(target=run, args=(sys.argv[1],))
    t.start()
    t.join()
