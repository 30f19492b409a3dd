"""One particle of the calibration: the historical places run with its parameters, their figures measured.

`simulate` runs every place to its end. `simulate_within` stops a particle as soon as the figures already measured
put it beyond a tolerance. A fit's distance only grows as a run goes on: each figure is final from its date (a
stock read in its month, a flow over a year that has ended), the start's shortfall is known once the spin-up ends,
and the growth-law excess is the largest excess of the years so far. So a particle stopped early would have been
rejected at the end too, and a fit's accept and reject decisions, its posterior with them, are those of full runs;
most of a fit's late proposals are rejected, and they now stop at the first figure that rules them out.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from typing import Protocol

import numpy as np

from .. import history, laws
from ..months import month_index
from ..parameters import ParameterSource
from ..scenario import Scenario
from ..sim import EcosystemModel

EFFECTS = ParameterSource("effects")  # defaults with the lever effects (and BACKGROUND_DRAWN) drawn from their evidence

Statistic = Callable[[str, EcosystemModel], dict[str, float]]


class Fitted(Protocol):
    """A fitted figure of the distance (calibration.Target)."""

    name: str
    low: float

    def miss(self, x: float) -> float: ...


def run_statistics(run: str, model: EcosystemModel) -> dict[str, float]:
    """The documented figures of one historical run measured on a finished model, and its start's shortfall."""
    table = history.Table(model.indicator_table(), model.start)
    out = history.measure(run, table)
    out.update(_constraints(run, model))
    return out


def _constraints(run: str, model: EcosystemModel) -> dict[str, float]:
    """The settled start (the share of the documented high-tech stock the spin-up lacked) and the growth laws."""
    shortfall = max(model.shortfall.get("high_tech", 0), 0) / max(model.baseline["high_tech"], 1)
    return {f"start_shortfall_{run}": shortfall, f"growth_excess_{run}": laws.growth_excess(model)}


def with_parameters(scenario: Scenario, params: dict[str, float]) -> Scenario:
    merged = dict(scenario.parameters)
    merged.update({k: float(v) for k, v in params.items()})
    return scenario.model_copy(update={"parameters": merged})


def particle_seed(params: dict[str, float]) -> int:
    """A seed fixed by the parameter values, so a particle's simulation can be repeated."""
    text = json.dumps({k: round(float(v), 12) for k, v in sorted(params.items())})
    return int(hashlib.sha256(text.encode()).hexdigest()[:15], 16)


def simulate(scenarios: dict[str, Scenario], params: dict[str, float], replications: int,
             statistic: Statistic = run_statistics, seed: int | None = None) -> dict[str, float]:
    """Mean statistics over `replications` runs of each historical scenario with these parameters.

    The levers' effects (and the background parameters of parameters.BACKGROUND_DRAWN) are drawn in each run from
    their evidence ranges, as in projections: the posterior is fitted over what the evidence leaves open about them,
    not conditional on their central values."""
    seed = particle_seed(params) if seed is None else seed
    out: dict[str, float] = {}
    for run, scenario in scenarios.items():
        runs = [statistic(run, _model(scenario, params, seed, r).run()) for r in range(replications)]
        out.update({k: float(np.mean([r[k] for r in runs])) for k in runs[0]})
    return out


def _model(scenario: Scenario, params: dict[str, float], seed: int, replication: int) -> EcosystemModel:
    return EcosystemModel(with_parameters(scenario, params), replication=replication, seed=seed, parameters=EFFECTS)


def distance_so_far(fitted: Sequence[Fitted], stats: dict[str, float]) -> float:
    """The distance over the fitted figures measured so far: a lower bound of the particle's distance, to the last
    bit, when the figures are the fit's (calibration.distance sums the same terms in the same order, each >= 0)."""
    return float(np.sqrt(sum(t.miss(stats[t.name]) ** 2 for t in fitted if t.name in stats)))


def stops_are_exact(fitted: Sequence[Fitted]) -> bool:
    """Whether stopping early decides as full runs: each miss must never fall as a run goes on. A figure is final
    from its date and the start's shortfall from the start; the growth-law excess only grows, so its interval must
    start at 0 or below (the fit's does; a recovery check's interval around a simulated excess need not)."""
    return all(t.low <= 0.0 for t in fitted if t.name.startswith("growth_excess_"))


def simulate_within(scenarios: dict[str, Scenario], params: dict[str, float], fitted: Sequence[Fitted],
                    tolerance: float) -> tuple[dict[str, float], bool]:
    """simulate(scenarios, params, 1) and True; or, as soon as the fitted figures measured so far are farther than
    `tolerance`, those statistics and False. The place with the most fitted figures runs first, and each run is
    checked at the start and whenever a fitted figure is dated or a year ends (the growth laws). Exact only where
    stops_are_exact(fitted)."""
    seed = particle_seed(params)
    names = {t.name for t in fitted}
    per_run: dict[str, dict[str, float]] = {}
    so_far: dict[str, float] = {}
    for run in sorted(scenarios, key=lambda r: -sum(f.run == r and f.id in names for f in history.FIGURES)):
        model = _model(scenarios[run], params, seed, 0)
        checks = _checkpoints(run, model, names)
        for step in range(model.months + 1):
            if step in checks:
                partial = {**so_far, **_final_after(run, model, step, names)}
                if distance_so_far(fitted, partial) > tolerance:
                    return partial, False
            if step < model.months:
                model.step()
        per_run[run] = run_statistics(run, model)
        so_far.update(per_run[run])
    out = {k: v for run in scenarios for k, v in per_run[run].items()}  # the order simulate gives
    return out, True


def _checkpoints(run: str, model: EcosystemModel, names: set[str]) -> set[int]:
    """Steps after which something fitted is final: the start, each fitted figure's date, each December."""
    start = model.start
    dated = {month_index(f.date, start) + 1 for f in history.FIGURES if f.run == run and f.id in names}
    decembers = {k for k in range(1, model.months + 1) if (month_index(start, "0000-01") + k - 1) % 12 == 11}
    return {0, *dated, *decembers}


def _final_after(run: str, model: EcosystemModel, step: int, names: set[str]) -> dict[str, float]:
    """The fitted statistics of a run final after `step` months: the figures dated up to its last month (one read
    at the run's end only at its end: a run fitted past its horizon ends after the figure's date), and the
    constraints (the growth-law excess so far, a lower bound of the whole run's)."""
    table = history.Table(model.indicator_table(), model.start)
    out = {f.id: f.measure(table) for f in history.FIGURES
           if f.run == run and f.id in names and month_index(f.date, model.start) + 1 <= step
           and (step == model.months or not getattr(f.measure, "at_end", False))}
    out.update(_constraints(run, model))
    return out
