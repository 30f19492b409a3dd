"""Which levers move which targets: Morris screening and Sobol indices (SALib) over the scenario's [ranges].

`innosim sensitivity SCENARIO --method morris|sobol [--levers a,b,...]`; from a notebook
`sensitivity.analyse(scenario, space, targets, context, method="morris")` with a RunContext
(model/execution/context.py). The method is in method.py, its words and files in report.py, its charts in
charts.py.

The output of a run is each target's indicator in December of its year (the value the plan is
judged on), averaged over the replications of a sample point. Every point runs the same
replications with the same seed (common random numbers), so differences between points come
from the levers, not from luck. Levers without a [ranges] entry stay at the scenario's value.

Morris (the default) ranks every lever: mu* is the mean absolute change of the indicator when
the lever moves, scaled to the lever's whole range (a linear reading: "moving this lever from
its low to its high end changes the indicator by about mu*"). A lever *matters* for a target when
its mu* is at least 10% of the largest mu* for that target and above the lever's noise threshold.
Sobol gives first-order (S1: the lever alone) and total (ST: with its interactions) shares of the
indicator's variance across the ranges, with bootstrap 95% intervals; a lever matters when its ST
without noise is at least 0.10 and the lower end of its ST interval is above its noise part.
Without `--levers` it first runs the Morris screen and then takes the levers that matter, at most
`--max-levers` (8), ranked by their mu* share summed over the targets that several levers move.

Default sample sizes and their cost in model runs (k = number of levers explored; one run is
one replication of 36 months after a 48-month spin-up, about 0.43 s of one core; 2 cores do about
4.5 runs a second; the command prints its own estimate, timed on the spot):

- Morris: 10 trajectories x (k + 1) points x 4 replications. The plan's 21 levers:
  10 x 22 x 4 = 880 runs, about 3 minutes on 2 cores.
- Sobol: N = 64 base samples x (k + 2) points x 4 replications. 8 levers: 64 x 10 x 4 = 2560
  runs, about 10 minutes on 2 cores; without --levers, plus the 880 runs of the Morris screen
  (3440 runs, about 13 minutes). At N = 64 the S1 intervals are about +-0.2: enough to separate
  the levers that carry a target from those that do not, not to rank close ones; --samples 256
  halves the intervals at four times the cost.

Replication noise: with few replications per point the point means still carry noise, the part
of a replication's luck that common random numbers do not cancel. Draws are keyed by firm and
month, so little is left, but how much depends on the lever: one that adds firms changes who
competes for funds and places, a grant rate hardly anything. So the noise of each
lever's effect is measured on the pairs of points that estimate it (the spread over replications
of their difference): Morris gives each lever a noise threshold (the mu* a lever with no effect
would stay below about 97.5% of the time), Sobol the part of its total index that is noise,
which is removed before ranking. Each target also gets an overall noise share (the
point-by-replication interaction over the variance of the means).
"""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import InputError
from .charts import chart
from .method import (
    CONF_LEVEL,
    MATTER_SHARE,
    MAX_SOBOL_LEVERS,
    NUM_LEVELS,
    REPLICATIONS,
    SAMPLES,
    TRAJECTORIES,
    Analysis,
    TargetIndices,
    analyse,
    announce,
    choose_for_sobol,
    matters,
    morris_indices,
    replication_noise,
    run_morris,
    run_sobol,
    seconds_per_run,
    shares,
    sobol_indices,
)
from .report import _csv, console_summary, headline, lever_range, markdown, summary, tidy_rows, write_samples

__all__ = ["CONF_LEVEL", "MATTER_SHARE", "MAX_SOBOL_LEVERS", "NUM_LEVELS", "REPLICATIONS", "SAMPLES", "TRAJECTORIES",
           "Analysis", "TargetIndices", "analyse", "announce",
           "chart", "choose_for_sobol", "console_summary", "headline",
           "lever_range", "markdown", "matters", "morris_indices", "replication_noise", "run_morris", "run_sobol",
           "seconds_per_run", "shares", "sobol_indices", "summary", "write_folder"]


def write_folder(out: Path, main: Analysis, screen: Analysis | None, meta: dict, lang: str) -> None:
    from ...output.results import atomic_folder

    try:
        with atomic_folder(out) as tmp:
            analyses = [a for a in (screen, main) if a is not None]
            (tmp / "sensitivity.md").write_text(markdown(main, screen, meta, lang), "utf-8")
            rows = [row for a in analyses for row in tidy_rows(a)]
            (tmp / "sensitivity.csv").write_text(_csv(rows), "utf-8")
            (tmp / "sensitivity.json").write_text(json.dumps(summary(main, screen, meta), ensure_ascii=False,
                                                             indent=2) + "\n", "utf-8")
            for a in analyses:
                write_samples(a, tmp / f"samples-{a.method}.parquet")
                for r in a.results:
                    prefix = "screening" if a is screen else "sensitivity"
                    chart(a, r, meta["scenario"], lang, tmp / "charts", f"{prefix}-{r.target.id}")
    except OSError as exc:
        raise InputError(str(out), "--out", f"cannot write the results folder: {exc.strerror or exc}") from None
