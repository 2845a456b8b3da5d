"""Exact linear regions of piecewise-linear (ReLU) networks on a 2-D input, or on a 2-D
affine slice x = x0 + s·u + t·v of an n-input network.

The box is cut neuron by neuron, layer by layer: on every current region each neuron's
pre-activation is one affine function of (s, t), so the region (a convex polygon) is split
by the lines where it meets a breakpoint of the activation, and each part records the piece
it is in (for ReLU: 1 active, 0 inactive) and the neuron's affine output there.  After the
last layer every region is an activation region — a convex polygon with one activation
pattern and one affine output — and every vertex is an exact rational point.  This is the
partition that Hanin & Rolnick (2019) count and regioncam / SplineCam draw in float
arithmetic; here no float decides anything, so no sliver is lost or invented by rounding.

Counts: vertices are the distinct polygon corners; edges are the maximal segments between
vertices along region boundaries (a corner of one region lying inside another region's side
splits that side); so V − E + F = 1 for the F regions of the box (Euler).

Written here because no library offers an exact polyhedral partition of a network's input.

References
----------
Hanin, B. and Rolnick, D. (2019). Deep ReLU networks have surprisingly few activation
patterns.  NeurIPS.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import networkx as nx

from .display import html_record, html_table
from .drawing import pyplot, save
from .errors import BudgetError, NotPiecewiseLinearError, SymdepthError
from .numbers import exact, is_rational
from .piecewise_linear import LinearActivation, linear_activation, require_rational
from .rational_array import to_fmpq

__all__ = ["Region", "Regions2D", "regions_2d", "plot_regions", "DEFAULT_MAX_REGIONS"]

DEFAULT_MAX_REGIONS = 10**6
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
class Regions2D:
    """The exact partition of a box into linear regions, with its planar-graph counts."""

    box: tuple
    neurons: tuple
    regions: tuple
    num_vertices: int
    num_edges: int

    @property
    def num_regions(self) -> int:
        return len(self.regions)

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


def regions_2d(net: Any, box: Sequence[Sequence[object]] = ((-1, 1), (-1, 1)), *,
               slice: Sequence[Sequence[object]] | None = None,
               max_regions: int = DEFAULT_MAX_REGIONS) -> Regions2D:
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
    net.validate()
    (s0, s1), (t0, t1) = [[_rational(v, "box bound") for v in side] for side in box]
    if not (s0 < s1 and t0 < t1):
        raise SymdepthError(f"the box [{s0}, {s1}] x [{t0}, {t1}] is degenerate; give bounds with min < max")
    inputs = _input_maps(net, slice)
    g = net.graph
    neurons = list(nx.topological_sort(g.subgraph(net.neurons)))
    acts = {}
    for node in neurons:
        act = linear_activation(g.nodes[node]["activation"])
        if act is None:
            raise NotPiecewiseLinearError(
                f"neuron {node!r} has activation {g.nodes[node]['activation']!r}, which is not piecewise linear; "
                "regions_2d handles relu, leaky_relu, hard_tanh and linear polynomial activations"
            )
        acts[node] = act
    require_rational(net)

    corners = [(to_fmpq(s0), to_fmpq(t0)), (to_fmpq(s1), to_fmpq(t0)), (to_fmpq(s1), to_fmpq(t1)),
               (to_fmpq(s0), to_fmpq(t1))]
    live = list(net.inputs)
    regions = [(corners, (), flint.fmpq_mat(len(live), 3, [c for name in live for c in inputs[name]]))]
    layer = net.layers()
    levels: dict = {}
    for node in neurons:
        levels.setdefault(layer[node], []).append(node)
    remaining = {node: g.out_degree(node) for node in g}
    for level in sorted(levels):
        nodes = levels[level]
        weights = flint.fmpq_mat(len(nodes), len(live), [to_fmpq(Fraction(g.edges[u, n]["weight"])) if g.has_edge(u, n)
                                                         else flint.fmpq(0) for n in nodes for u in live])
        biases = [to_fmpq(Fraction(g.nodes[n]["bias"])) for n in nodes]
        for n in nodes:
            for u in g.predecessors(n):
                remaining[u] -= 1
        kept = [i for i, u in enumerate(live) if remaining[u] > 0]
        selector = flint.fmpq_mat(len(kept), len(live), [int(j == i) for i in kept for j in range(len(live))])
        split: list = []
        for polygon, pattern, maps in regions:
            pre = (weights * maps).entries()
            rows = [(pre[3 * k], pre[3 * k + 1], pre[3 * k + 2] + biases[k]) for k in range(len(nodes))]
            parts: list = [(polygon, pattern, [])]
            for k, node in enumerate(nodes):
                parts = [(piece_polygon, old + (index,), outs + [_activated(acts[node], index, rows[k])])
                         for polygon_k, old, outs in parts
                         for piece_polygon, index in _cut(polygon_k, rows[k], acts[node])]
            kept_entries = (selector * maps).entries() if kept else []
            for piece_polygon, new_pattern, outs in parts:
                split.append((piece_polygon, new_pattern,
                              flint.fmpq_mat(len(kept) + len(nodes), 3, kept_entries + [c for row in outs for c in row])))
            if len(split) > max_regions:
                raise BudgetError(f"more than max_regions={max_regions:,} regions after layer {level}; "
                                  "raise max_regions (command line: --max-regions N) or shrink the box")
        regions = split
        live = [live[i] for i in kept] + nodes
    output_row = [to_fmpq(Fraction(g.edges[u, net.output]["weight"])) if g.has_edge(u, net.output) else flint.fmpq(0)
                  for u in live]
    out_bias = to_fmpq(Fraction(g.nodes[net.output]["bias"]))
    found = []
    for polygon, pattern, maps in regions:
        a, b, c = (flint.fmpq_mat(1, len(live), output_row) * maps).entries()
        found.append(Region(tuple((_fraction(p), _fraction(q)) for p, q in polygon), pattern,
                            (_fraction(a), _fraction(b)), _fraction(c + out_bias)))
    vertices, edges = _graph_counts([r.vertices for r in found])
    return Regions2D(((s0, s1), (t0, t1)), tuple(neurons), tuple(found), vertices, edges)


def _rational(value: object, what: str) -> Fraction:
    v = exact(value, what)
    if not is_rational(v):
        raise SymdepthError(f"{what} {value} is not rational; regions_2d needs rational numbers")
    return Fraction(v)


def _input_maps(net: Any, plane: Sequence[Sequence[object]] | None) -> dict:
    """Each input as an affine function (a, b, c) of (s, t)."""
    names = net.inputs
    if plane is None:
        if len(names) != 2:
            raise SymdepthError(
                f"the network has {len(names)} inputs; regions_2d needs 2 inputs, or slice=(x0, u, v) giving the "
                "plane x = x0 + s*u + t*v"
            )
        one, zero = flint.fmpq(1), flint.fmpq(0)
        return {names[0]: (one, zero, zero), names[1]: (zero, one, zero)}
    if len(plane) != 3 or any(len(vec) != len(names) for vec in plane):
        raise SymdepthError(f"slice must be (x0, u, v), three vectors of length {len(names)} (one entry per input)")
    x0, u, v = [[_rational(c, "slice entry") for c in vec] for vec in plane]
    if all(a * d - b * c == 0 for a, b in zip(u, v) for c, d in zip(u, v)):
        raise SymdepthError("slice directions u and v are parallel; they must span a plane")
    return {name: (to_fmpq(a), to_fmpq(b), to_fmpq(c)) for name, c, a, b in zip(names, x0, u, v)}


def _activated(act: LinearActivation, index: int, row: tuple) -> tuple:
    slope, intercept = act.slopes[index], act.intercepts[index]
    return (slope * row[0], slope * row[1], slope * row[2] + intercept)


def _cut(polygon: list, row: tuple, act: LinearActivation) -> list:
    """The parts of ``polygon`` (with nonzero area) on which a·s + b·t + c lies in each piece
    of ``act``: [(part, piece index)]."""
    a, b, c = row
    if a == 0 and b == 0:
        return [(polygon, sum(1 for cut in act.cuts if c >= cut))]
    out = []
    rest = polygon
    for index, cut in enumerate(act.cuts):
        below = _clip(rest, (-a, -b, cut - c))      # value ≤ cut
        if below is not None:
            out.append((below, index))
        above = _clip(rest, (a, b, c - cut))        # value ≥ cut
        if above is None:
            return out
        rest = above
    out.append((rest, len(act.cuts)))
    return out


def _clip(polygon: list, half: tuple) -> list | None:
    """polygon ∩ {a·s + b·t + c ≥ 0}, or None when that has zero area."""
    a, b, c = half
    values = [a * p + b * q + c for p, q in polygon]
    if not any(v > 0 for v in values):
        return None
    if all(v >= 0 for v in values):
        return polygon
    out = []
    n = len(polygon)
    for i in range(n):
        p, vp = polygon[i], values[i]
        q, vq = polygon[(i + 1) % n], values[(i + 1) % n]
        if vp >= 0:
            out.append(p)
        if (vp > 0 > vq) or (vp < 0 < vq):
            r = vp / (vp - vq)
            out.append((p[0] + (q[0] - p[0]) * r, p[1] + (q[1] - p[1]) * r))
    return out


def _fraction(q: flint.fmpq) -> Fraction:
    return Fraction(int(q.p), int(q.q))


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


def _graph_counts(polygons: Sequence[Sequence[Point]]) -> tuple[int, int]:
    """(V, E) of the planar subdivision: edges are grouped by their supporting line, and
    each line's edges are cut at every vertex lying on them."""
    vertices = {v for poly in polygons for v in poly}
    lines: dict = {}
    for poly in polygons:
        n = len(poly)
        for i in range(n):
            p, q = poly[i], poly[(i + 1) % n]
            lines.setdefault(_line_key(p, q), []).append((p, q))
    edges = 0
    for (_, b, _), segments in lines.items():
        # position along the line: s for non-vertical lines, t for vertical ones
        along = 0 if b != 0 else 1
        points = sorted({v[along] for seg in segments for v in seg})
        index = {v: i for i, v in enumerate(points)}
        covered = [0] * (len(points) + 1)
        for p, q in segments:
            i, j = sorted((index[p[along]], index[q[along]]))
            covered[i] += 1
            covered[j] -= 1
        running = 0
        for i in range(len(points) - 1):
            running += covered[i]
            edges += running > 0
    return len(vertices), edges


def _line_key(p: Point, q: Point) -> tuple:
    """The line through p ≠ q as (a, b, c) with a·s + b·t = c, scaled so that the first
    nonzero of (a, b) is 1."""
    a, b = q[1] - p[1], p[0] - q[0]
    c = a * p[0] + b * p[1]
    scale = a if a != 0 else b
    return (a / scale, b / scale, c / scale)


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
