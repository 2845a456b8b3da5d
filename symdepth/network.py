"""Networks: a ``networkx.DiGraph`` of inputs, neurons and one linear output.

The graph is the single source of truth.  Nodes carry ``kind`` (``"input"``, ``"neuron"``,
``"output"``); neurons carry ``activation`` (an :class:`~symdepth.activations.Activation`)
and ``bias``; the output carries ``bias``; edges carry ``weight``.  Weights and biases are
exact (int, Fraction, sympy expressions; floats converted exactly).  Edges may skip layers
(the papers' identity gates are then optional), so a network is any DAG.

This is the model N(x) = A_k σ(… σ(A_1 σ(A_0 x)) …) of Rolnick & Tegmark (2018), §3, with
biases and skip connections allowed.

File format (``to_json``/``from_json``), version 1::

    {"format": "symdepth-network", "version": 1,
     "inputs": ["x1", "x2"],
     "neurons": [{"name": "h1", "activation": "tanh", "bias": "atanh(1/2)",
                  "inputs": {"x1": "1", "x2": "-1/2"}}, ...],   # in topological order
     "output": {"bias": "0", "inputs": {"h1": "4/3"}}}

Numbers are strings read by :func:`symdepth.parsing.parse_number` (``"3/4"``,
``"atanh(1/2)"``, ``"1/(2*sigma_2)"``) or JSON integers; an activation is a name,
``{"polynomial": [...]}`` or ``{"generic": "sigma"}``.  Unknown keys are an error.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any

import networkx as nx
import sympy

from . import activations as _activations
from .activations import Activation
from .errors import BudgetError, NetworkError, ParseError, SymdepthError
from .numbers import Exact, add, checked_size, exact, json_number, mul, to_sympy
from .parsing import parse_number

__all__ = ["Network", "SCHEMA_VERSION"]

SCHEMA_VERSION = 1
OUTPUT = "out"


class Network:
    """A feed-forward network over a directed acyclic graph.

    Parameters
    ----------
    n_inputs : int or sequence of str
        Number of inputs (named ``x1..xn``) or their names.
    activation : str or Activation
        Default activation of neurons added later.

    Examples
    --------
    >>> net = Network(2, activation="exp")
    >>> h = net.add_neuron({"x1": 1, "x2": -1})
    >>> net.set_output({h: 2}, bias=-2)
    >>> net
    Network(inputs=['x1', 'x2'], neurons=1, depth=1, activation=activations.get('exp'))
    >>> net.to_sympy()
    2*exp(x1 - x2) - 2
    """

    def __init__(self, n_inputs: int | Sequence[str] = 1, activation: str | Activation = "exp") -> None:
        if isinstance(n_inputs, bool):
            raise NetworkError(f"n_inputs must be a positive integer or a list of input names, got {n_inputs!r}")
        if isinstance(n_inputs, int):
            if n_inputs < 1:
                raise NetworkError(f"a network needs at least one input, got n_inputs={n_inputs}")
            names = [f"x{i + 1}" for i in range(n_inputs)]
        else:
            names = [str(name) for name in n_inputs]
            if not names:
                raise NetworkError("a network needs at least one input; pass n_inputs >= 1")
            if len(set(names)) != len(names):
                raise NetworkError(f"duplicate input name in {names}; input names must be distinct")
            for name in names:
                if not name.isidentifier():
                    raise NetworkError(f"input name {name!r} is not an identifier; use names such as 'x1'")
        self.graph = nx.DiGraph()
        self.activation = _activations.get(activation)
        self.assumptions: tuple[str, ...] = ()
        for name in names:
            self.graph.add_node(name, kind="input")
        self._inputs = tuple(names)
        self._counter = 0

    # -- construction ------------------------------------------------------------------------
    def add_neuron(
        self,
        inputs: Mapping[Any, object],
        bias: object = 0,
        activation: str | Activation | None = None,
        name: str | None = None,
    ) -> str:
        """Add a neuron σ(Σ w_u·u + bias) reading the nodes in ``inputs`` (node → weight).

        Returns the new node's name (``h1``, ``h2``, ... unless ``name`` is given).
        """
        act = self.activation if activation is None else _activations.get(activation)
        if name is None:
            name = self._fresh_name()
        elif name in self.graph:
            raise NetworkError(f"duplicate node name {name!r}; every node needs its own name")
        weights = self._checked_inputs(name, inputs)
        b = _number(bias, f"bias of neuron {name!r}")
        self.graph.add_node(name, kind="neuron", activation=act, bias=b)
        for u, w in weights.items():
            self.graph.add_edge(u, name, weight=w)
        return name

    def _fresh_name(self) -> str:
        """The next free name h1, h2, ..."""
        self._counter += 1
        while f"h{self._counter}" in self.graph:
            self._counter += 1
        return f"h{self._counter}"

    def set_output(self, inputs: Mapping[Any, object], bias: object = 0) -> None:
        """Set the linear output Σ w_u·u + bias (replacing a previous output)."""
        weights = self._checked_inputs(OUTPUT, inputs)
        b = _number(bias, "output bias")
        if OUTPUT in self.graph:
            self.graph.remove_node(OUTPUT)
        self.graph.add_node(OUTPUT, kind="output", bias=b)
        for u, w in weights.items():
            self.graph.add_edge(u, OUTPUT, weight=w)

    def _checked_inputs(self, target: str, inputs: Mapping[Any, object]) -> dict:
        if not isinstance(inputs, Mapping):
            raise NetworkError(f"inputs of {target!r} must be a dict node -> weight, got {type(inputs).__name__}")
        out = {}
        for u, w in inputs.items():
            if u not in self.graph:
                raise NetworkError(
                    f"{target!r} reads unknown node {u!r}; known nodes are {self._known_names()}"
                )
            if self.graph.nodes[u]["kind"] == "output":
                raise NetworkError(f"{target!r} cannot read the output node {u!r}")
            out[u] = _number(w, f"weight {u!r} -> {target!r}")
        return out

    def _known_names(self) -> str:
        names = [n for n in self.graph if self.graph.nodes[n]["kind"] != "output"]
        shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
        return f"[{shown}]"

    @classmethod
    def from_layers(
        cls,
        weights: Sequence[Sequence[Sequence[object]]],
        biases: Sequence[Sequence[object]] | None = None,
        activation: str | Activation = "tanh",
    ) -> Network:
        """A dense layered network: ``weights[l]`` is the matrix of layer l (rows = its
        neurons, columns = the previous layer), the last matrix is the single output row.

        Examples
        --------
        >>> net = Network.from_layers([[[1], [-1]], [[1, 1]]], [[0, 0], [0]], "exp")
        >>> net.layer_sizes, net.to_sympy()
        ([2], exp(x1) + exp(-x1))
        """
        from .frameworks.dense import layer_list, layer_rows

        weights = [layer_rows(m, f"weight matrix {i + 1}", 2) for i, m in enumerate(layer_list(weights, "weights"))]
        if biases is not None:
            biases = [layer_rows(b, f"bias vector {i + 1}", 1) for i, b in enumerate(layer_list(biases, "biases"))]
        if not weights:
            raise NetworkError("from_layers needs at least the output row of weights")
        if len(weights[-1]) != 1:
            raise NetworkError(f"the last weight matrix is the output row and must have 1 row, got {len(weights[-1])}")
        n_inputs = len(weights[0][0]) if weights[0] else 0
        net = cls(n_inputs, activation)
        previous = list(net.inputs)
        biases = biases if biases is not None else [[0] * len(m) for m in weights]
        if len(biases) != len(weights):
            raise NetworkError(f"{len(weights)} weight matrices but {len(biases)} bias vectors")
        for depth, (matrix, bias) in enumerate(zip(weights, biases)):
            if len(bias) != len(matrix):
                raise NetworkError(f"layer {depth + 1}: {len(matrix)} rows but {len(bias)} biases")
            for row in matrix:
                if len(row) != len(previous):
                    raise NetworkError(
                        f"layer {depth + 1}: a row has {len(row)} weights, the previous layer has {len(previous)} nodes"
                    )
            if depth == len(weights) - 1:
                for row, b in zip(matrix, bias):
                    net.set_output(dict(zip(previous, row)), b)
            else:
                previous = net._add_layer(previous, matrix, bias, f"layer {depth + 1}")
        return net

    def _add_layer(self, previous: list, matrix: list, biases: list, where: str) -> list[str]:
        """Neurons reading ``previous`` (rows of weights, one bias each), added in bulk: a
        published net has 500,000 weights, and :meth:`add_neuron`'s checks per weight (the
        reads are valid by construction here) cost seconds."""
        names = [self._fresh_name() for _ in biases]
        rows = [[_weight(w, where) for w in row] for row in matrix]
        self.graph.add_nodes_from((name, {"kind": "neuron", "activation": self.activation,
                                          "bias": _number(b, f"bias of neuron {name!r}")})
                                  for name, b in zip(names, biases))
        self.graph.add_edges_from((u, name, {"weight": w}) for name, row in zip(names, rows)
                                  for u, w in zip(previous, row))
        return names

    @classmethod
    def from_onnx(cls, path: str, output: int | Sequence[object] | None = None) -> Network:
        """The dense network in an ONNX file as exported or published
        (:mod:`symdepth.frameworks.onnx_graph`), its float weights the exact rationals they
        are.  ``output`` picks output k of a multi-output net, or a list of one coefficient per
        output the linear combination Σ c_k·y_k."""
        from .frameworks import onnx_layers, select_output

        return cls._from_dense(select_output(onnx_layers(path), output, f"ONNX file {path!r}"))

    @classmethod
    def from_torch(cls, module: Any, output: int | Sequence[object] | None = None) -> Network:
        """The network of a PyTorch ``nn.Sequential`` of ``nn.Linear`` and activations, its
        float weights converted to the exact rationals they are; ``output`` as in
        :meth:`from_onnx`."""
        from .frameworks import select_output, torch_layers

        return cls._from_dense(select_output(torch_layers(module), output, "the torch nn.Sequential"))

    @classmethod
    def _from_dense(cls, layers: Any) -> Network:
        def activation(spec: Any) -> Activation:
            if isinstance(spec, tuple):
                return _activations.get(spec[0], slope=exact(spec[1], "leaky slope"))
            return _activations.get(spec)

        acts = [activation(a) for a in layers.activations]
        net = cls.from_layers(layers.weights, layers.biases, acts[0] if acts else "exp")
        layer_of = net.layers()
        for node in net.neurons:
            net.set_activation(node, acts[layer_of[node] - 1])
        return net

    def __getstate__(self) -> dict:
        # caches (symdepth.evaluation's flint layer matrices do not pickle; regions' read is large)
        return {k: v for k, v in self.__dict__.items() if k not in ("_layer_plan", "_regions_read")}

    # -- editing -----------------------------------------------------------------------------
    def copy(self) -> Network:
        """An independent copy (weights are immutable values, so a shallow graph copy suffices)."""
        new = Network.__new__(Network)
        new.graph = self.graph.copy()
        new.activation = self.activation
        new.assumptions = self.assumptions
        new._inputs = self._inputs
        new._counter = self._counter
        return new

    def set_weight(self, u: Any, v: Any, weight: object) -> None:
        """Set (or create) the edge u → v; refuses edges that would make a cycle."""
        for node in (u, v):
            if node not in self.graph:
                raise NetworkError(f"unknown node {node!r}; known nodes are {self._known_names()}")
        if self.graph.nodes[v]["kind"] == "input":
            raise NetworkError(f"cannot add an edge into input {v!r}; inputs have no incoming edges")
        if self.graph.nodes[u]["kind"] == "output":
            raise NetworkError(f"cannot add an edge out of the output {u!r}")
        w = _number(weight, f"weight {u!r} -> {v!r}")
        if not self.graph.has_edge(u, v) and (u == v or nx.has_path(self.graph, v, u)):
            raise NetworkError(f"edge {u!r} -> {v!r} would create a cycle; networks must be acyclic")
        self.graph.add_edge(u, v, weight=w)

    def set_bias(self, node: Any, bias: object) -> None:
        """Set the bias of a neuron or of the output."""
        if node not in self.graph or self.graph.nodes[node]["kind"] == "input":
            raise NetworkError(f"{node!r} is not a neuron or the output; only those have biases")
        self.graph.nodes[node]["bias"] = _number(bias, f"bias of {node!r}")

    def set_activation(self, node: Any, activation: str | Activation) -> None:
        """Set the activation of one neuron."""
        if node not in self.graph or self.graph.nodes[node]["kind"] != "neuron":
            raise NetworkError(f"{node!r} is not a neuron")
        self.graph.nodes[node]["activation"] = _activations.get(activation)

    # -- structure ---------------------------------------------------------------------------
    @property
    def inputs(self) -> tuple[str, ...]:
        return self._inputs

    @property
    def num_inputs(self) -> int:
        return len(self._inputs)

    @property
    def output(self) -> str:
        return OUTPUT

    @property
    def neurons(self) -> list:
        """The neurons in a topological order."""
        return [n for n in nx.topological_sort(self.graph) if self.graph.nodes[n]["kind"] == "neuron"]

    @property
    def num_neurons(self) -> int:
        return sum(1 for _, kind in self.graph.nodes(data="kind") if kind == "neuron")

    def layers(self) -> dict:
        """Layer of every node: inputs 0, a neuron 1 + the largest layer it reads."""
        layer: dict = {}
        for node in nx.topological_sort(self.graph):
            preds = list(self.graph.predecessors(node))
            layer[node] = 0 if self.graph.nodes[node]["kind"] == "input" else 1 + max(
                (layer[p] for p in preds), default=0
            )
        return layer

    @property
    def depth(self) -> int:
        """Number of hidden layers: the longest input→output path, in edges, minus one."""
        self.validate()
        return self.layers()[OUTPUT] - 1

    @property
    def models(self) -> tuple[str, ...]:
        """The network models (:mod:`symdepth.models`) this network belongs to, smallest first.

        Examples
        --------
        >>> from symdepth import constructions
        >>> constructions.shallow_power(2, "exp").models[0]
        'rt'
        """
        from .models import network_models

        return network_models(self)

    @property
    def layer_sizes(self) -> list[int]:
        """Number of neurons in each hidden layer 1..depth."""
        layer = self.layers()
        sizes = [0] * max((layer[n] for n in self.graph if self.graph.nodes[n]["kind"] == "neuron"), default=0)
        for node, index in layer.items():
            if self.graph.nodes[node]["kind"] == "neuron":
                sizes[index - 1] += 1
        return sizes

    def validate(self) -> None:
        """Check the network is well formed; raise :class:`NetworkError` naming the node if not."""
        g = self.graph
        if OUTPUT not in g:
            raise NetworkError("the network has no output; call net.set_output({node: weight, ...})")
        if not nx.is_directed_acyclic_graph(g):
            cycle = nx.find_cycle(g)
            raise NetworkError(f"the network has a cycle through {cycle[0][0]!r}: {cycle}; networks must be acyclic")
        reaches = nx.ancestors(g, OUTPUT)
        for node, data in g.nodes(data=True):
            kind = data.get("kind")
            if kind not in ("input", "neuron", "output"):
                raise NetworkError(f"node {node!r} has kind {kind!r}; expected input, neuron or output")
            if kind == "neuron":
                if node not in reaches:
                    raise NetworkError(f"neuron {node!r} has no path to the output; connect it or remove it")
                if not isinstance(data.get("activation"), Activation):
                    raise NetworkError(f"neuron {node!r} has no activation")
            if kind == "input" and g.in_degree(node):
                raise NetworkError(f"input {node!r} has incoming edges; inputs must be sources")
        for v, incoming in g.pred.items():      # a published net has 10^5 weights: no edge view
            for u, data in incoming.items():
                if type(data["weight"]) not in (int, Fraction):
                    exact(data["weight"], f"weight {u!r} -> {v!r}")

    # -- evaluation --------------------------------------------------------------------------
    def node_values(self, point: Sequence[object] | Mapping[str, object] | None = None) -> dict:
        """Exact pre-activation and output value of every node at ``point`` (default: origin).

        Returns a dict node → (pre, post); for inputs and the output pre == post.

        Examples
        --------
        >>> from symdepth import constructions
        >>> net = constructions.deep_power(2, "tanh")
        >>> net.node_values()["h1"]
        (atanh(1/2), Fraction(1, 2))
        """
        self.validate()
        values = self._point(point)
        out: dict = {}
        for node in nx.topological_sort(self.graph):
            data = self.graph.nodes[node]
            if data["kind"] == "input":
                out[node] = (values[node], values[node])
                continue
            pre: Any = data["bias"]
            for u, _, w in self.graph.in_edges(node, data="weight"):
                pre = add(pre, mul(w, out[u][1]))
            pre = _canonical(pre)
            if data["kind"] == "output":
                out[node] = (pre, pre)
            else:
                out[node] = (pre, _canonical(data["activation"].value(pre)))
        return out

    def _point(self, point: Sequence[object] | Mapping[str, object] | None) -> dict:
        if point is None:
            return {name: 0 for name in self._inputs}
        if isinstance(point, Mapping):
            missing = [n for n in self._inputs if n not in point]
            if missing:
                raise NetworkError(f"point lacks a value for input {missing[0]!r}")
            return {n: exact(point[n], f"coordinate {n}") for n in self._inputs}
        point = list(point)
        if len(point) != self.num_inputs:
            raise NetworkError(f"point has {len(point)} coordinates, the network has {self.num_inputs} inputs")
        return {n: exact(v, f"coordinate {n}") for n, v in zip(self._inputs, point)}

    def evaluate(self, point: Sequence[object] | Mapping[str, object], dps: int | None = None) -> Any:
        """N(point): exactly (an int, Fraction or sympy number) or, with ``dps``, as an
        mpmath number with that many proven digits; one matrix product per layer
        (:mod:`symdepth.evaluation`) where the numbers allow it, edge by edge otherwise.

        Examples
        --------
        >>> net = Network.from_layers([[[1]], [[1]]], [[0], [0]], "exp")
        >>> import mpmath
        >>> net.evaluate([0]), mpmath.nstr(net.evaluate([1], dps=20), 20)
        (1, '2.7182818284590452354')
        """
        from .evaluation import layered_digits, layered_value

        values = self._point(point)
        if dps is not None:
            return layered_digits(self, values, dps)
        value = layered_value(self, values)
        return self.node_values(values)[OUTPUT][1] if value is None else value

    def to_sympy(self) -> sympy.Expr:
        """The closed-form expression of the network in its input symbols."""
        self.validate()
        expr: dict = {}
        for node in nx.topological_sort(self.graph):
            data = self.graph.nodes[node]
            if data["kind"] == "input":
                expr[node] = sympy.Symbol(node)
                continue
            pre = to_sympy(data["bias"]) + sympy.Add(
                *[to_sympy(w) * expr[u] for u, _, w in self.graph.in_edges(node, data="weight")]
            )
            expr[node] = pre if data["kind"] == "output" else data["activation"].sympy(pre)
        return expr[OUTPUT]

    # -- files -------------------------------------------------------------------------------
    def to_json(self) -> str:
        """The network as a JSON string (format described in the module docstring)."""
        self.validate()
        neurons = []
        for node in self.neurons:
            data = self.graph.nodes[node]
            neurons.append(
                {
                    "name": node,
                    "activation": data["activation"].to_json(),
                    "bias": json_number(data["bias"]),
                    "inputs": {u: json_number(w) for u, _, w in self.graph.in_edges(node, data="weight")},
                }
            )
        doc = {
            "format": "symdepth-network",
            "version": SCHEMA_VERSION,
            "inputs": list(self._inputs),
            "neurons": neurons,
            "output": {
                "bias": json_number(self.graph.nodes[OUTPUT]["bias"]),
                "inputs": {u: json_number(w) for u, _, w in self.graph.in_edges(OUTPUT, data="weight")},
            },
        }
        if self.assumptions:
            doc["assumptions"] = list(self.assumptions)
        return json.dumps(doc, indent=1)

    @classmethod
    def from_json(cls, text: str | bytes) -> Network:
        """Read a network written by :meth:`to_json`.

        Raises
        ------
        ParseError
            Malformed JSON.
        NetworkError
            Wrong schema version, unknown or missing fields, bad weights, cycles.
        """
        try:
            doc = json.loads(text)
        except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as err:
            raise ParseError(f"network file is not valid JSON: {err}") from None
        _expect_keys(doc, "network file", {"format", "version", "inputs", "neurons", "output"}, {"assumptions"})
        if doc["format"] != "symdepth-network":
            raise NetworkError(f"network file has format {doc['format']!r}; expected 'symdepth-network'")
        if doc["version"] != SCHEMA_VERSION:
            raise NetworkError(
                f"network file has schema version {doc['version']!r}; this symdepth reads version {SCHEMA_VERSION}"
            )
        inputs = doc["inputs"]
        if not isinstance(inputs, list) or not all(isinstance(n, str) for n in inputs):
            raise NetworkError("'inputs' must be a list of names")
        net = cls(inputs)
        if not isinstance(doc["neurons"], list):
            raise NetworkError("'neurons' must be a list")
        for i, item in enumerate(doc["neurons"]):
            _expect_keys(item, f"neuron #{i}", {"name", "activation", "inputs"}, {"bias"})
            if not isinstance(item["name"], str) or not item["name"]:
                raise NetworkError(f"neuron #{i}: 'name' must be a nonempty string")
            try:
                act = _activations.from_json(item["activation"])
            except SymdepthError as err:
                raise NetworkError(f"neuron {item['name']!r}: {err}") from None
            net.add_neuron(
                _weights_json(item["inputs"], f"neuron {item['name']!r}"),
                _number_from_json(item.get("bias", 0), f"bias of {item['name']!r}"),
                act,
                name=item["name"],
            )
        _expect_keys(doc["output"], "output", {"inputs"}, {"bias"})
        net.set_output(
            _weights_json(doc["output"]["inputs"], "output"),
            _number_from_json(doc["output"].get("bias", 0), "output bias"),
        )
        if "assumptions" in doc:
            net.assumptions = tuple(str(a) for a in doc["assumptions"])
        net.validate()
        return net

    # -- display -----------------------------------------------------------------------------
    def __repr__(self) -> str:
        try:
            depth: Any = self.depth
        except NetworkError:
            depth = "?"
        names = list(self._inputs)
        # a trained net has hundreds of inputs: name a few and count the rest
        inputs = f"{names}" if len(names) <= 8 else f"[{', '.join(names[:3])}, ..., {names[-1]}] ({len(names)})"
        return (
            f"Network(inputs={inputs}, neurons={self.num_neurons}, depth={depth}, "
            f"activation={self.activation!r})"
        )


def _number(value: object, what: str) -> Exact:
    """A weight or bias as given to the builder API: exact numbers as they are, strings in the
    number grammar of the file format (``"-1/3"``, ``"atanh(1/2)"``); sizes checked."""
    if isinstance(value, str):
        try:
            return parse_number(value)
        except ParseError as err:
            raise NetworkError(f"{what}: {err}") from None
        except BudgetError as err:
            raise BudgetError(f"{what}: {err}") from None
    return checked_size(exact(value, what), what)


def _weight(value: object, what: str) -> Exact:
    """:func:`_number`, floats and small ints first: their sizes are far below any budget."""
    if type(value) is float or type(value) is int and value.bit_length() < 1000:
        return exact(value)
    return _number(value, f"a weight of {what}")


def _canonical(value: Any) -> Exact:
    """Rationals as Fraction/int; rational functions of symbols cancelled, so that an exact
    zero is recognised as zero."""
    if isinstance(value, (int, Fraction)):
        return value
    if value.free_symbols:
        value = sympy.cancel(sympy.together(value))
    return exact(value)


def _number_from_json(value: Any, what: str) -> Exact:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise NetworkError(f"{what}: {value!r} is not a number; write numbers as JSON integers or strings like '3/4'")
    return _number(value, what)


def _weights_json(data: Any, what: str) -> dict:
    if not isinstance(data, dict):
        raise NetworkError(f"{what}: 'inputs' must be an object node -> weight")
    return {u: _number_from_json(w, f"{what}: weight from {u!r}") for u, w in data.items()}


def _expect_keys(obj: Any, what: str, required: set, optional: Iterable = ()) -> None:
    if not isinstance(obj, dict):
        raise NetworkError(f"{what} must be a JSON object")
    missing = sorted(required - set(obj))
    if missing:
        raise NetworkError(f"{what} lacks the field {missing[0]!r}")
    unknown = sorted(set(obj) - required - set(optional))
    if unknown:
        raise NetworkError(
            f"{what} has unknown field {unknown[0]!r}; allowed fields are {sorted(required | set(optional))}"
        )
