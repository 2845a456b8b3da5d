"""TEL-POLY (Telgarsky 2016, as summarised in the depth-separation notes): a (t, α)-poly has
Cr ≤ t(1 + α); combining k (t, α)-polys by a polynomial of degree γ gives a (tk, αγ)-poly.

Checked exactly, with the measured quantities compared to counts from the definitions
(``proofs/independent.py``: sympy's exact real roots, pieces merged by equality):
* tight cases, t = 1..5 and α = 1..5: t pieces of degree α, each with α simple crossings
  and a sign change at every breakpoint, so Cr = t(1 + α) exactly;
* 50 seeded random piecewise polynomials (2..6 pieces, degree 1..4, rational breakpoints
  and coefficients): Cr and (t, α) equal the independent counts and Cr ≤ t(1 + α);
* combiners of k = 2, 3 of them with γ = 1, 2 (sums and products): (t, α) of the result
  equals the independent count and is at most (tk, αγ)."""

import random
from fractions import Fraction

import pytest
import sympy

from symdepth import piecewise
from symdepth.prove import Claim

from . import controls
from .independent import X, crossings_of_polynomials, tapoly_by_definition

CLAIM = Claim("TEL-POLY", "Telgarsky 2016 (NOTES)", "(t,α)-poly ⇒ Cr ≤ t(1+α); k-node layer with "
              "degree-γ combiner is (tk, αγ)-poly", "tight cases t, α ≤ 5; 50 random piecewise polynomials; "
              "combiners k = 2, 3, γ = 1, 2; counts against the definitions",
              model="piecewise polynomials on an interval, rational breakpoints")
HALF = Fraction(1, 2)


def _tight(t, alpha):
    """Piece i on [i, i+1]: τ + s_i·∏_j (x − i − j/(α+1)), signs s_i chosen so that the
    classifier also changes at every breakpoint: α + 1 runs per piece, t(1 + α) in all."""
    pieces, sign = [], 1
    for i in range(t):
        roots = [i + sympy.Rational(j, alpha + 1) for j in range(1, alpha + 1)]
        pieces.append(sympy.expand(sympy.Rational(1, 2) + sign * sympy.Mul(*[X - r for r in roots])))
        sign = -sign * (-1) ** alpha
    return list(range(t + 1)), pieces


@pytest.mark.parametrize("t", range(1, 6))
@pytest.mark.parametrize("alpha", range(1, 6))
def test_bound_is_attained(t, alpha):
    bps, pieces = _tight(t, alpha)
    f = piecewise.PiecewisePolynomial(bps, pieces)
    assert piecewise.tapoly(f) == (t, alpha) == tapoly_by_definition(bps, pieces)
    assert piecewise.crossings(f, HALF) == t * (1 + alpha) == crossings_of_polynomials(bps, pieces, HALF)


def _random_pp(seed):
    rng = random.Random(seed)
    t = rng.randint(2, 6)
    bps = [Fraction(0)] + sorted({Fraction(rng.randint(1, 99), 100) for _ in range(t - 1)}) + [Fraction(1)]
    alpha = rng.randint(1, 4)
    pieces = [sum(Fraction(rng.randint(-8, 8), rng.randint(1, 4)) * X**k for k in range(alpha + 1)) for _ in bps[1:]]
    return bps, [sympy.nsimplify(p) for p in pieces]


@pytest.mark.parametrize("seed", range(50))
def test_crossing_bound(seed):
    bps, pieces = _random_pp(seed)
    f = piecewise.PiecewisePolynomial(bps, pieces)
    t, alpha = piecewise.tapoly(f)
    assert (t, alpha) == tapoly_by_definition(bps, pieces)
    for tau in (HALF, 0, 1):
        cr = piecewise.crossings(f, tau)
        assert cr == crossings_of_polynomials(bps, pieces, tau)
        assert cr <= t * (1 + alpha)


def _on_common_breakpoints(functions):
    """Each function's pieces restricted to the union of all breakpoints (the definition of
    the combined partition)."""
    union = sorted({b for bps, _ in functions for b in bps})
    restricted = []
    for bps, pieces in functions:
        restricted.append([pieces[max(i for i, b in enumerate(bps[:-1]) if b <= a)] for a in union[:-1]])
    return union, restricted


@pytest.mark.parametrize("seed", range(0, 50, 5))
def test_layer_combination(seed):
    gs = [_random_pp(seed + i) for i in range(3)]
    fs = [piecewise.PiecewisePolynomial(*g) for g in gs]
    for k in (2, 3):
        t = max(piecewise.tapoly(f)[0] for f in fs[:k])
        alpha = max(piecewise.tapoly(f)[1] for f in fs[:k])
        union, parts = _on_common_breakpoints(gs[:k])
        third = parts[2] if k == 3 else [0] * len(union)
        linear = fs[0] * 2 - fs[1] + (fs[2] if k == 3 else 0 * fs[1])
        quadratic = fs[0] * fs[1] + (fs[2] * fs[2] if k == 3 else fs[1])
        combos = [  # (library result, the same combiner applied piece by piece, γ)
            (linear, [2 * a - b + c for a, b, c in zip(parts[0], parts[1], third)], 1),
            (quadratic, [a * b + (c * c if k == 3 else b) for a, b, c in zip(parts[0], parts[1], third)], 2),
        ]
        for h, pieces, gamma in combos:
            t_h, a_h = piecewise.tapoly(h)
            assert (t_h, a_h) == tapoly_by_definition(union, pieces)
            assert t_h <= t * k and a_h <= alpha * gamma


def _continuous_curved(seed):
    """A continuous piecewise polynomial on [0, 1] with curved pieces: each piece starts where
    the previous one ended."""
    rng = random.Random(seed)
    bps = [Fraction(0)] + sorted({Fraction(rng.randint(1, 19), 20) for _ in range(rng.randint(1, 3))}) + [Fraction(1)]
    pieces, start = [], Fraction(rng.randint(-2, 2), 3)
    for a, b in zip(bps, bps[1:]):
        p = start + Fraction(rng.randint(-3, 3), 2) * (X - a) + Fraction(rng.randint(-4, 4), 3) * (X - a) ** 2
        pieces.append(sympy.expand(p))
        start = Fraction(str(p.subs(X, b)))
    return piecewise.PiecewisePolynomial(bps, pieces)


@pytest.mark.parametrize("seed", range(8))
def test_negative_control_composition(seed):
    """Compositions (the (t, α) of f∘g multiplies) checked pointwise at the preimages of f's
    breakpoints under g's linear pieces: a composition that drops one would differ there."""
    f = _continuous_curved(seed)
    for g in (piecewise.sawtooth_function(1 + seed % 3), piecewise.triangle(2 + seed % 2)):
        controls.composition_matches_pointwise(f, g)
