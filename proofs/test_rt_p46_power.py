"""RT-P4.6 (Rolnick & Tegmark 2018, Prop 4.6): x^d needs d + 1 neurons in one hidden layer;
a deep network needs at most 7⌈log2 d⌉, "with a worst case scenario where d + 1 is a power of 2".

Checked: derivative rank of x^d is d + 1 and shallow_power passes; deep_power passes
check_taylor exactly for d = 1..64 and randomized (two repetitions, error bound < 10^-20) for 12 values of d up to
4096 (all 4096 under -m slow); its neuron count (2-neuron squares) and the paper's count
(3-neuron squares) are ≤ 7⌈log2 d⌉; within each class ⌈log2 d⌉ = k, the count is largest
exactly at d = 2^k − 1, i.e. d + 1 a power of two — the printed worst case holds."""

import math
import random

import pytest

import symdepth
from symdepth import bounds, check_taylor, constructions
from symdepth.prove import Claim

from . import controls

CLAIM = Claim("RT-P4.6", "RT Prop 4.6", "x^d: shallow needs d+1; deep ≤ 7⌈log2 d⌉, worst when d+1 = 2^k",
              "exact d = 1..64; randomized 12 d ≤ 4096 (all with -m slow); counts d ≤ 2^14",
              model="strictly layered (checked); 2-neuron square gates plus a bias, RT's 3-neuron count checked too")


def _paper_count(d):
    return constructions.deep_power_count(d) + max(d.bit_length() - 1, 0)


@pytest.mark.parametrize("d", range(1, 65))
def test_exact(d):
    net = constructions.deep_power(d, "exp")
    assert net.num_neurons == constructions.deep_power_count(d)
    layer = net.layers()
    assert all(layer[v] == layer[u] + 1 for u, v in net.graph.edges)  # strictly layered, as RT count
    assert check_taylor(net, {(d,): 1}).ok
    assert bounds.derivative_rank({(d,): 1}) == d + 1
    if d <= 24:
        assert check_taylor(constructions.shallow_power(d, "exp"), {(d,): 1}).ok


@pytest.mark.parametrize("d", sorted(random.Random(46).sample(range(65, 4097), 12)))
def test_randomized(d):
    result = check_taylor(constructions.deep_power(d, "tanh"), {(d,): 1}, method="random", seed=d)
    assert result.ok and result.error_probability < 1e-20


def _randomized_power(d):
    return check_taylor(constructions.deep_power(d, "exp"), {(d,): 1}, method="random", seed=d).ok


def _chunk(chunk):
    """Every d = 65..4096 in 8 interleaved chunks of equal cost, so that ``prove --workers`` can
    spread them."""
    return range(65 + chunk, 4097, 8)


def test_chunks_cover_every_d():
    assert sorted(d for chunk in range(8) for d in _chunk(chunk)) == list(range(65, 4097))


@pytest.mark.slow
@pytest.mark.parametrize("chunk", range(8))
def test_randomized_all(chunk, sweep_executor):
    """One chunk of every d = 65..4096 (a symdepth.sweep: local processes, or a dask cluster
    with --scheduler)."""
    result = symdepth.sweep(_randomized_power, _chunk(chunk), executor=sweep_executor)
    assert result.ok and all(result.values), result.failures[:3]


def test_counts_within_bound_and_worst_case():
    for d in range(2, 2**14):
        bound = 7 * math.ceil(math.log2(d))
        assert constructions.deep_power_count(d) <= _paper_count(d) <= bound
    for k in range(2, 15):
        members = range(2 ** (k - 1) + 1, 2**k + 1)
        worst = max(members, key=lambda d: (_paper_count(d), d))
        assert worst == 2**k - 1
        assert max(members, key=lambda d: (constructions.deep_power_count(d), d)) == 2**k - 1


@pytest.mark.parametrize("d,activation", [(64, "exp"), (1000, "tanh")])
def test_negative_control_randomized(d, activation):
    """The randomized method rejects near misses of the very claims it is trusted with above."""
    controls.randomized_refutes_near_misses(constructions.deep_power(d, activation), {(d,): 1}, seed=d)


def test_negative_control_tanh_coefficients():
    controls.coefficients_match_sympy("tanh")
