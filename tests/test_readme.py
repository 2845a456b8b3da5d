"""Every code block of the README runs: pycon blocks as doctests, console blocks as commands
(the two set-up commands are run by CI itself and are only checked to be first)."""

import doctest
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCKS = re.findall(r"```(\w+)\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_opens_with_the_two_commands():
    lang, body = BLOCKS[0]
    assert lang == "console"
    assert body.splitlines() == ["$ pip install . && symdepth prove", "$ pip install '.[test]' && python -m pytest"]


@pytest.mark.parametrize("index", [i for i, (lang, _) in enumerate(BLOCKS) if lang == "pycon"])
def test_pycon_blocks(index):
    source = BLOCKS[index][1]
    if "torch." in source:
        pytest.importorskip("torch")  # the PyTorch walkthrough; torch is the optional extra `torch`
        if "import torch" not in source:  # a block that continues the walkthrough runs after its start
            start = max(i for i in range(index) if "import torch" in BLOCKS[i][1])
            source = "".join(BLOCKS[i][1] for i in range(start, index + 1))
    parser = doctest.DocTestParser()
    test = parser.get_doctest(source, {}, f"README block {index}", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0


# a console block's commands run in order in one folder (a later one may read what an earlier wrote)
COMMAND_BLOCKS = [[line[2:] for line in body.splitlines() if line.startswith("$ ")]
                  for i, (lang, body) in enumerate(BLOCKS) if lang == "console" and i > 0]
PROGRAMS = {"symdepth": [sys.executable, "-m", "symdepth"], "python": [sys.executable]}


@pytest.mark.parametrize("commands", COMMAND_BLOCKS, ids=[" && ".join(block) for block in COMMAND_BLOCKS])
def test_console_blocks(commands, tmp_path):
    (tmp_path / "examples").symlink_to(README.parent / "examples")  # files a command writes land in tmp_path
    for command in commands:
        program, *args = shlex.split(command)
        assert program in PROGRAMS, command
        run = subprocess.run([*PROGRAMS[program], *args], capture_output=True, text=True, timeout=300, cwd=tmp_path)
        assert run.returncode == 0, f"{command}: {run.stderr}"


JSON_BLOCKS = [json.loads(body) for lang, body in BLOCKS if lang == "json"]


def test_the_network_file_shown_is_the_example_file():
    shown = [b for b in JSON_BLOCKS if b.get("format") == "symdepth-network"]
    assert shown == [json.loads((README.parent / "examples" / "tanh_square.json").read_text())]


def test_the_check_json_shown_is_what_check_writes():
    shown = next(b for b in JSON_BLOCKS if "verdict" in b)
    run = subprocess.run([sys.executable, "-m", "symdepth", "check", "examples/tanh_square.json", "x1^2", "--degree",
                          "3", "--json", "-"], capture_output=True, text=True, timeout=300, cwd=README.parent)
    assert run.returncode == 0, run.stderr
    written = json.loads(run.stdout[run.stdout.index("{"):])
    assert written.keys() == shown.keys()
    assert {k: v for k, v in written.items() if k != "seconds"} == {k: v for k, v in shown.items() if k != "seconds"}


@pytest.mark.parametrize("poly", ["x1", "x1^2", "x1*x2", "x1^3"])
def test_minimal_width_table_rows_are_what_the_tool_computes(poly):
    from symdepth import tables

    shown = [line for line in README.read_text().splitlines() if line.startswith(f"| {poly} |")]
    assert len(shown) == 4
    computed = tables.minimal_table([poly], fmt="markdown").splitlines()[2:]
    assert shown == computed


def test_the_claim_counts_the_readme_states_are_the_suites():
    from symdepth.prove import claim_ids

    text = README.read_text()
    count = len(claim_ids())
    stated = [int(n) for n in re.findall(r"\((\d+) claims of the catalogue", text)]
    excerpts = re.findall(r"^(\d+)/(\d+) claims checked", text, flags=re.M)
    assert stated == [count] and excerpts and all(int(a) == int(b) == count for a, b in excerpts)
