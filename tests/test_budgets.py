"""Nothing hangs, nothing eats the machine: inputs seen to hang, run for minutes or be killed
for memory end within seconds, under a 4 GB address-space limit, with exit 2 and a one-line
message naming the option that raises the limit (or with the right answer and exit 0)."""

from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

LIMIT = 4 * 2**30
TIMEOUT = 60


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "symdepth", *args], capture_output=True, text=True,
                          timeout=TIMEOUT, preexec_fn=_limited, cwd=cwd)


def _net(tmp_path, bias: str, name: str = "net.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps({
        "format": "symdepth-network", "version": 1, "inputs": ["x1"],
        "neurons": [{"name": "h1", "activation": "exp", "bias": bias, "inputs": {"x1": "1"}}],
        "output": {"bias": "0", "inputs": {"h1": "1"}}}))
    return str(path)


def _one_line_error(run: subprocess.CompletedProcess, option: str | None) -> None:
    assert run.returncode == 2, (run.returncode, run.stdout[-500:], run.stderr[-2000:])
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symdepth: error: "), run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    if option is not None:
        assert option in lines[0], lines[0]


CASES = {
    "sawtooth 100": (["crossings", "--sawtooth", "100"], "sawtooth(100) has 2^100 pieces"),
    "plot sawtooth 30": (["plot", "sawtooth", "--layers", "30", "-o", "s.png"], "--max-pieces"),
    "huge power, two variables": (["bounds", "(x1+x2)^100000"], "--max-terms"),
    "huge power, six variables": (["bounds", "(x1+x2+x3+x4+x5+x6)^200"], "--max-terms"),
    "number tower in a claim": (["bounds", "x1 + 10^10^10"], None),
    "dense rank budget": (["bounds", "(x1+x2+x3+x4)^30", "--max-entries", "1000"], "--max-entries"),
    "plot format": (["plot", "sawtooth", "-o", "out.xyz"], ".png"),
    "width search too large": (["bounds", "x1^3*x2^3*x3^3*x4^2", "--search"], "--max-equations"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_limits_end_with_exit_2(case, tmp_path):
    args, option = CASES[case]
    _one_line_error(run_cli(*args, cwd=tmp_path), option)


@pytest.mark.parametrize("method", ["random", "auto"])
def test_huge_degree_is_a_budget_error(method, tmp_path):
    run = run_cli("check", _net(tmp_path, "0"), "x1", "--method", method, "--degree", "10000000000")
    _one_line_error(run, "--max-degree")


@pytest.mark.parametrize("bias, option", [("10^100000", "--max-digits"), ("exp(exp(exp(10)))", "--max-digits")])
def test_huge_numbers_in_a_network_file(bias, option, tmp_path):
    _one_line_error(run_cli("check", _net(tmp_path, bias), "x1"), option)


def test_claim_power_budget(tmp_path):
    _one_line_error(run_cli("check", _net(tmp_path, "0"), "(x1+x2)^100000"), "--max-terms")


def test_raising_a_limit_is_honoured(tmp_path):
    run = run_cli("crossings", "--sawtooth", "12", "--max-pieces", "1000")
    _one_line_error(run, "--max-pieces")
    assert run_cli("crossings", "--sawtooth", "12", "--max-pieces", "5000").returncode == 0


def test_regions_memory_budget(tmp_path):
    """A wide net's cell arrays grow with regions × features: the budget stops it with the
    estimate (the default, 2 GiB, stops the 512x512 net of the benchmarks generator at its
    second layer, 42,003 regions, 1.9 GB resident)."""
    from benchmarks.run import random_relu_net_2d

    path = tmp_path / "wide.json"
    path.write_text(random_relu_net_2d((64, 64, 64)).to_json())
    run = run_cli("regions", str(path), "--max-memory", "1")
    _one_line_error(run, "--max-memory")
    assert "GiB of arrays" in run.stderr
    run = run_cli("regions", str(path), "--max-memory", "64")
    assert run.returncode == 0 and "7489 linear regions" in run.stdout, run.stderr


def test_triangle_budget():
    from symdepth import BudgetError, piecewise

    with pytest.raises(BudgetError, match="--max-pieces"):
        piecewise.triangle(10**6, max_pieces=1000)
    assert piecewise.triangle(500, max_pieces=1000).num_pieces == 1000


def test_dense_rank_answers(tmp_path):
    run = run_cli("bounds", "(x1+x2+x3+x4)^30")
    assert run.returncode == 0, run.stderr
    assert "rank (all orders, QQ): 31" in run.stdout


def test_product_table_beyond_floats():
    run = run_cli("table", "product", "--max", "11", "--format", "csv")
    assert run.returncode == 0, run.stderr
    assert "2048" in run.stdout


@pytest.mark.parametrize("position", ["first", "last"])
def test_debug_anywhere_shows_the_traceback(position, tmp_path):
    args = ["crossings", "--sawtooth", "100"]
    args = ["--debug", *args] if position == "first" else [*args, "--debug"]
    run = run_cli(*args)
    assert run.returncode == 2 and "Traceback" in run.stderr and "BudgetError" in run.stderr


def test_version_and_module_entry():
    run = run_cli("--version")
    assert run.returncode == 0 and run.stdout.startswith("symdepth ")


def test_every_option_has_help():
    from symdepth.cli import _parser

    parser = _parser()
    actions = list(parser._actions)
    for sub in parser._subparsers._group_actions[0].choices.values():
        actions += sub._actions
    missing = [a.option_strings or a.dest for a in actions if not a.help]
    assert not missing


def test_uniform_proof_of_a_wide_network_stays_small(tmp_path):
    """A 40-input network: the Taylor model's product table would have ~10^9 pairs at its usual
    order; the order drops instead, and the proof (or a budget error) comes within the limits."""
    inputs = [f"x{i}" for i in range(1, 41)]
    path = tmp_path / "wide.json"
    path.write_text(json.dumps({
        "format": "symdepth-network", "version": 1, "inputs": inputs,
        "neurons": [{"name": "h1", "activation": "exp", "bias": "0", "inputs": {x: "1/1000" for x in inputs}}],
        "output": {"bias": "-1000", "inputs": {"h1": "1000"}}}))
    target = " + ".join(inputs) + " + x1^3/10^9"  # degree 3: the model's usual order 5 needs ~2·10^6 pairs
    run = run_cli("uniform", str(path), target, "--eps", "1", "--max-cells", "50", cwd=tmp_path)
    assert run.returncode == 0 and "holds" in run.stdout, (run.stdout, run.stderr[-2000:])
