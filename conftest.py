"""Doctest namespace: every doctest of symdepth/ sees the package and its submodules."""

from fractions import Fraction

import pytest
import sympy

import symdepth
from symdepth import Network, activations, check_taylor, constructions


@pytest.fixture(autouse=True)
def _doctest_namespace(doctest_namespace):
    doctest_namespace.update(
        symdepth=symdepth,
        Network=Network,
        activations=activations,
        constructions=constructions,
        check_taylor=check_taylor,
        Fraction=Fraction,
        sympy=sympy,
    )
