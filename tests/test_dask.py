"""Runs on a dask.distributed cluster give the same numbers as local runs."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import SMALL_SCALE, make_scenario

from model.cli import main
from model.execution.ensemble import run_ensemble
from model.execution.outcomes import evaluate
from model.execution.parallel import Pool
from model.levers import with_levers

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as c:
        yield c


@pytest.fixture(scope="module")
def short():
    """A year of the plan at a small scale: a cluster must give a local run's numbers at any size."""
    return make_scenario(end="2024-12", scale=SMALL_SCALE)


def test_ensemble_on_a_local_cluster_equals_a_local_run(cluster, short):
    on_dask = run_ensemble(short, 6, scheduler=cluster.scheduler_address)
    local = run_ensemble(short, 6, workers=2)
    np.testing.assert_array_equal(on_dask.values, local.values)


def test_lever_points_on_a_cluster_equal_local_ones(cluster, short, plan):
    targets = [t.model_copy(update={"year": 2024}) for t in plan.targets]  # read the plan's targets in 2024
    points = [short, with_levers(short, {"municipal_platforms_per_year": 6, "budget.platform_grant": 20000})]
    with Pool(scheduler=cluster.scheduler_address) as pool:
        on_dask = evaluate(points, targets, 3, 7, pool)
    with Pool(1) as pool:
        local = evaluate(points, targets, 3, 7, pool)
    assert on_dask.values.shape == (2, 3, len(targets))
    np.testing.assert_array_equal(on_dask.values, local.values)


def test_cli_run_accepts_a_scheduler(cluster, small_plan, tmp_path):
    out_dask, out_local = tmp_path / "dask", tmp_path / "local"
    common = [str(small_plan), "-n", "4", "--no-progress", "--parameters", "defaults"]
    assert main(["run", *common, "--scheduler", cluster.scheduler_address, "--out", str(out_dask)]) == 0
    assert main(["run", *common, "-w", "1", "--out", str(out_local)]) == 0
    import json

    a = json.loads((out_dask / "summary.json").read_text("utf-8"))["targets"]
    b = json.loads((out_local / "summary.json").read_text("utf-8"))["targets"]
    assert a == b


@pytest.mark.parametrize("address, reason", [("tcp://127.0.0.1:9", "cannot reach the dask scheduler"),
                                             ("notanaddress", "not a scheduler address")])
def test_unreachable_scheduler_is_a_one_line_error(tmp_path, capsys, monkeypatch, address, reason):
    from conftest import PLAN

    # The command gives a scheduler 10 s to answer; nothing answers on port 9, so 1 s ends in the same error.
    client = distributed.Client
    monkeypatch.setattr(distributed, "Client", lambda address, timeout, **kw: client(address, timeout="1s", **kw))
    out = tmp_path / "x"
    assert main(["run", str(PLAN), "-n", "2", "--scheduler", address, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--scheduler" in err and reason in err
    assert not out.exists()


def test_an_ensemble_survives_a_worker_killed_midway(tmp_path, short):
    """kill -9 one of two workers once the first replications are back: dask runs its tasks elsewhere
    and the ensemble ends with the numbers of a clean run."""
    import os
    import signal
    import threading
    import time

    from model.execution.checkpoint import Checkpoint

    n = 24
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=50) as own, distributed.Client(own) as client:
        pids = client.run(os.getpid)  # worker address -> process id
        checkpoint = Checkpoint.create(tmp_path / "ck", {"replications": n})
        killed: list[int] = []

        def kill_one_when_started() -> None:
            deadline = time.monotonic() + 120
            while len(list(checkpoint.folder.glob("rep-*.npy"))) < 2 and time.monotonic() < deadline:
                time.sleep(0.05)
            pid = next(iter(pids.values()))
            os.kill(pid, signal.SIGKILL)
            killed.append(len(list(checkpoint.folder.glob("rep-*.npy"))))

        killer = threading.Thread(target=kill_one_when_started)
        killer.start()
        on_dask = run_ensemble(short, n, scheduler=own.scheduler_address, checkpoint=checkpoint)
        killer.join()
        saved = len(list(checkpoint.folder.glob("rep-*.npy")))
    assert killed and killed[0] < n, f"the worker was killed after the ensemble ended ({killed})"
    assert saved == n
    clean = run_ensemble(short, n, workers=1)
    np.testing.assert_array_equal(on_dask.values, clean.values)
