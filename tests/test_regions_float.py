"""The float filter of regions_2d against exact arithmetic: the float maps' and the vertices'
error bounds must hold (a bound that fails lets a float decide a sign wrongly), on weights
that round (float64, thirds), that underflow and that overflow; and the partition must not
depend on the floats (the same regions when every sign is decided exactly)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdepth import Network, activations
from symdepth.piecewise import regions_2d
from symdepth.piecewise.affine_maps import PatternMaps, float_activated, float_inputs, float_layer
from symdepth.piecewise.linear import linear_activation
from symdepth.piecewise.regions import _levels

KINDS = ["float64", "thirds", "tiny", "huge", "sparse"]


def _weight(rng, kind):
    x = Fraction(float(rng.normal()))   # float: an exact binary number, made exact
    return {"float64": x, "thirds": Fraction(int(rng.integers(-20, 21)), 3 * int(rng.integers(1, 8))),
            "tiny": x / 2**1070, "huge": x * 2**1015,
            "sparse": Fraction(int(rng.integers(-2, 3)) * int(rng.integers(0, 2)), 4)}[kind]   # exact zeros


def _network(seed, kind, sizes=(2, 6, 5, 4)):
    rng = np.random.default_rng(seed)
    weights = [[[_weight(rng, kind) for _ in range(a)] for _ in range(b)] for a, b in zip(sizes, sizes[1:])]
    biases = [[_weight(rng, kind) for _ in range(b)] for b in sizes[1:]]
    net = Network.from_layers(weights + [[[1] * sizes[-1]]], biases + [[0]], "relu")
    for node in net.neurons:
        choice = int(rng.integers(0, 3))
        net.set_activation(node, ["relu", activations.get("leaky_relu"), "hard_tanh"][choice])
    return net, rng


def _encloses(value, error, exact, denominator, zero=None):
    """Every finite bound holds: |value − exact/denominator| ≤ error, in exact arithmetic;
    a map marked exactly zero is."""
    if zero is not None:
        assert all(not any(int(x) for x in row) for row, z in zip(exact, zero) if z)
    error = np.broadcast_to(error, value.shape)     # one bound for a map's three coefficients
    assert exact.size == value.size
    for v, e, x in zip(value.reshape(-1).tolist(), error.reshape(-1).tolist(), exact.reshape(-1).tolist()):
        if np.isfinite(e) and np.isfinite(v):
            assert abs(Fraction(v) - Fraction(int(x), denominator)) <= Fraction(e), (v, e, Fraction(int(x), denominator))


@given(seed=st.integers(0, 10**6), kind=st.sampled_from(KINDS))
@settings(max_examples=40, deadline=None)
def test_float_maps_enclose_the_exact_maps(seed, kind):
    """Layer after layer on a random activation pattern: the float pre-activations and the
    next layer's float maps lie within their bounds of the exact ones."""
    net, rng = _network(seed, kind)
    acts = {n: linear_activation(net.graph.nodes[n]["activation"]) for n in net.neurons}
    levels, _ = _levels(net, net.neurons, acts)
    plane = [(Fraction(1, 3), Fraction(2, 7), Fraction(-1, 5)), (Fraction(0), Fraction(1), Fraction(1, 10))]
    exact, maps, prefix = PatternMaps(levels, plane), float_inputs(plane), b""
    for level, lv in enumerate(levels):
        pre = float_layer(lv, maps)
        (numerators, d), = exact.pre(level, [prefix])
        _encloses(pre.value[:, :, 0], pre.error(slice(None))[:, None, 0], numerators, d, pre.zero[:, 0])
        pieces = np.array([rng.integers(0, len(cuts) + 1) for cuts in lv.cuts], dtype=np.int8)
        maps = float_activated(lv, pre, maps.take(np.arange(1), lv.kept), pieces[:, None])
        prefix += pieces.tobytes()
        (numerators, d), = exact.maps(level + 1, [prefix])
        _encloses(maps.value[:, :, 0], maps.error(slice(None))[:, None, 0], numerators, d, maps.zero[:, 0])


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(4))
def test_vertex_bounds_hold(seed, kind):
    """Every vertex's float coordinates lie within their bounds of the exact point."""
    net, _ = _network(seed, kind, sizes=(2, 8, 8))
    result = regions_2d(net, box=((Fraction(-1, 3), Fraction(2, 3)), (-1, Fraction(1, 7))))
    points, lines = result.partition.points, result.partition.lines
    table = points.table
    vertices = list(range(table.size))
    for v, (x, y, w) in zip(vertices, points.exact(vertices, lines)):
        s, t, es, et = table.xy[v]
        for coordinate, value, error in ((Fraction(x, w), s, es), (Fraction(y, w), t, et)):
            if np.isfinite(error):
                assert abs(Fraction(float(value)) - coordinate) <= Fraction(float(error))  # float: exact widening


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("seed", range(3))
def test_the_floats_decide_nothing(seed, kind, monkeypatch):
    """With every float bound infinite (so every sign is decided exactly) the partition is
    the same, region for region."""
    from symdepth.piecewise import cells

    net, _ = _network(seed, kind, sizes=(2, 5, 4))
    fast = regions_2d(net)
    monkeypatch.setattr(cells, "_SPARE", np.inf)
    slow = regions_2d(net)
    assert (fast.num_vertices, fast.num_edges) == (slow.num_vertices, slow.num_edges)
    assert _polygons(fast) == _polygons(slow)


def _polygons(result):
    """{pattern: its polygon's vertices, counter-clockwise from the least} (the order of the
    regions and each polygon's first vertex follow the order the cuts were made in)."""
    def rotated(vertices):
        first = vertices.index(min(vertices))
        return vertices[first:] + vertices[:first]
    return {r.pattern: rotated(list(r.vertices)) for r in result.regions}
