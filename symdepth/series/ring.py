"""What every series ring shares: the elementwise operations and Horner's scheme.

A ring of this package offers ``zero``, ``variable``, ``add``, ``sub``, ``scale``,
``add_scalar``, ``mul``, ``inv``, ``expm1``, ``log1p``, ``sin_cosm1``, ``atan`` and
``horner`` over its elements (the protocol the activations' recipes are written against,
:mod:`symdepth.activations`); the elementwise ones are inherited from here where the
elements' own operators already are them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class ElementwiseRing:
    """Ring operations that the elements' own operators already are (flint series, numpy
    arrays of balls): shared by the rings below, which add truncation and functions."""

    def add(self, a: Any, b: Any) -> Any:
        return a + b

    def sub(self, a: Any, b: Any) -> Any:
        return a - b

    def scale(self, a: Any, s: Any) -> Any:
        return a * s

    def add_scalar(self, a: Any, s: Any) -> Any:
        return a + s

    def mul(self, a: Any, b: Any) -> Any:
        return a * b


def horner_sum(ring: Any, coeffs: Sequence, v: Any, valuation: int) -> Any:
    """Σ_{k≥1} coeffs[k]·v^k, using only the k with k·valuation ≤ order."""
    top = min(len(coeffs) - 1, ring.order // valuation if valuation else ring.order)
    if top < 1:
        return ring.zero()
    acc = ring.add_scalar(ring.zero(), coeffs[top])
    for k in range(top - 1, 0, -1):
        acc = ring.add_scalar(ring.mul(acc, v), coeffs[k])
    return ring.mul(acc, v)
