"""Exact comparison of Taylor coefficients: a difference of exact values, and the decision
whether a formally nonzero difference of transcendental constants is really nonzero."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from ..errors import SymdepthError, UndecidedError
from ..numbers import Exact, exact, is_rational, to_sympy


def _difference(a: Exact, b: Exact) -> Exact:
    if is_rational(a) and is_rational(b):
        return a - b
    diff = to_sympy(a) - to_sympy(b)
    if diff.free_symbols:
        diff = sympy.cancel(sympy.together(diff))
    if diff == 0 or diff.is_Rational:
        return exact(diff)
    if not diff.free_symbols and not _confirmed_nonzero(diff, (), ()):
        return 0
    return diff


def _confirmed_nonzero(value: Exact, mono: Any, variables: Sequence[str]) -> bool:
    """Decide whether a formally nonzero constant is really nonzero: exactly when sympy's
    expansion or simplification reaches 0, numerically when it exceeds 1e-40 at 60 digits;
    raise when neither settles it."""
    if is_rational(value):
        return value != 0
    expr = to_sympy(value)
    if not expr.free_symbols and _ball_excludes_zero(expr):
        return True
    expr = sympy.expand(expr)
    if expr == 0:
        return False
    if expr.free_symbols:
        return True  # a nonzero rational function of indeterminates
    approx = sympy.N(expr, 60)
    if abs(approx) > sympy.Float("1e-40"):
        return True
    if sympy.simplify(expr) == 0:
        return False
    where = _monomial_str(variables, mono) if variables else "the constant term"
    raise UndecidedError(
        f"coefficient of {where}: the difference {expr} is formally nonzero but below 1e-40 numerically; "
        "symdepth cannot decide this equality of transcendental constants. Choose biases that make the "
        "activations' seeds rational (see activations.expansion_point)"
    )


def _ball_excludes_zero(expr: sympy.Expr) -> bool:
    """A rigorous enclosure of a constant (arb balls at 256 bits) that excludes 0: the fast
    way to confirm a nonzero difference, before sympy's expansion and 60-digit evaluation,
    which take seconds on the constants of a few layers."""
    from ..series import ball, ball_precision

    try:
        with ball_precision(256):
            return not ball(expr).contains(0)
    except (SymdepthError, ValueError, ZeroDivisionError):
        return False   # a function ball() does not enclose: sympy decides


def _monomial_str(variables: Sequence[str], mono: Sequence[int]) -> str:
    parts = [v if e == 1 else f"{v}**{e}" for v, e in zip(variables, mono) if e]
    return "*".join(parts) or "1"
