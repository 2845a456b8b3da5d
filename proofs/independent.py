"""Independent exact oracles the proof modules and tests compare the library with.

They share no code with ``symdepth.piecewise``: plain ``Fraction`` arithmetic and the
definitions, written for clarity, not speed.
"""

from __future__ import annotations

from fractions import Fraction

import networkx as nx
import sympy

X = sympy.Symbol("x")

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


def crossings_of_polynomials(breakpoints, pieces, threshold):
    """Cr of a piecewise polynomial (sympy expressions in ``X``, rational breakpoints, the
    value at a breakpoint from the piece on its right) from sympy's exact real roots: the
    classifier on every point and open interval in order, the sign carried across each root
    by the parity of its multiplicity."""
    tau = sympy.Rational(threshold)
    values = []
    for i, (a, b, p) in enumerate(zip(breakpoints, breakpoints[1:], pieces)):
        a, b = sympy.Rational(a), sympy.Rational(b)
        d = sympy.expand(sympy.sympify(p) - tau)
        values.append(int(bool(d.subs(X, a) >= 0)))
        if d == 0:
            values.append(1)
        else:
            sign = _sign_right_of(d, a)
            for _root, multiplicity in _roots_inside(d, a, b):
                values += [int(sign > 0), 1]
                sign *= (-1) ** multiplicity
            values.append(int(sign > 0))
        if i == len(pieces) - 1:
            values.append(int(bool(d.subs(X, b) >= 0)))
    return 1 + sum(u != v for u, v in zip(values, values[1:]))


def _roots_inside(p, lo, hi):
    """Distinct real roots of p in (lo, hi) with their multiplicities, increasing."""
    counts = {}
    for r in sympy.real_roots(sympy.Poly(p, X)):
        if lo < r < hi:
            counts[r] = counts.get(r, 0) + 1
    return sorted(counts.items(), key=lambda item: item[0])


def _sign_right_of(p, point):
    """Sign of p just right of ``point``: of its first nonzero Taylor coefficient there."""
    shifted = sympy.Poly(sympy.expand(p.subs(X, X + point)), X)
    for c in reversed(shifted.all_coeffs()):
        if c != 0:
            return 1 if c > 0 else -1
    return 0


def tapoly_by_definition(breakpoints, pieces):
    """(t, α) of a piecewise polynomial given as sympy expressions: adjacent equal pieces
    merged, α the largest degree."""
    merged = []
    for p in pieces:
        p = sympy.expand(sympy.sympify(p))
        if not merged or sympy.expand(merged[-1] - p) != 0:
            merged.append(p)
    return len(merged), max(sympy.Poly(p, X).degree() if p != 0 else 0 for p in merged)


def disagreeing_regions(f_pieces, g_pieces, threshold):
    """Telgarsky's lemma, counted from the definitions: the regions of I_f (maximal
    intervals of constant 1[f ≥ τ]) on which 1[f ≥ τ] ≠ 1[g ≥ τ] at every point.  f and g
    are continuous piecewise-linear functions given as [(left, right, a, b)] on the same
    interval.  Returns (regions, s_f)."""
    tau = Fraction(threshold)
    positions = set()
    for pieces in (f_pieces, g_pieces):
        for left, right, a, b in pieces:
            positions |= {left, right}
            if b != 0 and left < (tau - a) / b < right:
                positions.add((tau - a) / b)
    positions = sorted(positions)
    atoms = []
    for p, q in zip(positions, positions[1:]):
        atoms += [p, (p + q) / 2]
    atoms.append(positions[-1])

    def value(pieces, x):
        for left, right, a, b in pieces:
            if left <= x <= right:
                return a + b * x >= tau
        raise ValueError(x)

    regions = s_f = 0
    current, disagrees = None, False
    for x in atoms:
        vf, vg = value(f_pieces, x), value(g_pieces, x)
        if vf != current:
            regions += current is not None and disagrees
            s_f += 1
            current, disagrees = vf, True
        disagrees = disagrees and vf != vg
    regions += disagrees
    return regions, s_f


def derivative_rank_by_definition(terms):
    """Dimension of the span of all partial derivatives (all orders, p itself included) of
    the polynomial {exponent tuple: coefficient}, by differentiating with sympy and row
    reducing the coefficient matrix with sympy's pure-Python dense matrices (DDM) over QQ."""
    from sympy.polys.matrices.ddm import DDM

    n = len(next(iter(terms)))
    xs = sympy.symbols(f"x1:{n + 1}")
    p = sympy.Poly(sum(c * sympy.Mul(*[x**e for x, e in zip(xs, m)]) for m, c in terms.items()), *xs)
    top = [max(m[i] for m in terms) for i in range(n)]
    derivatives = []
    for orders in _boxes(top):
        q = p
        for x, k in zip(xs, orders):
            q = q.diff((x, k)) if k else q
        if not q.is_zero:
            derivatives.append(dict(q.terms()))
    columns = sorted({m for d in derivatives for m in d})
    rows = [[sympy.QQ.from_sympy(d.get(m, sympy.Integer(0))) for m in columns] for d in derivatives]
    if not rows:
        return 0
    _, pivots = DDM(rows, (len(rows), len(columns)), sympy.QQ).rref()
    return len(pivots)


def _boxes(top):
    if not top:
        yield ()
        return
    for k in range(top[0] + 1):
        for rest in _boxes(top[1:]):
            yield (k,) + rest
