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

from ..certificates import NotCertifiable, document
from ..numbers import as_fraction, json_number
from .algebraic import is_infinite
from .linear import linear_activation

MAX_CERTIFIED_PIECES = 200_000
# pieces × neurons of a network's crossings certificate: the checker re-derives every neuron's
# affine map on every piece in exact rationals (about 20 µs each)
MAX_CERTIFIED_PATTERNS = 200_000


def _end(b: Any) -> int | str:
    if is_infinite(b):
        return "inf" if b > 0 else "-inf"
    if not isinstance(b, Fraction):
        raise NotCertifiable("a breakpoint is an algebraic number; the checker takes rational breakpoints")
    return json_number(b)


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
    return document("crossings", f"{statement} (Telgarsky)", **{field: value}, **_function(f))


def _function(f: Any) -> dict:
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
    return _pieces(f)


def _pieces(f: Any) -> dict:
    """f's breakpoints and pieces as a certificate states them."""
    if f.num_pieces > MAX_CERTIFIED_PIECES:
        raise NotCertifiable(f"{f.num_pieces:,} pieces, more than a certificate holds ({MAX_CERTIFIED_PIECES:,})")
    return {"breakpoints": [_end(b) for b in f.breakpoints], "pieces": [_polynomial(p) for p in f.polys]}


def disagreement_certificate(result: Any, f: Any, g: Any, threshold: object = Fraction(1, 2)) -> dict:
    """The certificate (kind ``disagreement``) of a :func:`~symdepth.piecewise.disagreement`
    verdict: the pieces of f and g, the counts and whether the lemma's bound holds."""
    if f.degree > 1 or g.degree > 1:
        raise NotCertifiable("the checker counts disagreements of piecewise-linear functions only")
    tau = as_fraction(threshold)
    return document("disagreement", f"{result.regions} regions of I_f where f and g disagree throughout, against "
                    f"s_f/2 - s_g = {result.bound} (Telgarsky's lemma)", threshold=json_number(tau), f=_pieces(f),
                    g=_pieces(g), regions=result.regions, s_f=result.s_f, s_g=result.s_g, holds=result.holds)


def _affine_maps(net: Any, x: Fraction) -> tuple:
    """At x: each neuron's piece index (at a kink, the piece above it), each neuron's
    pre-activation (slope, intercept, kinks) under that pattern, and the output's
    (intercept, slope)."""
    g = net.graph

    def affine(node: Any) -> tuple:
        edges = g.in_edges(node, data="weight")
        slope = sum((as_fraction(w) * maps[u][0] for u, _, w in edges), Fraction(0))
        return slope, as_fraction(g.nodes[node]["bias"]) + sum((as_fraction(w) * maps[u][1] for u, _, w in edges),
                                                              Fraction(0))

    maps: dict = {net.inputs[0]: (Fraction(1), Fraction(0))}
    pattern, pre = [], []
    for node in net.neurons:
        slope, intercept = affine(node)
        act = linear_activation(g.nodes[node]["activation"])
        if act is None:
            raise NotCertifiable(f"neuron {node!r} is not piecewise linear")
        kinks = [Fraction(int(c.p), int(c.q)) for c in act.cuts]
        j = sum(1 for c in kinks if slope * x + intercept >= c)
        s, c = (Fraction(int(v.p), int(v.q)) for v in (act.slopes[j], act.intercepts[j]))
        pattern.append(j)
        pre.append((slope, intercept, kinks))
        maps[node] = (s * slope, s * intercept + c)
    slope, intercept = affine(net.output)
    return pattern, pre, (intercept, slope)


def _network_pieces(net: Any, lo: Any, hi: Any) -> tuple:
    """Breakpoints, and per piece the activation pattern every neuron keeps on it and the
    network's (intercept, slope) there, from left to right."""
    breakpoints, patterns, outputs, pending = [lo], [], [], [(lo, hi)]
    while pending:
        a, b = pending.pop()
        if len(patterns) > MAX_CERTIFIED_PIECES:
            raise NotCertifiable(f"more than {MAX_CERTIFIED_PIECES:,} pieces for a certificate")
        pattern, pre, output = _affine_maps(net, _inside(a, b))
        inner = sorted({(c - intercept) / slope for slope, intercept, kinks in pre if slope for c in kinks
                        if (is_infinite(a) or a < (c - intercept) / slope) and (is_infinite(b) or (c - intercept) / slope < b)})
        if inner:  # a neuron changes its piece inside: split there, and take the parts left to right
            ends = [a, *inner, b]
            pending += list(zip(ends[:-1], ends[1:]))[::-1]
            continue
        patterns.append(pattern)
        outputs.append(output)
        breakpoints.append(b)
    return breakpoints, patterns, outputs


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
    if result.num_regions > MAX_CERTIFIED_PIECES:
        raise NotCertifiable(f"{result.num_regions:,} regions, more than a certificate holds "
                             f"({MAX_CERTIFIED_PIECES:,})")
    net = result._network
    plane = None if result._slice is None else [[json_number(as_fraction(c)) for c in vec] for vec in result._slice]
    return document("regions", f"{result.num_regions} linear regions of the network on the box, exactly",
                    network=json.loads(net.to_json()), box=[[json_number(a), json_number(b)] for a, b in result.box],
                    slice=plane, neurons=[str(n) for n in result.neurons], count=result.num_regions,
                    regions=[{"vertices": [[json_number(s), json_number(t)] for s, t in r.vertices],
                              "pattern": list(r.pattern)} for r in result.regions])
