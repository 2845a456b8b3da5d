"""Uniform approximation proven by ball arithmetic (Rolnick & Tegmark 2018, Definition 3.1):
sup over a box of |N(x) − p(x)| ≤ ε.

The network and the target are evaluated with python-flint's ``arb`` balls (rigorous error
bounds), together with their gradients (forward mode: every node carries its value and its
partial derivatives).  On a cell X with centre c and half-widths r, the mean value form

    |f(x)| ≤ |f(c)| + Σ_i sup_X |∂_i f| · r_i      (f = N − p)

bounds f on X; it sees the cancellation in N − p that plain interval evaluation of N and p
separately cannot, since the gradient of N − p is small where N follows p.  Cells are split
along their widest side, worst bound first.  Three outcomes:

* holds — every cell's bound is ≤ ε; the result carries the largest cell bound (a proven
  sup) and the number of cells;
* fails — a cell centre where |f| > ε rigorously, recomputed at 256 bits: a genuine
  counterexample;
* undecided — :class:`~symdepth.errors.BudgetError` after ``max_cells`` cells, with the cells
  left and the best bound so far.

Written here rather than taken from a library: verified-optimisation packages bound
networks (auto_LiRPA) or polynomials, not the difference of the two with exact weights.
Piecewise-linear activations work too: on a cell where a ReLU's input changes sign its
derivative is enclosed by [0, 1], which keeps the mean value bound valid (f is Lipschitz).

The modules: :mod:`~symdepth.uniform.enclosure` (the bounds on a cell),
:mod:`~symdepth.uniform.search` (the branch and bound, :func:`check_uniform`,
:func:`sup_enclosure`), :mod:`~symdepth.uniform.rescaling` (Prop. 3.3) and
:mod:`~symdepth.uniform.cells` (the cells of a certificate, bounded by certcheck's own method).
"""

from .rescaling import errors_at, rescaling_sweep, uniform_rescaling
from .search import DEFAULT_MAX_CELLS, SupEnclosure, UniformCheck, box_intervals, check_uniform, sup_enclosure

__all__ = ["UniformCheck", "SupEnclosure", "check_uniform", "sup_enclosure", "uniform_rescaling", "rescaling_sweep",
           "errors_at", "box_intervals", "DEFAULT_MAX_CELLS"]
