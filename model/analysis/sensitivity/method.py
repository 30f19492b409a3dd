"""Which levers move which targets: Morris screening and Sobol indices (SALib), the method.

See the package docstring (model/analysis/sensitivity/__init__.py) for the design, defaults and costs.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np

from ... import levers as lv
from ...execution.context import RunContext
from ...execution.outcomes import Outcomes, evaluate
from ...execution.parallel import Pool
from ...parameters import ParameterSource
from ...scenario import Scenario, Target

TRAJECTORIES = 10      # Morris r
NUM_LEVELS = 4         # Morris grid levels
SAMPLES = 64           # Sobol base sample N (a power of two)
REPLICATIONS = 4       # runs per sample point, averaged
MATTER_SHARE = 0.10    # a lever matters for a target when its mu* >= this share of the largest
MAX_SOBOL_LEVERS = 8   # levers taken from the screen into Sobol, to keep its cost in minutes
CONF_LEVEL = 0.95
DELTA = NUM_LEVELS / (2 * (NUM_LEVELS - 1))  # Morris step in the unit cube

INDEX_KEYS = {"morris": ("mu_star", "mu_star_conf", "mu", "sigma"), "sobol": ("S1", "S1_conf", "ST", "ST_conf")}


def analyse(scenario: Scenario, space: lv.LeverSpace, targets: list[Target], context: RunContext,
            method: str = "morris", *, trajectories: int = TRAJECTORIES, samples: int = SAMPLES,
            replications: int = REPLICATIONS, max_levers: int = MAX_SOBOL_LEVERS, screen: bool = True,
            per_run: float | None = None, origin: str = "<scenario>") -> tuple[Analysis, Analysis | None]:
    """The analysis asked for, and the Morris screen that chose Sobol's levers (None if there was none).

    method "sobol" with `screen` (the CLI: no --levers) first screens the space's levers with Morris and keeps
    at most `max_levers` of those that matter. `per_run` (seconds of one run, for the printed estimates) is timed
    here when not given; `origin` names the scenario in errors.
    """
    pool, reps, r = context.pool, replications, trajectories
    if per_run is None:
        per_run = seconds_per_run(scenario, context.seed, context.parameters)
    if method == "morris":
        announce(f"Morris screening of {space.dim} levers: {r} trajectories x {space.dim + 1} points x {reps} "
                  "replications", r * (space.dim + 1) * reps, pool, per_run)
        return run_morris(scenario, space, targets, r, reps, context), None
    first = None
    if screen:
        announce(f"no --levers: screening all {space.dim} levers with Morris first ({r} trajectories x "
                  f"{space.dim + 1} points x {reps} replications)", r * (space.dim + 1) * reps, pool, per_run)
        first = run_morris(scenario, space, targets, r, reps, context)
        chosen, left = choose_for_sobol(first, max_levers)
        print(f"Sobol on {', '.join(chosen)}" + (f"; left out (smaller summed share): {', '.join(left)}"
                                                 if left else ""), flush=True)
        space = lv.LeverSpace.from_scenario(scenario, chosen, origin=origin)
    announce(f"Sobol indices of {space.dim} levers: N={samples} x {space.dim + 2} points x {reps} replications",
              samples * (space.dim + 2) * reps, pool, per_run)
    return run_sobol(scenario, space, targets, samples, reps, context), first


def seconds_per_run(scenario: Scenario, seed: int, parameters: ParameterSource) -> float:
    """One replication timed here, for the estimate printed before a long run."""
    from ...execution.ensemble import run_replication

    run_replication(scenario, 0, seed, parameters=parameters)  # the first run also pays for loading the profile
    t0 = time.perf_counter()
    run_replication(scenario, 1, seed, parameters=parameters)
    return time.perf_counter() - t0


def announce(what: str, runs: int, pool: Pool, per_run: float) -> None:
    minutes = runs * per_run / max(pool.workers, 1) / 60
    print(f"{what} = {runs} runs; about {minutes:.1f} min on {pool.where}", flush=True)


@dataclass
class TargetIndices:
    """One target's indices, one value per lever in the space's order."""

    target: Target
    index: dict[str, np.ndarray]
    mean: float            # mean of the point means
    spread: float          # standard deviation of the point means
    noise_share: float     # share of the variance of the point means that is replication noise (nan: unknown)
    noise: np.ndarray      # per lever: Morris mu* it would show with no effect; Sobol: the noise part of its ST
    constant: bool

    def key(self, method: str) -> np.ndarray:
        """What levers are ranked by: mu*, or the total index without its noise part."""
        v = self.index["mu_star"] if method == "morris" else self.index["ST"] - self.noise
        return np.nan_to_num(v)

    def order(self, method: str) -> np.ndarray:
        return np.argsort(-self.key(method), kind="stable")


@dataclass
class Analysis:
    method: str
    space: lv.LeverSpace
    X: np.ndarray           # sample points, lever values
    outcomes: Outcomes      # values[point, replication, target]
    size: int               # Morris trajectories or Sobol N
    seed: int
    results: list[TargetIndices]
    seconds: float

    @property
    def replications(self) -> int:
        return self.outcomes.values.shape[1]

    @property
    def runs(self) -> int:
        return self.outcomes.values.shape[0] * self.replications


def run_morris(scenario: Scenario, space: lv.LeverSpace, targets: list[Target], trajectories: int,
               replications: int, context: RunContext) -> Analysis:
    from SALib.sample import morris as morris_sample

    problem, seed = space.salib_problem(), context.seed
    X = morris_sample.sample(problem, N=trajectories, num_levels=NUM_LEVELS, seed=seed)
    t0 = time.perf_counter()
    out = evaluate([space.apply(scenario, x) for x in X], targets, replications, seed, context.pool,
                   context.parameters)
    results = [morris_indices(problem, X, out.values[:, :, j], t, seed) for j, t in enumerate(targets)]
    return Analysis("morris", space, X, out, trajectories, seed, results, time.perf_counter() - t0)


def run_sobol(scenario: Scenario, space: lv.LeverSpace, targets: list[Target], samples: int,
              replications: int, context: RunContext) -> Analysis:
    from SALib.sample import sobol as sobol_sample

    problem, seed = space.salib_problem(), context.seed
    X = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    t0 = time.perf_counter()
    out = evaluate([space.apply(scenario, x) for x in X], targets, replications, seed, context.pool,
                   context.parameters)
    results = [sobol_indices(problem, out.values[:, :, j], t, seed) for j, t in enumerate(targets)]
    return Analysis("sobol", space, X, out, samples, seed, results, time.perf_counter() - t0)


def replication_noise(y: np.ndarray) -> tuple[float, float]:
    """(variance of the point means, the part of it that is replication noise) for y[point, replication].

    Common random numbers make a replication's luck shared by all points; only the
    point-by-replication interaction (the residual of a two-way layout) differs between points,
    so that is the noise left in a point mean: its variance / replications.
    """
    p, r = y.shape
    means = y.mean(axis=1)
    between = float(means.var(ddof=1)) if p > 1 else 0.0
    if r < 2 or p < 2:
        return between, math.nan
    resid = y - means[:, None] - y.mean(axis=0)[None, :] + y.mean()
    return between, float((resid ** 2).sum() / ((p - 1) * (r - 1)) / r)


def _summary(y: np.ndarray) -> tuple[float, float, float, bool]:
    means = y.mean(axis=1)
    between, noise = replication_noise(y)
    constant = bool(np.ptp(means) <= 1e-12 * max(1.0, abs(float(means.mean()))))
    share = math.nan if math.isnan(noise) else (0.0 if constant else min(1.0, noise / between))
    return float(means.mean()), math.sqrt(between), share, constant


def _pair_noise(y: np.ndarray, first: np.ndarray, second: np.ndarray) -> np.ndarray:
    """Variance of the mean over replications of y[second] - y[first], pair by pair.

    How much a lever's change unsettles the shared random draws differs from lever to lever
    (a lever that adds firms changes who competes for funds and places; a grant rate hardly anything),
    so the noise of an
    effect is measured on the pairs of lever mixes that estimate it.
    """
    d = y[second] - y[first]
    return d.var(axis=1, ddof=1) / y.shape[1]


def morris_indices(problem: dict, X: np.ndarray, y: np.ndarray, target: Target, seed: int) -> TargetIndices:
    """mu*, its bootstrap interval, mu and sigma of every lever for y[point, replication]."""
    from SALib.analyze import morris

    mean, spread, share, constant = _summary(y)
    k = problem["num_vars"]
    if constant:
        index = {key: np.zeros(k) for key in INDEX_KEYS["morris"]}
    else:
        si = morris.analyze(problem, X, y.mean(axis=1), conf_level=CONF_LEVEL, num_levels=NUM_LEVELS, seed=seed)
        index = {key: np.asarray(si[key], dtype=float) for key in INDEX_KEYS["morris"]}
    return TargetIndices(target, index, mean, spread, share, _morris_noise(problem, X, y), constant)


def _morris_noise(problem: dict, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Per lever, the mu* that a lever with no effect would stay below about 97.5% of the time.

    With no effect each elementary effect is N(0, s^2) noise over the step, s from the spread of the
    lever's own steps over replications; mu* is the mean of n such |values|: mean 0.80 s, sd 0.60 s / sqrt(n).
    """
    k = problem["num_vars"]
    if y.shape[1] < 2:
        return np.zeros(k)
    width = np.array([hi - lo for lo, hi in problem["bounds"]], dtype=float)
    steps = np.array([i for i in range(len(X) - 1) if (i + 1) % (k + 1)])  # consecutive points of a trajectory
    lever = np.argmax(np.abs(X[steps + 1] - X[steps]) / width, axis=1)
    sd = np.sqrt(_pair_noise(y, steps, steps + 1))
    out = np.zeros(k)
    for i in range(k):
        mine = sd[lever == i] / DELTA
        if mine.size:
            out[i] = mine.mean() * (math.sqrt(2 / math.pi) + 2 * math.sqrt(1 - 2 / math.pi) / math.sqrt(mine.size))
    return out


def sobol_indices(problem: dict, y: np.ndarray, target: Target, seed: int) -> TargetIndices:
    """S1 and ST of every lever with bootstrap intervals for y[point, replication] on a Saltelli sample."""
    from SALib.analyze import sobol

    mean, spread, share, constant = _summary(y)
    k = problem["num_vars"]
    if constant:
        index = {key: np.zeros(k) for key in INDEX_KEYS["sobol"]}
        noise = np.zeros(k)
    else:
        si = sobol.analyze(problem, y.mean(axis=1), calc_second_order=False, conf_level=CONF_LEVEL, seed=seed)
        index = {key: np.asarray(si[key], dtype=float) for key in INDEX_KEYS["sobol"]}
        noise = _sobol_noise(y, k)
    return TargetIndices(target, index, mean, spread, share, noise, constant)


def _sobol_noise(y: np.ndarray, k: int) -> np.ndarray:
    """Per lever, the part of its total index (Jansen: mean (f(A) - f(AB_i))^2 / 2V) that is replication noise."""
    if y.shape[1] < 2:
        return np.zeros(k)
    step = k + 2  # Saltelli blocks without second order: A, AB_1 .. AB_k, B
    a = np.arange(0, len(y), step)
    means = y.mean(axis=1)
    v = np.var(np.r_[means[a], means[a + step - 1]])
    return np.array([0.5 * _pair_noise(y, a, a + 1 + i).mean() / v for i in range(k)]) if v > 0 else np.zeros(k)


def matters(r: TargetIndices, method: str) -> np.ndarray:
    """Mask of the levers that matter for this target (see the module docstring)."""
    if r.constant:
        return np.zeros(len(r.noise), dtype=bool)
    if method == "morris":  # a screen should rather keep a lever too many than drop one that acts
        v = r.key(method)
        return (v >= MATTER_SHARE * v.max()) & (v > r.noise) & (v > 0)
    st, conf = np.nan_to_num(r.index["ST"]), np.nan_to_num(r.index["ST_conf"])
    return (st - r.noise >= MATTER_SHARE) & (st - conf > r.noise)


def shares(r: TargetIndices) -> np.ndarray:
    """Morris mu* as a share of the largest for the target (0 when nothing moves it)."""
    v = np.nan_to_num(r.index["mu_star"])
    return v / v.max() if v.max() > 0 else np.zeros_like(v)


def choose_for_sobol(screen: Analysis, cap: int) -> tuple[list[str], list[str]]:
    """The levers that matter, ranked by their mu* share summed over the targets several levers move.

    A target that one lever alone moves needs no variance apportioning (the screen already says
    "only X"), so it does not pull its lever into Sobol; a lever that acts on several contested
    targets comes first.
    """
    score = np.zeros(screen.space.dim)
    for r in screen.results:
        m = matters(r, "morris")
        if m.sum() >= 2:
            score += np.where(m, shares(r), 0.0)
    picked = [i for i in np.argsort(-score, kind="stable") if score[i] > 0]
    if not picked:  # no contested target: Sobol on the largest mu* rather than on nothing
        top = np.max([shares(r) for r in screen.results], axis=0)
        return [screen.space.names[i] for i in np.argsort(-top, kind="stable")[:cap]], []
    names = [screen.space.names[i] for i in picked]
    return names[:cap], names[cap:]
