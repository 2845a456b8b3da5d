"""ACH-E2E (depth-separation notes, Arora–Cohen–Hazan): with small steps and balanced
initialisation (W_{j+1}ᵀW_{j+1} = W_jW_jᵀ), the end-to-end matrix of a depth-N linear network
follows W_e ← (1 − ηλN)W_e − η Σ_{j=1}^N [W_eW_eᵀ]^{(j−1)/N} ∇L(W_e) [W_eᵀW_e]^{(N−j)/N}.

Checked numerically in mpmath at 50 digits (tolerance: ratios within 5%): for N = 2, 3, 4,
d = 2, 3 and λ ∈ {0, 1/10}, the difference between the product of per-layer gradient steps and
the formula shrinks like η² (ratio ≈ 100 per factor 10 in η, η = 10^-2..10^-5); without balance
it shrinks only like η.  The printed sum runs over i while its terms use j: read as printed
(one j for all N terms) it is false — for N = 2 and either j the difference to the product of
layer steps shrinks only like η (checked) — and with the sum over j it holds."""

import mpmath
import pytest

from symdepth.dynamics import balanced_layers, end_to_end_residual
from symdepth.prove import Claim, Erratum

CLAIM = Claim("ACH-E2E", "Arora, Cohen & Hazan 2018 (NOTES)", "end-to-end update of an N-layer linear net under "
              "balanced initialisation", "N = 2..4, d = 2, 3, λ ∈ {0, 1/10}, η = 1e-2..1e-5", kind="numeric",
              model="deep linear networks, square layers")
ERRATA = (
    Erratum("ACH-E2E", "Σ_{i=1}^N [W_eW_eᵀ]^{(j−1)/N} ∇L(W_e) [W_eᵀW_e]^{(N−j)/N}", "the sum is over j = 1..N",
            "N = 2, d = 2: with one j for both terms (j = 1 or 2) the update is off at first order in η "
            "(residual ratio ≈ 10 per factor 10 in η, not 100)",
            "end_to_end_residual(..., fixed_index=j) in mpmath at 50 digits"),
)


def _ratios(balanced, depth, d, decay):
    layers = balanced_layers(d, depth, seed=depth * 10 + d, balanced=balanced)
    target = mpmath.eye(d) * 2
    residuals = [end_to_end_residual(layers, target, mpmath.mpf(10) ** -k, decay) for k in range(2, 6)]
    return [residuals[i] / residuals[i + 1] for i in range(3)]


@pytest.mark.parametrize("depth", [2, 3, 4])
@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("decay", [0, mpmath.mpf(1) / 10])
def test_second_order_under_balance(depth, d, decay):
    assert all(95 < r < 105 for r in _ratios(True, depth, d, decay)[1:])


@pytest.mark.parametrize("depth", [2, 3])
def test_first_order_without_balance(depth):
    assert all(9.5 < r < 10.5 for r in _ratios(False, depth, 2, 0)[1:])


@pytest.mark.parametrize("fixed", [1, 2])
def test_printed_sum_is_off_at_first_order(fixed):
    layers = balanced_layers(2, 2, seed=22, balanced=True)
    target = mpmath.eye(2) * 2
    residuals = [end_to_end_residual(layers, target, mpmath.mpf(10) ** -k, 0, fixed_index=fixed) for k in range(2, 6)]
    assert all(9.5 < residuals[i] / residuals[i + 1] < 10.5 for i in range(1, 3))
