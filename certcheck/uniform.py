"""Kind ``uniform``: sup over a box of |N(x) − p(x)|, bounded by interval arithmetic.

"holds" gives a subdivision of the box as a tree, in preorder: ``"L"`` is a cell (a leaf),
``[axis, at]`` splits the current box at ``at`` along ``axis`` (the two halves follow, lower
first).  The tree tiles the box by construction; on each cell the checker bounds f = N − p
by the least of its Taylor forms of orders 0..``order`` (the certificate's, 2 if absent):
f's Taylor series at the cell's centre below that order, and the part of that order enclosed
over the whole cell (Lagrange's remainder), both computed by :mod:`certcheck.taylor`'s series
arithmetic over mpmath's intervals.  A high order sees the cancellation in a rescaled network
N(δx)/δ^d − p, whose terms of degree ≤ d are 1/δ^d times larger than their difference.  Across
the kink of a piecewise-linear activation only orders 0 and 1 (the mean value form, with the
activation's slopes enclosed by their hull) hold.  The upper end is compared exactly with the
stated bound.  "fails" gives a rational point where |f| > eps, evaluated at 256 bits.  An
optional ``lower`` point shows the bound is nearly attained (|f| there at least a stated value).
"""

from __future__ import annotations

import math
import operator
from dataclasses import replace
from fractions import Fraction

from mpmath import iv
from mpmath.libmp import finf, fnan, fninf

from .errors import Rejected, Unreadable
from .network import Network, integer, polynomial, rational_list, read_network
from .numbers import interval, precision, rational, symbols_of, to_interval
from .taylor import MAX_WORK, Ring, _cadd, _claim_series, _decode, network_series

MAX_CELLS = 1_000_000
MAX_ORDER = 16
PRECISION = 128


def _end(raw: tuple) -> Fraction | None:
    """An end of an mpmath interval (a binary float) as the exact rational it is; None for
    an infinite or undefined end."""
    if raw in (finf, fninf, fnan):
        return None
    sign, mantissa, exponent, _ = raw
    q = Fraction(mantissa) * Fraction(2) ** exponent
    return -q if sign else q


def upper(x: object) -> Fraction | None:
    """The exact upper end of an interval (None: unbounded)."""
    return _end(x._mpi_[1])


def lower(x: object) -> Fraction | None:
    """The exact lower end of an interval (None: unbounded)."""
    return _end(x._mpi_[0])


def _hull(*values: object) -> object:
    return iv.mpf([min(v.a for v in values), max(v.b for v in values)])


def _interval_at(act: object, c: object, d: int) -> tuple:
    """σ's values over the interval c that its series starts from (as :func:`~certcheck.taylor.
    _exact_at` gives them exactly); a piecewise-linear σ gives (σ(c), its slope, False where c
    holds a kink)."""
    name = act.name
    if name == "exp":
        return (iv.exp(c),)
    if name == "tanh":
        return (1 - 2 / (iv.exp(2 * c) + 1),)
    if name in ("sigmoid", "softplus"):
        return (1 / (1 + iv.exp(-c)),) + ((iv.log1p(iv.exp(c)),) if name == "softplus" else ())
    if name in ("sin", "cos"):
        return iv.sin(c), iv.cos(c)
    if name == "arctan":
        return iv.atan2(c, 1), 1 / (1 + c**2), c
    if name == "polynomial":   # b_k = Σ_j a_j·C(j, k)·c^(j−k)
        a = act.coefficients
        return tuple(sum((to_interval(a[j]) * math.comb(j, k) * c ** (j - k) for j in range(k, len(a))), iv.mpf(0))
                     for k in range(d + 1))
    if name in ("relu", "leaky_relu"):
        slope = to_interval(act.coefficients[0]) if act.coefficients else iv.mpf(0)
        if c.a >= 0:
            return c, iv.mpf(1), True
        if c.b <= 0:
            return slope * c, slope, True
        return _hull(slope * c.a, iv.mpf(0), c.b), _hull(slope, iv.mpf(1)), False
    if name == "hard_tanh":
        def clamp(x: object) -> object:
            return iv.mpf(-1) if x <= -1 else iv.mpf(1) if x >= 1 else x
        if c.a > -1 and c.b < 1:
            return c, iv.mpf(1), True
        if c.b <= -1 or c.a >= 1:
            return _hull(clamp(c.a), clamp(c.b)), iv.mpf(0), True
        return _hull(clamp(c.a), clamp(c.b)), iv.mpf([0, 1]), False
    raise Unreadable(f"the activation {name} has no numerical values (a generic activation is a symbol)")


def _as_interval(x: object) -> object:
    return x if isinstance(x, iv.mpf) else to_interval(Fraction(x))


IV = Ring(operator.add, operator.mul, lambda x: x, lambda x: x, _as_interval, _interval_at)


class Difference:
    """f = N − p as a power series in y = x − (a point or a box of intervals), to degree
    ``order``: the homogeneous parts of f's Taylor expansion at the point, or enclosures of the
    parts at every point of the box (shorter where a cell holds a kink: degree 1 only)."""

    def __init__(self, net: Network, target: dict, order: int) -> None:
        if any(symbols_of(v) for n in (*net.neurons, net.output) for v in (n.bias, *(w for _, w in n.inputs))):
            raise Unreadable("a uniform certificate needs a network without symbols")
        def enclosed(n: object) -> object:   # the weights as intervals once, not in every cell
            return replace(n, bias=interval(n.bias), inputs=tuple((u, interval(w)) for u, w in n.inputs))
        self.net = replace(net, neurons=tuple(map(enclosed, net.neurons)), output=enclosed(net.output))
        self.target = {m: interval(c) for m, c in target.items()}
        self.order = order

    def __call__(self, point: list) -> list:
        output, series = network_series(self.net, point, self.order, IV)
        claim = _claim_series(self.target, series, self.net.inputs, self.order, IV)
        return [_cadd(a, b, iv.mpf(-1), IV) for a, b in zip(output, claim)]

    def size(self, part: dict, radius: list) -> object:
        """Σ |c_m|·r^m over a homogeneous part: a bound of |part(y)| for |y_i| ≤ r_i."""
        total = iv.mpf(0)
        for m, c in _decode([part], len(radius), self.order, IV).items():
            term = abs(c)
            for r, e in zip(radius, m):
                term = term * r**e
            total += term
        return total


def _point(values: list) -> list:
    return [to_interval(v) for v in values]


def point_value(f: Difference, point: list) -> object:
    """f = N − p at a rational point, as an interval."""
    return f(_point(point))[0].get(0, iv.mpf(0))


def cell_bound(f: Difference, lo: list, hi: list) -> Fraction:
    """An exact upper bound of |f| over the cell [lo, hi]: the least of the Taylor forms of
    orders k = 0..``f.order`` that the cell allows, Σ_{j<k} |f_j(c)| + |f_k(X)| with f_j the
    homogeneous part of degree j in y = x − c, taken at the centre c or enclosed over the cell
    X, each bounded by Σ |coefficient|·r^m (r the half-widths): Taylor's theorem with
    Lagrange's remainder.  Order 0 is |f| enclosed over the cell, order 1 the mean value form,
    which alone holds across a kink (f is Lipschitz there, its slopes enclosed by their hull)."""
    centre = [(a + b) / 2 for a, b in zip(lo, hi)]
    radius = [to_interval((b - a) / 2) for a, b in zip(lo, hi)]
    at_centre = f(_point(centre))
    over = f([iv.mpf([to_interval(a).a, to_interval(b).b]) for a, b in zip(lo, hi)])
    forms, below = [], iv.mpf(0)
    for k, part in enumerate(over[:len(at_centre) + 1]):
        forms.append(below + f.size(part, radius))
        if k < len(at_centre):
            below += f.size(at_centre[k], radius)
    bounds = [b for b in map(upper, forms) if b is not None]
    if not bounds:
        raise Rejected(f"|N - p| is unbounded in interval arithmetic on the cell {list(zip(lo, hi))}")
    return min(bounds)


def check_uniform(cert: dict) -> str:
    net = read_network(cert.get("network"))
    n = len(net.inputs)
    target = polynomial(cert.get("target"), n, "target")
    box = cert.get("box")
    if not isinstance(box, list) or len(box) != n:
        raise Unreadable(f"'box' must give {n} intervals")
    box = [rational_list(side, 2, "box") for side in box]
    if any(a >= b for a, b in box):
        raise Unreadable("a side of the box is empty")
    with precision(PRECISION):
        order = integer(cert.get("order", 2), "order", 0, MAX_ORDER) if cert.get("verdict") == "holds" else 0
        work = (len(net.neurons) + 1) * math.comb(n + order, order)
        if work > MAX_WORK:
            raise Unreadable(f"order {order} in {n} variables: {work:,} neuron-monomials a cell, above the checker's "
                             f"budget of {MAX_WORK:,}")
        f = Difference(net, target, order)
        if cert.get("verdict") == "fails":
            eps = rational(cert.get("eps"), "eps")
            point = rational_list(cert.get("point"), n, "point")
            if any(not a <= x <= b for x, (a, b) in zip(point, box)):
                raise Rejected("the point lies outside the box")
            with precision(256):
                low = lower(abs(point_value(f, point)))
                if low is None or not low > eps:
                    raise Rejected(f"|N - p| at the point is not shown to exceed eps = {eps}")
            return f"|N - p| > {eps} at the point {tuple(str(x) for x in point)}"
        if cert.get("verdict") != "holds":
            raise Unreadable("'verdict' must be \"holds\" or \"fails\"")
        bound = rational(cert.get("bound"), "bound")
        cells = _walk_cells(cert.get("cells"), box, f, bound)
        text = f"sup over the box of |N - p| <= {bound} ({cells} cells)"
        if cert.get("lower") is not None:
            attained = cert["lower"]
            point = rational_list(attained.get("point") if isinstance(attained, dict) else None, n, "lower: point")
            value = rational(attained.get("value"), "lower: value")
            if any(not a <= x <= b for x, (a, b) in zip(point, box)):
                raise Rejected("the lower bound's point lies outside the box")
            low = lower(abs(point_value(f, point)))
            if low is None or not low >= value:
                raise Rejected(f"|N - p| at the lower bound's point is not shown to reach {value}")
            text += f", and >= {value} at a point"
        return text


def _walk_cells(tree: object, box: list, f: Difference, bound: Fraction) -> int:
    if not isinstance(tree, list) or len(tree) > 2 * MAX_CELLS:
        raise Unreadable(f"'cells' must be a list of at most {2 * MAX_CELLS} entries")
    pending = [box]
    cells = 0
    for entry in tree:
        if not pending:
            raise Rejected("the cell tree has entries after its last cell")
        lo_hi = pending.pop()
        if entry == "L":
            cells += 1
            value = cell_bound(f, [a for a, _ in lo_hi], [b for _, b in lo_hi])
            if value > bound:
                sides = " x ".join(f"[{a}, {b}]" for a, b in lo_hi)
                raise Rejected(f"on the cell {sides} the checker bounds |N - p| only by {float(value):.6g} > {bound}")
            continue
        if not isinstance(entry, list) or len(entry) != 2:
            raise Unreadable(f"a cell-tree entry {entry!r} is neither \"L\" nor [axis, at]")
        axis = integer(entry[0], "split axis", 0, len(box) - 1)
        at = rational(entry[1], "split point")
        a, b = lo_hi[axis]
        if not a < at < b:
            raise Rejected(f"the split at {at} lies outside the side [{a}, {b}]")
        lower, upper = list(lo_hi), list(lo_hi)
        lower[axis], upper[axis] = (a, at), (at, b)
        pending += [upper, lower]
    if pending:
        raise Rejected(f"the cell tree leaves {len(pending)} part(s) of the box uncovered")
    return cells
