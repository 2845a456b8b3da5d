"""The batched engine of check_uniform (issue 40): outward-rounded numpy intervals, table
enclosures of the activations, the three forms per cell.  Its bounds are checked against
the network evaluated at high precision by its own evaluator, its verdicts against the ball
engine, and a case where float arithmetic rounded to nearest would say "holds" wrongly."""

from __future__ import annotations

import itertools
from fractions import Fraction

import mpmath
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdepth import Network, activations, constructions
from symdepth.check import rescale
from symdepth.uniform import batched, check_uniform, outward, sup_enclosure

EXACT = {"tanh": mpmath.tanh, "sigmoid": lambda v: 1 / (1 + mpmath.exp(-v)),
         "softplus": lambda v: mpmath.log1p(mpmath.exp(v)), "exp": mpmath.exp}


@pytest.mark.parametrize("name", outward.SMOOTH)
def test_activation_enclosures_contain_the_value(name):
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.uniform(-40, 40, 300), rng.uniform(-1, 1, 300), np.arange(-33, 33, 2**-8)[::97],
                        [0.0, 32.0, -32.0, 5e-324, -5e-324, np.nextafter(32.0, 0), np.nextafter(-32.0, 0)]])
    lo, hi = outward._point_bounds(name, x)
    with mpmath.workdps(40):
        for xi, a, b in zip(x, lo, hi):
            value = EXACT[name](mpmath.mpf(float(xi)))
            assert mpmath.mpf(float(a)) <= value <= mpmath.mpf(float(b)), (name, xi)
            if abs(xi) < 30:
                assert b - a <= 1e-5 * max(1.0, float(abs(value)))   # tight: chord and tangent, not steps
    unknown = outward._point_bounds(name, np.array([np.nan]))
    assert unknown[0][0] == -np.inf and unknown[1][0] == np.inf


def _net(data) -> tuple:
    inputs = data.draw(st.integers(1, 2))
    act = data.draw(st.sampled_from(["tanh", "sigmoid", "softplus", "exp", "relu", "leaky_relu"]))
    small = st.fractions(-2, 2, max_denominator=6)
    net = Network(inputs, activations.get(act))
    hidden = [net.add_neuron({f"x{i + 1}": data.draw(small) for i in range(inputs)}, bias=data.draw(small))
              for _ in range(data.draw(st.integers(1, 3)))]
    if data.draw(st.booleans()):   # a second layer
        hidden = [net.add_neuron({h: data.draw(small) for h in hidden}, bias=data.draw(small))]
    net.set_output({h: data.draw(small) for h in hidden}, bias=data.draw(small))
    target = {tuple(data.draw(st.integers(0, 2)) for _ in range(inputs)): data.draw(small) for _ in range(2)}
    return net, target


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_cell_bounds_are_above_the_error_at_every_sampled_point(data):
    """Soundness: on a random cell, the bound is ≥ |N(x) − p(x)| at the corners, the centre
    and random points, each evaluated at 30 digits by the network's own evaluator."""
    net, target = _net(data)
    n = net.num_inputs
    lo = [Fraction(data.draw(st.integers(-8, 7)), 4) for _ in range(n)]
    hi = [a + Fraction(data.draw(st.integers(1, 8)), 8) for a in lo]
    compiled = batched.compile_network(net, target)
    bound, at_centre, centre, _ = batched.cell_bounds(compiled, np.array([[float(a) for a in lo]]),
                                                   np.array([[float(b) for b in hi]]))
    points = [*itertools.product(*zip(lo, hi)), tuple((a + b) / 2 for a, b in zip(lo, hi))]
    points += [tuple(a + (b - a) * Fraction(data.draw(st.integers(0, 16)), 16) for a, b in zip(lo, hi))
               for _ in range(4)]
    for point in points:
        value = net.evaluate(list(point), dps=30) - sum(
            c * np.prod([x**e for x, e in zip(point, m)]) for m, c in target.items())
        assert abs(float(value)) <= bound[0] * (1 + 1e-12) + 1e-300, point   # float: compared with a float bound
    exact_centre = net.evaluate([Fraction(float(c)) for c in centre[0]], dps=30) - sum(
        c * np.prod([Fraction(float(x))**e for x, e in zip(centre[0], m)]) for m, c in target.items())
    assert at_centre[0] <= abs(float(exact_centre)) * (1 + 1e-12)          # float: the lower bound at the centre


def test_round_to_nearest_would_say_holds_where_the_engine_does_not():
    """N(x) = x/7 on [−1, 1] against p = 0 and ε = float(1/7) < 1/7: in float64 rounded to
    nearest the sup is float(1/7)·1 = ε, "holds"; the true sup 1/7 exceeds ε.  (1/7 is
    chosen because its float enclosure's midpoint rounds down, to the float below it: a bound
    that dropped the weights' radii or the products' rounding would say "holds" too.)  The
    batched engine never claims it; check_uniform finds x = ±1 and proves |N| > ε there."""
    net = Network(1, "relu")
    net.set_output({net.add_neuron({"x1": 1}): Fraction(1, 7), net.add_neuron({"x1": -1}): Fraction(-1, 7)})
    eps = Fraction(1 / 7)   # float: the float nearest 1/7, exactly, below 1/7
    assert eps < Fraction(1, 7)
    assert max(abs(float(Fraction(1, 7)) * x) for x in np.linspace(-1, 1, 101)) <= float(eps)  # float: the naive check
    outcome = batched.search(batched.compile_network(net, 0), [(Fraction(-1), Fraction(1))], eps, 2000)
    assert outcome is None or not outcome.holds
    result = check_uniform(net, 0, eps, [(-1, 1)])
    assert not result.ok and abs(result.point[0]) == 1


def _trained_like(width: int, seed: int) -> Network:
    rng = np.random.default_rng(seed)
    w1, b1, w2 = rng.normal(0, 1, (width, 2)), rng.normal(0, 0.5, width), rng.normal(0, 0.3, width)
    return Network.from_layers([w1.tolist(), [w2.tolist()]], [b1.tolist(), [0.0]], "tanh")


@pytest.mark.parametrize("width,seed", [(8, 0), (32, 1)])
def test_verdicts_agree_with_the_ball_engine_and_the_sup(width, seed):
    net = _trained_like(width, seed)
    sup = sup_enclosure(net, "x1*x2", rtol=Fraction(1, 50))
    compiled = batched.compile_network(net, "x1*x2")
    box = [(Fraction(-1), Fraction(1))] * 2
    above = batched.search(compiled, box, Fraction(sup.upper) * Fraction(11, 10), 100_000)
    assert above.holds and sup.lower <= above.bound <= float(Fraction(sup.upper) * Fraction(11, 10))
    below = batched.search(compiled, box, Fraction(sup.lower) * Fraction(9, 10), 100_000)
    assert not below.holds
    point = [Fraction(x) for x in below.point]
    assert abs(float(net.evaluate(point, dps=30) - point[0] * point[1])) > sup.lower * 0.9


def test_unsupported_activations_fall_back_to_the_ball_engine():
    net = rescale(constructions.deep_power(2, "sin"), Fraction(1, 8), 2)
    with pytest.raises(batched.Unsupported):
        batched.compile_network(net, "x1^2")
    assert check_uniform(net, "x1^2", Fraction(1, 10)).ok


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.fractions(-10**6, 10**6, max_denominator=10**4), st.floats(-1e3, 1e3)),
                min_size=1, max_size=40))
def test_matrix_products_enclose_the_exact_sum(terms):
    """outward.matmul against exact rational arithmetic, with heavy cancellation (large
    weights of both signs): the rounding of every product and sum and the weights' radii
    must all be covered."""
    from symdepth.series import ball

    weights, xs = [w for w, _ in terms], [x for _, x in terms]
    w = outward.weights([[ball(v)] for v in weights])
    x = (np.array([xs]), np.array([xs]))
    lo, hi = outward.matmul(x, w)
    exact = sum(v * Fraction(s) for v, s in zip(weights, xs))
    assert Fraction(lo[0, 0]) <= exact <= Fraction(hi[0, 0])
    # with the two largest terms cancelling to a small sum, still enclosed
    big = max(weights, key=abs)
    w2 = outward.weights([[ball(big)], [ball(-big + Fraction(1, 3))]])
    lo2, hi2 = outward.matmul((np.array([[1e3, 1e3]]), np.array([[1e3, 1e3]])), w2)
    assert Fraction(lo2[0, 0]) <= 1000 * Fraction(1, 3) <= Fraction(hi2[0, 0])


def test_matrix_products_cover_the_rounding_of_float_weights():
    """Weights that are floats have no radius: only the rounding bound covers the products
    (2^40 + 1)(1 + 2^-52), rounded, and their cancelling sum."""
    from symdepth.series import ball

    weights = [Fraction(2**40 + 1)] * 8 + [Fraction(-(2**40))] * 8
    x = 1 + 2.0**-52
    lo, hi = outward.matmul((np.full((1, 16), x), np.full((1, 16), x)), outward.weights([[ball(w)] for w in weights]))
    exact = sum(weights) * Fraction(x)
    assert Fraction(lo[0, 0]) <= exact <= Fraction(hi[0, 0])
    assert float(hi[0, 0] - lo[0, 0]) < 1   # float: not vacuous (the sum is 8; γ·Σ|w||x| is 0.14)


def test_sup_enclosure_on_a_box_with_rational_ends_keeps_its_point_inside():
    """Box ends that are not floats (1/3, 2/3): the batched cells cover the box from outside,
    the lower bound's point must still lie in the box, and certcheck confirms both ends."""
    import certcheck

    net = _trained_like(8, 2)
    box = [(Fraction(1, 3), Fraction(2, 3)), (Fraction(-2, 3), Fraction(-1, 3))]
    found = sup_enclosure(net, "x1*x2", box=box, rtol=Fraction(1, 10))
    assert all(a <= x <= b for x, (a, b) in zip(found.point, box))
    assert found.lower <= found.upper <= 1.1 * found.lower
    value = net.evaluate(list(found.point), dps=30) - found.point[0] * found.point[1]
    assert found.lower <= abs(float(value))   # float: compared with the float lower bound
    assert "and >= " in certcheck.verify(found.certificate())
