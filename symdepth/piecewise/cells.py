"""The array engine of :mod:`~symdepth.piecewise.regions`: convex cells as flat numpy arrays
with exact integer vertices and lines, split by one line at a time.

Each vertex is stored once, exactly, as a reduced integer triple (X, Y, W) with s = X/W,
t = Y/W — the intersection of two integer lines — next to its correctly rounded float
coordinates; each cell's affine maps are integer numerators over one denominator per layer
(float64 products when a bound proves every partial sum an exact float integer, int64 when
it fits, Python integers otherwise).  The side of a line a vertex lies on is read from the
float coordinates only when the float value exceeds a proven bound on its rounding error
(:data:`_FILTER`); the few vertices on or extremely near a line are decided in exact
integer arithmetic.  Written here because no library offers an exact polyhedral partition
at array speed.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import numpy as np

# A float evaluation a·s + b·t + c (each of a, b, c, s, t correctly rounded, then two
# products and two sums) is off by at most ~6 units in the last place of |a·s|+|b·t|+|c|;
# trusting its sign only beyond 1e-14 ≈ 90 units leaves a wide margin.  Below _TINY the
# relative bound fails (subnormal numbers), so those go to the exact path too.
_FILTER = 1e-14
_TINY = 1e-290
_FLOAT_EXACT = 2**53      # integers below this are exact float64s
_INT64_SAFE = 2**62


# -- exact integer arrays ---------------------------------------------------------------------


def _exact_array(values: Any) -> np.ndarray:
    """Integers as int64 when every entry is safely inside its range, else as Python ints."""
    array = np.array(values, dtype=object)
    if array.size == 0 or _max_abs(array) < _INT64_SAFE:
        return array.astype(np.int64)
    return array


def _max_abs(array: np.ndarray) -> int:
    return int(np.abs(array).max()) if array.size else 0


def _affine(weights: list, biases: list, maps: np.ndarray) -> np.ndarray:
    """weights · maps + biases (on the constant column), per cell: (C, n, 3) integers.  A
    float64 product when the bound Σ|w|·max|map| + max|b| keeps every partial sum an exact
    float64 integer, int64 when it fits there, Python integers (multiplied as an fmpz_mat)
    otherwise."""
    cells, width = maps.shape[0], maps.shape[1]
    n = len(weights)
    # at least 1 per factor: the weights themselves must fit even where the maps are all 0
    bound = max(sum(abs(w) for w in row) for row in weights) * max(_max_abs(maps), 1) + max(abs(b) for b in biases)
    flat = maps.transpose(1, 0, 2).reshape(width, cells * 3)
    if bound < _FLOAT_EXACT:
        product = np.array(weights, dtype=np.float64) @ flat.astype(np.float64)
        out = product.astype(np.int64).reshape(n, cells, 3)
    elif bound < _INT64_SAFE:
        out = (np.array(weights, dtype=np.int64) @ flat.astype(np.int64)).reshape(n, cells, 3)
    else:
        # multiprecision: flint's fmpz_mat product in C, not numpy's object loop (5-10x)
        product = flint.fmpz_mat([[int(w) for w in row] for row in weights]) * flint.fmpz_mat(
            [[int(v) for v in row] for row in flat.tolist()])
        out = np.empty(n * cells * 3, dtype=object)
        out[:] = list(map(int, product.entries()))
        out = out.reshape(n, cells, 3)
    out = out.transpose(1, 0, 2).copy()
    out[:, :, 2] += np.array(biases, dtype=out.dtype)
    return out


def _floats(values: np.ndarray) -> np.ndarray:
    """Correctly rounded float64s (±inf beyond the float range: the filter then defers to
    the exact path)."""
    try:
        return values.astype(np.float64)  # Python ints convert correctly rounded (int.__float__)
    except OverflowError:                 # beyond 1.8e308: entry by entry, ±inf there
        return np.vectorize(lambda x: _ratio(x, 1), otypes=[np.float64])(values)


def _activated(kept: np.ndarray, pre: np.ndarray, piece: np.ndarray, acts: list, scale: int,
               denominator: int) -> tuple[np.ndarray, int]:
    """The maps of the next layer: the kept inputs and every neuron's activation on its
    piece, numerators over one new denominator (reduced by the common factor)."""
    fractions = [[Fraction(int(x.p), int(x.q)) for x in act.slopes + act.intercepts] for act in acts]
    lift = math.lcm(*(x.denominator for row in fractions for x in row))
    pieces = max(len(act.slopes) for act in acts)
    slopes = [[int(s * lift) for s in row[:len(act.slopes)]] + [0] * (pieces - len(act.slopes))
              for row, act in zip(fractions, acts)]
    shifts = [[int(c * lift) * scale * denominator for c in row[len(act.slopes):]] + [0] * (pieces - len(act.slopes))
              for row, act in zip(fractions, acts)]
    neuron = np.arange(len(acts))
    factor = scale * lift
    bound = max(max(map(abs, sum(slopes, []))) * max(_max_abs(pre), 1) + max(map(abs, sum(shifts, []))),
                max(_max_abs(kept), 1) * factor if kept.size else 0)
    dtype = np.int64 if bound < _INT64_SAFE else object
    out = np.array(slopes, dtype=dtype)[neuron, piece][:, :, None] * pre.astype(dtype)
    out[:, :, 2] += np.array(shifts, dtype=dtype)[neuron, piece]
    maps = np.concatenate([kept.astype(dtype) * factor if kept.size else kept.astype(dtype), out], axis=1)
    common = int(np.gcd.reduce(maps.reshape(-1))) if maps.size else 0
    if common == 0:             # every map is 0: any denominator will do
        return maps, 1
    common = math.gcd(denominator * factor, common)
    maps = maps // common
    return _exact_array(maps) if maps.dtype == object else maps, denominator * factor // common


# -- the vertex and line tables ---------------------------------------------------------------


class _Points:
    """Exact vertices, each once: reduced integer triples (X, Y, W), W > 0, meaning
    (X/W, Y/W); beside them the correctly rounded float coordinates used by the filter."""

    def __init__(self) -> None:
        self.exact: list = []
        self.index: dict = {}
        self._s: list = []
        self._t: list = []
        self.s = np.empty(0)
        self.t = np.empty(0)

    def add(self, x: int, y: int, w: int) -> int:
        if w < 0:
            x, y, w = -x, -y, -w
        g = math.gcd(x, y, w)
        key = (x // g, y // g, w // g)
        found = self.index.get(key)
        if found is not None:
            return found
        self.index[key] = found = len(self.exact)
        self.exact.append(key)
        self._s.append(_ratio(key[0], key[2]))
        self._t.append(_ratio(key[1], key[2]))
        return found

    def sync(self) -> None:
        """Append the float coordinates of the points added since the last call."""
        if self._s:
            self.s = np.concatenate([self.s, self._s])
            self.t = np.concatenate([self.t, self._t])
            self._s, self._t = [], []


def _ratio(x: int, w: int) -> float:
    """x/w correctly rounded (Python's int / int), ±inf beyond the float range: the sign
    filter's approximation, trusted only beyond its error bound, else decided exactly."""
    try:
        return x / w
    except OverflowError:
        return math.inf if x > 0 else -math.inf


class _Lines:
    """Exact lines a·s + b·t + c = 0, each once: integer (a, b, c) with gcd 1 and the first
    nonzero of (a, b) positive."""

    def __init__(self) -> None:
        self.exact: list = []
        self.index: dict = {}

    def add(self, a: int, b: int, c: int) -> tuple[int, int]:
        """The line's index, and ±1: (a, b, c) is that sign times a positive multiple of the
        stored triple."""
        sign = 1 if (a > 0 or (a == 0 and b > 0)) else -1
        g = math.gcd(a, b, c) * sign
        key = (a // g, b // g, c // g)
        found = self.index.get(key)
        if found is None:
            self.index[key] = found = len(self.exact)
            self.exact.append(key)
        return found, sign


@dataclass(frozen=True)
class _Cells:
    """Convex cells as flat arrays: cell i's corners are rows start[i]:start[i+1], counter-
    clockwise; corner r is point ``vertex[r]`` and the side from it to the next corner lies on
    line ``side[r]``, oriented by ``orient[r]`` (±1) so that the cell is where
    orient·(a·s + b·t + c) ≥ 0."""

    start: np.ndarray
    vertex: np.ndarray
    side: np.ndarray
    orient: np.ndarray

    def __len__(self) -> int:
        return len(self.start) - 1


def _box_cell(s: tuple, t: tuple, points: _Points, lines: _Lines) -> _Cells:
    (s0, s1), (t0, t1) = s, t
    corners = [(s0, t0), (s1, t0), (s1, t1), (s0, t1)]
    vertex = [points.add(p.numerator * q.denominator, q.numerator * p.denominator, p.denominator * q.denominator)
              for p, q in corners]
    # inward: t ≥ t0, s ≤ s1, t ≤ t1, s ≥ s0
    sides = [lines.add(0, t0.denominator, -t0.numerator), lines.add(-s1.denominator, 0, s1.numerator),
             lines.add(0, -t1.denominator, t1.numerator), lines.add(s0.denominator, 0, -s0.numerator)]
    points.sync()
    return _Cells(np.array([0, 4]), np.array(vertex), np.array([i for i, _ in sides]),
                  np.array([o for _, o in sides], dtype=np.int8))


# -- splitting every cell by one line ---------------------------------------------------------


def _signs(cells: _Cells, points: _Points, pre: np.ndarray, pre_float: np.ndarray, origin: np.ndarray, cut: int,
           owner: np.ndarray, active: np.ndarray) -> np.ndarray:
    """The sign of pre·(s, t, 1) − cut at every corner of the active cells (others: 0)."""
    line = pre_float[origin[owner]]
    s, t = points.s[cells.vertex], points.t[cells.vertex]
    cut_float = _ratio(cut, 1)
    with np.errstate(all="ignore"):
        a_s, b_t = line[:, 0] * s, line[:, 1] * t
        value = a_s + b_t + (line[:, 2] - cut_float)
        size = np.abs(a_s) + np.abs(b_t) + np.abs(line[:, 2]) + abs(cut_float)
        sure = (np.abs(value) > _FILTER * size) & (size > _TINY) & (size < np.inf)
    active_corner = active[owner]
    sign = np.where(active_corner & sure, np.sign(value), 0).astype(np.int8)
    for r in np.flatnonzero(active_corner & ~sure).tolist():
        x, y, w = points.exact[cells.vertex[r]]
        a, b, c = (int(z) for z in pre[origin[owner[r]]])
        exact_value = a * x + b * y + (c - cut) * w
        sign[r] = (exact_value > 0) - (exact_value < 0)
    return sign


def _split(cells: _Cells, points: _Points, lines: _Lines, pre: np.ndarray, pre_float: np.ndarray,
           origin: np.ndarray, cut: int, active: np.ndarray) -> tuple[_Cells, np.ndarray, np.ndarray]:
    """Split every active cell that the line pre·(s, t, 1) = cut crosses (``pre`` per layer-
    start cell, ``origin`` per current cell).  Returns the new cells, each new cell's parent,
    and which new cells lie below the line (value ≤ cut, somewhere < cut); cells above it
    (value ≥ cut) and inactive ones are left as they were."""
    counts = np.diff(cells.start)
    heads = cells.start[:-1]
    owner = np.repeat(np.arange(len(counts)), counts)
    sign = _signs(cells, points, pre, pre_float, origin, cut, owner, active)
    above = np.logical_or.reduceat(sign > 0, heads)
    below = np.logical_or.reduceat(sign < 0, heads)
    crossed = above & below
    if not crossed.any():
        return cells, np.arange(len(counts)), below
    split = np.flatnonzero(crossed)
    unsplit = np.flatnonzero(~crossed)
    inside = crossed[owner]
    rows = np.flatnonzero(inside)
    following = np.arange(1, len(owner) + 1)
    following[cells.start[1:] - 1] = heads
    here, there = sign[rows], sign[following[rows]]
    crossing = here * there < 0
    # the cut line of each split cell, and the new vertex on each crossed side
    cut_line = np.zeros(len(counts), dtype=np.int64)
    cut_orient = np.zeros(len(counts), dtype=np.int8)
    for cell in split.tolist():
        a, b, c = (int(z) for z in pre[origin[cell]])
        cut_line[cell], cut_orient[cell] = lines.add(a, b, c - cut)
    fresh = np.array([_meet(lines.exact[side], lines.exact[cut_line[cell]], points)
                      for side, cell in zip(cells.side[rows[crossing]].tolist(), owner[rows[crossing]].tolist())],
                     dtype=np.int64)
    points.sync()
    local_heads = np.concatenate([[0], np.cumsum(counts[split])[:-1]])
    line_here, orient_here = cells.side[rows], cells.orient[rows]
    cut_here, cut_orient_here = cut_line[owner[rows]], cut_orient[owner[rows]]

    def part(direction: int) -> tuple:
        """The part of every split cell where direction·(value − cut) ≥ 0, corner arrays."""
        keep = here * direction >= 0
        emitted = keep.astype(np.int64) + crossing
        at = np.cumsum(emitted) - emitted
        vertex = np.empty(int(emitted.sum()), dtype=np.int64)
        side, orient = np.empty_like(vertex), np.empty(len(vertex), dtype=np.int8)
        # a kept corner keeps its side, unless it lies on the cut and its side leaves the part
        kept = np.flatnonzero(keep)
        onto_cut = (here[kept] == 0) & (there[kept] * direction < 0)
        vertex[at[kept]] = cells.vertex[rows[kept]]
        side[at[kept]] = np.where(onto_cut, cut_here[kept], line_here[kept])
        orient[at[kept]] = np.where(onto_cut, cut_orient_here[kept] * direction, orient_here[kept])
        # a crossing point: leaving the part, go along the cut; entering, along the crossed side
        cross = np.flatnonzero(crossing)
        leaving = here[cross] * direction > 0
        slot = at[cross] + keep[cross]
        vertex[slot] = fresh
        side[slot] = np.where(leaving, cut_here[cross], line_here[cross])
        orient[slot] = np.where(leaving, cut_orient_here[cross] * direction, orient_here[cross])
        return vertex, side, orient, np.add.reduceat(emitted, local_heads)

    up, down = part(1), part(-1)
    rest = ~inside
    sizes = np.concatenate([counts[unsplit], up[3], down[3]])
    new = _Cells(np.concatenate([[0], np.cumsum(sizes)]),
                 *(np.concatenate([column[rest], u, d]) for column, u, d in
                   zip((cells.vertex, cells.side, cells.orient), up, down)))
    parent = np.concatenate([unsplit, split, split])
    new_below = np.concatenate([below[unsplit], np.zeros(len(split), bool), np.ones(len(split), bool)])
    return new, parent, new_below


def _meet(first: tuple, second: tuple, points: _Points) -> int:
    """The point where two non-parallel lines meet."""
    (a1, b1, c1), (a2, b2, c2) = first, second
    return points.add(b1 * c2 - b2 * c1, c1 * a2 - a1 * c2, a1 * b2 - b1 * a2)


# -- counts and geometry ----------------------------------------------------------------------


def _graph_counts(cells: _Cells) -> tuple[int, int]:
    """(V, E) of the planar subdivision.  At every vertex, each edge leaving it has its own
    direction, and every such direction is the direction of a side of some cell with that
    corner (a corner of one cell lying inside another's side is a corner of the cells on the
    side's other side), so E is half the number of distinct (vertex, line, direction)."""
    previous = np.arange(-1, len(cells.vertex) - 1)
    previous[cells.start[:-1]] = cells.start[1:] - 1
    lines = int(cells.side.max()) + 1
    # a side runs along orient·(b, −a) of its stored line (the cell on its left)
    leaving = (cells.vertex * lines + cells.side) * 2 + (cells.orient > 0)
    arriving = (cells.vertex * lines + cells.side[previous]) * 2 + (cells.orient[previous] < 0)
    directions = len(np.unique(np.concatenate([leaving, arriving])))
    return len(np.unique(cells.vertex)), directions // 2
