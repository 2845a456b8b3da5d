"""Deliberate breakages of the library and the checks that must catch them.

Each :class:`Mutant` replaces one function (or method) of symdepth by a plausible wrong one —
a wrong constant, an off-by-one, a function returning a plausible constant — and names the
proof modules or test files that must then fail.  ``tests/test_mutations.py`` runs every
mutant against its killers in a fresh process.

Used as a pytest plugin (``-p tests.mutants --mutant NAME``): the breakage is installed in
``pytest_configure``, before any test module is imported, in every loaded symdepth module
that holds the original object, so ``from symdepth.x import f`` sees it too.  A file stops
at its first failure (the rest of it is skipped), and ``--mutant-report FILE`` writes the
failed test ids as JSON.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import pytest


@dataclass(frozen=True)
class Mutant:
    target: str                  # "module:attribute" or "module:Class.method"
    make: Callable[[Any], Any]   # original -> replacement
    killers: tuple               # files or test ids (relative to the repository) that must fail
    what: str


def _plus_one(orig):
    return lambda *args, **kwargs: orig(*args, **kwargs) + 1


def _crossings_one_if_curved(orig):
    def crossings(f, threshold=Fraction(1, 2)):
        return 1 if f.degree > 1 else orig(f, threshold)
    return crossings


def _tapoly_overstated(orig):
    def tapoly(f):
        t, alpha = orig(f)
        return t + 1, alpha + 1
    return tapoly


def _zero_function(orig):
    def from_network(net, domain=None, activation=None, max_pieces=10**7):
        from symdepth.piecewise import INF, PiecewisePolynomial

        lo, hi = domain if domain is not None else (-INF, INF)
        return PiecewisePolynomial([lo, hi], [[0]])
    return from_network


def _every_region_disagrees(orig):
    def disagreement(f, g, threshold=Fraction(1, 2)):
        d = orig(f, g, threshold)
        return dataclasses.replace(d, regions=d.s_f, holds=True)
    return disagreement


def _triangles_plus_one(orig):
    def count_triangles(f):
        t = orig(f)
        return None if t is None else t + 1
    return count_triangles


def _compose_ignores_outer(orig):
    return lambda f, g, max_pieces=10**7: g


def _sawtooth_not_a_tent(orig):
    def sawtooth(layers):
        net = orig(layers)
        last = [u for u, _ in net.graph.in_edges(net.output)]
        net.set_output({last[0]: 1, last[1]: -1})
        return net
    return sawtooth


def _scaled_gate(factor):
    def make(orig):
        def gate(*args, **kwargs):
            from symdepth.constructions import Signal
            from symdepth.numbers import mul

            s = orig(*args, **kwargs)
            return Signal(tuple((u, mul(c, factor)) for u, c in s.terms), mul(s.constant, factor))
        return gate
    return make


def _rescale_wrong_power(orig):
    return lambda net, delta, degree: orig(net, delta, degree - 1)


def _rank_is_row_count(orig):
    return lambda group, prime: len({r for r, _, _ in group})


def _moment_rank_is_row_count(orig):
    import math

    return lambda n, s, t, d, keys, moments, residues, prime: math.comb(s + n - 1, n - 1)


def _rank_over_q_mod_small_prime(orig):
    from symdepth.bounds import rank

    return lambda where, moments: rank._rank_mod(where, rank._residues(moments, 3001), 3001)[0]


def _block_rank_mod_small_prime(orig):
    return lambda group, prime: orig(group, 3001 if prime is None else prime)


def _random_ignores_top_degree(orig):
    def line_mismatch(net, values, claim, degree, p, direction, progress=None):
        found = orig(net, values, claim, degree, p, direction, progress)
        return None if found is not None and found.monomial.startswith(f"degree-{degree} ") else found
    return line_mismatch


def _sigmoid_cubic_sign(orig):
    def recipe(self, ring, v, seeds):
        out = orig(self, ring, v, seeds)
        if self.name != "sigmoid":
            return out
        (s0,) = seeds
        one = ring.scalar(1)
        third = s0 * (one - s0) * (one - ring.scalar(6) * s0 + ring.scalar(6) * s0 * s0) / ring.scalar(6)
        return ring.add(out, ring.scale(ring.mul(v, ring.mul(v, v)), -2 * third))  # the cubic term, negated
    return recipe


def _leftover_value_charged(orig):
    def product_tree_count(n, widths):
        total, m = 0, n
        for b in widths:
            full, rest = divmod(m, b)
            total += full * 2**b + (2**rest if rest >= 1 else 0)  # a lone leftover value charged 2
            m = full + (1 if rest else 0)
        return total
    return product_tree_count


def _drop_one_cut(orig):
    def linear_cuts(q, a, b, inner, f):
        cuts = orig(q, a, b, inner, f)
        return cuts[:1] + cuts[2:] if len(cuts) > 2 else cuts
    return linear_cuts


def _leaky_as_relu(orig):
    def linear_activation(act):
        if getattr(act, "name", None) == "leaky_relu":
            from symdepth import activations

            return orig(activations.get("relu"))
        return orig(act)
    return linear_activation


def _half_box(orig):
    def box(net, box):
        return [(a / 2, b / 2) for a, b in orig(net, box)]
    return box


def _regions_by_affine_output(orig):
    def regions_2d(net, box=((-1, 1), (-1, 1)), *, slice=None, max_regions=10**6):
        result = orig(net, box, slice=slice, max_regions=max_regions)
        distinct = {(r.gradient, r.constant): r for r in result.regions}
        mutated = dataclasses.replace(result, num_regions=len(distinct))
        mutated.__dict__["regions"] = tuple(distinct.values())     # the cached property, filled in
        return mutated
    return regions_2d


def _bound_shifted(model, delta):
    def make(orig):
        def shallow_lower_bound(poly, activation="generic", model_name="rt"):
            result = orig(poly, activation, model_name)
            if str(model_name) == model and result.value:
                return dataclasses.replace(result, value=result.value + delta)
            return result
        return shallow_lower_bound
    return make


def _cell_bound_halved(orig):
    def cell_bound(compiled, lo, hi):
        bound, value, centre = orig(compiled, lo, hi)
        return bound / 2, value, centre
    return cell_bound


def _relu_slope_one_on_a_kink(orig):
    def activation_balls(act, u):
        value, slope = orig(act, u)
        return (value, type(slope)(1)) if act.name == "relu" else (value, slope)
    return activation_balls


def _batched_relu_slope_one_on_a_kink(orig):
    def activate(acts, z):
        import numpy as np

        value, (low, high), curve = orig(acts, z)
        kink = (z[0] <= 0) & (z[1] >= 0) & np.array([a is not None and a.name == "relu" for a in acts])
        return value, (np.where(kink, 1.0, low), np.where(kink, 1.0, high)), curve
    return activate


def _matmul_unwidened(orig):
    def matmul(x, w):
        import numpy as np

        mid = w[0]
        return (x[0] @ np.maximum(mid, 0) + x[1] @ np.minimum(mid, 0), x[1] @ np.maximum(mid, 0) + x[0] @ np.minimum(mid, 0))
    return matmul


def _rounded_to_nearest(orig):
    def float_up(x):
        from symdepth.uniform.enclosure import exact_value

        return float(exact_value(x.upper()))  # float: the breakage, rounding to nearest
    return float_up


def _fold_drops_the_bias(orig):
    def matrix(self, m, c, node):
        import numpy as np

        # a fold (a map already there) forgets the later map's bias
        return orig(self, m, np.zeros(len(c)) if self.weight is not None else c, node)
    return matrix


def _fold_transposed(orig):
    def matrix(self, m, c, node):
        import flint

        if isinstance(m, flint.fmpq_mat) or self.weight is None or getattr(self.weight, "ndim", 2) == 1:
            return orig(self, m, c, node)
        # the classic slip of a square weight: its transpose folded in
        return orig(self, m.T if m.shape[0] == m.shape[1] else m, c, node)
    return matrix


def _remainder_dropped(orig):
    def remainder(compiled, cell, directions):
        import flint

        return flint.arb(0)
    return remainder


def _magnitude_of_constant_only(orig):
    def magnitude(self, a, radii):
        return abs(a[0]).upper()
    return magnitude


def _replace_field(**changes):
    def make(orig):
        def wrapped(*args, **kwargs):
            result = orig(*args, **kwargs)
            return dataclasses.replace(result, **{k: f(result) for k, f in changes.items()})
        return wrapped
    return make


def _output_weights_scaled(factor):
    def make(orig):
        def builder(*args, **kwargs):
            net = orig(*args, **kwargs)
            weights = {u: w for u, _, w in net.graph.in_edges(net.output, data="weight")}
            first = sorted(weights)[0]
            weights[first] = weights[first] * factor
            net.set_output(weights, net.graph.nodes[net.output]["bias"])
            return net
        return builder
    return make


def _equal_widths(orig):
    def recursion_widths(n, k, dps=30):
        import mpmath

        return tuple(mpmath.root(n, k) for _ in range(k))
    return recursion_widths


def _perturbed_widths(orig):
    return lambda n, k, dps=30: tuple(b * (1 + 1e-12) for b in orig(n, k, dps))  # float: a wrong constant


def _rule_off_at_powers_of_ten(orig):
    def rule(n, max_width=2**10):
        r = orig(n, max_width)
        return dataclasses.replace(r, min_layers=r.min_layers + 1) if str(n).strip("0") == "1" else r
    return rule


def _coarse_radial(orig):
    return lambda dimension, g, knots=16, radius=1: orig(dimension, g, max(knots // 8, 2), radius)


def _printed_first_line(orig):
    def step(dimension=2):
        s = orig(dimension)
        return dataclasses.replace(s, remainder=s.old_w2_gap)
    return step


def _one_summand(orig):
    return lambda layers, target, eta, weight_decay=0, dps=50, fixed_index=None: orig(
        layers, target, eta, weight_decay, dps, fixed_index=1)


def _sign_at_left_end(orig):
    def sign_of(self, poly):
        from symdepth.piecewise.algebraic import sign_at

        return sign_at(poly, self.lo)
    return sign_of


def _no_assumptions(orig):
    def check(*args, **kwargs):
        return dataclasses.replace(orig(*args, **kwargs), assumptions=())
    return check


def _keep_collinear(orig):
    return lambda self: self


def _cut_moved(orig):
    def line(self, level, prefix, neuron, cut):
        a, b, c = orig(self, level, prefix, neuron, cut)
        return a, b, c + 1
    return line


def _float_signs_trusted(orig):
    return 0.0


def _vertex_bounds_zero(orig):
    def crossing(points, cells, *args):
        made = orig(points, cells, *args)
        points.table._data["xy"][made, 2:] = 0.0       # the bounds (es, et)
        return made
    return crossing


def _overlapping_passes(orig):
    def passes(tasks, crossing, window=32):
        # every neuron's first cut in one pass, whatever cells they share
        flat = [cut for group in orig(tasks, crossing, window) for cut in group]
        return [[cut for cut in flat if cut[1] == 0]] + [[cut] for cut in flat if cut[1] != 0]
    return passes


def _zero_where_bias_zero(orig):
    def layer(level, maps):
        out = orig(level, maps)
        out.zero[level.zero_biases] = True
        return out
    return layer


def _merged_knots(orig):
    return lambda *args, **kwargs: orig(*args, **{**kwargs, "canonical": True})


def _unscaled_output(orig):
    def scaled(output):
        from certcheck.numbers import const

        return orig(output)[0], const(1)
    return scaled


def _always_nonzero(orig):
    return lambda a: True


def _one_more_triangle(orig):
    return lambda breakpoints, pieces: (lambda t: None if t is None else t + 1)(orig(breakpoints, pieces))


def _falling_pieces_read_higher(orig):
    return lambda p, x: orig(p, x) + (1 if len(p) == 2 and p[1] < 0 else 0)


def _checker_relu_slope_one_on_a_kink(ring):
    def at(act, c, d):
        from mpmath import iv

        out = ring.at(act, c, d)
        return (out[0], iv.mpf(1), False) if act.name == "relu" and out[2] is False else out
    return dataclasses.replace(ring, at=at)


def _checker_remainder_at_the_centre(orig):
    def series(self, point):
        from mpmath import iv

        return orig(self, [iv.mpf(x.mid) for x in point])
    return series


def _checker_reuses_stale_pieces(orig):
    def affine_pass(layers, maps, pieces, inside, reuse=None):
        if reuse:   # a reused neuron keeps the piece it had on the previous piece of the domain
            pieces = [reuse[layer[0]][2] if layer[0] in reuse else j for layer, j in zip(layers, pieces)]
        return orig(layers, maps, pieces, inside, reuse)
    return affine_pass


def _checker_misses_a_root_at_a_breakpoint(orig):
    return lambda self, q: (False, *orig(self, q)[1:])


def _edges_minus_one(orig):
    def counts(cells):
        v, e = orig(cells)
        return v, e - 1
    return counts


def _drop_last_root(orig):
    def real_roots(poly, lo=None, hi=None):
        roots = orig(poly, lo, hi)
        return roots[:-1] if len(roots) > 1 else roots
    return real_roots


def _bound_without_prime_term(orig):
    return 2**62


def _completion_order(orig):
    def sweep(function, parameters, **kwargs):
        from symdepth.sweeps import SweepResult

        result = orig(function, parameters, **kwargs)
        return SweepResult(tuple(sorted(result.outcomes, key=lambda o: o.seconds)), result.seconds)
    return sweep


def _values_hide_failures(orig):
    return property(lambda self: [o.value for o in self.outcomes])


def _html_always_holds(orig):
    return lambda self: orig(self).replace(">fails<", ">holds<")


def _last_interval_open(orig):
    return lambda self: orig(self).replace(r"x \le", "x <")


def _serial_proofs(orig):
    return lambda *args, workers=None, **kwargs: orig(*args, **kwargs)


def _constant_property(value):
    return lambda orig: property(lambda self: value)


def _unthrottled(orig):
    return lambda self, text, final=False: orig(self, text, final=True)


P = "proofs/"
MUTANTS = {
    "crossings+1": Mutant("symdepth.piecewise.crossing_numbers:crossings", _plus_one,
                          (P + "test_tel_cr.py", P + "test_tel_tri.py", P + "test_q_comp.py", P + "test_tel_sep.py",
                           P + "test_tel_net.py", P + "test_tel_poly.py", P + "test_tel_lem.py"), "off by one"),
    "crossings=1 if curved": Mutant("symdepth.piecewise.crossing_numbers:crossings", _crossings_one_if_curved,
                                    (P + "test_tel_poly.py", P + "test_tel_cr.py"), "a plausible constant"),
    "tapoly overstated": Mutant("symdepth.piecewise.crossing_numbers:tapoly", _tapoly_overstated, (P + "test_tel_poly.py",),
                                "(t+1, α+1): the bound gets easier"),
    "from_network = 0": Mutant("symdepth.piecewise.networks:from_network", _zero_function,
                               (P + "test_tel_net.py", P + "test_q_comp.py", P + "test_tel_sep.py",
                                P + "test_tel_cr.py"), "a plausible constant function"),
    "every region disagrees": Mutant("symdepth.piecewise.crossing_numbers:disagreement", _every_region_disagrees,
                                     (P + "test_tel_lem.py",), "overcounts the lemma's left side"),
    "triangles+1": Mutant("symdepth.piecewise.crossing_numbers:count_triangles", _triangles_plus_one, (P + "test_tel_tri.py",),
                          "off by one"),
    "compose ignores f": Mutant("symdepth.piecewise.polynomial:compose", _compose_ignores_outer,
                                (P + "test_tel_tri.py", P + "test_tel_cr.py"), "returns the inner function"),
    "sawtooth not a tent": Mutant("symdepth.piecewise.networks:sawtooth", _sawtooth_not_a_tent,
                                  (P + "test_q_comp.py", P + "test_tel_sep.py", P + "test_tel_cr.py",
                                   P + "test_tel_net.py"), "output weights (1, −1) instead of (1, −2)"),
    "square gate /2": Mutant("symdepth.constructions:square_gate", _scaled_gate(Fraction(1, 2)),
                             (P + "test_rt_sq_square_gate.py", P + "test_rt_p46_power.py",
                              P + "test_rt_thm41_monomial.py"), "the printed normaliser 1/(2σ''(0))"),
    "product gate x2": Mutant("symdepth.constructions:lin_gate", _scaled_gate(2),
                              (P + "test_rt_prod_gate.py", P + "test_rt_thm51_product_tree.py",
                               P + "test_rt_thm41_monomial.py"), "a wrong constant"),
    "identity gate x2": Mutant("symdepth.constructions:identity_gate", _scaled_gate(2),
                               (P + "test_rt_id_gate.py", P + "test_rt_p46_power.py"), "a wrong constant"),
    "rescale by d-1": Mutant("symdepth.check.rescale:rescale", _rescale_wrong_power,
                             (P + "test_rt_p33_rescale.py", P + "test_rt_t34_limit.py"), "A_k/δ^(d−1)"),
    # (a monomial's derivatives are distinct monomials: only sums of monomials can catch this;
    # forms, monomials included, take the moment-matrix path: "moment rank = rows")
    "rank = rows": Mutant("symdepth.bounds.rank:_block_rank", _rank_is_row_count,
                          (P + "test_rt_thm43_sparse.py",),
                          "counts derivatives instead of their span"),
    "random ignores top degree": Mutant("symdepth.check.randomized:_random_line_mismatch", _random_ignores_top_degree,
                                        (P + "test_rt_p46_power.py", P + "test_rt_thm51_product_tree.py"),
                                        "the randomized method compares only degrees below d"),
    "sigmoid cubic sign": Mutant("symdepth.activations:Activation.recipe", _sigmoid_cubic_sign,
                                 (P + "test_rt_sq_square_gate.py", P + "test_rt_id_gate.py",
                                  P + "test_rt_prod_gate.py"), "sigmoid's order-3 coefficient with the wrong sign"),
    "shallow bound + 1": Mutant("symdepth.bounds.formulas:monomial_bounds", _replace_field(shallow=lambda b: b.shallow + 1),
                                (P + "test_rt_thm41_monomial.py",), "the shallow monomial bound record off by one"),
    "leftover value charged": Mutant("symdepth.constructions:product_tree_count", _leftover_value_charged,
                                     (P + "test_rt_thm51_product_tree.py",),
                                     "product_tree_count wrong when a value is left over"),
    "compose drops a preimage": Mutant("symdepth.piecewise.polynomial:_linear_cuts", _drop_one_cut, (P + "test_tel_poly.py",),
                                       "compose drops the preimage of one breakpoint under a linear inner piece"),
    "leaky ReLU as ReLU": Mutant("symdepth.piecewise.linear:linear_activation", _leaky_as_relu,
                                 (P + "test_tel_net.py", P + "test_q_comp.py"),
                                 "leaky ReLU treated as ReLU in from_network"),
    "uniform half box": Mutant("symdepth.uniform.search:box_intervals", _half_box,
                               (P + "test_rt_p33_rescale.py", P + "test_rt_t34_limit.py"),
                               "the uniform proofs covering half the box"),
    "regions = distinct outputs": Mutant("symdepth.piecewise.regions:regions_2d", _regions_by_affine_output,
                                         ("tests/test_regions.py",),
                                         "regions_2d counting distinct affine outputs, not regions"),
    "output-bias bound + 1": Mutant("symdepth.bounds.shallow:shallow_lower_bound", _bound_shifted("output-bias", 1),
                                    (P + "test_rt_models_width.py",), "a model's shallow bound off by one, up"),
    "rt bound - 1": Mutant("symdepth.bounds.shallow:shallow_lower_bound", _bound_shifted("rt", -1),
                           (P + "test_rt_models_width.py",), "a model's shallow bound off by one, down"),
    "skip bound + 1": Mutant("symdepth.bounds.shallow:shallow_lower_bound", _bound_shifted("output-bias+skip", 1),
                             (P + "test_rt_models_width.py",), "the skip model's shallow bound off by one, up"),
    "uniform cell bound / 2": Mutant("symdepth.uniform.enclosure:_cell_bound", _cell_bound_halved, ("tests/test_uniform.py",),
                                     "the cell bound of the uniform proof shrunk by half"),
    "ReLU slope 1 on a kink": Mutant("symdepth.series.balls:activation_balls", _relu_slope_one_on_a_kink,
                                     ("tests/test_uniform.py::test_a_relu_kink_inside_a_cell_takes_the_derivative_hull[balls]",),
                                     "a ReLU's derivative over a cell holding its kink taken as 1, not [0, 1] (issue 28)"),
    "batched: ReLU slope 1 on a kink": Mutant(
        "symdepth.uniform.batched:_activate", _batched_relu_slope_one_on_a_kink,
        ("tests/test_uniform.py::test_a_relu_kink_inside_a_cell_takes_the_derivative_hull[auto]",),
        "the batched engine's ReLU derivative over a cell holding its kink taken as 1, not [0, 1]"),
    "batched: products not widened": Mutant(
        "symdepth.uniform.outward:matmul", _matmul_unwidened, ("tests/test_uniform_batched.py",),
        "the batched engine's matrix products without the rounding and radius bound (plain float)"),
    "uniform bound rounded to nearest": Mutant("symdepth.uniform.enclosure:float_up", _rounded_to_nearest,
                                               ("tests/test_uniform.py::test_a_bound_within_a_float_ulp_of_eps_is_compared_exactly[balls]",),
                                               "the proven bound rounded to the nearest float, not up (issue 29)"),
    "ONNX fold drops a bias": Mutant("symdepth.frameworks.onnx_graph:_Chain.matrix", _fold_drops_the_bias,
                                     ("tests/test_onnx_graph.py::test_consecutive_affine_maps_are_composed_exactly",),
                                     "consecutive affine maps composed without the later map's bias"),
    "ONNX fold transposes a square weight": Mutant(
        "symdepth.frameworks.onnx_graph:_Chain.matrix", _fold_transposed,
        ("tests/test_onnx_graph.py::test_a_wide_fold_is_fast_enough_and_a_huge_one_is_a_budget",),
        "a square weight transposed when folded into the map before it"),
    "uniform remainder dropped": Mutant("symdepth.uniform.enclosure:_remainder", _remainder_dropped,
                                        ("tests/test_uniform.py",), "the Taylor model without its remainder term"),
    "ball series: constant term only": Mutant("symdepth.series:BallSeries.magnitude", _magnitude_of_constant_only,
                                              ("tests/test_uniform.py",),
                                              "the Taylor model's polynomial part bounded by its value at the centre"),
    "moment rank = rows": Mutant("symdepth.bounds.rank:_moment_rank", _moment_rank_is_row_count,
                                 (P + "test_rt_thm41_monomial.py", P + "test_rt_thm43_sparse.py"),
                                 "counts a form's order-s derivatives instead of their span"),
    "rank over Q mod 3001 (forms)": Mutant("symdepth.bounds.rank:_rank_over_q", _rank_over_q_mod_small_prime,
                                           (P + "test_rt_thm43_sparse.py",),
                                           "the rank over Q computed modulo a prime of a few thousand"),
    "rank over Q mod 3001": Mutant("symdepth.bounds.rank:_block_rank", _block_rank_mod_small_prime,
                                   (P + "test_rt_thm43_sparse.py",),
                                   "the rank over Q computed modulo a prime of a few thousand"),
    "thm44 simple /d": Mutant("symdepth.bounds.formulas:monomial_bounds",
                              _replace_field(thm44_simple=lambda b: Fraction(b.shallow, sum(b.exponents))),
                              (P + "test_rt_thm44.py",), "the printed ∏(r_i+1)/d"),
    "thm44 + 1": Mutant("symdepth.bounds.formulas:monomial_bounds", _replace_field(thm44=lambda b: b.thm44 + 1),
                        (P + "test_rt_thm44.py", P + "test_rt_thm42_taylor.py"), "off by one"),
    "sparse bound /(c+1)": Mutant("symdepth.bounds.formulas:sparse_bound",
                                  _replace_field(bound=lambda b: b.bound * b.monomials / (b.monomials + 1)),
                                  (P + "test_rt_thm43_sparse.py",), "a wrong constant"),
    "vandermonde weight": Mutant("symdepth.constructions:univariate_shallow", _output_weights_scaled(Fraction(101, 100)),
                                 (P + "test_rt_p45_vandermonde.py",), "one output weight 1% off"),
    "shallow monomial weight": Mutant("symdepth.constructions:shallow_monomial", _output_weights_scaled(-1),
                                      (P + "test_rt_thm41_monomial.py", P + "test_rt_thm42_taylor.py",
                                       P + "test_rt_t34_limit.py"), "one output weight negated"),
    "deep_power_count+1": Mutant("symdepth.constructions:deep_power_count", _plus_one, (P + "test_rt_p46_power.py",),
                                 "off by one"),
    "eq2+1": Mutant("symdepth.bounds.products:eq2_neurons", _plus_one, (P + "test_rt_thm51_product_tree.py",), "off by one"),
    "product_bound+1": Mutant("symdepth.bounds.products:product_bound", _replace_field(neurons=lambda b: b.neurons + 1),
                              (P + "test_rt_thm51_product_tree.py",), "not the optimum"),
    "widths all n^(1/k)": Mutant("symdepth.bounds.products:recursion_widths", _equal_widths,
                                 (P + "test_rt_eq5_recursion.py", P + "test_rt_fig1_widths.py"),
                                 "a plausible constant"),
    "lagrange widths 1e-12 off": Mutant("symdepth.bounds.products:lagrange_widths", _perturbed_widths,
                                        (P + "test_rt_eq5_recursion.py",), "a wrong constant"),
    "rule off at 10^m": Mutant("symdepth.bounds.products:depth_rule_of_thumb", _rule_off_at_powers_of_ten,
                               (P + "test_rt_c52_rule.py",), "the printed strict inequality"),
    "closed form n^(1/k)": Mutant("symdepth.bounds.products:product_bound",
                                  _replace_field(closed_form=lambda b: b.closed_form / b.n ** ((b.k - 1) / b.k)),
                                  (P + "test_rt_fig2_empirical.py",), "drops the factor n^((k−1)/k)"),
    "radial net coarse": Mutant("symdepth.constructions:radial_net", _coarse_radial, (P + "test_es_rad.py",),
                                "knots/8"),
    "overparametrization first line": Mutant("symdepth.dynamics:scalar_overparametrization", _printed_first_line,
                                             (P + "test_ach_op.py",), "w1^(t+1) w2^(t)"),
    "end-to-end one summand": Mutant("symdepth.dynamics:end_to_end_residual", _one_summand,
                                     (P + "test_ach_e2e.py",), "the printed Σ_i with fixed j"),
    "sign at left end": Mutant("symdepth.piecewise.algebraic:RealAlgebraic.sign_of", _sign_at_left_end,
                               (P + "test_tel_cr.py", "tests/test_algebraic.py"), "sign decided at the interval end"),
    "assumptions dropped": Mutant("symdepth.check.taylor:check_taylor", _no_assumptions,
                                  (P + "test_rt_thm42_taylor.py", P + "test_rt_prod_gate.py"), "forgets σ_k ≠ 0"),
    "canonical keeps collinear knots": Mutant("symdepth.piecewise.linear:Knots.canonical", _keep_collinear,
                                              (P + "test_tel_net.py", "tests/test_piecewise.py"),
                                              "overcounts pieces"),
    "cut moved by one unit": Mutant("symdepth.piecewise.affine_maps:PatternMaps.line", _cut_moved, ("tests/test_regions.py",),
                                    "a boundary moved by one unit of the layer's denominator"),
    "float signs trusted": Mutant("symdepth.piecewise.cells:_SPARE", _float_signs_trusted,
                                  ("tests/test_regions.py::test_vertices_on_lines_with_non_dyadic_coefficients",),
                                  "the sign of a rounded value taken as exact"),
    "map error bounds dropped": Mutant("symdepth.piecewise.affine_maps:_SPARE", _float_signs_trusted,
                                       ("tests/test_regions_float.py::test_float_maps_enclose_the_exact_maps",),
                                       "float maps taken as exact"),
    "crossing vertices taken as floats": Mutant("symdepth.piecewise.cells:_crossing_vertices", _vertex_bounds_zero,
                                                ("tests/test_regions_float.py::test_vertex_bounds_hold[0-float64]",),
                                                "a new vertex's rounding ignored"),
    "cuts of one pass overlap": Mutant("symdepth.piecewise.regions:_passes", _overlapping_passes,
                                       ("tests/test_regions.py::test_regions_against_exact_evaluation[0]",),
                                       "two lines cut the same cell in one pass"),
    "zero maps from the bias alone": Mutant("symdepth.piecewise.affine_maps:float_layer", _zero_where_bias_zero,
                                           ("tests/test_regions_float.py::test_float_maps_enclose_the_exact_maps",),
                                           "a neuron with bias 0 taken as silent"),
    "edges-1": Mutant("symdepth.piecewise.cells:_graph_counts", _edges_minus_one, ("tests/test_regions.py",), "off by one"),
    "certificate pieces from merged knots": Mutant("symdepth.piecewise.certify:network_knots", _merged_knots,
                                                   ("tests/test_certificates.py::"
                                                    "test_network_crossings_certificates_of_random_networks",),
                                                   "a neuron switching inside a certificate's piece"),
    "checker drops the output's divisors": Mutant("certcheck.network:_scaled_output", _unscaled_output,
                                                  ("tests/test_certificates.py::test_output_weights_over_sums_of_constants",),
                                                  "a network stated over log(3/2) read as if not"),
    "checker takes every divisor as nonzero": Mutant("certcheck.numbers:nonzero", _always_nonzero,
                                                     ("tests/test_certificates.py::test_output_weights_over_sums_of_constants",),
                                                     "a divisor equal to 0 accepted"),
    "checker counts a triangle more": Mutant("certcheck.crossings:_triangles", _one_more_triangle,
                                             ("tests/test_certificates.py::test_tapoly_and_triangle_certificates_and_tampering",),
                                             "off by one"),
    "checker misreads falling pieces": Mutant("certcheck.crossings:_value", _falling_pieces_read_higher,
                                              ("tests/test_certificates.py::test_disagreement_certificates_against_the_engine_and_tampering",),
                                              "an indicator read on the wrong side"),
    "checker: ReLU slope 1 on a kink": Mutant("certcheck.uniform:IV", _checker_relu_slope_one_on_a_kink,
                                              ("tests/test_certcheck_uniform.py::test_a_kink_inside_the_cell_keeps_the_slopes_hull[1]",),
                                              "the issue's planted bug, in the checker"),
    "checker: remainder at the centre": Mutant("certcheck.uniform:Difference.__call__", _checker_remainder_at_the_centre,
                                               ("tests/test_certcheck_uniform.py::test_a_kink_inside_the_cell_keeps_the_slopes_hull[4]",),
                                               "Taylor's remainder enclosed at the centre, not over the cell"),
    "checker reuses a neuron's stale piece": Mutant("certcheck.network:affine_pass", _checker_reuses_stale_pieces,
                                                    ("tests/test_certificates.py::test_crossings_certificates_and_tampering",),
                                                    "a pattern read from the previous piece"),
    "checker misses a root at a breakpoint": Mutant("certcheck.crossings:_Algebraic.around",
                                                    _checker_misses_a_root_at_a_breakpoint,
                                                    ("tests/test_certificates.py::test_algebraic_breakpoints_and_their_tampering",),
                                                    "f = τ at an algebraic breakpoint read as f < τ"),
    "every constant difference nonzero": Mutant("symdepth.check.values:_ball_excludes_zero", lambda orig: lambda expr: True,
                                                ("tests/test_check.py::test_a_constant_difference_is_decided_rigorously[difference0-False]",),
                                                "log(4) - 2 log(2) taken as a mismatch"),
    "last root dropped": Mutant("symdepth.piecewise.algebraic:real_roots", _drop_last_root,
                                ("tests/test_algebraic.py", P + "test_tel_poly.py", P + "test_tel_cr.py"),
                                "loses a root"),
    "prime count 2^62": Mutant("symdepth.check.randomized:_PRIMES_1_MOD_4", _bound_without_prime_term,
                               ("tests/test_check.py::test_error_bound_covers_primes_dividing_the_difference",),
                               "overstates the admissible primes"),
    "sweep in completion order": Mutant("symdepth.sweeps:sweep", _completion_order,
                                        ("tests/test_sweeps.py::test_thread_pool_and_progress",),
                                        "results as they finish, not in input order"),
    "sweep values hide failures": Mutant("symdepth.sweeps:SweepResult.values", _values_hide_failures,
                                         ("tests/test_sweeps.py::test_thread_pool_and_progress",),
                                         "None for a failed parameter instead of an error"),
    "html verdict holds": Mutant("symdepth.check.record:TaylorCheck._repr_html_", _html_always_holds,
                                 ("tests/test_display.py::test_taylor_check",), "a plausible constant"),
    "cases last interval open": Mutant("symdepth.piecewise.polynomial:PiecewisePolynomial._repr_latex_", _last_interval_open,
                                       ("tests/test_display.py",),
                                       "the closed domain's right end left out"),
    "prove ignores workers": Mutant("symdepth.prove:run_proofs", _serial_proofs,
                                    ("tests/test_prove.py::test_workers_really_run_in_xdist_workers",),
                                    "--workers silently serial"),
    "constant term not compared": Mutant(
        "symdepth.check.problem:_Problem.constant_mismatch", _constant_property(None),
        ("tests/test_check.py::test_constant_term_is_compared_in_the_randomized_check_too",), "a plausible constant"),
    "everything rational": Mutant("symdepth.check.problem:_Problem.rational", _constant_property(True),
                                  ("tests/test_check.py::test_random_method_refuses_symbolic_coefficients",),
                                  "symbolic coefficients sent to GF(p)"),
    "progress line unthrottled": Mutant("symdepth.display:ProgressLine.show", _unthrottled,
                                        ("tests/test_display.py::test_progress_line_throttles_and_clears",),
                                        "every update written"),
}


def pytest_addoption(parser: Any) -> None:
    parser.addoption("--mutant", help="install this breakage from tests/mutants.py before collection")
    parser.addoption("--mutant-report", help="write the failures per file (JSON) here")


def install(name: str) -> None:
    """Replace the mutant's target in every loaded symdepth or certcheck module that holds it."""
    mutant = MUTANTS[name]
    module_name, attribute = mutant.target.split(":")
    module = importlib.import_module(module_name)
    owner: Any = module
    *path, last = attribute.split(".")
    for part in path:
        owner = getattr(owner, part)
    original = getattr(owner, last)
    replacement = mutant.make(original)
    setattr(owner, last, replacement)
    if path:
        return
    for loaded in list(sys.modules.values()):
        if getattr(loaded, "__name__", "").startswith(("symdepth", "certcheck")):
            for key, value in list(vars(loaded).items()):
                if value is original:
                    setattr(loaded, key, replacement)


class _Recorder:
    def __init__(self, path: str | None) -> None:
        self.path = path
        self.failed: list = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_setup(self, item: Any) -> None:
        if any(f.split("::")[0] == item.nodeid.split("::")[0] for f in self.failed):
            pytest.skip("this file already failed under the mutant")

    def pytest_runtest_logreport(self, report: Any) -> None:
        if report.failed:
            self.failed.append(report.nodeid)

    def pytest_sessionfinish(self) -> None:
        if self.path:
            with open(self.path, "w") as handle:
                json.dump(self.failed, handle)


def pytest_configure(config: Any) -> None:
    name = config.getoption("--mutant")
    if name:
        install(name)
    if name or config.getoption("--mutant-report"):
        config.pluginmanager.register(_Recorder(config.getoption("--mutant-report")), "mutant-recorder")
