"""Tables of bounds and constructions: LaTeX (booktabs), CSV and Markdown from one record.

Each table function computes its rows with :mod:`symdepth.bounds` and
:mod:`symdepth.constructions` and renders them; ``fmt`` picks the format, the result is
always a string.  LaTeX output is a complete ``table`` environment with ``\\toprule``,
``\\midrule``, ``\\bottomrule`` (package ``booktabs``), math-mode headers, right-aligned numbers,
a caption and a label.
"""

from __future__ import annotations

import concurrent.futures
import csv
import functools
import io
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from . import bounds
from .constructions import deep_power_count
from .display import html_table
from .errors import SymdepthError
from .parsing import polynomial_terms
from .prove import latex_text

__all__ = ["Table", "RenderedTable", "monomial_table", "product_table", "power_table", "minimal_table",
           "MINIMAL_TABLE_POLYNOMIALS", "render"]


@dataclass(frozen=True)
class Table:
    """Rows of plain values with column headers (plain text and LaTeX math)."""

    keys: tuple
    headers: tuple
    latex_headers: tuple
    rows: tuple
    caption: str
    label: str


class RenderedTable(str):
    """The rendered text of a table (a ``str``: print it, write it to a .tex file) that also
    displays as an HTML table in a notebook."""

    table: Table

    def _repr_html_(self) -> str:
        return html_table(self.table.headers, [[_cell_text(v) for v in row] for row in self.table.rows],
                          self.table.caption)


def _cell_text(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1f}"
    if isinstance(value, tuple):
        return "(" + ", ".join(str(v) for v in value) + ")"
    return str(value)


def _cell_latex(value: Any) -> str:
    if isinstance(value, Fraction) and value.denominator != 1:
        return rf"${value.numerator}/{value.denominator}$"
    if isinstance(value, tuple):
        return "$(" + ", ".join(str(v) for v in value) + ")$"
    if isinstance(value, str):  # words (a model's name, "none"): text, not math
        return latex_text(value)
    return f"${_cell_text(value)}$"


def render(table: Table, fmt: str = "latex") -> RenderedTable:
    """Render ``table`` as ``"latex"``, ``"csv"`` or ``"markdown"`` (a string that displays
    as an HTML table in a notebook).

    Examples
    --------
    >>> t = Table(("d",), ("d",), ("d",), ((1,), (2,)), "c", "tab:x")
    >>> print(render(t, "markdown"))
    | d |
    | --: |
    | 1 |
    | 2 |
    """
    text = RenderedTable(_text(table, fmt))
    text.table = table
    return text


def _text(table: Table, fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(table.headers)
        for row in table.rows:
            writer.writerow([_cell_text(v) for v in row])
        return out.getvalue()
    if fmt == "markdown":
        lines = ["| " + " | ".join(table.headers) + " |", "|" + "|".join(" --: " for _ in table.headers) + "|"]
        lines += ["| " + " | ".join(_cell_text(v) for v in row) + " |" for row in table.rows]
        return "\n".join(lines)
    if fmt != "latex":
        raise SymdepthError(f"table format must be 'latex', 'csv' or 'markdown', got {fmt!r}")
    spec = "r" * len(table.keys)
    lines = [
        r"\begin{table}[ht]",
        r"\centering",
        rf"\begin{{tabular}}{{{spec}}}",
        r"\toprule",
        " & ".join(f"${h}$" for h in table.latex_headers) + r" \\",
        r"\midrule",
    ]
    lines += [" & ".join(_cell_latex(v) for v in row) + r" \\" for row in table.rows]
    lines += [r"\bottomrule", r"\end{tabular}", rf"\caption{{{table.caption}}}", rf"\label{{{table.label}}}",
              r"\end{table}"]
    return "\n".join(lines) + "\n"


def monomial_table(exponent_vectors: Sequence[Sequence[int]], fmt: str = "latex") -> str:
    """Bounds for monomials x^r, each in its network model (:mod:`symdepth.models`): the
    shallow count ∏(r_i+1) in RT's bias-free model and ∏(r_i+1) − 1 with an output bias,
    Thm 4.4's bounds (any model), RT's deep upper bound (their model) and the deep
    construction's count in the model it is built in.

    Examples
    --------
    >>> print(monomial_table([(1, 1), (2, 3)], fmt="csv"))
    r,d,shallow_rt,shallow_output_bias,thm44,thm44_simple,deep_upper_rt,deep_construction,deep_model
    "(1, 1)",2,4,3,2,4/3,8,4,rt
    "(2, 3)",5,12,11,3,2,29,13,biases+skip
    <BLANKLINE>
    """
    rows = []
    for r in exponent_vectors:
        b = bounds.monomial_bounds(r)
        rows.append((b.exponents, b.degree, b.shallow, b.shallow_output_bias, b.thm44, b.thm44_simple, b.deep_upper,
                     b.deep_construction, b.deep_construction_model))
    keys = ("r", "d", "shallow_rt", "shallow_output_bias", "thm44", "thm44_simple", "deep_upper_rt",
            "deep_construction", "deep_model")
    table = Table(
        keys=keys,
        headers=keys,
        latex_headers=(r"r", r"d", r"m_1^{\mathrm{rt}} = \prod (r_i+1)", r"m_1^{\mathrm{out}} = \prod (r_i+1) - 1",
                       r"\max_s C_s", r"\prod (r_i+1)/(d+1)", r"\sum (7\lceil\log_2 r_i\rceil+4)",
                       r"m_{\mathrm{deep}}", r"\mathrm{model}"),
        rows=tuple(rows),
        caption="Neurons for the monomial $x^r$ by network model: one hidden layer exactly, in Rolnick \\& "
                "Tegmark's bias-free layered model (Thms 4.1--4.2) and with an output bias; Thm 4.4 lower bounds "
                "(any model; the simple one corrected from $/d$ to $/(d+1)$); RT's deep upper bound (their model, "
                "Thm 4.1 ii); the deep construction's count and the model it is built in.",
        label="tab:monomials",
    )
    return render(table, fmt)


def product_table(ns: Sequence[int], ks: Sequence[int], fmt: str = "latex") -> str:
    """Thm 5.1: the integer optimum of eq. (2) (widths in parentheses) for x_1⋯x_n with k
    hidden layers, next to n^((k−1)/k)·2^(n^(1/k)).

    Examples
    --------
    >>> print(product_table([4, 8], [1, 2], fmt="markdown"))
    | n | k=1 | widths k=1 | eq1 k=1 | k=2 | widths k=2 | eq1 k=2 |
    | --: | --: | --: | --: | --: | --: | --: |
    | 4 | 16 | (4) | 16.0 | 12 | (2, 2) | 8.0 |
    | 8 | 256 | (8) | 256.0 | 32 | (2, 4) | 20.1 |
    """
    rows = []
    for n in ns:
        row: list = [n]
        for k in ks:
            b = bounds.product_bound(n, k)
            row += [b.neurons, b.widths, b.closed_form]
        rows.append(tuple(row))
    headers = ("n",) + tuple(h for k in ks for h in (f"k={k}", f"widths k={k}", f"eq1 k={k}"))
    latex = ("n",) + tuple(h for k in ks for h in (rf"m_{{{k}}}", rf"b^{{({k})}}", rf"n^{{{k - 1}/{k}}}2^{{n^{{1/{k}}}}}"))
    table = Table(headers, headers, latex, tuple(rows),
                  "Neurons of the product tree for $x_1\\cdots x_n$ with $k$ hidden layers: integer optimum of "
                  "eq.~(2), optimal widths, and eq.~(1).", "tab:product")
    return render(table, fmt)


def power_table(ds: Sequence[int], fmt: str = "latex") -> str:
    """x^d: shallow d+1 (Prop 4.6 i) against the deep construction and 7⌈log2 d⌉ (Prop 4.6 ii).

    Examples
    --------
    >>> print(power_table([2, 7, 8], fmt="csv"))
    d,shallow,deep,paper_gates,bound
    2,3,2,3,7
    7,8,13,15,21
    8,9,6,9,21
    <BLANKLINE>
    """
    rows = []
    for d in ds:
        deep = deep_power_count(d)
        squares = max(d.bit_length() - 1, 0)
        rows.append((d, d + 1, deep, deep + squares, 7 * (d - 1).bit_length()))
    keys = ("d", "shallow", "deep", "paper_gates", "bound")
    latex = ("d", r"d+1\ [\mathrm{rt}]", r"m_{\mathrm{deep}}\ [\mathrm{biases}]",
             r"m_{\mathrm{deep}}^{(3)}\ [\mathrm{rt}]", r"7\lceil\log_2 d\rceil\ [\mathrm{rt}]")
    table = Table(keys, keys, latex, tuple(rows),
                  "Neurons for $x^d$ by network model: one hidden layer in Rolnick \\& Tegmark's bias-free model "
                  "(rt; $d$ with an output bias), the deep construction of Prop.~4.6 with 2-neuron square gates and "
                  "biases (biases), $m^{(3)}$ counting 3 per square gate as the paper does (rt), and its bound (rt).",
                  "tab:power")
    return render(table, fmt)


# every monomial of degree ≤ 4 in ≤ 3 variables (up to renaming the variables), then classics
MINIMAL_TABLE_POLYNOMIALS = (
    "x1", "x1^2", "x1*x2", "x1^3", "x1^2*x2", "x1*x2*x3", "x1^4", "x1^3*x2", "x1^2*x2^2", "x1^2*x2*x3",
    "x1^2 + x2^2", "x1*x2 + x3*x4", "x1*x2 + x1*x3 + x2*x3", "x1*x2 + x1*x3 + x1*x4 + x2*x3 + x2*x4 + x3*x4",
    "x1*x2*x3 + x1*x2*x4 + x1*x3*x4 + x2*x3*x4", "x1*x4 - x2*x3",
)


def _minimal_row(models: tuple, tries: int, cell: tuple) -> dict:
    """One row of :func:`minimal_table`: model → :class:`~symdepth.bounds.MinimalWidth`."""
    poly, activation = cell
    return bounds.minimal_shallow_widths(poly, activation, list(models), tries=tries)


def _search_size(poly: str) -> tuple:
    """How large a row's search is: its Taylor equations (monomials of degree ≤ d), then terms."""
    variables, terms = polynomial_terms(poly)
    d = max((sum(m) for m in terms), default=0)
    return math.comb(len(variables) + d, d), len(terms)


def _save_witnesses(directory: Path, cells: list, found: list) -> None:
    """Write each verified network of the table as a network file (the CLI's format)."""
    directory.mkdir(parents=True, exist_ok=True)
    for (poly, activation), widths in zip(cells, found):
        slug = re.sub(r"[^A-Za-z0-9]+", "_", poly.replace("^", "p").replace("*", "")).strip("_")
        for model, result in widths.items():
            if result.witness is not None:
                result.save(str(directory / f"{slug}__{activation}__{model}.json"))


def minimal_width_cell(result: Any) -> str:
    """A table cell for a :class:`~symdepth.bounds.MinimalWidth`: the exact width, an honest
    interval [proven lower, verified upper] ("?" when no network was found), or "none"
    (proven: no network of the model exists).

    Examples
    --------
    >>> from symdepth import bounds
    >>> minimal_width_cell(bounds.minimal_shallow_width("x1*x2", "exp", "rt"))
    '4'
    """
    if result.lower is None:
        return "none"
    if result.exact:
        return str(result.lower)
    return f"[{result.lower}, {'?' if result.upper is None else result.upper}]"


def minimal_table(polynomials: Sequence[str] = MINIMAL_TABLE_POLYNOMIALS,
                  activations: Sequence[str] = ("exp", "tanh", "softplus", "generic"),
                  models: Sequence[str] | None = None, fmt: str = "latex", tries: int = 600,
                  progress: Callable[[int, int], None] | None = None, workers: int = 1,
                  witnesses: str | Path | None = None) -> str:
    """The smallest one-hidden-layer network that Taylor-approximates each polynomial, per
    activation and network model: "3" when the proven lower bound meets a network verified by
    ``check_taylor``, "[2, 3]" when they do not meet, "none" when no network of that model
    exists (:func:`symdepth.bounds.minimal_shallow_width`).  tanh is expanded at 0 in the
    bias-free models (σ''(0) = 0: even degrees are out of reach) and may shift with hidden
    biases.  No paper prints this table.

    ``workers`` > 1 computes the rows in that many processes (:func:`symdepth.sweep`; the
    table does not depend on it); ``progress(done, total)`` is called after each row;
    ``witnesses``, a directory, receives every verified network as a network file named
    ``<polynomial>__<activation>__<model>.json``.

    Examples
    --------
    >>> print(minimal_table(["x1*x2"], ["exp"], ["rt", "output-bias", "output-bias+skip"], fmt="csv"))
    polynomial,activation,rt,output-bias,output-bias+skip
    x1*x2,exp,4,3,2
    <BLANKLINE>
    """
    from . import models as _models

    chosen = list(models) if models is not None else list(_models.MODELS)
    cells = [(poly, activation) for poly in polynomials for activation in activations]
    work = functools.partial(_minimal_row, tuple(chosen), tries)
    found: list = []
    if workers > 1:
        from .sweeps import sweep

        # the largest systems first, so that no long row starts last on an otherwise idle pool
        order = sorted(range(len(cells)), key=lambda i: _search_size(cells[i][0]), reverse=True)
        with concurrent.futures.ProcessPoolExecutor(workers) as pool:
            values = sweep(work, [cells[i] for i in order], executor=pool,
                           progress=(lambda done, failed, total: progress(done, total)) if progress else False).values
        found = [None] * len(cells)
        for i, value in zip(order, values):
            found[i] = value
    else:
        for done, cell in enumerate(cells, start=1):
            found.append(work(cell))
            if progress is not None:
                progress(done, len(cells))
    if witnesses is not None:
        _save_witnesses(Path(witnesses), cells, found)
    rows = [(poly, activation, *(minimal_width_cell(widths[m]) for m in chosen))
            for (poly, activation), widths in zip(cells, found)]
    keys = ("polynomial", "activation", *chosen)
    table = Table(keys, keys, ("p", r"\sigma", *(rf"\mathrm{{{m}}}" for m in chosen)), tuple(rows),
                  "Fewest neurons of a one-hidden-layer network that Taylor-approximates $p$ to its degree, by "
                  "activation and network model: a number is exact (a proven lower bound met by a network verified "
                  "by exact computation), $[a, b]$ an interval between them, none: no network of that model exists.",
                  "tab:minimal")
    return render(table, fmt)
