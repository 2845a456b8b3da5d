"""Sweeps: one check mapped over a parameter grid, on any ``concurrent.futures.Executor``.

:func:`sweep` runs ``function(parameter)`` for every parameter, on a local process pool by
default, or on whatever executor it is given — a thread pool, or a dask.distributed cluster
through ``Client(address).get_executor()`` — and returns the results in input order.  A
parameter whose call raises does not stop the others: its :class:`Outcome` records the error
(type, message and the remote traceback), and :attr:`SweepResult.values` refuses to pretend
it succeeded.  The results do not depend on the executor (tested: serial, process pool,
dask LocalCluster).

Scheduling is the executor's; this module only submits, collects in order and reports
progress — no home-made scheduler.

Examples
--------
>>> from concurrent.futures import ThreadPoolExecutor
>>> with ThreadPoolExecutor(2) as pool:
...     result = symdepth.sweep(abs, [-3, 2, -1], executor=pool, progress=False)
>>> result
SweepResult(3 parameters: 3 ok, 0 failed)
>>> result.values
[3, 2, 1]
"""

from __future__ import annotations

import concurrent.futures
import html
import os
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from .display import ProgressLine
from .errors import SymdepthError

__all__ = ["sweep", "Outcome", "SweepResult", "SweepError"]


class SweepError(SymdepthError, RuntimeError):
    """Values were asked of a sweep in which some parameters failed; the message lists them."""


@dataclass(frozen=True)
class Outcome:
    """What one parameter gave: its value, or the error it raised (``"Type: message"``) and the
    traceback text from where it ran."""

    parameter: Any
    value: Any = None
    error: str | None = None
    traceback: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error is None

    def __repr__(self) -> str:
        if self.ok:
            return f"Outcome({self.parameter!r}: {self.value!r})"
        return f"Outcome({self.parameter!r}: failed, {self.error})"


@dataclass(frozen=True)
class SweepResult:
    """The outcomes of a sweep, in the order of its parameters."""

    outcomes: tuple
    seconds: float

    @property
    def ok(self) -> bool:
        return all(o.ok for o in self.outcomes)

    @property
    def failures(self) -> list:
        return [o for o in self.outcomes if not o.ok]

    @property
    def values(self) -> list:
        """The values in input order; raises :class:`SweepError` if any parameter failed."""
        if not self.ok:
            shown = "; ".join(f"{o.parameter!r}: {o.error}" for o in self.failures[:5])
            more = f" and {len(self.failures) - 5} more" if len(self.failures) > 5 else ""
            raise SweepError(f"{len(self.failures)} of {len(self.outcomes)} parameters failed ({shown}{more}); "
                             "see .failures for the tracebacks")
        return [o.value for o in self.outcomes]

    def __len__(self) -> int:
        return len(self.outcomes)

    def __repr__(self) -> str:
        failed = len(self.failures)
        return f"SweepResult({len(self.outcomes)} parameters: {len(self.outcomes) - failed} ok, {failed} failed)"

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><td>{html.escape(repr(o.parameter))}</td><td>{'ok' if o.ok else 'failed'}</td>"
            f"<td>{html.escape(repr(o.value) if o.ok else str(o.error))}</td><td>{o.seconds:.2f}</td></tr>"
            for o in self.outcomes[:50])
        more = f"<p>… {len(self.outcomes) - 50} more</p>" if len(self.outcomes) > 50 else ""
        return (f"<p>{html.escape(repr(self))} in {self.seconds:.1f} s</p><table><tr><th>parameter</th>"
                f"<th>status</th><th>value / error</th><th>s</th></tr>{rows}</table>{more}")


def _call(function: Callable[[Any], Any], parameter: Any) -> tuple:
    """Run one parameter where the executor puts it; errors come back as data, so that one
    failure never hides the others (and unpicklable exceptions still arrive)."""
    started = time.perf_counter()
    try:
        value = function(parameter)
    except Exception as err:  # noqa: BLE001 - every failure is reported per parameter
        return None, f"{type(err).__name__}: {err}", traceback.format_exc(), time.perf_counter() - started
    return value, None, "", time.perf_counter() - started


def _bar(done: int, failed: int, total: int) -> str:
    filled = 30 * done // max(total, 1)
    return f"[{'#' * filled}{'.' * (30 - filled)}] {done}/{total}" + (f", {failed} failed" if failed else "")


def sweep(function: Callable[[Any], Any], parameters: Iterable[Any], *,
          executor: concurrent.futures.Executor | None = None,
          progress: bool | Callable[[int, int, int], None] = True) -> SweepResult:
    """``function(p)`` for every parameter p, results in input order.

    Parameters
    ----------
    function : callable of one argument
        Must be picklable for process pools and clusters (a module-level function or a
        ``functools.partial`` of one).
    parameters : iterable
    executor : concurrent.futures.Executor, optional
        Where to run.  Default: a local process pool with one worker per core, created and
        shut down here.  A given executor is used and left open — e.g. a
        ``ThreadPoolExecutor``, or dask.distributed's ``Client(address).get_executor()`` to run
        on a cluster.
    progress : bool or callable
        ``True``: a progress bar on stderr when it is a terminal; a callable is called as
        ``progress(done, failed, total)`` after every finished parameter.

    Returns
    -------
    SweepResult
        ``.outcomes`` (one :class:`Outcome` per parameter, in order), ``.values``,
        ``.failures``, ``.ok``.

    Examples
    --------
    >>> from concurrent.futures import ThreadPoolExecutor
    >>> from symdepth import constructions
    >>> def neurons(d):
    ...     return constructions.deep_power(d, "exp").num_neurons
    >>> with ThreadPoolExecutor(2) as pool:
    ...     symdepth.sweep(neurons, [3, 7, 8], executor=pool, progress=False).values
    [7, 13, 6]
    >>> with ThreadPoolExecutor(2) as pool:
    ...     failed = symdepth.sweep(neurons, [2, -1], executor=pool, progress=False)
    >>> failed.failures[0].parameter, failed.failures[0].error.split(":")[0]
    (-1, 'SymdepthError')
    """
    items = list(parameters)
    started = time.perf_counter()
    own = executor is None
    pool: concurrent.futures.Executor = executor or concurrent.futures.ProcessPoolExecutor(os.cpu_count() or 1)
    line = ProgressLine() if progress is True and sys.stderr.isatty() else None
    report = progress if callable(progress) else None
    outcomes: list = [None] * len(items)
    try:
        futures = {pool.submit(_call, function, p): i for i, p in enumerate(items)}
        done = failed = 0
        for future in concurrent.futures.as_completed(futures):
            i = futures[future]
            try:
                value, error, trace, seconds = future.result()
            except Exception as err:  # noqa: BLE001 - the executor itself failed for this parameter
                value, error, trace, seconds = None, f"{type(err).__name__}: {err}", traceback.format_exc(), 0.0
            outcomes[i] = Outcome(items[i], value, error, trace, seconds)
            done += 1
            failed += error is not None
            if line is not None:
                line.show(_bar(done, failed, len(items)), final=done == len(items))
            if report is not None:
                report(done, failed, len(items))
    finally:
        if line is not None:
            line.clear()
        if own:
            pool.shutdown()
    return SweepResult(tuple(outcomes), time.perf_counter() - started)
