"""How results are shown while and after they are computed: the small HTML tables behind
the ``_repr_html_`` of result records (TaylorCheck, MonomialBounds, ProductBound,
PiecewisePolynomial, Regions2D, tables), and the one-line progress display on a terminal.

Jupyter calls ``_repr_html_`` / ``_repr_latex_`` when a cell's value has them; every
value shown is escaped.

Examples
--------
>>> from symdepth.display import html_record
>>> print(html_record("Result", [("verdict", "holds"), ("x < y", 1)]))
<table><caption>Result</caption><tr><th style="text-align:left">verdict</th><td style="text-align:left">holds</td></tr><tr><th style="text-align:left">x &lt; y</th><td style="text-align:left">1</td></tr></table>
"""

from __future__ import annotations

import html
import sys
import time
from collections.abc import Sequence
from typing import Any

__all__ = ["html_record", "html_table", "ProgressLine", "neuron_lines"]

_LEFT = ' style="text-align:left"'


def html_record(title: str, fields: Sequence[tuple[str, Any]]) -> str:
    """A two-column table (name, value) with a caption."""
    rows = "".join(f"<tr><th{_LEFT}>{html.escape(str(k))}</th><td{_LEFT}>{html.escape(str(v))}</td></tr>"
                   for k, v in fields)
    return f"<table><caption>{html.escape(title)}</caption>{rows}</table>"


def html_table(headers: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = "") -> str:
    """A table with a header row."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    cap = f"<caption>{html.escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<tr>{head}</tr>{body}</table>"


class ProgressLine:
    """One line on stderr, rewritten in place: at most five updates a second (the last one,
    ``final=True``, always shows), and nothing before ``delay`` seconds have passed, so
    quick work stays silent.  Callers create it only when stderr is a terminal."""

    def __init__(self, delay: float = 0.0) -> None:
        self.started = time.monotonic()
        self.delay = delay
        self.last = 0.0
        self.shown = False

    def show(self, text: str, final: bool = False) -> None:
        now = time.monotonic()
        if now - self.started < self.delay or (now - self.last < 0.2 and not final):
            return
        self.last, self.shown = now, True
        sys.stderr.write(f"\r\033[K{text}")
        sys.stderr.flush()

    def clear(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def neuron_lines(net: Any) -> list[str]:
    """A network as its neurons, one line each (``h1 = exp(x1 + x2)``), then its output as
    the weighted sum of what it reads: nothing is simplified away, so a constant neuron
    exp(0) counts as the neuron it is.

    Examples
    --------
    >>> from symdepth import Network
    >>> net = Network(2, "exp")
    >>> a, b = net.add_neuron({"x1": 1, "x2": -1}), net.add_neuron({"x1": 0})
    >>> net.set_output({a: "1/2", b: -1}, bias=1)
    >>> print("\\n".join(neuron_lines(net)))
    h1 = exp(x1 - x2)
    h2 = exp(0)
    output = 1/2*h1 - h2 + 1
    """
    from .parsing import natural_key

    layer = net.layers()
    lines = []
    for node in sorted(net.neurons, key=lambda v: (layer[v], natural_key(str(v)))):
        act = net.graph.nodes[node]["activation"]
        label = act.symbol if act.is_generic else act.name
        lines.append(f"{node} = {label}({_affine_text(net, node)})")
    lines.append(f"output = {_affine_text(net, net.output)}")
    return lines


def _affine_text(net: Any, node: Any) -> str:
    """Σ w·u + b of a node's inputs, exact numbers as written in network files."""
    terms = []
    for source, _, weight in net.graph.in_edges(node, data="weight"):
        if weight == 1:
            terms.append(str(source))
        elif weight == -1:
            terms.append(f"-{source}")
        elif weight != 0:
            terms.append(f"{_number_text(weight)}*{source}")
    bias = net.graph.nodes[node]["bias"]
    if bias != 0 or not terms:
        terms.append(_number_text(bias))
    return " + ".join(terms).replace("+ -", "- ")


def _number_text(value: Any) -> str:
    text = str(value)
    return f"({text})" if any(c in text[1:] for c in "+-") else text
