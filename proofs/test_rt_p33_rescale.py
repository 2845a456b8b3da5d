"""RT-P3.3 (Rolnick & Tegmark 2018, Prop. 3.3): if N Taylor-approximates a homogeneous p of
degree d, the rescaled network N_δ (A_0 ← δA_0, A_k ← A_k/δ^d) has the same layer sizes,
still Taylor-approximates p, and its sup error on a box tends to 0 as δ → 0 (like δ for the
first omitted degree e > d, the error shrinks like δ^(e−d)).  Sweep: deep powers d = 2..5 and x1*x2, exp and tanh,
δ = 1/2^j, j = 1..4; numeric sup errors on a 9-point grid of [-1, 1]^n at 30 digits."""

from fractions import Fraction

import pytest
import sympy

from symdepth import check_taylor, constructions, rescale
from symdepth.check import sup_error
from symdepth.prove import Claim

from . import controls

CLAIM = Claim("RT-P3.3", "RT Prop 3.3", "Taylor approximation of a homogeneous p implies ε-approximation with the "
              "same layer sizes (rescaling)", "x^d (d=2..5), x1*x2; exp, tanh; delta=2^-1..2^-4 (rates, numeric); x^d, d = 2..8 (exp): a δ with "
              "sup ≤ 10^-6 on [−1, 1] proven by ball arithmetic", kind="numeric",
              model="builders with biases (exp; tanh shifted to atanh(1/2)); rescaling keeps the layer sizes")

CASES = [(constructions.deep_power(d, act), f"x1^{d}", d) for d in range(2, 6) for act in ("exp", "tanh")]
CASES.append((constructions.lin_product(2, "exp"), "x1*x2", 2))


@pytest.mark.parametrize("net,poly,d", CASES)
def test_rescaled_network_keeps_taylor_polynomial_and_layers(net, poly, d):
    for j in range(1, 5):
        small = rescale(net, Fraction(1, 2**j), d)
        assert small.layer_sizes == net.layer_sizes
        assert check_taylor(small, poly).ok


def _first_omitted_degree(net, d):
    taylor = check_taylor(net, 0, degree=d + 4).taylor
    degrees = [sum(m) for m, _ in sympy.Poly(taylor, *[sympy.Symbol(v) for v in net.inputs]).terms()]
    return min(e for e in degrees if e > d)


@pytest.mark.parametrize("net,poly,d", CASES[:4] + CASES[-1:])
def test_sup_error_shrinks_like_a_power_of_delta(net, poly, d):
    rate = 2 ** (_first_omitted_degree(net, d) - d)
    errors = [sup_error(rescale(net, Fraction(1, 2**j), d), poly, radius=1, grid=9) for j in range(3, 7)]
    for a, b in zip(errors, errors[1:]):
        assert b < a
        assert 0.8 * rate < a / b < 1.25 * rate


def test_negative_control_sup_error():
    """The sup estimate the rates above rest on, against closed-form sups on boxes."""
    controls.sup_error_matches_closed_form()


@pytest.mark.parametrize("d", range(2, 9))
def test_proposition_3_3_proven_by_ball_arithmetic(d):
    """For the deep x^d network (exp), a δ is found with sup over [−1, 1] of |N_δ − x^d| ≤ 10^-6,
    proven by check_uniform (ball arithmetic, not a grid estimate); at δ = 1/2 the check must say
    "fails" for an ε below the sup it proves there."""
    from symdepth.uniform import check_uniform, uniform_rescaling

    net = constructions.deep_power(d, "exp")
    delta, proof = uniform_rescaling(net, f"x1^{d}", Fraction(1, 10**6))
    assert proof.ok and proof.bound <= 1e-6
    coarse = rescale(net, Fraction(1, 2), d)
    estimate = sup_error(coarse, f"x1^{d}", radius=1, grid=9)
    refuted = check_uniform(coarse, f"x1^{d}", Fraction(estimate) / 2)  # float: an exact half of the estimate
    assert not refuted.ok and refuted.value > estimate / 2
