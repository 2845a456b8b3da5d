"""Proven lower bounds on one-hidden-layer networks in each network model
(:mod:`symdepth.models`): Rolnick & Tegmark's Thm 4.1 argument, order by order, with the
argument that proves each bound (:func:`shallow_lower_bound`)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sympy

from ..certificates import document, recorded, terms_json
from ..display import html_record
from ..numbers import to_sympy
from ..parsing import polynomial_terms
from .rank import _require_rational, derivative_ranks, rank_minor

__all__ = ["ShallowLowerBound", "shallow_lower_bound"]


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
    # the evidence: which argument ("trivial", "i", "ii", "iii"), its orders and their ranks,
    # and the polynomial and activation it is about
    kind: str = dataclasses.field(default="", repr=False)
    orders: tuple = dataclasses.field(default=(), repr=False)
    ranks: tuple = dataclasses.field(default=(), repr=False)
    _terms: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)
    _activation: Any = dataclasses.field(default=None, repr=False, compare=False)

    def certificate(self) -> dict:
        """The evidence for ``certcheck`` (kind ``shallow``): the polynomial, activation, model and
        value, the argument and its orders, and a nonsingular minor per order showing each rank.

        Examples
        --------
        >>> cert = shallow_lower_bound("x1*x2", "exp", "rt").certificate()
        >>> cert["kind"], cert["value"], cert["argument"], cert["orders"]
        ('shallow', 4, 'ii', [0, 1, 2])
        """
        terms = self._terms
        d = max((sum(m) for m in terms), default=0)
        evidence = {m: c for m, c in terms.items() if sum(m) == d} if self.kind == "i" else terms
        minors = [rank_minor(evidence, t, r) for t, r in zip(self.orders, self.ranks)]
        verdict = "no network exists" if self.value is None else f"at least {self.value} neurons are needed"
        return document("shallow", f"one hidden layer of model {self.model} with {self.activation}: {verdict} "
                        f"to Taylor-approximate {self.poly} (Rolnick & Tegmark, Thm 4.1 argument)",
                        polynomial=terms_json(terms), activation=self._activation.to_json(), model=self.model,
                        value=self.value, argument=self.kind, orders=list(self.orders), minors=minors)

    def __repr__(self) -> str:
        shown = "no network" if self.value is None else f">= {self.value}"
        return f"ShallowLowerBound({self.poly}, {self.activation}, model {self.model}: {shown})"

    def _repr_html_(self) -> str:
        return html_record(f"One hidden layer, model {self.model}: proven lower bound", [
            ("polynomial", self.poly), ("activation", self.activation),
            ("neurons ≥", "no network exists" if self.value is None else self.value), ("argument", self.argument)])


def _shallow_activation(activation: Any) -> Any:
    """An analytic activation; the string "generic" is a generic σ (coefficients sigma_k)."""
    from .. import activations as _activations

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


@recorded(lambda result, *args, **kwargs: result.certificate())
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
    from ..models import get as get_model

    variables, terms = polynomial_terms(poly)
    _require_rational(terms)
    net_model = get_model(model)
    act = _shallow_activation(activation)
    shown = _short_poly(variables, terms)
    name = act.name if not act.is_generic else f"generic {act.symbol}"

    def record(value: int | None, argument: str, kind: str = "trivial", orders: Sequence[int] = (),
               ranks: Sequence[int] = ()) -> ShallowLowerBound:
        return ShallowLowerBound(shown, name, net_model.name, value, argument, kind, tuple(orders), tuple(ranks),
                                 terms, act)

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
        return record(None, f"sigma_{d}(0) = 0 and no hidden biases: the degree-{d} part of every network vanishes",
                      "iii")
    _, ranks = derivative_ranks(top)
    best, argument = max(ranks), f"(i) max over orders t of rank_t(p_{d}) = {max(ranks)}"
    evidence = ("i", [ranks.index(best)], [best])
    if not free_biases and len(top) == len(terms):
        constrained = [s >= 2 or (s == 0 and not net_model.output_bias) or (s == 1 and not net_model.skip)
                       for s in range(d)]
        usable = [constrained[s] and nonzero[s] for s in range(d)]
        orders = [t for t in range(d + 1) if all(usable[s] for s in range(d - t, d))]
        total = sum(ranks[t] for t in orders)
        if total > best:
            best, argument = total, f"(ii) sum of rank_t(p) over orders t in {orders} = {total}"
            evidence = ("ii", orders, [ranks[t] for t in orders])
    return record(best, argument, *evidence)
