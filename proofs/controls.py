"""Negative controls: each method a claim module trusts shows, in the same run, that it can
say "fails" (or agrees with an independent source where a wrong answer would pass the
module's positive checks).  A module calls these next to its claims, so `symdepth prove`
reports "holds" only after the methods under it have been exercised where they can fail.

- :func:`randomized_refutes_near_misses` — the randomized check rejects a claim that differs
  from the truth only in its top-degree part, and one that differs in one low coefficient.
- :func:`coefficients_match_sympy` — an activation's Taylor coefficients (the series engine's
  recipe) against ``sympy.series`` of its closed form, at the origin and at its shifts: the
  papers' gates cancel odd or even orders, so a wrong coefficient there passes every gate check.
- :func:`composition_matches_pointwise` — f∘g, exactly, at g's breakpoints, at the preimages of
  f's breakpoints under g's linear pieces and at the midpoints between them, against f(g(x)).
"""

from __future__ import annotations

from fractions import Fraction

import sympy

from symdepth import activations, check_taylor, piecewise
from symdepth.numbers import to_sympy


def randomized_refutes_near_misses(net, truth: dict, seed: int = 0) -> None:
    """``truth`` is a claim that holds ({exponent tuple: coefficient}); both near misses must fail."""
    top = max(sum(m) for m in truth)
    top_mono = next(m for m in truth if sum(m) == top)
    wrong_top = {**truth, top_mono: truth[top_mono] + 1}
    low = tuple(1 if i == 0 else 0 for i in range(len(top_mono)))
    wrong_low = {**truth, low: truth.get(low, 0) + Fraction(1, 3)}
    for claim, what in ((wrong_top, "top-degree part"), (wrong_low, "coefficient of x1")):
        assert check_taylor(net, claim, degree=top, method="random", seed=seed).ok is False, (
            f"the randomized method accepted a claim wrong only in its {what}")


def coefficients_match_sympy(name: str, orders: int = 5) -> None:
    act = activations.get(name)
    x = sympy.Symbol("x")
    for point in (0, *act.shifts):
        series = sympy.series(act.sympy(to_sympy(point) + x), x, 0, orders + 1).removeO()
        got = act.taylor_coefficients(orders, point)
        for k in range(orders + 1):
            difference = sympy.simplify(to_sympy(got[k]) - series.coeff(x, k))
            assert difference == 0, f"{name} at {point}: coefficient {k} is {got[k]}, sympy says {series.coeff(x, k)}"


def _preimages(g, value: Fraction) -> set:
    found = set()
    for a, b, poly in zip(g.breakpoints, g.breakpoints[1:], g.polys):
        coeffs = [Fraction(int(c.p), int(c.q)) for c in poly.coeffs()] + [Fraction(0)] * 2
        if poly.degree() == 1:
            x = (value - coeffs[0]) / coeffs[1]
            if (not isinstance(a, Fraction) or a <= x) and (not isinstance(b, Fraction) or x <= b):
                found.add(x)
    return found


def composition_matches_pointwise(f, g) -> None:
    h = piecewise.compose(f, g)
    points = {p for p in g.breakpoints if isinstance(p, Fraction)}
    for b in f.breakpoints:
        if isinstance(b, Fraction):
            points |= _preimages(g, b)
    points = sorted(points)
    for p in points + [(a + b) / 2 for a, b in zip(points, points[1:])]:
        assert h(p) == f(g(p)), f"compose at {p}: {h(p)} != f(g({p})) = {f(g(p))}"


def uniform_matches_closed_form() -> None:
    """The uniform proofs on nets whose error has a closed-form sup over the box:
    e^x − 1 − x on [−R, R] is largest at x = R, e^(x1+x2) − 1 − (x1 + x2) at (R, R), and
    (e^x + e^−x − 2) − x² at x = ±R.  ``sup_enclosure`` must bracket the sup, and
    ``check_uniform`` must say "holds" just above it and "fails" just below it."""
    import math

    from symdepth import Network
    from symdepth.uniform import check_uniform, sup_enclosure

    for radius in (Fraction(1, 2), Fraction(1), Fraction(3, 2)):
        one = Network(1, "exp")
        h = one.add_neuron({"x1": 1})
        one.set_output({h: 1}, bias=-1)
        two = Network(2, "exp")
        h = two.add_neuron({"x1": 1, "x2": 1})
        two.set_output({h: 1}, bias=-1)
        even = Network(1, "exp")
        a, b = even.add_neuron({"x1": 1}), even.add_neuron({"x1": -1})
        even.set_output({a: 1, b: 1}, bias=-2)
        r = float(radius)  # float: the closed forms are numbers, compared at float precision
        for net, poly, exact_sup in ((one, "x1", math.exp(r) - 1 - r), (two, "x1 + x2", math.exp(2 * r) - 1 - 2 * r),
                                     (even, "x1^2", 2 * math.cosh(r) - 2 - r * r)):
            box = [(-radius, radius)] * net.num_inputs
            s = sup_enclosure(net, poly, box, rtol=Fraction(1, 1000))
            assert s.lower <= exact_sup * (1 + 1e-12) and exact_sup * (1 - 1e-12) <= s.upper, (poly, radius, s, exact_sup)
            assert check_uniform(net, poly, Fraction(exact_sup) * Fraction(101, 100), box).ok
            assert not check_uniform(net, poly, Fraction(exact_sup) * Fraction(99, 100), box).ok
