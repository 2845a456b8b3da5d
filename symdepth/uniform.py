"""Uniform approximation proven by ball arithmetic (Rolnick & Tegmark 2018, Definition 3.1):
sup over a box of |N(x) − p(x)| ≤ ε.

The network and the target are evaluated with python-flint's ``arb`` balls (rigorous error
bounds), together with their gradients (forward mode: every node carries its value and its
partial derivatives).  On a cell X with centre c and half-widths r, the mean value form

    |f(x)| ≤ |f(c)| + Σ_i sup_X |∂_i f| · r_i      (f = N − p)

bounds f on X; it sees the cancellation in N − p that plain interval evaluation of N and p
separately cannot, since the gradient of N − p is small where N follows p.  Cells are split
along their widest side, worst bound first.  Three outcomes:

* holds — every cell's bound is ≤ ε; the result carries the largest cell bound (a proven
  sup) and the number of cells;
* fails — a cell centre where |f| > ε rigorously, recomputed at 256 bits: a genuine
  counterexample;
* undecided — :class:`~symdepth.errors.BudgetError` after ``max_cells`` cells, with the cells
  left and the best bound so far.

Written here rather than taken from a library: verified-optimisation packages bound
networks (auto_LiRPA) or polynomials, not the difference of the two with exact weights.
Piecewise-linear activations work too: on a cell where a ReLU's input changes sign its
derivative is enclosed by [0, 1], which keeps the mean value bound valid (f is Lipschitz).
"""

from __future__ import annotations

import heapq
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import sympy

from .display import html_record
from .errors import BudgetError, NotAnalyticError, SymdepthError
from .numbers import exact, is_rational
from .parsing import polynomial_terms
from .series import flint_precision

__all__ = ["UniformCheck", "check_uniform", "uniform_rescaling", "DEFAULT_MAX_CELLS"]

DEFAULT_MAX_CELLS = 20_000
PRECISION = 128  # bits; the output weights of a rescaled network reach 1/δ^d, so 53 would cancel away


@dataclass(frozen=True)
class UniformCheck:
    """The result of :func:`check_uniform`.  ``bound`` is a proven upper bound on the sup
    (holds); ``point`` a rational point with |N − p| > ε and ``value`` that difference (fails)."""

    ok: bool
    eps: Fraction
    box: tuple
    bound: float | None
    cells: int
    point: tuple | None
    value: float | None
    seconds: float

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        if self.ok:
            return f"UniformCheck(holds, sup <= {self.bound:.3g} <= eps={float(self.eps):.3g}, cells={self.cells})"  # float: display
        shown = ", ".join(str(c) for c in self.point or ())
        return f"UniformCheck(fails, |N - p| = {self.value:.6g} > eps={float(self.eps):.3g} at ({shown}))"  # float: display

    def _repr_html_(self) -> str:
        fields: list[tuple[str, Any]] = [("verdict", "holds" if self.ok else "fails"), ("ε", float(self.eps)),  # float: display
                  ("box", " × ".join(f"[{a}, {b}]" for a, b in self.box)), ("cells", self.cells)]
        fields += [("proven sup ≤", self.bound)] if self.ok else [("point", self.point), ("|N − p| there", self.value)]
        return html_record("Uniform approximation (Rolnick & Tegmark, Def. 3.1), ball arithmetic", fields)


def _arb(value: Any) -> Any:
    """A rigorous arb enclosure of an exact number (rational or a sympy constant)."""
    if is_rational(value):
        q = Fraction(value)
        return flint.arb(flint.fmpq(q.numerator, q.denominator))
    expr = value
    if expr.free_symbols:
        raise SymdepthError(f"check_uniform needs numeric weights; {expr} has symbols {sorted(map(str, expr.free_symbols))}")
    if expr.is_Rational:
        return flint.arb(flint.fmpq(int(expr.p), int(expr.q)))
    if expr is sympy.pi:
        return flint.arb.pi()
    if expr is sympy.E:
        return flint.arb.const_e()
    args = [_arb(a) for a in expr.args]
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
    raise SymdepthError(f"check_uniform cannot enclose the constant {expr}")


def _activate(act: Any, u: Any) -> tuple:
    """(σ(u), σ'(u)) as arb balls; over a ball where a piecewise-linear σ has a kink, the
    derivative encloses both slopes."""
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
        coeffs = [_arb(c) for c in act.coefficients]
        value, slope = flint.arb(0), flint.arb(0)
        for c in reversed(coeffs):  # Horner for p and p' together
            slope = slope * u + value
            value = value * u + c
        return value, slope
    if name in ("relu", "leaky_relu"):
        a = _arb(act.coefficients[0]) if name == "leaky_relu" else flint.arb(0)
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
    raise NotAnalyticError(f"check_uniform cannot evaluate the activation {act!r} numerically (a generic σ has no values)")


@dataclass(frozen=True)
class _Compiled:
    """The network with arb weights, in topological order, and the target's terms."""

    inputs: tuple
    order: tuple          # (node, activation, bias, ((source, weight), ...)) for neurons, then the output
    target: tuple         # ((exponents, arb coefficient), ...)
    taylor_order: int     # one input and analytic activations: the Taylor model's order (0: none)


def _compile(net: Any, target: Any) -> _Compiled:
    import networkx as nx

    net.validate()
    g = net.graph
    order = []
    for node in nx.topological_sort(g):
        kind = g.nodes[node]["kind"]
        if kind == "input":
            continue
        sources = tuple((u, _arb(w)) for u, _, w in g.in_edges(node, data="weight"))
        act = g.nodes[node].get("activation") if kind == "neuron" else None
        order.append((node, act, _arb(g.nodes[node].get("bias", 0)), sources))
    _, terms = polynomial_terms(target, net.inputs)
    analytic = all(act is None or act.is_analytic for _, act, _, _ in order)
    degree = max((sum(m) for m in terms), default=0)
    taylor_order = min(degree + 2, 12) if net.num_inputs == 1 and analytic else 0
    return _Compiled(tuple(net.inputs), tuple(order), tuple((m, _arb(c)) for m, c in terms.items()), taylor_order)


def _difference(compiled: _Compiled, point: Sequence[Any]) -> tuple:
    """(f, ∇f) for f = N − p over the arb box ``point`` (one ball per input)."""
    n = len(point)
    zero = flint.arb(0)
    values: dict = {}
    for i, name in enumerate(compiled.inputs):
        values[name] = (point[i], [flint.arb(1) if j == i else zero for j in range(n)])
    output = None
    for node, act, bias, sources in compiled.order:
        pre, grad = bias, [zero] * n
        for u, w in sources:
            v, dv = values[u]
            pre = pre + w * v
            grad = [a + w * b for a, b in zip(grad, dv)]
        if act is None:
            output = (pre, grad)
            continue
        value, slope = _activate(act, pre)
        values[node] = (value, [slope * a for a in grad])
    assert output is not None
    f, df = output
    for m, c in compiled.target:
        term, partials = c, [c] * n
        for i, e in enumerate(m):
            if e:
                term = term * point[i] ** e
        for j in range(n):
            if m[j] == 0:
                partials[j] = zero
                continue
            p = c * m[j]
            for i, e in enumerate(m):
                p = p * point[i] ** (e - (i == j)) if (e - (i == j)) else p
            partials[j] = p
        f = f - term
        df = [a - b for a, b in zip(df, partials)]
    return f, df


def _cell_bound(compiled: _Compiled, lo: tuple, hi: tuple) -> tuple:
    """(upper bound of |f| on the cell, |f(centre)| as an arb ball, the centre)."""
    centre = tuple((a + b) / 2 for a, b in zip(lo, hi))
    f_c, _ = _difference(compiled, [_arb(c) for c in centre])
    ball = [_arb(c).union(_arb(a)).union(_arb(b)) for c, a, b in zip(centre, lo, hi)]
    f_x, grad = _difference(compiled, ball)
    mean_value = abs(f_c).upper()
    for g, a, b in zip(grad, lo, hi):
        mean_value = mean_value + abs(g).upper() * _arb((b - a) / 2)
    bound = min(float(mean_value.upper()), float(abs(f_x).upper()))  # float: a rounded-up bound
    if compiled.taylor_order:
        bound = min(bound, _taylor_model_bound(compiled, centre[0], ball[0], (hi[0] - lo[0]) / 2))
    return bound, f_c, centre


def _series(compiled: _Compiled, x: Any) -> Any:
    """f = N − p as an arb_series in t for the input x + t (one input; order taylor_order)."""
    K = compiled.taylor_order + 1
    values = {compiled.inputs[0]: flint.arb_series([x, 1], prec=K)}
    output = None
    for node, act, bias, sources in compiled.order:
        pre = flint.arb_series([bias], prec=K)
        for u, w in sources:
            pre = pre + values[u] * w
        if act is None:
            output = pre
            continue
        values[node] = _series_activation(act, pre)
    assert output is not None
    point = values[compiled.inputs[0]]
    for m, c in compiled.target:
        output = output - c * point ** m[0] if m[0] else output - c
    return output


def _series_activation(act: Any, u: Any) -> Any:
    name = act.name
    if name == "exp":
        return u.exp()
    if name == "tanh":
        e = (2 * u).exp()
        return (e - 1) * (e + 1).inv()
    if name == "sigmoid":
        return (1 + (-u).exp()).inv()
    if name == "softplus":
        return (1 + u.exp()).log()
    if name in ("sin", "cos", "atan"):
        return getattr(u, name)()
    if name == "arctan":
        return u.atan()
    value = flint.arb_series([0], prec=u.prec)
    for c in reversed(act.coefficients):  # polynomial
        value = value * u + _arb(c)
    return value


def _taylor_model_bound(compiled: _Compiled, centre: Fraction, ball: Any, radius: Fraction) -> float:
    """One input: |f| ≤ Σ_{k<K} |f^(k)(c)/k!| r^k + sup_X |f^(K)/K!| r^K (Taylor's theorem with
    the remainder enclosed over the cell), K = the target's degree + 1.  The coefficients at
    the centre are computed at a point, so the cancellation in N − p survives up to order K."""
    K = compiled.taylor_order
    with flint_precision(K + 1):  # flint truncates every arb_series at ctx.cap
        at_centre_series, over_cell_series = _series(compiled, _arb(centre)), _series(compiled, ball)
    if min(at_centre_series.prec, over_cell_series.prec) <= K:  # pragma: no cover - the cap above prevents it
        raise AssertionError("a truncated series would drop the remainder term")
    at_centre, over_cell = at_centre_series.coeffs(), over_cell_series.coeffs()
    r = _arb(radius)
    total = flint.arb(0)
    for k in range(K):
        if k < len(at_centre):
            total = total + abs(at_centre[k]).upper() * r**k
    if K < len(over_cell):
        total = total + abs(over_cell[K]).upper() * r**K
    return float(total.upper())  # float: a rounded-up bound


def check_uniform(net: Any, target: Any, eps: object, box: Sequence[Sequence[object]] | None = None, *,
                  max_cells: int = DEFAULT_MAX_CELLS, progress: Any = None) -> UniformCheck:
    """Prove sup over ``box`` of |N(x) − target(x)| ≤ ``eps`` (Definition 3.1), or find a
    point where it fails.  ``box`` is a list of (lo, hi) per input (default [−1, 1]^n);
    ``target`` a polynomial in the network's input names.

    Examples
    --------
    >>> from symdepth import constructions
    >>> from symdepth.check import rescale
    >>> net = rescale(constructions.deep_power(2, "exp"), Fraction(1, 64), 2)
    >>> check_uniform(net, "x1^2", Fraction(1, 10)).ok
    True
    >>> r = check_uniform(net, "x1^2", Fraction(1, 10**6))
    >>> r.ok, abs(r.value) > 1e-6
    (False, True)

    Raises
    ------
    BudgetError
        More than ``max_cells`` cells without a decision: the message gives the cells left and
        the best bound so far (command line: ``--max-cells``).
    """
    started = time.perf_counter()
    e = Fraction(exact(eps, "eps"))
    if e <= 0:
        raise SymdepthError(f"eps must be positive, got {eps}")
    n = net.num_inputs
    cells = [(Fraction(-1), Fraction(1))] * n if box is None else [
        (Fraction(exact(a, "box")), Fraction(exact(b, "box"))) for a, b in box]
    if len(cells) != n or any(a >= b for a, b in cells):
        raise SymdepthError(f"box must give {n} intervals (lo, hi) with lo < hi, got {box!r}")
    old = flint.ctx.prec
    flint.ctx.prec = PRECISION
    try:
        compiled = _compile(net, target)
        lo, hi = tuple(a for a, _ in cells), tuple(b for _, b in cells)
        bound, f_c, centre = _cell_bound(compiled, lo, hi)
        heap = [(-bound, 0, lo, hi, f_c, centre)]
        counter, done_max = 1, 0.0
        while heap:
            negative, _, lo, hi, f_c, centre = heapq.heappop(heap)
            if -negative <= float(e):  # float: comparing rounded-up bounds; every cell left is smaller
                worst = max(-negative, done_max)
                return UniformCheck(True, e, tuple(cells), worst, counter, None, None, time.perf_counter() - started)
            if abs(f_c).lower() > _arb(e):
                return _counterexample(compiled, e, cells, centre, counter, started)
            if counter >= max_cells:
                raise BudgetError(
                    f"no decision after {counter:,} cells ({len(heap) + 1:,} left, best bound so far {-negative:.3g} "
                    f"> eps = {float(e):.3g}); raise max_cells (command line: --max-cells N)"  # float: message
                )
            axis = max(range(n), key=lambda i: hi[i] - lo[i])
            middle = (lo[axis] + hi[axis]) / 2
            for a, b in ((lo[axis], middle), (middle, hi[axis])):
                child_lo = lo[:axis] + (a,) + lo[axis + 1:]
                child_hi = hi[:axis] + (b,) + hi[axis + 1:]
                child = _cell_bound(compiled, child_lo, child_hi)
                counter += 1
                heapq.heappush(heap, (-child[0], counter, child_lo, child_hi, child[1], child[2]))
            if progress is not None and counter % 256 < 2:
                progress(counter, -heap[0][0])
        raise AssertionError("unreachable: the heap never empties")  # pragma: no cover
    finally:
        flint.ctx.prec = old


def _counterexample(compiled: _Compiled, e: Fraction, box: list, point: tuple, cells: int,
                    started: float) -> UniformCheck:
    """Confirm a failing point at 256 bits: |f(point)| > ε rigorously."""
    old = flint.ctx.prec
    flint.ctx.prec = 256
    try:
        value, _ = _difference(compiled, [_arb(c) for c in point])
        if not abs(value).lower() > _arb(e):  # pragma: no cover - 128 bits already decided it
            raise SymdepthError(f"could not confirm the counterexample at {point}")
        shown = float(value.mid())  # float: the value, reported
    finally:
        flint.ctx.prec = old
    return UniformCheck(False, e, tuple(box), None, cells, point, shown, time.perf_counter() - started)


def uniform_rescaling(net: Any, poly: Any, eps: object, radius: object = 1, *, max_cells: int = 2_000,
                      smallest: int = 40) -> tuple:
    """Proposition 3.3 made concrete: if ``net`` Taylor-approximates the homogeneous ``poly``
    of degree d, the rescaled N_δ(x) = N(δx)/δ^d ε-approximates it on (−R, R)^n for small
    δ.  Tries δ = 2^-1, 2^-2, … (down to 2^-smallest) and returns (δ, the
    :class:`UniformCheck` that proves it) for the first δ that :func:`check_uniform` proves.

    Examples
    --------
    >>> from symdepth import constructions
    >>> delta, proof = uniform_rescaling(constructions.deep_power(2, "exp"), "x1^2", Fraction(1, 100))
    >>> delta, proof.ok
    (Fraction(1, 4), True)
    """
    from .check import check_taylor, rescale

    _, terms = polynomial_terms(poly, net.inputs)
    degrees = {sum(m) for m in terms}
    if len(degrees) != 1:
        raise SymdepthError("Proposition 3.3 is about a homogeneous polynomial; give one (all terms of one degree)")
    (d,) = degrees
    if not check_taylor(net, poly).ok:
        raise SymdepthError(f"the network does not Taylor-approximate {poly} (check_taylor fails), so no rescaling can")
    r = Fraction(exact(radius, "radius"))
    box = [(-r, r)] * net.num_inputs
    for j in range(1, smallest + 1):
        delta = Fraction(1, 2**j)
        try:
            result = check_uniform(rescale(net, delta, d), poly, eps, box, max_cells=max_cells)
        except BudgetError:
            continue
        if result.ok:
            return delta, result
    raise BudgetError(f"no δ ≥ 2^-{smallest} was proven to give eps = {eps}; raise smallest or max_cells")

