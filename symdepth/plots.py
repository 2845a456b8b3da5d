"""Figures (optional extra ``plot``: matplotlib, drawn with the Agg backend).

Plotting is the one place exact values become floats, and only for drawing.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from . import bounds, piecewise
from .constructions import deep_power_count
from .errors import SymdepthError
from .numbers import Exact

__all__ = ["check_path", "plot_function", "plot_optimal_widths", "plot_neuron_counts", "plot_crossing_growth", "plot_regions"]


def _pyplot() -> Any:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise SymdepthError("plots need matplotlib: pip install 'symdepth[plot]'") from None
    return plt


def check_path(path: str) -> None:
    """Refuse, before any work, a file name whose extension matplotlib cannot write.

    Examples
    --------
    >>> check_path("out.xyz")
    Traceback (most recent call last):
    ...
    symdepth.errors.SymdepthError: cannot write a figure to 'out.xyz': unknown format '.xyz'; use one of .eps, .jpeg, .jpg, .pdf, .png, .ps, .svg, .svgz, .tif, .tiff, .webp
    """
    plt = _pyplot()
    formats = plt.gcf().canvas.get_supported_filetypes()
    plt.close("all")
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    if suffix not in formats:
        usable = sorted(f for f in formats if f in _COMMON_FORMATS)
        what = f"unknown format '.{suffix}'" if suffix else "no extension"
        raise SymdepthError(f"cannot write a figure to {path!r}: {what}; use one of " + ", ".join("." + f for f in usable))


_COMMON_FORMATS = {"png", "pdf", "svg", "svgz", "eps", "ps", "jpg", "jpeg", "tif", "tiff", "webp"}


def _save(fig: Any, path: str) -> None:
    check_path(path)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    _pyplot().close(fig)


def plot_function(f: piecewise.PiecewisePolynomial, path: str, threshold: Exact = Fraction(1, 2),
                  title: str = "", samples_per_piece: int = 16) -> None:
    """Draw a piecewise polynomial on its (finite) domain with the threshold line."""
    plt = _pyplot()
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
    _save(fig, path)


def plot_optimal_widths(path: str, ks: tuple = (1, 2, 3), ns: tuple | None = None) -> None:
    """Rolnick & Tegmark Fig. 1: optimal (real) widths b_i against n, log–log."""
    plt = _pyplot()
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
    _save(fig, path)


def plot_neuron_counts(path: str, max_degree: int = 64) -> None:
    """Shallow (d+1) against deep (Prop 4.6) neuron counts for x^d, and (r+1)² for x^r y^r,
    all against the total degree (x^r y^r at d = 2r)."""
    plt = _pyplot()
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
    _save(fig, path)


def plot_crossing_growth(path: str, max_layers: int = 12) -> None:
    """Cr of the l-fold tent map against l (log scale): 2^l + 1."""
    plt = _pyplot()
    ls = list(range(1, max_layers + 1))
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(ls, [piecewise.crossings(piecewise.sawtooth_function(layer)) for layer in ls], marker="o",
            label="Cr(sawtooth(l)) = 2^l + 1")
    ax.set_yscale("log", base=2)
    ax.set_xlabel("layers l")
    ax.set_ylabel("crossing number")
    ax.legend()
    _save(fig, path)


def plot_regions(result: Any, path: str, title: str = "") -> None:
    """Draw the exact linear regions of :func:`symdepth.piecewise.regions_2d`: one colour per
    activation pattern, boundaries in black.  Coordinates become floats only here."""
    plt = _pyplot()
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
    _save(fig, path)
