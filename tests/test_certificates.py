"""Certificates: every kind round-trips through the independent checker, every tampering is
rejected (the negative controls), bad input ends with one line and exit 2, the checker
imports neither symdepth nor flint, and prove and the command line write them."""

from __future__ import annotations

import ast
import copy
import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import certcheck
from certcheck import Rejected
from symdepth import Network, activations, bounds, check_taylor, check_uniform, constructions, piecewise, regions_2d
from symdepth.bounds.rank import _rank_certificate
from symdepth.certificates import CertificateFailed, NotCertifiable, write
from symdepth.check import rescale
from symdepth.piecewise.certify import crossings_certificate

ROOT = Path(__file__).resolve().parent.parent


def _rejected(cert: dict) -> str:
    with pytest.raises(Rejected) as caught:
        certcheck.verify(cert)
    return str(caught.value)


def test_the_checker_imports_neither_symdepth_nor_flint():
    for path in (ROOT / "certcheck").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            assert not any(n.split(".")[0] in ("symdepth", "flint", "sympy", "numpy") for n in names), (path, names)


def test_the_checker_runs_where_symdepth_and_flint_cannot_be_imported(tmp_path):
    cert = write(check_taylor(constructions.deep_power(4, "tanh"), "x1^4").certificate(), tmp_path / "c.json")
    code = ("import sys; sys.modules['symdepth'] = None; sys.modules['flint'] = None; sys.modules['sympy'] = None\n"
            f"import certcheck; print(certcheck.verify(certcheck.load({str(cert)!r})))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert run.returncode == 0 and "Taylor-approximates" in run.stdout, run.stderr


# -- taylor ------------------------------------------------------------------------------------

TAYLOR_CASES = [
    (lambda: constructions.deep_power(6, "tanh"), "x1^6", {}),                       # bias atanh(1/2)
    (lambda: constructions.deep_power(4, activations.generic()), "x1^4", {}),        # symbols, 1/sigma_2
    (lambda: constructions.product_tree(4, [2, 2], "exp"), "x1*x2*x3*x4", {}),
    (lambda: constructions.shallow_monomial((1, 2), "softplus"), "x1*x2^2", {}),      # log constants
    (lambda: constructions.lin_product(2, "sin"), "x1*x2", {}),                       # atan shifts
    (lambda: constructions.univariate_shallow("x1^3 - x1 + 2", "arctan"), "x1^3 - x1 + 2", {}),
    (lambda: constructions.deep_power(5, "exp"), "x1^5 + x1^4", {}),                  # fails at x1^4
    (lambda: constructions.deep_power(6, "tanh"), "x1^6", {"degree": 8}),             # fails at degree 8
    (lambda: constructions.deep_power(2, "exp"), "x1^2", {"at": [1]}),               # about a point
    (lambda: constructions.univariate_shallow("x1^3 - x1 + 2", "softplus"), "x1^3 - x1 + 2", {}),  # w/log(3/2)
    (lambda: constructions.univariate_shallow("x1^3 - x1 + 2", "softplus"), "x1^3 + 2", {}),  # fails at x1
]


def test_an_irrational_value_at_the_point_is_not_certifiable():
    result = check_taylor(constructions.deep_power(2, "sigmoid"), "x1^2 + 2*x1 + 1", at=[1], method="exact")
    with pytest.raises(NotCertifiable, match="irrational value"):
        result.certificate()


@pytest.mark.parametrize("case", range(len(TAYLOR_CASES)))
def test_taylor_certificates_are_verified(case):
    build, claim, options = TAYLOR_CASES[case]
    result = check_taylor(build(), claim, method="exact", **options)
    cert = json.loads(json.dumps(result.certificate()))
    text = certcheck.verify(cert)
    assert ("does not" in text) == (not result.ok)


def test_taylor_tampering_is_rejected():
    cert = check_taylor(constructions.deep_power(4, "tanh"), "x1^4").certificate()
    changed = copy.deepcopy(cert)
    changed["claim"][0][1] = "2"                                     # a coefficient of the claim
    assert "in the claim" in _rejected(changed)
    weight = copy.deepcopy(cert)
    neuron = weight["network"]["neurons"][0]
    source = next(iter(neuron["inputs"]))
    neuron["inputs"][source] = "3"                                   # one weight of the network
    _rejected(weight)
    failing = check_taylor(constructions.deep_power(5, "exp"), "x1^5 + x1^4").certificate()
    wrong = copy.deepcopy(failing)
    wrong["mismatch"]["network"] = "1"                               # the network's coefficient misstated
    assert "not 1" in _rejected(wrong)
    equal = copy.deepcopy(failing)
    equal["mismatch"] = {"monomial": [5], "network": "1", "claimed": "1"}   # a coefficient that agrees
    _rejected(equal)


def test_output_weights_over_sums_of_constants():
    """Output weights such as 4/(3·log(3/2)) (log(3/2) = log 3 − log 2, a sum in the checker's
    ring) are read as quotients: the claim is compared times the product of the divisors,
    which must be shown nonzero, and only the Taylor kinds read such an output."""
    net = constructions.univariate_shallow("x1^3 - x1 + 2", "softplus")
    cert = check_taylor(net, "x1^3 - x1 + 2").certificate()
    weights = cert["network"]["output"]["inputs"]
    assert any("log(3/2))" in w for w in weights.values())
    assert "Taylor-approximates" in certcheck.verify(cert)
    shifted = copy.deepcopy(cert)
    first = next(iter(shifted["network"]["output"]["inputs"]))
    shifted["network"]["output"]["inputs"][first] += " + 1/(7*log(3/2))"      # one weight moved
    assert "times" in _rejected(shifted)
    vanishing = copy.deepcopy(cert)
    vanishing["network"]["output"]["inputs"][first] = "1/(log(3/2) - log(3) + log(2))"   # a divisor that is 0
    with pytest.raises(certcheck.Unreadable, match="not shown nonzero"):
        certcheck.verify(vanishing)
    failing = check_taylor(net, "x1^3 + 2").certificate()
    assert "does not" in certcheck.verify(failing)
    misstated = copy.deepcopy(failing)
    misstated["mismatch"]["network"] = "1/log(3/2)"
    assert "not 1 / (" in _rejected(misstated)
    regions = regions_2d(Network.from_json((ROOT / "examples" / "relu_2d.json").read_text())).certificate()
    output = regions["network"]["output"]["inputs"]
    output[next(iter(output))] = "1/(log(2) + log(3))"
    with pytest.raises(certcheck.Unreadable, match="only Taylor certificates"):
        certcheck.verify(regions)


def test_randomized_checks_have_no_certificate():
    result = check_taylor(constructions.deep_power(8, "exp"), "x1^8", method="random", seed=1)
    with pytest.raises(NotCertifiable, match="randomized"):
        result.certificate()


# -- rank, shallow, witness, minimal ----------------------------------------------------------


@pytest.mark.parametrize("poly,order", [("x1^2*x2^3", None), ("x1^2*x2^3", 2), ("(x1+x2+x3)^6", None),
                                        ("x1^3*x2 + x2^2 - 3*x1", 1)])
def test_rank_certificates_are_verified(poly, order):
    rank = bounds.derivative_rank(poly, order=order)
    text = certcheck.verify(_rank_certificate(rank, poly, order=order))
    assert text.endswith(str(rank))


def test_rank_upper_bounds_by_exact_combinations():
    """"≤ k": every other derivative as a rational combination of the minor's rows, checked
    monomial by monomial; a changed coefficient or a missing derivative is rejected."""
    cert = _rank_certificate(5, "(x1+x2)^4")                          # 15 derivatives, rank 5
    assert len(cert["minor"]["combinations"]) == 15 - 5
    assert certcheck.verify(cert).endswith("rank = 5")
    changed = copy.deepcopy(cert)
    alpha, coefficients = changed["minor"]["combinations"][0]
    coefficients[next(i for i, c in enumerate(coefficients) if c != "0")] = "7/3"
    assert "is off at the monomial" in _rejected(changed)
    dropped = copy.deepcopy(cert)
    del dropped["minor"]["combinations"][-1]
    assert "neither a row nor given as a combination" in _rejected(dropped)
    without = copy.deepcopy(cert)
    del without["minor"]["combinations"]
    assert certcheck.verify(without).endswith("rank >= 5")           # the minor alone proves the lower half
    # the planted bug of issue 37: the rank over Q computed modulo a "big enough" prime says 3
    # for 32003*x1^2 + x2^2 (true 4); no certificate of 3 can be made
    with pytest.raises(CertificateFailed):
        _rank_certificate(3, "32003*x1^2 + x2^2")


def test_rank_tampering_is_rejected():
    cert = _rank_certificate(12, "x1^2*x2^3")
    swapped = copy.deepcopy(cert)
    swapped["minor"]["rows"][0] = swapped["minor"]["rows"][1][:]     # a minor's row swapped for another's
    _rejected(swapped)
    singular = copy.deepcopy(cert)
    row = next(r for r in singular["minor"]["rows"] if r != [0, 0])
    other = next(r for r in ([a, b] for a in range(3) for b in range(4)) if r not in singular["minor"]["rows"]) \
        if len(singular["minor"]["rows"]) < 12 else None
    assert other is None                                             # all 12 derivatives used: x1^2*x2^3 has 12
    singular["minor"]["columns"][singular["minor"]["rows"].index(row)] = [9, 9]   # a column of zeros
    assert "singular" in _rejected(singular)
    composite = copy.deepcopy(cert)
    composite["minor"]["prime"] = 2**61 + 1          # = 3 * 768614336404564651: a pivot divisible by 3 has no inverse
    assert "not a unit" in _rejected(composite)
    units = _rank_certificate(4, "x1*x2")
    units["minor"]["prime"] = 35                     # composite, yet every pivot is a unit: still a proof
    assert certcheck.verify(units).endswith("4")
    with pytest.raises(CertificateFailed, match="below the verdict"):
        _rank_certificate(13, "x1^2*x2^3")                            # a rank one too many has no minor
    with pytest.raises(CertificateFailed, match="above the verdict"):
        _rank_certificate(11, "x1^2*x2^3")                            # one too few is refuted


def test_shallow_and_minimal_certificates_and_tampering():
    for model in ("rt", "output-bias", "output-bias+skip", "biases", "biases+skip"):
        certcheck.verify(bounds.shallow_lower_bound("x1*x2", "exp", model).certificate())
    cert = bounds.shallow_lower_bound("x1*x2", "exp", "rt").certificate()
    more = dict(cert, value=cert["value"] + 1)
    assert "less than the stated" in _rejected(more)
    disallowed = dict(cert, model="output-bias+skip")             # the same orders, where skips free order 1
    _rejected(disallowed)
    width = bounds.minimal_shallow_width("x1*x2", "exp", "output-bias").certificate()
    assert "exactly" in certcheck.verify(width)
    fewer = copy.deepcopy(width)
    fewer["upper"]["neurons"] = 2
    assert "neurons" in _rejected(fewer)
    strict = copy.deepcopy(width)
    strict["model"] = strict["upper"]["model"] = strict["lower"]["model"] = "rt"   # the witness has an output bias
    _rejected(strict)


# -- uniform ---------------------------------------------------------------------------------


def _relu_example():
    net = Network(1, "relu")
    h1 = net.add_neuron({"x1": 1})
    h2 = net.add_neuron({"x1": -1})
    net.set_output({h1: -1, h2: -1})
    return net


TIGHT = Fraction(1, 740)   # the sup of |N − x1·x2| below is 0.00130…0.00139: a few cells even at order 4


def test_uniform_certificates_both_ways():
    net = rescale(constructions.product_tree(2, [2], "exp"), Fraction(1, 16), 2)
    holds = check_uniform(net, "x1*x2", TIGHT)
    cert = holds.certificate()
    assert "<= 1/740" in certcheck.verify(cert) and len(cert["cells"]) > 1 and cert["order"] == 4
    fails = check_uniform(_relu_example(), "-1", Fraction(9, 10), [(-1, Fraction(3, 2))])
    assert not fails.ok and "> 9/10" in certcheck.verify(fails.certificate())


def test_uniform_tampering_is_rejected():
    net = rescale(constructions.product_tree(2, [2], "exp"), Fraction(1, 16), 2)
    cert = check_uniform(net, "x1*x2", TIGHT).certificate()
    dropped = copy.deepcopy(cert)
    dropped["cells"] = dropped["cells"][:-1]                          # a cell dropped
    assert "uncovered" in _rejected(dropped)
    widened = copy.deepcopy(cert)
    first_split = next(i for i, e in enumerate(widened["cells"]) if e != "L")
    widened["cells"] = ["L"]                                          # the whole box as one cell
    assert first_split == 0 and "bounds |N - p| only by" in _rejected(widened)
    tighter = dict(cert, bound="1/1000")
    _rejected(tighter)
    shifted = copy.deepcopy(cert)
    shifted["cells"][0] = [shifted["cells"][0][0], "2"]               # a split moved out of the box
    assert "outside the side" in _rejected(shifted)
    lowered = dict(cert, order=2)                                     # the cells need order 4's forms
    assert "bounds |N - p| only by" in _rejected(lowered)
    fails = check_uniform(_relu_example(), "-1", Fraction(9, 10), [(-1, Fraction(3, 2))]).certificate()
    moved = dict(fails, point=["1"])                                  # |N - p| = 0 there
    assert "not shown to exceed" in _rejected(moved)


def test_the_order_fits_the_checker_budget(monkeypatch):
    """The order is two past the target's degree, lowered for a network too large for the
    checker's budget a cell; past order 0, no certificate (never one the checker refuses)."""
    import certcheck.taylor
    from symdepth.uniform.cells import certificate_order

    net = constructions.deep_power(3, "exp")
    terms = {(3,): 1}
    assert certificate_order(net, terms) == 5 and certificate_order(_relu_example(), terms) == 2
    monkeypatch.setattr(certcheck.taylor, "MAX_WORK", (net.num_neurons + 1) * 3)
    assert certificate_order(net, terms) == 2
    monkeypatch.setattr(certcheck.taylor, "MAX_WORK", net.num_neurons)
    with pytest.raises(NotCertifiable, match="budget"):
        certificate_order(net, terms)


def test_a_cell_costs_what_its_series_cost(monkeypatch):
    """A neuron's series has the inputs it depends on: h1 reads x1, h2 and the output both;
    the order drops until a cell fits MAX_CELL_WORK, and the cells are capped by the total."""
    import math

    from symdepth.uniform import cells

    net = Network(2, "tanh")
    h1 = net.add_neuron({"x1": 1})
    h2 = net.add_neuron({"x1": 1, "x2": -1})
    net.set_output({h1: 1, h2: 1})
    assert cells.cell_work(net, 4) == math.comb(6, 4) + 2 * math.comb(8, 4) == 155
    assert cells.certificate_order(net, {(1, 1): 1}) == 4
    monkeypatch.setattr(cells, "MAX_CELL_WORK", 154)
    assert cells.certificate_order(net, {(1, 1): 1}) == 3
    tree = rescale(constructions.product_tree(2, [2], "exp"), Fraction(1, 16), 2)   # 4 cells at TIGHT
    monkeypatch.setattr(cells, "MAX_CELL_WORK", 10**6)
    monkeypatch.setattr(cells, "MAX_CERTIFICATE_WORK", 2 * cells.cell_work(tree, 4))
    with pytest.raises(NotCertifiable, match="more than 2 cells"):
        check_uniform(tree, "x1*x2", TIGHT).certificate()


def test_a_wrong_uniform_verdict_has_no_certificate():
    """The bug of the issue: a ReLU's slope taken as 1 on a cell holding its kink would prove
    sup <= 0.75 < 0.9 for a sup of 1; the checker's own bound cannot, and a cell's centre
    refutes it."""
    from symdepth.parsing import polynomial_terms
    from symdepth.uniform.cells import certificate_cells

    with pytest.raises(CertificateFailed, match="refuted"):
        certificate_cells(_relu_example(), polynomial_terms("-1", ["x1"])[1], [(Fraction(-1), Fraction(3, 2))],
                          Fraction(9, 10))


# -- crossings and regions ------------------------------------------------------------------


def test_crossings_certificates_and_tampering():
    f = piecewise.from_network(piecewise.sawtooth(3), domain=(0, 1))
    cert = crossings_certificate(piecewise.crossings(f), f)
    assert certcheck.verify(cert).startswith("the network: Cr = 9 at threshold 1/2")
    moved = dict(cert, count=8)                                       # a crossing moved away
    assert "not 8" in _rejected(moved)
    flipped = copy.deepcopy(cert)
    flipped["patterns"][0][0] = 1 - flipped["patterns"][0][0]         # a piece's sign flipped
    _rejected(flipped)
    for neuron in range(len(cert["patterns"][0])):                    # on a piece whose neighbours' maps are reused
        flipped = copy.deepcopy(cert)
        flipped["patterns"][5][neuron] = 1 - flipped["patterns"][5][neuron]
        assert "piece 5" in _rejected(flipped)
    bent = copy.deepcopy(cert)
    bent["pieces"][1] = ["0", "1"]                                    # a piece that is not the network
    _rejected(bent)
    curved = piecewise.PiecewisePolynomial([-1, 1], [[0, -3, 0, 4]])
    assert "Cr = 4" in certcheck.verify(crossings_certificate(4, curved, 0))
    _rejected(crossings_certificate(3, curved, 0))


def test_algebraic_breakpoints_and_their_tampering():
    """Breakpoints as isolated roots: x^2 on [0, 1] composed into the tent map crosses 1/2 at
    1/√2 (a breakpoint of tent ∘ x^2); an isolating interval with no root, with two roots, or
    overlapping its neighbour is rejected, and so is a count off by one."""
    import sympy

    x = sympy.Symbol("x")
    f = piecewise.compose(piecewise.triangle_map_function(), piecewise.PiecewisePolynomial([0, 1], [x**2]))
    cert = crossings_certificate(piecewise.crossings(f), f)
    assert certcheck.verify(cert) == "f: Cr = 3 at threshold 1/2 (2 pieces)"
    assert cert["breakpoints"][1] == {"root": ["-1", "0", "2"], "in": ["11/16", "23/32"]}
    for count in (2, 4):
        assert f"not {count}" in _rejected(dict(cert, count=count))
    for interval, why in ((["3/4", "1"], "does not isolate"), (["-1", "1"], "does not isolate"),
                          (["-1/2", "23/32"], "overlap")):
        moved = copy.deepcopy(cert)
        moved["breakpoints"][1]["in"] = interval
        assert why in _rejected(moved)
    touching = piecewise.PiecewisePolynomial([0, sympy.sqrt(2) / 2, 1], [[0], 1 - (2 * x**2 - 1) ** 2])
    assert "Cr = 3 at threshold 1" in certcheck.verify(crossings_certificate(3, touching, 1))   # 0 | {1} | 0
    _rejected(crossings_certificate(1, touching, 1))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([2, 3, 5, 7, 10, 11]), min_size=1, max_size=3, unique=True),
       st.lists(st.lists(st.integers(-3, 3), min_size=1, max_size=4), min_size=4, max_size=4),
       st.fractions(-2, 2, max_denominator=4))
def test_algebraic_crossings_agree_with_the_engine(squares, polys, tau):
    """Pieces that meet at √(r)/2 and whose polynomials may vanish there or cross τ at other
    irrational points: the checker's count (Sturm on the pieces, gcd at the breakpoints) against
    the engine's (flint root isolation), both ways."""
    import sympy

    x = sympy.Symbol("x")
    ends = [0, *sorted(sympy.sqrt(r) / 2 for r in squares), 2]
    pieces = [sum(c * x**k for k, c in enumerate(p)) + (x**2 - sympy.Rational(squares[0], 4)) * (i % 2)
              for i, p in zip(range(len(ends) - 1), polys)]
    f = piecewise.PiecewisePolynomial(ends, pieces)
    count = piecewise.crossings(f, tau)
    assert certcheck.verify(crossings_certificate(count, f, tau)).startswith(f"f: Cr = {count} ")
    _rejected(crossings_certificate(count + 1, f, tau))


def test_network_crossings_certificates_of_random_networks():
    """The pieces of a network's certificate (the network's knots before merging, each piece's
    pattern read at its middle) pass the checker on random piecewise-linear networks with
    dead neurons, every activation kind, bounded and unbounded domains and thresholds."""
    import random

    import sympy

    rng = random.Random(11)
    for _ in range(60):
        widths = [1] + [rng.randint(1, 5) for _ in range(rng.randint(1, 4))]
        weights = [[[Fraction(rng.randint(-4, 4), rng.randint(1, 3)) * rng.randint(0, 1) for _ in range(a)]
                    for _ in range(b)] for a, b in zip(widths, widths[1:])]
        biases = [[Fraction(rng.randint(-3, 3), 2) for _ in range(b)] for b in widths[1:]]
        net = Network.from_layers(weights + [[[rng.randint(-3, 3) for _ in range(widths[-1])]]],
                                  biases + [[Fraction(rng.randint(-2, 2), 3)]], "relu")
        for node in net.neurons:
            net.set_activation(node, rng.choice(["relu", "hard_tanh", activations.get("leaky_relu")]))
        domain = rng.choice([(0, 1), (-sympy.oo, sympy.oo), (-2, sympy.oo), (-sympy.oo, Fraction(1, 3))])
        f = piecewise.from_network(net, domain=domain)
        tau = Fraction(rng.randint(-2, 2), 2)
        assert certcheck.verify(crossings_certificate(piecewise.crossings(f, tau), f, tau)).startswith("the network")


def test_tapoly_and_triangle_certificates_and_tampering():
    """(t, α) and triangle counts are stated in the crossings kind and recomputed from the
    pieces (a network's refined pieces merged to the canonical form)."""
    from symdepth.piecewise.certify import shape_certificate

    tent = piecewise.compose(piecewise.triangle(3), piecewise.triangle(2))
    assert piecewise.count_triangles(tent) == 12
    cert = shape_certificate(tent, "triangles", 12)
    assert "a (12, [0, 1])-triangle" in certcheck.verify(cert)
    assert "not 11" in _rejected(dict(cert, triangles=11))              # a triangle lost
    assert "not None" in _rejected(dict(cert, triangles=None))
    with pytest.raises(certcheck.Unreadable):
        certcheck.verify(dict(cert, triangles=True))
    lowered = copy.deepcopy(cert)
    lowered["pieces"][-1] = [lowered["pieces"][-1][0], "0"]           # flat at the end: no triangle
    assert "is not a (t, [0, 1])-triangle" in _rejected(lowered)
    shifted = copy.deepcopy(cert)
    shifted["pieces"][0][0] = "1/8"                                    # starts off 0, discontinuous
    _rejected(shifted)
    ramp = piecewise.PiecewisePolynomial([0, 1], [[0, 1]])
    assert piecewise.count_triangles(ramp) is None
    assert "not a (t, [0, 1])-triangle" in certcheck.verify(shape_certificate(ramp, "triangles", None))
    saw = piecewise.from_network(piecewise.sawtooth(3), domain=(0, 1))
    t, alpha = piecewise.tapoly(saw)
    cert = shape_certificate(saw, "tapoly", (t, alpha))
    assert f"a ({t}, {alpha})-poly" in certcheck.verify(cert)
    assert len(cert["pieces"]) >= t
    _rejected(dict(cert, tapoly=[t - 1, alpha]))                       # two pieces taken as one
    _rejected(dict(cert, tapoly=[t, alpha + 1]))
    curved = piecewise.PiecewisePolynomial([-1, 0, 1], [[0, -3, 0, 4], [0, -3, 0, 4]])
    assert "a (1, 3)-poly" in certcheck.verify(shape_certificate(curved, "tapoly", piecewise.tapoly(curved)))
    with pytest.raises(NotCertifiable, match="piecewise-linear"):
        shape_certificate(curved, "triangles", None)


def _random_pl(rng, domain=(0, 1)):
    """A random continuous piecewise-linear function, values on a grid of 1/4 (so values
    equal to 1/2, and roots at breakpoints, are common)."""
    xs = sorted({Fraction(rng.randint(1, 99), 100) for _ in range(rng.randint(0, 8))})
    ends = [Fraction(domain[0]), *xs, Fraction(domain[1])]
    ys = [Fraction(rng.randint(0, 4), 4) for _ in ends]
    return piecewise.PiecewisePolynomial(ends, [[ya - (yb - ya) / (b - a) * a, (yb - ya) / (b - a)]
                                                for a, b, ya, yb in zip(ends, ends[1:], ys, ys[1:])])


def test_disagreement_certificates_against_the_engine_and_tampering():
    """Kind ``disagreement``: the checker's count (its own positions and indicators) agrees
    with symdepth's on random piecewise-linear pairs; a changed count or verdict is rejected."""
    import random

    from symdepth.piecewise.certify import disagreement_certificate

    rng = random.Random(5)
    for _ in range(60):
        f, g = _random_pl(rng), _random_pl(rng)
        d = piecewise.disagreement(f, g)
        text = certcheck.verify(disagreement_certificate(d, f, g))
        assert text.startswith(f"{d.regions} regions") and f"s_f = {d.s_f}, s_g = {d.s_g}" in text
    f, g = piecewise.sawtooth_function(4), piecewise.triangle_map_function()
    cert = disagreement_certificate(piecewise.disagreement(f, g), f, g)
    assert "at least s_f/2 - s_g = 11/2" in certcheck.verify(cert)
    assert "not 8" in _rejected(dict(cert, regions=8))                 # a region added
    assert "'holds' must be True" in _rejected(dict(cert, holds=False))
    moved = copy.deepcopy(cert)
    moved["g"]["pieces"][0] = ["1", "0"]                               # g raised to 1 on [0, 1/2)
    _rejected(moved)
    other = copy.deepcopy(cert)
    other["g"]["breakpoints"][-1] = "2"                                # another domain
    assert "one domain" in _rejected(other)
    curved = piecewise.PiecewisePolynomial([0, 1], [[0, 0, 1]])
    with pytest.raises(NotCertifiable, match="piecewise-linear"):
        disagreement_certificate(piecewise.disagreement(curved, g), curved, g)


def test_regions_certificates_and_tampering():
    net = Network.from_json((ROOT / "examples" / "relu_2d.json").read_text())
    cert = regions_2d(net).certificate()
    assert certcheck.verify(cert).startswith("59 linear regions")
    removed = copy.deepcopy(cert)
    del removed["regions"][3]
    removed["count"] -= 1
    assert "add up to" in _rejected(removed)                          # a region removed
    merged = copy.deepcopy(cert)
    a, b = merged["regions"][0], merged["regions"][1]
    a["vertices"] += b["vertices"]
    del merged["regions"][1]
    merged["count"] -= 1
    _rejected(merged)                                                 # two merged: no single pattern fits
    relabelled = copy.deepcopy(cert)
    relabelled["regions"][5]["pattern"] = relabelled["regions"][6]["pattern"]
    _rejected(relabelled)


# -- the command line: exit codes and bad input ---------------------------------------------


def _checker(*paths):
    return subprocess.run([sys.executable, "-m", "certcheck", *map(str, paths)], capture_output=True, text=True,
                          timeout=300, cwd=ROOT)


def test_exit_codes(tmp_path):
    good = write(check_taylor(constructions.deep_power(2, "exp"), "x1^2").certificate(), tmp_path / "good.json")
    assert _checker(good).returncode == 0
    bad = json.loads(good.read_text())
    bad["claim"] = [[[2], "2"]]
    write(bad, tmp_path / "bad.json")
    run = _checker(tmp_path)
    assert run.returncode == 1 and "REJECTED" in run.stdout and "Traceback" not in run.stderr


@pytest.mark.parametrize("text", [
    '{"format": "symdepth-certificate", "version": 1, "kind": "tay',              # truncated
    "not json at all",
    "[1, 2, 3]",                                                                   # not an object
    '{"format": "symdepth-certificate", "version": 2, "kind": "taylor"}',          # unknown version
    '{"format": "symdepth-certificate", "version": 1, "kind": "proof"}',           # unknown kind
    '{"format": "symdepth-certificate", "version": 1, "kind": "rank", "polynomial": [[[2], "1' + "7" * 30000
    + '"]], "order": null, "minor": {"rank": 1, "rows": [[0]], "columns": [[2]], "prime": 5}}',  # beyond budgets
    '{"format": "symdepth-certificate", "version": 1, "kind": "taylor", "network": {"inputs": ["x1"], "neurons": '
    '[{"name": "h", "activation": "exp", "inputs": {"x1": "__import__(\'os\')"}}], "output": {"inputs": {"h": 1}}},'
    ' "claim": [], "degree": 1, "verdict": "holds"}',                              # code where a number belongs
    '{"format": "symdepth-certificate", "version": 1, "kind": "taylor", "network": {"inputs": ["x1"], "neurons": '
    '[], "output": {"inputs": {"x1": 1.5}}}, "claim": [], "degree": 1, "verdict": "holds"}',   # a float
    "[" * 100000 + "]" * 100000,                                                   # nested beyond the parser
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, text):
    path = tmp_path / "bad.json"
    path.write_text(text)
    run = _checker(path)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and run.stdout.count("\n") == 2 and "UNREADABLE" in run.stdout


def test_no_certificate_files():
    run = subprocess.run([sys.executable, "-m", "certcheck", "/nonexistent/dir"], capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr


def test_commands_write_certificates(tmp_path):
    def symdepth(*args):
        return subprocess.run([sys.executable, "-m", "symdepth", *args], capture_output=True, text=True, timeout=300,
                              cwd=ROOT)

    runs = [symdepth("check", "examples/tanh_square.json", "x1^2", "--degree", "4", "--certificate", str(tmp_path / "c.json")),
            symdepth("bounds", "x1*x2", "--model", "rt", "--certificate", str(tmp_path / "b.json")),
            symdepth("crossings", "--sawtooth", "3", "--certificate", str(tmp_path / "x.json")),
            symdepth("regions", "examples/relu_2d.json", "--certificate", str(tmp_path / "r.json"))]
    assert [r.returncode for r in runs] == [1, 0, 0, 0], [r.stderr for r in runs]   # the quartic term is not 0
    run = _checker(tmp_path)
    assert run.returncode == 0 and "5 verified" in run.stdout, run.stdout


def test_prove_writes_and_checks_certificates(tmp_path):
    from symdepth.prove import run_proofs

    report = run_proofs("RT-SQ,RT-T5.1,RT-C5.2", certificates=tmp_path / "out")
    status = {r.claim.id: r.certification.status for r in report.results}
    assert status == {"RT-SQ": "certified", "RT-T5.1": "certified in part", "RT-C5.2": "not certifiable"}
    assert report.ok and _checker(tmp_path / "out").returncode == 0
    with pytest.raises(Exception, match="not empty"):
        (tmp_path / "mine").mkdir()
        (tmp_path / "mine" / "notes.txt").write_text("mine")
        run_proofs("RT-SQ", certificates=tmp_path / "mine")
