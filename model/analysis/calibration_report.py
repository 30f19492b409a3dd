"""The calibration fit report: calibration/report.md with its figures.

Posterior marginals and pair correlations, which parameters the figures pinned down, the
posterior-predictive check (the backtest of every documented figure, in and out of sample
apart, with each band's relative width), and the stylized facts of firm dynamics.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from ..parameters import PARAMETERS, ParameterSource
from ..sim import EcosystemModel
from .calibration import (
    GROWTH_EXCESS_MAX,
    PRIORS,
    Posterior,
    historical_scenarios,
    screen_command,
    weighted_quantile,
)
from .law_screen import SCREEN_YEARS, past, screens_of
from .particle import with_parameters

FIG_DIR = "figures"
UNPINNED = 0.7  # posterior sd above this share of the prior sd: the data did not pin it down


def post_interval(x: np.ndarray, w: np.ndarray, level: float = 0.9) -> np.ndarray:
    return weighted_quantile(x, w, [(1 - level) / 2, (1 + level) / 2])


def priors_of(post: Posterior) -> dict[str, tuple[float, float]]:
    """The priors the posterior was fitted with, as its metadata records them (PRIORS may have moved since, for the
    next fit); PRIORS for a posterior that records none."""
    recorded = post.meta.get("settings", {}).get("priors") or {}
    return {name: tuple(recorded.get(name, PRIORS[name])) for name in PRIORS}


def identifiability(post: Posterior) -> list[tuple[str, float, float, float, float, bool]]:
    """(name, mean, 5%, 95%, sd ratio posterior/prior, pinned)."""
    rows = []
    for name, (lo, hi) in priors_of(post).items():
        if name not in post.samples:
            continue
        x, w = post.samples[name], post.weights
        mean = float(np.sum(w * x))
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
        prior_sd = (hi - lo) / np.sqrt(12.0)
        q5, q95 = post.interval(name, 0.9)
        ratio = sd / prior_sd
        rows.append((name, mean, q5, q95, ratio, ratio < UNPINNED))
    return rows


def _two_lines(name: str, width: int = 18) -> str:
    """A long parameter name broken at the underscore nearest its middle, so that neighbouring titles do not run
    into each other."""
    cuts = [i for i, c in enumerate(name) if c == "_"]
    if len(name) <= width or not cuts:
        return name
    cut = min(cuts, key=lambda i: abs(i - len(name) / 2))
    return f"{name[:cut + 1]}\n{name[cut + 1:]}"


def _posterior_figures(post: Posterior, out: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    priors = priors_of(post)
    names = [n for n in priors if n in post.samples]
    cols = 6
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(13.3, 2.7 * rows + 0.6), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        lo, hi = priors[name]
        ax.hist(post.samples[name], weights=post.weights, bins=20, range=(lo, hi), color="#3b6ea5", alpha=0.85)
        ax.axhline(1.0 / 20, color="grey", lw=1, ls="--", label="prior")
        ax.set_title(_two_lines(name), fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    fig.suptitle("Posterior marginals (weighted particles; dashed: uniform prior density per bin)", fontsize=11)
    fig.tight_layout()
    fig.savefig(out / "marginals.png", dpi=150)
    plt.close(fig)

    data = np.array([post.samples[n] for n in names])
    w = post.weights
    mean = (data * w).sum(axis=1, keepdims=True)
    cov = ((data - mean) * w) @ (data - mean).T
    sd = np.sqrt(np.diag(cov))
    corr = cov / np.outer(sd, sd)
    fig, ax = plt.subplots(figsize=(8, 6.5))
    im = ax.imshow(corr, vmin=-1, vmax=1, cmap="RdBu_r")
    ax.set_xticks(range(len(names)), names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)), names, fontsize=8)
    for i in range(len(names)):
        for j in range(len(names)):
            ax.text(j, i, f"{corr[i, j]:.2f}", ha="center", va="center", fontsize=7)
    fig.colorbar(im)
    ax.set_title("Posterior correlations", fontsize=11)
    fig.tight_layout()
    fig.savefig(out / "correlations.png", dpi=150)
    plt.close(fig)
    return [f"{FIG_DIR}/marginals.png", f"{FIG_DIR}/correlations.png"]


def _fit_figures(bt, out: Path) -> str:
    from ..output import plotting

    for lang in ("zh", "en"):
        rows = [{"label": (r.figure.zh if lang == "zh" else r.figure.en) + ("" if r.role != "fit" else " *"),
                 "low": r.figure.low, "high": r.figure.high, "p10": r.q[0], "p50": r.q[1], "p90": r.q[2]}
                for r in bt.rows if r.role != "input"]
        plotting.save(plotting.calibration_fit(rows, lang), out, f"fit-{lang}")
    return f"{FIG_DIR}/fit-zh.png"


def stylized(post: Posterior, runs: int = 8) -> dict[str, np.ndarray]:
    """Stylized facts of firm dynamics on E-Town runs with posterior draws."""
    rng = np.random.default_rng(1)
    sc = historical_scenarios()["bda"]
    facts = [stylized_facts(EcosystemModel(with_parameters(sc, post.draw(rng)), replication=0, seed=1_000_003 + i)
                            .run()) for i in range(runs)]
    return {k: np.array([f[k] for f in facts]) for k in facts[0]}


REPORT_REPLICATIONS = 20  # runs of each place in the report's backtest (`innosim calibrate --report-replications`)


def write_report(post: Posterior, folder: Path, parameters: ParameterSource, replications: int = REPORT_REPLICATIONS,
                 workers: int = 2, scheduler: str | None = None) -> Path:
    from ..execution.parallel import Pool
    from . import backtest

    out = folder / FIG_DIR
    out.mkdir(parents=True, exist_ok=True)
    files = _posterior_figures(post, out)
    with Pool(workers, scheduler) as pool:
        bt = backtest.run_backtest(replications, parameters=parameters, pool=pool)
    fit_png = _fit_figures(bt, out)
    lines = [*_introduction(post), *_parameters(post, files), *_backtest(bt, replications),
             *_facts(post, fit_png)]
    report = folder / "report.md"
    report.write_text("\n".join(lines), "utf-8")
    return report


def _screen_lines(screen: dict | None) -> list[str]:
    """The law screen's paragraph and the particles it dropped (model/analysis/law_screen.py)."""
    if not screen:
        return ["Law screen: none; every accepted particle is in the posterior.", ""]
    if "pending" in screen:
        command = screen_command(screen["pending"], Path("FOLDER"), screen.get("years", SCREEN_YEARS))
        return [f"Law screen: not run (the fit stopped before it); `{command}` runs it.", ""]
    screens = screens_of(screen)
    n, first = screen["screened"], screens[0]
    text = (f"Law screen (model/analysis/law_screen.py): each of the {n} accepted particles ran "
            f"{first['replications']} fresh replications of each place ({', '.join(first['places'])}) at the "
            f"scenario's own scale to {past(first.get('years', 0))}, every plausibility law checked each month; "
            f"{first['dropped']} broke one and were dropped.")
    text += "".join(f" Screened again with {s['replications']} runs{_of_places(s, first)} to "
                    f"{past(s.get('years', 0))}: {s['dropped']} more dropped." for s in screens[1:])
    rows = [f"| {d['place']} | {d['replication']} | {d['breach']} |" for d in screen["particles_dropped"]]
    return [f"{text} The posterior keeps {n - screen['dropped']}.", "",
            *(["| place | replication | first law broken |", "|---|---:|---|", *rows, ""] if rows else [])]


def _of_places(screen: dict, first: dict) -> str:
    """' of bda only' for a later screen of other places than the first's (`--screen-places`; '' when the same)."""
    places = screen.get("places", first["places"])
    return "" if places == first["places"] else f" of {', '.join(places)} only"


def _fit_setting_lines(settings: dict) -> list[str]:
    """What the fit held or ran differently from a committed fit (`--fix`, `--fit-through`, `--growth-slack`,
    `--fit-also`)."""
    parts = []
    if settings.get("fixed"):
        parts.append("held fixed in every run, and written into the posterior (`--fix`): "
                     + ", ".join(f"`{k}` = {v:g}" for k, v in settings["fixed"].items()))
    if settings.get("fit_through"):
        parts.append(f"each place run to December {settings['fit_through']} at least (`--fit-through`)")
    if settings.get("growth_slack") not in (None, GROWTH_EXCESS_MAX):
        parts.append(f"growth-law slack {settings['growth_slack']:g} (`--growth-slack`; committed fits "
                     f"{GROWTH_EXCESS_MAX:g})")
    if settings.get("fit_also"):
        parts.append("fitted as well, though of role 'out' (`--fit-also`): "
                     + ", ".join(f"`{f}`" for f in settings["fit_also"]))
    return [f"This fit: {'; '.join(parts)}.", ""] if parts else []


def _introduction(post: Posterior) -> list[str]:
    """The report's heading: how the posterior was made and how to read it."""
    meta = post.meta
    ess = 1.0 / float(np.sum(post.weights ** 2))
    raw_ess = (meta.get("effective_sample_size") or {}).get("pyabc_weights")
    return ["# Calibration report", "",
            f"Generated {meta.get('created_utc', '?')} from commit `{meta.get('git_commit')}` by `innosim calibrate`.",
            f"Method: {meta.get('method', '?')}.",
            "Places and periods: " + ", ".join(f"`{v}`" for v in (meta.get("scenarios") or {}).values())
            + f" (Beijing at one firm in {meta.get('scale', {}).get('beijing', '?')} while fitting). "
            f"{meta.get('generations', '?')} generations, {meta.get('total_simulations', '?')} particles simulated "
            f"({meta.get('settings', {}).get('replications', '?')} run of each place each), "
            f"{meta.get('wall_seconds', '?')} s wall time. Epsilon by generation (after the prior calibration "
            "sample, which pyabc labels t = -1): " + ", ".join(f"{e:.3g}" for e in meta.get("epsilons", [])[1:])
            + f". Effective sample size of the final population: {ess:.0f} of {len(post.weights)} particles"
            + (f" (pyabc's own weights: {raw_ess}; {meta['weights']})" if raw_ess is not None else "") + ".", "",
            *([f"Run: {meta['note']}.", ""] if meta.get("note") else []),
            *_fit_setting_lines(meta.get("settings") or {}),
            *_screen_lines(meta.get("law_screen")),
            "Fitted on: " + ", ".join(f"`{f}`" for f in meta.get("fitted", [])) + ".",
            "Held out (`--hold-out`): " + (", ".join(f"`{f}`" for f in meta.get("hold_out", [])) or "none")
            + "; every other figure of role 'out' in model/history.py is out of sample too.", "",
            "Read with care:", "",
            "- Each particle's statistic is one run of each place, so the posterior is for parameters whose runs "
            "fall in the documented intervals; the backtest below shows how much a single history varies.",
            "- The distance measures each miss in units of its interval's width, so the interval readings set "
            "the weights: a '+-3%' count weighs more than a survival rate read within a factor 1.5.",
            "- The settled-start constraint (`start_shortfall_*`) asks that the spin-up reaches the documented "
            "high-tech stock by the model's own rules: parameters that cannot are refused.",
            "- The growth-law constraint (`growth_excess_*`) asks that the high-tech and 专精特新 stocks keep the "
            "growth laws over the whole run (model/laws.py): a particle whose run reaches a documented stock through a burst "
            "is refused; it is one run, so fresh replications of an accepted particle can still break them: the law "
            "screen (above) drops those that do in its runs; others can still, rarely (docs/history.md, 'Where they "
            "held and where they did not').",
            "- The model runs are seeded by their parameters, and pyabc's proposals by `Settings.seed`; with more "
            "than one worker pyabc reseeds its workers itself, so a calibration is repeatable only on one worker.", "",
            "The posterior (`posterior.csv`, weighted particles) is what `innosim run` uses by default: each "
            "replication draws one particle. The fitted behaviour is Beijing's and E-Town's; applying it to Tongzhou "
            "assumes Beijing tech firms certify, do R&D and survive alike across districts.", "",
            "## Parameters", ""]


def _parameters(post: Posterior, files: list) -> list[str]:
    """The parameter table, what the figures leave open, and the posterior's figures."""
    lines = ["| parameter | prior | posterior mean | 90% interval | sd / prior sd | pinned down? | meaning |",
             "|---|---|---:|---|---:|---|---|"]
    rows, priors = identifiability(post), priors_of(post)
    for name, mean, q5, q95, ratio, pinned in rows:
        lo, hi = priors[name]
        lines.append(f"| `{name}` | U({lo:g}, {hi:g}) | {mean:.3g} | {q5:.3g} - {q95:.3g} | {ratio:.2f} | "
                     f"{'yes' if pinned else '**no**'} | {PARAMETERS[name].label} |")
    unpinned = [r[0] for r in rows if not r[5]]
    lines += ["", f"Not pinned down by these figures (posterior sd above {UNPINNED:.0%} of the prior's): "
              + (", ".join(f"`{n}`" for n in unpinned) if unpinned else "none") + ". Their uncertainty is carried "
              "into every projection through the posterior draws.", "",
              f"![marginals]({files[0]})", "", f"![correlations]({files[1]})", ""]
    return lines


def _backtest(bt, replications: int) -> list[str]:
    """The posterior-predictive check: the backtest's summary and tables by role."""
    from ..output.report import markdown_table
    from . import backtest

    lines = ["## Posterior-predictive check: the backtest", "",
             f"`innosim backtest` with this posterior, {replications} replications of each place. In sample "
             "(calibrated on) and out of sample apart; the band width is (P90 - P10) / P50, beside each figure, so "
             "coverage bought by a wide band shows. Fewer replications give narrower bands, so fewer figures meet "
             "their interval here than in `innosim backtest`'s 200: the P10-P90 of a sample of 20 covers on "
             "average 73% of its distribution, of 40 76%, of 200 79% (normal draws, numpy's default quantile).", "",
             f"**{backtest.summary_line(bt)}.**", ""]
    for role in ("fit", "out", "input"):
        sub = [r for r in bt.rows if r.role == role]
        if sub:
            lines += [f"### {backtest.ROLE_LABELS[role][1]}", ""]
            lines += markdown_table(backtest.HEAD["en"], backtest.table_rows(
                backtest.Backtest(sub, bt.ensembles, bt.parameters, bt.seconds)), right=(2, 4, 6, 7))
            lines += [""]
    return lines


def _facts(post: Posterior, fit_png) -> list[str]:
    """The fit figure and the stylized facts of firm dynamics, checked not fitted."""
    lines = [f"![fit]({fit_png})", "", "## Stylized facts of firm dynamics (checks, not fitted)", "",
             "| fact | literature | simulated P10 - P50 - P90 (E-Town 2020) |", "|---|---|---|"]
    facts = stylized(post)
    for key, lit in (("pareto_tail_index", "near 1 (Axtell 2001)"),
                     ("growth_excess_kurtosis", "3 for a Laplace (tent) law (Amaral et al. 1997, Bottazzi & Secchi 2006)"),
                     ("growth_size_beta", "about 0.2 (Amaral et al. 1997)")):
        v = np.quantile(facts[key], [0.1, 0.5, 0.9])
        lines.append(f"| {key} | {lit} | {v[0]:.2f} - {v[1]:.2f} - {v[2]:.2f} |")
    lines += ["", "The size exponent and the Pareto tail are partly inputs (the shocks' spread is set to fall as "
              "S^-0.2, revenues start from a Pareto law); the checks show that entry, exit and policy leave them "
              "intact. Growth rates are tent-shaped with heavier tails than one Laplace law, because firms differ in "
              "drift (R&D-active, incubated, funded, matched to scenarios): a mixture of Laplace laws.", ""]
    return lines


def stylized_facts(model: EcosystemModel) -> dict[str, float]:
    """Checks of firm dynamics (not fitted): Pareto tail, Laplace growth, the size-variance slope."""
    f = model.firms
    alive = f.alive & (f.revenue_jan > 0) & (f.born < model.month - 12)
    rev = np.sort(f.revenue[f.alive])[::-1]
    k = max(int(0.05 * len(rev)), 10)
    hill = 1.0 / np.mean(np.log(rev[:k] / rev[k]))  # Hill estimator on the top 5%
    g = np.log(f.revenue[alive] / f.revenue_jan[alive])
    g = g - g.mean()
    kurt = float(np.mean(g**4) / np.mean(g**2) ** 2 - 3.0)
    size = np.log(f.revenue_jan[alive])
    bins = np.quantile(size, np.linspace(0, 1, 11))
    idx = np.clip(np.digitize(size, bins[1:-1]), 0, 9)
    xs = np.array([size[idx == b].mean() for b in range(10)])
    sds = np.array([g[idx == b].std() for b in range(10)])
    beta = -float(np.polyfit(xs, np.log(sds), 1)[0])
    return {"pareto_tail_index": float(hill), "growth_excess_kurtosis": kurt, "growth_size_beta": beta}
