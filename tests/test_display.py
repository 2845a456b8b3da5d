"""What a researcher sees in Jupyter: the _repr_html_ / _repr_latex_ of result records."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
import sympy

from symdepth import Network, bounds, check_taylor, constructions, piecewise, tables
from symdepth.display import ProgressLine


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self.cells, self.stack = 0, [], []

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        self.rows += tag == "tr"

    def handle_endtag(self, tag):
        assert self.stack.pop() == tag, "unbalanced HTML"

    def handle_data(self, data):
        if self.stack and self.stack[-1] in ("td", "th"):
            self.cells.append(data)


def _parse(text):
    parser = _Cells()
    parser.feed(text)
    assert not parser.stack
    return parser


def _balanced_math(text):
    assert text.startswith("$") and text.endswith("$")
    depth = 0
    for ch in text:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        assert depth >= 0
    return depth == 0


def test_taylor_check():
    net = constructions.deep_power(3, "exp")
    good, bad = check_taylor(net, "x1^3"), check_taylor(net, "x1^3 + 2*x1")
    cells = _parse(good._repr_html_()).cells
    assert "holds" in cells and "x1**3" in cells and "Q" in cells
    bad_cells = _parse(bad._repr_html_()).cells
    assert "fails" in bad_cells and any("x1: network 0, claimed 2" in c for c in bad_cells)
    assert good._repr_latex_() == good.to_latex()
    random = check_taylor(net, "x1^3", method="random", seed=3)
    assert "seed" in _parse(random._repr_html_()).cells


def test_bounds_records():
    m = bounds.monomial_bounds((2, 3))
    cells = _parse(m._repr_html_()).cells
    assert cells[cells.index("one hidden layer, model rt: ∏(r_i+1)") + 1] == "12"
    assert cells[cells.index("one hidden layer, model output-bias: ∏(r_i+1) − 1") + 1] == "11"
    assert _balanced_math(m._repr_latex_()) and "m_1 = 12" in m._repr_latex_()
    p = bounds.product_bound(64, 3)
    cells = _parse(p._repr_html_()).cells
    assert cells[cells.index("neurons (integer optimum)") + 1] == "336" and "(4, 4, 4)" in cells
    assert _balanced_math(p._repr_latex_()) and "m = 336" in p._repr_latex_()


@pytest.mark.parametrize("layers", [1, 3, 5])
def test_piecewise_polynomial(layers):
    f = piecewise.sawtooth_function(layers)
    latex = f._repr_latex_()
    assert _balanced_math(latex) and latex.count(r"\\") == min(2**layers, 13) - 1
    if layers == 1:  # the domain [0, 1] is closed: only the last piece includes its right end
        assert r"x < \frac{1}{2}" in latex and latex.endswith(r"\le x \le 1 \end{cases}$")
    parsed = _parse(f._repr_html_())
    assert parsed.rows == min(2**layers, 50) + 1
    x = sympy.Symbol("x")
    curved = piecewise.compose(piecewise.triangle_map_function(), piecewise.PiecewisePolynomial([0, 1], [x**2]))
    assert "0.707107" in curved._repr_latex_() and _balanced_math(curved._repr_latex_())


def test_tables_are_strings_that_display_as_html():
    text = tables.power_table([2, 7, 8])
    assert isinstance(text, str) and text.startswith(r"\begin{table}")
    parsed = _parse(text._repr_html_())
    assert parsed.rows == 4 and parsed.cells[:5] == ["d", "shallow", "deep", "paper_gates", "bound"]
    assert re.search(r"\b13\b", text._repr_html_())


def test_regions():
    net = Network(2, "relu")
    for a, b in [(1, 0), (0, 1), (1, 2)]:
        net.add_neuron({"x1": a, "x2": b})
    net.set_output({h: 1 for h in net.neurons})
    cells = _parse(piecewise.regions_2d(net)._repr_html_()).cells
    assert cells[cells.index("regions") + 1] == "6" and cells[cells.index("edges") + 1] == "16"


def test_ipython_picks_them_up():
    formatters = pytest.importorskip("IPython.core.formatters")
    html, latex = formatters.HTMLFormatter(), formatters.LatexFormatter()
    result = check_taylor(constructions.deep_power(2, "exp"), "x1^2")
    assert "holds" in html(result) and r"\checkmark" in latex(result)
    assert "<table" in html(bounds.monomial_bounds((1, 2))) and "<table" in html(tables.power_table([2, 3]))
    assert r"\begin{cases}" in latex(piecewise.sawtooth_function(2))


def test_progress_line_throttles_and_clears(capsys):
    line = ProgressLine()
    line.show("a")
    line.show("b")                 # within 0.2 s of "a": skipped
    line.show("c", final=True)     # the last update always shows
    line.clear()
    assert capsys.readouterr().err == "\r\033[Ka\r\033[Kc\r\033[K"
    quiet = ProgressLine(delay=60)
    quiet.show("x", final=True)    # quick work stays silent, and so does its clear
    quiet.clear()
    assert capsys.readouterr().err == ""


def test_model_records_display_their_model():
    from symdepth import bounds

    lower = bounds.shallow_lower_bound("x1*x2", "exp", "output-bias")
    found = bounds.minimal_shallow_width("x1*x2", "exp", "output-bias")
    assert "model output-bias" in lower._repr_html_() and ">3<" in lower._repr_html_()
    assert "model output-bias" in found._repr_html_()
    from symdepth import check_taylor

    assert "output-bias" in check_taylor(found.witness, "x1*x2")._repr_html_()
