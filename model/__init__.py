"""innosim: an agent-based simulator of innovation-ecosystem growth for Beijing's S&T districts.

What a notebook needs, in one import:

    from model import load_scenario, parameter_source, run_ensemble, evaluate_target, compare_ensembles, fan_chart

    plan = load_scenario("scenarios/sanliang-qisheng-2024-2026.toml")
    ens = run_ensemble(plan, replications=100, parameters=parameter_source("posterior"))
    [evaluate_target(ens, t) for t in plan.targets]

The names below the first three are loaded on first use, so `innosim` (the CLI) starts without
matplotlib or the analysis code.
"""

from __future__ import annotations

from .errors import InputError
from .scenario import Scenario, load_scenario
from .sim import EcosystemModel

__version__ = "0.1.0"

# name -> (module, attribute): the notebook facade, imported lazily (PEP 562). No name is also a submodule's:
# `model.analysis.compare` is the module, `compare_ensembles` its function.
_LAZY: dict[str, tuple[str, str]] = {
    "run_ensemble": ("execution.ensemble", "run_ensemble"),
    "Ensemble": ("execution.ensemble", "Ensemble"),
    "parameter_source": ("analysis.calibration", "parameter_source"),
    "evaluate_target": ("output.results", "evaluate_target"),
    "build_summary": ("output.results", "build_summary"),
    "compare_ensembles": ("analysis.compare", "compare"),
    "select_targets": ("scenario", "select_targets"),
    "with_levers": ("levers", "with_levers"),
    "LEVERS": ("lever_registry", "LEVERS"),
    "fan_chart": ("output.plotting", "fan_chart"),
    "dashboard": ("output.plotting", "dashboard"),
    "paired_differences": ("output.plotting", "paired_differences"),
}


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'model' has no attribute {name!r}")
    # The first facade name a notebook asks for loads the facade's modules (static imports: the package never
    # imports a module by a computed name outside the CLI, tests/test_input_safety.py).
    from . import lever_registry, levers, scenario
    from .analysis import calibration, compare
    from .execution import ensemble
    from .output import plotting, results

    modules = {"analysis.calibration": calibration, "analysis.compare": compare, "execution.ensemble": ensemble,
               "lever_registry": lever_registry, "levers": levers, "output.plotting": plotting,
               "output.results": results, "scenario": scenario}
    for facade_name, (module, attribute) in _LAZY.items():
        globals()[facade_name] = getattr(modules[module], attribute)
    return globals()[name]


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = ["EcosystemModel", "InputError", "Scenario", "__version__", "load_scenario", *_LAZY]
