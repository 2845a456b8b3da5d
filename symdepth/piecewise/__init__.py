"""Exact piecewise functions of networks: Telgarsky's crossing numbers and the linear regions
of ReLU networks.

The family, in layers that import one way (each knows only the ones below it):

- :mod:`~symdepth.piecewise.rational_array` — exact rational arrays (int64 numerators and
  denominators with an exact fallback);
- :mod:`~symdepth.piecewise.algebraic` — exact real algebraic breakpoints and root isolation;
- :mod:`~symdepth.piecewise.linear` — continuous piecewise-linear functions of one variable
  as arrays of knots, a network a whole layer at a time;
- :mod:`~symdepth.piecewise.regions` — exact 2-D linear regions of piecewise-linear networks;
- :mod:`~symdepth.piecewise.polynomial` — :class:`PiecewisePolynomial` and composition,
  converting from the array layer where the functions are linear;
- :mod:`~symdepth.piecewise.crossing_numbers` — Telgarsky's crossing numbers, (t, α), triangles
  and the disagreement lemma;
- :mod:`~symdepth.piecewise.networks` — univariate networks as piecewise polynomials, the
  tent map and the sawtooth.

The public names are re-exported here: ``from symdepth.piecewise import crossings``.
"""

from .algebraic import INF, RealAlgebraic
from .crossing_numbers import Disagreement, count_triangles, crossings, disagreement, pieces, tapoly
from .networks import (
    from_network,
    linear_regions,
    sawtooth,
    sawtooth_function,
    triangle,
    triangle_map,
    triangle_map_function,
)
from .polynomial import DEFAULT_MAX_PIECES, PiecewisePolynomial, compose, maximum, minimum, relu
from .regions import DEFAULT_MAX_MEMORY, DEFAULT_MAX_REGIONS, Region, Regions2D, regions_2d

__all__ = [
    "RealAlgebraic",
    "PiecewisePolynomial",
    "INF",
    "compose",
    "crossings",
    "pieces",
    "tapoly",
    "relu",
    "maximum",
    "minimum",
    "from_network",
    "linear_regions",
    "triangle_map",
    "triangle_map_function",
    "sawtooth",
    "sawtooth_function",
    "triangle",
    "count_triangles",
    "Disagreement",
    "disagreement",
    "DEFAULT_MAX_PIECES",
    "DEFAULT_MAX_REGIONS",
    "DEFAULT_MAX_MEMORY",
    "Region",
    "Regions2D",
    "regions_2d",
]
