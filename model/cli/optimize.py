"""`innosim optimize`: its arguments, and the command that runs the search and writes its folder."""

from __future__ import annotations

import argparse

from ..analysis import optimize
from ..execution.context import RunContext
from ..execution.parallel import Pool
from ..levers import LeverSpace
from ..output.results import results_folder
from ..parameters import ParameterSource
from ..scenario import load_scenario, select_targets
from .arguments import id_list, whole_number


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario TOML file with a [ranges] table")
    p.add_argument("--probability", "-p", type=float, required=True, metavar="P",
                   help="required probability of meeting each chosen target, in (0, 1], e.g. 0.8")
    p.add_argument("--targets", type=id_list, metavar="ID,ID",
                   help="comma-separated target ids (default: all the scenario's)")
    p.add_argument("--budget-max", type=float, metavar="WAN",
                   help="cap on the total annual cost, 万元/year (budget channels plus priced levers)")
    p.add_argument("--levers", type=id_list, metavar="NAME,NAME",
                   help="comma-separated levers to optimise (default: every lever with a range)")
    p.add_argument("--replications", "-n", type=whole_number("replications", 2, 100_000), default=16,
                   help="replications per candidate during the search (default 16)")
    p.add_argument("--initial", type=whole_number("initial", 1, 100_000), default=32,
                   help="Latin-hypercube candidates of generation 0 (default 32)")
    p.add_argument("--generations", type=whole_number("generations", 0, 100_000), default=2,
                   help="cross-entropy generations after generation 0, numbered from 1 (default 2)")
    p.add_argument("--population", type=whole_number("population", 1, 100_000), default=12,
                   help="candidates per generation (default 12)")
    p.add_argument("--confirm", type=whole_number("confirm", 1, 100_000), default=100,
                   help="replications of each finalist on fresh seeds (default 100)")
    p.add_argument("--finalists", type=whole_number("finalists", 1, 100_000), default=3,
                   help="candidates re-run on fresh seeds (default 3)")


def command(args: argparse.Namespace, pool: Pool, parameters: ParameterSource) -> int:
    scenario = load_scenario(args.scenario)
    settings = optimize.Settings(optimize.check_probability(args.probability), args.replications, args.initial,
                                 args.generations, args.population, args.confirm, args.finalists, args.budget_max)
    chosen = [scenario.targets.index(t) for t in select_targets(scenario, args.targets, args.scenario)]
    space = LeverSpace.from_scenario(scenario, args.levers, origin=args.scenario)
    seed = scenario.scenario.seed if args.seed is None else args.seed
    search = optimize.Search(scenario, space, chosen, settings, RunContext(pool, parameters, seed))
    search.check_cap()
    out = results_folder(args.out, scenario, "optimize")
    print(search.plan_text(), flush=True)
    result = search.run()
    result.origin = args.scenario
    optimize.write_folder(result, out, args.lang)
    print("\n".join(optimize.terminal(result, args.lang)))
    print(f"\nwrote {out}/ (optimize.md, winner.toml, candidates.csv, optimize.json, charts/optimize.png/.svg)")
    return 0
