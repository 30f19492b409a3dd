"""What every analysis needs besides its own settings: where the runs go, which parameters, which seed."""

from __future__ import annotations

from dataclasses import dataclass

from ..parameters import ParameterSource
from .parallel import Pool


@dataclass(frozen=True)
class RunContext:
    """The pool that runs the replications, the behavioural parameters and the seed of an analysis.

    In a notebook:

        with Pool(2) as pool:
            context = RunContext(pool, parameter_source("posterior"), seed=20240101)
            main, screen = sensitivity.analyse(plan, space, plan.targets, context, method="morris")
    """

    pool: Pool
    parameters: ParameterSource
    seed: int

    @property
    def workers(self) -> int:
        return self.pool.workers
