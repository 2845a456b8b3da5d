"""check_taylor: differential tests against sympy.series, verdicts, budgets and results."""

from __future__ import annotations

import dataclasses
import math
from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st

from symdepth import (
    BudgetError,
    Network,
    NotAnalyticError,
    ParseError,
    SymdepthError,
    activations,
    check_taylor,
    constructions,
)
from symdepth.check import taylor_height
from symdepth.numbers import is_rational
from symdepth.parsing import polynomial_terms, terms_to_sympy

from .strategies import GroundTruthTimeout, small_networks, sympy_taylor


def _perturbed(net: Network, truth: sympy.Expr, which: int) -> sympy.Expr:
    variables, terms = polynomial_terms(truth, net.inputs)
    keys = sorted(terms) or [(0,) * net.num_inputs]
    key = keys[which % len(keys)]
    terms = dict(terms)
    terms[key] = sympy.Rational(1, 7) + sympy.Integer(0) + terms.get(key, 0)
    return terms_to_sympy(variables, terms)


def _rational_seeds(net: Network, degree: int) -> bool:
    values = net.node_values()
    return all(
        is_rational(s) for node in net.neurons for s in net.graph.nodes[node]["activation"].seeds(values[node][0], degree)
    )


def _agrees_with_sympy_series(net, degree, which):
    # Fixed examples (derandomize) keep the run time of sympy's ground truth predictable in CI;
    # the rare network whose sympy.series takes over 3 s is discarded (not counted), not failed.
    degree = degree if net.num_inputs == 1 else min(degree, 4)
    try:
        truth = sympy_taylor(net, degree, seconds=3)
    except GroundTruthTimeout:
        reject()
    result = check_taylor(net, truth, degree=degree, method="exact")
    assert result.ok, (net.to_sympy(), truth, result)
    difference = sympy.Poly(result.taylor - truth, *[sympy.Symbol(x) for x in net.inputs])
    assert all(abs(sympy.N(c, 40)) < 1e-30 for c in difference.coeffs())
    wrong = _perturbed(net, truth, which)
    assert not check_taylor(net, wrong, degree=degree, method="exact").ok


@settings(max_examples=60, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(net=small_networks(), degree=st.integers(1, 5), which=st.integers(0, 50))
def test_agrees_with_sympy_series(net, degree, which):
    _agrees_with_sympy_series(net, degree, which)


@pytest.mark.slow
@settings(max_examples=400, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(net=small_networks(), degree=st.integers(1, 5), which=st.integers(0, 50))
def test_agrees_with_sympy_series_long(net, degree, which):
    _agrees_with_sympy_series(net, degree, which)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(net=small_networks(), degree=st.integers(1, 4), seed=st.integers(0, 2**32))
def test_random_method_agrees_with_exact(net, degree, seed):
    if not _rational_seeds(net, degree):
        reject()  # transcendental seeds: the randomized method refuses them (tested elsewhere)
    truth = check_taylor(net, 0, degree=degree, method="exact").taylor
    result = check_taylor(net, truth, degree=degree, method="random", seed=seed)
    assert result.ok and result.seed == seed
    wrong = truth + sympy.Symbol(net.inputs[0]) ** degree / 5
    assert not check_taylor(net, wrong, degree=degree, method="random", seed=seed).ok


def test_random_is_reproducible():
    net = constructions.product_tree(4, [2, 2], "exp")
    a = check_taylor(net, "x1*x2*x3*x4", method="random", seed=7, repetitions=3)
    b = check_taylor(net, "x1*x2*x3*x4", method="random", seed=7, repetitions=3)
    assert a.field == b.field and a.seed == 7 and a.error_probability == b.error_probability
    primes = [int(f[3:-1]) for f in a.field.split("+")]
    assert len(set(primes)) == 3 and all(2**61 < p < 2**62 and p % 4 == 1 and sympy.isprime(p) for p in primes)
    assert "seed=7" in repr(a)


def _range_primes(count, start):
    """``count`` primes p ≡ 1 (mod 4) in [2^61, 2^62), from ``start`` on."""
    out, p = [], start
    while len(out) < count:
        p = sympy.nextprime(p)
        if p % 4 == 1:
            out.append(p)
    return out


def _bound_if_fooled(monkeypatch, net, claim, repetitions=2):
    """The error bound the randomized check reports when every repetition is fooled (the
    line check finds no mismatch): the bound must cover that event's probability."""
    monkeypatch.setattr("symdepth.check.randomized._random_line_mismatch", lambda *args, **kwargs: None)
    result = check_taylor(net, claim, method="random", seed=11, repetitions=repetitions)
    primes = [int(f[3:-1]) for f in result.field.split("+")]
    return result.error_probability, primes


def test_error_bound_covers_primes_dividing_the_difference(monkeypatch):
    """Validity of the bound, not its formula: a false claim x² + D·x² with D the product of
    K range primes survives a repetition exactly when the drawn prime divides D, with
    probability K/N for the N ≥ 2^53 admissible primes — at least K/2^59, since the range has
    2^59 numbers ≡ 1 (mod 4).  With one input no random line can vanish."""
    x = sympy.Symbol("x1")
    for k in (20, 60):
        factors = _range_primes(k, 2**61 + 10**9 * k)
        claim = x**2 + sympy.Mul(*factors) * x**2
        bound, primes = _bound_if_fooled(monkeypatch, constructions.deep_power(2, "exp"), claim)
        assert len(primes) == 2
        assert bound >= (Fraction(k, 2**59)) ** 2


def test_error_bound_covers_lines_through_the_zeros(monkeypatch):
    """A false claim whose lowest differing part is ∏_{k=1..d}(x1 − k·x2) survives a
    repetition when the random direction has a1 ≡ k·a2 (mod p) for some k: probability d/(p−1)
    (a2 ≠ 0 uniform).  The bound must cover it."""
    x1, x2 = sympy.symbols("x1 x2")
    net = constructions.shallow_monomial((1, 1), "exp")
    for d in (2, 3, 4, 6):
        taylor = check_taylor(net, 0, degree=d, method="exact").taylor
        claim = taylor + sympy.expand(sympy.Mul(*[x1 - k * x2 for k in range(1, d + 1)]))
        bound, primes = _bound_if_fooled(monkeypatch, net, claim)
        truth = 1.0
        for p in primes:
            truth *= d / (p - 1)
        assert bound >= truth


def test_one_input_random_check_is_exact_when_coefficients_are_short():
    # with one input a random line only rescales; a wrong coefficient of < 61 bits stays
    # nonzero mod any p > 2^61, so the bound is 0
    result = check_taylor(constructions.deep_power(5, "exp"), "x1^5", method="random", seed=2)
    assert result.ok and result.error_probability == 0


@settings(max_examples=60, deadline=None, derandomize=True)
@given(net=small_networks(), degree=st.integers(1, 5))
def test_taylor_height_bounds_every_coefficient(net, degree):
    # the bound behind the randomized check's error probability, against exact coefficients
    if not _rational_seeds(net, degree):
        reject()
    exact_result = check_taylor(net, 0, degree=degree, method="exact")
    height = taylor_height(net, degree)
    for mono, c in exact_result._taylor_terms.items():
        k = int(sum(mono))
        if k == 0:
            continue
        c = Fraction(c)
        assert math.log2(abs(c)) <= height.magnitude_bits - (degree - k) * math.log2(1 / height.radius) + 1e-9
        assert (math.factorial(k) * height.scale**k) % c.denominator == 0


def test_prime_dividing_a_coefficient_is_avoided_by_repetition():
    # a claim off by a multiple of one large prime q: the difference vanishes mod q only,
    # which the bound accounts for; fresh primes per repetition catch it
    net = constructions.deep_power(2, "exp")
    q = sympy.nextprime(2**61)
    claim = sympy.Symbol("x1") ** 2 + q * sympy.Symbol("x1") ** 2
    assert not check_taylor(net, claim, method="random", seed=5).ok


def test_first_mismatch_names_monomial_and_both_coefficients():
    net = constructions.shallow_monomial((1, 1), "exp")
    result = check_taylor(net, "x1*x2 + 2*x1^2")
    assert not result
    assert result.first_mismatch.monomial == "x1**2"
    assert result.first_mismatch.network == 0 and result.first_mismatch.claimed == 2
    assert sympy.expand(result.residual + 2 * sympy.Symbol("x1") ** 2) == 0


def test_constant_term_is_compared_exactly():
    net = Network(1, "softplus")
    h = net.add_neuron({"x1": 1})
    net.set_output({h: 1})
    x = sympy.Symbol("x1")
    assert check_taylor(net, sympy.log(2) + x / 2 + x**2 / 8).ok
    assert not check_taylor(net, sympy.log(3) + x / 2 + x**2 / 8).ok


def test_constant_term_is_compared_in_the_randomized_check_too():
    net = Network(1, "exp")
    h = net.add_neuron({"x1": 1})
    net.set_output({h: 1})
    assert check_taylor(net, "1 + x1 + 1/2*x1^2", degree=2, method="random", seed=1).ok
    wrong = check_taylor(net, "2 + x1 + 1/2*x1^2", degree=2, method="random", seed=1)
    # a mismatch found is certain: no error probability
    assert not wrong.ok and wrong.first_mismatch.monomial == "1" and wrong.error_probability is None


def test_random_method_refuses_symbolic_coefficients():
    net = constructions.deep_power(4, activations.generic())
    with pytest.raises(SymdepthError, match="method='random' works over GF"):
        check_taylor(net, "x1^4", method="random")
    assert check_taylor(net, "x1^4").method == "exact"  # what auto picks for it


def test_generic_sigma_records_assumptions():
    net = constructions.deep_power(4, activations.generic())
    result = check_taylor(net, "x1^4")
    assert result.ok and "sigma_2 != 0" in result.assumptions
    assert result.field.startswith("Q(")


def test_expansion_point_other_than_origin():
    net = Network(1, "exp")
    h = net.add_neuron({"x1": 1})
    net.set_output({h: 1})
    x = sympy.Symbol("x1")
    taylor_at_1 = sympy.E * (1 + (x - 1) + (x - 1) ** 2 / 2)
    assert check_taylor(net, sympy.expand(taylor_at_1), degree=2, at=[1]).ok


def test_relu_is_not_analytic():
    net = Network(1, "relu")
    h = net.add_neuron({"x1": 1})
    net.set_output({h: 1})
    with pytest.raises(NotAnalyticError, match="piecewise linear"):
        check_taylor(net, "x1")


def test_unknown_variable_and_malicious_strings():
    net = constructions.deep_power(2, "exp")
    with pytest.raises(ParseError, match="'y'"):
        check_taylor(net, "y^2")
    for text in ["__import__('os').system('x')", "lambda: 1", "x1.__class__", "eval('1')"]:
        with pytest.raises(ParseError, match="column"):
            check_taylor(net, text)


def test_budget_error_states_count_and_suggests_random():
    net = constructions.lin_product(3, "exp")
    with pytest.raises(BudgetError, match=r"1,771 monomials.*method='random'"):
        check_taylor(net, "x1*x2*x3", degree=20, method="exact", max_monomials=1000)


def test_auto_picks_random_for_large_counts():
    net = constructions.product_tree(16, [2, 2, 2, 2], "exp")
    product = "*".join(f"x{i}" for i in range(1, 17))
    result = check_taylor(net, product, seed=3)
    assert result.ok and result.method == "random"


def test_transcendental_seeds_decided_numerically_when_false():
    net = Network(1, "tanh")
    h = net.add_neuron({"x1": 1}, bias=Fraction(1, 2))
    net.set_output({h: 1})
    x = sympy.Symbol("x1")
    t = sympy.tanh(sympy.Rational(1, 2))
    assert check_taylor(net, t + (1 - t**2) * x).ok
    assert not check_taylor(net, t + (1 - t**2) * x * Fraction(101, 100)).ok


def test_latex_and_repr_are_readable():
    result = check_taylor(constructions.deep_power(3, "exp"), "x1^3")
    assert repr(result).startswith("TaylorCheck(holds, degree=3")
    assert "x_{1}^{3}" in result.to_latex()


def test_rescale_keeps_layers_and_shrinks_error():
    from symdepth import rescale
    from symdepth.check import sup_error

    net = constructions.deep_power(2, "exp")
    small = rescale(net, Fraction(1, 8), 2)
    assert small.layer_sizes == net.layer_sizes
    assert check_taylor(small, "x1^2").ok
    assert sup_error(small, "x1^2") < sup_error(net, "x1^2") / 4


@pytest.mark.parametrize("claim", ["x1*x2*x3*x4", "x1*x2*x3*x4 + x2^3"])
def test_parallel_repetitions_give_the_sequential_result(claim):
    net = constructions.product_tree(4, [2, 2], "tanh")
    one = check_taylor(net, claim, method="random", seed=11, repetitions=3)
    many = check_taylor(net, claim, method="random", seed=11, repetitions=3, workers=2)
    assert dataclasses.replace(one, seconds=0) == dataclasses.replace(many, seconds=0)
    with pytest.raises(SymdepthError, match="workers"):
        check_taylor(net, claim, method="random", workers=0)


def test_progress_reports_every_neuron_of_every_repetition():
    net = constructions.deep_power(6, "exp")
    calls = []
    assert check_taylor(net, "x1^6", method="random", seed=3, progress=lambda *a: calls.append(a)).ok
    for i in (1, 2):
        stage = [c for c in calls if c[0] == f"repetition {i}/2"]
        assert [c[1] for c in stage] == list(range(1, net.num_neurons + 1))
        assert all(c[2] == net.num_neurons for c in stage)
    calls.clear()
    assert check_taylor(net, "x1^6", method="exact", progress=lambda *a: calls.append(a)).ok
    assert calls[-1] == ("exact", net.num_neurons, net.num_neurons)
    calls.clear()
    check_taylor(net, "x1^6", method="random", seed=3, workers=2, progress=lambda *a: calls.append(a))
    assert calls == [("repetitions", 1, 2), ("repetitions", 2, 2)]


def test_random_check_with_weights_beyond_floats():
    # the coefficient-size bound works in exact arithmetic where floats overflow
    net = Network(2, "exp")
    h = net.add_neuron({"x1": 10**400, "x2": Fraction(1, 10**350)})
    net.set_output({h: Fraction(1, 10**400)})
    claim = "1/10^400 + x1 + x2/10^750 + 10^400*x1^2/2 + x1*x2/10^350 + x2^2/(2*10^1100)"
    result = check_taylor(net, claim, method="random", seed=1)
    assert result.ok and 0 < result.error_probability < 1e-20
    assert not check_taylor(net, claim.replace("x1^2/2", "x1^2/3"), method="random", seed=1).ok


def test_a_claim_symbol_that_is_no_input_is_an_error():
    x1, y = sympy.symbols("x1 y")
    net = constructions.deep_power(2, "exp")
    with pytest.raises(ParseError, match=r"'y'.*\(x1\)"):
        check_taylor(net, x1**2 + y * x1)
    generic = Network(1, activations.generic())
    h = generic.add_neuron({"x1": 1})
    generic.set_output({h: 1}, bias=-sympy.Symbol("sigma_0"))
    # a coefficient symbol of the network's own activation is allowed in a claim
    assert check_taylor(generic, sympy.Symbol("sigma_1") * x1).ok


def test_a_failed_check_points_at_a_vanishing_coefficient():
    net = Network(1, "sigmoid")
    a, b = net.add_neuron({"x1": 1}), net.add_neuron({"x1": -1})
    net.set_output({a: 1, b: 1}, bias=-1)       # the square gate at 0, where sigmoid'' = 0
    result = check_taylor(net, "x1^2")
    assert not result.ok and "sigma_2 = 0 at 0" in result.hint and "h1, h2" in result.hint
    assert check_taylor(constructions.deep_power(2, "exp"), "x1^2 + x1").hint == ""  # exp: nothing vanishes
    with pytest.raises(NotAnalyticError, match="sigma_2 = 0 at 0; expand about another point"):
        constructions.deep_power(2, "sigmoid", at=0)


def test_auto_chooses_by_estimated_work():
    cheap = check_taylor(constructions.deep_power(4, "exp"), "x1^4")
    assert cheap.method == "exact" and cheap.method_reason.startswith("auto: exact estimated")
    costly = check_taylor(constructions.lin_product(2, "sigmoid"), "x1*x2", degree=200, seed=3)
    assert costly.method == "random" and "randomized at" in costly.method_reason
    assert check_taylor(constructions.deep_power(4, "exp"), "x1^4", method="exact").method_reason == ""


@pytest.mark.parametrize("difference,nonzero", [
    (sympy.log(4) - 2 * sympy.log(2), False),                                   # zero, written two ways
    (sympy.exp(sympy.Rational(1, 3)) - sympy.Rational(13956, 10000), True),
    (sympy.exp(-100) - sympy.exp(-101), True),                                   # nonzero, below 1e-40
])
def test_a_constant_difference_is_decided_rigorously(difference, nonzero):
    """Balls decide a nonzero difference when they exclude 0 (at 256 bits: below 1e-40 too);
    a zero written two ways overlaps 0 and goes to sympy, which reaches 0."""
    from symdepth.check.values import _ball_excludes_zero, _confirmed_nonzero

    assert _confirmed_nonzero(difference, (), ()) is nonzero
    assert _ball_excludes_zero(difference) is nonzero


def test_nonzero_constants_of_a_sigmoid_network_are_confirmed_quickly():
    """Every coefficient of a two-layer sigmoid network expanded about 1/3 is a nonzero
    constant against the claim 0: the balls confirm them (sympy's expansion took 12 s)."""
    net = Network(2, "sigmoid")
    h = net.add_neuron({"x1": 1, "x2": Fraction(-1, 2)}, bias=Fraction(1, 3))
    g = net.add_neuron({h: 2, "x2": 1}, bias=Fraction(-1, 4))
    net.set_output({g: 1, h: Fraction(3, 2)})
    result = check_taylor(net, 0, degree=3)
    assert not result.ok and result.mismatches == 10
