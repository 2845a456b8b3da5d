"""RT-PROD (Rolnick & Tegmark 2018 §4.2; Lin, Tegmark & Rolnick 2017 App. A): four neurons
(σ(x+y) + σ(−x−y) − σ(x−y) − σ(−x+y))/(4σ''(0)) Taylor-approximate xy.  Checked for generic
σ (only σ''(0) ≠ 0 needed), all orders ≤ 3, and the error terms: the degree-4 part is exactly
2(σ_4/σ_2)(x³y + xy³), every term has odd degree in x and in y."""

import pytest
import sympy

from symdepth import Network, activations, check_taylor
from symdepth.constructions import input_signal, product_gate
from symdepth.prove import Claim

from . import controls

CLAIM = Claim("RT-PROD", "RT §4.2 / Lin et al. App. A", "4-neuron product gate Taylor-approximates xy",
              "generic σ to degree 6; exp, tanh, sigmoid, softplus, sin",
              model="one bias-free 4-neuron gate")

x, y = sympy.symbols("x1 x2")
s = sympy.symbols("sigma_0:8")


def _gate(act):
    net = Network(2, act)
    g = product_gate(net, input_signal(net, "x1"), input_signal(net, "x2"))
    net.set_output(dict(g.terms), g.constant)
    return net


def test_generic_sigma_to_order_three():
    net = _gate(activations.generic())
    assert net.num_neurons == 4
    result = check_taylor(net, x * y, degree=3)
    assert result.ok and result.assumptions == ("sigma_2 != 0",)


def test_error_terms_structure():
    net = _gate(activations.generic())
    taylor = check_taylor(net, 0, degree=6).taylor
    assert sympy.expand(taylor - (x * y + 2 * s[4] / s[2] * (x**3 * y + x * y**3)
                                  + s[6] / s[2] * (3 * x**5 * y + 10 * x**3 * y**3 + 3 * x * y**5))) == 0
    for (i, j), _ in sympy.Poly(taylor, x, y).terms():
        assert i % 2 == 1 and j % 2 == 1


def test_concrete_activations():
    for name in ("exp", "tanh", "sigmoid", "softplus", "sin"):
        assert check_taylor(_gate(name), "x1*x2", degree=3).ok, name


@pytest.mark.parametrize("name", ["exp", "tanh", "sigmoid", "softplus", "sin"])
def test_negative_control_coefficients(name):
    """The product gate cancels odd orders: compare the activation's coefficients with sympy."""
    controls.coefficients_match_sympy(name)
