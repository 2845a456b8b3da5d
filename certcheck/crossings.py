"""Kind ``crossings``: Telgarsky's crossing number Cr(f), the number of maximal intervals on
which 1[f ≥ τ] is constant (single points count), of a piecewise polynomial f.

f is given by breakpoints b_0 < … < b_m (rationals, or algebraic numbers given as
``{"root": [coefficients], "in": [lo, hi]}``, the only root of the polynomial in the open
interval (lo, hi), Sturm's count; ±inf at the ends) and a polynomial with rational
coefficients per piece; piece i holds on [b_i, b_(i+1)), the last one also at b_m.  The order
of the breakpoints is read from the isolating intervals, which must not overlap.
On each piece the checker lists the values of 1[q ≥ 0], q = p_i − τ, in order: it bisects the
open interval until each part has no root of q (Sturm's theorem on q's square-free part; one
value, read at the middle) or one root and no root at its ends (then q keeps the sign of its
ends on either side of the root, where the value is 1); a bisection point is a value of its
own.  Repeated values do not change the count of runs, so a stretch may be read more than
once, and an infinite end is replaced by a point beyond Cauchy's root bound.  At an algebraic
end α the isolating interval is bisected until q has no root in it but perhaps α (q(α) = 0
exactly when gcd(p, q) has a root there); then q keeps the sign of the interval's ends on
either side of α, and the rest of the piece is read between rational points.
When the certificate names the network f comes from (one input, piecewise-linear
activations) and each piece's activation pattern, the checker also shows f is that network:
with the pattern fixed every pre-activation is affine on the piece and lies in its pattern's
piece at both ends (so on all of it), and the output's affine map is the piece's polynomial.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from fractions import Fraction

from .errors import Rejected, Unreadable
from .network import affine_pass, integer, piecewise_layers, rational, rational_list, read_network

MAX_PIECES = 2_000_000
MAX_POLY_DEGREE = 200
MAX_BISECTIONS = 100_000   # per piece; root separation bounds them for any valid input
MAX_REFINEMENTS = 2_000    # of an algebraic breakpoint's interval (to width 2^-2000 of it)


def _trim(p: list) -> list:
    while p and p[-1] == 0:
        p = p[:-1]
    return p


def _value(p: list, x: Fraction) -> Fraction:
    out = Fraction(0)
    for c in reversed(p):
        out = out * x + c
    return out


def _divide(a: list, b: list) -> tuple:
    """(quotient, remainder) of polynomials over Q, ascending coefficients."""
    a, quotient = list(a), [Fraction(0)] * max(len(a) - len(b) + 1, 0)
    for shift in range(len(a) - len(b), -1, -1):
        quotient[shift] = a[shift + len(b) - 1] / b[-1]
        for i, c in enumerate(b):
            a[shift + i] -= quotient[shift] * c
    return quotient, _trim(a[:len(b) - 1])


class _Sturm:
    """Sturm's theorem for the square-free part s of q: the distinct roots of q in an open
    interval (lo, hi) are V(lo) − V(hi), minus 1 when hi is a root (V: sign changes of the
    chain s, s', −rem, … with zeros dropped; at a root lo of s, V(lo) = V(lo+))."""

    def __init__(self, q: list) -> None:
        derivative = [i * c for i, c in enumerate(q)][1:]
        g, h = q, derivative
        while h:
            g, h = h, _divide(g, h)[1]
        self.chain = [_divide(q, g)[0]]
        self.chain.append([i * c for i, c in enumerate(self.chain[0])][1:])
        while _trim(self.chain[-1]):
            self.chain.append([-c for c in _divide(self.chain[-2], self.chain[-1])[1]])
        self.chain = [p for p in self.chain if p]

    def changes(self, x: Fraction) -> int:
        signs = [v > 0 for v in (_value(p, x) for p in self.chain) if v]
        return sum(1 for s, t in zip(signs, signs[1:]) if s != t)

    def roots(self, lo: Fraction, hi: Fraction) -> int:
        return self.changes(lo) - self.changes(hi) - (_value(self.chain[0], hi) == 0)


def _counter(q: list) -> Callable:
    """The number of distinct roots of q in an open interval (Sturm; none for a constant)."""
    return _Sturm(q).roots if len(_trim(q)) > 1 else lambda lo, hi: 0


class _Algebraic:
    """The only root α of p in the open interval (lo, hi), p(lo) and p(hi) nonzero."""

    def __init__(self, item: dict) -> None:
        self.p = _trim(rational_list(item.get("root"), None, "an algebraic breakpoint's polynomial"))
        self.lo, self.hi = rational_list(item.get("in"), 2, "an algebraic breakpoint's interval")
        if len(self.p) > MAX_POLY_DEGREE + 1:
            raise Unreadable(f"an algebraic breakpoint of degree above {MAX_POLY_DEGREE}")
        self.roots = _counter(self.p)
        if not self.lo < self.hi or not _value(self.p, self.lo) or not _value(self.p, self.hi) or \
                self.roots(self.lo, self.hi) != 1:
            raise Rejected(f"({self.lo}, {self.hi}) does not isolate one root of the breakpoint's polynomial")

    def around(self, q: list) -> tuple:
        """(q(α) = 0, lo, hi) with (lo, hi) ∋ α holding no root of q but perhaps α, q(lo) and
        q(hi) nonzero: bisected, keeping the half where p has its root."""
        g, h = self.p, q
        while _trim(h):
            g, h = h, _divide(g, h)[1]
        zero = _counter(g)(self.lo, self.hi) > 0      # g = gcd(p, q): its roots in (lo, hi) are α
        lo, hi, roots_of_q = self.lo, self.hi, _counter(q)
        for _ in range(MAX_REFINEMENTS):
            if not q or _value(q, lo) and _value(q, hi) and roots_of_q(lo, hi) == zero:   # q = 0: f = τ on the piece
                return zero, lo, hi
            mid = (lo + hi) / 2 if _value(self.p, (lo + hi) / 2) else (lo + 3 * hi) / 4
            lo, hi = (lo, mid) if self.roots(lo, mid) else (mid, hi)
        raise Unreadable(f"an algebraic breakpoint needs more than {MAX_REFINEMENTS} bisections to separate it from "
                         "the roots of its pieces")


def _values(q: list, lo: Fraction | None, hi: Fraction | None) -> list:
    """The values of 1[q ≥ 0] on the open interval (lo, hi) in order (None: infinite ends)."""
    if len(q) <= 1:
        return [int(not q or q[0] > 0)]
    if len(q) == 2:   # one rational root: q < 0 on one side of it, q > 0 on the other
        root, left, right = -q[0] / q[1], int(q[1] < 0), int(q[1] > 0)
        if (lo is None or lo < root) and (hi is None or root < hi):
            return [left, 1, right]
        return [right if lo is not None and root <= lo else left]
    bound = 1 + max(abs(c / q[-1]) for c in q)   # Cauchy: every root lies inside ±bound
    lo = -bound - abs(hi or 0) if lo is None else lo
    hi = bound + abs(lo) if hi is None else hi
    sturm, out, stack, steps = _Sturm(q), [], [(lo, hi)], 0
    while stack:
        a, b = stack.pop()
        steps += 1
        if steps > MAX_BISECTIONS:
            raise Unreadable(f"a piece needs more than {MAX_BISECTIONS} bisections to separate its roots")
        if a == b:   # a bisection point
            out.append(int(_value(q, a) >= 0))
        elif (k := sturm.roots(a, b)) == 0:
            out.append(int(_value(q, (a + b) / 2) > 0))
        elif k == 1 and _value(q, a) and _value(q, b):
            out += [int(_value(q, a) > 0), 1, int(_value(q, b) > 0)]
        else:
            stack += [((a + b) / 2, b), ((a + b) / 2, (a + b) / 2), (a, (a + b) / 2)]
    return out


def _check_network(cert: dict, breakpoints: list, pieces: list) -> None:
    """f is the network on each piece, by the pieces' activation patterns."""
    net = read_network(cert["network"])
    patterns = cert.get("patterns")
    if len(net.inputs) != 1 or not isinstance(patterns, list) or len(patterns) != len(pieces):
        raise Unreadable("a crossings certificate's network has one input, and 'patterns' one pattern per piece")
    layers = piecewise_layers(net)
    # adjacent pieces share most maps (affine_pass's reuse) and an end: a pre-activation's
    # value at a piece's right end is its value at the next piece's left end when its map stays
    identity, reuse, at_end = {net.inputs[0]: (Fraction(1), Fraction(0))}, {}, {}
    for i, pattern in enumerate(patterns):
        if not isinstance(pattern, list) or len(pattern) != len(net.neurons):
            raise Unreadable(f"the pattern of piece {i} must have one entry per neuron")

        def inside(name: str, pre: list, low: Fraction | None, high: Fraction | None, i: int = i) -> None:
            slope, intercept = pre
            for end, side in ((breakpoints[i], -1), (breakpoints[i + 1], 1)):
                if end is None and slope:   # the pre-activation runs off to side·slope·∞
                    ok = high is None if slope * side > 0 else low is None
                else:
                    known = at_end.get(name)
                    value = known[2] if known and known[0] is pre and known[1] is end else \
                        intercept + (slope * end if end is not None else 0)
                    at_end[name] = (pre, end, value)
                    ok = (low is None or value >= low) and (high is None or value <= high)
                if not ok:
                    raise Rejected(f"neuron {name!r} is not in its pattern's piece on piece {i}")

        slope, intercept = affine_pass(layers, identity, [integer(j, "a pattern entry") for j in pattern], inside, reuse)
        if _trim([intercept, slope]) != _trim(list(pieces[i])):
            raise Rejected(f"on piece {i} the network is {slope}*x + {intercept}, not the piece's polynomial")


def check_crossings(cert: dict) -> str:
    """Cr(f) at a threshold (``count``), (t, α) of f's canonical form (``tapoly``) or t of a
    (t, [0, 1])-triangle (``triangles``, null for not one): what the certificate states of
    f, recomputed from its pieces (checked against the network when it names one)."""
    breakpoints, pieces = _function(cert, algebraic=cert.get("network") is None and "triangles" not in cert)
    if cert.get("network") is not None:
        _check_network(cert, breakpoints, pieces)
    source = "the network" if cert.get("network") is not None else "f"
    said = []
    if "tapoly" in cert:
        t = 1 + sum(1 for p, q in zip(pieces, pieces[1:]) if p != q)     # maximal runs of one polynomial
        alpha = max(0, max(len(p) - 1 for p in pieces))
        stated = cert["tapoly"]
        if not isinstance(stated, list) or [integer(x, "tapoly") for x in stated] != [t, alpha]:
            raise Rejected(f"f is a ({t}, {alpha})-poly, not a {stated}-poly")
        said.append(f"a ({t}, {alpha})-poly")
    if "triangles" in cert:
        t = _triangles(breakpoints, pieces)
        if (None if cert["triangles"] is None else integer(cert["triangles"], "triangles")) != t:
            raise Rejected(f"f has {t} triangles, not {cert['triangles']}" if t is not None else
                           f"f is not a (t, [0, 1])-triangle, not one with t = {cert['triangles']}")
        said.append(f"a ({t}, [0, 1])-triangle" if t is not None else "not a (t, [0, 1])-triangle")
    if "count" in cert or not said:
        said.insert(0, _check_count(cert, breakpoints, pieces))
    return f"{source}: {'; '.join(said)} ({len(pieces)} pieces)"


def _function(doc: object, algebraic: bool = False) -> tuple:
    """(breakpoints, None for an infinite end; trimmed ascending coefficients per piece);
    algebraic breakpoints only where ``algebraic`` (Cr and (t, α) of a function without a
    network)."""
    raw = doc.get("breakpoints") if isinstance(doc, dict) else None
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_PIECES + 1:
        raise Unreadable(f"'breakpoints' must list 2 to {MAX_PIECES + 1} points")
    breakpoints = [None if x in ("-inf", "inf") and (x == "-inf") == (i == 0) and i in (0, len(raw) - 1)
                   else _Algebraic(x) if isinstance(x, dict) else rational(x, "a breakpoint") for i, x in enumerate(raw)]
    finite = [(x.lo, x.hi, True) if isinstance(x, _Algebraic) else (x, x, False) for x in breakpoints if x is not None]
    if any(a[1] > b[0] or a[1] == b[0] and not (a[2] or b[2]) for a, b in zip(finite, finite[1:])):
        raise Rejected("the breakpoints are not strictly increasing (or their isolating intervals overlap)")
    if not algebraic and any(isinstance(x, _Algebraic) for x in breakpoints):
        raise Unreadable("this statement takes rational breakpoints only")
    items = doc.get("pieces")
    if not isinstance(items, list) or len(items) != len(breakpoints) - 1:
        raise Unreadable("'pieces' must give one polynomial per interval between breakpoints")
    pieces = [_trim(rational_list(p, None, "a piece's coefficients")) for p in items]
    if any(len(p) > MAX_POLY_DEGREE + 1 for p in pieces):
        raise Unreadable(f"a piece of degree above {MAX_POLY_DEGREE}")
    return breakpoints, pieces


def check_disagreement(cert: dict) -> str:
    """Kind ``disagreement``, Telgarsky's lemma on a pair (f, g) of piecewise-linear functions
    on one domain: the regions of I_f (maximal intervals on which f̃ = 1[f ≥ τ] is constant)
    on which g̃ ≠ f̃ throughout, s_f = Cr(f), s_g = Cr(g), and whether the regions are at
    least s_f/2 − s_g.  Both indicators are constant between consecutive positions (the
    breakpoints of both and each linear piece's rational root of p − τ), so the checker reads
    them at every position and at a point inside every gap between them, in order."""
    tau = rational(cert.get("threshold"), "threshold")
    (f_ends, f), (g_ends, g) = _function(cert.get("f")), _function(cert.get("g"))
    if any(len(p) > 2 for p in f + g):
        raise Unreadable("disagreements are counted for piecewise-linear f and g only")
    if (f_ends[0], f_ends[-1]) != (g_ends[0], g_ends[-1]):
        raise Rejected("f and g are not given on one domain")
    positions = {x for x in f_ends + g_ends if x is not None}
    for ends, pieces in ((f_ends, f), (g_ends, g)):
        for (a, b), p in zip(zip(ends, ends[1:]), pieces):
            if len(p) == 2 and (a is None or a <= (tau - p[0]) / p[1]) and (b is None or (tau - p[0]) / p[1] <= b):
                positions.add((tau - p[0]) / p[1])
    points = sorted(positions) or [Fraction(0)]     # no position: both indicators are constant
    atoms = ([points[0] - 1] if f_ends[0] is None else []) + [x for pair in zip(points, points[1:])
                                                             for x in (pair[0], (pair[0] + pair[1]) / 2)]
    atoms += [points[-1]] + ([points[-1] + 1] if f_ends[-1] is None else [])

    def indicator(ends: list, pieces: list, x: Fraction) -> int:
        return int(_value(pieces[bisect.bisect_right(ends, x, 1, len(ends) - 1) - 1], x) >= tau)

    regions, s_f, s_g, current, last_g = 0, 0, 0, None, None
    for x in atoms:
        vf, vg = indicator(f_ends, f, x), indicator(g_ends, g, x)
        s_g += vg != last_g
        last_g = vg
        if current is None or vf != current[0]:
            regions += current is not None and current[1]
            s_f += 1
            current = (vf, True)
        if vf == vg:
            current = (vf, False)
    regions += current is not None and current[1]
    stated = [integer(cert.get(k), k) for k in ("regions", "s_f", "s_g")]
    if stated != [regions, s_f, s_g]:
        raise Rejected(f"regions, s_f, s_g are {regions}, {s_f}, {s_g}, not {', '.join(map(str, stated))}")
    bound = Fraction(s_f, 2) - s_g
    if cert.get("holds") is not (regions >= bound):
        raise Rejected(f"{regions} regions against s_f/2 - s_g = {bound}: 'holds' must be {regions >= bound}")
    return (f"{regions} regions of I_f where 1[f >= {tau}] and 1[g >= {tau}] differ throughout; s_f = {s_f}, "
            f"s_g = {s_g}: {'at least' if regions >= bound else 'below'} s_f/2 - s_g = {bound}")


def _check_count(cert: dict, breakpoints: list, pieces: list) -> str:
    tau = rational(cert.get("threshold"), "threshold")
    values: list = []
    for i, p in enumerate(pieces):
        q = _trim([c - tau * (k == 0) for k, c in enumerate(p)] or [-tau])
        a, b = breakpoints[i], breakpoints[i + 1]
        if isinstance(a, _Algebraic):          # at α, then on (α, hi]: q's value at hi
            zero, _, a = a.around(q)
            values += [int(zero or _value(q, a) >= 0), int(_value(q, a) >= 0)]
        elif a is not None:
            values.append(int(_value(q, a) >= 0))
        # before an algebraic β: to its interval's lo (q keeps its value at lo on [lo, β))
        zero, b, _ = b.around(q) if isinstance(b, _Algebraic) else (False, b, None)
        values += _values(q, a, b) if a is None or b is None or a < b else []
        if i == len(pieces) - 1 and b is not None:
            values.append(int(zero or _value(q, b) >= 0))
    count = 1 + sum(1 for x, y in zip(values, values[1:]) if x != y)
    if integer(cert.get("count"), "count", 1, 10**12) != count:
        raise Rejected(f"Cr(f) is {count}, not {cert.get('count')}")
    return f"Cr = {count} at threshold {tau}"


def _triangles(breakpoints: list, pieces: list) -> int | None:
    """t if a piecewise-linear f is a (t, [0, 1])-triangle — continuous on a bounded domain,
    strictly monotone on 2t intervals, from 0 up to 1, down to 0, … — else None."""
    if any(len(p) > 2 for p in pieces):
        raise Unreadable("triangles are counted for piecewise-linear f only")
    if breakpoints[0] is None or breakpoints[-1] is None:
        return None
    slopes = [p[1] if len(p) == 2 else Fraction(0) for p in pieces]
    ends = list(zip(breakpoints, breakpoints[1:]))
    if not all(slopes) or slopes[0] < 0 or any(_value(p, b) != _value(q, b) for p, q, (_, b) in
                                               zip(pieces, pieces[1:], ends)):
        return None      # flat somewhere, starting downwards, or discontinuous
    values = [_value(pieces[0], breakpoints[0])]
    values += [_value(p, a) for p, (a, _), s, r in zip(pieces[1:], ends[1:], slopes[1:], slopes) if (s > 0) != (r > 0)]
    values.append(_value(pieces[-1], breakpoints[-1]))
    if len(values) % 2 == 0 or values != [i % 2 for i in range(len(values))]:
        return None
    return (len(values) - 1) // 2
