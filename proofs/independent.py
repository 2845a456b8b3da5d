"""Independent exact oracles the proof modules and tests compare the library with.

They share no code with ``symdepth.piecewise``: plain ``Fraction`` arithmetic and the
definitions, written for clarity, not speed.
"""

from __future__ import annotations

from fractions import Fraction

import networkx as nx

# Piecewise-linear activations by name: breakpoints, and (slope, intercept) per piece.
PIECES = {
    "relu": ((Fraction(0),), ((0, 0), (1, 0))),
    "hard_tanh": ((Fraction(-1), Fraction(1)), ((0, -1), (1, 0), (0, 1))),
}


def _pieces_of(activation):
    if activation.name == "leaky_relu":
        return (Fraction(0),), ((Fraction(activation.coefficients[0]), 0), (1, 0))
    return PIECES[activation.name]


def walk_pieces(net, lo, hi):
    """The pieces of a one-input piecewise-linear ReLU-type network on [lo, hi] by walking
    through its activation regions from left to right: at each point one forward pass of
    affine functions (value = a + b·x) fixes every neuron's piece just right of the point and
    the nearest point where a pre-activation reaches a breakpoint ends the region.  Adjacent
    regions with the same affine output are merged.  Returns [(left, right, a, b)]."""
    lo, hi = Fraction(lo), Fraction(hi)
    order = list(nx.topological_sort(net.graph))
    (name,) = net.inputs
    regions = []
    x = lo
    while x < hi:
        end = hi
        affine = {name: (Fraction(0), Fraction(1))}
        for node in order:
            data = net.graph.nodes[node]
            if data["kind"] == "input":
                continue
            a, b = Fraction(data["bias"]), Fraction(0)
            for u, _, w in net.graph.in_edges(node, data="weight"):
                a += Fraction(w) * affine[u][0]
                b += Fraction(w) * affine[u][1]
            if data["kind"] == "output":
                regions.append((x, end, a, b))
                break
            cuts, slopes = _pieces_of(data["activation"])
            z = a + b * x
            piece = sum(1 for c in cuts if z > c or (z == c and b >= 0))
            for c in cuts:
                if b != 0 and x < x + (c - z) / b < end:
                    end = x + (c - z) / b
            slope, intercept = slopes[piece]
            affine[node] = (slope * a + intercept, slope * b)
        x = end
    merged = [regions[0]]
    for piece in regions[1:]:
        if piece[2:] == merged[-1][2:]:
            merged[-1] = (merged[-1][0], piece[1]) + piece[2:]
        else:
            merged.append(piece)
    return merged


def crossings_by_definition(pieces, threshold):
    """Cr of a continuous piecewise-linear function given as [(left, right, a, b)]: the
    classifier 1[a + b·x ≥ τ] on every point (piece ends, roots) and every open interval
    between them, in order; Cr is the number of runs."""
    tau = Fraction(threshold)
    values = []
    for left, right, a, b in pieces:
        points = [left]
        if b != 0 and left < (tau - a) / b < right:
            points.append((tau - a) / b)
        for p, q in zip(points, points[1:] + [right]):
            values.append(a + b * p >= tau)
            mid = (p + q) / 2
            values.append(a + b * mid >= tau)
    last = pieces[-1]
    values.append(last[2] + last[3] * last[1] >= tau)
    return 1 + sum(u != v for u, v in zip(values, values[1:]))
