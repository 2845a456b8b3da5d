"""Figures (optional extra ``plot``: matplotlib, drawn with the Agg backend).

Plotting is the one place exact values become floats, and only for drawing.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from . import bounds, piecewise
from .constructions import deep_power_count
from .drawing import check_path, pyplot, save
from .errors import SymdepthError
from .numbers import Exact
from .piecewise.regions import plot_regions

__all__ = ["check_path", "plot_function", "plot_error", "plot_optimal_widths", "plot_neuron_counts", "plot_crossing_growth", "plot_regions"]


def plot_function(f: piecewise.PiecewisePolynomial, path: str, threshold: Exact = Fraction(1, 2),
                  title: str = "", samples_per_piece: int = 16) -> None:
    """Draw a piecewise polynomial on its (finite) domain with the threshold line."""
    plt = pyplot()
    lo, hi = f.domain
    if not isinstance(lo, Fraction) or not isinstance(hi, Fraction):
        lo, hi = Fraction(-4), Fraction(4)
    xs, ys = [], []
    step = (hi - lo) / (samples_per_piece * min(f.num_pieces, 4096))
    x = lo
    while x <= hi:
        xs.append(float(x))  # float: plotting only
        ys.append(float(f(x)))  # float: plotting only
        x += step
    fig, ax = plt.subplots(figsize=(7, 3))
    ax.plot(xs, ys, lw=1)
    ax.axhline(float(threshold), color="red", ls="--", lw=0.8, label=f"threshold {threshold}")  # float: plotting
    ax.set_title(f"{title}  Cr = {piecewise.crossings(f, threshold)}")
    ax.legend(loc="upper right")
    save(fig, path)


def plot_optimal_widths(path: str, ks: tuple = (1, 2, 3), ns: tuple | None = None) -> None:
    """Rolnick & Tegmark Fig. 1: optimal (real) widths b_i against n, log–log."""
    plt = pyplot()
    ns = ns or tuple(2**e for e in range(3, 15))
    fig, ax = plt.subplots(figsize=(6, 4))
    for k in ks:
        widths = [bounds.lagrange_widths(n, k) for n in ns]
        for i in range(k):
            ax.plot(ns, [float(w[i]) for w in widths], marker=".", label=f"k={k}, b_{i + 1}")  # float: plot
    # n runs over powers of two: base-2 ticks (2^3, 2^4, ...) read better than decades
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xlabel("n (inputs of x1⋯xn)")
    ax.set_ylabel("optimal width b_i")
    ax.legend(fontsize=7)
    save(fig, path)


def plot_neuron_counts(path: str, max_degree: int = 64) -> None:
    """Shallow (d+1) against deep (Prop 4.6) neuron counts for x^d, and (r+1)² for x^r y^r,
    all against the total degree (x^r y^r at d = 2r)."""
    plt = pyplot()
    ds = list(range(1, max_degree + 1))
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(ds, [d + 1 for d in ds], label="shallow x^d: d+1")
    ax.plot(ds, [deep_power_count(d) for d in ds], label="deep x^d (construction)")
    ax.plot(ds, [7 * (d - 1).bit_length() for d in ds], ls=":", label="7 ceil(log2 d)")
    rs = ds[: max_degree // 2]
    ax.plot([2 * r for r in rs], [bounds.monomial_bounds((r, r)).shallow for r in rs], label="shallow x^r y^r: (r+1)^2")
    ax.set_xlabel("total degree d (x^r y^r at d = 2r)")
    ax.set_ylabel("neurons")
    ax.legend(fontsize=8)
    save(fig, path)


def plot_crossing_growth(path: str, max_layers: int = 12) -> None:
    """Cr of the l-fold tent map against l (log scale): 2^l + 1."""
    plt = pyplot()
    ls = list(range(1, max_layers + 1))
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(ls, [piecewise.crossings(piecewise.sawtooth_function(layer)) for layer in ls], marker="o",
            label="Cr(sawtooth(l)) = 2^l + 1")
    ax.set_yscale("log", base=2)
    ax.set_xlabel("layers l")
    ax.set_ylabel("crossing number")
    ax.legend()
    save(fig, path)


def plot_error(net: Any, target: Any, path: str, box: Sequence[Sequence[object]] | None = None,
               proof: Any = None, samples: int = 400) -> None:
    """|N − target| over the box — a curve for one input, a heat map for two — with the proven
    bound of ``proof`` (a :class:`~symdepth.uniform.UniformCheck` or
    :class:`~symdepth.uniform.SupEnclosure`) drawn as a line (one input) or given in the title
    (two); a failed check's point is marked.  Values are sampled with ball arithmetic
    (:func:`~symdepth.uniform.errors_at`) and rounded only to draw."""
    from .uniform import SupEnclosure, UniformCheck, box_intervals, errors_at

    check_path(path)
    n = net.num_inputs
    if n not in (1, 2):
        raise SymdepthError(f"the error plot draws networks of 1 or 2 inputs; this one has {n}")
    cells = box_intervals(net, box)
    bound = proof.bound if isinstance(proof, UniformCheck) else proof.upper if isinstance(proof, SupEnclosure) else None
    point = proof.point if isinstance(proof, UniformCheck) and not proof.ok else None
    plt = pyplot()
    if n == 1:
        (lo, hi), = cells
        xs = [lo + (hi - lo) * k / (samples - 1) for k in range(samples)]
        ys = [float(e.mid()) for e in errors_at(net, target, [[x] for x in xs])]  # float: plotting only
        fig, ax = plt.subplots(figsize=(7, 3.5))
        ax.plot([float(x) for x in xs], ys, lw=1, label="|N - p| (sampled)")  # float: plotting only
        if bound is not None:
            ax.axhline(bound, color="green", ls="--", lw=0.9, label=f"proven sup <= {bound:.3g}")
        if isinstance(proof, UniformCheck):
            ax.axhline(float(proof.eps), color="red", ls=":", lw=0.9, label=f"eps = {float(proof.eps):.3g}")  # float: plot
        if point is not None:
            ax.plot([float(point[0])], [abs(proof.value)], "rx", label="counterexample")  # float: plotting only
        ax.set_xlabel(net.inputs[0])
        ax.set_ylabel("|N - p|")
        ax.legend(fontsize=8)
    else:
        side = max(8, int(samples ** 0.5))
        (x_lo, x_hi), (y_lo, y_hi) = cells
        columns = [x_lo + (x_hi - x_lo) * k / (side - 1) for k in range(side)]
        rows = [y_lo + (y_hi - y_lo) * k / (side - 1) for k in range(side)]
        values = errors_at(net, target, [[x, y] for y in rows for x in columns])
        grid = [[float(values[j * side + i].mid()) for i in range(side)] for j in range(side)]  # float: plotting only
        fig, ax = plt.subplots(figsize=(5.5, 4.5))
        image = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis",
                          extent=[float(x_lo), float(x_hi), float(y_lo), float(y_hi)])  # float: plotting only
        fig.colorbar(image, ax=ax, label="|N - p|")
        if point is not None:
            ax.plot([float(point[0])], [float(point[1])], "rx")  # float: plotting only
        ax.set_xlabel(net.inputs[0])
        ax.set_ylabel(net.inputs[1])
        ax.locator_params(nbins=5)
        if bound is not None:
            ax.set_title(f"proven sup <= {bound:.3g}", fontsize=10)
        elif point is not None:
            ax.set_title(f"fails: |N - p| = {abs(proof.value):.3g} > eps at x", fontsize=10)
    save(fig, path)
