"""The series engine's own algorithms against the textbook recurrences."""

from __future__ import annotations

import flint
from hypothesis import given, settings
from hypothesis import strategies as st

from symdepth.series.line import _NmodExp

P = 2596871869076782069  # a prime ≡ 1 (mod 4) in [2^61, 2^62)


def _exp_by_recurrence(v: list[int], n: int) -> list[int]:
    # y = exp v  ⇔  k·y_k = Σ_{j=1..k} j·v_j·y_{k−j}
    y = [1] + [0] * (n - 1)
    for k in range(1, n):
        total = sum(j * v[j] * y[k - j] for j in range(1, min(k, len(v) - 1) + 1))
        y[k] = total * pow(k, -1, P) % P
    return y


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    n=st.integers(1, 200),
    valuation=st.integers(1, 220),
    coefficients=st.lists(st.integers(0, P - 1), min_size=0, max_size=220),
)
def test_modular_exp_and_its_inverse(n, valuation, coefficients):
    # covers both branches: the short exponential sum (n ≤ 9·valuation) and Newton iteration
    v = [0] * valuation + coefficients
    series = _NmodExp(flint.nmod_poly(v, P), n)
    expected = _exp_by_recurrence(v, n)
    assert [int(c) for c in series.value.coeffs()] + [0] * (n - series.value.length()) == expected
    product = (series.value * series.inverse()).truncate(n)
    assert product == flint.nmod_poly([1], P)
