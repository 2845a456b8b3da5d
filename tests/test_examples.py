"""The scripts in examples/ run and say what they should."""

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.py"))


@pytest.mark.parametrize("script", EXAMPLES, ids=lambda p: p.stem)
def test_example_runs(script, tmp_path):
    run = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip()


def test_there_are_examples():
    assert len(EXAMPLES) >= 4


def test_the_published_style_onnx_file_is_what_its_script_writes(tmp_path):
    folder = Path(__file__).resolve().parent.parent / "examples"
    run = subprocess.run([sys.executable, str(folder / "make_acas_like.py"), str(tmp_path / "a.onnx")],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "a.onnx").read_bytes() == (folder / "acas_like.onnx").read_bytes()
