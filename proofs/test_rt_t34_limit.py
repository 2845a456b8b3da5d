"""RT-T3.4 (Rolnick & Tegmark 2018, Thm 3.4): for σ with nonzero Taylor coefficients up to
d, the limit as ε → 0 of the least neuron count of a depth-k network ε-approximating p exists.

A statement about all networks and all ε: not mechanically checkable here.  We check the
lemma it rests on: a fixed architecture (one shallow Taylor network per monomial, summed)
ε-approximates p for every ε after rescaling each part (Prop 3.3), so the count stays
bounded as ε shrinks.  Sweep: p = x1^2 + x1*x2, x1^3 - 2*x2; exp; δ = 2^-2..2^-5."""

from fractions import Fraction

import pytest

from symdepth import Network, check_taylor, constructions, rescale
from symdepth.check import sup_error
from symdepth.parsing import polynomial_terms
from symdepth.prove import Claim

from . import controls

CLAIM = Claim("RT-T3.4", "RT Thm 3.4", "the ε → 0 limit of the minimal neuron count exists",
              "lemma: bounded neurons for all δ; p = x1^2 + x1*x2, x1^3 - 2*x2; δ = 2^-2..2^-5",
              kind="not mechanisable",
              model="a sum of one-hidden-layer networks with biases")


def _sum_of_rescaled_monomials(poly: str, delta: Fraction) -> Network:
    names, terms = polynomial_terms(poly, ("x1", "x2"))
    net = Network(2, "exp")
    output = {}
    for mono, c in terms.items():
        part = rescale(constructions.shallow_monomial(mono, "exp"), delta, sum(mono))
        assert check_taylor(part, {mono: 1}).ok  # each homogeneous part, Prop 3.3
        mapping = {}
        for node in part.neurons:
            data = part.graph.nodes[node]
            ins = {mapping.get(u, u): w for u, _, w in part.graph.in_edges(node, data="weight")}
            mapping[node] = net.add_neuron(ins, data["bias"])
        for u, _, w in part.graph.in_edges(part.output, data="weight"):
            output[mapping[u]] = w * c
    net.set_output(output)
    return net


@pytest.mark.parametrize("poly", ["x1^2 + x1*x2", "x1^3 - 2*x2"])
def test_fixed_architecture_approximates_for_every_delta(poly):
    counts, errors = set(), []
    for j in range(2, 6):
        net = _sum_of_rescaled_monomials(poly, Fraction(1, 2**j))
        counts.add(net.num_neurons)
        errors.append(sup_error(net, poly, radius=1, grid=5))
    assert len(counts) == 1  # the neuron count does not grow as ε shrinks
    assert all(b < a for a, b in zip(errors, errors[1:]))


def test_negative_control_sup_error():
    """The sup estimate the limit rests on, against closed-form sups on boxes."""
    controls.sup_error_matches_closed_form()
