"""Truncated power series over a chosen coefficient ring, and their propagation through a
network.

One algorithm (:func:`network_series`, in :mod:`~symdepth.series.propagate`) runs over
every ring; the rings differ in their coefficient domain and representation, each in a
module of its own:

- :mod:`~symdepth.series.fields` — the coefficient fields: Q (:data:`RATIONALS`), GF(p)
  (:class:`PrimeField`), Q(symbols, constants) (:class:`SymbolicField`), and flint's
  global precisions set in one place;
- :mod:`~symdepth.series.ring` — what every ring shares (elementwise operations, Horner);
- :mod:`~symdepth.series.line` — :class:`LineSeries`, univariate along a line x = a·t over
  Q or GF(p) (exact for one input; the randomized check's ring);
- :mod:`~symdepth.series.graded` — :class:`GradedSeries`, multivariate by homogeneous
  components over Q or a field of rational functions (the exact check's ring);
- :mod:`~symdepth.series.balls` — :class:`BallSeries` and :class:`BallLineSeries` over
  ``arb`` balls (the uniform checks' Taylor models);
- :mod:`~symdepth.series.majorants` — :class:`CoefficientBounds`, coefficient size and
  denominator bounds (the randomized check's error probability);
- :mod:`~symdepth.series.propagate` — :func:`network_series` and :func:`univariate_taylor`.

Why the transcendental functions are written here rather than taken from a library: flint
offers them only for univariate series over Q; for GF(p) and for graded multivariate series
we use the classical recurrences from the Euler operator t·d/dt (k·y_k = Σ j·v_j·y_{k−j} for
y = exp v, and similar), and for GF(p) Newton iteration with flint's C series inverse.
"""

from .balls import BallLineSeries, BallSeries, activation_balls, ball, ball_seeds
from .fields import RATIONALS, PrimeField, SymbolicField, ball_precision, exact_field, flint_precision
from .graded import GradedSeries
from .line import LineSeries
from .majorants import CoefficientBounds, RadiusTooLarge
from .propagate import network_series, univariate_taylor

__all__ = [
    "LineSeries",
    "GradedSeries",
    "BallSeries",
    "BallLineSeries",
    "activation_balls",
    "SymbolicField",
    "network_series",
    "univariate_taylor",
    "flint_precision",
    "ball_precision",
    "exact_field",
    "RATIONALS",
    "PrimeField",
    "CoefficientBounds",
    "RadiusTooLarge",
    "ball",
    "ball_seeds",
]
