"""A built canvas's objects kept out of Python's full garbage collections.

A 20,000-node graph is millions of Python objects: the model's dicts, the
canvas items and their Qt wrappers. Now and then Python's cyclic collector
walks every one of them, about a third of a second in which the window takes
no input, at a moment nobody chose (in the middle of a pass's idle slices, say).
Those objects live as long as the document, so once a big canvas is built
(more than policy.LAZY_WIRES wires) they are moved out of the collector's sight
(``gc.freeze``); before the next one is built they are handed back, and the old
graph is collected. (The texts a pass writes on a big graph join them: see
StaleItems.) A small canvas's few objects are left to the collector as usual.
"""

from __future__ import annotations

import gc
from contextlib import contextmanager


def release() -> None:
    """Before a new canvas is built, once the old one is dropped: everything frozen
    is the collector's again, and the old canvas (its items refer to each other) is
    collected now, or it would be frozen again with the new one."""
    if gc.get_freeze_count():
        gc.unfreeze()
        gc.collect()


def settle() -> None:
    """All objects alive now are left out of collections (after a big canvas is
    built, after each slice of a big graph's texts)."""
    gc.freeze()


@contextmanager
def paused():
    """No collections inside: for a picture made in one go (``gradstudio export``),
    whose objects all live until it is written. The collector's walks over them
    took a fifth of a second on a 1,300-node graph, in each of the two processes
    that paint it, and found little to free."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
