"""The safe parser: grammar, errors with columns, refusal of code, fuzzing against a reference."""

from fractions import Fraction

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from symdepth import ParseError
from symdepth.parsing import parse_number, parse_polynomial, polynomial_terms


def test_grammar():
    assert parse_polynomial("2*x1**2 - x1^2 + (x2 - 1)*(x2 + 1)/4") == (
        ("x1", "x2"), {(2, 0): 1, (0, 2): Fraction(1, 4), (0, 0): Fraction(-1, 4)})
    assert parse_polynomial("x10 + x2")[0] == ("x2", "x10")
    assert parse_polynomial("-(-x)^+2") == (("x",), {(2,): -1})
    assert parse_polynomial("0.125*y") == (("y",), {(1,): Fraction(1, 8)})


@pytest.mark.parametrize("text,fragment", [
    ("__import__('os').system('x')", "column 12"),
    ("lambda: 0", "column 7"),
    ("x1.__class__", "column 3"),
    ("eval(1)", "column 5"),
    ("x^-1", "negative exponent"),
    ("x^(1/2)", "non-negative integer exponent"),
    ("x^2.5", "non-negative integer exponent"),
    ("1/x", "division by a non-constant"),
    ("x/0", "division by a non-constant or zero"),
    ("2x", "write multiplication as '*'"),
    ("(x+1", "expected ')'"),
    ("", "empty"),
    ("x^^2", "exponent"),
    ("x^2^3", "chained exponents"),
])
def test_errors_give_column_and_fix(text, fragment):
    with pytest.raises(ParseError, match=fragment.replace("(", r"\(").replace(")", r"\)").replace("^", r"\^")):
        parse_polynomial(text)


def test_huge_inputs_are_refused_quickly():
    with pytest.raises(ParseError, match="more than the limit"):
        parse_polynomial("x+" * 500_000 + "x")
    with pytest.raises(ParseError, match="nesting deeper"):
        parse_polynomial("(" * 40_000 + "x" + ")" * 40_000)
    with pytest.raises(ParseError, match="exceeds the limit"):
        parse_polynomial("x^100000000")


def test_variables_must_be_known():
    with pytest.raises(ParseError, match="'y' .* is not one of"):
        parse_polynomial("x1 + y", variables=("x1", "x2"))


def test_number_parser():
    assert parse_number("atanh(1/2) - log(3)/2") == sympy.atanh(sympy.Rational(1, 2)) - sympy.log(3) / 2
    with pytest.raises(ParseError, match="unknown function 'system'"):
        parse_number("system(1)")


def test_other_polynomial_inputs():
    x, y = sympy.symbols("x1 x2")
    assert polynomial_terms(sympy.Poly(x * y + 3, x, y)) == (("x1", "x2"), {(1, 1): 1, (0, 0): 3})
    with pytest.raises(ParseError, match="not a polynomial"):
        polynomial_terms(sympy.sin(x))
    with pytest.raises(ParseError, match="floating-point"):
        polynomial_terms(sympy.Float(0.5) * x)
    with pytest.raises(ParseError, match="negative entry"):
        polynomial_terms({(1, -1): 1})


# -- fuzzing: generated polynomial strings against a sympy reference ----------------------------

_names = st.sampled_from(["x1", "x2", "y"])
_numbers = st.fractions(min_value=-20, max_value=20, max_denominator=9)


@st.composite
def _expressions(draw, depth=0):
    if depth > 3 or draw(st.booleans()):
        if draw(st.booleans()):
            name = draw(_names)
            return name, sympy.Symbol(name)
        q = draw(_numbers)
        return f"({q.numerator}/{q.denominator})", sympy.Rational(q.numerator, q.denominator)
    op = draw(st.sampled_from(["+", "-", "*", "^", "/"]))
    left_text, left = draw(_expressions(depth=depth + 1))
    if op == "^":
        e = draw(st.integers(0, 3))
        return f"({left_text})^{e}", left**e
    if op == "/":
        q = draw(_numbers.filter(lambda v: v != 0))
        return f"({left_text})/({q.numerator}/{q.denominator})", left / sympy.Rational(q.numerator, q.denominator)
    right_text, right = draw(_expressions(depth=depth + 1))
    value = {"+": left + right, "-": left - right, "*": left * right}[op]
    return f"({left_text}) {op} ({right_text})", value


@settings(max_examples=300, deadline=2000)
@given(_expressions())
def test_fuzz_against_reference(case):
    text, expr = case
    names, terms = parse_polynomial(text, variables=("x1", "x2", "y"))
    reference = polynomial_terms(sympy.expand(expr), ("x1", "x2", "y"))[1] if sympy.expand(expr) != 0 else {}
    assert terms == {m: c for m, c in reference.items()}


@settings(max_examples=500, deadline=2000)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=60))
def test_fuzz_arbitrary_text_never_crashes(text):
    try:
        parse_polynomial(text)
    except ParseError:
        pass
    try:
        parse_number(text)
    except ParseError:
        pass
