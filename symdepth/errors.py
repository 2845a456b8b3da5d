"""The error tree of symdepth.

Every error symdepth raises derives from :class:`SymdepthError`; each subclass also
inherits the built-in exception with the same meaning, so ``except ValueError`` keeps
working for callers who do not know symdepth.  Messages name the object, what was
expected, what was received and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "SymdepthError",
    "NetworkError",
    "NotAnalyticError",
    "NotPiecewiseLinearError",
    "ParseError",
    "BudgetError",
    "UndecidedError",
]


class SymdepthError(Exception):
    """Root of every error raised by symdepth."""


class NetworkError(SymdepthError, ValueError):
    """A network (or a piecewise polynomial) is malformed: cycle, dangling node, bad weight."""


class NotAnalyticError(SymdepthError, ValueError):
    """A Taylor expansion was asked of something that has none (ReLU, a kink, a vanishing
    coefficient a construction needs)."""


class NotPiecewiseLinearError(SymdepthError, ValueError):
    """An exact piecewise-linear computation (linear regions) was asked of a network with a
    curved activation; the message names the neuron."""


class ParseError(SymdepthError, ValueError):
    """A user string or file could not be parsed; the message gives the column."""


class BudgetError(SymdepthError, RuntimeError):
    """The requested work exceeds a stated limit; the message gives the estimate and the
    option that raises the limit."""


class UndecidedError(SymdepthError, ArithmeticError):
    """An exact decision could not be reached (e.g. equality of two transcendental
    constants that agree to high precision)."""
