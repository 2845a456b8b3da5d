"""Trained networks in: the layers of a dense network exported to ONNX or built as a PyTorch
``nn.Sequential``, as plain data for :meth:`symdepth.network.Network.from_onnx` /
:meth:`~symdepth.network.Network.from_torch`.

A dense net is a chain of affine maps (ONNX ``Gemm``, or ``MatMul`` then ``Add``; torch
``nn.Linear``) with an activation between two of them (``Relu``, ``LeakyRelu``, ``Tanh``,
``Sigmoid``, ``Softplus``; ``Identity`` is skipped) and a linear output.  Weights stay the
float32/float64 numbers they are: they are converted to the exact rationals they represent
later (the Guarantees).  Anything else is a :class:`~symdepth.errors.NetworkError` naming it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .errors import NetworkError

__all__ = ["DenseLayers", "onnx_layers", "torch_layers"]


@dataclass(frozen=True)
class DenseLayers:
    """Weight matrices (rows = units of the next layer), bias vectors, and one activation
    (a name, or ("leaky_relu", slope)) for each hidden layer."""

    weights: list
    biases: list
    activations: list


_ONNX_ACTIVATIONS = {"Relu": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "Softplus": "softplus"}


def _chain(steps: list, where: str) -> DenseLayers:
    """Alternate affine maps and activations into layers: affine (activation affine)*."""
    weights, biases, acts = [], [], []
    expect_affine = True
    for kind, payload in steps:
        if kind == "affine":
            if not expect_affine:
                raise NetworkError(f"{where}: two affine maps without an activation between them; fold them first")
            weights.append(payload[0])
            biases.append(payload[1])
            expect_affine = False
        else:
            if expect_affine:
                raise NetworkError(f"{where}: activation {payload!r} without an affine map before it")
            acts.append(payload)
            expect_affine = True
    if not weights:
        raise NetworkError(f"{where}: no affine map (Linear/Gemm/MatMul) found")
    if expect_affine:
        raise NetworkError(f"{where}: the network ends in an activation; symdepth's output is linear (drop the last "
                           "activation, or add a final linear layer)")
    return DenseLayers(weights, biases, acts)


def onnx_layers(path: str) -> DenseLayers:
    """The layers of the dense network in an ONNX file.

    Examples
    --------
    >>> import onnx, onnx.helper as h, numpy as np, tempfile, os
    >>> w = h.make_tensor("W", onnx.TensorProto.FLOAT, [1, 2], [0.5, -1.0])
    >>> b = h.make_tensor("B", onnx.TensorProto.FLOAT, [1], [0.25])
    >>> graph = h.make_graph([h.make_node("Gemm", ["x", "W", "B"], ["y"], transB=1)], "g",
    ...     [h.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 2])],
    ...     [h.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 1])], [w, b])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.onnx"); onnx.save(h.make_model(graph), path)
    >>> onnx_layers(path).weights[0].tolist(), onnx_layers(path).biases[0].tolist()
    ([[0.5, -1.0]], [0.25])
    """
    try:
        import onnx
        from onnx import numpy_helper
    except ImportError:
        raise NetworkError("reading ONNX needs the onnx package: pip install 'symdepth[onnx]'") from None
    try:
        model = onnx.load(path)
    except Exception as err:  # noqa: BLE001 - onnx reports a bad file with many exception types
        raise NetworkError(f"cannot read the ONNX file {path!r}: {err}") from None
    graph = model.graph
    constants = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant":
            constants[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
    steps: list = []
    pending: Any = None  # a MatMul waiting for its Add
    for node in graph.node:
        op = node.op_type
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        where = f"ONNX node {node.name or op!r}"
        if op == "Constant":
            continue
        if op == "Gemm":
            if attrs.get("transA", 0) or attrs.get("alpha", 1.0) != 1.0 or attrs.get("beta", 1.0) != 1.0:
                raise NetworkError(f"{where}: Gemm with transA, alpha or beta is not read (exported dense layers "
                                   "have alpha = beta = 1)")
            weight = np.asarray(constants[node.input[1]], dtype=np.float64)  # float32 widens exactly
            weight = weight if attrs.get("transB", 0) else weight.T
            bias = (np.asarray(constants[node.input[2]], dtype=np.float64).reshape(-1)
                    if len(node.input) > 2 and node.input[2] else np.zeros(weight.shape[0]))
            steps.append(("affine", (weight, np.broadcast_to(bias, (weight.shape[0],)))))
        elif op == "MatMul":
            if node.input[1] not in constants:
                raise NetworkError(f"{where}: MatMul by a computed tensor is not a dense layer")
            pending = np.asarray(constants[node.input[1]], dtype=np.float64).T
            steps.append(("affine", (pending, np.zeros(pending.shape[0]))))
        elif op == "Add":
            other = node.input[1] if node.input[1] in constants else node.input[0]
            if pending is None or other not in constants:
                raise NetworkError(f"{where}: Add is supported only as the bias of a MatMul")
            steps[-1] = ("affine", (pending, np.broadcast_to(np.asarray(constants[other], dtype=np.float64).reshape(-1),
                                                             (pending.shape[0],))))
            pending = None
        elif op in _ONNX_ACTIVATIONS:
            steps.append(("activation", _ONNX_ACTIVATIONS[op]))
        elif op == "LeakyRelu":
            steps.append(("activation", ("leaky_relu", attrs.get("alpha", 0.01))))
        elif op in ("Identity", "Flatten", "Reshape"):
            continue
        else:
            raise NetworkError(f"{where}: operator {op!r} is not part of a dense network; supported: Gemm, MatMul, "
                               "Add, Relu, LeakyRelu, Tanh, Sigmoid, Softplus, Identity")
    return _chain(steps, f"ONNX file {path!r}")


_TORCH_ACTIVATIONS = {"ReLU": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid"}


def torch_layers(module: Any) -> DenseLayers:
    """The layers of a PyTorch ``nn.Sequential`` of ``nn.Linear`` and activations (ReLU,
    LeakyReLU, Tanh, Sigmoid, Softplus with beta = 1, Identity).  torch's Softplus switches to
    the identity above ``threshold``; symdepth uses the exact softplus."""
    children = list(module.children()) if hasattr(module, "children") else None
    if children is None:
        raise NetworkError(f"expected a torch nn.Sequential, got {type(module).__name__}")
    steps: list = []
    for child in children:
        name = type(child).__name__
        if name == "Linear":
            weight = child.weight.detach().cpu().double().numpy()
            bias = (child.bias.detach().cpu().double().numpy() if child.bias is not None
                    else np.zeros(weight.shape[0]))
            steps.append(("affine", (weight, bias)))
        elif name in _TORCH_ACTIVATIONS:
            steps.append(("activation", _TORCH_ACTIVATIONS[name]))
        elif name == "LeakyReLU":
            steps.append(("activation", ("leaky_relu", child.negative_slope)))
        elif name == "Softplus":
            if child.beta != 1:
                raise NetworkError(f"torch Softplus with beta={child.beta}: only beta = 1 is the softplus activation")
            steps.append(("activation", "softplus"))
        elif name == "Identity":
            continue
        else:
            raise NetworkError(f"torch module {name!r} is not part of a dense network; supported: Linear, ReLU, "
                               "LeakyReLU, Tanh, Sigmoid, Softplus, Identity")
    return _chain(steps, "torch nn.Sequential")
