"""`innosim discover`: its arguments, and the command that runs scenario discovery and writes its folder."""

from __future__ import annotations

import argparse
import time

from ..analysis import discovery
from ..execution.context import RunContext
from ..execution.parallel import Pool
from ..levers import LeverSpace
from ..output.phrases import plural
from ..output.results import results_folder
from ..parameters import ParameterSource
from ..scenario import load_scenario, select_targets
from .arguments import id_list, whole_number
from .arguments import probability as probability_arg


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario TOML file with a [ranges] table")
    p.add_argument("--targets", type=id_list, metavar="ID,ID", help="target ids (default: all the scenario's targets)")
    p.add_argument("--levers", type=id_list, metavar="NAME,NAME",
                   help="levers to explore (default: every lever with a range)")
    p.add_argument("--probability", type=probability_arg, default=0.8,
                   help="required probability of meeting a target (default 0.8)")
    p.add_argument("--samples", type=whole_number("samples", 20), default=800,
                   help="lever mixes sampled, Latin hypercube (default 800)")
    p.add_argument("--replications", "-n", type=whole_number("replications", 1), default=1,
                   help="runs per lever mix, each on its own random seed (default 1)")
    p.add_argument("--validation", type=whole_number("validation", 2), default=80,
                   help="fresh lever mixes drawn inside each box found, plus half as many at its limits, run on "
                        "fresh seeds to check it (default 80)")


def command(args: argparse.Namespace, pool: Pool, parameters: ParameterSource) -> int:
    t0 = time.perf_counter()
    scenario = load_scenario(args.scenario)
    targets = select_targets(scenario, args.targets, args.scenario)
    space = LeverSpace.from_scenario(scenario, args.levers, origin=args.scenario)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    out = results_folder(args.out, scenario, "discover")
    n, reps = args.samples, args.replications
    check = (args.validation + max(1, args.validation // 2)) * reps
    print(f"discover: {plural(space.dim, 'lever')}, {plural(len(targets), 'target')}; {n} lever mixes x {reps} "
          f"run(s) = {n * reps} runs, then {check} runs to check each box found (at most {len(targets) + 1} boxes), "
          f"on {pool.where}", flush=True)
    found = discovery.discover(scenario, space, targets, RunContext(pool, parameters, seed), args.probability, n,
                               reps, args.validation)
    wall = time.perf_counter() - t0
    info = {"scenario": scenario, "file": args.scenario, "seed": seed, "samples": n, "replications": reps,
            "validation": args.validation, "validation_runs": found.validation_runs, "wall": wall,
            "probability": args.probability, "parameters": parameters.mode, "where": pool.where}
    discovery.write_folder(out, found, space, info, args.lang)
    for f in found.findings:
        print(discovery.sentence(f, space, args.probability, args.lang))
    print(f"\n{n * reps + found.validation_runs} runs in {wall:.0f} s; wrote {out}/ (discovery.md, boxes.csv, "
          f"samples.csv, charts/)")
    return 0
