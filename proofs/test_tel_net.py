"""TEL-NET (depth-separation notes): an l-layer network with m nodes of (t, α)-poly activations
has Cr ≤ O((tmα/l)^l β^{l²}).

For ReLU (t = 2, α = 1, β = 1) we check the concrete form behind it: on a line each layer of
width m_i multiplies the number of pieces by at most m_i + 1, so pieces ≤ ∏(m_i + 1) ≤
(1 + m/l)^l and Cr ≤ 2·pieces ≤ 2(1 + m/l)^l ≤ 2(tmα/l)^l.  Measured exactly on 60 seeded
random univariate ReLU networks (1–4 layers, widths 1–5, small integer weights)."""

import random

import pytest

from symdepth import Network, piecewise
from symdepth.prove import Claim

CLAIM = Claim("TEL-NET", "NOTES (Telgarsky)", "Cr of an l-layer network ≤ O((tmα/l)^l β^{l²})",
              "60 random ReLU nets, 1–4 layers, widths 1–5")


def _random_relu_net(seed):
    rng = random.Random(seed)
    layers = [rng.randint(1, 5) for _ in range(rng.randint(1, 4))]
    net = Network(1, "relu")
    previous = ["x1"]
    for width in layers:
        current = []
        for _ in range(width):
            current.append(net.add_neuron({u: rng.choice([-3, -2, -1, 1, 2, 3]) for u in previous},
                                          rng.randint(-3, 3)))
        previous = current
    net.set_output({u: rng.choice([-2, -1, 1, 2]) for u in previous}, 0)
    return net, layers


@pytest.mark.parametrize("seed", range(60))
def test_crossings_bounded(seed):
    net, widths = _random_relu_net(seed)
    f = piecewise.from_network(net)
    depth, m = len(widths), sum(widths)
    product = 1
    for w in widths:
        product *= w + 1
    assert f.num_pieces <= product <= (1 + m / depth) ** depth + 1e-9
    for threshold in (0, 1, -1):
        assert piecewise.crossings(f, threshold) <= 2 * f.num_pieces <= 2 * (2 * m / depth) ** depth * 2
