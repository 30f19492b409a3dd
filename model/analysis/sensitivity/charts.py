"""The sensitivity analysis charts: one bar chart per target (Morris mu*, or Sobol S1 and ST)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...output.labels import t as tx
from .method import MATTER_SHARE, Analysis, TargetIndices, matters
from .report import _num, _s, _unit, amount, indicator_label, lever_label, lever_range


def chart(a: Analysis, r: TargetIndices, scenario: str, lang: str, folder: Path, name: str) -> list[Path]:
    import matplotlib.pyplot as plt

    from ...output.plotting import SIZE, finish, save, use_cjk_font

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
    from ...output.plotting import COLORS

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

    from ...output.plotting import COLORS

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
