"""Network models: which networks a neuron count (a lower bound, a construction) is about.

Rolnick & Tegmark (2018), §3, count neurons of N(x) = A_k σ(… σ(A_1 σ(A_0 x)) …): strictly
layered, no biases anywhere, so even a constant term must come from a neuron.  symdepth's
:class:`~symdepth.network.Network` allows biases and skip connections, and a bound proven
for one model is false for a larger one (x1·x2 needs 4 neurons in RT's model, 3 with an
output bias, 2 with a skip connection).  Every bound and count names its model:

========================  ==============  ============  =====  =======
name                      output bias     hidden biases  skips  layered
========================  ==============  ============  =====  =======
``rt``                    no              no            no     yes
``output-bias``           yes             no            no     yes
``output-bias+skip``      yes             no            yes    no
``biases``                yes             yes           no     yes
``biases+skip``           yes             yes           yes    no
========================  ==============  ============  =====  =======

Each model contains the ones above it in its column order (``rt`` ⊂ ``output-bias`` ⊂
``biases`` ⊂ ``biases+skip``, and ``output-bias`` ⊂ ``output-bias+skip`` ⊂ ``biases+skip``),
so a lower bound for a model holds for every smaller one and a network of a model belongs to
every larger one.  ``biases+skip`` is every symdepth network.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import SymdepthError

__all__ = ["Model", "MODELS", "get", "network_models", "smallest_model"]


@dataclass(frozen=True)
class Model:
    """A class of networks: which biases and connections it allows."""

    name: str
    output_bias: bool
    hidden_biases: bool
    skip: bool
    description: str

    def contains(self, other: Model) -> bool:
        """Every network of ``other`` is one of this model.

        Examples
        --------
        >>> get("biases").contains(get("rt")), get("rt").contains(get("output-bias"))
        (True, False)
        """
        return ((self.output_bias or not other.output_bias) and (self.hidden_biases or not other.hidden_biases)
                and (self.skip or not other.skip))

    def __str__(self) -> str:
        return self.name


MODELS = {
    m.name: m for m in (
        Model("rt", False, False, False, "RT's model: layered, no biases (a constant needs a neuron)"),
        Model("output-bias", True, False, False, "layered, a bias on the output only"),
        Model("output-bias+skip", True, False, True, "an output bias and connections that skip layers"),
        Model("biases", True, True, False, "layered, biases on every neuron and the output"),
        Model("biases+skip", True, True, True, "biases everywhere and skip connections (any symdepth network)"),
    )
}


def get(name: str | Model) -> Model:
    """The model called ``name`` (one of :data:`MODELS`).

    Examples
    --------
    >>> get("output-bias").description
    'layered, a bias on the output only'
    >>> get("relu")
    Traceback (most recent call last):
    ...
    symdepth.errors.SymdepthError: unknown network model 'relu'; use one of rt, output-bias, output-bias+skip, biases, biases+skip
    """
    if isinstance(name, Model):
        return name
    if name not in MODELS:
        raise SymdepthError(f"unknown network model {name!r}; use one of {', '.join(MODELS)}")
    return MODELS[name]


def network_models(net: Any) -> tuple:
    """The models ``net`` belongs to, smallest first.

    A bias counts when it is nonzero; a network is layered when every edge joins consecutive
    layers (inputs are layer 0) and no input feeds the output directly (a linear term of the
    output is a skip connection even without hidden neurons).

    Examples
    --------
    >>> from symdepth import Network
    >>> net = Network(2, "exp")
    >>> a = net.add_neuron({"x1": 1, "x2": 1}); b = net.add_neuron({"x1": 1}); c = net.add_neuron({"x2": 1})
    >>> net.set_output({a: 1, b: -1, c: -1}, bias=1)
    >>> network_models(net)
    ('output-bias', 'output-bias+skip', 'biases', 'biases+skip')
    """
    graph = net.graph
    layer = net.layers()
    output_bias = graph.nodes[net.output].get("bias", 0) != 0
    hidden_biases = any(graph.nodes[v].get("bias", 0) != 0 for v in net.neurons)
    skip = any(layer[v] != layer[u] + 1 or (v == net.output and u in net.inputs) for u, v in graph.edges)
    found = _flags(output_bias, hidden_biases, skip)
    return tuple(name for name, m in MODELS.items() if m.contains(found))


def _flags(output_bias: bool, hidden_biases: bool, skip: bool) -> Model:
    return Model("", output_bias, hidden_biases, skip, "")


def smallest_model(net: Any) -> str:
    """The smallest model ``net`` belongs to (the first of :func:`network_models`)."""
    return network_models(net)[0]
