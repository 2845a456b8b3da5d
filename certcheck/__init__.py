"""certcheck: re-checks symdepth's certificates without symdepth.

A certificate is a JSON file holding the data a verdict rests on, never the verdict alone
(the format: ``docs/certificates.md``).  This package reads it with its own parser and
recomputes what the verdict needs with its own arithmetic: Python integers and fractions,
and mpmath's interval arithmetic where real numbers are bounded.  It imports nothing from
symdepth or python-flint (``tests/test_certificates.py`` enforces both).  What stays
trusted: Python, mpmath's interval arithmetic, and the theorems each kind's module names.
One module per kind: :mod:`~certcheck.taylor` (``taylor``, ``witness``),
:mod:`~certcheck.rank` (``rank``, ``shallow``, ``minimal``), :mod:`~certcheck.uniform`,
:mod:`~certcheck.crossings` (``crossings``, ``disagreement``), :mod:`~certcheck.regions`.
"""

from __future__ import annotations

import json
from pathlib import Path

from .crossings import check_crossings, check_disagreement
from .errors import Rejected, Unreadable
from .rank import check_minimal, check_rank, check_shallow
from .regions import check_regions
from .taylor import check_taylor, check_witness
from .uniform import check_uniform

__all__ = ["verify", "load", "Rejected", "Unreadable", "KINDS", "VERSION"]

FORMAT = "symdepth-certificate"
VERSION = 1
MAX_BYTES = 500 * 2**20
KINDS = {"taylor": check_taylor, "witness": check_witness, "rank": check_rank, "shallow": check_shallow,
         "minimal": check_minimal, "uniform": check_uniform, "crossings": check_crossings, "regions": check_regions,
         "disagreement": check_disagreement}


def load(path: str | Path) -> dict:
    """The JSON document of a certificate file (Unreadable when it is not one)."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            raise Unreadable(f"larger than {MAX_BYTES // 2**20} MiB")
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as err:
        raise Unreadable(f"cannot read the file: {err}") from None
    except (json.JSONDecodeError, RecursionError, ValueError) as err:
        raise Unreadable(f"not valid JSON: {str(err)[:200]}") from None
    return document


def verify(document: object) -> str:
    """What the certificate proves, as a sentence; raises Rejected or Unreadable."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise Unreadable(f"not a certificate (a JSON object with \"format\": \"{FORMAT}\")")
    if document.get("version") != VERSION:
        raise Unreadable(f"certificate version {document.get('version')!r}; this checker reads version {VERSION}")
    kind = document.get("kind")
    if kind not in KINDS:
        raise Unreadable(f"unknown kind {kind!r}; this checker reads {', '.join(sorted(KINDS))}")
    try:
        return KINDS[kind](document)
    except (RecursionError, MemoryError, OverflowError, ZeroDivisionError) as err:
        raise Unreadable(f"{kind}: input beyond what the checker handles ({type(err).__name__})") from None
