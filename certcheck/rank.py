"""Kinds ``rank`` and ``shallow``: lower bounds from the partial-derivative rank.

A rank certificate names r derivatives ∂^α p (rows) and r monomials x^β (columns) and a prime
p.  The checker builds the r × r minor itself — the coefficient of x^β in ∂^α p is
c_(α+β)·∏ (α_i + β_i)!/β_i! — and shows its determinant nonzero mod p by Gaussian
elimination.  Reduction mod p maps the rationals with denominators prime to p onto GF(p),
so a determinant nonzero mod p is nonzero over Q: the derivatives span a space of dimension
at least r.

A ``shallow`` certificate is Rolnick & Tegmark's argument for one hidden layer in a network
model (symdepth.bounds.shallow_lower_bound): the checker recomputes which orders the model
and the activation's Taylor coefficients at 0 allow, and adds the ranks it verified.  What
it trusts is the theorem (a network's degree-s part is Σ_j w_j σ_s (a_j·x)^s), not the
numbers.
"""

from __future__ import annotations

import math
from fractions import Fraction

from .errors import Rejected, Unreadable
from .network import activation, integer, polynomial
from .numbers import as_rational, parse
from .taylor import MODELS, taylor_coefficients

MAX_MINOR = 3000


def is_prime(p: int) -> bool:
    """Deterministic Miller–Rabin below 3.3·10^24 (the first 13 primes as bases)."""
    if p < 2:
        return False
    bases = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41)
    if p in bases:
        return True
    if any(p % b == 0 for b in bases) or p >= 3 * 10**24:
        return False
    d, s = p - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for a in bases:
        x = pow(a, d, p)
        if x in (1, p - 1):
            continue
        for _ in range(s - 1):
            x = x * x % p
            if x == p - 1:
                break
        else:
            return False
    return True


def _exponents(items: object, n: int, count: int, what: str) -> list:
    if not isinstance(items, list) or len(items) != count:
        raise Unreadable(f"{what} must list {count} exponent vectors")
    out = []
    for item in items:
        if not isinstance(item, list) or len(item) != n or not all(
                isinstance(e, int) and not isinstance(e, bool) and 0 <= e <= 10_000 for e in item):
            raise Unreadable(f"{what}: {item!r} is not an exponent vector of {n} variables")
        out.append(tuple(item))
    if len(set(out)) != len(out):
        raise Rejected(f"{what} repeat an entry")
    return out


def _determinant_nonzero(rows: list, p: int) -> bool:
    """Sparse Gaussian elimination mod p (rows as dicts column → residue)."""
    pending = [dict(r) for r in rows]
    for _ in range(len(rows)):
        pivot_row = next((r for r in pending if r), None)
        if pivot_row is None:
            return False
        column = min(pivot_row)
        pending.remove(pivot_row)
        inverse = pow(pivot_row[column], -1, p)
        for row in pending:
            factor = row.get(column)
            if factor:
                factor = factor * inverse % p
                for j, v in pivot_row.items():
                    value = (row.get(j, 0) - factor * v) % p
                    if value:
                        row[j] = value
                    else:
                        row.pop(j, None)
        if any(column in r for r in pending):  # pragma: no cover - eliminated above
            return False
    return True


def verified_rank(terms: dict, minor: object, order: int | None, what: str) -> int:
    """The r of a minor whose determinant the checker shows nonzero (so rank ≥ r)."""
    if not isinstance(minor, dict):
        raise Unreadable(f"{what} must be an object with rank, rows, columns and prime")
    n = len(next(iter(terms))) if terms else 0
    r = integer(minor.get("rank"), f"{what}: rank", 0, MAX_MINOR)
    p = integer(minor.get("prime"), f"{what}: prime", 2, 2**80)
    if not is_prime(p):
        raise Rejected(f"{what}: {p} is not a prime")
    rows = _exponents(minor.get("rows"), n, r, f"{what}: rows")
    columns = _exponents(minor.get("columns"), n, r, f"{what}: columns")
    if order is not None and any(sum(a) != order for a in rows):
        raise Rejected(f"{what}: a row is not a derivative of order {order}")
    matrix = []
    for alpha in rows:
        row = {}
        for j, beta in enumerate(columns):
            c = terms.get(tuple(a + b for a, b in zip(alpha, beta)), Fraction(0))
            if c:
                value = c * math.prod(math.factorial(a + b) // math.factorial(b) for a, b in zip(alpha, beta))
                if value.denominator % p == 0:
                    raise Rejected(f"{what}: the prime {p} divides a denominator; choose another prime")
                residue = value.numerator * pow(value.denominator, -1, p) % p
                if residue:
                    row[j] = residue
        matrix.append(row)
    if not _determinant_nonzero(matrix, p):
        raise Rejected(f"{what}: the {r} x {r} minor is singular mod {p}")
    return r


def _rational_terms(cert: dict, n: int) -> dict:
    return {m: as_rational(c, "a coefficient of the polynomial") for m, c in
            polynomial(cert.get("polynomial"), n, "polynomial").items()}


def _variables(cert: dict) -> int:
    items = cert.get("polynomial")
    if not isinstance(items, list) or not items or not isinstance(items[0], list) or not isinstance(items[0][0], list):
        raise Unreadable("'polynomial' must be a nonempty list of [exponents, coefficient]")
    return len(items[0][0])


def check_rank(cert: dict) -> str:
    terms = _rational_terms(cert, _variables(cert))
    order = cert.get("order")
    order = None if order is None else integer(order, "order", 0, 10_000)
    r = verified_rank(terms, cert.get("minor"), order, "minor")
    derivatives = {tuple(a) for m in terms for a in _sub_multisets(m)}
    if order is not None:
        derivatives = {a for a in derivatives if sum(a) == order}
    combinations = cert["minor"].get("combinations")
    if combinations is not None:
        rows = _exponents(cert["minor"].get("rows"), len(next(iter(terms))), r, "minor: rows")
        _check_span(terms, rows, combinations, derivatives)
    # every derivative a row or a combination of the rows: the rank is at most r
    exact = " = " if r == len(derivatives) or combinations is not None else " >= "
    kind = "all orders" if order is None else f"order {order}"
    return f"the derivatives of the polynomial ({kind}) have rank{exact}{r}"


MAX_COMBINATIONS = 200_000


def _derivative(terms: dict, alpha: tuple) -> dict:
    out = {}
    for m, c in terms.items():
        if all(e >= a for e, a in zip(m, alpha)):
            out[tuple(e - a for e, a in zip(m, alpha))] = c * math.prod(
                math.factorial(e) // math.factorial(e - a) for e, a in zip(m, alpha))
    return out


def _check_span(terms: dict, rows: list, combinations: object, derivatives: set) -> None:
    """Every nonzero derivative that is not a row equals the stated rational combination of
    the rows, coefficient by coefficient (so the rows span the derivatives: rank ≤ r)."""
    if not isinstance(combinations, list) or len(combinations) * max(len(rows), 1) > MAX_COMBINATIONS:
        raise Unreadable(f"'combinations' must be a list of at most {MAX_COMBINATIONS} coefficients")
    n = len(rows[0]) if rows else len(next(iter(derivatives), ()))
    stated = {}
    for item in combinations:
        if not isinstance(item, list) or len(item) != 2:
            raise Unreadable("a combination is [exponents, [coefficients]]")
        (alpha,) = _exponents([item[0]], n, 1, "a combination's derivative")
        if not isinstance(item[1], list) or len(item[1]) != len(rows):
            raise Unreadable(f"the combination for {alpha} needs {len(rows)} coefficients")
        stated[alpha] = [as_rational(parse(c, "a combination coefficient"), "a combination coefficient")
                         for c in item[1]]
    missing = sorted(derivatives - set(rows) - set(stated))
    if missing:
        raise Rejected(f"the derivative {missing[0]} is neither a row nor given as a combination of the rows")
    base = [_derivative(terms, a) for a in rows]
    for alpha, coefficients in stated.items():
        total: dict = {}
        for c, poly in zip(coefficients, base):
            for m, v in poly.items():
                total[m] = total.get(m, 0) + c * v
        target = _derivative(terms, alpha)
        wrong = next((m for m in set(total) | set(target) if total.get(m, 0) != target.get(m, 0)), None)
        if wrong is not None:
            raise Rejected(f"the combination for the derivative {alpha} is off at the monomial {wrong}: "
                           f"{total.get(wrong, 0)} where the derivative has {target.get(wrong, 0)}")


def _sub_multisets(m: tuple) -> list:
    out = [()]
    for e in m:
        out = [(*a, k) for a in out for k in range(e + 1)]
    return out


def check_shallow(cert: dict) -> str:
    n = _variables(cert)
    terms = _rational_terms(cert, n)
    model = cert.get("model")
    if model not in MODELS:
        raise Unreadable(f"unknown network model {model!r}")
    hidden_biases, output_bias, skip = MODELS[model]
    act = activation(cert.get("activation"), "activation")
    value = cert.get("value")
    d = max((sum(m) for m in terms), default=0)
    top = {m: c for m, c in terms.items() if sum(m) == d}
    trivial = None
    if not terms:
        trivial = 0
    elif skip and d <= 1:
        trivial = 0 if d == 1 or output_bias else 1
    elif d == 0:
        trivial = 0 if output_bias else 1
    if trivial is not None:
        if value is None or integer(value, "value") > trivial:
            raise Rejected(f"a polynomial of degree {d} in model {model} proves at most {trivial}")
        return f"one hidden layer of model {model} needs at least {value} neurons"
    nonzero = [True] * (d + 1) if act.name == "generic" else [bool(b) for b in taylor_coefficients(act, {}, d)]
    free_biases = hidden_biases and act.name != "exp"
    if value is None:
        if free_biases or nonzero[d]:
            raise Rejected("'no network' needs sigma_d(0) = 0 and no hidden biases")
        return f"no one-hidden-layer network of model {model} Taylor-approximates the polynomial (sigma_{d}(0) = 0)"
    value = integer(value, "value", 0, 10**9)
    orders = cert.get("orders")
    minors = cert.get("minors")
    if not isinstance(orders, list) or not isinstance(minors, list) or len(orders) != len(minors) or not orders:
        raise Unreadable("'orders' and 'minors' must be lists of the same nonzero length")
    orders = [integer(t, "order", 0, d) for t in orders]
    if cert.get("argument") == "i":
        if len(orders) != 1:
            raise Unreadable("argument (i) uses one order")
        proven = verified_rank(top, minors[0], orders[0], "minor")
    elif cert.get("argument") == "ii":
        if free_biases or top != terms:
            raise Rejected("argument (ii) needs a form (a homogeneous polynomial) and no free hidden biases")
        usable = [(s >= 2 or (s == 0 and not output_bias) or (s == 1 and not skip)) and nonzero[s] for s in range(d)]
        for t in orders:
            if not all(usable[s] for s in range(d - t, d)):
                raise Rejected(f"argument (ii) may not use order {t} in model {model} with this activation")
        if len(set(orders)) != len(orders):
            raise Rejected("argument (ii) counts an order twice")
        proven = sum(verified_rank(terms, minor, t, f"minor of order {t}") for t, minor in zip(orders, minors))
    else:
        raise Unreadable("'argument' must be \"i\" or \"ii\" (or value null for no network)")
    if value > proven:
        raise Rejected(f"the minors prove {proven}, less than the stated {value}")
    return f"one hidden layer of model {model} needs at least {value} neurons (argument ({cert['argument']}))"


def check_minimal(cert: dict) -> str:
    """The fewest neurons of a model: a proven lower bound and, where found, a witness network;
    "exact" only when the two meet."""
    lower = cert.get("lower")
    upper = cert.get("upper")
    if not isinstance(lower, dict) or lower.get("model") != cert.get("model"):
        raise Unreadable("'lower' must be a shallow certificate of the same model")
    text = check_shallow(lower)
    if upper is None:
        if cert.get("exact"):
            raise Rejected("an exact width needs a witness")
        return text
    from .taylor import check_witness

    if not isinstance(upper, dict) or upper.get("model") != cert.get("model"):
        raise Unreadable("'upper' must be a witness certificate of the same model")
    witness = check_witness(upper)
    if lower.get("value") is None or upper["neurons"] < lower["value"]:
        raise Rejected("the witness beats the proven lower bound: one of them is wrong")
    if bool(cert.get("exact")) != (upper["neurons"] == lower["value"]):
        raise Rejected("'exact' must say whether the witness meets the lower bound")
    return f"{text}; {witness}" + ("; so exactly that many" if cert.get("exact") else "")
