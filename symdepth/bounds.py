"""Lower and upper bounds on neuron counts: the partial-derivative rank and the bound
formulas of Rolnick & Tegmark (2018), Thms 4.1–4.4 and 5.1, eqs (2)–(6).

The shallow lower bounds rest on one number: the dimension of the span of the partial
derivatives ∂^α p over all multisets α of variables (p itself included).  For a monomial
x^r it is ∏(r_i + 1).  :func:`derivative_rank` builds the coefficient matrix directly —
row α, column x^(m−α), entry c_m·∏ m_i!/(m_i−α_i)! — and splits it into the connected
components of its row/column graph before taking ranks (python-flint ``fmpq_mat`` over Q,
``nmod_mat`` over GF(p)).  Written here because no library offers this matrix; the sparse
split is what makes matrices of size ~10^4 fast, since derivatives of different monomials
rarely meet.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint
import mpmath
import numpy as np
import sympy

from .constructions import deep_monomial, deep_power_count
from .display import html_record
from .errors import BudgetError, SymdepthError
from .numbers import as_fraction, is_rational, to_sympy
from .parsing import polynomial_terms

__all__ = [
    "derivative_rank",
    "derivative_ranks",
    "ShallowLowerBound",
    "shallow_lower_bound",
    "MinimalWidth",
    "minimal_shallow_width",
    "minimal_shallow_widths",
    "search_shallow",
    "derivative_matrix_size",
    "MonomialBounds",
    "monomial_bounds",
    "SparseBound",
    "sparse_bound",
    "ProductBound",
    "product_bound",
    "eq2_neurons",
    "lagrange_widths",
    "recursion_widths",
    "DepthRule",
    "depth_rule_of_thumb",
    "DEFAULT_MAX_ENTRIES",
]

DEFAULT_MAX_ENTRIES = 5 * 10**7
# minimal_shallow_width solves one linear system per direction set, with a row per monomial of
# degree ≤ d: beyond this many rows a search of hundreds of sets takes minutes
MAX_SEARCH_EQUATIONS = 500


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
        if prime is None or prime > d:
            return sum(_homogeneous_ranks(terms, d, range(d + 1) if order is None else [order], prime,
                                          max_entries).values())
    return _component_rank(terms, order, prime, max_entries)


def _component_rank(terms: dict, order: int | None, prime: int | None, max_entries: int) -> int:
    """The general path (any polynomial): every nonzero entry of the derivative matrix, ranked
    per connected component of its row/column graph."""
    _check_budget(terms, max_entries)
    rows, cols, entries = _derivative_entries(terms, order)
    if not entries:
        return 0
    # Components of the bipartite row/column graph: rank is additive over them.
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
    rank = 0
    for group in groups.values():
        rank += _block_rank(group, prime)
    return rank


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
    if len({sum(m) for m in terms}) == 1 and (prime is None or prime > degree):
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
    rows, cols = _exponents_of_degree(n, s), _exponents_of_degree(n, t)
    weights = np.array([(d + 1) ** (n - 1 - i) for i in range(n)], dtype=keys.dtype)
    sums = (rows @ weights)[:, None] + (cols @ weights)[None, :]  # the key of α + β, by linearity
    if keys.dtype == object:
        index = {k: i for i, k in enumerate(keys)}
        where = np.vectorize(lambda k: index.get(k, -1), otypes=[np.int64])(sums)
    else:
        found = np.minimum(np.searchsorted(keys, sums), len(keys) - 1)
        where = np.where(keys[found] == sums, found, -1)
    if (where < 0).all():
        return 0
    if prime is not None:
        assert residues is not None
        return _rank_mod(where, residues, prime)[0]
    return _rank_over_q(where, moments)


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


# -- monomials ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonomialBounds:
    """Bounds for x^r (Rolnick & Tegmark 2018, Thms 4.1, 4.2, 4.4), each in its network model
    (:mod:`symdepth.models`): ``shallow`` and ``deep_upper`` are RT's bias-free layered model,
    ``shallow_output_bias`` the same with an output bias, ``thm44`` any model, and the deep
    construction's count is for the model it is built in (``deep_construction_model``)."""

    exponents: tuple
    degree: int
    shallow: int
    thm44: int
    thm44_simple: Fraction
    thm44_printed: Fraction
    deep_upper: int
    shallow_construction: int
    deep_construction: int
    shallow_output_bias: int = 0
    deep_construction_model: str = "biases+skip"

    def __repr__(self) -> str:
        return (
            f"MonomialBounds(r={self.exponents}, shallow={self.shallow} [rt], shallow_output_bias="
            f"{self.shallow_output_bias} [output-bias], thm44={self.thm44} [any model], "
            f"thm44_simple={self.thm44_simple}, deep_upper={self.deep_upper} [rt], "
            f"shallow_construction={self.shallow_construction} [rt], deep_construction={self.deep_construction} "
            f"[{self.deep_construction_model}])"
        )

    def _repr_html_(self) -> str:
        return html_record(f"Bounds for x^{self.exponents} (RT Thms 4.1, 4.2, 4.4)", [
            ("degree d", self.degree), ("one hidden layer, model rt: ∏(r_i+1)", self.shallow),
            ("one hidden layer, model output-bias: ∏(r_i+1) − 1", self.shallow_output_bias),
            ("Thm 4.4 (only σ_d ≠ 0): max coefficient", self.thm44),
            ("Thm 4.4 simple bound ∏(r_i+1)/(d+1)", self.thm44_simple),
            ("deep upper bound Σ(7⌈log2 r_i⌉+4), model rt", self.deep_upper),
            ("shallow construction (model rt)", self.shallow_construction),
            (f"deep construction (model {self.deep_construction_model})", self.deep_construction)])

    def _repr_latex_(self) -> str:
        r = ",".join(map(str, self.exponents))
        return (rf"$x^{{({r})}}:\ m_1 = {self.shallow},\ m_1^{{\sigma_d}} \ge {self.thm44},\ "
                rf"m \le {self.deep_upper}\ (\text{{construction: }} {self.deep_construction})$")


def _ceil_log2(r: int) -> int:
    return (r - 1).bit_length()


def monomial_bounds(exponents: Sequence[int]) -> MonomialBounds:
    """Every bound of the paper for the monomial x_1^r_1⋯x_n^r_n.

    * ``shallow`` = ∏(r_i+1): m_1 exactly (Thms 4.1 (i), 4.2 (i)) in RT's bias-free model;
      ``shallow_output_bias`` = ∏(r_i+1) − 1 with an output bias (:func:`shallow_lower_bound`).
    * ``thm44`` = the largest coefficient of ∏(1 + y + … + y^r_i) (Thm 4.4, only σ_d ≠ 0);
      ``thm44_simple`` = ∏(r_i+1)/(d+1), the pigeonhole bound (sub-multisets have d + 1
      possible sizes).  The paper prints ∏(r_i+1)/d (kept as ``thm44_printed``), which is
      false, e.g. for x^1: 2/1 > 1 (see ``proofs/test_rt_thm44.py``).
    * ``deep_upper`` = Σ_{r_i>0} (7⌈log2 r_i⌉ + 4) (Thm 4.1 (ii)).
    * the neuron counts of :func:`~symdepth.constructions.shallow_monomial` and
      :func:`~symdepth.constructions.deep_monomial`.

    Examples
    --------
    >>> monomial_bounds((2, 3))
    MonomialBounds(r=(2, 3), shallow=12 [rt], shallow_output_bias=11 [output-bias], thm44=3 [any model], thm44_simple=2, deep_upper=29 [rt], shallow_construction=12 [rt], deep_construction=13 [biases+skip])
    """
    r = tuple(int(e) for e in exponents)
    if not r or any(e < 0 for e in r):
        raise SymdepthError(f"exponents must be non-negative integers, got {exponents!r}")
    d = sum(r)
    shallow = math.prod(e + 1 for e in r)
    poly = flint.fmpz_poly([1])
    for e in r:
        poly *= flint.fmpz_poly([1] * (e + 1))
    thm44 = max(int(c) for c in poly.coeffs())
    used = [e for e in r if e > 0]
    deep_upper = sum(7 * _ceil_log2(e) + 4 for e in used)
    deep_construction = sum(deep_power_count(e) for e in used) + 4 * max(len(used) - 1, 0)
    return MonomialBounds(
        exponents=r,
        degree=d,
        shallow=shallow,
        thm44=thm44,
        thm44_simple=Fraction(shallow, d + 1),
        thm44_printed=Fraction(shallow, d) if d else Fraction(shallow),
        deep_upper=deep_upper,
        shallow_construction=shallow,
        deep_construction=deep_construction,
        shallow_output_bias=shallow - 1 if d else 0,
        deep_construction_model=deep_monomial(r, "exp").models[0] if used else "rt",
    )


@dataclass(frozen=True)
class SparseBound:
    """Thm 4.3 (i): m_1(p) ≥ max_j m_1(q_j)/c, next to the true derivative rank of p."""

    monomials: int
    best_monomial: tuple
    bound: Fraction
    derivative_rank: int


def sparse_bound(poly: Any, rank: int | None = None) -> SparseBound:
    """The sparse-polynomial lower bound of Thm 4.3 (i) and the derivative rank it bounds.

    ``rank``: the all-orders derivative rank of ``poly`` when already known (it is not recomputed).

    Examples
    --------
    >>> b = sparse_bound("x1^3*x2 + x2^2")
    >>> b.bound, b.derivative_rank
    (Fraction(4, 1), 8)
    """
    _, terms = polynomial_terms(poly)
    if not terms:
        raise SymdepthError("sparse_bound needs a nonzero polynomial")
    best = max(terms, key=lambda m: math.prod(e + 1 for e in m))
    c = len(terms)
    return SparseBound(
        monomials=c,
        best_monomial=best,
        bound=Fraction(math.prod(e + 1 for e in best), c),
        derivative_rank=derivative_rank(terms) if rank is None else rank,
    )


# -- one hidden layer in each network model -------------------------------------------------


@dataclass(frozen=True)
class ShallowLowerBound:
    """A proven lower bound on the neurons of one-hidden-layer networks of ``model`` with
    activation ``activation`` that Taylor-approximate ``poly`` (``value`` None: no such
    network exists), and the argument that proves it."""

    poly: str
    activation: str
    model: str
    value: int | None
    argument: str

    def __repr__(self) -> str:
        shown = "no network" if self.value is None else f">= {self.value}"
        return f"ShallowLowerBound({self.poly}, {self.activation}, model {self.model}: {shown})"

    def _repr_html_(self) -> str:
        return html_record(f"One hidden layer, model {self.model}: proven lower bound", [
            ("polynomial", self.poly), ("activation", self.activation),
            ("neurons ≥", "no network exists" if self.value is None else self.value), ("argument", self.argument)])


def _shallow_activation(activation: Any) -> Any:
    """An analytic activation; the string "generic" is a generic σ (coefficients sigma_k)."""
    from . import activations as _activations

    act = _activations.generic() if activation == "generic" else _activations.get(activation)
    act.require_analytic()
    return act


def _short_poly(variables: Sequence[str], terms: dict) -> str:
    """The polynomial as text for a record (its size, beyond 20 terms)."""
    if len(terms) > 20:
        return f"a {len(terms)}-term polynomial of degree {max(sum(m) for m in terms)} in {', '.join(variables)}"
    return sympy.sstr(sympy.Add(*[to_sympy(c) * sympy.Mul(*[sympy.Symbol(v) ** e for v, e in zip(variables, m)])
                                  for m, c in terms.items()]))


def _top_form(terms: dict) -> tuple[int, dict]:
    d = max((sum(m) for m in terms), default=0)
    return d, {m: c for m, c in terms.items() if sum(m) == d}


def _nonzero_coefficients(act: Any, d: int) -> list:
    """Which Taylor coefficients σ_0..σ_d of the activation at 0 are nonzero (a generic σ's
    are assumed nonzero: the bound then holds for every σ with σ_0⋯σ_d ≠ 0)."""
    if act.is_generic:
        return [True] * (d + 1)
    return [c != 0 for c in act.taylor_coefficients(d, 0)]


def shallow_lower_bound(poly: Any, activation: Any = "generic", model: Any = "rt") -> ShallowLowerBound:
    """A proven lower bound on one-hidden-layer neurons, Taylor approximation to degree
    d = deg p, in a network model (:mod:`symdepth.models`).  Rolnick & Tegmark's Thm 4.1
    argument, order by order.

    Proof sketch.  A network b + L·x + Σ_j w_j σ(a_j·x + c_j) has degree-s part
    Σ_j w_j σ_s(c_j) (a_j·x)^s (+ b, + L·x for s = 0, 1).

    (i) Any model: the degree-d part p_d lies in span{(a_j·x)^d}, hence every order-t
    derivative of p_d in span{(a_j·x)^(d−t)}: m ≥ max_t rank_t(p_d), the dimension of the
    order-t derivatives (for x^r, the largest coefficient of ∏(1 + … + y^r_i): Thm 4.4).

    (ii) Without hidden biases (c_j = 0), for a form p: let E = Σ_j w_j e^(a_j·x), so the
    network's degree-s part is σ_s·s!·E_s.  Call a degree s < d *constrained* when the model
    cannot supply it elsewhere (s = 0 without an output bias, s = 1 without a skip connection,
    every s ≥ 2) and σ_s ≠ 0: then E_s = 0.  Let S be the orders t whose degrees d − t … d − 1
    are all constrained.  For a basis of the order-t derivatives ∂^γ p, t ∈ S, the vectors
    v_γ = (w_j a_j^γ)_j are linearly independent: from Σ c_γ v_γ = 0 follows Σ c_γ ∂^γ E = 0,
    whose degree-(d − T) part (T the largest order with c_γ ≠ 0) is Σ_{|γ|=T} c_γ ∂^γ p/(σ_d d!)
    = 0, every other term being a derivative of some E_s = 0.  So m ≥ Σ_{t∈S} rank_t(p).
    RT's model: S = 0..d, the all-orders rank (∏(r_i+1) for x^r).  An output bias removes
    t = d (∏(r_i+1) − 1), a skip connection also t = d − 1.

    (iii) σ_d(0) = 0 without hidden biases: the degree-d part vanishes — no network; with a
    skip connection, a p of degree ≤ 1 needs no neuron.  For exp a hidden bias only rescales
    its neuron (e^(u+c) = e^c·e^u), so (ii) and (iii) hold with hidden biases too.

    Examples
    --------
    >>> [shallow_lower_bound("x1*x2", "exp", m).value for m in ("rt", "output-bias", "output-bias+skip", "biases")]
    [4, 3, 2, 3]
    >>> shallow_lower_bound("x1*x2", "generic", "biases").value    # some σ with a critical point needs only 2
    2
    >>> shallow_lower_bound("x1^2", "tanh", "output-bias")
    ShallowLowerBound(x1**2, tanh, model output-bias: no network)
    """
    from .models import get as get_model

    variables, terms = polynomial_terms(poly)
    _require_rational(terms)
    net_model = get_model(model)
    act = _shallow_activation(activation)
    shown = _short_poly(variables, terms)
    name = act.name if not act.is_generic else f"generic {act.symbol}"

    def record(value: int | None, argument: str) -> ShallowLowerBound:
        return ShallowLowerBound(shown, name, net_model.name, value, argument)

    d, top = _top_form(terms)
    if not terms:
        return record(0, "p = 0")
    if net_model.skip and d <= 1:
        return record(0 if d == 1 or net_model.output_bias else 1, "an affine p comes from the skip connection"
                      + ("" if d == 1 or net_model.output_bias else " (a constant needs a neuron)"))
    if d == 0:
        return record(0 if net_model.output_bias else 1, "a constant: the output bias" if net_model.output_bias
                      else "a constant needs a neuron without an output bias")
    nonzero = _nonzero_coefficients(act, d)
    # exp(u + c) = e^c·exp(u): a hidden bias only rescales a neuron, so it adds nothing
    free_biases = net_model.hidden_biases and act.name != "exp"
    if not free_biases and not nonzero[d]:
        return record(None, f"sigma_{d}(0) = 0 and no hidden biases: the degree-{d} part of every network vanishes")
    _, ranks = derivative_ranks(top)
    best, argument = max(ranks), f"(i) max over orders t of rank_t(p_{d}) = {max(ranks)}"
    if not free_biases and len(top) == len(terms):
        constrained = [s >= 2 or (s == 0 and not net_model.output_bias) or (s == 1 and not net_model.skip)
                       for s in range(d)]
        usable = [constrained[s] and nonzero[s] for s in range(d)]
        orders = [t for t in range(d + 1) if all(usable[s] for s in range(d - t, d))]
        total = sum(ranks[t] for t in orders)
        if total > best:
            best, argument = total, f"(ii) sum of rank_t(p) over orders t in {orders} = {total}"
    return record(best, argument)


@dataclass(frozen=True)
class MinimalWidth:
    """The proven lower bound next to the smallest verified one-hidden-layer network found.

    ``exact`` when they meet; otherwise the truth lies in [lower, upper] (``upper`` None:
    no network found within the search budget).  ``witness`` passes ``check_taylor``."""

    poly: str
    activation: str
    model: str
    lower: int | None
    upper: int | None
    witness: Any
    argument: str
    searched: int

    @property
    def exact(self) -> bool:
        return self.lower is not None and self.lower == self.upper

    def __repr__(self) -> str:
        if self.lower is None:
            shown = "no network (proven)"
        elif self.exact:
            shown = f"exactly {self.lower}"
        else:
            shown = f"in [{self.lower}, {'?' if self.upper is None else self.upper}]"
        return f"MinimalWidth({self.poly}, {self.activation}, model {self.model}: {shown})"

    def save(self, path: str) -> None:
        """Write the witness network as JSON (the CLI's network file)."""
        if self.witness is None:
            raise SymdepthError("no witness network was found; nothing to save")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(self.witness.to_json())

    def _repr_html_(self) -> str:
        return html_record(f"One hidden layer, model {self.model}", [
            ("polynomial", self.poly), ("activation", self.activation), ("proven lower bound", self.lower),
            ("verified network", self.upper), ("exact", self.exact), ("argument", self.argument)])


def minimal_shallow_width(poly: Any, activation: Any = "exp", model: Any = "output-bias", *, tries: int = 600,
                          max_width: int | None = None, seed: int = 0) -> MinimalWidth:
    """The proven lower bound (:func:`shallow_lower_bound`) and the smallest one-hidden-layer
    network of ``model`` found and verified by ``check_taylor``.

    The search goes up from the lower bound: for a width m it draws ``tries`` sets of m
    directions (small integer vectors, seeded) and, in the models with hidden biases, biases
    among 0 and the activation's rational-seed shifts; the output weights, output bias and
    skip weights are then a linear system over Q (every Taylor coefficient of degree ≤ d is
    linear in them), solved exactly.  A solution becomes a network that must pass
    ``check_taylor`` (for a generic σ the system is solved with random rational σ_k first
    and then over Q(σ_0, …, σ_d)).  Not finding a network proves nothing: the answer is then
    the interval.

    Examples
    --------
    >>> r = minimal_shallow_width("x1*x2", "exp", "output-bias")
    >>> r, r.witness.num_neurons, r.witness.models[0]
    (MinimalWidth(x1*x2, exp, model output-bias: exactly 3), 3, 'output-bias')
    """
    bound = shallow_lower_bound(poly, activation, model)
    variables, terms = polynomial_terms(poly)

    def record(upper: int | None, witness: Any, searched: int) -> MinimalWidth:
        return MinimalWidth(bound.poly, bound.activation, bound.model, bound.value, upper, witness, bound.argument,
                            searched)

    if bound.value is None:
        return record(None, None, 0)
    d = max((sum(m) for m in terms), default=0)
    equations = math.comb(len(variables) + d, d)
    if equations > MAX_SEARCH_EQUATIONS:
        raise BudgetError(
            f"the search solves systems of {equations:,} Taylor equations (monomials of degree <= {d} in "
            f"{len(variables)} variables), more than symdepth.bounds.MAX_SEARCH_EQUATIONS={MAX_SEARCH_EQUATIONS:,}; "
            "raise it (command line: --max-equations N) or drop the search (symdepth bounds without --search)"
        )
    limit = max_width if max_width is not None else max(bound.value + 4, math.prod(e + 1 for e in _degrees(terms)))
    searched = 0
    for width in range(bound.value, limit + 1):
        net, tried = search_shallow(terms, activation, model, width, tries=tries, seed=seed)
        searched += tried
        if net is not None:
            return record(net.num_neurons, net, searched)
    return record(None, None, searched)


def search_shallow(poly: Any, activation: Any, model: Any, width: int, *, tries: int = 600,
                   seed: int = 0) -> tuple:
    """(a verified network of at most ``width`` neurons in ``model``, or None; the number of
    direction sets tried): the search step of :func:`minimal_shallow_width` at one width.
    Used to try to beat a proven lower bound, which must fail.

    Examples
    --------
    >>> search_shallow("x1*x2", "exp", "output-bias", 2)[0] is None      # the bound is 3
    True
    """
    import random

    from .models import get as get_model

    act = _shallow_activation(activation)
    net_model = get_model(model)
    variables, terms = polynomial_terms(poly)
    d = max((sum(m) for m in terms), default=0)
    rng = random.Random(seed)
    tried = 0
    for directions, shifts in _candidates(_degrees(terms), width, act, net_model, d, rng, tries):
        tried += 1
        net = _solve_shallow(variables, terms, d, directions, shifts, act, net_model, rng)
        if net is not None:
            return net, tried
    return None, tried


def minimal_shallow_widths(poly: Any, activation: Any = "exp", models: Sequence[str] | None = None, *,
                           tries: int = 600, seed: int = 0) -> dict:
    """:func:`minimal_shallow_width` in several models at once (default: all), each model's
    verified network also counted for every larger model that contains it.

    Examples
    --------
    >>> widths = minimal_shallow_widths("x1^2 + x2^2", "generic", ["output-bias", "biases"])
    >>> widths["biases"].upper <= widths["output-bias"].upper
    True
    """
    from .models import MODELS
    from .models import get as get_model

    chosen = list(models) if models is not None else list(MODELS)
    found = {m: minimal_shallow_width(poly, activation, m, tries=tries, seed=seed) for m in chosen}
    for name, result in found.items():
        for other in found.values():
            smaller = get_model(other.model)
            if (other.witness is not None and other.upper is not None and get_model(name).contains(smaller)
                    and result.lower is not None and (result.upper is None or other.upper < result.upper)):
                result = dataclasses.replace(result, upper=other.upper, witness=other.witness)
        found[name] = result
    return found


def _degrees(terms: dict) -> list:
    n = len(next(iter(terms))) if terms else 0
    return [max((m[i] for m in terms), default=0) for i in range(n)]


def _candidates(degrees: Sequence[int], width: int, act: Any, net_model: Any, d: int, rng: Any, tries: int) -> Any:
    """Sets of ``width`` distinct directions (and hidden biases), most promising first: the
    box of exponent vectors 0 ≤ a ≤ deg (the directions of the Thm 4.1 construction), then the
    {0, ±1} vectors, then random ones with entries in −3..3; the zero direction (a constant
    neuron) only where no output bias can supply the constant."""
    n = len(degrees)
    keep = (lambda v: True) if not net_model.output_bias else any
    box = [v for v in itertools.product(*(range(e + 1) for e in degrees)) if keep(v)]
    small = [v for v in itertools.product((-1, 0, 1), repeat=n) if keep(v)]
    wide = [v for v in itertools.product(range(-3, 4), repeat=n) if keep(v)]
    shifts = [0]
    if net_model.hidden_biases and not act.is_generic:
        # only points where the coefficients of degree ≥ 1 are rational: the output layer is
        # solved over Q (an irrational σ(c) goes into the output bias)
        shifts += [s for s in act.shifts if all(is_rational(c) for c in act.taylor_coefficients(d, s)[1:])][:2]
    seen: set = set()
    for pool, share in ((box, tries // 3), (small, tries // 3)):
        if width > len(pool):
            continue
        subsets: Any = (itertools.combinations(pool, width) if math.comb(len(pool), width) <= share
                        else (tuple(sorted(rng.sample(pool, width))) for _ in range(share)))
        for subset in subsets:
            for shift in shifts:  # every neuron at the same point: where σ's coefficients suit
                if (subset, shift) not in seen:
                    seen.add((subset, shift))
                    yield subset, (shift,) * width
    if width <= len(wide):
        for _ in range(tries // 3):  # draws, not distinct sets: a small space repeats, never loops
            subset = tuple(sorted(rng.sample(wide, width)))
            biases = tuple(rng.choice(shifts) for _ in range(width))
            if (subset, biases) not in seen:
                seen.add((subset, biases))
                yield subset, biases


def _solve_shallow(variables: Sequence[str], terms: dict, d: int, directions: Sequence, shifts: Sequence,
                   act: Any, net_model: Any, rng: Any) -> Any:
    """The network with these directions and hidden biases whose output layer solves the
    Taylor equations, verified by check_taylor; None when the equations have no solution."""
    from .check import check_taylor
    from .network import Network

    n = len(variables)
    monomials = [m for k in range(d + 1) for m in itertools.product(range(k + 1), repeat=n) if sum(m) == k]
    coefficient: list
    if act.is_generic:  # feasibility at random rational σ_k first; solved over Q(σ) below
        values = [Fraction(rng.randint(1, 97), rng.randint(1, 97)) for _ in range(d + 1)]
        coefficient = [values for _ in shifts]
    else:
        coefficient = [list(act.taylor_coefficients(d, shift)) for shift in shifts]
    # An irrational σ(c) (softplus(0) = log 2) cannot enter an equation over Q: with an output
    # bias the constant equation is dropped and the bias set afterwards to match; without one,
    # all neurons share σ(0) and the constant equation is Σ w_j·σ(0) = p(0), i.e. Σ w_j = 0.
    irrational_constant = not all(is_rational(c[0]) for c in coefficient)
    if irrational_constant and not net_model.output_bias:
        if terms.get((0,) * n, 0) != 0:
            return None
        coefficient = [[Fraction(1), *c[1:]] for c in coefficient]
    if irrational_constant and net_model.output_bias:
        monomials = monomials[1:]
    columns = []
    for a, column_coefficients in zip(directions, coefficient):
        columns.append([column_coefficients[sum(m)] * _multinomial(m) * math.prod(x**e for x, e in zip(a, m))
                        for m in monomials])
    if net_model.output_bias:
        columns.append([1 if sum(m) == 0 else 0 for m in monomials])
    if net_model.skip:
        columns += [[1 if m == tuple(int(i == k) for i in range(n)) else 0 for m in monomials] for k in range(n)]
    rhs = [terms.get(m, 0) for m in monomials]
    solution = _exact_solution(columns, rhs)
    if solution is None:
        return None
    if act.is_generic:
        symbols = [sympy.Symbol(f"{act.symbol}_{k}") for k in range(d + 1)]
        generic_columns = [[symbols[sum(m)] * _multinomial(m) * math.prod(x**e for x, e in zip(a, m))
                            for m in monomials] for a in directions] + columns[len(directions):]
        solution = _symbolic_solution(generic_columns, rhs)
        if solution is None:
            return None
    net = Network(list(variables), act)
    output: dict = {}
    for j, (a, shift) in enumerate(zip(directions, shifts)):
        if solution[j] != 0:
            h = net.add_neuron({v: w for v, w in zip(variables, a) if w}, bias=shift)
            output[h] = solution[j]
    k = len(directions)
    bias = solution[k] if net_model.output_bias else 0
    if irrational_constant and net_model.output_bias:
        constant = sum((to_sympy(c[0]) * to_sympy(w) for c, w in zip(coefficient, solution)), sympy.Integer(0))
        bias = to_sympy(terms.get((0,) * n, 0)) - constant
    if net_model.skip:
        for i, v in enumerate(variables):
            weight = solution[k + int(net_model.output_bias) + i]
            if weight != 0:
                output[v] = weight
    net.set_output(output, bias=bias)
    result = check_taylor(net, terms, degree=d, method="exact")
    return net if result.ok else None


def _multinomial(m: Sequence[int]) -> int:
    return math.factorial(sum(m)) // math.prod(math.factorial(e) for e in m)


def _exact_solution(columns: list, rhs: list) -> list | None:
    """A solution of Σ_j x_j·columns[j] = rhs over Q (rational entries), or None."""
    rows, cols = len(rhs), len(columns)
    augmented = flint.fmpq_mat(rows, cols + 1)
    for j, column in enumerate([*columns, rhs]):
        for i, value in enumerate(column):
            q = as_fraction(value)
            augmented[i, j] = flint.fmpq(q.numerator, q.denominator)
    reduced, rank = augmented.rref()
    solution = [Fraction(0)] * cols
    for i in range(rank):
        pivot = next(j for j in range(cols + 1) if reduced[i, j] != 0)
        if pivot == cols:
            return None  # inconsistent
        value = reduced[i, cols]
        solution[pivot] = Fraction(int(value.p), int(value.q))
    return [s.numerator if s.denominator == 1 else s for s in solution]


def _symbolic_solution(columns: list, rhs: list) -> list | None:
    matrix = sympy.Matrix([[column[i] for column in columns] for i in range(len(rhs))])
    try:
        solution, free = matrix.gauss_jordan_solve(sympy.Matrix(rhs))
    except ValueError:
        return None
    solution = solution.subs({f: 0 for f in free})
    return [sympy.factor(sympy.cancel(value)) for value in solution]


# -- product of n inputs with k hidden layers -----------------------------------------------


def eq2_neurons(widths: Sequence[int]) -> int:
    """Eq. (2): Σ_i (∏_{j>i} b_j)·2^{b_i} for widths b_1..b_k.

    Examples
    --------
    >>> eq2_neurons([2, 2, 2])
    28
    """
    total = 0
    for i, b in enumerate(widths):
        total += math.prod(widths[i + 1:]) * 2**b
    return total


@functools.cache
def _best_exact(m: int, layers: int) -> tuple[int, tuple]:
    """Least Σ (values entering layer / b)·2^b over ordered factorizations m = b_1⋯b_layers."""
    if layers == 0:
        return (0, ()) if m == 1 else (None, ())  # type: ignore[return-value]
    best: tuple = (None, ())
    for b in sympy.divisors(m):
        rest_cost, rest = _best_exact(m // b, layers - 1)
        if rest_cost is None:
            continue  # exact integers throughout: 2^b overflows no float here
        cost = (m // b) * 2**b + rest_cost
        if best[0] is None or cost < best[0]:
            best = (cost, (b,) + rest)
    return best


@dataclass(frozen=True)
class ProductBound:
    """Thm 5.1 for x_1⋯x_n with k hidden layers.

    ``neurons``/``widths``: the integer optimum of eq. (2) over ordered k-tuples of positive
    integers with ∏ b_i = n (b_i = 1 allowed, charged 2 per value as eq. (2) says).
    ``lagrange``/``lagrange_widths``: the continuous optimum (real b_i > 0).
    ``closed_form``: n^((k−1)/k)·2^(n^(1/k)), the leading term at b_i = n^(1/k).
    """

    n: int
    k: int
    neurons: int
    widths: tuple
    lagrange: float
    lagrange_widths: tuple
    closed_form: float

    def _repr_html_(self) -> str:
        return html_record(f"Product x1⋯x{self.n} with {self.k} hidden layers (RT Thm 5.1, eq. (2))", [
            ("neurons (integer optimum)", self.neurons), ("widths", self.widths),
            ("Lagrange optimum", f"{self.lagrange:.4g}"),  # float: display
            ("Lagrange widths", ", ".join(f"{b:.4g}" for b in self.lagrange_widths)),
            ("n^((k−1)/k)·2^(n^(1/k))", f"{self.closed_form:.4g}")])

    def _repr_latex_(self) -> str:
        widths = ",".join(map(str, self.widths))
        return (rf"$x_1\cdots x_{{{self.n}}},\ k={self.k}:\ m = {self.neurons}\ (b = ({widths})),\ "
                rf"n^{{(k-1)/k}}2^{{n^{{1/k}}}} \approx {self.closed_form:.4g}$")


def product_bound(n: int, k: int) -> ProductBound:
    """Eq. (2) optimised exactly over integers and continuously (Lagrange), and eq. (1).

    Examples
    --------
    >>> b = product_bound(16, 2)
    >>> b.neurons, b.widths
    (80, (4, 4))
    >>> round(b.closed_form)
    64

    References
    ----------
    Rolnick & Tegmark (2018), Thm 5.1, eqs (1)–(5).
    """
    if n < 1 or k < 1:
        raise SymdepthError(f"product_bound needs n >= 1 and k >= 1, got n={n}, k={k}")
    cost, widths = _best_exact(n, k)
    lag_widths = lagrange_widths(n, k)
    lagrange = _eq2_real(lag_widths)
    closed = mpmath.mpf(n) ** (mpmath.mpf(k - 1) / k) * mpmath.power(2, mpmath.root(n, k))
    return ProductBound(
        n=n,
        k=k,
        neurons=int(cost),
        widths=widths,
        lagrange=float(lagrange),  # float: continuous optimum, reported numerically
        lagrange_widths=tuple(float(b) for b in lag_widths),  # float: numeric optimum
        closed_form=float(closed),  # float: eq. (1) is a real number
    )


def _eq2_real(widths: Sequence) -> Any:
    total = mpmath.mpf(0)
    for i, b in enumerate(widths):
        total += mpmath.fprod(widths[i + 1:]) * mpmath.power(2, b)
    return total


def lagrange_widths(n: int, k: int, dps: int = 30) -> tuple:
    """The real minimiser of eq. (2) under ∏ b_i = n, by Newton's method on the logarithms.

    Independent of recursion (5): it minimises log Σ_i (∏_{j>i} e^{y_j})·2^{e^{y_i}} over
    y_1 + … + y_k = log n directly (mpmath ``findroot`` on the gradient).

    Examples
    --------
    >>> [round(b, 4) for b in lagrange_widths(100, 2)]
    [8.6742, 11.5285]
    """
    with mpmath.workdps(dps):
        if k == 1:
            return (mpmath.mpf(n),)
        log_n = mpmath.log(n)

        def objective(*ys: Any) -> Any:
            bs = [mpmath.exp(y) for y in ys] + [mpmath.exp(log_n - mpmath.fsum(ys))]
            return mpmath.log(_eq2_real(bs))  # the log keeps the gradient's scale moderate

        def gradient(*ys: Any) -> list:
            return [mpmath.diff(lambda t, i=i: objective(*[t if j == i else y for j, y in enumerate(ys)]), ys[i])
                    for i in range(len(ys))]

        start = [log_n / k] * (k - 1)
        if k == 2:
            # one unknown: a bracketing solver on the derivative is robust where secant steps diverge
            edge = mpmath.log(mpmath.mpf(3) / 2)
            ys = [mpmath.findroot(lambda y: gradient(y)[0], (edge, log_n - edge), solver="illinois")]
        else:
            ys = mpmath.findroot(gradient, start)
        ys = [ys[i] for i in range(k - 1)] if k > 2 else ys
        bs = [mpmath.exp(y) for y in ys]
        return tuple(bs + [mpmath.mpf(n) / mpmath.fprod(bs)])


def recursion_widths(n: int, k: int, dps: int = 30) -> tuple:
    """The widths given by recursion (5), b_i = b_{i−1} + log2(b_{i−1} − 1/ln 2), with b_1
    chosen so that ∏ b_i = n.

    Examples
    --------
    >>> [round(b, 4) for b in recursion_widths(100, 2)]
    [8.6742, 11.5285]
    """
    with mpmath.workdps(dps):
        inv_ln2 = 1 / mpmath.log(2)

        def chain(b1: Any) -> list:
            bs = [b1]
            for _ in range(k - 1):
                bs.append(bs[-1] + mpmath.log(bs[-1] - inv_ln2, 2))
            return bs

        b1 = mpmath.findroot(lambda b: mpmath.log(mpmath.fprod(chain(b))) - mpmath.log(n), mpmath.root(n, k))
        return tuple(chain(b1))


@dataclass(frozen=True)
class DepthRule:
    """The rule of thumb after Conj. 5.2: with layers of width ≤ W = 2^w, eq. (6) asks
    n^(1/k) ≤ w, i.e. k ≥ log n / log w (for W = 2^10: k ≥ log10 n)."""

    n: int
    max_width: int
    min_layers: int
    log10_n: float


def depth_rule_of_thumb(n: int, max_width: int = 2**10) -> DepthRule:
    """Least k with 2^(n^(1/k)) ≤ max_width (eq. (6) read as a width budget), decided exactly
    as n ≤ (log2 max_width)^k when max_width is a power of two.

    Examples
    --------
    >>> depth_rule_of_thumb(1000).min_layers, depth_rule_of_thumb(1001).min_layers
    (3, 4)
    """
    if n < 1 or max_width < 2:
        raise SymdepthError("depth_rule_of_thumb needs n >= 1 and max_width >= 2")
    if max_width & (max_width - 1) == 0:
        w = max_width.bit_length() - 1
        k = 1
        while w**k < n:
            k += 1
    else:
        w_real = mpmath.log(max_width, 2)
        k = 1
        while w_real**k < n:
            k += 1
    return DepthRule(n=n, max_width=max_width, min_layers=k,
                     log10_n=float(mpmath.log10(n)))  # float: displayed alongside the exact k
