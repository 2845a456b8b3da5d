"""RT-T4.1 (Rolnick & Tegmark 2018, Thm 4.1): for x^r = x_1^r_1⋯x_n^r_n, (i) one hidden layer
needs exactly ∏(r_i+1) neurons; (ii) a deep network needs at most Σ(7⌈log2 r_i⌉ + 4).

Checked: the shallow construction (∏(r_i+1) neurons) and the deep construction pass
check_taylor; the derivative rank — the lower-bound quantity of the proof — equals ∏(r_i+1)
(computed from the derivative matrix, not from the formula); the deep count is within the
bound.  Sweep: every exponent vector of total degree 1..6 in 1..3 variables (exp); degree ≤ 4
also for tanh and a generic σ.

The lemma behind (i), mechanised: the degree-d part of the Taylor series of a one-hidden-layer
network with m neurons is Σ_j w_j σ^(d)(b_j)/d! (a_j·x)^d, a sum of m d-th powers of linear
forms (eq. (7) of the proof), so its order-s derivatives span at most m dimensions for every
s.  Checked on 30 random shallow nets (exp, tanh shifted, generic σ): the rank is at most m and
equals min(m, #order-s derivatives, dim of degree-(d−s) forms), as for generic weights.  (The
all-orders rank of the whole Taylor polynomial is not ≤ m: one exp neuron has 1 + x + x²/2.)

Model: the builders use skip connections and biases; RT count neurons of strictly layered
nets (§3) in which a waiting value costs an identity gate per layer (§4.2) and a square gate
costs 3 neurons.  The deep construction is therefore also built strictly layered
(``deep_monomial(..., layered=True)``, products of the shallowest factors first) and counted
as RT do: within the bound for every r with |r| ≤ 10 in ≤ 5 variables (|r| ≤ 16 with -m slow),
e.g. r = (1, 1, 1, 7)."""

import itertools
import math
import random

import pytest
import sympy

from symdepth import Network, activations, bounds, check_taylor, constructions
from symdepth.prove import Claim

from .independent import derivative_rank_by_definition

CLAIM = Claim("RT-T4.1", "RT Thm 4.1", "m1(x^r) = ∏(r_i+1); m(x^r) ≤ Σ(7⌈log2 r_i⌉+4)",
              "all r with |r| = 1..6 in 1..3 variables (exp); |r| ≤ 4 for tanh and generic σ; layered counts "
              "|r| ≤ 10 in ≤ 5 variables (16 slow); 30 random shallow nets for the rank lemma",
              model="builders with skip connections and biases; the deep count also strictly layered with "
                    "3-neuron square gates and identity gates, as RT count")

VECTORS = [r for n in (1, 2, 3) for r in itertools.product(range(7), repeat=n) if 1 <= sum(r) <= 6 and all(r)]


def _mono(r):
    return {tuple(r): 1}


@pytest.mark.parametrize("r", VECTORS)
def test_shallow_and_deep_constructions(r):
    shallow = constructions.shallow_monomial(r, "exp")
    assert shallow.num_neurons == math.prod(e + 1 for e in r) and shallow.depth == 1
    assert check_taylor(shallow, _mono(r)).ok
    deep = constructions.deep_monomial(r, "exp")
    assert check_taylor(deep, _mono(r)).ok
    assert deep.num_neurons <= sum(7 * math.ceil(math.log2(e)) + 4 for e in r)


@pytest.mark.parametrize("r", VECTORS)
def test_derivative_rank_is_product(r):
    assert bounds.derivative_rank(_mono(r)) == math.prod(e + 1 for e in r)


@pytest.mark.parametrize("r", [v for v in VECTORS if sum(v) <= 4])
def test_other_activations(r):
    for act in ("tanh", activations.generic()):
        assert check_taylor(constructions.shallow_monomial(r, act), _mono(r)).ok
        assert check_taylor(constructions.deep_monomial(r, act), _mono(r)).ok


def _paper_count(net, r):
    """RT's count: a square gate has 3 neurons (the constant neuron σ(0)), one more than ours."""
    return net.num_neurons + sum(max(e.bit_length() - 1, 0) for e in r)


def _layered_vectors(top):
    return [r for n in range(1, 6) for r in itertools.product(range(1, top), repeat=n) if sum(r) <= top]


@pytest.mark.parametrize("top", [10, pytest.param(16, marks=pytest.mark.slow)])
def test_strictly_layered_deep_count(top):
    for r in _layered_vectors(top):
        net = constructions.deep_monomial(r, "exp", layered=True)
        layer = net.layers()
        assert all(layer[v] == layer[u] + 1 for u, v in net.graph.edges)
        assert _paper_count(net, r) <= sum(7 * math.ceil(math.log2(e)) + 4 for e in r), r


@pytest.mark.parametrize("r", [(1, 1, 1, 7), (1, 1, 1, 1, 5), (2, 5), (3, 1, 2)])
def test_strictly_layered_networks_are_taylor_networks(r):
    for act in ("exp", "tanh", activations.generic()):
        assert check_taylor(constructions.deep_monomial(r, act, layered=True), _mono(r)).ok


def _random_shallow(seed, act):
    rng = random.Random(seed)
    n, m, d = 3, rng.randint(1, 7), rng.randint(3, 6)
    net = Network(n, act)
    shift = 0 if act != "tanh" else sympy.atanh(sympy.Rational(1, 2))   # tanh'' ≠ 0 there, coefficients rational
    hidden = [net.add_neuron({x: rng.randint(-50, 50) or 1 for x in net.inputs}, shift) for _ in range(m)]
    net.set_output({h: rng.randint(-9, 9) or 1 for h in hidden})
    return net, n, m, d


def _top_component(net, d):
    """The degree-d homogeneous part of the Taylor polynomial (a generic σ's σ_d set to 1:
    a nonzero overall factor, which leaves every rank unchanged)."""
    xs = [sympy.Symbol(v) for v in net.inputs]
    terms = sympy.Poly(check_taylor(net, 0, degree=d).taylor, *xs).terms()
    return {m: sympy.Rational(c.subs({s: 1 for s in c.free_symbols})) for m, c in terms if sum(m) == d}


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("act", ["exp", "tanh", "generic"])
def test_top_component_rank_is_at_most_the_width(seed, act):
    net, n, m, d = _random_shallow(seed, activations.generic() if act == "generic" else act)
    top = _top_component(net, d)
    for s in range(d + 1):
        rank = bounds.derivative_rank(top, order=s)
        assert rank <= m
        assert rank == min(m, math.comb(n + s - 1, n - 1), math.comb(n + d - s - 1, n - 1))


@pytest.mark.parametrize("r", VECTORS)
def test_printed_bound_record(r):
    """What `symdepth bounds` prints for x^r: the record's fields against the rank computed by
    the definition and the neuron counts of the networks actually built."""
    b = bounds.monomial_bounds(r)
    assert b.shallow == math.prod(e + 1 for e in r) == derivative_rank_by_definition(_mono(r))
    assert b.shallow_construction == constructions.shallow_monomial(r, "exp").num_neurons
    assert b.deep_construction == constructions.deep_monomial(r, "exp").num_neurons
    assert b.deep_construction_model == constructions.deep_monomial(r, "exp").models[0]
    assert b.shallow_output_bias == b.shallow - 1 == bounds.shallow_lower_bound(_mono(r), "generic", "output-bias").value
    assert b.deep_upper == sum(7 * math.ceil(math.log2(e)) + 4 for e in r)
