"""symdepth.sweep: input order, per-parameter failures, progress, and the same results on a
thread pool, the default process pool and a real dask.distributed LocalCluster."""

from __future__ import annotations

import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import symdepth
from symdepth import SymdepthError, check_taylor, constructions
from symdepth.sweeps import SweepError


def power_check(d):
    """A randomized Taylor check of the deep x^d net, seeded by d: a deterministic result."""
    if d < 1:
        raise SymdepthError(f"no x^{d} network")
    result = check_taylor(constructions.deep_power(d, "exp"), {(d,): 1}, method="random", seed=d)
    return result.ok, result.field, result.error_probability, result.num_neurons


PARAMETERS = [17, 3, 0, 40, 9, -2, 25]


def _expected():
    return [power_check(d) if d >= 1 else None for d in PARAMETERS]


def _check(result):
    assert [o.parameter for o in result.outcomes] == PARAMETERS
    assert [o.ok for o in result.outcomes] == [d >= 1 for d in PARAMETERS]
    assert [o.value for o in result.outcomes] == _expected()
    assert [o.parameter for o in result.failures] == [0, -2]
    assert all(o.error.startswith("SymdepthError: no x^") and "Traceback" in o.traceback for o in result.failures)
    with pytest.raises(SweepError, match="2 of 7 parameters failed"):
        _ = result.values


def test_thread_pool_and_progress():
    seen = []
    with ThreadPoolExecutor(3) as pool:
        result = symdepth.sweep(power_check, PARAMETERS, executor=pool,
                                progress=lambda done, failed, total: seen.append((done, failed, total)))
    _check(result)
    assert [s[0] for s in seen] == list(range(1, 8)) and seen[-1] == (7, 2, 7)
    assert repr(result) == "SweepResult(7 parameters: 5 ok, 2 failed)"
    assert "<table>" in result._repr_html_()


def test_default_process_pool():
    _check(symdepth.sweep(power_check, PARAMETERS, progress=False))


def test_dask_local_cluster():
    distributed = pytest.importorskip("distributed")
    import cloudpickle

    # the cluster's worker processes need this test module's function by value
    cloudpickle.register_pickle_by_value(sys.modules[__name__])
    try:
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                      silence_logs=40) as cluster, distributed.Client(cluster) as client:
            assert len(client.scheduler_info()["workers"]) == 2
            _check(symdepth.sweep(power_check, PARAMETERS, executor=client.get_executor(), progress=False))
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])


def test_empty_sweep():
    result = symdepth.sweep(power_check, [], progress=False)
    assert result.ok and result.values == [] and len(result) == 0
