"""Arora, Cohen & Hazan (2018): overparametrization as an implicit preconditioner.

* :func:`scalar_overparametrization` — the update of w = w1·w2 (w1 a vector, w2 a scalar)
  after one gradient step on each factor, expanded in the step size η with sympy.
* :func:`end_to_end_residual` — one gradient step on each layer of an N-layer linear network,
  compared (in mpmath, high precision) with the claimed end-to-end update
  W_e ← (1 − ηλN)W_e − η Σ_j [W_e W_eᵀ]^{(j−1)/N} ∇L(W_e) [W_eᵀ W_e]^{(N−j)/N}.

References
----------
Arora, Cohen & Hazan (2018). On the optimization of deep networks: implicit acceleration
by overparameterization. ICML.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import mpmath
import sympy

__all__ = ["OverparametrizedStep", "scalar_overparametrization", "balanced_layers", "end_to_end_residual"]


@dataclass(frozen=True)
class OverparametrizedStep:
    """Symbolic expansions (vectors as sympy Matrices) of one step of w = w1·w2."""

    exact: Any  # w1^(t+1) w2^(t+1)
    claimed: Any  # w − ρ∇w − γw with ρ = η w2², γ = η w2⁻¹ ∇w2
    with_old_w2: Any  # w1^(t+1) w2^(t), as printed in the first line of the derivation
    remainder: Any  # exact − claimed
    old_w2_gap: Any  # with_old_w2 − claimed


def scalar_overparametrization(dimension: int = 2) -> OverparametrizedStep:
    """Expand one gradient step of the factorisation w = w1·w2 in η.

    The gradient of the loss at w is a symbolic vector g; then ∇w1 = w2·g and
    ∇w2 = w1ᵀg.

    Examples
    --------
    >>> step = scalar_overparametrization(2)
    >>> eta = sympy.Symbol("eta")
    >>> all(sympy.expand(c).coeff(eta, 1) == 0 and sympy.expand(c).coeff(eta, 0) == 0 for c in step.remainder)
    True
    """
    eta, w2 = sympy.symbols("eta w2")
    w1 = sympy.Matrix(sympy.symbols(f"w1_1:{dimension + 1}"))
    g = sympy.Matrix(sympy.symbols(f"g_1:{dimension + 1}"))
    grad_w1 = w2 * g
    grad_w2 = (w1.T * g)[0, 0]
    new_w1 = w1 - eta * grad_w1
    new_w2 = w2 - eta * grad_w2
    w = w1 * w2
    rho = eta * w2**2
    gamma = eta * grad_w2 / w2
    claimed = w - rho * g - gamma * w
    exact = new_w1 * new_w2
    with_old = new_w1 * w2
    return OverparametrizedStep(
        exact=exact,
        claimed=claimed,
        with_old_w2=with_old,
        remainder=(exact - claimed).applyfunc(sympy.expand),
        old_w2_gap=(with_old - claimed).applyfunc(sympy.expand),
    )


def _random_orthogonal(d: int, rng: Any) -> Any:
    a = mpmath.matrix([[mpmath.mpf(rng.gauss(0, 1)) for _ in range(d)] for _ in range(d)])
    q, _ = mpmath.qr(a)
    return q


def balanced_layers(d: int, depth: int, seed: int = 0, scale: Any = 1, balanced: bool = True) -> list:
    """Layers W_1..W_N (d×d, mpmath) with W_{j+1}ᵀW_{j+1} = W_jW_jᵀ when ``balanced``:
    W_j = U_j Σ^{1/N} U_{j−1}ᵀ with random orthogonal U_j.  Unbalanced: the same end-to-end
    matrix, with W_1 scaled by 2 and W_2 by 1/2."""
    import random

    rng = random.Random(seed)
    sigma = [mpmath.mpf(scale) * (1 + mpmath.mpf(i) / d) for i in range(d)]
    us = [_random_orthogonal(d, rng) for _ in range(depth + 1)]
    root = mpmath.diag([s ** (mpmath.mpf(1) / depth) for s in sigma])
    layers = [us[j + 1] * root * us[j].T for j in range(depth)]
    if not balanced and depth >= 2:
        layers[0] = layers[0] * 2
        layers[1] = layers[1] / 2
    return layers


def _product(layers: list) -> Any:
    out = layers[0]
    for w in layers[1:]:
        out = w * out
    return out


def _psd_power(m: Any, p: Any) -> Any:
    values, vectors = mpmath.eigsy(m)
    d = m.rows
    diag = mpmath.diag([max(values[i], mpmath.mpf(0)) ** p if values[i] > 0 else mpmath.mpf(0) for i in range(d)])
    return vectors * diag * vectors.T


def end_to_end_residual(layers: list, target: Any, eta: Any, weight_decay: Any = 0, dps: int = 50,
                        fixed_index: int | None = None) -> Any:
    """‖(product of the per-layer gradient steps) − (claimed end-to-end update)‖_F for the loss
    L(W) = ½‖W − target‖²_F.

    ``fixed_index`` = j evaluates the sum as printed in the notes, Σ_{i=1}^N with every term
    using that one j (N copies of the j-th term), instead of the sum over j.

    Examples
    --------
    >>> layers = balanced_layers(2, 3, seed=1)
    >>> target = mpmath.eye(2)
    >>> r1 = end_to_end_residual(layers, target, mpmath.mpf("1e-3"))
    >>> r2 = end_to_end_residual(layers, target, mpmath.mpf("1e-4"))
    >>> 80 < r1 / r2 < 120
    True
    """
    with mpmath.workdps(dps):
        n = len(layers)
        w_e = _product(layers)
        grad = w_e - target
        stepped = []
        for j in range(n):
            after = _product(layers[j + 1:]) if j + 1 < n else mpmath.eye(w_e.rows)
            before = _product(layers[:j]) if j > 0 else mpmath.eye(w_e.rows)
            grad_j = after.T * grad * before.T
            stepped.append((1 - eta * weight_decay) * layers[j] - eta * grad_j)
        actual = _product(stepped)
        claimed = (1 - eta * weight_decay * n) * w_e
        left_gram = w_e * w_e.T
        right_gram = w_e.T * w_e
        for i in range(1, n + 1):
            j = i if fixed_index is None else fixed_index
            claimed -= eta * _psd_power(left_gram, mpmath.mpf(j - 1) / n) * grad * _psd_power(
                right_gram, mpmath.mpf(n - j) / n
            )
        return mpmath.mnorm(actual - claimed, "F")
