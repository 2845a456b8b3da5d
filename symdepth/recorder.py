"""The pytest plugin behind ``symdepth prove --certificates DIR``: while the claim modules
run, every verdict of symdepth's public functions writes its certificate into
``DIR/<claim id>/`` (:mod:`symdepth.certificates`), and a verdict without one leaves a note
saying why in ``DIR/<claim id>/notes-<worker>.jsonl``.

It is loaded with ``-p symdepth.recorder`` and reads the directory from the environment
variable ``SYMDEPTH_CERTIFICATES``, so the workers of a parallel run (pytest-xdist) record
too.  Nothing here decides anything: :func:`symdepth.prove.run_proofs` runs the checker on
the files afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import Any

from . import certificates

ENV = "SYMDEPTH_CERTIFICATES"


def folder_name(claim_id: str) -> str:
    """The directory of a claim's certificates: its id, safe as a file name."""
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", claim_id)


class _Recorder:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
        self.claim = "unclaimed"
        self.count = 0
        self.context = contextlib.ExitStack()

    def pytest_runtest_setup(self, item: Any) -> None:
        claim = getattr(getattr(item, "module", None), "CLAIM", None)
        self.claim = folder_name(claim.id) if claim is not None else "unclaimed"

    def sink(self, cert: dict | None, problem: str | None, status: str) -> None:
        folder = self.directory / self.claim
        folder.mkdir(parents=True, exist_ok=True)
        if cert is not None:
            self.count += 1
            certificates.write(cert, folder / f"{self.worker}-{self.count:05d}-{cert['kind']}.json")
            return
        with open(folder / f"notes-{self.worker}.jsonl", "a", encoding="utf-8") as notes:
            notes.write(json.dumps({"status": status, "reason": problem}) + "\n")


def pytest_configure(config: Any) -> None:
    directory = os.environ.get(ENV)
    if directory:
        recorder = _Recorder(Path(directory))
        recorder.context.enter_context(certificates.recording(recorder.sink))
        config.pluginmanager.register(recorder, "symdepth-certificate-recorder")


def pytest_unconfigure(config: Any) -> None:
    recorder = config.pluginmanager.get_plugin("symdepth-certificate-recorder")
    if recorder is not None:
        recorder.context.close()
