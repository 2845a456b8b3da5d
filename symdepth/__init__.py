"""symdepth: exact, machine-checked claims about why depth helps neural networks.

The main entry points are :class:`Network`, the paper's two notions of approximation
:func:`check_taylor` (Definition 3.2) and :func:`check_uniform` (Definition 3.1) with
:func:`sup_enclosure`, the exact linear regions :func:`regions_2d`, :func:`sweep`, and the
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
from .piecewise import regions_2d
from .sweeps import Outcome, SweepResult, sweep
from .uniform import SupEnclosure, UniformCheck, check_uniform, sup_enclosure

__all__ = [
    "Network",
    "check_taylor",
    "TaylorCheck",
    "rescale",
    "check_uniform",
    "UniformCheck",
    "sup_enclosure",
    "SupEnclosure",
    "regions_2d",
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
