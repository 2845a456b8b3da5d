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
import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint

from .display import html_record
from .errors import BudgetError, NotAnalyticError, SymdepthError
from .numbers import exact
from .parsing import polynomial_terms
from .series import BallLineSeries, BallSeries, ball, ball_precision, network_series

__all__ = ["UniformCheck", "SupEnclosure", "check_uniform", "sup_enclosure", "uniform_rescaling", "rescaling_sweep",
           "errors_at", "box_intervals", "DEFAULT_MAX_CELLS"]

DEFAULT_MAX_CELLS = 20_000
MAX_TAYLOR_PAIRS = 200_000  # size of the Taylor model's product table; many inputs get a lower order
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
    raise NotAnalyticError(f"check_uniform cannot evaluate the activation {act!r} numerically (a generic σ has no values)")


@dataclass(frozen=True)
class _Compiled:
    """The network with arb weights, in topological order, and the target's terms."""

    net: Any
    inputs: tuple
    order: tuple          # (node, activation, bias, ((source, weight), ...)) for neurons, then the output
    target: tuple         # ((exponents, arb coefficient), ...)
    taylor_order: int     # analytic activations: the Taylor model's order K (0: none)
    ring: Any             # BallSeries of order K − 1 for the coefficients at a cell's centre


def _compile(net: Any, target: Any) -> _Compiled:
    import networkx as nx

    net.validate()
    g = net.graph
    order = []
    for node in nx.topological_sort(g):
        kind = g.nodes[node]["kind"]
        if kind == "input":
            continue
        sources = tuple((u, ball(w)) for u, _, w in g.in_edges(node, data="weight"))
        act = g.nodes[node].get("activation") if kind == "neuron" else None
        order.append((node, act, ball(g.nodes[node].get("bias", 0)), sources))
    _, terms = polynomial_terms(target, net.inputs)
    analytic = all(act is None or act.is_analytic for _, act, _, _ in order)
    degree = max((sum(m) for m in terms), default=0)
    # The model must reach past the target's degree (below it N − p need not be small): two
    # orders past it, capped, and lowered when the ring's product table would grow too large.
    n = net.num_inputs
    K = min(degree + 2, 12 if n == 1 else 8) if analytic else 0
    while K > 1 and math.comb(2 * n + K - 1, K - 1) > MAX_TAYLOR_PAIRS:  # the ring's product table
        K -= 1
    K = K if K > 1 else 0
    ring = BallSeries(K - 1, net.num_inputs) if K else None
    return _Compiled(net, tuple(net.inputs), tuple(order), tuple((m, ball(c)) for m, c in terms.items()), K, ring)


def _forward(compiled: _Compiled, point: Sequence[Any]) -> dict:
    """Node → (pre-activation, value) as arb balls at the box ``point`` (one ball per input)."""
    values: dict = {name: (x, x) for name, x in zip(compiled.inputs, point)}
    for node, act, bias, sources in compiled.order:
        pre = bias
        for u, w in sources:
            pre = pre + w * values[u][1]
        values[node] = (pre, pre if act is None else _activate(act, pre)[0])
    return values


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
    f_c, _ = _difference(compiled, [ball(c) for c in centre])
    cell = [ball(c).union(ball(a)).union(ball(b)) for c, a, b in zip(centre, lo, hi)]
    f_x, grad = _difference(compiled, cell)
    mean_value = abs(f_c).upper()
    for g, a, b in zip(grad, lo, hi):
        mean_value = mean_value + abs(g).upper() * ball((b - a) / 2)
    bound = min(float(mean_value.upper()), float(abs(f_x).upper()))  # float: a rounded-up bound
    if compiled.taylor_order:
        radii = [(b - a) / 2 for a, b in zip(lo, hi)]
        bound = min(bound, _taylor_model_bound(compiled, centre, cell, radii))
    return bound, f_c, centre


def _centre_series(compiled: _Compiled, centre: tuple) -> Any:
    """f(c + h) = N(c + h) − p(c + h) in h, as a :class:`BallSeries` of order K − 1."""
    ring = compiled.ring
    point = [ball(c) for c in centre]
    values = _forward(compiled, point)
    output = next(values[node][0] for node, act, _, _ in compiled.order if act is None)
    f = ring.add_scalar(network_series(compiled.net, ring, values), output)
    return _minus_target(compiled, ring, f, point)


def _remainder(compiled: _Compiled, cell: Sequence[Any], directions: Sequence[Any]) -> Any:
    """An enclosure of g^(K)(τ)/K! for g(s) = f(x + s·u), over every x in the cell, u in
    ``directions`` and τ in [0, 1]: the K-th coefficient of the series of f at the cell's
    values (the network's through :func:`~symdepth.series.network_series`, so each activation
    is expanded by its recipe around its value over the cell)."""
    K = compiled.taylor_order
    ring = BallLineSeries(K, directions)
    values = _forward(compiled, cell)
    with ring.active():
        return ring.coefficients(_minus_target(compiled, ring, network_series(compiled.net, ring, values), cell))[K]


def _minus_target(compiled: _Compiled, ring: Any, f: Any, point: Sequence[Any]) -> Any:
    """f − p(point + the ring's variables), in either ball ring."""
    shifted = [ring.add_scalar(ring.variable(i), x) for i, x in enumerate(point)]
    for m, c in compiled.target:
        term = ring.add_scalar(ring.zero(), c)
        for x, e in zip(shifted, m):
            for _ in range(e):
                term = ring.mul(term, x)
        f = ring.sub(f, term)
    return f


def _taylor_model_bound(compiled: _Compiled, centre: tuple, cell: Sequence[Any], radii: Sequence[Fraction]) -> float:
    """Taylor's theorem along each segment from the centre c to a point c + h of the cell:
    |f(c + h)| ≤ Σ_{|α|<K} |f_α(c)|·r^α + sup |g^(K)(τ)/K!|.  The coefficients f_α(c) are
    computed at a point (:func:`_centre_series`), so the cancellation in N − p survives in
    them up to order K; only the remainder is enclosed over the cell.  In one variable the
    direction is 1 and the remainder is scaled by r^K (no wrapping of h); in several, the
    directions are the balls [−r_i, r_i]."""
    K = compiled.taylor_order
    r = [ball(x) for x in radii]
    one = len(r) == 1
    remainder = abs(_remainder(compiled, cell, [flint.arb(1)] if one else [flint.arb(0, x) for x in r])).upper()
    if one:
        remainder = remainder * r[0] ** K
    total = compiled.ring.magnitude(_centre_series(compiled, centre), r) + remainder
    return float(total.upper())  # float: a rounded-up bound


@dataclass(frozen=True)
class SupEnclosure:
    """The result of :func:`sup_enclosure`: ``lower`` ≤ sup over the box of |N − p| ≤
    ``upper``, both proven (``lower`` is |N − p| at ``point``, enclosed at 128 bits)."""

    lower: float
    upper: float
    point: tuple
    box: tuple
    cells: int
    seconds: float

    def __repr__(self) -> str:
        return f"SupEnclosure({self.lower:.6g} <= sup |N - p| <= {self.upper:.6g}, cells={self.cells})"

    def _repr_html_(self) -> str:
        return html_record("sup |N − p| over a box, enclosed by ball arithmetic",
                           [("lower (at a point)", self.lower), ("upper (proven)", self.upper),
                            ("point", self.point), ("cells", self.cells)])


@dataclass
class _Search:
    """The state of a branch and bound over the cells of a box: a heap of cells by their
    proven bound on |f|, and the largest |f| proven at a point so far."""

    compiled: _Compiled
    heap: list
    cells: int
    lower: Any        # arb: |f(point)|
    point: tuple

    @property
    def upper(self) -> float:
        return -self.heap[0][0]


def box_intervals(net: Any, box: Sequence[Sequence[object]] | None) -> list:
    """The box as exact (lo, hi) pairs, one per input (default [−1, 1] each), checked.

    Examples
    --------
    >>> from symdepth import constructions
    >>> box_intervals(constructions.product_tree(2, [2]), [(Fraction(-1, 2), 1), (0, 2.5)])
    [(Fraction(-1, 2), Fraction(1, 1)), (Fraction(0, 1), Fraction(5, 2))]
    """
    n = net.num_inputs
    cells = [(Fraction(-1), Fraction(1))] * n if box is None else [
        (Fraction(exact(a, "box")), Fraction(exact(b, "box"))) for a, b in box]
    if len(cells) != n or any(a >= b for a, b in cells):
        raise SymdepthError(f"box must give {n} intervals (lo, hi) with lo < hi, got {box!r}")
    return cells


def _start(net: Any, target: Any, cells: list) -> _Search:
    """The search on the whole box, its lower bound seeded at the corners (the error of a
    polynomial fit usually peaks at the boundary)."""
    compiled = _compile(net, target)
    lo, hi = tuple(a for a, _ in cells), tuple(b for _, b in cells)
    search = _Search(compiled, [], 1, flint.arb(-1), lo)
    for corner in (list(itertools.product(*cells)) if len(cells) <= 6 else [lo, hi]):
        value, _ = _difference(compiled, [ball(c) for c in corner])
        _record(search, abs(value), corner)
    bound, f_c, centre = _cell_bound(compiled, lo, hi)
    _record(search, abs(f_c), centre)
    search.heap.append((-bound, 0, lo, hi))
    return search


def _record(search: _Search, value: Any, point: tuple) -> None:
    if value.lower() > search.lower.lower():
        search.lower, search.point = value, point


def _split(search: _Search) -> None:
    """Split the worst cell along its widest side."""
    _, _, lo, hi = heapq.heappop(search.heap)
    axis = max(range(len(lo)), key=lambda i: hi[i] - lo[i])
    middle = (lo[axis] + hi[axis]) / 2
    for a, b in ((lo[axis], middle), (middle, hi[axis])):
        child_lo = lo[:axis] + (a,) + lo[axis + 1:]
        child_hi = hi[:axis] + (b,) + hi[axis + 1:]
        bound, f_c, centre = _cell_bound(search.compiled, child_lo, child_hi)
        search.cells += 1
        _record(search, abs(f_c), centre)
        heapq.heappush(search.heap, (-bound, search.cells, child_lo, child_hi))


def _out_of_cells(search: _Search, goal: str) -> BudgetError:
    return BudgetError(
        f"no decision after {search.cells:,} cells ({len(search.heap):,} left, best bound so far "
        f"{search.upper:.3g}, {goal}); raise max_cells (command line: --max-cells N)"
    )


def check_uniform(net: Any, target: Any, eps: object, box: Sequence[Sequence[object]] | None = None, *,
                  max_cells: int = DEFAULT_MAX_CELLS, progress: Callable[[int, float], None] | None = None
                  ) -> UniformCheck:
    """Prove sup over ``box`` of |N(x) − target(x)| ≤ ``eps`` (Definition 3.1), or find a
    point where it fails.  ``box`` is a list of (lo, hi) per input (default [−1, 1]^n);
    ``target`` a polynomial in the network's input names.  ``progress(cells, bound)`` is
    called as the subdivision goes on.

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
    cells = box_intervals(net, box)
    with ball_precision(PRECISION):
        search = _start(net, target, cells)
        while True:
            if search.lower.lower() > ball(e):
                return _counterexample(search.compiled, e, cells, search.point, search.cells, started)
            if search.upper <= float(e):  # float: comparing rounded-up bounds; every cell left is smaller
                return UniformCheck(True, e, tuple(cells), search.upper, search.cells, None, None,
                                    time.perf_counter() - started)
            if search.cells >= max_cells:
                raise _out_of_cells(search, f"> eps = {float(e):.3g}")  # float: message
            _split(search)
            if progress is not None:
                progress(search.cells, search.upper)


def sup_enclosure(net: Any, target: Any, box: Sequence[Sequence[object]] | None = None, *,
                  rtol: object = Fraction(1, 10), max_cells: int = DEFAULT_MAX_CELLS,
                  progress: Callable[[int, float], None] | None = None) -> SupEnclosure:
    """Enclose sup over ``box`` of |N(x) − target(x)| between a value at a point and a proven
    upper bound, refined until upper ≤ (1 + rtol)·lower: the number check_uniform's ε is
    compared with, for tables and sweeps over δ.

    Examples
    --------
    >>> from symdepth import constructions
    >>> from symdepth.check import rescale
    >>> s = sup_enclosure(rescale(constructions.deep_power(2, "exp"), Fraction(1, 8), 2), "x1^2")
    >>> s.lower <= s.upper <= 1.1 * s.lower
    True
    """
    started = time.perf_counter()
    tolerance = 1 + Fraction(exact(rtol, "rtol"))
    cells = box_intervals(net, box)
    with ball_precision(PRECISION):
        search = _start(net, target, cells)
        while search.upper > float(search.lower.lower() * ball(tolerance)):  # float: a rounded-down bound
            if search.cells >= max_cells:
                raise _out_of_cells(search, f"at least {float(search.lower.lower()):.3g} at a point")  # float: message
            _split(search)
            if progress is not None:
                progress(search.cells, search.upper)
        return SupEnclosure(float(search.lower.lower()), search.upper, search.point, tuple(cells),  # float: rounded down
                            search.cells, time.perf_counter() - started)


def _counterexample(compiled: _Compiled, e: Fraction, box: list, point: tuple, cells: int,
                    started: float) -> UniformCheck:
    """Confirm a failing point at 256 bits: |f(point)| > ε rigorously."""
    with ball_precision(256):
        value, _ = _difference(compiled, [ball(c) for c in point])
        if not abs(value).lower() > ball(e):  # pragma: no cover - 128 bits already decided it
            raise SymdepthError(f"could not confirm the counterexample at {point}")
        shown = float(value.mid())  # float: the value, reported
    return UniformCheck(False, e, tuple(box), None, cells, point, shown, time.perf_counter() - started)


def uniform_rescaling(net: Any, poly: Any, eps: object, radius: object = 1, *, max_cells: int = 64,
                      smallest: int = 40) -> tuple:
    """Proposition 3.3 made concrete: if ``net`` Taylor-approximates the homogeneous ``poly``
    of degree d, the rescaled N_δ(x) = N(δx)/δ^d ε-approximates it on (−R, R)^n for small
    δ.  Tries δ = 2^-1, 2^-2, … (down to 2^-smallest) and returns (δ, the
    :class:`UniformCheck` that proves it) for the first δ that :func:`check_uniform` proves
    within ``max_cells`` cells (a smaller budget per δ moves on sooner to a δ that is easy to
    prove, so the δ returned may be smaller than the largest that works).

    Examples
    --------
    >>> from symdepth import constructions
    >>> delta, proof = uniform_rescaling(constructions.deep_power(2, "exp"), "x1^2", Fraction(1, 100))
    >>> delta, proof.ok
    (Fraction(1, 4), True)
    """
    from .check import check_taylor, rescale

    d = _homogeneous_degree(net, poly)
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



def _homogeneous_degree(net: Any, poly: Any) -> int:
    _, terms = polynomial_terms(poly, net.inputs)
    degrees = {sum(m) for m in terms}
    if len(degrees) != 1:
        raise SymdepthError("Proposition 3.3 is about a homogeneous polynomial; give one (all terms of one degree)")
    return degrees.pop()


def _rescaled_sup(net: Any, poly: Any, degree: int, box: Any, rtol: Fraction, max_cells: int,
                  delta: Fraction) -> SupEnclosure:
    from .check import rescale

    return sup_enclosure(rescale(net, delta, degree), poly, box, rtol=rtol, max_cells=max_cells)


def rescaling_sweep(net: Any, poly: Any, deltas: Sequence[object], box: Sequence[Sequence[object]] | None = None, *,
                    rtol: object = Fraction(1, 10), max_cells: int = DEFAULT_MAX_CELLS, executor: Any = None,
                    progress: Any = True) -> Any:
    """Proposition 3.3's rate, proven: for each δ the :class:`SupEnclosure` of
    |N_δ − p| over the box, run on :func:`symdepth.sweep` (a local process pool by default;
    any ``concurrent.futures`` executor, e.g. a dask cluster's).  Returns the
    :class:`~symdepth.sweeps.SweepResult`; its ``values`` are the enclosures in δ order.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from symdepth import constructions
    >>> with ThreadPoolExecutor(2) as pool:
    ...     sups = rescaling_sweep(constructions.deep_power(2, "exp"), "x1^2", [Fraction(1, 4), Fraction(1, 8)],
    ...                            executor=pool, progress=False).values
    >>> sups[1].upper < sups[0].lower  # halving δ halves the error (first omitted degree 3)
    True
    """
    import functools

    from .sweeps import sweep

    degree = _homogeneous_degree(net, poly)
    work = functools.partial(_rescaled_sup, net, poly, degree, None if box is None else box_intervals(net, box),
                             Fraction(exact(rtol, "rtol")), max_cells)
    return sweep(work, [Fraction(exact(d, "delta")) for d in deltas], executor=executor, progress=progress)


def errors_at(net: Any, target: Any, points: Sequence[Sequence[object]]) -> list:
    """|N(x) − target(x)| at each point, as ``arb`` balls (128 bits): the samples a plot of
    the error draws.

    Examples
    --------
    >>> from symdepth import constructions
    >>> [e.str(4, radius=False) for e in errors_at(constructions.deep_power(2, "exp"), "x1^2", [[0], [1]])]
    ['0', '0.08616']
    """
    with ball_precision(PRECISION):
        compiled = _compile(net, target)
        return [abs(_difference(compiled, [ball(exact(c, "point")) for c in point])[0]) for point in points]
