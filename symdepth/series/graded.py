"""Multivariate series by homogeneous components, over Q or a field of rational functions.

:class:`GradedSeries` stores a series truncated at total degree d as the list of its
homogeneous components (index = degree), each a polynomial over Q (python-flint
``fmpq_mpoly``) or over Q(σ_0, σ_1, …, generators) (sympy ``PolyRing`` over a
``FracField``).  Truncation by total degree is then free: a product of components of
degrees i and j is dropped when i + j > d.  The transcendental functions use the classical
recurrences from the Euler operator t·d/dt (k·y_k = Σ j·v_j·y_{k−j} for y = exp v, and
similar): no library offers them for graded multivariate series over these fields.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import flint
import sympy

from ..numbers import Exact
from .fields import RATIONALS
from .ring import horner_sum

__all__ = ["GradedSeries"]


class GradedSeries:
    """Multivariate series truncated at total degree ``order``, stored as the list of their
    homogeneous components (index = degree).

    ``field`` is :data:`RATIONALS` (components are flint ``fmpq_mpoly``) or a
    :class:`SymbolicField` (components are sympy ``PolyElement`` over it).

    Examples
    --------
    >>> ring = GradedSeries(3, ("x1", "x2"))
    >>> s = ring.expm1(ring.add(ring.variable(0), ring.variable(1)))
    >>> ring.terms(s)[(1, 1)], ring.terms(s)[(2, 1)]
    (1, Fraction(1, 2))
    """

    def __init__(self, order: int, variables: Sequence[str], field: Any = RATIONALS) -> None:
        self.order = order
        self.n = order + 1
        self.variables = tuple(variables)
        self.field = field
        if field is RATIONALS:
            ctx = flint.fmpq_mpoly_ctx.get(self.variables, "lex")
            self._gens = list(ctx.gens())
            self._zero = ctx.from_dict({})
            self._const = lambda s: ctx.from_dict({(0,) * len(self.variables): s}) if s != 0 else self._zero
            self._smul = lambda p, s: p * s
            self._terms = lambda p: list(p.to_dict().items())
        else:
            from sympy.polys.rings import PolyRing

            ring = PolyRing(self.variables, field.domain, sympy.polys.orderings.lex)
            self._gens = list(ring.gens)
            self._zero = ring.zero
            self._const = lambda s: ring.ground_new(s)
            self._smul = lambda p, s: p.mul_ground(s)
            self._terms = lambda p: list(p.terms())

    def active(self) -> contextlib.AbstractContextManager:
        return contextlib.nullcontext()

    def scalar(self, value: Exact) -> Any:
        return self.field.convert(value)

    def zero(self) -> list:
        return [self._zero] * self.n

    def variable(self, i: int) -> list:
        out = self.zero()
        if self.order >= 1:
            out[1] = self._gens[i]
        return out

    def add(self, a: list, b: list) -> list:
        return [x + y for x, y in zip(a, b)]

    def sub(self, a: list, b: list) -> list:
        return [x - y for x, y in zip(a, b)]

    def scale(self, a: list, s: Any) -> list:
        return [self._smul(x, s) if x else x for x in a]

    def add_scalar(self, a: list, s: Any) -> list:
        return [a[0] + self._const(s)] + a[1:]

    def mul(self, a: list, b: list) -> list:
        out = self.zero()
        nz_a = [(i, x) for i, x in enumerate(a) if x]
        nz_b = [(j, y) for j, y in enumerate(b) if y]
        for i, x in nz_a:
            for j, y in nz_b:
                if i + j > self.order:
                    break
                out[i + j] = out[i + j] + x * y
        return out

    def _constant_of(self, a: list) -> Any:
        if not a[0]:
            return self.field.convert(0)
        ((_, c),) = self._terms(a[0])
        return c

    def inv(self, a: list) -> list:
        a0_inv = 1 / self._constant_of(a)
        g = self.zero()
        g[0] = self._const(a0_inv)
        for k in range(1, self.n):
            acc = self._zero
            for j in range(1, k + 1):
                if a[j] and g[k - j]:
                    acc = acc + a[j] * g[k - j]
            g[k] = self._smul(acc, -a0_inv) if acc else acc
        return g

    def _euler(self, v: list, w: list, k: int) -> Any:
        """(1/k)·Σ_{j=1..k} j·v_j·w_{k−j}: the degree-k part of ∫ v'·w in the Euler grading."""
        acc = self._zero
        for j in range(1, k + 1):
            if v[j] and w[k - j]:
                acc = acc + self._smul(v[j] * w[k - j], self.scalar(Fraction(j, k)))
        return acc

    def expm1(self, v: list) -> list:
        y = self.zero()
        y[0] = self._const(self.scalar(1))
        for k in range(1, self.n):
            y[k] = self._euler(v, y, k)
        y[0] = self._zero
        return y

    def log1p(self, v: list) -> list:
        # L = log(1+v): k L_k = k v_k − Σ_{j<k} j L_j v_{k−j}
        out = self.zero()
        for k in range(1, self.n):
            acc = self._zero
            for j in range(1, k):
                if out[j] and v[k - j]:
                    acc = acc + self._smul(out[j] * v[k - j], self.scalar(Fraction(j, k)))
            out[k] = v[k] - acc
        return out

    def sin_cosm1(self, v: list) -> tuple:
        s, c = self.zero(), self.zero()
        c[0] = self._const(self.scalar(1))
        for k in range(1, self.n):
            s[k] = self._euler(v, c, k)
            c[k] = -self._euler(v, s, k)
        c[0] = self._zero
        return s, c

    def atan(self, v: list) -> list:
        w = self.inv(self.add_scalar(self.mul(v, v), self.scalar(1)))
        out = self.zero()
        for k in range(1, self.n):
            out[k] = self._euler(v, w, k)
        return out

    def horner(self, coeffs: Sequence, v: list) -> list:
        valuation = next((k for k, x in enumerate(v) if x), self.n)
        return horner_sum(self, coeffs, v, valuation)

    def terms(self, a: list) -> dict:
        """The coefficients as a dict exponent tuple → exact value."""
        out = {}
        for comp in a:
            for mono, c in self._terms(comp):
                out[tuple(mono)] = self.field.to_exact(c)
        return out

    def coefficients_raw(self, a: list) -> dict:
        """The coefficients as a dict exponent tuple → field element (no conversion)."""
        out = {}
        for comp in a:
            for mono, c in self._terms(comp):
                out[tuple(mono)] = c
        return out
