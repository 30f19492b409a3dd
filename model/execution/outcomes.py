"""Target outcomes of many lever mixes: the unit of work of compare, sensitivity, optimize and discover.

Each point (a scenario with its levers set) runs the same replication indices with the same
seed, so every point sees the same random draws (common random numbers) and differences
between points are due to the levers, not to luck. Only the value of each target's indicator
in December of its year is kept: a few numbers per run, whatever the number of points.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..indicators import INDICATORS
from ..parameters import DEFAULTS, ParameterSource
from ..scenario import Scenario, Target, target_row
from ..targets import meets
from .ensemble import run_replication
from .parallel import Pool

NAMES = tuple(INDICATORS)


@dataclass
class Outcomes:
    """values[point, replication, target]: each target's indicator in December of its year."""

    targets: list[Target]
    values: np.ndarray

    @property
    def met(self) -> np.ndarray:
        return np.stack([meets(self.values[:, :, j], t) for j, t in enumerate(self.targets)], axis=-1)

    @property
    def p_meet(self) -> np.ndarray:
        """P(meet)[point, target]."""
        return self.met.mean(axis=1)

    @property
    def median(self) -> np.ndarray:
        return np.median(self.values, axis=1)

    @property
    def mean(self) -> np.ndarray:
        return self.values.mean(axis=1)

    def target_index(self, target_id: str) -> int:
        return [t.id for t in self.targets].index(target_id)


def target_rows(scenario: Scenario, targets: list[Target]) -> tuple[np.ndarray, np.ndarray]:
    """Row (month, 0 = baseline) and indicator column of every target."""
    rows = np.array([target_row(scenario, t) for t in targets], dtype=int)
    cols = np.array([NAMES.index(t.indicator) for t in targets], dtype=int)
    return rows, cols


def _run_points(points: list[Scenario], reps: list[list[int]], seed: int, parameters: ParameterSource,
                rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """values[point, k, target]: point i run on its replication indices reps[i]."""
    out = np.empty((len(points), len(reps[0]), len(rows)))
    for i, (sc, mine) in enumerate(zip(points, reps, strict=True)):
        for k, r in enumerate(mine):
            out[i, k] = run_replication(sc, r, seed, parameters=parameters)[rows, cols]
    return out


def blocks(points: int, reps: int, workers: int) -> list[tuple[int, int, int, int]]:
    """(point start, stop, replication start, stop) of each task: about 4 tasks a worker, few points or many."""
    want = 1 if workers <= 1 else 4 * workers
    per = max(1, min(8, points // want)) if points >= want else 1
    groups = [(a, min(a + per, points)) for a in range(0, points, per)]
    chunks = 1 if len(groups) >= want else min(math.ceil(want / len(groups)), max(1, reps // 4))
    size = math.ceil(reps / chunks)
    return [(a, b, c, min(c + size, reps)) for a, b in groups for c in range(0, reps, size)]


def evaluate(points: list[Scenario], targets: list[Target], replications: int, seed: int, pool: Pool,
             parameters: ParameterSource = DEFAULTS, first_replication: int = 0, independent: bool = False,
             desc: str = "runs") -> Outcomes:
    """Run `replications` replications of every point.

    By default every point runs replications first_replication ... + replications - 1: common random
    numbers, so differences between points are the levers' doing. With `independent`, point i runs
    first_replication + i * replications ...: no two points share draws (what a sample of lever mixes
    wants, to average over many worlds rather than a few). `targets` are the yardstick (usually the
    base scenario's) and are read on every point.
    """
    rows, cols = target_rows(points[0], targets)
    n = replications

    def reps(i: int, c: int, d: int) -> list[int]:
        first = first_replication + (i * n if independent else 0)
        return list(range(first + c, first + d))

    parts = blocks(len(points), n, pool.workers if not pool.scheduler else max(pool.workers, 8))
    tasks = [(points[a:b], [reps(i, c, d) for i in range(a, b)], seed, parameters, rows, cols)
             for a, b, c, d in parts]
    results = pool.map(_run_points, tasks, desc=desc, weights=[(b - a) * (d - c) for a, b, c, d in parts])
    out = np.empty((len(points), n, len(targets)))
    for (a, b, c, d), part in zip(parts, results, strict=True):
        out[a:b, c:d] = part
    return Outcomes(list(targets), out)
