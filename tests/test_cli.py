"""The command line: results, exit codes 0/1/2, one-line errors, --debug tracebacks."""

import json
import subprocess
import sys
from fractions import Fraction

import pytest

from symdepth import constructions
from symdepth.cli import main


@pytest.fixture
def net_file(tmp_path):
    path = tmp_path / "net.json"
    path.write_text(constructions.deep_power(5, "tanh").to_json())
    return str(path)


def test_check(net_file, capsys):
    assert main(["check", net_file, "x1^5"]) == 0
    assert "TaylorCheck(holds" in capsys.readouterr().out
    assert main(["check", net_file, "x1^5 + x1", "--method", "exact"]) == 1
    assert main(["check", net_file, "x1^5", "--method", "random", "--seed", "4"]) == 0
    assert "seed=4" in capsys.readouterr().out


def test_bounds_and_tables(tmp_path, capsys):
    assert main(["bounds", "x1^2*x2^3"]) == 0
    out = capsys.readouterr().out
    assert "rank (all orders, QQ): 12" in out and "Thm 4.4" in out
    assert main(["bounds", "x1^2 + x1*x2^2"]) == 0
    assert "sparse bound" in capsys.readouterr().out
    target = tmp_path / "t.tex"
    assert main(["table", "product", "--max", "3", "-o", str(target)]) == 0
    assert r"\toprule" in target.read_text()
    assert main(["table", "power", "--format", "csv"]) == 0


def test_crossings(capsys, tmp_path):
    assert main(["crossings", "--sawtooth", "6"]) == 0
    assert "Cr(f) at threshold 1/2 = 65" in capsys.readouterr().out
    from symdepth import piecewise

    path = tmp_path / "saw.json"
    path.write_text(piecewise.sawtooth(3).to_json())
    assert main(["crossings", str(path), "--domain", "0", "1"]) == 0
    assert "= 9" in capsys.readouterr().out


def test_regions(tmp_path, capsys):
    from symdepth import Network

    net = Network(2, "relu")
    for a, b in [(1, 0), (0, 1), (1, 2)]:
        net.add_neuron({"x1": a, "x2": b}, bias=Fraction(1, 8))
    net.set_output({n: 1 for n in net.neurons})
    path = tmp_path / "net2.json"
    path.write_text(net.to_json())
    assert main(["regions", str(path)]) == 0
    assert "7 linear regions, 13 vertices, 19 edges on [-1, 1] x [-1, 1]" in capsys.readouterr().out
    assert main(["regions", str(path), "--box", "0", "1", "0", "1/2", "--list"]) == 0
    out = capsys.readouterr().out
    assert "1 linear regions" in out and "pattern 111" in out
    wide = tmp_path / "net3.json"
    wide.write_text(Network.from_layers([[[1, 1, 1]], [[1]]], None, "relu").to_json())
    assert main(["regions", str(wide), "--slice", "0,0,0", "1,0,0", "0,1,0"]) == 0
    assert "2 linear regions" in capsys.readouterr().out
    assert main(["regions", str(wide)]) == 2
    assert "slice" in capsys.readouterr().err


def test_constructions_listing(capsys):
    assert main(["constructions", "--degree", "7"]) == 0
    assert "deep_power" in capsys.readouterr().out


@pytest.mark.parametrize("args,fragment", [
    (["check", "missing.json", "x1"], "cannot read network file"),
    (["bounds", "__import__('os')"], "column"),
    (["bounds", "x^-1"], "negative exponent"),
    (["bounds", "(" * 200 + "x" + ")" * 200], "nesting"),
    (["crossings"], "give a network file"),
    (["prove", "--scheduler", "tcp://127.0.0.1:1"], "add --slow"),
    (["prove", "-k", "rt_id", "--workers", "zero"], "workers must be"),
])
def test_bad_input_exit_2_one_line(args, fragment, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("symdepth: error:") and fragment in err and "\n" not in err


@pytest.mark.parametrize("content,fragment", [
    ("{bad json", "not valid JSON"),
    ('{"format": "symdepth-network", "version": 9, "inputs": [], "neurons": [], "output": {"inputs": {}}}',
     "schema version 9"),
    ('{"format": "symdepth-network", "version": 1, "inputs": ["x1"], "neurons": [], "output": {"inputs": {}},'
     ' "weights": 1}', "unknown field 'weights'"),
    ('{"format": "symdepth-network", "version": 1, "inputs": ["x1"], "neurons": [{"name": "h1", '
     '"activation": "relu", "inputs": {"x1": 1}}], "output": {"inputs": {"h1": 1}}}', "piecewise linear"),
    ('{"format": "symdepth-network", "version": 1, "inputs": ["x1"], "neurons": [{"name": "h1", '
     '"activation": "exp", "inputs": {"x1": "nan"}}], "output": {"inputs": {"h1": 1}}}', "x1"),
])
def test_bad_network_files(tmp_path, content, fragment, capsys):
    path = tmp_path / "bad.json"
    path.write_text(content)
    assert main(["check", str(path), "x1"]) == 2
    err = capsys.readouterr().err
    assert fragment in err and "Traceback" not in err


def test_debug_shows_traceback(tmp_path, capsys):
    path = tmp_path / "bad.json"
    path.write_text("{bad")
    assert main(["--debug", "check", str(path), "x1"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_console_script_prove_json():
    run = subprocess.run([sys.executable, "-m", "symdepth.cli", "prove", "-k", "RT_ID or rt_id", "--format", "json",
                          "--quiet"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    assert report["ok"] and report["claims"][0]["id"] == "RT-ID"


def test_check_show_and_json(net_file, capsys, tmp_path):
    assert main(["check", net_file, "x1^5 + x1", "--method", "exact", "--show", "taylor", "--show", "residual",
                 "--json", str(tmp_path / "r.json")]) == 1
    out = capsys.readouterr().out
    assert "taylor: x1**5" in out and "residual: -x1" in out
    written = json.loads((tmp_path / "r.json").read_text())
    assert written["verdict"] == "fails" and written["first_mismatch"]["monomial"] == "x1"


def test_constructions_save(tmp_path, capsys):
    from symdepth import Network, check_taylor

    target = tmp_path / "net.json"
    assert main(["constructions", "deep_power", "--degree", "6", "--activation", "tanh", "--save", str(target)]) == 0
    assert check_taylor(Network.from_json(target.read_text()), "x1^6").ok
    assert main(["constructions", "--save", str(target)]) == 2
