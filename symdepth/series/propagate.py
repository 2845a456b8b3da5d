"""Propagation of a truncated power series through a network, in any ring of this package.

:func:`network_series` is the algorithm, written once: walk the graph in topological order;
a neuron's input is a linear combination of its predecessors' series; its output is
σ(c + v) − σ(c), built by the activation's *recipe* (:mod:`symdepth.activations`) from the
ring's operations.  Constant terms (the values at the expansion point) are exact numbers
kept outside the ring (:meth:`Network.node_values`), so that a transcendental bias such as
``atanh(1/2)`` never enters the ring, only the rational coefficients it produces.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import networkx as nx

from ..errors import SymdepthError
from ..numbers import Exact
from .fields import RATIONALS, exact_field
from .graded import GradedSeries
from .line import LineSeries

__all__ = ["network_series", "univariate_taylor"]


def network_series(net: Any, ring: Any, values: dict | None = None,
                   progress: Callable[[int, int], None] | None = None) -> Any:
    """The output series of ``net`` minus its value at the expansion point, in ``ring``.

    ``values`` are the exact node values at the expansion point (``net.node_values()``,
    computed when omitted); inputs are the ring's variables.  ``progress(done, total)`` is
    called after each neuron.

    Examples
    --------
    >>> from symdepth import Network
    >>> net = Network(1, "exp"); h = net.add_neuron({"x1": 2}); net.set_output({h: 1})
    >>> ring = LineSeries(3)
    >>> with ring.active():
    ...     ring.coefficients(network_series(net, ring))
    [0, 2, 2, Fraction(4, 3)]
    """
    values = net.node_values() if values is None else values
    g = net.graph
    series: dict = {}
    seeds_cache: dict = {}
    index = {name: i for i, name in enumerate(net.inputs)}
    done, total = 0, net.num_neurons
    with ring.active():
        for node in nx.topological_sort(g):
            data = g.nodes[node]
            if data["kind"] == "input":
                series[node] = ring.variable(index[node])
                continue
            v = ring.zero()
            for u, _, w in g.in_edges(node, data="weight"):
                if w != 0:
                    v = ring.add(v, ring.scale(series[u], ring.scalar(w)))
            if data["kind"] == "output":
                return v
            act = data["activation"]
            c = values[node][0]
            if hasattr(ring, "seeds"):  # balls: the value at the point is an enclosure, not exact
                seeds = ring.seeds(act, c)
            else:
                key = (act, c)
                if key not in seeds_cache:
                    seeds_cache[key] = [ring.scalar(s) for s in act.seeds(c, ring.order)]
                seeds = seeds_cache[key]
            series[node] = act.recipe(ring, v, seeds)
            if progress is not None:
                done += 1
                progress(done, total)
    raise SymdepthError("the network has no output")  # pragma: no cover - validated before


def univariate_taylor(act: Any, at: Exact, order: int) -> list:
    """Exact Taylor coefficients 0..order of σ(at + t) − σ(at) (the 0th is 0)."""
    seeds = act.seeds(at, order)
    field = exact_field(seeds)
    if field is RATIONALS:
        ring: Any = LineSeries(order)
        with ring.active():
            return ring.coefficients(act.recipe(ring, ring.variable(0), [ring.scalar(s) for s in seeds]))
    ring = GradedSeries(order, ("t",), field)
    terms = ring.terms(act.recipe(ring, ring.variable(0), [ring.scalar(s) for s in seeds]))
    return [terms.get((k,), 0) for k in range(order + 1)]
