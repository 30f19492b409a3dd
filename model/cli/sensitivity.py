"""`innosim sensitivity`: its arguments, and the command that runs model/analysis/sensitivity and writes its folder."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from ..analysis import response, sensitivity
from ..analysis.sensitivity import MAX_SOBOL_LEVERS, REPLICATIONS, SAMPLES, TRAJECTORIES
from ..execution.context import RunContext
from ..execution.parallel import Pool
from ..levers import LeverSpace
from ..output.phrases import plural
from ..parameters import ParameterSource
from ..scenario import Scenario, Target, load_scenario, select_targets
from .arguments import id_list, whole_number


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.formatter_class = argparse.RawDescriptionHelpFormatter
    p.epilog = (
        "defaults and their cost in model runs (k = levers explored, ~4.5 runs/s on 2 cores):\n"
        f"  morris: {TRAJECTORIES} trajectories x (k+1) points x {REPLICATIONS} replications;"
        f" the plan's 21 levers: {TRAJECTORIES * 22 * REPLICATIONS} runs (~3 min)\n"
        f"  sobol:  N={SAMPLES} x (k+2) points x {REPLICATIONS} replications; {MAX_SOBOL_LEVERS} levers:"
        f" {SAMPLES * (MAX_SOBOL_LEVERS + 2) * REPLICATIONS} runs (~10 min),\n"
        "          plus the Morris screen when --levers is not given\n"
        f"  sweep:  each lever alone at {response.POINTS} points of its range (and the scenario's value) x "
        f"{response.REPLICATIONS} replications;\n"
        f"          the plan's 21 levers: about {(21 * (response.POINTS + 1) + 1) * response.REPLICATIONS} runs "
        "(~10 min): response curves and the effect per 1亿元 a year\n"
        "lever ranges come from the scenario's [ranges] table; levers without a range keep their value.")
    p.add_argument("scenario", help="scenario TOML file with a [ranges] table")
    p.add_argument("--method", choices=("morris", "sobol", "sweep"), default="morris",
                   help="morris: rank every lever (default); sobol: variance shares of the levers that matter; "
                        "sweep: each lever's response curve and its effect per 1亿元 a year")
    p.add_argument("--points", type=whole_number("points", 2), default=response.POINTS,
                   help=f"sweep: values of each lever across its range (default {response.POINTS})")
    p.add_argument("--levers", type=id_list, metavar="NAME,NAME",
                   help="levers to explore, e.g. municipal_platforms_per_year,budget.rd_growth_reward "
                        "(default: every lever with a range; sobol: those the Morris screen finds)")
    p.add_argument("--targets", type=id_list, metavar="ID,ID", help="target ids to analyse (default: all)")
    p.add_argument("--trajectories", type=whole_number("trajectories", 2), default=TRAJECTORIES,
                   help=f"Morris trajectories r (default {TRAJECTORIES}); runs = r x (k+1) x replications")
    p.add_argument("--samples", type=_power_of_two, default=SAMPLES,
                   help=f"Sobol base samples N, a power of two (default {SAMPLES}); runs = N x (k+2) x replications")
    p.add_argument("--replications", type=whole_number("replications", 1), default=None,
                   help=f"runs per sample point, averaged (default {REPLICATIONS}; >= 2 to estimate the noise; "
                        f"sweep: {response.REPLICATIONS})")
    p.add_argument("--max-levers", type=whole_number("max-levers", 1), default=MAX_SOBOL_LEVERS,
                   help="sobol without --levers: at most this many levers from the screen "
                        f"(default {MAX_SOBOL_LEVERS})")


def _power_of_two(text: str) -> int:
    v = whole_number("samples", 2)(text)
    if v & (v - 1):
        raise argparse.ArgumentTypeError(f"samples must be a power of two (Sobol sequence), got {v}")
    return v


def command(args: argparse.Namespace, pool: Pool, parameters: ParameterSource) -> int:
    from ..output.results import results_folder

    scenario = load_scenario(args.scenario)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    targets = select_targets(scenario, args.targets, args.scenario)
    space = LeverSpace.from_scenario(scenario, args.levers, origin=args.scenario)
    out = results_folder(args.out, scenario, f"sensitivity-{args.method}")
    context = RunContext(pool, parameters, seed)
    if args.method == "sweep":
        return _sweep(args, scenario, space, targets, context, out)
    t0 = time.perf_counter()
    per_run = sensitivity.seconds_per_run(scenario, seed, parameters)
    main, screen = sensitivity.analyse(scenario, space, targets, context, args.method, trajectories=args.trajectories,
                                       samples=args.samples, replications=args.replications or REPLICATIONS,
                                       max_levers=args.max_levers, screen=not args.levers, per_run=per_run,
                                       origin=args.scenario)
    wall = time.perf_counter() - t0
    meta = {"scenario": scenario.scenario.name, "title": scenario.scenario.title, "file": str(args.scenario),
            "seed": seed, "parameters": args.parameters, "wall_seconds": round(wall, 1), "workers": pool.where,
            "lang": args.lang, "max_levers": args.max_levers}
    sensitivity.write_folder(out, main, screen, meta, args.lang)
    print("\n".join(sensitivity.console_summary(main, args.lang)))
    runs = main.runs + (screen.runs if screen else 0)
    print(f"\nwrote {out}/ (sensitivity.md, sensitivity.csv, sensitivity.json, samples, charts/) "
          f"in {wall:.0f} s, {runs} runs")
    return 0


def _sweep(args: argparse.Namespace, scenario: Scenario, space: LeverSpace, targets: list[Target],
           context: RunContext, out: Path) -> int:
    reps = args.replications or response.REPLICATIONS
    kept = response.outcome_targets(scenario, targets)
    runs = response.runs(scenario, space, args.points, reps)
    per_run = sensitivity.seconds_per_run(scenario, context.seed, context.parameters)
    sensitivity.announce(f"response curves of {plural(space.dim, 'lever')} x {plural(len(kept), 'outcome target')}: "
                         f"{args.points} points each x {plural(reps, 'replication')}", runs, context.pool, per_run)
    t0 = time.perf_counter()
    r = response.sweep(scenario, space, targets, context, args.points, reps)
    wall = time.perf_counter() - t0
    meta = {"scenario": scenario.scenario.name, "title": scenario.scenario.title, "file": str(args.scenario),
            "seed": context.seed, "parameters": args.parameters, "replications": reps, "points": args.points,
            "wall_seconds": round(wall, 1), "workers": context.pool.where, "lang": args.lang}
    response.write_folder(out, r, meta, args.lang)
    print("\n".join(response.console(r, args.lang)))
    print(f"\nwrote {out}/ (response.md, response.csv, effects.csv, response.json, charts/) in {wall:.0f} s, "
          f"{runs} runs")
    return 0
