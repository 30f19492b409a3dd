"""`innosim optimize`: the cheapest lever mix that meets the chosen targets with probability at least P.

Our own search on numpy and scipy, not EMA Workbench or optuna. The problem has a shape those
generic tools do not use: the cost of a lever mix is known exactly (model/costs.py, linear in
the levers) and only P(meet) needs simulation, and it is noisy. So every run is spent on
feasibility, candidates are compared on common random numbers, and the priced levers are cut
back directly (the "trim"), with no new dependency and a few thousand runs in all:

1. generation 0: a seeded Latin hypercube over the levers' [ranges], plus the scenario's own mix,
   the all-high corner and the scenario with its unpriced levers at their high bound;
2. reach: each target's best candidate is re-run on more replications unless clearly above P;
   a target stays in the constraint if its pooled P(meet) reaches P, and is called unreachable
   only when the Wilson 95% upper bound is below P ("not shown to reach P" in between);
3. the trim: each priced lever of the best feasible mix is bisected toward its low bound (two
   rounds, all levers at once), and the cuts are combined, largest saving first;
4. a few cross-entropy generations around the elite candidates, ranked by (shortfall, cost);
   around a feasible elite the priced levers are also pulled down, several at once;
5. confirmation: finalists (the cheapest feasible mix, and the cheapest with margins above P) are
   re-run on fresh seeds with many more replications; the winner is the cheapest one whose
   re-run P(meet) is at least P for every required target.

Every candidate of the search runs replications 0..n-1 of the same seed (common random numbers).
The confirmation runs seed + CONFIRM_SEED_STEP, so its replications share nothing with the search
and the search's luck cannot carry over. The result depends on the seed only, not on the workers.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import math
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .arguments import id_list, whole_number
from .costs import annual_cost, total_annual_cost
from .errors import InputError
from .indicators import INDICATORS
from .labels import t as tr
from .levers import LeverSpace, get, label
from .levers import unit as lever_unit
from .months import lever_years
from .outcomes import evaluate, target_rows
from .parallel import Pool
from .parameters import ParameterSource
from .report import fmt, markdown_table, text_table
from .scenario import Scenario, Target, load_scenario, select_targets
from .stats import wilson
from .toml_writer import toml_document

CONFIRM_SEED_STEP = 1_000_003  # confirmation seed = seed + this: fresh streams, documented in optimize.md
PROBE_FACTOR = 3  # a reach probe adds 3x the search replications (4x in all)
EPS = 1e-9
RUN_PHASES = {"plan": "generation 0", "all-high": "generation 0", "free-high": "generation 0", "sample": "generation 0",
              "search": "generations", "trim": "trim"}


# ------------------------------------------------------------------ command line


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario TOML file with a [ranges] table")
    p.add_argument("--probability", "-p", type=float, required=True, metavar="P",
                   help="required probability of meeting each chosen target, in (0, 1], e.g. 0.8")
    p.add_argument("--targets", type=id_list, metavar="ID,ID",
                   help="comma-separated target ids (default: all the scenario's)")
    p.add_argument("--budget-max", type=float, metavar="WAN",
                   help="cap on the total annual cost, 万元/year (budget channels plus priced levers)")
    p.add_argument("--levers", type=id_list, metavar="NAME,NAME",
                   help="comma-separated levers to optimise (default: every lever with a range)")
    p.add_argument("--replications", "-n", type=whole_number("replications", 2, 100_000), default=16,
                   help="replications per candidate during the search (default 16)")
    p.add_argument("--initial", type=whole_number("initial", 1, 100_000), default=32,
                   help="Latin-hypercube candidates of generation 0 (default 32)")
    p.add_argument("--generations", type=whole_number("generations", 0, 100_000), default=2,
                   help="cross-entropy generations after generation 0 (default 2)")
    p.add_argument("--population", type=whole_number("population", 1, 100_000), default=12,
                   help="candidates per generation (default 12)")
    p.add_argument("--confirm", type=whole_number("confirm", 1, 100_000), default=100,
                   help="replications of each finalist on fresh seeds (default 100)")
    p.add_argument("--finalists", type=whole_number("finalists", 1, 100_000), default=3,
                   help="candidates re-run on fresh seeds (default 3)")


@dataclass(frozen=True)
class Settings:
    probability: float
    replications: int = 16
    initial: int = 32
    generations: int = 2
    population: int = 12
    confirm: int = 100
    finalists: int = 3
    budget_max: float | None = None

    @property
    def elites(self) -> int:
        return max(2, min(6, self.population // 2))

    @property
    def probe(self) -> int:
        return PROBE_FACTOR * self.replications


def command(args: argparse.Namespace, pool: Pool, parameters: ParameterSource) -> int:
    from .results import results_folder

    scenario = load_scenario(args.scenario)
    settings = Settings(check_probability(args.probability), args.replications, args.initial, args.generations,
                        args.population, args.confirm, args.finalists, args.budget_max)
    chosen = [scenario.targets.index(t) for t in select_targets(scenario, args.targets, args.scenario)]
    space = LeverSpace.from_scenario(scenario, args.levers, origin=args.scenario)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    search = Search(scenario, space, chosen, settings, seed, pool, parameters)
    search.check_cap()
    out = results_folder(args.out, scenario, "optimize")
    print(search.plan_text(), flush=True)
    result = search.run()
    result.origin = args.scenario
    write_folder(result, out, args.lang)
    print("\n".join(terminal(result)))
    print(f"\nwrote {out}/ (optimize.md, winner.toml, candidates.csv, optimize.json, charts/optimize.png/.svg)")
    return 0


# ------------------------------------------------------------------ the search


def check_probability(p: float) -> float:
    if not (math.isfinite(p) and 0 < p <= 1):
        raise InputError("--probability", str(p), "must be a probability in (0, 1], e.g. 0.8")
    return p


def reach_status(k: int, n: int, probability: float) -> str:
    """Reachable if k of n runs met it at rate >= P; unreachable only if even the Wilson upper bound is below P."""
    if k / n >= probability - EPS:
        return "reachable"
    return "unreachable" if wilson(k, n)[1] < probability else "uncertain"


@dataclass(eq=False)  # candidates compare by identity (their arrays cannot be compared with ==)
class Candidate:
    id: int
    values: np.ndarray
    cost: float
    phase: str  # plan, all-high, free-high, sample, search, trim
    generation: int
    met: np.ndarray | None = None  # [replication, target] on the search replications
    extra: np.ndarray | None = None  # [replication, target] of a reach probe (further replications, same seed)
    confirm: np.ndarray | None = None  # [replication, target] on the fresh confirmation seed

    @property
    def p(self) -> np.ndarray:
        return self.met.mean(axis=0)

    @property
    def p_confirm(self) -> np.ndarray:
        return self.confirm.mean(axis=0)

    def pooled(self, j: int) -> tuple[int, int]:
        """Met count and replications of target j on the search replications and any probe."""
        k, n = int(self.met[:, j].sum()), self.met.shape[0]
        if self.extra is not None:
            k, n = k + int(self.extra[:, j].sum()), n + self.extra.shape[0]
        return k, n


@dataclass
class Reach:
    status: str  # reachable; uncertain (below P, P not ruled out) or unreachable: both left out
    candidate: int
    k: int
    n: int

    @property
    def p(self) -> float:
        return self.k / self.n

    @property
    def interval(self) -> tuple[float, float]:
        return wilson(self.k, self.n)


@dataclass
class Result:
    scenario: Scenario
    space: LeverSpace
    settings: Settings
    seed: int
    chosen: list[int]
    reach: dict[int, Reach]
    required: list[int]
    level: np.ndarray  # P(meet) each required target must reach on the search replications
    candidates: list[Candidate]
    finalists: list[Candidate]
    winner: Candidate
    confirmed: bool
    plan: Candidate
    runs: dict[str, int]
    wall_seconds: float
    where: str
    parameters_mode: str
    origin: str = "<scenario>"
    winner_scenario: Scenario | None = field(default=None)

    @property
    def confirm_seed(self) -> int:
        return self.seed + CONFIRM_SEED_STEP

    @property
    def unreachable(self) -> list[int]:
        return [j for j in self.chosen if self.reach[j].status == "unreachable"]

    @property
    def uncertain(self) -> list[int]:
        return [j for j in self.chosen if self.reach[j].status == "uncertain"]


class Search:
    """Candidates, their simulated P(meet), and the steps of the search; see the module docstring."""

    def __init__(self, scenario: Scenario, space: LeverSpace, chosen: list[int], settings: Settings, seed: int,
                 pool: Pool, parameters: ParameterSource, log=print) -> None:
        self.scenario, self.space, self.chosen, self.settings = scenario, space, chosen, settings
        self.seed, self.pool, self.parameters = seed, pool, parameters
        self.targets: list[Target] = list(scenario.targets)
        self.rows, self.cols = target_rows(scenario, self.targets)
        self.rng = np.random.default_rng(np.random.SeedSequence(entropy=seed, spawn_key=(0x0A7,)))
        self.candidates: list[Candidate] = []
        self._seen: dict[tuple, Candidate] = {}
        self.required: list[int] = list(chosen)
        self.level = np.full(len(chosen), settings.probability)
        self.reach: dict[int, Reach] = {}
        self.runs: dict[str, int] = {}
        self.log = lambda msg: log(msg, flush=True) if log is print else log(msg)
        self.low_cost = self.cost(space.low)
        # Cost is linear in each lever: the cost of the full range of lever i, the others at low.
        span = space.high - space.low
        self.weights = np.array([self.cost(space.low + span * e) - self.low_cost for e in np.eye(space.dim)])
        self.priced = self.weights > 1e-9

    # -- costs and lever values

    def cost(self, values: np.ndarray) -> float:
        return total_annual_cost(self.space.apply(self.scenario, values))

    def check_cap(self) -> None:
        cap = self.settings.budget_max
        if cap is None:
            return
        if not (math.isfinite(cap) and cap > 0):
            raise InputError("--budget-max", str(cap), "must be a positive number of 万元 per year")
        if cap < self.low_cost - EPS:
            raise InputError("--budget-max", f"{cap:,.0f}", f"below the cheapest mix the ranges allow "
                             f"({self.low_cost:,.0f} 万元/year, every lever at its low bound): no mix fits")

    def snap(self, values: np.ndarray) -> np.ndarray:
        """Round to steps a planner would write (100 万元, 0.01 of a share, 0.1 or 1 of a count)."""
        out = np.empty_like(values, dtype=float)
        for i, name in enumerate(self.space.names):
            step = _step(name, self.space.high[i] - self.space.low[i])
            v = round(float(values[i]) / step) * step
            out[i] = round(min(max(v, self.space.low[i]), self.space.high[i]), 6)
        return out

    def within_cap(self, values: np.ndarray) -> np.ndarray:
        """Scale the priced levers down (toward their low bound) until the mix fits under --budget-max."""
        cap = self.settings.budget_max
        if cap is None or self.cost(values) <= cap:
            return values
        u = self.space.unit(values)
        spend = float(self.weights[self.priced] @ u[self.priced])
        scale = max(0.0, (cap - self.low_cost) / spend) if spend > 0 else 0.0
        for _ in range(6):
            v = u.copy()
            v[self.priced] *= scale
            out = self.snap(self.space.scale(v))
            if self.cost(out) <= cap:
                return out
            scale *= 0.97
        return out

    # -- simulation

    def add(self, values: list[np.ndarray], phase: str, generation: int) -> list[Candidate]:
        """Candidates for these lever values, new ones simulated on the search replications."""
        out, new = [], []
        for v in values:
            key = tuple(np.round(v, 6))
            c = self._seen.get(key)
            if c is None:
                c = Candidate(len(self.candidates), np.array(v, dtype=float), self.cost(v), phase, generation)
                self.candidates.append(c)
                self._seen[key] = c
                new.append(c)
            out.append(c)
        if new:
            met = self.measure([c.values for c in new], 0, self.settings.replications, self.seed, RUN_PHASES[phase])
            for c, m in zip(new, met, strict=True):
                c.met = m
        return out

    def measure(self, values: list[np.ndarray], first: int, n: int, seed: int, phase: str) -> np.ndarray:
        """met[point, replication, target] for replications first..first+n-1 of `seed`."""
        points = [self.space.apply(self.scenario, v) for v in values]
        out = evaluate(points, self.targets, n, seed, self.pool, self.parameters, first_replication=first, desc=phase)
        self.runs[phase] = self.runs.get(phase, 0) + len(points) * n
        return out.met

    # -- ranking

    def over_cap(self, c: Candidate) -> bool:
        cap = self.settings.budget_max
        return cap is not None and c.cost > cap + EPS

    def _gap(self, c: Candidate, confirm: bool) -> np.ndarray:
        """P(meet) minus the level required, per required target: search levels, or P on the re-run."""
        if confirm:
            return c.p_confirm[self.required] - self.settings.probability
        return c.p[self.required] - self.level

    def shortfall(self, c: Candidate, confirm: bool = False) -> float:
        return float(np.clip(-self._gap(c, confirm), 0, None).sum())

    def slack(self, c: Candidate, confirm: bool = False) -> float:
        return float(self._gap(c, confirm).min()) if self.required else 1.0

    def feasible(self, c: Candidate, confirm: bool = False) -> bool:
        return not self.over_cap(c) and self.slack(c, confirm) >= -EPS

    def key(self, c: Candidate) -> tuple:
        return self.over_cap(c), round(self.shortfall(c), 9), c.cost, c.id

    def best(self) -> Candidate:
        return min(self.candidates, key=self.key)

    # -- steps

    def plan_text(self) -> str:
        s = self.settings
        n = s.replications
        gen0 = (s.initial + 3) * n
        gens = s.generations * s.population * n
        trim = (4 * int(self.priced.sum()) + 12) * n
        confirm = (s.finalists + 1) * s.confirm
        total = gen0 + gens + trim + confirm
        cap = f", cost at most {s.budget_max:,.0f} 万元/year" if s.budget_max is not None else ""
        return (f"optimize: {self.space.dim} levers, {len(self.chosen)} targets, P(meet) >= {s.probability:g}{cap}; "
                f"about {total} runs on {self.pool.where}: generation 0 {gen0}, {s.generations} generations "
                f"{gens}, trim up to {trim}, confirmation {confirm} (seed {self.seed + CONFIRM_SEED_STEP}), plus "
                f"{s.probe} for each best candidate of a target not clearly above P")

    def generation_zero(self) -> None:
        from scipy.stats import qmc

        sp = self.space
        plan = np.array([get(self.scenario, n) for n in sp.names])
        free_high = np.where(self.priced, plan, sp.high)
        self.add([plan], "plan", 0)
        self.add([sp.high], "all-high", 0)
        self.add([free_high], "free-high", 0)
        lhs = qmc.LatinHypercube(d=sp.dim, rng=self.rng).random(self.settings.initial)
        self.add([self.within_cap(self.snap(sp.scale(u))) for u in lhs], "sample", 0)
        self.log(f"  generation 0: {len(self.candidates)} candidates")

    def judge_reach(self) -> None:
        """Which chosen targets can reach P, judged on each target's best candidate of generation 0.

        The best candidate is re-run on more replications (same seed, further indices) unless it is
        clearly above P: a best-of-many estimate on a few runs flatters, and the search replications
        are one fixed sample of worlds that can be unlucky for a target.
        """
        P = self.settings.probability
        tops = {}
        for j in self.chosen:
            # On a tie (often 0% everywhere) take the all-high corner: the mix a planner expects to be best.
            tops[j] = max(self.candidates, key=lambda c, j=j: (c.p[j], c.phase == "all-high", -c.cost))
        probe = {c.id: c for j, c in tops.items() if wilson(*c.pooled(j))[0] < P and c.extra is None}
        if probe and self.settings.probe:
            extra = self.measure([c.values for c in probe.values()], self.settings.replications, self.settings.probe,
                                 self.seed, "reach probe")
            for c, m in zip(probe.values(), extra, strict=True):
                c.extra = m
        for j, top in tops.items():
            self.reach[j] = Reach(reach_status(*top.pooled(j), P), top.id, *top.pooled(j))
        self.required = [j for j in self.chosen if self.reach[j].status == "reachable"]
        # On the search replications a required target counts as met at P, or at its best candidate's
        # level when these replications happen to be harder for it than the probe showed.
        self.level = np.array([min(P, float(tops[j].p[j])) for j in self.required])
        out = [f"{self.targets[j].id} ({'cannot' if self.reach[j].status == 'unreachable' else 'not shown'})"
               for j in self.chosen if j not in self.required]
        self.log(f"  reach: {len(self.required)} of {len(self.chosen)} chosen targets reach {P:g}"
                 + (f"; left out: {', '.join(out)}" if out else "") + f"; {self._status()}")

    def generation(self, g: int) -> None:
        s = self.settings
        ranked = sorted(self.candidates, key=self.key)[:s.elites]
        units = np.array([np.clip(self.space.unit(c.values), 0, 1) for c in ranked])
        spread = np.maximum(units.std(axis=0), 0.2 * 0.5 ** (g - 2))
        out = []
        for k in range(s.population):
            centre = ranked[k % len(ranked)]
            u = units[k % len(ranked)] + spread * self.rng.standard_normal(self.space.dim)
            if self.feasible(centre):  # cost is certain, feasibility is not: look for cheaper mixes near it
                u[self.priced] *= self.rng.uniform(0.7, 1.0, int(self.priced.sum()))
            out.append(self.within_cap(self.snap(self.space.scale(np.clip(u, 0, 1)))))
        self.add(out, "search", g)
        self.log(f"  generation {g}: {len(self.candidates)} candidates; {self._status()}")

    def trim(self, g: int, passes: int = 3) -> None:
        """Cut the priced levers of the best feasible mix: find each lever's cut alone, then combine the cuts."""
        best = self.best()
        if not self.feasible(best):
            self.log("  trim: skipped, no feasible candidate to trim")
            return
        start = best.cost
        moves = self._cuts(best, g)
        found = len(moves)
        for _ in range(passes):
            ranked = sorted(moves, key=lambda i, b=best: -(b.values[i] - moves[i]) * self.weights[i])
            if not ranked:
                break
            best, kept = self._combine(best, ranked, moves, g)
            left = ranked[kept:]
            if not left:
                break
            # The cuts that did not fit are tried again, each alone, on top of the cheaper mix.
            tried = self.add([self._with(best, {i: moves[i]}) for i in left], "trim", g)
            moves = {i: moves[i] for i, c in zip(left, tried, strict=True)
                     if self.feasible(c) and c.cost < best.cost - EPS}
        self.log(f"  trim: {found} priced levers can be cut alone; {start / 1e4:,.2f} -> {best.cost / 1e4:,.2f} "
                 f"亿元/year; {self._status()}")

    def _with(self, c: Candidate, values: dict[int, float]) -> np.ndarray:
        v = c.values.copy()
        for i, x in values.items():
            v[i] = x
        return v

    def _cuts(self, best: Candidate, g: int) -> dict[int, float]:
        """The lowest value of each priced lever that keeps `best` feasible, the others unchanged.

        Bisection, all levers at once: round 1 tries the low bound and halfway down; round 2 a quarter
        of the way down where halfway held but the low bound did not, three quarters where halfway failed.
        """
        u0 = self.space.unit(best.values)
        order = [i for i in np.argsort(-(self.weights * u0)) if self.priced[i] and best.values[i] > self.space.low[i]]

        def trial(i: int, keep: float) -> np.ndarray:
            u = u0.copy()
            u[i] *= keep
            return self.snap(self.space.scale(u))

        def cheaper_and_feasible(c: Candidate) -> bool:
            return self.feasible(c) and c.cost < best.cost - EPS

        first = self.add([trial(i, keep) for i in order for keep in (0.0, 0.5)], "trim", g)
        moves: dict[int, float] = {}
        second = []
        for k, i in enumerate(order):
            low, half = first[2 * k], first[2 * k + 1]
            if cheaper_and_feasible(low):
                moves[i] = low.values[i]
            else:
                if cheaper_and_feasible(half):
                    moves[i] = half.values[i]
                second.append((i, 0.25 if i in moves else 0.75))
        for (i, _), c in zip(second, self.add([trial(i, keep) for i, keep in second], "trim", g), strict=True):
            if cheaper_and_feasible(c) and (i not in moves or c.values[i] < moves[i]):
                moves[i] = c.values[i]
        return moves

    def _combine(self, best: Candidate, ranked: list[int], moves: dict[int, float], g: int) -> tuple[Candidate, int]:
        """The largest feasible prefix of the cuts (largest saving first), by bisection; the first alone is feasible."""

        def combined(m: int) -> Candidate:
            return self.add([self._with(best, {i: moves[i] for i in ranked[:m]})], "trim", g)[0]

        if self.feasible(combined(len(ranked))):
            return combined(len(ranked)), len(ranked)
        lo, hi = 1, len(ranked)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            lo, hi = (mid, hi) if self.feasible(combined(mid)) else (lo, mid)
        return combined(lo), lo

    def pick_finalists(self) -> list[Candidate]:
        """The cheapest feasible mix, then the cheapest with a margin above P (up to all runs meeting)."""
        s = self.settings
        feasible = sorted((c for c in self.candidates if self.feasible(c)), key=lambda c: (c.cost, c.id))
        if not feasible:
            return sorted(self.candidates, key=self.key)[:s.finalists]
        picked: list[Candidate] = []
        for margin in np.linspace(0.0, 1.0 - s.probability, s.finalists) if s.finalists > 1 else [0.0]:
            c = next((c for c in feasible if self.slack(c) >= margin - EPS and c not in picked), None)
            if c is not None:
                picked.append(c)
        picked += [c for c in feasible if c not in picked][:s.finalists - len(picked)]
        return sorted(picked, key=lambda c: (c.cost, c.id))

    def confirm(self, finalists: list[Candidate], plan: Candidate) -> tuple[Candidate, bool]:
        todo = list({c.id: c for c in [*finalists, plan]}.values())
        met = self.measure([c.values for c in todo], 0, self.settings.confirm, self.seed + CONFIRM_SEED_STEP,
                           "confirmation")
        for c, m in zip(todo, met, strict=True):
            c.confirm = m
        ok = [c for c in finalists if self.feasible(c, confirm=True)]
        if ok:
            return ok[0], True
        return min(finalists, key=lambda c: (self.shortfall(c, confirm=True), c.cost, c.id)), False

    def run(self) -> Result:
        t0 = time.perf_counter()
        self.generation_zero()
        self.judge_reach()
        self.trim(1)
        for g in range(2, self.settings.generations + 2):
            self.generation(g)
        finalists = self.pick_finalists()
        plan = self.candidates[0]
        winner, confirmed = self.confirm(finalists, plan)
        self.log(f"  confirmation on seed {self.seed + CONFIRM_SEED_STEP}: "
                 + ("confirmed" if confirmed else "NOT confirmed")
                 + f", {winner.cost / 1e4:,.2f} 亿元/year")
        result = Result(self.scenario, self.space, self.settings, self.seed, self.chosen, self.reach, self.required,
                        self.level, self.candidates, finalists, winner, confirmed, plan, dict(self.runs),
                        time.perf_counter() - t0, self.pool.where, self.parameters.mode)
        result.winner_scenario = winner_scenario(result)
        return result

    def _status(self) -> str:
        feasible = [c for c in self.candidates if self.feasible(c)]
        if feasible:
            c = min(feasible, key=lambda c: c.cost)
            return f"{len(feasible)} feasible, cheapest {c.cost / 1e4:,.2f} 亿元/year"
        b = self.best()
        return f"none feasible yet; closest: shortfall {self.shortfall(b):.2f}, {b.cost / 1e4:,.2f} 亿元/year"


def _step(name: str, span: float) -> float:
    if name.startswith("budget."):
        return 100.0
    if span <= 2:
        return 0.01
    return 0.1 if span <= 20 else 1.0


# ------------------------------------------------------------------ the winner as a scenario file


def winner_scenario(result: Result) -> Scenario:
    sc = result.scenario
    values = dict(zip(result.space.names, map(float, result.winner.values), strict=True))
    from .levers import with_levers

    new = with_levers(sc, values)
    pct = format(result.settings.probability * 100, "g").replace(".", "-")
    suffix = f"-cheapest-p{pct}" + ("" if result.confirmed else "-unconfirmed")
    name = sc.scenario.name[:80 - len(suffix)].rstrip("-") + suffix
    note = (f" — cheapest mix with P(meet) ≥ {result.settings.probability:g}"
            + ("" if result.confirmed else " (NOT confirmed)"))
    title = sc.scenario.title[:200 - len(note)] + note
    meta = new.scenario.model_copy(update={"name": name, "title": title})
    return new.model_copy(update={"scenario": meta, "extends": None})


def winner_toml(result: Result) -> str:
    sc, new = result.scenario, result.winner_scenario
    P = result.settings.probability
    comments = {}
    for i, name in enumerate(result.space.names):
        old, value = get(sc, name), float(result.winner.values[i])
        path = "levers." + name
        comments[path] = (f"was {_num(name, old)} in {sc.scenario.name}" if abs(value - old) > 1e-9
                          else f"unchanged; explored {_num(name, result.space.low[i])}-"
                               f"{_num(name, result.space.high[i])}")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    chosen = ", ".join(result.scenario.targets[j].id for j in result.chosen)
    lost = ", ".join(result.scenario.targets[j].id for j in result.unreachable) or "none"
    unsure = ", ".join(result.scenario.targets[j].id for j in result.uncertain) or "none"
    verdict = (f"CONFIRMED: re-run on seed {result.confirm_seed} ({result.settings.confirm} replications), every "
               f"required target met with P(meet) >= {P:g}" if result.confirmed else
               f"NOT CONFIRMED: on the fresh seed {result.confirm_seed} ({result.settings.confirm} replications) at "
               f"least one required target fell below {P:g}; treat this file as a candidate only")
    header = [
        new.scenario.title,
        "",
        f"Written by `innosim optimize` on {stamp} from {result.origin} ({sc.scenario.name}, hash {sc.digest()}).",
        f"The cheapest lever mix found whose probability of meeting each chosen target is at least {P:g}.",
        f"Chosen targets: {chosen}.",
        f"Targets that cannot reach {P:g} within the [ranges] (left out of the constraint): {lost}.",
        f"Targets not shown to reach {P:g} (also left out): {unsure}.",
        verdict + ".",
        f"Annual cost {result.winner.cost:,.0f} 万元/year against {result.plan.cost:,.0f} for {sc.scenario.name} "
        f"(budget channels plus priced levers, model/costs.py).",
        f"Search: seed {result.seed}, {sum(result.runs.values())} runs, parameters {result.parameters_mode}; "
        "see optimize.md next to this file.",
        "Levers the search did not explore, [ranges], [costs], [parameters], [baseline] and [[targets]] are copied "
        "unchanged.",
        "Run it: innosim run winner.toml",
        "",
    ]
    return toml_document(new.model_dump(mode="json", exclude_none=True), header, comments)


# ------------------------------------------------------------------ outputs


def _num(name: str, v: float) -> str:
    if name.startswith("budget."):
        return f"{v:,.0f}"
    return f"{v:.2f}".rstrip("0").rstrip(".") if v != int(v) else f"{v:.0f}"


def _pct(p: float) -> str:
    return f"{100 * p:.0f}%"


def _ci(k_or_met: np.ndarray) -> str:
    k, n = int(k_or_met.sum()), len(k_or_met)
    lo, hi = wilson(k, n)
    return f"{_pct(k / n)} [{_pct(lo)}-{_pct(hi)}]"


def _target_name(t: Target) -> str:
    return f"{INDICATORS[t.indicator].zh} {t.comparator} {fmt(t.indicator, t.threshold)} ({t.year})"


def _status(result: Result, j: int) -> str:
    if j not in result.chosen:
        return "not chosen"
    r = result.reach[j]
    return {"reachable": "required", "uncertain": "not shown to reach P", "unreachable": "cannot reach P"}[r.status]


def lever_rows(result: Result) -> list[list[str]]:
    rows = []
    for i, name in enumerate(result.space.names):
        old, new = get(result.scenario, name), float(result.winner.values[i])
        change = "" if abs(new - old) < 1e-9 else (f"{new - old:+,.0f}" if name.startswith("budget.")
                                                   else f"{new - old:+.2f}")
        rows.append([f"{label(name, 'zh')} / {label(name, 'en')}", lever_unit(name),
                     f"{_num(name, result.space.low[i])}-{_num(name, result.space.high[i])}",
                     _num(name, old), _num(name, new), change])
    return rows


def cost_rows(result: Result) -> list[list[str]]:
    meta = result.scenario.scenario
    years = lever_years(meta)
    plan = annual_cost(result.scenario.levers, years, result.scenario.costs)
    win = annual_cost(result.winner_scenario.levers, years, result.scenario.costs)
    rows = [[f"{label(k, 'zh')} / {label(k, 'en')}", f"{plan[k]:,.0f}", f"{win[k]:,.0f}", _change(win[k] - plan[k])]
            for k in plan if plan[k] or win[k]]
    total_p, total_w = sum(plan.values()), sum(win.values())
    rows.append(["total 合计", f"{total_p:,.0f}", f"{total_w:,.0f}", _change(total_w - total_p)])
    return rows


def _change(d: float) -> str:
    return f"{d:+,.0f}" if abs(d) >= 0.5 else ""


def target_rows_report(result: Result) -> list[list[str]]:
    rows = []
    for j, t in enumerate(result.scenario.targets):
        w, plan = result.winner, result.plan
        rows.append([_target_name(t), t.id, _status(result, j), _ci(w.met[:, j]), _ci(w.confirm[:, j]),
                     _ci(plan.confirm[:, j])])
    return rows


def headline(result: Result) -> str:
    P = result.settings.probability
    w, plan = result.winner, result.plan
    diff = w.cost - plan.cost
    if abs(diff) < 0.5:
        rel = "the same as"
    else:
        rel = f"{abs(diff) / plan.cost:.0%} {'below' if diff < 0 else 'above'}" if plan.cost else "against 0 for"
    n_req = len(result.required)
    text = (f"The cheapest lever mix found costs {w.cost / 1e4:,.2f} 亿元 a year ({w.cost:,.0f} 万元), {rel} the "
            f"scenario's own mix ({plan.cost / 1e4:,.2f} 亿元 a year). ")
    if not result.required:
        text += f"No chosen target can reach {P:g} within the ranges, so nothing constrains the mix."
    elif result.confirmed:
        text += (f"Re-run on {result.settings.confirm} fresh replications, it meets {_plural(n_req, 'required target')}"
                 f" in at least {P:.0%} of the runs each (a sampling estimate: see the 95% intervals below).")
    else:
        text += (f"It is NOT confirmed: re-run on {result.settings.confirm} fresh replications, at least one of "
                 f"{_plural(n_req, 'required target')} falls below {P:g}; treat it as a candidate only.")
    names = result.scenario.targets
    if result.unreachable:
        text += (f" {_plural(len(result.unreachable), 'chosen target')} reached {P:g} in none of the "
                 f"{len(result.candidates)} mixes tried (the all-high corner included), so the search treats "
                 f"{'it' if len(result.unreachable) == 1 else 'them'} as out of reach within the ranges: "
                 + "; ".join(f"{INDICATORS[names[j].indicator].zh} ({_best(result, j)})"
                                            for j in result.unreachable) + ".")
    if result.uncertain:
        n = len(result.uncertain)
        text += (f" {_plural(n, 'chosen target')} could not be shown to reach {P:g} (best estimate below {P:g}, "
                 f"but {P:g} not ruled out) and {'is' if n == 1 else 'are'} left out of the constraint too: "
                 + "; ".join(f"{INDICATORS[names[j].indicator].zh} ({_best(result, j)})" for j in result.uncertain)
                 + ".")
    worse = [j for j in [*result.unreachable, *result.uncertain]
             if result.winner.p_confirm[j] < result.plan.p_confirm[j] - EPS]
    if worse:
        text += (" Left out of the constraint, these do worse under the winner than under the scenario's own mix "
                 "(re-run): " + "; ".join(f"{INDICATORS[names[j].indicator].zh} {_pct(result.plan.p_confirm[j])} → "
                                          f"{_pct(result.winner.p_confirm[j])}" for j in worse)
                 + ". To keep a target in, ask for a lower probability or give it its own run (--targets).")
    cap = result.settings.budget_max
    if cap is not None and not any(_search_feasible(result, c) for c in result.candidates):
        above = [c for c in result.candidates if _search_feasible(result, c, check_cap=False)]
        text += f" The cap of {cap:,.0f} 万元/year makes the problem infeasible: no candidate within it met the "
        text += ("required targets in the search" + (f"; the cheapest that did costs {min(c.cost for c in above):,.0f} "
                                                     "万元/year." if above else "."))
    return text


def _best(result: Result, j: int) -> str:
    r = result.reach[j]
    return f"best {100 * r.p:.1f}%, {r.k} of {r.n} runs"


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _search_feasible(result: Result, c: Candidate, check_cap: bool = True) -> bool:
    over = check_cap and result.settings.budget_max is not None and c.cost > result.settings.budget_max + EPS
    return not over and bool((c.p[result.required] >= result.level - EPS).all())


METHOD = """\
Our own search on numpy and scipy, chosen over EMA Workbench's robust optimisation and optuna
because the problem has a shape those generic tools do not use: the cost of a mix is known
exactly (model/costs.py, linear in the levers) and only P(meet) needs simulation, and it is
noisy. Every run is therefore spent on feasibility, candidates are compared on common random
numbers (the same replications of the same seed), and the priced levers are cut back directly.
It adds no dependency, its result depends on the seed only (not on the workers or the dask
cluster), and the defaults fit in a few thousand runs. Evolutionary robust optimisation (EMA's
platypus) or a TPE sampler (optuna) would each need many more evaluations of many replications.

1. Generation 0: a seeded Latin hypercube over the levers' [ranges], plus the scenario's own mix,
   the all-high corner and the scenario with its unpriced levers (platform, talent counts, shares)
   at their high bound.
2. Reach: for each chosen target, the candidate of generation 0 with its best P(meet), re-run on
   {probe} more replications of the same seed unless the Wilson 95% lower bound is already above
   P (a best-of-many estimate on a few runs flatters). A target is required if the pooled P(meet)
   is at least P; it is called unreachable only when the interval's upper bound is below P, and
   "not shown to reach P" in between. Both are reported and left out of the constraint. On the
   search replications a required target must reach P, or its best candidate's level when those
   replications happen to be harder for it than the re-run showed.
3. Trim: each priced lever of the cheapest feasible mix is bisected toward its low bound (low
   bound and halfway, then a quarter or three quarters of the way), all levers in parallel. The
   cuts that keep the mix feasible alone are combined, largest saving first (bisecting on how
   many fit); the ones that did not fit are tried again on top of the cheaper mix (3 passes).
4. Cross-entropy generations: candidates drawn around the {elites} best (ranked by the shortfall
   sum_j max(0, level_j - P_j), then cost) with a shrinking spread; around a feasible one the
   priced levers are also pulled down, several at once, since cost is certain and feasibility
   is not.
5. Confirmation: finalists (the cheapest feasible mix and the cheapest ones with a margin above P)
   and the scenario's own mix are re-run with {confirm} replications on seed {cseed} (seed +
   {step}), which shares no random draw with the search. The winner is the cheapest finalist
   whose re-run P(meet) is at least P for every required target. A winner picked on a small
   sample tends to look better than it is; this re-run is what makes the result honest.
"""


def markdown(result: Result) -> str:
    s, sc = result.settings, result.scenario
    P = s.probability
    lines = [f"# Cheapest lever mix with P(meet) ≥ {P:g}: {sc.scenario.title}", "",
             f"Scenario `{sc.scenario.name}` ({result.origin}), hash `{sc.digest()}`; written "
             f"{dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M UTC')}.", "", "## Headline", "", headline(result), ""]
    lines += ["## Method and why", "", METHOD.format(probe=s.probe, elites=s.elites, confirm=s.confirm,
                                                      cseed=result.confirm_seed, step=CONFIRM_SEED_STEP), ""]
    cap = f"{s.budget_max:,.0f} 万元/year" if s.budget_max is not None else "none"
    settings = [["required probability P", f"{P:g}"],
                ["chosen targets", ", ".join(sc.targets[j].id for j in result.chosen)],
                ["cost cap (--budget-max)", cap],
                ["levers explored", f"{result.space.dim}: " + ", ".join(result.space.names)],
                ["replications per candidate (search)", str(s.replications)],
                ["generation 0", f"{s.initial} Latin-hypercube candidates + 3 anchors"],
                ["generations x population", f"{s.generations} x {s.population} (elites {s.elites})"],
                ["reach probe", f"{s.probe} replications"],
                ["finalists x confirmation replications", f"{s.finalists} (+ the scenario's own mix) x {s.confirm}"],
                ["seed (search) / confirmation seed", f"{result.seed} / {result.confirm_seed}"],
                ["behavioural parameters", result.parameters_mode],
                ["candidates evaluated", str(len(result.candidates))],
                ["runs", ", ".join(f"{k} {v}" for k, v in result.runs.items())
                 + f"; total {sum(result.runs.values())}"],
                ["wall time", f"{result.wall_seconds:.0f} s on {result.where}"]]
    lines += ["## Settings", "", *markdown_table(["setting", "value"], settings), ""]
    lines += ["## Levers", "",
              f"The winner's levers against {sc.scenario.name}'s own. Levers without a range keep their value. "
              "Platform counts and talent programmes cost nothing by themselves: they are paid out of the platform "
              "and talent grant channels, so the search may raise them freely, and only as many as the channel pays "
              "for are delivered. Read each count together with its channel.", "",
              *markdown_table(["lever", "unit", "range", "scenario", "winner", "change"], lever_rows(result),
                              right=(3, 4, 5)), ""]
    lines += ["## Cost per year (万元)", "",
              "Budget channels cost what is budgeted; the other items are unit costs times the lever (our "
              "estimates, model/costs.py; a scenario's [costs] overrides them).", "",
              *markdown_table(["item", "scenario", "winner", "change"], cost_rows(result), right=(1, 2, 3)), ""]
    lines += ["## P(meet) per target", "",
              f"P(meet) with Wilson 95% intervals: in the search ({s.replications} replications of seed "
              f"{result.seed}, the numbers the winner was picked on) and re-run on the fresh seed "
              f"{result.confirm_seed} ({s.confirm} replications), for the winner and for the scenario's own mix.", "",
              *markdown_table(["target", "id", "status", "winner, search", "winner, re-run", "scenario, re-run"],
                              target_rows_report(result)), ""]
    lines += ["## Targets left out: cannot reach P within the ranges, or not shown to", ""]
    if result.unreachable or result.uncertain:
        rows = []
        for j in [*result.unreachable, *result.uncertain]:
            r = result.reach[j]
            c = result.candidates[r.candidate]
            lo, hi = r.interval
            best = f"{100 * r.p:.1f}% ({r.k}/{r.n}) [{_pct(lo)}-{_pct(hi)}]"
            rows.append([_target_name(sc.targets[j]), r.status, best, str(r.n),
                         f"#{c.id} ({_phase_text(c)}, {c.cost:,.0f} 万元/year)"])
        lines += ["Each target's best P(meet) over the candidates of generation 0 (all levers at their high bound "
                  f"among them), re-run on {s.probe} more replications unless clearly above P, with its Wilson 95% "
                  "interval. 'unreachable': even the interval's upper end is below P. 'uncertain': the estimate is "
                  "below P but the interval does not rule P out. Both are left out of the constraint; the table "
                  "above shows what the winner gives them.", "",
                  *markdown_table(["target", "status", "best P(meet)", "runs", "best candidate"], rows), ""]
    else:
        lines += [f"None: every chosen target reached {P:g} in some candidate.", ""]
    lines += ["## Finalists", "", *markdown_table(
        ["candidate", "cost (万元/year)", "worst P, search", "worst P, re-run", "confirmed"],
        [[f"#{c.id} ({_phase_text(c)})", f"{c.cost:,.0f}", _pct(_worst(result, c.p)),
          _pct(_worst(result, c.p_confirm)), "yes" if _confirmed(result, c) else "no"] for c in result.finalists],
        right=(1, 2, 3)), ""]
    lines += ["## Files", "",
              "- `winner.toml`: the winner as a complete scenario file (`innosim run winner.toml`).",
              "- `candidates.csv`: every candidate: levers, cost, P(meet) per target in the search, and the re-run "
              "for finalists.",
              "- `optimize.json`: the numbers of this page.",
              "- `charts/optimize.png`, `.svg`: cost against the hardest required target's P(meet).", "",
              "![cost and P(meet) of every candidate](charts/optimize.png)", ""]
    return "\n".join(lines)


def _phase_text(c: Candidate) -> str:
    return {"plan": "the scenario's own mix", "all-high": "all levers high", "free-high": "unpriced levers high",
            "sample": "generation 0", "search": f"generation {c.generation}", "trim": "trim"}[c.phase]


def _worst(result: Result, p: np.ndarray) -> float:
    return float(p[result.required].min()) if result.required else 1.0


def _confirmed(result: Result, c: Candidate) -> bool:
    over = result.settings.budget_max is not None and c.cost > result.settings.budget_max + EPS
    return c.confirm is not None and not over and _worst(result, c.p_confirm) >= result.settings.probability - EPS


def terminal(result: Result) -> list[str]:
    sc = result.scenario
    lines = ["", headline(result), "",
             *text_table(["lever 政策", "unit", "scenario 原方案", "winner 最优", "change"],
                         [[r[0], r[1], r[3], r[4], r[5]] for r in lever_rows(result)], right=(2, 3, 4)), ""]
    lines.append(f"cost 成本: {result.winner.cost:,.0f} 万元/year against {result.plan.cost:,.0f} for "
                 f"{sc.scenario.name} ({result.winner.cost - result.plan.cost:+,.0f})")
    head = ["target 目标", "status", "search", f"re-run ({result.settings.confirm})", "scenario re-run"]
    lines += ["", *text_table(head, [[r[0], r[2], r[3], r[4], r[5]] for r in target_rows_report(result)]), ""]
    lines.append(f"runs: {sum(result.runs.values())} in {result.wall_seconds:.0f} s on {result.where}; "
                 f"seed {result.seed}, confirmation seed {result.confirm_seed}")
    return lines


def candidates_csv(result: Result, path: Path) -> None:
    ids = [t.id for t in result.scenario.targets]
    head = ["candidate", "phase", "generation", "cost_wan_per_year", "within_cap", "feasible_in_search",
            "worst_required_p", *result.space.names, *[f"p:{i}" for i in ids], *[f"p_rerun:{i}" for i in ids]]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(head)
        for c in result.candidates:
            over = result.settings.budget_max is not None and c.cost > result.settings.budget_max + EPS
            rerun = [f"{v:.4f}" for v in c.p_confirm] if c.confirm is not None else [""] * len(ids)
            w.writerow([c.id, c.phase, c.generation, f"{c.cost:.2f}", not over, _search_feasible(result, c),
                        f"{_worst(result, c.p):.4f}", *[f"{v:g}" for v in c.values], *[f"{v:.4f}" for v in c.p],
                        *rerun])


def summary_json(result: Result) -> dict:
    sc = result.scenario
    targets = []
    for j, t in enumerate(sc.targets):
        w, plan = result.winner, result.plan
        entry = {"id": t.id, "status": _status(result, j),
                 "winner_search_p": float(w.p[j]), "winner_rerun_p": float(w.p_confirm[j]),
                 "winner_rerun_ci95": list(wilson(int(w.confirm[:, j].sum()), w.confirm.shape[0])),
                 "scenario_rerun_p": float(plan.p_confirm[j])}
        if j in result.reach:
            r = result.reach[j]
            entry["best_p"], entry["best_p_runs"], entry["best_candidate"] = r.p, r.n, r.candidate
        targets.append(entry)
    return {"scenario": sc.scenario.name, "file": result.origin, "scenario_hash": sc.digest(),
            "probability": result.settings.probability, "budget_max": result.settings.budget_max,
            "chosen": [sc.targets[j].id for j in result.chosen],
            "unreachable": [sc.targets[j].id for j in result.unreachable],
            "confirmed": result.confirmed, "winner": result.winner.id,
            "winner_levers": dict(zip(result.space.names, map(float, result.winner.values), strict=True)),
            "winner_cost": result.winner.cost, "scenario_cost": result.plan.cost,
            "targets": targets, "seed": result.seed, "confirmation_seed": result.confirm_seed,
            "settings": {k: getattr(result.settings, k) for k in ("replications", "initial", "generations",
                                                                 "population", "confirm", "finalists", "probe")},
            "runs": result.runs, "wall_seconds": round(result.wall_seconds, 1), "where": result.where,
            "parameters": result.parameters_mode}


def chart(result: Result, lang: str):
    """Cost against the hardest required target's P(meet), every candidate; frontier, winner, scenario, P line."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    from .plotting import COLORS, SIZE, finish, use_cjk_font

    use_cjk_font()
    P = result.settings.probability
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    cap = result.settings.budget_max
    groups = {"opt_sample": ("plan", "all-high", "free-high", "sample"), "opt_search": ("search",),
              "opt_trim": ("trim",)}
    colours = {"opt_sample": "#9aa7b8", "opt_search": COLORS["band"], "opt_trim": COLORS["green"]}
    for key, phases in groups.items():
        cs = [c for c in result.candidates if c.phase in phases and not (cap is not None and c.cost > cap + EPS)]
        if cs:
            ax.scatter([c.cost / 1e4 for c in cs], [_worst(result, c.p) for c in cs], s=36, alpha=0.65,
                       color=colours[key], lw=0, label=tr(key, lang))
    over = [c for c in result.candidates if cap is not None and c.cost > cap + EPS]
    if over:
        ax.scatter([c.cost / 1e4 for c in over], [_worst(result, c.p) for c in over], s=30, marker="x",
                   color="#bbbbbb", label=tr("opt_over_cap", lang))
        ax.axvline(cap / 1e4, color="#888", lw=1.2, ls="-.", label=f"{tr('opt_cap', lang)} "
                   f"{tr('opt_cost', lang, v=f'{cap / 1e4:,.2f}')}")
    xs, ys = _frontier(result)
    if xs:
        ax.step(xs, ys, where="post", color="#333", lw=1.4, label=tr("opt_frontier", lang))
    ax.axhline(P, color=COLORS["target"], ls="--", lw=1.6, label=tr("opt_threshold", lang, p=f"{P:.0%}"))
    for c, key, marker, colour in ((result.plan, "opt_plan", "D", COLORS["base"]),
                                   (result.winner, "opt_winner" if result.confirmed else "opt_unconfirmed", "*",
                                    COLORS["red"] if not result.confirmed else "#d35400")):
        n = c.confirm.shape[0]
        y = _worst(result, c.p_confirm)
        j = _hardest(result, c.p_confirm)
        lo, hi = wilson(int(c.confirm[:, j].sum()), n) if j is not None else (1.0, 1.0)
        ax.errorbar([c.cost / 1e4], [y], yerr=[[y - lo], [hi - y]], fmt=marker, ms=18 if marker == "*" else 10,
                    color=colour, capsize=5, zorder=6, label=tr(key, lang, n=n))
        ax.annotate(tr("opt_cost", lang, v=f"{c.cost / 1e4:,.2f}"), (c.cost / 1e4, y), xytext=(14, 10),
                    textcoords="offset points", fontsize=13, color=colour, zorder=7,
                    bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 1.5})
    ax.set_ylim(-0.03, 1.08)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_ylabel(tr("opt_y", lang), fontsize=14)
    ax.grid(color="#e5e5e5", lw=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=12)
    # Candidates crowd the 0% floor and the top; the middle right is where the legend hides the least.
    finish(fig, ax, lang, tr("opt_title", lang, p=f"{P:.0%}"), tr("opt_x", lang), "center right")
    ax.set_title(tr("opt_title", lang, p=f"{P:.0%}"), fontsize=20, loc="left", pad=30)  # room for the subtitle
    legend = ax.get_legend()
    legend.set_zorder(10)  # over points and cost labels, on a white ground so neither shows through
    legend.set_frame_on(True)
    legend.get_frame().set(facecolor="white", edgecolor="none", alpha=0.9)
    ax.text(0, 1.01, tr("opt_subtitle", lang, scenario=result.scenario.scenario.name, k=len(result.required),
                        u=len(result.chosen) - len(result.required), p=f"{P:.0%}", n=result.settings.replications),
            transform=ax.transAxes, fontsize=12, color="#555", va="bottom")
    return fig


def _hardest(result: Result, p: np.ndarray) -> int | None:
    return min(result.required, key=lambda j: p[j]) if result.required else None


def _frontier(result: Result) -> tuple[list[float], list[float]]:
    """The highest worst-target P(meet) seen at or below each cost, among candidates within the cap."""
    cap = result.settings.budget_max
    cs = sorted((c for c in result.candidates if cap is None or c.cost <= cap + EPS), key=lambda c: c.cost)
    xs, ys, top = [], [], -1.0
    for c in cs:
        w = _worst(result, c.p)
        if w > top + EPS:
            xs.append(c.cost / 1e4)
            ys.append(w)
            top = w
    if xs:
        xs.append(max(c.cost for c in cs) / 1e4)
        ys.append(top)
    return xs, ys


def write_folder(result: Result, out: Path, lang: str) -> None:
    from .plotting import save
    from .results import atomic_folder

    try:
        with atomic_folder(out) as tmp:
            (tmp / "optimize.md").write_text(markdown(result), "utf-8")
            (tmp / "winner.toml").write_text(winner_toml(result), "utf-8")
            candidates_csv(result, tmp / "candidates.csv")
            (tmp / "optimize.json").write_text(json.dumps(summary_json(result), ensure_ascii=False, indent=2),
                                               "utf-8")
            save(chart(result, lang), tmp / "charts", "optimize")
    except OSError as exc:
        raise InputError(str(out), "--out", f"cannot write the results folder: {exc.strerror or exc}") from None
