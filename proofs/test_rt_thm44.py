"""RT-T4.4 (Rolnick & Tegmark 2018, Thm 4.4): if only σ_d ≠ 0 is assumed, m1(x^r) is at least
C_max = the largest coefficient of g(y) = ∏(1 + y + … + y^r_i), and C_max ≥ ∏(r_i+1)/d.

The second inequality is false as printed: the ∏(r_i+1) sub-multisets have d + 1 possible
sizes 0..d, so pigeonhole gives ∏(r_i+1)/(d+1).  For x (r = (1)): C_max = 1 < 2/1; indeed one
neuron σ(x)/σ_1 Taylor-approximates x.  Checked: the corrected chain C_max ≥ ∏(r_i+1)/(d+1)
and which vectors violate the printed one, over all r with |r| ≤ 10 in ≤ 3 variables; that C_s is
the exact-order derivative rank (derivatives of order s span a space of dimension C_s,
computed from the matrix, not from the formula), so the maximum over s is the bound; and that
it never exceeds the shallow count ∏(r_i+1)."""

import itertools
import math

import pytest
import sympy

from symdepth import bounds
from symdepth.prove import Claim, Erratum

CLAIM = Claim("RT-T4.4", "RT Thm 4.4", "only σ_d ≠ 0: bound = max coeff of ∏(1+…+y^r_i) ≥ ∏(r_i+1)/d",
              "all r with |r| ≤ 10 in ≤ 3 variables; exact-order ranks for |r| ≤ 7",
              model="one hidden layer (the bound is a derivative rank; no network is built)")
ERRATA = (
    Erratum("RT-T4.4", "max coefficient of ∏(1+y+…+y^r_i) ≥ (1/d)∏(r_i+1)",
            "≥ ∏(r_i+1)/(d+1) (sizes of sub-multisets range over d+1 values 0..d)",
            "r = (1): max coefficient 1 < 2 = ∏(r_i+1)/d; one neuron Taylor-approximates x",
            "exact comparison over all r with |r| ≤ 10 in ≤ 3 variables"),
)

VECTORS = [r for n in (1, 2, 3) for r in itertools.product(range(11), repeat=n) if 1 <= sum(r) <= 10 and all(r)]


@pytest.mark.parametrize("r", VECTORS)
def test_inequality_chain(r):
    b = bounds.monomial_bounds(r)
    y = sympy.Symbol("y")
    g = sympy.Poly(sympy.prod([sum(y**k for k in range(e + 1)) for e in r]), y)
    assert b.thm44 == max(g.all_coeffs())
    assert b.shallow >= b.thm44 >= b.thm44_simple == sympy.Rational(math.prod(e + 1 for e in r), sum(r) + 1)


def test_printed_bound_fails_exactly_where_computed():
    violations = [r for r in VECTORS if bounds.monomial_bounds(r).thm44 < bounds.monomial_bounds(r).thm44_printed]
    assert violations[0] == (1,)
    assert all(len(r) == 1 for r in violations[:10])  # x^d: one coefficient 1, bound (d+1)/d
    assert (1, 1) not in violations


@pytest.mark.parametrize("r", [v for v in VECTORS if sum(v) <= 7])
def test_exact_order_rank_is_coefficient(r):
    y = sympy.Symbol("y")
    g = sympy.Poly(sympy.prod([sum(y**k for k in range(e + 1)) for e in r]), y)
    for s in range(sum(r) + 1):
        assert bounds.derivative_rank({r: 1}, order=s) == g.coeff_monomial(y**s)
