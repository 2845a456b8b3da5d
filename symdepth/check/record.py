"""The result record of a Taylor check (:class:`TaylorCheck`) and of a mismatch."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass

import sympy

from ..certificates import NotCertifiable, document, terms_json
from ..display import html_record
from ..numbers import Exact, is_rational, json_number
from ..parsing import terms_to_sympy
from .values import _difference

__all__ = ["TaylorCheck", "Mismatch"]


@dataclass(frozen=True)
class Mismatch:
    """A monomial (or, for the randomized check, a homogeneous degree) where network and
    claim differ, with both coefficients."""

    monomial: str
    network: Exact
    claimed: Exact
    exponents: tuple | None = None   # the monomial's exponents (None: a degree on a random line)

    def __repr__(self) -> str:
        return f"Mismatch({self.monomial}: network {self.network}, claimed {self.claimed})"


@dataclass(frozen=True)
class TaylorCheck:
    """The result of :func:`check_taylor`.  ``bool(result)`` is ``result.ok``."""

    ok: bool
    degree: int
    method: str
    field: str
    num_neurons: int
    depth: int
    seconds: float
    error_probability: float | None   # a randomized "holds" only; None where the verdict is certain
    seed: int | None
    first_mismatch: Mismatch | None
    assumptions: tuple[str, ...]
    variables: tuple[str, ...]
    mismatches: int = 0
    method_reason: str = ""      # why method="auto" chose the method ("" when it was asked for)
    hint: str = ""               # for a failed check: activations whose low coefficients vanish where expanded
    model: str = ""              # the smallest network model (symdepth.models) the network belongs to
    _taylor_terms: dict | None = dataclasses.field(default=None, repr=False, compare=False)
    _claim_terms: dict = dataclasses.field(default_factory=dict, repr=False, compare=False)
    _source: tuple = dataclasses.field(default=(), repr=False, compare=False)  # (network, claim in x, point, values)

    def __bool__(self) -> bool:
        return self.ok

    @property
    def taylor(self) -> sympy.Expr | None:
        """The network's degree-d Taylor polynomial (None for the randomized check)."""
        if self._taylor_terms is None:
            return None
        return terms_to_sympy(self.variables, self._taylor_terms)

    @property
    def claim(self) -> sympy.Expr:
        return terms_to_sympy(self.variables, self._claim_terms)

    @property
    def residual(self) -> sympy.Expr | None:
        """taylor − claim (None for the randomized check)."""
        if self._taylor_terms is None:
            return None
        keys = set(self._taylor_terms) | set(self._claim_terms)
        diff = {}
        for k in keys:
            d = _difference(self._taylor_terms.get(k, 0), self._claim_terms.get(k, 0))
            if d != 0:
                diff[k] = d
        return terms_to_sympy(self.variables, diff)

    def to_dict(self) -> dict:
        """The result as plain JSON data (``symdepth check --json``): verdict, method, seed,
        error bound, field, assumptions, first mismatch; exact numbers as strings.

        Examples
        --------
        >>> r = check_taylor(constructions.deep_power(2, "exp"), "x1^2 + x1")
        >>> d = r.to_dict()
        >>> d["verdict"], d["method"], d["first_mismatch"]
        ('fails', 'exact', {'monomial': 'x1', 'network': '0', 'claimed': '1'})
        """
        mismatch = self.first_mismatch
        return {
            "verdict": "holds" if self.ok else "fails", "claim": sympy.sstr(self.claim), "degree": self.degree,
            "method": self.method, "method_reason": self.method_reason, "field": self.field, "seed": self.seed,
            "error_probability": self.error_probability, "assumptions": list(self.assumptions),
            "first_mismatch": None if mismatch is None else {
                "monomial": str(mismatch.monomial), "network": sympy.sstr(mismatch.network),
                "claimed": sympy.sstr(mismatch.claimed)},
            "mismatches": self.mismatches, "hint": self.hint, "neurons": self.num_neurons, "depth": self.depth,
            "model": self.model,
            "variables": list(self.variables), "seconds": round(self.seconds, 3),
            "taylor": None if self.taylor is None else sympy.sstr(self.taylor),
        }

    def certificate(self) -> dict:
        """The evidence of this verdict for ``certcheck`` (kind ``taylor``): the network, the
        claim, the degree and the point, and for a failure the first mismatching monomial
        with both coefficients; the checker recomputes the truncated series itself.

        Raises
        ------
        NotCertifiable
            A randomized check (its verdict has an error probability, not a proof), a
            network whose numbers lie outside the checker's grammar, or a check beyond the
            checker's budget (``certcheck.taylor.MAX_WORK``: neurons × monomials).

        Examples
        --------
        >>> cert = check_taylor(constructions.deep_power(2, "exp"), "x1^2").certificate()
        >>> cert["kind"], cert["verdict"], cert["degree"]
        ('taylor', 'holds', 2)
        """
        if self.method != "exact":
            raise NotCertifiable("a randomized check bounds its error probability and proves nothing a checker "
                                 "could re-check; use method='exact'")
        net, claim, point, values = self._source
        from certcheck.taylor import MAX_WORK

        work = (net.num_neurons + 1) * math.comb(net.num_inputs + self.degree, self.degree)
        if work > MAX_WORK:
            raise NotCertifiable(f"{net.num_neurons} neurons in {net.num_inputs} variables to degree {self.degree}: "
                                 f"{work:,} neuron-monomials, above the checker's budget of {MAX_WORK:,}")
        if point is not None and not all(is_rational(p) for p in point):
            raise NotCertifiable("the expansion point is irrational; the checker expands about rational points")
        if point is not None:
            # exp(c) is a formal atom of the checker's ring; other activations need a rational value there
            irrational = [v for v in net.neurons if not is_rational(values[v][1])
                          and net.graph.nodes[v]["activation"].name != "exp"]
            if irrational:
                raise NotCertifiable(f"neuron {irrational[0]!r} has the irrational value {values[irrational[0]][1]} at "
                                     "the point; the checker expands activations other than exp where their value "
                                     "is rational")
        symbolic = [a for a in self.assumptions if not a[:-5].strip().isidentifier()]
        if symbolic:
            raise NotCertifiable(f"the verdict assumes {symbolic[0]}; the checker divides by single symbols only")
        network = json.loads(net.to_json())
        if self.assumptions:
            network["assumptions"] = list(self.assumptions)
        fields: dict = {"network": network, "claim": terms_json(claim), "degree": self.degree,
                        "point": None if point is None else [json_number(p) for p in point],
                        "verdict": "holds" if self.ok else "fails"}
        if not self.ok:
            m = self.first_mismatch
            assert m is not None and m.exponents is not None
            fields["mismatch"] = {"monomial": list(m.exponents), "network": json_number(m.network),
                                  "claimed": json_number(m.claimed)}
        where = "" if point is None else f" about {tuple(str(p) for p in point)}"
        verb = "Taylor-approximates" if self.ok else "does not Taylor-approximate"
        return document("taylor", f"the network {verb} {sympy.sstr(self.claim)} to degree {self.degree}{where} "
                        "(Rolnick & Tegmark, Def. 3.2)", **fields)

    def __repr__(self) -> str:
        verdict = "holds" if self.ok else "fails"
        parts = [
            f"TaylorCheck({verdict}",
            f"degree={self.degree}",
            f"method={self.method!r}",
            f"field={self.field}",
            f"neurons={self.num_neurons}",
            f"depth={self.depth}",
        ]
        if self.error_probability is not None:
            parts.append(f"error_probability<={self.error_probability:.3g}")
        if self.method == "random":
            parts.append(f"seed={self.seed}")
        if self.first_mismatch is not None:
            parts.append(f"first_mismatch={self.first_mismatch!r}")
        if self.assumptions:
            parts.append("assuming " + ", ".join(self.assumptions))
        stems = generic_stems(self._source[0]) if self._source else ()
        if stems:
            parts.append("where " + ", ".join(f"{s}_k = {s}^(k)(0)/k!" for s in stems))
        return ", ".join(parts) + ")"

    def _repr_html_(self) -> str:
        fields = [("verdict", "holds" if self.ok else "fails"), ("claim", self.claim), ("degree", self.degree),
                  ("method", self.method + (f" ({self.method_reason})" if self.method_reason else "")),
                  ("field", self.field), ("neurons", self.num_neurons), ("depth", self.depth),
                  ("network model", self.model)]
        if self.error_probability is not None:
            fields.append(("error probability ≤", f"{self.error_probability:.3g}"))
        if self.method == "random":
            fields.append(("seed", self.seed))
        if self.first_mismatch is not None:
            fields.append(("first mismatch", self.first_mismatch))
        if self.assumptions:
            fields.append(("assuming", ", ".join(self.assumptions)))
        if self.hint:
            fields.append(("hint", self.hint))
        fields.append(("seconds", f"{self.seconds:.3f}"))
        return html_record("Taylor check (Rolnick & Tegmark, Def. 3.2)", fields)

    def _repr_latex_(self) -> str:
        return self.to_latex()

    def to_latex(self) -> str:
        """A one-line LaTeX statement of the result."""
        verdict = r"\checkmark" if self.ok else r"\times"
        claim = sympy.latex(self.claim)
        extra = ""
        if self.error_probability is not None:
            extra = rf" \quad (\Pr[\text{{error}}] \le {_latex_power_of_ten(self.error_probability)})"
        return (
            rf"${verdict}$ $N$ ({self.num_neurons} neurons, depth {self.depth}) Taylor-approximates "
            rf"${claim}$ to degree ${self.degree}${extra}"
        )


def _latex_power_of_ten(x: float) -> str:
    if x == 0:
        return "0"
    exponent = math.floor(math.log10(x))
    return rf"10^{{{exponent + 1}}}"


def generic_stems(net: object) -> tuple:
    """The stems of the generic activations of ``net`` (``sigma`` for ``sigma_k``)."""
    acts = [net.graph.nodes[v]["activation"] for v in net.neurons]  # type: ignore[attr-defined]
    return tuple(sorted({act.symbol for act in acts if act.is_generic}))
