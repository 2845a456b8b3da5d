"""ES-RAD (Eldan & Shamir 2016, as summarised in the depth-separation notes): a 2-layer
network Σ f_i(⟨v_i, x⟩) has Fourier support in ∪_i span(v_i) (+ B after multiplying by φ),
while a 3-layer network approximates a radial function g(‖x‖) with few neurons.

The statement, on a concrete network (numeric, FFT in float64): for a 2-layer ReLU network
on R² with three neurons (directions v_i read from its weights), the Fourier power of N·φ_s
(φ_s a Gaussian of width s, so φ̂_s has width 1/s) outside the union of tubes
span(v_i) + B(4/s) is below 10⁻⁴ of the total for s = 2, 4, 8 — while for the radial
cos(3‖x‖), which no sum of three ridge functions is, it is above 5% and grows with s.

Symbolic (sympy, exact): the ridge function exp(−⟨v,x⟩²/2) damped by exp(−ε⟨v⊥,x⟩²/2) has the
Fourier transform (2π/√ε)·exp(−ξ²/2 − η²/(2ε)) in coordinates along v and v⊥; its mass outside
the tube |η| ≤ r is erfc(r/√(2ε)) → 0 as ε → 0, i.e. the support concentrates on span(v).
Numeric (numpy, stated tolerance): the 3-layer ReLU network of constructions.radial_net — layer 1
approximates each x_i² by a piecewise-linear interpolant (K knots), layer 2 a 1-D interpolant of
g(√s) — approximates g(r) = cos(3r) on the unit ball of R^d (d = 2..4) with sup error below 0.02
on 2000 random points using O(d·K) neurons; the error shrinks as K grows.  The network's exact
weights are evaluated in floating point, layer by layer."""

import math
from fractions import Fraction

import networkx as nx
import numpy as np
import pytest
import sympy

from symdepth import Network, constructions
from symdepth.prove import Claim

CLAIM = Claim("ES-RAD", "Eldan & Shamir 2016 (NOTES)", "2-layer nets have Fourier support on tubes; a 3-layer net "
              "approximates a radial g", "a 3-neuron 2-layer net's spectrum against tubes, s = 2, 4, 8; symbolic "
              "ε → 0; numeric d = 2..4, K = 16, 64", kind="numeric",
              model="a 2-layer ReLU net on R²; the 3-layer radial ReLU net with biases")


def test_ridge_fourier_support_concentrates_on_its_line():
    u, w, xi, eta = sympy.symbols("u w xi eta", real=True)
    eps, r = sympy.symbols("epsilon r", positive=True)
    along = sympy.integrate(sympy.exp(-u**2 / 2) * sympy.exp(-sympy.I * xi * u), (u, -sympy.oo, sympy.oo))
    across = sympy.integrate(sympy.exp(-eps * w**2 / 2) * sympy.exp(-sympy.I * eta * w), (w, -sympy.oo, sympy.oo))
    transform = sympy.simplify(along * across)
    assert sympy.simplify(transform - 2 * sympy.pi / sympy.sqrt(eps) * sympy.exp(-xi**2 / 2 - eta**2 / (2 * eps))) == 0
    density = sympy.exp(-eta**2 / (2 * eps))
    outside = sympy.simplify(2 * sympy.integrate(density, (eta, r, sympy.oo)) / sympy.integrate(density, (eta, -sympy.oo, sympy.oo)))
    assert sympy.simplify((outside - sympy.erfc(r / sympy.sqrt(2 * eps))).rewrite(sympy.erf)) == 0
    assert sympy.limit(outside, eps, 0, "+") == 0


def _fourier_power_outside_tubes(values_at, directions, s, n=512):
    """Fraction of the Fourier power of f·φ_s outside ∪ (span(v_i) + B(4/s)), by FFT on a
    [−10s, 10s]² grid."""
    xs = np.linspace(-10 * s, 10 * s, n, endpoint=False)
    grid_x, grid_y = np.meshgrid(xs, xs, indexing="ij")
    samples = values_at(np.stack([grid_x.ravel(), grid_y.ravel()], axis=1)).reshape(n, n)
    power = np.abs(np.fft.fft2(samples * np.exp(-(grid_x**2 + grid_y**2) / (2 * s * s)))) ** 2
    freq = np.fft.fftfreq(n, d=xs[1] - xs[0]) * 2 * np.pi
    kx, ky = np.meshgrid(freq, freq, indexing="ij")
    inside = np.zeros((n, n), dtype=bool)
    for vx, vy in directions:
        inside |= np.abs(kx * vy - ky * vx) / math.hypot(vx, vy) <= 4 / s
    return power[~inside].sum() / power.sum()


def test_two_layer_network_fourier_support_lies_in_tubes():
    net = Network(2, "relu")
    for weights, bias in [((1, 0), Fraction(1, 2)), ((1, 2), -1), ((-2, 1), 0)]:
        net.add_neuron(dict(zip(net.inputs, weights)), bias)
    net.set_output(dict(zip(net.neurons, (1, -2, Fraction(1, 2)))), Fraction(1, 4))
    directions = [tuple(float(net.graph.edges[x, h]["weight"]) for x in net.inputs)  # float: FFT
                  for h in net.neurons]
    radial = []
    for s in (2, 4, 8):
        assert _fourier_power_outside_tubes(lambda p: _evaluate(net, p), directions, s) < 1e-4
        radial.append(_fourier_power_outside_tubes(lambda p: np.cos(3 * np.linalg.norm(p, axis=1)), directions, s))
    assert radial[0] > 0.05 and radial[0] < radial[1] < radial[2]


def _evaluate(net, points):
    """The ReLU network on a batch of points, in float64."""
    values = {x: points[:, i] for i, x in enumerate(net.inputs)}
    for node in nx.topological_sort(net.graph):
        data = net.graph.nodes[node]
        if data["kind"] == "input":
            continue
        pre = float(data["bias"]) + sum(float(w) * values[u] for u, _, w in net.graph.in_edges(node, data="weight"))
        values[node] = pre if data["kind"] == "output" else np.maximum(pre, 0)
    return values[net.output]


@pytest.mark.parametrize("d", [2, 3, 4])
def test_three_layer_radial_approximation(d):
    rng = np.random.default_rng(d)
    points = rng.normal(size=(2000, d))
    points *= (rng.uniform(size=(2000, 1)) ** (1 / d)) / np.linalg.norm(points, axis=1, keepdims=True)
    errors = []
    for knots in (16, 64):
        net = constructions.radial_net(d, lambda r: math.cos(3 * r), knots)
        assert net.num_neurons <= 2 * d * knots and net.depth == 2
        errors.append(np.max(np.abs(_evaluate(net, points) - np.cos(3 * np.linalg.norm(points, axis=1)))))
    assert errors[1] < errors[0] and errors[1] < 0.02
