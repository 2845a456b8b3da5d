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
They are carried as one array of sizes (the products taken with absolute values) and three
scalars a layer (:class:`FloatMaps`); the scalars grow by the layer's width, so after L layers
of width k a map is trusted to about L·k·u of its size.  Each bound computed in
round-to-nearest is multiplied by 1 + 2⁻²⁰ (far above its own relative rounding error, about
(k + 4)·u), plus 2⁻¹⁰⁰⁰ at the comparisons for products that underflow.
Infinities and NaN (weights beyond the float range) make a bound non-finite, and then every
sign they touch is decided exactly.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

_U = 2.0**-53
_SPARE = 1 + 2.0**-20
_TINY = 2.0**-1000
_INT64_SAFE = 2**62


def binary64(q: Fraction | int) -> float:
    """q correctly rounded (Python's int / int), ±inf beyond the float range."""
    try:
        return q.numerator / q.denominator  # float: correctly rounded; its error is bounded where it is used
    except OverflowError:
        return math.inf if q > 0 else -math.inf


def floats(values: list) -> tuple[np.ndarray, np.ndarray]:
    """Rationals (ints, Fractions) correctly rounded to float64, and a bound on each one's
    rounding error: 0 where the float is the rational itself (a dyadic rational of at most
    53 bits in the normal range, the common case of published weights)."""
    value = np.fromiter(map(binary64, values), dtype=np.float64, count=len(values))
    inexact = [i for i, q in enumerate(values) if not _is_binary64(q)]
    error = np.zeros(len(values))
    error[inexact] = np.abs(value[inexact]) * (2 * _U) + _TINY
    return value, error


def _is_binary64(q: Fraction | int) -> bool:
    d = q.denominator
    return d & (d - 1) == 0 and q.numerator.bit_length() <= 53 and d.bit_length() <= 1000


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

    @functools.cached_property
    def float_weights(self) -> np.ndarray:
        """The weights correctly rounded, (neurons, features): each within 2u·|w| + 2⁻¹⁰⁷⁴
        of the exact weight (no exactness test: a published net has 10⁵ weights)."""
        width = len(self.weights[0]) if self.weights else 0
        return np.fromiter((binary64(q) for row in self.weights for q in row), dtype=np.float64,
                           count=len(self.nodes) * width).reshape(len(self.nodes), width)

    @functools.cached_property
    def nonzero_weights(self) -> np.ndarray:
        """Which weights are not exactly 0 (a float 0 may be a weight that underflowed)."""
        nonzero = self.float_weights != 0
        if not nonzero.all():
            nonzero[~nonzero] = np.array(self.weights, dtype=object).reshape(nonzero.shape)[~nonzero] != 0
        return nonzero

    @functools.cached_property
    def float_cuts(self) -> tuple[np.ndarray, np.ndarray]:
        """The cuts rounded and their errors, (neurons, most cuts); NaN where a neuron has
        fewer cuts (a comparison with it is never true)."""
        most = max(map(len, self.cuts), default=0)
        value, error = floats([q for row in self.cuts for q in row + [0] * (most - len(row))])
        value, error = value.reshape(len(self.cuts), most), error.reshape(len(self.cuts), most)
        for k, row in enumerate(self.cuts):
            value[k, len(row):] = np.nan
        return value, error

    @functools.cached_property
    def float_pieces(self) -> tuple:
        """Per neuron and piece (neurons, pieces): slopes and intercepts rounded, which are
        exactly 0, and whether every piece is a ReLU's (slope 0 or 1 exactly, intercept 0)."""
        slopes, intercepts = _padded(self.slopes, self.pieces), _padded(self.intercepts, self.pieces)
        slope, slope_error = floats([q for row in slopes for q in row])
        intercept, intercept_error = floats([q for row in intercepts for q in row])
        exact = (not slope_error.any() and not intercept_error.any() and not intercept.any()
                 and np.isin(slope, (0.0, 1.0)).all())
        shape = (len(slopes), self.pieces)
        return (slope.reshape(shape), intercept.reshape(shape),
                np.array([q == 0 for row in slopes for q in row]).reshape(shape),
                np.array([q == 0 for row in intercepts for q in row]).reshape(shape), bool(exact))

    @functools.cached_property
    def integers(self) -> _IntegerLevel:
        return _IntegerLevel(self)

    @functools.cached_property
    def zero_biases(self) -> np.ndarray:
        return np.array([b == 0 for b in self.biases], dtype=bool)

    @functools.cached_property
    def float_biases(self) -> np.ndarray:
        """The biases correctly rounded (their errors are within the weights' bound)."""
        return floats(self.biases)[0]

    @functools.cached_property
    def twins(self) -> dict:
        """{k: j} for each neuron k with the same weights, bias and cuts as an earlier j."""
        first: dict = {}
        twins = {}
        for k, row in enumerate(self.float_weights):
            key = (row.tobytes(), binary64(self.biases[k]), tuple(self.cuts[k]))
            for j in first.setdefault(key, []):
                if self.weights[j] == self.weights[k] and self.biases[j] == self.biases[k]:
                    twins[k] = j
                    break
            else:
                first[key].append(k)
        return twins


# -- float maps with error bounds ---------------------------------------------------------


@dataclass(frozen=True)
class FloatMaps:
    """Per feature, per coefficient (a, b, c), per cell: float maps ``value``, an array of
    shape (features, 3, cells); per feature and cell a ``size`` (features, cells); and three
    numbers that bound them: each of a map's three coefficients is within
    ``kappa``·u·size + ``tiny`` of the exact one, and |value| ≤ ``sigma``·size.  ``zero``
    (features, cells) marks the maps that are exactly 0 (a dead neuron's, one with no weight
    from a live feature): their signs need no arithmetic.

    ``size`` is what a running error analysis would call |W|·|M|: the same products taken
    with absolute values, so one array (one more matrix product a layer) carries the bound
    for every entry, and the bound grows by scalars layer by layer (:func:`float_layer`).
    One size serves a map's three coefficients (the largest of theirs, bias included): the
    bounds are monotone in it, and the product costs a third of the values' one."""

    value: np.ndarray
    size: np.ndarray
    kappa: float
    tiny: float
    sigma: float
    zero: np.ndarray

    def error(self, features: np.ndarray | slice, cells: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The error bound of each coefficient of some features' maps on some cells (indexed
        as ``size[features, cells]``)."""
        return self.kappa * _U * self.size[features, cells] + self.tiny

    def take(self, cells: np.ndarray, features: list | slice = slice(None)) -> FloatMaps:
        # np.take, not [:, :, cells]: fancy indexing of the last axis returns a strided
        # array, and the next layer's product would copy it again
        return FloatMaps(np.take(self.value[features], cells, axis=2), np.take(self.size[features], cells, axis=1),
                         self.kappa, self.tiny, self.sigma, np.take(self.zero[features], cells, axis=1))


def float_inputs(inputs: list) -> FloatMaps:
    """The plane's input maps (rows of three Fractions) for the one starting cell."""
    value, error = floats([q for row in inputs for q in row])
    value = value.reshape(len(inputs), 3, 1)
    # a rounded rational q̂ is within u·|q| ≤ 2u·|q̂| of q, or 2⁻¹⁰⁷⁴ below the normal range
    zero = np.array([[all(q == 0 for q in row)] for row in inputs], dtype=bool).reshape(len(inputs), 1)
    return FloatMaps(value, np.abs(value).max(axis=1), 2.0, 2.0**-1074 if error.any() else 0.0, 1.0, zero)


def float_layer(level: Level, maps: FloatMaps) -> FloatMaps:
    """The pre-activations W·M + b of every cell, with their bounds.

    With |M − M̂| ≤ κ·u·S + τ and |M̂| ≤ σ·S entrywise, the float weights Ŵ within
    2u·|Ŵ| + 2⁻¹⁰⁷⁴ of W, and the product rounded within γ_(k+1)·(|Ŵ|·|M̂| + |b̂|):
    |W·M + b − fl(Ŵ·M̂ + b̂)| ≤ u·(κ + 2σ + (k + 1)·σ + 2)·(|Ŵ|·S + |b̂|) + τ·max‖Ŵ‖₁ + 2⁻¹⁰⁷⁴·(…),
    so the new size is |Ŵ|·S + |b̂| (computed, and the factor 1 + 2⁻²⁰ covers its rounding)."""
    width, cells = maps.value.shape[0], maps.value.shape[2]
    n = len(level.nodes)
    w = level.float_weights
    b = level.float_biases
    with np.errstate(all="ignore"):     # infinite weights: NaN bounds, every sign decided exactly
        value = (w @ maps.value.reshape(width, 3 * cells)).reshape(n, 3, cells)
        value[:, 2, :] += b[:, None]
        magnitude = np.abs(w)
        size = magnitude @ maps.size
        size += np.abs(b)[:, None]
        largest = float(maps.size.max()) if maps.size.size else 0.0  # float: already a float
        kappa = (maps.kappa + (width + 3) * maps.sigma + 2) * _SPARE
        tiny = 2 * _SPARE * (maps.tiny * (float(magnitude.sum(axis=1).max(initial=0)) + 1)  # float: a bound
                             + 2.0**-1074 * (width * (maps.sigma + 1) * largest + width * maps.tiny + width + 2))
    # exactly 0 where the bias is 0 and every exactly nonzero weight reads an exact 0
    zero = np.zeros((n, cells), dtype=bool)
    silent = np.flatnonzero(level.zero_biases)
    if len(silent):
        live = (level.nonzero_weights[silent].astype(np.float32) @ (~maps.zero).astype(np.float32))
        zero[silent] = live == 0
    return FloatMaps(value, size, kappa, tiny, maps.sigma * _SPARE, zero)


def float_activated(level: Level, pre: FloatMaps, kept: FloatMaps, piece: np.ndarray) -> FloatMaps:
    """The maps of the next layer: the kept features and each neuron's activation on its
    piece, slope·pre + intercept, with bounds (``pre`` and ``kept`` already per cell, and
    ``pre``'s arrays overwritten; ``piece`` (neurons, cells)).  Slopes 0 and 1 with intercept
    0 (ReLU) copy or zero the maps exactly; other pieces add their rounding: |s·z + c − fl(ŝ·ẑ + ĉ)| ≤
    u·(κ + 5σ + 5)·(|ŝ|·S + |ĉ|) + τ·max|ŝ|·(1 + 2u) + 2⁻¹⁰⁷⁴·(…)."""
    slope, intercept, zero_slope, zero_intercept, exact = level.float_pieces
    # each (neuron, cell)'s entry of the (neurons, pieces) tables, flat
    at = np.add(piece, np.arange(0, slope.size, slope.shape[1], dtype=np.int32)[:, None], dtype=np.int32)
    s = slope.ravel()[at]
    with np.errstate(all="ignore"):
        if not exact:
            largest = float(pre.size.max()) if pre.size.size else 0.0  # float: already a float
        # in place: ``pre`` was gathered for these cells and is not used again
        value = np.multiply(pre.value, s[:, None, :], out=pre.value)
        size = np.multiply(pre.size, np.abs(s, out=s), out=pre.size)
        if exact:
            kappa, tiny, sigma = pre.kappa, pre.tiny, pre.sigma
        else:
            c = intercept.ravel()[at]
            value[:, 2, :] += c
            size += np.abs(c)
            kappa = (pre.kappa + 5 * pre.sigma + 5) * _SPARE
            tiny = 2 * _SPARE * (pre.tiny * (float(np.abs(slope).max(initial=0)) + 1)  # float: a bound
                                 + 2.0**-1074 * ((pre.sigma + 1) * largest + pre.tiny + 1))
            sigma = pre.sigma * _SPARE
    # exactly 0 on a piece with intercept 0 and slope 0, or slope anything on an exact 0
    zero = zero_slope.ravel()[at]
    zero |= pre.zero
    zero &= zero_intercept.ravel()[at]
    if not len(kept.value):                      # a plain layered net keeps no features
        return FloatMaps(value, size, kappa, tiny, sigma, zero)
    return FloatMaps(np.concatenate([kept.value, value]), np.concatenate([kept.size, size]),
                     max(kept.kappa, kappa), max(kept.tiny, tiny), max(kept.sigma, sigma),
                     np.concatenate([kept.zero, zero]))


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

    def integers(self, level: int) -> _IntegerLevel:
        return self.levels[level].integers

    def pre(self, level: int, prefixes: list) -> list:
        """[(numerators (neurons, 3), denominator)] of layer ``level`` per prefix."""
        memo = self._pre[level]
        missing = list(dict.fromkeys(p for p in prefixes if p not in memo))
        if missing:
            parents = self.maps(level, missing)
            layer = self.integers(level)
            denominators = np.array([d for _, d in parents], dtype=object)
            products = layer.weights.times(np.stack([m for m, _ in parents]))
            shift = denominators[:, None] * layer.biases[None, :]
            if products.dtype == object or _largest(products) + _largest(shift) >= _INT64_SAFE:
                products, shift = products.astype(object), shift.astype(object)
            products[:, :, 2] += shift.astype(products.dtype)
            for prefix, product, d in zip(missing, products, denominators):
                memo[prefix] = (product, d * layer.scale)
        return [memo[p] for p in prefixes]

    def line(self, level: int, prefix: bytes, neuron: int, cut: int) -> tuple:
        """The exact line pre − cut of one neuron on a pattern's cell, integers (a, b, c)."""
        pre, d = self._pre[level][prefix] if prefix in self._pre[level] else self.pre(level, [prefix])[0]
        layer = self.integers(level)
        a, b, c = (int(x) for x in pre[neuron])
        return a, b, c - layer.cuts[neuron][cut] * (d // layer.scale)

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
            for prefix, entry in zip(missing, _activate(self.integers(level - 1), maps, pre, pieces)):
                memo[prefix] = entry
        return [memo[p] for p in prefixes]


class IntegerMatrix:
    """An integer matrix (rows of Python ints) ready for products with stacks of maps: its
    largest absolute row sum, and int64 and fmpz_mat copies, made once."""

    def __init__(self, rows: list) -> None:
        self.rows = rows
        self.bound = max((sum(map(abs, row)) for row in rows), default=0)
        self.int64 = np.array(rows, dtype=np.int64).reshape(len(rows), -1) if self.bound < _INT64_SAFE else None

    @functools.cached_property
    def fmpz(self) -> flint.fmpz_mat | None:
        return flint.fmpz_mat(self.rows) if self.rows and self.rows[0] else None

    def __getstate__(self) -> dict:
        # flint matrices do not pickle; a result sent to another process makes it again
        return {k: v for k, v in self.__dict__.items() if k != "fmpz"}

    def times(self, stacked: np.ndarray) -> np.ndarray:
        """self · maps for a stack of maps (k, width, 3): (k, rows, 3) integers, in int64
        when a bound allows, else as one fmpz_mat product (multiprecision, in C)."""
        k, width = stacked.shape[:2]
        n = len(self.rows)
        flat = stacked.transpose(1, 0, 2).reshape(width, k * 3)
        if self.int64 is not None and self.bound * max(_largest(flat), 1) < _INT64_SAFE:
            product = self.int64 @ flat.astype(np.int64)
        elif self.fmpz is None:             # no features: every product is 0
            product = np.zeros((n, k * 3), dtype=np.int64)
        else:
            entries = self.fmpz * flint.fmpz_mat(flat.tolist())
            product = np.array(list(map(int, entries.entries())), dtype=object).reshape(n, k * 3)
        return product.reshape(n, k, 3).transpose(1, 0, 2)


class _IntegerLevel:
    """A layer in integers, once: ``scale`` is the least common denominator of its weights,
    biases and cuts; weights, biases and cuts times scale; slopes and intercepts times
    ``lift``, theirs."""

    def __init__(self, lv: Level) -> None:
        self.level = lv
        self.scale = math.lcm(*(q.denominator for q in [*sum(lv.weights, []), *lv.biases, *sum(lv.cuts, [])]))
        self.weights = IntegerMatrix([[int(q * self.scale) for q in row] for row in lv.weights])
        self.biases = np.array([int(q * self.scale) for q in lv.biases], dtype=object)
        self.cuts = [[int(q * self.scale) for q in row] for row in lv.cuts]
        self.lift = math.lcm(*(q.denominator for row in lv.slopes + lv.intercepts for q in row))
        self.slopes, self.intercepts = (np.array([[int(q * self.lift) for q in row] for row in _padded(rows, lv.pieces)],
                                                 dtype=object) for rows in (lv.slopes, lv.intercepts))


def _activate(layer: _IntegerLevel, maps: list, pre: list, pieces: np.ndarray) -> list:
    """The next layer's features on a batch of patterns: the kept features (``maps``), then
    slope·pre + intercept of each neuron on its piece (``pre``); per pattern numerators over
    one denominator, reduced by their common factor.  In int64 when a bound allows (small
    dyadic weights), else Python integers."""
    lv, lift = layer.level, layer.lift
    pre_d = [d for _, d in pre]
    factor = [d // m_d * lift for d, (_, m_d) in zip(pre_d, maps)]
    kept, pre_stack = np.stack([m[lv.kept] for m, _ in maps]), np.stack([p for p, _ in pre])
    neuron = np.arange(len(lv.nodes))
    s, c = layer.slopes[neuron, pieces], layer.intercepts[neuron, pieces]
    largest = max(_largest(kept), _largest(pre_stack))
    bound = largest * max(max(factor), _largest(s)) + _largest(c) * max(pre_d)
    shifted = bool(c.any())
    small = bound < _INT64_SAFE and max(factor, default=0) < _INT64_SAFE and (not shifted or max(pre_d) < _INT64_SAFE)
    dtype = np.int64 if small else object
    out = pre_stack.astype(dtype) * s.astype(dtype)[:, :, None]
    if shifted:
        out[:, :, 2] += c.astype(dtype) * np.array(pre_d, dtype=dtype)[:, None]
    features = np.concatenate([kept.astype(dtype) * np.array(factor, dtype=dtype)[:, None, None], out], axis=1)
    common = np.gcd.reduce(features.reshape(len(pre), -1), axis=1).tolist() if features[0].size else [0] * len(pre)
    denominators = [d * lift for d in pre_d]
    reduced = [math.gcd(int(g), d) for g, d in zip(common, denominators)]
    return [(row // g, d // g) for row, d, g in zip(features, denominators, reduced)]


def _largest(values: np.ndarray) -> int:
    """The largest absolute entry (two reductions, no copy; Python ints, so −2⁶³ is safe)."""
    return max(int(values.max()), -int(values.min())) if values.size else 0
