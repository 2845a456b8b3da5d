"""The proof suite runner: run ``proofs/`` with pytest and report claim by claim.

Each module ``proofs/test_<id>.py`` defines ``CLAIM``, a :class:`Claim`, and, when the
printed statement is wrong, ``ERRATA``, a tuple of :class:`Erratum`.  Its tests check the
statement (or its corrected form).  :func:`run_proofs` runs them through pytest's API and
collects a :class:`Report`; :func:`format_report` renders it as text, Markdown, LaTeX or JSON.
"""

from __future__ import annotations

import ast
import collections
import dataclasses
import importlib.util
import json
import os
import shutil
import sys
import time
import unicodedata
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from . import recorder
from .errors import SymdepthError

__all__ = ["Claim", "Erratum", "ClaimResult", "Certification", "Report", "find_proofs", "claim_ids", "latex_text", "run_proofs", "format_report"]


@dataclass(frozen=True)
class Claim:
    """A claim of the papers, in our words, with where it is printed and what is swept.

    ``kind`` is ``"exact"``, ``"numeric"`` (stated tolerance), ``"empirical"`` or
    ``"not mechanisable"``.  ``certificates`` says why none of the claim's checks writes a
    certificate (numeric or closed-form arithmetic), shown when ``--certificates`` finds none.  ``model`` says which network model the check uses where that
    matters (Rolnick & Tegmark count neurons of strictly layered, bias-free networks;
    symdepth's builders may use biases and skip connections).  ``note`` records what the
    check found that is not an error of the printed statement (a boundary case, a gap in an
    implicit construction).
    """

    id: str
    source: str
    statement: str
    sweep: str
    kind: str = "exact"
    model: str = ""
    note: str = ""
    certificates: str = ""   # why the claim's checks have no certificates, where none are written


@dataclass(frozen=True)
class Erratum:
    """A printed statement found false, what holds instead, and the evidence."""

    claim: str
    printed: str
    holds: str
    counterexample: str
    how_found: str


@dataclass(frozen=True)
class Certification:
    """What ``--certificates`` found for one claim: ``status`` is "certified", "certified in
    part", "not certifiable", "REJECTED" (the checker refuted a certificate) or "FAILED"
    (the evidence for a verdict could not be produced)."""

    status: str
    verified: int
    detail: str

    @property
    def ok(self) -> bool:
        return self.status not in ("REJECTED", "FAILED")

    def __str__(self) -> str:
        count = f" ({self.verified} verified)" if self.verified else ""
        return f"{self.status}{count}" + (f": {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class ClaimResult:
    claim: Claim
    verdict: str
    passed: int
    failed: int
    skipped: int
    seconds: float
    errata: tuple = ()
    failures: tuple = ()
    certification: Certification | None = None


@dataclass(frozen=True)
class Report:
    results: tuple
    seconds: float
    certificate_seconds: float = 0.0   # time the checker took on the certificates (0: none asked)

    @property
    def ok(self) -> bool:
        return all(r.failed == 0 and (r.certification is None or r.certification.ok) for r in self.results)

    @property
    def errata(self) -> list:
        return [e for r in self.results for e in r.errata]


def find_proofs(directory: str | Path | None = None) -> Path:
    """The directory of claim modules: ``directory`` if given, else the suite installed with
    the package (``symdepth.proofs``, the repository's ``proofs/``), else the ``proofs/`` of a
    checkout next to the sources.

    Examples
    --------
    >>> find_proofs().name in ("proofs",)
    True
    >>> find_proofs("/nonexistent")
    Traceback (most recent call last):
    ...
    symdepth.errors.SymdepthError: no claim modules (test_*.py) in /nonexistent; pass --proofs DIR with the proofs/ directory of a symdepth checkout
    """
    if directory:
        candidates = [Path(directory)]
    else:
        spec = importlib.util.find_spec("symdepth.proofs")
        installed = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
        candidates = installed + [Path(__file__).resolve().parent.parent / "proofs"]
    for path in candidates:
        if path.is_dir() and any(path.glob("test_*.py")):
            return path
    where = directory if directory else "the installed package (symdepth.proofs)"
    raise SymdepthError(f"no claim modules (test_*.py) in {where}; pass --proofs DIR with the proofs/ directory "
                        "of a symdepth checkout")


def claim_ids(directory: str | Path | None = None) -> dict:
    """Claim id → module file, read from each module's ``CLAIM = Claim("ID", ...)`` without
    importing it.

    Examples
    --------
    >>> ids = claim_ids()
    >>> ids["RT-SQ"].name
    'test_rt_sq_square_gate.py'
    """
    found = {}
    for path in sorted(find_proofs(directory).glob("test_*.py")):
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "CLAIM" for t in node.targets)
                    and isinstance(node.value, ast.Call) and node.value.args
                    and isinstance(node.value.args[0], ast.Constant)):
                found[str(node.value.args[0].value)] = path
    return found


def _select(pattern: str, root: Path) -> tuple[list[str], str | None]:
    """The pytest arguments for ``-k pattern``: claim ids as the report prints them
    (``RT-SQ``, ``rt-t4.1``, several joined by commas or ``or``) select their modules;
    anything else is a pytest ``-k`` expression."""
    ids = {key.lower(): path for key, path in claim_ids(root).items()}
    words = [w.strip().lower() for w in pattern.replace(",", " or ").split(" or ") if w.strip()]
    if words and all(w in ids for w in words):
        return sorted({str(ids[w]) for w in words}), None
    return [str(root)], pattern


class _Collector:
    """A pytest plugin recording outcomes per proof file (also in the controller of an
    xdist run, where the workers' reports arrive)."""

    def __init__(self, progress: Any) -> None:
        self.outcomes: dict = {}
        self.modules: dict = {}
        self.progress = progress

    def pytest_itemcollected(self, item: Any) -> None:
        self.modules.setdefault(Path(item.nodeid.split("::")[0]).name, item.module)

    def pytest_runtest_logreport(self, report: Any) -> None:
        module = Path(report.nodeid.split("::")[0]).name
        entry = self.outcomes.setdefault(module, _empty())
        entry["seconds"] += report.duration
        if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
            entry[report.outcome] += 1
            if report.outcome == "failed":
                entry["failures"].append(f"{report.nodeid}: {str(report.longrepr).splitlines()[-1][:200]}")
            if self.progress is not None and report.when == "call":
                self.progress(module, report.nodeid, report.outcome)


def _empty() -> dict:
    return {"passed": 0, "failed": 0, "skipped": 0, "seconds": 0.0, "failures": []}


def _load(path: Path) -> Any:
    """A proof module by file path (an xdist controller never imports the test modules):
    inside its package when it has one, so that its relative imports work."""
    parts, root = [path.stem], path.parent
    while (root / "__init__.py").exists():
        parts.insert(0, root.name)
        root = root.parent
    if len(parts) > 1:
        if str(root) not in sys.path:
            sys.path.append(str(root))
        return importlib.import_module(".".join(parts))
    spec = importlib.util.spec_from_file_location(f"_symdepth_claim_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_proofs(pattern: str | None = None, directory: str | Path | None = None, include_slow: bool = False,
               progress: Any = None, workers: int | str | None = None, scheduler: str | None = None,
               certificates: str | Path | None = None) -> Report:
    """Run the proof suite (optionally only modules matching ``-k pattern``) and report.

    ``workers`` (an int, or ``"auto"`` for one per core) runs the claim modules in parallel
    with pytest-xdist; the report is the same as the serial one.  ``scheduler`` is the
    address of a dask.distributed scheduler (``tcp://host:8786``) on which the long sweeps
    (``include_slow``) run; by default they use a local process pool.  ``certificates``, a
    directory, receives a certificate for every verdict that has one (``<claim id>/*.json``)
    and the checker ``certcheck`` verifies them in the same run: each claim's result then
    carries its :class:`Certification`.
    """
    import pytest

    root = find_proofs(directory)
    started = time.perf_counter()
    collector = _Collector(progress)
    targets, expression = _select(pattern, root) if pattern else ([str(root)], None)
    # rootdir: the suite's own directory, so a pytest configuration in the current directory
    # (another project's) does not change what runs
    args = [*targets, "-q", "-p", "no:cacheprovider", "--no-header", "-o", "addopts=", "-p", "no:warnings",
            "--rootdir", str(root.parent)]
    if not include_slow:
        args += ["-m", "not slow"]
    if expression:
        args += ["-k", expression]
    if workers not in (None, 1, "1"):
        if importlib.util.find_spec("xdist") is None:
            raise SymdepthError("parallel proofs need pytest-xdist: pip install 'symdepth[cluster]'")
        if workers != "auto" and (not str(workers).isdigit() or int(workers) < 1):
            raise SymdepthError(f"workers must be a positive integer or 'auto', got {workers!r}")
        # work stealing: a worker that runs out takes queued tests from a busy one, so the
        # long sweeps' chunks do not pile up on one worker
        args += ["-n", str(workers), "--dist", "worksteal"]
    if scheduler:
        args += ["--scheduler", scheduler]
    saved_environment = os.environ.get(recorder.ENV)
    if certificates is not None:
        folder = _certificate_folder(certificates)
        os.environ[recorder.ENV] = str(folder)
        args += ["-p", "symdepth.recorder"]
    with open(os.devnull, "w") as sink:
        saved = sys.stdout
        sys.stdout = sink
        try:
            pytest.main(args, plugins=[collector])
        finally:
            sys.stdout = saved
            if saved_environment is None:
                os.environ.pop(recorder.ENV, None)
            else:
                os.environ[recorder.ENV] = saved_environment
    results = []
    for path in sorted(root.glob("test_*.py")):
        key = path.name
        if key not in collector.outcomes and pattern:
            continue  # not selected by -k
        module = collector.modules.get(key) or _load(path)
        claim = getattr(module, "CLAIM", None)
        if claim is None:
            continue
        errata = tuple(getattr(module, "ERRATA", ()))
        entry = collector.outcomes.get(key, _empty())
        verdict = _verdict(claim, errata, entry["passed"], entry["failed"])
        results.append(ClaimResult(claim, verdict, entry["passed"], entry["failed"], entry["skipped"],
                                   entry["seconds"], errata, tuple(entry["failures"])))
    if certificates is None:
        return Report(tuple(results), time.perf_counter() - started)
    checking = time.perf_counter()
    results = _certify(folder, results, workers)
    return Report(tuple(results), time.perf_counter() - started, time.perf_counter() - checking)


_MARKER = ".symdepth-certificates"


def _certificate_folder(path: str | Path) -> Path:
    """The directory for the certificates: new, empty, or one an earlier run wrote (cleared)."""
    folder = Path(path)
    if folder.exists() and any(folder.iterdir()):
        if not (folder / _MARKER).exists():
            raise SymdepthError(f"{folder} is not empty and holds no earlier certificates; give a new or empty "
                                "directory to --certificates")
        shutil.rmtree(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / _MARKER).write_text("certificates written by symdepth prove --certificates\n")
    return folder


def _certify(folder: Path, results: list, workers: int | str | None) -> list:
    """Run the checker on every claim's certificates and attach each claim's Certification."""
    from certcheck.__main__ import check_files

    files = {r.claim.id: sorted(str(p) for p in (folder / recorder.folder_name(r.claim.id)).glob("*.json"))
             for r in results}
    every = [f for paths in files.values() for f in paths]
    processes = os.cpu_count() or 1 if workers in (None, "auto") or str(workers) == "1" else int(workers)
    checked = dict(zip(every, check_files(every, processes)))
    out = []
    for r in results:
        notes = [json.loads(line) for path in sorted((folder / recorder.folder_name(r.claim.id)).glob("notes-*.jsonl"))
                 for line in path.read_text(encoding="utf-8").splitlines()]
        out.append(dataclasses.replace(r, certification=_certification(
            r.claim, [checked[f] for f in files[r.claim.id]], notes)))
    return out


def _certification(claim: Claim, checked: list, notes: list) -> Certification:
    """A claim's Certification from its checked certificates and the notes of verdicts
    without one (status "not certifiable" or "failed", with a reason)."""
    verified = sum(1 for status, _ in checked if status == "verified")
    rejected = [message for status, message in checked if status == "rejected"]
    unreadable = [message for status, message in checked if status == "unreadable"]
    failed = [n["reason"] for n in notes if n["status"] == "failed"]
    reasons = collections.Counter(n["reason"] for n in notes if n["status"] == "not certifiable")
    reasons.update(f"the checker cannot read it: {message}" for message in unreadable)
    why = "; ".join(f"{reason} ({count}x)" if count > 1 else reason for reason, count in reasons.most_common(3))
    if rejected:
        return Certification("REJECTED", verified, f"{len(rejected)} rejected, first: {rejected[0]}")
    if failed:
        return Certification("FAILED", verified, f"{len(failed)} verdicts without evidence, first: {failed[0]}")
    if verified and not reasons:
        return Certification("certified", verified, "")
    if verified:
        return Certification("certified in part", verified, f"not certifiable: {why}")
    return Certification("not certifiable", 0, why or claim.certificates or "no verdict of a certifiable kind")


def _verdict(claim: Claim, errata: tuple, passed: int, failed: int) -> str:
    """The verdict of one claim; a claim none of whose checks ran (all skipped or
    deselected) is "not checked", whatever else the module says.

    Examples
    --------
    >>> claim = Claim("X", "src", "statement", "sweep")
    >>> _verdict(claim, (), 3, 0), _verdict(claim, (), 3, 1), _verdict(claim, ("erratum",), 0, 0)
    ('holds', 'FAILS', 'not checked')
    """
    if failed:
        return "FAILS"
    if passed == 0:
        return "not checked"
    if claim.kind == "not mechanisable":
        return "not mechanisable"
    if claim.kind == "empirical":
        return "empirical"
    if errata:
        return "holds as corrected"
    return "holds" if claim.kind == "exact" else "holds (numeric)"


def format_report(report: Report, fmt: str = "text") -> str:
    """Render a report as ``text``, ``markdown``, ``latex`` or ``json``."""
    if fmt == "json":
        return json.dumps(
            {
                "ok": report.ok,
                "seconds": round(report.seconds, 2),
                "claims": [
                    {**asdict(r.claim), "verdict": r.verdict, "passed": r.passed, "failed": r.failed,
                     "seconds": round(r.seconds, 2), "failures": list(r.failures),
                     "certification": None if r.certification is None else asdict(r.certification)}
                    for r in report.results
                ],
                "errata": [asdict(e) for e in report.errata],
            },
            indent=1,
        )
    if fmt == "markdown":
        lines = ["| claim | source | statement | verdict | checks | sweep | model | s |",
                 "|---|---|---|---|--:|---|---|--:|"]
        for r in report.results:
            cells = [r.claim.id, r.claim.source, r.claim.statement, r.verdict, str(r.passed), r.claim.sweep,
                     r.claim.model, f"{r.seconds:.1f}"]
            lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
        notes = [r.claim for r in report.results if r.claim.note]
        if notes:
            lines += ["", "**Notes** (not errata: the printed statements stand)", ""]
            lines += [f"- **{c.id}** {c.note}" for c in notes]
        if report.errata:
            lines += ["", "**Errata**", ""]
            for e in report.errata:
                lines.append(f"- **{e.claim}** printed: {e.printed}; holds: {e.holds}; smallest counterexample: "
                             f"{e.counterexample} ({e.how_found})")
        return "\n".join(lines)
    if fmt == "latex":
        return _latex_report(report)
    if fmt != "text":
        raise SymdepthError(f"report format must be text, markdown, latex or json, got {fmt!r}")
    width = max((len(r.claim.id) for r in report.results), default=5)
    lines = []
    for r in report.results:
        lines.append(f"{r.claim.id:<{width}}  {r.verdict:<18} {r.seconds:6.1f}s  {r.claim.statement}")
        lines.append(f"{'':<{width}}  sweep: {r.claim.sweep}  [{r.claim.source}]")
        if r.claim.model:
            lines.append(f"{'':<{width}}  model: {r.claim.model}")
        if r.claim.note:
            lines.append(f"{'':<{width}}  note: {r.claim.note}")
        if r.certification is not None:
            lines.append(f"{'':<{width}}  certificates: {r.certification}")
        for failure in r.failures:
            lines.append(f"{'':<{width}}  FAILED {failure}")
    passed = sum(1 for r in report.results if r.failed == 0)
    lines.append("")
    lines.append(f"{passed}/{len(report.results)} claims checked without failure in {report.seconds:.1f}s")
    certified = [r.certification for r in report.results if r.certification is not None]
    if certified:
        statuses = collections.Counter(c.status for c in certified)
        lines.append(f"certificates: {sum(c.verified for c in certified)} verified by certcheck in "
                     f"{report.certificate_seconds:.1f}s; claims " + ", ".join(f"{n} {s}" for s, n in statuses.items()))
    notes = [r.claim for r in report.results if r.claim.note]
    if notes:
        lines.append("")
        lines.append("NOTES (not errata: the printed statements stand)")
        lines += [f"- {c.id}: {c.note}" for c in notes]
    if report.errata:
        lines.append("")
        lines.append("ERRATA")
        for e in report.errata:
            lines.append(f"- {e.claim}: printed {e.printed}")
            lines.append(f"  holds: {e.holds}")
            lines.append(f"  smallest counterexample: {e.counterexample}")
            lines.append(f"  found by: {e.how_found}")
    return "\n".join(lines)


# The Unicode of the claim texts as LaTeX: math symbols wrapped in \ensuremath, text symbols as
# text macros, so the report is ASCII and compiles with plain pdflatex.
_LATEX_MATH = {
    "σ": r"\sigma", "α": r"\alpha", "β": r"\beta", "γ": r"\gamma", "δ": r"\delta", "ε": r"\varepsilon",
    "η": r"\eta", "θ": r"\theta", "λ": r"\lambda", "π": r"\pi", "ρ": r"\rho", "τ": r"\tau", "φ": r"\varphi",
    "ξ": r"\xi", "Θ": r"\Theta", "Σ": r"\Sigma", "∏": r"\prod", "∑": r"\sum", "−": "-", "≤": r"\le",
    "≥": r"\ge", "≠": r"\ne", "≈": r"\approx", "≡": r"\equiv", "·": r"\cdot", "∇": r"\nabla", "∂": r"\partial",
    "→": r"\to", "←": r"\leftarrow", "⇒": r"\Rightarrow", "↦": r"\mapsto", "⌈": r"\lceil", "⌉": r"\rceil",
    "⌊": r"\lfloor", "⌋": r"\rfloor", "‖": r"\|", "√": r"\surd", "⋯": r"\cdots", "⟨": r"\langle",
    "⟩": r"\rangle", "∘": r"\circ", "∈": r"\in", "∪": r"\cup", "⊥": r"\perp", "±": r"\pm", "×": r"\times",
    "∞": r"\infty", "⁗": r"^{\prime\prime\prime\prime}", "ᵀ": "^{T}", "⁻": "^{-}", "⁰": "^{0}", "¹": "^{1}",
    "²": "^{2}", "³": "^{3}", "⁴": "^{4}", "⁵": "^{5}", "⁶": "^{6}", "⁷": "^{7}", "⁸": "^{8}", "⁹": "^{9}",
}
_LATEX_TEXT = {"—": "---", "–": "--", "…": r"\dots{}", "§": r"\S{}", "’": "'", "“": "``", "”": "''",
               "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "_": r"\_", "#": r"\#", "^": r"\^{}",
               "$": r"\$", "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}"}
_LATEX_ACCENTS = {"\u0301": r"\'", "\u0302": r"\^", "\u0303": r"\~", "\u0304": r"\="}


def latex_text(text: str) -> str:
    """Plain text with the Unicode math of the claim texts as ASCII LaTeX for text mode.

    Examples
    --------
    >>> print(latex_text("∏(r_i+1) ≤ 2σ²  [RT §4.2 — 50%]"))
    \\ensuremath{\\prod}(r\\_i+1) \\ensuremath{\\le} 2\\ensuremath{\\sigma}\\ensuremath{^{2}}  [RT \\S{}4.2 --- 50\\%]
    >>> print(latex_text("ŷ, ȳ, é, \\u4e2d"))
    \\^{y}, \\={y}, \\'{e}, ?
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in _LATEX_ACCENTS and out:
            out[-1] = f"{_LATEX_ACCENTS[ch]}{{{out[-1]}}}"
        elif ch in _LATEX_MATH:
            out.append(rf"\ensuremath{{{_LATEX_MATH[ch]}}}")
        elif ch in _LATEX_TEXT:
            out.append(_LATEX_TEXT[ch])
        else:
            out.append(ch if ch.isascii() else "?")
    return "".join(out)


def _latex_report(report: Report) -> str:
    """The report as a LaTeX fragment (packages booktabs and longtable): the claims with
    their statements, then the notes and the errata."""
    t = latex_text
    lines = [r"\begin{longtable}{@{}p{0.1\linewidth}p{0.38\linewidth}p{0.12\linewidth}p{0.28\linewidth}r@{}}",
             r"\toprule", r"Claim & Statement & Verdict & Source; model & s \\", r"\midrule", r"\endhead"]
    for r in report.results:
        where = t(r.claim.source) + (f"; {t(r.claim.model)}" if r.claim.model else "")
        lines.append(f"{t(r.claim.id)} & {t(r.claim.statement)} & {t(r.verdict)} & {where} & {r.seconds:.1f} \\\\")
    lines += [r"\bottomrule", r"\end{longtable}"]
    passed = sum(1 for r in report.results if r.failed == 0)
    lines.append(f"{passed}/{len(report.results)} claims checked without failure in {report.seconds:.1f}\\,s.")
    notes = [r.claim for r in report.results if r.claim.note]
    if notes:
        lines += ["", r"\paragraph{Notes} (not errata: the printed statements stand)", r"\begin{itemize}"]
        lines += [rf"\item \textbf{{{t(c.id)}}}: {t(c.note)}" for c in notes]
        lines.append(r"\end{itemize}")
    if report.errata:
        lines += ["", r"\paragraph{Errata}", r"\begin{itemize}"]
        for e in report.errata:
            lines.append(rf"\item \textbf{{{t(e.claim)}}} printed: {t(e.printed)}. Holds: {t(e.holds)}. "
                         rf"Smallest counterexample: {t(e.counterexample)}. Found by: {t(e.how_found)}.")
        lines.append(r"\end{itemize}")
    return "\n".join(lines) + "\n"
