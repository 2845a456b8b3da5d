"""RT-P3.3 (Rolnick & Tegmark 2018, Prop. 3.3): if N Taylor-approximates a homogeneous p of
degree d, the rescaled network N_δ (A_0 ← δA_0, A_k ← A_k/δ^d) has the same layer sizes,
still Taylor-approximates p, and its sup error on a box tends to 0 as δ → 0 (for the first
omitted degree e > d, the error shrinks like δ^(e−d)).  Sweep: deep powers d = 2..5 and x1*x2, exp and tanh,
δ = 1/2^j, j = 1..4 (Taylor polynomial and layers); the rates from sup errors enclosed by ball
arithmetic (proven upper bound, value at a point within 1%); x^d (d ≤ 8) at ε = 10^-6 and the
product tree x1x2x3x4 (exp) at ε = 10^-3 on [−1, 1]^4 proven."""

from fractions import Fraction

import pytest
import sympy

from symdepth import check_taylor, constructions, rescale
from symdepth.prove import Claim
from symdepth.uniform import check_uniform, sup_enclosure, uniform_rescaling

from . import controls

CLAIM = Claim("RT-P3.3", "RT Prop 3.3", "Taylor approximation of a homogeneous p implies ε-approximation with the "
              "same layer sizes (rescaling)", "x^d (d=2..5), x1*x2; exp, tanh; delta=2^-1..2^-4; rates from proven sup enclosures; a δ "
              "proven by ball arithmetic for x^d (d = 2..8, exp) at ε = 10^-6 on [−1, 1] and for x1x2x3x4 "
              "(product tree, exp) at ε = 10^-3 on [−1, 1]^4",
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
    """Rigorous rates: sup_{j} ≥ lower_j and sup_{j+1} ≤ upper_{j+1}, so the ratio of sups lies in
    [lower_j / upper_{j+1}, upper_j / lower_{j+1}], which must sit around 2^(e−d)."""
    rate = 2 ** (_first_omitted_degree(net, d) - d)
    sups = [sup_enclosure(rescale(net, Fraction(1, 2**j), d), poly, rtol=Fraction(1, 100)) for j in range(3, 7)]
    for a, b in zip(sups, sups[1:]):
        assert 0.8 * rate < a.lower / b.upper and a.upper / b.lower < 1.25 * rate


def test_negative_control_uniform():
    """The proofs the rates rest on, against closed-form sups on boxes; check_uniform says
    "fails" below them."""
    controls.uniform_matches_closed_form()


@pytest.mark.parametrize("d", range(2, 9))
def test_proposition_3_3_proven_by_ball_arithmetic(d):
    """For the deep x^d network (exp), a δ is found with sup over [−1, 1] of |N_δ − x^d| ≤ 10^-6,
    proven by check_uniform (ball arithmetic, not a grid estimate); at δ = 1/2 the check must say
    "fails" for an ε below the value at a point."""
    net = constructions.deep_power(d, "exp")
    delta, proof = uniform_rescaling(net, f"x1^{d}", Fraction(1, 10**6))
    assert proof.ok and proof.bound <= 1e-6
    coarse = rescale(net, Fraction(1, 2), d)
    at_a_point = sup_enclosure(coarse, f"x1^{d}").lower
    refuted = check_uniform(coarse, f"x1^{d}", Fraction(at_a_point) / 2)  # float: an exact half of a proven value
    assert not refuted.ok and abs(refuted.value) > at_a_point / 2


@pytest.mark.parametrize("activation", ["exp"])
def test_product_tree_of_four_inputs_proven(activation):
    """Thm 5.1's tree for x1x2x3x4, rescaled: within 10^-3 on [−1, 1]^4 (multivariate Taylor
    model); the δ found keeps the layer sizes and the Taylor polynomial."""
    tree = constructions.product_tree(4, [2, 2], activation)
    delta, proof = uniform_rescaling(tree, "x1*x2*x3*x4", Fraction(1, 1000))
    assert proof.ok and proof.bound <= 1e-3
    small = rescale(tree, delta, 4)
    assert small.layer_sizes == tree.layer_sizes and check_taylor(small, "x1*x2*x3*x4").ok
