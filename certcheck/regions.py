"""Kind ``regions``: the exact linear regions of a piecewise-linear network on a 2-D box.

Each region is given by its vertices and its activation pattern (each neuron's piece).  The
checker takes the region as the convex hull of its vertices (exactly) and shows:

* it lies in its pattern's cell: with the pattern fixed every pre-activation is affine in
  (s, t), so it stays in its piece's closed interval on the hull when it does at the vertices;
  one constant and equal to a kink must take the piece above it (so a point's pattern is
  unique);
* the patterns are distinct: two regions differ first at some neuron whose pre-activation is
  the same affine function for both, so they meet at most in a line and their interiors are
  disjoint;
* every region lies in the box and the exact areas add up to the box's: so the regions tile
  it, and the count of regions with an interior is exact.
"""

from __future__ import annotations

from fractions import Fraction

from .errors import Rejected, Unreadable
from .network import affine_pass, integer, piecewise_layers, rational_list, read_network

MAX_REGIONS = 2_000_000


def _hull(points: list) -> list:
    """The convex hull, counter-clockwise (Andrew's monotone chain, exact)."""
    points = sorted(set(points))
    if len(points) < 3:
        return points
    chains: list = [[], []]
    for chain, order in zip(chains, (points, points[::-1])):
        for p in order:
            while len(chain) >= 2 and ((chain[-1][0] - chain[-2][0]) * (p[1] - chain[-2][1])
                                       - (chain[-1][1] - chain[-2][1]) * (p[0] - chain[-2][0])) <= 0:
                chain.pop()
            chain.append(p)
    return chains[0][:-1] + chains[1][:-1]


def _area(hull: list) -> Fraction:
    return sum((a[0] * b[1] - b[0] * a[1] for a, b in zip(hull, hull[1:] + hull[:1])), Fraction(0)) / 2


def check_regions(cert: dict) -> str:
    net = read_network(cert.get("network"))
    box = cert.get("box")
    if not isinstance(box, list) or len(box) != 2:
        raise Unreadable("'box' must give two intervals [lo, hi]")
    (s0, s1), (t0, t1) = [rational_list(side, 2, "box") for side in box]
    if not (s0 < s1 and t0 < t1):
        raise Unreadable("the box is empty")
    n, one, zero = len(net.inputs), Fraction(1), Fraction(0)
    if cert.get("slice") is None:
        if n != 2:
            raise Unreadable("a network with other than 2 inputs needs a 'slice' [x0, u, v]")
        inputs = {net.inputs[0]: (one, zero, zero), net.inputs[1]: (zero, one, zero)}
    else:
        if not isinstance(cert["slice"], list) or len(cert["slice"]) != 3:
            raise Unreadable("'slice' must be [x0, u, v]")
        x0, u, v = (rational_list(vec, n, "slice") for vec in cert["slice"])
        inputs = {name: (a, b, c) for name, c, a, b in zip(net.inputs, x0, u, v)}   # x = x0 + s·u + t·v
    names = [neuron.name for neuron in net.neurons]
    order = cert.get("neurons")
    if not isinstance(order, list) or len(order) != len(names) or sorted(map(str, order)) != sorted(names):
        raise Unreadable("'neurons' must list every neuron once (the order of the patterns' entries)")
    index = {str(x): i for i, x in enumerate(order)}
    position = [index[name] for name in names]
    layers = piecewise_layers(net)
    regions = cert.get("regions")
    if not isinstance(regions, list) or len(regions) > MAX_REGIONS:
        raise Unreadable(f"'regions' must be a list of at most {MAX_REGIONS}")
    seen: set = set()
    total = Fraction(0)
    for r, region in enumerate(regions):
        if not isinstance(region, dict) or not isinstance(region.get("vertices"), list):
            raise Unreadable(f"region {r} must have 'vertices' and 'pattern'")
        hull = _hull([tuple(rational_list(p, 2, f"region {r}: a vertex")) for p in region["vertices"]])
        if any(not (s0 <= s <= s1 and t0 <= t <= t1) for s, t in hull):
            raise Rejected(f"region {r} has a vertex outside the box")
        area = _area(hull) if len(hull) >= 3 else Fraction(0)
        if area <= 0:
            raise Rejected(f"region {r} has no interior")
        total += area
        pattern = region.get("pattern")
        if not isinstance(pattern, list) or len(pattern) != len(names):
            raise Unreadable(f"region {r}: the pattern must have one entry per neuron")
        key = tuple(integer(x, "a pattern entry", 0, 10) for x in pattern)
        if key in seen:
            raise Rejected(f"region {r} repeats the pattern of an earlier region")
        seen.add(key)

        def inside(name: str, pre: list, low: Fraction | None, high: Fraction | None, r: int = r,
                   hull: list = hull) -> None:
            a, b, c = pre
            for s, t in hull:
                if (low is not None and a * s + b * t + c < low) or (high is not None and a * s + b * t + c > high):
                    raise Rejected(f"region {r} leaves its piece of neuron {name!r} at ({s}, {t})")
            if a == 0 and b == 0 and c == high:
                raise Rejected(f"region {r}: neuron {name!r} is constant at the kink {c}; its piece is the one "
                               "above the kink")

        affine_pass(layers, inputs, [key[k] for k in position], inside)
    if total != (s1 - s0) * (t1 - t0):
        raise Rejected(f"the regions' areas add up to {total}, not the box's {(s1 - s0) * (t1 - t0)}")
    if integer(cert.get("count"), "count", 0, MAX_REGIONS) != len(regions):
        raise Rejected(f"the certificate lists {len(regions)} regions, not {cert.get('count')}")
    return f"{len(regions)} linear regions tile the box, one per activation pattern"
