"""RT-T4.1 (Rolnick & Tegmark 2018, Thm 4.1): for x^r = x_1^r_1⋯x_n^r_n, (i) one hidden layer
needs exactly ∏(r_i+1) neurons; (ii) a deep network needs at most Σ(7⌈log2 r_i⌉ + 4).

Checked: the shallow construction (∏(r_i+1) neurons) and the deep construction pass
check_taylor; the derivative rank — the lower-bound quantity of the proof — equals ∏(r_i+1)
(computed from the derivative matrix, not from the formula); the deep count is within the
bound.  Sweep: every exponent vector of total degree 1..6 in 1..3 variables (exp); degree ≤ 4
also for tanh and a generic σ."""

import itertools
import math

import pytest

from symdepth import activations, bounds, check_taylor, constructions
from symdepth.prove import Claim

CLAIM = Claim("RT-T4.1", "RT Thm 4.1", "m1(x^r) = ∏(r_i+1); m(x^r) ≤ Σ(7⌈log2 r_i⌉+4)",
              "all r with |r| = 1..6 in 1..3 variables (exp); |r| ≤ 4 for tanh and generic σ")

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
