"""Series over python-flint ``arb`` balls: rigorous enclosures of real Taylor coefficients.

:class:`BallSeries` (multivariate, at a point) and :class:`BallLineSeries` (univariate along
ball directions, for remainder terms over a whole cell) serve the uniform checks of
:mod:`symdepth.uniform`, where the activations' values at the expansion point are
transcendental.  :func:`ball` encloses an exact number, :func:`ball_seeds` an activation's
recipe constants at a ball.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import flint
import numpy as np
import sympy

from ..errors import NotAnalyticError, SymdepthError
from ..numbers import Exact, is_rational, to_sympy
from .fields import flint_precision
from .ring import ElementwiseRing, horner_sum

__all__ = ["BallSeries", "BallLineSeries", "activation_balls", "ball", "ball_seeds"]


class _BallRing(ElementwiseRing):
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
        return horner_sum(self, [self.scalar(c) for c in coefficients], v, 1)

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
        return horner_sum(self, coeffs, v, 1)

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
        return horner_sum(self, coeffs, v, 1)

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


def activation_balls(act: Any, u: Any) -> tuple:
    """(σ(u), σ'(u)) as arb balls; over a ball where a piecewise-linear σ has a kink, the
    derivative encloses both slopes.

    Examples
    --------
    >>> from symdepth.activations import get
    >>> activation_balls(get("relu"), flint.arb(0, 1))
    ([+/- 1.01], [+/- 1.01])
    >>> activation_balls(get("sigmoid"), flint.arb(0))
    (0.500000000000000, 0.250000000000000)
    """
    name = act.name
    if name == "exp":
        e = u.exp()
        return e, e
    if name == "tanh":
        t = u.tanh()
        return t, 1 - t * t
    if name == "sigmoid":
        s = 1 / (1 + (-u).exp())
        return s, s * (1 - s)
    if name == "softplus":
        return u.exp().log1p(), 1 / (1 + (-u).exp())
    if name == "sin":
        return u.sin(), u.cos()
    if name == "cos":
        return u.cos(), -u.sin()
    if name == "arctan":
        return u.atan(), 1 / (1 + u * u)
    if name == "polynomial":
        coeffs = [ball(c) for c in act.coefficients]
        value, slope = flint.arb(0), flint.arb(0)
        for c in reversed(coeffs):  # Horner for p and p' together
            slope = slope * u + value
            value = value * u + c
        return value, slope
    if name in ("relu", "leaky_relu"):
        a = ball(act.coefficients[0]) if name == "leaky_relu" else flint.arb(0)
        if u >= 0:
            return u, flint.arb(1)
        if u <= 0:
            return a * u, a
        return (a * u).union(u), a.union(flint.arb(1))
    if name == "hard_tanh":
        value = u.max(flint.arb(-1)).min(flint.arb(1))
        if u > -1 and u < 1:
            return value, flint.arb(1)
        if u >= 1 or u <= -1:
            return value, flint.arb(0)
        return value, flint.arb(0).union(flint.arb(1))
    raise NotAnalyticError(f"cannot evaluate the activation {act!r} numerically (a generic σ has no values)")
