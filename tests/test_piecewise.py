"""Piecewise polynomials: bad input, arithmetic, roots, networks, regions against a grid."""

import random
from fractions import Fraction

import pytest
import sympy

from symdepth import Network, NetworkError, SymdepthError, piecewise
from symdepth.piecewise import INF, PiecewisePolynomial, crossings

x = sympy.Symbol("x")


@pytest.mark.parametrize("bps,pieces,message", [
    ([0, 1, 1], [[0], [1]], "increase strictly"),
    ([0, 2, 1], [[0], [1]], "increase strictly"),
    ([0, 1], [[0], [1]], "2 breakpoints delimit 1 pieces"),
    ([0], [], "at least two breakpoints"),
    ([0, INF, 2], [[0], [1]], "increase strictly|infinite"),
    ([0, 1], [[float("nan")]], "not finite"),  # float: a NaN coefficient is refused
    ([0, sympy.pi], [[1]], "not a real algebraic"),
    ([0, 1], [x * sympy.Symbol("y")], "several symbols"),
])
def test_bad_input(bps, pieces, message):
    with pytest.raises(NetworkError, match=message):
        PiecewisePolynomial(bps, pieces)


def test_floats_are_converted_exactly():
    f = PiecewisePolynomial([0, 0.5, 1], [[0.1], [0.25]])
    assert f(Fraction(1, 4)) == Fraction(3602879701896397, 36028797018963968)
    assert f.breakpoints[1] == Fraction(1, 2)


def test_arithmetic_and_relu():
    f = PiecewisePolynomial([-1, 1], [[0, 1]])
    g = PiecewisePolynomial([-1, 0, 1], [[0], [0, 0, 1]])
    for point in [Fraction(k, 7) for k in range(-7, 8)]:
        assert (f + g)(point) == f(point) + g(point)
        assert (f * g)(point) == f(point) * g(point)
        assert piecewise.relu(f)(point) == max(f(point), 0)
        assert piecewise.maximum(f, g)(point) == max(f(point), g(point))
        assert piecewise.minimum(f, g)(point) == min(f(point), g(point))
        assert (3 * f - g)(point) == 3 * f(point) - g(point)
    with pytest.raises(SymdepthError, match="domains differ"):
        f + PiecewisePolynomial([0, 1], [[0]])


def test_algebraic_roots_split_pieces():
    f = piecewise.relu(PiecewisePolynomial([0, 2], [x**2 - 2]))
    assert f.num_pieces == 2 and isinstance(f.breakpoints[1], piecewise.RealAlgebraic)
    assert f.breakpoints[1] > Fraction(1414, 1000) and f.breakpoints[1] < Fraction(1415, 1000)


def test_unbounded_domain_and_relu_networks():
    net = Network(1, "relu")
    a = net.add_neuron({"x1": 1}, bias=1)
    b = net.add_neuron({"x1": -1}, bias=1)
    net.set_output({a: 1, b: 1}, bias=-1)
    f = piecewise.from_network(net)
    assert f.domain == (-INF, INF) and f.num_pieces == 3
    assert crossings(f) == 1  # f = 1 on [-1, 1] and |x| outside: always >= 1/2
    assert crossings(f, 2) == 3
    assert piecewise.linear_regions(net) == 3


def _random_relu(seed):
    rng = random.Random(seed)
    net = Network(1, rng.choice(["relu", "leaky_relu", "hard_tanh"]))
    prev = ["x1"]
    for _ in range(rng.randint(1, 3)):
        prev = [net.add_neuron({u: Fraction(rng.randint(-4, 4), 2) for u in prev}, Fraction(rng.randint(-4, 4), 4))
                for _ in range(rng.randint(1, 4))]
    net.set_output({u: rng.randint(-2, 2) or 1 for u in prev})
    return net


@pytest.mark.parametrize("seed", range(25))
def test_networks_against_evaluation_on_a_grid(seed):
    net = _random_relu(seed)
    f = piecewise.from_network(net, domain=(-3, 3))
    grid = [Fraction(i, 40) for i in range(-120, 121)]
    for point in grid:
        assert f(point) == net.evaluate([point])
    # linear regions: slope changes seen on the grid never exceed the exact count
    values = [f(p) for p in grid]
    slopes = [(b - a) for a, b in zip(values, values[1:])]
    changes = sum(s != t for s, t in zip(slopes, slopes[1:]))
    assert f.canonical().num_pieces - 1 >= 0 and changes <= 2 * (f.canonical().num_pieces - 1)


def test_tapoly_and_pieces():
    f = piecewise.compose(PiecewisePolynomial([0, 1], [x**3]), piecewise.triangle(2))
    assert piecewise.tapoly(f) == (4, 3) and piecewise.pieces(f) == 4


def test_budget():
    from symdepth import BudgetError

    square = PiecewisePolynomial([0, 1], [x**2])
    with pytest.raises(BudgetError, match="max_pieces"):
        piecewise.compose(piecewise.sawtooth_function(6), square, max_pieces=10)


def _as_affine_pieces(f):
    """(left, right, a, b) of each piece of a piecewise-linear PiecewisePolynomial."""
    out = []
    for left, right, p in zip(f.breakpoints, f.breakpoints[1:], f.polys):
        c = [Fraction(int(q.p), int(q.q)) for q in p.coeffs()] + [Fraction(0), Fraction(0)]
        out.append((left, right, c[0], c[1]))
    return out


@pytest.mark.parametrize("seed", range(40))
def test_from_network_matches_the_region_walk(seed):
    """The layer-at-once knot grid against an independent walk through activation regions:
    the same breakpoints, the same affine pieces, the same crossing numbers."""
    from proofs.independent import crossings_by_definition, walk_pieces

    net = _random_relu(seed)
    f = piecewise.from_network(net, domain=(-3, 3))
    walked = walk_pieces(net, -3, 3)
    assert _as_affine_pieces(f) == walked
    for tau in (0, Fraction(1, 2), -1, Fraction(7, 3)):
        assert crossings(f, tau) == crossings_by_definition(walked, tau)


def test_deep_sawtooth_from_network_exact():
    from proofs.independent import walk_pieces

    f = piecewise.from_network(piecewise.sawtooth(12), domain=(0, 1))
    assert f.num_pieces == 2**12 and crossings(f) == 2**12 + 1
    assert _as_affine_pieces(f) == walk_pieces(piecewise.sawtooth(12), 0, 1)
    g = piecewise.from_network(piecewise.sawtooth(6))              # on the whole line
    assert g.num_pieces == 2**6 + 2 and g.breakpoints[0] is -INF and crossings(g) == 2**6 + 1


def test_unbounded_rays():
    """Breakpoints outside any finite window are found exactly on (-INF, INF)."""
    net = Network(1, "relu")
    a = net.add_neuron({"x1": 1}, bias=-1000)      # kink at 1000
    b = net.add_neuron({"x1": -3}, bias=-6000)     # kink at -2000
    net.set_output({a: 1, b: 2}, bias=-1)
    f = piecewise.from_network(net)
    assert f.breakpoints == [-INF, -2000, 1000, INF]
    assert [f(p) for p in (-3000, 0, 2000)] == [5999, -1, 999]
    assert crossings(f, 0) == 3


def test_fast_path_budget_and_compose():
    from symdepth import BudgetError

    with pytest.raises(BudgetError, match="max_pieces"):
        piecewise.from_network(piecewise.sawtooth(12), domain=(0, 1), max_pieces=1000)
    tent = piecewise.triangle_map_function()
    h = piecewise.compose(tent, piecewise.sawtooth_function(5))
    assert h.num_pieces == 64 and crossings(h) == 65
    for k in range(0, 65):
        point = Fraction(k, 64) + Fraction(1, 1000) * (k < 64)
        assert h(point) == tent(piecewise.sawtooth_function(5)(point))
    with pytest.raises(SymdepthError, match="outside the outer function's domain"):
        piecewise.compose(tent, PiecewisePolynomial([0, 1], [[0, 2]]))


@pytest.mark.parametrize("seed", range(12))
def test_the_degree_of_a_linear_function_without_its_pieces(seed):
    """Knots.degree (no fmpq_poly formed) against the pieces' own degrees, on bounded and
    unbounded domains, including constant and zero functions."""
    net = _random_relu(seed)
    flat = Network(1, "relu")
    dead = flat.add_neuron({"x1": 0}, bias=-1)            # relu(-1) = 0 everywhere
    flat.set_output({dead: 1}, bias=seed % 3 - 1)         # constants -1, 0, 1
    for f in (piecewise.from_network(net, (-3, 3)), piecewise.from_network(net, (-INF, INF)),
              piecewise.from_network(net, (0, INF)), piecewise.from_network(flat, (-INF, INF)),
              piecewise.from_network(flat, (-1, 2)), piecewise.sawtooth_function(3)):
        fast = f.degree
        assert fast == max(p.degree() for p in f.polys)
