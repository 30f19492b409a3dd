"""The regression baseline: the plan scenario's summary at a fixed seed and replication count.

`make baseline` (python tests/baseline.py) rewrites tests/baseline.json; tests/test_baseline.py
fails when a change moves any of these numbers. Update it on purpose only: see docs/developing.md
("Regression baseline") for when that is right.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

# numpy picks its SIMD loops by CPU, and its AVX-512 exp, log and pow differ from its AVX2 ones in the last bit:
# enough to move a firm's exit or certificate, and so the baseline (committed in 8168bd6 from an AVX-512 machine,
# it failed on an AVX2 one by one exit in 10,000). The suite and this script run numpy's AVX2 loops on every
# x86-64 machine (the variable must be set before numpy is imported; conftest.py does it for the tests).
SIMD_OFF = ("X86_V4", "AVX512_ICL", "AVX512_SPR")
os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", " ".join(SIMD_OFF))

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
FILE = HERE / "baseline.json"
SCENARIO = ROOT / "scenarios" / "sanliang-qisheng-2024-2026.toml"
SEED, REPLICATIONS = 20240227, 24
# Indicators at the horizon beyond the targets: they catch changes the targets alone would miss.
CONTEXT = ("living_firms", "above_scale", "entries_cum", "exits_cum", "researchers", "budget_disbursed_cum",
           "rd_spending", "total_index", "quality_index")


def simd_pinned() -> bool:
    """Are numpy's AVX-512 loops off in this process (as they were when the baseline was computed)?"""
    from numpy._core._multiarray_umath import __cpu_features__

    return not any(__cpu_features__.get(name) for name in SIMD_OFF)


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
