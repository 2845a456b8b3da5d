"""RT-FIG2 (Rolnick & Tegmark 2018, Fig. 2) — EMPIRICAL, not a proof: trained tanh networks
approximate the product of n inputs from [0, 2] well above the curve W = n^((k−1)/k)·2^(n^(1/k)).

The curve is ``bounds.product_bound(n, k).closed_form`` (eq. (2) at b_i = n^(1/k)), checked
against the formula.  A small numpy reproduction (full-batch Adam, seeded): n = 4 inputs,
k = 1 and 2 hidden layers, widths 2..32, relative error = mean |error| / mean |y − ȳ|.
Asserted, as the figure shows: every net at or above its curve fits (relative error < 0.08)
and every net at half the curve or less does not (> 0.1) — the sharp drop at the curve.
The full sweep (n = 8, depths 1–3, widths 4, 16, 64, more steps) runs with -m slow: nets above
the curve fit, and one hidden layer (curve 256) loses to them at every width tried."""

import math

import numpy as np
import pytest

import symdepth
from symdepth import bounds
from symdepth.prove import Claim

CLAIM = Claim("RT-FIG2", "RT Fig 2", "trained nets approximate x1⋯xn above W = n^{(k−1)/k}2^{n^{1/k}}",
              "n = 4, k = 1, 2, widths 2..32, 1500 Adam steps (slow: n = 8)", kind="empirical",
              model="dense tanh networks with biases, trained in float64 (as in the paper)")


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
    curve = float(bounds.product_bound(n, k).closed_form)  # float: compared with training widths
    assert math.isclose(curve, n ** ((k - 1) / k) * 2 ** (n ** (1 / k)), rel_tol=1e-12)
    return curve


@pytest.mark.parametrize("depth", [1, 2])
def test_small_reproduction(depth):
    n = 4
    curve = _curve(n, depth)
    assert curve == (16 if depth == 1 else 8)
    relative = {}
    for w in (2, 4, 8, 16, 32):
        error, spread = _train(n, depth, w, 1500, seed=w)
        relative[w] = error / spread
    assert all(relative[w] < 0.08 for w in relative if w >= curve)
    assert all(relative[w] > 0.1 for w in relative if w <= curve / 2)


def _train_case(case):
    n, k, w = case
    return _train(n, k, w, 4000, seed=w)


@pytest.mark.slow
def test_larger_sweep(sweep_executor):
    # n = 8: the curve is 256 for one hidden layer, ≈ 20 for two, 16 for three.  Above it the
    # net fits (error < 10% of the constant predictor's); below it nothing is claimed — a wider
    # one-layer net still far below 256 is not better here (measured 0.33, 0.42, 0.45 at widths
    # 4, 16, 64) — but every one-layer width does worse than the deep nets above their curves.
    n = 8
    widths = (4, 16, 64)
    cases = [(n, k, w) for k in (1, 2, 3) for w in widths]
    trained = symdepth.sweep(_train_case, cases, executor=sweep_executor).values
    errors = {(k, w): e for (_, k, w), e in zip(cases, trained)}
    baseline = errors[1, 4][1]
    above = [(k, w) for (k, w) in errors if k > 1 and w >= _curve(n, k)]
    assert above and all(errors[key][0] < 0.1 * baseline for key in above)
    assert all(errors[1, w][0] > max(errors[key][0] for key in above) for w in widths)
