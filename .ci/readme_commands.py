"""Print the commands of the README's first console block, one per line (without "$ ").

Used by .ci/run, so what CI runs is what the README says; tests/test_ci.py checks both.
"""

import re
import sys
from pathlib import Path


def readme_commands(path: str) -> list:
    first = re.search(r"```console\n(.*?)```", Path(path).read_text(encoding="utf-8"), flags=re.S)
    if first is None:
        raise SystemExit(f"{path}: no console block")
    return [line[2:] for line in first.group(1).splitlines() if line.startswith("$ ")]


if __name__ == "__main__":
    print("\n".join(readme_commands(sys.argv[1] if len(sys.argv) > 1 else "README.md")))
