"""Writes ``acas_like.onnx``: a small network in the shape VNN-COMP publishes ACAS Xu in —
an input of shape [1, 1, 1, 5], normalised in the graph (Sub a mean, Div a range), Flatten,
ReLU layers as MatMul + Add, five outputs — with seeded float32 weights (3 hidden layers of
16).  The README's trained-networks section loads the copy in examples/ (a test checks it is
what this script writes): ``python examples/make_acas_like.py [PATH]``, by default
``acas_like.onnx`` in the current directory."""

import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def acas_like(seed: int = 2026, sizes: tuple = (5, 16, 16, 16, 5)) -> onnx.ModelProto:
    rng = np.random.default_rng(seed)
    inits = {"mean": rng.normal(size=(1, 1, 1, 5)) / 4, "range": rng.uniform(0.5, 2.0, size=(1, 1, 1, 5))}
    nodes = [helper.make_node("Sub", ["x", "mean"], ["centred"]), helper.make_node("Div", ["centred", "range"], ["scaled"]),
             helper.make_node("Flatten", ["scaled"], ["h0"], axis=1)]
    for i, (n, m) in enumerate(zip(sizes, sizes[1:])):
        inits[f"W{i}"], inits[f"B{i}"] = rng.normal(size=(n, m)) / np.sqrt(n), rng.normal(size=m) / 4
        last = i == len(sizes) - 2
        nodes += [helper.make_node("MatMul", [f"h{i}", f"W{i}"], [f"m{i}"]),
                  helper.make_node("Add", [f"m{i}", f"B{i}"], ["y" if last else f"a{i}"])]
        if not last:
            nodes.append(helper.make_node("Relu", [f"a{i}"], [f"h{i + 1}"]))
    graph = helper.make_graph(
        nodes, "acas_like", [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 1, 1, 5])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 5])],
        [numpy_helper.from_array(np.asarray(v, dtype=np.float32), k) for k, v in inits.items()])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="symdepth examples")


if __name__ == "__main__":
    path = sys.argv[1] if len(sys.argv) > 1 else "acas_like.onnx"
    onnx.save(acas_like(), path)
    print(f"wrote {path}")
