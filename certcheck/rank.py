"""Kinds ``rank``, ``shallow`` and ``minimal``: lower bounds from the partial-derivative rank.

A rank certificate names r derivatives ∂^α p (rows), r monomials x^β (columns) and a modulus
m ≥ 2.  The checker builds the r × r minor itself — the coefficient of x^β in ∂^α p is
c_(α+β)·∏ (α_i + β_i)!/β_i! — and eliminates it mod m with unit pivots only.  Reduction mod
m is a ring map on the rationals with denominators prime to m; the determinant of the image
is ± the product of the pivots, a unit, so nonzero, and the minor is nonsingular over Q: the
derivatives span a space of dimension at least r.  (m need not be prime: symdepth uses a
prime, for which every nonzero residue is a unit.)  Optional combinations, checked exactly,
show every other derivative in the rows' span: the rank is then exactly r.

A ``shallow`` certificate is Rolnick & Tegmark's argument for one hidden layer in a network
model (symdepth.bounds.shallow_lower_bound): the checker recomputes which orders the model and
the activation's Taylor coefficients at 0 allow, and adds the ranks it verified.  What it
trusts is the theorem (a network's degree-s part is Σ_j w_j σ_s (a_j·x)^s).
"""

from __future__ import annotations

import math
from fractions import Fraction

from .errors import Rejected, Unreadable
from .network import activation, exponents, integer, polynomial, rational
from .numbers import as_rational
from .taylor import MODELS, check_witness, taylor_coefficients

MAX_MINOR = 3000
MAX_COMBINATIONS = 200_000


def _distinct(items: object, n: int, count: int, what: str) -> list:
    if not isinstance(items, list) or len(items) != count:
        raise Unreadable(f"{what} must list {count} exponent vectors")
    out = [exponents(item, n, what) for item in items]
    if len(set(out)) != len(out):
        raise Rejected(f"{what} repeat an entry")
    return out


def _nonsingular(rows: list, m: int) -> bool:
    """Sparse Gaussian elimination mod m (rows as dicts column → residue), unit pivots only."""
    pending = [dict(r) for r in rows]
    while pending:
        pivot = pending.pop(next((i for i, r in enumerate(pending) if r), 0))
        if not pivot:
            return False
        column = min(pivot)
        try:
            inverse = pow(pivot[column], -1, m)
        except ValueError:   # not a unit mod m
            return False
        for row in pending:
            factor = row.pop(column, 0) * inverse % m
            for j, v in pivot.items() if factor else ():
                if j != column:
                    row[j] = (row.get(j, 0) - factor * v) % m
                    if not row[j]:
                        del row[j]
    return True


def _derivative(terms: dict, alpha: tuple) -> dict:
    return {tuple(e - a for e, a in zip(m, alpha)): c * math.prod(math.perm(e, a) for e, a in zip(m, alpha))
            for m, c in terms.items() if all(e >= a for e, a in zip(m, alpha))}


def verified_rank(n: int, terms: dict, minor: object, order: int | None, what: str) -> int:
    """The r of a minor shown nonsingular (so rank ≥ r)."""
    if not isinstance(minor, dict):
        raise Unreadable(f"{what} must be an object with rank, rows, columns and prime")
    r = integer(minor.get("rank"), f"{what}: rank", 0, MAX_MINOR)
    m = integer(minor.get("prime"), f"{what}: modulus", 2, 2**80)
    rows = _distinct(minor.get("rows"), n, r, f"{what}: rows")
    columns = _distinct(minor.get("columns"), n, r, f"{what}: columns")
    if order is not None and any(sum(a) != order for a in rows):
        raise Rejected(f"{what}: a row is not a derivative of order {order}")
    matrix = []
    for alpha in rows:
        row, derivative = {}, _derivative(terms, alpha)
        for j, beta in enumerate(columns):
            value = derivative.get(beta, Fraction(0))
            if value.denominator % m == 0:
                raise Rejected(f"{what}: the modulus {m} divides a denominator; choose another")
            if value.numerator * pow(value.denominator, -1, m) % m:
                row[j] = value.numerator * pow(value.denominator, -1, m) % m
        matrix.append(row)
    if not _nonsingular(matrix, m):
        raise Rejected(f"{what}: the {r} x {r} minor is not shown nonsingular mod {m} (singular, or a pivot "
                       "is not a unit)")
    return r


def _terms(cert: dict) -> tuple:
    """(n, {exponents: rational coefficient}) of the certificate's polynomial."""
    items = cert.get("polynomial")
    if not isinstance(items, list) or not items or not isinstance(items[0], list) or not isinstance(items[0][0], list):
        raise Unreadable("'polynomial' must be a nonempty list of [exponents, coefficient]")
    n = len(items[0][0])
    return n, {m: as_rational(c, "a coefficient of the polynomial") for m, c in polynomial(items, n, "polynomial").items()}


def check_rank(cert: dict) -> str:
    n, terms = _terms(cert)
    order = None if cert.get("order") is None else integer(cert["order"], "order", 0, 10_000)
    r = verified_rank(n, terms, cert.get("minor"), order, "minor")
    derivatives = {a for m in terms for a in _below(m) if order is None or sum(a) == order}
    combinations = cert["minor"].get("combinations")
    if combinations is not None:
        rows = [tuple(a) for a in cert["minor"]["rows"]]
        _check_span(n, terms, rows, combinations, derivatives)
    exact = " = " if r == len(derivatives) or combinations is not None else " >= "
    return f"the derivatives of the polynomial ({'all orders' if order is None else f'order {order}'}) have rank{exact}{r}"


def _below(m: tuple) -> list:
    """The exponent vectors α ≤ m: the derivatives ∂^α that keep the monomial x^m."""
    out = [()]
    for e in m:
        out = [(*a, k) for a in out for k in range(e + 1)]
    return out


def _check_span(n: int, terms: dict, rows: list, combinations: object, derivatives: set) -> None:
    """Every derivative that is not a row equals its stated combination of the rows,
    coefficient by coefficient (so the rows span the derivatives: rank ≤ r)."""
    if not isinstance(combinations, list) or len(combinations) * max(len(rows), 1) > MAX_COMBINATIONS:
        raise Unreadable(f"'combinations' must be a list of at most {MAX_COMBINATIONS} coefficients")
    stated = {}
    for item in combinations:
        if not isinstance(item, list) or len(item) != 2 or not isinstance(item[1], list) or len(item[1]) != len(rows):
            raise Unreadable(f"a combination is [exponents, [{len(rows)} coefficients]]")
        stated[exponents(item[0], n, "a combination's derivative")] = [rational(c, "a combination") for c in item[1]]
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


def check_shallow(cert: dict) -> str:
    n, terms = _terms(cert)
    model, value = cert.get("model"), cert.get("value")
    if model not in MODELS:
        raise Unreadable(f"unknown network model {model!r}")
    hidden_biases, output_bias, skip = MODELS[model]
    act = activation(cert.get("activation"), "activation")
    d = max((sum(m) for m in terms), default=0)
    top = {m: c for m, c in terms.items() if sum(m) == d}
    if d == 0 or (skip and d == 1):   # a constant, or an affine map with skip connections
        trivial = 0 if output_bias or (skip and d == 1) or not terms else 1
        if value is None or integer(value, "value") > trivial:
            raise Rejected(f"a polynomial of degree {d} in model {model} proves at most {trivial}")
        return f"one hidden layer of model {model} needs at least {value} neurons"
    sigma = [True] * (d + 1) if act.name == "generic" else [bool(b) for b in taylor_coefficients(act, {}, d)]
    free_biases = hidden_biases and act.name != "exp"
    if value is None:
        if free_biases or sigma[d]:
            raise Rejected("'no network' needs sigma_d(0) = 0 and no hidden biases")
        return f"no one-hidden-layer network of model {model} Taylor-approximates the polynomial (sigma_{d}(0) = 0)"
    value = integer(value, "value")
    orders, minors = cert.get("orders"), cert.get("minors")
    if not isinstance(orders, list) or not isinstance(minors, list) or len(orders) != len(minors) or not orders:
        raise Unreadable("'orders' and 'minors' must be lists of the same nonzero length")
    orders = [integer(t, "order", 0, d) for t in orders]
    if cert.get("argument") == "i" and len(orders) == 1:
        proven = verified_rank(n, top, minors[0], orders[0], "minor")
    elif cert.get("argument") == "ii":
        if free_biases or top != terms:
            raise Rejected("argument (ii) needs a form (a homogeneous polynomial) and no free hidden biases")
        usable = [(s >= 2 or (s == 0 and not output_bias) or (s == 1 and not skip)) and sigma[s] for s in range(d)]
        if any(not all(usable[s] for s in range(d - t, d)) for t in orders) or len(set(orders)) != len(orders):
            raise Rejected(f"argument (ii) may use each order once, and not an order model {model} and this "
                           "activation leave out")
        proven = sum(verified_rank(n, terms, minor, t, f"minor of order {t}") for t, minor in zip(orders, minors))
    else:
        raise Unreadable("'argument' must be \"i\" (one order) or \"ii\" (or value null for no network)")
    if value > proven:
        raise Rejected(f"the minors prove {proven}, less than the stated {value}")
    return f"one hidden layer of model {model} needs at least {value} neurons (argument ({cert['argument']}))"


def check_minimal(cert: dict) -> str:
    """The fewest neurons of a model: a proven lower bound and, where found, a witness network;
    "exact" only when the two meet."""
    lower, upper, model = cert.get("lower"), cert.get("upper"), cert.get("model")
    if not isinstance(lower, dict) or lower.get("model") != model:
        raise Unreadable("'lower' must be a shallow certificate of the same model")
    text = check_shallow(lower)
    if upper is None:
        if cert.get("exact"):
            raise Rejected("an exact width needs a witness")
        return text
    if not isinstance(upper, dict) or upper.get("model") != model:
        raise Unreadable("'upper' must be a witness certificate of the same model")
    witness = check_witness(upper)
    if lower.get("value") is None or upper["neurons"] < lower["value"]:
        raise Rejected("the witness beats the proven lower bound: one of them is wrong")
    if bool(cert.get("exact")) != (upper["neurons"] == lower["value"]):
        raise Rejected("'exact' must say whether the witness meets the lower bound")
    return f"{text}; {witness}" + ("; so exactly that many" if cert.get("exact") else "")
