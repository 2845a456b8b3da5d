"""RT-T4.3 (Rolnick & Tegmark 2018, Thm 4.3): for p with c monomials q_j, (i) the derivative
rank of p is at least max_j m1(q_j)/c, so m1(p) is; (ii) m(p) ≤ Σ_j m(q_j).

Checked on 40 seeded random sparse polynomials (2–4 variables, 2–5 monomials, degree ≤ 6,
integer coefficients in [−3, 3]): the exact rank against the bound.  For (ii) the paper sums
one network per monomial and says the statement also holds for m^Taylor.  The sum
Taylor-approximates p when p is homogeneous (checked on random homogeneous p), but not in
general: each part's error terms (degree > deg q_j) can land at degree ≤ deg p.  Smallest
failure found: x1^2 + x1^4, where the square gate's (σ_4/σ_2)x⁴ term survives.  The
inequality may still hold through another construction (here a shallow 5-neuron net does it),
so this is a gap in the argument, recorded as an erratum of the Taylor version of (ii)."""

import math
import random
from fractions import Fraction

import pytest

from symdepth import bounds, check_taylor, constructions
from symdepth.prove import Claim, Erratum

CLAIM = Claim("RT-T4.3", "RT Thm 4.3", "sparse p: rank ≥ max_j m1(q_j)/c; m(p) ≤ Σ m(q_j)",
              "40 random sparse polynomials, 2–4 variables, ≤ 5 monomials, degree ≤ 6; 10 homogeneous ones")
ERRATA = (
    Erratum("RT-T4.3", "(ii) also holds for m^Taylor, by summing Taylor networks of the monomials",
            "the sum Taylor-approximates p when p is homogeneous; otherwise the parts' error terms can reach "
            "degree ≤ deg p and the argument needs another construction",
            "p = x1^2 + x1^4: sum of the square gate and the 4-neuron x^4 net has Taylor term "
            "(1 + σ_4/σ_2)x^4 (for exp: 13/12 x^4)",
            "check_taylor of sparse_sum over random sparse polynomials"),
)


def _random_sparse(seed):
    rng = random.Random(seed)
    n = rng.randint(2, 4)
    terms = {}
    while len(terms) < rng.randint(2, 5):
        mono = tuple(rng.randint(0, 3) for _ in range(n))
        if 0 < sum(mono) <= 6:
            terms[mono] = rng.choice([-3, -2, -1, 1, 2, 3])
    return terms


@pytest.mark.parametrize("seed", range(40))
def test_rank_bound(seed):
    p = _random_sparse(seed)
    b = bounds.sparse_bound(p)
    best = max(math.prod(e + 1 for e in m) for m in p)
    assert b.bound == Fraction(best, len(p))
    assert bounds.derivative_rank(p) >= b.bound


def _random_homogeneous(seed):
    rng = random.Random(seed)
    n, d = rng.randint(2, 3), rng.randint(2, 5)
    terms = {}
    while len(terms) < 3:
        cut = sorted(rng.randint(0, d) for _ in range(n - 1))
        mono = tuple(b - a for a, b in zip([0] + cut, cut + [d]))
        terms[mono] = rng.choice([-3, -2, -1, 1, 2, 3])
    return terms


def test_sum_is_not_a_taylor_network_for_inhomogeneous_p():
    net = constructions.sparse_sum("x1^2 + x1^4", "exp")
    result = check_taylor(net, "x1^2 + x1^4")
    assert not result.ok and result.first_mismatch.network == Fraction(13, 12)
    assert check_taylor(constructions.univariate_shallow("x1^2 + x1^4", "exp"), "x1^2 + x1^4").ok


@pytest.mark.parametrize("seed", range(10))
def test_sparse_sum_network(seed):
    p = _random_homogeneous(seed)
    net = constructions.sparse_sum(p, "exp")
    assert check_taylor(net, p).ok
    parts = sum(constructions.deep_monomial(m, "exp").num_neurons for m in p)
    assert net.num_neurons == parts
