"""Telgarsky's crossing numbers and the quantities of his lemmas, exactly, for
:class:`~symdepth.piecewise.polynomial.PiecewisePolynomial`.

Crossing number (Telgarsky 2016, §2).  With f̃(x) = 1[f(x) ≥ τ],
Cr(f) is the number of maximal intervals on which f̃ is constant, degenerate intervals
(single points) included.  So a point where f touches τ from below counts as its own
interval: f(x) = x² on [−1, 1] with τ = 0 has f̃ = 1, 1, 1 (no change): Cr = 1; with
f(x) = −x² and τ = 0 the point x = 0 gives f̃ = 0, 1, 0: Cr = 3.  A constant piece equal
to τ is one interval of value 1.  Signs at algebraic points are exact (refined isolating
intervals); continuous piecewise-linear functions take the array path
(:func:`~symdepth.piecewise.linear.knot_crossings`).

Also here: the (t, α) of a (t, α)-poly (:func:`tapoly`), triangles (:func:`count_triangles`)
and the disagreement lemma (:func:`disagreement`).

References
----------
Telgarsky, M. (2016). Benefits of depth in neural networks. COLT.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint

from ..certificates import recorded
from ..errors import SymdepthError
from ..numbers import exact
from .algebraic import between, evaluate, fmpq_of, is_infinite, real_roots, sign_at
from .certify import crossings_certificate, disagreement_certificate, shape_certificate
from .linear import knot_crossings
from .polynomial import PiecewisePolynomial, _knots_of, _pieces_on

# the public names are listed (and re-exported) in symdepth/piecewise/__init__.py


def _classifier_atoms(f: PiecewisePolynomial, threshold: Fraction) -> list:
    """The sequence of (left end, value of 1[f ≥ τ]) over points and open intervals, in order."""
    atoms: list = []
    t = fmpq_of(threshold)
    n = f.num_pieces
    for i, (a, b, p) in enumerate(_pieces_on(f)):
        d = p - t
        if not is_infinite(a):
            atoms.append((a, int(sign_at(d, a) >= 0)))
        roots = real_roots(d, a, b) if d.degree() > 0 else []
        cuts = [a] + roots + [b]
        for k, (lo, hi) in enumerate(zip(cuts, cuts[1:])):
            if k > 0:
                atoms.append((lo, 1))
            atoms.append((lo, int(sign_at(d, between(lo, hi)) >= 0)))
        if i == n - 1 and not is_infinite(b):
            atoms.append((b, int(sign_at(d, b) >= 0)))
    return atoms


def _runs(atoms: list) -> list:
    runs: list = []
    for start, value in atoms:
        if not runs or runs[-1][1] != value:
            runs.append((start, value))
    return runs


@recorded(crossings_certificate)
def crossings(f: PiecewisePolynomial, threshold: object = Fraction(1, 2)) -> int:
    """Cr(f): the number of maximal intervals on which 1[f ≥ threshold] is constant
    (Telgarsky 2016).  See the module docstring for touching points.

    Examples
    --------
    >>> from symdepth.piecewise import sawtooth_function
    >>> crossings(sawtooth_function(3))
    9
    >>> crossings(PiecewisePolynomial([-1, 1], [[0, 0, -1]]), 0)
    3
    >>> crossings(PiecewisePolynomial([-1, 1], [[0, 0, 1]]), 0)
    1
    >>> crossings(PiecewisePolynomial([-1, 1], [[0, -3, 0, 4]]), 0)     # Chebyshev T3
    4
    """
    tau = Fraction(exact(threshold, "threshold"))
    knots = _knots_of(f)
    if knots is not None:
        return knot_crossings(knots, tau)
    return len(_runs(_classifier_atoms(f, tau)))


def pieces(f: PiecewisePolynomial) -> int:
    """Number of pieces of the canonical form of f."""
    return f.canonical().num_pieces


@recorded(lambda result, f: shape_certificate(f, "tapoly", result))
def tapoly(f: PiecewisePolynomial) -> tuple[int, int]:
    """(t, α): f is a (t, α)-poly — t pieces, each of degree at most α (Telgarsky).

    Examples
    --------
    >>> from symdepth.piecewise import triangle_map_function
    >>> tapoly(triangle_map_function())
    (2, 1)
    """
    g = f.canonical()
    return g.num_pieces, max(0, g.degree)


@recorded(lambda result, f: shape_certificate(f, "triangles", result))
def count_triangles(f: PiecewisePolynomial) -> int | None:
    """t if f is a (t, [a, b])-triangle (continuous; the domain splits into 2t intervals on
    which f is strictly monotone, alternately increasing from 0 to 1 and decreasing back),
    else None.

    Examples
    --------
    >>> from symdepth.piecewise import compose, triangle
    >>> count_triangles(compose(triangle(3), triangle(2)))
    12
    >>> count_triangles(PiecewisePolynomial([0, 1], [[0, 1]])) is None
    True
    """
    turning: list = []
    last_dir = 0
    a0 = f.breakpoints[0]
    if is_infinite(a0) or is_infinite(f.breakpoints[-1]):
        return None
    values = [f(a0)]
    for a, b, p in _pieces_on(f):
        d = p.derivative()
        cuts = [a] + real_roots(d, a, b) + [b]
        for lo, hi in zip(cuts, cuts[1:]):
            s = sign_at(d, between(lo, hi))
            if s == 0:
                return None
            if s != last_dir and last_dir != 0:
                turning.append(lo)
            last_dir = s
        if b != f.breakpoints[-1] and evaluate(p, b) != f(b):
            return None  # discontinuous
    for x in turning:
        if not isinstance(x, Fraction):
            return None
        values.append(f(x))
    values.append(f(f.breakpoints[-1]))
    if len(values) % 2 == 0 or values[0] != 0:
        return None
    for i, v in enumerate(values):
        if v != (0 if i % 2 == 0 else 1):
            return None
    first_dir = sign_at(f.polys[0].derivative(), between(f.breakpoints[0], f.breakpoints[1]))
    if first_dir <= 0:
        return None
    return (len(values) - 1) // 2


@dataclass(frozen=True)
class Disagreement:
    """Telgarsky's lemma on one pair (f, g): regions of I_f on which f̃ ≠ g̃ everywhere,
    against the bound s_f·(1/2 − s_g/s_f) = s_f/2 − s_g."""

    regions: int
    s_f: int
    s_g: int
    bound: Fraction
    holds: bool


@recorded(disagreement_certificate)
def disagreement(f: PiecewisePolynomial, g: PiecewisePolynomial, threshold: object = Fraction(1, 2)) -> Disagreement:
    """Count the regions J of I_f with f̃ ≠ g̃ on all of J and compare with s_f/2 − s_g.

    Examples
    --------
    >>> from symdepth.piecewise import sawtooth_function, triangle_map_function
    >>> d = disagreement(sawtooth_function(4), triangle_map_function())
    >>> d.regions, d.s_f, d.s_g, d.holds
    (7, 17, 3, True)
    """
    tau = Fraction(exact(threshold, "threshold"))
    if f.domain[0] != g.domain[0] or f.domain[1] != g.domain[1]:
        raise SymdepthError(f"f and g need the same domain, got {f.domain} and {g.domain}")
    t = fmpq_of(tau)
    positions: list = []
    for h in (f, g):
        positions.extend(h.breakpoints)
        for a, b, p in _pieces_on(h):
            positions.extend(real_roots(p - t, a, b))
    positions.sort()
    unique: list = []
    for x in positions:
        if not unique or unique[-1] != x:
            unique.append(x)
    # atoms: the points (finite positions) and the open intervals between them, in order
    atoms: list = []
    for i, x in enumerate(unique):
        if not is_infinite(x):
            atoms.append(x)
        if i + 1 < len(unique):
            atoms.append(between(x, unique[i + 1]))
    values = [(_indicator(f, x, t), _indicator(g, x, t)) for x in atoms]
    regions, s_f = 0, 0
    current: tuple | None = None  # (value of f̃, disagrees everywhere so far)
    for vf, vg in values:
        if current is None or vf != current[0]:
            if current is not None and current[1]:
                regions += 1
            s_f += 1
            current = (vf, True)
        if vf == vg:
            current = (vf, False)
    if current is not None and current[1]:
        regions += 1
    s_g = crossings(g, tau)
    bound = Fraction(s_f, 2) - s_g
    return Disagreement(regions, s_f, s_g, bound, regions >= bound)


def _indicator(h: PiecewisePolynomial, x: Any, t: flint.fmpq) -> int:
    """1[h(x) ≥ τ] at an exact point x of h's domain."""
    i = min(max(bisect.bisect_right(h.breakpoints, x) - 1, 0), h.num_pieces - 1)
    return int(sign_at(h.polys[i] - t, x) >= 0)
