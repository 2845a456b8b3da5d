"""Plots render with Agg to non-trivial images; the benchmark runner works in --quick mode
(only that it runs — no time is asserted)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from symdepth.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("what", ["sawtooth", "widths", "neurons", "crossings"])
def test_plots(what, tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / f"{what}.png"
    assert main(["plot", what, "--layers", "4", "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
    from matplotlib.image import imread

    image = imread(str(out))
    assert image.std() > 0.01  # not a blank canvas


def test_crossings_plot(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "saw.png"
    assert main(["crossings", "--sawtooth", "3", "--plot", str(out)]) == 0
    assert out.stat().st_size > 5000


def test_regions_plot(tmp_path):
    pytest.importorskip("matplotlib")
    from benchmarks.run import random_relu_net_2d

    net_file, out = tmp_path / "net.json", tmp_path / "regions.png"
    net_file.write_text(random_relu_net_2d((8, 8)).to_json())
    assert main(["regions", str(net_file), "--plot", str(out)]) == 0
    from matplotlib.image import imread

    image = imread(str(out))
    assert out.stat().st_size > 5000 and image.std() > 0.01


def test_benchmarks_quick(tmp_path):
    out = tmp_path / "bench.json"
    run = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--timeout", "5", "--json", str(out)],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    assert "ratio" in run.stdout.splitlines()[0]
    rows = json.loads(out.read_text())["rows"]
    assert {r["capability"] for r in rows} >= {"deep x^d, exact (vs sympy.series)", "Cr(sawtooth(l))",
                                              "ReLU net -> pieces + Cr, exact (vs Fraction knots)"}
    assert any(r["capability"].startswith("regions_2d (") for r in rows)
    assert any(r["capability"].startswith("uniform trained 2-8-1 tanh") for r in rows)          # issue 40
    assert any(r["capability"].startswith("regions_2d ACAS-Xu-shaped") for r in rows)           # issue 39


def test_benchmarks_only_some_tables():
    run = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--only", "regions", "crossings"],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert run.returncode == 0, run.stderr
    names = [line for line in run.stdout.splitlines()[1:] if line.strip()]
    assert names and all(n.startswith(("regions_2d", "Cr(", "ReLU net")) for n in names)


def test_regions_result_plots_itself(tmp_path):
    pytest.importorskip("matplotlib")
    from symdepth import Network, piecewise

    net = Network.from_json((Path(__file__).resolve().parent.parent / "examples" / "relu_2d.json").read_text())
    target = tmp_path / "regions.png"
    piecewise.regions_2d(net).plot(str(target), "relu_2d")
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
