"""Shared hypothesis strategies and the sympy ground truth the fast engine is compared with."""

from __future__ import annotations

import signal
from fractions import Fraction

import sympy
from hypothesis import strategies as st

from symdepth import Network, activations

# Biases at which each activation's Taylor coefficients are rational (see activations.py),
# so that sympy's ground truth and ours can be compared exactly.
RATIONAL_SEED_BIASES = {
    "exp": [0],
    "tanh": [0, sympy.atanh(sympy.Rational(1, 2))],
    "sigmoid": [0, -sympy.log(2)],
    "softplus": [0],
    "sin": [0, sympy.atan(sympy.Rational(3, 4))],
    "cos": [0],
    "arctan": [0, 1, Fraction(-1, 2)],
    "poly": [0, 1, Fraction(1, 2)],
}

weights = st.sampled_from([-2, -1, Fraction(-1, 2), Fraction(1, 3), 1, 2])


@st.composite
def small_networks(draw, max_inputs=3, max_neurons=6, max_depth=3):
    """Random DAG networks: 1–3 inputs, ≤ 6 neurons in ≤ 3 layers, mixed activations."""
    n = draw(st.integers(1, max_inputs))
    name = draw(st.sampled_from(sorted(RATIONAL_SEED_BIASES)))
    act = activations.polynomial([1, 1, Fraction(1, 2), Fraction(-1, 3)]) if name == "poly" else activations.get(name)
    net = Network(n, act)
    layers = [list(net.inputs)]
    budget = draw(st.integers(1, max_neurons))
    depth = draw(st.integers(1, max_depth))
    for _ in range(depth):
        if budget == 0:
            break
        width = draw(st.integers(1, min(budget, 3)))
        budget -= width
        layer = []
        available = [u for layer_nodes in layers for u in layer_nodes]
        for _ in range(width):
            chosen = draw(st.lists(st.sampled_from(available), min_size=1, max_size=3, unique=True))
            bias = draw(st.sampled_from(RATIONAL_SEED_BIASES[name])) if len(layers) == 1 else 0
            layer.append(net.add_neuron({u: draw(weights) for u in chosen}, bias))
        layers.append(layer)
    last = layers[-1]
    net.set_output({u: draw(weights) for u in last}, draw(weights))
    # neurons of earlier layers that nothing reads also feed the output, so the net is valid
    for node in net.neurons:
        if not net.graph.out_degree(node):
            net.set_weight(node, net.output, draw(weights))
    return net


class GroundTruthTimeout(Exception):
    """sympy did not finish the ground truth within the allotted time."""


def sympy_taylor(net: Network, degree: int, seconds: int | None = None) -> sympy.Expr:
    """Ground truth: sympy.series of the closed form in a scaling variable t (x → t·x).

    With ``seconds``, raise GroundTruthTimeout when sympy takes longer (SIGALRM, main thread).
    """
    t = sympy.Symbol("t")
    expr = net.to_sympy().xreplace({sympy.Symbol(x): t * sympy.Symbol(x) for x in net.inputs})
    if seconds is None:
        return sympy.expand(sympy.series(expr, t, 0, degree + 1).removeO().subs(t, 1))

    def _alarm(signum, frame):
        raise GroundTruthTimeout

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        return sympy.expand(sympy.series(expr, t, 0, degree + 1).removeO().subs(t, 1))
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
