"""Ensembles for the app: run off the page's thread, report progress, stop on request, leave nothing behind.

`run_ensemble` is given an `AppPool`, a Pool whose `imap` reports each finished chunk and checks a stop flag
four times a second; on a stop (the page's cancel button, a new run, the server stopping) it terminates the
worker processes at once and raises `Cancelled`. Replication i draws from (seed, i) alone, so the numbers
are those of `innosim run` with the same scenario, replications, seed and parameters.
"""

from __future__ import annotations

import signal
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from . import adapter as ad

# A fresh set of worker processes every this many replications per worker, as run_ensemble does on its own:
# a long-lived worker's heap fragments and its memory creeps up.
REPLICATIONS_PER_WORKER = ad.REPLICATIONS_PER_WORKER
POLL_SECONDS = 0.25

_live: set[ProcessPoolExecutor] = set()
_live_lock = threading.Lock()
_stopping = threading.Event()  # the server is stopping: every run ends


class Cancelled(Exception):
    """The run was stopped before it finished; nothing of it is kept."""


def _ignore_interrupts() -> None:
    """Workers leave Ctrl-C to the server process, which stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _terminate(executor: ProcessPoolExecutor) -> None:
    processes = list((getattr(executor, "_processes", None) or {}).values())
    ad.stop_workers(executor)
    for process in processes:  # reaped here: no process of a cancelled run outlives it
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)


def stop_all() -> None:
    """Stop every run of this server and terminate its worker processes (the server is stopping)."""
    _stopping.set()
    with _live_lock:
        executors = list(_live)
    for ex in executors:
        _terminate(ex)


def live_processes() -> list[int]:
    """Process ids of the workers running now (for the tests)."""
    with _live_lock:
        return [p.pid for ex in _live for p in (getattr(ex, "_processes", None) or {}).values()]


class AppPool(ad.Pool):
    """Local worker processes that report progress and stop on request.

    One pool serves a whole run of the app (the ensemble, then the plan's): its processes start once and are
    replaced every REPLICATIONS_PER_WORKER replications per worker. `close()` ends them; a stop terminates them.
    """

    def __init__(self, workers: int, should_stop: Callable[[], bool]) -> None:
        super().__init__(workers, None, False)
        self._should_stop = should_stop
        self.report: Callable[[int], None] = lambda k: None
        self._executor: ProcessPoolExecutor | None = None
        self._served = 0  # replications run by the current processes

    def stopped(self) -> bool:
        return _stopping.is_set() or self._should_stop()

    def close(self) -> None:
        executor, self._executor = self._executor, None
        if executor is not None:
            try:
                executor.shutdown(wait=True, cancel_futures=True)
            finally:
                with _live_lock:
                    _live.discard(executor)

    def _fresh(self) -> ProcessPoolExecutor:
        if self._executor is not None and self._served >= REPLICATIONS_PER_WORKER * self.workers:
            self.close()
        if self._executor is None:
            if self.stopped():
                raise Cancelled
            # spawn, as run_ensemble's pool: the workers end with the server however it ends (lifeline.py)
            self._executor = ProcessPoolExecutor(max_workers=self.workers, mp_context=ad.spawn_context(),
                                                 initializer=_ignore_interrupts)
            self._served = 0
            with _live_lock:
                _live.add(self._executor)
        return self._executor

    def imap(self, fn: Callable[..., Any], tasks, desc: str = "runs",
             weights: list[int] | None = None) -> Iterator[tuple[int, Any]]:
        tasks = list(tasks)
        weights = weights or [1] * len(tasks)
        if self.workers <= 1:
            for i, t in enumerate(tasks):
                if self.stopped():
                    raise Cancelled
                result = fn(*t)
                self.report(weights[i])
                yield i, result
            return
        block, start = REPLICATIONS_PER_WORKER * self.workers, 0
        while start < len(tasks):
            end, size = start, 0
            while end < len(tasks) and (size == 0 or size + weights[end] <= block):
                size += weights[end]
                end += 1
            yield from self._block(fn, tasks, weights, range(start, end), size)
            start = end

    def _block(self, fn, tasks, weights, indices, size: int) -> Iterator[tuple[int, Any]]:
        if self._executor is not None and self._served + size > REPLICATIONS_PER_WORKER * self.workers:
            self.close()
        executor = self._fresh()
        self._served += size
        try:
            futures = {executor.submit(fn, *tasks[i]): i for i in indices}
            pending = set(futures)
            while pending:
                done, pending = wait(pending, timeout=POLL_SECONDS, return_when=FIRST_COMPLETED)
                for fut in done:
                    i = futures[fut]
                    result = fut.result()
                    self.report(weights[i])
                    yield i, result
                if self.stopped():
                    raise Cancelled
        except BaseException:
            self._executor = None
            with _live_lock:
                _live.discard(executor)
            _terminate(executor)
            raise


@dataclass(frozen=True)
class Settings:
    """What a run is: the scenario with the page's levers, and how to run it."""

    scenario: ad.Scenario
    reference: ad.Scenario  # the scenario as written (the plan), for the paired comparison
    replications: int
    seed: int
    parameters: str  # posterior, posterior-mean or defaults
    workers: int

    @property
    def changed(self) -> bool:
        return self.scenario.digest() != self.reference.digest()


@dataclass
class Progress:
    """Where a run is, for the page's progress bar: phase "run", "plan" or "report", replications done of total."""

    phase: str = "run"
    done: int = 0
    total: int = 1
    started: float = field(default_factory=time.perf_counter)

    @property
    def percent(self) -> float:
        return 100.0 * self.done / max(self.total, 1)


_plan_cache: OrderedDict[tuple, ad.Ensemble] = OrderedDict()
_plan_lock = threading.Lock()
PLAN_CACHE_SIZE = 4


def _cache_key(scenario: ad.Scenario, settings: Settings, source: ad.ParameterSource) -> tuple:
    return (scenario.digest(), settings.replications, settings.seed, source.mode,
            (source.provenance or {}).get("sha256_16"))


def cached_plan(settings: Settings, source: ad.ParameterSource) -> ad.Ensemble | None:
    with _plan_lock:
        return _plan_cache.get(_cache_key(settings.reference, settings, source))


def remember_plan(settings: Settings, source: ad.ParameterSource, ens: ad.Ensemble) -> None:
    with _plan_lock:
        key = _cache_key(settings.reference, settings, source)
        _plan_cache[key] = ens
        _plan_cache.move_to_end(key)
        while len(_plan_cache) > PLAN_CACHE_SIZE:
            _plan_cache.popitem(last=False)


def ensemble(scenario: ad.Scenario, settings: Settings, source: ad.ParameterSource, progress: Progress,
             on_progress: Callable[[Progress], None], pool: AppPool) -> ad.Ensemble:
    """run_ensemble on an AppPool: the numbers of `innosim run` for the same scenario, seed and replications."""
    progress.done, progress.total = 0, settings.replications
    on_progress(progress)

    def step(k: int) -> None:
        progress.done += k
        on_progress(progress)

    pool.report = step
    return ad.run_ensemble(scenario, settings.replications, settings.seed, parameters=source, pool=pool)
