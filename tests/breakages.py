"""The breakages of :mod:`tests.mutants`: each takes the original function (or value) and
returns a plausible wrong one — a wrong constant, an off-by-one, a dropped case."""

from __future__ import annotations

import dataclasses
from fractions import Fraction


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
