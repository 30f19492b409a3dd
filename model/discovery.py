"""`innosim discover`: which ranges of the levers make a target likely (scenario discovery with PRIM).

Lever mixes are sampled over the scenario's [ranges] (a seeded Latin hypercube) and run. For each
target, PRIM (Friedman & Fisher's Patient Rule Induction Method, written here in numpy) peels the
lever space, a few percent of the mixes at a time, towards the mixes where the target is met, then
keeps the largest box whose share of successful runs reaches the required probability and drops
the conditions that do not matter. The box is checked on fresh lever mixes drawn inside it, run on
fresh random seeds, because the in-sample share of a box chosen for being good is optimistic.

Every mix runs its own replication indices (no common random numbers): a box's probability is then
an average over many independent worlds (behavioural parameters drawn from the posterior, baseline
and process noise), not over the same handful of worlds shared by all mixes.
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .arguments import id_list, whole_number
from .arguments import probability as probability_arg
from .labels import t as tr
from .lever_registry import LEVERS, UNITS
from .levers import LeverSpace, label, unit, unit_text
from .parallel import Pool
from .parameters import ParameterSource
from .report import fmt, markdown_table
from .scenario import Scenario, Target, select_targets
from .stats import wilson

ALL = "all"  # the outcome "every chosen target met in the same run"
ALPHA = 0.05  # share of the box's mixes peeled off per step
MIN_SUPPORT = 0.05  # peeling stops before the box holds fewer than this share of the mixes
MIN_MIXES = 20  # ... or fewer mixes than this: a box of a handful of mixes is noise
NEAR_BEST = 0.02  # an unreachable target's best box keeps only conditions worth more than this
MARGIN = 0.03  # the box is chosen at the required probability plus this, then pruned down to it
SCREEN_LEVEL = 0.01  # family-wise level of the test that a lever matters at all
EDGE_NEAREST, EDGE_STEP = 20, 0.01  # mixes next to a limit that must reach the probability; step (share of range)

CMP_ZH = {">": "超过", ">=": "达到", "<": "低于", "<=": "不超过"}
CMP_EN = {">": ">", ">=": "≥", "<": "<", "<=": "≤"}


# ---------------------------------------------------------------------------------------- PRIM


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


# ------------------------------------------------------------------------------ lever values


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


def _decimals(step: float, scale: float = 1.0) -> int:
    return max(0, -math.floor(math.log10(step * scale) + 1e-9))


def lever_value(name: str, value: float, width: float, lang: str, with_unit: bool = True) -> str:
    """A lever value as a planner reads it: budgets in 亿元, shares in %, counts at the range's precision."""
    u = unit(name)
    scale = UNITS[u].scale
    step = nice_step(width)
    text = f"{value * scale:,.{_decimals(step, scale)}f}"
    if not with_unit:
        return text
    if u == "万元/year":
        return text + "亿元"  # 'at least 2.3亿元 a year' in both languages
    if u == "share":
        return text + "%"
    return text + UNITS[u].zh if lang == "zh" else text


def lever_axis(name: str, lang: str) -> str:
    shown = unit_text(name, lang)
    return f"{label(name, lang)} ({shown})" if shown else label(name, lang)


def condition(name: str, lo: float | None, hi: float | None, width: float, lang: str) -> str:
    """'每年新增市级平台不少于4.2家' / 'at least 4.2 municipal platforms a year'; lo or hi None = open."""
    lever = LEVERS[name]
    zh_subject, en_noun, style = lever.phrase_zh, lever.phrase_en, lever.style
    a = lever_value(name, lo, width, lang) if lo is not None else ""
    b = lever_value(name, hi, width, lang) if hi is not None else ""
    per_year = " a year" if name.startswith("budget.") else ""
    if lang == "zh":
        more, less = ("不少于", "不超过") if style == "count" else ("不低于", "不高于")
        if lo is not None and hi is not None:
            return f"{zh_subject}在{lever_value(name, lo, width, lang, False)}至{b}之间"
        return f"{zh_subject}{more}{a}" if lo is not None else f"{zh_subject}{less}{b}"
    if style == "count":
        if lo is not None and hi is not None:
            return f"{lever_value(name, lo, width, lang)} to {b} {en_noun}"
        return f"at least {a} {en_noun}" if lo is not None else f"at most {b} {en_noun}"
    if lo is not None and hi is not None:
        return f"{en_noun} of {a} to {b}{per_year}"
    return f"{en_noun} of at least {a}{per_year}" if lo is not None else f"{en_noun} of at most {b}{per_year}"


def box_conditions(box: Box, space: LeverSpace, order: list[int], lang: str) -> list[str]:
    out = []
    width = space.high - space.low
    for j in order:
        lo = space.low[j] + box.lo[j] * width[j] if box.lo[j] > 0 else None
        hi = space.low[j] + box.hi[j] * width[j] if box.hi[j] < 1 else None
        out.append(condition(space.names[j], lo, hi, width[j], lang))
    return out


# --------------------------------------------------------------------------------- targets


def target_phrase(t: Target | None, lang: str) -> str:
    """'2026年高新技术企业超过1,500家' / 'national high-tech firms > 1,500 in 2026'; None: all chosen targets."""
    from .indicators import INDICATORS
    from .labels import indicator_name

    if t is None:
        return tr("disc_all", lang)
    value = fmt(t.indicator, t.threshold)
    if lang == "zh":
        u = {"firms": "家", "platforms": "家", "incubators": "家", "people": "人", "scenarios": "项"}.get(
            INDICATORS[t.indicator].unit, "")
        about = "左右" if t.tolerance else ""
        value = value[:-1] + "倍" if value.endswith("x") else value
        return f"{t.year}年{indicator_name(t.indicator, 'zh')}{CMP_ZH[t.comparator]}{value}{u}{about}"
    about = " (about)" if t.tolerance else ""
    return f"{INDICATORS[t.indicator].label} {CMP_EN[t.comparator]} {value}{about} in {t.year}"


def pct(p: float) -> str:
    return "–" if p != p else f"{100 * p:.0f}%"


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
    without = importance(x, y, box)
    order = sorted(without, key=lambda j: (without[j], j))
    stats = box_stats(x, y, box)
    if not order:  # rounding can remove the last limit: judge the whole range then
        status = "whole" if stats.density >= threshold else "none"
    else:  # rounding inward can also lose the probability
        status = "box" if res.reached and stats.density >= threshold else "none"
    return Finding(id_, target, status, box, order, without, stats, whole)


def sentence(f: Finding, space: LeverSpace, probability: float, lang: str) -> str:
    """The finding in one sentence a planner can read."""
    return (_sentence_zh if lang == "zh" else _sentence_en)(f, box_conditions(f.box, space, f.order, lang),
                                                             probability)


def _sentence_zh(f: Finding, conds: list[str], probability: float) -> str:
    goal, density, p = target_phrase(f.target, "zh"), pct(f.stats.density), pct(probability)
    if f.status == "never":
        return f"{goal}：在各杠杆取值范围内的任何模拟中都未达成。"
    if f.status == "whole":
        return f"{goal}：在各杠杆的整个取值范围内概率约为{density}，无需附加杠杆条件。"
    if f.status == "none" and not conds:
        return f"{goal}：在取值范围内达不到{p}的概率，约为{density}，且没有杠杆能明显改变它。"
    if f.status == "none":
        return f"{goal}：在取值范围内达不到{p}的概率；最有利的组合（{'且'.join(conds)}）也仅约{density}（样本内估计）。"
    # lead with the fresh-run figure: the in-sample one is optimistic, the box was chosen on it
    check = f"样本内 {density}" + (f"；新模拟低于{p}，结论不稳" if f.validated < probability else "")
    if f.at_limits_runs:
        check += f"；各条件恰好取临界值时 {pct(f.at_limits)}" + ("，宜留有余量" if f.at_limits < probability else "")
    return f"若{'且'.join(conds)}，则{goal}的概率约为{pct(f.validated)}（新模拟验证；{check}）。"


def _sentence_en(f: Finding, conds: list[str], probability: float) -> str:
    goal, density, p = target_phrase(f.target, "en"), pct(f.stats.density), pct(probability)
    lead = goal[:1].upper() + goal[1:]
    if f.status == "never":
        return f"{lead}: not met in any run anywhere in the lever ranges."
    if f.status == "whole":
        return f"P({goal}) is about {density} across the whole range of the levers: no lever condition needed."
    if f.status == "none" and not conds:
        return f"{lead}: P ≥ {p} is not reached anywhere in the ranges (about {density}), and no lever changes it " \
               f"measurably."
    if f.status == "none":
        return (f"{lead}: P ≥ {p} is not reached anywhere in the ranges; the most favourable mixes "
                f"({' and '.join(conds)}) give about {density} (in-sample).")
    check = f"{density} in sample" + (f"; below {p} on fresh runs: not confirmed" if f.validated < probability else "")
    if f.at_limits_runs:
        check += f"; {pct(f.at_limits)} with every condition exactly at its limit" + (
            ": keep clear of the limits" if f.at_limits < probability else "")
    return f"With {' and '.join(conds)}, P({goal}) is about {pct(f.validated)} on fresh runs ({check})."


# ----------------------------------------------------------------------------- running mixes


def run_mixes(scenario: Scenario, space: LeverSpace, unit_points: np.ndarray, targets: list[Target],
              replications: int, seed: int, pool: Pool, parameters: ParameterSource, first_replication: int = 0,
              desc: str = "runs") -> np.ndarray:
    """values[mix, replication, target]; no two mixes share random draws (outcomes.evaluate, independent)."""
    from .outcomes import evaluate

    points = [space.apply(scenario, p) for p in space.scale(unit_points)]
    return evaluate(points, targets, replications, seed, pool, parameters, first_replication, independent=True,
                    desc=desc).values


def met_matrix(values: np.ndarray, targets: list[Target]) -> np.ndarray:
    """met[mix, replication, outcome]: each target, then all of them together."""
    from .results import meets

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


# ------------------------------------------------------------------------------------ command


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario TOML file with a [ranges] table")
    p.add_argument("--targets", type=id_list, metavar="ID,ID", help="target ids (default: all the scenario's targets)")
    p.add_argument("--levers", type=id_list, metavar="NAME,NAME",
                   help="levers to explore (default: every lever with a range)")
    p.add_argument("--probability", type=probability_arg, default=0.8,
                   help="required probability of meeting a target (default 0.8)")
    p.add_argument("--samples", type=whole_number("samples", 20), default=800,
                   help="lever mixes sampled, Latin hypercube (default 800)")
    p.add_argument("--replications", "-n", type=whole_number("replications", 1), default=1,
                   help="runs per lever mix, each on its own random seed (default 1)")
    p.add_argument("--validation", type=whole_number("validation", 2), default=80,
                   help="fresh lever mixes drawn inside each box found, plus half as many at its limits, run on "
                        "fresh seeds to check it (default 80)")


def command(args: argparse.Namespace, pool: Pool, parameters: ParameterSource) -> int:
    from .results import atomic_folder, results_folder
    from .scenario import load_scenario

    t0 = time.perf_counter()
    scenario = load_scenario(args.scenario)
    targets = select_targets(scenario, args.targets, args.scenario)
    space = LeverSpace.from_scenario(scenario, args.levers, origin=args.scenario)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    out = results_folder(args.out, scenario, "discover")
    n, reps = args.samples, args.replications
    check = (args.validation + max(1, args.validation // 2)) * reps
    print(f"discover: {space.dim} levers, {len(targets)} targets; {n} lever mixes x {reps} run(s) = {n * reps} "
          f"runs, then {check} runs to check each box found (at most {len(targets) + 1} boxes), on {pool.where}",
          flush=True)

    x = sample_unit(n, space.dim, seed, 1)
    values = run_mixes(scenario, space, x, targets, reps, seed, pool, parameters, desc="sample")
    met = met_matrix(values, targets)
    y = met.mean(axis=1)
    findings = [find(x, y[:, k], space, args.probability, t.id if t else ALL, t, reps)
                for k, t in enumerate([*targets, None])]
    validation_runs = validate(findings, scenario, space, targets, args, seed, pool, parameters, n * reps)
    wall = time.perf_counter() - t0

    info = {"scenario": scenario, "file": args.scenario, "seed": seed, "samples": n, "replications": reps,
            "validation": args.validation, "validation_runs": validation_runs, "wall": wall,
            "probability": args.probability, "parameters": parameters.mode, "where": pool.where}
    with atomic_folder(out) as tmp:
        write_samples(tmp / "samples.csv", space, x, values, y, targets)
        write_boxes(tmp / "boxes.csv", findings, space, args.probability)
        charts = write_charts(tmp, findings, space, x, y, args.probability, reps, args.lang)
        (tmp / "discovery.md").write_text(markdown(findings, space, info, charts), "utf-8")
    for f in findings:
        print(sentence(f, space, args.probability, args.lang))
    print(f"\n{n * reps + validation_runs} runs in {wall:.0f} s; wrote {out}/ (discovery.md, boxes.csv, samples.csv, "
          f"charts/)")
    return 0


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
             args: argparse.Namespace, seed: int, pool: Pool, parameters: ParameterSource, used: int) -> int:
    """Run fresh mixes inside every box that claims the probability, and at its limits, on replication
    indices after the `used` ones; a box shared by several outcomes is run once."""
    boxes: dict[tuple, list[Finding]] = {}
    for f in findings:
        if f.status == "box":
            boxes.setdefault((tuple(f.box.lo), tuple(f.box.hi)), []).append(f)
    if not boxes:
        return 0
    inside, edge, reps = args.validation, max(1, args.validation // 2), args.replications
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


# ------------------------------------------------------------------------------------- files


def write_samples(path: Path, space: LeverSpace, x: np.ndarray, values: np.ndarray, y: np.ndarray,
                  targets: list[Target]) -> None:
    import csv

    lever_values = space.scale(x)
    ids = [t.id for t in targets]
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["mix", *space.names, *(f"p_meet:{i}" for i in [*ids, ALL]), *(f"median:{i}" for i in ids)])
        med = np.median(values, axis=1)
        for i in range(len(x)):
            w.writerow([i, *(f"{v:.6g}" for v in lever_values[i]), *(f"{v:.4g}" for v in y[i]),
                        *(f"{v:.6g}" for v in med[i])])


BOX_HEAD = ["target", "indicator", "year", "comparator", "threshold", "status", "probability", "lever", "label_zh",
            "label_en", "unit", "low", "high", "range_low", "range_high", "p_without_condition", "p_meet_in_box",
            "coverage", "support", "mixes_in_box", "p_meet_whole_range", "p_meet_fresh", "fresh_low", "fresh_high",
            "fresh_runs", "p_meet_at_limits", "at_limits_low", "at_limits_high", "at_limits_runs"]


def write_boxes(path: Path, findings: list[Finding], space: LeverSpace, probability: float) -> None:
    """One row per condition of every box (one row without a lever when no condition is needed)."""
    import csv

    def num(v: float) -> str:
        return "" if v != v else f"{v:.6g}"

    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(BOX_HEAD)
        for f in findings:
            t = f.target
            head = [f.id, t.indicator if t else "", t.year if t else "", t.comparator if t else "",
                    num(t.threshold) if t else "", f.status, probability]
            tail = [num(f.stats.density), num(f.stats.coverage), num(f.stats.support), f.stats.n, num(f.whole),
                    num(f.validated), num(f.validated_ci[0]), num(f.validated_ci[1]), f.validated_runs,
                    num(f.at_limits), num(f.at_limits_ci[0]), num(f.at_limits_ci[1]), f.at_limits_runs]
            if not f.order:
                w.writerow([*head, *[""] * 9, *tail])
            for j in f.order:
                name = space.names[j]
                width = space.high[j] - space.low[j]
                lo = space.low[j] + f.box.lo[j] * width
                hi = space.low[j] + f.box.hi[j] * width
                w.writerow([*head, name, label(name, "zh"), label(name, "en"), unit(name), num(lo), num(hi),
                            num(space.low[j]), num(space.high[j]), num(f.without[j]), *tail])


def markdown(findings: list[Finding], space: LeverSpace, info: dict, charts: dict[str, str]) -> str:
    sc = info["scenario"]
    p = pct(info["probability"])
    n, r = info["samples"], info["replications"]
    lines = [f"# Scenario discovery: {sc.scenario.title}", "",
             f"Scenario `{sc.scenario.name}` ({info['file']}), seed {info['seed']}, behavioural parameters "
             f"`{info['parameters']}`, required probability {p}. {n} lever mixes x {r} run(s) = {n * r} runs, "
             f"plus {info['validation_runs']} runs checking the boxes on fresh mixes and seeds; "
             f"{info['wall']:.0f} s on {info['where']}.", "",
             "## Findings 结论", ""]
    for f in findings:
        lines += [f"- {sentence(f, space, info['probability'], 'zh')}",
                  f"  {sentence(f, space, info['probability'], 'en')}"]
    lines += ["", "## Method", "",
              f"- {n} lever mixes from a Latin hypercube (seeded by the seed) over the {space.dim} levers below. "
              f"Each mix runs {r} replication(s) with its own replication indices, so no two mixes share random "
              f"draws: a box's P(meet) averages over as many independent worlds (posterior parameter draw, "
              f"baseline, process noise) as it holds runs, instead of over the same few worlds for every mix. "
              f"With a fixed number of runs, more mixes with fewer runs each estimate a box's P(meet) at least as "
              f"well and place its limits more precisely.",
              f"- Screen: a lever can only enter a box if its value changes the share of successful runs at all "
              f"(chi-square test over 10 bins of the lever, family-wise level {SCREEN_LEVEL:g} over the levers). "
              f"Without it, PRIM's greedy peeling in {space.dim} dimensions picks up levers that only noise favoured.",
              f"- PRIM (patient rule induction, our numpy implementation): starting from the whole range, each "
              f"step peels {ALPHA:.0%} of the box's mixes off the low or high end of one screened lever, the peel "
              f"leaving the highest share of successful runs, until the box holds {MIN_SUPPORT:.0%} of the mixes "
              f"(at least {MIN_MIXES}). "
              f"The chosen box is the one on this trajectory with the largest coverage among those whose P(meet) is "
              f"at least {p} plus {MARGIN * 100:.0f} points (or {p} if none is); then every limit whose removal "
              f"keeps P(meet) at least {p} is dropped, then every lever whose limits exclude mixes that do not do "
              f"significantly worse than the box (one-sided binomial test, 1%), so only the levers that matter "
              f"remain. If no box reaches {p}, the densest box is shown, without the limits worth less than "
              f"{NEAR_BEST * 100:.0f} points. Limits are rounded to a twentieth of the lever's range (1, 2 or 5 "
              f"x 10^k) and every number below is for the rounded box.",
              "- P(meet) in box: share of the sampled runs inside the box meeting the target (in-sample: optimistic, "
              "because the box was chosen for being good). Coverage: share of all successful runs that fall inside "
              "the box. Support: share of the sampled mixes inside it. 'Without this condition': P(meet) of the box "
              "if that lever's limit were dropped (how much the condition matters).",
              f"- Check on fresh runs: {info['validation']} new lever mixes drawn inside each box (Latin hypercube, "
              f"levers without a condition over their whole range), each with {r} run(s) on replication indices "
              f"never used in the sample; 95% Wilson interval. This is the number to quote. Boxes without "
              f"conditions need no check: nothing was selected.",
              f"- P(meet) in a box is an average over the mixes inside it: mixes deep inside do better, mixes right "
              f"at a limit worse. So each limit of a box that reaches {p} is then moved inward (1% of the range at "
              f"a time) while the {EDGE_NEAREST} sampled mixes of the box nearest to it, and then the "
              f"{EDGE_NEAREST} nearest to the corner where every limit binds, meet the target significantly less "
              f"often than {p} (one-sided binomial test, 5%). And {max(1, info['validation'] // 2)} more fresh "
              f"mixes put every conditioned lever exactly at its limit (the other levers over their whole range): "
              f"what a planner gets who does just what the conditions ask. When that is below {p}, the sentence "
              f"says to keep clear of the limits (the target's boundary runs close to the corner, or levers "
              f"combine, e.g. scenarios a year x the share for attracted firms, which a box cannot follow).",
              "- Outcome `all`: every chosen target met in the same run.", "",
              "## Boxes", ""]
    for f in findings:
        lines += finding_section(f, space, info, charts)
    lines += ["## Levers explored", ""]
    rows = [[f"{label(nm, 'zh')} / {label(nm, 'en')}", f"`{nm}`",
             f"{lever_value(nm, lo, hi - lo, 'zh')} - {lever_value(nm, hi, hi - lo, 'zh')}"]
            for nm, lo, hi in zip(space.names, space.low, space.high, strict=True)]
    lines += markdown_table(["杠杆 lever", "name", "范围 range"], rows)
    lines += ["", "## Files", "", "- `boxes.csv`: one row per condition of every box, with the statistics above.",
              "- `samples.csv`: every sampled mix, its lever values, P(meet) per target (`p_meet:<id>`, share of its "
              "runs) and the median of each target's indicator.", "- `charts/`: one chart per box with conditions, "
              "and the overview.", ""]
    return "\n".join(lines)


def finding_section(f: Finding, space: LeverSpace, info: dict, charts: dict[str, str]) -> list[str]:
    t = f.target
    head = f"### {f.id}: {target_phrase(t, 'zh')} / {target_phrase(t, 'en')}"
    lines = [head, ""]
    if t is not None:
        lines += [f"> {t.quote} ({t.source})", ""]
    lines += [sentence(f, space, info["probability"], "zh"), "", sentence(f, space, info["probability"], "en"), ""]
    if f.order:
        rows = []
        for j in f.order:
            nm, width = space.names[j], space.high[j] - space.low[j]
            lo = space.low[j] + f.box.lo[j] * width
            hi = space.low[j] + f.box.hi[j] * width
            full = f"{lever_value(nm, space.low[j], width, 'zh')} - {lever_value(nm, space.high[j], width, 'zh')}"
            rows.append([f"{label(nm, 'zh')} / {label(nm, 'en')}",
                         lever_value(nm, lo, width, "zh") if f.box.lo[j] > 0 else "–",
                         lever_value(nm, hi, width, "zh") if f.box.hi[j] < 1 else "–", full, pct(f.without[j])])
        lines += markdown_table(["杠杆 lever", "下限 low", "上限 high", "全范围 full range",
                                 "去掉该条件后 P without this condition"], rows, right=(1, 2, 4))
        lines.append("")
    s = f.stats
    check = (f"; on {f.validated_runs} fresh runs {pct(f.validated)} (95% interval {pct(f.validated_ci[0])} - "
             f"{pct(f.validated_ci[1])}); with every condition exactly at its limit {pct(f.at_limits)} on "
             f"{f.at_limits_runs} runs ({pct(f.at_limits_ci[0])} - {pct(f.at_limits_ci[1])})"
             if f.validated_runs else "")
    lines += [f"P(meet) in box {pct(s.density)} (in-sample){check}; whole range {pct(f.whole)}; coverage "
              f"{pct(s.coverage)}; support {pct(s.support)} ({s.n} mixes).", ""]
    if f.id in charts:
        lines += [f"![{f.id}]({charts[f.id]})", ""]
    return lines


# ------------------------------------------------------------------------------------ charts


def write_charts(folder: Path, findings: list[Finding], space: LeverSpace, x: np.ndarray, y: np.ndarray,
                 probability: float, reps: int, lang: str) -> dict[str, str]:
    """charts/discover-<id>.png/.svg for every box with conditions, and discover-overview; returns id -> png path."""
    from .plotting import save

    out = folder / "charts"
    files = {}
    for k, f in enumerate(findings):
        if f.order:
            fig = box_chart(f, space, x, y[:, k], probability, reps, lang)
            save(fig, out, f"discover-{f.id}")
            files[f.id] = f"charts/discover-{f.id}.png"
    save(overview_chart(findings, probability, lang), out, "discover-overview")
    files["overview"] = "charts/discover-overview.png"
    return files


def _display(name: str, values: np.ndarray) -> np.ndarray:
    u = unit(name)
    return values * (1e-4 if u == "万元/year" else 100 if u == "share" else 1)


def box_chart(f: Finding, space: LeverSpace, x: np.ndarray, y: np.ndarray, probability: float, reps: int,
              lang: str):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import PercentFormatter

    from .plotting import COLORS, SIZE, use_cjk_font

    use_cjk_font()
    fig, (ax, bars) = plt.subplots(1, 2, figsize=SIZE, layout="constrained", gridspec_kw={"width_ratios": [3.2, 1]})
    values = space.scale(x)
    width = space.high - space.low
    lo = space.low + f.box.lo * width
    hi = space.low + f.box.hi * width
    main = f.order[:2]
    rest = [j for j in f.order if j not in main]
    others = np.all([(x[:, j] >= f.box.lo[j]) & (x[:, j] <= f.box.hi[j]) for j in rest], axis=0) if rest \
        else np.ones(len(x), dtype=bool)
    cmap = plt.get_cmap("RdYlGn")
    if len(main) == 2:
        a, b = main
        xa, xb = _display(space.names[a], values[:, a]), _display(space.names[b], values[:, b])
        ax.scatter(xa[~others], xb[~others], c=y[~others], cmap=cmap, vmin=0, vmax=1, s=14, alpha=0.18, lw=0,
                   label=tr("disc_faded", lang) if rest else None)
        sc = ax.scatter(xa[others], xb[others], c=y[others], cmap=cmap, vmin=0, vmax=1, s=26, alpha=0.9,
                        edgecolor="#333", lw=0.3)
        (ra0, ra1), (rb0, rb1) = (_display(space.names[j], np.array([lo[j], hi[j]])) for j in (a, b))
        ax.add_patch(Rectangle((ra0, rb0), ra1 - ra0, rb1 - rb0, fill=False, ec="#1f3b73", lw=2.6,
                               label=tr("disc_box", lang)))
        ax.set_ylabel(lever_axis(space.names[b], lang), fontsize=14)
        cb = fig.colorbar(sc, ax=ax, pad=0.01, fraction=0.04)
        cb.set_label(tr("disc_colour", lang), fontsize=12)
        cb.ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        for j, setter in ((a, ax.set_xlim), (b, ax.set_ylim)):  # a margin so the box edges on a range end show
            ends = np.array([space.low[j], space.high[j]]) + np.array([-1, 1]) * 0.02 * width[j]
            setter(*_display(space.names[j], ends))
    else:
        a = main[0]
        edges = np.linspace(space.low[a], space.high[a], 11)
        idx = np.clip(np.searchsorted(edges, values[:, a], side="right") - 1, 0, 9)
        share = np.array([y[others & (idx == k)].mean() if np.any(others & (idx == k)) else np.nan for k in range(10)])
        e = _display(space.names[a], edges)
        ax.bar(e[:-1], share, width=np.diff(e), align="edge", color=[cmap(v) for v in np.nan_to_num(share)],
               ec="white")
        ax.bar([np.nan], [np.nan], color=cmap(0.85), label=tr("disc_binned", lang))  # legend entry only
        ra0, ra1 = _display(space.names[a], np.array([lo[a], hi[a]]))
        ax.axvspan(ra0, ra1, fill=False, ec="#1f3b73", lw=2.6, label=tr("disc_box", lang))
        ax.axhline(probability, color=COLORS["target"], ls="--", lw=1.5,
                   label=tr("disc_threshold", lang, p=f"{100 * probability:.0f}"))
        ax.set_ylim(0, 1.05)
        ax.set_ylabel(tr("disc_colour", lang), fontsize=14)
        ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlim(e[0], e[-1])
    ax.set_xlabel(lever_axis(space.names[a], lang), fontsize=14)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=12)
    ax.legend(fontsize=11, frameon=True, framealpha=0.9, loc="best")
    rest_text = "；".join(box_conditions(f.box, space, rest, lang)) if lang == "zh" \
        else "; ".join(box_conditions(f.box, space, rest, lang))
    key = "disc_title" if f.status == "box" else "disc_title_none"
    fig.suptitle(tr(key, lang, target=target_phrase(f.target, lang), p=f"{100 * probability:.0f}"), fontsize=19,
                 x=0.01, ha="left")
    sub = "disc_subtitle" if len(main) == 2 else "disc_subtitle_bars"
    ax.set_title(tr(sub, lang, r=reps, n=int(others.sum()), rest=rest_text or tr("disc_none", lang)), fontsize=11,
                 loc="left", color="#444", wrap=True)
    _probability_bars(bars, f, probability, lang)
    fig.get_layout_engine().set(rect=(0, 0.03, 1, 0.97))  # room for the source line
    fig.text(0.99, 0.005, tr("disc_source", lang), fontsize=10, color="#777", ha="right")
    return fig


def _probability_bars(ax, f: Finding, probability: float, lang: str) -> None:
    from matplotlib.ticker import PercentFormatter

    from .plotting import COLORS

    names = [tr(k, lang) for k in ("disc_whole", "disc_in_box", "disc_fresh", "disc_edge")]
    vals = [f.whole, f.stats.density, f.validated, f.at_limits]
    colors = ["#9a9a9a", "#7fa7d1", COLORS["band"], "#8e6bb0"]
    xs = np.arange(4)
    ax.bar(xs, np.nan_to_num(vals), color=colors, width=0.7)
    tops = list(np.nan_to_num(vals))
    for xi, v, (lo, hi) in ((2, f.validated, f.validated_ci), (3, f.at_limits, f.at_limits_ci)):
        if v == v:
            ax.errorbar([xi], [v], yerr=[[max(v - lo, 0.0)], [max(hi - v, 0.0)]], color="#222", capsize=5)
            tops[xi] = hi  # the label goes above the interval
    for xi, v, top in zip(xs, vals, tops, strict=True):
        ax.text(xi, top + 0.02, pct(v) if v == v else tr("disc_no_check", lang), ha="center",
                fontsize=13 if v == v else 10, color="#222" if v == v else "#777")
    ax.axhline(probability, color=COLORS["target"], ls="--", lw=1.5)
    ax.set_xticks(xs, names, fontsize=11, rotation=30, ha="right")
    ax.set_ylim(0, 1.1)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_title(tr("disc_bars_title", lang), fontsize=14, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=11)


def overview_chart(findings: list[Finding], probability: float, lang: str):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    from .plotting import COLORS, SIZE, use_cjk_font

    use_cjk_font()
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    ys = np.arange(len(findings))
    whole = np.array([f.whole for f in findings])
    best = np.array([f.validated if f.validated_runs else f.stats.density for f in findings])
    ax.barh(ys, whole, height=0.7, color="#c9c9c9", label=tr("disc_whole", lang))
    colors = [COLORS["green"] if f.status in ("whole", "box") and b >= probability else
              COLORS["amber"] if f.status == "box" else COLORS["red"] for f, b in zip(findings, best, strict=True)]
    ax.scatter(best, ys, s=90, color=colors, zorder=3, edgecolor="#222", lw=0.5,
               label=tr("disc_found", lang))
    for yi, f, b in zip(ys, findings, best, strict=True):
        status = {"whole": tr("disc_status_whole", lang), "box": tr("disc_status_box", lang, k=len(f.order)),
                  "none": tr("disc_status_none", lang), "never": tr("disc_status_none", lang)}[f.status]
        ax.text(1.04, yi, f"{pct(b)}  {status}", va="center", fontsize=11)
    labels = [target_phrase(f.target, lang) for f in findings]
    ax.set_yticks(ys, labels, fontsize=11)
    ax.invert_yaxis()
    ax.set_xlim(0, 1.42)  # room for the status text right of 100%
    ax.spines["bottom"].set_bounds(0, 1)
    ax.set_xticks(np.linspace(0, 1, 6))
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.axvline(probability, color=COLORS["target"], ls="--", lw=1.5,
               label=tr("disc_threshold", lang, p=f"{100 * probability:.0f}"))
    fig.suptitle(tr("disc_overview_title", lang), fontsize=19, x=0.01, ha="left")
    ax.set_xlabel(tr("disc_overview_x", lang), fontsize=14, loc="left")
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="x", color="#dddddd", lw=0.8)
    ax.legend(fontsize=11, frameon=False, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=3)
    fig.get_layout_engine().set(rect=(0, 0.03, 1, 0.97))  # room for the source line
    fig.text(0.99, 0.005, tr("disc_source", lang), fontsize=10, color="#777", ha="right")
    return fig

