"""PyTorch in: the layers of an ``nn.Sequential`` of ``nn.Linear`` and activations
(``ReLU``, ``LeakyReLU``, ``Tanh``, ``Sigmoid``, ``Softplus``; ``Identity``, ``Flatten`` and
``Dropout`` are skipped) as :class:`~symdepth.frameworks.dense.DenseLayers`.  Anything else is
a :class:`~symdepth.errors.NetworkError` naming it."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..errors import NetworkError
from .dense import DenseLayers, chain

__all__ = ["torch_layers"]


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
        elif name in ("Identity", "Flatten", "Dropout"):
            continue
        else:
            raise NetworkError(f"torch module {name!r} is not part of a dense network; supported: Linear, ReLU, "
                               "LeakyReLU, Tanh, Sigmoid, Softplus, Identity, Flatten, Dropout")
    return chain(steps, "torch nn.Sequential")
