"""Briefing charts in one house style: fan charts, the target dashboard, scenario comparison.

Sized for 16:9 slides (13.33 x 7.5 in), written as PNG (200 dpi) and SVG. Chinese text uses Noto
Sans SC, shipped by the pylopdf-fonts-zh-cn package (SIL Open Font License 1.1) so that a fresh
machine without system CJK fonts renders real glyphs; system fonts are the fallback.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib import font_manager
from matplotlib import transforms as mtransforms
from matplotlib.ticker import MaxNLocator

from ..indicators import INDICATORS
from ..targets import threshold_measured
from .labels import CMP, dashboard_title, indicator_name, scale, t, threshold, unit
from .limits import KNOWN_LIMITS
from .readings import light, measured_value, percent, scenario_title
from .report import fmt

SIZE = (13.33, 7.5)
DPI = 200
COLORS = {"green": "#2e8b57", "amber": "#e0a100", "red": "#c0392b", "band": "#3b6ea5", "target": "#c0392b",
          "base": "#555555"}
COUNT_UNITS = frozenset({"firms", "incubators", "people", "platforms", "scenarios"})
# Legends sit on a white box: a reference line (a target, the 50% and 80% marks) that crosses the legend's corner
# then runs behind its text instead of through it.
LEGEND_BOX = {"frameon": True, "facecolor": "white", "edgecolor": "none", "framealpha": 0.9}
FALLBACK_FONTS = ["Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "WenQuanYi Micro Hei"]
_FONT: str | None = None
# Titles and names come from scenario files: "$x^{$" there must stay text, not fail as TeX (no chart of
# ours uses mathtext).
matplotlib.rcParams["text.parse_math"] = False


def use_cjk_font() -> str:
    """Register the bundled CJK font once; returns the family name used."""
    global _FONT
    if _FONT is None:
        try:
            import pylopdf_fonts_zh_cn

            path = str(pylopdf_fonts_zh_cn.sans_path())
            font_manager.fontManager.addfont(path)
            families = [font_manager.FontProperties(fname=path).get_name()]
        except ImportError:
            families = []
        matplotlib.rcParams["font.family"] = "sans-serif"
        matplotlib.rcParams["font.sans-serif"] = families + FALLBACK_FONTS + ["DejaVu Sans"]
        matplotlib.rcParams["svg.fonttype"] = "path"  # SVGs show the glyphs without the font installed
        _FONT = (families or FALLBACK_FONTS)[0]
    return _FONT


def _style(ax) -> None:
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#dddddd", lw=0.8)
    ax.set_axisbelow(True)
    ax.tick_params(labelsize=13)


def finish(fig, ax, lang: str, title: str, xlabel: str, legend_loc: str, source: str = "source") -> None:
    """Title, axis label, frame, legend and source line shared by the horizontal charts."""
    ax.set_title(title, fontsize=20, loc="left")
    ax.set_xlabel(xlabel, fontsize=14)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=12, loc=legend_loc, **LEGEND_BOX)
    source_line(fig, t(source, lang))


SAFE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,150}")


def save(fig, folder: Path, name: str) -> list[Path]:
    # File names come from target ids and indicators: never a path, so a chart cannot land outside `folder`.
    if not SAFE_NAME.fullmatch(name) or ".." in name:
        plt.close(fig)
        raise ValueError(f"unsafe chart file name {name!r}")
    folder.mkdir(parents=True, exist_ok=True)
    paths = [folder / f"{name}.png", folder / f"{name}.svg"]
    fig.savefig(paths[0], dpi=DPI)
    # The PNG's drawing has laid the figure out; the SVG keeps that layout instead of computing it again (a
    # third of a chart's time; the two layouts differ by a fraction of a point, from the text's hinting at 200 dpi)
    fig.set_layout_engine("none")
    fig.savefig(paths[1])
    plt.close(fig)
    return paths


def png(fig, dpi: int = 100) -> bytes:
    """The figure as PNG bytes (for notebooks: IPython.display.Image(png(fig)))."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()


def fan_chart(series: np.ndarray, dates: list[dt.date], indicator: str, lang: str, scenario: str,
              target: dict | None = None):
    """Baseline point, P50 line, P10-P90 and P25-P75 bands, the target and its year."""
    use_cjk_font()
    k = scale(indicator)
    q = np.quantile(series * k, [0.1, 0.25, 0.5, 0.75, 0.9], axis=0)
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    x = np.array(dates, dtype="datetime64[D]")
    ax.fill_between(x, q[0], q[4], color=COLORS["band"], alpha=0.18, lw=0, label=t("band_80", lang))
    ax.fill_between(x, q[1], q[3], color=COLORS["band"], alpha=0.32, lw=0, label=t("band_50", lang))
    ax.plot(x, q[2], color=COLORS["band"], lw=2.5, label=t("p50", lang))
    base = float(np.median(series[:, 0]))
    ax.scatter([x[0]], [base * k], color=COLORS["base"], zorder=5, s=60,
               label=t("baseline", lang, value=fmt(indicator, base), month=dates[0].strftime("%Y-%m")))
    if target:
        _target_lines(ax, indicator, target, lang)
    name = indicator_name(indicator, lang)
    ax.set_title(t("fan_title", lang, name=name), fontsize=22, loc="left", pad=28)
    fig.text(0.012, 0.905, t("fan_subtitle", lang, scenario=scenario, n=series.shape[0]), fontsize=13, color="#555")
    ax.set_ylabel(unit(indicator, lang), fontsize=14)
    ax.set_xlabel(t("month", lang), fontsize=14)
    _style(ax)
    if INDICATORS[indicator].unit in COUNT_UNITS:  # no half a platform on the axis of a count
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    # beside the axes: inside, the legend sat on the target line, which runs along the top of the band's corner
    ax.legend(fontsize=12, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0, **LEGEND_BOX)
    fig.text(0.99, 0.01, t("source" if target else "source_sim", lang), fontsize=10, color="#777", ha="right")
    return fig


def _target_lines(ax, indicator: str, target: dict, lang: str) -> None:
    """The target's value (dashed) where its P(meet) is measured, and its year (dotted). An 'about' target's line is
    at what counts as met (readings.measured_value: 'about 400' at 5% is >= 380), the plan's figure faint beside it."""
    k, cmp_, thr = scale(indicator), CMP[target["comparator"]], target["threshold"]
    measured = measured_value(target)
    if measured is None:
        ax.axhline(thr * k, color=COLORS["target"], ls="--", lw=1.8,
                   label=t("target", lang, cmp=cmp_, value=fmt(indicator, thr), year=target["year"]))
    else:
        ax.axhline(measured * k, color=COLORS["target"], ls="--", lw=1.8,
                   label=t("target_about", lang, cmp=cmp_, value=fmt(indicator, thr),
                           measured=fmt(indicator, measured), year=target["year"]))
        ax.axhline(thr * k, color=COLORS["target"], ls="--", lw=1.0, alpha=0.35,
                   label=t("target_written", lang, value=fmt(indicator, thr)))
    ax.axvline(np.datetime64(f"{target['year']}-12-01"), color=COLORS["target"], ls=":", lw=1.2)


def dashboard(targets: list[dict], lang: str):
    """Every target's probability of being met, sorted, in traffic-light colours."""
    use_cjk_font()
    rows = sorted(targets, key=lambda r: r["p_meet"])
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    y = np.arange(len(rows))
    p = np.array([r["p_meet"] for r in rows])
    bars = ax.barh(y, p, color=[COLORS[light(v)] for v in p], height=0.7)
    # ‡ a target whose indicator the backtest shows the model gets wrong (limits.KNOWN_LIMITS): hatched, so a
    # briefing that shows only this chart does not present that probability as a finding
    limited = [r["indicator"] in KNOWN_LIMITS for r in rows]
    for bar, lim in zip(bars, limited, strict=True):
        if lim:
            bar.set_hatch("//")
            bar.set_edgecolor((1.0, 1.0, 1.0, 0.6))
    for yi, v in zip(y, p, strict=True):
        inside = v > 0.9  # long bars carry their label inside, in white, on the bar's colour over any hatching
        ax.text(v - 0.01 if inside else v + 0.01, yi, f"{percent(v)}%", va="center", fontsize=12,
                ha="right" if inside else "left", color="white" if inside else "#222",
                bbox={"facecolor": COLORS[light(v)], "edgecolor": "none", "pad": 1.5} if inside else None)

    # † a baseline estimated partly from the plan's own targets (phrases.NOTE_FROM_PLAN)
    labels = [f"{indicator_name(r['indicator'], lang)}{'†' if r.get('baseline_source', {}).get('from_plan') else ''}"
              f"{'‡' if lim else ''}  ({threshold(r, lang)})"
              for r, lim in zip(rows, limited, strict=True)]
    ax.set_yticks(y, labels, fontsize=12)
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.axvline(0.8, color="#999", lw=1, ls="--")
    ax.axvline(0.5, color="#999", lw=1, ls=":")
    for c in ("green", "amber", "red"):  # legend entries for the three lights
        ax.barh([0], [0], color=COLORS[c], label=t(c, lang))  # zero-width: only the legend sees it
    finish(fig, ax, lang, dashboard_title(rows, lang), t("dashboard_x", lang), "lower right")
    notes = ([t("dashboard_from_plan", lang)] if any(r.get("baseline_source", {}).get("from_plan") for r in rows)
             else []) + ([t("dashboard_known_limit", lang)] if any(limited) else [])
    if notes:
        legend = ax.get_legend()
        legend.set_title("\n".join(notes), prop={"size": 12})
        legend._legend_box.align = "left"
    ax.tick_params(axis="x", labelsize=12)
    return fig


def comparison(summaries: list[dict], lang: str, names: list[str] | None = None):
    """The same targets across scenarios: P50 and P10-P90 as a share of the value each target's P(meet) is measured
    against, so that the target line is where it counts as met; an 'about' target's (readings.measured_value: 'about
    400' at 5% is >= 380) has the plan's figure faint beside it, as in its fan chart.

    A row is a target id found in any of the summaries; where the folders set it differently its label gives each
    value ('> 1,500 / > 1,700'), each folder's points being shares of its own. `names` label the folders in the
    legend (default: their titles)."""
    use_cjk_font()
    ids = list(dict.fromkeys(tg["id"] for s in summaries for tg in s["targets"]))
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    n = len(summaries)
    palette = plt.get_cmap("tab10")
    written: dict[int, float] = {}  # row of an 'about' target -> the plan's figure as a share of what is measured
    for j, s in enumerate(summaries):
        by_id = {tg["id"]: tg for tg in s["targets"]}
        ys, p50, lo, hi = [], [], [], []
        for i, tid in enumerate(ids):
            tg = by_id.get(tid)
            goal = threshold_measured(tg) if tg else 0.0
            if not goal:
                continue
            ys.append(i + (j - (n - 1) / 2) * 0.8 / max(n, 1))
            p50.append(tg["p50"] / goal)
            lo.append(tg["p10"] / goal)
            hi.append(tg["p90"] / goal)
            if measured_value(tg) is not None:
                written.setdefault(i, tg["threshold"] / goal)
        ys, p50 = np.array(ys), np.array(p50)
        ax.errorbar(p50, ys, xerr=[p50 - np.array(lo), np.array(hi) - p50], fmt="o", color=palette(j),
                    capsize=3, label=names[j] if names else scenario_title(s, lang))
    ax.axvline(1.0, color=COLORS["target"], ls="--", lw=1.5,
               label=t("target_line_about" if written else "target_line", lang))
    for k, (i, x) in enumerate(written.items()):
        ax.plot([x, x], [i - 0.45, i + 0.45], color=COLORS["target"], ls="--", lw=1.4, alpha=0.5,
                label=t("compare_written", lang) if k == 0 else "_nolegend_")
    ax.set_yticks(range(len(ids)), [_row_label(summaries, i, lang) for i in ids], fontsize=12)
    ax.invert_yaxis()
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.grid(axis="x", color="#dddddd", lw=0.8)
    year = max(tg["year"] for s in summaries for tg in s["targets"])
    finish(fig, ax, lang, t("compare_title", lang, year=year),
           t("compare_ratio_about" if written else "compare_ratio", lang), "lower right")
    # Below the axes, not on them: a legend of long scenario names in the corner hid the points behind it (a
    # commitment met twice over sits at 200%, under the legend's box)
    ax.get_legend().remove()
    fig.legend(*ax.get_legend_handles_labels(), loc="outside lower left", ncol=2, fontsize=12, frameon=False)
    return fig


def _row_label(summaries: list[dict], tid: str, lang: str) -> str:
    """A comparison row's label: the indicator and the target as each folder sets it, in folder order, once each
    ('高新技术企业  (> 1,500 / > 1,700)'); the year too when the folders' years differ."""
    tgs = [tg for s in summaries for tg in s["targets"] if tg["id"] == tid]
    years, names = {tg["year"] for tg in tgs}, dict.fromkeys(indicator_name(tg["indicator"], lang) for tg in tgs)
    # a reused id may name another indicator in another folder: then each value says whose it is
    goals = dict.fromkeys((f"{indicator_name(tg['indicator'], lang)} " if len(names) > 1 else "")
                          + threshold(tg, lang) + (f" ({tg['year']})" if len(years) > 1 else "") for tg in tgs)
    return f"{' / '.join(names)}  ({' / '.join(goals)})"


def paired_differences(rows: list[dict], scenarios: list[str], reference: str, lang: str, crn: bool = True):
    """Alternatives against a reference, per target: change in P(meet) and in P50 (share of the target), 95% CIs."""
    use_cjk_font()
    fig, (left, right) = plt.subplots(1, 2, figsize=SIZE, layout="constrained", sharey=True)
    ids = list(dict.fromkeys(r["target"] for r in rows))
    indicator = {r["target"]: r["indicator"] for r in rows}
    alts = scenarios[1:]
    palette = plt.get_cmap("tab10")
    for j, alt in enumerate(alts):
        mine = {r["target"]: r for r in rows if r["scenario"] == alt}
        ys = np.arange(len(ids)) + (j - (len(alts) - 1) / 2) * 0.8 / max(len(alts), 1)
        pm = np.array([[mine[i]["d_p_meet"], mine[i]["d_p_meet_low"], mine[i]["d_p_meet_high"]] for i in ids]) * 100
        thr = np.array([abs(mine[i]["threshold"]) or 1.0 for i in ids])
        p50 = np.array([[mine[i]["d_p50"], mine[i]["d_p50_low"], mine[i]["d_p50_high"]] for i in ids]) / thr[:, None]
        for ax, v in ((left, pm), (right, p50 * 100)):
            ax.errorbar(v[:, 0], ys, xerr=[v[:, 0] - v[:, 1], v[:, 2] - v[:, 0]], fmt="o", ms=5, capsize=3,
                        color=palette(j % 10), label=alt)
    for ax, key in ((left, "delta_meet_x"), (right, "delta_p50_x")):
        ax.axvline(0.0, color="#999", lw=1)
        ax.set_xlabel(t(key, lang), fontsize=13)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="x", color="#dddddd", lw=0.8)
        ax.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:+.0f}"))
    left.set_yticks(range(len(ids)), [indicator_name(indicator[i], lang) for i in ids], fontsize=12)
    left.invert_yaxis()
    left.legend(fontsize=10, frameon=False, loc="best")
    fig.suptitle(t("delta_title", lang, ref=reference), fontsize=18, x=0.01, ha="left")
    source_line(fig, t("delta_source" if crn else "delta_source_independent", lang))
    return fig


def calibration_fit(rows: list[dict], lang: str):
    """Documented intervals against posterior-predictive P10-P90, each relative to the interval's centre.

    rows: dicts with label (in `lang`), low, high, p10, p50, p90, and fitted (bool).
    """
    use_cjk_font()
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    for i, r in enumerate(rows):
        c = 0.5 * (r["low"] + r["high"])
        ax.plot([r["low"] / c, r["high"] / c], [i, i], color=COLORS["green"], lw=10, alpha=0.45, solid_capstyle="butt",
                label=t("fit_documented", lang) if i == 0 else None)
        ax.errorbar([r["p50"] / c], [i], xerr=[[(r["p50"] - r["p10"]) / c], [(r["p90"] - r["p50"]) / c]], fmt="o",
                    color=COLORS["band"], capsize=4, label=t("fit_simulated", lang) if i == 0 else None)
    ax.set_yticks(range(len(rows)), [r["label"] for r in rows], fontsize=10 if len(rows) > 14 else 13)
    ax.invert_yaxis()
    ax.axvline(1.0, color="#999", lw=1, ls=":")
    ax.xaxis.set_major_formatter(matplotlib.ticker.PercentFormatter(1.0))
    ax.grid(axis="x", color="#dddddd", lw=0.8)
    finish(fig, ax, lang, t("fit_title", lang), t("fit_x", lang), "upper left", source="fit_source")
    return fig


ROLE_COLORS = {"fit": "#2e8b57", "out": "#c0392b", "input": "#777777"}


def source_line(fig, text: str, fontsize: float = 10) -> None:
    """A source line under the axis labels, ending 10 points from the right edge whatever the figure's width; a
    constrained layout keeps two lines' height for it (at least 3% of the figure's)."""
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set"):
        room = max(0.03, 2 * fontsize / 72 / fig.get_figheight())
        engine.set(rect=(0, room, 1, 1 - room))
    fig.text(1.0, 0.01, text, fontsize=fontsize, color="#777", ha="right",
             transform=mtransforms.offset_copy(fig.transFigure, fig=fig, x=-10, units="points"))


def history_chart(series: np.ndarray, dates: list[dt.date], indicator: str, rows: list, lang: str, run: str):
    """A historical run's band (P10-P90, P25-P75, P50) with the documented figures on it as intervals.

    Flow figures (what a cumulative indicator added in a year) are drawn on the yearly flows."""
    use_cjk_font()
    flow = any(r.figure.flow for r in rows)
    factor = rows[0].figure.factor
    x = np.array(dates, dtype="datetime64[D]")
    values = series * factor
    if flow:  # December to December
        dec = [i for i, d in enumerate(dates) if d.month == 12]
        values = np.diff(values[:, dec], axis=1)
        x = x[dec][1:]
    q = np.quantile(values, [0.1, 0.25, 0.5, 0.75, 0.9], axis=0)
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    ax.fill_between(x, q[0], q[4], color=COLORS["band"], alpha=0.18, lw=0, label=t("band_80", lang))
    ax.fill_between(x, q[1], q[3], color=COLORS["band"], alpha=0.32, lw=0, label=t("band_50", lang))
    ax.plot(x, q[2], color=COLORS["band"], lw=2.5, label=t("p50", lang))
    seen = set()
    for r in rows:
        f = r.figure
        when = np.datetime64(f"{f.date}-01")
        label = t(f"history_{r.role}", lang) if r.role not in seen else None
        seen.add(r.role)
        mid = 0.5 * (f.low + f.high)
        ax.errorbar([when], [mid], yerr=[[mid - f.low], [f.high - mid]], fmt="none", ecolor=ROLE_COLORS[r.role],
                    elinewidth=3, capsize=8, zorder=6)
        ax.scatter([when], [f.value], color=ROLE_COLORS[r.role], s=70, zorder=7, label=label,
                   marker="o" if r.inside else "X")
    name = rows[0].figure.zh if lang == "zh" else rows[0].figure.en
    name = re.sub(r"\s+(\d{4}(-\d{2})?|\d{4}年中)$", "", name)  # the series, not the figure's date
    ax.set_title(t("history_title", lang, name=name, run=run), fontsize=20, loc="left", pad=12)
    ax.set_ylabel(rows[0].figure.unit + (t("history_per_year", lang) if flow else ""), fontsize=14)
    ax.set_xlabel(t("month", lang), fontsize=14)
    _style(ax)
    ax.legend(fontsize=12, frameon=False, loc="upper left")
    source_line(fig, t("history_source", lang))
    return fig


def certification_flows(first: np.ndarray, again: np.ndarray, renewed: np.ndarray, years: list[int], lang: str,
                        run: str):
    """High-tech certificates granted each year (P50 over replications): first certificates, certificates
    granted again after a lapse, and renewals; the renewals echo the first certificates three years before."""
    use_cjk_font()
    fig, ax = plt.subplots(figsize=SIZE, layout="constrained")
    x = np.arange(len(years))
    parts = [(np.median(first, axis=0), "#3b6ea5", t("flows_first", lang)),
             (np.median(again, axis=0), "#8fb3d9", t("flows_again", lang)),
             (np.median(renewed, axis=0), "#e0a100", t("flows_renewed", lang))]
    bottom = np.zeros(len(years))
    for values, color, label in parts:
        ax.bar(x, values, bottom=bottom, color=color, width=0.7, label=label)
        bottom += values
    ax.set_xticks(x, [str(y) for y in years])
    ax.set_title(t("flows_title", lang, run=run), fontsize=20, loc="left", pad=12)
    ax.set_ylabel(t("flows_y", lang), fontsize=14)
    ax.set_xlabel(t("year", lang), fontsize=14)
    _style(ax)
    ax.legend(fontsize=12, frameon=False, loc="upper left")
    source_line(fig, t("history_source", lang))
    return fig
