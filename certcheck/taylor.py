"""Kinds ``taylor`` and ``witness``: the degree-d Taylor polynomial of a network, recomputed.

The network's output is expanded about the point (the origin unless the certificate names
one) as a power series in y = x − point, truncated at total degree d, with coefficients in
the ring L of :mod:`certcheck.numbers`.  Each neuron's input v = bias + Σ w·(its sources'
series) has a constant term c, its value at the point; the neuron's series is
Σ_k σ^(k)(c)/k!·(v − c)^k, with the Taylor coefficients of σ at c computed here from each
activation's differential equation (tanh' = 1 − tanh², sigmoid' = s(1 − s), …) and its
exactly known value at c: tanh, sigmoid and exp where exp(c) is rational (c a combination of
logarithms of primes with the right integer coefficients), sin and cos at 0 and at ±atan(q)
with 1 + q² a rational square, arctan at rational points, polynomials anywhere, a generic σ
at 0 (its coefficients are the symbols sigma_k).
"""

from __future__ import annotations

import math
import operator
from fractions import Fraction

from .errors import Rejected, Unreadable
from .network import Network, integer, polynomial, rational_list, read_network
from .numbers import add, const, log_of, mul, nonzero, parse, scale, show

MAX_DEGREE = 200
MAX_MONOMIALS = 200_000
# The series arithmetic here is plain Python on dense truncated series: its work grows with
# (neurons + 1) × C(n + d, d).  Past this the check takes minutes, so it is refused up front
# (symdepth declines to write such certificates: the verdict is "not certifiable").
MAX_WORK = 60_000
MODELS = {  # name: (hidden biases, output bias, skip connections), as symdepth.models defines them
    "rt": (False, False, False), "output-bias": (False, True, False), "output-bias+skip": (False, True, True),
    "biases": (True, True, False), "biases+skip": (True, True, True)}


def _exp_of(c: dict) -> dict:
    """exp(c) exactly, for c = r + Σ e_p·log p with integer e_p (exp(r) stays a formal atom)."""
    out = const(1)
    for m, coefficient in c.items():
        if not m:
            out = mul(out, parse(f"exp({coefficient})", "exp"))
        elif len(m) == 1 and m[0][1] == 1 and m[0][0].startswith("log(") and coefficient.denominator == 1:
            out = scale(out, Fraction(int(m[0][0][4:-1])) ** int(coefficient))
        else:
            raise Unreadable(f"exp({show(c)}) is not a number this checker computes exactly")
    return out


def _rational_exp(c: dict, what: str) -> Fraction:
    e = _exp_of(c)
    if any(e) or () not in e:
        raise Unreadable(f"{what} at {show(c)} is irrational; the checker needs its value exactly")
    return e[()]


def _sin_cos(c: dict) -> tuple:
    if not c:
        return Fraction(0), Fraction(1)
    ((m, sign),) = c.items() if len(c) == 1 else (((), 0),)
    if len(m) != 1 or m[0][1] != 1 or not m[0][0].startswith("atan(") or abs(sign) != 1:
        raise Unreadable(f"sin and cos at {show(c)}: only 0 and ±atan(q) are supported")
    q = Fraction(m[0][0][5:-1])
    r = 1 + q * q
    root = Fraction(math.isqrt(r.numerator), math.isqrt(r.denominator))
    if root * root != r:
        raise Unreadable(f"sin(atan({q})) is irrational (1 + q^2 is not a square)")
    return sign * q / root, 1 / root


# -- truncated series in y, by degree --------------------------------------------------------
# A series is a list of homogeneous components (index = degree); a component is a dict from a
# monomial, encoded as the integer Σ e_i·B^i (B = d + 1, so a product of monomials of total
# degree ≤ d is the sum of their codes), to a coefficient of a field F: Q as Fractions (the
# fast path, for certificates without symbols or constants) or the ring L.


class _NeedsAtoms(Exception):
    """A value outside Q met on the rational fast path: redo the check over L."""


class _Rationals:
    zero = Fraction(0)
    add, mul = staticmethod(operator.add), staticmethod(operator.mul)

    @staticmethod
    def of(x: dict) -> Fraction:
        if any(x):
            raise _NeedsAtoms
        return x.get((), Fraction(0))

    @staticmethod
    def back(x: Fraction) -> dict:
        return const(x)

    q = staticmethod(Fraction)


class _Laurent:
    zero: dict = {}
    add, mul = staticmethod(add), staticmethod(mul)
    of = back = staticmethod(lambda x: x)
    q = staticmethod(const)


def _cmul(a: dict, b: dict, F: type) -> dict:
    out: dict = {}
    for m, v in a.items():
        for n, u in b.items():
            s = F.add(out.get(m + n, F.zero), F.mul(v, u))
            if s:
                out[m + n] = s
            else:
                out.pop(m + n, None)
    return out


def _cadd(a: dict, b: dict, factor: object, F: type) -> dict:
    """a + factor·b (factor an element of F)."""
    if not factor:
        return a
    out = dict(a)
    for m, v in b.items():
        s = F.add(out.get(m, F.zero), F.mul(v, factor))
        if s:
            out[m] = s
        else:
            out.pop(m, None)
    return out


def _euler(v: list, w: list, k: int, F: type) -> dict:
    """(1/k)·Σ_j j·v_j·w_(k−j): the degree-k part of ∫ w dv in the Euler grading (E x^m = |m| x^m),
    so that E y = w·E v, i.e. y' = w·v' along every ray, gives y_k from lower degrees."""
    out: dict = {}
    for j in range(1, k + 1):
        if v[j] and w[k - j]:
            out = _cadd(out, _cmul(v[j], w[k - j], F), F.q(Fraction(j, k)), F)
    return out


def _square(y: list, k: int, F: type) -> dict:
    """The degree-k part of y²."""
    out: dict = {}
    for i in range(k + 1):
        if y[i] and y[k - i]:
            out = _cadd(out, _cmul(y[i], y[k - i], F), F.q(1), F)
    return out


def _constant(value: object) -> dict:
    return {0: value} if value else {}


def _activate(act: object, c: dict, v: list, d: int, F: type) -> list:
    """σ(c + v) to degree d for c ∈ L and a series v without constant term, from σ's
    differential equation (quadratic in d; the Taylor sum Σ σ_k v^k only for polynomials and
    a generic σ)."""
    name = act.name
    if name in ("exp", "tanh", "sigmoid", "softplus"):   # σ' = a + b·σ + e·σ²
        a, b, e = {"exp": (0, 1, 0), "tanh": (1, 0, -1)}.get(name, (0, 1, -1))
        if name == "exp":
            y0 = F.of(_exp_of(c))
        elif name == "tanh":
            e2 = _rational_exp(add(c, c), name)
            y0 = F.q((e2 - 1) / (e2 + 1))
        else:
            y0 = F.q(1 / (1 + _rational_exp(scale(c, Fraction(-1)), name)))
        y, square, slope = [_constant(y0)], [_constant(F.mul(y0, y0))], []
        for k in range(d + 1):
            slope.append(_cadd(_cadd(_constant(F.q(a)) if k == 0 else {}, y[k], F.q(b), F), square[k], F.q(e), F))
            if k < d:
                y.append(_euler(v, slope, k + 1, F))
                square.append(_square(y, k + 1, F))
        if name != "softplus":
            return y
        start = _constant(F.of(log_of(1 + 1 / _rational_exp(scale(c, Fraction(-1)), name))))
        return [start] + [_euler(v, y, k, F) for k in range(1, d + 1)]
    if name in ("sin", "cos"):
        sin_c, cos_c = _sin_cos(c)
        sine, cosine = [_constant(F.q(sin_c))], [_constant(F.q(cos_c))]
        for k in range(1, d + 1):
            sine.append(_euler(v, cosine, k, F))
            cosine.append(_cadd({}, _euler(v, sine, k, F), F.q(-1), F))
        return sine if name == "sin" else cosine
    if name == "arctan":
        if any(c):
            raise Unreadable(f"arctan at {show(c)}: only rational points are supported")
        x = c.get((), Fraction(0))
        q = [{}] + [_cadd(_square(v, k, F), v[k], F.q(2 * x), F) for k in range(1, d + 1)]  # (c+v)²+1 − (1+c²)
        w = [_constant(F.q(1 / (1 + x * x)))]  # 1/((c + v)^2 + 1)
        for k in range(1, d + 1):
            total: dict = {}
            for j in range(1, k + 1):
                if q[j] and w[k - j]:
                    total = _cadd(total, _cmul(q[j], w[k - j], F), F.q(1), F)
            w.append(_cadd({}, total, F.q(-1 / (1 + x * x)), F))
        return [_constant(F.of(parse(f"atan({x})", "atan")))] + [_euler(v, w, k, F) for k in range(1, d + 1)]
    b = [F.of(t) for t in taylor_coefficients(act, c, d)]  # polynomial or generic: Horner
    acc: list = [_constant(b[d])] + [{} for _ in range(d)]
    for k in range(d - 1, -1, -1):
        acc = _series_mul(acc, v, d, F)
        acc[0] = _cadd(acc[0], _constant(b[k]), F.q(1), F)
    return acc


def taylor_coefficients(act: object, c: dict, d: int) -> list:
    """σ^(k)(c)/k! for k = 0..d, elements of L."""
    if act.name == "generic":
        if c:
            raise Unreadable(f"a generic activation is expanded at 0 only, not at {show(c)}")
        return [{((f"{act.symbol}_{k}", 1),): Fraction(1)} for k in range(d + 1)]
    if act.name == "polynomial":
        powers = [const(1)]
        for _ in range(len(act.coefficients)):
            powers.append(mul(powers[-1], c))
        return [_poly_shift(act.coefficients, powers, k) for k in range(d + 1)]
    t: list = [{} for _ in range(d + 1)]
    if d >= 1:
        t[1] = {1: const(1)}
    return [part.get(k, {}) for k, part in enumerate(_activate(act, c, t, d, _Laurent))]


def _poly_shift(coefficients: tuple, powers: list, k: int) -> dict:
    """Σ_j a_j·C(j, k)·c^(j−k): the k-th Taylor coefficient of a polynomial at c."""
    out: dict = {}
    for j in range(k, len(coefficients)):
        if coefficients[j]:
            out = add(out, scale(powers[j - k], coefficients[j] * math.comb(j, k)))
    return out


def _series_mul(a: list, b: list, d: int, F: type) -> list:
    out: list = [{} for _ in range(d + 1)]
    for i, part in enumerate(a):
        for j in range(d + 1 - i):
            if part and b[j]:
                out[i + j] = _cadd(out[i + j], _cmul(part, b[j], F), F.q(1), F)
    return out


def network_series(net: Network, point: list, d: int, F: type = _Laurent) -> dict:
    """The output of ``net`` as a series in y = x − point to degree d: exponent tuple →
    element of L."""
    n, base = len(net.inputs), d + 1
    series: dict = {}
    for i, name in enumerate(net.inputs):
        series[name] = [_constant(F.q(point[i]))] + [{base**i: F.q(1)} if k == 1 else {} for k in range(1, d + 1)]
    for neuron in [*net.neurons, net.output]:
        v: list = [_constant(F.of(neuron.bias))] + [{} for _ in range(d)]
        for source, w in neuron.inputs:
            v = [_cadd(x, y, F.of(w), F) for x, y in zip(v, series[source])]
        if neuron.activation is None:
            return {tuple(key // base**i % base for i in range(n)): F.back(value)
                    for part in v for key, value in part.items()}
        c = F.back(v[0].get(0, F.zero))
        v[0] = {}
        series[neuron.name] = _activate(neuron.activation, c, v, d, F)
    raise AssertionError("unreachable")  # pragma: no cover


def _shifted_claim(claim: dict, point: list, d: int) -> dict:
    """The claim p(x) written in y = x − point: coefficients of p(point + y)."""
    if not any(point):
        return claim
    out: dict = {}
    for m, c in claim.items():
        terms = {(): c}
        for i, e in enumerate(m):
            expanded: dict = {}
            for t, v in terms.items():
                for k in range(e + 1):
                    key = (*t, k)
                    expanded[key] = add(expanded.get(key, {}), scale(v, math.comb(e, k) * point[i] ** (e - k)))
            terms = expanded
        for key, v in terms.items():
            s = add(out.get(key, {}), v)
            if s:
                out[key] = s
            else:
                out.pop(key, None)
    return out


def check_taylor(cert: dict) -> str:
    net = read_network(cert.get("network"))
    n = len(net.inputs)
    d = integer(cert.get("degree"), "degree", 0, MAX_DEGREE)
    if math.comb(n + d, d) > MAX_MONOMIALS:
        raise Unreadable(f"degree {d} in {n} variables has more than {MAX_MONOMIALS} monomials")
    work = (len(net.neurons) + 1) * math.comb(n + d, d)
    if work > MAX_WORK:
        raise Unreadable(f"{len(net.neurons)} neurons in {n} variables to degree {d}: {work:,} neuron-monomials, "
                         f"above the checker's budget of {MAX_WORK:,}")
    point = rational_list(cert["point"], n, "point") if cert.get("point") is not None else [Fraction(0)] * n
    claim = _shifted_claim(polynomial(cert.get("claim"), n, "claim", net.nonzero), point, d)
    if any(sum(m) > d for m in claim):
        raise Rejected(f"the claim has a term of degree above {d}")
    try:
        computed = network_series(net, point, d, _Rationals)
    except _NeedsAtoms:
        computed = network_series(net, point, d, _Laurent)
    where = "at the origin" if not any(point) else f"at {tuple(str(p) for p in point)}"
    assumed = f", assuming {', '.join(sorted(s + ' != 0' for s in net.nonzero))}" if net.nonzero else ""
    if cert.get("verdict") == "holds":
        for m in sorted(set(computed) | set(claim)):
            difference = add(computed.get(m, {}), claim.get(m, {}), -1)
            if difference:
                text = (f"the coefficient of y^{m} is {show(computed.get(m, {}))} in the network but "
                        f"{show(claim.get(m, {}))} in the claim")
                if not nonzero(difference):  # formally different constants the checker cannot tell apart
                    raise Unreadable(f"{text}, and the checker cannot decide whether these constants differ")
                raise Rejected(text)
        return f"the network Taylor-approximates the claim to degree {d} {where}{assumed}"
    if cert.get("verdict") != "fails" or not isinstance(cert.get("mismatch"), dict):
        raise Unreadable("'verdict' must be \"holds\", or \"fails\" with a 'mismatch'")
    mismatch = cert["mismatch"]
    monomial = mismatch.get("monomial")
    if not isinstance(monomial, list) or len(monomial) != n or not all(isinstance(e, int) for e in monomial):
        raise Unreadable("'mismatch' needs the monomial's exponents")
    m = tuple(monomial)
    if sum(m) > d or min(m) < 0:
        raise Rejected(f"the mismatching monomial {m} is not of degree <= {d}")
    network_value = parse(mismatch.get("network"), "mismatch: network", net.nonzero)
    claimed_value = parse(mismatch.get("claimed"), "mismatch: claimed", net.nonzero)
    if computed.get(m, {}) != network_value:
        raise Rejected(f"the network's coefficient of y^{m} is {show(computed.get(m, {}))}, not "
                       f"{show(network_value)}")
    if claim.get(m, {}) != claimed_value:
        raise Rejected(f"the claim's coefficient of y^{m} is {show(claim.get(m, {}))}, not {show(claimed_value)}")
    if not nonzero(add(network_value, claimed_value, -1)):
        raise Rejected(f"the coefficients of y^{m} are not shown to differ")
    return f"the network does not Taylor-approximate the claim to degree {d} {where}: y^{m} differs"


def check_witness(cert: dict) -> str:
    """A network of a model with a stated number of neurons that passes its Taylor check:
    a verified upper bound on the fewest neurons of that model."""
    model = cert.get("model")
    if model not in MODELS:
        raise Unreadable(f"unknown network model {model!r}; known: {sorted(MODELS)}")
    taylor = cert.get("taylor")
    if not isinstance(taylor, dict) or taylor.get("verdict") != "holds":
        raise Unreadable("a witness needs a Taylor certificate with verdict \"holds\"")
    net = read_network(taylor.get("network"))
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

