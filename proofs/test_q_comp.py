"""Q-COMP (the "why depth" question, answer on composition): composing layers gives
exponentially many oscillations with linear size, which one wide layer cannot match.

Exact, on ReLU networks of one input:
* deep: the l-fold tent map as a ReLU network of width 2 (2l neurons, l layers), evaluated
  by ``piecewise.from_network``, has Cr = 2^l + 1 (l = 1..14; the pieces against an
  independent region walk for l ≤ 9);
* shallow, measured: a one-hidden-layer ReLU network with m neurons has at most m + 1 pieces,
  so Cr ≤ m + 2 — checked on 60 random one-layer nets (m = 1..12) against the region walk;
* shallow, attained: the sawtooth written as one layer of 2^l ReLUs (one per slope change)
  is the same function, so one layer needs between 2^l − 1 and 2^l neurons where depth needs 2l."""

import random
from fractions import Fraction

import pytest

from symdepth import Network, activations, piecewise
from symdepth.prove import Claim

from .independent import crossings_by_definition, walk_pieces

CLAIM = Claim("Q-COMP", "Q (answer on composition)", "composition gives exponentially many oscillations with "
              "linear size", "deep l = 1..14; 60 random one-layer nets m ≤ 12; one-layer sawtooth l ≤ 10",
              model="ReLU networks on [0, 1]")
UNIT = (Fraction(0), Fraction(1))


@pytest.mark.parametrize("layers", range(1, 15))
def test_deep_network_oscillates_exponentially(layers):
    net = piecewise.sawtooth(layers)
    assert net.num_neurons == 2 * layers and net.depth == layers
    f = piecewise.from_network(net, domain=UNIT)
    assert piecewise.crossings(f) == 2**layers + 1
    if layers <= 9:
        assert crossings_by_definition(walk_pieces(net, *UNIT), Fraction(1, 2)) == 2**layers + 1


def _random_shallow(seed):
    rng = random.Random(seed)
    m = 1 + seed % 12
    # every fifth net uses leaky ReLU: the count must not depend on the activation being ReLU
    net = Network(1, activations.get("leaky_relu", slope=Fraction(1, 8)) if seed % 5 == 4 else "relu")
    hidden = [net.add_neuron({"x1": Fraction(rng.randint(-8, 8), 2) or 1}, Fraction(rng.randint(-8, 8), 4))
              for _ in range(m)]
    net.set_output({h: Fraction(rng.randint(-6, 6), 2) or 1 for h in hidden}, Fraction(rng.randint(-4, 4), 4))
    return net, m


@pytest.mark.parametrize("seed", range(60))
def test_one_hidden_layer_has_few_oscillations(seed):
    net, m = _random_shallow(seed)
    f = piecewise.from_network(net, domain=(-4, 4))
    walked = walk_pieces(net, -4, 4)
    assert f.num_pieces == len(walked) <= m + 1
    for threshold in (0, Fraction(1, 2), 1):
        assert piecewise.crossings(f, threshold) == crossings_by_definition(walked, threshold) <= m + 2


def _one_layer_sawtooth(layers):
    """x ↦ n·relu(x) + Σ_{k=1}^{n−1} (−1)^k·2n·relu(x − k/n), n = 2^l: slope ±n alternating."""
    n = 2**layers
    net = Network(1, "relu")
    hidden = {net.add_neuron({"x1": 1}, Fraction(-k, n)): (n if k == 0 else (-1) ** k * 2 * n) for k in range(n)}
    net.set_output(hidden)
    return net


@pytest.mark.parametrize("layers", range(1, 11))
def test_one_layer_needs_exponential_width(layers):
    shallow = _one_layer_sawtooth(layers)
    f = piecewise.from_network(shallow, domain=UNIT)
    saw = piecewise.sawtooth_function(layers)
    assert f.breakpoints == saw.breakpoints
    assert all(f(x) == saw(x) for x in f.breakpoints)
    cr = piecewise.crossings(f)
    assert cr == 2**layers + 1
    least_width = cr - 2                     # from Cr ≤ m + 2
    assert least_width == 2**layers - 1 and shallow.num_neurons == 2**layers
    assert least_width > 2 * layers or layers <= 2
