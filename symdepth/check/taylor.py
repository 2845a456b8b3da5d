"""Deciding Taylor approximation (Rolnick & Tegmark 2018, Definition 3.2): :func:`check_taylor`.

A network N Taylor-approximates a polynomial p of degree d when p is the degree-d Taylor
polynomial of N about the origin.  The front door (:mod:`.problem`) parses the check once;
then the exact method (:mod:`.exact`) or the randomized one (:mod:`.randomized`) decides it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ..certificates import recorded
from .exact import _check_exact
from .problem import DEFAULT_MAX_DEGREE, DEFAULT_MAX_MONOMIALS, _problem
from .randomized import _check_random
from .record import TaylorCheck

__all__ = ["check_taylor"]


@recorded(lambda result, *args, **kwargs: result.certificate())
def check_taylor(
    net: Any,
    poly: Any,
    *,
    degree: int | None = None,
    method: str = "auto",
    seed: int | None = None,
    repetitions: int = 2,
    workers: int = 1,
    at: Sequence[object] | None = None,
    max_monomials: int = DEFAULT_MAX_MONOMIALS,
    max_degree: int = DEFAULT_MAX_DEGREE,
    progress: Callable[[str, int, int], None] | None = None,
) -> TaylorCheck:
    """Decide whether ``poly`` is the degree-d Taylor polynomial of ``net`` about the origin
    (or about ``at``), Rolnick & Tegmark (2018), Definition 3.2.

    Parameters
    ----------
    net : Network
    poly : str, sympy expression or Poly, or dict exponent tuple → coefficient
        In the network's input names.  Strings are read by the safe parser.
    degree : int, optional
        Truncation order d; by default the total degree of ``poly``.
    method : {"auto", "exact", "random"}
        ``"auto"`` is exact unless the coefficients reduce mod p and the exact method's
        estimated time (:func:`estimated_seconds`) exceeds both 1 s and the randomized
        method's; the choice and its reason are in ``result.method_reason``.
    seed : int, optional
        Seed of the randomized check (recorded in the result; 128 random bits when omitted).
    repetitions : int
        Independent repetitions, each with a fresh prime and line; the error bound
        (module docstring) is the product of the repetitions' bounds.
    workers : int
        Processes that run the repetitions side by side (the verdict, primes and error bound do
        not depend on it).  Worth it for long checks: two repetitions at degree 65535 take half
        the time on two cores.
    at : sequence of exact numbers, optional
        Expansion point; ``poly`` is then compared with the Taylor polynomial in powers of
        (x − at), written in x.
    max_monomials : int
        Budget of the exact method (monomials of degree ≤ d).
    max_degree : int
        Budget of both methods on the truncation degree d (a series of length d + 1 per neuron).
    progress : callable, optional
        ``progress(stage, done, total)`` after each neuron (stage "exact" or "repetition
        i/r", ``total`` the number of neurons); with several workers,
        ``progress("repetitions", finished, r)`` as repetitions finish.

    Returns
    -------
    TaylorCheck

    Raises
    ------
    NotAnalyticError
        A neuron has a piecewise-linear activation.
    ParseError
        ``poly`` is malformed or uses a variable the network lacks.
    BudgetError
        The exact method would exceed ``max_monomials``, or d exceeds ``max_degree``.

    Examples
    --------
    >>> from symdepth import Network, constructions
    >>> net = constructions.deep_power(5, "exp")
    >>> check_taylor(net, "x1^5")
    TaylorCheck(holds, degree=5, method='exact', field=Q, neurons=10, depth=3)
    >>> r = check_taylor(net, "x1^5 + x1^4")
    >>> r.ok, r.first_mismatch
    (False, Mismatch(x1**4: network 0, claimed 1))
    >>> check_taylor(net, "x1^5", method="random", seed=1).error_probability < 1e-30
    True

    References
    ----------
    Rolnick, D. & Tegmark, M. (2018). The power of deeper networks for expressing natural
    functions. ICLR. Definition 3.2.
    """
    problem = _problem(net, poly, degree, method, at, max_degree)
    if problem.method == "exact":
        return _check_exact(problem, max_monomials, progress)
    return _check_random(problem, seed, repetitions, workers, progress)
