"""Builders: activation support matrix, refusals with the missing coefficient, counts."""

import pytest

from symdepth import NotAnalyticError, activations, bounds, check_taylor, constructions

ACTIVATIONS = ["exp", "tanh", "sigmoid", "softplus", "sin", "cos", "arctan", activations.generic()]


@pytest.mark.parametrize("act", ACTIVATIONS, ids=str)
def test_every_builder_for_every_activation(act):
    cases = [
        (constructions.deep_power(5, act), "x1^5"),
        (constructions.shallow_power(3, act), "x1^3"),
        (constructions.shallow_monomial((2, 1), act), "x1^2*x2"),
        (constructions.deep_monomial((2, 2), act), "x1^2*x2^2"),
        (constructions.lin_product(3, act), "x1*x2*x3"),
        (constructions.product_tree(4, [2, 2], act), "x1*x2*x3*x4"),
        (constructions.sparse_sum("x1^2*x2 - 3*x1*x2^2", act), "x1^2*x2 - 3*x1*x2^2"),
        (constructions.univariate_shallow("x1^3 - x1/2 + 1", act), "x1^3 - x1/2 + 1"),
    ]
    for net, poly in cases:
        assert check_taylor(net, poly).ok, (act, poly)


def test_generic_assumptions_are_recorded():
    net = constructions.deep_monomial((3, 1), activations.generic())
    assert set(net.assumptions) == {"sigma_1 != 0", "sigma_2 != 0"}
    assert check_taylor(net, "x1^3*x2").assumptions[:2] == net.assumptions


@pytest.mark.parametrize("builder", [
    lambda: constructions.deep_power(3, "relu"),
    lambda: constructions.shallow_monomial((1, 1), "leaky_relu"),
    lambda: constructions.product_tree(2, [2], "hard_tanh"),
])
def test_relu_is_refused(builder):
    with pytest.raises(NotAnalyticError, match="piecewise linear"):
        builder()


def test_vanishing_polynomial_coefficient_is_named():
    with pytest.raises(NotAnalyticError, match="sigma_2 = 0"):
        constructions.deep_power(2, activations.polynomial([0, 1]))
    with pytest.raises(NotAnalyticError, match="sigma_2 = 0"):
        constructions.deep_power(2, "tanh", at=0)


def test_counts_match_formulas():
    for d in range(1, 200):
        assert constructions.deep_power(d, "exp").num_neurons == constructions.deep_power_count(d)
    for r in [(1,), (2, 3), (1, 1, 1), (4, 0, 2)]:
        b = bounds.monomial_bounds(r)
        assert constructions.shallow_monomial(r).num_neurons == b.shallow == bounds.derivative_rank({r: 1})
        assert constructions.deep_monomial(r).num_neurons == b.deep_construction <= b.deep_upper
    for n, widths in [(8, [2, 2, 2]), (9, [3, 3]), (5, [2, 3]), (7, [2, 2, 2])]:
        assert constructions.product_tree(n, widths).num_neurons == constructions.product_tree_count(n, widths)


def test_partial_groups_still_multiply():
    assert check_taylor(constructions.product_tree(5, [2, 3], "exp"), "x1*x2*x3*x4*x5").ok
    assert check_taylor(constructions.product_tree(7, [2, 2, 2], "tanh"), "x1*x2*x3*x4*x5*x6*x7").ok


def test_radial_net_interpolates_exactly_at_its_knots():
    from fractions import Fraction

    from symdepth import SymdepthError

    # g(√s) = s is linear in s, so the network is exactly the knot interpolant of Σ x_i²
    net = constructions.radial_net(2, lambda r: r * r, knots=5)
    for a in (Fraction(-1), Fraction(-1, 2), Fraction(0), Fraction(1, 2), Fraction(1)):
        assert net.evaluate([a, Fraction(1, 2)]) == a * a + Fraction(1, 4)
    assert net.evaluate([Fraction(1, 4), 0]) == Fraction(1, 8)  # midpoint of the chord from 0 to 1/4
    mutant = net.copy()
    u, v = next(iter(mutant.graph.edges))
    mutant.set_weight(u, v, mutant.graph.edges[u, v]["weight"] + Fraction(1, 7))
    assert any(mutant.evaluate([a, 0]) != net.evaluate([a, 0]) for a in (Fraction(-1), Fraction(1, 2), Fraction(1)))
    for bad in (dict(dimension=0), dict(knots=1), dict(radius=0)):
        with pytest.raises(SymdepthError):
            constructions.radial_net(**{"dimension": 2, "g": abs, "knots": 4, **bad})
