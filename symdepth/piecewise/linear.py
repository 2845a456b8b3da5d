"""Continuous piecewise-linear functions of one variable, as arrays: the exact fast path for
ReLU networks, tent maps and sawtooths.

A :class:`Knots` stores the values of a continuous piecewise-linear function at strictly
increasing rational knots (a :class:`~symdepth.piecewise.rational_array.RationalArray` each) and the
slopes of the two unbounded rays when the domain is unbounded.  A whole layer of a network
is processed at once: every live node's values sit on one common grid of knots, a layer's
pre-activations are linear combinations of those rows, the points where a pre-activation
meets a breakpoint of its activation are inserted into the grid (every row interpolated
there), and the activation is then applied knot by knot.  All of it is vectorised exact
rational arithmetic; :class:`~symdepth.piecewise.PiecewisePolynomial` uses it for
``from_network``, ``compose`` and ``crossings`` whenever the functions are continuous and
piecewise linear with rational breakpoints, and keeps its general (polynomial, algebraic
breakpoint) path for the rest.

Written here because no library computes exact piecewise-linear functions of networks; the
layer-at-once grid is what brings 2^20 pieces from a ReLU network to seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import networkx as nx
import numpy as np

from ..errors import BudgetError, NetworkError, SymdepthError
from ..numbers import is_rational
from .algebraic import INF, NEG_INF, is_infinite
from .rational_array import RationalArray, to_fmpq

__all__ = ["Knots", "LinearActivation", "linear_activation", "network_knots", "compose_knots", "knot_crossings",
           "require_rational"]

_ZERO = flint.fmpq(0)


@dataclass(frozen=True)
class LinearActivation:
    """A continuous piecewise-linear map of one variable: sorted interior breakpoints
    ``cuts`` c_1 < … < c_m and, per piece k = 0..m (piece k is [c_k, c_{k+1})), a slope and
    an intercept; ``lo``/``hi`` is its domain (±INF when unbounded)."""

    cuts: tuple
    slopes: tuple
    intercepts: tuple
    lo: Any = NEG_INF
    hi: Any = INF

    def piece_index(self, z: RationalArray, strict: bool = False) -> np.ndarray:
        """Index of the piece holding each z (the right piece at a cut; with ``strict``,
        the left one)."""
        return _count_below(self.cuts, z, strict)


def linear_activation(act: Any) -> LinearActivation | None:
    """The :class:`LinearActivation` of a named piecewise-linear activation (relu,
    leaky_relu, hard_tanh, a polynomial of degree ≤ 1) or of an object that converts itself
    (a continuous PiecewisePolynomial of degree ≤ 1 with rational breakpoints); None otherwise."""
    # a function object converts itself (PiecewisePolynomial.as_linear_activation): this
    # layer knows arrays and knots, not the polynomial layer above it
    convert = getattr(act, "as_linear_activation", None)
    if convert is not None:
        return convert()
    name = getattr(act, "name", None)
    if name == "relu":
        return LinearActivation((_ZERO,), (_ZERO, flint.fmpq(1)), (_ZERO, _ZERO))
    if name == "leaky_relu":
        return LinearActivation((_ZERO,), (to_fmpq(act.coefficients[0]), flint.fmpq(1)), (_ZERO, _ZERO))
    if name == "hard_tanh":
        return LinearActivation((flint.fmpq(-1), flint.fmpq(1)), (_ZERO, flint.fmpq(1), _ZERO),
                                (flint.fmpq(-1), _ZERO, flint.fmpq(1)))
    if name == "polynomial" and len(act.coefficients) <= 2 and all(is_rational(c) for c in act.coefficients):
        c = [to_fmpq(v) for v in act.coefficients] + [_ZERO, _ZERO]
        return LinearActivation((), (c[1],), (c[0],))
    return None


def activation_of_knots(k: Knots) -> LinearActivation:
    slopes = k.slopes().to_fmpq_list()
    xs, ys = k.x.to_fmpq_list(), k.y.to_fmpq_list()
    lo_finite, hi_finite = not is_infinite(k.lo), not is_infinite(k.hi)
    cuts = xs[1 if lo_finite else 0: len(xs) - 1 if hi_finite else len(xs)]
    piece_slopes = ([] if lo_finite else [k.left]) + slopes + ([] if hi_finite else [k.right])
    anchors = ([] if lo_finite else [(xs[0], ys[0])]) + list(zip(xs, ys))[: len(slopes)] + (
        [] if hi_finite else [(xs[-1], ys[-1])])
    intercepts = [y - s * x for s, (x, y) in zip(piece_slopes, anchors)]
    return LinearActivation(tuple(cuts), tuple(piece_slopes), tuple(intercepts), domain_end(k.lo), domain_end(k.hi))


def domain_end(v: Any) -> Any:
    """A domain end as fmpq (or ±INF), so that it compares with fmpq values."""
    return v if is_infinite(v) else to_fmpq(v)


def _count_below(cuts: Sequence, z: RationalArray, strict: bool) -> np.ndarray:
    """For each z, the number of cuts ≤ z (with ``strict``: < z)."""
    if len(cuts) <= 16:
        count = np.zeros(len(z), dtype=np.int64)
        for c in cuts:
            count += (z > c) if strict else (z >= c)
        return count
    table = np.empty(len(cuts), dtype=object)
    table[:] = list(cuts)
    return np.searchsorted(table, z._objects(), side="left" if strict else "right").astype(np.int64)


@dataclass
class Knots:
    """Continuous piecewise-linear f on (lo, hi): f(x[i]) = y[i] at strictly increasing knots
    (the finite domain ends among them), slopes ``left`` for x < x[0] and ``right`` for
    x > x[-1] (used only when that end is infinite).

    Examples
    --------
    >>> from symdepth.piecewise.linear import Knots
    >>> from symdepth.piecewise.rational_array import RationalArray
    >>> tent = Knots(0, 1, RationalArray([0, Fraction(1, 2), 1]), RationalArray([0, 1, 0]))
    >>> tent.num_pieces, tent(Fraction(1, 4)), knot_crossings(tent, Fraction(1, 2))
    (2, Fraction(1, 2), 3)
    """

    lo: Any
    hi: Any
    x: RationalArray
    y: RationalArray
    left: Any = _ZERO
    right: Any = _ZERO

    @property
    def num_pieces(self) -> int:
        interior = len(self.x) - (not is_infinite(self.lo)) - (not is_infinite(self.hi))
        if is_infinite(self.lo) and is_infinite(self.hi) and len(self.x) == 1 and self.left == self.right:
            interior = 0
        return interior + 1

    def slopes(self) -> RationalArray:
        """Slope of each bounded piece between consecutive knots."""
        return (self.y[1:] - self.y[:-1]) / (self.x[1:] - self.x[:-1])

    def __call__(self, q: Any) -> Fraction:
        v = to_fmpq(q)
        i = int((self.x <= v).sum()) - 1
        if i < 0:
            value = self.y.item(0) + self.left * (v - self.x.item(0))
        elif i == len(self.x) - 1:
            value = self.y.item(i) + self.right * (v - self.x.item(i))
        else:
            x0, x1, y0, y1 = self.x.item(i), self.x.item(i + 1), self.y.item(i), self.y.item(i + 1)
            value = y0 + (y1 - y0) * (v - x0) / (x1 - x0)
        return Fraction(int(value.p), int(value.q))

    def canonical(self) -> Knots:
        """Drop knots where the slope does not change (one knot stays if none is left)."""
        n = len(self.x)
        if n < 2:
            return self
        s = self.slopes()
        keep = np.ones(n, dtype=bool)
        if n > 2:
            keep[1:-1] = ~s[:-1].equals(s[1:])
        if is_infinite(self.lo) and s.item(0) == self.left:
            keep[0] = False
        if is_infinite(self.hi) and s.item(n - 2) == self.right:
            keep[-1] = False
        if not keep.any():
            keep[0] = True
        if keep.all():
            return self
        return Knots(self.lo, self.hi, self.x[keep], self.y[keep], self.left, self.right)

    def degree(self) -> int:
        """The largest degree of a piece, as :meth:`pieces` would give it (1, 0, or −1 when f
        is 0), without forming a million fmpq_polys for a sawtooth."""
        sloped = len(self.x) > 1 and bool((self.y[1:] - self.y[:-1]).sign().any())
        sloped = sloped or (is_infinite(self.lo) and self.left != 0) or (is_infinite(self.hi) and self.right != 0)
        if sloped:
            return 1
        return 0 if self.y.sign().any() else -1

    def pieces(self) -> tuple[list, list]:
        """Breakpoints (Fractions, ±INF at unbounded ends) and one fmpq_poly per piece."""
        xs, ys = self.x.to_fmpq_list(), self.y.to_fmpq_list()
        lo_finite, hi_finite = not is_infinite(self.lo), not is_infinite(self.hi)
        if self.num_pieces == 1 and not (lo_finite or hi_finite):
            return [NEG_INF, INF], [flint.fmpq_poly([ys[0] - self.left * xs[0], self.left])]
        polys = [flint.fmpq_poly([y0 - (y1 - y0) / (x1 - x0) * x0, (y1 - y0) / (x1 - x0)])
                 for x0, x1, y0, y1 in zip(xs, xs[1:], ys, ys[1:])]
        if not lo_finite:
            polys.insert(0, flint.fmpq_poly([ys[0] - self.left * xs[0], self.left]))
        if not hi_finite:
            polys.append(flint.fmpq_poly([ys[-1] - self.right * xs[-1], self.right]))
        interior = xs[1 if lo_finite else 0: len(xs) - 1 if hi_finite else len(xs)]
        bps = [self.lo] + [Fraction(int(q.p), int(q.q)) for q in interior] + [self.hi]
        return bps, polys

    def value_range(self) -> tuple[Any, Any]:
        """(inf f, sup f) over the domain, ±INF where f is unbounded."""
        low: Any = self.y.min()
        high: Any = self.y.max()
        for end, slope, outward in ((self.lo, self.left, -1), (self.hi, self.right, 1)):
            if is_infinite(end) and slope != 0:
                if slope * outward > 0:
                    high = INF
                else:
                    low = NEG_INF
        return low, high


# ---------------------------------------------------------------------------------------------
# Inserting knots
# ---------------------------------------------------------------------------------------------


@dataclass
class _Grid:
    """Rows of values of several continuous piecewise-linear functions on common knots."""

    lo: Any
    hi: Any
    x: RationalArray
    rows: list
    left: list
    right: list

    def crossings(self, z: int, act: LinearActivation) -> tuple[np.ndarray, RationalArray, list, list]:
        """Where row z meets a cut of ``act``: interior points (interval index, x) in
        increasing x, and the points on the left and right rays."""
        values = self.rows[z]
        a, b = values[:-1], values[1:]
        rising = b > a
        low = RationalArray.where(rising, a, b)
        high = RationalArray.where(rising, b, a)
        first = _count_below(act.cuts, low, strict=False)   # first cut > low
        stop = _count_below(act.cuts, high, strict=True)    # first cut >= high
        counts = np.maximum(stop - first, 0)
        total = int(counts.sum())
        if total:
            interval = np.repeat(np.arange(len(counts)), counts)
            offset = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
            cut_index = np.where(rising[interval], first[interval] + offset, stop[interval] - 1 - offset)
            cut_values = _gather(act.cuts, cut_index)
            za, zb = a[interval], b[interval]
            xa, xb = self.x[interval], self.x[interval + 1]
            points = xa + (xb - xa) * ((cut_values - za) / (zb - za))
        else:
            interval, points = np.zeros(0, dtype=np.int64), RationalArray([])
        return interval, points, self._ray(z, act, left=True), self._ray(z, act, left=False)

    def _ray(self, z: int, act: LinearActivation, left: bool) -> list:
        if is_infinite(self.lo if left else self.hi):
            slope = self.left[z] if left else self.right[z]
            if slope != 0:
                x0 = self.x.item(0 if left else len(self.x) - 1)
                y0 = self.rows[z].item(0 if left else len(self.x) - 1)
                outward = -slope if left else slope   # direction of f as x moves away
                reached = [c for c in act.cuts if (c > y0 if outward > 0 else c < y0)]
                return sorted(x0 + (c - y0) / slope for c in reached)
        return []

    def insert(self, interval: np.ndarray, points: RationalArray, left: list, right: list) -> None:
        """Add knots: interior ones (sorted by interval, then x; duplicates allowed) and ray
        points (lists of fmpq); every row is interpolated or extended there."""
        interval, points = _sorted_unique(interval, points)
        if len(points):
            xa, xb = self.x[interval], self.x[interval + 1]
            t = (points - xa) / (xb - xa)
            for k, row in enumerate(self.rows):
                ya = row[interval]
                self.rows[k] = row.insert(interval + 1, ya + (row[interval + 1] - ya) * t)
            self.x = self.x.insert(interval + 1, points)
        left = sorted(set(left))
        right = sorted(set(right))
        if left:
            new = RationalArray(left)
            x0 = self.x.item(0)
            self.rows = [RationalArray.concatenate([(new - x0) * s + row.item(0), row])
                         for row, s in zip(self.rows, self.left)]
            self.x = RationalArray.concatenate([new, self.x])
        if right:
            new = RationalArray(right)
            x1 = self.x.item(len(self.x) - 1)
            self.rows = [RationalArray.concatenate([row, (new - x1) * s + row.item(len(row) - 1)])
                         for row, s in zip(self.rows, self.right)]
            self.x = RationalArray.concatenate([self.x, new])

    def activate(self, z: int, act: LinearActivation) -> tuple[RationalArray, Any, Any]:
        """act applied to row z (whose crossings are already knots): values and ray slopes."""
        values = self.rows[z]
        if not (is_infinite(act.lo) and is_infinite(act.hi)):
            lo, hi = Knots(self.lo, self.hi, self.x, values, self.left[z], self.right[z]).value_range()
            if act.lo > lo or act.hi < hi:
                raise SymdepthError(
                    f"values range over [{lo}, {hi}], outside the outer function's domain [{act.lo}, {act.hi}]"
                )
        index = act.piece_index(values)
        out = _gather(act.slopes, index) * values + _gather(act.intercepts, index)
        return out, self._ray_slope(z, act, left=True), self._ray_slope(z, act, left=False)

    def _ray_slope(self, z: int, act: LinearActivation, left: bool) -> Any:
        slope = self.left[z] if left else self.right[z]
        if slope == 0:
            return _ZERO
        end = self.rows[z].item(0 if left else len(self.x) - 1)
        increasing_outward = (slope < 0) if left else (slope > 0)
        piece = int(act.piece_index(RationalArray([end]), strict=not increasing_outward)[0])
        return act.slopes[piece] * slope


def _gather(table: Sequence, index: np.ndarray) -> RationalArray:
    small = RationalArray(table)
    return small[index]


def _sorted_unique(interval: np.ndarray, points: RationalArray) -> tuple[np.ndarray, RationalArray]:
    """Order points by (interval, x) and drop exact duplicates; crossings of one row are
    already in order, so only intervals that several rows cross need a sort."""
    if len(points) == 0:
        return interval, points
    order = np.argsort(interval, kind="stable")
    interval, points = interval[order], points[order]
    same = interval[1:] == interval[:-1]
    if not same.any():
        return interval, points
    values = points.to_fmpq_list()
    start = 0
    keep_x, keep_i = [], []
    n = len(interval)
    while start < n:
        stop = start + 1
        while stop < n and interval[stop] == interval[start]:
            stop += 1
        group = sorted(set(values[start:stop])) if stop - start > 1 else values[start:stop]
        keep_x.extend(group)
        keep_i.extend([interval[start]] * len(group))
        start = stop
    return np.array(keep_i, dtype=np.int64), RationalArray(keep_x)


# ---------------------------------------------------------------------------------------------
# Networks, composition, crossings
# ---------------------------------------------------------------------------------------------


def network_knots(net: Any, lo: Any, hi: Any, override: LinearActivation | None = None,
                  max_pieces: int = 10**7, canonical: bool = True) -> Knots | None:
    """The function of a one-input network whose activations are all piecewise linear, on
    the domain (lo, hi); None if some activation is not (the caller takes the general path).
    With ``canonical=False`` the knots are all the points where a neuron changes its piece
    (between two of them every neuron keeps one), not only those where f bends.

    Raises
    ------
    BudgetError
        When the number of knots exceeds ``max_pieces``.
    """
    g = net.graph
    neurons = net.neurons
    acts: dict = {}
    for node in neurons:
        act = override if override is not None else linear_activation(g.nodes[node]["activation"])
        if act is None:
            return None
        acts[node] = act
    require_rational(net)
    (name,) = net.inputs
    x0 = [to_fmpq(v) for v in (lo, hi) if not is_infinite(v)] or [_ZERO]
    grid = _Grid(lo, hi, RationalArray(x0), [RationalArray(x0)], [flint.fmpq(1)], [flint.fmpq(1)])
    row_of = {name: 0}
    layer = net.layers()
    levels: dict = {}
    for node in nx.topological_sort(g):
        if g.nodes[node]["kind"] == "neuron":
            levels.setdefault(layer[node], []).append(node)
    remaining = {node: g.out_degree(node) for node in g}
    for level in sorted(levels):
        nodes = levels[level]
        first = len(grid.rows)
        for node in nodes:
            row, left, right = _affine(grid, row_of, g, node)
            grid.rows.append(row)
            grid.left.append(left)
            grid.right.append(right)
        for node in nodes:
            for u in g.predecessors(node):
                remaining[u] -= 1
        _drop_finished(grid, row_of, remaining, first)
        first = len(grid.rows) - len(nodes)
        found = [grid.crossings(first + k, acts[node]) for k, node in enumerate(nodes)]
        interval = np.concatenate([f[0] for f in found])
        points = RationalArray.concatenate([f[1] for f in found])
        if len(grid.x) + len(points) > max_pieces:
            raise BudgetError(f"the network has more than max_pieces={max_pieces:,} pieces on this domain; "
                              "raise max_pieces (command line: --max-pieces N)")
        grid.insert(interval, points, [p for f in found for p in f[2]], [p for f in found for p in f[3]])
        for k, node in enumerate(nodes):
            grid.rows[first + k], grid.left[first + k], grid.right[first + k] = grid.activate(first + k, acts[node])
            row_of[node] = first + k
    row, left, right = _affine(grid, row_of, g, net.output)
    if not canonical:
        return Knots(lo, hi, grid.x, row, left if is_infinite(lo) else _ZERO, right if is_infinite(hi) else _ZERO)
    return _knots(lo, hi, grid.x, row, left, right)


def _knots(lo: Any, hi: Any, x: RationalArray, y: RationalArray, left: Any, right: Any) -> Knots:
    """Canonical Knots, with the slope of a finite end set to 0 (it is never used)."""
    return Knots(lo, hi, x, y, left if is_infinite(lo) else _ZERO, right if is_infinite(hi) else _ZERO).canonical()


def require_rational(net: Any) -> None:
    """Raise NetworkError naming the first weight or bias that is not rational: exact
    piecewise-linear arithmetic has no room for symbols or transcendental constants."""
    g = net.graph
    for v, incoming in g.pred.items():
        for u, data in incoming.items():
            if type(data["weight"]) not in (int, Fraction) and not is_rational(data["weight"]):
                raise NetworkError(f"weight {u!r} -> {v!r} is {data['weight']}; piecewise-linear networks need "
                                   "rational weights")
    for node in net.neurons + [net.output]:
        if not is_rational(g.nodes[node]["bias"]):
            raise NetworkError(f"bias of {node!r} is {g.nodes[node]['bias']}; piecewise-linear networks need "
                               "rational biases")


def _affine(grid: _Grid, row_of: dict, g: Any, node: Any) -> tuple[RationalArray, Any, Any]:
    bias = to_fmpq(Fraction(g.nodes[node]["bias"]))
    row, left, right = RationalArray.full(len(grid.x), bias), bias * 0, bias * 0
    for u, _, w in g.in_edges(node, data="weight"):
        if w != 0:
            weight = to_fmpq(Fraction(w))
            r = row_of[u]
            row = row + grid.rows[r] * weight
            left += grid.left[r] * weight
            right += grid.right[r] * weight
    return row, left, right


def _drop_finished(grid: _Grid, row_of: dict, remaining: dict, first: int) -> None:
    """Forget rows of nodes that no later node reads (keeps memory linear in the pieces)."""
    done = {row_of.pop(u) for u in list(row_of) if remaining[u] == 0}
    if not done:
        return
    keep = [r for r in range(len(grid.rows)) if r not in done]
    renumber = {old: new for new, old in enumerate(keep)}
    grid.rows = [grid.rows[r] for r in keep]
    grid.left = [grid.left[r] for r in keep]
    grid.right = [grid.right[r] for r in keep]
    for u in row_of:
        row_of[u] = renumber[row_of[u]]


def compose_knots(f: LinearActivation, g: Knots, max_pieces: int = 10**7) -> Knots:
    """f∘g for continuous piecewise-linear f and g."""
    grid = _Grid(g.lo, g.hi, g.x, [g.y], [g.left], [g.right])
    interval, points, left, right = grid.crossings(0, f)
    if len(points) + len(left) + len(right) + len(g.x) > max_pieces:
        raise BudgetError(f"the composition exceeds max_pieces={max_pieces:,} pieces; raise max_pieces (command line: --max-pieces N)")
    grid.insert(interval, points, left, right)
    y, lslope, rslope = grid.activate(0, f)
    return _knots(g.lo, g.hi, grid.x, y, lslope, rslope)


def knot_crossings(k: Knots, threshold: Any) -> int:
    """Cr(f) for continuous piecewise-linear f: runs of 1[f ≥ τ] over the ordered atoms
    (rays, knots, open intervals between knots)."""
    tau = to_fmpq(threshold)
    y = k.y
    at = (y >= tau).astype(np.int8)
    a, b = y[:-1], y[1:]
    rising, falling = b > a, b < a
    # Within an open interval the classifier takes up to two values, in this order.
    first = np.where(rising, np.where(a < tau, 0, -1), np.where(falling, np.where(a > tau, 1, -1), at[:-1]))
    second = np.where(rising, np.where(b > tau, 1, -1), np.where(falling, np.where(b < tau, 0, -1), -1))
    n = len(y)
    atoms = np.full(3 * n - 2, -1, dtype=np.int8)
    atoms[0::3] = at
    atoms[1::3] = first
    atoms[2::3] = second
    head = _ray_atoms(k.left, y.item(0), tau, left=True) if is_infinite(k.lo) else []
    tail = _ray_atoms(k.right, y.item(n - 1), tau, left=False) if is_infinite(k.hi) else []
    sequence = np.concatenate([np.array(head, dtype=np.int8), atoms[atoms >= 0], np.array(tail, dtype=np.int8)])
    return int(np.count_nonzero(sequence[1:] != sequence[:-1])) + 1


def _ray_atoms(slope: Any, end: Any, tau: Any, left: bool) -> list:
    """Classifier values along a ray, in increasing x (the ray excludes its finite end)."""
    if slope == 0:
        return [int(end >= tau)]
    if left:  # from x = −∞ up to the end knot, f runs from ∓∞ to `end`
        return [0, 1] if slope > 0 and end > tau else [0] if slope > 0 else [1, 0] if end < tau else [1]
    # from the end knot to x = +∞, f runs from `end` to ±∞
    return [0, 1] if slope > 0 and end < tau else [1] if slope > 0 else [1, 0] if end > tau else [0]
