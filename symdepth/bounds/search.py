"""Minimal one-hidden-layer widths: the proven lower bound (:mod:`.shallow`) next to the
smallest network a seeded search finds and ``check_taylor`` verifies (the witness).

The output layer of a candidate is a linear system over Q (every Taylor coefficient of
degree ≤ d is linear in the output weights, output bias and skip weights), solved exactly
with python-flint; for a generic σ it is solved again over Q(σ_0, …, σ_d) with sympy.
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
import sympy

from ..certificates import document, recorded
from ..display import html_record, neuron_lines
from ..errors import BudgetError, SymdepthError
from ..numbers import as_fraction, is_rational, to_sympy
from ..parsing import polynomial_terms
from .shallow import _shallow_activation, shallow_lower_bound

__all__ = ["MinimalWidth", "minimal_shallow_width", "minimal_shallow_widths", "search_shallow",
           "MAX_SEARCH_EQUATIONS"]

# minimal_shallow_width solves one linear system per direction set, with a row per monomial of
# degree ≤ d: beyond this many rows a search of hundreds of sets takes minutes
MAX_SEARCH_EQUATIONS = 500


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
    _bound: Any = dataclasses.field(default=None, repr=False, compare=False)  # the ShallowLowerBound

    def certificate(self) -> dict:
        """The evidence for ``certcheck`` (kind ``minimal``): the lower bound's certificate and,
        when a network was found, the witness — the network with its Taylor certificate; the
        checker verifies both and that they meet when the width is called exact.

        Examples
        --------
        >>> cert = minimal_shallow_width("x1*x2", "exp", "output-bias").certificate()
        >>> cert["lower"]["value"], cert["upper"]["neurons"]
        (3, 3)
        """
        from ..check import check_taylor

        upper = None
        if self.witness is not None:
            taylor = check_taylor(self.witness, self._bound._terms, method="exact").certificate()
            upper = document("witness", f"a verified network of model {self.model} with {self.upper} neurons",
                             model=self.model, neurons=self.witness.num_neurons, taylor=taylor)
        shown = "no network (proven)" if self.lower is None else (
            f"exactly {self.lower}" if self.exact else f"in [{self.lower}, {self.upper or '?'}]")
        return document("minimal", f"the fewest one-hidden-layer neurons of model {self.model} with {self.activation} "
                        f"that Taylor-approximate {self.poly}: {shown}", model=self.model, exact=self.exact,
                        lower=self._bound.certificate(), upper=upper)

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
            ("verified network", self.upper), ("exact", self.exact), ("argument", self.argument),
            ("witness", "; ".join(neuron_lines(self.witness)) if self.witness is not None else "none")])


@recorded(lambda result, *args, **kwargs: result.certificate())
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
                            searched, bound)

    if bound.value is None:
        return record(None, None, 0)
    d = max((sum(m) for m in terms), default=0)
    equations = math.comb(len(variables) + d, d)
    if equations > MAX_SEARCH_EQUATIONS:
        raise BudgetError(
            f"the search solves systems of {equations:,} Taylor equations (monomials of degree <= {d} in "
            f"{len(variables)} variables), more than symdepth.bounds.search.MAX_SEARCH_EQUATIONS={MAX_SEARCH_EQUATIONS:,}; "
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

    from ..models import get as get_model

    act = _shallow_activation(activation)
    net_model = get_model(model)
    variables, terms = polynomial_terms(poly)
    d = max((sum(m) for m in terms), default=0)
    rng = random.Random(seed)
    equations = _equations(tuple(variables), tuple(sorted(terms.items())), d)
    tried = 0
    for directions, shifts in _candidates(_degrees(terms), width, act, net_model, d, rng, tries):
        tried += 1
        net = _solve_shallow(equations, directions, shifts, act, net_model, rng)
        if net is not None:
            return net, tried
    return None, tried


@recorded(lambda found, *args, **kwargs: [result.certificate() for result in found.values()])
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
    from ..models import MODELS
    from ..models import get as get_model

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


# the search's filter: a direction set whose equations are inconsistent mod this prime is
# skipped before the exact solve (a false skip needs the prime to divide a nonzero minor)
_FILTER_PRIME = 2**61 - 1


class _Equations:
    """The Taylor equations of one search: monomials of degree ≤ d (constant first) and the
    claim's coefficients.  A neuron with direction a and Taylor coefficients c_k at its
    expansion point contributes the column c_|m|·multinomial(m)·a^m; the integer part
    multinomial(m)·a^m is computed once per direction, since the direction sets of a search
    share their directions."""

    def __init__(self, variables: Sequence[str], terms: dict, d: int) -> None:
        n = len(variables)
        self.variables, self.terms, self.d = tuple(variables), terms, d
        self.monomials = [m for k in range(d + 1) for m in itertools.product(range(k + 1), repeat=n) if sum(m) == k]
        self.degrees = [sum(m) for m in self.monomials]
        self.rhs = [terms.get(m, 0) for m in self.monomials]
        self.rhs_residues = [_residue(v) for v in self.rhs]
        self._bases: dict = {}
        self._residues: dict = {}
        self._fixed: dict = {}

    def base(self, direction: tuple) -> list:
        found = self._bases.get(direction)
        if found is None:
            found = self._bases[direction] = [_multinomial(m) * math.prod(x**e for x, e in zip(direction, m))
                                              for m in self.monomials]
        return found

    def column(self, direction: tuple, coefficients: Sequence) -> list:
        """The exact column of a neuron with this direction and these Taylor coefficients."""
        return [coefficients[k] * b for k, b in zip(self.degrees, self.base(direction))]

    def residues(self, direction: tuple, coefficients: Sequence, first: int) -> list:
        """The column mod the filter prime, from equation ``first`` on (an irrational constant
        coefficient lies in the dropped equation 0)."""
        scaled = tuple(_residue(c) if k >= first else 0 for k, c in enumerate(coefficients))
        key = (direction, scaled, first)
        found = self._residues.get(key)
        if found is None:
            found = self._residues[key] = [scaled[k] * b % _FILTER_PRIME for k, b in
                                           zip(self.degrees[first:], self.base(direction)[first:])]
        return found


    def fixed(self, output_bias: bool, skip: bool, first: int) -> list:
        """The columns of the output bias (the constant equation) and of the skip connections
        (x_k's equation), from equation ``first`` on."""
        key = (output_bias, skip, first)
        if key not in self._fixed:
            monomials = self.monomials[first:]
            columns = [[int(sum(m) == 0) for m in monomials]] if output_bias else []
            n = len(self.variables)
            if skip:
                columns += [[int(m == tuple(int(i == k) for i in range(n))) for m in monomials] for k in range(n)]
            self._fixed[key] = columns
        return self._fixed[key]


@functools.lru_cache(maxsize=8)
def _equations(variables: tuple, items: tuple, d: int) -> _Equations:
    """The equations of a polynomial (its sorted terms), shared by the searches at every width
    and in every model."""
    return _Equations(variables, dict(items), d)


@functools.lru_cache(maxsize=4096)
def _residue(value: Any) -> int:
    q = as_fraction(value)
    return q.numerator * pow(q.denominator, -1, _FILTER_PRIME) % _FILTER_PRIME


def _consistent_mod_p(columns: list, rhs: list) -> bool:
    """Whether Σ_j x_j·columns[j] = rhs (residues) has a solution mod the filter prime: the
    reduced augmented matrix has no pivot in its last column."""
    augmented = flint.nmod_mat([list(row) for row in zip(*columns, rhs)], _FILTER_PRIME)
    reduced, rank = augmented.rref()
    if rank == 0:
        return True
    last = len(columns)
    return any(int(reduced[rank - 1, j]) for j in range(last))


def _solve_shallow(equations: _Equations, directions: Sequence, shifts: Sequence, act: Any, net_model: Any,
                   rng: Any) -> Any:
    """The network with these directions and hidden biases whose output layer solves the
    Taylor equations, verified by check_taylor; None when the equations have no solution."""
    from ..check import check_taylor
    from ..network import Network

    variables, terms, d = equations.variables, equations.terms, equations.d
    n = len(variables)
    coefficient: list
    if act.is_generic:  # feasibility at random rational σ_k first; solved over Q(σ) below
        values = tuple(Fraction(rng.randint(1, 97), rng.randint(1, 97)) for _ in range(d + 1))
        coefficient = [values for _ in shifts]
    else:
        coefficient = [tuple(act.taylor_coefficients(d, shift)) for shift in shifts]
    # An irrational σ(c) (softplus(0) = log 2) cannot enter an equation over Q: with an output
    # bias the constant equation is dropped and the bias set afterwards to match; without one,
    # all neurons share σ(0) and the constant equation is Σ w_j·σ(0) = p(0), i.e. Σ w_j = 0.
    irrational_constant = not all(is_rational(c[0]) for c in coefficient)
    if irrational_constant and not net_model.output_bias:
        if terms.get((0,) * n, 0) != 0:
            return None
        coefficient = [(Fraction(1), *c[1:]) for c in coefficient]
    first = 1 if irrational_constant and net_model.output_bias else 0  # the constant equation dropped
    monomials = equations.monomials[first:]
    fixed = equations.fixed(net_model.output_bias, net_model.skip, first)
    residues = [equations.residues(tuple(a), c, first) for a, c in zip(directions, coefficient)]
    if not _consistent_mod_p(residues + fixed, equations.rhs_residues[first:]):
        return None
    rhs = equations.rhs[first:]
    columns = [equations.column(tuple(a), c)[first:] for a, c in zip(directions, coefficient)] + fixed
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
