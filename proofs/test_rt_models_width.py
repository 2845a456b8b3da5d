"""RT-MODELS (Rolnick & Tegmark 2018, Thm 4.1 in each network model): the shallow monomial
bound ∏(r_i+1) is for RT's bias-free layered networks; with an output bias the proven bound is
∏(r_i+1) − 1, with a skip connection lower still (symdepth.bounds.shallow_lower_bound).

Checked for every monomial of degree ≤ 4 in ≤ 3 variables and the classic forms of the
minimal-width table, with exp and a generic σ:
* the bound is attained in RT's model and with an output bias: a network of exactly that
  many neurons is found and verified by exact computation (and belongs to the model);
* falsification: in every model, the search tries to beat each bound by one neuron and fails;
* consistency: a model's lower bound never exceeds a network verified in a smaller model;
* negative control: the same search beats RT's ∏(r_i+1) once an output bias is allowed
  (x1·x2 with 3 neurons) and the output-bias bound once a skip connection is (2)."""

import pytest

from symdepth import bounds, check_taylor, models
from symdepth.prove import Claim

CLAIM = Claim("RT-MODELS", "RT Thm 4.1, §3 (network model)", "one hidden layer: m1(x^r) = ∏(r_i+1) in RT's "
              "bias-free model, ∏(r_i+1) − 1 with an output bias; each model's bound proven, not beaten",
              "monomials of degree ≤ 4 in ≤ 3 variables, classic forms; exp and generic σ; 5 models; a search "
              "tries every bound minus one", model="each of rt, output-bias, output-bias+skip, biases, biases+skip")

MONOMIALS = ["x1", "x1^2", "x1*x2", "x1^3", "x1^2*x2", "x1*x2*x3", "x1^4", "x1^3*x2", "x1^2*x2^2", "x1^2*x2*x3"]
FORMS = ["x1^2 + x2^2", "x1*x2 + x3*x4", "x1*x2 + x1*x3 + x2*x3", "x1*x4 - x2*x3"]


@pytest.mark.parametrize("activation", ["exp", "generic"])
@pytest.mark.parametrize("poly", MONOMIALS)
def test_bound_attained_in_rt_and_output_bias_models(poly, activation):
    for model in ("rt", "output-bias"):
        result = bounds.minimal_shallow_width(poly, activation, model)
        assert result.exact, result
        assert result.witness.num_neurons == result.lower
        assert model in result.witness.models
        assert check_taylor(result.witness, poly).ok


@pytest.mark.parametrize("activation", ["exp", "generic"])
@pytest.mark.parametrize("poly", MONOMIALS + FORMS)
def test_no_network_beats_a_bound(poly, activation):
    for model in models.MODELS:
        lower = bounds.shallow_lower_bound(poly, activation, model).value
        if lower:
            beaten, _ = bounds.search_shallow(poly, activation, model, lower - 1, tries=150)
            assert beaten is None, f"{poly}, {activation}, {model}: a network of {lower - 1} neurons: {beaten.to_sympy()}"


@pytest.mark.parametrize("poly", ["x1*x2", "x1^2*x2", "x1^2 + x2^2"])
def test_bounds_consistent_across_models(poly):
    found = bounds.minimal_shallow_widths(poly, "exp")
    for name, result in found.items():
        for other in found.values():
            if models.get(name).contains(models.get(other.model)) and other.upper is not None:
                assert result.lower <= other.upper, (name, other.model)


def test_negative_control_search_beats_a_bound_of_another_model():
    rt = bounds.shallow_lower_bound("x1*x2", "exp", "rt").value
    assert rt == 4
    beaten, _ = bounds.search_shallow("x1*x2", "exp", "output-bias", rt - 1)
    assert beaten is not None and beaten.num_neurons == 3 and check_taylor(beaten, "x1*x2").ok
    skip, _ = bounds.search_shallow("x1*x2", "exp", "output-bias+skip", 2)
    assert skip is not None and "output-bias+skip" in skip.models and check_taylor(skip, "x1*x2").ok
