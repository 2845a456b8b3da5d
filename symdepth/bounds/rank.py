"""The partial-derivative rank: the number the shallow lower bounds of Rolnick & Tegmark
(2018), Thms 4.1–4.4, rest on.

It is the dimension of the span of the partial derivatives ∂^α p over all multisets α of
variables (p itself included); for a monomial x^r it is ∏(r_i + 1).
:func:`derivative_rank` builds the coefficient matrix directly — row α, column x^(m−α),
entry c_m·∏ m_i!/(m_i−α_i)! — and splits it into the connected components of its
row/column graph before taking ranks (python-flint ``fmpq_mat`` over Q, ``nmod_mat`` over
GF(p)).  For a form (a homogeneous p) the matrix splits by order into moment
(catalecticant) matrices, assembled with numpy.  Written here because no library offers
this matrix; the sparse split is what makes matrices of size ~10^4 fast, since derivatives
of different monomials rarely meet.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import flint
import numpy as np
import sympy

from ..certificates import CertificateFailed, document, recorded, terms_json
from ..errors import BudgetError, SymdepthError
from ..numbers import as_fraction, is_rational, json_number
from ..parsing import polynomial_terms

__all__ = ["derivative_rank", "derivative_ranks", "derivative_matrix_size", "DEFAULT_MAX_ENTRIES"]

DEFAULT_MAX_ENTRIES = 5 * 10**7


def _check_budget(terms: dict, max_entries: int) -> None:
    estimate = sum(math.prod(e + 1 for e in m) for m in terms)
    if estimate > max_entries:
        raise BudgetError(
            f"the derivative matrix has about {estimate:,} nonzero entries, more than max_entries={max_entries:,}; "
            "raise max_entries"
        )


def _derivative_entries(terms: dict, order: int | None) -> tuple[dict, dict, list]:
    rows: dict = {}
    cols: dict = {}
    entries = []
    for m, c in terms.items():
        for alpha in itertools.product(*[range(e + 1) for e in m]):
            k = sum(alpha)
            if order is not None and k != order:
                continue
            factor = math.prod(math.perm(e, a) for e, a in zip(m, alpha))
            r = rows.setdefault(alpha, len(rows))
            col = tuple(e - a for e, a in zip(m, alpha))
            j = cols.setdefault(col, len(cols))
            entries.append((r, j, c * factor))
    return rows, cols, entries


def derivative_matrix_size(poly: Any, order: int | None = None,
                           max_entries: int = DEFAULT_MAX_ENTRIES) -> tuple[int, int, int]:
    """(rows, columns, nonzero entries) of the derivative matrix of ``poly``.

    Examples
    --------
    >>> derivative_matrix_size("x1^2*x2")
    (6, 6, 6)
    """
    _, terms = polynomial_terms(poly)
    _check_budget(terms, max_entries)
    rows, cols, entries = _derivative_entries(terms, order)
    return len(rows), len(cols), len(entries)


@recorded(lambda rank, *args, **kwargs: _rank_certificate(rank, *args, **kwargs))
def derivative_rank(
    poly: Any,
    order: int | None = None,
    field: str | int = "QQ",
    max_entries: int = DEFAULT_MAX_ENTRIES,
) -> int:
    """Dimension of span{∂^α p} over all multisets α (``order=None``, p itself included)
    or over |α| = ``order``.

    Parameters
    ----------
    poly : str, sympy expression or Poly, or dict exponent tuple → coefficient
    order : int, optional
    field : "QQ", or "GF(p)" / an int p for the rank over the prime field GF(p)
        (rational coefficients reduced mod p; a rank mod p never exceeds the rank over Q).
    max_entries : int
        Budget on the matrix: its nonzero entries, or for a form (a homogeneous p) the
        rows × columns of its largest order block.

    Examples
    --------
    >>> derivative_rank("x1^2*x2^3")
    12
    >>> derivative_rank("x1^2*x2^3", order=2)
    3
    >>> derivative_rank("x1^2 + x2^2"), derivative_rank("(x1 + x2)^2")
    (4, 3)

    References
    ----------
    Rolnick & Tegmark (2018), proofs of Thms 4.1 and 4.3 (Appendix 7.1, 7.3).
    """
    _, terms = polynomial_terms(poly)
    _require_rational(terms)
    prime = _prime(field)
    degrees = {sum(m) for m in terms}
    if len(degrees) == 1 and terms:
        (d,) = degrees
        orders = range(d + 1) if order is None else [order]
        if (prime is None or prime > d) and _moments_pay(terms, d, orders):
            return int(sum(_homogeneous_ranks(terms, d, orders, prime, max_entries).values()))
    return int(_component_rank(terms, order, prime, max_entries))


def _moments_pay(terms: dict, d: int, orders: Sequence[int]) -> bool:
    """Whether a form's dense order blocks (moment matrices) are the cheaper way to its ranks.

    A sparse form (a monomial, a few terms) has far fewer nonzero derivative entries than its
    blocks have cells, and its components rank in microseconds: x1^3·x2^3·x3^3·x4^3 has 256
    entries against about 10^4 block cells (measured: the component path is 47× faster on
    the monomials of degree ≤ 12 in four variables)."""
    n = len(next(iter(terms)))
    blocks = {min(s, d - s) for s in orders if 0 <= s <= d}  # order d − s is the transpose of order s
    cells = sum(math.comb(t + n - 1, n - 1) * math.comb(d - t + n - 1, n - 1) for t in blocks)
    entries = sum(math.prod(e + 1 for e in m) for m in terms)
    return 20 * entries >= cells


def _component_rank(terms: dict, order: int | None, prime: int | None, max_entries: int) -> int:
    """The general path (any polynomial): every nonzero entry of the derivative matrix, ranked
    per connected component of its row/column graph (rank is additive over them)."""
    _, _, groups = _components(terms, order, max_entries)
    return sum(_block_rank(group, prime) for group in groups)


def _components(terms: dict, order: int | None, max_entries: int = DEFAULT_MAX_ENTRIES) -> tuple:
    """(rows α → index, columns β → index, the entries (row, column, value) grouped by the
    connected components of the bipartite row/column graph)."""
    _check_budget(terms, max_entries)
    rows, cols, entries = _derivative_entries(terms, order)
    parent = list(range(len(rows) + len(cols)))

    def find(a: int) -> int:
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r, j, _ in entries:
        ra, rb = find(r), find(len(rows) + j)
        if ra != rb:
            parent[ra] = rb
    groups: dict = {}
    for r, j, v in entries:
        groups.setdefault(find(r), []).append((r, j, v))
    return rows, cols, list(groups.values())


def derivative_ranks(poly: Any, field: str | int = "QQ", max_entries: int = DEFAULT_MAX_ENTRIES) -> tuple:
    """(all-orders rank, [rank of the order-s derivatives for s = 0..d]) in one pass: for a form
    the all-orders rank is the sum of the orders' ranks and each pair of orders s, d − s is one
    moment-matrix rank.

    Examples
    --------
    >>> derivative_ranks("x1^2*x2^3")
    (12, [1, 2, 3, 3, 2, 1])
    >>> derivative_ranks("x1^2 + x2")
    (3, [1, 2, 1])
    """
    _, terms = polynomial_terms(poly)
    _require_rational(terms)
    total, orders = _ranks(tuple(sorted(terms.items())), _prime(field), max_entries)
    return total, list(orders)


@functools.lru_cache(maxsize=64)
def _ranks(items: tuple, prime: int | None, max_entries: int) -> tuple:
    """derivative_ranks of the polynomial with these (exponents, coefficient) items; cached,
    since every network model's bound (shallow_lower_bound) asks for the same ranks."""
    terms = dict(items)
    degree = max((sum(m) for m in terms), default=0)
    field = "QQ" if prime is None else prime
    if len({sum(m) for m in terms}) == 1 and (prime is None or prime > degree) and _moments_pay(terms, degree,
                                                                                                range(degree + 1)):
        by_order = _homogeneous_ranks(terms, degree, range(degree + 1), prime, max_entries)
        orders = tuple(by_order[s] for s in range(degree + 1))
        return sum(orders), orders
    orders = tuple(derivative_rank(terms, order=s, field=field, max_entries=max_entries) for s in range(degree + 1))
    return derivative_rank(terms, field=field, max_entries=max_entries), orders


def _require_rational(terms: dict) -> None:
    if not all(is_rational(c) for c in terms.values()):
        raise SymdepthError("derivative ranks need rational coefficients; substitute values for the symbols first")


def _homogeneous_ranks(terms: dict, d: int, orders: Sequence[int], prime: int | None, max_entries: int) -> dict:
    """The rank for a form p of degree d, order by order.

    Derivatives of different orders have different degrees, so the all-orders rank is the
    sum over s of the rank of the order-s block: row α (|α| = s), column x^β (|β| = d − s),
    entry c_{α+β}·(α+β)!/β!.  Dividing column β by 1/β! (a unit over Q and over GF(p) for
    p > d) leaves the moment (catalecticant) matrix M[α, β] = c_{α+β}·(α+β)!, which depends
    on α + β only: numpy assembles it by index arithmetic, and M for order d − s is the
    transpose of M for order s, so each pair of orders costs one rank.
    """
    n = len(next(iter(terms)))
    orders = [s for s in orders if 0 <= s <= d]
    if not orders:
        return {}
    largest = max(math.comb(s + n - 1, n - 1) * math.comb(d - s + n - 1, n - 1) for s in orders)
    if largest > max_entries:
        raise BudgetError(
            f"the largest order block of the derivative matrix has {largest:,} entries (rows x columns), more than "
            f"max_entries={max_entries:,}; raise max_entries (command line: --max-entries N)"
        )
    monomials = sorted(terms)
    keys = np.array([_encode(m, d) for m in monomials], dtype=object if (d + 1) ** n >= 2**62 else np.int64)
    moments = [Fraction(terms[m]) * math.prod(math.factorial(e) for e in m) for m in monomials]
    ranks: dict = {}
    residues = None if prime is None else _residues(moments, prime)  # reduced once, not once per block
    for s in orders:
        t = min(s, d - s)
        if t not in ranks:
            ranks[t] = _moment_rank(n, t, d - t, d, keys, moments, residues, prime)
    return {s: ranks[min(s, d - s)] for s in orders}


def _encode(m: Sequence, d: int) -> int:
    key = 0
    for e in m:
        key = key * (d + 1) + e
    return key


def _exponents_of_degree(n: int, s: int) -> np.ndarray:
    """All exponent vectors of n variables with total degree s, as rows of an int64 array."""
    rows = [tuple(b - a - 1 for a, b in zip((-1, *cut), (*cut, s + n - 1)))
            for cut in itertools.combinations(range(s + n - 1), n - 1)]
    return np.array(rows, dtype=np.int64).reshape(len(rows), n)


def _moment_rank(n: int, s: int, t: int, d: int, keys: np.ndarray, moments: list, residues: np.ndarray | None,
                 prime: int | None) -> int:
    """The rank of the moment matrix of orders s × t: over GF(prime) from the moments'
    ``residues``, else over Q."""
    _, _, where = _moment_block(n, s, t, d, keys)
    if (where < 0).all():
        return 0
    if prime is not None:
        assert residues is not None
        return _rank_mod(where, residues, prime)[0]
    return _rank_over_q(where, moments)


def _moment_block(n: int, s: int, t: int, d: int, keys: np.ndarray) -> tuple:
    """(rows α, columns β, where) of the moment matrix of orders s × t: ``where[i, j]`` is the
    index in ``keys`` of the monomial α_i + β_j of p, −1 where p has none."""
    rows, cols = _exponents_of_degree(n, s), _exponents_of_degree(n, t)
    weights = np.array([(d + 1) ** (n - 1 - i) for i in range(n)], dtype=keys.dtype)
    sums = (rows @ weights)[:, None] + (cols @ weights)[None, :]  # the key of α + β, by linearity
    if keys.dtype == object:
        index = {k: i for i, k in enumerate(keys)}
        where = np.vectorize(lambda k: index.get(k, -1), otypes=[np.int64])(sums)
    else:
        found = np.minimum(np.searchsorted(keys, sums), len(keys) - 1)
        where = np.where(keys[found] == sums, found, -1)
    return rows, cols, where


def _residues(values: Sequence, prime: int) -> np.ndarray:
    """The values mod ``prime`` as int64 (prime < 2^63), with a 0 appended: index −1 (a sum
    α + β that is no monomial of p) then reads 0."""
    return np.array([_mod(c, prime) for c in values] + [0], dtype=np.int64)


def _rank_mod(where: np.ndarray, residues: np.ndarray, prime: int) -> tuple:
    """(rank, matrix, its rref) of the moment matrix over GF(prime)."""
    matrix = flint.nmod_mat(residues[where].tolist(), prime)
    reduced, rank = matrix.rref()
    return rank, matrix, reduced


def _rank_over_q(where: np.ndarray, moments: list) -> int:
    """The exact rank over Q: the rank r mod a random 62-bit prime is a lower bound; it is the
    rank when r is the smaller dimension, or when the Schur complement of an r × r minor that
    is nonzero mod p (so nonzero over Q) vanishes exactly — which proves rank ≤ r.  Only if
    that fails (p divided a minor) is the fraction-free rank of FLINT computed."""
    scale = math.lcm(*(c.denominator for c in moments))
    # as fmpz once: the matrices below repeat these few values many times
    integers = np.array([flint.fmpz(int(c * scale)) for c in moments] + [flint.fmpz(0)], dtype=object)
    prime = int(sympy.randprime(2**61, 2**62))
    rank, matrix, reduced = _rank_mod(where, _residues([int(v) for v in integers[:-1]], prime), prime)
    if rank == min(where.shape):
        return rank
    pivot_cols = _pivots(reduced, rank)
    pivot_rows = _pivots(matrix.transpose().rref()[0], rank)
    entries = integers[where]
    other_rows = np.setdiff1d(np.arange(where.shape[0]), pivot_rows)
    other_cols = np.setdiff1d(np.arange(where.shape[1]), pivot_cols)

    def block(r: np.ndarray, c: np.ndarray) -> Any:
        return flint.fmpz_mat(entries[np.ix_(r, c)].tolist())

    # D = C·A⁻¹·B checked in integers: with A⁻¹B = X/den, den·D = C·X (FLINT's fmpz products)
    numerator, denominator = block(pivot_rows, pivot_cols).solve(block(pivot_rows, other_cols)).numer_denom()
    if block(other_rows, pivot_cols) * numerator == block(other_rows, other_cols) * denominator:
        return rank
    return flint.fmpz_mat(entries.tolist()).rank()


def _pivots(reduced: Any, rank: int) -> np.ndarray:
    """Pivot columns of a matrix in reduced row echelon form."""
    pivots = []
    for i in range(rank):
        j = 0
        while int(reduced[i, j]) == 0:
            j += 1
        pivots.append(j)
    return np.array(pivots, dtype=np.int64)


def _block_rank(group: list, prime: int | None) -> int:
    row_ids = sorted({r for r, _, _ in group})
    col_ids = sorted({j for _, j, _ in group})
    if len(row_ids) == 1 or len(col_ids) == 1:
        if prime is None:
            return 1
        return int(any(_mod(v, prime) for _, _, v in group))
    ri = {r: i for i, r in enumerate(row_ids)}
    ci = {j: i for i, j in enumerate(col_ids)}
    m: Any
    if prime is None:
        m = flint.fmpq_mat(len(row_ids), len(col_ids))
        for r, j, v in group:
            q = Fraction(v)
            m[ri[r], ci[j]] = flint.fmpq(q.numerator, q.denominator)
    else:
        m = flint.nmod_mat(len(row_ids), len(col_ids), prime)
        for r, j, v in group:
            m[ri[r], ci[j]] = _mod(v, prime)
    return m.rank()


def _mod(v: Any, p: int) -> int:
    q = as_fraction(v)
    if q.denominator % p == 0:
        raise SymdepthError(f"coefficient {q} has a denominator divisible by {p}; choose another prime")
    return q.numerator * pow(q.denominator, -1, p) % p


def _prime(field: str | int) -> int | None:
    if field in ("QQ", "Q"):
        return None
    if isinstance(field, str) and field.startswith("GF(") and field.endswith(")"):
        field = field[3:-1]
    try:
        p = int(field)
    except (TypeError, ValueError):
        raise SymdepthError(f"field must be 'QQ', 'GF(p)' or a prime p, got {field!r}") from None
    if p < 2 or p >= 2**63 or not sympy.isprime(p):
        raise SymdepthError(f"field GF({p}): {p} is not a prime below 2^63")
    return p


# -- certificates: a nonsingular minor ------------------------------------------------------------


@functools.cache
def _certificate_primes() -> tuple:
    """Primes below 2^61 for the minors of certificates (a second or third is tried when the
    first divides a minor)."""
    primes = [2**61 - 1]
    while len(primes) < 3:
        primes.append(int(sympy.prevprime(primes[-1])))
    return tuple(primes)


def rank_minor(terms: dict, order: int | None, rank: int, prime: int | None = None) -> dict:
    """A ``rank`` × ``rank`` minor of the derivative matrix of p (orders: all, or ``order``)
    that is nonsingular mod a prime, for a certificate: {"rank", "rows" (the multisets α),
    "columns" (the monomials x^β), "prime"}.  The matrix is taken block by block (order
    blocks of a form, connected components otherwise); in a block of rank r mod p, r
    independent rows and r independent columns (the pivots of its reduced forms) meet in a
    nonsingular r × r minor.  ``prime``: that prime only (a rank over GF(prime)).

    Raises
    ------
    CertificateFailed
        The rank mod every certificate prime is below ``rank`` (no such minor: the rank is
        smaller), or a minor shows a rank above it (the rank is larger).
    """
    degrees = {sum(m) for m in terms}
    primes = (prime,) if prime is not None else _certificate_primes()
    for prime in primes:
        if len(degrees) == 1 and max(degrees) < prime and _moments_pay(terms, max(degrees), range(max(degrees) + 1)):
            blocks = _form_pivots(terms, max(degrees), order, prime)
        else:
            blocks = _component_pivots(terms, order, prime)
        found = sum(len(rows) for rows, _ in blocks)
        if found > rank:
            raise CertificateFailed(f"a nonsingular {found} x {found} minor mod {prime} shows the derivative rank is "
                                    f"at least {found}, above the verdict's {rank}")
        if found == rank:
            return {"rank": int(rank), "rows": [list(map(int, a)) for rows, _ in blocks for a in rows],
                    "columns": [list(map(int, b)) for _, cols in blocks for b in cols], "prime": prime}
    raise CertificateFailed(f"no nonsingular {rank} x {rank} minor of the derivative matrix mod "
                            f"{', '.join(map(str, primes))}: the rank is below the verdict's {rank}")


def _rank_certificate(rank: int, poly: Any, order: int | None = None, field: str | int = "QQ",
                      max_entries: int = DEFAULT_MAX_ENTRIES) -> dict:
    """The certificate of a :func:`derivative_rank` verdict (kind ``rank``): a nonsingular
    minor ("≥ rank") and, over Q, every other derivative as a rational combination of the
    minor's rows ("≤ rank"; omitted beyond ``MAX_COMBINATION_ENTRIES`` coefficients)."""
    _, terms = polynomial_terms(poly)
    which = "all orders" if order is None else f"order {order}"
    over = "Q" if _prime(field) is None else f"GF({_prime(field)})"
    minor = rank_minor(terms, order, rank, _prime(field))
    if _prime(field) is None:
        combinations = rank_combinations(terms, order, [tuple(a) for a in minor["rows"]],
                                         [tuple(b) for b in minor["columns"]])
        if combinations is not None:
            minor["combinations"] = combinations
    return document("rank", f"the partial derivatives of p ({which}) span a space of dimension {rank} over {over}",
                    polynomial=terms_json(terms), order=order, minor=minor)


# The "≤ rank" half of a certificate lists (derivatives − rank) × rank coefficients.
MAX_COMBINATION_ENTRIES = 100_000


def _derivative(terms: dict, alpha: tuple) -> dict:
    """∂^α p as {exponents: coefficient}."""
    out = {}
    for m, c in terms.items():
        if all(e >= a for e, a in zip(m, alpha)):
            out[tuple(e - a for e, a in zip(m, alpha))] = Fraction(c) * math.prod(
                math.factorial(e) // math.factorial(e - a) for e, a in zip(m, alpha))
    return out


def rank_combinations(terms: dict, order: int | None, rows: list, columns: list) -> list | None:
    """Every nonzero derivative ∂^α p (of ``order``, or of every order) that is not a row, as
    [α, [c_1, …, c_r]] with ∂^α p = Σ c_i ∂^(α_i) p exactly: with the minor's rows independent,
    the rank is then exactly r.  The coefficients solve the system on the minor's columns
    (nonsingular over Q, as it is mod a prime) and are checked on every monomial here.  None
    when there are more than ``MAX_COMBINATION_ENTRIES`` coefficients.

    Raises
    ------
    CertificateFailed
        A derivative outside the rows' span: the rank is above r.
    """
    every = {a for m in terms for a in itertools.product(*(range(e + 1) for e in m))}
    others = sorted(a for a in every if (order is None or sum(a) == order) and a not in set(rows))
    if len(others) * len(rows) > MAX_COMBINATION_ENTRIES:
        return None
    if not others:
        return []
    base = [_derivative(terms, a) for a in rows]
    wanted = [_derivative(terms, a) for a in others]
    monomials = sorted(set().union(*base, *wanted))

    def matrix(polys: list, keep: list) -> Any:
        entries = [[flint.fmpq(0)] * len(keep) for _ in polys]
        where = {m: j for j, m in enumerate(keep)}
        for i, poly in enumerate(polys):
            for m, c in poly.items():
                if m in where:
                    entries[i][where[m]] = flint.fmpq(c.numerator, c.denominator)
        return flint.fmpq_mat(len(polys), len(keep), [x for row in entries for x in row])

    coefficients = matrix(wanted, columns) * matrix(base, columns).inv()
    if coefficients * matrix(base, monomials) != matrix(wanted, monomials):
        raise CertificateFailed(f"a derivative lies outside the span of the minor's {len(rows)} rows: the rank is "
                                f"above {len(rows)}")
    return [[list(map(int, a)), [json_number(Fraction(int(c.p), int(c.q))) for c in coefficients.table()[i]]]
            for i, a in enumerate(others)]


def _pivot_rows_columns(matrix: Any) -> tuple:
    """Indices of independent rows and columns (as many as the rank) of an nmod_mat."""
    reduced, rank = matrix.rref()
    columns = _pivots(reduced, rank)
    rows = _pivots(matrix.transpose().rref()[0], rank)
    return rows, columns


def _form_pivots(terms: dict, d: int, order: int | None, prime: int) -> list:
    """(rows α, columns β) of a nonsingular minor of each order block of a form: the moment
    matrix c_(α+β)·(α+β)! differs from the derivative block by the units 1/β! on its columns."""
    n = len(next(iter(terms)))
    monomials = sorted(terms)
    keys = np.array([_encode(m, d) for m in monomials], dtype=object if (d + 1) ** n >= 2**62 else np.int64)
    residues = _residues([Fraction(terms[m]) * math.prod(math.factorial(e) for e in m) for m in monomials], prime)
    blocks = []
    for s in range(d + 1) if order is None else [order] if 0 <= order <= d else []:
        rows, cols, where = _moment_block(n, s, d - s, d, keys)
        if (where >= 0).any():
            r, c = _pivot_rows_columns(flint.nmod_mat(residues[where].tolist(), prime))
            blocks.append((rows[r], cols[c]))
    return blocks


def _component_pivots(terms: dict, order: int | None, prime: int) -> list:
    """(rows α, columns β) of a nonsingular minor of each connected component of the sparse
    derivative matrix."""
    rows, cols, groups = _components(terms, order)
    alphas, betas = list(rows), list(cols)
    blocks = []
    for group in groups:
        block_rows = sorted({r for r, _, _ in group})
        block_cols = sorted({j for _, j, _ in group})
        where_r = {r: i for i, r in enumerate(block_rows)}
        where_c = {j: i for i, j in enumerate(block_cols)}
        matrix = flint.nmod_mat(len(block_rows), len(block_cols), prime)
        for r, j, v in group:
            matrix[where_r[r], where_c[j]] = _mod(v, prime)
        r_idx, c_idx = _pivot_rows_columns(matrix)
        blocks.append(([alphas[block_rows[i]] for i in r_idx], [betas[block_cols[i]] for i in c_idx]))
    return blocks
