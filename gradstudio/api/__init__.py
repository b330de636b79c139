"""The Python API for notebooks and scripts: Graph, load, from_micrograd (no Qt until a picture is asked for)."""
