"""Parameter recovery: does the calibration find parameters we know?

Synthetic "documented figures" are simulated from the model at known parameter values and
turned into intervals as wide as the simulation noise; ABC-SMC is run on them exactly as on
the real figures; the known values must fall inside the 90% posterior intervals, and the
posterior must be narrower than the prior (otherwise the check would pass trivially).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .calibration import (
    PRIORS,
    SCENARIO_FILE,
    TARGETS,
    Posterior,
    Settings,
    Target,
    abc_smc,
    posterior_table,
    run_statistics,
    simulate,
)
from .scenario import Scenario, load_scenario

# A small E-Town (a fifth of the firms, three years) keeps the suite's version fast.
SMALL_BASELINE = {"tech_firms": 2500.0, "high_tech": 110.0, "specialized_sme": 8.0, "listed": 8.0,
                  "incubators_ordinary": 4.0, "incubators_municipal": 1.0, "national_platforms": 3.0,
                  "municipal_platforms": 10.0, "new_market_entities": 1600.0}


@dataclass
class Recovery:
    truth: dict[str, float]
    intervals: dict[str, tuple[float, float]]
    sd_ratio: dict[str, float]

    @property
    def inside(self) -> dict[str, bool]:
        return {k: lo <= self.truth[k] <= hi for k, (lo, hi) in self.intervals.items()}

    def ok(self, max_sd_ratio: float) -> bool:
        return all(self.inside.values()) and all(r < max_sd_ratio for r in self.sd_ratio.values())

    def table(self) -> str:
        rows = ["parameter                  truth     90% interval            sd/prior sd  inside"]
        for k, (lo, hi) in self.intervals.items():
            rows.append(f"{k:26s} {self.truth[k]:8.4g}  [{lo:8.4g}, {hi:8.4g}]  {self.sd_ratio[k]:11.2f}  "
                        f"{'yes' if self.inside[k] else 'NO'}")
        return "\n".join(rows)


def small_scenario() -> Scenario:
    sc = load_scenario(SCENARIO_FILE)
    meta = sc.scenario.model_copy(update={"end": "2018-12"})
    levers = sc.levers.model_copy(update={"attracted_firms_per_year": 16.0})
    return sc.model_copy(update={"scenario": meta, "levers": levers, "baseline": SMALL_BASELINE, "targets": []})


def synthetic_targets(scenario: Scenario, truth: dict[str, float], names: list[str], runs: int,
                      replications: int, seed: int = 99) -> list[Target]:
    """Intervals around the truth's mean statistic, +-1.5 sd of a particle's (replication-averaged) noise."""
    stats = [simulate(scenario, truth, 1, seed=seed + i) for i in range(runs)]
    targets = []
    for n in names:
        v = np.array([s[n] for s in stats])
        half = 1.5 * max(v.std(ddof=1), 1e-9) / np.sqrt(replications)
        targets.append(Target(n, float(v.mean() - half), float(v.mean() + half), (), "synthetic"))
    return targets


def recover(scenario: Scenario, truth: dict[str, float], priors: dict[str, tuple[float, float]],
            stat_names: list[str], settings: Settings, runs: int = 12) -> Recovery:
    targets = synthetic_targets(scenario, truth, stat_names, runs, settings.replications)
    settings.priors = dict(priors)
    with tempfile.TemporaryDirectory() as tmp:
        history = abc_smc(scenario, targets, settings, Path(tmp) / "recovery.db", statistic=run_statistics,
                          progress=False)
        samples, weights = posterior_table(history)
    post = Posterior(samples, weights, {})
    intervals = {k: post.interval(k, 0.9) for k in priors}
    sd_ratio = {}
    for k, (lo, hi) in priors.items():
        x = samples[k]
        m = float(np.sum(weights * x))
        sd_ratio[k] = float(np.sqrt(np.sum(weights * (x - m) ** 2))) / ((hi - lo) / np.sqrt(12.0))
    return Recovery({k: truth[k] for k in priors}, intervals, sd_ratio)


def quick_recovery(workers: int = 1) -> Recovery:
    """The suite's version: two parameters, each with a statistic that speaks to it."""
    priors = {"high_tech_apply_prob": PRIORS["high_tech_apply_prob"],
              "exit_hazard_young": PRIORS["exit_hazard_young"]}
    truth = {"high_tech_apply_prob": 0.45, "exit_hazard_young": 0.12}
    settings = Settings(population=30, replications=3, simulations=450, max_generations=6, workers=workers)
    return recover(small_scenario(), truth, priors, ["bda_high_tech_2020", "startup_survival_5y"], settings)


def full_recovery(workers: int = 2) -> bool:
    """All free parameters on the full E-Town scenario; prints the table (innosim calibrate --recovery)."""
    truth = {"high_tech_apply_prob": 0.55, "high_tech_approval_prob": 0.75, "rd_active_share": 0.3,
             "rd_active_median": 0.07, "ip_rate_per_rd": 3.0, "exit_hazard_young": 0.15}
    settings = Settings(population=100, replications=2, simulations=2000, workers=workers)
    scenario = load_scenario(SCENARIO_FILE)
    result = recover(scenario, truth, dict(PRIORS), [t.name for t in TARGETS if t.fit], settings, runs=16)
    print(result.table())
    unpinned = [k for k, r in result.sd_ratio.items() if r >= 0.7]
    print("not pinned down by the fitted statistics:", ", ".join(unpinned) or "none")
    ok = all(result.inside.values())
    print("recovery:", "every known value inside its 90% interval" if ok else "FAILED")
    return ok
