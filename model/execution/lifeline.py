"""Worker processes end with the process that started them, however it ends (a crash, an OOM kill,
kill -9, a closed terminal), and stop computing at once rather than finishing their tasks for nobody.

Without this, a killed `innosim run --workers 2` left both workers (200-250 MB each) and the
multiprocessing resource tracker alive, the workers still computing, then waiting forever on a
queue that other workers keep open.

A worker is armed two ways, because each misses a case the other covers:

- `prctl(PR_SET_PDEATHSIG, SIGKILL)` (Linux): the kernel kills the worker as its parent dies, even
  while the worker is deep in C code. It fires when the *thread* that started the worker ends, not
  the process, so it is armed only for workers started from the main thread (which lives as long as
  the process): a pool started from another thread, such as a web server's request thread, would
  otherwise lose its workers when that thread returns while the process carries on.
- a daemon thread that polls `os.getppid()`: once the parent is gone the worker has been handed to
  another process, and the thread ends the worker within POLL seconds. It works from any thread and
  on any POSIX system, as long as the worker's main thread lets go of the GIL now and then (the
  interpreter switches threads every 5 ms).

The resource tracker is not armed: it ends by itself at the end of its pipe, once the main process
and every worker holding the pipe are gone, after removing what they left behind; killing it would
skip that. At a normal exit of the CLI, end_resource_tracker closes the pipe itself and waits for the
tracker (model/execution/at_exit.py), so that it does not outlive the command by the moment it takes
to notice.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time
from multiprocessing.context import SpawnContext, SpawnProcess

POLL = 0.2  # seconds between checks of the parent
PR_SET_PDEATHSIG = 1
_armed_in: int | None = None  # the pid this module armed, so a forked copy of an armed process arms again


def origin() -> tuple[int, bool]:
    """What a worker started from here needs to arm itself: this process's pid, and whether the parent-death
    signal is safe (the starting thread is the main thread)."""
    return os.getpid(), threading.current_thread() is threading.main_thread()


def arm(parent: int, deathsig: bool = True) -> None:
    """In a worker started by process `parent`: end this process when `parent` is gone."""
    global _armed_in
    if _armed_in == os.getpid():
        return
    _armed_in = os.getpid()
    if deathsig:
        _set_parent_death_signal()
    if os.getppid() != parent:  # the parent died before the signal was armed: it will not come
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="innosim-lifeline", daemon=True).start()


def arm_if_child(parent: int, deathsig: bool) -> None:
    """In a worker forked from `parent`: `arm` it, and leave Ctrl-C to `parent`, which stops the workers and
    says how to resume (rather than a traceback from every worker). Nothing in `parent` itself."""
    if os.getpid() != parent and _armed_in != os.getpid():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        arm(parent, deathsig)


class Linked:
    """`fn` for workers that another library forks from this process (pyabc's): the first call in each
    worker arms it, and leaves Ctrl-C to this process."""

    def __init__(self, fn) -> None:
        self.fn, self.origin = fn, origin()  # created in the thread that will fork the workers

    def __call__(self, *args, **kwargs):
        arm_if_child(*self.origin)
        return self.fn(*args, **kwargs)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(POLL)
    os._exit(1)  # ends every thread at once; nobody is left to read a result


def _set_parent_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # no prctl: the watchdog thread alone ends the worker
        pass


class _LinkedProcess(SpawnProcess):
    """A spawned process that arms itself first thing, before the pool's initializer or any task runs."""

    def start(self) -> None:
        # Runs in the thread that starts the process, the one the parent-death signal would follow.
        self._lifeline = origin()
        super().start()

    def run(self) -> None:
        arm(*self._lifeline)
        super().run()


class _LinkedContext(SpawnContext):
    Process = _LinkedProcess


def spawn_context() -> SpawnContext:
    """The `spawn` multiprocessing context, whose processes end with the process that started them."""
    return _LinkedContext()


def end_resource_tracker() -> None:
    """End the multiprocessing resource tracker this process started, if any, and wait until it is gone.

    Closing its pipe is the end it would see once this process is gone, earlier: it still removes what the
    workers left behind. Run it only after multiprocessing's own exit handler has finalised the queues'
    semaphores (at_exit.py): stopped while they live, the tracker unlinks them as leaked and their finalisers
    fail. Not while a child of ours lives (the tracker would wait for it too), nor in a process that only
    inherited the tracker (a forked copy)."""
    tracker = getattr(sys.modules.get("multiprocessing.resource_tracker"), "_resource_tracker", None)
    if tracker is None or getattr(tracker, "_pid", None) is None or not hasattr(tracker, "_stop"):
        return
    import multiprocessing

    if multiprocessing.active_children():
        return
    try:
        tracker._stop()
    except ChildProcessError:  # a forked copy: the tracker is its parent's child
        pass
