"""TEL-SEP (depth-separation notes, Telgarsky 2016): Θ(k³)-layer networks of constant width
cannot be approximated by O(k)-layer networks with o(2^k) nodes.

Checked as a table of exact numbers: sawtooth(k³) has 2k³ ReLUs and Cr = 2^(k³) + 1 (exact for
k³ ≤ 16 via TEL-CR's computation, by the composition formula beyond); an l = k layer ReLU net
with m nodes has Cr ≤ 2(1 + m/l)^l (TEL-NET), so matching the crossings needs
m ≥ k·((2^(k³)+1)/2)^(1/k) − k nodes — exponential in k², hence not o(2^k) — for k = 1..5."""

import math

from symdepth import piecewise
from symdepth.prove import Claim

CLAIM = Claim("TEL-SEP", "NOTES (Telgarsky)", "Θ(k³)-layer constant-width nets vs O(k)-layer o(2^k)-node nets",
              "k = 1..5 table; exact Cr for k³ ≤ 16")


def _min_nodes(k, target):
    m = 1
    while 2 * (1 + m / k) ** k < target:
        m *= 2
    lo, hi = m // 2, m
    while lo + 1 < hi:
        mid = (lo + hi) // 2
        if 2 * (1 + mid / k) ** k < target:
            lo = mid
        else:
            hi = mid
    return hi


def test_separation_table():
    for k in range(1, 6):
        layers = k**3
        target = 2**layers + 1
        if layers <= 16:
            assert piecewise.crossings(piecewise.sawtooth_function(layers)) == target
            assert piecewise.sawtooth(layers).num_neurons == 2 * layers
        m = _min_nodes(k, target)
        assert 2 * (1 + m / k) ** k >= target > 2 * (1 + (m - 1) / k) ** k
        if k >= 2:
            assert m > 2**k  # far more than o(2^k) nodes are needed with k layers
            assert math.log2(m) > k * k / 2
