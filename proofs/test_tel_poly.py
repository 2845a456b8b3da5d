"""TEL-POLY (depth-separation notes): a (t, α)-poly has Cr ≤ t(1 + α); combining k
(t, α)-polys by a polynomial of degree γ gives a (tk, αγ)-poly.

Checked exactly on 50 seeded random piecewise polynomials (2..6 pieces, degree 1..4,
rational breakpoints and coefficients), and on random combiners of k = 2, 3 of them with
γ = 1, 2 (sums and products)."""

import random
from fractions import Fraction

import pytest

from symdepth import piecewise
from symdepth.prove import Claim

CLAIM = Claim("TEL-POLY", "NOTES (Telgarsky)", "(t,α)-poly ⇒ Cr ≤ t(1+α); k-node layer with degree-γ combiner "
              "is (tk, αγ)-poly", "50 random piecewise polynomials; combiners k = 2, 3, γ = 1, 2")


def _random_pp(seed):
    rng = random.Random(seed)
    t = rng.randint(2, 6)
    bps = [Fraction(0)] + sorted({Fraction(rng.randint(1, 99), 100) for _ in range(t - 1)}) + [Fraction(1)]
    alpha = rng.randint(1, 4)
    pieces = [[Fraction(rng.randint(-8, 8), rng.randint(1, 4)) for _ in range(alpha + 1)] for _ in bps[1:]]
    return piecewise.PiecewisePolynomial(bps, pieces)


@pytest.mark.parametrize("seed", range(50))
def test_crossing_bound(seed):
    f = _random_pp(seed)
    t, alpha = piecewise.tapoly(f)
    assert piecewise.crossings(f) <= t * (1 + alpha)


@pytest.mark.parametrize("seed", range(0, 50, 5))
def test_layer_combination(seed):
    gs = [_random_pp(seed + i) for i in range(3)]
    for k in (2, 3):
        t = max(piecewise.tapoly(g)[0] for g in gs[:k])
        alpha = max(piecewise.tapoly(g)[1] for g in gs[:k])
        linear = gs[0] * 2 - gs[1] + (gs[2] if k == 3 else 0 * gs[1])
        quadratic = gs[0] * gs[1] + (gs[2] * gs[2] if k == 3 else gs[1])
        for h, gamma in ((linear, 1), (quadratic, 2)):
            t_h, a_h = piecewise.tapoly(h)
            assert t_h <= t * k and a_h <= alpha * gamma
