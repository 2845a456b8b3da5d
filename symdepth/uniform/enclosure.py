"""Rigorous enclosures of f = N − p on a cell by ball arithmetic (python-flint ``arb``): the
mean value form |f(c)| + Σ_i sup|∂_i f|·r_i with f and its gradient evaluated forward, and a
Taylor model (f's coefficients at the centre, computed at that point in a series ring over
balls, plus a remainder of order K enclosed over the cell).  Bounds leave as floats rounded
up (:func:`float_up`), never to nearest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint

from ..parsing import polynomial_terms
from ..series import BallLineSeries, BallSeries, activation_balls, ball, network_series


def exact_value(x: Any) -> Fraction:
    """An exact ``arb`` (radius 0, such as ``x.upper()``) as the rational it is."""
    mantissa, exponent = x.man_exp()
    return Fraction(int(mantissa)) * Fraction(2) ** int(exponent)


def float_at_least(q: Fraction) -> float:
    """The least float ≥ q (inf beyond the floats)."""
    try:
        value = float(q)  # float: rounded to nearest, corrected upwards below
    except OverflowError:
        return math.inf
    return value if Fraction(value) >= q else math.nextafter(value, math.inf)


def float_at_most(q: Fraction) -> float:
    """The greatest float ≤ q."""
    try:
        value = float(q)  # float: rounded to nearest, corrected downwards below
    except OverflowError:
        return -math.inf if q < 0 else 1.7976931348623157e308
    return value if Fraction(value) <= q else math.nextafter(value, -math.inf)


def float_up(x: Any) -> float:
    """The least float at or above the upper end of the ball ``x`` (inf beyond the floats)."""
    return float_at_least(exact_value(x.upper()))


def float_down(x: Any) -> float:
    """The greatest float at or below the lower end of the ball ``x``."""
    return float_at_most(exact_value(x.lower()))


MAX_TAYLOR_PAIRS = 200_000  # size of the Taylor model's product table; many inputs get a lower order
PRECISION = 128  # bits; the output weights of a rescaled network reach 1/δ^d, so 53 would cancel away


@dataclass(frozen=True)
class _Compiled:
    """The network with arb weights, in topological order, and the target's terms."""

    net: Any
    inputs: tuple
    order: tuple          # (node, activation, bias, ((source, weight), ...)) for neurons, then the output
    target: tuple         # ((exponents, arb coefficient), ...)
    taylor_order: int     # analytic activations: the Taylor model's order K (0: none)
    ring: Any             # BallSeries of order K − 1 for the coefficients at a cell's centre


def _compile(net: Any, target: Any) -> _Compiled:
    import networkx as nx

    net.validate()
    g = net.graph
    order = []
    for node in nx.topological_sort(g):
        kind = g.nodes[node]["kind"]
        if kind == "input":
            continue
        sources = tuple((u, ball(w)) for u, _, w in g.in_edges(node, data="weight"))
        act = g.nodes[node].get("activation") if kind == "neuron" else None
        order.append((node, act, ball(g.nodes[node].get("bias", 0)), sources))
    _, terms = polynomial_terms(target, net.inputs)
    analytic = all(act is None or act.is_analytic for _, act, _, _ in order)
    degree = max((sum(m) for m in terms), default=0)
    # The model must reach past the target's degree (below it N − p need not be small): two
    # orders past it, capped, and lowered when the ring's product table would grow too large.
    n = net.num_inputs
    K = min(degree + 2, 12 if n == 1 else 8) if analytic else 0
    while K > 1 and math.comb(2 * n + K - 1, K - 1) > MAX_TAYLOR_PAIRS:  # the ring's product table
        K -= 1
    K = K if K > 1 else 0
    ring = BallSeries(K - 1, net.num_inputs) if K else None
    return _Compiled(net, tuple(net.inputs), tuple(order), tuple((m, ball(c)) for m, c in terms.items()), K, ring)


def _forward(compiled: _Compiled, point: Sequence[Any]) -> dict:
    """Node → (pre-activation, value) as arb balls at the box ``point`` (one ball per input)."""
    values: dict = {name: (x, x) for name, x in zip(compiled.inputs, point)}
    for node, act, bias, sources in compiled.order:
        pre = bias
        for u, w in sources:
            pre = pre + w * values[u][1]
        values[node] = (pre, pre if act is None else activation_balls(act, pre)[0])
    return values


def _difference(compiled: _Compiled, point: Sequence[Any]) -> tuple:
    """(f, ∇f) for f = N − p over the arb box ``point`` (one ball per input)."""
    n = len(point)
    zero = flint.arb(0)
    values: dict = {}
    for i, name in enumerate(compiled.inputs):
        values[name] = (point[i], [flint.arb(1) if j == i else zero for j in range(n)])
    output = None
    for node, act, bias, sources in compiled.order:
        pre, grad = bias, [zero] * n
        for u, w in sources:
            v, dv = values[u]
            pre = pre + w * v
            grad = [a + w * b for a, b in zip(grad, dv)]
        if act is None:
            output = (pre, grad)
            continue
        value, slope = activation_balls(act, pre)
        values[node] = (value, [slope * a for a in grad])
    assert output is not None
    f, df = output
    for m, c in compiled.target:
        term, partials = c, [c] * n
        for i, e in enumerate(m):
            if e:
                term = term * point[i] ** e
        for j in range(n):
            if m[j] == 0:
                partials[j] = zero
                continue
            p = c * m[j]
            for i, e in enumerate(m):
                p = p * point[i] ** (e - (i == j)) if (e - (i == j)) else p
            partials[j] = p
        f = f - term
        df = [a - b for a, b in zip(df, partials)]
    return f, df


def _cell_bound(compiled: _Compiled, lo: tuple, hi: tuple) -> tuple:
    """(upper bound of |f| on the cell, |f(centre)| as an arb ball, the centre)."""
    centre = tuple((a + b) / 2 for a, b in zip(lo, hi))
    f_c, _ = _difference(compiled, [ball(c) for c in centre])
    cell = [ball(c).union(ball(a)).union(ball(b)) for c, a, b in zip(centre, lo, hi)]
    f_x, grad = _difference(compiled, cell)
    mean_value = abs(f_c).upper()
    for g, a, b in zip(grad, lo, hi):
        mean_value = mean_value + abs(g).upper() * ball((b - a) / 2)
    bound = min(float_up(mean_value), float_up(abs(f_x)))
    if compiled.taylor_order:
        radii = [(b - a) / 2 for a, b in zip(lo, hi)]
        bound = min(bound, _taylor_model_bound(compiled, centre, cell, radii))
    return bound, f_c, centre


def _centre_series(compiled: _Compiled, centre: tuple) -> Any:
    """f(c + h) = N(c + h) − p(c + h) in h, as a :class:`BallSeries` of order K − 1."""
    ring = compiled.ring
    point = [ball(c) for c in centre]
    values = _forward(compiled, point)
    output = next(values[node][0] for node, act, _, _ in compiled.order if act is None)
    f = ring.add_scalar(network_series(compiled.net, ring, values), output)
    return _minus_target(compiled, ring, f, point)


def _remainder(compiled: _Compiled, cell: Sequence[Any], directions: Sequence[Any]) -> Any:
    """An enclosure of g^(K)(τ)/K! for g(s) = f(x + s·u), over every x in the cell, u in
    ``directions`` and τ in [0, 1]: the K-th coefficient of the series of f at the cell's
    values (the network's through :func:`~symdepth.series.network_series`, so each activation
    is expanded by its recipe around its value over the cell)."""
    K = compiled.taylor_order
    ring = BallLineSeries(K, directions)
    values = _forward(compiled, cell)
    with ring.active():
        return ring.coefficients(_minus_target(compiled, ring, network_series(compiled.net, ring, values), cell))[K]


def _minus_target(compiled: _Compiled, ring: Any, f: Any, point: Sequence[Any]) -> Any:
    """f − p(point + the ring's variables), in either ball ring."""
    shifted = [ring.add_scalar(ring.variable(i), x) for i, x in enumerate(point)]
    for m, c in compiled.target:
        term = ring.add_scalar(ring.zero(), c)
        for x, e in zip(shifted, m):
            for _ in range(e):
                term = ring.mul(term, x)
        f = ring.sub(f, term)
    return f


def _taylor_model_bound(compiled: _Compiled, centre: tuple, cell: Sequence[Any], radii: Sequence[Fraction]) -> float:
    """Taylor's theorem along each segment from the centre c to a point c + h of the cell:
    |f(c + h)| ≤ Σ_{|α|<K} |f_α(c)|·r^α + sup |g^(K)(τ)/K!|.  The coefficients f_α(c) are
    computed at a point (:func:`_centre_series`), so the cancellation in N − p survives in
    them up to order K; only the remainder is enclosed over the cell.  In one variable the
    direction is 1 and the remainder is scaled by r^K (no wrapping of h); in several, the
    directions are the balls [−r_i, r_i]."""
    K = compiled.taylor_order
    r = [ball(x) for x in radii]
    one = len(r) == 1
    remainder = abs(_remainder(compiled, cell, [flint.arb(1)] if one else [flint.arb(0, x) for x in r])).upper()
    if one:
        remainder = remainder * r[0] ** K
    total = compiled.ring.magnitude(_centre_series(compiled, centre), r) + remainder
    return float_up(total)
