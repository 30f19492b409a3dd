"""The calibration fit report: calibration/report.md with its figures.

Posterior marginals and pair correlations, a posterior-predictive check of every target,
checks of documented figures that enter as inputs, the stylized facts of firm dynamics, and
which parameters the data could not pin down.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .calibration import (
    PRIORS,
    SCENARIO_FILE,
    TARGETS,
    Posterior,
    _with_parameters,
    run_statistics,
    stylized_facts,
)
from .parallel import Pool
from .parameters import PARAMETERS
from .scenario import load_scenario
from .sim import EcosystemModel

FIG_DIR = "figures"
UNPINNED = 0.7  # posterior sd above this share of the prior sd: the data did not pin it down


def _predictive_one(args) -> tuple[dict, dict, dict]:
    params, seed = args
    sc = _with_parameters(load_scenario(SCENARIO_FILE), params)
    m = EcosystemModel(sc, replication=0, seed=seed).run()
    table = m.indicator_table()
    extra = {"gdp_2020": table["gdp"][-1], "gdp_2015": table["gdp"][0],
             "high_tech_share_2015": table["high_tech"][0] / table["living_firms"][0]}
    return run_statistics(m), stylized_facts(m), extra


def predictive(post: Posterior, draws: int, workers: int, seed: int = 1,
               scheduler: str | None = None) -> list[tuple[dict, dict, dict]]:
    rng = np.random.default_rng(seed)
    # Each draw gets its own seed, so a particle drawn twice still gives two different runs.
    jobs = [(post.draw(rng), 1_000_003 + i) for i in range(draws)]
    with Pool(workers, scheduler) as pool:
        return pool.map(_predictive_one, [(j,) for j in jobs], desc="predictive runs")


def post_interval(x: np.ndarray, w: np.ndarray, level: float = 0.9) -> np.ndarray:
    from .calibration import weighted_quantile

    return weighted_quantile(x, w, [(1 - level) / 2, (1 + level) / 2])


def identifiability(post: Posterior) -> list[tuple[str, float, float, float, float, bool]]:
    """(name, mean, 5%, 95%, sd ratio posterior/prior, pinned)."""
    rows = []
    for name, (lo, hi) in PRIORS.items():
        x, w = post.samples[name], post.weights
        mean = float(np.sum(w * x))
        sd = float(np.sqrt(np.sum(w * (x - mean) ** 2)))
        prior_sd = (hi - lo) / np.sqrt(12.0)
        q5, q95 = post.interval(name, 0.9)
        ratio = sd / prior_sd
        rows.append((name, mean, q5, q95, ratio, ratio < UNPINNED))
    return rows


def _figures(post: Posterior, pred: list, folder: Path) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out = folder / FIG_DIR
    out.mkdir(exist_ok=True)
    names = list(PRIORS)
    files = []

    fig, axes = plt.subplots(2, (len(names) + 1) // 2, figsize=(13.3, 6.0))
    for ax, name in zip(axes.flat, names, strict=False):
        lo, hi = PRIORS[name]
        ax.hist(post.samples[name], weights=post.weights, bins=20, range=(lo, hi), color="#3b6ea5", alpha=0.85)
        ax.axhline(1.0 / 20, color="grey", lw=1, ls="--", label="prior")
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=8)
    for ax in list(axes.flat)[len(names):]:
        ax.axis("off")
    fig.suptitle("Posterior marginals (weighted particles; dashed: uniform prior density per bin)", fontsize=11)
    fig.tight_layout()
    fig.savefig(out / "marginals.png", dpi=150)
    plt.close(fig)
    files.append(f"{FIG_DIR}/marginals.png")

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
    files.append(f"{FIG_DIR}/correlations.png")

    fig, axes = plt.subplots(1, len(TARGETS), figsize=(13.3, 3.6))
    for ax, t in zip(axes, TARGETS, strict=True):
        vals = np.array([p[0][t.name] for p in pred])
        ax.hist(vals, bins=20, color="#3b6ea5", alpha=0.85)
        ax.axvspan(t.low, t.high, color="#2ca02c", alpha=0.25, label="documented")
        ax.set_title(t.name, fontsize=9)
        ax.tick_params(labelsize=8)
    axes[0].legend(fontsize=8)
    fig.suptitle("Posterior predictive: simulated statistic (bars) against the documented interval (green)",
                 fontsize=11)
    fig.tight_layout()
    fig.savefig(out / "predictive.png", dpi=150)
    plt.close(fig)
    files.append(f"{FIG_DIR}/predictive.png")
    # The briefing version, in the house style and both languages.
    from . import plotting

    rows = []
    for t in TARGETS:
        p10, p50, p90 = np.quantile([p[0][t.name] for p in pred], [0.1, 0.5, 0.9])
        rows.append({"name": t.name, "low": t.low, "high": t.high, "p10": p10, "p50": p50, "p90": p90})
    for lang in ("zh", "en"):
        plotting.save(plotting.calibration_fit(rows, lang), out, f"fit-{lang}")
    files.append(f"{FIG_DIR}/fit-zh.png")
    return files


def write_report(post: Posterior, folder: Path, draws: int = 60, workers: int = 2,
                 scheduler: str | None = None) -> Path:
    pred = predictive(post, draws, workers, scheduler=scheduler)
    files = _figures(post, pred, folder)
    meta = post.meta
    lines = ["# Calibration report", "",
             f"Generated {meta.get('created_utc', '?')} from commit `{meta.get('git_commit')}` by `innosim calibrate`.",
             f"Method: {meta.get('method', '?')}.",
             f"Scenario: `{meta.get('scenario')}` (E-Town, end-2015 to end-2020). "
             f"{meta.get('generations', '?')} generations, {meta.get('total_simulations', '?')} particles simulated "
             f"({meta.get('settings', {}).get('replications', '?')} replications each), "
             f"{meta.get('wall_seconds', '?')} s wall time. Epsilon by generation (after the prior calibration "
             "sample, which pyabc labels t = -1): "
             + ", ".join(f"{e:.3g}" for e in meta.get("epsilons", [])[1:]) + ". "
             f"Effective sample size of the final population: {1.0 / float(np.sum(post.weights ** 2)):.0f} of "
             f"{len(post.weights)} particles, so the 90% bounds below rest on few particles.", "",
             "Read with care:", "",
             "- Each particle's statistic is the mean of its runs, so the posterior is for parameters whose "
             "*expected* statistics fall in the documented intervals; a single history (E-Town's) varies more, "
             "as the predictive check shows.",
             "- The distance measures each miss in units of its interval's width, so the interval readings set "
             "the weights: the high-tech count (1200-1300) weighs more than survival (0.40-0.62).",
             "- The model runs are seeded by their parameters, and pyabc's proposals by `Settings.seed`; with more "
             "than one worker pyabc reseeds its workers itself, so a calibration is repeatable only on one worker.",
             "- `rd_active_share` and `rd_active_median` are pinned through the mapping of the ZGC specialised "
             "parks' 2023 ratios onto E-Town's R&D-active firms in 2020, an assumption.", "",
             "The posterior (`posterior.csv`, weighted particles) is what `innosim run` uses by default: each "
             "replication draws one particle. The fitted behaviour is E-Town's; applying it to Tongzhou assumes "
             "Beijing tech firms certify, do R&D and survive alike across districts.", "",
             "## Parameters", "",
             "| parameter | prior | posterior mean | 90% interval | sd / prior sd | pinned down? | meaning |",
             "|---|---|---:|---|---:|---|---|"]
    for name, mean, q5, q95, ratio, pinned in identifiability(post):
        lo, hi = PRIORS[name]
        lines.append(f"| `{name}` | U({lo:g}, {hi:g}) | {mean:.3g} | {q5:.3g} - {q95:.3g} | {ratio:.2f} | "
                     f"{'yes' if pinned else '**no**'} | {PARAMETERS[name].label} |")
    both = post.samples["high_tech_apply_prob"] * post.samples["high_tech_approval_prob"]
    m = float(np.sum(post.weights * both))
    prior_sd = float(np.sqrt((0.9**3 - 0.3**3) / 1.8 * (0.9**3 - 0.5**3) / 1.2 - (0.6 * 0.7) ** 2))
    lo, hi = post_interval(both, post.weights)
    lines.append(f"| apply x approval | U x U | {m:.3g} | {lo:.3g} - {hi:.3g} | "
                 f"{float(np.sqrt(np.sum(post.weights * (both - m) ** 2))) / prior_sd:.2f} | see text | the chance an "
                 "eligible firm is certified in a round: the data speak to this product more than to each factor |")
    unpinned = [r[0] for r in identifiability(post) if not r[5]]
    lines += ["", f"Not pinned down by these figures (posterior sd above {UNPINNED:.0%} of the prior's): "
              + (", ".join(f"`{n}`" for n in unpinned) if unpinned else "none") + ". Their uncertainty is carried "
              "into every projection through the posterior draws.", "",
              f"![marginals]({files[0]})", "", f"![correlations]({files[1]})", "",
              "## Posterior-predictive check of the calibration targets", "",
              f"{len(pred)} fresh runs, one per posterior draw. A single run varies more than the two-run means "
              "ABC compared (and each run draws E-Town's unpublished baselines, e.g. its tech-firm count, anew), so "
              "the share of runs inside a narrow interval is low even where the interval sits in the middle of the "
              "simulated range.", "",
              "| target | role | documented interval | simulated P10 - P50 - P90 | P10-P90 holds the documented value | runs inside interval | figures | reading |",
              "|---|---|---|---|---|---:|---|---|"]
    for t in TARGETS:
        v = np.array([p[0][t.name] for p in pred])
        q = np.quantile(v, [0.1, 0.5, 0.9])
        inside = float(np.mean((v >= t.low) & (v <= t.high)))
        holds = "yes" if q[0] <= t.high and q[2] >= t.low else "**no**"
        lines.append(f"| {t.name} | {'fitted' if t.fit else 'check'} | {t.low:g} - {t.high:g} | {q[0]:.4g} - {q[1]:.4g} - {q[2]:.4g} | "
                     f"{holds} | {inside:.0%} | {', '.join(t.figures) or '-'} | {t.reading} |")
    gdp = np.array([p[2]["gdp_2020"] / p[2]["gdp_2015"] for p in pred])
    share = np.array([p[2]["high_tech_share_2015"] for p in pred])
    lines += ["", f"![predictive]({files[2]})", "", f"![fit]({files[3]})", "",
              "## Documented figures that enter as inputs, checked", "",
              "| figure | documented | model | comment |", "|---|---|---|---|",
              f"| BDA GDP 2020 / 2015 (bda-gdp-2015, bda-gdp-2020) | {2045.4 / 1259.2:.3f} (nominal) | "
              f"{np.median(gdp):.3f} | GDP is exogenous: real growth 9.3%/yr (bda-gdp-growth-13fyp) drawn as 8.8-9.8%; "
              "the gap to the nominal ratio is price growth |",
              f"| Beijing high-tech share of tech firms 2014: 1.04万 / 28.5万 (bj-hightech-2014, seed 003) | 3.6% | "
              f"BDA 2015: {np.median(share):.1%} | a district input (545 over the drawn tech-firm count), not fitted; a "
              "manufacturing zone certifies a larger share |",
              "| 中关村科学城: 231 above-scale of 2万余家 (seed 001) | 0.9-1.2% | input | the above-scale share sets the "
              "Pareto x_min of each profile's revenue law; it is a research district's figure and bounds Tongzhou's "
              "range from below (model/profiles/tongzhou-2023.toml) |",
              "| Beijing high-tech firms 1.04万 (2014) to 2.83万 (2023) (bj-hightech-2014, -2023) | 11.8%/yr | "
              f"BDA 2015-2020: {100 * ((np.median([p[0]['bda_high_tech_2020'] for p in pred]) / 545) ** 0.2 - 1):.1f}%/yr"
              " | E-Town grew faster than Beijing (2.2x in five years); the city rate is context |",
              "| ZGC parks: 40 unicorns of 4978 (seed 002) | 0.8% | not modelled | the model has no valuations |", "",
              "## Stylized facts of firm dynamics (checks, not fitted)", "",
              "| fact | literature | simulated P10 - P50 - P90 |", "|---|---|---|"]
    for key, lit in (("pareto_tail_index", "near 1 (Axtell 2001)"),
                     ("growth_excess_kurtosis", "3 for a Laplace (tent) law (Amaral et al. 1997, Bottazzi & Secchi 2006)"),
                     ("growth_size_beta", "about 0.2 (Amaral et al. 1997)")):
        v = np.quantile([p[1][key] for p in pred], [0.1, 0.5, 0.9])
        lines.append(f"| {key} | {lit} | {v[0]:.2f} - {v[1]:.2f} - {v[2]:.2f} |")
    lines += ["", "The size exponent and the Pareto tail are partly inputs (the shocks' spread is set to fall as "
              "S^-0.2, revenues start from a Pareto law); the checks show that entry, exit and policy leave them "
              "intact after five years.", "",
              "Growth rates are tent-shaped and their spread falls with size as S^-beta with beta near 0.2, "
              "as the literature finds; their tails are heavier than a single Laplace law because firms differ in "
              "drift (R&D-active, incubated, funded, matched to scenarios): a mixture of Laplace laws.", "",
              "Start-up survival is a calibration target above (about half alive after five years, the US "
              "figure; no Beijing cohort study is in our sources, so we assume the same within +-10 points).", ""]
    out = folder / "report.md"
    out.write_text("\n".join(lines), "utf-8")
    return out

