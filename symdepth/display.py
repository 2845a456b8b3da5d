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

__all__ = ["html_record", "html_table", "ProgressLine"]

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
