"""The papers' networks as builders, and the gates they are made of.

A *signal* is a value available inside a network under construction: a linear form
Σ c_u·u + c over existing nodes.  Gates read signals and return the signal of their result,
so constructions compose like the papers' diagrams.  Every gate expands its neurons about
a point b where the Taylor coefficients it divides by are nonzero
(:func:`symdepth.activations.expansion_point`): b = 0 when possible, otherwise a bias shift
such as atanh(1/2) for tanh (whose even coefficients vanish at 0), chosen so that all
coefficients stay rational.

Normalising constants (σ_k(b) is the k-th Taylor coefficient σ^(k)(b)/k!):

* identity gate, 1 neuron:  (σ(b+u) − σ_0)/σ_1 = u + O(u²)
* square gate, 2 neurons:   (σ(b+u) + σ(b−u) − 2σ_0)/(2σ_2) = u² + O(u⁴).  In terms of the
  second derivative the factor is 1/σ''(b) = 1/(2σ_2); Rolnick & Tegmark (§4.2, proof of
  Prop. 4.6) print 1/(2σ''(0)), which gives x²/2 — verified in ``proofs/test_rt_sq.py``.
  Their third neuron supplies the constant −2σ(0); here it is the next layer's bias.
* product of k signals, 2^k neurons (Lin, Tegmark & Rolnick 2017, App. A):
  Σ_{s∈{±1}^k} (∏s)·σ(b + s·u) / (2^k·k!·σ_k) = u_1⋯u_k + O(degree k+2); for k = 2 this is
  the 4-neuron product gate with factor 1/(8σ_2) = 1/(4σ''(b)).

References
----------
Rolnick & Tegmark (2018), §4 (Thms 4.1–4.3, Props 4.5–4.6) and §5 (Thm 5.1).
Lin, Tegmark & Rolnick (2017), Appendix A.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint

from . import activations as _activations
from .activations import Activation, expansion_point
from .errors import NotAnalyticError, SymdepthError
from .network import Network
from .numbers import Exact, add, div, exact, mul
from .parsing import polynomial_terms
from .piecewise import sawtooth, triangle_map  # Telgarsky's ReLU builders live with the crossings

__all__ = [
    "radial_net",
    "Signal",
    "input_signal",
    "identity_gate",
    "square_gate",
    "product_gate",
    "lin_gate",
    "identity_net",
    "shallow_power",
    "deep_power",
    "deep_power_count",
    "shallow_monomial",
    "deep_monomial",
    "lin_product",
    "product_tree",
    "product_tree_count",
    "univariate_shallow",
    "sparse_sum",
    "sawtooth",
    "triangle_map",
]


@dataclass(frozen=True)
class Signal:
    """A linear form Σ c_u·u + constant over nodes of a network under construction."""

    terms: tuple
    constant: Exact = 0

    def scaled(self, factor: Exact) -> Signal:
        return Signal(tuple((u, mul(c, factor)) for u, c in self.terms), mul(self.constant, factor))


def input_signal(net: Network, name: str) -> Signal:
    """The signal of input ``name``."""
    if name not in net.inputs:
        raise SymdepthError(f"{name!r} is not an input of the network; inputs are {list(net.inputs)}")
    return Signal(((name, 1),))


def _neuron(net: Network, combination: Sequence[tuple[Signal, Exact]], bias: Exact, act: Activation) -> str:
    """A neuron σ(Σ s_i·signal_i + bias), folding the signals' constants into the bias."""
    weights: dict = {}
    total_bias = bias
    for signal, factor in combination:
        for u, c in signal.terms:
            weights[u] = add(weights.get(u, 0), mul(c, factor))
        total_bias = add(total_bias, mul(signal.constant, factor))
    return net.add_neuron({u: w for u, w in weights.items() if w != 0}, total_bias, act)


def _record(net: Network, act: Activation, orders: Sequence[int], point: Exact) -> None:
    if act.is_generic:
        for k in orders:
            text = f"{act.symbol}_{k} != 0"
            if text not in net.assumptions:
                net.assumptions = net.assumptions + (text,)


def _coefficients(act: Activation, orders: Sequence[int], at: Exact | None) -> tuple[Exact, tuple]:
    act = _activations.get(act)
    if not act.is_analytic:
        raise NotAnalyticError(
            f"{act.name} is piecewise linear: it has no Taylor coefficients, so the papers' Taylor constructions "
            "cannot use it (see symdepth.piecewise for ReLU networks)"
        )
    point = expansion_point(act, orders, at)
    return point, act.taylor_coefficients(max(orders), point)


def identity_gate(net: Network, u: Signal, activation: Any = None, at: Exact | None = None) -> Signal:
    """One neuron whose signal (σ(b+u) − σ_0)/σ_1 equals u + O(u²) (Rolnick & Tegmark §4.2).

    Examples
    --------
    >>> net = Network(1, "exp")
    >>> s = identity_gate(net, input_signal(net, "x1"))
    >>> net.set_output(dict(s.terms), s.constant); net.to_sympy()
    exp(x1) - 1
    """
    act = _activations.get(activation or net.activation)
    b, sig = _coefficients(act, [1], at)
    h = _neuron(net, [(u, 1)], b, act)
    _record(net, act, [1], b)
    return Signal(((h, div(1, sig[1])),), div(mul(-1, sig[0]), sig[1]))


def square_gate(net: Network, u: Signal, activation: Any = None, at: Exact | None = None) -> Signal:
    """Two neurons whose signal (σ(b+u) + σ(b−u) − 2σ_0)/(2σ_2) equals u² + O(u⁴).

    The factor 1/(2σ_2) is 1/σ''(b); the paper prints 1/(2σ''(0)) (an erratum, see the
    module docstring).

    Examples
    --------
    >>> net = Network(1, activations.generic())
    >>> s = square_gate(net, input_signal(net, "x1"))
    >>> s.terms
    (('h1', 1/(2*sigma_2)), ('h2', 1/(2*sigma_2)))
    """
    act = _activations.get(activation or net.activation)
    b, sig = _coefficients(act, [2], at)
    h1 = _neuron(net, [(u, 1)], b, act)
    h2 = _neuron(net, [(u, -1)], b, act)
    _record(net, act, [2], b)
    w = div(1, mul(2, sig[2]))
    return Signal(((h1, w), (h2, w)), div(mul(-1, sig[0]), sig[2]))


def lin_gate(net: Network, signals: Sequence[Signal], activation: Any = None, at: Exact | None = None) -> Signal:
    """The product u_1⋯u_k with 2^k neurons σ(b ± u_1 ± … ± u_k) (Lin et al. 2017, App. A).

    Examples
    --------
    >>> net = Network(3, "exp")
    >>> s = lin_gate(net, [input_signal(net, x) for x in net.inputs])
    >>> net.num_neurons, s.terms[0][1]
    (8, Fraction(1, 8))
    """
    act = _activations.get(activation or net.activation)
    k = len(signals)
    if k == 0:
        raise SymdepthError("lin_gate needs at least one signal")
    b, sig = _coefficients(act, [k], at)
    norm = div(1, mul(2**k * math.factorial(k), sig[k]))
    terms = []
    for signs in itertools.product((1, -1), repeat=k):
        h = _neuron(net, list(zip(signals, signs)), b, act)
        terms.append((h, mul(norm, math.prod(signs))))
    _record(net, act, [k], b)
    return Signal(tuple(terms))


def product_gate(net: Network, u: Signal, v: Signal, activation: Any = None, at: Exact | None = None) -> Signal:
    """The 4-neuron product gate: u·v + O(degree 4) (Lin et al.; Rolnick & Tegmark §4.2)."""
    return lin_gate(net, [u, v], activation, at)


def _finish(net: Network, s: Signal) -> Network:
    net.set_output(dict(s.terms), s.constant)
    return net


def identity_net(activation: Any = "exp") -> Network:
    """A one-neuron network Taylor-approximating x1 (to degree 1).

    Examples
    --------
    >>> identity_net("cos").to_sympy()
    4/3 - 5*cos(x1 + atan(3/4))/3
    """
    net = Network(1, activation)
    return _finish(net, identity_gate(net, input_signal(net, "x1")))


# -- powers ---------------------------------------------------------------------------------


def shallow_power(d: int, activation: Any = "exp", at: Exact | None = None) -> Network:
    """x^d with d+1 neurons in one hidden layer (Prop 4.6 (i)); needs σ_d(b) ≠ 0.

    Examples
    --------
    >>> net = shallow_power(3, "exp")
    >>> net.layer_sizes
    [4]
    """
    return shallow_monomial((d,), activation, at)


def deep_power(d: int, activation: Any = "exp", at: Exact | None = None) -> Network:
    """x^d by repeated squaring (Prop 4.6 (ii)).

    Layer k squares x^(2^(k−1)) (square gate, 2 neurons) and, by bit k−1 of d, multiplies the
    accumulated power by it (product gate, 4 neurons) or passes the accumulator on (identity
    gate, 1 neuron).  The paper counts 3 neurons per square gate (one for the constant σ(0));
    here that constant is a bias.  Neuron count: :func:`deep_power_count`.  Needs only
    σ_1 ≠ 0 and σ_2 ≠ 0 at the gates' expansion points (the paper assumes nonzero
    coefficients up to degree 2d).

    Examples
    --------
    >>> net = deep_power(6, "exp")
    >>> net.num_neurons, net.depth
    (9, 3)
    """
    if not isinstance(d, int) or d < 1:
        raise SymdepthError(f"deep_power needs an integer d >= 1, got {d!r}")
    act = _activations.get(activation)
    net = Network(1, act)
    return _finish(net, _power_signal(net, input_signal(net, "x1"), d, act, at))


def deep_power_count(d: int) -> int:
    """Neurons of :func:`deep_power` (d): 2 per squaring, 4 per product, 1 per identity.

    Examples
    --------
    >>> [deep_power_count(d) for d in (1, 2, 3, 4, 7, 8)]
    [0, 2, 7, 4, 13, 6]
    """
    total, have_acc = 0, False
    bits = d.bit_length()
    for k in range(bits):
        bit = (d >> k) & 1
        last = k == bits - 1
        if not last:
            total += 2
        if bit:
            if have_acc:
                total += 4
            elif not last:
                total += 1
            have_acc = True
        elif have_acc:
            total += 1
    return total


# -- monomials ------------------------------------------------------------------------------


def shallow_monomial(exponents: Sequence[int], activation: Any = "exp", at: Exact | None = None) -> Network:
    """x_1^r_1⋯x_n^r_n with ∏(r_i+1) neurons in one hidden layer (Thm 4.1/4.2 upper bound).

    Lin et al.'s 2^d neurons σ(b ± y_1 ± … ± y_d) on the multiset with r_i copies of x_i
    coincide in groups: the neuron σ(b + Σ k_i x_i), k_i = r_i − 2j_i, gets weight
    ∏(−1)^{j_i}·C(r_i, j_i)/(2^d·d!·σ_d(b)).  Needs only σ_d(b) ≠ 0.

    Examples
    --------
    >>> net = shallow_monomial((2, 1), "exp")
    >>> net.num_neurons
    6
    """
    r = _exponents(exponents)
    d = sum(r)
    act = _activations.get(activation)
    net = Network(len(r), act)
    if d == 0:
        net.set_output({}, 1)
        return net
    b, sig = _coefficients(act, [d], at)
    norm = div(1, mul(2**d * math.factorial(d), sig[d]))
    output: dict = {}
    for js in itertools.product(*[range(ri + 1) for ri in r]):
        weights = {x: ri - 2 * j for x, ri, j in zip(net.inputs, r, js) if ri}
        h = net.add_neuron({x: w for x, w in weights.items() if w != 0}, b, act)
        sign = (-1) ** sum(js)
        output[h] = mul(norm, sign * math.prod(math.comb(ri, j) for ri, j in zip(r, js)))
    _record(net, act, [d], b)
    net.set_output(output)
    return net


def lin_product(n: int, activation: Any = "exp", at: Exact | None = None) -> Network:
    """x_1⋯x_n with 2^n neurons in one hidden layer (Lin et al. 2017).

    Examples
    --------
    >>> lin_product(3, "exp").num_neurons
    8
    """
    return shallow_monomial((1,) * n, activation, at)


def _exponents(exponents: Sequence[int]) -> tuple[int, ...]:
    r = tuple(exponents)
    if not r or not all(isinstance(e, int) and not isinstance(e, bool) and e >= 0 for e in r):
        raise SymdepthError(f"exponents must be a nonempty sequence of non-negative integers, got {exponents!r}")
    return r


def _power_signal(net: Network, x: Signal, d: int, act: Activation, at: Exact | None) -> Signal:
    """x^d inside ``net`` by the gates of :func:`deep_power`."""
    square, acc = x, None
    bits = d.bit_length()
    for k in range(bits):
        bit = (d >> k) & 1
        last = k == bits - 1
        next_square = None if last else square_gate(net, square, act, at)
        if bit:
            acc = (square if last else identity_gate(net, square, act, at)) if acc is None else product_gate(
                net, acc, square, act, at
            )
        elif acc is not None:
            acc = identity_gate(net, acc, act, at)
        if next_square is not None:
            square = next_square
    assert acc is not None
    return acc


def _depth(net: Network, s: Signal) -> int:
    """The layer at which a signal is available: the deepest node it reads (inputs: 0)."""
    layer = net.layers()
    return max((layer[u] for u, _ in s.terms), default=0)


def _carried(net: Network, s: Signal, depth: int, act: Activation, at: Exact | None) -> Signal:
    """s brought to layer ``depth`` by identity gates (s vanishes at the origin, as every gate's
    signal and every input does)."""
    for _ in range(depth - _depth(net, s)):
        s = identity_gate(net, s, act, at)
    return s


def _product_signal(net: Network, signals: list[Signal], act: Activation, at: Exact | None,
                    layered: bool = False) -> Signal:
    """Multiply signals pairwise.  By default level by level, an odd one out and signals of
    different depths meeting by skip connections.  With ``layered``, the two shallowest
    signals are multiplied first (Huffman-like on depths), the shallower of a pair waiting in
    identity gates: the fewest waiting neurons for a strictly layered network."""
    if not layered:
        while len(signals) > 1:
            paired = [product_gate(net, signals[i], signals[i + 1], act, at) for i in range(0, len(signals) - 1, 2)]
            signals = paired + (signals[-1:] if len(signals) % 2 else [])
        return signals[0]
    while len(signals) > 1:
        signals.sort(key=lambda s: _depth(net, s))
        a, b = signals[0], signals[1]
        depth = max(_depth(net, a), _depth(net, b))
        signals = [product_gate(net, _carried(net, a, depth, act, at), _carried(net, b, depth, act, at), act, at)]\
            + signals[2:]
    return signals[0]


def deep_monomial(exponents: Sequence[int], activation: Any = "exp", at: Exact | None = None,
                  layered: bool = False) -> Network:
    """Thm 4.1 (ii): x_i^r_i by :func:`deep_power` gates, then a binary tree of product gates.

    Uses Σ_i deep_power_count(r_i) + 4·(#{r_i > 0} − 1) neurons, at most Σ(7⌈log2 r_i⌉ + 4).
    With ``layered`` the network is strictly layered, as Rolnick & Tegmark's model N(x) =
    A_kσ(…σ(A_1σ(A_0x))…) asks (§3): a power that is ready early, or an odd factor, waits in
    identity gates (one neuron per layer, §4.2) instead of using a skip connection.

    Examples
    --------
    >>> net = deep_monomial((3, 2), "exp")
    >>> net.num_neurons
    13
    >>> layered = deep_monomial((1, 3), "exp", layered=True)      # x1 waits two layers
    >>> deep_monomial((1, 3), "exp").num_neurons, layered.num_neurons, layered.layer_sizes
    (11, 13, [4, 5, 4])
    """
    r = _exponents(exponents)
    act = _activations.get(activation)
    net = Network(len(r), act)
    if sum(r) == 0:
        net.set_output({}, 1)
        return net
    signals = [_power_signal(net, input_signal(net, x), ri, act, at) for x, ri in zip(net.inputs, r) if ri]
    return _finish(net, _product_signal(net, signals, act, at, layered))


def product_tree(n: int, widths: Sequence[int], activation: Any = "exp", at: Exact | None = None) -> Network:
    """Thm 5.1: x_1⋯x_n by k layers; layer i multiplies groups of b_i values with 2^{b_i}
    neurons each (:func:`lin_gate`).

    When ∏b_i = n every group is full and the neuron count is eq. (2),
    Σ_i (∏_{j>i} b_j)·2^{b_i}.  Otherwise (∏b_i ≥ n) the last group of a layer may be
    smaller: a group of g ≥ 2 values costs 2^g neurons, a single leftover value is passed on
    by a skip connection at no cost; see :func:`product_tree_count`.

    Examples
    --------
    >>> net = product_tree(4, [2, 2], "exp")
    >>> net.num_neurons, net.depth
    (12, 2)
    """
    widths = list(widths)
    if not isinstance(n, int) or n < 1:
        raise SymdepthError(f"product_tree needs n >= 1 inputs, got {n!r}")
    if not widths or not all(isinstance(b, int) and b >= 1 for b in widths):
        raise SymdepthError(f"widths must be positive integers, got {widths!r}")
    if math.prod(widths) < n:
        raise SymdepthError(f"the widths {widths} multiply to {math.prod(widths)} < n = {n}; no tree of them multiplies n values")
    act = _activations.get(activation)
    net = Network(n, act)
    signals = [input_signal(net, x) for x in net.inputs]
    for b in widths:
        groups = [signals[i:i + b] for i in range(0, len(signals), b)]
        signals = [group[0] if len(group) == 1 else lin_gate(net, group, act, at) for group in groups]
    if len(signals) != 1:
        raise SymdepthError(f"widths {widths} leave {len(signals)} values unmultiplied")  # pragma: no cover
    return _finish(net, signals[0])


def product_tree_count(n: int, widths: Sequence[int]) -> int:
    """Neurons of :func:`product_tree` (n, widths), partial groups included.

    Examples
    --------
    >>> product_tree_count(8, [2, 2, 2]), product_tree_count(5, [2, 3])
    (28, 16)
    """
    total, m = 0, n
    for b in widths:
        full, rest = divmod(m, b)
        total += full * 2**b + (2**rest if rest >= 2 else 0)
        m = full + (1 if rest else 0)
    return total


# -- univariate and sparse polynomials ------------------------------------------------------


def univariate_shallow(poly: Any, activation: Any = "exp", nodes: Sequence[object] | None = None,
                       at: Exact | None = None) -> Network:
    """Prop 4.5: any univariate polynomial of degree d with d+1 neurons σ(a_i x + b).

    The output weights solve the Vandermonde system Σ_i w_i σ_k(b) a_i^k = p_k (k = 0..d)
    exactly; the nodes a_i are distinct rationals (default 1, −1, 2, −2, …).  Needs
    σ_k(b) ≠ 0 for every k ≤ d.

    Examples
    --------
    >>> net = univariate_shallow("x1^3 - 2*x1 + 1", "exp")
    >>> net.num_neurons
    4
    """
    variables, terms = polynomial_terms(poly)
    if len(variables) > 1:
        raise SymdepthError(f"univariate_shallow needs a polynomial in one variable, got {list(variables)}")
    coeffs: dict = {m[0] if m else 0: c for m, c in terms.items()}
    d = max(coeffs, default=0)
    if nodes is None:
        nodes = [(-1) ** i * (i // 2 + 1) for i in range(d + 1)]
    a = [Fraction(exact(v, "node")) for v in nodes]
    if len(a) != d + 1 or len(set(a)) != len(a):
        raise SymdepthError(f"univariate_shallow needs {d + 1} distinct rational nodes, got {list(nodes)}")
    act = _activations.get(activation)
    b, sig = _coefficients(act, list(range(d + 1)), at)
    vandermonde_t = flint.fmpq_mat(d + 1, d + 1, [flint.fmpq(ai.numerator, ai.denominator) ** k
                                                  for k in range(d + 1) for ai in a])
    inverse = vandermonde_t.inv()
    rhs = [div(coeffs.get(k, 0), sig[k]) for k in range(d + 1)]
    net = Network(1, act)
    output = {}
    for i, ai in enumerate(a):
        w: Exact = 0
        for k in range(d + 1):
            entry = inverse[i, k]
            w = add(w, mul(Fraction(int(entry.p), int(entry.q)), rhs[k]))
        h = net.add_neuron({"x1": ai} if ai != 0 else {}, b, act)
        output[h] = w
    _record(net, act, list(range(d + 1)), b)
    net.set_output(output)
    return net


def sparse_sum(poly: Any, activation: Any = "exp", variables: Sequence[str] | None = None,
               at: Exact | None = None) -> Network:
    """Thm 4.3 (ii): Σ_j c_j q_j with one :func:`deep_monomial` sub-network per monomial q_j,
    summed at the output; m(p) ≤ Σ_j m(q_j).

    The sum Taylor-approximates p when p is homogeneous.  Otherwise the parts' error terms
    (of degree > deg q_j) may fall at degree ≤ deg p — e.g. x1^2 + x1^4 — and the network is
    the paper's uniform-approximation construction (rescale each part, Prop 3.3), not a
    Taylor approximation; see ``proofs/test_rt_thm43_sparse.py``.

    Examples
    --------
    >>> net = sparse_sum("x1^2*x2 + 3*x2^3 - 1", "exp")
    >>> net.num_neurons
    13
    """
    names, terms = polynomial_terms(poly, variables)
    act = _activations.get(activation)
    net = Network(names, act)
    output: dict = {}
    constant: Exact = 0
    for mono, c in terms.items():
        if not any(mono):
            constant = add(constant, c)
            continue
        signals = [_power_signal(net, input_signal(net, x), e, act, at) for x, e in zip(names, mono) if e]
        s = _product_signal(net, signals, act, at).scaled(c)
        for u, w in s.terms:
            output[u] = add(output.get(u, 0), w)
        constant = add(constant, s.constant)
    net.set_output(output, constant)
    return net


def radial_net(dimension: int, g: Any, knots: int = 16, radius: Exact = 1) -> Network:
    """Eldan & Shamir's three-layer ReLU network for a radial function x ↦ g(‖x‖) on the
    ball ‖x‖ ≤ radius of R^dimension (depth-separation notes, ES-RAD).

    Layer 1 builds, for each coordinate, the piecewise-linear interpolant of t² at ``knots``
    equally spaced points of [−radius, radius] (knots − 1 neurons per coordinate); their sum
    s ≈ ‖x‖² feeds layer 2, the interpolant of s ↦ g(√s) at s_j = r_j² for ``knots·dimension``
    equally spaced radii r_j in [0, radius] (one neuron per segment), so g is only ever
    evaluated at rational radii.  d·(K − 1) + (K·d − 1) neurons in all; the sup error on the
    ball is O(dimension·radius²/K² · Lip(g∘√)) and shrinks as K grows.

    ``g`` is called with exact Fractions r_j and may return an int, Fraction, sympy number
    or float (converted exactly), so the weights are exact.

    Examples
    --------
    >>> from fractions import Fraction
    >>> net = radial_net(2, lambda r: 1 - r**2, knots=5)
    >>> net.num_neurons, net.depth
    (17, 2)
    >>> net.evaluate([0, 0]), net.evaluate([Fraction(1, 2), 0])
    (1, Fraction(3, 4))
    """
    if not isinstance(dimension, int) or dimension < 1:
        raise SymdepthError(f"dimension must be a positive integer, got {dimension!r}")
    if not isinstance(knots, int) or knots < 2:
        raise SymdepthError(f"knots must be an integer >= 2, got {knots!r}")
    radius = Fraction(exact(radius))
    if radius <= 0:
        raise SymdepthError(f"radius must be positive, got {radius}")
    net = Network(dimension, "relu")
    square_points = [-radius + 2 * radius * Fraction(k, knots - 1) for k in range(knots)]
    # ‖x‖² ≈ Σ_i [a_0² + Σ_k c_k·relu(x_i − a_k)], c_k the slope changes of t² at a_k
    changes = _slope_changes(square_points, [a * a for a in square_points])
    squared: dict = {}
    for x in net.inputs:
        for a, c in zip(square_points, changes):
            squared[net.add_neuron({x: 1}, bias=-a)] = c
    squared_offset = dimension * square_points[0] ** 2
    outer = knots * dimension
    radii = [radius * Fraction(j, outer - 1) for j in range(outer)]
    values = [exact(g(r)) for r in radii]
    s_points = [r * r for r in radii]
    output = {}
    for s, weight in zip(s_points, _slope_changes(s_points, values)):
        output[net.add_neuron(squared, bias=squared_offset - s)] = weight
    net.set_output(output, values[0])
    return net


def _slope_changes(xs: Sequence[Fraction], ys: Sequence[Exact]) -> list:
    """Weights c_k with y_0 + Σ_k c_k·relu(x − x_k) the piecewise-linear interpolant of the
    points (x_k, y_k) on [x_0, x_last]: the first slope, then the change of slope at each knot."""
    slopes = [div(add(b, mul(a, -1)), t - s) for a, b, s, t in zip(ys, ys[1:], xs, xs[1:])]
    return [slopes[0]] + [add(b, mul(a, -1)) for a, b in zip(slopes, slopes[1:])]
