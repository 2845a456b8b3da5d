"""python -m certcheck PATH…: verify certificate files (directories: every *.json below them).

Exit code 0 when every certificate is verified, 1 when one is rejected (the reason is
printed), 2 when an input cannot be read as a certificate.  One line per problem, and a
summary; ``-v`` also prints what each verified certificate proves.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import os
import sys
from pathlib import Path

from . import Rejected, Unreadable, load, verify


def check_file(path: str) -> tuple:
    """(status, message) of one file: "verified", "rejected" or "unreadable"."""
    try:
        return "verified", verify(load(path))
    except Rejected as err:
        return "rejected", str(err)
    except Unreadable as err:
        return "unreadable", str(err)


def check_files(files: list, jobs: int) -> list:
    """(status, message) of each file, in ``jobs`` processes: the largest files first, so that
    no long check starts last."""
    if jobs <= 1 or len(files) <= 1:
        return [check_file(f) for f in files]
    order = sorted(range(len(files)), key=lambda i: -os.path.getsize(files[i]) if os.path.exists(files[i]) else 0)
    with concurrent.futures.ProcessPoolExecutor(jobs) as pool:
        done = dict(zip(order, pool.map(check_file, [files[i] for i in order])))
    return [done[i] for i in range(len(files))]


def _files(paths: list) -> list:
    out = []
    for name in paths:
        path = Path(name)
        out += sorted(str(p) for p in path.rglob("*.json")) if path.is_dir() else [name]
    return out


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m certcheck", description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="PATH", help="certificate files or directories")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print what each certificate proves")
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1, help="processes (default: one per core)")
    args = parser.parse_args(argv)
    files = _files(args.paths)
    if not files:
        print("certcheck: no certificate files found", file=sys.stderr)
        return 2
    results = check_files(files, args.jobs)
    counts = {"verified": 0, "rejected": 0, "unreadable": 0}
    for path, (status, message) in zip(files, results):
        counts[status] += 1
        if status != "verified" or args.verbose:
            print(f"{status.upper() if status != 'verified' else status} {path}: {' '.join(message.split())[:500]}")
    print(f"certcheck: {counts['verified']} verified, {counts['rejected']} rejected, {counts['unreadable']} unreadable")
    return 1 if counts["rejected"] else 2 if counts["unreadable"] else 0


if __name__ == "__main__":
    sys.exit(main())
