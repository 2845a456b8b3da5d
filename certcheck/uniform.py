"""Kind ``uniform``: sup over a box of |N(x) − p(x)|, bounded by interval arithmetic.

"holds" gives a subdivision of the box as a tree, in preorder: ``"L"`` is a cell (a leaf),
``[axis, at]`` splits the current box at ``at`` along ``axis`` (the two halves follow, lower
first).  The tree tiles the box by construction; on each cell the checker bounds f = N − p
by the least of |f| enclosed over the cell, the mean value form |f(c)| + Σ_i sup|∂_i f|·r_i
and the second-order form |f(c)| + Σ_i |∂_i f(c)|·r_i + ½ Σ_ij sup|∂_ij f|·r_i·r_j (c the
centre, r the half-widths; f, its gradient and Hessian evaluated forward with mpmath's
interval arithmetic, a piecewise-linear activation's slope enclosed by the hull of its
slopes where a cell holds its kink, and no second-order form there), and compares the
upper end exactly with the stated bound.  "fails" gives a rational point where |f| > eps, evaluated at 256 bits.  An optional
``lower`` point shows the bound is nearly attained (|f| there at least a stated value).
"""

from __future__ import annotations

from fractions import Fraction

from mpmath import iv
from mpmath.libmp import finf, fnan, fninf

from .errors import Rejected, Unreadable
from .network import Network, integer, polynomial, rational_list, read_network
from .numbers import interval, precision, rational, symbols_of, to_interval

MAX_CELLS = 1_000_000
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


def _activate(act: object, u: object) -> tuple:
    """(σ(u), σ'(u), σ''(u)) enclosed over the interval u; σ'' is None where u holds a kink
    of a piecewise-linear σ (no second-order form there)."""
    name = act.name
    if name == "exp":
        e = iv.exp(u)
        return e, e, e
    if name == "tanh":
        t = 1 - 2 / (iv.exp(2 * u) + 1)
        return t, 1 - t**2, -2 * t * (1 - t**2)
    if name in ("sigmoid", "softplus"):
        s = 1 / (1 + iv.exp(-u))
        ds = s * (1 - s)
        return (s, ds, ds * (1 - 2 * s)) if name == "sigmoid" else (iv.log1p(iv.exp(u)), s, ds)
    if name in ("sin", "cos"):
        s, c = iv.sin(u), iv.cos(u)
        return (s, c, -s) if name == "sin" else (c, -s, -c)
    if name == "arctan":
        return iv.atan2(u, 1), 1 / (1 + u**2), -2 * u / (1 + u**2) ** 2
    if name == "polynomial":
        value, slope, curvature = iv.mpf(0), iv.mpf(0), iv.mpf(0)
        for c in reversed(act.coefficients):
            curvature = curvature * u + 2 * slope
            slope = slope * u + value
            value = value * u + to_interval(c)
        return value, slope, curvature
    if name in ("relu", "leaky_relu"):
        a = to_interval(act.coefficients[0]) if act.coefficients else iv.mpf(0)
        if u.a >= 0:
            return u, iv.mpf(1), iv.mpf(0)
        if u.b <= 0:
            return a * u, a, iv.mpf(0)
        return _hull(a * u.a, iv.mpf(0), u.b), _hull(a, iv.mpf(1)), None
    if name == "hard_tanh":
        def clamp(x: object) -> object:
            return iv.mpf(-1) if x <= -1 else iv.mpf(1) if x >= 1 else x
        if u.a > -1 and u.b < 1:
            return u, iv.mpf(1), iv.mpf(0)
        if u.b <= -1 or u.a >= 1:
            return _hull(clamp(u.a), clamp(u.b)), iv.mpf(0), iv.mpf(0)
        return _hull(clamp(u.a), clamp(u.b)), iv.mpf([0, 1]), None
    raise Unreadable(f"the activation {name} has no numerical values (a generic activation is a symbol)")


def _monomial(c: object, m: tuple, box: list, d: tuple) -> object:
    """∂^d (c·x^m) over the box: d a tuple of at most two axes."""
    term = c
    exponents = list(m)
    for axis in d:
        term = term * exponents[axis]
        exponents[axis] -= 1
    if any(e < 0 for e in exponents):
        return iv.mpf(0)
    for x, e in zip(box, exponents):
        term = term * x**e if e else term
    return term


class Difference:
    """f = N − p with its gradient and Hessian over a box of intervals (forward mode), the
    weights enclosed once."""

    def __init__(self, net: Network, target: dict) -> None:
        if any(symbols_of(v) for n in (*net.neurons, net.output) for v in (n.bias, *(w for _, w in n.inputs))):
            raise Unreadable("a uniform certificate needs a network without symbols")
        self.net = net
        self.layers = [(n.name, n.activation, interval(n.bias), [(u, interval(w)) for u, w in n.inputs])
                       for n in (*net.neurons, net.output)]
        self.target = [(m, interval(c)) for m, c in target.items()]

    def __call__(self, box: list) -> tuple:
        """(f, ∇f, Hf) over the box; Hf is None where a cell holds a kink."""
        k, zero = len(box), iv.mpf(0)
        values = {name: (x, [iv.mpf(int(i == j)) for j in range(k)], [[zero] * k for _ in range(k)])
                  for i, (name, x) in enumerate(zip(self.net.inputs, box))}
        for name, act, bias, sources in self.layers:
            pre, grad, hess = bias, [zero] * k, [[zero] * k for _ in range(k)]
            for u, w in sources:
                value, slope, curvature = values[u]
                pre = pre + w * value
                grad = [g + w * s for g, s in zip(grad, slope)]
                hess = None if hess is None or curvature is None else [
                    [h + w * c for h, c in zip(row, crow)] for row, crow in zip(hess, curvature)]
            if act is None:
                f, df, hf = pre, grad, hess
                break
            value, slope, second = _activate(act, pre)
            hess = None if hess is None or second is None else [
                [second * gi * gj + slope * h for gj, h in zip(grad, row)] for gi, row in zip(grad, hess)]
            values[name] = (value, [slope * g for g in grad], hess)
        for m, c in self.target:
            f = f - _monomial(c, m, box, ())
            df = [g - _monomial(c, m, box, (j,)) for j, g in enumerate(df)]
            hf = None if hf is None else [[h - _monomial(c, m, box, (i, j)) for j, h in enumerate(row)]
                                          for i, row in enumerate(hf)]
        return f, df, hf


def _point(values: list) -> list:
    return [to_interval(v) for v in values]


def point_value(f: Difference, point: list) -> object:
    """f = N − p at a rational point, as an interval."""
    return f(_point(point))[0]


def cell_bound(f: Difference, lo: list, hi: list) -> Fraction:
    """An exact upper bound of |f| over the cell [lo, hi]: the least of |f| enclosed directly,
    the mean value form |f(c)| + Σ sup|∂_i f|·r_i and, off the kinks, the second-order form
    |f(c)| + Σ |∂_i f(c)|·r_i + ½ Σ sup|∂_ij f|·r_i·r_j (c the centre, r the half-widths)."""
    centre = [(a + b) / 2 for a, b in zip(lo, hi)]
    radius = [to_interval((b - a) / 2) for a, b in zip(lo, hi)]
    f_c, grad_c, _ = f(_point(centre))
    f_x, grad, hess = f([iv.mpf([to_interval(a).a, to_interval(b).b]) for a, b in zip(lo, hi)])
    forms = [abs(f_x), abs(f_c) + sum(abs(g) * r for g, r in zip(grad, radius))]
    if hess is not None:
        forms.append(abs(f_c) + sum(abs(g) * r for g, r in zip(grad_c, radius)) + sum(
            abs(h) * ri * rj for ri, row in zip(radius, hess) for rj, h in zip(radius, row)) / 2)
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
        f = Difference(net, target)
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
