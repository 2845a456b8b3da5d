"""Certificates of the piecewise engines: ``crossings`` (the pieces of f, and when f is a
network's function, each piece's activation pattern) and ``regions`` (the polygons of a
2-D partition with their patterns), for ``certcheck``.

A network's pieces are refined until every neuron keeps one piece of its activation on each
(a canonical piece merges intervals on which a neuron switches without changing f): on an
interval, the pattern at an interior point fixes every pre-activation as an affine function;
where one of them reaches a kink inside, the interval is split there and both parts are
taken again.
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

import flint

from ..certificates import NotCertifiable, document
from ..errors import BudgetError
from ..evaluation import layer_plan
from ..numbers import as_fraction, json_number
from .algebraic import RealAlgebraic, is_infinite
from .linear import linear_activation, network_knots

# the checker's time at these sizes, on this machine: about 5 s for 200,000 pieces (Sturm
# sequences per piece), about 20 s for 2^21 pattern entries (pieces × neurons: a neuron's
# affine map re-derived in exact rationals on a piece where a neuron upstream changed, its
# pre-activation evaluated at the piece's end; TEL-SEP's 65,536 pieces of a 32-neuron network)
MAX_CERTIFIED_PIECES = 200_000
MAX_CERTIFIED_PATTERNS = 2**21
MAX_CERTIFIED_REGIONS = 200_000


def _end(b: Any) -> int | str | dict:
    if is_infinite(b):
        return "inf" if b > 0 else "-inf"
    if isinstance(b, RealAlgebraic):
        return {"root": _polynomial(b.poly), "in": [json_number(b.lo), json_number(b.hi)]}
    return json_number(b)


def _ends(breakpoints: list) -> list:
    """The breakpoints as the checker reads them, an algebraic one's isolating interval halved
    until it lies between its neighbours (the checker reads the order from the intervals)."""
    def low(b: Any) -> Any:
        return b.lo if isinstance(b, RealAlgebraic) else b

    def high(b: Any) -> Any:
        return b.hi if isinstance(b, RealAlgebraic) else b

    for a, b in zip(breakpoints, breakpoints[1:]):
        while not is_infinite(a) and not is_infinite(b) and high(a) > low(b):
            wider = max((x for x in (a, b) if isinstance(x, RealAlgebraic)), key=lambda x: x.hi - x.lo)
            wider.refine()
    return [_end(b) for b in breakpoints]


def _polynomial(p: Any) -> list:
    return [json_number(Fraction(int(c.p), int(c.q))) for c in p.coeffs()]


def crossings_certificate(count: int, f: Any, threshold: object = Fraction(1, 2)) -> dict:
    """The certificate of a :func:`~symdepth.piecewise.crossings` verdict."""
    tau = as_fraction(threshold)
    return document("crossings", f"Cr(f) = {count} at threshold {tau} (Telgarsky's crossing number)",
                    threshold=json_number(tau), count=count, **_function(f))


def shape_certificate(f: Any, field: str, value: Any) -> dict:
    """The certificate (kind ``crossings``, with the pieces of f) of what
    :func:`~symdepth.piecewise.tapoly` (``field`` "tapoly", ``value`` (t, α) of f's canonical
    form) or :func:`~symdepth.piecewise.count_triangles` ("triangles", t of a
    (t, [0, 1])-triangle, None for not one) says of f."""
    if field == "tapoly":
        statement, value = f"f is a {tuple(value)}-poly", list(value)
    elif f.degree > 1:
        raise NotCertifiable("the checker counts the triangles of piecewise-linear functions only")
    else:
        statement = "f is not a (t, [0, 1])-triangle" if value is None else f"f is a ({value}, [0, 1])-triangle"
    return document("crossings", f"{statement} (Telgarsky)", **{field: value}, **_function(f, field == "tapoly"))


def _function(f: Any, algebraic: bool = True) -> dict:
    """The fields that give f: its breakpoints and pieces, and when f is a network's
    function, the network and each piece's activation pattern."""
    if f._source is not None:
        net, (lo, hi) = f._source
        if f.num_pieces * net.num_neurons > MAX_CERTIFIED_PATTERNS:
            raise NotCertifiable(f"{f.num_pieces:,} pieces of a {net.num_neurons}-neuron network: more activation "
                                 f"patterns than a certificate holds ({MAX_CERTIFIED_PATTERNS:,} entries)")
        breakpoints, patterns, outputs = _network_pieces(net, lo, hi)
        return {"network": json.loads(net.to_json()), "breakpoints": [_end(b) for b in breakpoints],
                "pieces": [[json_number(c) for c in line] for line in outputs], "patterns": patterns}
    return _pieces(f, algebraic)


def _pieces(f: Any, algebraic: bool = True) -> dict:
    """f's breakpoints and pieces as a certificate states them (algebraic breakpoints only
    where the checker reads them: Cr and (t, α))."""
    if not algebraic and any(isinstance(b, RealAlgebraic) for b in f.breakpoints):
        raise NotCertifiable("a breakpoint is an algebraic number; the checker takes rational breakpoints here")
    if f.num_pieces > MAX_CERTIFIED_PIECES:
        raise NotCertifiable(f"{f.num_pieces:,} pieces, more than a certificate holds ({MAX_CERTIFIED_PIECES:,})")
    return {"breakpoints": _ends(list(f.breakpoints)), "pieces": [_polynomial(p) for p in f.polys]}


def disagreement_certificate(result: Any, f: Any, g: Any, threshold: object = Fraction(1, 2)) -> dict:
    """The certificate (kind ``disagreement``) of a :func:`~symdepth.piecewise.disagreement`
    verdict: the pieces of f and g, the counts and whether the lemma's bound holds."""
    if f.degree > 1 or g.degree > 1:
        raise NotCertifiable("the checker counts disagreements of piecewise-linear functions only")
    tau = as_fraction(threshold)
    return document("disagreement", f"{result.regions} regions of I_f where f and g disagree throughout, against "
                    f"s_f/2 - s_g = {result.bound} (Telgarsky's lemma)", threshold=json_number(tau), f=_pieces(f, False),
                    g=_pieces(g, False), regions=result.regions, s_f=result.s_f, s_g=result.s_g, holds=result.holds)


def _network_pieces(net: Any, lo: Any, hi: Any) -> tuple:
    """Breakpoints, and per piece the activation pattern every neuron keeps on it and the
    network's (intercept, slope) there, from left to right: the knots of the network's
    function before merging (every point where a neuron changes its piece), the patterns
    read at each piece's middle in one exact product a layer."""
    try:
        knots = network_knots(net, lo, hi, max_pieces=MAX_CERTIFIED_PIECES, canonical=False)
    except BudgetError:
        raise NotCertifiable(f"more than {MAX_CERTIFIED_PIECES:,} pieces for a certificate") from None
    if knots is None:
        raise NotCertifiable("a neuron of the network is not piecewise linear")
    xs, ys = knots.x.to_fractions(), knots.y.to_fractions()
    breakpoints = [lo] * is_infinite(lo) + xs + [hi] * is_infinite(hi)
    lines = [((y1 - y0) / (x1 - x0), x0, y0) for x0, x1, y0, y1 in zip(xs, xs[1:], ys, ys[1:])]
    left, right = (Fraction(int(v.p), int(v.q)) for v in (flint.fmpq(knots.left), flint.fmpq(knots.right)))
    lines = [(left, xs[0], ys[0])] * is_infinite(lo) + lines + [(right, xs[-1], ys[-1])] * is_infinite(hi)
    middles = [_inside(a, b) for a, b in zip(breakpoints, breakpoints[1:])]
    return breakpoints, _patterns(net, middles), [(y - slope * x, slope) for slope, x, y in lines]


def _patterns(net: Any, points: list) -> list:
    """Each neuron's piece of its activation (the number of its cuts at or below its
    pre-activation) at each point, exactly: one fmpq_mat product a layer for all points."""
    plan = layer_plan(net)
    current = {plan.inputs[0]: [flint.fmpq(x.numerator, x.denominator) for x in points]}
    pieces = {}
    for layer in plan.layers:
        pre = layer.matrix * flint.fmpq_mat([current[u] for u in layer.sources])
        for i, (node, bias, act) in enumerate(zip(layer.nodes, layer.biases, layer.activations)):
            u = [pre[i, k] + flint.fmpq(as_fraction(bias).numerator, as_fraction(bias).denominator)
                 for k in range(len(points))]
            if act is None:
                continue
            act = linear_activation(act)
            if act is None:
                raise NotCertifiable(f"neuron {node!r} is not piecewise linear")
            piece = [sum(1 for c in act.cuts if v >= c) for v in u]
            pieces[node] = piece
            current[node] = [act.slopes[j] * v + act.intercepts[j] for j, v in zip(piece, u)]
    return [list(row) for row in zip(*(pieces[node] for node in net.neurons))]


def _inside(a: Any, b: Any) -> Fraction:
    """A rational point inside (a, b) (ends may be infinite)."""
    if is_infinite(a) and is_infinite(b):
        return Fraction(0)
    if is_infinite(a):
        return b - 1
    if is_infinite(b):
        return a + 1
    return (a + b) / 2


def regions_certificate(result: Any) -> dict:
    """The certificate of a :func:`~symdepth.piecewise.regions_2d` verdict."""
    if result.num_regions > MAX_CERTIFIED_REGIONS:
        raise NotCertifiable(f"{result.num_regions:,} regions, more than a certificate holds "
                             f"({MAX_CERTIFIED_REGIONS:,})")
    net = result._network
    plane = None if result._slice is None else [[json_number(as_fraction(c)) for c in vec] for vec in result._slice]
    return document("regions", f"{result.num_regions} linear regions of the network on the box, exactly",
                    network=json.loads(net.to_json()), box=[[json_number(a), json_number(b)] for a, b in result.box],
                    slice=plane, neurons=[str(n) for n in result.neurons], count=result.num_regions,
                    regions=[{"vertices": [[json_number(s), json_number(t)] for s, t in r.vertices],
                              "pattern": list(r.pattern)} for r in result.regions])
