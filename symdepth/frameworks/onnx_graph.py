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

Folding a map into the next is exact, so ``W·((x − m)/s)`` is ``(W/s)·x − W·m/s`` exactly:
diagonal maps (normalisation) in ``Fraction`` arrays, products of two matrices that meet
without an activation between them (two-level lattice nets write MatMul+Add, MatMul+Add,
Relu) as python-flint ``fmpq_mat`` in C (:mod:`.folding`).  Weights no fold touches stay
the float64 arrays they are (the float32 values widened exactly) and are converted exactly
later.  Anything else — ``Conv``, a residual ``Add`` of two computed tensors — is a
:class:`~symdepth.errors.NetworkError` naming the node; a fold above ``MAX_FOLD`` products
is a :class:`~symdepth.errors.BudgetError`.

The reader is written here rather than taken from onnx's shape inference or a converter
(onnx2torch, onnx-simplifier) because those evaluate in floats: the folds must be exact.
"""

from __future__ import annotations

import os
from fractions import Fraction
from typing import Any

import flint
import numpy as np

from ..errors import BudgetError, NetworkError
from . import dense
from .dense import DenseLayers
from .folding import fmpq_matrix, to_array

__all__ = ["onnx_layers"]

MAX_FOLD = 2 * 10**9  # products of an exact fold of two matrices that meet without an activation between
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
    input): ``weight`` None is the identity, a 1-D object array a diagonal map, a 2-D array
    a matrix as read from the file, an ``fmpq_mat`` a matrix made by a fold (``bias`` then an
    ``fmpq_mat`` column)."""

    def __init__(self, name: str, shape: tuple, where: str) -> None:
        self.current, self.shape, self.where = name, shape, where
        self.weight: Any = None
        self.bias: Any = None
        self.steps: list = []

    @property
    def size(self) -> int:
        return int(np.prod(self.shape, dtype=np.int64))

    def matrix(self, m: Any, c: np.ndarray, node: str) -> None:
        """t ← m·t + c (m a 2-D array or an fmpq_mat)."""
        if self.weight is None:
            self.weight, self.bias = m, c
        elif isinstance(self.weight, np.ndarray) and self.weight.ndim == 1:
            m = _exact(to_array(m) if isinstance(m, flint.fmpq_mat) else m)
            self.weight, self.bias = m * self.weight[None, :], m.dot(self.bias) + _exact(c)
        else:
            rows, inner = (m.nrows(), m.ncols()) if isinstance(m, flint.fmpq_mat) else m.shape
            cols = self.weight.ncols() if isinstance(self.weight, flint.fmpq_mat) else self.weight.shape[1]
            cost = rows * inner * cols
            if cost > MAX_FOLD:
                raise BudgetError(f"{node}: two {rows}x{inner} and {inner}x{cols} matrices without an activation "
                                  f"between them; folding them exactly takes {cost:,} products (limit "
                                  f"symdepth.frameworks.onnx_graph.MAX_FOLD = {MAX_FOLD:,})")
            m = m if isinstance(m, flint.fmpq_mat) else fmpq_matrix(m)
            self.weight = m * _fmpq(self.weight)
            self.bias = m * _fmpq(self.bias) + fmpq_matrix(c)

    def diagonal(self, scale: np.ndarray | None, shift: np.ndarray) -> None:
        """t ← scale·t + shift elementwise (scale None: 1)."""
        if self.weight is None:
            self.weight, self.bias = _exact(np.ones(self.size)), _exact(np.zeros(self.size))
        weight, bias = (_array(self.weight), _array(self.bias).reshape(-1))
        if scale is not None:
            weight = weight * scale if weight.ndim == 1 else _exact(weight) * scale[:, None]
            bias = _exact(bias) * scale
        self.weight, self.bias = weight, _exact(bias) + shift

    def layer(self) -> tuple:
        """The map so far as a full (matrix, bias) pair, and the chain reset to the identity."""
        if self.weight is None:
            weight, bias = np.eye(self.size), np.zeros(self.size)
        elif isinstance(self.weight, np.ndarray) and self.weight.ndim == 1:
            weight, bias = np.diag(self.weight), self.bias
        else:
            weight, bias = _array(self.weight), _array(self.bias).reshape(-1)
        self.weight = self.bias = None
        return weight, bias


def _fmpq(value: Any) -> flint.fmpq_mat:
    return value if isinstance(value, flint.fmpq_mat) else fmpq_matrix(value)


def _array(value: Any) -> np.ndarray:
    return to_array(value) if isinstance(value, flint.fmpq_mat) else value


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
    # Y = x'·B' (the weight second, x' = x or xᵀ a row) or Y = A'·x' (first, x' a column): as
    # a map of the vector, the weight's rows are the outputs either way
    second = b_name in constants
    name, trans_weight, trans_x = (b_name, "transB", "transA") if second else (a_name, "transA", "transB")
    weight = np.asarray(constants[name], dtype=np.float64)
    weight = weight.T if attrs.get(trans_weight, 0) else weight
    m = weight.T if second else weight
    if chain.shape[int(second) ^ bool(attrs.get(trans_x, 0))] != n or m.shape[1] != n:
        raise NetworkError(f"{where}: Gemm of x (shape {chain.shape}, {trans_x}={attrs.get(trans_x, 0)}) and a "
                           f"{weight.shape} weight ({'second' if second else 'first'}) do not fit")
    out = (1, m.shape[0]) if second else (m.shape[0], 1)
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
    if not (graph.input or graph.output or graph.node):  # protobuf reads an empty file as an empty model
        raise NetworkError(f"cannot read the ONNX file {path!r}: it holds no graph (an empty file, or not ONNX)")
    constants = _constants(graph, numpy_helper, onnx)
    inputs = [v for v in graph.input if v.name not in constants]
    if len(inputs) != 1 or len(graph.output) != 1:
        raise NetworkError(f"ONNX file {path!r}: a dense network has one input and one output tensor, this graph has "
                           f"inputs {[v.name for v in inputs]} and outputs {[v.name for v in graph.output]}")
    state = _Chain(inputs[0].name, _shape(inputs[0]), f"ONNX file {path!r}")
    for index, node in enumerate(graph.node):
        op = node.op_type
        if op == "Constant":
            continue
        where = f"ONNX node {node.name or index!r} ({op})"
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        computed = [name for name in node.input if name and name not in constants]
        if computed != [state.current]:
            odd = [name for name in computed if name != state.current] or ["(only constants)"]
            raise NetworkError(f"{where} reads {odd[0]!r}, not the chain's current tensor {state.current!r}: the graph "
                               "branches or joins (a residual Add?), which a dense network does not")
        constant_first = node.input[0] != state.current
        if op in ("Gemm",):
            _gemm(state, node, attrs, constants, where)
        elif op == "MatMul":
            other = node.input[0] if constant_first else node.input[1]
            m, shape = _matmul(state, np.asarray(constants[other], dtype=np.float64), constant_first, where)
            state.matrix(m, np.zeros(m.shape[0]), where)
            state.shape = shape
        elif op in _ELEMENTWISE:
            other = node.input[0] if constant_first else node.input[1]
            _elementwise(state, op, constants[other], constant_first, where)
        elif op in _SHAPE_ONLY:
            state.shape = _reshaped(op, state.shape, node, attrs, constants, where)
        elif op in _ACTIVATIONS or op == "LeakyRelu":
            state.steps += [("affine", state.layer()),
                            ("activation", _ACTIVATIONS.get(op) or ("leaky_relu", attrs.get("alpha", 0.01)))]
        else:
            raise NetworkError(f"{where}: operator {op!r} is not part of a dense network; supported: {_SUPPORTED}")
        state.current = node.output[0]
    if state.current != graph.output[0].name:
        raise NetworkError(f"ONNX file {path!r}: the chain ends at {state.current!r}, not at the output "
                           f"{graph.output[0].name!r}")
    if state.weight is not None:
        state.steps.append(("affine", state.layer()))
    return dense.chain(state.steps, f"ONNX file {path!r}")
