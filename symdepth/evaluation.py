"""A network's value at a point, one matrix product per layer.

:meth:`Network.node_values <symdepth.network.Network.node_values>` follows the graph edge by
edge in exact, possibly symbolic, arithmetic: right for the papers' small constructions, far
too slow for a published 6×200 net (a sigmoid of a rational is a sympy expression, and the
next layer sums two hundred of them).  Here the neurons are grouped by layer and each layer is
one product of its weight matrix with the vector of the values it reads (skip connections
included: a layer's columns are whatever nodes feed it):

- exactly, with python-flint's ``fmpq_mat``, when the weights, biases and the point are
  rational and every activation maps rationals to rationals (ReLU, leaky ReLU, hard tanh,
  polynomials);
- in ``arb`` balls (``arb_mat``) when digits are asked for: the working precision is raised
  until the output ball is narrow enough, so every digit returned is proven.

The matrices are built once per network and kept with a snapshot of the graph's nodes, edges
and weights; the snapshot is compared on every call (a list comparison, no arithmetic), so an
edit through ``net.graph`` itself is seen as surely as one through the Network's methods.
Anything the layer products do not cover (a generic σ, an irrational point for an exact value)
returns None, and the caller takes the edge-by-edge path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from operator import itemgetter
from typing import Any

import flint
import networkx as nx
import numpy as np

from .errors import SymdepthError
from .frameworks.folding import fmpq_matrix
from .numbers import Exact, is_rational
from .series import activation_balls, ball, ball_precision

__all__ = ["layered_value", "layered_digits"]

_RATIONAL_ACTIVATIONS = ("relu", "leaky_relu", "hard_tanh", "polynomial")
_WEIGHT = itemgetter("weight")


@dataclass(frozen=True)
class _Layer:
    nodes: tuple          # the layer's neurons (or the output alone), in a fixed order
    sources: tuple        # the nodes they read, in a fixed order: the matrix's columns
    weights: tuple        # rows of exact weights, one per node
    biases: tuple
    activations: tuple    # one per node; None for the output
    matrix: Any           # the weights as an fmpq_mat when they are all rational, else None


@dataclass(frozen=True)
class _Plan:
    inputs: tuple
    layers: tuple
    rational: bool        # all weights and biases rational: the exact product applies
    balls: dict = field(default_factory=dict)  # precision → the layers' arb_mats, built once each


def graph_snapshot(graph: nx.DiGraph) -> tuple:
    """What the plan depends on, cheap to build and to compare: nodes with their data, and
    per node its successors and their weights (identical objects compare without arithmetic)."""
    nodes = [(n, d.get("kind"), d.get("bias"), d.get("activation")) for n, d in graph.nodes(data=True)]
    targets: list = []
    weights: list = []
    for _, successors in graph.adjacency():
        targets.extend(successors)
        weights.extend(map(_WEIGHT, successors.values()))
    return nodes, targets, weights


def _build(net: Any) -> _Plan:
    net.validate()
    graph = net.graph
    layer_of = net.layers()
    groups: dict = {}
    for node in nx.topological_sort(graph):
        if graph.nodes[node]["kind"] != "input":
            groups.setdefault(layer_of[node], []).append(node)
    layers = []
    for index in sorted(groups):
        nodes = tuple(groups[index])
        sources = tuple(dict.fromkeys(u for v in nodes for u in graph.predecessors(v)))
        column = {u: j for j, u in enumerate(sources)}
        rows = []
        for v in nodes:
            row: list = [0] * len(sources)
            for u, w in graph.pred[v].items():
                row[column[u]] = w["weight"]
            rows.append(tuple(row))
        biases = tuple(graph.nodes[v]["bias"] for v in nodes)
        rational = all(is_rational(w) for row in rows for w in row)
        layers.append(_Layer(nodes, sources, tuple(rows), biases, tuple(graph.nodes[v].get("activation") for v in nodes),
                             fmpq_matrix(np.array(rows, dtype=object).reshape(len(rows), len(sources))) if rational else None))
    rational = all(layer.matrix is not None and all(map(is_rational, layer.biases)) for layer in layers)
    return _Plan(tuple(net.inputs), tuple(layers), rational)


def layer_plan(net: Any) -> _Plan:
    """The network as layers of fmpq matrices (rational weights), kept on the network while
    its graph is unchanged."""
    snapshot = graph_snapshot(net.graph)
    cached = getattr(net, "_layer_plan", None)
    if cached is not None and cached[0] == snapshot:
        return cached[1]
    plan = _build(net)
    net._layer_plan = (snapshot, plan)
    return plan


def _fmpq(value: Exact) -> Any:
    if type(value) is int:
        return flint.fmpq(value)
    return flint.fmpq(value.numerator, value.denominator)  # a Fraction (the callers check is_rational)


def _rational_activation(act: Any, u: Any) -> Any:
    name = act.name
    if name == "relu":
        return u if u > 0 else flint.fmpq(0)
    if name == "leaky_relu":
        return u if u > 0 else _fmpq(act.coefficients[0]) * u
    if name == "hard_tanh":
        return max(flint.fmpq(-1), min(flint.fmpq(1), u))
    out = flint.fmpq(0)
    for c in reversed(act.coefficients):
        out = out * u + _fmpq(c)
    return out


def layered_value(net: Any, values: dict) -> Exact | None:
    """N at the exact point ``values`` (input name → number), one ``fmpq_mat`` product per
    layer; None when the point, a weight or an activation is not rational (the caller then
    evaluates edge by edge).

    Examples
    --------
    >>> from symdepth import Network
    >>> net = Network.from_layers([[[1, -1]], [[2]]], [[0], [Fraction(1, 3)]], "relu")
    >>> layered_value(net, {"x1": Fraction(1, 2), "x2": -1})
    Fraction(10, 3)
    >>> layered_value(Network.from_layers([[[1]], [[1]]], [[0], [0]], "tanh"), {"x1": 1}) is None
    True
    """
    plan = layer_plan(net)
    acts = {a for layer in plan.layers for a in layer.activations if a is not None}
    if not plan.rational or not all(is_rational(values[x]) for x in plan.inputs) or any(
            a.name not in _RATIONAL_ACTIVATIONS or not all(is_rational(c) for c in a.coefficients) for a in acts):
        return None
    current = {x: _fmpq(values[x]) for x in plan.inputs}
    for layer in plan.layers:
        pre = layer.matrix * flint.fmpq_mat(
            len(layer.sources), 1, [current[u] for u in layer.sources])
        for i, (node, bias, act) in enumerate(zip(layer.nodes, layer.biases, layer.activations)):
            u = pre[i, 0] + _fmpq(bias)
            current[node] = u if act is None else _rational_activation(act, u)
    out = current[plan.layers[-1].nodes[-1]]
    value = Fraction(int(out.p), int(out.q))
    return value.numerator if value.denominator == 1 else value


def _matrix(kind: Any, rows: tuple, convert: Any) -> Any:
    return kind(len(rows), len(rows[0]) if rows else 0, [convert(w) for row in rows for w in row])


def layered_digits(net: Any, values: dict, dps: int) -> Any:
    """N at the point ``values`` as an mpmath number with ``dps`` proven digits: layer
    products in ``arb`` balls, the precision doubled until the output ball is narrow enough
    (relative error below 10^−dps, or absolute when the value is within 10^−dps of 0).

    Examples
    --------
    >>> import mpmath
    >>> from symdepth import Network
    >>> net = Network.from_layers([[[1]], [[1]]], [[0], [0]], "sigmoid")
    >>> mpmath.nstr(layered_digits(net, {"x1": 1}, 25), 25)
    '0.7310585786300048792511592'
    """
    import mpmath

    plan = layer_plan(net)
    acts = {a for layer in plan.layers for a in layer.activations if a is not None}
    if any(a.is_generic for a in acts):
        raise SymdepthError("a network with a generic σ has no numeric value; give a concrete activation")
    wanted = math.ceil(dps * math.log2(10)) + 4
    bits = wanted + 32
    for _ in range(8):
        with ball_precision(bits):
            out = _ball_output(plan, values)
        radius, middle = out.rad(), out.mid()
        if radius <= abs(middle) * flint.arb(2) ** -wanted or radius <= flint.arb(2) ** -wanted:
            man, exp = middle.man_exp()
            with mpmath.workdps(dps):
                return mpmath.ldexp(mpmath.mpf(int(man)), int(exp))
        bits *= 2
    raise SymdepthError(f"the value could not be enclosed to {dps} digits at {bits // 2} bits of precision")


def _ball_output(plan: _Plan, values: dict) -> Any:
    current = {x: ball(values[x]) for x in plan.inputs}
    precision = flint.ctx.prec
    if precision not in plan.balls:  # an arb_mat is rounded at the precision it is made at
        plan.balls[precision] = [flint.arb_mat(layer.matrix) if layer.matrix is not None
                                 else _matrix(flint.arb_mat, layer.weights, ball) for layer in plan.layers]
    for layer, weights in zip(plan.layers, plan.balls[precision]):
        pre = weights * flint.arb_mat(len(layer.sources), 1, [current[u] for u in layer.sources])
        for i, (node, bias, act) in enumerate(zip(layer.nodes, layer.biases, layer.activations)):
            u = pre[i, 0] + ball(bias)
            current[node] = u if act is None else activation_balls(act, u)[0]
    return current[plan.layers[-1].nodes[-1]]
