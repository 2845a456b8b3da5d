"""The product x_1⋯x_n with k hidden layers: Rolnick & Tegmark (2018), Thm 5.1, eq. (2)
optimised over integers and continuously (Lagrange, eqs (3)–(5)), the closed form eq. (1),
and the depth rule of thumb after Conj. 5.2 (eq. (6))."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy

from ..display import html_record
from ..errors import SymdepthError

__all__ = ["eq2_neurons", "ProductBound", "product_bound", "lagrange_widths", "recursion_widths", "DepthRule",
           "depth_rule_of_thumb"]


def eq2_neurons(widths: Sequence[int]) -> int:
    """Eq. (2): Σ_i (∏_{j>i} b_j)·2^{b_i} for widths b_1..b_k.

    Examples
    --------
    >>> eq2_neurons([2, 2, 2])
    28
    """
    total = 0
    for i, b in enumerate(widths):
        total += math.prod(widths[i + 1:]) * 2**b
    return total


@functools.cache
def _best_exact(m: int, layers: int) -> tuple[int, tuple]:
    """Least Σ (values entering layer / b)·2^b over ordered factorizations m = b_1⋯b_layers."""
    if layers == 0:
        return (0, ()) if m == 1 else (None, ())  # type: ignore[return-value]
    best: tuple = (None, ())
    for b in sympy.divisors(m):
        rest_cost, rest = _best_exact(m // b, layers - 1)
        if rest_cost is None:
            continue  # exact integers throughout: 2^b overflows no float here
        cost = (m // b) * 2**b + rest_cost
        if best[0] is None or cost < best[0]:
            best = (cost, (b,) + rest)
    return best


@dataclass(frozen=True)
class ProductBound:
    """Thm 5.1 for x_1⋯x_n with k hidden layers.

    ``neurons``/``widths``: the integer optimum of eq. (2) over ordered k-tuples of positive
    integers with ∏ b_i = n (b_i = 1 allowed, charged 2 per value as eq. (2) says).
    ``lagrange``/``lagrange_widths``: the continuous optimum (real b_i > 0).
    ``closed_form``: n^((k−1)/k)·2^(n^(1/k)), the leading term at b_i = n^(1/k).
    """

    n: int
    k: int
    neurons: int
    widths: tuple
    lagrange: float
    lagrange_widths: tuple
    closed_form: float

    def _repr_html_(self) -> str:
        return html_record(f"Product x1⋯x{self.n} with {self.k} hidden layers (RT Thm 5.1, eq. (2))", [
            ("neurons (integer optimum)", self.neurons), ("widths", self.widths),
            ("Lagrange optimum", f"{self.lagrange:.4g}"),  # float: display
            ("Lagrange widths", ", ".join(f"{b:.4g}" for b in self.lagrange_widths)),
            ("n^((k−1)/k)·2^(n^(1/k))", f"{self.closed_form:.4g}")])

    def _repr_latex_(self) -> str:
        widths = ",".join(map(str, self.widths))
        return (rf"$x_1\cdots x_{{{self.n}}},\ k={self.k}:\ m = {self.neurons}\ (b = ({widths})),\ "
                rf"n^{{(k-1)/k}}2^{{n^{{1/k}}}} \approx {self.closed_form:.4g}$")


def product_bound(n: int, k: int) -> ProductBound:
    """Eq. (2) optimised exactly over integers and continuously (Lagrange), and eq. (1).

    Examples
    --------
    >>> b = product_bound(16, 2)
    >>> b.neurons, b.widths
    (80, (4, 4))
    >>> round(b.closed_form)
    64

    References
    ----------
    Rolnick & Tegmark (2018), Thm 5.1, eqs (1)–(5).
    """
    if n < 1 or k < 1:
        raise SymdepthError(f"product_bound needs n >= 1 and k >= 1, got n={n}, k={k}")
    cost, widths = _best_exact(n, k)
    lag_widths = lagrange_widths(n, k)
    lagrange = _eq2_real(lag_widths)
    closed = mpmath.mpf(n) ** (mpmath.mpf(k - 1) / k) * mpmath.power(2, mpmath.root(n, k))
    return ProductBound(
        n=n,
        k=k,
        neurons=int(cost),
        widths=widths,
        lagrange=float(lagrange),  # float: continuous optimum, reported numerically
        lagrange_widths=tuple(float(b) for b in lag_widths),  # float: numeric optimum
        closed_form=float(closed),  # float: eq. (1) is a real number
    )


def _eq2_real(widths: Sequence) -> Any:
    total = mpmath.mpf(0)
    for i, b in enumerate(widths):
        total += mpmath.fprod(widths[i + 1:]) * mpmath.power(2, b)
    return total


def lagrange_widths(n: int, k: int, dps: int = 30) -> tuple:
    """The real minimiser of eq. (2) under ∏ b_i = n, by Newton's method on the logarithms.

    Independent of recursion (5): it minimises log Σ_i (∏_{j>i} e^{y_j})·2^{e^{y_i}} over
    y_1 + … + y_k = log n directly (mpmath ``findroot`` on the gradient).

    Examples
    --------
    >>> [round(b, 4) for b in lagrange_widths(100, 2)]
    [8.6742, 11.5285]
    """
    with mpmath.workdps(dps):
        if k == 1:
            return (mpmath.mpf(n),)
        log_n = mpmath.log(n)

        def objective(*ys: Any) -> Any:
            bs = [mpmath.exp(y) for y in ys] + [mpmath.exp(log_n - mpmath.fsum(ys))]
            return mpmath.log(_eq2_real(bs))  # the log keeps the gradient's scale moderate

        def gradient(*ys: Any) -> list:
            return [mpmath.diff(lambda t, i=i: objective(*[t if j == i else y for j, y in enumerate(ys)]), ys[i])
                    for i in range(len(ys))]

        start = [log_n / k] * (k - 1)
        if k == 2:
            # one unknown: a bracketing solver on the derivative is robust where secant steps diverge
            edge = mpmath.log(mpmath.mpf(3) / 2)
            ys = [mpmath.findroot(lambda y: gradient(y)[0], (edge, log_n - edge), solver="illinois")]
        else:
            ys = mpmath.findroot(gradient, start)
        ys = [ys[i] for i in range(k - 1)] if k > 2 else ys
        bs = [mpmath.exp(y) for y in ys]
        return tuple(bs + [mpmath.mpf(n) / mpmath.fprod(bs)])


def recursion_widths(n: int, k: int, dps: int = 30) -> tuple:
    """The widths given by recursion (5), b_i = b_{i−1} + log2(b_{i−1} − 1/ln 2), with b_1
    chosen so that ∏ b_i = n.

    Examples
    --------
    >>> [round(b, 4) for b in recursion_widths(100, 2)]
    [8.6742, 11.5285]
    """
    with mpmath.workdps(dps):
        inv_ln2 = 1 / mpmath.log(2)

        def chain(b1: Any) -> list:
            bs = [b1]
            for _ in range(k - 1):
                bs.append(bs[-1] + mpmath.log(bs[-1] - inv_ln2, 2))
            return bs

        b1 = mpmath.findroot(lambda b: mpmath.log(mpmath.fprod(chain(b))) - mpmath.log(n), mpmath.root(n, k))
        return tuple(chain(b1))


@dataclass(frozen=True)
class DepthRule:
    """The rule of thumb after Conj. 5.2: with layers of width ≤ W = 2^w, eq. (6) asks
    n^(1/k) ≤ w, i.e. k ≥ log n / log w (for W = 2^10: k ≥ log10 n)."""

    n: int
    max_width: int
    min_layers: int
    log10_n: float


def depth_rule_of_thumb(n: int, max_width: int = 2**10) -> DepthRule:
    """Least k with 2^(n^(1/k)) ≤ max_width (eq. (6) read as a width budget), decided exactly
    as n ≤ (log2 max_width)^k when max_width is a power of two.

    Examples
    --------
    >>> depth_rule_of_thumb(1000).min_layers, depth_rule_of_thumb(1001).min_layers
    (3, 4)
    """
    if n < 1 or max_width < 2:
        raise SymdepthError("depth_rule_of_thumb needs n >= 1 and max_width >= 2")
    if max_width & (max_width - 1) == 0:
        w = max_width.bit_length() - 1
        k = 1
        while w**k < n:
            k += 1
    else:
        w_real = mpmath.log(max_width, 2)
        k = 1
        while w_real**k < n:
            k += 1
    return DepthRule(n=n, max_width=max_width, min_layers=k,
                     log10_n=float(mpmath.log10(n)))  # float: displayed alongside the exact k
