"""The affine maps of a piecewise-linear network's neurons over a 2-D plane, cell by cell:
float64 with a proven error bound for all cells at once, exact on demand per activation
pattern.

On a cell of the partition that :func:`~symdepth.piecewise.regions.regions_2d` builds, every
neuron of the next layer has one affine pre-activation a·s + b·t + c.  Carried exactly, these
maps are the whole cost of a deep network (their integers grow by the weights' bits at every
layer); so the cutting reads them as float64 arrays with an entrywise bound on the distance
to the exact map (:func:`float_layer`, :func:`float_activated`), and a sign is taken from the
floats only where the value exceeds its bound.  The exact map of a cell depends only on its
activation pattern on the earlier layers, so :class:`PatternMaps` computes it from that
pattern when a sign is too close to call, a cut line or a vertex is asked for exactly, or the
regions are listed — once per pattern (memoised), a whole batch of patterns in one
multiprecision matrix product.

The float error bounds are a priori (Higham, *Accuracy and Stability of Numerical
Algorithms*, §3.1): a sum of k rounded products is off by at most γ_k·Σ|terms|, γ_k =
k·u/(1 − k·u), u = 2⁻⁵³, in any summation order and with or without fused multiply-add.
Each bound is itself computed in round-to-nearest, then multiplied by 1 + 2⁻²⁰ (far above its
own relative rounding error, about (k + 4)·u) plus 2⁻¹⁰⁰⁰ for products that underflow.
Infinities and NaN (weights beyond the float range) make a bound non-finite, and then every
sign they touch is decided exactly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

_U = 2.0**-53
_SPARE = 1 + 2.0**-20
_TINY = 2.0**-1000
_INT64_SAFE = 2**62


def to_float(q: Fraction | int) -> float:
    """q correctly rounded (Python's int / int), ±inf beyond the float range."""
    try:
        return q.numerator / q.denominator  # float: correctly rounded, its error bounded by float_error
    except OverflowError:
        return math.inf if q > 0 else -math.inf


def floats(values: list) -> tuple[np.ndarray, np.ndarray]:
    """Rationals (ints, Fractions) correctly rounded to float64, and a bound on each one's
    rounding error: 0 where the float is the rational itself (a dyadic rational of at most
    53 bits in the normal range, the common case of published weights)."""
    value = np.fromiter(map(to_float, values), dtype=np.float64, count=len(values))
    inexact = [i for i, q in enumerate(values) if not _is_float(q)]
    error = np.zeros(len(values))
    error[inexact] = np.abs(value[inexact]) * (2 * _U) + _TINY
    return value, error


def _is_float(q: Fraction | int) -> bool:
    d = q.denominator
    return d & (d - 1) == 0 and q.numerator.bit_length() <= 53 and d.bit_length() <= 1000


def _gamma(k: int) -> float:
    return k * _U / (1 - k * _U)


@dataclass(frozen=True)
class Level:
    """One layer of the network as the cutting sees it: its neurons, their weights from the
    live features (inputs still used later and earlier neurons), biases, activations'
    cuts, slopes and intercepts (Fractions), and which live features stay live after it."""

    nodes: list
    weights: list
    biases: list
    cuts: list
    slopes: list
    intercepts: list
    kept: list

    @property
    def pieces(self) -> int:
        return max(len(row) for row in self.slopes)


# -- float maps with error bounds ---------------------------------------------------------


@dataclass(frozen=True)
class FloatMaps:
    """Per cell, per feature: the float map (a, b, c) and a bound on its distance to the
    exact map, entrywise: ``value`` and ``error`` have shape (cells, features, 3)."""

    value: np.ndarray
    error: np.ndarray


def float_inputs(inputs: list) -> FloatMaps:
    """The plane's input maps (rows of three Fractions) for the one starting cell."""
    value, error = floats([q for row in inputs for q in row])
    return FloatMaps(value.reshape(1, len(inputs), 3), error.reshape(1, len(inputs), 3))


def float_layer(level: Level, maps: FloatMaps) -> FloatMaps:
    """The pre-activations W·M + b of every cell, with their error bounds."""
    cells, width = maps.value.shape[:2]
    # every weight within 2u·|w| + 2⁻¹⁰⁷⁴ of its float (no exactness test: 10⁵ weights)
    w = np.fromiter((to_float(q) for row in level.weights for q in row), dtype=np.float64,
                    count=len(level.nodes) * width).reshape(len(level.nodes), width)
    b, b_error = floats(level.biases)
    value = _apply(w, maps.value)
    with np.errstate(all="ignore"):
        value[:, :, 2] += b
        cells = len(maps.value)
        both = _apply(np.abs(w), np.concatenate([np.abs(maps.value), maps.error]))
        size, error = both[:cells], both[cells:]
        size[:, :, 2] += np.abs(b)
        error += (_gamma(width + 1) + 2 * _U) * (size + error) + 2.0**-1074 * (np.abs(maps.value) + maps.error).sum(axis=1)[:, None, :]
        error[:, :, 2] += b_error
    return FloatMaps(value, error * _SPARE + _TINY)


def _apply(w: np.ndarray, maps: np.ndarray) -> np.ndarray:
    """w · M for every cell's M: (neurons, features) by (cells, features, 3), one BLAS
    product."""
    cells, width = maps.shape[:2]
    flat = maps.transpose(1, 0, 2).reshape(width, cells * 3)
    with np.errstate(all="ignore"):     # infinite weights: NaN bounds, decided exactly
        product = w @ flat
    return product.reshape(len(w), cells, 3).transpose(1, 0, 2)


def float_activated(level: Level, pre: FloatMaps, kept: FloatMaps, piece: np.ndarray) -> FloatMaps:
    """The maps of the next layer: the kept features and each neuron's activation on its
    piece, slope·pre + intercept, with error bounds (``pre`` and ``kept`` already per cell)."""
    slopes, intercepts = _padded(level.slopes, level.pieces), _padded(level.intercepts, level.pieces)
    neuron = np.arange(len(level.nodes))
    s, s_error, c, c_error = (x.reshape(len(slopes), -1)[neuron, piece] for x in
                              (*floats([q for row in slopes for q in row]), *floats([q for row in intercepts for q in row])))
    with np.errstate(all="ignore"):
        value = s[:, :, None] * pre.value
        value[:, :, 2] += c
        size = np.abs(value)
        error = np.abs(s)[:, :, None] * pre.error + s_error[:, :, None] * (np.abs(pre.value) + pre.error)
        error[:, :, 2] += c_error + np.abs(c)
        error = (error + _gamma(2) * size) * _SPARE + _TINY
    # an identity piece (slope 1, intercept 0) copies its map exactly, a zero piece is 0
    exact_copy = (s == 1) & (c == 0) & (s_error == 0) & (c_error == 0)
    error = np.where(exact_copy[:, :, None], pre.error, error)
    zero = (s == 0) & (c == 0) & (s_error == 0) & (c_error == 0)
    error = np.where(zero[:, :, None], 0.0, error)
    return FloatMaps(np.concatenate([kept.value, value], axis=1), np.concatenate([kept.error, error], axis=1))


def _padded(rows: list, width: int) -> list:
    return [list(row) + [Fraction(0)] * (width - len(row)) for row in rows]


# -- exact maps per activation pattern ------------------------------------------------------


class PatternMaps:
    """Exact affine maps of every layer's features for a given activation-pattern prefix,
    memoised: ``maps(level, prefixes)`` are the features' maps entering layer ``level``
    (integer numerators (features, 3) over a denominator), ``pre(level, prefixes)`` that
    layer's pre-activations.  A prefix is the bytes of the pieces of the layers before
    ``level``; a batch of prefixes is computed with one matrix product per layer."""

    def __init__(self, levels: list, inputs: list) -> None:
        self.levels = levels
        denominator = math.lcm(*(q.denominator for row in inputs for q in row))
        first = np.array([[int(q * denominator) for q in row] for row in inputs], dtype=object)
        self._maps: list = [{b"": (first, denominator)}] + [{} for _ in levels]
        self._pre: list = [{} for _ in levels]
        self._integers: dict = {}

    def _integer_weights(self, level: int) -> tuple:
        """(scale, weights · scale as ints, biases · scale as ints) of a layer, once: scale
        is the least common denominator of its weights, biases and cuts."""
        if level not in self._integers:
            lv = self.levels[level]
            scale = math.lcm(*(q.denominator for q in [*sum(lv.weights, []), *lv.biases, *sum(lv.cuts, [])]))
            self._integers[level] = (scale, [[int(q * scale) for q in row] for row in lv.weights],
                                     np.array([int(q * scale) for q in lv.biases], dtype=object))
        return self._integers[level]

    def pre(self, level: int, prefixes: list) -> list:
        """[(numerators (neurons, 3), denominator)] of layer ``level`` per prefix."""
        memo = self._pre[level]
        missing = list(dict.fromkeys(p for p in prefixes if p not in memo))
        if missing:
            parents = self.maps(level, missing)
            scale, weights, biases = self._integer_weights(level)
            denominators = np.array([d for _, d in parents], dtype=object)
            products = _products(weights, np.stack([m for m, _ in parents]))
            products[:, :, 2] += denominators[:, None] * biases[None, :]
            for prefix, product, d in zip(missing, products, denominators):
                memo[prefix] = (product, d * scale)
        return [memo[p] for p in prefixes]

    def line(self, level: int, prefix: bytes, neuron: int, cut: int) -> tuple:
        """The exact line pre − cut of one neuron on a pattern's cell, integers (a, b, c)."""
        (pre, d), = self.pre(level, [prefix])
        a, b, c = (int(x) for x in pre[neuron])
        return a, b, c - int(self.levels[level].cuts[neuron][cut] * d)

    def maps(self, level: int, prefixes: list) -> list:
        """[(numerators (features, 3), denominator)] of the features entering ``level``."""
        memo = self._maps[level]
        missing = list(dict.fromkeys(p for p in prefixes if p not in memo))
        if missing:
            lv = self.levels[level - 1]
            n = len(lv.nodes)
            parents = [p[:len(p) - n] for p in missing]
            maps = self.maps(level - 1, parents)
            pre = self.pre(level - 1, parents)
            pieces = np.frombuffer(b"".join(p[len(p) - n:] for p in missing), dtype=np.int8).reshape(len(missing), n)
            for prefix, entry in zip(missing, _activate(lv, maps, pre, pieces)):
                memo[prefix] = entry
        return [memo[p] for p in prefixes]


def _products(weights: list, stacked: np.ndarray) -> np.ndarray:
    """weights · maps for a stack of maps (k, width, 3): (k, neurons, 3) Python integers, in
    int64 when a bound allows, else as one fmpz_mat product (multiprecision, in C)."""
    k, width = stacked.shape[:2]
    n = len(weights)
    flat = stacked.transpose(1, 0, 2).reshape(width, k * 3)
    largest = max((abs(int(x)) for x in flat.reshape(-1)), default=0)
    bound = max((sum(abs(w) for w in row) for row in weights), default=0) * max(largest, 1)
    if bound < _INT64_SAFE:
        product = (np.array(weights, dtype=np.int64).reshape(n, width) @ flat.astype(np.int64)).astype(object)
    else:
        entries = flint.fmpz_mat(weights) * flint.fmpz_mat(flat.tolist())
        product = np.array(list(map(int, entries.entries())), dtype=object).reshape(n, k * 3)
    return product.reshape(n, k, 3).transpose(1, 0, 2)


def _activate(lv: Level, maps: list, pre: list, pieces: np.ndarray) -> list:
    """The next layer's features on a batch of patterns: the kept features (``maps``), then
    slope·pre + intercept of each neuron on its piece (``pre``); per pattern numerators over
    one denominator, reduced by their common factor."""
    lift = math.lcm(*(q.denominator for row in lv.slopes + lv.intercepts for q in row))
    pre_d = np.array([d for _, d in pre], dtype=object)
    factor = pre_d // np.array([d for _, d in maps], dtype=object) * lift
    kept = np.stack([m[lv.kept] for m, _ in maps]) * factor[:, None, None]
    slopes = np.array([[int(q * lift) for q in row] for row in _padded(lv.slopes, lv.pieces)], dtype=object)
    intercepts = np.array([[int(q * lift) for q in row] for row in _padded(lv.intercepts, lv.pieces)], dtype=object)
    neuron = np.arange(len(lv.nodes))
    out = np.stack([p for p, _ in pre]) * slopes[neuron, pieces][:, :, None]
    out[:, :, 2] += intercepts[neuron, pieces] * pre_d[:, None]
    features = np.concatenate([kept, out], axis=1)
    denominators = pre_d * lift
    common = np.gcd.reduce(np.concatenate([features.reshape(len(pre), -1), denominators[:, None]], axis=1), axis=1)
    return [(row // g, d // g) for row, d, g in zip(features, denominators, common)]
