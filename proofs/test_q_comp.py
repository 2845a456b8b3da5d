"""Q-COMP (why-depth question, answer): composition gives exponentially many oscillations with
linear size.  Exact: the l-fold tent map is a width-2 ReLU network with 2l neurons and
Cr = 2^l + 1 (TEL-TRI), while a one-hidden-layer ReLU network with m neurons has at most m + 1
pieces and Cr ≤ 2(m + 1).  Sweep l = 1..14."""

from symdepth import piecewise
from symdepth.prove import Claim

CLAIM = Claim("Q-COMP", "Q (answer)", "composition gives exponentially many oscillations with linear size",
              "l = 1..14")


def test_composition_versus_width():
    for layers in range(1, 15):
        net = piecewise.sawtooth(layers)
        assert net.num_neurons == 2 * layers
        cr = piecewise.crossings(piecewise.sawtooth_function(layers))
        assert cr == 2**layers + 1
        shallow_neurons_needed = (cr - 2 + 1) // 2  # from Cr ≤ 2(m + 1)
        assert shallow_neurons_needed >= 2 ** (layers - 1) - 1
