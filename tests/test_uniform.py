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


def _sampled_errors(net, poly_of, points):
    """|N − p| at exact points, by the network's own exact/mpmath evaluation (not arb)."""
    return [abs(float(net.evaluate(list(x), dps=40) - poly_of(x))) for x in points]


def test_four_inputs_product_tree_by_the_multivariate_taylor_model():
    """Issue 21's target: the product tree for x1x2x3x4, rescaled by Prop 3.3, is proven within
    10^-3 on [−1, 1]^4; the proven sup is above the error sampled at exact points, and an ε below
    a sampled error is refuted at a point whose error, recomputed independently, exceeds it."""
    import itertools
    import random

    tree = constructions.product_tree(4, [2, 2], "exp")
    delta, proof = uniform_rescaling(tree, "x1*x2*x3*x4", Fraction(1, 1000))
    assert proof.ok and proof.bound <= 1e-3
    net = rescale(tree, delta, 4)
    rng = random.Random(4)
    points = list(itertools.product([-1, 1], repeat=4)) + [
        tuple(Fraction(rng.randint(-8, 8), 8) for _ in range(4)) for _ in range(20)]
    samples = _sampled_errors(net, lambda x: x[0] * x[1] * x[2] * x[3], points)
    assert max(samples) <= proof.bound
    coarse = rescale(tree, Fraction(1, 4), 4)
    worst = max(_sampled_errors(coarse, lambda x: x[0] * x[1] * x[2] * x[3], points))
    refuted = check_uniform(coarse, "x1*x2*x3*x4", Fraction(worst) / 2)
    assert not refuted.ok
    x = refuted.point
    assert _sampled_errors(coarse, lambda x: x[0] * x[1] * x[2] * x[3], [x])[0] > worst / 2


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_two_input_gates_with_hidden_biases(activation):
    """Shifted activations (biases at atanh(1/2), −log 2): the multivariate Taylor model keeps
    the cancellation; the bound is checked against exact samples on a grid."""
    net = rescale(constructions.product_tree(2, [2], activation), Fraction(1, 64), 2)
    result = check_uniform(net, "x1*x2", Fraction(1, 10**3), max_cells=500)
    assert result.ok
    grid = [(Fraction(i, 4), Fraction(j, 4)) for i in range(-4, 5) for j in range(-4, 5)]
    assert max(_sampled_errors(net, lambda x: x[0] * x[1], grid)) <= result.bound


def test_ball_series_contains_the_exact_taylor_coefficients():
    """Differential test of the ball ring against the exact engine: at the origin of networks
    whose seeds are rational (and at a shifted point, through the exact symbolic field), every
    exact Taylor coefficient of N lies in the corresponding ball."""

    from symdepth.series import GradedSeries, ball, ball_precision, exact_field, network_series
    from symdepth.uniform.enclosure import PRECISION, _centre_series, _compile

    for net, centre in [(constructions.product_tree(2, [2], "tanh"), (0, 0)),
                        (constructions.deep_power(3, "sigmoid"), (0,)),
                        (constructions.lin_product(2, "exp"), (Fraction(1, 3), Fraction(-1, 2)))]:
        shifted = net.copy()
        for node in net.neurons:
            for u, _, w in net.graph.in_edges(node, data="weight"):
                if u in net.inputs:
                    shifted.graph.nodes[node]["bias"] += w * centre[net.inputs.index(u)]
        values = shifted.node_values()
        ring = GradedSeries(4, net.inputs, exact_field([v[0] for v in values.values()] + [v[1] for v in values.values()]))
        exact_terms = ring.terms(network_series(shifted, ring, values))
        with ball_precision(PRECISION):
            compiled = _compile(net, "0")
            balls = _centre_series(compiled, centre)
            for m in compiled.ring.monomials:
                if 0 < sum(m) <= min(4, compiled.ring.order):
                    assert compiled.ring.coefficient(balls, m).overlaps(ball(exact_terms.get(m, 0))), (net, m)


def test_sup_enclosure_brackets_the_closed_form():
    from symdepth.uniform import sup_enclosure

    for radius in (Fraction(1, 2), Fraction(1)):
        true_sup = math.exp(radius) - 1 - radius
        s = sup_enclosure(_exp_minus_linear(), "x1", [(-radius, radius)], rtol=Fraction(1, 100))
        assert s.lower <= true_sup * (1 + 1e-12) and true_sup <= s.upper <= s.lower * 1.01 + 1e-15


def test_rescaling_sweep_proves_the_rate():
    """Prop 3.3's rate, from proven enclosures only: if the first degree above d in N's Taylor
    polynomial (from the exact engine) is e, halving δ divides the sup by about 2^(e−d)."""
    from concurrent.futures import ThreadPoolExecutor

    import sympy

    from symdepth import check_taylor
    from symdepth.uniform import rescaling_sweep

    net = constructions.deep_power(2, "exp")
    taylor = sympy.Poly(check_taylor(net, 0, degree=6).taylor, sympy.Symbol("x1"))
    rate = 2 ** (min(e for (e,), _ in taylor.terms() if e > 2) - 2)
    deltas = [Fraction(1, 2**j) for j in range(3, 7)]
    with ThreadPoolExecutor(2) as pool:
        sups = rescaling_sweep(net, "x1^2", deltas, rtol=Fraction(1, 100), executor=pool, progress=False).values
    for a, b in zip(sups, sups[1:]):
        assert 0.85 * rate < a.lower / b.upper and a.upper / b.lower < 1.15 * rate


def test_error_plots(tmp_path):
    pytest.importorskip("matplotlib")
    from symdepth import SymdepthError
    from symdepth.plots import plot_error

    one = rescale(constructions.deep_power(2, "exp"), Fraction(1, 8), 2)
    plot_error(one, "x1^2", str(tmp_path / "one.png"), proof=check_uniform(one, "x1^2", Fraction(1, 10)))
    two = rescale(constructions.product_tree(2, [2], "exp"), Fraction(1, 8), 2)
    plot_error(two, "x1*x2", str(tmp_path / "two.png"), proof=check_uniform(two, "x1*x2", Fraction(1, 10**4)))
    assert (tmp_path / "one.png").stat().st_size > 1000 and (tmp_path / "two.png").stat().st_size > 1000
    with pytest.raises(SymdepthError, match="1 or 2 inputs"):
        plot_error(constructions.product_tree(3, [3], "exp"), "x1*x2*x3", str(tmp_path / "three.png"))


def test_command_line_plot(tmp_path):
    pytest.importorskip("matplotlib")
    from symdepth.cli import main

    path = tmp_path / "net.json"
    path.write_text(constructions.deep_power(2, "exp").to_json())
    assert main(["uniform", str(path), "x1^2", "--eps", "1/10", "--box=-1/8,1/8", "--plot", str(tmp_path / "e.png")]) == 0
    assert (tmp_path / "e.png").exists()


def test_taylor_model_order_drops_for_many_inputs():
    from symdepth.uniform.enclosure import MAX_TAYLOR_PAIRS, _compile

    for n, expected in ((1, 5), (4, 5), (40, 4)):
        net = Network(n, "exp")
        net.set_output({net.add_neuron({x: 1 for x in net.inputs}): 1})
        compiled = _compile(net, "x1^3")
        assert compiled.taylor_order == expected
        assert math.comb(2 * n + expected - 1, expected - 1) <= MAX_TAYLOR_PAIRS


@pytest.mark.parametrize("engine", ["auto", "balls"])
def test_a_bound_within_a_float_ulp_of_eps_is_compared_exactly(engine):
    """|N − p| = 1 + 2^-60 − |x| on [−1, 3/2] against ε = 1 + 2^-61: the sup is at the kink
    x = 0, never a cell centre, so the verdict rests on the cells' bounds, which near 0 lie
    within a float ulp of ε.  Rounded to nearest they read 1 ≤ ε and would prove a false
    "holds"; rounded up they never pass, and the refinement finds a point above ε.  A float
    apart (ε = 1 + 2^-50) the bound is proven."""
    net = Network(1, "relu")
    a, b = net.add_neuron({"x1": 1}), net.add_neuron({"x1": -1})
    net.set_output({a: -1, b: -1}, bias=Fraction(1, 2**60))
    box = [(-1, Fraction(3, 2))]
    tight = check_uniform(net, "-1", 1 + Fraction(1, 2**61), box=box, engine=engine)
    assert not tight.ok and abs(tight.point[0]) < Fraction(1, 2**61)
    assert check_uniform(net, "-1", 1 + Fraction(1, 2**50), box=box, engine=engine).ok


@pytest.mark.parametrize("engine", ["auto", "balls"])
def test_a_relu_kink_inside_a_cell_takes_the_derivative_hull(engine):
    """N = −relu(x) − relu(−x) = −|x| against p = −1 on [−1, 3/2]: the sup 1 is at the kink
    x = 0, never a cell centre.  A slope of 1 alone on the kink's cell would prove ε = 0.9
    (issue 28); the hull [−1, 1] of the slopes makes the check find a point above 0.9, and
    prove 1.01 — in both engines."""
    net = Network(1, "relu")
    a, b = net.add_neuron({"x1": 1}), net.add_neuron({"x1": -1})
    net.set_output({a: -1, b: -1})
    box = [(-1, Fraction(3, 2))]
    tight = check_uniform(net, "-1", Fraction(9, 10), box=box, engine=engine)
    assert not tight.ok and tight.value > 0.9 and abs(tight.point[0]) < Fraction(1, 10)
    assert check_uniform(net, "-1", Fraction(101, 100), box=box, engine=engine).ok


@pytest.mark.parametrize("builder,poly,radius", [(lambda: constructions.deep_power(2, "exp"), "x1^2", 1),
                                                 (lambda: constructions.deep_power(3, "tanh"), "x1^3", "1/2"),
                                                 (lambda: constructions.product_tree(2, [2], "sigmoid"), "x1*x2", "1/4")])
def test_the_grid_estimate_stays_within_the_proven_enclosure(builder, poly, radius):
    """check.sup_error is an estimate for display (issue 40: one sup engine decides): its grid
    maximum can never exceed the proven upper bound, and on these smooth errors, largest at
    the box's corners, which the grid holds, it reaches the proven lower bound."""
    from symdepth.check import sup_error
    from symdepth.uniform import sup_enclosure

    net = builder()
    r = Fraction(radius)
    enclosure = sup_enclosure(net, poly, box=[(-r, r)] * net.num_inputs, rtol=Fraction(1, 1000))
    estimate = sup_error(net, poly, radius=r)
    assert estimate <= enclosure.upper * (1 + 1e-12)
    assert estimate >= enclosure.lower * (1 - 1e-3)
