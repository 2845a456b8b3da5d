"""RT-P4.5 (Rolnick & Tegmark 2018, Prop 4.5): any univariate polynomial of degree d has a
shallow Taylor network with d + 1 neurons σ(a_i x) (Vandermonde argument).

Sweep: 30 seeded random polynomials with rational coefficients, degree 1..10, for exp,
softplus, arctan (shifted) and a generic σ; default nodes and random distinct nodes."""

import random
from fractions import Fraction

import pytest

from symdepth import activations, check_taylor, constructions
from symdepth.prove import Claim

CLAIM = Claim("RT-P4.5", "RT Prop 4.5", "univariate degree-d p with d+1 neurons (Vandermonde)",
              "30 random rational p, degree 1..10; exp, softplus, arctan; generic σ for d ≤ 5",
              model="one hidden layer, bias-free (arctan shifted)")


def _random_poly(seed):
    rng = random.Random(seed)
    d = 1 + seed % 10
    coeffs = {(k,): Fraction(rng.randint(-9, 9), rng.randint(1, 5)) for k in range(d + 1)}
    coeffs[(d,)] = coeffs[(d,)] or 1
    return {m: c for m, c in coeffs.items() if c}, d


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("act", ["exp", "softplus", "arctan"])
def test_random_polynomials(seed, act):
    p, d = _random_poly(seed)
    net = constructions.univariate_shallow(p, act)
    assert net.num_neurons == d + 1 and net.depth == 1
    assert check_taylor(net, p, degree=d).ok


@pytest.mark.parametrize("seed", range(0, 30, 3))
def test_random_nodes_and_generic_sigma(seed):
    p, d = _random_poly(seed)
    rng = random.Random(seed)
    nodes = rng.sample([Fraction(k, 3) for k in range(-20, 21) if k], d + 1)
    assert check_taylor(constructions.univariate_shallow(p, "exp", nodes=nodes), p, degree=d).ok
    if d <= 5:
        result = check_taylor(constructions.univariate_shallow(p, activations.generic()), p, degree=d)
        assert result.ok
