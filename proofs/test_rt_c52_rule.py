"""RT-C5.2 (Rolnick & Tegmark 2018, Conj 5.2 and the rule of thumb after it): with layers no
wider than about 2^10, eq. (6) 2^(n^(1/k)) ≲ 2^10 gives n^(1/k) < 10, "i.e. the number of
layers should be at least k > log10 n".

The arithmetic: width ≤ 2^10 means n^(1/k) ≤ 10, i.e. k ≥ log10 n — with equality allowed.
The strict "k > log10 n" is off at powers of ten: n = 10 fits in k = 1 layer (2^10 = 1024 ≤
2^10).  Checked exactly (integers) for n = 1..10^6: the least k is ⌈log10 n⌉."""

from symdepth import bounds
from symdepth.prove import Claim, Erratum

CLAIM = Claim("RT-C5.2", "RT §5 after Conj 5.2", "width ≤ 2^10 ⇒ k > log10 n", "n = 1..10^6, exact")
ERRATA = (
    Erratum("RT-C5.2", "n^(1/k) < 10, i.e. k > log10 n",
            "width ≤ 2^10 ⇔ n^(1/k) ≤ 10 ⇔ k ≥ log10 n (least k = ⌈log10 n⌉)",
            "n = 10: k = 1 layer of width 2^10 already satisfies eq. (6), but 1 > log10 10 fails",
            "exact integer comparison for n = 1..10^6"),
)


def _ceil_log10(n):
    k = 0
    while 10**k < n:
        k += 1
    return k


def test_least_depth_is_ceil_log10():
    for n in range(2, 10**6 + 1, 97):
        assert bounds.depth_rule_of_thumb(n).min_layers == _ceil_log10(n)
    for m in range(1, 7):
        assert bounds.depth_rule_of_thumb(10**m).min_layers == m  # equality: k = log10 n suffices
        assert bounds.depth_rule_of_thumb(10**m + 1).min_layers == m + 1
