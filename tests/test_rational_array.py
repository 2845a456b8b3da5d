"""RationalArray against Fraction, element by element, across the int64 / fmpq boundary."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symdepth.piecewise.rational_array import RationalArray

# small values, values near the int64 switch-over, and huge ones
numbers = st.one_of(
    st.fractions(min_value=-50, max_value=50, max_denominator=50),
    st.builds(Fraction, st.integers(-(2**40), 2**40), st.integers(1, 2**35)),
    st.builds(Fraction, st.integers(-(2**80), 2**80), st.integers(1, 2**70)),
)
pairs = st.integers(1, 12).flatmap(lambda n: st.tuples(st.lists(numbers, min_size=n, max_size=n),
                                                       st.lists(numbers, min_size=n, max_size=n)))


def _fraction(q):
    return Fraction(int(q.p), int(q.q))


@settings(max_examples=300, deadline=2000, derandomize=True)
@given(pairs, numbers)
def test_arithmetic_and_comparisons_match_fractions(pair, scalar):
    xs, ys = pair
    a, b = RationalArray(xs), RationalArray(ys)
    assert (a + b).to_fractions() == [x + y for x, y in zip(xs, ys)]
    assert (a - b).to_fractions() == [x - y for x, y in zip(xs, ys)]
    assert (a * b).to_fractions() == [x * y for x, y in zip(xs, ys)]
    assert (a * scalar + scalar).to_fractions() == [x * scalar + scalar for x in xs]
    assert (-a).to_fractions() == [-x for x in xs]
    if all(ys):
        assert (a / b).to_fractions() == [x / y for x, y in zip(xs, ys)]
    assert (a < b).tolist() == [x < y for x, y in zip(xs, ys)]
    assert (a >= scalar).tolist() == [x >= scalar for x in xs]
    assert a.equals(b).tolist() == [x == y for x, y in zip(xs, ys)]
    assert _fraction(a.min()) == min(xs) and _fraction(a.max()) == max(xs)
    mask = np.array([x < y for x, y in zip(xs, ys)])
    assert RationalArray.where(mask, a, b).to_fractions() == [min(x, y) for x, y in zip(xs, ys)]
    positions = np.array([0, len(xs)])
    assert a.insert(positions, RationalArray([1, 2])).to_fractions() == [Fraction(1)] + xs + [Fraction(2)]


def test_overflow_moves_to_fmpq_and_stays_exact():
    a = RationalArray([Fraction(2**29 + 1, 3), Fraction(-1, 2**29)])
    assert a.is_small
    b = a * a * a
    assert not b.is_small
    assert b.to_fractions() == [Fraction(2**29 + 1, 3) ** 3, Fraction(-1, 2**87)]


def test_division_by_zero():
    with pytest.raises(ZeroDivisionError):
        RationalArray([1, 2]) / RationalArray([1, 0])
