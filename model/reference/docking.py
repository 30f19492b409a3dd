"""Docking: run the fast engine's core and the reference engine on the same inputs and compare them.

Replication r of both engines starts from the same initial firms (the reference copies them from
the fast engine), and then each engine draws its own random numbers. The comparison of an
indicator at a month has three parts:

- two-sample Kolmogorov-Smirnov test of the two engines' values over replications. The pairs share
  their initial firms, so the two samples are positively dependent: under equal dynamics their
  empirical distributions are closer than independent samples' would be, which makes the KS test
  conservative (it rejects less often than its level says), never too eager;
- a paired test on the differences reference_r - fast_r (Wilcoxon signed-rank). Given the initial
  firms, the two runs of a pair are independent draws of the same process when the engines agree,
  so each difference is symmetric about 0 and the test is exact. It removes the spread that comes
  from the initial firms (the heavy-tailed revenue of a 2000-firm district varies a lot between
  replications) and is where most of the power is;
- the means: |mean(reference) - mean(fast)| at most a stated share of the fast engine's mean.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial

import numpy as np
from scipy import stats

from ..execution.lifeline import spawn_context
from ..parameters import DEFAULTS, ParameterSource, resolve
from ..profiles import PROFILES
from ..scenario import Scenario, parse_scenario
from ..sim import EcosystemModel
from .engine import INDICATORS, ReferenceModel

CHECKPOINTS = (12, 24, 36)  # months from the start at which the indicators are compared
ALPHA = 0.01  # family-wise: Bonferroni over both tests at every indicator and checkpoint
# Largest relative difference of means accepted, per indicator: about four standard errors of the mean
# paired difference at the noisiest checkpoint, for 2000 firms and 80 replications (measured over 400:
# 0.23% for living firms, 1.1% high-tech, 0.7% entries, 1.0% exits, 1.4% revenue, 1.9% R&D expense,
# 0.6% IP share), so a correct engine stays inside; the paired test is the sharper check of a shift.
TOLERANCE = {"living_firms": 0.01, "high_tech": 0.05, "entries_cum": 0.03, "exits_cum": 0.04,
             "revenue": 0.06, "rd_expense": 0.08, "ip_share": 0.025}
SCALED = ("tech_firms", "new_market_entities", "high_tech", "specialized_sme", "listed")


def district(tech_firms: int | None, seed: int = 20240227, start: str = "2024-01", end: str = "2026-12",
             profile: str = "tongzhou-2023") -> Scenario:
    """A district like the profile's, scaled to `tech_firms` (None: the profile as it is), with no levers.

    The counts that grow with the district (tech firms, new market entities, high-tech, 专精特新 and
    listed firms) are fixed at the middle of the profile's ranges times the scale, so the entry rate
    and the certified share are those of the real district; every other baseline entry is drawn as usual.
    """
    doc = {"scenario": {"name": f"docking-{tech_firms or profile}", "title": f"{profile}, core docking",
                        "profile": profile, "start": start, "end": end, "seed": seed}}
    if tech_firms is not None:
        entries = PROFILES[profile].entries
        middle = {k: float(entries[k]["value"]) if "value" in entries[k] else sum(entries[k]["range"]) / 2.0
                  for k in SCALED}
        scale = tech_firms / middle["tech_firms"]
        doc["baseline"] = {k: round(v * scale) for k, v in middle.items()}
    return parse_scenario(doc, origin=f"<docking {tech_firms or profile}>")


def deliberate_changes() -> dict[str, dict[str, float]]:
    """Changes given to the reference alone, to measure how often docking detects them (its power)."""
    p = resolve()
    hazard = {"exit_hazard_old": p["exit_hazard_old"]}
    return {
        "exit hazard x1.02": {k: v * 1.02 for k, v in hazard.items()},
        "exit hazard x1.05": {k: v * 1.05 for k, v in hazard.items()},
        "exit hazard x1.2": {k: v * 1.2 for k, v in hazard.items()},
        "growth_drift +0.01": {"growth_drift": p["growth_drift"] + 0.01},
        "growth_drift +0.02": {"growth_drift": p["growth_drift"] + 0.02},
        "high_tech_apply_prob -0.1": {"high_tech_apply_prob": p["high_tech_apply_prob"] - 0.1},
        "recert_apply_prob -0.1": {"recert_apply_prob": p["recert_apply_prob"] - 0.1},
        "ip_rate_per_rd x1.1": {"ip_rate_per_rd": p["ip_rate_per_rd"] * 1.1},
    }


def fast_core_series(scenario: Scenario, replication: int, seed: int | None = None,
                     parameters: ParameterSource = DEFAULTS) -> dict[str, np.ndarray]:
    """The docking indicators of EcosystemModel(mechanisms="core"): the baseline, then the end of each month."""
    m = EcosystemModel(scenario, replication, seed, parameters=parameters, mechanisms="core")
    rows = [_fast_row(m)]
    for _ in range(m.months):
        m.step()
        rows.append(_fast_row(m))
    return {k: np.array([r[k] for r in rows], dtype=float) for k in INDICATORS}


def _fast_row(m: EcosystemModel) -> dict[str, float]:
    f = m.firms
    alive = f.alive
    n = int(alive.sum())
    s = m.snapshot
    return {"living_firms": s["living_firms"], "high_tech": s["high_tech"], "entries_cum": s["entries_cum"],
            "exits_cum": s["exits_cum"], "revenue": float(f.revenue[alive].sum()),
            "rd_expense": float((f.rd_ratio * f.revenue)[alive].sum()),
            "ip_share": float(f.ip[alive].sum()) / n if n else 0.0}


def reference_series(scenario: Scenario, replication: int, seed: int | None = None,
                     parameters: ParameterSource = DEFAULTS,
                     overrides: dict[str, float] | None = None) -> dict[str, np.ndarray]:
    """The same indicators from ReferenceModel."""
    return ReferenceModel(scenario, replication, seed, parameters, overrides).run().indicator_table()


def _pair(replication: int, scenario: Scenario, seed: int | None, overrides: dict[str, float] | None,
          engines: tuple[str, ...]) -> tuple[dict[str, dict[str, np.ndarray]], dict[str, float]]:
    series, seconds = {}, {}
    for engine in engines:
        t0 = time.perf_counter()
        if engine == "fast":
            series[engine] = fast_core_series(scenario, replication, seed)
        else:
            series[engine] = reference_series(scenario, replication, seed, overrides=overrides)
        seconds[engine] = time.perf_counter() - t0
    return series, seconds


@dataclass(frozen=True)
class Docking:
    """Both engines' indicators over replications, and the time each engine took."""

    series: dict[str, dict[str, np.ndarray]]  # engine -> indicator -> replications x (months + 1)
    seconds: dict[str, float]  # engine -> seconds summed over replications, building the model included

    def firm_months(self, engine: str) -> int:
        """Firm-steps done: the firms alive at the start of each month, summed over months and replications."""
        return int(self.series[engine]["living_firms"][:, :-1].sum())


def run_docking(scenario: Scenario, replications: Sequence[int], seed: int | None = None,
                overrides: dict[str, float] | None = None, workers: int | None = None,
                engines: tuple[str, ...] = ("fast", "reference")) -> Docking:
    """Run the engines over the replications, with default parameters.

    `overrides` go to the reference only. Replications run in `workers` processes (default: the
    cores); each is a pure function of (scenario, seed, replication), so the result does not depend
    on `workers`.
    """
    workers = workers or os.cpu_count() or 1
    job = partial(_pair, scenario=scenario, seed=seed, overrides=overrides, engines=engines)
    if workers == 1:
        results = [job(r) for r in replications]
    else:
        # spawn, as model/execution/parallel.py: forking a process that has started threads can deadlock
        with ProcessPoolExecutor(workers, mp_context=spawn_context()) as pool:
            results = list(pool.map(job, replications))
    return Docking({e: {k: np.stack([res[0][e][k] for res in results]) for k in INDICATORS} for e in engines},
                   {e: sum(res[1][e] for res in results) for e in engines})


@dataclass(frozen=True)
class Comparison:
    indicator: str
    month: int
    fast_mean: float
    reference_mean: float
    ks_statistic: float
    ks_p: float
    paired_p: float  # Wilcoxon signed-rank on reference - fast, pair by pair

    @property
    def difference(self) -> float:
        return self.reference_mean - self.fast_mean

    @property
    def relative_difference(self) -> float:
        if self.fast_mean == 0:
            return 0.0 if self.difference == 0 else float("inf")
        return self.difference / abs(self.fast_mean)


def compare(fast: dict[str, np.ndarray], reference: dict[str, np.ndarray], months: Sequence[int],
            indicators: Sequence[str] = INDICATORS) -> list[Comparison]:
    """One Comparison per indicator and month (months count from the baseline row 0)."""
    out = []
    for k in indicators:
        for t in months:
            a, b = fast[k][:, t], reference[k][:, t]
            ks = stats.ks_2samp(a, b)
            d = b - a
            # all-zero differences (a count no run has moved yet) say the engines agree
            paired = 1.0 if not d.any() else float(stats.wilcoxon(d, zero_method="zsplit").pvalue)
            out.append(Comparison(k, t, float(a.mean()), float(b.mean()), float(ks.statistic), float(ks.pvalue),
                                  paired))
    return out


def failures(rows: Sequence[Comparison], alpha: float, tolerance: dict[str, float]) -> list[str]:
    """What fails, one line each: a KS or paired test with p below alpha / (2 x len(rows)) (Bonferroni
    over both tests at every indicator and month, so the family-wise false alarm rate is at most
    alpha), or a mean outside its relative tolerance."""
    level = alpha / (2 * len(rows))
    out = []
    for r in rows:
        where = f"{r.indicator} at month {r.month}"
        if r.ks_p < level:
            out.append(f"{where}: KS D = {r.ks_statistic:.3f}, p = {r.ks_p:.2e} < {level:.2e}")
        if r.paired_p < level:
            out.append(f"{where}: paired signed-rank p = {r.paired_p:.2e} < {level:.2e} "
                       f"(mean difference {r.difference:+.4g}, {100 * r.relative_difference:+.2f}%)")
        if abs(r.relative_difference) > tolerance[r.indicator]:
            out.append(f"{where}: means {r.fast_mean:.5g} (fast) vs {r.reference_mean:.5g} (reference), "
                       f"{100 * r.relative_difference:+.2f}% beyond +-{100 * tolerance[r.indicator]:.1f}%")
    return out


def table(rows: Sequence[Comparison]) -> str:
    """A plain-text table: means of both engines, difference, KS statistic and p-value, paired p-value."""
    head = (f"{'indicator':<13} {'month':>5} {'fast mean':>13} {'ref mean':>13} {'diff':>11} {'diff %':>7} "
            f"{'KS D':>6} {'KS p':>7} {'paired p':>8}")
    lines = [head, "-" * len(head)]
    for r in rows:
        lines.append(f"{r.indicator:<13} {r.month:>5} {r.fast_mean:>13.6g} {r.reference_mean:>13.6g} "
                     f"{r.difference:>+11.4g} {100 * r.relative_difference:>+7.2f} {r.ks_statistic:>6.3f} "
                     f"{r.ks_p:>7.3f} {r.paired_p:>8.3f}")
    return "\n".join(lines)


__all__ = ["ALPHA", "CHECKPOINTS", "TOLERANCE", "Comparison", "Docking", "compare", "deliberate_changes", "district",
           "failures", "fast_core_series", "reference_series", "run_docking", "table"]
