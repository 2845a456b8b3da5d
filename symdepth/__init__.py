"""symdepth: exact, machine-checked claims about why depth helps neural networks.

The main entry points are :class:`Network`, :func:`check_taylor`, :func:`sweep` and the
submodules ``activations``, ``constructions``, ``bounds``, ``piecewise``, ``tables`` and
``dynamics``.
"""

from . import activations, bounds, constructions, dynamics, models, piecewise, series, tables
from .check import TaylorCheck, check_taylor, rescale
from .errors import (
    BudgetError,
    NetworkError,
    NotAnalyticError,
    NotPiecewiseLinearError,
    ParseError,
    SymdepthError,
    UndecidedError,
)
from .network import Network
from .sweeps import Outcome, SweepResult, sweep

__all__ = [
    "Network",
    "check_taylor",
    "TaylorCheck",
    "rescale",
    "sweep",
    "SweepResult",
    "Outcome",
    "SymdepthError",
    "NetworkError",
    "NotAnalyticError",
    "NotPiecewiseLinearError",
    "ParseError",
    "BudgetError",
    "UndecidedError",
    "activations",
    "models",
    "series",
    "constructions",
    "bounds",
    "piecewise",
    "tables",
    "dynamics",
]
__version__ = "0.1.0"
