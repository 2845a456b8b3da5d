"""Where the proof suite's long sweeps run: ``--scheduler ADDRESS`` sends them to a running
dask.distributed scheduler (``symdepth prove --slow --scheduler tcp://host:8786``); by default
:func:`symdepth.sweep` uses a local process pool."""

from __future__ import annotations

import concurrent.futures
import os
import sys

import pytest


def pytest_addoption(parser):
    parser.addoption("--scheduler", default=None, metavar="ADDRESS",
                     help="dask.distributed scheduler address for the proofs' long sweeps (default: local processes)")


@pytest.fixture(scope="session")
def sweep_executor(request):
    """The executor for ``symdepth.sweep`` in the proof modules: None (a local process pool
    on every core), a pool on this xdist worker's share of the cores, or a dask cluster's
    executor."""
    address = request.config.getoption("--scheduler")
    if not address:
        # this session's own xdist worker info (an environment variable would leak into
        # pytest runs nested in a worker)
        workers = int(getattr(request.config, "workerinput", {}).get("workercount", 1))
        if workers == 1:
            yield None
            return
        # under pytest-xdist the cores are shared: each worker's sweeps get their share
        with concurrent.futures.ProcessPoolExecutor(max(1, (os.cpu_count() or 1) // workers)) as pool:
            yield pool
        return
    import cloudpickle
    import distributed

    # the cluster's workers have symdepth installed, not this checkout's proofs/: send by value
    if "proofs" in sys.modules:
        cloudpickle.register_pickle_by_value(sys.modules["proofs"])
    with distributed.Client(address) as client:
        yield client.get_executor()
