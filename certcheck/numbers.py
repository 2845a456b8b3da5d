"""Exact numbers: rationals, and the ring L of Laurent polynomials with rational coefficients
in atoms — symbols (``sigma_2``, a symbolic weight) and the constants ``log(p)`` (p prime),
``atan(q)``, ``exp(q)`` (q ≠ 0 rational) and ``pi``.  ``log(q)`` is rewritten over the
primes of q, ``atanh(q)`` as (log(1+q) − log(1−q))/2 and atan(±1) as ±pi/4, so that equal
numbers written differently agree.  Atoms are independent indeterminates: an identity in L
holds at the atoms' true values (evaluation is a ring map), which is all a "holds" needs; a
difference nonzero in L is confirmed by interval arithmetic (:func:`nonzero`) before a
"fails" is accepted.  An element is a dict {monomial: Fraction}, a monomial a sorted tuple of
(atom, nonzero exponent) pairs, () the monomial 1.
"""

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Iterator
from fractions import Fraction

from mpmath import iv

from .errors import Unreadable

MAX_DIGITS = 20_000          # of any integer read
MAX_TERMS = 100_000          # of any element built


def rational(value: object, what: str) -> Fraction:
    """A JSON integer or a string "p/q" (no floats, no decimals)."""
    text = str(value).strip() if isinstance(value, (int, str)) and not isinstance(value, bool) else ""
    if not re.fullmatch(r"-?\d+(/\d+)?", text) or len(text) > MAX_DIGITS:
        raise Unreadable(f"{what}: {value!r} is not a rational (an integer or \"p/q\", at most {MAX_DIGITS} digits)")
    return Fraction(text)


def const(q: Fraction | int) -> dict:
    return {(): Fraction(q)} if q else {}


def add(a: dict, b: dict, sign: int = 1) -> dict:
    out = dict(a)
    for m, c in b.items():
        s = out.pop(m, 0) + sign * c
        if s:
            out[m] = s
    return out


def scale(a: dict, q: Fraction) -> dict:
    return {m: c * q for m, c in a.items()} if q else {}


def mul(a: dict, b: dict) -> dict:
    if len(a) == 1 and () in a or len(b) == 1 and () in b:
        return scale(b, a[()]) if () in a and len(a) == 1 else scale(a, b[()])
    out: dict = {}
    for m, c in a.items():
        for n, d in b.items():
            powers = dict(m)
            for atom, e in n:
                powers[atom] = powers.get(atom, 0) + e
            key = tuple(sorted((x, e) for x, e in powers.items() if e))
            out[key] = out.pop(key, 0) + c * d
            if not out[key]:
                del out[key]
    if len(out) > MAX_TERMS:
        raise Unreadable(f"a number grew beyond {MAX_TERMS} terms")
    return out


def inverse(a: dict, nonzero: frozenset) -> dict:
    """1/a for a rational times a monomial whose symbols are assumed nonzero."""
    if len(a) != 1:
        raise Unreadable("division by a sum of several terms is not supported (only by a monomial)")
    ((m, c),) = a.items()
    unknown = [x for x, _ in m if is_symbol(x) and x not in nonzero]
    if unknown:
        raise Unreadable(f"division by {unknown[0]}, which the certificate does not assume nonzero")
    return {tuple((x, -e) for x, e in m): 1 / c}


def as_rational(a: dict, what: str) -> Fraction:
    if any(a):
        raise Unreadable(f"{what} must be rational here")
    return a.get((), Fraction(0))


def is_symbol(atom: str) -> bool:
    return "(" not in atom and atom != "pi"


def symbols_of(a: dict) -> set:
    return {x for m in a for x, _ in m if is_symbol(x)}


def log_of(q: Fraction) -> dict:
    """log q over the primes of q (trial division to 10^6; a cofactor left is kept whole: it
    may make two equal logarithms look different, never two different ones equal)."""
    if q <= 0:
        raise Unreadable(f"log({q}) of a non-positive number")
    out: dict = {}
    for n, sign in ((q.numerator, 1), (q.denominator, -1)):
        p = 2
        while n > 1:
            if p * p > n or p > 10**6:
                p = n
            while n % p == 0:
                out, n = add(out, {((f"log({p})", 1),): Fraction(sign)}), n // p
            p += 1
    return out


def _function(name: str, q: Fraction) -> dict:
    if name == "log":
        return log_of(q)
    if name == "atanh":
        if not -1 < q < 1:
            raise Unreadable(f"atanh({q}) is not real")
        return scale(add(log_of(1 + q), log_of(1 - q), -1), Fraction(1, 2))
    if q == 0:
        return const(1 if name == "exp" else 0)
    if name == "atan" and abs(q) == 1:
        return {(("pi", 1),): q / 4}
    sign = -1 if q < 0 and name == "atan" else 1
    return {((f"{name}({q * sign})", 1),): Fraction(sign)}


def parse(value: object, what: str, nonzero: frozenset = frozenset()) -> dict:
    """A certificate's exact number as an element of L: a JSON integer, or a string of sums,
    differences, products, quotients and integer powers of integers, symbols, ``pi`` and
    log, atanh, atan, exp of rationals (``"4/3 - 2*atanh(1/2)"``, ``"sigma_2^(-1)"``); a
    quotient by a monomial only (see :func:`parse_quotient`)."""
    num, den = parse_quotient(value, what, nonzero)
    if den != const(1):
        raise Unreadable(f"{what}: division by a sum of several terms is not supported here (only by a monomial)")
    return num


def parse_quotient(value: object, what: str, assumed: frozenset = frozenset()) -> tuple:
    """A certificate's exact number as a quotient (numerator, denominator) of elements of L,
    the denominator a monomial (then 1) or a sum of constants shown nonzero by interval
    arithmetic (``"8/log(3/2)"``: log(3/2) = log 3 − log 2).  Python's parser (``ast``, which
    evaluates nothing) reads the string into a tree; only the grammar's node types are taken."""
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or len(value) > 10 * MAX_DIGITS:
        raise Unreadable(f"{what}: {str(value)[:100]!r} is not an exact number")
    try:
        tree = ast.parse(value.replace("^", "**"), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise Unreadable(f"{what}: cannot read the number {value[:100]!r}") from None
    num, den = _node(tree.body, what)
    if len(den) == 1:
        return mul(num, inverse(den, assumed)), const(1)
    if symbols_of(den) or not nonzero(den):
        raise Unreadable(f"{what}: the divisor {show(den)} holds a symbol or is not shown nonzero")
    return num, den


def _node(node: ast.AST, what: str) -> tuple:
    """(numerator, denominator) of the number a tree stands for, elements of L."""
    def sub(child: ast.AST) -> tuple:
        return _node(child, what)

    def rational_of(child: ast.AST, part: str) -> Fraction:
        num, den = sub(child)
        if len(den) != 1 or symbols_of(den):
            raise Unreadable(f"{what}: {part} must be rational")
        return as_rational(mul(num, inverse(den, frozenset())), f"{what}: {part}")

    if isinstance(node, ast.Constant) and type(node.value) is int:
        if len(str(abs(node.value))) > MAX_DIGITS:
            raise Unreadable(f"{what}: an integer of more than {MAX_DIGITS} digits")
        return const(node.value), const(1)
    if isinstance(node, ast.Name):
        return {((node.id, 1),): Fraction(1)}, const(1)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        num, den = sub(node.operand)
        return scale(num, Fraction(-1 if isinstance(node.op, ast.USub) else 1)), den
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        e = rational_of(node.right, "an exponent")
        if e.denominator != 1 or abs(e) > 1000:
            raise Unreadable(f"{what}: exponents must be integers up to 1000")
        (base_num, base_den), num, den = sub(node.left), const(1), const(1)
        for _ in range(abs(int(e))):
            num, den = mul(num, base_num), mul(den, base_den)
        return (den, num) if e < 0 else (num, den)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub)):
        (a, b), (c, d) = sub(node.left), sub(node.right)
        return add(mul(a, d), mul(c, b), 1 if isinstance(node.op, ast.Add) else -1), mul(b, d)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Mult, ast.Div)):
        (a, b), (c, d) = sub(node.left), sub(node.right)
        return (mul(a, c), mul(b, d)) if isinstance(node.op, ast.Mult) else (mul(a, d), mul(b, c))
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and len(node.args) == 1
            and node.func.id in ("log", "atanh", "atan", "exp") and not node.keywords):
        return _function(node.func.id, rational_of(node.args[0], "a function's argument")), const(1)
    raise Unreadable(f"{what}: {ast.dump(node)[:80]} is not part of the number grammar")


@contextlib.contextmanager
def precision(bits: int) -> Iterator[None]:
    """mpmath's interval precision for a block (iv keeps it in a global), restored after."""
    saved, iv.prec = iv.prec, bits
    try:
        yield
    finally:
        iv.prec = saved


def to_interval(q: Fraction) -> object:
    return iv.mpf(q.numerator) / q.denominator


def interval(a: dict) -> object:
    """An interval enclosing the value of ``a`` (an error for a symbol)."""
    total = iv.mpf(0)
    for m, c in a.items():
        term = to_interval(c)
        for atom, e in m:
            name, _, arg = atom.partition("(")
            if is_symbol(atom):
                raise Unreadable(f"the symbol {atom} has no numerical value")
            x = iv.pi if atom == "pi" else to_interval(Fraction(arg[:-1]))
            term *= (x if atom == "pi" else iv.log(x) if name == "log" else iv.exp(x) if name == "exp"
                     else iv.atan2(x, 1)) ** e
        total += term
    return total


def nonzero(a: dict) -> bool:
    """Whether ``a`` is nonzero for every value of its symbols: some coefficient of it as a
    polynomial in the symbols (a number in the constants) is enclosed away from 0."""
    by_symbols: dict = {}
    for m, c in a.items():
        key = tuple(p for p in m if is_symbol(p[0]))
        by_symbols[key] = add(by_symbols.get(key, {}), {tuple(p for p in m if not is_symbol(p[0])): c})
    with precision(200):
        return any(c and 0 not in interval(c) for c in by_symbols.values())


def _short(q: Fraction) -> str:
    """A rational as text, a long one by its size (Python refuses to print integers of over
    4,300 digits, and a message needs no more)."""
    digits = max(q.numerator.bit_length(), q.denominator.bit_length()) * 0.30103
    return str(q) if digits < 60 else f"<a {'negative ' if q < 0 else ''}rational of ~{digits:.0f} digits>"


def show(a: dict) -> str:
    """The element as text (for messages)."""
    terms = [(_short(c), "*".join(x if e == 1 else f"{x}^{e}" for x, e in m))
             for m, c in sorted(a.items(), key=lambda item: str(item[0]))]
    return " + ".join(f"{c}*{m}" if m and c != "1" else m or c for c, m in terms) or "0"
