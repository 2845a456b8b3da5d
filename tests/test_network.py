"""Network: construction, validation (the bad-input table of issue 8), editing, JSON."""

import json
import math
from fractions import Fraction

import pytest
import sympy

from symdepth import BudgetError, Network, NetworkError, ParseError, SymdepthError, activations, constructions


def _small():
    net = Network(2, "tanh")
    h = net.add_neuron({"x1": 1, "x2": Fraction(-1, 2)}, bias=sympy.atanh(sympy.Rational(1, 2)))
    net.set_output({h: 3}, bias=1)
    return net, h


def test_structure_and_closed_form():
    net, h = _small()
    assert net.inputs == ("x1", "x2") and net.num_neurons == 1 and net.depth == 1 and net.layer_sizes == [1]
    x1, x2 = sympy.symbols("x1 x2")
    assert net.to_sympy() == 3 * sympy.tanh(x1 - x2 / 2 + sympy.atanh(sympy.Rational(1, 2))) + 1
    assert net.evaluate([0, 0]) == Fraction(5, 2)


def test_depth_counts_longest_path_with_skips():
    net = Network(1, "exp")
    a = net.add_neuron({"x1": 1})
    b = net.add_neuron({a: 1})
    net.set_output({b: 1, "x1": 2})
    assert net.depth == 2 and net.layer_sizes == [1, 1]


def test_float_weight_is_converted_exactly_and_shown():
    net = Network(1, "exp")
    h = net.add_neuron({"x1": 0.1})
    w = net.graph.edges["x1", h]["weight"]
    assert w == Fraction(3602879701896397, 36028797018963968)
    net.set_output({h: 1})
    assert "3602879701896397/36028797018963968" in net.to_json()


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf, sympy.nan, sympy.oo, 1 + sympy.I, "3 +", "x1(",
                                 [3], None])
def test_bad_weights(bad):
    net = Network(1, "exp")
    with pytest.raises(NetworkError, match="weight"):
        net.add_neuron({"x1": bad})
    assert net.num_neurons == 0  # nothing was added


def test_builder_reads_the_number_grammar_of_the_file_format():
    net = Network(1, "tanh")
    h = net.add_neuron({"x1": "1/2"}, bias="atanh(1/2)")
    net.set_output({h: "-1/3"}, bias="2")
    assert net.graph.edges["x1", h]["weight"] == Fraction(1, 2)
    assert net.graph.nodes[h]["bias"] == sympy.atanh(sympy.Rational(1, 2))
    assert net.graph.edges[h, net.output]["weight"] == Fraction(-1, 3) and net.graph.nodes[net.output]["bias"] == 2
    assert Network.from_json(net.to_json()).to_json() == net.to_json()


@pytest.mark.parametrize("huge", [10**5000, "10^100000", "exp(exp(exp(10)))", "(10^1000)^100000"],
                         ids=["int", "power", "tower", "nested-power"])
def test_numbers_too_large_are_a_budget_error(huge):
    net = Network(1, "exp")
    with pytest.raises(BudgetError, match="bias of neuron 'h1'.*--max-digits"):
        net.add_neuron({"x1": 1}, bias=huge)


def test_rejected_edits_leave_network_valid():
    net, h = _small()
    before = net.to_json()
    g = net.add_neuron({h: 1})
    net.set_output({g: 1})
    snapshot = net.to_json()
    with pytest.raises(NetworkError, match="cycle"):
        net.set_weight(g, h, 1)
    with pytest.raises(NetworkError, match="NaN|not finite"):
        net.set_weight("x1", h, math.nan)
    with pytest.raises(NetworkError, match="not a neuron or the output"):
        net.set_bias("x1", 1)
    assert net.to_json() == snapshot and before != snapshot
    net.validate()


def test_validation_errors_name_the_node():
    net = Network(1, "exp")
    net.add_neuron({"x1": 1}, name="lonely")
    with pytest.raises(NetworkError, match="no output"):
        net.validate()
    net.set_output({"x1": 1})
    with pytest.raises(NetworkError, match="'lonely' has no path to the output"):
        net.validate()
    with pytest.raises(NetworkError, match="duplicate node name 'lonely'"):
        net.add_neuron({"x1": 1}, name="lonely")
    with pytest.raises(NetworkError, match="unknown node 'h9'"):
        net.add_neuron({"h9": 1})
    with pytest.raises(NetworkError, match="at least one input"):
        Network(0)
    with pytest.raises(SymdepthError, match="unknown activation 'swish'"):
        Network(1, "swish")
    net.set_output({"lonely": 1})
    net.graph.edges["x1", "lonely"]["weight"] = math.inf      # written past set_weight
    with pytest.raises(NetworkError, match="weight 'x1' -> 'lonely' .*not finite"):
        net.validate()


def test_cycle_in_graph_is_reported():
    net, h = _small()
    g = net.add_neuron({h: 1})
    net.graph.add_edge(g, h, weight=1)
    with pytest.raises(NetworkError, match="cycle"):
        net.validate()


def test_json_round_trip_for_constructions():
    for net in [constructions.deep_power(5, "tanh"), constructions.shallow_monomial((2, 1), activations.generic()),
                constructions.univariate_shallow("x1^2 - 1/3", activations.polynomial([1, 1, 1]))]:
        again = Network.from_json(net.to_json())
        assert again.to_json() == net.to_json()
        assert sympy.simplify(again.to_sympy() - net.to_sympy()) == 0
        assert again.assumptions == net.assumptions


def test_json_errors():
    net, _ = _small()
    doc = json.loads(net.to_json())
    with pytest.raises(ParseError, match="not valid JSON"):
        Network.from_json("{not json")
    for change, message in [
        ({"version": 2}, "schema version 2"),
        ({"format": "other"}, "format"),
        ({"extra": 1}, "unknown field 'extra'"),
        ({"inputs": "x1"}, "'inputs' must be a list"),
    ]:
        bad = dict(doc, **change)
        with pytest.raises(NetworkError, match=message):
            Network.from_json(json.dumps(bad))
    bad = json.loads(net.to_json())
    bad["neurons"][0]["inputs"]["x1"] = "__import__('os')"
    with pytest.raises(NetworkError, match="column"):
        Network.from_json(json.dumps(bad))
    bad = json.loads(net.to_json())
    del bad["output"]
    with pytest.raises(NetworkError, match="lacks the field 'output'"):
        Network.from_json(json.dumps(bad))


def test_from_layers_dense():
    net = Network.from_layers([[[1, 0], [0, 1]], [[1, -1]], [[2]]], None, "exp")
    assert net.layer_sizes == [2, 1] and net.depth == 2
    with pytest.raises(NetworkError, match="output row"):
        Network.from_layers([[[1]], [[1], [1]]])


# -- fuzzing the network file loader --------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=12) | st.sampled_from(["1/2", "nan", "x1", "h1"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(
        ["format", "version", "inputs", "neurons", "output", "name", "activation", "bias", "x1", "h1", "extra"]),
        children, max_size=5),
    max_leaves=20,
)


@settings(max_examples=300, deadline=2000)
@given(_json_values)
def test_fuzz_loader_random_documents(doc):
    try:
        Network.from_json(json.dumps(doc))
    except (NetworkError, ParseError):
        pass


def _dicts(value):
    found = [value] if isinstance(value, dict) else []
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    for child in children:
        found += _dicts(child)
    return found


@settings(max_examples=300, deadline=2000)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.sampled_from(["delete", "replace"]), _json_values), max_size=3))
def test_fuzz_loader_mutated_valid_file(edits):
    doc = json.loads(constructions.deep_power(3, "exp").to_json())
    for position, action, value in edits:
        targets = _dicts(doc)
        target = targets[position % len(targets)]
        keys = sorted(target)
        if not keys:
            continue
        key = keys[position % len(keys)]
        if action == "delete":
            del target[key]
        else:
            target[key] = value
    try:
        net = Network.from_json(json.dumps(doc))
    except (NetworkError, ParseError):
        return
    net.validate()


@pytest.mark.parametrize("inputs", [0, True, []])
def test_bad_input_counts(inputs):
    with pytest.raises(NetworkError, match="input"):
        Network(inputs, "exp")


class _TensorLike:
    """What a framework tensor offers: ``__array__`` and nothing else."""

    def __init__(self, data):
        self.data = data

    def __array__(self, dtype=None, copy=None):
        import numpy as np

        return np.asarray(self.data, dtype=dtype)


def test_from_layers_accepts_arrays_exactly():
    import numpy as np

    w1 = np.array([[0.1, -2.0], [0.5, 0.25]], dtype=np.float32)
    w2 = _TensorLike([[1.0, -1.0]])
    biases = [np.array([0.0, 1.5]), np.array([Fraction(1, 3)], dtype=object)]
    net = Network.from_layers([w1, w2], biases, "exp")
    assert net.graph.edges["x1", "h1"]["weight"] == Fraction(float(np.float32(0.1)))  # the float32 value, exactly
    assert net.graph.nodes[net.output]["bias"] == Fraction(1, 3)
    assert net.graph.nodes["h2"]["bias"] == Fraction(3, 2)
    with pytest.raises(NetworkError, match="2 dimensions"):
        Network.from_layers([np.zeros(3), np.ones((1, 3))], None, "exp")
