"""RT-FIG1 (Rolnick & Tegmark 2018, Fig. 1): the optimal widths b_i converge to n^(1/k).

Recomputed from the exact Lagrange optimum (recursion (5), checked in RT-EQ5): for k = 2, 3
the ratio b_i / n^(1/k) → 1 as n grows.  Sweep n = 2^8..2^64; the ratios' distance to 1 decreases
monotonically and is below 10% at n = 2^64.  A plot: ``symdepth plot widths -o fig1.png``."""

import mpmath
import pytest

from symdepth import bounds
from symdepth.prove import Claim

CLAIM = Claim("RT-FIG1", "RT Fig 1", "optimal b_i → n^{1/k}", "k = 2, 3; n = 2^8..2^64", kind="numeric",
              model="eq. (2) as a function of real widths")


@pytest.mark.parametrize("k", [2, 3])
def test_widths_approach_kth_root(k):
    distances = []
    for e in range(8, 65, 8):
        n = 2**e
        widths = bounds.recursion_widths(n, k)
        distances.append(max(abs(b / mpmath.root(n, k) - 1) for b in widths))
    assert all(b < a for a, b in zip(distances, distances[1:]))
    assert distances[-1] < 0.1
