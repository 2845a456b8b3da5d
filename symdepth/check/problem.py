"""The front door of a Taylor check: validate and parse the network and the claim once
(:class:`_Problem`), estimate both methods' cost and pick one for ``method="auto"``."""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from ..errors import BudgetError, NotAnalyticError, ParseError, SymdepthError
from ..numbers import Exact, is_rational, to_sympy
from ..parsing import polynomial_terms, terms_to_sympy
from .record import Mismatch, TaylorCheck, generic_stems
from .values import _difference

__all__ = ["estimated_seconds", "DEFAULT_MAX_MONOMIALS", "DEFAULT_MAX_DEGREE"]

DEFAULT_MAX_MONOMIALS = 10**7
# Both methods hold a length-(d+1) series per neuron: degree 2^20 is seconds at random,
# degree 10^10 would be terabytes.
DEFAULT_MAX_DEGREE = 2**20
# method="auto" keeps the exact method (a proof with no error term, and the Taylor polynomial
# itself) while its estimated time is below this, or below the randomized method's.
AUTO_EXACT_SECONDS = 1.0


@dataclass(frozen=True)
class _Problem:
    """A parsed Taylor check: what both methods need, computed once by the front door."""

    net: Any
    method: str
    degree: int
    variables: tuple
    claim: dict                  # exponent tuple -> coefficient (shifted when ``at`` is given)
    values: dict                 # node -> (pre, post) at the expansion point
    weights: list
    seeds: list                  # the activations' Taylor constants at their expansion points
    started: float
    claim_in_x: dict             # the claim as given, in the inputs (before the shift to ``point``)
    point: tuple | None          # the expansion point (None: the origin)
    method_reason: str = ""

    @property
    def monomials(self) -> int:
        return math.comb(len(self.variables) + self.degree, len(self.variables))

    @property
    def claim_nonconstant(self) -> list:
        return [c for m, c in self.claim.items() if any(m)]

    @property
    def rational(self) -> bool:
        """Everything the coefficients are made of is rational (the randomized method's condition)."""
        return all(is_rational(v) for v in (*self.weights, *self.seeds, *self.claim_nonconstant))

    @property
    def constant_mismatch(self) -> Mismatch | None:
        """The constant terms are compared exactly, outside any coefficient ring."""
        network, claimed = self.values[self.net.output][0], self.claim.get((0,) * len(self.variables), 0)
        return (Mismatch("1", network, claimed, (0,) * len(self.variables))
                if _difference(network, claimed) != 0 else None)

    def record(self, **fields: Any) -> TaylorCheck:
        first = fields.get("first_mismatch")
        # a vanishing σ_k can only explain a term the network lacks (network 0, claimed not),
        # of degree k or more; an extra or wrong term has another cause
        if not fields["ok"] and first is not None and _difference(first.network, 0) == 0:
            degree = self.degree if first.exponents is None else sum(first.exponents)
            fields["hint"] = _vanishing_hint(self.net, self.values, degree)
        if not fields["ok"] and not fields.get("hint"):
            fields["hint"] = _generic_symbols_hint(self.net, self.claim)
        return TaylorCheck(degree=self.degree, num_neurons=self.net.num_neurons, depth=self.net.depth,
                           method_reason=self.method_reason, model=self.net.models[0],
                           variables=self.variables, assumptions=_assumptions(self.net, self.weights),
                           _claim_terms=self.claim, _source=(self.net, self.claim_in_x, self.point, self.values),
                           seconds=time.perf_counter() - self.started, **fields)


def _problem(net: Any, poly: Any, degree: int | None, method: str, at: Sequence[object] | None,
             max_degree: int = DEFAULT_MAX_DEGREE) -> _Problem:
    """Validate and parse a check; pick the method for ``method="auto"``."""
    started = time.perf_counter()
    net.validate()
    for node in net.neurons:
        act = net.graph.nodes[node]["activation"]
        if not act.is_analytic:
            raise NotAnalyticError(
                f"neuron {node!r} uses {act.name!r}, which is piecewise linear and has no Taylor expansion; "
                "Taylor checks need analytic activations (use symdepth.piecewise for ReLU networks)"
            )
    if method not in ("auto", "exact", "random"):
        raise SymdepthError(f"method must be 'auto', 'exact' or 'random', got {method!r}")
    try:
        variables, claim = polynomial_terms(poly, net.inputs)
    except ParseError as err:
        raise ParseError(f"claimed polynomial: {err}") from None
    if degree is None:
        degree = max((sum(m) for m in claim), default=0)
    if not isinstance(degree, int) or isinstance(degree, bool) or degree < 0:
        raise SymdepthError(f"degree must be a non-negative integer, got {degree!r}")
    if degree > max_degree:
        raise BudgetError(f"a check to degree {degree:,} holds a series of {degree + 1:,} coefficients per neuron, more "
                          f"than max_degree={max_degree:,} allows; raise max_degree (command line: --max-degree N)")
    too_high = [m for m in claim if sum(m) > degree]
    if too_high:
        raise SymdepthError(f"the claim has a term of degree {sum(too_high[0])} above the requested degree {degree}")
    values = net.node_values(at)
    claim_in_x, point = claim, None
    if at is not None:
        point = tuple(values[v][0] for v in variables)
        claim = _shift(variables, claim, list(point))
    weights = [w for _, _, w in net.graph.edges(data="weight")]
    seeds = []
    for node in net.neurons:
        seeds.extend(net.graph.nodes[node]["activation"].seeds(values[node][0], degree))
    _require_known_symbols(net, variables, claim, [*weights, *seeds, *(net.graph.nodes[v]["bias"] for v in net.neurons)])
    problem = _Problem(net, method, degree, tuple(variables), claim, values, weights, seeds, started, claim_in_x,
                       point)
    if method == "auto":
        method, reason = _auto_method(problem)
        problem = dataclasses.replace(problem, method=method, method_reason=reason)
    return problem


def estimated_seconds(neurons: int, inputs: int, degree: int, repetitions: int = 2) -> tuple[float, float]:
    """Rough times (exact, randomized) of a check on this machine class, for ``method="auto"``.

    The exact method multiplies series whose rational coefficients grow with the degree:
    about N·d^2.5 operations for one input and N·M² for M monomials of degree ≤ d in several
    (measured on exp and sigmoid networks, 2 cores; generous for exp, whose coefficients stay
    small).  The randomized one does N·d·log d word operations per repetition.

    Examples
    --------
    >>> exact, random = estimated_seconds(4, 2, 200)   # a two-input sigmoid net at degree 200
    >>> exact > 10 > 1 > random
    True
    """
    monomials = math.comb(inputs + degree, inputs)
    exact = 2e-8 * neurons * (degree**2.5 if inputs == 1 else monomials**2)
    randomized = 3e-7 * neurons * repetitions * (degree + 1) * math.log2(degree + 2)
    return exact, randomized


def _auto_method(problem: _Problem) -> tuple[str, str]:
    if not problem.rational:
        return "exact", "auto: symbolic or transcendental coefficients, which only the exact method handles"
    exact, randomized = estimated_seconds(problem.net.num_neurons, len(problem.variables), problem.degree)
    if exact <= AUTO_EXACT_SECONDS or exact <= randomized:
        return "exact", f"auto: exact estimated at {exact:.2g} s"
    return "random", f"auto: exact estimated at {exact:.2g} s, randomized at {randomized:.2g} s"


def _vanishing_hint(net: Any, values: dict, degree: int) -> str:
    """Why a construction may give 0 where a term was expected: neurons whose activation has a
    vanishing Taylor coefficient of order 2..min(d, 4) at its expansion point (sigmoid and tanh
    at 0, where σ'' = 0, make a square gate vanish)."""
    found: dict = {}
    first_zero: dict = {}  # (activation, point) -> first vanishing order, computed once per pair
    for node in net.neurons:
        act, point = net.graph.nodes[node]["activation"], values[node][0]
        if act.is_generic or act.name == "polynomial":
            continue
        key = (act.name, sympy.sstr(to_sympy(point)))
        if key not in first_zero:
            coefficients = act.taylor_coefficients(min(degree, 4), point)
            first_zero[key] = next((k for k in range(2, len(coefficients)) if coefficients[k] == 0), None)
        if first_zero[key] is not None:
            found.setdefault((*key, first_zero[key]), []).append(str(node))
    if not found:
        return ""
    (name, point, k), nodes = next(iter(found.items()))
    shown = ", ".join(nodes[:4]) + (", ..." if len(nodes) > 4 else "")
    return (f"{name} has Taylor coefficient sigma_{k} = 0 at {point}, where neurons {shown} are expanded: gates that "
            f"need it vanish there. Shift the bias to a point where it is nonzero "
            f"(symdepth.activations.expansion_point; the README's tanh example)")


def _generic_symbols_hint(net: Any, claim: dict) -> str:
    """A failed claim written in a generic σ's symbols: what sigma_k means (its k-th Taylor
    coefficient, which users often take for the k-th derivative)."""
    used = {str(s) for c in claim.values() if not is_rational(c) for s in to_sympy(c).free_symbols}
    # sigma_0 and sigma_1 equal σ(0) and σ'(0): the k! matters from k = 2 on
    stems = [stem for stem in generic_stems(net)
             if any(u.startswith(f"{stem}_") and u[len(stem) + 1:].isdigit() and int(u[len(stem) + 1:]) >= 2
                    for u in used)]
    if not stems:
        return ""
    s = stems[0]
    return (f"in the claim, {s}_k is the k-th Taylor coefficient {s}^(k)(0)/k! of the generic activation, not its "
            f"k-th derivative: {s}'' at 0 is 2*{s}_2, {s}''' at 0 is 6*{s}_3")


def _require_known_symbols(net: Any, variables: Sequence[str], claim: dict, network_values: Sequence) -> None:
    """A symbol in the claim's coefficients must be one the network has (a symbolic weight,
    a generic σ's coefficient): anything else is a variable the user meant as an input."""
    known = set()
    for value in network_values:
        if not is_rational(value):
            known |= {str(s) for s in to_sympy(value).free_symbols}
    for coefficient in claim.values():
        if is_rational(coefficient):
            continue
        unknown = sorted(str(s) for s in to_sympy(coefficient).free_symbols if str(s) not in known)
        if unknown:
            raise ParseError(
                f"the claim uses {unknown[0]!r}, which is neither an input of the network ({', '.join(variables)}) "
                "nor a symbol of its weights or activations; write the claim in the network's input names"
            )


def _stage(progress: Callable[[str, int, int], None] | None, stage: str) -> Callable[[int, int], None] | None:
    if progress is None:
        return None
    return lambda done, total: progress(stage, done, total)


def _shift(variables: Sequence[str], claim: dict, point: Sequence[Exact]) -> dict:
    """Coefficients of claim(point + y) in y."""
    expr = terms_to_sympy(variables, claim)
    syms = [sympy.Symbol(v) for v in variables]
    shifted = sympy.expand(expr.xreplace({s: s + to_sympy(a) for s, a in zip(syms, point)}))
    return polynomial_terms(shifted, variables)[1] if shifted != 0 else {}


def _assumptions(net: Any, weights: Sequence[Exact]) -> tuple[str, ...]:
    """Nonvanishing conditions under which a symbolic verdict holds: the net's own, plus the
    factors of every weight's denominator that involve symbols."""
    found = list(net.assumptions)
    factors = set()
    for w in weights:
        if not is_rational(w):
            _, den = sympy.fraction(sympy.together(to_sympy(w)))
            for f in sympy.factor_list(den)[1]:
                if f[0].free_symbols:
                    factors.add(f[0])
    for f in sorted(factors, key=sympy.default_sort_key):
        text = f"{f} != 0"
        if text not in found:
            found.append(text)
    return tuple(found)
