"""Exact linear regions of piecewise-linear (ReLU) networks on a 2-D input, or on a 2-D
affine slice x = x0 + s·u + t·v of an n-input network.

The box is cut neuron by neuron, layer by layer: on every current cell each neuron's
pre-activation is one affine function of (s, t), so the cell (a convex polygon) is split by
the lines where it meets a breakpoint of the activation, and each part records the piece it
is in (for ReLU: 1 active, 0 inactive).  After the last layer every cell is an activation
region — a convex polygon with one activation pattern and one affine output.  This is the
partition that Hanin & Rolnick (2019) count and regioncam / SplineCam draw in float
arithmetic; here no float decides anything, so no sliver is lost or invented by rounding.

How it is fast and still exact (the array engine is :mod:`~symdepth.piecewise.cells`).
All cells live in flat numpy arrays (their corners in counter-clockwise order, cell after
cell), and one neuron's line splits every cell it crosses in a handful of array operations.
Each cell's affine maps are float64 arrays with a proven bound on their distance to the
exact maps, and each vertex has float coordinates with a proven bound
(:mod:`~symdepth.piecewise.affine_maps`); the side of a line a vertex lies on is read from
the floats only when the value exceeds its bound.  The few vertices on or extremely near a
line are decided exactly: the line from the exact maps of its cell's activation pattern,
the vertex as the meet of its two exact lines, both computed on demand and memoised.  The
exact polygons and outputs (``Regions2D.regions``, certificates) are built the same way
when first asked for.  So the counts are exact, at the speed of float arrays.

Counts: vertices are the distinct polygon corners; edges are the maximal segments between
vertices along region boundaries (a corner of one region lying inside another region's side
splits that side), counted as half the number of distinct (vertex, direction) pairs of the
regions' sides; so V − E + F = 1 for the F regions of the box (Euler).

Written here because no library offers an exact polyhedral partition of a network's input.

References
----------
Hanin, B. and Rolnick, D. (2019). Deep ReLU networks have surprisingly few activation
patterns.  NeurIPS.
"""

from __future__ import annotations

import gc
import math
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property, partial
from typing import Any

import networkx as nx
import numpy as np

from ..certificates import recorded
from ..display import html_record, html_table
from ..drawing import pyplot, save
from ..errors import BudgetError, NetworkError, NotPiecewiseLinearError, SymdepthError
from ..evaluation import graph_snapshot
from ..numbers import as_fraction, exact, is_rational
from .affine_maps import (
    FloatMaps,
    IntegerMatrix,
    Level,
    PatternMaps,
    float_activated,
    float_inputs,
    float_layer,
)
from .cells import _box_cell, _Cells, _Cut, _graph_counts, _Lines, _Points, _split, _sure_sides
from .linear import linear_activation

__all__ = ["Region", "Regions2D", "regions_2d", "plot_regions", "DEFAULT_MAX_REGIONS", "DEFAULT_MAX_MEMORY"]

DEFAULT_MAX_REGIONS = 10**6
DEFAULT_MAX_MEMORY = 2 * 2**30      # bytes of cell arrays (a wide net reaches it before max_regions)
Point = tuple  # (Fraction, Fraction)


@dataclass(frozen=True)
class Region:
    """One activation region: a convex polygon (vertices counter-clockwise, exact), the
    activation pattern (the piece of each neuron's activation, in ``Regions2D.neurons``
    order; for ReLU 1 = active), and the network's output there, gradient·(s, t) + constant."""

    vertices: tuple
    pattern: tuple
    gradient: tuple
    constant: Fraction

    @property
    def area(self) -> Fraction:
        return _area(self.vertices)

    def interior_point(self) -> Point:
        """The centroid of the vertices: strictly inside, since the polygon is convex with
        nonzero area."""
        n = len(self.vertices)
        return (sum((v[0] for v in self.vertices), Fraction(0)) / n, sum((v[1] for v in self.vertices), Fraction(0)) / n)

    def value(self, point: Point) -> Fraction:
        """The network's output at ``point`` of this region (exact)."""
        return self.gradient[0] * point[0] + self.gradient[1] * point[1] + self.constant

    def __repr__(self) -> str:
        bits = "".join(str(b) for b in self.pattern) if all(b in (0, 1) for b in self.pattern) else self.pattern
        return f"Region(pattern={bits}, vertices={len(self.vertices)}, area={self.area})"


@dataclass(frozen=True)
class _Partition:
    """The cells as arrays: ``start`` (cell i's corners are ``vertex[start[i]:start[i+1]]``,
    counter-clockwise), each cell's activation pattern, and what makes them exact on demand:
    the vertex and line tables and the output neuron's weights from the last features."""

    start: np.ndarray
    vertex: np.ndarray
    pattern: np.ndarray
    points: _Points
    lines: _Lines
    output: tuple

    def regions(self) -> tuple:
        used = np.unique(self.vertex).tolist()
        exact = dict(zip(used, self.points.exact(used, self.lines)))
        points = {v: (Fraction(x, w), Fraction(y, w)) for v, (x, y, w) in exact.items()}
        maps = self.lines.maps
        weights, bias = self.output
        scale = math.lcm(*(q.denominator for q in [*weights, bias]))
        features = maps.maps(len(maps.levels), [row.tobytes() for row in self.pattern])
        outputs = IntegerMatrix([[int(q * scale) for q in weights]]).times(np.stack([m for m, _ in features]))[:, 0].tolist()
        bounds = self.start.tolist()
        vertex = self.vertex.tolist()
        regions = []
        for i, (pattern, (_, d), (a, b, c)) in enumerate(zip(self.pattern.tolist(), features, outputs)):
            regions.append(Region(tuple(points[v] for v in vertex[bounds[i]:bounds[i + 1]]), tuple(pattern),
                                  (Fraction(a, d * scale), Fraction(b, d * scale)),
                                  Fraction(c, d * scale) + bias))
        return tuple(regions)


@dataclass(frozen=True, eq=False)
class Regions2D:
    """The exact partition of a box into linear regions, with its planar-graph counts.

    ``regions`` (the :class:`Region` records, exact Fractions) is built from the arrays on
    first use, so counting a large partition does not pay for a million Fractions.  Two
    results are equal when their boxes, neurons and regions are."""

    box: tuple
    neurons: tuple
    num_regions: int
    num_vertices: int
    num_edges: int
    partition: _Partition = field(repr=False, compare=False)
    _network: Any = field(default=None, repr=False, compare=False)
    _slice: Any = field(default=None, repr=False, compare=False)

    def certificate(self) -> dict:
        """The evidence for ``certcheck`` (kind ``regions``): every region's polygon and
        activation pattern; the checker shows each lies in its pattern's cell, the patterns
        differ and the exact areas add up to the box's, so the count is exact.

        Examples
        --------
        >>> net = Network(2, "relu"); _ = net.add_neuron({"x1": 1}); net.set_output({"h1": 1})
        >>> cert = regions_2d(net).certificate()
        >>> cert["kind"], cert["count"]
        ('regions', 2)
        """
        from .certify import regions_certificate

        return regions_certificate(self)

    @cached_property
    def regions(self) -> tuple:
        return self.partition.regions()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Regions2D):
            return NotImplemented
        return (self.box, self.neurons, self.regions) == (other.box, other.neurons, other.regions)

    def __hash__(self) -> int:
        return hash((self.box, self.neurons, self.num_regions, self.num_vertices, self.num_edges))

    def locate(self, point: Sequence[object]) -> list:
        """The regions whose closed polygon contains ``point`` (one inside a region, two on
        an edge, several at a vertex)."""
        p = (Fraction(exact(point[0], "s")), Fraction(exact(point[1], "t")))
        return [r for r in self.regions if _contains(r.vertices, p)]

    def plot(self, path: str, title: str = "") -> None:
        """Draw the regions to ``path`` (neighbours in different colours; needs matplotlib):
        :func:`plot_regions`."""
        plot_regions(self, path, title)

    def _repr_html_(self) -> str:
        summary = html_record("Linear regions (exact)", [
            ("box", f"[{self.box[0][0]}, {self.box[0][1]}] × [{self.box[1][0]}, {self.box[1][1]}]"),
            ("regions", self.num_regions), ("vertices", self.num_vertices), ("edges", self.num_edges)])
        rows = [("".join(map(str, r.pattern)), len(r.vertices), r.area, f"{r.gradient[0]}·s + {r.gradient[1]}·t + "
                 f"{r.constant}") for r in self.regions[:30]]
        return summary + html_table(("pattern", "vertices", "area", "output"), rows,
                                    f"first {len(rows)} of {self.num_regions} regions")

    def __repr__(self) -> str:
        (a, b), (c, d) = self.box
        return (f"Regions2D(regions={self.num_regions}, vertices={self.num_vertices}, edges={self.num_edges}, "
                f"box=[{a}, {b}]x[{c}, {d}])")


@recorded(lambda result, *args, **kwargs: result.certificate())
def regions_2d(net: Any, box: Sequence[Sequence[object]] = ((-1, 1), (-1, 1)), *,
               slice: Sequence[Sequence[object]] | None = None,
               max_regions: int = DEFAULT_MAX_REGIONS, max_memory: int = DEFAULT_MAX_MEMORY,
               progress: Callable[[int, int, int], None] | None = None) -> Regions2D:
    """The exact linear regions of a piecewise-linear network on a rational box.

    Parameters
    ----------
    net : Network
        Activations relu, leaky_relu, hard_tanh or linear polynomials; rational weights.
    box : ((s_min, s_max), (t_min, t_max))
        Rational bounds of the two coordinates.
    slice : (x0, u, v), optional
        For a network with n ≠ 2 inputs, the plane x = x0 + s·u + t·v (three rational
        vectors of length n); for 2 inputs the default is x = (s, t).
    max_regions : int
        Raise BudgetError when the partition grows beyond this many regions.
    max_memory : int
        Raise BudgetError when the cells' arrays (each region's affine maps of the next
        layer) would take more than this many bytes.
    progress : callable, optional
        Called as ``progress(layer, layers, regions)`` after each layer is cut (the command
        line shows it on a terminal for runs over a second).

    Examples
    --------
    >>> net = Network(2, "relu")
    >>> for a, b in [(1, 0), (0, 1), (1, 1)]:
    ...     _ = net.add_neuron({"x1": a, "x2": b}, bias=Fraction(-1, 4))
    >>> net.set_output({n: 1 for n in net.neurons})
    >>> r = regions_2d(net)          # 3 lines in general position: 1 + 3 + 3 regions
    >>> r
    Regions2D(regions=7, vertices=13, edges=19, box=[-1, 1]x[-1, 1])
    >>> r.num_vertices - r.num_edges + r.num_regions
    1
    >>> r.locate((Fraction(9, 10), Fraction(9, 10)))[0].pattern
    (1, 1, 1)
    """
    with _without_cycle_collection():
        return _regions(net, box, slice, max_regions, max_memory, progress)


@contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The cutting makes many small arrays and tuples and no reference cycles, while each
    pass of Python's cycle collector walks every live object (a published net's graph is
    10⁵ dicts): off while cutting, a third of the time on ACAS Xu, then as it was."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _regions(net: Any, box: Sequence, slice: Sequence | None, max_regions: int, max_memory: int,
             progress: Callable | None) -> Regions2D:
    """:func:`regions_2d`'s work."""
    neurons, levels, output = _read(net)
    (s0, s1), (t0, t1) = [[_rational(v, "box bound") for v in side] for side in box]
    if not (s0 < s1 and t0 < t1):
        raise SymdepthError(f"the box [{s0}, {s1}] x [{t0}, {t1}] is degenerate; give bounds with min < max")
    inputs = _input_maps(net, slice)
    plane = [inputs[name] for name in net.inputs]
    lines, points = _Lines(PatternMaps(levels, plane)), _Points()
    cells = _box_cell((s0, s1), (t0, t1), points, lines)
    maps = float_inputs(plane)
    pattern = np.zeros((1, 0), dtype=np.int8)
    for level, lv in enumerate(levels):
        _check_budget(len(pattern), None, len(maps.value) + len(lv.nodes), level + 1, max_regions, max_memory)
        pre = float_layer(lv, maps)
        lines.patterns.append(pattern)
        check = partial(_check_budget, width=len(lv.kept) + len(lv.nodes), level=level + 1, max_regions=max_regions,
                        max_memory=max_memory)
        cells, origin, piece = _cut_layer(cells, points, lines, pre, level, lv, check)
        maps = float_activated(lv, pre.take(origin), maps.take(origin, lv.kept), piece)
        pattern = np.concatenate([pattern[origin], piece.T], axis=1)
        if progress is not None:
            progress(level + 1, len(levels), len(pattern))
    vertices, edges = _graph_counts(cells)
    partition = _Partition(cells.start, cells.vertex, pattern, points, lines, output)
    return Regions2D(((s0, s1), (t0, t1)), neurons, len(pattern), vertices, edges, partition, net, slice)


def _read(net: Any) -> tuple:
    """The network as the cutting reads it, validated: its neurons in order, its layers as
    :class:`Level` records, the output's weights and bias.  Kept on the network while its
    graph is unchanged — compared with a snapshot of nodes, edges and weights, as
    :mod:`symdepth.evaluation` keeps its plan — so another box or slice of the same network
    does not check and convert its 10⁵ weights again."""
    snapshot = graph_snapshot(net.graph)
    cached = getattr(net, "_regions_read", None)
    if cached is not None and cached[0] == snapshot:
        return cached[1]
    net.validate()
    g = net.graph
    neurons = net.neurons
    acts = {}
    for node in neurons:
        act = linear_activation(g.nodes[node]["activation"])
        if act is None:
            raise NotPiecewiseLinearError(
                f"neuron {node!r} has activation {g.nodes[node]['activation']!r}, which is not piecewise linear; "
                "regions_2d handles relu, leaky_relu, hard_tanh and linear polynomial activations"
            )
        acts[node] = act
    levels, live = _levels(net, neurons, acts)
    output = (tuple(_incoming(g, net.output, live)), _rational_value(g.nodes[net.output]["bias"], "the output's bias"))
    read = (tuple(neurons), levels, output)
    net._regions_read = (snapshot, read)
    return read


def _levels(net: Any, neurons: list, acts: dict) -> tuple:
    """The network as :class:`Level` records (its layers, in order), and the features live
    after the last one."""
    g = net.graph
    layer = net.layers()
    grouped: dict = {}
    for node in neurons:
        grouped.setdefault(layer[node], []).append(node)
    remaining = {node: g.out_degree(node) for node in g}
    live = list(net.inputs)
    levels = []
    for key in sorted(grouped):
        nodes = grouped[key]
        for n in nodes:
            for u in g.predecessors(n):
                remaining[u] -= 1
        kept = [i for i, u in enumerate(live) if remaining[u] > 0]
        layer_acts = [acts[n] for n in nodes]
        levels.append(Level(nodes, [_incoming(g, n, live) for n in nodes],
                            [_rational_value(g.nodes[n]["bias"], f"bias of {n!r}") for n in nodes],
                            *([[Fraction(int(c.p), int(c.q)) for c in getattr(act, part)] for act in layer_acts]
                              for part in ("cuts", "slopes", "intercepts")), kept))
        live = [live[i] for i in kept] + nodes
    return levels, live


def _cut_layer(cells: _Cells, points: _Points, lines: _Lines, pre: FloatMaps, level: int, lv: Level,
               check: Any) -> tuple[_Cells, np.ndarray, np.ndarray]:
    """Cut the cells by every neuron of a layer (``pre``: its pre-activations per cell at the
    start of the layer).  Returns the cells, each cell's cell at the start of the layer, and
    every neuron's piece of its activation on each cell, (neurons, cells); ``check(count,
    node)`` after each neuron enforces budgets."""
    origin = np.arange(len(cells))
    sides = _sure_sides(cells, points, pre, lv.float_cuts)
    # where a layer-start cell is surely on one side of every cut of a neuron, so is every
    # cell in it: the piece is the number of cuts below; the others are cut
    cuts = np.array([len(row) for row in lv.cuts])
    sure = (sides != 0).sum(axis=0) == cuts[:, None]
    piece = np.where(sure, (sides > 0).sum(axis=0), -1).astype(np.int8)
    # cut j of neuron k is made in the layer-start cells it may cross, unless an earlier cut
    # surely passes above them (their piece is that cut's; rounding may leave cut j unsure)
    below = sides < 0
    first_below = np.where(below.any(axis=0), below.argmax(axis=0), cuts[:, None])
    crossing = (sides == 0) & (first_below > np.arange(len(sides))[:, None, None])
    # a neuron with another's weights, bias and cuts has its pieces; one with no weights
    # and no bias is 0 everywhere, below exactly its positive cuts (published lattice nets
    # hold hundreds of both, and every corner would be on their lines)
    twins, copied, tasks = lv.twins, [], []
    for k in np.flatnonzero(~sure.all(axis=1)).tolist():
        if k in twins or (lv.biases[k] == 0 and not lv.float_weights[k].any() and not any(lv.weights[k])):
            copied.append(k)
        else:
            tasks += [(k, j) for j in range(cuts[k])]
    for group in _passes(tasks, crossing):
        cut = _pass_cut(level, group, crossing, lv.float_cuts)
        neuron = cut.neuron[origin]
        active = neuron >= 0
        active[active] = piece[neuron[active], np.flatnonzero(active)] < 0
        if active.any():
            cells, parent, below_cut = _split(cells, points, lines, pre, origin, cut, active)
            origin, piece = origin[parent], np.take(piece, parent, axis=1)
            made = np.flatnonzero(below_cut)
            piece[cut.neuron[origin[made]], made] = cut.index[origin[made]]
        for k, j in group:
            if j == cuts[k] - 1:
                check(len(origin), lv.nodes[k])
    # the rest lie above every cut made in them: the first cut surely above, or none
    unset = piece < 0
    piece[unset] = np.take(first_below, origin, axis=1)[unset]
    for k in copied:
        twin = twins.get(k)
        piece[k] = piece[twin] if twin is not None else sum(1 for c in lv.cuts[k] if c <= 0)
        check(len(origin), lv.nodes[k])
    return cells, origin, piece


def _passes(tasks: list, crossing: np.ndarray, window: int = 32) -> list:
    """The cuts (neuron k, cut j) of a layer in passes, each a list of cuts whose lines may
    cross pairwise disjoint sets of layer-start cells (``crossing[j, k]``; elsewhere the line
    surely misses the cell), so that one split does them all: no current cell is cut twice
    in a pass, and no side of a cell is crossed by two lines (a line crossing a side touches
    the cells on both).  A neuron's cuts go in successive passes, in order; each cut joins
    the first pass (of the last ``window``) it fits in."""
    passes: list = []           # [cuts, the layer-start cells they may cross as an int's bits]
    after: dict = {}
    for k, j in tasks:
        cells = int.from_bytes(np.packbits(crossing[j, k]).tobytes(), "big")
        first = max(after.get(k, 0), len(passes) - window)
        for p in range(first, len(passes)):
            if not passes[p][1] & cells:
                passes[p][0].append((k, j))
                passes[p][1] |= cells
                break
        else:
            p = len(passes)
            passes.append([[(k, j)], cells])
        after[k] = p + 1
    return [group for group, _ in passes]


def _pass_cut(level: int, group: list, crossing: np.ndarray, float_cuts: tuple) -> _Cut:
    """A pass's cuts as a :class:`_Cut`: per layer-start cell, the cut that may cross it
    (``crossing[j, k]``: where cut j of neuron k is to be made)."""
    count = crossing.shape[2]
    neuron, index = np.full(count, -1, dtype=np.int64), np.zeros(count, dtype=np.int64)
    value, error = np.zeros(count), np.zeros(count)
    for k, j in group:
        where = crossing[j, k]
        neuron[where], index[where] = k, j
        value[where], error[where] = float_cuts[0][k, j], float_cuts[1][k, j]
    return _Cut(level, neuron, index, value, error)


def _check_budget(cells: int, node: Any, width: int, level: int, max_regions: int, max_memory: int) -> None:
    """Raise BudgetError beyond max_regions cells or max_memory bytes: a layer's
    pre-activations and the next layer's maps are (cells, width, 3) floats with their error
    bounds, about four such arrays at a time."""
    if cells > max_regions:
        raise BudgetError(f"more than max_regions={max_regions:,} regions after neuron {node!r} (layer {level}); "
                          "raise max_regions (command line: --max-regions N) or shrink the box")
    estimate = cells * width * 3 * 8 * 4
    if estimate > max_memory:
        raise BudgetError(f"the {cells:,} regions of layer {level} need about {estimate / 2**30:.1f} GiB of arrays "
                          f"({width} features each), more than max_memory={max_memory / 2**30:.1f} GiB; raise it "
                          "(command line: --max-memory MiB) or shrink the box")


def _rational(value: object, what: str) -> Fraction:
    v = exact(value, what)
    if not is_rational(v):
        raise SymdepthError(f"{what} {value} is not rational; regions_2d needs rational numbers")
    return Fraction(v)


def _incoming(g: nx.DiGraph, node: Any, sources: list) -> list:
    """The weights from ``sources`` into ``node`` (0 where there is no edge), as ints and
    Fractions."""
    row = dict.fromkeys(sources, 0)
    for u, data in g.pred[node].items():
        w = data["weight"]
        row[u] = w if type(w) in (int, Fraction) else _rational_value(w, f"weight {u!r} -> {node!r}")
    return list(row.values())


def _rational_value(value: Any, what: str) -> int | Fraction:
    """An int or Fraction as it is; any other exact number (a sympy expression) refused."""
    if type(value) in (int, Fraction):
        return value
    if not is_rational(value):
        raise NetworkError(f"{what} is {value}; piecewise-linear networks need rational weights and biases")
    return as_fraction(value)


def _scaled(values: list, scale: int) -> list:
    """Rationals times a common multiple of their denominators, as ints."""
    return [v.numerator * (scale // v.denominator) for v in values]


def _input_maps(net: Any, plane: Sequence[Sequence[object]] | None) -> dict:
    """Each input as an affine function (a, b, c) of (s, t), exact Fractions."""
    names = net.inputs
    one, zero = Fraction(1), Fraction(0)
    if plane is None:
        if len(names) != 2:
            raise SymdepthError(
                f"the network has {len(names)} inputs; regions_2d needs 2 inputs, or slice=(x0, u, v) giving the "
                "plane x = x0 + s*u + t*v"
            )
        return {names[0]: (one, zero, zero), names[1]: (zero, one, zero)}
    if len(plane) != 3 or any(len(vec) != len(names) for vec in plane):
        raise SymdepthError(f"slice must be (x0, u, v), three vectors of length {len(names)} (one entry per input)")
    x0, u, v = [[_rational(c, "slice entry") for c in vec] for vec in plane]
    if all(a * d - b * c == 0 for a, b in zip(u, v) for c, d in zip(u, v)):
        raise SymdepthError("slice directions u and v are parallel; they must span a plane")
    return {name: (a, b, c) for name, c, a, b in zip(names, x0, u, v)}


def _area(vertices: Sequence[Point]) -> Fraction:
    n = len(vertices)
    twice = sum((vertices[i][0] * vertices[(i + 1) % n][1] - vertices[(i + 1) % n][0] * vertices[i][1]
                 for i in range(n)), Fraction(0))
    return twice / 2


def _contains(vertices: Sequence[Point], p: Point) -> bool:
    n = len(vertices)
    for i in range(n):
        (x0, y0), (x1, y1) = vertices[i], vertices[(i + 1) % n]
        if (x1 - x0) * (p[1] - y0) - (y1 - y0) * (p[0] - x0) < 0:
            return False
    return True


def plot_regions(result: Any, path: str, title: str = "") -> None:
    """Draw the exact linear regions of :func:`symdepth.piecewise.regions_2d`: one colour per
    activation pattern, boundaries in black.  Coordinates become floats only here."""
    plt = pyplot()
    import networkx as nx
    from matplotlib.collections import PolyCollection

    polygons = [[(float(s), float(t)) for s, t in region.vertices] for region in result.regions]  # float: drawing
    # neighbours (regions sharing two vertices, i.e. an edge) get different colours
    touching = nx.Graph()
    touching.add_nodes_from(range(result.num_regions))
    at: dict = {}
    for i, region in enumerate(result.regions):
        for v in region.vertices:
            at.setdefault(v, []).append(i)
    shared: dict = {}
    for owners in at.values():
        for a in owners:
            for b in owners:
                if a < b:
                    shared[a, b] = shared.get((a, b), 0) + 1
    touching.add_edges_from(pair for pair, count in shared.items() if count >= 2)
    colour = nx.greedy_color(touching, strategy="largest_first")
    palette = plt.get_cmap("tab10").colors
    fig, ax = plt.subplots(figsize=(6, 6))
    collection = PolyCollection(polygons, facecolors=[palette[colour[i] % len(palette)] for i in range(len(polygons))],
                                edgecolors="black", linewidths=0.3)
    ax.add_collection(collection)
    (s0, s1), (t0, t1) = result.box
    ax.set_xlim(float(s0), float(s1))  # float: drawing
    ax.set_ylim(float(t0), float(t1))  # float: drawing
    ax.set_aspect("equal")
    ax.set_xlabel("s (first input, or first plane coordinate)")
    ax.set_ylabel("t (second input, or second plane coordinate)")
    ax.set_title(f"{title}  {result.num_regions} regions, {result.num_vertices} vertices, {result.num_edges} edges")
    save(fig, path)
