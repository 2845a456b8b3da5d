"""Branch and bound over the cells of a box: :func:`check_uniform` (Definition 3.1: holds,
fails at a confirmed point, or a BudgetError) and :func:`sup_enclosure`, with their records.
Every comparison with ε or a tolerance is between exact rationals or floats rounded outward."""

from __future__ import annotations

import dataclasses
import heapq
import itertools
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import flint

from ..certificates import recorded
from ..display import html_record
from ..errors import BudgetError, SymdepthError
from ..numbers import exact
from ..series import ball, ball_precision
from . import batched
from .enclosure import PRECISION, _cell_bound, _compile, _Compiled, _difference, exact_value, float_down

__all__ = ["UniformCheck", "SupEnclosure", "check_uniform", "sup_enclosure", "box_intervals", "DEFAULT_MAX_CELLS"]

DEFAULT_MAX_CELLS = 20_000
SMALL = 16   # neurons: up to this many, a Taylor model of the whole box is tried before the batched search


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
    _network: Any = field(default=None, repr=False, compare=False)
    _target: Any = field(default=None, repr=False, compare=False)

    def __bool__(self) -> bool:
        return self.ok

    def certificate(self) -> dict:
        """The evidence for ``certcheck`` (kind ``uniform``): for "holds" a tiling of the box on
        which the checker's own interval bound stays at most ε (:mod:`symdepth.uniform.cells`),
        for "fails" the point, where the checker re-evaluates |N − p| at 256 bits.

        Examples
        --------
        >>> from symdepth import constructions
        >>> from symdepth.check import rescale
        >>> cert = check_uniform(rescale(constructions.deep_power(2, "exp"), Fraction(1, 64), 2), "x1^2",
        ...                      Fraction(1, 10)).certificate()
        >>> cert["verdict"], cert["bound"], len(cert["cells"]) >= 1
        ('holds', '1/10', True)
        """
        from .cells import uniform_certificate

        if self.ok:
            return uniform_certificate(self._network, self._target, self.box, bound=self.eps)
        return uniform_certificate(self._network, self._target, self.box, eps=self.eps, point=self.point)

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
    _network: Any = field(default=None, repr=False, compare=False)
    _target: Any = field(default=None, repr=False, compare=False)

    def certificate(self) -> dict:
        """The evidence for ``certcheck`` (kind ``uniform``): the upper bound as a tiling of the
        box on which the checker's own bound stays below it, and the point of the lower bound."""
        from .cells import uniform_certificate

        return uniform_certificate(self._network, self._target, self.box, bound=Fraction(self.upper),
                                   lower_point=self.point, lower_value=Fraction(self.lower))

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


@recorded(lambda result, *args, **kwargs: result.certificate())
def check_uniform(net: Any, target: Any, eps: object, box: Sequence[Sequence[object]] | None = None, *,
                  max_cells: int = DEFAULT_MAX_CELLS, progress: Callable[[int, float], None] | None = None,
                  engine: str = "auto") -> UniformCheck:
    """Prove sup over ``box`` of |N(x) − target(x)| ≤ ``eps`` (Definition 3.1), or find a
    point where it fails.  ``box`` is a list of (lo, hi) per input (default [−1, 1]^n);
    ``target`` a polynomial in the network's input names.  ``progress(cells, bound)`` is
    called as the subdivision goes on.  ``engine``: ``"auto"`` tries the batched engine
    (:mod:`~symdepth.uniform.batched`: all cells at once in outward-rounded numpy arrays)
    and runs the ball engine (arb, Taylor models) where it does not apply or decide;
    ``"balls"`` runs the ball engine alone.  On networks of at most 16 neurons the ball
    engine bounds the whole box first: one Taylor model may settle a smooth case at once.

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
    if engine not in ("auto", "balls"):
        raise SymdepthError(f"engine must be 'auto' or 'balls', got {engine!r}")
    cells = box_intervals(net, box)
    with ball_precision(PRECISION):
        # A small network's Taylor model on the whole box (a few milliseconds) often settles a
        # smooth case at once; on larger ones it costs more than the batched search.
        search = _start(net, target, cells) if engine == "balls" or net.num_neurons <= SMALL else None
        undecided = search is None or (Fraction(search.upper) > e and not search.lower.lower() > ball(e))
        verdict = _batched(net, target, e, cells, max_cells, started, progress) if engine == "auto" and undecided \
            else None
        if verdict is not None:
            return verdict
        search = search or _start(net, target, cells)
        while True:
            if search.lower.lower() > ball(e):
                return dataclasses.replace(_counterexample(search.compiled, e, cells, search.point, search.cells,
                                                           started), _network=net, _target=target)
            if Fraction(search.upper) <= e:  # exact: a bound rounded up against ε; every cell left is smaller
                return UniformCheck(True, e, tuple(cells), search.upper, search.cells, None, None,
                                    time.perf_counter() - started, net, target)
            if search.cells >= max_cells:
                raise _out_of_cells(search, f"> eps = {float(e):.3g}")  # float: message
            _split(search)
            if progress is not None:
                progress(search.cells, search.upper)


def _batched(net: Any, target: Any, e: Fraction, cells: list, max_cells: int, started: float,
             progress: Callable[[int, float], None] | None) -> UniformCheck | None:
    """The batched engine's verdict (:mod:`~symdepth.uniform.batched`), its failing point
    confirmed at 256 bits; None where it does not apply or does not decide within
    ``max_cells``: the ball engine (Taylor models, tighter on wide cells) runs then."""
    try:
        compiled = batched.compile_network(net, target)
    except batched.Unsupported:
        return None
    outcome = batched.search(compiled, cells, e, max_cells, progress)
    if outcome is None:
        return None
    if outcome.holds:
        return UniformCheck(True, e, tuple(cells), outcome.bound, outcome.cells, None, None,
                            time.perf_counter() - started, net, target)
    assert outcome.point is not None
    try:
        found = _counterexample(_compile(net, target), e, cells, outcome.point, outcome.cells, started)
    except SymdepthError:   # pragma: no cover - the centre's |f| was proven above ε
        return None
    return dataclasses.replace(found, _network=net, _target=target)


@recorded(lambda result, *args, **kwargs: result.certificate())
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
    try:
        found = batched.enclose(batched.compile_network(net, target), cells, tolerance - 1, max_cells, progress)
    except batched.Unsupported:
        found = None
    if found is not None and found[1] is not None:
        lower, point, upper, count = found
        return SupEnclosure(lower, upper, point, tuple(cells), count, time.perf_counter() - started, net, target)
    with ball_precision(PRECISION):
        search = _start(net, target, cells)
        while Fraction(search.upper) > exact_value((search.lower * ball(tolerance)).lower()):
            if search.cells >= max_cells:
                raise _out_of_cells(search, f"at least {float_down(search.lower):.3g} at a point")
            _split(search)
            if progress is not None:
                progress(search.cells, search.upper)
        return SupEnclosure(float_down(search.lower), search.upper, search.point, tuple(cells),
                            search.cells, time.perf_counter() - started, net, target)


def _counterexample(compiled: _Compiled, e: Fraction, box: list, point: tuple, cells: int,
                    started: float) -> UniformCheck:
    """Confirm a failing point at 256 bits: |f(point)| > ε rigorously."""
    with ball_precision(256):
        value, _ = _difference(compiled, [ball(c) for c in point])
        if not abs(value).lower() > ball(e):  # pragma: no cover - 128 bits already decided it
            raise SymdepthError(f"could not confirm the counterexample at {point}")
        shown = float(value.mid())  # float: the value, reported
    return UniformCheck(False, e, tuple(box), None, cells, point, shown, time.perf_counter() - started)
