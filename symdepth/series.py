"""Truncated power series propagated through a network, over a chosen coefficient ring.

The algorithm (:func:`network_series`) is written once: walk the graph in topological
order; a neuron's input is a linear combination of its predecessors' series; its output is
σ(c + v) − σ(c), built by the activation's *recipe* (see :mod:`symdepth.activations`) from a
few ring operations: ``mul``, ``inv``, ``expm1``, ``log1p``, ``sin_cosm1``, ``atan``,
``horner``.  Constant terms (the values at the expansion point) are exact numbers kept
outside the ring (:meth:`Network.node_values`), so that a transcendental bias such as
``atanh(1/2)`` never enters the ring, only the rational coefficients it produces.

Rings (all truncate at a total degree ``order``):

* :class:`LineSeries` — univariate series in t along a line x = a·t, over Q (python-flint
  ``fmpq_series``) or GF(p) (``nmod_poly``).  Exact for one input; the randomized check
  uses it over GF(p) with a random direction a.
* :class:`BallSeries` — multivariate series over python-flint ``arb`` balls (rigorous
  enclosures of real coefficients), for Taylor expansions at a point where the activations'
  values are transcendental (the uniform checks of :mod:`symdepth.uniform`).
* :class:`GradedSeries` — multivariate series stored by homogeneous components
  (a list indexed by degree), each a polynomial over Q (python-flint ``fmpq_mpoly``) or over
  a field of rational functions Q(σ_0, σ_1, …, generators) (sympy ``PolyRing`` over a
  ``FracField``).  Truncation by total degree is then free: a product of components of
  degrees i and j is simply dropped when i + j > order.

Why the transcendental functions are written here rather than taken from a library: flint
offers them only for univariate series over Q; for GF(p) and for graded multivariate series
we use the classical recurrences from the Euler operator t·d/dt (k·y_k = Σ j·v_j·y_{k−j} for
y = exp v, and similar), and for GF(p) Newton iteration with flint's C series inverse.
"""

from __future__ import annotations

import contextlib
import functools
import math
from collections.abc import Callable, Iterator, Sequence
from fractions import Fraction
from typing import Any, NamedTuple

import flint
import networkx as nx
import numpy as np
import sympy

from .errors import SymdepthError
from .numbers import Exact, exact, is_rational, to_sympy
from .parsing import natural_key

__all__ = [
    "LineSeries",
    "GradedSeries",
    "BallSeries",
    "BallLineSeries",
    "SymbolicField",
    "network_series",
    "univariate_taylor",
    "flint_precision",
    "ball_precision",
    "exact_field",
    "RATIONALS",
    "PrimeField",
    "CoefficientBounds",
]


@contextlib.contextmanager
def _flint_setting(name: str, value: int) -> Iterator[None]:
    old = getattr(flint.ctx, name)
    setattr(flint.ctx, name, value)
    try:
        yield
    finally:
        setattr(flint.ctx, name, old)


def flint_precision(cap: int) -> contextlib.AbstractContextManager:
    """Set python-flint's global series precision for the duration of a block.

    flint keeps it in ``flint.ctx.cap``; this is the only place symdepth changes it, and it
    is restored on exit.
    """
    return _flint_setting("cap", cap)


def ball_precision(bits: int) -> contextlib.AbstractContextManager:
    """Set python-flint's working precision of ``arb`` balls (``flint.ctx.prec``, in bits)
    for the duration of a block; restored on exit."""
    return _flint_setting("prec", bits)


# ---------------------------------------------------------------------------------------------
# Coefficient fields
# ---------------------------------------------------------------------------------------------


def _is_generator(expr: sympy.Expr) -> bool:
    return not (expr.is_Rational or expr.is_Add or expr.is_Mul or (expr.is_Pow and expr.exp.is_Integer))


def _collect_generators(expr: sympy.Expr, out: dict) -> None:
    if expr.is_Rational:
        return
    if expr.is_Symbol:
        out.setdefault(expr, expr)
        return
    if _is_generator(expr):
        out.setdefault(expr, sympy.Symbol(f"⟨{sympy.sstr(expr)}⟩"))
        return
    for arg in (expr.args if not expr.is_Pow else (expr.base,)):
        _collect_generators(arg, out)


class SymbolicField:
    """The field Q(g_1, …, g_m) of rational functions in the symbols and transcendental
    constants that occur in some exact values, each treated as an independent indeterminate.

    Symbols (``sigma_2``, user weight symbols) are genuine indeterminates.  Constants such as
    ``exp(1/2)`` become formal generators: an identity that holds formally holds for their
    true values too, but formal inequality does not prove inequality (the constants may be
    algebraically dependent); :attr:`has_constants` says when that caveat applies.

    Examples
    --------
    >>> K = SymbolicField([sympy.Symbol("sigma_2"), sympy.exp(sympy.Rational(1, 2))])
    >>> K.has_constants
    True
    >>> a = K.convert(1 / (2 * sympy.Symbol("sigma_2")))
    >>> K.to_exact(a * 2)
    1/sigma_2
    """

    def __init__(self, values: Sequence[Exact]) -> None:
        found: dict = {}
        for value in values:
            if not is_rational(value):
                _collect_generators(to_sympy(value), found)
        found = dict(sorted(found.items(), key=lambda item: natural_key(sympy.sstr(item[0]))))
        self.generators = found
        self.has_constants = any(not g.is_Symbol for g in found)
        symbols = list(found.values()) or [sympy.Symbol("⟨none⟩")]
        self.domain = sympy.QQ.frac_field(*symbols)
        self._to_symbol = {g: s for g, s in found.items() if not g.is_Symbol}
        self._from_symbol = {s: g for g, s in self._to_symbol.items()}
        self.name = "Q(" + ", ".join(sympy.sstr(g) for g in found) + ")" if found else "Q"

    def convert(self, value: Exact) -> Any:
        if is_rational(value):
            q = Fraction(value)
            return self.domain.convert(sympy.Rational(q.numerator, q.denominator))
        expr = to_sympy(value)
        if self._to_symbol:
            expr = expr.xreplace(self._to_symbol)
        missing = expr.free_symbols - set(self.domain.symbols)
        if missing:
            raise SymdepthError(f"internal: value {value} has symbols {missing} outside the field {self.name}")
        return self.domain.from_sympy(expr)

    def to_exact(self, element: Any) -> Exact:
        expr = self.domain.to_sympy(element)
        if self._from_symbol:
            expr = expr.xreplace(self._from_symbol)
        return exact(expr)


class _RationalField:
    """Q as python-flint ``fmpq``."""

    name = "Q"
    has_constants = False

    @staticmethod
    def convert(value: Exact) -> flint.fmpq:
        q = Fraction(value)
        return flint.fmpq(q.numerator, q.denominator)

    @staticmethod
    def to_exact(element: flint.fmpq) -> Exact:
        return exact(Fraction(int(element.p), int(element.q)))


RATIONALS = _RationalField()


class PrimeField:
    """GF(p) with python-flint ``nmod``; converts rationals (fails on denominators ≡ 0)."""

    has_constants = False

    def __init__(self, p: int) -> None:
        self.p = p
        self.name = f"GF({p})"

    def convert(self, value: Exact) -> flint.nmod:
        if not is_rational(value):
            raise SymdepthError(
                f"the randomized check works over GF(p) and needs rational weights and Taylor coefficients, "
                f"but met {value}; use method='exact'"
            )
        q = Fraction(value)
        if q.denominator % self.p == 0:
            raise ZeroDivisionError(f"denominator of {q} vanishes mod {self.p}")
        return flint.nmod(q.numerator, self.p) / flint.nmod(q.denominator, self.p)

    def to_exact(self, element: flint.nmod) -> int:
        return int(element)


# ---------------------------------------------------------------------------------------------
# Univariate series along a line
# ---------------------------------------------------------------------------------------------


class _ElementwiseRing:
    """Ring operations that the elements' own operators already are (flint series, numpy
    arrays of balls): shared by the rings below, which add truncation and functions."""

    def add(self, a: Any, b: Any) -> Any:
        return a + b

    def sub(self, a: Any, b: Any) -> Any:
        return a - b

    def scale(self, a: Any, s: Any) -> Any:
        return a * s

    def add_scalar(self, a: Any, s: Any) -> Any:
        return a + s

    def mul(self, a: Any, b: Any) -> Any:
        return a * b


class LineSeries(_ElementwiseRing):
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
        return _horner(self, coeffs, v, _line_valuation(v, self.n))

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


# ---------------------------------------------------------------------------------------------
# Multivariate series by homogeneous components
# ---------------------------------------------------------------------------------------------


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
        return _horner(self, coeffs, v, valuation)

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


class _BallRing(_ElementwiseRing):
    """Scalars and expansion-point constants of the rings over ``arb`` balls."""

    order: int

    def scalar(self, value: Any) -> Any:
        return value if isinstance(value, flint.arb) else ball(value)

    def seeds(self, act: Any, c: Any) -> list:
        """The activation's recipe constants at the ball ``c`` (cf. ``Activation.seeds``)."""
        return ball_seeds(act, c, self.order)


class BallSeries(_BallRing):
    """Multivariate series in ``nvars`` variables truncated at total degree ``order``, with
    python-flint ``arb`` coefficients: every coefficient is a ball that contains the true one.

    An element is a numpy object array indexed by :attr:`monomials` (graded order).  A
    product is one gather–multiply–sum over the precomputed pairs of monomials whose degrees
    add up to at most ``order``, grouped by the monomial they make; the transcendental
    functions are their (finite) Taylor sums, since a series without constant term is
    nilpotent here.  Use it inside an
    ``arb`` working precision (``flint.ctx.prec``); expansion-point values come as balls
    through :meth:`seeds`.

    Examples
    --------
    >>> ring = BallSeries(3, 2)
    >>> s = ring.expm1(ring.add(ring.variable(0), ring.variable(1)))
    >>> ring.coefficient(s, (1, 1)), ring.coefficient(s, (2, 1)).contains(flint.arb(1) / 2)
    (1.00000000000000, True)
    """

    def __init__(self, order: int, nvars: int) -> None:
        self.order = order
        self.nvars = nvars
        self.monomials = tuple(m for k in range(order + 1) for m in _exponents_of_degree(nvars, k))
        self._index = {m: i for i, m in enumerate(self.monomials)}
        up_to = [sum(1 for m in self.monomials if sum(m) <= k) for k in range(order + 1)]  # graded: a prefix
        pairs = [(i, j, self._index[tuple(x + y for x, y in zip(a, b))])
                 for i, a in enumerate(self.monomials) for j, b in enumerate(self.monomials[:up_to[order - sum(a)]])]
        pairs.sort(key=lambda pair: pair[2])
        self._left, self._right, targets = (np.array(column, dtype=np.intp) for column in zip(*pairs))
        # every monomial m has the pair (m, 1), so each target starts one nonempty run
        self._starts = np.flatnonzero(np.r_[True, targets[1:] != targets[:-1]])

    def active(self) -> contextlib.AbstractContextManager:
        return contextlib.nullcontext()

    def zero(self) -> Any:
        out = np.empty(len(self.monomials), dtype=object)
        out[:] = flint.arb(0)
        return out

    def variable(self, i: int) -> Any:
        out = self.zero()
        if self.order >= 1:
            out[self._index[tuple(int(j == i) for j in range(self.nvars))]] = flint.arb(1)
        return out

    def add_scalar(self, a: Any, s: Any) -> Any:
        out = a.copy()
        out[0] = out[0] + s
        return out

    def mul(self, a: Any, b: Any) -> Any:
        return np.add.reduceat(a[self._left] * b[self._right], self._starts)

    def _taylor_sum(self, coefficients: Sequence, v: Any) -> Any:
        """Σ_{k≥1} coefficients[k]·v^k for v without constant term (v^(order+1) = 0)."""
        return _horner(self, [self.scalar(c) for c in coefficients], v, 1)

    def inv(self, a: Any) -> Any:
        a0 = a[0]
        u = self.add_scalar(a / a0, flint.arb(-1))
        return self.add_scalar(self._taylor_sum([0] + [(-1) ** k for k in range(1, self.order + 1)], u), 1) / a0

    def expm1(self, v: Any) -> Any:
        return self._taylor_sum([Fraction(1, math.factorial(k)) for k in range(self.order + 1)], v)

    def log1p(self, v: Any) -> Any:
        return self._taylor_sum([0] + [Fraction((-1) ** (k + 1), k) for k in range(1, self.order + 1)], v)

    def sin_cosm1(self, v: Any) -> tuple:
        sine = [Fraction((-1) ** (k // 2), math.factorial(k)) if k % 2 else 0 for k in range(self.order + 1)]
        cosine = [Fraction((-1) ** (k // 2), math.factorial(k)) if k and k % 2 == 0 else 0 for k in range(self.order + 1)]
        return self._taylor_sum(sine, v), self._taylor_sum(cosine, v)

    def atan(self, v: Any) -> Any:
        return self._taylor_sum([Fraction((-1) ** (k // 2), k) if k % 2 else 0 for k in range(self.order + 1)], v)

    def horner(self, coeffs: Sequence, v: Any) -> Any:
        return _horner(self, coeffs, v, 1)

    def coefficient(self, a: Any, monomial: Sequence[int]) -> Any:
        """The ball coefficient of x^monomial."""
        return a[self._index[tuple(monomial)]]

    def magnitude(self, a: Any, radii: Sequence[Any]) -> Any:
        """An upper bound (arb) of Σ_m |a_m|·r^m, hence of sup |a(h)| over |h_i| ≤ r_i."""
        total = flint.arb(0)
        for m, c in zip(self.monomials, a):
            term = abs(c).upper()
            for r, e in zip(radii, m):
                if e:
                    term = term * r**e
            total = total + term
        return total.upper()


class BallLineSeries(_BallRing):
    """Series in one variable s over ``arb`` balls, truncated after s^order, for inputs
    x_i = x_i⁰ + u_i·s with ball directions u_i (python-flint ``arb_series``; use inside
    :func:`flint_precision`).  With the network's values over a whole box as the
    expansion-point balls, its coefficient of s^k encloses the k-th derivative along every
    segment in the box, divided by k!: the remainder term of a Taylor model.

    Examples
    --------
    >>> ring = BallLineSeries(2, [flint.arb(3)])
    >>> with ring.active():
    ...     ring.coefficients(ring.expm1(ring.variable(0)))
    [0, 3.00000000000000, 4.50000000000000]
    """

    def __init__(self, order: int, directions: Sequence[Any]) -> None:
        self.order = order
        self.n = order + 1
        self.directions = list(directions)

    def active(self) -> contextlib.AbstractContextManager:
        return flint_precision(self.n)

    def zero(self) -> Any:
        return flint.arb_series([], prec=self.n)

    def variable(self, i: int) -> Any:
        return flint.arb_series([0, self.directions[i]], prec=self.n)

    def inv(self, a: Any) -> Any:
        return a.inv()

    def expm1(self, v: Any) -> Any:
        return v.exp() - 1

    def log1p(self, v: Any) -> Any:
        return (v + 1).log()

    def sin_cosm1(self, v: Any) -> tuple:
        return v.sin(), v.cos() - 1

    def atan(self, v: Any) -> Any:
        return v.atan()

    def horner(self, coeffs: Sequence, v: Any) -> Any:
        return _horner(self, coeffs, v, 1)

    def coefficients(self, a: Any) -> list:
        """The balls of s^0..s^order."""
        raw = list(a.coeffs()[: self.n])
        return raw + [flint.arb(0)] * (self.n - len(raw))


def _exponents_of_degree(nvars: int, degree: int) -> list:
    if nvars == 1:
        return [(degree,)]
    return [(k, *rest) for k in range(degree, -1, -1) for rest in _exponents_of_degree(nvars - 1, degree - k)]


def ball(value: Exact) -> Any:
    """A rigorous ``arb`` enclosure of an exact number: a rational, or a sympy constant built
    from rationals, π, e and exp/log/(inverse) trigonometric and hyperbolic functions.

    Examples
    --------
    >>> ball(Fraction(1, 4)), ball(sympy.atanh(sympy.Rational(1, 2))).contains(flint.arb("0.5493061443340548"))
    (0.250000000000000, True)
    """
    if is_rational(value):
        q = Fraction(value)
        return flint.arb(flint.fmpq(q.numerator, q.denominator))
    expr = to_sympy(value)
    if expr.free_symbols:
        raise SymdepthError(f"a numeric value is needed here; {expr} has symbols {sorted(map(str, expr.free_symbols))}")
    if expr.is_Rational:
        return flint.arb(flint.fmpq(int(expr.p), int(expr.q)))
    if expr is sympy.pi:
        return flint.arb.pi()
    if expr is sympy.E:
        return flint.arb.const_e()
    args = [ball(a) for a in expr.args]
    if expr.is_Add:
        return sum(args[1:], args[0])
    if expr.is_Mul:
        out = args[0]
        for a in args[1:]:
            out = out * a
        return out
    if expr.is_Pow and expr.exp.is_Integer:
        return args[0] ** int(expr.exp)
    if expr.is_Pow and expr.exp == sympy.Rational(1, 2):
        return args[0].sqrt()
    functions = {sympy.exp: "exp", sympy.log: "log", sympy.atanh: "atanh", sympy.atan: "atan", sympy.tanh: "tanh",
                 sympy.sin: "sin", sympy.cos: "cos"}
    if expr.func in functions:
        return getattr(args[0], functions[expr.func])()
    raise SymdepthError(f"cannot enclose the constant {expr} in a ball")


def ball_seeds(act: Any, c: Any, order: int) -> list:
    """``Activation.seeds`` at a ball ``c``: the same constants, enclosed."""
    act.require_analytic()
    name = act.name
    if name == "exp":
        return [c.exp()]
    if name == "tanh":
        return [c.tanh()]
    if name in ("sigmoid", "softplus"):
        return [1 / (1 + (-c).exp())]
    if name in ("sin", "cos"):
        return [c.sin(), c.cos()]
    if name == "arctan":
        return [c]
    if name == "polynomial":
        coefficients = [ball(a) for a in act.coefficients]
        return [sum((coefficients[j] * math.comb(j, k) * c ** (j - k) for j in range(k, len(coefficients))), flint.arb(0))
                for k in range(min(order, len(coefficients) - 1) + 1)]
    raise SymdepthError(f"the activation {act!r} has no numeric values (a generic σ is a symbol); give a concrete one")


def _horner(ring: Any, coeffs: Sequence, v: Any, valuation: int) -> Any:
    """Σ_{k≥1} coeffs[k]·v^k, using only the k with k·valuation ≤ order."""
    top = min(len(coeffs) - 1, ring.order // valuation if valuation else ring.order)
    if top < 1:
        return ring.zero()
    acc = ring.add_scalar(ring.zero(), coeffs[top])
    for k in range(top - 1, 0, -1):
        acc = ring.add_scalar(ring.mul(acc, v), coeffs[k])
    return ring.mul(acc, v)


# ---------------------------------------------------------------------------------------------
# Bounds on the coefficients (for the error probability of the randomized check)
# ---------------------------------------------------------------------------------------------


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


# ---------------------------------------------------------------------------------------------
# Propagation through a network
# ---------------------------------------------------------------------------------------------


def network_series(net: Any, ring: Any, values: dict | None = None,
                   progress: Callable[[int, int], None] | None = None) -> Any:
    """The output series of ``net`` minus its value at the expansion point, in ``ring``.

    ``values`` are the exact node values at the expansion point (``net.node_values()``,
    computed when omitted); inputs are the ring's variables.  ``progress(done, total)`` is
    called after each neuron.

    Examples
    --------
    >>> from symdepth import Network
    >>> net = Network(1, "exp"); h = net.add_neuron({"x1": 2}); net.set_output({h: 1})
    >>> ring = LineSeries(3)
    >>> with ring.active():
    ...     ring.coefficients(network_series(net, ring))
    [0, 2, 2, Fraction(4, 3)]
    """
    values = net.node_values() if values is None else values
    g = net.graph
    series: dict = {}
    seeds_cache: dict = {}
    index = {name: i for i, name in enumerate(net.inputs)}
    done, total = 0, net.num_neurons
    with ring.active():
        for node in nx.topological_sort(g):
            data = g.nodes[node]
            if data["kind"] == "input":
                series[node] = ring.variable(index[node])
                continue
            v = ring.zero()
            for u, _, w in g.in_edges(node, data="weight"):
                if w != 0:
                    v = ring.add(v, ring.scale(series[u], ring.scalar(w)))
            if data["kind"] == "output":
                return v
            act = data["activation"]
            c = values[node][0]
            if hasattr(ring, "seeds"):  # balls: the value at the point is an enclosure, not exact
                seeds = ring.seeds(act, c)
            else:
                key = (act, c)
                if key not in seeds_cache:
                    seeds_cache[key] = [ring.scalar(s) for s in act.seeds(c, ring.order)]
                seeds = seeds_cache[key]
            series[node] = act.recipe(ring, v, seeds)
            if progress is not None:
                done += 1
                progress(done, total)
    raise SymdepthError("the network has no output")  # pragma: no cover - validated before


def exact_field(values: Sequence[Exact]) -> Any:
    """:data:`RATIONALS` when every value is rational, else the :class:`SymbolicField` they
    generate."""
    if all(is_rational(v) for v in values):
        return RATIONALS
    return SymbolicField(values)


def univariate_taylor(act: Any, at: Exact, order: int) -> list:
    """Exact Taylor coefficients 0..order of σ(at + t) − σ(at) (the 0th is 0)."""
    seeds = act.seeds(at, order)
    field = exact_field(seeds)
    if field is RATIONALS:
        ring: Any = LineSeries(order)
        with ring.active():
            return ring.coefficients(act.recipe(ring, ring.variable(0), [ring.scalar(s) for s in seeds]))
    ring = GradedSeries(order, ("t",), field)
    terms = ring.terms(act.recipe(ring, ring.variable(0), [ring.scalar(s) for s in seeds]))
    return [terms.get((k,), 0) for k in range(order + 1)]
