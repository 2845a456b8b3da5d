"""Figures (optional extra ``plot``: matplotlib, drawn with the Agg backend).

Plotting is the one place exact values become floats, and only for drawing.
"""

from __future__ import annotations

from fractions import Fraction

from . import bounds, piecewise
from .constructions import deep_power_count
from .drawing import check_path, pyplot, save
from .numbers import Exact
from .regions import plot_regions

__all__ = ["check_path", "plot_function", "plot_optimal_widths", "plot_neuron_counts", "plot_crossing_growth", "plot_regions"]


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
