"""Kind ``crossings``: Telgarsky's crossing number Cr(f), the number of maximal intervals on
which 1[f ≥ τ] is constant (single points count), of a piecewise polynomial f.

f is given by its breakpoints b_0 < … < b_m (rationals; ±inf at the ends) and one polynomial
with rational coefficients per piece; piece i holds on [b_i, b_(i+1)) and the last one also
at b_m.  On each piece the checker isolates the real roots of p_i − τ by Sturm sequences and
bisection (rational isolating intervals whose ends are not roots), reads the sign of p_i − τ
between consecutive roots at a rational point, and counts the runs of 1[f ≥ τ] over the
points and open intervals in order.  When the certificate names the network f comes from
(one input, piecewise-linear activations) and each piece's activation pattern, the checker
also shows f is that network: with the pattern fixed the network is affine on the piece;
every neuron's pre-activation, affine too, lies in its pattern's piece at both ends of the
piece (so on all of it), and the output's affine map is the piece's polynomial.
"""

from __future__ import annotations

from fractions import Fraction

from .errors import Rejected, Unreadable
from .network import fraction_or_infinity, integer, linear_pieces, rational_list, read_network
from .numbers import as_rational, rational

MAX_PIECES = 2_000_000
MAX_POLY_DEGREE = 200


# -- polynomials over Q, ascending coefficient lists ------------------------------------------


def _trim(p: list) -> list:
    while p and p[-1] == 0:
        p = p[:-1]
    return p


def _value(p: list, x: Fraction) -> Fraction:
    out = Fraction(0)
    for c in reversed(p):
        out = out * x + c
    return out


def _remainder(a: list, b: list) -> list:
    a = list(a)
    while len(a) >= len(b) and a:
        factor = a[-1] / b[-1]
        shift = len(a) - len(b)
        for i, c in enumerate(b):
            a[shift + i] -= factor * c
        a = _trim(a[:-1]) if a[-1] == 0 else _trim(a)
    return a


def _gcd(a: list, b: list) -> list:
    while b:
        a, b = b, _remainder(a, b)
    return a


def _derivative(p: list) -> list:
    return [i * c for i, c in enumerate(p)][1:]


def _quotient(a: list, b: list) -> list:
    a, out = list(a), [Fraction(0)] * max(len(a) - len(b) + 1, 0)
    for shift in range(len(a) - len(b), -1, -1):
        factor = a[shift + len(b) - 1] / b[-1]
        out[shift] = factor
        for i, c in enumerate(b):
            a[shift + i] -= factor * c
    return out


def _sturm(p: list) -> list:
    chain = [p, _derivative(p)]
    while chain[-1]:
        rest = _remainder(chain[-2], chain[-1])
        if not rest:
            break
        chain.append([-c for c in rest])
    return [q for q in chain if q]


def _changes(chain: list, x: Fraction | None, side: int) -> int:
    """Sign changes of the Sturm chain at x (None: at side·∞)."""
    signs = []
    for q in chain:
        v = _value(q, x) if x is not None else q[-1] * (side ** (len(q) - 1))
        if v:
            signs.append(v > 0)
    return sum(1 for s, t in zip(signs, signs[1:]) if s != t)


class _Roots:
    """The distinct real roots of a square-free polynomial, isolated: each root is (l, u) with
    exactly one root in the open (l, u), or (x, x) for a rational root x.  Sturm's theorem
    with zeros skipped counts the roots in (lo, hi] as V(lo) − V(hi)."""

    def __init__(self, p: list) -> None:
        self.p, self.chain = p, _sturm(p)

    def count(self, lo: Fraction, hi: Fraction) -> int:
        """Roots in the open interval (lo, hi)."""
        return _changes(self.chain, lo, 0) - _changes(self.chain, hi, 0) - (_value(self.p, hi) == 0)

    def isolate(self, lo: Fraction, hi: Fraction) -> list:
        out, stack = [], [(lo, hi)]
        while stack:
            a, b = stack.pop()
            k = self.count(a, b)
            if k == 1:
                out.append((a, b))
            elif k > 1:
                mid = (a + b) / 2
                if _value(self.p, mid) == 0:
                    out.append((mid, mid))
                stack += [(a, mid), (mid, b)]
        return sorted(out)

    def refine(self, root: tuple) -> tuple:
        """Halve an isolating interval (a rational root stays itself)."""
        a, b = root
        if a == b:
            return root
        mid = (a + b) / 2
        if _value(self.p, mid) == 0:
            return (mid, mid)
        return (a, mid) if self.count(a, mid) == 1 else (mid, b)


def _interior(a: Fraction | None, b: Fraction | None) -> Fraction:
    """A rational point inside (a, b) (None: infinite ends)."""
    if a is None or b is None:
        return (a if a is not None else b if b is not None else Fraction(0)) + (1 if a is not None else -1)
    return (a + b) / 2


def _atoms(q: list, a: Fraction | None, b: Fraction | None) -> list:
    """The values of 1[q ≥ 0] on the open interval (a, b) (None: infinite ends), in order:
    alternately open stretches (read at a rational point inside) and roots (where q = 0)."""
    q = _trim(q)
    if len(q) <= 1:
        return [int(bool(q) and q[0] > 0) if q else 1]
    if len(q) == 2:  # linear: one rational root, q ≥ 0 on the side its slope points to
        root = -q[0] / q[1]
        if (a is None or a < root) and (b is None or root < b):
            return [int(q[1] < 0), 1, int(q[1] > 0)]
        return [int(_value(q, _interior(a, b)) > 0)]
    roots = _Roots(_quotient(q, _gcd(q, _derivative(q))))   # the square-free part: the same roots
    bound = 1 + max(abs(c / roots.p[-1]) for c in roots.p)  # Cauchy: every root lies inside ±bound
    lo = a if a is not None else min(-bound, b - 1 if b is not None else -bound)
    hi = b if b is not None else max(bound, lo + 1)
    found = roots.isolate(lo, hi)
    ends = [lo, *[x for r in found for x in r], hi]
    # a rational point strictly inside each stretch: refine the roots until no two touch
    while any(x >= y for x, y in zip(ends[0::2], ends[1::2])):
        for i in range(len(found)):
            left = found[i - 1][1] if i else lo
            right = found[i + 1][0] if i + 1 < len(found) else hi
            if found[i][0] <= left or found[i][1] >= right:
                found[i] = roots.refine(found[i])
        ends = [lo, *[x for r in found for x in r], hi]
    out = []
    for k in range(len(found) + 1):
        x, y = ends[2 * k], ends[2 * k + 1]
        out.append(int(_value(q, (x + y) / 2) > 0))
        if k < len(found):
            out.append(1)
    return out


def _check_network(cert: dict, breakpoints: list, pieces: list) -> None:
    """f is the network on each piece, by the pieces' activation patterns."""
    net = read_network(cert["network"])
    if len(net.inputs) != 1:
        raise Unreadable("a network of a crossings certificate has one input")
    patterns = cert.get("patterns")
    if not isinstance(patterns, list) or len(patterns) != len(pieces):
        raise Unreadable("'patterns' must give one activation pattern per piece")
    acts = [linear_pieces(n.activation) for n in net.neurons]
    weights = [(as_rational(n.bias, "a bias"), [(u, as_rational(w, "a weight")) for u, w in n.inputs])
               for n in (*net.neurons, net.output)]
    for i, pattern in enumerate(patterns):
        a, b = breakpoints[i], breakpoints[i + 1]
        if not isinstance(pattern, list) or len(pattern) != len(net.neurons):
            raise Unreadable(f"the pattern of piece {i} must have one entry per neuron")
        maps = {net.inputs[0]: (Fraction(1), Fraction(0))}
        for k, (bias, sources) in enumerate(weights):
            slope = sum((w * maps[u][0] for u, w in sources), Fraction(0))
            intercept = bias + sum((w * maps[u][1] for u, w in sources), Fraction(0))
            if k == len(net.neurons):
                if _trim([intercept, slope]) != _trim(list(pieces[i])):
                    raise Rejected(f"on piece {i} the network is {slope}*x + {intercept}, not the piece's polynomial")
                break
            cuts, lines = acts[k]
            j = integer(pattern[k], "a pattern entry", 0, len(lines) - 1)
            for end, side in ((a, -1), (b, 1)):
                value = slope * end + intercept if end is not None else None
                low = cuts[j - 1] if j > 0 else None
                high = cuts[j] if j < len(cuts) else None
                if value is None and slope != 0:  # the pre-activation runs off to ±∞ at this end
                    if (slope * side > 0 and high is not None) or (slope * side < 0 and low is not None):
                        raise Rejected(f"neuron {net.neurons[k].name!r} leaves its piece {j} on piece {i}")
                elif value is not None and ((low is not None and value < low) or (high is not None and value > high)):
                    raise Rejected(f"neuron {net.neurons[k].name!r} is not in its piece {j} on piece {i}")
                elif value is None and ((low is not None and intercept < low) or (high is not None and intercept > high)):
                    raise Rejected(f"neuron {net.neurons[k].name!r} is not in its piece {j} on piece {i}")
            s, c = lines[j]
            maps[net.neurons[k].name] = (s * slope, s * intercept + c)


def check_crossings(cert: dict) -> str:
    tau = rational(cert.get("threshold"), "threshold")
    raw = cert.get("breakpoints")
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_PIECES + 1:
        raise Unreadable(f"'breakpoints' must list 2 to {MAX_PIECES + 1} points")
    breakpoints = [fraction_or_infinity(x, "a breakpoint") for x in raw]
    if any(x is None for x in breakpoints[1:-1]) or raw[0] == "inf" or raw[-1] == "-inf":
        raise Unreadable("only the first breakpoint may be -inf and only the last inf")
    finite = [x for x in breakpoints if x is not None]
    if any(x >= y for x, y in zip(finite, finite[1:])):
        raise Rejected("the breakpoints are not strictly increasing")
    items = cert.get("pieces")
    if not isinstance(items, list) or len(items) != len(breakpoints) - 1:
        raise Unreadable("'pieces' must give one polynomial per interval between breakpoints")
    pieces = [rational_list(p, None, "a piece's coefficients") for p in items]
    if any(len(p) > MAX_POLY_DEGREE + 1 for p in pieces):
        raise Unreadable(f"a piece of degree above {MAX_POLY_DEGREE}")
    if cert.get("network") is not None:
        _check_network(cert, breakpoints, pieces)
    values: list = []
    for i, p in enumerate(pieces):
        q = [c - tau * (k == 0) for k, c in enumerate(p)] or [-tau]
        if breakpoints[i] is not None:
            values.append(int(_value(q, breakpoints[i]) >= 0))
        values += _atoms(q, breakpoints[i], breakpoints[i + 1])
        if i == len(pieces) - 1 and breakpoints[i + 1] is not None:
            values.append(int(_value(q, breakpoints[i + 1]) >= 0))
    count = 1 + sum(1 for x, y in zip(values, values[1:]) if x != y)
    stated = integer(cert.get("count"), "count", 1, 10**12)
    if stated != count:
        raise Rejected(f"Cr(f) is {count}, not {stated}")
    source = "the network" if cert.get("network") is not None else "the piecewise polynomial"
    return f"Cr = {count} for {source} at threshold {tau} ({len(pieces)} pieces)"
