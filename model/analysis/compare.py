"""Scenario comparison with common random numbers (`innosim compare A.toml B.toml [...]`).

Replication i of every scenario runs on the same seed, and each mechanism draws from its own
stream (sim.replication_streams), so replication i of A and of B share their luck: the same
baseline draw, the same posterior draw, the same growth shocks. The difference B_i - A_i is then
mostly the levers' doing, and its spread is far smaller than that of two independent ensembles.
Every alternative is read against the first scenario's targets, with paired bootstrap intervals.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..execution.ensemble import Ensemble
from ..months import december_row
from ..output.results import evaluate_target
from ..scenario import Scenario, Target, target_row
from ..targets import meets
from .stats import paired_difference

BOOTSTRAP = 2000
INDEPENDENT_OFFSET = 1_000_003  # seed step between scenarios with --independent


@dataclass
class Difference:
    """One target, one alternative against the reference, with 95% intervals: paired bootstrap for the
    median, Newcombe's paired score interval for P(meet)."""

    target: str
    indicator: str
    threshold: float
    scenario: str
    ref_p50: float
    alt_p50: float
    d_p50: float
    d_p50_low: float
    d_p50_high: float
    ref_p_meet: float
    alt_p_meet: float
    d_p_meet: float
    d_p_meet_low: float
    d_p_meet_high: float
    mean_diff: float
    sd_diff: float
    crn_factor: float  # var(B - A) / (var(A) + var(B)): 1 for independent runs, near 0 when CRN works


def target_values(ens: Ensemble, t: Target) -> np.ndarray:
    return ens.series(t.indicator)[:, target_row(ens.scenario, t)]


def paired(a: np.ndarray, b: np.ndarray, t: Target, scenario: str, rng: np.random.Generator) -> Difference:
    """Paired differences of replication-matched values a (reference) and b (alternative)."""
    ma, mb = meets(a, t), meets(b, t)
    idx = rng.integers(0, len(a), (BOOTSTRAP, len(a)))
    d_med = np.median(b[idx], axis=1) - np.median(a[idx], axis=1)
    lo_med, hi_med = np.quantile(d_med, [0.025, 0.975])
    _, lo_meet, hi_meet = paired_difference(ma, mb)
    d = b - a
    spread = a.var() + b.var()
    return Difference(t.id, t.indicator, t.threshold, scenario, float(np.median(a)), float(np.median(b)),
                      float(np.median(b) - np.median(a)), float(lo_med), float(hi_med),
                      float(ma.mean()), float(mb.mean()), float(mb.mean() - ma.mean()), float(lo_meet), float(hi_meet),
                      float(d.mean()), float(d.std(ddof=1)) if len(d) > 1 else 0.0,
                      float(d.var() / spread) if spread > 0 else 0.0)


def compare(ensembles: list[Ensemble], seed: int) -> list[Difference]:
    """Every alternative against the first ensemble, target by target (the first's targets)."""
    ref = ensembles[0]
    rng = np.random.default_rng(seed)
    out = []
    for ens in ensembles[1:]:
        for t in ref.scenario.targets:
            out.append(paired(target_values(ref, t), target_values(ens, t), t, ens.scenario.scenario.name, rng))
    return out


def targets_unlike(scenarios: list[Scenario], files: list[str]) -> str:
    """The alternatives that set the reference's targets differently (another indicator, year, comparator,
    threshold or tolerance, or none), e.g. 'bold.toml (high-tech-2026)'; '' when none does. Their own settings are
    not what they are read against: every scenario is read against the reference's targets."""
    def terms(t) -> tuple:
        return (t.indicator, t.year, t.comparator, t.threshold, t.tolerance)

    ref = {t.id: terms(t) for t in scenarios[0].targets}
    parts = []
    for sc, f in zip(scenarios[1:], files[1:], strict=True):
        own = {t.id: terms(t) for t in sc.targets}
        moved = [tid for tid, term in ref.items() if own.get(tid) != term]
        if moved:
            parts.append(f"{f} ({', '.join(moved)})")
    return "; ".join(parts)


def check_comparable(scenarios: list[Scenario], files: list[str]) -> None:
    ref = scenarios[0]
    if not ref.targets:
        raise InputError(files[0], "targets", "the reference scenario has no targets to compare on")
    for sc, f in zip(scenarios[1:], files[1:], strict=True):
        if sc.scenario.start != ref.scenario.start:
            raise InputError(f, "scenario.start", f"{sc.scenario.start} differs from the reference's "
                                                  f"{ref.scenario.start}; compared scenarios must start together")
        for t in ref.targets:
            if december_row(t.year, sc.scenario.start) > sc.months:
                raise InputError(f, "scenario.end", f"{sc.scenario.end} ends before the reference's target {t.id} "
                                                    f"({t.year})")


# ------------------------------------------------------------------ output
def signed_change(v: float, text: Callable[[float], str], interval: tuple[float, float] | None = None) -> str:
    """A change as printed: its size in `text`'s precision with a sign, and "*" when its 95% `interval` excludes 0.

    A change that prints as zero is "0", unsigned: "-0" read as a loss. One that prints as zero although its
    interval excludes 0 would read "0*", no change and a significant one at once; it prints the side its interval is
    on and the smallest step the precision shows, "+<0.01 pp*" or "-<1*": real, and smaller than that."""
    star = "*" if interval is not None and (interval[0] > 0 or interval[1] < 0) else ""
    shown, zero = text(abs(v)), text(0.0)
    if shown != zero:
        return ("-" if v < 0 else "+") + shown + star
    if not star:
        return zero
    return ("+" if interval[0] > 0 else "-") + "<" + _step(zero) + star


def _step(zero: str) -> str:
    """The smallest step a precision prints, from its zero: "0.00 pp" -> "0.01 pp", "0" -> "1"."""
    return re.sub(r"0(?=\D*$)", "1", zero)


def _end(v: float, text: Callable[[float], str]) -> str:
    """An interval's end, signed; one that prints as zero without being zero shows its side and the smallest step
    ("+<1"): "+<1* [0, +1]" read as a significant change beside an interval holding 0."""
    shown, zero = text(abs(v)), text(0.0)
    if shown != zero:
        return ("-" if v < 0 else "+") + shown
    return zero if v == 0 else ("+" if v > 0 else "-") + "<" + _step(zero)


def change_with_interval(v: float, low: float, high: float, text: Callable[[float], str]) -> str:
    """"+12* [+3, +20]": the change (signed_change, starred by its interval) and its 95% interval, in `text`'s units."""
    return f"{signed_change(v, text, (low, high))} [{_end(low, text)}, {_end(high, text)}]"


def points(x: float) -> str:
    """A change in P(meet) in whole percentage points, unsigned (signed_change signs it)."""
    return f"{100 * x:.0f}"


def _pp(x: float, interval: tuple[float, float] | None = None) -> str:
    return signed_change(x, points, interval)


def _units(indicator: str) -> Callable[[float], str]:
    """How a change in the indicator prints: in its own units, a change in a percentage in percentage points."""
    from ..indicators import INDICATORS
    from ..output.report import fmt

    pp = INDICATORS[indicator].unit == "%"
    return lambda x: fmt(indicator, x).replace("%", " pp") if pp else fmt(indicator, x)


def _delta(indicator: str, v: float, interval: tuple[float, float] | None = None) -> str:
    return signed_change(v, _units(indicator), interval)


NOTE_BELOW_PRECISION = ("+<1*, -<0.01 pp*: a change up (+) or down (-) smaller than the last digit printed, whose 95% "
                        "interval excludes 0")


def console(ensembles: list[Ensemble], diffs: list[Difference], meta: dict, lang: str = "zh") -> list[str]:
    """Two matrices, targets down and alternatives across: the change in P(meet) in percentage points, and the
    change in the indicator's P50 (a target far from its threshold moves in value, not in P(meet)), each with the star
    of its paired 95% interval.
    `lang` names the indicators; the heading is bilingual beside the Chinese names."""
    from ..indicators import indicator_name
    from ..output.report import fmt, text_table

    ref = ensembles[0].scenario
    alts = meta["scenarios"][1:]
    by = {(d.target, d.scenario): d for d in diffs}
    p_rows, v_rows = [], []
    for t in ref.targets:
        first = by[(t.id, alts[0])]
        ds = [by[(t.id, a)] for a in alts]
        p_rows.append([indicator_name(t.indicator, lang), f"{100 * first.ref_p_meet:.0f}%",
                       *[_pp(d.d_p_meet, (d.d_p_meet_low, d.d_p_meet_high)) for d in ds]])
        v_rows.append([indicator_name(t.indicator, lang), fmt(t.indicator, first.ref_p50),
                       *[_delta(t.indicator, d.d_p50, (d.d_p50_low, d.d_p50_high)) for d in ds]])
    kind = "common random numbers" if meta["common_random_numbers"] else "independent seeds"
    right = tuple(range(1, len(alts) + 2))
    target = "target 目标" if lang == "zh" else "target"
    return [f"P(meet) of the reference {meta['scenarios'][0]}, and the change in percentage points of each "
            f"alternative ({meta['replications']} paired replications, {kind}); * = the 95% interval excludes 0",
            *text_table([target, "reference", *alts], p_rows, right=right), "",
            "P50 of the reference, and the change in P50 of each alternative (its P50 minus the reference's), in the "
            "indicator's units; * = the 95% interval (a bootstrap of the replication pairs) excludes 0",
            *text_table([target, "reference P50", *alts], v_rows, right=right),
            *([NOTE_BELOW_PRECISION] if any("<" in c for r in p_rows + v_rows for c in r[2:]) else [])]


def markdown(ensembles: list[Ensemble], diffs: list[Difference], meta: dict) -> str:
    from ..indicators import INDICATORS
    from ..output.report import fmt, markdown_table

    ref = ensembles[0].scenario
    kind = ("common random numbers: replication i of every scenario runs on the same seed"
            if meta["common_random_numbers"] else "independent seeds per scenario (no common random numbers)")
    lines = [f"# Scenario comparison against {ref.scenario.title}", "",
             f"Reference `{meta['scenarios'][0]}` ({meta['files'][0]}); {meta['replications']} replications per "
             f"scenario, seed {meta['seed']}, {kind}; parameters `{meta['parameters']}`; {meta['wall_seconds']:.0f} s.",
             "Every scenario is read against the reference's targets, in December of the target year. Intervals are "
             f"95%: for the median a paired bootstrap ({meta['bootstrap']} resamples of the replication pairs), for "
             "P(meet) Newcombe's score interval for paired proportions. Δ P50 is the alternative's P50 minus the "
             "reference's; its interval resamples the replication pairs, so common random numbers narrow it. "
             "The CRN factor is var(B - A) / (var(A) + var(B)): 1 for independent runs; the smaller, the more "
             "precise the paired comparison. * = the 95% interval excludes 0; +<1 or -<0.01 pp: a change or an "
             "interval's end smaller than the last digit printed, on that side of 0.", "",
             *([f"Set the reference's targets otherwise (read against the reference's all the same): "
                f"{meta['targets_set_otherwise']}.", ""] if meta.get("targets_set_otherwise") else []),
             "![change in P(meet)](charts/compare-delta.png)", "", "![P50 against target](charts/compare.png)", ""]
    lines += ["## Change in P(meet), percentage points", ""]
    alts = meta["scenarios"][1:]
    by = {(d.target, d.scenario): d for d in diffs}
    rows = [[f"{INDICATORS[t.indicator].zh} ({t.id})", f"{100 * by[(t.id, alts[0])].ref_p_meet:.0f}%",
             *[change_with_interval(by[(t.id, a)].d_p_meet, by[(t.id, a)].d_p_meet_low, by[(t.id, a)].d_p_meet_high,
                                    points) for a in alts]] for t in ref.targets]
    lines += markdown_table(["target", f"{meta['scenarios'][0]}", *alts], rows, right=tuple(range(1, len(alts) + 2)))
    for a in alts:
        lines += ["", f"## {a} against {meta['scenarios'][0]}", ""]
        rows = []
        for t in ref.targets:
            d = by[(t.id, a)]
            ind = t.indicator
            rows.append([f"{INDICATORS[ind].zh} ({t.id})", fmt(ind, d.ref_p50), fmt(ind, d.alt_p50),
                         change_with_interval(d.d_p50, d.d_p50_low, d.d_p50_high, _units(ind)),
                         f"{100 * d.ref_p_meet:.0f}% → {100 * d.alt_p_meet:.0f}%",
                         change_with_interval(d.d_p_meet, d.d_p_meet_low, d.d_p_meet_high, points),
                         f"{d.crn_factor:.3f}"])
        head = ["target", "P50 ref", "P50 alt", "Δ P50 [95%]", "P(meet)", "Δ pp [95%]", "CRN factor"]
        lines += markdown_table(head, rows, right=(1, 2, 3, 5, 6))
    return "\n".join(lines) + "\n"


def write(out: Path, ensembles: list[Ensemble], diffs: list[Difference], meta: dict, lang: str) -> None:
    from ..output import plotting
    from ..output.briefing import legend_names
    from ..output.results import atomic_folder

    summaries = [{"title": e.scenario.scenario.title, "title_zh": e.scenario.scenario.title_zh,
                  "targets": [asdict(evaluate_target(e, t)) for t in ensembles[0].scenario.targets]}
                 for e in ensembles]
    with atomic_folder(out) as tmp:
        (tmp / "compare.md").write_text(markdown(ensembles, diffs, meta), "utf-8")
        rows = [asdict(d) for d in diffs]
        with (tmp / "compare.csv").open("w", newline="", encoding="utf-8") as fh:
            w = csv.DictWriter(fh, fieldnames=list(rows[0]))
            w.writeheader()
            w.writerows(rows)
        (tmp / "compare.json").write_text(json.dumps({**meta, "scenario_summaries": summaries, "differences": rows},
                                                     ensure_ascii=False, indent=2), "utf-8")
        names = legend_names(meta["scenarios"], summaries, lang)  # a copy of the plan keeps its title: add the name
        plotting.save(plotting.comparison(summaries, lang, names), tmp / "charts", "compare")
        reference = ensembles[0].scenario.scenario.title_in(lang)
        plotting.save(plotting.paired_differences(rows, meta["scenarios"], reference, lang,
                                                 meta["common_random_numbers"]), tmp / "charts", "compare-delta")
