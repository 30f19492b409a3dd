"""No process outlives its run: kill -9 of the main process ends its workers and the resource tracker.

Each command runs for real in a session of its own and is killed part way, the main process alone,
as an OOM kill or a crash would; then nothing of the session may be left after 5 s. Before the
workers were tied to their parent, `run --workers 2` and `compare` left three processes (the
resource tracker and both workers, still computing) and `calibrate` two, all alive a minute later.
"""

from __future__ import annotations

import os
import sys
import textwrap

import pytest
from conftest import NO_PLAN, ROOT
from processes import HAVE_PROC, cpu_seconds, kill_main, session, start, wait_for, workers

from model.execution.checkpoint import folder_for

pytestmark = pytest.mark.skipif(not HAVE_PROC, reason="reads the process table from /proc (Linux)")
GRACE = 5.0  # seconds the issue allows


def assert_nothing_left(proc, log) -> None:
    left, took = kill_main(proc, GRACE)
    assert not left, f"alive {GRACE} s after kill -9 of the main process:\n" + "\n".join(
        f"  {pid}: {cmd[:150]}" for pid, cmd in left.items()) + f"\n--- output:\n{log.read_text()[-2000:]}"
    print(f"session empty {took:.2f} s after kill -9")


def computing(sid: int, seconds: float = 3.0) -> bool:
    """Two workers, each with `seconds` of CPU: past start-up (about 1.5 s of imports), in the model."""
    busy = [pid for pid in workers(sid) if cpu_seconds(pid) >= seconds]
    return len(busy) >= 2


def test_kill_9_of_run_leaves_no_worker_and_no_resource_tracker(small_plan, tmp_path):
    out, log = tmp_path / "out", tmp_path / "log"
    proc = start(["run", str(small_plan), "-n", "200", "-w", "2", "--out", str(out), "--no-progress"], log)
    partial = folder_for(out)
    wait_for(lambda: any(partial.glob("rep-*.npy")) and computing(proc.pid), proc, log, "a checkpoint")
    assert any("resource_tracker" in cmd for cmd in session(proc.pid).values())
    assert_nothing_left(proc, log)
    assert not out.exists()


# Runs `python -m model ARGS` as a child subreaper (Linux): whatever the command leaves behind when it returns is
# handed to this process rather than to init, so a process that outlives it by a millisecond is caught as surely
# as one that lives on. Polling the command's session after it returned missed the resource tracker, which ends
# a few milliseconds after innosim's exit (2-5 ms measured) when innosim does not end it: usually before the poll.
ADOPTER = textwrap.dedent("""
    import ctypes, json, os, signal, subprocess, sys

    PR_SET_CHILD_SUBREAPER = 36
    assert ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    code = subprocess.call([sys.executable, "-m", "model", *sys.argv[1:]], stdout=sys.stderr.fileno())
    adopted = {}
    for entry in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{entry}/stat") as fh:
                state, ppid = fh.read().rsplit(")", 1)[1].split()[:2]
            with open(f"/proc/{entry}/cmdline", "rb") as fh:
                cmd = fh.read().replace(bytes(1), b" ").decode(errors="replace")
        except OSError:  # gone meanwhile
            continue
        if int(ppid) == os.getpid():
            adopted[entry] = f"{entry} [{state}] {cmd[:150] or '(ended since, not reaped)'}"
    print(json.dumps({"code": code, "adopted": adopted}), flush=True)
    for pid in map(int, adopted):  # a failing test leaks nothing
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
""")


def test_a_finished_run_leaves_no_process_behind(small_plan, tmp_path):
    """Nothing of `run --workers 2` outlives it, even by a moment: innosim ends its resource tracker and waits for
    it at exit (model/execution/at_exit.py); left alone, the tracker notices innosim's exit and ends a few
    milliseconds later, orphaned, holding the command's stdout and stderr until then."""
    import json
    import subprocess

    out = subprocess.run([sys.executable, "-c", ADOPTER, "run", str(small_plan), "-n", "2", "-w", "2", "--out",
                          str(tmp_path / "out"), "--no-progress"], capture_output=True, text=True, timeout=300,
                         cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    report = json.loads(out.stdout)
    assert report["code"] == 0, out.stderr[-2000:]
    assert not report["adopted"], "outlived the command: " + "; ".join(report["adopted"].values())


def test_ending_the_resource_tracker_waits_until_it_is_gone():
    """What the CLI does at exit (model/execution/at_exit.py): the tracker a pool started is gone when
    end_resource_tracker returns, not a moment after this process."""
    import operator
    from multiprocessing import resource_tracker

    from model.execution.lifeline import end_resource_tracker
    from model.execution.parallel import Pool

    with Pool(2) as pool:
        assert pool.map(operator.mul, [(2, 3), (4, 5)]) == [6, 20]
    pid = resource_tracker._resource_tracker._pid
    assert pid is not None and pid in session(os.getsid(0))
    end_resource_tracker()
    assert pid not in session(os.getsid(0))


def test_the_cli_registers_the_trackers_end_before_multiprocessing_registers_its_exit_handler():
    """at_exit.py works only if it is imported before multiprocessing.util (atexit runs the last registered
    first): an import added above it in model/cli/__init__.py would silently undo that."""
    import subprocess

    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import model.cli"], capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    order = [line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line]
    assert "model.execution.at_exit" in order, out.stderr[-2000:]
    if "multiprocessing.util" in order:
        assert order.index("model.execution.at_exit") < order.index("multiprocessing.util")


def test_kill_9_of_an_analysis_command_leaves_no_process(small_plan, tmp_path):
    out, log = tmp_path / "out", tmp_path / "log"
    no_plan = small_plan.parent / NO_PLAN.name
    proc = start(["compare", str(small_plan), str(no_plan), "-n", "200", "-w", "2", "--out", str(out), "--no-progress"],
                 log)
    wait_for(lambda: computing(proc.pid), proc, log, "two busy workers")
    assert_nothing_left(proc, log)


POOL_FROM_A_THREAD = textwrap.dedent("""
    import operator, threading, time
    from model.execution.parallel import Pool

    TASKS, SQUARES = [(i, i) for i in range(8)], [i * i for i in range(8)]
    pool = Pool(2)
    def begin():  # the workers are started by this thread, which then ends
        pool.__enter__()
        assert pool.map(operator.mul, TASKS) == SQUARES
    thread = threading.Thread(target=begin)
    thread.start()
    thread.join()
    time.sleep(1)  # time for a parent-death signal tied to that thread to have struck
    assert pool.map(operator.mul, TASKS) == SQUARES
    print("ready", flush=True)
    time.sleep(600)
""")


def test_workers_started_by_a_thread_outlive_it_and_still_end_with_the_process(tmp_path):
    """A pool started from a thread other than the main one (a web server's): the workers survive that thread
    (no parent-death signal tied to it), and the watchdog alone ends them when the process is killed."""
    import subprocess

    log = tmp_path / "log"
    with log.open("wb") as fh:
        proc = subprocess.Popen([sys.executable, "-c", POOL_FROM_A_THREAD], stdout=fh, stderr=subprocess.STDOUT,
                                cwd=ROOT, start_new_session=True)
    wait_for(lambda: "ready" in log.read_text() and len(workers(proc.pid)) >= 2, proc, log, "the second map")
    assert_nothing_left(proc, log)


BIG_RESULTS = textwrap.dedent("""
    import sys
    import numpy as np
    from model.execution.parallel import Pool

    def big(i):
        return np.ones(16_000_000)  # 128 MB: a worker is often half-way through sending one

    if __name__ == "__main__":
        try:
            with Pool(workers=2) as pool:
                for i, _ in pool.imap(big, [(i,) for i in range(1000)]):
                    print("result", flush=True)
        except KeyboardInterrupt:
            sys.exit(130)
""")


def test_ctrl_c_ends_a_run_whose_worker_is_cut_off_while_sending_a_result(tmp_path):
    """Ctrl-C ends the workers; one cut off half-way through sending a result left part of a message in the
    result pipe, and the executor's thread, which the interpreter joins at exit, waited for the rest for
    ever (10 hangs in 10 before parallel._stop_now closed this process's end of the pipe)."""
    import signal
    import subprocess

    script, log = tmp_path / "big.py", tmp_path / "log"
    script.write_text(BIG_RESULTS)
    for _ in range(3):
        with log.open("wb") as fh:
            proc = subprocess.Popen([sys.executable, str(script)], stdout=fh, stderr=subprocess.STDOUT, cwd=ROOT,
                                    start_new_session=True)
        wait_for(lambda: log.read_text().count("result") >= 2, proc, log, "two results")
        proc.send_signal(signal.SIGINT)
        try:
            assert proc.wait(timeout=30) == 130, log.read_text()[-2000:]
        finally:  # a hung or failed attempt leaks nothing
            for pid in session(proc.pid):
                os.kill(pid, signal.SIGKILL)
            proc.wait()
