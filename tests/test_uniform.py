"""check_uniform: holds with a proven sup, fails with a confirmed point, BudgetError when
undecided; bounds compared with sups known in closed form and with dense exact sampling."""

import math
from fractions import Fraction

import pytest

from symdepth import BudgetError, Network, constructions
from symdepth.check import rescale
from symdepth.uniform import check_uniform, uniform_rescaling


def _exp_minus_linear():
    net = Network(1, "exp")
    net.set_output({net.add_neuron({"x1": 1}): 1}, bias=-1)     # e^x − 1, against p = x: error e^x − 1 − x
    return net


@pytest.mark.parametrize("radius", [Fraction(1, 4), Fraction(1, 2), Fraction(1)])
def test_bound_brackets_the_closed_form_sup(radius):
    true_sup = math.exp(radius) - 1 - radius  # attained at x = R
    box = [(-radius, radius)]
    holds = check_uniform(_exp_minus_linear(), "x1", true_sup * 1.01, box)
    assert holds.ok and true_sup <= holds.bound <= true_sup * 1.01
    fails = check_uniform(_exp_minus_linear(), "x1", true_sup * 0.99, box)
    assert not fails.ok and fails.value > true_sup * 0.99
    x = fails.point[0]
    assert abs(math.exp(x) - 1 - x - fails.value) < 1e-12  # the reported value is the error at that point


def test_two_inputs_and_a_product_network():
    net = rescale(constructions.product_tree(2, [2], "exp"), Fraction(1, 16), 2)
    result = check_uniform(net, "x1*x2", Fraction(1, 100), [(-1, 1), (-1, 1)])
    assert result.ok and result.bound <= 0.01
    samples = [net.evaluate([Fraction(i, 4), Fraction(j, 4)], dps=30) - Fraction(i * j, 16)
               for i in range(-4, 5) for j in range(-4, 5)]
    assert max(abs(float(s)) for s in samples) <= result.bound  # the proven sup is above every sample


def test_relu_network_is_exact_on_its_pieces():
    net = Network(1, "relu")
    a, b = net.add_neuron({"x1": 1}), net.add_neuron({"x1": -1})
    net.set_output({a: 1, b: 1})                              # |x|, against p = 0: sup on [−1, 1] is 1
    assert check_uniform(net, "0", Fraction(101, 100)).ok
    assert not check_uniform(net, "0", Fraction(99, 100)).ok


def test_undecided_is_a_budget_error_with_the_state():
    tight = (math.e - 2) * 1.0001  # just above the true sup: true, but many cells to prove
    with pytest.raises(BudgetError, match=r"cells .* left, best bound so far .*--max-cells"):
        check_uniform(_exp_minus_linear(), "x1", tight, max_cells=4)
    assert check_uniform(_exp_minus_linear(), "x1", tight).ok


def test_proposition_3_3_finds_and_proves_a_delta():
    delta, proof = uniform_rescaling(constructions.deep_power(3, "exp"), "x1^3", Fraction(1, 1000))
    assert proof.ok and proof.bound <= 1e-3
    smaller = check_uniform(rescale(constructions.deep_power(3, "exp"), delta * 2, 3), "x1^3", Fraction(1, 1000),
                            max_cells=2000)
    assert not smaller.ok  # the δ found is the first power of two that works


def test_command_line(tmp_path):
    from symdepth.cli import main

    path = tmp_path / "net.json"
    path.write_text(constructions.deep_power(2, "exp").to_json())
    assert main(["uniform", str(path), "x1^2", "--eps", "1/10", "--box=-1/8,1/8"]) == 0
    assert main(["uniform", str(path), "x1^2", "--eps", "1/1000000"]) == 1
    assert main(["uniform", str(path), "x1^2", "--eps", "1/10", "--box=-1"]) == 2


def test_taylor_model_bound_is_above_the_sampled_error():
    """One input, high degree: the Taylor model's proven sup is never below the error sampled
    exactly at points of the box (an independent evaluation with sympy/mpmath)."""
    for d in (4, 8):
        net = rescale(constructions.deep_power(d, "exp"), Fraction(1, 2), d)
        samples = [abs(float(net.evaluate([Fraction(k, 16)], dps=40) - Fraction(k, 16) ** d)) for k in range(-16, 17)]
        result = check_uniform(net, f"x1^{d}", Fraction(1, 5))
        assert result.ok and max(samples) <= result.bound <= 1 / 5
        assert not check_uniform(net, f"x1^{d}", Fraction(max(samples)) * Fraction(99, 100)).ok
