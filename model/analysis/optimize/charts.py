"""The optimisation chart: cost against the worst P(meet) of every candidate, the frontier and the finalists."""

from __future__ import annotations

import numpy as np

from ...output.labels import t as tr
from ..stats import wilson
from .method import EPS, Result
from .report import _worst


def chart(result: Result, lang: str):
    """Cost against the hardest required target's P(meet), every candidate; frontier, winner, scenario, P line."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    from ...output.plotting import COLORS, SIZE, finish, use_cjk_font

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
