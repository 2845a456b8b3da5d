"""Every check must be able to fail: each deliberate breakage in ``tests/mutants.py`` is run
against the proof modules and tests that must catch it, in a process of its own, and every
one of them must fail.  Every proof module must catch at least one breakage.

The table is its own run (marker ``mutants``: ``python -m pytest -m mutants``), which
``.ci/run`` calls after the README's two commands; the default run keeps the checks of the
table itself.  The breakages share one preloaded process: a ``forkserver`` that has imported
symdepth, pytest and hypothesis once, and forks a child per breakage.  A child starts as a
fresh interpreter would after those imports (no test module imported, every cache empty),
installs its breakage, then imports and runs the killers.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .mutants import MUTANTS

ROOT = Path(__file__).resolve().parent.parent
_TIMEOUT = 600


@pytest.fixture(scope="module")
def preloaded():
    """The shared process: a forkserver with symdepth and the test tools imported."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["symdepth", "pytest", "hypothesis", "tests.mutants"])
    return context


def _pytest_in_child(args: list, log: str) -> None:
    """Run pytest in a forked child (its output into ``log``) and exit with its status."""
    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.chdir(ROOT)
    status = int(pytest.main(args))
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


def _prove_in_child(name: str, claim: str, log: str) -> None:
    """Install a breakage and run `symdepth prove` on one claim in a forked child; the
    verdicts are the last line of ``log``."""
    from symdepth.prove import run_proofs

    from .mutants import install

    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.chdir(ROOT)
    install(name)
    print([r.verdict for r in run_proofs(claim).results])
    sys.stdout.flush()
    os._exit(0)


def _run(context, target, *args) -> int:
    child = context.Process(target=target, args=args)
    child.start()
    child.join(_TIMEOUT)
    if child.is_alive():
        child.kill()
        pytest.fail(f"no answer within {_TIMEOUT} s")
    return child.exitcode


@pytest.mark.mutants
@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_is_killed(name, tmp_path, preloaded):
    mutant = MUTANTS[name]
    report, log = tmp_path / "failures.json", tmp_path / "log.txt"
    args = ["-q", "-p", "tests.mutants", f"--mutant={name}", f"--mutant-report={report}", "-p", "no:cacheprovider",
            "-p", "no:xdist", "-o", "addopts=", "-m", "not slow", "-p", "no:randomly", *mutant.killers]
    status = _run(preloaded, _pytest_in_child, args, str(log))
    assert status in (0, 1), log.read_text()[-4000:]
    failed = json.loads(report.read_text())
    survivors = [k for k in mutant.killers if not any(f == k or f.startswith(k + "::") for f in failed)]
    assert not survivors, f"mutant {name!r} ({mutant.what}) survives in {survivors}"


@pytest.mark.mutants
def test_killers_pass_without_a_breakage(tmp_path, preloaded):
    """The control of the table: in the same shared process, with no breakage installed, the
    killers of a sample of breakages (proof modules and test files; the default run runs them
    all in plain processes) pass, so a failure above is the breakage's doing."""
    report, log = tmp_path / "failures.json", tmp_path / "log.txt"
    sample = ("sigmoid cubic sign", "uniform half box", "crossings+1", "rank = rows", "float signs trusted")
    killers = sorted({k for name in sample for k in MUTANTS[name].killers})
    args = ["-q", "-p", "tests.mutants", f"--mutant-report={report}", "-p", "no:cacheprovider", "-p", "no:xdist",
            "-o", "addopts=", "-m", "not slow", "-p", "no:randomly", *killers]
    assert _run(preloaded, _pytest_in_child, args, str(log)) == 0, log.read_text()[-4000:]
    assert json.loads(report.read_text()) == []


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


@pytest.mark.mutants
@pytest.mark.parametrize("name,claim", [("sigmoid cubic sign", "RT-SQ"), ("uniform half box", "RT-P3.3"),
                                        ("random ignores top degree", "RT-T5.1")])
def test_symdepth_prove_reports_the_breakage(name, claim, tmp_path, preloaded):
    """What a reader runs: `symdepth prove` itself says FAILS with the breakage in place."""
    log = tmp_path / "log.txt"
    assert _run(preloaded, _prove_in_child, name, claim, str(log)) == 0, log.read_text()[-4000:]
    assert log.read_text().strip().splitlines()[-1] == "['FAILS']", log.read_text()[-4000:]


def _prove_certified_in_child(name: str, claim: str, folder: str, log: str) -> None:
    """Install a breakage and run `symdepth prove --certificates` on one claim in a forked
    child; the last line of ``log`` is whether the report is ok, then each claim's verdict
    and certification."""
    from symdepth.prove import run_proofs

    from .mutants import install

    out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    os.dup2(out, 1)
    os.dup2(out, 2)
    os.chdir(ROOT)
    install(name)
    report = run_proofs(claim, certificates=folder, workers=1)
    print(json.dumps([report.ok] + [[r.verdict, str(r.certification)] for r in report.results]))
    sys.stdout.flush()
    os._exit(0)


@pytest.mark.mutants
@pytest.mark.parametrize("name,claim", [("rank = rows", "RT-T4.3"), ("rank over Q mod 3001", "RT-T4.3"),
                                        ("moment rank = rows", "RT-T4.1"), ("rt bound - 1", "RT-MODELS"),
                                        ("skip bound + 1", "RT-MODELS"), ("assumptions dropped", "RT-T4.2"),
                                        ("crossings+1", "TEL-CR"), ("uniform half box", "RT-P3.3")])
def test_prove_with_certificates_catches_engine_breakages(name, claim, tmp_path, preloaded):
    """`symdepth prove --certificates` with an engine breakage installed: the claim FAILS, or
    its certificates cannot be produced or are rejected by certcheck — never a clean report."""
    log = tmp_path / "log.txt"
    status = _run(preloaded, _prove_certified_in_child, name, claim, str(tmp_path / "certificates"), str(log))
    assert status == 0, log.read_text()[-4000:]
    ok, *results = json.loads(log.read_text().strip().splitlines()[-1])
    assert results and not ok, f"{name}: {results}"


def _claims_of(name: str) -> str | None:
    """The -k expression of the proof modules among a breakage's killers (None: none)."""
    modules = sorted({Path(k.split("::")[0]).stem for k in MUTANTS[name].killers if k.startswith("proofs/")})
    return " or ".join(modules) or None


@pytest.mark.slow  # not "mutants": CI's mutation-table run stays within minutes; this is -m slow
def test_every_breakage_through_certificates(tmp_path, preloaded):
    """Issue 38's table: every breakage that a claim module kills, installed under `symdepth
    prove --certificates` on those modules; each must end in FAILS or a refused certificate.
    The table (breakage, claims, verdicts and certification) is printed (pytest -s)."""
    rows, survivors = [], []
    for name in sorted(MUTANTS):
        claims = _claims_of(name)
        if claims is None:
            rows.append((name, "-", "no claim module kills it: prove does not reach it"))
            continue
        log = tmp_path / f"{len(rows)}.txt"
        status = _run(preloaded, _prove_certified_in_child, name, claims, str(tmp_path / f"c{len(rows)}"), str(log))
        assert status == 0, log.read_text()[-4000:]
        ok, *results = json.loads(log.read_text().strip().splitlines()[-1])
        caught = "; ".join(f"{verdict}, {certification}"[:80] for verdict, certification in results)
        rows.append((name, claims, caught))
        if ok:
            survivors.append(name)
    print("\n".join(f"{name:<40} {claims[:40]:<40} {caught}" for name, claims, caught in rows))
    assert not survivors, f"clean reports under: {survivors}"
