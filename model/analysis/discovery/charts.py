"""Scenario discovery charts: one per box with conditions (runs and the box on its two main levers) and the
overview of every outcome."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ...levers import LeverSpace, unit
from ...output.labels import t as tr
from .method import Finding
from .report import box_conditions, lever_axis, pct, target_phrase


def write_charts(folder: Path, findings: list[Finding], space: LeverSpace, x: np.ndarray, y: np.ndarray,
                 probability: float, reps: int, lang: str) -> dict[str, str]:
    """charts/discover-<id>.png/.svg for every box with conditions, and discover-overview; returns id -> png path."""
    from ...output.plotting import save

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

    from ...output.plotting import SIZE, use_cjk_font

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
    a = main[0]
    if len(main) == 2:
        _two_levers(fig, ax, space, x, y, values, (lo, hi), others, bool(rest), main, lang)
    else:
        _one_lever(ax, space, y, values, (lo, hi), others, a, probability, lang)
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

    from ...output.plotting import COLORS

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

    from ...output.plotting import COLORS, SIZE, use_cjk_font

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


def _two_levers(fig, ax, space: LeverSpace, x: np.ndarray, y: np.ndarray, values: np.ndarray, limits, others,
               faded: bool, main: list[int], lang: str) -> None:
    """The runs on the box's two main levers, coloured by their share meeting the target, and the box."""
    import matplotlib.pyplot as plt
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import PercentFormatter

    cmap = plt.get_cmap("RdYlGn")
    (lo, hi), width = limits, space.high - space.low
    a, b = main
    xa, xb = _display(space.names[a], values[:, a]), _display(space.names[b], values[:, b])
    ax.scatter(xa[~others], xb[~others], c=y[~others], cmap=cmap, vmin=0, vmax=1, s=14, alpha=0.18, lw=0,
               label=tr("disc_faded", lang) if faded else None)
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


def _one_lever(ax, space: LeverSpace, y: np.ndarray, values: np.ndarray, limits, others, a: int, probability: float,
              lang: str) -> None:
    """The share of runs meeting the target in ten bins of the box's one lever, and the box."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import PercentFormatter

    from ...output.plotting import COLORS

    cmap = plt.get_cmap("RdYlGn")
    lo, hi = limits
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
