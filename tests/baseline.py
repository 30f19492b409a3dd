"""The regression baseline: the plan scenario's summary at a fixed seed and replication count.

`make baseline` (python tests/baseline.py) rewrites tests/baseline.json; tests/test_baseline.py
fails when a change moves any of these numbers. Update it on purpose only: see docs/developing.md
("Regression baseline") for when that is right.
"""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FILE = HERE / "baseline.json"
SCENARIO = ROOT / "scenarios" / "sanliang-qisheng-2024-2026.toml"
SEED, REPLICATIONS = 20240227, 24
# Indicators at the horizon beyond the targets: they catch changes the targets alone would miss.
CONTEXT = ("living_firms", "above_scale", "entries_cum", "exits_cum", "researchers", "budget_disbursed_cum",
           "rd_spending", "total_index", "quality_index")


def compute(workers: int = 2) -> dict:
    sys.path.insert(0, str(ROOT))
    from model.analysis.calibration import CALIBRATION_DIR, parameter_source
    from model.execution.ensemble import run_ensemble
    from model.output.results import evaluate_target, indicator_summary
    from model.scenario import load_scenario

    scenario = load_scenario(SCENARIO)
    parameters = parameter_source("posterior", CALIBRATION_DIR)
    ens = run_ensemble(scenario, REPLICATIONS, SEED, workers=workers, parameters=parameters)
    indicators = indicator_summary(ens)
    return {
        "scenario": SCENARIO.name, "scenario_hash": scenario.digest(), "seed": SEED, "replications": REPLICATIONS,
        "parameters": "posterior",
        "targets": {t.id: {k: v for k, v in asdict(evaluate_target(ens, t)).items()
                           if k in ("p10", "p50", "p90", "mean", "p_meet")} for t in scenario.targets},
        "context": {k: {q: indicators[k][q] for q in ("p10", "p50", "p90")} for k in CONTEXT},
    }


if __name__ == "__main__":
    FILE.write_text(json.dumps(compute(), ensure_ascii=False, indent=1, sort_keys=True) + "\n", "utf-8")
    print(f"wrote {FILE.relative_to(ROOT)}")
