"""Series known only by bounds on their coefficients (for the randomized check's error
probability): :class:`CoefficientBounds`, a ring of majorants evaluated at a radius, with
Hurwitz scales for the denominators.  Floats here are sizes rounded up, never coefficients.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import NamedTuple

from ..numbers import Exact

__all__ = ["CoefficientBounds", "RadiusTooLarge"]


class RadiusTooLarge(ArithmeticError):
    """A majorant left the disc where the function it is composed with converges."""


class _Majorant(NamedTuple):
    constant: Fraction
    scale: int  # m!·scale^|m|·s_m is an integer for every coefficient s_m of the series
    size: float  # upper bound on Σ_m |s_m|·r^|m|, constant term excluded


class CoefficientBounds:
    """Series known only by a bound on their coefficients' size and denominators.

    An element stands for a series c + s over Q and records (c, A, S) with

    * m!·A^|m|·s_m ∈ Z for every monomial m (s is a Hurwitz series in x/A, whose
      coefficients are integers over factorials; such series are closed under +, ×, exp, log,
      1/(1+·), atan, sin, cos of series without constant term — the divided powers s^k/k!
      have integer Hurwitz coefficients — and a rational factor p/q multiplies A by q), and
    * Σ_m |s_m|·r^|m| ≤ S for a fixed radius r (a majorant evaluated at r: every ring
      operation maps to the same operation on nonnegative majorants, exp to exp, 1/(1−·) to
      1/(1−·), atan to atanh, …, so it stays a bound inside the discs of convergence;
      :class:`RadiusTooLarge` is raised when it leaves one, or when S would exceed 10^300).

    So the nonconstant coefficient of monomial m has |s_m| ≤ S/r^|m| and denominator at most
    |m|!·A^|m|: a bound on the bit size of every Taylor coefficient of a network, from one
    pass of :func:`network_series` over scalars.  S is a float rounded up after every
    operation by a relative 2^-40, far more than the error of IEEE arithmetic and of the C
    library's exp and log, so that it stays an upper bound.

    Examples
    --------
    >>> ring = CoefficientBounds(1, radius=Fraction(1, 2))
    >>> e = ring.expm1(ring.scale(ring.variable(0), Fraction(1, 3)))   # exp(x/3) − 1
    >>> e.scale, e.size >= math.expm1(1 / 6)
    (3, True)
    """

    def __init__(self, order: int, radius: Fraction) -> None:
        self.order = order
        self.radius = _up(float(radius))  # float: a size bound, rounded up, never a coefficient

    def active(self) -> contextlib.AbstractContextManager:
        return contextlib.nullcontext()

    @staticmethod
    def scalar(value: Exact) -> Fraction:
        return Fraction(value)

    def zero(self) -> _Majorant:
        return _Majorant(Fraction(0), 1, 0.0)

    def variable(self, i: int) -> _Majorant:
        return _Majorant(Fraction(0), 1, self.radius)

    @staticmethod
    def add(a: _Majorant, b: _Majorant) -> _Majorant:
        constant = a.constant + b.constant if b.constant else a.constant
        return _Majorant(constant, math.lcm(a.scale, b.scale), _up(a.size + b.size))

    @staticmethod
    def sub(a: _Majorant, b: _Majorant) -> _Majorant:
        return CoefficientBounds.add(a, CoefficientBounds.scale(b, Fraction(-1)))

    @staticmethod
    def scale(a: _Majorant, s: Fraction) -> _Majorant:
        constant = a.constant * s if a.constant else a.constant
        return _Majorant(constant, a.scale * s.denominator, _times(a.size, s))

    @staticmethod
    def add_scalar(a: _Majorant, s: Fraction) -> _Majorant:
        return _Majorant(a.constant + s, a.scale, a.size)

    @staticmethod
    def mul(a: _Majorant, b: _Majorant) -> _Majorant:
        scale = math.lcm(a.scale, b.scale) * a.constant.denominator * b.constant.denominator
        size = _up(_up(a.size * b.size) + _times(a.size, b.constant) + _times(b.size, a.constant))
        return _Majorant(a.constant * b.constant, scale, size)

    @staticmethod
    def inv(a: _Majorant) -> _Majorant:
        # 1/(c + s) = (1/c)·1/(1 + s/c)
        c = a.constant
        if c == 0:
            raise ZeroDivisionError("series without constant term has no inverse")
        low = _abs_down(c)
        if low == 0:
            raise RadiusTooLarge
        u = _below_one(_up(a.size / low))
        size = _up(_up(u / _down(1 - u)) / low)
        return _Majorant(1 / c, a.scale * abs(c.numerator) ** 2, size)

    @staticmethod
    def expm1(v: _Majorant) -> _Majorant:
        return _Majorant(Fraction(0), v.scale, _up(math.expm1(_exp_argument(v.size))))

    @staticmethod
    def log1p(v: _Majorant) -> _Majorant:
        return _Majorant(Fraction(0), v.scale, _up(-math.log1p(-_below_one(v.size))))

    @staticmethod
    def sin_cosm1(v: _Majorant) -> tuple:
        x = _exp_argument(v.size)
        sinh, cosh_minus_one = _up(math.sinh(x)), _up(2 * _up(math.sinh(x / 2)) ** 2)
        return _Majorant(Fraction(0), v.scale, sinh), _Majorant(Fraction(0), v.scale, cosh_minus_one)

    @staticmethod
    def atan(v: _Majorant) -> _Majorant:
        return _Majorant(Fraction(0), v.scale, _up(math.atanh(_below_one(v.size))))

    def horner(self, coeffs: Sequence, v: _Majorant) -> _Majorant:
        # Σ c_k v^k = Σ (k!·c_k)·(v^k/k!) with v^k/k! of the same Hurwitz scale as v
        scale, size, power = v.scale, 0.0, 1.0
        for k, c in enumerate(coeffs[1 : self.order + 1], start=1):
            power = _up(power * v.size)
            c = Fraction(c)
            if c:
                scale = math.lcm(scale, v.scale * (c * math.factorial(k)).denominator)
                size = _up(size + _times(power, c))
        return _Majorant(Fraction(0), scale, _check_finite(size))


_ROUNDING = 2.0**-40


def _up(x: float) -> float:
    return _check_finite(x * (1 + _ROUNDING) if x > 0 else x * (1 - _ROUNDING))


def _down(x: float) -> float:
    return x * (1 - _ROUNDING) if x > 0 else x * (1 + _ROUNDING)


def _check_finite(x: float) -> float:
    if not x < 1e300:
        raise RadiusTooLarge
    return x


def _times(size: float, q: Fraction) -> float:
    """An upper bound on size·|q|; exact rational arithmetic when |q| is beyond floats (a
    weight of 10^400 with a small enough radius still gives a finite bound)."""
    factor = _abs_up(q)
    if factor < 1e300:
        return _up(size * factor)
    if size == 0:
        return 0.0
    try:
        return _up(float(Fraction(size) * abs(q)))  # float: size bound, rounded up
    except OverflowError:
        raise RadiusTooLarge from None


@functools.lru_cache(maxsize=4096)
def _abs_up(q: Fraction) -> float:
    """|q| rounded up, or infinity when it is beyond floats."""
    try:
        return _up(float(abs(q)))  # float: size bound, rounded up
    except (OverflowError, RadiusTooLarge):
        return math.inf


def _abs_down(q: Fraction) -> float:
    try:
        return _down(float(abs(q)))  # float: size bound, rounded down
    except OverflowError:
        return 1e300


def _exp_argument(x: float) -> float:
    if not x < 690:
        raise RadiusTooLarge
    return x


def _below_one(x: float) -> float:
    if not x < 1:
        raise RadiusTooLarge
    return x
