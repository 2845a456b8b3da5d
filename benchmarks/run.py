"""Benchmarks: symdepth against the naive approach, measured in the same run.

    python -m benchmarks            # full tables (several minutes)
    python -m benchmarks --quick    # smoke run with small sizes (what the test suite calls)
    python -m benchmarks --json out.json

Every row times symdepth and a baseline on the same input; baselines run in a subprocess
with a timeout and are reported as "> T s" when they do not finish.  Ratios are baseline /
ours.  Nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import multiprocessing as mp
import platform
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import sympy

from symdepth import bounds, check_taylor, constructions, piecewise


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def _child(queue: Any, fn: Callable, args: tuple) -> None:
    start = time.perf_counter()
    fn(*args)
    queue.put(time.perf_counter() - start)


def _baseline(fn: Callable, args: tuple, timeout: float) -> float | None:
    """Seconds taken by fn(*args) in a subprocess, or None after ``timeout``."""
    ctx = mp.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(queue, fn, args))
    proc.start()
    proc.join(timeout)
    if proc.is_alive():
        proc.terminate()
        proc.join()
        return None
    return queue.get() if not queue.empty() else None


# -- baselines users write --------------------------------------------------------------------


def exact_check(net_json: str, degree: int) -> None:
    """symdepth's own exact method on a univariate claim x^degree (the randomized rows' baseline)."""
    from symdepth import Network
    check_taylor(Network.from_json(net_json), {(degree,): 1}, method="exact")


def sympy_series_check(net_json: str, degree: int) -> None:
    """Build the closed form with sympy and expand it with sympy.series in a scaling variable t."""
    from symdepth import Network

    net = Network.from_json(net_json)
    t = sympy.Symbol("t")
    expr = net.to_sympy().xreplace({sympy.Symbol(x): t * sympy.Symbol(x) for x in net.inputs})
    sympy.expand(sympy.series(expr, t, 0, degree + 1).removeO())


def ring_series_check(net_json: str, degree: int) -> None:
    """The strongest exact sympy baseline: sympy.polys.ring_series over QQ[x, t] with t scaling."""
    import networkx as nx
    from sympy.polys.ring_series import rs_exp, rs_tanh
    from sympy.polys.rings import ring

    from symdepth import Network

    net = Network.from_json(net_json)
    names = list(net.inputs) + ["t"]
    R, *gens = ring(",".join(names), sympy.QQ)
    t = gens[-1]
    values = {}
    for node in nx.topological_sort(net.graph):
        data = net.graph.nodes[node]
        if data["kind"] == "input":
            values[node] = gens[names.index(node)] * t
            continue
        u = R(0)
        for a, _, w in net.graph.in_edges(node, data="weight"):
            u += R(sympy.Rational(str(w))) * values[a]
        if data["kind"] == "output":
            return
        fn = rs_exp if data["activation"].name == "exp" else rs_tanh
        values[node] = fn(u, t, degree + 1)


def sympy_matrix_rank(rows: list) -> None:
    sympy.Matrix(rows).rank()


def sympy_piecewise_crossings(layers: int) -> int:
    x = sympy.Symbol("x")
    tent = sympy.Piecewise((2 * x, x < sympy.Rational(1, 2)), (2 - 2 * x, True))
    f = x
    for _ in range(layers):
        f = tent.subs(x, f)
    f = sympy.piecewise_fold(f)
    count = 0
    for expr, _condition in f.args:
        count += len(sympy.solveset(sympy.Eq(expr, sympy.Rational(1, 2)), x, sympy.Interval(0, 1)))
    return count


def fraction_relu_pieces(net_json: str) -> int:
    """What a user writes for the pieces of a univariate ReLU net on [0, 1]: each node as
    sorted (x, value) knots in Fractions, neuron by neuron (merge, add, split at zeros)."""
    from fractions import Fraction

    import networkx as nx

    from symdepth import Network

    net = Network.from_json(net_json)

    def at(knots: list, x: Fraction) -> Fraction:
        for (x0, y0), (x1, y1) in zip(knots, knots[1:]):
            if x0 <= x <= x1:
                return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        raise ValueError(x)

    values: dict = {}
    for node in nx.topological_sort(net.graph):
        data = net.graph.nodes[node]
        if data["kind"] == "input":
            values[node] = [(Fraction(0), Fraction(0)), (Fraction(1), Fraction(1))]
            continue
        parts = [(values[u], Fraction(w)) for u, _, w in net.graph.in_edges(node, data="weight")]
        xs = sorted({x for knots, _ in parts for x, _ in knots})
        pointers = [0] * len(parts)
        total = []
        for x in xs:
            y = Fraction(data["bias"])
            for k, (knots, w) in enumerate(parts):
                while knots[pointers[k] + 1][0] < x:
                    pointers[k] += 1
                y += w * at(knots[pointers[k]:pointers[k] + 2], x)
            total.append((x, y))
        if data["kind"] == "output":
            return len(total) - 1
        out = []
        for (x0, y0), (x1, y1) in zip(total, total[1:]):
            out.append((x0, max(y0, Fraction(0))))
            if (y0 < 0 < y1) or (y1 < 0 < y0):
                out.append((x0 + (x1 - x0) * y0 / (y0 - y1), Fraction(0)))
        out.append((total[-1][0], max(total[-1][1], Fraction(0))))
        values[node] = out
    raise ValueError("no output")


def random_relu_net_2d(widths: tuple, seed: int = 0) -> Any:
    """A random 2-input ReLU net with dyadic weights in [-1, 1] (exact in float32 too)."""
    from fractions import Fraction

    from symdepth import Network

    rng = random.Random(seed)
    sizes = [2] + list(widths)
    weights = [[[Fraction(rng.randint(-64, 64), 64) for _ in range(a)] for _ in range(b)]
               for a, b in zip(sizes, sizes[1:])]
    biases = [[Fraction(rng.randint(-64, 64), 64) for _ in range(b)] for b in widths]
    return Network.from_layers(weights + [[[1] * widths[-1]]], biases + [[0]], "relu")


def regioncam_layers(widths: tuple, seed: int) -> list:
    """The weights and biases of ``random_relu_net_2d(widths, seed)`` as float32 arrays, in
    the (in, out) layout regioncam takes (the dyadic weights are exact in float32)."""
    from .regions import dense_layers, regioncam_prepared

    return regioncam_prepared(*dense_layers(random_relu_net_2d(widths, seed)))


def regioncam_faces(layers: list, size: float = 1) -> int:
    """The float32 tool regioncam (Rust) on prepared layers, on [−size, size]²: its number of
    faces."""
    import regioncam

    rc = regioncam.Regioncam(size=size)
    for weight, bias in layers:
        rc.linear(weight, bias)
        rc.relu()
    return int(rc.num_faces)


def regioncam_regions(widths: tuple, seed: int) -> int:
    """regioncam's face count for ``random_relu_net_2d(widths, seed)``."""
    return regioncam_faces(regioncam_layers(widths, seed))


# -- tables --------------------------------------------------------------------------------


def _row(name: str, size: Any, base: float | None, ours: float, timeout: float) -> dict:
    return {"capability": name, "size": size, "baseline_s": base, "ours_s": ours,
            "ratio": (base / ours) if base is not None and ours > 0 else None, "timeout": timeout}


def bench_power(quick: bool, timeout: float) -> list:
    rows = []
    for d in ([3] if quick else [3, 5, 7]):
        net = constructions.deep_power(d, "exp")
        ours, _ = _timed(lambda net=net, d=d: check_taylor(net, {(d,): 1}, method="exact"))
        base = _baseline(sympy_series_check, (net.to_json(), d), timeout)
        rows.append(_row("deep x^d, exact (vs sympy.series)", d, base, ours, timeout))
    for d in ([63] if quick else [255, 1023]):
        net = constructions.deep_power(d, "exp")
        ours, _ = _timed(lambda net=net, d=d: check_taylor(net, {(d,): 1}, method="exact"))
        rows.append(_row("deep x^d, exact", d, None, ours, 0))
    for d in ([1023] if quick else [4095, 65535]):
        net = constructions.deep_power(d, "exp")
        ours, _ = _timed(lambda net=net, d=d: check_taylor(net, {(d,): 1}, method="random", seed=1))
        base = _baseline(exact_check, (net.to_json(), d), timeout)
        rows.append(_row("deep x^d, randomized (vs exact)", d, base, ours, timeout))
        two, _ = _timed(lambda net=net, d=d: check_taylor(net, {(d,): 1}, method="random", seed=1, workers=2))
        rows.append(_row("deep x^d, randomized, 2 processes (vs 1)", d, ours, two, 0))
    return rows


def bench_product(quick: bool, timeout: float) -> list:
    rows = []
    for n in ([2] if quick else [2, 4]):
        net = constructions.product_tree(n, [2] * (n.bit_length() - 1), "exp")
        claim = {(1,) * n: 1}
        ours, _ = _timed(lambda net=net, claim=claim: check_taylor(net, claim, method="exact"))
        base = _baseline(sympy_series_check, (net.to_json(), n), timeout)
        rows.append(_row("product tree, exact (vs sympy.series)", n, base, ours, timeout))
        base = _baseline(ring_series_check, (net.to_json(), n), timeout)
        rows.append(_row("product tree, exact (vs ring_series)", n, base, ours, timeout))
    for n in ([4] if quick else [8]):
        net = constructions.product_tree(n, [2] * (n.bit_length() - 1), "exp")
        ours, _ = _timed(lambda net=net, n=n: check_taylor(net, {(1,) * n: 1}, method="exact"))
        rows.append(_row("product tree, exact", n, None, ours, 0))
    for n in ([64] if quick else [1024]):
        net = constructions.product_tree(n, [2] * (n.bit_length() - 1), "exp")
        ours, _ = _timed(lambda net=net, n=n: check_taylor(net, {(1,) * n: 1}, method="random", seed=1))
        rows.append(_row("product tree, randomized", n, None, ours, 0))
    return rows


def random_tanh_mlp(inputs: int, width: int, layers: int, seed: int = 0) -> Any:
    from fractions import Fraction

    from symdepth import Network

    rng = random.Random(seed)
    sizes = [inputs] + [width] * layers
    weights = [[[Fraction(rng.randint(-3, 3), 4) for _ in range(a)] for _ in range(b)] for a, b in zip(sizes, sizes[1:])]
    weights.append([[Fraction(rng.randint(-3, 3), 4) for _ in range(width)]])
    return Network.from_layers(weights, None, "tanh")


def bench_mlp(quick: bool, timeout: float) -> list:
    rows = []
    for inputs, degree in ([(3, 4)] if quick else [(4, 6), (8, 8)]):
        net = random_tanh_mlp(inputs, inputs, 2)
        ours, _ = _timed(lambda net=net, degree=degree: check_taylor(net, 0, degree=degree, method="exact"))
        base = _baseline(ring_series_check, (net.to_json(), degree), timeout)
        rows.append(_row("tanh MLP 2x n, exact (vs ring_series)", f"n={inputs},d={degree}", base, ours, timeout))
        base = _baseline(sympy_series_check, (net.to_json(), degree), timeout)
        rows.append(_row("tanh MLP 2x n, exact (vs sympy.series)", f"n={inputs},d={degree}", base, ours, timeout))
    return rows


def bench_rank(quick: bool, timeout: float) -> list:
    rows = []
    rng = random.Random(0)
    for terms_count in ([10] if quick else [20, 300]):
        terms = {}
        while len(terms) < terms_count:
            mono = [0] * 40
            for i in rng.sample(range(40), 4):
                mono[i] = rng.randint(1, 3)
            terms[tuple(mono)] = rng.randint(1, 9)
        size = bounds.derivative_matrix_size(terms)
        ours, _ = _timed(lambda terms=terms: bounds.derivative_rank(terms))
        base = None
        if size[0] * size[1] <= 4 * 10**6:
            from symdepth.bounds.rank import _derivative_entries

            rows_, cols_, entries = _derivative_entries(terms, None)
            dense = [[0] * len(cols_) for _ in range(len(rows_))]
            for r, c, v in entries:
                dense[r][c] = v
            base = _baseline(sympy_matrix_rank, (dense,), timeout)
        rows.append(_row("derivative_rank over Q (vs sympy Matrix.rank)", f"{size[0]}x{size[1]}", base, ours, timeout))
    return rows


def bench_crossings(quick: bool, timeout: float) -> list:
    rows = []
    for layers in ([3] if quick else [4, 6]):
        ours, _ = _timed(lambda layers=layers: piecewise.crossings(piecewise.sawtooth_function(layers)))
        base = _baseline(sympy_piecewise_crossings, (layers,), timeout)
        rows.append(_row("Cr(sawtooth(l)) (vs sympy Piecewise + solveset)", layers, base, ours, timeout))
    for layers in ([12] if quick else [16, 20]):
        ours, _ = _timed(lambda layers=layers: piecewise.crossings(piecewise.sawtooth_function(layers)))
        rows.append(_row("Cr(sawtooth(l))", layers, None, ours, 0))
    for layers in ([8] if quick else [10, 12, 16, 20]):
        net = piecewise.sawtooth(layers)
        ours, cr = _timed(lambda net=net: piecewise.crossings(piecewise.from_network(net, domain=(0, 1))))
        assert cr == 2**layers + 1
        base = _baseline(fraction_relu_pieces, (net.to_json(),), timeout) if layers <= 16 else None
        rows.append(_row("ReLU net -> pieces + Cr, exact (vs Fraction knots)", layers, base, ours,
                         timeout if layers <= 16 else 0))
    return rows


def bench_regions(quick: bool, timeout: float) -> list:
    """Both sides warm, best of 3 in this process.  regions_2d starts from the Network
    (validation and reading the weights included); regioncam once from the same Network (its
    float32 arrays built from the graph inside the timing, as a user would) and once from
    arrays prepared beforehand (the Rust engine alone).  For two sizes, also regions_2d with
    the exact Region records (Fractions) built."""
    rows = []
    for widths in ([(8, 8)] if quick else [(16, 16, 16), (32, 32, 32), (48, 48, 48), (64, 64), (128, 128),
                                           (64, 64, 64)]):
        net = random_relu_net_2d(widths)
        result = piecewise.regions_2d(net)
        ours = _best(lambda net=net: piecewise.regions_2d(net))
        size = "x".join(map(str, widths))
        try:
            layers = regioncam_layers(widths, 0)
        except ImportError:
            rows.append(_row(f"regions_2d ({result.num_regions} regions)", size, None, ours, 0))
            continue
        label = f"{result.num_regions} vs {regioncam_faces(layers)}"
        from_net = _best(lambda widths=widths: regioncam_regions(widths, 0))
        engine = _best(lambda layers=layers: regioncam_faces(layers))
        rows.append(_row(f"regions_2d (vs regioncam, from Network; {label})", size, from_net, ours, 0))
        rows.append(_row("regions_2d (vs regioncam, from float32 arrays)", size, engine, ours, 0))
        if widths in ((48, 48, 48), (128, 128)):
            records = _best(lambda net=net: piecewise.regions_2d(net).regions)
            rows.append(_row("regions_2d + Region records (vs regioncam, from Network)", size, from_net, records, 0))
    return rows


def _best(fn: Callable[[], Any], repeats: int = 3) -> float:
    """Warm timing: the best of a few runs (imports and caches already done by the first)."""
    return min(_timed(fn)[0] for _ in range(repeats))


def component_rank(terms: dict, prime: int | None) -> None:
    """The general derivative-matrix path (every entry, ranked per component): what
    derivative_rank did for every polynomial before forms got order blocks."""
    from symdepth.bounds.rank import _component_rank

    _component_rank(terms, None, prime, 10**12)


def dense_block_sympy_rank(terms: dict) -> None:
    """sympy's exact rank of the middle order block of a form (assembled by the definition)."""
    n, d = len(next(iter(terms))), sum(next(iter(terms)))
    s = d // 2
    rows = [m for m in itertools.product(range(s + 1), repeat=n) if sum(m) == s]
    cols = [m for m in itertools.product(range(d - s + 1), repeat=n) if sum(m) == d - s]
    matrix = [[terms.get(tuple(a + b for a, b in zip(r, c)), 0) * math.prod(math.factorial(a + b) for a, b in zip(r, c))
               for c in cols] for r in rows]
    sympy.Matrix(matrix).rank()


def random_form(n: int, d: int, seed: int = 0) -> dict:
    rng = random.Random(seed)
    return {m: rng.randint(-9, 9) or 1 for m in itertools.product(range(d + 1), repeat=n) if sum(m) == d}


def bench_dense_rank(quick: bool, timeout: float) -> list:
    from symdepth.parsing import polynomial_terms

    prime = 2**61 - 1
    rows = []
    cases = ["(x1+x2+x3+x4)^8"] if quick else ["(x1+x2+x3+x4)^16", "(x1+x2+x3+x4)^30"]
    for text in cases:
        terms = polynomial_terms(text)[1]
        ours = _best(lambda terms=terms: bounds.derivative_rank(terms, field=prime))
        base = _baseline(component_rank, (terms, prime), timeout)
        rows.append(_row(f"dense rank GF(p) {text} (vs entry-wise)", len(terms), base, ours, timeout))
        ours_q = _best(lambda terms=terms: bounds.derivative_rank(terms))
        rows.append(_row(f"dense rank over Q {text} (vs rank mod p)", len(terms), ours, ours_q, 0))
    for n, d in ([(4, 6)] if quick else [(6, 8), (7, 10)]):
        terms = random_form(n, d)
        ours = _best(lambda terms=terms: bounds.derivative_rank(terms, field=prime, max_entries=10**9))
        base = _baseline(component_rank, (terms, prime), timeout)
        rows.append(_row(f"random form n={n}, d={d}, GF(p) (vs entry-wise)", len(terms), base, ours, timeout))
    for n, d in ([(3, 4)] if quick else [(3, 8), (4, 8)]):
        terms = random_form(n, d, 1)
        ours = _best(lambda terms=terms, d=d: bounds.derivative_rank(terms, order=d // 2))
        base = _baseline(dense_block_sympy_rank, (terms,), timeout)
        rows.append(_row(f"middle block rank over Q n={n}, d={d} (vs sympy Matrix.rank)", len(terms), base, ours,
                         timeout))
    return rows


def bench_certificates(quick: bool, timeout: float) -> list:
    """Issue 28's target: checking prove's certificates takes at most 2x producing them.
    Baseline: the proof suite writing its certificates (serial, the checker's time excluded);
    ours: certcheck on all of them in one process.  One run each (the suite takes minutes);
    the imports are done before either clock starts."""
    import tempfile
    from pathlib import Path

    from certcheck.__main__ import check_files
    from symdepth.prove import run_proofs

    pattern = "rt_thm41 or rt_thm43 or tel_tri" if quick else None
    with tempfile.TemporaryDirectory() as folder:
        report = run_proofs(pattern, certificates=folder, workers=1)
        producing = report.seconds - report.certificate_seconds
        files = sorted(str(p) for p in Path(folder).rglob("*.json"))
        checking, statuses = _timed(lambda: check_files(files, 1))
    assert all(status == "verified" for status, _ in statuses), "a certificate was not verified"
    rows = [_row(f"certcheck on prove's certificates (vs producing them){' -k ...' if quick else ''}",
                 f"{len(files)} files", producing, checking, 0)]
    # the largest table: the minimal-width table of the README, every cell with its certificate
    import json

    from certcheck import verify
    from symdepth import tables
    from symdepth.bounds import minimal_shallow_widths

    polys = tables.MINIMAL_TABLE_POLYNOMIALS[:2] if quick else tables.MINIMAL_TABLE_POLYNOMIALS
    cells = [(p, a) for p in polys for a in ("exp", "tanh", "softplus", "generic")]
    producing, documents = _timed(lambda: [json.loads(json.dumps(w.certificate())) for p, a in cells
                                           for w in minimal_shallow_widths(p, a).values()])
    checking, _ = _timed(lambda: [verify(d) for d in documents])
    rows.append(_row("certcheck on the minimal-width table's certificates (vs producing it)",
                     f"{len(documents)} cells", producing, checking, 0))
    return rows


def _mnist_like_onnx(path: str, width: int, depth: int) -> None:
    """A 784-input fc net of ``depth`` ReLU layers of ``width`` and ten outputs, as MNIST
    benchmarks publish them (MatMul + Add), seeded float32 weights."""
    import numpy as np
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    rng = np.random.default_rng(0)
    sizes = [784] + [width] * depth + [10]
    nodes, inits, current = [], [], "x"
    for i, (n, m) in enumerate(zip(sizes, sizes[1:])):
        inits += [numpy_helper.from_array((rng.normal(size=(n, m)) / np.sqrt(n)).astype(np.float32), f"W{i}"),
                  numpy_helper.from_array((rng.normal(size=m) / 10).astype(np.float32), f"B{i}")]
        nodes += [helper.make_node("MatMul", [current, f"W{i}"], [f"m{i}"]),
                  helper.make_node("Add", [f"m{i}", f"B{i}"], [f"a{i}"])]
        current = f"a{i}"
        if i < depth:
            nodes.append(helper.make_node("Relu", [current], [f"r{i}"]))
            current = f"r{i}"
    nodes.append(helper.make_node("Identity", [current], ["y"]))
    graph = helper.make_graph(nodes, "mnist_like", [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 784])],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 10])], inits)
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)]), path)


def bench_onnx(quick: bool, timeout: float) -> list:
    """Published-style nets in: loading (vs onnx.load reading the same file) and an exact
    evaluation at a rational point, warm (vs onnx's reference evaluator in float32, warm)."""
    import tempfile
    from fractions import Fraction

    import numpy as np
    import onnx
    from onnx.reference import ReferenceEvaluator

    from symdepth import Network

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for width, depth in ([(64, 3)] if quick else [(256, 6)]):
            path = f"{folder}/mnist_{width}x{depth}.onnx"
            _mnist_like_onnx(path, width, depth)
            base, _ = _timed(lambda path=path: onnx.load(path))
            ours, net = _timed(lambda path=path: Network.from_onnx(path, output=0))
            rows.append(_row("load a 784-input ONNX net exactly (vs onnx.load)", f"{depth}x{width}", base, ours, 0))
            point = [Fraction(i % 7, 13) for i in range(784)]
            net.evaluate(point)  # warm: the layer matrices are built once per network
            ours, _ = _timed(lambda net=net, point=point: net.evaluate(point))
            reference = ReferenceEvaluator(path)
            x = np.array([[float(p) for p in point]], dtype=np.float32)  # float: the reference's own input
            reference.run(None, {"x": x})
            base, _ = _timed(lambda reference=reference, x=x: reference.run(None, {"x": x}))
            rows.append(_row("exact evaluate at a point, warm (vs onnx reference, float32)", f"{depth}x{width}", base,
                             ours, 0))
    return rows


def format_rows(rows: list) -> str:
    lines = [f"{'capability':<58}{'size':>12}{'baseline s':>14}{'ours s':>10}{'ratio':>10}"]
    for r in rows:
        if r["baseline_s"] is None and r["timeout"]:
            base = f"> {r['timeout']:.0f}"
        elif r["baseline_s"] is None:
            base = "-"
        else:
            base = f"{r['baseline_s']:.3f}"
        ratio = "-" if r["ratio"] is None else f"{r['ratio']:.0f}x" if r["ratio"] >= 10 else f"{r['ratio']:.2g}x"
        if r["baseline_s"] is None and r["timeout"]:
            ratio = f"> {r['timeout'] / r['ours_s']:.0f}x"
        lines.append(f"{r['capability']:<58}{str(r['size']):>12}{base:>14}{r['ours_s']:>10.3f}{ratio:>10}")
    return "\n".join(lines)


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, short timeouts")
    parser.add_argument("--timeout", type=float, default=None, help="baseline timeout in seconds")
    parser.add_argument("--json", help="also write the rows as JSON")
    from .bounds import bench_bounds, bench_uniform
    from .regions import bench_deep_regions

    benches = {bench.__name__.removeprefix("bench_"): bench for bench in (
        bench_power, bench_product, bench_mlp, bench_rank, bench_dense_rank, bench_uniform, bench_bounds,
        bench_crossings, bench_regions, bench_deep_regions, bench_certificates, bench_onnx)}
    parser.add_argument("--only", nargs="+", choices=sorted(benches), help="run only these tables")
    args = parser.parse_args(argv)
    timeout = args.timeout or (20.0 if args.quick else 120.0)
    rows = []
    for name, bench in benches.items():
        if args.only and name not in args.only:
            continue
        rows += bench(args.quick, timeout)
        if sys.stderr.isatty():  # progress: the table so far
            sys.stderr.write(format_rows(rows) + "\n\n")
    print(format_rows(rows))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump({"python": platform.python_version(), "quick": args.quick, "rows": rows}, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
