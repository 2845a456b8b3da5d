"""The papers' closed-form bounds for monomials and sparse polynomials: Rolnick & Tegmark
(2018), Thms 4.1, 4.2, 4.4 (:func:`monomial_bounds`) and Thm 4.3 (:func:`sparse_bound`),
next to the neuron counts of the constructions that meet them."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import flint

from ..constructions import deep_monomial, deep_power_count
from ..display import html_record
from ..errors import SymdepthError
from ..parsing import polynomial_terms
from .rank import derivative_rank

__all__ = ["MonomialBounds", "monomial_bounds", "SparseBound", "sparse_bound"]


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
