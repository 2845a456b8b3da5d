"""Proposition 3.3 made concrete: a δ for which the rescaled network ε-approximates p, found
and proven (:func:`uniform_rescaling`); the rate over many δ (:func:`rescaling_sweep`); and
|N − p| at points, for plots (:func:`errors_at`)."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..errors import BudgetError, SymdepthError
from ..numbers import exact
from ..parsing import polynomial_terms
from ..series import ball, ball_precision
from .enclosure import PRECISION, _compile, _difference
from .search import DEFAULT_MAX_CELLS, SupEnclosure, box_intervals, check_uniform, sup_enclosure

__all__ = ["uniform_rescaling", "rescaling_sweep", "errors_at"]


def uniform_rescaling(net: Any, poly: Any, eps: object, radius: object = 1, *, max_cells: int = 64,
                      smallest: int = 40) -> tuple:
    """Proposition 3.3 made concrete: if ``net`` Taylor-approximates the homogeneous ``poly``
    of degree d, the rescaled N_δ(x) = N(δx)/δ^d ε-approximates it on (−R, R)^n for small
    δ.  Tries δ = 2^-1, 2^-2, … (down to 2^-smallest) and returns (δ, the
    :class:`UniformCheck` that proves it) for the first δ that :func:`check_uniform` proves
    within ``max_cells`` cells (a smaller budget per δ moves on sooner to a δ that is easy to
    prove, so the δ returned may be smaller than the largest that works).

    Examples
    --------
    >>> from symdepth import constructions
    >>> delta, proof = uniform_rescaling(constructions.deep_power(2, "exp"), "x1^2", Fraction(1, 100))
    >>> delta, proof.ok
    (Fraction(1, 4), True)
    """
    from ..check import check_taylor, rescale

    d = _homogeneous_degree(net, poly)
    if not check_taylor(net, poly).ok:
        raise SymdepthError(f"the network does not Taylor-approximate {poly} (check_taylor fails), so no rescaling can")
    r = Fraction(exact(radius, "radius"))
    box = [(-r, r)] * net.num_inputs
    for j in range(1, smallest + 1):
        delta = Fraction(1, 2**j)
        try:
            result = check_uniform(rescale(net, delta, d), poly, eps, box, max_cells=max_cells)
        except BudgetError:
            continue
        if result.ok:
            return delta, result
    raise BudgetError(f"no δ ≥ 2^-{smallest} was proven to give eps = {eps}; raise smallest or max_cells")



def _homogeneous_degree(net: Any, poly: Any) -> int:
    _, terms = polynomial_terms(poly, net.inputs)
    degrees = {sum(m) for m in terms}
    if len(degrees) != 1:
        raise SymdepthError("Proposition 3.3 is about a homogeneous polynomial; give one (all terms of one degree)")
    return degrees.pop()


def _rescaled_sup(net: Any, poly: Any, degree: int, box: Any, rtol: Fraction, max_cells: int,
                  delta: Fraction) -> SupEnclosure:
    from ..check import rescale

    return sup_enclosure(rescale(net, delta, degree), poly, box, rtol=rtol, max_cells=max_cells)


def rescaling_sweep(net: Any, poly: Any, deltas: Sequence[object], box: Sequence[Sequence[object]] | None = None, *,
                    rtol: object = Fraction(1, 10), max_cells: int = DEFAULT_MAX_CELLS, executor: Any = None,
                    progress: Any = True) -> Any:
    """Proposition 3.3's rate, proven: for each δ the :class:`SupEnclosure` of
    |N_δ − p| over the box, run on :func:`symdepth.sweep` (a local process pool by default;
    any ``concurrent.futures`` executor, e.g. a dask cluster's).  Returns the
    :class:`~symdepth.sweeps.SweepResult`; its ``values`` are the enclosures in δ order.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from symdepth import constructions
    >>> with ThreadPoolExecutor(2) as pool:
    ...     sups = rescaling_sweep(constructions.deep_power(2, "exp"), "x1^2", [Fraction(1, 4), Fraction(1, 8)],
    ...                            executor=pool, progress=False).values
    >>> sups[1].upper < sups[0].lower  # halving δ halves the error (first omitted degree 3)
    True
    """
    import functools

    from ..sweeps import sweep

    degree = _homogeneous_degree(net, poly)
    work = functools.partial(_rescaled_sup, net, poly, degree, None if box is None else box_intervals(net, box),
                             Fraction(exact(rtol, "rtol")), max_cells)
    return sweep(work, [Fraction(exact(d, "delta")) for d in deltas], executor=executor, progress=progress)


def errors_at(net: Any, target: Any, points: Sequence[Sequence[object]]) -> list:
    """|N(x) − target(x)| at each point, as ``arb`` balls (128 bits): the samples a plot of
    the error draws.

    Examples
    --------
    >>> from symdepth import constructions
    >>> [e.str(4, radius=False) for e in errors_at(constructions.deep_power(2, "exp"), "x1^2", [[0], [1]])]
    ['0', '0.08616']
    """
    with ball_precision(PRECISION):
        compiled = _compile(net, target)
        return [abs(_difference(compiled, [ball(exact(c, "point")) for c in point])[0]) for point in points]
