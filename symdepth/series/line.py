"""Univariate series along a line x = a·t, over Q or GF(p).

:class:`LineSeries` is exact for one input; the randomized Taylor check uses it over GF(p)
with a random direction a.  Over Q the elements are python-flint ``fmpq_series``; over GF(p)
``nmod_poly`` truncated by hand.  flint offers no exp/log series over GF(p), so they are
written here (Newton iteration with flint's C series inverse; see :class:`_NmodExp`).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence
from typing import Any

import flint

from ..errors import SymdepthError
from ..numbers import Exact
from .fields import RATIONALS, PrimeField, flint_precision
from .ring import ElementwiseRing, horner_sum

__all__ = ["LineSeries"]


class LineSeries(ElementwiseRing):
    """Series in one variable t truncated after t^order, for inputs x_i = a_i·t.

    Over Q the elements are python-flint ``fmpq_series`` (use inside
    :func:`flint_precision`); over GF(p) they are ``nmod_poly`` kept of length ≤ order + 1.

    Examples
    --------
    >>> ring = LineSeries(4)
    >>> with ring.active():
    ...     ring.coefficients(ring.expm1(ring.variable(0)))
    [0, 1, Fraction(1, 2), Fraction(1, 6), Fraction(1, 24)]
    """

    def __init__(self, order: int, direction: Sequence[Exact] = (1,), field: Any = RATIONALS) -> None:
        self.order = order
        self.n = order + 1
        self.field = field
        self.modular = isinstance(field, PrimeField)
        self.direction = [field.convert(a) for a in direction]
        if self.modular:
            if order >= field.p:
                raise SymdepthError(f"order {order} must be below the prime {field.p}")
            self._i = _sqrt_minus_one(field.p)
            self._recent_exps: list = []

    def active(self) -> contextlib.AbstractContextManager:
        return flint_precision(self.n) if not self.modular else contextlib.nullcontext()

    def scalar(self, value: Exact) -> Any:
        return self.field.convert(value)

    def _make(self, coeffs: Sequence) -> Any:
        if self.modular:
            return flint.nmod_poly([int(c) for c in coeffs], self.field.p)
        return flint.fmpq_series(list(coeffs), prec=self.n)

    def zero(self) -> Any:
        return self._make([])

    def variable(self, i: int) -> Any:
        return self._make([0, self.direction[i]])

    def mul(self, a: Any, b: Any) -> Any:
        return _mul_low(a, b, self.n) if self.modular else a * b

    def inv(self, a: Any) -> Any:
        return a.inverse_series_trunc(self.n) if self.modular else 1 / a

    def expm1(self, v: Any) -> Any:
        if not self.modular:
            return v.exp() - 1
        # Gates come in mirrored pairs σ(b + u), σ(b − u): exp(−v) is the inverse the
        # Newton iteration for exp(v) already half computed.
        negated = -v
        e = next((w.inverse() for u, w in self._recent_exps if u == negated), None)
        if e is None:
            exp_v = _NmodExp(v, self.n)
            self._recent_exps = [(v, exp_v), *self._recent_exps[:7]]
            e = exp_v.value
        return e - 1

    def log1p(self, v: Any) -> Any:
        return _nmod_log(v + 1, self.n) if self.modular else (v + 1).log()

    def sin_cosm1(self, v: Any) -> tuple:
        if not self.modular:
            return v.sin(), v.cos() - 1
        i = self._i
        exp_iv = _NmodExp(v * i, self.n)
        plus, minus = exp_iv.value, exp_iv.inverse()
        half = flint.nmod(1, self.field.p) / 2
        return (plus - minus) * (half / i), (plus + minus) * half - 1

    def atan(self, v: Any) -> Any:
        if not self.modular:
            return v.atan()
        w = (_mul_low(v, v, self.n) + 1).inverse_series_trunc(self.n)
        return _mul_low(v.derivative(), w, self.n - 1).integral()

    def horner(self, coeffs: Sequence, v: Any) -> Any:
        return horner_sum(self, coeffs, v, _line_valuation(v, self.n))

    def coefficients(self, a: Any) -> list:
        """Coefficients of t^0..t^order as exact values."""
        if self.modular:
            raw = [int(c) for c in a.coeffs()[: self.n]]
        else:
            raw = [self.field.to_exact(c) for c in a.coeffs()[: self.n]]
        return raw + [0] * (self.n - len(raw))


def _line_valuation(v: Any, n: int) -> int:
    """The order of the lowest nonzero term of v below t^n (n when there is none)."""
    for k, c in enumerate(v.coeffs()[:n]):
        if c != 0:
            return k
    return n


@functools.lru_cache(maxsize=64)
def _sqrt_minus_one(p: int) -> flint.nmod:
    if p % 4 != 1:
        raise SymdepthError(f"the prime {p} must be 1 mod 4 so that sin and cos work over GF(p)")
    for g in range(2, 1000):
        r = flint.nmod(g, p) ** ((p - 1) // 4)
        if r * r == flint.nmod(p - 1, p):
            return r
    raise SymdepthError(f"no square root of -1 found mod {p}")  # pragma: no cover


def _mul_low(a: flint.nmod_poly, b: flint.nmod_poly, n: int) -> flint.nmod_poly:
    # flint's full product is faster than its mul_low at these sizes (measured: 44 ms against
    # 70 ms at n = 65536), so multiply and truncate.
    return (a.truncate(n) * b.truncate(n)).truncate(n)


def _nmod_log(f: flint.nmod_poly, n: int) -> flint.nmod_poly:
    """log f mod t^n for f(0) = 1, as ∫ f'/f."""
    return _mul_low(f.derivative(), f.inverse_series_trunc(n), n - 1).integral()


class _NmodExp:
    """exp v mod t^n for v(0) = 0 over GF(p), with 1/exp v = exp(−v) on demand.

    flint exposes no nmod exp_series, so it is written here, two ways:

    * v = O(t^s) with n ≤ 9s: the exponential series has at most 8 terms below t^n; sum
      them with the powers of v/t^s truncated as they shift up (exp(−v) from the same powers).
    * otherwise Newton iteration on g ≈ exp v carrying h ≈ 1/g along (Hanrot & Zimmermann,
      "Newton iteration revisited", 2004, §5): per doubling m → 2m, h is brought to
      precision m by one inverse step, then g ← g·(1 + v − log g) where
      log g − v = ∫ h·(g' − g·v') and g' − g·v' vanishes below t^(m−1), so only its upper
      half is formed.  1.6× faster than Newton through a fresh log per step, and the inverse
      costs one more step instead of a full series inversion (gates evaluate σ(b + u) and
      σ(b − u) in pairs).
    """

    _SHORT_TERMS = 8

    def __init__(self, v: flint.nmod_poly, n: int) -> None:
        self._n = n
        s = _line_valuation(v, n)
        if (n - 1) // s <= self._SHORT_TERMS:
            self._short(v, n, s)
        else:
            self._newton(v, n)

    def _short(self, v: flint.nmod_poly, n: int, s: int) -> None:
        p = v.modulus()
        shifted = v.truncate(n).right_shift(s)
        power = flint.nmod_poly([1], p)
        plus = flint.nmod_poly([1], p)
        minus = flint.nmod_poly([1], p)
        factorial = flint.nmod(1, p)
        for j in range(1, (n - 1) // s + 1):
            power = _mul_low(power, shifted, n - j * s)
            factorial *= j
            term = (power * (1 / factorial)).left_shift(j * s)
            plus += term
            minus += -term if j % 2 else term
        self.value, self._h, self._h_prec = plus, minus, n

    def _newton(self, v: flint.nmod_poly, n: int) -> None:
        one = flint.nmod_poly([1], v.modulus())
        schedule = [n]
        while schedule[-1] > 1:
            schedule.append((schedule[-1] + 1) // 2)
        dv = v.truncate(n).derivative()
        g, h, h_prec, m = one, one, 1, 1
        for m2 in reversed(schedule[:-1]):
            h = _inverse_step(g, h, h_prec, m)
            h_prec = m
            gdv = _mul_low(g, dv.truncate(m2 - 1), m2 - 1).right_shift(m - 1)
            correction = _mul_low(h, gdv, m2 - m).left_shift(m - 1).integral().right_shift(m)
            g = g + _mul_low(g, correction, m2 - m).left_shift(m)
            m = m2
        self.value, self._h, self._h_prec = g, h, h_prec

    def inverse(self) -> flint.nmod_poly:
        """exp(−v) mod t^n."""
        return _inverse_step(self.value, self._h, self._h_prec, self._n)


def _inverse_step(g: flint.nmod_poly, h: flint.nmod_poly, known: int, m: int) -> flint.nmod_poly:
    """1/g mod t^m from h = 1/g mod t^known, for known < m ≤ 2·known (one Newton step)."""
    if m <= known:
        return h.truncate(m)
    error = _mul_low(g, h, m).right_shift(known)
    return h - _mul_low(h, error, m - known).left_shift(known)
