"""RT-ID (Rolnick & Tegmark 2018 §4.2): one neuron (σ(x) − σ(0))/σ'(0) preserves its input to
first order (an identity gate, equivalent to a skip connection).  Generic σ (σ'(0) ≠ 0) and
concrete σ (cos needs a shift, since cos'(0) = 0)."""

import pytest
import sympy

from symdepth import activations, check_taylor, constructions
from symdepth.prove import Claim

from . import controls

CLAIM = Claim("RT-ID", "RT §4.2", "identity gate with one neuron", "generic σ; 7 concrete σ",
              model="one neuron, shifted to b with σ'(b) ≠ 0 where needed (cos)")

s = sympy.symbols("sigma_0:4")
x = sympy.Symbol("x1")


def test_generic_identity_gate():
    net = constructions.identity_net(activations.generic())
    assert net.num_neurons == 1
    assert check_taylor(net, x).ok
    assert check_taylor(net, x + s[2] / s[1] * x**2 + s[3] / s[1] * x**3, degree=3).ok


def test_concrete_identity_gates():
    for name in ("exp", "tanh", "sigmoid", "softplus", "sin", "cos", "arctan"):
        assert check_taylor(constructions.identity_net(name), "x1").ok, name


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid", "softplus", "sin", "cos", "arctan"])
def test_negative_control_coefficients(name):
    """A coefficient the gate never reaches at its degree would pass the check above: compare
    the activation's coefficients with sympy's series."""
    controls.coefficients_match_sympy(name)
