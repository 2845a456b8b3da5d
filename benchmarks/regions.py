"""Benchmark rows for the linear regions of deep networks (issue 39): regions_2d (exact)
against regioncam (float32, Rust) on the same inputs, both warm.

Two seeded random ReLU networks with float weights (He initialisation), as published nets
have them: one of ACAS Xu's shape (5 inputs, 6 hidden layers of 50) cut by the plane of its
first two inputs on boxes of radius 0.05, 0.2 and 0.5 (the slices of the issue), and a deep
two-input net of widths 512, 256, …, 4 (8 layers, the shape of the two-level-lattice
benchmark nets).  regioncam gets the same weights as float32 arrays, the slice folded into
its first layer; its count is of faces, which float32 may split into slivers.

Published nets, when ``SYMDEPTH_VNNCOMP`` names a checkout of VNN-COMP 2022's benchmarks
(github.com/ChristopherBrix/vnncomp2022_benchmarks; the ONNX files are not ours to ship):
ACAS Xu 1_1 on the plane of its first two inputs, and the two-level-lattice net
tllBench_n=2_N=M=16 (2 inputs, 8 ReLU layers of 512 … 4), read with ``Network.from_onnx``.
"""

from __future__ import annotations

import gzip
import os
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

PUBLISHED = [("ACAS Xu 1_1 (VNN-COMP)", "acasxu/onnx/ACASXU_run2a_1_1_batch_2000.onnx", (0.05, 0.2, 0.5)),
             ("TLL N=M=16 (VNN-COMP)", "tllverifybench/onnx/tllBench_n=2_N=M=16_m=1_instance_1_0.onnx", (0.5,))]


def random_relu(sizes: list, seed: int = 0) -> tuple:
    """(weights as (out, in) arrays, biases) of a random ReLU net, float64."""
    rng = np.random.default_rng(seed)
    weights = [rng.normal(0, np.sqrt(2 / a), (b, a)) for a, b in zip(sizes, sizes[1:])]
    biases = [rng.normal(0, 0.1, b) for b in sizes[1:]]
    return weights, biases


def as_network(weights: list, biases: list) -> Any:
    from symdepth import Network

    return Network.from_layers([w.tolist() for w in weights] + [[[1.0] * len(biases[-1])]],
                               [b.tolist() for b in biases] + [[0.0]], "relu")


def regioncam_prepared(weights: list, biases: list) -> list:
    """Layers as regioncam takes them: float32, (in, out); a net of more than two inputs
    keeps the columns of its first two (the plane of the first two inputs through 0)."""
    return [(np.ascontiguousarray((w[:, :2] if k == 0 else w).T, dtype=np.float32), b.astype(np.float32))
            for k, (w, b) in enumerate(zip(weights, biases))]


def regioncam_faces(weights: list, biases: list, radius: float) -> int:
    """regioncam on the plane of the first two inputs, [−r, r]²: its number of faces (the
    float32 conversion inside the timing, as for regions_2d's reading)."""
    from .run import regioncam_faces as faces

    return faces(regioncam_prepared(weights, biases), radius)


def dense_layers(net: Any) -> tuple:
    """A layered network's (weights as (out, in) float64 arrays, biases), read from its graph."""
    g, layer = net.graph, net.layers()
    grouped: dict = {}
    for node in net.neurons:
        grouped.setdefault(layer[node], []).append(node)
    previous, weights, biases = list(net.inputs), [], []
    for key in sorted(grouped):
        nodes = grouped[key]
        weights.append(np.array([[float(g.edges[u, n]["weight"]) if g.has_edge(u, n) else 0.0  # float: for regioncam
                                  for u in previous] for n in nodes]))
        biases.append(np.array([float(g.nodes[n]["bias"]) for n in nodes]))  # float: for regioncam
        previous = nodes
    return weights, biases


def published_nets(quick: bool) -> list:
    """(name, Network, radii) of the published nets found under $SYMDEPTH_VNNCOMP."""
    from symdepth import Network

    root = os.environ.get("SYMDEPTH_VNNCOMP")
    if not root or quick:
        return []
    found = []
    for name, relative, radii in PUBLISHED:
        path = Path(root) / "benchmarks" / relative
        if not path.exists() and path.with_suffix(".onnx.gz").exists():
            with tempfile.NamedTemporaryFile(suffix=".onnx", delete=False) as out:
                out.write(gzip.decompress(path.with_suffix(".onnx.gz").read_bytes()))
            path = Path(out.name)
        if path.exists():
            found.append((name, Network.from_onnx(str(path), output=0), radii))
    return found


def bench_deep_regions(quick: bool, timeout: float) -> list:
    from symdepth import piecewise

    from .run import _best, _row

    cases = [("ACAS-Xu-shaped 5-6x50", [5] + [50] * 6, r) for r in ((0.05,) if quick else (0.05, 0.2, 0.5))]
    if not quick:
        cases.append(("deep 2-input 512-256-...-4", [2, 512, 256, 128, 64, 32, 16, 8, 4], 0.01))
    nets = [(name, as_network(*random_relu(sizes)), (radius,)) for name, sizes, radius in cases]
    rows = []
    for name, net, radii in nets + published_nets(quick):
        weights, biases = dense_layers(net)
        n = net.num_inputs
        plane = None if n == 2 else (tuple([0] * n), tuple([1] + [0] * (n - 1)), tuple([0, 1] + [0] * (n - 2)))
        for radius in radii:
            r = Fraction(radius)
            regions = piecewise.regions_2d(net, box=((-r, r), (-r, r)), slice=plane).num_regions
            ours = _best(lambda net=net, r=r, plane=plane: piecewise.regions_2d(net, box=((-r, r), (-r, r)),
                                                                               slice=plane), 1 if radius > 0.1 else 3)
            try:
                faces = regioncam_faces(weights, biases, radius)
            except ImportError:
                rows.append(_row(f"regions_2d {name} ({regions} regions)", f"r={radius}", None, ours, 0))
                continue
            base = _best(lambda weights=weights, biases=biases, radius=radius: regioncam_faces(weights, biases, radius))
            rows.append(_row(f"regions_2d {name} (vs regioncam; {regions} regions vs {faces} faces)", f"r={radius}",
                             base, ours, 0))
    return rows
