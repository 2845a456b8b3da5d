"""ACH-OP (depth-separation notes, Arora–Cohen–Hazan): for w = w2·w1 (w1 a vector, w2 a scalar),
one gradient step on each factor gives w − ρ∇w − γw + O(η²) with ρ = η w2², γ = η w2⁻¹∇w2.

Checked symbolically in η for dimension 1..4: w1^(t+1)·w2^(t+1) − (w − ρ∇w − γw) has no
terms of order η⁰ or η¹.  The first line of the printed derivation reads
w^(t+1) = w1^(t+1) w2^(t) — with the old w2 the γw term is missing (the difference is η(w1ᵀ∇w)w1
at first order); the next line uses w2^(t+1), which is what holds."""

import pytest
import sympy

from symdepth.dynamics import scalar_overparametrization
from symdepth.prove import Claim, Erratum

CLAIM = Claim("ACH-OP", "Arora, Cohen & Hazan 2018 (NOTES)", "w = w2·w1 gradient step ⇒ w − ρ∇w − γw + O(η²)",
              "symbolic, dimension 1..4",
              model="a depth-2 linear factorisation w = w2·w1")
ERRATA = (
    Erratum("ACH-OP", "w^(t+1) = w1^(t+1) w2^(t)", "w^(t+1) = w1^(t+1) w2^(t+1)",
            "dimension 1: w1^(t+1) w2^(t) − (w − ρ∇w − γw) = η·g·w1² ≠ 0 at order η",
            "sympy expansion in η"),
)
eta = sympy.Symbol("eta")


@pytest.mark.parametrize("dimension", [1, 2, 3, 4])
def test_update_to_first_order(dimension):
    step = scalar_overparametrization(dimension)
    for entry in step.remainder:
        poly = sympy.Poly(entry, eta)
        assert all(monomial[0] >= 2 for monomial, _ in poly.terms())
    for entry in step.old_w2_gap:
        assert sympy.Poly(entry, eta).degree() == 1  # the printed first line is off at order η
