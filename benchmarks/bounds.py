"""Benchmark rows for uniform approximation: check_uniform against the interval grid a user
would write and against its own mean value form (``--only uniform``), and rigorous bounds at
float speed (issue 40, ``--only bounds``): the default (the batched engine) against the ball
engine alone, on small trained networks.

The networks are trained here with numpy (Adam, full batch, seeded) to fit a product on
[−1, 1]^n, as in the auto_LiRPA comparison of the issue: 2-8-1 and 2-32-1 tanh nets against
x1·x2 at the ε that auto_LiRPA's CROWN bound on a 32 × 32 grid gives for its nets (0.04677
and 0.05721), a 3-16-1 tanh net against x1·x2·x3 and a 2-16-16-1 ReLU net against x1·x2 at
1.1 × their proven sup.
"""

from __future__ import annotations

import itertools
import time
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
        if eps is None or quick:   # quick: less training, so its own sup rather than CROWN's
            eps = Fraction(sup_enclosure(net, poly, rtol=Fraction(1, 20)).upper) * Fraction(11, 10)
        ours = _best(lambda net=net, poly=poly, eps=eps: check_uniform(net, poly, eps))
        base = _best(lambda net=net, poly=poly, eps=eps: check_uniform(net, poly, eps, engine="balls"), 1)
        result = check_uniform(net, poly, eps)
        verdict = f"holds, {result.cells} cells" if result.ok else "fails"
        rows.append(_row(f"uniform trained {name} vs {poly}, eps {float(eps):.4g} ({verdict}; vs ball engine)",  # float: label
                         "[-1,1]^n", base, ours, timeout))
    return rows


def naive_interval_cells(net: Any, poly: str, eps: float, deadline: float) -> tuple:
    """What a user without a Taylor model writes: evaluate N − p by plain interval arithmetic
    (mpmath ``iv``) on a uniform grid of m^n cells, doubling m until every cell's interval is
    within ±eps.  Returns (True, cells of the first grid that works) or, at the deadline,
    (False, cells of the grid being tried)."""
    from fractions import Fraction

    import networkx as nx
    from mpmath import iv

    from symdepth.parsing import polynomial_terms

    iv.dps = 30
    _, terms = polynomial_terms(poly, net.inputs)
    g = net.graph
    order = [node for node in nx.topological_sort(g) if g.nodes[node]["kind"] != "input"]

    def rational(x: Any) -> Any:
        q = Fraction(str(x))
        return iv.mpf(q.numerator) / q.denominator

    weights = {node: [(u, rational(w)) for u, _, w in g.in_edges(node, data="weight")] for node in order}
    biases = {node: rational(g.nodes[node].get("bias", 0)) for node in order}

    def enclose(box: tuple) -> Any:
        values = dict(zip(net.inputs, box))
        for node in order:
            pre = biases[node] + sum((w * values[u] for u, w in weights[node]), iv.mpf(0))
            values[node] = pre if g.nodes[node]["kind"] == "output" else iv.exp(pre)
        out = values[net.output]
        for m, c in terms.items():
            term = rational(c)
            for x, e in zip(box, m):
                term = term * x**e if e else term
            out = out - term
        return out

    m = 1
    while True:
        edges = [iv.mpf([-1 + 2 * k / m, -1 + 2 * (k + 1) / m]) for k in range(m)]
        for box in itertools.product(edges, repeat=net.num_inputs):
            if time.perf_counter() > deadline:
                return False, m**net.num_inputs
            bound = enclose(box)
            if max(abs(bound.a), abs(bound.b)) > eps:
                break
        else:
            return True, m**net.num_inputs
        m *= 2


def mean_value_only(net: Any, poly: str, eps: Any) -> Any:
    """check_uniform with its Taylor model switched off: the mean value form alone on each
    cell (symdepth's method for several inputs before the Taylor model)."""
    import dataclasses

    from symdepth.uniform import check_uniform, search

    compile_with_model = search._compile
    search._compile = lambda *args: dataclasses.replace(compile_with_model(*args), taylor_order=0)
    try:
        return check_uniform(net, poly, eps, max_cells=200_000, engine="balls")
    finally:
        search._compile = compile_with_model


def bench_uniform(quick: bool, timeout: float) -> list:
    """check_uniform (Taylor model + subdivision) against a uniform grid of plain interval
    evaluations, to prove the same ε on [−1, 1]^n: cells and time."""
    from symdepth import constructions
    from symdepth.check import rescale
    from symdepth.uniform import check_uniform

    from .run import _baseline, _best, _row

    cases = [("deep x^4 (exp)", constructions.deep_power(4, "exp"), "x1^4", 4, 16, 1000)]
    if not quick:
        cases += [("product gate x1*x2 (exp)", constructions.product_tree(2, [2], "exp"), "x1*x2", 2, 16, 1000),
                  ("product tree x1x2x3x4 (exp)", constructions.product_tree(4, [2, 2], "exp"), "x1*x2*x3*x4", 4, 64,
                   1000)]
    rows = []
    for name, net, poly, d, inverse_delta, inverse_eps in cases:
        small = rescale(net, Fraction(1, inverse_delta), d)
        eps = Fraction(1, inverse_eps)
        ours = _best(lambda small=small, poly=poly, eps=eps: check_uniform(small, poly, eps))
        cells = check_uniform(small, poly, eps).cells
        started = time.perf_counter()
        done, naive = naive_interval_cells(small, poly, 1 / inverse_eps, started + timeout)
        base = time.perf_counter() - started if done else None
        shown = f"{naive:,}" if done else f">= {naive:.1e}"
        rows.append(_row(f"uniform {name} ({cells} cells vs {shown}, iv grid)", f"1/{inverse_delta}", base, ours,
                         timeout))
        base = _baseline(mean_value_only, (small, poly, eps), timeout)
        rows.append(_row(f"uniform {name} (vs mean value form only)", f"1/{inverse_delta}", base, ours, timeout))
    return rows
