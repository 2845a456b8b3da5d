"""Every check must be able to fail: each deliberate breakage in ``tests/mutants.py`` is run
against the proof modules and tests that must catch it, in a fresh process, and every one of
them must fail.  Every proof module must catch at least one breakage."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .mutants import MUTANTS

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_is_killed(name, tmp_path):
    mutant = MUTANTS[name]
    report = tmp_path / "failures.json"
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "tests.mutants", f"--mutant={name}",
         f"--mutant-report={report}", "-p", "no:cacheprovider", "-o", "addopts=", "-m", "not slow",
         "-p", "no:randomly", *mutant.killers],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode in (0, 1), run.stdout[-2000:] + run.stderr[-2000:]
    failed = json.loads(report.read_text())
    survivors = [k for k in mutant.killers if not any(f == k or f.startswith(k + "::") for f in failed)]
    assert not survivors, f"mutant {name!r} ({mutant.what}) survives in {survivors}"


def test_every_proof_module_kills_a_mutant():
    proofs = {f"proofs/{p.name}" for p in (ROOT / "proofs").glob("test_*.py")}
    killers = {k.split("::")[0] for m in MUTANTS.values() for k in m.killers}
    assert proofs - killers == set()


def test_mutants_are_installed_where_imported():
    """The plugin replaces a function also where it was imported by name."""
    run = subprocess.run(
        [sys.executable, "-c",
         "import tests.mutants as m; m.install('crossings+1');"
         "from symdepth import piecewise; from symdepth.piecewise import crossings as c;"
         "import symdepth.piecewise.linear;"
         "f = piecewise.sawtooth_function(2); print(piecewise.crossings(f), c(f))"],
        cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.stdout.split() == ["6", "6"], run.stderr


@pytest.mark.parametrize("name,claim", [("sigmoid cubic sign", "RT-SQ"), ("uniform half box", "RT-P3.3"),
                                        ("random ignores top degree", "RT-T5.1")])
def test_symdepth_prove_reports_the_breakage(name, claim):
    """What a reader runs: `symdepth prove` itself says FAILS with the breakage in place."""
    run = subprocess.run(
        [sys.executable, "-c",
         f"import tests.mutants as m; m.install({name!r});"
         "from symdepth.prove import run_proofs;"
         f"r = run_proofs({claim!r}); print([x.verdict for x in r.results])"],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.stdout.strip() == "['FAILS']", run.stdout + run.stderr[-2000:]
