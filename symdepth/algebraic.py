"""Exact real numbers for breakpoints: rationals (``Fraction``), real algebraic numbers
(:class:`RealAlgebraic`: a squarefree rational polynomial with an isolating interval) and ±∞.

Root isolation is sympy's exact ``Poly.intervals`` (Vincent–Akritas–Strzeboński); comparisons
and signs refine isolating intervals by exact bisection, so no float decides anything.
Written here because neither python-flint nor sympy offers comparable real algebraic numbers
with cheap exact comparison against rationals.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Any

import flint
import sympy

from .errors import NetworkError, SymdepthError
from .numbers import exact, is_rational, to_sympy

__all__ = ["RealAlgebraic", "INF", "NEG_INF", "is_infinite", "exact_point", "sign_at", "between", "fraction_of",
           "fmpq_of", "evaluate", "poly_sympy"]

X = sympy.Symbol("x")


class _Infinity:
    """+∞ or −∞ as a breakpoint at an end of the domain."""

    def __init__(self, sign: int) -> None:
        self.sign = sign

    def __repr__(self) -> str:
        return "INF" if self.sign > 0 else "-INF"

    def __neg__(self) -> _Infinity:
        return NEG_INF if self.sign > 0 else INF

    def __lt__(self, other: Any) -> bool:
        return self.sign < 0 and other is not self

    def __gt__(self, other: Any) -> bool:
        return self.sign > 0 and other is not self

    def __le__(self, other: Any) -> bool:
        return self is other or self < other

    def __ge__(self, other: Any) -> bool:
        return self is other or self > other


INF = _Infinity(1)
NEG_INF = _Infinity(-1)


def is_infinite(v: Any) -> bool:
    return isinstance(v, _Infinity)


@functools.total_ordering
class RealAlgebraic:
    """A real algebraic number: the only root of a squarefree rational polynomial in an
    isolating interval [lo, hi] with rational ends (refined in place as needed).

    Examples
    --------
    >>> r = RealAlgebraic.roots(flint.fmpq_poly([-2, 0, 1]))[1]
    >>> r
    RealAlgebraic(x**2 - 2, [1, 2])
    >>> r > Fraction(141, 100), r < Fraction(142, 100)
    (True, True)
    """

    __slots__ = ("poly", "lo", "hi")

    def __init__(self, poly: flint.fmpq_poly, lo: Fraction, hi: Fraction) -> None:
        self.poly = poly
        self.lo = lo
        self.hi = hi

    def __repr__(self) -> str:
        return f"RealAlgebraic({poly_sympy(self.poly)}, [{self.lo}, {self.hi}])"

    @staticmethod
    def roots(poly: flint.fmpq_poly, lo: Any = None, hi: Any = None) -> list:
        """The real roots of ``poly`` in the open interval (lo, hi), increasing; rational roots
        as Fractions."""
        if poly.degree() <= 0:
            return []
        if poly.degree() == 1:
            c = poly.coeffs()
            root = Fraction(-fraction_of(c[0]) / fraction_of(c[1]))
            return [root] if _inside(root, lo, hi) else []
        squarefree = poly / poly.gcd(poly.derivative())
        sp = sympy.Poly(poly_sympy(squarefree), X)
        out: list = []
        for (a, b), _ in sp.intervals():
            a, b = Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))
            value: Any = a if a == b else RealAlgebraic(squarefree, a, b)
            if _inside(value, lo, hi):
                out.append(value)
        return out

    def refine(self) -> None:
        mid = (self.lo + self.hi) / 2
        v = evaluate(self.poly, mid)
        if v == 0:
            self.lo = self.hi = mid
        elif (v > 0) == (evaluate(self.poly, self.lo) > 0) and evaluate(self.poly, self.lo) != 0:
            self.lo = mid
        else:
            self.hi = mid

    def _compare(self, other: Any) -> int:
        if is_infinite(other):
            return -other.sign
        if isinstance(other, RealAlgebraic):
            for _ in range(400):
                if self.hi < other.lo:
                    return -1
                if self.lo > other.hi:
                    return 1
                if self.lo == self.hi and other.lo == other.hi:
                    return (self.lo > other.lo) - (self.lo < other.lo)
                g = self.poly.gcd(other.poly)
                if g.degree() > 0:
                    lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
                    if _count_roots(g, lo, hi) and _count_roots(self.poly, lo, hi) == 1 and _count_roots(
                        other.poly, lo, hi
                    ) == 1:
                        return 0
                self.refine()
                other.refine()
            raise SymdepthError("could not separate two algebraic numbers after 400 bisections")  # pragma: no cover
        q = Fraction(other)
        while self.lo <= q <= self.hi:
            if self.lo == self.hi:
                return 0
            if evaluate(self.poly, q) == 0:
                return 0
            self.refine()
        return -1 if self.hi < q else 1

    def __eq__(self, other: Any) -> bool:
        return self._compare(other) == 0

    def __lt__(self, other: Any) -> bool:
        return self._compare(other) < 0

    def __hash__(self) -> int:
        return hash(("RealAlgebraic", tuple(self.poly.coeffs())))

    def sign_of(self, poly: flint.fmpq_poly) -> int:
        """The sign of ``poly`` at this number, exactly."""
        if poly.degree() < 0:
            return 0
        g = poly.gcd(self.poly)
        if g.degree() > 0 and _count_roots(g, self.lo, self.hi):
            return 0
        while _count_roots(poly, self.lo, self.hi):
            self.refine()
        v = evaluate(poly, self.lo if self.lo != self.hi else self.lo)
        return (v > 0) - (v < 0)

    def approx(self, digits: int = 20) -> str:
        while self.hi - self.lo > Fraction(1, 10**digits):
            self.refine()
        return str(sympy.Float(sympy.Rational(self.lo.numerator, self.lo.denominator), digits))


def _inside(v: Any, lo: Any, hi: Any) -> bool:
    return (lo is None or v > lo) and (hi is None or v < hi)


def fraction_of(c: flint.fmpq) -> Fraction:
    return Fraction(int(c.p), int(c.q))


def fmpq_of(q: Fraction) -> flint.fmpq:
    return flint.fmpq(q.numerator, q.denominator)


def evaluate(poly: flint.fmpq_poly, q: Fraction) -> Fraction:
    return fraction_of(poly(fmpq_of(q)))


def poly_sympy(poly: flint.fmpq_poly) -> sympy.Expr:
    return sympy.Add(*[sympy.Rational(int(c.p), int(c.q)) * X**k for k, c in enumerate(poly.coeffs())])


def _count_roots(poly: flint.fmpq_poly, lo: Fraction, hi: Fraction) -> int:
    if poly.degree() <= 0:
        return 0
    return int(sympy.Poly(poly_sympy(poly), X).count_roots(sympy.Rational(lo.numerator, lo.denominator),
                                                            sympy.Rational(hi.numerator, hi.denominator)))


def sign_at(poly: flint.fmpq_poly, point: Any) -> int:
    if isinstance(point, RealAlgebraic):
        return point.sign_of(poly)
    v = evaluate(poly, point)
    return (v > 0) - (v < 0)


def between(a: Any, b: Any) -> Fraction:
    """A rational strictly between a < b (either may be infinite)."""
    if is_infinite(a) and is_infinite(b):
        return Fraction(0)
    if is_infinite(a):
        return _upper(b) - 1
    if is_infinite(b):
        return _lower(a) + 1
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return (a + b) / 2
    while _upper(a) >= _lower(b):
        for r in (a, b):
            if isinstance(r, RealAlgebraic):
                r.refine()
    return (_upper(a) + _lower(b)) / 2


def _upper(v: Any) -> Fraction:
    return v.hi if isinstance(v, RealAlgebraic) else v


def _lower(v: Any) -> Fraction:
    return v.lo if isinstance(v, RealAlgebraic) else v


def exact_point(value: Any, what: str) -> Any:
    if is_infinite(value):
        return value
    if isinstance(value, RealAlgebraic):
        return value
    if isinstance(value, sympy.Basic) and (value == sympy.oo or value == -sympy.oo):
        return INF if value == sympy.oo else NEG_INF
    v = exact(value, what)
    if is_rational(v):
        return Fraction(v)
    expr = to_sympy(v)
    if not expr.is_real or not expr.is_algebraic:
        raise NetworkError(f"{what} {value} is not a real algebraic number")
    minimal = sympy.minimal_polynomial(expr, X)
    poly = flint.fmpq_poly([fmpq_of(Fraction(int(c.p), int(c.q))) for c in reversed(sympy.Poly(minimal, X).all_coeffs())])
    approx = sympy.N(expr, 50)
    for r in RealAlgebraic.roots(poly):
        if isinstance(r, RealAlgebraic):
            while r.hi - r.lo > Fraction(1, 10**30):
                r.refine()
            if abs(sympy.Rational(r.lo.numerator, r.lo.denominator) - approx) < sympy.Rational(1, 10**20):
                return r
    raise NetworkError(f"could not isolate the algebraic number {value}")  # pragma: no cover
