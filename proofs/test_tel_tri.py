"""TEL-TRI (depth-separation notes): if f is an (s, [0, 1])-triangle and g a (t, [0, 1])-triangle
then f∘g is a (2st, [0, 1])-triangle; "if there are l layers and each layer computes a
(t, [0, 1])-triangle, the final layer will output a ((2t)^l, [0, 1])-triangle", so Cr = (2t)^l + 1.

The composition claim holds (checked for s, t ≤ 4).  The l-layer count does not: by the
claim itself the count is T_1 = t, T_{l+1} = 2t·T_l, so T_l = 2^{l−1}t^l = (2t)^l / 2.  The
crossing number (2t)^l + 1 = 2T_l + 1 is right.  Checked exactly for t ≤ 3, l ≤ 4."""

import pytest

from symdepth import piecewise
from symdepth.prove import Claim, Erratum

CLAIM = Claim("TEL-TRI", "NOTES (Telgarsky)", "(s)-triangle ∘ (t)-triangle is a (2st)-triangle; l layers ⇒ "
              "((2t)^l)-triangle with Cr = (2t)^l + 1", "s, t ≤ 4; t ≤ 3, l ≤ 4")
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
