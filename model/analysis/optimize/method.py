"""The cheapest lever mix that meets the chosen targets with probability at least P: the search.

See the package docstring (model/analysis/optimize/__init__.py) for the steps of the search.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np

from ...costs import total_annual_cost
from ...errors import InputError
from ...execution.context import RunContext
from ...execution.outcomes import evaluate, target_rows
from ...levers import LeverSpace, get
from ...output.phrases import plural
from ...scenario import Scenario, Target
from ..stats import wilson

CONFIRM_SEED_STEP = 1_000_003  # confirmation seed = seed + this: fresh streams, documented in optimize.md
PROBE_FACTOR = 3  # a reach probe adds 3x the search replications (4x in all)
EPS = 1e-9
RUN_PHASES = {"plan": "generation 0", "all-high": "generation 0", "free-high": "generation 0", "sample": "generation 0",
              "search": "generations", "trim": "trim"}


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

    def __init__(self, scenario: Scenario, space: LeverSpace, chosen: list[int], settings: Settings,
                 context: RunContext, log=print) -> None:
        self.scenario, self.space, self.chosen, self.settings = scenario, space, chosen, settings
        self.seed, self.pool, self.parameters = context.seed, context.pool, context.parameters
        self.targets: list[Target] = list(scenario.targets)
        self.rows, self.cols = target_rows(scenario, self.targets)
        self.rng = np.random.default_rng(np.random.SeedSequence(entropy=self.seed, spawn_key=(0x0A7,)))
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
        return (f"optimize: {plural(self.space.dim, 'lever')}, {plural(len(self.chosen), 'target')}, "
                f"P(meet) >= {s.probability:g}{cap}; about {total} runs on {self.pool.where}: generation 0 {gen0}, "
                f"{search_generations(s.generations, gens)}, "
                f"trim up to {trim}, confirmation {confirm} (seed {self.seed + CONFIRM_SEED_STEP}), plus "
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
        spread = np.maximum(units.std(axis=0), 0.2 * 0.5 ** (g - 1))
        out = []
        for k in range(s.population):
            centre = ranked[k % len(ranked)]
            u = units[k % len(ranked)] + spread * self.rng.standard_normal(self.space.dim)
            if self.feasible(centre):  # cost is certain, feasibility is not: look for cheaper mixes near it
                u[self.priced] *= self.rng.uniform(0.7, 1.0, int(self.priced.sum()))
            out.append(self.within_cap(self.snap(self.space.scale(np.clip(u, 0, 1)))))
        before = len(self.candidates)
        self.add(out, "search", g)  # a mix tried before is not run again
        self.log(f"  generation {g}: {plural(len(self.candidates) - before, 'new candidate')}, "
                 f"{len(self.candidates)} in all; {self._status()}")

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
        self.log(f"  trim: {plural(found, 'priced lever')} can be cut alone; {start / 1e4:,.2f} -> "
                 f"{best.cost / 1e4:,.2f} 亿元/year; {self._status()}")

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
        self.trim(0)  # the cuts of generation 0's best mix, numbered with it
        for g in range(1, self.settings.generations + 1):  # the search generations, 1 to --generations
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


def search_generations(n: int, runs: int) -> str:
    """The n search generations after generation 0, numbered as the log numbers them, and their runs:
    'generation 1 192', 'generations 1-3 576', 'no search generation'."""
    if n < 1:
        return "no search generation"
    return f"generation 1 {runs}" if n == 1 else f"generations 1-{n} {runs}"


def _step(name: str, span: float) -> float:
    if name.startswith("budget."):
        return 100.0
    if span <= 2:
        return 0.01
    return 0.1 if span <= 20 else 1.0


def winner_scenario(result: Result) -> Scenario:
    sc, p = result.scenario, format(result.settings.probability, "g")
    values = dict(zip(result.space.names, map(float, result.winner.values), strict=True))
    from ...levers import with_levers

    new = with_levers(sc, values)
    if not result.required:  # nothing held the search (winner_toml says so)
        suffix = "-cheapest-no-target"
        note, zh = f" — cheapest mix; no target reaches P(meet) ≥ {p}", f"；没有目标的达成概率能达到 ≥ {p}"
    else:
        suffix = "-cheapest-p" + format(result.settings.probability * 100, "g").replace(".", "-")
        note, zh = f" — cheapest mix with P(meet) ≥ {p}", f"，达成概率 ≥ {p}"
        if not result.confirmed:
            suffix, note, zh = suffix + "-unconfirmed", note + " (NOT confirmed)", zh + "，未经确认"
    zh = f"（成本最低的杠杆组合{zh}）"  # a Chinese title, where there is one, says what the file is too
    title_zh = sc.scenario.title_zh and sc.scenario.title_zh[:200 - len(zh)] + zh
    meta = new.scenario.model_copy(update={"name": sc.scenario.name[:80 - len(suffix)].rstrip("-") + suffix,
                                           "title": sc.scenario.title[:200 - len(note)] + note, "title_zh": title_zh})
    return new.model_copy(update={"scenario": meta, "extends": None})
