"""`innosim discover`: which ranges of the levers make a target likely (scenario discovery with PRIM).

From a notebook: `discovery.discover(scenario, space, targets, context, probability=0.8)` with a RunContext
(model/execution/context.py). The method is in method.py, its words and files in report.py, its charts in charts.py.

Lever mixes are sampled over the scenario's [ranges] (a seeded Latin hypercube) and run. For each
target, PRIM (Friedman & Fisher's Patient Rule Induction Method, written here in numpy) peels the
lever space, a few percent of the mixes at a time, towards the mixes where the target is met, then
keeps the largest box whose share of successful runs reaches the required probability and drops
the conditions that do not matter. The box is checked on fresh lever mixes drawn inside it, run on
fresh random seeds, because the in-sample share of a box chosen for being good is optimistic.

Every mix runs its own replication indices (no common random numbers): a box's probability is then
an average over many independent worlds (behavioural parameters drawn from the posterior, baseline
and process noise), not over the same handful of worlds shared by all mixes.
"""

from __future__ import annotations

from pathlib import Path

from ...levers import LeverSpace
from .charts import box_chart, overview_chart, write_charts
from .method import (
    ALL,
    Box,
    Discovery,
    Finding,
    Stats,
    at_limits,
    box_stats,
    choose,
    discover,
    drop_insignificant,
    find,
    importance,
    met_matrix,
    nice_step,
    peel,
    prim,
    prune,
    round_box,
    run_mixes,
    sample_unit,
    screen,
    tighten,
    validate,
    validated_interval,
)
from .report import (
    box_conditions,
    condition,
    lever_axis,
    lever_value,
    markdown,
    sentence,
    target_phrase,
    write_boxes,
    write_samples,
)

__all__ = ["ALL", "Box", "Discovery", "Finding", "Stats", "at_limits", "box_chart", "box_conditions", "box_stats",
           "choose", "condition", "discover", "drop_insignificant", "find", "importance", "lever_axis", "lever_value",
           "markdown", "met_matrix", "nice_step", "overview_chart", "peel", "prim", "prune", "round_box", "run_mixes",
           "sample_unit", "screen", "sentence", "target_phrase", "tighten", "validate", "validated_interval",
           "write_boxes", "write_charts", "write_folder", "write_samples"]


def write_folder(out: Path, found: Discovery, space: LeverSpace, info: dict, lang: str) -> None:
    """discovery.md, boxes.csv, samples.csv and charts/, written whole or not at all."""
    from ...output.results import atomic_folder

    probability, reps = info["probability"], info["replications"]
    with atomic_folder(out) as tmp:
        write_samples(tmp / "samples.csv", space, found.x, found.values, found.y, found.targets)
        write_boxes(tmp / "boxes.csv", found.findings, space, probability)
        charts = write_charts(tmp, found.findings, space, found.x, found.y, probability, reps, lang)
        (tmp / "discovery.md").write_text(markdown(found.findings, space, info, charts), "utf-8")
