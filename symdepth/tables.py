"""Tables of bounds and constructions: LaTeX (booktabs), CSV and Markdown from one record.

Each table function computes its rows with :mod:`symdepth.bounds` and
:mod:`symdepth.constructions` and renders them; ``fmt`` picks the format, the result is
always a string.  LaTeX output is a complete ``table`` environment with ``\\toprule``,
``\\midrule``, ``\\bottomrule`` (package ``booktabs``), math-mode headers, right-aligned numbers,
a caption and a label.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from . import bounds
from .constructions import deep_power_count
from .display import html_table
from .errors import SymdepthError

__all__ = ["Table", "RenderedTable", "monomial_table", "product_table", "power_table", "render"]


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
    """Bounds for monomials x^r: the shallow count ∏(r_i+1) (Thms 4.1/4.2), Thm 4.4's bounds,
    the deep upper bound and the actual deep construction.

    Examples
    --------
    >>> print(monomial_table([(1, 1), (2, 3)], fmt="csv"))
    r,d,shallow,thm44,thm44_simple,deep_upper,deep_construction
    "(1, 1)",2,4,2,4/3,8,4
    "(2, 3)",5,12,3,2,29,13
    <BLANKLINE>
    """
    rows = []
    for r in exponent_vectors:
        b = bounds.monomial_bounds(r)
        rows.append((b.exponents, b.degree, b.shallow, b.thm44, b.thm44_simple, b.deep_upper, b.deep_construction))
    table = Table(
        keys=("r", "d", "shallow", "thm44", "thm44_simple", "deep_upper", "deep_construction"),
        headers=("r", "d", "shallow", "thm44", "thm44_simple", "deep_upper", "deep_construction"),
        latex_headers=(r"r", r"d", r"\prod (r_i+1)", r"\max_s C_s", r"\prod (r_i+1)/(d+1)",
                       r"\sum (7\lceil\log_2 r_i\rceil+4)", r"m_{\mathrm{deep}}"),
        rows=tuple(rows),
        caption="Neurons for the monomial $x^r$: shallow (exact, Thms 4.1--4.2), Thm 4.4 lower bounds "
                "(the simple one corrected from $/d$ to $/(d+1)$), "
                "deep upper bound (Thm 4.1 ii) and the deep construction's count.",
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
    latex = ("d", "d+1", r"m_{\mathrm{deep}}", r"m_{\mathrm{deep}}^{(3)}", r"7\lceil\log_2 d\rceil")
    table = Table(keys, keys, latex, tuple(rows),
                  "Neurons for $x^d$: one hidden layer against the deep construction of Prop.~4.6 "
                  "(with 2-neuron square gates, and $m^{(3)}$ counting 3 per square gate as the paper does) and its "
                  "bound.", "tab:power")
    return render(table, fmt)
