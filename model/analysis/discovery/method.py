"""Which ranges of the levers make a target likely: PRIM, the boxes it finds, and their check on fresh runs.

See the package docstring (model/analysis/discovery/__init__.py) for the design.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ...execution.context import RunContext
from ...execution.parallel import Pool
from ...levers import LeverSpace
from ...parameters import ParameterSource
from ...scenario import Scenario, Target
from ..stats import wilson

ALL = "all"  # the outcome "every chosen target met in the same run"
ALPHA = 0.05  # share of the box's mixes peeled off per step
MIN_SUPPORT = 0.05  # peeling stops before the box holds fewer than this share of the mixes
MIN_MIXES = 20  # ... or fewer mixes than this: a box of a handful of mixes is noise
NEAR_BEST = 0.02  # an unreachable target's best box keeps only conditions worth more than this
MARGIN = 0.03  # the box is chosen at the required probability plus this, then pruned down to it
SCREEN_LEVEL = 0.01  # family-wise level of the test that a lever matters at all
EDGE_NEAREST, EDGE_STEP = 20, 0.01  # mixes next to a limit that must reach the probability; step (share of range)


@dataclass(frozen=True)
class Box:
    """Limits in unit coordinates ([0, 1] per lever); 0 and 1 mean unrestricted."""

    lo: np.ndarray
    hi: np.ndarray

    @classmethod
    def full(cls, dim: int) -> Box:
        return cls(np.zeros(dim), np.ones(dim))

    def inside(self, x: np.ndarray) -> np.ndarray:
        return np.all((x >= self.lo) & (x <= self.hi), axis=1)

    def restricted(self) -> list[int]:
        return [j for j in range(len(self.lo)) if self.lo[j] > 0 or self.hi[j] < 1]

    def relaxed(self, j: int, side: str = "both") -> Box:
        lo, hi = self.lo.copy(), self.hi.copy()
        if side in ("low", "both"):
            lo[j] = 0.0
        if side in ("high", "both"):
            hi[j] = 1.0
        return Box(lo, hi)


@dataclass(frozen=True)
class Stats:
    density: float  # mean outcome inside: P(meet) in the box
    coverage: float  # share of all successes that fall inside
    support: float  # share of the mixes inside
    n: int  # mixes inside


def box_stats(x: np.ndarray, y: np.ndarray, box: Box) -> Stats:
    inside = box.inside(x)
    n = int(inside.sum())
    total = float(y.sum())
    density = float(y[inside].mean()) if n else float("nan")
    coverage = float(y[inside].sum()) / total if total > 0 else float("nan")
    return Stats(density, coverage, n / len(y), n)


def peel(x: np.ndarray, y: np.ndarray, alpha: float = ALPHA, min_support: float = MIN_SUPPORT) -> list[Box]:
    """The peeling trajectory: each step cuts the alpha-quantile off one side of one lever, the cut
    that leaves the highest mean outcome (ties: the one keeping more mixes)."""
    n, d = x.shape
    min_count = max(math.ceil(min_support * n), min(MIN_MIXES, n // 4))
    box, mask = Box.full(d), np.ones(n, dtype=bool)
    trajectory = [box]
    while y[mask].mean() < 1.0:
        best = None
        for j in range(d):
            xj = x[mask, j]
            for side, cut in (("low", np.quantile(xj, alpha)), ("high", np.quantile(xj, 1 - alpha))):
                keep = mask & ((x[:, j] >= cut) if side == "low" else (x[:, j] <= cut))
                k = int(keep.sum())
                if k == int(mask.sum()) or k < min_count:
                    continue
                key = (float(y[keep].mean()), k)
                if best is None or key > best[0]:
                    best = (key, j, side, float(cut), keep)
        if best is None:
            break
        _, j, side, cut, mask = best
        lo, hi = box.lo.copy(), box.hi.copy()
        (lo if side == "low" else hi)[j] = cut
        box = Box(lo, hi)
        trajectory.append(box)
    return trajectory


def choose(x: np.ndarray, y: np.ndarray, trajectory: list[Box], threshold: float,
           margin: float = MARGIN) -> tuple[int, bool]:
    """Index of the box with the largest coverage among those reaching `threshold` + `margin` (or, if none
    does, `threshold`), reached = True; else of the densest box, reached = False.

    The margin leaves the pruning room to drop the limits that only noise put there."""
    stats = [box_stats(x, y, b) for b in trajectory]
    for level in (threshold + margin, threshold):
        reaching = [i for i, s in enumerate(stats) if s.density >= level]
        if reaching:  # coverage falls along the trajectory, so this is the first box reaching it
            return max(reaching, key=lambda i: (stats[i].coverage, stats[i].support, -i)), True
    return max(range(len(stats)), key=lambda i: (stats[i].density, stats[i].support, -i)), False


def prune(x: np.ndarray, y: np.ndarray, box: Box, level: float) -> Box:
    """Drop, one at a time, the limit whose removal keeps the density highest, while it stays >= level."""
    while True:
        best = None
        for j in box.restricted():
            for side in ("low", "high"):
                if (side == "low" and box.lo[j] <= 0) or (side == "high" and box.hi[j] >= 1):
                    continue
                cand = box.relaxed(j, side)
                s = box_stats(x, y, cand)
                if s.density >= level and (best is None or (s.density, s.support) > best[0]):
                    best = ((s.density, s.support), cand)
        if best is None:
            return box
        box = best[1]


def drop_insignificant(x: np.ndarray, y: np.ndarray, box: Box, runs: int = 1, level: float = 0.01) -> Box:
    """Drop, least significant first, the limits that exclude mixes doing no significantly worse than the box
    (one-sided binomial test on their runs at 1%, like EMA Workbench's quasi-p-values)."""
    from scipy.stats import binom

    while True:
        inside = box.inside(x)
        density = box_stats(x, y, box).density
        worst = None
        for j in box.restricted():
            for side in ("low", "high"):
                if (box.lo[j] if side == "low" else 1 - box.hi[j]) <= 0:
                    continue
                excluded = box.relaxed(j, side).inside(x) & ~inside
                m = int(excluded.sum()) * runs
                k = round(float(y[excluded].sum()) * runs)
                p_value = float(binom.cdf(k, m, density)) if m else 1.0
                if p_value > level and (worst is None or p_value > worst[0]):
                    worst = (p_value, j, side)
        if worst is None:
            return box
        box = box.relaxed(worst[1], worst[2])


def screen(x: np.ndarray, y: np.ndarray, runs: int = 1, level: float = SCREEN_LEVEL) -> list[int]:
    """The levers whose value changes the share of successful runs: chi-square test of successes and failures
    in up to 10 equal bins of the lever, at `level` divided by the number of levers (Bonferroni).

    PRIM's greedy peeling in many dimensions otherwise picks up levers that only noise favoured."""
    from scipy.stats import chi2_contingency

    n, d = x.shape
    bins = max(2, min(10, n // 20))
    keep = []
    for j in range(d):
        idx = np.minimum((x[:, j] * bins).astype(int), bins - 1)
        hits = np.bincount(idx, weights=y * runs, minlength=bins)
        counts = np.bincount(idx, minlength=bins) * runs
        table = np.array([hits, counts - hits])[:, counts > 0]
        if table.shape[1] < 2 or np.any(table.sum(axis=1) == 0):
            continue
        if chi2_contingency(table)[1] < level / d:
            keep.append(j)
    return keep


def _below(y: np.ndarray, near: np.ndarray, threshold: float, runs: int) -> bool:
    """Do these mixes meet the target significantly less often than `threshold` (one-sided binomial, 5%)?"""
    from scipy.stats import binom

    return bool(binom.cdf(round(float(y[near].sum()) * runs), len(near) * runs, threshold) < 0.05)


def _limit_gaps(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, j: int) -> np.ndarray:
    """Distance of each mix to lever j's nearest limit, as a share of the box's width (inf: no limit)."""
    w = hi[j] - lo[j]
    g_lo = (x[:, j] - lo[j]) / w if lo[j] > 0 else np.full(len(x), np.inf)
    g_hi = (hi[j] - x[:, j]) / w if hi[j] < 1 else np.full(len(x), np.inf)
    return np.minimum(g_lo, g_hi)


def tighten(x: np.ndarray, y: np.ndarray, box: Box, threshold: float, runs: int = 1, nearest: int = EDGE_NEAREST,
            step: float = EDGE_STEP, min_support: float = MIN_SUPPORT) -> Box:
    """Move limits inward, a step at a time, while the `nearest` mixes of the box next to a limit, then next to
    the corner where every limit binds, meet the target significantly less often than `threshold`.

    A box's density is an average: a planner who does exactly what the conditions ask is at the corner, where
    P(meet) can be much lower than inside (a target met from 2 incubators on: a box from 1.3 on still averages
    80%; two levers whose product matters: a box whose corner fails). Stops before the box gets too small to tell.
    """
    lo, hi = box.lo.copy(), box.hi.copy()
    least = max(2 * nearest, math.ceil(min_support * len(y)))
    dims = box.restricted()

    def move(j: int, side: str) -> None:
        if side == "low":
            lo[j] += step
        else:
            hi[j] -= step

    for j in dims:
        for side in ("low", "high"):
            while lo[j] > 0 if side == "low" else hi[j] < 1:
                inside = np.flatnonzero(Box(lo, hi).inside(x))
                if len(inside) < least:
                    break
                gap = x[inside, j] - lo[j] if side == "low" else hi[j] - x[inside, j]
                if not _below(y, inside[np.argsort(gap, kind="stable")[:nearest]], threshold, runs):
                    break
                move(j, side)
    while len(dims) > 1:
        inside = np.flatnonzero(Box(lo, hi).inside(x))
        if len(inside) < least:
            break
        corner = np.max([_limit_gaps(x[inside], lo, hi, j) for j in dims], axis=0)  # Chebyshev distance
        if not _below(y, inside[np.argsort(corner, kind="stable")[:nearest]], threshold, runs):
            break
        # Move the limit that keeps the most successful runs in the box.
        options = [(j, side) for j in dims for side in ("low", "high") if (lo[j] > 0 if side == "low" else hi[j] < 1)]
        kept = []
        for j, side in options:
            cand_lo, cand_hi = lo.copy(), hi.copy()
            (cand_lo if side == "low" else cand_hi)[j] += step if side == "low" else -step
            kept.append(float(y[Box(cand_lo, cand_hi).inside(x)].sum()))
        move(*options[int(np.argmax(kept))])
    return Box(lo, hi)


@dataclass
class PrimResult:
    box: Box
    reached: bool
    levers: list[int]  # the levers that passed the screen, the only ones PRIM could restrict


def prim(x: np.ndarray, y: np.ndarray, threshold: float, runs: int = 1, alpha: float = ALPHA,
         min_support: float = MIN_SUPPORT) -> PrimResult:
    """The box where the mean of y (in [0, 1]) is at least `threshold`, with as many of the successes as possible.

    x: points in unit coordinates [0, 1]^d; y: share of each point's `runs` runs that succeed.
    Only screened levers are peeled. When no box reaches the threshold: the densest box, without the limits
    worth less than NEAR_BEST.
    """
    d = x.shape[1]
    levers = screen(x, y, runs)
    if not levers:
        full = Box.full(d)
        return PrimResult(full, box_stats(x, y, full).density >= threshold, [])
    sub = x[:, levers]
    trajectory = peel(sub, y, alpha, min_support)
    i, reached = choose(sub, y, trajectory, threshold)
    level = threshold if reached else box_stats(sub, y, trajectory[i]).density - NEAR_BEST
    found = drop_insignificant(sub, y, prune(sub, y, trajectory[i], level), runs)
    if reached:
        found = tighten(sub, y, found, threshold, runs)
    lo, hi = np.zeros(d), np.ones(d)
    lo[levers], hi[levers] = found.lo, found.hi
    return PrimResult(Box(lo, hi), reached, levers)


def importance(x: np.ndarray, y: np.ndarray, box: Box) -> dict[int, float]:
    """Per restricted lever, the density the box would have without that lever's condition."""
    return {j: box_stats(x, y, box.relaxed(j)).density for j in box.restricted()}


def nice_step(width: float) -> float:
    """The largest 1, 2 or 5 x 10^k not above a twentieth of the range: the precision limits are shown at."""
    raw = width / 20
    k = math.floor(math.log10(raw))
    return max(m * 10.0 ** k for m in (1, 2, 5) if m * 10.0 ** k <= raw + 1e-12)


def round_box(box: Box, space: LeverSpace) -> Box:
    """Limits rounded inward (a lower limit up, an upper limit down) to the displayed precision, so the box
    reported is the one checked and doing just what it says is at least as good as the limits found."""
    lo, hi = box.lo.copy(), box.hi.copy()
    width = space.high - space.low
    for j in box.restricted():
        step = nice_step(width[j])
        a, b = (space.low[j] + v * width[j] for v in (lo[j], hi[j]))
        r = [math.ceil(a / step - 1e-9) * step if lo[j] > 0 else space.low[j],
             math.floor(b / step + 1e-9) * step if hi[j] < 1 else space.high[j]]
        r = [min(max(v, space.low[j]), space.high[j]) for v in r]
        if r[0] >= r[1]:  # too narrow to round: keep it as found
            continue
        lo[j], hi[j] = (r[0] - space.low[j]) / width[j], (r[1] - space.low[j]) / width[j]
        lo[j] = 0.0 if lo[j] <= 1e-9 else lo[j]
        hi[j] = 1.0 if hi[j] >= 1 - 1e-9 else hi[j]
    return Box(lo, hi)


@dataclass
class Finding:
    """The discovered box of one outcome (a target, or all chosen targets together)."""

    id: str
    target: Target | None
    status: str  # "whole", "box", "none" (never reaches the probability), "never" (not met in any run)
    box: Box
    order: list[int]  # restricted levers, most important first
    without: dict[int, float]  # density without each restriction
    stats: Stats
    whole: float  # P(meet) over the whole sample
    validated: float = float("nan")
    validated_ci: tuple[float, float] = (float("nan"), float("nan"))
    validated_runs: int = 0
    at_limits: float = float("nan")  # fresh mixes with every conditioned lever exactly at its limit
    at_limits_ci: tuple[float, float] = (float("nan"), float("nan"))
    at_limits_runs: int = 0


def find(x: np.ndarray, y: np.ndarray, space: LeverSpace, threshold: float, id_: str,
         target: Target | None, runs: int = 1) -> Finding:
    whole = float(y.mean())
    if y.sum() == 0:
        return Finding(id_, target, "never", Box.full(space.dim), [], {}, box_stats(x, y, Box.full(space.dim)), whole)
    res = prim(x, y, threshold, runs)
    box = round_box(res.box, space)
    stats = box_stats(x, y, box)
    if not res.reached and box.restricted() and stats.density >= threshold:
        # Pruning and inward rounding can reach the probability where peeling did not (the plan's listed target,
        # 2026-12-06: a densest box at 83% in 54 mixes had been reported as 'not reached anywhere'): its limits are
        # pulled in as a reached box's are, and it is checked on fresh runs like any other.
        box = round_box(tighten(x, y, box, threshold, runs), space)
        stats = box_stats(x, y, box)
    without = importance(x, y, box)
    order = sorted(without, key=lambda j: (without[j], j))
    if not order:  # rounding can remove the last limit: judge the whole range then
        status = "whole" if stats.density >= threshold else "none"
    else:  # rounding inward can also lose the probability
        status = "box" if stats.density >= threshold else "none"
    return Finding(id_, target, status, box, order, without, stats, whole)


def run_mixes(scenario: Scenario, space: LeverSpace, unit_points: np.ndarray, targets: list[Target],
              replications: int, seed: int, pool: Pool, parameters: ParameterSource, first_replication: int = 0,
              desc: str = "runs") -> np.ndarray:
    """values[mix, replication, target]; no two mixes share random draws (outcomes.evaluate, independent)."""
    from ...execution.outcomes import evaluate

    points = [space.apply(scenario, p) for p in space.scale(unit_points)]
    return evaluate(points, targets, replications, seed, pool, parameters, first_replication, independent=True,
                    desc=desc).values


def met_matrix(values: np.ndarray, targets: list[Target]) -> np.ndarray:
    """met[mix, replication, outcome]: each target, then all of them together."""
    from ...targets import meets

    met = np.stack([meets(values[:, :, j], t) for j, t in enumerate(targets)], axis=-1)
    return np.concatenate([met, met.all(axis=-1, keepdims=True)], axis=-1)


def sample_unit(n: int, dim: int, seed: int, stream: int) -> np.ndarray:
    from scipy.stats import qmc

    gen = np.random.default_rng([seed, stream])
    try:
        sampler = qmc.LatinHypercube(d=dim, rng=gen)
    except TypeError:  # scipy < 1.15 names it seed
        sampler = qmc.LatinHypercube(d=dim, seed=gen)
    return sampler.random(n)


def validated_interval(met: np.ndarray) -> tuple[float, tuple[float, float]]:
    """P(meet) of fresh runs met[mix, replication] and its 95% Wilson interval; with several replications
    per mix, the sample size is shrunk by the design effect of runs clustered by mix."""
    mixes, reps = met.shape
    p = float(met.mean())
    n = mixes * reps
    if reps > 1 and 0 < p < 1 and mixes > 1:
        cluster = met.mean(axis=1).var(ddof=1) / mixes
        deff = max(1.0, cluster / (p * (1 - p) / n))
        n = n / deff
    return p, wilson(p * n, n)


def at_limits(box: Box, n: int, dim: int, seed: int, stream: int) -> np.ndarray:
    """n mixes with every conditioned lever exactly at its limit (a random end for a 'between' condition),
    the other levers over their whole range: what a planner gets who does just what the conditions ask."""
    u = sample_unit(n, dim, seed, stream)
    ends = np.random.default_rng([seed, stream, 1]).random((n, dim)) < 0.5
    for j in box.restricted():
        if box.lo[j] > 0 and box.hi[j] < 1:
            u[:, j] = np.where(ends[:, j], box.lo[j], box.hi[j])
        else:
            u[:, j] = box.lo[j] if box.lo[j] > 0 else box.hi[j]
    return u


def validate(findings: list[Finding], scenario: Scenario, space: LeverSpace, targets: list[Target],
             validation: int, replications: int, context: RunContext, used: int) -> int:
    """Run fresh mixes inside every box that claims the probability, and at its limits, on replication
    indices after the `used` ones; a box shared by several outcomes is run once."""
    boxes: dict[tuple, list[Finding]] = {}
    for f in findings:
        if f.status == "box":
            boxes.setdefault((tuple(f.box.lo), tuple(f.box.hi)), []).append(f)
    if not boxes:
        return 0
    inside, edge, reps = validation, max(1, validation // 2), replications
    seed, pool, parameters = context.seed, context.pool, context.parameters
    units = []
    for k, group in enumerate(boxes.values()):
        box = group[0].box
        units += [box.lo + sample_unit(inside, space.dim, seed, 2 + 2 * k) * (box.hi - box.lo),
                  at_limits(box, edge, space.dim, seed, 3 + 2 * k)]
    values = run_mixes(scenario, space, np.concatenate(units), targets, reps, seed, pool, parameters,
                       first_replication=used, desc="validation")
    met = met_matrix(values, targets)
    outcome = {t.id if t else ALL: j for j, t in enumerate([*targets, None])}
    per_box = inside + edge
    for k, group in enumerate(boxes.values()):
        part = met[k * per_box:(k + 1) * per_box]
        for f in group:
            f.validated, f.validated_ci = validated_interval(part[:inside, :, outcome[f.id]])
            f.at_limits, f.at_limits_ci = validated_interval(part[inside:, :, outcome[f.id]])
            f.validated_runs, f.at_limits_runs = inside * reps, edge * reps
    return len(boxes) * per_box * reps


@dataclass
class Discovery:
    """What `discover` found: the sampled mixes, their runs, and one finding per target and for all together."""

    targets: list[Target]
    x: np.ndarray  # sampled lever mixes, unit cube [mix, lever]
    values: np.ndarray  # each target's indicator [mix, replication, target]
    y: np.ndarray  # share of runs meeting each outcome [mix, outcome]: the targets, then all of them
    findings: list[Finding]
    validation_runs: int


def discover(scenario: Scenario, space: LeverSpace, targets: list[Target], context: RunContext,
             probability: float = 0.8, samples: int = 800, replications: int = 1, validation: int = 80) -> Discovery:
    """Sample `samples` lever mixes, run each `replications` times, find each outcome's box and check it on
    `validation` fresh mixes inside it plus half as many at its limits (see the package docstring)."""
    x = sample_unit(samples, space.dim, context.seed, 1)
    values = run_mixes(scenario, space, x, targets, replications, context.seed, context.pool, context.parameters,
                       desc="sample")
    y = met_matrix(values, targets).mean(axis=1)
    findings = [find(x, y[:, k], space, probability, t.id if t else ALL, t, replications)
                for k, t in enumerate([*targets, None])]
    runs = validate(findings, scenario, space, targets, validation, replications, context, samples * replications)
    return Discovery(list(targets), x, values, y, findings, runs)
