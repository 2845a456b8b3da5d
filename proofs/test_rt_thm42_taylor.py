"""RT-T4.2 (Rolnick & Tegmark 2018, Thm 4.2): for Taylor approximation with σ whose Taylor
coefficients up to d are nonzero, m1(x^r) = ∏(r_i+1) too.

Checked: for a generic σ the shallow construction holds (needing only σ_d ≠ 0, recorded as an
assumption); the hypothesis matters: with σ(x) = x² (only σ_2 ≠ 0), x1·x2 has a 2-neuron
shallow Taylor network, fewer than ∏(r_i+1) = 4 — matching Thm 4.4's bound instead; and a
construction asking for a vanishing coefficient is refused.  Sweep: |r| ≤ 4, ≤ 3 variables."""

import itertools

import pytest

from symdepth import Network, NotAnalyticError, activations, bounds, check_taylor, constructions
from symdepth.prove import Claim

CLAIM = Claim("RT-T4.2", "RT Thm 4.2", "Taylor version of Thm 4.1 for σ with nonzero coefficients up to d",
              "generic σ, |r| ≤ 4 in ≤ 3 variables; σ = x² counterexample to dropping the hypothesis",
              model="one hidden layer, bias-free for generic σ")


@pytest.mark.parametrize("r", [r for n in (1, 2, 3) for r in itertools.product(range(5), repeat=n)
                               if 1 <= sum(r) <= 4 and all(r)])
def test_generic_sigma(r):
    result = check_taylor(constructions.shallow_monomial(r, activations.generic()), {r: 1})
    assert result.ok and result.assumptions == (f"sigma_{sum(r)} != 0",)


def test_hypothesis_cannot_be_dropped():
    square = activations.polynomial([0, 0, 1])
    net = Network(2, square)
    a = net.add_neuron({"x1": 1, "x2": 1})
    b = net.add_neuron({"x1": 1, "x2": -1})
    net.set_output({a: 1 / 4, b: -1 / 4})
    assert check_taylor(net, "x1*x2").ok and net.num_neurons == 2 < bounds.monomial_bounds((1, 1)).shallow
    assert bounds.monomial_bounds((1, 1)).thm44 == 2


def test_vanishing_coefficient_is_refused():
    with pytest.raises(NotAnalyticError, match="sigma_3"):
        constructions.shallow_monomial((2, 1), activations.polynomial([0, 1, 1]))
