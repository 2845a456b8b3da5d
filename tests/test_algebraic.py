"""Exact root isolation and crossing numbers against an independent count (sympy's
``real_roots``, signs from root multiplicities: ``proofs.independent``), on random integer polynomials built to
contain the hard cases: roots at breakpoints, repeated roots, rational roots next to
irrational ones.  Each example runs under a hard time limit, so a hang fails."""

from __future__ import annotations

from fractions import Fraction

import flint
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.independent import crossings_of_polynomials
from symdepth import BudgetError
from symdepth.piecewise import PiecewisePolynomial, crossings
from symdepth.piecewise.algebraic import RealAlgebraic, real_roots, sign_at

from .strategies import time_limit

x = sympy.Symbol("x")
rationals = st.fractions(min_value=-3, max_value=3, max_denominator=6)


@st.composite
def hard_polynomials(draw):
    """c·∏(x − r_i)^{m_i}·q(x)·s(x), degree ≤ 8: rational roots r_i with multiplicities, an
    integer quadratic q (often irreducible, its roots next to the r_i), a random integer s."""
    budget = 8
    factors = []
    for _ in range(draw(st.integers(0, 3))):
        if budget == 0:
            break
        r = draw(rationals)
        m = draw(st.integers(1, min(3, budget)))
        budget -= m
        factors.append((x - sympy.Rational(r.numerator, r.denominator)) ** m)
    if budget >= 2 and draw(st.booleans()):
        budget -= 2
        factors.append(x**2 + draw(st.integers(-3, 3)) * x + draw(st.integers(-6, 2)))
    extra = draw(st.lists(st.integers(-5, 5), min_size=1, max_size=budget + 1).filter(any))
    factors.append(sum(c * x**k for k, c in enumerate(extra)))
    return sympy.expand(draw(st.integers(1, 4)) * sympy.Mul(*factors))


def _flint(p):
    return flint.fmpq_poly([flint.fmpq(int(c.p), int(c.q)) for c in reversed(sympy.Poly(p, x).all_coeffs())])


def _sympy_roots_inside(p, lo, hi):
    """Distinct real roots of p in (lo, hi), exact (sympy CRootOf / Rational), with multiplicity."""
    out = {}
    for r in sympy.real_roots(sympy.Poly(p, x)):
        if sympy.Rational(lo) < r < sympy.Rational(hi):
            out[r] = out.get(r, 0) + 1
    return sorted(out.items(), key=lambda item: item[0])


def _rational(q):
    return sympy.Rational(q.numerator, q.denominator)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(hard_polynomials(), rationals, rationals)
def test_real_roots_match_sympy(p, a, b):
    lo, hi = min(a, b) - 1, max(a, b) + 1
    with time_limit(20):
        ours = real_roots(_flint(p), lo, hi)
    truth = _sympy_roots_inside(p, lo, hi)
    assert len(ours) == len(truth)
    for mine, (r, _) in zip(ours, truth):
        if isinstance(mine, Fraction):
            assert r.is_Rational and _rational(mine) == r
        else:
            assert isinstance(mine, RealAlgebraic) and not r.is_Rational
            assert _rational(mine.lo) < r < _rational(mine.hi)
            assert sympy.rem(sympy.Poly(p, x), sympy.Poly(sympy.minimal_polynomial(r, x), x)).is_zero


@st.composite
def hard_piecewise(draw):
    """1–3 pieces of hard polynomials; breakpoints often at rational roots of the pieces."""
    k = draw(st.integers(1, 3))
    pieces = [draw(hard_polynomials()) for _ in range(k)]
    candidates = sorted({Fraction(str(r)) for p in pieces for r in sympy.Poly(p, x).ground_roots() if r.is_Rational
                         and -4 < r < 4} | {Fraction(v) for v in draw(st.lists(rationals, min_size=k + 1,
                                                                                  max_size=k + 3))})
    if len(candidates) < k + 1:
        candidates = [Fraction(i) for i in range(-2, k)]
    chosen = sorted(draw(st.lists(st.sampled_from(candidates), min_size=k + 1, max_size=k + 1, unique=True)))
    tau = draw(st.one_of(rationals, st.sampled_from([sympy.Rational(0)])))
    return chosen, pieces, Fraction(str(tau))


@settings(max_examples=150, deadline=None, derandomize=True)
@given(hard_piecewise())
def test_crossings_match_independent_count(case):
    breakpoints, pieces, tau = case
    with time_limit(20):
        ours = crossings(PiecewisePolynomial(breakpoints, pieces), tau)
    truth = crossings_of_polynomials(breakpoints, pieces, tau)
    assert ours == truth


@pytest.mark.parametrize("poly,lo,hi,tau,expected", [
    (4 * x**3 - 3 * x, -1, 1, 0, 4),             # Chebyshev T3: roots −√3/2, 0, √3/2 (used to hang)
    (x**3 - 2 * x, -2, 2, 0, 4),
    (4 * x**2 - 3, -1, 1, 0, 3),
    (8 * x**4 - 8 * x**2 + 1, -1, 1, 0, 5),       # T4: four irrational roots
    (x * (x**2 - 2) ** 2, -2, 2, 0, 4),           # double irrational roots next to a rational one
    (16 * x**5 - 20 * x**3 + 5 * x, -1, 1, 0, 6),  # T5: 0 between irrational roots
])
def test_textbook_cases(poly, lo, hi, tau, expected):
    with time_limit(20):
        assert crossings(PiecewisePolynomial([lo, hi], [poly]), tau) == expected
    assert expected == crossings_of_polynomials([lo, hi], [poly], tau)


def test_signs_at_algebraic_points():
    sqrt3_half = real_roots(flint.fmpq_poly([-3, 0, 4]))[1]
    assert sign_at(flint.fmpq_poly([0, -3, 0, 4]), sqrt3_half) == 0     # 4x³ − 3x vanishes at √3/2
    assert sign_at(flint.fmpq_poly([-1, 1]), sqrt3_half) == -1          # √3/2 < 1
    assert sign_at(flint.fmpq_poly([flint.fmpq(-866, 1000), 1]), sqrt3_half) == 1
    assert sqrt3_half == real_roots(flint.fmpq_poly([0, -3, 0, 4]))[2]
    assert sqrt3_half != real_roots(flint.fmpq_poly([-3, 0, 4]))[0]


def test_degree_budget():
    with pytest.raises(BudgetError, match="MAX_ROOT_DEGREE"):
        real_roots(flint.fmpq_poly([1] * 500))
