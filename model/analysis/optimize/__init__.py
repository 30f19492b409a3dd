"""`innosim optimize`: the cheapest lever mix that meets the chosen targets with probability at least P.

From a notebook: `Search(scenario, space, chosen, Settings(probability=0.8), context).run()` with a RunContext
(model/execution/context.py). The search is in method.py, its words and files in report.py, its chart in charts.py.

Our own search on numpy and scipy, not EMA Workbench or optuna. The problem has a shape those
generic tools do not use: the cost of a lever mix is known exactly (model/costs.py, linear in
the levers) and only P(meet) needs simulation, and it is noisy. So every run is spent on
feasibility, candidates are compared on common random numbers, and the priced levers are cut
back directly (the "trim"), with no new dependency and a few thousand runs in all:

1. generation 0: a seeded Latin hypercube over the levers' [ranges], plus the scenario's own mix,
   the all-high corner and the scenario with its unpriced levers at their high bound;
2. reach: each target's best candidate is re-run on more replications unless clearly above P;
   a target stays in the constraint if its pooled P(meet) reaches P, and is called unreachable
   only when the Wilson 95% upper bound is below P ("not shown to reach P" in between);
3. the trim: each priced lever of the best feasible mix is bisected toward its low bound (two
   rounds, all levers at once), and the cuts are combined, largest saving first;
4. a few cross-entropy generations around the elite candidates, ranked by (shortfall, cost);
   around a feasible elite the priced levers are also pulled down, several at once;
5. confirmation: finalists (the cheapest feasible mix, and the cheapest with margins above P) are
   re-run on fresh seeds with many more replications; the winner is the cheapest one whose
   re-run P(meet) is at least P for every required target.

Every candidate of the search runs replications 0..n-1 of the same seed (common random numbers).
The confirmation runs seed + CONFIRM_SEED_STEP, so its replications share nothing with the search
and the search's luck cannot carry over. The result depends on the seed only, not on the workers.
"""

from __future__ import annotations

import json
from pathlib import Path

from ...errors import InputError
from .charts import chart
from .method import (
    CONFIRM_SEED_STEP,
    Candidate,
    Reach,
    Result,
    Search,
    Settings,
    check_probability,
    reach_status,
    winner_scenario,
)
from .report import candidates_csv, headline, markdown, summary_json, terminal, winner_toml

__all__ = ["CONFIRM_SEED_STEP", "Candidate", "Reach", "Result", "Search", "Settings", "chart", "check_probability",
           "headline", "markdown", "reach_status", "summary_json", "terminal", "winner_scenario", "winner_toml",
           "write_folder"]


def write_folder(result: Result, out: Path, lang: str) -> None:
    from ...output.plotting import save
    from ...output.results import atomic_folder

    try:
        with atomic_folder(out) as tmp:
            (tmp / "optimize.md").write_text(markdown(result), "utf-8")
            (tmp / "winner.toml").write_text(winner_toml(result), "utf-8")
            candidates_csv(result, tmp / "candidates.csv")
            (tmp / "optimize.json").write_text(json.dumps(summary_json(result), ensure_ascii=False, indent=2),
                                               "utf-8")
            save(chart(result, lang), tmp / "charts", "optimize")
    except OSError as exc:
        raise InputError(str(out), "--out", f"cannot write the results folder: {exc.strerror or exc}") from None
