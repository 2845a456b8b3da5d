"""Exact rational vectors with numpy speed: the arithmetic under the piecewise-linear fast path.

A :class:`RationalArray` holds n exact rationals.  While numerators and denominators are
small it stores them as two int64 numpy arrays (reduced, denominators positive) and every
operation is a handful of vectorised integer passes; an operation whose operands could
overflow 64 bits is done instead on a numpy object array of python-flint ``fmpq`` (exact,
arbitrary size, ~150 ns per element), and the result stays there.  Nothing is ever rounded.

Written here because neither python-flint (``fmpq_vec`` has no arithmetic) nor numpy offers
vectorised exact rationals; the ReLU networks of the papers (dyadic breakpoints, small
weights) stay in the int64 representation, which is what makes 2^20 pieces take seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import Any, Union

import flint
import numpy as np

__all__ = ["RationalArray", "to_fmpq"]

# Operands below this bound keep every product and sum of two products within int64.
_SMALL = 1 << 30

Scalar = Union[int, Fraction, flint.fmpq]


def to_fmpq(value: Any) -> flint.fmpq:
    """An exact rational scalar (int, Fraction, fmpz or fmpq) as ``fmpq``."""
    if isinstance(value, flint.fmpq):
        return value
    if isinstance(value, (int, flint.fmpz)):
        return flint.fmpq(int(value))
    if isinstance(value, Fraction):
        return flint.fmpq(value.numerator, value.denominator)
    raise TypeError(f"{value!r} is not an exact rational")


class RationalArray:
    """A one-dimensional array of exact rationals.

    Examples
    --------
    >>> from symdepth.piecewise.rational_array import RationalArray
    >>> a = RationalArray([Fraction(1, 2), 3, Fraction(-2, 3)])
    >>> (a * 2 + 1).to_fractions()
    [Fraction(2, 1), Fraction(7, 1), Fraction(-1, 3)]
    >>> (a > 0).tolist(), a.is_small
    ([True, True, False], True)
    >>> big = a * (2**62)
    >>> big.is_small, big.to_fractions()[2]
    (False, Fraction(-9223372036854775808, 3))
    """

    __slots__ = ("num", "den", "obj")
    num: Any
    den: Any
    obj: Any

    def __init__(self, values: Iterable[Scalar] = ()) -> None:
        items = [to_fmpq(v) for v in values]
        if all(abs(int(q.p)) < _SMALL and int(q.q) < _SMALL for q in items):
            self.num = np.array([int(q.p) for q in items], dtype=np.int64)
            self.den = np.array([int(q.q) for q in items], dtype=np.int64)
            self.obj = None
        else:
            self.num = self.den = None
            self.obj = _object_array(items)

    @classmethod
    def _small(cls, num: np.ndarray, den: np.ndarray) -> RationalArray:
        out = cls.__new__(cls)
        out.num, out.den, out.obj = num, den, None
        return out

    @classmethod
    def _large(cls, obj: np.ndarray) -> RationalArray:
        out = cls.__new__(cls)
        out.num = out.den = None
        out.obj = obj
        return out

    @classmethod
    def full(cls, n: int, value: Scalar) -> RationalArray:
        """n copies of ``value``."""
        q = to_fmpq(value)
        if abs(int(q.p)) < _SMALL and int(q.q) < _SMALL:
            return cls._small(np.full(n, int(q.p), dtype=np.int64), np.full(n, int(q.q), dtype=np.int64))
        return cls._large(np.full(n, q, dtype=object))

    @classmethod
    def from_integers(cls, num: np.ndarray, den: np.ndarray) -> RationalArray:
        """num[i]/den[i] for int64 arrays (den > 0)."""
        num, den = np.asarray(num, dtype=np.int64), np.asarray(den, dtype=np.int64)
        if (den <= 0).any():
            raise ValueError("denominators must be positive")
        return cls._small(*_reduce(num, den))

    @staticmethod
    def concatenate(parts: Sequence[RationalArray]) -> RationalArray:
        if all(p.obj is None for p in parts):
            return RationalArray._small(np.concatenate([p.num for p in parts]), np.concatenate([p.den for p in parts]))
        return RationalArray._large(np.concatenate([p._objects() for p in parts]))

    # -- representation ---------------------------------------------------------------------
    @property
    def is_small(self) -> bool:
        """True while stored as int64 numerators and denominators."""
        return self.obj is None

    def __len__(self) -> int:
        return len(self.obj) if self.obj is not None else len(self.num)

    def __repr__(self) -> str:
        shown = ", ".join(str(q) for q in self.to_fmpq_list()[:6])
        return f"RationalArray([{shown}{', ...' if len(self) > 6 else ''}])"

    def _objects(self) -> np.ndarray:
        if self.obj is not None:
            return self.obj
        return _object_array([flint.fmpq(int(n), int(d)) for n, d in zip(self.num, self.den)])

    def _fits(self) -> bool:
        return self.obj is None and (len(self.num) == 0 or (
            int(np.abs(self.num).max()) < _SMALL and int(self.den.max()) < _SMALL))

    def to_fmpq_list(self) -> list:
        return list(self._objects())

    def to_fractions(self) -> list:
        if self.obj is None:
            return [Fraction(int(n), int(d)) for n, d in zip(self.num.tolist(), self.den.tolist())]
        return [Fraction(int(q.p), int(q.q)) for q in self.obj]

    def item(self, i: int) -> flint.fmpq:
        if self.obj is not None:
            return self.obj[i]
        return flint.fmpq(int(self.num[i]), int(self.den[i]))

    def __getitem__(self, index: Any) -> RationalArray:
        if isinstance(index, (int, np.integer)):
            raise TypeError("use .item(i) for one element")
        if self.obj is not None:
            return RationalArray._large(self.obj[index])
        return RationalArray._small(self.num[index], self.den[index])

    def insert(self, positions: np.ndarray, values: RationalArray) -> RationalArray:
        """numpy.insert: ``values[k]`` goes before element ``positions[k]``."""
        if self.obj is None and values.obj is None:
            return RationalArray._small(np.insert(self.num, positions, values.num), np.insert(self.den, positions,
                                                                                               values.den))
        return RationalArray._large(np.insert(self._objects(), positions, values._objects()))

    # -- arithmetic -------------------------------------------------------------------------
    def _binary(self, other: Any, small: Any, large: Any) -> RationalArray:
        o = other if isinstance(other, RationalArray) else RationalArray.full(len(self), other)
        if self._fits() and o._fits():
            return RationalArray._small(*small(self.num, self.den, o.num, o.den))
        return RationalArray._large(large(self._objects(), o._objects()))

    def __add__(self, other: Any) -> RationalArray:
        return self._binary(other, lambda n1, d1, n2, d2: _reduce(n1 * d2 + n2 * d1, d1 * d2), np.add)

    __radd__ = __add__

    def __sub__(self, other: Any) -> RationalArray:
        return self._binary(other, lambda n1, d1, n2, d2: _reduce(n1 * d2 - n2 * d1, d1 * d2), np.subtract)

    def __rsub__(self, other: Any) -> RationalArray:
        return (-self) + other

    def __mul__(self, other: Any) -> RationalArray:
        return self._binary(other, lambda n1, d1, n2, d2: _reduce(n1 * n2, d1 * d2), np.multiply)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> RationalArray:
        o = other if isinstance(other, RationalArray) else RationalArray.full(len(self), other)
        if (o.num == 0).any() if o.obj is None else any(q == 0 for q in o.obj):
            raise ZeroDivisionError("division of a RationalArray by zero")
        return self._binary(o, _divide_small, np.true_divide)

    def __neg__(self) -> RationalArray:
        if self.obj is None:
            return RationalArray._small(-self.num, self.den)
        return RationalArray._large(-self.obj)

    # -- comparisons (boolean numpy arrays) ---------------------------------------------------
    def _compare(self, other: Any, op: Any) -> np.ndarray:
        o = other if isinstance(other, RationalArray) else RationalArray.full(len(self), other)
        if self._fits() and o._fits():
            return op(self.num * o.den, o.num * self.den)
        return op(self._objects(), o._objects()).astype(bool)

    def __lt__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self._compare(other, np.less)

    def __le__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self._compare(other, np.less_equal)

    def __gt__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self._compare(other, np.greater)

    def __ge__(self, other: Any) -> np.ndarray:  # type: ignore[override]
        return self._compare(other, np.greater_equal)

    def equals(self, other: Any) -> np.ndarray:
        """Elementwise equality (``==`` is left to identity semantics)."""
        return self._compare(other, np.equal)

    def min(self) -> flint.fmpq:
        """The least element (exact pairwise tournament)."""
        return self._extreme(np.less_equal)

    def max(self) -> flint.fmpq:
        """The greatest element."""
        return self._extreme(np.greater_equal)

    def _extreme(self, op: Any) -> flint.fmpq:
        if len(self) == 0:
            raise ValueError("min/max of an empty RationalArray")
        a = self
        while len(a) > 1:
            if len(a) % 2:
                a = RationalArray.concatenate([a, a[len(a) - 1:]])
            first, second = a[0::2], a[1::2]
            a = RationalArray.where(first._compare(second, op), first, second)
        return a.item(0)

    def sign(self) -> np.ndarray:
        """-1, 0 or 1 per element (int8)."""
        return ((self > 0).astype(np.int8) - (self < 0).astype(np.int8)).astype(np.int8)

    @staticmethod
    def where(mask: np.ndarray, a: RationalArray, b: RationalArray) -> RationalArray:
        if a.obj is None and b.obj is None:
            return RationalArray._small(np.where(mask, a.num, b.num), np.where(mask, a.den, b.den))
        return RationalArray._large(np.where(mask, a._objects(), b._objects()))


def _object_array(items: list) -> np.ndarray:
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _reduce(num: np.ndarray, den: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    g = np.gcd(num, den)
    return num // g, den // g


def _divide_small(n1: np.ndarray, d1: np.ndarray, n2: np.ndarray, d2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    num, den = n1 * d2, d1 * n2
    negative = den < 0
    return _reduce(np.where(negative, -num, num), np.where(negative, -den, den))
