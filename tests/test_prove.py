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
