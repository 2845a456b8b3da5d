"""Benchmark rows for rigorous bounds at float speed (issue 40): check_uniform's default
(the batched engine) against the ball engine alone, on small trained networks.

The networks are trained here with numpy (Adam, full batch, seeded) to fit a product on
[−1, 1]^n, as in the auto_LiRPA comparison of the issue: 2-8-1 and 2-32-1 tanh nets against
x1·x2 at the ε that auto_LiRPA's CROWN bound on a 32 × 32 grid gives for its nets (0.04677
and 0.05721), a 3-16-1 tanh net against x1·x2·x3 and a 2-16-16-1 ReLU net against x1·x2 at
1.1 × their proven sup.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np


def train(sizes: list, activation: str, target: Any, seed: int = 0, steps: int = 3000) -> Any:
    """A dense network of these layer sizes fitted to ``target`` (a numpy function of the
    inputs' columns) on a grid of [−1, 1]^n, as a symdepth Network with its float weights."""
    from symdepth import Network

    rng = np.random.default_rng(seed)
    n = sizes[0]
    axis = np.linspace(-1, 1, 21 if n <= 2 else 9)
    x = np.array(np.meshgrid(*[axis] * n)).reshape(n, -1).T
    y = target(x)
    weights = [rng.normal(0, 1 / np.sqrt(a), (a, b)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.5 if i < len(sizes) - 2 else 0.0, b) for i, b in enumerate(sizes[1:])]
    params = weights + biases
    first, second = [np.zeros_like(p) for p in params], [np.zeros_like(p) for p in params]
    act, slope = ((np.tanh, lambda h: 1 - h**2) if activation == "tanh" else
                  (lambda z: np.maximum(z, 0), lambda h: (h > 0).astype(float)))
    for t in range(1, steps + 1):
        hidden = [x]
        for w, b in zip(weights[:-1], biases[:-1]):
            hidden.append(act(hidden[-1] @ w + b))
        delta = (hidden[-1] @ weights[-1] + biases[-1])[:, 0] - y
        delta = delta[:, None] / len(y)
        grads_w, grads_b = [], []
        for k in range(len(weights) - 1, -1, -1):
            grads_w.insert(0, hidden[k].T @ delta)
            grads_b.insert(0, delta.sum(0))
            if k:
                delta = (delta @ weights[k].T) * slope(hidden[k])
        for p, g, m, v in zip(params, grads_w + grads_b, first, second):
            m[:] = 0.9 * m + 0.1 * g
            v[:] = 0.999 * v + 0.001 * g**2
            p -= 0.01 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return Network.from_layers([w.T.tolist() for w in weights], [b.tolist() for b in biases], activation)


def bench_bounds(quick: bool, timeout: float) -> list:
    from symdepth.uniform import check_uniform, sup_enclosure

    from .run import _best, _row

    product = {2: "x1*x2", 3: "x1*x2*x3"}
    cases = [("2-8-1 tanh", [2, 8, 1], "tanh", Fraction(4677, 100000)),
             ("2-32-1 tanh", [2, 32, 1], "tanh", Fraction(5721, 100000))]
    if not quick:
        cases += [("3-16-1 tanh", [3, 16, 1], "tanh", None), ("2-16-16-1 relu", [2, 16, 16, 1], "relu", None)]
    rows = []
    for name, sizes, activation, eps in cases:
        net = train(sizes, activation, lambda x: np.prod(x, axis=1), steps=600 if quick else 3000)
        poly = product[sizes[0]]
        if eps is None:
            eps = Fraction(sup_enclosure(net, poly, rtol=Fraction(1, 20)).upper) * Fraction(11, 10)
        ours = _best(lambda net=net, poly=poly, eps=eps: check_uniform(net, poly, eps))
        base = _best(lambda net=net, poly=poly, eps=eps: check_uniform(net, poly, eps, engine="balls"), 1)
        result = check_uniform(net, poly, eps)
        verdict = f"holds, {result.cells} cells" if result.ok else "fails"
        rows.append(_row(f"uniform trained {name} vs {poly}, eps {float(eps):.4g} ({verdict}; vs ball engine)",  # float: label
                         "[-1,1]^n", base, ours, timeout))
    return rows
