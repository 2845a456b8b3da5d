"""Exact matrices for folding a graph's affine maps: float arrays as python-flint
``fmpq_mat`` (the dyadic rationals they are), products in C, and back to arrays of exact
numbers.

A float64 is m·2^e with an integer m of 53 bits, so a whole float array is one integer
matrix over one power of two; it is converted in bulk (numpy ``frexp``, then one
``fmpz_mat``) rather than entry by entry.  Composing a published lattice net's consecutive
512-wide maps with ``Fraction`` object arrays took ~40 s; ``fmpq_mat`` multiplies them in
well under a second (flint's multimodular integer products).

Examples
--------
>>> import numpy as np
>>> m = fmpq_matrix(np.array([[0.5, -1.0], [0.1, 3.0]], dtype=np.float32))
>>> to_array(m)[1, 0]                         # float32 0.1, exactly
Fraction(13421773, 134217728)
>>> to_array(fmpq_matrix(np.array([[2.0, 0.0]])) * fmpq_matrix(np.array([[1.5], [7.0]]))).tolist()
[[3]]
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from ..errors import NetworkError
from ..numbers import exact

__all__ = ["fmpq_matrix", "to_array"]


def fmpq_matrix(array: Any) -> flint.fmpq_mat:
    """The exact matrix of a 2-D array (a 1-D array is a column): floats as the dyadic
    rationals they are, integers as they are, other entries (Fractions; anything else
    through :func:`symdepth.numbers.exact`, which refuses a symbolic weight here) as integers
    over their common denominator."""
    a = np.asarray(array)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if a.ndim != 2:
        raise NetworkError(f"expected a matrix, got an array of shape {a.shape}")
    rows, cols = a.shape
    if a.dtype.kind == "f":
        a = a.astype(np.float64)  # float32 and float16 widen exactly
        if not np.isfinite(a).all():
            raise NetworkError("a weight or bias is not finite; weights and biases must be finite numbers")
        mantissa, exponent = np.frexp(a)
        numerators = (mantissa * 2.0**53).astype(np.int64)  # exact: 53 significant bits
        shifts = exponent.astype(np.int64) - 53
        nonzero = numerators != 0
        low = int(shifts[nonzero].min()) if nonzero.any() else 0
        shifts = np.where(nonzero, shifts - low, 0)
        integers = [n << s for n, s in zip(numerators.ravel().tolist(), shifts.ravel().tolist())]
        matrix = flint.fmpq_mat(flint.fmpz_mat(rows, cols, integers))
        return matrix / (1 << -low) if low < 0 else matrix * (1 << low)
    if a.dtype.kind in "iub":
        return flint.fmpq_mat(flint.fmpz_mat(rows, cols, [int(v) for v in a.ravel().tolist()]))
    # ints and Fractions: integers over one common denominator, one fmpz_mat built in bulk
    values = [v if type(v) in (int, Fraction) else Fraction(exact(v, "weight")) for v in a.ravel().tolist()]
    denominator = math.lcm(*{1 if type(v) is int else v.denominator for v in values})
    integers = [v * denominator if type(v) is int else v.numerator * (denominator // v.denominator) for v in values]
    matrix = flint.fmpq_mat(flint.fmpz_mat(rows, cols, integers))
    return matrix / denominator if denominator != 1 else matrix


def to_array(matrix: flint.fmpq_mat) -> np.ndarray:
    """An fmpq_mat as an object array of ints and Fractions."""
    numerators, denominator = matrix.numer_denom()
    d = int(denominator)
    values = [int(n) for n in numerators.entries()]
    if d == 1:
        out = values
    else:
        out = [Fraction(n, d) for n in values]
        out = [q.numerator if q.denominator == 1 else q for q in out]
    array = np.empty(len(out), dtype=object)
    array[:] = out
    return array.reshape(matrix.nrows(), matrix.ncols())
