"""RT-C5.2 (Rolnick & Tegmark 2018, Conj 5.2 and the rule of thumb after it): with layers no
wider than about 2^10, eq. (6) m = 2^Θ(n^(1/k)) gives n^(1/k) < 10, "i.e. the number of layers
should be at least k > log10 n".

Eq. (6) read as a width budget, 2^(n^(1/k)) ≤ 2^10, is evaluated here directly — in
60-digit arithmetic on n^(1/k) with a margin, and exactly as n ≤ 10^k when the margin is too
small — and the least k it allows is compared with ``bounds.depth_rule_of_thumb`` and with
⌈log10 n⌉ read off the decimal digits of n − 1.  Every n = 1..10^5, and n = 10^m − 1, 10^m,
10^m + 1 for m ≤ 30.  The rule holds with k ≥ log10 n: at powers of ten the strict ">" of the
printed rule excludes the k = log10 n that eq. (6) allows — a boundary reading of a rule of
thumb, recorded as a note, not an erratum."""

import mpmath
import pytest

from symdepth import bounds
from symdepth.prove import Claim

CLAIM = Claim("RT-C5.2", "RT §5 after Conj 5.2", "width ≤ 2^10 ⇒ k > log10 n",
              "n = 1..10^5 and 10^m ± 1, 10^m for m ≤ 30; eq. (6) evaluated at 60 digits",
              model="eq. (6) read as a width budget 2^(n^(1/k)) ≤ 2^10",
              note="at n = 10^m, eq. (6) allows k = log10 n layers (2^(n^(1/k)) = 2^10 exactly), so the rule is "
                   "k ≥ log10 n; the printed strict '>' is a boundary reading of a rule of thumb")


def _fits(n, k):
    """2^(n^(1/k)) ≤ 2^10, i.e. n^(1/k) ≤ 10: at 60 digits when clearly decided, else exactly."""
    with mpmath.workdps(60):
        root = mpmath.root(n, k)
        if abs(root - 10) > mpmath.mpf(10) ** -40:
            return root < 10
    return n <= 10**k


def _least_layers_by_eq6(n):
    k = 1
    while not _fits(n, k):
        k += 1
    return k


def _ceil_log10(n):
    return 0 if n == 1 else len(str(n - 1))


def test_every_n_up_to_100000():
    boundary = {1, 2}
    for n in range(1, 10**5 + 1):
        rule = bounds.depth_rule_of_thumb(n).min_layers
        expected = max(_ceil_log10(n), 1)
        assert rule == expected
        if n in boundary or n % 997 == 0 or len(str(n)) != len(str(n - 1)):
            assert rule == _least_layers_by_eq6(n)


@pytest.mark.parametrize("m", range(1, 31))
def test_powers_of_ten(m):
    for n in (10**m - 1, 10**m, 10**m + 1):
        assert bounds.depth_rule_of_thumb(n).min_layers == _least_layers_by_eq6(n) == _ceil_log10(n)
    assert _least_layers_by_eq6(10**m) == m      # k = log10 n suffices: the strict rule is off here
