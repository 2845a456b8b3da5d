"""ES-RAD (depth-separation notes, Eldan–Shamir): a 2-layer network Σ f_i(⟨v_i, x⟩) has Fourier
support in ∪_i span(v_i) (+ B after multiplying by φ), while a 3-layer network approximates a
radial function g(‖x‖) with few neurons.

Symbolic (sympy, exact): the ridge function exp(−⟨v,x⟩²/2) damped by exp(−ε⟨v⊥,x⟩²/2) has the
Fourier transform (2π/√ε)·exp(−ξ²/2 − η²/(2ε)) in coordinates along v and v⊥; its mass outside
the tube |η| ≤ r is erfc(r/√(2ε)) → 0 as ε → 0, i.e. the support concentrates on span(v).
Numeric (numpy, stated tolerance): a 3-layer ReLU network — layer 1 approximates each x_i² by a
piecewise-linear interpolant (K knots), layer 2 a 1-D interpolant of g(√s) — approximates
g(r) = cos(3r) on the unit ball of R^d (d = 2..4) with sup error below 0.02 on 2000 random points
using O(d·K) neurons; the error shrinks as K grows."""

import numpy as np
import pytest
import sympy

from symdepth.prove import Claim

CLAIM = Claim("ES-RAD", "NOTES (Eldan–Shamir)", "2-layer nets have Fourier support on tubes; a 3-layer net "
              "approximates a radial g", "symbolic ε → 0; numeric d = 2..4, K = 16, 64", kind="numeric")


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


def _interpolant(fn, lo, hi, knots):
    """A ReLU network for the piecewise-linear interpolant of fn on [lo, hi]: (biases, slopes)."""
    xs = np.linspace(lo, hi, knots)
    ys = fn(xs)
    slopes = np.diff(ys) / np.diff(xs)
    changes = np.concatenate([[slopes[0]], np.diff(slopes)])
    return xs[:-1], changes, ys[0]


def _apply(net, t):
    starts, changes, offset = net
    return offset + np.maximum(t[..., None] - starts, 0) @ changes


def _three_layer(d, knots, g):
    square = _interpolant(lambda t: t**2, -1, 1, knots)
    outer = _interpolant(lambda s: g(np.sqrt(np.maximum(s, 0))), 0, d, knots * d)
    neurons = d * (knots - 1) + (knots * d - 1)

    def net(points):
        s = sum(_apply(square, points[:, i]) for i in range(d))
        return _apply(outer, s)

    return net, neurons


@pytest.mark.parametrize("d", [2, 3, 4])
def test_three_layer_radial_approximation(d):
    rng = np.random.default_rng(d)
    points = rng.normal(size=(2000, d))
    points *= (rng.uniform(size=(2000, 1)) ** (1 / d)) / np.linalg.norm(points, axis=1, keepdims=True)
    g = lambda radius: np.cos(3 * radius)  # noqa: E731
    errors = []
    for knots in (16, 64):
        net, neurons = _three_layer(d, knots, g)
        assert neurons <= 2 * d * knots
        errors.append(np.max(np.abs(net(points) - g(np.linalg.norm(points, axis=1)))))
    assert errors[1] < errors[0] and errors[1] < 0.02
