"""Exact 2-D linear regions against independent checks: exact evaluation of the network on a
rational grid, each region's interior point, the areas (they must tile the box exactly),
Euler's formula, and hand-counted line arrangements."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from symdepth import BudgetError, Network, NetworkError, NotPiecewiseLinearError, SymdepthError, activations, piecewise
from symdepth.piecewise import regions_2d

from .strategies import time_limit

CUTS = {"relu": (0,), "leaky_relu": (0,), "hard_tanh": (-1, 1)}


def _pattern(net, values):
    """The piece of each neuron's activation at a point, from exact pre-activations."""
    return tuple(sum(1 for c in CUTS[net.graph.nodes[n]["activation"].name] if values[n][0] >= c)
                 for n in _neuron_order(net))


def _neuron_order(net):
    return net.neurons


def _on_boundary(net, values):
    return any(values[n][0] == c for n in net.neurons for c in CUTS[net.graph.nodes[n]["activation"].name])


def random_net(seed, inputs=2, skip=False):
    """Random layered net of relu / leaky_relu / hard_tanh neurons with small dyadic weights
    (so that exact coincidences — concurrent lines, vertices on lines — do happen)."""
    rng = random.Random(seed)
    net = Network(inputs, "relu")
    previous = list(net.inputs)
    earlier = []
    for _ in range(rng.randint(1, 3)):
        layer = []
        for _ in range(rng.randint(1, 5)):
            reads = previous + (rng.sample(earlier, min(len(earlier), 1)) if skip and earlier else [])
            act = rng.choice(["relu", "relu", activations.get("leaky_relu"), "hard_tanh"])
            layer.append(net.add_neuron({u: Fraction(rng.randint(-4, 4), 4) for u in reads},
                                        Fraction(rng.randint(-4, 4), 8), activation=act))
        earlier += previous if previous != list(net.inputs) else []
        previous = layer
    net.set_output({u: Fraction(rng.randint(-3, 3) or 1, 2) for u in previous}, Fraction(rng.randint(-2, 2), 3))
    for node in net.neurons:
        if not net.graph.out_degree(node):
            net.set_weight(node, net.output, 1)
    return net


@pytest.mark.parametrize("seed", range(30))
def test_regions_against_exact_evaluation(seed):
    net = random_net(seed, skip=seed % 3 == 0)
    with time_limit(60):
        result = regions_2d(net)
    assert result.neurons == tuple(_neuron_order(net))
    # every region: positive area, interior point reproduces pattern and value
    for region in result.regions:
        assert region.area > 0
        point = region.interior_point()
        values = net.node_values(point)
        assert _pattern(net, values) == region.pattern
        assert region.value(point) == values[net.output][1]
    # activation regions are convex, so each pattern appears once, and they tile the box
    assert len({r.pattern for r in result.regions}) == result.num_regions
    assert sum(r.area for r in result.regions) == 4
    assert result.num_vertices - result.num_edges + result.num_regions == 1
    # a rational grid: every point lies in a region of its own pattern with its own value
    grid = [Fraction(i, 8) for i in range(-8, 9)]
    for s in grid:
        for t in grid:
            values = net.node_values((s, t))
            containing = result.locate((s, t))
            assert containing
            assert all(r.value((s, t)) == values[net.output][1] for r in containing)
            if not _on_boundary(net, values):
                assert [r.pattern for r in containing] == [_pattern(net, values)]


@pytest.mark.parametrize("k", range(1, 8))
def test_lines_in_general_position(k):
    """k lines through a small neighbourhood of the origin, pairwise non-parallel, no three
    concurrent: 1 + k + C(k, 2) regions, 4 + 2k + C(k, 2) vertices, 4 + 2k + k² edges."""
    net = Network(2, "relu")
    for i in range(k):
        net.add_neuron({"x1": i + 1, "x2": (i + 1) ** 2 - 7}, bias=Fraction(i * i, 50))
    net.set_output({n: 1 for n in net.neurons})
    result = regions_2d(net)
    pairs = math.comb(k, 2)
    assert result.num_regions == 1 + k + pairs
    assert result.num_vertices == 4 + 2 * k + pairs
    assert result.num_edges == 4 + 2 * k + k * k


def test_concurrent_lines_are_one_vertex():
    """Three lines through the origin: 6 regions, one interior vertex (a float tool may see
    a sliver triangle there)."""
    net = Network(2, "relu")
    for a, b in [(1, 0), (0, 1), (1, 2)]:
        net.add_neuron({"x1": a, "x2": b})
    net.set_output({n: 1 for n in net.neurons})
    result = regions_2d(net)
    # vertices: 4 corners, 6 on the sides, the origin; edges: 10 pieces of sides, 6 rays
    assert (result.num_regions, result.num_vertices, result.num_edges) == (6, 11, 16)


def test_vertices_on_lines_with_non_dyadic_coefficients():
    """Three lines through (7/23, 1/8) with coefficients that floats cannot hold: rounded
    evaluation puts the common point slightly off some line, so only exact signs see one
    vertex (a float-trusting engine finds a sliver triangle or a split vertex)."""
    net = Network(2, "relu")
    centre = (Fraction(7, 23), Fraction(1, 8))
    for a, b in [(Fraction(7, 19), Fraction(-8, 7)), (Fraction(1, 22), Fraction(4, 5)), (Fraction(2, 21), Fraction(-1, 7))]:
        net.add_neuron({"x1": a, "x2": b}, bias=-(a * centre[0] + b * centre[1]))
    net.set_output({n: 1 for n in net.neurons})
    result = regions_2d(net)
    assert (result.num_regions, result.num_vertices, result.num_edges) == (6, 11, 16)
    assert sum(1 for r in result.regions if centre in r.vertices) == 6
    assert all(len(set(r.vertices)) == len(r.vertices) for r in result.regions)


@pytest.mark.parametrize("factor", [2**80, 10**400, Fraction(1, 3**50)], ids=["2^80", "10^400", "3^-50"])
@pytest.mark.parametrize("seed", range(6))
def test_huge_weights_give_the_same_partition(seed, factor):
    """ReLU and leaky ReLU are positively homogeneous: scaling the weights out of the inputs
    and every neuron's bias by a factor scales every pre-activation and leaves the regions
    as they were.  2^80 forces Python integers; 10^400 is beyond the float range, so every
    sign is decided exactly; 3^-50 puts a denominator beyond int64 on every layer."""
    net = random_net(seed, skip=seed % 2 == 0)
    for node in net.neurons:
        if net.graph.nodes[node]["activation"].name == "hard_tanh":
            net.set_activation(node, "relu")
    base = regions_2d(net)
    for n in net.neurons:
        for u in net.inputs:
            if net.graph.has_edge(u, n):
                net.set_weight(u, n, net.graph.edges[u, n]["weight"] * factor)
        net.graph.nodes[n]["bias"] = net.graph.nodes[n]["bias"] * factor
    scaled = regions_2d(net)
    assert [(r.vertices, r.pattern) for r in scaled.regions] == [(r.vertices, r.pattern) for r in base.regions]
    assert (scaled.num_vertices, scaled.num_edges) == (base.num_vertices, base.num_edges)


def test_dead_layer_with_huge_weights_after_it():
    """A layer that is off everywhere makes every map 0; the huge weights after it must not
    be pushed through int64 or float64."""
    net = Network(2, "relu")
    dead = net.add_neuron({"x1": 0, "x2": 0}, bias=Fraction(-1, 3**45))
    late = net.add_neuron({dead: 10**400}, bias=Fraction(1, 3**45))
    net.set_output({late: Fraction(1, 7)})
    result = regions_2d(net)
    assert result.num_regions == 1 and result.regions[0].pattern == (0, 1)
    assert result.regions[0].constant == Fraction(1, 7 * 3**45)


def _patterns_at(net, points):
    """Activation patterns of a layered ReLU net at many exact points, layer by layer with
    flint's rational matrices (independent of regions_2d)."""
    import flint

    layer = net.layers()
    nodes = sorted(net.neurons, key=lambda n: layer[n])
    def q(x):
        x = Fraction(x)
        return flint.fmpq(x.numerator, x.denominator)

    h = flint.fmpq_mat(len(points), 3, [q(c) for s, t in points for c in (s, t, 1)])
    previous = list(net.inputs)
    patterns: list = [[] for _ in points]
    for level in sorted(set(layer[n] for n in nodes)):
        current = [n for n in nodes if layer[n] == level]
        g = net.graph
        w = flint.fmpq_mat(len(previous) + 1, len(current),
                           [q(g.edges[u, n]["weight"]) if g.has_edge(u, n) else 0 for u in previous for n in current]
                           + [q(g.nodes[n]["bias"]) for n in current])
        pre = (h * w).entries()
        active = [v > 0 for v in pre]
        width = len(current)
        for i, pattern in enumerate(patterns):
            pattern.extend(active[i * width:(i + 1) * width])
        h = flint.fmpq_mat(len(points), width + 1,
                           [x for i in range(len(points)) for x in
                            [pre[i * width + j] if active[i * width + j] else 0 for j in range(width)] + [1]])
        previous = current
    return [tuple(pattern) for pattern in patterns]


def test_48_cubed_exact_count_confirmed_independently():
    """The 48x48x48 net of the benchmarks: 3229 regions (the float32 tool regioncam reports
    3230).  Confirmed without regions_2d's own arithmetic: the regions' interior points have
    3229 distinct activation patterns (so there are at least 3229 regions), each the region's
    own, and the regions' areas add up to the box's exactly (so there is no room for more)."""
    from benchmarks.run import random_relu_net_2d

    net = random_relu_net_2d((48, 48, 48))
    result = regions_2d(net)
    assert result.num_regions == 3229
    assert result.num_vertices - result.num_edges + result.num_regions == 1
    assert sum(r.area for r in result.regions) == 4
    assert all(r.area > 0 for r in result.regions)
    patterns = _patterns_at(net, [r.interior_point() for r in result.regions])
    assert len(set(patterns)) == 3229
    assert patterns == [tuple(bool(b) for b in r.pattern) for r in result.regions]


def test_48_cubed_float_tool_differs_by_one_face():
    pytest.importorskip("regioncam")
    from benchmarks.run import regioncam_regions

    assert regioncam_regions((48, 48, 48), 0) == 3230


def test_slice_equals_folded_network():
    """A 3-input net on the plane x = x0 + s·u + t·v gives the partition of the 2-input net
    whose first layer has the plane folded in."""
    rng = random.Random(5)
    x0, u, v = [Fraction(1, 4), 0, Fraction(-1, 2)], [1, Fraction(1, 2), 0], [0, 1, Fraction(1, 3)]
    big, small = Network(3, "relu"), Network(2, "relu")
    for _ in range(4):
        w = [Fraction(rng.randint(-4, 4), 2) for _ in range(3)]
        b = Fraction(rng.randint(-4, 4), 4)
        big.add_neuron(dict(zip(big.inputs, w)), b)
        small.add_neuron({"x1": sum(a * c for a, c in zip(w, u)), "x2": sum(a * c for a, c in zip(w, v))},
                         b + sum(a * c for a, c in zip(w, x0)))
    big.set_output({n: 1 for n in big.neurons})
    small.set_output({n: 1 for n in small.neurons})
    sliced = regions_2d(big, slice=(x0, u, v))
    folded = regions_2d(small)
    assert [(r.vertices, r.pattern, r.gradient, r.constant) for r in sliced.regions] == [
        (r.vertices, r.pattern, r.gradient, r.constant) for r in folded.regions]


def test_results_compare_by_their_regions():
    net = random_net(4)
    first, again = regions_2d(net), regions_2d(net)
    assert first == again and hash(first) == hash(again) and first is not again
    net.set_weight(net.neurons[0], net.output, 7)          # same partition, other outputs
    assert regions_2d(net) != first
    assert regions_2d(net, box=((-1, 1), (-1, 2))) != first


def test_box_and_hard_tanh():
    net = Network(2, "relu")
    h = net.add_neuron({"x1": 1, "x2": 1})
    net.set_output({h: 1})
    result = regions_2d(net, box=((0, 2), (0, 3)))      # the line s + t = 0 only touches a corner
    assert result.num_regions == 1 and sum(r.area for r in result.regions) == 6
    net.set_activation(h, "hard_tanh")              # pieces s + t < -1, in [-1, 1), >= 1
    result = regions_2d(net, box=((-2, 2), (0, 1)))
    assert sorted(r.pattern for r in result.regions) == [(0,), (1,), (2,)]
    assert sum(r.area for r in result.regions) == 4


@pytest.mark.parametrize("make,kwargs,error,message", [
    (lambda: Network.from_layers([[[1, 1]], [[1]]], None, "tanh"), {}, NotPiecewiseLinearError, "neuron 'h1'"),
    (lambda: Network.from_layers([[[1, 1, 1]], [[1]]], None, "relu"), {}, SymdepthError, "slice="),
    (lambda: Network.from_layers([[[1, 1]], [[1]]], None, "relu"), {"box": ((0, 0), (0, 1))}, SymdepthError,
     "degenerate"),
    (lambda: Network.from_layers([[[1, 1]], [[1]]], None, "relu"), {"box": ((0, 1), (1, 0))}, SymdepthError,
     "degenerate"),
    (lambda: Network.from_layers([[[1, 1, 1]], [[1]]], None, "relu"),
     {"slice": ((0, 0, 0), (1, 0, 0), (2, 0, 0))}, SymdepthError, "parallel"),
    (lambda: Network.from_layers([[[1, 1, 1]], [[1]]], None, "relu"), {"slice": ((0, 0), (1, 0), (0, 1))},
     SymdepthError, "length 3"),
])
def test_bad_input(make, kwargs, error, message):
    with pytest.raises(error, match=message):
        regions_2d(make(), **kwargs)


def test_twin_and_silent_neurons():
    """Published lattice nets repeat neurons and hold neurons with no weights: a twin gets its
    first copy's pieces and a silent neuron its piece at 0 without cutting, and every region's
    pattern is still the network's own (exact evaluation at an interior point)."""
    net = Network(2, "relu")
    a = net.add_neuron({"x1": 1, "x2": Fraction(1, 3)}, bias=Fraction(-1, 5))
    b = net.add_neuron({"x1": -1, "x2": 2}, bias=Fraction(1, 7), activation="hard_tanh")
    twins = [net.add_neuron({"x1": 1, "x2": Fraction(1, 3)}, bias=Fraction(-1, 5)),
             net.add_neuron({"x1": -1, "x2": 2}, bias=Fraction(1, 7), activation="hard_tanh"),
             net.add_neuron({"x1": -1, "x2": 2}, bias=Fraction(1, 7))]          # same line, other cuts
    silent = [net.add_neuron({"x1": 0}), net.add_neuron({"x1": 0}, activation="hard_tanh")]
    top = net.add_neuron({n: 1 for n in [a, b, *twins, *silent]}, bias=Fraction(-1, 2))
    net.set_output({top: 1})
    result = regions_2d(net)
    for region in result.regions:
        assert _pattern(net, net.node_values(region.interior_point())) == region.pattern
    column = {n: i for i, n in enumerate(result.neurons)}
    assert all(r.pattern[column[a]] == r.pattern[column[twins[0]]] for r in result.regions)
    assert {r.pattern[column[silent[0]]] for r in result.regions} == {1}      # relu(0): the piece at 0
    assert {r.pattern[column[silent[1]]] for r in result.regions} == {1}      # hard_tanh's middle piece
    assert sum(r.area for r in result.regions) == 4


def test_a_network_is_read_again_after_any_change():
    """The read network is kept while the graph is unchanged (a second box reuses it) and
    read again after any change, through the Network's methods or the graph itself."""
    net = random_net(7)
    levels = regions_2d(net).partition.lines.maps.levels
    assert regions_2d(net, box=((0, 1), (0, 1))).partition.lines.maps.levels is levels
    first, second = net.neurons[0], net.neurons[-1]

    def output_bias(g):
        g.nodes[net.output]["bias"] += 1                  # every region's constant moves

    def bias(g):
        g.nodes[first]["bias"] += Fraction(1, 3)

    def weight(g):
        u = next(iter(g.pred[second]))
        g.edges[u, second]["weight"] = -g.edges[u, second]["weight"] + 1

    def activation(g):
        g.nodes[first]["activation"] = activations.get("hard_tanh")

    before = regions_2d(net)
    for change in (output_bias, bias, weight, activation, lambda g: net.set_weight("x1", first, Fraction(5, 4))):
        change(net.graph)
        assert regions_2d(net) == regions_2d(net.copy())
    assert regions_2d(net) != before


def test_symbolic_weights_are_refused():
    import sympy

    net = Network.from_layers([[[1, 1]], [[1]]], None, "relu")
    net.set_weight("x1", "h1", sympy.log(2))
    with pytest.raises(NetworkError, match="weight 'x1' -> 'h1' is log\\(2\\).*rational"):
        regions_2d(net)
    net.set_weight("x1", "h1", 1)
    net.set_bias("h1", sympy.sqrt(2))
    with pytest.raises(NetworkError, match="bias of 'h1' is sqrt\\(2\\)"):
        regions_2d(net)


def test_results_pickle():
    """A result goes to another process (a pool of workers) and comes back equal, with its
    exact machinery: before and after its regions are listed."""
    import pickle

    net = Network.from_layers([[[Fraction(1, 3), 2**70], [1, -1]], [[1, 1]]], [[Fraction(1, 5), 0], [0]], "relu")
    result = regions_2d(net)
    assert pickle.loads(pickle.dumps(result)) == result
    _ = result.regions
    assert pickle.loads(pickle.dumps(result)) == result


def test_the_cycle_collector_is_restored():
    import gc

    assert gc.isenabled()
    regions_2d(random_net(1))
    assert gc.isenabled()
    with pytest.raises(BudgetError):
        regions_2d(random_net(3), max_regions=1)
    assert gc.isenabled()
    gc.disable()
    try:
        regions_2d(random_net(1))
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_budget():
    net = random_net(3)
    with pytest.raises(BudgetError, match="max_regions"):
        regions_2d(net, max_regions=1)


def test_piecewise_namespace():
    assert piecewise.regions_2d is regions_2d


def test_progress_is_reported_after_every_layer():
    """Issue 39, point 3: a count of the regions after each layer (the command line shows it
    on a terminal); the last report is the final count."""
    net = Network(2, "relu")
    first = [net.add_neuron({"x1": a, "x2": b}, bias=Fraction(c, 8)) for a, b, c in [(1, 0, 1), (0, 1, -1), (1, 1, 2)]]
    second = [net.add_neuron({h: w for h, w in zip(first, ws)}) for ws in [(1, -1, 1), (-1, 1, 1)]]
    net.set_output({h: 1 for h in second})
    reports = []
    result = regions_2d(net, progress=lambda layer, layers, count: reports.append((layer, layers, count)))
    assert [(layer, layers) for layer, layers, _ in reports] == [(1, 2), (2, 2)]
    assert reports[0][2] == 7 and reports[-1][2] == result.num_regions >= 7   # 3 lines: 7 regions, then more
