"""Certificates: the evidence of a verdict, as versioned JSON that ``certcheck`` verifies
without symdepth (the format, field by field: ``docs/certificates.md``).

This module owns the format's envelope and the plain-data helpers the result records use
in their ``certificate()`` methods, and the *recording* hook: while a recorder is active
(``symdepth prove --certificates DIR``), every public verdict function decorated with
:func:`recorded` hands its result's certificate to it — only the outermost call, so a
bound computed inside another bound is not recorded twice.

Two ways a verdict can lack a certificate:

* :class:`NotCertifiable` — by design: a randomized check has an error probability, not a
  proof; a closed-form formula has no data to re-check;
* :class:`CertificateFailed` — the evidence for the verdict could not be produced (no
  nonsingular minor of the stated size, no subdivision the checker accepts within the
  budget): the verdict itself is suspect, and ``prove`` reports it as a failure.
"""

from __future__ import annotations

import contextlib
import functools
import json
import operator
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from .errors import SymdepthError
from .numbers import exact, json_number

__all__ = ["FORMAT", "VERSION", "NotCertifiable", "CertificateFailed", "document", "terms_json", "write",
           "recorded", "recording"]

FORMAT = "symdepth-certificate"
VERSION = 1


class NotCertifiable(SymdepthError):
    """This kind of verdict has no certificate (the message says why)."""


class CertificateFailed(SymdepthError):
    """The evidence for a verdict could not be produced: the verdict is not confirmed."""


def document(kind: str, statement: str, **fields: Any) -> dict:
    """The envelope: format, version, kind and a sentence saying what is proven (the
    checker does not read the sentence; it re-derives what it prints from the data)."""
    return {"format": FORMAT, "version": VERSION, "kind": kind, "statement": statement, **fields}


def terms_json(terms: dict) -> list:
    """A polynomial {exponents: coefficient} as [[exponents, coefficient], …]."""
    return [[[int(e) for e in m], json_number(exact(c))] for m, c in sorted(terms.items())]


def write(cert: dict, path: str | Path) -> Path:
    """Write a certificate as JSON; returns the path."""
    path = Path(path)
    path.write_text(json.dumps(cert, indent=None, separators=(",", ":"), default=operator.index) + "\n",
                    encoding="utf-8")
    return path


# -- recording -----------------------------------------------------------------------------

_sink: Callable[[dict | None, str | None, str], None] | None = None
_depth = 0


@contextlib.contextmanager
def recording(sink: Callable[[dict | None, str | None, str], None]) -> Iterator[None]:
    """Hand every recorded verdict to ``sink(certificate, problem, status)`` during the block:
    status "certificate" (problem None), "not certifiable" or "failed" (certificate None)."""
    global _sink
    saved, _sink = _sink, sink
    try:
        yield
    finally:
        _sink = saved


def recorded(make: Callable[..., dict | list]) -> Callable:
    """Decorate a verdict function: while recording, ``make(result, *args, **kwargs)`` builds
    the certificate of an outermost call's result (a list: one per verdict it holds)."""

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def verdict(*args: Any, **kwargs: Any) -> Any:
            global _depth
            if _sink is None or _depth:
                return function(*args, **kwargs)
            _depth += 1
            try:
                result = function(*args, **kwargs)
                try:
                    made = make(result, *args, **kwargs)
                    for cert in made if isinstance(made, list) else [made]:
                        _sink(cert, None, "certificate")
                except NotCertifiable as err:
                    _sink(None, str(err), "not certifiable")
                except CertificateFailed as err:
                    _sink(None, str(err), "failed")
                except Exception as err:  # noqa: BLE001 - building evidence must never change a verdict
                    _sink(None, f"internal error while building the certificate: {type(err).__name__}: {err}",
                          "failed")
            finally:
                _depth -= 1
            return result

        return verdict

    return decorate
