"""TEL-LEM (Telgarsky's lemma, depth-separation notes): the fraction of regions of I_f on which
the classifiers of f and g disagree everywhere is at least 1/2 − s_g/s_f.

Checked exactly for f = sawtooth(l), l = 3..8, against 60 seeded random continuous
piecewise-linear g on [0, 1] with 2..12 pieces and rational values in [0, 1]."""

import random
from fractions import Fraction

import pytest

from symdepth import piecewise
from symdepth.prove import Claim

CLAIM = Claim("TEL-LEM", "NOTES (Telgarsky lemma)", "disagreeing regions / s_f ≥ 1/2 − s_g/s_f",
              "f = sawtooth(3..8) against 60 random piecewise-linear g")


def _random_pl(seed):
    rng = random.Random(seed)
    k = rng.randint(2, 12)
    xs = sorted({Fraction(rng.randint(1, 999), 1000) for _ in range(k - 1)})
    bps = [Fraction(0)] + xs + [Fraction(1)]
    ys = [Fraction(rng.randint(0, 20), 20) for _ in bps]
    pieces = []
    for a, b, ya, yb in zip(bps, bps[1:], ys, ys[1:]):
        slope = (yb - ya) / (b - a)
        pieces.append([ya - slope * a, slope])
    return piecewise.PiecewisePolynomial(bps, pieces)


@pytest.mark.parametrize("layers", range(3, 9))
def test_lemma(layers):
    f = piecewise.sawtooth_function(layers)
    for seed in range(10 * layers, 10 * layers + 10):
        d = piecewise.disagreement(f, _random_pl(seed))
        assert d.s_f == 2**layers + 1
        assert d.regions >= d.bound, d
