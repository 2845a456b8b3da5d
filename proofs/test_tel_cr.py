"""TEL-CR (Telgarsky 2016; depth-separation notes): Cr(f) counts the maximal intervals on which
1[f ≥ 1/2] is constant.  Checked exactly on known functions: Cr(sawtooth(l)) = 2^l + 1 for
l ≤ 20, built both as a ReLU network and directly; a double root
touching 1/2, a breakpoint exactly at a crossing, a constant piece equal to 1/2, irrational
crossing points."""

from fractions import Fraction

import pytest
import sympy

from symdepth import piecewise
from symdepth.piecewise import PiecewisePolynomial, crossings
from symdepth.prove import Claim

CLAIM = Claim("TEL-CR", "Telgarsky 2016 (NOTES)", "Cr(f) counts intervals of constant 1[f ≥ 1/2]",
              "sawtooth l ≤ 20; edge cases", kind="exact",
              model="piecewise polynomials on an interval; ReLU sawtooth networks")
x = sympy.Symbol("x")


@pytest.mark.parametrize("layers", range(1, 17))
def test_sawtooth(layers):
    assert crossings(piecewise.sawtooth_function(layers)) == 2**layers + 1
    if layers <= 10:
        f = piecewise.from_network(piecewise.sawtooth(layers), domain=(0, 1))
        assert f.num_pieces == 2**layers and crossings(f) == 2**layers + 1


@pytest.mark.parametrize("layers", range(17, 21))
def test_sawtooth_large(layers):
    assert crossings(piecewise.sawtooth_function(layers)) == 2**layers + 1


def test_edge_cases():
    half = Fraction(1, 2)
    # touching 1/2 from below at one point (double root): [<], {=}, [<]
    assert crossings(PiecewisePolynomial([0, 1], [half - (x - half) ** 2])) == 3
    # touching from above: the classifier stays 1
    assert crossings(PiecewisePolynomial([0, 1], [half + (x - half) ** 2])) == 1
    # breakpoint exactly at the crossing
    assert crossings(PiecewisePolynomial([0, half, 1], [[0], [0, 1]])) == 2
    # constant piece equal to 1/2 between pieces below
    assert crossings(PiecewisePolynomial([0, 1, 2, 3], [[0], [half], [0]])) == 3
    # irrational crossings: x^2 on [0, 1] crosses 1/2 at 1/sqrt(2); x^2 composed with the tent
    assert crossings(PiecewisePolynomial([0, 1], [x**2])) == 2
    g = piecewise.compose(PiecewisePolynomial([0, 1], [x**2]), piecewise.triangle_map_function())
    assert crossings(g) == 3
    assert any(isinstance(b, piecewise.RealAlgebraic) for b in
               piecewise.compose(piecewise.triangle_map_function(), PiecewisePolynomial([0, 1], [x**2])).breakpoints)
    # irrational breakpoints given directly
    f = PiecewisePolynomial([0, sympy.sqrt(2) / 2, 1], [[0, 1], [1, -1]])
    assert crossings(f, Fraction(1, 2)) == 3
    # f touches τ = 1 exactly at the irrational breakpoint √2/2 and nowhere else: 0 | {1} | 0
    touching = PiecewisePolynomial([0, sympy.sqrt(2) / 2, 1], [[0], 1 - (2 * x**2 - 1) ** 2])
    assert crossings(touching, 1) == 3
