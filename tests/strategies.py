"""Shared hypothesis strategies and the sympy ground truth the fast engine is compared with."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from fractions import Fraction

import networkx as nx
import sympy
from hypothesis import strategies as st

from symdepth import Network, activations
from symdepth.numbers import to_sympy

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
    """sympy did not produce the ground truth: it took longer than allotted or raised
    NotImplementedError (sympy.series has gaps for some compositions)."""


def sympy_taylor(net: Network, degree: int, seconds: float | None = None) -> sympy.Expr:
    """Ground truth, independent of symdepth's engine: sympy.series in a scaling variable t
    (x → t·x), neuron by neuron in topological order.  σ(u(t)) mod t^(d+1) depends only on
    u mod t^(d+1), so each neuron's series is truncated before it feeds the next layer — the
    same mathematics as one series of the closed form, without sympy expanding a nested
    expression (which is slow and erratic).

    With ``seconds``, raise GroundTruthTimeout when sympy takes longer (SIGALRM, main thread).
    """
    if seconds is None:
        return _layered_series(net, degree)
    try:
        with time_limit(seconds, GroundTruthTimeout):
            return _layered_series(net, degree)
    except NotImplementedError:
        raise GroundTruthTimeout from None


class Hang(AssertionError):
    """A call exceeded its per-example time limit: treated as a hang, i.e. a failure."""


@contextmanager
def time_limit(seconds: float, error: type[BaseException] = Hang) -> Iterator[None]:
    """Raise ``error`` in the main thread if the block runs longer than ``seconds`` (SIGALRM).

    An outer alarm (pytest-timeout's) is restored afterwards with the time it had left, so
    limits nest."""

    def _alarm(signum, frame):
        raise error(f"exceeded the per-example limit of {seconds} s")

    started = time.monotonic()
    previous = signal.signal(signal.SIGALRM, _alarm)
    outer_remaining, _ = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_remaining:
            signal.setitimer(signal.ITIMER_REAL, max(outer_remaining - (time.monotonic() - started), 0.001))


def _layered_series(net: Network, degree: int) -> sympy.Expr:
    t = sympy.Symbol("t")
    series: dict = {}
    for node in nx.topological_sort(net.graph):
        data = net.graph.nodes[node]
        if data["kind"] == "input":
            series[node] = t * sympy.Symbol(node)
            continue
        pre = to_sympy(data["bias"]) + sympy.Add(
            *[to_sympy(w) * series[u] for u, _, w in net.graph.in_edges(node, data="weight")])
        if data["kind"] == "output":
            return sympy.expand(sympy.expand(pre).subs(t, 1))
        expansion = sympy.expand(sympy.series(data["activation"].sympy(sympy.expand(pre)), t, 0, degree + 1).removeO())
        # sympy may leave a coefficient as an uncancelled quotient of polynomials in the x's
        series[node] = sympy.Add(*[sympy.cancel(expansion.coeff(t, k)) * t**k for k in range(degree + 1)])
    raise AssertionError("network without output")
