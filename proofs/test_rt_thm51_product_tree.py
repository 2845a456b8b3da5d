"""RT-T5.1 (Rolnick & Tegmark 2018, Thm 5.1, eq. (2)): the tree that multiplies groups of b_i
values in layer i uses Σ_i (∏_{j>i} b_j)·2^{b_i} neurons and Taylor-approximates x1⋯xn.

Checked: every ordered factorization of n = 2..8 into k ≤ 3 factors ≥ 2: neuron count equals
eq. (2) and check_taylor holds exactly; n = 16..256 randomized; the integer optimum of eq. (2)
(product_bound) against brute force over all ordered k-tuples for n ≤ 64, k ≤ 4."""

import itertools
import math

import pytest
import sympy

from symdepth import bounds, check_taylor, constructions
from symdepth.prove import Claim

from . import controls

CLAIM = Claim("RT-T5.1", "RT Thm 5.1 eq (2)", "product tree with widths b_i has Σ(∏_{j>i} b_j)2^{b_i} neurons "
              "and Taylor-approximates x1⋯xn", "n ≤ 8 exact (all factorizations), n = 16..256 randomized; "
              "optimum brute-forced n ≤ 64, k ≤ 4",
              model="strictly layered when ∏ b_i = n (checked); otherwise a lone value skips a layer")


def _factorizations(n, k):
    return [w for w in itertools.product(sympy.divisors(n), repeat=k) if math.prod(w) == n]


CASES = [(n, w) for n in range(2, 9) for k in (1, 2, 3) for w in _factorizations(n, k) if all(b >= 2 for b in w)]


def _product(n):
    return {(1,) * n: 1}


@pytest.mark.parametrize("n,widths", CASES)
def test_exact_trees(n, widths):
    net = constructions.product_tree(n, widths, "exp")
    assert net.num_neurons == bounds.eq2_neurons(widths) == constructions.product_tree_count(n, widths)
    assert net.depth == len(widths)
    layer = net.layers()
    assert all(layer[v] == layer[u] + 1 for u, v in net.graph.edges)  # strictly layered, as eq. (2) counts
    assert check_taylor(net, _product(n), method="exact").ok


@pytest.mark.parametrize("n,widths", [(16, (4, 4)), (64, (4, 4, 4)), (128, (2,) * 7), (256, (4, 4, 4, 4))])
def test_randomized_trees(n, widths):
    net = constructions.product_tree(n, widths, "exp")
    assert net.num_neurons == bounds.eq2_neurons(widths)
    assert check_taylor(net, _product(n), method="random", seed=n).ok


@pytest.mark.parametrize("k", [1, 2, 3, 4])
def test_integer_optimum_against_brute_force(k):
    for n in range(1, 65):
        brute = min(bounds.eq2_neurons(w) for w in _factorizations(n, k))
        assert bounds.product_bound(n, k).neurons == brute
        assert bounds.eq2_neurons(bounds.product_bound(n, k).widths) == brute


@pytest.mark.parametrize("n,widths", [(16, (4, 4)), (12, (2, 2, 3))])
def test_negative_control_randomized(n, widths):
    """The randomized method rejects near misses of a product-tree claim."""
    controls.randomized_refutes_near_misses(constructions.product_tree(n, widths, "exp"), _product(n), seed=n)


LEFTOVERS = [(5, (2, 3)), (7, (2, 2, 2)), (5, (3, 2)), (10, (3, 4)), (9, (2, 5)), (11, (4, 3)), (6, (4, 2))]


@pytest.mark.parametrize("n,widths", LEFTOVERS)
def test_count_helper_with_leftovers(n, widths):
    """When ∏ b_i > n a group is partial or a value is left over: the count helper against the
    network actually built, which must still multiply x1⋯xn."""
    net = constructions.product_tree(n, widths, "exp")
    assert constructions.product_tree_count(n, widths) == net.num_neurons
    assert check_taylor(net, _product(n), method="exact").ok
