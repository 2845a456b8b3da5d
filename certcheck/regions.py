"""Kind ``regions``: the exact linear regions of a piecewise-linear network on a 2-D box.

Each region is given by its vertices and its activation pattern (the piece of each neuron's
activation).  The checker takes the region as the convex hull of its vertices (computed
exactly) and shows:

* it lies in its pattern's cell: with the pattern fixed every pre-activation is affine in
  (s, t), so it lies in its piece's closed interval on the hull when it does at the vertices;
  a pre-activation that is constant and equal to a kink must take the piece above the kink
  (the rule that makes every point's pattern unique);
* the patterns are distinct: two regions then differ first at some neuron whose
  pre-activation is the same affine function for both, so they meet at most in a line — their
  interiors are disjoint;
* every region lies in the box and their exact areas add up to the box's: so they tile it,
  and the number of regions with a nonempty interior is exact.
"""

from __future__ import annotations

from fractions import Fraction

from .errors import Rejected, Unreadable
from .network import integer, linear_pieces, rational_list, read_network
from .numbers import as_rational

MAX_REGIONS = 2_000_000


def _hull(points: list) -> list:
    """The convex hull, counter-clockwise (Andrew's monotone chain, exact)."""
    points = sorted(set(points))
    if len(points) < 3:
        return points

    def turn(o: tuple, a: tuple, b: tuple) -> Fraction:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list = []
    upper: list = []
    for p in points:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    for p in reversed(points):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def _area(hull: list) -> Fraction:
    n = len(hull)
    return sum((hull[i][0] * hull[(i + 1) % n][1] - hull[(i + 1) % n][0] * hull[i][1] for i in range(n)),
               Fraction(0)) / 2


def check_regions(cert: dict) -> str:
    net = read_network(cert.get("network"))
    box = cert.get("box")
    if not isinstance(box, list) or len(box) != 2:
        raise Unreadable("'box' must give two intervals [lo, hi]")
    (s0, s1), (t0, t1) = [rational_list(side, 2, "box") for side in box]
    if not (s0 < s1 and t0 < t1):
        raise Unreadable("the box is empty")
    n = len(net.inputs)
    plane = cert.get("slice")
    if plane is None:
        if n != 2:
            raise Unreadable("a network with other than 2 inputs needs a 'slice' [x0, u, v]")
        inputs = {net.inputs[0]: (Fraction(1), Fraction(0), Fraction(0)),
                  net.inputs[1]: (Fraction(0), Fraction(1), Fraction(0))}
    else:
        if not isinstance(plane, list) or len(plane) != 3:
            raise Unreadable("'slice' must be [x0, u, v]")
        x0, u, v = (rational_list(vec, n, "slice") for vec in plane)
        inputs = {name: (a, b, c) for name, c, a, b in zip(net.inputs, x0, u, v)}
    order = cert.get("neurons")
    names = [neuron.name for neuron in net.neurons]
    if not isinstance(order, list) or sorted(map(str, order)) != sorted(names) or len(order) != len(names):
        raise Unreadable("'neurons' must list every neuron once (the order of the patterns' entries)")
    position = {name: i for i, name in enumerate(order)}
    acts = [linear_pieces(neuron.activation) for neuron in net.neurons]
    layers = [(as_rational(neuron.bias, "a bias"), [(u, as_rational(w, "a weight")) for u, w in neuron.inputs])
              for neuron in net.neurons]
    regions = cert.get("regions")
    if not isinstance(regions, list) or len(regions) > MAX_REGIONS:
        raise Unreadable(f"'regions' must be a list of at most {MAX_REGIONS}")
    seen: set = set()
    total = Fraction(0)
    for r, region in enumerate(regions):
        if not isinstance(region, dict) or not isinstance(region.get("vertices"), list):
            raise Unreadable(f"region {r} must have 'vertices' and 'pattern'")
        points = [tuple(rational_list(p, 2, f"region {r}: a vertex")) for p in region["vertices"]]
        if any(not (s0 <= s <= s1 and t0 <= t <= t1) for s, t in points):
            raise Rejected(f"region {r} has a vertex outside the box")
        hull = _hull(points)
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
        maps = dict(inputs)
        for neuron, (cuts, lines), (bias, sources) in zip(net.neurons, acts, layers):
            a = sum((w * maps[u][0] for u, w in sources), Fraction(0))
            b = sum((w * maps[u][1] for u, w in sources), Fraction(0))
            c = bias + sum((w * maps[u][2] for u, w in sources), Fraction(0))
            j = key[position[neuron.name]]
            if j >= len(lines):
                raise Rejected(f"region {r}: neuron {neuron.name!r} has no piece {j}")
            low = cuts[j - 1] if j > 0 else None
            high = cuts[j] if j < len(cuts) else None
            for s, t in hull:
                value = a * s + b * t + c
                if (low is not None and value < low) or (high is not None and value > high):
                    raise Rejected(f"region {r} leaves the piece {j} of neuron {neuron.name!r} at ({s}, {t})")
            if a == 0 and b == 0 and high is not None and c == high:
                raise Rejected(f"region {r}: neuron {neuron.name!r} is constant at the kink {c}; its piece is the "
                               "one above the kink")
            slope, intercept = lines[j]
            maps[neuron.name] = (slope * a, slope * b, slope * c + intercept)
    box_area = (s1 - s0) * (t1 - t0)
    if total != box_area:
        raise Rejected(f"the regions' areas add up to {total}, not the box's {box_area}")
    if integer(cert.get("count"), "count", 0, MAX_REGIONS) != len(regions):
        raise Rejected(f"the certificate lists {len(regions)} regions, not {cert.get('count')}")
    return f"{len(regions)} linear regions tile the box, one per activation pattern"
