"""Lever response curves: each lever moved alone across its range, on common random numbers.

What a planner asks first is "what does one more 亿元 a year on this channel buy?". A one-at-a-time
sweep answers it: for each lever, `points` values evenly spread over its [low, high] range (from the
scenario's `[ranges]` table) plus the scenario's own value, every other lever as in the scenario. All
points run the same replications (same seed, so the same firms, draws and lever effects), so the
difference between two points of a replication is the lever's doing. For each outcome target the
curve is P50, P10-P90 and P(meet) at each value; the effect of a lever is, per replication, the
least-squares slope of the target's indicator on the lever's annual cost (model/costs.py), read per
1亿元 a year, and summarised as P50 [P10-P90] over the replications. Platform and talent counts move
their budget channel by their unit grant (levers.channel_follows_counts), so they are priced too; a lever
whose value costs nothing (a share) is read per unit of the lever instead.

`sweep(...)` takes plain arguments (a RunContext) and returns a `Response` (`to_rows()`, `effects()`), so a
notebook can call it; `write_folder` writes the results folder of `innosim sensitivity --method sweep`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import levers as lv
from ..costs import total_annual_cost
from ..errors import InputError
from ..execution.context import RunContext
from ..execution.outcomes import Outcomes, evaluate
from ..indicators import COMMITMENTS, INDICATORS, indicator_name
from ..scenario import Scenario, Target

POINTS = 5
REPLICATIONS = 20
YI = 1e4  # 万元 in 1亿元


@dataclass(frozen=True)
class Curve:
    """One lever's points: its values and the scenario's annual cost (万元/year) at each."""

    lever: str
    values: np.ndarray
    costs: np.ndarray
    rows: slice  # the points' rows in Response.outcomes

    @property
    def priced(self) -> bool:
        """Does the lever's value change what the scenario costs (so an effect per 亿元 means something)?"""
        return float(np.ptp(self.costs)) > 1e-6


@dataclass
class Response:
    scenario: Scenario
    curves: list[Curve]
    outcomes: Outcomes  # values[point, replication, target]; point 0 is the scenario as it is
    seed: int

    @property
    def targets(self) -> list[Target]:
        return self.outcomes.targets

    def slopes(self, curve: Curve, j: int) -> np.ndarray:
        """Per replication: the least-squares slope of target j's indicator on the lever's cost (per 1亿元 a
        year) or, for an unpriced lever, on its value (per unit)."""
        x = curve.costs / YI if curve.priced else curve.values
        y = self.outcomes.values[curve.rows, :, j]  # points x replications
        xc = x - x.mean()
        return (xc[:, None] * (y - y.mean(axis=0))).sum(axis=0) / max(float((xc ** 2).sum()), 1e-12)

    def effects(self) -> list[dict]:
        """Per lever and target: the effect per 1亿元 a year (or per unit), P10 / P50 / P90 over replications."""
        out = []
        for c in self.curves:
            for j, t in enumerate(self.targets):
                q = np.quantile(self.slopes(c, j), (0.1, 0.5, 0.9))
                out.append({"lever": c.lever, "target": t.id, "indicator": t.indicator,
                            "per": "1亿元 a year" if c.priced else f"one more ({lv.unit(c.lever)})",
                            "p10": float(q[0]), "p50": float(q[1]), "p90": float(q[2])})
        return out

    def to_rows(self) -> list[dict]:
        """One row per lever, value and target: the curve's P10 / P50 / P90 and P(meet)."""
        p_meet, v = self.outcomes.p_meet, self.outcomes.values
        rows = []
        for c in self.curves:
            for k, i in enumerate(range(c.rows.start, c.rows.stop)):
                for j, t in enumerate(self.targets):
                    q = np.quantile(v[i, :, j], (0.1, 0.5, 0.9))
                    rows.append({"lever": c.lever, "value": float(c.values[k]), "annual_cost": float(c.costs[k]),
                                 "target": t.id, "indicator": t.indicator, "p10": float(q[0]),
                                 "p50": float(q[1]), "p90": float(q[2]), "p_meet": float(p_meet[i, j])})
        return rows


def outcome_targets(scenario: Scenario, targets: list[Target]) -> list[Target]:
    """Response curves are for outcomes: a commitment moves with its own lever by arithmetic."""
    return [t for t in targets if t.indicator not in COMMITMENTS]


def lever_values(scenario: Scenario, name: str, low: float, high: float, points: int) -> np.ndarray:
    """The values a lever is swept at: `points` across [low, high] and the scenario's own value."""
    return np.unique(np.append(np.linspace(low, high, points), lv.get(scenario, name)))


def runs(scenario: Scenario, space: lv.LeverSpace, points: int, replications: int) -> int:
    """Model runs a sweep costs: every value of every lever, and the scenario itself."""
    return replications * (1 + sum(len(lever_values(scenario, n, lo, hi, points))
                                   for n, lo, hi in zip(space.names, space.low, space.high, strict=True)))


def sweep(scenario: Scenario, space: lv.LeverSpace, targets: list[Target], context: RunContext,
          points: int = POINTS, replications: int = REPLICATIONS) -> Response:
    """Run every lever of `space` at `points` values across its range (and the scenario's own value)."""
    seed = context.seed
    targets = outcome_targets(scenario, targets)
    if not targets:
        raise InputError("--targets", ",".join(t.id for t in targets) or "(none)",
                         "response curves need at least one outcome target (commitments move by arithmetic)")
    scenarios, curves = [scenario], []
    for name, lo, hi in zip(space.names, space.low, space.high, strict=True):
        values = lever_values(scenario, name, lo, hi, points)
        mixes = [lv.with_levers(scenario, {name: float(x)}) for x in values]
        start = len(scenarios)
        scenarios += mixes
        curves.append(Curve(name, values, np.array([total_annual_cost(s) for s in mixes]),
                            slice(start, len(scenarios))))
    outcomes = evaluate(scenarios, targets, replications, seed, context.pool, context.parameters, desc="sweep")
    return Response(scenario, curves, outcomes, seed)


# ---------------------------------------------------------------------------------------------- output
def _amount(indicator: str, v: float) -> str:
    unit = INDICATORS[indicator].unit
    if unit == "%":
        return f"{v:+.2f} pp"
    if unit == "x":
        return f"{v:+.3f}x"
    return f"{v:+,.1f}" if abs(v) < 100 else f"{v:+,.0f}"


def effect_text(e: dict) -> str:
    return (f"{_amount(e['indicator'], e['p50'])} [{_amount(e['indicator'], e['p10'])} to "
            f"{_amount(e['indicator'], e['p90'])}]")


def markdown(r: Response, lang: str = "en") -> str:
    from ..output.report import target_cell

    sc = r.scenario.scenario
    effects = r.effects()
    lines = [f"# Lever response curves: {sc.title}", "",
             f"Scenario `{sc.name}`, {r.outcomes.values.shape[1]} replications per point (seed {r.seed}), common "
             "random numbers: every point runs the same firms and draws, the lever effects included. Each lever "
             "moves alone across its `[ranges]` range; the others stay as in the scenario.", "",
             "Effect = per replication, the slope of the target's value on the lever's annual cost, per 1亿元 a "
             "year (for a lever the cost model does not price, per unit of the lever); P50 [P10 to P90] over the "
             "replications. A range that straddles zero says the model cannot tell the lever's effect on this "
             "target from nothing at this many replications.", ""]
    for t in r.targets:
        lines += [f"## {indicator_name(t.indicator, lang)} ({t.id}): {target_cell(t.model_dump())}", "",
                  "| lever | effect | per | the range costs (亿元 a year) | P(meet) across the range |",
                  "|---|---|---|---|---|"]
        for c, e in zip(r.curves, [e for e in effects if e["target"] == t.id], strict=True):
            j = r.targets.index(t)
            pm = r.outcomes.p_meet[c.rows, j]
            cost = f"{c.costs[0] / YI:.2f} - {c.costs[-1] / YI:.2f}"
            lines.append(f"| {lv.label(c.lever, lang)} (`{c.lever}`) | {effect_text(e)} | {e['per']} | {cost} | "
                         f"{100 * pm[0]:.0f}% -> {100 * pm[-1]:.0f}% |")
        lines.append("")
    lines.append("Read an effect per 1亿元 only within what the lever's range costs: a cheap lever's slope, scaled to "
                 "1亿元, goes far beyond anything its range explored.")
    return "\n".join(lines)


def console(r: Response, lang: str = "en", top: int = 4) -> list[str]:
    """For each target, the levers with the largest P50 effect per 1亿元 a year."""
    out = []
    for t in r.targets:
        rows = [e for e in r.effects() if e["target"] == t.id and e["per"] == "1亿元 a year"
                and max(abs(e["p10"]), abs(e["p90"])) > 0]  # a lever that moved nothing in any replication
        rows.sort(key=lambda e: -abs(e["p50"]))
        if not rows:
            out.append(f"{indicator_name(t.indicator, lang)} ({t.id}): no priced lever moves it in any replication")
            continue
        out.append(f"{indicator_name(t.indicator, lang)} ({t.id}), per 1亿元 a year:")
        out += [f"  {lv.label(e['lever'], lang):<28} {effect_text(e)}" for e in rows[:top]]
    return out


def chart(r: Response, t: Target, lang: str, folder: Path, name: str) -> None:
    """One panel per lever: P50 and P10-P90 of the target's indicator across the lever's range, the target where its
    P(meet) is measured (an 'about' target's tolerance applied) and the scenario's own value."""
    import matplotlib.pyplot as plt

    from ..output.labels import scale, threshold, unit
    from ..output.labels import t as tx
    from ..output.plotting import save, source_line, use_cjk_font
    from ..targets import measured_threshold

    use_cjk_font()
    j, k = r.targets.index(t), scale(t.indicator)
    n = len(r.curves)
    cols = min(4, n)
    rows = -(-n // cols)
    goal = measured_threshold(t.threshold, t.comparator, t.tolerance) * k
    target = {"indicator": t.indicator, "comparator": t.comparator, "threshold": t.threshold,
              "tolerance": t.tolerance}
    # at least 9 in wide: one or two panels leave the title and the source line room
    height = 3.2 * rows + 1.6
    fig, axes = plt.subplots(rows, cols, figsize=(max(4.2 * cols, 9.0), height), squeeze=False)
    for i, (ax, c) in enumerate(zip(axes.flat, r.curves, strict=False)):
        v = r.outcomes.values[c.rows, :, j] * k
        x = np.array([lv.shown(c.lever, x) for x in c.values])
        ax.fill_between(x, np.quantile(v, 0.1, axis=1), np.quantile(v, 0.9, axis=1), color="#9ecae1", alpha=0.6,
                        label="P10-P90")
        ax.plot(x, np.median(v, axis=1), color="#08519c", lw=2, label="P50")
        ax.axhline(goal, color="#cb181d", lw=1, ls="--", label=f"{tx('target_line', lang)} {threshold(target, lang)}")
        ax.axvline(lv.shown(c.lever, lv.get(r.scenario, c.lever)), color="#636363", lw=1, ls=":",
                   label=tx("sweep_own", lang))
        ax.set_title(lv.label(c.lever, lang), fontsize=11, loc="left")
        ax.set_xlabel(lv.axis_unit(c.lever, lang), fontsize=9)
        if i % cols == 0:
            ax.set_ylabel(unit(t.indicator, lang), fontsize=9)
        ax.tick_params(labelsize=9)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    # pinned to a band of its own at the top: tight_layout lets the first row's panel titles climb into it otherwise
    fig.suptitle(tx("sweep_title", lang, name=indicator_name(t.indicator, lang)), fontsize=16, x=0.01, ha="left",
                 y=1 - 0.15 / height, va="top")
    # the legend in a row of its own under the panels (inside one it sat on the target line), the source under it
    fig.legend(*axes.flat[0].get_legend_handles_labels(), loc="lower center", bbox_to_anchor=(0.5, 0.25 / height),
               ncols=4, fontsize=9, frameon=False)
    source_line(fig, tx("source", lang), fontsize=9)
    fig.tight_layout(rect=(0, 0.6 / height, 1, 1 - 0.45 / height))
    save(fig, folder, name)


def write_folder(out: Path, r: Response, meta: dict, lang: str) -> None:
    from ..output.results import atomic_folder

    rows = r.to_rows()
    head = list(rows[0])
    csv = ",".join(head) + "\n" + "".join(",".join(str(row[k]) for k in head) + "\n" for row in rows)
    effects = r.effects()
    eh = list(effects[0])
    try:
        with atomic_folder(out) as tmp:
            (tmp / "response.md").write_text(markdown(r, lang), "utf-8")
            (tmp / "response.csv").write_text(csv, "utf-8")
            (tmp / "effects.csv").write_text(",".join(eh) + "\n" + "".join(
                ",".join(str(e[k]) for k in eh) + "\n" for e in effects), "utf-8")
            (tmp / "response.json").write_text(json.dumps({**meta, "effects": effects}, ensure_ascii=False,
                                                          indent=2) + "\n", "utf-8")
            for t in r.targets:
                for language in ("zh", "en"):
                    chart(r, t, language, tmp / "charts", f"response-{t.id}-{language}")
    except OSError as exc:
        raise InputError(str(out), "--out", f"cannot write the results folder: {exc.strerror or exc}") from None
