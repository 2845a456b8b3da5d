"""Lower and upper bounds on neuron counts: the partial-derivative rank and the bound
formulas of Rolnick & Tegmark (2018), Thms 4.1–4.4 and 5.1, eqs (2)–(6).

One topic a module, each importing only those above it:

- :mod:`~symdepth.bounds.rank` — the derivative-rank engine (:func:`derivative_rank`,
  :func:`derivative_ranks`), exact over Q and over GF(p);
- :mod:`~symdepth.bounds.formulas` — the papers' closed forms for monomials and sparse
  polynomials (:func:`monomial_bounds`, :func:`sparse_bound`);
- :mod:`~symdepth.bounds.shallow` — proven lower bounds in each network model with their
  argument (:func:`shallow_lower_bound`);
- :mod:`~symdepth.bounds.search` — minimal widths and verified witnesses
  (:func:`minimal_shallow_width`);
- :mod:`~symdepth.bounds.products` — eq. (2) for x_1⋯x_n and the depth rule
  (:func:`product_bound`, :func:`depth_rule_of_thumb`).

The public names are re-exported here: ``from symdepth.bounds import derivative_rank``.
"""

from .formulas import MonomialBounds, SparseBound, monomial_bounds, sparse_bound
from .products import (
    DepthRule,
    ProductBound,
    depth_rule_of_thumb,
    eq2_neurons,
    lagrange_widths,
    product_bound,
    recursion_widths,
)
from .rank import DEFAULT_MAX_ENTRIES, derivative_matrix_size, derivative_rank, derivative_ranks
from .search import MinimalWidth, minimal_shallow_width, minimal_shallow_widths, search_shallow
from .shallow import ShallowLowerBound, shallow_lower_bound

__all__ = [
    "derivative_rank",
    "derivative_ranks",
    "ShallowLowerBound",
    "shallow_lower_bound",
    "MinimalWidth",
    "minimal_shallow_width",
    "minimal_shallow_widths",
    "search_shallow",
    "derivative_matrix_size",
    "MonomialBounds",
    "monomial_bounds",
    "SparseBound",
    "sparse_bound",
    "ProductBound",
    "product_bound",
    "eq2_neurons",
    "lagrange_widths",
    "recursion_widths",
    "DepthRule",
    "depth_rule_of_thumb",
    "DEFAULT_MAX_ENTRIES",
]
