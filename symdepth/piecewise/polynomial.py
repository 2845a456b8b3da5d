"""Exact piecewise polynomials and their composition.

A :class:`PiecewisePolynomial` has sorted breakpoints b_0 < … < b_m (rationals, exact real
algebraic numbers, or ±∞ at the ends) and one polynomial with rational coefficients per
piece.  Piece i covers [b_i, b_{i+1}); the last piece also covers b_m.  So at an interior
breakpoint the function takes the value of the piece on its right (for continuous
functions, which networks compute, both pieces agree there).

No floating point decides anything: roots are isolated exactly (sympy's
``Poly.intervals``, an exact Vincent–Akritas–Strzeboński isolation), signs at algebraic
points are found by refining isolating intervals until the polynomial has no root in them,
and linear pieces (ReLU networks) take a fast path in which every breakpoint is rational
(:mod:`~symdepth.piecewise.linear`).  Crossing numbers are in
:mod:`~symdepth.piecewise.crossing_numbers`, networks and sawtooth functions in
:mod:`~symdepth.piecewise.networks`.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction
from typing import Any

import flint
import sympy

from ..display import html_table
from ..errors import BudgetError, NetworkError, SymdepthError
from ..numbers import exact
from .algebraic import (
    INF,
    NEG_INF,
    RealAlgebraic,
    X,
    between,
    evaluate,
    exact_point,
    fmpq_of,
    fraction_of,
    is_infinite,
    poly_sympy,
    real_roots,
    sign_at,
)
from .linear import (
    Knots,
    LinearActivation,
    activation_of_knots,
    compose_knots,
    domain_end,
    linear_activation,
)
from .rational_array import RationalArray, to_fmpq

# the public names are listed (and re-exported) in symdepth/piecewise/__init__.py

DEFAULT_MAX_PIECES = 10**7


# ---------------------------------------------------------------------------------------------
# Piecewise polynomials
# ---------------------------------------------------------------------------------------------


class PiecewisePolynomial:
    """A piecewise polynomial on [b_0, b_m] (ends may be ±∞ via :data:`INF`).

    Parameters
    ----------
    breakpoints : sequence
        b_0 < b_1 < … < b_m: ints, Fractions, floats (converted exactly), sympy rationals or
        algebraic numbers (``sympy.sqrt(2)``), :class:`RealAlgebraic`, or ``-INF``/``INF``.
    pieces : sequence
        m polynomials: coefficient lists in ascending order, sympy expressions in one
        symbol, or flint ``fmpq_poly``.

    Examples
    --------
    >>> tent = PiecewisePolynomial([0, Fraction(1, 2), 1], [[0, 2], [2, -2]])
    >>> from symdepth.piecewise import crossings
    >>> tent(Fraction(1, 4)), tent.num_pieces, crossings(tent)
    (Fraction(1, 2), 2, 3)
    >>> PiecewisePolynomial([0, 1, 1], [[0], [1]])
    Traceback (most recent call last):
    ...
    symdepth.errors.NetworkError: breakpoints must increase strictly, but breakpoint 2 (1) is not above breakpoint 1 (1); pieces may neither overlap nor leave a gap
    """

    # _source: the (network, domain) the function was read from (from_network), for certificates
    __slots__ = ("_breakpoints", "_polys", "_linear", "_source")

    def __init__(self, breakpoints: Sequence[Any], pieces: Sequence[Any], *, _trusted: bool = False) -> None:
        self._linear: Knots | None = None
        self._source: tuple | None = None
        if _trusted:
            self._breakpoints: list | None = list(breakpoints)
            self._polys: list | None = list(pieces)
            return
        bps = [exact_point(b, f"breakpoint {i}") for i, b in enumerate(breakpoints)]
        if len(bps) < 2:
            raise NetworkError("a piecewise polynomial needs at least two breakpoints (the ends of its domain)")
        for i in range(1, len(bps)):
            if not bps[i - 1] < bps[i]:
                raise NetworkError(
                    f"breakpoints must increase strictly, but breakpoint {i} ({breakpoints[i]}) is not above "
                    f"breakpoint {i - 1} ({breakpoints[i - 1]}); pieces may neither overlap nor leave a gap"
                )
        for i, b in enumerate(bps[1:-1], start=1):
            if is_infinite(b):
                raise NetworkError(f"breakpoint {i} is infinite; only the two ends may be -INF/INF")
        if len(pieces) != len(bps) - 1:
            raise NetworkError(
                f"{len(bps)} breakpoints delimit {len(bps) - 1} pieces, but {len(pieces)} polynomials were given"
            )
        self._breakpoints = bps
        self._polys = [_as_poly(p, i) for i, p in enumerate(pieces)]

    @classmethod
    def _from_knots(cls, knots: Knots) -> PiecewisePolynomial:
        """A continuous piecewise-linear function kept as arrays; breakpoints and pieces are
        built only when asked for."""
        f = cls.__new__(cls)
        f._breakpoints = f._polys = None
        f._linear = knots
        f._source = None
        return f

    def _materialize(self) -> None:
        assert self._linear is not None
        self._breakpoints, self._polys = self._linear.pieces()

    @property
    def breakpoints(self) -> list:
        """b_0 < … < b_m (Fractions, RealAlgebraic, ±INF at the ends)."""
        if self._breakpoints is None:
            self._materialize()
        return self._breakpoints  # type: ignore[return-value]

    @property
    def polys(self) -> list:
        """The m pieces as flint ``fmpq_poly``."""
        if self._polys is None:
            self._materialize()
        return self._polys  # type: ignore[return-value]

    @property
    def num_pieces(self) -> int:
        if self._polys is None and self._linear is not None:
            return self._linear.num_pieces
        return len(self.polys)

    @property
    def domain(self) -> tuple:
        if self._linear is not None:
            return self._linear.lo, self._linear.hi
        return self.breakpoints[0], self.breakpoints[-1]

    @property
    def degree(self) -> int:
        if self._polys is None and self._linear is not None:
            return self._linear.degree()
        return max(p.degree() for p in self.polys)

    def __call__(self, x: object) -> Fraction:
        q = Fraction(exact(x, "point"))
        lo, hi = self.domain
        if q < lo or q > hi:
            raise SymdepthError(f"point {q} is outside the domain [{lo}, {hi}]")
        if self._linear is not None:
            return self._linear(q)
        i = bisect.bisect_right(self.breakpoints, q) - 1
        i = min(max(i, 0), self.num_pieces - 1)
        return evaluate(self.polys[i], q)

    def __repr__(self) -> str:
        if self.num_pieces > 6:
            return f"PiecewisePolynomial(<{self.num_pieces} pieces on [{self.domain[0]}, {self.domain[1]}]>)"
        parts = ", ".join(f"[{a}, {b}): {poly_sympy(p)}" for a, b, p in zip(self.breakpoints, self.breakpoints[1:],
                                                                             self.polys))
        return f"PiecewisePolynomial({parts})"

    def as_linear_activation(self) -> LinearActivation | None:
        """This function as an activation of the piecewise-linear engine (continuous, degree
        ≤ 1, rational breakpoints), or None."""
        if self._linear is not None:
            return activation_of_knots(self._linear)
        if self.degree > 1 or not all(isinstance(b, Fraction) or is_infinite(b) for b in self.breakpoints):
            return None
        polys = self.polys
        for b, p, q in zip(self.breakpoints[1:-1], polys, polys[1:]):
            if p(to_fmpq(b)) != q(to_fmpq(b)):
                return None
        coeffs = [(p.coeffs() + [flint.fmpq(0)] * 2)[:2] for p in polys]
        return LinearActivation(tuple(to_fmpq(b) for b in self.breakpoints[1:-1]), tuple(c[1] for c in coeffs),
                                tuple(c[0] for c in coeffs), domain_end(self.breakpoints[0]), domain_end(self.breakpoints[-1]))

    def _repr_latex_(self) -> str:
        shown = min(self.num_pieces, 12)
        # the domain is closed: the last piece includes its right end
        lines = [rf"{sympy.latex(poly_sympy(p))} & {_latex_point(a)} \le x "
                 + (r"\le " if b == self.domain[1] else "< ") + _latex_point(b)
                 for a, b, p in list(_pieces_on(self))[:shown]]
        if shown < self.num_pieces:
            lines.append(rf"\dots & \text{{{self.num_pieces - shown} more pieces up to }} {_latex_point(self.domain[1])}")
        return r"$f(x) = \begin{cases} " + r" \\ ".join(lines) + r" \end{cases}$"

    def _repr_html_(self) -> str:
        shown = min(self.num_pieces, 50)
        rows = [(a, b, poly_sympy(p)) for a, b, p in list(_pieces_on(self))[:shown]]
        caption = f"{self.num_pieces} pieces on [{self.domain[0]}, {self.domain[1]}]"
        more = f"<p>… {self.num_pieces - shown} more pieces</p>" if shown < self.num_pieces else ""
        return html_table(("from", "to", "piece"), rows, caption) + more

    def canonical(self) -> PiecewisePolynomial:
        """Merge adjacent pieces with the same polynomial."""
        if self._linear is not None:
            return self  # kept canonical
        bps, polys = [self.breakpoints[0]], []  # type: list, list
        for b, p in zip(self.breakpoints[1:], self.polys):
            if polys and polys[-1] == p:
                bps[-1] = b
            else:
                polys.append(p)
                bps.append(b)
        return PiecewisePolynomial(bps, polys, _trusted=True)

    # -- arithmetic -------------------------------------------------------------------------
    def _binary(self, other: PiecewisePolynomial, op: Callable) -> PiecewisePolynomial:
        if not isinstance(other, PiecewisePolynomial):
            return NotImplemented
        if not (self.domain[0] == other.domain[0] and self.domain[1] == other.domain[1]):
            raise SymdepthError(f"domains differ: {self.domain} and {other.domain}")
        bps, polys = _merge(self, other, op)
        return PiecewisePolynomial(bps, polys, _trusted=True).canonical()

    def __add__(self, other: PiecewisePolynomial) -> PiecewisePolynomial:
        if not isinstance(other, PiecewisePolynomial):
            c = fmpq_of(Fraction(exact(other, "constant")))
            return PiecewisePolynomial(self.breakpoints, [p + c for p in self.polys], _trusted=True)
        return self._binary(other, lambda p, q: p + q)

    def __sub__(self, other: PiecewisePolynomial) -> PiecewisePolynomial:
        if not isinstance(other, PiecewisePolynomial):
            return self + (-Fraction(exact(other, "constant")))
        return self._binary(other, lambda p, q: p - q)

    def __mul__(self, other: Any) -> PiecewisePolynomial:
        if isinstance(other, PiecewisePolynomial):
            return self._binary(other, lambda p, q: p * q)
        c = fmpq_of(Fraction(exact(other, "scalar")))
        return PiecewisePolynomial(self.breakpoints, [p * c for p in self.polys], _trusted=True)

    __rmul__ = __mul__

    def __neg__(self) -> PiecewisePolynomial:
        return self * -1


def _latex_point(v: Any) -> str:
    if is_infinite(v):
        return r"\infty" if v.sign > 0 else r"-\infty"
    if isinstance(v, RealAlgebraic):
        return rf"{v.approx(6)}\ldots"
    return sympy.latex(sympy.Rational(v.numerator, v.denominator))


def _as_poly(p: Any, i: int) -> flint.fmpq_poly:
    if isinstance(p, flint.fmpq_poly):
        return p
    if isinstance(p, sympy.Expr):
        symbols = p.free_symbols
        if len(symbols) > 1:
            raise NetworkError(f"piece {i}: {p} has several symbols; pieces are univariate")
        x = next(iter(symbols)) if symbols else X
        coeffs = list(reversed(sympy.Poly(p, x).all_coeffs()))
        p = coeffs
    if isinstance(p, (int, Fraction)):
        p = [p]
    try:
        values = [Fraction(exact(c, f"coefficient {k} of piece {i}")) for k, c in enumerate(p)]
    except TypeError:
        raise NetworkError(f"piece {i} must have rational coefficients, got {p!r}") from None
    return flint.fmpq_poly([fmpq_of(v) for v in values])


def _merge(f: PiecewisePolynomial, g: PiecewisePolynomial, op: Callable) -> tuple[list, list]:
    bps = [f.breakpoints[0]]
    polys = []
    i = j = 0
    while i < f.num_pieces and j < g.num_pieces:
        polys.append(op(f.polys[i], g.polys[j]))
        a, b = f.breakpoints[i + 1], g.breakpoints[j + 1]
        if a < b:
            bps.append(a)
            i += 1
        elif b < a:
            bps.append(b)
            j += 1
        else:
            bps.append(a)
            i += 1
            j += 1
    return bps, polys


def _pieces_on(f: PiecewisePolynomial) -> Iterable[tuple[Any, Any, flint.fmpq_poly]]:
    return zip(f.breakpoints, f.breakpoints[1:], f.polys)


def _split_by_sign(f: PiecewisePolynomial, choose: Callable[[int, flint.fmpq_poly], flint.fmpq_poly],
                   diff: Callable[[flint.fmpq_poly], flint.fmpq_poly]) -> PiecewisePolynomial:
    """Split every piece at the roots of diff(piece) and replace each part by choose(sign, piece)."""
    bps = [f.breakpoints[0]]
    polys: list = []
    for a, b, p in _pieces_on(f):
        d = diff(p)
        cuts = [a] + real_roots(d, a, b) + [b]
        for lo, hi in zip(cuts, cuts[1:]):
            sign = sign_at(d, between(lo, hi))
            polys.append(choose(sign, p))
            bps.append(hi)
    return PiecewisePolynomial(bps, polys, _trusted=True).canonical()


def relu(f: PiecewisePolynomial) -> PiecewisePolynomial:
    """max(f, 0), splitting pieces at their roots.

    Examples
    --------
    >>> relu(PiecewisePolynomial([-1, 1], [[0, 1]]))
    PiecewisePolynomial([-1, 0): 0, [0, 1): x)
    """
    zero = flint.fmpq_poly([])
    return _split_by_sign(f, lambda s, p: p if s > 0 else zero, lambda p: p)


def maximum(f: PiecewisePolynomial, g: PiecewisePolynomial) -> PiecewisePolynomial:
    """Pointwise max(f, g)."""
    return g + relu(f - g)


def minimum(f: PiecewisePolynomial, g: PiecewisePolynomial) -> PiecewisePolynomial:
    """Pointwise min(f, g)."""
    return f - relu(f - g)


# ---------------------------------------------------------------------------------------------
# Composition
# ---------------------------------------------------------------------------------------------


def compose(f: PiecewisePolynomial, g: PiecewisePolynomial, max_pieces: int = DEFAULT_MAX_PIECES) -> PiecewisePolynomial:
    """f∘g, x ↦ f(g(x)): each piece of g is split at the preimages of f's breakpoints.

    g's values must lie in f's domain, and f must be continuous: where f jumps at c, a
    decreasing piece of g reaching c would need the left value at a breakpoint, which the
    right-continuous convention cannot store.  Preimages under linear pieces are rational;
    under nonlinear ones they are real algebraic numbers, found exactly.

    Raises
    ------
    BudgetError
        When the estimated number of pieces (pieces of g times breakpoints of f) exceeds
        ``max_pieces``.

    Examples
    --------
    >>> from symdepth.piecewise import triangle_map_function
    >>> tent = triangle_map_function()
    >>> compose(tent, tent).num_pieces
    4
    """
    outer = linear_activation(f) if f.degree <= 1 or f._linear is not None else None
    g_knots = _knots_of(g) if outer is not None else None
    if outer is not None and g_knots is not None:
        return PiecewisePolynomial._from_knots(compose_knots(outer, g_knots, max_pieces))
    for i in range(1, f.num_pieces):
        if sign_at(f.polys[i - 1] - f.polys[i], f.breakpoints[i]) != 0:
            raise SymdepthError(
                f"compose needs a continuous outer function, but f jumps at breakpoint {f.breakpoints[i]}; "
                "make the pieces agree there"
            )
    estimate = g.num_pieces * f.num_pieces
    if estimate > max_pieces and g.degree > 1:
        raise BudgetError(
            f"composing {f.num_pieces} with {g.num_pieces} pieces may give up to {estimate:,} pieces, more than "
            f"max_pieces={max_pieces:,}; raise max_pieces (command line: --max-pieces N)"
        )
    inner = f.breakpoints[1:-1]
    lo_f, hi_f = f.domain
    bps = [g.breakpoints[0]]
    polys: list = []
    for a, b, q in _pieces_on(g):
        if q.degree() <= 1:
            cuts = _linear_cuts(q, a, b, inner, f)
        else:
            cuts = [a] + _polynomial_cuts(q, a, b, inner) + [b]
        for lo, hi in zip(cuts, cuts[1:]):
            mid = between(lo, hi)
            y = evaluate(q, mid)
            if y < lo_f or y > hi_f:
                raise SymdepthError(f"g({mid}) = {y} lies outside f's domain [{lo_f}, {hi_f}]")
            j = min(max(bisect.bisect_right(f.breakpoints, y) - 1, 0), f.num_pieces - 1)
            polys.append(f.polys[j](q))
            bps.append(hi)
        if len(polys) > max_pieces:
            raise BudgetError(f"the composition exceeds max_pieces={max_pieces:,} pieces; raise max_pieces (command line: --max-pieces N)")
    return PiecewisePolynomial(bps, polys, _trusted=True).canonical()


def _linear_cuts(q: flint.fmpq_poly, a: Any, b: Any, inner: list, f: PiecewisePolynomial) -> list:
    coeffs = q.coeffs()
    c0 = fraction_of(coeffs[0]) if coeffs else Fraction(0)
    c1 = fraction_of(coeffs[1]) if len(coeffs) > 1 else Fraction(0)
    if c1 == 0 or not inner:
        return [a, b]
    ya = c0 + c1 * a if not is_infinite(a) else (NEG_INF if (c1 > 0) else INF)
    yb = c0 + c1 * b if not is_infinite(b) else (INF if (c1 > 0) else NEG_INF)
    lo, hi = (ya, yb) if c1 > 0 else (yb, ya)
    i = bisect.bisect_right(inner, lo) if not is_infinite(lo) else 0
    k = bisect.bisect_left(inner, hi) if not is_infinite(hi) else len(inner)
    xs = [c.affine_preimage(c0, c1) if isinstance(c, RealAlgebraic) else (c - c0) / c1 for c in inner[i:k]]
    if c1 < 0:
        xs.reverse()
    return [a] + [x for x in xs if a < x < b] + [b]


def _polynomial_cuts(q: flint.fmpq_poly, a: Any, b: Any, inner: list) -> list:
    xs: list = []
    for c in inner:
        if isinstance(c, RealAlgebraic):
            xs.extend(real_roots(c.poly(q), a, b))
        else:
            xs.extend(real_roots(q - fmpq_of(c), a, b))
    xs.sort()
    out: list = []
    for x in xs:
        if not out or out[-1] != x:
            out.append(x)
    return out


def _knots_of(f: PiecewisePolynomial) -> Knots | None:
    """f as :class:`Knots` when it is continuous, piecewise linear, with rational breakpoints
    (kept on f for the next call); None otherwise."""
    if f._linear is not None:
        return f._linear
    bps, polys = f.breakpoints, f.polys
    if any(p.degree() > 1 for p in polys) or not all(isinstance(b, Fraction) or is_infinite(b) for b in bps):
        return None
    for b, p, q in zip(bps[1:-1], polys, polys[1:]):
        if p(fmpq_of(b)) != q(fmpq_of(b)):
            return None
    finite = [b for b in bps if not is_infinite(b)] or [Fraction(0)]
    values = [polys[min(bisect.bisect_right(bps, b) - 1, len(polys) - 1)](fmpq_of(b)) for b in finite]
    left, right = ((p.coeffs() + [flint.fmpq(0)] * 2)[1] for p in (polys[0], polys[-1]))
    f._linear = Knots(bps[0], bps[-1], RationalArray(finite), RationalArray(values),
                      left if is_infinite(bps[0]) else flint.fmpq(0), right if is_infinite(bps[-1]) else flint.fmpq(0))
    return f._linear
