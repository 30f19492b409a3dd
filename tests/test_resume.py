"""Crash safety of `innosim run`: checkpoints per replication, Ctrl-C and kill -9, then --resume.

The runs are killed for real (a subprocess, SIGINT or SIGKILL to its process group) part way
through, on the plan at a small scale (conftest.small_plan) so that its replications take seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest
from processes import WITH_STACKS, abort_with_stacks

from model.cli import main
from model.execution.checkpoint import Checkpoint, folder_for

# Enough for a run to be stopped part way (at least 10 checkpoints, more still to come) and resumed.
REPLICATIONS = 40


def _start(scenario: Path, out: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "model", "run", str(scenario), "-n", str(REPLICATIONS), "-w", "2", "--out", str(out),
           "--no-progress"]
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            env=WITH_STACKS)


def _interrupt(scenario: Path, out: Path, sig: int) -> tuple[subprocess.CompletedProcess, Path]:
    """Start a run, wait until at least 10 replications are checkpointed, then send `sig`."""
    proc = _start(scenario, out)
    partial = folder_for(out)
    deadline = time.monotonic() + 120
    while len(list(partial.glob("rep-*.npy"))) < 10:
        assert proc.poll() is None, f"the run ended before it could be interrupted: {proc.communicate()}"
        assert time.monotonic() < deadline, "no checkpoints after 120 s"
        time.sleep(0.05)
    if sig == signal.SIGKILL:
        os.killpg(proc.pid, sig)  # the main process and its workers, as an OOM kill or a power cut would
    else:
        proc.send_signal(sig)  # Ctrl-C reaches the main process
    try:
        stdout, stderr = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        abort_with_stacks(proc.pid)
        stderr = proc.communicate(timeout=30)[1]
        raise AssertionError(f"the run still running 60 s after {sig.name}; stacks:\n{stderr[-8000:]}") from None
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr), partial


def _values(folder: Path) -> dict:
    return pq.read_table(folder / "indicators.parquet").to_pydict()


@pytest.fixture(scope="module")
def uninterrupted(small_plan, tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("clean") / "out"
    assert main(["run", str(small_plan), "-n", str(REPLICATIONS), "-w", "2", "--out", str(out), "--no-progress"]) == 0
    return _values(out)


def test_ctrl_c_saves_checkpoints_and_resume_gives_the_uninterrupted_numbers(small_plan, tmp_path, uninterrupted,
                                                                            capsys):
    out = tmp_path / "out"
    done, partial = _interrupt(small_plan, out, signal.SIGINT)
    assert done.returncode == 130
    lines = done.stderr.strip().splitlines()
    assert lines[0].startswith("innosim: interrupted;") and str(partial) in lines[0]
    assert lines[1].strip() == f"resume with: innosim run {small_plan} --resume {partial}"
    assert "Traceback" not in done.stderr
    assert not out.exists()  # no results folder that looks complete
    saved = len(list(partial.glob("rep-*.npy")))
    assert 10 <= saved < REPLICATIONS
    capsys.readouterr()
    assert main(["run", str(small_plan), "--resume", str(partial), "-w", "2", "--no-progress"]) == 0
    assert _values(out) == uninterrupted
    assert not partial.exists()  # cleaned up once the results are complete


def test_kill_9_leaves_whole_checkpoints_and_resume_completes(small_plan, tmp_path, uninterrupted):
    out = tmp_path / "out"
    done, partial = _interrupt(small_plan, out, signal.SIGKILL)
    assert done.returncode == -signal.SIGKILL
    assert not out.exists()
    shape = np.load(next(partial.glob("rep-*.npy"))).shape
    assert all(np.load(p).shape == shape for p in partial.glob("rep-*.npy"))  # no half-written file
    assert main(["run", str(small_plan), "--resume", str(partial), "-w", "1", "--no-progress"]) == 0
    assert _values(out) == uninterrupted


def test_resume_skips_a_damaged_checkpoint_and_runs_it_again(small_plan, tmp_path, uninterrupted):
    out = tmp_path / "out"
    done, partial = _interrupt(small_plan, out, signal.SIGINT)
    assert done.returncode == 130
    victim = sorted(partial.glob("rep-*.npy"))[0]
    victim.write_bytes(victim.read_bytes()[:100])  # a file cut short, as a full disk would leave it
    assert main(["run", str(small_plan), "--resume", str(partial), "-w", "2", "--no-progress"]) == 0
    assert _values(out) == uninterrupted


def test_resume_refuses_a_changed_scenario_or_other_options(small_plan, tmp_path, capsys):
    out = tmp_path / "out"
    checkpoint = Checkpoint.create(folder_for(out), {"out": str(out), "scenario_hash": "0" * 16, "seed": 1,
                                                     "replications": 5, "parameters": "posterior", "until": None,
                                                     "lang": "zh"})
    assert main(["run", str(small_plan), "--resume", str(checkpoint.folder)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--resume" in err and "scenario has changed" in err

    from model.scenario import load_scenario

    checkpoint.meta["scenario_hash"] = load_scenario(small_plan).digest()
    Checkpoint.create(tmp_path / "other", checkpoint.meta)
    assert main(["run", str(small_plan), "--resume", str(tmp_path / "other"), "--seed", "2"]) == 2
    assert "--seed" in capsys.readouterr().err
    assert main(["run", str(small_plan), "--resume", str(tmp_path / "nowhere")]) == 2
    assert "not a checkpoint folder" in capsys.readouterr().err

    edited = dict(checkpoint.meta, replications="many")  # run.json edited by hand
    Checkpoint.create(tmp_path / "edited", edited)
    assert main(["run", str(small_plan), "--resume", str(tmp_path / "edited")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "replications = 'many'" in err


def test_a_new_run_refuses_a_folder_with_pending_checkpoints(small_plan, tmp_path, capsys):
    out = tmp_path / "out"
    Checkpoint.create(folder_for(out), {"out": str(out)})
    assert main(["run", str(small_plan), "-n", "2", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "--resume" in err and not out.exists()
