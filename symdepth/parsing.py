"""Safe parsing of polynomials and conversion of user polynomials to plain data.

User strings are parsed by a small recursive-descent parser of our own; no string is ever
passed to ``eval``, ``exec`` or ``sympify`` (which calls ``eval``).  The grammar::

    expr   := term (("+" | "-") term)*
    term   := unary (("*" | "/") unary)*          # "/" only by a nonzero constant
    unary  := ("+" | "-") unary | power
    power  := atom (("^" | "**") ("+")? INTEGER)?  # exponent: a non-negative integer literal
    atom   := NUMBER | NAME | "(" expr ")"

NUMBER is an integer or a decimal with an optional exponent (``0.25`` and ``2.5e-1`` are
read as exactly 1/4), NAME is
``[A-Za-z_][A-Za-z0-9_]*``.  A polynomial in plain data is a pair
``(variables, terms)``: a tuple of variable names and a dict mapping exponent tuples
(in that variable order) to exact nonzero coefficients.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from fractions import Fraction
from typing import Any, Union

import flint
import sympy

from . import numbers
from .errors import BudgetError, ParseError
from .numbers import Exact, checked_size, exact, to_sympy

__all__ = ["parse_polynomial", "parse_number", "polynomial_terms", "terms_to_sympy", "Terms", "MAX_INPUT_LENGTH",
           "MAX_TERMS", "MAX_TERM_PRODUCTS"]

Terms = dict  # dict[tuple[int, ...], Exact]
_EXPONENT = re.compile(r"[eE][+-]?[0-9]+")

MAX_INPUT_LENGTH = 100_000
MAX_NESTING = 64
MAX_EXPONENT = 100_000
# Expanding a polynomial string is the parser's own work: a product of a- and b-term
# polynomials costs a·b term products and a power's result is bounded before it is formed,
# so "(x1+x2)^100000" is a BudgetError at once, not minutes of expansion.
MAX_TERMS = 200_000
MAX_TERM_PRODUCTS = 20_000_000

PolynomialLike = Union[str, sympy.Expr, sympy.Poly, Mapping]


def parse_polynomial(text: str, variables: Sequence[str] | None = None) -> tuple[tuple[str, ...], Terms]:
    """Parse a polynomial string into ``(variables, terms)`` without evaluating any code.

    Parameters
    ----------
    text : str
        The polynomial, e.g. ``"x1^2*x2 - 3/2*x3 + 1"``.
    variables : sequence of str, optional
        The variable order of the result; every name in ``text`` must be among them.
        By default the names found, sorted naturally (``x2`` before ``x10``).

    Raises
    ------
    ParseError
        With the column of the problem.

    Examples
    --------
    >>> parse_polynomial("x1^2*x2 - 3/2*x1 + 0.5")
    (('x1', 'x2'), {(2, 1): 1, (1, 0): Fraction(-3, 2), (0, 0): Fraction(1, 2)})
    >>> parse_polynomial("__import__('os')")
    Traceback (most recent call last):
    ...
    symdepth.errors.ParseError: column 12: unexpected character "'" after '('; a polynomial may contain numbers, variable names, + - * / ^ ** and parentheses
    """
    if not isinstance(text, str):
        raise ParseError(f"expected a polynomial string, got {type(text).__name__}")
    if len(text) > MAX_INPUT_LENGTH:
        raise ParseError(
            f"polynomial string has {len(text)} characters, more than the limit {MAX_INPUT_LENGTH}; "
            "pass a sympy Poly or a dict of exponent tuples instead"
        )
    algebra = _PolynomialAlgebra()
    try:
        poly = _Parser(text, algebra).parse()
    except RecursionError:
        raise ParseError(f"nesting too deep for the parser (limit {MAX_NESTING} levels); expand the polynomial") from None
    found = [name for name, d in zip(algebra.names, poly.degrees()) if d]
    names = found
    if variables is not None:
        variables = tuple(variables)
        unknown = [name for name in found if name not in variables]
        if unknown:
            raise ParseError(
                f"variable {unknown[0]!r} in {_clip(text)!r} is not one of {list(variables)}; "
                "use the network's input names"
            )
        names = list(variables)
    where = [algebra.names.index(name) for name in found]
    position = [names.index(name) for name in found]
    terms: Terms = {}
    for mono, coeff in poly.to_dict().items():
        exps = [0] * len(names)
        for i, j in zip(where, position):
            exps[j] = int(mono[i])
        terms[tuple(exps)] = exact(Fraction(int(coeff.p), int(coeff.q)))
    return tuple(names), terms


def polynomial_terms(poly: PolynomialLike, variables: Sequence[str] | None = None) -> tuple[tuple[str, ...], Terms]:
    """Convert a polynomial given as a string, sympy expression, sympy Poly or dict of
    exponent tuples into ``(variables, terms)``.

    Coefficients stay exact; sympy coefficients that are not rational (symbols such as
    ``sigma_2``) are kept as sympy expressions.

    Examples
    --------
    >>> import sympy
    >>> x1, x2 = sympy.symbols("x1 x2")
    >>> polynomial_terms(x1*x2 + x1**3/3)
    (('x1', 'x2'), {(3, 0): Fraction(1, 3), (1, 1): 1})
    >>> polynomial_terms({(1, 2): 5}, variables=("a", "b"))
    (('a', 'b'), {(1, 2): 5})
    """
    if isinstance(poly, str):
        return parse_polynomial(poly, variables)
    if isinstance(poly, Mapping):
        return _terms_from_mapping(poly, variables)
    if isinstance(poly, sympy.Poly):
        gens = [str(g) for g in poly.gens]
        expr_terms = {tuple(m): c for m, c in poly.terms()}
        return _reorder(gens, expr_terms, variables)
    if isinstance(poly, (int, Fraction)) or isinstance(poly, sympy.Expr):
        expr = to_sympy(exact(poly, "polynomial")) if not isinstance(poly, sympy.Expr) else poly
        if variables is None:
            gens = sorted(expr.free_symbols, key=lambda s: natural_key(str(s)))
        else:
            gens = [sympy.Symbol(v) for v in variables]
        if not gens:
            return tuple(variables or ()), _clean({(0,) * len(variables or ()): exact(expr, "polynomial")})
        try:
            p = sympy.Poly(expr, *gens)
        except sympy.PolynomialError as err:
            raise ParseError(f"{expr} is not a polynomial in {[str(g) for g in gens]}: {err}") from None
        if p.domain.is_RR or p.domain.is_CC:
            raise ParseError(f"{expr} has floating-point coefficients; pass exact numbers (Fraction or sympy.Rational)")
        return _reorder([str(g) for g in gens], {tuple(m): c for m, c in p.terms()}, variables)
    raise ParseError(
        f"cannot read a polynomial from {type(poly).__name__}; pass a string, a sympy expression or Poly, "
        "or a dict mapping exponent tuples to coefficients"
    )


def terms_to_sympy(variables: Sequence[str], terms: Mapping) -> sympy.Expr:
    """The sympy expression of ``(variables, terms)``.

    Examples
    --------
    >>> terms_to_sympy(("x1", "x2"), {(2, 0): Fraction(1, 2), (0, 1): 1})
    x1**2/2 + x2
    """
    syms = [sympy.Symbol(v) for v in variables]
    return sympy.Add(*[to_sympy(c) * sympy.Mul(*[s**e for s, e in zip(syms, m)]) for m, c in terms.items()])


def _terms_from_mapping(poly: Mapping, variables: Sequence[str] | None) -> tuple[tuple[str, ...], Terms]:
    n = None
    terms: Terms = {}
    for mono, coeff in poly.items():
        if isinstance(mono, int):
            mono = (mono,)
        if not isinstance(mono, tuple) or not all(isinstance(e, int) and not isinstance(e, bool) for e in mono):
            raise ParseError(f"dict key {mono!r} is not a tuple of exponents; use e.g. {{(2, 1): 3}} for 3*x1^2*x2")
        if any(e < 0 for e in mono):
            raise ParseError(f"exponent tuple {mono!r} has a negative entry; exponents must be non-negative integers")
        if n is None:
            n = len(mono)
        elif len(mono) != n:
            raise ParseError(f"exponent tuples have different lengths ({n} and {len(mono)}); give all in one variable order")
        value = exact(coeff, f"coefficient of {mono}")
        terms[mono] = terms.get(mono, 0) + value
    n = n or (len(variables) if variables is not None else 0)
    if variables is None:
        variables = tuple(f"x{i + 1}" for i in range(n))
    elif len(variables) != n:
        raise ParseError(f"exponent tuples have length {n} but {len(variables)} variables were given")
    return tuple(variables), _clean(terms)


def _reorder(gens: Sequence[str], terms: Mapping, variables: Sequence[str] | None) -> tuple[tuple[str, ...], Terms]:
    if variables is None:
        variables = tuple(sorted(gens, key=natural_key))
    variables = tuple(variables)
    missing = [g for g in gens if g not in variables]
    if missing:
        raise ParseError(f"variable {missing[0]!r} is not one of {list(variables)}; use the network's input names")
    where = [variables.index(g) for g in gens]
    out: Terms = {}
    for mono, coeff in terms.items():
        exps = [0] * len(variables)
        for i, e in zip(where, mono):
            exps[i] = e
        key = tuple(exps)
        out[key] = out.get(key, 0) + exact(coeff, "coefficient")
    return variables, _clean(out)


def _clean(terms: Mapping) -> Terms:
    return {m: c for m, c in terms.items() if c != 0}


def natural_key(name: str) -> tuple:
    """Sort key putting ``x2`` before ``x10``.

    Examples
    --------
    >>> sorted(["x10", "x2", "y"], key=natural_key)
    ['x2', 'x10', 'y']
    """
    head = name.rstrip("0123456789")
    tail = name[len(head):]
    return (head, int(tail) if tail else -1, name)


def _clip(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


_DIGITS = frozenset("0123456789")
_NAME_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_")


class _Parser:
    """Recursive descent over a token list, building values with an algebra object (the same
    grammar yields polynomials as dicts or exact numbers as sympy expressions)."""

    def __init__(self, text: str, algebra: Any) -> None:
        self.algebra = algebra
        self.tokens = self._tokenize(text)
        algebra.bind([value for kind, value, _ in self.tokens if kind == "name"])
        self.pos = 0
        self.depth = 0

    def _tokenize(self, text: str) -> list[tuple[str, str, int]]:
        tokens = []
        i, n = 0, len(text)
        while i < n:
            ch = text[i]
            if ch in " \t\r\n":
                i += 1
            elif ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
                j = i
                while j < n and text[j] in _DIGITS:
                    j += 1
                if j < n and text[j] == ".":
                    j += 1
                    while j < n and text[j] in _DIGITS:
                        j += 1
                exponent = _EXPONENT.match(text, j)  # 1e-3: Fraction reads it as exactly 1/1000
                digits = exponent.group().lstrip("eE+-") if exponent else "0"
                if len(digits) > 7 or int(digits) > numbers.MAX_DIGITS:  # no million-digit numbers
                    raise BudgetError(f"column {i + 1}: {text[i:exponent.end()]!r} has more than symdepth.numbers."
                                      f"MAX_DIGITS={numbers.MAX_DIGITS:,} digits; raise it (command line: --max-digits N)")
                j = exponent.end() if exponent else j
                if j < n and text[j] in _NAME_START:
                    raise ParseError(
                        f"column {j + 1}: {text[i:j + 1]!r} mixes a number and a name; write multiplication as '*'"
                    )
                tokens.append(("num", text[i:j], i))
                i = j
            elif ch in _NAME_START:
                j = i
                while j < n and (text[j] in _NAME_START or text[j] in _DIGITS):
                    j += 1
                tokens.append(("name", text[i:j], i))
                i = j
            elif text.startswith("**", i):
                tokens.append(("^", "**", i))
                i += 2
            elif ch in "+-*/^()":
                tokens.append((ch, ch, i))
                i += 1
            else:
                after = f" after {tokens[-1][1]!r}" if tokens else ""
                raise ParseError(f'column {i + 1}: unexpected character "{ch}"{after}; {self.algebra.allowed}')
        tokens.append(("end", "", n))
        return tokens

    def _peek(self) -> tuple[str, str, int]:
        return self.tokens[self.pos]

    def _error(self, message: str) -> ParseError:
        kind, value, col = self._peek()
        found = "end of input" if kind == "end" else repr(value)
        return ParseError(f"column {col + 1}: {message}, found {found}")

    def parse(self) -> Any:
        if self._peek()[0] == "end":
            raise ParseError(f"empty {self.algebra.what} string; {self.algebra.example}")
        result = self._expr()
        if self._peek()[0] != "end":
            raise self._error(f"expected an operator or the end of the {self.algebra.what}")
        return result

    def _expr(self) -> Any:
        result = self._term()
        while self._peek()[0] in ("+", "-"):
            op = self._peek()[0]
            self.pos += 1
            right = self._term()
            result = self.algebra.add(result, right) if op == "+" else self.algebra.sub(result, right)
        return result

    def _term(self) -> Any:
        result = self._unary()
        while self._peek()[0] in ("*", "/"):
            op, _, col = self._peek()
            self.pos += 1
            right = self._unary()
            result = self.algebra.mul(result, right) if op == "*" else self.algebra.div(result, right, col)
        return result

    def _unary(self) -> Any:
        kind = self._peek()[0]
        if kind in ("+", "-"):
            self.pos += 1
            self._enter()
            operand = self._unary()
            self.depth -= 1
            return operand if kind == "+" else self.algebra.neg(operand)
        return self._power()

    def _power(self) -> Any:
        base = self._atom()
        if self._peek()[0] != "^":
            return base
        self.pos += 1
        sign = 1
        if self._peek()[0] in ("+", "-"):
            sign = -1 if self._peek()[0] == "-" else 1
            if sign < 0 and not self.algebra.negative_exponents:
                raise ParseError(
                    f"column {self._peek()[2] + 1}: negative exponent; exponents must be non-negative integers"
                )
            self.pos += 1
        kind, value, col = self._peek()
        if kind != "num" or "." in value:
            raise self._error("expected a non-negative integer exponent")
        exponent = int(value)
        if exponent > MAX_EXPONENT:
            raise ParseError(f"column {col + 1}: exponent {exponent} exceeds the limit {MAX_EXPONENT}")
        self.pos += 1
        if self._peek()[0] == "^":
            raise self._error("chained exponents are ambiguous; add parentheses")
        return self.algebra.power(base, sign * exponent)

    def _atom(self) -> Any:
        kind, value, col = self._peek()
        if kind == "num":
            self.pos += 1
            return self.algebra.number(value)
        if kind == "name":
            self.pos += 1
            if self._peek()[0] != "(":
                return self.algebra.name(value, col)
            paren = self._peek()[2]
            self.algebra.check_call(value, col, paren)
            self.pos += 1
            self._enter()
            argument = self._expr()
            self.depth -= 1
            if self._peek()[0] != ")":
                raise self._error(f"expected ')' to close {value}(")
            self.pos += 1
            return self.algebra.call(value, argument)
        if kind == "(":
            self.pos += 1
            self._enter()
            inner = self._expr()
            self.depth -= 1
            if self._peek()[0] != ")":
                raise self._error(f"expected ')' to close the parenthesis at column {col + 1}")
            self.pos += 1
            return inner
        raise self._error("expected a number, a variable or '('")

    def _enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise ParseError(
                f"column {self._peek()[2] + 1}: nesting deeper than {MAX_NESTING} levels; expand the expression"
            )


class _PolynomialAlgebra:
    """Polynomials as python-flint ``fmpq_mpoly`` in the names the string uses (expansion in C:
    ``(x1+x2+x3+x4)^30`` in milliseconds)."""

    what = "polynomial"
    example = "write e.g. 'x1*x2'"
    allowed = "a polynomial may contain numbers, variable names, + - * / ^ ** and parentheses"
    negative_exponents = False

    def bind(self, names: Sequence[str]) -> None:
        self.names = tuple(sorted(set(names), key=natural_key))
        self.ctx = flint.fmpq_mpoly_ctx.get(self.names, "lex")
        self.gens = dict(zip(self.names, self.ctx.gens()))

    def number(self, text: str) -> Any:
        value = Fraction(text)
        return self.ctx.from_dict({(0,) * len(self.names): flint.fmpq(value.numerator, value.denominator)})

    def name(self, text: str, col: int) -> Any:
        return self.gens[text]

    def check_call(self, name: str, col: int, paren: int) -> None:
        raise ParseError(f'column {paren + 1}: unexpected character "(" after {name!r}; {self.allowed}')

    @staticmethod
    def call(name: str, argument: Any) -> Any:  # pragma: no cover - check_call always raises
        raise AssertionError(name)

    @staticmethod
    def add(a: Any, b: Any) -> Any:
        return a + b

    @staticmethod
    def sub(a: Any, b: Any) -> Any:
        return a - b

    @staticmethod
    def mul(a: Any, b: Any) -> Any:
        if len(a) * len(b) > MAX_TERM_PRODUCTS:
            raise BudgetError(
                f"expanding a product of a {len(a):,}-term and a {len(b):,}-term polynomial takes {len(a) * len(b):,} "
                f"term products, more than symdepth.parsing.MAX_TERM_PRODUCTS={MAX_TERM_PRODUCTS:,}; raise it "
                "(command line: --max-terms N raises both limits) or pass the expanded polynomial as a dict"
            )
        return a * b

    @staticmethod
    def div(a: Any, b: Any, col: int) -> Any:
        if not b.is_constant() or b.is_zero():
            raise ParseError(
                f"column {col + 1}: division by a non-constant or zero; a polynomial may only be divided "
                "by a nonzero number"
            )
        return a / b.leading_coefficient()

    @staticmethod
    def neg(a: Any) -> Any:
        return -a

    @staticmethod
    def power(base: Any, exponent: int) -> Any:
        used = sum(1 for d in base.degrees() if d)
        degree = base.total_degree() if not base.is_zero() else 0

        def terms_bound(e: int) -> int:
            # a power of k terms in v variables has at most C(k+e-1, e) and C(v+e·deg, v) terms
            return min(_comb_capped(len(base) + e - 1, e), _comb_capped(used + e * degree, used))

        bound = terms_bound(exponent)
        if bound > MAX_TERMS:
            raise BudgetError(
                f"expanding a {len(base)}-term polynomial to the power {exponent} gives up to {_count(bound)} terms, more "
                f"than symdepth.parsing.MAX_TERMS={MAX_TERMS:,}; raise it (command line: --max-terms N) or pass "
                "the expanded polynomial as a dict of exponent tuples"
            )
        half = terms_bound(exponent // 2)
        if half * half > MAX_TERM_PRODUCTS:
            raise BudgetError(
                f"expanding a {len(base)}-term polynomial to the power {exponent} takes about {_count(half * half)} "
                f"term products, more than symdepth.parsing.MAX_TERM_PRODUCTS={MAX_TERM_PRODUCTS:,}; raise it "
                "(command line: --max-terms N raises both limits) or pass the expanded polynomial as a dict"
            )
        return base**exponent


def _comb_capped(n: int, k: int, cap: int = 10**18) -> int:
    """C(n, k), or ``cap`` when it is larger (computed without forming a huge number)."""
    k = min(k, n - k)
    value = 1
    for i in range(k):
        value = value * (n - i) // (i + 1)
        if value > cap:
            return cap
    return value


def _count(n: int) -> str:
    return "more than 10^18" if n >= 10**18 else f"{n:,}"


_FUNCTIONS = {"exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "atanh": sympy.atanh, "atan": sympy.atan,
              "tanh": sympy.tanh, "sin": sympy.sin, "cos": sympy.cos}
_CONSTANTS = {"pi": sympy.pi, "E": sympy.E}


def parse_number(text: str) -> Exact:
    """Parse an exact number such as ``"3/4"``, ``"-0.25"``, ``"atanh(1/2)"`` or
    ``"1/(2*sigma_2)"`` (used for weights in network files).

    Allowed: numbers, names (become sympy symbols), ``pi``, ``E``, + - * / ^ with integer
    exponents, and the functions exp, log, sqrt, atanh, atan, tanh, sin, cos.  Nothing is
    evaluated as code; the sympy expression is built from its constructors.

    Examples
    --------
    >>> parse_number("3/4"), parse_number("-0.25")
    (Fraction(3, 4), Fraction(-1, 4))
    >>> parse_number("atanh(1/2)")
    atanh(1/2)
    >>> parse_number("os.system(1)")
    Traceback (most recent call last):
    ...
    symdepth.errors.ParseError: column 3: unexpected character "." after 'os'; a number may contain digits, names, pi, E, + - * / ^, parentheses and the functions exp, log, sqrt, atanh, atan, tanh, sin, cos
    """
    if not isinstance(text, str):
        raise ParseError(f"expected a number string, got {type(text).__name__}")
    if len(text) > 10_000:
        raise ParseError(f"number string has {len(text)} characters, more than the limit 10000")
    try:
        return checked_size(exact(_Parser(text, _NumberAlgebra()).parse(), "number"), "number")
    except RecursionError:
        raise ParseError(f"nesting too deep for the parser (limit {MAX_NESTING} levels)") from None


class _NumberAlgebra:
    """Exact numbers as sympy expressions, built from sympy's constructors."""

    what = "number"
    example = "write e.g. '3/4'"
    allowed = ("a number may contain digits, names, pi, E, + - * / ^, parentheses and the functions "
               + ", ".join(_FUNCTIONS))
    negative_exponents = True

    def bind(self, names: Sequence[str]) -> None:
        """Names become sympy symbols as they are met; nothing to prepare."""

    @staticmethod
    def number(text: str) -> sympy.Expr:
        value = Fraction(text)
        return sympy.Rational(value.numerator, value.denominator)

    @staticmethod
    def name(text: str, col: int) -> sympy.Expr:
        if text.lower() in ("nan", "inf", "infinity", "oo", "zoo"):
            raise ParseError(f"column {col + 1}: {text!r} is not a finite number; weights must be finite")
        return _CONSTANTS.get(text) or sympy.Symbol(text)

    @staticmethod
    def check_call(name: str, col: int, paren: int) -> None:
        if name not in _FUNCTIONS:
            raise ParseError(f"column {col + 1}: unknown function {name!r}; allowed: {', '.join(_FUNCTIONS)}")

    @staticmethod
    def call(name: str, argument: sympy.Expr) -> sympy.Expr:
        return _FUNCTIONS[name](argument)

    @staticmethod
    def add(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
        return a + b

    @staticmethod
    def sub(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
        return a - b

    @staticmethod
    def mul(a: sympy.Expr, b: sympy.Expr) -> sympy.Expr:
        return a * b

    @staticmethod
    def div(a: sympy.Expr, b: sympy.Expr, col: int) -> sympy.Expr:
        if b == 0:
            raise ParseError(f"column {col + 1}: division by zero")
        return a / b

    @staticmethod
    def neg(a: sympy.Expr) -> sympy.Expr:
        return -a

    @staticmethod
    def power(base: sympy.Expr, exponent: int) -> sympy.Expr:
        if exponent < 0 and base == 0:
            raise ParseError("division by zero in a negative power")
        if base.is_Rational and base != 0:
            digits = abs(exponent) * math.log10(max(abs(base.p), base.q))  # float: a digit-count estimate
            if digits > numbers.MAX_DIGITS:
                raise BudgetError(f"{base}^{exponent} has about {digits:,.0f} digits, more than "
                                  f"symdepth.numbers.MAX_DIGITS={numbers.MAX_DIGITS:,}; raise it (command line: --max-digits N)")
        return base**exponent


numbers.read_strings_with(parse_number)
