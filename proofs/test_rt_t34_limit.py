"""RT-T3.4 (Rolnick & Tegmark 2018, Thm 3.4): for σ with nonzero Taylor coefficients up to
d, the limit as ε → 0 of the least neuron count of a depth-k network ε-approximating p exists.

A statement about all networks and all ε: not mechanically checkable here.  We check the
lemma it rests on: a fixed architecture (one shallow Taylor network per monomial, summed)
ε-approximates p for every ε after rescaling each part (Prop 3.3), so the count stays
bounded as ε shrinks.  Sweep: p = x1^2 + x1*x2, x1^3 - 2*x2; exp; δ = 2^-2..2^-5 (the sup error
on [−1, 1]^2 enclosed by ball arithmetic falls strictly); ε = 10^-2, 10^-3, 10^-4 each proven
by check_uniform with the same neuron count."""

from fractions import Fraction

import pytest

from symdepth import Network, check_taylor, constructions, rescale
from symdepth.parsing import polynomial_terms
from symdepth.prove import Claim
from symdepth.uniform import check_uniform, sup_enclosure

from . import controls

CLAIM = Claim("RT-T3.4", "RT Thm 3.4", "the ε → 0 limit of the minimal neuron count exists",
              "lemma: bounded neurons for all δ, errors proven by ball arithmetic; p = x1^2 + x1*x2, "
              "x1^3 - 2*x2; δ = 2^-2..2^-5; ε = 10^-2..10^-4",
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
    counts, sups = set(), []
    for j in range(2, 6):
        net = _sum_of_rescaled_monomials(poly, Fraction(1, 2**j))
        counts.add(net.num_neurons)
        sups.append(sup_enclosure(net, poly, rtol=Fraction(1, 100)))
    assert len(counts) == 1  # the neuron count does not grow as ε shrinks
    assert all(b.upper < a.lower for a, b in zip(sups, sups[1:]))  # the sup falls, provably


@pytest.mark.parametrize("poly", ["x1^2 + x1*x2", "x1^3 - 2*x2"])
def test_every_eps_is_reached_with_the_same_neurons(poly):
    counts = set()
    for eps in (Fraction(1, 100), Fraction(1, 1000), Fraction(1, 10**4)):
        proven = None
        for j in range(1, 30):
            net = _sum_of_rescaled_monomials(poly, Fraction(1, 2**j))
            result = check_uniform(net, poly, eps, max_cells=200)
            if result.ok:
                proven = net
                break
        assert proven is not None, eps
        counts.add(proven.num_neurons)
    assert len(counts) == 1


def test_negative_control_uniform():
    """The proofs the limit rests on, against closed-form sups on boxes; check_uniform says
    "fails" below them."""
    controls.uniform_matches_closed_form()
