"""Exact numbers of the checker: rationals, and the ring L of Laurent polynomials with
rational coefficients in named atoms.

An atom is a symbol (``sigma_2``, an indeterminate: a generic activation's coefficient or a
symbolic weight) or a transcendental constant: ``log(p)`` for a prime p, ``atan(q)``,
``exp(q)`` (q ≠ 0 rational) or ``pi``.  ``log(q)`` is rewritten over the primes of q and
``atanh(q)`` as (log(1+q) − log(1−q))/2, so that equal numbers written differently agree.
Atoms are treated as independent indeterminates: an identity that holds in L holds for the
true values (evaluation is a ring map, every atom being nonzero), which is all a "holds"
needs; a difference that is nonzero in L is confirmed numerically (:func:`interval`) before
a "fails" is accepted.  An element is a dict {monomial: Fraction}, a monomial a sorted tuple
of (atom, nonzero exponent) pairs; () is the monomial 1.
"""

from __future__ import annotations

import ast
import contextlib
import re
from collections.abc import Iterator
from fractions import Fraction

from mpmath import iv, mp

from .errors import Unreadable

MAX_DIGITS = 20_000          # of any integer read
MAX_TERMS = 100_000          # of any element built
_FUNCTIONS = ("log", "atanh", "atan", "exp")
_ATOM = re.compile(r"^(log|atan|exp)\((-?\d+(?:/\d+)?)\)$|^pi$|^[A-Za-z_][A-Za-z_0-9]*$")


def rational(value: object, what: str) -> Fraction:
    """A JSON integer or a string "p/q" as a Fraction (nothing else: no floats, no decimals)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise Unreadable(f"{what}: {value!r} is not a rational (write an integer or \"p/q\")")
    text = str(value).strip()
    if not re.fullmatch(r"-?\d+(/\d+)?", text) or len(text) > MAX_DIGITS:
        raise Unreadable(f"{what}: {value!r} is not a rational of at most {MAX_DIGITS} digits")
    q = Fraction(text)
    return q


def const(q: Fraction | int) -> dict:
    return {(): Fraction(q)} if q else {}


def add(a: dict, b: dict, sign: int = 1) -> dict:
    out = dict(a)
    for m, c in b.items():
        s = out.get(m, 0) + sign * c
        if s:
            out[m] = s
        else:
            out.pop(m, None)
    return out


def scale(a: dict, q: Fraction) -> dict:
    return {m: c * q for m, c in a.items()} if q else {}


def _times(m: tuple, n: tuple) -> tuple:
    if not m or not n:
        return m or n
    powers = dict(m)
    for atom, e in n:
        powers[atom] = powers.get(atom, 0) + e
    return tuple(sorted((atom, e) for atom, e in powers.items() if e))


def mul(a: dict, b: dict) -> dict:
    if len(a) == 1 and () in a:
        return scale(b, a[()])
    if len(b) == 1 and () in b:
        return scale(a, b[()])
    out: dict = {}
    for m, c in a.items():
        for n, d in b.items():
            key = _times(m, n)
            s = out.get(key, 0) + c * d
            if s:
                out[key] = s
            else:
                out.pop(key, None)
    if len(out) > MAX_TERMS:
        raise Unreadable(f"a number grew beyond {MAX_TERMS} terms")
    return out


def inverse(a: dict, nonzero: frozenset) -> dict:
    """1/a for a nonzero rational times a monomial whose symbols are known to be nonzero."""
    if len(a) != 1:
        raise Unreadable("division by a sum of several terms is not supported (only by a monomial)")
    ((m, c),) = a.items()
    for atom, _ in m:
        if _is_symbol(atom) and atom not in nonzero:
            raise Unreadable(f"division by {atom}, which the certificate does not assume nonzero")
    return {tuple((atom, -e) for atom, e in m): 1 / c}


def power(a: dict, e: int, nonzero: frozenset) -> dict:
    if e < 0:
        return power(inverse(a, nonzero), -e, nonzero)
    out = const(1)
    for _ in range(e):
        out = mul(out, a)
    return out


def as_rational(a: dict, what: str) -> Fraction:
    if any(m for m in a):
        raise Unreadable(f"{what} must be rational here")
    return a.get((), Fraction(0))


def _is_symbol(atom: str) -> bool:
    return "(" not in atom and atom != "pi"


def symbols_of(a: dict) -> set:
    return {atom for m in a for atom, _ in m if _is_symbol(atom)}


# -- canonical transcendental atoms ----------------------------------------------------------


def _primes(n: int) -> dict:
    """The prime factorization of n ≥ 1 by trial division (a cofactor left above 10^12 is kept
    whole: it may make two equal logarithms look different, never two different ones equal)."""
    out: dict = {}
    p = 2
    while p * p <= n and p <= 10**6:
        while n % p == 0:
            out[p] = out.get(p, 0) + 1
            n //= p
        p += 1 if p == 2 else 2
    if n > 1:
        out[n] = out.get(n, 0) + 1
    return out


def log_of(q: Fraction) -> dict:
    if q <= 0:
        raise Unreadable(f"log({q}) of a non-positive number")
    out: dict = {}
    for part, sign in ((q.numerator, 1), (q.denominator, -1)):
        for p, e in _primes(part).items():
            out = add(out, {((f"log({p})", 1),): Fraction(sign * e)})
    return out


def _function(name: str, q: Fraction) -> dict:
    if name == "log":
        return log_of(q)
    if name == "atanh":
        if not -1 < q < 1:
            raise Unreadable(f"atanh({q}) is not real")
        return scale(add(log_of(1 + q), log_of(1 - q), -1), Fraction(1, 2))
    if q == 0:
        return const(1) if name == "exp" else {}
    if name == "atan" and abs(q) == 1:
        return {(("pi", 1),): Fraction(q.numerator, 4)}
    sign = 1 if q > 0 or name == "exp" else -1
    return {((f"{name}({abs(q) if name == 'atan' else q})", 1),): Fraction(sign)}


# -- the expression grammar ------------------------------------------------------------------


def parse(value: object, what: str, nonzero: frozenset = frozenset()) -> dict:
    """An exact number of a certificate as an element of L: a JSON integer, or a string in
    the grammar sum/difference/product/quotient/integer power of integers, symbols, ``pi``
    and log, atanh, atan, exp of rational arguments (e.g. ``"4/3 - 2*atanh(1/2)"``,
    ``"1/(2*sigma_2)"``, ``"sigma_2^(-1)"``).  The string is read into a syntax tree by
    Python's parser (``ast``, which evaluates nothing) and only these node types are taken."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise Unreadable(f"{what}: {value!r} is not an exact number")
    if isinstance(value, int):
        return _integer(value, what)
    if len(value) > 10 * MAX_DIGITS:
        raise Unreadable(f"{what}: a number of {len(value)} characters")
    try:
        tree = ast.parse(value.replace("^", "**"), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        raise Unreadable(f"{what}: cannot read the number {value[:100]!r}") from None
    return _node(tree.body, what, nonzero)


def _integer(value: int, what: str) -> dict:
    if len(str(abs(value))) > MAX_DIGITS:
        raise Unreadable(f"{what}: an integer of more than {MAX_DIGITS} digits")
    return const(value)


def _node(node: ast.AST, what: str, nonzero: frozenset) -> dict:
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return _integer(node.value, what)
    if isinstance(node, ast.Name):
        return {((node.id, 1),): Fraction(1)}
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        return scale(_node(node.operand, what, nonzero), Fraction(-1 if isinstance(node.op, ast.USub) else 1))
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Pow):
        exponent = as_rational(_node(node.right, what, nonzero), f"{what}: an exponent")
        if exponent.denominator != 1 or abs(exponent) > 1000:
            raise Unreadable(f"{what}: exponents must be integers up to 1000")
        return power(_node(node.left, what, nonzero), int(exponent), nonzero)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult, ast.Div)):
        left, right = _node(node.left, what, nonzero), _node(node.right, what, nonzero)
        if isinstance(node.op, ast.Div):
            return mul(left, inverse(right, nonzero))
        return mul(left, right) if isinstance(node.op, ast.Mult) else add(left, right, 1 if isinstance(
            node.op, ast.Add) else -1)
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _FUNCTIONS
            and len(node.args) == 1 and not node.keywords):
        argument = as_rational(_node(node.args[0], what, nonzero), f"{what}: the argument of {node.func.id}")
        return _function(node.func.id, argument)
    raise Unreadable(f"{what}: {ast.dump(node)[:80]} is not part of the number grammar")


# -- numerical confirmation --------------------------------------------------------------------


@contextlib.contextmanager
def precision(bits: int) -> Iterator[None]:
    """mpmath's interval precision for a block (iv keeps it in a global), restored after."""
    saved = iv.prec
    iv.prec = bits
    try:
        yield
    finally:
        iv.prec = saved


def _atom_interval(atom: str) -> object:
    if atom == "pi":
        return iv.pi
    match = _ATOM.match(atom)
    if not match or not match.group(1):
        raise Unreadable(f"the symbol {atom} has no numerical value")
    name, q = match.group(1), Fraction(match.group(2))
    x = iv.mpf(q.numerator) / q.denominator
    if name == "log":
        return iv.log(x)
    if name == "exp":
        return iv.exp(x)
    return atan_interval(x)


def ends(x: object) -> tuple:
    """The two ends of an mpmath interval as mpmath numbers (exact binary floats)."""
    return mp.make_mpf(x._mpi_[0]), mp.make_mpf(x._mpi_[1])


def atan_interval(x: object) -> object:
    """atan of an interval: atan is increasing, and tan brackets each end (iv has no atan)."""
    out = []
    for end, side in zip(ends(x), (-1, 1)):
        if not mp.isfinite(end):
            out.append(mp.mpf(side) * 2)  # |atan| < π/2 < 2
            continue
        with mp.workprec(iv.prec + 20):
            guess, step = mp.atan(end), mp.mpf(2) ** (8 - iv.prec)
            for _ in range(60):
                candidate = guess + side * step
                low, high = ends(iv.tan(iv.mpf(candidate)))
                if (side < 0 and high < end) or (side > 0 and low > end):
                    out.append(candidate)
                    break
                step *= 2
            else:  # pragma: no cover - tan brackets within a few doublings
                raise Unreadable(f"could not enclose atan({end})")
    return iv.mpf([out[0], out[1]])


def interval(a: dict, values: dict | None = None) -> object:
    """An interval enclosing the value of ``a``, its atoms at their true values (symbols
    from ``values``, an error when missing)."""
    total = iv.mpf(0)
    for m, c in a.items():
        term = iv.mpf(c.numerator) / c.denominator
        for atom, e in m:
            base = values[atom] if values and atom in values else _atom_interval(atom)
            term = term * base**e
        total += term
    return total


def nonzero(a: dict) -> bool:
    """Whether a nonzero element of L is a nonzero number for every admissible value of its
    symbols: a nonzero polynomial in the symbols whose some coefficient (a number in the
    transcendental atoms) is confirmed nonzero by interval arithmetic."""
    by_symbols: dict = {}
    for m, c in a.items():
        rest = tuple((atom, e) for atom, e in m if not _is_symbol(atom))
        by_symbols.setdefault(tuple((atom, e) for atom, e in m if _is_symbol(atom)), {})[rest] = c
    with precision(200):
        return any(coefficient and 0 not in interval(coefficient) for coefficient in by_symbols.values())


def show(a: dict) -> str:
    """The element as text (for messages)."""
    if not a:
        return "0"
    parts = []
    for m, c in sorted(a.items(), key=lambda item: str(item[0])):
        factors = "*".join(atom if e == 1 else f"{atom}^{e}" for atom, e in m)
        parts.append(str(c) if not factors else (factors if c == 1 else f"{c}*{factors}"))
    return " + ".join(parts)
