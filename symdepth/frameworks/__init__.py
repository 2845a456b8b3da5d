"""Trained networks in, as published: ONNX files (:mod:`.onnx_graph`, the graph followed by
tensor names, normalisation and consecutive affine maps folded exactly in :mod:`.folding`)
and PyTorch ``nn.Sequential`` modules (:mod:`.pytorch`), read as the plain data of
:mod:`.dense` for :meth:`Network.from_onnx <symdepth.network.Network.from_onnx>` and
:meth:`Network.from_torch <symdepth.network.Network.from_torch>`."""

from .dense import DenseLayers, select_output
from .onnx_graph import onnx_layers
from .pytorch import torch_layers

__all__ = ["DenseLayers", "select_output", "onnx_layers", "torch_layers"]
