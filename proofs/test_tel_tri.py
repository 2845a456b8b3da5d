"""TEL-TRI (depth-separation notes): if f is an (s, [0, 1])-triangle and g a (t, [0, 1])-triangle
then f∘g is a (2st, [0, 1])-triangle; "if there are l layers and each layer computes a
(t, [0, 1])-triangle, the final layer will output a ((2t)^l, [0, 1])-triangle", so Cr = (2t)^l + 1.

The composition claim holds (checked for s, t ≤ 4).  The l-layer count does not: by the
claim itself the count is T_1 = t, T_{l+1} = 2t·T_l, so T_l = 2^{l−1}t^l = (2t)^l / 2.  The
crossing number (2t)^l + 1 = 2T_l + 1 is right.  Checked exactly for t ≤ 3, l ≤ 4."""

import random
from fractions import Fraction

import pytest

from symdepth import piecewise
from symdepth.prove import Claim, Erratum

from . import controls

CLAIM = Claim("TEL-TRI", "Telgarsky 2016 (NOTES)", "(s)-triangle ∘ (t)-triangle is a (2st)-triangle; l layers ⇒ "
              "((2t)^l)-triangle with Cr = (2t)^l + 1", "s, t ≤ 4 (regular and 20 random triangles); t ≤ 3, l ≤ 4",
              model="continuous piecewise-linear maps of [0, 1]")
ERRATA = (
    Erratum("TEL-TRI", "l layers of (t,[0,1])-triangles give a ((2t)^l,[0,1])-triangle",
            "a (2^(l−1)·t^l, [0,1])-triangle; its crossing number (2t)^l + 1 is as printed",
            "t = 1, l = 2: tent∘tent has 2 triangles, not (2·1)^2 = 4",
            "count_triangles of exact compositions"),
)


@pytest.mark.parametrize("s", range(1, 5))
@pytest.mark.parametrize("t", range(1, 5))
def test_composition(s, t):
    f, g = piecewise.triangle(s), piecewise.triangle(t)
    assert piecewise.count_triangles(f) == s and piecewise.count_triangles(g) == t
    assert piecewise.count_triangles(piecewise.compose(f, g)) == 2 * s * t


def _random_triangle(t, seed):
    """A (t, [0, 1])-triangle with random turning points and random monotone pieces: each rise
    and fall is piecewise linear through a random interior point."""
    rng = random.Random(seed)
    turns = [Fraction(0)] + sorted({Fraction(rng.randint(1, 999), 1000) for _ in range(4 * t)})[: 2 * t - 1] + [
        Fraction(1)]
    if len(turns) != 2 * t + 1:
        return piecewise.triangle(t)
    bps, pieces = [Fraction(0)], []
    for i, (a, b) in enumerate(zip(turns, turns[1:])):
        mid = a + (b - a) * Fraction(rng.randint(1, 9), 10)
        y0, y1 = (Fraction(0), Fraction(1)) if i % 2 == 0 else (Fraction(1), Fraction(0))
        ym = Fraction(rng.randint(1, 9), 10)
        for (xa, ya), (xb, yb) in (((a, y0), (mid, ym)), ((mid, ym), (b, y1))):
            slope = (yb - ya) / (xb - xa)
            pieces.append([ya - slope * xa, slope])
            bps.append(xb)
    return piecewise.PiecewisePolynomial(bps, pieces)


@pytest.mark.parametrize("seed", range(20))
def test_composition_of_random_triangles(seed):
    s, t = 1 + seed % 3, 1 + (seed // 3) % 3
    f, g = _random_triangle(s, seed), _random_triangle(t, seed + 100)
    assert piecewise.count_triangles(f) == s and piecewise.count_triangles(g) == t
    h = piecewise.compose(f, g)
    assert piecewise.count_triangles(h) == 2 * s * t
    assert piecewise.crossings(h) == 4 * s * t + 1


@pytest.mark.parametrize("t", range(1, 4))
def test_layers(t):
    f = piecewise.triangle(t)
    h = f
    for layers in range(1, 5):
        triangles = piecewise.count_triangles(h)
        assert triangles == 2 ** (layers - 1) * t**layers
        assert piecewise.crossings(h) == (2 * t) ** layers + 1
        if layers > 1:
            assert triangles != (2 * t) ** layers
        h = piecewise.compose(f, h)


@pytest.mark.parametrize("seed", range(6))
def test_negative_control_composition(seed):
    """Each composition checked pointwise at the preimages of the outer breakpoints."""
    controls.composition_matches_pointwise(_random_triangle(2 + seed % 3, seed), _random_triangle(1 + seed % 2, seed + 7))
