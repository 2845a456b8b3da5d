"""Univariate networks with piecewise-polynomial activations as exact
:class:`~symdepth.piecewise.polynomial.PiecewisePolynomial` (:func:`from_network`), and
Telgarsky's tent map, sawtooth and triangles as networks and as functions.

ReLU networks with rational weights take the array path of
:mod:`~symdepth.piecewise.linear` (a whole layer at a time); other activations are
composed piece by piece.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from ..errors import BudgetError, SymdepthError
from .algebraic import INF, NEG_INF, exact_point, is_infinite
from .linear import Knots, linear_activation, network_knots, require_rational
from .polynomial import DEFAULT_MAX_PIECES, PiecewisePolynomial, compose
from .rational_array import RationalArray

# the public names are listed (and re-exported) in symdepth/piecewise/__init__.py


def _activation_function(act: Any) -> PiecewisePolynomial:
    if isinstance(act, PiecewisePolynomial):
        return act
    name = act.name
    if name == "relu":
        return PiecewisePolynomial([NEG_INF, 0, INF], [[0], [0, 1]])
    if name == "leaky_relu":
        return PiecewisePolynomial([NEG_INF, 0, INF], [[0, act.coefficients[0]], [0, 1]])
    if name == "hard_tanh":
        return PiecewisePolynomial([NEG_INF, -1, 1, INF], [[-1], [0, 1], [1]])
    if name == "polynomial":
        return PiecewisePolynomial([NEG_INF, INF], [list(act.coefficients)])
    raise SymdepthError(
        f"activation {act!r} is not piecewise polynomial; from_network handles relu, leaky_relu, hard_tanh, "
        "polynomial activations and PiecewisePolynomial activations"
    )


def from_network(net: Any, domain: Sequence[object] = (-INF, INF), activation: PiecewisePolynomial | None = None,
                 max_pieces: int = DEFAULT_MAX_PIECES) -> PiecewisePolynomial:
    """The function of a univariate network with piecewise-polynomial activations, exactly.

    ``activation`` overrides every neuron's activation by a given (t, α)-poly.

    Examples
    --------
    >>> from symdepth.piecewise import crossings
    >>> f = from_network(sawtooth(2), domain=(0, 1))
    >>> f.num_pieces, crossings(f)
    (4, 5)
    """
    import networkx as nx

    net.validate()
    if net.num_inputs != 1:
        raise SymdepthError(f"from_network needs a network with one input, this one has {net.num_inputs}")
    lo, hi = (exact_point(domain[0], "domain start"), exact_point(domain[1], "domain end"))
    if not lo < hi:
        raise SymdepthError(f"the domain ({domain[0]}, {domain[1]}) is empty; give a start below the end")
    require_rational(net)
    if all(isinstance(v, Fraction) or is_infinite(v) for v in (lo, hi)):
        override = linear_activation(activation) if activation is not None else None
        if activation is None or override is not None:
            knots = network_knots(net, lo, hi, override, max_pieces)
            if knots is not None:
                f = PiecewisePolynomial._from_knots(knots)
                f._source = (net, (lo, hi)) if activation is None else None
                return f
    identity = PiecewisePolynomial([lo, hi], [[0, 1]], _trusted=False)
    g = net.graph
    values: dict = {}
    for node in nx.topological_sort(g):
        data = g.nodes[node]
        if data["kind"] == "input":
            values[node] = identity
            continue
        total = PiecewisePolynomial([lo, hi], [[data["bias"]]], _trusted=False)
        for u, _, w in g.in_edges(node, data="weight"):
            if w != 0:
                total = total + values[u] * w
        if data["kind"] == "output":
            f = total.canonical()
            f._source = (net, (lo, hi)) if activation is None else None
            return f
        act = activation if activation is not None else _activation_function(data["activation"])
        values[node] = compose(act, total, max_pieces)
    raise SymdepthError("network without output")  # pragma: no cover


def linear_regions(net: Any, domain: Sequence[object] = (-INF, INF)) -> int:
    """Number of pieces (maximal intervals on which the function is one polynomial) of a
    univariate piecewise-linear network.

    Examples
    --------
    >>> linear_regions(sawtooth(3), domain=(0, 1))
    8
    """
    return from_network(net, domain).canonical().num_pieces


def triangle_map() -> Any:
    """The tent map on [0, 1] as a 2-ReLU network: 2·relu(x) − 4·relu(x − 1/2)."""
    from ..network import Network

    net = Network(1, "relu")
    h1 = net.add_neuron({"x1": 2})
    h2 = net.add_neuron({"x1": 2}, bias=-1)
    net.set_output({h1: 1, h2: -2})
    return net


def triangle_map_function() -> PiecewisePolynomial:
    """The tent map on [0, 1] as a PiecewisePolynomial."""
    return PiecewisePolynomial([0, Fraction(1, 2), 1], [[0, 2], [2, -2]])


def sawtooth(layers: int) -> Any:
    """The l-fold composition of the tent map as a ReLU network of width 2 and depth l.

    Examples
    --------
    >>> net = sawtooth(3)
    >>> net.layer_sizes
    [2, 2, 2]
    """
    from ..network import Network

    if layers < 1:
        raise SymdepthError(f"sawtooth needs at least one layer, got {layers}")
    net = Network(1, "relu")
    signal = {"x1": 1}
    for _ in range(layers):
        h1 = net.add_neuron({u: 2 * w for u, w in signal.items()})
        h2 = net.add_neuron({u: 2 * w for u, w in signal.items()}, bias=-1)
        signal = {h1: 1, h2: -2}
    net.set_output(signal)
    return net


def sawtooth_function(layers: int, max_pieces: int = DEFAULT_MAX_PIECES) -> PiecewisePolynomial:
    """The l-fold tent map directly as a PiecewisePolynomial with 2^l pieces (fast); more
    than ``max_pieces`` pieces is a BudgetError.

    Examples
    --------
    >>> f = sawtooth_function(2)
    >>> f.num_pieces, f.breakpoints, [f(Fraction(k, 8)) for k in range(9)][:3]
    (4, [Fraction(0, 1), Fraction(1, 4), Fraction(1, 2), Fraction(3, 4), Fraction(1, 1)], [Fraction(0, 1), Fraction(1, 2), Fraction(1, 1)])
    """
    if layers < 1:
        raise SymdepthError(f"sawtooth needs at least one layer, got {layers}")
    if layers > max_pieces.bit_length():
        raise BudgetError(f"sawtooth({layers}) has 2^{layers} pieces, more than max_pieces={max_pieces:,}; raise "
                          "max_pieces (command line: --max-pieces N)")
    return _tents(2 ** (layers - 1), max_pieces)


def triangle(t: int, max_pieces: int = DEFAULT_MAX_PIECES) -> PiecewisePolynomial:
    """A (t, [0, 1])-triangle: t tents side by side, continuous, 0 → 1 → 0 on each."""
    if t < 1:
        raise SymdepthError(f"triangle needs t >= 1, got {t}")
    return _tents(t, max_pieces)


def _tents(t: int, max_pieces: int) -> PiecewisePolynomial:
    """t tents of height 1 on [0, 1]: knots k/(2t), values alternately 0 and 1."""
    if 2 * t > max_pieces:
        raise BudgetError(f"{t} tents have {2 * t:,} pieces, more than max_pieces={max_pieces:,}; raise max_pieces "
                          "(command line: --max-pieces N)")
    k = np.arange(2 * t + 1, dtype=np.int64)
    x = RationalArray.from_integers(k, np.full(len(k), 2 * t, dtype=np.int64))
    y = RationalArray.from_integers(k % 2, np.ones(len(k), dtype=np.int64))
    return PiecewisePolynomial._from_knots(Knots(Fraction(0), Fraction(1), x, y))
