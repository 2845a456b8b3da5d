"""The proof runner: verdicts (a claim whose checks all skipped is "not checked"), the
catalogue in proofs/CLAIMS.md matches the modules, and no file points outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

from symdepth.prove import format_report, run_proofs

ROOT = Path(__file__).resolve().parent.parent

MODULE = '''
import pytest
from symdepth.prove import Claim, Erratum

CLAIM = Claim("X-{name}", "nowhere", "a statement", "nothing")
ERRATA = (Erratum("X-{name}", "printed", "holds", "counterexample", "how"),)

{body}
'''


def _write(directory, name, body):
    (directory / f"test_{name.lower()}.py").write_text(MODULE.format(name=name, body=body))


def test_verdicts(tmp_path):
    _write(tmp_path, "SKIPPED", "@pytest.mark.skip(reason='x')\ndef test_a():\n    assert False\n")
    _write(tmp_path, "PASSES", "def test_a():\n    assert True\n")
    _write(tmp_path, "FAILS", "def test_a():\n    assert False\n")
    _write(tmp_path, "SLOWONLY", "@pytest.mark.slow\ndef test_a():\n    assert True\n")
    (tmp_path / "conftest.py").write_text("def pytest_configure(config):\n"
                                          "    config.addinivalue_line('markers', 'slow: long')\n")
    report = run_proofs(directory=tmp_path)
    verdicts = {r.claim.id: r.verdict for r in report.results}
    assert verdicts == {"X-SKIPPED": "not checked", "X-PASSES": "holds as corrected", "X-FAILS": "FAILS",
                        "X-SLOWONLY": "not checked"}
    assert not report.ok
    assert "not checked" in format_report(report)


def test_catalogue_lists_every_claim_module():
    catalogue = (ROOT / "proofs" / "CLAIMS.md").read_text()
    listed = set(re.findall(r"^\| ([A-Z]+-[A-Z0-9.]+) \|", catalogue, flags=re.M))
    modules = set()
    for path in (ROOT / "proofs").glob("test_*.py"):
        match = re.search(r'CLAIM = Claim\("([^"]+)"', path.read_text())
        assert match, path
        modules.add(match.group(1))
    assert listed == modules


def test_nothing_points_outside_the_repository():
    for path in list(ROOT.glob("*.md")) + list((ROOT / "symdepth").glob("*.py")) + list((ROOT / "proofs").glob("*")):
        if path.is_file():
            assert "shared/" not in path.read_text(), path


def test_parallel_report_equals_serial():
    serial = run_proofs(pattern="rt_id or tel_tri or rt_sq")
    parallel = run_proofs(pattern="rt_id or tel_tri or rt_sq", workers=2)
    assert [(r.claim, r.verdict, r.passed, r.failed) for r in serial.results] == [
        (r.claim, r.verdict, r.passed, r.failed) for r in parallel.results]
    assert [r.claim.id for r in serial.results] == ["RT-ID", "RT-SQ", "TEL-TRI"]
    assert serial.errata == parallel.errata


WHERE = '''
import os
from concurrent.futures import ProcessPoolExecutor

from symdepth.prove import Claim

CLAIM = Claim("X-WHERE", "nowhere", "runs on an xdist worker", "one test")


def test_where(sweep_executor):
    assert os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw")
    # the worker's sweeps get its share of the cores, not all of them
    assert isinstance(sweep_executor, ProcessPoolExecutor)
    assert sweep_executor._max_workers == max(1, (os.cpu_count() or 1) // 2)
'''


def test_workers_really_run_in_xdist_workers(tmp_path):
    (tmp_path / "conftest.py").write_text((ROOT / "proofs" / "conftest.py").read_text())
    (tmp_path / "test_where.py").write_text(WHERE)
    assert run_proofs(directory=tmp_path, workers=2).results[0].verdict == "holds"


SWEEPING = '''
import symdepth
from symdepth import constructions
from symdepth.prove import Claim

CLAIM = Claim("X-SWEEP", "nowhere", "counts", "d = 1..40")


def test_sweep(sweep_executor):
    kind = type(sweep_executor).__module__ if sweep_executor is not None else "local"
    assert kind.startswith("{expected}")
    result = symdepth.sweep(constructions.deep_power_count, range(1, 41), executor=sweep_executor)
    assert result.values == [constructions.deep_power_count(d) for d in range(1, 41)]
'''


def test_scheduler_option_reaches_the_sweeps(tmp_path):
    """--scheduler ADDRESS gives the proofs' sweeps a dask executor on that scheduler."""
    distributed = __import__("pytest").importorskip("distributed")
    (tmp_path / "conftest.py").write_text((ROOT / "proofs" / "conftest.py").read_text())
    (tmp_path / "test_local.py").write_text(SWEEPING.replace("{expected}", "local"))
    assert run_proofs(directory=tmp_path).results[0].verdict == "holds"
    # a new module name: the first run left ``test_local`` in sys.modules
    (tmp_path / "test_local.py").unlink()
    (tmp_path / "test_cluster.py").write_text(SWEEPING.replace("{expected}", "distributed"))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, dashboard_address=None,
                                  silence_logs=40) as cluster:
        report = run_proofs(directory=tmp_path, include_slow=True, scheduler=cluster.scheduler_address)
    assert report.results[0].verdict == "holds", report.results[0].failures


def test_claim_ids_select_claims(tmp_path):
    for name in ("ONE", "TWO", "THREE"):
        _write(tmp_path, name, "def test_a():\n    assert True\n")
    picked = run_proofs("X-ONE, x-three", directory=tmp_path)
    assert [r.claim.id for r in picked.results] == ["X-ONE", "X-THREE"]
    assert [r.claim.id for r in run_proofs("one", directory=tmp_path).results] == ["X-ONE"]  # a -k expression


def test_prove_from_another_directory(tmp_path):
    """The claim modules are installed with the package: `symdepth prove` needs no checkout."""
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "symdepth", "prove", "-k", "RT-ID", "--quiet"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("RT-ID ") and "1/1 claims" in run.stdout
    missing = subprocess.run([sys.executable, "-m", "symdepth", "prove", "--proofs", str(tmp_path)], cwd=tmp_path,
                             capture_output=True, text=True, timeout=300)
    assert missing.returncode == 2 and "--proofs DIR" in missing.stderr and len(missing.stderr.splitlines()) == 1


def _sample_report(tmp_path):
    body = "def test_a():\n    assert True\n"
    (tmp_path / "test_greek.py").write_text(
        "from symdepth.prove import Claim, Erratum\n"
        "CLAIM = Claim('RT-Σ', 'RT §4.2', 'σ(x) ≤ ∏(r_i+1) — x² ⇒ ε', 'd ≤ 4', model='bias-free & 50%', "
        "note='ŷ ≈ y on ℓ layers')\n"
        "ERRATA = (Erratum('RT-Σ', '(σ(x)+σ(−x))/2 = x²', 'x²/2', 'σ = exp', 'check_taylor'),)\n" + body)
    return run_proofs(directory=tmp_path)


def test_markdown_report_keeps_statements_and_errata(tmp_path):
    text = format_report(_sample_report(tmp_path), "markdown")
    assert "σ(x) ≤ ∏(r_i+1)" in text and "bias-free & 50%" in text and "**Errata**" in text and "x²/2" in text


def test_latex_report_is_ascii_and_compiles(tmp_path):
    import shutil
    import subprocess

    text = format_report(_sample_report(tmp_path), "latex")
    assert text.isascii()
    assert r"\ensuremath{\sigma}" in text and r"\S{}" in text and r"\&" in text and r"\%" in text
    assert "Errata" in text and "x\\ensuremath{^{2}}/2" in text
    if shutil.which("pdflatex") is None:
        return  # the text checks above are what can be checked without TeX
    doc = tmp_path / "report.tex"
    doc.write_text("\\documentclass{article}\n\\usepackage{booktabs,longtable}\n\\begin{document}\n" + text
                   + "\\end{document}\n")
    run = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", doc.name], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout[-3000:]
