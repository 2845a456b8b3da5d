"""The certificate of a uniform verdict (kind ``uniform``): for "holds", a subdivision of the
box on which ``certcheck``'s own bound — Taylor forms in mpmath's interval arithmetic, of the
order the certificate states — proves |N − p| ≤ the stated bound on every cell.

The cells are found by asking the checker's bound itself, splitting a cell along its widest
side while the bound exceeds the target, in the order the checker walks the tree; so the
checker accepts what is written, and the certificate's size is the price of its simpler
method.  The order is this package's Taylor-model order (two past the target's degree,
:func:`certificate_order`): below it a rescaled network's cancellation is lost.  While
refining, each cell's centre is evaluated too: a centre where |N − p| exceeds
the bound refutes the verdict (:class:`~symdepth.certificates.CertificateFailed`); a budget
exhausted without that is :class:`~symdepth.certificates.NotCertifiable` (the checker's
method is too weak there, the verdict may still be right).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from ..certificates import CertificateFailed, NotCertifiable, document, terms_json
from ..numbers import json_number
from ..parsing import polynomial_terms

MAX_CERTIFICATE_CELLS = 500
# the checker's cost of a cell: the pair products of its series (:func:`cell_work`), 0.07–0.4 ms
# each in mpmath's intervals on this machine; a cell may cost at most MAX_CELL_WORK (about
# 2 s), all cells together MAX_CERTIFICATE_WORK (about 10–20 s, as long to write as to check)
MAX_CELL_WORK = 20_000
MAX_CERTIFICATE_WORK = 100_000


def cell_work(net: Any, order: int) -> int:
    """The checker's work on one cell at this order (:data:`MAX_CELL_WORK`): per neuron and
    the output, the pair products C(2s + K, K) of series in the s inputs it depends on."""
    import networkx as nx

    inputs = set(net.inputs)
    return sum(math.comb(2 * len(nx.ancestors(net.graph, v) & inputs) + order, order)
               for v in net.graph if v not in inputs)


def certificate_order(net: Any, terms: dict) -> int:
    """The Taylor forms' order for the checker: two past the target's degree for analytic
    activations (capped as this package's own Taylor models are), 2 otherwise (across a kink
    only orders 0 and 1 hold, elsewhere a piecewise-linear network is affine); lowered until
    a cell fits the checker's budget and :data:`MAX_CELL_WORK`, not certifiable past order 0."""
    from certcheck.taylor import MAX_WORK

    n = net.num_inputs
    if not all(net.graph.nodes[v]["activation"].is_analytic for v in net.neurons):
        order = 2
    else:
        order = min(max((sum(m) for m in terms), default=0) + 2, 12 if n == 1 else 8)

    def too_large(k: int) -> bool:
        return (net.num_neurons + 1) * math.comb(n + k, k) > MAX_WORK or cell_work(net, k) > MAX_CELL_WORK

    while order > 0 and too_large(order):
        order -= 1
    if too_large(order):
        raise NotCertifiable(f"{net.num_neurons} neurons: more than the checker's budget a cell")
    return order


def _checker(net: Any, terms: dict, order: int) -> tuple:
    """The checker's own f = N − p and its bound on a cell (Unreadable → NotCertifiable)."""
    import certcheck.errors
    from certcheck.network import polynomial, read_network
    from certcheck.uniform import Difference, cell_bound, lower

    try:
        network = read_network(json.loads(net.to_json()))
        return Difference(network, polynomial(terms_json(terms), net.num_inputs, "target"), order), cell_bound, lower
    except certcheck.errors.Unreadable as err:
        raise NotCertifiable(f"the checker cannot read this network: {err}") from None


def certificate_cells(net: Any, terms: dict, box: Sequence, bound: Fraction,
                      max_cells: int = MAX_CERTIFICATE_CELLS, order: int = 2) -> list:
    """The cell tree in preorder ("L" a cell, [axis, at] a split, lower half first) on which
    the checker's bound of the given order is at most ``bound``."""
    from certcheck.numbers import precision
    from certcheck.uniform import PRECISION, point_value

    f, cell_bound, lower = _checker(net, terms, order)
    value = _checker(net, terms, 0)[0]   # |N − p| at a centre: no series needed
    tree: list = []
    cells = 0
    pending = [[tuple(side) for side in box]]
    with precision(PRECISION):
        while pending:
            cell = pending.pop()
            lo, hi = [a for a, _ in cell], [b for _, b in cell]
            if cell_bound(f, lo, hi) <= bound:
                tree.append("L")
                cells += 1
                continue
            centre = [(a + b) / 2 for a, b in zip(lo, hi)]
            low = lower(abs(point_value(value, centre)))
            if low is not None and low > bound:
                raise CertificateFailed(f"|N - p| > {bound} at the point {tuple(map(str, centre))}: the verdict's bound "
                                        "is refuted")
            if cells + len(pending) >= max_cells:
                raise NotCertifiable(f"the checker's Taylor forms of order {order} need more than {max_cells} cells to confirm "
                                     f"sup |N - p| <= {float(bound):.3g}")  # float: message
            axis = max(range(len(cell)), key=lambda i: cell[i][1] - cell[i][0])
            a, b = cell[axis]
            at = (a + b) / 2
            tree.append([axis, json_number(at)])
            lower_half, upper_half = list(cell), list(cell)
            lower_half[axis], upper_half[axis] = (a, at), (at, b)
            pending += [upper_half, lower_half]
    return tree


def uniform_certificate(net: Any, target: Any, box: Sequence, *, bound: Fraction | None = None,
                        eps: Fraction | None = None, point: Sequence | None = None,
                        lower_point: Sequence | None = None, lower_value: Fraction | None = None) -> dict:
    """A ``uniform`` certificate: "holds" with ``bound`` (the cells computed here, and an
    optional point where |N − p| ≥ ``lower_value``), or "fails" at ``point`` with ``eps``."""
    _, terms = polynomial_terms(target, net.inputs)
    fields: dict = {"network": json.loads(net.to_json()), "target": terms_json(terms),
                    "box": [[json_number(a), json_number(b)] for a, b in box]}
    if point is not None:
        assert eps is not None
        return document("uniform", f"|N - p| > {eps} at a point of the box (Rolnick & Tegmark, Def. 3.1 fails)",
                        verdict="fails", eps=json_number(eps), point=[json_number(x) for x in point], **fields)
    assert bound is not None
    order = certificate_order(net, terms)
    max_cells = min(MAX_CERTIFICATE_CELLS, MAX_CERTIFICATE_WORK // cell_work(net, order))
    cells = certificate_cells(net, terms, box, bound, max_cells, order)
    if lower_point is not None and lower_value is not None:
        fields["lower"] = {"point": [json_number(x) for x in lower_point], "value": json_number(lower_value)}
    return document("uniform", f"sup over the box of |N - p| <= {bound} (Rolnick & Tegmark, Def. 3.1)",
                    verdict="holds", bound=json_number(bound), order=order, cells=cells, **fields)
