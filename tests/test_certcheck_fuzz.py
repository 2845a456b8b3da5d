"""The checker on malformed certificates (issue 37, bad input): valid certificates of every
kind, mutated at random — a key dropped, a value replaced by any JSON value (huge integers,
floats, strings, nested lists), a list shortened or extended — must be verified, rejected or
called unreadable, never crash.  A crash would be a traceback at the command line; it could
never be a wrong "verified", but it is still a bug.  The same functions are what
``python -m certcheck`` runs on each file."""

from __future__ import annotations

import copy
import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certcheck import Rejected, Unreadable, verify
from symdepth import Network, bounds, check_taylor, constructions, piecewise
from symdepth.uniform import check_uniform


def _valid_certificates() -> list:
    relu = Network(2, "relu")
    a, b = relu.add_neuron({"x1": 1, "x2": -1}), relu.add_neuron({"x1": "1/2", "x2": 1}, bias="-1/4")
    relu.set_output({a: 1, b: -2})
    line = Network(1, "relu")
    h = line.add_neuron({"x1": 2}, bias=-1)
    line.set_output({h: 1})
    f = piecewise.from_network(line, (-1, 1))
    from symdepth.piecewise.certify import crossings_certificate

    return [
        check_taylor(constructions.deep_power(3, "exp"), "x1^3").certificate(),
        check_taylor(constructions.deep_power(3, "exp"), "x1^3", degree=4).certificate(),
        bounds.rank._rank_certificate(bounds.derivative_rank("x1*x2 + x2^2"), "x1*x2 + x2^2"),
        bounds.minimal_shallow_width("x1*x2", "exp", "output-bias").certificate(),
        check_uniform(constructions.deep_power(2, "exp"), "x1^2", "1/10", box=[("-1/8", "1/8")]).certificate(),
        crossings_certificate(piecewise.crossings(f, Fraction(1, 2)), f, Fraction(1, 2)),
        piecewise.regions_2d(relu, box=((-1, 1), (-1, 1))).certificate(),
    ]


CERTIFICATES = _valid_certificates()

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**30, max_value=10**30) | st.just(10**4200)
    | st.floats(allow_nan=False) | st.text(max_size=12) | st.sampled_from(["1/0", "x1", "-1/2", "exp(9999)", "nan"]),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8)


def _paths(value: object, prefix: tuple = ()) -> list:
    """Every place in a JSON document: the paths of its dict keys and list items."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value[:6]):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw: st.DrawFn) -> dict:
    document = copy.deepcopy(draw(st.sampled_from(CERTIFICATES)))
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in _paths(document) if p and p[0] not in ("format", "version", "kind")]
        path = draw(st.sampled_from(places))
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "drop", "shorten", "extend"]))
        key = path[-1]
        if action == "replace" or not isinstance(parent[key], list) and action in ("shorten", "extend"):
            parent[key] = draw(JSON_VALUES)
        elif action == "drop":
            del parent[key]
        elif action == "shorten":
            del parent[key][-1:]
        else:
            parent[key].append(draw(JSON_VALUES))
    return json.loads(json.dumps(document))  # as a file would hold it


@pytest.mark.parametrize("index", range(len(CERTIFICATES)))
def test_the_unmutated_certificates_are_verified(index):
    assert verify(json.loads(json.dumps(CERTIFICATES[index])))


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_certificate_is_verified_rejected_or_unreadable(document):
    try:
        verify(document)
    except (Rejected, Unreadable):
        pass
