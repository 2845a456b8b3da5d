"""Exact real numbers for breakpoints: rationals (``Fraction``), real algebraic numbers
(:class:`RealAlgebraic`) and ±∞.

A :class:`RealAlgebraic` is the only root of an *irreducible* primitive integer polynomial of
degree ≥ 2 in an interval (lo, hi) with rational ends.  Irreducibility is what keeps every
step finite: such a polynomial has no rational root, so bisection never lands on a root, its
sign at lo and hi differs, two different numbers have different polynomials or disjoint
refinements, and a polynomial q vanishes at the number exactly when the minimal polynomial
divides it.  Polynomials are factored by FLINT; roots of each factor are isolated by sympy's
exact ``Poly.intervals`` (Vincent–Akritas–Strzeboński).  Signs of other polynomials at the
number are decided by an exact Taylor bound on the isolating interval.  No float decides
anything.  Written here because neither python-flint nor sympy offers real algebraic numbers
with cheap exact comparison against rationals.
"""

from __future__ import annotations

import functools
from fractions import Fraction
from typing import Any

import flint
import sympy

from ..errors import BudgetError, NetworkError, SymdepthError
from ..numbers import exact, is_rational, to_sympy

__all__ = ["RealAlgebraic", "INF", "NEG_INF", "is_infinite", "exact_point", "sign_at", "between", "fraction_of",
           "fmpq_of", "evaluate", "poly_sympy", "real_roots", "MAX_ROOT_DEGREE"]

X = sympy.Symbol("x")

#: Largest degree of a polynomial whose real roots are isolated; beyond it, BudgetError.
MAX_ROOT_DEGREE = 400


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
    """An irrational real algebraic number: the only root of ``poly`` (irreducible, integer
    coefficients, positive leading coefficient, degree ≥ 2) in the open interval (lo, hi).
    The interval is refined in place as comparisons need it.

    Build them with :func:`real_roots` (or :meth:`RealAlgebraic.roots`), never by hand.

    Examples
    --------
    >>> r = real_roots(flint.fmpq_poly([-2, 0, 1]))[1]
    >>> r
    RealAlgebraic(x**2 - 2, [1, 2])
    >>> r > Fraction(141, 100), r < Fraction(142, 100)
    (True, True)
    """

    __slots__ = ("poly", "lo", "hi", "_sign_lo")

    def __init__(self, poly: flint.fmpq_poly, lo: Fraction, hi: Fraction) -> None:
        s_lo, s_hi = _sign(evaluate(poly, lo)), _sign(evaluate(poly, hi))
        if not (lo < hi and s_lo * s_hi < 0):
            raise SymdepthError(f"({lo}, {hi}) does not isolate a root of {poly_sympy(poly)}")  # pragma: no cover
        self.poly = poly
        self.lo = lo
        self.hi = hi
        self._sign_lo = s_lo

    def __repr__(self) -> str:
        return f"RealAlgebraic({poly_sympy(self.poly)}, [{self.lo}, {self.hi}])"

    @staticmethod
    def roots(poly: flint.fmpq_poly, lo: Any = None, hi: Any = None) -> list:
        """Same as :func:`real_roots`."""
        return real_roots(poly, lo, hi)

    def affine_preimage(self, c0: Fraction, c1: Fraction) -> RealAlgebraic:
        """The x with c0 + c1·x equal to this number (c1 ≠ 0), exactly.

        Examples
        --------
        >>> r = real_roots(flint.fmpq_poly([-2, 0, 1]))[1]      # √2
        >>> r.affine_preimage(Fraction(0), Fraction(2))         # √2/2
        RealAlgebraic(2*x**2 - 1, [1/2, 1])
        """
        ends = sorted(((self.lo - c0) / c1, (self.hi - c0) / c1))
        return RealAlgebraic(_normalized(self.poly(flint.fmpq_poly([fmpq_of(c0), fmpq_of(c1)]))), *ends)

    def refine(self) -> None:
        """Halve the isolating interval (the midpoint is rational, hence never the root)."""
        mid = (self.lo + self.hi) / 2
        if _sign(evaluate(self.poly, mid)) == self._sign_lo:
            self.lo = mid
        else:
            self.hi = mid

    def _compare(self, other: Any) -> int:
        if is_infinite(other):
            return -other.sign
        if isinstance(other, RealAlgebraic):
            if other is self:
                return 0
            same = self.poly == other.poly
            while True:
                if self.hi <= other.lo:
                    return -1
                if other.hi <= self.lo:
                    return 1
                if same:
                    lo, hi = max(self.lo, other.lo), min(self.hi, other.hi)
                    # Each interval holds exactly one root of the common polynomial, so the
                    # overlap holds a root iff both are that same root.
                    if lo < hi and _sign(evaluate(self.poly, lo)) != _sign(evaluate(self.poly, hi)):
                        return 0
                self.refine()
                other.refine()
        q = Fraction(other)
        while self.lo <= q <= self.hi:  # q is rational, so never equal
            self.refine()
        return -1 if self.hi < q else 1

    def __eq__(self, other: Any) -> bool:
        return self._compare(other) == 0

    def __lt__(self, other: Any) -> bool:
        return self._compare(other) < 0

    def __hash__(self) -> int:
        return hash(("RealAlgebraic", tuple(self.poly.coeffs())))

    def sign_of(self, poly: flint.fmpq_poly) -> int:
        """The sign of ``poly`` at this number, exactly.

        Examples
        --------
        >>> r = real_roots(flint.fmpq_poly([-2, 0, 1]))[1]      # √2
        >>> r.sign_of(flint.fmpq_poly([-3, 2])), r.sign_of(flint.fmpq_poly([-2, 0, 1]) * 5)
        (-1, 0)
        """
        remainder = poly % self.poly if poly.degree() >= self.poly.degree() else poly
        if remainder.is_zero():
            return 0
        # The remainder is nonzero of lower degree than the irreducible minimal polynomial, so
        # it does not vanish at this number: its sign is constant on a small enough interval.
        while True:
            sign = _constant_sign(remainder, self.lo, self.hi)
            if sign:
                return sign
            self.refine()

    def approx(self, digits: int = 20) -> str:
        """A decimal approximation (for display only)."""
        while self.hi - self.lo > Fraction(1, 10**digits):
            self.refine()
        return str(sympy.Float(sympy.Rational(self.lo.numerator, self.lo.denominator), digits))


def _sign(v: Any) -> int:
    return (v > 0) - (v < 0)


def _constant_sign(poly: flint.fmpq_poly, lo: Fraction, hi: Fraction) -> int:
    """The sign of ``poly`` on [lo, hi] if the Taylor bound at the midpoint proves it constant
    and nonzero, else 0: |p(m)| > Σ_{k≥1} |p^(k)(m)/k!|·r^k with r the half-width."""
    mid, radius = fmpq_of((lo + hi) / 2), fmpq_of((hi - lo) / 2)
    shifted = poly(flint.fmpq_poly([mid, 1])).coeffs()
    head = shifted[0] if shifted else flint.fmpq(0)
    tail, power = flint.fmpq(0), flint.fmpq(1)
    for c in shifted[1:]:
        power *= radius
        tail += abs(c) * power
    if abs(head) > tail:
        return 1 if head > 0 else -1
    return 0


def _normalized(factor: flint.fmpq_poly) -> flint.fmpq_poly:
    """The primitive integer multiple of ``factor`` with a positive leading coefficient."""
    integer = factor.numer()
    content = integer.content()
    coeffs = [c // content for c in integer.coeffs()]
    if coeffs[-1] < 0:
        coeffs = [-c for c in coeffs]
    return flint.fmpq_poly(coeffs)


def real_roots(poly: flint.fmpq_poly, lo: Any = None, hi: Any = None) -> list:
    """The distinct real roots of ``poly`` in the open interval (lo, hi), increasing; rational
    roots as Fractions, irrational ones as :class:`RealAlgebraic`.

    ``lo``/``hi`` may be rationals, algebraic numbers, ±INF or None (unbounded).

    Raises
    ------
    BudgetError
        When ``poly`` has degree above :data:`MAX_ROOT_DEGREE`.

    Examples
    --------
    >>> real_roots(flint.fmpq_poly([0, -3, 0, 4]))          # 4x³ − 3x: −√3/2, 0, √3/2
    [RealAlgebraic(4*x**2 - 3, [-1, -1/2]), Fraction(0, 1), RealAlgebraic(4*x**2 - 3, [1/2, 1])]
    >>> real_roots(flint.fmpq_poly([1, -2, 1]), 0, 2)        # a double root counts once
    [Fraction(1, 1)]
    """
    degree = poly.degree()
    if degree <= 0:
        return []
    if degree > MAX_ROOT_DEGREE:
        raise BudgetError(
            f"isolating the real roots of a degree-{degree} polynomial exceeds MAX_ROOT_DEGREE={MAX_ROOT_DEGREE}; "
            "raise symdepth.piecewise.algebraic.MAX_ROOT_DEGREE (command line: --max-root-degree N) or lower the degrees involved"
        )
    found: list = []
    for factor, _ in poly.factor()[1]:
        if factor.degree() == 1:
            c = factor.coeffs()
            found.append(-fraction_of(c[0]) / fraction_of(c[1]))
            continue
        minimal = _normalized(factor)
        for (a, b), _ in sympy.Poly(poly_sympy(minimal), X).intervals():
            found.append(RealAlgebraic(minimal, Fraction(int(a.p), int(a.q)), Fraction(int(b.p), int(b.q))))
    found.sort()
    return [r for r in found if (lo is None or r > lo) and (hi is None or r < hi)]


def fraction_of(c: flint.fmpq) -> Fraction:
    return Fraction(int(c.p), int(c.q))


def fmpq_of(q: Fraction) -> flint.fmpq:
    return flint.fmpq(q.numerator, q.denominator)


def evaluate(poly: flint.fmpq_poly, q: Fraction) -> Fraction:
    return fraction_of(poly(fmpq_of(q)))


def poly_sympy(poly: flint.fmpq_poly) -> sympy.Expr:
    return sympy.Add(*[sympy.Rational(int(c.p), int(c.q)) * X**k for k, c in enumerate(poly.coeffs())])


def sign_at(poly: flint.fmpq_poly, point: Any) -> int:
    """The sign of ``poly`` at an exact point (rational or :class:`RealAlgebraic`)."""
    if isinstance(point, RealAlgebraic):
        return point.sign_of(poly)
    return _sign(evaluate(poly, point))


def between(a: Any, b: Any) -> Fraction:
    """A rational strictly between a < b (either may be infinite)."""
    if is_infinite(a) and is_infinite(b):
        return Fraction(0)
    if is_infinite(a):
        return _lower(b) - 1
    if is_infinite(b):
        return _upper(a) + 1
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
    """A breakpoint as an exact point: Fraction, :class:`RealAlgebraic` or ±INF."""
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
    for r in real_roots(poly):
        while r.hi - r.lo > Fraction(1, 10**30):
            r.refine()
        if abs(sympy.Rational(r.lo.numerator, r.lo.denominator) - approx) < sympy.Rational(1, 10**20):
            return r
    raise NetworkError(f"could not isolate the algebraic number {value}")  # pragma: no cover
