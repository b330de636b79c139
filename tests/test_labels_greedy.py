"""Whole-graph chip placement, without a window: the greedy order against a plain
reference, reuse after a change against a fresh run, and the priced costs against
plain rectangle and point tests."""

import numpy as np
import pytest

from gradstudio.ui.labels import CHIP_COST, NODE_COST, WIRE_MARGIN, _Curves
from gradstudio.ui.labels_greedy import SCALE, choose
from gradstudio.ui.labels_price import RASTER, Raster, _samples, candidates, node_weights

SPOTS = 165  # aligns x spots x gaps


def reference(key, left, top, size):
    """The greedy, spelled out: each chip in turn takes the first spot of least
    key + SCALE * CHIP_COST * (earlier chips' boxes it overlaps)."""
    boxes, spots = [], []
    for k in range(len(key)):
        w, h = size[k]
        totals = []
        for c in range(key.shape[1]):
            x0, y0 = left[k, c], top[k, c]
            hits = sum(a < x0 + w and x0 < c_ and b < y0 + h and y0 < d
                       for a, b, c_, d in boxes)
            totals.append(key[k, c] + SCALE * CHIP_COST * hits)
        i = int(np.argmin(totals))
        spots.append(i)
        boxes.append((left[k, i], top[k, i], left[k, i] + w, top[k, i] + h))
    return np.array(spots), np.array(boxes).T


def crowded(rng, n=40):
    """Chips whose spots crowd one small area, with few distinct keys: many ties
    and many chips in each other's way."""
    size = np.column_stack([rng.integers(20, 60, n), rng.integers(10, 30, n)]).astype(float)
    left = rng.integers(0, 200, (n, SPOTS)).astype(float)
    top = rng.integers(0, 120, (n, SPOTS)).astype(float)
    key = rng.integers(0, 3, (n, SPOTS)) * NODE_COST * SCALE + rng.integers(0, 4, (n, SPOTS))
    return key.astype(float), left, top, size


@pytest.mark.parametrize("seed", range(6))
def test_chips_take_the_spots_the_plain_greedy_gives(seed):
    key, left, top, size = crowded(np.random.default_rng(seed))
    placement = choose(key, left, top, size)
    spots, boxes = reference(key, left, top, size)
    assert np.array_equal(placement.spot, spots)
    assert np.array_equal(placement.boxes, boxes)
    assert (placement.extra > 0).any()  # some chips had to sit on others


def changed(rng, key, left, top, size):
    """A copy with a few chips moved or resized and some keys up or down, as a
    Live edit does; and which chips' spots, keys and size stayed as they were."""
    key, left, top, size = key.copy(), left.copy(), top.copy(), size.copy()
    n = len(key)
    moved = rng.choice(n, 3, replace=False)
    left[moved] += rng.integers(-20, 20, (3, 1))
    size[moved[:1]] += 4
    cells = rng.integers(0, n, 80), rng.integers(0, SPOTS, 80)
    key[cells] += rng.choice([-2.0, -1.0, 1.0, NODE_COST * SCALE], 80)
    same = np.ones(n, bool)
    same[moved] = False
    same[cells[0]] = False
    return (key, left, top, size), same


@pytest.mark.parametrize("seed", range(12))
def test_placing_again_after_a_change_gives_what_a_fresh_placement_gives(seed):
    rng = np.random.default_rng(100 + seed)
    first = crowded(rng)
    before = choose(*first)
    second, same = changed(rng, *first)
    fresh = choose(*second)
    again = choose(*second, before=before)
    told = choose(*second, before=before, same=same)
    assert not np.array_equal(fresh.spot, before.spot)  # the change mattered
    for placement in (again, told):
        assert np.array_equal(placement.spot, fresh.spot)
        assert np.array_equal(placement.boxes, fresh.boxes)
        assert np.array_equal(placement.extra, fresh.extra)


def test_placing_again_unchanged_keeps_every_chip():
    first = crowded(np.random.default_rng(7))
    before = choose(*first)
    again = choose(*first, before=before)
    assert np.array_equal(again.spot, before.spot)
    assert np.array_equal(again.boxes, before.boxes)


class Wire:
    def __init__(self, ends):
        self._ends = ends


def some_curves(rng, n=12):
    ends = [(float(x), float(y), float(x + dx), float(y + dy)) for x, y, dx, dy in
            zip(rng.integers(0, 600, n), rng.integers(0, 400, n),
                rng.integers(-200, 400, n), rng.integers(-300, 300, n))]
    return _Curves([Wire(e) for e in ends])


def test_node_costs_count_every_node_a_spot_overlaps():
    rng = np.random.default_rng(3)
    curves = some_curves(rng)
    owner = np.repeat(np.arange(curves.n), 2)
    side = np.tile([-1.0, 1.0], curves.n)
    size = np.column_stack([rng.integers(30, 120, len(owner)),
                            rng.integers(15, 40, len(owner))]).astype(float)
    left, top = candidates(curves, owner, side, size)
    xy = rng.integers(-50, 650, (40, 2)).astype(float)
    nodes = np.column_stack([xy, xy + rng.integers(40, 200, (40, 2))])
    nodes[5] = nodes[4]  # two nodes on top of each other count twice
    got = node_weights(nodes, left, top, size)
    right, bottom = left + size[:, :1], top + size[:, 1:]
    hits = ((left[..., None] < nodes[:, 2]) & (nodes[:, 0] < right[..., None])
            & (top[..., None] < nodes[:, 3]) & (nodes[:, 1] < bottom[..., None]))
    assert np.array_equal(got, hits.sum(axis=-1) * NODE_COST)
    assert (got >= 2 * NODE_COST).any() and (got == 0).any()


def test_a_spot_counted_free_of_wires_has_no_wire_sample_in_its_margin():
    rng = np.random.default_rng(4)
    curves = some_curves(rng)
    owner = np.arange(curves.n)
    size = np.full((curves.n, 2), (60.0, 20.0))
    left, top = candidates(curves, owner, np.ones(curves.n), size)
    raster = Raster.around(curves, left, top, size)
    counted = raster.samples(left, top, size)
    # Every wire's samples as the wire itself makes them (EdgeItem.samples' t).
    points = []
    for i in range(curves.n):
        t = np.linspace(0.0, 1.0, curves.count[i])
        m = 1 - t
        weights = np.stack([m ** 3, 3 * m * m * t, 3 * m * t * t, t ** 3])
        points.append(np.column_stack([curves.cx[:, i] @ weights, curves.cy[:, i] @ weights]))
    px, py = np.concatenate(points).T
    mx = WIRE_MARGIN
    right, bottom = left + size[:, :1], top + size[:, 1:]
    inside = ((px > left[..., None] - mx) & (px < right[..., None] + mx)
              & (py > top[..., None] - mx) & (py < bottom[..., None] + mx)).sum(axis=-1)
    assert ((counted == 0) <= (inside == 0)).all()  # free means free
    # ... and only spots within a raster cell of a sample are counted crowded.
    grown = RASTER * 1.5
    near = ((px > left[..., None] - mx - grown) & (px < right[..., None] + mx + grown)
            & (py > top[..., None] - mx - grown) & (py < bottom[..., None] + mx + grown)).any(-1)
    assert ((counted > 0) <= near).all()
    assert (counted == 0).any() and (counted > 0).any()
    assert np.abs(np.column_stack(_samples(curves)) - np.concatenate(points)).max() < 1e-6
