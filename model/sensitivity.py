"""Which levers move which targets: Morris screening and Sobol indices (SALib) over the scenario's [ranges].

`innosim sensitivity SCENARIO --method morris|sobol|sweep [--levers a,b,...]` (sweep: response.py)

The output of a run is each target's indicator in December of its year (the value the plan is
judged on), averaged over the replications of a sample point. Every point runs the same
replications with the same seed (common random numbers), so differences between points come
from the levers, not from luck. Levers without a [ranges] entry stay at the scenario's value.

Morris (the default) ranks every lever: mu* is the mean absolute change of the indicator when
the lever moves, scaled to the lever's whole range (a linear reading: "moving this lever from
its low to its high end changes the indicator by about mu*"). A lever *matters* for a target when
its mu* is at least 10% of the largest mu* for that target and above the lever's noise threshold.
Sobol gives first-order (S1: the lever alone) and total (ST: with its interactions) shares of the
indicator's variance across the ranges, with bootstrap 95% intervals; a lever matters when its ST
without noise is at least 0.10 and the lower end of its ST interval is above its noise part.
Without `--levers` it first runs the Morris screen and then takes the levers that matter, at most
`--max-levers` (8), ranked by their mu* share summed over the targets that several levers move.

Default sample sizes and their cost in model runs (k = number of levers explored; one run is
one replication of 36 months after a 48-month spin-up, about 0.43 s of one core; 2 cores do about
4.5 runs a second; the command prints its own estimate, timed on the spot):

- Morris: 10 trajectories x (k + 1) points x 4 replications. The plan's 21 levers:
  10 x 22 x 4 = 880 runs, about 3 minutes on 2 cores.
- Sobol: N = 64 base samples x (k + 2) points x 4 replications. 8 levers: 64 x 10 x 4 = 2560
  runs, about 10 minutes on 2 cores; without --levers, plus the 880 runs of the Morris screen
  (3440 runs, about 13 minutes). At N = 64 the S1 intervals are about +-0.2: enough to separate
  the levers that carry a target from those that do not, not to rank close ones; --samples 256
  halves the intervals at four times the cost.

Replication noise: with few replications per point the point means still carry noise, the part
of a replication's luck that common random numbers do not cancel. Draws are keyed by firm and
month, so little is left, but how much depends on the lever: one that adds firms changes who
competes for funds and places, a grant rate hardly anything. So the noise of each
lever's effect is measured on the pairs of points that estimate it (the spread over replications
of their difference): Morris gives each lever a noise threshold (the mu* a lever with no effect
would stay below about 97.5% of the time), Sobol the part of its total index that is noise,
which is removed before ranking. Each target also gets an overall noise share (the
point-by-replication interaction over the variance of the means).
"""

from __future__ import annotations

import argparse
import json
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import levers as lv
from . import response
from .arguments import id_list, whole_number
from .errors import InputError
from .labels import t as tx
from .outcomes import Outcomes, evaluate
from .parallel import Pool
from .parameters import ParameterSource
from .scenario import Scenario, Target, load_scenario, select_targets

TRAJECTORIES = 10      # Morris r
NUM_LEVELS = 4         # Morris grid levels
SAMPLES = 64           # Sobol base sample N (a power of two)
REPLICATIONS = 4       # runs per sample point, averaged
MATTER_SHARE = 0.10    # a lever matters for a target when its mu* >= this share of the largest
MAX_SOBOL_LEVERS = 8   # levers taken from the screen into Sobol, to keep its cost in minutes
CONF_LEVEL = 0.95
DELTA = NUM_LEVELS / (2 * (NUM_LEVELS - 1))  # Morris step in the unit cube


INDEX_KEYS = {"morris": ("mu_star", "mu_star_conf", "mu", "sigma"), "sobol": ("S1", "S1_conf", "ST", "ST_conf")}


# ----------------------------------------------------------------------------- command line

def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = (
        "defaults and their cost in model runs (k = levers explored, ~4.5 runs/s on 2 cores):\n"
        f"  morris: {TRAJECTORIES} trajectories x (k+1) points x {REPLICATIONS} replications;"
        f" the plan's 21 levers: {TRAJECTORIES * 22 * REPLICATIONS} runs (~3 min)\n"
        f"  sobol:  N={SAMPLES} x (k+2) points x {REPLICATIONS} replications; {MAX_SOBOL_LEVERS} levers:"
        f" {SAMPLES * (MAX_SOBOL_LEVERS + 2) * REPLICATIONS} runs (~10 min),\n"
        "          plus the Morris screen when --levers is not given\n"
        f"  sweep:  each lever alone at {response.POINTS} points of its range (and the scenario's value) x "
        f"{response.REPLICATIONS} replications;\n"
        f"          the plan's 21 levers: about {(21 * (response.POINTS + 1) + 1) * response.REPLICATIONS} runs "
        "(~10 min): response curves and the effect per 1亿元 a year\n"
        "lever ranges come from the scenario's [ranges] table; levers without a range keep their value.")
    p.add_argument("scenario", help="scenario TOML file with a [ranges] table")
    p.add_argument("--method", choices=("morris", "sobol", "sweep"), default="morris",
                   help="morris: rank every lever (default); sobol: variance shares of the levers that matter; "
                        "sweep: each lever's response curve and its effect per 1亿元 a year")
    p.add_argument("--points", type=whole_number("points", 2), default=response.POINTS,
                   help=f"sweep: values of each lever across its range (default {response.POINTS})")
    p.add_argument("--levers", type=id_list, metavar="NAME,NAME",
                   help="levers to explore, e.g. municipal_platforms_per_year,budget.rd_growth_reward "
                        "(default: every lever with a range; sobol: those the Morris screen finds)")
    p.add_argument("--targets", type=id_list, metavar="ID,ID", help="target ids to analyse (default: all)")
    p.add_argument("--trajectories", type=whole_number("trajectories", 2), default=TRAJECTORIES,
                   help=f"Morris trajectories r (default {TRAJECTORIES}); runs = r x (k+1) x replications")
    p.add_argument("--samples", type=_power_of_two, default=SAMPLES,
                   help=f"Sobol base samples N, a power of two (default {SAMPLES}); runs = N x (k+2) x replications")
    p.add_argument("--replications", type=whole_number("replications", 1), default=None,
                   help=f"runs per sample point, averaged (default {REPLICATIONS}; >= 2 to estimate the noise; "
                        f"sweep: {response.REPLICATIONS})")
    p.add_argument("--max-levers", type=whole_number("max-levers", 1), default=MAX_SOBOL_LEVERS,
                   help="sobol without --levers: at most this many levers from the screen "
                        f"(default {MAX_SOBOL_LEVERS})")


def _power_of_two(text: str) -> int:
    v = whole_number("samples", 2)(text)
    if v & (v - 1):
        raise argparse.ArgumentTypeError(f"samples must be a power of two (Sobol sequence), got {v}")
    return v


def command(args: argparse.Namespace, pool: Pool, parameters: ParameterSource) -> int:
    from .results import results_folder

    scenario = load_scenario(args.scenario)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    targets = select_targets(scenario, args.targets, args.scenario)
    space = lv.LeverSpace.from_scenario(scenario, args.levers, origin=args.scenario)
    out = results_folder(args.out, scenario, f"sensitivity-{args.method}")
    if args.method == "sweep":
        return _sweep(args, scenario, space, targets, seed, pool, parameters, out)
    args.replications = args.replications or REPLICATIONS
    t0 = time.perf_counter()
    per_run = seconds_per_run(scenario, seed, parameters)
    main, screen = analyse(args, scenario, space, targets, seed, pool, parameters, per_run)
    wall = time.perf_counter() - t0
    meta = {"scenario": scenario.scenario.name, "title": scenario.scenario.title, "file": str(args.scenario),
            "seed": seed, "parameters": args.parameters, "wall_seconds": round(wall, 1), "workers": pool.where,
            "lang": args.lang, "max_levers": args.max_levers}
    write_folder(out, main, screen, meta, args.lang)
    print("\n".join(console_summary(main, args.lang)))
    runs = main.runs + (screen.runs if screen else 0)
    print(f"\nwrote {out}/ (sensitivity.md, sensitivity.csv, sensitivity.json, samples, charts/) "
          f"in {wall:.0f} s, {runs} runs")
    return 0


def _sweep(args: argparse.Namespace, scenario: Scenario, space: lv.LeverSpace, targets: list[Target], seed: int,
           pool: Pool, parameters: ParameterSource, out: Path) -> int:
    reps = args.replications or response.REPLICATIONS
    kept = response.outcome_targets(scenario, targets)
    runs = reps * (1 + sum(len(np.unique(np.append(np.linspace(lo, hi, args.points), lv.get(scenario, n))))
                           for n, lo, hi in zip(space.names, space.low, space.high, strict=True)))
    _announce(f"response curves of {space.dim} levers x {len(kept)} outcome targets: {args.points} points each "
              f"x {reps} replications", runs, pool, seconds_per_run(scenario, seed, parameters))
    t0 = time.perf_counter()
    r = response.sweep(scenario, space, targets, pool, parameters, args.points, reps, seed)
    wall = time.perf_counter() - t0
    meta = {"scenario": scenario.scenario.name, "title": scenario.scenario.title, "file": str(args.scenario),
            "seed": seed, "parameters": args.parameters, "replications": reps, "points": args.points,
            "wall_seconds": round(wall, 1), "workers": pool.where, "lang": args.lang}
    response.write_folder(out, r, meta, args.lang)
    print("\n".join(response.console(r, args.lang)))
    print(f"\nwrote {out}/ (response.md, response.csv, effects.csv, response.json, charts/) in {wall:.0f} s, "
          f"{runs} runs")
    return 0


def analyse(args: argparse.Namespace, scenario: Scenario, space: lv.LeverSpace, targets: list[Target], seed: int,
            pool: Pool, parameters: ParameterSource, per_run: float) -> tuple[Analysis, Analysis | None]:
    """The analysis asked for, and the Morris screen that chose Sobol's levers (None if there was none)."""
    reps, r = args.replications, args.trajectories
    if args.method == "morris":
        _announce(f"Morris screening of {space.dim} levers: {r} trajectories x {space.dim + 1} points x {reps} "
                  "replications", r * (space.dim + 1) * reps, pool, per_run)
        return run_morris(scenario, space, targets, r, reps, seed, pool, parameters), None
    screen = None
    if not args.levers:
        _announce(f"no --levers: screening all {space.dim} levers with Morris first ({r} trajectories x "
                  f"{space.dim + 1} points x {reps} replications)", r * (space.dim + 1) * reps, pool, per_run)
        screen = run_morris(scenario, space, targets, r, reps, seed, pool, parameters)
        chosen, left = choose_for_sobol(screen, args.max_levers)
        print(f"Sobol on {', '.join(chosen)}" + (f"; left out (smaller summed share): {', '.join(left)}"
                                                 if left else ""), flush=True)
        space = lv.LeverSpace.from_scenario(scenario, chosen, origin=args.scenario)
    _announce(f"Sobol indices of {space.dim} levers: N={args.samples} x {space.dim + 2} points x {reps} replications",
              args.samples * (space.dim + 2) * reps, pool, per_run)
    return run_sobol(scenario, space, targets, args.samples, reps, seed, pool, parameters), screen


def seconds_per_run(scenario: Scenario, seed: int, parameters: ParameterSource) -> float:
    """One replication timed here, for the estimate printed before a long run."""
    from .ensemble import run_replication

    run_replication(scenario, 0, seed, parameters=parameters)  # the first run also pays for loading the profile
    t0 = time.perf_counter()
    run_replication(scenario, 1, seed, parameters=parameters)
    return time.perf_counter() - t0


def _announce(what: str, runs: int, pool: Pool, per_run: float) -> None:
    minutes = runs * per_run / max(pool.workers, 1) / 60
    print(f"{what} = {runs} runs; about {minutes:.1f} min on {pool.where}", flush=True)


# ----------------------------------------------------------------------------- analyses

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
               replications: int, seed: int, pool: Pool, parameters: ParameterSource) -> Analysis:
    from SALib.sample import morris as morris_sample

    problem = space.salib_problem()
    X = morris_sample.sample(problem, N=trajectories, num_levels=NUM_LEVELS, seed=seed)
    t0 = time.perf_counter()
    out = evaluate([space.apply(scenario, x) for x in X], targets, replications, seed, pool, parameters)
    results = [morris_indices(problem, X, out.values[:, :, j], t, seed) for j, t in enumerate(targets)]
    return Analysis("morris", space, X, out, trajectories, seed, results, time.perf_counter() - t0)


def run_sobol(scenario: Scenario, space: lv.LeverSpace, targets: list[Target], samples: int,
              replications: int, seed: int, pool: Pool, parameters: ParameterSource) -> Analysis:
    from SALib.sample import sobol as sobol_sample

    problem = space.salib_problem()
    X = sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed)
    t0 = time.perf_counter()
    out = evaluate([space.apply(scenario, x) for x in X], targets, replications, seed, pool, parameters)
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


# ----------------------------------------------------------------------------- words and numbers

def lever_label(name: str, lang: str) -> str:
    return lv.label(name, lang)


def lever_range(space: lv.LeverSpace, i: int, lang: str) -> str:
    name = space.names[i]
    lo, hi = _num(lv.shown(name, space.low[i])), _num(lv.shown(name, space.high[i]))
    return f"{lo}–{hi} {lv.unit_text(name, lang)}".rstrip()


def _num(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 10:
        return f"{v:.0f}"
    if abs(v) >= 1:
        return f"{v:.1f}".rstrip("0").rstrip(".")
    return f"{v:.2g}"


def amount(indicator: str, v: float, lang: str = "en", change: bool = False) -> str:
    """A value or change of the indicator with its unit (万元 shown in 亿元; a change of a % in points)."""
    from .labels import scale, unit

    u = unit(indicator, lang)
    if change and u == "%":
        u = "个百分点" if lang == "zh" else "percentage points"
    return f"{_num(v * scale(indicator))} {u}"


def _join(items: list[str], lang: str) -> str:
    if lang == "zh":
        return "、".join(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _pct(v: float) -> str:
    return f"{100 * max(v, 0.0):.0f}%"


def indicator_label(indicator: str, lang: str) -> str:
    from .labels import indicator_name

    return indicator_name(indicator, lang)


def headline(a: Analysis, r: TargetIndices, lang: str) -> str:
    """One plain sentence per target: which levers move it, and by how much."""
    ind = r.target.indicator
    name = indicator_label(ind, lang)
    if r.constant:
        return tx("head_constant", lang, name=name, value=amount(ind, r.mean, lang))
    sel = [i for i in r.order(a.method) if matters(r, a.method)[i]][:3]
    if not sel:
        return tx("head_noise_only", lang, name=name)
    if a.method == "morris":
        items = [tx("head_morris_item", lang, lever=lever_label(a.space.names[i], lang),
                    effect=amount(ind, r.index["mu_star"][i], lang, change=True)) for i in sel]
        text = tx("head_morris", lang, name=name, levers=_join(items, lang))
    else:
        items = [tx("head_sobol_item", lang, lever=lever_label(a.space.names[i], lang),
                    s1=_pct(r.index["S1"][i]), st=_pct(r.key("sobol")[i])) for i in sel]
        text = tx("head_sobol", lang, name=name, levers=("；" if lang == "zh" else "; ").join(items))
    if not math.isnan(r.noise_share) and r.noise_share >= 0.2:
        text += (" " if lang == "en" else "") + tx("head_noisy", lang, share=_pct(r.noise_share))
    return text


def console_summary(a: Analysis, lang: str, top: int = 5) -> list[str]:
    """Two lines per target: its name, then its top levers with their index."""
    title = ("Morris screening: mu* (change across the lever's range) and share of the largest"
             if a.method == "morris" else "Sobol indices: first-order S1 / total ST without its noise part")
    lines = ["", f"{title}; {a.runs} runs, top {top} levers per target (* = matters)"]
    for r in a.results:
        ind = r.target.indicator
        noise = "" if math.isnan(r.noise_share) else f", noise {_pct(r.noise_share)}"
        lines.append(f"{indicator_label(ind, lang)} ({r.target.id}{noise})")
        if r.constant:
            lines.append("    " + tx("constant", lang, value=amount(ind, r.mean, lang)))
            continue
        m = matters(r, a.method)
        items = []
        for i in r.order(a.method)[:top]:
            mark = "*" if m[i] else ""
            if a.method == "morris":
                val = f"{amount(ind, r.index['mu_star'][i], lang, change=True)} {_pct(shares(r)[i])}"
            else:
                val = f"{r.index['S1'][i]:.2f}/{r.key('sobol')[i]:.2f}"
            items.append(f"{lever_label(a.space.names[i], lang)}{mark} {val}")
        lines.append("    " + " · ".join(items))
    return lines


# ----------------------------------------------------------------------------- files

def write_folder(out: Path, main: Analysis, screen: Analysis | None, meta: dict, lang: str) -> None:
    from .results import atomic_folder

    try:
        with atomic_folder(out) as tmp:
            analyses = [a for a in (screen, main) if a is not None]
            (tmp / "sensitivity.md").write_text(markdown(main, screen, meta, lang), "utf-8")
            rows = [row for a in analyses for row in tidy_rows(a)]
            (tmp / "sensitivity.csv").write_text(_csv(rows), "utf-8")
            (tmp / "sensitivity.json").write_text(json.dumps(summary(main, screen, meta), ensure_ascii=False,
                                                             indent=2) + "\n", "utf-8")
            for a in analyses:
                write_samples(a, tmp / f"samples-{a.method}.parquet")
                for r in a.results:
                    prefix = "screening" if a is screen else "sensitivity"
                    chart(a, r, meta["scenario"], lang, tmp / "charts", f"{prefix}-{r.target.id}")
    except OSError as exc:
        raise InputError(str(out), "--out", f"cannot write the results folder: {exc.strerror or exc}") from None


def tidy_rows(a: Analysis) -> list[list]:
    """method, target, indicator, lever, index, value, conf: one row per lever and index."""
    rows = []
    for r in a.results:
        for i, name in enumerate(a.space.names):
            base = [a.method, r.target.id, r.target.indicator, name]
            if a.method == "morris":
                rows += [[*base, "mu_star", r.index["mu_star"][i], r.index["mu_star_conf"][i]],
                         [*base, "mu", r.index["mu"][i], ""], [*base, "sigma", r.index["sigma"][i], ""],
                         [*base, "share_of_largest", shares(r)[i], ""], [*base, "mu_star_noise", r.noise[i], ""]]
            else:
                rows += [[*base, "S1", r.index["S1"][i], r.index["S1_conf"][i]],
                         [*base, "ST", r.index["ST"][i], r.index["ST_conf"][i]],
                         [*base, "ST_noise", r.noise[i], ""], [*base, "ST_without_noise", r.key("sobol")[i], ""]]
            rows.append([*base, "matters", int(matters(r, a.method)[i]), ""])
    return rows


def _csv(rows: list[list]) -> str:
    def cell(v) -> str:
        return repr(float(v)) if isinstance(v, float | np.floating) else str(v)

    head = "method,target,indicator,lever,index,value,conf"
    return "\n".join([head, *(",".join(cell(v) for v in row) for row in rows)]) + "\n"


def write_samples(a: Analysis, path: Path) -> None:
    """One row per sample point and replication: the lever values and every target's indicator value."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    p, r, _ = a.outcomes.values.shape
    cols = {"point": np.repeat(np.arange(p), r), "replication": np.tile(np.arange(r), p)}
    for i, name in enumerate(a.space.names):
        cols[name] = np.repeat(a.X[:, i], r)
    for j, t in enumerate(a.outcomes.targets):
        cols[t.id] = a.outcomes.values[:, :, j].reshape(-1)
    pq.write_table(pa.table(cols), path)


def summary(main: Analysis, screen: Analysis | None, meta: dict) -> dict:
    def one(a: Analysis) -> dict:
        return {
            "method": a.method, "levers": {n: [float(lo), float(hi)] for n, lo, hi in
                                           zip(a.space.names, a.space.low, a.space.high, strict=True)},
            "size": a.size, "replications": a.replications, "points": int(a.X.shape[0]), "runs": a.runs,
            "run_seconds": round(a.seconds, 1),
            "targets": [{"id": r.target.id, "indicator": r.target.indicator, "constant": r.constant,
                         "mean": r.mean, "sd_of_point_means": r.spread,
                         "noise_share": None if math.isnan(r.noise_share) else r.noise_share,
                         "ranking": [a.space.names[i] for i in r.order(a.method)] if not r.constant else [],
                         "matters": [a.space.names[i] for i in r.order(a.method) if matters(r, a.method)[i]]}
                        for r in a.results]}

    out = {**meta, "conf_level": CONF_LEVEL, "matter_share": MATTER_SHARE, "analysis": one(main)}
    if screen is not None:
        out["screen"] = one(screen)
    return out


# ----------------------------------------------------------------------------- markdown

def markdown(main: Analysis, screen: Analysis | None, meta: dict, lang: str) -> str:
    from .report import markdown_table

    runs = main.runs + (screen.runs if screen else 0)
    lines = [f"# Sensitivity of the targets to the levers ({main.method.capitalize()}): {meta['title']}", "",
             f"Scenario `{meta['scenario']}` ({meta['file']}), seed {meta['seed']}, behavioural parameters "
             f"`{meta['parameters']}`, {runs} model runs in {meta['wall_seconds']:.0f} s on {meta['workers']}.", "",
             "Each run's output is each target's indicator in December of its target year, averaged over the "
             "replications of a lever mix. Every mix runs the same replications with the same seed (common random "
             "numbers), so the differences between mixes come from the levers. Levers not listed below keep their "
             "value in the scenario file. P(meet) is not used as the output: with a few replications per mix it "
             "moves in steps of 1/replications and hides most of the levers' effect; `innosim optimize` and "
             "`innosim discover` work on P(meet).", ""]
    note = tx(f"note_{main.method}", lang)
    lines += ["## Headlines", "", note, "", *[f"- {headline(main, r, lang)}" for r in main.results], ""]
    if screen is not None:
        lines += _matter_section(screen, main, meta, markdown_table)
    elif main.method == "morris":
        lines += _matter_section(main, None, meta, markdown_table)
    lines += _method_section(main, lang, markdown_table)
    lines += _tables(main, markdown_table)
    if screen is not None:
        lines += ["## Morris screen, target by target", "", *_tables(screen, markdown_table, depth=3)]
    lines += ["## Files", "",
              "- `sensitivity.csv`: tidy, one row per method, target, lever and index (`value`, 95% `conf`).",
              "- `sensitivity.json`: settings, lever ranges, and per target the ranking, the levers that matter and "
              "the noise share.",
              *[f"- `samples-{a.method}.parquet`: the {a.X.shape[0]} lever mixes x {a.replications} replications "
                f"of the {a.method} design with every target's value; the analysis uses the mean over replications "
                "of each mix, in file order." for a in (screen, main) if a is not None],
              "- `charts/sensitivity-<target>.png/.svg`" + (" and `charts/screening-<target>.png/.svg` (the Morris "
                                                            "screen)" if screen else "") + ": one chart per target.",
              ""]
    return "\n".join(lines)


def _method_section(a: Analysis, lang: str, table) -> list[str]:
    k, p = a.space.dim, a.X.shape[0]
    if a.method == "morris":
        how = (f"Morris elementary effects (SALib): {a.size} trajectories x ({k} levers + 1) = {p} lever mixes x "
               f"{a.replications} replications = {a.runs} runs, {NUM_LEVELS} grid levels. mu* is the mean absolute "
               "change of the indicator per step, scaled to the lever's whole range: moving the lever from its low "
               "to its high end changes the indicator by about mu* (if the effect is linear). sigma large against "
               "mu* means the effect depends on the other levers (interactions or a non-linear response). "
               f"A lever **matters** for a target when its mu* is at least {MATTER_SHARE:.0%} of the largest mu* for "
               "that target and above the lever's noise threshold: the mu* a lever with no effect would stay below "
               "about 97.5% of the time, from the spread over replications of the differences along its own steps "
               "(common random numbers cancel most of a replication's luck; what is left depends on the lever: "
               "one that adds firms changes who competes for funds and places more than a grant rate does).")
    else:
        how = (f"Sobol indices (SALib, Saltelli sampling without second order): N = {a.size} x ({k} levers + 2) = "
               f"{p} lever mixes x {a.replications} replications = {a.runs} runs. S1 is the share of the "
               "indicator's variance (levers uniform over their ranges) due to the lever alone; ST includes its "
               "interactions with the other levers. Intervals are 95% bootstrap intervals. Replication noise "
               "raises a lever's ST: its noise part is half the mean squared replication noise of the differences "
               "f(A) - f(AB_i) that estimate it, over the variance; levers are ranked by ST without it. A lever "
               f"**matters** when its ST without noise is at least {MATTER_SHARE:.2f} and the lower end of its ST "
               "interval is above its noise part.")
    rows = [[f"{lv.label(n, 'zh')} · {lv.label(n, 'en')} (`{n}`)", lever_range(a.space, i, "zh"),
             lever_range(a.space, i, "en")] for i, n in enumerate(a.space.names)]
    return ["## Method", "", how, "", f"Levers explored ({k}) and their ranges, from the scenario's `[ranges]`:", "",
            *table(["lever 杠杆", "范围", "range"], rows), ""]


def _matter_section(screen: Analysis, sobol: Analysis | None, meta: dict, table) -> list[str]:
    """Per target the levers that matter; which went into Sobol, or the Sobol command to run next."""
    rows = []
    for r in screen.results:
        m = matters(r, "morris")
        names = [lv.label(screen.space.names[i], "zh") for i in r.order("morris") if m[i]]
        rows.append([f"{indicator_label(r.target.indicator, 'zh')} (`{r.target.id}`)", "、".join(names) or "—"])
    mattering = {screen.space.names[i] for r in screen.results for i in np.flatnonzero(matters(r, "morris"))}
    idle = [n for n in screen.space.names if n not in mattering]
    chosen = list(sobol.space.names) if sobol else choose_for_sobol(screen, meta["max_levers"])[0]
    cmd = f"innosim sensitivity {meta['file']} --method sobol --levers {','.join(chosen)}"
    rule = (f"ranked by their mu* share summed over the targets that several levers move, at most "
            f"{meta['max_levers']} (`--max-levers`)")
    if sobol:
        text = (f"No `--levers` given: a Morris screen of {screen.space.dim} levers ({screen.size} trajectories, "
                f"{screen.replications} replications, {screen.runs} runs) came first. Sobol was run on "
                f"{', '.join(f'`{n}`' for n in chosen)}: the levers that matter, {rule}. "
                f"{_left_out(screen, chosen)}To redo the Sobol step alone: `{cmd}`.")
    else:
        text = (f"{len(mattering)} of {screen.space.dim} levers matter for at least one target. Sobol indices for "
                f"the levers that matter ({rule}): `{cmd}`.")
    if idle:
        text += (f" These move no target beyond noise and {MATTER_SHARE:.0%} of the target's largest effect: "
                 + ", ".join(f"`{n}`" for n in idle) + ".")
    return ["## The levers that matter", "", text, "",
            *table(["target 目标", "levers that matter 重要杠杆 (ranked)"], rows), ""]


def _left_out(screen: Analysis, chosen: list[str]) -> str:
    mattering = {screen.space.names[i] for r in screen.results for i in np.flatnonzero(matters(r, "morris"))}
    left = [n for n in screen.space.names if n in mattering and n not in chosen]
    if not left:
        return ""
    return (f"Levers that matter for some target but were left out (smaller summed share): "
            f"{', '.join(f'`{n}`' for n in left)}; name them in `--levers` to include them. ")


def _tables(a: Analysis, table, depth: int = 2) -> list[str]:
    h = "#" * depth
    lines = [] if depth == 3 else ["## Target by target", ""]
    for r in a.results:
        ind = r.target.indicator
        t = r.target
        noise = "n/a (one replication)" if math.isnan(r.noise_share) else _pct(r.noise_share)
        lines += [f"{h}# {indicator_label(ind, 'zh')} · {indicator_label(ind, 'en')} (`{t.id}`)", "",
                  f"Target {t.comparator} {amount(ind, t.threshold)} in {t.year}. Across the lever mixes the "
                  f"indicator averages {amount(ind, r.mean)} (sd {amount(ind, r.spread)}); replication "
                  f"noise share: {noise}.", ""]
        if r.constant:
            lines += [tx("constant", "en", value=amount(ind, r.mean)) + ".", ""]
            continue
        head, rows, right, note = (_morris_table if a.method == "morris" else _sobol_table)(a, r)
        prefix = "screening" if depth == 3 else "sensitivity"
        lines += [f"{headline(a, r, 'zh')}  ", f"{headline(a, r, 'en')}", "", *table(head, rows, right), "", note, "",
                  f"![{t.id}](charts/{prefix}-{t.id}.png)", ""]
    return lines


def _morris_table(a: Analysis, r: TargetIndices) -> tuple[list[str], list[list[str]], tuple[int, ...], str]:
    ind, t, k = r.target.indicator, r.target, _s(r.target.indicator)
    m = matters(r, "morris")
    head = ["#", "lever 杠杆", "range", f"mu* ({_unit(ind)})", "95% ±", "noise threshold", "share of largest",
            "% of target", "mu", "sigma", "matters"]
    rows = [[str(n + 1), _lever_cell(a, i), lever_range(a.space, i, "en"), _num(k * r.index["mu_star"][i]),
             _num(k * r.index["mu_star_conf"][i]), _num(k * r.noise[i]), _pct(shares(r)[i]),
             _pct(r.index["mu_star"][i] / abs(t.threshold)) if t.threshold else "",
             _num(k * r.index["mu"][i]), _num(k * r.index["sigma"][i]), "yes" if m[i] else ""]
            for n, i in enumerate(r.order("morris"))]
    note = ("Noise threshold: a lever with no effect would show a mu* below it about 97.5% of the time, given the "
            "spread over replications of its own steps. mu close to mu* means the effect has one sign.")
    return head, rows, (0, 3, 4, 5, 6, 7, 8, 9), note


def _sobol_table(a: Analysis, r: TargetIndices) -> tuple[list[str], list[list[str]], tuple[int, ...], str]:
    m = matters(r, "sobol")
    head = ["#", "lever 杠杆", "range", "S1", "S1 95% ±", "ST", "ST 95% ±", "noise part of ST", "ST without noise",
            "matters"]
    rows = [[str(n + 1), _lever_cell(a, i), lever_range(a.space, i, "en"), f"{r.index['S1'][i]:.2f}",
             f"{r.index['S1_conf'][i]:.2f}", f"{r.index['ST'][i]:.2f}", f"{r.index['ST_conf'][i]:.2f}",
             f"{r.noise[i]:.2f}", f"{r.key('sobol')[i]:.2f}", "yes" if m[i] else ""]
            for n, i in enumerate(r.order("sobol"))]
    total = float(np.nansum(r.index["S1"]))
    why = ("1 minus this is interactions and noise" if total <= 1 else
           "above 1: the S1 estimates are imprecise at this sample size, see their intervals")
    note = (f"Sum of S1: {total:.2f} ({why}). Noise part of ST: half the mean squared replication noise of the "
            "differences that estimate ST, over the variance.")
    return head, rows, (0, 3, 4, 5, 6, 7, 8), note


def _lever_cell(a: Analysis, i: int) -> str:
    n = a.space.names[i]
    return f"{lv.label(n, 'zh')} · {lv.label(n, 'en')}"


def _s(indicator: str) -> float:
    from .labels import scale

    return scale(indicator)


def _unit(indicator: str, lang: str = "en") -> str:
    """The unit of a change of the indicator."""
    return amount(indicator, 1.0, lang, change=True).split(" ", 1)[1]


# ----------------------------------------------------------------------------- charts

def chart(a: Analysis, r: TargetIndices, scenario: str, lang: str, folder: Path, name: str) -> list[Path]:
    import matplotlib.pyplot as plt

    from .plotting import SIZE, finish, save, use_cjk_font

    use_cjk_font()
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    ind, t = r.target.indicator, r.target
    title = tx(f"{a.method}_title", lang, name=indicator_label(ind, lang))
    sub = tx(f"{a.method}_subtitle", lang, scenario=scenario, year=t.year, points=a.X.shape[0],
             reps=a.replications, runs=a.runs)
    if r.constant:
        ax.text(0.5, 0.5, tx("constant", lang, value=amount(ind, r.mean, lang)), ha="center", va="center",
                fontsize=18, transform=ax.transAxes)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.spines[["top", "right", "left", "bottom"]].set_visible(False)
        _heading(fig, ax, title, sub)
        fig.text(0.99, 0.01, tx("source_sa", lang), fontsize=10, color="#777", ha="right")
        fig.get_layout_engine().set(rect=(0, 0.03, 1, 0.97))
        return save(fig, folder, name)
    order = r.order(a.method)[::-1]  # barh draws bottom-up: largest on top
    labels = [f"{lever_label(a.space.names[i], lang)}  ({lever_range(a.space, i, lang)})" for i in order]
    y = np.arange(len(order))
    if a.method == "morris":
        _morris_bars(ax, a, r, order, y, lang)
        xlabel = tx("morris_x", lang, unit=_unit(ind, lang))
    else:
        _sobol_bars(ax, r, order, y, lang)
        xlabel = tx("sobol_x", lang)
    ax.set_yticks(y, labels, fontsize=11 if len(order) > 12 else 13)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.grid(axis="x", color="#dddddd", lw=0.8)
    ax.set_axisbelow(True)
    finish(fig, ax, lang, title, xlabel, "lower right", source="source_sa")
    _heading(fig, ax, title, sub)
    fig.get_layout_engine().set(rect=(0, 0.03, 1, 0.97))  # keep the source line clear of the axis label
    return save(fig, folder, name)


def _morris_bars(ax, a: Analysis, r: TargetIndices, order: np.ndarray, y: np.ndarray, lang: str) -> None:
    from .plotting import COLORS

    k = _s(r.target.indicator)
    mu, conf = r.index["mu_star"][order] * k, r.index["mu_star_conf"][order] * k
    m = matters(r, "morris")[order]
    colors = [COLORS["band"] if v else "#b8c4d6" for v in m]
    ax.barh(y, mu, xerr=conf, color=colors, height=0.7, error_kw={"ecolor": "#444", "capsize": 3, "lw": 1})
    ax.barh([0], [0], color=COLORS["band"], label=tx("matters", lang, share=f"{MATTER_SHARE * 100:.0f}"))
    ax.barh([0], [0], color="#b8c4d6", label=tx("minor", lang))
    _ci_legend(ax, lang)
    noise = r.noise[order] * k
    if noise.any():
        ax.scatter(noise, y, marker="|", s=260, linewidths=2.2, color=COLORS["red"], zorder=4,
                   label=tx("noise_mark", lang))
    right = np.maximum(mu + conf, noise)
    for yi, v, x in zip(y, mu, right, strict=True):
        ax.text(x + 0.012 * max(right.max(), 1e-12), yi, _num(v), va="center", fontsize=10, color="#333")
    ax.set_xlim(0, max(right.max() * 1.12, 1e-9))


def _sobol_bars(ax, r: TargetIndices, order: np.ndarray, y: np.ndarray, lang: str) -> None:
    from matplotlib.ticker import PercentFormatter

    from .plotting import COLORS

    h = 0.38
    s1, s1c = r.index["S1"][order], r.index["S1_conf"][order]
    st, stc = r.index["ST"][order], r.index["ST_conf"][order]
    err = {"ecolor": "#444", "capsize": 3, "lw": 1}
    ax.barh(y + h / 2, st, h, xerr=stc, color=COLORS["band"], label=tx("st", lang), error_kw=err)
    noise = np.clip(r.noise[order], 0, np.maximum(st, 0))
    if noise.any():
        ax.barh(y + h / 2, noise, h, color=(1, 1, 1, 0.55), edgecolor=COLORS["red"], hatch="///", lw=0,
                label=tx("noise_part", lang))
    ax.barh(y - h / 2, s1, h, xerr=s1c, color="#9fc1e3", label=tx("s1", lang), error_kw=err)
    ax.axvline(0, color="#888", lw=0.8)
    _ci_legend(ax, lang)
    low = min(0.0, float(np.nanmin(np.concatenate([s1 - s1c, st - stc]))))
    ax.set_xlim(max(low * 1.1, -0.3), max(1.0, float(np.nanmax(st + stc)) * 1.05))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))


def _ci_legend(ax, lang: str) -> None:
    ax.errorbar([], [], xerr=[], fmt="none", ecolor="#444", capsize=3, lw=1, label=tx("ci", lang))


def _heading(fig, ax, title: str, sub: str) -> None:
    """Title and subtitle from the figure's left edge: long lever names push the axes right."""
    from matplotlib.transforms import blended_transform_factory

    ax.set_title("", loc="left")  # finish's title sits over the axes only
    ax.set_title(" ", pad=44)  # reserves the room above the axes
    where = blended_transform_factory(fig.transFigure, ax.transAxes)
    for y, text, size, color in ((1.075, title, 20, "#000"), (1.015, sub, 11, "#555")):
        ax.text(0.01, y, text, fontsize=size, color=color, transform=where, va="bottom").set_in_layout(False)
