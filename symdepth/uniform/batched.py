"""The batched engine of :func:`~symdepth.uniform.check_uniform`: all cells of a subdivision
at once, as numpy arrays, every operation rounded outward (:mod:`~symdepth.uniform.outward`).

Per cell X with a point c inside and half-widths r, f = N − p is bounded by the least of

* |f(X)| enclosed directly,
* the mean value form |f(c)| + Σ_i sup_X |∂_i f|·r_i,
* the second-order form |f(c)| + Σ_i |∂_i f(c)|·r_i + ½ Σ_ij sup_X |∂_ij f|·r_i·r_j (Taylor's
  theorem with the Lagrange remainder; left out where a piecewise-linear activation has its
  kink in the cell, f is not C² there),

with f, ∇f and the Hessian propagated forward through the network a layer of neurons at a
time (matrix products over the cells), the activations enclosed rigorously.  The second form
is within ½·sup|H|·r² of the true sup on a cell, so a 32 × 32 grid already proves what a
CROWN bound on it gives.  Cells whose bound exceeds ε are halved along their widest side, all
of them in one batch.  The engine decides nothing a float search would: every bound is an
outward-rounded float compared with ε rounded down.

It takes networks whose activations are tanh, sigmoid, softplus, exp, ReLU or leaky ReLU;
others (and symbolic weights) raise :class:`Unsupported`, and the ball engine runs instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import networkx as nx
import numpy as np

from ..parsing import polynomial_terms
from ..series import ball
from . import outward as iv
from .enclosure import float_at_least, float_at_most

SUPPORTED = (*iv.SMOOTH, "relu", "leaky_relu")


class Unsupported(Exception):
    """The network has an activation or a weight the batched engine does not handle."""


@dataclass(frozen=True)
class Layer:
    """One generation of nodes: their weights from every earlier node (mid, rad) and biases,
    and the activation of each (None: the output)."""

    weights: tuple
    biases: tuple
    activations: tuple


@dataclass(frozen=True)
class Compiled:
    inputs: int
    layers: tuple
    nodes: int                # inputs, neurons and the output
    output: int               # the output's column among all nodes (inputs first)
    target: tuple             # per derivative (), (i,), (i, j): ((exponents, (c_lo, c_hi)), ...)


def compile_network(net: Any, target: Any) -> Compiled:
    """The network as generations of nodes (every node after its sources), for the batched
    forward pass; :class:`Unsupported` when it cannot be."""
    net.validate()
    g = net.graph
    for node in g.nodes:
        act = g.nodes[node].get("activation")
        if g.nodes[node]["kind"] == "neuron" and (act is None or act.name not in SUPPORTED):
            raise Unsupported(f"activation {act!r}")
    order = list(net.inputs)
    layers = []
    for generation in nx.topological_generations(g):
        generation = [u for u in generation if g.nodes[u]["kind"] != "input"]
        if not generation:
            continue
        column = {u: i for i, u in enumerate(order)}
        rows = [[ball(0)] * len(generation) for _ in order]
        for j, node in enumerate(generation):
            for u, _, w in g.in_edges(node, data="weight"):
                rows[column[u]][j] = ball(w)
        try:
            weights = iv.weights(rows)
            lo, hi = iv.bounds([[ball(g.nodes[u].get("bias", 0)) for u in generation]])
        except (OverflowError, ValueError) as err:
            raise Unsupported(f"a weight has no float enclosure ({err})") from None
        acts = tuple(g.nodes[u].get("activation") if g.nodes[u]["kind"] == "neuron" else None for u in generation)
        layers.append(Layer(weights, (lo[0], hi[0]), acts))
        order += generation
    n = net.num_inputs
    if _bytes_per_cell(n, len(order)) > MEMORY:
        raise Unsupported(f"{n} inputs and {len(order)} nodes: one cell's Hessians exceed the batch memory")
    _, terms = polynomial_terms(target, net.inputs)
    derivatives = [()] + [(i,) for i in range(n)] + [(i, j) for i in range(n) for j in range(n)]
    return Compiled(n, tuple(layers), len(order), order.index(net.output),
                    tuple(_derivative_terms(terms, d) for d in derivatives))


def _bytes_per_cell(inputs: int, nodes: int) -> int:
    """The interval arrays of one cell: every node's value, gradient and Hessian, two float64s each."""
    return 16 * (inputs + 1) ** 2 * nodes


def _derivative_terms(terms: dict, axes: tuple) -> tuple:
    """∂ of Σ c·x^m along ``axes``: ((exponents, (lo, hi) of the coefficient), ...)."""
    out = []
    for m, c in terms.items():
        factor, exponents = 1, list(m)
        for axis in axes:
            factor *= exponents[axis]
            exponents[axis] -= 1
        if factor:
            coefficient = ball(c) * factor
            (lo,), (hi,) = iv.bounds([[coefficient]])
            out.append((tuple(exponents), (lo[0], hi[0])))
    return tuple(out)


def _polynomial(terms: tuple, x: tuple) -> tuple:
    """Σ c·x^m over the cells' boxes x = (lo, hi) of shape (cells, n)."""
    total = (np.zeros(len(x[0])), np.zeros(len(x[0])))
    for m, (c_lo, c_hi) in terms:
        term = (np.full(len(x[0]), c_lo), np.full(len(x[0]), c_hi))
        for i, e in enumerate(m):
            if e:
                term = iv.mul(term, iv.power((x[0][:, i], x[1][:, i]), e))
        total = iv.add(total, term)
    return total


def _activate(acts: tuple, z: tuple) -> tuple:
    """(σ(z), σ'(z), σ''(z)) per column of z; σ'' is [−∞, ∞] where a kink lies inside (no
    second-order form there) and the identity for the output."""
    value = [z[0].copy(), z[1].copy()]
    slope = [np.ones_like(z[0]), np.ones_like(z[0])]
    curve = [np.zeros_like(z[0]), np.zeros_like(z[0])]
    for act in set(acts) - {None}:
        cols = np.array([a == act for a in acts])
        u = (z[0][..., cols], z[1][..., cols])
        if act.name in iv.SMOOTH:
            parts = iv.smooth(act.name, u)
        else:
            a = float(act.coefficients[0]) if act.name == "leaky_relu" else 0.0  # float: the slope, enclosed below
            alpha = (iv.down(a), iv.up(a)) if a else (0.0, 0.0)
            low = iv.mul(u, (np.full_like(u[0], alpha[0]), np.full_like(u[0], alpha[1])))
            value_parts = (np.where(u[0] >= 0, u[0], np.minimum(low[0], 0.0)),
                           np.where(u[1] >= 0, u[1], np.minimum(low[1], 0.0)))
            kink = (u[0] <= 0) & (u[1] >= 0)
            slope_parts = (np.where(u[0] > 0, 1.0, alpha[0]), np.where(u[1] < 0, alpha[1], 1.0))
            parts = (value_parts, slope_parts, (np.where(kink, -np.inf, 0.0), np.where(kink, np.inf, 0.0)))
        for whole, part in zip((value, slope, curve), parts):
            whole[0][..., cols], whole[1][..., cols] = part
    return tuple(value), tuple(slope), tuple(curve)


def difference(compiled: Compiled, x: tuple) -> tuple:
    """(f, ∇f, Hf) for f = N − p over the cells' boxes x = (lo, hi), shape (cells, n):
    intervals of shapes (cells,), (cells, n), (cells, n, n)."""
    cells, n = x[0].shape
    eye = np.broadcast_to(np.eye(n), (cells, n, n))
    value = x
    grad = (eye.copy(), eye.copy())                        # (cells, n, nodes)
    hess = (np.zeros((cells, n, n, n)), np.zeros((cells, n, n, n)))
    for layer in compiled.layers:
        z = iv.matmul(value, layer.weights)
        z = iv.add(z, layer.biases)
        dz = iv.matmul(grad, layer.weights)
        hz = iv.matmul(hess, layer.weights)
        s, d1, d2 = _activate(layer.activations, z)
        outer = iv.mul((dz[0][:, :, None, :], dz[1][:, :, None, :]), (dz[0][:, None, :, :], dz[1][:, None, :, :]))
        h = iv.add(iv.mul((d2[0][:, None, None, :], d2[1][:, None, None, :]), outer),
                   iv.mul((d1[0][:, None, None, :], d1[1][:, None, None, :]), hz))
        g = iv.mul((d1[0][:, None, :], d1[1][:, None, :]), dz)
        value = (np.concatenate([value[0], s[0]], -1), np.concatenate([value[1], s[1]], -1))
        grad = (np.concatenate([grad[0], g[0]], -1), np.concatenate([grad[1], g[1]], -1))
        hess = (np.concatenate([hess[0], h[0]], -1), np.concatenate([hess[1], h[1]], -1))
    k = compiled.output
    f = iv.sub((value[0][:, k], value[1][:, k]), _polynomial(compiled.target[0], x))
    df = [iv.sub((grad[0][:, i, k], grad[1][:, i, k]), _polynomial(compiled.target[1 + i], x)) for i in range(n)]
    hf = [[iv.sub((hess[0][:, i, j, k], hess[1][:, i, j, k]), _polynomial(compiled.target[1 + n + n * i + j], x))
           for j in range(n)] for i in range(n)]
    return f, df, hf


def cell_bounds(compiled: Compiled, lo: np.ndarray, hi: np.ndarray) -> tuple:
    """(upper bounds of |f| on the cells [lo, hi], lower bounds of |f| at their centres,
    the centres, the widths of f's enclosures at the centres): NaN-free, +∞ where nothing is
    proven.  The width at a point does not shrink with the cells (it is the rounding and the
    activations' enclosures, amplified by large weights): where it exceeds ε no subdivision
    helps, and the search gives way to the ball engine."""
    with np.errstate(invalid="ignore", over="ignore"):   # ∞·0 and ∞ − ∞: NaN, read as "no bound" below
        return _cell_bounds(compiled, lo, hi)


def _cell_bounds(compiled: Compiled, lo: np.ndarray, hi: np.ndarray) -> tuple:
    centre = np.clip(lo + (hi - lo) / 2, lo, hi)
    radius = iv.up(np.maximum(iv.up(centre - lo), iv.up(hi - centre)))
    f_x, df_x, hf_x = difference(compiled, (lo, hi))
    f_c, df_c, _ = difference(compiled, (centre, centre))
    n = lo.shape[1]
    at_centre = iv.magnitude(f_c)
    direct = iv.magnitude(f_x)
    mean_value = at_centre
    second = at_centre
    for i in range(n):
        mean_value = iv.up(mean_value + iv.up(iv.magnitude(df_x[i]) * radius[:, i]))
        second = iv.up(second + iv.up(iv.magnitude(df_c[i]) * radius[:, i]))
    for i in range(n):
        for j in range(n):
            term = iv.up(iv.up(iv.up(iv.magnitude(hf_x[i][j]) * radius[:, i]) * radius[:, j]) / 2)  # /2: subnormals
            second = iv.up(second + term)
    bound = np.fmin(np.fmin(direct, mean_value), second)     # fmin: a NaN form gives way to the others
    noise = np.nan_to_num(f_c[1] - f_c[0], nan=np.inf)
    return np.where(np.isnan(bound), np.inf, bound), np.nan_to_num(iv.lower_magnitude(f_c), nan=0.0), centre, noise


@dataclass(frozen=True)
class Outcome:
    """What the batched search found: ``holds`` with the largest cell bound, or a centre
    where |f| exceeds ε (to be confirmed exactly), and the cells used."""

    holds: bool
    bound: float
    point: tuple | None
    cells: int


MEMORY = 2**28   # bytes of interval arrays per batch of cells


def _chunked(compiled: Compiled, lo: np.ndarray, hi: np.ndarray) -> tuple:
    """:func:`cell_bounds` in batches that keep the arrays within :data:`MEMORY`."""
    chunk = max(1, MEMORY // _bytes_per_cell(compiled.inputs, compiled.nodes))
    parts = [cell_bounds(compiled, lo[i:i + chunk], hi[i:i + chunk]) for i in range(0, len(lo), chunk)]
    return tuple(np.concatenate(arrays) for arrays in zip(*parts))


def search(compiled: Compiled, box: list, eps: Fraction, max_cells: int,
           progress: Callable[[int, float], None] | None = None) -> Outcome | None:
    """Split the box until every cell's bound is ≤ ε (holds) or a centre's |f| is > ε
    (fails); None when ``max_cells`` are used up first."""
    below, above = float_at_most(eps), float_at_least(eps)
    lo, hi = _cover(box)
    cells, proven = 1, 0.0
    while len(lo):
        bound, at_centre, centre, noise = _chunked(compiled, lo, hi)
        if np.any(noise > below):   # a point's own enclosure is wider than ε: hopeless in float64
            return None
        worst = int(np.argmax(at_centre))
        if at_centre[worst] > above:
            point = tuple(min(max(Fraction(float(x)), a), b) for x, (a, b) in zip(centre[worst], box))  # float: exact
            return Outcome(False, math.inf, point, cells)
        done = bound <= below
        proven = max(proven, float(bound[done].max())) if np.any(done) else proven  # float: numpy to Python
        lo, hi, cells = _next_round(lo, hi, bound, done, cells, progress)
        if cells > max_cells:
            return None
    return Outcome(True, proven, None, cells)


def enclose(compiled: Compiled, box: list, rtol: Fraction, max_cells: int,
            progress: Callable[[int, float], None] | None = None) -> tuple | None:
    """(lower, point, upper, cells) with lower = a proven lower bound of |f| at the point (in
    the box) and upper a proven bound of |f| on the box, upper ≤ (1 + rtol)·lower; None when
    ``max_cells`` are used up first.  A cell is set aside once its bound is at most
    (1 + rtol) times the best lower bound so far, which only grows."""
    factor = float_at_most(1 + rtol)
    inner_lo = np.array([float_at_least(a) for a, _ in box])
    inner_hi = np.array([float_at_most(b) for _, b in box])
    lo, hi = _cover(box)
    cells, lower, point, upper = 1, 0.0, None, 0.0
    while len(lo):
        bound, at_centre, centre, noise = _chunked(compiled, lo, hi)
        scale = max(lower, float(np.max(at_centre)))  # float: numpy to Python
        if scale > 0 and np.max(noise) * 4 > scale * (factor - 1):   # the tolerance is below the float noise
            return None
        candidates = np.where(np.all((centre >= inner_lo) & (centre <= inner_hi), axis=1), at_centre, 0.0)
        best = int(np.argmax(candidates))
        if candidates[best] > lower:
            lower, point = float(candidates[best]), tuple(Fraction(float(x)) for x in centre[best])  # float: exact
        done = bound <= iv.down(lower * factor)
        upper = max(upper, float(bound[done].max())) if np.any(done) else upper  # float: numpy to Python
        lo, hi, cells = _next_round(lo, hi, bound, done, cells, progress)
        if cells > max_cells:
            return None
    return lower, point, upper, cells


def _next_round(lo: np.ndarray, hi: np.ndarray, bound: np.ndarray, done: np.ndarray, cells: int,
                progress: Callable[[int, float], None] | None) -> tuple:
    """The cells not done, halved, and the count of cells after the split."""
    if progress is not None and not np.all(done):
        progress(cells, float(bound[~done].max()))  # float: for display
    lo, hi = _halve(lo[~done], hi[~done])
    return lo, hi, cells + len(lo) // 2


def _cover(box: list) -> tuple:
    """The box as one float cell that contains it."""
    return np.array([[float_at_most(a) for a, _ in box]]), np.array([[float_at_least(b) for _, b in box]])


def _halve(lo: np.ndarray, hi: np.ndarray) -> tuple:
    """Every cell split at the middle of its widest side: the lower halves, then the upper."""
    axis = np.argmax(hi - lo, axis=1)
    rows = np.arange(len(lo))
    middle = lo[rows, axis] + (hi[rows, axis] - lo[rows, axis]) / 2
    upper_lo, lower_hi = lo.copy(), hi.copy()
    upper_lo[rows, axis], lower_hi[rows, axis] = middle, middle
    return np.concatenate([lo, upper_lo]), np.concatenate([lower_hi, hi])

