"""Every code block of the README runs: pycon blocks as doctests, console blocks as commands
(the two set-up commands are run by CI itself and are only checked to be first)."""

import doctest
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
    parser = doctest.DocTestParser()
    test = parser.get_doctest(BLOCKS[index][1], {}, f"README block {index}", str(README), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.failures == 0


COMMANDS = [line[2:] for i, (lang, body) in enumerate(BLOCKS) if lang == "console" and i > 0
            for line in body.splitlines() if line.startswith("$ ")]


@pytest.mark.parametrize("command", COMMANDS)
def test_console_blocks(command):
    args = shlex.split(command)
    assert args[0] == "symdepth"
    run = subprocess.run([sys.executable, "-m", "symdepth.cli", *args[1:]], capture_output=True, text=True,
                         timeout=300, cwd=README.parent)
    assert run.returncode == 0, run.stderr
