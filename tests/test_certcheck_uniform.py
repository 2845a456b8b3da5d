"""certcheck's uniform bound against symdepth's ball arithmetic: on random networks of every
activation the checker reads, random cells and every order of its Taylor forms, the bound
it proves must lie above |N − p| at points of the cell (evaluated by symdepth with python-flint,
code the checker does not share), and the series it bounds with must be the network's Taylor
series (compared with symdepth's exact Taylor polynomial)."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from certcheck.network import polynomial, read_network
from certcheck.numbers import precision
from certcheck.uniform import Difference, cell_bound, lower, upper
from symdepth import Network, activations, check_taylor
from symdepth.certificates import terms_json
from symdepth.uniform import errors_at
from symdepth.uniform.enclosure import exact_value

ACTIVATIONS = ["exp", "tanh", "sigmoid", "softplus", "sin", "cos", "arctan", "relu", "hard_tanh",
               activations.get("leaky_relu", slope=Fraction(1, 8)),
               activations.polynomial([Fraction(1, 3), -1, Fraction(1, 2), 2])]
SMALL = st.fractions(min_value=-2, max_value=2, max_denominator=8)


@st.composite
def networks(draw: st.DrawFn) -> Network:
    n = draw(st.integers(1, 2))
    net = Network(n, draw(st.sampled_from(ACTIVATIONS)))
    sources = list(net.inputs)
    for _ in range(draw(st.integers(1, 2))):                 # layers
        layer = [net.add_neuron({u: draw(SMALL) for u in sources}, bias=draw(SMALL))
                 for _ in range(draw(st.integers(1, 3)))]
        sources = layer
    net.set_output({u: draw(SMALL) for u in sources}, bias=draw(SMALL))
    return net


def _checker_difference(net: Network, target: dict, order: int) -> Difference:
    return Difference(read_network(json.loads(net.to_json())), polynomial(terms_json(target), net.num_inputs, "target"),
                      order)


@settings(max_examples=40, deadline=None)
@given(net=networks(), order=st.integers(0, 5), data=st.data())
def test_the_checker_bound_lies_above_the_error_at_points_of_the_cell(net, order, data):
    n = net.num_inputs
    target = {(1,) + (0,) * (n - 1): Fraction(1, 2), (0,) * (n - 1) + (2,): Fraction(-1, 3)}
    lo = [data.draw(st.fractions(min_value=-2, max_value=1, max_denominator=16)) for _ in range(n)]
    hi = [a + data.draw(st.fractions(min_value=Fraction(1, 64), max_value=1, max_denominator=64)) for a in lo]
    points = [[a + (b - a) * Fraction(k, 4) for a, b in zip(lo, hi)] for k in range(5)]
    points += [[data.draw(st.sampled_from([a, b, (a + b) / 2])) for a, b in zip(lo, hi)] for _ in range(3)]
    poly = " + ".join(f"({c})*" + "*".join(f"x{i + 1}^{e}" for i, e in enumerate(m)) for m, c in target.items())
    with precision(128):
        bound = cell_bound(_checker_difference(net, target, order), lo, hi)
    for point, error in zip(points, errors_at(net, poly, points)):
        assert bound >= exact_value(error.lower()), point


@pytest.mark.parametrize("activation,bias", [("exp", "-2"), ("tanh", "0"), ("sigmoid", "-1"), ("softplus", "-2*log(2)"),
                                             ("sin", "0"), ("arctan", "0")])
def test_the_series_at_a_point_is_the_taylor_polynomial(activation, bias):
    """The parts of N at the origin, enclosed by the checker's intervals, hold the exact
    coefficients symdepth's Taylor check computes (degree 4, two inputs, two layers; one
    neuron expanded about 1/3, the second layer's bias chosen to keep symdepth's exact
    constants small)."""
    import sympy
    from mpmath import iv

    net = Network(2, activation)
    h = net.add_neuron({"x1": 1, "x2": Fraction(-1, 2)})
    k = net.add_neuron({"x1": Fraction(1, 2)}, bias=Fraction(1, 3))
    g = net.add_neuron({h: 2, "x2": 1}, bias=bias)
    net.set_output({g: 1, h: Fraction(3, 2), k: 1})
    x1, x2 = sympy.symbols("x1 x2")
    exact = sympy.Poly(check_taylor(net, 0, degree=4).taylor, x1, x2)
    with precision(128):
        parts = _checker_difference(net, {}, 4)([iv.mpf(0), iv.mpf(0)])
    assert len(parts) == 5
    for degree, part in enumerate(parts):
        for m in ((i, degree - i) for i in range(degree + 1)):
            c = part.get(m[0] + 5 * m[1], iv.mpf(0))
            value = Fraction(str(sympy.N(exact.coeff_monomial(x1 ** m[0] * x2 ** m[1]), 60)))
            slack = Fraction(1, 10**40)
            assert lower(c) - slack <= value <= upper(c) + slack and upper(c) - lower(c) < Fraction(1, 10**20), m


@pytest.mark.parametrize("order", [1, 2, 4])
def test_a_kink_inside_the_cell_keeps_the_slopes_hull(order):
    """The issue's planted bug: −relu(x) − relu(−x) against −1 on [−1, 3/2] (|f| = 1 at the
    kink x = 0, never a cell centre); a ReLU's slope taken as 1 across its kink would give the
    mean value bound 3/4."""
    net = Network(1, "relu")
    net.set_output({net.add_neuron({"x1": 1}): -1, net.add_neuron({"x1": -1}): -1})
    with precision(128):
        assert cell_bound(_checker_difference(net, {(0,): Fraction(-1)}, order), [Fraction(-1)], [Fraction(3, 2)]) >= 1
