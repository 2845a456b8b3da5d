"""Exact numbers: converting what a user passes (int, Fraction, float, numpy and mpmath
scalars, sympy numbers and expressions) into exact values, never rounding.

A Python float is a dyadic rational; it is converted to exactly that rational
(``0.1`` becomes ``3602879701896397/36028797018963968``), so nothing is lost silently.
NaN and infinities are refused.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction
from numbers import Integral, Rational
from typing import Any, SupportsFloat, Union, cast

import numpy as np
import sympy
from sympy.printing.str import StrPrinter

from .errors import BudgetError, NetworkError, ParseError

__all__ = ["Exact", "exact", "checked_size", "to_sympy", "is_rational", "as_fraction", "add", "mul", "div", "MAX_DIGITS",
           "json_number"]

Exact = Union[int, Fraction, sympy.Expr]

# A weight, bias or number string with more digits than this is refused where the user gives
# it (far beyond any real network, and below Python's 4300-digit limit on int/str conversion).
MAX_DIGITS = 4000

_BINARY_FLOATS = (float, np.float64, np.float32, np.float16)


def exact(value: object, what: str = "value") -> Exact:
    """Convert ``value`` to an exact number: ``int``, ``Fraction`` or a sympy expression.

    Rationals are returned as ``int``/``Fraction``; sympy expressions that are not rational
    numbers (symbols, ``log(2)``, ``atanh(1/2)``) are returned unchanged.

    Raises
    ------
    NetworkError
        If the value is NaN, infinite, complex or not a number at all.

    Examples
    --------
    >>> exact(0.5), exact(3), exact(Fraction(1, 3))
    (Fraction(1, 2), 3, Fraction(1, 3))
    >>> exact(0.1)
    Fraction(3602879701896397, 36028797018963968)
    >>> exact("-1/10"), exact("1e-3"), exact("atanh(1/2)")
    (Fraction(-1, 10), Fraction(1, 1000), atanh(1/2))
    >>> exact(float("nan"))  # float: a NaN is refused
    Traceback (most recent call last):
    ...
    symdepth.errors.NetworkError: value nan is not finite; weights and biases must be finite numbers
    """
    # the common cases first (a published network has 200,000 weights, and an ABC isinstance
    # check costs a microsecond each)
    if type(value) is int:
        return value
    if type(value) is Fraction:
        return value if value.denominator != 1 else int(value)
    if type(value) in _BINARY_FLOATS:
        number = float(value)  # float: a binary float, widened exactly
        if math.isfinite(number):
            # as_integer_ratio is exact and reduced; Fraction(int, int) skips Fraction(float)'s ABC checks
            numerator, denominator = number.as_integer_ratio()
            return numerator if denominator == 1 else Fraction(numerator, denominator)
    if isinstance(value, str):
        # the one rule for strings, wherever an exact number is taken: the number grammar
        # of symdepth.parsing ("1/10", "-1e-3", "atanh(1/2)"), never eval
        try:
            return _string_reader(value)
        except ParseError as err:
            raise ParseError(f"{what} {value!r}: {err}") from None
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Fraction):
        return value if value.denominator != 1 else int(value)
    if isinstance(value, Rational):
        return _normal(Fraction(int(value.numerator), int(value.denominator)))
    if isinstance(value, sympy.Basic):
        if not isinstance(value, sympy.Expr):
            raise NetworkError(f"{what} {value!r} is not a number; pass an int, Fraction or sympy expression")
        if value.is_Rational:
            return _normal(Fraction(int(value.p), int(value.q)))
        if value.is_Float:
            if not value.is_finite:
                raise NetworkError(f"{what} {value} is not finite; weights and biases must be finite numbers")
            return _normal(Fraction(*sympy.Rational(value).as_numer_denom()))
        if value.has(sympy.nan, sympy.zoo, sympy.oo, -sympy.oo) or value.is_finite is False:
            raise NetworkError(f"{what} {value} is not finite; weights and biases must be finite numbers")
        if value.has(sympy.I) or value.is_extended_real is False:
            raise NetworkError(f"{what} {value} is not real; weights and biases must be real")
        return value
    flint_value = _from_flint(value)
    if flint_value is not None:
        return flint_value
    if isinstance(value, float) or hasattr(value, "as_integer_ratio"):
        try:
            number = float(cast(SupportsFloat, value))  # float: numpy/mpmath scalars; converted exactly below
        except (TypeError, ValueError):
            number = None
        if number is not None:
            if not math.isfinite(number):
                raise NetworkError(f"{what} {number} is not finite; weights and biases must be finite numbers")
            return _normal(Fraction(number))
    raise NetworkError(
        f"{what} {value!r} of type {type(value).__name__} is not an exact number; "
        "pass an int, fractions.Fraction, a string such as '1/10', float (converted exactly) or sympy expression"
    )


def _no_string_reader(text: str) -> Exact:
    raise ParseError(f"{text!r}: strings are read once symdepth.parsing is imported (import symdepth)")


# symdepth.parsing, which builds on this module, installs its number reader here
# (read_strings_with); importing it from here would make the two modules import each other.
_string_reader: Callable[[str], Exact] = _no_string_reader


def read_strings_with(reader: Callable[[str], Exact]) -> None:
    """Install the reader :func:`exact` uses for strings (``symdepth.parsing.parse_number``)."""
    global _string_reader
    _string_reader = reader


def checked_size(value: Exact, what: str = "value") -> Exact:
    """``value`` itself, after making sure it is small enough to compute with: a rational
    with at most :data:`MAX_DIGITS` digits above and below the line, a constant expression
    that evaluates to a finite number below 10^MAX_DIGITS.

    Examples
    --------
    >>> checked_size(Fraction(1, 3))
    Fraction(1, 3)
    >>> checked_size(10**5000, "bias")
    Traceback (most recent call last):
    ...
    symdepth.errors.BudgetError: bias has 5,001 digits, more than symdepth.numbers.MAX_DIGITS=4,000; raise it (command line: --max-digits N) or rescale the network
    >>> checked_size(sympy.exp(sympy.exp(sympy.exp(10))), "bias")
    Traceback (most recent call last):
    ...
    symdepth.errors.BudgetError: bias exp(exp(exp(10))) is too large to evaluate (more than 10^4000); raise symdepth.numbers.MAX_DIGITS (command line: --max-digits N) or rescale the network
    """
    if is_rational(value):
        numerator, denominator = (value, 1) if type(value) is int else (value.numerator, value.denominator)
        bits = max(numerator.bit_length(), denominator.bit_length())
        if bits * 0.30103 > MAX_DIGITS:  # float: a digit-count estimate
            digits = _digits(max(abs(numerator), denominator))
            raise BudgetError(f"{what} has {digits:,} digits, more than symdepth.numbers.MAX_DIGITS={MAX_DIGITS:,}; "
                              "raise it (command line: --max-digits N) or rescale the network")
        return value
    assert isinstance(value, sympy.Expr)
    if value.free_symbols:
        return value
    too_large = BudgetError(f"{what} {_short(value)} is too large to evaluate (more than 10^{MAX_DIGITS}); raise "
                            "symdepth.numbers.MAX_DIGITS (command line: --max-digits N) or rescale the network")
    try:
        magnitude = sympy.N(value, 15)
    except (OverflowError, ValueError, RecursionError, ZeroDivisionError):
        raise too_large from None
    if not magnitude.is_finite or (magnitude != 0 and abs(magnitude) > sympy.Float(10) ** MAX_DIGITS):
        raise too_large
    return value


def _digits(n: int) -> int:
    """Number of decimal digits of n > 0 without converting it to a string."""
    digits = max(1, int(n.bit_length() * 0.30103))  # float: estimate, corrected below
    while 10**digits <= n:
        digits += 1
    while digits > 1 and 10 ** (digits - 1) > n:
        digits -= 1
    return digits


def _short(value: sympy.Expr) -> str:
    text = sympy.sstr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _from_flint(value: object) -> Exact | None:
    import flint

    if isinstance(value, flint.fmpz):
        return int(value)
    if isinstance(value, flint.fmpq):
        return _normal(Fraction(int(value.p), int(value.q)))
    return None


def _normal(q: Fraction) -> int | Fraction:
    return int(q) if q.denominator == 1 else q


def is_rational(value: Exact) -> bool:
    """True when ``value`` is an int or Fraction (not a symbolic expression)."""
    return isinstance(value, (int, Fraction))


def as_fraction(value: Exact) -> Fraction:
    """``value`` as a Fraction; raises TypeError when it is not rational."""
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    if isinstance(value, sympy.Expr) and value.is_Rational:
        return Fraction(int(value.p), int(value.q))
    raise TypeError(f"{value!r} is not a rational number")


def to_sympy(value: Exact) -> sympy.Expr:
    """The sympy form of an exact value (``Fraction(1, 2)`` becomes ``Rational(1, 2)``)."""
    if isinstance(value, (int, Fraction)):
        return sympy.Rational(value.numerator, value.denominator) if isinstance(value, Fraction) else sympy.Integer(value)
    return value


def add(a: Exact, b: Exact) -> Exact:
    """a + b, staying in Fraction arithmetic when both are rational.

    Examples
    --------
    >>> add(Fraction(1, 2), 1), add(1, sympy.log(2))
    (Fraction(3, 2), log(2) + 1)
    """
    if is_rational(a) and is_rational(b):
        return _normal(Fraction(a) + Fraction(b))
    return exact(to_sympy(a) + to_sympy(b))


def mul(a: Exact, b: Exact) -> Exact:
    """a · b, staying in Fraction arithmetic when both are rational."""
    if is_rational(a) and is_rational(b):
        return _normal(Fraction(a) * Fraction(b))
    return exact(to_sympy(a) * to_sympy(b))


def div(a: Exact, b: Exact) -> Exact:
    """a / b, staying in Fraction arithmetic when both are rational."""
    if is_rational(a) and is_rational(b):
        return _normal(Fraction(a) / Fraction(b))
    return exact(to_sympy(a) / to_sympy(b))


def json_number(value: Exact) -> int | str:
    """An exact number as the files write it: an int, "p/q", or the expression in the
    number grammar (``"atanh(1/2)"``, ``"1/(2*sigma_2)"``; powers with ^).

    Examples
    --------
    >>> json_number(3), json_number(Fraction(-1, 3)), json_number(sympy.atanh(sympy.Rational(1, 2)))
    (3, '-1/3', 'atanh(1/2)')
    """
    if isinstance(value, int):
        return value
    if isinstance(value, Fraction):
        return str(value)
    return _NumberPrinter({"order": "none"}).doprint(value).replace("**", "^")


class _NumberPrinter(StrPrinter):
    """sympy's str printer, but e is written exp(1), the grammar's name for it (not "E")."""

    def _print_Exp1(self, expr: Any) -> str:
        return "exp(1)"
