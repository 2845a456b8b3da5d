"""TEL-SEP (Telgarsky 2016, Theorem 1.1 as summarised in the depth-separation notes):
Θ(k³)-layer networks of constant width cannot be approximated by O(k)-layer networks with
o(2^k) nodes.

Both sides are measured on ReLU networks, exactly:
* deep: sawtooth(l) (width 2, 2l neurons) evaluated by ``piecewise.from_network`` has
  Cr = 2^l + 1 for every l ≤ 16 (cube depths l = k³ for k = 1, 2; beyond, the composition law
  of TEL-TRI gives 2^(k³) + 1);
* shallow: a k-layer network with m nodes has Cr ≤ (1 + m/k)^k + 1 (TEL-NET's bound) —
  measured on random k-layer nets, k = 1..3, against an independent region walk, and shown
  nearly attained: k layers of 2t ReLUs computing t-tooth maps give Cr = (2t)^k + 1 against
  the bound (2t + 1)^k + 1;
* the separation: matching Cr = 2^(k³) + 1 with k layers needs (1 + m/k)^k ≥ 2^(k³), i.e. the
  least m is k·(2^(k²) − 1), decided in exact integers for k = 1..6 — exponential in k², so not
  o(2^k), while the deep network has 2k³ neurons."""

import random
from fractions import Fraction

import pytest

from symdepth import Network, piecewise
from symdepth.prove import Claim

from .independent import crossings_by_definition, walk_pieces

CLAIM = Claim("TEL-SEP", "Telgarsky 2016 Thm 1.1 (NOTES)", "Θ(k³)-layer constant-width nets vs O(k)-layer o(2^k)-node "
              "nets", "deep: Cr of sawtooth(l) from the network, l ≤ 16; shallow: random k-layer nets k ≤ 3 and "
              "t-tooth compositions; least m for k = 1..6 in integers", model="ReLU networks on [0, 1]")
UNIT = (Fraction(0), Fraction(1))


@pytest.mark.parametrize("layers", range(1, 17))
def test_deep_side(layers):
    net = piecewise.sawtooth(layers)
    assert net.num_neurons == 2 * layers and max(net.layer_sizes) == 2
    assert piecewise.crossings(piecewise.from_network(net, domain=UNIT)) == 2**layers + 1


def _random_layered(seed, k):
    rng = random.Random(seed)
    net = Network(1, "relu")
    previous, widths = ["x1"], []
    for _ in range(k):
        width = rng.randint(1, 4)
        previous = [net.add_neuron({u: Fraction(rng.randint(-6, 6), 2) for u in previous},
                                   Fraction(rng.randint(-4, 4), 4)) for _ in range(width)]
        widths.append(width)
    net.set_output({u: rng.choice([-2, -1, 1, 2]) for u in previous})
    return net, sum(widths)


@pytest.mark.parametrize("k", [1, 2, 3])
def test_shallow_side_bound(k):
    for seed in range(15):
        net, m = _random_layered(100 * k + seed, k)
        f = piecewise.from_network(net, domain=(-2, 2))
        walked = walk_pieces(net, -2, 2)
        assert f.num_pieces == len(walked)
        cr = piecewise.crossings(f, Fraction(1, 2))
        assert cr == crossings_by_definition(walked, Fraction(1, 2))
        assert cr <= (1 + Fraction(m, k)) ** k + 1


def _tooth_layers(t, k):
    """k layers of 2t ReLUs, each computing the t-tooth map u ↦ Σ_j c_j·relu(u − j/(2t)) on [0, 1]."""
    coefficients = [2 * t] + [(-1) ** j * 4 * t for j in range(1, 2 * t)]
    net = Network(1, "relu")
    signal = {"x1": 1}
    for _ in range(k):
        layer = [net.add_neuron(dict(signal), Fraction(-j, 2 * t)) for j in range(2 * t)]
        signal = dict(zip(layer, coefficients))
    net.set_output(signal)
    return net


@pytest.mark.parametrize("t,k", [(1, 1), (1, 3), (2, 1), (2, 2), (2, 3), (3, 2), (3, 3), (4, 2)])
def test_shallow_bound_is_nearly_attained(t, k):
    net = _tooth_layers(t, k)
    m = net.num_neurons
    assert m == 2 * t * k and net.depth == k
    cr = piecewise.crossings(piecewise.from_network(net, domain=UNIT))
    assert cr == (2 * t) ** k + 1
    assert cr <= (1 + Fraction(m, k)) ** k + 1 == (2 * t + 1) ** k + 1


def _least_nodes(k, target):
    """Least m with (1 + m/k)^k ≥ target, i.e. (k + m)^k ≥ k^k·target, in exact integers."""
    lo, hi = 0, 1
    while (k + hi) ** k < k**k * target:
        hi *= 2
    while lo < hi:
        mid = (lo + hi) // 2
        if (k + mid) ** k >= k**k * target:
            hi = mid
        else:
            lo = mid + 1
    return lo


@pytest.mark.parametrize("k", range(1, 7))
def test_separation(k):
    m = _least_nodes(k, 2 ** (k**3))
    assert m == k * (2 ** (k * k) - 1)          # the closed form
    assert piecewise.sawtooth(k**3).num_neurons == 2 * k**3
    if k >= 2:
        assert m > 2**k and m > 2 * k**3      # not o(2^k), and more than the deep network's 2k³
