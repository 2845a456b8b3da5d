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
from hypothesis import HealthCheck, example, given, settings
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


def test_a_huge_weight_is_named_by_its_size():
    """A weight of 4,201 digits makes coefficients Python refuses to print (over 4,300 digits):
    the rejection names them by their size instead of crashing."""
    document = json.loads(json.dumps(CERTIFICATES[1]))
    document["network"]["neurons"][-1]["inputs"]["h3"] = 10**4200
    with pytest.raises(Rejected, match="rational of ~16800 digits"):
        verify(document)


def _obvious_crossings(roots: list, breakpoints: list, pieces: list, tau: Fraction) -> int:
    """Cr of a piecewise polynomial whose pieces minus tau are sign·∏(x − r)^k with known
    rational roots: 1[f ≥ tau] read at every root and breakpoint and between consecutive ones."""
    points = sorted({Fraction(0), *breakpoints, *(r for r, _ in roots)})
    probes = [points[0] - 1] + [x for a, b in zip(points, points[1:]) for x in (a, (a + b) / 2)] + points[-1:] + [
        points[-1] + 1]

    def f(x: Fraction) -> Fraction:
        i = sum(1 for b in breakpoints if b <= x)
        return sum(c * x**k for k, c in enumerate(pieces[i]))

    values = [f(x) >= tau for x in probes]
    return 1 + sum(1 for u, v in zip(values, values[1:]) if u != v)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(-6, 6), st.integers(1, 4)), min_size=1, max_size=4, unique_by=lambda r: r[0]),
       st.sampled_from([1, -1]), st.lists(st.integers(-7, 7), min_size=0, max_size=3, unique=True))
@example([(-1, 1), (0, 2), (1, 1)], -1, [-5, -4, 4])   # a double root at the first bisection point of (-2, 2)
def test_crossing_counts_match_an_obvious_count(roots, sign, cuts):
    """The checker's count (Sturm bisection on the square-free part) against reading f at
    every root and between: roots of even multiplicity (a touch: two crossings when f dips
    below tau there), roots on a breakpoint and at a bisection point included; an off-by-one
    count is rejected."""
    tau = Fraction(1, 2)
    q = [Fraction(sign)]
    for r, k in roots:
        for _ in range(k):
            q = [(q[i - 1] if i else 0) - r * (q[i] if i < len(q) else 0) for i in range(len(q) + 1)]
    shifted = [c + tau * (i == 0) for i, c in enumerate(q)]
    other = [tau + 1]                                 # a constant piece above tau beside it
    breakpoints = [Fraction(c, 2) for c in sorted(cuts)]
    pieces = [other if i % 3 == 1 else shifted for i in range(len(breakpoints) + 1)]
    expected = _obvious_crossings([(Fraction(r), k) for r, k in roots], breakpoints, pieces, tau)
    cert = {"format": "symdepth-certificate", "version": 1, "kind": "crossings", "threshold": "1/2",
            "breakpoints": ["-inf", *map(str, breakpoints), "inf"], "pieces": [[str(c) for c in p] for p in pieces],
            "count": expected}
    assert verify(cert).startswith(f"f: Cr = {expected} ")
    for wrong in (expected - 1, expected + 1):
        if wrong >= 1:
            with pytest.raises(Rejected):
                verify({**cert, "count": wrong})
