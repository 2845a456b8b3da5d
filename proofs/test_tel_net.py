"""TEL-NET (Telgarsky 2016, as summarised in the depth-separation notes): an
l-layer network with m nodes of (t, α)-poly activations has Cr ≤ O((tmα/l)^l β^{l²}).

For ReLU (t = 2, α = 1, β = 1) we check the concrete form behind it: on a line, a layer of
width m_i turns a function of P pieces into one of at most P·(m_i + 1) pieces, so
pieces ≤ ∏(m_i + 1) ≤ (1 + m/l)^l by AM–GM, and a continuous piecewise-linear function
with P pieces has Cr ≤ P + 1 (each closed linear piece changes 1[f ≥ τ] at most once).

Measured exactly, with a lower side: the pieces and crossing numbers that
``piecewise.from_network`` reports must equal an independent walk through the activation
regions (``proofs/independent.py``: plain Fractions, one forward pass per region), so both
over- and under-counting fail.  Sweep: 40 random ReLU nets (1–4 layers, widths 1–5), 30
perturbed sawtooth nets (2–3 neurons per layer, 3–7 layers: the regime where depth
multiplies pieces), and sawtooth(l) for l ≤ 12, where pieces = 2^l hits the depth-l growth."""

import math
import random
from fractions import Fraction

import pytest

from symdepth import Network, activations, piecewise
from symdepth.prove import Claim

from .independent import crossings_by_definition, walk_pieces

CLAIM = Claim("TEL-NET", "Telgarsky 2016 (NOTES)", "Cr of an l-layer network ≤ O((tmα/l)^l β^{l²})",
              "40 random ReLU nets (1–4 layers, widths 1–5); 30 perturbed sawtooth nets (3–7 layers); "
              "sawtooth l ≤ 12; pieces and Cr against an independent region walk",
              model="ReLU networks on an interval of the line, any DAG")
DOMAIN = (Fraction(-4), Fraction(4))


def _random_relu_net(seed, activation="relu"):
    rng = random.Random(seed)
    widths = [rng.randint(1, 5) for _ in range(rng.randint(1, 4))]
    net = Network(1, activation)
    previous = ["x1"]
    for width in widths:
        previous = [net.add_neuron({u: rng.choice([-3, -2, -1, 1, 2, 3]) for u in previous}, rng.randint(-3, 3))
                    for _ in range(width)]
    net.set_output({u: rng.choice([-2, -1, 1, 2]) for u in previous}, 0)
    return net, widths


def _perturbed_sawtooth(seed):
    """Tent-map layers (relu(2u), relu(2u − 1), relu(2u − 2)·0…) with small random changes of
    weights and biases: folds that keep multiplying the pieces, without exact symmetry."""
    rng = random.Random(seed)
    layers = rng.randint(3, 7)
    net = Network(1, "relu")
    signal = {"x1": Fraction(1)}
    widths = []
    for _ in range(layers):
        width = rng.choice([2, 2, 3])
        nodes = []
        for k in range(width):
            jitter = Fraction(rng.randint(-3, 3), 64)
            nodes.append(net.add_neuron({u: (width + jitter) * w for u, w in signal.items()},
                                        -k + Fraction(rng.randint(-2, 2), 64)))
        signs = [1, -2, 2][:width]
        signal = {n: Fraction(s) + Fraction(rng.randint(-2, 2), 64) for n, s in zip(nodes, signs)}
        widths.append(width)
    net.set_output(signal)
    return net, widths


def _leaky_net(seed):
    """The random family with leaky ReLU (slope 1/10): its pieces differ from ReLU's."""
    return _random_relu_net(seed, activations.get("leaky_relu", slope=Fraction(1, 10)))


FAMILIES = {"random": _random_relu_net, "sawtooth-like": _perturbed_sawtooth, "leaky": _leaky_net}
CASES = ([("random", seed) for seed in range(40)] + [("sawtooth-like", seed) for seed in range(30)]
         + [("leaky", seed) for seed in range(10)])


@pytest.mark.parametrize("family,seed", CASES)
def test_pieces_and_crossings_within_the_bound(family, seed):
    net, widths = FAMILIES[family](seed)
    f = piecewise.from_network(net, domain=DOMAIN)
    walked = walk_pieces(net, *DOMAIN)
    assert f.num_pieces == len(walked)                       # neither over- nor under-counted
    layers, m = len(widths), sum(widths)
    assert f.num_pieces <= math.prod(w + 1 for w in widths) <= (1 + Fraction(m, layers)) ** layers
    for threshold in (0, Fraction(1, 2), 1, -1):
        cr = piecewise.crossings(f, threshold)
        assert cr == crossings_by_definition(walked, threshold)
        assert cr <= f.num_pieces + 1


def test_sweep_reaches_the_depth_regime():
    """The sweep is not vacuous: the sawtooth-like nets grow pieces geometrically in depth."""
    grown = [piecewise.from_network(net, domain=DOMAIN).num_pieces
             for net, widths in map(_perturbed_sawtooth, range(30)) if len(widths) >= 6]
    assert grown and max(grown) >= 2**6


@pytest.mark.parametrize("layers", range(1, 13))
def test_sawtooth_attains_exponential_growth(layers):
    net = piecewise.sawtooth(layers)
    f = piecewise.from_network(net, domain=(0, 1))
    assert f.num_pieces == 2**layers and piecewise.crossings(f) == 2**layers + 1
    assert f.num_pieces <= 3**layers   # ∏(m_i + 1) with m_i = 2
    if layers <= 9:
        walked = walk_pieces(net, 0, 1)
        assert len(walked) == 2**layers and crossings_by_definition(walked, Fraction(1, 2)) == 2**layers + 1
