"""Kinds ``taylor`` and ``witness``: the degree-d Taylor polynomial of a network, recomputed.

The output is expanded about the point (the origin unless the certificate names one) as a
power series in y = x − point truncated at total degree d, with coefficients in the ring L of
:mod:`certcheck.numbers`.  A neuron's input v = bias + Σ w·(its sources' series) has a
constant term c; the neuron's series is Σ_k b_k·(v − c)^k (Horner) with b_k = σ^(k)(c)/k!
from each activation's differential equation (tanh' = 1 − tanh², sigmoid' = s(1 − s), …)
and its exactly known value at c: tanh, sigmoid, softplus and exp where exp(c) is rational
or c is rational, sin and cos at 0 and ±atan(q) with 1 + q² a rational square, arctan at
rationals, polynomials anywhere, a generic σ at 0 (its b_k are the symbols sigma_k).
"""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass
from fractions import Fraction

from .errors import Rejected, Unreadable
from .network import PIECEWISE_LINEAR, Network, exponents, integer, polynomial, rational_list, read_network
from .numbers import add, const, log_of, mul, nonzero, parse, parse_quotient, scale, show

MAX_DEGREE = 200
# Plain Python on truncated series: the work grows with (neurons + 1)·C(n + d, d), about
# 0.1 ms a unit (60,060: 4 s; 442,728: 49 s on the development machine); past this budget a
# check would take minutes, so it is refused (symdepth calls such verdicts "not certifiable").
MAX_WORK = 100_000
MODELS = {  # name: (hidden biases, output bias, skip connections), as symdepth.models defines them
    "rt": (False, False, False), "output-bias": (False, True, False), "output-bias+skip": (False, True, True),
    "biases": (True, True, False), "biases+skip": (True, True, True)}


def _exp_of(c: dict) -> dict:
    """exp(c) for c = r + Σ e_p·log p, integer e_p (exp(r) an atom of L)."""
    out = const(1)
    for m, k in c.items():
        if not m:
            out = mul(out, parse(f"exp({k})", "exp"))
        elif len(m) == 1 and m[0][1] == 1 and m[0][0].startswith("log(") and k.denominator == 1:
            out = scale(out, Fraction(int(m[0][0][4:-1])) ** int(k))
        else:
            raise Unreadable(f"exp({show(c)}) is not a number this checker computes exactly")
    return out


def _rational_exp(c: dict, what: str) -> Fraction:
    e = _exp_of(c)
    if any(e) or () not in e:
        raise Unreadable(f"{what} at {show(c)} is irrational; the checker needs its value exactly")
    return e[()]


def _sin_cos(c: dict) -> tuple:
    """(sin c, cos c) as rationals, for c = 0 or ±atan(q) with 1 + q² a rational square."""
    if not c:
        return Fraction(0), Fraction(1)
    ((m, sign),) = c.items() if len(c) == 1 else (((), 0),)
    if len(m) != 1 or m[0][1] != 1 or not m[0][0].startswith("atan(") or abs(sign) != 1:
        raise Unreadable(f"sin and cos at {show(c)}: only 0 and ±atan(q) are supported")
    q = Fraction(m[0][0][5:-1])
    root = Fraction(math.isqrt((1 + q * q).numerator), math.isqrt((1 + q * q).denominator))
    if root * root != 1 + q * q:
        raise Unreadable(f"sin(atan({q})) is irrational (1 + q^2 is not a square)")
    return sign * q / root, 1 / root


# -- truncated series ------------------------------------------------------------------------
# A series is the list of its homogeneous parts (index = degree); a part is a dict from a
# monomial y^m, encoded as Σ m_i·B^i (B = d + 1: the code of a product is the sum of the
# codes), to its coefficient in a ring R: Q as Fractions (the fast path, for certificates
# without symbols or constants), L, or mpmath's intervals (the uniform kind's Taylor forms).


class _NeedsAtoms(Exception):
    """A value outside Q met on the rational fast path: redo the check over L."""


@dataclass(frozen=True)
class Ring:
    add: object
    mul: object
    of: object      # L → R
    back: object    # R → the constant terms ``at`` reads: L for Q and L
    q: object       # Fraction → R
    at: object      # (activation, constant term c, d) → σ's values at c that its series starts from


def _rational(x: dict) -> Fraction:
    if any(x):
        raise _NeedsAtoms
    return x.get((), Fraction(0))


def _exact_at(act: object, c: dict, d: int) -> tuple:
    """σ's values at c, in L, that :func:`_compose` starts from: b_0..b_d for a polynomial or
    a generic σ; (sin c, cos c); (atan c, 1/(1 + c²), c); (σ(c),), and for softplus
    (sigmoid(c), softplus(c))."""
    name = act.name
    if name in ("polynomial", "generic"):
        return tuple(taylor_coefficients(act, c, d))
    if name in ("sin", "cos"):
        return tuple(map(const, _sin_cos(c)))
    if name == "arctan":
        if any(c):
            raise Unreadable(f"arctan at {show(c)}: only rational points are supported")
        x = c.get((), Fraction(0))
        return parse(f"atan({x})", "atan") if x else {}, const(1 / (1 + x * x)), const(x)
    if name == "exp":
        return (_exp_of(c),)
    if name not in ("tanh", "sigmoid", "softplus"):
        raise Unreadable(f"the activation {name} has no Taylor series")
    minus = _rational_exp(scale(c, Fraction(-2 if name == "tanh" else -1)), name)
    if name == "tanh":
        return (const((1 - minus) / (1 + minus)),)
    return (const(1 / (1 + minus)),) + ((log_of(1 + 1 / minus),) if name == "softplus" else ())


Q = Ring(operator.add, operator.mul, _rational, const, Fraction,
         lambda act, c, d: tuple(map(_rational, _exact_at(act, c, d))))
L = Ring(add, mul, lambda x: x, lambda x: x, const, _exact_at)


def _cadd(a: dict, b: dict, factor: object, R: Ring) -> dict:
    """a + factor·b for parts a, b."""
    out = dict(a)
    for m, v in b.items() if factor else ():
        s = R.add(out[m], R.mul(factor, v)) if m in out else R.mul(factor, v)
        if s:
            out[m] = s
        else:
            out.pop(m, None)
    return out


def _cmul(a: dict, b: dict, R: Ring) -> dict:
    out: dict = {}
    for m, v in a.items():
        for n, u in b.items():
            s = R.add(out[m + n], R.mul(v, u)) if m + n in out else R.mul(v, u)
            if s:
                out[m + n] = s
            else:
                out.pop(m + n, None)
    return out


def _part(pairs: list, R: Ring) -> dict:
    """Σ factor·x·y over (factor, x, y) in pairs: a part of a product."""
    out: dict = {}
    for factor, x, y in pairs:
        if x and y:
            out = _cadd(out, _cmul(x, y, R), R.q(factor), R)
    return out


def _product(a: list, b: list, d: int, R: Ring) -> list:
    """a·b truncated at degree d."""
    return [_part([(1, a[i], b[k - i]) for i in range(k + 1)], R) for k in range(d + 1)]


def _euler(v: list, w: list, k: int, R: Ring) -> dict:
    """The degree-k part of y with E y = w·E v (E x^m = |m|·x^m, the Euler operator): y' = w·v'
    along every ray, so y_k = (1/k)·Σ_j j·v_j·w_(k−j) from lower degrees."""
    return _part([(Fraction(j, k), v[j], w[k - j]) for j in range(1, k + 1)], R)


def _compose(act: object, c: object, v: list, d: int, R: Ring) -> list:
    """σ(c + v) to degree d for a series v without constant term: from σ's differential
    equation (quadratic in d), or Σ_k b_k·v^k by Horner for polynomials and a generic σ.  A
    piecewise-linear σ (the interval ring only) is σ(c) + slope·v, valid to degree 1 where c
    holds a kink."""
    name, one = act.name, R.q(1)
    at = R.at(act, c, d)
    if name in (*PIECEWISE_LINEAR, "leaky_relu"):
        value, slope, smooth = at
        out = [{0: value}] + [_cadd({}, part, slope, R) for part in v[1:]]
        return out if smooth else out[:2]
    if name in ("polynomial", "generic"):
        out = [{0: at[d]} if at[d] else {}] + [{} for _ in range(d)]
        for k in range(d - 1, -1, -1):
            out = _product(out, v, d, R)
            out[0] = _cadd(out[0], {0: at[k]}, one, R)
        return out
    if name in ("sin", "cos"):
        sine, cosine = [{0: at[0]} if at[0] else {}], [{0: at[1]}]
        for k in range(1, d + 1):
            sine.append(_euler(v, cosine, k, R))
            cosine.append(_cadd({}, _euler(v, sine, k, R), R.q(-1), R))
        return sine if name == "sin" else cosine
    if name == "arctan":   # arctan' (c + v) = 1/(1 + c² + q) with q = 2c·v + v²: w·(1 + c² + q) = 1
        start, w0, x = at
        q = [_cadd(square, part, R.add(x, x), R) for square, part in zip(_product(v, v, d, R), v)]
        w = [{0: w0}]
        for k in range(1, d):
            w.append(_cadd({}, _part([(1, q[j], w[k - j]) for j in range(1, k + 1)], R), R.mul(R.q(-1), w0), R))
        return [{0: start} if start else {}] + [_euler(v, w, k, R) for k in range(1, d + 1)]
    a, beta, e = {"exp": (0, 1, 0), "tanh": (1, 0, -1)}.get(name, (0, 1, -1))   # σ' = a + β·σ + e·σ²
    y, slope = [{0: at[0]} if at[0] else {}], []
    for k in range(d + 1):
        square = _part([(1, y[i], y[k - i]) for i in range(k + 1)], R)
        slope.append(_cadd(_cadd({0: R.q(a)} if k == 0 and a else {}, y[k], R.q(beta), R), square, R.q(e), R))
        if k < d:
            y.append(_euler(v, slope, k + 1, R))
    if name != "softplus":
        return y
    return [{0: at[1]}] + [_euler(v, y, k, R) for k in range(1, d + 1)]   # softplus' = sigmoid


def taylor_coefficients(act: object, c: dict, d: int) -> list:
    """b_k = σ^(k)(c)/k! for k = 0..d, elements of L."""
    if act.name == "generic":
        if c:
            raise Unreadable(f"a generic activation is expanded at 0 only, not at {show(c)}")
        return [{((f"{act.symbol}_{k}", 1),): Fraction(1)} for k in range(d + 1)]
    if act.name == "polynomial":   # Σ_j a_j·C(j, k)·c^(j−k)
        powers = [const(1)]
        for _ in act.coefficients:
            powers.append(mul(powers[-1], c))
        return [_sum(scale(powers[j - k], a * math.comb(j, k)) for j, a in enumerate(act.coefficients) if j >= k)
                for k in range(d + 1)]
    identity = [{}, {1: const(1)}] + [{} for _ in range(d - 1)]
    return [part.get(k, {}) for k, part in enumerate(_compose(act, c, identity[:d + 1], d, L))]


def _sum(elements: object) -> dict:
    out: dict = {}
    for x in elements:
        out = add(out, x)
    return out


def network_series(net: Network, point: list, d: int, R: Ring = L) -> tuple:
    """(the output's series, every input's and neuron's series): ``net`` in y = x − point to
    degree d."""
    B = d + 1
    series = {name: [{0: R.q(p)} if p else {}, {B**i: R.q(1)}] + [{} for _ in range(d - 1)]
              for i, (name, p) in enumerate(zip(net.inputs, point))}
    for neuron in (*net.neurons, net.output):
        v = [{0: R.of(neuron.bias)} if neuron.bias else {}] + [{} for _ in range(d)]
        for source, w in neuron.inputs:
            v = [_cadd(x, y, R.of(w), R) for x, y in zip(v, series[source])]
        if neuron.activation is None:
            return v, series
        c = R.back(v[0].get(0, R.q(0)))
        series[neuron.name] = _compose(neuron.activation, c, [{}] + v[1:], len(v) - 1, R)
    raise AssertionError("unreachable")  # pragma: no cover


def _claim_series(claim: dict, series: dict, inputs: tuple, d: int, R: Ring) -> list:
    """p(point + y) as a series: each monomial of the claim a product of the inputs' series."""
    total = [{} for _ in range(d + 1)]
    for m, coefficient in claim.items():
        term = [{0: R.of(coefficient)}] + [{} for _ in range(d)]
        for name, e in zip(inputs, m):
            for _ in range(e):
                term = _product(term, series[name], d, R)
        total = [_cadd(x, y, R.q(1), R) for x, y in zip(total, term)]
    return total


def _decode(series: list, n: int, d: int, R: Ring) -> dict:
    return {tuple(code // (d + 1)**i % (d + 1) for i in range(n)): R.back(v) for part in series for code, v in part.items()}


def check_taylor(cert: dict) -> str:
    net = read_network(cert.get("network"), output_quotients=True)
    n = len(net.inputs)
    d = integer(cert.get("degree"), "degree", 0, MAX_DEGREE)
    work = (len(net.neurons) + 1) * math.comb(n + d, d)
    if work > MAX_WORK:
        raise Unreadable(f"{len(net.neurons)} neurons in {n} variables to degree {d}: {work:,} neuron-monomials, "
                         f"above the checker's budget of {MAX_WORK:,}")
    point = rational_list(cert["point"], n, "point") if cert.get("point") is not None else [Fraction(0)] * n
    claim = polynomial(cert.get("claim"), n, "claim", net.nonzero)
    if any(sum(m) > d for m in claim):
        raise Rejected(f"the claim has a term of degree above {d}")
    for R in (Q, L):
        try:
            output, series = network_series(net, point, d, R)
            computed = _decode(output, n, d, R)
            claimed = _decode(_claim_series(claim, series, net.inputs, d, R), n, d, R)
            break
        except _NeedsAtoms:
            continue
    # an output stated over sums of constants is read times their product D (nonzero): compare D·claim
    if net.output_scale != const(1):
        claimed = {m: mul(c, net.output_scale) for m, c in claimed.items()}
    times = "" if net.output_scale == const(1) else f" (both times {show(net.output_scale)})"
    where = "at the origin" if not any(point) else f"at {tuple(str(p) for p in point)}"
    assumed = f", assuming {', '.join(sorted(s + ' != 0' for s in net.nonzero))}" if net.nonzero else ""
    if cert.get("verdict") == "holds":
        for m in sorted(set(computed) | set(claimed)):
            difference = add(computed.get(m, {}), claimed.get(m, {}), -1)
            if difference:
                text = (f"the coefficient of y^{m} is {show(computed.get(m, {}))} in the network but "
                        f"{show(claimed.get(m, {}))} in the claim{times}")
                if not nonzero(difference):  # formally different constants the checker cannot tell apart
                    raise Unreadable(f"{text}, and the checker cannot decide whether these constants differ")
                raise Rejected(text)
        return f"the network Taylor-approximates the claim to degree {d} {where}{assumed}"
    mismatch = cert.get("mismatch")
    if cert.get("verdict") != "fails" or not isinstance(mismatch, dict):
        raise Unreadable("'verdict' must be \"holds\", or \"fails\" with a 'mismatch'")
    m = exponents(mismatch.get("monomial"), n, "the mismatch's monomial")
    if sum(m) > d:
        raise Rejected(f"the mismatching monomial {m} is not of degree <= {d}")
    for side, have in (("network", computed), ("claimed", claimed)):
        stated, divisor = parse_quotient(mismatch.get(side), f"mismatch: {side}", net.nonzero)
        if mul(have.get(m, {}), divisor) != mul(stated, net.output_scale):
            over = "" if divisor == const(1) else f" / ({show(divisor)})"
            raise Rejected(f"the {side} coefficient of y^{m} is {show(have.get(m, {}))}{times}, not {show(stated)}{over}")
    if not nonzero(add(computed.get(m, {}), claimed.get(m, {}), -1)):
        raise Rejected(f"the coefficients of y^{m} are not shown to differ")
    return f"the network does not Taylor-approximate the claim to degree {d} {where}: y^{m} differs"


def check_witness(cert: dict) -> str:
    """A network of a model with a stated number of neurons that passes its Taylor check:
    a verified upper bound on the fewest neurons of that model."""
    model, taylor = cert.get("model"), cert.get("taylor")
    if model not in MODELS:
        raise Unreadable(f"unknown network model {model!r}; known: {sorted(MODELS)}")
    if not isinstance(taylor, dict) or taylor.get("verdict") != "holds":
        raise Unreadable("a witness needs a Taylor certificate with verdict \"holds\"")
    net = read_network(taylor.get("network"), output_quotients=True)
    hidden_biases, output_bias, skip = MODELS[model]
    for neuron in net.neurons:
        if any(u not in net.inputs for u, _ in neuron.inputs):
            raise Rejected(f"neuron {neuron.name!r} reads a neuron: the witness has more than one hidden layer")
        if neuron.bias and not hidden_biases:
            raise Rejected(f"neuron {neuron.name!r} has a bias, which model {model} does not allow")
    if net.output.bias and not output_bias:
        raise Rejected(f"the output has a bias, which model {model} does not allow")
    if not skip and any(u in net.inputs for u, _ in net.output.inputs):
        raise Rejected(f"the output reads an input, a skip connection model {model} does not allow")
    if integer(cert.get("neurons"), "neurons") != len(net.neurons):
        raise Rejected(f"the witness has {len(net.neurons)} neurons, not {cert.get('neurons')}")
    return f"{check_taylor(taylor)}, with {len(net.neurons)} neurons in one hidden layer of model {model}"
