"""The front door as a new user meets it (issue 41): numbers as users type them, one box
syntax, JSON that scripts can parse, hints only where their cause is the one they name.
Command-line cases run as subprocesses, as a user's shell would run them."""

from __future__ import annotations

import json
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from symdepth import Network, check_taylor, constructions
from symdepth.errors import BudgetError, ParseError
from symdepth.parsing import parse_number, parse_polynomial

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symdepth", *args], capture_output=True, text=True, timeout=120,
                          cwd=cwd)


def _relu_file(tmp_path: Path) -> Path:
    """relu(x1) as a network file."""
    net = Network(1, "relu")
    h = net.add_neuron({"x1": 1})
    net.set_output({h: 1})
    path = tmp_path / "relu.json"
    path.write_text(net.to_json())
    return path


@pytest.mark.parametrize("box", [["--box", "-1/2", "1/2", "-1/2", "1/2"], ["--box=-1/2,1/2,-1/2,1/2"],
                                 ["--box", "-1/2,1/2", "-1/2,1/2"], ["--box=-1/2,1/2", "--box=-1/2,1/2"],
                                 ["--box", "-5e-1,0.5", "-.5,1/2"]])
def test_regions_takes_negative_fractions_in_every_box_syntax(box):
    run = _run("regions", str(EXAMPLES / "relu_2d.json"), *box)
    assert run.returncode == 0, run.stderr
    assert "on [-1/2, 1/2] x [-1/2, 1/2]" in run.stdout


@pytest.mark.parametrize("box", [["--box=-1/8,1/8"], ["--box", "-1/8", "1/8"], ["--box", "-1/8,1/8"]])
def test_uniform_takes_the_same_box_syntaxes(box):
    run = _run("uniform", str(EXAMPLES / "tanh_square.json"), "x1^2", "--eps", "1e-1", *box)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("UniformCheck(holds")


def test_a_box_of_the_wrong_size_or_misplaced_is_one_clear_line():
    wrong = _run("regions", str(EXAMPLES / "relu_2d.json"), "--box", "-1/2,1/2")
    assert wrong.returncode == 2 and "needs 2 interval(s)" in wrong.stderr and "Traceback" not in wrong.stderr
    misplaced = _run("regions", "--box", "-1", "1", "-1", "1", str(EXAMPLES / "relu_2d.json"))
    assert misplaced.returncode == 2 and "is not a number" in misplaced.stderr and "after the network" in misplaced.stderr
    for command in ("regions", "uniform"):
        assert "--box -1/2,1/2 0,1" in " ".join(_run(command, "-h").stdout.split())


def test_crossings_domain_and_threshold_take_negative_fractions(tmp_path):
    path = _relu_file(tmp_path)
    run = _run("crossings", str(path), "--domain", "-1/2", "1", "--threshold", "-1/4")
    assert run.returncode == 0, run.stderr
    assert "Cr(f) at threshold -1/4 = 1" in run.stdout  # relu ≥ 0 > -1/4 on the whole domain: one piece above


def test_check_json_to_stdout_is_json_alone():
    run = _run("check", str(EXAMPLES / "tanh_square.json"), "x1^2", "--degree", "3", "--json", "-")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["verdict"] == "holds"     # nothing before or after the document
    assert run.stderr.startswith("TaylorCheck(holds")       # the human lines, on stderr


def test_no_hint_when_the_network_has_an_extra_term_and_no_error_probability_when_exact():
    """The README's 'but not to degree 8': the network has −5/4·x^8 where x^6 has none; a
    vanishing σ'' cannot add a term, so there is no hint, and an exact verdict has no error
    probability."""
    bad = check_taylor(constructions.deep_power(6, "tanh"), "x1^6", degree=8)
    assert not bad.ok and bad.first_mismatch.network == Fraction(-5, 4)
    assert bad.hint == "" and bad.error_probability is None
    assert "error_probability" not in repr(bad) and "error" not in bad.to_latex()
    assert bad.to_dict()["error_probability"] is None


def test_the_hint_stays_where_a_term_vanished():
    net = Network(1, "sigmoid")
    a, b = net.add_neuron({"x1": 1}), net.add_neuron({"x1": -1})
    net.set_output({a: 1, b: 1}, bias=-1)   # the square gate at 0, where sigmoid'' = 0: x1^2 vanishes
    result = check_taylor(net, "x1^2")
    assert result.first_mismatch.network == 0 and "sigma_2 = 0 at 0" in result.hint


def test_a_randomized_failure_is_certain():
    wrong = check_taylor(constructions.deep_power(3, "exp"), "2*x1^3", method="random", seed=1)
    assert not wrong.ok and wrong.error_probability is None
    assert check_taylor(constructions.deep_power(3, "exp"), "x1^3", method="random", seed=1).error_probability < 1e-9


@pytest.mark.parametrize("text, value", [("1e-3", Fraction(1, 1000)), ("-2.5E+2", -250), ("3e2/4", 75),
                                         (".5e1", 5), ("1E0", 1), ("7e-1", Fraction(7, 10))])
def test_decimal_exponents_are_exact(text, value):
    assert parse_number(text) == value
    assert parse_polynomial(f"{text}*x1")[1] == {(1,): value}


def test_decimal_exponents_keep_the_old_errors_and_a_budget():
    for text in ("2e", "1ex", "2E*x1"):
        with pytest.raises(ParseError, match="mixes a number and a name"):
            parse_number(text)
    with pytest.raises(BudgetError, match="MAX_DIGITS"):
        parse_number("1e99999999")   # never expanded: refused from the exponent alone


def test_eps_in_scientific_notation_on_the_command_line():
    run = _run("uniform", str(EXAMPLES / "tanh_square.json"), "x1^2", "--eps", "1e-3", "--box", "-1/8,1/8")
    assert run.returncode == 0, run.stderr
    assert "eps=0.001" in run.stdout


def test_strings_are_exact_numbers_in_every_public_call():
    """One rule: a string such as "1/10" is read by the number grammar wherever an exact
    number is taken, with the same result as the Fraction."""
    from symdepth import piecewise
    from symdepth.uniform import check_uniform, sup_enclosure

    square = constructions.deep_power(2, "exp")
    assert repr(check_uniform(square, "x1^2", "1/10", box=[("-1/8", "1/8")])) == repr(check_uniform(
        square, "x1^2", Fraction(1, 10), box=[(Fraction(-1, 8), Fraction(1, 8))]))
    assert str(sup_enclosure(square, "x1^2", box=[("-1/8", "1e-1")], rtol="1/10")) == str(
        sup_enclosure(square, "x1^2", box=[(Fraction(-1, 8), Fraction(1, 10))], rtol=Fraction(1, 10)))
    relu = Network(1, "relu")
    h = relu.add_neuron({"x1": "1/2"}, bias="-1e-1")
    relu.set_output({h: 1})
    assert relu.graph.nodes[h]["bias"] == Fraction(-1, 10)
    f = piecewise.from_network(relu, ("-1/2", "1"))
    assert f.domain == (Fraction(-1, 2), 1) and piecewise.crossings(f, "-1/4") == 1
    assert relu.evaluate(["1"]) == Fraction(2, 5) and relu.evaluate(["1e-1"]) == 0
    with pytest.raises(ParseError, match="eps '1/1x0'"):
        check_uniform(square, "x1^2", "1/1x0")


def test_generic_symbols_are_explained_in_the_repr_and_a_hint():
    import sympy

    from symdepth import activations

    x1, s0, s1, s2 = sympy.symbols("x1 sigma_0 sigma_1 sigma_2")
    net = Network(1, activations.generic())
    h = net.add_neuron({"x1": 1})
    net.set_output({h: 1})
    holds = check_taylor(net, s0 + s1 * x1 + s2 * x1**2, degree=2)
    assert holds.ok and "where sigma_k = sigma^(k)(0)/k!" in repr(holds)
    derivative_meant = check_taylor(net, s0 + s1 * x1 + s2 / 2 * x1**2, degree=2)   # σ''(0)/2 written as sigma_2/2
    assert not derivative_meant.ok and "not its k-th derivative" in derivative_meant.hint
    assert "sigma_k" not in repr(check_taylor(constructions.deep_power(2, "exp"), "x1^2"))
    assert check_taylor(net, s0 + s1 * x1, degree=2).hint == ""  # fails, but the claim names no sigma_2


def test_a_witness_is_printed_as_its_neurons():
    """Model rt has no output bias, so x1·x2 needs a constant neuron exp(0·x): the witness
    shows it, where the closed form -exp(x1) - exp(x2) + exp(x1 + x2) + 1 hides it."""
    run = _run("bounds", "x1*x2", "--search", "--activation", "exp", "--model", "rt")
    assert run.returncode == 0, run.stderr
    (witness,) = [line for line in run.stdout.splitlines() if "witness" in line]
    assert "witness (4 neurons)" in witness and "= exp(0)" in witness
    assert witness.count(" = exp(") == 4 and "output = " in witness
    from symdepth import bounds

    found = bounds.minimal_shallow_width("x1*x2", "exp", "rt")
    assert "exp(0)" in found._repr_html_()


def test_prove_names_the_claims_when_none_matches():
    run = _run("prove", "-k", "T4.1")
    assert run.returncode == 2 and "did you mean RT-T4.1" in run.stderr and "the claims are ACH-E2E" in run.stderr


def test_plot_without_matplotlib_fails_before_any_work(tmp_path):
    """matplotlib hidden: regions and crossings stop at the option, before computing."""
    script = ("import sys; sys.modules['matplotlib'] = None\n"
              "from symdepth import piecewise\n"
              "def never(*a, **k): raise AssertionError('computed before checking --plot')\n"
              "piecewise.regions_2d = piecewise.from_network = never\n"
              "from symdepth.cli import main\n"
              "sys.exit(main(sys.argv[1:]))")
    for args in (["regions", str(EXAMPLES / "relu_2d.json")], ["crossings", str(EXAMPLES / "relu_2d.json")]):
        run = subprocess.run([sys.executable, "-c", script, *args, "--plot", str(tmp_path / "out.png")],
                             capture_output=True, text=True, timeout=120)
        assert run.returncode == 2 and "matplotlib" in run.stderr and "computed before" not in run.stderr, run.stderr


def test_crossings_print_infinite_ends_readably(tmp_path):
    path = _relu_file(tmp_path)
    run = _run("crossings", str(path))
    assert run.returncode == 0 and "on the whole line (-∞, ∞)" in run.stdout and "INF" not in run.stdout


def test_bad_files_are_named(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{bad")
    run = _run("check", str(bad), "x1")
    assert run.returncode == 2 and f"{bad}: network file is not valid JSON" in run.stderr


def test_a_missing_onnx_file_is_reported_before_the_onnx_package_is_needed():
    script = ("import sys; sys.modules['onnx'] = None\n"
              "from symdepth import Network\n"
              "Network.from_onnx('missing.onnx')")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert "cannot read the ONNX file 'missing.onnx': no such file" in run.stderr
