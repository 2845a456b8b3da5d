"""The array engine of :mod:`~symdepth.piecewise.regions`: convex cells as flat numpy arrays,
split by one line at a time, every side of a vertex decided exactly.

A vertex is stored as float coordinates with a proven bound on their distance to the exact
point, and as the two lines it lies on; a line as its definition — a side of the box, or a
neuron's pre-activation minus a cut on the cell it split (its layer and activation pattern).
The side of a line a cell's corner lies on is read from floats (the cell's float map, the
corner's float coordinates) when the value exceeds its error bound; the few corners on or
extremely near a line are decided exactly, from the line's exact form (the pattern's exact
map, :class:`~symdepth.piecewise.affine_maps.PatternMaps`) and the corner's exact point (the
meet of its two exact lines).  A new vertex, where a cut crosses the side between two corners
of opposite sides, is shared by the cells on both sides of that segment and found by the
segment (the same two vertices), not by its coordinates: cuts only cross segments at
interior points and every cell on a segment is cut there, so no two segments meet inside.
Written here because no library offers an exact polyhedral partition at array speed.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from .affine_maps import _SPARE, _TINY, _U, FloatMaps, PatternMaps, floats


class _Growing:
    """Columns of equal length that grow by appending, with doubling capacity; a column is
    given by its dtype, or by (dtype, width) for rows of ``width`` entries."""

    def __init__(self, **dtypes: Any) -> None:
        self.size = 0
        self._data = {name: np.empty((16, *dtype[1:]) if isinstance(dtype, tuple) else 16,
                                     dtype=dtype[0] if isinstance(dtype, tuple) else dtype)
                      for name, dtype in dtypes.items()}

    def append(self, **columns: np.ndarray) -> np.ndarray:
        """Append equal-length columns; returns the new rows' indices."""
        count = len(next(iter(columns.values())))
        if self.size + count > len(next(iter(self._data.values()))):
            capacity = max(2 * (self.size + count), 16)
            for name, old in self._data.items():
                grown = np.empty((capacity, *old.shape[1:]), dtype=old.dtype)
                grown[:self.size] = old[:self.size]
                self._data[name] = grown
        for name, values in columns.items():
            self._data[name][self.size:self.size + count] = values
        self.size += count
        return np.arange(self.size - count, self.size)

    def __getattr__(self, name: str) -> np.ndarray:
        data = self.__dict__.get("_data")      # absent while unpickling
        if data is None or name not in data:
            raise AttributeError(name)
        return data[name][:self.size]


class _Lines:
    """Lines by definition: a side of the box (exact (a, b, c), the box where a·s + b·t + c
    ≥ 0), or neuron ``neuron``'s pre-activation minus its cut ``cut`` on the cells of layer
    ``level`` with the activation pattern ``patterns[level][row]``.  Exact forms on demand."""

    def __init__(self, maps: PatternMaps) -> None:
        self.table = _Growing(level=np.int32, row=np.int64, neuron=np.int32, cut=np.int32)
        self.patterns: list = []       # per layer: the pattern of each cell at its start
        self.maps = maps
        self._exact: dict = {}

    def add_box(self, a: int, b: int, c: int) -> int:
        (line,) = self.table.append(level=[-1], row=[0], neuron=[0], cut=[0])
        self._exact[int(line)] = (a, b, c)
        return int(line)

    def add_cuts(self, level: int, rows: np.ndarray, neuron: np.ndarray, cut: np.ndarray) -> np.ndarray:
        return self.table.append(level=np.full(len(rows), level), row=rows, neuron=neuron, cut=cut)

    def exact(self, lines: list) -> list:
        """The exact (a, b, c) of each line, the pattern maps of a layer in one batch."""
        missing = [line for line in dict.fromkeys(lines) if line not in self._exact]
        columns = zip(missing, *(column[missing].tolist() for column in
                                 (self.table.level, self.table.row, self.table.neuron, self.table.cut)))
        by_level: dict = {}
        for line, level, row, neuron, cut in columns:
            by_level.setdefault(level, []).append((line, self.patterns[level][row].tobytes(), neuron, cut))
        for level, group in by_level.items():
            self.maps.pre(level, [prefix for _, prefix, _, _ in group])
            for line, prefix, neuron, cut in group:
                self._exact[line] = self.maps.line(level, prefix, neuron, cut)
        return [self._exact[line] for line in lines]


class _Points:
    """Vertices: float coordinates (s, t) with bounds (es, et) on their distance to the exact
    point, the rows (s, t, es, et) of ``table.xy``, and the two lines whose meet the exact
    point is (computed on demand, reduced integers (X, Y, W), W > 0, meaning (X/W, Y/W))."""

    def __init__(self) -> None:
        self.table = _Growing(xy=(np.float64, 4), first=np.int64, second=np.int64)
        self._exact: dict = {}

    def exact(self, vertices: list, lines: _Lines) -> list:
        missing = [v for v in dict.fromkeys(vertices) if v not in self._exact]
        first, second = self.table.first[missing].tolist(), self.table.second[missing].tolist()
        pairs = lines.exact([line for pair in zip(first, second) for line in pair])
        for v, first, second in zip(missing, pairs[::2], pairs[1::2]):
            self._exact[v] = _meet(first, second)
        return [self._exact[v] for v in vertices]


def _meet(first: tuple, second: tuple) -> tuple:
    """The point where two non-parallel lines meet, reduced (X, Y, W), W > 0."""
    (a1, b1, c1), (a2, b2, c2) = first, second
    x, y, w = b1 * c2 - b2 * c1, c1 * a2 - a1 * c2, a1 * b2 - b1 * a2
    if w == 0:
        raise RuntimeError("regions_2d: two parallel lines were taken to meet (a bug: please report it)")
    if w < 0:
        x, y, w = -x, -y, -w
    g = math.gcd(x, y, w)
    return x // g, y // g, w // g


_FEW_CELLS = 256        # below this many cells, a split works on all of them in place


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

    # kept while a layer's neurons leave the cells as they are
    @functools.cached_property
    def counts(self) -> np.ndarray:
        """Each cell's number of corners."""
        return np.diff(self.start)

    @functools.cached_property
    def owner(self) -> np.ndarray:
        """Each corner's cell."""
        return np.repeat(np.arange(len(self)), self.counts)

    @functools.cached_property
    def following(self) -> np.ndarray:
        """Each corner's next corner, counter-clockwise."""
        following = np.arange(1, len(self.vertex) + 1)
        following[self.start[1:] - 1] = self.start[:-1]
        return following


def _box_cell(s: tuple, t: tuple, points: _Points, lines: _Lines) -> _Cells:
    (s0, s1), (t0, t1) = s, t
    # inward: t ≥ t0, s ≤ s1, t ≤ t1, s ≥ s0; corner k is where side k − 1 meets side k
    sides = [lines.add_box(0, t0.denominator, -t0.numerator), lines.add_box(-s1.denominator, 0, s1.numerator),
             lines.add_box(0, -t1.denominator, t1.numerator), lines.add_box(s0.denominator, 0, -s0.numerator)]
    corners = [(s0, t0), (s1, t0), (s1, t1), (s0, t1)]
    (s, es), (t, et) = floats([p for p, _ in corners]), floats([q for _, q in corners])
    vertex = points.table.append(xy=np.column_stack([s, t, es, et]), first=[sides[k - 1] for k in range(4)],
                                 second=sides)
    return _Cells(np.array([0, 4]), vertex, np.array(sides), np.ones(4, dtype=np.int8))


@dataclass(frozen=True)
class _Cut:
    """The cuts of one pass over layer ``level``, per layer-start cell (−1 where none): the
    neuron's index in the layer, the cut's index among its activation's cuts, and the cut's
    value as a float within ``error`` of the exact one (which :class:`PatternMaps` holds)."""

    level: int
    neuron: np.ndarray
    index: np.ndarray
    value: np.ndarray
    error: np.ndarray


# -- splitting every cell by one line ---------------------------------------------------------


def _corner_values(cells: _Cells, points: _Points, pre: FloatMaps, rows: np.ndarray, cell: np.ndarray,
                   neuron: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The float value of a neuron's pre-activation at the corners ``rows`` (of the
    layer-start cells ``cell``, the neuron's index per corner), and a bound on its error: the
    map's and the corner's errors, and the rounding of a·s + b·t + c − cut (the caller's
    cut: 6 units to spare)."""
    line, error = pre.value[neuron, :, cell].T, pre.error(neuron, cell)
    s, t, es, et = points.table.xy[cells.vertex[rows]].T
    with np.errstate(all="ignore"):
        a_s, b_t = line[0] * s, line[1] * t
        value = a_s + b_t + line[2]
        bound = (error * (np.abs(s) + es + np.abs(t) + et + 1) + np.abs(line[0]) * es + np.abs(line[1]) * et
                 + 6 * _U * (np.abs(a_s) + np.abs(b_t) + np.abs(line[2])))
    return value, bound


def _sure_sides(cells: _Cells, points: _Points, pre: FloatMaps, cuts: tuple) -> np.ndarray:
    """For every cut j and neuron k of a layer (``cuts``: :attr:`Level.float_cuts`), every
    layer-start cell's side
    (``sides[j, k, cell]``): +1 where the cell is surely above the cut, −1 surely below, 0
    where the line may cross or touch it (or k has no cut j).  A cell of the layer lies
    inside its layer-start cell, so where that is +1 or −1 no cut is needed.  Each cell is
    bounded by the box of its corners (with their errors): a·s + b·t + c there lies within
    |a|·(half-width) + |b|·(half-height) of its value at the box's centre.  With each
    coefficient within e = κ·u·size + τ of the exact one and |a|, |b|, |c| ≤ σ·size, the exact
    values there are within e·W of the float map's, W = |s| + half-width + |t| + half-height
    + 1, and all the roundings here (the box, the centre's value, the reach) within
    16·u·σ·size·W + 8·u·|cut|.  Neurons in chunks (memory: cells × chunk); in place, since
    every array of a few megabytes made anew costs its pages."""
    corner = points.table.xy[cells.vertex]
    with np.errstate(all="ignore"):
        lo = np.minimum.reduceat(corner[:, :2] - corner[:, 2:], cells.start[:-1])
        hi = np.maximum.reduceat(corner[:, :2] + corner[:, 2:], cells.start[:-1])
        (centre_s, centre_t), (half_s, half_t) = ((lo + hi) / 2).T, ((hi - lo) / 2).T
        weight = np.abs(centre_s) + half_s + np.abs(centre_t) + half_t + 1
    cut, cut_error = cuts
    most = cut.shape[1]
    sides = np.zeros((most, len(cut), len(cells)), dtype=np.int8)
    chunk = max(1, 2**22 // max(len(cells), 1))
    exact_zero = (cut == 0) & (cut_error == 0)
    for first in range(0, len(cut), chunk):
        part = slice(first, first + chunk)
        line = pre.value[part]
        with np.errstate(all="ignore"):
            centre = np.multiply(line[:, 0], centre_s)
            centre += line[:, 1] * centre_t
            centre += line[:, 2]
            slack = np.multiply(pre.size[part], _U * (pre.kappa + 16 * pre.sigma))
            slack += pre.tiny
            slack *= weight
            slack += np.abs(line[:, 0]) * half_s
            slack += np.abs(line[:, 1]) * half_t
            for j in range(most):
                margin = slack + (cut_error[part, j] + 8 * _U * np.abs(cut[part, j]))[:, None]
                margin *= _SPARE
                margin += _TINY
                shifted = np.subtract(centre, cut[part, j, None])
                side = sides[j, part]
                np.greater(shifted, margin, out=side, casting="unsafe")
                np.negative(shifted, out=shifted)
                side -= shifted > margin
                # an exactly zero map is nowhere below a cut at exactly 0 (the cut's upper piece)
                zero_cut = np.flatnonzero(exact_zero[part, j])
                if len(zero_cut):
                    side[zero_cut] = np.where(pre.zero[part][zero_cut], 1, side[zero_cut])
    return sides


def _signs(cells: _Cells, points: _Points, lines: _Lines, pre: FloatMaps, origin: np.ndarray, cut: _Cut,
           owner: np.ndarray, active: np.ndarray) -> tuple:
    """The side of the line pre − cut every corner of the active cells lies on (±1, 0 on
    it; inactive cells 0), with the float value there and a bound on its error.  Decided by
    the float value beyond the bound, exactly otherwise."""
    rows = np.flatnonzero(active[owner])
    cell = origin[owner[rows]]
    value, bound = np.zeros(len(owner)), np.zeros(len(owner))
    at, error = _corner_values(cells, points, pre, rows, cell, cut.neuron[cell])
    with np.errstate(all="ignore"):
        value[rows] = at - cut.value[cell]
        bound[rows] = (error + cut.error[cell] + 6 * _U * np.abs(cut.value[cell])) * _SPARE + _TINY
        sure = np.abs(value[rows]) > bound[rows]    # NaN and infinities: never sure
    sign = np.zeros(len(owner), dtype=np.int8)
    sign[rows[sure]] = np.sign(value[rows[sure]])
    unsure, cell = rows[~sure], cell[~sure]
    # an exactly zero map is on its line where the cut is exactly 0
    on_line = pre.zero[cut.neuron[cell], cell] & (cut.value[cell] == 0) & (cut.error[cell] == 0)
    unsure, cell = unsure[~on_line], cell[~on_line]
    if len(unsure):
        # exactly: each cell's line once (its pattern's exact map), at the exact corners
        cell_of, at = np.unique(cell, return_inverse=True)
        patterns = lines.patterns[cut.level]
        prefixes = [patterns[o].tobytes() for o in cell_of.tolist()]
        lines.maps.pre(cut.level, prefixes)     # the cells' exact maps in one batch
        line = np.array([lines.maps.line(cut.level, prefix, neuron, index) for prefix, neuron, index in
                         zip(prefixes, cut.neuron[cell_of].tolist(), cut.index[cell_of].tolist())],
                        dtype=object).reshape(len(prefixes), 3)[at.reshape(-1)]
        point = np.array(points.exact(cells.vertex[unsure].tolist(), lines), dtype=object).reshape(len(unsure), 3)
        exact_value = (line * point).sum(axis=1)
        sign[unsure] = (exact_value > 0).astype(np.int8) - (exact_value < 0).astype(np.int8)
    return sign, value, bound


def _crossing_vertices(points: _Points, cells: _Cells, here: np.ndarray, there: np.ndarray, value: np.ndarray,
                       bound: np.ndarray, sign: np.ndarray, cut_line: np.ndarray) -> np.ndarray:
    """The vertices where the cut crosses the side from corner ``here`` to corner ``there``
    (values of opposite signs), one per segment however many cells have it as a side: at
    λ = A/(A + B) of the way, A and B the two |values|, each known within its bound."""
    first, last = cells.vertex[here], cells.vertex[there]
    key = np.minimum(first, last) * points.table.size + np.maximum(first, last)
    _, index, inverse = np.unique(key, return_index=True, return_inverse=True)
    p, q = here[index], there[index]
    sigma = sign[p].astype(np.float64)
    with np.errstate(all="ignore"):
        a_lo, a_hi = np.maximum(sigma * value[p] - bound[p], 0), sigma * value[p] + bound[p]
        b_lo, b_hi = np.maximum(-sigma * value[q] - bound[q], 0), -sigma * value[q] + bound[q]
        lo, hi = a_lo / (a_lo + b_hi), a_hi / (a_hi + b_lo)
        unknown = ~(np.isfinite(lo) & np.isfinite(hi))
        lo, hi = np.where(unknown, 0.0, np.clip(lo, 0, 1)), np.where(unknown, 1.0, np.clip(hi, 0, 1))
        fraction, spread = (lo + hi) / 2, (hi - lo) / 2 + 4 * _U
        start, end = points.table.xy[cells.vertex[p]], points.table.xy[cells.vertex[q]]
        step = end[:, :2] - start[:, :2]
        bound_here = (np.maximum(start[:, 2:], end[:, 2:]) + spread[:, None] * np.abs(step)
                      + 4 * _U * (np.abs(start[:, :2]) + np.abs(end[:, :2]))) * _SPARE + _TINY
        xy = np.concatenate([start[:, :2] + fraction[:, None] * step,
                             np.where(np.isfinite(bound_here), bound_here, np.inf)], axis=1)
    made = points.table.append(xy=xy, first=cells.side[p], second=cut_line[index])
    return made[inverse]


def _split(cells: _Cells, points: _Points, lines: _Lines, pre: FloatMaps, origin: np.ndarray, cut: _Cut,
           active: np.ndarray) -> tuple[_Cells, np.ndarray, np.ndarray]:
    """Split every active cell that the line pre − cut = 0 crosses (``pre`` per layer-start
    cell, ``origin`` per current cell).  Returns the new cells — those not split in their
    order, then the parts above the line, then those below — each new cell's parent, and
    which new cells lie below the line (value ≤ cut, somewhere < cut); cells above it
    (value ≥ cut) and inactive ones are left as they were.  A few active cells among many
    are taken out and split on their own, so a neuron that crosses few cells costs little."""
    n = len(cells)
    act = np.flatnonzero(active)
    if not len(act):
        return cells, np.arange(n), np.zeros(n, dtype=bool)
    if n <= _FEW_CELLS or 4 * len(act) >= n:     # taking them out would cost more
        return _split_all(cells, points, lines, pre, origin, cut, active)
    counts = cells.counts
    sizes = counts[act]
    first = np.concatenate([[0], np.cumsum(sizes)])
    rows = np.repeat(cells.start[act] - first[:-1], sizes) + np.arange(first[-1])
    sub = _Cells(first, cells.vertex[rows], cells.side[rows], cells.orient[rows])
    parts, parent, below = _split_all(sub, points, lines, pre, origin[act], cut, np.ones(len(act), dtype=bool))
    if len(parts) == len(sub):                   # nothing crossed
        below_all = np.zeros(n, dtype=bool)
        below_all[act] = below
        return cells, np.arange(n), below_all
    unsplit = 2 * len(sub) - len(parts)          # each split cell became two
    below_before = np.zeros(n, dtype=bool)
    below_before[act[parent[:unsplit]]] = below[:unsplit]
    keep = np.ones(n, dtype=bool)
    keep[act[parent[unsplit:]]] = False
    kept_rows = np.repeat(keep, counts)
    tail = parts.start[unsplit]
    new = _Cells(np.concatenate([[0], np.cumsum(np.concatenate([counts[keep], np.diff(parts.start)[unsplit:]]))]),
                 *(np.concatenate([column[kept_rows], part[tail:]]) for column, part in
                   zip((cells.vertex, cells.side, cells.orient), (parts.vertex, parts.side, parts.orient))))
    return (new, np.concatenate([np.flatnonzero(keep), act[parent[unsplit:]]]),
            np.concatenate([below_before[keep], below[unsplit:]]))


def _split_all(cells: _Cells, points: _Points, lines: _Lines, pre: FloatMaps, origin: np.ndarray,
               cut: _Cut, active: np.ndarray) -> tuple[_Cells, np.ndarray, np.ndarray]:
    """:func:`_split` in place: the new cells, parents and below in that order."""
    counts, owner, following = cells.counts, cells.owner, cells.following
    heads = cells.start[:-1]
    sign, value, bound = _signs(cells, points, lines, pre, origin, cut, owner, active)
    above = np.logical_or.reduceat(sign > 0, heads)
    below = np.logical_or.reduceat(sign < 0, heads)
    crossed = above & below
    if not crossed.any():
        return cells, np.arange(len(counts)), below
    split = np.flatnonzero(crossed)
    unsplit = np.flatnonzero(~crossed)
    inside = crossed[owner]
    rows = np.flatnonzero(inside)
    here, there = sign[rows], sign[following[rows]]
    crossing = here * there < 0
    # the cut line of each split cell (the part above it is where pre − cut ≥ 0), and the
    # new vertex on each crossed side
    cut_line = np.zeros(len(counts), dtype=np.int64)
    cut_line[split] = lines.add_cuts(cut.level, origin[split], cut.neuron[origin[split]], cut.index[origin[split]])
    fresh = _crossing_vertices(points, cells, rows[crossing], following[rows[crossing]], value, bound, sign,
                               cut_line[owner[rows[crossing]]])
    local_heads = np.concatenate([[0], np.cumsum(counts[split])[:-1]])
    line_here, orient_here = cells.side[rows], cells.orient[rows]
    cut_here = cut_line[owner[rows]]

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
        orient[at[kept]] = np.where(onto_cut, direction, orient_here[kept])
        # a crossing point: leaving the part, go along the cut; entering, along the crossed side
        cross = np.flatnonzero(crossing)
        leaving = here[cross] * direction > 0
        slot = at[cross] + keep[cross]
        vertex[slot] = fresh
        side[slot] = np.where(leaving, cut_here[cross], line_here[cross])
        orient[slot] = np.where(leaving, direction, orient_here[cross])
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
