"""Derivative rank against a plain sympy ground truth, GF(p) against Q, budgets, product
bound against brute force."""

import itertools
import math
import random
from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdepth import BudgetError, SymdepthError, bounds


def _sympy_rank(terms, n, order=None):
    """Ground truth: differentiate with sympy, collect coefficient vectors, Matrix.rank."""
    xs = sympy.symbols(f"x1:{n + 1}")
    p = sum(c * sympy.prod([x**e for x, e in zip(xs, m)]) for m, c in terms.items())
    top = max(max(m) for m in terms)
    derivs = []
    for alpha in itertools.product(range(top + 1), repeat=n):
        if order is not None and sum(alpha) != order:
            continue
        d = p
        for x, a in zip(xs, alpha):
            d = sympy.diff(d, x, a)
        if d != 0:
            derivs.append(sympy.Poly(d, *xs))
    monomials = sorted({m for d in derivs for m in d.monoms()})
    if not monomials:
        return 0
    matrix = sympy.Matrix([[d.coeff_monomial(m) for m in monomials] for d in derivs])
    return matrix.rank()


@st.composite
def _polys(draw):
    n = draw(st.integers(1, 3))
    mono = st.tuples(*[st.integers(0, 3)] * n)
    terms = draw(st.dictionaries(mono, st.integers(-3, 3).filter(bool), min_size=1, max_size=4))
    return n, terms


@settings(max_examples=60, deadline=None)
@given(_polys(), st.one_of(st.none(), st.integers(0, 4)))
def test_rank_matches_sympy(case, order):
    n, terms = case
    assert bounds.derivative_rank(terms, order=order) == _sympy_rank(terms, n, order)


@settings(max_examples=60, deadline=None)
@given(_polys())
def test_prime_field_agrees_with_rationals(case):
    _, terms = case
    assert bounds.derivative_rank(terms, field="GF(1000000007)") == bounds.derivative_rank(terms)


def test_monomials_and_exact_orders():
    for n in range(1, 5):
        for r in itertools.product(range(13), repeat=n):
            if sum(r) <= 12:
                assert bounds.derivative_rank({r: 1}) == math.prod(e + 1 for e in r)
    y = sympy.Symbol("y")
    g = sympy.Poly((1 + y + y**2) * (1 + y + y**2 + y**3), y)
    for s in range(6):
        assert bounds.derivative_rank("x1^2*x2^3", order=s) == g.coeff_monomial(y**s)


def test_large_sparse_polynomial_in_many_variables():
    rng = random.Random(1)
    terms = {}
    for _ in range(30):
        mono = [0] * 40
        for i in rng.sample(range(40), 4):
            mono[i] = rng.randint(1, 3)
        terms[tuple(mono)] = rng.randint(1, 9)
    rows, cols, _ = bounds.derivative_matrix_size(terms)
    assert rows > 1000
    rank = bounds.derivative_rank(terms, field=2**61 - 1)
    assert 0 < rank <= min(rows, cols)
    assert rank == bounds.derivative_rank(terms)
    with pytest.raises(BudgetError):
        bounds.derivative_matrix_size({(2,) * 30: 1})


def test_budget_and_field_errors():
    with pytest.raises(BudgetError, match="max_entries"):
        bounds.derivative_rank({(6, 6, 6, 6): 1}, max_entries=100)
    with pytest.raises(SymdepthError, match="not a prime"):
        bounds.derivative_rank("x1", field=15)


def test_product_bound_matches_brute_force_small():
    for n in range(1, 33):
        for k in (1, 2, 3):
            brute = min(bounds.eq2_neurons(w) for w in itertools.product(range(1, n + 1), repeat=k)
                        if math.prod(w) == n)
            assert bounds.product_bound(n, k).neurons == brute


def test_depth_rule():
    assert bounds.depth_rule_of_thumb(10**6).min_layers == 6
    assert bounds.depth_rule_of_thumb(100, max_width=1000).min_layers == 3


_FORMS = st.integers(1, 3).flatmap(lambda n: st.integers(1, 5).flatmap(lambda d: st.dictionaries(
    st.lists(st.integers(0, d), min_size=n, max_size=n).map(tuple).filter(lambda m, d=d: sum(m) == d),
    st.integers(-4, 4).filter(bool), min_size=1, max_size=6)))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(_FORMS)
def test_form_ranks_by_order_blocks_match_the_definition(form):
    """The moment-matrix path (forms) against sympy's row reduction of every derivative."""
    from proofs.independent import derivative_rank_by_definition

    total, orders = bounds.derivative_ranks(form)
    assert total == bounds.derivative_rank(form) == derivative_rank_by_definition(form) == sum(orders)
    assert bounds.derivative_rank(form, field=1000003) <= total


@settings(max_examples=40, deadline=None, derandomize=True)
@given(_FORMS, st.dictionaries(st.tuples(st.integers(0, 2), st.integers(0, 2)), st.integers(-3, 3).filter(bool),
                               min_size=1, max_size=3))
def test_inhomogeneous_ranks_match_the_definition(form, extra):
    from proofs.independent import derivative_rank_by_definition

    n = len(next(iter(form)))
    p = dict(form)
    for m, c in extra.items():
        key = (m + (0,) * n)[:n]
        p[key] = p.get(key, 0) + c
    p = {m: c for m, c in p.items() if c}
    if p:
        assert bounds.derivative_rank(p) == derivative_rank_by_definition(p)


def _hand_built(poly):
    """Networks from the issue, written by hand: e^(x1+x2) − e^x1 − e^x2 + 1, e^x + e^−x − 2,
    e^x − 1, and cos(x1 + x2) − cos(x1 − x2) (a critical point at 0)."""
    from symdepth import Network

    if poly == "x1*x2":
        net = Network(2, "exp")
        a, b, c = net.add_neuron({"x1": 1, "x2": 1}), net.add_neuron({"x1": 1}), net.add_neuron({"x2": 1})
        net.set_output({a: 1, b: -1, c: -1}, bias=1)
    elif poly == "x1^2":
        net = Network(1, "exp")
        a, b = net.add_neuron({"x1": 1}), net.add_neuron({"x1": -1})
        net.set_output({a: 1, b: 1}, bias=-2)
    elif poly == "x1":
        net = Network(1, "exp")
        net.set_output({net.add_neuron({"x1": 1}): 1}, bias=-1)
    else:
        net = Network(2, "cos")
        a, b = net.add_neuron({"x1": 1, "x2": 1}), net.add_neuron({"x1": 1, "x2": -1})
        net.set_output({a: Fraction(-1, 2), b: Fraction(1, 2)})
    return net


@pytest.mark.parametrize("poly,activation,model,neurons", [("x1*x2", "exp", "output-bias", 3),
                                                           ("x1^2", "exp", "output-bias", 2),
                                                           ("x1", "exp", "output-bias", 1),
                                                           ("cos x1*x2", "cos", "rt", 2)])
def test_table_entries_against_hand_built_networks(poly, activation, model, neurons):
    from symdepth import check_taylor, tables

    net = _hand_built(poly)
    target = poly.split()[-1]
    assert net.num_neurons == neurons and net.models[0] == model and check_taylor(net, target).ok
    row = tables.minimal_table([target], [activation], [model], fmt="csv").splitlines()[1]
    assert row.split(",")[-1] == str(neurons)
    assert bounds.shallow_lower_bound(target, activation, model).value == neurons


def test_four_variable_product_with_an_output_bias():
    assert bounds.shallow_lower_bound("x1*x2*x3*x4", "generic", "output-bias").value == 15
    assert bounds.shallow_lower_bound("x1*x2*x3*x4", "generic", "rt").value == 16
