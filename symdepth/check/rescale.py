"""Rolnick & Tegmark (2018), Proposition 3.3: the rescaled network N(δx)/δ^d with the same
layer sizes (:func:`rescale`), and a numerical estimate of its sup error on a box
(:func:`sup_error`; the proven version is :mod:`symdepth.uniform`)."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy

from ..errors import SymdepthError
from ..numbers import Exact, div, exact, is_rational, mul, to_sympy
from ..parsing import polynomial_terms, terms_to_sympy

__all__ = ["rescale", "sup_error"]


def rescale(net: Any, delta: object, degree: int) -> Any:
    """Proposition 3.3: the network N_δ(x) = N(δx)/δ^d, with the same layer sizes.

    Weights on edges leaving the inputs are multiplied by δ (A_0 ← δA_0); weights into the
    output and the output bias are divided by δ^d (A_k ← A_k/δ^d).  If N Taylor-approximates
    a homogeneous p of degree d, so does N_δ, and sup |N_δ − p| on a box → 0 as δ → 0.

    Examples
    --------
    >>> from symdepth import constructions
    >>> net = constructions.deep_power(2, "exp")
    >>> small = rescale(net, Fraction(1, 10), 2)
    >>> bool(check_taylor(small, "x1^2"))
    True
    >>> sup_error(small, "x1^2", radius=1) < sup_error(net, "x1^2", radius=1)
    True

    References
    ----------
    Rolnick & Tegmark (2018), Proposition 3.3.
    """
    d = exact(delta, "delta")
    if d == 0:
        raise SymdepthError("delta must be nonzero")
    new = net.copy()
    g = new.graph
    for u, v, w in list(g.edges(data="weight")):
        factor: Any = 1
        if g.nodes[u]["kind"] == "input":
            factor = d
        if g.nodes[v]["kind"] == "output":
            factor = mul(factor, _inverse_power(d, degree))
        if factor != 1:
            g.edges[u, v]["weight"] = mul(w, factor)
    out = new.output
    g.nodes[out]["bias"] = mul(g.nodes[out]["bias"], _inverse_power(d, degree))
    return new


def _inverse_power(d: Exact, k: int) -> Exact:
    return div(1, d**k if is_rational(d) else to_sympy(d) ** k)


def sup_error(net: Any, poly: Any, radius: object = 1, grid: int = 9, dps: int = 30) -> float:
    """An estimate of sup |N(x) − p(x)| over the box [−R, R]^n, from a grid of ``grid``
    points per axis evaluated with mpmath at ``dps`` digits.  A numerical estimate (a lower
    bound on the true sup, up to the last digit), for display only: nothing in symdepth
    decides with it, and ``tests/test_uniform.py`` keeps it below the proven upper bound of
    :func:`symdepth.uniform.sup_enclosure`, the one engine that decides.

    Examples
    --------
    >>> from symdepth import constructions
    >>> sup_error(constructions.deep_power(2, "exp"), "x1^2", radius=1) > 0
    True
    """
    import itertools

    import mpmath

    variables, terms = polynomial_terms(poly, net.inputs)
    expr = net.to_sympy() - terms_to_sympy(variables, terms)
    symbols = [sympy.Symbol(v) for v in variables]
    r = Fraction(exact(radius, "radius"))
    axis = [-r + 2 * r * Fraction(i, grid - 1) for i in range(grid)] if grid > 1 else [Fraction(0)]
    worst = mpmath.mpf(0)
    with mpmath.workdps(dps):
        for point in itertools.product(axis, repeat=len(symbols)):
            at = {s: sympy.Rational(q.numerator, q.denominator) for s, q in zip(symbols, point)}
            worst = max(worst, abs(mpmath.mpmathify(sympy.N(expr.xreplace(at), dps))))
    return float(worst)  # float: a numerical estimate for display, never a decision
