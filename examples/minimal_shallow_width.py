"""Find the minimal one-hidden-layer width for a polynomial: the derivative rank is a lower
bound (Rolnick & Tegmark, Thms 4.1-4.3), a Lin-style construction an upper bound.

Run: python examples/minimal_shallow_width.py
"""

from symdepth import bounds, check_taylor, constructions

for poly, exponents in [("x1^2*x2^3", (2, 3)), ("x1*x2*x3*x4", (1, 1, 1, 1)), ("x1^4*x2", (4, 1))]:
    lower = bounds.derivative_rank(poly)
    net = constructions.shallow_monomial(exponents, "exp")
    assert check_taylor(net, poly).ok
    print(f"{poly:>14}: derivative rank {lower:3d} <= m1 <= {net.num_neurons:3d} (shallow construction) "
          f"-> exactly {net.num_neurons}" if lower == net.num_neurons else f"{poly}: gap {lower}..{net.num_neurons}")
