"""Monte Carlo ensembles: many replications of one scenario, in parallel on local cores.

Replication i draws everything from streams fixed by (seed, i) alone (sim.replication_streams),
and results are stored by replication index, so the numbers do not depend on the number of
workers or on the order in which replications finish.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context

import numpy as np

from .indicators import INDICATORS
from .parameters import DEFAULTS, ParameterSource
from .scenario import Scenario
from .sim import EcosystemModel

NAMES: tuple[str, ...] = tuple(INDICATORS)


@dataclass
class Ensemble:
    """Indicator values with shape (replications, months + 1, indicators); row 0 is the baseline."""

    scenario: Scenario
    seed: int
    values: np.ndarray
    names: tuple[str, ...] = NAMES
    parameters: ParameterSource = DEFAULTS

    def series(self, name: str) -> np.ndarray:
        return self.values[:, :, self.names.index(name)]

    @property
    def replications(self) -> int:
        return self.values.shape[0]


def run_replication(scenario: Scenario, replication: int, seed: int, debug: bool = False,
                    parameters: ParameterSource = DEFAULTS) -> np.ndarray:
    model = EcosystemModel(scenario, replication=replication, seed=seed, debug=debug, parameters=parameters).run()
    table = model.indicator_table()
    return np.stack([table[name] for name in NAMES], axis=1)


def _run_chunk(scenario: Scenario, reps: list[int], seed: int, debug: bool,
               parameters: ParameterSource) -> list[tuple[int, np.ndarray]]:
    return [(r, run_replication(scenario, r, seed, debug, parameters)) for r in reps]


def default_workers() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


def run_ensemble(scenario: Scenario, replications: int | None = None, seed: int | None = None,
                 workers: int | None = None, progress: bool = False, debug: bool = False,
                 parameters: ParameterSource = DEFAULTS) -> Ensemble:
    n = scenario.scenario.replications if replications is None else replications
    seed = scenario.scenario.seed if seed is None else seed
    workers = default_workers() if workers is None else workers
    values = np.empty((n, scenario.months + 1, len(NAMES)))
    bar = _progress(n, progress)
    if workers <= 1 or n == 1:
        for r in range(n):
            values[r] = run_replication(scenario, r, seed, debug, parameters)
            bar.update(1)
    else:
        # Chunks of a few replications keep inter-process traffic small; results land by index.
        size = max(1, min(10, n // (workers * 4) or 1))
        chunks = [list(range(i, min(i + size, n))) for i in range(0, n, size)]
        with ProcessPoolExecutor(max_workers=workers, mp_context=get_context("spawn")) as pool:
            futures = [pool.submit(_run_chunk, scenario, c, seed, debug, parameters) for c in chunks]
            for fut in as_completed(futures):
                for r, v in fut.result():
                    values[r] = v
                    bar.update(1)
    bar.close()
    return Ensemble(scenario, seed, values, parameters=parameters)


class _Silent:
    def update(self, k: int) -> None:
        pass

    def close(self) -> None:
        pass


def _progress(total: int, show: bool):
    if not show:
        return _Silent()
    from tqdm import tqdm

    return tqdm(total=total, unit="rep", desc="replications", leave=False, dynamic_ncols=True)
