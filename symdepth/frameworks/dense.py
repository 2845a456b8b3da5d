"""A dense network as plain data (:class:`DenseLayers`): affine maps with an activation
between two of them and a linear output, as the readers of :mod:`symdepth.frameworks` find
it; the choice of one output (or a linear combination of the outputs, as VNN-COMP
properties compare them) of a multi-output net.

Weights stay the float32/float64 numbers they are (or exact rationals where a fold made
them): they are converted to the exact rationals they represent when the Network is built.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..errors import NetworkError
from ..numbers import exact

__all__ = ["DenseLayers", "chain", "select_output", "layer_list", "layer_rows"]


@dataclass(frozen=True)
class DenseLayers:
    """Weight matrices (rows = units of the next layer), bias vectors, and one activation
    (a name, or ("leaky_relu", slope)) for each hidden layer."""

    weights: list
    biases: list
    activations: list


def chain(steps: list, where: str) -> DenseLayers:
    """Alternate affine maps and activations into layers: affine (activation affine)*, and a
    final activation read through the identity."""
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
        # published nets often end in an activation (a ReLU on the outputs): those are neurons,
        # and the outputs read them through the identity, so the function stays the file's
        width = np.asarray(weights[-1]).shape[0]
        weights.append(np.eye(width))
        biases.append(np.zeros(width))
    return DenseLayers(weights, biases, acts)


def select_output(layers: DenseLayers, output: int | Sequence[object] | None, where: str) -> DenseLayers:
    """The layers with one output row: ``output`` an index of the outputs, a list of one
    coefficient per output (the row Σ c_k·W_k, bias Σ c_k·b_k, exactly), or None for a
    single-output net.

    Examples
    --------
    >>> layers = DenseLayers([np.array([[1.0, 2.0], [3.0, 4.0]])], [np.array([0.5, -0.5])], [])
    >>> select_output(layers, 1, "net").weights[0].tolist()
    [[3.0, 4.0]]
    >>> select_output(layers, [1, -1], "net").weights[0].tolist()
    [[-2, -2]]
    """
    weight, bias = np.asarray(layers.weights[-1]), np.asarray(layers.biases[-1]).reshape(-1)
    m = weight.shape[0]
    names = f"{m} outputs (0..{m - 1})"
    if output is None:
        if m != 1:
            raise NetworkError(f"{where} has {names}; pick one with output=k (command line: --output K) or a linear "
                               f"combination with output=[c_0, ..., c_{m - 1}] (--output 'c_0,...')")
        return layers
    if isinstance(output, (int, np.integer)) and not isinstance(output, bool):
        if not 0 <= output < m:
            raise NetworkError(f"output={output} is not one of the {names} of {where}")
        row, b = weight[output:output + 1], bias[output:output + 1]
    else:
        if isinstance(output, (str, bytes)) or not hasattr(output, "__len__") or len(output) != m:
            raise NetworkError(f"output= must be an index or a list of {m} coefficients, one per output of {where}; "
                               f"got {output!r}")
        coefficients = np.array([exact(c, f"output coefficient {k}") for k, c in enumerate(output)], dtype=object)
        exact_array = np.frompyfunc(exact, 1, 1)
        row = coefficients.dot(exact_array(weight.astype(object)))[None, :]
        b = np.array([coefficients.dot(exact_array(bias.astype(object)))], dtype=object)
    return DenseLayers([*layers.weights[:-1], row], [*layers.biases[:-1], b], layers.activations)


def layer_list(value: Any, what: str) -> list:
    """The matrices (or vectors) of a layer list given as a list, tuple or 3-D/2-D array."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__") and not hasattr(value, "__array__"):
        raise NetworkError(f"{what} must be a list of arrays, got {type(value).__name__}")
    return list(value)


def layer_rows(value: Any, what: str, dims: int) -> list:
    """A matrix (dims=2) or vector (dims=1) as nested Python lists of its entries: lists,
    tuples, numpy arrays (float or object) and anything with ``__array__`` (a PyTorch
    tensor's ``.detach().numpy()``); entries are converted exactly later."""
    if hasattr(value, "__array__") and not isinstance(value, (list, tuple)):
        array = np.asarray(value)
        if array.ndim != dims:
            raise NetworkError(f"{what} must have {dims} dimension{'s' if dims > 1 else ''}, got shape {array.shape}")
        if array.dtype.kind == "c":
            raise NetworkError(f"{what} has complex entries; weights and biases must be real")
        return array.astype(object).tolist()  # Python floats are the float32/64 values, widened exactly
    if not isinstance(value, (list, tuple)):
        raise NetworkError(f"{what} must be a list or an array, got {type(value).__name__}")
    if dims == 2 and not all(isinstance(row, (list, tuple)) or hasattr(row, "__array__") for row in value):
        raise NetworkError(f"{what} must be a list of rows")
    return [list(row) for row in value] if dims == 2 else list(value)
