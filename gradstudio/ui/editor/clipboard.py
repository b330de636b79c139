"""Copy, paste and duplicate: a selection travels as a small v1-like JSON fragment."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QGuiApplication

from gradstudio.core import jsonkeys, plaintext
from gradstudio.core.errors import GraphError
from gradstudio.core.model import is_number
from gradstudio.core.ops import OPS

MIME = "application/x-gradstudio-nodes"
PASTE_OFFSET = 30.0


def fragment(doc, node_ids: list[str], positions: dict[str, tuple]) -> dict:
    """The selected nodes (with their shown positions) and the wires among them."""
    model = doc.model
    chosen = set(node_ids)
    nodes = []
    for node_id in node_ids:
        data = dict(model.node_data(node_id))
        data["x"], data["y"] = positions[node_id]
        nodes.append({"id": node_id, **data})
    edges = [{"from": u, "to": v, "port": p} for u, v, p in model.edges()
             if u in chosen and v in chosen]
    return {"format": "gradstudio-nodes", "nodes": nodes, "edges": edges}


def parse_fragment(text: str) -> tuple[list, list]:
    """Nodes and edges from clipboard text; GraphError if it is not a gradstudio fragment."""
    try:
        obj = json.loads(text)
    except (ValueError, RecursionError):
        raise GraphError("the clipboard holds no gradstudio nodes") from None
    if jsonkeys.has_duplicates(text, obj):  # which value counts is a guess: none does
        raise GraphError("the clipboard's nodes are damaged (a key appears twice)")
    if not isinstance(obj, dict) or obj.get("format") not in ("gradstudio-nodes", "gradstudio"):
        raise GraphError("the clipboard holds no gradstudio nodes")
    nodes, edges = [], []
    ids = set()
    for raw in obj.get("nodes", []) if isinstance(obj.get("nodes"), list) else []:
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not raw["id"] \
                or plaintext.problem(raw["id"], "an id"):
            raise GraphError("the clipboard's nodes are damaged")
        op = OPS.get(raw.get("op")) if isinstance(raw.get("op"), str) else None
        if op is None:
            raise GraphError(f"cannot paste a node with op {raw.get('op')!r}")
        data = {k: v for k, v in raw.items() if k != "id"}
        for key in ("x", "y", *op.param_names):
            if key in data and not is_number(data[key]):
                raise GraphError(f"the clipboard's node {raw['id']!r} has a bad {key}")
        for name, default in op.defaults().items():
            data.setdefault(name, default)
        if "label" in data and (not isinstance(data["label"], str)
                                or plaintext.problem(data["label"], "a label")):
            data.pop("label")  # pasted under its id, as a node without a label
        nodes.append((raw["id"], data))
        ids.add(raw["id"])
    for raw in obj.get("edges", []) if isinstance(obj.get("edges"), list) else []:
        if isinstance(raw, dict) and raw.get("from") in ids and raw.get("to") in ids \
                and isinstance(raw.get("port"), int) and not isinstance(raw.get("port"), bool):
            edges.append((raw["from"], raw["to"], raw["port"]))
    if not nodes:
        raise GraphError("the clipboard holds no gradstudio nodes")
    return nodes, edges


def shifted(nodes: list, dx: float, dy: float) -> list:
    out = []
    for node_id, data in nodes:
        data = dict(data)
        if "x" in data and "y" in data:
            data["x"], data["y"] = data["x"] + dx, data["y"] + dy
        out.append((node_id, data))
    return out


def put(frag: dict) -> None:
    text = json.dumps(frag, ensure_ascii=False)
    mime = QMimeData()
    mime.setData(MIME, text.encode("utf-8"))
    mime.setText(text)
    QGuiApplication.clipboard().setMimeData(mime)


def get() -> str:
    mime = QGuiApplication.clipboard().mimeData()
    if mime is None:
        return ""
    if mime.hasFormat(MIME):
        return bytes(mime.data(MIME)).decode("utf-8", errors="replace")
    return mime.text()
