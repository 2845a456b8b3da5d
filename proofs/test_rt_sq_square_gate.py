"""RT-SQ (Rolnick & Tegmark 2018, §4.2, proof of Prop 4.6): the square gate
(σ(x) + σ(−x) − 2σ(0))/(2σ''(0)) equals x² + O(x⁴).

As printed the constant is off by a factor 2: σ(x) + σ(−x) − 2σ(0) = σ''(0)x² + O(x⁴), so the
printed gate gives x²/2; the normalising constant is 1/σ''(0) = 1/(2σ_2).  Checked for a
generic symbolic σ (every σ with σ''(0) ≠ 0) and for concrete σ; the error term is exactly
(σ_4/σ_2)x⁴ + O(x⁶) (no odd terms)."""

import pytest
import sympy

from symdepth import Network, activations, check_taylor
from symdepth.constructions import input_signal, square_gate
from symdepth.prove import Claim, Erratum

from . import controls

CLAIM = Claim("RT-SQ", "RT §4.2 (Prop 4.6 proof)", "square gate (σ(x)+σ(−x)−2σ(0))/(2σ''(0)) = x² + O(x⁴)",
              "generic σ to degree 7; exp, softplus, sigmoid/tanh/sin with shift",
              model="one gate; the constant −2σ(0) as the output bias (RT: a third neuron σ(0))")
ERRATA = (
    Erratum("RT-SQ", "(σ(x)+σ(−x)−2σ(0))/(2σ''(0)) = x² + O(x⁴)",
            "(σ(x)+σ(−x)−2σ(0))/σ''(0) = x² + (σ⁗(0)/(12σ''(0)))x⁴ + O(x⁶); the printed gate gives x²/2",
            "σ = exp: (e^x + e^−x − 2)/2 = x²/2 + O(x⁴)",
            "check_taylor of the printed gate with generic σ (σ_k symbols)"),
)

x = sympy.Symbol("x1")
s = sympy.symbols("sigma_0:9")


def _gate_net(act, normaliser):
    net = Network(1, act)
    h1 = net.add_neuron({"x1": 1})
    h2 = net.add_neuron({"x1": -1})
    sigma0 = s[0] if act.is_generic else act.taylor(0)
    net.set_output({h1: normaliser, h2: normaliser}, -2 * sigma0 * normaliser)
    return net


def test_printed_constant_gives_half_the_square():
    generic = activations.generic()
    second_derivative = 2 * s[2]  # σ''(0) = 2σ_2
    printed = _gate_net(generic, 1 / (2 * second_derivative))
    assert not check_taylor(printed, x**2).ok
    assert check_taylor(printed, x**2 / 2, degree=3).ok


def test_corrected_constant_and_error_structure():
    generic = activations.generic()
    corrected = _gate_net(generic, 1 / (2 * s[2]))
    assert check_taylor(corrected, x**2, degree=3).ok
    # The full Taylor polynomial to degree 7: x² + (σ_4/σ_2) x⁴ + (σ_6/σ_2) x⁶, no odd terms.
    expected = x**2 + s[4] / s[2] * x**4 + s[6] / s[2] * x**6
    assert check_taylor(corrected, expected, degree=7).ok


def test_library_gate_for_concrete_activations():
    for name in ("exp", "softplus", "sigmoid", "tanh", "sin", "cos", "arctan"):
        net = Network(1, name)
        g = square_gate(net, input_signal(net, "x1"))
        net.set_output(dict(g.terms), g.constant)
        assert check_taylor(net, "x1^2", degree=3).ok, name


@pytest.mark.parametrize("name", ["exp", "softplus", "sigmoid", "tanh", "sin", "cos", "arctan"])
def test_negative_control_coefficients(name):
    """The gate cancels odd orders: a wrong odd coefficient of σ would pass every check above,
    so the coefficients themselves are compared with sympy's series."""
    controls.coefficients_match_sympy(name)
