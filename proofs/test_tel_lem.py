"""TEL-LEM (Telgarsky 2016, as summarised in the depth-separation notes): the
fraction of regions of I_f on which the classifiers of f and g disagree everywhere is at
least 1/2 − s_g/s_f.

Checked exactly for f = sawtooth(l), l = 3..8, against 60 seeded random continuous
piecewise-linear g on [0, 1] (2..12 pieces, rational values in [0, 1]), against
g = sawtooth(k) for k < l and against g = f.  The library's counts (regions, s_f, s_g) must
equal a count from the definitions (``proofs/independent.py``: atoms between all breakpoints
and threshold crossings of f and g, in Fractions), so a wrong count fails even where the
inequality would still hold; the sweep includes cases where the bound is met with equality."""

import random
from fractions import Fraction

import pytest

from symdepth import piecewise
from symdepth.prove import Claim

from .independent import crossings_by_definition, disagreeing_regions

CLAIM = Claim("TEL-LEM", "Telgarsky 2016 (NOTES)", "disagreeing regions / s_f ≥ 1/2 − s_g/s_f",
              "f = sawtooth(3..8) against 60 random piecewise-linear g, sawtooth(k < l) and f itself; "
              "counts against the definitions",
              model="continuous piecewise-linear functions on [0, 1]")


def _sawtooth_pieces(layers):
    """The l-fold tent map from its formula: rising on even, falling on odd 2^-l intervals."""
    n = 2**layers
    return [(Fraction(i, n), Fraction(i + 1, n), Fraction(-i) if i % 2 == 0 else Fraction(i + 1),
             Fraction(n) if i % 2 == 0 else Fraction(-n)) for i in range(n)]


def _random_pl(seed):
    rng = random.Random(seed)
    k = rng.randint(2, 12)
    xs = sorted({Fraction(rng.randint(1, 999), 1000) for _ in range(k - 1)})
    bps = [Fraction(0)] + xs + [Fraction(1)]
    ys = [Fraction(rng.randint(0, 20), 20) for _ in bps]
    pieces = []
    for a, b, ya, yb in zip(bps, bps[1:], ys, ys[1:]):
        slope = (yb - ya) / (b - a)
        pieces.append((a, b, ya - slope * a, slope))
    return piecewise.PiecewisePolynomial(bps, [[c, s] for _, _, c, s in pieces]), pieces


def _check(f, f_pieces, g, g_pieces):
    d = piecewise.disagreement(f, g)
    regions, s_f = disagreeing_regions(f_pieces, g_pieces, Fraction(1, 2))
    assert (d.regions, d.s_f, d.s_g) == (regions, s_f, crossings_by_definition(g_pieces, Fraction(1, 2)))
    assert d.regions >= d.bound and d.holds
    return d


@pytest.mark.parametrize("layers", range(3, 9))
def test_lemma_against_random_g(layers):
    f, f_pieces = piecewise.sawtooth_function(layers), _sawtooth_pieces(layers)
    for seed in range(10 * layers, 10 * layers + 10):
        g, g_pieces = _random_pl(seed)
        d = _check(f, f_pieces, g, g_pieces)
        assert d.s_f == 2**layers + 1


@pytest.mark.parametrize("layers", range(3, 9))
def test_lemma_against_shallower_sawtooth_and_itself(layers):
    f, f_pieces = piecewise.sawtooth_function(layers), _sawtooth_pieces(layers)
    for k in range(1, layers):
        _check(f, f_pieces, piecewise.sawtooth_function(k), _sawtooth_pieces(k))
    same = _check(f, f_pieces, f, f_pieces)
    assert same.regions == 0 and same.bound < 0


@pytest.mark.parametrize("layers", range(1, 9))
def test_bound_is_tight_up_to_rounding(layers):
    """g ≡ 0 (s_g = 1): f̃ = 1 on 2^(l−1) regions, all disagreeing; the bound is
    s_f/2 − 1 = 2^(l−1) − 1/2, so regions exceed it by 1/2 only (s_f is odd)."""
    g = piecewise.PiecewisePolynomial([0, 1], [[0]])
    d = _check(piecewise.sawtooth_function(layers), _sawtooth_pieces(layers), g,
               [(Fraction(0), Fraction(1), Fraction(0), Fraction(0))])
    assert d.regions == 2 ** (layers - 1) and d.regions - d.bound == Fraction(1, 2)
