"""ONNX files as they are exported and published, read as the layers of a dense network.

The graph is followed by tensor names from its one input to its one output: every node must
read the chain's current tensor (and otherwise only constants: initializers or ``Constant``
nodes), so a branching graph is never misread as a chain.  Along the chain the reader keeps
the current tensor as an affine map of the last activation's output (or of the input):

- ``Gemm`` (``transA``, ``transB``, ``alpha``, ``beta``) and ``MatMul`` with the constant on
  either side are matrices applied to it;
- ``Add``, ``Sub``, ``Mul``, ``Div`` by a constant (on either side; ``c / x`` is not affine)
  are diagonal maps, which is how published files normalise the input (VNN-COMP's ACAS Xu and
  MNIST nets subtract a mean and divide by a deviation before the first layer);
- ``Flatten``, ``Reshape``, ``Squeeze``, ``Unsqueeze``, ``Identity`` and ``Dropout`` change
  only the shape (the flat vector in C order stays the same);
- an activation (``Relu``, ``LeakyRelu``, ``Tanh``, ``Sigmoid``, ``Softplus``) closes a layer.

Folding a map into the next is done in exact rationals (``Fraction``), so ``W·((x − m)/s)`` is
``(W/s)·x − W·m/s`` exactly; weights no fold touches stay the float64 arrays they are (the
float32 values widened exactly) and are converted exactly later.  Anything else, ``Conv``, a
residual ``Add`` of two computed tensors, a matrix product of two computed maps larger than
``MAX_FOLD`` products, is a :class:`~symdepth.errors.NetworkError` naming the node.

The reader is written here rather than taken from onnx's shape inference or a converter
(onnx2torch, onnx-simplifier) because those evaluate in floats: the folds must be exact.
"""

from __future__ import annotations

import os
from fractions import Fraction
from typing import Any

import numpy as np

from .errors import NetworkError
from .frameworks import DenseLayers, _chain

__all__ = ["onnx_layers"]

MAX_FOLD = 10**7  # exact products allowed when two matrices meet without an activation between
_ACTIVATIONS = {"Relu": "relu", "Tanh": "tanh", "Sigmoid": "sigmoid", "Softplus": "softplus"}
_SHAPE_ONLY = ("Flatten", "Reshape", "Squeeze", "Unsqueeze", "Identity", "Dropout")
_ELEMENTWISE = ("Add", "Sub", "Mul", "Div")
_SUPPORTED = "Gemm, MatMul, Add, Sub, Mul, Div, Flatten, Reshape, Squeeze, Unsqueeze, Identity, Dropout, " \
             "Relu, LeakyRelu, Tanh, Sigmoid, Softplus"
_fraction = np.frompyfunc(Fraction, 1, 1)


def _exact(array: Any) -> np.ndarray:
    """An array as an object array of the Fractions its entries are (floats widened exactly)."""
    array = np.asarray(array)
    return array if array.dtype == object else _fraction(array.astype(np.float64))


def _is_vector(shape: tuple) -> bool:
    return sum(d != 1 for d in shape) <= 1


class _Chain:
    """The current tensor t = W·h + b of the chain (h the last activation's output or the
    input): ``weight`` None is the identity, a 1-D weight a diagonal map."""

    def __init__(self, name: str, shape: tuple, where: str) -> None:
        self.current, self.shape, self.where = name, shape, where
        self.weight: Any = None
        self.bias: Any = None
        self.steps: list = []

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def matrix(self, m: np.ndarray, c: np.ndarray, node: str) -> None:
        """t ← m·t + c."""
        if self.weight is None:
            self.weight, self.bias = m, c
        elif self.weight.ndim == 1:
            m = _exact(m)
            self.weight, self.bias = m * self.weight[None, :], m.dot(self.bias) + _exact(c)
        else:
            cost = m.shape[0] * m.shape[1] * self.weight.shape[1]
            if cost > MAX_FOLD:
                raise NetworkError(f"{node}: two {m.shape} and {self.weight.shape} matrices without an activation "
                                   f"between them; folding them exactly takes {cost:,} products (limit {MAX_FOLD:,})")
            m = _exact(m)
            self.weight, self.bias = m.dot(_exact(self.weight)), m.dot(_exact(self.bias)) + _exact(c)

    def diagonal(self, scale: np.ndarray | None, shift: np.ndarray) -> None:
        """t ← scale·t + shift elementwise (scale None: 1)."""
        if self.weight is None:
            self.weight, self.bias = _exact(np.ones(self.size)), _exact(np.zeros(self.size))
        if scale is not None:
            self.weight = self.weight * scale if self.weight.ndim == 1 else _exact(self.weight) * scale[:, None]
            self.bias = _exact(self.bias) * scale
        self.bias = _exact(self.bias) + shift

    def layer(self) -> tuple:
        """The map so far as a full (matrix, bias) pair, and the chain reset to the identity."""
        if self.weight is None:
            weight, bias = np.eye(self.size), np.zeros(self.size)
        elif self.weight.ndim == 1:
            weight, bias = np.diag(self.weight), self.bias
        else:
            weight, bias = self.weight, self.bias
        self.weight = self.bias = None
        return weight, bias


def _shape(value_info: Any) -> tuple:
    dims = value_info.type.tensor_type.shape.dim
    return tuple(d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else 1 for d in dims)


def _broadcast(c: np.ndarray, shape: tuple, where: str) -> np.ndarray:
    """A constant broadcast to the tensor's shape, as the flat vector (C order)."""
    try:
        full = np.broadcast_shapes(shape, c.shape)
    except ValueError:
        full = None
    if full != shape:
        raise NetworkError(f"{where}: a constant of shape {c.shape} does not broadcast to the tensor's shape {shape}")
    return np.broadcast_to(c, shape).reshape(-1)


def _reshaped(op: str, shape: tuple, node: Any, attrs: dict, constants: dict, where: str) -> tuple:
    """The shape after a shape-only node (the flat vector is unchanged)."""
    size = int(np.prod(shape, dtype=np.int64))
    if op == "Flatten":
        axis = attrs.get("axis", 1) % (len(shape) + 1) if shape else 0
        return (int(np.prod(shape[:axis], dtype=np.int64)), int(np.prod(shape[axis:], dtype=np.int64)))
    if op == "Reshape":
        target = [int(d) for d in constants[node.input[1]]]
        target = [shape[i] if d == 0 and i < len(shape) else d for i, d in enumerate(target)]
        if -1 in target:
            known = int(np.prod([d for d in target if d != -1], dtype=np.int64))
            target[target.index(-1)] = size // known if known else 0
        if int(np.prod(target, dtype=np.int64)) != size:
            raise NetworkError(f"{where}: Reshape of {shape} to {tuple(target)} changes the number of entries")
        return tuple(target)
    if op in ("Squeeze", "Unsqueeze"):
        axes = attrs.get("axes")
        if axes is None and len(node.input) > 1 and node.input[1]:
            axes = [int(a) for a in constants[node.input[1]]]
        if op == "Squeeze":
            drop = {a % len(shape) for a in axes} if axes is not None else {i for i, d in enumerate(shape) if d == 1}
            return tuple(d for i, d in enumerate(shape) if i not in drop)
        out = list(shape)
        for a in sorted(a % (len(shape) + len(axes)) for a in axes):
            out.insert(a, 1)
        return tuple(out)
    return shape


def _matmul(chain: _Chain, const: np.ndarray, constant_first: bool, where: str) -> tuple:
    """(matrix m with rows = outputs, shape after) for x·W (constant second) or W·x (first)."""
    shape, n = chain.shape, chain.size
    if const.ndim != 2:
        raise NetworkError(f"{where}: a {const.ndim}-D constant in a matrix product; dense layers use 2-D weights")
    if not _is_vector(shape):
        raise NetworkError(f"{where}: the tensor of shape {shape} is not a vector (a batch of several rows?)")
    if not constant_first:
        if const.shape[0] != n or (shape and shape[-1] != n):
            raise NetworkError(f"{where}: x of shape {shape} times a {const.shape} weight do not fit")
        return const.T, (*shape[:-1], const.shape[1]) if shape else (const.shape[1],)
    if const.shape[1] != n or (len(shape) >= 2 and shape[-1] != 1):
        raise NetworkError(f"{where}: a {const.shape} weight times x of shape {shape} do not fit (x must be a column)")
    return const, (*shape[:-2], const.shape[0], 1) if len(shape) >= 2 else (const.shape[0],)


def _gemm(chain: _Chain, node: Any, attrs: dict, constants: dict, where: str) -> None:
    a_name, b_name = node.input[0], node.input[1]
    alpha, beta = Fraction(attrs.get("alpha", 1.0)), Fraction(attrs.get("beta", 1.0))
    n = chain.size
    if not _is_vector(chain.shape) or len(chain.shape) != 2:
        raise NetworkError(f"{where}: Gemm needs a 2-D tensor of one row or column, got shape {chain.shape}")
    if b_name in constants:   # Y = x'·B' with x' = x or xᵀ a row
        b = np.asarray(constants[b_name], dtype=np.float64)
        b = b.T if attrs.get("transB", 0) else b
        row = chain.shape[1] if not attrs.get("transA", 0) else chain.shape[0]
        if row != n or b.shape[0] != n:
            raise NetworkError(f"{where}: Gemm of x (shape {chain.shape}, transA={attrs.get('transA', 0)}) and a "
                               f"{b.shape} weight do not fit")
        m, out = b.T, (1, b.shape[1])
    else:                     # Y = A'·x' with x' = x or xᵀ a column
        a = np.asarray(constants[a_name], dtype=np.float64)
        a = a.T if attrs.get("transA", 0) else a
        column = chain.shape[0] if not attrs.get("transB", 0) else chain.shape[1]
        if column != n or a.shape[1] != n:
            raise NetworkError(f"{where}: Gemm of a {a.shape} weight and x (shape {chain.shape}, "
                               f"transB={attrs.get('transB', 0)}) do not fit")
        m, out = a, (a.shape[0], 1)
    if alpha != 1:
        m = _exact(m) * alpha
    c = np.zeros(out)
    if len(node.input) > 2 and node.input[2]:
        c = _broadcast(np.asarray(constants[node.input[2]], dtype=np.float64), out, where).reshape(out)
    c = c.reshape(-1) if beta == 1 else _exact(c.reshape(-1)) * beta
    chain.matrix(m, c, where)
    chain.shape = out


def _elementwise(chain: _Chain, op: str, const: np.ndarray, constant_first: bool, where: str) -> None:
    c = _exact(_broadcast(np.asarray(const, dtype=np.float64), chain.shape, where))
    if op == "Add":
        chain.diagonal(None, c)
    elif op == "Sub":
        chain.diagonal(_exact(-np.ones(chain.size)), c) if constant_first else chain.diagonal(None, -c)
    elif op == "Mul":
        chain.diagonal(c, _exact(np.zeros(chain.size)))
    elif constant_first:
        raise NetworkError(f"{where}: a constant divided by the tensor is not an affine map")
    elif any(v == 0 for v in c):
        raise NetworkError(f"{where}: division by a constant with a zero entry")
    else:
        chain.diagonal(1 / c, _exact(np.zeros(chain.size)))


def _constants(graph: Any, numpy_helper: Any, onnx: Any) -> dict:
    constants = {t.name: numpy_helper.to_array(t) for t in graph.initializer}
    for node in graph.node:
        if node.op_type == "Constant":
            attribute = node.attribute[0]
            value = onnx.helper.get_attribute_value(attribute)
            constants[node.output[0]] = (numpy_helper.to_array(value) if attribute.name == "value"
                                         else np.asarray(value))
    return constants


def onnx_layers(path: str) -> DenseLayers:
    """The layers of the dense network in an ONNX file, followed by tensor names.

    Examples
    --------
    >>> import onnx, onnx.helper as h, numpy as np, tempfile, os
    >>> w = h.make_tensor("W", onnx.TensorProto.FLOAT, [1, 2], [0.5, -1.0])
    >>> b = h.make_tensor("B", onnx.TensorProto.FLOAT, [1], [0.25])
    >>> m = h.make_tensor("M", onnx.TensorProto.FLOAT, [2], [1.0, 2.0])
    >>> nodes = [h.make_node("Sub", ["x", "M"], ["t"]), h.make_node("Gemm", ["t", "W", "B"], ["y"], transB=1)]
    >>> graph = h.make_graph(nodes, "g", [h.make_tensor_value_info("x", onnx.TensorProto.FLOAT, [1, 2])],
    ...     [h.make_tensor_value_info("y", onnx.TensorProto.FLOAT, [1, 1])], [w, b, m])
    >>> path = os.path.join(tempfile.mkdtemp(), "m.onnx"); onnx.save(h.make_model(graph), path)
    >>> layers = onnx_layers(path)          # 0.5·(x1 − 1) − (x2 − 2) + 0.25
    >>> [float(v) for v in layers.weights[0][0]], float(layers.biases[0][0])  # float: display
    ([0.5, -1.0], 1.75)
    """
    if not os.path.isfile(path):  # said before the onnx package is needed
        raise NetworkError(f"cannot read the ONNX file {path!r}: no such file")
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
    constants = _constants(graph, numpy_helper, onnx)
    inputs = [v for v in graph.input if v.name not in constants]
    if len(inputs) != 1 or len(graph.output) != 1:
        raise NetworkError(f"ONNX file {path!r}: a dense network has one input and one output tensor, this graph has "
                           f"inputs {[v.name for v in inputs]} and outputs {[v.name for v in graph.output]}")
    chain = _Chain(inputs[0].name, _shape(inputs[0]), f"ONNX file {path!r}")
    for index, node in enumerate(graph.node):
        op = node.op_type
        if op == "Constant":
            continue
        where = f"ONNX node {node.name or index!r} ({op})"
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        computed = [name for name in node.input if name and name not in constants]
        if computed != [chain.current]:
            odd = [name for name in computed if name != chain.current] or ["(only constants)"]
            raise NetworkError(f"{where} reads {odd[0]!r}, not the chain's current tensor {chain.current!r}: the graph "
                               "branches or joins (a residual Add?), which a dense network does not")
        constant_first = node.input[0] != chain.current
        if op in ("Gemm",):
            _gemm(chain, node, attrs, constants, where)
        elif op == "MatMul":
            other = node.input[0] if constant_first else node.input[1]
            m, shape = _matmul(chain, np.asarray(constants[other], dtype=np.float64), constant_first, where)
            chain.matrix(m, np.zeros(m.shape[0]), where)
            chain.shape = shape
        elif op in _ELEMENTWISE:
            other = node.input[0] if constant_first else node.input[1]
            _elementwise(chain, op, constants[other], constant_first, where)
        elif op in _SHAPE_ONLY:
            chain.shape = _reshaped(op, chain.shape, node, attrs, constants, where)
        elif op in _ACTIVATIONS or op == "LeakyRelu":
            chain.steps += [("affine", chain.layer()),
                            ("activation", _ACTIVATIONS.get(op) or ("leaky_relu", attrs.get("alpha", 0.01)))]
        else:
            raise NetworkError(f"{where}: operator {op!r} is not part of a dense network; supported: {_SUPPORTED}")
        chain.current = node.output[0]
    if chain.current != graph.output[0].name:
        raise NetworkError(f"ONNX file {path!r}: the chain ends at {chain.current!r}, not at the output "
                           f"{graph.output[0].name!r}")
    if chain.weight is not None:
        chain.steps.append(("affine", chain.layer()))
    return _chain(chain.steps, f"ONNX file {path!r}")
