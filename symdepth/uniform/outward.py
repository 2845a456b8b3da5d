"""Interval arithmetic on numpy arrays with every rounded operation widened outward, and
rigorous enclosures of the smooth activations at float arguments.

An interval is a pair ``(lo, hi)`` of float64 arrays.  Each rounded operation is followed by
``np.nextafter`` away from the interval: round-to-nearest is off by at most half a unit in
the last place, so one step outward always contains the exact result.  Matrix products
(BLAS, any summation order, with or without fused multiply-add) are widened by the
Higham bound γ_k·Σ|w|·|x| with room to spare (:func:`matmul`).  NaN (0·∞, ∞ − ∞) never
decides anything: every comparison with it is false, and the callers read it as "no bound".

The activations tanh, sigmoid, softplus and exp are enclosed from a table of their values
and slopes at the grid points k/256 in [−32, 32], computed once with python-flint's ``arb``
and rounded outward to floats: on a grid cell of fixed convexity the chord and the tangents
bound the function (below and above for a concave piece, the other way round for a convex
one), within h²/8·max|σ''| ≈ 10⁻⁶ of it; beyond ±32 by monotonicity and the limits.  No
libm value is trusted.  Written here because no float interval library for numpy exists on
PyPI in a maintained version.
"""

from __future__ import annotations

import functools

import flint
import numpy as np

from ..series import ball_precision
from .enclosure import float_down, float_up

SMOOTH = ("tanh", "sigmoid", "softplus", "exp")
_STEP = 2.0**-8
_RANGE = 32.0
_U = 2.0**-53
_TINY = 2.0**-1000     # above the absolute error of any product that underflows


def down(x: np.ndarray) -> np.ndarray:
    return np.nextafter(x, -np.inf)


def up(x: np.ndarray) -> np.ndarray:
    return np.nextafter(x, np.inf)


def add(a: tuple, b: tuple) -> tuple:
    return down(a[0] + b[0]), up(a[1] + b[1])


def sub(a: tuple, b: tuple) -> tuple:
    return down(a[0] - b[1]), up(a[1] - b[0])


def mul(a: tuple, b: tuple) -> tuple:
    p, q, r, s = a[0] * b[0], a[0] * b[1], a[1] * b[0], a[1] * b[1]
    return (down(np.minimum(np.minimum(p, q), np.minimum(r, s))),
            up(np.maximum(np.maximum(p, q), np.maximum(r, s))))


def magnitude(a: tuple) -> np.ndarray:
    """An upper bound of |x| on the interval (exact: no rounding)."""
    return np.maximum(np.abs(a[0]), np.abs(a[1]))


def lower_magnitude(a: tuple) -> np.ndarray:
    """A lower bound of |x| on the interval."""
    return np.where(a[0] > 0, a[0], np.where(a[1] < 0, -a[1], 0.0))


def power(a: tuple, e: int) -> tuple:
    """x^e over the interval (e ≥ 0), each multiplication rounded outward."""
    if e == 0:
        return np.ones_like(a[0]), np.ones_like(a[0])
    m_lo, m_hi = np.abs(a[0]), np.abs(a[1])
    lo_lo, lo_hi, hi_lo, hi_hi = m_lo, m_lo, m_hi, m_hi
    for _ in range(e - 1):
        lo_lo, lo_hi, hi_lo, hi_hi = down(lo_lo * m_lo), up(lo_hi * m_lo), down(hi_lo * m_hi), up(hi_hi * m_hi)
    if e % 2:   # odd: increasing, the ends keep their signs
        return (np.where(a[0] < 0, -lo_hi, lo_lo), np.where(a[1] < 0, -hi_lo, hi_hi))
    straddles = (a[0] < 0) & (a[1] > 0)
    low = np.where(straddles, 0.0, np.minimum(lo_lo, hi_lo))
    return low, np.maximum(lo_hi, hi_hi)


def bounds(values: list) -> tuple:
    """Exact numbers (arb balls) as an interval of float arrays (rows as given)."""
    lo = np.array([[float_down(v) for v in row] for row in values], dtype=np.float64).reshape(len(values), -1)
    hi = np.array([[float_up(v) for v in row] for row in values], dtype=np.float64).reshape(len(values), -1)
    return lo, hi


def weights(values: list) -> tuple:
    """Exact numbers (arb balls) as (mid, rad) float arrays: every number lies in mid ± rad."""
    lo, hi = bounds(values)
    mid = lo + (hi - lo) / 2
    return mid, up(np.maximum(up(hi - mid), up(mid - lo)))


def matmul(x: tuple, w: tuple) -> tuple:
    """x @ W over the last axis of x, W = (mid, rad): every rounding of the two products and
    of their sums bounded by γ_2k·Σ|mid|·|x| (k terms a sum, in any order), and the weights'
    radii by Σ rad·|x|, both computed with a factor 2 to spare."""
    mid, rad = w
    k = mid.shape[0]
    positive, negative = np.maximum(mid, 0.0), np.minimum(mid, 0.0)
    lo = x[0] @ positive + x[1] @ negative
    hi = x[1] @ positive + x[0] @ negative
    size = magnitude(x)
    slack = 4 * (k + 2) * _U
    err = up(up((size @ np.abs(mid)) * slack) + up((size @ rad) * (1 + slack)) + k * _TINY)
    return down(lo - err), up(hi + err)


# -- the smooth activations -------------------------------------------------------------------


def _exact(name: str, x: flint.arb) -> tuple:
    """(σ(x), σ'(x)) as arb balls."""
    if name == "tanh":
        t = x.tanh()
        return t, 1 - t * t
    s = 1 / (1 + (-x).exp())
    if name == "sigmoid":
        return s, s * (1 - s)
    if name == "softplus":
        return x.exp().log1p(), s
    return x.exp(), x.exp()


@functools.cache
def _table(name: str) -> tuple:
    """(grid, lower and upper values, lower and upper slopes) at the grid points."""
    grid = np.arange(-_RANGE, _RANGE + _STEP / 2, _STEP)
    with ball_precision(80):
        pairs = [_exact(name, flint.arb(float(g))) for g in grid]   # float: a numpy float, exactly
        # the ends of each ball rounded to nearest, then one step outward
        lower = [float(x.lower()) for pair in pairs for x in pair]   # float: rounded, widened below
        upper = [float(x.upper()) for pair in pairs for x in pair]   # float: rounded, widened below
        ends = [down(np.array(lower)), up(np.array(upper))]
    return grid, ends[0][0::2], ends[1][0::2], ends[0][1::2], ends[1][1::2]


def _point_bounds(name: str, x: np.ndarray) -> tuple:
    """Lower and upper bounds of σ(x) at float arguments."""
    grid, v_lo, v_hi, d_lo, d_hi = _table(name)
    inside = np.clip(np.nan_to_num(x, nan=0.0), -_RANGE, _RANGE)
    j = np.clip(((inside + _RANGE) / _STEP).astype(np.int64), 0, len(grid) - 2)
    j = np.where(grid[j] > inside, j - 1, np.where(grid[j + 1] < inside, j + 1, j))
    j = np.clip(j, 0, len(grid) - 2)
    left = (down(inside - grid[j]), up(inside - grid[j]))                 # x − g_j ≥ 0
    right = (down(grid[j + 1] - inside), up(grid[j + 1] - inside))        # g_(j+1) − x ≥ 0
    t = (np.clip(left[0] / _STEP, 0, 1), np.clip(left[1] / _STEP, 0, 1))  # dividing by 2^-8 is exact
    # chords through the lower (upper) table values, at both ends of t's enclosure
    chord_lo = np.minimum(down(v_lo[j] + down(t[0] * down(v_lo[j + 1] - v_hi[j]))),
                          down(v_lo[j] + down(t[1] * down(v_lo[j + 1] - v_hi[j]))))
    chord_hi = np.maximum(up(v_hi[j] + up(t[0] * up(v_hi[j + 1] - v_lo[j]))),
                          up(v_hi[j] + up(t[1] * up(v_hi[j + 1] - v_lo[j]))))
    tangent_left_hi = up(v_hi[j] + up(d_hi[j] * left[1]))       # concave: below the tangent at g_j
    tangent_right_lo = down(v_lo[j + 1] - up(d_hi[j + 1] * right[1]))   # convex: above the tangent at g_(j+1)
    concave = (grid[j] >= 0) & (name in ("tanh", "sigmoid"))
    lo = np.where(concave, chord_lo, tangent_right_lo)
    hi = np.where(concave, tangent_left_hi, chord_hi)
    lo, hi = np.maximum(lo, v_lo[j]), np.minimum(hi, v_hi[j + 1])       # and monotone
    beyond_hi, beyond_lo = x > _RANGE, x < -_RANGE
    top = {"tanh": 1.0, "sigmoid": 1.0, "softplus": np.inf, "exp": np.inf}[name]
    hi = np.where(beyond_hi, top, hi)
    if name == "softplus":   # softplus(x) = x + log1p(e^(−x)) ∈ [x, x + e^(−32)] beyond 32
        lo = np.where(beyond_hi, x, lo)
        hi = np.where(beyond_hi, up(x + 1e-13), hi)
    lo = np.where(beyond_lo, -1.0 if name == "tanh" else 0.0, lo)
    unknown = np.isnan(x)
    return np.where(unknown, -np.inf, lo), np.where(unknown, np.inf, hi)


def smooth(name: str, u: tuple) -> tuple:
    """(σ(u), σ'(u), σ''(u)) enclosed over the interval u, for σ in :data:`SMOOTH`."""
    value = (_point_bounds(name, u[0])[0], _point_bounds(name, u[1])[1])   # σ is increasing
    one = (np.ones_like(u[0]), np.ones_like(u[0]))
    if name == "exp":
        return value, value, value
    if name == "tanh":
        slope = sub(one, power(value, 2))
        return value, slope, mul((-2 * value[1], -2 * value[0]), slope)
    s = value if name == "sigmoid" else (_point_bounds("sigmoid", u[0])[0], _point_bounds("sigmoid", u[1])[1])
    slope = mul(s, sub(one, s))
    curvature = mul(slope, sub(one, (2 * s[0], 2 * s[1])))
    return (value, slope, curvature) if name == "sigmoid" else (value, s, slope)
