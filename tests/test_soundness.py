"""Soundness: mutated constructions are rejected whenever their Taylor polynomial really
changes (decided by an independent sympy.series ground truth); randomized checks of false
claims do not pass; random compositions agree with a slow exact method.

The kill rate over all mutants that change the Taylor polynomial must be 100%; a mutant
whose Taylor polynomial provably does not change (sympy agrees with the claim) must be
accepted — both directions are asserted."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy

from symdepth import Network, activations, check_taylor, constructions
from symdepth.parsing import polynomial_terms

from .strategies import sympy_taylor

BUILDERS = [
    ("deep_power(2)", lambda: constructions.deep_power(2, "exp"), "x1^2"),
    ("shallow_power(2)", lambda: constructions.shallow_power(2, "tanh"), "x1^2"),
    ("shallow_monomial(1,1)", lambda: constructions.shallow_monomial((1, 1), "exp"), "x1*x2"),
    ("lin_product(2) sin", lambda: constructions.lin_product(2, "sin"), "x1*x2"),
    ("product_tree(2,[2])", lambda: constructions.product_tree(2, [2], "exp"), "x1*x2"),
    ("univariate_shallow", lambda: constructions.univariate_shallow("x1^2 - x1 + 2", "exp"), "x1^2 - x1 + 2"),
    ("identity_net", lambda: constructions.identity_net("cos"), "x1"),
    ("deep_monomial(1,1)", lambda: constructions.deep_monomial((1, 1), "exp"), "x1*x2"),
    ("sparse_sum", lambda: constructions.sparse_sum("2*x1^2 - x1*x2", "exp"), "2*x1^2 - x1*x2"),
]
SLOW_BUILDERS = [
    ("deep_power(3)", lambda: constructions.deep_power(3, "exp"), "x1^3"),
    ("deep_monomial(2,1)", lambda: constructions.deep_monomial((2, 1), "exp"), "x1^2*x2"),
    ("product_tree(2,[2]) sigmoid", lambda: constructions.product_tree(2, [2], "sigmoid"), "x1*x2"),
]


def _mutants(net: Network):
    """(description, mutant) for every weight and bias changed by +1/7 and by a sign flip, and
    the activation of every neuron replaced."""
    for u, v, w in net.graph.edges(data="weight"):
        for label, new in (("+1/7", _add(w, Fraction(1, 7))), ("flip", _neg(w))):
            if new == w:
                continue
            m = net.copy()
            m.set_weight(u, v, new)
            yield f"weight {u}->{v} {label}", m
    for node in [*net.neurons, net.output]:
        b = net.graph.nodes[node]["bias"]
        for label, new in (("+1/7", _add(b, Fraction(1, 7))), ("flip", _neg(b))):
            if new == b:
                continue
            m = net.copy()
            m.set_bias(node, new)
            yield f"bias {node} {label}", m
    for node in net.neurons:
        current = net.graph.nodes[node]["activation"].name
        m = net.copy()
        m.set_activation(node, "arctan" if current != "arctan" else "exp")
        yield f"activation {node}", m


def _add(a, b):
    return a + b if not isinstance(a, sympy.Expr) else a + sympy.Rational(b.numerator, b.denominator)


def _neg(a):
    return -a


def _taylor_changed(mutant: Network, claim: str, degree: int) -> bool:
    truth = sympy_taylor(mutant, degree)
    claimed = polynomial_terms(claim, mutant.inputs)[1]
    expected = sympy.Add(*[sympy.Rational(c.numerator, c.denominator) * sympy.Mul(
        *[sympy.Symbol(x) ** e for x, e in zip(mutant.inputs, m)]) for m, c in
        ((m, Fraction(c)) for m, c in claimed.items())])
    difference = sympy.Poly(sympy.expand(truth - expected), *[sympy.Symbol(x) for x in mutant.inputs])
    return any(abs(sympy.N(c, 50)) > 1e-40 for c in difference.coeffs())


@pytest.mark.parametrize("name,build,claim", BUILDERS + [pytest.param(*b, marks=pytest.mark.slow) for b in SLOW_BUILDERS],
                         ids=[b[0] for b in BUILDERS + SLOW_BUILDERS])
def test_mutants_are_rejected_exactly_when_taylor_changes(name, build, claim):
    net = build()
    degree = max(sum(m) for m in polynomial_terms(claim, net.inputs)[1])
    assert check_taylor(net, claim).ok
    changed = killed = 0
    for description, mutant in _mutants(net):
        verdict = check_taylor(mutant, claim, degree=degree).ok
        if _taylor_changed(mutant, claim, degree):
            changed += 1
            killed += not verdict
            assert not verdict, f"{name}: mutant '{description}' changes the Taylor polynomial but was accepted"
        else:
            assert verdict, f"{name}: mutant '{description}' keeps the Taylor polynomial but was rejected"
    assert changed > 0 and killed == changed  # kill rate 100%


def test_randomized_false_accept_rate_is_zero():
    net = constructions.deep_power(6, "exp")
    accepted = sum(check_taylor(net, "x1^6 + x1^5/1000", method="random", seed=s, repetitions=1).ok
                   for s in range(200))
    assert accepted == 0  # bound: 200 * 6/p < 1e-15


def test_generic_mutant_changing_a_symbolic_weight_is_rejected():
    net = constructions.deep_power(2, activations.generic())
    h = net.neurons[0]
    m = net.copy()
    m.set_weight(h, m.output, sympy.Symbol("sigma_2") ** -1)
    assert not check_taylor(m, "x1^2").ok


def _random_continuous(rng):
    """A continuous piecewise polynomial on [0, 1]: pieces q_i(x) = y_i + (x − b_i)·r_i(x)."""
    from symdepth import piecewise

    k = rng.randint(1, 4)
    bps = [Fraction(0)] + sorted({Fraction(rng.randint(1, 49), 50) for _ in range(k)}) + [Fraction(1)]
    pieces, y = [], Fraction(rng.randint(0, 4), 4)
    x = sympy.Symbol("x")
    for a, b in zip(bps, bps[1:]):
        q = sympy.Rational(y.numerator, y.denominator) + (x - sympy.Rational(a.numerator, a.denominator)) * (
            sympy.Rational(rng.randint(-4, 4), 4) + sympy.Rational(rng.randint(-4, 4), 8) * x)
        pieces.append(sympy.expand(q))
        y = Fraction(sympy.Rational(q.subs(x, sympy.Rational(b.numerator, b.denominator))).p,
                     sympy.Rational(q.subs(x, sympy.Rational(b.numerator, b.denominator))).q)
    return piecewise.PiecewisePolynomial(bps, pieces)


def test_piecewise_composition_against_pointwise_evaluation():
    from symdepth import piecewise

    rng = random.Random(5)
    for _ in range(25):
        f = _random_continuous(rng)
        g = piecewise.triangle(rng.randint(1, 3))
        h = piecewise.compose(f, g)
        for i in range(0, 301):
            x = Fraction(i, 300)
            assert h(x) == f(g(x))
        # crossings by the slow exact method: classifier on a fine grid plus exact roots is a lower bound
        grid = [int(h(Fraction(i, 1000)) >= Fraction(1, 2)) for i in range(1001)]
        runs = 1 + sum(a != b for a, b in zip(grid, grid[1:]))
        assert piecewise.crossings(h) >= runs


def test_discontinuous_outer_function_is_refused():
    from symdepth import SymdepthError, piecewise

    jump = piecewise.PiecewisePolynomial([0, Fraction(1, 2), 1], [[0], [1]])
    with pytest.raises(SymdepthError, match="jumps at breakpoint 1/2"):
        piecewise.compose(jump, piecewise.triangle(1))
