"""Where model runs execute: this process, local worker processes, or a dask.distributed cluster.

Every task is a pure function of its arguments (a replication's draws are fixed by the seed and
its index), and results come back in task order, so the numbers do not depend on where or in
what order the tasks ran.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing.connection import wait
from typing import Any

from ..errors import InputError
from .lifeline import spawn_context


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the main process, which saves what is done and stops them (no traceback per worker)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop_now(executor: ProcessPoolExecutor) -> None:
    """Ctrl-C: end the workers now rather than after their running chunks (whose replications run again on
    resume), and leave nothing that the interpreter's exit would wait for.

    A worker ended half-way through sending a result leaves part of a message in the result pipe. The
    executor's manager thread then waits for the rest, and the interpreter joins that thread at exit, so the
    command hung after Ctrl-C (results of 128 MB: 10 hangs in 10; the tests' small runs hung now and then).
    The message ends only when every write end of the pipe is closed, and this process holds one: closed once
    the workers are gone, the manager thread reads the end of the pipe, marks the pool broken and ends."""
    processes = list((executor._processes or {}).values())
    results = executor._result_queue  # shutdown(wait=False) lets go of it
    for process in processes:
        process.terminate()
    executor.shutdown(wait=False, cancel_futures=True)
    wait([process.sentinel for process in processes], timeout=5.0)
    if results is not None:
        results._writer.close()


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


class Pool:
    """Runs tasks locally (processes, or in-process with one worker) or on a dask scheduler.

    Use as a context manager; one pool can serve many `map` calls (an optimiser's generations).
    """

    def __init__(self, workers: int | None = None, scheduler: str | None = None, progress: bool = False) -> None:
        self.workers = default_workers() if workers is None else workers
        self.scheduler = scheduler
        self.progress = progress
        self._local: ProcessPoolExecutor | None = None
        self._client = None

    def __enter__(self) -> Pool:
        if self.scheduler:
            self._client = connect(self.scheduler)
        elif self.workers > 1:
            # spawn: forking a process that has started threads can deadlock; the workers end with this process
            self._local = ProcessPoolExecutor(max_workers=self.workers, mp_context=spawn_context(),
                                              initializer=_ignore_interrupts)
        return self

    def __exit__(self, exc_type, *exc) -> None:
        if self._local is not None:
            if exc_type is KeyboardInterrupt:
                _stop_now(self._local)
            else:
                self._local.shutdown(cancel_futures=True)
        if self._client is not None:
            self._client.close()

    @property
    def where(self) -> str:
        if self.scheduler:
            return f"dask scheduler {self.scheduler}"
        return f"{self.workers} local process{'es' if self.workers > 1 else ''}"

    def map(self, fn: Callable[..., Any], tasks: Iterable[tuple], desc: str = "runs",
            weights: list[int] | None = None) -> list[Any]:
        """fn(*task) for every task, results in task order; `weights` (runs per task) drive the progress bar."""
        tasks = list(tasks)
        out: list[Any] = [None] * len(tasks)
        for i, result in self.imap(fn, tasks, desc, weights):
            out[i] = result
        return out

    def imap(self, fn: Callable[..., Any], tasks: Iterable[tuple], desc: str = "runs",
             weights: list[int] | None = None) -> Iterator[tuple[int, Any]]:
        """(task index, fn(*task)) as tasks finish, in any order: the caller stores each result where it
        belongs and lets it go, so memory does not grow with the number of tasks."""
        tasks = list(tasks)
        weights = weights or [1] * len(tasks)
        bar = _progress(sum(weights), self.progress, desc)
        try:
            if self._client is not None:
                from distributed import as_completed as dask_completed

                futures = [self._client.submit(fn, *t, pure=False) for t in tasks]
                index = {f.key: i for i, f in enumerate(futures)}
                for fut in dask_completed(futures, loop=self._client.loop):
                    i = index[fut.key]
                    result = fut.result()
                    fut.release()
                    bar.update(weights[i])
                    yield i, result
            elif self._local is not None:
                futures = {self._local.submit(fn, *t): i for i, t in enumerate(tasks)}
                for fut in as_completed(futures):
                    i = futures.pop(fut)
                    bar.update(weights[i])
                    yield i, fut.result()
            else:
                for i, t in enumerate(tasks):
                    result = fn(*t)
                    bar.update(weights[i])
                    yield i, result
        finally:
            bar.close()


ADDRESS = re.compile(r"^((tcp|tls|ws|wss|ucx)://)?[A-Za-z0-9_.\-\[\]:]+:\d{1,5}$")


def connect(address: str):
    """A dask.distributed client for a running scheduler, or a one-line InputError."""
    # A malformed address would leave a half-built Client whose finaliser prints a traceback at exit.
    if not ADDRESS.match(address):
        raise InputError("--scheduler", address, "not a scheduler address: give HOST:PORT or tcp://HOST:PORT")
    from distributed import Client

    try:
        return Client(address, timeout="10s", set_as_default=False)
    except (OSError, TimeoutError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError("--scheduler", address, f"cannot reach the dask scheduler: {reason}") from None


def chunks(n: int | list[int], workers: int, largest: int = 10) -> list[list[int]]:
    """Replication indices (0..n-1, or those listed) in chunks of a few: small enough to balance, large
    enough to keep traffic low."""
    items = list(range(n)) if isinstance(n, int) else list(n)
    size = max(1, min(largest, len(items) // (max(workers, 1) * 4) or 1))
    return [items[i:i + size] for i in range(0, len(items), size)]


class _Silent:
    def update(self, k: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, show: bool, desc: str):
    if not show:
        return _Silent()
    from tqdm import tqdm

    return tqdm(total=total, unit="run", desc=desc, leave=False, dynamic_ncols=True)
