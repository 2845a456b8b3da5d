"""RT-FIG2 (Rolnick & Tegmark 2018, Fig. 2) — EMPIRICAL, not a proof: trained tanh networks
approximate the product of n inputs from [0, 2] well above the curve W = n^((k−1)/k)·2^(n^(1/k)).

A small numpy reproduction (full-batch Adam, seeded): n = 4 inputs, depth k = 1 and 2 hidden
layers, widths 2..32.  Reported, and asserted only loosely: a network at least as wide as the
curve beats a narrow one of the same depth, and every trained net beats the constant predictor.
The full sweep (n = 8, widths to 64, more steps) runs with -m slow."""

import math

import numpy as np
import pytest

from symdepth.prove import Claim

CLAIM = Claim("RT-FIG2", "RT Fig 2", "trained nets approximate x1⋯xn above W = n^{(k−1)/k}2^{n^{1/k}}",
              "n = 4, k = 1, 2, widths 2..32, 1500 Adam steps (slow: n = 8)", kind="empirical")


def _train(n, depth, width, steps, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 2, size=(2048, n))
    y = np.prod(x, axis=1, keepdims=True)
    sizes = [n] + [width] * depth + [1]
    params = []
    for a, b in zip(sizes, sizes[1:]):
        params += [rng.normal(0, 1 / math.sqrt(a), size=(a, b)), np.zeros((1, b))]
    moments = [np.zeros_like(p) for p in params] + [np.zeros_like(p) for p in params]
    for step in range(1, steps + 1):
        activations = [x]
        for i in range(0, len(params) - 2, 2):
            activations.append(np.tanh(activations[-1] @ params[i] + params[i + 1]))
        out = activations[-1] @ params[-2] + params[-1]
        grad = 2 * (out - y) / len(x)
        grads = [None] * len(params)
        for i in range(len(params) - 2, -1, -2):
            grads[i] = activations[i // 2].T @ grad
            grads[i + 1] = grad.sum(axis=0, keepdims=True)
            if i:
                grad = (grad @ params[i].T) * (1 - activations[i // 2] ** 2)
        for j, (p, g) in enumerate(zip(params, grads)):
            m, v = moments[j], moments[len(params) + j]
            m *= 0.9
            m += 0.1 * g
            v *= 0.999
            v += 0.001 * g * g
            p -= 0.01 * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return float(np.mean(np.abs(out - y))), float(np.mean(np.abs(y - y.mean())))  # float: empirical report


def _curve(n, k):
    return n ** ((k - 1) / k) * 2 ** (n ** (1 / k))


@pytest.mark.parametrize("depth", [1, 2])
def test_small_reproduction(depth):
    n = 4
    errors = {w: _train(n, depth, w, 1500, seed=w) for w in (2, 32)}
    baseline = errors[2][1]
    assert 32 >= _curve(n, depth)
    assert errors[32][0] < errors[2][0] < baseline


@pytest.mark.slow
def test_larger_sweep():
    n = 8
    for depth in (1, 2, 3):
        errors = [_train(n, depth, w, 4000, seed=w)[0] for w in (4, 16, 64)]
        assert errors[-1] < errors[0]
