"""The processes a command leaves behind, read from /proc: no dependency, Linux only.

A command under test starts in a session of its own (start_new_session), so every process it
starts, the workers and the multiprocessing resource tracker included, carries the session id
(the main process's pid) even after the main process is gone and they have been re-parented.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

PROC = Path("/proc")
HAVE_PROC = (PROC / "self" / "stat").is_file()
TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
# Commands under test print their threads' Python stacks when they get SIGABRT (abort_with_stacks).
WITH_STACKS = {**os.environ, "PYTHONFAULTHANDLER": "1"}


def _stat(pid: int) -> list[str] | None:
    try:
        text = (PROC / str(pid) / "stat").read_text()
    except OSError:  # gone meanwhile
        return None
    return text[text.rindex(")") + 2:].split()  # the command name may hold spaces and parentheses


def session(sid: int) -> dict[int, str]:
    """Live processes of session `sid` (zombies are dead, only not yet reaped): pid -> command line."""
    found = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        fields = _stat(int(entry.name))
        if fields is None or int(fields[3]) != sid or fields[0] in "ZX":
            continue
        try:
            found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
    return found


def workers(sid: int) -> list[int]:
    """The worker processes of the session: spawned pool workers, or pyabc's forked copies of the main process."""
    return [pid for pid, cmd in session(sid).items() if pid != sid and "resource_tracker" not in cmd]


def cpu_seconds(pid: int) -> float:
    fields = _stat(pid)
    return 0.0 if fields is None else (int(fields[11]) + int(fields[12])) / TICKS


def start(args: list[str], log: Path) -> subprocess.Popen:
    """`python -m model ARGS` in a session of its own, output to `log` (a pipe nobody reads could fill up)."""
    with log.open("wb") as fh:
        return subprocess.Popen([sys.executable, "-m", "model", *args], stdout=fh, stderr=subprocess.STDOUT,
                                start_new_session=True, env=WITH_STACKS)


def wait_for(condition: Callable[[], bool], proc: subprocess.Popen, log: Path, what: str, timeout: float = 180) -> None:
    """Poll until `condition()`, failing if the command ends first or after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if proc.poll() is not None:
            raise AssertionError(f"the command ended (exit {proc.returncode}) before {what}:\n"
                                 f"{log.read_text()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"no {what} after {timeout} s:\n{log.read_text()[-3000:]}")
        time.sleep(0.05)


def kill_main(proc: subprocess.Popen, grace: float = 5.0) -> tuple[dict[int, str], float]:
    """kill -9 the main process alone; the processes of its session still alive after `grace` seconds, and how
    long the session took to empty. Those left are then killed, so that a failing test leaks nothing."""
    os.kill(proc.pid, signal.SIGKILL)
    t0 = time.monotonic()
    proc.wait()
    left = wait_gone(proc.pid, grace - (time.monotonic() - t0))
    return left, time.monotonic() - t0


def wait_gone(sid: int, grace: float) -> dict[int, str]:
    """Poll until session `sid` is empty, at most `grace` seconds; kill -9 and return what is left then."""
    deadline = time.monotonic() + grace
    while (left := session(sid)) and time.monotonic() < deadline:
        time.sleep(0.02)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    return left


def abort_with_stacks(sid: int, settle: float = 2.0) -> None:
    """On a hang: SIGABRT to every process of the session. Started with WITH_STACKS, each prints the Python
    stacks of its threads to its stderr on the way out, so that the failure says where it hung."""
    for pid in session(sid):
        try:
            os.kill(pid, signal.SIGABRT)
        except OSError:
            pass
    time.sleep(settle)
