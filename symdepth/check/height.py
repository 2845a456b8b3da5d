"""Rigorous bounds on the size and denominators of a network's Taylor coefficients
(:func:`taylor_height`), from one majorant pass (:class:`~symdepth.series.CoefficientBounds`)
per trial radius: the randomized check's error probability rests on them."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from ..errors import SymdepthError
from ..numbers import Exact
from ..series import CoefficientBounds, RadiusTooLarge, network_series

__all__ = ["TaylorHeight", "taylor_height"]


@dataclass(frozen=True)
class TaylorHeight:
    """Bounds valid for every nonconstant Taylor coefficient c of degree ≤ d of a network:
    log2 |c| ≤ ``magnitude_bits``, log2 den(c) ≤ ``denominator_bits``, and den(c) divides
    d!·``scale``^d, so a prime above d not dividing ``scale`` never divides it.  ``radius``
    is the r at which the majorant was evaluated (see :class:`symdepth.series.CoefficientBounds`)."""

    magnitude_bits: float
    denominator_bits: float
    scale: int
    radius: Fraction


def taylor_height(net: Any, degree: int, values: dict | None = None) -> TaylorHeight:
    """Rigorous bounds on the size and denominators of the Taylor coefficients of ``net`` up to
    degree ``degree`` (rational weights and expansion point), from one majorant pass per trial
    radius r = 2^−j; the r giving the fewest bits at degree d is kept.

    Used for the error probability of the randomized check: a nonzero rational coefficient
    of h bits has at most h/61 prime factors above 2^61.

    Examples
    --------
    >>> from symdepth import constructions
    >>> h = taylor_height(constructions.deep_power(4, "exp"), 4)
    >>> h.scale > 0 and 0 < h.magnitude_bits < 200 and h.denominator_bits >= math.log2(24)
    True
    """
    values = net.node_values() if values is None else values

    @functools.cache
    def attempt(j: int) -> tuple[float, int] | None:
        """(log2 of the coefficient bound at degree d, scale) at radius 2^-j, None if divergent."""
        try:
            out = network_series(net, CoefficientBounds(degree, Fraction(1, 2**j)), values)
        except RadiusTooLarge:
            return None
        magnitude = math.log2(out.size) + 1e-9 if out.size > 0 else -math.inf
        return magnitude + degree * j, out.scale

    # feasibility is monotone in r: find the largest radius 2^-j that works
    start = 0
    if attempt(0) is None:
        hi = 1
        while attempt(hi) is None:
            hi *= 2
            if hi > 2**14:
                raise SymdepthError("internal: no radius keeps the network's majorant convergent")
        lo = hi // 2
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (lo, mid) if attempt(mid) is not None else (mid, hi)
        start = hi
    # log2 S(2^-j) + d·j is convex in j (log of a power series with nonnegative coefficients
    # at e^u is convex in u): walk down from the largest radius until it stops improving
    j, best = start, attempt(start)
    assert best is not None  # start is a radius that works
    while (smaller := attempt(j + 1)) is not None and smaller[0] < best[0]:
        j, best = j + 1, smaller
    magnitude, scale = best
    denominator = math.lgamma(degree + 1) / math.log(2) + 1e-6 + degree * math.log2(scale)
    return TaylorHeight(max(magnitude, 0.0), denominator, scale, Fraction(1, 2**j))


def _claim_magnitude_bits(coefficients: Sequence[Exact]) -> float:
    """An upper bound on log2 |c| over the claim's coefficients (exact integers, no floats of
    huge rationals)."""
    fractions = [Fraction(c) for c in coefficients if c]
    return max((abs(q.numerator).bit_length() - q.denominator.bit_length() + 1 for q in fractions), default=0)
