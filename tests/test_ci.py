"""CI runs the README's two opening commands, each in a fresh virtual environment: the
commands come from the README itself, so changing them there changes what CI runs."""

import os
import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _dry_run(root: Path) -> list:
    run = subprocess.run(["bash", str(root / ".ci" / "run")], cwd=root, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "CI_DRY_RUN": "1"})
    assert run.returncode == 0, run.stderr
    return [line.split(": ", 1)[1] for line in run.stdout.splitlines() if line.startswith("== README command")]


def test_ci_runs_the_readme_commands():
    assert _dry_run(ROOT) == ["pip install . && symdepth prove", "pip install '.[test]' && python -m pytest"]


def test_a_changed_readme_command_changes_what_ci_runs(tmp_path):
    shutil.copytree(ROOT / ".ci", tmp_path / ".ci")
    text = (ROOT / "README.md").read_text().replace("symdepth prove", "symdepth prove -k RT-SQ", 1)
    (tmp_path / "README.md").write_text(text)
    assert _dry_run(tmp_path)[0] == "pip install . && symdepth prove -k RT-SQ"


def test_ci_runs_the_mutation_table_after_the_readme_commands():
    run = subprocess.run(["bash", str(ROOT / ".ci" / "run")], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "CI_DRY_RUN": "1"})
    assert run.stdout.splitlines()[-1] == "== the mutation table in that venv: python -m pytest -m mutants"
    script = (ROOT / ".ci" / "run").read_text()
    assert '. "$work/venv1/bin/activate" && python -m pytest -m mutants' in script


def test_each_command_gets_a_fresh_venv():
    script = (ROOT / ".ci" / "run").read_text()
    assert 'python3 -m venv "$work/venv$i"' in script and 'bash -euo pipefail -c "${commands[$i]}"' in script
